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
  if(p->is_regex)
    return find_regex(p, s, len, out, err);
  return find_literal(p, s, len, out, err);
}
