/*
 * base64.h: strict standard base64 decoding (RFC 4648 alphabet, "="
 * padding required and canonical, no whitespace, zero trailing bits), as
 * the Rust base64 crate's STANDARD engine accepts it.
 *
 * Pure function; thread-safe.
 */
#ifndef HUBTOK_UTIL_BASE64_H
#define HUBTOK_UTIL_BASE64_H

#include "internal.h"

#include <stdint.h>

/* Decode s[0..len). On success *out (caller frees with free(); never
 * NULL) holds *out_len bytes. HUBTOK_EINVAL on malformed input (then
 * *bad_pos, when non-NULL, is the offending offset), HUBTOK_ENOMEM. */
hubtok_code hubtok__base64_decode(const char *s, size_t len,
                                  unsigned char **out, size_t *out_len,
                                  size_t *bad_pos) HUBTOK__WARN_UNUSED;

#endif /* HUBTOK_UTIL_BASE64_H */
