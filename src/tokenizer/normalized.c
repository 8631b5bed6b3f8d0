/*
 * normalized.c: NormalizedString with byte alignments, mirroring
 * tokenizers/src/tokenizer/normalizer.rs (transform_range, prepend,
 * replace, slice, convert_offsets).
 */
#include "tokenizer/normalized.h"
#include "util/scratch.h"
#include "util/utf8.h"

#include <stdlib.h>
#include <string.h>

/* s and al for len bytes: one piece of the per-call scratch when there
 * is room (ns->scratch = 1: freed with the call), else two mallocs. */
hubtok_code
hubtok__nstr_alloc(hubtok__nstr *ns, size_t len)
{
  size_t alsz;
  char *blk;

  if(len > HUBTOK__TEXT_MAX)
    return HUBTOK_ETOOLARGE;
  alsz = (len ? len : 1) * 2 * sizeof(uint32_t);
  blk = hubtok__scratch_alloc(alsz + len + 1);
  if(blk) {
    ns->al = (uint32_t *)(void *)blk;
    ns->s = blk + alsz;
    ns->scratch = 1;
  }
  else {
    ns->s = malloc(len + 1);
    ns->al = malloc(alsz);
    ns->scratch = 0;
    if(!ns->s || !ns->al) {
      free(ns->s);
      free(ns->al);
      ns->s = NULL;
      ns->al = NULL;
      return HUBTOK_ENOMEM;
    }
  }
  ns->s[len] = 0;
  ns->len = len;
  return HUBTOK_OK;
}

void
hubtok__nstr_free(hubtok__nstr *ns)
{
  if(!ns)
    return;
  if(!ns->scratch) {
    free(ns->s);
    free(ns->al);
  }
  memset(ns, 0, sizeof(*ns));
}

void
hubtok__nstr_move(hubtok__nstr *dst, hubtok__nstr *src)
{
  *dst = *src;
  memset(src, 0, sizeof(*src));
}

hubtok_code
hubtok__nstr_init(hubtok__nstr *ns, const char *text, size_t len,
                  size_t shift)
{
  hubtok_code rc;
  size_t i = 0;

  memset(ns, 0, sizeof(*ns));
  rc = hubtok__nstr_alloc(ns, len);
  if(rc)
    return rc;
  if(len)
    memcpy(ns->s, text, len);
  while(i < len) {
    size_t n = hubtok__utf8_len((unsigned char)text[i]);
    size_t k;
    if(n == 0 || i + n > len)
      n = 1;
    for(k = 0; k < n; k++) {
      ns->al[2 * (i + k)] = (uint32_t)i;
      ns->al[2 * (i + k) + 1] = (uint32_t)(i + n);
    }
    i += n;
  }
  ns->orig_len = len;
  ns->shift = shift;
  return HUBTOK_OK;
}

hubtok_code
hubtok__nstr_slice(const hubtok__nstr *ns, size_t start, size_t end,
                   hubtok__nstr *out)
{
  hubtok_code rc;
  size_t os, oe, i;

  memset(out, 0, sizeof(*out));
  if(end < start || end > ns->len)
    return HUBTOK_EINVAL;
  rc = hubtok__nstr_alloc(out, end - start);
  if(rc)
    return rc;
  if(end == start) {
    /* convert_offsets returns an empty target unchanged */
    out->orig_len = 0;
    out->shift = ns->shift + start;
    return HUBTOK_OK;
  }
  os = ns->al[2 * start];
  oe = ns->al[2 * (end - 1) + 1];
  memcpy(out->s, ns->s + start, end - start);
  for(i = start; i < end; i++) {
    out->al[2 * (i - start)] = (uint32_t)(ns->al[2 * i] - os);
    out->al[2 * (i - start) + 1] = (uint32_t)(ns->al[2 * i + 1] - os);
  }
  out->orig_len = oe >= os ? oe - os : 0;
  out->shift = ns->shift + os;
  return HUBTOK_OK;
}

