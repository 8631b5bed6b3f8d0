/*
 * test_tokenizer.c: golden tests for the tokenizer engine, without Node.
 *
 *   test_tokenizer TINYLLAMA_TOKENIZER_JSON [LLAMA_SPM_INP LLAMA_SPM_OUT]
 *
 * Each component is checked with literal inputs and outputs taken from
 * the Rust `tokenizers` library (tokenizers@0.23.2 via Node), plus error
 * codes for malformed files and a multi-threaded encode. The optional
 * llama.cpp vector files (ggml-vocab-llama-spm.gguf.inp/.out) are checked
 * id for id with add_special_tokens = false.
 */
#include "hubtok.h"
#include "internal.h"
#include "decoders/decoder.h"
#include "models/word_cache.h"
#include "normalizers/normalizer.h"
#include "tokenizer/normalized.h"
#include "util/buf.h"
#include "util/file.h"
#include "util/json.h"
#include "util/regex.h"
#include "util/strmap.h"
#include "util/utf8.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int failures;
static int checks;

#define CHECK(cond)                                                     \
  do {                                                                  \
    checks++;                                                           \
    if(!(cond)) {                                                       \
      failures++;                                                       \
      fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__,  \
              #cond);                                                   \
    }                                                                   \
  } while(0)

#define CHECK_CODE(got, want)                                           \
  do {                                                                  \
    hubtok_code got_ = (got);                                           \
    checks++;                                                           \
    if(got_ != (want)) {                                                \
      failures++;                                                       \
      fprintf(stderr, "%s:%d: got %s, want %s\n", __FILE__, __LINE__,   \
              hubtok_err_name(got_), hubtok_err_name(want));            \
    }                                                                   \
  } while(0)

/* ------------------------------------------------------------------ */
/* helpers                                                             */

static int
ids_eq(const hubtok_encoding *e, const uint32_t *ids, size_t n)
{
  size_t i;

  if(e->n != n)
    return 0;
  for(i = 0; i < n; i++) {
    if(e->ids[i] != ids[i])
      return 0;
  }
  return 1;
}

/* tokens joined with '|' */
static char *
tokens_joined(const hubtok_encoding *e)
{
  size_t i, len = 0;
  char *s = malloc(e->token_off[e->n] + e->n + 1);

  for(i = 0; i < e->n; i++) {
    size_t a = e->token_off[i], b = e->token_off[i + 1];
    if(i)
      s[len++] = '|';
    memcpy(s + len, e->tokens + a, b - a);
    len += b - a;
  }
  s[len] = 0;
  return s;
}

static int
offsets_eq(const hubtok_encoding *e, const size_t *offs)
{
  size_t i;

  for(i = 0; i < 2 * e->n; i++) {
    if(e->offsets[i] != offs[i])
      return 0;
  }
  return 1;
}

static hubtok_encoding *
enc(const hubtok_tokenizer *tok, const char *text, const char *pair,
    int special)
{
  hubtok_encode_opts o;
  hubtok_encoding *e = NULL;
  hubtok_error err;

  o.add_special_tokens = special;
  if(hubtok_encode(tok, text, strlen(text), pair, pair ? strlen(pair) : 0,
                   &o, &e, &err)) {
    fprintf(stderr, "encode failed: %s\n", err.msg);
    return NULL;
  }
  return e;
}

static int
decode_is(const hubtok_tokenizer *tok, const uint32_t *ids, size_t n,
          int skip, const char *want)
{
  char *s = NULL;
  size_t len = 0;
  hubtok_error err;
  int ok;

  if(hubtok_decode(tok, ids, n, skip, &s, &len, &err)) {
    fprintf(stderr, "decode failed: %s\n", err.msg);
    return 0;
  }
  ok = len == strlen(want) && !memcmp(s, want, len);
  if(!ok)
    fprintf(stderr, "decode: got \"%s\", want \"%s\"\n", s, want);
  hubtok_free(s);
  return ok;
}

static hubtok_code
load_str(const char *json, hubtok_tokenizer **tok, hubtok_error *err)
{
  return hubtok_tokenizer_from_json(json, strlen(json), tok, err);
}

/* ------------------------------------------------------------------ */
/* util                                                                */

static void
test_util(void)
{
  hubtok__buf b;
  hubtok__strmap m;
  uint32_t v = 0;
  int existed = 0;
  char *s;
  size_t len;

  hubtok__buf_init(&b, 8);
  CHECK_CODE(hubtok__buf_add(&b, "abc", 3), HUBTOK_OK);
  CHECK(b.len == 3 && !strcmp(b.p, "abc"));
  /* the cap counts the NUL: 3 + 5 reaches it; the buffer is freed */
  CHECK_CODE(hubtok__buf_add(&b, "defgh", 5), HUBTOK_ETOOLARGE);
  CHECK(b.p == NULL && b.len == 0);
  CHECK_CODE(hubtok__buf_add(&b, "xy", 2), HUBTOK_OK);
  s = hubtok__buf_take(&b, &len);
  CHECK(len == 2 && !strcmp(s, "xy"));
  free(s);
  hubtok__buf_free(&b);

  hubtok__strmap_init(&m, 1000);
  CHECK_CODE(hubtok__strmap_put(&m, "▁the", 5, 278, NULL, &existed),
             HUBTOK_OK);
  CHECK(!existed);
  CHECK_CODE(hubtok__strmap_put(&m, "▁the", 5, 279, NULL, &existed),
             HUBTOK_OK);
  CHECK(existed);
  CHECK(hubtok__strmap_get(&m, "▁the", 5, &v) && v == 279);
  CHECK(!hubtok__strmap_get(&m, "▁th", 4, &v));
  CHECK(hubtok__strmap_put(&m, "", 0, 7, NULL, NULL) == HUBTOK_OK);
  CHECK(hubtok__strmap_get(&m, "", 0, &v) && v == 7);
  hubtok__strmap_free(&m);

  CHECK(hubtok__utf8_valid("h\xC3\xA9", 3));
  CHECK(!hubtok__utf8_valid("\xC0\xAF", 2));         /* overlong */
  CHECK(!hubtok__utf8_valid("\xED\xA0\x80", 3));     /* surrogate */
  CHECK(!hubtok__utf8_valid("\xF4\x90\x80\x80", 4)); /* > U+10FFFF */
  CHECK(!hubtok__utf8_valid("\xE2\x82", 2));         /* truncated */
  CHECK(hubtok__utf8_valid_prefix("ab\xFF", 3) == 2);
}

