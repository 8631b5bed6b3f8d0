/*
 * pre_tokenizer.c: the pre-tokenizer factory (PreTokenizerWrapper in
 * tokenizers/src/pre_tokenizers/mod.rs), Sequence (pre_tokenizers/
 * sequence.rs), the PreTokenizedString split list (tokenizers/src/
 * tokenizer/pre_tokenizer.rs), Pattern::find_matches (tokenizer/
 * pattern.rs) and NormalizedString::split (tokenizer/normalizer.rs).
 */
#include "pre_tokenizers/pre_tokenizer.h"
#include "util/json.h"
#include "util/scratch.h"
#include "util/utf8.h"

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
hubtok__pretok_split(hubtok__pretok *pt, hubtok__split_fn fn,
                     const void *ctx, hubtok_error *err)
{
  hubtok__pretok out;
  hubtok_code rc = HUBTOK_OK;
  size_t i, k, from;

  memset(&out, 0, sizeof(out));
  for(i = 0; i < pt->n; i++) {
    hubtok__split *sp = &pt->v[i];
    if(sp->added) {
      rc = hubtok__pretok_push(&out, &sp->ns, 1, sp->added_id);
      if(rc) {
        rc = hubtok__set_error(err, rc, "pre-tokenize: %s",
                               hubtok_strerror(rc));
        break;
      }
      continue;
    }
    from = out.n;
    rc = fn(ctx, i, &sp->ns, &out, err);
    hubtok__nstr_free(&sp->ns);
    if(rc)
      break;
    /* drop the empty pieces */
    for(k = from; k < out.n; k++) {
      if(out.v[k].ns.len == 0) {
        hubtok__nstr_free(&out.v[k].ns);
        continue;
      }
      if(k != from)
        out.v[from] = out.v[k];
      from++;
    }
    out.n = from;
  }
  /* on failure the splits not reached yet are dropped with pt */
  hubtok__pretok_free(pt);
  *pt = out;
  return rc;
}

hubtok_code
hubtok__pretok_normalize(hubtok__pretok *pt, hubtok__normalize_fn fn,
                         const void *ctx, hubtok_error *err)
{
  size_t i;

  for(i = 0; i < pt->n; i++) {
    hubtok_code rc;
    if(pt->v[i].added)
      continue;
    rc = fn(ctx, &pt->v[i].ns, err);
    if(rc)
      return rc;
  }
  return HUBTOK_OK;
}

/* ------------------------------------------------------------------ */
/* find_matches and NormalizedString::split                            */

int
hubtok__split_behavior_parse(const char *name, hubtok__split_behavior *out)
{
  static const struct {
    const char *name;
    hubtok__split_behavior b;
  } names[] = {
    { "Removed", HUBTOK__SPLIT_REMOVED },
    { "Isolated", HUBTOK__SPLIT_ISOLATED },
    { "MergedWithPrevious", HUBTOK__SPLIT_MERGED_WITH_PREVIOUS },
    { "MergedWithNext", HUBTOK__SPLIT_MERGED_WITH_NEXT },
    { "Contiguous", HUBTOK__SPLIT_CONTIGUOUS }
  };
  size_t i;

  for(i = 0; name && i < sizeof(names) / sizeof(names[0]); i++) {
    if(!strcmp(name, names[i].name)) {
      *out = names[i].b;
      return 1;
    }
  }
  return 0;
}

hubtok_code
hubtok__segs_push(hubtok__segs *v, size_t start, size_t end, int is_match)
{
  if(v->n == v->cap) {
    size_t ncap = v->cap ? v->cap * 2 : 16;
    hubtok__seg *nv = realloc(v->v, ncap * sizeof(*nv));
    if(!nv)
      return HUBTOK_ENOMEM;
    v->v = nv;
    v->cap = ncap;
  }
  v->v[v->n].start = start;
  v->v[v->n].end = end;
  v->v[v->n].is_match = is_match;
  v->n++;
  return HUBTOK_OK;
}

void
hubtok__segs_free(hubtok__segs *v)
{
  free(v->v);
  memset(v, 0, sizeof(*v));
}

