/*
 * model.c: the model factory, a switch on "type" as
 * tokenizers/src/models/mod.rs (ModelWrapper), plus the token vector.
 */
#include "models/model.h"
#include "util/image.h"
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

/* The model a "type"-less object deserializes to, as ModelUntagged in
 * tokenizers/src/models/mod.rs: the first of BPE (vocab and merges),
 * WordPiece (vocab, unk_token, continuing_subword_prefix and
 * max_input_chars_per_word), WordLevel (vocab and unk_token) and
 * Unigram (vocab as a list) whose required members are present. NULL
 * when none fits. */
static const char *
infer_type(const cJSON *j)
{
  const cJSON *vocab = hubtok__json_get(j, "vocab");

  if(cJSON_IsObject(vocab)) {
    if(cJSON_IsArray(hubtok__json_get(j, "merges")))
      return "BPE";
    if(hubtok__json_get(j, "unk_token") &&
       hubtok__json_get(j, "continuing_subword_prefix") &&
       hubtok__json_get(j, "max_input_chars_per_word"))
      return "WordPiece";
    if(hubtok__json_get(j, "unk_token"))
      return "WordLevel";
    return NULL;
  }
  if(cJSON_IsArray(vocab))
    return "Unigram";
  return NULL;
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
  /* "type" may be absent in legacy files: infer it from the members */
  if(hubtok__json_get(j, "type")) {
    rc = hubtok__json_type(j, path, &type, err);
    if(rc)
      return rc;
  }
  else {
    type = infer_type(j);
    if(!type)
      return hubtok__json_bad(err, path, "model has no \"type\" and its "
                              "members match no known model");
  }
  if(!strcmp(type, "BPE"))
    return hubtok__bpe_build(j, path, NULL, out, err);
  if(!strcmp(type, "Unigram"))
    return hubtok__unigram_build(j, path, NULL, out, err);
  if(!strcmp(type, "WordPiece"))
    return hubtok__wordpiece_build(j, path, NULL, out, err);
  if(!strcmp(type, "WordLevel"))
    return hubtok__wordlevel_build(j, path, NULL, out, err);
  return hubtok__json_unsupported(err, path, "model", type);
}

void
hubtok__model_to_image(const hubtok__model *m, hubtok__imgw *w)
{
  uint32_t kind = m->ops->kind;

  hubtok__imgw_add(w, HUBTOK__IMG_MODEL, &kind, sizeof(kind));
  m->ops->to_image(m, w);
}

hubtok_code
hubtok__image_bad(hubtok_error *err, const char *what)
{
  return hubtok__set_error(err, HUBTOK_EIO, "compiled cache form: invalid "
                           "%s", what);
}

hubtok_code
hubtok__model_from_image(const cJSON *j, const char *path,
                         const hubtok__image *img, hubtok__model **out,
                         hubtok_error *err)
{
  const uint32_t *kind;
  size_t n;
  hubtok_code rc;

  *out = NULL;
  rc = hubtok__json_object(j, path, err);
  if(rc)
    return rc;
  kind = hubtok__image_get(img, HUBTOK__IMG_MODEL, sizeof(*kind), &n);
  if(!kind || n != 1)
    return hubtok__image_bad(err, "model kind");
  switch(*kind) {
  case HUBTOK__MODEL_BPE:
    return hubtok__bpe_build(j, path, img, out, err);
  case HUBTOK__MODEL_UNIGRAM:
    return hubtok__unigram_build(j, path, img, out, err);
  case HUBTOK__MODEL_WORDPIECE:
    return hubtok__wordpiece_build(j, path, img, out, err);
  case HUBTOK__MODEL_WORDLEVEL:
    return hubtok__wordlevel_build(j, path, img, out, err);
  default:
    return hubtok__image_bad(err, "model kind");
  }
}

void
hubtok__model_free(hubtok__model *m)
{
  if(m)
    m->ops->destroy(m);
}
