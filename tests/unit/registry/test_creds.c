/* Credentials: validation, Docker's config.json, credential helpers run
 * from a temporary PATH directory (registry layer). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "test_files.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "registry/nv_reg_creds.h"
#include "registry/nv_reg_http.h"

/* base64("user:pa:ss") */
#define AUTH_USER_PASS "dXNlcjpwYTpzcw=="

static void validation(void **state)
{
  (void)state;
  nv_credential c;
  nv_reg_cred_init(&c);
  assert_int_equal(nv_reg_cred_set(&c, NV_REG_CRED_BASIC, "user", "pa:ss"), NV_OK);
  assert_int_equal(c.kind, NV_REG_CRED_BASIC);
  assert_string_equal(c.username, "user");
  assert_string_equal(c.secret, "pa:ss");
  /* refused, and the old value stays */
  assert_int_equal(nv_reg_cred_set(&c, NV_REG_CRED_BASIC, "us:er", "x"), NV_E_INVALID_ARG);
  assert_int_equal(nv_reg_cred_set(&c, NV_REG_CRED_BASIC, "", "x"), NV_E_INVALID_ARG);
  assert_int_equal(nv_reg_cred_set(&c, NV_REG_CRED_BASIC, NULL, "x"), NV_E_INVALID_ARG);
  assert_int_equal(nv_reg_cred_set(&c, NV_REG_CRED_BASIC, "user", ""), NV_E_INVALID_ARG);
  assert_int_equal(nv_reg_cred_set(&c, NV_REG_CRED_BASIC, "user", "a\nb"), NV_E_INVALID_ARG);
  assert_int_equal(nv_reg_cred_set(&c, NV_REG_CRED_BASIC, "user", "\xff"), NV_E_INVALID_ARG);
  assert_int_equal(nv_reg_cred_set(&c, NV_REG_CRED_NONE, "user", "x"), NV_E_INVALID_ARG);
  assert_int_equal(nv_reg_cred_set(&c, NV_REG_CRED_ACCESS_TOKEN, NULL, NULL), NV_E_INVALID_ARG);
  assert_string_equal(c.secret, "pa:ss");
  assert_int_equal(nv_reg_cred_set(&c, NV_REG_CRED_ACCESS_TOKEN, NULL, "tok\xc3\xa9"), NV_OK);
  assert_int_equal(c.kind, NV_REG_CRED_ACCESS_TOKEN);
  assert_null(c.username);
  nv_credential copy;
  nv_reg_cred_init(&copy);
  assert_int_equal(nv_reg_cred_copy(&copy, &c), NV_OK);
  assert_string_equal(copy.secret, "tok\xc3\xa9");
  nv_reg_cred_clear(&c);
  assert_int_equal(c.kind, NV_REG_CRED_NONE);
  assert_int_equal(nv_reg_cred_copy(&copy, &c), NV_OK);
  assert_int_equal(copy.kind, NV_REG_CRED_NONE);
  nv_reg_cred_clear(NULL);
  assert_string_equal(nv_reg_docker_server("docker.io"), "https://index.docker.io/v1/");
  assert_string_equal(nv_reg_docker_server("r.example"), "r.example");
}

/* Look `registry` up in `json`; returns the status, fills c and helper. */
static nv_status lookup(const char *json, const char *registry, nv_credential *c, char **helper,
                        nv_diag *d)
{
  nv_reg_cred_init(c);
  nv_diag_init(d);
  return nv_reg_docker_config_lookup(json, strlen(json), registry, c, helper, d);
}

