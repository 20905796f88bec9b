/*
 * Trust stores (notary-spec.md section 12) and the Flux secret loader:
 * the reference stores of notation-go, in-memory stores, directory rules
 * (symlinks, sub-directories, special files, sizes), per-policy
 * selection, deduplication, authenticity lookups, freezing.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "test_files.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/nv_limits.h"
#include "policy/nv_pol_store.h"
#include "x509/nv_x509_certs.h"

#define REF_X509 NV_VECTORS "/notation-go/verifier/testdata/truststore/x509"
#define INLINE_X509 NV_VECTORS "/inline/notation-core-go/x509"
#define CORE_TESTDATA NV_VECTORS "/notation-core-go/x509/testdata"

/* ---------- helpers ---------- */

/* Certificates are read as text: some tests edit them as strings. */
static bytes read_inline(const char *name)
{
  char path[1024];
  path_join(path, sizeof(path), INLINE_X509, name);
  return slurp_text(path);
}

static void write_bytes(const char *dir, const char *name, bytes b)
{
  write_in(dir, name, b.data, b.len);
}

static void make_dir(const char *base, const char *rel, char *out, size_t size)
{
  snprintf(out, size, "%s/%s", base, rel);
  assert_int_equal(mkdir(out, 0700), 0);
}

/* A temporary x509 directory: <tmp>/x509/{ca,signingAuthority,tsa}. */
typedef struct tmp_x509 {
  char root[512];
  char x509[600];
  char ca[700];
  char tsa[700];
} tmp_x509;

static void tmp_x509_init(tmp_x509 *t)
{
  tmp_dir_new(t->root, sizeof(t->root), "nv-store-test");
  make_dir(t->root, "x509", t->x509, sizeof(t->x509));
  make_dir(t->x509, "ca", t->ca, sizeof(t->ca));
  make_dir(t->x509, "tsa", t->tsa, sizeof(t->tsa));
}

static nv_status load(nv_pol_store *s, const char *x509, const char *type, const char *name,
                      nv_diag *d)
{
  nv_diag_init(d);
  return nv_pol_store_load_dir(s, x509, type, name, d);
}

static size_t store_count(const nv_pol_store *s, nv_pol_store_type type, const char *name)
{
  const nv_x509_list *l = nv_pol_store_certs(s, type, name);
  assert_non_null(l);
  return l->count;
}

static char *concat(bytes a, bytes b)
{
  char *p = malloc(a.len + b.len + 1);
  assert_non_null(p);
  memcpy(p, a.data, a.len);
  memcpy(p + a.len, b.data, b.len);
  p[a.len + b.len] = '\0';
  return p;
}

/* Valgrind runs the program with its preload libraries. */
static bool under_valgrind(void)
{
  const char *p = getenv("LD_PRELOAD");
  return p != NULL && strstr(p, "vgpreload") != NULL;
}

/* ---------- notation-go's reference stores ---------- */

static void reference_valid_stores(void **state)
{
  (void)state;
  nv_pol_store *s = NULL;
  nv_diag d;
  nv_diag_init(&d);
  assert_int_equal(nv_pol_store_new(&s, &d), NV_OK);
  assert_int_equal(load(s, REF_X509, "ca", "valid-trust-store", &d), NV_OK);
  /* six files, GlobalSign.der and GlobalSignRootCA.crt being the same
   * certificate: a named store keeps both, as notation-go does */
  assert_int_equal(store_count(s, NV_POL_STORE_CA, "valid-trust-store"), 6);
  assert_int_equal(load(s, REF_X509, "ca", "valid-trust-store-self-signed", &d), NV_OK);
  assert_int_equal(store_count(s, NV_POL_STORE_CA, "valid-trust-store-self-signed"), 1);
  assert_int_equal(load(s, REF_X509, "signingAuthority", "valid-trust-store", &d), NV_OK);
  assert_int_equal(store_count(s, NV_POL_STORE_SIGNING_AUTHORITY, "valid-trust-store"), 3);
  assert_int_equal(load(s, REF_X509, "tsa", "test-timestamp", &d), NV_OK);
  assert_int_equal(store_count(s, NV_POL_STORE_TSA, "test-timestamp"), 1);
  assert_int_equal(load(s, REF_X509, "tsa", "test-mismatch", &d), NV_OK);
  assert_int_equal(store_count(s, NV_POL_STORE_TSA, "test-mismatch"), 1);
  assert_int_equal(nv_pol_store_count(s), 5);
  /* a second load of the same store appends */
  assert_int_equal(load(s, REF_X509, "tsa", "test-timestamp", &d), NV_OK);
  assert_int_equal(store_count(s, NV_POL_STORE_TSA, "test-timestamp"), 2);
  assert_int_equal(nv_pol_store_count(s), 5);
  assert_null(nv_pol_store_certs(s, NV_POL_STORE_SIGNING_AUTHORITY, "test-timestamp"));
  nv_pol_store_free(s);
}

