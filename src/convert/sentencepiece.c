/*
 * sentencepiece.c: the tokenizer.json that transformers' slow->fast
 * converters (convert_slow_tokenizer.py) build from a SentencePiece
 * model, picked by tokenizer class:
 *
 *   LlamaTokenizer   LlamaConverter: BPE over the pieces (ids 0-2 named
 *                    as the tokenizer names them), merges generated as
 *                    SentencePieceExtractor.extract(vocab_scores) does
 *                    (every split of every piece into two pieces, by
 *                    (left id, right id), then by piece score descending,
 *                    stable), byte_fallback, fuse_unk; legacy: normalizer
 *                    Prepend("▁") + Replace(" ", "▁"), else Metaspace
 *                    ("first", split false); decoder Replace, ByteFallback,
 *                    Fuse, Strip; TemplateProcessing from add_bos_token /
 *                    add_eos_token (LlamaTokenizerFast.update_post_processor)
 *   T5Tokenizer      T5Converter: Unigram over the pieces plus
 *                    <extra_id_N>..<extra_id_0>; "$A </s>" template
 *   (no class)       by the model type: BPE as Llama, Unigram as the
 *                    generic SpmConverter (no post-processor)
 *
 * For Unigram the normalizer is Precompiled (the model's charsmap) and the
 * pre-tokenizer WhitespaceSplit + Metaspace, decoder Metaspace: the form
 * the converter gave the Hub's T5 / XLM-R tokenizer.json files (today's
 * SpmConverter writes Strip + Replace(" {2,}") + Metaspace instead).
 * Control pieces become special added tokens, user-defined pieces plain
 * ones, then tokenizer_config.json's added_tokens_decoder and special
 * tokens are added as PreTrainedTokenizerFast does. Other classes are
 * HUBTOK_EUNSUPPORTED.
 */
#include "convert/convert.h"
#include "util/file.h"
#include "convert/spm_model.h"
#include "models/model.h"
#include "util/buf.h"
#include "util/json.h"
#include "util/strmap.h"
#include "util/utf8.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ADDED_MAX 65536
#define EXTRA_IDS_MAX 100000

static const char META[] = "\xe2\x96\x81"; /* ▁ */

/* ------------------------------------------------------------------ */
/* files                                                               */

/* ------------------------------------------------------------------ */
/* settings from tokenizer_config.json / special_tokens_map.json        */

typedef struct settings {
  const cJSON *config;
  const cJSON *map;
} settings;

static const cJSON *
setting(const settings *s, const char *key)
{
  const cJSON *v = hubtok__json_get(s->config, key);

  if(hubtok__json_is_null(v))
    v = hubtok__json_get(s->map, key);
  return hubtok__json_is_null(v) ? NULL : v;
}

/* A token setting (a string or {"content": ...}); NULL when absent. */
static const char *
token_value(const cJSON *v)
{
  if(cJSON_IsString(v))
    return v->valuestring;
  if(cJSON_IsObject(v)) {
    const cJSON *c = hubtok__json_get(v, "content");
    if(cJSON_IsString(c))
      return c->valuestring;
  }
  return NULL;
}

static const char *
token_setting(const settings *s, const char *key, const char *dflt)
{
  const cJSON *v = hubtok__json_get(s->config, key);

  if(v && cJSON_IsNull(v))
    return NULL; /* explicitly none */
  v = setting(s, key);
  if(!v)
    return dflt;
  return token_value(v);
}

static hubtok_code
bool_setting(const settings *s, const char *key, int dflt, int *out,
             hubtok_error *err)
{
  const cJSON *v = hubtok__json_get(s->config, key);

  *out = dflt;
  if(hubtok__json_is_null(v))
    return HUBTOK_OK;
  if(!cJSON_IsBool(v))
    return hubtok__set_error(err, HUBTOK_ETOKENIZER,
                             "tokenizer_config.json: %s: expected true, "
                             "false or null", key);
  *out = cJSON_IsTrue(v) ? 1 : 0;
  return HUBTOK_OK;
}

/* ------------------------------------------------------------------ */
/* the vocabulary the converter builds                                  */

typedef struct vocab {
  const char **s;   /* piece strings (borrowed: model arena or static) */
  size_t *len;
  double *score;
  size_t n;
  size_t cap;
  hubtok__strmap map; /* piece -> last index */
  char **owned;       /* strings allocated here (extra ids) */
  size_t nowned;
} vocab;

