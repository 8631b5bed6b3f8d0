/*
 * added_vocab.c: added tokens, mirroring tokenizers/src/tokenizer/
 * added_vocabulary.rs: add_tokens (id assignment, normalized forms),
 * find_matches (leftmost-longest matching as the Aho-Corasick automaton,
 * then single_word / lstrip / rstrip) and extract_and_normalize.
 *
 * The automaton is a byte trie: at each position the longest pattern
 * starting there is taken; the search resumes at the end of the match
 * (before lstrip/rstrip widen it), as leftmost_find_iter does.
 */
#include "tokenizer/added_vocab.h"
#include "util/json.h"
#include "util/strmap.h"
#include "util/utf8.h"

#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#define ADDED_MAX ((size_t)1 << 20)
#define NONE UINT32_MAX

typedef struct entry {
  uint32_t id;
  char *content;
  size_t content_len;
  char *norm;        /* normalized form when it differs, else NULL */
  size_t norm_len;
  int special;
  int single_word;
  int lstrip;
  int rstrip;
  int normalized;
} entry;

typedef struct node {
  uint32_t child;    /* first child, NONE if none */
  uint32_t sibling;  /* next sibling, NONE if none */
  uint32_t value;    /* token id ending here, NONE if none */
  unsigned char byte;
} node;

typedef struct trie {
  node *v;
  size_t n;
  size_t cap;
  unsigned char first[32]; /* bitmap of first bytes */
} trie;

struct hubtok__added_vocab {
  entry *v;               /* sorted by id, one per id */
  size_t n;
  hubtok__strmap map;     /* content -> id (added_tokens_map) */
  hubtok__strmap special; /* special contents */
  size_t in_model;        /* contents also in the model vocab */
  trie raw;               /* non-normalized tokens, on the raw text */
  trie norm;              /* normalized tokens, on normalized text */
  size_t mem;
};

/* ------------------------------------------------------------------ */
/* trie                                                                */

static hubtok_code
trie_node(trie *t, unsigned char byte, uint32_t *out)
{
  if(t->n == t->cap) {
    size_t ncap = t->cap ? t->cap * 2 : 64;
    node *nv = realloc(t->v, ncap * sizeof(*nv));
    if(!nv)
      return HUBTOK_ENOMEM;
    t->v = nv;
    t->cap = ncap;
  }
  t->v[t->n].child = NONE;
  t->v[t->n].sibling = NONE;
  t->v[t->n].value = NONE;
  t->v[t->n].byte = byte;
  *out = (uint32_t)t->n++;
  return HUBTOK_OK;
}

static hubtok_code
trie_add(trie *t, const char *s, size_t len, uint32_t value)
{
  uint32_t cur, c, nn;
  size_t i;

  if(!t->n && trie_node(t, 0, &cur))
    return HUBTOK_ENOMEM;
  cur = 0;
  t->first[(unsigned char)s[0] >> 3] |=
    (unsigned char)(1u << ((unsigned char)s[0] & 7));
  for(i = 0; i < len; i++) {
    unsigned char b = (unsigned char)s[i];
    for(c = t->v[cur].child; c != NONE; c = t->v[c].sibling) {
      if(t->v[c].byte == b)
        break;
    }
    if(c == NONE) {
      if(trie_node(t, b, &nn))
        return HUBTOK_ENOMEM;
      t->v[nn].sibling = t->v[cur].child;
      t->v[cur].child = nn;
      c = nn;
    }
    cur = c;
  }
  t->v[cur].value = value;
  return HUBTOK_OK;
}

/* Leftmost-longest match in s[from..len): 1 with [*ms, *me) and *id. */
static int
trie_find(const trie *t, const char *s, size_t len, size_t from,
          size_t *ms, size_t *me, uint32_t *id)
{
  size_t i, k;

  if(!t->n)
    return 0;
  for(i = from; i < len; i++) {
    unsigned char b0 = (unsigned char)s[i];
    uint32_t cur = 0, best = NONE;
    size_t best_end = 0;
    if(!(t->first[b0 >> 3] & (1u << (b0 & 7))))
      continue;
    for(k = i; k < len; k++) {
      uint32_t c;
      unsigned char b = (unsigned char)s[k];
      for(c = t->v[cur].child; c != NONE; c = t->v[c].sibling) {
        if(t->v[c].byte == b)
          break;
      }
      if(c == NONE)
        break;
      cur = c;
      if(t->v[cur].value != NONE) {
        best = t->v[cur].value;
        best_end = k + 1;
      }
    }
    if(best != NONE) {
      *ms = i;
      *me = best_end;
      *id = best;
      return 1;
    }
  }
  return 0;
}

