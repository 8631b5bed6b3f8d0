/*
 * byte_level.c: the ByteLevel normalizer (tokenizers/src/normalizers/
 * byte_level.rs): every byte of the text becomes its printable char,
 * with the same transform as the ByteLevel pre-tokenizer.
 */
#include "normalizers/normalizer.h"
#include "util/byte_level.h"

#include <stdlib.h>

static hubtok_code
bl_normalize(const hubtok__normalizer *n, hubtok__nstr *ns,
             hubtok_error *err)
{
  hubtok_code rc;

  (void)n;
  if(ns->len == 0)
    return HUBTOK_OK;
  rc = hubtok__byte_level_transform(ns);
  if(rc)
    return hubtok__set_error(err, rc, "ByteLevel: %s", hubtok_strerror(rc));
  return HUBTOK_OK;
}

static size_t
bl_memory(const hubtok__normalizer *n)
{
  (void)n;
  return sizeof(hubtok__normalizer);
}

static void
bl_destroy(hubtok__normalizer *n)
{
  free(n);
}

static const hubtok__normalizer_ops bl_ops = {
  bl_normalize, bl_memory, bl_destroy
};

hubtok_code
hubtok__byte_level_normalizer_from_json(const struct cJSON *j,
                                        const char *path,
                                        hubtok__normalizer **out,
                                        hubtok_error *err)
{
  hubtok__normalizer *n;

  (void)j;
  (void)path;
  n = malloc(sizeof(*n));
  if(!n)
    return hubtok__set_error(err, HUBTOK_ENOMEM, "out of memory");
  n->ops = &bl_ops;
  *out = n;
  return HUBTOK_OK;
}
