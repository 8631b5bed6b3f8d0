/*
 * precompiled.c: the Precompiled normalizer (tokenizers/src/normalizers/
 * precompiled.rs over the spm_precompiled crate): SentencePiece's
 * precompiled_charsmap, a Darts double-array trie followed by a blob of
 * NUL-terminated replacement strings.
 *
 * As Rust does: the text is cut into extended grapheme clusters; a
 * cluster shorter than 6 bytes whose shortest trie prefix has a
 * replacement is replaced whole; otherwise each character is looked up
 * alone. Alignments follow NormalizedString::transform with the
 * (char, change) list precompiled.rs builds (including its quirks: a
 * removal at the very start is not recorded).
 *
 * Rust panics on a trie or blob index out of range; here such lookups
 * simply find nothing (or an empty replacement). Grapheme clusters come
 * from utf8proc (its Unicode version may trail Rust's
 * unicode-segmentation; only clusters under 6 bytes are affected).
 */
#include "normalizers/normalizer.h"
#include "util/base64.h"
#include "util/buf.h"
#include "util/json.h"
#include "util/utf8.h"

#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

typedef struct precompiled {
  hubtok__normalizer base;
  uint32_t *array;  /* the double array */
  size_t narray;
  char *normalized; /* replacement blob (valid UTF-8, NULs inside) */
  size_t nlen;
  /* ascii_mapped[c]: the ASCII char c has a replacement; for '\r' also
   * when "\r\n" (the one ASCII grapheme cluster of two chars) has one.
   * ASCII text with none of them is left as it is. */
  uint8_t ascii_mapped[128];
} precompiled;

/* ArrayUnit accessors (spm_precompiled / Darts). */
static int
unit_has_leaf(uint32_t u)
{
  return (u >> 8) & 1;
}

static uint32_t
unit_value(uint32_t u)
{
  return u & ((1u << 31) - 1);
}

static uint32_t
unit_label(uint32_t u)
{
  return u & ((1u << 31) | 0xFF);
}

static size_t
unit_offset(uint32_t u)
{
  return (size_t)(u >> 10) << ((u & (1u << 9)) >> 6);
}

/* transform(): the replacement of the shortest prefix of key found in
 * the trie, or NULL. *rlen gets its length. */
static const char *
lookup(const precompiled *pc, const char *key, size_t klen, size_t *rlen)
{
  size_t pos = 0, i, idx, e;
  uint32_t unit;

  if(pc->narray == 0)
    return NULL;
  unit = pc->array[0];
  pos ^= unit_offset(unit);
  for(i = 0; i < klen; i++) {
    unsigned char c = (unsigned char)key[i];
    if(c == 0)
      return NULL;
    pos ^= c;
    if(pos >= pc->narray)
      return NULL;
    unit = pc->array[pos];
    if(unit_label(unit) != c)
      return NULL;
    pos ^= unit_offset(unit);
    if(unit_has_leaf(unit)) {
      if(pos >= pc->narray)
        return NULL;
      idx = unit_value(pc->array[pos]);
      /* normalized_at(idx) */
      if(idx >= pc->nlen ||
         (((unsigned char)pc->normalized[idx] & 0xC0) == 0x80)) {
        *rlen = 0;
        return "";
      }
      e = idx;
      while(e < pc->nlen && pc->normalized[e])
        e++;
      *rlen = e - idx;
      return pc->normalized + idx;
    }
  }
  return NULL;
}

/* The (char, change) list of precompiled.rs, with the chars' UTF-8 kept
 * in one buffer. */
typedef struct tlist {
  hubtok__buf text;  /* new chars back to back */
  uint32_t *clen;    /* byte length of each new char */
  int64_t *change;   /* its change */
  size_t n;
  size_t cap;
} tlist;

