/*
 * bpe.c: the BPE model, mirroring tokenizers/src/models/bpe/model.rs
 * (merge_word: per-char vocab lookup, byte fallback to <0xXX> tokens,
 * unk and fuse_unk) and word.rs (merge_all: a min-heap of candidate
 * merges ordered by rank then position; stale entries skipped).
 *
 * Loaded from tokenizer.json "model" {"type": "BPE", vocab, merges, ...}.
 * Merges may be "a b" strings or ["a", "b"] pairs. dropout other than
 * null/0 is HUBTOK_EUNSUPPORTED (it is random by design).
 *
 * Word cache: as the Rust model's cache, the result of short words is
 * kept (models/word_cache.h). Results are the same with or without it.
 */
#include "models/model.h"
#include "models/word_cache.h"
#include "util/byte_level.h"
#include "util/image.h"
#include "util/json.h"
#include "models/vocab.h"
#include "util/utf8.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NO_PAIR UINT64_MAX /* ids are below HUBTOK__VOCAB_MAX */

/* One entry of the merge table: open addressing, linear probing. */
typedef struct merge_slot {
  uint64_t key; /* left id << 32 | right id; NO_PAIR when empty */
  uint32_t rank;
  uint32_t new_id;
} merge_slot;

static size_t
pair_hash(uint64_t key, size_t mask)
{
  key *= 0x9E3779B97F4A7C15ull;
  return (size_t)(key >> 29) & mask;
}

typedef struct bpe {
  hubtok__model base;
  hubtok__word_cache *cache; /* NULL: no cache (could not allocate) */
  hubtok__vocab vocab;   /* token <-> id (models/vocab.c) */
  struct merge_slot *mtab; /* (left id, right id) -> rank, new id */
  size_t mcap;              /* power of two (0: no merges) */
  size_t mcount;            /* distinct pairs in mtab */
  size_t n_merges;
  /* id of each one-char token of one or two UTF-8 bytes (piece without
   * prefix/suffix), indexed by char_index(); -1 when not in the vocab.
   * Saves the string hash for the chars of byte-level BPE. */
  int32_t char_ids[0x800];
  int64_t byte_ids[256]; /* id of "<0xXX>", -1 when absent */
  char *unk;             /* NULL when there is no unk_token */
  size_t unk_len;
  char *prefix;          /* continuing_subword_prefix or NULL */
  size_t prefix_len;
  char *suffix;          /* end_of_word_suffix or NULL */
  size_t suffix_len;
  int fuse_unk;
  int byte_fallback;
  int ignore_merges;
  /* No merge joins a piece ending in a char other than U+2581 (the
   * SentencePiece space, "▁") to one starting with it, and "▁" is in the
   * vocabulary: then a word splits before every run of "▁" into parts
   * that merge alone (see bpe_tokenize). cross_meta counts the merges
   * that break it while loading. */
  int meta_split;
  size_t cross_meta;
  int mapped; /* mtab is an image's (read-only) */
} bpe;

/* image sections */
#define IMG_MERGES HUBTOK__IMG_BPE        /* mtab */
#define IMG_META (HUBTOK__IMG_BPE + 1)    /* uint64_t[3]: mcount, n_merges,
                                             cross_meta */

#define META "\xE2\x96\x81" /* U+2581, the SentencePiece space */
#define META_LEN 3

/* ------------------------------------------------------------------ */
/* merge_all                                                           */

/* Positions and lengths fit in 32 bits: texts are below
 * HUBTOK__TEXT_MAX (2^30) bytes. */
typedef struct symbol {
  uint32_t c;
  int32_t prev;
  int32_t next;
  uint32_t len;
} symbol;

/* A candidate merge; key orders by rank, then position. */
typedef struct merge {
  uint64_t key; /* rank << 32 | pos */
  uint32_t new_id;
} merge;

/* Per-word scratch. sym and heap start in the inline arrays (most words
 * are short) and move to the heap when they outgrow them. */
#define WORK_INLINE 32

typedef struct work {
  symbol *sym;
  size_t nsym;
  size_t symcap;
  merge *heap;
  size_t nheap;
  size_t heapcap;
  symbol sym_inline[WORK_INLINE];
  merge heap_inline[WORK_INLINE * 2];
} work;

static void
work_init(work *w)
{
  w->sym = w->sym_inline;
  w->nsym = 0;
  w->symcap = WORK_INLINE;
  w->heap = w->heap_inline;
  w->nheap = 0;
  w->heapcap = WORK_INLINE * 2;
}

static void
work_free(work *w)
{
  if(w->sym != w->sym_inline)
    free(w->sym);
  if(w->heap != w->heap_inline)
    free(w->heap);
}

/* Double an array that may still be the inline one; NULL on ENOMEM (the
 * old array is untouched). */
