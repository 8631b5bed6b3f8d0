/*
 * scratch.c: the per-thread bump allocator of scratch.h.
 */
#include "util/scratch.h"

#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>

#if defined(__SANITIZE_ADDRESS__)
#define HUBTOK__ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define HUBTOK__ASAN 1
#endif
#endif

#ifdef HUBTOK__ASAN
#include <sanitizer/asan_interface.h>
#define POISON(p, n) ASAN_POISON_MEMORY_REGION(p, n)
#define UNPOISON(p, n) ASAN_UNPOISON_MEMORY_REGION(p, n)
#else
#define POISON(p, n) ((void)(p), (void)(n))
#define UNPOISON(p, n) ((void)(p), (void)(n))
#endif

typedef struct scratch {
  char *base;   /* HUBTOK__SCRATCH_SIZE bytes, or NULL until first use */
  size_t used;
  unsigned depth;
} scratch;

static __thread scratch tls;

/* Frees a thread's block when the thread exits (libuv pool threads live
 * as long as the process; worker_threads do not). */
static pthread_key_t block_key;
static int block_key_ok;
static pthread_once_t block_once = PTHREAD_ONCE_INIT;

static void
block_free(void *p)
{
  UNPOISON(p, HUBTOK__SCRATCH_SIZE);
  free(p);
}

static void
make_key(void)
{
  block_key_ok = pthread_key_create(&block_key, block_free) == 0;
}

void
hubtok__scratch_begin(void)
{
  tls.depth++;
}

void
hubtok__scratch_end(void)
{
  if(tls.depth == 0)
    return;
  if(--tls.depth == 0) {
    if(tls.base)
      POISON(tls.base, tls.used);
    tls.used = 0;
  }
}

void *
hubtok__scratch_alloc(size_t n)
{
  char *p;

  if(tls.depth == 0 || n > HUBTOK__SCRATCH_SIZE / 4)
    return NULL;
  n = (n + 15) & ~(size_t)15;
  if(!tls.base) {
    pthread_once(&block_once, make_key);
    if(!block_key_ok)
      return NULL;
    tls.base = malloc(HUBTOK__SCRATCH_SIZE);
    if(!tls.base)
      return NULL;
    if(pthread_setspecific(block_key, tls.base) != 0) {
      free(tls.base);
      tls.base = NULL;
      return NULL;
    }
  }
  if(n > HUBTOK__SCRATCH_SIZE - tls.used)
    return NULL;
  p = tls.base + tls.used;
  tls.used += n;
  UNPOISON(p, n);
  return p;
}
