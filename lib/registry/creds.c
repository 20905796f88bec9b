/* Credentials, Docker configuration files and credential helpers (see
 * nv_reg_creds.h). */
#define _GNU_SOURCE /* pipe2(): the descriptors are close-on-exec from birth */
#include "registry/nv_reg_creds.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "base/nv_base64.h"
#include "base/nv_buf.h"
#include "base/nv_json.h"
#include "base/nv_text.h"
#include "registry/nv_reg_http.h"
#include "registry/nv_reg_util.h"

#define COMPONENT "registry"

extern char **environ;

void nv_reg_cred_init(nv_credential *c)
{
  memset(c, 0, sizeof(*c));
}

void nv_reg_cred_clear(nv_credential *c)
{
  if (c == NULL)
    return;
  nv_reg_wipe_free(c->username);
  nv_reg_wipe_free(c->secret);
  memset(c, 0, sizeof(*c));
}

/* Non-empty UTF-8 without control characters, at most `max` bytes. */
static bool usable(const char *s, size_t max)
{
  if (s == NULL)
    return false;
  size_t n = strnlen(s, max + 1);
  if (n == 0 || n > max || !nv_utf8_valid(s, n))
    return false;
  for (size_t i = 0; i < n; i++)
    if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
      return false;
  return true;
}

nv_status nv_reg_cred_set(nv_credential *c, nv_reg_cred_kind kind, const char *username,
                          const char *secret)
{
  if (c == NULL || kind == NV_REG_CRED_NONE || !usable(secret, NV_REG_CRED_MAX_SECRET))
    return NV_E_INVALID_ARG;
  if (kind == NV_REG_CRED_BASIC &&
      (!usable(username, NV_REG_CRED_MAX_USERNAME) || strchr(username, ':') != NULL))
    return NV_E_INVALID_ARG;
  if (kind != NV_REG_CRED_BASIC && username != NULL &&
      !usable(username, NV_REG_CRED_MAX_USERNAME))
    return NV_E_INVALID_ARG;
  char *u = username != NULL ? strdup(username) : NULL;
  char *s = strdup(secret);
  if ((username != NULL && u == NULL) || s == NULL) {
    nv_reg_wipe_free(u);
    nv_reg_wipe_free(s);
    return NV_E_NOMEM;
  }
  nv_reg_cred_clear(c);
  c->kind = kind;
  c->username = u;
  c->secret = s;
  return NV_OK;
}

nv_status nv_reg_cred_copy(nv_credential *dst, const nv_credential *src)
{
  if (src->kind == NV_REG_CRED_NONE) {
    nv_reg_cred_clear(dst);
    return NV_OK;
  }
  return nv_reg_cred_set(dst, src->kind, src->username, src->secret);
}

const char *nv_reg_docker_server(const char *registry)
{
  if (strcmp(registry, "docker.io") == 0)
    return "https://index.docker.io/v1/";
  return registry;
}

/* ------------------------------------------------------------------ */
/* config.json                                                         */

/* The registry an "auths" key names: without scheme and path. */
static void key_host(const char *key, const char **host, size_t *len)
{
  const char *p = key;
  if (strncasecmp(p, "https://", 8) == 0)
    p += 8;
  else if (strncasecmp(p, "http://", 7) == 0)
    p += 7;
  *host = p;
  *len = strcspn(p, "/");
}

static bool key_matches(const char *key, const char *registry)
{
  const char *h;
  size_t n;
  key_host(key, &h, &n);
  if (strlen(registry) == n && strncasecmp(h, registry, n) == 0)
    return true;
  if (strcmp(registry, "docker.io") == 0)
    return (n == 15 && strncasecmp(h, "index.docker.io", 15) == 0) ||
           (n == 20 && strncasecmp(h, "registry-1.docker.io", 20) == 0);
  return false;
}

