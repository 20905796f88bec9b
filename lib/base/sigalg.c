#include "base/nv_sigalg.h"

#include <string.h>

struct alg_row {
  nv_sig_alg alg;
  const char *jws;
  int64_t cose;
  nv_digest_alg digest;
  size_t ecdsa_len;
};

static const struct alg_row rows[] = {
  {NV_SIG_PS256, "PS256", -37, NV_DIGEST_SHA256, 0},
  {NV_SIG_PS384, "PS384", -38, NV_DIGEST_SHA384, 0},
  {NV_SIG_PS512, "PS512", -39, NV_DIGEST_SHA512, 0},
  {NV_SIG_ES256, "ES256", -7, NV_DIGEST_SHA256, 64},
  {NV_SIG_ES384, "ES384", -35, NV_DIGEST_SHA384, 96},
  {NV_SIG_ES512, "ES512", -36, NV_DIGEST_SHA512, 132},
};

#define N_ROWS (sizeof(rows) / sizeof(rows[0]))

static const struct alg_row *row_of(nv_sig_alg alg)
{
  for (size_t i = 0; i < N_ROWS; i++)
    if (rows[i].alg == alg)
      return &rows[i];
  return NULL;
}

nv_sig_alg nv_sig_alg_from_jws(const char *name)
{
  if (name != NULL)
    for (size_t i = 0; i < N_ROWS; i++)
      if (strcmp(rows[i].jws, name) == 0)
        return rows[i].alg;
  return NV_SIG_NONE;
}

const char *nv_sig_alg_jws_name(nv_sig_alg alg)
{
  const struct alg_row *r = row_of(alg);
  return r ? r->jws : NULL;
}

nv_sig_alg nv_sig_alg_from_cose(int64_t id)
{
  for (size_t i = 0; i < N_ROWS; i++)
    if (rows[i].cose == id)
      return rows[i].alg;
  return NV_SIG_NONE;
}

int64_t nv_sig_alg_cose_id(nv_sig_alg alg)
{
  const struct alg_row *r = row_of(alg);
  return r ? r->cose : 0;
}

nv_digest_alg nv_sig_alg_digest(nv_sig_alg alg)
{
  const struct alg_row *r = row_of(alg);
  return r ? r->digest : NV_DIGEST_NONE;
}

bool nv_sig_alg_is_ecdsa(nv_sig_alg alg)
{
  return nv_sig_alg_ecdsa_sig_len(alg) != 0;
}

size_t nv_sig_alg_ecdsa_sig_len(nv_sig_alg alg)
{
  const struct alg_row *r = row_of(alg);
  return r ? r->ecdsa_len : 0;
}