static void config_auths(void **state)
{
  (void)state;
  nv_credential c;
  char *helper = NULL;
  nv_diag d;
  const char *cfg = "{\"auths\":{"
                    "\"https://r.example/v1/\":{\"auth\":\"" AUTH_USER_PASS "\"},"
                    "\"r.example\":{\"username\":\"exact\",\"password\":\"pw\"},"
                    "\"localhost:5000\":{\"identitytoken\":\"refresh\",\"auth\":\"" AUTH_USER_PASS "\"},"
                    "\"http://tok.example\":{\"registrytoken\":\"access\"},"
                    "\"https://index.docker.io/v1/\":{\"auth\":\"" AUTH_USER_PASS "\"},"
                    "\"empty.example\":{}"
                    "},\"unknown\":[1,2]}";
  /* an exact key wins over a normalised one */
  assert_int_equal(lookup(cfg, "r.example", &c, &helper, &d), NV_OK);
  assert_null(helper);
  assert_int_equal(c.kind, NV_REG_CRED_BASIC);
  assert_string_equal(c.username, "exact");
  nv_reg_cred_clear(&c);
  /* case-insensitive host */
  assert_int_equal(lookup(cfg, "R.Example", &c, &helper, &d), NV_OK);
  assert_int_equal(c.kind, NV_REG_CRED_BASIC);
  nv_reg_cred_clear(&c);
  assert_int_equal(lookup(cfg, "localhost:5000", &c, &helper, &d), NV_OK);
  assert_int_equal(c.kind, NV_REG_CRED_IDENTITY_TOKEN);
  assert_string_equal(c.secret, "refresh");
  nv_reg_cred_clear(&c);
  assert_int_equal(lookup(cfg, "tok.example", &c, &helper, &d), NV_OK);
  assert_int_equal(c.kind, NV_REG_CRED_ACCESS_TOKEN);
  assert_string_equal(c.secret, "access");
  nv_reg_cred_clear(&c);
  assert_int_equal(lookup(cfg, "docker.io", &c, &helper, &d), NV_OK);
  assert_int_equal(c.kind, NV_REG_CRED_BASIC);
  assert_string_equal(c.username, "user");
  assert_string_equal(c.secret, "pa:ss");
  nv_reg_cred_clear(&c);
  assert_int_equal(lookup(cfg, "empty.example", &c, &helper, &d), NV_OK);
  assert_int_equal(c.kind, NV_REG_CRED_NONE);
  assert_int_equal(lookup(cfg, "other.example", &c, &helper, &d), NV_OK);
  assert_int_equal(c.kind, NV_REG_CRED_NONE);
  /* no port match across ports */
  assert_int_equal(lookup(cfg, "localhost:5001", &c, &helper, &d), NV_OK);
  assert_int_equal(c.kind, NV_REG_CRED_NONE);
}

static void config_helpers(void **state)
{
  (void)state;
  nv_credential c;
  char *helper = NULL;
  nv_diag d;
  const char *cfg = "{\"credsStore\":\"desktop\",\"credHelpers\":{\"gcr.example\":\"gcloud\"},"
                    "\"auths\":{\"r.example\":{\"auth\":\"" AUTH_USER_PASS "\"}}}";
  assert_int_equal(lookup(cfg, "gcr.example", &c, &helper, &d), NV_OK);
  assert_string_equal(helper, "gcloud");
  free(helper);
  assert_int_equal(lookup(cfg, "r.example", &c, &helper, &d), NV_OK);
  assert_string_equal(helper, "desktop");
  assert_int_equal(c.kind, NV_REG_CRED_BASIC); /* the auths entry as the fallback */
  free(helper);
  nv_reg_cred_clear(&c);
  assert_int_equal(lookup("{\"credsStore\":\"\"}", "r.example", &c, &helper, &d), NV_OK);
  assert_null(helper);
  assert_int_equal(lookup("{\"credsStore\":\"../../bin/sh\"}", "r.example", &c, &helper, &d),
                   NV_E_CREDENTIALS);
  assert_null(helper);
  assert_int_equal(lookup("{\"credHelpers\":{\"r.example\":\"a b\"}}", "r.example", &c, &helper, &d),
                   NV_E_CREDENTIALS);
}

