/*
 * added_vocab.h: the added tokens of a tokenizer (tokenizers/src/
 * tokenizer/added_vocabulary.rs): their ids, which are special, and the
 * split of an input on them before the model sees it.
 *
 * Built once by hubtok__added_vocab_from_json(); immutable after, so
 * lookups and hubtok__added_vocab_extract() are thread-safe. Free with
 * hubtok__added_vocab_free().
 */
#ifndef HUBTOK_TOKENIZER_ADDED_VOCAB_H
#define HUBTOK_TOKENIZER_ADDED_VOCAB_H

#include "internal.h"
#include "models/model.h"
#include "normalizers/normalizer.h"
#include "pre_tokenizers/pre_tokenizer.h"

struct cJSON;

typedef struct hubtok__added_vocab hubtok__added_vocab;

/* Build from tokenizer.json "added_tokens" (`j` may be absent/null: no
 * added tokens) as Rust's AddedVocabulary::add_tokens: ids come from the
 * model vocabulary when the content is there, else new ids after it
 * (the "id" members are checked for type only). Normalized tokens are
 * matched in their normalized form. *out owned by the caller. */
hubtok_code hubtok__added_vocab_from_json(const struct cJSON *j,
                                          const char *path,
                                          const hubtok__model *model,
                                          const hubtok__normalizer *norm,
                                          hubtok__added_vocab **out,
                                          hubtok_error *err);

/* extract_and_normalize: split text[0..len) on the non-normalized added
 * tokens, normalize the other pieces with `norm`, split those on the
 * normalized added tokens. Empty pieces are dropped. `out` (empty,
 * zeroed) receives the splits; the caller frees it. */
hubtok_code hubtok__added_vocab_extract(const hubtok__added_vocab *av,
                                        const hubtok__normalizer *norm,
                                        const char *text, size_t len,
                                        hubtok__pretok *out,
                                        hubtok_error *err);

/* 1 and *id when s is an added token's content. */
int hubtok__added_vocab_token_to_id(const hubtok__added_vocab *av,
                                    const char *s, size_t len,
                                    uint32_t *id);

/* Content of the added token with this id (its normalized form when it
 * is a normalized token that normalization changes), or NULL. Borrowed
 * from av. */
const char *hubtok__added_vocab_id_to_token(const hubtok__added_vocab *av,
                                            uint32_t id, size_t *len);

/* 1 when s is the content of a special added token. */
int hubtok__added_vocab_is_special(const hubtok__added_vocab *av,
                                   const char *s, size_t len);

/* Distinct contents, and how many of them the model also has. */
size_t hubtok__added_vocab_len(const hubtok__added_vocab *av);
size_t hubtok__added_vocab_in_model(const hubtok__added_vocab *av);

/* The i-th added token by ascending id (one per id). */
size_t hubtok__added_vocab_count(const hubtok__added_vocab *av);
int hubtok__added_vocab_get(const hubtok__added_vocab *av, size_t i,
                            hubtok_added_token *out);

size_t hubtok__added_vocab_memory(const hubtok__added_vocab *av);

/* NULL-safe. */
void hubtok__added_vocab_free(hubtok__added_vocab *av);

#endif /* HUBTOK_TOKENIZER_ADDED_VOCAB_H */