static void *
grow(void *p, const void *inline_p, size_t cap, size_t elt)
{
  void *np;

  if(p != inline_p)
    return realloc(p, cap * 2 * elt);
  np = malloc(cap * 2 * elt);
  if(np)
    memcpy(np, p, cap * elt);
  return np;
}

static hubtok_code
heap_push(work *w, uint32_t rank, uint32_t new_id, size_t pos)
{
  uint64_t key = (uint64_t)rank << 32 | pos;
  size_t i;

  if(w->nheap == w->heapcap) {
    merge *nh = grow(w->heap, w->heap_inline, w->heapcap, sizeof(*nh));
    if(!nh)
      return HUBTOK_ENOMEM;
    w->heap = nh;
    w->heapcap *= 2;
  }
  /* sift the hole up, then fill it */
  i = w->nheap++;
  while(i > 0) {
    size_t parent = (i - 1) / 2;
    if(w->heap[parent].key <= key)
      break;
    w->heap[i] = w->heap[parent];
    i = parent;
  }
  w->heap[i].key = key;
  w->heap[i].new_id = new_id;
  return HUBTOK_OK;
}

static merge
heap_pop(work *w)
{
  merge top = w->heap[0], last = w->heap[--w->nheap];
  size_t i = 0, n = w->nheap;

  /* sift the hole down, then fill it with the last entry */
  for(;;) {
    size_t l = 2 * i + 1, m;
    if(l >= n)
      break;
    m = l + 1 < n && w->heap[l + 1].key < w->heap[l].key ? l + 1 : l;
    if(last.key <= w->heap[m].key)
      break;
    w->heap[i] = w->heap[m];
    i = m;
  }
  if(n)
    w->heap[i] = last;
  return top;
}

static hubtok_code
word_add(work *w, uint32_t c, size_t len)
{
  if(w->nsym == w->symcap) {
    symbol *ns = grow(w->sym, w->sym_inline, w->symcap, sizeof(*ns));
    if(!ns)
      return HUBTOK_ENOMEM;
    w->sym = ns;
    w->symcap *= 2;
  }
  if(w->nsym)
    w->sym[w->nsym - 1].next = (int32_t)w->nsym;
  w->sym[w->nsym].c = c;
  w->sym[w->nsym].prev = (int32_t)w->nsym - 1;
  w->sym[w->nsym].next = -1;
  w->sym[w->nsym].len = (uint32_t)len;
  w->nsym++;
  return HUBTOK_OK;
}

static int
merge_get(const bpe *b, uint32_t l, uint32_t r, uint32_t *rank,
          uint32_t *new_id)
{
  uint64_t key = (uint64_t)l << 32 | r;
  size_t mask, i;

  if(!b->mcap)
    return 0;
  mask = b->mcap - 1;
  for(i = pair_hash(key, mask);; i = (i + 1) & mask) {
    const merge_slot *e = &b->mtab[i];
    if(e->key == key) {
      *rank = e->rank;
      *new_id = e->new_id;
      return 1;
    }
    if(e->key == NO_PAIR)
      return 0;
  }
}

/* Insert or overwrite (the last duplicate pair wins, as the map in
 * Rust does). The table was sized for every merge. */
static void
merge_put(bpe *b, uint32_t l, uint32_t r, uint32_t rank, uint32_t new_id)
{
  uint64_t key = (uint64_t)l << 32 | r;
  size_t mask = b->mcap - 1, i;

  for(i = pair_hash(key, mask);; i = (i + 1) & mask) {
    merge_slot *e = &b->mtab[i];
    if(e->key == NO_PAIR) {
      e->key = key;
      b->mcount++;
    }
    if(e->key == key) {
      e->rank = rank;
      e->new_id = new_id;
      return;
    }
  }
}

/* Index of a one-char piece of 1 or 2 bytes in char_ids, or -1. */
static int
char_index(const unsigned char *p, size_t n)
{
  if(n == 1 && p[0] < 0x80)
    return p[0];
  if(n == 2 && p[0] >= 0xC2 && p[0] <= 0xDF && (p[1] & 0xC0) == 0x80)
    return ((p[0] & 0x1F) << 6) | (p[1] & 0x3F);
  return -1;
}

/*
 * merge_all for a short word: the same merges in the same order (the
 * lowest rank, then the leftmost), found by scanning the ranks of the
 * adjacent pairs instead of through the heap. Every heap entry that
 * merge_all does not skip is a pair adjacent at that moment (a merged
 * pair's string is longer than any stale pair's at that position, so its
 * id differs), hence the heap's minimum is the scan's. Two lookups per
 * merge, no heap; the symbols end compacted in w->sym[0 .. nsym).
 */
/* Words of up to this many symbols merge by scanning (merge_short): a
 * scan per merge costs less than the heap's lookups up to here. */
#define SHORT_MAX 128