static void config_malformed(void **state)
{
  (void)state;
  static const char *const bad[] = {
    "[]",
    "{\"auths\":[]}",
    "{\"credsStore\":1}",
    "{\"credHelpers\":\"x\"}",
    "{\"auths\":{\"r.example\":\"x\"}}",
    "{\"auths\":{\"r.example\":{\"auth\":\"not base64!\"}}}",
    "{\"auths\":{\"r.example\":{\"auth\":\"" "dXNlcnBhc3M=" "\"}}}", /* "userpass": no ':' */
    "{\"auths\":{\"r.example\":{\"auth\":\"OnB3\"}}}",                /* ":pw": empty user */
    "{\"auths\":{\"r.example\":{\"username\":\"u\"}}}",              /* no password */
    "{\"auths\":{\"r.example\":{\"password\":7}}}",
    "{\"auths\":{\"r.example\":{\"auth\":\"" AUTH_USER_PASS "\"},\"r.example\":{}}}",
    "{\"auths\":",
  };
  for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
    nv_credential c;
    char *helper = NULL;
    nv_diag d;
    nv_status rc = lookup(bad[i], "r.example", &c, &helper, &d);
    if (rc != NV_E_CREDENTIALS)
      fail_msg("case %zu gave %d (%s)", i, (int)rc, d.msg);
    assert_null(helper);
    assert_int_equal(c.kind, NV_REG_CRED_NONE);
    /* the password never shows */
    assert_null(strstr(d.msg, "pa:ss"));
    assert_null(strstr(d.msg, AUTH_USER_PASS));
  }
}

/* ---- files and helpers ---- */

typedef struct fx {
  char dir[128];
  char *old_path;
  char *old_docker_config;
  char *old_home;
} fx;

static void write_file(const char *dir, const char *name, const char *text, mode_t mode)
{
  char path[256];
  path_join(path, sizeof(path), dir, name);
  write_path(path, text, strlen(text));
  assert_int_equal(chmod(path, mode), 0);
}

static char *dup_env(const char *name)
{
  const char *v = getenv(name);
  return v != NULL ? strdup(v) : NULL;
}

static void restore_env(const char *name, char *value)
{
  if (value != NULL)
    setenv(name, value, 1);
  else
    unsetenv(name);
  free(value);
}

static int setup(void **state)
{
  fx *f = calloc(1, sizeof(*f));
  assert_non_null(f);
  tmp_dir_new(f->dir, sizeof(f->dir), "nv-creds");
  f->old_path = dup_env("PATH");
  f->old_docker_config = dup_env("DOCKER_CONFIG");
  f->old_home = dup_env("HOME");
  char path[512];
  snprintf(path, sizeof(path), "%s:/usr/bin:/bin", f->dir);
  setenv("PATH", path, 1);
  /* helpers: nvtest puts the server it was given into the secret */
  write_file(f->dir, "docker-credential-nvtest",
             "#!/bin/sh\n[ \"$1\" = get ] || exit 3\nread server\n"
             "printf '{\"ServerURL\":\"%s\",\"Username\":\"u\",\"Secret\":\"s3cret-%s\"}' "
             "\"$server\" \"$server\"\n",
             0755);
  write_file(f->dir, "docker-credential-nvtoken",
             "#!/bin/sh\ncat >/dev/null\nprintf '{\"Username\":\"<token>\",\"Secret\":\"idt\"}'\n",
             0755);
  write_file(f->dir, "docker-credential-nvnone",
             "#!/bin/sh\necho 'credentials not found in native keychain'\nexit 1\n", 0755);
  write_file(f->dir, "docker-credential-nvslow", "#!/bin/sh\nexec sleep 5\n", 0755);
  write_file(f->dir, "docker-credential-nvloud",
             "#!/bin/sh\nhead -c 200000 /dev/zero | tr '\\0' a\n", 0755);
  write_file(f->dir, "docker-credential-nvjunk", "#!/bin/sh\necho 'not json'\n", 0755);
  write_file(f->dir, "docker-credential-nvnoexec", "#!/bin/sh\necho x\n", 0644);
  write_file(f->dir, "docker-credential-nvquiet", "#!/bin/sh\nexit 0\n", 0755);
  /* answers at once, closes its output, then does not exit */
  write_file(f->dir, "docker-credential-nvlinger",
             "#!/bin/sh\ncat >/dev/null\nprintf '{\"Username\":\"u\",\"Secret\":\"s\"}'\n"
             "exec >&-\nexec sleep 5\n",
             0755);
  *state = f;
  return 0;
}

