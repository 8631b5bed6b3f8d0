/*
 * tokenizer.c: tokenizer.json -> hubtok_tokenizer, and the encode and
 * decode drivers, mirroring TokenizerImpl in tokenizers/src/tokenizer/
 * mod.rs and its deserializer in tokenizer/serialization.rs.
 *
 * encode: added-token split -> normalize -> pre-tokenize -> model, for
 * the sequence and the pair, then the post-processor.
 * decode: ids -> token strings (unknown ids skipped, special added tokens
 * skipped when asked) -> decoder chain.
 */
#include "convert/convert.h"
#include "tokenizer/compiled.h"
#include "util/file.h"
#include "tokenizer/added_vocab.h"
#include "tokenizer/encoding.h"
#include "decoders/decoder.h"
#include "models/model.h"
#include "normalizers/normalizer.h"
#include "pre_tokenizers/pre_tokenizer.h"
#include "processors/processor.h"
#include "util/image.h"
#include "util/json.h"
#include "util/scratch.h"
#include "util/utf8.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

struct hubtok_tokenizer {
  hubtok__normalizer *normalizer;
  hubtok__pre_tokenizer *pre_tokenizer;
  hubtok__model *model;
  hubtok__processor *processor;
  hubtok__decoder *decoder;
  hubtok__added_vocab *added;
  /* the pre-tokenizer's word plan, when encode_fused runs it (fused =
   * 1; with ByteLevel, the model has tokenize_bytes) */
  hubtok__word_plan plan;
  int fused;
  /* the compiled cache form the model's tables live in (not open when
   * loaded from JSON); closed after the model is freed */
  hubtok__image image;
};

/* ------------------------------------------------------------------ */
/* loading                                                             */

void
hubtok_tokenizer_free(hubtok_tokenizer *tok)
{
  if(!tok)
    return;
  hubtok__normalizer_free(tok->normalizer);
  hubtok__pre_tokenizer_free(tok->pre_tokenizer);
  hubtok__model_free(tok->model);
  hubtok__processor_free(tok->processor);
  hubtok__decoder_free(tok->decoder);
  hubtok__added_vocab_free(tok->added);
  hubtok__image_close(&tok->image);
  free(tok);
}

/* The tokenizer.json `root`; the model's tables come from tok->image
 * when it is open (root then has none: see write_image). */
static hubtok_code
load(hubtok_tokenizer *tok, const cJSON *root, hubtok_error *err)
{
  const cJSON *v;
  const char *s;
  hubtok_code rc;

  rc = hubtok__json_object(root, "", err);
  if(rc)
    return rc;
  rc = hubtok__json_str(root, "", "version", 0, &s, NULL, err);
  if(rc)
    return rc;
  if(s && strcmp(s, "1.0"))
    return hubtok__set_error(err, HUBTOK_EUNSUPPORTED,
                             "version: unknown tokenizer version '%.32s'",
                             s);
  /* "truncation" and "padding" are checked but not applied: as in
   * transformers.js, encode never truncates or pads by itself (the
   * caller's padding / truncation / max_length options do). */
  v = hubtok__json_get(root, "truncation");
  if(!hubtok__json_is_null(v)) {
    rc = hubtok__json_object(v, "truncation", err);
    if(rc)
      return rc;
  }
  v = hubtok__json_get(root, "padding");
  if(!hubtok__json_is_null(v)) {
    rc = hubtok__json_object(v, "padding", err);
    if(rc)
      return rc;
  }
  v = hubtok__json_get(root, "model");
  if(hubtok__json_is_null(v))
    return hubtok__json_bad(err, "model", "missing model");
  if(tok->image.map)
    rc = hubtok__model_from_image(v, "model", &tok->image, &tok->model,
                                  err);
  else
    rc = hubtok__model_from_json(v, "model", &tok->model, err);
  if(rc)
    return rc;
  rc = hubtok__normalizer_from_json(hubtok__json_get(root, "normalizer"),
                                    "normalizer", 0, &tok->normalizer, err);
  if(rc)
    return rc;
  rc = hubtok__pre_tokenizer_from_json(hubtok__json_get(root,
                                                        "pre_tokenizer"),
                                       "pre_tokenizer", 0,
                                       &tok->pre_tokenizer, err);
  if(rc)
    return rc;
  tok->fused = hubtok__pre_tokenizer_plan(tok->pre_tokenizer, &tok->plan) &&
               (!tok->plan.byte_level || tok->model->ops->tokenize_bytes);
  rc = hubtok__processor_from_json(hubtok__json_get(root, "post_processor"),
                                   "post_processor", 0, &tok->processor,
                                   err);
  if(rc)
    return rc;
  rc = hubtok__decoder_from_json(hubtok__json_get(root, "decoder"),
                                 "decoder", 0, &tok->decoder, err);
  if(rc)
    return rc;
  return hubtok__added_vocab_from_json(hubtok__json_get(root,
                                                        "added_tokens"),
                                       "added_tokens", tok->model,
                                       tok->normalizer, &tok->added, err);
}