/* Read one "auths" entry into `cred`. `key` is for messages. */
static nv_status read_auth_entry(const nv_json *entry, const char *key, nv_credential *cred,
                                 nv_diag *d)
{
  nv_quoted q = nv_quote(key, strlen(key));
  if (nv_json_type_of(entry) != NV_JSON_OBJECT)
    return nv_diag_set(d, NV_E_CREDENTIALS, "auths[\"%s\"] is not an object", q.s);
  const char *fields[] = {"auth", "username", "password", "identitytoken", "registrytoken"};
  const char *v[5] = {NULL, NULL, NULL, NULL, NULL};
  for (size_t i = 0; i < 5; i++) {
    const nv_json *m = nv_json_member(entry, fields[i]);
    if (m == NULL)
      continue;
    if (nv_json_type_of(m) != NV_JSON_STRING)
      return nv_diag_set(d, NV_E_CREDENTIALS, "auths[\"%s\"].%s is not a string", q.s,
                         fields[i]);
    v[i] = nv_json_string(m);
    if (v[i][0] == '\0')
      v[i] = NULL;
  }
  nv_status rc = NV_OK;
  char *user = NULL, *pass = NULL;
  if (v[0] != NULL) {
    nv_buf raw;
    nv_buf_init(&raw, NV_REG_CRED_MAX_USERNAME + NV_REG_CRED_MAX_SECRET + 1);
    rc = nv_base64_decode(v[0], strlen(v[0]), &raw, NULL);
    if (rc == NV_OK)
      rc = nv_buf_terminate(&raw, NULL);
    const char *colon = rc == NV_OK ? memchr(raw.data, ':', raw.len) : NULL;
    if (colon == NULL || memchr(raw.data, '\0', raw.len) != NULL) {
      nv_buf_free_secure(&raw);
      return nv_diag_set(d, NV_E_CREDENTIALS,
                         "auths[\"%s\"].auth is not the base64 form of \"user:password\"", q.s);
    }
    size_t ulen = (size_t)((const uint8_t *)colon - raw.data);
    user = malloc(ulen + 1);
    pass = strdup(colon + 1);
    if (user != NULL) {
      memcpy(user, raw.data, ulen);
      user[ulen] = '\0';
    }
    nv_buf_free_secure(&raw);
    if (user == NULL || pass == NULL) {
      nv_reg_wipe_free(user);
      nv_reg_wipe_free(pass);
      return nv_diag_set(d, NV_E_NOMEM, "out of memory");
    }
  } else {
    if (v[1] != NULL && (user = strdup(v[1])) == NULL)
      return nv_diag_set(d, NV_E_NOMEM, "out of memory");
    if (v[2] != NULL && (pass = strdup(v[2])) == NULL) {
      nv_reg_wipe_free(user);
      return nv_diag_set(d, NV_E_NOMEM, "out of memory");
    }
  }
  const char *what;
  if (v[4] != NULL) {
    what = "registrytoken";
    rc = nv_reg_cred_set(cred, NV_REG_CRED_ACCESS_TOKEN, NULL, v[4]);
  } else if (v[3] != NULL) {
    what = "identitytoken";
    rc = nv_reg_cred_set(cred, NV_REG_CRED_IDENTITY_TOKEN, NULL, v[3]);
  } else if (user != NULL || pass != NULL) {
    what = "auth/username/password";
    rc = user != NULL && pass != NULL ? nv_reg_cred_set(cred, NV_REG_CRED_BASIC, user, pass)
                                      : NV_E_INVALID_ARG;
  } else {
    what = NULL; /* an empty entry, as docker writes next to a credsStore */
  }
  nv_reg_wipe_free(user);
  nv_reg_wipe_free(pass);
  if (rc == NV_E_NOMEM)
    return nv_diag_set(d, rc, "out of memory");
  if (rc != NV_OK)
    return nv_diag_set(d, NV_E_CREDENTIALS,
                       "auths[\"%s\"]: unusable %s (empty, a control character, a ':' in the "
                       "username, or too long)",
                       q.s, what);
  return NV_OK;
}

static bool helper_name_ok(const char *s)
{
  if (s == NULL || s[0] == '\0' || strlen(s) > 64)
    return false;
  for (const char *p = s; *p != '\0'; p++)
    if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
          *p == '.' || *p == '_' || *p == '-'))
      return false;
  return true;
}

