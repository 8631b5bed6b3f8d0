/*
 * test_bytelevel.c: golden tests for the pre-tokenizer stage (split
 * behaviours, Split, Sequence) and the byte-level BPE family (ByteLevel
 * pre-tokenizer, normalizer, decoder and post-processor,
 * RobertaProcessing, post-processor Sequence, model type inference).
 *
 *   test_bytelevel FIXTURES_TOKENIZERS_DIR
 *
 * Expected values are literals taken from the Rust `tokenizers` library
 * (npm tokenizers@0.23.2): split offsets via a WordLevel "[UNK]" model,
 * encodings of the gpt2 / roberta / whisper fixtures. Rust reports char
 * offsets, hubtok bytes: they differ only on non-ASCII text, where the
 * byte values are written here. Every encoding checked here is also
 * checked against hubtok_encode_ids (the same ids), and so are random
 * texts and pairs on every fixture.
 */
#include "hubtok.h"
#include "internal.h"
#include "convert/convert.h"
#include "decoders/decoder.h"
#include "normalizers/normalizer.h"
#include "pre_tokenizers/pre_tokenizer.h"
#include "processors/processor.h"
#include "tokenizer/normalized.h"
#include "util/byte_level.h"
#include "util/json.h"
#include "util/regex.h"
#include "util/regex_unicode.h"
#include "util/utf8.h"

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

