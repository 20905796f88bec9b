/* Distinguished names of trusted identities and leaf subjects
 * (notary-spec.md 13.6): policy/dn.c and x509/name.c. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "test_files.h"

#include <openssl/asn1.h>
#include <openssl/x509.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/nv_text.h"
#include "base/nv_buf.h"
#include "policy/nv_pol_dn.h"
#include "x509/nv_x509_certs.h"
#include "x509/nv_x509_name.h"

/* "T1=v1|T2=v2" in the DN's (sorted) order. */
static void canon(const nv_pol_dn *dn, char *out, size_t size)
{
  size_t o = 0;
  out[0] = '\0';
  for (size_t i = 0; i < dn->count && o < size; i++)
    o += (size_t)snprintf(out + o, size - o, "%s%s=%s", i ? "|" : "", dn->attrs[i].type,
                          dn->attrs[i].value);
}

static void parse_ok_at(const char *file, int line, const char *text, const char *want)
{
  nv_pol_dn dn;
  nv_diag d;
  nv_diag_init(&d);
  nv_status rc = nv_pol_dn_parse(text, &dn, &d);
  char got[1024];
  canon(&dn, got, sizeof(got));
  if (rc != NV_OK || strcmp(got, want) != 0) {
    print_error("%s:%d: DN '%s': expected OK '%s', got %s '%s' (%s)\n", file, line, text, want,
                nv_status_name(rc), got, d.msg);
    nv_pol_dn_free(&dn);
    fail();
  }
  nv_pol_dn_free(&dn);
}
#define PARSE_OK(text, want) parse_ok_at(__FILE__, __LINE__, text, want)

/* exact: compare the whole message; else `msg` must occur in it. */
static void parse_fail_at(const char *file, int line, const char *text, nv_status code,
                          const char *msg, bool exact)
{
  nv_pol_dn dn = {(nv_pol_dn_attr *)1, 99};
  nv_diag d;
  nv_diag_init(&d);
  nv_status rc = nv_pol_dn_parse(text, &dn, &d);
  bool msg_ok = exact ? strcmp(d.msg, msg) == 0 : strstr(d.msg, msg) != NULL;
  if (rc != code || !msg_ok || dn.attrs != NULL || dn.count != 0 || d.status != code) {
    print_error("%s:%d: DN '%s': expected %s '%s', got %s '%s'\n", file, line, text,
                nv_status_name(code), msg, nv_status_name(rc), d.msg);
    if (rc == NV_OK)
      nv_pol_dn_free(&dn);
    fail();
  }
}
#define PARSE_FAIL(text, msg) \
  parse_fail_at(__FILE__, __LINE__, text, NV_E_POLICY_IDENTITY_DN_INVALID, msg, false)
#define PARSE_FAIL_EXACT(text, msg) \
  parse_fail_at(__FILE__, __LINE__, text, NV_E_POLICY_IDENTITY_DN_INVALID, msg, true)

static void parse_valid(void **state)
{
  (void)state;
  PARSE_OK("C=US,ST=WA,O=Org", "C=US|O=Org|ST=WA");
  PARSE_OK("CN=Notation Test Root,O=Notary,L=Seattle,ST=WA,C=US",
           "C=US|CN=Notation Test Root|L=Seattle|O=Notary|ST=WA");
  /* spaces around types and values are trimmed, inner ones kept */
  PARSE_OK(" C = US , ST = W A , O = spaced   ", "C=US|O=spaced|ST=W A");
  /* ';' separates RDNs too; S is ST */
  PARSE_OK("C=US;S=WA;O=x\\;y", "C=US|O=x;y|ST=WA");
  /* escaped leading and trailing spaces are kept */
  PARSE_OK("C=US,ST=WA,O=\\ lead and trail\\ ", "C=US|O= lead and trail |ST=WA");
  /* unescaped spaces after an escaped one are still trailing */
  PARSE_OK("C=US,ST=WA,O=trail  \\   ", "C=US|O=trail   |ST=WA");
  /* hex escapes, including UTF-8 sequences */
  PARSE_OK("C=US,ST=WA,O=hex\\41\\42\\c3\\a9", "C=US|O=hexAB\xc3\xa9|ST=WA");
  /* every character escape */
  PARSE_OK("C=US,ST=WA,O=a\\,b\\+c\\\"d\\<e\\>f\\=g\\#h\\\\i\\;j", "C=US|O=a,b+c\"d<e>f=g#h\\i;j|ST=WA");
  /* specials that need no escape inside a value */
  PARSE_OK("C=US,ST=WA,O=a=b\"c<d>#", "C=US|O=a=b\"c<d>#|ST=WA");
  /* type names are kept as written */
  PARSE_OK("C=US,ST=WA,O=x,CustomRDN=v,cn=lower", "C=US|CustomRDN=v|O=x|ST=WA|cn=lower");
  /* a trailing separator, with or without space, ends the DN */
  PARSE_OK("C=US,ST=WA,O=x,", "C=US|O=x|ST=WA");
  PARSE_OK("C=US,ST=WA,O=x, ", "C=US|O=x|ST=WA");
  /* non-ASCII text as is */
  PARSE_OK("C=DE,ST=Bayern,O=M\xc3\xbcnchen", "C=DE|O=M\xc3\xbcnchen|ST=Bayern");
}

