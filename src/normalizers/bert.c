/*
 * bert.c: the BertNormalizer (tokenizers/src/normalizers/bert.rs), in
 * its order: clean_text (drop U+0000, U+FFFD and control chars, turn
 * whitespace into ' '), handle_chinese_chars (a space on each side of
 * every CJK ideograph: the first space takes the ideograph's place, the
 * ideograph and the second space are insertions), strip_accents (NFD,
 * then drop Mn chars; null means "same as lowercase"), lowercase.
 *
 * "Control" and "Mn" are those of the unicode_categories crate
 * (util/unicode.c); the CJK ranges are the ones bert.rs lists.
 */
#include "normalizers/normalizer.h"
#include "util/json.h"
#include "util/unicode.h"
#include "util/utf8.h"

#include <stdlib.h>
#include <string.h>

typedef struct bert {
  hubtok__normalizer base;
  int clean_text;
  int chinese;
  int strip_accents;
  int lowercase;
} bert;

/* bert.rs is_whitespace: \t \n \r and char::is_whitespace. */
static int
bert_is_whitespace(uint32_t cp)
{
  return cp == '\t' || cp == '\n' || cp == '\r' ||
         hubtok__uni_is_whitespace(cp);
}

/* bert.rs is_control: is_other() except \t \n \r. */
static int
bert_is_control(uint32_t cp)
{
  if(cp == '\t' || cp == '\n' || cp == '\r')
    return 0;
  return hubtok__uni_is_other(cp);
}

/* bert.rs is_chinese_char: the CJK Unified Ideographs blocks it lists. */
static int
is_chinese(uint32_t cp)
{
  return (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0x3400 && cp <= 0x4DBF) ||
         (cp >= 0x20000 && cp <= 0x2A6DF) ||
         (cp >= 0x2A700 && cp <= 0x2B73F) ||
         (cp >= 0x2B740 && cp <= 0x2B81F) ||
         (cp >= 0x2B920 && cp <= 0x2CEAF) ||
         (cp >= 0xF900 && cp <= 0xFAFF) ||
         (cp >= 0x2F800 && cp <= 0x2FA1F);
}

static int
keep_clean(uint32_t cp, const void *ctx)
{
  (void)ctx;
  return !(cp == 0 || cp == 0xFFFD || bert_is_control(cp));
}

static uint32_t
map_space(uint32_t cp, const void *ctx)
{
  (void)ctx;
  return bert_is_whitespace(cp) ? ' ' : cp;
}

static int
not_mn(uint32_t cp, const void *ctx)
{
  (void)ctx;
  return !hubtok__uni_is_mark_nonspacing(cp);
}

static hubtok_code
chinese_chars(hubtok__nstr *ns)
{
  hubtok__tchars t;
  hubtok_code rc = HUBTOK_OK;
  size_t i = 0, clen;

  /* no ideograph (CJK starts at U+3400, 3 bytes): nothing to do */
  if(hubtok__nstr_covers_whole(ns)) {
    for(i = 0; i < ns->len; i += clen)
      if(is_chinese(hubtok__utf8_decode(ns->s + i, ns->len - i, &clen)))
        break;
    if(i >= ns->len)
      return HUBTOK_OK;
    i = 0;
  }
  memset(&t, 0, sizeof(t));
  while(i < ns->len && !rc) {
    uint32_t cp = hubtok__utf8_decode(ns->s + i, ns->len - i, &clen);
    i += clen;
    if(is_chinese(cp)) {
      rc = hubtok__tchars_push(&t, ' ', 0);
      if(!rc)
        rc = hubtok__tchars_push(&t, cp, 1);
      if(!rc)
        rc = hubtok__tchars_push(&t, ' ', 1);
    }
    else {
      rc = hubtok__tchars_push(&t, cp, 0);
    }
  }
  if(!rc)
    rc = hubtok__nstr_transform(ns, t.v, t.n, 0);
  hubtok__tchars_free(&t);
  return rc;
}