static void reference_invalid_stores(void **state)
{
  (void)state;
  nv_pol_store *s = NULL;
  nv_diag d;
  assert_int_equal(nv_pol_store_new(&s, NULL), NV_OK);

  assert_int_equal(load(s, REF_X509, "ca", "trust-store-with-invalid-certs", &d),
                   NV_E_TRUSTSTORE_CERT_PARSE);
  assert_string_equal(d.msg, "failed to read the trusted certificate invalid in trust store "
                             "trust-store-with-invalid-certs of type ca");
  assert_int_equal(load(s, REF_X509, "ca", "trust-store-with-leaf-certs", &d),
                   NV_E_TRUSTSTORE_CERT_NOT_CA_OR_SELFSIGNED);
  assert_string_equal(d.msg, "failed to validate the trusted certificate non-ca.crt in trust "
                             "store trust-store-with-leaf-certs of type ca");
  assert_int_equal(load(s, REF_X509, "ca", "trust-store-with-leaf-certs-in-single-file", &d),
                   NV_E_TRUSTSTORE_CERT_NOT_CA_OR_SELFSIGNED);
  assert_int_equal(load(s, REF_X509, "tsa", "test-nonCA", &d),
                   NV_E_TRUSTSTORE_TSA_CERT_NOT_ROOT);
  assert_string_equal(d.msg,
                      "trusted certificate wabbit-networks.io.crt in trust store test-nonCA of "
                      "type tsa is invalid: certificate with subject "
                      "\"CN=wabbit-networks.io,O=Notary,L=Seattle,ST=WA,C=US\" is not a root CA "
                      "certificate: x509: invalid signature: parent certificate cannot sign this "
                      "kind of certificate");
  /* a CA whose own key verifies it (the fixture's CA shares its issuer's
   * key) but whose issuer is another name: not self-issued */
  assert_int_equal(load(s, REF_X509, "tsa", "test-nonSelfIssued", &d),
                   NV_E_TRUSTSTORE_TSA_CERT_NOT_ROOT);
  assert_string_equal(d.msg,
                      "trusted certificate nonSelfIssued.crt in trust store test-nonSelfIssued of "
                      "type tsa is invalid: certificate with subject \"CN=Notation Test Revokable "
                      "RSA Chain Cert 2,O=Notary,L=Seattle,ST=WA,C=US\" is not a root CA "
                      "certificate: issuer (CN=Notation Test Revokable RSA Chain Cert "
                      "Root,O=Notary,L=Seattle,ST=WA,C=US) and subject (CN=Notation Test "
                      "Revokable RSA Chain Cert 2,O=Notary,L=Seattle,ST=WA,C=US) are not the same");
  assert_int_equal(load(s, REF_X509, "tsa", "does-not-exist", &d), NV_E_TRUSTSTORE_NOT_FOUND);
  assert_string_equal(d.msg, "the trust store \"does-not-exist\" of type \"tsa\" does not exist");
  /* the tsa root passes as a ca store too, but a ca store is not a tsa store */
  assert_int_equal(load(s, REF_X509, "signingAuthority", "valid-trust-store-2", &d), NV_OK);
  assert_int_equal(load(s, REF_X509, "tsa", "valid-trust-store", &d), NV_E_TRUSTSTORE_NOT_FOUND);
  /* type and name syntax */
  assert_int_equal(load(s, REF_X509, "CA", "valid-trust-store", &d),
                   NV_E_TRUSTSTORE_TYPE_INVALID);
  assert_string_equal(d.msg, "unsupported trust store type: CA");
  assert_int_equal(load(s, REF_X509, "x509", "valid-trust-store", &d),
                   NV_E_TRUSTSTORE_TYPE_INVALID);
  assert_int_equal(load(s, REF_X509, "ca", "bad/name", &d), NV_E_TRUSTSTORE_NAME_INVALID);
  assert_string_equal(d.msg,
                      "trust store name needs to follow [a-zA-Z0-9_.-]+ format, bad/name is invalid");
  assert_int_equal(load(s, REF_X509, "ca", "..", &d), NV_E_TRUSTSTORE_NAME_INVALID);
  assert_int_equal(load(s, REF_X509, "ca", ".", &d), NV_E_TRUSTSTORE_NAME_INVALID);
  assert_int_equal(load(s, REF_X509, "ca", "", &d), NV_E_TRUSTSTORE_NAME_INVALID);
  assert_int_equal(load(s, REF_X509, "ca", NULL, &d), NV_E_TRUSTSTORE_NAME_INVALID);
  assert_int_equal(load(s, REF_X509, "ca", "caf\xc3\xa9", &d), NV_E_TRUSTSTORE_NAME_INVALID);
  assert_int_equal(load(s, REF_X509, "ca", "a\xe4", &d), NV_E_TRUSTSTORE_NAME_INVALID);
  char longname[NV_POL_STORE_NAME_MAX + 2];
  memset(longname, 'a', sizeof(longname) - 1);
  longname[sizeof(longname) - 1] = '\0';
  assert_int_equal(load(s, REF_X509, "ca", longname, &d), NV_E_TRUSTSTORE_NAME_INVALID);
  /* failures leave the object unchanged: only the one good store */
  assert_int_equal(nv_pol_store_count(s), 1);
  assert_null(nv_pol_store_certs(s, NV_POL_STORE_CA, "trust-store-with-leaf-certs"));
  nv_pol_store_free(s);
}

/* ---------- in-memory stores ---------- */

static nv_status add(nv_pol_store *s, const char *type, const char *name, const void *data,
                     size_t len, nv_diag *d)
{
  nv_diag_init(d);
  return nv_pol_store_add_bytes(s, type, name, data, len, "input.pem", d);
}

static void memory_store_formats(void **state)
{
  (void)state;
  bytes root = read_inline("rootCertPem.pem");
  bytes inter = read_inline("intermediateCertPem1.pem");
  bytes tsroot = slurp_path(CORE_TESTDATA "/timestamp_root.crt");
  bytes multi_der = slurp_path(CORE_TESTDATA "/multi-der.der");
  char *bundle = concat(root, inter);
  nv_pol_store *s = NULL;
  nv_diag d;
  assert_int_equal(nv_pol_store_new(&s, NULL), NV_OK);

  /* PEM with two blocks: both read */
  assert_int_equal(add(s, "ca", "bundle", bundle, strlen(bundle), &d), NV_OK);
  assert_int_equal(store_count(s, NV_POL_STORE_CA, "bundle"), 2);
  /* DER, one and several */
  assert_int_equal(add(s, "tsa", "der", tsroot.data, tsroot.len, &d), NV_OK);
  assert_int_equal(store_count(s, NV_POL_STORE_TSA, "der"), 1);
  assert_int_equal(add(s, "ca", "multi-der", multi_der.data, multi_der.len, &d), NV_OK);
  assert_int_equal(store_count(s, NV_POL_STORE_CA, "multi-der"), 2);
  /* appending to an existing named store */
  assert_int_equal(add(s, "ca", "bundle", root.data, root.len, &d), NV_OK);
  assert_int_equal(store_count(s, NV_POL_STORE_CA, "bundle"), 3);

  /* a key block after a good certificate: error, nothing added */
  char *keyblock = strdup((const char *)root.data);
  assert_non_null(keyblock);
  for (char *p; (p = strstr(keyblock, "CERTIFICATE")) != NULL;)
    memcpy(p, "PRIVATE KEY", 11);
  bytes key = {(uint8_t *)keyblock, strlen(keyblock)};
  char *with_key = concat(root, key);
  assert_int_equal(add(s, "ca", "bundle", with_key, strlen(with_key), &d),
                   NV_E_TRUSTSTORE_CERT_PARSE);
  assert_string_equal(d.msg, "failed to read the trusted certificate input.pem in trust store "
                             "bundle of type ca");
  assert_int_equal(store_count(s, NV_POL_STORE_CA, "bundle"), 3);
  assert_int_equal(add(s, "ca", "fresh", with_key, strlen(with_key), &d),
                   NV_E_TRUSTSTORE_CERT_PARSE);
  assert_null(nv_pol_store_certs(s, NV_POL_STORE_CA, "fresh"));
  /* empty input and garbage */
  assert_int_equal(add(s, "ca", "fresh", "", 0, &d), NV_E_TRUSTSTORE_CERT_PARSE);
  assert_int_equal(add(s, "ca", "fresh", NULL, 0, &d), NV_E_TRUSTSTORE_CERT_PARSE);
  assert_int_equal(add(s, "ca", "fresh", "not a certificate", 17, &d),
                   NV_E_TRUSTSTORE_CERT_PARSE);
  assert_int_equal(add(s, "ca", "fresh", NULL, 5, &d), NV_E_INVALID_ARG);
  /* a buffer larger than the file limit is refused before parsing */
  assert_int_equal(add(s, "ca", "fresh", root.data, NV_LIMIT_CERT_FILE_BYTES + 1, &d),
                   NV_E_TRUSTSTORE_TOO_LARGE);
  assert_int_equal(add(s, "nope", "fresh", root.data, root.len, &d),
                   NV_E_TRUSTSTORE_TYPE_INVALID);
  assert_int_equal(add(s, "ca", "fr esh", root.data, root.len, &d),
                   NV_E_TRUSTSTORE_NAME_INVALID);
  assert_int_equal(nv_pol_store_count(s), 3);

  free(with_key);
  free(keyblock);
  free(bundle);
  free(root.data);
  free(inter.data);
  free(tsroot.data);
  free(multi_der.data);
  nv_pol_store_free(s);
}

