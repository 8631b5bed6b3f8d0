/*
 * wordpiece.c: vocab.txt (+ tokenizer_config.json, special_tokens_map.json)
 * -> the tokenizer.json that transformers' BertConverter
 * (convert_slow_tokenizer.py) builds for BertTokenizer and the classes
 * that share it:
 *
 *   normalizer      BertNormalizer(clean_text, handle_chinese_chars =
 *                   tokenize_chinese_chars, strip_accents, lowercase =
 *                   do_lower_case); all off when do_basic_tokenize is
 *                   false (the slow tokenizer then has no basic_tokenizer)
 *   pre_tokenizer   BertPreTokenizer
 *   model           WordPiece(vocab, unk_token, "##", 100)
 *   post_processor  TemplateProcessing "[CLS]:0 $A:0 [SEP]:0" and
 *                   "[CLS]:0 $A:0 [SEP]:0 $B:1 [SEP]:1"
 *   decoder         WordPiece("##", cleanup)
 *   added_tokens    the special tokens (unk, sep, pad, cls, mask, then
 *                   additional_special_tokens), special and not
 *                   normalized; a token missing from vocab.txt gets the
 *                   next free id, in that order. tokenizer_config.json's
 *                   added_tokens_decoder (ids and flags as transformers
 *                   saved them) overrides these and adds its other
 *                   tokens.
 *
 * vocab.txt is read as BertTokenizer's load_vocab reads it: one token per
 * line (Python universal newlines: \n, \r\n or \r end a line), the id is
 * the line number, a repeated token keeps its last id. Token settings
 * come from tokenizer_config.json, then special_tokens_map.json, then
 * BertTokenizer's defaults. A non-empty added_tokens.json is
 * HUBTOK_EUNSUPPORTED.
 */
#include "convert/convert.h"
#include "util/file.h"
#include "models/model.h"
#include "util/json.h"
#include "util/strmap.h"
#include "util/utf8.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Largest vocab.txt and JSON side file read, in bytes. */
#define VOCAB_FILE_MAX ((size_t)64 << 20)
/* Most additional_special_tokens. */
#define EXTRA_MAX 256
/* Most entries of added_tokens_decoder. */
#define DEC_MAX 256

/* The classes whose fast tokenizer BertConverter builds. */
static const char *const BERT_CLASSES[] = {
  "BertTokenizer", "DistilBertTokenizer", "ElectraTokenizer",
  "LayoutLMTokenizer", "LxmertTokenizer", "MobileBertTokenizer",
  "RetriBertTokenizer", "SqueezeBertTokenizer", "ConvBertTokenizer",
  "DPRContextEncoderTokenizer", "DPRQuestionEncoderTokenizer",
  "DPRReaderTokenizer", "RealmTokenizer"
};

/* unk, sep, pad, cls, mask: SPECIAL_TOKENS_ATTRIBUTES order for BERT. */
static const char *const SPECIAL_KEYS[] = {
  "unk_token", "sep_token", "pad_token", "cls_token", "mask_token"
};
static const char *const SPECIAL_DEFAULTS[] = {
  "[UNK]", "[SEP]", "[PAD]", "[CLS]", "[MASK]"
};
#define UNK 0
#define SEP 1
#define CLS 3

/* A special token setting: a string or an AddedToken {"content": ...}.
 * NULL when absent, null or of another shape. Borrowed from v. */
static const char *
token_value(const cJSON *v)
{
  if(cJSON_IsString(v))
    return v->valuestring;
  if(cJSON_IsObject(v)) {
    const cJSON *c = hubtok__json_get(v, "content");
    if(cJSON_IsString(c))
      return c->valuestring;
  }
  return NULL;
}

/* Member `key` from the config, else from the special tokens map. */
static const cJSON *
setting(const cJSON *config, const cJSON *map, const char *key)
{
  const cJSON *v = hubtok__json_get(config, key);

  if(hubtok__json_is_null(v))
    v = hubtok__json_get(map, key);
  return hubtok__json_is_null(v) ? NULL : v;
}

