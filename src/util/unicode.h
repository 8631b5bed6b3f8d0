/*
 * unicode.h: the character classes and the normalization iterators the
 * Rust tokenizers crate gets from std and its Unicode dependencies,
 * computed with utf8proc:
 *
 *   - char::is_whitespace, char::is_numeric, char::to_lowercase (std);
 *   - is_other / is_punctuation / is_mark_nonspacing of the
 *     unicode_categories 0.1.1 crate (used by normalizers/bert.rs and
 *     pre_tokenizers/{bert,punctuation}.rs);
 *   - nfd/nfkd/nfc/nfkc of unicode-normalization-alignments, which yield
 *     every output character with a "change" (the input of
 *     NormalizedString::transform).
 *
 * All functions are pure and thread-safe.
 */
#ifndef HUBTOK_UTIL_UNICODE_H
#define HUBTOK_UTIL_UNICODE_H

#include "internal.h"

#include <stddef.h>
#include <stdint.h>

/* One character of a transformation and its change, as the (char,
 * isize) pairs of NormalizedString::transform: 0 replaces the next
 * character, 1 is an insertion, -N replaces the next character and
 * removes the N after it. */
typedef struct hubtok__tchar {
  uint32_t cp;
  int32_t change;
} hubtok__tchar;

/* Growable hubtok__tchar vector; owns v; free with hubtok__tchars_free. */
typedef struct hubtok__tchars {
  hubtok__tchar *v;
  size_t n;
  size_t cap;
} hubtok__tchars;

hubtok_code hubtok__tchars_push(hubtok__tchars *t, uint32_t cp,
                                int32_t change) HUBTOK__WARN_UNUSED;
void hubtok__tchars_free(hubtok__tchars *t);

/* 1 when cp was assigned in Unicode 9.0 (the version of the tables of
 * unicode-normalization-alignments and of the UnicodeScripts table). */
int hubtok__uni_assigned_9(uint32_t cp);

/* char::is_whitespace (the White_Space property). */
int hubtok__uni_is_whitespace_nonascii(uint32_t cp);
static inline int
hubtok__uni_is_whitespace(uint32_t cp)
{
  if(cp < 0x80)
    return (cp >= 0x09 && cp <= 0x0D) || cp == 0x20;
  return hubtok__uni_is_whitespace_nonascii(cp);
}

/* char::is_numeric: general category Nd, Nl or No. */
int hubtok__uni_is_numeric_nonascii(uint32_t cp);
static inline int
hubtok__uni_is_numeric(uint32_t cp)
{
  if(cp < 0x80)
    return cp >= '0' && cp <= '9';
  return hubtok__uni_is_numeric_nonascii(cp);
}

/* unicode_categories' is_other(): Cc, Cf or Co as that crate's tables
 * have them (see unicode.c). */
int hubtok__uni_is_other_nonascii(uint32_t cp);
static inline int
hubtok__uni_is_other(uint32_t cp)
{
  if(cp < 0x80)
    return cp < 0x20 || cp == 0x7F;
  return hubtok__uni_is_other_nonascii(cp);
}

/* char::is_ascii_punctuation || unicode_categories' is_punctuation(). */
int hubtok__uni_is_punctuation_nonascii(uint32_t cp);
static inline int
hubtok__uni_is_punctuation(uint32_t cp)
{
  if(cp < 0x80)
    return (cp >= 0x21 && cp <= 0x2F) || (cp >= 0x3A && cp <= 0x40) ||
           (cp >= 0x5B && cp <= 0x60) || (cp >= 0x7B && cp <= 0x7E);
  return hubtok__uni_is_punctuation_nonascii(cp);
}

/* unicode_categories' is_mark_nonspacing(). */
int hubtok__uni_is_mark_nonspacing_nonascii(uint32_t cp);
static inline int
hubtok__uni_is_mark_nonspacing(uint32_t cp)
{
  if(cp < 0x80)
    return 0;
  return hubtok__uni_is_mark_nonspacing_nonascii(cp);
}

/* unicode-normalization's is_combining_mark(): category Mn, Mc or Me,
 * for characters assigned in Unicode 9.0. */
int hubtok__uni_is_combining_mark(uint32_t cp);

/* char::to_lowercase: writes 1 or 2 code points to out, returns how
 * many. */
size_t hubtok__uni_to_lower(uint32_t cp, uint32_t out[3]);

/* Normalization forms. */
typedef enum hubtok__nf {
  HUBTOK__NFD,
  HUBTOK__NFKD,
  HUBTOK__NFC,
  HUBTOK__NFKC
} hubtok__nf;

/* Append to out the characters of s[0..len) (valid UTF-8) in form nf,
 * each with the change unicode-normalization-alignments yields for it
 * (its Decompositions / Recompositions iterators). */
hubtok_code hubtok__uni_normalize(hubtok__nf nf, const char *s, size_t len,
                                  hubtok__tchars *out) HUBTOK__WARN_UNUSED;

#endif /* HUBTOK_UTIL_UNICODE_H */