static int teardown(void **state)
{
  fx *f = *state;
  restore_env("PATH", f->old_path);
  restore_env("DOCKER_CONFIG", f->old_docker_config);
  restore_env("HOME", f->old_home);
  rm_tree(f->dir);
  free(f);
  return 0;
}

static void helper_answers(void **state)
{
  (void)state;
  nv_credential c;
  nv_reg_cred_init(&c);
  nv_diag d;
  nv_diag_init(&d);
  assert_int_equal(nv_reg_cred_helper_get("nvtest", "r.example:5000", 5000, &c, &d), NV_OK);
  assert_int_equal(c.kind, NV_REG_CRED_BASIC);
  assert_string_equal(c.username, "u");
  assert_string_equal(c.secret, "s3cret-r.example:5000"); /* the server reached it on stdin */
  nv_reg_cred_clear(&c);
  assert_int_equal(nv_reg_cred_helper_get("nvtoken", "r.example", 5000, &c, &d), NV_OK);
  assert_int_equal(c.kind, NV_REG_CRED_IDENTITY_TOKEN);
  assert_string_equal(c.secret, "idt");
  nv_reg_cred_clear(&c);
}

static void helper_failures(void **state)
{
  (void)state;
  static const char *const none[] = {"nvnone", "nvloud", "nvjunk", "nvnoexec", "nvquiet",
                                     "nvabsent"};
  for (size_t i = 0; i < sizeof(none) / sizeof(none[0]); i++) {
    nv_credential c;
    nv_reg_cred_init(&c);
    nv_diag d;
    nv_diag_init(&d);
    nv_status rc = nv_reg_cred_helper_get(none[i], "r.example", 5000, &c, &d);
    if (rc != NV_OK)
      fail_msg("%s: %d %s", none[i], (int)rc, d.msg);
    assert_int_equal(c.kind, NV_REG_CRED_NONE);
  }
  nv_credential c;
  nv_reg_cred_init(&c);
  nv_diag d;
  nv_diag_init(&d);
  int64_t t0 = nv_reg_now_ms();
  assert_int_equal(nv_reg_cred_helper_get("nvslow", "r.example", 300, &c, &d), NV_E_TIMEOUT);
  assert_true(nv_reg_now_ms() - t0 < 3000);
  assert_non_null(strstr(d.msg, "did not answer in time"));
  assert_int_equal(nv_reg_cred_helper_get("../nvtest", "r.example", 300, &c, &d),
                   NV_E_CREDENTIALS);
}

/* No child of this process is left, not even a zombie. */
static void assert_no_children(void)
{
  errno = 0;
  assert_int_equal(waitpid(-1, NULL, WNOHANG), -1);
  assert_int_equal(errno, ECHILD);
}

/* The time budget covers the helper's exit, not only its output: a helper
 * that printed valid JSON and closed stdout but sleeps is killed and
 * reaped at the deadline (it used to be waited for without limit). */
static void helper_exit_timeout(void **state)
{
  (void)state;
  nv_credential c;
  nv_reg_cred_init(&c);
  nv_diag d;
  nv_diag_init(&d);
  int64_t t0 = nv_reg_now_ms();
  assert_int_equal(nv_reg_cred_helper_get("nvlinger", "r.example", 500, &c, &d), NV_E_TIMEOUT);
  int64_t took = nv_reg_now_ms() - t0;
  if (took > 1500)
    fail_msg("nvlinger took %lld ms with a 500 ms budget", (long long)took);
  assert_non_null(strstr(d.msg, "did not answer in time"));
  assert_int_equal(c.kind, NV_REG_CRED_NONE);
  assert_no_children();
  /* a helper that answers and exits is still waited for */
  assert_int_equal(nv_reg_cred_helper_get("nvtest", "r.example", 5000, &c, &d), NV_OK);
  assert_int_equal(c.kind, NV_REG_CRED_BASIC);
  nv_reg_cred_clear(&c);
  assert_no_children();
}

