/*
 * fuzz_load.c: libFuzzer target for the loader. Any bytes must either
 * load (and then encode and decode without fault) or fail with an error
 * code and a message; never crash, hang or leak.
 */
#include "hubtok.h"

#include <stddef.h>
#include <stdint.h>
#include <string.h>

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  hubtok_tokenizer *tok = NULL;
  hubtok_error err;
  hubtok_encoding *enc = NULL;
  hubtok_encode_opts opts = {1};
  char *text = NULL;
  size_t len = 0;
  uint32_t ids[4] = {0, 1, 2, 3};

  if(hubtok_tokenizer_from_json((const char *)data, size, &tok, &err)) {
    /* A failure always says something. */
    if(err.code == HUBTOK_OK || err.msg[0] == '\0')
      __builtin_trap();
    return 0;
  }
  if(hubtok_encode(tok, "Hello world! <s> 12 \xc3\xa9", 20, "pair", 4,
                   &opts, &enc, &err) == HUBTOK_OK)
    hubtok_encoding_free(enc);
  if(hubtok_decode(tok, ids, 4, 0, &text, &len, &err) == HUBTOK_OK)
    hubtok_free(text);
  (void)hubtok_vocab_size(tok, 1);
  hubtok_tokenizer_free(tok);
  return 0;
}
