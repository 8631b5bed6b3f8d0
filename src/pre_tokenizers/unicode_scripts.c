/*
 * unicode_scripts.c: the UnicodeScripts pre-tokenizer (tokenizers/src/
 * pre_tokenizers/unicode_scripts/pre_tokenizer.rs): a piece is cut where
 * the script of the chars changes. Hiragana, Katakana and U+30FC count
 * as Han; ' ' and chars of no listed script are "Any", which never
 * starts a piece and does not change the current script (so text before
 * the first scripted char is dropped, as in Rust).
 *
 * Rust's get_script() (unicode_scripts/scripts.rs) is a Unicode 9.0
 * Scripts.txt table. Here: chars not assigned in Unicode 9.0 are Any
 * (hubtok__uni_assigned_9, util/unicode.c); the others get their script
 * from Oniguruma's
 * Unicode data, except the four whose Script value changed after 9.0.
 * Over all code points this equals Rust's table.
 */
#include "pre_tokenizers/pre_tokenizer.h"
#include "util/json.h"
#include "util/unicode.h"
#include "util/utf8.h"

#include <oniguruma.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

/* The Script enum of scripts.rs (Any excluded), as Oniguruma names. */
static const char *const SCRIPTS[] = {
  "Adlam", "Ahom", "Anatolian_Hieroglyphs", "Arabic", "Armenian",
  "Avestan", "Balinese", "Bamum", "Bassa_Vah", "Batak", "Bengali",
  "Bhaiksuki", "Bopomofo", "Brahmi", "Braille", "Buginese", "Buhid",
  "Canadian_Aboriginal", "Carian", "Caucasian_Albanian", "Chakma", "Cham",
  "Cherokee", "Common", "Coptic", "Cuneiform", "Cypriot", "Cyrillic",
  "Deseret", "Devanagari", "Duployan", "Egyptian_Hieroglyphs", "Elbasan",
  "Ethiopic", "Georgian", "Glagolitic", "Gothic", "Grantha", "Greek",
  "Gujarati", "Gurmukhi", "Han", "Hangul", "Hanunoo", "Hatran", "Hebrew",
  "Hiragana", "Imperial_Aramaic", "Inherited", "Inscriptional_Pahlavi",
  "Inscriptional_Parthian", "Javanese", "Kaithi", "Kannada", "Katakana",
  "Kayah_Li", "Kharoshthi", "Khmer", "Khojki", "Khudawadi", "Lao", "Latin",
  "Lepcha", "Limbu", "Linear_A", "Linear_B", "Lisu", "Lycian", "Lydian",
  "Mahajani", "Malayalam", "Mandaic", "Manichaean", "Marchen",
  "Meetei_Mayek", "Mende_Kikakui", "Meroitic_Cursive",
  "Meroitic_Hieroglyphs", "Miao", "Modi", "Mongolian", "Mro", "Multani",
  "Myanmar", "Nabataean", "New_Tai_Lue", "Newa", "Nko", "Ogham",
  "Ol_Chiki", "Old_Hungarian", "Old_Italic", "Old_North_Arabian",
  "Old_Permic", "Old_Persian", "Old_South_Arabian", "Old_Turkic", "Oriya",
  "Osage", "Osmanya", "Pahawh_Hmong", "Palmyrene", "Pau_Cin_Hau",
  "Phags_Pa", "Phoenician", "Psalter_Pahlavi", "Rejang", "Runic",
  "Samaritan", "Saurashtra", "Sharada", "Shavian", "Siddham",
  "SignWriting", "Sinhala", "Sora_Sompeng", "Sundanese", "Syloti_Nagri",
  "Syriac", "Tagalog", "Tagbanwa", "Tai_Le", "Tai_Tham", "Tai_Viet",
  "Takri", "Tamil", "Tangut", "Telugu", "Thaana", "Thai", "Tibetan",
  "Tifinagh", "Tirhuta", "Ugaritic", "Vai", "Warang_Citi", "Yi"
};
#define N_SCRIPTS (sizeof(SCRIPTS) / sizeof(SCRIPTS[0]))

#define ANY (-1)

typedef struct srange {
  uint32_t lo;
  uint32_t hi;
  int script;
} srange;

/* The sorted code point ranges of all scripts and the indexes of Han,
 * Hiragana and Katakana, built once (read-only after). */
static pthread_once_t table_once = PTHREAD_ONCE_INIT;
static srange *table;
static size_t table_n;
static hubtok_code table_rc;
static int han_idx, hira_idx, kata_idx, common_idx, deva_idx;

static int script_index(const char *name);

static int
cmp_range(const void *a, const void *b)
{
  const srange *x = a, *y = b;
  return x->lo < y->lo ? -1 : x->lo > y->lo;
}

