/*
 * fuzz_image.c: libFuzzer target for the compiled cache form (src/util/
 * image.h). Each input is the bytes of an image file. Any image, even
 * one with a correct checksum, must either load (and then encode and
 * decode without fault) or be refused with an error code and a message;
 * never crash, hang or leak.
 *
 * Before each load the harness makes the header agree with the input:
 * file_size is set to the input's size, the source name to NAME, and
 * the checksum is recomputed (hubtok__image_reseal), so inputs get past
 * the header and checksum checks to the directory and the tables. The
 * image is written to <tmp>/blobs/NAME.hubtok (one directory per
 * process, under $TMPDIR, else /dev/shm or /tmp; removed at exit) and
 * loaded with hubtok__tokenizer_from_image(), with the header's own
 * src_size.
 *
 * The custom mutator mutates one section at a time most of the time and
 * lays the image out again (offsets, 64-byte alignment, file size), so
 * that a length change inside a section (the JSON, a table) keeps the
 * directory right; it also writes boundary values (counts and lengths of
 * the sections, 0, -1) into the tables, cuts an element off or empties
 * a section, copies one table element over others (a hash table with
 * no free slot, duplicate entries), and otherwise mutates the raw bytes,
 * directory and header included.
 *
 * Seeds: with HUBTOK_FUZZ_IMAGE_SEEDS=SRC:OUT in the environment,
 * LLVMFuzzerInitialize builds the image of every SRC/<f>.json with the
 * engine's own writer (hubtok_tokenizer_from_file_cached() on a copy at
 * <tmp>/blobs/NAME), checks that it loads, saves it as OUT/<f>.hubtok,
 * and fuzzing then starts as usual (pass OUT as a corpus directory: see
 * the Makefile). Images depend on this build's struct layout, so they
 * are built at run time, never committed.
 */
#include "hubtok.h"
#include "tokenizer/compiled.h"
#include "util/image.h"

#include <dirent.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* The header of an image, as util/image.c lays it out (its struct is
 * private there); checked against a real image in LLVMFuzzerInitialize,
 * so a change of the format stops the fuzzer instead of blinding it. */
#define HEAD_SIZE 120
#define HEAD_FILE_SIZE 16 /* uint64_t */
#define HEAD_SRC_SIZE 24  /* uint64_t */
#define HEAD_NSECT 40     /* uint32_t */
#define HEAD_NAME 48      /* char[NAME_LEN], NUL-padded */
#define NAME_LEN 72
#define SECT_SIZE sizeof(hubtok__image_sect)
#define ALIGN 64

/* The blob's name: a git hash, as in a Hub cache. */
#define NAME "0123456789abcdef0123456789abcdef01234567"

/* The fuzzed image and the blob the seeds are built from. */
static char tmp_dir[512];
static char blob_dir[600];
static char blob_path[700];
static char image_path[720];
static char check_path[600];

size_t LLVMFuzzerMutate(uint8_t *data, size_t size, size_t max_size);

static void
remove_tmp(void)
{
  unlink(image_path);
  unlink(blob_path);
  unlink(check_path);
  rmdir(blob_dir);
  rmdir(tmp_dir);
}

static void
die(const char *what, const char *detail)
{
  fprintf(stderr, "fuzz_image: %s%s%s\n", what, detail ? ": " : "",
          detail ? detail : "");
  exit(1);
}

/* A new file each time: rewriting a truncated one makes ext4 flush it
 * (auto_da_alloc), which costs more than the rest of an exec. */
static int
write_file(const char *path, const void *p, size_t n)
{
  const char *c = p;
  int fd;

  unlink(path);
  fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if(fd < 0)
    return -1;
  while(n) {
    ssize_t k = write(fd, c, n);
    if(k <= 0) {
      close(fd);
      return -1;
    }
    c += k;
    n -= (size_t)k;
  }
  return close(fd);
}

/* The whole file, malloc'd (caller frees); NULL on failure. */
static unsigned char *
read_file(const char *path, size_t *len)
{
  unsigned char *p = NULL;
  struct stat st;
  int fd = open(path, O_RDONLY | O_CLOEXEC);

  if(fd < 0)
    return NULL;
  if(!fstat(fd, &st) && st.st_size >= 0) {
    p = malloc((size_t)st.st_size + 1);
    if(p && read(fd, p, (size_t)st.st_size) != (ssize_t)st.st_size) {
      free(p);
      p = NULL;
    }
    *len = (size_t)st.st_size;
  }
  close(fd);
  return p;
}

