/* HTTP requests and responses, over libcurl or a fetch callback (see
 * nv_reg_http.h). */
#include "registry/nv_reg_http.h"

#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "registry/nv_reg_util.h"

struct nv_reg_http {
  CURL *curl; /* made on first use; keeps the connections between requests */
  char errbuf[CURL_ERROR_SIZE];
};

int64_t nv_reg_now_ms(void)
{
  struct timespec ts;
  if (clock_gettime(CLOCK_MONOTONIC, &ts) != 0)
    return 0;
  return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Printable ASCII and horizontal tab. */
static bool printable(const char *s, size_t len)
{
  for (size_t i = 0; i < len; i++) {
    unsigned char c = (unsigned char)s[i];
    if ((c < 0x20 && c != '\t') || c > 0x7e)
      return false;
  }
  return true;
}

/* ------------------------------------------------------------------ */
/* request                                                             */

nv_status nv_reg_http_request_init(nv_http_request *req, const char *method, const char *url,
                                   size_t max_bytes, nv_diag *d)
{
  memset(req, 0, sizeof(*req));
  req->method = method;
  req->max_bytes = max_bytes;
  req->verify_tls = true;
  req->timeout_ms = 1;
  if ((req->url = strdup(url)) == NULL)
    return nv_diag_set(d, NV_E_NOMEM, "out of memory");
  return NV_OK;
}

nv_status nv_reg_http_request_add_header(nv_http_request *req, const char *name,
                                         const char *value, nv_diag *d)
{
  if (req->header_count == NV_REG_HTTP_MAX_REQUEST_HEADERS)
    return nv_diag_set(d, NV_E_LIMIT, "too many request headers");
  /* no control character (CR, LF above all) may split a header line */
  for (const char *p = value; *p != '\0'; p++)
    if (((unsigned char)*p < 0x20 && *p != '\t') || *p == 0x7f)
      return nv_diag_set(d, NV_E_REGISTRY_PROTOCOL,
                         "the %s request header would hold a control character", name);
  nv_reg_header *h = &req->headers[req->header_count];
  h->name = strdup(name);
  h->value = strdup(value);
  if (h->name == NULL || h->value == NULL) {
    free(h->name);
    if (h->value != NULL)
      nv_reg_wipe(h->value);
    free(h->value);
    h->name = h->value = NULL;
    return nv_diag_set(d, NV_E_NOMEM, "out of memory");
  }
  req->header_count++;
  return NV_OK;
}

void nv_reg_http_request_free(nv_http_request *req)
{
  if (req == NULL)
    return;
  for (size_t i = 0; i < req->header_count; i++) {
    nv_reg_wipe(req->headers[i].value); /* Authorization among them */
    free(req->headers[i].name);
    free(req->headers[i].value);
  }
  free(req->url);
  memset(req, 0, sizeof(*req));
}

const char *nv_reg_http_request_header(const nv_http_request *req, const char *name)
{
  for (size_t i = 0; i < req->header_count; i++)
    if (strcasecmp(req->headers[i].name, name) == 0)
      return req->headers[i].value;
  return NULL;
}

/* ------------------------------------------------------------------ */
/* response                                                            */

void nv_reg_http_response_init(nv_http_response *resp, size_t max_bytes)
{
  memset(resp, 0, sizeof(*resp));
  resp->max_bytes = max_bytes;
  nv_buf_init(&resp->body, max_bytes);
}

static void clear_headers(nv_http_response *resp)
{
  for (size_t i = 0; i < resp->header_count; i++) {
    free(resp->headers[i].name);
    free(resp->headers[i].value);
  }
  resp->header_count = 0;
}

void nv_reg_http_response_reset(nv_http_response *resp)
{
  size_t max = resp->max_bytes;
  clear_headers(resp);
  nv_buf_free(&resp->body);
  nv_reg_http_response_init(resp, max);
}

void nv_reg_http_response_free(nv_http_response *resp)
{
  if (resp == NULL)
    return;
  clear_headers(resp);
  nv_buf_free(&resp->body);
  memset(resp, 0, sizeof(*resp));
}

static bool success(const nv_http_response *resp)
{
  return resp->status >= 200 && resp->status <= 299;
}

nv_status nv_reg_http_response_set_status(nv_http_response *resp, int32_t status)
{
  if (status < 100 || status > 599)
    return NV_E_INVALID_ARG;
  nv_reg_http_response_reset(resp);
  resp->status = status;
  /* an error body is kept only in part */
  resp->body.limit = success(resp) ? resp->max_bytes : NV_REG_HTTP_ERROR_BODY_BYTES;
  return NV_OK;
}

/* A decimal Content-Length; false when malformed. */
static bool parse_length(const char *s, size_t len, uint64_t *out)
{
  uint64_t v = 0;
  if (len == 0 || len > 19)
    return false;
  for (size_t i = 0; i < len; i++) {
    if (s[i] < '0' || s[i] > '9')
      return false;
    v = v * 10 + (uint64_t)(s[i] - '0');
  }
  *out = v;
  return true;
}

nv_status nv_reg_http_response_add_header(nv_http_response *resp, const char *name,
                                          size_t name_len, const char *value, size_t value_len)
{
  if (resp->status == 0 || name_len == 0 || !printable(name, name_len) ||
      !printable(value, value_len) || memchr(name, ':', name_len) != NULL)
    return NV_E_INVALID_ARG;
  if (resp->header_count == NV_REG_HTTP_MAX_HEADERS ||
      name_len + value_len > NV_REG_HTTP_MAX_HEADER_LINE) {
    resp->headers_over = true;
    return NV_E_LIMIT;
  }
  if (success(resp) && name_len == 14 && strncasecmp(name, "Content-Length", 14) == 0) {
    uint64_t n = 0;
    if (parse_length(value, value_len, &n) && n > resp->max_bytes) {
      resp->too_large = true;
      return NV_E_CONTENT_TOO_LARGE;
    }
  }
  nv_reg_header *h = &resp->headers[resp->header_count];
  h->name = nv_reg_dup_range(name, name_len);
  h->value = nv_reg_dup_range(value, value_len);
  if (h->name == NULL || h->value == NULL) {
    free(h->name);
    free(h->value);
    h->name = h->value = NULL;
    return NV_E_NOMEM;
  }
  resp->header_count++;
  return NV_OK;
}

nv_status nv_reg_http_response_append_body(nv_http_response *resp, const void *data, size_t len)
{
  if (resp->status == 0)
    return NV_E_INVALID_ARG;
  if (len == 0)
    return NV_OK;
  if (resp->too_large || resp->body_cut)
    return NV_E_CONTENT_TOO_LARGE;
  size_t room = resp->body.limit - resp->body.len;
  if (len > room) {
    if (success(resp)) {
      resp->too_large = true;
    } else {
      if (room > 0 && nv_buf_append(&resp->body, data, room, NULL) != NV_OK)
        return NV_E_NOMEM;
      resp->body_cut = true;
    }
    return NV_E_CONTENT_TOO_LARGE;
  }
  nv_status rc = nv_buf_append(&resp->body, data, len, NULL);
  return rc == NV_E_LIMIT ? NV_E_CONTENT_TOO_LARGE : rc;
}

const char *nv_reg_http_response_header(const nv_http_response *resp, const char *name,
                                        size_t index)
{
  for (size_t i = 0; i < resp->header_count; i++)
    if (strcasecmp(resp->headers[i].name, name) == 0 && index-- == 0)
      return resp->headers[i].value;
  return NULL;
}

/* ------------------------------------------------------------------ */
/* transport                                                           */

nv_status nv_reg_http_new(nv_reg_http **out, nv_diag *d)
{
  *out = calloc(1, sizeof(**out));
  if (*out == NULL)
    return nv_diag_set(d, NV_E_NOMEM, "out of memory");
  return NV_OK;
}

void nv_reg_http_free(nv_reg_http *h)
{
  if (h == NULL)
    return;
  if (h->curl != NULL)
    curl_easy_cleanup(h->curl);
  free(h);
}

/* The URL without its query, quoted, for messages: a redirect target may
 * carry a pre-signed query that grants access. */
static nv_quoted url_for_message(const char *url)
{
  const char *q = strchr(url, '?');
  return nv_quote(url, q != NULL ? (size_t)(q - url) : strlen(url));
}

typedef struct curl_io {
  nv_http_response *resp;
  bool bad_status_line;
} curl_io;

static size_t header_cb(char *buf, size_t size, size_t n, void *user)
{
  curl_io *io = user;
  nv_http_response *resp = io->resp;
  size_t total = size * n, len = total;
  while (len > 0 && (buf[len - 1] == '\n' || buf[len - 1] == '\r'))
    len--;
  if (len >= 5 && memcmp(buf, "HTTP/", 5) == 0) {
    size_t i = 5;
    while (i < len && buf[i] != ' ')
      i++;
    while (i < len && buf[i] == ' ')
      i++;
    int32_t status = 0;
    size_t digits = 0;
    while (i < len && digits < 3 && buf[i] >= '0' && buf[i] <= '9') {
      status = status * 10 + (buf[i++] - '0');
      digits++;
    }
    if (digits != 3 || nv_reg_http_response_set_status(resp, status) != NV_OK) {
      io->bad_status_line = true;
      return 0;
    }
    return total;
  }
  if (len == 0 || buf[0] == ' ' || buf[0] == '\t')
    return total; /* end of the headers, or an obsolete folded line */
  if (resp->status == 0) {
    io->bad_status_line = true;
    return 0;
  }
  const char *colon = memchr(buf, ':', len);
  if (colon == NULL) {
    resp->headers_over = true; /* not a header line */
    return 0;
  }
  size_t name_len = (size_t)(colon - buf);
  const char *value = colon + 1;
  size_t value_len = len - name_len - 1;
  while (value_len > 0 && (*value == ' ' || *value == '\t')) {
    value++;
    value_len--;
  }
  while (value_len > 0 && (value[value_len - 1] == ' ' || value[value_len - 1] == '\t'))
    value_len--;
  nv_status rc = nv_reg_http_response_add_header(resp, buf, name_len, value, value_len);
  if (rc == NV_E_INVALID_ARG)
    return total; /* a header we cannot use (non-ASCII): ignored */
  return rc == NV_OK ? total : 0;
}

static size_t write_cb(char *buf, size_t size, size_t n, void *user)
{
  curl_io *io = user;
  size_t total = size * n;
  return nv_reg_http_response_append_body(io->resp, buf, total) == NV_OK ? total : 0;
}

static bool tls_error(CURLcode c)
{
  switch (c) {
  case CURLE_SSL_CONNECT_ERROR:
  case CURLE_PEER_FAILED_VERIFICATION:
  case CURLE_SSL_ENGINE_NOTFOUND:
  case CURLE_SSL_ENGINE_SETFAILED:
  case CURLE_SSL_CERTPROBLEM:
  case CURLE_SSL_CIPHER:
  case CURLE_SSL_ENGINE_INITFAILED:
  case CURLE_USE_SSL_FAILED:
  case CURLE_SSL_CACERT_BADFILE:
  case CURLE_SSL_SHUTDOWN_FAILED:
  case CURLE_SSL_CRL_BADFILE:
  case CURLE_SSL_ISSUER_ERROR:
  case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
  case CURLE_SSL_INVALIDCERTSTATUS:
  case CURLE_SSL_CLIENTCERT:
    return true;
  default:
    return false;
  }
}

static void free_slist_wiped(struct curl_slist *list)
{
  for (struct curl_slist *p = list; p != NULL; p = p->next)
    nv_reg_wipe(p->data);
  curl_slist_free_all(list);
}

static nv_status curl_send(nv_reg_http *h, const nv_reg_http_config *cfg,
                           const nv_http_request *req, nv_http_response *resp, nv_diag *d)
{
  nv_quoted uq = url_for_message(req->url);
  if (h->curl == NULL && (h->curl = curl_easy_init()) == NULL)
    return nv_diag_set(d, NV_E_NETWORK, "libcurl could not create a handle (was "
                                        "nv_global_init called, or curl_global_init with "
                                        "NV_INIT_NO_CURL?)");
  CURL *c = h->curl;
  /* Options go back to their defaults; connections, DNS and TLS session
   * caches stay, so the next request reuses the connection. */
  curl_easy_reset(c);
  struct curl_slist *headers = NULL;
  for (size_t i = 0; i < req->header_count; i++) {
    /* on the heap: an Authorization value may be a long token (the
     * credential limits allow 64 KiB) */
    size_t size = strlen(req->headers[i].name) + strlen(req->headers[i].value) + 3;
    char *line = malloc(size);
    struct curl_slist *next = NULL;
    if (line != NULL) {
      snprintf(line, size, "%s: %s", req->headers[i].name, req->headers[i].value);
      next = curl_slist_append(headers, line);
      nv_reg_wipe(line);
      free(line);
    }
    if (next == NULL) {
      free_slist_wiped(headers);
      return nv_diag_set(d, NV_E_NOMEM, "out of memory (request headers)");
    }
    headers = next;
  }
  if (strcmp(req->method, "POST") == 0) {
    struct curl_slist *next = curl_slist_append(headers, "Expect:");
    if (next == NULL) {
      free_slist_wiped(headers);
      return nv_diag_set(d, NV_E_NOMEM, "out of memory (request headers)");
    }
    headers = next;
  }
  curl_io io = {resp, false};
  h->errbuf[0] = '\0';
  bool ok = true;
  ok &= curl_easy_setopt(c, CURLOPT_URL, req->url) == CURLE_OK;
  ok &= curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https") == CURLE_OK;
  ok &= curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L) == CURLE_OK;
  ok &= curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L) == CURLE_OK;
  ok &= curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers) == CURLE_OK;
  ok &= curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, header_cb) == CURLE_OK;
  ok &= curl_easy_setopt(c, CURLOPT_HEADERDATA, &io) == CURLE_OK;
  ok &= curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, write_cb) == CURLE_OK;
  ok &= curl_easy_setopt(c, CURLOPT_WRITEDATA, &io) == CURLE_OK;
  ok &= curl_easy_setopt(c, CURLOPT_ERRORBUFFER, h->errbuf) == CURLE_OK;
  ok &= curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, (long)req->timeout_ms) == CURLE_OK;
  ok &= curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, (long)req->timeout_ms) == CURLE_OK;
  ok &= curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, req->verify_tls ? 1L : 0L) == CURLE_OK;
  ok &= curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, req->verify_tls ? 2L : 0L) == CURLE_OK;
  if (cfg->ca_file != NULL)
    ok &= curl_easy_setopt(c, CURLOPT_CAINFO, cfg->ca_file) == CURLE_OK;
  if (cfg->proxy != NULL)
    ok &= curl_easy_setopt(c, CURLOPT_PROXY, cfg->proxy) == CURLE_OK;
  if (strcmp(req->method, "POST") == 0) {
    ok &= curl_easy_setopt(c, CURLOPT_POST, 1L) == CURLE_OK;
    ok &= curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)req->body_len) ==
          CURLE_OK;
    ok &= curl_easy_setopt(c, CURLOPT_POSTFIELDS, req->body != NULL ? (const char *)req->body
                                                                     : "") == CURLE_OK;
  } else {
    ok &= curl_easy_setopt(c, CURLOPT_HTTPGET, 1L) == CURLE_OK;
  }
  if (!ok) {
    curl_easy_reset(c);
    free_slist_wiped(headers);
    return nv_diag_set(d, NV_E_NETWORK, "libcurl refused an option for %s \"%s\"", req->method,
                       uq.s);
  }
  CURLcode cc = curl_easy_perform(c);
  /* the handle must not keep pointers to the header list or our state */
  curl_easy_reset(c);
  free_slist_wiped(headers);
  const char *why = h->errbuf[0] != '\0' ? h->errbuf : curl_easy_strerror(cc);
  if (cc == CURLE_OK || (cc == CURLE_WRITE_ERROR && resp->body_cut)) {
    if (resp->status == 0)
      return nv_diag_set(d, NV_E_REGISTRY_PROTOCOL, "%s \"%s\": no HTTP status received",
                         req->method, uq.s);
    return NV_OK;
  }
  if (resp->too_large)
    return nv_diag_set(d, NV_E_CONTENT_TOO_LARGE,
                       "%s \"%s\": the response body exceeds the limit of %zu bytes; the "
                       "transfer was stopped",
                       req->method, uq.s, req->max_bytes);
  if (resp->headers_over || io.bad_status_line)
    return nv_diag_set(d, NV_E_REGISTRY_PROTOCOL,
                       "%s \"%s\": malformed response headers (a bad status line, or more than "
                       "%d header lines or a line over %d bytes)",
                       req->method, uq.s, NV_REG_HTTP_MAX_HEADERS, NV_REG_HTTP_MAX_HEADER_LINE);
  if (cc == CURLE_OPERATION_TIMEDOUT)
    return nv_diag_set(d, NV_E_TIMEOUT, "%s \"%s\": timed out (%s)", req->method, uq.s, why);
  if (cc == CURLE_OUT_OF_MEMORY)
    return nv_diag_set(d, NV_E_NOMEM, "out of memory (libcurl)");
  if (tls_error(cc))
    return nv_diag_set(d, NV_E_TLS, "%s \"%s\": TLS failed: %s", req->method, uq.s, why);
  return nv_diag_set(d, NV_E_NETWORK, "%s \"%s\": %s", req->method, uq.s, why);
}

