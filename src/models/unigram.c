/*
 * unigram.c: the Unigram model, mirroring tokenizers/src/models/unigram/
 * model.rs: encode_optimized (the Viterbi best path over the vocabulary
 * trie, one pass, ties kept by the first candidate: shorter tokens and
 * earlier starts), unknown characters scored min_score - 10, runs of
 * unknown pieces fused (fuse_unk is always on for loaded models), and
 * tokenize(): each piece looked up again, with <0xXX> byte fallback.
 *
 * Loaded from tokenizer.json "model" {"type": "Unigram", "vocab":
 * [[piece, score], ...], "unk_id": n|null, "byte_fallback": bool}. The
 * lattice sampling path (alpha, nbest) is not reachable from a
 * tokenizer.json and is not implemented. Short words' results are kept
 * in a word cache (models/word_cache.h), as the Rust model's cache: same
 * results, and safe to share between threads.
 */
#include "models/model.h"
#include "models/word_cache.h"
#include "util/image.h"
#include "util/buf.h"
#include "util/json.h"
#include "util/trie.h"
#include "util/utf8.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define K_UNK_PENALTY 10.0

typedef struct unigram {
  hubtok__model base;
  size_t n;              /* vocabulary size */
  double *scores;        /* id -> score */
  uint32_t *off;         /* id -> piece offset in text */
  uint32_t *len;         /* id -> piece length */
  char *text;            /* the pieces, each NUL-terminated */
  size_t text_len;
  hubtok__trie trie;     /* piece -> id (last duplicate wins) */
  int64_t empty_id;      /* id of the piece "" (never matched), or -1 */
  double min_score;
  int64_t unk_id;        /* -1: none */
  int byte_fallback;
  int64_t byte_ids[256]; /* id of "<0xXX>", -1 when absent */
  hubtok__word_cache *cache; /* NULL: none (could not allocate) */
  int mapped;            /* scores, off, len, text are an image's */
} unigram;

/* image sections */
#define IMG_SCORES HUBTOK__IMG_UNIGRAM
#define IMG_OFF (HUBTOK__IMG_UNIGRAM + 1)
#define IMG_LEN (HUBTOK__IMG_UNIGRAM + 2)
#define IMG_TEXT (HUBTOK__IMG_UNIGRAM + 3)
#define IMG_TRIE (HUBTOK__IMG_UNIGRAM + 4) /* and + 5 (util/trie.c) */

/* One node of the best path (BestPathNode). */
typedef struct best {
  double score;
  int64_t start; /* -1: not reached */
  uint32_t id;
} best;

/* A piece of the result: its lattice node's id, or for a run of
 * unknown nodes fused into one piece, fused = 1 (its id is looked up). */
typedef struct piece {
  size_t start;
  size_t end;
  uint32_t id;
  int fused;
} piece;

/* Words up to this many bytes keep their lattice on the stack. */
#define STACK_LEN 64

static hubtok_code
missing_unk(hubtok_error *err)
{
  return hubtok__set_error(err, HUBTOK_ETOKENIZER,
                           "Unigram: Encountered an unknown token but "
                           "`unk_id` is missing");
}

/* encode_optimized: fills pieces (in order; len entries, or one when len
 * is 0) with the best path. */