/* A tokenizer from the tree `root`; with img, its model's tables come
 * from that image, which moves into the tokenizer (*img is closed
 * either way). */
static hubtok_code
build(const cJSON *root, hubtok__image *img, hubtok_tokenizer **out,
      hubtok_error *err)
{
  hubtok_tokenizer *tok;
  hubtok_code rc;

  *out = NULL;
  tok = calloc(1, sizeof(*tok));
  if(!tok) {
    hubtok__image_close(img);
    return hubtok__set_error(err, HUBTOK_ENOMEM, "out of memory");
  }
  if(img) {
    tok->image = *img;
    memset(img, 0, sizeof(*img));
  }
  rc = load(tok, root, err);
  if(rc) {
    hubtok_tokenizer_free(tok);
    return rc;
  }
  *out = tok;
  return HUBTOK_OK;
}

hubtok_code
hubtok__tokenizer_from_cjson(const cJSON *root, hubtok_tokenizer **out,
                             hubtok_error *err)
{
  return build(root, NULL, out, err);
}

hubtok_code
hubtok_tokenizer_from_json(const char *json, size_t len,
                           hubtok_tokenizer **out, hubtok_error *err)
{
  hubtok__json_doc doc;
  hubtok_code rc;

  if(!out)
    return hubtok__set_error(err, HUBTOK_EINVAL, "out is NULL");
  *out = NULL;
  hubtok__clear_error(err);
  /* the tree is dropped whole once the components copied what they keep */
  rc = hubtok__json_doc_parse(&doc, json, len, err);
  if(rc)
    return rc;
  rc = hubtok__tokenizer_from_cjson(doc.root, out, err);
  hubtok__json_doc_free(&doc);
  return rc;
}

hubtok_code
hubtok_tokenizer_from_file(const char *path, hubtok_tokenizer **out,
                           hubtok_error *err)
{
  char *data;
  size_t len;
  hubtok_code rc;

  if(!out)
    return hubtok__set_error(err, HUBTOK_EINVAL, "out is NULL");
  *out = NULL;
  if(!path)
    return hubtok__set_error(err, HUBTOK_EINVAL, "path is NULL");
  rc = hubtok__read_file(path, HUBTOK__JSON_MAX, &data, &len, err);
  if(rc)
    return rc;
  rc = hubtok_tokenizer_from_json(data, len, out, err);
  free(data);
  return rc;
}

/* ------------------------------------------------------------------ */
/* the compiled cache form (util/image.h)                              */

/* The members of "model" that the image holds as tables. */
static const char *const model_tables[] = { "vocab", "merges", NULL };

/* For a Hub cache blob ".../blobs/<hash>", the hash is 40 (git) or 64
 * (sha256) lowercase hex digits: its image is ".../blobs/<hash>.hubtok".
 * 0 for any other path. */
