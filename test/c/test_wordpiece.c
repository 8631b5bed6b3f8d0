/*
 * test_wordpiece.c: golden tests for the BERT / WordPiece family and the
 * simple components (helper "B" area): the NFC/NFD/NFKC/NFKD, Lowercase,
 * Strip, StripAccents and BertNormalizer normalizers, the
 * BertPreTokenizer, Whitespace, Punctuation, Digits, CharDelimiterSplit,
 * FixedLength and UnicodeScripts pre-tokenizers, the WordPiece and
 * WordLevel models, BertProcessing, the WordPiece decoder and the
 * vocab.txt converter.
 *
 *   test_wordpiece FIXTURES_DIR
 *
 * The expected tokens, ids, byte offsets and decodes below were produced
 * by the Rust library (npm tokenizers 0.23.2) from the same
 * tokenizer.json built here from VOCAB and each VARIANT; the error cases
 * check the code and the JSON path of every malformed config.
 */
#include "hubtok.h"
#include "convert/convert.h"
#include "util/file.h"
#include "util/strmap.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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

#define CHECK_STR(what, got, want)                                      \
  do {                                                                  \
    checks++;                                                           \
    if(strcmp((got), (want))) {                                         \
      failures++;                                                       \
      fprintf(stderr, "%s:%d: %s\n  got  \"%s\"\n  want \"%s\"\n",      \
              __FILE__, __LINE__, (what), (got), (want));               \
    }                                                                   \
  } while(0)

enum { WP, WL };

typedef struct variant {
  const char *name;
  const char *normalizer;
  const char *pre_tokenizer;
  const char *post_processor;
  const char *decoder;
  int model;
  int max_chars;
} variant;

typedef struct enc_case {
  const char *variant;
  int special;
  const char *text;
  const char *pair;
  const char *tokens;  /* joined with '|' */
  const char *ids;     /* joined with ' ' */
  const char *offsets; /* "start-end" in bytes, joined with ' ' */
} enc_case;

typedef struct dec_case {
  const char *variant;
  const char *ids;
  int skip;
  const char *text;
} dec_case;

/* ---- generated from the Rust library ---------------------------------- */

static const char VOCAB[] =
  "{\"1\":23,\"2\":25,\"3\":27,\"4\":29,\"[UNK]\":0,\"[CLS]\":1,\"[SEP]\":2,"
  "\"[PAD]\":3,\"[MASK]\":4,\"hello\":5,\"world\":6,\"un\":7,\"##aff\":8,\"#"
  "#able\":9,\"do\":10,\"not\":11,\"'\":12,\"s\":13,\".\":14,\"!\":15,\"\\u0"
  "001\":16,\"##\\u0001\":17,\"##!\":18,\",\":19,\"##,\":20,\"-\":21,\"##-\""
  ":22,\"##1\":24,\"##2\":26,\"##3\":28,\"##4\":30,\";\":31,\"##;\":32,\"?\""
  ":33,\"##?\":34,\"A\":35,\"##A\":36,\"B\":37,\"##B\":38,\"H\":39,\"##H\":4"
  "0,\"I\":41,\"##I\":42,\"L\":43,\"##L\":44,\"N\":45,\"##N\":46,\"S\":47,\""
  "##S\":48,\"T\":49,\"##T\":50,\"U\":51,\"##U\":52,\"X\":53,\"##X\":54,\"a"
  "\":55,\"##a\":56,\"b\":57,\"##b\":58,\"c\":59,\"##c\":60,\"d\":61,\"##d\""
  ":62,\"e\":63,\"##e\":64,\"f\":65,\"##f\":66,\"g\":67,\"##g\":68,\"h\":69,"
  "\"##h\":70,\"i\":71,\"##i\":72,\"i\xcc""\x87""\":73,\"##i\xcc""\x87""\":7"
  "4,\"j\":75,\"##j\":76,\"k\":77,\"##k\":78,\"l\":79,\"##l\":80,\"m\":81,\""
  "##m\":82,\"n\":83,\"##n\":84,\"o\":85,\"##o\":86,\"p\":87,\"##p\":88,\"q"
  "\":89,\"##q\":90,\"r\":91,\"##r\":92,\"##s\":93,\"t\":94,\"##t\":95,\"u\""
  ":96,\"##u\":97,\"v\":98,\"##v\":99,\"w\":100,\"##w\":101,\"x\":102,\"##x"
  "\":103,\"y\":104,\"##y\":105,\"z\":106,\"##z\":107,\"\xc2""\xb2""\":108,"
  "\"##\xc2""\xb2""\":109,\"\xc3""\xa9""\":110,\"##\xc3""\xa9""\":111,\""
  "\xc4""\xb0""\":112,\"##\xc4""\xb0""\":113,\"\xcc""\x81""\":114,\"##\xcc"
  "\x81""\":115,\"\xcc""\x87""\":116,\"##\xcc""\x87""\":117,\"\xce""\x9f""\""
  ":118,\"##\xce""\x9f""\":119,\"\xce""\xa3""\":120,\"##\xce""\xa3""\":121,"
  "\"\xce""\xa6""\":122,\"##\xce""\xa6""\":123,\"\xce""\xbf""\":124,\"##"
  "\xce""\xbf""\":125,\"\xcf""\x83""\":126,\"##\xcf""\x83""\":127,\"\xcf"
  "\x86""\":128,\"##\xcf""\x86""\":129,\"\xe0""\xa6""\x95""\":130,\"##\xe0"
  "\xa6""\x95""\":131,\"\xe0""\xa7""\xbe""\":132,\"##\xe0""\xa7""\xbe""\":13"
  "3,\"\xe1""\x84""\x80""\":134,\"##\xe1""\x84""\x80""\":135,\"\xe1""\x84"
  "\x8b""\":136,\"##\xe1""\x84""\x8b""\":137,\"\xe1""\x84""\x92""\":138,\"##"
  "\xe1""\x84""\x92""\":139,\"\xe1""\x85""\xa1""\":140,\"##\xe1""\x85"
  "\xa1""\":141,\"\xe1""\x85""\xa5""\":142,\"##\xe1""\x85""\xa5""\":143,\""
  "\xe1""\x85""\xae""\":144,\"##\xe1""\x85""\xae""\":145,\"\xe1""\x86"
  "\xa8""\":146,\"##\xe1""\x86""\xa8""\":147,\"\xe1""\x86""\xab""\":148,\"##"
  "\xe1""\x86""\xab""\":149,\"\xe2""\x91""\xa0""\":150,\"##\xe2""\x91"
  "\xa0""\":151,\"\xe3""\x81""\xb2""\":152,\"##\xe3""\x81""\xb2""\":153,\""
  "\xe3""\x82""\x89""\":154,\"##\xe3""\x82""\x89""\":155,\"\xe3""\x82"
  "\x99""\":156,\"##\xe3""\x82""\x99""\":157,\"\xe3""\x82""\xab""\":158,\"##"
  "\xe3""\x82""\xab""\":159,\"\xe3""\x82""\xac""\":160,\"##\xe3""\x82"
  "\xac""\":161,\"\xe3""\x83""\x8a""\":162,\"##\xe3""\x83""\x8a""\":163,\""
  "\xe3""\x83""\xbc""\":164,\"##\xe3""\x83""\xbc""\":165,\"\xe4""\xb8"
  "\xad""\":166,\"##\xe4""\xb8""\xad""\":167,\"\xe6""\x97""\xa5""\":168,\"##"
  "\xe6""\x97""\xa5""\":169,\"\xe6""\x9c""\xac""\":170,\"##\xe6""\x9c"
  "\xac""\":171,\"\xea""\xb5""\xad""\":172,\"##\xea""\xb5""\xad""\":173,\""
  "\xec""\x96""\xb4""\":174,\"##\xec""\x96""\xb4""\":175,\"\xed""\x95"
  "\x9c""\":176,\"##\xed""\x95""\x9c""\":177,\"\xf0""\x9f""\xa6""\x99""\":17"
  "8,\"##\xf0""\x9f""\xa6""\x99""\":179,\"\xef""\xac""\x81""\":180,\"##"
  "\xef""\xac""\x81""\":181,\"\xef""\xbd""\xb6""\":182,\"##\xef""\xbd"
  "\xb6""\":183,\"\xef""\xbe""\x9e""\":184,\"##\xef""\xbe""\x9e""\":185,\""
  "\xef""\xbf""\xbd""\":186,\"##\xef""\xbf""\xbd""\":187}";