static uint64_t
get64(const unsigned char *p)
{
  uint64_t v;
  memcpy(&v, p, sizeof(v));
  return v;
}

static uint32_t
get32(const unsigned char *p)
{
  uint32_t v;
  memcpy(&v, p, sizeof(v));
  return v;
}

static void
put64(unsigned char *p, uint64_t v)
{
  memcpy(p, &v, sizeof(v));
}

static void
put32(unsigned char *p, uint32_t v)
{
  memcpy(p, &v, sizeof(v));
}

/* Make the header agree with the bytes: file size, source name and
 * checksum. Everything else (magic, version, layout, src_size, nsect,
 * the directory) stays as the input has it. */
static void
fix_header(unsigned char *p, size_t n)
{
  if(n < HEAD_SIZE)
    return;
  put64(p + HEAD_FILE_SIZE, (uint64_t)n);
  memset(p + HEAD_NAME, 0, NAME_LEN);
  memcpy(p + HEAD_NAME, NAME, strlen(NAME));
  hubtok__image_reseal(p, n);
}

/* Build the image of the tokenizer.json at `json_path` with the engine
 * (as a Hub cache blob) and return its bytes (caller frees). */
static unsigned char *
build_image(const char *json_path, size_t *len)
{
  hubtok_tokenizer *tok = NULL;
  hubtok_error err;
  unsigned char *json, *img;
  size_t json_len;

  json = read_file(json_path, &json_len);
  if(!json)
    die("cannot read", json_path);
  unlink(image_path);
  if(write_file(blob_path, json, json_len))
    die("cannot write", blob_path);
  free(json);
  if(hubtok_tokenizer_from_file_cached(blob_path, &tok, &err)) {
    fprintf(stderr, "fuzz_image: %s: %s\n", json_path, err.msg);
    exit(1);
  }
  hubtok_tokenizer_free(tok);
  img = read_file(image_path, len);
  if(!img)
    die("no image written for", json_path);
  /* the layout this harness assumes */
  if(*len < HEAD_SIZE || memcmp(img, "HUBTOKI\n", 8) ||
     get64(img + HEAD_FILE_SIZE) != *len ||
     get64(img + HEAD_SRC_SIZE) != json_len ||
     get32(img + HEAD_NSECT) > HUBTOK__IMAGE_MAX_SECT ||
     memcmp(img + HEAD_NAME, NAME, sizeof(NAME)))
    die("the image header is not what fuzz_image.c expects (HEAD_*)",
        json_path);
  if(hubtok__tokenizer_from_image(image_path, json_len, NAME, &tok, &err))
    die("a freshly built image does not load", err.msg);
  hubtok_tokenizer_free(tok);
  return img;
}

/* HUBTOK_FUZZ_IMAGE_SEEDS=SRC:OUT: OUT/<f>.hubtok for each SRC/<f>.json. */
static void
make_seeds(const char *spec)
{
  char src[512], path[1200];
  const char *colon = strchr(spec, ':');
  struct dirent *de;
  DIR *d;
  int count = 0;

  if(!colon || (size_t)(colon - spec) >= sizeof(src))
    die("HUBTOK_FUZZ_IMAGE_SEEDS must be SRC_DIR:OUT_DIR", spec);
  memcpy(src, spec, (size_t)(colon - spec));
  src[colon - spec] = '\0';
  d = opendir(src);
  if(!d)
    die("cannot open", src);
  while((de = readdir(d)) != NULL) {
    size_t n = strlen(de->d_name), len;
    unsigned char *img;
    if(n < 6 || strcmp(de->d_name + n - 5, ".json"))
      continue;
    snprintf(path, sizeof(path), "%s/%s", src, de->d_name);
    img = build_image(path, &len);
    snprintf(path, sizeof(path), "%s/%.*s.hubtok", colon + 1, (int)(n - 5),
             de->d_name);
    if(write_file(path, img, len))
      die("cannot write", path);
    free(img);
    count++;
  }
  closedir(d);
  if(!count)
    die("no .json seed in", src);
  fprintf(stderr, "fuzz_image: %d seed images in %s\n", count, colon + 1);
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
  static const char check_json[] =
    "{\"model\":{\"type\":\"WordLevel\",\"unk_token\":\"a\","
    "\"vocab\":{\"a\":0,\"b\":1}}}";
  const char *base = getenv("TMPDIR");
  const char *seeds = getenv("HUBTOK_FUZZ_IMAGE_SEEDS");
  unsigned char *img;
  size_t len;

  (void)argc;
  (void)argv;
  /* a file per exec: tmpfs when there is one */
  if(!base || !*base)
    base = access("/dev/shm", W_OK) ? "/tmp" : "/dev/shm";
  snprintf(tmp_dir, sizeof(tmp_dir), "%s/hubtok-fuzz-image-XXXXXX", base);
  if(!mkdtemp(tmp_dir))
    die("cannot create a directory in", base);
  snprintf(blob_dir, sizeof(blob_dir), "%s/blobs", tmp_dir);
  snprintf(blob_path, sizeof(blob_path), "%s/" NAME, blob_dir);
  snprintf(image_path, sizeof(image_path), "%s.hubtok", blob_path);
  snprintf(check_path, sizeof(check_path), "%s/check.json", tmp_dir);
  if(mkdir(blob_dir, 0755))
    die("cannot create", blob_dir);
  atexit(remove_tmp);

  /* The header layout check, and fix_header() must leave a valid image
   * as it is. */
  if(write_file(check_path, check_json, sizeof(check_json) - 1))
    die("cannot write", check_path);
  img = build_image(check_path, &len);
  {
    unsigned char *copy = malloc(len);
    if(!copy)
      die("out of memory", NULL);
    memcpy(copy, img, len);
    fix_header(copy, len);
    if(memcmp(copy, img, len))
      die("fix_header() changes a valid image", NULL);
    free(copy);
  }
  free(img);
  unlink(check_path);
  if(seeds)
    make_seeds(seeds);
  unlink(blob_path);
  unlink(image_path);
  return 0;
}