nv_status nv_reg_docker_config_lookup(const void *json, size_t len, const char *registry,
                                      nv_credential *cred, char **helper, nv_diag *d)
{
  *helper = NULL;
  nv_json *root = NULL;
  nv_status rc = nv_json_parse(json, len, NV_REG_DOCKER_CONFIG_MAX_BYTES, "docker config", &root,
                               d);
  if (rc != NV_OK)
    return nv_diag_wrap(d, rc == NV_E_NOMEM ? rc : NV_E_CREDENTIALS, "%s", "");
  if (nv_json_type_of(root) != NV_JSON_OBJECT) {
    nv_json_free(root);
    return nv_diag_set(d, NV_E_CREDENTIALS, "not a JSON object");
  }
  const char *name = NULL;
  const nv_json *helpers = nv_json_member(root, "credHelpers");
  const nv_json *store = nv_json_member(root, "credsStore");
  const nv_json *auths = nv_json_member(root, "auths");
  if ((helpers != NULL && nv_json_type_of(helpers) != NV_JSON_OBJECT) ||
      (store != NULL && nv_json_type_of(store) != NV_JSON_STRING) ||
      (auths != NULL && nv_json_type_of(auths) != NV_JSON_OBJECT)) {
    nv_json_free(root);
    return nv_diag_set(d, NV_E_CREDENTIALS,
                       "\"credHelpers\" and \"auths\" must be objects, \"credsStore\" a string");
  }
  /* one pass over the members of each object */
  for (const nv_json *m = nv_json_at(helpers, 0); m != NULL; m = nv_json_next(m)) {
    if (key_matches(nv_json_key(m), registry) && nv_json_type_of(m) == NV_JSON_STRING) {
      name = nv_json_string(m);
      if (strcasecmp(nv_json_key(m), registry) == 0)
        break;
    }
  }
  if (name == NULL && store != NULL && nv_json_string(store)[0] != '\0')
    name = nv_json_string(store);
  if (name != NULL) {
    if (!helper_name_ok(name)) {
      nv_quoted q = nv_quote(name, strlen(name));
      nv_json_free(root);
      return nv_diag_set(d, NV_E_CREDENTIALS,
                         "credential helper name \"%s\" is not [A-Za-z0-9._-]+", q.s);
    }
    if ((*helper = strdup(name)) == NULL) {
      nv_json_free(root);
      return nv_diag_set(d, NV_E_NOMEM, "out of memory");
    }
  }
  const nv_json *entry = NULL;
  const char *entry_key = NULL;
  for (const nv_json *m = nv_json_at(auths, 0); m != NULL; m = nv_json_next(m)) {
    if (!key_matches(nv_json_key(m), registry))
      continue;
    if (entry == NULL || strcasecmp(nv_json_key(m), registry) == 0) {
      entry = m;
      entry_key = nv_json_key(m);
    }
  }
  rc = entry != NULL ? read_auth_entry(entry, entry_key, cred, d) : NV_OK;
  nv_json_free(root);
  if (rc != NV_OK) {
    free(*helper);
    *helper = NULL;
  }
  return rc;
}

nv_status nv_reg_docker_config_read(const char *path, uint8_t **data, size_t *len, nv_diag *d)
{
  *data = NULL;
  *len = 0;
  char built[4096];
  if (path == NULL || path[0] == '\0') {
    const char *dir = getenv("DOCKER_CONFIG");
    int n;
    if (dir != NULL && dir[0] != '\0') {
      n = snprintf(built, sizeof(built), "%s/config.json", dir);
    } else {
      const char *home = getenv("HOME");
      if (home == NULL || home[0] == '\0')
        return nv_diag_set(d, NV_E_NOT_FOUND, "no docker config: neither DOCKER_CONFIG nor HOME is set");
      n = snprintf(built, sizeof(built), "%s/.docker/config.json", home);
    }
    if (n < 0 || (size_t)n >= sizeof(built))
      return nv_diag_set(d, NV_E_CREDENTIALS, "docker config path too long");
    path = built;
  }
  nv_quoted q = nv_quote(path, strlen(path));
  int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
  if (fd < 0) {
    int e = errno;
    if (e == ENOENT || e == ENOTDIR)
      return nv_diag_set(d, NV_E_NOT_FOUND, "docker config \"%s\" does not exist", q.s);
    return nv_diag_set(d, NV_E_CREDENTIALS, "docker config \"%s\": %s", q.s, strerror(e));
  }
  struct stat st;
  if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size < 0 ||
      (uintmax_t)st.st_size > NV_REG_DOCKER_CONFIG_MAX_BYTES) {
    close(fd);
    return nv_diag_set(d, NV_E_CREDENTIALS,
                       "docker config \"%s\" is not a regular file of at most %zu bytes", q.s,
                       NV_REG_DOCKER_CONFIG_MAX_BYTES);
  }
  size_t size = (size_t)st.st_size;
  uint8_t *buf = malloc(size + 1);
  if (buf == NULL) {
    close(fd);
    return nv_diag_set(d, NV_E_NOMEM, "out of memory");
  }
  size_t got = 0;
  while (got < size) {
    ssize_t r = read(fd, buf + got, size - got);
    if (r < 0 && errno == EINTR)
      continue;
    if (r <= 0)
      break;
    got += (size_t)r;
  }
  close(fd);
  if (got != size) {
    free(buf);
    return nv_diag_set(d, NV_E_CREDENTIALS, "docker config \"%s\" could not be read whole", q.s);
  }
  buf[size] = '\0';
  *data = buf;
  *len = size;
  return NV_OK;
}

