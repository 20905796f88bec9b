/* HTTP responses and their bounds: the response object, the fetch
 * callback path, and libcurl's header and write callbacks against a
 * canned HTTP server on 127.0.0.1 run by this test (registry layer). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "registry/nv_reg_global.h"
#include "registry/nv_reg_http.h"

/* ---- the response object ---- */

static void response_bounds(void **state)
{
  (void)state;
  nv_http_response r;
  nv_reg_http_response_init(&r, 10);
  /* nothing before a status */
  assert_int_equal(nv_reg_http_response_append_body(&r, "x", 1), NV_E_INVALID_ARG);
  assert_int_equal(nv_reg_http_response_add_header(&r, "A", 1, "b", 1), NV_E_INVALID_ARG);
  assert_int_equal(nv_reg_http_response_set_status(&r, 99), NV_E_INVALID_ARG);
  assert_int_equal(nv_reg_http_response_set_status(&r, 600), NV_E_INVALID_ARG);
  assert_int_equal(nv_reg_http_response_set_status(&r, 200), NV_OK);
  /* a 2xx Content-Length over the limit is refused before any body */
  assert_int_equal(nv_reg_http_response_add_header(&r, "content-length", 14, "11", 2),
                   NV_E_CONTENT_TOO_LARGE);
  assert_true(r.too_large);
  assert_int_equal(nv_reg_http_response_set_status(&r, 200), NV_OK);
  assert_false(r.too_large);
  assert_int_equal(nv_reg_http_response_add_header(&r, "Content-Length", 14, "10", 2), NV_OK);
  /* the running count: 10 bytes fit, the 11th stops it */
  assert_int_equal(nv_reg_http_response_append_body(&r, "0123456", 7), NV_OK);
  assert_int_equal(nv_reg_http_response_append_body(&r, "789", 3), NV_OK);
  assert_int_equal(nv_reg_http_response_append_body(&r, "", 0), NV_OK);
  assert_int_equal(nv_reg_http_response_append_body(&r, "a", 1), NV_E_CONTENT_TOO_LARGE);
  assert_true(r.too_large);
  assert_int_equal(r.body.len, 10);
  assert_int_equal(nv_reg_http_response_append_body(&r, "b", 1), NV_E_CONTENT_TOO_LARGE);
  /* headers: printable, bounded, looked up case-insensitively */
  assert_int_equal(nv_reg_http_response_set_status(&r, 404), NV_OK);
  assert_int_equal(nv_reg_http_response_add_header(&r, "X-A", 3, "1", 1), NV_OK);
  assert_int_equal(nv_reg_http_response_add_header(&r, "x-a", 3, "2", 1), NV_OK);
  assert_int_equal(nv_reg_http_response_add_header(&r, "X-B", 3, "\x01", 1), NV_E_INVALID_ARG);
  assert_int_equal(nv_reg_http_response_add_header(&r, "X:B", 3, "v", 1), NV_E_INVALID_ARG);
  assert_int_equal(nv_reg_http_response_add_header(&r, "", 0, "v", 1), NV_E_INVALID_ARG);
  assert_string_equal(nv_reg_http_response_header(&r, "X-a", 0), "1");
  assert_string_equal(nv_reg_http_response_header(&r, "X-A", 1), "2");
  assert_null(nv_reg_http_response_header(&r, "X-A", 2));
  /* a non-2xx Content-Length is not checked, its body is cut */
  assert_int_equal(nv_reg_http_response_add_header(&r, "Content-Length", 14, "99999999", 8),
                   NV_OK);
  char big[NV_REG_HTTP_ERROR_BODY_BYTES + 10];
  memset(big, 'e', sizeof(big));
  assert_int_equal(nv_reg_http_response_append_body(&r, big, sizeof(big)),
                   NV_E_CONTENT_TOO_LARGE);
  assert_true(r.body_cut);
  assert_false(r.too_large);
  assert_int_equal(r.body.len, NV_REG_HTTP_ERROR_BODY_BYTES);
  /* header count bound */
  assert_int_equal(nv_reg_http_response_set_status(&r, 200), NV_OK);
  for (int i = 0; i < NV_REG_HTTP_MAX_HEADERS; i++)
    assert_int_equal(nv_reg_http_response_add_header(&r, "H", 1, "v", 1), NV_OK);
  assert_int_equal(nv_reg_http_response_add_header(&r, "H", 1, "v", 1), NV_E_LIMIT);
  assert_true(r.headers_over);
  nv_reg_http_response_free(&r);
}

