/*
 * Registry credentials: the body of the public nv_credential, Docker's
 * configuration file (config.json: "auths", "credsStore", "credHelpers")
 * and its credential helper programs (docker-credential-<name>).
 *
 * Secrets are overwritten before they are freed and never copied into a
 * message or a log line.
 */
#ifndef NV_REGISTRY_CREDS_H
#define NV_REGISTRY_CREDS_H

#include <notaryc/nv_registry.h>
#include <stdint.h>
#include "base/nv_diag.h"

#define NV_REG_CRED_MAX_USERNAME 4096
#define NV_REG_CRED_MAX_SECRET 65536
/* A Docker configuration file larger than this is refused. */
#define NV_REG_DOCKER_CONFIG_MAX_BYTES ((size_t)1 << 20)
/* The most a credential helper may print. */
#define NV_REG_HELPER_MAX_OUTPUT ((size_t)65536)

typedef enum nv_reg_cred_kind {
  NV_REG_CRED_NONE = 0,
  NV_REG_CRED_BASIC = 1,          /* username + password */
  NV_REG_CRED_IDENTITY_TOKEN = 2, /* OAuth2 refresh token (username optional) */
  NV_REG_CRED_ACCESS_TOKEN = 3    /* Bearer token sent as is */
} nv_reg_cred_kind;

struct nv_credential {
  nv_reg_cred_kind kind;
  char *username; /* NULL unless kind is BASIC (or given with an identity token) */
  char *secret;   /* password or token */
};

void nv_reg_cred_init(nv_credential *c);
/* Overwrite and free; back to NV_REG_CRED_NONE. */
void nv_reg_cred_clear(nv_credential *c);
/* Replace the credential. The strings must be valid UTF-8 without control
 * characters, non-empty (the username of BASIC without ':'), at most
 * NV_REG_CRED_MAX_USERNAME / NV_REG_CRED_MAX_SECRET bytes: else
 * NV_E_INVALID_ARG (nothing changed). NV_E_NOMEM. */
nv_status nv_reg_cred_set(nv_credential *c, nv_reg_cred_kind kind, const char *username,
                          const char *secret);
nv_status nv_reg_cred_copy(nv_credential *dst, const nv_credential *src);

/* The server name Docker stores credentials under for `registry`
 * ("https://index.docker.io/v1/" for docker.io, else the registry). */
const char *nv_reg_docker_server(const char *registry);

/* What a Docker configuration says about `registry`: the credential
 * helper to ask (credHelpers[registry], else credsStore; *helper NULL
 * when none; free() it) and the "auths" entry, if any, in `cred`
 * ("registrytoken" as an access token, else "identitytoken" as an
 * identity token, else "auth" (base64 "user:password") or
 * "username"/"password"). "auths" keys match when they equal the
 * registry after dropping an "http://" or "https://" prefix and any path
 * ("https://index.docker.io/v1/" and "index.docker.io" stand for
 * docker.io). A key equal to the registry wins over a normalised match.
 * A malformed document or entry: NV_E_CREDENTIALS (never quoting a
 * secret). `cred` must be initialised. */
nv_status nv_reg_docker_config_lookup(const void *json, size_t len, const char *registry,
                                      nv_credential *cred, char **helper, nv_diag *d);

/* Read the configuration file `path` ("" or NULL: $DOCKER_CONFIG/config.json,
 * else $HOME/.docker/config.json): a regular file of at most
 * NV_REG_DOCKER_CONFIG_MAX_BYTES. NV_E_NOT_FOUND when it does not exist;
 * NV_E_CREDENTIALS otherwise. *data (free() it) is NUL-terminated. */
nv_status nv_reg_docker_config_read(const char *path, uint8_t **data, size_t *len, nv_diag *d);

/* Run "docker-credential-<helper> get" (found on PATH, no shell; the
 * helper name must match [A-Za-z0-9._-]+), write `server` to its standard
 * input, read at most NV_REG_HELPER_MAX_OUTPUT bytes of standard output
 * and parse {"Username": ..., "Secret": ...}; the username "<token>" marks
 * an identity token. timeout_ms bounds the whole run: the helper must
 * close its output and exit within it, else it is killed (and reaped) and
 * the result is NV_E_TIMEOUT. A helper that cannot be run, exits non-zero
 * (docker's "credentials not found" among others) or prints nothing usable
 * leaves `cred` empty and returns NV_OK with a warning logged. A helper
 * whose exit status cannot be learnt (the host ignores SIGCHLD, so
 * waitpid() fails with ECHILD) is judged by its complete output alone: see
 * the comment in creds.c. */
nv_status nv_reg_cred_helper_get(const char *helper, const char *server, int64_t timeout_ms,
                                 nv_credential *cred, nv_diag *d);

#endif /* NV_REGISTRY_CREDS_H */