static void parse_invalid(void **state)
{
  (void)state;
  PARSE_FAIL_EXACT("C=bad=#identity,O=LOL,ST=LOL",
                   "unsupported distinguished name (DN) \"C=bad=#identity,O=LOL,ST=LOL\": "
                   "notation does not support x509.subject identities containing \"=#\"");
  PARSE_FAIL("CN=#0403414243,C=US,ST=WA,O=x", "containing \"=#\"");
  PARSE_FAIL_EXACT(",,,", "parsing distinguished name (DN) \",,,\" failed with err: incomplete "
                          "type, value pair. A valid DN must contain 'C', 'ST' or 'S', and 'O' "
                          "RDN attributes at a minimum, and follow RFC 4514 standard");
  PARSE_FAIL("invalid", "failed with err: DN ended with incomplete type, value pair. ");
  PARSE_FAIL_EXACT("OU=Sales+CN=J.  Smith,DC=example,DC=net",
                   "distinguished name (DN) \"OU=Sales+CN=J.  Smith,DC=example,DC=net\" has "
                   "multi-valued RDN attributes, remove multi-valued RDN attributes as they are "
                   "not supported");
  PARSE_FAIL_EXACT("C=US,ST=California,O=Notary Project,S=California",
                   "distinguished name (DN) \"C=US,ST=California,O=Notary Project,S=California\" "
                   "has duplicate RDN attribute for \"ST\", DN can only have unique RDN "
                   "attributes");
  PARSE_FAIL("C=US,C=US,ST=WA,O=x", "duplicate RDN attribute for \"C\"");
  /* stricter than notation-go: a repeat after an empty value */
  PARSE_FAIL("O=,O=x,C=US,ST=WA", "duplicate RDN attribute for \"O\"");
  /* mandatory attributes, checked in the order C, ST, O */
  PARSE_FAIL_EXACT("C=US,ST=WA", "distinguished name (DN) \"C=US,ST=WA\" has no mandatory RDN "
                                 "attribute for \"O\", it must contain 'C', 'ST' or 'S', and 'O' "
                                 "RDN attributes at a minimum");
  PARSE_FAIL("C=US,O=x", "no mandatory RDN attribute for \"ST\"");
  PARSE_FAIL("ST=WA,O=x", "no mandatory RDN attribute for \"C\"");
  PARSE_FAIL("C=,ST=WA,O=x", "no mandatory RDN attribute for \"C\"");
  PARSE_FAIL("", "no mandatory RDN attribute for \"C\"");
  PARSE_FAIL("c=US,st=WA,o=x", "no mandatory RDN attribute for \"C\"");
  /* stricter than notation-go: empty values and types */
  PARSE_FAIL("C=US,ST=WA,O=x,OU=", "has an empty value for RDN attribute \"OU\"");
  PARSE_FAIL("C=US,ST=WA,O=x,OU=,L=y", "has an empty value for RDN attribute \"OU\"");
  PARSE_FAIL("=x,C=US,ST=WA,O=x", "incomplete type, value pair");
  PARSE_FAIL(" =x,C=US,ST=WA,O=x", "incomplete type, value pair");
  PARSE_FAIL("C=US+", "DN ended with incomplete type, value pair");
  PARSE_FAIL("C=US+,ST=WA,O=x", "incomplete type, value pair");
  /* escapes */
  PARSE_FAIL("C=US,ST=WA,O=x\\", "got corrupted escaped character");
  PARSE_FAIL("C=US,ST=WA,O=\\4", "got corrupted escaped character");
  PARSE_FAIL("C=US,ST=WA,O=\\4g", "failed to decode escaped character");
  PARSE_FAIL("C=US,ST=WA,O=\\ff", "not valid UTF-8");
  PARSE_FAIL("C=US,ST=WA,O=\\c3", "not valid UTF-8");
  PARSE_FAIL("C=US,ST=WA,O=\\ed\\a0\\80", "not valid UTF-8"); /* a UTF-16 surrogate */
  PARSE_FAIL("C=US,ST=WA,O=\\c0\\af", "not valid UTF-8");     /* overlong '/' */
  PARSE_FAIL("C=US,ST=WA,\\ff=x,O=x", "not valid UTF-8");
  PARSE_FAIL("C=US,ST=WA,O=nul\\00x", "escaped NUL byte");
  /* notation-go's order: RDN by RDN */
  PARSE_FAIL("C=US,C=UK,ST=WA+O=x", "duplicate RDN attribute for \"C\"");
  PARSE_FAIL("C=US+ST=WA,C=UK,O=x", "multi-valued RDN attributes");
  PARSE_FAIL("C=US,ST=WA,O=x,O=y,OU=a+CN=b", "duplicate RDN attribute for \"O\"");
  /* multi-valued before the mandatory check */
  PARSE_FAIL("C=US+ST=WA", "multi-valued");
}

