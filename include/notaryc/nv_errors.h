/*
 * Status codes.
 *
 * Every function that can fail returns an nv_status. The values are part of
 * the ABI: they are never renumbered, and a retired code keeps its slot.
 * They are grouped in ranges, so nv_status_category() tells what kind of
 * answer a code is without knowing the code itself:
 *
 *        0            NV_OK: the operation succeeded (for nv_verify: the
 *                     artifact is verified under the trust policy)
 *       >0            informational answers that are not errors, used by
 *                     callbacks (NV_PASSTHROUGH)
 *     -1 ..  -999     operational: the operation could not be carried out
 *                     (bad arguments, memory, I/O, network, configuration)
 *  -1000 .. -1999     verdicts: verification ran and did not accept the
 *                     artifact (the result object explains why)
 *  -2000 .. -2999     per-signature and per-check statuses: why one
 *                     signature or one validation failed
 *
 * Within the per-check range the hundreds follow the verification steps:
 * -20xx signature retrieval, -21xx/-22xx integrity, -23xx verification
 * plugins, -24xx authenticity, -25xx expiry, -26xx/-27xx authentic
 * timestamp, -28xx revocation, -29xx payload and user metadata.
 *
 * A value not listed here (say, one added by a newer library) still has the
 * category of its range; a negative value outside every range is
 * operational.
 * docs/error-model.md explains the rules; nv_strerror() gives a sentence.
 */
#ifndef NOTARYC_NV_ERRORS_H
#define NOTARYC_NV_ERRORS_H

#include <notaryc/nv_common.h>

NV_BEGIN_DECLS

typedef int32_t nv_status;

enum {
  NV_OK = 0,
  /* A callback declines to act; the library uses its default behaviour. */
  NV_PASSTHROUGH = 1,

  /* ---- operational: general (-1 .. -99) ---- */
  NV_E_GENERIC = -1,                 /* unspecified failure */
  NV_E_NOMEM = -2,                   /* out of memory */
  NV_E_INVALID_ARG = -3,             /* NULL or out-of-range argument */
  NV_E_NOT_INITIALIZED = -4,         /* nv_global_init() was not called */
  NV_E_UNSUPPORTED = -5,             /* the operation or input is not supported */
  NV_E_CALLBACK = -6,                /* a caller's callback aborted the operation */
  NV_E_IO = -7,                      /* a file could not be read */
  NV_E_LIMIT = -8,                   /* input exceeds a size, count or depth limit */
  NV_E_PARSE = -9,                   /* malformed input (generic) */
  NV_E_INTERNAL = -10,               /* an internal invariant failed (a bug) */
  NV_E_NOT_FOUND = -11,              /* a file or entry does not exist */
  NV_E_PERMISSION = -12,             /* access to a file was denied */
  NV_E_CRYPTO = -13,                 /* the crypto library failed unexpectedly */

  /* encodings handled by the base layer (-20 .. -59) */
  NV_E_JSON_SYNTAX = -20,            /* not well-formed JSON */
  NV_E_JSON_DEPTH = -21,             /* JSON nested too deeply */
  NV_E_JSON_DUPLICATE_MEMBER = -22,  /* a JSON object repeats a member name */
  NV_E_JSON_TYPE = -23,              /* a JSON value has the wrong type */
  NV_E_JSON_MISSING_MEMBER = -24,    /* a required JSON member is absent */
  NV_E_JSON_UNKNOWN_MEMBER = -25,    /* a JSON member that is not allowed */
  NV_E_JSON_NUMBER = -26,            /* a JSON number out of range or not integral */
  NV_E_JSON_ENCODING = -27,          /* invalid UTF-8 or an escaped NUL in JSON */
  NV_E_BASE64 = -30,                 /* invalid base64 / base64url text */
  NV_E_TIME_FORMAT = -31,            /* invalid RFC 3339 time */
  NV_E_DIGEST_FORMAT = -32,          /* invalid digest string ("sha256:<hex>") */
  NV_E_DIGEST_UNSUPPORTED = -33,     /* digest algorithm not supported */