static void
vocab_free(vocab *v)
{
  size_t i;

  free(v->s);
  free(v->len);
  free(v->score);
  for(i = 0; i < v->nowned; i++)
    free(v->owned[i]);
  free(v->owned);
  hubtok__strmap_free(&v->map);
  memset(v, 0, sizeof(*v));
}

static hubtok_code
vocab_push(vocab *v, const char *s, size_t len, double score, int own)
{
  hubtok_code rc;

  if(v->n == v->cap) {
    size_t ncap = v->cap ? v->cap * 2 : 1024;
    const char **ns = realloc(v->s, ncap * sizeof(*ns));
    size_t *nl;
    double *nsc;
    if(!ns)
      return HUBTOK_ENOMEM;
    v->s = ns;
    nl = realloc(v->len, ncap * sizeof(*nl));
    if(!nl)
      return HUBTOK_ENOMEM;
    v->len = nl;
    nsc = realloc(v->score, ncap * sizeof(*nsc));
    if(!nsc)
      return HUBTOK_ENOMEM;
    v->score = nsc;
    v->cap = ncap;
  }
  if(own) {
    char *c = malloc(len + 1);
    char **no = realloc(v->owned, (v->nowned + 1) * sizeof(*no));
    if(no)
      v->owned = no;
    if(!c || !no) {
      free(c);
      return HUBTOK_ENOMEM;
    }
    memcpy(c, s, len);
    c[len] = 0;
    v->owned[v->nowned++] = c;
    s = c;
  }
  rc = hubtok__strmap_put(&v->map, s, len, (uint32_t)v->n, NULL, NULL);
  if(rc)
    return rc;
  v->s[v->n] = s;
  v->len[v->n] = len;
  v->score[v->n] = score;
  v->n++;
  return HUBTOK_OK;
}

/* ------------------------------------------------------------------ */
/* added tokens                                                        */

typedef struct added {
  char *content;
  uint32_t id;
  int special, lstrip, rstrip, normalized, single_word;
} added;

typedef struct added_list {
  added *v;
  size_t n;
  uint32_t next_id; /* first id after the vocabulary and new tokens */
} added_list;

static void
added_free(added_list *a)
{
  size_t i;

  for(i = 0; i < a->n; i++)
    free(a->v[i].content);
  free(a->v);
  memset(a, 0, sizeof(*a));
}

/* add_tokens: an existing content gets the new flags (as the later
 * AddedToken replaces the earlier); a new one gets its vocab id or the
 * next free id. */
static hubtok_code
added_add(added_list *a, const vocab *v, const char *content, int special,
          int lstrip, int rstrip, int normalized, int single_word)
{
  size_t i, len = strlen(content);
  uint32_t id;
  added *t;

  if(len == 0)
    return HUBTOK_OK;
  for(i = 0; i < a->n; i++) {
    if(!strcmp(a->v[i].content, content)) {
      t = &a->v[i];
      goto flags;
    }
  }
  if(a->n >= ADDED_MAX)
    return HUBTOK_ETOOLARGE;
  if(!hubtok__strmap_get(&v->map, content, len, &id))
    id = a->next_id++;
  t = realloc(a->v, (a->n + 1) * sizeof(*t));
  if(!t)
    return HUBTOK_ENOMEM;
  a->v = t;
  t = &a->v[a->n];
  t->content = malloc(len + 1);
  if(!t->content)
    return HUBTOK_ENOMEM;
  memcpy(t->content, content, len + 1);
  t->id = id;
  a->n++;
flags:
  t->special = special;
  t->lstrip = lstrip;
  t->rstrip = rstrip;
  t->normalized = normalized;
  t->single_word = single_word;
  return HUBTOK_OK;
}

static int
flag(const cJSON *o, const char *key, int dflt)
{
  const cJSON *b = hubtok__json_get(o, key);

  return cJSON_IsBool(b) ? cJSON_IsTrue(b) : dflt;
}

/* A special token setting (string or AddedToken dict) as special. */
static hubtok_code
added_special(added_list *a, const vocab *v, const cJSON *tok)
{
  const char *c = token_value(tok);

  if(!c)
    return HUBTOK_OK;
  if(cJSON_IsObject(tok))
    return added_add(a, v, c, 1, flag(tok, "lstrip", 0),
                     flag(tok, "rstrip", 0), flag(tok, "normalized", 0),
                     flag(tok, "single_word", 0));
  return added_add(a, v, c, 1, 0, 0, 0, 0);
}

