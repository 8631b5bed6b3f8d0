/*
 * hubtok-encode.c: parity CLI for the tokenizer engine (no Node).
 *
 *   hubtok-encode tokenizer.json < requests.jsonl > results.jsonl
 *
 * Each input line is a JSON object, answered by one output line. Texts
 * are base64 so that any byte (NUL included) gets through:
 *   {"text": b64, "pair": b64|null, "add_special": true|false}
 *     -> {"ids": [...], "tokens": [...], "offsets": [[s, e], ...] (bytes),
 *         "type_ids": [...], "special_mask": [...], "word_ids": [...],
 *         "seq_ids": [...]}
 *   {"decode": [ids...], "skip": true|false}
 *     -> {"text": b64}
 * Errors answer {"error": "HUBTOK_...", "msg": "..."}.
 */
#include "hubtok.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int
b64val(char c)
{
  if(c >= 'A' && c <= 'Z')
    return c - 'A';
  if(c >= 'a' && c <= 'z')
    return c - 'a' + 26;
  if(c >= '0' && c <= '9')
    return c - '0' + 52;
  if(c == '+')
    return 62;
  if(c == '/')
    return 63;
  return -1;
}

/* Decode base64 (padding optional); caller frees. */
static char *
b64dec(const char *in, size_t *outlen)
{
  size_t n = strlen(in), o = 0, i;
  char *out = malloc(n + 1);
  unsigned acc = 0;
  int bits = 0;

  for(i = 0; i < n; i++) {
    int v = b64val(in[i]);
    if(v < 0)
      continue;
    acc = (acc << 6) | (unsigned)v;
    bits += 6;
    if(bits >= 8) {
      bits -= 8;
      out[o++] = (char)((acc >> bits) & 0xFF);
    }
  }
  out[o] = 0;
  *outlen = o;
  return out;
}