hubtok_code
hubtok__nstr_prepend(hubtok__nstr *ns, const char *p, size_t plen)
{
  hubtok__nstr n;
  size_t first, nl, i;
  uint32_t a0s, a0e, als, ale;
  hubtok_code rc;

  if(ns->len == 0 || plen == 0)
    return HUBTOK_OK;
  if(plen > HUBTOK__TEXT_MAX - ns->len)
    return HUBTOK_ETOOLARGE;
  memset(&n, 0, sizeof(n));
  rc = hubtok__nstr_alloc(&n, ns->len + plen);
  if(rc)
    return rc;
  /* transform_range over the first char: the first new char replaces it
   * (alignment of byte 0), every later char, the old first char
   * included, is an insertion aligned like byte nl - 1. */
  nl = hubtok__utf8_len((unsigned char)ns->s[0]);
  if(nl == 0 || nl > ns->len)
    nl = 1;
  first = hubtok__utf8_len((unsigned char)p[0]);
  if(first == 0 || first > plen)
    first = 1;
  a0s = ns->al[0];
  a0e = ns->al[1];
  als = ns->al[2 * (nl - 1)];
  ale = ns->al[2 * (nl - 1) + 1];
  memcpy(n.s, p, plen);
  memcpy(n.s + plen, ns->s, ns->len);
  for(i = 0; i < plen + nl; i++) {
    n.al[2 * i] = i < first ? a0s : als;
    n.al[2 * i + 1] = i < first ? a0e : ale;
  }
  memcpy(n.al + 2 * (plen + nl), ns->al + 2 * nl,
         (ns->len - nl) * 2 * sizeof(uint32_t));
  n.orig_len = ns->orig_len;
  n.shift = ns->shift;
  hubtok__nstr_free(ns);
  hubtok__nstr_move(ns, &n);
  return HUBTOK_OK;
}

hubtok_code
hubtok__nstr_replace(hubtok__nstr *ns, const hubtok__span *m, size_t nm,
                     const char *content, size_t clen)
{
  hubtok__nstr n;
  size_t newlen, last = 0, o = 0, i, k;
  hubtok_code rc;

  if(nm == 0)
    return HUBTOK_OK;
  /* size of the result */
  newlen = ns->len;
  for(i = 0; i < nm; i++) {
    newlen -= m[i].end - m[i].start;
    if(clen > HUBTOK__TEXT_MAX - newlen)
      return HUBTOK_ETOOLARGE;
    newlen += clen;
  }
  memset(&n, 0, sizeof(n));
  rc = hubtok__nstr_alloc(&n, newlen);
  if(rc)
    return rc;
  for(i = 0; i < nm; i++) {
    size_t ms = m[i].start, me = m[i].end;
    uint32_t as = 0, ae = 0;
    memcpy(n.s + o, ns->s + last, ms - last);
    memcpy(n.al + 2 * o, ns->al + 2 * last,
           (ms - last) * 2 * sizeof(uint32_t));
    o += ms - last;
    if(me >= 1) {
      as = ns->al[2 * (me - 1)];
      ae = ns->al[2 * (me - 1) + 1];
    }
    memcpy(n.s + o, content, clen);
    for(k = 0; k < clen; k++) {
      n.al[2 * (o + k)] = as;
      n.al[2 * (o + k) + 1] = ae;
    }
    o += clen;
    last = me;
  }
  memcpy(n.s + o, ns->s + last, ns->len - last);
  memcpy(n.al + 2 * o, ns->al + 2 * last,
         (ns->len - last) * 2 * sizeof(uint32_t));
  n.orig_len = ns->orig_len;
  n.shift = ns->shift;
  hubtok__nstr_free(ns);
  hubtok__nstr_move(ns, &n);
  return HUBTOK_OK;
}

void
hubtok__nstr_orig(const hubtok__nstr *ns, size_t start, size_t end,
                  size_t *os, size_t *oe)
{
  if(start >= end || end > ns->len) {
    *os = ns->shift + start;
    *oe = ns->shift + end;
    return;
  }
  *os = ns->shift + ns->al[2 * start];
  *oe = ns->shift + ns->al[2 * (end - 1) + 1];
}