static void
test_pattern(void)
{
  hubtok__pattern p;
  hubtok__spans m;
  hubtok_error err;

  memset(&m, 0, sizeof(m));
  CHECK_CODE(hubtok__pattern_string(&p, "ab", 2, &err), HUBTOK_OK);
  CHECK_CODE(hubtok__pattern_find(&p, "xababab", 7, &m, &err), HUBTOK_OK);
  CHECK(m.n == 3 && m.v[0].start == 1 && m.v[2].end == 7);
  hubtok__pattern_free(&p);
  m.n = 0;
  /* the onig crate's find_iter: "a*" on "baab" matches (0,0) (1,3) (4,4):
   * the empty match at 3, right after a match, is skipped */
  CHECK_CODE(hubtok__pattern_regex(&p, "a*", 2, "test", &err), HUBTOK_OK);
  CHECK_CODE(hubtok__pattern_find(&p, "baab", 4, &m, &err), HUBTOK_OK);
  CHECK(m.n == 3);
  if(m.n == 3) {
    CHECK(m.v[0].start == 0 && m.v[0].end == 0);
    CHECK(m.v[1].start == 1 && m.v[1].end == 3);
    CHECK(m.v[2].start == 4 && m.v[2].end == 4);
  }
  hubtok__pattern_free(&p);
  CHECK_CODE(hubtok__pattern_regex(&p, "(", 1, "x.pattern", &err),
             HUBTOK_ETOKENIZER);
  CHECK(strstr(err.msg, "x.pattern") != NULL);
  hubtok__spans_free(&m);
}

/* ------------------------------------------------------------------ */
/* NormalizedString and normalizers                                    */

static void
test_normalized(void)
{
  hubtok__nstr ns, sl;
  hubtok__span sp[2];
  size_t os, oe;

  /* "a b" -> Prepend("▁") -> "▁a b": the ▁ aligns with 'a' */
  CHECK(hubtok__nstr_init(&ns, "a b", 3, 0) == HUBTOK_OK);
  CHECK(hubtok__nstr_prepend(&ns, "\xE2\x96\x81", 3) == HUBTOK_OK);
  CHECK(ns.len == 6 && !memcmp(ns.s, "\xE2\x96\x81" "a b", 6));
  hubtok__nstr_orig(&ns, 0, 3, &os, &oe);
  CHECK(os == 0 && oe == 1);
  hubtok__nstr_orig(&ns, 0, 4, &os, &oe);
  CHECK(os == 0 && oe == 1);
  /* Replace(" " -> "▁"): the new bytes align with the space */
  sp[0].start = 4;
  sp[0].end = 5;
  CHECK(hubtok__nstr_replace(&ns, sp, 1, "\xE2\x96\x81", 3) == HUBTOK_OK);
  CHECK(ns.len == 8 &&
        !memcmp(ns.s, "\xE2\x96\x81" "a" "\xE2\x96\x81" "b", 8));
  hubtok__nstr_orig(&ns, 4, 8, &os, &oe);
  CHECK(os == 1 && oe == 3);
  /* slicing keeps offsets in the whole input */
  CHECK(hubtok__nstr_slice(&ns, 4, 8, &sl) == HUBTOK_OK);
  CHECK(sl.len == 4 && sl.shift == 1 && sl.orig_len == 2);
  hubtok__nstr_orig(&sl, 3, 4, &os, &oe);
  CHECK(os == 2 && oe == 3);
  hubtok__nstr_free(&sl);
  hubtok__nstr_free(&ns);

  /* Prepend on an empty string does nothing */
  CHECK(hubtok__nstr_init(&ns, "", 0, 0) == HUBTOK_OK);
  CHECK(hubtok__nstr_prepend(&ns, "x", 1) == HUBTOK_OK);
  CHECK(ns.len == 0);
  hubtok__nstr_free(&ns);
}

static void
test_normalizers(void)
{
  static const char *json =
    "{\"type\":\"Sequence\",\"normalizers\":["
    "{\"type\":\"Prepend\",\"prepend\":\"\\u2581\"},"
    "{\"type\":\"Replace\",\"pattern\":{\"String\":\" \"},"
    "\"content\":\"\\u2581\"},"
    "{\"type\":\"Replace\",\"pattern\":{\"Regex\":\"[0-9]+\"},"
    "\"content\":\"#\"}]}";
  hubtok__normalizer *n = NULL;
  hubtok__nstr ns;
  hubtok_error err;
  cJSON *j = NULL;
  size_t os, oe;

  CHECK_CODE(hubtok__json_parse(json, strlen(json), &j, &err), HUBTOK_OK);
  CHECK_CODE(hubtok__normalizer_from_json(j, "normalizer", 0, &n, &err),
             HUBTOK_OK);
  cJSON_Delete(j);
  if(!n)
    return;
  CHECK(hubtok__nstr_init(&ns, "ab 123 c", 8, 0) == HUBTOK_OK);
  CHECK_CODE(hubtok__normalize(n, &ns, &err), HUBTOK_OK);
  CHECK(ns.len == 13 &&
        !memcmp(ns.s, "\xE2\x96\x81" "ab" "\xE2\x96\x81" "#"
                "\xE2\x96\x81" "c", 13));
  /* "#" replaced "123": aligned with the last digit */
  hubtok__nstr_orig(&ns, 8, 9, &os, &oe);
  CHECK(os == 5 && oe == 6);
  hubtok__nstr_free(&ns);
  hubtok__normalizer_free(n);

  /* unknown type: EUNSUPPORTED naming type and path */
  json = "{\"type\":\"Sequence\",\"normalizers\":[{\"type\":\"NoSuch\"}]}";
  CHECK_CODE(hubtok__json_parse(json, strlen(json), &j, &err), HUBTOK_OK);
  CHECK_CODE(hubtok__normalizer_from_json(j, "normalizer", 0, &n, &err),
             HUBTOK_EUNSUPPORTED);
  CHECK(strstr(err.msg, "normalizer.normalizers[0]") &&
        strstr(err.msg, "NoSuch"));
  cJSON_Delete(j);
}

/* ------------------------------------------------------------------ */
/* decoders                                                            */

static char *
run_decoder(const char *json, const char *const *toks, size_t n)
{
  hubtok__decoder *d = NULL;
  hubtok__strs in;
  hubtok_error err;
  cJSON *j = NULL;
  char *out = NULL;
  size_t len, i;

  if(hubtok__json_parse(json, strlen(json), &j, &err) ||
     hubtok__decoder_from_json(j, "decoder", 0, &d, &err)) {
    fprintf(stderr, "decoder: %s\n", err.msg);
    cJSON_Delete(j);
    return NULL;
  }
  cJSON_Delete(j);
  hubtok__strs_init(&in);
  for(i = 0; i < n; i++) {
    if(hubtok__strs_push(&in, toks[i], strlen(toks[i])))
      break;
  }
  if(hubtok__decode_tokens(d, &in, &out, &len, &err))
    fprintf(stderr, "decode: %s\n", err.msg);
  hubtok__strs_free(&in);
  hubtok__decoder_free(d);
  return out;
}

