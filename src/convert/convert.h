/*
 * convert.h: tokenizers for repos without tokenizer.json, built as
 * transformers' convert_slow_tokenizer.py builds them. Each converter
 * writes the tokenizer.json that the Python converter would produce (as a
 * cJSON tree) and the regular loader builds the tokenizer from it, so the
 * converted and the serialised forms go through one code path.
 *
 * Converters (one file each):
 *   wordpiece.c      vocab.txt                 BertConverter and kin
 *   bpe_files.c      vocab.json + merges.txt   GPT2Converter, Roberta,
 *                                              Whisper, ...
 *   sentencepiece.c  *.model (protobuf)        LlamaConverter, T5,
 *                                              XLMRoberta, ...
 * Ownership: on success *out is a new cJSON tree the caller frees with
 * cJSON_Delete(); on failure *out is NULL and err says why.
 */
#ifndef HUBTOK_CONVERT_CONVERT_H
#define HUBTOK_CONVERT_CONVERT_H

#include "internal.h"

struct cJSON;

hubtok_code hubtok__convert_wordpiece(const hubtok_legacy_files *files,
                                      struct cJSON **out, hubtok_error *err);
hubtok_code hubtok__convert_bpe_files(const hubtok_legacy_files *files,
                                      struct cJSON **out, hubtok_error *err);
hubtok_code hubtok__convert_sentencepiece(const hubtok_legacy_files *files,
                                          struct cJSON **out,
                                          hubtok_error *err);

/* Read an optional JSON object file (tokenizer_config.json, vocab.json,
 * ...): a NULL path gives *out NULL and HUBTOK_OK. Errors name the file.
 * On success the caller frees *out with cJSON_Delete(). */
hubtok_code hubtok__convert_read_json(const char *path, struct cJSON **out,
                                      hubtok_error *err);

/* Build a tokenizer from a tokenizer.json tree (tokenizer.c). The tree
 * stays owned by the caller. */
hubtok_code hubtok__tokenizer_from_cjson(const struct cJSON *root,
                                         hubtok_tokenizer **out,
                                         hubtok_error *err);

#endif /* HUBTOK_CONVERT_CONVERT_H */
