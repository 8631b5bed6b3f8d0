/*
 * processor.c: the post-processor factory (PostProcessorWrapper in
 * tokenizers/src/processors/mod.rs), Sequence (processors/sequence.rs)
 * and the default processing of TokenizerImpl::post_process when there
 * is none (tokenizer/mod.rs).
 */
#include "processors/processor.h"
#include "util/json.h"

#include <stdlib.h>
#include <string.h>

/* Sequence: every member's process_encodings in turn. Members but the
 * last must rewrite each encoding in place (process_each, e.g.
 * ByteLevel); the last one then builds the final encoding. Other
 * chains (say TemplateProcessing followed by anything) are
 * HUBTOK_EUNSUPPORTED at load. */
typedef struct sequence {
  hubtok__processor base;
  hubtok__processor **items;
  size_t n;
} sequence;

static hubtok_code
seq_process(const hubtok__processor *p, const hubtok__enc *a,
            const hubtok__enc *b, int add_special, hubtok__enc *out,
            hubtok_error *err)
{
  const sequence *s = (const sequence *)p;
  hubtok__enc ca, cb;
  hubtok_code rc = HUBTOK_OK;
  size_t i;

  if(s->n == 0)
    return hubtok__post_process(NULL, a, b, add_special, out, err);
  hubtok__enc_init(&ca, out->ids_only);
  hubtok__enc_init(&cb, out->ids_only);
  rc = hubtok__enc_append(&ca, a, 0, 0);
  if(!rc && b)
    rc = hubtok__enc_append(&cb, b, 1, 1);
  if(rc)
    rc = hubtok__set_error(err, rc, "Sequence: %s", hubtok_strerror(rc));
  for(i = 0; i + 1 < s->n && !rc; i++) {
    const hubtok__processor *it = s->items[i];
    rc = it->ops->process_each(it, &ca, err);
    if(!rc && b)
      rc = it->ops->process_each(it, &cb, err);
  }
  if(!rc)
    rc = s->items[s->n - 1]->ops->process(s->items[s->n - 1], &ca,
                                          b ? &cb : NULL, add_special, out,
                                          err);
  hubtok__enc_free(&ca);
  hubtok__enc_free(&cb);
  return rc;
}

static size_t
seq_memory(const hubtok__processor *p)
{
  const sequence *s = (const sequence *)p;
  size_t i, m = sizeof(*s) + s->n * sizeof(*s->items);

  for(i = 0; i < s->n; i++)
    m += s->items[i]->ops->memory(s->items[i]);
  return m;
}

static void
seq_destroy(hubtok__processor *p)
{
  sequence *s = (sequence *)p;
  size_t i;

  for(i = 0; i < s->n; i++)
    hubtok__processor_free(s->items[i]);
  free(s->items);
  free(s);
}

static hubtok_code
seq_process_each(const hubtok__processor *p, hubtok__enc *enc,
                 hubtok_error *err)
{
  const sequence *s = (const sequence *)p;
  size_t i;

  for(i = 0; i < s->n; i++) {
    hubtok_code rc = s->items[i]->ops->process_each(s->items[i], enc, err);
    if(rc)
      return rc;
  }
  return HUBTOK_OK;
}

static const hubtok__processor_ops seq_ops = {
  seq_process, seq_memory, seq_destroy, NULL
};

/* A Sequence of in-place members is itself in place. */
static const hubtok__processor_ops seq_each_ops = {
  seq_process, seq_memory, seq_destroy, seq_process_each
};