static char *
b64enc(const char *in, size_t n)
{
  static const char tbl[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  char *out = malloc(4 * (n / 3 + 1) + 1);
  const unsigned char *u = (const unsigned char *)in;
  size_t i, o = 0;

  for(i = 0; i + 2 < n; i += 3) {
    unsigned v = ((unsigned)u[i] << 16) | ((unsigned)u[i + 1] << 8) | u[i + 2];
    out[o++] = tbl[(v >> 18) & 63];
    out[o++] = tbl[(v >> 12) & 63];
    out[o++] = tbl[(v >> 6) & 63];
    out[o++] = tbl[v & 63];
  }
  if(n - i == 1) {
    unsigned v = (unsigned)u[i] << 16;
    out[o++] = tbl[(v >> 18) & 63];
    out[o++] = tbl[(v >> 12) & 63];
    out[o++] = '=';
    out[o++] = '=';
  }
  else if(n - i == 2) {
    unsigned v = ((unsigned)u[i] << 16) | ((unsigned)u[i + 1] << 8);
    out[o++] = tbl[(v >> 18) & 63];
    out[o++] = tbl[(v >> 12) & 63];
    out[o++] = tbl[(v >> 6) & 63];
    out[o++] = '=';
  }
  out[o] = 0;
  return out;
}

static cJSON *
int_array(const void *v, size_t n, int kind)
{
  cJSON *a = cJSON_CreateArray();
  size_t i;

  for(i = 0; i < n; i++) {
    double d;
    if(kind == 0)
      d = ((const uint32_t *)v)[i];
    else if(kind == 1)
      d = ((const uint8_t *)v)[i];
    else if(kind == 2)
      d = ((const int8_t *)v)[i];
    else
      d = ((const int32_t *)v)[i];
    cJSON_AddItemToArray(a, cJSON_CreateNumber(d));
  }
  return a;
}

static cJSON *
error_obj(const hubtok_error *err)
{
  cJSON *o = cJSON_CreateObject();
  cJSON_AddStringToObject(o, "error", hubtok_err_name(err->code));
  cJSON_AddStringToObject(o, "msg", err->msg);
  return o;
}

static cJSON *
do_encode(const hubtok_tokenizer *tok, const cJSON *req)
{
  const cJSON *text = cJSON_GetObjectItemCaseSensitive(req, "text");
  const cJSON *pair = cJSON_GetObjectItemCaseSensitive(req, "pair");
  const cJSON *spec = cJSON_GetObjectItemCaseSensitive(req, "add_special");
  hubtok_encode_opts opts;
  hubtok_encoding *enc = NULL;
  hubtok_error err;
  cJSON *o, *toks, *offs;
  char *t1, *t2 = NULL;
  size_t i, l1, l2 = 0;
  hubtok_code rc;

  opts.add_special_tokens = !spec || cJSON_IsTrue(spec);
  t1 = b64dec(text->valuestring, &l1);
  if(cJSON_IsString(pair))
    t2 = b64dec(pair->valuestring, &l2);
  rc = hubtok_encode(tok, t1, l1, t2, l2, &opts, &enc, &err);
  free(t1);
  free(t2);
  if(rc)
    return error_obj(&err);
  o = cJSON_CreateObject();
  cJSON_AddItemToObject(o, "ids", int_array(enc->ids, enc->n, 0));
  toks = cJSON_CreateArray();
  offs = cJSON_CreateArray();
  for(i = 0; i < enc->n; i++) {
    size_t a = enc->token_off[i], b = enc->token_off[i + 1];
    char *t = malloc(b - a + 1);
    cJSON *pr = cJSON_CreateArray();
    memcpy(t, enc->tokens + a, b - a);
    t[b - a] = 0;
    cJSON_AddItemToArray(toks, cJSON_CreateString(t));
    free(t);
    cJSON_AddItemToArray(pr, cJSON_CreateNumber((double)enc->offsets[2 * i]));
    cJSON_AddItemToArray(pr,
                         cJSON_CreateNumber((double)enc->offsets[2 * i + 1]));
    cJSON_AddItemToArray(offs, pr);
  }
  cJSON_AddItemToObject(o, "tokens", toks);
  cJSON_AddItemToObject(o, "offsets", offs);
  cJSON_AddItemToObject(o, "type_ids", int_array(enc->type_ids, enc->n, 0));
  cJSON_AddItemToObject(o, "special_mask",
                        int_array(enc->special_mask, enc->n, 1));
  cJSON_AddItemToObject(o, "word_ids", int_array(enc->word_ids, enc->n, 3));
  cJSON_AddItemToObject(o, "seq_ids", int_array(enc->seq_ids, enc->n, 2));
  hubtok_encoding_free(enc);
  return o;
}

static cJSON *
do_decode(const hubtok_tokenizer *tok, const cJSON *req)
{
  const cJSON *ids = cJSON_GetObjectItemCaseSensitive(req, "decode");
  const cJSON *skip = cJSON_GetObjectItemCaseSensitive(req, "skip");
  size_t n = (size_t)cJSON_GetArraySize(ids), i = 0, len;
  uint32_t *v = malloc((n ? n : 1) * sizeof(*v));
  const cJSON *it;
  hubtok_error err;
  char *text, *b64;
  cJSON *o;

  cJSON_ArrayForEach(it, ids) {
    v[i++] = (uint32_t)it->valuedouble;
  }
  if(hubtok_decode(tok, v, n, cJSON_IsTrue(skip), &text, &len, &err)) {
    free(v);
    return error_obj(&err);
  }
  free(v);
  o = cJSON_CreateObject();
  b64 = b64enc(text, len);
  cJSON_AddStringToObject(o, "text", b64);
  free(b64);
  hubtok_free(text);
  return o;
}

int
main(int argc, char **argv)
{
  hubtok_tokenizer *tok;
  hubtok_error err;
  char *line = NULL;
  size_t cap = 0;
  ssize_t got;

  if(argc != 2) {
    fprintf(stderr, "usage: %s tokenizer.json < requests.jsonl\n", argv[0]);
    return 2;
  }
  if(hubtok_tokenizer_from_file(argv[1], &tok, &err)) {
    fprintf(stderr, "%s: %s\n", hubtok_err_name(err.code), err.msg);
    return 1;
  }
  for(;;) {
    cJSON *req, *res;
    char *s;
    got = getline(&line, &cap, stdin);
    if(got <= 0)
      break;
    req = cJSON_ParseWithLength(line, (size_t)got);
    if(!req) {
      puts("{\"error\":\"bad request\"}");
      continue;
    }
    if(cJSON_GetObjectItemCaseSensitive(req, "decode"))
      res = do_decode(tok, req);
    else
      res = do_encode(tok, req);
    s = cJSON_PrintUnformatted(res);
    puts(s);
    fflush(stdout);
    free(s);
    cJSON_Delete(res);
    cJSON_Delete(req);
  }
  free(line);
  hubtok_tokenizer_free(tok);
  return 0;
}
