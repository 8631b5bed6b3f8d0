/*
 * image.c: the compiled cache form's file format (see image.h).
 */
#include "util/image.h"
#include "util/strmap.h"
#include "util/trie.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define MAGIC "HUBTOKI\n"
#define ALIGN 64
#define NAME_MAX_LEN 72
/* An image above this is refused (a tokenizer.json is at most
 * HUBTOK__JSON_MAX bytes; its tables are a few times that at most). */
#define IMAGE_MAX ((uint64_t)4 << 30)

typedef struct head {
  char magic[8];
  uint32_t version;
  uint32_t layout;
  uint64_t file_size;
  uint64_t src_size;
  uint64_t checksum; /* of every byte after the header */
  uint32_t nsect;
  uint32_t reserved;
  char src_name[NAME_MAX_LEN]; /* NUL-padded */
} head;

/* This build's byte order and the sizes of the imaged structs. */
static uint32_t
layout(void)
{
  const uint16_t one = 1;
  return (uint32_t)(*(const unsigned char *)&one) |
         (uint32_t)sizeof(size_t) << 4 |
         (uint32_t)sizeof(hubtok__strmap_slot) << 8 |
         (uint32_t)sizeof(hubtok__trie_node) << 16 |
         (uint32_t)sizeof(double) << 24;
}

/* xxh64-style rounds over four lanes: fast enough to check a 10 MB
 * image in about a millisecond. */
static uint64_t
rotl(uint64_t x, int r)
{
  return (x << r) | (x >> (64 - r));
}

#define P1 0x9E3779B185EBCA87ull
#define P2 0xC2B2AE3D27D4EB4Full
#define P3 0x165667B19E3779F9ull

static uint64_t
round64(uint64_t acc, uint64_t in)
{
  acc += in * P2;
  acc = rotl(acc, 31);
  return acc * P1;
}

static uint64_t
checksum(const unsigned char *p, size_t n)
{
  uint64_t v[4] = { P1 + P2, P2, 0, 0 - P1 };
  uint64_t h;
  size_t i = 0;

  for(; i + 32 <= n; i += 32) {
    uint64_t w[4];
    memcpy(w, p + i, 32);
    v[0] = round64(v[0], w[0]);
    v[1] = round64(v[1], w[1]);
    v[2] = round64(v[2], w[2]);
    v[3] = round64(v[3], w[3]);
  }
  h = rotl(v[0], 1) + rotl(v[1], 7) + rotl(v[2], 12) + rotl(v[3], 18);
  h += (uint64_t)n;
  for(; i < n; i++)
    h = rotl(h ^ (p[i] * P3), 11) * P1;
  h ^= h >> 33;
  h *= P2;
  h ^= h >> 29;
  h *= P3;
  return h ^ (h >> 32);
}

/* ------------------------------------------------------------------ */
/* reading                                                             */

void
hubtok__image_close(hubtok__image *img)
{
  if(!img)
    return;
  if(img->map)
    munmap((void *)img->map, img->size);
  memset(img, 0, sizeof(*img));
}

static int
name_ok(const char *name)
{
  return name && strlen(name) < NAME_MAX_LEN;
}

static int
check(const hubtok__image *img, uint64_t src_size, const char *src_name)
{
  const head *h = (const head *)img->map;
  char name[NAME_MAX_LEN];
  uint64_t dir_end;
  uint32_t i;

  if(memcmp(h->magic, MAGIC, 8) || h->version != HUBTOK__IMAGE_VERSION ||
     h->layout != layout() || h->file_size != img->size ||
     h->src_size != src_size || h->nsect > HUBTOK__IMAGE_MAX_SECT)
    return 0;
  memset(name, 0, sizeof(name));
  strcpy(name, src_name);
  if(memcmp(h->src_name, name, NAME_MAX_LEN))
    return 0;
  dir_end = sizeof(head) + (uint64_t)h->nsect * sizeof(hubtok__image_sect);
  if(dir_end > img->size)
    return 0;
  if(checksum(img->map + sizeof(head), img->size - sizeof(head)) !=
     h->checksum)
    return 0;
  for(i = 0; i < h->nsect; i++) {
    const hubtok__image_sect *s = &img->dir[i];
    if(s->off % ALIGN || s->off < dir_end || s->off > img->size ||
       s->len > img->size - s->off)
      return 0;
  }
  return 1;
}

hubtok_code
hubtok__image_open(hubtok__image *img, const char *path, uint64_t src_size,
                   const char *src_name)
{
  struct stat st;
  void *map;
  int fd;

  memset(img, 0, sizeof(*img));
  if(!name_ok(src_name))
    return HUBTOK_EINVAL;
  fd = open(path, O_RDONLY | O_CLOEXEC);
  if(fd < 0)
    return errno == ENOENT ? HUBTOK_LOCAL_NOT_FOUND : HUBTOK_EIO;
  if(fstat(fd, &st) || !S_ISREG(st.st_mode) ||
     (uint64_t)st.st_size < sizeof(head) ||
     (uint64_t)st.st_size > IMAGE_MAX) {
    close(fd);
    return HUBTOK_EIO;
  }
  map = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
  close(fd);
  if(map == MAP_FAILED)
    return HUBTOK_EIO;
  img->map = map;
  img->size = (size_t)st.st_size;
  img->dir = (const hubtok__image_sect *)(img->map + sizeof(head));
  img->nsect = ((const head *)map)->nsect;
  if(!check(img, src_size, src_name)) {
    hubtok__image_close(img);
    return HUBTOK_EIO;
  }
  return HUBTOK_OK;
}

