/*
 * byte_level.c: the ByteLevel pre-tokenizer (tokenizers/src/
 * pre_tokenizers/byte_level.rs): optionally prepend a space to each
 * piece, optionally split it with the GPT-2 regex (Isolated), then map
 * every byte to its printable char.
 */
#include "pre_tokenizers/pre_tokenizer.h"
#include "util/byte_level.h"
#include "util/json.h"

#include <stdlib.h>
#include <string.h>

/* The regex of byte_level.rs (RE). */
static const char gpt2_re[] =
  "'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+"
  "|\\s+(?!\\S)|\\s+";

typedef struct byte_level {
  hubtok__pre_tokenizer base;
  int add_prefix_space;
  int use_regex;
  hubtok__pattern re;
} byte_level;

static hubtok_code
bl_split(const void *ctx, size_t i, hubtok__nstr *ns, hubtok__pretok *out,
         hubtok_error *err)
{
  const byte_level *b = ctx;
  hubtok_code rc;

  (void)i;
  if(b->add_prefix_space && (ns->len == 0 || ns->s[0] != ' ')) {
    rc = hubtok__nstr_prepend(ns, " ", 1);
    if(rc)
      return hubtok__set_error(err, rc, "ByteLevel: %s",
                               hubtok_strerror(rc));
  }
  if(b->use_regex)
    return hubtok__nstr_split_pattern(ns, &b->re, 0,
                                      HUBTOK__SPLIT_ISOLATED, out, err);
  rc = hubtok__pretok_push(out, ns, 0, 0);
  if(rc)
    return hubtok__set_error(err, rc, "ByteLevel: %s", hubtok_strerror(rc));
  return HUBTOK_OK;
}

static hubtok_code
bl_normalize(const void *ctx, hubtok__nstr *ns, hubtok_error *err)
{
  hubtok_code rc;

  (void)ctx;
  rc = hubtok__byte_level_transform(ns);
  if(rc)
    return hubtok__set_error(err, rc, "ByteLevel: %s", hubtok_strerror(rc));
  return HUBTOK_OK;
}

static hubtok_code
bl_pre_tokenize(const hubtok__pre_tokenizer *p, hubtok__pretok *pt,
                hubtok_error *err)
{
  hubtok_code rc;

  rc = hubtok__pretok_split(pt, bl_split, p, err);
  if(rc)
    return rc;
  return hubtok__pretok_normalize(pt, bl_normalize, p, err);
}

static size_t
bl_memory(const hubtok__pre_tokenizer *p)
{
  const byte_level *b = (const byte_level *)p;
  return sizeof(*b) + (b->use_regex ? sizeof(gpt2_re) * 16 : 0);
}

static void
bl_destroy(hubtok__pre_tokenizer *p)
{
  byte_level *b = (byte_level *)p;

  hubtok__pattern_free(&b->re);
  free(b);
}

/* A plan's last step: the map, after the regex split when use_regex
 * (and only then: two splits are no plan). A prefix space is no plan
 * either (it adds a char no input byte stands for). */
static int
bl_plan(const hubtok__pre_tokenizer *p, hubtok__word_plan *io)
{
  const byte_level *b = (const byte_level *)p;

  if(b->add_prefix_space || io->byte_level || io->prefix ||
     (b->use_regex && io->words))
    return 0;
  if(b->use_regex) {
    io->words = hubtok__pattern_words;
    io->ctx = &b->re;
  }
  io->byte_level = 1;
  return 1;
}

static const hubtok__pre_tokenizer_ops bl_ops = {
  bl_pre_tokenize, bl_memory, bl_destroy, bl_plan
};

hubtok_code
hubtok__byte_level_pre_from_json(const cJSON *j, const char *path,
                                 hubtok__pre_tokenizer **out,
                                 hubtok_error *err)
{
  byte_level *b;
  int aps, trim, use_regex;
  hubtok_code rc;

  /* add_prefix_space and trim_offsets are required by serde; use_regex
   * defaults to true */
  rc = hubtok__json_bool_req(j, path, "add_prefix_space", &aps, err);
  if(!rc)
    rc = hubtok__json_bool_req(j, path, "trim_offsets", &trim, err);
  if(!rc)
    rc = hubtok__json_bool(j, path, "use_regex", 1, &use_regex, err);
  if(rc)
    return rc;
  b = calloc(1, sizeof(*b));
  if(!b)
    return hubtok__set_error(err, HUBTOK_ENOMEM, "out of memory");
  b->base.ops = &bl_ops;
  b->add_prefix_space = aps;
  b->use_regex = use_regex;
  if(use_regex) {
    rc = hubtok__pattern_regex(&b->re, gpt2_re, sizeof(gpt2_re) - 1, path,
                               err);
    if(rc) {
      free(b);
      return rc;
    }
  }
  *out = &b->base;
  return HUBTOK_OK;
}