/* A bool setting of tokenizer_config.json; *out -1 when null/absent. */
static hubtok_code
config_bool(const cJSON *config, const char *path, const char *key,
            int *out, hubtok_error *err)
{
  const cJSON *v = hubtok__json_get(config, key);

  *out = -1;
  if(hubtok__json_is_null(v))
    return HUBTOK_OK;
  if(!cJSON_IsBool(v))
    return hubtok__set_error(err, HUBTOK_ETOKENIZER,
                             "%.1024s: %s: expected true, false or null",
                             path, key);
  *out = cJSON_IsTrue(v) ? 1 : 0;
  return HUBTOK_OK;
}

typedef struct vocab_txt {
  hubtok__strmap map;  /* token -> last line index */
  char *data;          /* the file, lines NUL-terminated in place */
  size_t *line_off;    /* start of each line in data */
  size_t n;            /* lines */
} vocab_txt;

static void
vocab_txt_free(vocab_txt *v)
{
  hubtok__strmap_free(&v->map);
  free(v->data);
  free(v->line_off);
  memset(v, 0, sizeof(*v));
}

static hubtok_code
load_vocab_txt(vocab_txt *v, const char *path, hubtok_error *err)
{
  size_t len, i, cap = 0, start = 0;
  hubtok_code rc;

  memset(v, 0, sizeof(*v));
  hubtok__strmap_init(&v->map, HUBTOK__VOCAB_MAX);
  rc = hubtok__read_file(path, VOCAB_FILE_MAX, &v->data, &len, err);
  if(rc)
    return rc;
  if(!hubtok__utf8_valid(v->data, len))
    return hubtok__set_error(err, HUBTOK_ETOKENIZER,
                             "%.1024s is not valid UTF-8", path);
  if(memchr(v->data, 0, len))
    return hubtok__set_error(err, HUBTOK_EUNSUPPORTED,
                             "%.1024s: NUL bytes in tokens are not "
                             "supported", path);
  for(i = 0; i <= len; i++) {
    int end = i == len || v->data[i] == '\n' || v->data[i] == '\r';
    if(!end)
      continue;
    if(i == len && start == len)
      break; /* no empty line after the last line break */
    if(v->n == cap) {
      size_t ncap = cap ? cap * 2 : 32768;
      size_t *no;
      if(ncap > HUBTOK__VOCAB_MAX)
        ncap = HUBTOK__VOCAB_MAX;
      if(v->n >= ncap)
        return hubtok__set_error(err, HUBTOK_ETOOLARGE,
                                 "%.1024s has more than %zu lines", path,
                                 HUBTOK__VOCAB_MAX);
      no = realloc(v->line_off, ncap * sizeof(*no));
      if(!no)
        return hubtok__set_error(err, HUBTOK_ENOMEM, "out of memory");
      v->line_off = no;
      cap = ncap;
    }
    v->line_off[v->n] = start;
    rc = hubtok__strmap_put(&v->map, v->data + start, i - start,
                            (uint32_t)v->n, NULL, NULL);
    if(rc)
      return hubtok__set_error(err, rc, "%.1024s: %s", path,
                               hubtok_strerror(rc));
    v->n++;
    if(i < len) {
      int crlf = v->data[i] == '\r' && i + 1 < len &&
                 v->data[i + 1] == '\n';
      v->data[i] = 0;
      if(crlf)
        i++;
    }
    start = i + 1;
  }
  return HUBTOK_OK;
}

/* One special token: its text and id. */
typedef struct special {
  const char *text;
  uint32_t id;
  int special;      /* the AddedToken flags */
  int normalized;
  int lstrip;
  int rstrip;
  int single_word;
} special;

static cJSON *
added_token(const special *s)
{
  cJSON *o = cJSON_CreateObject();

  if(!o)
    return NULL;
  if(!cJSON_AddNumberToObject(o, "id", s->id) ||
     !cJSON_AddBoolToObject(o, "special", s->special) ||
     !cJSON_AddStringToObject(o, "content", s->text) ||
     !cJSON_AddBoolToObject(o, "single_word", s->single_word) ||
     !cJSON_AddBoolToObject(o, "lstrip", s->lstrip) ||
     !cJSON_AddBoolToObject(o, "rstrip", s->rstrip) ||
     !cJSON_AddBoolToObject(o, "normalized", s->normalized)) {
    cJSON_Delete(o);
    return NULL;
  }
  return o;
}