static void
test_decoders(void)
{
  static const char *const t1[] = { "<0xE2>", "<0x82>", "<0xAC>", "a" };
  static const char *const t2[] = { "<0xE2>", "<0x82>", "a", "<0xF0>" };
  static const char *const t3[] = { "\xE2\x96\x81" "Hey", "\xE2\x96\x81"
                                    "friend", "<0x+A>" };
  static const char *const t4[] = { "  x  ", "yy" };
  char *s;

  /* ByteFallback: valid run -> one string; invalid run -> one U+FFFD per
   * byte (Rust's String::from_utf8 failing on the whole run) */
  s = run_decoder("{\"type\":\"ByteFallback\"}", t1, 4);
  CHECK(s && !strcmp(s, "\xE2\x82\xAC" "a"));
  free(s);
  s = run_decoder("{\"type\":\"ByteFallback\"}", t2, 4);
  CHECK(s && !strcmp(s, "\xEF\xBF\xBD\xEF\xBF\xBD" "a" "\xEF\xBF\xBD"));
  free(s);
  /* Llama chain; "<0x+A>" is byte 0x0A (from_str_radix accepts '+') */
  s = run_decoder("{\"type\":\"Sequence\",\"decoders\":["
                  "{\"type\":\"Replace\",\"pattern\":{\"String\":"
                  "\"\\u2581\"},\"content\":\" \"},"
                  "{\"type\":\"ByteFallback\"},{\"type\":\"Fuse\"},"
                  "{\"type\":\"Strip\",\"content\":\" \",\"start\":1,"
                  "\"stop\":0}]}", t3, 3);
  CHECK(s && !strcmp(s, "Hey friend\n"));
  free(s);
  /* Strip per token, at most start/stop characters */
  s = run_decoder("{\"type\":\"Strip\",\"content\":\" \",\"start\":1,"
                  "\"stop\":2}", t4, 2);
  CHECK(s && !strcmp(s, " xyy"));
  free(s);
  /* no decoder: tokens joined with spaces */
  {
    hubtok__strs in;
    hubtok_error err;
    size_t len;
    hubtok__strs_init(&in);
    CHECK(!hubtok__strs_push(&in, "a", 1) && !hubtok__strs_push(&in, "b", 1));
    CHECK(!hubtok__decode_tokens(NULL, &in, &s, &len, &err));
    CHECK(s && !strcmp(s, "a b"));
    free(s);
    hubtok__strs_free(&in);
  }
}

/* ------------------------------------------------------------------ */
/* BPE and the pipeline on a hand-written tokenizer                    */

static const char tiny_bpe[] =
  "{\"version\":\"1.0\",\"truncation\":null,\"padding\":null,"
  "\"added_tokens\":["
  "{\"id\":0,\"content\":\"<unk>\",\"single_word\":false,\"lstrip\":false,"
  "\"rstrip\":false,\"normalized\":false,\"special\":true},"
  "{\"id\":9,\"content\":\"[X]\",\"single_word\":false,\"lstrip\":true,"
  "\"rstrip\":true,\"normalized\":false,\"special\":false}],"
  "\"normalizer\":null,\"pre_tokenizer\":null,"
  "\"post_processor\":{\"type\":\"TemplateProcessing\","
  "\"single\":[{\"Sequence\":{\"id\":\"A\",\"type_id\":0}},"
  "{\"SpecialToken\":{\"id\":\"<unk>\",\"type_id\":0}}],"
  "\"pair\":[{\"Sequence\":{\"id\":\"A\",\"type_id\":0}},"
  "{\"Sequence\":{\"id\":\"B\",\"type_id\":1}}],"
  "\"special_tokens\":{\"<unk>\":{\"id\":\"<unk>\",\"ids\":[0],"
  "\"tokens\":[\"<unk>\"]}}},"
  "\"decoder\":null,"
  "\"model\":{\"type\":\"BPE\",\"dropout\":null,\"unk_token\":\"<unk>\","
  "\"continuing_subword_prefix\":null,\"end_of_word_suffix\":null,"
  "\"fuse_unk\":%s,\"byte_fallback\":%s,"
  "\"vocab\":{\"<unk>\":0,\"a\":1,\"b\":2,\"c\":3,\"ab\":4,\"bc\":5,"
  "\"abc\":6,\"<0xC3>\":7,\"<0xA9>\":8},"
  "\"merges\":%s}}";

static hubtok_tokenizer *
tiny(const char *fuse, const char *fallback, const char *merges)
{
  char buf[4096];
  hubtok_tokenizer *tok = NULL;
  hubtok_error err;

  snprintf(buf, sizeof(buf), tiny_bpe, fuse, fallback, merges);
  if(load_str(buf, &tok, &err))
    fprintf(stderr, "tiny: %s\n", err.msg);
  return tok;
}

