/*
 * internal.h: helpers shared by hubtok's C files (prefix hubtok__).
 * Not part of the public API; never included by users of hubtok.h.
 */
#ifndef HUBTOK_INTERNAL_H
#define HUBTOK_INTERNAL_H

#include "hubtok.h"

#include <stdarg.h>
#include <stddef.h>

#define HUBTOK_VERSION "0.1.0"

#if defined(__GNUC__)
#define HUBTOK__PRINTF(a, b) __attribute__((format(printf, a, b)))
#define HUBTOK__WARN_UNUSED __attribute__((warn_unused_result))
#else
#define HUBTOK__PRINTF(a, b)
#define HUBTOK__WARN_UNUSED
#endif

/*
 * Fill err (when non-NULL) with code and a printf-formatted message;
 * http_status/pos/server_* are reset to 0/"". Returns code, so callers can
 * write `return hubtok__set_error(err, HUBTOK_EINVAL, "...")`.
 */
hubtok_code hubtok__set_error(hubtok_error *err, hubtok_code code,
                              const char *fmt, ...) HUBTOK__PRINTF(3, 4);

/* Reset err to HUBTOK_OK with empty strings. NULL is a no-op. */
void hubtok__clear_error(hubtok_error *err);

#endif /* HUBTOK_INTERNAL_H */