static void request_headers(void **state)
{
  (void)state;
  nv_http_request q;
  assert_int_equal(nv_reg_http_request_init(&q, "GET", "https://r.example/v2/", 5, NULL), NV_OK);
  for (int i = 0; i < NV_REG_HTTP_MAX_REQUEST_HEADERS; i++)
    assert_int_equal(nv_reg_http_request_add_header(&q, "Accept", "x", NULL), NV_OK);
  assert_int_equal(nv_reg_http_request_add_header(&q, "Accept", "x", NULL), NV_E_LIMIT);
  assert_string_equal(nv_reg_http_request_header(&q, "accept"), "x");
  assert_null(nv_reg_http_request_header(&q, "Authorization"));
  nv_reg_http_request_free(&q);
  /* a value with a control character would split the header line */
  assert_int_equal(nv_reg_http_request_init(&q, "GET", "https://r.example/v2/", 5, NULL), NV_OK);
  static const char *const bad[] = {"a\r\nX-Injected: yes", "a\nb", "a\rb", "a\x01", "a\x7f"};
  for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
    assert_int_equal(nv_reg_http_request_add_header(&q, "Accept", bad[i], NULL),
                     NV_E_REGISTRY_PROTOCOL);
  assert_int_equal(q.header_count, 0);
  assert_int_equal(nv_reg_http_request_add_header(&q, "Accept", "a\tb, */*", NULL), NV_OK);
  nv_reg_http_request_free(&q);
}

/* ---- the fetch callback path ---- */

typedef struct cb_plan {
  nv_status ret;
  int32_t status;
  size_t body_len;
  int calls;
} cb_plan;

static nv_status plan_cb(const nv_http_request *req, nv_http_response *resp, void *user)
{
  cb_plan *p = user;
  p->calls++;
  assert_string_equal(req->method, "GET");
  if (p->status != 0)
    assert_int_equal(nv_reg_http_response_set_status(resp, p->status), NV_OK);
  for (size_t i = 0; i < p->body_len; i++)
    if (nv_reg_http_response_append_body(resp, "z", 1) != NV_OK)
      return NV_E_CONTENT_TOO_LARGE;
  return p->ret;
}

static nv_status send_plan(cb_plan *p, size_t max, nv_http_response *resp, nv_diag *d)
{
  nv_reg_http *h = NULL;
  assert_int_equal(nv_reg_http_new(&h, NULL), NV_OK);
  nv_http_request q;
  assert_int_equal(nv_reg_http_request_init(&q, "GET", "https://r.example/v2/?sig=SECRET", max,
                                            NULL),
                   NV_OK);
  q.timeout_ms = 1000;
  nv_reg_http_config cfg = {NULL, NULL, plan_cb, p};
  nv_reg_http_response_init(resp, max);
  nv_diag_init(d);
  nv_status rc = nv_reg_http_send(h, &cfg, &q, resp, d);
  nv_reg_http_request_free(&q);
  nv_reg_http_free(h);
  /* a URL's query never shows in a message (pre-signed URLs) */
  assert_null(strstr(d->msg, "SECRET"));
  return rc;
}