  /* ---- operational: registry and artifact retrieval (-100 .. -199) ---- */
  NV_E_NETWORK = -100,               /* connection failed */
  NV_E_TIMEOUT = -101,               /* an operation timed out (fails closed) */
  NV_E_TLS = -102,                   /* TLS handshake or certificate check failed */
  NV_E_REGISTRY_AUTH = -103,         /* registry refused the credentials */
  NV_E_REGISTRY_DENIED = -104,       /* token lacks the scope (insufficient_scope) */
  NV_E_REGISTRY_PROTOCOL = -105,     /* the registry answered against the protocol */
  NV_E_REFERENCE_INVALID = -106,     /* malformed artifact reference */
  NV_E_RESOLVE_FAILED = -107,        /* the reference could not be resolved */
  NV_E_ARTIFACT_NOT_FOUND = -108,    /* repository or manifest does not exist */
  NV_E_REFERRERS_LIST_FAILED = -109, /* listing the signatures failed */
  NV_E_FETCH_FAILED = -110,          /* downloading content failed */
  NV_E_CONTENT_DIGEST_MISMATCH = -111, /* fetched bytes do not match their digest */
  NV_E_CONTENT_TOO_LARGE = -112,     /* fetched content exceeds its size limit */
  NV_E_REDIRECT_REFUSED = -113,      /* a redirect was not followed (e.g. other host) */
  NV_E_HTTP_STATUS = -114,           /* unexpected HTTP status */
  NV_E_OCI_LAYOUT_INVALID = -115,    /* malformed OCI image layout directory */
  NV_E_CREDENTIALS = -116,           /* credentials could not be obtained */
  NV_E_RESOLVED_DIGEST_MISMATCH = -117, /* registry resolved a digest reference to another digest */

  /* ---- operational: trust policy document (-200 .. -299) ---- */
  NV_E_POLICY_INVALID = -200,        /* trust policy invalid (generic) */
  NV_E_POLICY_NOT_FOUND = -201,
  NV_E_POLICY_NOT_REGULAR_FILE = -202, /* a directory or a symlink */
  NV_E_POLICY_PERMISSION = -203,
  NV_E_POLICY_MALFORMED = -204,      /* not valid JSON of the expected shape */
  NV_E_POLICY_TOO_LARGE = -205,
  NV_E_POLICY_VERSION_MISSING = -206,
  NV_E_POLICY_VERSION_UNSUPPORTED = -207,
  NV_E_POLICY_EMPTY = -208,          /* no trust policy statements */
  NV_E_POLICY_NAME_MISSING = -209,
  NV_E_POLICY_NAME_DUPLICATE = -210,
  NV_E_POLICY_LEVEL_MISSING = -211,
  NV_E_POLICY_LEVEL_INVALID = -212,
  NV_E_POLICY_OVERRIDE_WITH_SKIP = -213,
  NV_E_POLICY_OVERRIDE_TYPE_INVALID = -214,
  NV_E_POLICY_OVERRIDE_ACTION_INVALID = -215,
  NV_E_POLICY_OVERRIDE_INTEGRITY = -216,
  NV_E_POLICY_OVERRIDE_SKIP_NOT_ALLOWED = -217,
  NV_E_POLICY_VERIFY_TIMESTAMP_INVALID = -218,
  NV_E_POLICY_SKIP_HAS_STORES_OR_IDENTITIES = -219,
  NV_E_POLICY_MISSING_STORES_OR_IDENTITIES = -220,
  NV_E_POLICY_TRUSTSTORE_MALFORMED = -221,
  NV_E_POLICY_TRUSTSTORE_TYPE_INVALID = -222,
  NV_E_POLICY_TRUSTSTORE_NAME_INVALID = -223,
  NV_E_POLICY_IDENTITY_WILDCARD_MIXED = -224,
  NV_E_POLICY_IDENTITY_EMPTY = -225,
  NV_E_POLICY_IDENTITY_NO_SEPARATOR = -226,
  NV_E_POLICY_IDENTITY_EMPTY_VALUE = -227,
  NV_E_POLICY_IDENTITY_DN_INVALID = -228,
  NV_E_POLICY_IDENTITY_OVERLAP = -229,
  NV_E_POLICY_SCOPE_EMPTY = -230,
  NV_E_POLICY_SCOPE_WILDCARD_MIXED = -231,
  NV_E_POLICY_SCOPE_INVALID = -232,
  NV_E_POLICY_SCOPE_DUPLICATE = -233,
  NV_E_POLICY_GLOBAL_SKIP = -234,    /* level skip on the global scope "*" */
  NV_E_POLICY_BLOB_MULTIPLE_GLOBAL = -235,
  NV_E_POLICY_BLOB_GLOBAL_SKIP = -236,
  NV_E_POLICY_UNKNOWN_MEMBER = -237, /* a member the schema does not define */
  NV_E_POLICY_IDENTITY_PREFIX_UNSUPPORTED = -238,

