/*
 * unicode.c: the NFD, NFKD, NFC and NFKC normalizers (tokenizers/src/
 * normalizers/unicode.rs): NormalizedString::nfd() and friends, whose
 * alignments follow unicode-normalization-alignments (util/unicode.c).
 */
#include "normalizers/normalizer.h"
#include "util/json.h"

#include <stdlib.h>
#include <string.h>

typedef struct unf {
  hubtok__normalizer base;
  hubtok__nf form;
} unf;

static const char *const NAMES[] = { "NFD", "NFKD", "NFC", "NFKC" };

static hubtok_code
unf_normalize(const hubtok__normalizer *n, hubtok__nstr *ns,
              hubtok_error *err)
{
  const unf *u = (const unf *)n;
  hubtok_code rc = hubtok__nstr_nf(ns, u->form);

  if(rc)
    return hubtok__set_error(err, rc, "%s: %s", NAMES[u->form],
                             hubtok_strerror(rc));
  return HUBTOK_OK;
}

static size_t
unf_memory(const hubtok__normalizer *n)
{
  (void)n;
  return sizeof(unf);
}

static void
unf_destroy(hubtok__normalizer *n)
{
  free(n);
}

static const hubtok__normalizer_ops unf_ops = {
  unf_normalize, unf_memory, unf_destroy
};

hubtok_code
hubtok__unicode_normalizer_from_json(const cJSON *j, const char *path,
                                     const char *type,
                                     hubtok__normalizer **out,
                                     hubtok_error *err)
{
  unf *u;
  size_t i;

  for(i = 0; i < 4; i++) {
    if(!strcmp(type, NAMES[i]))
      break;
  }
  if(i == 4)
    return hubtok__json_unsupported(err, path, "normalizer", type);
  (void)j;
  u = calloc(1, sizeof(*u));
  if(!u)
    return hubtok__set_error(err, HUBTOK_ENOMEM, "out of memory");
  u->base.ops = &unf_ops;
  u->form = (hubtok__nf)i;
  *out = &u->base;
  return HUBTOK_OK;
}
