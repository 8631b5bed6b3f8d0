/*
 * bert.c: BertProcessing (tokenizers/src/processors/bert.rs), and the
 * cls/sep pair it shares with RobertaProcessing (roberta.c). With
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
  hubtok__cls_sep cs;
} bertproc;

hubtok_code
hubtok__cls_sep_push(const hubtok__cls_sep *cs, int which, uint32_t type_id,
                     hubtok__enc *out)
{
  return hubtok__enc_push(out, cs->id[which], cs->tok[which],
                          cs->len[which], type_id, 1, -1, -1, 0, 0);
}

size_t
hubtok__cls_sep_memory(const hubtok__cls_sep *cs)
{
  return cs->len[0] + cs->len[1] + 2;
}

void
hubtok__cls_sep_free(hubtok__cls_sep *cs)
{
  free(cs->tok[0]);
  free(cs->tok[1]);
  memset(cs, 0, sizeof(*cs));
}

/* "sep" / "cls": ["token", id] */
static hubtok_code
load_pair(hubtok__cls_sep *cs, int which, const cJSON *j, const char *path,
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
  rc = hubtok__json_as_u32(cJSON_GetArrayItem(v, 1), ip, &cs->id[which],
                           err);
  if(rc)
    return rc;
  cs->tok[which] = malloc(len + 1);
  if(!cs->tok[which])
    return hubtok__set_error(err, HUBTOK_ENOMEM, "out of memory");
  memcpy(cs->tok[which], s, len);
  cs->tok[which][len] = 0;
  cs->len[which] = len;
  return HUBTOK_OK;
}

hubtok_code
hubtok__cls_sep_from_json(hubtok__cls_sep *cs, const cJSON *j,
                          const char *path, hubtok_error *err)
{
  hubtok_code rc = load_pair(cs, HUBTOK__SEP, j, path, "sep", err);

  if(!rc)
    rc = load_pair(cs, HUBTOK__CLS, j, path, "cls", err);
  return rc;
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
  rc = hubtok__cls_sep_push(&bp->cs, HUBTOK__CLS, 0, out);
  if(!rc)
    rc = hubtok__enc_append(out, a, 0, 0);
  if(!rc)
    rc = hubtok__cls_sep_push(&bp->cs, HUBTOK__SEP, 0, out);
  if(b) {
    if(!rc)
      rc = hubtok__enc_append(out, b, 1, 1);
    if(!rc)
      rc = hubtok__cls_sep_push(&bp->cs, HUBTOK__SEP, 1, out);
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
  return sizeof(*b) + hubtok__cls_sep_memory(&b->cs);
}

static void
bp_destroy(hubtok__processor *p)
{
  bertproc *b = (bertproc *)p;

  hubtok__cls_sep_free(&b->cs);
  free(b);
}

static const hubtok__processor_ops bp_ops = {
  bp_process, bp_memory, bp_destroy, NULL
};

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
  rc = hubtok__cls_sep_from_json(&b->cs, j, path, err);
  if(rc) {
    bp_destroy(&b->base);
    return rc;
  }
  *out = &b->base;
  return HUBTOK_OK;
}
