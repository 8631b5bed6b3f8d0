/*
 * spm_model.h: a bounded reader for SentencePiece's ModelProto
 * (sentencepiece_model.proto: tokenizer.model / spiece.model /
 * sentencepiece.bpe.model), reading only what transformers' converters
 * use: the pieces (piece, score, type), trainer_spec (model_type,
 * byte_fallback, unk/bos/eos/pad ids and pieces) and normalizer_spec
 * (precompiled_charsmap, add_dummy_prefix). Unknown fields are skipped;
 * malformed wire data is HUBTOK_ETOKENIZER, never a crash.
 *
 * Ownership: the model owns its pieces and strings; free with
 * hubtok__spm_model_free(). Thread safety: plain data.
 */
#ifndef HUBTOK_CONVERT_SPM_MODEL_H
#define HUBTOK_CONVERT_SPM_MODEL_H

#include "internal.h"

#include <stdint.h>

/* Largest model file accepted. */
#define HUBTOK__SPM_FILE_MAX ((size_t)256 << 20)

/* SentencePiece.Type */
enum {
  HUBTOK__SPM_NORMAL = 1,
  HUBTOK__SPM_UNKNOWN = 2,
  HUBTOK__SPM_CONTROL = 3,
  HUBTOK__SPM_USER_DEFINED = 4,
  HUBTOK__SPM_UNUSED = 5,
  HUBTOK__SPM_BYTE = 6
};

/* TrainerSpec.ModelType */
enum {
  HUBTOK__SPM_UNIGRAM = 1,
  HUBTOK__SPM_BPE = 2,
  HUBTOK__SPM_WORD = 3,
  HUBTOK__SPM_CHAR = 4
};

typedef struct hubtok__spm_piece {
  const char *s; /* NUL-terminated, valid UTF-8 */
  size_t len;
  float score;
  int type;
} hubtok__spm_piece;

typedef struct hubtok__spm_model {
  hubtok__spm_piece *pieces;
  size_t n;
  char *arena;          /* the piece strings */
  int model_type;       /* default UNIGRAM */
  int byte_fallback;    /* default 0 */
  int32_t unk_id;       /* default 0 */
  int32_t bos_id;       /* default 1 */
  int32_t eos_id;       /* default 2 */
  int32_t pad_id;       /* default -1 */
  char unk_piece[256];  /* default "<unk>" */
  unsigned char *charsmap; /* precompiled_charsmap, NULL when empty */
  size_t charsmap_len;
  int add_dummy_prefix; /* default 1 */
} hubtok__spm_model;

/* Parse data[0..len). `name` names the file in messages. */
hubtok_code hubtok__spm_model_parse(const unsigned char *data, size_t len,
                                    const char *name, hubtok__spm_model *m,
                                    hubtok_error *err) HUBTOK__WARN_UNUSED;

/* NULL-safe. */
void hubtok__spm_model_free(hubtok__spm_model *m);

#endif /* HUBTOK_CONVERT_SPM_MODEL_H */