/* The normalized range that Range::Original(..) converts to
 * (convert_offsets): from the first byte with a non-empty alignment to
 * the end. Returns 0 when there is none (Rust returns None: no-op). */
static int
full_original_range(const hubtok__nstr *ns, size_t *rs, size_t *re)
{
  size_t i, start = ns->len;
  int have_start = 0;

  if(ns->orig_len == 0) {
    *rs = 0;
    *re = 0;
    return 1;
  }
  for(i = 0; i < ns->len && ns->al[2 * i + 1] <= ns->orig_len; i++) {
    if(!have_start && ns->al[2 * i] != ns->al[2 * i + 1]) {
      start = i;
      have_start = 1;
    }
  }
  if(i == 0)
    return 0;
  *rs = have_start ? start : i;
  *re = i;
  return 1;
}

/* True when a transform over Range::Original(..) covers the whole
 * normalized text (full_original_range gives [0, len)): then a transform
 * that keeps every character, or swaps each for one of the same UTF-8
 * length, leaves the alignments as they are (the bytes of one character
 * always share its alignment), and the in-place fast paths below give
 * exactly what hubtok__nstr_transform would. */
int
hubtok__nstr_covers_whole(const hubtok__nstr *ns)
{
  const uint32_t *al = ns->al;
  size_t i, n = ns->len;
  uint32_t ol;

  if(n == 0 || ns->orig_len == 0 || ns->orig_len > UINT32_MAX)
    return 0;
  if(al[0] == al[1])
    return 0;
  ol = (uint32_t)ns->orig_len;
  for(i = 0; i < n; i++)
    if(al[2 * i + 1] > ol)
      return 0;
  return 1;
}

/* True when every byte of s[0..len) is ASCII. */
static int
all_ascii(const char *s, size_t len)
{
  size_t i = 0;
  uint64_t acc = 0;

  for(; i + 8 <= len; i += 8) {
    uint64_t w;
    memcpy(&w, s + i, 8);
    acc |= w;
  }
  for(; i < len; i++)
    acc |= (unsigned char)s[i];
  return (acc & UINT64_C(0x8080808080808080)) == 0;
}

hubtok_code
hubtok__nstr_transform(hubtok__nstr *ns, const hubtok__tchar *v, size_t n,
                       size_t initial_offset)
{
  hubtok__nstr t;
  size_t rs, re, p, off, o, k, newlen;
  hubtok_code rc;

  if(!full_original_range(ns, &rs, &re))
    return HUBTOK_OK;
  newlen = rs + (ns->len - re);
  for(k = 0; k < n; k++) {
    char tmp[4];
    newlen += hubtok__utf8_encode(v[k].cp, tmp);
    if(newlen > HUBTOK__TEXT_MAX)
      return HUBTOK_ETOOLARGE;
  }
  memset(&t, 0, sizeof(t));
  rc = hubtok__nstr_alloc(&t, newlen);
  if(rc)
    return rc;
  memcpy(t.s, ns->s, rs);
  memcpy(t.al, ns->al, rs * 2 * sizeof(uint32_t));
  /* skip the removed characters at the start */
  p = rs;
  for(k = 0; k < initial_offset && p < re; k++)
    p += hubtok__utf8_len((unsigned char)ns->s[p]) ?
         hubtok__utf8_len((unsigned char)ns->s[p]) : 1;
  off = p;
  o = rs;
  for(k = 0; k < n; k++) {
    uint32_t as = 0, ae = 0;
    size_t clen, b, drop;
    if(v[k].change > 0) {
      if(off >= 1 && off - 1 < ns->len) {
        as = ns->al[2 * (off - 1)];
        ae = ns->al[2 * (off - 1) + 1];
      }
    }
    else {
      if(off >= ns->len) {
        hubtok__nstr_free(&t);
        return HUBTOK_EINVAL;
      }
      as = ns->al[2 * off];
      ae = ns->al[2 * off + 1];
      /* the replaced character */
      if(p < re) {
        size_t l = hubtok__utf8_len((unsigned char)ns->s[p]);
        p += l ? l : 1;
        off += l ? l : 1;
      }
      /* and the removed ones */
      for(drop = 0; drop < (size_t)-(int64_t)v[k].change && p < re;
          drop++) {
        size_t l = hubtok__utf8_len((unsigned char)ns->s[p]);
        p += l ? l : 1;
        off += l ? l : 1;
      }
    }
    clen = hubtok__utf8_encode(v[k].cp, t.s + o);
    for(b = 0; b < clen; b++) {
      t.al[2 * (o + b)] = as;
      t.al[2 * (o + b) + 1] = ae;
    }
    o += clen;
  }
  memcpy(t.s + o, ns->s + re, ns->len - re);
  memcpy(t.al + 2 * o, ns->al + 2 * re,
         (ns->len - re) * 2 * sizeof(uint32_t));
  t.orig_len = ns->orig_len;
  t.shift = ns->shift;
  hubtok__nstr_free(ns);
  hubtok__nstr_move(ns, &t);
  return HUBTOK_OK;
}

