/*
 * bpe_files.c: vocab.json + merges.txt (+ added_tokens.json,
 * special_tokens_map.json, tokenizer_config.json) -> the tokenizer.json
 * transformers builds for a repo without one, mirroring
 * transformers/convert_slow_tokenizer.py (GPT2Converter,
 * RobertaConverter, Qwen2Converter), the slow tokenizers' file parsing
 * (GPT2Tokenizer / Qwen2Tokenizer __init__) and the special and added
 * tokens PreTrainedTokenizerFast.__init__ adds
 * (tokenization_utils_fast.py, tokenization_utils_base.py).
 *
 * Classes (tokenizer_class, "Fast" removed; none means GPT-2):
 *   GPT2Tokenizer, CodeGenTokenizer                        GPT2Converter
 *   RobertaTokenizer, BartTokenizer, LongformerTokenizer,
 *   LEDTokenizer, MvpTokenizer, LayoutLMv3Tokenizer        RobertaConverter
 *   Qwen2Tokenizer                                         Qwen2Converter
 * Any other class is HUBTOK_EUNSUPPORTED.
 *
 * Ownership and threads: see convert.h; the function keeps no state.
 */
#include "convert/convert.h"
#include "util/file.h"
#include "util/json.h"
#include "util/strmap.h"
#include "util/utf8.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Largest file read (vocab.json, merges.txt, the small JSON files). */
#define FILE_MAX ((size_t)256 << 20)
/* Most added tokens taken from added_tokens.json / the config. */
#define ADDED_MAX ((size_t)1 << 20)

typedef enum family {
  FAM_GPT2,
  FAM_ROBERTA,
  FAM_QWEN2
} family;

static const struct {
  const char *name;
  family fam;
} classes[] = {
  { "GPT2Tokenizer", FAM_GPT2 },
  { "CodeGenTokenizer", FAM_GPT2 },
  { "RobertaTokenizer", FAM_ROBERTA },
  { "BartTokenizer", FAM_ROBERTA },
  { "LongformerTokenizer", FAM_ROBERTA },
  { "LEDTokenizer", FAM_ROBERTA },
  { "MvpTokenizer", FAM_ROBERTA },
  { "LayoutLMv3Tokenizer", FAM_ROBERTA },
  { "Qwen2Tokenizer", FAM_QWEN2 }
};

/* An AddedToken. */
typedef struct tok_spec {
  char *content;     /* NULL: no token */
  int lstrip;
  int rstrip;
  int single_word;
  int normalized;
  int special;
} tok_spec;

/* SPECIAL_TOKENS_ATTRIBUTES, in their order. */
enum { SP_BOS, SP_EOS, SP_UNK, SP_SEP, SP_PAD, SP_CLS, SP_MASK, SP_N };
static const char *const sp_keys[SP_N] = {
  "bos_token", "eos_token", "unk_token", "sep_token", "pad_token",
  "cls_token", "mask_token"
};

/* An entry of added_tokens_decoder: an explicit index. */
typedef struct indexed {
  uint32_t index;
  tok_spec t;
} indexed;

typedef struct conv {
  family fam;
  tok_spec sp[SP_N];
  tok_spec *extra;      /* additional_special_tokens */
  size_t n_extra;
  indexed *dec;         /* added_tokens_decoder, by index */
  size_t n_dec;
  int add_prefix_space;
  int add_bos_token;
  hubtok__strmap vocab; /* vocab.json, for convert_tokens_to_ids */
  size_t vocab_n;
} conv;

static void
spec_free(tok_spec *t)
{
  free(t->content);
  t->content = NULL;
}

static void
conv_free(conv *c)
{
  size_t i;

  for(i = 0; i < SP_N; i++)
    spec_free(&c->sp[i]);
  for(i = 0; i < c->n_extra; i++)
    spec_free(&c->extra[i]);
  free(c->extra);
  for(i = 0; i < c->n_dec; i++)
    spec_free(&c->dec[i].t);
  free(c->dec);
  hubtok__strmap_free(&c->vocab);
}

static char *
dup_str(const char *s)
{
  size_t n = strlen(s);
  char *d = malloc(n + 1);

  if(d)
    memcpy(d, s, n + 1);
  return d;
}

/* ------------------------------------------------------------------ */
/* files                                                               */

/* ------------------------------------------------------------------ */
/* special tokens                                                      */