static void callback_results(void **state)
{
  (void)state;
  nv_http_response r;
  nv_diag d;
  cb_plan ok = {NV_OK, 200, 5, 0};
  assert_int_equal(send_plan(&ok, 5, &r, &d), NV_OK);
  assert_int_equal(r.status, 200);
  assert_int_equal(r.body.len, 5);
  nv_reg_http_response_free(&r);

  cb_plan big = {NV_OK, 200, 6, 0};
  assert_int_equal(send_plan(&big, 5, &r, &d), NV_E_CONTENT_TOO_LARGE);
  assert_non_null(strstr(d.msg, "exceeds the limit of 5 bytes"));
  nv_reg_http_response_free(&r);

  /* an error body past its bound is cut, not an error */
  cb_plan cut = {NV_OK, 500, NV_REG_HTTP_ERROR_BODY_BYTES + 1, 0};
  assert_int_equal(send_plan(&cut, 5, &r, &d), NV_OK);
  assert_true(r.body_cut);
  nv_reg_http_response_free(&r);

  static const nv_status kept[] = {NV_E_NETWORK, NV_E_TIMEOUT, NV_E_TLS};
  for (size_t i = 0; i < 3; i++) {
    cb_plan p = {kept[i], 0, 0, 0};
    assert_int_equal(send_plan(&p, 5, &r, &d), kept[i]);
    assert_non_null(strstr(d.msg, "the fetch callback reported"));
    nv_reg_http_response_free(&r);
  }
  cb_plan other = {NV_E_IO, 0, 0, 0};
  assert_int_equal(send_plan(&other, 5, &r, &d), NV_E_CALLBACK);
  nv_reg_http_response_free(&r);
  cb_plan nostatus = {NV_OK, 0, 0, 0};
  assert_int_equal(send_plan(&nostatus, 5, &r, &d), NV_E_CALLBACK);
  assert_non_null(strstr(d.msg, "without a status"));
  nv_reg_http_response_free(&r);
}

/* ---- libcurl against a canned server ---- */

typedef struct server {
  int fd;
  unsigned port;
  pthread_t thread;
  const char *head;    /* response head, sent as is */
  size_t body_bytes;   /* then this many 'b' bytes */
  unsigned delay_ms;   /* before answering */
  int connections;     /* accepted */
  int requests;        /* answered */
  int max_requests;
  char last_request[32768];
} server;

static void *serve(void *arg)
{
  server *s = arg;
  while (s->requests < s->max_requests) {
    int c = accept(s->fd, NULL, NULL);
    if (c < 0)
      break;
    s->connections++;
    for (;;) {
      /* read one request head */
      size_t got = 0;
      char buf[sizeof(s->last_request)];
      while (got < sizeof(buf) - 1) {
        ssize_t n = read(c, buf + got, 1);
        if (n <= 0)
          break;
        got++;
        buf[got] = '\0';
        if (got >= 4 && memcmp(buf + got - 4, "\r\n\r\n", 4) == 0)
          break;
      }
      if (got < 4 || memcmp(buf + got - 4, "\r\n\r\n", 4) != 0)
        break;
      memcpy(s->last_request, buf, got + 1);
      if (s->delay_ms > 0)
        {
        struct timespec ts = {(time_t)(s->delay_ms / 1000), (long)(s->delay_ms % 1000) * 1000000L};
        nanosleep(&ts, NULL);
      }
      ssize_t w = send(c, s->head, strlen(s->head), MSG_NOSIGNAL);
      char chunk[4096];
      memset(chunk, 'b', sizeof(chunk));
      for (size_t left = s->body_bytes; w >= 0 && left > 0;) {
        size_t n = left < sizeof(chunk) ? left : sizeof(chunk);
        w = send(c, chunk, n, MSG_NOSIGNAL);
        if (w <= 0)
          break;
        left -= (size_t)w;
      }
      s->requests++;
      if (s->requests >= s->max_requests || strstr(s->head, "Connection: close") != NULL)
        break;
    }
    close(c);
  }
  return NULL;
}

static void server_start(server *s, const char *head, size_t body_bytes, int max_requests)
{
  memset(s, 0, sizeof(*s));
  s->head = head;
  s->body_bytes = body_bytes;
  s->max_requests = max_requests;
  s->fd = socket(AF_INET, SOCK_STREAM, 0);
  assert_true(s->fd >= 0);
  struct sockaddr_in a;
  memset(&a, 0, sizeof(a));
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  assert_int_equal(bind(s->fd, (struct sockaddr *)&a, sizeof(a)), 0);
  socklen_t len = sizeof(a);
  assert_int_equal(getsockname(s->fd, (struct sockaddr *)&a, &len), 0);
  s->port = ntohs(a.sin_port);
  assert_int_equal(listen(s->fd, 4), 0);
  assert_int_equal(pthread_create(&s->thread, NULL, serve, s), 0);
}

static void server_stop(server *s)
{
  shutdown(s->fd, SHUT_RDWR);
  close(s->fd);
  pthread_join(s->thread, NULL);
}

