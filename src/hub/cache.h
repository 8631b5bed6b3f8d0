/*
 * cache.h: the huggingface_hub cache layout (file_download.py), so that a
 * cache filled by Python serves hubtok and back:
 *
 *   <root>/CACHEDIR.TAG
 *   <root>/.locks/<repo_folder>/<etag>.lock
 *   <root>/<repo_folder>/blobs/<etag>
 *   <root>/<repo_folder>/blobs/<etag>.<8 hex>.incomplete
 *   <root>/<repo_folder>/refs/<revision>          (commit, no newline)
 *   <root>/<repo_folder>/snapshots/<commit>/<file> -> ../../blobs/<etag>
 *   <root>/<repo_folder>/.no_exist/<commit>/<file> (empty marker)
 *
 * Inputs (repo id, revision, filename, etag, commit) must be validated by
 * the caller (hub.c); nothing here accepts "..". Files are created 0644,
 * directories 0755. Thread-safe: no shared state; several processes are
 * serialised per blob by the lock file (flock).
 */
#ifndef HUBTOK_HUB_CACHE_H
#define HUBTOK_HUB_CACHE_H

#include "hub/hub_internal.h"

typedef struct hubtok__cache {
  char *root;        /* absolute cache root */
  char *repo_folder; /* "models--org--name" */
  char *repo_dir;    /* root + "/" + repo_folder */
} hubtok__cache;

/*
 * "models--org--name" (repo_type NULL/"model"), "datasets--...",
 * "spaces--..." into dst. Returns 0, or -1 for an unknown repo_type or
 * when dst is too small. Pure.
 */
int hubtok__repo_folder_name(char *dst, size_t dstsize,
                             const char *repo_type, const char *repo_id);

/*
 * The relative symlink target from snapshots/<commit>/<filename> to
 * blobs/<etag>: "../../blobs/<etag>" plus one "../" per directory level
 * in filename. Returns a malloc'd string (caller frees) or NULL on OOM.
 * Pure.
 */
char *hubtok__symlink_target(const char *filename, const char *etag);

/* Fill c (paths are malloc'd; free with hubtok__cache_free). cache_dir
 * may be relative: it is made absolute against the current directory.
 * Returns HUBTOK_OK, HUBTOK_EINVAL or HUBTOK_ENOMEM. */
hubtok_code hubtok__cache_init(hubtok__cache *c, const char *cache_dir,
                               const char *repo_type, const char *repo_id,
                               hubtok_error *err);

/* Free the paths in c. NULL is a no-op; c may be zeroed. */
void hubtok__cache_free(hubtok__cache *c);

/* Paths; each malloc'd (caller frees) or NULL on OOM/too long. */
char *hubtok__cache_snapshot_path(const hubtok__cache *c,
                                  const char *commit, const char *filename);
char *hubtok__cache_no_exist_path(const hubtok__cache *c,
                                  const char *commit, const char *filename);
char *hubtok__cache_blob_path(const hubtok__cache *c, const char *etag);

/* 1 when path names (after symlinks) an existing regular file, and then
 * *size gets its size (size may be NULL). */
int hubtok__file_exists(const char *path, uint64_t *size);

/* Read refs/<revision> into commit (41 bytes). Returns 1 when it holds a
 * valid commit hash, 0 otherwise. */
int hubtok__cache_read_ref(const hubtok__cache *c, const char *revision,
                           char *commit);

/* Write refs/<revision> = commit (temp file + rename) when it differs.
 */
hubtok_code hubtok__cache_write_ref(const hubtok__cache *c,
                                    const char *revision,
                                    const char *commit, hubtok_error *err);

/* Create the empty .no_exist/<commit>/<filename> marker. */
hubtok_code hubtok__cache_mark_no_exist(const hubtok__cache *c,
                                        const char *commit,
                                        const char *filename,
                                        hubtok_error *err);

/* Point snapshots/<commit>/<filename> at blobs/<etag> (relative symlink,
 * created aside and renamed over any old entry). */
hubtok_code hubtok__cache_link(const hubtok__cache *c, const char *commit,
                               const char *filename, const char *etag,
                               hubtok_error *err);

/* Write <root>/CACHEDIR.TAG when absent (best effort, never fails). */
void hubtok__cache_tag(const hubtok__cache *c);

/* Take the exclusive lock .locks/<repo_folder>/<etag>.lock; *fd gets the
 * lock descriptor for hubtok__cache_unlock. */
hubtok_code hubtok__cache_lock(const hubtok__cache *c, const char *etag,
                               int *fd, hubtok_error *err);

/* Release a lock from hubtok__cache_lock. -1 is a no-op. */
void hubtok__cache_unlock(int fd);

/* Create blobs/<etag>.<8 hex>.incomplete (O_EXCL, 0644). *fd and *path
 * (malloc'd; caller frees) are set on success. */
hubtok_code hubtok__cache_temp(const hubtok__cache *c, const char *etag,
                               int *fd, char **path, hubtok_error *err);

/* Rename the verified temp file to blobs/<etag>. */
hubtok_code hubtok__cache_commit_blob(const hubtok__cache *c,
                                      const char *tmp_path,
                                      const char *etag, hubtok_error *err);

#endif /* HUBTOK_HUB_CACHE_H */
