/*
 * test_image.c: the compiled cache form (util/image.c and the tables'
 * *_from_image), without Node.
 *
 *   test_image FIXTURES_DIR
 *
 * Checked: a writer/reader round trip; open refuses a wrong source size
 * or name, a flipped byte and a short file; every table refuses entries
 * that point outside its arrays even under a valid checksum (resealed);
 * and, on gpt2 and t5-small laid out as Hub cache blobs, a tokenizer
 * image whose merge or trie entries were damaged and resealed is refused
 * while hubtok_tokenizer_from_file_cached() rebuilds it and still gives
 * the right ids. Also the DFA behind hubtok__utf8_valid (the image's
 * vocabulary check) against the sequence-by-sequence validator: every
 * string of up to 3 bytes, 4-byte strings over boundary bytes, random
 * strings.
 */
#include "hubtok.h"
#include "internal.h"
#include "tokenizer/compiled.h"
#include "util/file.h"
#include "util/image.h"
#include "util/strmap.h"
#include "util/trie.h"
#include "util/utf8.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int failures;
static int checks;

#define CHECK(cond)                                                     \
  do {                                                                  \
    checks++;                                                           \
    if(!(cond)) {                                                       \
      failures++;                                                       \
      fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__,  \
              #cond);                                                   \
    }                                                                   \
  } while(0)

static char tmpdir[] = "/tmp/hubtok-test-image-XXXXXX";

/* Largest file read (images, fixtures). */
#define FILE_MAX ((size_t)64 << 20)

/* hubtok__read_file (util/file.c), NULL on failure. */
static char *
slurp(const char *path, size_t *len)
{
  hubtok_error err;
  char *p = NULL;

  if(hubtok__read_file(path, FILE_MAX, &p, len, &err))
    return NULL;
  return p;
}

static int
spit(const char *path, const void *p, size_t len)
{
  FILE *f = fopen(path, "wb");
  int ok;

  if(!f)
    return 0;
  ok = fwrite(p, 1, len, f) == len;
  return fclose(f) == 0 && ok;
}

/* ------------------------------------------------------------------ */

static void
test_roundtrip(void)
{
  char path[256];
  hubtok__imgw w;
  hubtok__image img;
  const uint32_t *u;
  const char *s;
  size_t n;
  uint32_t nums[3] = { 7, 8, 9 };
  char *data;
  size_t len;

  snprintf(path, sizeof(path), "%s/rt.hubtok", tmpdir);
  hubtok__imgw_init(&w);
  hubtok__imgw_add(&w, 5, nums, sizeof(nums));
  hubtok__imgw_add(&w, 6, "abc", 4);
  hubtok__imgw_add(&w, 7, NULL, 0);
  CHECK(hubtok__imgw_write(&w, path, 1234, "name") == HUBTOK_OK);
  hubtok__imgw_free(&w);

  CHECK(hubtok__image_open(&img, path, 1234, "name") == HUBTOK_OK);
  u = hubtok__image_get(&img, 5, sizeof(*u), &n);
  CHECK(u && n == 3 && u[0] == 7 && u[2] == 9);
  CHECK(((uintptr_t)u % 64) == 0);
  s = hubtok__image_get(&img, 6, 1, &n);
  CHECK(s && n == 4 && !strcmp(s, "abc"));
  CHECK(hubtok__image_get(&img, 7, 1, &n) && n == 0);
  CHECK(!hubtok__image_get(&img, 5, 8, &n)); /* 12 bytes: not 8s */
  CHECK(!hubtok__image_get(&img, 99, 1, &n));
  hubtok__image_close(&img);
  hubtok__image_close(&img); /* closed twice: no-op */

  CHECK(hubtok__image_open(&img, path, 1235, "name") == HUBTOK_EIO);
  CHECK(hubtok__image_open(&img, path, 1234, "other") == HUBTOK_EIO);
  CHECK(hubtok__image_open(&img, "/nonexistent/x.hubtok", 1234, "name") ==
        HUBTOK_LOCAL_NOT_FOUND);
  data = slurp(path, &len);
  CHECK(data != NULL);
  if(!data)
    return;
  data[len - 2] ^= 1; /* inside section 6: the checksum catches it */
  CHECK(spit(path, data, len));
  CHECK(hubtok__image_open(&img, path, 1234, "name") == HUBTOK_EIO);
  CHECK(hubtok__image_reseal(data, len));
  CHECK(spit(path, data, len));
  CHECK(hubtok__image_open(&img, path, 1234, "name") == HUBTOK_OK);
  hubtok__image_close(&img);
  CHECK(spit(path, data, 100)); /* shorter than the header */
  CHECK(hubtok__image_open(&img, path, 1234, "name") == HUBTOK_EIO);
  free(data);
  unlink(path);
}

