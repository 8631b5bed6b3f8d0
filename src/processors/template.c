/*
 * template.c: TemplateProcessing (tokenizers/src/processors/template.rs).
 * The "single" or "pair" template is a list of pieces: a sequence ($A or
 * $B) with the type id its tokens get, or a special token (looked up in
 * "special_tokens", possibly several ids) added when add_special_tokens
 * is set. Special tokens get special_mask 1, no word, offsets (0, 0) and
 * no sequence id.
 *
 * Rust would panic at encode time on a template naming a missing special
 * token or $B in "single"; here loading fails with HUBTOK_ETOKENIZER.
 */
#include "processors/processor.h"
#include "util/json.h"
#include "util/utf8.h"

#include <stdlib.h>
#include <string.h>

typedef struct special {
  char *key;
  size_t n;          /* ids */
  uint32_t *ids;
  hubtok__buf toks;  /* token strings back to back */
  size_t *off;       /* n + 1 offsets into toks */
} special;

typedef struct piece {
  int is_seq;
  int seq;           /* 0 = A, 1 = B */
  uint32_t type_id;
  size_t special;    /* index into specials */
} piece;

typedef struct template {
  hubtok__processor base;
  piece *single;
  size_t n_single;
  piece *pair;
  size_t n_pair;
  special *specials;
  size_t n_specials;
  size_t mem;
} template;

static hubtok_code
tpl_process(const hubtok__processor *p, const hubtok__enc *a,
            const hubtok__enc *b, int add_special, hubtok__enc *out,
            hubtok_error *err)
{
  const template *t = (const template *)p;
  const piece *pieces = b ? t->pair : t->single;
  size_t np = b ? t->n_pair : t->n_single;
  size_t rng[2][2];
  int have[2] = { 0, 0 };
  size_t i, k, base = out->e.n, nseq;
  hubtok_code rc = HUBTOK_OK;

  for(i = 0; i < np && !rc; i++) {
    const piece *pc = &pieces[i];
    if(pc->is_seq) {
      const hubtok__enc *src = pc->seq ? b : a;
      size_t start = out->e.n;
      if(!src)
        continue; /* rejected at load; kept for safety */
      rc = hubtok__enc_append(out, src, pc->type_id, -1);
      rng[pc->seq][0] = start - base;
      rng[pc->seq][1] = out->e.n - base;
      have[pc->seq] = 1;
    }
    else if(add_special) {
      const special *sp = &t->specials[pc->special];
      for(k = 0; k < sp->n && !rc; k++)
        rc = hubtok__enc_push(out, sp->ids[k], sp->toks.p + sp->off[k],
                              sp->off[k + 1] - sp->off[k], pc->type_id, 1,
                              -1, -1, 0, 0);
    }
  }
  if(rc)
    return hubtok__set_error(err, rc, "TemplateProcessing: %s",
                             hubtok_strerror(rc));
  if(out->ids_only)
    return HUBTOK_OK;
  /* Encoding::get_sequence_ids: the last range recorded per sequence;
   * with none at all, everything is sequence 0; a missing range of a
   * listed sequence id covers everything. */
  nseq = (size_t)have[0] + (size_t)have[1];
  if(nseq == 0) {
    nseq = 1;
  }
  for(k = 0; k < nseq; k++) {
    size_t s = 0, e = out->e.n - base;
    if(have[k]) {
      s = rng[k][0];
      e = rng[k][1];
    }
    for(i = s; i < e; i++)
      out->e.seq_ids[base + i] = (int8_t)k;
  }
  return HUBTOK_OK;
}

static void
free_specials(template *t)
{
  size_t i;

  for(i = 0; i < t->n_specials; i++) {
    free(t->specials[i].key);
    free(t->specials[i].ids);
    free(t->specials[i].off);
    hubtok__buf_free(&t->specials[i].toks);
  }
  free(t->specials);
}