static hubtok_code
best_path(const unigram *u, const char *s, size_t len, piece *p,
          size_t *npieces, hubtok_error *err)
{
  double unk_score = u->min_score - K_UNK_PENALTY;
  best stack_b[STACK_LEN + 1], *b = stack_b;
  size_t pos = 0, np = 0, end, fuse_end = 0;
  int fusing = 0;
  hubtok_code rc = HUBTOK_OK;

  *npieces = 0;
  if(len > STACK_LEN && !(b = malloc((len + 1) * sizeof(*b))))
    return hubtok__set_error(err, HUBTOK_ENOMEM, "out of memory");
  for(end = 0; end <= len; end++) {
    b[end].score = 0.0;
    b[end].start = -1;
    b[end].id = 0;
  }
  while(pos < len) {
    double here = b[pos].score;
    size_t mblen = hubtok__utf8_len((unsigned char)s[pos]);
    uint32_t node = 0;
    int single = 0;
    size_t k;
    if(mblen == 0 || mblen > len - pos)
      mblen = 1;
    for(k = pos; k < len && u->trie.n; k++) {
      int64_t c = hubtok__trie_child(&u->trie, node, (unsigned char)s[k]);
      int32_t id;
      if(c < 0)
        break;
      node = (uint32_t)c;
      id = u->trie.nodes[node].value;
      if(id >= 0) {
        best *t = &b[k + 1];
        double cand = u->scores[id] + here;
        if(t->start < 0 || cand > t->score) {
          t->score = cand;
          t->start = (int64_t)pos;
          t->id = (uint32_t)id;
        }
        if(k + 1 - pos == mblen)
          single = 1;
      }
    }
    if(!single) {
      best *t = &b[pos + mblen];
      double cand = unk_score + here;
      if(t->start < 0 || cand > t->score) {
        if(u->unk_id < 0) {
          rc = missing_unk(err);
          goto done;
        }
        t->score = cand;
        t->start = (int64_t)pos;
        t->id = (uint32_t)u->unk_id;
      }
    }
    pos += mblen;
  }
  /* Backtrack; consecutive unknown nodes become one piece. Pieces are
   * collected from the end and reversed afterwards. */
  end = len;
  while(end > 0) {
    size_t st = (size_t)b[end].start;
    if(u->unk_id >= 0 && b[end].id == (uint32_t)u->unk_id) {
      if(!fusing)
        fuse_end = end;
      fusing = 1;
    }
    else {
      if(fusing) {
        p[np].start = end;
        p[np].end = fuse_end;
        p[np].fused = 1;
        np++;
        fusing = 0;
      }
      p[np].start = st;
      p[np].end = end;
      p[np].id = b[end].id;
      p[np].fused = 0;
      np++;
    }
    end = st;
  }
  if(fusing) {
    p[np].start = 0;
    p[np].end = fuse_end;
    p[np].fused = 1;
    np++;
  }
  for(end = 0; end < np / 2; end++) {
    piece t = p[end];
    p[end] = p[np - 1 - end];
    p[np - 1 - end] = t;
  }
  *npieces = np;
done:
  if(b != stack_b)
    free(b);
  return rc;
}

static hubtok_code
tokenize_word(const unigram *u, const char *s, size_t len,
              hubtok__toks *out, hubtok_error *err)
{
  piece stack_p[STACK_LEN], *p = stack_p;
  size_t np, i, k;
  hubtok_code rc;

  if(len > STACK_LEN && !(p = malloc(len * sizeof(*p))))
    return hubtok__set_error(err, HUBTOK_ENOMEM, "out of memory");
  rc = best_path(u, s, len, p, &np, err);
  if(rc) {
    if(p != stack_p)
      free(p);
    return rc;
  }
  for(i = 0; i < np && !rc; i++) {
    size_t a = p[i].start, e = p[i].end;
    int32_t id = p[i].fused ? hubtok__trie_get(&u->trie, s + a, e - a)
                            : (int32_t)p[i].id;
    int fb = 0;
    if(id >= 0) {
      rc = hubtok__toks_push(out, (uint32_t)id, a, e);
      continue;
    }
    if(u->byte_fallback) {
      fb = 1;
      for(k = a; k < e; k++) {
        if(u->byte_ids[(unsigned char)s[k]] < 0) {
          fb = 0;
          break;
        }
      }
      for(k = a; k < e && fb && !rc; k++)
        rc = hubtok__toks_push(out,
                               (uint32_t)u->byte_ids[(unsigned char)s[k]],
                               a, e);
    }
    if(fb)
      continue;
    if(u->unk_id < 0) {
      if(p != stack_p)
        free(p);
      return missing_unk(err);
    }
    rc = hubtok__toks_push(out, (uint32_t)u->unk_id, a, e);
    if(!rc)
      out->v[out->n - 1].raw = 1;
  }
  if(p != stack_p)
    free(p);
  if(rc)
    return hubtok__set_error(err, rc, "Unigram: %s", hubtok_strerror(rc));
  return HUBTOK_OK;
}

