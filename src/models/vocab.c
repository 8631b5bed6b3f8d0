/*
 * vocab.c: the WordPiece / WordLevel vocabulary (see vocab.h).
 */
#include "models/vocab.h"
#include "util/image.h"
#include "models/model.h"
#include "util/json.h"
#include "util/utf8.h"

#include <stdlib.h>
#include <string.h>

#define NO_ID UINT32_MAX /* key offsets are below 2^30 */

/* image sections */
#define IMG_MAP HUBTOK__IMG_VOCAB          /* and + 1 (strmap.c) */
#define IMG_ID_OFF (HUBTOK__IMG_VOCAB + 2)
#define IMG_ID_LEN (HUBTOK__IMG_VOCAB + 3)

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
  v->id_len = calloc(v->id_cap, sizeof(*v->id_len)); /* images copy it */
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
  if(hubtok__strmap_seal(&v->map)) {
    /* no filter: every lookup reads the table */
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
  if(!v->borrowed) {
    free(v->id_off);
    free(v->id_len);
  }
  memset(v, 0, sizeof(*v));
}

void
hubtok__vocab_to_image(const hubtok__vocab *v, hubtok__imgw *w)
{
  hubtok__strmap_to_image(&v->map, w, IMG_MAP);
  hubtok__imgw_add(w, IMG_ID_OFF, v->id_off, v->id_cap * sizeof(*v->id_off));
  hubtok__imgw_add(w, IMG_ID_LEN, v->id_len, v->id_cap * sizeof(*v->id_len));
}

hubtok_code
hubtok__vocab_from_image(hubtok__vocab *v, const hubtok__image *img)
{
  const uint32_t *off;
  const uint32_t *len;
  size_t n, n2, klen, i;
  hubtok_code rc;

  memset(v, 0, sizeof(*v));
  off = hubtok__image_get(img, IMG_ID_OFF, sizeof(*off), &n);
  len = hubtok__image_get(img, IMG_ID_LEN, sizeof(*len), &n2);
  if(!off || !len || n != n2 || n > HUBTOK__VOCAB_MAX)
    return HUBTOK_EIO;
  rc = hubtok__strmap_from_image(&v->map, img, IMG_MAP, (uint32_t)n);
  if(rc)
    return rc;
  if((v->map.n == 0) != (n == 0))
    return HUBTOK_EIO;
  klen = v->map.keys.len;
  for(i = 0; i < n; i++) {
    if(off[i] == NO_ID)
      continue;
    if(off[i] > klen || len[i] > klen - off[i] ||
       v->map.keys.p[off[i] + len[i]])
      return HUBTOK_EIO;
  }
  /* as the JSON loader's: every key valid UTF-8 without NUL, every id
   * in the map with a token */
  for(i = 0; i < v->map.cap; i++) {
    const hubtok__strmap_slot *sl = &v->map.slots[i];
    const char *k;
    if(!sl->hash)
      continue;
    k = v->map.keys.p + sl->off; /* inside: strmap_from_image checked */
    if(!hubtok__utf8_valid_nonul(k, sl->len) || off[sl->val] == NO_ID)
      return HUBTOK_EIO;
  }
  v->id_off = (uint32_t *)off;
  v->id_len = (uint32_t *)len;
  v->id_cap = n;
  v->borrowed = 1;
  if(hubtok__strmap_seal(&v->map)) {
    /* no filter: every lookup reads the table */
  }
  return HUBTOK_OK;
}