/* An image holding one strmap (tags 1, 2) and one trie (3, 4), built
 * from real tables, with `damage` applied to copies first. */
typedef void (*damage_fn)(hubtok__strmap_slot *slots, size_t cap,
                          hubtok__trie_node *nodes, size_t n,
                          int32_t *root);

static hubtok_code
tables_with(damage_fn damage, int check_map, uint32_t max_val)
{
  static const char *const keys[] = { "a", "ab", "abc", "b", "bc" };
  static const uint32_t lens[] = { 1, 2, 3, 1, 2 };
  hubtok__strmap m, m2;
  hubtok__trie t, t2;
  hubtok__imgw w;
  hubtok__image img;
  hubtok__strmap_slot *slots;
  hubtok__trie_node *nodes;
  int32_t root[256];
  char path[256];
  size_t i;
  hubtok_code rc;

  hubtok__strmap_init(&m, 100);
  for(i = 0; i < 5; i++)
    if(hubtok__strmap_put(&m, keys[i], lens[i], (uint32_t)i, NULL, NULL))
      return HUBTOK_ENOMEM;
  if(hubtok__trie_build(&t, keys, lens, 5))
    return HUBTOK_ENOMEM;
  slots = malloc(m.cap * sizeof(*slots));
  nodes = malloc(t.n * sizeof(*nodes));
  memcpy(slots, m.slots, m.cap * sizeof(*slots));
  memcpy(nodes, t.nodes, t.n * sizeof(*nodes));
  memcpy(root, t.root, sizeof(root));
  if(damage)
    damage(slots, m.cap, nodes, t.n, root);
  hubtok__imgw_init(&w);
  hubtok__imgw_add(&w, 1, slots, m.cap * sizeof(*slots));
  hubtok__imgw_add(&w, 2, m.keys.p, m.keys.len + 1);
  hubtok__imgw_add(&w, 3, nodes, t.n * sizeof(*nodes));
  hubtok__imgw_add(&w, 4, root, sizeof(root));
  snprintf(path, sizeof(path), "%s/tables.hubtok", tmpdir);
  rc = hubtok__imgw_write(&w, path, 1, "t");
  hubtok__imgw_free(&w);
  free(slots);
  free(nodes);
  hubtok__strmap_free(&m);
  hubtok__trie_free(&t);
  if(rc)
    return rc;
  rc = hubtok__image_open(&img, path, 1, "t");
  if(rc)
    return rc;
  if(check_map) {
    rc = hubtok__strmap_from_image(&m2, &img, 1, max_val);
    if(!rc) {
      uint32_t v = 99;
      CHECK(hubtok__strmap_get(&m2, "abc", 3, &v) && v == 2);
      CHECK(!hubtok__strmap_get(&m2, "abd", 3, &v));
      CHECK(hubtok__strmap_put(&m2, "x", 1, 1, NULL, NULL) == HUBTOK_EINVAL);
      hubtok__strmap_free(&m2);
    }
  }
  else {
    rc = hubtok__trie_from_image(&t2, &img, 3, (int32_t)max_val);
    if(!rc) {
      CHECK(hubtok__trie_get(&t2, "bc", 2) == 4);
      CHECK(hubtok__trie_get(&t2, "abcd", 4) == -1);
      hubtok__trie_free(&t2);
    }
  }
  hubtok__image_close(&img);
  unlink(path);
  return rc;
}

static hubtok__strmap_slot *
first_used(hubtok__strmap_slot *s, size_t cap)
{
  size_t i;
  for(i = 0; i < cap; i++)
    if(s[i].hash)
      return &s[i];
  return NULL;
}

static void
key_past_arena(hubtok__strmap_slot *s, size_t cap, hubtok__trie_node *nd,
               size_t n, int32_t *root)
{
  (void)nd, (void)n, (void)root;
  first_used(s, cap)->off = 1000;
}

