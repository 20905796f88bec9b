/*
 * nv-wycheproof FILE...: runs Project Wycheproof signature-verification
 * vectors (ECDSA P-256/384/521 with IEEE P1363 r||s signatures,
 * RSASSA-PSS with MGF1 and salt = hash length) through
 * nv_x509_verify_signature(), the one function every envelope signature
 * of the library is verified with.
 *
 * "valid" must verify and "invalid" must be rejected. "acceptable" (legal
 * but discouraged encodings; none in the vendored files) must be rejected
 * too: a verifier of signatures made by Notary signers has no reason to
 * accept an unusual encoding. PSS runs under the Notary rule, salt length
 * = hash length (what COSE envelopes get); JWS envelopes accept any salt
 * length as notation-go does (docs/compat.md), so the vectors' salt-length
 * cases speak only for COSE. Prints one line per failing test, then
 * "N passed, N failed"; exits 0 only when nothing failed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/nv_buf.h"
#include "base/nv_json.h"
#include "base/nv_sigalg.h"
#include "vectors_util.h"
#include "x509/nv_x509_keys.h"
#include "x509/nv_x509_sig.h"

#define FILE_MAX_BYTES ((size_t)16 << 20)

typedef struct tally {
  size_t passed;
  size_t failed;
} tally;

static const char *base_name(const char *path)
{
  const char *slash = strrchr(path, '/');
  return slash != NULL ? slash + 1 : path;
}

/* The Notary algorithm of a test group, from the file's schema and the
 * group's hash (and, for PSS, the MGF hash and salt length, which must be
 * the Notary ones). NV_SIG_NONE if the group is outside the Notary set. */
static nv_sig_alg group_alg(const char *schema, const nv_json *g)
{
  const char *sha = nv_json_string(nv_json_member(g, "sha"));
  if (sha == NULL || schema == NULL)
    return NV_SIG_NONE;
  bool ecdsa = strncmp(schema, "ecdsa_p1363_verify", 18) == 0;
  bool pss = strncmp(schema, "rsassa_pss_verify", 17) == 0;
  static const struct {
    const char *sha;
    nv_sig_alg ec, pss;
    double salt;
  } map[] = {{"SHA-256", NV_SIG_ES256, NV_SIG_PS256, 32},
             {"SHA-384", NV_SIG_ES384, NV_SIG_PS384, 48},
             {"SHA-512", NV_SIG_ES512, NV_SIG_PS512, 64}};
  for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++) {
    if (strcmp(sha, map[i].sha) != 0)
      continue;
    if (ecdsa)
      return map[i].ec;
    if (!pss)
      return NV_SIG_NONE;
    const char *mgf = nv_json_string(nv_json_member(g, "mgf"));
    const char *mgf_sha = nv_json_string(nv_json_member(g, "mgfSha"));
    double slen = -1;
    if (mgf == NULL || strcmp(mgf, "MGF1") != 0 || mgf_sha == NULL ||
        strcmp(mgf_sha, sha) != 0 || !nv_json_number(nv_json_member(g, "sLen"), &slen) ||
        slen != map[i].salt)
      return NV_SIG_NONE;
    return map[i].pss;
  }
  return NV_SIG_NONE;
}

static void fail(tally *t, const char *file, double tc, const char *comment, const char *why)
{
  printf("FAIL %s tcId %.0f: %s (%s)\n", file, tc, comment != NULL ? comment : "", why);
  t->failed++;
}