static void memory_store_rules(void **state)
{
  (void)state;
  bytes root = read_inline("rootCertPem.pem");
  bytes inter = read_inline("intermediateCertPem1.pem");
  bytes leaf = read_inline("codeSigningLeafPem.pem");
  bytes selfleaf = read_inline("unrelatedCertPem.pem");
  bytes ku_ca = read_inline("kuNotCertSignCaPem.pem");
  bytes nobc = read_inline("noBasicConstraintsCaPem.pem");
  nv_pol_store *s = NULL;
  nv_diag d;
  assert_int_equal(nv_pol_store_new(&s, NULL), NV_OK);

  /* ca / signingAuthority: CA or self-signed */
  assert_int_equal(add(s, "ca", "a", root.data, root.len, &d), NV_OK);
  assert_int_equal(add(s, "ca", "a", inter.data, inter.len, &d), NV_OK);       /* CA, not root */
  assert_int_equal(add(s, "ca", "a", selfleaf.data, selfleaf.len, &d), NV_OK); /* self-signed */
  assert_int_equal(add(s, "signingAuthority", "a", nobc.data, nobc.len, &d), NV_OK);
  assert_int_equal(add(s, "ca", "a", leaf.data, leaf.len, &d),
                   NV_E_TRUSTSTORE_CERT_NOT_CA_OR_SELFSIGNED);
  assert_string_equal(d.msg, "failed to validate the trusted certificate input.pem in trust "
                             "store a of type ca");
  assert_int_equal(add(s, "signingAuthority", "a", leaf.data, leaf.len, &d),
                   NV_E_TRUSTSTORE_CERT_NOT_CA_OR_SELFSIGNED);
  assert_int_equal(store_count(s, NV_POL_STORE_CA, "a"), 3);

  /* tsa: roots only */
  assert_int_equal(add(s, "tsa", "t", root.data, root.len, &d), NV_OK);
  assert_int_equal(add(s, "tsa", "t", inter.data, inter.len, &d),
                   NV_E_TRUSTSTORE_TSA_CERT_NOT_ROOT);
  assert_non_null(strstr(d.msg, "certificate with subject \"CN=Intermediate1\" is not a root CA "
                                "certificate"));
  assert_int_equal(add(s, "tsa", "t", selfleaf.data, selfleaf.len, &d),
                   NV_E_TRUSTSTORE_TSA_CERT_NOT_ROOT);
  assert_non_null(strstr(d.msg, "parent certificate cannot sign this kind of certificate"));
  assert_int_equal(add(s, "tsa", "t", ku_ca.data, ku_ca.len, &d),
                   NV_E_TRUSTSTORE_TSA_CERT_NOT_ROOT);
  assert_int_equal(add(s, "tsa", "t", nobc.data, nobc.len, &d), NV_E_TRUSTSTORE_TSA_CERT_NOT_ROOT);
  /* the CA rule comes first, with its own code */
  assert_int_equal(add(s, "tsa", "t", leaf.data, leaf.len, &d),
                   NV_E_TRUSTSTORE_CERT_NOT_CA_OR_SELFSIGNED);
  assert_int_equal(store_count(s, NV_POL_STORE_TSA, "t"), 1);

  /* the rule for one certificate */
  nv_x509_list l;
  nv_x509_list_init(&l);
  assert_int_equal(nv_x509_read_certs(leaf.data, leaf.len, "leaf", &l, NULL), NV_OK);
  assert_int_equal(nv_x509_read_certs(inter.data, inter.len, "inter", &l, NULL), NV_OK);
  nv_diag_init(&d);
  assert_int_equal(nv_pol_store_validate_cert(l.items[0], NV_POL_STORE_CA, &d),
                   NV_E_TRUSTSTORE_CERT_NOT_CA_OR_SELFSIGNED);
  assert_string_equal(d.msg, "certificate with subject \"CN=CodeSigningLeaf\" is not a CA "
                             "certificate or self-signed signing certificate");
  assert_int_equal(nv_pol_store_validate_cert(l.items[1], NV_POL_STORE_SIGNING_AUTHORITY, NULL),
                   NV_OK);
  assert_int_equal(nv_pol_store_validate_cert(l.items[1], NV_POL_STORE_TSA, NULL),
                   NV_E_TRUSTSTORE_TSA_CERT_NOT_ROOT);
  assert_int_equal(nv_pol_store_validate_cert(l.items[1], NV_POL_STORE_NONE, NULL),
                   NV_E_TRUSTSTORE_TYPE_INVALID);
  nv_x509_list_free(&l);

  free(root.data);
  free(inter.data);
  free(leaf.data);
  free(selfleaf.data);
  free(ku_ca.data);
  free(nobc.data);
  nv_pol_store_free(s);
}

/* ---------- directory rules ---------- */

static void directory_rules(void **state)
{
  (void)state;
  tmp_x509 t;
  tmp_x509_init(&t);
  bytes root = read_inline("rootCertPem.pem");
  char dir[800], path[900];

  make_dir(t.ca, "real", dir, sizeof(dir));
  write_bytes(dir, "root.pem", root);
  /* the store directory is a symlink */
  snprintf(path, sizeof(path), "%s/link", t.ca);
  assert_int_equal(symlink("real", path), 0);
  /* a symlinked file inside */
  make_dir(t.ca, "withlink", dir, sizeof(dir));
  write_bytes(dir, "a-root.pem", root);
  snprintf(path, sizeof(path), "%s/b-link.pem", dir);
  assert_int_equal(symlink("a-root.pem", path), 0);
  /* a dangling symlink */
  make_dir(t.ca, "dangling", dir, sizeof(dir));
  write_bytes(dir, "a-root.pem", root);
  snprintf(path, sizeof(path), "%s/z-dangling", dir);
  assert_int_equal(symlink("/nonexistent/x", path), 0);
  /* a sub-directory */
  make_dir(t.ca, "withdir", dir, sizeof(dir));
  write_bytes(dir, "root.crt", root);
  make_dir(dir, "sub", path, sizeof(path));
  /* a FIFO (reading it would block) */
  make_dir(t.ca, "withfifo", dir, sizeof(dir));
  snprintf(path, sizeof(path), "%s/fifo.crt", dir);
  assert_int_equal(mkfifo(path, 0600), 0);
  /* an empty store, and a regular file where a store should be */
  make_dir(t.ca, "empty", dir, sizeof(dir));
  write_in(t.ca, "plainfile", "x", 1);
  /* every file is read, whatever its name: a dot file and no extension */
  make_dir(t.ca, "anynames", dir, sizeof(dir));
  write_bytes(dir, ".hidden", root);
  write_bytes(dir, "noext", root);
  write_bytes(dir, "cert.txt", root);

  nv_pol_store *s = NULL;
  nv_diag d;
  assert_int_equal(nv_pol_store_new(&s, NULL), NV_OK);
  assert_int_equal(load(s, t.x509, "ca", "real", &d), NV_OK);
  assert_int_equal(store_count(s, NV_POL_STORE_CA, "real"), 1);
  assert_int_equal(load(s, t.x509, "ca", "link", &d), NV_E_TRUSTSTORE_NOT_DIRECTORY);
  assert_non_null(strstr(d.msg, "the trust store link of type ca with path "));
  assert_non_null(strstr(d.msg, "is not a regular directory (symlinks are not supported)"));
  assert_int_equal(load(s, t.x509, "ca", "withlink", &d), NV_E_TRUSTSTORE_ENTRY_NOT_REGULAR);
  assert_string_equal(d.msg, "trusted certificate b-link.pem in trust store withlink of type ca "
                             "is not a regular file (directories or symlinks are not supported)");
  assert_int_equal(load(s, t.x509, "ca", "dangling", &d), NV_E_TRUSTSTORE_ENTRY_NOT_REGULAR);
  assert_int_equal(load(s, t.x509, "ca", "withdir", &d), NV_E_TRUSTSTORE_ENTRY_NOT_REGULAR);
  assert_string_equal(d.msg, "trusted certificate sub in trust store withdir of type ca is not "
                             "a regular file (directories or symlinks are not supported)");
  assert_int_equal(load(s, t.x509, "ca", "withfifo", &d), NV_E_TRUSTSTORE_ENTRY_NOT_REGULAR);
  assert_int_equal(load(s, t.x509, "ca", "empty", &d), NV_E_TRUSTSTORE_EMPTY);
  assert_string_equal(d.msg,
                      "no x509 certificates were found in trust store \"empty\" of type \"ca\"");
  assert_int_equal(load(s, t.x509, "ca", "plainfile", &d), NV_E_TRUSTSTORE_NOT_DIRECTORY);
  /* x509/signingAuthority does not exist at all */
  assert_int_equal(load(s, t.x509, "signingAuthority", "real", &d), NV_E_TRUSTSTORE_NOT_FOUND);
  assert_int_equal(load(s, t.x509, "ca", "anynames", &d), NV_OK);
  assert_int_equal(store_count(s, NV_POL_STORE_CA, "anynames"), 3);
  assert_int_equal(nv_pol_store_count(s), 2);

  nv_pol_store_free(s);
  free(root.data);
  rm_tree(t.root);
}