static void
build_table(void)
{
  OnigEncoding enc = ONIG_ENCODING_UTF8;
  size_t cap = 0, i;

  table_rc = HUBTOK_OK;
  han_idx = script_index("Han");
  hira_idx = script_index("Hiragana");
  kata_idx = script_index("Katakana");
  common_idx = script_index("Common");
  deva_idx = script_index("Devanagari");
  for(i = 0; i < N_SCRIPTS; i++) {
    const OnigCodePoint *r;
    OnigCodePoint sb;
    OnigUChar *name = (OnigUChar *)SCRIPTS[i];
    int ct = enc->property_name_to_ctype(enc, name,
                                         name + strlen(SCRIPTS[i]));
    OnigCodePoint k, n;
    if(ct < 0 || enc->get_ctype_code_range((OnigCtype)ct, &sb, &r) != 0) {
      table_rc = HUBTOK_EUNSUPPORTED;
      break;
    }
    n = r[0];
    for(k = 0; k < n; k++) {
      if(table_n == cap) {
        size_t ncap = cap ? cap * 2 : 1024;
        srange *nt = realloc(table, ncap * sizeof(*nt));
        if(!nt) {
          table_rc = HUBTOK_ENOMEM;
          break;
        }
        table = nt;
        cap = ncap;
      }
      table[table_n].lo = r[1 + 2 * k];
      table[table_n].hi = r[2 + 2 * k];
      table[table_n].script = (int)i;
      table_n++;
    }
    if(table_rc)
      break;
  }
  if(table_rc) {
    free(table);
    table = NULL;
    table_n = 0;
    return;
  }
  qsort(table, table_n, sizeof(*table), cmp_range);
}

static int
script_index(const char *name)
{
  size_t i;

  for(i = 0; i < N_SCRIPTS; i++) {
    if(!strcmp(SCRIPTS[i], name))
      return (int)i;
  }
  return ANY;
}

static int
raw_script(uint32_t cp)
{
  size_t lo = 0, hi = table_n;

  if(!hubtok__uni_assigned_9(cp))
    return ANY;
  /* Script values changed since Unicode 9.0 */
  if(cp == 0x589 || cp == 0x61C)
    return common_idx;
  if(cp == 0x953 || cp == 0x954)
    return deva_idx;

  while(lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if(cp < table[mid].lo)
      hi = mid;
    else if(cp > table[mid].hi)
      lo = mid + 1;
    else
      return table[mid].script;
  }
  return ANY;
}

/* fixed_script() of pre_tokenizer.rs */
static int
fixed_script(uint32_t cp)
{
  int s;

  if(cp == 0x30FC)
    return han_idx;
  if(cp == ' ')
    return ANY;
  s = raw_script(cp);
  return s == hira_idx || s == kata_idx ? han_idx : s;
}

static hubtok_code
split_one(const void *ctx, size_t i, hubtok__nstr *ns, hubtok__pretok *out,
          hubtok_error *err)
{
  size_t pos = 0, start = 0, clen;
  int have_last = 0, last = ANY, have_start = 0;
  hubtok_code rc = HUBTOK_OK;

  (void)ctx;
  (void)i;
  while(pos <= ns->len && !rc) {
    int cut = 0, s = ANY;
    if(pos < ns->len) {
      uint32_t cp = hubtok__utf8_decode(ns->s + pos, ns->len - pos, &clen);
      s = fixed_script(cp);
      cut = s != ANY && !(have_last && last == ANY) &&
            !(have_last && last == s);
      if(s != ANY) {
        last = s;
        have_last = 1;
      }
    }
    else {
      cut = 1; /* the final boundary */
      clen = 1;
    }
    if(cut) {
      if(have_start) {
        hubtok__nstr piece;
        rc = hubtok__nstr_slice(ns, start, pos, &piece);
        if(!rc)
          rc = hubtok__pretok_push(out, &piece, 0, 0);
      }
      start = pos;
      have_start = 1;
    }
    pos += clen;
  }
  if(rc)
    return hubtok__set_error(err, rc, "UnicodeScripts: %s",
                             hubtok_strerror(rc));
  return HUBTOK_OK;
}

static hubtok_code
us_pre_tokenize(const hubtok__pre_tokenizer *p, hubtok__pretok *pt,
                hubtok_error *err)
{
  return hubtok__pretok_split(pt, split_one, p, err);
}

static size_t
us_memory(const hubtok__pre_tokenizer *p)
{
  (void)p;
  return sizeof(hubtok__pre_tokenizer);
}

static void
us_destroy(hubtok__pre_tokenizer *p)
{
  free(p);
}

static const hubtok__pre_tokenizer_ops us_ops = {
  us_pre_tokenize, us_memory, us_destroy, NULL
};

hubtok_code
hubtok__unicode_scripts_from_json(const cJSON *j, const char *path,
                                  hubtok__pre_tokenizer **out,
                                  hubtok_error *err)
{
  hubtok__pre_tokenizer *p;

  (void)j;
  pthread_once(&table_once, build_table);
  if(table_rc)
    return hubtok__set_error(err, table_rc, "%s: UnicodeScripts: no "
                             "Unicode script data in Oniguruma", path);
  p = calloc(1, sizeof(*p));
  if(!p)
    return hubtok__set_error(err, HUBTOK_ENOMEM, "out of memory");
  p->ops = &us_ops;
  *out = p;
  return HUBTOK_OK;
}