static const char ADDED[] =
  "[{\"id\":0,\"content\":\"[UNK]\",\"single_word\":false,\"lstrip\":false,"
  "\"rstrip\":false,\"normalized\":false,\"special\":true},{\"id\":1,\"conte"
  "nt\":\"[CLS]\",\"single_word\":false,\"lstrip\":false,\"rstrip\":false,\""
  "normalized\":false,\"special\":true},{\"id\":2,\"content\":\"[SEP]\",\"si"
  "ngle_word\":false,\"lstrip\":false,\"rstrip\":false,\"normalized\":false,"
  "\"special\":true},{\"id\":3,\"content\":\"[PAD]\",\"single_word\":false,"
  "\"lstrip\":false,\"rstrip\":false,\"normalized\":false,\"special\":true},"
  "{\"id\":4,\"content\":\"[MASK]\",\"single_word\":false,\"lstrip\":false,"
  "\"rstrip\":false,\"normalized\":false,\"special\":true}]";
static const variant VARIANTS[] = {
  { "nfd",
    "{\"type\":\"NFD\"}",
    "{\"type\":\"CharDelimiterSplit\",\"delimiter\":\" \"}",
    "null",
    "{\"type\":\"WordPiece\",\"prefix\":\"##\",\"cleanup\":true}", WP, 100 },
  { "nfc",
    "{\"type\":\"NFC\"}",
    "{\"type\":\"CharDelimiterSplit\",\"delimiter\":\" \"}",
    "null",
    "{\"type\":\"WordPiece\",\"prefix\":\"##\",\"cleanup\":true}", WP, 100 },
  { "nfkc",
    "{\"type\":\"NFKC\"}",
    "{\"type\":\"CharDelimiterSplit\",\"delimiter\":\" \"}",
    "null",
    "{\"type\":\"WordPiece\",\"prefix\":\"##\",\"cleanup\":true}", WP, 100 },
  { "nfkd",
    "{\"type\":\"NFKD\"}",
    "{\"type\":\"CharDelimiterSplit\",\"delimiter\":\" \"}",
    "null",
    "{\"type\":\"WordPiece\",\"prefix\":\"##\",\"cleanup\":true}", WP, 100 },
  { "lower",
    "{\"type\":\"Lowercase\"}",
    "{\"type\":\"CharDelimiterSplit\",\"delimiter\":\" \"}",
    "null",
    "{\"type\":\"WordPiece\",\"prefix\":\"##\",\"cleanup\":true}", WP, 100 },
  { "strip",
    "{\"type\":\"Strip\",\"strip_left\":true,\"strip_right\":true}",
    "null",
    "null",
    "{\"type\":\"WordPiece\",\"prefix\":\"##\",\"cleanup\":true}", WP, 100 },
  { "rstrip",
    "{\"type\":\"Strip\",\"strip_left\":false,\"strip_right\":true}",
    "null",
    "null",
    "{\"type\":\"WordPiece\",\"prefix\":\"##\",\"cleanup\":true}", WP, 100 },
  { "accents",
    "{\"type\":\"Sequence\",\"normalizers\":[{\"type\":\"NFD\"},{\"type\":\""
    "StripAccents\"}]}",
    "{\"type\":\"CharDelimiterSplit\",\"delimiter\":\" \"}",
    "null",
    "{\"type\":\"WordPiece\",\"prefix\":\"##\",\"cleanup\":true}", WP, 100 },
  { "bert",
    "{\"type\":\"BertNormalizer\",\"clean_text\":true,\"handle_chinese_chars"
    "\":true,\"strip_accents\":null,\"lowercase\":true}",
    "{\"type\":\"BertPreTokenizer\"}",
    "{\"type\":\"BertProcessing\",\"sep\":[\"[SEP]\",2],\"cls\":[\"[CLS]\",1"
    "]}",
    "{\"type\":\"WordPiece\",\"prefix\":\"##\",\"cleanup\":true}", WP, 100 },
  { "bertpre",
    "null",
    "{\"type\":\"BertPreTokenizer\"}",
    "null",
    "{\"type\":\"WordPiece\",\"prefix\":\"##\",\"cleanup\":true}", WP, 100 },
  { "ws",
    "null",
    "{\"type\":\"Whitespace\"}",
    "null",
    "{\"type\":\"WordPiece\",\"prefix\":\"##\",\"cleanup\":true}", WP, 100 },
  { "punct",
    "null",
    "{\"type\":\"Punctuation\"}",
    "null",
    "{\"type\":\"WordPiece\",\"prefix\":\"##\",\"cleanup\":true}", WP, 100 },
  { "punctnext",
    "null",
    "{\"type\":\"Punctuation\",\"behavior\":\"MergedWithNext\"}",
    "null",
    "{\"type\":\"WordPiece\",\"prefix\":\"##\",\"cleanup\":true}", WP, 100 },
  { "digits",
    "null",
    "{\"type\":\"Digits\",\"individual_digits\":true}",
    "null",
    "{\"type\":\"WordPiece\",\"prefix\":\"##\",\"cleanup\":true}", WP, 100 },
  { "digitsc",
    "null",
    "{\"type\":\"Digits\",\"individual_digits\":false}",
    "null",
    "{\"type\":\"WordPiece\",\"prefix\":\"##\",\"cleanup\":true}", WP, 100 },
  { "delim",
    "null",
    "{\"type\":\"CharDelimiterSplit\",\"delimiter\":\"-\"}",
    "null",
    "{\"type\":\"WordPiece\",\"prefix\":\"##\",\"cleanup\":true}", WP, 100 },
  { "fixed",
    "null",
    "{\"type\":\"FixedLength\",\"length\":3}",
    "null",
    "{\"type\":\"WordPiece\",\"prefix\":\"##\",\"cleanup\":true}", WP, 100 },
  { "wp",
    "null",
    "{\"type\":\"CharDelimiterSplit\",\"delimiter\":\" \"}",
    "{\"type\":\"BertProcessing\",\"sep\":[\"[SEP]\",2],\"cls\":[\"[CLS]\",1"
    "]}",
    "{\"type\":\"WordPiece\",\"prefix\":\"##\",\"cleanup\":true}", WP, 100 },
  { "wpmax",
    "null",
    "{\"type\":\"CharDelimiterSplit\",\"delimiter\":\" \"}",
    "null",
    "{\"type\":\"WordPiece\",\"prefix\":\"##\",\"cleanup\":true}", WP, 4 },
  { "wl",
    "null",
    "{\"type\":\"CharDelimiterSplit\",\"delimiter\":\" \"}",
    "null",
    "{\"type\":\"WordPiece\",\"prefix\":\"##\",\"cleanup\":true}", WL, 100 },
  { "us",
    "null",
    "{\"type\":\"UnicodeScripts\"}",
    "null",
    "{\"type\":\"WordPiece\",\"prefix\":\"##\",\"cleanup\":true}", WP, 100 },
  { "accents1",
    "{\"type\":\"StripAccents\"}",
    "{\"type\":\"FixedLength\",\"length\":1}",
    "null",
    "{\"type\":\"WordPiece\",\"prefix\":\"##\",\"cleanup\":true}", WP, 100 },
  { "lower1",
    "{\"type\":\"Lowercase\"}",
    "{\"type\":\"FixedLength\",\"length\":1}",
    "null",
    "{\"type\":\"WordPiece\",\"prefix\":\"##\",\"cleanup\":true}", WP, 100 },
  { "nocleanup",
    "null",
    "{\"type\":\"CharDelimiterSplit\",\"delimiter\":\" \"}",
    "null",
    "{\"type\":\"WordPiece\",\"prefix\":\"##\",\"cleanup\":false}", WP, 100 },
};