static void
merge_short(const bpe *b, work *w)
{
  uint32_t c[SHORT_MAX], len[SHORT_MAX], rank[SHORT_MAX], nid[SHORT_MAX];
  size_t n = w->nsym, i, best;

  for(i = 0; i < n; i++) {
    c[i] = w->sym[i].c;
    len[i] = w->sym[i].len;
  }
  /* the pairs' slots are independent: ask for them all, then read */
  for(i = 0; b->mcap && i + 1 < n; i++)
    __builtin_prefetch(&b->mtab[pair_hash((uint64_t)c[i] << 32 | c[i + 1],
                                          b->mcap - 1)]);
  for(i = 0; i + 1 < n; i++)
    if(!merge_get(b, c[i], c[i + 1], &rank[i], &nid[i]))
      rank[i] = UINT32_MAX;
  while(n > 1) {
    /* the lowest (rank, position): branch-free, so it vectorizes */
    uint64_t best_key = UINT64_MAX;
    for(i = 0; i + 1 < n; i++) {
      uint64_t key = (uint64_t)rank[i] << 32 | i;
      best_key = key < best_key ? key : best_key;
    }
    if((best_key >> 32) == UINT32_MAX)
      break;
    best = (size_t)(uint32_t)best_key;
    c[best] = nid[best];
    len[best] += len[best + 1];
    n--;
    for(i = best + 1; i < n; i++) {
      c[i] = c[i + 1];
      len[i] = len[i + 1];
      rank[i] = rank[i + 1];
      nid[i] = nid[i + 1];
    }
    if(best > 0 && !merge_get(b, c[best - 1], c[best], &rank[best - 1],
                              &nid[best - 1]))
      rank[best - 1] = UINT32_MAX;
    if(best + 1 < n && !merge_get(b, c[best], c[best + 1], &rank[best],
                                  &nid[best]))
      rank[best] = UINT32_MAX;
  }
  for(i = 0; i < n; i++) {
    w->sym[i].c = c[i];
    w->sym[i].len = len[i];
  }
  w->nsym = n;
}

static hubtok_code
merge_all(const bpe *b, work *w)
{
  size_t i;
  uint32_t rank, new_id;

  if(w->nsym <= SHORT_MAX) {
    merge_short(b, w);
    return HUBTOK_OK;
  }
  w->nheap = 0;
  for(i = 0; i + 1 < w->nsym; i++) {
    if(merge_get(b, w->sym[i].c, w->sym[i + 1].c, &rank, &new_id) &&
       heap_push(w, rank, new_id, i))
      return HUBTOK_ENOMEM;
  }
  while(w->nheap) {
    merge top = heap_pop(w);
    size_t top_pos = (size_t)(uint32_t)top.key;
    symbol *cur = &w->sym[top_pos];
    symbol right;
    size_t next_pos;
    uint32_t nr;

    if(cur->len == 0 || cur->next == -1)
      continue;
    next_pos = (size_t)cur->next;
    right = w->sym[next_pos];
    /* expired entry? */
    if(!merge_get(b, cur->c, right.c, &rank, &nr) || nr != top.new_id)
      continue;
    cur->c = top.new_id;
    cur->len += right.len;
    cur->next = right.next;
    w->sym[next_pos].len = 0;
    if(right.next > -1 && (size_t)right.next < w->nsym)
      w->sym[right.next].prev = (int32_t)top_pos;
    if(cur->prev >= 0) {
      symbol *prev = &w->sym[cur->prev];
      if(merge_get(b, prev->c, cur->c, &rank, &nr) &&
         heap_push(w, rank, nr, (size_t)cur->prev))
        return HUBTOK_ENOMEM;
    }
    cur = &w->sym[top_pos];
    if(cur->next >= 0 && (size_t)cur->next < w->nsym) {
      symbol *next = &w->sym[cur->next];
      if(merge_get(b, cur->c, next->c, &rank, &nr) &&
         heap_push(w, rank, nr, top_pos))
        return HUBTOK_ENOMEM;
    }
  }
  return HUBTOK_OK;
}

/* ------------------------------------------------------------------ */
/* merge_word / tokenize                                               */