static void
key_without_nul(hubtok__strmap_slot *s, size_t cap, hubtok__trie_node *nd,
                size_t n, int32_t *root)
{
  hubtok__strmap_slot *u = first_used(s, cap);
  (void)nd, (void)n, (void)root;
  u->len += 1; /* now ends on the next key's first byte */
}

static void
hashed_otherwise(hubtok__strmap_slot *s, size_t cap, hubtok__trie_node *nd,
                 size_t n, int32_t *root)
{
  hubtok__strmap_slot *u = first_used(s, cap);
  (void)nd, (void)n, (void)root;
  u->hash ^= 0x80000000u; /* as a build with another hash function */
}

static void
table_full(hubtok__strmap_slot *s, size_t cap, hubtok__trie_node *nd,
           size_t n, int32_t *root)
{
  hubtok__strmap_slot u = *first_used(s, cap);
  size_t i;
  (void)nd, (void)n, (void)root;
  for(i = 0; i < cap; i++) /* no empty slot: a miss would never stop */
    if(!s[i].hash)
      s[i] = u;
}

static void
child_past_end(hubtok__strmap_slot *s, size_t cap, hubtok__trie_node *nd,
               size_t n, int32_t *root)
{
  (void)s, (void)cap, (void)root;
  nd[n - 1].first = (uint32_t)n;
  nd[n - 1].nchild = 1;
}

static void
root_past_end(hubtok__strmap_slot *s, size_t cap, hubtok__trie_node *nd,
              size_t n, int32_t *root)
{
  (void)s, (void)cap, (void)nd;
  root['z'] = (int32_t)n;
}

static void
value_too_big(hubtok__strmap_slot *s, size_t cap, hubtok__trie_node *nd,
              size_t n, int32_t *root)
{
  (void)s, (void)cap, (void)root;
  nd[n - 1].value = 5;
}

static void
test_tables(void)
{
  CHECK(tables_with(NULL, 1, 5) == HUBTOK_OK);
  CHECK(tables_with(NULL, 0, 5) == HUBTOK_OK);
  CHECK(tables_with(NULL, 1, 4) == HUBTOK_EIO); /* value 4 not below 4 */
  CHECK(tables_with(key_past_arena, 1, 5) == HUBTOK_EIO);
  CHECK(tables_with(key_without_nul, 1, 5) == HUBTOK_EIO);
  CHECK(tables_with(table_full, 1, 5) == HUBTOK_EIO);
  CHECK(tables_with(hashed_otherwise, 1, 5) == HUBTOK_EIO);
  CHECK(tables_with(child_past_end, 0, 5) == HUBTOK_EIO);
  CHECK(tables_with(root_past_end, 0, 5) == HUBTOK_EIO);
  CHECK(tables_with(value_too_big, 0, 5) == HUBTOK_EIO);
}

/* ------------------------------------------------------------------ */
/* whole tokenizers laid out as Hub cache blobs                        */

static int
ids_are(const hubtok_tokenizer *tok, const char *text, const uint32_t *want,
        size_t n)
{
  hubtok_encode_opts o = { 1 };
  hubtok_encoding *e = NULL;
  hubtok_error err;
  int ok;

  if(hubtok_encode(tok, text, strlen(text), NULL, 0, &o, &e, &err))
    return 0;
  ok = e->n == n && !memcmp(e->ids, want, n * sizeof(*want));
  hubtok_encoding_free(e);
  return ok;
}

/* Damage the first used entry of section `tag` (elements of `elem`
 * bytes; used: bytes [used_at, +8) neither all 0x00 nor all 0xFF) by
 * setting `len` bytes at offset `at` to 0x7F, reseal, and check that
 * the image is refused, then rebuilt by the cached load. */
