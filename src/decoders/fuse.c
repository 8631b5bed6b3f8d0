/*
 * fuse.c: the Fuse decoder (tokenizers/src/decoders/fuse.rs): all tokens
 * joined into one.
 */
#include "decoders/decoder.h"

#include <stdlib.h>

static hubtok_code
fuse_decode_chain(const hubtok__decoder *d, const hubtok__strs *in,
                  hubtok__strs *out, hubtok_error *err)
{
  hubtok_code rc;
  size_t i;

  (void)d;
  rc = hubtok__strs_push(out, "", 0);
  for(i = 0; i < in->n && !rc; i++) {
    size_t len;
    const char *t = hubtok__strs_get(in, i, &len);
    rc = hubtok__strs_extend(out, t, len);
  }
  if(rc)
    return hubtok__set_error(err, rc, "Fuse: %s", hubtok_strerror(rc));
  return HUBTOK_OK;
}

static size_t
fuse_memory(const hubtok__decoder *d)
{
  (void)d;
  return sizeof(hubtok__decoder);
}

static void
fuse_destroy(hubtok__decoder *d)
{
  free(d);
}

static const hubtok__decoder_ops fuse_ops = {
  fuse_decode_chain, fuse_memory, fuse_destroy
};

hubtok_code
hubtok__fuse_from_json(const struct cJSON *j, const char *path,
                       hubtok__decoder **out, hubtok_error *err)
{
  hubtok__decoder *d;

  (void)j;
  (void)path;
  d = malloc(sizeof(*d));
  if(!d)
    return hubtok__set_error(err, HUBTOK_ENOMEM, "out of memory");
  d->ops = &fuse_ops;
  *out = d;
  return HUBTOK_OK;
}