/* Defaults of the slow/fast classes' __init__. */
static hubtok_code
set_defaults(conv *c)
{
  static const char *const gpt2[SP_N] = {
    "<|endoftext|>", "<|endoftext|>", "<|endoftext|>", NULL, NULL, NULL,
    NULL
  };
  static const char *const roberta[SP_N] = {
    "<s>", "</s>", "<unk>", "</s>", "<pad>", "<s>", "<mask>"
  };
  static const char *const qwen2[SP_N] = {
    NULL, "<|endoftext|>", "<|endoftext|>", NULL, "<|endoftext|>", NULL,
    NULL
  };
  const char *const *d = c->fam == FAM_ROBERTA ? roberta :
                         c->fam == FAM_QWEN2 ? qwen2 : gpt2;
  size_t i;

  for(i = 0; i < SP_N; i++) {
    if(!d[i])
      continue;
    c->sp[i].content = dup_str(d[i]);
    if(!c->sp[i].content)
      return HUBTOK_ENOMEM;
    /* RobertaTokenizerFast: "Mask token behave like a normal word" */
    c->sp[i].lstrip = c->fam == FAM_ROBERTA && i == SP_MASK;
  }
  return HUBTOK_OK;
}

static hubtok_code
opt_bool(const cJSON *obj, const char *path, const char *key, int *v,
         hubtok_error *err)
{
  return hubtok__json_bool(obj, path, key, *v, v, err);
}

/* A token value: "content", or an AddedToken object, or null (no
 * token). A string keeps the flags the class gives its default. */
static hubtok_code
token_value(const cJSON *v, const char *path, tok_spec *t, int is_mask,
            family fam, hubtok_error *err)
{
  const char *s;
  size_t len;
  hubtok_code rc;

  spec_free(t);
  memset(t, 0, sizeof(*t));
  if(hubtok__json_is_null(v))
    return HUBTOK_OK;
  if(cJSON_IsString(v)) {
    rc = hubtok__json_as_str(v, path, &s, &len, err);
    if(rc)
      return rc;
    t->lstrip = fam == FAM_ROBERTA && is_mask;
  }
  else {
    rc = hubtok__json_object(v, path, err);
    if(!rc)
      rc = hubtok__json_str(v, path, "content", 1, &s, &len, err);
    if(!rc)
      rc = opt_bool(v, path, "lstrip", &t->lstrip, err);
    if(!rc)
      rc = opt_bool(v, path, "rstrip", &t->rstrip, err);
    if(!rc)
      rc = opt_bool(v, path, "single_word", &t->single_word, err);
    t->normalized = 1;
    if(!rc)
      rc = opt_bool(v, path, "normalized", &t->normalized, err);
    if(!rc)
      rc = opt_bool(v, path, "special", &t->special, err);
    if(rc)
      return rc;
  }
  if(memchr(s, 0, len))
    return hubtok__json_bad(err, path, "token contains a NUL byte");
  t->content = dup_str(s);
  if(!t->content)
    return hubtok__set_error(err, HUBTOK_ENOMEM, "out of memory");
  return HUBTOK_OK;
}

/* The special-token members of tokenizer_config.json or
 * special_tokens_map.json (the latter read second: it wins). */
static hubtok_code
read_specials(conv *c, const cJSON *root, const char *file,
              hubtok_error *err)
{
  char p[HUBTOK__PATH_MAX];
  const cJSON *v, *it;
  size_t i;
  hubtok_code rc;

  if(!root)
    return HUBTOK_OK;
  rc = hubtok__json_object(root, file, err);
  if(rc)
    return rc;
  for(i = 0; i < SP_N; i++) {
    v = hubtok__json_get(root, sp_keys[i]);
    if(!v)
      continue;
    hubtok__json_path(p, file, sp_keys[i]);
    rc = token_value(v, p, &c->sp[i], i == SP_MASK, c->fam, err);
    if(rc)
      return rc;
  }
  v = hubtok__json_get(root, "additional_special_tokens");
  if(v && !hubtok__json_is_null(v)) {
    hubtok__json_path(p, file, "additional_special_tokens");
    if(!cJSON_IsArray(v))
      return hubtok__json_bad(err, p, "expected a list");
    for(i = 0; i < c->n_extra; i++)
      spec_free(&c->extra[i]);
    free(c->extra);
    c->n_extra = 0;
    c->extra = calloc((size_t)cJSON_GetArraySize(v) + 1,
                      sizeof(*c->extra));
    if(!c->extra)
      return hubtok__set_error(err, HUBTOK_ENOMEM, "out of memory");
    i = 0;
    cJSON_ArrayForEach(it, v) {
      char ip[HUBTOK__PATH_MAX];
      hubtok__json_path_index(ip, p, i++);
      rc = token_value(it, ip, &c->extra[c->n_extra], 0, c->fam, err);
      if(rc)
        return rc;
      c->extra[c->n_extra].special = 1;
      if(c->extra[c->n_extra].content)
        c->n_extra++;
    }
  }
  return HUBTOK_OK;
}

