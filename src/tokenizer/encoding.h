/*
 * encoding.h: a growable encoding (tokenizers/src/tokenizer/encoding.rs)
 * used while encoding, turned into the public hubtok_encoding at the end.
 *
 * Ownership: a hubtok__enc owns its arrays until hubtok__enc_finish()
 * moves them into a hubtok_encoding (caller frees with
 * hubtok_encoding_free()). Thread safety: per-call data.
 */
#ifndef HUBTOK_TOKENIZER_ENCODING_H
#define HUBTOK_TOKENIZER_ENCODING_H

#include "internal.h"
#include "util/buf.h"

#include <stdint.h>

/* Most tokens in one encoding. */
#define HUBTOK__ENC_MAX ((size_t)1 << 28)

typedef struct hubtok__enc {
  hubtok_encoding e; /* e.n entries; e.token_off has e.n + 1 */
  size_t cap;
  hubtok__buf toks;  /* token strings back to back */
  int ids_only;      /* only e.ids is kept; the other arrays are NULL */
} hubtok__enc;

/* Cannot fail. ids_only: push and append keep the ids alone (for
 * hubtok_encode_ids: no token strings, offsets or word ids); code that
 * reads the other arrays checks enc->ids_only first. */
void hubtok__enc_init(hubtok__enc *enc, int ids_only);

/* Append one token. */
hubtok_code hubtok__enc_push(hubtok__enc *enc, uint32_t id, const char *tok,
                             size_t tok_len, uint32_t type_id,
                             uint8_t special, int8_t seq, int32_t word,
                             size_t start, size_t end) HUBTOK__WARN_UNUSED;

/* Append all of src; type_id and seq replace src's values. */
hubtok_code hubtok__enc_append(hubtok__enc *dst, const hubtok__enc *src,
                               uint32_t type_id, int8_t seq)
  HUBTOK__WARN_UNUSED;

/* Move the contents into a new hubtok_encoding (*out owned by the
 * caller); enc is left empty. With ids_only, *out has n and ids alone. */
hubtok_code hubtok__enc_finish(hubtok__enc *enc, hubtok_encoding **out)
  HUBTOK__WARN_UNUSED;

/* Free the contents; enc can be reused after hubtok__enc_init(). */
void hubtok__enc_free(hubtok__enc *enc);

#endif /* HUBTOK_TOKENIZER_ENCODING_H */