/* tokenize_word as a hubtok__word_fn */
static hubtok_code
tokenize_word_fn(const void *m, const char *s, size_t len,
                 hubtok__toks *out, hubtok_error *err)
{
  return tokenize_word((const unigram *)m, s, len, out, err);
}

static hubtok_code
unigram_tokenize(const hubtok__model *m, const char *s, size_t len,
                 hubtok__toks *out, hubtok_error *err)
{
  const unigram *u = (const unigram *)m;

  if(len == 0)
    return HUBTOK_OK;
  return hubtok__word_cache_tokenize(u->cache, 0, s, len, out,
                                     tokenize_word_fn, u, err);
}

static int
unigram_token_to_id(const hubtok__model *m, const char *s, size_t len,
                    uint32_t *id)
{
  const unigram *u = (const unigram *)m;
  int64_t v = len ? hubtok__trie_get(&u->trie, s, len) : u->empty_id;

  if(v < 0)
    return 0;
  if(id)
    *id = (uint32_t)v;
  return 1;
}

static const char *
unigram_id_to_token(const hubtok__model *m, uint32_t id, size_t *len)
{
  const unigram *u = (const unigram *)m;

  if(id >= u->n)
    return NULL;
  if(len)
    *len = u->len[id];
  return u->text + u->off[id];
}

static size_t
unigram_vocab_size(const hubtok__model *m)
{
  return ((const unigram *)m)->n;
}

static size_t
unigram_memory(const hubtok__model *m)
{
  const unigram *u = (const unigram *)m;

  return sizeof(*u) + u->n * (sizeof(double) + 2 * sizeof(uint32_t)) +
         u->text_len + hubtok__trie_memory(&u->trie) +
         hubtok__word_cache_memory(u->cache);
}

static void
unigram_destroy(hubtok__model *m)
{
  unigram *u = (unigram *)m;

  hubtok__trie_free(&u->trie);
  hubtok__word_cache_destroy(u->cache);
  if(!u->mapped) {
    free(u->scores);
    free(u->off);
    free(u->len);
    free(u->text);
  }
  free(u);
}

static void
unigram_to_image(const hubtok__model *m, hubtok__imgw *w)
{
  const unigram *u = (const unigram *)m;

  hubtok__imgw_add(w, IMG_SCORES, u->scores, u->n * sizeof(*u->scores));
  hubtok__imgw_add(w, IMG_OFF, u->off, u->n * sizeof(*u->off));
  hubtok__imgw_add(w, IMG_LEN, u->len, u->n * sizeof(*u->len));
  hubtok__imgw_add(w, IMG_TEXT, u->text, u->text_len);
  hubtok__trie_to_image(&u->trie, w, IMG_TRIE);
}

/* the word's cache slots (bytes is never set: no tokenize_bytes) */
static void
unigram_prefetch(const hubtok__model *m, const char *s, size_t len,
                 int bytes)
{
  (void)bytes;
  hubtok__word_cache_prefetch(((const unigram *)m)->cache, 0, s, len);
}

static const hubtok__model_ops unigram_ops = {
  unigram_tokenize, unigram_token_to_id, unigram_id_to_token,
  unigram_vocab_size, unigram_memory, unigram_destroy,
  HUBTOK__MODEL_UNIGRAM, unigram_to_image, NULL, unigram_prefetch
};

/* ------------------------------------------------------------------ */
/* from_json                                                           */