/* 1 when s is the content of a special token (all_special_tokens). */
static int
is_special_content(const conv *c, const char *s)
{
  size_t i;

  for(i = 0; i < SP_N; i++)
    if(c->sp[i].content && !strcmp(c->sp[i].content, s))
      return 1;
  for(i = 0; i < c->n_extra; i++)
    if(!strcmp(c->extra[i].content, s))
      return 1;
  return 0;
}

/* added_tokens_decoder[index] = t (replacing an entry of that index). */
static hubtok_code
put_indexed(conv *c, uint32_t index, tok_spec *t, hubtok_error *err)
{
  size_t i;
  indexed *nd;

  for(i = 0; i < c->n_dec; i++) {
    if(c->dec[i].index == index) {
      spec_free(&c->dec[i].t);
      c->dec[i].t = *t;
      memset(t, 0, sizeof(*t));
      return HUBTOK_OK;
    }
  }
  if(c->n_dec >= ADDED_MAX)
    return hubtok__set_error(err, HUBTOK_ETOOLARGE, "too many added "
                             "tokens");
  nd = realloc(c->dec, (c->n_dec + 1) * sizeof(*nd));
  if(!nd)
    return hubtok__set_error(err, HUBTOK_ENOMEM, "out of memory");
  c->dec = nd;
  c->dec[c->n_dec].index = index;
  c->dec[c->n_dec].t = *t;
  c->n_dec++;
  memset(t, 0, sizeof(*t));
  return HUBTOK_OK;
}

static hubtok_code
parse_index(const char *key, const char *path, uint32_t *out,
            hubtok_error *err)
{
  char *end;
  unsigned long v;

  errno = 0;
  v = strtoul(key, &end, 10);
  if(!*key || *end || errno || v > UINT32_MAX || key[0] == '-' ||
     key[0] == '+' || key[0] == ' ')
    return hubtok__json_bad(err, path, "expected a token index");
  *out = (uint32_t)v;
  return HUBTOK_OK;
}

/* tokenizer_config.json "added_tokens_decoder": {"index": AddedToken} */
static hubtok_code
read_added_decoder(conv *c, const cJSON *root, hubtok_error *err)
{
  const cJSON *v = hubtok__json_get(root, "added_tokens_decoder"), *it;
  const char *file = "tokenizer_config.json.added_tokens_decoder";
  hubtok_code rc;

  if(hubtok__json_is_null(v))
    return HUBTOK_OK;
  rc = hubtok__json_object(v, file, err);
  if(rc)
    return rc;
  cJSON_ArrayForEach(it, v) {
    char p[HUBTOK__PATH_MAX];
    tok_spec t;
    uint32_t index = 0;
    memset(&t, 0, sizeof(t));
    hubtok__json_path(p, file, it->string ? it->string : "");
    rc = parse_index(it->string ? it->string : "", p, &index, err);
    if(!rc)
      rc = hubtok__json_object(it, p, err);
    if(!rc)
      rc = token_value(it, p, &t, 0, c->fam, err);
    if(!rc && !t.content)
      rc = hubtok__json_bad(err, p, "expected an added token");
    if(!rc)
      rc = put_indexed(c, index, &t, err);
    spec_free(&t);
    if(rc)
      return rc;
  }
  return HUBTOK_OK;
}

/* added_tokens.json {"content": index}: special when it is a special
 * token's content, normalized otherwise (_from_pretrained). */
static hubtok_code
read_added_json(conv *c, const cJSON *root, hubtok_error *err)
{
  const cJSON *it;
  hubtok_code rc;

  if(!root)
    return HUBTOK_OK;
  rc = hubtok__json_object(root, "added_tokens.json", err);
  if(rc)
    return rc;
  cJSON_ArrayForEach(it, root) {
    char p[HUBTOK__PATH_MAX];
    tok_spec t;
    uint32_t index = 0;
    hubtok__json_path(p, "added_tokens.json", it->string ? it->string : "");
    rc = hubtok__json_as_u32(it, p, &index, err);
    if(rc)
      return rc;
    if(!it->string || !hubtok__utf8_valid(it->string, strlen(it->string)))
      return hubtok__json_bad(err, p, "invalid token");
    memset(&t, 0, sizeof(t));
    t.content = dup_str(it->string);
    if(!t.content)
      return hubtok__set_error(err, HUBTOK_ENOMEM, "out of memory");
    t.special = is_special_content(c, t.content);
    t.normalized = !t.special;
    rc = put_indexed(c, index, &t, err);
    spec_free(&t);
    if(rc)
      return rc;
  }
  return HUBTOK_OK;
}

