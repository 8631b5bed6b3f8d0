/*
 * compiled.h: loading a tokenizer from its compiled cache form alone
 * (tokenizer.c; the format is util/image.h). hubtok_tokenizer_from_file_
 * cached() is the public entry; this one never falls back to the JSON,
 * for tests and fuzzers.
 *
 * Ownership: on success *out owns the image's mapping (freed by
 * hubtok_tokenizer_free()). Thread safety: yes.
 */
#ifndef HUBTOK_TOKENIZER_COMPILED_H
#define HUBTOK_TOKENIZER_COMPILED_H

#include "internal.h"

#include <stdint.h>

/* Open the image at ipath (built from a source of src_size bytes named
 * src_name) and build the tokenizer from it. HUBTOK_EIO (or another
 * code) when it is missing, stale or invalid. */
hubtok_code hubtok__tokenizer_from_image(const char *ipath,
                                         uint64_t src_size,
                                         const char *src_name,
                                         hubtok_tokenizer **out,
                                         hubtok_error *err)
  HUBTOK__WARN_UNUSED;

#endif /* HUBTOK_TOKENIZER_COMPILED_H */
