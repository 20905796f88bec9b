/*
 * Certificates from PEM or DER files for the unit tests that hold X509 objects.
 * Include after <cmocka.h>: a file that cannot be read fails the test.
 */
#ifndef NV_TEST_PEM_H
#define NV_TEST_PEM_H

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <stdio.h>

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

#endif /* NV_TEST_PEM_H */
