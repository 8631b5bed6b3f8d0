/*
 * file.h: reading whole files, bounded.
 */
#ifndef HUBTOK_UTIL_FILE_H
#define HUBTOK_UTIL_FILE_H

#include "internal.h"

/*
 * Read the file at `path` into a malloc'd buffer, NUL-terminated (the NUL
 * is not counted in *out_len). Files larger than `max` bytes fail with
 * HUBTOK_ETOOLARGE; a missing file with HUBTOK_LOCAL_NOT_FOUND; other
 * failures with HUBTOK_EIO. On success the caller frees *out with free();
 * on failure *out is NULL. Thread-safe: yes.
 */
hubtok_code hubtok__read_file(const char *path, size_t max, char **out,
                              size_t *out_len, hubtok_error *err);

#endif /* HUBTOK_UTIL_FILE_H */