/* ------------------------------------------------------------------ */
/* \w and \s of the Rust regex crate (Unicode)                          */

static int
is_word_char(uint32_t cp)
{
  switch(utf8proc_category((utf8proc_int32_t)cp)) {
  case UTF8PROC_CATEGORY_LU:
  case UTF8PROC_CATEGORY_LL:
  case UTF8PROC_CATEGORY_LT:
  case UTF8PROC_CATEGORY_LM:
  case UTF8PROC_CATEGORY_LO:
  case UTF8PROC_CATEGORY_NL:
  case UTF8PROC_CATEGORY_MN:
  case UTF8PROC_CATEGORY_MC:
  case UTF8PROC_CATEGORY_ME:
  case UTF8PROC_CATEGORY_ND:
  case UTF8PROC_CATEGORY_PC:
    return 1;
  default:
    break;
  }
  /* Join_Control, and the Other_Alphabetic symbols (circled letters) */
  return cp == 0x200C || cp == 0x200D || (cp >= 0x24B6 && cp <= 0x24E9) ||
         (cp >= 0x1F130 && cp <= 0x1F149) ||
         (cp >= 0x1F150 && cp <= 0x1F169) ||
         (cp >= 0x1F170 && cp <= 0x1F189);
}

static int
is_space_char(uint32_t cp)
{
  return (cp >= 0x09 && cp <= 0x0D) || cp == 0x20 || cp == 0x85 ||
         cp == 0xA0 || cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200A) ||
         cp == 0x2028 || cp == 0x2029 || cp == 0x202F || cp == 0x205F ||
         cp == 0x3000;
}

static int
ends_with_word(const char *s, size_t len)
{
  size_t clen, at;

  if(!len)
    return 0;
  at = hubtok__utf8_last(s, len);
  return is_word_char(hubtok__utf8_decode(s + at, len - at, &clen));
}

static int
starts_with_word(const char *s, size_t len)
{
  size_t clen;

  if(!len)
    return 0;
  return is_word_char(hubtok__utf8_decode(s, len, &clen));
}

/* Start of the whitespace run that ends s (regex \s*$). */
static size_t
space_leftmost_at_end(const char *s, size_t len)
{
  size_t end = len;

  while(end > 0) {
    size_t at = hubtok__utf8_last(s, end), clen;
    if(!is_space_char(hubtok__utf8_decode(s + at, end - at, &clen)))
      break;
    end = at;
  }
  return end;
}

/* Length of the whitespace run that starts s (regex ^\s*). */
static size_t
space_rightmost_at_start(const char *s, size_t len)
{
  size_t i = 0;

  while(i < len) {
    size_t clen;
    if(!is_space_char(hubtok__utf8_decode(s + i, len - i, &clen)))
      break;
    i += clen;
  }
  return i;
}

/* ------------------------------------------------------------------ */
/* lookups                                                             */

static const entry *
find_entry(const hubtok__added_vocab *av, uint32_t id)
{
  size_t lo = 0, hi = av->n;

  while(lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if(av->v[mid].id == id)
      return &av->v[mid];
    if(av->v[mid].id < id)
      lo = mid + 1;
    else
      hi = mid;
  }
  return NULL;
}

int
hubtok__added_vocab_token_to_id(const hubtok__added_vocab *av,
                                const char *s, size_t len, uint32_t *id)
{
  return hubtok__strmap_get(&av->map, s, len, id);
}

const char *
hubtok__added_vocab_id_to_token(const hubtok__added_vocab *av, uint32_t id,
                                size_t *len)
{
  const entry *e = find_entry(av, id);

  if(!e)
    return NULL;
  if(e->norm) {
    *len = e->norm_len;
    return e->norm;
  }
  *len = e->content_len;
  return e->content;
}

int
hubtok__added_vocab_is_special(const hubtok__added_vocab *av,
                               const char *s, size_t len)
{
  return hubtok__strmap_get(&av->special, s, len, NULL);
}

size_t
hubtok__added_vocab_len(const hubtok__added_vocab *av)
{
  return av->map.n;
}