static const enc_case ENC_CASES[] = {
  { "nfd", 1,
    "caf\xc3""\xa9"" \xef""\xac""\x81",
    NULL,
    "c|##a|##f|##e|##\xcc""\x81""|\xef""\xac""\x81",
    "59 56 66 64 115 180",
    "0-1 1-2 2-3 3-5 3-5 6-9" },
  { "nfc", 1,
    "cafe\xcc""\x81"" e\xcc""\x81""\xcc""\x81""o",
    NULL,
    "c|##a|##f|##\xc3""\xa9""|\xc3""\xa9""|##\xcc""\x81""|##o",
    "59 56 66 111 110 115 86",
    "0-1 1-2 2-3 3-4 7-8 10-12 12-13" },
  { "nfc", 1,
    "\xed""\x95""\x9c""\xea""\xb5""\xad""\xec""\x96""\xb4",
    NULL,
    "\xed""\x95""\x9c""|##\xea""\xb5""\xad""|##\xec""\x96""\xb4",
    "176 173 175",
    "0-3 3-6 6-9" },
  { "nfkc", 1,
    "\xef""\xac""\x81"" x\xc2""\xb2"" \xe2""\x91""\xa0",
    NULL,
    "f|##i|x|##2|1",
    "65 72 102 26 23",
    "0-3 0-3 4-5 5-7 8-11" },
  { "nfkd", 1,
    "\xef""\xac""\x81"" \xc3""\xa9"" \xef""\xbd""\xb6""\xef""\xbe""\x9e",
    NULL,
    "f|##i|e|##\xcc""\x81""|\xe3""\x82""\xab""|##\xe3""\x82""\x99",
    "65 72 63 115 158 157",
    "0-3 0-3 4-6 4-6 7-10 10-13" },
  { "lower", 1,
    "\xc4""\xb0""STANBUL \xce""\xa3""\xce""\x9f""\xce""\xa6""\xce""\x9f"
    "\xce""\xa3",
    NULL,
    "i\xcc""\x87""|##s|##t|##a|##n|##b|##u|##l|\xcf""\x83""|##\xce""\xbf""|#"
    "#\xcf""\x86""|##\xce""\xbf""|##\xcf""\x83",
    "73 93 95 56 84 58 97 80 126 125 129 125 127",
    "0-2 2-3 3-4 4-5 5-6 6-7 7-8 8-9 10-12 12-14 14-16 16-18 18-20" },
  { "strip", 1,
    "  hi  ",
    NULL,
    "h|##i",
    "69 72",
    "2-3 3-4" },
  { "strip", 1,
    " \x09""ab ",
    NULL,
    "a|##b",
    "55 58",
    "2-3 3-4" },
  { "rstrip", 1,
    "\xc3""\xa9""  ",
    NULL,
    "\xc3""\xa9",
    "110",
    "0-2" },
  { "accents", 1,
    "caf\xc3""\xa9",
    NULL,
    "c|##a|##f|##e",
    "59 56 66 64",
    "0-1 1-2 2-3 3-5" },
  { "accents1", 1,
    "a\xe1""\xb3""\xb2""\xe0""\xa7""\xbe""\xf0""\x91""\x87""\x89""\xf0"
    "\x9e""\xa5""\x87""b",
    NULL,
    "a|\xe0""\xa7""\xbe""|[UNK]|b",
    "55 132 0 57",
    "0-1 4-7 7-11 15-16" },
  { "lower1", 1,
    "A\xea""\x9f""\x9c""\xea""\x9f""\x8b""\xf0""\x90""\xb5""\x90""\xc4"
    "\xb0",
    NULL,
    "a|[UNK]|[UNK]|[UNK]|i|\xcc""\x87",
    "55 0 0 0 71 116",
    "0-1 1-4 4-7 7-11 11-13 11-13" },
  { "digits", 1,
    "x\xf0""\x9c""\xb3""\xb0""\xf0""\x9f""\xaf""\xb1""y",
    NULL,
    "x|[UNK]|[UNK]|y",
    "102 0 0 104",
    "0-1 1-5 5-9 9-10" },
  { "nfkc", 1,
    "x\xf0""\x9c""\xb3""\xb0""\xf0""\x9f""\xaf""\xb1""y",
    NULL,
    "[UNK]",
    "0",
    "0-10" },
  { "bert", 1,
    "H\xc3""\xa9""llo\x01""\xef""\xbf""\xbd""\xe4""\xb8""\xad""\x09""X\xcc"
    "\x81",
    NULL,
    "[CLS]|hello|\xe4""\xb8""\xad""|x|[SEP]",
    "1 5 166 102 2",
    "0-0 0-6 10-13 14-15 0-0" },
  { "bert", 0,
    "H\xc3""\xa9""llo\x01""\xef""\xbf""\xbd""\xe4""\xb8""\xad""\x09""X\xcc"
    "\x81",
    NULL,
    "hello|\xe4""\xb8""\xad""|x",
    "5 166 102",
    "0-6 10-13 14-15" },
  { "bert", 1,
    "Hey friend!  How?",
    NULL,
    "[CLS]|h|##e|##y|f|##r|##i|##e|##n|##d|!|h|##o|##w|?|[SEP]",
    "1 69 64 105 65 92 72 64 84 62 15 69 86 101 33 2",
    "0-0 0-1 1-2 2-3 4-5 5-6 6-7 7-8 8-9 9-10 10-11 13-14 14-15 15-16 16-17 "
    "0-0" },
  { "bert", 0,
    "Hey friend!  How?",
    NULL,
    "h|##e|##y|f|##r|##i|##e|##n|##d|!|h|##o|##w|?",
    "69 64 105 65 92 72 64 84 62 15 69 86 101 33",
    "0-1 1-2 2-3 4-5 5-6 6-7 7-8 8-9 9-10 10-11 13-14 14-15 15-16 16-17" },
  { "bertpre", 1,
    "Hey friend!  How?",
    NULL,
    "H|##e|##y|f|##r|##i|##e|##n|##d|!|H|##o|##w|?",
    "39 64 105 65 92 72 64 84 62 15 39 86 101 33",
    "0-1 1-2 2-3 4-5 5-6 6-7 7-8 8-9 9-10 10-11 13-14 14-15 15-16 16-17" },
  { "ws", 1,
    "Hey man! \xe2""\x91""\xa0""x",
    NULL,
    "H|##e|##y|m|##a|##n|!|\xe2""\x91""\xa0""|x",
    "39 64 105 81 56 84 15 150 102",
    "0-1 1-2 2-3 4-5 5-6 6-7 7-8 9-12 12-13" },
  { "punct", 1,
    "a,b;c",
    NULL,
    "a|,|b|;|c",
    "55 19 57 31 59",
    "0-1 1-2 2-3 3-4 4-5" },
  { "punctnext", 1,
    "a,b;c",
    NULL,
    "a|,|##b|;|##c",
    "55 19 58 31 60",
    "0-1 1-2 2-3 3-4 4-5" },
  { "digits", 1,
    "a123b4",
    NULL,
    "a|1|2|3|b|4",
    "55 23 25 27 57 29",
    "0-1 1-2 2-3 3-4 4-5 5-6" },
  { "digitsc", 1,
    "a123b4",
    NULL,
    "a|1|##2|##3|b|4",
    "55 23 26 28 57 29",
    "0-1 1-2 2-3 3-4 4-5 5-6" },
  { "delim", 1,
    "a-b--c",
    NULL,
    "a|b|c",
    "55 57 59",
    "0-1 2-3 5-6" },
  { "fixed", 1,
    "abcdefg",
    NULL,
    "a|##b|##c|d|##e|##f|g",
    "55 58 60 61 64 66 67",
    "0-1 1-2 2-3 3-4 4-5 5-6 6-7" },
  { "wp", 1,
    "unaffable xyz",
    NULL,
    "[CLS]|un|##aff|##able|x|##y|##z|[SEP]",
    "1 7 8 9 102 105 107 2",
    "0-0 0-2 2-5 5-9 10-11 11-12 12-13 0-0" },
  { "wp", 0,
    "unaffable xyz",
    NULL,
    "un|##aff|##able|x|##y|##z",
    "7 8 9 102 105 107",
    "0-2 2-5 5-9 10-11 11-12 12-13" },
  { "wpmax", 1,
    "abcd abcde",
    NULL,
    "a|##b|##c|##d|[UNK]",
    "55 58 60 62 0",
    "0-1 1-2 2-3 3-4 5-10" },
  { "wl", 1,
    "hello xyz world",
    NULL,
    "hello|[UNK]|world",
    "5 0 6",
    "0-5 6-9 10-15" },
  { "us", 1,
    " abc\xe6""\x97""\xa5""\xe6""\x9c""\xac""\xe3""\x81""\xb2""\xe3""\x82"
    "\x89""\xe3""\x82""\xab""\xe3""\x83""\x8a""\xe3""\x83""\xbc"" \xce"
    "\xa3""x 1\xf0""\x9f""\xa6""\x99""\xcc""\x81""\xe0""\xa6""\x95""\xe0"
    "\xa7""\xbe",
    NULL,
    "a|##b|##c|[UNK]|\xce""\xa3""|[UNK]|1|##\xf0""\x9f""\xa6""\x99""|\xcc"
    "\x81""|\xe0""\xa6""\x95""|##\xe0""\xa7""\xbe",
    "55 58 60 0 120 0 23 179 114 130 133",
    "1-2 2-3 3-4 4-26 26-28 28-30 30-31 31-35 35-37 37-40 40-43" },
  { "bert", 1,
    "hello",
    "world",
    "[CLS]|hello|[SEP]|world|[SEP]",
    "1 5 2 6 2",
    "0-0 0-5 0-0 0-5 0-0" },
  { "bert", 0,
    "hello",
    "world",
    "hello|world",
    "5 6",
    "0-5 0-5" },
  { "wp", 1,
    "hello",
    "world!",
    "[CLS]|hello|[SEP]|world|##!|[SEP]",
    "1 5 2 6 18 2",
    "0-0 0-5 0-0 0-5 5-6 0-0" },
  { "wp", 0,
    "hello",
    "world!",
    "hello|world|##!",
    "5 6 18",
    "0-5 0-5 5-6" },
};
static const dec_case DEC_CASES[] = {
  { "wp", "1 5 6 15 2", 0, "[CLS] hello world! [SEP]" },
  { "wp", "1 5 6 15 2", 1, "hello world!" },
  { "wp", "7 8 9 14 10 11 12 13", 0, "unaffable. do not ' s" },
  { "wp", "7 8 9 14 10 11 12 13", 1, "unaffable. do not ' s" },
  { "nocleanup", "7 8 9 14 10 11", 0, "unaffable . do not" },
  { "nocleanup", "7 8 9 14 10 11", 1, "unaffable . do not" },
  { "wl", "5 15 6", 0, "hello! world" },
  { "wl", "5 15 6", 1, "hello! world" },
};