static size_t
tpl_memory(const hubtok__processor *p)
{
  return ((const template *)p)->mem;
}

static void
tpl_destroy(hubtok__processor *p)
{
  template *t = (template *)p;

  free_specials(t);
  free(t->single);
  free(t->pair);
  free(t);
}

static const hubtok__processor_ops tpl_ops = {
  tpl_process, tpl_memory, tpl_destroy, NULL
};

static hubtok_code
load_special(special *sp, const cJSON *j, const char *path,
             hubtok_error *err)
{
  char p[HUBTOK__PATH_MAX], ip[HUBTOK__PATH_MAX];
  const cJSON *ids, *toks, *it;
  const char *s;
  size_t len, i;
  hubtok_code rc;

  rc = hubtok__json_object(j, path, err);
  if(!rc)
    rc = hubtok__json_str(j, path, "id", 1, &s, &len, err);
  if(!rc)
    rc = hubtok__json_array(j, path, "ids", &ids, err);
  if(!rc)
    rc = hubtok__json_array(j, path, "tokens", &toks, err);
  if(rc)
    return rc;
  sp->n = (size_t)cJSON_GetArraySize(ids);
  if((size_t)cJSON_GetArraySize(toks) != sp->n)
    return hubtok__json_bad(err, path, "ids and tokens must be of the "
                            "same length");
  sp->ids = malloc((sp->n ? sp->n : 1) * sizeof(uint32_t));
  sp->off = malloc((sp->n + 1) * sizeof(size_t));
  if(!sp->ids || !sp->off)
    return hubtok__set_error(err, HUBTOK_ENOMEM, "out of memory");
  sp->off[0] = 0;
  hubtok__json_path(p, path, "ids");
  i = 0;
  cJSON_ArrayForEach(it, ids) {
    hubtok__json_path_index(ip, p, i);
    rc = hubtok__json_as_u32(it, ip, &sp->ids[i], err);
    if(rc)
      return rc;
    i++;
  }
  hubtok__json_path(p, path, "tokens");
  i = 0;
  cJSON_ArrayForEach(it, toks) {
    hubtok__json_path_index(ip, p, i);
    rc = hubtok__json_as_str(it, ip, &s, &len, err);
    if(rc)
      return rc;
    rc = hubtok__buf_add(&sp->toks, s, len);
    if(rc)
      return hubtok__set_error(err, rc, "%s: %s", ip, hubtok_strerror(rc));
    sp->off[++i] = sp->toks.len;
  }
  return HUBTOK_OK;
}

static hubtok_code
load_specials(template *t, const cJSON *j, const char *path,
              hubtok_error *err)
{
  char p[HUBTOK__PATH_MAX], ip[HUBTOK__PATH_MAX];
  const cJSON *map = hubtok__json_get(j, "special_tokens"), *it;
  size_t n;
  hubtok_code rc;

  hubtok__json_path(p, path, "special_tokens");
  if(!map || !cJSON_IsObject(map))
    return hubtok__json_bad(err, p, "expected an object");
  n = (size_t)cJSON_GetArraySize(map);
  t->specials = calloc(n ? n : 1, sizeof(*t->specials));
  if(!t->specials)
    return hubtok__set_error(err, HUBTOK_ENOMEM, "out of memory");
  cJSON_ArrayForEach(it, map) {
    special *sp = &t->specials[t->n_specials++];
    size_t klen = it->string ? strlen(it->string) : 0;
    hubtok__buf_init(&sp->toks, (size_t)1 << 20);
    hubtok__json_path(ip, p, it->string ? it->string : "?");
    if(!it->string || !hubtok__utf8_valid(it->string, klen))
      return hubtok__json_bad(err, ip, "bad key");
    sp->key = malloc(klen + 1);
    if(!sp->key)
      return hubtok__set_error(err, HUBTOK_ENOMEM, "out of memory");
    memcpy(sp->key, it->string, klen + 1);
    rc = load_special(sp, it, ip, err);
    if(rc)
      return rc;
    t->mem += klen + sp->n * (sizeof(uint32_t) + sizeof(size_t)) +
              sp->toks.cap;
  }
  return HUBTOK_OK;
}