/* Room for n more chars in clen and change. */
static hubtok_code
tl_reserve(tlist *t, size_t n)
{
  size_t ncap = t->cap ? t->cap : 64;
  uint32_t *nl;
  int64_t *nc;

  if(n <= t->cap - t->n)
    return HUBTOK_OK;
  while(ncap - t->n < n)
    ncap *= 2;
  nl = realloc(t->clen, ncap * sizeof(*nl));
  if(!nl)
    return HUBTOK_ENOMEM;
  t->clen = nl;
  nc = realloc(t->change, ncap * sizeof(*nc));
  if(!nc)
    return HUBTOK_ENOMEM;
  t->change = nc;
  t->cap = ncap;
  return HUBTOK_OK;
}

static hubtok_code
tl_push(tlist *t, const char *c, size_t clen, int64_t change)
{
  hubtok_code rc = tl_reserve(t, 1);

  if(!rc)
    rc = hubtok__buf_add(&t->text, c, clen);
  if(rc)
    return rc;
  t->clen[t->n] = (uint32_t)clen;
  t->change[t->n] = change;
  t->n++;
  return HUBTOK_OK;
}

/* n one-byte chars, unchanged (change 0), at once. */
static hubtok_code
tl_push_run(tlist *t, const char *c, size_t n)
{
  size_t i;
  hubtok_code rc = tl_reserve(t, n);

  if(!rc)
    rc = hubtok__buf_add(&t->text, c, n);
  if(rc)
    return rc;
  for(i = 0; i < n; i++) {
    t->clen[t->n + i] = 1;
    t->change[t->n + i] = 0;
  }
  t->n += n;
  return HUBTOK_OK;
}

/* An ASCII char other than '\r' followed by an ASCII char (or the end)
 * is a grapheme cluster of its own: no rule joins two ASCII chars but
 * CR LF. */
static int
ascii_alone(const char *s, size_t len, size_t i)
{
  unsigned char c = (unsigned char)s[i];
  return c < 0x80 && c != '\r' &&
         (i + 1 == len || (unsigned char)s[i + 1] < 0x80);
}

static size_t
count_chars(const char *s, size_t len)
{
  size_t i, n = 0;

  for(i = 0; i < len; i++)
    if(((unsigned char)s[i] & 0xC0) != 0x80)
      n++;
  return n;
}

/* precompiled.rs replace(): old_part -> new_part. */
static hubtok_code
tl_replace(tlist *t, const char *old, size_t olen, const char *nw,
           size_t nlen)
{
  int64_t oc = (int64_t)count_chars(old, olen);
  int64_t nc = (int64_t)count_chars(nw, nlen);
  int64_t diff = nc - oc;
  size_t i = 0;
  hubtok_code rc;

  while(i < nlen) {
    size_t l = hubtok__utf8_len((unsigned char)nw[i]);
    if(l == 0 || l > nlen - i)
      l = 1;
    rc = tl_push(t, nw + i, l, 0);
    if(rc)
      return rc;
    i += l;
  }
  if(diff > 0) {
    int64_t k;
    for(k = 0; k < diff && (size_t)k < t->n; k++)
      t->change[t->n - 1 - (size_t)k] = 1;
  }
  else if(diff < 0 && t->n)
    t->change[t->n - 1] += diff;
  return HUBTOK_OK;
}

