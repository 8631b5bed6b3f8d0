/*
 * wordpiece.c: the WordPiece decoder (tokenizers/src/decoders/
 * wordpiece.rs). Every token but the first loses a leading `prefix`
 * ("##") or else gets a space in front; with `cleanup`, each token then
 * goes through cleanup(): the replacements " ." -> ".", " ?" -> "?",
 * " !" -> "!", " ," -> ",", " ' " -> "'", " n't" -> "n't", " 'm" -> "'m",
 * " do not" -> " don't", " 's" -> "'s", " 've" -> "'ve", " 're" -> "'re",
 * in that order, each over the whole token (str::replace).
 *
 * tokenizer.json: {"type": "WordPiece", "prefix", "cleanup"}, both
 * required.
 */
#include "decoders/decoder.h"
#include "util/json.h"

#include <stdlib.h>
#include <string.h>

typedef struct wpdec {
  hubtok__decoder base;
  char *prefix;
  size_t prefix_len;
  int cleanup;
} wpdec;

static const char *const RULES[][2] = {
  { " .", "." }, { " ?", "?" }, { " !", "!" }, { " ,", "," },
  { " ' ", "'" }, { " n't", "n't" }, { " 'm", "'m" },
  { " do not", " don't" }, { " 's", "'s" }, { " 've", "'ve" },
  { " 're", "'re" }
};

/* dst = s[0..len) with every non-overlapping `from` (left to right)
 * replaced by `to`. dst is reset first. */
static hubtok_code
replace_all(hubtok__buf *dst, const char *s, size_t len, const char *from,
            const char *to)
{
  size_t flen = strlen(from), tlen = strlen(to), i = 0, last = 0;
  hubtok_code rc = HUBTOK_OK;

  dst->len = 0;
  while(i + flen <= len && !rc) {
    if(!memcmp(s + i, from, flen)) {
      rc = hubtok__buf_add(dst, s + last, i - last);
      if(!rc)
        rc = hubtok__buf_add(dst, to, tlen);
      i += flen;
      last = i;
    }
    else {
      i++;
    }
  }
  if(!rc)
    rc = hubtok__buf_add(dst, s + last, len - last);
  return rc;
}

/* cleanup() of wordpiece.rs on s[0..len): the result is in *res (one of
 * a or b), len *res_len. */
static hubtok_code
cleanup(const char *s, size_t len, hubtok__buf *a, hubtok__buf *b,
        const char **res, size_t *res_len)
{
  const char *cur = s;
  size_t cur_len = len, r;
  hubtok__buf *dst = a;
  hubtok_code rc;

  for(r = 0; r < sizeof(RULES) / sizeof(RULES[0]); r++) {
    rc = replace_all(dst, cur, cur_len, RULES[r][0], RULES[r][1]);
    if(rc)
      return rc;
    cur = dst->p ? dst->p : "";
    cur_len = dst->len;
    dst = dst == a ? b : a;
  }
  *res = cur;
  *res_len = cur_len;
  return HUBTOK_OK;
}

static hubtok_code
wpdec_decode_chain(const hubtok__decoder *d, const hubtok__strs *in,
                   hubtok__strs *out, hubtok_error *err)
{
  const wpdec *w = (const wpdec *)d;
  hubtok__buf tok, a, b;
  hubtok_code rc = HUBTOK_OK;
  size_t i;

  hubtok__buf_init(&tok, HUBTOK__DECODE_MAX);
  hubtok__buf_init(&a, HUBTOK__DECODE_MAX);
  hubtok__buf_init(&b, HUBTOK__DECODE_MAX);
  for(i = 0; i < in->n && !rc; i++) {
    size_t len;
    const char *t = hubtok__strs_get(in, i, &len);
    const char *res;
    size_t res_len;
    tok.len = 0;
    if(i != 0) {
      if(len >= w->prefix_len && !memcmp(t, w->prefix, w->prefix_len)) {
        t += w->prefix_len;
        len -= w->prefix_len;
      }
      else {
        rc = hubtok__buf_add(&tok, " ", 1);
      }
    }
    if(!rc)
      rc = hubtok__buf_add(&tok, t, len);
    if(rc)
      break;
    res = tok.p ? tok.p : "";
    res_len = tok.len;
    if(w->cleanup)
      rc = cleanup(res, res_len, &a, &b, &res, &res_len);
    if(!rc)
      rc = hubtok__strs_push(out, res, res_len);
  }
  hubtok__buf_free(&tok);
  hubtok__buf_free(&a);
  hubtok__buf_free(&b);
  if(rc)
    return hubtok__set_error(err, rc, "WordPiece decoder: %s",
                             hubtok_strerror(rc));
  return HUBTOK_OK;
}

static size_t
wpdec_memory(const hubtok__decoder *d)
{
  return sizeof(wpdec) + ((const wpdec *)d)->prefix_len;
}

static void
wpdec_destroy(hubtok__decoder *d)
{
  wpdec *w = (wpdec *)d;

  free(w->prefix);
  free(w);
}

static const hubtok__decoder_ops wpdec_ops = {
  wpdec_decode_chain, wpdec_memory, wpdec_destroy
};

hubtok_code
hubtok__wordpiece_decoder_from_json(const cJSON *j, const char *path,
                                    hubtok__decoder **out,
                                    hubtok_error *err)
{
  char p[HUBTOK__PATH_MAX];
  const char *s;
  size_t len;
  wpdec *w;
  hubtok_code rc;

  w = calloc(1, sizeof(*w));
  if(!w)
    return hubtok__set_error(err, HUBTOK_ENOMEM, "out of memory");
  w->base.ops = &wpdec_ops;
  rc = hubtok__json_str(j, path, "prefix", 1, &s, &len, err);
  if(!rc) {
    w->prefix = malloc(len + 1);
    if(!w->prefix)
      rc = hubtok__set_error(err, HUBTOK_ENOMEM, "out of memory");
    else {
      memcpy(w->prefix, s, len + 1);
      w->prefix_len = len;
    }
  }
  if(!rc && hubtok__json_is_null(hubtok__json_get(j, "cleanup"))) {
    hubtok__json_path(p, path, "cleanup");
    rc = hubtok__json_bad(err, p, "missing field");
  }
  if(!rc)
    rc = hubtok__json_bool(j, path, "cleanup", 1, &w->cleanup, err);
  if(rc) {
    wpdec_destroy(&w->base);
    return rc;
  }
  *out = &w->base;
  return HUBTOK_OK;
}