static hubtok_code
merge_word(const bpe *b, const char *s, size_t len, hubtok__toks *out,
           hubtok_error *err)
{
  work w;
  hubtok__buf tmp;
  hubtok_code rc = HUBTOK_OK;
  int have_unk = 0;
  uint32_t unk_id = 0;
  size_t unk_len = 0;
  size_t i = 0, pos, k;
  uint32_t id;

  if(len == 0)
    return HUBTOK_OK;
  if(b->ignore_merges && hubtok__vocab_get(&b->vocab, s, len, &id)) {
    if(hubtok__toks_push(out, id, 0, len))
      return hubtok__set_error(err, HUBTOK_ENOMEM, "out of memory");
    return HUBTOK_OK;
  }
  work_init(&w);
  hubtok__buf_init(&tmp, HUBTOK__VOCAB_MAX);
  while(i < len) {
    size_t clen = hubtok__utf8_len((unsigned char)s[i]);
    const char *piece;
    size_t plen;
    int is_first = i == 0, is_last, ci, found;

    if(clen == 0 || i + clen > len)
      clen = 1;
    is_last = i + clen == len;
    piece = s + i;
    plen = clen;
    /* an empty prefix or suffix (gpt2 has "") changes nothing */
    if((!is_first && b->prefix_len) || (is_last && b->suffix_len)) {
      hubtok__buf_reset(&tmp);
      if(!is_first && b->prefix_len)
        rc = hubtok__buf_add(&tmp, b->prefix, b->prefix_len);
      if(!rc)
        rc = hubtok__buf_add(&tmp, s + i, clen);
      if(!rc && is_last && b->suffix_len)
        rc = hubtok__buf_add(&tmp, b->suffix, b->suffix_len);
      if(rc)
        goto fail;
      piece = tmp.p;
      plen = tmp.len;
    }
    if(piece == s + i && (ci = char_index((const unsigned char *)piece,
                                          plen)) >= 0) {
      found = b->char_ids[ci] >= 0;
      id = (uint32_t)b->char_ids[ci];
    }
    else
      found = hubtok__vocab_get(&b->vocab, piece, plen, &id);
    if(found) {
      if(have_unk) {
        rc = word_add(&w, unk_id, unk_len);
        if(rc)
          goto fail;
        have_unk = 0;
      }
      rc = word_add(&w, id, clen);
      if(rc)
        goto fail;
      i += clen;
      continue;
    }
    if(b->byte_fallback) {
      int all = 1;
      for(k = 0; k < plen; k++) {
        if(b->byte_ids[(unsigned char)piece[k]] < 0) {
          all = 0;
          break;
        }
      }
      if(all) {
        /* piece may live in tmp; read the ids before adding */
        for(k = 0; k < plen; k++) {
          rc = word_add(&w, (uint32_t)b->byte_ids[(unsigned char)piece[k]],
                        1);
          if(rc)
            goto fail;
        }
        i += clen;
        continue;
      }
    }
    if(b->unk) {
      uint32_t uid;
      if(!hubtok__vocab_get(&b->vocab, b->unk, b->unk_len, &uid)) {
        rc = hubtok__set_error(err, HUBTOK_ETOKENIZER,
                               "unk token `%.200s` not found in the "
                               "vocabulary", b->unk);
        goto done;
      }
      if(have_unk && b->fuse_unk) {
        unk_len += clen;
      }
      else {
        if(have_unk) {
          rc = word_add(&w, unk_id, unk_len);
          if(rc)
            goto fail;
        }
        have_unk = 1;
        unk_id = uid;
        unk_len = clen;
      }
    }
    i += clen;
  }
  if(have_unk) {
    rc = word_add(&w, unk_id, unk_len);
    if(rc)
      goto fail;
  }
  rc = merge_all(b, &w);
  if(rc)
    goto fail;
  pos = 0;
  for(k = 0; k < w.nsym; k++) {
    if(w.sym[k].len == 0)
      continue;
    if(hubtok__toks_push(out, w.sym[k].c, pos, pos + w.sym[k].len)) {
      rc = HUBTOK_ENOMEM;
      goto fail;
    }
    pos += w.sym[k].len;
  }
  goto done;
fail:
  rc = hubtok__set_error(err, rc, "BPE: %s", hubtok_strerror(rc));
done:
  work_free(&w);
  hubtok__buf_free(&tmp);
  return rc;
}

/* merge_word as a hubtok__word_fn */
static hubtok_code
merge_word_fn(const void *m, const char *s, size_t len, hubtok__toks *out,
              hubtok_error *err)
{
  return merge_word((const bpe *)m, s, len, out, err);
}

static hubtok_code
tokenize_part(const bpe *b, const char *s, size_t len, hubtok__toks *out,
              hubtok_error *err)
{
  return hubtok__word_cache_tokenize(b->cache, 0, s, len, out,
                                     merge_word_fn, b, err);
}

/*
 * The fused ByteLevel path (model.h, tokenize_bytes): the word's bytes
 * are mapped to their chars here and merged whole (meta_split is only a
 * shortcut, the same result); the tokens' offsets are then counted back
 * in bytes of the word, one per char. Cached under tag 1, keyed by the
 * raw bytes.
 */
