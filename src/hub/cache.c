/*
 * cache.c: the huggingface_hub cache layout (see cache.h), mirroring
 * huggingface_hub's file_download.py (_hf_hub_download_to_cache_dir,
 * _create_symlink, _cache_commit_hash_for_specific_revision).
 */
#include "hub/cache.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define DIR_MODE 0755
#define FILE_MODE 0644

static const char cachedir_tag[] =
  "Signature: 8a477f597d28d172789f06886806bc55\n"
  "# This file is a cache directory tag created by huggingface_hub.\n"
  "# For information about cache directory tags, see:\n"
  "#\thttps://bford.info/cachedir/\n";

/* malloc'd printf; NULL on OOM or when longer than PATH_MAX. */
static char *path_fmt(const char *fmt, ...) HUBTOK__PRINTF(1, 2);

static char *
path_fmt(const char *fmt, ...)
{
  va_list ap;
  char *p;
  int n;

  va_start(ap, fmt);
  n = vsnprintf(NULL, 0, fmt, ap);
  va_end(ap);
  if(n < 0 || n >= PATH_MAX)
    return NULL;
  p = malloc((size_t)n + 1);
  if(!p)
    return NULL;
  va_start(ap, fmt);
  vsnprintf(p, (size_t)n + 1, fmt, ap);
  va_end(ap);
  return p;
}

/* 8 random lower-case hex digits + NUL. */
static void
random_hex8(char *out)
{
  static const char digits[] = "0123456789abcdef";
  unsigned char b[4] = {0, 0, 0, 0};
  struct timespec ts;
  int i;

  if(getrandom(b, sizeof(b), 0) != (ssize_t)sizeof(b)) {
    /* no entropy source: time and pid still make a unique-enough name,
       and every temp file is opened with O_EXCL anyway */
    clock_gettime(CLOCK_REALTIME, &ts);
    b[0] = (unsigned char)ts.tv_nsec;
    b[1] = (unsigned char)(ts.tv_nsec >> 8);
    b[2] = (unsigned char)getpid();
    b[3] = (unsigned char)(ts.tv_nsec >> 16);
  }
  for(i = 0; i < 4; i++) {
    out[2 * i] = digits[b[i] >> 4];
    out[2 * i + 1] = digits[b[i] & 15];
  }
  out[8] = '\0';
}

/* mkdir -p of the directory part of path (everything before the last
 * '/'). Returns 0 or -1 with errno. */
static int
mkdirs_parent(const char *path)
{
  char buf[PATH_MAX];
  char *slash;
  char *p;
  size_t n = strlen(path);

  if(n >= sizeof(buf)) {
    errno = ENAMETOOLONG;
    return -1;
  }
  memcpy(buf, path, n + 1);
  slash = strrchr(buf, '/');
  if(!slash || slash == buf)
    return 0;
  *slash = '\0';
  for(p = buf + 1; *p; p++) {
    if(*p != '/')
      continue;
    *p = '\0';
    if(mkdir(buf, DIR_MODE) && errno != EEXIST)
      return -1;
    *p = '/';
  }
  if(mkdir(buf, DIR_MODE) && errno != EEXIST)
    return -1;
  return 0;
}

static hubtok_code
io_error(hubtok_error *err, const char *what, const char *path)
{
  return hubtok__set_error(err, HUBTOK_EIO, "Cache: cannot %s \"%s\": %s.",
                           what, path, strerror(errno));
}

static hubtok_code
nomem(hubtok_error *err)
{
  return hubtok__set_error(err, HUBTOK_ENOMEM,
                           "Out of memory (or cache path too long).");
}

int
hubtok__repo_folder_name(char *dst, size_t dstsize, const char *repo_type,
                         const char *repo_id)
{
  const char *kind;
  const char *slash;
  int n;

  if(!repo_type || !strcmp(repo_type, "model"))
    kind = "models";
  else if(!strcmp(repo_type, "dataset"))
    kind = "datasets";
  else if(!strcmp(repo_type, "space"))
    kind = "spaces";
  else
    return -1;
  slash = strchr(repo_id, '/');
  if(slash)
    n = snprintf(dst, dstsize, "%s--%.*s--%s", kind,
                 (int)(slash - repo_id), repo_id, slash + 1);
  else
    n = snprintf(dst, dstsize, "%s--%s", kind, repo_id);
  return (n < 0 || (size_t)n >= dstsize) ? -1 : 0;
}

char *
hubtok__symlink_target(const char *filename, const char *etag)
{
  size_t depth = 0;
  const char *p;
  char *out;
  size_t i;
  size_t len;

  for(p = filename; *p; p++)
    depth += *p == '/';
  len = (depth + 2) * 3 + strlen("blobs/") + strlen(etag) + 1;
  out = malloc(len);
  if(!out)
    return NULL;
  out[0] = '\0';
  for(i = 0; i < depth + 2; i++)
    strcat(out, "../");
  strcat(out, "blobs/");
  strcat(out, etag);
  return out;
}