/* ------------------------------------------------------------------ */
/* the target                                                          */

static const char *const texts[] = {
  "Hello world! 12 ab, the x; hello again, world of 3.14 tokens \r\n",
  "F\xc3\xbchrer \xc2\xbd \xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e "
  "\xd0\xbf\xd1\x80\xd0\xb8\xd0\xb2\xd0\xb5\xd1\x82  caf\xc3\xa9 \xef\xac\x81",
  "\xf0\x9f\x91\x8d\xf0\x9f\x8f\xbd \xe2\x9d\xa4\xef\xb8\x8f "
  "\xf0\x9f\xa4\x97\xf0\x9f\x98\x80",
  "<0x41><0xE2> <s></s>[CLS] <|endoftext|>\xe2\x96\x81" "a  \n\t[MASK]",
  ""
};

#define NTEXTS (sizeof(texts) / sizeof(texts[0]))
#define MAX_IDS 512

/* Encode text (and pair), adding the ids to ids[*n..MAX_IDS). */
static void
encode(const hubtok_tokenizer *tok, const char *text, const char *pair,
       int special, int char_offsets, uint32_t *ids, size_t *n)
{
  hubtok_encode_opts opts;
  hubtok_encoding *enc = NULL;
  hubtok_error err;
  hubtok_code rc;
  size_t i;

  opts.add_special_tokens = special;
  if(char_offsets)
    rc = hubtok_encode_char_offsets(tok, text, strlen(text), pair,
                                    pair ? strlen(pair) : 0, &opts, &enc,
                                    &err);
  else
    rc = hubtok_encode(tok, text, strlen(text), pair,
                       pair ? strlen(pair) : 0, &opts, &enc, &err);
  if(rc) {
    /* a failure always says something */
    if(err.code != rc || err.msg[0] == '\0')
      __builtin_trap();
    return;
  }
  for(i = 0; i < enc->n && *n < MAX_IDS; i++)
    ids[(*n)++] = enc->ids[i];
  hubtok_encoding_free(enc);
}

static void
decode(const hubtok_tokenizer *tok, const uint32_t *ids, size_t n,
       int skip)
{
  hubtok_error err;
  char *text = NULL;
  size_t len = 0;

  if(hubtok_decode(tok, ids, n, skip, &text, &len, &err) == HUBTOK_OK)
    hubtok_free(text);
  else if(err.msg[0] == '\0')
    __builtin_trap();
}

