/*
 * utf8.h: small UTF-8 helpers. All functions are pure (thread-safe) and
 * never read past `len`.
 */
#ifndef HUBTOK_UTIL_UTF8_H
#define HUBTOK_UTIL_UTF8_H

#include <stddef.h>
#include <stdint.h>

/* Length of the sequence starting with byte c (1..4), or 0 when c cannot
 * start a sequence. Assumes valid UTF-8 follows. */
size_t hubtok__utf8_len(unsigned char c);

/* 1 when s[0..len) is valid UTF-8 (no surrogates, no overlongs, nothing
 * above U+10FFFF), as Rust's str::from_utf8 accepts. */
int hubtok__utf8_valid(const char *s, size_t len);

/* Length of the longest valid UTF-8 prefix of s[0..len). */
size_t hubtok__utf8_valid_prefix(const char *s, size_t len);

/* Decode the character at s (valid UTF-8 with at least one char left);
 * stores its byte length in *clen. */
uint32_t hubtok__utf8_decode(const char *s, size_t len, size_t *clen);

/* Encode cp into out (4 bytes of room). Returns the byte length. */
size_t hubtok__utf8_encode(uint32_t cp, char *out);

/* Start of the last character of s[0..len) (len > 0, valid UTF-8). */
size_t hubtok__utf8_last(const char *s, size_t len);

#endif /* HUBTOK_UTIL_UTF8_H */