static void
damaged_model(const char *fixtures, const char *name, const char *hash,
              uint32_t tag, size_t elem, size_t used_at, size_t at,
              size_t len, const char *text, const uint32_t *want,
              size_t nwant)
{
  char src[1024], blob[512], ipath[600];
  hubtok_tokenizer *tok = NULL;
  hubtok__image img;
  hubtok_error err;
  struct stat st;
  const unsigned char *sect;
  size_t n, ilen, i, slen;
  char *json, *data;

  snprintf(src, sizeof(src), "%s/tokenizers/%s/tokenizer.json", fixtures,
           name);
  snprintf(blob, sizeof(blob), "%s/blobs/%s", tmpdir, hash);
  snprintf(ipath, sizeof(ipath), "%s.hubtok", blob);
  json = slurp(src, &slen);
  CHECK(json && spit(blob, json, slen));
  free(json);
  if(stat(blob, &st))
    return;
  unlink(ipath);
  /* first load: parse and write; second: from the image */
  CHECK(hubtok_tokenizer_from_file_cached(blob, &tok, &err) == HUBTOK_OK);
  CHECK(tok && ids_are(tok, text, want, nwant));
  hubtok_tokenizer_free(tok);
  CHECK(hubtok__tokenizer_from_image(ipath, (uint64_t)st.st_size, hash, &tok,
                                     &err) == HUBTOK_OK);
  CHECK(tok && ids_are(tok, text, want, nwant));
  hubtok_tokenizer_free(tok);

  /* find the section, damage one entry in a copy, reseal */
  CHECK(hubtok__image_open(&img, ipath, (uint64_t)st.st_size, hash) ==
        HUBTOK_OK);
  sect = hubtok__image_get(&img, tag, elem, &n);
  CHECK(sect && n > 0);
  data = slurp(ipath, &ilen);
  if(!sect || !n || !data) {
    hubtok__image_close(&img);
    free(data);
    return;
  }
  {
    size_t off = (size_t)(sect - img.map);
    size_t ulen = elem - used_at < 8 ? elem - used_at : 8;
    for(i = 0; i < n; i++) {
      unsigned char *e = (unsigned char *)data + off + i * elem;
      size_t k, ff = 1, zero = 1;
      for(k = 0; k < ulen; k++) {
        ff &= e[used_at + k] == 0xFF;
        zero &= e[used_at + k] == 0;
      }
      if(!ff && !zero) {
        memset(e + at, 0x7F, len);
        break;
      }
    }
    CHECK(i < n);
  }
  hubtok__image_close(&img);
  CHECK(hubtok__image_reseal(data, ilen));
  CHECK(spit(ipath, data, ilen));
  free(data);
  CHECK(hubtok__tokenizer_from_image(ipath, (uint64_t)st.st_size, hash, &tok,
                                     &err) == HUBTOK_EIO);
  CHECK(tok == NULL);
  CHECK(strstr(err.msg, "compiled cache form") != NULL);
  /* the cached load rebuilds it and is right */
  CHECK(hubtok_tokenizer_from_file_cached(blob, &tok, &err) == HUBTOK_OK);
  CHECK(tok && ids_are(tok, text, want, nwant));
  hubtok_tokenizer_free(tok);
  CHECK(hubtok__tokenizer_from_image(ipath, (uint64_t)st.st_size, hash, &tok,
                                     &err) == HUBTOK_OK);
  hubtok_tokenizer_free(tok);
  unlink(ipath);
  unlink(blob);
}

static void
test_models(const char *fixtures)
{
  static const uint32_t gpt2[] = { 15496, 995, 0 };
  static const uint32_t t5[] = { 8774, 296, 55, 1 };
  static const uint32_t bert[] = { 101, 7592, 2088, 999, 102 };
  char dir[300];

  snprintf(dir, sizeof(dir), "%s/blobs", tmpdir);
  mkdir(dir, 0755);
  /* BPE merges: the new id of a used merge slot (at 12 in 16 bytes) */
  damaged_model(fixtures, "openai-community--gpt2",
                "1111111111111111111111111111111111111111111111111111111111111111",
                HUBTOK__IMG_BPE, 16, 0, 12, 4, "Hello world!", gpt2, 3);
  /* vocabulary id -> token offsets (4 bytes each) */
  damaged_model(fixtures, "openai-community--gpt2",
                "2222222222222222222222222222222222222222",
                HUBTOK__IMG_VOCAB + 2, 4, 0, 0, 4, "Hello world!", gpt2, 3);
  /* Unigram piece offsets (4 bytes each) */
  damaged_model(fixtures, "google-t5--t5-small",
                "3333333333333333333333333333333333333333",
                HUBTOK__IMG_UNIGRAM + 1, 4, 0, 0, 4, "Hello world!", t5, 4);
  /* Unigram trie nodes: `first` of the root (12 bytes each) */
  damaged_model(fixtures, "google-t5--t5-small",
                "4444444444444444444444444444444444444444",
                HUBTOK__IMG_UNIGRAM + 4, sizeof(hubtok__trie_node), 0, 0, 4,
                "Hello world!", t5, 4);
  /* WordPiece vocabulary slots: a key offset (4 bytes at 0 of 16; used:
   * the hash and value at 8) */
  damaged_model(fixtures, "google-bert--bert-base-uncased",
                "5555555555555555555555555555555555555555",
                HUBTOK__IMG_VOCAB, sizeof(hubtok__strmap_slot), 8, 0, 4,
                "Hello world!", bert, 5);
  rmdir(dir);
}

