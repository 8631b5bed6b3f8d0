/*
 * prepend.c: the Prepend normalizer (tokenizers/src/normalizers/
 * prepend.rs): puts `prepend` in front of a non-empty string; the new
 * bytes are aligned with the first original character.
 */
#include "normalizers/normalizer.h"
#include "util/json.h"

#include <stdlib.h>
#include <string.h>

typedef struct prepend {
  hubtok__normalizer base;
  size_t len;
  char text[1]; /* len + 1 bytes */
} prepend;

static hubtok_code
prepend_normalize(const hubtok__normalizer *n, hubtok__nstr *ns,
                  hubtok_error *err)
{
  const prepend *p = (const prepend *)n;
  hubtok_code rc;

  if(ns->len == 0)
    return HUBTOK_OK;
  rc = hubtok__nstr_prepend(ns, p->text, p->len);
  if(rc)
    return hubtok__set_error(err, rc, "Prepend: %s", hubtok_strerror(rc));
  return HUBTOK_OK;
}

static size_t
prepend_memory(const hubtok__normalizer *n)
{
  return sizeof(prepend) + ((const prepend *)n)->len;
}

static void
prepend_destroy(hubtok__normalizer *n)
{
  free(n);
}

static const hubtok__normalizer_ops prepend_ops = {
  prepend_normalize, prepend_memory, prepend_destroy
};

hubtok_code
hubtok__prepend_from_json(const cJSON *j, const char *path,
                          hubtok__normalizer **out, hubtok_error *err)
{
  const char *s;
  size_t len;
  prepend *p;
  hubtok_code rc;

  rc = hubtok__json_str(j, path, "prepend", 1, &s, &len, err);
  if(rc)
    return rc;
  p = malloc(sizeof(*p) + len);
  if(!p)
    return hubtok__set_error(err, HUBTOK_ENOMEM, "out of memory");
  p->base.ops = &prepend_ops;
  p->len = len;
  memcpy(p->text, s, len + 1);
  *out = &p->base;
  return HUBTOK_OK;
}