static int
cmp_indexed(const void *a, const void *b)
{
  const indexed *x = a, *y = b;
  return x->index < y->index ? -1 : x->index > y->index;
}

/* ------------------------------------------------------------------ */
/* merges.txt                                                          */

/* Python's str.isspace(), which str.split() splits on. */
static int
py_space(uint32_t c)
{
  return (c >= 0x09 && c <= 0x0D) || (c >= 0x1C && c <= 0x20) ||
         c == 0x85 || c == 0xA0 || c == 0x1680 ||
         (c >= 0x2000 && c <= 0x200A) || c == 0x2028 || c == 0x2029 ||
         c == 0x202F || c == 0x205F || c == 0x3000;
}

/* line.split() into *parts (at most 3 kept; *n counts all). */
static void
split_line(const char *s, size_t len, const char **part, size_t *plen,
           size_t *n)
{
  size_t i = 0;

  *n = 0;
  while(i < len) {
    size_t cl, start;
    uint32_t c = hubtok__utf8_decode(s + i, len - i, &cl);
    if(py_space(c)) {
      i += cl ? cl : 1;
      continue;
    }
    start = i;
    while(i < len) {
      c = hubtok__utf8_decode(s + i, len - i, &cl);
      if(py_space(c))
        break;
      i += cl ? cl : 1;
    }
    if(*n < 3) {
      part[*n] = s + start;
      plen[*n] = i - start;
    }
    (*n)++;
  }
}

static cJSON *
str_n(const char *s, size_t n)
{
  char *t = malloc(n + 1);
  cJSON *j;

  if(!t)
    return NULL;
  memcpy(t, s, n);
  t[n] = 0;
  j = cJSON_CreateString(t);
  free(t);
  return j;
}

/* GPT2Tokenizer: read().split("\n")[1:-1], each line.split(), kept in
 * first-seen order (bpe_ranks is a dict). Qwen2Tokenizer: every line,
 * stripped, skipping empty ones and a first "#version:" line. */
static hubtok_code
read_merges(const char *path, family fam, cJSON *arr, hubtok_error *err)
{
  hubtok__strmap seen;
  char *data;
  size_t len, pos = 0, line = 0;
  hubtok_code rc;

  rc = hubtok__read_file(path, FILE_MAX, &data, &len, err);
  if(rc)
    return rc;
  if(!hubtok__utf8_valid(data, len)) {
    free(data);
    return hubtok__set_error(err, HUBTOK_ETOKENIZER,
                             "merges.txt is not valid UTF-8");
  }
  hubtok__strmap_init(&seen, (size_t)1 << 26);
  while(pos < len && !rc) {
    const char *part[3];
    size_t plen[3], n, end = pos, next;
    char key[1024];
    while(end < len && data[end] != '\n' &&
          !(fam == FAM_QWEN2 && data[end] == '\r'))
      end++;
    next = end + 1;
    if(fam != FAM_QWEN2 && end >= len)
      break; /* [1:-1]: the text after the last "\n" is dropped */
    line++;
    split_line(data + pos, end - pos, part, plen, &n);
    if(fam == FAM_QWEN2) {
      if(n == 0 || (line == 1 && end - pos >= 9 &&
                    !memcmp(data + pos, "#version:", 9))) {
        pos = next;
        continue;
      }
    }
    else if(line == 1) {
      pos = next;
      continue;
    }
    if(n != 2) {
      rc = hubtok__set_error(err, HUBTOK_ETOKENIZER,
                             "merges.txt line %zu: expected two tokens, "
                             "found %zu", line, n);
      break;
    }
    /* dict(zip(merges, ranks)) keeps the first position of a pair */
    if(plen[0] + plen[1] + 1 < sizeof(key)) {
      int existed = 0;
      memcpy(key, part[0], plen[0]);
      key[plen[0]] = ' ';
      memcpy(key + plen[0] + 1, part[1], plen[1]);
      rc = hubtok__strmap_put(&seen, key, plen[0] + plen[1] + 1, 0, NULL,
                              &existed);
      if(rc) {
        rc = hubtok__set_error(err, rc, "merges.txt: %s",
                               hubtok_strerror(rc));
        break;
      }
      if(existed) {
        pos = next;
        continue;
      }
    }
    {
      cJSON *pair = cJSON_CreateArray();
      cJSON *a = str_n(part[0], plen[0]), *b = str_n(part[1], plen[1]);
      if(!pair || !a || !b || !cJSON_AddItemToArray(pair, a) ||
         !cJSON_AddItemToArray(pair, b) || !cJSON_AddItemToArray(arr,
                                                                 pair)) {
        cJSON_Delete(pair);
        rc = hubtok__set_error(err, HUBTOK_ENOMEM, "out of memory");
      }
    }
    pos = next;
  }
  hubtok__strmap_free(&seen);
  free(data);
  return rc;
}