/* The spm control / user-defined pieces, then added_tokens_decoder, then
 * the special tokens. */
static hubtok_code
collect_added(const hubtok__spm_model *m, const vocab *v, const settings *s,
              const char *const *specials, size_t nspecials,
              added_list *a)
{
  static const char *const keys[] = {
    "bos_token", "eos_token", "unk_token", "sep_token", "pad_token",
    "cls_token", "mask_token"
  };
  const cJSON *dec, *it, *extra;
  size_t i;
  hubtok_code rc = HUBTOK_OK;

  a->next_id = (uint32_t)v->n;
  for(i = 0; i < m->n && !rc; i++) {
    const hubtok__spm_piece *p = &m->pieces[i];
    if(p->type == HUBTOK__SPM_CONTROL || p->type == HUBTOK__SPM_USER_DEFINED)
      rc = added_add(a, v, p->s, p->type == HUBTOK__SPM_CONTROL, 0, 0, 0, 0);
  }
  dec = hubtok__json_get(s->config, "added_tokens_decoder");
  if(cJSON_IsObject(dec)) {
    cJSON_ArrayForEach(it, dec) {
      const char *c = token_value(it);
      if(rc)
        break;
      if(c)
        rc = added_add(a, v, c, flag(it, "special", 0), flag(it, "lstrip", 0),
                       flag(it, "rstrip", 0), flag(it, "normalized", 0),
                       flag(it, "single_word", 0));
    }
  }
  for(i = 0; i < nspecials && !rc; i++) {
    if(specials[i])
      rc = added_add(a, v, specials[i], 1, 0, 0, 0, 0);
  }
  for(i = 0; i < sizeof(keys) / sizeof(keys[0]) && !rc; i++) {
    const cJSON *tok = hubtok__json_get(s->config, keys[i]);
    if(tok && cJSON_IsNull(tok))
      continue;
    tok = setting(s, keys[i]);
    if(tok)
      rc = added_special(a, v, tok);
  }
  extra = setting(s, "additional_special_tokens");
  if(cJSON_IsArray(extra)) {
    cJSON_ArrayForEach(it, extra) {
      if(rc)
        break;
      rc = added_special(a, v, it);
    }
  }
  return rc;
}

/* ------------------------------------------------------------------ */
/* JSON building                                                       */

typedef struct jb {
  int oom;
} jb;

static cJSON *
chk(jb *b, cJSON *x)
{
  if(!x)
    b->oom = 1;
  return x;
}

static void
put(jb *b, cJSON *obj, const char *key, cJSON *val)
{
  if(!val) {
    b->oom = 1;
    return;
  }
  if(!obj || !cJSON_AddItemToObject(obj, key, val)) {
    cJSON_Delete(val);
    b->oom = 1;
  }
}

static void
push(jb *b, cJSON *arr, cJSON *val)
{
  if(!val) {
    b->oom = 1;
    return;
  }
  if(!arr || !cJSON_AddItemToArray(arr, val)) {
    cJSON_Delete(val);
    b->oom = 1;
  }
}

static cJSON *
obj_type(jb *b, const char *type)
{
  cJSON *o = chk(b, cJSON_CreateObject());

  put(b, o, "type", cJSON_CreateString(type));
  return o;
}

static cJSON *
replace_obj(jb *b, const char *type, const char *pattern,
            const char *content)
{
  cJSON *o = obj_type(b, type), *p = chk(b, cJSON_CreateObject());

  put(b, p, "String", cJSON_CreateString(pattern));
  put(b, o, "pattern", p);
  put(b, o, "content", cJSON_CreateString(content));
  return o;
}

static cJSON *
metaspace_obj(jb *b, const char *scheme, int split)
{
  cJSON *o = obj_type(b, "Metaspace");

  put(b, o, "replacement", cJSON_CreateString(META));
  put(b, o, "prepend_scheme", cJSON_CreateString(scheme));
  put(b, o, "split", cJSON_CreateBool(split));
  return o;
}

static cJSON *
seq_obj(jb *b, const char *key, cJSON **items, size_t n)
{
  cJSON *o = obj_type(b, "Sequence"), *arr = chk(b, cJSON_CreateArray());
  size_t i;

  for(i = 0; i < n; i++)
    push(b, arr, items[i]);
  put(b, o, key, arr);
  return o;
}

