/*
 * processor.h: the post-processor stage (tokenizers/src/processors/
 * mod.rs): merges the encodings of the sequence (and pair) and adds the
 * special tokens of the template.
 *
 * Processors are immutable after hubtok__processor_from_json(); process()
 * may run from several threads at once. Free with
 * hubtok__processor_free().
 */
#ifndef HUBTOK_PROCESSORS_PROCESSOR_H
#define HUBTOK_PROCESSORS_PROCESSOR_H

#include "internal.h"
#include "tokenizer/encoding.h"

struct cJSON;

typedef struct hubtok__processor hubtok__processor;

typedef struct hubtok__processor_ops {
  /* Append to `out` the final encoding built from a and b (b may be
   * NULL). a and b are read only. */
  hubtok_code (*process)(const hubtok__processor *p, const hubtok__enc *a,
                         const hubtok__enc *b, int add_special_tokens,
                         hubtok__enc *out, hubtok_error *err);
  size_t (*memory)(const hubtok__processor *p);
  void (*destroy)(hubtok__processor *p);
  /* Optional (NULL otherwise): for processors whose process_encodings
   * only rewrites each encoding in place (ByteLevel), that step on one
   * encoding. A Sequence runs it for every member but the last. */
  hubtok_code (*process_each)(const hubtok__processor *p,
                              hubtok__enc *enc, hubtok_error *err);
} hubtok__processor_ops;

struct hubtok__processor {
  const hubtok__processor_ops *ops;
};

/* Build from tokenizer.json "post_processor"; JSON null gives *out NULL
 * (no post-processor). Unknown types: HUBTOK_EUNSUPPORTED. */
hubtok_code hubtok__processor_from_json(const struct cJSON *j,
                                        const char *path, int depth,
                                        hubtok__processor **out,
                                        hubtok_error *err);

/* Component factories. */
hubtok_code hubtok__template_from_json(const struct cJSON *j,
                                       const char *path,
                                       hubtok__processor **out,
                                       hubtok_error *err);
hubtok_code hubtok__byte_level_processor_from_json(const struct cJSON *j,
                                                   const char *path,
                                                   hubtok__processor **out,
                                                   hubtok_error *err);
hubtok_code hubtok__bert_processor_from_json(const struct cJSON *j,
                                             const char *path,
                                             hubtok__processor **out,
                                             hubtok_error *err);
/* The special tokens of BertProcessing and RobertaProcessing (bert.c):
 * "sep" and "cls", each ["token", id]. Owned by the processor holding
 * it: hubtok__cls_sep_free(). */
typedef struct hubtok__cls_sep {
  char *tok[2]; /* HUBTOK__SEP, HUBTOK__CLS */
  size_t len[2];
  uint32_t id[2];
} hubtok__cls_sep;
#define HUBTOK__SEP 0
#define HUBTOK__CLS 1
hubtok_code hubtok__cls_sep_from_json(hubtok__cls_sep *cs,
                                      const struct cJSON *j,
                                      const char *path, hubtok_error *err)
  HUBTOK__WARN_UNUSED;
/* Append special token `which` (special mask 1, no sequence, no word). */
hubtok_code hubtok__cls_sep_push(const hubtok__cls_sep *cs, int which,
                                 uint32_t type_id, hubtok__enc *out)
  HUBTOK__WARN_UNUSED;
size_t hubtok__cls_sep_memory(const hubtok__cls_sep *cs);
void hubtok__cls_sep_free(hubtok__cls_sep *cs);

hubtok_code hubtok__roberta_from_json(const struct cJSON *j,
                                      const char *path,
                                      hubtok__processor **out,
                                      hubtok_error *err);

/* ByteLevel's process_offsets on the tokens [from, enc->e.n) of enc:
 * leading and trailing spaces (U+0120 or White_Space chars) of each
 * token are cut from its offsets (processors/byte_level.c). */
void hubtok__byte_level_trim_offsets(hubtok__enc *enc, size_t from,
                                     int add_prefix_space);

/* Run p, or the default (concatenate, sequence ids 0 and 1) when p is
 * NULL. The sequence encodings carry type ids 0 (a) and 1 (b). */
hubtok_code hubtok__post_process(const hubtok__processor *p,
                                 const hubtok__enc *a, const hubtok__enc *b,
                                 int add_special_tokens, hubtok__enc *out,
                                 hubtok_error *err);

size_t hubtok__processor_memory(const hubtok__processor *p);

/* NULL-safe. */
void hubtok__processor_free(hubtok__processor *p);

#endif /* HUBTOK_PROCESSORS_PROCESSOR_H */
