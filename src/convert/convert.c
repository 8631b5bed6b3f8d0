/*
 * convert.c: picks the converter for a repo without tokenizer.json
 * (transformers' SLOW_TO_FAST_CONVERTERS, keyed by tokenizer class), runs
 * it, and loads the tokenizer.json it produced.
 */
#include "convert/convert.h"

#include <cjson/cJSON.h>
#include <string.h>

typedef hubtok_code (*converter_fn)(const hubtok_legacy_files *files,
                                    cJSON **out, hubtok_error *err);

static converter_fn
pick(const hubtok_legacy_files *f)
{
  if(f->sp_model)
    return hubtok__convert_sentencepiece;
  if(f->vocab_json && f->merges_txt)
    return hubtok__convert_bpe_files;
  if(f->vocab_txt)
    return hubtok__convert_wordpiece;
  return NULL;
}

hubtok_code
hubtok_tokenizer_from_legacy(const hubtok_legacy_files *files,
                             hubtok_tokenizer **out, hubtok_error *err)
{
  converter_fn fn;
  cJSON *root = NULL;
  hubtok_code rc;

  if(out)
    *out = NULL;
  if(!files || !out)
    return hubtok__set_error(err, HUBTOK_EINVAL,
                             "hubtok_tokenizer_from_legacy: NULL argument");
  fn = pick(files);
  if(!fn)
    return hubtok__set_error(err, HUBTOK_ETOKENIZER,
                             "No tokenizer.json, and no vocab.txt, "
                             "vocab.json + merges.txt or SentencePiece "
                             "model to build a tokenizer from.");
  rc = fn(files, &root, err);
  if(rc)
    return rc;
  rc = hubtok__tokenizer_from_cjson(root, out, err);
  cJSON_Delete(root);
  return rc;
}