/* ---- helpers ------------------------------------------------------------ */

/* The tokenizer.json of a variant; caller frees. */
static char *
variant_json(const variant *v)
{
  size_t cap = strlen(VOCAB) + strlen(ADDED) + strlen(v->normalizer) +
               strlen(v->pre_tokenizer) + strlen(v->post_processor) +
               strlen(v->decoder) + 512;
  char *s = malloc(cap);

  if(!s)
    return NULL;
  if(v->model == WP)
    snprintf(s, cap, "{\"version\":\"1.0\",\"truncation\":null,\"padding\":"
             "null,\"added_tokens\":%s,\"normalizer\":%s,\"pre_tokenizer\":"
             "%s,\"post_processor\":%s,\"decoder\":%s,\"model\":{\"type\":"
             "\"WordPiece\",\"unk_token\":\"[UNK]\","
             "\"continuing_subword_prefix\":\"##\","
             "\"max_input_chars_per_word\":%d,\"vocab\":%s}}", ADDED,
             v->normalizer, v->pre_tokenizer, v->post_processor,
             v->decoder, v->max_chars, VOCAB);
  else
    snprintf(s, cap, "{\"version\":\"1.0\",\"truncation\":null,\"padding\":"
             "null,\"added_tokens\":%s,\"normalizer\":%s,\"pre_tokenizer\":"
             "%s,\"post_processor\":%s,\"decoder\":%s,\"model\":{\"type\":"
             "\"WordLevel\",\"unk_token\":\"[UNK]\",\"vocab\":%s}}", ADDED,
             v->normalizer, v->pre_tokenizer, v->post_processor,
             v->decoder, VOCAB);
  return s;
}

static hubtok_tokenizer *
load_variant(const char *name)
{
  size_t i;

  for(i = 0; i < sizeof(VARIANTS) / sizeof(VARIANTS[0]); i++) {
    if(!strcmp(VARIANTS[i].name, name)) {
      hubtok_tokenizer *tok = NULL;
      hubtok_error err;
      char *json = variant_json(&VARIANTS[i]);
      hubtok_code rc = json ? hubtok_tokenizer_from_json(json, strlen(json),
                                                         &tok, &err) :
                       HUBTOK_ENOMEM;
      free(json);
      if(rc)
        fprintf(stderr, "variant %s: %s\n", name, err.msg);
      CHECK(rc == HUBTOK_OK);
      return tok;
    }
  }
  fprintf(stderr, "no variant %s\n", name);
  CHECK(0);
  return NULL;
}

/* tokens, ids and offsets of an encoding as the case strings. */
static void
describe(const hubtok_encoding *e, char *toks, char *ids, char *offs,
         size_t cap)
{
  size_t i, a = 0, b = 0, c = 0;

  toks[0] = ids[0] = offs[0] = 0;
  for(i = 0; i < e->n; i++) {
    size_t tl = e->token_off[i + 1] - e->token_off[i];
    if(a + tl + 2 < cap) {
      if(i)
        toks[a++] = '|';
      memcpy(toks + a, e->tokens + e->token_off[i], tl);
      a += tl;
      toks[a] = 0;
    }
    b += (size_t)snprintf(ids + b, b < cap ? cap - b : 0, "%s%u",
                          i ? " " : "", e->ids[i]);
    c += (size_t)snprintf(offs + c, c < cap ? cap - c : 0, "%s%zu-%zu",
                          i ? " " : "", e->offsets[2 * i],
                          e->offsets[2 * i + 1]);
  }
}