hubtok_code
hubtok__segs_from_pattern(const hubtok__pattern *p, const char *s,
                          size_t len, int invert, hubtok__segs *out,
                          hubtok_error *err)
{
  hubtok__spans m;
  size_t i, prev = 0;
  hubtok_code rc;

  out->n = 0;
  if(len == 0) {
    rc = hubtok__segs_push(out, 0, 0, invert);
    return rc ? hubtok__set_error(err, rc, "out of memory") : HUBTOK_OK;
  }
  memset(&m, 0, sizeof(m));
  rc = hubtok__pattern_find(p, s, len, &m, err);
  for(i = 0; i < m.n && !rc; i++) {
    if(prev != m.v[i].start)
      rc = hubtok__segs_push(out, prev, m.v[i].start, invert);
    if(!rc)
      rc = hubtok__segs_push(out, m.v[i].start, m.v[i].end, !invert);
    prev = m.v[i].end;
    if(rc)
      rc = hubtok__set_error(err, rc, "out of memory");
  }
  if(!rc && prev != len) {
    rc = hubtok__segs_push(out, prev, len, invert);
    if(rc)
      rc = hubtok__set_error(err, rc, "out of memory");
  }
  hubtok__spans_free(&m);
  return rc;
}

hubtok_code
hubtok__pattern_words(const void *p, const char *s, size_t len,
                      hubtok__spans *out, hubtok_error *err)
{
  hubtok__span *m;
  size_t n0 = out->n, k, nm, prev = 0;
  hubtok_code rc;

  rc = hubtok__pattern_find(p, s, len, out, err);
  if(rc)
    return rc;
  /* the matches alone when they tile s, as the GPT-2 regex's do */
  for(k = n0; k < out->n && out->v[k].start == prev && out->v[k].end > prev;
      k++)
    prev = out->v[k].end;
  if(k == out->n && prev == len)
    return HUBTOK_OK;
  /* else rebuild: the non-empty gaps and matches */
  nm = out->n - n0;
  m = malloc(nm * sizeof(*m) + 1);
  if(!m)
    return hubtok__set_error(err, HUBTOK_ENOMEM, "out of memory");
  if(nm)
    memcpy(m, out->v + n0, nm * sizeof(*m));
  out->n = n0;
  prev = 0;
  for(k = 0; k <= nm && !rc; k++) {
    size_t ms = k < nm ? m[k].start : len;
    if(prev < ms)
      rc = hubtok__spans_push(out, prev, ms);
    if(k == nm || rc)
      break;
    if(ms < m[k].end)
      rc = hubtok__spans_push(out, ms, m[k].end);
    prev = m[k].end;
  }
  free(m);
  return rc ? hubtok__set_error(err, rc, "out of memory") : HUBTOK_OK;
}

hubtok_code
hubtok__char_words(const char *s, size_t len, hubtok__char_role_fn role,
                   const void *ctx, hubtok__spans *out, hubtok_error *err)
{
  size_t i = 0, start = 0;
  hubtok_code rc = HUBTOK_OK;

  while(i < len && !rc) {
    size_t cl = 1;
    uint32_t cp = (unsigned char)s[i];
    hubtok__char_role r;
    if(cp >= 0x80) {
      cp = hubtok__utf8_decode(s + i, len - i, &cl);
      if(cl == 0)
        cl = 1;
    }
    r = role(cp, ctx);
    if(r != HUBTOK__CHAR_IN && start < i)
      rc = hubtok__spans_push(out, start, i);
    if(!rc && r == HUBTOK__CHAR_ALONE)
      rc = hubtok__spans_push(out, i, i + cl);
    if(r == HUBTOK__CHAR_GAP || r == HUBTOK__CHAR_ALONE)
      start = i + cl;
    else if(r == HUBTOK__CHAR_FIRST)
      start = i;
    i += cl;
  }
  if(!rc && start < len)
    rc = hubtok__spans_push(out, start, len);
  return rc ? hubtok__set_error(err, rc, "out of memory") : HUBTOK_OK;
}

hubtok_code
hubtok__segs_from_chars(const char *s, size_t len, hubtok__char_pred pred,
                        const void *ctx, int invert, hubtok__segs *out,
                        hubtok_error *err)
{
  size_t i = 0, last = 0;
  hubtok_code rc = HUBTOK_OK;

  out->n = 0;
  if(len == 0) {
    rc = hubtok__segs_push(out, 0, 0, invert);
    return rc ? hubtok__set_error(err, rc, "out of memory") : HUBTOK_OK;
  }
  while(i < len && !rc) {
    size_t cl;
    uint32_t cp = hubtok__utf8_decode(s + i, len - i, &cl);
    if(cl == 0)
      cl = 1;
    if(pred(cp, ctx)) {
      if(last < i)
        rc = hubtok__segs_push(out, last, i, invert);
      if(!rc)
        rc = hubtok__segs_push(out, i, i + cl, !invert);
      last = i + cl;
    }
    i += cl;
  }
  if(!rc && len > last)
    rc = hubtok__segs_push(out, last, len, invert);
  return rc ? hubtok__set_error(err, rc, "out of memory") : HUBTOK_OK;
}

/* The behavior folds of NormalizedString::split, in place: afterwards
 * v[0..*n) are the pieces; is_match 1 marks a piece that is removed. */