/* ------------------------------------------------------------------ */
/* building tokenizer.json                                             */

/* convert_tokens_to_ids of the slow tokenizer: added_tokens_decoder,
 * then vocab.json, then the unk token's id. */
static int
token_id(const conv *c, const char *s, uint32_t *id)
{
  size_t i;

  for(i = 0; i < c->n_dec; i++) {
    if(!strcmp(c->dec[i].t.content, s)) {
      *id = c->dec[i].index;
      return 1;
    }
  }
  if(hubtok__strmap_get(&c->vocab, s, strlen(s), id))
    return 1;
  if(c->sp[SP_UNK].content &&
     hubtok__strmap_get(&c->vocab, c->sp[SP_UNK].content,
                        strlen(c->sp[SP_UNK].content), id))
    return 1;
  return 0;
}

static cJSON *
added_json(const tok_spec *t, uint32_t id)
{
  cJSON *o = cJSON_CreateObject();

  if(!o)
    return NULL;
  if(!cJSON_AddNumberToObject(o, "id", id) ||
     !cJSON_AddStringToObject(o, "content", t->content) ||
     !cJSON_AddBoolToObject(o, "single_word", t->single_word) ||
     !cJSON_AddBoolToObject(o, "lstrip", t->lstrip) ||
     !cJSON_AddBoolToObject(o, "rstrip", t->rstrip) ||
     !cJSON_AddBoolToObject(o, "normalized", t->normalized) ||
     !cJSON_AddBoolToObject(o, "special", t->special)) {
    cJSON_Delete(o);
    return NULL;
  }
  return o;
}

/* The tokens PreTrainedTokenizerFast.__init__ adds: added_tokens_decoder
 * by index, then the special tokens not added yet. The "id" members are
 * what AddedVocabulary::add_tokens will assign (the loader recomputes
 * them the same way). */
static hubtok_code
build_added(conv *c, cJSON *arr, hubtok_error *err)
{
  hubtok__strmap done;
  const tok_spec **list;
  size_t n = 0, i, cap = c->n_dec + SP_N + c->n_extra;
  uint32_t next = (uint32_t)c->vocab_n, maxid = 0;
  int have_max = 0;
  hubtok_code rc = HUBTOK_OK;

  list = calloc(cap ? cap : 1, sizeof(*list));
  if(!list)
    return hubtok__set_error(err, HUBTOK_ENOMEM, "out of memory");
  hubtok__strmap_init(&done, ADDED_MAX * 2);
  if(c->n_dec)
    qsort(c->dec, c->n_dec, sizeof(*c->dec), cmp_indexed);
  for(i = 0; i < c->n_dec; i++) {
    tok_spec *t = &c->dec[i].t;
    t->special = t->special || is_special_content(c, t->content);
    list[n++] = t;
  }
  for(i = 0; i < SP_N + c->n_extra; i++) {
    tok_spec *t = i < SP_N ? &c->sp[i] : &c->extra[i - SP_N];
    size_t k;
    int dup = 0;
    if(!t->content)
      continue;
    for(k = 0; k < n && !dup; k++)
      dup = !strcmp(list[k]->content, t->content);
    if(dup)
      continue;
    t->special = 1;
    list[n++] = t;
  }
  for(i = 0; i < n && !rc; i++) {
    const tok_spec *t = list[i];
    uint32_t id;
    cJSON *o;
    if(!*t->content)
      continue;
    if(!hubtok__strmap_get(&done, t->content, strlen(t->content), &id)) {
      if(!hubtok__strmap_get(&c->vocab, t->content, strlen(t->content),
                             &id)) {
        /* AddedVocabulary::add_tokens: after the model's vocabulary and
         * the added ids above it */
        id = have_max && (maxid >= next || next == 0) ? maxid + 1 : next;
      }
      if(!have_max || id > maxid)
        maxid = id;
      have_max = 1;
      rc = hubtok__strmap_put(&done, t->content, strlen(t->content), id,
                              NULL, NULL);
      if(rc) {
        rc = hubtok__set_error(err, rc, "added tokens: %s",
                               hubtok_strerror(rc));
        break;
      }
    }
    o = added_json(t, id);
    if(!o || !cJSON_AddItemToArray(arr, o)) {
      cJSON_Delete(o);
      rc = hubtok__set_error(err, HUBTOK_ENOMEM, "out of memory");
    }
  }
  hubtok__strmap_free(&done);
  free(list);
  return rc;
}

