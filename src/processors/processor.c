/*
 * processor.c: the post-processor factory (PostProcessorWrapper in
 * tokenizers/src/processors/mod.rs) and the default processing of
 * TokenizerImpl::post_process when there is none (tokenizer/mod.rs).
 */
#include "processors/processor.h"
#include "util/json.h"

#include <string.h>

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