static nv_status curl_get(nv_reg_http *h, unsigned port, size_t max, uint32_t timeout_ms,
                          nv_http_response *resp, nv_diag *d)
{
  char url[64];
  snprintf(url, sizeof(url), "http://127.0.0.1:%u/v2/x", port);
  nv_http_request q;
  assert_int_equal(nv_reg_http_request_init(&q, "GET", url, max, NULL), NV_OK);
  q.timeout_ms = timeout_ms;
  assert_int_equal(nv_reg_http_request_add_header(&q, "Accept", "application/x-test", NULL),
                   NV_OK);
  nv_reg_http_config cfg = {NULL, "", NULL, NULL};
  nv_reg_http_response_init(resp, max);
  nv_diag_init(d);
  nv_status rc = nv_reg_http_send(h, &cfg, &q, resp, d);
  nv_reg_http_request_free(&q);
  return rc;
}

static int global_setup(void **state)
{
  (void)state;
  return nv_reg_global_init(NULL) == NV_OK ? 0 : -1;
}

static int global_teardown(void **state)
{
  (void)state;
  nv_reg_global_cleanup();
  return 0;
}

static void curl_ok_and_reuse(void **state)
{
  (void)state;
  server s;
  server_start(&s,
               "HTTP/1.1 200 OK\r\nContent-Type: text/plain; charset=x\r\nContent-Length: 5\r\n"
               "Docker-Content-Digest: sha256:x\r\n\r\n",
               5, 2);
  nv_reg_http *h = NULL;
  assert_int_equal(nv_reg_http_new(&h, NULL), NV_OK);
  nv_http_response r;
  nv_diag d;
  for (int i = 0; i < 2; i++) {
    assert_int_equal(curl_get(h, s.port, 5, 5000, &r, &d), NV_OK);
    assert_int_equal(r.status, 200);
    assert_int_equal(r.body.len, 5);
    assert_string_equal(nv_reg_http_response_header(&r, "content-type", 0), "text/plain; charset=x");
    assert_string_equal(nv_reg_http_response_header(&r, "docker-content-digest", 0), "sha256:x");
    nv_reg_http_response_free(&r);
  }
  server_stop(&s);
  nv_reg_http_free(h);
  /* both requests on one connection */
  assert_int_equal(s.requests, 2);
  assert_int_equal(s.connections, 1);
  assert_non_null(strstr(s.last_request, "Accept: application/x-test\r\n"));
}

/* A header line longer than a response header may be (a long Bearer
 * token: credentials may be 64 KiB) is sent whole. */
static void curl_long_request_header(void **state)
{
  (void)state;
  server s;
  server_start(&s, "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n", 0, 1);
  char url[64];
  snprintf(url, sizeof(url), "http://127.0.0.1:%u/v2/x", s.port);
  nv_http_request q;
  assert_int_equal(nv_reg_http_request_init(&q, "GET", url, 5, NULL), NV_OK);
  q.timeout_ms = 5000;
  static char token[20000];
  memcpy(token, "Bearer ", 7);
  memset(token + 7, 'a', sizeof(token) - 8);
  assert_int_equal(nv_reg_http_request_add_header(&q, "Authorization", token, NULL), NV_OK);
  nv_reg_http *h = NULL;
  assert_int_equal(nv_reg_http_new(&h, NULL), NV_OK);
  nv_reg_http_config cfg = {NULL, "", NULL, NULL};
  nv_http_response r;
  nv_reg_http_response_init(&r, 5);
  nv_diag d;
  nv_diag_init(&d);
  assert_int_equal(nv_reg_http_send(h, &cfg, &q, &r, &d), NV_OK);
  assert_int_equal(r.status, 200);
  nv_reg_http_response_free(&r);
  nv_reg_http_request_free(&q);
  nv_reg_http_free(h);
  server_stop(&s);
  assert_non_null(strstr(s.last_request, token));
}

static void curl_content_length_too_large(void **state)
{
  (void)state;
  server s;
  server_start(&s, "HTTP/1.1 200 OK\r\nContent-Length: 1000000\r\n\r\n", 1000000, 1);
  nv_reg_http *h = NULL;
  assert_int_equal(nv_reg_http_new(&h, NULL), NV_OK);
  nv_http_response r;
  nv_diag d;
  assert_int_equal(curl_get(h, s.port, 1000, 5000, &r, &d), NV_E_CONTENT_TOO_LARGE);
  assert_int_equal(r.body.len, 0); /* refused from the header, nothing read */
  assert_non_null(strstr(d.msg, "transfer was stopped"));
  nv_reg_http_response_free(&r);
  nv_reg_http_free(h);
  server_stop(&s);
}