/* One template piece. */
static cJSON *
tpl_piece(jb *b, const char *special, const char *seq, int type_id)
{
  cJSON *o = chk(b, cJSON_CreateObject()), *in = chk(b, cJSON_CreateObject());

  put(b, in, "id", cJSON_CreateString(special ? special : seq));
  put(b, in, "type_id", cJSON_CreateNumber(type_id));
  put(b, o, special ? "SpecialToken" : "Sequence", in);
  return o;
}

/* TemplateProcessing with `pre` before and `post` after each sequence
 * (NULL: none), sequence B at type_id `btype`; special ids from `a` or
 * the vocabulary. */
static cJSON *
template_obj(jb *b, const vocab *v, const added_list *a, const char *pre,
             const char *post, int btype, int post_between)
{
  cJSON *o = obj_type(b, "TemplateProcessing");
  cJSON *single = chk(b, cJSON_CreateArray());
  cJSON *pair = chk(b, cJSON_CreateArray());
  cJSON *sp = chk(b, cJSON_CreateObject());
  const char *toks[2];
  size_t i, k;

  if(pre)
    push(b, single, tpl_piece(b, pre, NULL, 0));
  push(b, single, tpl_piece(b, NULL, "A", 0));
  if(post)
    push(b, single, tpl_piece(b, post, NULL, 0));
  if(pre)
    push(b, pair, tpl_piece(b, pre, NULL, 0));
  push(b, pair, tpl_piece(b, NULL, "A", 0));
  if(post && post_between)
    push(b, pair, tpl_piece(b, post, NULL, 0));
  if(pre)
    push(b, pair, tpl_piece(b, pre, NULL, btype));
  push(b, pair, tpl_piece(b, NULL, "B", btype));
  if(post)
    push(b, pair, tpl_piece(b, post, NULL, btype));
  toks[0] = pre;
  toks[1] = post;
  for(k = 0; k < 2; k++) {
    cJSON *e, *ids, *ts;
    uint32_t id = 0;
    int found = 0;
    if(!toks[k] || (k == 1 && pre && !strcmp(pre, toks[k])))
      continue;
    for(i = 0; i < a->n && !found; i++) {
      if(!strcmp(a->v[i].content, toks[k])) {
        id = a->v[i].id;
        found = 1;
      }
    }
    if(!found)
      found = hubtok__strmap_get(&v->map, toks[k], strlen(toks[k]), &id);
    e = chk(b, cJSON_CreateObject());
    ids = chk(b, cJSON_CreateArray());
    ts = chk(b, cJSON_CreateArray());
    put(b, e, "id", cJSON_CreateString(toks[k]));
    if(found)
      push(b, ids, cJSON_CreateNumber(id));
    push(b, ts, cJSON_CreateString(toks[k]));
    put(b, e, "ids", ids);
    put(b, e, "tokens", ts);
    put(b, sp, toks[k], e);
  }
  put(b, o, "single", single);
  put(b, o, "pair", pair);
  put(b, o, "special_tokens", sp);
  return o;
}

static int
cmp_added(const void *x, const void *y)
{
  const added *a = x, *b = y;
  return a->id < b->id ? -1 : a->id > b->id;
}

static cJSON *
added_json(jb *b, added_list *a)
{
  cJSON *arr = chk(b, cJSON_CreateArray());
  size_t i;

  qsort(a->v, a->n, sizeof(*a->v), cmp_added);
  for(i = 0; i < a->n; i++) {
    cJSON *o = chk(b, cJSON_CreateObject());
    put(b, o, "id", cJSON_CreateNumber(a->v[i].id));
    put(b, o, "content", cJSON_CreateString(a->v[i].content));
    put(b, o, "single_word", cJSON_CreateBool(a->v[i].single_word));
    put(b, o, "lstrip", cJSON_CreateBool(a->v[i].lstrip));
    put(b, o, "rstrip", cJSON_CreateBool(a->v[i].rstrip));
    put(b, o, "normalized", cJSON_CreateBool(a->v[i].normalized));
    put(b, o, "special", cJSON_CreateBool(a->v[i].special));
    push(b, arr, o);
  }
  return arr;
}