static void
exercise(const hubtok_tokenizer *tok)
{
  uint32_t ids[MAX_IDS + 16];
  size_t n = 0, i, vsize = hubtok_vocab_size(tok, 1);
  hubtok_added_token at;
  uint32_t id;
  size_t len;

  for(i = 0; i < NTEXTS; i++) {
    encode(tok, texts[i], NULL, 0, 0, ids, &n);
    encode(tok, texts[i], NULL, 1, 0, ids, &n);
  }
  encode(tok, texts[0], texts[1], 1, 0, ids, &n);
  encode(tok, texts[2], texts[3], 1, 1, ids, &n);
  decode(tok, ids, n, 0);
  decode(tok, ids, n, 1);

  /* every id of a small vocabulary, then ids around and past its end */
  n = vsize < MAX_IDS ? vsize : MAX_IDS;
  for(i = 0; i < n; i++)
    ids[i] = (uint32_t)i;
  decode(tok, ids, n, 0);
  n = 0;
  ids[n++] = (uint32_t)vsize;
  ids[n++] = (uint32_t)vsize + 1;
  ids[n++] = vsize ? (uint32_t)vsize - 1 : 0;
  ids[n++] = (uint32_t)hubtok_vocab_size(tok, 0);
  ids[n++] = 0;
  ids[n++] = 0x7fffffffu;
  ids[n++] = 0x80000000u;
  ids[n++] = UINT32_MAX;
  ids[n++] = 1;
  decode(tok, ids, n, 0);
  decode(tok, ids, n, 1);
  for(i = 0; i < n; i++)
    (void)hubtok_id_to_token(tok, ids[i], &len);

  (void)hubtok_token_to_id(tok, "a", 1, &id);
  (void)hubtok_token_to_id(tok, "<0x41>", 6, &id);
  (void)hubtok_token_to_id(tok, "\xe2\x96\x81", 3, &id);
  (void)hubtok_token_to_id(tok, "", 0, &id);
  for(i = 0; hubtok_added_token_get(tok, i, &at); i++)
    (void)hubtok_token_to_id(tok, at.content, at.content_len, &id);
  (void)hubtok_tokenizer_memory(tok);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  hubtok_tokenizer *tok = NULL;
  hubtok_error err;
  unsigned char *img;
  uint64_t src_size = 0;
  hubtok_code rc;

  img = malloc(size ? size : 1);
  if(!img)
    return 0;
  memcpy(img, data, size);
  if(size >= HEAD_SIZE) {
    fix_header(img, size);
    src_size = get64(img + HEAD_SRC_SIZE);
  }
  if(write_file(image_path, img, size))
    die("cannot write", image_path);
  free(img);
  rc = hubtok__tokenizer_from_image(image_path, src_size, NAME, &tok, &err);
  if(rc) {
    /* refused: with a code and a message, and nothing returned */
    if(tok || err.code != rc || err.msg[0] == '\0')
      __builtin_trap();
    return 0;
  }
  exercise(tok);
  hubtok_tokenizer_free(tok);
  return 0;
}

/* ------------------------------------------------------------------ */
/* the mutator                                                         */

typedef struct sect {
  uint32_t tag;
  uint32_t reserved;
  const unsigned char *p;
  size_t len;
} sect;

/* xorshift32, from libFuzzer's seed */
static uint32_t
next(uint32_t *s)
{
  uint32_t x = *s ? *s : 0x9e3779b9u;
  x ^= x << 13;
  x ^= x >> 17;
  x ^= x << 5;
  *s = x;
  return x;
}

/* The directory of data[0..size), when every section lies inside it. */
static size_t
parse(const unsigned char *data, size_t size, sect *s)
{
  uint32_t n, i;

  if(size < HEAD_SIZE)
    return 0;
  n = get32(data + HEAD_NSECT);
  if(!n || n > HUBTOK__IMAGE_MAX_SECT ||
     HEAD_SIZE + (size_t)n * SECT_SIZE > size)
    return 0;
  for(i = 0; i < n; i++) {
    hubtok__image_sect d;
    memcpy(&d, data + HEAD_SIZE + i * SECT_SIZE, sizeof(d));
    if(d.off > size || d.len > size - d.off)
      return 0;
    s[i].tag = d.tag;
    s[i].reserved = d.reserved;
    s[i].p = data + d.off;
    s[i].len = (size_t)d.len;
  }
  return n;
}

/* Header, directory, then the sections in directory order, each
 * 64-byte aligned, into out (cap bytes). 0 when it does not fit. */
static size_t
layout(const unsigned char *head, const sect *s, size_t n,
       unsigned char *out, size_t cap)
{
  size_t pos = HEAD_SIZE + n * SECT_SIZE, i;

  if(pos > cap)
    return 0;
  memcpy(out, head, HEAD_SIZE);
  put32(out + HEAD_NSECT, (uint32_t)n);
  for(i = 0; i < n; i++) {
    hubtok__image_sect d;
    size_t off = (pos + ALIGN - 1) / ALIGN * ALIGN;
    if(off > cap || s[i].len > cap - off)
      return 0;
    memset(out + pos, 0, off - pos);
    memcpy(out + off, s[i].p, s[i].len);
    d.tag = s[i].tag;
    d.reserved = s[i].reserved;
    d.off = off;
    d.len = s[i].len;
    memcpy(out + HEAD_SIZE + i * SECT_SIZE, &d, sizeof(d));
    pos = off + s[i].len;
  }
  put64(out + HEAD_FILE_SIZE, (uint64_t)pos);
  return pos;
}