nv_status nv_reg_http_send(nv_reg_http *h, const nv_reg_http_config *cfg,
                           const nv_http_request *req, nv_http_response *resp, nv_diag *d)
{
  if (h == NULL || cfg == NULL || req == NULL || resp == NULL || req->timeout_ms == 0)
    return nv_diag_set(d, NV_E_INVALID_ARG, "HTTP send: invalid argument");
  nv_reg_http_response_reset(resp);
  if (cfg->fetch_cb != NULL) {
    nv_quoted uq = url_for_message(req->url);
    nv_status rc = cfg->fetch_cb(req, resp, cfg->fetch_user);
    if (rc == NV_PASSTHROUGH) {
      nv_reg_http_response_reset(resp);
      return curl_send(h, cfg, req, resp, d);
    }
    if (rc == NV_E_NETWORK || rc == NV_E_TIMEOUT || rc == NV_E_TLS)
      return nv_diag_set(d, rc, "%s \"%s\": the fetch callback reported %s", req->method, uq.s,
                         nv_status_name(rc));
    if (resp->too_large)
      return nv_diag_set(d, NV_E_CONTENT_TOO_LARGE,
                         "%s \"%s\": the response body exceeds the limit of %zu bytes",
                         req->method, uq.s, req->max_bytes);
    if (rc == NV_E_CONTENT_TOO_LARGE && resp->body_cut)
      rc = NV_OK;
    if (rc != NV_OK)
      return nv_diag_set(d, NV_E_CALLBACK, "%s \"%s\": the fetch callback failed with %s (%d)",
                         req->method, uq.s,
                         nv_status_name(rc) != NULL ? nv_status_name(rc) : "an unknown status",
                         (int)rc);
    if (resp->status == 0)
      return nv_diag_set(d, NV_E_CALLBACK,
                         "%s \"%s\": the fetch callback returned NV_OK without a status",
                         req->method, uq.s);
    if (resp->headers_over)
      return nv_diag_set(d, NV_E_REGISTRY_PROTOCOL,
                         "%s \"%s\": more than %d response headers", req->method, uq.s,
                         NV_REG_HTTP_MAX_HEADERS);
    return NV_OK;
  }
  return curl_send(h, cfg, req, resp, d);
}