/* ------------------------------------------------------------------ */
/* BPE merges (SentencePieceExtractor.extract with vocab_scores)        */

typedef struct mrg {
  uint32_t l;      /* index in the model's pieces (sp vocab) */
  uint32_t r;
  uint32_t llen;   /* bytes of the left part */
  uint32_t piece;  /* vocabulary index of the merged piece */
  double score;
  size_t seq;      /* insertion order, for a stable sort */
} mrg;

static int
cmp_local(const void *x, const void *y)
{
  const mrg *a = x, *b = y;

  if(a->l != b->l)
    return a->l < b->l ? -1 : 1;
  if(a->r != b->r)
    return a->r < b->r ? -1 : 1;
  return 0;
}

static int
cmp_score(const void *x, const void *y)
{
  const mrg *a = x, *b = y;

  if(a->score != b->score)
    return a->score > b->score ? -1 : 1; /* descending */
  return a->seq < b->seq ? -1 : (a->seq > b->seq);
}

static hubtok_code
bpe_merges(const hubtok__spm_model *m, const vocab *v, jb *b, cJSON *arr)
{
  hubtok__strmap sp, first;
  mrg *all = NULL;
  size_t n = 0, cap = 0, i, k;
  hubtok_code rc = HUBTOK_OK;

  hubtok__strmap_init(&sp, HUBTOK__VOCAB_MAX);
  hubtok__strmap_init(&first, HUBTOK__VOCAB_MAX);
  for(i = 0; i < m->n && !rc; i++)
    rc = hubtok__strmap_put(&sp, m->pieces[i].s, m->pieces[i].len,
                            (uint32_t)i, NULL, NULL);
  for(i = 0; i < v->n && !rc; i++) {
    if(!hubtok__strmap_get(&first, v->s[i], v->len[i], NULL))
      rc = hubtok__strmap_put(&first, v->s[i], v->len[i], (uint32_t)i,
                              NULL, NULL);
  }
  for(i = 0; i < v->n && !rc; i++) {
    const char *s = v->s[i];
    size_t len = v->len[i], pos, from = n;
    uint32_t last, li, ri;
    /* dict(vocab_scores): first position, last score */
    if(!hubtok__strmap_get(&v->map, s, len, &last) ||
       !hubtok__strmap_get(&first, s, len, &li) || li != i)
      continue;
    pos = len ? hubtok__utf8_len((unsigned char)s[0]) : 0;
    if(pos == 0)
      pos = 1;
    for(; pos < len; ) {
      size_t cl;
      if(hubtok__strmap_get(&sp, s, pos, &li) &&
         hubtok__strmap_get(&sp, s + pos, len - pos, &ri)) {
        if(n == cap) {
          size_t ncap = cap ? cap * 2 : 4096;
          mrg *na = realloc(all, ncap * sizeof(*na));
          if(!na) {
            rc = HUBTOK_ENOMEM;
            break;
          }
          all = na;
          cap = ncap;
        }
        all[n].l = li;
        all[n].r = ri;
        all[n].llen = (uint32_t)pos;
        all[n].piece = (uint32_t)i;
        all[n].score = v->score[last];
        n++;
      }
      cl = hubtok__utf8_len((unsigned char)s[pos]);
      pos += cl ? cl : 1;
    }
    if(rc)
      break;
    if(n > from)
      qsort(all + from, n - from, sizeof(*all), cmp_local);
    for(k = from; k < n; k++)
      all[k].seq = k;
  }
  if(!rc && n)
    qsort(all, n, sizeof(*all), cmp_score);
  for(i = 0; i < n && !rc && !b->oom; i++) {
    const char *s = v->s[all[i].piece];
    char *l = malloc(all[i].llen + 1);
    cJSON *pair;
    if(!l) {
      rc = HUBTOK_ENOMEM;
      break;
    }
    memcpy(l, s, all[i].llen);
    l[all[i].llen] = 0;
    pair = chk(b, cJSON_CreateArray());
    push(b, pair, cJSON_CreateString(l));
    push(b, pair, cJSON_CreateString(s + all[i].llen));
    push(b, arr, pair);
    free(l);
  }
  free(all);
  hubtok__strmap_free(&sp);
  hubtok__strmap_free(&first);
  return rc;
}

/* ------------------------------------------------------------------ */
/* converters                                                          */

typedef enum kind { KIND_LLAMA, KIND_T5, KIND_SPM } kind;

