/*
 * ctc.c: the CTC decoder (tokenizers/src/decoders/ctc.rs): consecutive
 * duplicate tokens collapse, pad_token is removed, and with `cleanup`
 * the WordPiece cleanup (decoders/wordpiece.rs cleanup()) runs and
 * word_delimiter_token becomes a space; tokens left empty are dropped.
 * Replacements follow Rust's str::replace, an empty pattern included.
 */
#include "decoders/decoder.h"
#include "util/json.h"
#include "util/utf8.h"

#include <stdlib.h>
#include <string.h>

typedef struct ctc {
  hubtok__decoder base;
  char *pad;
  size_t pad_len;
  char *delim;
  size_t delim_len;
  int cleanup;
} ctc;

/* dst = src with every pat replaced by rep (str::replace). */
static hubtok_code
replace_all(hubtok__buf *dst, const char *src, size_t len, const char *pat,
            size_t plen, const char *rep, size_t rlen)
{
  size_t i = 0, from = 0;
  hubtok_code rc = HUBTOK_OK;

  hubtok__buf_reset(dst);
  if(plen == 0) {
    /* "" matches at every char boundary, the end included */
    while(!rc && i < len) {
      size_t l = hubtok__utf8_len((unsigned char)src[i]);
      if(l == 0 || l > len - i)
        l = 1;
      rc = hubtok__buf_add(dst, rep, rlen);
      if(!rc)
        rc = hubtok__buf_add(dst, src + i, l);
      i += l;
    }
    if(!rc)
      rc = hubtok__buf_add(dst, rep, rlen);
    return rc;
  }
  while(!rc && i + plen <= len) {
    if(memcmp(src + i, pat, plen)) {
      i++;
      continue;
    }
    rc = hubtok__buf_add(dst, src + from, i - from);
    if(!rc)
      rc = hubtok__buf_add(dst, rep, rlen);
    i += plen;
    from = i;
  }
  if(!rc)
    rc = hubtok__buf_add(dst, src + from, len - from);
  return rc;
}

/* wordpiece::cleanup */
static const char *const cleanup_rules[][2] = {
  { " .", "." }, { " ?", "?" }, { " !", "!" }, { " ,", "," },
  { " ' ", "'" }, { " n't", "n't" }, { " 'm", "'m" },
  { " do not", " don't" }, { " 's", "'s" }, { " 've", "'ve" },
  { " 're", "'re" }
};

static hubtok_code
ctc_decode_chain(const hubtok__decoder *d, const hubtok__strs *in,
                 hubtok__strs *out, hubtok_error *err)
{
  const ctc *c = (const ctc *)d;
  hubtok__buf a, b;
  hubtok_code rc = HUBTOK_OK;
  size_t i, r;

  hubtok__buf_init(&a, HUBTOK__DECODE_MAX);
  hubtok__buf_init(&b, HUBTOK__DECODE_MAX);
  for(i = 0; i < in->n && !rc; i++) {
    size_t len, plen;
    const char *t = hubtok__strs_get(in, i, &len);
    if(i > 0) {
      const char *prev = hubtok__strs_get(in, i - 1, &plen);
      if(plen == len && !memcmp(prev, t, len))
        continue; /* dedup */
    }
    rc = replace_all(&a, t, len, c->pad, c->pad_len, "", 0);
    for(r = 0; c->cleanup && !rc &&
        r < sizeof(cleanup_rules) / sizeof(cleanup_rules[0]); r++) {
      hubtok__buf tmp;
      rc = replace_all(&b, a.p ? a.p : "", a.len, cleanup_rules[r][0],
                       strlen(cleanup_rules[r][0]), cleanup_rules[r][1],
                       strlen(cleanup_rules[r][1]));
      tmp = a;
      a = b;
      b = tmp;
    }
    if(c->cleanup && !rc) {
      hubtok__buf tmp;
      rc = replace_all(&b, a.p ? a.p : "", a.len, c->delim, c->delim_len,
                       " ", 1);
      tmp = a;
      a = b;
      b = tmp;
    }
    if(!rc && a.len)
      rc = hubtok__strs_push(out, a.p, a.len);
  }
  hubtok__buf_free(&a);
  hubtok__buf_free(&b);
  if(rc)
    return hubtok__set_error(err, rc, "CTC: %s", hubtok_strerror(rc));
  return HUBTOK_OK;
}

static size_t
ctc_memory(const hubtok__decoder *d)
{
  const ctc *c = (const ctc *)d;
  return sizeof(*c) + c->pad_len + c->delim_len + 2;
}

static void
ctc_destroy(hubtok__decoder *d)
{
  ctc *c = (ctc *)d;

  free(c->pad);
  free(c->delim);
  free(c);
}

static const hubtok__decoder_ops ctc_ops = {
  ctc_decode_chain, ctc_memory, ctc_destroy
};

static hubtok_code
dup_str(const cJSON *j, const char *path, const char *key, char **out,
        size_t *len, hubtok_error *err)
{
  const char *s;
  hubtok_code rc = hubtok__json_str(j, path, key, 1, &s, len, err);

  if(rc)
    return rc;
  *out = malloc(*len + 1);
  if(!*out)
    return hubtok__set_error(err, HUBTOK_ENOMEM, "out of memory");
  memcpy(*out, s, *len + 1);
  return HUBTOK_OK;
}

hubtok_code
hubtok__ctc_from_json(const cJSON *j, const char *path,
                      hubtok__decoder **out, hubtok_error *err)
{
  char p[HUBTOK__PATH_MAX];
  const cJSON *cl;
  ctc *c;
  hubtok_code rc;

  *out = NULL;
  c = calloc(1, sizeof(*c));
  if(!c)
    return hubtok__set_error(err, HUBTOK_ENOMEM, "out of memory");
  c->base.ops = &ctc_ops;
  rc = dup_str(j, path, "pad_token", &c->pad, &c->pad_len, err);
  if(!rc)
    rc = dup_str(j, path, "word_delimiter_token", &c->delim,
                 &c->delim_len, err);
  if(!rc) {
    /* required, as serde's derive without a default */
    cl = hubtok__json_get(j, "cleanup");
    hubtok__json_path(p, path, "cleanup");
    if(!cJSON_IsBool(cl))
      rc = hubtok__json_bad(err, p, cl ? "expected a boolean" :
                            "missing field `cleanup`");
    else
      c->cleanup = cJSON_IsTrue(cl);
  }
  if(rc) {
    ctc_destroy(&c->base);
    return rc;
  }
  *out = &c->base;
  return HUBTOK_OK;
}
