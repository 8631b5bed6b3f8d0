/*
 * model.c: the model factory, a switch on "type" as
 * tokenizers/src/models/mod.rs (ModelWrapper), plus the token vector.
 */
#include "models/model.h"
#include "util/json.h"

#include <stdlib.h>
#include <string.h>

hubtok_code
hubtok__toks_push(hubtok__toks *t, uint32_t id, size_t start, size_t end)
{
  if(t->n == t->cap) {
    size_t ncap = t->cap ? t->cap * 2 : 32;
    hubtok__tok *nv = realloc(t->v, ncap * sizeof(*nv));
    if(!nv)
      return HUBTOK_ENOMEM;
    t->v = nv;
    t->cap = ncap;
  }
  t->v[t->n].id = id;
  t->v[t->n].raw = 0;
  t->v[t->n].start = start;
  t->v[t->n].end = end;
  t->n++;
  return HUBTOK_OK;
}

void
hubtok__toks_free(hubtok__toks *t)
{
  free(t->v);
  memset(t, 0, sizeof(*t));
}

hubtok_code
hubtok__model_from_json(const cJSON *j, const char *path,
                        hubtok__model **out, hubtok_error *err)
{
  const char *type = NULL;
  hubtok_code rc;

  *out = NULL;
  rc = hubtok__json_object(j, path, err);
  if(rc)
    return rc;
  /* "type" may be absent in legacy files; BPE is then recognised by its
   * "merges" member. */
  if(hubtok__json_is_null(hubtok__json_get(j, "type")) &&
     hubtok__json_get(j, "merges"))
    return hubtok__bpe_from_json(j, path, out, err);
  /* ... and Unigram by its "vocab" array (ModelUntagged tries the map
   * vocabularies first, which an array never matches). */
  if(hubtok__json_is_null(hubtok__json_get(j, "type")) &&
     cJSON_IsArray(hubtok__json_get(j, "vocab")))
    return hubtok__unigram_from_json(j, path, out, err);
  rc = hubtok__json_type(j, path, &type, err);
  if(rc)
    return rc;
  if(!strcmp(type, "BPE"))
    return hubtok__bpe_from_json(j, path, out, err);
  if(!strcmp(type, "Unigram"))
    return hubtok__unigram_from_json(j, path, out, err);
  return hubtok__json_unsupported(err, path, "model", type);
}

void
hubtok__model_free(hubtok__model *m)
{
  if(m)
    m->ops->destroy(m);
}