static hubtok_code
sequence_from_json(const cJSON *j, const char *path, int depth,
                   hubtok__processor **out, hubtok_error *err)
{
  char p[HUBTOK__PATH_MAX];
  const cJSON *arr, *it;
  sequence *s;
  size_t i = 0, n;
  int all_each = 1;
  hubtok_code rc = HUBTOK_OK;

  rc = hubtok__json_array(j, path, "processors", &arr, err);
  if(rc)
    return rc;
  hubtok__json_path(p, path, "processors");
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
    hubtok__processor *c = NULL;
    hubtok__json_path_index(ip, p, i++);
    if(hubtok__json_is_null(it)) {
      rc = hubtok__json_bad(err, ip, "expected a post-processor");
      break;
    }
    rc = hubtok__processor_from_json(it, ip, depth + 1, &c, err);
    if(rc)
      break;
    if(!c->ops->process_each) {
      all_each = 0;
      if(i < n) {
        hubtok__processor_free(c);
        rc = hubtok__set_error(err, HUBTOK_EUNSUPPORTED,
                               "%s: only the last post-processor of a "
                               "Sequence may add tokens", ip);
        break;
      }
    }
    s->items[s->n++] = c;
  }
  if(rc) {
    seq_destroy(&s->base);
    return rc;
  }
  if(all_each)
    s->base.ops = &seq_each_ops;
  *out = &s->base;
  return HUBTOK_OK;
}

hubtok_code
hubtok__processor_from_json(const cJSON *j, const char *path, int depth,
                            hubtok__processor **out, hubtok_error *err)
{
  const char *type;
  hubtok_code rc;

  *out = NULL;
  if(hubtok__json_is_null(j))
    return HUBTOK_OK;
  if(depth > HUBTOK__JSON_MAX_DEPTH)
    return hubtok__json_bad(err, path, "processors nested too deeply");
  rc = hubtok__json_type(j, path, &type, err);
  if(rc)
    return rc;
  if(!strcmp(type, "TemplateProcessing"))
    return hubtok__template_from_json(j, path, out, err);
  if(!strcmp(type, "Sequence"))
    return sequence_from_json(j, path, depth, out, err);
  if(!strcmp(type, "ByteLevel"))
    return hubtok__byte_level_processor_from_json(j, path, out, err);
  if(!strcmp(type, "BertProcessing"))
    return hubtok__bert_processor_from_json(j, path, out, err);
  if(!strcmp(type, "RobertaProcessing"))
    return hubtok__roberta_from_json(j, path, out, err);
  return hubtok__json_unsupported(err, path, "post_processor", type);
}

hubtok_code
hubtok__post_process(const hubtok__processor *p, const hubtok__enc *a,
                     const hubtok__enc *b, int add_special_tokens,
                     hubtok__enc *out, hubtok_error *err)
{
  hubtok_code rc;
  size_t i;

  if(p)
    return p->ops->process(p, a, b, add_special_tokens, out, err);
  /* default_process: one sequence stays as it is (sequence id 0); two
   * are concatenated with sequence ids 0 and 1, type ids untouched. */
  if(out->ids_only) {
    rc = hubtok__enc_append(out, a, 0, 0);
    if(!rc && b)
      rc = hubtok__enc_append(out, b, 0, 1);
    return rc ? hubtok__set_error(err, rc, "post-processing: %s",
                                  hubtok_strerror(rc)) : HUBTOK_OK;
  }
  rc = HUBTOK_OK;
  for(i = 0; i < a->e.n && !rc; i++)
    rc = hubtok__enc_push(out, a->e.ids[i], a->toks.p + a->e.token_off[i],
                          a->e.token_off[i + 1] - a->e.token_off[i],
                          a->e.type_ids[i], a->e.special_mask[i], 0,
                          a->e.word_ids[i], a->e.offsets[2 * i],
                          a->e.offsets[2 * i + 1]);
  for(i = 0; b && i < b->e.n && !rc; i++)
    rc = hubtok__enc_push(out, b->e.ids[i], b->toks.p + b->e.token_off[i],
                          b->e.token_off[i + 1] - b->e.token_off[i],
                          b->e.type_ids[i], b->e.special_mask[i], 1,
                          b->e.word_ids[i], b->e.offsets[2 * i],
                          b->e.offsets[2 * i + 1]);
  if(rc)
    return hubtok__set_error(err, rc, "post-processing: %s",
                             hubtok_strerror(rc));
  return HUBTOK_OK;
}

size_t
hubtok__processor_memory(const hubtok__processor *p)
{
  return p ? p->ops->memory(p) : 0;
}

void
hubtok__processor_free(hubtok__processor *p)
{
  if(p)
    p->ops->destroy(p);
}
