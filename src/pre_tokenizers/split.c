/*
 * split.c: the Split pre-tokenizer (tokenizers/src/pre_tokenizers/
 * split.rs): split each piece on a String or Regex pattern with a
 * SplitDelimiterBehavior, optionally inverted (the pattern then marks
 * the pieces to keep rather than the delimiters).
 */
#include "pre_tokenizers/pre_tokenizer.h"
#include "util/json.h"

#include <stdlib.h>
#include <string.h>

typedef struct split {
  hubtok__pre_tokenizer base;
  hubtok__pattern pattern;
  hubtok__split_behavior behavior;
  int invert;
} split;

static hubtok_code
split_one(const void *ctx, size_t i, hubtok__nstr *ns, hubtok__pretok *out,
          hubtok_error *err)
{
  const split *sp = ctx;

  (void)i;
  return hubtok__nstr_split_pattern(ns, &sp->pattern, sp->invert,
                                    sp->behavior, out, err);
}

static hubtok_code
split_pre_tokenize(const hubtok__pre_tokenizer *p, hubtok__pretok *pt,
                   hubtok_error *err)
{
  return hubtok__pretok_split(pt, split_one, p, err);
}

static size_t
split_memory(const hubtok__pre_tokenizer *p)
{
  const split *sp = (const split *)p;
  return sizeof(*sp) + sp->pattern.len * (sp->pattern.is_regex ? 16 : 1);
}

static void
split_destroy(hubtok__pre_tokenizer *p)
{
  split *sp = (split *)p;

  hubtok__pattern_free(&sp->pattern);
  free(sp);
}

/* A plan's first step, when Isolated and not inverted. */
static int
split_plan(const hubtok__pre_tokenizer *p, hubtok__word_plan *io)
{
  const split *sp = (const split *)p;

  if(io->words || io->byte_level || sp->invert ||
     sp->behavior != HUBTOK__SPLIT_ISOLATED)
    return 0;
  io->words = hubtok__pattern_words;
  io->ctx = &sp->pattern;
  return 1;
}

static const hubtok__pre_tokenizer_ops split_ops = {
  split_pre_tokenize, split_memory, split_destroy, split_plan
};

/* "pattern": {"String": "..."} or {"Regex": "..."} */
static hubtok_code
pattern_from_json(const cJSON *j, const char *path, hubtok__pattern *pat,
                  hubtok_error *err)
{
  char p[HUBTOK__PATH_MAX];
  char sp[HUBTOK__PATH_MAX];
  const cJSON *v, *str, *re;
  const char *s;
  size_t len;
  hubtok_code rc;

  hubtok__json_path(p, path, "pattern");
  v = hubtok__json_get(j, "pattern");
  if(!v || !cJSON_IsObject(v) || cJSON_GetArraySize(v) != 1)
    return hubtok__json_bad(err, p, "expected {\"String\": ...} or "
                            "{\"Regex\": ...}");
  str = hubtok__json_get(v, "String");
  re = hubtok__json_get(v, "Regex");
  if(!str && !re)
    return hubtok__json_bad(err, p, "expected {\"String\": ...} or "
                            "{\"Regex\": ...}");
  hubtok__json_path(sp, p, str ? "String" : "Regex");
  rc = hubtok__json_as_str(str ? str : re, sp, &s, &len, err);
  if(rc)
    return rc;
  if(str)
    return hubtok__pattern_string(pat, s, len, err);
  return hubtok__pattern_regex(pat, s, len, sp, err);
}

hubtok_code
hubtok__split_pre_from_json(const cJSON *j, const char *path,
                            hubtok__pre_tokenizer **out, hubtok_error *err)
{
  char bp[HUBTOK__PATH_MAX];
  const char *bname;
  split *sp;
  hubtok__split_behavior b;
  int invert;
  hubtok_code rc;

  rc = hubtok__json_str(j, path, "behavior", 1, &bname, NULL, err);
  if(rc)
    return rc;
  if(!hubtok__split_behavior_parse(bname, &b)) {
    hubtok__json_path(bp, path, "behavior");
    return hubtok__set_error(err, HUBTOK_EUNSUPPORTED,
                             "%s: unknown split behavior '%.64s'", bp,
                             bname);
  }
  rc = hubtok__json_bool_req(j, path, "invert", &invert, err);
  if(rc)
    return rc;
  sp = calloc(1, sizeof(*sp));
  if(!sp)
    return hubtok__set_error(err, HUBTOK_ENOMEM, "out of memory");
  sp->base.ops = &split_ops;
  sp->behavior = b;
  sp->invert = invert;
  rc = pattern_from_json(j, path, &sp->pattern, err);
  if(rc) {
    free(sp);
    return rc;
  }
  *out = &sp->base;
  return HUBTOK_OK;
}