/* pre_tokenizers.ByteLevel(add_prefix_space=..., use_regex=...) and its
 * defaults (trim_offsets True). */
static cJSON *
byte_level(int add_prefix_space, int trim_offsets, int use_regex)
{
  cJSON *o = cJSON_CreateObject();

  if(!o)
    return NULL;
  if(!cJSON_AddStringToObject(o, "type", "ByteLevel") ||
     !cJSON_AddBoolToObject(o, "add_prefix_space", add_prefix_space) ||
     !cJSON_AddBoolToObject(o, "trim_offsets", trim_offsets) ||
     !cJSON_AddBoolToObject(o, "use_regex", use_regex)) {
    cJSON_Delete(o);
    return NULL;
  }
  return o;
}

/* One template piece: {"SpecialToken": {...}} or {"Sequence": {...}}. */
static cJSON *
piece(const char *kind, const char *id, int type_id)
{
  cJSON *o = cJSON_CreateObject(), *in = cJSON_CreateObject();

  if(!o || !in || !cJSON_AddStringToObject(in, "id", id) ||
     !cJSON_AddNumberToObject(in, "type_id", type_id) ||
     !cJSON_AddItemToObject(o, kind, in)) {
    cJSON_Delete(o);
    cJSON_Delete(in);
    return NULL;
  }
  return o;
}

/* GPT2Converter with add_bos_token: "bos:0 $A:0" / "bos:0 $A:0 $B:1" */
static hubtok_code
bos_template(const conv *c, cJSON **out, hubtok_error *err)
{
  const char *bos = c->sp[SP_BOS].content;
  cJSON *o, *single, *pair, *sp, *tok, *ids, *toks;
  uint32_t id;

  *out = NULL;
  if(!bos || !token_id(c, bos, &id))
    return hubtok__set_error(err, HUBTOK_ETOKENIZER,
                             "tokenizer_config.json: add_bos_token is set "
                             "but the bos_token has no id");
  o = cJSON_CreateObject();
  single = cJSON_AddArrayToObject(o, "single");
  pair = cJSON_AddArrayToObject(o, "pair");
  sp = cJSON_AddObjectToObject(o, "special_tokens");
  tok = cJSON_AddObjectToObject(sp, bos);
  ids = cJSON_AddArrayToObject(tok, "ids");
  toks = cJSON_AddArrayToObject(tok, "tokens");
  if(!o || !single || !pair || !sp || !tok || !ids || !toks ||
     !cJSON_AddStringToObject(o, "type", "TemplateProcessing") ||
     !cJSON_AddStringToObject(tok, "id", bos) ||
     !cJSON_AddItemToArray(ids, cJSON_CreateNumber(id)) ||
     !cJSON_AddItemToArray(toks, cJSON_CreateString(bos)) ||
     !cJSON_AddItemToArray(single, piece("SpecialToken", bos, 0)) ||
     !cJSON_AddItemToArray(single, piece("Sequence", "A", 0)) ||
     !cJSON_AddItemToArray(pair, piece("SpecialToken", bos, 0)) ||
     !cJSON_AddItemToArray(pair, piece("Sequence", "A", 0)) ||
     !cJSON_AddItemToArray(pair, piece("Sequence", "B", 1))) {
    cJSON_Delete(o);
    return hubtok__set_error(err, HUBTOK_ENOMEM, "out of memory");
  }
  *out = o;
  return HUBTOK_OK;
}

/* RobertaProcessing(sep=(sep, id), cls=(cls, id), add_prefix_space,
 * trim_offsets=True) */
static hubtok_code
roberta_processor(const conv *c, cJSON **out, hubtok_error *err)
{
  const char *sep = c->sp[SP_SEP].content, *cls = c->sp[SP_CLS].content;
  uint32_t sep_id, cls_id;
  cJSON *o, *s, *k;

  *out = NULL;
  if(!sep || !cls || !token_id(c, sep, &sep_id) ||
     !token_id(c, cls, &cls_id))
    return hubtok__set_error(err, HUBTOK_ETOKENIZER,
                             "RobertaConverter: the sep_token and "
                             "cls_token need ids");
  o = cJSON_CreateObject();
  s = cJSON_AddArrayToObject(o, "sep");
  k = cJSON_AddArrayToObject(o, "cls");
  if(!o || !s || !k ||
     !cJSON_AddStringToObject(o, "type", "RobertaProcessing") ||
     !cJSON_AddItemToArray(s, cJSON_CreateString(sep)) ||
     !cJSON_AddItemToArray(s, cJSON_CreateNumber(sep_id)) ||
     !cJSON_AddItemToArray(k, cJSON_CreateString(cls)) ||
     !cJSON_AddItemToArray(k, cJSON_CreateNumber(cls_id)) ||
     !cJSON_AddBoolToObject(o, "trim_offsets", 1) ||
     !cJSON_AddBoolToObject(o, "add_prefix_space", c->add_prefix_space)) {
    cJSON_Delete(o);
    return hubtok__set_error(err, HUBTOK_ENOMEM, "out of memory");
  }
  *out = o;
  return HUBTOK_OK;
}

