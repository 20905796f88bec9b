/*
 * The status table: name and sentence for every code of nv_errors.h.
 * tests/unit/base/test_status.c checks that every enumerator of the public
 * header has exactly one row here.
 */
#include <notaryc/nv_errors.h>

#include <stddef.h>

struct status_row {
  nv_status code;
  const char *name;
  const char *text;
};

#define ROW(code, text) { code, #code, text }

static const struct status_row rows[] = {
  ROW(NV_OK, "success"),
  ROW(NV_PASSTHROUGH, "callback passed; the default behaviour applies"),

  ROW(NV_E_GENERIC, "unspecified error"),
  ROW(NV_E_NOMEM, "out of memory"),
  ROW(NV_E_INVALID_ARG, "invalid argument"),
  ROW(NV_E_NOT_INITIALIZED, "library not initialised: call nv_global_init() first"),
  ROW(NV_E_UNSUPPORTED, "operation or input not supported"),
  ROW(NV_E_CALLBACK, "a callback aborted the operation"),
  ROW(NV_E_IO, "input/output error"),
  ROW(NV_E_LIMIT, "input exceeds a size, count or depth limit"),
  ROW(NV_E_PARSE, "malformed input"),
  ROW(NV_E_INTERNAL, "internal error"),
  ROW(NV_E_NOT_FOUND, "not found"),
  ROW(NV_E_PERMISSION, "permission denied"),
  ROW(NV_E_CRYPTO, "cryptographic library failure"),

  ROW(NV_E_JSON_SYNTAX, "malformed JSON"),
  ROW(NV_E_JSON_DEPTH, "JSON nested too deeply"),
  ROW(NV_E_JSON_DUPLICATE_MEMBER, "JSON object has a duplicate member"),
  ROW(NV_E_JSON_TYPE, "JSON value has the wrong type"),
  ROW(NV_E_JSON_MISSING_MEMBER, "required JSON member is missing"),
  ROW(NV_E_JSON_UNKNOWN_MEMBER, "JSON member is not allowed"),
  ROW(NV_E_JSON_NUMBER, "JSON number out of range or not an integer"),
  ROW(NV_E_JSON_ENCODING, "JSON text is not valid UTF-8 or contains an escaped NUL"),
  ROW(NV_E_BASE64, "invalid base64 encoding"),
  ROW(NV_E_TIME_FORMAT, "invalid RFC 3339 time"),
  ROW(NV_E_DIGEST_FORMAT, "invalid digest"),
  ROW(NV_E_DIGEST_UNSUPPORTED, "unsupported digest algorithm"),

  ROW(NV_E_NETWORK, "network error"),
  ROW(NV_E_TIMEOUT, "operation timed out"),
  ROW(NV_E_TLS, "TLS error"),
  ROW(NV_E_REGISTRY_AUTH, "registry authentication failed"),
  ROW(NV_E_REGISTRY_DENIED, "registry denied access"),
  ROW(NV_E_REGISTRY_PROTOCOL, "registry protocol error"),
  ROW(NV_E_REFERENCE_INVALID, "invalid artifact reference"),
  ROW(NV_E_RESOLVE_FAILED, "artifact reference could not be resolved"),
  ROW(NV_E_ARTIFACT_NOT_FOUND, "artifact not found"),
  ROW(NV_E_REFERRERS_LIST_FAILED, "listing signatures failed"),
  ROW(NV_E_FETCH_FAILED, "download failed"),
  ROW(NV_E_CONTENT_DIGEST_MISMATCH, "downloaded content does not match its digest"),
  ROW(NV_E_CONTENT_TOO_LARGE, "downloaded content exceeds its size limit"),
  ROW(NV_E_REDIRECT_REFUSED, "redirect refused"),
  ROW(NV_E_HTTP_STATUS, "unexpected HTTP status"),
  ROW(NV_E_OCI_LAYOUT_INVALID, "invalid OCI image layout"),
  ROW(NV_E_CREDENTIALS, "registry credentials could not be obtained"),
  ROW(NV_E_RESOLVED_DIGEST_MISMATCH, "registry resolved the reference to a different digest"),

  ROW(NV_E_POLICY_INVALID, "invalid trust policy"),
  ROW(NV_E_POLICY_NOT_FOUND, "trust policy not found"),
  ROW(NV_E_POLICY_NOT_REGULAR_FILE, "trust policy is not a regular file (symlinks are not supported)"),
  ROW(NV_E_POLICY_PERMISSION, "trust policy cannot be read: permission denied"),
  ROW(NV_E_POLICY_MALFORMED, "malformed trust policy"),
  ROW(NV_E_POLICY_TOO_LARGE, "trust policy exceeds the size limit"),
  ROW(NV_E_POLICY_VERSION_MISSING, "trust policy has no version"),
  ROW(NV_E_POLICY_VERSION_UNSUPPORTED, "trust policy version not supported"),
  ROW(NV_E_POLICY_EMPTY, "trust policy has no statements"),
  ROW(NV_E_POLICY_NAME_MISSING, "trust policy statement has no name"),
  ROW(NV_E_POLICY_NAME_DUPLICATE, "trust policy statement names are not unique"),
  ROW(NV_E_POLICY_LEVEL_MISSING, "signature verification level missing"),
  ROW(NV_E_POLICY_LEVEL_INVALID, "invalid signature verification level"),
  ROW(NV_E_POLICY_OVERRIDE_WITH_SKIP, "level skip cannot be customised with overrides"),
  ROW(NV_E_POLICY_OVERRIDE_TYPE_INVALID, "override names an unknown validation type"),
  ROW(NV_E_POLICY_OVERRIDE_ACTION_INVALID, "override names an unknown action"),
  ROW(NV_E_POLICY_OVERRIDE_INTEGRITY, "integrity validation cannot be overridden"),
  ROW(NV_E_POLICY_OVERRIDE_SKIP_NOT_ALLOWED, "only revocation validation can be skipped"),
  ROW(NV_E_POLICY_VERIFY_TIMESTAMP_INVALID, "verifyTimestamp must be \"always\" or \"afterCertExpiry\""),
  ROW(NV_E_POLICY_SKIP_HAS_STORES_OR_IDENTITIES, "level skip must not have trust stores or trusted identities"),
  ROW(NV_E_POLICY_MISSING_STORES_OR_IDENTITIES, "trust stores and trusted identities are both required"),
  ROW(NV_E_POLICY_TRUSTSTORE_MALFORMED, "trust store entry is not <type>:<name>"),
  ROW(NV_E_POLICY_TRUSTSTORE_TYPE_INVALID, "unsupported trust store type in trust policy"),
  ROW(NV_E_POLICY_TRUSTSTORE_NAME_INVALID, "invalid trust store name in trust policy"),
  ROW(NV_E_POLICY_IDENTITY_WILDCARD_MIXED, "wildcard identity combined with other identities"),
  ROW(NV_E_POLICY_IDENTITY_EMPTY, "empty trusted identity"),
  ROW(NV_E_POLICY_IDENTITY_NO_SEPARATOR, "trusted identity has no ':' separator"),
  ROW(NV_E_POLICY_IDENTITY_EMPTY_VALUE, "trusted identity has no value"),
  ROW(NV_E_POLICY_IDENTITY_DN_INVALID, "trusted identity is not a valid distinguished name"),
  ROW(NV_E_POLICY_IDENTITY_OVERLAP, "trusted identities overlap"),
  ROW(NV_E_POLICY_SCOPE_EMPTY, "trust policy statement has no registry scopes"),
  ROW(NV_E_POLICY_SCOPE_WILDCARD_MIXED, "wildcard scope combined with other scopes"),
  ROW(NV_E_POLICY_SCOPE_INVALID, "invalid registry scope"),
  ROW(NV_E_POLICY_SCOPE_DUPLICATE, "registry scope used by more than one statement"),
  ROW(NV_E_POLICY_GLOBAL_SKIP, "level skip is not allowed for the global scope"),
  ROW(NV_E_POLICY_BLOB_MULTIPLE_GLOBAL, "more than one global blob trust policy statement"),
  ROW(NV_E_POLICY_BLOB_GLOBAL_SKIP, "level skip is not allowed for the global blob policy"),
  ROW(NV_E_POLICY_UNKNOWN_MEMBER, "trust policy has an unknown member"),
  ROW(NV_E_POLICY_IDENTITY_PREFIX_UNSUPPORTED, "trusted identity prefix not supported"),

  ROW(NV_E_TRUSTSTORE_INVALID, "invalid trust store"),
  ROW(NV_E_TRUSTSTORE_TYPE_INVALID, "unsupported trust store type"),
  ROW(NV_E_TRUSTSTORE_NAME_INVALID, "invalid trust store name"),
  ROW(NV_E_TRUSTSTORE_NOT_FOUND, "trust store does not exist"),
  ROW(NV_E_TRUSTSTORE_NOT_DIRECTORY, "trust store is not a directory (symlinks are not supported)"),
  ROW(NV_E_TRUSTSTORE_ACCESS, "trust store cannot be read"),
  ROW(NV_E_TRUSTSTORE_ENTRY_NOT_REGULAR, "trust store contains a sub-directory or symlink"),
  ROW(NV_E_TRUSTSTORE_CERT_PARSE, "trust store certificate cannot be parsed"),
  ROW(NV_E_TRUSTSTORE_CERT_NOT_CA_OR_SELFSIGNED, "trust store certificate is neither a CA nor self-signed"),
  ROW(NV_E_TRUSTSTORE_TSA_CERT_NOT_ROOT, "TSA trust store certificate is not a root"),
  ROW(NV_E_TRUSTSTORE_EMPTY, "trust store has no certificates"),
  ROW(NV_E_TRUSTSTORE_TOO_LARGE, "trust store exceeds a size or count limit"),

  ROW(NV_E_VERIFICATION_FAILED, "signature verification failed"),
  ROW(NV_E_SKIPPED, "verification skipped: the trust policy level is skip"),
  ROW(NV_E_NO_APPLICABLE_POLICY, "no applicable trust policy"),
  ROW(NV_E_NO_SIGNATURES, "no signature is associated with the artifact"),
  ROW(NV_E_MAX_SIGNATURE_ATTEMPTS, "signature attempt limit reached"),
  ROW(NV_E_INCONCLUSIVE, "verification inconclusive"),

  ROW(NV_E_SIG_MANIFEST_MEDIATYPE, "signature manifest has an unsupported media type"),
  ROW(NV_E_SIG_MANIFEST_TOO_LARGE, "signature manifest exceeds the size limit"),
  ROW(NV_E_SIG_MANIFEST_PARSE, "malformed signature manifest"),
  ROW(NV_E_SIG_MANIFEST_LAYER_COUNT, "signature manifest must have exactly one envelope"),
  ROW(NV_E_SIG_MANIFEST_ARTIFACT_TYPE, "signature manifest has the wrong artifact or config type"),
  ROW(NV_E_SIG_MANIFEST_SUBJECT, "signature manifest subject is not the artifact"),
  ROW(NV_E_SIG_BLOB_TOO_LARGE, "signature envelope exceeds the size limit"),
  ROW(NV_E_SIG_FETCH_FAILED, "signature could not be downloaded"),
  ROW(NV_E_SIG_DIGEST_MISMATCH, "signature content does not match its digest"),

  ROW(NV_E_ENVELOPE_FORMAT_UNSUPPORTED, "signature envelope media type not supported"),
  ROW(NV_E_ENVELOPE_EMPTY, "signature envelope is empty"),
  ROW(NV_E_ENVELOPE_PARSE, "malformed signature envelope"),
  ROW(NV_E_ENVELOPE_TOO_LARGE, "signature envelope exceeds the size limit"),
  ROW(NV_E_CERT_CHAIN_MISSING, "certificate chain is not present"),
  ROW(NV_E_LEAF_CERT_MALFORMED, "malformed leaf certificate"),
  ROW(NV_E_CERT_PARSE, "certificate cannot be parsed"),
  ROW(NV_E_PROTECTED_HEADER_DECODE, "protected header cannot be decoded"),
  ROW(NV_E_SIGNING_SCHEME_UNSUPPORTED, "signing scheme missing or not supported"),
  ROW(NV_E_HEADER_NOT_ALLOWED_FOR_SCHEME, "header not allowed for the signing scheme"),
  ROW(NV_E_SIGNING_TIME_MISSING, "signing time not present"),
  ROW(NV_E_AUTHENTIC_SIGNING_TIME_MISSING, "authentic signing time not present"),
  ROW(NV_E_TIME_ENCODING_INVALID, "time header has an invalid encoding"),
  ROW(NV_E_CRIT_MISSING, "crit header missing or empty"),
  ROW(NV_E_CRIT_ENTRY_NOT_PRESENT, "header marked critical is not present"),
  ROW(NV_E_CRIT_REQUIRED_NOT_MARKED, "required header not marked critical"),
  ROW(NV_E_CRIT_INVALID_LABEL, "crit header lists a label that must not be listed"),
  ROW(NV_E_ALG_UNSUPPORTED, "signature algorithm not supported"),
  ROW(NV_E_KEY_UNSUPPORTED, "signing key type or size not supported"),
  ROW(NV_E_ALG_KEY_MISMATCH, "signature algorithm does not match the signing certificate"),
  ROW(NV_E_SIGNATURE_EMPTY, "signature is empty"),
  ROW(NV_E_SIGNATURE_INVALID, "signature is not valid"),
  ROW(NV_E_EXPIRY_NOT_AFTER_SIGNING_TIME, "expiry is not after the signing time"),
  ROW(NV_E_PAYLOAD_EMPTY, "payload is empty"),
  ROW(NV_E_CONTENT_TYPE_MISSING, "content type missing"),
  ROW(NV_E_CONTENT_TYPE_UNSUPPORTED, "content type not supported"),
  ROW(NV_E_HEADER_INVALID, "header value has the wrong type or form"),
  ROW(NV_E_UNKNOWN_CRITICAL_ATTRIBUTE, "unknown critical attribute"),
  ROW(NV_E_CHAIN_INVALID, "certificate chain is not valid"),
  ROW(NV_E_CHAIN_TOO_LONG, "certificate chain exceeds the length limit"),
  ROW(NV_E_CHAIN_SELF_SIGNED_INVALID, "invalid self-signed certificate"),
  ROW(NV_E_CHAIN_ROOT_NOT_SELF_SIGNED, "root certificate is not self-signed"),
  ROW(NV_E_CHAIN_UNEXPECTED_SELF_SIGNED, "leaf or intermediate certificate is self-signed"),
  ROW(NV_E_CHAIN_NOT_ISSUED_BY_NEXT, "certificate is not issued by the next certificate of the chain"),
  ROW(NV_E_CERT_LEAF_IS_CA, "signing certificate is a CA"),
  ROW(NV_E_CERT_KEY_USAGE_MISSING, "key usage extension missing or not critical"),
  ROW(NV_E_CERT_KEY_USAGE_INVALID, "key usage not allowed"),
  ROW(NV_E_CERT_EKU_INVALID, "extended key usage not allowed"),
  ROW(NV_E_CERT_BASIC_CONSTRAINTS_INVALID, "basic constraints invalid"),
  ROW(NV_E_CERT_PATH_LENGTH, "path length constraint violated"),
  ROW(NV_E_CERT_KEY_CERT_SIGN_MISSING, "CA certificate lacks the keyCertSign key usage"),
  ROW(NV_E_CERT_WEAK_SIGNATURE_ALGORITHM, "certificate signed with a forbidden algorithm"),

  ROW(NV_E_PLUGIN_REQUIRED, "signature requires a verification plugin"),
  ROW(NV_E_PLUGIN_ATTR_NOT_CRITICAL, "verification plugin attribute is not critical"),
  ROW(NV_E_PLUGIN_ATTR_NOT_STRING, "verification plugin attribute is not a string"),
  ROW(NV_E_PLUGIN_ATTR_EMPTY, "verification plugin attribute is empty"),
  ROW(NV_E_PLUGIN_MIN_VERSION_INVALID, "verification plugin minimum version is not valid SemVer"),
  ROW(NV_E_PLUGIN_NOT_FOUND, "verification plugin not found"),
  ROW(NV_E_PLUGIN_VERSION_INVALID, "verification plugin version is not valid"),
  ROW(NV_E_PLUGIN_VERSION_TOO_LOW, "verification plugin version too low"),
  ROW(NV_E_PLUGIN_NO_VERIFY_CAPABILITY, "verification plugin lacks verification capabilities"),
  ROW(NV_E_PLUGIN_RESULT_MISSING, "verification plugin returned no result for a capability"),
  ROW(NV_E_PLUGIN_ATTR_UNPROCESSED, "verification plugin did not process a critical attribute"),
  ROW(NV_E_PLUGIN_EXEC_FAILED, "verification plugin failed"),

  ROW(NV_E_TRUSTSTORE_LOAD, "trust store could not be loaded"),
  ROW(NV_E_NO_TRUSTED_CERTS, "no trusted certificates found"),
  ROW(NV_E_CHAIN_NOT_TRUSTED, "certificate chain does not contain a trusted certificate"),
  ROW(NV_E_IDENTITY_NO_SEPARATOR, "trusted identity has no ':' separator"),
  ROW(NV_E_NO_X509_IDENTITIES, "no x509 trusted identities configured"),
  ROW(NV_E_LEAF_SUBJECT_UNPARSABLE, "signing certificate subject cannot be parsed"),
  ROW(NV_E_IDENTITY_MISMATCH, "signing certificate does not match the trusted identities"),
  ROW(NV_E_PLUGIN_IDENTITY_FAILED, "verification plugin rejected the identity"),

  ROW(NV_E_SIGNATURE_EXPIRED, "signature has expired"),

  ROW(NV_E_CERT_NOT_YET_VALID, "certificate not yet valid at verification time"),
  ROW(NV_E_CERT_EXPIRED, "certificate expired at verification time"),
  ROW(NV_E_CERT_INVALID_AT_AUTHENTIC_SIGNING_TIME, "certificate not valid at the authentic signing time"),
  ROW(NV_E_TSA_POLICY_CONFIG, "TSA trust store configuration invalid"),
  ROW(NV_E_TIMESTAMP_MISSING, "no timestamp countersignature found"),
  ROW(NV_E_TIMESTAMP_PARSE, "malformed timestamp token"),
  ROW(NV_E_TSTINFO_PARSE, "malformed TSTInfo"),
  ROW(NV_E_TSTINFO_VERSION, "unsupported TSTInfo version"),
  ROW(NV_E_TSTINFO_HASH_UNSUPPORTED, "unsupported timestamp imprint hash"),
  ROW(NV_E_TSTINFO_IMPRINT_MISMATCH, "timestamp imprint does not match the signature"),
  ROW(NV_E_TSTINFO_ACCURACY_INVALID, "invalid timestamp accuracy"),
  ROW(NV_E_TSA_TRUSTSTORE_LOAD, "TSA trust store could not be loaded"),
  ROW(NV_E_TSA_NO_TRUSTED_CERTS, "no trusted TSA certificates found"),
  ROW(NV_E_TIMESTAMP_NO_SIGNERINFO, "timestamp token has no usable signer"),
  ROW(NV_E_TIMESTAMP_SIGNERINFO_VERSION, "unsupported timestamp SignerInfo version"),
  ROW(NV_E_TIMESTAMP_SIGNING_CERT_V2, "timestamp signingCertificateV2 missing or mismatched"),
  ROW(NV_E_TIMESTAMP_SIGNER_CERT_NOT_FOUND, "timestamp signing certificate not found"),
  ROW(NV_E_TSA_CHAIN_UNTRUSTED, "TSA certificate chain not trusted"),
  ROW(NV_E_TIMESTAMP_SIG_ALG_UNKNOWN, "timestamp signature algorithm not supported"),
  ROW(NV_E_TIMESTAMP_SIGNATURE_INVALID, "timestamp signature is not valid"),
  ROW(NV_E_TIMESTAMP_SIGNED_ATTRS, "timestamp signed attributes invalid"),
  ROW(NV_E_TSA_EKU_INVALID, "TSA certificate extended key usage invalid"),
  ROW(NV_E_TSA_CHAIN_INVALID, "TSA certificate chain invalid"),
  ROW(NV_E_TIMESTAMP_BEFORE_CERT_VALIDITY, "timestamp may be before the certificate validity"),
  ROW(NV_E_TIMESTAMP_AFTER_CERT_VALIDITY, "timestamp may be after the certificate validity"),
  ROW(NV_E_TSA_CERT_REVOKED, "timestamping certificate revoked"),
  ROW(NV_E_TSA_REVOCATION_UNKNOWN, "timestamping certificate revocation status unknown"),
  ROW(NV_E_TSA_REVOCATION_CHECK_ERROR, "timestamping certificate revocation check failed"),
  ROW(NV_E_TIMESTAMP_NOT_SUPPORTED, "timestamp verification not supported by this build"),

  ROW(NV_E_REVOCATION_CHECK_ERROR, "revocation check failed"),
  ROW(NV_E_CERT_REVOKED, "certificate revoked"),
  ROW(NV_E_REVOCATION_UNKNOWN, "revocation status unknown"),
  ROW(NV_E_PLUGIN_REVOCATION_FAILED, "verification plugin revocation check failed"),
  ROW(NV_E_REVOCATION_NOT_SUPPORTED, "revocation checking not supported by this build"),

  ROW(NV_E_PAYLOAD_INVALID, "malformed signature payload"),
  ROW(NV_E_TARGET_ARTIFACT_MISMATCH, "signed target artifact does not match the artifact"),
  ROW(NV_E_BLOB_HASH_UNSUPPORTED, "blob hash algorithm not supported"),
  ROW(NV_E_BLOB_DIGEST_MISMATCH, "signature does not match the given blob"),
  ROW(NV_E_USER_METADATA_MISMATCH, "user metadata not found in the signature"),
};

static const struct status_row *find_row(nv_status status)
{
  for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++)
    if (rows[i].code == status)
      return &rows[i];
  return NULL;
}

NV_API const char *nv_strerror(nv_status status)
{
  const struct status_row *row = find_row(status);
  return row != NULL ? row->text : "unknown status code";
}

NV_API const char *nv_status_name(nv_status status)
{
  const struct status_row *row = find_row(status);
  return row != NULL ? row->name : NULL;
}

NV_API nv_category nv_status_category(nv_status status)
{
  if (status == NV_OK)
    return NV_CAT_OK;
  if (status > 0)
    return NV_CAT_INFO;
  if (status <= -1000 && status > -2000)
    return NV_CAT_VERDICT;
  if (status <= -2000 && status > -3000)
    return NV_CAT_CHECK;
  return NV_CAT_OPERATIONAL; /* fail closed: anything unknown is an error */
}