static int
blob_image_path(const char *real, char *ipath, size_t cap,
                const char **name)
{
  const char *base = strrchr(real, '/');
  size_t n, i;

  if(!base || base - real < 6 || memcmp(base - 6, "/blobs", 6))
    return 0;
  base++;
  n = strlen(base);
  if(n != 40 && n != 64)
    return 0;
  for(i = 0; i < n; i++)
    if(!((base[i] >= '0' && base[i] <= '9') ||
         (base[i] >= 'a' && base[i] <= 'f')))
      return 0;
  if((size_t)snprintf(ipath, cap, "%s.hubtok", real) >= cap)
    return 0;
  *name = base;
  return 1;
}

/* A tokenizer from an open image (moved into the tokenizer: *img is
 * closed either way). */
static hubtok_code
from_image(hubtok__image *img, hubtok_tokenizer **out, hubtok_error *err)
{
  hubtok__json_doc doc;
  const char *json;
  size_t len;
  hubtok_code rc;

  json = hubtok__image_get(img, HUBTOK__IMG_JSON, 1, &len);
  if(!json || !len || json[len - 1]) {
    hubtok__image_close(img);
    return hubtok__image_bad(err, "JSON");
  }
  rc = hubtok__json_doc_parse(&doc, json, len - 1, err);
  if(rc) {
    hubtok__image_close(img);
    return rc;
  }
  rc = build(doc.root, img, out, err);
  hubtok__json_doc_free(&doc);
  return rc;
}

hubtok_code
hubtok__tokenizer_from_image(const char *ipath, uint64_t src_size,
                             const char *src_name, hubtok_tokenizer **out,
                             hubtok_error *err)
{
  hubtok__image img;
  hubtok_code rc;

  *out = NULL;
  rc = hubtok__image_open(&img, ipath, src_size, src_name);
  if(rc)
    return hubtok__set_error(err, rc, "compiled cache form: cannot use "
                             "%.1024s", ipath);
  return from_image(&img, out, err);
}

/* Best effort: a cache that cannot be written only costs speed. Takes
 * the model tables out of doc (it is not used after). */
static void
write_image(const hubtok_tokenizer *tok, hubtok__json_doc *doc,
            const char *ipath, uint64_t src_size, const char *name)
{
  hubtok__imgw w;
  size_t len;
  char *json;

  json = hubtok__json_doc_print_without(doc, "model", model_tables, &len);
  if(!json)
    return;
  hubtok__imgw_init(&w);
  hubtok__imgw_add(&w, HUBTOK__IMG_JSON, json, len + 1);
  free(json);
  hubtok__model_to_image(tok->model, &w);
  if(hubtok__imgw_write(&w, ipath, src_size, name))
    w.rc = HUBTOK_OK; /* not written: the next load parses again */
  hubtok__imgw_free(&w);
}

hubtok_code
hubtok_tokenizer_from_file_cached(const char *path, hubtok_tokenizer **out,
                                  hubtok_error *err)
{
  char ipath[PATH_MAX + 16];
  hubtok__json_doc doc;
  const char *name;
  struct stat st;
  char *real, *data;
  size_t len;
  hubtok_code rc;

  if(!out || !path) /* its errors */
    return hubtok_tokenizer_from_file(path, out, err);
  *out = NULL;
  real = realpath(path, NULL);
  if(!real || !blob_image_path(real, ipath, sizeof(ipath), &name) ||
     stat(real, &st)) {
    free(real);
    return hubtok_tokenizer_from_file(path, out, err);
  }
  if(!hubtok__tokenizer_from_image(ipath, (uint64_t)st.st_size, name, out,
                                   err)) {
    free(real);
    return HUBTOK_OK;
  }
  /* missing or invalid: parse the JSON, then (re)write the image */
  hubtok__clear_error(err);
  rc = hubtok__read_file(real, HUBTOK__JSON_MAX, &data, &len, err);
  if(!rc)
    rc = hubtok__json_doc_parse(&doc, data, len, err);
  free(data);
  if(!rc) {
    rc = hubtok__tokenizer_from_cjson(doc.root, out, err);
    if(!rc)
      write_image(*out, &doc, ipath, len, name);
    hubtok__json_doc_free(&doc);
  }
  free(real);
  return rc;
}