/* A boundary value for a table entry: a count or length of some
 * section, one off, or an extreme. */
static uint64_t
boundary(const sect *s, size_t n, uint32_t *rs)
{
  static const size_t elems[] = { 1, 4, 8, 12, 16, 24 };
  uint32_t r = next(rs);
  uint64_t v;

  switch(r % 4) {
  case 0: {
    static const uint64_t x[] = { 0, 1, 2, 0x7fffffffu, 0x80000000u,
                                  UINT32_MAX, UINT64_MAX, 1ull << 32,
                                  255, 256, 257, 0xffff, 0x10000 };
    return x[(r >> 2) % (sizeof(x) / sizeof(x[0]))];
  }
  default:
    v = s[(r >> 2) % n].len / elems[(r >> 10) % 6];
    return v + (uint64_t)((int)((r >> 16) % 3) - 1);
  }
}

static unsigned char *scratch;
static size_t scratch_cap;
static unsigned char *section;
static size_t section_cap;

static int
grow(unsigned char **p, size_t *cap, size_t want)
{
  unsigned char *q;

  if(want <= *cap)
    return 1;
  q = realloc(*p, want);
  if(!q)
    return 0;
  *p = q;
  *cap = want;
  return 1;
}

size_t
LLVMFuzzerCustomMutator(uint8_t *data, size_t size, size_t max_size,
                        unsigned int seed)
{
  sect s[HUBTOK__IMAGE_MAX_SECT];
  uint32_t rs = seed;
  uint32_t r = next(&rs);
  size_t n, k, len, room, out;
  sect *t;

  n = parse(data, size, s);
  /* a quarter of the time (and for what is no image): raw bytes */
  if(!n || r % 4 == 0 || !grow(&scratch, &scratch_cap, max_size) ||
     !grow(&section, &section_cap, max_size))
    return LLVMFuzzerMutate(data, size, max_size);
  k = (r >> 2) % n;
  t = &s[k];
  len = t->len;
  /* room for the section once the others are laid out */
  room = HEAD_SIZE + n * (SECT_SIZE + ALIGN);
  for(out = 0; out < n; out++)
    if(out != k)
      room += s[out].len;
  if(room >= max_size)
    return LLVMFuzzerMutate(data, size, max_size);
  room = max_size - room;
  if(len > room)
    len = room;
  memcpy(section, t->p, len);
  switch((r >> 8) % 8) {
  case 0: /* a boundary value in an aligned word */
    if(len >= 8 && (r >> 11) & 1) {
      size_t at = (next(&rs) % (len / 8)) * 8;
      put64(section + at, boundary(s, n, &rs));
      break;
    }
    if(len >= 4) {
      size_t at = (next(&rs) % (len / 4)) * 4;
      put32(section + at, (uint32_t)boundary(s, n, &rs));
      break;
    }
    /* fall through */
  case 1: /* one element fewer (or a byte), or none at all */
    if(len) {
      static const size_t cut[] = { 1, 4, 8, 12, 16, 24 };
      size_t c = cut[next(&rs) % 6];
      len = c < len && (r >> 11) % 8 ? len - c : 0;
      break;
    }
    /* fall through */
  case 2: /* one element copied over others: full or duplicate slots */
    {
      static const size_t elems[] = { 8, 12, 16, 24 };
      size_t e = elems[next(&rs) % 4], ne = len / e, from, i;
      int all = (r >> 11) & 1;
      if(ne >= 2) {
        from = next(&rs) % ne;
        for(i = 0; i < ne; i++)
          if(i != from && (all || next(&rs) % 4 == 0))
            memcpy(section + i * e, section + from * e, e);
        break;
      }
    }
    /* fall through */
  default:
    if(t->tag == HUBTOK__IMG_JSON && len && room > 1 &&
       section[len - 1] == '\0' && (r >> 12) % 16) {
      /* keep the JSON NUL-terminated, as from_image wants it */
      len = LLVMFuzzerMutate(section, len - 1, room - 1);
      section[len++] = '\0';
    }
    else
      len = LLVMFuzzerMutate(section, len, room);
    break;
  }
  t->p = section;
  t->len = len;
  out = layout(data, s, n, scratch, max_size);
  if(!out)
    return LLVMFuzzerMutate(data, size, max_size);
  memcpy(data, scratch, out);
  return out;
}