static void parse_limits_and_args(void **state)
{
  (void)state;
  char text[4096];
  size_t o = (size_t)snprintf(text, sizeof(text), "C=US,ST=WA,O=x");
  for (int i = 3; i < NV_POL_DN_MAX_ATTRS; i++)
    o += (size_t)snprintf(text + o, sizeof(text) - o, ",T%d=v", i);
  nv_pol_dn dn;
  nv_diag d;
  nv_diag_init(&d);
  assert_int_equal(nv_pol_dn_parse(text, &dn, &d), NV_OK);
  assert_int_equal(dn.count, NV_POL_DN_MAX_ATTRS);
  assert_string_equal(nv_pol_dn_get(&dn, "T100"), "v");
  nv_pol_dn_free(&dn);
  assert_int_equal(dn.count, 0);
  snprintf(text + o, sizeof(text) - o, ",X=y");
  assert_int_equal(nv_pol_dn_parse(text, &dn, &d), NV_E_LIMIT);
  assert_non_null(strstr(d.msg, "more than 128 attributes"));
  assert_null(dn.attrs);
  assert_int_equal(nv_pol_dn_parse(NULL, &dn, &d), NV_E_INVALID_ARG);
  assert_int_equal(nv_pol_dn_parse("C=US,ST=WA,O=x", NULL, &d), NV_E_INVALID_ARG);
  /* a NULL diag is allowed */
  assert_int_equal(nv_pol_dn_parse("C=US", &dn, NULL), NV_E_POLICY_IDENTITY_DN_INVALID);
  assert_null(nv_pol_dn_get(NULL, "C"));
}

static bool subset(const char *a, const char *b)
{
  nv_pol_dn x, y;
  assert_int_equal(nv_pol_dn_parse(a, &x, NULL), NV_OK);
  assert_int_equal(nv_pol_dn_parse(b, &y, NULL), NV_OK);
  bool r = nv_pol_dn_is_subset(&x, &y);
  nv_pol_dn_free(&x);
  nv_pol_dn_free(&y);
  return r;
}

static void subset_rules(void **state)
{
  (void)state;
  assert_true(subset("C=US,ST=WA,O=Org", "O=Org,ST=WA,C=US"));
  assert_true(subset("C=US,ST=WA,O=Org", "C=US,ST=WA,O=Org,OU=Eng,CN=x"));
  assert_false(subset("C=US,ST=WA,O=Org,OU=Eng,CN=x", "C=US,ST=WA,O=Org"));
  assert_false(subset("C=US,ST=WA,O=Org", "C=US,ST=WA,O=org"));       /* value case */
  assert_false(subset("C=US,ST=WA,O=Org,X=1", "C=US,ST=WA,O=Org,x=1")); /* type case */
  assert_false(subset("C=US,ST=WA,O=Org ", "C=US,ST=WA,O=Org\\ "));  /* trimmed vs kept */
  assert_true(subset("C=US,S=WA,O=Org", "C=US,ST=WA,O=Org"));
  assert_false(subset("C=US,ST=WA,O=Org,Z=1", "C=US,ST=WA,O=Org,A=1,Y=1,ZZ=1"));
  assert_true(subset("C=US,ST=WA,O=Org,Z=1", "A=0,C=US,ST=WA,O=Org,Y=1,Z=1,ZZ=1"));
  nv_pol_dn empty = {NULL, 0}, x;
  assert_int_equal(nv_pol_dn_parse("C=US,ST=WA,O=Org", &x, NULL), NV_OK);
  assert_true(nv_pol_dn_is_subset(&empty, &x));
  assert_false(nv_pol_dn_is_subset(&x, &empty));
  assert_false(nv_pol_dn_is_subset(&x, NULL));
  nv_pol_dn_free(&x);
}