size_t
hubtok_tokenizer_memory(const hubtok_tokenizer *tok)
{
  if(!tok)
    return 0;
  return sizeof(*tok) + tok->model->ops->memory(tok->model) +
         hubtok__normalizer_memory(tok->normalizer) +
         hubtok__pre_tokenizer_memory(tok->pre_tokenizer) +
         hubtok__processor_memory(tok->processor) +
         hubtok__decoder_memory(tok->decoder) +
         hubtok__added_vocab_memory(tok->added);
}

/* ------------------------------------------------------------------ */
/* encode                                                              */

/* An added token found in the text: one token, the split's text. */
static hubtok_code
push_added(const hubtok__split *sp, uint32_t type_id, size_t word,
           hubtok__enc *enc, hubtok_error *err)
{
  size_t os, oe;
  hubtok_code rc;

  hubtok__nstr_orig(&sp->ns, 0, sp->ns.len, &os, &oe);
  rc = hubtok__enc_push(enc, sp->added_id, sp->ns.s, sp->ns.len, type_id, 0,
                        0, (int32_t)word, os, oe);
  if(rc)
    return hubtok__set_error(err, rc, "encode: %s", hubtok_strerror(rc));
  return HUBTOK_OK;
}

/* A model token t of the word text (the string the model tokenized):
 * its vocabulary entry as text, or for a raw token its bytes of the
 * word; original offsets [os, oe). */
static hubtok_code
push_token(const hubtok__model *model, const hubtok__tok *t,
           const char *text, uint32_t type_id, size_t word, size_t os,
           size_t oe, hubtok__enc *enc, hubtok_error *err)
{
  size_t tlen = 0;
  const char *ts = NULL;
  hubtok_code rc;

  if(enc->ids_only)
    ; /* no token text to find */
  else if(t->raw) {
    ts = text + t->start;
    tlen = t->end - t->start;
  }
  else if(!(ts = model->ops->id_to_token(model, t->id, &tlen))) {
    ts = "";
    tlen = 0;
  }
  rc = hubtok__enc_push(enc, t->id, ts, tlen, type_id, 0, 0, (int32_t)word,
                        os, oe);
  if(rc)
    return hubtok__set_error(err, rc, "encode: %s", hubtok_strerror(rc));
  return HUBTOK_OK;
}

/* encode_single_sequence + do_tokenize + into_encoding (byte offsets;
 * the word index is the split index), stage by stage. */
static hubtok_code
encode_staged(const hubtok_tokenizer *tok, hubtok__pretok *pt,
              uint32_t type_id, hubtok__enc *enc, hubtok_error *err)
{
  hubtok__toks toks;
  hubtok_code rc;
  size_t i, k;

  memset(&toks, 0, sizeof(toks));
  rc = hubtok__pre_tokenize(tok->pre_tokenizer, pt, err);
  for(i = 0; i < pt->n && !rc; i++) {
    const hubtok__split *sp = &pt->v[i];
    size_t os, oe;
    if(i > INT32_MAX) {
      rc = hubtok__set_error(err, HUBTOK_ETOOLARGE, "too many words");
      break;
    }
    if(sp->added) {
      rc = push_added(sp, type_id, i, enc, err);
      continue;
    }
    toks.n = 0;
    rc = tok->model->ops->tokenize(tok->model, sp->ns.s, sp->ns.len, &toks,
                                   err);
    for(k = 0; k < toks.n && !rc; k++) {
      const hubtok__tok *t = &toks.v[k];
      hubtok__nstr_orig(&sp->ns, t->start, t->end, &os, &oe);
      rc = push_token(tok->model, t, sp->ns.s, type_id, i, os, oe, enc, err);
    }
  }
  hubtok__toks_free(&toks);
  return rc;
}

/* The byte of s whose alignment the ByteLevel char of byte q takes
 * (hubtok__byte_level_transform): q when it starts a char, else the
 * char's last byte. */
static size_t
bl_source(const char *s, size_t len, size_t q)
{
  if(((unsigned char)s[q] & 0xC0) != 0x80)
    return q;
  while(q + 1 < len && ((unsigned char)s[q + 1] & 0xC0) == 0x80)
    q++;
  return q;
}

