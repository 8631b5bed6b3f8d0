/*
 * wordlevel.c: the WordLevel model (tokenizers/src/models/wordlevel/
 * mod.rs): a word is its vocabulary id, or unk_token's.
 *
 * tokenizer.json: {"type": "WordLevel", "vocab": {...}, "unk_token"},
 * both required ("type" may be absent, see model.c).
 */
#include "models/model.h"
#include "util/image.h"
#include "models/vocab.h"
#include "util/json.h"

#include <stdlib.h>
#include <string.h>

typedef struct wordlevel {
  hubtok__model base;
  hubtok__vocab vocab;
  char *unk;
  size_t unk_len;
} wordlevel;

static hubtok_code
wl_tokenize(const hubtok__model *m, const char *s, size_t len,
            hubtok__toks *out, hubtok_error *err)
{
  const wordlevel *w = (const wordlevel *)m;
  uint32_t id;
  hubtok_code rc;

  if(!hubtok__vocab_get(&w->vocab, s, len, &id) &&
     !hubtok__vocab_get(&w->vocab, w->unk, w->unk_len, &id))
    return hubtok__set_error(err, HUBTOK_ETOKENIZER,
                             "WordLevel error: Missing [UNK] token from the "
                             "vocabulary");
  rc = hubtok__toks_push(out, id, 0, len);
  if(rc)
    return hubtok__set_error(err, rc, "WordLevel: %s", hubtok_strerror(rc));
  return HUBTOK_OK;
}

static int
wl_token_to_id(const hubtok__model *m, const char *s, size_t len,
               uint32_t *id)
{
  return hubtok__vocab_get(&((const wordlevel *)m)->vocab, s, len, id);
}

static const char *
wl_id_to_token(const hubtok__model *m, uint32_t id, size_t *len)
{
  return hubtok__vocab_token(&((const wordlevel *)m)->vocab, id, len);
}

static size_t
wl_vocab_size(const hubtok__model *m)
{
  return ((const wordlevel *)m)->vocab.map.n;
}

static size_t
wl_memory(const hubtok__model *m)
{
  const wordlevel *w = (const wordlevel *)m;
  return sizeof(*w) + hubtok__vocab_memory(&w->vocab) + w->unk_len;
}

static void
wl_destroy(hubtok__model *m)
{
  wordlevel *w = (wordlevel *)m;

  hubtok__vocab_free(&w->vocab);
  free(w->unk);
  free(w);
}

static void
wl_to_image(const hubtok__model *m, hubtok__imgw *w)
{
  hubtok__vocab_to_image(&((const wordlevel *)m)->vocab, w);
}

static const hubtok__model_ops wl_ops = {
  wl_tokenize, wl_token_to_id, wl_id_to_token, wl_vocab_size, wl_memory,
  wl_destroy, HUBTOK__MODEL_WORDLEVEL, wl_to_image, NULL,
  NULL
};

hubtok_code
hubtok__wordlevel_build(const cJSON *j, const char *path,
                        const hubtok__image *img, hubtok__model **out,
                        hubtok_error *err)
{
  const char *s;
  wordlevel *w;
  size_t len;
  hubtok_code rc;

  w = calloc(1, sizeof(*w));
  if(!w)
    return hubtok__set_error(err, HUBTOK_ENOMEM, "out of memory");
  w->base.ops = &wl_ops;
  if(img)
    rc = hubtok__vocab_from_image(&w->vocab, img) ?
         hubtok__image_bad(err, "vocabulary") : HUBTOK_OK;
  else
    rc = hubtok__vocab_from_json(&w->vocab, j, path, err);
  if(!rc)
    rc = hubtok__json_str(j, path, "unk_token", 1, &s, &len, err);
  if(!rc) {
    w->unk = malloc(len + 1);
    if(!w->unk)
      rc = hubtok__set_error(err, HUBTOK_ENOMEM, "out of memory");
    else {
      memcpy(w->unk, s, len + 1);
      w->unk_len = len;
    }
  }
  if(rc) {
    wl_destroy(&w->base);
    return rc;
  }
  *out = &w->base;
  return HUBTOK_OK;
}
