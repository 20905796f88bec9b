/*
 * COSE_Sign1 (RFC 9052 section 4.2) as go-cose v1.3.0 accepts it, decoded
 * by hand with a bounded, strict CBOR reader (no libcbor decoding: libcbor
 * 0.8 allocates whatever array/map heads claim and rejects the one-byte
 * tag 18; toolchain.md section 3).
 *
 * Two levels:
 *  - nv_cose_sign1_decode() / nv_cose_sig_structure(): generic COSE_Sign1,
 *    used for any COSE_Sign1_Tagged message (the go-cose vectors are not
 *    Notary envelopes);
 *  - nv_env_decode_cose() (declared in nv_env.h): the Notary reading of the
 *    headers on top of the generic decode (notary-spec.md section 6).
 *
 * What the generic decoder accepts (everything else fails):
 *  - the first two bytes are 0xD2 0x84 (tag 18 in its one-byte form, then a
 *    4-element array), as go-cose requires: untagged messages and the long
 *    tag form 0xD8 0x12 are rejected;
 *  - well-formed CBOR with definite lengths only, no trailing bytes, no
 *    reserved additional-information values, valid UTF-8 in text strings,
 *    nesting of at most NV_COSE_MAX_DEPTH levels and at most
 *    NV_COSE_MAX_ITEMS data items per tree (the outer message, and the
 *    protected map, are one tree each). Every length and count is checked
 *    against the remaining bytes before anything is allocated; nodes are
 *    allocated once, after a first pass counted them. Non-shortest heads
 *    are accepted (the bytes are signed as received);
 *  - no CBOR tag anywhere in the outer array (that is, the unprotected map
 *    and its values included); tags are allowed inside the protected bstr;
 *  - protected: a bstr that is empty (= empty map) or holds exactly one map;
 *    unprotected: a map; payload: a bstr (nil, a detached payload, fails
 *    with NV_E_PAYLOAD_EMPTY); signature: a non-empty bstr
 *    (NV_E_SIGNATURE_EMPTY);
 *  - header labels are int (within int64) or tstr; no duplicate key in any
 *    map of either tree (keys are compared by value, so 0x01 and 0x18 0x01
 *    are the same key);
 *  - go-cose's generic header-parameter rules in both buckets: alg (1) is an
 *    int or tstr; crit (2) only in the protected bucket, a non-empty array
 *    of int/tstr labels that are all present in the protected map; content
 *    type (3) a uint or a non-empty tstr "type/subtype" without surrounding
 *    spaces; kid (4), IV (5), Partial IV (6) bstr, IV and Partial IV not
 *    both present (in one bucket or across the two); countersignatures (7,
 *    9, 11, 12) only in the unprotected bucket, 9/12 as bstr, 7/11 as a
 *    [bstr, map, bstr] array or an array of those.
 *
 * Error codes: NV_E_ENVELOPE_PARSE (outer structure, unprotected map),
 * NV_E_PROTECTED_HEADER_DECODE (protected bstr and its contents),
 * NV_E_PAYLOAD_EMPTY, NV_E_SIGNATURE_EMPTY, NV_E_ALG_UNSUPPORTED,
 * NV_E_CRIT_MISSING / NV_E_CRIT_INVALID_LABEL / NV_E_CRIT_ENTRY_NOT_PRESENT,
 * NV_E_CONTENT_TYPE_UNSUPPORTED, NV_E_HEADER_INVALID, NV_E_NOMEM.
 */
#ifndef NV_ENVELOPE_COSE_H
#define NV_ENVELOPE_COSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "base/nv_buf.h"

/* Deepest nesting of one decoded tree (the root is level 1). */
#define NV_COSE_MAX_DEPTH 16
/* Most data items in one decoded tree (bounds the node allocation). */
#define NV_COSE_MAX_ITEMS 4096

/* COSE header labels used here (IANA "COSE Header Parameters"). */
#define NV_COSE_LABEL_ALG 1
#define NV_COSE_LABEL_CRIT 2
#define NV_COSE_LABEL_CONTENT_TYPE 3
#define NV_COSE_LABEL_KID 4
#define NV_COSE_LABEL_IV 5
#define NV_COSE_LABEL_PARTIAL_IV 6
#define NV_COSE_LABEL_COUNTER_SIGNATURE 7
#define NV_COSE_LABEL_COUNTER_SIGNATURE0 9
#define NV_COSE_LABEL_COUNTER_SIGNATURE_V2 11
#define NV_COSE_LABEL_COUNTER_SIGNATURE0_V2 12
#define NV_COSE_LABEL_X5CHAIN 33