static void curl_running_count(void **state)
{
  (void)state;
  /* no Content-Length: the write callback's count stops the transfer */
  server s;
  server_start(&s, "HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n", 8 * 1024 * 1024, 1);
  nv_reg_http *h = NULL;
  assert_int_equal(nv_reg_http_new(&h, NULL), NV_OK);
  nv_http_response r;
  nv_diag d;
  assert_int_equal(curl_get(h, s.port, 1000, 5000, &r, &d), NV_E_CONTENT_TOO_LARGE);
  assert_true(r.body.len <= 1000);
  assert_true(r.too_large);
  nv_reg_http_response_free(&r);
  nv_reg_http_free(h);
  server_stop(&s);
}

static void curl_error_body_cut(void **state)
{
  (void)state;
  server s;
  server_start(&s, "HTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\n", 1024 * 1024, 1);
  nv_reg_http *h = NULL;
  assert_int_equal(nv_reg_http_new(&h, NULL), NV_OK);
  nv_http_response r;
  nv_diag d;
  assert_int_equal(curl_get(h, s.port, 10, 5000, &r, &d), NV_OK);
  assert_int_equal(r.status, 404);
  assert_true(r.body_cut);
  assert_int_equal(r.body.len, NV_REG_HTTP_ERROR_BODY_BYTES);
  nv_reg_http_response_free(&r);
  nv_reg_http_free(h);
  server_stop(&s);
}

static void curl_timeout_and_refused(void **state)
{
  (void)state;
  server s;
  server_start(&s, "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n", 0, 1);
  s.delay_ms = 1500;
  nv_reg_http *h = NULL;
  assert_int_equal(nv_reg_http_new(&h, NULL), NV_OK);
  nv_http_response r;
  nv_diag d;
  int64_t t0 = nv_reg_now_ms();
  assert_int_equal(curl_get(h, s.port, 10, 200, &r, &d), NV_E_TIMEOUT);
  assert_true(nv_reg_now_ms() - t0 < 1200);
  nv_reg_http_response_free(&r);
  server_stop(&s);
  /* nobody listens there any more */
  assert_int_equal(curl_get(h, s.port, 10, 2000, &r, &d), NV_E_NETWORK);
  nv_reg_http_response_free(&r);
  nv_reg_http_free(h);
}

static void curl_header_bounds(void **state)
{
  (void)state;
  char head[NV_REG_HTTP_MAX_HEADERS * 16 + 256];
  size_t n = (size_t)snprintf(head, sizeof(head), "HTTP/1.1 200 OK\r\nConnection: close\r\n");
  for (int i = 0; i <= NV_REG_HTTP_MAX_HEADERS; i++)
    n += (size_t)snprintf(head + n, sizeof(head) - n, "X-H%d: v\r\n", i);
  snprintf(head + n, sizeof(head) - n, "\r\n");
  server s;
  server_start(&s, head, 0, 1);
  nv_reg_http *h = NULL;
  assert_int_equal(nv_reg_http_new(&h, NULL), NV_OK);
  nv_http_response r;
  nv_diag d;
  assert_int_equal(curl_get(h, s.port, 10, 5000, &r, &d), NV_E_REGISTRY_PROTOCOL);
  nv_reg_http_response_free(&r);
  nv_reg_http_free(h);
  server_stop(&s);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(response_bounds),
    cmocka_unit_test(request_headers),
    cmocka_unit_test(callback_results),
    cmocka_unit_test(curl_ok_and_reuse),
    cmocka_unit_test(curl_long_request_header),
    cmocka_unit_test(curl_content_length_too_large),
    cmocka_unit_test(curl_running_count),
    cmocka_unit_test(curl_error_body_cut),
    cmocka_unit_test(curl_timeout_and_refused),
    cmocka_unit_test(curl_header_bounds),
  };
  return cmocka_run_group_tests(tests, global_setup, global_teardown);
}