  /* ---- operational: trust store (-300 .. -399) ---- */
  NV_E_TRUSTSTORE_INVALID = -300,    /* trust store invalid (generic) */
  NV_E_TRUSTSTORE_TYPE_INVALID = -301,
  NV_E_TRUSTSTORE_NAME_INVALID = -302,
  NV_E_TRUSTSTORE_NOT_FOUND = -303,
  NV_E_TRUSTSTORE_NOT_DIRECTORY = -304, /* not a directory, or a symlink */
  NV_E_TRUSTSTORE_ACCESS = -305,
  NV_E_TRUSTSTORE_ENTRY_NOT_REGULAR = -306, /* sub-directory or symlink inside a store */
  NV_E_TRUSTSTORE_CERT_PARSE = -307,
  NV_E_TRUSTSTORE_CERT_NOT_CA_OR_SELFSIGNED = -308,
  NV_E_TRUSTSTORE_TSA_CERT_NOT_ROOT = -309,
  NV_E_TRUSTSTORE_EMPTY = -310,
  NV_E_TRUSTSTORE_TOO_LARGE = -311,  /* file size or certificate count limit */

  /* ---- verdicts (-1000 .. -1999) ---- */
  NV_E_VERIFICATION_FAILED = -1000,  /* signatures were found; none passed */
  NV_E_SKIPPED = -1001,              /* policy level "skip": nothing was verified */
  NV_E_NO_APPLICABLE_POLICY = -1002, /* no trust policy statement applies */
  NV_E_NO_SIGNATURES = -1003,        /* the artifact has no Notary signature */
  NV_E_MAX_SIGNATURE_ATTEMPTS = -1004, /* attempt limit reached before a pass */
  NV_E_INCONCLUSIVE = -1005,         /* verification could not reach a verdict */

  /* ---- per signature: retrieval (-2000 .. -2099) ---- */
  NV_E_SIG_MANIFEST_MEDIATYPE = -2000,
  NV_E_SIG_MANIFEST_TOO_LARGE = -2001,
  NV_E_SIG_MANIFEST_PARSE = -2002,
  NV_E_SIG_MANIFEST_LAYER_COUNT = -2003, /* not exactly one envelope layer */
  NV_E_SIG_MANIFEST_ARTIFACT_TYPE = -2004, /* artifactType / config.mediaType rule */
  NV_E_SIG_MANIFEST_SUBJECT = -2005, /* subject is not the target */
  NV_E_SIG_BLOB_TOO_LARGE = -2006,
  NV_E_SIG_FETCH_FAILED = -2007,
  NV_E_SIG_DIGEST_MISMATCH = -2008,

