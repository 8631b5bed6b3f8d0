/*
 * metaspace.c: the Metaspace pre-tokenizer (tokenizers/src/
 * pre_tokenizers/metaspace.rs): in every split, spaces become the
 * replacement char, the replacement is prepended per prepend_scheme
 * ("first": only to a split starting at offset 0 of the input), and the
 * split is cut before each replacement char (MergedWithNext) when
 * `split` is on. Also parses the options shared with the decoder.
 */
#include "pre_tokenizers/metaspace.h"
#include "pre_tokenizers/pre_tokenizer.h"
#include "util/json.h"
#include "util/utf8.h"

#include <stdlib.h>
#include <string.h>

typedef struct metaspace {
  hubtok__pre_tokenizer base;
  hubtok__metaspace_cfg cfg;
} metaspace;

hubtok_code
hubtok__metaspace_cfg_from_json(const cJSON *j, const char *path,
                                hubtok__metaspace_cfg *cfg,
                                hubtok_error *err)
{
  char p[HUBTOK__PATH_MAX];
  const cJSON *aps;
  const char *s;
  size_t len, cl;
  hubtok_code rc;

  memset(cfg, 0, sizeof(*cfg));
  rc = hubtok__json_str(j, path, "replacement", 1, &s, &len, err);
  if(rc)
    return rc;
  hubtok__json_path(p, path, "replacement");
  if(len == 0 || len > 4)
    return hubtok__json_bad(err, p, "expected a single character");
  cfg->rep_cp = hubtok__utf8_decode(s, len, &cl);
  if(cl != len)
    return hubtok__json_bad(err, p, "expected a single character");
  memcpy(cfg->rep, s, len);
  cfg->rep_len = len;
  cfg->scheme = HUBTOK__PREPEND_ALWAYS;
  rc = hubtok__json_str(j, path, "prepend_scheme", 0, &s, &len, err);
  if(rc)
    return rc;
  if(s) {
    hubtok__json_path(p, path, "prepend_scheme");
    if(!strcmp(s, "first"))
      cfg->scheme = HUBTOK__PREPEND_FIRST;
    else if(!strcmp(s, "never"))
      cfg->scheme = HUBTOK__PREPEND_NEVER;
    else if(!strcmp(s, "always"))
      cfg->scheme = HUBTOK__PREPEND_ALWAYS;
    else
      return hubtok__json_bad(err, p, "expected \"first\", \"never\" or "
                              "\"always\"");
  }
  aps = hubtok__json_get(j, "add_prefix_space");
  if(!hubtok__json_is_null(aps)) {
    hubtok__json_path(p, path, "add_prefix_space");
    if(!cJSON_IsBool(aps))
      return hubtok__json_bad(err, p, "expected a boolean");
    if(cJSON_IsFalse(aps)) {
      if(cfg->scheme != HUBTOK__PREPEND_NEVER)
        return hubtok__json_bad(err, p, "add_prefix_space does not match "
                                "declared prepend_scheme");
      cfg->scheme = HUBTOK__PREPEND_NEVER;
    }
  }
  return hubtok__json_bool(j, path, "split", 1, &cfg->split, err);
}

static int
is_rep(uint32_t cp, const void *ctx)
{
  return cp == ((const metaspace *)ctx)->cfg.rep_cp;
}

static hubtok_code
split_one(const void *ctx, size_t i, hubtok__nstr *ns, hubtok__pretok *out,
          hubtok_error *err)
{
  const metaspace *m = ctx;
  hubtok__span *sp = NULL;
  size_t n = 0, k;
  int starts;
  hubtok_code rc = HUBTOK_OK;

  (void)i;
  /* normalized.replace(' ', replacement) */
  for(k = 0; k < ns->len; k++)
    if(ns->s[k] == ' ')
      n++;
  if(n) {
    size_t o = 0;
    sp = malloc(n * sizeof(*sp));
    if(!sp)
      return hubtok__set_error(err, HUBTOK_ENOMEM, "out of memory");
    for(k = 0; k < ns->len; k++) {
      if(ns->s[k] == ' ') {
        sp[o].start = k;
        sp[o].end = k + 1;
        o++;
      }
    }
    rc = hubtok__nstr_replace(ns, sp, n, m->cfg.rep, m->cfg.rep_len);
    free(sp);
    if(rc)
      return hubtok__set_error(err, rc, "Metaspace: %s",
                               hubtok_strerror(rc));
  }
  starts = ns->len >= m->cfg.rep_len &&
           !memcmp(ns->s, m->cfg.rep, m->cfg.rep_len);
  if(!starts && (m->cfg.scheme == HUBTOK__PREPEND_ALWAYS ||
                 (m->cfg.scheme == HUBTOK__PREPEND_FIRST &&
                  ns->shift == 0))) {
    rc = hubtok__nstr_prepend(ns, m->cfg.rep, m->cfg.rep_len);
    if(rc)
      return hubtok__set_error(err, rc, "Metaspace: %s",
                               hubtok_strerror(rc));
  }
  if(m->cfg.split)
    return hubtok__nstr_split_chars(ns, is_rep, m,
                                    HUBTOK__SPLIT_MERGED_WITH_NEXT, out, err);
  rc = hubtok__pretok_push(out, ns, 0, 0);
  if(rc)
    return hubtok__set_error(err, rc, "Metaspace: %s", hubtok_strerror(rc));
  return HUBTOK_OK;
}

static hubtok_code
metaspace_pre_tokenize(const hubtok__pre_tokenizer *p, hubtok__pretok *pt,
                       hubtok_error *err)
{
  return hubtok__pretok_split(pt, split_one, p, err);
}

static size_t
metaspace_memory(const hubtok__pre_tokenizer *p)
{
  (void)p;
  return sizeof(metaspace);
}

static void
metaspace_destroy(hubtok__pre_tokenizer *p)
{
  free(p);
}

/* A plan's step after WhitespaceSplit alone: its words have no space
 * left to replace, so the step prepends the replacement (scheme always;
 * "first" depends on where a word sits in the input: no plan) and, with
 * split, cuts them before each replacement char. */
static int
metaspace_plan(const hubtok__pre_tokenizer *p, hubtok__word_plan *io)
{
  const metaspace *m = (const metaspace *)p;

  if(io->words != hubtok__whitespace_words || io->ctx || io->byte_level ||
     io->prefix || m->cfg.scheme == HUBTOK__PREPEND_FIRST)
    return 0;
  if(m->cfg.split)
    io->ctx = &m->cfg.rep_cp;
  if(m->cfg.scheme == HUBTOK__PREPEND_ALWAYS) {
    io->prefix = m->cfg.rep;
    io->prefix_len = m->cfg.rep_len;
  }
  return 1;
}

static const hubtok__pre_tokenizer_ops metaspace_ops = {
  metaspace_pre_tokenize, metaspace_memory, metaspace_destroy,
  metaspace_plan
};

hubtok_code
hubtok__metaspace_pre_from_json(const cJSON *j, const char *path,
                                hubtok__pre_tokenizer **out,
                                hubtok_error *err)
{
  metaspace *m;
  hubtok_code rc;

  *out = NULL;
  m = calloc(1, sizeof(*m));
  if(!m)
    return hubtok__set_error(err, HUBTOK_ENOMEM, "out of memory");
  m->base.ops = &metaspace_ops;
  rc = hubtok__metaspace_cfg_from_json(j, path, &m->cfg, err);
  if(rc) {
    free(m);
    return rc;
  }
  *out = &m->base;
  return HUBTOK_OK;
}
