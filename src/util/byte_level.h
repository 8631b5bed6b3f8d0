/*
 * byte_level.h: the GPT-2 byte <-> char table of tokenizers/src/
 * pre_tokenizers/byte_level.rs (bytes_char), shared by the ByteLevel
 * pre-tokenizer, normalizer, decoder and post-processor, and the
 * byte-to-char transform of a NormalizedString they apply.
 *
 * All functions are pure (the table is a constant) and thread-safe.
 */
#ifndef HUBTOK_UTIL_BYTE_LEVEL_H
#define HUBTOK_UTIL_BYTE_LEVEL_H

#include "internal.h"
#include "tokenizer/normalized.h"

#include <stdint.h>

/* BYTES_CHAR[b]: the code point standing for byte b. */
uint32_t hubtok__byte_level_char(unsigned char b);

/* CHAR_BYTES: 1 and *b when cp stands for a byte. */
int hubtok__byte_level_byte(uint32_t cp, unsigned char *b);

/* Replace every byte of ns by its char (a two-byte UTF-8 sequence at
 * most), as the transform in ByteLevel::pre_tokenize: the first char of
 * each original char takes the alignment of its first byte, the others
 * the alignment of its last byte. */
hubtok_code hubtok__byte_level_transform(hubtok__nstr *ns)
  HUBTOK__WARN_UNUSED;

#endif /* HUBTOK_UTIL_BYTE_LEVEL_H */