/* ------------------------------------------------------------------ */
/* credential helpers                                                  */

/* How a helper process ended. */
typedef enum helper_end {
  END_EXITED_0,  /* exited with status 0 */
  END_FAILED,    /* exited with another status, or was killed by a signal */
  END_TIMED_OUT, /* still running at the deadline: killed */
  END_UNKNOWN    /* gone, but its status could not be learnt (ECHILD) */
} helper_end;

/* After SIGKILL a process ends at once unless it sleeps in the kernel;
 * this long is waited for it before giving up on reaping it. */
#define KILL_GRACE_MS 2000

static void sleep_ms(int64_t ms)
{
  struct timespec ts = {(time_t)(ms / 1000), (long)(ms % 1000) * 1000000L};
  while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {
  }
}

/* Poll waitpid(WNOHANG) until `pid` has ended or `deadline` (nv_reg_now_ms
 * time) has passed. 1: reaped, *status set; 0: still running; -1: waitpid
 * failed (ECHILD: the host ignores SIGCHLD, so the kernel reaped the child
 * itself, or another thread of the host reaped it: either way it is gone). */
static int wait_until(pid_t pid, int64_t deadline, int *status)
{
  int64_t pause = 1;
  for (;;) {
    pid_t r = waitpid(pid, status, WNOHANG);
    if (r == pid)
      return 1;
    if (r < 0 && errno != EINTR)
      return -1;
    int64_t now = nv_reg_now_ms();
    if (now >= deadline)
      return 0;
    int64_t left = deadline - now;
    if (r == 0) {
      sleep_ms(pause < left ? pause : left);
      if (pause < 32)
        pause *= 2;
    }
  }
}

/* Wait for `pid` until `deadline`, never longer: a helper that closed its
 * standard output but does not exit is killed then. kill_now: kill it
 * without waiting (it outran the time or printed too much). The child is
 * reaped in every case but one: it does not die within KILL_GRACE_MS of
 * SIGKILL (asleep in the kernel); it is left then, rather than block the
 * verification without limit. */
static helper_end reap(pid_t pid, int64_t deadline, bool kill_now)
{
  int status = 0;
  /* one look without waiting when it is to be killed: a pid that is no
   * longer our child (r < 0) must not be signalled */
  int r = wait_until(pid, kill_now ? INT64_MIN : deadline, &status);
  if (r < 0)
    return END_UNKNOWN;
  if (r > 0)
    return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? END_EXITED_0 : END_FAILED;
  kill(pid, SIGKILL);
  (void)wait_until(pid, nv_reg_now_ms() + KILL_GRACE_MS, &status);
  return END_TIMED_OUT;
}

static nv_status parse_helper_output(const char *prog, const uint8_t *out, size_t len,
                                     nv_credential *cred, nv_diag *d)
{
  nv_json *root = NULL;
  if (nv_json_parse(out, len, NV_REG_HELPER_MAX_OUTPUT, "credential helper output", &root,
                    NULL) != NV_OK ||
      nv_json_type_of(root) != NV_JSON_OBJECT) {
    nv_json_free(root);
    nv_log(d, NV_LOG_WARN, COMPONENT, "%s printed something that is not a JSON object; no "
                                      "credentials used", prog);
    return NV_OK;
  }
  const char *user = nv_json_string(nv_json_member(root, "Username"));
  const char *secret = nv_json_string(nv_json_member(root, "Secret"));
  nv_status rc = NV_E_INVALID_ARG;
  if (secret != NULL && secret[0] != '\0') {
    if (user != NULL && strcmp(user, "<token>") == 0)
      rc = nv_reg_cred_set(cred, NV_REG_CRED_IDENTITY_TOKEN, NULL, secret);
    else
      rc = nv_reg_cred_set(cred, NV_REG_CRED_BASIC, user, secret);
  }
  nv_json_free(root);
  if (rc == NV_E_NOMEM)
    return nv_diag_set(d, rc, "out of memory");
  if (rc != NV_OK)
    nv_log(d, NV_LOG_WARN, COMPONENT, "%s returned unusable credentials; none used", prog);
  return NV_OK;
}