size_t
hubtok__added_vocab_in_model(const hubtok__added_vocab *av)
{
  return av->in_model;
}

size_t
hubtok__added_vocab_count(const hubtok__added_vocab *av)
{
  return av->n;
}

int
hubtok__added_vocab_get(const hubtok__added_vocab *av, size_t i,
                        hubtok_added_token *out)
{
  const entry *e;

  if(i >= av->n)
    return 0;
  e = &av->v[i];
  out->id = e->id;
  out->content = e->content;
  out->content_len = e->content_len;
  out->special = e->special;
  out->single_word = e->single_word;
  out->lstrip = e->lstrip;
  out->rstrip = e->rstrip;
  out->normalized = e->normalized;
  return 1;
}

size_t
hubtok__added_vocab_memory(const hubtok__added_vocab *av)
{
  return av->mem + hubtok__strmap_memory(&av->map) +
         hubtok__strmap_memory(&av->special) +
         (av->raw.cap + av->norm.cap) * sizeof(node);
}

static void
free_entry(entry *e)
{
  free(e->content);
  free(e->norm);
}

void
hubtok__added_vocab_free(hubtok__added_vocab *av)
{
  size_t i;

  if(!av)
    return;
  for(i = 0; i < av->n; i++)
    free_entry(&av->v[i]);
  free(av->v);
  hubtok__strmap_free(&av->map);
  hubtok__strmap_free(&av->special);
  free(av->raw.v);
  free(av->norm.v);
  free(av);
}

/* ------------------------------------------------------------------ */
/* extract_and_normalize                                               */

static hubtok_code
push_slice(hubtok__pretok *out, const hubtok__nstr *ns, size_t start,
           size_t end, int added, uint32_t id)
{
  hubtok__nstr piece;
  hubtok_code rc;

  if(start >= end)
    return HUBTOK_OK; /* empty splits are dropped */
  rc = hubtok__nstr_slice(ns, start, end, &piece);
  if(rc)
    return rc;
  return hubtok__pretok_push(out, &piece, added, id);
}

/* find_matches + split_with_indices on one string. With no token in
 * it, ns moves into out whole (left empty) when its slice would equal it
 * (alignments from 0 to its original's end); otherwise ns is only read. */
static hubtok_code
split_on(const hubtok__added_vocab *av, const trie *t, hubtok__nstr *ns,
         hubtok__pretok *out)
{
  const char *s = ns->s;
  size_t n = ns->len, start_offset = 0, pos = 0, ms, me;
  uint32_t id;
  hubtok_code rc;

  while(trie_find(t, s, n, pos, &ms, &me, &id)) {
    const entry *e = find_entry(av, id);
    pos = me;
    if(!e)
      continue;
    if(e->single_word) {
      int start_space = ms == 0 || !ends_with_word(s, ms);
      int stop_space = me == n || !starts_with_word(s + me, n - me);
      if(!start_space || !stop_space)
        continue;
    }
    if(e->lstrip) {
      size_t ns_ = space_leftmost_at_end(s, ms);
      ms = ns_ > start_offset ? ns_ : start_offset;
    }
    if(e->rstrip)
      me += space_rightmost_at_start(s + me, n - me);
    if(start_offset < ms) {
      rc = push_slice(out, ns, start_offset, ms, 0, 0);
      if(rc)
        return rc;
    }
    rc = push_slice(out, ns, ms, me, 1, id);
    if(rc)
      return rc;
    start_offset = me;
  }
  if(start_offset == 0 && n && ns->al[0] == 0 &&
     ns->al[2 * n - 1] == ns->orig_len)
    return hubtok__pretok_push(out, ns, 0, 0);
  if(start_offset < n)
    return push_slice(out, ns, start_offset, n, 0, 0);
  return HUBTOK_OK;
}