hubtok_code
hubtok__nstr_nf(hubtok__nstr *ns, hubtok__nf nf)
{
  hubtok__tchars t;
  hubtok_code rc;

  /* every normalization form leaves ASCII as it is */
  if(all_ascii(ns->s, ns->len) && hubtok__nstr_covers_whole(ns))
    return HUBTOK_OK;
  memset(&t, 0, sizeof(t));
  rc = hubtok__uni_normalize(nf, ns->s, ns->len, &t);
  if(!rc)
    rc = hubtok__nstr_transform(ns, t.v, t.n, 0);
  hubtok__tchars_free(&t);
  return rc;
}

hubtok_code
hubtok__nstr_lowercase(hubtok__nstr *ns)
{
  hubtok__tchars t;
  hubtok_code rc = HUBTOK_OK;
  size_t i = 0;

  if(all_ascii(ns->s, ns->len) && hubtok__nstr_covers_whole(ns)) {
    for(i = 0; i < ns->len; i++)
      if(ns->s[i] >= 'A' && ns->s[i] <= 'Z')
        ns->s[i] = (char)(ns->s[i] + 32);
    return HUBTOK_OK;
  }
  memset(&t, 0, sizeof(t));
  while(i < ns->len && !rc) {
    uint32_t lo[3];
    size_t clen, n, k;
    uint32_t cp = hubtok__utf8_decode(ns->s + i, ns->len - i, &clen);
    i += clen;
    n = hubtok__uni_to_lower(cp, lo);
    for(k = 0; k < n && !rc; k++)
      rc = hubtok__tchars_push(&t, lo[k], k ? 1 : 0);
  }
  if(!rc)
    rc = hubtok__nstr_transform(ns, t.v, t.n, 0);
  hubtok__tchars_free(&t);
  return rc;
}

hubtok_code
hubtok__nstr_filter(hubtok__nstr *ns, hubtok__cp_pred keep, const void *ctx)
{
  hubtok__tchars t;
  hubtok_code rc = HUBTOK_OK;
  size_t i = ns->len, a, b;
  int32_t removed = 0;

  /* nothing removed: a no-op */
  if(hubtok__nstr_covers_whole(ns)) {
    size_t clen;
    for(a = 0; a < ns->len; a += clen) {
      uint32_t cp = hubtok__utf8_decode(ns->s + a, ns->len - a, &clen);
      if(!keep(cp, ctx))
        break;
    }
    if(a >= ns->len)
      return HUBTOK_OK;
  }
  /* walk backwards: a kept char carries -(chars removed after it) */
  memset(&t, 0, sizeof(t));
  while(i > 0 && !rc) {
    size_t st = hubtok__utf8_last(ns->s, i), clen;
    uint32_t cp = hubtok__utf8_decode(ns->s + st, i - st, &clen);
    i = st;
    if(keep(cp, ctx)) {
      rc = hubtok__tchars_push(&t, cp, -removed);
      removed = 0;
    }
    else {
      removed++;
    }
  }
  if(rc) {
    hubtok__tchars_free(&t);
    return rc;
  }
  for(a = 0, b = t.n; a + 1 < b; a++, b--) {
    hubtok__tchar x = t.v[a];
    t.v[a] = t.v[b - 1];
    t.v[b - 1] = x;
  }
  rc = hubtok__nstr_transform(ns, t.v, t.n, (size_t)removed);
  hubtok__tchars_free(&t);
  return rc;
}