static cJSON *
template_piece(int is_seq, const char *id, int type_id)
{
  cJSON *o = cJSON_CreateObject();
  cJSON *in = cJSON_CreateObject();

  if(!o || !in || !cJSON_AddStringToObject(in, "id", id) ||
     !cJSON_AddNumberToObject(in, "type_id", type_id)) {
    cJSON_Delete(o);
    cJSON_Delete(in);
    return NULL;
  }
  cJSON_AddItemToObject(o, is_seq ? "Sequence" : "SpecialToken", in);
  return o;
}

/* "[CLS]:0 $A:0 [SEP]:0" (+ " $B:1 [SEP]:1" for the pair) */
static cJSON *
template_list(const special *sp, int pair)
{
  cJSON *a = cJSON_CreateArray();
  cJSON *items[5];
  size_t n = pair ? 5 : 3, i;

  items[0] = template_piece(0, sp[CLS].text, 0);
  items[1] = template_piece(1, "A", 0);
  items[2] = template_piece(0, sp[SEP].text, 0);
  items[3] = pair ? template_piece(1, "B", 1) : NULL;
  items[4] = pair ? template_piece(0, sp[SEP].text, 1) : NULL;
  for(i = 0; i < n; i++) {
    if(!items[i] || !a) {
      for(i = 0; i < n; i++)
        cJSON_Delete(items[i]);
      cJSON_Delete(a);
      return NULL;
    }
  }
  for(i = 0; i < n; i++)
    cJSON_AddItemToArray(a, items[i]);
  return a;
}

static cJSON *
special_entry(const special *s)
{
  cJSON *o = cJSON_CreateObject();
  cJSON *ids = cJSON_CreateArray();
  cJSON *toks = cJSON_CreateArray();
  cJSON *id = cJSON_CreateNumber(s->id);
  cJSON *tok = cJSON_CreateString(s->text);

  if(!o || !ids || !toks || !id || !tok) {
    cJSON_Delete(o);
    cJSON_Delete(ids);
    cJSON_Delete(toks);
    cJSON_Delete(id);
    cJSON_Delete(tok);
    return NULL;
  }
  cJSON_AddItemToArray(ids, id);
  cJSON_AddItemToArray(toks, tok);
  cJSON_AddStringToObject(o, "id", s->text);
  cJSON_AddItemToObject(o, "ids", ids);
  cJSON_AddItemToObject(o, "tokens", toks);
  return o;
}

static int
cmp_special(const void *a, const void *b)
{
  const special *x = a, *y = b;
  return x->id < y->id ? -1 : x->id > y->id;
}