static void size_and_count_limits(void **state)
{
  (void)state;
  tmp_x509 t;
  tmp_x509_init(&t);
  bytes root = read_inline("rootCertPem.pem");
  char dir[800], path[900];

  /* a sparse file one byte over the limit: refused from its size */
  make_dir(t.ca, "huge", dir, sizeof(dir));
  write_bytes(dir, "a-root.pem", root);
  snprintf(path, sizeof(path), "%s/b-huge.pem", dir);
  int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
  assert_true(fd >= 0);
  assert_int_equal(ftruncate(fd, (off_t)NV_LIMIT_CERT_FILE_BYTES + 1), 0);
  close(fd);
  /* exactly at the limit it is read (and fails to parse) */
  make_dir(t.ca, "atlimit", dir, sizeof(dir));
  snprintf(path, sizeof(path), "%s/zeros.pem", dir);
  fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
  assert_true(fd >= 0);
  assert_int_equal(ftruncate(fd, (off_t)NV_LIMIT_CERT_FILE_BYTES), 0);
  close(fd);
  /* an unreadable file */
  make_dir(t.ca, "unreadable", dir, sizeof(dir));
  write_bytes(dir, "root.pem", root);
  snprintf(path, sizeof(path), "%s/root.pem", dir);
  assert_int_equal(chmod(path, 0), 0);
  /* too many files */
  make_dir(t.ca, "many", dir, sizeof(dir));
  for (int i = 0; i <= NV_POL_STORE_MAX_FILES; i++) {
    char name[32];
    snprintf(name, sizeof(name), "f%04d", i);
    write_in(dir, name, "", 0);
  }

  nv_pol_store *s = NULL;
  nv_diag d;
  assert_int_equal(nv_pol_store_new(&s, NULL), NV_OK);
  assert_int_equal(load(s, t.x509, "ca", "huge", &d), NV_E_TRUSTSTORE_TOO_LARGE);
  assert_non_null(strstr(d.msg, "b-huge.pem"));
  assert_int_equal(load(s, t.x509, "ca", "atlimit", &d), NV_E_TRUSTSTORE_CERT_PARSE);
  nv_status rc = load(s, t.x509, "ca", "unreadable", &d);
  if (geteuid() == 0)
    assert_int_equal(rc, NV_OK); /* root reads it anyway */
  else
    assert_int_equal(rc, NV_E_TRUSTSTORE_ACCESS);
  assert_int_equal(load(s, t.x509, "ca", "many", &d), NV_E_TRUSTSTORE_TOO_LARGE);
  assert_non_null(strstr(d.msg, "more than 1000 entries"));
  nv_pol_store_free(s);

  /* more than 1000 certificates in one input */
  size_t one = root.len;
  assert_true(one * 1000 <= NV_LIMIT_CERT_FILE_BYTES);
  char *more = malloc(one * 1001 + 1);
  assert_non_null(more);
  for (size_t i = 0; i < 1001; i++)
    memcpy(more + i * one, root.data, one);
  more[one * 1001] = '\0';
  assert_int_equal(nv_pol_store_new(&s, NULL), NV_OK);
  assert_int_equal(add(s, "ca", "other", more, one * 1001, &d), NV_E_TRUSTSTORE_TOO_LARGE);
  assert_int_equal(nv_pol_store_count(s), 0);

  /* certificates per named store: 10 x 1000 fit, one more does not. That
   * is 10,000 certificate parses, minutes under valgrind: run natively
   * and under ASan only. */
  if (!under_valgrind()) {
    for (int i = 0; i < NV_POL_STORE_MAX_CERTS / 1000; i++)
      assert_int_equal(add(s, "ca", "big", more, one * 1000, &d), NV_OK);
    assert_int_equal(store_count(s, NV_POL_STORE_CA, "big"), NV_POL_STORE_MAX_CERTS);
    assert_int_equal(add(s, "ca", "big", root.data, root.len, &d), NV_E_TRUSTSTORE_TOO_LARGE);
    assert_int_equal(store_count(s, NV_POL_STORE_CA, "big"), NV_POL_STORE_MAX_CERTS);
  }
  nv_pol_store_free(s);

  /* The object-wide limits, through the Flux builder: the certificates of
   * a secret are parsed once and shared by every named store. */
  static char names[NV_POL_STORE_MAX_STORES + 1][16];
  static const char *refs[NV_POL_STORE_MAX_STORES + 1];
  for (int i = 0; i <= NV_POL_STORE_MAX_STORES; i++) {
    snprintf(names[i], sizeof(names[i]), "ca:s%d", i);
    refs[i] = names[i];
  }
  nv_pol_flux_secret *fs = NULL;
  assert_int_equal(nv_pol_flux_secret_new(&fs, NULL), NV_OK);
  assert_int_equal(nv_pol_flux_secret_add(fs, "thousand.pem", (const uint8_t *)more, one * 1000,
                                          NULL),
                   NV_OK);
  /* certificates per object: 100 stores of 1000 fit, 101 do not */
  size_t stores = NV_POL_STORE_MAX_TOTAL_CERTS / 1000;
  assert_int_equal(nv_pol_flux_secret_build_store(fs, refs, stores, 0, &s, &d), NV_OK);
  assert_int_equal(nv_pol_store_count(s), stores);
  assert_int_equal(store_count(s, NV_POL_STORE_CA, "s99"), 1000);
  assert_int_equal(add(s, "ca", "s0", root.data, root.len, &d), NV_E_TRUSTSTORE_TOO_LARGE);
  assert_non_null(strstr(d.msg, "in total"));
  nv_pol_store_free(s);
  assert_int_equal(nv_pol_flux_secret_build_store(fs, refs, stores + 1, 0, &s, &d),
                   NV_E_TRUSTSTORE_TOO_LARGE);
  assert_null(s);
  nv_pol_flux_secret_free(fs);
  /* named stores per object */
  assert_int_equal(nv_pol_flux_secret_new(&fs, NULL), NV_OK);
  assert_int_equal(nv_pol_flux_secret_add(fs, "root.pem", root.data, root.len, NULL), NV_OK);
  assert_int_equal(
    nv_pol_flux_secret_build_store(fs, refs, NV_POL_STORE_MAX_STORES, 0, &s, &d), NV_OK);
  assert_int_equal(nv_pol_store_count(s), NV_POL_STORE_MAX_STORES);
  assert_int_equal(add(s, "ca", "one-more", root.data, root.len, &d), NV_E_TRUSTSTORE_TOO_LARGE);
  assert_non_null(strstr(d.msg, "named trust stores"));
  assert_int_equal(add(s, "ca", "s0", root.data, root.len, &d), NV_OK); /* existing: fine */
  assert_int_equal(store_count(s, NV_POL_STORE_CA, "s0"), 2);
  assert_int_equal(nv_pol_store_count(s), NV_POL_STORE_MAX_STORES);
  nv_pol_store_free(s);
  assert_int_equal(
    nv_pol_flux_secret_build_store(fs, refs, NV_POL_STORE_MAX_STORES + 1, 0, &s, &d),
    NV_E_TRUSTSTORE_TOO_LARGE);
  nv_pol_flux_secret_free(fs);

  free(more);
  free(root.data);
  rm_tree(t.root);
}