static hubtok_code
bytes_word(const void *m, const char *s, size_t len, hubtok__toks *out,
           hubtok_error *err)
{
  const bpe *b = m;
  char inl[2 * HUBTOK__WORD_CACHE_KEY_MAX + 2], *t = inl;
  size_t i, tl = 0, first = out->n, q = 0, pos = 0, k;
  hubtok_code rc;

  if(len > HUBTOK__TEXT_MAX / 2)
    return hubtok__set_error(err, HUBTOK_ETOOLARGE, "BPE: %s",
                             hubtok_strerror(HUBTOK_ETOOLARGE));
  if(2 * len > sizeof(inl) && !(t = malloc(2 * len)))
    return hubtok__set_error(err, HUBTOK_ENOMEM, "out of memory");
  for(i = 0; i < len; i++) {
    uint32_t c = hubtok__byte_level_char((unsigned char)s[i]);
    if(c < 0x80)
      t[tl++] = (char)c;
    else {
      t[tl++] = (char)(0xC0 | (c >> 6));
      t[tl++] = (char)(0x80 | (c & 0x3F));
    }
  }
  rc = merge_word(b, t, tl, out, err);
  /* merge_word's tokens tile t; each char of t is one byte of s */
  for(k = first; k < out->n && !rc; k++) {
    size_t n = 0;
    for(; q < out->v[k].end; q++)
      n += ((unsigned char)t[q] & 0xC0) != 0x80;
    out->v[k].start = pos;
    out->v[k].end = pos += n;
  }
  if(t != inl)
    free(t);
  return rc;
}

static hubtok_code
bpe_tokenize_bytes(const hubtok__model *m, const char *s, size_t len,
                   hubtok__toks *out, hubtok_error *err)
{
  const bpe *b = (const bpe *)m;

  return hubtok__word_cache_tokenize(b->cache, 1, s, len, out, bytes_word,
                                     b, err);
}

/* the cache slots of the part (bpe_tokenize) or word (tokenize_bytes) */
static void
bpe_prefetch(const hubtok__model *m, const char *s, size_t len, int bytes)
{
  hubtok__word_cache_prefetch(((const bpe *)m)->cache, bytes ? 1 : 0, s,
                              len);
}

/* bpe_tokenize's window of SentencePiece parts, and how far ahead of
 * its lookup a part's cache slots are asked for. */
#define PARTS_AHEAD_MAX 32
#define PREFETCH_AHEAD 2

static int
is_meta(const char *s, size_t i, size_t len)
{
  return i + META_LEN <= len && !memcmp(s + i, META, META_LEN);
}

/* With meta_split, a SentencePiece line ("▁Hello▁world") is merged as
 * its parts "▁Hello", "▁world": no merge can cross the boundary before a
 * run of "▁" (the merge left of it would end in another char, the one
 * right of it start with "▁"), and BPE's order (lowest rank, then
 * leftmost) restricted to one part is that part's own order, so the
 * result is the same as merging the line whole. Each part is short and
 * frequent: the word cache serves it, and the merge heap stays small. */
static hubtok_code
bpe_tokenize(const hubtok__model *m, const char *s, size_t len,
             hubtok__toks *out, hubtok_error *err)
{
  const bpe *b = (const bpe *)m;
  /* a window of parts: part j is s[at[j] .. at[j + 1]) */
  size_t at[PARTS_AHEAD_MAX + 1], n, j, k, i = 1;

  if(!b->meta_split || len <= HUBTOK__WORD_CACHE_KEY_MAX)
    return tokenize_part(b, s, len, out, err);
  /* the parts a window at a time, so that each part's cache slots can
   * be asked for PREFETCH_AHEAD parts before it is looked up */
  at[0] = 0;
  while(at[0] < len) {
    for(n = 0; n < PARTS_AHEAD_MAX && i <= len; i++)
      if(i == len || (is_meta(s, i, len) &&
                      !(i >= META_LEN && is_meta(s, i - META_LEN, len))))
        at[++n] = i;
    for(j = 0; j < n && j < PREFETCH_AHEAD; j++)
      bpe_prefetch(m, s + at[j], at[j + 1] - at[j], 0);
    for(j = 0; j < n; j++) {
      size_t first = out->n;
      hubtok_code rc;
      if(j + PREFETCH_AHEAD < n)
        bpe_prefetch(m, s + at[j + PREFETCH_AHEAD],
                     at[j + PREFETCH_AHEAD + 1] - at[j + PREFETCH_AHEAD], 0);
      rc = tokenize_part(b, s + at[j], at[j + 1] - at[j], out, err);
      if(rc)
        return rc;
      for(k = first; k < out->n; k++) {
        out->v[k].start += at[j];
        out->v[k].end += at[j];
      }
    }
    at[0] = at[n];
  }
  return HUBTOK_OK;
}

static int
bpe_token_to_id(const hubtok__model *m, const char *s, size_t len,
                uint32_t *id)
{
  const bpe *b = (const bpe *)m;
  return hubtok__vocab_get(&b->vocab, s, len, id);
}

