/*
 * Temporary OCI image layouts for the verification tests: in a copy of a
 * demo layout (test_files.h: tmp_dir_new, copy_tree, rm_tree), replace,
 * add or remove blobs and rewrite index.json or oci-layout. Digests of
 * added blobs are computed with the library's own digest code
 * (base/nv_digest.h).
 *
 * Every helper fails the current cmocka test on an error, so include after
 * <cmocka.h>.
 */
#ifndef NV_TEST_LAYOUT_HELPERS_H
#define NV_TEST_LAYOUT_HELPERS_H

#include <stddef.h>
#include <stdint.h>

#include "test_files.h"

#define TL_PATH_MAX 1024
/* "sha256:" + 64 hex + NUL */
#define TL_DIGEST_MAX 72

/* The path of blobs/<alg>/<hex> for "<alg>:<hex>". */
void tl_blob_path(const char *layout, const char *digest, char out[TL_PATH_MAX]);

/* The content of a blob (exactly its size; free with bytes_free()). */
bytes tl_read_blob(const char *layout, const char *digest);

/* Overwrite the blob file named by digest with other content (its name,
 * and so the digest it claims, stays). */
void tl_replace_blob(const char *layout, const char *digest, const void *data, size_t len);

/* A blob as a descriptor names it. */
typedef struct tl_blob {
  char digest[TL_DIGEST_MAX];
  size_t size;
} tl_blob;

/* Store data as a new blob under its sha256 digest. */
tl_blob tl_add_blob(const char *layout, const void *data, size_t len);

/* The same for a NUL-terminated text (without the NUL). */
tl_blob tl_add_text(const char *layout, const char *text);

/* Delete the blob file named by digest. */
void tl_remove_blob(const char *layout, const char *digest);

/* Write a top-level file of the layout ("index.json", "oci-layout"). */
void tl_write_file(const char *layout, const char *name, const char *text);

/* A printf into a new string that lives until tl_free_strings(). Not
 * thread-safe (single-threaded tests only). */
char *tl_strf(const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 1, 2)))
#endif
    ;
void tl_free_strings(void);

#endif /* NV_TEST_LAYOUT_HELPERS_H */