/* ---------- selection for a policy, dedup, authenticity ---------- */

static void select_by_type_and_dedup(void **state)
{
  (void)state;
  static const char *const refs[] = {"ca:valid-trust-store", "signingAuthority:valid-trust-store-2",
                                     "ca:valid-trust-store-2", "tsa:test-timestamp",
                                     "ca:valid-trust-store"};
  nv_pol_store *s = NULL;
  nv_pol_certset *cs = NULL;
  nv_diag d;
  nv_diag_init(&d);
  assert_int_equal(nv_pol_store_new(&s, NULL), NV_OK);
  assert_int_equal(nv_pol_store_load_refs(s, REF_X509, refs, 5, NV_POL_STORE_CA, &d), NV_OK);
  /* only the ca entries were loaded */
  assert_int_equal(nv_pol_store_count(s), 2);
  assert_null(nv_pol_store_certs(s, NV_POL_STORE_TSA, "test-timestamp"));
  assert_int_equal(nv_pol_store_select(s, refs, 5, NV_POL_STORE_CA, &cs, &d), NV_OK);
  /* 6 + 2 certificates, 5 distinct (GlobalSign R3 three times) */
  assert_int_equal(nv_pol_certset_count(cs), 5);
  assert_int_equal(nv_pol_certset_list(cs)->count, 5);
  /* policy order: the first file of the first store comes first */
  const nv_x509_list *first = nv_pol_store_certs(s, NV_POL_STORE_CA, "valid-trust-store");
  assert_ptr_equal(nv_pol_certset_list(cs)->items[0], first->items[0]);
  assert_ptr_equal(nv_pol_certset_list(cs)->items[1], first->items[2]);
  nv_pol_certset_free(cs);

  /* the other types are not loaded yet: selecting them fails */
  assert_int_equal(nv_pol_store_select(s, refs, 5, NV_POL_STORE_TSA, &cs, &d),
                   NV_E_TRUSTSTORE_NOT_FOUND);
  assert_null(cs);
  assert_int_equal(nv_pol_store_load_refs(s, REF_X509, refs, 5, NV_POL_STORE_TSA, &d), NV_OK);
  assert_int_equal(nv_pol_store_load_refs(s, REF_X509, refs, 5, NV_POL_STORE_SIGNING_AUTHORITY,
                                          &d),
                   NV_OK);
  assert_int_equal(nv_pol_store_count(s), 4);
  nv_pol_store_freeze(s);
  assert_int_equal(nv_pol_store_select(s, refs, 5, NV_POL_STORE_TSA, &cs, &d), NV_OK);
  assert_int_equal(nv_pol_certset_count(cs), 1);
  nv_pol_certset_free(cs);
  assert_int_equal(nv_pol_store_select(s, refs, 5, NV_POL_STORE_SIGNING_AUTHORITY, &cs, &d),
                   NV_OK);
  assert_int_equal(nv_pol_certset_count(cs), 1);
  nv_pol_certset_free(cs);

  /* no entry of the wanted type: an empty set, not an error */
  static const char *const sa_only[] = {"signingAuthority:valid-trust-store-2"};
  assert_int_equal(nv_pol_store_select(s, sa_only, 1, NV_POL_STORE_CA, &cs, &d), NV_OK);
  assert_int_equal(nv_pol_certset_count(cs), 0);
  assert_false(nv_pol_certset_contains_der(cs, (const uint8_t *)"x", 1));
  nv_pol_certset_free(cs);

  /* syntax errors, whatever the type */
  static const char *const bad1[] = {"ca:valid-trust-store", "tsa"};
  static const char *const bad2[] = {"foo:bar"};
  static const char *const bad3[] = {"tsa:bad name"};
  static const char *const bad4[] = {"ca:"};
  assert_int_equal(nv_pol_store_select(s, bad1, 2, NV_POL_STORE_CA, &cs, &d),
                   NV_E_TRUSTSTORE_INVALID);
  assert_int_equal(nv_pol_store_select(s, bad2, 1, NV_POL_STORE_CA, &cs, &d),
                   NV_E_TRUSTSTORE_TYPE_INVALID);
  assert_int_equal(nv_pol_store_select(s, bad3, 1, NV_POL_STORE_CA, &cs, &d),
                   NV_E_TRUSTSTORE_NAME_INVALID);
  assert_int_equal(nv_pol_store_select(s, bad4, 1, NV_POL_STORE_CA, &cs, &d),
                   NV_E_TRUSTSTORE_NAME_INVALID);
  assert_int_equal(nv_pol_store_select(s, refs, 5, NV_POL_STORE_NONE, &cs, &d),
                   NV_E_TRUSTSTORE_TYPE_INVALID);
  nv_pol_store_type type;
  char name[NV_POL_STORE_NAME_MAX + 1];
  assert_int_equal(nv_pol_store_parse_ref("signingAuthority:a.b-c_d", &type, name, NULL), NV_OK);
  assert_int_equal(type, NV_POL_STORE_SIGNING_AUTHORITY);
  assert_string_equal(name, "a.b-c_d");
  assert_int_equal(nv_pol_store_parse_ref("ca:a:b", &type, name, NULL),
                   NV_E_TRUSTSTORE_NAME_INVALID);
  nv_pol_store_free(s);
}

static void one_shot_for_policy(void **state)
{
  (void)state;
  static const char *const good[] = {"ca:valid-trust-store", "ca:valid-trust-store-self-signed"};
  static const char *const bad[] = {"ca:valid-trust-store", "ca:trust-store-with-leaf-certs"};
  static const char *const missing[] = {"tsa:test-timestamp", "tsa:does-not-exist"};
  nv_pol_certset *cs = NULL;
  nv_diag d;
  nv_diag_init(&d);
  assert_int_equal(nv_pol_certset_for_policy(REF_X509, good, 2, NV_POL_STORE_CA, &cs, &d), NV_OK);
  assert_int_equal(nv_pol_certset_count(cs), 6);
  nv_pol_certset_free(cs);
  assert_int_equal(nv_pol_certset_for_policy(REF_X509, bad, 2, NV_POL_STORE_CA, &cs, &d),
                   NV_E_TRUSTSTORE_CERT_NOT_CA_OR_SELFSIGNED);
  assert_null(cs);
  /* a failing store of another type is never read */
  assert_int_equal(nv_pol_certset_for_policy(REF_X509, bad, 2, NV_POL_STORE_SIGNING_AUTHORITY,
                                             &cs, &d),
                   NV_OK);
  assert_int_equal(nv_pol_certset_count(cs), 0);
  nv_pol_certset_free(cs);
  assert_int_equal(nv_pol_certset_for_policy(REF_X509, missing, 2, NV_POL_STORE_TSA, &cs, &d),
                   NV_E_TRUSTSTORE_NOT_FOUND);
  assert_int_equal(nv_pol_certset_for_policy(NULL, good, 2, NV_POL_STORE_CA, &cs, &d),
                   NV_E_INVALID_ARG);
}

