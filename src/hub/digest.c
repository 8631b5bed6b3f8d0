/*
 * digest.c: content hashes used to verify downloads (libcrypto EVP).
 *
 *   sha256                 the X-Linked-Etag of an LFS / Xet file
 *   sha1("blob <n>\0" + x) the git blob id, the ETag of a regular file
 *
 * Thread-safe: each call owns its EVP_MD_CTX.
 *
 * libcrypto is loaded with dlopen on the first digest (after a download),
 * not linked, like libcurl in http.c: a process that only tokenizes never
 * maps it. The functions used are in `lcr`, typed from evp.h.
 */
#include "hub/hub_internal.h"

#include <openssl/evp.h>
#include <openssl/opensslv.h>

#include <dlfcn.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define CHUNK 65536

#define LCR_FUNCS(X)                                                    \
  X(ctx_new, EVP_MD_CTX_new)                                            \
  X(ctx_free, EVP_MD_CTX_free)                                          \
  X(init, EVP_DigestInit_ex)                                            \
  X(update, EVP_DigestUpdate)                                           \
  X(final, EVP_DigestFinal_ex)                                          \
  X(sha1, EVP_sha1)                                                     \
  X(sha256, EVP_sha256)

static struct {
#define LCR_MEMBER(name, sym) __typeof__(sym) *name;
  LCR_FUNCS(LCR_MEMBER)
#undef LCR_MEMBER
} lcr;

#define STR_(x) #x
#define STR(x) STR_(x)
#ifdef OPENSSL_SHLIB_VERSION /* 3.x */
#define SONAME_ELF "libcrypto.so." STR(OPENSSL_SHLIB_VERSION)
#define SONAME_MAC "libcrypto." STR(OPENSSL_SHLIB_VERSION) ".dylib"
#else /* 1.1 */
#define SONAME_ELF "libcrypto.so." SHLIB_VERSION_NUMBER
#define SONAME_MAC "libcrypto." SHLIB_VERSION_NUMBER ".dylib"
#endif

static pthread_once_t lcr_once = PTHREAD_ONCE_INIT;
static int lcr_ok;

static void
lcr_load(void)
{
  static const char *const names[] = { SONAME_ELF, SONAME_MAC, NULL };
  void *h = NULL;
  size_t i;

  for(i = 0; names[i] && !h; i++)
    h = dlopen(names[i], RTLD_NOW | RTLD_LOCAL);
  if(!h)
    return;
  /* never dlclose'd */
#define LCR_LOAD(name, sym)                                             \
  *(void **)&lcr.name = dlsym(h, #sym);                                 \
  if(!lcr.name)                                                         \
    return;
  LCR_FUNCS(LCR_LOAD)
#undef LCR_LOAD
  lcr_ok = 1;
}

/* A new digest context, or NULL (out of memory, or no libcrypto). */
static EVP_MD_CTX *
ctx_new(void)
{
  if(pthread_once(&lcr_once, lcr_load) || !lcr_ok)
    return NULL;
  return lcr.ctx_new();
}

static void
to_hex(const unsigned char *md, unsigned int n, char *hex)
{
  static const char digits[] = "0123456789abcdef";
  unsigned int i;

  for(i = 0; i < n; i++) {
    hex[2 * i] = digits[md[i] >> 4];
    hex[2 * i + 1] = digits[md[i] & 15];
  }
  hex[2 * n] = '\0';
}

/* Start ctx for the kind of hash; feeds the git blob prefix. */
static int
start(EVP_MD_CTX *ctx, uint64_t size, int git_blob, size_t hexsize)
{
  char prefix[48];
  int n;

  if(hexsize < (git_blob ? 41u : 65u))
    return -1;
  if(!lcr.init(ctx, git_blob ? lcr.sha1() : lcr.sha256(), NULL))
    return -1;
  if(git_blob) {
    n = snprintf(prefix, sizeof(prefix), "blob %llu",
                 (unsigned long long)size);
    /* the NUL after the size is part of the hashed header */
    if(!lcr.update(ctx, prefix, (size_t)n + 1))
      return -1;
  }
  return 0;
}

static int
finish(EVP_MD_CTX *ctx, char *hex)
{
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int n = 0;

  if(!lcr.final(ctx, md, &n))
    return -1;
  to_hex(md, n, hex);
  return 0;
}

int
hubtok__digest_mem(const void *data, size_t len, int git_blob, char *hex,
                   size_t hexsize)
{
  EVP_MD_CTX *ctx = ctx_new();
  int rc = -1;

  if(!ctx)
    return -1;
  if(!start(ctx, len, git_blob, hexsize) &&
     lcr.update(ctx, data, len) && !finish(ctx, hex))
    rc = 0;
  lcr.ctx_free(ctx);
  return rc;
}

int
hubtok__digest_fd(int fd, uint64_t size, int git_blob, char *hex,
                  size_t hexsize)
{
  EVP_MD_CTX *ctx = ctx_new();
  unsigned char buf[CHUNK];
  uint64_t off = 0;
  int rc = -1;

  if(!ctx)
    return -1;
  if(start(ctx, size, git_blob, hexsize))
    goto out;
  while(off < size) {
    size_t want = size - off < CHUNK ? (size_t)(size - off) : CHUNK;
    ssize_t r = pread(fd, buf, want, (off_t)off);
    if(r < 0 && errno == EINTR)
      continue;
    if(r <= 0)
      goto out;
    if(!lcr.update(ctx, buf, (size_t)r))
      goto out;
    off += (uint64_t)r;
  }
  if(!finish(ctx, hex))
    rc = 0;
out:
  lcr.ctx_free(ctx);
  return rc;
}
