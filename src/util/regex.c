/*
 * regex.c: literal and Oniguruma patterns with the match iteration of
 * the Rust tokenizers crate (see regex.h).
 */
#define _GNU_SOURCE /* memmem */
#include "util/regex.h"
#include "util/regex_unicode.h"
#include "util/utf8.h"

#include <oniguruma.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

/* Oniguruma must be initialised once per process before onig_new. */
static pthread_once_t onig_once = PTHREAD_ONCE_INIT;
static int onig_init_rc;

static void
onig_init_once(void)
{
  OnigEncoding encs[1];

  encs[0] = ONIG_ENCODING_UTF8;
  onig_init_rc = onig_initialize(encs, 1);
}

hubtok_code
hubtok__spans_push(hubtok__spans *v, size_t start, size_t end)
{
  if(v->n == v->cap) {
    size_t ncap = v->cap ? v->cap * 2 : 16;
    hubtok__span *nv = realloc(v->v, ncap * sizeof(*nv));
    if(!nv)
      return HUBTOK_ENOMEM;
    v->v = nv;
    v->cap = ncap;
  }
  v->v[v->n].start = start;
  v->v[v->n].end = end;
  v->n++;
  return HUBTOK_OK;
}

void
hubtok__spans_free(hubtok__spans *v)
{
  free(v->v);
  v->v = NULL;
  v->n = 0;
  v->cap = 0;
}

static hubtok_code
copy_text(hubtok__pattern *p, const char *s, size_t len, hubtok_error *err)
{
  p->text = malloc(len + 1);
  if(!p->text)
    return hubtok__set_error(err, HUBTOK_ENOMEM, "out of memory");
  if(len)
    memcpy(p->text, s, len);
  p->text[len] = 0;
  p->len = len;
  return HUBTOK_OK;
}

hubtok_code
hubtok__pattern_string(hubtok__pattern *p, const char *s, size_t len,
                       hubtok_error *err)
{
  memset(p, 0, sizeof(*p));
  return copy_text(p, s, len, err);
}

/* The regex of tokenizers/src/pre_tokenizers/byte_level.rs, also found
 * verbatim in Split pre-tokenizers. */
static const char gpt2_source[] =
  "'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+"
  "|\\s+(?!\\S)|\\s+";

hubtok_code
hubtok__pattern_regex(hubtok__pattern *p, const char *s, size_t len,
                      const char *path, hubtok_error *err)
{
  OnigErrorInfo einfo;
  regex_t *re = NULL;
  char *src;
  size_t src_len;
  hubtok_code rc;
  int r;

  memset(p, 0, sizeof(*p));
  pthread_once(&onig_once, onig_init_once);
  if(onig_init_rc != ONIG_NORMAL)
    return hubtok__set_error(err, HUBTOK_ENOMEM,
                             "cannot initialise Oniguruma");
  rc = copy_text(p, s, len, err);
  if(rc)
    return rc;
  /* compile with the Unicode tables of the Rust onig crate */
  rc = hubtok__regex_unicode_rewrite(s, len, &src, &src_len);
  if(rc) {
    free(p->text);
    p->text = NULL;
    return hubtok__set_error(err, rc, "%s: regex: %s", path,
                             hubtok_strerror(rc));
  }
  r = onig_new(&re, (const OnigUChar *)src,
               (const OnigUChar *)src + src_len, ONIG_OPTION_NONE,
               ONIG_ENCODING_UTF8, ONIG_SYNTAX_DEFAULT, &einfo);
  free(src);
  if(r != ONIG_NORMAL) {
    OnigUChar msg[ONIG_MAX_ERROR_MESSAGE_LEN];
    onig_error_code_to_str(msg, r, &einfo);
    free(p->text);
    p->text = NULL;
    return hubtok__set_error(err, HUBTOK_ETOKENIZER,
                             "%s: invalid regex: %s", path, (char *)msg);
  }
  p->re = re;
  p->is_regex = 1;
  if(len == sizeof(gpt2_source) - 1 && !memcmp(s, gpt2_source, len))
    p->scanner = HUBTOK__SCAN_GPT2;
  return HUBTOK_OK;
}

void
hubtok__pattern_free(hubtok__pattern *p)
{
  if(!p)
    return;
  if(p->re)
    onig_free((regex_t *)p->re);
  free(p->text);
  memset(p, 0, sizeof(*p));
}

static size_t
next_char_len(const char *s, size_t len, size_t at)
{
  size_t n;

  if(at >= len)
    return 1;
  n = hubtok__utf8_len((unsigned char)s[at]);
  return n ? n : 1;
}

