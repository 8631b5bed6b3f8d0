/*
 * roberta.c: RobertaProcessing (tokenizers/src/processors/roberta.rs):
 * optional ByteLevel offset trimming, every type id 0, and with special
 * tokens "<s> A </s>" or "<s> A </s> </s> B </s>" (cls and sep).
 */
#include "processors/processor.h"
#include "util/json.h"

#include <stdlib.h>
#include <string.h>

typedef struct roberta {
  hubtok__processor base;
  hubtok__cls_sep cs; /* as BertProcessing's (bert.c) */
  int trim_offsets;
  int add_prefix_space;
} roberta;

/* Append src with type id 0 and sequence id seq, trimmed if asked. */
static hubtok_code
append_seq(const roberta *r, const hubtok__enc *src, int8_t seq,
           hubtok__enc *out)
{
  size_t from = out->e.n;
  hubtok_code rc = hubtok__enc_append(out, src, 0, seq);

  if(!rc && r->trim_offsets)
    hubtok__byte_level_trim_offsets(out, from, r->add_prefix_space);
  return rc;
}

static hubtok_code
rb_process(const hubtok__processor *p, const hubtok__enc *a,
           const hubtok__enc *b, int add_special, hubtok__enc *out,
           hubtok_error *err)
{
  const roberta *r = (const roberta *)p;
  hubtok_code rc = HUBTOK_OK;

  if(add_special)
    rc = hubtok__cls_sep_push(&r->cs, HUBTOK__CLS, 0, out);
  if(!rc)
    rc = append_seq(r, a, 0, out);
  if(!rc && add_special)
    rc = hubtok__cls_sep_push(&r->cs, HUBTOK__SEP, 0, out);
  if(b) {
    if(!rc && add_special)
      rc = hubtok__cls_sep_push(&r->cs, HUBTOK__SEP, 0, out);
    if(!rc)
      rc = append_seq(r, b, 1, out);
    if(!rc && add_special)
      rc = hubtok__cls_sep_push(&r->cs, HUBTOK__SEP, 0, out);
  }
  if(rc)
    return hubtok__set_error(err, rc, "RobertaProcessing: %s",
                             hubtok_strerror(rc));
  return HUBTOK_OK;
}

static size_t
rb_memory(const hubtok__processor *p)
{
  const roberta *r = (const roberta *)p;
  return sizeof(*r) + hubtok__cls_sep_memory(&r->cs);
}

static void
rb_destroy(hubtok__processor *p)
{
  roberta *r = (roberta *)p;

  hubtok__cls_sep_free(&r->cs);
  free(r);
}

static const hubtok__processor_ops rb_ops = {
  rb_process, rb_memory, rb_destroy, NULL
};

hubtok_code
hubtok__roberta_from_json(const cJSON *j, const char *path,
                          hubtok__processor **out, hubtok_error *err)
{
  roberta *r;
  hubtok_code rc;

  r = calloc(1, sizeof(*r));
  if(!r)
    return hubtok__set_error(err, HUBTOK_ENOMEM, "out of memory");
  r->base.ops = &rb_ops;
  rc = hubtok__cls_sep_from_json(&r->cs, j, path, err);
  if(!rc)
    rc = hubtok__json_bool_req(j, path, "trim_offsets", &r->trim_offsets,
                               err);
  if(!rc)
    rc = hubtok__json_bool_req(j, path, "add_prefix_space",
                               &r->add_prefix_space, err);
  if(rc) {
    rb_destroy(&r->base);
    return rc;
  }
  *out = &r->base;
  return HUBTOK_OK;
}