static void
test_bpe(void)
{
  hubtok_tokenizer *tok;
  hubtok_encoding *e;
  char *t;

  /* merges by rank: "b c" (rank 0) before "a b" -> a|bc, no "abc" */
  tok = tiny("true", "true", "[\"b c\",\"a b\",\"ab c\"]");
  CHECK(tok != NULL);
  if(!tok)
    return;
  e = enc(tok, "abc", NULL, 0);
  CHECK(e && e->n == 2 && e->ids[0] == 1 && e->ids[1] == 5);
  hubtok_encoding_free(e);
  /* byte fallback: é is <0xC3><0xA9>; "ü" lacks <0xBC> -> unk, and two
   * unknown chars fuse into one <unk> */
  e = enc(tok, "\xC3\xA9" "x\xC3\xBC" "a", NULL, 0);
  CHECK(e != NULL);
  if(e) {
    static const uint32_t want[] = { 7, 8, 0, 1 };
    static const size_t offs[] = { 0, 2, 0, 2, 2, 5, 5, 6 };
    CHECK(ids_eq(e, want, 4));
    CHECK(offsets_eq(e, offs));
  }
  hubtok_encoding_free(e);
  /* added token with lstrip/rstrip swallows the spaces around it; the
   * template appends <unk> (special mask 1, no word) */
  e = enc(tok, "ab  [X]  c", NULL, 1);
  CHECK(e != NULL);
  if(e) {
    static const uint32_t want[] = { 4, 9, 3, 0 };
    static const size_t offs[] = { 0, 2, 2, 9, 9, 10, 0, 0 };
    CHECK(ids_eq(e, want, 4));
    CHECK(offsets_eq(e, offs));
    t = tokens_joined(e);
    CHECK(!strcmp(t, "ab|  [X]  |c|<unk>"));
    free(t);
    CHECK(e->special_mask[3] == 1 && e->word_ids[3] == -1 &&
          e->word_ids[1] == 1 && e->seq_ids[3] == -1);
  }
  hubtok_encoding_free(e);
  /* pair template: type ids 0 then 1, sequence ids 0 then 1 */
  e = enc(tok, "a", "b", 1);
  CHECK(e && e->n == 2 && e->type_ids[0] == 0 && e->type_ids[1] == 1 &&
        e->seq_ids[0] == 0 && e->seq_ids[1] == 1);
  hubtok_encoding_free(e);
  CHECK(hubtok_vocab_size(tok, 0) == 9);
  CHECK(hubtok_vocab_size(tok, 1) == 10); /* [X] is new: id 9 */
  CHECK(hubtok_added_token_count(tok) == 2);
  {
    hubtok_added_token at;
    CHECK(hubtok_added_token_get(tok, 1, &at) && at.id == 9 &&
          at.lstrip && at.rstrip && !at.special);
    CHECK(!hubtok_added_token_get(tok, 2, &at));
  }
  hubtok_tokenizer_free(tok);

  /* no fuse_unk, no byte_fallback, merges as pairs */
  tok = tiny("false", "false", "[[\"a\",\"b\"],[\"ab\",\"c\"]]");
  CHECK(tok != NULL);
  if(!tok)
    return;
  e = enc(tok, "abcxy\xC3\xA9", NULL, 0);
  CHECK(e != NULL);
  if(e) {
    static const uint32_t want[] = { 6, 0, 0, 0 };
    CHECK(ids_eq(e, want, 4));
  }
  hubtok_encoding_free(e);
  /* no decoder: tokens joined with " "; unknown ids skipped */
  {
    static const uint32_t ids[] = { 6, 1000, 0, 2 };
    CHECK(decode_is(tok, ids, 4, 0, "abc <unk> b"));
    CHECK(decode_is(tok, ids, 4, 1, "abc b"));
  }
  hubtok_tokenizer_free(tok);
}

/* The word cache and the SentencePiece-space split (models/bpe.c,
 * models/word_cache.c) give what merging each word afresh gives. */
static void
test_bpe_cache_split(void)
{
  hubtok_tokenizer *tok = NULL;
  hubtok_encoding *e;
  hubtok_error err;
  char text[160];
  size_t i, k;

  /* no unk_token: "b" is dropped, and as in Rust (word.rs sums the
   * symbol lengths) "c" gets [1, 2); a second call (the cache keeps only
   * words whose tokens tile them) gives the same */
  CHECK(load_str("{\"model\": {\"type\": \"BPE\", \"vocab\": {\"a\": 0, "
                 "\"c\": 1}, \"merges\": []}}", &tok, &err) == HUBTOK_OK);
  for(k = 0; k < 2 && tok; k++) {
    static const uint32_t want[] = { 0, 1 };
    static const size_t offs[] = { 0, 1, 1, 2 };
    e = enc(tok, "abc", NULL, 0);
    CHECK(e && ids_eq(e, want, 2) && offsets_eq(e, offs));
    hubtok_encoding_free(e);
  }
  hubtok_tokenizer_free(tok);

  /* a merge joins "a" to "\xE2\x96\x81" (U+2581): a long word must not
   * be cut before each U+2581, or "a\xE2\x96\x81b" would come out as
   * a | U+2581 | b instead of one token */
  tok = NULL;
  CHECK(load_str("{\"model\": {\"type\": \"BPE\", \"vocab\": {"
                 "\"\xE2\x96\x81\": 0, \"a\": 1, \"b\": 2, "
                 "\"a\xE2\x96\x81\": 3, \"a\xE2\x96\x81" "b\": 4}, "
                 "\"merges\": [\"a \xE2\x96\x81\", "
                 "\"a\xE2\x96\x81 b\"]}}", &tok, &err) == HUBTOK_OK);
  for(i = 0; i < 20; i++)
    memcpy(text + 5 * i, "a\xE2\x96\x81" "b", 5);
  text[100] = 0;
  e = tok ? enc(tok, text, NULL, 0) : NULL;
  CHECK(e && e->n == 20);
  for(i = 0; e && i < e->n; i++)
    CHECK(e->ids[i] == 4 && e->offsets[2 * i] == 5 * i &&
          e->offsets[2 * i + 1] == 5 * i + 5);
  hubtok_encoding_free(e);
  hubtok_tokenizer_free(tok);

  /* no merge crosses: split before each run of U+2581, same tokens and
   * offsets as one word ("\xE2\x96\x81\xE2\x96\x81" merges inside a run) */
  tok = NULL;
  CHECK(load_str("{\"model\": {\"type\": \"BPE\", \"vocab\": {"
                 "\"\xE2\x96\x81\": 0, \"a\": 1, \"b\": 2, "
                 "\"\xE2\x96\x81\xE2\x96\x81\": 3, \"\xE2\x96\x81" "a\": 4, "
                 "\"ab\": 5}, \"merges\": [\"\xE2\x96\x81 \xE2\x96\x81\", "
                 "\"\xE2\x96\x81 a\", \"a b\"]}}", &tok, &err) == HUBTOK_OK);
  /* "ab" + 16 x ("\xE2\x96\x81\xE2\x96\x81" "ab"): 2 + 16 * 8 bytes */
  memcpy(text, "ab", 2);
  for(i = 0; i < 16; i++)
    memcpy(text + 2 + 8 * i, "\xE2\x96\x81\xE2\x96\x81" "ab", 8);
  text[2 + 8 * 16] = 0;
  e = tok ? enc(tok, text, NULL, 0) : NULL;
  /* ab | (UU ab) x 16: "U U" (rank 0) wins over "U a" (rank 1) */
  CHECK(e && e->n == 33);
  if(e && e->n == 33) {
    CHECK(e->ids[0] == 5 && e->offsets[0] == 0 && e->offsets[1] == 2);
    for(i = 0; i < 16; i++) {
      CHECK(e->ids[1 + 2 * i] == 3 && e->ids[2 + 2 * i] == 5);
      CHECK(e->offsets[2 * (1 + 2 * i)] == 2 + 8 * i &&
            e->offsets[2 * (2 + 2 * i) + 1] == 10 + 8 * i);
    }
  }
  hubtok_encoding_free(e);
  hubtok_tokenizer_free(tok);
}


/* The word cache alone (models/word_cache.c): a word's first lookup
 * computes it, a later one gives the same tokens without computing (or,
 * after an eviction, computes it again); words of every size land in
 * the small table, the big one or neither, and raw tokens are never
 * kept. The word function: word w splits into pieces of (w[0] % 5) + 1
 * bytes, each piece's id a function of its bytes and position. */
static unsigned long wc_calls;