  /* ---- per signature: integrity (-2100 .. -2299), always enforced ---- */
  NV_E_ENVELOPE_FORMAT_UNSUPPORTED = -2100, /* media type not JWS or COSE */
  NV_E_ENVELOPE_EMPTY = -2101,
  NV_E_ENVELOPE_PARSE = -2102,
  NV_E_ENVELOPE_TOO_LARGE = -2103,
  NV_E_CERT_CHAIN_MISSING = -2104,
  NV_E_LEAF_CERT_MALFORMED = -2105,
  NV_E_CERT_PARSE = -2106,
  NV_E_PROTECTED_HEADER_DECODE = -2107,
  NV_E_SIGNING_SCHEME_UNSUPPORTED = -2108,
  NV_E_HEADER_NOT_ALLOWED_FOR_SCHEME = -2109,
  NV_E_SIGNING_TIME_MISSING = -2110,
  NV_E_AUTHENTIC_SIGNING_TIME_MISSING = -2111,
  NV_E_TIME_ENCODING_INVALID = -2112, /* RFC 3339 (JWS) or CBOR tag 1 (COSE) */
  NV_E_CRIT_MISSING = -2113,
  NV_E_CRIT_ENTRY_NOT_PRESENT = -2114,
  NV_E_CRIT_REQUIRED_NOT_MARKED = -2115,
  NV_E_CRIT_INVALID_LABEL = -2116,
  NV_E_ALG_UNSUPPORTED = -2117,
  NV_E_KEY_UNSUPPORTED = -2118,      /* leaf key type or size outside the Notary set */
  NV_E_ALG_KEY_MISMATCH = -2119,
  NV_E_SIGNATURE_EMPTY = -2120,
  NV_E_SIGNATURE_INVALID = -2121,    /* the cryptographic check failed */
  NV_E_EXPIRY_NOT_AFTER_SIGNING_TIME = -2122,
  NV_E_PAYLOAD_EMPTY = -2123,
  NV_E_CONTENT_TYPE_MISSING = -2124,
  NV_E_CONTENT_TYPE_UNSUPPORTED = -2125,
  NV_E_HEADER_INVALID = -2126,       /* a header value of the wrong type or form */
  NV_E_UNKNOWN_CRITICAL_ATTRIBUTE = -2127,
  /* certificate chain rules (notary-spec.md section 9) */
  NV_E_CHAIN_INVALID = -2200,        /* chain invalid (generic) */
  NV_E_CHAIN_TOO_LONG = -2201,
  NV_E_CHAIN_SELF_SIGNED_INVALID = -2202, /* single certificate not validly self-signed */
  NV_E_CHAIN_ROOT_NOT_SELF_SIGNED = -2203,
  NV_E_CHAIN_UNEXPECTED_SELF_SIGNED = -2204, /* leaf or intermediate is self-signed */
  NV_E_CHAIN_NOT_ISSUED_BY_NEXT = -2205,
  NV_E_CERT_LEAF_IS_CA = -2206,
  NV_E_CERT_KEY_USAGE_MISSING = -2207, /* absent, or not critical where required */
  NV_E_CERT_KEY_USAGE_INVALID = -2208, /* digitalSignature missing or forbidden bits */
  NV_E_CERT_EKU_INVALID = -2209,
  NV_E_CERT_BASIC_CONSTRAINTS_INVALID = -2210,
  NV_E_CERT_PATH_LENGTH = -2211,
  NV_E_CERT_KEY_CERT_SIGN_MISSING = -2212,
  NV_E_CERT_WEAK_SIGNATURE_ALGORITHM = -2213,

  /* ---- per signature: verification plugins (-2300 .. -2399) ---- */
  NV_E_PLUGIN_REQUIRED = -2300,      /* the signature needs a plugin; none is supported */
  NV_E_PLUGIN_ATTR_NOT_CRITICAL = -2301,
  NV_E_PLUGIN_ATTR_NOT_STRING = -2302,
  NV_E_PLUGIN_ATTR_EMPTY = -2303,
  NV_E_PLUGIN_MIN_VERSION_INVALID = -2304,
  NV_E_PLUGIN_NOT_FOUND = -2305,
  NV_E_PLUGIN_VERSION_INVALID = -2306,
  NV_E_PLUGIN_VERSION_TOO_LOW = -2307,
  NV_E_PLUGIN_NO_VERIFY_CAPABILITY = -2308,
  NV_E_PLUGIN_RESULT_MISSING = -2309,
  NV_E_PLUGIN_ATTR_UNPROCESSED = -2310,
  NV_E_PLUGIN_EXEC_FAILED = -2311,

  /* ---- per signature: authenticity (-2400 .. -2499) ---- */
  NV_E_TRUSTSTORE_LOAD = -2400,
  NV_E_NO_TRUSTED_CERTS = -2401,
  NV_E_CHAIN_NOT_TRUSTED = -2402,
  NV_E_IDENTITY_NO_SEPARATOR = -2403,
  NV_E_NO_X509_IDENTITIES = -2404,
  NV_E_LEAF_SUBJECT_UNPARSABLE = -2405,
  NV_E_IDENTITY_MISMATCH = -2406,
  NV_E_PLUGIN_IDENTITY_FAILED = -2407,

  /* ---- per signature: expiry (-2500 .. -2599) ---- */
  NV_E_SIGNATURE_EXPIRED = -2500,

