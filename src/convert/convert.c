/*
 * convert.c: picks the converter for a repo without tokenizer.json
 * (transformers' SLOW_TO_FAST_CONVERTERS, keyed by tokenizer class), runs
 * it, and loads the tokenizer.json it produced.
 */
#include "convert/convert.h"
#include "util/file.h"
#include "util/json.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Bound on the JSON side files of a legacy repo (vocab.json is ~1 MB). */
#define JSON_FILE_MAX ((size_t)64 << 20)

hubtok_code
hubtok__convert_read_json(const char *path, cJSON **out, hubtok_error *err)
{
  char *data;
  size_t len;
  hubtok_code rc;

  *out = NULL;
  if(!path)
    return HUBTOK_OK;
  rc = hubtok__read_file(path, JSON_FILE_MAX, &data, &len, err);
  if(rc)
    return rc;
  rc = hubtok__json_parse(data, len, out, err);
  free(data);
  if(rc) {
    char msg[512];
    snprintf(msg, sizeof(msg), "%.500s", err ? err->msg : "");
    hubtok__set_error(err, rc, "%.1024s: %s", path, msg);
    return rc;
  }
  if(!cJSON_IsObject(*out)) {
    cJSON_Delete(*out);
    *out = NULL;
    return hubtok__set_error(err, HUBTOK_ETOKENIZER,
                             "%.1024s: expected a JSON object", path);
  }
  return HUBTOK_OK;
}

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