static hubtok_code
wc_fn(const void *model, const char *s, size_t len, hubtok__toks *out,
      hubtok_error *err)
{
  size_t step = (size_t)((unsigned char)s[0] % 5) + 1, i, k;
  (void)model;
  (void)err;
  __atomic_fetch_add(&wc_calls, 1, __ATOMIC_RELAXED);
  for(i = 0; i < len; i += step) {
    size_t e = i + step < len ? i + step : len;
    uint32_t id = (uint32_t)(i * 131 + len);
    for(k = i; k < e; k++)
      id = id * 31 + (unsigned char)s[k];
    if(hubtok__toks_push(out, id, i, e))
      return HUBTOK_ENOMEM;
    /* a word ending in '!' gets raw tokens (as byte fallback's) */
    if(s[len - 1] == '!')
      out->v[out->n - 1].raw = 1;
  }
  return HUBTOK_OK;
}

/* Word i of the cache test: lengths 1..46, many sizes of token count. */
static size_t
wc_word(char *buf, uint32_t i)
{
  size_t len = 1 + (size_t)(i * 2654435761u >> 7) % 46, k;
  for(k = 0; k < len; k++)
    buf[k] = (char)('a' + (i * 7 + k * 13 + (k * k) % 11 + (i >> 5)) % 26);
  buf[0] = (char)('a' + i % 26);
  if(i % 97 == 0)
    buf[len - 1] = '!';
  return len;
}

/* Tokenize word i through the cache and directly; 1 when equal. */
static int
wc_check(hubtok__word_cache *c, uint32_t i, unsigned tag)
{
  char w[64];
  size_t len = wc_word(w, i), k;
  hubtok__toks a = { 0 }, b = { 0 };
  hubtok_error err;
  int ok;

  ok = hubtok__word_cache_tokenize(c, tag, w, len, &a, wc_fn, NULL,
                                   &err) == HUBTOK_OK &&
       wc_fn(NULL, w, len, &b, &err) == HUBTOK_OK && a.n == b.n;
  for(k = 0; ok && k < a.n; k++)
    ok = a.v[k].id == b.v[k].id && a.v[k].start == b.v[k].start &&
         a.v[k].end == b.v[k].end;
  hubtok__toks_free(&a);
  hubtok__toks_free(&b);
  return ok;
}

static void *
wc_thread(void *arg)
{
  hubtok__word_cache *c = arg;
  uintptr_t bad = 0;
  uint32_t i;
  for(i = 0; i < 200000; i++)
    bad += !wc_check(c, (i * 40503u) % 30000, i & 1);
  return (void *)bad;
}

static void
test_word_cache(void)
{
  hubtok__word_cache *c = NULL;
  hubtok__toks t = { 0 };
  hubtok_error err;
  unsigned long before;
  size_t bad = 0, kept = 0, n_words = 0;
  uint32_t i;
  pthread_t th[2];
  void *r0 = NULL, *r1 = NULL;

  CHECK(hubtok__word_cache_create(&c) == HUBTOK_OK && c);
  if(!c)
    return;
  /* every word right after its first lookup: a hit (no call) unless it
   * is not kept (raw tokens, or key and tokens fit no table) */
  for(i = 0; i < 5000; i++) {
    char w[64];
    size_t len = wc_word(w, i);
    bad += !wc_check(c, i, 0);
    before = wc_calls;
    bad += !wc_check(c, i, 0);
    /* wc_check calls wc_fn once itself */
    if(wc_calls - before == 1)
      kept++;
    else if(w[len - 1] != '!' && len <= 16 &&
            (len + (size_t)((unsigned char)w[0] % 5)) /
            ((size_t)((unsigned char)w[0] % 5) + 1) <= 7)
      bad++; /* a short word of few tokens must have been kept */
    n_words++;
  }
  CHECK(bad == 0);
  CHECK(kept > n_words / 2);
  /* the tags keep two kinds of key apart: the same bytes under tag 1
   * are a miss first */
  {
    char w[64];
    size_t len = wc_word(w, 1);
    before = wc_calls;
    CHECK(hubtok__word_cache_tokenize(c, 1, w, len, &t, wc_fn, NULL,
                                      &err) == HUBTOK_OK);
    CHECK(wc_calls - before == 1);
    hubtok__toks_free(&t);
  }
  /* churn: 300k more words (the big table's filter is cleared many
   * times over), then every answer still right */
  bad = 0;
  for(i = 5000; i < 305000; i++)
    bad += !wc_check(c, i, 0);
  for(i = 0; i < 305000; i += 7)
    bad += !wc_check(c, i, 0);
  CHECK(bad == 0);
  /* two threads on one cache, both tags: never a wrong answer */
  CHECK(pthread_create(&th[0], NULL, wc_thread, c) == 0);
  CHECK(pthread_create(&th[1], NULL, wc_thread, c) == 0);
  pthread_join(th[0], &r0);
  pthread_join(th[1], &r1);
  CHECK(r0 == NULL && r1 == NULL);
  printf("word cache: %zu of %zu words kept on first sight; 305k words "
         "and 400k lookups on two threads all as computed\n", kept,
         n_words);
  hubtok__word_cache_destroy(c);
}

/* ------------------------------------------------------------------ */
/* TinyLlama (Llama 2) end to end                                      */

