/*
 * buf.c: capped growable byte buffer (see buf.h; modelled on curl's
 * lib/curlx/dynbuf.c).
 */
#include "util/buf.h"

#include <stdlib.h>
#include <string.h>

#define MIN_FIRST_ALLOC 32

void
hubtok__buf_init(hubtok__buf *b, size_t toobig)
{
  b->p = NULL;
  b->len = 0;
  b->cap = 0;
  b->toobig = toobig;
}

void
hubtok__buf_free(hubtok__buf *b)
{
  free(b->p);
  b->p = NULL;
  b->len = 0;
  b->cap = 0;
}

void
hubtok__buf_reset(hubtok__buf *b)
{
  b->len = 0;
  if(b->p)
    b->p[0] = 0;
}

hubtok_code
hubtok__buf_reserve(hubtok__buf *b, size_t n)
{
  size_t need;
  size_t ncap;
  char *np;

  if(n >= b->toobig || b->len >= b->toobig - n) {
    hubtok__buf_free(b);
    return HUBTOK_ETOOLARGE;
  }
  need = b->len + n + 1;
  if(need <= b->cap)
    return HUBTOK_OK;
  ncap = b->cap ? b->cap : MIN_FIRST_ALLOC;
  while(ncap < need) {
    if(ncap > ((size_t)-1) / 2) {
      ncap = need;
      break;
    }
    ncap *= 2;
  }
  if(ncap > b->toobig)
    ncap = b->toobig;
  if(ncap < need)
    ncap = need;
  np = realloc(b->p, ncap);
  if(!np) {
    hubtok__buf_free(b);
    return HUBTOK_ENOMEM;
  }
  b->p = np;
  b->cap = ncap;
  return HUBTOK_OK;
}

hubtok_code
hubtok__buf_add(hubtok__buf *b, const void *mem, size_t n)
{
  hubtok_code rc;

  rc = hubtok__buf_reserve(b, n);
  if(rc)
    return rc;
  if(n)
    memcpy(b->p + b->len, mem, n);
  b->len += n;
  b->p[b->len] = 0;
  return HUBTOK_OK;
}

hubtok_code
hubtok__buf_addc(hubtok__buf *b, char c)
{
  return hubtok__buf_add(b, &c, 1);
}

char *
hubtok__buf_take(hubtok__buf *b, size_t *plen)
{
  char *p;

  if(!b->p) {
    p = malloc(1);
    if(p)
      p[0] = 0;
    if(plen)
      *plen = 0;
    return p;
  }
  p = b->p;
  if(plen)
    *plen = b->len;
  b->p = NULL;
  b->len = 0;
  b->cap = 0;
  return p;
}