static void
apply_behavior(hubtok__seg *v, size_t *n, hubtok__split_behavior b)
{
  size_t i, o = 0;
  int prev = 0;

  switch(b) {
  case HUBTOK__SPLIT_REMOVED:
    return;
  case HUBTOK__SPLIT_ISOLATED:
    for(i = 0; i < *n; i++)
      v[i].is_match = 0;
    return;
  case HUBTOK__SPLIT_CONTIGUOUS:
  case HUBTOK__SPLIT_MERGED_WITH_PREVIOUS:
    for(i = 0; i < *n; i++) {
      int m = v[i].is_match;
      int merge = b == HUBTOK__SPLIT_CONTIGUOUS ? m == prev : m && !prev;
      if(merge && o > 0)
        v[o - 1].end = v[i].end;
      else {
        v[o] = v[i];
        v[o].is_match = 0;
        o++;
      }
      prev = m;
    }
    *n = o;
    return;
  case HUBTOK__SPLIT_MERGED_WITH_NEXT:
    /* the same fold from the end; pieces are built at the top */
    o = *n;
    for(i = *n; i-- > 0;) {
      int m = v[i].is_match;
      if(m && !prev && o < *n)
        v[o].start = v[i].start;
      else {
        o--;
        v[o] = v[i];
        v[o].is_match = 0;
      }
      prev = m;
    }
    if(o > 0)
      memmove(v, v + o, (*n - o) * sizeof(*v));
    *n -= o;
    return;
  }
}

hubtok_code
hubtok__nstr_split(const hubtok__nstr *ns, const hubtok__segs *segs,
                   hubtok__split_behavior b, hubtok__pretok *out,
                   hubtok_error *err)
{
  hubtok__seg *v;
  size_t n = segs->n, i;
  int in_scratch = 0;
  hubtok_code rc = HUBTOK_OK;

  if(n == 0)
    return HUBTOK_OK;
  /* within an encode: the call's scratch (util/scratch.h) */
  v = hubtok__scratch_alloc(n * sizeof(*v));
  if(v)
    in_scratch = 1;
  else
    v = malloc(n * sizeof(*v));
  if(!v)
    return hubtok__set_error(err, HUBTOK_ENOMEM, "out of memory");
  memcpy(v, segs->v, n * sizeof(*v));
  apply_behavior(v, &n, b);
  for(i = 0; i < n && !rc; i++) {
    hubtok__nstr piece;
    if(v[i].is_match)
      continue;
    rc = hubtok__nstr_slice(ns, v[i].start, v[i].end, &piece);
    if(!rc)
      rc = hubtok__pretok_push(out, &piece, 0, 0);
    if(rc)
      rc = hubtok__set_error(err, rc, "split: %s", hubtok_strerror(rc));
  }
  if(!in_scratch)
    free(v);
  return rc;
}

hubtok_code
hubtok__nstr_split_pattern(const hubtok__nstr *ns, const hubtok__pattern *p,
                           int invert, hubtok__split_behavior b,
                           hubtok__pretok *out, hubtok_error *err)
{
  hubtok__segs segs;
  hubtok_code rc;

  memset(&segs, 0, sizeof(segs));
  rc = hubtok__segs_from_pattern(p, ns->s, ns->len, invert, &segs, err);
  if(!rc)
    rc = hubtok__nstr_split(ns, &segs, b, out, err);
  hubtok__segs_free(&segs);
  return rc;
}

hubtok_code
hubtok__nstr_split_chars(const hubtok__nstr *ns, hubtok__char_pred pred,
                         const void *ctx, hubtok__split_behavior b,
                         hubtok__pretok *out, hubtok_error *err)
{
  hubtok__segs segs;
  hubtok_code rc;

  memset(&segs, 0, sizeof(segs));
  rc = hubtok__segs_from_chars(ns->s, ns->len, pred, ctx, 0, &segs, err);
  if(!rc)
    rc = hubtok__nstr_split(ns, &segs, b, out, err);
  hubtok__segs_free(&segs);
  return rc;
}

/* ------------------------------------------------------------------ */
/* Sequence                                                            */

typedef struct sequence {
  hubtok__pre_tokenizer base;
  hubtok__pre_tokenizer **items;
  size_t n;
} sequence;

static hubtok_code
seq_pre_tokenize(const hubtok__pre_tokenizer *p, hubtok__pretok *pt,
                 hubtok_error *err)
{
  const sequence *s = (const sequence *)p;
  size_t i;

  for(i = 0; i < s->n; i++) {
    hubtok_code rc = s->items[i]->ops->pre_tokenize(s->items[i], pt, err);
    if(rc)
      return rc;
  }
  return HUBTOK_OK;
}

