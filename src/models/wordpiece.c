/*
 * wordpiece.c: the WordPiece model (tokenizers/src/models/wordpiece/
 * mod.rs): greedy longest-match-first. From the start of the word, the
 * longest prefix in the vocabulary is a token; every later piece is
 * looked up with continuing_subword_prefix in front. A word longer than
 * max_input_chars_per_word chars, or with a piece that matches nothing,
 * is the single unk_token (offsets: the whole word).
 *
 * tokenizer.json: {"type": "WordPiece", "vocab": {...}, "unk_token",
 * "continuing_subword_prefix", "max_input_chars_per_word"}, all required
 * ("type" may be absent, see model.c).
 */
#include "models/model.h"
#include "util/image.h"
#include "models/vocab.h"
#include "util/json.h"
#include "util/utf8.h"

#include <stdlib.h>
#include <string.h>

typedef struct wordpiece {
  hubtok__model base;
  hubtok__vocab vocab;
  char *unk;
  size_t unk_len;
  char *prefix;
  size_t prefix_len;
  uint64_t max_chars;
} wordpiece;

static hubtok_code
push_unk(const wordpiece *w, size_t len, hubtok__toks *out,
         hubtok_error *err)
{
  uint32_t id;
  hubtok_code rc;

  if(!hubtok__vocab_get(&w->vocab, w->unk, w->unk_len, &id))
    return hubtok__set_error(err, HUBTOK_ETOKENIZER,
                             "WordPiece error: Missing [UNK] token from the "
                             "vocabulary");
  rc = hubtok__toks_push(out, id, 0, len);
  if(rc)
    return hubtok__set_error(err, rc, "WordPiece: %s", hubtok_strerror(rc));
  return HUBTOK_OK;
}

static hubtok_code
wp_tokenize(const hubtok__model *m, const char *s, size_t len,
            hubtok__toks *out, hubtok_error *err)
{
  const wordpiece *w = (const wordpiece *)m;
  size_t nchars = 0, i, start = 0, first = out->n;
  char *buf = NULL;
  hubtok_code rc;

  for(i = 0; i < len; i++) {
    if(((unsigned char)s[i] & 0xC0) != 0x80)
      nchars++;
  }
  if(nchars > w->max_chars)
    return push_unk(w, len, out, err);
  while(start < len) {
    /* no token is longer than the vocabulary's longest key: start
     * there (at a char boundary), not at the end of a long word */
    size_t longest = w->vocab.map.max_len, end = len;
    uint32_t id = 0;
    int found = 0;
    if(start > 0)
      longest = longest > w->prefix_len ? longest - w->prefix_len : 0;
    if(end - start > longest) {
      end = start + longest;
      while(end > start && ((unsigned char)s[end] & 0xC0) == 0x80)
        end--;
    }
    while(start < end) {
      if(start == 0) {
        found = hubtok__vocab_get(&w->vocab, s, end, &id);
      }
      else {
        if(!buf) {
          buf = malloc(w->prefix_len + len);
          if(!buf)
            return hubtok__set_error(err, HUBTOK_ENOMEM, "out of memory");
        }
        memcpy(buf, w->prefix, w->prefix_len);
        memcpy(buf + w->prefix_len, s + start, end - start);
        found = hubtok__vocab_get(&w->vocab, buf,
                                  w->prefix_len + (end - start), &id);
      }
      if(found)
        break;
      end = start + hubtok__utf8_last(s + start, end - start);
    }
    if(!found) {
      free(buf);
      out->n = first;
      return push_unk(w, len, out, err);
    }
    rc = hubtok__toks_push(out, id, start, end);
    if(rc) {
      free(buf);
      return hubtok__set_error(err, rc, "WordPiece: %s",
                               hubtok_strerror(rc));
    }
    start = end;
  }
  free(buf);
  return HUBTOK_OK;
}

static int
wp_token_to_id(const hubtok__model *m, const char *s, size_t len,
               uint32_t *id)
{
  return hubtok__vocab_get(&((const wordpiece *)m)->vocab, s, len, id);
}

static const char *
wp_id_to_token(const hubtok__model *m, uint32_t id, size_t *len)
{
  return hubtok__vocab_token(&((const wordpiece *)m)->vocab, id, len);
}

static size_t
wp_vocab_size(const hubtok__model *m)
{
  return ((const wordpiece *)m)->vocab.map.n;
}

static size_t
wp_memory(const hubtok__model *m)
{
  const wordpiece *w = (const wordpiece *)m;
  return sizeof(*w) + hubtok__vocab_memory(&w->vocab) + w->unk_len +
         w->prefix_len;
}

static void
wp_destroy(hubtok__model *m)
{
  wordpiece *w = (wordpiece *)m;

  hubtok__vocab_free(&w->vocab);
  free(w->unk);
  free(w->prefix);
  free(w);
}

static void
wp_to_image(const hubtok__model *m, hubtok__imgw *w)
{
  hubtok__vocab_to_image(&((const wordpiece *)m)->vocab, w);
}

static const hubtok__model_ops wp_ops = {
  wp_tokenize, wp_token_to_id, wp_id_to_token, wp_vocab_size, wp_memory,
  wp_destroy, HUBTOK__MODEL_WORDPIECE, wp_to_image, NULL,
  NULL
};

/* A string member serde requires, copied. */
static hubtok_code
need_str(const cJSON *j, const char *path, const char *key, char **out,
         size_t *len, hubtok_error *err)
{
  const char *s;
  hubtok_code rc;

  rc = hubtok__json_str(j, path, key, 1, &s, len, err);
  if(rc)
    return rc;
  *out = malloc(*len + 1);
  if(!*out)
    return hubtok__set_error(err, HUBTOK_ENOMEM, "out of memory");
  memcpy(*out, s, *len + 1);
  return HUBTOK_OK;
}

hubtok_code
hubtok__wordpiece_build(const cJSON *j, const char *path,
                        const hubtok__image *img, hubtok__model **out,
                        hubtok_error *err)
{
  char p[HUBTOK__PATH_MAX];
  const cJSON *mx;
  wordpiece *w;
  hubtok_code rc;

  w = calloc(1, sizeof(*w));
  if(!w)
    return hubtok__set_error(err, HUBTOK_ENOMEM, "out of memory");
  w->base.ops = &wp_ops;
  if(img)
    rc = hubtok__vocab_from_image(&w->vocab, img) ?
         hubtok__image_bad(err, "vocabulary") : HUBTOK_OK;
  else
    rc = hubtok__vocab_from_json(&w->vocab, j, path, err);
  if(!rc)
    rc = need_str(j, path, "unk_token", &w->unk, &w->unk_len, err);
  if(!rc)
    rc = need_str(j, path, "continuing_subword_prefix", &w->prefix,
                  &w->prefix_len, err);
  if(!rc) {
    hubtok__json_path(p, path, "max_input_chars_per_word");
    mx = hubtok__json_get(j, "max_input_chars_per_word");
    if(hubtok__json_is_null(mx))
      rc = hubtok__json_bad(err, p, "missing field");
    else if(!cJSON_IsNumber(mx) || mx->valuedouble < 0 ||
            mx->valuedouble >= 18446744073709551616.0 ||
            mx->valuedouble != (double)(uint64_t)mx->valuedouble)
      rc = hubtok__json_bad(err, p, "expected a non-negative integer");
    else
      w->max_chars = (uint64_t)mx->valuedouble;
  }
  if(rc) {
    wp_destroy(&w->base);
    return rc;
  }
  *out = &w->base;
  return HUBTOK_OK;
}