static void
test_tinyllama(const char *path)
{
  hubtok_tokenizer *tok = NULL;
  hubtok_encoding *e;
  hubtok_error err;
  uint32_t id = 0;
  size_t len = 0;
  const char *s;
  char *t;

  CHECK_CODE(hubtok_tokenizer_from_file(path, &tok, &err), HUBTOK_OK);
  if(!tok) {
    fprintf(stderr, "cannot load %s: %s\n", path, err.msg);
    return;
  }
  CHECK(hubtok_vocab_size(tok, 1) == 32000);
  CHECK(hubtok_vocab_size(tok, 0) == 32000);
  CHECK(hubtok_token_to_id(tok, "<s>", 3, &id) && id == 1);
  s = hubtok_id_to_token(tok, 29871, &len);
  CHECK(s && len == 3 && !memcmp(s, "\xE2\x96\x81", 3));
  CHECK(hubtok_id_to_token(tok, 32000, &len) == NULL);
  CHECK(hubtok_added_token_count(tok) == 3);
  CHECK(hubtok_tokenizer_memory(tok) > 1000000);

  e = enc(tok, "Hello world!", NULL, 1);
  CHECK(e != NULL);
  if(e) {
    static const uint32_t want[] = { 1, 15043, 3186, 29991 };
    static const size_t offs[] = { 0, 0, 0, 5, 5, 11, 11, 12 };
    CHECK(ids_eq(e, want, 4));
    CHECK(offsets_eq(e, offs));
    t = tokens_joined(e);
    CHECK(!strcmp(t, "<s>|\xE2\x96\x81Hello|\xE2\x96\x81world|!"));
    free(t);
    CHECK(e->special_mask[0] == 1 && e->special_mask[1] == 0);
    CHECK(decode_is(tok, e->ids, e->n, 1, "Hello world!"));
    CHECK(decode_is(tok, e->ids, e->n, 0, "<s> Hello world!"));
  }
  hubtok_encoding_free(e);

  /* special tokens inside text: each piece gets its own ▁ */
  e = enc(tok, "a<s>b</s> c", NULL, 0);
  CHECK(e != NULL);
  if(e) {
    static const uint32_t want[] = { 263, 1, 289, 2, 29871, 274 };
    static const size_t offs[] = { 0, 1, 1, 4, 4, 5, 5, 9, 9, 10, 9, 11 };
    CHECK(ids_eq(e, want, 6));
    CHECK(offsets_eq(e, offs));
    CHECK(e->word_ids[0] == 0 && e->word_ids[1] == 1 &&
          e->word_ids[5] == 4);
    CHECK(decode_is(tok, e->ids, e->n, 0, "a<s> b</s>  c"));
    CHECK(decode_is(tok, e->ids, e->n, 1, "a b  c"));
  }
  hubtok_encoding_free(e);

  /* empty input: [] without, [1] with special tokens */
  e = enc(tok, "", NULL, 0);
  CHECK(e && e->n == 0 && e->token_off[0] == 0);
  hubtok_encoding_free(e);
  e = enc(tok, "", NULL, 1);
  CHECK(e && e->n == 1 && e->ids[0] == 1);
  hubtok_encoding_free(e);

  /* byte fallback for the emoji; every byte token maps to its char */
  e = enc(tok, "h\xC3\xA9llo \xF0\x9F\xA4\x97", NULL, 1);
  CHECK(e != NULL);
  if(e) {
    static const uint32_t want[] = { 1, 298, 3610, 417, 29871, 243, 162,
                                     167, 154 };
    CHECK(ids_eq(e, want, 9));
    CHECK(e->offsets[10] == 7 && e->offsets[11] == 11);
    CHECK(e->offsets[16] == 7 && e->offsets[17] == 11);
    CHECK(decode_is(tok, e->ids, e->n, 1, "h\xC3\xA9llo \xF0\x9F\xA4\x97"));
  }
  hubtok_encoding_free(e);

  /* pair: "<s> $A <s> $B" with type ids 0 / 1 */
  e = enc(tok, "How are you?", "Fine.", 1);
  CHECK(e != NULL);
  if(e) {
    static const uint32_t want[] = { 1, 1128, 526, 366, 29973, 1, 28896,
                                     29889 };
    CHECK(ids_eq(e, want, 8));
    CHECK(e->type_ids[4] == 0 && e->type_ids[5] == 1 &&
          e->type_ids[7] == 1);
    CHECK(e->seq_ids[0] == -1 && e->seq_ids[1] == 0 &&
          e->seq_ids[5] == -1 && e->seq_ids[6] == 1);
    CHECK(e->offsets[12] == 0 && e->offsets[13] == 4);
    CHECK(decode_is(tok, e->ids, e->n, 0, "<s> How are you?<s> Fine."));
  }
  hubtok_encoding_free(e);

  /* whitespace runs, tab, U+2028, near-miss "<s" */
  e = enc(tok, "  x\t\xE2\x80\xA8", NULL, 0);
  CHECK(e != NULL);
  if(e) {
    static const uint32_t want[] = { 259, 921, 12, 31353 };
    CHECK(ids_eq(e, want, 4));
  }
  hubtok_encoding_free(e);
  e = enc(tok, "<s", NULL, 0);
  CHECK(e != NULL);
  if(e) {
    static const uint32_t want[] = { 529, 29879 };
    CHECK(ids_eq(e, want, 2));
  }
  hubtok_encoding_free(e);

  /* decode: ByteFallback runs, invalid UTF-8 -> one U+FFFD per byte,
   * unknown ids skipped, special tokens skipped on request */
  {
    static const uint32_t a[] = { 229, 133, 29874 };
    static const uint32_t b[] = { 229, 133, 175 };
    static const uint32_t c[] = { 243, 29874, 198 };
    static const uint32_t d[] = { 1, 2, 0, 15043, 99999 };
    static const uint32_t f[] = { 29871, 29871, 15043 };
    CHECK(decode_is(tok, a, 3, 0, "\xEF\xBF\xBD\xEF\xBF\xBD" "a"));
    CHECK(decode_is(tok, b, 3, 0, "\xE2\x82\xAC"));
    CHECK(decode_is(tok, c, 3, 0, "\xEF\xBF\xBD" "a" "\xEF\xBF\xBD"));
    CHECK(decode_is(tok, d, 5, 0, "<s></s><unk> Hello"));
    CHECK(decode_is(tok, d, 5, 1, "Hello"));
    CHECK(decode_is(tok, f, 3, 0, "  Hello"));
    CHECK(decode_is(tok, NULL, 0, 0, ""));
  }

  /* invalid UTF-8 input is refused */
  {
    hubtok_encoding *bad = NULL;
    CHECK_CODE(hubtok_encode(tok, "a\xFF", 2, NULL, 0, NULL, &bad, &err),
               HUBTOK_EINVAL);
    CHECK(bad == NULL && err.pos == 1);
  }
  hubtok_tokenizer_free(tok);
}

/* ------------------------------------------------------------------ */
/* malformed files                                                     */

static void
expect_load(const char *json, hubtok_code code, const char *in_msg)
{
  hubtok_tokenizer *tok = (hubtok_tokenizer *)1;
  hubtok_error err;
  hubtok_code rc;

  rc = load_str(json, &tok, &err);
  CHECK_CODE(rc, code);
  CHECK(tok == NULL);
  if(in_msg && !strstr(err.msg, in_msg)) {
    failures++;
    fprintf(stderr, "message \"%s\" lacks \"%s\"\n", err.msg, in_msg);
  }
}

#define MODEL_OK                                                        \
  "\"model\":{\"type\":\"BPE\",\"vocab\":{\"a\":0,\"b\":1,\"ab\":2},"   \
  "\"merges\":[\"a b\"]}"

