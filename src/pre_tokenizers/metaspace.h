/*
 * metaspace.h: the options shared by the Metaspace pre-tokenizer and the
 * Metaspace decoder (tokenizers/src/pre_tokenizers/metaspace.rs, one
 * struct used as both), parsed once as its Deserialize impl does.
 *
 * Plain data, no ownership; thread-safe.
 */
#ifndef HUBTOK_PRE_TOKENIZERS_METASPACE_H
#define HUBTOK_PRE_TOKENIZERS_METASPACE_H

#include "internal.h"

#include <stdint.h>

struct cJSON;

typedef enum hubtok__prepend_scheme {
  HUBTOK__PREPEND_FIRST,
  HUBTOK__PREPEND_NEVER,
  HUBTOK__PREPEND_ALWAYS
} hubtok__prepend_scheme;

typedef struct hubtok__metaspace_cfg {
  char rep[5];      /* the replacement char, UTF-8, NUL-terminated */
  size_t rep_len;
  uint32_t rep_cp;
  hubtok__prepend_scheme scheme;
  int split;
} hubtok__metaspace_cfg;

/* {"replacement": char, "prepend_scheme": "first"|"never"|"always"
 * (default always), "add_prefix_space": legacy bool (false requires
 * "never"), "split": bool (default true), "str_rep": ignored}. */
hubtok_code hubtok__metaspace_cfg_from_json(const struct cJSON *j,
                                            const char *path,
                                            hubtok__metaspace_cfg *cfg,
                                            hubtok_error *err);

#endif /* HUBTOK_PRE_TOKENIZERS_METASPACE_H */
