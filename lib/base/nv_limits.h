/*
 * Every size and count limit of the library, in one place. Limits are
 * checked before anything is allocated (docs/error-model.md).
 */
#ifndef NV_BASE_LIMITS_H
#define NV_BASE_LIMITS_H

#define NV_MIB ((size_t)1024 * 1024)

/* notary-spec.md section 20 */
#define NV_LIMIT_MANIFEST_BYTES (4 * NV_MIB)
#define NV_LIMIT_ENVELOPE_BYTES (32 * NV_MIB)
#define NV_LIMIT_REFERRERS_PAGE_BYTES (4 * NV_MIB)
#define NV_LIMIT_OCSP_RESPONSE_BYTES ((size_t)20480)
#define NV_LIMIT_CRL_BYTES (32 * NV_MIB)
#define NV_DEFAULT_MAX_SIGNATURE_ATTEMPTS 100u

/* The most bytes of manifests one nv_reg_layout_list_signatures() reads
 * from index.json's entries. Without a bound, 10,000 entries (the index
 * limit) of 4 MiB manifests would be 40 GB to read, hash and parse. A
 * fixed 64 MiB rather than the attempt limit times the manifest limit
 * (100 x 4 MiB = 400 MiB by default): the scan reads every manifest of the
 * layout, most of which are images and other artifacts, not signatures, so
 * the attempt limit does not measure it. 64 MiB is 16 manifests at the
 * 4 MiB limit, or thousands of real ones (signature manifests are about
 * 1 KiB, image manifests a few KiB), and takes well under a second to hash
 * and parse. */
#define NV_LIMIT_LAYOUT_SCAN_BYTES (64 * NV_MIB)

/* Trust policy documents and trust store files are small; 1 MiB each is
 * far above real use and keeps a hostile file from costing memory. */
#define NV_LIMIT_POLICY_BYTES NV_MIB
#define NV_LIMIT_CERT_FILE_BYTES NV_MIB

/* JSON nesting: notation documents need fewer than 8 levels. */
#define NV_LIMIT_JSON_DEPTH 32
/* JSON values per document: cJSON spends about 80 bytes a value, so this
 * bounds the tree of a 32 MiB document to about 80 MiB. */
#define NV_LIMIT_JSON_VALUES ((size_t)1 << 20)

#endif /* NV_BASE_LIMITS_H */