/* The onig crate's FindMatches iterator. */
static hubtok_code
find_regex(const hubtok__pattern *p, const char *s, size_t len,
           hubtok__spans *out, hubtok_error *err)
{
  const OnigUChar *str = (const OnigUChar *)s;
  const OnigUChar *end = str + len;
  OnigRegion *region;
  size_t last_end = 0;
  int skip_next_empty = 0;
  hubtok_code rc = HUBTOK_OK;

  region = onig_region_new();
  if(!region)
    return hubtok__set_error(err, HUBTOK_ENOMEM, "out of memory");
  while(last_end <= len) {
    int r;
    size_t ms, me;
    onig_region_clear(region);
    r = onig_search((regex_t *)p->re, str, end, str + last_end, end,
                    region, ONIG_OPTION_NONE);
    if(r == ONIG_MISMATCH)
      break;
    if(r < 0) {
      rc = hubtok__set_error(err, HUBTOK_EINVAL,
                             "regex search failed (%d)", r);
      break;
    }
    ms = (size_t)region->beg[0];
    me = (size_t)region->end[0];
    last_end = me;
    if(ms == me) {
      last_end += next_char_len(s, len, last_end);
      if(skip_next_empty) {
        skip_next_empty = 0;
        continue;
      }
    }
    else {
      skip_next_empty = 1;
    }
    if(hubtok__spans_push(out, ms, me)) {
      rc = hubtok__set_error(err, HUBTOK_ENOMEM, "out of memory");
      break;
    }
  }
  onig_region_free(region, 1);
  return rc;
}

/* ---- the GPT-2 scanner ------------------------------------------------
 * 's|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+
 * |\s+(?!\S)|\s+
 * Every char is whitespace, a letter, a number or something else, so
 * some alternative matches at every position: the matches tile the text
 * and each search starts where the last match ended. At a position the
 * first alternative that matches wins (Oniguruma's leftmost-first order):
 * a contraction; an optional ' ' and a run of one class when a non-space
 * follows it; otherwise a run of whitespace, less its last char when a
 * non-space follows the run and the run has more than one char. */

enum { CL_OTHER, CL_L, CL_N, CL_WS };

/* \s of Oniguruma: the White_Space property (stable since Unicode 6.3). */
static int
is_space_cp(uint32_t cp)
{
  if(cp < 0x80)
    return (cp >= 0x09 && cp <= 0x0D) || cp == 0x20;
  return cp == 0x85 || cp == 0xA0 || cp == 0x1680 ||
         (cp >= 0x2000 && cp <= 0x200A) || cp == 0x2028 || cp == 0x2029 ||
         cp == 0x202F || cp == 0x205F || cp == 0x3000;
}

/* Class of the (valid UTF-8) char at s[i], and its length. */
static int
char_class(const char *s, size_t len, size_t i, size_t *clen)
{
  unsigned char c = (unsigned char)s[i];
  uint32_t cp;

  /* ASCII: letters, digits, then \t \n \v \f \r and space */
  static const unsigned char ascii[128] = {
    ['A'] = CL_L, ['B'] = CL_L, ['C'] = CL_L, ['D'] = CL_L, ['E'] = CL_L,
    ['F'] = CL_L, ['G'] = CL_L, ['H'] = CL_L, ['I'] = CL_L, ['J'] = CL_L,
    ['K'] = CL_L, ['L'] = CL_L, ['M'] = CL_L, ['N'] = CL_L, ['O'] = CL_L,
    ['P'] = CL_L, ['Q'] = CL_L, ['R'] = CL_L, ['S'] = CL_L, ['T'] = CL_L,
    ['U'] = CL_L, ['V'] = CL_L, ['W'] = CL_L, ['X'] = CL_L, ['Y'] = CL_L,
    ['Z'] = CL_L, ['a'] = CL_L, ['b'] = CL_L, ['c'] = CL_L, ['d'] = CL_L,
    ['e'] = CL_L, ['f'] = CL_L, ['g'] = CL_L, ['h'] = CL_L, ['i'] = CL_L,
    ['j'] = CL_L, ['k'] = CL_L, ['l'] = CL_L, ['m'] = CL_L, ['n'] = CL_L,
    ['o'] = CL_L, ['p'] = CL_L, ['q'] = CL_L, ['r'] = CL_L, ['s'] = CL_L,
    ['t'] = CL_L, ['u'] = CL_L, ['v'] = CL_L, ['w'] = CL_L, ['x'] = CL_L,
    ['y'] = CL_L, ['z'] = CL_L, ['0'] = CL_N, ['1'] = CL_N, ['2'] = CL_N,
    ['3'] = CL_N, ['4'] = CL_N, ['5'] = CL_N, ['6'] = CL_N, ['7'] = CL_N,
    ['8'] = CL_N, ['9'] = CL_N, ['\t'] = CL_WS, ['\n'] = CL_WS,
    ['\v'] = CL_WS, ['\f'] = CL_WS, ['\r'] = CL_WS, [' '] = CL_WS
  };

  if(c < 0x80) {
    *clen = 1;
    return ascii[c];
  }
  cp = hubtok__utf8_decode(s + i, len - i, clen);
  if(is_space_cp(cp))
    return CL_WS;
  switch(hubtok__uni_ln(cp)) {
  case HUBTOK__UNI_L:
    return CL_L;
  case HUBTOK__UNI_N:
    return CL_N;
  default:
    return CL_OTHER;
  }
}

