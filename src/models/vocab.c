/*
 * vocab.c: the WordPiece / WordLevel vocabulary (see vocab.h).
 */
#include "models/vocab.h"
#include "models/model.h"
#include "util/json.h"
#include "util/utf8.h"

#include <stdlib.h>
#include <string.h>

#define NO_ID UINT64_MAX

hubtok_code
hubtok__vocab_from_json(hubtok__vocab *v, const cJSON *j, const char *path,
                        hubtok_error *err)
{
  char p[HUBTOK__PATH_MAX];
  const cJSON *vocab = hubtok__json_get(j, "vocab");
  const cJSON *it;
  uint32_t max_id = 0;
  size_t i;
  hubtok_code rc;

  memset(v, 0, sizeof(*v));
  hubtok__strmap_init(&v->map, HUBTOK__VOCAB_MAX);
  hubtok__json_path(p, path, "vocab");
  if(!vocab || !cJSON_IsObject(vocab))
    return hubtok__json_bad(err, p, vocab ? "expected an object" :
                            "missing field");
  /* room for every key up front: no rehash while loading */
  {
    size_t n = 0, bytes = 0;
    cJSON_ArrayForEach(it, vocab) {
      n++;
      bytes += (it->string ? strlen(it->string) : 0) + 1;
    }
    rc = hubtok__strmap_reserve(&v->map, n, bytes);
    if(rc)
      return hubtok__set_error(err, rc, "%s: %s", p, hubtok_strerror(rc));
  }
  cJSON_ArrayForEach(it, vocab) {
    char ip[HUBTOK__PATH_MAX];
    uint32_t id;
    size_t klen;
    if(!it->string)
      return hubtok__json_bad(err, p, "missing key");
    klen = strlen(it->string);
    if(!hubtok__utf8_valid(it->string, klen))
      return hubtok__json_bad(err, p, "token is not valid UTF-8");
    /* the member's path is only formatted for an error */
    if(!cJSON_IsNumber(it) || !(it->valuedouble >= 0) ||
       it->valuedouble >= (double)HUBTOK__VOCAB_MAX ||
       it->valuedouble != (double)(uint32_t)it->valuedouble) {
      hubtok__json_path(ip, p, it->string);
      rc = hubtok__json_as_u32(it, ip, &id, err);
      if(rc)
        return rc;
      return hubtok__set_error(err, HUBTOK_ETOOLARGE,
                               "%s: id %u is above the limit %zu", ip, id,
                               HUBTOK__VOCAB_MAX - 1);
    }
    id = (uint32_t)it->valuedouble;
    rc = hubtok__strmap_put(&v->map, it->string, klen, id, NULL, NULL);
    if(rc)
      return hubtok__set_error(err, rc, "%s: %s", p,
                               rc == HUBTOK_ETOOLARGE ?
                               "vocabulary too large" : "out of memory");
    if(id > max_id)
      max_id = id;
  }
  v->id_cap = v->map.n ? (size_t)max_id + 1 : 0;
  if(!v->id_cap)
    return HUBTOK_OK;
  v->id_off = malloc(v->id_cap * sizeof(*v->id_off));
  v->id_len = malloc(v->id_cap * sizeof(*v->id_len));
  if(!v->id_off || !v->id_len)
    return hubtok__set_error(err, HUBTOK_ENOMEM, "out of memory");
  for(i = 0; i < v->id_cap; i++)
    v->id_off[i] = NO_ID;
  /* id -> token; on duplicate ids the last key in file order wins */
  for(i = 0; i < v->map.cap; i++) {
    const hubtok__strmap_slot *s = &v->map.slots[i];
    if(!s->hash)
      continue;
    if(v->id_off[s->val] == NO_ID || v->id_off[s->val] < s->off) {
      v->id_off[s->val] = s->off;
      v->id_len[s->val] = s->len;
    }
  }
  return HUBTOK_OK;
}

int
hubtok__vocab_get(const hubtok__vocab *v, const char *s, size_t len,
                  uint32_t *id)
{
  return hubtok__strmap_get(&v->map, s, len, id);
}

const char *
hubtok__vocab_token(const hubtok__vocab *v, uint32_t id, size_t *len)
{
  if(id >= v->id_cap || v->id_off[id] == NO_ID)
    return NULL;
  if(len)
    *len = v->id_len[id];
  return hubtok__strmap_key(&v->map, v->id_off[id]);
}

size_t
hubtok__vocab_memory(const hubtok__vocab *v)
{
  return hubtok__strmap_memory(&v->map) +
         v->id_cap * (sizeof(*v->id_off) + sizeof(*v->id_len));
}

void
hubtok__vocab_free(hubtok__vocab *v)
{
  if(!v)
    return;
  hubtok__strmap_free(&v->map);
  free(v->id_off);
  free(v->id_len);
  memset(v, 0, sizeof(*v));
}