static hubtok_code
load_template(template *t, const cJSON *j, const char *path,
              const char *key, int is_pair, piece **out, size_t *nout,
              hubtok_error *err)
{
  char p[HUBTOK__PATH_MAX], ip[HUBTOK__PATH_MAX], fp[HUBTOK__PATH_MAX];
  const cJSON *arr, *it;
  size_t n, i = 0, k;
  hubtok_code rc;

  rc = hubtok__json_array(j, path, key, &arr, err);
  if(rc)
    return rc;
  hubtok__json_path(p, path, key);
  n = (size_t)cJSON_GetArraySize(arr);
  *out = calloc(n ? n : 1, sizeof(piece));
  if(!*out)
    return hubtok__set_error(err, HUBTOK_ENOMEM, "out of memory");
  t->mem += n * sizeof(piece);
  cJSON_ArrayForEach(it, arr) {
    piece *pc = &(*out)[i];
    const cJSON *body;
    const char *id;
    hubtok__json_path_index(ip, p, i++);
    if(!cJSON_IsObject(it) || cJSON_GetArraySize(it) != 1 ||
       !it->child->string)
      return hubtok__json_bad(err, ip, "expected {\"Sequence\": ...} or "
                              "{\"SpecialToken\": ...}");
    body = it->child;
    hubtok__json_path(fp, ip, body->string);
    if(!strcmp(body->string, "Sequence"))
      pc->is_seq = 1;
    else if(strcmp(body->string, "SpecialToken"))
      return hubtok__json_bad(err, ip, "expected {\"Sequence\": ...} or "
                              "{\"SpecialToken\": ...}");
    rc = hubtok__json_object(body, fp, err);
    if(!rc)
      rc = hubtok__json_str(body, fp, "id", 1, &id, NULL, err);
    if(!rc)
      rc = hubtok__json_u32(body, fp, "type_id", 1, 0, &pc->type_id, err);
    if(rc)
      return rc;
    if(pc->is_seq) {
      if(!strcmp(id, "A")) {
        pc->seq = 0;
      }
      else if(!strcmp(id, "B")) {
        pc->seq = 1;
        if(!is_pair)
          return hubtok__json_bad(err, fp, "the single template cannot "
                                  "use sequence B");
      }
      else {
        return hubtok__json_bad(err, fp, "sequence id must be \"A\" or "
                                "\"B\"");
      }
      continue;
    }
    /* duplicate keys: the last one wins, as in a serde map */
    for(k = t->n_specials; k > 0; k--) {
      if(!strcmp(t->specials[k - 1].key, id))
        break;
    }
    if(k == 0)
      return hubtok__set_error(err, HUBTOK_ETOKENIZER,
                               "%s: missing SpecialToken with id `%.200s` "
                               "in special_tokens", fp, id);
    pc->special = k - 1;
  }
  *nout = n;
  return HUBTOK_OK;
}

hubtok_code
hubtok__template_from_json(const cJSON *j, const char *path,
                           hubtok__processor **out, hubtok_error *err)
{
  template *t;
  hubtok_code rc;

  t = calloc(1, sizeof(*t));
  if(!t)
    return hubtok__set_error(err, HUBTOK_ENOMEM, "out of memory");
  t->base.ops = &tpl_ops;
  t->mem = sizeof(*t);
  rc = load_specials(t, j, path, err);
  if(!rc)
    rc = load_template(t, j, path, "single", 0, &t->single, &t->n_single,
                       err);
  if(!rc)
    rc = load_template(t, j, path, "pair", 1, &t->pair, &t->n_pair, err);
  if(rc) {
    tpl_destroy(&t->base);
    return rc;
  }
  *out = &t->base;
  return HUBTOK_OK;
}
