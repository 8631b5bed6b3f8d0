/*
 * normalized.h: a NormalizedString, as tokenizers/src/tokenizer/
 * normalizer.rs: the normalized UTF-8 text of one piece of the input plus,
 * for every normalized byte, the [start, end) range of original bytes it
 * came from, so offsets survive normalization.
 *
 * Alignments are relative to the piece's own original text, which starts
 * at `shift` in the whole input (Rust's original_shift). Lengths are
 * bounded by HUBTOK__TEXT_MAX so alignments fit in 32 bits.
 *
 * Ownership: a hubtok__nstr owns `s` and `al`; free with
 * hubtok__nstr_free(). Inside an encode they usually live in the
 * per-call scratch (util/scratch.h, `scratch` = 1): never free them
 * directly, and never keep them past the call (copy instead).
 * Thread safety: plain per-call data.
 */
#ifndef HUBTOK_TOKENIZER_NORMALIZED_H
#define HUBTOK_TOKENIZER_NORMALIZED_H

#include "internal.h"
#include "util/regex.h"
#include "util/unicode.h"

#include <stdint.h>

/* Largest input or normalized text, in bytes. */
#define HUBTOK__TEXT_MAX ((size_t)1 << 30)

typedef struct hubtok__nstr {
  char *s;         /* normalized text, NUL-terminated */
  size_t len;      /* bytes in s */
  uint32_t *al;    /* 2 * len entries: start, end of each byte's origin */
  size_t orig_len; /* length of this piece's original text */
  size_t shift;    /* where this piece's original starts in the input */
  int scratch;     /* s and al are one piece of the per-call scratch */
} hubtok__nstr;

/* Give ns (whose text is not held) fresh s and al for len bytes, s
 * NUL-terminated; other fields are left as they are. */
hubtok_code hubtok__nstr_alloc(hubtok__nstr *ns, size_t len)
  HUBTOK__WARN_UNUSED;

/* A fresh string equal to text[0..len) (valid UTF-8): each byte aligned
 * to its whole character. `shift` is text's offset in the input. */
hubtok_code hubtok__nstr_init(hubtok__nstr *ns, const char *text,
                              size_t len, size_t shift) HUBTOK__WARN_UNUSED;

/* out = the part of ns covering normalized bytes [start, end) (on char
 * boundaries), with its own original range, as NormalizedString::slice
 * with Range::Normalized. */
hubtok_code hubtok__nstr_slice(const hubtok__nstr *ns, size_t start,
                               size_t end, hubtok__nstr *out)
  HUBTOK__WARN_UNUSED;

/* NormalizedString::prepend: no-op on an empty string. */
hubtok_code hubtok__nstr_prepend(hubtok__nstr *ns, const char *p,
                                 size_t plen) HUBTOK__WARN_UNUSED;

/* NormalizedString::replace: replace each match (sorted, disjoint spans
 * of ns->s) with content; new bytes take the alignment of the last byte
 * of the match ((0, 0) for an empty match at 0). */
hubtok_code hubtok__nstr_replace(hubtok__nstr *ns, const hubtok__span *m,
                                 size_t nm, const char *content,
                                 size_t clen) HUBTOK__WARN_UNUSED;

/* NormalizedString::transform (transform_range over Range::Original(..)):
 * the normalized text becomes the characters of v[0..n), each aligned by
 * its change (see hubtok__tchar in util/unicode.h); initial_offset
 * characters are removed at the start. */
hubtok_code hubtok__nstr_transform(hubtok__nstr *ns, const hubtok__tchar *v,
                                   size_t n, size_t initial_offset)
  HUBTOK__WARN_UNUSED;

/* NormalizedString methods built on transform (normalizer.rs):
 * nf: nfd/nfkd/nfc/nfkc; lowercase: char::to_lowercase of each char;
 * filter: keep the chars for which keep(cp, ctx) is nonzero; map: each
 * char becomes map(cp, ctx); lrstrip: lstrip/rstrip/strip with Rust's
 * exact arithmetic (it compares char indices with byte lengths). */
typedef int (*hubtok__cp_pred)(uint32_t cp, const void *ctx);
typedef uint32_t (*hubtok__cp_map)(uint32_t cp, const void *ctx);
hubtok_code hubtok__nstr_nf(hubtok__nstr *ns, hubtok__nf nf)
  HUBTOK__WARN_UNUSED;
hubtok_code hubtok__nstr_lowercase(hubtok__nstr *ns) HUBTOK__WARN_UNUSED;
hubtok_code hubtok__nstr_filter(hubtok__nstr *ns, hubtok__cp_pred keep,
                                const void *ctx) HUBTOK__WARN_UNUSED;
hubtok_code hubtok__nstr_map(hubtok__nstr *ns, hubtok__cp_map map,
                             const void *ctx) HUBTOK__WARN_UNUSED;
hubtok_code hubtok__nstr_lrstrip(hubtok__nstr *ns, int left, int right)
  HUBTOK__WARN_UNUSED;

/* True when a transform over Range::Original(..) covers all of ns (no
 * leading inserted bytes, no alignment past orig_len). Then a transform
 * that keeps every char, or swaps chars for ones of the same UTF-8
 * length, leaves the alignments unchanged, so callers may skip it or
 * edit ns->s in place (the bytes of one char always share its
 * alignment). */
int hubtok__nstr_covers_whole(const hubtok__nstr *ns);

/* Normalized [start, end) -> [*os, *oe) in bytes of the whole input. */
void hubtok__nstr_orig(const hubtok__nstr *ns, size_t start, size_t end,
                       size_t *os, size_t *oe);

/* Take over src (src becomes empty). */
void hubtok__nstr_move(hubtok__nstr *dst, hubtok__nstr *src);

/* NULL-safe; leaves an empty string. */
void hubtok__nstr_free(hubtok__nstr *ns);

#endif /* HUBTOK_TOKENIZER_NORMALIZED_H */
