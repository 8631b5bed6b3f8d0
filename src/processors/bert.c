/*
 * bert.c: BertProcessing (tokenizers/src/processors/bert.rs). With
 * special tokens: "[CLS] A [SEP]" (type ids 0) and, for a pair,
 * "B [SEP]" after it with type id 1. Without: the default processing.
 * As in Rust (sequence_ranges {0: A} and {1: B}), tokens of A have
 * sequence id 0, tokens of B 1, and the special tokens none (-1).
 *
 * tokenizer.json: {"type": "BertProcessing", "sep": ["[SEP]", 102],
 * "cls": ["[CLS]", 101]}.
 */
#include "processors/processor.h"
#include "util/json.h"

#include <stdlib.h>
#include <string.h>

typedef struct bertproc {
  hubtok__processor base;
  char *tok[2];      /* 0 sep, 1 cls */
  size_t len[2];
  uint32_t id[2];
} bertproc;

static hubtok_code
push_special(const bertproc *b, int which, uint32_t type_id,
             hubtok__enc *out)
{
  return hubtok__enc_push(out, b->id[which], b->tok[which], b->len[which],
                          type_id, 1, -1, -1, 0, 0);
}

static hubtok_code
bp_process(const hubtok__processor *p, const hubtok__enc *a,
           const hubtok__enc *b, int add_special, hubtok__enc *out,
           hubtok_error *err)
{
  const bertproc *bp = (const bertproc *)p;
  hubtok_code rc;

  if(!add_special)
    return hubtok__post_process(NULL, a, b, 0, out, err);
  rc = push_special(bp, 1, 0, out);
  if(!rc)
    rc = hubtok__enc_append(out, a, 0, 0);
  if(!rc)
    rc = push_special(bp, 0, 0, out);
  if(b) {
    if(!rc)
      rc = hubtok__enc_append(out, b, 1, 1);
    if(!rc)
      rc = push_special(bp, 0, 1, out);
  }
  if(rc)
    return hubtok__set_error(err, rc, "BertProcessing: %s",
                             hubtok_strerror(rc));
  return HUBTOK_OK;
}

static size_t
bp_memory(const hubtok__processor *p)
{
  const bertproc *b = (const bertproc *)p;
  return sizeof(*b) + b->len[0] + b->len[1] + 2;
}

static void
bp_destroy(hubtok__processor *p)
{
  bertproc *b = (bertproc *)p;

  free(b->tok[0]);
  free(b->tok[1]);
  free(b);
}

static const hubtok__processor_ops bp_ops = {
  bp_process, bp_memory, bp_destroy, NULL
};

/* "sep" / "cls": ["token", id] */
static hubtok_code
load_pair(bertproc *b, int which, const cJSON *j, const char *path,
          const char *key, hubtok_error *err)
{
  char p[HUBTOK__PATH_MAX], ip[HUBTOK__PATH_MAX];
  const cJSON *v = hubtok__json_get(j, key);
  const char *s;
  size_t len;
  hubtok_code rc;

  hubtok__json_path(p, path, key);
  if(!v || !cJSON_IsArray(v) || cJSON_GetArraySize(v) != 2)
    return hubtok__json_bad(err, p, "expected [token, id]");
  hubtok__json_path_index(ip, p, 0);
  rc = hubtok__json_as_str(cJSON_GetArrayItem(v, 0), ip, &s, &len, err);
  if(rc)
    return rc;
  hubtok__json_path_index(ip, p, 1);
  rc = hubtok__json_as_u32(cJSON_GetArrayItem(v, 1), ip, &b->id[which],
                           err);
  if(rc)
    return rc;
  b->tok[which] = malloc(len + 1);
  if(!b->tok[which])
    return hubtok__set_error(err, HUBTOK_ENOMEM, "out of memory");
  memcpy(b->tok[which], s, len);
  b->tok[which][len] = 0;
  b->len[which] = len;
  return HUBTOK_OK;
}

hubtok_code
hubtok__bert_processor_from_json(const cJSON *j, const char *path,
                                 hubtok__processor **out, hubtok_error *err)
{
  bertproc *b;
  hubtok_code rc;

  b = calloc(1, sizeof(*b));
  if(!b)
    return hubtok__set_error(err, HUBTOK_ENOMEM, "out of memory");
  b->base.ops = &bp_ops;
  rc = load_pair(b, 0, j, path, "sep", err);
  if(!rc)
    rc = load_pair(b, 1, j, path, "cls", err);
  if(rc) {
    bp_destroy(&b->base);
    return rc;
  }
  *out = &b->base;
  return HUBTOK_OK;
}
