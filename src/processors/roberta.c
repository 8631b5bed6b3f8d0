/*
 * roberta.c: RobertaProcessing (tokenizers/src/processors/roberta.rs):
 * optional ByteLevel offset trimming, every type id 0, and with special
 * tokens "<s> A </s>" or "<s> A </s> </s> B </s>" (cls and sep).
 */
#include "processors/processor.h"
#include "util/json.h"

#include <stdlib.h>
#include <string.h>

typedef struct roberta {
  hubtok__processor base;
  char *tok[2];      /* 0 sep, 1 cls */
  size_t len[2];
  uint32_t id[2];
  int trim_offsets;
  int add_prefix_space;
} roberta;

static hubtok_code
push_special(const roberta *r, int which, hubtok__enc *out)
{
  return hubtok__enc_push(out, r->id[which], r->tok[which], r->len[which],
                          0, 1, -1, -1, 0, 0);
}

/* Append src with type id 0 and sequence id seq, trimmed if asked. */
static hubtok_code
append_seq(const roberta *r, const hubtok__enc *src, int8_t seq,
           hubtok__enc *out)
{
  size_t from = out->e.n;
  hubtok_code rc = hubtok__enc_append(out, src, 0, seq);

  if(!rc && r->trim_offsets)
    hubtok__byte_level_trim_offsets(out, from, r->add_prefix_space);
  return rc;
}

static hubtok_code
rb_process(const hubtok__processor *p, const hubtok__enc *a,
           const hubtok__enc *b, int add_special, hubtok__enc *out,
           hubtok_error *err)
{
  const roberta *r = (const roberta *)p;
  hubtok_code rc = HUBTOK_OK;

  if(add_special)
    rc = push_special(r, 1, out);
  if(!rc)
    rc = append_seq(r, a, 0, out);
  if(!rc && add_special)
    rc = push_special(r, 0, out);
  if(b) {
    if(!rc && add_special)
      rc = push_special(r, 0, out);
    if(!rc)
      rc = append_seq(r, b, 1, out);
    if(!rc && add_special)
      rc = push_special(r, 0, out);
  }
  if(rc)
    return hubtok__set_error(err, rc, "RobertaProcessing: %s",
                             hubtok_strerror(rc));
  return HUBTOK_OK;
}

static size_t
rb_memory(const hubtok__processor *p)
{
  const roberta *r = (const roberta *)p;
  return sizeof(*r) + r->len[0] + r->len[1] + 2;
}

static void
rb_destroy(hubtok__processor *p)
{
  roberta *r = (roberta *)p;

  free(r->tok[0]);
  free(r->tok[1]);
  free(r);
}

static const hubtok__processor_ops rb_ops = {
  rb_process, rb_memory, rb_destroy, NULL
};

/* "sep" / "cls": ["token", id] */
static hubtok_code
load_pair(roberta *r, int which, const cJSON *j, const char *path,
          const char *key, hubtok_error *err)
{
  char p[HUBTOK__PATH_MAX], ip[HUBTOK__PATH_MAX];
  const cJSON *v = hubtok__json_get(j, key);
  const char *s;
  size_t len;
  hubtok_code rc;

  hubtok__json_path(p, path, key);
  if(!v || !cJSON_IsArray(v) || cJSON_GetArraySize(v) != 2)
    return hubtok__json_bad(err, p, "expected [token, id]");
  hubtok__json_path_index(ip, p, 0);
  rc = hubtok__json_as_str(cJSON_GetArrayItem(v, 0), ip, &s, &len, err);
  if(rc)
    return rc;
  hubtok__json_path_index(ip, p, 1);
  rc = hubtok__json_as_u32(cJSON_GetArrayItem(v, 1), ip, &r->id[which],
                           err);
  if(rc)
    return rc;
  r->tok[which] = malloc(len + 1);
  if(!r->tok[which])
    return hubtok__set_error(err, HUBTOK_ENOMEM, "out of memory");
  memcpy(r->tok[which], s, len);
  r->tok[which][len] = 0;
  r->len[which] = len;
  return HUBTOK_OK;
}

hubtok_code
hubtok__roberta_from_json(const cJSON *j, const char *path,
                          hubtok__processor **out, hubtok_error *err)
{
  roberta *r;
  hubtok_code rc;

  r = calloc(1, sizeof(*r));
  if(!r)
    return hubtok__set_error(err, HUBTOK_ENOMEM, "out of memory");
  r->base.ops = &rb_ops;
  rc = load_pair(r, 0, j, path, "sep", err);
  if(!rc)
    rc = load_pair(r, 1, j, path, "cls", err);
  if(!rc)
    rc = hubtok__json_bool_req(j, path, "trim_offsets", &r->trim_offsets,
                               err);
  if(!rc)
    rc = hubtok__json_bool_req(j, path, "add_prefix_space",
                               &r->add_prefix_space, err);
  if(rc) {
    rb_destroy(&r->base);
    return rc;
  }
  *out = &r->base;
  return HUBTOK_OK;
}