static void authenticity_lookup(void **state)
{
  (void)state;
  static const char *const refs[] = {"ca:valid-trust-store"};
  nv_pol_store *s = NULL;
  nv_pol_certset *cs = NULL;
  assert_int_equal(nv_pol_store_new(&s, NULL), NV_OK);
  assert_int_equal(nv_pol_store_load_refs(s, REF_X509, refs, 1, NV_POL_STORE_CA, NULL), NV_OK);
  nv_pol_store_freeze(s);
  assert_int_equal(nv_pol_store_select(s, refs, 1, NV_POL_STORE_CA, &cs, NULL), NV_OK);
  /* the certset keeps its own references: the store can go */
  nv_pol_store_free(s);

  bytes der = slurp_path(REF_X509 "/ca/valid-trust-store/GlobalSign.der");
  assert_true(nv_pol_certset_contains_der(cs, der.data, der.len));
  der.data[der.len - 1] ^= 1;
  assert_false(nv_pol_certset_contains_der(cs, der.data, der.len));
  der.data[der.len - 1] ^= 1;
  assert_false(nv_pol_certset_contains_der(cs, der.data, der.len - 1));
  assert_false(nv_pol_certset_contains_der(cs, NULL, 0));
  assert_false(nv_pol_certset_contains_der(NULL, der.data, der.len));

  bytes pem = slurp_path(REF_X509 "/ca/valid-trust-store/NotationTestRoot.pem");
  bytes other = read_inline("intermediateCertPem1.pem");
  bytes tsroot = slurp_path(REF_X509 "/tsa/test-timestamp/globalsignRoot.cer");
  nv_x509_list l;
  nv_x509_list_init(&l);
  assert_int_equal(nv_x509_read_certs(pem.data, pem.len, "a", &l, NULL), NV_OK);
  assert_int_equal(nv_x509_read_certs(other.data, other.len, "b", &l, NULL), NV_OK);
  assert_true(nv_pol_certset_contains_cert(cs, l.items[0]));
  assert_false(nv_pol_certset_contains_cert(cs, l.items[1]));
  assert_false(nv_pol_certset_contains_cert(cs, NULL));
  assert_false(nv_pol_certset_contains_der(cs, tsroot.data, tsroot.len));
  /* every certificate of the set is found */
  const nv_x509_list *all = nv_pol_certset_list(cs);
  assert_int_equal(all->count, 5);
  for (size_t i = 0; i < all->count; i++)
    assert_true(nv_pol_certset_contains_cert(cs, all->items[i]));
  nv_x509_list_free(&l);
  nv_pol_certset_free(cs);
  free(der.data);
  free(pem.data);
  free(other.data);
  free(tsroot.data);
}

static void freeze_blocks_mutation(void **state)
{
  (void)state;
  bytes root = read_inline("rootCertPem.pem");
  static const char *const refs[] = {"ca:valid-trust-store"};
  nv_pol_store *s = NULL;
  nv_diag d;
  assert_int_equal(nv_pol_store_new(&s, NULL), NV_OK);
  assert_false(nv_pol_store_frozen(s));
  assert_int_equal(add(s, "ca", "m", root.data, root.len, &d), NV_OK);
  nv_pol_store_freeze(s);
  nv_pol_store_freeze(s);
  assert_true(nv_pol_store_frozen(s));
  assert_int_equal(add(s, "ca", "m", root.data, root.len, &d), NV_E_INVALID_ARG);
  assert_int_equal(load(s, REF_X509, "ca", "valid-trust-store", &d), NV_E_INVALID_ARG);
  assert_int_equal(nv_pol_store_load_refs(s, REF_X509, refs, 1, NV_POL_STORE_CA, NULL),
                   NV_E_INVALID_ARG);
  assert_int_equal(store_count(s, NV_POL_STORE_CA, "m"), 1);
  assert_int_equal(nv_pol_store_count(s), 1);
  nv_pol_store_free(s);
  nv_pol_store_free(NULL);
  nv_pol_certset_free(NULL);
  assert_int_equal(nv_pol_store_new(NULL, NULL), NV_E_INVALID_ARG);
  free(root.data);
}

/* ---------- Flux secrets ---------- */

static const char policy_json[] = "{\"version\":\"1.0\",\"trustPolicies\":[]}";

static void flux_secret_dir(char *dir, size_t size, bool policy, bool certs)
{
  tmp_dir_new(dir, size, "nv-flux-test");
  if (policy)
    write_in(dir, "trustpolicy.json", policy_json, strlen(policy_json));
  if (certs) {
    bytes root = read_inline("rootCertPem.pem");
    bytes inter = read_inline("intermediateCertPem1.pem");
    write_bytes(dir, "root.crt", root);
    write_bytes(dir, "intermediate.pem", inter);
    free(root.data);
    free(inter.data);
  }
  write_in(dir, "README.md", "# not a certificate\n", 20);
}

static void flux_default_and_compat(void **state)
{
  (void)state;
  char dir[600];
  flux_secret_dir(dir, sizeof(dir), true, true);
  nv_pol_flux_secret *fs = NULL;
  nv_diag d;
  nv_diag_init(&d);
  assert_int_equal(nv_pol_flux_secret_load_dir(dir, &fs, &d), NV_OK);
  const uint8_t *policy = NULL;
  size_t len = 0;
  assert_int_equal(nv_pol_flux_secret_policy(fs, &policy, &len, &d), NV_OK);
  assert_int_equal(len, strlen(policy_json));
  assert_memory_equal(policy, policy_json, len);
  assert_int_equal(policy[len], '\0');
  assert_int_equal(nv_pol_flux_secret_cert_files(fs), 2); /* README.md ignored */

  static const char *const refs[] = {"ca:flux", "signingAuthority:sa", "tsa:ts", "ca:flux"};
  nv_pol_store *s = NULL;
  assert_int_equal(nv_pol_flux_secret_build_store(fs, refs, 4, 0, &s, &d), NV_OK);
  assert_int_equal(nv_pol_store_count(s), 3);
  assert_int_equal(store_count(s, NV_POL_STORE_CA, "flux"), 2);
  assert_int_equal(store_count(s, NV_POL_STORE_SIGNING_AUTHORITY, "sa"), 2);
  assert_int_equal(store_count(s, NV_POL_STORE_TSA, "ts"), 1); /* the root only */
  assert_false(nv_pol_store_frozen(s));
  /* key order: intermediate.pem before root.crt */
  nv_pol_certset *cs = NULL;
  assert_int_equal(nv_pol_store_select(s, refs, 4, NV_POL_STORE_CA, &cs, &d), NV_OK);
  assert_int_equal(nv_pol_certset_count(cs), 2);
  const nv_x509_list *tsa = nv_pol_store_certs(s, NV_POL_STORE_TSA, "ts");
  assert_true(nv_pol_certset_contains_cert(cs, tsa->items[0]));
  assert_ptr_equal(nv_pol_certset_list(cs)->items[1], tsa->items[0]);
  nv_pol_certset_free(cs);
  nv_pol_store_free(s);

  /* compat: every certificate in every store, tsa included */
  assert_int_equal(nv_pol_flux_secret_build_store(fs, refs, 4, NV_POL_FLUX_COMPAT, &s, &d), NV_OK);
  assert_int_equal(store_count(s, NV_POL_STORE_TSA, "ts"), 2);
  assert_int_equal(store_count(s, NV_POL_STORE_CA, "flux"), 2);
  nv_pol_store_free(s);
  assert_int_equal(nv_pol_flux_secret_build_store(fs, refs, 4, NV_POL_FLUX_ALL_STORES, &s, &d),
                   NV_OK);
  assert_int_equal(store_count(s, NV_POL_STORE_TSA, "ts"), 2);
  nv_pol_store_free(s);
  /* no references: an empty store object */
  assert_int_equal(nv_pol_flux_secret_build_store(fs, NULL, 0, 0, &s, &d), NV_OK);
  assert_int_equal(nv_pol_store_count(s), 0);
  nv_pol_store_free(s);
  static const char *const badref[] = {"ca:flux", "tsa"};
  assert_int_equal(nv_pol_flux_secret_build_store(fs, badref, 2, 0, &s, &d),
                   NV_E_TRUSTSTORE_INVALID);
  assert_null(s);
  assert_int_equal(nv_pol_flux_secret_build_store(fs, refs, 4, 0x80, &s, &d), NV_E_INVALID_ARG);
  nv_pol_flux_secret_free(fs);

  /* a leaf certificate: refused by default, accepted in compat mode */
  bytes leaf = read_inline("codeSigningLeafPem.pem");
  write_bytes(dir, "signer.crt", leaf);
  free(leaf.data);
  assert_int_equal(nv_pol_flux_secret_load_dir(dir, &fs, &d), NV_OK);
  assert_int_equal(nv_pol_flux_secret_build_store(fs, refs, 4, 0, &s, &d),
                   NV_E_TRUSTSTORE_CERT_NOT_CA_OR_SELFSIGNED);
  assert_non_null(strstr(d.msg, "signer.crt"));
  assert_null(s);
  assert_int_equal(nv_pol_flux_secret_build_store(fs, refs, 4, NV_POL_FLUX_COMPAT, &s, &d), NV_OK);
  assert_int_equal(store_count(s, NV_POL_STORE_CA, "flux"), 3);
  assert_int_equal(store_count(s, NV_POL_STORE_TSA, "ts"), 3);
  nv_pol_store_free(s);
  nv_pol_flux_secret_free(fs);
  rm_tree(dir);
}

