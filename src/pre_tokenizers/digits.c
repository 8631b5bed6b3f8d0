/*
 * digits.c: the Digits pre-tokenizer (tokenizers/src/pre_tokenizers/
 * digits.rs): split on numeric chars (char::is_numeric: Nd, Nl, No),
 * each one on its own with individual_digits, else runs kept together
 * ("Contiguous").
 */
#include "pre_tokenizers/pre_tokenizer.h"
#include "util/json.h"
#include "util/unicode.h"

#include <stdlib.h>

typedef struct digits {
  hubtok__pre_tokenizer base;
  int individual;
} digits;

static int
is_num(uint32_t cp, const void *ctx)
{
  (void)ctx;
  return hubtok__uni_is_numeric(cp);
}

static hubtok_code
split_one(const void *ctx, size_t i, hubtok__nstr *ns, hubtok__pretok *out,
          hubtok_error *err)
{
  const digits *d = ctx;

  (void)i;
  return hubtok__nstr_split_chars(ns, is_num, NULL,
                                  d->individual ? HUBTOK__SPLIT_ISOLATED :
                                  HUBTOK__SPLIT_CONTIGUOUS, out, err);
}

static hubtok_code
digits_pre_tokenize(const hubtok__pre_tokenizer *p, hubtok__pretok *pt,
                    hubtok_error *err)
{
  return hubtok__pretok_split(pt, split_one, p, err);
}

static size_t
digits_memory(const hubtok__pre_tokenizer *p)
{
  (void)p;
  return sizeof(digits);
}

static void
digits_destroy(hubtok__pre_tokenizer *p)
{
  free(p);
}

static const hubtok__pre_tokenizer_ops digits_ops = {
  digits_pre_tokenize, digits_memory, digits_destroy, NULL
};

hubtok_code
hubtok__digits_pre_from_json(const cJSON *j, const char *path,
                             hubtok__pre_tokenizer **out, hubtok_error *err)
{
  char p[HUBTOK__PATH_MAX];
  digits *d;
  int ind;
  hubtok_code rc;

  if(hubtok__json_is_null(hubtok__json_get(j, "individual_digits"))) {
    hubtok__json_path(p, path, "individual_digits");
    return hubtok__json_bad(err, p, "missing field");
  }
  rc = hubtok__json_bool(j, path, "individual_digits", 0, &ind, err);
  if(rc)
    return rc;
  d = calloc(1, sizeof(*d));
  if(!d)
    return hubtok__set_error(err, HUBTOK_ENOMEM, "out of memory");
  d->base.ops = &digits_ops;
  d->individual = ind;
  *out = &d->base;
  return HUBTOK_OK;
}
