/*
 * Certificates from PEM or DER files, and files as nv_buf, for the unit
 * tests of the layers that hold X509 objects (x509, verify). Include after
 * <cmocka.h>: a file that cannot be read fails the test.
 */
#ifndef NV_TEST_PEM_H
#define NV_TEST_PEM_H

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <stdio.h>

#include "base/nv_buf.h"
#include "test_files.h"

/* The first certificate of a PEM file, or the certificate of a DER file;
 * X509_free() it. */
static inline X509 *load_cert_file(const char *path)
{
  FILE *f = fopen(path, "rb");
  if (f == NULL)
    fail_msg("cannot open %s", path);
  X509 *c = PEM_read_X509(f, NULL, NULL, NULL);
  if (c == NULL) {
    ERR_clear_error();
    rewind(f);
    c = d2i_X509_fp(f, NULL);
  }
  fclose(f);
  if (c == NULL)
    fail_msg("cannot read a certificate from %s", path);
  return c;
}

/* A file's bytes in an nv_buf that may grow to `max` bytes, for code that
 * takes nv_buf; nv_buf_free() it. */
static inline nv_buf slurp_buf(const char *path, size_t max)
{
  bytes f = slurp_path(path);
  nv_buf b;
  nv_buf_init(&b, max);
  assert_int_equal(nv_buf_append(&b, f.data, f.len, NULL), NV_OK);
  bytes_free(&f);
  return b;
}

#endif /* NV_TEST_PEM_H */