/* The whole normalizer in one pass for ASCII text with no control char
 * but \t \n \r (so clean_text removes nothing): whitespace becomes
 * ' ', letters are lowercased, and nothing else applies (no ideographs,
 * NFD leaves ASCII alone, no Mn). Every char keeps its length, so the
 * alignments stay (hubtok__nstr_covers_whole). Returns 0 when the text
 * does not qualify and nothing was changed. */
static int
ascii_fast(const bert *b, hubtok__nstr *ns)
{
  size_t i;

  for(i = 0; i < ns->len; i++) {
    unsigned char c = (unsigned char)ns->s[i];
    if(c >= 0x80 || c == 0x7F ||
       (c < 0x20 && c != '\t' && c != '\n' && c != '\r'))
      return 0;
  }
  if(!hubtok__nstr_covers_whole(ns))
    return 0;
  for(i = 0; i < ns->len; i++) {
    char c = ns->s[i];
    if(b->clean_text && (c == '\t' || c == '\n' || c == '\r'))
      ns->s[i] = ' ';
    else if(b->lowercase && c >= 'A' && c <= 'Z')
      ns->s[i] = (char)(c + 32);
  }
  return 1;
}

static hubtok_code
bert_normalize(const hubtok__normalizer *n, hubtok__nstr *ns,
               hubtok_error *err)
{
  const bert *b = (const bert *)n;
  hubtok_code rc = HUBTOK_OK;

  if(ns->len && ascii_fast(b, ns))
    return HUBTOK_OK;

  if(b->clean_text) {
    rc = hubtok__nstr_filter(ns, keep_clean, NULL);
    if(!rc)
      rc = hubtok__nstr_map(ns, map_space, NULL);
  }
  if(!rc && b->chinese)
    rc = chinese_chars(ns);
  if(!rc && b->strip_accents) {
    rc = hubtok__nstr_nf(ns, HUBTOK__NFD);
    if(!rc)
      rc = hubtok__nstr_filter(ns, not_mn, NULL);
  }
  if(!rc && b->lowercase)
    rc = hubtok__nstr_lowercase(ns);
  if(rc)
    return hubtok__set_error(err, rc, "BertNormalizer: %s",
                             hubtok_strerror(rc));
  return HUBTOK_OK;
}

static size_t
bert_memory(const hubtok__normalizer *n)
{
  (void)n;
  return sizeof(bert);
}

static void
bert_destroy(hubtok__normalizer *n)
{
  free(n);
}

static const hubtok__normalizer_ops bert_ops = {
  bert_normalize, bert_memory, bert_destroy
};

static hubtok_code
need_bool(const cJSON *j, const char *path, const char *key, int *out,
          hubtok_error *err)
{
  char p[HUBTOK__PATH_MAX];

  if(hubtok__json_is_null(hubtok__json_get(j, key))) {
    hubtok__json_path(p, path, key);
    return hubtok__json_bad(err, p, "missing field");
  }
  return hubtok__json_bool(j, path, key, 0, out, err);
}

hubtok_code
hubtok__bert_normalizer_from_json(const cJSON *j, const char *path,
                                  hubtok__normalizer **out,
                                  hubtok_error *err)
{
  int clean, chinese, lower, strip = -1;
  bert *b;
  hubtok_code rc;

  rc = need_bool(j, path, "clean_text", &clean, err);
  if(!rc)
    rc = need_bool(j, path, "handle_chinese_chars", &chinese, err);
  if(!rc)
    rc = need_bool(j, path, "lowercase", &lower, err);
  if(!rc && !hubtok__json_is_null(hubtok__json_get(j, "strip_accents")))
    rc = hubtok__json_bool(j, path, "strip_accents", 0, &strip, err);
  if(rc)
    return rc;
  b = calloc(1, sizeof(*b));
  if(!b)
    return hubtok__set_error(err, HUBTOK_ENOMEM, "out of memory");
  b->base.ops = &bert_ops;
  b->clean_text = clean;
  b->chinese = chinese;
  b->lowercase = lower;
  b->strip_accents = strip < 0 ? lower : strip;
  *out = &b->base;
  return HUBTOK_OK;
}