hubtok_code
hubtok__cache_init(hubtok__cache *c, const char *cache_dir,
                   const char *repo_type, const char *repo_id,
                   hubtok_error *err)
{
  char folder[256];
  char cwd[PATH_MAX];
  size_t n;

  memset(c, 0, sizeof(*c));
  if(!cache_dir || !cache_dir[0])
    return hubtok__set_error(err, HUBTOK_EINVAL,
                             "hub download: cache_dir is required.");
  if(hubtok__repo_folder_name(folder, sizeof(folder), repo_type, repo_id))
    return hubtok__set_error(err, HUBTOK_EINVAL,
                             "hub download: bad repo_type or repo_id.");
  if(cache_dir[0] == '/')
    c->root = path_fmt("%s", cache_dir);
  else {
    if(!getcwd(cwd, sizeof(cwd)))
      return io_error(err, "resolve the relative cache directory",
                      cache_dir);
    c->root = path_fmt("%s/%s", cwd, cache_dir);
  }
  if(!c->root)
    return nomem(err);
  /* no trailing slashes (but keep "/") */
  n = strlen(c->root);
  while(n > 1 && c->root[n - 1] == '/')
    c->root[--n] = '\0';
  c->repo_folder = path_fmt("%s", folder);
  c->repo_dir = path_fmt("%s/%s", c->root, folder);
  if(!c->repo_folder || !c->repo_dir) {
    hubtok__cache_free(c);
    return nomem(err);
  }
  return HUBTOK_OK;
}

void
hubtok__cache_free(hubtok__cache *c)
{
  if(!c)
    return;
  free(c->root);
  free(c->repo_folder);
  free(c->repo_dir);
  memset(c, 0, sizeof(*c));
}

char *
hubtok__cache_snapshot_path(const hubtok__cache *c, const char *commit,
                            const char *filename)
{
  return path_fmt("%s/snapshots/%s/%s", c->repo_dir, commit, filename);
}

char *
hubtok__cache_no_exist_path(const hubtok__cache *c, const char *commit,
                            const char *filename)
{
  return path_fmt("%s/.no_exist/%s/%s", c->repo_dir, commit, filename);
}

char *
hubtok__cache_blob_path(const hubtok__cache *c, const char *etag)
{
  return path_fmt("%s/blobs/%s", c->repo_dir, etag);
}

int
hubtok__file_exists(const char *path, uint64_t *size)
{
  struct stat st;

  if(!path || stat(path, &st) || !S_ISREG(st.st_mode))
    return 0;
  if(size)
    *size = (uint64_t)st.st_size;
  return 1;
}

int
hubtok__cache_read_ref(const hubtok__cache *c, const char *revision,
                       char *commit)
{
  char buf[128];
  char *path = path_fmt("%s/refs/%s", c->repo_dir, revision);
  ssize_t n;
  int fd;

  commit[0] = '\0';
  if(!path)
    return 0;
  fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
  free(path);
  if(fd < 0)
    return 0;
  n = read(fd, buf, sizeof(buf) - 1);
  close(fd);
  if(n <= 0)
    return 0;
  buf[n] = '\0';
  while(n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == '\r' ||
                  buf[n - 1] == ' '))
    buf[--n] = '\0';
  if(!hubtok__is_commit(buf))
    return 0;
  memcpy(commit, buf, 41);
  return 1;
}

/* Create a file next to final (same directory) holding data, then rename
 * it over final. */
static hubtok_code
write_atomic(const char *final, const char *data, size_t len,
             hubtok_error *err)
{
  char rnd[9];
  char *tmp;
  size_t done = 0;
  int fd;
  int ok;

  if(mkdirs_parent(final))
    return io_error(err, "create the directory of", final);
  random_hex8(rnd);
  tmp = path_fmt("%s.%s.tmp", final, rnd);
  if(!tmp)
    return nomem(err);
  fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, FILE_MODE);
  if(fd < 0) {
    io_error(err, "create", tmp);
    free(tmp);
    return HUBTOK_EIO;
  }
  while(done < len) {
    ssize_t w = write(fd, data + done, len - done);
    if(w < 0 && errno == EINTR)
      continue;
    if(w <= 0)
      break;
    done += (size_t)w;
  }
  ok = done == len && !fchmod(fd, FILE_MODE);
  if(close(fd))
    ok = 0;
  if(ok && rename(tmp, final))
    ok = 0;
  if(!ok) {
    io_error(err, "write", final);
    unlink(tmp);
    free(tmp);
    return HUBTOK_EIO;
  }
  free(tmp);
  return HUBTOK_OK;
}

hubtok_code
hubtok__cache_write_ref(const hubtok__cache *c, const char *revision,
                        const char *commit, hubtok_error *err)
{
  char old[41];
  char *path;
  hubtok_code rc;

  if(hubtok__cache_read_ref(c, revision, old) && !strcmp(old, commit))
    return HUBTOK_OK;
  path = path_fmt("%s/refs/%s", c->repo_dir, revision);
  if(!path)
    return nomem(err);
  rc = write_atomic(path, commit, strlen(commit), err);
  free(path);
  return rc;
}