static hubtok_code
load_vocab(unigram *u, const cJSON *j, const char *path, hubtok_error *err)
{
  char p[HUBTOK__PATH_MAX];
  const cJSON *vocab = hubtok__json_get(j, "vocab");
  const cJSON *it;
  const char **keys = NULL;
  hubtok__buf text;
  size_t n, i = 0;
  hubtok_code rc = HUBTOK_OK;

  hubtok__json_path(p, path, "vocab");
  if(hubtok__json_is_null(vocab))
    return hubtok__json_bad(err, p, "Missing vocab");
  if(!cJSON_IsArray(vocab))
    return hubtok__json_bad(err, p, "expected an array of [piece, score]");
  n = (size_t)cJSON_GetArraySize(vocab);
  if(n >= HUBTOK__VOCAB_MAX)
    return hubtok__set_error(err, HUBTOK_ETOOLARGE,
                             "%s: more than %zu pieces", p,
                             HUBTOK__VOCAB_MAX - 1);
  u->scores = malloc((n ? n : 1) * sizeof(*u->scores));
  u->off = malloc((n ? n : 1) * sizeof(*u->off));
  u->len = malloc((n ? n : 1) * sizeof(*u->len));
  keys = malloc((n ? n : 1) * sizeof(*keys));
  if(!u->scores || !u->off || !u->len || !keys) {
    free(keys);
    return hubtok__set_error(err, HUBTOK_ENOMEM, "out of memory");
  }
  hubtok__buf_init(&text, (size_t)UINT32_MAX);
  u->min_score = INFINITY;
  cJSON_ArrayForEach(it, vocab) {
    char ip[HUBTOK__PATH_MAX], ep[HUBTOK__PATH_MAX];
    const cJSON *sc;
    const char *s;
    size_t slen;
    /* paths are only formatted for errors: 250k pieces load fast */
    if(!cJSON_IsArray(it) || !it->child || !it->child->next ||
       it->child->next->next) {
      hubtok__json_path_index(ip, p, i);
      rc = hubtok__json_bad(err, ip, "expected [piece, score]");
      break;
    }
    if(!cJSON_IsString(it->child)) {
      hubtok__json_path_index(ip, p, i);
      hubtok__json_path_index(ep, ip, 0);
      rc = hubtok__json_bad(err, ep, "expected a string");
      break;
    }
    s = it->child->valuestring;
    slen = strlen(s);
    if(!hubtok__utf8_valid(s, slen)) {
      hubtok__json_path_index(ip, p, i);
      hubtok__json_path_index(ep, ip, 0);
      rc = hubtok__json_bad(err, ep, "string is not valid UTF-8");
      break;
    }
    sc = it->child->next;
    if(!cJSON_IsNumber(sc) || !isfinite(sc->valuedouble)) {
      hubtok__json_path_index(ip, p, i);
      hubtok__json_path_index(ep, ip, 1);
      rc = hubtok__json_bad(err, ep, "expected a number");
      break;
    }
    u->off[i] = (uint32_t)text.len;
    u->len[i] = (uint32_t)slen;
    u->scores[i] = sc->valuedouble;
    if(sc->valuedouble < u->min_score)
      u->min_score = sc->valuedouble;
    rc = hubtok__buf_add(&text, s, slen + 1); /* with its NUL */
    if(rc) {
      rc = hubtok__set_error(err, rc, "%s: %s", p, hubtok_strerror(rc));
      break;
    }
    i++;
  }
  if(!rc) {
    u->n = i;
    u->text_len = text.len;
    u->text = hubtok__buf_take(&text, NULL);
    if(!u->text)
      rc = hubtok__set_error(err, HUBTOK_ENOMEM, "out of memory");
  }
  if(!rc) {
    for(i = 0; i < u->n; i++) {
      keys[i] = u->text + u->off[i];
      if(u->len[i] == 0)
        u->empty_id = (int64_t)i;
    }
    rc = hubtok__trie_build(&u->trie, keys, u->len, u->n);
    if(rc)
      rc = hubtok__set_error(err, rc, "%s: %s", p, hubtok_strerror(rc));
  }
  hubtok__buf_free(&text);
  free(keys);
  return rc;
}

/* The tables of an image, each entry checked: finite scores, pieces
 * inside the text and NUL-terminated, trie values below n. */
