/*
 * One HTTP exchange of the registry client: the request and response
 * objects (the bodies of the public nv_http_request / nv_http_response,
 * which a fetch override callback sees) and the transport that carries
 * them, libcurl or the callback.
 *
 * Responses are bounded while they arrive: at most NV_REG_HTTP_MAX_HEADERS
 * header lines of NV_REG_HTTP_MAX_HEADER_LINE bytes each; a 2xx body at
 * most the request's max_bytes (a larger Content-Length is refused before
 * the body is read, and a running count stops the transfer at the first
 * byte too many); any other body at most NV_REG_HTTP_ERROR_BODY_BYTES (the
 * rest is dropped: only the status and the registry's error code matter).
 * Redirects are not followed here (see client.c).
 */
#ifndef NV_REGISTRY_HTTP_H
#define NV_REGISTRY_HTTP_H

#include <notaryc/nv_registry.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "base/nv_buf.h"
#include "base/nv_diag.h"

#define NV_REG_HTTP_MAX_HEADERS 64
#define NV_REG_HTTP_MAX_HEADER_LINE 8192
#define NV_REG_HTTP_ERROR_BODY_BYTES 16384
#define NV_REG_HTTP_MAX_REQUEST_HEADERS 8

typedef struct nv_reg_header {
  char *name;
  char *value;
} nv_reg_header;

struct nv_http_request {
  const char *method; /* "GET" or "POST" (static) */
  char *url;
  nv_reg_header headers[NV_REG_HTTP_MAX_REQUEST_HEADERS];
  size_t header_count;
  const uint8_t *body; /* borrowed; POST only */
  size_t body_len;
  size_t max_bytes;    /* the most body bytes of a 2xx response */
  uint32_t timeout_ms; /* time left; set by the sender */
  bool verify_tls;     /* HTTPS: check the certificate and host name */
};

struct nv_http_response {
  int32_t status; /* 0 until a status line was seen */
  nv_reg_header headers[NV_REG_HTTP_MAX_HEADERS];
  size_t header_count;
  nv_buf body;
  size_t max_bytes;   /* for 2xx bodies */
  bool too_large;     /* a 2xx body (or its Content-Length) exceeded max_bytes */
  bool body_cut;      /* a non-2xx body was cut at NV_REG_HTTP_ERROR_BODY_BYTES */
  bool headers_over;  /* too many or too long header lines */
};

/* ---- request ---- */

/* `method` must be a static string. The URL is copied. */
nv_status nv_reg_http_request_init(nv_http_request *req, const char *method, const char *url,
                                   size_t max_bytes, nv_diag *d);
/* Add a header (both copied). NV_E_LIMIT beyond
 * NV_REG_HTTP_MAX_REQUEST_HEADERS. */
nv_status nv_reg_http_request_add_header(nv_http_request *req, const char *name,
                                         const char *value, nv_diag *d);
/* Frees the copies; an Authorization value is overwritten first. */
void nv_reg_http_request_free(nv_http_request *req);
/* The first header named `name` (case-insensitive), or NULL. */
const char *nv_reg_http_request_header(const nv_http_request *req, const char *name);

/* ---- response ---- */

void nv_reg_http_response_init(nv_http_response *resp, size_t max_bytes);
/* Forget everything received (a new status line, a redirect hop). */
void nv_reg_http_response_reset(nv_http_response *resp);
void nv_reg_http_response_free(nv_http_response *resp);

/* 100..599, else NV_E_INVALID_ARG. Clears the headers and the body (a
 * second status line starts a new response, as after "100 Continue" or a
 * proxy's CONNECT). */
nv_status nv_reg_http_response_set_status(nv_http_response *resp, int32_t status);
/* Printable ASCII only (NV_E_INVALID_ARG); NV_E_LIMIT past the bounds
 * (headers_over set); NV_E_CONTENT_TOO_LARGE for a 2xx Content-Length
 * beyond max_bytes (too_large set). */
nv_status nv_reg_http_response_add_header(nv_http_response *resp, const char *name,
                                          size_t name_len, const char *value, size_t value_len);
/* NV_E_CONTENT_TOO_LARGE (too_large or body_cut set) once the body passes
 * its bound; the bytes that fit are kept. NV_E_INVALID_ARG before a
 * status. */
nv_status nv_reg_http_response_append_body(nv_http_response *resp, const void *data,
                                           size_t len);
/* The `index`-th header named `name` (case-insensitive), or NULL. */
const char *nv_reg_http_response_header(const nv_http_response *resp, const char *name,
                                        size_t index);

/* ---- transport ---- */

typedef struct nv_reg_http nv_reg_http;

typedef struct nv_reg_http_config {
  const char *ca_file; /* NULL: the system store only */
  const char *proxy;   /* NULL: environment, "": none */
  nv_http_fetch_cb fetch_cb;
  void *fetch_user;
} nv_reg_http_config;

nv_status nv_reg_http_new(nv_reg_http **out, nv_diag *d);
void nv_reg_http_free(nv_reg_http *h);

/* Send `req` (its timeout_ms must be >= 1) and fill `resp` (initialised
 * by the caller with the same max_bytes). The fetch callback, if any,
 * goes first (see nv_http_fetch_cb); NV_PASSTHROUGH falls back to
 * libcurl. Errors: NV_E_TIMEOUT, NV_E_NETWORK, NV_E_TLS,
 * NV_E_CONTENT_TOO_LARGE (a 2xx body over max_bytes),
 * NV_E_REGISTRY_PROTOCOL (header bounds, no status), NV_E_CALLBACK,
 * NV_E_NOMEM. A complete response of any status is NV_OK. */
nv_status nv_reg_http_send(nv_reg_http *h, const nv_reg_http_config *cfg,
                           const nv_http_request *req, nv_http_response *resp, nv_diag *d);

/* Milliseconds of a monotonic clock. */
int64_t nv_reg_now_ms(void);

#endif /* NV_REGISTRY_HTTP_H */