/* The byte of a word at byte a whose alignment byte q of the prefixed
 * word (plen prefix bytes, then the word) takes, as hubtok__nstr_prepend
 * aligns it: the prefix (one char) takes the word's first byte's, the
 * word's first char (nl bytes) its last byte's, the rest their own. */
static size_t
prefixed_source(size_t a, size_t plen, size_t nl, size_t q)
{
  if(q < plen)
    return a;
  if(q - plen < nl)
    return a + nl - 1;
  return a + q - plen;
}

/* Whether the plan prepends its prefix to the word w[0..wl). */
static int
needs_prefix(const hubtok__word_plan *plan, const char *w, size_t wl)
{
  return plan->prefix && !(wl >= plan->prefix_len &&
                           !memcmp(w, plan->prefix, plan->prefix_len));
}

/* The prefix, then w[0..wl), into dst; their length. */
static size_t
put_prefixed(const hubtok__word_plan *plan, const char *w, size_t wl,
             char *dst)
{
  memcpy(dst, plan->prefix, plan->prefix_len);
  memcpy(dst + plan->prefix_len, w, wl);
  return plan->prefix_len + wl;
}

/* Have the model start loading what it reads first for word s[a, b):
 * the word as fused_word hands it over (a prefixed word that is too long
 * for the model's cache is not looked up there). */
static void
fused_prefetch(const hubtok_tokenizer *tok, const char *s, size_t a,
               size_t b)
{
  const hubtok__word_plan *plan = &tok->plan;
  char buf[64];

  if(!tok->model->ops->prefetch)
    return;
  if(!needs_prefix(plan, s + a, b - a))
    tok->model->ops->prefetch(tok->model, s + a, b - a, plan->byte_level);
  else if(b - a + plan->prefix_len <= sizeof(buf))
    tok->model->ops->prefetch(tok->model, buf,
                              put_prefixed(plan, s + a, b - a, buf),
                              plan->byte_level);
}

/* One word s[a, b) of split sp through the model: tokenize (of the word
 * with the plan's prefix when it needs one), or with the plan's ByteLevel
 * tokenize_bytes. */
static hubtok_code
fused_word(const hubtok_tokenizer *tok, const hubtok__split *sp, size_t a,
           size_t b, uint32_t type_id, size_t word, hubtok__toks *toks,
           hubtok__enc *enc, hubtok_error *err)
{
  const hubtok__model *model = tok->model;
  const hubtok__nstr *ns = &sp->ns;
  const hubtok__word_plan *plan = &tok->plan;
  const char *w = ns->s + a;
  char inl[64], *buf = NULL;
  size_t wl = b - a, plen = 0, nl = 0, k;
  hubtok_code rc;

  if(word > INT32_MAX)
    return hubtok__set_error(err, HUBTOK_ETOOLARGE, "too many words");
  if(needs_prefix(plan, w, wl)) {
    plen = plan->prefix_len;
    nl = hubtok__utf8_len((unsigned char)w[0]);
    if(nl == 0 || nl > wl)
      nl = 1;
    buf = wl + plen <= sizeof(inl) ? inl : malloc(wl + plen);
    if(!buf)
      return hubtok__set_error(err, HUBTOK_ENOMEM, "out of memory");
    wl = put_prefixed(plan, w, wl, buf);
    w = buf;
  }
  toks->n = 0;
  rc = plan->byte_level
         ? model->ops->tokenize_bytes(model, w, wl, toks, err)
         : model->ops->tokenize(model, w, wl, toks, err);
  for(k = 0; k < toks->n && !rc; k++) {
    const hubtok__tok *t = &toks->v[k];
    size_t os, oe;
    if(plan->byte_level) {
      os = ns->shift + ns->al[2 * bl_source(ns->s, b, a + t->start)];
      oe = ns->shift + ns->al[2 * bl_source(ns->s, b, a + t->end - 1) + 1];
    }
    else if(plen && t->end > t->start) {
      os = ns->shift + ns->al[2 * prefixed_source(a, plen, nl, t->start)];
      oe = ns->shift +
           ns->al[2 * prefixed_source(a, plen, nl, t->end - 1) + 1];
    }
    else
      hubtok__nstr_orig(ns, a + t->start, a + t->end, &os, &oe);
    rc = push_token(model, t, w, type_id, word, os, oe, enc, err);
  }
  if(buf != inl)
    free(buf);
  return rc;
}