/* Build the tokenizer.json tree. */
static hubtok_code
build(const vocab_txt *v, const special *sp, const special *all,
      size_t nall, int lower, int chinese, int strip, cJSON **out,
      hubtok_error *err)
{
  cJSON *root = cJSON_CreateObject();
  cJSON *added, *norm, *pre, *post, *stoks, *dec, *model, *vocab;
  special *sorted = NULL;
  size_t i;
  int ok = root != NULL;

  *out = NULL;
  ok = ok && cJSON_AddStringToObject(root, "version", "1.0") &&
       cJSON_AddNullToObject(root, "truncation") &&
       cJSON_AddNullToObject(root, "padding");
  added = ok ? cJSON_AddArrayToObject(root, "added_tokens") : NULL;
  ok = ok && added;
  if(ok) {
    /* by id, as Rust serialises them; a token listed twice once */
    sorted = malloc((nall ? nall : 1) * sizeof(*sorted));
    ok = sorted != NULL;
  }
  if(ok) {
    memcpy(sorted, all, nall * sizeof(*sorted));
    qsort(sorted, nall, sizeof(*sorted), cmp_special);
    for(i = 0; i < nall && ok; i++) {
      cJSON *t;
      if(i && sorted[i].id == sorted[i - 1].id)
        continue;
      t = added_token(&sorted[i]);
      ok = t != NULL;
      if(ok)
        cJSON_AddItemToArray(added, t);
    }
  }
  free(sorted);
  norm = ok ? cJSON_AddObjectToObject(root, "normalizer") : NULL;
  ok = ok && norm && cJSON_AddStringToObject(norm, "type", "BertNormalizer")
       && cJSON_AddBoolToObject(norm, "clean_text", 1) &&
       cJSON_AddBoolToObject(norm, "handle_chinese_chars", chinese) &&
       (strip < 0 ? cJSON_AddNullToObject(norm, "strip_accents") != NULL :
        cJSON_AddBoolToObject(norm, "strip_accents", strip) != NULL) &&
       cJSON_AddBoolToObject(norm, "lowercase", lower);
  pre = ok ? cJSON_AddObjectToObject(root, "pre_tokenizer") : NULL;
  ok = ok && pre && cJSON_AddStringToObject(pre, "type", "BertPreTokenizer");
  post = ok ? cJSON_AddObjectToObject(root, "post_processor") : NULL;
  ok = ok && post &&
       cJSON_AddStringToObject(post, "type", "TemplateProcessing");
  if(ok) {
    cJSON *single = template_list(sp, 0);
    cJSON *pair = template_list(sp, 1);
    ok = single && pair;
    if(ok) {
      cJSON_AddItemToObject(post, "single", single);
      cJSON_AddItemToObject(post, "pair", pair);
    }
    else {
      cJSON_Delete(single);
      cJSON_Delete(pair);
    }
  }
  stoks = ok ? cJSON_AddObjectToObject(post, "special_tokens") : NULL;
  ok = ok && stoks;
  if(ok) {
    cJSON *c = special_entry(&sp[CLS]);
    cJSON *s = special_entry(&sp[SEP]);
    ok = c && s;
    if(ok) {
      cJSON_AddItemToObject(stoks, sp[CLS].text, c);
      if(strcmp(sp[CLS].text, sp[SEP].text))
        cJSON_AddItemToObject(stoks, sp[SEP].text, s);
      else
        cJSON_Delete(s);
    }
    else {
      cJSON_Delete(c);
      cJSON_Delete(s);
    }
  }
  dec = ok ? cJSON_AddObjectToObject(root, "decoder") : NULL;
  ok = ok && dec && cJSON_AddStringToObject(dec, "type", "WordPiece") &&
       cJSON_AddStringToObject(dec, "prefix", "##") &&
       cJSON_AddBoolToObject(dec, "cleanup", 1);
  model = ok ? cJSON_AddObjectToObject(root, "model") : NULL;
  ok = ok && model && cJSON_AddStringToObject(model, "type", "WordPiece") &&
       cJSON_AddStringToObject(model, "unk_token", sp[UNK].text) &&
       cJSON_AddStringToObject(model, "continuing_subword_prefix", "##") &&
       cJSON_AddNumberToObject(model, "max_input_chars_per_word", 100);
  vocab = ok ? cJSON_AddObjectToObject(model, "vocab") : NULL;
  ok = ok && vocab;
  for(i = 0; i < v->n && ok; i++) {
    const char *tok = v->data + v->line_off[i];
    uint32_t id = 0;
    cJSON *num;
    /* a repeated token: only its last line */
    if(!hubtok__strmap_get(&v->map, tok, strlen(tok), &id) || id != i)
      continue;
    num = cJSON_CreateNumber((double)i);
    ok = num != NULL;
    if(ok)
      cJSON_AddItemToObject(vocab, tok, num);
  }
  if(!ok) {
    cJSON_Delete(root);
    return hubtok__set_error(err, HUBTOK_ENOMEM, "out of memory");
  }
  *out = root;
  return HUBTOK_OK;
}

/* A bool AddedToken flag of an added_tokens_decoder entry. */
static int
flag(const cJSON *e, const char *key, int dflt)
{
  const cJSON *v = hubtok__json_get(e, key);

  return cJSON_IsBool(v) ? cJSON_IsTrue(v) : dflt;
}