/* The Qwen2Converter pre-tokenizer. */
static const char qwen2_re[] =
  "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}|"
  " ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";

static cJSON *
qwen2_pre_tokenizer(int add_prefix_space)
{
  cJSON *o = cJSON_CreateObject(), *arr, *split, *pat;

  arr = cJSON_AddArrayToObject(o, "pretokenizers");
  split = cJSON_CreateObject();
  pat = cJSON_AddObjectToObject(split, "pattern");
  if(!o || !arr || !split || !pat ||
     !cJSON_AddStringToObject(o, "type", "Sequence") ||
     !cJSON_AddStringToObject(split, "type", "Split") ||
     !cJSON_AddStringToObject(pat, "Regex", qwen2_re) ||
     !cJSON_AddStringToObject(split, "behavior", "Isolated") ||
     !cJSON_AddBoolToObject(split, "invert", 0) ||
     !cJSON_AddItemToArray(arr, split)) {
    cJSON_Delete(split);
    cJSON_Delete(o);
    return NULL;
  }
  if(!cJSON_AddItemToArray(arr, byte_level(add_prefix_space, 1, 0))) {
    cJSON_Delete(o);
    return NULL;
  }
  return o;
}

/* Index vocab.json for convert_tokens_to_ids (and check its shape). */
static hubtok_code
index_vocab(conv *c, const cJSON *vocab, hubtok_error *err)
{
  const cJSON *it;
  hubtok_code rc;

  rc = hubtok__json_object(vocab, "vocab.json", err);
  if(rc)
    return rc;
  hubtok__strmap_init(&c->vocab, (size_t)1 << 24);
  cJSON_ArrayForEach(it, vocab) {
    char p[HUBTOK__PATH_MAX];
    uint32_t id;
    hubtok__json_path(p, "vocab.json", it->string ? it->string : "");
    rc = hubtok__json_as_u32(it, p, &id, err);
    if(rc)
      return rc;
    rc = hubtok__strmap_put(&c->vocab, it->string, strlen(it->string), id,
                            NULL, NULL);
    if(rc)
      return hubtok__set_error(err, rc, "vocab.json: %s",
                               hubtok_strerror(rc));
  }
  c->vocab_n = c->vocab.n;
  return HUBTOK_OK;
}

static hubtok_code
build(conv *c, const hubtok_legacy_files *f, cJSON *vocab, cJSON **out,
      hubtok_error *err)
{
  cJSON *root = cJSON_CreateObject(), *model, *merges, *added, *post = NULL;
  cJSON *pre, *dec;
  hubtok_code rc;

  *out = NULL;
  model = cJSON_AddObjectToObject(root, "model");
  added = cJSON_AddArrayToObject(root, "added_tokens");
  if(!root || !model || !added ||
     !cJSON_AddStringToObject(root, "version", "1.0") ||
     !cJSON_AddNullToObject(root, "truncation") ||
     !cJSON_AddNullToObject(root, "padding") ||
     !cJSON_AddStringToObject(model, "type", "BPE") ||
     !cJSON_AddNullToObject(model, "dropout") ||
     !cJSON_AddNullToObject(model, "unk_token") ||
     !cJSON_AddStringToObject(model, "continuing_subword_prefix", "") ||
     !cJSON_AddStringToObject(model, "end_of_word_suffix", "") ||
     !cJSON_AddBoolToObject(model, "fuse_unk", 0) ||
     !cJSON_AddBoolToObject(model, "byte_fallback", 0) ||
     !cJSON_AddBoolToObject(model, "ignore_merges", 0)) {
    cJSON_Delete(root);
    cJSON_Delete(vocab);
    return hubtok__set_error(err, HUBTOK_ENOMEM, "out of memory");
  }
  if(!cJSON_AddItemToObject(model, "vocab", vocab)) {
    cJSON_Delete(root);
    cJSON_Delete(vocab);
    return hubtok__set_error(err, HUBTOK_ENOMEM, "out of memory");
  }
  merges = cJSON_AddArrayToObject(model, "merges");
  if(!merges) {
    cJSON_Delete(root);
    return hubtok__set_error(err, HUBTOK_ENOMEM, "out of memory");
  }
  rc = read_merges(f->merges_txt, c->fam, merges, err);
  if(!rc)
    rc = build_added(c, added, err);
  if(rc) {
    cJSON_Delete(root);
    return rc;
  }
  if(c->fam == FAM_QWEN2) {
    cJSON *nfc = cJSON_AddObjectToObject(root, "normalizer");
    if(!nfc || !cJSON_AddStringToObject(nfc, "type", "NFC"))
      rc = HUBTOK_ENOMEM;
    pre = qwen2_pre_tokenizer(c->add_prefix_space);
  }
  else {
    if(!cJSON_AddNullToObject(root, "normalizer"))
      rc = HUBTOK_ENOMEM;
    pre = byte_level(c->add_prefix_space, 1, 1);
  }
  dec = byte_level(1, 1, 1);
  if(!pre || !dec || rc) {
    cJSON_Delete(pre);
    cJSON_Delete(dec);
    cJSON_Delete(root);
    return hubtok__set_error(err, HUBTOK_ENOMEM, "out of memory");
  }
  cJSON_AddItemToObject(root, "pre_tokenizer", pre);
  cJSON_AddItemToObject(root, "decoder", dec);
  if(c->fam == FAM_ROBERTA)
    rc = roberta_processor(c, &post, err);
  else if(c->fam == FAM_GPT2 && c->add_bos_token)
    rc = bos_template(c, &post, err);
  else {
    /* processors.ByteLevel(trim_offsets=False) */
    post = byte_level(1, 0, 1);
    if(!post)
      rc = hubtok__set_error(err, HUBTOK_ENOMEM, "out of memory");
  }
  if(rc) {
    cJSON_Delete(root);
    return rc;
  }
  cJSON_AddItemToObject(root, "post_processor", post);
  *out = root;
  return HUBTOK_OK;
}