hubtok_code
hubtok__added_vocab_extract(const hubtok__added_vocab *av,
                            const hubtok__normalizer *norm,
                            const char *text, size_t len,
                            hubtok__pretok *out, hubtok_error *err)
{
  hubtok__pretok first;
  hubtok__nstr whole;
  hubtok_code rc;
  size_t i;

  memset(&first, 0, sizeof(first));
  rc = hubtok__nstr_init(&whole, text, len, 0);
  if(rc)
    return hubtok__set_error(err, rc, "input: %s", hubtok_strerror(rc));
  /* 1. non-normalized tokens on the raw text */
  rc = split_on(av, &av->raw, &whole, &first);
  hubtok__nstr_free(&whole);
  if(rc) {
    hubtok__pretok_free(&first);
    return hubtok__set_error(err, rc, "input: %s", hubtok_strerror(rc));
  }
  /* 2. normalize the other pieces, then split on normalized tokens */
  for(i = 0; i < first.n; i++) {
    hubtok__split *sp = &first.v[i];
    if(sp->added) {
      rc = hubtok__pretok_push(out, &sp->ns, 1, sp->added_id);
      if(rc)
        break;
      continue;
    }
    rc = hubtok__normalize(norm, &sp->ns, err);
    if(rc) {
      hubtok__pretok_free(&first);
      return rc;
    }
    rc = split_on(av, &av->norm, &sp->ns, out);
    if(rc)
      break;
  }
  hubtok__pretok_free(&first);
  if(rc)
    return hubtok__set_error(err, rc, "input: %s", hubtok_strerror(rc));
  return HUBTOK_OK;
}

/* ------------------------------------------------------------------ */
/* from_json (AddedVocabulary::add_tokens)                             */

static int
same_token(const entry *e, const char *content, size_t len, int flags[5])
{
  return e->content_len == len && !memcmp(e->content, content, len) &&
         e->single_word == flags[0] && e->lstrip == flags[1] &&
         e->rstrip == flags[2] && e->normalized == flags[3] &&
         e->special == flags[4];
}

static hubtok_code
normalize_content(const hubtok__normalizer *norm, entry *e,
                  hubtok_error *err)
{
  hubtok__nstr ns;
  hubtok_code rc;

  rc = hubtok__nstr_init(&ns, e->content, e->content_len, 0);
  if(rc)
    return hubtok__set_error(err, rc, "%s", hubtok_strerror(rc));
  rc = hubtok__normalize(norm, &ns, err);
  if(!rc && (ns.len != e->content_len ||
             memcmp(ns.s, e->content, ns.len))) {
    e->norm = ns.s;
    e->norm_len = ns.len;
    ns.s = NULL;
  }
  hubtok__nstr_free(&ns);
  return rc;
}

static hubtok_code
add_token(hubtok__added_vocab *av, const hubtok__model *model,
          const hubtok__normalizer *norm, const char *content, size_t len,
          int flags[5], uint32_t *next_id, const char *path,
          hubtok_error *err)
{
  entry ne, *e;
  uint32_t id;
  int found;
  hubtok_code rc;

  if(len == 0)
    return HUBTOK_OK;
  if(hubtok__strmap_get(&av->map, content, len, &id)) {
    e = (entry *)find_entry(av, id);
    if(e && same_token(e, content, len, flags))
      return HUBTOK_OK;
  }
  else if(!model->ops->token_to_id(model, content, len, &id)) {
    id = (*next_id)++;
  }
  memset(&ne, 0, sizeof(ne));
  ne.id = id;
  ne.content = malloc(len + 1);
  if(!ne.content)
    return hubtok__set_error(err, HUBTOK_ENOMEM, "out of memory");
  memcpy(ne.content, content, len + 1);
  ne.content_len = len;
  ne.single_word = flags[0];
  ne.lstrip = flags[1];
  ne.rstrip = flags[2];
  ne.normalized = flags[3];
  ne.special = flags[4];
  if(ne.normalized && norm) {
    rc = normalize_content(norm, &ne, err);
    if(rc) {
      free_entry(&ne);
      return rc;
    }
  }
  rc = hubtok__strmap_put(&av->map, content, len, id, NULL, &found);
  if(!rc && !found && model->ops->token_to_id(model, content, len, NULL))
    av->in_model++;
  if(!rc && ne.special)
    rc = hubtok__strmap_put(&av->special, content, len, 1, NULL, NULL);
  if(rc) {
    free_entry(&ne);
    return hubtok__set_error(err, rc, "%s: %s", path, hubtok_strerror(rc));
  }
  /* added_tokens_map_r.insert(id, token): replace or insert, by id */
  e = (entry *)find_entry(av, id);
  if(e) {
    free_entry(e);
    *e = ne;
    return HUBTOK_OK;
  }
  /* keep v sorted by id: ids mostly come in order, so this is usually
   * an append (a qsort per token was quadratic: 20 ms for Whisper's
   * 1607 added tokens) */
  {
    size_t lo = 0, hi = av->n;
    while(lo < hi) {
      size_t mid = lo + (hi - lo) / 2;
      if(av->v[mid].id < id)
        lo = mid + 1;
      else
        hi = mid;
    }
    memmove(av->v + lo + 1, av->v + lo, (av->n - lo) * sizeof(*av->v));
    av->v[lo] = ne;
    av->n++;
  }
  return HUBTOK_OK;
}