hubtok_code
hubtok__nstr_map(hubtok__nstr *ns, hubtok__cp_map map, const void *ctx)
{
  hubtok__tchars t;
  hubtok_code rc = HUBTOK_OK;
  size_t i = 0;

  /* every char maps to one of its own UTF-8 length: in place */
  if(hubtok__nstr_covers_whole(ns)) {
    size_t clen;
    for(i = 0; i < ns->len; i += clen) {
      uint32_t cp = hubtok__utf8_decode(ns->s + i, ns->len - i, &clen);
      char tmp[4];
      if(hubtok__utf8_encode(map(cp, ctx), tmp) != clen)
        break;
    }
    if(i >= ns->len) {
      for(i = 0; i < ns->len; i += clen) {
        uint32_t cp = hubtok__utf8_decode(ns->s + i, ns->len - i, &clen);
        uint32_t m = map(cp, ctx);
        if(m != cp)
          (void)hubtok__utf8_encode(m, ns->s + i);
      }
      return HUBTOK_OK;
    }
    i = 0;
  }
  memset(&t, 0, sizeof(t));
  while(i < ns->len && !rc) {
    size_t clen;
    uint32_t cp = hubtok__utf8_decode(ns->s + i, ns->len - i, &clen);
    i += clen;
    rc = hubtok__tchars_push(&t, map(cp, ctx), 0);
  }
  if(!rc)
    rc = hubtok__nstr_transform(ns, t.v, t.n, 0);
  hubtok__tchars_free(&t);
  return rc;
}

hubtok_code
hubtok__nstr_lrstrip(hubtok__nstr *ns, int left, int right)
{
  hubtok__tchars t;
  size_t leading = 0, trailing = 0, count = 0, i, ci, clen;
  hubtok_code rc = HUBTOK_OK;

  if(left) {
    for(i = 0; i < ns->len; i += clen) {
      uint32_t cp = hubtok__utf8_decode(ns->s + i, ns->len - i, &clen);
      if(!hubtok__uni_is_whitespace(cp))
        break;
      leading++;
    }
  }
  if(right) {
    for(i = ns->len; i > 0;) {
      size_t st = hubtok__utf8_last(ns->s, i);
      uint32_t cp = hubtok__utf8_decode(ns->s + st, i - st, &clen);
      if(!hubtok__uni_is_whitespace(cp))
        break;
      trailing++;
      i = st;
    }
  }
  if(!leading && !trailing)
    return HUBTOK_OK;
  /* As lrstrip in normalizer.rs, which compares the char index with the
   * char count to drop the trailing spaces but with self.len() (bytes)
   * to find the last kept char: same (wrapping) arithmetic. */
  for(i = 0; i < ns->len; i += clen) {
    (void)hubtok__utf8_decode(ns->s + i, ns->len - i, &clen);
    count++;
  }
  memset(&t, 0, sizeof(t));
  for(i = 0, ci = 0; i < ns->len && !rc; i += clen, ci++) {
    uint32_t cp = hubtok__utf8_decode(ns->s + i, ns->len - i, &clen);
    if(ci < leading || ci >= count - trailing)
      continue;
    if(ci == ns->len - trailing - 1)
      rc = hubtok__tchars_push(&t, cp, -(int32_t)trailing);
    else
      rc = hubtok__tchars_push(&t, cp, 0);
  }
  if(!rc)
    rc = hubtok__nstr_transform(ns, t.v, t.n, leading);
  hubtok__tchars_free(&t);
  return rc;
}
