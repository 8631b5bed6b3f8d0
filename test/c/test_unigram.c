/*
 * test_unigram.c: golden tests for the SentencePiece family, without
 * Node: the Unigram model (and its trie), the Precompiled normalizer (and
 * base64), the Metaspace / WhitespaceSplit pre-tokenizers, the Metaspace,
 * CTC and BPEDecoder decoders, and the SentencePiece legacy converter.
 *
 *   test_unigram FIXTURES_DIR
 *
 * Expected values were taken from the Rust `tokenizers` library
 * (tokenizers@0.23.2 via Node). With FIXTURES_DIR (the folder holding
 * tokenizers/), the t5-small, multilingual-mpnet and TinyLlama fixtures
 * are used too (mpnet's 250k-piece load time is printed), and the
 * converted spiece.model / tokenizer.model are checked against the
 * fixtures' tokenizer.json files on a set of inputs.
 */
#include "hubtok.h"
#include "internal.h"
#include "convert/convert.h"
#include "convert/spm_model.h"
#include "decoders/decoder.h"
#include "util/base64.h"
#include "util/json.h"
#include "util/trie.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

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

static hubtok_code
load_str(const char *json, hubtok_tokenizer **tok, hubtok_error *err)
{
  return hubtok_tokenizer_from_json(json, strlen(json), tok, err);
}

/* A tokenizer.json around one model / normalizer / pre-tokenizer /
 * decoder (NULL: JSON null). Caller frees. */
static char *
wrap(const char *model, const char *normalizer, const char *pre,
     const char *decoder)
{
  const char *fmt = "{\"version\":\"1.0\",\"truncation\":null,"
                    "\"padding\":null,\"added_tokens\":[],"
                    "\"normalizer\":%s,\"pre_tokenizer\":%s,"
                    "\"post_processor\":null,\"decoder\":%s,\"model\":%s}";
  size_t n = strlen(fmt) + strlen(model) + 3 * 8 +
             (normalizer ? strlen(normalizer) : 0) +
             (pre ? strlen(pre) : 0) + (decoder ? strlen(decoder) : 0);
  char *s = malloc(n);

  snprintf(s, n, fmt, normalizer ? normalizer : "null",
           pre ? pre : "null", decoder ? decoder : "null", model);
  return s;
}

typedef struct golden {
  const char *text;
  size_t n;
  uint32_t ids[16];
  const char *tokens; /* joined with '|' */
  size_t offs[32];    /* byte offsets, 2 per token */
  const char *decoded;
} golden;

static void
check_golden(const hubtok_tokenizer *tok, const golden *g, const char *tag)
{
  hubtok_encoding *e = NULL;
  hubtok_error err;
  size_t i, tl = 0;
  char joined[512];
  int ok;

  CHECK_CODE(hubtok_encode(tok, g->text, strlen(g->text), NULL, 0, NULL, &e,
                           &err), HUBTOK_OK);
  if(!e)
    return;
  ok = e->n == g->n;
  for(i = 0; ok && i < e->n; i++) {
    size_t a = e->token_off[i], b = e->token_off[i + 1];
    ok = e->ids[i] == g->ids[i] && e->offsets[2 * i] == g->offs[2 * i] &&
         e->offsets[2 * i + 1] == g->offs[2 * i + 1];
    if(i && tl < sizeof(joined) - 1)
      joined[tl++] = '|';
    if(tl + (b - a) < sizeof(joined) - 1) {
      memcpy(joined + tl, e->tokens + a, b - a);
      tl += b - a;
    }
  }
  joined[tl] = 0;
  if(ok)
    ok = !strcmp(joined, g->tokens);
  checks++;
  if(!ok) {
    failures++;
    fprintf(stderr, "%s: encode mismatch for \"%s\": got %zu tokens "
            "\"%s\"\n", tag, g->text, e->n, joined);
  }
  if(g->decoded) {
    char *d = NULL;
    size_t dl;
    CHECK_CODE(hubtok_decode(tok, e->ids, e->n, 0, &d, &dl, &err),
               HUBTOK_OK);
    checks++;
    if(!d || strcmp(d, g->decoded)) {
      failures++;
      fprintf(stderr, "%s: decode of \"%s\": got \"%s\" want \"%s\"\n", tag,
              g->text, d ? d : "(null)", g->decoded);
    }
    hubtok_free(d);
  }
  hubtok_encoding_free(e);
}

/* Decode `ids` with tok and compare. */
static void
check_decode(const hubtok_tokenizer *tok, const uint32_t *ids, size_t n,
             const char *want)
{
  hubtok_error err;
  char *d = NULL;
  size_t dl;

  CHECK_CODE(hubtok_decode(tok, ids, n, 0, &d, &dl, &err), HUBTOK_OK);
  checks++;
  if(!d || strcmp(d, want)) {
    failures++;
    fprintf(stderr, "decode: got \"%s\" want \"%s\"\n", d ? d : "(null)",
            want);
  }
  hubtok_free(d);
}

/* ------------------------------------------------------------------ */
/* trie and base64                                                     */

