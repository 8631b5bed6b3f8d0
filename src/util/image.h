/*
 * image.h: the compiled cache form of a tokenizer (a "tokenizer image"),
 * a file of tagged sections written once and memory-mapped after.
 *
 * A Hub cache blob `blobs/<hash>` gets its image beside it, as
 * `blobs/<hash>.hubtok` (tokenizer/tokenizer.c decides). The file holds
 * a header, a directory of sections and the sections, each 64-byte
 * aligned. The tables in the sections are the engine's own in-memory
 * arrays (strmap slots, merge slots, trie nodes), used in place from the
 * mapping; so the image is tied to this build's layout, recorded in the
 * header with the format version.
 *
 * Opening checks the header, the layout, the source's size and name and
 * a checksum over every byte after the header: a torn, truncated or
 * edited image is refused (the caller then rebuilds it). The tables'
 * consumers check every offset and index before use (strmap.c,
 * vocab.c, trie.c, the models), so even an image with a valid checksum
 * cannot make a lookup leave its arrays.
 *
 * Bump HUBTOK__IMAGE_VERSION whenever an imaged struct, hash function or
 * table meaning changes.
 *
 * Ownership: a hubtok__image owns its mapping; everything borrowed from
 * it (hubtok__image_get) lives until hubtok__image_close(). A writer
 * owns its buffer until hubtok__imgw_free(). Thread safety: an open
 * image is read-only and may be read from any thread; a writer is used
 * by one thread.
 */
#ifndef HUBTOK_UTIL_IMAGE_H
#define HUBTOK_UTIL_IMAGE_H

#include "internal.h"
#include "util/buf.h"

#include <stdint.h>

#define HUBTOK__IMAGE_VERSION 2u

/* Section tags. */
enum {
  HUBTOK__IMG_JSON = 1,        /* tokenizer.json without the model tables */
  HUBTOK__IMG_MODEL = 2,       /* uint32_t model kind (models/model.c) */
  HUBTOK__IMG_VOCAB = 16,      /* models/vocab.c: 16..19 */
  HUBTOK__IMG_BPE = 32,        /* models/bpe.c: 32..33 */
  HUBTOK__IMG_UNIGRAM = 48     /* models/unigram.c: 48..55 */
};

/* Most sections in one image. */
#define HUBTOK__IMAGE_MAX_SECT 32

typedef struct hubtok__image_sect {
  uint32_t tag;
  uint32_t reserved;
  uint64_t off; /* from the start of the file */
  uint64_t len; /* bytes */
} hubtok__image_sect;

typedef struct hubtok__image {
  const unsigned char *map; /* NULL: not open */
  size_t size;
  const hubtok__image_sect *dir;
  uint32_t nsect;
} hubtok__image;

/* Open and check the image at `path`, built from a source file of
 * `src_size` bytes named `src_name` (the blob's hash). HUBTOK_LOCAL_NOT_
 * FOUND when absent; HUBTOK_EIO when unreadable or invalid. On failure
 * img is closed. Blocking (reads the whole file). */
hubtok_code hubtok__image_open(hubtok__image *img, const char *path,
                               uint64_t src_size, const char *src_name)
  HUBTOK__WARN_UNUSED;

/* Section `tag` as an array of elements of `elem` bytes: NULL when it is
 * absent or its length is not a multiple of elem. *count (may be NULL)
 * receives the number of elements. Sections are 64-byte aligned.
 * Borrowed from img. */
const void *hubtok__image_get(const hubtok__image *img, uint32_t tag,
                              size_t elem, size_t *count);

/* NULL-safe; leaves img closed. */
void hubtok__image_close(hubtok__image *img);

/* For tests and fuzzers: rewrite the checksum of an image held in
 * memory (len bytes) so that it matches its contents; 0 when the buffer
 * is too short to hold a header. */
int hubtok__image_reseal(void *p, size_t len);

typedef struct hubtok__imgw {
  hubtok__buf data;  /* the sections, from offset 0 */
  hubtok__image_sect dir[HUBTOK__IMAGE_MAX_SECT];
  uint32_t nsect;
  hubtok_code rc;    /* first failure of an add, sticky */
} hubtok__imgw;

/* Cannot fail. */
void hubtok__imgw_init(hubtok__imgw *w);

/* Append section `tag` (copied). A failure is kept in w->rc and makes
 * later adds and hubtok__imgw_write() no-ops that return it. */
void hubtok__imgw_add(hubtok__imgw *w, uint32_t tag, const void *p,
                      size_t len);

/* Write the image to `path` atomically (a temporary file beside it,
 * then rename), for a source of src_size bytes named src_name. Never
 * leaves a partial file at `path`. Blocking. */
hubtok_code hubtok__imgw_write(hubtok__imgw *w, const char *path,
                               uint64_t src_size, const char *src_name)
  HUBTOK__WARN_UNUSED;

void hubtok__imgw_free(hubtok__imgw *w);

#endif /* HUBTOK_UTIL_IMAGE_H */