/*
 * encode_staged in one pass, for a pre-tokenizer that is a word plan
 * (pre_tokenizer.h): the plan finds each word of a split and the model
 * tokenizes it in place, with no NormalizedString per word. With
 * ByteLevel the model gets the raw bytes (tokenize_bytes: no mapped
 * copy, its cache keyed by the raw bytes). Same tokens, offsets and word
 * indexes as encode_staged: the words are those pre_tokenize gives, in
 * order; a token's offsets are read off the split's alignments, at the
 * bytes whose alignment a sliced word (and with ByteLevel, its mapped
 * chars: bl_source) would carry.
 */
static hubtok_code
encode_fused(const hubtok_tokenizer *tok, const hubtok__pretok *pt,
             uint32_t type_id, hubtok__enc *enc, hubtok_error *err)
{
  hubtok__spans words;
  hubtok__toks toks;
  hubtok_code rc = HUBTOK_OK;
  size_t i, k, word = 0;

  memset(&words, 0, sizeof(words));
  memset(&toks, 0, sizeof(toks));
  for(i = 0; i < pt->n && !rc; i++) {
    const hubtok__split *sp = &pt->v[i];
    if(sp->added) {
      rc = word > INT32_MAX
             ? hubtok__set_error(err, HUBTOK_ETOOLARGE, "too many words")
             : push_added(sp, type_id, word, enc, err);
      word++;
      continue;
    }
    words.n = 0;
    rc = tok->plan.words(tok->plan.ctx, sp->ns.s, sp->ns.len, &words, err);
    /* each word, with what the one two ahead reads on its way */
    for(k = 0; k < words.n && !rc; k++) {
      const hubtok__span *w = &words.v[k];
      if(k + 2 < words.n)
        fused_prefetch(tok, sp->ns.s, w[2].start, w[2].end);
      rc = fused_word(tok, sp, w->start, w->end, type_id, word++, &toks, enc,
                      err);
    }
  }
  hubtok__spans_free(&words);
  hubtok__toks_free(&toks);
  return rc;
}

/* The added-token split, then the rest stage by stage or fused. */
static hubtok_code
encode_one(const hubtok_tokenizer *tok, const char *text, size_t len,
           uint32_t type_id, hubtok__enc *enc, hubtok_error *err)
{
  hubtok__pretok pt;
  hubtok_code rc;

  memset(&pt, 0, sizeof(pt));
  rc = hubtok__added_vocab_extract(tok->added, tok->normalizer, text, len,
                                   &pt, err);
  if(!rc)
    rc = tok->fused ? encode_fused(tok, &pt, type_id, enc, err)
                    : encode_staged(tok, &pt, type_id, enc, err);
  hubtok__pretok_free(&pt);
  return rc;
}

/*
 * Byte offsets -> char offsets for OffsetType::Char, as
 * BytesToCharOffsetConverter (tokenizers/src/tokenizer/pre_tokenizer.rs)
 * over the sequence text: every byte of a char maps to that char's index;
 * an end that is not a byte of the text maps to one past the char holding
 * end - 1 (start + 1 when that is no byte either); a start that is no
 * byte of the text leaves both offsets as they are. Offsets only grow
 * within an encoding in the common case, so a cursor makes it O(len).
 */
typedef struct char_cursor {
  size_t byte, ch; /* ch = chars starting before byte */
} char_cursor;

/* Index of the char holding byte off of text (off < len). */
static size_t
char_at(const char *text, size_t off, char_cursor *cur)
{
  if(off < cur->byte) {
    cur->byte = 0;
    cur->ch = 0;
  }
  while(cur->byte < off) {
    if(((unsigned char)text[cur->byte] & 0xC0) != 0x80)
      cur->ch++;
    cur->byte++;
  }
  if(((unsigned char)text[off] & 0xC0) == 0x80 && cur->ch > 0)
    return cur->ch - 1;
  return cur->ch;
}