typedef enum nv_cbor_type {
  NV_CBOR_UINT = 0, /* major type 0: the value is u */
  NV_CBOR_NEGINT,   /* major type 1: the value is -1 - u */
  NV_CBOR_BSTR,     /* str */
  NV_CBOR_TSTR,     /* str: valid UTF-8, not NUL-terminated, may contain NUL */
  NV_CBOR_ARRAY,    /* count items in items[0 .. count-1] */
  NV_CBOR_MAP,      /* count pairs: items[2i] key, items[2i+1] value, as encoded */
  NV_CBOR_TAG,      /* tag number u, content items[0] (count 1) */
  NV_CBOR_SIMPLE,   /* simple value u: 20 false, 21 true, 22 null, 23 undefined */
  NV_CBOR_FLOAT     /* f (half, single and double precision widened to double) */
} nv_cbor_type;

/* One decoded data item. Strings and raw point into the caller's input. */
typedef struct nv_cbor_item {
  nv_cbor_type type;
  uint64_t u;
  double f;
  nv_bytes str;
  nv_bytes raw; /* the item's complete encoding as received (head and content) */
  size_t count;
  const struct nv_cbor_item *items;
} nv_cbor_item;

/*
 * A decoded COSE_Sign1 message. All nv_bytes and item strings are views
 * into the input passed to nv_cose_sign1_decode(), which must outlive the
 * message; the item trees are owned by the message (nv_cose_sign1_free()).
 */
typedef struct nv_cose_sign1 {
  nv_bytes protected_raw;     /* the protected bstr as received: head and contents */
  nv_bytes protected_content; /* its contents: the encoded map, or empty */
  const nv_cbor_item *protected_map;   /* decoded contents (an empty map when empty) */
  const nv_cbor_item *unprotected_map; /* the unprotected header map */
  nv_bytes payload;
  nv_bytes signature;
  /* private */
  nv_cbor_item *outer_nodes_;
  size_t outer_count_;
  nv_cbor_item *protected_nodes_;
  size_t protected_count_;
} nv_cose_sign1;

void nv_cose_sign1_init(nv_cose_sign1 *m);
void nv_cose_sign1_free(nv_cose_sign1 *m);

/* Decode a COSE_Sign1_Tagged message under the rules above. `out` is
 * initialised by the call; free it with nv_cose_sign1_free() also after a
 * failure. */
nv_status nv_cose_sign1_decode(const uint8_t *data, size_t len, nv_cose_sign1 *out, nv_diag *d);

/*
 * Append ToBeSigned = CBOR ["Signature1", protected, external_aad, payload]
 * to `out` (initialised by the caller, whose limit applies). The protected
 * bstr contents are copied as received; only their length prefix is written
 * in shortest form (as go-cose does), so a message whose sender used a
 * longer prefix still verifies. All heads are shortest and definite; the
 * payload is copied, never re-encoded.
 */
nv_status nv_cose_sig_structure(const nv_cose_sign1 *m, const uint8_t *external_aad,
                                size_t aad_len, nv_buf *out, nv_diag *d);

/* Header lookups in a decoded map (NULL when absent or not a map). */
const nv_cbor_item *nv_cose_map_get_int(const nv_cbor_item *map, int64_t label);
const nv_cbor_item *nv_cose_map_get_tstr(const nv_cbor_item *map, const char *label);

/* The value of an integer item when it fits in int64_t. */
bool nv_cbor_get_int64(const nv_cbor_item *it, int64_t *out);
/* A tstr equal to the C string `s` (length-checked, so no NUL tricks). */
bool nv_cbor_tstr_equals(const nv_cbor_item *it, const char *s);
/* Value equality (ints by value, strings by bytes, containers element-wise). */
bool nv_cbor_equal(const nv_cbor_item *a, const nv_cbor_item *b);

/*
 * Append the JSON rendering of an item to `out`: ints as numbers, tstr as
 * escaped strings, bstr as standard base64 strings, arrays and maps
 * recursively (a key that is not a tstr becomes the string of its own
 * rendering), tags as their content, floats as numbers (NaN and infinities
 * as the strings "NaN", "Infinity", "-Infinity"), false/true/null, undefined
 * as null and other simple values as the string "simple(N)". NV_E_LIMIT
 * when `out`'s limit is reached.
 */
nv_status nv_cbor_to_json(const nv_cbor_item *it, nv_buf *out, nv_diag *d);

#endif /* NV_ENVELOPE_COSE_H */