static void
test_trie(void)
{
  const char *keys[] = { "ab", "a", "abc", "b", "ab", "", "\xe2\x96\x81" };
  uint32_t lens[] = { 2, 1, 3, 1, 2, 0, 3 };
  hubtok__trie t;
  int64_t c;

  CHECK_CODE(hubtok__trie_build(&t, keys, lens, 7), HUBTOK_OK);
  CHECK(hubtok__trie_get(&t, "a", 1) == 1);
  CHECK(hubtok__trie_get(&t, "ab", 2) == 4); /* last duplicate wins */
  CHECK(hubtok__trie_get(&t, "abc", 3) == 2);
  CHECK(hubtok__trie_get(&t, "b", 1) == 3);
  CHECK(hubtok__trie_get(&t, "", 0) == -1);  /* never found */
  CHECK(hubtok__trie_get(&t, "abcd", 4) == -1);
  CHECK(hubtok__trie_get(&t, "c", 1) == -1);
  CHECK(hubtok__trie_get(&t, "\xe2\x96\x81", 3) == 6);
  c = hubtok__trie_child(&t, 0, 'a');
  CHECK(c > 0 && t.nodes[c].value == 1);
  CHECK(hubtok__trie_child(&t, 0, 'z') == -1);
  hubtok__trie_free(&t);
  CHECK_CODE(hubtok__trie_build(&t, keys, lens, 0), HUBTOK_OK);
  CHECK(hubtok__trie_get(&t, "a", 1) == -1);
  hubtok__trie_free(&t);
}