static void flux_errors(void **state)
{
  (void)state;
  char dir[600], path[700];
  nv_pol_flux_secret *fs = NULL;
  nv_diag d;
  nv_diag_init(&d);

  flux_secret_dir(dir, sizeof(dir), false, true);
  assert_int_equal(nv_pol_flux_secret_load_dir(dir, &fs, &d), NV_E_POLICY_NOT_FOUND);
  assert_string_equal(d.msg, "'trustpolicy.json' not found in secret");
  assert_null(fs);
  rm_tree(dir);

  flux_secret_dir(dir, sizeof(dir), true, false);
  assert_int_equal(nv_pol_flux_secret_load_dir(dir, &fs, &d), NV_E_TRUSTSTORE_EMPTY);
  assert_string_equal(d.msg, "no certificates found in secret");
  /* a symlinked policy or certificate file is refused */
  snprintf(path, sizeof(path), "%s/trustpolicy.json", dir);
  assert_int_equal(unlink(path), 0);
  write_in(dir, "real.json", policy_json, strlen(policy_json));
  assert_int_equal(symlink("real.json", path), 0);
  assert_int_equal(nv_pol_flux_secret_load_dir(dir, &fs, &d), NV_E_POLICY_NOT_REGULAR_FILE);
  assert_int_equal(unlink(path), 0);
  write_in(dir, "trustpolicy.json", policy_json, strlen(policy_json));
  bytes root = read_inline("rootCertPem.pem");
  write_bytes(dir, "root.crt", root);
  snprintf(path, sizeof(path), "%s/link.pem", dir);
  assert_int_equal(symlink("root.crt", path), 0);
  assert_int_equal(nv_pol_flux_secret_load_dir(dir, &fs, &d), NV_E_TRUSTSTORE_ENTRY_NOT_REGULAR);
  assert_int_equal(unlink(path), 0);
  /* a directory named like a certificate */
  snprintf(path, sizeof(path), "%s/dir.crt", dir);
  assert_int_equal(mkdir(path, 0700), 0);
  assert_int_equal(nv_pol_flux_secret_load_dir(dir, &fs, &d), NV_E_TRUSTSTORE_ENTRY_NOT_REGULAR);
  assert_int_equal(rmdir(path), 0);
  /* symlinks and directories under other names are ignored, as Flux ignores those keys */
  snprintf(path, sizeof(path), "%s/..data", dir);
  assert_int_equal(symlink(".", path), 0);
  /* a huge certificate file and a huge policy */
  snprintf(path, sizeof(path), "%s/huge.pem", dir);
  int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
  assert_true(fd >= 0);
  assert_int_equal(ftruncate(fd, (off_t)NV_LIMIT_CERT_FILE_BYTES + 1), 0);
  close(fd);
  assert_int_equal(nv_pol_flux_secret_load_dir(dir, &fs, &d), NV_E_TRUSTSTORE_TOO_LARGE);
  assert_int_equal(unlink(path), 0);
  assert_int_equal(nv_pol_flux_secret_load_dir(dir, &fs, &d), NV_OK);
  nv_pol_flux_secret_free(fs);
  snprintf(path, sizeof(path), "%s/trustpolicy.json", dir);
  fd = open(path, O_WRONLY | O_TRUNC, 0600);
  assert_true(fd >= 0);
  assert_int_equal(ftruncate(fd, (off_t)NV_LIMIT_POLICY_BYTES + 1), 0);
  close(fd);
  assert_int_equal(nv_pol_flux_secret_load_dir(dir, &fs, &d), NV_E_POLICY_TOO_LARGE);
  rm_tree(dir);
  assert_int_equal(nv_pol_flux_secret_load_dir(dir, &fs, &d), NV_E_NOT_FOUND);
  assert_int_equal(nv_pol_flux_secret_load_dir(NULL, &fs, &d), NV_E_INVALID_ARG);

  /* a bad certificate file names its key */
  flux_secret_dir(dir, sizeof(dir), true, true);
  static const char broken[] = "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n";
  write_in(dir, "broken.pem", broken, strlen(broken));
  assert_int_equal(nv_pol_flux_secret_load_dir(dir, &fs, &d), NV_OK);
  static const char *const refs[] = {"ca:x"};
  nv_pol_store *s = NULL;
  assert_int_equal(nv_pol_flux_secret_build_store(fs, refs, 1, NV_POL_FLUX_COMPAT, &s, &d),
                   NV_E_TRUSTSTORE_CERT_PARSE);
  assert_non_null(strstr(d.msg, "'broken.pem'"));
  nv_pol_flux_secret_free(fs);
  rm_tree(dir);
  free(root.data);
}

/* A Kubernetes secret volume: every key is "<key> -> ..data/<key>" and
 * "..data -> ..<timestamp>", a directory beside them. That shape is
 * followed; any other link is still refused. */