static void
test_utf8_dfa(void)
{
  static const unsigned char edge[] = {
    0x00, 0x41, 0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF, 0xC0, 0xC1,
    0xC2, 0xDF, 0xE0, 0xE1, 0xEC, 0xED, 0xEE, 0xEF, 0xF0, 0xF1, 0xF3,
    0xF4, 0xF5, 0xFF
  };
  const size_t ne = sizeof(edge);
  unsigned char b[24];
  uint32_t x = 12345;
  size_t i, j, k, l, bad = 0;
  int nul;

  for(i = 0; i < 256; i++) {
    b[0] = (unsigned char)i;
    for(nul = 0; nul < 2; nul++)
      bad += (nul ? hubtok__utf8_valid_nonul((char *)b, 1) :
              hubtok__utf8_valid((char *)b, 1)) !=
             hubtok__utf8_valid_slow((char *)b, 1, nul);
    for(j = 0; j < 256; j++) {
      b[1] = (unsigned char)j;
      for(nul = 0; nul < 2; nul++)
        bad += (nul ? hubtok__utf8_valid_nonul((char *)b, 2) :
                hubtok__utf8_valid((char *)b, 2)) !=
               hubtok__utf8_valid_slow((char *)b, 2, nul);
      for(k = 0; k < 256; k++) {
        b[2] = (unsigned char)k;
        bad += hubtok__utf8_valid((char *)b, 3) !=
               hubtok__utf8_valid_slow((char *)b, 3, 0);
      }
    }
  }
  CHECK(bad == 0);
  bad = 0;
  for(i = 0; i < ne; i++)
    for(j = 0; j < ne; j++)
      for(k = 0; k < ne; k++)
        for(l = 0; l < ne; l++) {
          b[0] = edge[i];
          b[1] = edge[j];
          b[2] = edge[k];
          b[3] = edge[l];
          for(nul = 0; nul < 2; nul++)
            bad += (nul ? hubtok__utf8_valid_nonul((char *)b, 4) :
                    hubtok__utf8_valid((char *)b, 4)) !=
                   hubtok__utf8_valid_slow((char *)b, 4, nul);
        }
  CHECK(bad == 0);
  /* random strings of 0..24 bytes over the boundary bytes and ASCII,
   * through the 8-byte ASCII skip and across word ends */
  bad = 0;
  for(i = 0; i < 300000; i++) {
    size_t n;
    x = x * 1664525u + 1013904223u;
    n = (x >> 8) % 25;
    for(j = 0; j < n; j++) {
      x = x * 1664525u + 1013904223u;
      b[j] = (x >> 24) % 3 ? (unsigned char)(0x20 + (x >> 9) % 90) :
                              edge[(x >> 16) % ne];
    }
    for(nul = 0; nul < 2; nul++)
      bad += (nul ? hubtok__utf8_valid_nonul((char *)b, n) :
              hubtok__utf8_valid((char *)b, n)) !=
             hubtok__utf8_valid_slow((char *)b, n, nul);
  }
  CHECK(bad == 0);
  /* a valid multilingual text, and ASCII with one NUL */
  {
    const char *t = "h\xC3\xA9llo w\xC3\xB6rld \xE6\x97\xA5\xE6\x9C"
                    "\xAC \xF0\x9F\xA4\x97 abcdefghijklmnop";
    CHECK(hubtok__utf8_valid(t, strlen(t)));
    CHECK(hubtok__utf8_valid_nonul(t, strlen(t)));
    CHECK(!hubtok__utf8_valid(t, strlen(t) - 24)); /* cuts the emoji */
    CHECK(hubtok__utf8_valid("abcdefgh\0ijklmnop", 17));
    CHECK(!hubtok__utf8_valid_nonul("abcdefgh\0ijklmnop", 17));
  }
}

