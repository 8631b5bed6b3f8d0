/*
 * normalized.c: NormalizedString with byte alignments, mirroring
 * tokenizers/src/tokenizer/normalizer.rs (transform_range, prepend,
 * replace, slice, convert_offsets).
 */
#include "tokenizer/normalized.h"
#include "util/utf8.h"

#include <stdlib.h>
#include <string.h>

static hubtok_code
alloc_text(hubtok__nstr *ns, size_t len)
{
  if(len > HUBTOK__TEXT_MAX)
    return HUBTOK_ETOOLARGE;
  ns->s = malloc(len + 1);
  ns->al = malloc((len ? len : 1) * 2 * sizeof(uint32_t));
  if(!ns->s || !ns->al) {
    free(ns->s);
    free(ns->al);
    ns->s = NULL;
    ns->al = NULL;
    return HUBTOK_ENOMEM;
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
  free(ns->s);
  free(ns->al);
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
  rc = alloc_text(ns, len);
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
  rc = alloc_text(out, end - start);
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
  rc = alloc_text(&n, ns->len + plen);
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
  rc = alloc_text(&n, newlen);
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
