/*
 * binding.c: the N-API surface of hubtok, and the only C file (with
 * napi_macros.h) that includes node_api.h.
 *
 * A small flat function set; all policy (defaults, validation of user
 * input, URLs, class selection) lives in lib/. Functions here check their
 * argument types (a failure is a bug in lib/: TypeError HUBTOK_EINVAL),
 * call the core, and turn hubtok_error values into JS Errors with a stable
 * `code` (err.code = "HUBTOK_...").
 *
 *   version()                                  -> "0.1.0"
 *   loadTokenizerJson(text)                    -> handle       (sync)
 *   loadTokenizerFile(path)                    -> Promise<handle>
 *   encode(h, text, pair|null, addSpecial, flags) -> { ids, ... }
 *   encodeIds(h, text, pair|null, addSpecial)  -> n (ids in idsScratch)
 *                                                 | Uint32Array (n > cap)
 *   idsScratch                                 Uint32Array the ids land in
 *   encodeBatch(h, texts[], pairs[]|null, addSpecial, flags)
 *                                              -> Promise<[{ ids, ... }]>
 *   decode(h, Uint32Array, skipSpecial)        -> string
 *   tokenToId(h, token)                        -> number | undefined
 *   idToToken(h, id)                           -> string | undefined
 *   vocabSize(h, withAdded)                    -> number
 *   vocabTokens(h)                             -> (string|undefined)[] by id
 *   addedTokens(h)                             -> [text, ids, ends, flags]
 *   download(opts, onProgress|null)            -> Promise<{ path, ... }>
 *
 * Blocking work (file reads, JSON parsing of whole tokenizers, network)
 * runs in napi async work on libuv's thread pool; strings are copied into
 * the request before queueing, so worker threads touch no napi_value.
 */
#include "hubtok.h"
#include "napi_macros.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* encode() flags: which arrays to return besides ids. */
#define ENC_TOKENS 1
#define ENC_TYPE_IDS 2
#define ENC_SPECIAL_MASK 4
#define ENC_OFFSETS 8
#define ENC_WORD_IDS 16
#define ENC_SEQ_IDS 32
/* With ENC_OFFSETS: offsets in code points (chars) of the sequence, the
 * unit the Rust Node binding reports, instead of UTF-8 bytes. */
#define ENC_CHAR_OFFSETS 64
/* encodeBatch only, alone: the ids of all inputs as one object
 * { ids: Uint32Array, starts: Uint32Array(n + 1) } (input i's ids are
 * ids[starts[i] .. starts[i + 1])), two typed arrays instead of three
 * objects per input. */
#define ENC_FLAT 128

/* ------------------------------------------------------------------ */
/* helpers                                                            */
/* ------------------------------------------------------------------ */

/* Overwrite memory holding a secret so the compiler cannot elide it. */
static void
wipe(void *p, size_t n)
{
  volatile unsigned char *v = p;
  while(n--)
    *v++ = 0;
}

static void
free_secret(char *s)
{
  if(s) {
    wipe(s, strlen(s));
    free(s);
  }
}

/*
 * Copy a JS string into a malloc'd NUL-terminated UTF-8 buffer (lone
 * surrogates become U+FFFD, as napi does and as the Rust Node binding
 * does). Returns false with a pending exception on failure. Caller frees.
 */
static bool
get_utf8(napi_env env, napi_value v, char **out, size_t *out_len)
{
  size_t len = 0;
  char *buf;

  *out = NULL;
  if(napi_get_value_string_utf8(env, v, NULL, 0, &len) != napi_ok) {
    napi_throw_type_error(env, "HUBTOK_EINVAL", "expected a string");
    return false;
  }
  buf = malloc(len + 1);
  if(!buf) {
    napi_throw_error(env, "HUBTOK_ENOMEM", "out of memory");
    return false;
  }
  if(napi_get_value_string_utf8(env, v, buf, len + 1, &len) != napi_ok) {
    free(buf);
    napi_throw_type_error(env, "HUBTOK_EINVAL", "expected a string");
    return false;
  }
  *out = buf;
  if(out_len)
    *out_len = len;
  return true;
}

/*
 * get_utf8 for short strings: into the caller's buffer `sbuf` (`cap`
 * bytes) when the string fits, saving the length query and the malloc;
 * else as get_utf8. *out is sbuf or a malloc'd copy (free it only when it
 * is not sbuf). V8 writes whole chars only, so a copy that left 4 bytes
 * or more of room is the whole string.
 */
static bool
get_utf8_small(napi_env env, napi_value v, char *sbuf, size_t cap,
               char **out, size_t *out_len)
{
  size_t len = 0;

  if(napi_get_value_string_utf8(env, v, sbuf, cap, &len) != napi_ok) {
    napi_throw_type_error(env, "HUBTOK_EINVAL", "expected a string");
    return false;
  }
  if(len + 4 < cap) {
    *out = sbuf;
    *out_len = len;
    return true;
  }
  return get_utf8(env, v, out, out_len);
}

static bool
is_type(napi_env env, napi_value v, napi_valuetype want)
{
  napi_valuetype t;
  if(napi_typeof(env, v, &t) != napi_ok)
    return false;
  return t == want;
}

/* Set obj[name] = value, ignoring nothing: returns false on failure. */
static bool
set_named(napi_env env, napi_value obj, const char *name, napi_value value)
{
  return napi_set_named_property(env, obj, name, value) == napi_ok;
}

static bool
set_string(napi_env env, napi_value obj, const char *name, const char *s)
{
  napi_value v;
  if(napi_create_string_utf8(env, s, NAPI_AUTO_LENGTH, &v) != napi_ok)
    return false;
  return set_named(env, obj, name, v);
}

static bool
set_number(napi_env env, napi_value obj, const char *name, double d)
{
  napi_value v;
  if(napi_create_double(env, d, &v) != napi_ok)
    return false;
  return set_named(env, obj, name, v);
}

static bool
set_bool(napi_env env, napi_value obj, const char *name, bool b)
{
  napi_value v;
  if(napi_get_boolean(env, b, &v) != napi_ok)
    return false;
  return set_named(env, obj, name, v);
}

/*
 * Build the JS Error for a hubtok_error: message, code ("HUBTOK_..."),
 * and, when present, status, serverErrorCode, serverErrorMessage, pos.
 * Returns NULL on failure (an exception is then pending).
 */
static napi_value
make_error(napi_env env, const hubtok_error *e)
{
  napi_value code, msg, err;
  const char *text = e->msg[0] ? e->msg : hubtok_strerror(e->code);

  NAPI_CALL(env, napi_create_string_utf8(env, hubtok_err_name(e->code),
                                         NAPI_AUTO_LENGTH, &code));
  NAPI_CALL(env, napi_create_string_utf8(env, text, NAPI_AUTO_LENGTH, &msg));
  NAPI_CALL(env, napi_create_error(env, code, msg, &err));
  if(e->http_status && !set_number(env, err, "status", e->http_status))
    return NULL;
  if(e->server_code[0] &&
     !set_string(env, err, "serverErrorCode", e->server_code))
    return NULL;
  if(e->server_msg[0] &&
     !set_string(env, err, "serverErrorMessage", e->server_msg))
    return NULL;
  if(e->pos && !set_number(env, err, "pos", (double)e->pos))
    return NULL;
  return err;
}

static napi_value
throw_hubtok(napi_env env, const hubtok_error *e)
{
  napi_value err = make_error(env, e);
  if(err)
    napi_throw(env, err);
  return NULL;
}

/* ------------------------------------------------------------------ */
/* tokenizer handles                                                  */
/* ------------------------------------------------------------------ */

/* Runs on the main thread when the handle is collected. */
static void
tokenizer_finalize(napi_env env, void *data, void *hint)
{
  hubtok_tokenizer *tok = data;
  int64_t adjusted;
  (void)hint;
  napi_adjust_external_memory(env,
                              -(int64_t)hubtok_tokenizer_memory(tok),
                              &adjusted);
  hubtok_tokenizer_free(tok);
}

/* Wrap tok in an external; on failure frees tok. */
static napi_value
wrap_tokenizer(napi_env env, hubtok_tokenizer *tok)
{
  napi_value ext;
  int64_t adjusted;

  if(napi_create_external(env, tok, tokenizer_finalize, NULL, &ext) !=
     napi_ok) {
    hubtok_tokenizer_free(tok);
    HUBTOK__THROW_LAST_ERROR(env);
    return NULL;
  }
  napi_adjust_external_memory(env, (int64_t)hubtok_tokenizer_memory(tok),
                              &adjusted);
  return ext;
}