static void quoting(void **state)
{
  (void)state;
  char buf[64];
  size_t len = 0;
  nv_quote_go(buf, sizeof(buf), &len, "a\"b\\c\n\t\x01\x7f\xc3\xa9\xff");
  assert_string_equal(buf, "\"a\\\"b\\\\c\\n\\t\\x01\\x7f\xc3\xa9\\xff\"");
  assert_int_equal(len, strlen(buf));
  /* appends */
  nv_quote_go(buf, sizeof(buf), &len, "x");
  assert_string_equal(buf + len - 3, "\"x\"");
  /* too long: cut, marked, still quoted and terminated */
  char small[12];
  len = 0;
  nv_quote_go(small, sizeof(small), &len, "abcdefghijklmnop");
  assert_string_equal(small, "\"abcdef...\"");
  /* a multi-byte character is not split */
  len = 0;
  nv_quote_go(small, sizeof(small), &len, "abcde\xc3\xa9\xc3\xa9");
  assert_string_equal(small, "\"abcde...\"");
}

/* ---------- certificates ---------- */

static X509 *load_pem(const char *rel)
{
  bytes b = slurp_in(NV_VECTORS, rel);
  nv_x509_list l;
  nv_x509_list_init(&l);
  assert_int_equal(nv_x509_read_certs(b.data, b.len, rel, &l, NULL), NV_OK);
  bytes_free(&b);
  assert_true(l.count >= 1);
  X509 *x = l.items[0];
  X509_up_ref(x);
  nv_x509_list_free(&l);
  return x;
}

typedef struct ent {
  const char *field;
  int type; /* MBSTRING_UTF8, V_ASN1_* */
  const char *value;
  int len;  /* -1: strlen */
  int set;  /* 0: new RDN, -1: join the previous RDN */
} ent;

static X509 *make_cert(const ent *e, size_t n)
{
  X509 *x = X509_new();
  X509_NAME *name = X509_NAME_new();
  assert_non_null(x);
  assert_non_null(name);
  for (size_t i = 0; i < n; i++)
    if (X509_NAME_add_entry_by_txt(name, e[i].field, e[i].type,
                                   (const unsigned char *)e[i].value, e[i].len, -1,
                                   e[i].set) != 1) {
      print_error("cannot add %s=%s to a test certificate\n", e[i].field, e[i].value);
      fail();
    }
  assert_int_equal(X509_set_subject_name(x, name), 1);
  X509_NAME_free(name);
  return x;
}

#define U MBSTRING_UTF8
#define BASE3 {"C", U, "US", -1, 0}, {"ST", U, "WA", -1, 0}, {"O", U, "Org", -1, 0}

static void leaf_fail_at(const char *file, int line, X509 *x, const char *msg)
{
  nv_pol_dn dn = {(nv_pol_dn_attr *)1, 7};
  nv_diag d;
  nv_diag_init(&d);
  nv_status rc = nv_pol_dn_from_cert(x, &dn, &d);
  if (rc != NV_E_LEAF_SUBJECT_UNPARSABLE || strstr(d.msg, msg) == NULL ||
      strstr(d.msg, "only the \"*\" trusted identity can match") == NULL || dn.count != 0 ||
      dn.attrs != NULL) {
    print_error("%s:%d: expected NV_E_LEAF_SUBJECT_UNPARSABLE '%s', got %s '%s'\n", file, line,
                msg, nv_status_name(rc), d.msg);
    if (rc == NV_OK)
      nv_pol_dn_free(&dn);
    X509_free(x);
    fail();
  }
  X509_free(x);
}
#define LEAF_FAIL(x, msg) leaf_fail_at(__FILE__, __LINE__, x, msg)