static hubtok_code
attach_image(unigram *u, const hubtok__image *img, hubtok_error *err)
{
  const double *scores;
  const uint32_t *off, *len;
  const char *text;
  size_t n, n1, n2, tlen, i;

  scores = hubtok__image_get(img, IMG_SCORES, sizeof(*scores), &n);
  off = hubtok__image_get(img, IMG_OFF, sizeof(*off), &n1);
  len = hubtok__image_get(img, IMG_LEN, sizeof(*len), &n2);
  text = hubtok__image_get(img, IMG_TEXT, 1, &tlen);
  if(!scores || !off || !len || !text || n1 != n || n2 != n ||
     n >= HUBTOK__VOCAB_MAX || tlen > UINT32_MAX)
    return hubtok__image_bad(err, "vocabulary");
  /* The pieces tile the text as load_vocab wrote it, each followed by
   * its NUL, and the text holds no other NUL and is valid UTF-8: then
   * every piece is valid UTF-8 without NUL (it starts after a NUL, a
   * char boundary), checked in one pass over the text instead of one
   * call per piece (250k for the multilingual mpnet). */
  {
    size_t pos = 0, nuls = 0;
    for(i = 0; i < n; i++) {
      if(off[i] != pos || len[i] >= tlen - pos || text[pos + len[i]])
        return hubtok__image_bad(err, "vocabulary");
      pos += (size_t)len[i] + 1;
    }
    if(pos != tlen || !hubtok__utf8_valid(text, tlen))
      return hubtok__image_bad(err, "vocabulary");
    for(i = 0; i < tlen; i++)
      nuls += !text[i];
    if(nuls != n)
      return hubtok__image_bad(err, "vocabulary");
  }
  u->min_score = INFINITY;
  for(i = 0; i < n; i++) {
    if(!isfinite(scores[i]))
      return hubtok__image_bad(err, "vocabulary");
    if(scores[i] < u->min_score)
      u->min_score = scores[i];
    if(len[i] == 0)
      u->empty_id = (int64_t)i;
  }
  if(hubtok__trie_from_image(&u->trie, img, IMG_TRIE, (int32_t)n))
    return hubtok__image_bad(err, "vocabulary");
  u->mapped = 1;
  u->scores = (double *)scores;
  u->off = (uint32_t *)off;
  u->len = (uint32_t *)len;
  u->text = (char *)text;
  u->text_len = tlen;
  u->n = n;
  return HUBTOK_OK;
}

hubtok_code
hubtok__unigram_build(const cJSON *j, const char *path,
                      const hubtok__image *img, hubtok__model **out,
                      hubtok_error *err)
{
  char p[HUBTOK__PATH_MAX];
  const cJSON *unk;
  const char *type;
  unigram *u;
  size_t i;
  hubtok_code rc;

  *out = NULL;
  rc = hubtok__json_object(j, path, err);
  if(rc)
    return rc;
  rc = hubtok__json_str(j, path, "type", 0, &type, NULL, err);
  if(rc)
    return rc;
  if(type && strcmp(type, "Unigram")) {
    hubtok__json_path(p, path, "type");
    return hubtok__json_bad(err, p, "expected \"Unigram\"");
  }
  u = calloc(1, sizeof(*u));
  if(!u)
    return hubtok__set_error(err, HUBTOK_ENOMEM, "out of memory");
  u->base.ops = &unigram_ops;
  u->unk_id = -1;
  u->empty_id = -1;
  rc = hubtok__json_bool(j, path, "byte_fallback", 0, &u->byte_fallback,
                         err);
  if(!rc)
    rc = img ? attach_image(u, img, err) : load_vocab(u, j, path, err);
  if(rc)
    goto fail;
  unk = hubtok__json_get(j, "unk_id");
  if(!hubtok__json_is_null(unk)) {
    uint32_t v;
    hubtok__json_path(p, path, "unk_id");
    rc = hubtok__json_as_u32(unk, p, &v, err);
    if(rc)
      goto fail;
    if(u->n == 0) {
      rc = hubtok__json_bad(err, p, "Unable to load vocab: the "
                            "vocabulary is empty but at least <unk> is "
                            "needed");
      goto fail;
    }
    if(v >= u->n) {
      rc = hubtok__json_bad(err, p, "Unable to load vocab: the `unk_id` "
                            "is larger than vocabulary size");
      goto fail;
    }
    u->unk_id = v;
  }
  for(i = 0; i < 256; i++) {
    char name[8];
    int32_t id;
    snprintf(name, sizeof(name), "<0x%02X>", (unsigned)i);
    id = hubtok__trie_get(&u->trie, name, 6);
    u->byte_ids[i] = id;
  }
  if(hubtok__word_cache_create(&u->cache)) {
    rc = hubtok__set_error(err, HUBTOK_ENOMEM, "out of memory");
    goto fail;
  }
  *out = &u->base;
  return HUBTOK_OK;
fail:
  unigram_destroy(&u->base);
  return rc;
}
