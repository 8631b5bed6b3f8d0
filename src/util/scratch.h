/*
 * scratch.h: per-call scratch memory. Each thread has one block
 * (HUBTOK__SCRATCH_SIZE bytes, made on first use, freed when the thread
 * exits); between hubtok__scratch_begin() and the matching
 * hubtok__scratch_end() it hands out memory by bumping a pointer, and
 * the end takes it all back at once. hubtok_encode brackets each call
 * with it so the short-lived buffers of one encode (the normalized text
 * of every word and its alignments) cost no malloc/free pair.
 *
 * Ownership: memory from hubtok__scratch_alloc() belongs to the current
 * call and must not be freed, kept past hubtok__scratch_end(), or handed
 * to another thread. It returns NULL when no scratch is active, when the
 * block is used up, or when n is large: the caller then mallocs (and must
 * remember which it got). Memory use is therefore bounded by one block
 * per thread. Under AddressSanitizer the used part is poisoned at the
 * end, so a pointer kept past the call is still reported.
 *
 * Thread safety: per-thread state only.
 */
#ifndef HUBTOK_UTIL_SCRATCH_H
#define HUBTOK_UTIL_SCRATCH_H

#include <stddef.h>

#define HUBTOK__SCRATCH_SIZE ((size_t)512 * 1024)

/* Nestable; only the outermost end releases. */
void hubtok__scratch_begin(void);
void hubtok__scratch_end(void);

/* n bytes aligned to 16, or NULL (see above). */
void *hubtok__scratch_alloc(size_t n);

#endif /* HUBTOK_UTIL_SCRATCH_H */