static const char *
bpe_id_to_token(const hubtok__model *m, uint32_t id, size_t *len)
{
  const bpe *b = (const bpe *)m;

  return hubtok__vocab_token(&b->vocab, id, len);
}

static size_t
bpe_vocab_size(const hubtok__model *m)
{
  return ((const bpe *)m)->vocab.map.n;
}

static size_t
bpe_memory(const hubtok__model *m)
{
  const bpe *b = (const bpe *)m;
  return sizeof(*b) + hubtok__vocab_memory(&b->vocab) +
         b->mcap * sizeof(merge_slot) +
         hubtok__word_cache_memory(b->cache);
}

static void
bpe_destroy(hubtok__model *m)
{
  bpe *b = (bpe *)m;

  hubtok__vocab_free(&b->vocab);
  if(!b->mapped)
    free(b->mtab);
  hubtok__word_cache_destroy(b->cache);
  free(b->unk);
  free(b->prefix);
  free(b->suffix);
  free(b);
}

static void
bpe_to_image(const hubtok__model *m, hubtok__imgw *w)
{
  const bpe *b = (const bpe *)m;
  uint64_t meta[3];

  meta[0] = b->mcount;
  meta[1] = b->n_merges;
  meta[2] = b->cross_meta;
  hubtok__vocab_to_image(&b->vocab, w);
  hubtok__imgw_add(w, IMG_MERGES, b->mtab, b->mcap * sizeof(*b->mtab));
  hubtok__imgw_add(w, IMG_META, meta, sizeof(meta));
}

static const hubtok__model_ops bpe_ops = {
  bpe_tokenize, bpe_token_to_id, bpe_id_to_token, bpe_vocab_size,
  bpe_memory, bpe_destroy, HUBTOK__MODEL_BPE, bpe_to_image,
  bpe_tokenize_bytes, bpe_prefetch
};

/* ------------------------------------------------------------------ */
/* from_json                                                           */

static hubtok_code
dup_opt(const cJSON *j, const char *path, const char *key, char **out,
        size_t *len, hubtok_error *err)
{
  const char *s;
  hubtok_code rc;

  rc = hubtok__json_str(j, path, key, 0, &s, len, err);
  if(rc || !s)
    return rc;
  *out = malloc(*len + 1);
  if(!*out)
    return hubtok__set_error(err, HUBTOK_ENOMEM, "out of memory");
  memcpy(*out, s, *len + 1);
  return HUBTOK_OK;
}

/* The byte-fallback and one-char tables, from the vocabulary. */
static void
char_tables(bpe *b)
{
  size_t i;

  for(i = 0; i < 256; i++) {
    char name[8];
    uint32_t id;
    snprintf(name, sizeof(name), "<0x%02X>", (unsigned)i);
    b->byte_ids[i] = hubtok__vocab_get(&b->vocab, name, 6, &id) ?
                     (int64_t)id : -1;
  }
  for(i = 0; i < 0x800; i++) {
    char c[2];
    size_t n = 1;
    uint32_t id;
    if(i < 0x80)
      c[0] = (char)i;
    else {
      c[0] = (char)(0xC0 | (i >> 6));
      c[1] = (char)(0x80 | (i & 0x3F));
      n = 2;
    }
    b->char_ids[i] = hubtok__vocab_get(&b->vocab, c, n, &id) ?
                     (int32_t)id : -1;
  }
}

/* The tables of an image: the vocabulary and the merges, each entry
 * checked (ids inside the vocabulary, one slot free at least). */
static hubtok_code
attach_image(bpe *b, const hubtok__image *img, hubtok_error *err)
{
  const merge_slot *mt;
  const uint64_t *meta;
  size_t n, nmeta, i, used = 0;

  if(hubtok__vocab_from_image(&b->vocab, img))
    return hubtok__image_bad(err, "vocabulary");
  mt = hubtok__image_get(img, IMG_MERGES, sizeof(*mt), &n);
  meta = hubtok__image_get(img, IMG_META, sizeof(*meta), &nmeta);
  if(!mt || !meta || nmeta != 3 || (n & (n - 1)))
    return hubtok__image_bad(err, "merges");
  for(i = 0; i < n; i++) {
    if(mt[i].key == NO_PAIR)
      continue;
    if((mt[i].key >> 32) >= b->vocab.id_cap ||
       (mt[i].key & 0xFFFFFFFFu) >= b->vocab.id_cap ||
       mt[i].new_id >= b->vocab.id_cap ||
       !hubtok__vocab_token(&b->vocab, mt[i].new_id, NULL))
      return hubtok__image_bad(err, "merges");
    used++;
  }
  if(used != meta[0] || (n && used >= n) || meta[1] > HUBTOK__VOCAB_MAX)
    return hubtok__image_bad(err, "merges");
  b->mtab = n ? (merge_slot *)mt : NULL;
  b->mcap = n;
  b->mcount = used;
  b->n_merges = (size_t)meta[1];
  b->cross_meta = (size_t)meta[2];
  b->mapped = 1;
  return HUBTOK_OK;
}