static const char *
scheme(int add_prefix_space, int legacy)
{
  if(!add_prefix_space)
    return "never";
  return legacy ? "always" : "first";
}

static hubtok_code
build(kind k, const hubtok__spm_model *m, const settings *s, cJSON **out,
      hubtok_error *err)
{
  vocab v;
  added_list a;
  jb b = { 0 };
  cJSON *root = NULL, *model = NULL, *vj;
  int legacy, aps, add_bos = 1, add_eos = 0;
  const char **extra_names = NULL;
  size_t nextra = 0, i;
  hubtok_code rc;

  memset(&v, 0, sizeof(v));
  memset(&a, 0, sizeof(a));
  hubtok__strmap_init(&v.map, HUBTOK__VOCAB_MAX);
  rc = bool_setting(s, "legacy", 1, &legacy, err);
  if(!rc)
    rc = bool_setting(s, "add_prefix_space", 1, &aps, err);
  if(!rc && k == KIND_LLAMA)
    rc = bool_setting(s, "add_bos_token", 1, &add_bos, err);
  if(!rc && k == KIND_LLAMA)
    rc = bool_setting(s, "add_eos_token", 0, &add_eos, err);
  if(rc)
    goto done;

  /* the vocabulary */
  for(i = 0; i < m->n && !rc; i++) {
    const char *p = m->pieces[i].s;
    size_t plen = m->pieces[i].len;
    double score = m->pieces[i].score;
    if(k == KIND_LLAMA && i < 3) {
      /* convert_ids_to_tokens(i): an added token at that id wins */
      const cJSON *dec = hubtok__json_get(s->config, "added_tokens_decoder");
      char idx[16];
      const char *c;
      snprintf(idx, sizeof(idx), "%zu", i);
      c = token_value(hubtok__json_get(dec, idx));
      if(c) {
        p = c;
        plen = strlen(c);
      }
      score = 0.0;
    }
    rc = vocab_push(&v, p, plen, score, 0);
  }
  if(!rc && k == KIND_T5) {
    const cJSON *e = hubtok__json_get(s->config, "extra_ids");
    long ne = 100;
    if(cJSON_IsNumber(e))
      ne = (long)e->valuedouble;
    if(ne < 0 || ne > EXTRA_IDS_MAX) {
      rc = hubtok__set_error(err, HUBTOK_ETOKENIZER,
                             "tokenizer_config.json: extra_ids: expected "
                             "0..%d", EXTRA_IDS_MAX);
      goto done;
    }
    extra_names = calloc((size_t)ne + 1, sizeof(*extra_names));
    if(!extra_names)
      rc = HUBTOK_ENOMEM;
    for(i = (size_t)ne; i-- > 0 && !rc;) {
      char name[32];
      int nl = snprintf(name, sizeof(name), "<extra_id_%zu>", i);
      rc = vocab_push(&v, name, (size_t)nl, 0.0, 1);
      if(!rc)
        extra_names[nextra++] = v.s[v.n - 1];
    }
  }
  if(rc) {
    rc = hubtok__set_error(err, rc, "SentencePiece: %s", hubtok_strerror(rc));
    goto done;
  }
  {
    /* T5Tokenizer's additional_special_tokens default to the extra ids */
    const cJSON *ast = setting(s, "additional_special_tokens");
    rc = collect_added(m, &v, s, extra_names,
                       (k == KIND_T5 && !cJSON_IsArray(ast)) ? nextra : 0,
                       &a);
    if(rc) {
      rc = hubtok__set_error(err, rc, "SentencePiece: added tokens: %s",
                             hubtok_strerror(rc));
      goto done;
    }
  }

  root = chk(&b, cJSON_CreateObject());
  put(&b, root, "version", cJSON_CreateString("1.0"));
  put(&b, root, "truncation", cJSON_CreateNull());
  put(&b, root, "padding", cJSON_CreateNull());
  put(&b, root, "added_tokens", added_json(&b, &a));

  if(k == KIND_LLAMA) {
    cJSON *items[4];
    size_t ni = 0;
    if(legacy) {
      if(aps) {
        cJSON *p = obj_type(&b, "Prepend");
        put(&b, p, "prepend", cJSON_CreateString(META));
        items[ni++] = p;
      }
      items[ni++] = replace_obj(&b, "Replace", " ", META);
      put(&b, root, "normalizer", seq_obj(&b, "normalizers", items, ni));
      put(&b, root, "pre_tokenizer", cJSON_CreateNull());
    }
    else {
      put(&b, root, "normalizer", cJSON_CreateNull());
      put(&b, root, "pre_tokenizer",
          metaspace_obj(&b, scheme(aps, legacy), 0));
    }
    if(add_bos || add_eos) {
      const char *bos = token_setting(s, "bos_token", "<s>");
      const char *eos = token_setting(s, "eos_token", "</s>");
      if((add_bos && !bos) || (add_eos && !eos)) {
        rc = hubtok__set_error(err, HUBTOK_ETOKENIZER,
                               "tokenizer_config.json: add_bos_token / "
                               "add_eos_token set without the token");
        goto done;
      }
      put(&b, root, "post_processor",
          template_obj(&b, &v, &a, add_bos ? bos : NULL,
                       add_eos ? eos : NULL, 1, 1));
    }
    else
      put(&b, root, "post_processor",
          template_obj(&b, &v, &a, NULL, NULL, 1, 1));
    ni = 0;
    items[ni++] = replace_obj(&b, "Replace", META, " ");
    items[ni++] = obj_type(&b, "ByteFallback");
    items[ni++] = obj_type(&b, "Fuse");
    if(aps) {
      cJSON *st = obj_type(&b, "Strip");
      put(&b, st, "content", cJSON_CreateString(" "));
      put(&b, st, "start", cJSON_CreateNumber(1));
      put(&b, st, "stop", cJSON_CreateNumber(0));
      items[ni++] = st;
    }
    put(&b, root, "decoder", seq_obj(&b, "decoders", items, ni));

    model = obj_type(&b, "BPE");
    put(&b, model, "dropout", cJSON_CreateNull());
    put(&b, model, "unk_token", cJSON_CreateString(m->unk_piece));
    put(&b, model, "continuing_subword_prefix", cJSON_CreateNull());
    put(&b, model, "end_of_word_suffix", cJSON_CreateNull());
    put(&b, model, "fuse_unk", cJSON_CreateTrue());
    put(&b, model, "byte_fallback", cJSON_CreateTrue());
    put(&b, model, "ignore_merges", cJSON_CreateFalse());
    vj = chk(&b, cJSON_CreateObject());
    {
      hubtok__strmap seen;
      hubtok__strmap_init(&seen, HUBTOK__VOCAB_MAX);
      for(i = 0; i < v.n && !b.oom; i++) {
        uint32_t last;
        int existed = 0;
        /* {word: i}: the last index of each word, in first-seen order */
        if(!hubtok__strmap_get(&v.map, v.s[i], v.len[i], &last))
          continue;
        if(hubtok__strmap_put(&seen, v.s[i], v.len[i], 0, NULL, &existed)) {
          b.oom = 1;
          break;
        }
        if(!existed)
          put(&b, vj, v.s[i], cJSON_CreateNumber(last));
      }
      hubtok__strmap_free(&seen);
    }
    put(&b, model, "vocab", vj);
    {
      cJSON *merges = chk(&b, cJSON_CreateArray());
      rc = bpe_merges(m, &v, &b, merges);
      put(&b, model, "merges", merges);
      if(rc) {
        rc = hubtok__set_error(err, rc, "SentencePiece: merges: %s",
                               hubtok_strerror(rc));
        goto done;
      }
    }
  }
  else {
    cJSON *items[2];
    const char *sch = scheme(aps, legacy);
    if(m->charsmap) {
      /* base64 of the charsmap */
      static const char tbl[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
      size_t n = m->charsmap_len, o = 0;
      char *b64 = malloc((n + 2) / 3 * 4 + 1);
      cJSON *pc = obj_type(&b, "Precompiled");
      if(!b64) {
        b.oom = 1;
      }
      else {
        for(i = 0; i < n; i += 3) {
          uint32_t w = (uint32_t)m->charsmap[i] << 16;
          if(i + 1 < n)
            w |= (uint32_t)m->charsmap[i + 1] << 8;
          if(i + 2 < n)
            w |= m->charsmap[i + 2];
          b64[o++] = tbl[(w >> 18) & 63];
          b64[o++] = tbl[(w >> 12) & 63];
          b64[o++] = i + 1 < n ? tbl[(w >> 6) & 63] : '=';
          b64[o++] = i + 2 < n ? tbl[w & 63] : '=';
        }
        b64[o] = 0;
        put(&b, pc, "precompiled_charsmap", cJSON_CreateString(b64));
        free(b64);
      }
      put(&b, root, "normalizer", pc);
    }
    else
      put(&b, root, "normalizer", cJSON_CreateNull());
    items[0] = obj_type(&b, "WhitespaceSplit");
    items[1] = metaspace_obj(&b, sch, 1);
    put(&b, root, "pre_tokenizer", seq_obj(&b, "pretokenizers", items, 2));
    if(k == KIND_T5)
      put(&b, root, "post_processor",
          template_obj(&b, &v, &a, NULL, "</s>", 0, 1));
    else
      put(&b, root, "post_processor", cJSON_CreateNull());
    put(&b, root, "decoder", metaspace_obj(&b, sch, 1));
    model = obj_type(&b, "Unigram");
    put(&b, model, "unk_id", m->unk_id >= 0 ?
        cJSON_CreateNumber(m->unk_id) : cJSON_CreateNull());
    vj = chk(&b, cJSON_CreateArray());
    for(i = 0; i < v.n && !b.oom; i++) {
      cJSON *pair = chk(&b, cJSON_CreateArray());
      push(&b, pair, cJSON_CreateString(v.s[i]));
      push(&b, pair, cJSON_CreateNumber(v.score[i]));
      push(&b, vj, pair);
    }
    put(&b, model, "vocab", vj);
    put(&b, model, "byte_fallback", cJSON_CreateFalse());
  }
  put(&b, root, "model", model);
  if(b.oom) {
    rc = hubtok__set_error(err, HUBTOK_ENOMEM, "out of memory");
    goto done;
  }
  *out = root;
  root = NULL;
done:
  cJSON_Delete(root);
  free(extra_names);
  added_free(&a);
  vocab_free(&v);
  return rc;
}

hubtok_code
hubtok__convert_sentencepiece(const hubtok_legacy_files *files, cJSON **out,
                              hubtok_error *err)
{
  char *data = NULL;
  size_t len;
  hubtok__spm_model m;
  cJSON *config = NULL, *map = NULL;
  settings s;
  const char *cls;
  kind k;
  hubtok_code rc;

  *out = NULL;
  if(!files || !files->sp_model)
    return hubtok__set_error(err, HUBTOK_EINVAL,
                             "no SentencePiece model file");
  cls = files->tokenizer_class;
  if(cls && (!strcmp(cls, "LlamaTokenizer")))
    k = KIND_LLAMA;
  else if(cls && !strcmp(cls, "T5Tokenizer"))
    k = KIND_T5;
  else if(cls)
    return hubtok__set_error(err, HUBTOK_EUNSUPPORTED,
                             "tokenizer_class %.200s: converting its "
                             "SentencePiece model is not supported (Llama "
                             "and T5 are)", cls);
  else
    k = KIND_SPM; /* decided by the model type below */
  rc = hubtok__read_file(files->sp_model, HUBTOK__SPM_FILE_MAX, &data, &len,
                         err);
  if(rc)
    return rc;
  rc = hubtok__spm_model_parse((const unsigned char *)data, len,
                               files->sp_model, &m, err);
  free(data);
  if(rc)
    return rc;
  if(k == KIND_SPM && m.model_type == HUBTOK__SPM_BPE)
    k = KIND_LLAMA;
  if((k == KIND_LLAMA && m.model_type != HUBTOK__SPM_BPE) ||
     (k != KIND_LLAMA && m.model_type != HUBTOK__SPM_UNIGRAM)) {
    int mt = m.model_type;
    hubtok__spm_model_free(&m);
    return hubtok__set_error(err, HUBTOK_EUNSUPPORTED,
                             "%.512s: SentencePiece model type %d is not "
                             "supported for this tokenizer", files->sp_model,
                             mt);
  }
  rc = hubtok__convert_read_json(files->tokenizer_config, &config, err);
  if(!rc)
    rc = hubtok__convert_read_json(files->special_tokens_map, &map, err);
  if(!rc) {
    s.config = config;
    s.map = map;
    rc = build(k, &m, &s, out, err);
  }
  cJSON_Delete(config);
  cJSON_Delete(map);
  hubtok__spm_model_free(&m);
  return rc;
}