/* UTF-16 to UTF-8 one unit at a time, by the book: the reference for
 * hubtok_utf16_to_utf8 (which takes ASCII four units at a time). */
static size_t
ref_utf16_to_utf8(const uint16_t *s, size_t n, unsigned char *o)
{
  size_t i, k = 0;
  for(i = 0; i < n; i++) {
    uint32_t c = s[i];
    if(c >= 0xD800 && c < 0xDC00 && i + 1 < n && s[i + 1] >= 0xDC00 &&
       s[i + 1] < 0xE000) {
      c = 0x10000 + ((c - 0xD800) << 10) + (s[i + 1] - 0xDC00);
      i++;
    }
    else if(c >= 0xD800 && c < 0xE000)
      c = 0xFFFD;
    if(c < 0x80)
      o[k++] = (unsigned char)c;
    else if(c < 0x800) {
      o[k++] = (unsigned char)(0xC0 | (c >> 6));
      o[k++] = (unsigned char)(0x80 | (c & 0x3F));
    }
    else if(c < 0x10000) {
      o[k++] = (unsigned char)(0xE0 | (c >> 12));
      o[k++] = (unsigned char)(0x80 | ((c >> 6) & 0x3F));
      o[k++] = (unsigned char)(0x80 | (c & 0x3F));
    }
    else {
      o[k++] = (unsigned char)(0xF0 | (c >> 18));
      o[k++] = (unsigned char)(0x80 | ((c >> 12) & 0x3F));
      o[k++] = (unsigned char)(0x80 | ((c >> 6) & 0x3F));
      o[k++] = (unsigned char)(0x80 | (c & 0x3F));
    }
  }
  return k;
}

static void
test_utf16_to_utf8(void)
{
  static const uint16_t edge[] = {
    0x0000, 0x0041, 0x007F, 0x0080, 0x00E9, 0x00FF, 0x07FF, 0x0800,
    0xD7FF, 0xD800, 0xD83E, 0xDBFF, 0xDC00, 0xDD99, 0xDFFF, 0xE000,
    0xFEFF, 0xFFFD, 0xFFFF
  };
  const size_t ne = sizeof(edge) / sizeof(edge[0]);
  uint16_t u[40];
  char got[3 * 40 + 1];
  unsigned char want[3 * 40 + 1];
  uint32_t x = 777, c;
  size_t i, j, n, gn, wn, bad = 0;

  /* every unit alone, and every unit before and after every edge unit */
  for(c = 0; c < 0x10000; c++) {
    u[0] = (uint16_t)c;
    gn = hubtok_utf16_to_utf8(u, 1, got);
    wn = ref_utf16_to_utf8(u, 1, want);
    bad += gn != wn || memcmp(got, want, wn) != 0;
    for(i = 0; i < ne; i++) {
      u[0] = (uint16_t)c;
      u[1] = edge[i];
      gn = hubtok_utf16_to_utf8(u, 2, got);
      wn = ref_utf16_to_utf8(u, 2, want);
      bad += gn != wn || memcmp(got, want, wn) != 0;
      u[0] = edge[i];
      u[1] = (uint16_t)c;
      gn = hubtok_utf16_to_utf8(u, 2, got);
      wn = ref_utf16_to_utf8(u, 2, want);
      bad += gn != wn || memcmp(got, want, wn) != 0;
    }
  }
  CHECK(bad == 0);
  /* random strings of ASCII runs and edge units (the four-unit ASCII
   * step meeting non-ASCII at every position); the output is valid
   * UTF-8 */
  bad = 0;
  for(i = 0; i < 200000; i++) {
    x = x * 1664525u + 1013904223u;
    n = (x >> 8) % 40;
    for(j = 0; j < n; j++) {
      x = x * 1664525u + 1013904223u;
      u[j] = (x >> 24) % 3 ? (uint16_t)(0x20 + (x >> 9) % 90) :
                              edge[(x >> 16) % ne];
    }
    gn = hubtok_utf16_to_utf8(u, n, got);
    wn = ref_utf16_to_utf8(u, n, want);
    bad += gn != wn || memcmp(got, want, wn) != 0 ||
           !hubtok__utf8_valid(got, gn);
  }
  CHECK(bad == 0);
  /* exact bytes: a pair, a lone high and a lone low surrogate */
  {
    const uint16_t t[] = { 0x61, 0xD83E, 0xDD99, 0xD83E, 0x62, 0xDD99 };
    gn = hubtok_utf16_to_utf8(t, 6, got);
    CHECK(gn == 12 &&
          memcmp(got, "a\xF0\x9F\xA6\x99\xEF\xBF\xBD" "b\xEF\xBF\xBD",
                 12) == 0);
  }
}