/* A string member that is valid UTF-8 (what hubtok__json_as_str
 * accepts), without formatting a path. */
static int
str_ok(const cJSON *v, const char **out, size_t *len)
{
  if(!v || !cJSON_IsString(v) || !v->valuestring)
    return 0;
  *len = strlen(v->valuestring);
  if(!hubtok__utf8_valid(v->valuestring, *len))
    return 0;
  *out = v->valuestring;
  return 1;
}

static hubtok_code
add_merge(bpe *b, const char *mpath, size_t idx, size_t rank, const char *l,
          size_t ll, const char *r, size_t rl, hubtok__buf *tmp,
          hubtok_error *err)
{
  char path[HUBTOK__PATH_MAX];
  uint32_t lid, rid, nid;
  hubtok_code rc;

  /* the merge's path is only formatted for an error (50k+ merges) */
#define FAIL_PATH() hubtok__json_path_index(path, mpath, idx)

  if(!hubtok__vocab_get(&b->vocab, l, ll, &lid)) {
    FAIL_PATH();
    return hubtok__set_error(err, HUBTOK_ETOKENIZER,
                             "%s: token `%.200s` out of vocabulary", path, l);
  }
  if(!hubtok__vocab_get(&b->vocab, r, rl, &rid)) {
    FAIL_PATH();
    return hubtok__set_error(err, HUBTOK_ETOKENIZER,
                             "%s: token `%.200s` out of vocabulary", path, r);
  }
  if(rl < b->prefix_len) {
    FAIL_PATH();
    return hubtok__set_error(err, HUBTOK_ETOKENIZER,
                             "%s: token `%.200s` is shorter than the "
                             "continuing_subword_prefix", path, r);
  }
  hubtok__buf_reset(tmp);
  rc = hubtok__buf_add(tmp, l, ll);
  if(!rc)
    rc = hubtok__buf_add(tmp, r + b->prefix_len, rl - b->prefix_len);
  if(rc) {
    FAIL_PATH();
    return hubtok__set_error(err, rc, "%s: %s", path, hubtok_strerror(rc));
  }
  if(!hubtok__vocab_get(&b->vocab, tmp->p, tmp->len, &nid)) {
    FAIL_PATH();
    return hubtok__set_error(err, HUBTOK_ETOKENIZER,
                             "%s: token `%.200s` out of vocabulary", path,
                             tmp->p);
  }
  if(rl >= META_LEN && !memcmp(r, META, META_LEN) &&
     !(ll >= META_LEN && !memcmp(l + ll - META_LEN, META, META_LEN)))
    b->cross_meta++;
  merge_put(b, lid, rid, (uint32_t)rank, nid);
  return HUBTOK_OK;
#undef FAIL_PATH
}

static hubtok_code
load_merges(bpe *b, const cJSON *j, const char *path, hubtok_error *err)
{
  char p[HUBTOK__PATH_MAX];
  const cJSON *merges, *it;
  hubtok__buf tmp;
  size_t n, i = 0, rank = 0;
  int legacy = -1;
  hubtok_code rc = HUBTOK_OK;

  rc = hubtok__json_array(j, path, "merges", &merges, err);
  if(rc)
    return rc;
  hubtok__json_path(p, path, "merges");
  n = (size_t)cJSON_GetArraySize(merges);
  if(n > HUBTOK__VOCAB_MAX)
    return hubtok__set_error(err, HUBTOK_ETOOLARGE,
                             "%s: more than %zu merges", p,
                             HUBTOK__VOCAB_MAX);
  if(n) {
    size_t k;
    b->mcap = 16;
    while(b->mcap < 2 * n)
      b->mcap *= 2;
    b->mtab = calloc(b->mcap, sizeof(*b->mtab)); /* images copy it */
    if(!b->mtab)
      return hubtok__set_error(err, HUBTOK_ENOMEM, "out of memory");
    for(k = 0; k < b->mcap; k++)
      b->mtab[k].key = NO_PAIR;
  }
  hubtok__buf_init(&tmp, HUBTOK__VOCAB_MAX);
  cJSON_ArrayForEach(it, merges) {
    char ip[HUBTOK__PATH_MAX], ep[HUBTOK__PATH_MAX];
    const char *l, *r;
    size_t ll, rl, idx = i++;

    /* paths (ip, ep) are only formatted for an error */
    if(legacy < 0)
      legacy = cJSON_IsString(it) ? 1 : 0;
    if(legacy) {
      const char *sp, *sp2;
      if(!str_ok(it, &l, &ll)) {
        hubtok__json_path_index(ip, p, idx);
        rc = hubtok__json_as_str(it, ip, &l, &ll, err);
        break;
      }
      if(!strncmp(l, "#version", 8))
        continue;
      sp = memchr(l, ' ', ll);
      sp2 = sp ? memchr(sp + 1, ' ', ll - (size_t)(sp + 1 - l)) : NULL;
      if(!sp || sp2) {
        hubtok__json_path_index(ip, p, idx);
        rc = hubtok__json_bad(err, ip, "expected \"left right\" (one "
                              "space)");
        break;
      }
      r = sp + 1;
      rl = ll - (size_t)(r - l);
      ll = (size_t)(sp - l);
    }
    else {
      const cJSON *a, *c;
      if(!cJSON_IsArray(it) || !it->child || !it->child->next ||
         it->child->next->next) {
        hubtok__json_path_index(ip, p, idx);
        rc = hubtok__json_bad(err, ip, "expected a pair of strings");
        break;
      }
      a = it->child;
      c = a->next;
      if(!str_ok(a, &l, &ll)) {
        hubtok__json_path_index(ip, p, idx);
        hubtok__json_path_index(ep, ip, 0);
        rc = hubtok__json_as_str(a, ep, &l, &ll, err);
        break;
      }
      if(!str_ok(c, &r, &rl)) {
        hubtok__json_path_index(ip, p, idx);
        hubtok__json_path_index(ep, ip, 1);
        rc = hubtok__json_as_str(c, ep, &r, &rl, err);
        break;
      }
    }
    rc = add_merge(b, p, idx, rank, l, ll, r, rl, &tmp, err);
    if(rc)
      break;
    rank++;
  }
  b->n_merges = rank;
  hubtok__buf_free(&tmp);
  return rc;
}

