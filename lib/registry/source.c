/* nv_reg_source over an OCI image layout (see nv_reg_source.h). */
#include "registry/nv_reg_source.h"

#include <stdlib.h>

#include "registry/nv_reg_layout.h"

typedef struct layout_source {
  nv_reg_source base; /* first: the public part */
  nv_reg_layout_ref ref;
  nv_reg_layout *layout;
} layout_source;

static nv_status layout_resolve(nv_reg_source *s, nv_descriptor *out, nv_diag *d)
{
  layout_source *ls = (layout_source *)s;
  return nv_reg_layout_resolve(ls->layout, &ls->ref, out, d);
}

static nv_status layout_list(nv_reg_source *s, const nv_descriptor *subject,
                             nv_reg_sig_list *list, nv_diag *d)
{
  return nv_reg_layout_list_signatures(((layout_source *)s)->layout, subject, list, d);
}

static nv_status layout_fetch(nv_reg_source *s, const nv_descriptor *desc, size_t max_bytes,
                              nv_reg_fetch_kind kind, uint8_t **data, size_t *len, nv_diag *d)
{
  return nv_reg_layout_fetch(((layout_source *)s)->layout, desc, max_bytes, kind, data, len, d);
}

static void layout_close(nv_reg_source *s)
{
  layout_source *ls = (layout_source *)s;
  nv_reg_layout_close(ls->layout);
  nv_reg_layout_ref_free(&ls->ref);
  free(ls);
}

static const nv_reg_source_ops layout_ops = {layout_resolve, layout_list, layout_fetch,
                                             layout_close};

nv_status nv_reg_source_open_layout(const char *reference, nv_reg_source **out, nv_diag *d)
{
  *out = NULL;
  layout_source *ls = calloc(1, sizeof(*ls));
  if (ls == NULL)
    return nv_diag_set(d, NV_E_NOMEM, "out of memory");
  nv_status rc = nv_reg_layout_ref_parse(reference, &ls->ref, d);
  if (rc == NV_OK)
    rc = nv_reg_layout_open(ls->ref.path, &ls->layout, d);
  if (rc != NV_OK) {
    layout_close(&ls->base);
    return rc;
  }
  ls->base.ops = &layout_ops;
  ls->base.tag = ls->ref.tag;
  ls->base.name = ls->ref.path;
  *out = &ls->base;
  return NV_OK;
}

void nv_reg_source_close(nv_reg_source *s)
{
  if (s != NULL)
    s->ops->close(s);
}
