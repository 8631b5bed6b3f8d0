/*
 * normalizer.c: the normalizer factory (a switch on "type", as
 * NormalizerWrapper in tokenizers/src/normalizers/mod.rs) and Sequence
 * (tokenizers/src/normalizers/utils.rs).
 */
#include "normalizers/normalizer.h"
#include "util/json.h"

#include <stdlib.h>
#include <string.h>

typedef struct sequence {
  hubtok__normalizer base;
  hubtok__normalizer **items;
  size_t n;
} sequence;

static hubtok_code
seq_normalize(const hubtok__normalizer *n, hubtok__nstr *ns,
              hubtok_error *err)
{
  const sequence *s = (const sequence *)n;
  size_t i;

  for(i = 0; i < s->n; i++) {
    hubtok_code rc = s->items[i]->ops->normalize(s->items[i], ns, err);
    if(rc)
      return rc;
  }
  return HUBTOK_OK;
}

static size_t
seq_memory(const hubtok__normalizer *n)
{
  const sequence *s = (const sequence *)n;
  size_t i, m = sizeof(*s) + s->n * sizeof(*s->items);

  for(i = 0; i < s->n; i++)
    m += s->items[i]->ops->memory(s->items[i]);
  return m;
}

static void
seq_destroy(hubtok__normalizer *n)
{
  sequence *s = (sequence *)n;
  size_t i;

  for(i = 0; i < s->n; i++)
    hubtok__normalizer_free(s->items[i]);
  free(s->items);
  free(s);
}

static const hubtok__normalizer_ops seq_ops = {
  seq_normalize, seq_memory, seq_destroy
};

static hubtok_code
sequence_from_json(const cJSON *j, const char *path, int depth,
                   hubtok__normalizer **out, hubtok_error *err)
{
  char p[HUBTOK__PATH_MAX];
  const cJSON *arr, *it;
  sequence *s;
  size_t i = 0, n;
  hubtok_code rc;

  rc = hubtok__json_array(j, path, "normalizers", &arr, err);
  if(rc)
    return rc;
  hubtok__json_path(p, path, "normalizers");
  n = (size_t)cJSON_GetArraySize(arr);
  s = calloc(1, sizeof(*s));
  if(s)
    s->items = calloc(n ? n : 1, sizeof(*s->items));
  if(!s || !s->items) {
    free(s);
    return hubtok__set_error(err, HUBTOK_ENOMEM, "out of memory");
  }
  s->base.ops = &seq_ops;
  cJSON_ArrayForEach(it, arr) {
    char ip[HUBTOK__PATH_MAX];
    hubtok__normalizer *c = NULL;
    hubtok__json_path_index(ip, p, i++);
    if(hubtok__json_is_null(it)) {
      rc = hubtok__json_bad(err, ip, "expected a normalizer");
      break;
    }
    rc = hubtok__normalizer_from_json(it, ip, depth + 1, &c, err);
    if(rc)
      break;
    s->items[s->n++] = c;
  }
  if(rc) {
    seq_destroy(&s->base);
    return rc;
  }
  *out = &s->base;
  return HUBTOK_OK;
}

hubtok_code
hubtok__normalizer_from_json(const cJSON *j, const char *path, int depth,
                             hubtok__normalizer **out, hubtok_error *err)
{
  const char *type;
  hubtok_code rc;

  *out = NULL;
  if(hubtok__json_is_null(j))
    return HUBTOK_OK;
  if(depth > HUBTOK__JSON_MAX_DEPTH)
    return hubtok__json_bad(err, path, "normalizers nested too deeply");
  rc = hubtok__json_type(j, path, &type, err);
  if(rc)
    return rc;
  if(!strcmp(type, "Sequence"))
    return sequence_from_json(j, path, depth, out, err);
  if(!strcmp(type, "Prepend"))
    return hubtok__prepend_from_json(j, path, out, err);
  if(!strcmp(type, "Replace"))
    return hubtok__replace_normalizer_from_json(j, path, out, err);
  if(!strcmp(type, "Precompiled"))
    return hubtok__precompiled_from_json(j, path, out, err);
  if(!strcmp(type, "NFD") || !strcmp(type, "NFKD") ||
     !strcmp(type, "NFC") || !strcmp(type, "NFKC"))
    return hubtok__unicode_normalizer_from_json(j, path, type, out, err);
  if(!strcmp(type, "Lowercase"))
    return hubtok__lowercase_from_json(j, path, out, err);
  if(!strcmp(type, "Strip"))
    return hubtok__strip_normalizer_from_json(j, path, out, err);
  if(!strcmp(type, "StripAccents"))
    return hubtok__strip_accents_from_json(j, path, out, err);
  if(!strcmp(type, "BertNormalizer"))
    return hubtok__bert_normalizer_from_json(j, path, out, err);
  if(!strcmp(type, "ByteLevel"))
    return hubtok__byte_level_normalizer_from_json(j, path, out, err);
  return hubtok__json_unsupported(err, path, "normalizer", type);
}

hubtok_code
hubtok__normalize(const hubtok__normalizer *n, hubtok__nstr *ns,
                  hubtok_error *err)
{
  if(!n)
    return HUBTOK_OK;
  return n->ops->normalize(n, ns, err);
}

size_t
hubtok__normalizer_memory(const hubtok__normalizer *n)
{
  return n ? n->ops->memory(n) : 0;
}

void
hubtok__normalizer_free(hubtok__normalizer *n)
{
  if(n)
    n->ops->destroy(n);
}