nv_status nv_reg_cred_helper_get(const char *helper, const char *server, int64_t timeout_ms,
                                 nv_credential *cred, nv_diag *d)
{
  if (!helper_name_ok(helper))
    return nv_diag_set(d, NV_E_CREDENTIALS, "invalid credential helper name");
  char prog[96];
  snprintf(prog, sizeof(prog), "docker-credential-%s", helper);
  int in_sv[2] = {-1, -1}, out_p[2] = {-1, -1};
  int devnull = open("/dev/null", O_RDWR | O_CLOEXEC);
  /* stdin is a socket so that writing to a helper that already exited
   * fails with EPIPE instead of raising SIGPIPE (MSG_NOSIGNAL) */
  if (devnull < 0 || socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, in_sv) != 0 ||
      pipe2(out_p, O_CLOEXEC) != 0) {
    int e = errno;
    int fds[5] = {devnull, in_sv[0], in_sv[1], out_p[0], out_p[1]};
    for (size_t i = 0; i < 5; i++)
      if (fds[i] >= 0)
        close(fds[i]);
    return nv_diag_set(d, NV_E_CREDENTIALS, "cannot run %s: %s", prog, strerror(e));
  }
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_adddup2(&fa, in_sv[1], 0);
  posix_spawn_file_actions_adddup2(&fa, out_p[1], 1);
  posix_spawn_file_actions_adddup2(&fa, devnull, 2);
  char arg_get[] = "get";
  char *argv[] = {prog, arg_get, NULL};
  pid_t pid = -1;
  int err = posix_spawnp(&pid, prog, &fa, NULL, argv, environ);
  posix_spawn_file_actions_destroy(&fa);
  close(in_sv[1]);
  close(out_p[1]);
  close(devnull);
  if (err != 0) {
    close(in_sv[0]);
    close(out_p[0]);
    nv_log(d, NV_LOG_WARN, COMPONENT, "credential helper %s could not be run (%s); no "
                                      "credentials used", prog, strerror(err));
    return NV_OK;
  }
  size_t slen = strlen(server);
  if (send(in_sv[0], server, slen, MSG_NOSIGNAL) != (ssize_t)slen)
    nv_log(d, NV_LOG_DEBUG, COMPONENT, "%s did not read its input", prog);
  close(in_sv[0]);

  nv_buf out;
  nv_buf_init(&out, NV_REG_HELPER_MAX_OUTPUT);
  int64_t deadline = nv_reg_now_ms() + (timeout_ms > 0 ? timeout_ms : 1);
  bool timed_out = false, too_much = false;
  uint8_t chunk[4096];
  for (;;) {
    int64_t left = deadline - nv_reg_now_ms();
    if (left <= 0) {
      timed_out = true;
      break;
    }
    struct pollfd pfd = {out_p[0], POLLIN, 0};
    int pr = poll(&pfd, 1, left > 1000 ? 1000 : (int)left);
    if (pr < 0 && errno == EINTR)
      continue;
    if (pr <= 0)
      continue;
    ssize_t r = read(out_p[0], chunk, sizeof(chunk));
    if (r < 0 && errno == EINTR)
      continue;
    if (r <= 0)
      break;
    if (nv_buf_append(&out, chunk, (size_t)r, NULL) != NV_OK) {
      too_much = true;
      break;
    }
  }
  memset(chunk, 0, sizeof(chunk));
  close(out_p[0]);
  helper_end end = reap(pid, deadline, timed_out || too_much);
  nv_status rc = NV_OK;
  if (timed_out) {
    rc = nv_diag_set(d, NV_E_TIMEOUT, "credential helper %s did not answer in time", prog);
  } else if (too_much) {
    nv_log(d, NV_LOG_WARN, COMPONENT, "%s printed more than %zu bytes; no credentials used",
           prog, NV_REG_HELPER_MAX_OUTPUT);
  } else if (end == END_TIMED_OUT) {
    rc = nv_diag_set(d, NV_E_TIMEOUT,
                     "credential helper %s did not answer in time (it closed its output but "
                     "did not exit)",
                     prog);
  } else if (end == END_FAILED) {
    nv_log(d, NV_LOG_INFO, COMPONENT, "%s has no credentials for %s (it exited with an error)",
           prog, server);
  } else {
    /* END_UNKNOWN: the helper is gone but its exit status cannot be learnt
     * (the host program ignores SIGCHLD, or reaped the child itself). Its
     * output is used when it is complete (end of file seen) and a JSON
     * object with a usable secret: a failing helper answers in plain text
     * ("credentials not found in native keychain"), which is refused
     * anyway; the credentials only open the registry and have no say in
     * whether a signature is trusted; and failing here would make helpers
     * unusable in every host that ignores SIGCHLD. */
    if (end == END_UNKNOWN)
      nv_log(d, NV_LOG_DEBUG, COMPONENT, "the exit status of %s could not be learnt (is "
                                         "SIGCHLD ignored?); its output is used", prog);
    rc = parse_helper_output(prog, out.data, out.len, cred, d);
  }
  nv_buf_free_secure(&out);
  return rc;
}
