/* HUBTOK_PRETOK_API_READY */
/*
 * pre_tokenizer.h: the pre-tokenizer stage and the PreTokenizedString it
 * works on (tokenizers/src/tokenizer/pre_tokenizer.rs,
 * tokenizers/src/pre_tokenizers/mod.rs), plus NormalizedString::split
 * and Pattern::find_matches (tokenizers/src/tokenizer/normalizer.rs,
 * tokenizers/src/tokenizer/pattern.rs) that pre-tokenizers are built on.
 *
 * A hubtok__pretok is a list of splits; each split is a NormalizedString
 * (alignments to the original, so offsets survive) and, for added tokens
 * found in the text, the token id already assigned. Pre-tokenizers only
 * touch splits without an assigned token.
 *
 * Writing a pre-tokenizer (one file per component, e.g. whitespace.c):
 *   - a factory hubtok__<name>_from_json() declared below and one
 *     strcmp line in hubtok__pre_tokenizer_from_json();
 *   - pre_tokenize() calls hubtok__pretok_split() with a callback that
 *     appends the pieces of one split, usually with
 *     hubtok__nstr_split_pattern() or hubtok__nstr_split_chars(), and/or
 *     hubtok__pretok_normalize() to rewrite each split in place.
 *
 * Pre-tokenizers are immutable after hubtok__pre_tokenizer_from_json();
 * pre_tokenize() may run from several threads at once. A hubtok__pretok
 * and a hubtok__segs are per-call data owned by their creator:
 * hubtok__pretok_free(), hubtok__segs_free().
 */
#ifndef HUBTOK_PRE_TOKENIZERS_PRE_TOKENIZER_H
#define HUBTOK_PRE_TOKENIZERS_PRE_TOKENIZER_H

#include "internal.h"
#include "tokenizer/normalized.h"
#include "util/regex.h"

#include <stdint.h>

struct cJSON;

typedef struct hubtok__split {
  hubtok__nstr ns;
  int added;         /* 1: an added token, id in added_id */
  uint32_t added_id;
} hubtok__split;

typedef struct hubtok__pretok {
  hubtok__split *v;
  size_t n;
  size_t cap;
} hubtok__pretok;

/* Append a split, taking over *ns (left empty) even on failure. */
hubtok_code hubtok__pretok_push(hubtok__pretok *pt, hubtok__nstr *ns,
                                int added, uint32_t added_id)
  HUBTOK__WARN_UNUSED;

/* Free every split and the list. */
void hubtok__pretok_free(hubtok__pretok *pt);

/* PreTokenizedString::split. For every split i without an assigned
 * token, fn(ctx, i, ns, out, err) appends the pieces of ns, in order, to
 * `out` (with hubtok__pretok_push, added = 0); fn may take ns over with
 * hubtok__nstr_move or leave it (it is freed). Splits with a token are
 * kept as they are. Empty pieces are dropped, as in Rust. On failure pt
 * is left valid (possibly partly split). */
typedef hubtok_code (*hubtok__split_fn)(const void *ctx, size_t i,
                                        hubtok__nstr *ns,
                                        hubtok__pretok *out,
                                        hubtok_error *err);
hubtok_code hubtok__pretok_split(hubtok__pretok *pt, hubtok__split_fn fn,
                                 const void *ctx, hubtok_error *err)
  HUBTOK__WARN_UNUSED;

/* PreTokenizedString::normalize: fn rewrites every split without an
 * assigned token in place. */
typedef hubtok_code (*hubtok__normalize_fn)(const void *ctx,
                                            hubtok__nstr *ns,
                                            hubtok_error *err);
hubtok_code hubtok__pretok_normalize(hubtok__pretok *pt,
                                     hubtok__normalize_fn fn,
                                     const void *ctx, hubtok_error *err)
  HUBTOK__WARN_UNUSED;

/* ---- splitting one NormalizedString ---------------------------------- */

/* SplitDelimiterBehavior. */
typedef enum hubtok__split_behavior {
  HUBTOK__SPLIT_REMOVED,
  HUBTOK__SPLIT_ISOLATED,
  HUBTOK__SPLIT_MERGED_WITH_PREVIOUS,
  HUBTOK__SPLIT_MERGED_WITH_NEXT,
  HUBTOK__SPLIT_CONTIGUOUS
} hubtok__split_behavior;

/* "Removed", "Isolated", "MergedWithPrevious", "MergedWithNext",
 * "Contiguous" -> *out; 0 for any other name. */
int hubtok__split_behavior_parse(const char *name,
                                 hubtok__split_behavior *out);

/* The result of Pattern::find_matches: segments [start, end) covering
 * the string in order, each flagged as a match or not. */
typedef struct hubtok__seg {
  size_t start;
  size_t end;
  int is_match;
} hubtok__seg;

typedef struct hubtok__segs {
  hubtok__seg *v;
  size_t n;
  size_t cap;
} hubtok__segs;