const void *
hubtok__image_get(const hubtok__image *img, uint32_t tag, size_t elem,
                  size_t *count)
{
  uint32_t i;

  if(count)
    *count = 0;
  if(!img || !img->map || !elem)
    return NULL;
  for(i = 0; i < img->nsect; i++) {
    const hubtok__image_sect *s = &img->dir[i];
    if(s->tag != tag)
      continue;
    if(s->len % elem)
      return NULL;
    if(count)
      *count = (size_t)(s->len / elem);
    return img->map + s->off;
  }
  return NULL;
}

int
hubtok__image_reseal(void *p, size_t len)
{
  head h;

  if(len < sizeof(head))
    return 0;
  memcpy(&h, p, sizeof(h));
  h.checksum = checksum((const unsigned char *)p + sizeof(head),
                        len - sizeof(head));
  memcpy(p, &h, sizeof(h));
  return 1;
}

/* ------------------------------------------------------------------ */
/* writing                                                             */

void
hubtok__imgw_init(hubtok__imgw *w)
{
  memset(w, 0, sizeof(*w));
  hubtok__buf_init(&w->data, (size_t)IMAGE_MAX);
}

void
hubtok__imgw_free(hubtok__imgw *w)
{
  if(!w)
    return;
  hubtok__buf_free(&w->data);
  w->nsect = 0;
}

static hubtok_code
pad_to(hubtok__buf *b, size_t align)
{
  static const char zeros[ALIGN];
  size_t pad = (align - b->len % align) % align;
  return pad ? hubtok__buf_add(b, zeros, pad) : HUBTOK_OK;
}

/* The header and the largest directory come first, so the sections'
 * offsets are final as they are added and the file is written from the
 * one buffer. */
#define PREFIX ((sizeof(head) + HUBTOK__IMAGE_MAX_SECT * \
                 sizeof(hubtok__image_sect) + ALIGN - 1) / ALIGN * ALIGN)

static hubtok_code
start(hubtok__imgw *w)
{
  static const char zeros[PREFIX];
  return w->data.len ? HUBTOK_OK : hubtok__buf_add(&w->data, zeros, PREFIX);
}

void
hubtok__imgw_add(hubtok__imgw *w, uint32_t tag, const void *p, size_t len)
{
  hubtok__image_sect *s;

  if(w->rc)
    return;
  if(w->nsect == HUBTOK__IMAGE_MAX_SECT) {
    w->rc = HUBTOK_ETOOLARGE;
    return;
  }
  w->rc = start(w);
  if(!w->rc)
    w->rc = pad_to(&w->data, ALIGN);
  if(!w->rc && len)
    w->rc = hubtok__buf_add(&w->data, p, len);
  if(w->rc)
    return;
  s = &w->dir[w->nsect++];
  s->tag = tag;
  s->reserved = 0;
  s->off = w->data.len - len;
  s->len = len;
}

static hubtok_code
write_all(int fd, const void *p, size_t n)
{
  const char *c = p;

  while(n) {
    ssize_t k = write(fd, c, n);
    if(k < 0) {
      if(errno == EINTR)
        continue;
      return HUBTOK_EIO;
    }
    c += k;
    n -= (size_t)k;
  }
  return HUBTOK_OK;
}

hubtok_code
hubtok__imgw_write(hubtok__imgw *w, const char *path, uint64_t src_size,
                   const char *src_name)
{
  char tmp[4096];
  head h;
  hubtok_code rc;
  int fd, n;

  if(!w->rc)
    w->rc = start(w);
  if(w->rc)
    return w->rc;
  if(!name_ok(src_name))
    return HUBTOK_EINVAL;
  memset(&h, 0, sizeof(h));
  memcpy(h.magic, MAGIC, 8);
  h.version = HUBTOK__IMAGE_VERSION;
  h.layout = layout();
  h.file_size = w->data.len;
  h.src_size = src_size;
  h.nsect = w->nsect;
  strcpy(h.src_name, src_name);
  memcpy(w->data.p + sizeof(head), w->dir,
         w->nsect * sizeof(hubtok__image_sect));
  h.checksum = checksum((const unsigned char *)w->data.p + sizeof(head),
                        w->data.len - sizeof(head));
  memcpy(w->data.p, &h, sizeof(h));

  n = snprintf(tmp, sizeof(tmp), "%s.tmp.%ld.%lx", path, (long)getpid(),
               (unsigned long)time(NULL) ^ (unsigned long)(uintptr_t)w);
  if(n < 0 || (size_t)n >= sizeof(tmp))
    return HUBTOK_ETOOLARGE;
  fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if(fd < 0)
    return HUBTOK_EIO;
  rc = write_all(fd, w->data.p, w->data.len);
  if(close(fd) && !rc)
    rc = HUBTOK_EIO;
  if(!rc && rename(tmp, path))
    rc = HUBTOK_EIO;
  if(rc)
    unlink(tmp);
  return rc;
}
