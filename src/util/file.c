/*
 * file.c: reading whole files, bounded (see file.h).
 */
#include "util/file.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

hubtok_code
hubtok__read_file(const char *path, size_t max, char **out, size_t *out_len,
                  hubtok_error *err)
{
  FILE *f;
  char *data = NULL;
  size_t len = 0, cap = 0;

  *out = NULL;
  *out_len = 0;
  f = fopen(path, "rb");
  if(!f) {
    int e = errno;
    return hubtok__set_error(err, e == ENOENT ? HUBTOK_LOCAL_NOT_FOUND :
                             HUBTOK_EIO, "cannot open %.1024s: %s", path,
                             strerror(e));
  }
  for(;;) {
    size_t got;
    if(len == cap) {
      char *nd;
      if(cap > max) {
        free(data);
        fclose(f);
        return hubtok__set_error(err, HUBTOK_ETOOLARGE,
                                 "%.1024s is larger than %zu bytes", path,
                                 max);
      }
      cap = cap ? cap * 2 : 65536;
      if(cap > max + 1)
        cap = max + 1;
      nd = realloc(data, cap + 1);
      if(!nd) {
        free(data);
        fclose(f);
        return hubtok__set_error(err, HUBTOK_ENOMEM, "out of memory");
      }
      data = nd;
    }
    got = fread(data + len, 1, cap - len, f);
    len += got;
    if(got == 0)
      break;
  }
  if(ferror(f)) {
    free(data);
    fclose(f);
    return hubtok__set_error(err, HUBTOK_EIO, "cannot read %.1024s", path);
  }
  fclose(f);
  data[len] = 0;
  *out = data;
  *out_len = len;
  return HUBTOK_OK;
}