static void flux_kubernetes_volume(void **state)
{
  (void)state;
  char dir[600], path[800];
  flux_secret_dir(dir, sizeof(dir), false, false);
  snprintf(path, sizeof(path), "%s/..2026_11_27_10_00_00.123", dir);
  assert_int_equal(mkdir(path, 0700), 0);
  write_in(path, "trustpolicy.json", policy_json, strlen(policy_json));
  bytes root = read_inline("rootCertPem.pem");
  write_bytes(path, "root.crt", root);
  free(root.data);
  snprintf(path, sizeof(path), "%s/..data", dir);
  assert_int_equal(symlink("..2026_11_27_10_00_00.123", path), 0);
  snprintf(path, sizeof(path), "%s/trustpolicy.json", dir);
  assert_int_equal(symlink("..data/trustpolicy.json", path), 0);
  snprintf(path, sizeof(path), "%s/root.crt", dir);
  assert_int_equal(symlink("..data/root.crt", path), 0);

  nv_pol_flux_secret *fs = NULL;
  nv_diag d;
  nv_diag_init(&d);
  assert_int_equal(nv_pol_flux_secret_load_dir(dir, &fs, &d), NV_OK);
  assert_int_equal(nv_pol_flux_secret_cert_files(fs), 1);
  const uint8_t *policy = NULL;
  size_t len = 0;
  assert_int_equal(nv_pol_flux_secret_policy(fs, &policy, &len, &d), NV_OK);
  assert_int_equal(len, strlen(policy_json));
  nv_pol_flux_secret_free(fs);

  /* a key pointing anywhere but ..data/<key>: refused */
  snprintf(path, sizeof(path), "%s/other.pem", dir);
  assert_int_equal(symlink("..data/root.crt", path), 0);
  assert_int_equal(nv_pol_flux_secret_load_dir(dir, &fs, &d), NV_E_TRUSTSTORE_ENTRY_NOT_REGULAR);
  assert_non_null(strstr(d.msg, "'other.pem' in secret directory is not a regular file"));
  assert_int_equal(unlink(path), 0);

  /* ..data pointing outside the secret directory: refused */
  snprintf(path, sizeof(path), "%s/..data", dir);
  assert_int_equal(unlink(path), 0);
  assert_int_equal(symlink("../elsewhere", path), 0);
  nv_diag_init(&d);
  assert_int_not_equal(nv_pol_flux_secret_load_dir(dir, &fs, &d), NV_OK);
  assert_non_null(strstr(d.msg, "is not a regular file"));
  assert_int_equal(unlink(path), 0);
  assert_int_equal(symlink("/tmp", path), 0);
  assert_int_not_equal(nv_pol_flux_secret_load_dir(dir, &fs, &d), NV_OK);
  assert_null(fs);
  rm_tree(dir);
}

static void flux_key_values(void **state)
{
  (void)state;
  bytes root = read_inline("rootCertPem.pem");
  bytes inter = read_inline("intermediateCertPem1.pem");
  char *bundle = concat(inter, root);
  nv_pol_flux_secret *fs = NULL;
  nv_diag d;
  nv_diag_init(&d);
  assert_int_equal(nv_pol_flux_secret_new(&fs, &d), NV_OK);
  const uint8_t *policy = NULL;
  size_t len = 0;
  assert_int_equal(nv_pol_flux_secret_policy(fs, &policy, &len, &d), NV_E_POLICY_NOT_FOUND);
  static const char *const refs[] = {"ca:x", "tsa:t"};
  nv_pol_store *s = NULL;
  assert_int_equal(nv_pol_flux_secret_build_store(fs, refs, 2, 0, &s, &d), NV_E_TRUSTSTORE_EMPTY);
  assert_string_equal(d.msg, "no certificates found in secret");

  /* one key holding two PEM blocks: both are read (Flux reads the first) */
  assert_int_equal(nv_pol_flux_secret_add(fs, "bundle.pem", (const uint8_t *)bundle,
                                          strlen(bundle), &d),
                   NV_OK);
  assert_int_equal(nv_pol_flux_secret_add(fs, "notes.txt", (const uint8_t *)"x", 1, &d), NV_OK);
  assert_int_equal(nv_pol_flux_secret_add(fs, "ca.CRT", (const uint8_t *)"x", 1, &d), NV_OK);
  assert_int_equal(nv_pol_flux_secret_cert_files(fs), 1);
  assert_int_equal(nv_pol_flux_secret_add(fs, "bundle.pem", root.data, root.len, &d),
                   NV_E_INVALID_ARG);
  assert_int_equal(nv_pol_flux_secret_add(fs, "a/b.pem", root.data, root.len, &d),
                   NV_E_INVALID_ARG);
  assert_int_equal(nv_pol_flux_secret_add(fs, "", root.data, root.len, &d), NV_E_INVALID_ARG);
  assert_int_equal(nv_pol_flux_secret_add(fs, "big.pem", root.data, NV_LIMIT_CERT_FILE_BYTES + 1,
                                          &d),
                   NV_E_TRUSTSTORE_TOO_LARGE);
  assert_int_equal(nv_pol_flux_secret_add(fs, "trustpolicy.json", (const uint8_t *)policy_json,
                                          strlen(policy_json), &d),
                   NV_OK);
  assert_int_equal(nv_pol_flux_secret_add(fs, "trustpolicy.json", (const uint8_t *)policy_json,
                                          strlen(policy_json), &d),
                   NV_E_INVALID_ARG);
  assert_int_equal(nv_pol_flux_secret_policy(fs, &policy, &len, &d), NV_OK);
  assert_int_equal(len, strlen(policy_json));

  assert_int_equal(nv_pol_flux_secret_build_store(fs, refs, 2, 0, &s, &d), NV_OK);
  assert_int_equal(store_count(s, NV_POL_STORE_CA, "x"), 2);
  assert_int_equal(store_count(s, NV_POL_STORE_TSA, "t"), 1);
  nv_pol_store_free(s);
  nv_pol_flux_secret_free(fs);

  /* a tsa store that receives no root exists but is empty: selecting it fails */
  assert_int_equal(nv_pol_flux_secret_new(&fs, &d), NV_OK);
  assert_int_equal(nv_pol_flux_secret_add(fs, "inter.crt", inter.data, inter.len, &d), NV_OK);
  assert_int_equal(nv_pol_flux_secret_build_store(fs, refs, 2, 0, &s, &d), NV_OK);
  assert_int_equal(store_count(s, NV_POL_STORE_TSA, "t"), 0);
  nv_pol_certset *cs = NULL;
  assert_int_equal(nv_pol_store_select(s, refs, 2, NV_POL_STORE_TSA, &cs, &d),
                   NV_E_TRUSTSTORE_EMPTY);
  assert_string_equal(d.msg, "no x509 certificates were found in trust store \"t\" of type \"tsa\"");
  assert_int_equal(nv_pol_store_select(s, refs, 2, NV_POL_STORE_CA, &cs, &d), NV_OK);
  assert_int_equal(nv_pol_certset_count(cs), 1);
  nv_pol_certset_free(cs);
  nv_pol_store_free(s);
  nv_pol_flux_secret_free(fs);

  free(bundle);
  free(root.data);
  free(inter.data);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(reference_valid_stores),
    cmocka_unit_test(reference_invalid_stores),
    cmocka_unit_test(memory_store_formats),
    cmocka_unit_test(memory_store_rules),
    cmocka_unit_test(directory_rules),
    cmocka_unit_test(size_and_count_limits),
    cmocka_unit_test(select_by_type_and_dedup),
    cmocka_unit_test(one_shot_for_policy),
    cmocka_unit_test(authenticity_lookup),
    cmocka_unit_test(freeze_blocks_mutation),
    cmocka_unit_test(flux_default_and_compat),
    cmocka_unit_test(flux_errors),
    cmocka_unit_test(flux_key_values),
    cmocka_unit_test(flux_kubernetes_volume),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