static void
test_errors(const char *path)
{
  hubtok_tokenizer *tok = NULL;
  hubtok_error err;
  char *deep;
  size_t i, o = 0;

  /* truncated JSON: EJSON with the byte where parsing stopped */
  CHECK_CODE(hubtok_tokenizer_from_json("{\"model\": {\"type\"", 17, &tok,
                                        &err), HUBTOK_EJSON);
  CHECK(tok == NULL && err.pos > 0 && err.pos <= 17);
  CHECK_CODE(hubtok_tokenizer_from_json("", 0, &tok, &err), HUBTOK_EJSON);
  expect_load("{} x", HUBTOK_EJSON, NULL);
  expect_load("[1,2]", HUBTOK_ETOKENIZER, "expected an object");
  expect_load("{}", HUBTOK_ETOKENIZER, "model");
  expect_load("{\"model\":{\"type\":\"BPE\",\"vocab\":{\"a\":0}}}",
              HUBTOK_ETOKENIZER, "model.merges");
  expect_load("{\"model\":{\"type\":\"BPE\",\"vocab\":{\"a\":-1},"
              "\"merges\":[]}}", HUBTOK_ETOKENIZER, "model.vocab.a");
  expect_load("{\"model\":{\"type\":\"BPE\",\"vocab\":{\"a\":\"x\"},"
              "\"merges\":[]}}", HUBTOK_ETOKENIZER, "model.vocab.a");
  /* merges naming missing tokens */
  expect_load("{\"model\":{\"type\":\"BPE\",\"vocab\":{\"a\":0,\"b\":1},"
              "\"merges\":[\"a b\"]}}", HUBTOK_ETOKENIZER,
              "model.merges[0]: token `ab` out of vocabulary");
  expect_load("{\"model\":{\"type\":\"BPE\",\"vocab\":{\"a\":0,\"ab\":1,"
              "\"aab\":2},\"merges\":[\"a ab\",\"a c\"]}}",
              HUBTOK_ETOKENIZER, "model.merges[1]: token `c`");
  expect_load("{\"model\":{\"type\":\"BPE\",\"vocab\":{\"a\":0},"
              "\"merges\":[\"a\"]}}", HUBTOK_ETOKENIZER, "model.merges[0]");
  expect_load("{\"model\":{\"type\":\"BPE\",\"vocab\":{\"a\":0},"
              "\"merges\":[[\"a\",1]]}}", HUBTOK_ETOKENIZER,
              "model.merges[0][1]");
  expect_load("{\"model\":{\"type\":\"BPE\",\"dropout\":0.1,"
              "\"vocab\":{},\"merges\":[]}}", HUBTOK_EUNSUPPORTED,
              "model.dropout");
  /* unknown component types */
  expect_load("{\"model\":{\"type\":\"NoSuch\",\"vocab\":[]}}",
              HUBTOK_EUNSUPPORTED, "model: model type \"NoSuch\"");
  expect_load("{" MODEL_OK ",\"pre_tokenizer\":{\"type\":\"NoSuch\"}}",
              HUBTOK_EUNSUPPORTED, "pre_tokenizer");
  expect_load("{" MODEL_OK ",\"decoder\":{\"type\":\"Sequence\","
              "\"decoders\":[{\"type\":\"Fuse\"},{\"type\":\"NoSuch\"}]}}",
              HUBTOK_EUNSUPPORTED, "decoder.decoders[1]");
  expect_load("{" MODEL_OK ",\"post_processor\":{\"type\":\"NoSuch\""
              "}}", HUBTOK_EUNSUPPORTED, "post_processor");
  expect_load("{" MODEL_OK ",\"normalizer\":{\"prepend\":\"x\"}}",
              HUBTOK_ETOKENIZER, "normalizer.type");
  expect_load("{" MODEL_OK ",\"truncation\":5}", HUBTOK_ETOKENIZER,
              "truncation");
  expect_load("{\"version\":\"2.0\"," MODEL_OK "}", HUBTOK_EUNSUPPORTED,
              "version");
  /* wrong types in components */
  expect_load("{" MODEL_OK ",\"normalizer\":{\"type\":\"Prepend\","
              "\"prepend\":5}}", HUBTOK_ETOKENIZER, "normalizer.prepend");
  expect_load("{" MODEL_OK ",\"decoder\":{\"type\":\"Strip\",\"content\":"
              "\"ab\",\"start\":1,\"stop\":0}}", HUBTOK_ETOKENIZER,
              "decoder.content");
  expect_load("{" MODEL_OK ",\"normalizer\":{\"type\":\"Replace\","
              "\"pattern\":{\"Regex\":\"(\"},\"content\":\"\"}}",
              HUBTOK_ETOKENIZER, "normalizer.pattern.Regex");
  expect_load("{" MODEL_OK ",\"added_tokens\":[{\"id\":0,\"content\":\"a\""
              "}]}", HUBTOK_ETOKENIZER, "added_tokens[0].single_word");
  expect_load("{" MODEL_OK ",\"post_processor\":{\"type\":"
              "\"TemplateProcessing\",\"single\":[{\"SpecialToken\":"
              "{\"id\":\"[CLS]\",\"type_id\":0}}],\"pair\":[],"
              "\"special_tokens\":{}}}", HUBTOK_ETOKENIZER, "[CLS]");
  expect_load("{" MODEL_OK ",\"post_processor\":{\"type\":"
              "\"TemplateProcessing\",\"single\":[{\"Sequence\":"
              "{\"id\":\"B\",\"type_id\":0}}],\"pair\":[],"
              "\"special_tokens\":{}}}", HUBTOK_ETOKENIZER,
              "post_processor.single[0].Sequence");
  /* invalid UTF-8 inside a JSON string */
  expect_load("{\"model\":{\"type\":\"BPE\",\"vocab\":{\"\xC3\":0},"
              "\"merges\":[]}}", HUBTOK_ETOKENIZER, "UTF-8");

  /* nesting deeper than the limit */
  deep = malloc(64 * 80 + 256);
  o += (size_t)sprintf(deep, "{" MODEL_OK ",\"normalizer\":");
  for(i = 0; i < 60; i++)
    o += (size_t)sprintf(deep + o, "{\"type\":\"Sequence\","
                         "\"normalizers\":[");
  for(i = 0; i < 60; i++)
    o += (size_t)sprintf(deep + o, "]}");
  sprintf(deep + o, "}");
  expect_load(deep, HUBTOK_ETOKENIZER, "nested too deeply");
  free(deep);

  /* files */
  CHECK_CODE(hubtok_tokenizer_from_file("/nonexistent/tokenizer.json",
                                        &tok, &err),
             HUBTOK_LOCAL_NOT_FOUND);
  CHECK_CODE(hubtok_tokenizer_from_file("/", &tok, &err), HUBTOK_EIO);
  CHECK(tok == NULL);
  /* every prefix of the real file fails cleanly (sampled) */
  {
    FILE *f = fopen(path, "rb");
    char *data;
    long n;
    if(!f)
      return;
    fseek(f, 0, SEEK_END);
    n = ftell(f);
    fseek(f, 0, SEEK_SET);
    data = malloc((size_t)n);
    if(fread(data, 1, (size_t)n, f) == (size_t)n) {
      long cut;
      for(cut = 0; cut < n; cut += n / 23 + 1) {
        hubtok_code rc = hubtok_tokenizer_from_json(data, (size_t)cut, &tok,
                                                    &err);
        CHECK(rc == HUBTOK_EJSON && tok == NULL);
      }
    }
    free(data);
    fclose(f);
  }
}