static hubtok_code
build_tries(hubtok__added_vocab *av, hubtok_error *err)
{
  size_t i;

  for(i = 0; i < av->n; i++) {
    const entry *e = &av->v[i];
    hubtok_code rc;
    if(e->normalized) {
      if(e->norm && !e->norm_len)
        continue;
      rc = trie_add(&av->norm, e->norm ? e->norm : e->content,
                    e->norm ? e->norm_len : e->content_len, e->id);
    }
    else {
      rc = trie_add(&av->raw, e->content, e->content_len, e->id);
    }
    if(rc)
      return hubtok__set_error(err, rc, "added_tokens: %s",
                               hubtok_strerror(rc));
  }
  return HUBTOK_OK;
}

hubtok_code
hubtok__added_vocab_from_json(const cJSON *j, const char *path,
                              const hubtok__model *model,
                              const hubtok__normalizer *norm,
                              hubtok__added_vocab **out, hubtok_error *err)
{
  static const char *const names[5] = {
    "single_word", "lstrip", "rstrip", "normalized", "special"
  };
  hubtok__added_vocab *av;
  const cJSON *it;
  uint32_t next_id;
  size_t n = 0, i = 0, k;
  hubtok_code rc = HUBTOK_OK;

  *out = NULL;
  if(!hubtok__json_is_null(j)) {
    if(!cJSON_IsArray(j))
      return hubtok__json_bad(err, path, "expected an array");
    n = (size_t)cJSON_GetArraySize(j);
    if(n > ADDED_MAX)
      return hubtok__set_error(err, HUBTOK_ETOOLARGE,
                               "%s: more than %zu added tokens", path,
                               ADDED_MAX);
  }
  av = calloc(1, sizeof(*av));
  if(!av)
    return hubtok__set_error(err, HUBTOK_ENOMEM, "out of memory");
  hubtok__strmap_init(&av->map, ADDED_MAX);
  hubtok__strmap_init(&av->special, ADDED_MAX);
  av->v = calloc(n ? n : 1, sizeof(*av->v));
  if(!av->v) {
    hubtok__added_vocab_free(av);
    return hubtok__set_error(err, HUBTOK_ENOMEM, "out of memory");
  }
  next_id = (uint32_t)model->ops->vocab_size(model);
  if(n) {
    cJSON_ArrayForEach(it, j) {
      char ip[HUBTOK__PATH_MAX], fp[HUBTOK__PATH_MAX];
      const char *content;
      size_t len;
      uint32_t id;
      int flags[5];
      hubtok__json_path_index(ip, path, i++);
      rc = hubtok__json_object(it, ip, err);
      if(!rc)
        rc = hubtok__json_u32(it, ip, "id", 1, 0, &id, err);
      if(!rc)
        rc = hubtok__json_str(it, ip, "content", 1, &content, &len, err);
      for(k = 0; k < 5 && !rc; k++) {
        const cJSON *b = hubtok__json_get(it, names[k]);
        hubtok__json_path(fp, ip, names[k]);
        if(!b || !cJSON_IsBool(b))
          rc = hubtok__json_bad(err, fp, b ? "expected a boolean" :
                                "missing required boolean");
        else
          flags[k] = cJSON_IsTrue(b) ? 1 : 0;
      }
      if(!rc)
        rc = add_token(av, model, norm, content, len, flags, &next_id, ip,
                       err);
      if(rc)
        break;
    }
  }
  if(!rc)
    rc = build_tries(av, err);
  if(rc) {
    hubtok__added_vocab_free(av);
    return rc;
  }
  for(i = 0; i < av->n; i++)
    av->mem += sizeof(entry) + av->v[i].content_len + av->v[i].norm_len;
  av->mem += sizeof(*av);
  *out = av;
  return HUBTOK_OK;
}