hubtok_code
hubtok__convert_bpe_files(const hubtok_legacy_files *f, cJSON **out,
                          hubtok_error *err)
{
  cJSON *cfg = NULL, *stm = NULL, *addj = NULL, *vocab = NULL;
  conv c;
  size_t i;
  hubtok_code rc;

  *out = NULL;
  memset(&c, 0, sizeof(c));
  hubtok__strmap_init(&c.vocab, 1);
  if(!f || !f->vocab_json || !f->merges_txt)
    return hubtok__set_error(err, HUBTOK_EINVAL, "vocab.json and "
                             "merges.txt are needed");
  c.fam = FAM_GPT2;
  if(f->tokenizer_class) {
    for(i = 0; i < sizeof(classes) / sizeof(classes[0]); i++)
      if(!strcmp(f->tokenizer_class, classes[i].name))
        break;
    if(i == sizeof(classes) / sizeof(classes[0]))
      return hubtok__set_error(err, HUBTOK_EUNSUPPORTED,
                               "tokenizer_class: no vocab.json + "
                               "merges.txt converter for '%.64s'",
                               f->tokenizer_class);
    c.fam = classes[i].fam;
  }
  rc = set_defaults(&c);
  if(rc)
    rc = hubtok__set_error(err, rc, "out of memory");
  if(!rc)
    rc = hubtok__convert_read_json(f->tokenizer_config, &cfg, err);
  if(!rc)
    rc = hubtok__convert_read_json(f->special_tokens_map, &stm,
                   err);
  if(!rc)
    rc = hubtok__convert_read_json(f->added_tokens, &addj, err);
  if(!rc)
    rc = read_specials(&c, cfg, "tokenizer_config.json", err);
  if(!rc)
    rc = read_specials(&c, stm, "special_tokens_map.json", err);
  if(!rc && cfg) {
    rc = hubtok__json_bool(cfg, "tokenizer_config.json", "add_prefix_space",
                           0, &c.add_prefix_space, err);
    if(!rc)
      rc = hubtok__json_bool(cfg, "tokenizer_config.json", "add_bos_token",
                             0, &c.add_bos_token, err);
    if(!rc)
      rc = read_added_decoder(&c, cfg, err);
  }
  if(!rc)
    rc = read_added_json(&c, addj, err);
  if(!rc)
    rc = hubtok__convert_read_json(f->vocab_json, &vocab, err);
  if(!rc)
    rc = index_vocab(&c, vocab, err);
  if(!rc) {
    rc = build(&c, f, vocab, out, err);
    vocab = NULL; /* owned by the tree (or freed) now */
  }
  cJSON_Delete(vocab);
  cJSON_Delete(cfg);
  cJSON_Delete(stm);
  cJSON_Delete(addj);
  conv_free(&c);
  return rc;
}