#define CHECK_STR(got, want)                                            \
  do {                                                                  \
    const char *g_ = (got), *w_ = (want);                               \
    checks++;                                                           \
    if(!g_ || strcmp(g_, w_)) {                                         \
      failures++;                                                       \
      fprintf(stderr, "%s:%d: got  \"%s\"\n%*swant \"%s\"\n", __FILE__, \
              __LINE__, g_ ? g_ : "(null)", (int)strlen(__FILE__) + 6,  \
              "", w_);                                                  \
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

static char out_buf[4096];

static hubtok_code pre_code(const char *json);

/* ------------------------------------------------------------------ */
/* pre-tokenizers                                                      */

static hubtok_code
pre_from(const char *json, hubtok__pre_tokenizer **p, hubtok_error *err)
{
  cJSON *root;
  hubtok_code rc;

  *p = NULL;
  rc = hubtok__json_parse(json, strlen(json), &root, err);
  if(rc)
    return rc;
  rc = hubtok__pre_tokenizer_from_json(root, "pre_tokenizer", 0, p, err);
  cJSON_Delete(root);
  return rc;
}

/* Pre-tokenize text with the pre-tokenizer in json: "piece(s,e)|..."
 * with offsets in bytes of the original. */
static const char *
splits(const char *json, const char *text)
{
  hubtok__pre_tokenizer *p;
  hubtok__pretok pt;
  hubtok__nstr ns;
  hubtok_error err;
  size_t i, o = 0;

  if(pre_from(json, &p, &err)) {
    fprintf(stderr, "pre-tokenizer: %s\n", err.msg);
    return NULL;
  }
  memset(&pt, 0, sizeof(pt));
  if(hubtok__nstr_init(&ns, text, strlen(text), 0) ||
     hubtok__pretok_push(&pt, &ns, 0, 0) ||
     hubtok__pre_tokenize(p, &pt, &err)) {
    hubtok__pretok_free(&pt);
    hubtok__pre_tokenizer_free(p);
    return NULL;
  }
  out_buf[0] = 0;
  for(i = 0; i < pt.n && o < sizeof(out_buf) - 64; i++) {
    size_t os, oe;
    hubtok__nstr_orig(&pt.v[i].ns, 0, pt.v[i].ns.len, &os, &oe);
    o += (size_t)snprintf(out_buf + o, sizeof(out_buf) - o, "%s%s(%zu,%zu)",
                          i ? "|" : "", pt.v[i].ns.s, os, oe);
  }
  hubtok__pretok_free(&pt);
  hubtok__pre_tokenizer_free(p);
  return out_buf;
}

#define WSPLIT(beh)                                                     \
  "{\"type\":\"Split\",\"pattern\":{\"Regex\":\"\\\\w+|[^\\\\w\\\\s]+\"}," \
  "\"behavior\":\"" beh "\",\"invert\":true}"
#define SSPLIT(beh, inv)                                                \
  "{\"type\":\"Split\",\"pattern\":{\"Regex\":\"\\\\s\"},"              \
  "\"behavior\":\"" beh "\",\"invert\":" inv "}"

static void
test_split(void)
{
  const char *how = "How are you doing?";

  CHECK_STR(splits(WSPLIT("Removed"), how),
            "How(0,3)|are(4,7)|you(8,11)|doing(12,17)|?(17,18)");
  CHECK_STR(splits(WSPLIT("Isolated"), how),
            "How(0,3)| (3,4)|are(4,7)| (7,8)|you(8,11)| (11,12)|"
            "doing(12,17)|?(17,18)");
  CHECK_STR(splits(WSPLIT("MergedWithPrevious"), how),
            "How (0,4)|are (4,8)|you (8,12)|doing(12,17)|?(17,18)");
  CHECK_STR(splits(WSPLIT("MergedWithNext"), how),
            "How(0,3)| are(3,7)| you(7,11)| doing(11,17)|?(17,18)");
  CHECK_STR(splits(WSPLIT("Contiguous"), how),
            "How(0,3)| (3,4)|are(4,7)| (7,8)|you(8,11)| (11,12)|"
            "doing?(12,18)");
  CHECK_STR(splits(SSPLIT("MergedWithNext", "false"), "  a  b "),
            " (0,1)| a(1,3)| (3,4)| b(4,6)| (6,7)");
  CHECK_STR(splits(SSPLIT("MergedWithPrevious", "false"), "  a  b "),
            " (0,1)| (1,2)|a (2,4)| (4,5)|b (5,7)");
  CHECK_STR(splits(SSPLIT("Contiguous", "false"), "  a  b "),
            "  (0,2)|a(2,3)|  (3,5)|b(5,6)| (6,7)");
  CHECK_STR(splits(SSPLIT("Contiguous", "true"), "  a  b "),
            "  (0,2)|a(2,3)|  (3,5)|b(5,6)| (6,7)");
  CHECK_STR(splits("{\"type\":\"Split\",\"pattern\":{\"String\":\" \"},"
                   "\"behavior\":\"Removed\",\"invert\":false}",
                   "Hey, man!"), "Hey,(0,4)|man!(5,9)");
  CHECK_STR(splits("{\"type\":\"Split\",\"pattern\":{\"String\":\"Hello\"},"
                   "\"behavior\":\"Removed\",\"invert\":true}",
                   "Hello Hello Hello"),
            "Hello(0,5)|Hello(6,11)|Hello(12,17)");
  CHECK_STR(splits("{\"type\":\"Split\",\"pattern\":{\"String\":\"\"},"
                   "\"behavior\":\"Removed\",\"invert\":false}", "ab"),
            "a(0,1)|b(1,2)");
  CHECK_STR(splits("{\"type\":\"Split\",\"pattern\":{\"String\":\"\"},"
                   "\"behavior\":\"Isolated\",\"invert\":false}", "ab"),
            "a(0,1)|b(1,2)");
  CHECK_STR(splits("{\"type\":\"Split\",\"pattern\":{\"Regex\":\"x*\"},"
                   "\"behavior\":\"Isolated\",\"invert\":false}", "axxb"),
            "a(0,1)|xx(1,3)|b(3,4)");
  /* a String pattern is literal: '.' is no wildcard */
  CHECK_STR(splits("{\"type\":\"Split\",\"pattern\":{\"String\":\"a.\"},"
                   "\"behavior\":\"Isolated\",\"invert\":false}",
                   "a.ab a."), "a.(0,2)|ab (2,5)|a.(5,7)");
  CHECK_STR(splits("{\"type\":\"Sequence\",\"pretokenizers\":["
                   "{\"type\":\"Split\",\"pattern\":{\"Regex\":"
                   "\"\\\\p{N}{1,3}\"},\"behavior\":\"Isolated\","
                   "\"invert\":false},{\"type\":\"Split\",\"pattern\":"
                   "{\"Regex\":\"\\\\s+\"},\"behavior\":\"Removed\","
                   "\"invert\":false}]}", "a12345 b 7"),
            "a(0,1)|123(1,4)|45(4,6)|b(7,8)|7(9,10)");
  /* empty input: no splits */
  CHECK_STR(splits(WSPLIT("Removed"), ""), "");
}

/* splits() of {"type":"Split","pattern":{"Regex":re},"behavior":
 * "Removed","invert":false} */
static const char *
split_re(const char *re, const char *text)
{
  cJSON *o = cJSON_CreateObject(), *pat;
  char *json;
  const char *r = NULL;

  pat = cJSON_AddObjectToObject(o, "pattern");
  if(!cJSON_AddStringToObject(o, "type", "Split") || !pat ||
     !cJSON_AddStringToObject(pat, "Regex", re) ||
     !cJSON_AddStringToObject(o, "behavior", "Removed") ||
     !cJSON_AddFalseToObject(o, "invert")) {
    cJSON_Delete(o);
    return NULL;
  }
  json = cJSON_PrintUnformatted(o);
  cJSON_Delete(o);
  if(json)
    r = splits(json, text);
  cJSON_free(json);
  return r;
}

/* Regex escapes that depend on the Unicode version match as with the
 * Unicode 16.0 tables of the Rust onig crate (util/regex_unicode.c):
 * U+31350 (Lo, Han, 15.0), U+1F6DC (So, 15.0), U+11F50 (Nd, 15.0) are
 * in, U+088F (17.0) is not. In (?i) scopes nothing is rewritten. */
static void
test_regex_unicode(void)
{
  char *out = NULL;
  size_t len = 0;

  CHECK_STR(split_re("\x5Cp{L}+", "a\xF0\xB1\x8D\x90!b"),
            "!(5,6)");
  CHECK_STR(split_re("\x5Cp{S}", "a\xF0\x9F\x9B\x9C" "b"),
            "a(0,1)|b(5,6)");
  CHECK_STR(split_re("\x5C" "d", "1\xF0\x91\xBD\x90x"),
            "x(5,6)");
  CHECK_STR(split_re("\x5Cw+", "!\xF0\xB1\x8D\x90x_!"),
            "!(0,1)|!(7,8)");
  CHECK_STR(split_re("\x5Cp{L}", "!\xE0\xA2\x8F!"),
            "!\xE0\xA2\x8F!(0,5)");
  CHECK_STR(split_re("[^\x5Cs\x5Cp{L}\x5Cp{N}]+", "a\xF0\x9F\x9B\x9C! b"),
            "a(0,1)| b(6,8)");
  CHECK_STR(split_re("\x5CP{L}+", "ab!\x3F\xF0\xB1\x8D\x90" "cd"),
            "ab(0,2)|\xF0\xB1\x8D\x90" "cd(4,10)");
  CHECK_STR(split_re("\x5Cp{^L}+", "ab!\x3F" "cd"),
            "ab(0,2)|cd(4,6)");
  CHECK_STR(split_re("[\x5CP{L}x]+", "ab!x\x3F" "cd"),
            "ab(0,2)|cd(5,7)");
  CHECK_STR(split_re("\x5C\x5Cp{L}", "a\x5Cp{L}b"),
            "a(0,1)|b(6,7)");
  CHECK_STR(split_re("\x5Cp{Han}+", "a\xF0\xB1\x8D\x90\xE4\xB8\x80" "b"),
            "a(0,1)|b(8,9)");
  CHECK_STR(split_re("(\x3Fi)\x5Cp{Lu}", "aAbB"),
            "a(0,1)|b(2,3)");
  CHECK_STR(split_re("(\x3Fi:x)\x5Cp{Lu}", "xAXa"),
            "Xa(2,4)");
  CHECK_STR(split_re("[[:alpha:]]+", "1\xF0\xB1\x8D\x90" "a2"),
            "1(0,1)|2(6,7)");
  CHECK_STR(split_re("\x5Cp{Greek}+", "a\xCE\xB1\xCE\xB2" "b"),
            "a(0,1)|b(5,6)");
  CHECK_STR(split_re("[\x5C]\x5Cp{N}]+", "a]1]b"),
            "a(0,1)|b(4,5)");
  CHECK_STR(split_re("[]a]+", "x]a]y"),
            "x(0,1)|y(4,5)");
  /* patterns without such escapes are kept as they are */
  CHECK(!hubtok__regex_unicode_rewrite("a(?i:b)\\s[x-z]", 14, &out, &len));
  CHECK(out && len == 14 && !strcmp(out, "a(?i:b)\\s[x-z]"));
  free(out);
  CHECK(!hubtok__regex_unicode_rewrite("", 0, &out, &len));
  CHECK(out && len == 0);
  free(out);
  /* a trailing backslash or an unclosed \p{ is left to Oniguruma */
  CHECK_CODE(pre_code("{\"type\":\"Split\",\"pattern\":{\"Regex\":"
                      "\"a\\\\p{L\"},\"behavior\":\"Removed\","
                      "\"invert\":false}"), HUBTOK_ETOKENIZER);
  CHECK_CODE(pre_code("{\"type\":\"Split\",\"pattern\":{\"Regex\":"
                      "\"a\\\\\"},\"behavior\":\"Removed\","
                      "\"invert\":false}"), HUBTOK_ETOKENIZER);
}

/* The GPT-2 scanner against Oniguruma (the same pattern with the scanner
 * cleared): every code point in several contexts, and every string of up
 * to four chars over an alphabet of the interesting cases. */
static int
spans_equal(const hubtok__spans *a, const hubtok__spans *b)
{
  size_t i;

  if(a->n != b->n)
    return 0;
  for(i = 0; i < a->n; i++)
    if(a->v[i].start != b->v[i].start || a->v[i].end != b->v[i].end)
      return 0;
  return 1;
}

static int
scan_vs_onig(const hubtok__pattern *fast, const hubtok__pattern *slow,
             const char *s, size_t len)
{
  hubtok__spans a = { 0 }, b = { 0 };
  hubtok_error err;
  int ok;

  ok = !hubtok__pattern_find(fast, s, len, &a, &err) &&
       !hubtok__pattern_find(slow, s, len, &b, &err) && spans_equal(&a, &b);
  if(!ok) {
    size_t i;
    fprintf(stderr, "gpt2 scanner differs on:");
    for(i = 0; i < len; i++)
      fprintf(stderr, " %02x", (unsigned char)s[i]);
    fprintf(stderr, "\n");
  }
  hubtok__spans_free(&a);
  hubtok__spans_free(&b);
  return ok;
}

static void
test_gpt2_scanner(void)
{
  static const char re[] =
    "'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+"
    "|\\s+(?!\\S)|\\s+";
  static const char *const alpha[] = {
    "a", "Z", "s", "t", "l", "e", "r", "v", "m", "d", "'", " ", "\n", "\t",
    "1", "!", "\xC3\xA9" /* é */, "\xE4\xB8\xAD" /* 中 */,
    "\xD9\xA3" /* ٣ Nd */, "\xE2\x85\xAB" /* Ⅻ Nl */,
    "\xC2\xA0" /* NBSP */, "\xE3\x80\x80" /* ideographic space */,
    "\xC2\x85" /* NEL */, "\xCC\x81" /* combining acute */,
    "\xF0\x9F\x98\x80" /* emoji */, "\xF0\xB1\x8D\x90" /* U+31350, Lo
    since Unicode 15 */, "\xCD\xB8" /* U+0378 unassigned */
  };
  size_t na = sizeof(alpha) / sizeof(alpha[0]);
  hubtok__pattern fast, slow;
  hubtok_error err;
  uint32_t cp;
  size_t i, j, k, l;
  int bad = 0;

  CHECK(!hubtok__pattern_regex(&fast, re, sizeof(re) - 1, "re", &err));
  CHECK(fast.scanner == HUBTOK__SCAN_GPT2);
  slow = fast;
  slow.scanner = HUBTOK__SCAN_NONE;
  for(cp = 0; cp <= 0x10FFFF && bad < 5; cp++) {
    char s[32], c[4];
    size_t n, len = 0;
    if(cp >= 0xD800 && cp <= 0xDFFF)
      continue;
    n = hubtok__utf8_encode(cp, c);
    /* cp, " cp", "cp cp", "  cp", "'cp" */
    memcpy(s + len, c, n); len += n;
    s[len++] = ' ';
    memcpy(s + len, c, n); len += n;
    memcpy(s + len, c, n); len += n;
    s[len++] = ' ';
    s[len++] = ' ';
    memcpy(s + len, c, n); len += n;
    s[len++] = '\'';
    memcpy(s + len, c, n); len += n;
    if(!scan_vs_onig(&fast, &slow, s, len))
      bad++;
  }
  for(i = 0; i < na && bad < 5; i++)
    for(j = 0; j < na && bad < 5; j++)
      for(k = 0; k < na && bad < 5; k++)
        for(l = 0; l <= na && bad < 5; l++) {
          char s[32];
          size_t len = 0;
          const char *parts[4];
          size_t q;
          parts[0] = alpha[i];
          parts[1] = alpha[j];
          parts[2] = alpha[k];
          parts[3] = l < na ? alpha[l] : "";
          for(q = 0; q < 4; q++) {
            memcpy(s + len, parts[q], strlen(parts[q]));
            len += strlen(parts[q]);
          }
          if(!scan_vs_onig(&fast, &slow, s, len))
            bad++;
        }
  CHECK(bad == 0);
  /* invalid UTF-8 goes to Oniguruma */
  {
    hubtok__spans a = { 0 }, b = { 0 };
    CHECK(!hubtok__pattern_find(&fast, "a\xFF b", 4, &a, &err));
    CHECK(!hubtok__pattern_find(&slow, "a\xFF b", 4, &b, &err));
    CHECK(spans_equal(&a, &b));
    hubtok__spans_free(&a);
    hubtok__spans_free(&b);
  }
  hubtok__pattern_free(&fast);
}

#define BL(aps, re)                                                     \
  "{\"type\":\"ByteLevel\",\"add_prefix_space\":" aps ","               \
  "\"trim_offsets\":true,\"use_regex\":" re "}"

static void
test_byte_level_pre(void)
{
  const char *s = "Hello my friend, how is your day going?";

  /* byte_level.rs tests */
  CHECK_STR(splits(BL("false", "true"), s),
            "Hello(0,5)|\xC4\xA0my(5,8)|\xC4\xA0" "friend(8,15)|,(15,16)|"
            "\xC4\xA0how(16,20)|\xC4\xA0is(20,23)|\xC4\xA0your(23,28)|"
            "\xC4\xA0" "day(28,32)|\xC4\xA0going(32,38)|?(38,39)");
  CHECK_STR(splits(BL("true", "false"), s),
            "\xC4\xA0Hello\xC4\xA0my\xC4\xA0" "friend,\xC4\xA0how\xC4\xA0"
            "is\xC4\xA0your\xC4\xA0" "day\xC4\xA0going?(0,39)");
  CHECK_STR(splits(BL("true", "true"), "Hello my"),
            "\xC4\xA0Hello(0,5)|\xC4\xA0my(5,8)");
  CHECK_STR(splits(BL("true", "true"), " Hello my"),
            "\xC4\xA0Hello(0,6)|\xC4\xA0my(6,9)");
  CHECK_STR(splits(BL("false", "true"), "Hello there\nHello there"),
            "Hello(0,5)|\xC4\xA0there(5,11)|\xC4\x8A(11,12)|Hello(12,17)|"
            "\xC4\xA0there(17,23)");
  CHECK_STR(splits(BL("false", "true"), "Hello there       dear"),
            "Hello(0,5)|\xC4\xA0there(5,11)|"
            "\xC4\xA0\xC4\xA0\xC4\xA0\xC4\xA0\xC4\xA0\xC4\xA0(11,17)|"
            "\xC4\xA0" "dear(17,22)");
  /* "i\u2b62j": the three bytes of U+2B62 keep its whole span */
  CHECK_STR(splits(BL("false", "true"), "i\xE2\xAD\xA2j"),
            "i(0,1)|\xC3\xA2\xC5\x83\xC2\xA2(1,4)|j(4,5)");
  /* contractions and numbers of the GPT-2 regex */
  CHECK_STR(splits(BL("false", "true"), "it's 12ab  \t!"),
            "it(0,2)|'s(2,4)|\xC4\xA0" "12(4,7)|ab(7,9)|"
            "\xC4\xA0\xC4\xA0(9,11)|\xC4\x89(11,12)|!(12,13)");
}

/* ------------------------------------------------------------------ */
/* normalizer and decoder                                              */

static void
test_byte_level_normalizer(void)
{
  hubtok__normalizer *n = NULL;
  hubtok__nstr ns;
  hubtok_error err;
  cJSON *j;
  size_t os, oe;

  CHECK_CODE(hubtok__json_parse("{\"type\":\"ByteLevel\"}", 20, &j, &err),
             HUBTOK_OK);
  CHECK_CODE(hubtok__normalizer_from_json(j, "normalizer", 0, &n, &err),
             HUBTOK_OK);
  cJSON_Delete(j);
  if(!n)
    return;
  /* "\u00e9 a" -> "\u00c3\u00a9\u0120a" */
  CHECK_CODE(hubtok__nstr_init(&ns, "\xC3\xA9 a", 4, 0), HUBTOK_OK);
  CHECK_CODE(hubtok__normalize(n, &ns, &err), HUBTOK_OK);
  CHECK_STR(ns.s, "\xC3\x83\xC2\xA9\xC4\xA0" "a");
  hubtok__nstr_orig(&ns, 0, 2, &os, &oe);
  CHECK(os == 0 && oe == 2);
  hubtok__nstr_orig(&ns, 2, 4, &os, &oe);
  CHECK(os == 0 && oe == 2);
  hubtok__nstr_orig(&ns, 4, 6, &os, &oe);
  CHECK(os == 2 && oe == 3);
  hubtok__nstr_free(&ns);
  CHECK_CODE(hubtok__nstr_init(&ns, "", 0, 0), HUBTOK_OK);
  CHECK_CODE(hubtok__normalize(n, &ns, &err), HUBTOK_OK);
  CHECK(ns.len == 0);
  hubtok__nstr_free(&ns);
  hubtok__normalizer_free(n);
}

static const char *
decode_tokens(const char *const *toks, size_t n)
{
  hubtok__decoder *d = NULL;
  hubtok__strs in;
  hubtok_error err;
  char *s = NULL;
  size_t len = 0, i;
  cJSON *j;

  static const char json[] =
    "{\"type\":\"ByteLevel\",\"add_prefix_space\":true,"
    "\"trim_offsets\":true,\"use_regex\":true}";

  if(hubtok__json_parse(json, sizeof(json) - 1, &j, &err))
    return NULL;
  if(hubtok__decoder_from_json(j, "decoder", 0, &d, &err)) {
    cJSON_Delete(j);
    return NULL;
  }
  cJSON_Delete(j);
  hubtok__strs_init(&in);
  for(i = 0; i < n; i++)
    if(hubtok__strs_push(&in, toks[i], strlen(toks[i])))
      break;
  if(i == n && !hubtok__decode_tokens(d, &in, &s, &len, &err) &&
     len < sizeof(out_buf)) {
    memcpy(out_buf, s, len);
    out_buf[len] = 0;
  }
  else
    strcpy(out_buf, "(failed)");
  free(s);
  hubtok__strs_free(&in);
  hubtok__decoder_free(d);
  return out_buf;
}

static void
test_byte_level_decoder(void)
{
  static const char *const a[] = {
    "Hello", "\xC4\xA0my", "\xC4\xA0" "friend", ",", "\xC4\xA0how"
  };
  static const char *const b[] = { "\xC3\xA2", "\xC5\x83", "\xC2\xA2" };
  static const char *const c[] = { "\xC3\xA2\xC4\xA2" };        /* E2 80 */
  static const char *const d[] = { "\xC3\xA2", "Hello" };       /* E2 */
  static const char *const e[] = { "\xE4\xBD\xA0", "\xC4\xA0" "a" };
  static const char *const f[] = { "\xC3\x83", "A" };           /* C3 41 */
  /* ED A0 80 and F0 9F 98 */
  static const char *const g[] = { "\xC3\xAD\xC5\x82\xC4\xA2" };
  static const char *const h[] = { "\xC3\xB0\xC5\x81\xC4\xBA" };

  CHECK_STR(decode_tokens(a, 5), "Hello my friend, how");
  CHECK_STR(decode_tokens(b, 3), "\xE2\xAD\xA2");
  CHECK_STR(decode_tokens(c, 1), "\xEF\xBF\xBD");
  CHECK_STR(decode_tokens(d, 2), "\xEF\xBF\xBDHello");
  /* a token with a char standing for no byte is kept as it is */
  CHECK_STR(decode_tokens(e, 2), "\xE4\xBD\xA0 a");
  CHECK_STR(decode_tokens(f, 2), "\xEF\xBF\xBD" "A");
  /* a surrogate: each byte is its own invalid subpart */
  CHECK_STR(decode_tokens(g, 1), "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");
  /* a truncated 4-byte sequence is one subpart */
  CHECK_STR(decode_tokens(h, 1), "\xEF\xBF\xBD");
  CHECK_STR(decode_tokens(a, 0), "");
}

/* ------------------------------------------------------------------ */
/* whole tokenizers                                                    */

static char path_buf[1024];

static const char *
fixture(const char *dir, const char *name)
{
  snprintf(path_buf, sizeof(path_buf), "%s/%s/%s", dir, name,
           "tokenizer.json");
  return path_buf;
}

/* hubtok_encode_ids gives e's ids, and only them. */
static int
ids_only_same(const hubtok_tokenizer *tok, const char *text, size_t len,
         const char *pair, size_t pair_len, int special,
         const hubtok_encoding *e)
{
  hubtok_encode_opts o;
  hubtok_encoding *ids = NULL;
  hubtok_error err;
  int ok;

  o.add_special_tokens = special;
  if(hubtok_encode_ids(tok, text, len, pair, pair_len, &o, &ids, &err))
    return 0;
  ok = ids->n == e->n && (!e->n || !memcmp(ids->ids, e->ids,
                                           e->n * sizeof(*e->ids))) &&
       !ids->tokens && !ids->offsets && !ids->token_off && !ids->word_ids;
  hubtok_encoding_free(ids);
  return ok;
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
  CHECK(ids_only_same(tok, text, strlen(text), pair, pair ? strlen(pair) : 0,
                 special, e));
  return e;
}

/* "id:token(s,e)w:seq:type|..." */
static const char *
describe(const hubtok_encoding *e)
{
  size_t i, o = 0;

  out_buf[0] = 0;
  for(i = 0; e && i < e->n && o < sizeof(out_buf) - 128; i++) {
    int tl = (int)(e->token_off[i + 1] - e->token_off[i]);
    o += (size_t)snprintf(out_buf + o, sizeof(out_buf) - o,
                          "%s%u:%.*s(%zu,%zu)w%d:s%d:t%u", i ? "|" : "",
                          e->ids[i], tl, e->tokens + e->token_off[i],
                          e->offsets[2 * i], e->offsets[2 * i + 1],
                          (int)e->word_ids[i], (int)e->seq_ids[i],
                          e->type_ids[i]);
  }
  return out_buf;
}

static const char *
encode_desc(const hubtok_tokenizer *tok, const char *text,
            const char *pair, int special)
{
  hubtok_encoding *e = enc(tok, text, pair, special);
  const char *r = e ? describe(e) : "(failed)";

  hubtok_encoding_free(e);
  return r;
}

static const char *
decode_ids(const hubtok_tokenizer *tok, const uint32_t *ids, size_t n,
           int skip)
{
  char *s = NULL;
  size_t len = 0;
  hubtok_error err;

  if(hubtok_decode(tok, ids, n, skip, &s, &len, &err) ||
     len >= sizeof(out_buf))
    return "(failed)";
  memcpy(out_buf, s, len);
  out_buf[len] = 0;
  hubtok_free(s);
  return out_buf;
}

static void
test_gpt2(const char *dir)
{
  hubtok_tokenizer *tok = NULL;
  hubtok_error err;
  static const uint32_t hw[] = { 15496, 995, 0 };
  static const uint32_t part[] = { 158, 15496 };

  CHECK_CODE(hubtok_tokenizer_from_file(fixture(dir,
                                                "openai-community--gpt2"),
                                        &tok, &err), HUBTOK_OK);
  if(!tok)
    return;
  CHECK_STR(encode_desc(tok, "Hello world!", NULL, 1),
            "15496:Hello(0,5)w0:s0:t0|995:\xC4\xA0world(5,11)w1:s0:t0|"
            "0:!(11,12)w2:s0:t0");
  /* the ByteLevel post-processor has trim_offsets false here */
  CHECK_STR(encode_desc(tok, " Hello  world\n\n it's 123", NULL, 1),
            "18435:\xC4\xA0Hello(0,6)w0:s0:t0|220:\xC4\xA0(6,7)w1:s0:t0|"
            "995:\xC4\xA0world(7,13)w2:s0:t0|628:\xC4\x8A\xC4\x8A(13,15)"
            "w3:s0:t0|340:\xC4\xA0it(15,18)w4:s0:t0|338:'s(18,20)w5:s0:t0|"
            "17031:\xC4\xA0" "123(20,24)w6:s0:t0");
  CHECK_STR(encode_desc(tok, "i\xE2\xAD\xA2j<|endoftext|>x", NULL, 0),
            "72:i(0,1)w0:s0:t0|158:\xC3\xA2(1,4)w1:s0:t0|"
            "255:\xC5\x83(1,4)w1:s0:t0|95:\xC2\xA2(1,4)w1:s0:t0|"
            "73:j(4,5)w2:s0:t0|50256:<|endoftext|>(5,18)w3:s0:t0|"
            "87:x(18,19)w4:s0:t0");
  /* pairs: concatenated, type ids 0 and 1 */
  CHECK_STR(encode_desc(tok, "Hi", "there", 1),
            "17250:Hi(0,2)w0:s0:t0|8117:there(0,5)w0:s1:t1");
  CHECK_STR(decode_ids(tok, hw, 3, 0), "Hello world!");
  CHECK_STR(decode_ids(tok, part, 2, 0), "\xEF\xBF\xBDHello");
  hubtok_tokenizer_free(tok);
}

static void
test_roberta(const char *dir)
{
  hubtok_tokenizer *tok = NULL;
  hubtok_error err;

  CHECK_CODE(hubtok_tokenizer_from_file(fixture(dir,
                                                "FacebookAI--roberta-base"),
                                        &tok, &err), HUBTOK_OK);
  if(!tok)
    return;
  /* RobertaProcessing with trim_offsets: " world" is (6,11) */
  CHECK_STR(encode_desc(tok, "Hello world", " How are you?", 1),
            "0:<s>(0,0)w-1:s-1:t0|31414:Hello(0,5)w0:s0:t0|"
            "232:\xC4\xA0world(6,11)w1:s0:t0|2:</s>(0,0)w-1:s-1:t0|"
            "2:</s>(0,0)w-1:s-1:t0|1336:\xC4\xA0How(1,4)w0:s1:t0|"
            "32:\xC4\xA0" "are(5,8)w1:s1:t0|47:\xC4\xA0you(9,12)w2:s1:t0|"
            "116:?(12,13)w3:s1:t0|2:</s>(0,0)w-1:s-1:t0");
  CHECK_STR(encode_desc(tok, "Hello world", " How are you?", 0),
            "31414:Hello(0,5)w0:s0:t0|232:\xC4\xA0world(6,11)w1:s0:t0|"
            "1336:\xC4\xA0How(1,4)w0:s1:t0|32:\xC4\xA0" "are(5,8)w1:s1:t0|"
            "47:\xC4\xA0you(9,12)w2:s1:t0|116:?(12,13)w3:s1:t0");
  CHECK_STR(encode_desc(tok, "Hello world!", NULL, 1),
            "0:<s>(0,0)w-1:s-1:t0|31414:Hello(0,5)w0:s0:t0|"
            "232:\xC4\xA0world(6,11)w1:s0:t0|328:!(11,12)w2:s0:t0|"
            "2:</s>(0,0)w-1:s-1:t0");
  hubtok_tokenizer_free(tok);
}

static void
test_whisper(const char *dir)
{
  hubtok_tokenizer *tok = NULL;
  hubtok_error err;
  static const uint32_t ids[] = { 50258, 50363, 15947, 50259, 1002,
                                  50257 };

  CHECK_CODE(hubtok_tokenizer_from_file(fixture(dir, "openai--whisper-tiny"),
                                        &tok, &err), HUBTOK_OK);
  if(!tok)
    return;
  CHECK_STR(encode_desc(tok, "Hello<|en|> world", NULL, 1),
            "50258:<|startoftranscript|>(0,0)w-1:s-1:t0|"
            "50363:<|notimestamps|>(0,0)w-1:s-1:t0|"
            "15947:Hello(0,5)w0:s0:t0|50259:<|en|>(5,11)w1:s0:t0|"
            "1002:\xC4\xA0world(11,17)w2:s0:t0|"
            "50257:<|endoftext|>(0,0)w-1:s-1:t0");
  CHECK_STR(decode_ids(tok, ids, 6, 0),
            "<|startoftranscript|><|notimestamps|>Hello<|en|> world"
            "<|endoftext|>");
  CHECK_STR(decode_ids(tok, ids, 6, 1), "Hello world");
  hubtok_tokenizer_free(tok);
}

/* A tiny byte-level BPE: "type"-less model, post-processor Sequence. */
static const char tiny_head[] =
  "{\"version\":\"1.0\",\"truncation\":null,\"padding\":null,"
  "\"added_tokens\":[{\"id\":6,\"content\":\"<s>\",\"single_word\":false,"
  "\"lstrip\":false,\"rstrip\":false,\"normalized\":false,"
  "\"special\":true}],\"normalizer\":null,"
  "\"pre_tokenizer\":{\"type\":\"ByteLevel\",\"add_prefix_space\":true,"
  "\"trim_offsets\":true,\"use_regex\":true},\"decoder\":{\"type\":"
  "\"ByteLevel\",\"add_prefix_space\":true,\"trim_offsets\":true},"
  "\"model\":{\"vocab\":{\"a\":0,\"b\":1,\"\\u0120\":2,"
  "\"\\u0120a\":3,\"ab\":4,\"\\u0120ab\":5,\"<s>\":6},"
  "\"merges\":[\"\\u0120 a\",\"a b\",\"\\u0120a b\"]},";

static hubtok_tokenizer *
tiny(const char *post, hubtok_code *rc)
{
  char json[2048];
  hubtok_tokenizer *tok = NULL;
  hubtok_error err;

  snprintf(json, sizeof(json), "%s\"post_processor\":%s}", tiny_head,
           post);
  *rc = hubtok_tokenizer_from_json(json, strlen(json), &tok, &err);
  return tok;
}

static void
test_processors(void)
{
  hubtok_tokenizer *tok;
  hubtok_code rc;

  /* ByteLevel with trim_offsets: "\u0120ab" loses its space, except the
   * added prefix space of the first token (add_prefix_space) */
  tok = tiny("{\"type\":\"ByteLevel\",\"add_prefix_space\":true,"
             "\"trim_offsets\":true}", &rc);
  CHECK_CODE(rc, HUBTOK_OK);
  CHECK_STR(encode_desc(tok, "ab ab", "  ab", 1),
            "5:\xC4\xA0" "ab(0,2)w0:s0:t0|5:\xC4\xA0" "ab(3,5)w1:s0:t0|"
            "2:\xC4\xA0(0,0)w0:s1:t1|5:\xC4\xA0" "ab(2,4)w1:s1:t1");
  hubtok_tokenizer_free(tok);
  tok = tiny("{\"type\":\"ByteLevel\",\"add_prefix_space\":false,"
             "\"trim_offsets\":true}", &rc);
  /* without add_prefix_space even the first token is trimmed */
  CHECK_STR(encode_desc(tok, "ab ab", NULL, 1),
            "5:\xC4\xA0" "ab(1,2)w0:s0:t0|5:\xC4\xA0" "ab(3,5)w1:s0:t0");
  hubtok_tokenizer_free(tok);
  /* Sequence [ByteLevel, TemplateProcessing] (Llama 3 style) */
  tok = tiny("{\"type\":\"Sequence\",\"processors\":[{\"type\":"
             "\"ByteLevel\",\"add_prefix_space\":true,\"trim_offsets\":"
             "false,\"use_regex\":true},{\"type\":\"TemplateProcessing\","
             "\"single\":[{\"SpecialToken\":{\"id\":\"<s>\",\"type_id\":0}},"
             "{\"Sequence\":{\"id\":\"A\",\"type_id\":0}}],\"pair\":["
             "{\"SpecialToken\":{\"id\":\"<s>\",\"type_id\":0}},"
             "{\"Sequence\":{\"id\":\"A\",\"type_id\":0}},{\"SpecialToken\":"
             "{\"id\":\"<s>\",\"type_id\":1}},{\"Sequence\":{\"id\":\"B\","
             "\"type_id\":1}}],\"special_tokens\":{\"<s>\":{\"id\":\"<s>\","
             "\"ids\":[6],\"tokens\":[\"<s>\"]}}}]}", &rc);
  CHECK_CODE(rc, HUBTOK_OK);
  CHECK_STR(encode_desc(tok, "ab", "b", 1),
            "6:<s>(0,0)w-1:s-1:t0|5:\xC4\xA0" "ab(0,2)w0:s0:t0|"
            "6:<s>(0,0)w-1:s-1:t1|2:\xC4\xA0(0,1)w0:s1:t1|"
            "1:b(0,1)w0:s1:t1");
  CHECK_STR(encode_desc(tok, "ab", NULL, 0),
            "5:\xC4\xA0" "ab(0,2)w0:s0:t0");
  hubtok_tokenizer_free(tok);
  /* Roberta on the tiny model */
  tok = tiny("{\"type\":\"RobertaProcessing\",\"sep\":[\"<s>\",6],"
             "\"cls\":[\"<s>\",6],\"trim_offsets\":false,"
             "\"add_prefix_space\":true}", &rc);
  CHECK_STR(encode_desc(tok, "ab", "ab", 1),
            "6:<s>(0,0)w-1:s-1:t0|5:\xC4\xA0" "ab(0,2)w0:s0:t0|"
            "6:<s>(0,0)w-1:s-1:t0|6:<s>(0,0)w-1:s-1:t0|"
            "5:\xC4\xA0" "ab(0,2)w0:s1:t0|6:<s>(0,0)w-1:s-1:t0");
  hubtok_tokenizer_free(tok);
  /* a Sequence whose non-last member adds tokens is not supported */
  tok = tiny("{\"type\":\"Sequence\",\"processors\":[{\"type\":"
             "\"RobertaProcessing\",\"sep\":[\"<s>\",6],\"cls\":[\"<s>\",6],"
             "\"trim_offsets\":false,\"add_prefix_space\":true},"
             "{\"type\":\"ByteLevel\",\"add_prefix_space\":true,"
             "\"trim_offsets\":false}]}", &rc);
  CHECK_CODE(rc, HUBTOK_EUNSUPPORTED);
  CHECK(tok == NULL);
  /* an empty Sequence behaves as no processor */
  tok = tiny("{\"type\":\"Sequence\",\"processors\":[]}", &rc);
  CHECK_STR(encode_desc(tok, "ab", "b", 1),
            "5:\xC4\xA0" "ab(0,2)w0:s0:t0|2:\xC4\xA0(0,1)w0:s1:t1|"
            "1:b(0,1)w0:s1:t1");
  hubtok_tokenizer_free(tok);
}

/* Split on "," then ByteLevel (a prefix space on every split, aligned
 * with the split's first char), RobertaProcessing with trim_offsets. */
static const char char_off_json[] =
  "{\"version\":\"1.0\",\"truncation\":null,\"padding\":null,"
  "\"added_tokens\":[{\"id\":9,\"content\":\"<s>\",\"single_word\":"
  "false,\"lstrip\":false,\"rstrip\":false,\"normalized\":false,"
  "\"special\":true}],\"normalizer\":null,\"pre_tokenizer\":{\"type\":"
  "\"Sequence\",\"pretokenizers\":[{\"type\":\"Split\",\"pattern\":"
  "{\"String\":\",\"},\"behavior\":\"Isolated\",\"invert\":false},"
  "{\"type\":\"ByteLevel\",\"add_prefix_space\":true,\"trim_offsets\":"
  "true,\"use_regex\":false}]},\"post_processor\":{\"type\":"
  "\"RobertaProcessing\",\"sep\":[\"<s>\",9],\"cls\":[\"<s>\",9],"
  "\"trim_offsets\":true,\"add_prefix_space\":true},\"decoder\":null,"
  "\"model\":{\"type\":\"BPE\",\"vocab\":{\"\\u0120\":0,"
  "\"\\u00c3\":1,\"\\u00a9\":2,\"x\":3,\",\":4,\"\\u0120x\":5,"
  "\"\\u0120,\":6,\"\\u00c3\\u00a9\":7,\"\\u0120\\u00c3\\u00a9\":8,"
  "\"<s>\":9,\"\\u00cc\":10,\"\\u0123\":11},\"merges\":["
  "\"\\u0120 x\",\"\\u0120 ,\",\"\\u00c3 \\u00a9\","
  "\"\\u0120 \\u00c3\\u00a9\"]}}";

/* encode_desc with hubtok_encode_char_offsets */
static const char *
encode_char_desc(const hubtok_tokenizer *tok, const char *text,
                 const char *pair, int special)
{
  hubtok_encode_opts o;
  hubtok_encoding *e = NULL;
  hubtok_error err;
  const char *r = "(failed)";

  o.add_special_tokens = special;
  if(!hubtok_encode_char_offsets(tok, text, strlen(text), pair,
                                 pair ? strlen(pair) : 0, &o, &e, &err))
    r = describe(e);
  hubtok_encoding_free(e);
  return r;
}

/*
 * Char offsets as Rust's encode_char_offsets (the Rust Node binding):
 * each sequence's byte offsets become chars first (a byte inside a char
 * maps to that char), then the post-processor trims spaces by counting
 * chars. Expected values: npm tokenizers 0.23.2 on the same JSON.
 */
static void
test_char_offsets(const char *dir)
{
  hubtok_tokenizer *tok = NULL;
  hubtok_error err;
  hubtok_code rc;

  rc = hubtok_tokenizer_from_json(char_off_json, strlen(char_off_json),
                                  &tok, &err);
  CHECK_CODE(rc, HUBTOK_OK);
  if(!tok)
    return;
  /* "\u0120\u00c3\u00a9" is the prefix space of the split "\u00e9\u00e9"
   * (chars 2-3) and its \u00e9: trimmed by one char it is 3-3 */
  CHECK_STR(encode_char_desc(tok, "x,\xC3\xA9\xC3\xA9", "\xCC\x81,\xC3\xA9",
                             1),
            "9:<s>(0,0)w-1:s-1:t0|5:\xC4\xA0x(0,1)w0:s0:t0|"
            "6:\xC4\xA0,(2,2)w1:s0:t0|8:\xC4\xA0\xC3\x83\xC2\xA9(3,3)w2:s0:t0|"
            "7:\xC3\x83\xC2\xA9(3,4)w2:s0:t0|9:<s>(0,0)w-1:s-1:t0|"
            "9:<s>(0,0)w-1:s-1:t0|0:\xC4\xA0(0,0)w0:s1:t0|"
            "10:\xC3\x8C(0,1)w0:s1:t0|11:\xC4\xA3(0,1)w0:s1:t0|"
            "6:\xC4\xA0,(2,2)w1:s1:t0|8:\xC4\xA0\xC3\x83\xC2\xA9(3,3)w2:s1:t0|"
            "9:<s>(0,0)w-1:s-1:t0");
  /* the prefix space of U+0301 U+0301 alone: chars 0-1, trimmed to 0-0;
   * the two byte-level chars of each U+0301 both map to that char */
  CHECK_STR(encode_char_desc(tok, "\xCC\x81\xCC\x81", NULL, 0),
            "0:\xC4\xA0(0,0)w0:s0:t0|10:\xC3\x8C(0,1)w0:s0:t0|"
            "11:\xC4\xA3(0,1)w0:s0:t0|10:\xC3\x8C(1,2)w0:s0:t0|"
            "11:\xC4\xA3(1,2)w0:s0:t0");
  hubtok_tokenizer_free(tok);
  /* GPT-2 (no trimming): chars, per sequence */
  tok = NULL;
  CHECK_CODE(hubtok_tokenizer_from_file(fixture(dir,
                                                "openai-community--gpt2"),
                                        &tok, &err), HUBTOK_OK);
  if(!tok)
    return;
  CHECK_STR(encode_char_desc(tok, "\xCC\x81\xCC\x81 h\xC3\xA9",
                             "\xE4\xB8\x80!", 1),
            "136:\xC3\x8C(0,1)w0:s0:t0|223:\xC4\xA3(0,1)w0:s0:t0|"
            "136:\xC3\x8C(1,2)w0:s0:t0|223:\xC4\xA3(1,2)w0:s0:t0|"
            "289:\xC4\xA0h(2,4)w1:s0:t0|2634:\xC3\x83\xC2\xA9(4,5)w1:s0:t0|"
            "31660:\xC3\xA4\xC2\xB8\xC4\xA2(0,1)w0:s1:t1|0:!(1,2)w1:s1:t1");
  hubtok_tokenizer_free(tok);
}

/* ------------------------------------------------------------------ */
/* errors                                                              */

static hubtok_code
pre_code(const char *json)
{
  hubtok__pre_tokenizer *p = NULL;
  hubtok_error err;
  hubtok_code rc = pre_from(json, &p, &err);

  hubtok__pre_tokenizer_free(p);
  return rc;
}

static void
test_errors(void)
{
  hubtok_tokenizer *tok;
  hubtok_code rc;

  CHECK_CODE(pre_code("{\"type\":\"Split\",\"pattern\":{\"String\":\"a\"},"
                      "\"behavior\":\"Sideways\"}"), HUBTOK_EUNSUPPORTED);
  CHECK_CODE(pre_code("{\"type\":\"Split\",\"behavior\":\"Removed\"}"),
             HUBTOK_ETOKENIZER);
  CHECK_CODE(pre_code("{\"type\":\"Split\",\"pattern\":{\"Glob\":\"a\"},"
                      "\"behavior\":\"Removed\"}"), HUBTOK_ETOKENIZER);
  CHECK_CODE(pre_code("{\"type\":\"Split\",\"pattern\":{\"String\":\"a\","
                      "\"Regex\":\"b\"},\"behavior\":\"Removed\"}"),
             HUBTOK_ETOKENIZER);
  CHECK_CODE(pre_code("{\"type\":\"Split\",\"pattern\":{\"Regex\":\"(\"},"
                      "\"behavior\":\"Removed\"}"), HUBTOK_ETOKENIZER);
  CHECK_CODE(pre_code("{\"type\":\"Split\",\"pattern\":{\"Regex\":5},"
                      "\"behavior\":\"Removed\"}"), HUBTOK_ETOKENIZER);
  CHECK_CODE(pre_code("{\"type\":\"Split\",\"pattern\":{\"String\":\"a\"},"
                      "\"behavior\":\"Removed\",\"invert\":\"yes\"}"),
             HUBTOK_ETOKENIZER);
  CHECK_CODE(pre_code("{\"type\":\"ByteLevel\",\"add_prefix_space\":1,"
                      "\"trim_offsets\":true}"), HUBTOK_ETOKENIZER);
  /* serde fields without a default are required */
  CHECK_CODE(pre_code("{\"type\":\"ByteLevel\",\"trim_offsets\":true}"),
             HUBTOK_ETOKENIZER);
  CHECK_CODE(pre_code("{\"type\":\"ByteLevel\",\"add_prefix_space\":null,"
                      "\"trim_offsets\":true}"), HUBTOK_ETOKENIZER);
  CHECK_CODE(pre_code("{\"type\":\"Split\",\"pattern\":{\"String\":\"a\"},"
                      "\"behavior\":\"Removed\"}"), HUBTOK_ETOKENIZER);
  CHECK_CODE(pre_code("{\"type\":\"Sequence\",\"pretokenizers\":5}"),
             HUBTOK_ETOKENIZER);
  CHECK_CODE(pre_code("{\"type\":\"Sequence\",\"pretokenizers\":[null]}"),
             HUBTOK_ETOKENIZER);
  CHECK_CODE(pre_code("{\"type\":\"Sequence\",\"pretokenizers\":["
                      "{\"type\":\"Nope\"}]}"), HUBTOK_EUNSUPPORTED);
  CHECK_CODE(pre_code("{\"type\":\"Sequence\",\"pretokenizers\":[[[[]]]]}"),
             HUBTOK_ETOKENIZER);
  CHECK_CODE(pre_code("null"), HUBTOK_OK);
  /* post-processors */
  tok = tiny("{\"type\":\"RobertaProcessing\",\"cls\":[\"<s>\",6]}", &rc);
  CHECK_CODE(rc, HUBTOK_ETOKENIZER);
  tok = tiny("{\"type\":\"RobertaProcessing\",\"sep\":[\"<s>\"],"
             "\"cls\":[\"<s>\",6]}", &rc);
  CHECK_CODE(rc, HUBTOK_ETOKENIZER);
  tok = tiny("{\"type\":\"RobertaProcessing\",\"sep\":[\"<s>\",-1],"
             "\"cls\":[\"<s>\",6]}", &rc);
  CHECK_CODE(rc, HUBTOK_ETOKENIZER);
  tok = tiny("{\"type\":\"ByteLevel\",\"trim_offsets\":\"x\"}", &rc);
  CHECK_CODE(rc, HUBTOK_ETOKENIZER);
  tok = tiny("{\"type\":\"Sequence\"}", &rc);
  CHECK_CODE(rc, HUBTOK_ETOKENIZER);
  tok = tiny("{\"type\":\"Sequence\",\"processors\":[{\"type\":\"X\"}]}",
             &rc);
  CHECK_CODE(rc, HUBTOK_EUNSUPPORTED);
  (void)tok;
}

/* "type"-less models, as ModelUntagged infers them */
static void
test_model_inference(void)
{
  static const char *const bad[] = {
    "{\"vocab\":{\"a\":0}}",
    "{\"vocab\":5,\"merges\":[]}",
    "{\"merges\":[]}",
    "{}"
  };
  size_t i;

  for(i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
    char json[512];
    hubtok_tokenizer *tok = NULL;
    hubtok_error err;
    snprintf(json, sizeof(json), "{\"model\":%s}", bad[i]);
    CHECK_CODE(hubtok_tokenizer_from_json(json, strlen(json), &tok, &err),
               HUBTOK_ETOKENIZER);
    CHECK(tok == NULL);
  }
  {
    const char *json = "{\"model\":{\"vocab\":{\"a\":0,\"b\":1,\"ab\":2},"
                       "\"merges\":[\"a b\"]}}";
    hubtok_tokenizer *tok = NULL;
    hubtok_error err;
    CHECK_CODE(hubtok_tokenizer_from_json(json, strlen(json), &tok, &err),
               HUBTOK_OK);
    if(tok)
      CHECK_STR(encode_desc(tok, "abab", NULL, 1),
                "2:ab(0,2)w0:s0:t0|2:ab(2,4)w0:s0:t0");
    hubtok_tokenizer_free(tok);
  }
  {
    /* a "type" that is not a string is an error even with merges */
    const char *json = "{\"model\":{\"type\":null,\"vocab\":{\"a\":0},"
                       "\"merges\":[]}}";
    hubtok_tokenizer *tok = NULL;
    hubtok_error err;
    CHECK_CODE(hubtok_tokenizer_from_json(json, strlen(json), &tok, &err),
               HUBTOK_ETOKENIZER);
  }
}

/* BPE options checked against Rust on the same JSON */
static void
test_bpe_options(void)
{
  hubtok_tokenizer *tok = NULL;
  hubtok_error err;
  const char *prefix =
    "{\"model\":{\"type\":\"BPE\",\"continuing_subword_prefix\":\"##\","
    "\"end_of_word_suffix\":\"</w>\",\"unk_token\":\"[UNK]\","
    "\"vocab\":{\"[UNK]\":0,\"a\":1,\"##b\":2,\"##c</w>\":3,\"ab\":4,"
    "\"abc</w>\":5,\"c</w>\":6,\"##b</w>\":7},"
    "\"merges\":[\"a ##b\",\"ab ##c</w>\"]},\"pre_tokenizer\":{\"type\":"
    "\"Split\",\"pattern\":{\"String\":\" \"},\"behavior\":\"Removed\","
    "\"invert\":false}}";
  const char *ignore =
    "{\"model\":{\"type\":\"BPE\",\"ignore_merges\":true,"
    "\"vocab\":{\"h\":0,\"e\":1,\"l\":2,\"o\":3,\"hello\":4,\"he\":5},"
    "\"merges\":[\"h e\"]},\"pre_tokenizer\":{\"type\":"
    "\"Split\",\"pattern\":{\"String\":\" \"},\"behavior\":\"Removed\","
    "\"invert\":false}}";

  CHECK_CODE(hubtok_tokenizer_from_json(prefix, strlen(prefix), &tok, &err),
             HUBTOK_OK);
  if(tok)
    CHECK_STR(encode_desc(tok, "abc ab c abb", NULL, 1),
              "5:abc</w>(0,3)w0:s0:t0|1:a(4,5)w1:s0:t0|"
              "7:##b</w>(5,6)w1:s0:t0|6:c</w>(7,8)w2:s0:t0|"
              "4:ab(9,11)w3:s0:t0|7:##b</w>(11,12)w3:s0:t0");
  hubtok_tokenizer_free(tok);
  tok = NULL;
  CHECK_CODE(hubtok_tokenizer_from_json(ignore, strlen(ignore), &tok, &err),
             HUBTOK_OK);
  if(tok)
    CHECK_STR(encode_desc(tok, "hello helo", NULL, 1),
              "4:hello(0,5)w0:s0:t0|5:he(6,8)w1:s0:t0|2:l(8,9)w1:s0:t0|"
              "3:o(9,10)w1:s0:t0");
  hubtok_tokenizer_free(tok);
}

/* ------------------------------------------------------------------ */
/* legacy vocab.json + merges.txt                                      */

static char legacy_buf[8][1024];

static const char *
lpath(int slot, const char *dir, const char *name, const char *file)
{
  snprintf(legacy_buf[slot], sizeof(legacy_buf[slot]), "%s/%s/%s", dir,
           name, file);
  return legacy_buf[slot];
}

static hubtok_code
convert(const hubtok_legacy_files *f, hubtok_tokenizer **tok,
        hubtok_error *err)
{
  cJSON *root = NULL;
  hubtok_code rc;

  *tok = NULL;
  rc = hubtok__convert_bpe_files(f, &root, err);
  if(rc)
    return rc;
  rc = hubtok__tokenizer_from_cjson(root, tok, err);
  cJSON_Delete(root);
  return rc;
}

static const char *const legacy_texts[] = {
  "Hello world!", " Hello  world\n\n it's 123", "i\xE2\xAD\xA2j",
  "<s>Hello</s><mask> x <mask>y <pad><unk>", "<|endoftext|>a<|endoftext|>",
  "\xE4\xBD\xA0\xE5\xA5\xBD\xEF\xBC\x8C\xE4\xB8\x96\xE7\x95\x8C",
  "caf\xC3\xA9 na\xC3\xAFve \xF0\x9F\x98\x80  \t\r\n end", ""
};

/* The converted tokenizer encodes like the fixture's tokenizer.json. */
static void
same_ids(const hubtok_tokenizer *a, const hubtok_tokenizer *b,
         int special)
{
  size_t i, k;

  for(i = 0; i < sizeof(legacy_texts) / sizeof(legacy_texts[0]); i++) {
    for(k = 0; k < 2; k++) {
      const char *pair = k ? legacy_texts[(i + 1) % 8] : NULL;
      hubtok_encoding *x = enc(a, legacy_texts[i], pair, special);
      hubtok_encoding *y = enc(b, legacy_texts[i], pair, special);
      CHECK(x && y && x->n == y->n &&
            !memcmp(x->ids, y->ids, x->n * sizeof(*x->ids)));
      hubtok_encoding_free(x);
      hubtok_encoding_free(y);
    }
  }
}

/* Write text to a fresh temp file; its path goes to legacy_buf[slot]. */
static const char *
temp_file(int slot, const char *text)
{
  FILE *f;
  int fd;

  snprintf(legacy_buf[slot], sizeof(legacy_buf[slot]),
           "/tmp/hubtok-test-XXXXXX");
  fd = mkstemp(legacy_buf[slot]);
  if(fd < 0)
    return NULL;
  f = fdopen(fd, "wb");
  if(!f)
    return NULL;
  fputs(text, f);
  fclose(f);
  return legacy_buf[slot];
}

/* ids of "abc" after converting vocab + merges as `cls` */
static const char *
merges_case(const char *cls, const char *merges, hubtok_code *rc)
{
  hubtok_legacy_files f;
  hubtok_tokenizer *tok = NULL;
  hubtok_error err;
  const char *r = "(failed)";

  memset(&f, 0, sizeof(f));
  f.tokenizer_class = cls;
  f.vocab_json = temp_file(5, "{\"a\":0,\"b\":1,\"ab\":2,\"c\":3,"
                           "\"abc\":4,\"bc\":5}");
  f.merges_txt = temp_file(6, merges);
  *rc = convert(&f, &tok, &err);
  if(tok)
    r = encode_desc(tok, "abc", NULL, 0);
  hubtok_tokenizer_free(tok);
  if(f.vocab_json)
    remove(f.vocab_json);
  if(f.merges_txt)
    remove(f.merges_txt);
  return r;
}

/* merges.txt as GPT2Tokenizer reads it (split("\n")[1:-1], each
 * line.split(), first occurrence kept) and as Qwen2Tokenizer does */
static void
test_merges_txt(void)
{
  hubtok_code rc;

  /* the first line goes even when it is a merge */
  CHECK_STR(merges_case(NULL, "a b\nab c\n", &rc),
            "0:a(0,1)w0:s0:t0|1:b(1,2)w0:s0:t0|3:c(2,3)w0:s0:t0");
  /* so does the text after the last newline */
  CHECK_STR(merges_case(NULL, "#version: 0.2\na b\nab c", &rc),
            "2:ab(0,2)w0:s0:t0|3:c(2,3)w0:s0:t0");
  /* CRLF and runs of spaces split like str.split(); a repeated pair keeps
   * its first rank */
  CHECK_STR(merges_case("CodeGenTokenizer",
                        "#v\r\nb  c\r\na b\r\nb c\r\nab c\r\n", &rc),
            "0:a(0,1)w0:s0:t0|5:bc(1,3)w0:s0:t0");
  /* Qwen2Tokenizer: every non-empty line but a first "#version:" one */
  CHECK_STR(merges_case("Qwen2Tokenizer", "#version: 0.2\n\na b\nab c",
                        &rc), "4:abc(0,3)w0:s0:t0");
  CHECK_STR(merges_case("Qwen2Tokenizer", "a b\r\nab c\n", &rc),
            "4:abc(0,3)w0:s0:t0");
  /* a line that is not two tokens */
  merges_case(NULL, "#version: 0.2\na b c\n", &rc);
  CHECK_CODE(rc, HUBTOK_ETOKENIZER);
  merges_case(NULL, "#version: 0.2\n\n", &rc);
  CHECK_CODE(rc, HUBTOK_ETOKENIZER);
  /* RobertaConverter needs ids for "</s>" and "<s>" */
  merges_case("RobertaTokenizer", "#version: 0.2\na b\n", &rc);
  CHECK_CODE(rc, HUBTOK_ETOKENIZER);
  /* a merge of tokens not in vocab.json (BPE refuses it) */
  merges_case(NULL, "#version: 0.2\nx y\n", &rc);
  CHECK_CODE(rc, HUBTOK_ETOKENIZER);
}

static void
test_convert(const char *dir)
{
  hubtok_legacy_files f;
  hubtok_tokenizer *conv = NULL, *ref = NULL;
  hubtok_error err;
  static const uint32_t hw[] = { 15947, 50257, 1002 };

  /* GPT-2: no class, no config needed */
  memset(&f, 0, sizeof(f));
  f.vocab_json = lpath(0, dir, "openai-community--gpt2", "vocab.json");
  f.merges_txt = lpath(1, dir, "openai-community--gpt2", "merges.txt");
  f.tokenizer_config = lpath(2, dir, "openai-community--gpt2",
                             "tokenizer_config.json");
  CHECK_CODE(convert(&f, &conv, &err), HUBTOK_OK);
  CHECK_CODE(hubtok_tokenizer_from_file(fixture(dir,
                                                "openai-community--gpt2"),
                                        &ref, &err), HUBTOK_OK);
  if(conv && ref) {
    CHECK_STR(encode_desc(conv, "Hello world!", NULL, 1),
              "15496:Hello(0,5)w0:s0:t0|995:\xC4\xA0world(5,11)w1:s0:t0|"
              "0:!(11,12)w2:s0:t0");
    same_ids(conv, ref, 1);
    same_ids(conv, ref, 0);
    CHECK(hubtok_vocab_size(conv, 1) == hubtok_vocab_size(ref, 1));
  }
  hubtok_tokenizer_free(conv);
  hubtok_tokenizer_free(ref);
  /* RoBERTa: the class picks RobertaConverter */
  f.tokenizer_class = "RobertaTokenizer";
  f.vocab_json = lpath(0, dir, "FacebookAI--roberta-base", "vocab.json");
  f.merges_txt = lpath(1, dir, "FacebookAI--roberta-base", "merges.txt");
  f.tokenizer_config = lpath(2, dir, "FacebookAI--roberta-base",
                             "tokenizer_config.json");
  CHECK_CODE(convert(&f, &conv, &err), HUBTOK_OK);
  CHECK_CODE(hubtok_tokenizer_from_file(fixture(dir,
                                                "FacebookAI--roberta-base"),
                                        &ref, &err), HUBTOK_OK);
  if(conv && ref) {
    CHECK_STR(encode_desc(conv, "Hello world", " How are you?", 1),
              "0:<s>(0,0)w-1:s-1:t0|31414:Hello(0,5)w0:s0:t0|"
              "232:\xC4\xA0world(6,11)w1:s0:t0|2:</s>(0,0)w-1:s-1:t0|"
              "2:</s>(0,0)w-1:s-1:t0|1336:\xC4\xA0How(1,4)w0:s1:t0|"
              "32:\xC4\xA0" "are(5,8)w1:s1:t0|47:\xC4\xA0you(9,12)w2:s1:t0|"
              "116:?(12,13)w3:s1:t0|2:</s>(0,0)w-1:s-1:t0");
    same_ids(conv, ref, 1);
    same_ids(conv, ref, 0);
    CHECK(hubtok_vocab_size(conv, 1) == hubtok_vocab_size(ref, 1));
  }
  hubtok_tokenizer_free(conv);
  hubtok_tokenizer_free(ref);
  /* Whisper's GitHub assets: GPT2Tokenizer with added_tokens.json */
  memset(&f, 0, sizeof(f));
  f.tokenizer_class = "GPT2Tokenizer";
  f.vocab_json = lpath(0, dir, "openai--whisper-github-assets-multilingual",
                       "vocab.json");
  f.merges_txt = lpath(1, dir, "openai--whisper-github-assets-multilingual",
                       "merges.txt");
  f.tokenizer_config = lpath(2, dir,
                             "openai--whisper-github-assets-multilingual",
                             "tokenizer_config.json");
  f.special_tokens_map = lpath(3, dir,
                               "openai--whisper-github-assets-multilingual",
                               "special_tokens_map.json");
  f.added_tokens = lpath(4, dir, "openai--whisper-github-assets-multilingual",
                         "added_tokens.json");
  CHECK_CODE(convert(&f, &conv, &err), HUBTOK_OK);
  CHECK_CODE(hubtok_tokenizer_from_file(fixture(dir, "openai--whisper-tiny"),
                                        &ref, &err), HUBTOK_OK);
  if(conv && ref) {
    hubtok_encoding *e = enc(conv, "Hello<|endoftext|> world", NULL, 1);
    CHECK(e && e->n == 3 && !memcmp(e->ids, hw, sizeof(hw)));
    hubtok_encoding_free(e);
    /* no specials: whisper-tiny's template and its other added tokens
     * stay out of the way; nor " t": this merges.txt has no "#version"
     * line, so its first merge ("\xC4\xA0 t", which whisper-tiny has) is
     * dropped as GPT2Tokenizer drops it */
    same_ids(conv, ref, 0);
    CHECK(hubtok_vocab_size(conv, 1) == 50258);
  }
  hubtok_tokenizer_free(conv);
  hubtok_tokenizer_free(ref);
  /* Qwen2Converter over gpt2's files: NFC, the Qwen2 Split regex, no
   * regex in ByteLevel (ids from Rust on the same tokenizer.json) */
  memset(&f, 0, sizeof(f));
  f.tokenizer_class = "Qwen2Tokenizer";
  f.vocab_json = lpath(0, dir, "openai-community--gpt2", "vocab.json");
  f.merges_txt = lpath(1, dir, "openai-community--gpt2", "merges.txt");
  CHECK_CODE(convert(&f, &conv, &err), HUBTOK_OK);
  if(conv) {
    static const uint32_t q1[] = { 15496, 995, 220, 16, 17, 18, 50256, 2634,
                                   0 };
    static const uint32_t q2[] = { 40, 6, 3069, 220, 467, 201, 628, 87 };
    hubtok_encoding *e = enc(conv, "Hello world 123<|endoftext|>e\xCC\x81!",
                             NULL, 1);
    CHECK(e && e->n == 9 && !memcmp(e->ids, q1, sizeof(q1)));
    hubtok_encoding_free(e);
    e = enc(conv, "I'LL  go\r\n\nx", NULL, 1);
    CHECK(e && e->n == 8 && !memcmp(e->ids, q2, sizeof(q2)));
    hubtok_encoding_free(e);
  }
  hubtok_tokenizer_free(conv);
  /* errors */
  memset(&f, 0, sizeof(f));
  f.vocab_json = lpath(0, dir, "openai-community--gpt2", "vocab.json");
  f.merges_txt = lpath(1, dir, "openai-community--gpt2", "merges.txt");
  f.tokenizer_class = "CLIPTokenizer";
  CHECK_CODE(convert(&f, &conv, &err), HUBTOK_EUNSUPPORTED);
  f.tokenizer_class = NULL;
  f.merges_txt = lpath(1, dir, "openai-community--gpt2", "nope.txt");
  CHECK_CODE(convert(&f, &conv, &err), HUBTOK_LOCAL_NOT_FOUND);
  /* merges.txt given as vocab.json: not JSON */
  f.vocab_json = lpath(0, dir, "openai-community--gpt2", "merges.txt");
  f.merges_txt = lpath(1, dir, "openai-community--gpt2", "merges.txt");
  CHECK_CODE(convert(&f, &conv, &err), HUBTOK_EJSON);
  /* vocab.json given as merges.txt: "{...}" is one line, then the
   * first merge line has 100k+ parts */
  f.vocab_json = lpath(0, dir, "openai-community--gpt2", "vocab.json");
  f.merges_txt = lpath(1, dir, "openai-community--gpt2", "config.json");
  CHECK_CODE(convert(&f, &conv, &err), HUBTOK_ETOKENIZER);
  /* a config that is not an object */
  f.merges_txt = lpath(1, dir, "openai-community--gpt2", "merges.txt");
  f.tokenizer_config = lpath(2, dir, "openai-community--gpt2", "vocab.json");
  f.special_tokens_map = lpath(3, dir, "FacebookAI--roberta-base",
                               "merges.txt");
  CHECK_CODE(convert(&f, &conv, &err), HUBTOK_EJSON);
  CHECK(conv == NULL);
}

/* ------------------------------------------------------------------ */
/* word plans (pre_tokenizer.h): the fused encode path's words          */

/* 1 when the plan of the pre-tokenizer in json finds the same words in
 * text as its pre_tokenize (each split's original range), and says
 * byte_level as expected. */
static int
plan_agrees(const char *json, const char *text, int byte_level)
{
  hubtok__pre_tokenizer *p;
  hubtok__word_plan plan;
  hubtok__pretok pt;
  hubtok__spans words;
  hubtok__nstr ns;
  hubtok_error err;
  size_t i, len = strlen(text);
  int ok;

  if(pre_from(json, &p, &err))
    return 0;
  memset(&pt, 0, sizeof(pt));
  memset(&words, 0, sizeof(words));
  ok = hubtok__pre_tokenizer_plan(p, &plan) &&
       plan.byte_level == byte_level &&
       !hubtok__nstr_init(&ns, text, len, 0) &&
       !hubtok__pretok_push(&pt, &ns, 0, 0) &&
       !hubtok__pre_tokenize(p, &pt, &err) &&
       !plan.words(plan.ctx, text, len, &words, &err) && words.n == pt.n;
  for(i = 0; ok && i < pt.n; i++) {
    size_t os, oe;
    hubtok__nstr_orig(&pt.v[i].ns, 0, pt.v[i].ns.len, &os, &oe);
    ok = words.v[i].start == os && words.v[i].end == oe;
    if(!ok)
      fprintf(stderr, "word %zu: plan [%zu,%zu), pre_tokenize [%zu,%zu)\n",
              i, words.v[i].start, words.v[i].end, os, oe);
  }
  hubtok__spans_free(&words);
  hubtok__pretok_free(&pt);
  hubtok__pre_tokenizer_free(p);
  return ok;
}

static int
has_plan(const char *json)
{
  hubtok__pre_tokenizer *p;
  hubtok__word_plan plan;
  hubtok_error err;
  int r;

  if(pre_from(json, &p, &err))
    return -1;
  r = hubtok__pre_tokenizer_plan(p, &plan);
  hubtok__pre_tokenizer_free(p);
  return r;
}

#define ISPLIT(kind, pat)                                               \
  "{\"type\":\"Split\",\"pattern\":{\"" kind "\":\"" pat "\"},"         \
  "\"behavior\":\"Isolated\",\"invert\":false}"
#define LLAMA3_RE                                                       \
  "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\\\r\\\\n\\\\p{L}\\\\p{N}]?\\\\p{L}+" \
  "|\\\\p{N}{1,3}| ?[^\\\\s\\\\p{L}\\\\p{N}]+[\\\\r\\\\n]*"             \
  "|\\\\s*[\\\\r\\\\n]+|\\\\s+(?!\\\\S)|\\\\s+"

static void
test_word_plans(void)
{
  static const char *const pieces[] = {
    "a", "Zq", "7", "123456", " ", "  ", "\t", "\n", "\r\n", "'s", "'ll",
    ",", ".", "?!", "-", "_", "\xC3\xA9", "\xE4\xB8\xAD\xE6\x96\x87",
    "\xF0\x9F\xA4\x97", "e\xCC\x81", "\xC2\xA0", "\xE3\x80\x80",
    "\xC2\x85", "\xE2\x80\x99", "\xD9\xA3", "x y", "[CLS]",
    "\xE2\x96\x81", "\xE2\x96\x81\xE2\x96\x81"
  };
  static const struct {
    const char *json;
    int byte_level;
  } plans[] = {
    { BL("false", "true"), 1 },
    { "{\"type\":\"Sequence\",\"pretokenizers\":[" ISPLIT("Regex", LLAMA3_RE)
      "," BL("false", "false") "]}", 1 },
    { ISPLIT("Regex", "\\\\p{N}+"), 0 },
    { ISPLIT("String", "'"), 0 },
    { ISPLIT("Regex", "x*"), 0 },
    { "{\"type\":\"BertPreTokenizer\"}", 0 },
    { "{\"type\":\"Sequence\",\"pretokenizers\":[{\"type\":"
      "\"BertPreTokenizer\"}]}", 0 },
    { "{\"type\":\"WhitespaceSplit\"}", 0 },
    /* T5's: the words as Metaspace cuts them (the prefix is the fused
     * path's, checked by the parity tests) */
    { "{\"type\":\"Sequence\",\"pretokenizers\":[{\"type\":"
      "\"WhitespaceSplit\"},{\"type\":\"Metaspace\",\"replacement\":"
      "\"\xE2\x96\x81\",\"add_prefix_space\":true}]}", 0 },
    { "{\"type\":\"Sequence\",\"pretokenizers\":[{\"type\":"
      "\"WhitespaceSplit\"},{\"type\":\"Metaspace\",\"replacement\":"
      "\"\xE2\x96\x81\",\"prepend_scheme\":\"never\","
      "\"split\":false}]}", 0 },
  };
  static const char *const none[] = {
    BL("true", "true"),
    BL("false", "false"),
    "{\"type\":\"Split\",\"pattern\":{\"String\":\" \"},"
    "\"behavior\":\"Removed\",\"invert\":false}",
    "{\"type\":\"Split\",\"pattern\":{\"String\":\" \"},"
    "\"behavior\":\"Isolated\",\"invert\":true}",
    "{\"type\":\"Sequence\",\"pretokenizers\":[" ISPLIT("Regex", "\\\\d")
    "," ISPLIT("Regex", "\\\\s") "," BL("false", "false") "]}",
    "{\"type\":\"Sequence\",\"pretokenizers\":[" BL("false", "true")
    "," BL("false", "false") "]}",
    "{\"type\":\"Sequence\",\"pretokenizers\":[" BL("false", "false")
    "," ISPLIT("Regex", "\\\\d") "]}",
    "{\"type\":\"Whitespace\"}",
    "{\"type\":\"Sequence\",\"pretokenizers\":[{\"type\":"
    "\"WhitespaceSplit\"},{\"type\":\"Metaspace\",\"replacement\":"
    "\"\xE2\x96\x81\",\"prepend_scheme\":\"first\"}]}",
    "{\"type\":\"Metaspace\",\"replacement\":\"\xE2\x96\x81\","
    "\"prepend_scheme\":\"always\",\"split\":true}",
  };
  char text[512];
  uint32_t seed = 12345;
  size_t i, k, t, agreed = 0, total = 0;

  for(i = 0; i < sizeof(none) / sizeof(none[0]); i++)
    CHECK(has_plan(none[i]) == 0);
  for(t = 0; t < 400; t++) {
    size_t n = 0, np;
    seed = seed * 1103515245u + 12345u;
    np = (seed >> 16) % 24;
    for(k = 0; k < np; k++) {
      const char *pc;
      seed = seed * 1103515245u + 12345u;
      pc = pieces[(seed >> 16) % (sizeof(pieces) / sizeof(pieces[0]))];
      if(n + strlen(pc) >= sizeof(text))
        break;
      memcpy(text + n, pc, strlen(pc));
      n += strlen(pc);
    }
    text[n] = 0;
    for(i = 0; i < sizeof(plans) / sizeof(plans[0]); i++) {
      int ok = plan_agrees(plans[i].json, text, plans[i].byte_level);
      total++;
      agreed += ok;
      if(!ok)
        fprintf(stderr, "plan %zu disagrees on \"%s\"\n", i, text);
    }
  }
  CHECK(agreed == total);
  printf("word plans: %zu/%zu texts split as pre_tokenize splits them\n",
         agreed, total);
}

/* hubtok_encode_ids against hubtok_encode on every fixture: random
 * texts and pairs over tricky pieces and the tokenizer's own added
 * tokens, with and without special tokens. */
static void
test_encode_ids(const char *dir)
{
  static const char *const fixtures[] = {
    "openai-community--gpt2", "FacebookAI--roberta-base",
    "openai--whisper-tiny", "TinyLlama--TinyLlama-1.1B-Chat-v1.0",
    "google-bert--bert-base-uncased",
    "sentence-transformers--all-MiniLM-L6-v2", "google-t5--t5-small",
    "sentence-transformers--paraphrase-multilingual-mpnet-base-v2"
  };
  static const char *const pieces[] = {
    "a", "Hello", " world", "7", "123456", " ", "  ", "\t", "\n", "\r\n",
    "'s", ",", ".", "?!", "\xC3\xA9", "\xE4\xB8\xAD\xE6\x96\x87",
    "\xF0\x9F\xA4\x97", "e\xCC\x81", "\xC2\xA0", "\xE2\x96\x81",
    "<|endoftext|>", "[CLS]", "[SEP]", "[MASK]", "<s>", "</s>", "<unk>",
    "<mask>", "<pad>", "<|startoftranscript|>", "\x01", "xyzzyqq"
  };
  const size_t np = sizeof(pieces) / sizeof(pieces[0]);
  uint32_t x = 12345;
  size_t f, i, k, same = 0, total = 0;

  for(f = 0; f < sizeof(fixtures) / sizeof(fixtures[0]); f++) {
    hubtok_tokenizer *tok = NULL;
    hubtok_error err;
    if(hubtok_tokenizer_from_file(fixture(dir, fixtures[f]), &tok, &err)) {
      CHECK(!"fixture loads");
      continue;
    }
    for(i = 0; i < 200; i++) {
      char t[2][512];
      size_t tl[2] = { 0, 0 }, s;
      for(k = 0; k < 2; k++) {
        size_t n;
        x = x * 1664525u + 1013904223u;
        n = (x >> 8) % 12;
        t[k][0] = 0;
        while(n--) {
          const char *pc;
          x = x * 1664525u + 1013904223u;
          pc = pieces[(x >> 8) % np];
          if(tl[k] + strlen(pc) < sizeof(t[k])) {
            memcpy(t[k] + tl[k], pc, strlen(pc));
            tl[k] += strlen(pc);
          }
        }
        t[k][tl[k]] = 0;
      }
      for(s = 0; s < 4; s++) {
        hubtok_encode_opts o;
        hubtok_encoding *e = NULL;
        int special = (int)(s & 1), pair = (int)(s >> 1);
        o.add_special_tokens = special;
        total++;
        if(hubtok_encode(tok, t[0], tl[0], pair ? t[1] : NULL,
                         pair ? tl[1] : 0, &o, &e, &err))
          continue;
        same += (size_t)ids_only_same(tok, t[0], tl[0], pair ? t[1] : NULL,
                                 pair ? tl[1] : 0, special, e);
        hubtok_encoding_free(e);
      }
    }
    hubtok_tokenizer_free(tok);
  }
  printf("encode_ids: %zu/%zu encodings with hubtok_encode's ids\n", same,
         total);
  CHECK(same == total && total == 8 * 200 * 4);
}

int
main(int argc, char **argv)
{
  if(argc < 2) {
    fprintf(stderr, "usage: %s FIXTURES_TOKENIZERS_DIR\n", argv[0]);
    return 2;
  }
  test_split();
  test_word_plans();
  test_byte_level_pre();
  test_regex_unicode();
  test_gpt2_scanner();
  test_byte_level_normalizer();
  test_byte_level_decoder();
  test_gpt2(argv[1]);
  test_roberta(argv[1]);
  test_whisper(argv[1]);
  test_processors();
  test_char_offsets(argv[1]);
  test_errors();
  test_model_inference();
  test_bpe_options();
  test_convert(argv[1]);
  test_merges_txt();
  test_encode_ids(argv[1]);
  printf("test_bytelevel: %d checks, %d failures\n", checks, failures);
  return failures ? 1 : 0;
}