static void
test_base64(void)
{
  unsigned char *out;
  size_t len, bad;

  CHECK_CODE(hubtok__base64_decode("TWFu", 4, &out, &len, &bad), HUBTOK_OK);
  CHECK(len == 3 && !memcmp(out, "Man", 3));
  free(out);
  CHECK_CODE(hubtok__base64_decode("TWE=", 4, &out, &len, &bad), HUBTOK_OK);
  CHECK(len == 2 && !memcmp(out, "Ma", 2));
  free(out);
  CHECK_CODE(hubtok__base64_decode("TQ==", 4, &out, &len, &bad), HUBTOK_OK);
  CHECK(len == 1 && out[0] == 'M');
  free(out);
  CHECK_CODE(hubtok__base64_decode("", 0, &out, &len, &bad), HUBTOK_OK);
  CHECK(len == 0);
  free(out);
  /* missing padding, bad chars, whitespace, non-canonical bits */
  CHECK_CODE(hubtok__base64_decode("TWE", 3, &out, &len, &bad),
             HUBTOK_EINVAL);
  CHECK_CODE(hubtok__base64_decode("TW!=", 4, &out, &len, &bad),
             HUBTOK_EINVAL);
  CHECK(bad == 2);
  CHECK_CODE(hubtok__base64_decode("TW E", 4, &out, &len, &bad),
             HUBTOK_EINVAL);
  CHECK_CODE(hubtok__base64_decode("TR==", 4, &out, &len, &bad),
             HUBTOK_EINVAL);
  CHECK_CODE(hubtok__base64_decode("=TWE", 4, &out, &len, &bad),
             HUBTOK_EINVAL);
  CHECK(out == NULL);
  /* several quads (the unchecked fast loop, then the last one) */
  CHECK_CODE(hubtok__base64_decode("TWFuTWFuTWE=", 12, &out, &len, &bad),
             HUBTOK_OK);
  CHECK(len == 8 && !memcmp(out, "ManManMa", 8));
  free(out);
  CHECK_CODE(hubtok__base64_decode("TWFuTW!uTWFu", 12, &out, &len, &bad),
             HUBTOK_EINVAL);
  CHECK(bad == 6 && out == NULL);
  CHECK_CODE(hubtok__base64_decode("TQ==TWFu", 8, &out, &len, &bad),
             HUBTOK_EINVAL);
  CHECK(bad == 2);
  CHECK_CODE(hubtok__base64_decode("TWFu\nTWF", 8, &out, &len, &bad),
             HUBTOK_EINVAL);
  CHECK(bad == 4);
  /* every byte value, round trip */
  {
    static const char al[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    unsigned char raw[256];
    char enc[344 + 1];
    size_t i, o = 0;
    for(i = 0; i < 256; i++)
      raw[i] = (unsigned char)(255 - i);
    for(i = 0; i < 256; i += 3) {
      uint32_t w = (uint32_t)raw[i] << 16 |
                   (i + 1 < 256 ? (uint32_t)raw[i + 1] << 8 : 0) |
                   (i + 2 < 256 ? raw[i + 2] : 0);
      enc[o++] = al[w >> 18 & 63];
      enc[o++] = al[w >> 12 & 63];
      enc[o++] = i + 1 < 256 ? al[w >> 6 & 63] : '=';
      enc[o++] = i + 2 < 256 ? al[w & 63] : '=';
    }
    enc[o] = 0;
    CHECK_CODE(hubtok__base64_decode(enc, o, &out, &len, &bad), HUBTOK_OK);
    CHECK(len == 256 && !memcmp(out, raw, 256));
    free(out);
  }
}

/* ------------------------------------------------------------------ */
/* Unigram                                                             */

static const char DOC_MODEL[] =
  "{\"type\":\"Unigram\",\"unk_id\":0,\"vocab\":[[\"<unk>\",0],[\"a\",0],"
  "[\"b\",0],[\"c\",0],[\"d\",0],[\"cd\",1],[\"ab\",2],[\"abc\",5],"
  "[\"abcd\",10]]}";

static const char BF_MODEL[] =
  "{\"type\":\"Unigram\",\"unk_id\":0,\"byte_fallback\":true,\"vocab\":["
  "[\"<unk>\",0],[\"a\",-1],[\"b\",-1],[\"ab\",-1.5],[\"<0xC3>\",-5],"
  "[\"<0xA9>\",-5],[\"<0xE2>\",-5],[\"<0x82>\",-5],[\"<0xAC>\",-5]]}";

static const golden DOC_GOLDEN[] = {
  { "abcdacdxx", 4, { 8, 1, 5, 0 }, "abcd|a|cd|xx",
    { 0, 4, 4, 5, 5, 7, 7, 9 }, "abcd a cd <unk>" },
  { "xxabcyy", 3, { 0, 7, 0 }, "xx|abc|yy", { 0, 2, 2, 5, 5, 7 },
    "<unk> abc <unk>" },
  { "dcba", 4, { 4, 3, 2, 1 }, "d|c|b|a", { 0, 1, 1, 2, 2, 3, 3, 4 },
    "d c b a" },
  { "", 0, { 0 }, "", { 0 }, "" },
};

static const golden BF_GOLDEN[] = {
  { "ab\xc3\xa9", 3, { 3, 4, 5 }, "ab|<0xC3>|<0xA9>", { 0, 2, 2, 4, 2, 4 },
    "ab <0xC3> <0xA9>" },
  { "\xe2\x82\xac" "a", 4, { 6, 7, 8, 1 }, "<0xE2>|<0x82>|<0xAC>|a",
    { 0, 3, 0, 3, 0, 3, 3, 4 }, "<0xE2> <0x82> <0xAC> a" },
  /* a fused unknown run whose bytes are not all in the vocabulary stays
   * one unk token carrying its text */
  { "a\xc3\xa9z\xe2\x82\xac" "b", 3, { 1, 0, 2 },
    "a|\xc3\xa9z\xe2\x82\xac|b", { 0, 1, 1, 7, 7, 8 }, "a <unk> b" },
  { "ab\xcc\x81", 2, { 3, 0 }, "ab|\xcc\x81", { 0, 2, 2, 4 }, "ab <unk>" },
};

static void
test_unigram(void)
{
  hubtok_tokenizer *tok = NULL;
  hubtok_error err;
  char *j;
  size_t i;

  j = wrap(DOC_MODEL, NULL, NULL, NULL);
  CHECK_CODE(load_str(j, &tok, &err), HUBTOK_OK);
  free(j);
  for(i = 0; tok && i < sizeof(DOC_GOLDEN) / sizeof(DOC_GOLDEN[0]); i++)
    check_golden(tok, &DOC_GOLDEN[i], "unigram");
  if(tok) {
    uint32_t id = 99;
    size_t len = 0;
    const char *s;
    CHECK(hubtok_vocab_size(tok, 0) == 9);
    CHECK(hubtok_token_to_id(tok, "abc", 3, &id) && id == 7);
    CHECK(!hubtok_token_to_id(tok, "ba", 2, &id));
    s = hubtok_id_to_token(tok, 5, &len);
    CHECK(s && len == 2 && !memcmp(s, "cd", 2));
    CHECK(hubtok_id_to_token(tok, 9, &len) == NULL);
  }
  hubtok_tokenizer_free(tok);
  tok = NULL;

  j = wrap(BF_MODEL, NULL, NULL, NULL);
  CHECK_CODE(load_str(j, &tok, &err), HUBTOK_OK);
  free(j);
  for(i = 0; tok && i < sizeof(BF_GOLDEN) / sizeof(BF_GOLDEN[0]); i++)
    check_golden(tok, &BF_GOLDEN[i], "unigram byte_fallback");
  hubtok_tokenizer_free(tok);
  tok = NULL;

  /* no unk_id: fine until an unknown char turns up */
  j = wrap("{\"type\":\"Unigram\",\"vocab\":[[\"a\",-1]]}", NULL, NULL,
           NULL);
  CHECK_CODE(load_str(j, &tok, &err), HUBTOK_OK);
  free(j);
  if(tok) {
    hubtok_encoding *e = NULL;
    CHECK_CODE(hubtok_encode(tok, "aa", 2, NULL, 0, NULL, &e, &err),
               HUBTOK_OK);
    CHECK(e && e->n == 2);
    hubtok_encoding_free(e);
    e = NULL;
    CHECK_CODE(hubtok_encode(tok, "ab", 2, NULL, 0, NULL, &e, &err),
               HUBTOK_ETOKENIZER);
    CHECK(e == NULL);
  }
  hubtok_tokenizer_free(tok);
  tok = NULL;

  /* legacy files: no "type", vocab as an array */
  j = wrap("{\"unk_id\":0,\"vocab\":[[\"<unk>\",0],[\"a\",-1]]}", NULL,
           NULL, NULL);
  CHECK_CODE(load_str(j, &tok, &err), HUBTOK_OK);
  free(j);
  hubtok_tokenizer_free(tok);
  tok = NULL;

  /* malformed models */
  {
    static const char *const bad[] = {
      "{\"type\":\"Unigram\"}",
      "{\"type\":\"Unigram\",\"vocab\":{\"a\":1}}",
      "{\"type\":\"Unigram\",\"vocab\":[[\"a\"]]}",
      "{\"type\":\"Unigram\",\"vocab\":[[\"a\",\"x\"]]}",
      "{\"type\":\"Unigram\",\"vocab\":[[1,0.5]]}",
      "{\"type\":\"Unigram\",\"vocab\":[\"a\"]}",
      "{\"type\":\"Unigram\",\"unk_id\":1,\"vocab\":[[\"a\",0]]}",
      "{\"type\":\"Unigram\",\"unk_id\":0,\"vocab\":[]}",
      "{\"type\":\"Unigram\",\"unk_id\":-1,\"vocab\":[[\"a\",0]]}",
      "{\"type\":\"Unigram\",\"byte_fallback\":1,\"vocab\":[[\"a\",0]]}",
    };
    for(i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
      j = wrap(bad[i], NULL, NULL, NULL);
      CHECK_CODE(load_str(j, &tok, &err), HUBTOK_ETOKENIZER);
      CHECK(tok == NULL);
      CHECK(strstr(err.msg, "model") != NULL);
      free(j);
    }
  }
}

/* ------------------------------------------------------------------ */
/* Precompiled, Metaspace, WhitespaceSplit on the t5-small fixture      */

static const golden T5_GOLDEN[] = {
  { "Hello world!", 4, { 8774, 296, 55, 1 }, "\xe2\x96\x81Hello|"
    "\xe2\x96\x81world|!|</s>", { 0, 5, 6, 11, 11, 12, 0, 0 },
    "Hello world!</s>" },
  /* NFKC-like charsmap: ligature, circled digit, fraction, superscript,
   * half-width katakana; graphemes: "ｸ﹆" fused as one unknown */
  { "  \xef\xac\x81 \xe2\x91\xa0  \xc2\xbd x\xc2\xb2 \xef\xbd\xb8\xef\xb9\x86",
    11, { 361, 209, 209, 2, 357, 3, 226, 357, 3, 2, 1 },
    "\xe2\x96\x81" "fi|\xe2\x96\x81" "1|\xe2\x96\x81" "1|\xe2\x81\x84|2|"
    "\xe2\x96\x81|x|2|\xe2\x96\x81|\xe3\x82\xaf\xef\xb9\x86|</s>",
    { 2, 5, 6, 9, 11, 13, 11, 13, 11, 13, 14, 15, 14, 15, 15, 17, 18, 21,
      18, 24, 0, 0 }, "fi 1 1<unk>2 x2 <unk></s>" },
  /* e + combining acute composed by the charsmap (one grapheme) */
  { "e\xcc\x81 caf\xc3\xa9 na\xc3\xafve", 9,
    { 3, 154, 11949, 3, 29, 9, 2, 162, 1 },
    "\xe2\x96\x81|\xc3\xa9|\xe2\x96\x81" "caf\xc3\xa9|\xe2\x96\x81|n|a|"
    "\xc3\xaf|ve|</s>",
    { 0, 1, 0, 1, 4, 9, 10, 11, 10, 11, 11, 12, 12, 14, 14, 16, 0, 0 },
    "\xc3\xa9 caf\xc3\xa9 na<unk>ve</s>" },
  { "\xe2\x85\xab <extra_id_0> </s>x", 9,
    { 3, 4, 196, 196, 32099, 1, 3, 226, 1 },
    "\xe2\x96\x81|X|I|I|<extra_id_0>|</s>|\xe2\x96\x81|x|</s>",
    { 0, 3, 0, 3, 0, 3, 0, 3, 4, 16, 17, 21, 21, 22, 21, 22, 0, 0 },
    "XII<extra_id_0></s> x</s>" },
  { "F\xc3\xbchrer \xe4\xbd\xa0\xe5\xa5\xbd \xf0\x9f\xa6\x99 "
    "a\xcc\x81\xcc\xa7", 9, { 3, 30560, 3, 2, 3, 2, 3, 2975, 1 },
    "\xe2\x96\x81|F\xc3\xbchrer|\xe2\x96\x81|\xe4\xbd\xa0\xe5\xa5\xbd|"
    "\xe2\x96\x81|\xf0\x9f\xa6\x99|\xe2\x96\x81|\xc3\xa1|</s>",
    { 0, 1, 0, 7, 8, 11, 8, 14, 15, 19, 15, 19, 20, 21, 20, 21, 0, 0 },
    "F\xc3\xbchrer <unk> <unk> \xc3\xa1</s>" },
  /* ASCII runs (taken whole, without segmenting) beside CR LF, a lone
   * CR, tabs and newlines (which the charsmap maps), combining marks
   * after ASCII letters, NBSP, LINE SEPARATOR, full-width letters */
  { "Hello\x0d\x0aworld\x0a\x09" "foo e\xcc\x81x bar", 9,
    { 8774, 296, 5575, 32, 3, 154, 226, 1207, 1 },
    "\xe2\x96\x81Hello|\xe2\x96\x81world|\xe2\x96\x81" "fo|o|\xe2\x96\x81|"
    "\xc3\xa9|x|\xe2\x96\x81" "bar|</s>",
    { 0, 5, 7, 12, 14, 16, 16, 17, 18, 19, 18, 19, 21, 22, 23, 26, 0, 0 },
    "Hello world foo \xc3\xa9x bar</s>" },
  { "one mark: cafe\xcc\x81\x0d and\x0d\x0a\x0d\x0amore\xc2\xa0text"
    "\xe2\x80\xa8" "end", 9,
    { 80, 3946, 10, 11949, 11, 72, 1499, 414, 1 },
    "\xe2\x96\x81one|\xe2\x96\x81mark|:|\xe2\x96\x81" "caf\xc3\xa9|"
    "\xe2\x96\x81" "and|\xe2\x96\x81more|\xe2\x96\x81text|\xe2\x96\x81"
    "end|</s>",
    { 0, 3, 4, 8, 8, 9, 10, 14, 18, 21, 25, 29, 31, 35, 38, 41, 0, 0 },
    "one mark: caf\xc3\xa9 and more text end</s>" },
  { "x\x0a\x0a\xe2\x91\xa0 ab\xcc\x80\xcc\xa7" "c  \x09  \xef\xbc\xa1"
    "\xef\xbc\xa2 done.", 11,
    { 3, 226, 209, 703, 2, 75, 3, 5359, 612, 5, 1 },
    "\xe2\x96\x81|x|\xe2\x96\x81" "1|\xe2\x96\x81" "ab|\xcc\x80\xcc\xa7|c|"
    "\xe2\x96\x81|AB|\xe2\x96\x81" "done|.|</s>",
    { 0, 1, 0, 1, 3, 6, 7, 9, 9, 13, 13, 14, 19, 22, 19, 25, 26, 30, 30,
      31, 0, 0 },
    "x 1 ab<unk>c AB done.</s>" },
};

static void
test_t5(const char *fixtures)
{
  char path[1024];
  hubtok_tokenizer *tok = NULL;
  hubtok_error err;
  size_t i;

  snprintf(path, sizeof(path), "%s/tokenizers/google-t5--t5-small/"
           "tokenizer.json", fixtures);
  CHECK_CODE(hubtok_tokenizer_from_file(path, &tok, &err), HUBTOK_OK);
  for(i = 0; tok && i < sizeof(T5_GOLDEN) / sizeof(T5_GOLDEN[0]); i++)
    check_golden(tok, &T5_GOLDEN[i], "t5");
  hubtok_tokenizer_free(tok);
}

static void
test_mpnet(const char *fixtures)
{
  char path[1024];
  hubtok_tokenizer *tok = NULL;
  hubtok_error err;
  struct timespec a, b;
  static const golden g = {
    "Hello world!", 5, { 0, 35378, 8999, 38, 2 },
    "<s>|\xe2\x96\x81Hello|\xe2\x96\x81world|!|</s>",
    { 0, 0, 0, 5, 6, 11, 11, 12, 0, 0 }, "<s> Hello world!</s>"
  };

  snprintf(path, sizeof(path), "%s/tokenizers/sentence-transformers--"
           "paraphrase-multilingual-mpnet-base-v2/tokenizer.json",
           fixtures);
  clock_gettime(CLOCK_MONOTONIC, &a);
  CHECK_CODE(hubtok_tokenizer_from_file(path, &tok, &err), HUBTOK_OK);
  clock_gettime(CLOCK_MONOTONIC, &b);
  if(tok) {
    printf("mpnet (250002 pieces, 9 MB tokenizer.json) loaded in %.0f ms, "
           "%zu KB\n", (double)(b.tv_sec - a.tv_sec) * 1e3 +
           (double)(b.tv_nsec - a.tv_nsec) / 1e6,
           hubtok_tokenizer_memory(tok) / 1024);
    CHECK(hubtok_vocab_size(tok, 0) == 250002);
    check_golden(tok, &g, "mpnet");
  }
  hubtok_tokenizer_free(tok);
}

static void
test_components(void)
{
  hubtok_tokenizer *tok = NULL;
  hubtok_error err;
  char *j;
  size_t i;

  /* Metaspace "first" without split; WhitespaceSplit removes all
   * Unicode White_Space */
  j = wrap(DOC_MODEL, NULL, "{\"type\":\"Sequence\",\"pretokenizers\":["
           "{\"type\":\"WhitespaceSplit\"},{\"type\":\"Metaspace\","
           "\"replacement\":\"d\",\"prepend_scheme\":\"first\","
           "\"split\":false}]}", NULL);
  CHECK_CODE(load_str(j, &tok, &err), HUBTOK_OK);
  free(j);
  if(tok) {
    static const golden g[] = {
      /* "ab" -> "dab" (first split only), "c" stays "c" */
      { "ab\xe2\x80\x83" "c", 3, { 4, 6, 3 }, "d|ab|c",
        { 0, 1, 0, 2, 5, 6 }, NULL },
      { " ab", 1, { 6 }, "ab", { 1, 3 }, NULL },
    };
    for(i = 0; i < 2; i++)
      check_golden(tok, &g[i], "metaspace first");
  }
  hubtok_tokenizer_free(tok);
  tok = NULL;

  /* Metaspace "always" + split: spaces become the replacement and each
   * one starts a word */
  j = wrap(DOC_MODEL, NULL, "{\"type\":\"Metaspace\",\"replacement\":\"d\","
           "\"add_prefix_space\":true}", NULL);
  CHECK_CODE(load_str(j, &tok, &err), HUBTOK_OK);
  free(j);
  if(tok) {
    static const golden g = {
      "c ab", 4, { 4, 3, 4, 6 }, "d|c|d|ab", { 0, 1, 0, 1, 1, 2, 2, 4 },
      NULL
    };
    check_golden(tok, &g, "metaspace always");
  }
  hubtok_tokenizer_free(tok);
  tok = NULL;

  /* Metaspace decoder: the replacement is dropped in the first token
   * (every occurrence) unless prepend_scheme is "never" */
  j = wrap(DOC_MODEL, NULL, NULL, "{\"type\":\"Metaspace\","
           "\"replacement\":\"c\",\"prepend_scheme\":\"always\"}");
  CHECK_CODE(load_str(j, &tok, &err), HUBTOK_OK);
  free(j);
  if(tok) {
    uint32_t ids[] = { 5, 7, 3, 1 }; /* cd abc c a */
    check_decode(tok, ids, 4, "dab  a");
  }
  hubtok_tokenizer_free(tok);
  tok = NULL;
  j = wrap(DOC_MODEL, NULL, NULL, "{\"type\":\"Metaspace\","
           "\"replacement\":\"c\",\"prepend_scheme\":\"never\"}");
  CHECK_CODE(load_str(j, &tok, &err), HUBTOK_OK);
  free(j);
  if(tok) {
    uint32_t ids[] = { 5, 7 };
    check_decode(tok, ids, 2, " dab ");
  }
  hubtok_tokenizer_free(tok);
  tok = NULL;

  /* CTC: dedup, pad removed, cleanup, delimiter -> space (ctc.rs test) */
  j = wrap("{\"type\":\"Unigram\",\"unk_id\":0,\"vocab\":[[\"<pad>\",0],"
           "[\"h\",0],[\"e\",0],[\"l\",0],[\"o\",0],[\"|\",0],[\"!\",0],"
           "[\" \",0]]}", NULL, NULL, "{\"type\":\"CTC\",\"pad_token\":"
           "\"<pad>\",\"word_delimiter_token\":\"|\",\"cleanup\":true}");
  CHECK_CODE(load_str(j, &tok, &err), HUBTOK_OK);
  free(j);
  if(tok) {
    uint32_t ids[] = { 0, 0, 1, 2, 2, 3, 3, 0, 3, 4, 4, 4, 0, 5, 7, 6 };
    check_decode(tok, ids, 16, "hello  !");
  }
  hubtok_tokenizer_free(tok);
  tok = NULL;

  /* BPEDecoder: suffix -> " ", removed in the last token */
  j = wrap(DOC_MODEL, NULL, NULL, "{\"type\":\"BPEDecoder\","
           "\"suffix\":\"d\"}");
  CHECK_CODE(load_str(j, &tok, &err), HUBTOK_OK);
  free(j);
  if(tok) {
    uint32_t ids[] = { 5, 8, 5 }; /* cd abcd cd */
    check_decode(tok, ids, 3, "c abc c");
  }
  hubtok_tokenizer_free(tok);
  tok = NULL;

  /* config errors */
  {
    static const char *const bad_pre[] = {
      "{\"type\":\"Metaspace\"}",
      "{\"type\":\"Metaspace\",\"replacement\":\"ab\"}",
      "{\"type\":\"Metaspace\",\"replacement\":\"\"}",
      "{\"type\":\"Metaspace\",\"replacement\":\"_\","
      "\"prepend_scheme\":\"sometimes\"}",
      /* add_prefix_space false needs prepend_scheme "never" */
      "{\"type\":\"Metaspace\",\"replacement\":\"_\","
      "\"add_prefix_space\":false}",
      "{\"type\":\"Metaspace\",\"replacement\":\"_\",\"split\":\"yes\"}",
    };
    static const char *const bad_dec[] = {
      "{\"type\":\"CTC\",\"pad_token\":\"<pad>\","
      "\"word_delimiter_token\":\"|\"}",
      "{\"type\":\"CTC\",\"pad_token\":1,\"word_delimiter_token\":\"|\","
      "\"cleanup\":true}",
      "{\"type\":\"BPEDecoder\"}",
      "{\"type\":\"Metaspace\",\"replacement\":\"_\","
      "\"add_prefix_space\":false,\"prepend_scheme\":\"first\"}",
    };
    static const char *const bad_norm[] = {
      "{\"type\":\"Precompiled\"}",
      "{\"type\":\"Precompiled\",\"precompiled_charsmap\":\"AAA\"}",
      "{\"type\":\"Precompiled\",\"precompiled_charsmap\":\"AA==\"}",
      /* trie size 8 but only 4 bytes follow */
      "{\"type\":\"Precompiled\",\"precompiled_charsmap\":\"CAAAAAAAAAA=\"}",
      /* normalized blob not UTF-8 */
      "{\"type\":\"Precompiled\",\"precompiled_charsmap\":\"AAAAAP8=\"}",
    };
    for(i = 0; i < sizeof(bad_pre) / sizeof(bad_pre[0]); i++) {
      j = wrap(DOC_MODEL, NULL, bad_pre[i], NULL);
      CHECK_CODE(load_str(j, &tok, &err), HUBTOK_ETOKENIZER);
      CHECK(strstr(err.msg, "pre_tokenizer") != NULL);
      free(j);
    }
    for(i = 0; i < sizeof(bad_dec) / sizeof(bad_dec[0]); i++) {
      j = wrap(DOC_MODEL, NULL, NULL, bad_dec[i]);
      CHECK_CODE(load_str(j, &tok, &err), HUBTOK_ETOKENIZER);
      CHECK(strstr(err.msg, "decoder") != NULL);
      free(j);
    }
    for(i = 0; i < sizeof(bad_norm) / sizeof(bad_norm[0]); i++) {
      j = wrap(DOC_MODEL, bad_norm[i], NULL, NULL);
      CHECK_CODE(load_str(j, &tok, &err), HUBTOK_ETOKENIZER);
      CHECK(strstr(err.msg, "normalizer") != NULL);
      free(j);
    }
  }

  /* an empty charsmap trie never matches: text passes unchanged (Rust
   * panics on this one: index out of bounds) */
  j = wrap(DOC_MODEL, "{\"type\":\"Precompiled\",\"precompiled_charsmap\":"
           "\"AAAAAA==\"}", NULL, NULL);
  CHECK_CODE(load_str(j, &tok, &err), HUBTOK_OK);
  free(j);
  if(tok) {
    static const golden g = { "abc", 1, { 7 }, "abc", { 0, 3 }, NULL };
    check_golden(tok, &g, "precompiled empty");
  }
  hubtok_tokenizer_free(tok);
}

/* ------------------------------------------------------------------ */
/* SentencePiece converter                                             */

static const char *const CONVERT_TEXTS[] = {
  "Hello world!", " Hello  world ", "<s>Hello</s> <unk>x", "\t\n \xe3\x80\x80",
  "caf\xc3\xa9 na\xc3\xafve \xef\xac\x81 \xe2\x91\xa0 \xc2\xbd",
  "\xe4\xbd\xa0\xe5\xa5\xbd\xe4\xb8\x96\xe7\x95\x8c \xf0\x9f\xa6\x99 "
  "\xf0\x9f\x91\x8d\xf0\x9f\x8f\xbd", "<extra_id_0> x <extra_id_99>",
  "e\xcc\x81\xcc\x81 ab\xe2\x96\x81" "c \xe2\x96\x81", "3333 123456789",
  "", " ", "<0x41>",
};

/* Encode each text with both tokenizers (with and without specials) and
 * compare ids and tokens. */
static void
compare_tokenizers(const hubtok_tokenizer *x, const hubtok_tokenizer *y,
                   const char *tag)
{
  size_t i, k;
  int sp;

  for(i = 0; i < sizeof(CONVERT_TEXTS) / sizeof(CONVERT_TEXTS[0]); i++) {
    for(sp = 0; sp < 2; sp++) {
      hubtok_encode_opts o = { sp };
      hubtok_encoding *a = NULL, *b = NULL;
      hubtok_error err;
      const char *t = CONVERT_TEXTS[i];
      int same;
      CHECK_CODE(hubtok_encode(x, t, strlen(t), NULL, 0, &o, &a, &err),
                 HUBTOK_OK);
      CHECK_CODE(hubtok_encode(y, t, strlen(t), NULL, 0, &o, &b, &err),
                 HUBTOK_OK);
      same = a && b && a->n == b->n &&
             a->token_off[a->n] == b->token_off[b->n] &&
             !memcmp(a->tokens, b->tokens, a->token_off[a->n]);
      for(k = 0; same && k < a->n; k++)
        same = a->ids[k] == b->ids[k];
      checks++;
      if(!same) {
        failures++;
        fprintf(stderr, "%s: converted and tokenizer.json differ on "
                "\"%s\"\n", tag, t);
      }
      hubtok_encoding_free(a);
      hubtok_encoding_free(b);
    }
  }
}

static void
test_convert(const char *fixtures)
{
  char model[1024], json[1024], config[1024], tmpcfg[] =
    "/tmp/hubtok-test-unigram-XXXXXX";
  hubtok_legacy_files f;
  hubtok_tokenizer *conv = NULL, *ref = NULL;
  hubtok_error err;
  cJSON *root = NULL;
  FILE *fp;
  int fd;

  /* T5: spiece.model + tokenizer_config.json == tokenizer.json */
  memset(&f, 0, sizeof(f));
  snprintf(model, sizeof(model), "%s/tokenizers/google-t5--t5-small/"
           "spiece.model", fixtures);
  snprintf(json, sizeof(json), "%s/tokenizers/google-t5--t5-small/"
           "tokenizer.json", fixtures);
  snprintf(config, sizeof(config), "%s/tokenizers/google-t5--t5-small/"
           "tokenizer_config.json", fixtures);
  f.sp_model = model;
  f.tokenizer_config = config;
  f.tokenizer_class = "T5Tokenizer";
  CHECK_CODE(hubtok_tokenizer_from_legacy(&f, &conv, &err), HUBTOK_OK);
  CHECK_CODE(hubtok_tokenizer_from_file(json, &ref, &err), HUBTOK_OK);
  if(conv && ref) {
    CHECK(hubtok_vocab_size(conv, 1) == hubtok_vocab_size(ref, 1));
    CHECK(hubtok_added_token_count(conv) == hubtok_added_token_count(ref));
    compare_tokenizers(conv, ref, "t5");
  }
  hubtok_tokenizer_free(conv);
  hubtok_tokenizer_free(ref);
  conv = ref = NULL;

  /* the converter's tree: Unigram scores are the pieces' floats */
  CHECK_CODE(hubtok__convert_sentencepiece(&f, &root, &err), HUBTOK_OK);
  if(root) {
    const cJSON *v = hubtok__json_get(hubtok__json_get(root, "model"),
                                      "vocab");
    const cJSON *p3 = cJSON_GetArrayItem(v, 3);
    CHECK(cJSON_GetArraySize(v) == 32100);
    CHECK(p3 && !strcmp(p3->child->valuestring, "\xe2\x96\x81") &&
          p3->child->next->valuedouble == (double)-2.0122928619384766f);
    CHECK(!strcmp(cJSON_GetArrayItem(v, 32099)->child->valuestring,
                  "<extra_id_0>"));
  }
  cJSON_Delete(root);
  root = NULL;

  /* TinyLlama as legacy (its Hub tokenizer.json is the legacy form) */
  fd = mkstemp(tmpcfg);
  CHECK(fd >= 0);
  if(fd >= 0) {
    fp = fdopen(fd, "w");
    fputs("{\"legacy\": true, \"bos_token\": \"<s>\", \"eos_token\": "
          "\"</s>\", \"unk_token\": \"<unk>\"}", fp);
    fclose(fp);
  }
  memset(&f, 0, sizeof(f));
  snprintf(model, sizeof(model), "%s/tokenizers/TinyLlama--TinyLlama-1.1B-"
           "Chat-v1.0/tokenizer.model", fixtures);
  snprintf(json, sizeof(json), "%s/tokenizers/TinyLlama--TinyLlama-1.1B-"
           "Chat-v1.0/tokenizer.json", fixtures);
  f.sp_model = model;
  f.tokenizer_config = tmpcfg;
  f.tokenizer_class = "LlamaTokenizer";
  CHECK_CODE(hubtok_tokenizer_from_legacy(&f, &conv, &err), HUBTOK_OK);
  CHECK_CODE(hubtok_tokenizer_from_file(json, &ref, &err), HUBTOK_OK);
  if(conv && ref) {
    uint32_t ids[] = { 1, 15043, 3186, 29991, 2 };
    CHECK(hubtok_vocab_size(conv, 1) == hubtok_vocab_size(ref, 1));
    compare_tokenizers(conv, ref, "tinyllama");
    check_decode(conv, ids, 5, "<s> Hello world!</s>");
  }
  hubtok_tokenizer_free(conv);
  hubtok_tokenizer_free(ref);
  conv = ref = NULL;
  /* the generated merges are the Hub file's, in order */
  CHECK_CODE(hubtok__convert_sentencepiece(&f, &root, &err), HUBTOK_OK);
  if(root) {
    const cJSON *m = hubtok__json_get(hubtok__json_get(root, "model"),
                                      "merges");
    const cJSON *m0 = cJSON_GetArrayItem(m, 0);
    const cJSON *m4 = cJSON_GetArrayItem(m, 4);
    CHECK(cJSON_GetArraySize(m) == 61249);
    CHECK(m0 && !strcmp(m0->child->valuestring, "\xe2\x96\x81") &&
          !strcmp(m0->child->next->valuestring, "t"));
    CHECK(m4 && !strcmp(m4->child->valuestring, "e") &&
          !strcmp(m4->child->next->valuestring, "n"));
  }
  cJSON_Delete(root);
  root = NULL;
  if(fd >= 0)
    remove(tmpcfg);

  /* errors: unsupported class, missing file, malformed protobuf */
  f.tokenizer_class = "AlbertTokenizer";
  CHECK_CODE(hubtok_tokenizer_from_legacy(&f, &conv, &err),
             HUBTOK_EUNSUPPORTED);
  f.tokenizer_class = "T5Tokenizer"; /* a BPE model as T5: refused */
  CHECK_CODE(hubtok_tokenizer_from_legacy(&f, &conv, &err),
             HUBTOK_EUNSUPPORTED);
  f.tokenizer_class = NULL;
  f.tokenizer_config = NULL;
  f.sp_model = "/nonexistent/tokenizer.model";
  CHECK_CODE(hubtok_tokenizer_from_legacy(&f, &conv, &err),
             HUBTOK_LOCAL_NOT_FOUND);
  CHECK(conv == NULL);
}

static void
test_spm_proto(void)
{
  hubtok__spm_model m;
  hubtok_error err;
  /* pieces {"a", 0.5, NORMAL}, {"<s>", type CONTROL}; trainer_spec
   * model_type BPE, byte_fallback, unk_id 3; normalizer_spec charsmap
   * "xy", add_dummy_prefix false */
  static const unsigned char ok[] = {
    0x0a, 0x08, 0x0a, 0x01, 'a', 0x15, 0x00, 0x00, 0x00, 0x3f,
    0x0a, 0x07, 0x0a, 0x03, '<', 's', '>', 0x18, 0x03,
    0x12, 0x08, 0x18, 0x02, 0x98, 0x02, 0x01, 0xc0, 0x02, 0x03,
    0x1a, 0x06, 0x12, 0x02, 'x', 'y', 0x18, 0x00,
    0x20, 0x05 /* an unknown varint field */
  };
  static const unsigned char truncated[] = { 0x0a, 0x08, 0x0a, 0x01, 'a' };
  static const unsigned char group[] = { 0x0b, 0x0c };
  static const unsigned char badutf8[] = { 0x0a, 0x03, 0x0a, 0x01, 0xff };
  static const unsigned char longvarint[] = {
    0x20, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff
  };

  CHECK_CODE(hubtok__spm_model_parse(ok, sizeof(ok), "t", &m, &err),
             HUBTOK_OK);
  CHECK(m.n == 2);
  if(m.n == 2) {
    CHECK(!strcmp(m.pieces[0].s, "a") && m.pieces[0].score == 0.5f &&
          m.pieces[0].type == HUBTOK__SPM_NORMAL);
    CHECK(!strcmp(m.pieces[1].s, "<s>") &&
          m.pieces[1].type == HUBTOK__SPM_CONTROL);
  }
  CHECK(m.model_type == HUBTOK__SPM_BPE && m.byte_fallback == 1 &&
        m.unk_id == 3 && m.bos_id == 1 && m.pad_id == -1);
  CHECK(m.charsmap_len == 2 && !memcmp(m.charsmap, "xy", 2));
  CHECK(m.add_dummy_prefix == 0 && !strcmp(m.unk_piece, "<unk>"));
  hubtok__spm_model_free(&m);
  CHECK_CODE(hubtok__spm_model_parse(truncated, sizeof(truncated), "t", &m,
                                     &err), HUBTOK_ETOKENIZER);
  CHECK_CODE(hubtok__spm_model_parse(group, sizeof(group), "t", &m, &err),
             HUBTOK_ETOKENIZER);
  CHECK_CODE(hubtok__spm_model_parse(badutf8, sizeof(badutf8), "t", &m,
                                     &err), HUBTOK_ETOKENIZER);
  CHECK_CODE(hubtok__spm_model_parse(longvarint, sizeof(longvarint), "t",
                                     &m, &err), HUBTOK_ETOKENIZER);
  CHECK_CODE(hubtok__spm_model_parse(ok, 0, "t", &m, &err),
             HUBTOK_ETOKENIZER); /* no pieces */
}

int
main(int argc, char **argv)
{
  test_trie();
  test_base64();
  test_unigram();
  test_components();
  test_spm_proto();
  if(argc > 1) {
    test_t5(argv[1]);
    test_mpnet(argv[1]);
    test_convert(argv[1]);
  }
  printf("test_unigram: %d/%d checks passed\n", checks - failures, checks);
  return failures ? 1 : 0;
}