hubtok_code hubtok__segs_push(hubtok__segs *v, size_t start, size_t end,
                              int is_match) HUBTOK__WARN_UNUSED;
void hubtok__segs_free(hubtok__segs *v);

/* find_matches of a literal or regex pattern (pattern.rs, &Regex / &str
 * escaped): gaps and matches of s[0..len); an empty s gives one
 * non-match (0, 0). invert flips every flag (Invert<P>). out->n is
 * reset. */
hubtok_code hubtok__segs_from_pattern(const hubtok__pattern *p,
                                      const char *s, size_t len,
                                      int invert, hubtok__segs *out,
                                      hubtok_error *err)
  HUBTOK__WARN_UNUSED;

/* find_matches of a char predicate (Fn(char) -> bool): every char for
 * which pred(cp, ctx) is nonzero is one match. s is valid UTF-8. out->n
 * is reset. */
typedef int (*hubtok__char_pred)(uint32_t cp, const void *ctx);
hubtok_code hubtok__segs_from_chars(const char *s, size_t len,
                                    hubtok__char_pred pred,
                                    const void *ctx, int invert,
                                    hubtok__segs *out, hubtok_error *err)
  HUBTOK__WARN_UNUSED;

/* NormalizedString::split: apply `b` to segs (from ns->s) and append
 * the slices of ns that are kept to out (added = 0; empty slices are
 * appended too; hubtok__pretok_split drops them). */
hubtok_code hubtok__nstr_split(const hubtok__nstr *ns,
                               const hubtok__segs *segs,
                               hubtok__split_behavior b,
                               hubtok__pretok *out, hubtok_error *err)
  HUBTOK__WARN_UNUSED;

/* The two steps together: ns.split(pattern, b) and ns.split(pred, b). */
hubtok_code hubtok__nstr_split_pattern(const hubtok__nstr *ns,
                                       const hubtok__pattern *p,
                                       int invert,
                                       hubtok__split_behavior b,
                                       hubtok__pretok *out,
                                       hubtok_error *err)
  HUBTOK__WARN_UNUSED;
hubtok_code hubtok__nstr_split_chars(const hubtok__nstr *ns,
                                     hubtok__char_pred pred,
                                     const void *ctx,
                                     hubtok__split_behavior b,
                                     hubtok__pretok *out,
                                     hubtok_error *err)
  HUBTOK__WARN_UNUSED;

/* ---- the stage --------------------------------------------------------- */

typedef struct hubtok__pre_tokenizer hubtok__pre_tokenizer;

/* What a pre-tokenizer does when the encode driver can run it in one
 * pass with the model (tokenizer.c, encode_fused): words(ctx, s, len,
 * out, err) appends the words of a piece s[0..len) to out (non-empty,
 * in order: the pieces pre_tokenize would give), then
 *   - with byte_level, each word's bytes are mapped to their ByteLevel
 *     chars (util/byte_level.h);
 *   - with prefix (Metaspace's replacement char), a word that does not
 *     start with it gets it prepended, aligned as hubtok__nstr_prepend
 *     aligns it.
 * ctx and prefix are borrowed from the pre-tokenizer. */
typedef hubtok_code (*hubtok__words_fn)(const void *ctx, const char *s,
                                        size_t len, hubtok__spans *out,
                                        hubtok_error *err);
typedef struct hubtok__word_plan {
  hubtok__words_fn words; /* NULL: no split yet */
  const void *ctx;
  int byte_level;
  const char *prefix; /* NULL: none */
  size_t prefix_len;
} hubtok__word_plan;

/* The words of a split on pattern p (a hubtok__pattern), Isolated and
 * not inverted: the matches and the gaps between them. A words_fn. */
hubtok_code hubtok__pattern_words(const void *p, const char *s, size_t len,
                                  hubtok__spans *out, hubtok_error *err)
  HUBTOK__WARN_UNUSED;

/* How a char takes part in the words of hubtok__char_words. */
typedef enum hubtok__char_role {
  HUBTOK__CHAR_IN,    /* part of the current word */
  HUBTOK__CHAR_GAP,   /* ends the word, kept by none (Removed) */
  HUBTOK__CHAR_ALONE, /* ends the word, a word by itself (Isolated) */
  HUBTOK__CHAR_FIRST  /* ends the word, starts the next (MergedWithNext) */
} hubtok__char_role;
typedef hubtok__char_role (*hubtok__char_role_fn)(uint32_t cp,
                                                  const void *ctx);

/* The words of s[0..len) (valid UTF-8) as role(cp, ctx) cuts them, in
 * one scan: the non-empty runs between the cuts. Appended to out. */
hubtok_code hubtok__char_words(const char *s, size_t len,
                               hubtok__char_role_fn role, const void *ctx,
                               hubtok__spans *out, hubtok_error *err)
  HUBTOK__WARN_UNUSED;

