/*
 * buf.h: a capped, growable byte buffer in the style of curl's dynbuf.
 *
 * The contents are always NUL-terminated (the NUL is not counted in len).
 * Every buffer has a cap (`toobig`); an append that would reach it fails
 * with HUBTOK_ETOOLARGE. A failed append frees the buffer, so callers never
 * half-clean: after an error the buffer is empty and may be reused or
 * dropped.
 *
 * Ownership: the buffer owns `p`; hubtok__buf_take() hands it to the
 * caller (free with free()/hubtok_free()). Thread safety: a buffer is
 * plain data; use one per thread.
 */
#ifndef HUBTOK_UTIL_BUF_H
#define HUBTOK_UTIL_BUF_H

#include "internal.h"

typedef struct hubtok__buf {
  char *p;       /* NULL until the first append */
  size_t len;    /* bytes in use, without the trailing NUL */
  size_t cap;    /* allocated bytes */
  size_t toobig; /* len must stay below this */
} hubtok__buf;

/* Cannot fail. */
void hubtok__buf_init(hubtok__buf *b, size_t toobig);

/* Append n bytes (mem may be NULL when n is 0). On failure the buffer is
 * freed and HUBTOK_ENOMEM or HUBTOK_ETOOLARGE returned. */
hubtok_code hubtok__buf_add(hubtok__buf *b, const void *mem, size_t n)
  HUBTOK__WARN_UNUSED;

/* Append one byte. Same contract as hubtok__buf_add(). */
hubtok_code hubtok__buf_addc(hubtok__buf *b, char c) HUBTOK__WARN_UNUSED;

/* Make room for n more bytes without changing len. Same contract. */
hubtok_code hubtok__buf_reserve(hubtok__buf *b, size_t n) HUBTOK__WARN_UNUSED;

/* Forget the contents but keep the memory. */
void hubtok__buf_reset(hubtok__buf *b);

/* Take the (NUL-terminated) contents: the caller owns the result and
 * frees it with free(); never NULL unless out of memory. The buffer is
 * reset to empty. *plen (may be NULL) receives the length. */
char *hubtok__buf_take(hubtok__buf *b, size_t *plen);

/* Free the contents. The buffer can be reused. */
void hubtok__buf_free(hubtok__buf *b);

#endif /* HUBTOK_UTIL_BUF_H */