static void leaf_signing_cert(void **state)
{
  (void)state;
  X509 *x = load_pem("notation-go/verifier/testdata/verifier/signing-cert.pem");
  nv_pol_dn dn;
  nv_diag d;
  nv_diag_init(&d);
  assert_int_equal(nv_pol_dn_from_cert(x, &dn, &d), NV_OK);
  char got[512];
  canon(&dn, got, sizeof(got));
  assert_string_equal(got, "C=US|CN=SomeCN|L=Seattle|O=SomeOrg|OU=SomeOU|ST=WA");
  nv_pol_dn policy;
  assert_int_equal(nv_pol_dn_parse("C=US,O=SomeOrg,ST=WA", &policy, &d), NV_OK);
  assert_true(nv_pol_dn_is_subset(&policy, &dn));
  nv_pol_dn_free(&policy);
  assert_int_equal(nv_pol_dn_parse("C=IND,O=SomeOrg,ST=TS", &policy, &d), NV_OK);
  assert_false(nv_pol_dn_is_subset(&policy, &dn));
  nv_pol_dn_free(&policy);
  nv_pol_dn_free(&dn);

  /* the flat attribute list behind it, in DER order */
  nv_x509_name name;
  assert_int_equal(nv_x509_subject_attrs(x, &name, &d), NV_OK);
  assert_int_equal(name.count, 6);
  assert_string_equal(name.attrs[0].type, "C");
  assert_string_equal(name.attrs[0].value, "US");
  for (size_t i = 0; i < name.count; i++)
    assert_int_equal(name.attrs[i].rdn, i);
  nv_x509_name_free(&name);
  assert_int_equal(name.count, 0);
  X509_free(x);
}

static void leaf_cn_only(void **state)
{
  (void)state;
  static const char *const files[] = {
    "inline/notation-core-go/x509/codeSigningLeafPem.pem",
    "inline/notation-core-go/x509/validNoOptionsLeafPem.pem",
    "inline/notation-core-go/x509/rootCertPem.pem",
  };
  for (size_t i = 0; i < 3; i++)
    LEAF_FAIL(load_pem(files[i]), "it has no C attribute");
}