static void
test_encode_cases(void)
{
  static char toks[4096], ids[4096], offs[4096];
  size_t i;

  for(i = 0; i < sizeof(ENC_CASES) / sizeof(ENC_CASES[0]); i++) {
    const enc_case *c = &ENC_CASES[i];
    hubtok_tokenizer *tok = load_variant(c->variant);
    hubtok_encode_opts opts;
    hubtok_encoding *e = NULL;
    hubtok_error err;
    hubtok_code rc;
    if(!tok)
      continue;
    opts.add_special_tokens = c->special;
    rc = hubtok_encode(tok, c->text, strlen(c->text), c->pair,
                       c->pair ? strlen(c->pair) : 0, &opts, &e, &err);
    CHECK(rc == HUBTOK_OK);
    if(!rc) {
      describe(e, toks, ids, offs, sizeof(toks));
      CHECK_STR(c->variant, toks, c->tokens);
      CHECK_STR(c->variant, ids, c->ids);
      CHECK_STR(c->variant, offs, c->offsets);
    }
    hubtok_encoding_free(e);
    hubtok_tokenizer_free(tok);
  }
}

/*
 * BertProcessing keeps which sequence each token came from (Rust's
 * sequence_ranges {0: A} and {1: B}; special tokens have none), and the
 * char offsets of B are in B's chars. Rust, encode("h\u00e9llo
 * w\u00f6rld", "\u00fcnaffable, hello!") on variant "bert".
 */
static void
test_bert_pair_seq_ids(void)
{
  static char toks[1024], ids[1024], offs[1024], seqs[256], types[256];
  static const char a[] = "h\xC3\xA9llo w\xC3\xB6rld";
  static const char b[] = "\xC3\xBCnaffable, hello!";
  hubtok_tokenizer *tok = load_variant("bert");
  int special;

  if(!tok)
    return;
  for(special = 1; special >= 0; special--) {
    hubtok_encode_opts opts;
    hubtok_encoding *e = NULL;
    hubtok_error err;
    size_t i, n = 0, m = 0;
    opts.add_special_tokens = special;
    CHECK(hubtok_encode_char_offsets(tok, a, strlen(a), b, strlen(b),
                                     &opts, &e, &err) == HUBTOK_OK);
    if(!e)
      continue;
    describe(e, toks, ids, offs, sizeof(toks));
    for(i = 0; i < e->n && n + 8 < sizeof(seqs); i++) {
      n += (size_t)snprintf(seqs + n, sizeof(seqs) - n, "%s%d",
                            i ? " " : "", (int)e->seq_ids[i]);
      m += (size_t)snprintf(types + m, sizeof(types) - m, "%s%u",
                            i ? " " : "", e->type_ids[i]);
    }
    if(special) {
      CHECK_STR("bert pair", toks, "[CLS]|hello|world|[SEP]|un|##aff|"
                "##able|,|hello|!|[SEP]");
      CHECK_STR("bert pair", ids, "1 5 6 2 7 8 9 19 5 15 2");
      CHECK_STR("bert pair", offs, "0-0 0-5 6-11 0-0 0-2 2-5 5-9 9-10 "
                "11-16 16-17 0-0");
      CHECK_STR("bert pair", seqs, "-1 0 0 -1 1 1 1 1 1 1 -1");
      CHECK_STR("bert pair", types, "0 0 0 0 1 1 1 1 1 1 1");
    }
    else {
      CHECK_STR("bert pair", offs, "0-5 6-11 0-2 2-5 5-9 9-10 11-16 "
                "16-17");
      CHECK_STR("bert pair", seqs, "0 0 1 1 1 1 1 1");
      CHECK_STR("bert pair", types, "0 0 1 1 1 1 1 1");
    }
    hubtok_encoding_free(e);
  }
  hubtok_tokenizer_free(tok);
}

static void
test_decode_cases(void)
{
  size_t i;

  for(i = 0; i < sizeof(DEC_CASES) / sizeof(DEC_CASES[0]); i++) {
    const dec_case *c = &DEC_CASES[i];
    hubtok_tokenizer *tok = load_variant(c->variant);
    uint32_t ids[64];
    size_t n = 0, len = 0;
    const char *p = c->ids;
    char *out = NULL;
    hubtok_error err;
    if(!tok)
      continue;
    while(*p && n < 64) {
      char *end;
      ids[n++] = (uint32_t)strtoul(p, &end, 10);
      p = end;
    }
    CHECK(hubtok_decode(tok, ids, n, c->skip, &out, &len, &err) ==
          HUBTOK_OK);
    if(out)
      CHECK_STR(c->variant, out, c->text);
    hubtok_free(out);
    hubtok_tokenizer_free(tok);
  }
}

/* ---- errors ------------------------------------------------------------- */

/* Load {"model": <model>, <member>: <value>} and expect `code` with
 * `path` in the message. */
static void
expect_load(const char *model, const char *member, const char *value,
            hubtok_code code, const char *path)
{
  static const char WP_MODEL[] =
    "{\"type\":\"WordPiece\",\"unk_token\":\"[UNK]\","
    "\"continuing_subword_prefix\":\"##\",\"max_input_chars_per_word\":100,"
    "\"vocab\":{\"[UNK]\":0,\"a\":1}}";
  char json[2048];
  hubtok_tokenizer *tok = NULL;
  hubtok_error err;
  hubtok_code rc;

  snprintf(json, sizeof(json), "{\"model\":%s%s%s%s%s}",
           model ? model : WP_MODEL, member ? ",\"" : "",
           member ? member : "", member ? "\":" : "", member ? value : "");
  rc = hubtok_tokenizer_from_json(json, strlen(json), &tok, &err);
  if(rc != code || !strstr(err.msg, path))
    fprintf(stderr, "load %s\n  got %s \"%s\", want %s with \"%s\"\n", json,
            hubtok_err_name(rc), err.msg, hubtok_err_name(code), path);
  CHECK(rc == code);
  CHECK(strstr(err.msg, path) != NULL);
  CHECK(tok == NULL);
  hubtok_tokenizer_free(tok);
}