/* Key i of the strmap test: "k<i>" and, for some, bytes past ASCII
 * and NULs (keys are byte strings). */
static size_t
map_key(char *buf, uint32_t i)
{
  size_t n = (size_t)snprintf(buf, 32, "k%u", i);
  if(i % 7 == 0) {
    buf[n++] = '\0';
    buf[n++] = (char)0xC3;
    buf[n++] = (char)0xA9;
  }
  return n;
}

/* The slot a map's hash for key k starts at: put k alone in a map of
 * 64 slots and read where it went. */
static size_t
home_of(const char *k, size_t len)
{
  hubtok__strmap m;
  size_t i, at = 0;

  hubtok__strmap_init(&m, 10);
  if(hubtok__strmap_put(&m, k, len, 0, NULL, NULL) || m.cap != 64)
    at = (size_t)-1;
  for(i = 0; at != (size_t)-1 && i < m.cap; i++)
    if(m.slots[i].hash)
      at = i;
  hubtok__strmap_free(&m);
  return at;
}

/* Keys whose first slot is the last one: the second and third probe
 * past the end, to slots 0 and 1, and are found there. */
static void
strmap_wrap(void)
{
  char keys[3][32];
  size_t lens[3], found = 0, i;
  uint32_t k, v;
  hubtok__strmap m;
  int ok = 1;

  for(k = 0; found < 3 && k < 100000; k++) {
    lens[found] = map_key(keys[found], k);
    if(home_of(keys[found], lens[found]) == 63)
      found++;
  }
  CHECK(found == 3);
  if(found < 3)
    return;
  hubtok__strmap_init(&m, 10);
  for(i = 0; i < 3; i++)
    ok &= hubtok__strmap_put(&m, keys[i], lens[i], (uint32_t)i, NULL,
                             NULL) == HUBTOK_OK;
  CHECK(ok && m.cap == 64 && m.slots[63].hash && m.slots[0].hash &&
        m.slots[1].hash && !m.slots[2].hash);
  for(i = 0; i < 3; i++)
    CHECK(hubtok__strmap_get(&m, keys[i], lens[i], &v) && v == i);
  CHECK(!hubtok__strmap_get(&m, "absent", 6, NULL));
  hubtok__strmap_free(&m);
}