static size_t
seq_memory(const hubtok__pre_tokenizer *p)
{
  const sequence *s = (const sequence *)p;
  size_t i, m = sizeof(*s) + s->n * sizeof(*s->items);

  for(i = 0; i < s->n; i++)
    m += s->items[i]->ops->memory(s->items[i]);
  return m;
}

static void
seq_destroy(hubtok__pre_tokenizer *p)
{
  sequence *s = (sequence *)p;
  size_t i;

  for(i = 0; i < s->n; i++)
    hubtok__pre_tokenizer_free(s->items[i]);
  free(s->items);
  free(s);
}

static int
seq_plan(const hubtok__pre_tokenizer *p, hubtok__word_plan *io)
{
  const sequence *s = (const sequence *)p;
  size_t i;

  for(i = 0; i < s->n; i++)
    if(!s->items[i]->ops->plan || !s->items[i]->ops->plan(s->items[i], io))
      return 0;
  return 1;
}

static const hubtok__pre_tokenizer_ops seq_ops = {
  seq_pre_tokenize, seq_memory, seq_destroy, seq_plan
};

static hubtok_code
sequence_from_json(const cJSON *j, const char *path, int depth,
                   hubtok__pre_tokenizer **out, hubtok_error *err)
{
  char p[HUBTOK__PATH_MAX];
  const cJSON *arr, *it;
  sequence *s;
  size_t i = 0, n;
  hubtok_code rc = HUBTOK_OK;

  rc = hubtok__json_array(j, path, "pretokenizers", &arr, err);
  if(rc)
    return rc;
  hubtok__json_path(p, path, "pretokenizers");
  n = (size_t)cJSON_GetArraySize(arr);
  s = calloc(1, sizeof(*s));
  if(s)
    s->items = calloc(n ? n : 1, sizeof(*s->items));
  if(!s || !s->items) {
    free(s);
    return hubtok__set_error(err, HUBTOK_ENOMEM, "out of memory");
  }
  s->base.ops = &seq_ops;
  cJSON_ArrayForEach(it, arr) {
    char ip[HUBTOK__PATH_MAX];
    hubtok__pre_tokenizer *c = NULL;
    hubtok__json_path_index(ip, p, i++);
    if(hubtok__json_is_null(it)) {
      rc = hubtok__json_bad(err, ip, "expected a pre-tokenizer");
      break;
    }
    rc = hubtok__pre_tokenizer_from_json(it, ip, depth + 1, &c, err);
    if(rc)
      break;
    s->items[s->n++] = c;
  }
  if(rc) {
    seq_destroy(&s->base);
    return rc;
  }
  *out = &s->base;
  return HUBTOK_OK;
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
  if(!strcmp(type, "Sequence"))
    return sequence_from_json(j, path, depth, out, err);
  if(!strcmp(type, "ByteLevel"))
    return hubtok__byte_level_pre_from_json(j, path, out, err);
  if(!strcmp(type, "Split"))
    return hubtok__split_pre_from_json(j, path, out, err);
  if(!strcmp(type, "Metaspace"))
    return hubtok__metaspace_pre_from_json(j, path, out, err);
  if(!strcmp(type, "WhitespaceSplit"))
    return hubtok__whitespace_split_from_json(j, path, out, err);
  if(!strcmp(type, "BertPreTokenizer"))
    return hubtok__bert_pre_from_json(j, path, out, err);
  if(!strcmp(type, "Whitespace"))
    return hubtok__whitespace_pre_from_json(j, path, out, err);
  if(!strcmp(type, "Punctuation"))
    return hubtok__punctuation_pre_from_json(j, path, out, err);
  if(!strcmp(type, "Digits"))
    return hubtok__digits_pre_from_json(j, path, out, err);
  if(!strcmp(type, "CharDelimiterSplit"))
    return hubtok__char_delimiter_from_json(j, path, out, err);
  if(!strcmp(type, "FixedLength"))
    return hubtok__fixed_length_from_json(j, path, out, err);
  if(!strcmp(type, "UnicodeScripts"))
    return hubtok__unicode_scripts_from_json(j, path, out, err);
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

int
hubtok__pre_tokenizer_plan(const hubtok__pre_tokenizer *p,
                           hubtok__word_plan *out)
{
  hubtok__word_plan w = { NULL, NULL, 0, NULL, 0 };

  if(!p || !p->ops->plan || !p->ops->plan(p, &w) || !w.words)
    return 0;
  *out = w;
  return 1;
}

void
hubtok__pre_tokenizer_free(hubtok__pre_tokenizer *p)
{
  if(p)
    p->ops->destroy(p);
}