hubtok_code
hubtok__cache_mark_no_exist(const hubtok__cache *c, const char *commit,
                            const char *filename, hubtok_error *err)
{
  char *path = hubtok__cache_no_exist_path(c, commit, filename);
  int fd;

  if(!path)
    return nomem(err);
  if(mkdirs_parent(path)) {
    io_error(err, "create the directory of", path);
    free(path);
    return HUBTOK_EIO;
  }
  fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC | O_NOFOLLOW, FILE_MODE);
  if(fd < 0) {
    io_error(err, "create", path);
    free(path);
    return HUBTOK_EIO;
  }
  close(fd);
  free(path);
  return HUBTOK_OK;
}

hubtok_code
hubtok__cache_link(const hubtok__cache *c, const char *commit,
                   const char *filename, const char *etag,
                   hubtok_error *err)
{
  char *ptr = hubtok__cache_snapshot_path(c, commit, filename);
  char *target = hubtok__symlink_target(filename, etag);
  char *tmp = NULL;
  char rnd[9];
  hubtok_code rc = HUBTOK_OK;

  if(!ptr || !target) {
    rc = nomem(err);
    goto out;
  }
  if(mkdirs_parent(ptr)) {
    rc = io_error(err, "create the directory of", ptr);
    goto out;
  }
  random_hex8(rnd);
  tmp = path_fmt("%s.%s.tmp", ptr, rnd);
  if(!tmp) {
    rc = nomem(err);
    goto out;
  }
  if(symlink(target, tmp)) {
    rc = io_error(err, "create a symlink at", tmp);
    goto out;
  }
  if(rename(tmp, ptr)) {
    rc = io_error(err, "rename a symlink to", ptr);
    unlink(tmp);
  }
out:
  free(ptr);
  free(target);
  free(tmp);
  return rc;
}

void
hubtok__cache_tag(const hubtok__cache *c)
{
  char *path = path_fmt("%s/CACHEDIR.TAG", c->root);
  hubtok_error ignored;
  struct stat st;

  if(!path)
    return;
  if(lstat(path, &st) && errno == ENOENT)
    write_atomic(path, cachedir_tag, sizeof(cachedir_tag) - 1, &ignored);
  free(path);
}

hubtok_code
hubtok__cache_lock(const hubtok__cache *c, const char *etag, int *fd,
                   hubtok_error *err)
{
  char *path = path_fmt("%s/.locks/%s/%s.lock", c->root, c->repo_folder,
                        etag);
  int f;

  *fd = -1;
  if(!path)
    return nomem(err);
  if(mkdirs_parent(path)) {
    io_error(err, "create the directory of", path);
    free(path);
    return HUBTOK_EIO;
  }
  f = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, FILE_MODE);
  if(f < 0) {
    io_error(err, "open the lock file", path);
    free(path);
    return HUBTOK_EIO;
  }
  free(path);
  for(;;) {
    if(!flock(f, LOCK_EX))
      break;
    if(errno == EINTR)
      continue;
    /* no flock on this file system: go on unlocked, as huggingface_hub's
       WeakFileLock does */
    break;
  }
  *fd = f;
  return HUBTOK_OK;
}

void
hubtok__cache_unlock(int fd)
{
  if(fd < 0)
    return;
  flock(fd, LOCK_UN);
  close(fd);
}

hubtok_code
hubtok__cache_temp(const hubtok__cache *c, const char *etag, int *fd,
                   char **path, hubtok_error *err)
{
  char rnd[9];
  char *p;
  int f;
  int tries;

  *fd = -1;
  *path = NULL;
  for(tries = 0; tries < 8; tries++) {
    random_hex8(rnd);
    p = path_fmt("%s/blobs/%s.%s.incomplete", c->repo_dir, etag, rnd);
    if(!p)
      return nomem(err);
    if(mkdirs_parent(p)) {
      io_error(err, "create the directory of", p);
      free(p);
      return HUBTOK_EIO;
    }
    f = open(p, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, FILE_MODE);
    if(f >= 0) {
      if(fchmod(f, FILE_MODE)) {
        /* harmless: umask decides then */
      }
      *fd = f;
      *path = p;
      return HUBTOK_OK;
    }
    if(errno != EEXIST) {
      io_error(err, "create", p);
      free(p);
      return HUBTOK_EIO;
    }
    free(p);
  }
  return hubtok__set_error(err, HUBTOK_EIO,
                           "Cache: cannot create a temporary file in "
                           "\"%s/blobs\".",
                           c->repo_dir);
}

hubtok_code
hubtok__cache_commit_blob(const hubtok__cache *c, const char *tmp_path,
                          const char *etag, hubtok_error *err)
{
  char *blob = hubtok__cache_blob_path(c, etag);
  hubtok_code rc = HUBTOK_OK;

  if(!blob)
    return nomem(err);
  if(rename(tmp_path, blob))
    rc = io_error(err, "move the download to", blob);
  free(blob);
  return rc;
}