/* The words of WhitespaceSplit (whitespace_split.c): the runs of chars
 * that are not White_Space. With cut (a const uint32_t *, or NULL), each
 * run is also cut before every cut char, which starts the next word (a
 * Metaspace split, MergedWithNext). A words_fn. */
hubtok_code hubtok__whitespace_words(const void *cut, const char *s,
                                     size_t len, hubtok__spans *out,
                                     hubtok_error *err) HUBTOK__WARN_UNUSED;

typedef struct hubtok__pre_tokenizer_ops {
  hubtok_code (*pre_tokenize)(const hubtok__pre_tokenizer *p,
                              hubtok__pretok *pt, hubtok_error *err);
  size_t (*memory)(const hubtok__pre_tokenizer *p);
  void (*destroy)(hubtok__pre_tokenizer *p);
  /* Optional: add this step to *io (the steps before it already in)
   * and return 1, or 0 when the steps so far and this one are no plan. */
  int (*plan)(const hubtok__pre_tokenizer *p, hubtok__word_plan *io);
} hubtok__pre_tokenizer_ops;

struct hubtok__pre_tokenizer {
  const hubtok__pre_tokenizer_ops *ops;
};

/* Build from tokenizer.json "pre_tokenizer". JSON null gives *out NULL
 * (no pre-tokenizer); unknown types are HUBTOK_EUNSUPPORTED. `depth` is
 * the Sequence nesting. */
hubtok_code hubtok__pre_tokenizer_from_json(const struct cJSON *j,
                                            const char *path, int depth,
                                            hubtok__pre_tokenizer **out,
                                            hubtok_error *err);

/* Component factories (called by hubtok__pre_tokenizer_from_json; `j`
 * is the component object, already known to have that "type"). */
hubtok_code hubtok__byte_level_pre_from_json(const struct cJSON *j,
                                             const char *path,
                                             hubtok__pre_tokenizer **out,
                                             hubtok_error *err);
hubtok_code hubtok__split_pre_from_json(const struct cJSON *j,
                                        const char *path,
                                        hubtok__pre_tokenizer **out,
                                        hubtok_error *err);
hubtok_code hubtok__metaspace_pre_from_json(const struct cJSON *j,
                                            const char *path,
                                            hubtok__pre_tokenizer **out,
                                            hubtok_error *err);
hubtok_code hubtok__whitespace_split_from_json(const struct cJSON *j,
                                               const char *path,
                                               hubtok__pre_tokenizer **out,
                                               hubtok_error *err);

/* BertPreTokenizer, Whitespace, Punctuation, Digits, CharDelimiterSplit,
 * FixedLength, UnicodeScripts (bert.c, whitespace.c, punctuation.c,
 * digits.c, delimiter.c, fixed_length.c, unicode_scripts.c). */
hubtok_code hubtok__bert_pre_from_json(const struct cJSON *j,
                                       const char *path,
                                       hubtok__pre_tokenizer **out,
                                       hubtok_error *err);
hubtok_code hubtok__whitespace_pre_from_json(const struct cJSON *j,
                                             const char *path,
                                             hubtok__pre_tokenizer **out,
                                             hubtok_error *err);
hubtok_code hubtok__punctuation_pre_from_json(const struct cJSON *j,
                                              const char *path,
                                              hubtok__pre_tokenizer **out,
                                              hubtok_error *err);
hubtok_code hubtok__digits_pre_from_json(const struct cJSON *j,
                                         const char *path,
                                         hubtok__pre_tokenizer **out,
                                         hubtok_error *err);
hubtok_code hubtok__char_delimiter_from_json(const struct cJSON *j,
                                             const char *path,
                                             hubtok__pre_tokenizer **out,
                                             hubtok_error *err);
hubtok_code hubtok__fixed_length_from_json(const struct cJSON *j,
                                           const char *path,
                                           hubtok__pre_tokenizer **out,
                                           hubtok_error *err);
hubtok_code hubtok__unicode_scripts_from_json(const struct cJSON *j,
                                              const char *path,
                                              hubtok__pre_tokenizer **out,
                                              hubtok_error *err);

/* Apply p (NULL: every piece stays one word). */
hubtok_code hubtok__pre_tokenize(const hubtok__pre_tokenizer *p,
                                 hubtok__pretok *pt, hubtok_error *err);

size_t hubtok__pre_tokenizer_memory(const hubtok__pre_tokenizer *p);

/* 1 and *out when p (not NULL) is a word plan that splits: the same
 * words as pre_tokenize gives, for every piece. */
int hubtok__pre_tokenizer_plan(const hubtok__pre_tokenizer *p,
                               hubtok__word_plan *out);

/* NULL-safe. */
void hubtok__pre_tokenizer_free(hubtok__pre_tokenizer *p);

#endif /* HUBTOK_PRE_TOKENIZERS_PRE_TOKENIZER_H */