  /* ---- per signature: authentic timestamp (-2600 .. -2799) ---- */
  NV_E_CERT_NOT_YET_VALID = -2600,
  NV_E_CERT_EXPIRED = -2601,
  NV_E_CERT_INVALID_AT_AUTHENTIC_SIGNING_TIME = -2602,
  NV_E_TSA_POLICY_CONFIG = -2603,
  NV_E_TIMESTAMP_MISSING = -2604,
  NV_E_TIMESTAMP_PARSE = -2605,
  NV_E_TSTINFO_PARSE = -2606,
  NV_E_TSTINFO_VERSION = -2607,
  NV_E_TSTINFO_HASH_UNSUPPORTED = -2608,
  NV_E_TSTINFO_IMPRINT_MISMATCH = -2609,
  NV_E_TSTINFO_ACCURACY_INVALID = -2610,
  NV_E_TSA_TRUSTSTORE_LOAD = -2611,
  NV_E_TSA_NO_TRUSTED_CERTS = -2612,
  NV_E_TIMESTAMP_NO_SIGNERINFO = -2613,
  NV_E_TIMESTAMP_SIGNERINFO_VERSION = -2614,
  NV_E_TIMESTAMP_SIGNING_CERT_V2 = -2615,
  NV_E_TIMESTAMP_SIGNER_CERT_NOT_FOUND = -2616,
  NV_E_TSA_CHAIN_UNTRUSTED = -2617,
  NV_E_TIMESTAMP_SIG_ALG_UNKNOWN = -2618,
  NV_E_TIMESTAMP_SIGNATURE_INVALID = -2619,
  NV_E_TIMESTAMP_SIGNED_ATTRS = -2620,
  NV_E_TSA_EKU_INVALID = -2621,
  NV_E_TSA_CHAIN_INVALID = -2622,
  NV_E_TIMESTAMP_BEFORE_CERT_VALIDITY = -2623,
  NV_E_TIMESTAMP_AFTER_CERT_VALIDITY = -2624,
  NV_E_TSA_CERT_REVOKED = -2625,
  NV_E_TSA_REVOCATION_UNKNOWN = -2626,
  NV_E_TSA_REVOCATION_CHECK_ERROR = -2627,
  NV_E_TIMESTAMP_NOT_SUPPORTED = -2628, /* timestamp checking not available in this build */

  /* ---- per signature: revocation (-2800 .. -2899) ---- */
  NV_E_REVOCATION_CHECK_ERROR = -2800,
  NV_E_CERT_REVOKED = -2801,
  NV_E_REVOCATION_UNKNOWN = -2802,
  NV_E_PLUGIN_REVOCATION_FAILED = -2803,
  NV_E_REVOCATION_NOT_SUPPORTED = -2804, /* revocation checking not available in this build */

  /* ---- per signature: payload and user metadata (-2900 .. -2999) ---- */
  NV_E_PAYLOAD_INVALID = -2900,
  NV_E_TARGET_ARTIFACT_MISMATCH = -2901,
  NV_E_BLOB_HASH_UNSUPPORTED = -2902,
  NV_E_BLOB_DIGEST_MISMATCH = -2903,
  NV_E_USER_METADATA_MISMATCH = -2904
};

/* What kind of answer a status is; see the table at the top of this file. */
typedef int32_t nv_category;
enum {
  NV_CAT_OK = 0,           /* NV_OK */
  NV_CAT_INFO = 1,         /* positive values such as NV_PASSTHROUGH */
  NV_CAT_OPERATIONAL = 2,  /* -1 .. -999, and negatives outside every range */
  NV_CAT_VERDICT = 3,      /* -1000 .. -1999 */
  NV_CAT_CHECK = 4         /* -2000 .. -2999 */
};

/*
 * A short English sentence describing `status`. Static storage, thread-safe,
 * never NULL; unknown values give a sentence that says so.
 */
NV_API const char *nv_strerror(nv_status status);

/*
 * The symbolic name of `status`, such as "NV_E_SIGNATURE_EXPIRED".
 * Static storage, thread-safe; NULL for a value this library does not know.
 */
NV_API const char *nv_status_name(nv_status status);

/* The category of `status` (NV_CAT_*). Thread-safe. */
NV_API nv_category nv_status_category(nv_status status);

NV_END_DECLS

#endif /* NOTARYC_NV_ERRORS_H */