/* ------------------------------------------------------------------ */
/* threads                                                             */

#define N_TEXTS 5

static const char *const thread_texts[N_TEXTS] = {
  "Hello world!", "a<s>b</s> c", "h\xC3\xA9llo \xF0\x9F\xA4\x97", "",
  "The quick brown fox jumps over the lazy dog."
};

typedef struct job {
  const hubtok_tokenizer *tok;
  hubtok_encoding *ref[N_TEXTS];
  char *ref_dec[N_TEXTS];
  int ok;
} job;

static int
same_encoding(const hubtok_encoding *a, const hubtok_encoding *b)
{
  return a->n == b->n &&
         !memcmp(a->ids, b->ids, a->n * sizeof(*a->ids)) &&
         !memcmp(a->offsets, b->offsets, 2 * a->n * sizeof(size_t)) &&
         !memcmp(a->token_off, b->token_off, (a->n + 1) * sizeof(size_t)) &&
         !memcmp(a->tokens, b->tokens, a->token_off[a->n]);
}

/* Encode and decode the same texts many times; every result must equal
 * the one computed on the main thread. */
static void *
worker(void *arg)
{
  job *j = arg;
  int round, i;

  for(round = 0; round < 200; round++) {
    for(i = 0; i < N_TEXTS; i++) {
      hubtok_encoding *e = enc(j->tok, thread_texts[i], NULL, 1);
      char *s = NULL;
      size_t len;
      hubtok_error err;
      if(!e || !same_encoding(e, j->ref[i]))
        j->ok = 0;
      if(e && hubtok_decode(j->tok, e->ids, e->n, 1, &s, &len, &err))
        j->ok = 0;
      if(!s || strcmp(s, j->ref_dec[i]))
        j->ok = 0;
      hubtok_free(s);
      hubtok_encoding_free(e);
    }
  }
  return NULL;
}

static void
test_threads(const char *path)
{
  hubtok_tokenizer *tok = NULL;
  hubtok_error err;
  pthread_t th[4];
  job jobs[4];
  int i, k;

  if(hubtok_tokenizer_from_file(path, &tok, &err))
    return;
  memset(jobs, 0, sizeof(jobs));
  for(k = 0; k < N_TEXTS; k++) {
    size_t len;
    jobs[0].ref[k] = enc(tok, thread_texts[k], NULL, 1);
    CHECK(jobs[0].ref[k] != NULL);
    if(!jobs[0].ref[k])
      goto out;
    CHECK(!hubtok_decode(tok, jobs[0].ref[k]->ids, jobs[0].ref[k]->n, 1,
                         &jobs[0].ref_dec[k], &len, &err));
  }
  CHECK(!strcmp(jobs[0].ref_dec[1], "a b  c"));
  for(i = 0; i < 4; i++) {
    if(i)
      memcpy(jobs[i].ref, jobs[0].ref, sizeof(jobs[0].ref));
    if(i)
      memcpy(jobs[i].ref_dec, jobs[0].ref_dec, sizeof(jobs[0].ref_dec));
    jobs[i].tok = tok;
    jobs[i].ok = 1;
    CHECK(pthread_create(&th[i], NULL, worker, &jobs[i]) == 0);
  }
  for(i = 0; i < 4; i++) {
    pthread_join(th[i], NULL);
    CHECK(jobs[i].ok);
  }
out:
  for(k = 0; k < N_TEXTS; k++) {
    hubtok_encoding_free(jobs[0].ref[k]);
    hubtok_free(jobs[0].ref_dec[k]);
  }
  hubtok_tokenizer_free(tok);
}

/* ------------------------------------------------------------------ */
/* llama.cpp vectors                                                   */

/* Largest vector file read. */
#define FILE_MAX ((size_t)64 << 20)

static void
test_llamacpp(const char *tok_path, const char *inp, const char *outp)
{
  static const char sep[] = "\n__ggml_vocab_test__\n";
  hubtok_tokenizer *tok = NULL;
  hubtok_error err;
  size_t il, ol, total = 0, good = 0;
  char *in = NULL, *out = NULL;
  char *p, *q;

  if(hubtok__read_file(inp, FILE_MAX, &in, &il, &err) ||
     hubtok__read_file(outp, FILE_MAX, &out, &ol, &err) ||
     hubtok_tokenizer_from_file(tok_path, &tok, &err)) {
    fprintf(stderr, "llama.cpp vectors not available\n");
    free(in);
    free(out);
    return;
  }
  p = in;
  q = out;
  for(;;) {
    char *end = strstr(p, sep), *nl;
    hubtok_encode_opts o;
    hubtok_encoding *e = NULL;
    size_t k = 0;
    int ok = 1;
    if(!end)
      break;
    nl = strchr(q, '\n');
    if(!nl)
      break;
    *nl = 0;
    o.add_special_tokens = 0;
    if(hubtok_encode(tok, p, (size_t)(end - p), NULL, 0, &o, &e, &err)) {
      ok = 0;
    }
    else {
      char *t = q;
      for(;;) {
        char *stop;
        unsigned long v = strtoul(t, &stop, 10);
        if(stop == t)
          break;
        if(k >= e->n || e->ids[k] != v)
          ok = 0;
        k++;
        t = stop;
      }
      if(k != e->n)
        ok = 0;
    }
    total++;
    good += ok;
    hubtok_encoding_free(e);
    p = end + sizeof(sep) - 1;
    q = nl + 1;
  }
  printf("llama.cpp llama-spm vectors: %zu/%zu\n", good, total);
  CHECK(total == 46 && good == total);
  hubtok_tokenizer_free(tok);
  free(in);
  free(out);
}

int
main(int argc, char **argv)
{
  if(argc < 2) {
    fprintf(stderr, "usage: %s TINYLLAMA_TOKENIZER_JSON [INP OUT]\n",
            argv[0]);
    return 2;
  }
  test_util();
  test_pattern();
  test_normalized();
  test_normalizers();
  test_decoders();
  test_bpe();
  test_bpe_cache_split();
  test_word_cache();
  test_tinyllama(argv[1]);
  test_errors(argv[1]);
  test_threads(argv[1]);
  if(argc >= 4)
    test_llamacpp(argv[1], argv[2], argv[3]);
  printf("%d checks, %d failures\n", checks, failures);
  return failures ? 1 : 0;
}