/* NormalizedString::transform(dest, 0) over the whole string. */
static hubtok_code
apply(hubtok__nstr *ns, const tlist *t)
{
  hubtok__nstr n;
  size_t i, k, off = 0, o = 0, total = t->text.len;
  const char *src = t->text.p ? t->text.p : "";

  memset(&n, 0, sizeof(n));
  if(total > HUBTOK__TEXT_MAX)
    return HUBTOK_ETOOLARGE;
  if(hubtok__nstr_alloc(&n, total))
    return HUBTOK_ENOMEM;
  memcpy(n.s, src, total);
  for(i = 0; i < t->n; i++) {
    int64_t ch = t->change[i];
    uint32_t as = 0, ae = 0;
    if(ch > 0) {
      if(off >= 1 && off - 1 < ns->len) {
        as = ns->al[2 * (off - 1)];
        ae = ns->al[2 * (off - 1) + 1];
      }
    }
    else if(off < ns->len) {
      as = ns->al[2 * off];
      ae = ns->al[2 * off + 1];
    }
    if(ch <= 0 && off < ns->len) {
      size_t l = hubtok__utf8_len((unsigned char)ns->s[off]);
      off += l ? l : 1;
    }
    for(k = 0; ch < 0 && k < (size_t)-ch && off < ns->len; k++) {
      size_t l = hubtok__utf8_len((unsigned char)ns->s[off]);
      off += l ? l : 1;
    }
    for(k = 0; k < t->clen[i]; k++) {
      n.al[2 * (o + k)] = as;
      n.al[2 * (o + k) + 1] = ae;
    }
    o += t->clen[i];
  }
  n.orig_len = ns->orig_len;
  n.shift = ns->shift;
  hubtok__nstr_free(ns);
  hubtok__nstr_move(ns, &n);
  return HUBTOK_OK;
}

static hubtok_code
precompiled_normalize(const hubtok__normalizer *nz, hubtok__nstr *ns,
                      hubtok_error *err)
{
  const precompiled *pc = (const precompiled *)nz;
  tlist t;
  size_t g = 0, i;
  int modified = 0;
  hubtok_code rc = HUBTOK_OK;

  for(i = 0; i < ns->len; i++) {
    unsigned char c = (unsigned char)ns->s[i];
    if(c >= 0x80 || pc->ascii_mapped[c])
      break;
  }
  if(i == ns->len)
    return HUBTOK_OK;
  memset(&t, 0, sizeof(t));
  hubtok__buf_init(&t.text, HUBTOK__TEXT_MAX);
  while(g < ns->len && !rc) {
    utf8proc_int32_t state = 0;
    size_t ge = g, cl;
    uint32_t prev;
    const char *r;
    size_t rlen;
    /* a run of ASCII chars, each its own cluster, that have no
     * replacement: as they are, without segmenting or looking up */
    if(ascii_alone(ns->s, ns->len, g) &&
       !pc->ascii_mapped[(unsigned char)ns->s[g]]) {
      ge = g + 1;
      while(ge < ns->len && ascii_alone(ns->s, ns->len, ge) &&
            !pc->ascii_mapped[(unsigned char)ns->s[ge]])
        ge++;
      rc = tl_push_run(&t, ns->s + g, ge - g);
      g = ge;
      continue;
    }
    prev = hubtok__utf8_decode(ns->s + g, ns->len - g, &cl);
    /* the extended grapheme cluster starting at g */
    ge = g + cl;
    while(ge < ns->len) {
      size_t nl;
      uint32_t c = hubtok__utf8_decode(ns->s + ge, ns->len - ge, &nl);
      if(utf8proc_grapheme_break_stateful((utf8proc_int32_t)prev,
                                          (utf8proc_int32_t)c, &state))
        break;
      prev = c;
      ge += nl;
    }
    if(ge - g < 6) {
      r = lookup(pc, ns->s + g, ge - g, &rlen);
      if(r) {
        modified = 1;
        rc = tl_replace(&t, ns->s + g, ge - g, r, rlen);
        g = ge;
        continue;
      }
    }
    for(i = g; i < ge && !rc; i += cl) {
      hubtok__utf8_decode(ns->s + i, ge - i, &cl);
      r = lookup(pc, ns->s + i, cl, &rlen);
      if(r) {
        modified = 1;
        rc = tl_replace(&t, ns->s + i, cl, r, rlen);
      }
      else
        rc = tl_push(&t, ns->s + i, cl, 0);
    }
    g = ge;
  }
  if(!rc && modified)
    rc = apply(ns, &t);
  hubtok__buf_free(&t.text);
  free(t.clen);
  free(t.change);
  if(rc)
    return hubtok__set_error(err, rc, "Precompiled: %s",
                             hubtok_strerror(rc));
  return HUBTOK_OK;
}