/* tokenizer_config.json "added_tokens_decoder" ({"<id>": {"content",
 * "lstrip", "rstrip", "normalized", "single_word", "special"}}): the
 * added tokens as transformers saved them, appended to dec[0..*n). */
static hubtok_code
read_added_decoder(const cJSON *config, const char *cpath, special *dec,
                   size_t *n, size_t cap, hubtok_error *err)
{
  const cJSON *d = hubtok__json_get(config, "added_tokens_decoder");
  const cJSON *e;

  *n = 0;
  if(hubtok__json_is_null(d))
    return HUBTOK_OK;
  if(!cJSON_IsObject(d))
    return hubtok__set_error(err, HUBTOK_ETOKENIZER,
                             "%.1024s: added_tokens_decoder: expected an "
                             "object", cpath);
  cJSON_ArrayForEach(e, d) {
    const cJSON *c = hubtok__json_get(e, "content");
    char *end = NULL;
    unsigned long id;
    special *t;
    if(!e->string || !cJSON_IsObject(e) || !cJSON_IsString(c) ||
       !hubtok__utf8_valid(c->valuestring, strlen(c->valuestring)))
      return hubtok__set_error(err, HUBTOK_ETOKENIZER,
                               "%.1024s: added_tokens_decoder: expected "
                               "{\"<id>\": {\"content\": ...}}", cpath);
    id = strtoul(e->string, &end, 10);
    if(!*e->string || *end || id >= HUBTOK__VOCAB_MAX)
      return hubtok__set_error(err, HUBTOK_ETOKENIZER,
                               "%.1024s: added_tokens_decoder: bad id "
                               "\"%.64s\"", cpath, e->string);
    if(*n == cap)
      return hubtok__set_error(err, HUBTOK_ETOOLARGE,
                               "%.1024s: too many added tokens", cpath);
    t = &dec[(*n)++];
    t->text = c->valuestring;
    t->id = (uint32_t)id;
    t->special = flag(e, "special", 0);
    t->normalized = flag(e, "normalized", !t->special);
    t->lstrip = flag(e, "lstrip", 0);
    t->rstrip = flag(e, "rstrip", 0);
    t->single_word = flag(e, "single_word", 0);
  }
  return HUBTOK_OK;
}