static void
to_char_offsets(hubtok__enc *enc, const char *text, size_t len)
{
  char_cursor cur = {0, 0};
  size_t i;

  for(i = 0; i < enc->e.n; i++) {
    size_t *o = &enc->e.offsets[2 * i];
    size_t start;
    if(o[0] >= len)
      continue;
    start = char_at(text, o[0], &cur);
    if(o[1] < len)
      o[1] = char_at(text, o[1], &cur);
    else if(o[1] - 1 < len)
      o[1] = char_at(text, o[1] - 1, &cur) + 1;
    else
      o[1] = start + 1;
    o[0] = start;
  }
}

static hubtok_code
check_text(const char *text, size_t len, const char *what,
           hubtok_error *err)
{
  size_t ok;

  if(!text && len)
    return hubtok__set_error(err, HUBTOK_EINVAL, "%s is NULL", what);
  if(len > HUBTOK__TEXT_MAX / 4)
    return hubtok__set_error(err, HUBTOK_ETOOLARGE,
                             "%s is %zu bytes; the limit is %zu", what, len,
                             HUBTOK__TEXT_MAX / 4);
  ok = text ? hubtok__utf8_valid_prefix(text, len) : 0;
  if(ok != len) {
    hubtok_code rc = hubtok__set_error(err, HUBTOK_EINVAL,
                                       "%s is not valid UTF-8 (byte %zu)",
                                       what, ok);
    if(err)
      err->pos = ok;
    return rc;
  }
  return HUBTOK_OK;
}

/* Tokenizer::encode / encode_char_offsets (tokenizers/src/tokenizer/
 * mod.rs): each sequence, its offsets as chars if asked, then
 * post_process. */
static hubtok_code
encode_impl(const hubtok_tokenizer *tok, const char *text, size_t len,
            const char *pair, size_t pair_len,
            const hubtok_encode_opts *opts, int char_offsets, int ids_only,
            hubtok_encoding **out, hubtok_error *err)
{
  hubtok__enc a, b, fin;
  int add_special = opts ? opts->add_special_tokens : 1;
  hubtok_code rc;

  if(!out)
    return hubtok__set_error(err, HUBTOK_EINVAL, "out is NULL");
  *out = NULL;
  if(!tok)
    return hubtok__set_error(err, HUBTOK_EINVAL, "tokenizer is NULL");
  rc = check_text(text, len, "text", err);
  if(!rc && pair)
    rc = check_text(pair, pair_len, "pair", err);
  if(rc)
    return rc;
  hubtok__enc_init(&a, ids_only);
  hubtok__enc_init(&b, ids_only);
  hubtok__enc_init(&fin, ids_only);
  /* the normalized words of this call live in the thread's scratch; the
   * result (fin, via hubtok__enc_finish) is malloc'd */
  hubtok__scratch_begin();
  rc = encode_one(tok, text ? text : "", len, 0, &a, err);
  if(!rc && char_offsets)
    to_char_offsets(&a, text, len);
  if(!rc && pair)
    rc = encode_one(tok, pair, pair_len, 1, &b, err);
  if(!rc && pair && char_offsets)
    to_char_offsets(&b, pair, pair_len);
  if(!rc)
    rc = hubtok__post_process(tok->processor, &a, pair ? &b : NULL,
                              add_special, &fin, err);
  if(!rc) {
    rc = hubtok__enc_finish(&fin, out);
    if(rc)
      hubtok__set_error(err, rc, "encode: %s", hubtok_strerror(rc));
  }
  hubtok__enc_free(&a);
  hubtok__enc_free(&b);
  hubtok__enc_free(&fin);
  hubtok__scratch_end();
  return rc;
}

hubtok_code
hubtok_encode(const hubtok_tokenizer *tok, const char *text, size_t len,
              const char *pair, size_t pair_len,
              const hubtok_encode_opts *opts, hubtok_encoding **out,
              hubtok_error *err)
{
  return encode_impl(tok, text, len, pair, pair_len, opts, 0, 0, out, err);
}