static hubtok_tokenizer *
unwrap_tokenizer(napi_env env, napi_value v)
{
  void *data = NULL;
  if(!is_type(env, v, napi_external) ||
     napi_get_value_external(env, v, &data) != napi_ok || !data) {
    napi_throw_type_error(env, "HUBTOK_EINVAL",
                          "expected a tokenizer handle");
    return NULL;
  }
  return data;
}

/* loadTokenizerJson(text: string) -> handle. Parses on this thread. */
static napi_value
load_tokenizer_json(napi_env env, napi_callback_info info)
{
  size_t argc = 1;
  napi_value argv[1];
  char *text;
  size_t len;
  hubtok_tokenizer *tok = NULL;
  hubtok_error err;
  hubtok_code rc;

  NAPI_CALL(env, napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  NAPI_ASSERT_ARG(env, argc == 1 && is_type(env, argv[0], napi_string),
                  "loadTokenizerJson: text must be a string");
  if(!get_utf8(env, argv[0], &text, &len))
    return NULL;
  rc = hubtok_tokenizer_from_json(text, len, &tok, &err);
  free(text);
  if(rc != HUBTOK_OK)
    return throw_hubtok(env, &err);
  return wrap_tokenizer(env, tok);
}

/* Fields of a legacy-files request, in hubtok_legacy_files order. */
#define LEGACY_FIELDS(XX)                                                    \
  XX(tokenizer_class, "tokenizerClass")                                      \
  XX(tokenizer_config, "tokenizerConfig")                                    \
  XX(special_tokens_map, "specialTokensMap")                                 \
  XX(added_tokens, "addedTokens")                                            \
  XX(vocab_txt, "vocabTxt")                                                  \
  XX(vocab_json, "vocabJson")                                                \
  XX(merges_txt, "mergesTxt")                                                \
  XX(sp_model, "spModel")

typedef struct load_req {
  napi_async_work work;
  napi_deferred deferred;
  char *path;          /* tokenizer.json, or NULL for legacy files */
  int legacy;
#define LEGACY_MEMBER(field, js) char *field;
  LEGACY_FIELDS(LEGACY_MEMBER)
#undef LEGACY_MEMBER
  hubtok_tokenizer *tok;
  hubtok_error err;
  hubtok_code rc;
} load_req;

static void
load_req_free(load_req *req)
{
  free(req->path);
#define LEGACY_FREE(field, js) free(req->field);
  LEGACY_FIELDS(LEGACY_FREE)
#undef LEGACY_FREE
  free(req);
}

/* Runs on a worker thread. It has no access to the JavaScript. */
static void
load_execute(napi_env env, void *data)
{
  load_req *req = data;
  (void)env;
  if(req->legacy) {
    hubtok_legacy_files files;
#define LEGACY_SET(field, js) files.field = req->field;
    LEGACY_FIELDS(LEGACY_SET)
#undef LEGACY_SET
    req->rc = hubtok_tokenizer_from_legacy(&files, &req->tok, &req->err);
  }
  else {
    req->rc = hubtok_tokenizer_from_file_cached(req->path, &req->tok,
                                               &req->err);
  }
}

/* Runs on the main thread after load_execute. Always settles. */
static void
load_complete(napi_env env, napi_status status, void *data)
{
  load_req *req = data;
  napi_value value = NULL, exc;

  if(status != napi_ok && req->rc == HUBTOK_OK) {
    hubtok_tokenizer_free(req->tok);
    req->tok = NULL;
    req->rc = HUBTOK_EIO;
    snprintf(req->err.msg, sizeof(req->err.msg), "load was cancelled");
    req->err.code = HUBTOK_EIO;
  }
  if(req->rc == HUBTOK_OK) {
    value = wrap_tokenizer(env, req->tok); /* frees tok on failure */
    req->tok = NULL;
  }
  else {
    value = make_error(env, &req->err);
  }
  if(value) {
    if(req->rc == HUBTOK_OK)
      napi_resolve_deferred(env, req->deferred, value);
    else
      napi_reject_deferred(env, req->deferred, value);
  }
  else {
    /* Building the value failed: reject with the pending exception. */
    napi_get_and_clear_last_exception(env, &exc);
    napi_reject_deferred(env, req->deferred, exc);
  }
  napi_delete_async_work(env, req->work);
  load_req_free(req);
}

/* Queue a load request; returns its promise, or NULL with an exception
 * pending (req is then freed). */
static napi_value
queue_load(napi_env env, load_req *req)
{
  napi_value promise, name;

  if(napi_create_promise(env, &req->deferred, &promise) != napi_ok ||
     napi_create_string_utf8(env, "hubtok:loadTokenizer", NAPI_AUTO_LENGTH,
                             &name) != napi_ok ||
     napi_create_async_work(env, NULL, name, load_execute, load_complete,
                            req, &req->work) != napi_ok ||
     napi_queue_async_work(env, req->work) != napi_ok) {
    /* Nothing was queued; a created promise stays pending forever, so
     * throw instead. */
    HUBTOK__THROW_LAST_ERROR(env);
    if(req->work)
      napi_delete_async_work(env, req->work);
    load_req_free(req);
    return NULL;
  }
  return promise;
}

/* loadTokenizerFile(path: string) -> Promise<handle> */
static napi_value
load_tokenizer_file(napi_env env, napi_callback_info info)
{
  size_t argc = 1;
  napi_value argv[1];
  load_req *req;

  NAPI_CALL(env, napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  NAPI_ASSERT_ARG(env, argc == 1 && is_type(env, argv[0], napi_string),
                  "loadTokenizerFile: path must be a string");
  req = calloc(1, sizeof(*req));
  if(!req) {
    napi_throw_error(env, "HUBTOK_ENOMEM", "out of memory");
    return NULL;
  }
  if(!get_utf8(env, argv[0], &req->path, NULL)) {
    free(req);
    return NULL;
  }
  return queue_load(env, req);
}

static bool opt_string(napi_env env, napi_value opts, const char *name,
                       char **out);

/* loadTokenizerLegacy({ tokenizerClass, tokenizerConfig, specialTokensMap,
 * addedTokens, vocabTxt, vocabJson, mergesTxt, spModel }) -> Promise<handle>
 * (paths; absent files null) */
static napi_value
load_tokenizer_legacy(napi_env env, napi_callback_info info)
{
  size_t argc = 1;
  napi_value argv[1];
  load_req *req;

  NAPI_CALL(env, napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  NAPI_ASSERT_ARG(env, argc == 1 && is_type(env, argv[0], napi_object),
                  "loadTokenizerLegacy: expected an object of paths");
  req = calloc(1, sizeof(*req));
  if(!req) {
    napi_throw_error(env, "HUBTOK_ENOMEM", "out of memory");
    return NULL;
  }
  req->legacy = 1;
#define LEGACY_GET(field, js)                                                \
  if(!opt_string(env, argv[0], js, &req->field)) {                           \
    load_req_free(req);                                                      \
    return NULL;                                                             \
  }
  LEGACY_FIELDS(LEGACY_GET)
#undef LEGACY_GET
  return queue_load(env, req);
}

/* ------------------------------------------------------------------ */
/* encode / decode / vocabulary                                       */
/* ------------------------------------------------------------------ */

/* A typed array holding a copy of n elements of size `size`. */
static napi_value
make_typed(napi_env env, napi_typedarray_type type, const void *src,
           size_t n, size_t size)
{
  napi_value ab, ta;
  void *dst = NULL;

  NAPI_CALL(env, napi_create_arraybuffer(env, n * size, &dst, &ab));
  if(n)
    memcpy(dst, src, n * size);
  NAPI_CALL(env, napi_create_typedarray(env, type, n, ab, 0, &ta));
  return ta;
}

static napi_value
encoding_to_js(napi_env env, const hubtok_encoding *enc, uint32_t flags)
{
  napi_value obj, v;
  size_t i;

  NAPI_CALL(env, napi_create_object(env, &obj));
  v = make_typed(env, napi_uint32_array, enc->ids, enc->n, sizeof(uint32_t));
  if(!v || !set_named(env, obj, "ids", v))
    return NULL;
  if(flags & ENC_TYPE_IDS) {
    v = make_typed(env, napi_uint32_array, enc->type_ids, enc->n,
                   sizeof(uint32_t));
    if(!v || !set_named(env, obj, "typeIds", v))
      return NULL;
  }
  if(flags & ENC_SPECIAL_MASK) {
    v = make_typed(env, napi_uint8_array, enc->special_mask, enc->n, 1);
    if(!v || !set_named(env, obj, "specialMask", v))
      return NULL;
  }
  if(flags & ENC_SEQ_IDS) {
    v = make_typed(env, napi_int8_array, enc->seq_ids, enc->n, 1);
    if(!v || !set_named(env, obj, "seqIds", v))
      return NULL;
  }
  if(flags & ENC_WORD_IDS) {
    v = make_typed(env, napi_int32_array, enc->word_ids, enc->n,
                   sizeof(int32_t));
    if(!v || !set_named(env, obj, "wordIds", v))
      return NULL;
  }
  if(flags & ENC_OFFSETS) {
    /* size_t -> float64 (exact below 2^53; inputs are far smaller). */
    napi_value ab, ta;
    double *dst = NULL;
    NAPI_CALL(env, napi_create_arraybuffer(env, 2 * enc->n * sizeof(double),
                                           (void **)&dst, &ab));
    for(i = 0; i < 2 * enc->n; i++)
      dst[i] = (double)enc->offsets[i];
    NAPI_CALL(env, napi_create_typedarray(env, napi_float64_array,
                                          2 * enc->n, ab, 0, &ta));
    if(!set_named(env, obj, "offsets", ta))
      return NULL;
  }
  if(flags & ENC_TOKENS) {
    NAPI_CALL(env, napi_create_array_with_length(env, enc->n, &v));
    for(i = 0; i < enc->n; i++) {
      napi_value s;
      size_t a = enc->token_off[i], b = enc->token_off[i + 1];
      NAPI_CALL(env, napi_create_string_utf8(env, enc->tokens + a, b - a,
                                             &s));
      NAPI_CALL(env, napi_set_element(env, v, (uint32_t)i, s));
    }
    if(!set_named(env, obj, "tokens", v))
      return NULL;
  }
  return obj;
}

/* The arguments encode() and encodeIds() share: (h, text, pair|null,
 * addSpecial). Short strings are read into the struct's buffers. */
typedef struct enc_args {
  hubtok_tokenizer *tok;
  char *text;
  char *pair;
  size_t len;
  size_t pair_len;
  bool add_special;
  char text_buf[1024]; /* short inputs: no malloc */
  char pair_buf[256];
} enc_args;

static void
enc_args_free(enc_args *a)
{
  if(a->text && a->text != a->text_buf)
    free(a->text);
  if(a->pair && a->pair != a->pair_buf)
    free(a->pair);
  a->text = NULL;
  a->pair = NULL;
}

/* false with a pending exception (what is the caller's name in it) */
static bool
enc_args_read(napi_env env, napi_value *argv, const char *what, enc_args *a)
{
  char msg[64];

  a->text = NULL;
  a->pair = NULL;
  a->len = 0;
  a->pair_len = 0;
  a->add_special = true;
  a->tok = unwrap_tokenizer(env, argv[0]);
  if(!a->tok)
    return false;
  if(!is_type(env, argv[1], napi_string)) {
    snprintf(msg, sizeof(msg), "%s: text must be a string", what);
    napi_throw_type_error(env, "HUBTOK_EINVAL", msg);
    return false;
  }
  if(!is_type(env, argv[2], napi_string) &&
     !is_type(env, argv[2], napi_null)) {
    snprintf(msg, sizeof(msg), "%s: pair must be a string or null", what);
    napi_throw_type_error(env, "HUBTOK_EINVAL", msg);
    return false;
  }
  if(napi_get_value_bool(env, argv[3], &a->add_special) != napi_ok) {
    HUBTOK__THROW_LAST_ERROR(env);
    return false;
  }
  if(!get_utf8_small(env, argv[1], a->text_buf, sizeof(a->text_buf),
                     &a->text, &a->len))
    return false;
  if(is_type(env, argv[2], napi_string) &&
     !get_utf8_small(env, argv[2], a->pair_buf, sizeof(a->pair_buf),
                     &a->pair, &a->pair_len)) {
    enc_args_free(a);
    return false;
  }
  return true;
}

/* encode(h, text, pair|null, addSpecial: boolean, flags: number) */
static napi_value
encode(napi_env env, napi_callback_info info)
{
  size_t argc = 5;
  napi_value argv[5], result;
  uint32_t flags = 0;
  hubtok_encode_opts opts;
  hubtok_encoding *enc = NULL;
  hubtok_error err;
  hubtok_code rc;
  enc_args a;

  NAPI_CALL(env, napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  NAPI_ASSERT_ARG(env, argc == 5, "encode: expected 5 arguments");
  NAPI_CALL(env, napi_get_value_uint32(env, argv[4], &flags));
  if(!enc_args_read(env, argv, "encode", &a))
    return NULL;
  memset(&opts, 0, sizeof(opts));
  opts.add_special_tokens = a.add_special;
  if(flags & ENC_CHAR_OFFSETS)
    rc = hubtok_encode_char_offsets(a.tok, a.text, a.len, a.pair,
                                    a.pair_len, &opts, &enc, &err);
  else
    rc = hubtok_encode(a.tok, a.text, a.len, a.pair, a.pair_len, &opts,
                       &enc, &err);
  if(rc != HUBTOK_OK)
    result = throw_hubtok(env, &err);
  else {
    result = encoding_to_js(env, enc, flags);
    hubtok_encoding_free(enc);
  }
  enc_args_free(&a);
  return result;
}

/*
 * encodeIds: encode() for the ids alone, the common call
 * (tokenizer.encode(text)), with no object per call: the ids are written
 * into idsScratch, a Uint32Array made once per addon instance (main
 * thread or worker), and the count is returned; JS copies them out before
 * its next call. An encoding longer than the scratch comes back as its
 * own Uint32Array.
 */
#define IDS_SCRATCH_CAP 8192

typedef struct instance {
  napi_ref scratch_ref; /* keeps the scratch ArrayBuffer alive */
  uint32_t *scratch;    /* its data: IDS_SCRATCH_CAP entries */
} instance;

static void
instance_finalize(napi_env env, void *data, void *hint)
{
  instance *in = data;
  (void)hint;
  if(in->scratch_ref)
    napi_delete_reference(env, in->scratch_ref);
  free(in);
}

static napi_value
encode_ids(napi_env env, napi_callback_info info)
{
  size_t argc = 4;
  napi_value argv[4], result = NULL;
  instance *in = NULL;
  hubtok_encode_opts opts;
  hubtok_encoding *enc = NULL;
  hubtok_error err;
  hubtok_code rc;
  enc_args a;

  NAPI_CALL(env, napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  NAPI_ASSERT_ARG(env, argc == 4, "encodeIds: expected 4 arguments");
  NAPI_CALL(env, napi_get_instance_data(env, (void **)&in));
  NAPI_ASSERT_ARG(env, in && in->scratch, "encodeIds: no scratch");
  if(!enc_args_read(env, argv, "encodeIds", &a))
    return NULL;
  memset(&opts, 0, sizeof(opts));
  opts.add_special_tokens = a.add_special;
  rc = hubtok_encode_ids(a.tok, a.text, a.len, a.pair, a.pair_len, &opts,
                         &enc, &err);
  if(rc != HUBTOK_OK)
    result = throw_hubtok(env, &err);
  else if(enc->n <= IDS_SCRATCH_CAP) {
    if(enc->n)
      memcpy(in->scratch, enc->ids, enc->n * sizeof(uint32_t));
    if(napi_create_uint32(env, (uint32_t)enc->n, &result) != napi_ok)
      HUBTOK__THROW_LAST_ERROR(env);
  }
  else
    result = make_typed(env, napi_uint32_array, enc->ids, enc->n,
                        sizeof(uint32_t));
  hubtok_encoding_free(enc);
  enc_args_free(&a);
  return result;
}

/*
 * encodeBatch: the same encode for many inputs, on worker threads. The
 * main thread copies each string's UTF-16 code units into one buffer of
 * the request before queueing (one copy per string, no UTF-8 pass and no
 * allocation per string); the workers turn them into UTF-8
 * (hubtok_utf16_to_utf8, lone surrogates as U+FFFD as
 * napi_get_value_string_utf8 does) and only read them and the
 * (immutable, thread-safe) tokenizer.
 *
 * The inputs are cut into blocks of consecutive inputs (about
 * BATCH_BLOCKS_PER_PART per part), and up to one part per CPU (one napi
 * async work each on libuv's pool, at least BATCH_PART_MIN code units of
 * input each) claims blocks in order from a shared counter until none is
 * left: a part that is slowed (a colder cache, a busier core, longer
 * inputs) takes fewer blocks instead of holding up the whole batch. The
 * promise settles when the last part completes, with the first error in
 * input order if any: blocks are claimed in order and parts stop claiming
 * after a failure, so every block before a failed one has been encoded.
 * The tokenizer handle is kept alive by a reference until then.
 * Completion callbacks all run on the main thread, so the count of
 * pending parts needs no lock.
 */
#define BATCH_PART_MIN ((size_t)32 * 1024)
#define BATCH_PARTS_MAX 16
#define BATCH_BLOCKS_PER_PART 16
#define BATCH_NO_PAIR SIZE_MAX

typedef struct batch_req batch_req;

/* A part: one async work, the worker thread's loop over blocks. */
typedef struct batch_part {
  batch_req *req;
  napi_async_work work;
  char *u8;            /* the input being encoded, as UTF-8 */
  size_t u8_cap;
} batch_part;

/* A block: inputs [lo, hi), encoded by whichever part claimed it. */
typedef struct batch_block {
  size_t lo, hi;
  uint32_t *flat;      /* ENC_FLAT: the block's ids, back to back */
  size_t flat_n, flat_cap;
  int done;            /* set by its worker; read after all completed */
  hubtok_error err;
  hubtok_code rc;
} batch_block;

/* One input: its text's and pair's code units in batch_req.units. */
typedef struct batch_in {
  size_t off, len;
  size_t pair_off, pair_len; /* pair_off BATCH_NO_PAIR: no pair */
} batch_in;

/* Code units of an input (text and pair). */
static size_t
batch_in_units(const batch_in *in)
{
  return in->len + (in->pair_off == BATCH_NO_PAIR ? 0 : in->pair_len);
}

struct batch_req {
  napi_deferred deferred;
  napi_ref handle_ref;
  const hubtok_tokenizer *tok;
  size_t n;
  batch_in *in;
  uint16_t *units;     /* every input's code units, back to back */
  size_t units_n, units_cap;
  int add_special;
  uint32_t flags;
  hubtok_encoding **encs; /* without ENC_FLAT */
  uint32_t *counts;       /* with ENC_FLAT: ids per input */
  batch_block *blocks;
  size_t nblocks;
  size_t next_block;   /* atomic: the next block to claim */
  int failed;          /* atomic: a block failed, claim no more */
  batch_part parts[BATCH_PARTS_MAX];
  size_t nparts;
  size_t pending;      /* parts queued and not completed */
  const char *unrun;   /* why a block was not encoded, if one was not */
};

static void
batch_req_free(napi_env env, batch_req *req)
{
  size_t i;
  if(req->encs)
    for(i = 0; i < req->n; i++)
      hubtok_encoding_free(req->encs[i]);
  free(req->in);
  free(req->units);
  free(req->encs);
  free(req->counts);
  if(req->blocks)
    for(i = 0; i < req->nblocks; i++)
      free(req->blocks[i].flat);
  free(req->blocks);
  for(i = 0; i < req->nparts; i++)
    free(req->parts[i].u8);
  if(req->handle_ref)
    napi_delete_reference(env, req->handle_ref);
  free(req);
}

static void
set_oom(hubtok_error *err)
{
  memset(err, 0, sizeof(*err));
  err->code = HUBTOK_ENOMEM;
  snprintf(err->msg, sizeof(err->msg), "out of memory");
}

/* ENC_FLAT: append enc's ids to the block's buffer (worker thread). */
static hubtok_code
block_keep_ids(batch_block *block, const hubtok_encoding *enc)
{
  if(enc->n > block->flat_cap - block->flat_n) {
    size_t cap = block->flat_cap ? block->flat_cap : 1024;
    uint32_t *f;
    while(cap - block->flat_n < enc->n)
      cap *= 2;
    f = realloc(block->flat, cap * sizeof(uint32_t));
    if(!f)
      return HUBTOK_ENOMEM;
    block->flat = f;
    block->flat_cap = cap;
  }
  if(enc->n)
    memcpy(block->flat + block->flat_n, enc->ids,
           enc->n * sizeof(uint32_t));
  block->flat_n += enc->n;
  return HUBTOK_OK;
}

/* Input i as UTF-8 in the part's buffer (worker thread): the text at
 * part->u8, the pair (if any) right after it. */
static hubtok_code
part_utf8(batch_part *part, const batch_in *in, size_t *text_len,
          const char **pair, size_t *pair_len)
{
  const batch_req *req = part->req;
  size_t need = 3 * batch_in_units(in) + 1;

  if(need > part->u8_cap) {
    char *b = realloc(part->u8, need);
    if(!b)
      return HUBTOK_ENOMEM;
    part->u8 = b;
    part->u8_cap = need;
  }
  *text_len = hubtok_utf16_to_utf8(req->units + in->off, in->len, part->u8);
  *pair = NULL;
  *pair_len = 0;
  if(in->pair_off != BATCH_NO_PAIR) {
    *pair = part->u8 + *text_len;
    *pair_len = hubtok_utf16_to_utf8(req->units + in->pair_off,
                                     in->pair_len, part->u8 + *text_len);
  }
  return HUBTOK_OK;
}

/* Encode one block's inputs (worker thread); its rc says how it went. */
static void
block_encode(batch_part *part, batch_block *block)
{
  batch_req *req = part->req;
  hubtok_encode_opts opts;
  size_t i, len, pair_len;
  const char *pair;

  memset(&opts, 0, sizeof(opts));
  opts.add_special_tokens = req->add_special;
  block->rc = HUBTOK_OK;
  for(i = block->lo; i < block->hi; i++) {
    block->rc = part_utf8(part, &req->in[i], &len, &pair, &pair_len);
    if(block->rc != HUBTOK_OK) {
      set_oom(&block->err);
      return;
    }
    if(req->flags & ENC_CHAR_OFFSETS)
      block->rc = hubtok_encode_char_offsets(req->tok, part->u8, len, pair,
                                             pair_len, &opts, &req->encs[i],
                                             &block->err);
    else if(req->flags & ENC_FLAT)
      block->rc = hubtok_encode_ids(req->tok, part->u8, len, pair,
                                    pair_len, &opts, &req->encs[i],
                                    &block->err);
    else
      block->rc = hubtok_encode(req->tok, part->u8, len, pair, pair_len,
                                &opts, &req->encs[i], &block->err);
    if(block->rc == HUBTOK_OK && (req->flags & ENC_FLAT)) {
      /* keep the ids only, and free the rest here, on the thread that
       * allocated it */
      req->counts[i] = (uint32_t)req->encs[i]->n;
      block->rc = block_keep_ids(block, req->encs[i]);
      if(block->rc != HUBTOK_OK)
        set_oom(&block->err);
      hubtok_encoding_free(req->encs[i]);
      req->encs[i] = NULL;
    }
    if(block->rc != HUBTOK_OK)
      return;
  }
}

/* Runs on a worker thread. It has no access to the JavaScript. */
static void
batch_execute(napi_env env, void *data)
{
  batch_part *part = data;
  batch_req *req = part->req;
  (void)env;

  while(!__atomic_load_n(&req->failed, __ATOMIC_RELAXED)) {
    size_t b = __atomic_fetch_add(&req->next_block, 1, __ATOMIC_RELAXED);
    batch_block *block;
    if(b >= req->nblocks)
      break;
    block = &req->blocks[b];
    block_encode(part, block);
    block->done = 1;
    if(block->rc != HUBTOK_OK)
      __atomic_store_n(&req->failed, 1, __ATOMIC_RELAXED);
  }
  /* the text buffer is only needed while encoding */
  free(part->u8);
  part->u8 = NULL;
  part->u8_cap = 0;
}

/* The ENC_FLAT result; NULL with a pending exception. */
static napi_value
batch_flat(napi_env env, batch_req *req)
{
  napi_value obj, ab, ids, starts;
  uint32_t *pi = NULL, *ps = NULL;
  size_t total = 0, i, o = 0;

  for(i = 0; i < req->nblocks; i++)
    total += req->blocks[i].flat_n;
  if(total > UINT32_MAX) {
    napi_throw_range_error(env, "HUBTOK_ETOOLARGE",
                           "encodeBatch: more than 2^32 tokens");
    return NULL;
  }
  NAPI_CALL(env, napi_create_arraybuffer(env, total * sizeof(uint32_t),
                                         (void **)&pi, &ab));
  NAPI_CALL(env, napi_create_typedarray(env, napi_uint32_array, total, ab,
                                        0, &ids));
  NAPI_CALL(env, napi_create_arraybuffer(env, (req->n + 1) *
                                         sizeof(uint32_t), (void **)&ps,
                                         &ab));
  NAPI_CALL(env, napi_create_typedarray(env, napi_uint32_array, req->n + 1,
                                        ab, 0, &starts));
  /* the blocks cover the inputs in order */
  for(i = 0; i < req->nblocks; i++) {
    const batch_block *block = &req->blocks[i];
    if(block->flat_n)
      memcpy(pi + o, block->flat, block->flat_n * sizeof(uint32_t));
    o += block->flat_n;
  }
  for(i = 0, o = 0; i < req->n; i++) {
    ps[i] = (uint32_t)o;
    o += req->counts[i];
  }
  ps[req->n] = (uint32_t)o;
  NAPI_CALL(env, napi_create_object(env, &obj));
  if(!set_named(env, obj, "ids", ids) ||
     !set_named(env, obj, "starts", starts))
    return NULL;
  return obj;
}

/* Settle the promise (main thread, all parts done). */
static void
batch_settle(napi_env env, batch_req *req)
{
  napi_value value = NULL, exc, item;
  hubtok_error unrun;
  const hubtok_error *bad = NULL;
  size_t i;

  /* the first block in input order that failed or was never encoded */
  for(i = 0; i < req->nblocks && !bad; i++) {
    const batch_block *block = &req->blocks[i];
    if(!block->done) {
      memset(&unrun, 0, sizeof(unrun));
      unrun.code = HUBTOK_EINVAL;
      snprintf(unrun.msg, sizeof(unrun.msg), "%s",
               req->unrun ? req->unrun : "encodeBatch was cancelled");
      bad = &unrun;
    }
    else if(block->rc != HUBTOK_OK)
      bad = &block->err;
  }
  if(!bad && (req->flags & ENC_FLAT))
    value = batch_flat(env, req);
  else if(!bad) {
    if(napi_create_array_with_length(env, req->n, &value) != napi_ok)
      value = NULL;
    for(i = 0; value && i < req->n; i++) {
      item = encoding_to_js(env, req->encs[i], req->flags);
      if(!item || napi_set_element(env, value, (uint32_t)i, item) != napi_ok)
        value = NULL;
      /* the JS copy exists: give the memory back as we go */
      hubtok_encoding_free(req->encs[i]);
      req->encs[i] = NULL;
    }
  }
  else {
    value = make_error(env, bad);
  }
  if(value) {
    if(!bad)
      napi_resolve_deferred(env, req->deferred, value);
    else
      napi_reject_deferred(env, req->deferred, value);
  }
  else {
    napi_get_and_clear_last_exception(env, &exc);
    napi_reject_deferred(env, req->deferred, exc);
  }
  batch_req_free(env, req);
}

/* Runs on the main thread after batch_execute of one part. */
static void
batch_complete(napi_env env, napi_status status, void *data)
{
  batch_part *part = data;
  batch_req *req = part->req;

  if(status != napi_ok && !req->unrun)
    req->unrun = "encodeBatch was cancelled";
  napi_delete_async_work(env, part->work);
  part->work = NULL;
  if(--req->pending == 0)
    batch_settle(env, req);
}

/* How many parts (one per CPU at most, BATCH_PART_MIN units each at
 * least), and the blocks: consecutive inputs of about equal units. false
 * when out of memory. */
static bool
batch_plan(batch_req *req)
{
  size_t total = 0, i, k, nparts, nblocks, target, acc = 0;
  long ncpu = sysconf(_SC_NPROCESSORS_ONLN);

  for(i = 0; i < req->n; i++)
    total += batch_in_units(&req->in[i]);
  nparts = total / BATCH_PART_MIN;
  if(ncpu > 0 && nparts > (size_t)ncpu)
    nparts = (size_t)ncpu;
  if(nparts > BATCH_PARTS_MAX)
    nparts = BATCH_PARTS_MAX;
  if(nparts > req->n)
    nparts = req->n;
  if(nparts < 1)
    nparts = 1;
  req->nparts = nparts;
  for(k = 0; k < nparts; k++)
    req->parts[k].req = req;
  nblocks = nparts == 1 ? 1 : nparts * BATCH_BLOCKS_PER_PART;
  if(nblocks > req->n)
    nblocks = req->n ? req->n : 1;
  req->blocks = calloc(nblocks, sizeof(batch_block));
  if(!req->blocks)
    return false;
  req->nblocks = nblocks;
  target = total / nblocks + 1;
  for(k = 0, i = 0; k < nblocks; k++) {
    batch_block *b = &req->blocks[k];
    b->lo = i;
    if(k + 1 == nblocks)
      i = req->n;
    else
      while(i < req->n && acc < target * (k + 1)) {
        acc += batch_in_units(&req->in[i]);
        i++;
      }
    b->hi = i;
  }
  return true;
}

/* Copy element i of a JS array of strings (or null when allowed) into
 * req->units: *off and *len (code units), *off BATCH_NO_PAIR for null. */
static bool
array_units(napi_env env, napi_value arr, uint32_t i, bool allow_null,
            batch_req *req, size_t *off, size_t *len)
{
  napi_value v;
  size_t n = 0, copied = 0;

  *off = BATCH_NO_PAIR;
  *len = 0;
  if(napi_get_element(env, arr, i, &v) != napi_ok) {
    HUBTOK__THROW_LAST_ERROR(env);
    return false;
  }
  if(allow_null && (is_type(env, v, napi_null) ||
                    is_type(env, v, napi_undefined)))
    return true;
  if(!is_type(env, v, napi_string) ||
     napi_get_value_string_utf16(env, v, NULL, 0, &n) != napi_ok) {
    napi_throw_type_error(env, "HUBTOK_EINVAL",
                          "encodeBatch: texts must be strings");
    return false;
  }
  /* n + 1: napi writes a terminating NUL after the units */
  if(n + 1 > req->units_cap - req->units_n) {
    size_t cap = req->units_cap ? req->units_cap : 4096;
    uint16_t *u;
    while(cap - req->units_n < n + 1) {
      if(cap > SIZE_MAX / 4) {
        napi_throw_error(env, "HUBTOK_ENOMEM", "out of memory");
        return false;
      }
      cap *= 2;
    }
    u = realloc(req->units, cap * sizeof(uint16_t));
    if(!u) {
      napi_throw_error(env, "HUBTOK_ENOMEM", "out of memory");
      return false;
    }
    req->units = u;
    req->units_cap = cap;
  }
  if(napi_get_value_string_utf16(env, v, (char16_t *)(req->units +
                                                      req->units_n),
                                 n + 1, &copied) != napi_ok) {
    HUBTOK__THROW_LAST_ERROR(env);
    return false;
  }
  *off = req->units_n;
  *len = copied;
  req->units_n += copied;
  return true;
}

/* encodeBatch(h, texts: string[], pairs: (string|null)[] | null,
 * addSpecial: boolean, flags: number) -> Promise<object[]> */
static napi_value
encode_batch(napi_env env, napi_callback_info info)
{
  size_t argc = 5;
  napi_value argv[5], promise, name;
  hubtok_tokenizer *tok;
  batch_req *req;
  bool is_arr = false, add_special = true, has_pairs;
  uint32_t n = 0, np = 0, flags = 0, i;

  NAPI_CALL(env, napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  NAPI_ASSERT_ARG(env, argc == 5, "encodeBatch: expected 5 arguments");
  tok = unwrap_tokenizer(env, argv[0]);
  if(!tok)
    return NULL;
  NAPI_CALL(env, napi_is_array(env, argv[1], &is_arr));
  NAPI_ASSERT_ARG(env, is_arr, "encodeBatch: texts must be an array");
  NAPI_CALL(env, napi_get_array_length(env, argv[1], &n));
  has_pairs = !is_type(env, argv[2], napi_null);
  if(has_pairs) {
    NAPI_CALL(env, napi_is_array(env, argv[2], &is_arr));
    NAPI_ASSERT_ARG(env, is_arr, "encodeBatch: pairs must be an array or "
                    "null");
    NAPI_CALL(env, napi_get_array_length(env, argv[2], &np));
    NAPI_ASSERT_ARG(env, np == n, "encodeBatch: pairs must have as many "
                    "entries as texts");
  }
  NAPI_CALL(env, napi_get_value_bool(env, argv[3], &add_special));
  NAPI_CALL(env, napi_get_value_uint32(env, argv[4], &flags));

  req = calloc(1, sizeof(*req));
  if(!req) {
    napi_throw_error(env, "HUBTOK_ENOMEM", "out of memory");
    return NULL;
  }
  req->tok = tok;
  req->add_special = add_special;
  req->flags = flags;
  req->in = calloc(n ? n : 1, sizeof(batch_in));
  req->encs = calloc(n ? n : 1, sizeof(hubtok_encoding *));
  if(flags & ENC_FLAT)
    req->counts = calloc(n ? n : 1, sizeof(uint32_t));
  req->n = n;
  if(!req->in || !req->encs || ((flags & ENC_FLAT) && !req->counts)) {
    batch_req_free(env, req);
    napi_throw_error(env, "HUBTOK_ENOMEM", "out of memory");
    return NULL;
  }
  for(i = 0; i < n; i++) {
    batch_in *in = &req->in[i];
    in->pair_off = BATCH_NO_PAIR;
    if(!array_units(env, argv[1], i, false, req, &in->off, &in->len) ||
       (has_pairs && !array_units(env, argv[2], i, true, req, &in->pair_off,
                                  &in->pair_len))) {
      batch_req_free(env, req);
      return NULL;
    }
  }
  if(!batch_plan(req)) {
    batch_req_free(env, req);
    napi_throw_error(env, "HUBTOK_ENOMEM", "out of memory");
    return NULL;
  }
  if(napi_create_reference(env, argv[0], 1, &req->handle_ref) != napi_ok ||
     napi_create_string_utf8(env, "hubtok:encodeBatch", NAPI_AUTO_LENGTH,
                             &name) != napi_ok)
    goto fail;
  for(i = 0; i < req->nparts; i++)
    if(napi_create_async_work(env, NULL, name, batch_execute,
                              batch_complete, &req->parts[i],
                              &req->parts[i].work) != napi_ok)
      goto fail;
  if(napi_create_promise(env, &req->deferred, &promise) != napi_ok)
    goto fail;
  /* From here the promise always settles, through the last completion
   * (a part that cannot be queued is not waited for: the others take its
   * blocks, and if none was queued the batch fails). */
  for(i = 0; i < req->nparts; i++) {
    batch_part *part = &req->parts[i];
    if(napi_queue_async_work(env, part->work) == napi_ok) {
      req->pending++;
      continue;
    }
    req->unrun = "encodeBatch could not be queued";
    napi_delete_async_work(env, part->work);
    part->work = NULL;
  }
  if(req->pending == 0)
    batch_settle(env, req);
  return promise;

fail:
  HUBTOK__THROW_LAST_ERROR(env);
  for(i = 0; i < req->nparts; i++)
    if(req->parts[i].work)
      napi_delete_async_work(env, req->parts[i].work);
  batch_req_free(env, req);
  return NULL;
}

/* decode(h, ids: Uint32Array, skipSpecial: boolean) -> string */
static napi_value
decode(napi_env env, napi_callback_info info)
{
  size_t argc = 3, n = 0, out_len = 0;
  napi_value argv[3], result;
  hubtok_tokenizer *tok;
  bool is_ta = false, skip = false;
  napi_typedarray_type type;
  void *data = NULL;
  char *out = NULL;
  hubtok_error err;
  hubtok_code rc;

  NAPI_CALL(env, napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  NAPI_ASSERT_ARG(env, argc == 3, "decode: expected 3 arguments");
  tok = unwrap_tokenizer(env, argv[0]);
  if(!tok)
    return NULL;
  NAPI_CALL(env, napi_is_typedarray(env, argv[1], &is_ta));
  NAPI_ASSERT_ARG(env, is_ta, "decode: ids must be a Uint32Array");
  NAPI_CALL(env, napi_get_typedarray_info(env, argv[1], &type, &n, &data,
                                          NULL, NULL));
  NAPI_ASSERT_ARG(env, type == napi_uint32_array,
                  "decode: ids must be a Uint32Array");
  NAPI_CALL(env, napi_get_value_bool(env, argv[2], &skip));
  rc = hubtok_decode(tok, data, n, skip, &out, &out_len, &err);
  if(rc != HUBTOK_OK)
    return throw_hubtok(env, &err);
  if(napi_create_string_utf8(env, out, out_len, &result) != napi_ok) {
    hubtok_free(out);
    HUBTOK__THROW_LAST_ERROR(env);
    return NULL;
  }
  hubtok_free(out);
  return result;
}

/* tokenToId(h, token) -> number | undefined */
static napi_value
token_to_id(napi_env env, napi_callback_info info)
{
  size_t argc = 2, len;
  napi_value argv[2], result;
  hubtok_tokenizer *tok;
  char *s;
  uint32_t id;
  int found;

  NAPI_CALL(env, napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  NAPI_ASSERT_ARG(env, argc == 2, "tokenToId: expected 2 arguments");
  tok = unwrap_tokenizer(env, argv[0]);
  if(!tok)
    return NULL;
  NAPI_ASSERT_ARG(env, is_type(env, argv[1], napi_string),
                  "tokenToId: token must be a string");
  if(!get_utf8(env, argv[1], &s, &len))
    return NULL;
  found = hubtok_token_to_id(tok, s, len, &id);
  free(s);
  if(!found) {
    NAPI_CALL(env, napi_get_undefined(env, &result));
    return result;
  }
  NAPI_CALL(env, napi_create_uint32(env, id, &result));
  return result;
}

/* idToToken(h, id) -> string | undefined */
static napi_value
id_to_token(napi_env env, napi_callback_info info)
{
  size_t argc = 2, len = 0;
  napi_value argv[2], result;
  hubtok_tokenizer *tok;
  double d;
  const char *s = NULL;

  NAPI_CALL(env, napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  NAPI_ASSERT_ARG(env, argc == 2, "idToToken: expected 2 arguments");
  tok = unwrap_tokenizer(env, argv[0]);
  if(!tok)
    return NULL;
  NAPI_ASSERT_ARG(env, is_type(env, argv[1], napi_number),
                  "idToToken: id must be a number");
  NAPI_CALL(env, napi_get_value_double(env, argv[1], &d));
  if(d >= 0 && d <= 4294967295.0 && d == (double)(uint32_t)d)
    s = hubtok_id_to_token(tok, (uint32_t)d, &len);
  if(!s) {
    NAPI_CALL(env, napi_get_undefined(env, &result));
    return result;
  }
  NAPI_CALL(env, napi_create_string_utf8(env, s, len, &result));
  return result;
}

/* vocabSize(h, withAdded) -> number */
static napi_value
vocab_size(napi_env env, napi_callback_info info)
{
  size_t argc = 2;
  napi_value argv[2], result;
  hubtok_tokenizer *tok;
  bool with_added = true;

  NAPI_CALL(env, napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  NAPI_ASSERT_ARG(env, argc == 2, "vocabSize: expected 2 arguments");
  tok = unwrap_tokenizer(env, argv[0]);
  if(!tok)
    return NULL;
  NAPI_CALL(env, napi_get_value_bool(env, argv[1], &with_added));
  NAPI_CALL(env, napi_create_double(
                   env, (double)hubtok_vocab_size(tok, with_added), &result));
  return result;
}

/* vocabTokens(h) -> array indexed by id (holes where no token) */
static napi_value
vocab_tokens(napi_env env, napi_callback_info info)
{
  size_t argc = 1, n, i, len;
  napi_value argv[1], arr, s;
  hubtok_tokenizer *tok;
  const char *t;
  uint32_t max_id = 0;
  hubtok_added_token at;

  NAPI_CALL(env, napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  NAPI_ASSERT_ARG(env, argc == 1, "vocabTokens: expected 1 argument");
  tok = unwrap_tokenizer(env, argv[0]);
  if(!tok)
    return NULL;
  /* Ids are dense in practice, but added tokens may sit past the vocab. */
  n = hubtok_vocab_size(tok, 0);
  for(i = 0; i < hubtok_added_token_count(tok); i++)
    if(hubtok_added_token_get(tok, i, &at) && at.id + 1 > max_id)
      max_id = at.id + 1;
  if(max_id > n)
    n = max_id;
  NAPI_CALL(env, napi_create_array_with_length(env, n, &arr));
  for(i = 0; i < n; i++) {
    t = hubtok_id_to_token(tok, (uint32_t)i, &len);
    if(!t)
      continue;
    NAPI_CALL(env, napi_create_string_utf8(env, t, len, &s));
    NAPI_CALL(env, napi_set_element(env, arr, (uint32_t)i, s));
  }
  return arr;
}

/* addedTokens(h) -> [text, ids, ends, flags]: the added tokens in
 * tokenizer.json order, flat (lib/tokenizer.js makes the objects; one
 * N-API object with seven properties per token was most of a repeated
 * Whisper load): their contents back to back in text, token i being
 * text.slice(ends[i - 1] ?? 0, ends[i]) (ends in UTF-16 units), ids a
 * Uint32Array, flags a Uint8Array of ADDED_* bits. */
#define ADDED_SINGLE_WORD 1
#define ADDED_LSTRIP 2
#define ADDED_RSTRIP 4
#define ADDED_NORMALIZED 8
#define ADDED_SPECIAL 16

static napi_value
added_tokens(napi_env env, napi_callback_info info)
{
  size_t argc = 1, i, n, k, bytes = 0, units = 0, o = 0;
  napi_value argv[1], arr, v;
  hubtok_tokenizer *tok;
  hubtok_added_token at;
  uint32_t *ids, *ends;
  uint8_t *flags;
  char *text;
  void *mem = NULL;

  NAPI_CALL(env, napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  NAPI_ASSERT_ARG(env, argc == 1, "addedTokens: expected 1 argument");
  tok = unwrap_tokenizer(env, argv[0]);
  if(!tok)
    return NULL;
  n = hubtok_added_token_count(tok);
  for(i = 0; i < n; i++)
    if(hubtok_added_token_get(tok, i, &at))
      bytes += at.content_len;
  mem = malloc(n * (2 * sizeof(uint32_t) + 1) + bytes + 1);
  if(!mem) {
    napi_throw_error(env, "HUBTOK_ENOMEM", "out of memory");
    return NULL;
  }
  ids = mem;
  ends = ids + n;
  flags = (uint8_t *)(ends + n);
  text = (char *)(flags + n);
  for(i = 0; i < n; i++) {
    memset(&at, 0, sizeof(at));
    if(!hubtok_added_token_get(tok, i, &at))
      at.content_len = 0;
    memcpy(text + o, at.content, at.content_len);
    o += at.content_len;
    /* UTF-16 units: one per char, two from 4-byte sequences on */
    for(k = 0; k < at.content_len; k++) {
      unsigned char c = (unsigned char)at.content[k];
      units += (c & 0xC0) != 0x80;
      units += c >= 0xF0;
    }
    ids[i] = at.id;
    ends[i] = (uint32_t)units;
    flags[i] = (uint8_t)((at.single_word ? ADDED_SINGLE_WORD : 0) |
                         (at.lstrip ? ADDED_LSTRIP : 0) |
                         (at.rstrip ? ADDED_RSTRIP : 0) |
                         (at.normalized ? ADDED_NORMALIZED : 0) |
                         (at.special ? ADDED_SPECIAL : 0));
  }
  arr = NULL;
  if(napi_create_array_with_length(env, 4, &arr) == napi_ok &&
     napi_create_string_utf8(env, text, o, &v) == napi_ok &&
     napi_set_element(env, arr, 0, v) == napi_ok &&
     (v = make_typed(env, napi_uint32_array, ids, n, sizeof(uint32_t))) &&
     napi_set_element(env, arr, 1, v) == napi_ok &&
     (v = make_typed(env, napi_uint32_array, ends, n, sizeof(uint32_t))) &&
     napi_set_element(env, arr, 2, v) == napi_ok &&
     (v = make_typed(env, napi_uint8_array, flags, n, 1)) &&
     napi_set_element(env, arr, 3, v) == napi_ok) {
    free(mem);
    return arr;
  }
  free(mem);
  HUBTOK__THROW_LAST_ERROR(env);
  return NULL;
}

/* ------------------------------------------------------------------ */
/* download                                                           */
/* ------------------------------------------------------------------ */

typedef struct download_req {
  napi_async_work work;
  napi_deferred deferred;
  napi_threadsafe_function tsfn; /* NULL without a progress callback */
  /* Owned copies of the options' strings (token wiped on free). */
  char *endpoint, *repo_id, *repo_type, *revision, *filename, *cache_dir;
  char *token, *user_agent, *proxy, *no_proxy;
  hubtok_hub_opts opts;
  hubtok_hub_result result;
  hubtok_error err;
  hubtok_code rc;
} download_req;

typedef struct progress_msg {
  uint64_t loaded, total;
} progress_msg;

static void
download_req_free(download_req *req)
{
  free(req->endpoint);
  free(req->repo_id);
  free(req->repo_type);
  free(req->revision);
  free(req->filename);
  free(req->cache_dir);
  free_secret(req->token);
  free(req->user_agent);
  free(req->proxy);
  free(req->no_proxy);
  hubtok_free(req->result.path);
  free(req);
}

/* Runs on the main thread: deliver one progress message to JS. */
static void
progress_call_js(napi_env env, napi_value cb, void *context, void *data)
{
  progress_msg *m = data;
  napi_value argv[2], undefined;
  (void)context;

  if(env && cb && m) {
    if(napi_create_double(env, (double)m->loaded, &argv[0]) == napi_ok &&
       napi_create_double(env, (double)m->total, &argv[1]) == napi_ok &&
       napi_get_undefined(env, &undefined) == napi_ok)
      napi_call_function(env, undefined, cb, 2, argv, NULL);
  }
  free(m);
}

/* Runs on the worker thread: queue a progress message. */
static void
progress_from_worker(void *ud, uint64_t loaded, uint64_t total)
{
  download_req *req = ud;
  progress_msg *m;

  if(!req->tsfn)
    return;
  m = malloc(sizeof(*m));
  if(!m)
    return;
  m->loaded = loaded;
  m->total = total;
  if(napi_call_threadsafe_function(req->tsfn, m, napi_tsfn_nonblocking) !=
     napi_ok)
    free(m);
}

/* Runs on a worker thread. It has no access to the JavaScript. */
static void
download_execute(napi_env env, void *data)
{
  download_req *req = data;
  (void)env;
  req->rc = hubtok_hub_download(&req->opts, &req->result, &req->err);
}

/* Runs on the main thread after download_execute. Always settles. */
static void
download_complete(napi_env env, napi_status status, void *data)
{
  download_req *req = data;
  napi_value value = NULL, exc;
  bool ok;

  if(status != napi_ok && req->rc == HUBTOK_OK) {
    req->rc = HUBTOK_NETWORK;
    memset(&req->err, 0, sizeof(req->err));
    req->err.code = HUBTOK_NETWORK;
    snprintf(req->err.msg, sizeof(req->err.msg), "download was cancelled");
  }
  ok = req->rc == HUBTOK_OK;
  if(ok) {
    if(napi_create_object(env, &value) != napi_ok ||
       !set_string(env, value, "path", req->result.path) ||
       !set_string(env, value, "commit", req->result.commit) ||
       !set_number(env, value, "size", (double)req->result.size) ||
       !set_bool(env, value, "downloaded", req->result.downloaded) ||
       !set_number(env, value, "requests", req->result.requests))
      value = NULL;
  }
  else {
    value = make_error(env, &req->err);
  }
  if(value) {
    if(ok)
      napi_resolve_deferred(env, req->deferred, value);
    else
      napi_reject_deferred(env, req->deferred, value);
  }
  else {
    napi_get_and_clear_last_exception(env, &exc);
    napi_reject_deferred(env, req->deferred, exc);
  }
  if(req->tsfn)
    napi_release_threadsafe_function(req->tsfn, napi_tsfn_release);
  napi_delete_async_work(env, req->work);
  download_req_free(req);
}

/* Read opts[name] as an owned string; absent/null/undefined -> NULL. */
static bool
opt_string(napi_env env, napi_value opts, const char *name, char **out)
{
  napi_value v;
  napi_valuetype t;
  size_t len = 0;

  *out = NULL;
  if(napi_get_named_property(env, opts, name, &v) != napi_ok ||
     napi_typeof(env, v, &t) != napi_ok)
    return false;
  if(t == napi_undefined || t == napi_null)
    return true;
  if(t != napi_string) {
    char msg[128];
    snprintf(msg, sizeof(msg), "option %s must be a string", name);
    napi_throw_type_error(env, "HUBTOK_EINVAL", msg);
    return false;
  }
  if(!get_utf8(env, v, out, &len))
    return false;
  if(strlen(*out) != len) {
    /* An embedded NUL would silently truncate the value in C. */
    char msg[160];
    bool is_token = strcmp(name, "token") == 0;
    if(is_token) {
      free_secret(*out);
      snprintf(msg, sizeof(msg), "The access token holds control "
               "characters (here a NUL byte); refusing to send it.");
    }
    else {
      free(*out);
      snprintf(msg, sizeof(msg), "option %s holds a NUL character",
               name);
    }
    *out = NULL;
    napi_throw_error(env, is_token ? "HUBTOK_INVALID_TOKEN" : "HUBTOK_EINVAL",
                     msg);
    return false;
  }
  return true;
}

static bool
opt_number(napi_env env, napi_value opts, const char *name, double *out,
           double dflt)
{
  napi_value v;
  napi_valuetype t;

  *out = dflt;
  if(napi_get_named_property(env, opts, name, &v) != napi_ok ||
     napi_typeof(env, v, &t) != napi_ok)
    return false;
  if(t == napi_undefined || t == napi_null)
    return true;
  if(t == napi_boolean) {
    bool b;
    if(napi_get_value_bool(env, v, &b) != napi_ok)
      return false;
    *out = b ? 1 : 0;
    return true;
  }
  if(t != napi_number) {
    char msg[128];
    snprintf(msg, sizeof(msg), "download: %s must be a number", name);
    napi_throw_type_error(env, "HUBTOK_EINVAL", msg);
    return false;
  }
  return napi_get_value_double(env, v, out) == napi_ok;
}

/*
 * download({ endpoint, repoId, repoType, revision, filename, cacheDir,
 *            token, userAgent, proxy, noProxy, localFilesOnly, offline,
 *            etagTimeoutMs, downloadTimeoutMs, maxRetries, backoffBaseMs },
 *          onProgress(loaded, total) | null) -> Promise<{ path, commit,
 *          size, downloaded, requests }>
 */
static napi_value
download(napi_env env, napi_callback_info info)
{
  size_t argc = 2;
  napi_value argv[2], promise, name;
  download_req *req;
  double d;
  bool has_cb;

  NAPI_CALL(env, napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  NAPI_ASSERT_ARG(env, argc == 2 && is_type(env, argv[0], napi_object),
                  "download: expected (options, onProgress)");
  has_cb = is_type(env, argv[1], napi_function);
  NAPI_ASSERT_ARG(env, has_cb || is_type(env, argv[1], napi_null),
                  "download: onProgress must be a function or null");
  req = calloc(1, sizeof(*req));
  if(!req) {
    napi_throw_error(env, "HUBTOK_ENOMEM", "out of memory");
    return NULL;
  }
  if(!opt_string(env, argv[0], "endpoint", &req->endpoint) ||
     !opt_string(env, argv[0], "repoId", &req->repo_id) ||
     !opt_string(env, argv[0], "repoType", &req->repo_type) ||
     !opt_string(env, argv[0], "revision", &req->revision) ||
     !opt_string(env, argv[0], "filename", &req->filename) ||
     !opt_string(env, argv[0], "cacheDir", &req->cache_dir) ||
     !opt_string(env, argv[0], "token", &req->token) ||
     !opt_string(env, argv[0], "userAgent", &req->user_agent) ||
     !opt_string(env, argv[0], "proxy", &req->proxy) ||
     !opt_string(env, argv[0], "noProxy", &req->no_proxy))
    goto fail;
  if(!req->endpoint || !req->repo_id || !req->filename || !req->cache_dir) {
    napi_throw_type_error(env, "HUBTOK_EINVAL",
                          "download: endpoint, repoId, filename and "
                          "cacheDir are required");
    goto fail;
  }
  req->opts.endpoint = req->endpoint;
  req->opts.repo_id = req->repo_id;
  req->opts.repo_type = req->repo_type;
  req->opts.revision = req->revision;
  req->opts.filename = req->filename;
  req->opts.cache_dir = req->cache_dir;
  req->opts.token = req->token;
  req->opts.user_agent = req->user_agent;
  req->opts.proxy = req->proxy;
  req->opts.no_proxy = req->no_proxy;
  if(!opt_number(env, argv[0], "localFilesOnly", &d, 0))
    goto fail;
  req->opts.local_files_only = d != 0;
  if(!opt_number(env, argv[0], "offline", &d, 0))
    goto fail;
  req->opts.offline = d != 0;
  if(!opt_number(env, argv[0], "etagTimeoutMs", &d, 0))
    goto fail;
  req->opts.etag_timeout_ms = (long)d;
  if(!opt_number(env, argv[0], "downloadTimeoutMs", &d, 0))
    goto fail;
  req->opts.download_timeout_ms = (long)d;
  if(!opt_number(env, argv[0], "maxRetries", &d, -1))
    goto fail;
  req->opts.max_retries = (int)d;
  if(!opt_number(env, argv[0], "backoffBaseMs", &d, 0))
    goto fail;
  req->opts.backoff_base_ms = (long)d;
  if(has_cb) {
    NAPI_CALL(env, napi_create_string_utf8(env, "hubtok:progress",
                                           NAPI_AUTO_LENGTH, &name));
    if(napi_create_threadsafe_function(env, argv[1], NULL, name, 0, 1, NULL,
                                       NULL, NULL, progress_call_js,
                                       &req->tsfn) != napi_ok) {
      HUBTOK__THROW_LAST_ERROR(env);
      goto fail;
    }
    req->opts.progress = progress_from_worker;
    req->opts.progress_ud = req;
  }
  if(napi_create_promise(env, &req->deferred, &promise) != napi_ok ||
     napi_create_string_utf8(env, "hubtok:download", NAPI_AUTO_LENGTH,
                             &name) != napi_ok ||
     napi_create_async_work(env, NULL, name, download_execute,
                            download_complete, req, &req->work) != napi_ok ||
     napi_queue_async_work(env, req->work) != napi_ok) {
    HUBTOK__THROW_LAST_ERROR(env);
    if(req->work)
      napi_delete_async_work(env, req->work);
    goto fail;
  }
  return promise;

fail:
  if(req->tsfn)
    napi_release_threadsafe_function(req->tsfn, napi_tsfn_abort);
  download_req_free(req);
  return NULL;
}

/* ------------------------------------------------------------------ */
/* module                                                             */
/* ------------------------------------------------------------------ */

static napi_value
version(napi_env env, napi_callback_info info)
{
  napi_value v;
  (void)info;
  NAPI_CALL(env, napi_create_string_utf8(env, hubtok_version(),
                                         NAPI_AUTO_LENGTH, &v));
  return v;
}

static napi_value
init(napi_env env, napi_value exports)
{
  napi_property_descriptor props[] = {
    {"version", NULL, version, NULL, NULL, NULL, napi_enumerable, NULL},
    {"loadTokenizerJson", NULL, load_tokenizer_json, NULL, NULL, NULL,
     napi_enumerable, NULL},
    {"loadTokenizerFile", NULL, load_tokenizer_file, NULL, NULL, NULL,
     napi_enumerable, NULL},
    {"loadTokenizerLegacy", NULL, load_tokenizer_legacy, NULL, NULL, NULL,
     napi_enumerable, NULL},
    {"encode", NULL, encode, NULL, NULL, NULL, napi_enumerable, NULL},
    {"encodeIds", NULL, encode_ids, NULL, NULL, NULL, napi_enumerable,
     NULL},
    {"idsScratch", NULL, NULL, NULL, NULL, NULL, napi_enumerable, NULL},
    {"encodeBatch", NULL, encode_batch, NULL, NULL, NULL, napi_enumerable,
     NULL},
    {"decode", NULL, decode, NULL, NULL, NULL, napi_enumerable, NULL},
    {"tokenToId", NULL, token_to_id, NULL, NULL, NULL, napi_enumerable,
     NULL},
    {"idToToken", NULL, id_to_token, NULL, NULL, NULL, napi_enumerable,
     NULL},
    {"vocabSize", NULL, vocab_size, NULL, NULL, NULL, napi_enumerable, NULL},
    {"vocabTokens", NULL, vocab_tokens, NULL, NULL, NULL, napi_enumerable,
     NULL},
    {"addedTokens", NULL, added_tokens, NULL, NULL, NULL, napi_enumerable,
     NULL},
    {"download", NULL, download, NULL, NULL, NULL, napi_enumerable, NULL},
  };
  instance *in;
  napi_value ab, ta;
  void *data = NULL;

  in = calloc(1, sizeof(*in));
  if(!in) {
    napi_throw_error(env, "HUBTOK_ENOMEM", "out of memory");
    return NULL;
  }
  if(napi_set_instance_data(env, in, instance_finalize, NULL) != napi_ok) {
    free(in);
    HUBTOK__THROW_LAST_ERROR(env);
    return NULL;
  }
  NAPI_CALL(env, napi_create_arraybuffer(
                   env, IDS_SCRATCH_CAP * sizeof(uint32_t), &data, &ab));
  NAPI_CALL(env, napi_create_reference(env, ab, 1, &in->scratch_ref));
  in->scratch = data;
  NAPI_CALL(env, napi_create_typedarray(env, napi_uint32_array,
                                        IDS_SCRATCH_CAP, ab, 0, &ta));
  for(size_t i = 0; i < sizeof(props) / sizeof(props[0]); i++)
    if(!strcmp(props[i].utf8name, "idsScratch"))
      props[i].value = ta;
  NAPI_CALL(env, napi_define_properties(
                   env, exports, sizeof(props) / sizeof(props[0]), props));
  return exports;
}

NAPI_MODULE(NODE_GYP_MODULE_NAME, init)