hubtok_code
hubtok__convert_wordpiece(const hubtok_legacy_files *files, cJSON **out,
                          hubtok_error *err)
{
  cJSON *config = NULL, *map = NULL, *added = NULL;
  vocab_txt v;
  special sp[5 + EXTRA_MAX];     /* unk, sep, pad, cls, mask, extras */
  special dec[DEC_MAX];           /* added_tokens_decoder */
  special all[5 + EXTRA_MAX + DEC_MAX]; /* every added token */
  size_t nsp = 5, ndec = 0, nall = 0, i;
  uint32_t max_id = 0;
  int have_max = 0;
  int lower, chinese, strip, basic;
  const char *cpath;
  hubtok_code rc;

  *out = NULL;
  memset(&v, 0, sizeof(v));
  if(!files || !files->vocab_txt)
    return hubtok__set_error(err, HUBTOK_EINVAL, "no vocab.txt");
  if(files->tokenizer_class) {
    for(i = 0; i < sizeof(BERT_CLASSES) / sizeof(BERT_CLASSES[0]); i++) {
      if(!strcmp(files->tokenizer_class, BERT_CLASSES[i]))
        break;
    }
    if(i == sizeof(BERT_CLASSES) / sizeof(BERT_CLASSES[0]))
      return hubtok__set_error(err, HUBTOK_EUNSUPPORTED,
                               "tokenizer_class %.128s: building its "
                               "tokenizer from vocab.txt is not supported",
                               files->tokenizer_class);
  }
  cpath = files->tokenizer_config ? files->tokenizer_config :
          "tokenizer_config.json";
  rc = hubtok__convert_read_json(files->tokenizer_config, &config, err);
  if(!rc)
    rc = hubtok__convert_read_json(files->special_tokens_map, &map, err);
  if(!rc)
    rc = hubtok__convert_read_json(files->added_tokens, &added, err);
  if(!rc && added && cJSON_GetArraySize(added) > 0)
    rc = hubtok__set_error(err, HUBTOK_EUNSUPPORTED,
                           "%.1024s: added tokens in added_tokens.json are "
                           "not supported", files->added_tokens);
  if(!rc)
    rc = config_bool(config, cpath, "do_lower_case", &lower, err);
  if(!rc)
    rc = config_bool(config, cpath, "tokenize_chinese_chars", &chinese,
                     err);
  if(!rc)
    rc = config_bool(config, cpath, "strip_accents", &strip, err);
  if(!rc)
    rc = config_bool(config, cpath, "do_basic_tokenize", &basic, err);
  if(!rc)
    rc = load_vocab_txt(&v, files->vocab_txt, err);
  if(rc)
    goto done;
  /* BertTokenizer defaults; without a basic tokenizer BertConverter
   * turns everything off */
  if(lower < 0)
    lower = 1;
  if(chinese < 0)
    chinese = 1;
  if(basic == 0) {
    lower = 0;
    chinese = 0;
    strip = 0;
  }
  rc = read_added_decoder(config, cpath, dec, &ndec, DEC_MAX, err);
  if(rc)
    goto done;
  for(i = 0; i < 5; i++) {
    const char *t = token_value(setting(config, map, SPECIAL_KEYS[i]));
    sp[i].text = t ? t : SPECIAL_DEFAULTS[i];
  }
  {
    const cJSON *extra = setting(config, map, "additional_special_tokens");
    const cJSON *it;
    if(cJSON_IsArray(extra)) {
      cJSON_ArrayForEach(it, extra) {
        const char *t = token_value(it);
        if(!t)
          continue;
        if(nsp == 5 + EXTRA_MAX) {
          rc = hubtok__set_error(err, HUBTOK_ETOOLARGE,
                                 "more than %d additional special tokens",
                                 EXTRA_MAX);
          goto done;
        }
        sp[nsp++].text = t;
      }
    }
  }
  /* The order transformers adds them in: the saved added tokens by id,
   * then the special tokens not among them. */
  qsort(dec, ndec, sizeof(*dec), cmp_special);
  memcpy(all, dec, ndec * sizeof(*dec));
  nall = ndec;
  for(i = 0; i < nsp; i++) {
    size_t k;
    if(!hubtok__utf8_valid(sp[i].text, strlen(sp[i].text))) {
      rc = hubtok__set_error(err, HUBTOK_ETOKENIZER,
                             "special token is not valid UTF-8");
      goto done;
    }
    for(k = 0; k < nall && strcmp(all[k].text, sp[i].text); k++)
      ;
    if(k < nall)
      continue;
    memset(&all[nall], 0, sizeof(all[nall]));
    all[nall].text = sp[i].text;
    all[nall].special = 1;
    nall++;
  }
  /* Their ids, as Rust's AddedVocabulary::add_tokens gives them: the
   * vocabulary id, else after the largest id so far (at least the
   * vocabulary size). */
  for(i = 0; i < nall; i++) {
    size_t vsz = v.map.n;
    if(!hubtok__strmap_get(&v.map, all[i].text, strlen(all[i].text),
                           &all[i].id)) {
      if(!have_max)
        all[i].id = (uint32_t)vsz;
      else
        all[i].id = max_id >= vsz || vsz == 0 ? max_id + 1 : (uint32_t)vsz;
    }
    if(!have_max || all[i].id > max_id)
      max_id = all[i].id;
    have_max = 1;
  }
  for(i = 0; i < nsp; i++) {
    size_t k;
    for(k = 0; k < nall && strcmp(all[k].text, sp[i].text); k++)
      ;
    sp[i] = all[k];
  }
  rc = build(&v, sp, all, nall, lower, chinese, strip, out, err);
done:
  vocab_txt_free(&v);
  cJSON_Delete(config);
  cJSON_Delete(map);
  cJSON_Delete(added);
  return rc;
}