/* A host that ignores SIGCHLD: waitpid() cannot give the helper's exit
 * status (ECHILD). Complete, valid output is used (the decision documented
 * in creds.c), plain-text failure output is not, and the time budget
 * still holds. */
static void helper_sigchld_ignored(void **state)
{
  (void)state;
  void (*old)(int) = signal(SIGCHLD, SIG_IGN);
  assert_true(old != SIG_ERR);
  nv_credential c;
  nv_reg_cred_init(&c);
  nv_diag d;
  nv_diag_init(&d);
  nv_status rc = nv_reg_cred_helper_get("nvtest", "r.example", 5000, &c, &d);
  nv_reg_cred_kind got = c.kind;
  nv_reg_cred_clear(&c);
  nv_status rc_none = nv_reg_cred_helper_get("nvnone", "r.example", 5000, &c, &d);
  nv_reg_cred_kind got_none = c.kind;
  int64_t t0 = nv_reg_now_ms();
  nv_status rc_linger = nv_reg_cred_helper_get("nvlinger", "r.example", 500, &c, &d);
  int64_t took = nv_reg_now_ms() - t0;
  signal(SIGCHLD, old);
  assert_int_equal(rc, NV_OK);
  assert_int_equal(got, NV_REG_CRED_BASIC);
  assert_int_equal(rc_none, NV_OK);
  assert_int_equal(got_none, NV_REG_CRED_NONE);
  assert_int_equal(rc_linger, NV_E_TIMEOUT);
  assert_int_equal(c.kind, NV_REG_CRED_NONE);
  if (took > 1500)
    fail_msg("nvlinger took %lld ms with a 500 ms budget", (long long)took);
  assert_no_children();
}

static void config_files(void **state)
{
  fx *f = *state;
  uint8_t *data = NULL;
  size_t len = 0;
  nv_diag d;
  nv_diag_init(&d);
  write_file(f->dir, "config.json", "{\"auths\":{}}", 0600);
  char path[256];
  snprintf(path, sizeof(path), "%s/config.json", f->dir);
  assert_int_equal(nv_reg_docker_config_read(path, &data, &len, &d), NV_OK);
  assert_int_equal(len, 12);
  assert_string_equal((char *)data, "{\"auths\":{}}");
  free(data);
  /* the default location: $DOCKER_CONFIG, else $HOME/.docker */
  setenv("DOCKER_CONFIG", f->dir, 1);
  assert_int_equal(nv_reg_docker_config_read("", &data, &len, &d), NV_OK);
  free(data);
  unsetenv("DOCKER_CONFIG");
  setenv("HOME", f->dir, 1);
  assert_int_equal(nv_reg_docker_config_read(NULL, &data, &len, &d), NV_E_NOT_FOUND);
  assert_null(data);
  snprintf(path, sizeof(path), "%s/absent.json", f->dir);
  assert_int_equal(nv_reg_docker_config_read(path, &data, &len, &d), NV_E_NOT_FOUND);
  /* a directory, an oversized file */
  assert_int_equal(nv_reg_docker_config_read(f->dir, &data, &len, &d), NV_E_CREDENTIALS);
  snprintf(path, sizeof(path), "%s/big.json", f->dir);
  FILE *fp = fopen(path, "w");
  assert_non_null(fp);
  assert_int_equal(fseek(fp, (long)NV_REG_DOCKER_CONFIG_MAX_BYTES, SEEK_SET), 0);
  fputc('x', fp);
  fclose(fp);
  assert_int_equal(nv_reg_docker_config_read(path, &data, &len, &d), NV_E_CREDENTIALS);
  assert_null(data);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(validation),
    cmocka_unit_test(config_auths),
    cmocka_unit_test(config_helpers),
    cmocka_unit_test(config_malformed),
    cmocka_unit_test_setup_teardown(helper_answers, setup, teardown),
    cmocka_unit_test_setup_teardown(helper_failures, setup, teardown),
    cmocka_unit_test_setup_teardown(helper_exit_timeout, setup, teardown),
    cmocka_unit_test_setup_teardown(helper_sigchld_ignored, setup, teardown),
    cmocka_unit_test_setup_teardown(config_files, setup, teardown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
