/*
 * digest.c: content hashes used to verify downloads (libcrypto EVP).
 *
 *   sha256                 the X-Linked-Etag of an LFS / Xet file
 *   sha1("blob <n>\0" + x) the git blob id, the ETag of a regular file
 *
 * Thread-safe: each call owns its EVP_MD_CTX.
 */
#include "hub/hub_internal.h"

#include <openssl/evp.h>

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define CHUNK 65536

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
  if(!EVP_DigestInit_ex(ctx, git_blob ? EVP_sha1() : EVP_sha256(), NULL))
    return -1;
  if(git_blob) {
    n = snprintf(prefix, sizeof(prefix), "blob %llu",
                 (unsigned long long)size);
    /* the NUL after the size is part of the hashed header */
    if(!EVP_DigestUpdate(ctx, prefix, (size_t)n + 1))
      return -1;
  }
  return 0;
}

static int
finish(EVP_MD_CTX *ctx, char *hex)
{
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int n = 0;

  if(!EVP_DigestFinal_ex(ctx, md, &n))
    return -1;
  to_hex(md, n, hex);
  return 0;
}

int
hubtok__digest_mem(const void *data, size_t len, int git_blob, char *hex,
                   size_t hexsize)
{
  EVP_MD_CTX *ctx = EVP_MD_CTX_new();
  int rc = -1;

  if(!ctx)
    return -1;
  if(!start(ctx, len, git_blob, hexsize) &&
     EVP_DigestUpdate(ctx, data, len) && !finish(ctx, hex))
    rc = 0;
  EVP_MD_CTX_free(ctx);
  return rc;
}

int
hubtok__digest_fd(int fd, uint64_t size, int git_blob, char *hex,
                  size_t hexsize)
{
  EVP_MD_CTX *ctx = EVP_MD_CTX_new();
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
    if(!EVP_DigestUpdate(ctx, buf, (size_t)r))
      goto out;
    off += (uint64_t)r;
  }
  if(!finish(ctx, hex))
    rc = 0;
out:
  EVP_MD_CTX_free(ctx);
  return rc;
}
