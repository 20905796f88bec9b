#include "x509/nv_x509_name.h"

#include <openssl/asn1.h>
#include <openssl/err.h>
#include <openssl/objects.h>
#include <openssl/x509.h>
#include <stdlib.h>
#include <string.h>

/* The attribute types Go's pkix.Name.String() prints by name; it prints
 * every other type as its dotted OID. */
static const struct {
  int nid;
  const char *name;
} go_names[] = {
  {NID_countryName, "C"},
  {NID_stateOrProvinceName, "ST"},
  {NID_localityName, "L"},
  {NID_organizationName, "O"},
  {NID_organizationalUnitName, "OU"},
  {NID_commonName, "CN"},
  {NID_streetAddress, "STREET"},
  {NID_postalCode, "POSTALCODE"},
  {NID_serialNumber, "SERIALNUMBER"},
};

void nv_x509_name_free(nv_x509_name *name)
{
  if (name == NULL)
    return;
  for (size_t i = 0; i < name->count; i++) {
    free(name->attrs[i].type);
    free(name->attrs[i].value);
  }
  free(name->attrs);
  name->attrs = NULL;
  name->count = 0;
}

/* The Go spelling of the entry's type, or its dotted OID (malloc'd). */
static char *type_name(const ASN1_OBJECT *obj)
{
  int nid = OBJ_obj2nid(obj);
  if (nid != NID_undef)
    for (size_t i = 0; i < sizeof(go_names) / sizeof(go_names[0]); i++)
      if (go_names[i].nid == nid)
        return strdup(go_names[i].name);
  char oid[128];
  int n = OBJ_obj2txt(oid, (int)sizeof(oid), obj, 1);
  if (n <= 0 || (size_t)n >= sizeof(oid))
    return strdup("(unprintable OID)");
  return strdup(oid);
}

nv_status nv_x509_subject_attrs(X509 *cert, nv_x509_name *out, nv_diag *d)
{
  if (out == NULL)
    return nv_diag_set(d, NV_E_INVALID_ARG, "nv_x509_subject_attrs: out is NULL");
  out->attrs = NULL;
  out->count = 0;
  if (cert == NULL)
    return nv_diag_set(d, NV_E_INVALID_ARG, "nv_x509_subject_attrs: certificate is NULL");
  const X509_NAME *name = X509_get_subject_name(cert);
  int count = name != NULL ? X509_NAME_entry_count(name) : 0;
  if (count <= 0)
    return NV_OK;
  if ((size_t)count > NV_X509_NAME_MAX_ATTRS)
    return nv_diag_set(d, NV_E_LIMIT,
                       "certificate subject has %d attributes, more than the limit of %d", count,
                       NV_X509_NAME_MAX_ATTRS);
  nv_x509_name_attr *attrs = calloc((size_t)count, sizeof(*attrs));
  if (attrs == NULL)
    return nv_diag_set(d, NV_E_NOMEM, "out of memory reading the certificate subject");
  out->attrs = attrs;
  nv_status rc = NV_OK;
  int first_set = 0;
  for (int i = 0; i < count; i++) {
    const X509_NAME_ENTRY *entry = X509_NAME_get_entry(name, i);
    if (entry == NULL) {
      rc = nv_diag_set(d, NV_E_CERT_PARSE, "certificate subject attribute %d is missing", i);
      break;
    }
    int set = X509_NAME_ENTRY_set(entry);
    if (i == 0)
      first_set = set;
    nv_x509_name_attr *a = &attrs[i];
    out->count = (size_t)i + 1;
    a->rdn = set >= first_set ? (size_t)(set - first_set) : 0;
    a->type = type_name(X509_NAME_ENTRY_get_object(entry));
    if (a->type == NULL) {
      rc = nv_diag_set(d, NV_E_NOMEM, "out of memory reading the certificate subject");
      break;
    }
    const ASN1_STRING *data = X509_NAME_ENTRY_get_data(entry);
    unsigned char *utf8 = NULL;
    int n = data != NULL ? ASN1_STRING_to_UTF8(&utf8, data) : -1;
    if (n < 0) {
      ERR_clear_error();
      rc = nv_diag_set(d, NV_E_CERT_PARSE,
                       "certificate subject attribute %s has a value that is not a string",
                       a->type);
      break;
    }
    a->value = malloc((size_t)n + 1);
    if (a->value == NULL) {
      OPENSSL_free(utf8);
      rc = nv_diag_set(d, NV_E_NOMEM, "out of memory reading the certificate subject");
      break;
    }
    if (n > 0)
      memcpy(a->value, utf8, (size_t)n);
    a->value[n] = '\0';
    a->value_len = (size_t)n;
    OPENSSL_free(utf8);
  }
  if (rc != NV_OK)
    nv_x509_name_free(out);
  return rc;
}