static void
test_errors(void)
{
  hubtok_tokenizer *tok = NULL;
  hubtok_encoding *e = NULL;
  hubtok_error err;
  const char *json;

  /* normalizers */
  expect_load(NULL, "normalizer", "{\"type\":\"BertNormalizer\","
              "\"clean_text\":true,\"handle_chinese_chars\":true}",
              HUBTOK_ETOKENIZER, "normalizer.lowercase");
  expect_load(NULL, "normalizer", "{\"type\":\"BertNormalizer\","
              "\"clean_text\":\"yes\",\"handle_chinese_chars\":true,"
              "\"lowercase\":true}", HUBTOK_ETOKENIZER,
              "normalizer.clean_text");
  expect_load(NULL, "normalizer", "{\"type\":\"BertNormalizer\","
              "\"clean_text\":true,\"handle_chinese_chars\":true,"
              "\"lowercase\":true,\"strip_accents\":1}", HUBTOK_ETOKENIZER,
              "normalizer.strip_accents");
  expect_load(NULL, "normalizer", "{\"type\":\"Sequence\",\"normalizers\":"
              "[{\"type\":\"Strip\",\"strip_left\":true}]}",
              HUBTOK_ETOKENIZER, "normalizer.normalizers[0].strip_right");
  expect_load(NULL, "normalizer", "{\"type\":\"NFKX\"}",
              HUBTOK_EUNSUPPORTED, "NFKX");
  /* pre-tokenizers */
  expect_load(NULL, "pre_tokenizer", "{\"type\":\"Digits\"}",
              HUBTOK_ETOKENIZER, "pre_tokenizer.individual_digits");
  expect_load(NULL, "pre_tokenizer", "{\"type\":\"CharDelimiterSplit\","
              "\"delimiter\":\"ab\"}", HUBTOK_ETOKENIZER,
              "pre_tokenizer.delimiter");
  expect_load(NULL, "pre_tokenizer", "{\"type\":\"CharDelimiterSplit\"}",
              HUBTOK_ETOKENIZER, "pre_tokenizer.delimiter");
  expect_load(NULL, "pre_tokenizer", "{\"type\":\"Punctuation\","
              "\"behavior\":\"Nope\"}", HUBTOK_ETOKENIZER,
              "pre_tokenizer.behavior");
  expect_load(NULL, "pre_tokenizer", "{\"type\":\"FixedLength\","
              "\"length\":-1}", HUBTOK_ETOKENIZER, "pre_tokenizer.length");
  /* models */
  expect_load("{\"type\":\"WordPiece\",\"unk_token\":\"[UNK]\","
              "\"max_input_chars_per_word\":100,\"vocab\":{}}", NULL, NULL,
              HUBTOK_ETOKENIZER, "model.continuing_subword_prefix");
  expect_load("{\"type\":\"WordPiece\",\"unk_token\":\"[UNK]\","
              "\"continuing_subword_prefix\":\"##\","
              "\"max_input_chars_per_word\":-1,\"vocab\":{}}", NULL, NULL,
              HUBTOK_ETOKENIZER, "model.max_input_chars_per_word");
  expect_load("{\"type\":\"WordPiece\",\"unk_token\":\"[UNK]\","
              "\"continuing_subword_prefix\":\"##\","
              "\"max_input_chars_per_word\":100,\"vocab\":{\"a\":-2}}",
              NULL, NULL, HUBTOK_ETOKENIZER, "model.vocab.a");
  expect_load("{\"type\":\"WordLevel\",\"vocab\":{\"a\":0}}", NULL, NULL,
              HUBTOK_ETOKENIZER, "model.unk_token");
  expect_load("{\"type\":\"WordLevel\",\"unk_token\":\"x\",\"vocab\":[]}",
              NULL, NULL, HUBTOK_ETOKENIZER, "model.vocab");
  /* post-processor, decoder */
  expect_load(NULL, "post_processor", "{\"type\":\"BertProcessing\","
              "\"sep\":\"[SEP]\",\"cls\":[\"[CLS]\",1]}", HUBTOK_ETOKENIZER,
              "post_processor.sep");
  expect_load(NULL, "post_processor", "{\"type\":\"BertProcessing\","
              "\"sep\":[\"[SEP]\",2],\"cls\":[\"[CLS]\",-1]}",
              HUBTOK_ETOKENIZER, "post_processor.cls[1]");
  expect_load(NULL, "decoder", "{\"type\":\"WordPiece\",\"prefix\":\"##\"}",
              HUBTOK_ETOKENIZER, "decoder.cleanup");
  expect_load(NULL, "decoder", "{\"type\":\"WordPiece\",\"cleanup\":true}",
              HUBTOK_ETOKENIZER, "decoder.prefix");

  /* encode-time errors, as in Rust: FixedLength 0, no [UNK] in vocab */
  json = "{\"pre_tokenizer\":{\"type\":\"FixedLength\",\"length\":0},"
         "\"model\":{\"type\":\"WordLevel\",\"unk_token\":\"[UNK]\","
         "\"vocab\":{\"[UNK]\":0}}}";
  CHECK(hubtok_tokenizer_from_json(json, strlen(json), &tok, &err) ==
        HUBTOK_OK);
  CHECK(hubtok_encode(tok, "abc", 3, NULL, 0, NULL, &e, &err) ==
        HUBTOK_ETOKENIZER);
  CHECK(strstr(err.msg, "FixedLength") != NULL);
  CHECK(hubtok_encode(tok, "", 0, NULL, 0, NULL, &e, &err) ==
        HUBTOK_ETOKENIZER);
  hubtok_tokenizer_free(tok);
  tok = NULL;
  json = "{\"model\":{\"type\":\"WordPiece\",\"unk_token\":\"[UNK]\","
         "\"continuing_subword_prefix\":\"##\","
         "\"max_input_chars_per_word\":100,\"vocab\":{\"a\":0}}}";
  CHECK(hubtok_tokenizer_from_json(json, strlen(json), &tok, &err) ==
        HUBTOK_OK);
  CHECK(hubtok_encode(tok, "a", 1, NULL, 0, NULL, &e, &err) == HUBTOK_OK);
  hubtok_encoding_free(e);
  e = NULL;
  CHECK(hubtok_encode(tok, "b", 1, NULL, 0, NULL, &e, &err) ==
        HUBTOK_ETOKENIZER);
  CHECK(strstr(err.msg, "Missing [UNK]") != NULL);
  CHECK(e == NULL);
  hubtok_tokenizer_free(tok);
}

/* ---- vocab.txt converter ------------------------------------------------ */

static char *
path_join(const char *dir, const char *name)
{
  size_t n = strlen(dir) + strlen(name) + 2;
  char *p = malloc(n);

  if(p)
    snprintf(p, n, "%s/%s", dir, name);
  return p;
}

/* Encode text with special tokens; ids as a string. */
static void
encode_ids(hubtok_tokenizer *tok, const char *text, char *out, size_t cap)
{
  static char toks[8192], offs[8192];
  hubtok_encoding *e = NULL;
  hubtok_error err;

  out[0] = 0;
  if(hubtok_encode(tok, text, strlen(text), NULL, 0, NULL, &e, &err)) {
    snprintf(out, cap, "error %s", err.msg);
    return;
  }
  describe(e, toks, out, offs, cap < sizeof(toks) ? cap : sizeof(toks));
  hubtok_encoding_free(e);
}

static hubtok_tokenizer *
convert(const char *vocab, const char *config, const char *map,
        hubtok_code want)
{
  hubtok_legacy_files f;
  hubtok_tokenizer *tok = NULL;
  hubtok_error err;
  cJSON *root = NULL;
  hubtok_code rc;

  memset(&f, 0, sizeof(f));
  f.vocab_txt = vocab;
  f.tokenizer_config = config;
  f.special_tokens_map = map;
  rc = hubtok__convert_wordpiece(&f, &root, &err);
  if(rc != want)
    fprintf(stderr, "convert %s: got %s (%s), want %s\n", vocab,
            hubtok_err_name(rc), err.msg, hubtok_err_name(want));
  CHECK(rc == want);
  if(!rc) {
    CHECK(hubtok__tokenizer_from_cjson(root, &tok, &err) == HUBTOK_OK);
    cJSON_Delete(root);
  }
  return tok;
}

static int
write_tmp(char *path, const char *data)
{
  int fd = mkstemp(path);
  FILE *f = fd >= 0 ? fdopen(fd, "wb") : NULL;

  if(!f)
    return 0;
  fputs(data, f);
  fclose(f);
  return 1;
}

/* \r\n and \r line ends, a repeated token, special tokens missing from
 * vocab.txt, added_tokens_decoder and additional_special_tokens. */