hubtok_code
hubtok__bpe_build(const cJSON *j, const char *path, const hubtok__image *img,
                  hubtok__model **out, hubtok_error *err)
{
  char p[HUBTOK__PATH_MAX];
  const cJSON *dropout;
  const char *type;
  bpe *b;
  hubtok_code rc;

  *out = NULL;
  rc = hubtok__json_str(j, path, "type", 0, &type, NULL, err);
  if(rc)
    return rc;
  if(type && strcmp(type, "BPE")) {
    hubtok__json_path(p, path, "type");
    return hubtok__json_bad(err, p, "expected \"BPE\"");
  }
  b = calloc(1, sizeof(*b));
  if(!b)
    return hubtok__set_error(err, HUBTOK_ENOMEM, "out of memory");
  b->base.ops = &bpe_ops;

  dropout = hubtok__json_get(j, "dropout");
  if(!hubtok__json_is_null(dropout)) {
    hubtok__json_path(p, path, "dropout");
    if(!cJSON_IsNumber(dropout) || dropout->valuedouble < 0 ||
       dropout->valuedouble > 1) {
      rc = hubtok__json_bad(err, p, "dropout should be between 0 and 1");
      goto fail;
    }
    if(dropout->valuedouble != 0) {
      rc = hubtok__set_error(err, HUBTOK_EUNSUPPORTED,
                             "%s: BPE dropout is not supported", p);
      goto fail;
    }
  }
  rc = dup_opt(j, path, "unk_token", &b->unk, &b->unk_len, err);
  if(!rc)
    rc = dup_opt(j, path, "continuing_subword_prefix", &b->prefix,
                 &b->prefix_len, err);
  if(!rc)
    rc = dup_opt(j, path, "end_of_word_suffix", &b->suffix, &b->suffix_len,
                 err);
  if(!rc)
    rc = hubtok__json_bool(j, path, "fuse_unk", 0, &b->fuse_unk, err);
  if(!rc)
    rc = hubtok__json_bool(j, path, "byte_fallback", 0, &b->byte_fallback,
                           err);
  if(!rc)
    rc = hubtok__json_bool(j, path, "ignore_merges", 0, &b->ignore_merges,
                           err);
  if(!rc && img)
    rc = attach_image(b, img, err);
  else if(!rc) {
    /* the vocabulary is models/vocab.c's, shared with WordPiece */
    rc = hubtok__vocab_from_json(&b->vocab, j, path, err);
    if(!rc)
      rc = load_merges(b, j, path, err);
  }
  if(!rc)
    char_tables(b);
  if(!rc && hubtok__word_cache_create(&b->cache))
    rc = hubtok__set_error(err, HUBTOK_ENOMEM, "out of memory");
  if(rc)
    goto fail;
  {
    uint32_t meta_id;
    b->meta_split = b->cross_meta == 0 && !b->prefix_len &&
                    !b->suffix_len && !b->ignore_merges &&
                    hubtok__vocab_get(&b->vocab, META, META_LEN, &meta_id);
  }
  *out = &b->base;
  return HUBTOK_OK;
fail:
  bpe_destroy(&b->base);
  return rc;
}