static size_t
precompiled_memory(const hubtok__normalizer *nz)
{
  const precompiled *pc = (const precompiled *)nz;

  return sizeof(*pc) + pc->narray * sizeof(uint32_t) + pc->nlen;
}

static void
precompiled_destroy(hubtok__normalizer *nz)
{
  precompiled *pc = (precompiled *)nz;

  free(pc->array);
  free(pc->normalized);
  free(pc);
}

static const hubtok__normalizer_ops precompiled_ops = {
  precompiled_normalize, precompiled_memory, precompiled_destroy
};

hubtok_code
hubtok__precompiled_from_json(const cJSON *j, const char *path,
                              hubtok__normalizer **out, hubtok_error *err)
{
  char p[HUBTOK__PATH_MAX];
  const char *b64;
  unsigned char *raw = NULL;
  size_t len, rawlen, bad, i;
  uint32_t trie_size;
  precompiled *pc;
  hubtok_code rc;

  *out = NULL;
  rc = hubtok__json_str(j, path, "precompiled_charsmap", 1, &b64, &len,
                        err);
  if(rc)
    return rc;
  hubtok__json_path(p, path, "precompiled_charsmap");
  rc = hubtok__base64_decode(b64, len, &raw, &rawlen, &bad);
  if(rc == HUBTOK_ENOMEM)
    return hubtok__set_error(err, rc, "out of memory");
  if(rc)
    return hubtok__set_error(err, HUBTOK_ETOKENIZER,
                             "%s: invalid base64 at offset %zu", p, bad);
  if(rawlen < 4) {
    free(raw);
    return hubtok__json_bad(err, p, "Cannot parse precompiled_charsmap");
  }
  trie_size = (uint32_t)raw[0] | (uint32_t)raw[1] << 8 |
              (uint32_t)raw[2] << 16 | (uint32_t)raw[3] << 24;
  if((size_t)(trie_size / 4) * 4 > rawlen - 4) {
    free(raw);
    return hubtok__json_bad(err, p, "Cannot parse precompiled_charsmap");
  }
  pc = calloc(1, sizeof(*pc));
  if(!pc) {
    free(raw);
    return hubtok__set_error(err, HUBTOK_ENOMEM, "out of memory");
  }
  pc->base.ops = &precompiled_ops;
  pc->narray = trie_size / 4;
  pc->array = malloc((pc->narray ? pc->narray : 1) * sizeof(uint32_t));
  pc->nlen = rawlen - 4 - pc->narray * 4;
  pc->normalized = malloc(pc->nlen + 1);
  if(!pc->array || !pc->normalized) {
    free(raw);
    precompiled_destroy(&pc->base);
    return hubtok__set_error(err, HUBTOK_ENOMEM, "out of memory");
  }
  for(i = 0; i < pc->narray; i++) {
    const unsigned char *q = raw + 4 + 4 * i;
    pc->array[i] = (uint32_t)q[0] | (uint32_t)q[1] << 8 |
                   (uint32_t)q[2] << 16 | (uint32_t)q[3] << 24;
  }
  memcpy(pc->normalized, raw + 4 + 4 * pc->narray, pc->nlen);
  pc->normalized[pc->nlen] = 0;
  free(raw);
  if(!hubtok__utf8_valid(pc->normalized, pc->nlen)) {
    precompiled_destroy(&pc->base);
    return hubtok__json_bad(err, p, "Cannot parse precompiled_charsmap "
                            "(normalized strings are not valid UTF-8)");
  }
  {
    size_t rl, c;
    for(c = 0; c < 0x80; c++) {
      char k = (char)c;
      pc->ascii_mapped[c] = lookup(pc, &k, 1, &rl) != NULL;
    }
    if(lookup(pc, "\r\n", 2, &rl))
      pc->ascii_mapped['\r'] = 1;
  }
  *out = &pc->base;
  return HUBTOK_OK;
}