static void
test_convert_small(void)
{
  char vocab[] = "/tmp/hubtok-wp-vocab-XXXXXX";
  char config[] = "/tmp/hubtok-wp-config-XXXXXX";
  char dup[] = "/tmp/hubtok-wp-dup-XXXXXX";
  static char got[1024];
  hubtok_legacy_files f;
  hubtok_tokenizer *tok = NULL;
  hubtok_error err;
  cJSON *root = NULL;
  char *json;

  if(!write_tmp(vocab, "[PAD]\r\n[UNK]\r\n[CLS]\r[SEP]\nhello\nworld\n"
                "##s\n") ||
     !write_tmp(dup, "[UNK]\nb\n[UNK]\n") ||
     !write_tmp(config, "{\"do_lower_case\": true, \"mask_token\": "
                "{\"content\": \"<mask>\"}, \"additional_special_tokens\":"
                " [\"<x>\"], \"added_tokens_decoder\": {\"8\": {\"content\":"
                " \"new\", \"special\": false}, \"7\": {\"content\": "
                "\"<mask>\", \"lstrip\": true, \"special\": true, "
                "\"normalized\": false}}}")) {
    CHECK(0);
    return;
  }
  memset(&f, 0, sizeof(f));
  f.vocab_txt = vocab;
  f.tokenizer_config = config;
  CHECK(hubtok__convert_wordpiece(&f, &root, &err) == HUBTOK_OK);
  json = root ? cJSON_PrintUnformatted(root) : NULL;
  /* added in transformers' order (the saved ones by id, then the other
   * special tokens), with the ids Rust's AddedVocabulary gives them */
  CHECK(json && strstr(json, "\"hello\":4,\"world\":5,\"##s\":6}"));
  CHECK(json && strstr(json, "{\"id\":7,\"special\":true,\"content\":"
                       "\"<mask>\",\"single_word\":false,\"lstrip\":true"));
  CHECK(json && strstr(json, "{\"id\":8,\"special\":false,\"content\":"
                       "\"new\",\"single_word\":false,\"lstrip\":false,"
                       "\"rstrip\":false,\"normalized\":true}"));
  CHECK(json && strstr(json, "{\"id\":9,\"special\":true,\"content\":"
                       "\"<x>\""));
  if(root)
    CHECK(hubtok__tokenizer_from_cjson(root, &tok, &err) == HUBTOK_OK);
  if(tok) {
    encode_ids(tok, "Hello <mask> new worlds <x>", got, sizeof(got));
    CHECK_STR("small", got, "2 4 7 8 5 6 9 3");
  }
  hubtok_tokenizer_free(tok);
  free(json);
  cJSON_Delete(root);
  root = NULL;
  /* a repeated line: the token keeps its last line number */
  f.vocab_txt = dup;
  f.tokenizer_config = NULL;
  CHECK(hubtok__convert_wordpiece(&f, &root, &err) == HUBTOK_OK);
  json = root ? cJSON_PrintUnformatted(root) : NULL;
  CHECK(json && strstr(json, "\"vocab\":{\"b\":1,\"[UNK]\":2}"));
  free(json);
  cJSON_Delete(root);
  remove(vocab);
  remove(config);
  remove(dup);
}

static void
test_convert(const char *fixtures)
{
  static const char *const TEXTS[] = {
    "Hello world!", "", "  ", "Héllo, wörld: naïve café ﬁ",
    "İstanbul ΣΟΦΟΣ", "你好世界 日本語", "カタカナ",
    "안녕하세요",
    "[CLS] a [MASK] b[SEP]", "[CLS",
    "don't  stop\t\n123,456.78 x² ① 🦙 \xe2\x80\x8b\x01"
  };
  static char want[8192], got[8192];
  char *dir = path_join(fixtures, "tokenizers/google-bert--bert-base-uncased");
  char *cdir = path_join(fixtures, "tokenizers/google-bert--bert-base-cased");
  char *vocab = dir ? path_join(dir, "vocab.txt") : NULL;
  char *config = dir ? path_join(dir, "tokenizer_config.json") : NULL;
  char *tjson = dir ? path_join(dir, "tokenizer.json") : NULL;
  char *cvocab = cdir ? path_join(cdir, "vocab.txt") : NULL;
  char *cconfig = cdir ? path_join(cdir, "tokenizer_config.json") : NULL;
  char *mdir = path_join(fixtures,
                         "tokenizers/sentence-transformers--all-MiniLM-L6-v2");
  char *mvocab = mdir ? path_join(mdir, "vocab.txt") : NULL;
  char *mconfig = mdir ? path_join(mdir, "tokenizer_config.json") : NULL;
  char *mmap = mdir ? path_join(mdir, "special_tokens_map.json") : NULL;
  char *mjson = mdir ? path_join(mdir, "tokenizer.json") : NULL;
  hubtok_tokenizer *conv, *ref = NULL, *cased;
  hubtok_legacy_files f;
  hubtok_error err;
  cJSON *root = NULL;
  size_t i;

  if(!vocab || !config || !tjson || !cvocab || !cconfig || !mvocab ||
     !mconfig || !mmap || !mjson) {
    CHECK(0);
    goto done;
  }
  /* bert-base-uncased: vocab.txt + config = its tokenizer.json */
  conv = convert(vocab, config, NULL, HUBTOK_OK);
  CHECK(hubtok_tokenizer_from_file(tjson, &ref, &err) == HUBTOK_OK);
  for(i = 0; conv && ref && i < sizeof(TEXTS) / sizeof(TEXTS[0]); i++) {
    encode_ids(ref, TEXTS[i], want, sizeof(want));
    encode_ids(conv, TEXTS[i], got, sizeof(got));
    CHECK_STR(TEXTS[i], got, want);
  }
  hubtok_tokenizer_free(conv);
  hubtok_tokenizer_free(ref);
  ref = NULL;
  /* all-MiniLM-L6-v2: + special_tokens_map.json */
  conv = convert(mvocab, mconfig, mmap, HUBTOK_OK);
  CHECK(hubtok_tokenizer_from_file(mjson, &ref, &err) == HUBTOK_OK);
  for(i = 0; conv && ref && i < sizeof(TEXTS) / sizeof(TEXTS[0]); i++) {
    encode_ids(ref, TEXTS[i], want, sizeof(want));
    encode_ids(conv, TEXTS[i], got, sizeof(got));
    CHECK_STR(TEXTS[i], got, want);
  }
  hubtok_tokenizer_free(conv);
  hubtok_tokenizer_free(ref);
  /* bert-base-cased has only legacy files (do_lower_case false); the ids
   * were checked with the Rust library on the converted tokenizer.json */
  cased = convert(cvocab, cconfig, NULL, HUBTOK_OK);
  if(cased) {
    encode_ids(cased, "Hello world!", got, sizeof(got));
    CHECK_STR("cased", got, "101 8667 1362 106 102");
    encode_ids(cased, "HELLO café", got, sizeof(got));
    CHECK_STR("cased", got, "101 145 21678 2162 2346 20583 102");
  }
  hubtok_tokenizer_free(cased);
  test_convert_small();
  /* errors */
  convert("/nonexistent/vocab.txt", NULL, NULL, HUBTOK_LOCAL_NOT_FOUND);
  convert(cvocab, vocab, NULL, HUBTOK_EJSON);
  memset(&f, 0, sizeof(f));
  f.vocab_txt = cvocab;
  f.tokenizer_class = "MPNetTokenizer";
  CHECK(hubtok__convert_wordpiece(&f, &root, &err) == HUBTOK_EUNSUPPORTED);
  CHECK(strstr(err.msg, "MPNetTokenizer") != NULL);
  CHECK(root == NULL);
done:
  free(dir);
  free(cdir);
  free(vocab);
  free(config);
  free(tjson);
  free(cvocab);
  free(cconfig);
  free(mdir);
  free(mvocab);
  free(mconfig);
  free(mmap);
  free(mjson);
}

/* Greedy longest match starts at the vocabulary's longest key (4 bytes
 * here), cut back to a char boundary: the same pieces as from the end of
 * the word. */