static void run_test(tally *t, const char *file, EVP_PKEY *key, nv_sig_alg alg,
                     const nv_json *test)
{
  double tc = -1;
  nv_json_number(nv_json_member(test, "tcId"), &tc);
  const char *comment = nv_json_string(nv_json_member(test, "comment"));
  const char *result = nv_json_string(nv_json_member(test, "result"));
  const char *msg_hex = nv_json_string(nv_json_member(test, "msg"));
  const char *sig_hex = nv_json_string(nv_json_member(test, "sig"));
  nv_buf msg, sig;
  nv_buf_init(&msg, FILE_MAX_BYTES);
  nv_buf_init(&sig, FILE_MAX_BYTES);
  if (result == NULL || msg_hex == NULL || sig_hex == NULL || !hex_decode(msg_hex, &msg) ||
      !hex_decode(sig_hex, &sig)) {
    fail(t, file, tc, comment, "malformed test: result, msg and sig must be hex strings");
  } else {
    nv_diag d;
    nv_diag_init(&d);
    nv_status rc = nv_x509_verify_signature(key, alg, NV_PSS_SALT_DIGEST, msg.data, msg.len,
                                            sig.data, sig.len, &d);
    bool want_ok = strcmp(result, "valid") == 0;
    if (!want_ok && strcmp(result, "invalid") != 0 && strcmp(result, "acceptable") != 0) {
      fail(t, file, tc, comment, "unknown result value");
    } else if (want_ok && rc != NV_OK) {
      char why[NV_DIAG_MSG_MAX + 32];
      snprintf(why, sizeof(why), "valid signature rejected: %s", d.msg);
      fail(t, file, tc, comment, why);
    } else if (!want_ok && rc == NV_OK) {
      fail(t, file, tc, comment, "invalid signature accepted");
    } else if (!want_ok && rc != NV_E_SIGNATURE_INVALID) {
      char why[NV_DIAG_MSG_MAX + 64];
      snprintf(why, sizeof(why), "rejected with %d instead of NV_E_SIGNATURE_INVALID: %s",
               (int)rc, d.msg);
      fail(t, file, tc, comment, why);
    } else {
      t->passed++;
    }
  }
  nv_buf_free(&msg);
  nv_buf_free(&sig);
}

static void run_group(tally *t, const char *file, const char *schema, const nv_json *g)
{
  const nv_json *tests = nv_json_member(g, "tests");
  size_t n = nv_json_type_of(tests) == NV_JSON_ARRAY ? nv_json_count(tests) : 0;
  nv_sig_alg alg = group_alg(schema, g);
  const char *der_hex = nv_json_string(nv_json_member(g, "publicKeyDer"));
  nv_buf der;
  nv_buf_init(&der, FILE_MAX_BYTES);
  EVP_PKEY *key = NULL;
  nv_diag d;
  nv_diag_init(&d);
  const char *problem = NULL;
  if (alg == NV_SIG_NONE)
    problem = "test group outside the Notary algorithm set";
  else if (der_hex == NULL || !hex_decode(der_hex, &der))
    problem = "test group without a hex publicKeyDer";
  else if (nv_x509_pubkey_from_spki(der.data, der.len, &key, &d) != NV_OK)
    problem = d.msg;
  for (size_t i = 0; i < n; i++) {
    const nv_json *test = nv_json_at(tests, i);
    if (problem != NULL) {
      double tc = -1;
      nv_json_number(nv_json_member(test, "tcId"), &tc);
      fail(t, file, tc, nv_json_string(nv_json_member(test, "comment")), problem);
    } else {
      run_test(t, file, key, alg, test);
    }
  }
  nv_x509_pubkey_free(key);
  nv_buf_free(&der);
}

static bool run_file(tally *t, const char *path)
{
  nv_buf text;
  nv_buf_init(&text, FILE_MAX_BYTES);
  nv_json *doc = NULL;
  nv_diag d;
  nv_diag_init(&d);
  if (!read_whole_file(path, &text, &d) ||
      nv_json_parse(text.data, text.len, FILE_MAX_BYTES, "Wycheproof file", &doc, &d) != NV_OK) {
    printf("FAIL %s: %s\n", base_name(path), d.msg);
    nv_buf_free(&text);
    return false;
  }
  nv_buf_free(&text);
  const char *schema = nv_json_string(nv_json_member(doc, "schema"));
  const nv_json *groups = nv_json_member(doc, "testGroups");
  double declared = -1;
  nv_json_number(nv_json_member(doc, "numberOfTests"), &declared);
  size_t before = t->passed + t->failed;
  size_t n = nv_json_type_of(groups) == NV_JSON_ARRAY ? nv_json_count(groups) : 0;
  for (size_t i = 0; i < n; i++)
    run_group(t, base_name(path), schema, nv_json_at(groups, i));
  size_t ran = t->passed + t->failed - before;
  nv_json_free(doc);
  if (declared != (double)ran) {
    printf("FAIL %s: ran %zu tests, the file declares %.0f\n", base_name(path), ran, declared);
    return false;
  }
  return true;
}

int main(int argc, char **argv)
{
  if (argc < 2) {
    fprintf(stderr, "usage: nv-wycheproof FILE...\n");
    return 2;
  }
  tally t = {0, 0};
  bool files_ok = true;
  for (int i = 1; i < argc; i++)
    files_ok = run_file(&t, argv[i]) && files_ok;
  printf("%zu passed, %zu failed\n", t.passed, t.failed);
  return t.failed == 0 && files_ok ? 0 : 1;
}
