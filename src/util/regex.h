/*
 * regex.h: the `pattern` of Replace components (and later Split): a
 * literal string or an Oniguruma regex, searched the way the Rust
 * `tokenizers` crate does (tokenizers/src/tokenizer/pattern.rs and the
 * onig crate's find_iter: leftmost, non-overlapping; an empty match right
 * after a match is skipped).
 *
 * Ownership: a pattern owns its copy of the text and the compiled regex;
 * free with hubtok__pattern_free(). Thread safety: a built pattern is
 * immutable and may be searched from several threads at once.
 */
#ifndef HUBTOK_UTIL_REGEX_H
#define HUBTOK_UTIL_REGEX_H

#include "internal.h"

#include <stdint.h>

/* Hand-written scanners for common regexes: same matches as Oniguruma
 * (checked against it in test/c/test_bytelevel.c), without its per-search
 * overhead. A pattern keeps its compiled regex as well; clearing
 * `scanner` makes the search use Oniguruma. */
#define HUBTOK__SCAN_NONE 0
#define HUBTOK__SCAN_GPT2 1 /* the ByteLevel regex of GPT-2 */

typedef struct hubtok__pattern {
  int is_regex;
  int scanner;  /* HUBTOK__SCAN_*; only when is_regex */
  char *text;   /* the literal, or the regex source */
  size_t len;
  void *re;     /* regex_t * when is_regex */
} hubtok__pattern;

/* A match [start, end) in bytes. */
typedef struct hubtok__span {
  size_t start;
  size_t end;
} hubtok__span;

typedef struct hubtok__spans {
  hubtok__span *v;
  size_t n;
  size_t cap;
} hubtok__spans;

/* Build a literal pattern (copied). */
hubtok_code hubtok__pattern_string(hubtok__pattern *p, const char *s,
                                   size_t len, hubtok_error *err);

/* Compile a regex (Oniguruma, UTF-8, default syntax as the onig crate;
 * Unicode-dependent escapes use Unicode 16.0 as the onig crate does, see
 * util/regex_unicode.h).
 * `path` names the JSON value for the error message. */
hubtok_code hubtok__pattern_regex(hubtok__pattern *p, const char *s,
                                  size_t len, const char *path,
                                  hubtok_error *err);

/* Append the matches in s[0..len) to out (out->n is not reset). An
 * empty s has no matches, as in pattern.rs. */
hubtok_code hubtok__pattern_find(const hubtok__pattern *p, const char *s,
                                 size_t len, hubtok__spans *out,
                                 hubtok_error *err);

/* NULL-safe. */
void hubtok__pattern_free(hubtok__pattern *p);

/* Span vector helpers; free with hubtok__spans_free(). */
hubtok_code hubtok__spans_push(hubtok__spans *v, size_t start, size_t end);
void hubtok__spans_free(hubtok__spans *v);

#endif /* HUBTOK_UTIL_REGEX_H */