hubtok_code
hubtok_encode_ids(const hubtok_tokenizer *tok, const char *text, size_t len,
                  const char *pair, size_t pair_len,
                  const hubtok_encode_opts *opts, hubtok_encoding **out,
                  hubtok_error *err)
{
  return encode_impl(tok, text, len, pair, pair_len, opts, 0, 1, out, err);
}

hubtok_code
hubtok_encode_char_offsets(const hubtok_tokenizer *tok, const char *text,
                           size_t len, const char *pair, size_t pair_len,
                           const hubtok_encode_opts *opts,
                           hubtok_encoding **out, hubtok_error *err)
{
  return encode_impl(tok, text, len, pair, pair_len, opts, 1, 0, out, err);
}

/* ------------------------------------------------------------------ */
/* decode                                                              */

static const char *
id_to_token(const hubtok_tokenizer *tok, uint32_t id, size_t *len)
{
  const char *s = hubtok__added_vocab_id_to_token(tok->added, id, len);

  if(s)
    return s;
  return tok->model->ops->id_to_token(tok->model, id, len);
}

hubtok_code
hubtok_decode(const hubtok_tokenizer *tok, const uint32_t *ids, size_t n,
              int skip_special_tokens, char **out, size_t *out_len,
              hubtok_error *err)
{
  hubtok__strs toks;
  hubtok_code rc = HUBTOK_OK;
  size_t i;

  if(!out)
    return hubtok__set_error(err, HUBTOK_EINVAL, "out is NULL");
  *out = NULL;
  if(out_len)
    *out_len = 0;
  if(!tok || (!ids && n))
    return hubtok__set_error(err, HUBTOK_EINVAL, "bad arguments");
  hubtok__strs_init(&toks);
  for(i = 0; i < n && !rc; i++) {
    size_t len = 0;
    const char *s = id_to_token(tok, ids[i], &len);
    if(!s)
      continue; /* unknown ids are skipped */
    if(skip_special_tokens &&
       hubtok__added_vocab_is_special(tok->added, s, len))
      continue;
    rc = hubtok__strs_push(&toks, s, len);
    if(rc)
      rc = hubtok__set_error(err, rc, "decode: %s", hubtok_strerror(rc));
  }
  if(!rc)
    rc = hubtok__decode_tokens(tok->decoder, &toks, out, out_len, err);
  hubtok__strs_free(&toks);
  return rc;
}

/* ------------------------------------------------------------------ */
/* vocabulary                                                          */

size_t
hubtok_vocab_size(const hubtok_tokenizer *tok, int with_added)
{
  size_t base;

  if(!tok)
    return 0;
  base = tok->model->ops->vocab_size(tok->model);
  if(!with_added)
    return base;
  return base + hubtok__added_vocab_len(tok->added) -
         hubtok__added_vocab_in_model(tok->added);
}

int
hubtok_token_to_id(const hubtok_tokenizer *tok, const char *token,
                   size_t len, uint32_t *id)
{
  uint32_t v;

  if(!tok || (!token && len))
    return 0;
  if(!token)
    token = "";
  if(!hubtok__added_vocab_token_to_id(tok->added, token, len, &v) &&
     !tok->model->ops->token_to_id(tok->model, token, len, &v))
    return 0;
  if(id)
    *id = v;
  return 1;
}

const char *
hubtok_id_to_token(const hubtok_tokenizer *tok, uint32_t id, size_t *len)
{
  size_t l = 0;
  const char *s;

  if(!tok)
    return NULL;
  s = id_to_token(tok, id, &l);
  if(s && len)
    *len = l;
  return s;
}

size_t
hubtok_added_token_count(const hubtok_tokenizer *tok)
{
  return tok ? hubtok__added_vocab_count(tok->added) : 0;
}

int
hubtok_added_token_get(const hubtok_tokenizer *tok, size_t i,
                       hubtok_added_token *out)
{
  if(!tok || !out)
    return 0;
  return hubtok__added_vocab_get(tok->added, i, out);
}