static void leaf_generated(void **state)
{
  (void)state;
  /* every name Go prints, and a BMPString value */
  static const unsigned char bmp[] = {0x00, 'B', 0x00, 'm', 0x00, 0xe9};
  ent all[] = {
    BASE3,
    {"L", U, "Seattle", -1, 0},
    {"OU", V_ASN1_BMPSTRING, (const char *)bmp, (int)sizeof(bmp), 0},
    {"CN", U, "leaf", -1, 0},
    {"street", U, "1 Main St", -1, 0},
    {"postalCode", U, "98101", -1, 0},
    {"serialNumber", U, "1234", -1, 0},
  };
  X509 *x = make_cert(all, 9);
  nv_pol_dn dn;
  nv_diag d;
  nv_diag_init(&d);
  assert_int_equal(nv_pol_dn_from_cert(x, &dn, &d), NV_OK);
  char got[512];
  canon(&dn, got, sizeof(got));
  assert_string_equal(got, "C=US|CN=leaf|L=Seattle|O=Org|OU=Bm\xc3\xa9|POSTALCODE=98101|"
                           "SERIALNUMBER=1234|ST=WA|STREET=1 Main St");
  nv_pol_dn_free(&dn);
  X509_free(x);

  /* an attribute Go prints as an OID */
  ent email[] = {BASE3, {"emailAddress", V_ASN1_IA5STRING, "a@b.c", -1, 0}};
  x = make_cert(email, 4);
  nv_x509_name name;
  assert_int_equal(nv_x509_subject_attrs(x, &name, &d), NV_OK);
  assert_string_equal(name.attrs[3].type, "1.2.840.113549.1.9.1");
  assert_string_equal(name.attrs[3].value, "a@b.c");
  nv_x509_name_free(&name);
  LEAF_FAIL(x, "it has attribute 1.2.840.113549.1.9.1");

  ent title[] = {BASE3, {"title", U, "boss", -1, 0}};
  LEAF_FAIL(make_cert(title, 4), "it has attribute 2.5.4.12");

  /* a multi-valued RDN */
  ent multi[] = {BASE3, {"CN", U, "a", -1, 0}, {"OU", U, "b", -1, -1}};
  x = make_cert(multi, 5);
  assert_int_equal(nv_x509_subject_attrs(x, &name, &d), NV_OK);
  assert_int_equal(name.count, 5);
  assert_int_equal(name.attrs[3].rdn, 3);
  assert_int_equal(name.attrs[4].rdn, 3);
  nv_x509_name_free(&name);
  LEAF_FAIL(x, "multi-valued RDN");

  ent two_ou[] = {BASE3, {"OU", U, "a", -1, 0}, {"OU", U, "b", -1, 0}};
  LEAF_FAIL(make_cert(two_ou, 5), "attribute OU appears more than once");
  ent two_cn[] = {BASE3, {"CN", U, "a", -1, 0}, {"CN", U, "b", -1, 0}};
  LEAF_FAIL(make_cert(two_cn, 5), "attribute CN appears more than once");
  ent eqhash[] = {BASE3, {"CN", U, "x=#41", -1, 0}};
  LEAF_FAIL(make_cert(eqhash, 4), "contains \"=#\"");
  ent no_st[] = {{"C", U, "US", -1, 0}, {"O", U, "Org", -1, 0}, {"CN", U, "x", -1, 0}};
  LEAF_FAIL(make_cert(no_st, 3), "it has no ST attribute");
  ent empty_o[] = {{"C", U, "US", -1, 0}, {"ST", U, "WA", -1, 0}, {"O", V_ASN1_UTF8STRING, "", 0, 0}};
  LEAF_FAIL(make_cert(empty_o, 3), "it has no O attribute");
  ent nul[] = {BASE3, {"CN", V_ASN1_UTF8STRING, "a\0b", 3, 0}};
  LEAF_FAIL(make_cert(nul, 4), "holds a NUL byte");
  ent octets[] = {BASE3, {"CN", V_ASN1_BIT_STRING, "ab", 2, 0}};
  LEAF_FAIL(make_cert(octets, 4), "not a string");
  /* a value that is fine because '#' does not follow '=' */
  ent hash_ok[] = {BASE3, {"CN", U, "#1=x", -1, 0}};
  x = make_cert(hash_ok, 4);
  assert_int_equal(nv_pol_dn_from_cert(x, &dn, &d), NV_OK);
  assert_string_equal(nv_pol_dn_get(&dn, "CN"), "#1=x");
  nv_pol_dn_free(&dn);
  X509_free(x);

  /* an empty value is kept; no policy DN can ask for it */
  ent empty_ou[] = {BASE3, {"OU", V_ASN1_UTF8STRING, "", 0, 0}};
  x = make_cert(empty_ou, 4);
  assert_int_equal(nv_pol_dn_from_cert(x, &dn, &d), NV_OK);
  assert_int_equal(dn.count, 4);
  assert_string_equal(nv_pol_dn_get(&dn, "OU"), "");
  nv_pol_dn_free(&dn);
  X509_free(x);

  /* more attributes than the x509 layer reads */
  X509 *big = X509_new();
  X509_NAME *bn = X509_NAME_new();
  for (int i = 0; i < NV_X509_NAME_MAX_ATTRS + 1; i++)
    assert_int_equal(X509_NAME_add_entry_by_txt(bn, "OU", U, (const unsigned char *)"x", -1, -1,
                                                0),
                     1);
  X509_set_subject_name(big, bn);
  X509_NAME_free(bn);
  assert_int_equal(nv_x509_subject_attrs(big, &name, &d), NV_E_LIMIT);
  assert_int_equal(name.count, 0);
  LEAF_FAIL(big, "more than the limit");

  /* arguments */
  assert_int_equal(nv_pol_dn_from_cert(NULL, &dn, &d), NV_E_INVALID_ARG);
  assert_int_equal(nv_x509_subject_attrs(NULL, &name, &d), NV_E_INVALID_ARG);
  X509 *empty = X509_new();
  assert_int_equal(nv_x509_subject_attrs(empty, &name, &d), NV_OK);
  assert_int_equal(name.count, 0);
  LEAF_FAIL(empty, "it has no C attribute");
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(parse_valid),
    cmocka_unit_test(parse_invalid),
    cmocka_unit_test(parse_limits_and_args),
    cmocka_unit_test(subset_rules),
    cmocka_unit_test(quoting),
    cmocka_unit_test(leaf_signing_cert),
    cmocka_unit_test(leaf_cn_only),
    cmocka_unit_test(leaf_generated),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