static void
test_longest_key(void)
{
  static const char json[] =
    "{\"version\":\"1.0\",\"added_tokens\":[],\"normalizer\":null,"
    "\"pre_tokenizer\":{\"type\":\"WhitespaceSplit\"},"
    "\"post_processor\":null,\"decoder\":null,\"model\":{\"type\":"
    "\"WordPiece\",\"unk_token\":\"[UNK]\",\"continuing_subword_prefix\":"
    "\"##\",\"max_input_chars_per_word\":100,\"vocab\":{\"[UNK]\":0,"
    "\"a\":1,\"##a\":2,\"aa\":3,\"##aa\":4,\"\xC3\xA9\":5,"
    "\"##\xC3\xA9\":6,\"##b\":7}}}";
  static const struct {
    const char *text;
    const char *ids;
  } cases[] = {
    { "aaaaa", "3 4 2" },
    { "\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9", "5 6 6 6" },
    { "a\xC3\xA9\xC3\xA9", "1 6 6" },
    { "aaaaaaaaaab", "3 4 4 4 4 7" },
    { "ab aab baa", "1 7 3 7 0" },
  };
  hubtok_tokenizer *tok = NULL;
  hubtok_error err;
  size_t i, k;

  CHECK(hubtok_tokenizer_from_json(json, strlen(json), &tok, &err) ==
        HUBTOK_OK);
  for(i = 0; tok && i < sizeof(cases) / sizeof(cases[0]); i++) {
    hubtok_encoding *e = NULL;
    char got[256];
    size_t o = 0;
    got[0] = 0;
    if(!hubtok_encode(tok, cases[i].text, strlen(cases[i].text), NULL, 0,
                      NULL, &e, &err)) {
      for(k = 0; k < e->n && o < sizeof(got) - 16; k++)
        o += (size_t)snprintf(got + o, sizeof(got) - o, "%s%u", k ? " " : "",
                              e->ids[k]);
      hubtok_encoding_free(e);
    }
    CHECK_STR(cases[i].text, got, cases[i].ids);
  }
  hubtok_tokenizer_free(tok);
}

/* Rust's WordPiece search, as written there: every shorter prefix
 * looked up in turn, in a plain strmap (the engine's vocabulary is
 * sealed: its filter answers most of these lookups). ids of the word
 * s[0..len), or the single unk. */
static size_t
ref_wordpiece(const hubtok__strmap *v, const char *prefix, const char *s,
              size_t len, uint32_t unk, uint32_t *ids, size_t cap)
{
  size_t start = 0, n = 0, pl = strlen(prefix);
  char key[512];

  while(start < len && n < cap) {
    size_t end = len;
    uint32_t id = 0;
    int found = 0;
    while(start < end) {
      size_t kl = 0;
      if(start) {
        memcpy(key, prefix, pl);
        kl = pl;
      }
      memcpy(key + kl, s + start, end - start);
      kl += end - start;
      if(hubtok__strmap_get(v, key, kl, &id)) {
        found = 1;
        break;
      }
      do
        end--;
      while(end > start && ((unsigned char)s[end] & 0xC0) == 0x80);
    }
    if(!found) {
      ids[0] = unk;
      return 1;
    }
    ids[n++] = id;
    start = end;
  }
  return n;
}

/* The engine's pieces against ref_wordpiece, on BERT's vocabulary (and
 * with a prefix no key starts with, and with an empty prefix): random
 * words of pieces that are in it, pieces that are not, and multi-byte
 * chars. */
static void
test_piece_search(const char *fixtures)
{
  static const char *const pieces[] = {
    "un", "play", "ing", "ed", "s", "a", "q", "x", "zz", "the", "tion",
    "##", "#", "\xC3\xA9", "\xC3\xBC", "\xE4\xB8\xAD", "\xE6\x96\x87",
    "\xF0\x9F\xA4\x97", "7", "42", "e\xCC\x81", "\xD0\xBF\xD1\x80",
    "\xCE\xB1", "ization", "pre", "k"
  };
  static const char *const heads[] = {
    /* prefix "##" */
    "\"continuing_subword_prefix\":\"##\"",
    /* a prefix no key starts with: every second piece fails */
    "\"continuing_subword_prefix\":\"@@@\"",
    /* no prefix: the rest of a word is looked up as it is */
    "\"continuing_subword_prefix\":\"\""
  };
  const size_t np = sizeof(pieces) / sizeof(pieces[0]);
  char path[1024], *file = NULL, *json = NULL;
  size_t flen = 0, h, i, same = 0, total = 0;
  cJSON *root = NULL, *vocab, *it;
  hubtok__strmap v;
  uint32_t x = 99, unk = 0;
  int bad = 0;
  hubtok_error ferr;

  snprintf(path, sizeof(path),
           "%s/tokenizers/google-bert--bert-base-uncased/tokenizer.json",
           fixtures);
  CHECK(hubtok__read_file(path, (size_t)16 << 20, &file, &flen, &ferr) ==
        HUBTOK_OK);
  if(!file)
    return;
  root = cJSON_Parse(file);
  vocab = root ? cJSON_GetObjectItem(cJSON_GetObjectItem(root, "model"),
                                     "vocab") : NULL;
  CHECK(vocab != NULL);
  hubtok__strmap_init(&v, 1 << 20);
  cJSON_ArrayForEach(it, vocab)
    bad += hubtok__strmap_put(&v, it->string, strlen(it->string),
                              (uint32_t)it->valuedouble, NULL, NULL) !=
           HUBTOK_OK;
  CHECK(bad == 0);
  CHECK(hubtok__strmap_get(&v, "[UNK]", 5, &unk));
  for(h = 0; vocab && h < sizeof(heads) / sizeof(heads[0]); h++) {
    char *vj = cJSON_PrintUnformatted(vocab);
    size_t cap = strlen(vj) + 1024;
    hubtok_tokenizer *tok = NULL;
    hubtok_error err;
    const char *prefix = h == 0 ? "##" : h == 1 ? "@@@" : "";
    json = malloc(cap);
    snprintf(json, cap,
             "{\"version\":\"1.0\",\"added_tokens\":[],\"normalizer\":null,"
             "\"pre_tokenizer\":{\"type\":\"WhitespaceSplit\"},"
             "\"post_processor\":null,\"decoder\":null,\"model\":{\"type\":"
             "\"WordPiece\",\"unk_token\":\"[UNK]\",%s,"
             "\"max_input_chars_per_word\":100,\"vocab\":%s}}", heads[h],
             vj);
    free(vj);
    CHECK(hubtok_tokenizer_from_json(json, strlen(json), &tok, &err) ==
          HUBTOK_OK);
    free(json);
    for(i = 0; tok && i < 3000; i++) {
      char word[256];
      uint32_t want[128];
      size_t wl = 0, n, k;
      hubtok_encoding *e = NULL;
      x = x * 1664525u + 1013904223u;
      n = 1 + (x >> 8) % 8;
      while(n--) {
        const char *pc;
        x = x * 1664525u + 1013904223u;
        pc = pieces[(x >> 8) % np];
        memcpy(word + wl, pc, strlen(pc));
        wl += strlen(pc);
      }
      word[wl] = 0;
      n = ref_wordpiece(&v, prefix, word, wl, unk, want, 128);
      total++;
      if(hubtok_encode(tok, word, wl, NULL, 0, NULL, &e, &err))
        continue;
      for(k = 0; k < n && e->n == n && e->ids[k] == want[k]; k++)
        ;
      same += e->n == n && k == n;
      if(!(e->n == n && k == n))
        fprintf(stderr, "piece search: \"%s\" differs\n", word);
      hubtok_encoding_free(e);
    }
    hubtok_tokenizer_free(tok);
  }
  printf("WordPiece: %zu/%zu words as Rust's prefix-by-prefix search\n",
         same, total);
  CHECK(same == total && total == 9000);
  hubtok__strmap_free(&v);
  cJSON_Delete(root);
  free(file);
}

int
main(int argc, char **argv)
{
  if(argc < 2) {
    fprintf(stderr, "usage: %s FIXTURES_DIR\n", argv[0]);
    return 2;
  }
  test_encode_cases();
  test_bert_pair_seq_ids();
  test_decode_cases();
  test_errors();
  test_longest_key();
  test_piece_search(argv[1]);
  test_convert(argv[1]);
  printf("test_wordpiece: %d checks, %d failures\n", checks, failures);
  return failures ? 1 : 0;
}