static void
test_strmap(void)
{
  enum { N = 50000 };
  hubtok__strmap m, r;
  hubtok__imgw w;
  hubtok__image img;
  char key[32], path[300];
  size_t i, len, cap, passed = 0;
  uint32_t v;
  int bad = 0, existed;

  /* grown one put at a time */
  hubtok__strmap_init(&m, N);
  for(i = 0; i < N; i++) {
    len = map_key(key, (uint32_t)i);
    bad += hubtok__strmap_put(&m, key, len, (uint32_t)i * 3, NULL, NULL) !=
           HUBTOK_OK;
    bad += m.n * 4 > m.cap * 3;
  }
  CHECK(bad == 0 && m.n == N);
  CHECK(hubtok__strmap_put(&m, "over", 4, 0, NULL, NULL) ==
        HUBTOK_ETOOLARGE);
  /* overwrite: the last value wins, the count stays */
  len = map_key(key, 777);
  CHECK(hubtok__strmap_put(&m, key, len, 5, NULL, &existed) == HUBTOK_OK &&
        existed && m.n == N);
  CHECK(hubtok__strmap_get(&m, key, len, &v) && v == 5);
  CHECK(hubtok__strmap_put(&m, key, len, 777 * 3, NULL, NULL) == HUBTOK_OK);
  /* sealed: the same answers through the filter, which turns most
   * absent keys away before the table */
  CHECK(hubtok__strmap_seal(&m) == HUBTOK_OK && m.filter);
  for(i = 0; i < 2 * N; i++) {
    len = map_key(key, (uint32_t)i);
    if(i < N)
      bad += !hubtok__strmap_get(&m, key, len, &v) || v != i * 3;
    else {
      bad += hubtok__strmap_get(&m, key, len, NULL);
      passed += (size_t)hubtok__strmap_filter_passes(&m, key, len);
    }
  }
  CHECK(bad == 0);
  /* two bits of sixteen per key: about 1.4% of absent keys pass */
  CHECK(passed < N / 20);
  hubtok__strmap_free(&m);
  /* a put unseals: the new key is found */
  hubtok__strmap_init(&m, 10);
  CHECK(hubtok__strmap_put(&m, "a", 1, 1, NULL, NULL) == HUBTOK_OK);
  CHECK(hubtok__strmap_seal(&m) == HUBTOK_OK);
  CHECK(!hubtok__strmap_get(&m, "b", 1, NULL));
  CHECK(hubtok__strmap_put(&m, "b", 1, 2, NULL, NULL) == HUBTOK_OK &&
        !m.filter);
  CHECK(hubtok__strmap_get(&m, "b", 1, &v) && v == 2);
  CHECK(hubtok__strmap_get(&m, "a", 1, &v) && v == 1);
  hubtok__strmap_free(&m);

  /* reserved: one table of a size that is not a power of two, no rehash
   * while the keys go in */
  hubtok__strmap_init(&m, N);
  CHECK(hubtok__strmap_reserve(&m, N, (size_t)N * 12) == HUBTOK_OK);
  cap = m.cap;
  CHECK(cap >= N / 3 * 4 && (cap & (cap - 1)) != 0);
  for(i = 0; i < N; i++) {
    len = map_key(key, (uint32_t)i);
    bad += hubtok__strmap_put(&m, key, len, (uint32_t)i * 3, NULL, NULL) !=
           HUBTOK_OK;
  }
  CHECK(bad == 0 && m.cap == cap && m.n == N);

  /* through an image: every key found with its value, absent keys not */
  hubtok__imgw_init(&w);
  hubtok__strmap_to_image(&m, &w, 1);
  snprintf(path, sizeof(path), "%s/strmap.hubtok", tmpdir);
  CHECK(hubtok__imgw_write(&w, path, 1, "s") == HUBTOK_OK);
  hubtok__imgw_free(&w);
  CHECK(hubtok__image_open(&img, path, 1, "s") == HUBTOK_OK);
  CHECK(hubtok__strmap_from_image(&r, &img, 1, N * 3) == HUBTOK_OK);
  CHECK(r.cap == cap && r.n == N && r.max_len == m.max_len);
  CHECK(hubtok__strmap_seal(&r) == HUBTOK_OK);
  for(i = 0; i < N; i++) {
    len = map_key(key, (uint32_t)i);
    bad += !hubtok__strmap_get(&m, key, len, &v) || v != i * 3;
    bad += !hubtok__strmap_get(&r, key, len, &v) || v != i * 3;
    len = map_key(key, (uint32_t)(i + N));
    bad += hubtok__strmap_get(&m, key, len, NULL);
    bad += hubtok__strmap_get(&r, key, len, NULL);
  }
  CHECK(bad == 0);
  /* a value at the limit is refused */
  hubtok__strmap_free(&r);
  CHECK(hubtok__strmap_from_image(&r, &img, 1, N * 3 - 3) == HUBTOK_EIO);
  hubtok__strmap_free(&r);
  hubtok__image_close(&img);
  unlink(path);
  hubtok__strmap_free(&m);
  strmap_wrap();
}

int
main(int argc, char **argv)
{
  if(!mkdtemp(tmpdir)) {
    perror("mkdtemp");
    return 1;
  }
  test_utf8_dfa();
  test_utf16_to_utf8();
  test_roundtrip();
  test_tables();
  test_strmap();
  if(argc > 1)
    test_models(argv[1]);
  rmdir(tmpdir);
  printf("test_image: %d checks, %d failed\n", checks, failures);
  return failures ? 1 : 0;
}