/* End of the run of class cl starting at i. */
static size_t
run_end(const char *s, size_t len, size_t i, int cl)
{
  while(i < len) {
    size_t n;
    if(char_class(s, len, i, &n) != cl)
      break;
    i += n;
  }
  return i;
}

/* End of the match starting at i (< len). */
static size_t
gpt2_match(const char *s, size_t len, size_t i)
{
  size_t n, last, j;
  int cl;

  if(s[i] == '\'' && i + 1 < len) {
    char a = s[i + 1];
    if(a == 's' || a == 't' || a == 'm' || a == 'd')
      return i + 2;
    if(i + 2 < len && ((a == 'r' && s[i + 2] == 'e') ||
                       (a == 'v' && s[i + 2] == 'e') ||
                       (a == 'l' && s[i + 2] == 'l')))
      return i + 3;
  }
  cl = char_class(s, len, i, &n);
  if(s[i] == ' ' && i + 1 < len) {
    size_t n2;
    int cl2 = char_class(s, len, i + 1, &n2);
    if(cl2 != CL_WS)
      return run_end(s, len, i + 1 + n2, cl2);
  }
  if(cl != CL_WS)
    return run_end(s, len, i + n, cl);
  /* \s+(?!\S) backs off one char before a non-space; \s+ when that
   * leaves nothing */
  last = i;
  j = i + n;
  while(j < len) {
    size_t m;
    if(char_class(s, len, j, &m) != CL_WS)
      break;
    last = j;
    j += m;
  }
  if(j == len || last == i)
    return j;
  return last;
}

static hubtok_code
find_gpt2(const char *s, size_t len, hubtok__spans *out, hubtok_error *err)
{
  size_t i = 0;

  while(i < len) {
    size_t e = gpt2_match(s, len, i);
    if(hubtok__spans_push(out, i, e))
      return hubtok__set_error(err, HUBTOK_ENOMEM, "out of memory");
    i = e;
  }
  return HUBTOK_OK;
}

/* A literal searched as the escaped regex would be: leftmost,
 * non-overlapping; the empty literal matches at every char boundary. */
static hubtok_code
find_literal(const hubtok__pattern *p, const char *s, size_t len,
             hubtok__spans *out, hubtok_error *err)
{
  size_t i = 0;

  if(p->len == 0) {
    for(;;) {
      if(hubtok__spans_push(out, i, i))
        return hubtok__set_error(err, HUBTOK_ENOMEM, "out of memory");
      if(i >= len)
        break;
      i += next_char_len(s, len, i);
    }
    return HUBTOK_OK;
  }
  while(i + p->len <= len) {
    const char *hit = memmem(s + i, len - i, p->text, p->len);
    size_t at;
    if(!hit)
      break;
    at = (size_t)(hit - s);
    if(hubtok__spans_push(out, at, at + p->len))
      return hubtok__set_error(err, HUBTOK_ENOMEM, "out of memory");
    i = at + p->len;
  }
  return HUBTOK_OK;
}

hubtok_code
hubtok__pattern_find(const hubtok__pattern *p, const char *s, size_t len,
                     hubtok__spans *out, hubtok_error *err)
{
  /* pattern.rs: an empty haystack never matches */
  if(len == 0)
    return HUBTOK_OK;
  /* the scanners assume valid UTF-8; Oniguruma copes with the rest */
  if(p->is_regex && p->scanner == HUBTOK__SCAN_GPT2 &&
     hubtok__utf8_valid(s, len))
    return find_gpt2(s, len, out, err);
  if(p->is_regex)
    return find_regex(p, s, len, out, err);
  return find_literal(p, s, len, out, err);
}
