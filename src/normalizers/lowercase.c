/*
 * lowercase.c: the Lowercase normalizer (Lowercase in tokenizers/src/
 * normalizers/utils.rs): NormalizedString::lowercase(), Rust's
 * char::to_lowercase of every char on its own (so no final-sigma rule;
 * U+0130 becomes two chars, the second one an insertion).
 */
#include "normalizers/normalizer.h"
#include "util/json.h"

#include <stdlib.h>

static hubtok_code
lower_normalize(const hubtok__normalizer *n, hubtok__nstr *ns,
                hubtok_error *err)
{
  hubtok_code rc = hubtok__nstr_lowercase(ns);

  (void)n;
  if(rc)
    return hubtok__set_error(err, rc, "Lowercase: %s", hubtok_strerror(rc));
  return HUBTOK_OK;
}

static size_t
lower_memory(const hubtok__normalizer *n)
{
  (void)n;
  return sizeof(hubtok__normalizer);
}

static void
lower_destroy(hubtok__normalizer *n)
{
  free(n);
}

static const hubtok__normalizer_ops lower_ops = {
  lower_normalize, lower_memory, lower_destroy
};

hubtok_code
hubtok__lowercase_from_json(const cJSON *j, const char *path,
                            hubtok__normalizer **out, hubtok_error *err)
{
  hubtok__normalizer *n;

  (void)j;
  (void)path;
  n = calloc(1, sizeof(*n));
  if(!n)
    return hubtok__set_error(err, HUBTOK_ENOMEM, "out of memory");
  n->ops = &lower_ops;
  *out = n;
  return HUBTOK_OK;
}
