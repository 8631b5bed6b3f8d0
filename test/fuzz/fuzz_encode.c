/*
 * fuzz_encode.c: libFuzzer target for encode and decode on a real
 * tokenizer (HUBTOK_FUZZ_TOKENIZER, a tokenizer.json path). The input is
 * the text (invalid UTF-8 must be refused cleanly), split at the first
 * 0xff byte into text and pair; the same bytes, read as ids, go through
 * decode with and without skipping special tokens.
 */
#include "hubtok.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static hubtok_tokenizer *tok;

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
  const char *path = getenv("HUBTOK_FUZZ_TOKENIZER");
  hubtok_error err;
  (void)argc;
  (void)argv;
  if(!path || hubtok_tokenizer_from_file(path, &tok, &err)) {
    fprintf(stderr, "fuzz_encode: set HUBTOK_FUZZ_TOKENIZER to a "
            "tokenizer.json\n");
    exit(1);
  }
  return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  hubtok_encoding *enc = NULL;
  hubtok_encode_opts opts;
  hubtok_error err;
  const uint8_t *sep = memchr(data, 0xff, size);
  size_t len = sep ? (size_t)(sep - data) : size;
  const char *pair = sep ? (const char *)sep + 1 : NULL;
  size_t pair_len = sep ? size - len - 1 : 0;
  uint32_t *ids;
  size_t n = size / 2, i;
  char *text = NULL;
  size_t text_len;

  for(i = 0; i < 2; i++) {
    opts.add_special_tokens = (int)i;
    if(hubtok_encode(tok, (const char *)data, len, pair, pair_len, &opts,
                     &enc, &err) == HUBTOK_OK)
      hubtok_encoding_free(enc);
    else if(err.code != HUBTOK_EINVAL)
      __builtin_trap(); /* only invalid UTF-8 may be refused */
  }
  ids = malloc((n ? n : 1) * sizeof(*ids));
  if(!ids)
    return 0;
  for(i = 0; i < n; i++)
    ids[i] = (uint32_t)data[2 * i] | ((uint32_t)data[2 * i + 1] << 8);
  for(i = 0; i < 2; i++) {
    if(hubtok_decode(tok, ids, n, (int)i, &text, &text_len, &err) ==
       HUBTOK_OK)
      hubtok_free(text);
  }
  free(ids);
  return 0;
}
