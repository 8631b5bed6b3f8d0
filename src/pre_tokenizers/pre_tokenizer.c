/*
 * pre_tokenizer.c: the pre-tokenizer factory (PreTokenizerWrapper in
 * tokenizers/src/pre_tokenizers/mod.rs) and the PreTokenizedString split
 * list (tokenizers/src/tokenizer/pre_tokenizer.rs). In this slice only
 * the null pre-tokenizer exists: each split is one word.
 */
#include "pre_tokenizers/pre_tokenizer.h"
#include "util/json.h"

#include <stdlib.h>
#include <string.h>

hubtok_code
hubtok__pretok_push(hubtok__pretok *pt, hubtok__nstr *ns, int added,
                    uint32_t added_id)
{
  if(pt->n == pt->cap) {
    size_t ncap = pt->cap ? pt->cap * 2 : 8;
    hubtok__split *nv = realloc(pt->v, ncap * sizeof(*nv));
    if(!nv) {
      hubtok__nstr_free(ns);
      return HUBTOK_ENOMEM;
    }
    pt->v = nv;
    pt->cap = ncap;
  }
  hubtok__nstr_move(&pt->v[pt->n].ns, ns);
  pt->v[pt->n].added = added;
  pt->v[pt->n].added_id = added_id;
  pt->n++;
  return HUBTOK_OK;
}

void
hubtok__pretok_free(hubtok__pretok *pt)
{
  size_t i;

  for(i = 0; i < pt->n; i++)
    hubtok__nstr_free(&pt->v[i].ns);
  free(pt->v);
  memset(pt, 0, sizeof(*pt));
}

hubtok_code
hubtok__pre_tokenizer_from_json(const cJSON *j, const char *path, int depth,
                                hubtok__pre_tokenizer **out,
                                hubtok_error *err)
{
  const char *type;
  hubtok_code rc;

  *out = NULL;
  if(hubtok__json_is_null(j))
    return HUBTOK_OK;
  if(depth > HUBTOK__JSON_MAX_DEPTH)
    return hubtok__json_bad(err, path, "pre-tokenizers nested too deeply");
  rc = hubtok__json_type(j, path, &type, err);
  if(rc)
    return rc;
  return hubtok__json_unsupported(err, path, "pre_tokenizer", type);
}

hubtok_code
hubtok__pre_tokenize(const hubtok__pre_tokenizer *p, hubtok__pretok *pt,
                     hubtok_error *err)
{
  if(!p)
    return HUBTOK_OK;
  return p->ops->pre_tokenize(p, pt, err);
}

size_t
hubtok__pre_tokenizer_memory(const hubtok__pre_tokenizer *p)
{
  return p ? p->ops->memory(p) : 0;
}

void
hubtok__pre_tokenizer_free(hubtok__pre_tokenizer *p)
{
  if(p)
    p->ops->destroy(p);
}
