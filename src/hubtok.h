/*
 * hubtok.h: the public C API of hubtok.
 *
 * Two independent parts share this header:
 *   - the tokenizer engine (tokenizer.json -> hubtok_tokenizer, encode,
 *     decode), a port of Hugging Face's Rust `tokenizers` pipeline;
 *   - the Hub client (resolve, revalidate, download into the shared
 *     huggingface_hub cache layout), on libcurl.
 *
 * Neither part includes node_api.h: the core builds and runs without Node
 * (see test/c/). Errors are values: every fallible function returns a
 * hubtok_code and fills an optional hubtok_error (NULL is allowed).
 *
 * Thread safety: a loaded hubtok_tokenizer is immutable; any number of
 * threads may encode/decode with it at once. Per-call scratch lives in the
 * call. hubtok_hub_download() is blocking and re-entrant; call it from a
 * worker thread, never from the JS thread.
 */
#ifndef HUBTOK_H
#define HUBTOK_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/*
 * The error table, defined once. Codes are append-only and never
 * renumbered. The JS `err.code` is "HUBTOK_" followed by the name.
 */
#define HUBTOK_ERRNO_MAP(XX)                                                  \
  XX(OK, 0, "success")                                                        \
  XX(EINVAL, 1, "invalid argument")                                           \
  XX(ENOMEM, 2, "out of memory")                                              \
  XX(EJSON, 3, "malformed JSON")                                              \
  XX(ETOKENIZER, 4, "invalid tokenizer file")                                 \
  XX(EUNSUPPORTED, 5, "unsupported tokenizer component")                      \
  XX(ETOOLARGE, 6, "input or file too large")                                 \
  XX(EIO, 7, "file system error")                                             \
  XX(UNAUTHORIZED, 8, "authentication required or refused")                   \
  XX(FORBIDDEN, 9, "access forbidden")                                        \
  XX(GATED, 10, "gated repository")                                           \
  XX(REPO_NOT_FOUND, 11, "repository not found")                              \
  XX(REVISION_NOT_FOUND, 12, "revision not found")                            \
  XX(ENTRY_NOT_FOUND, 13, "file not found in repository")                     \
  XX(HTTP, 14, "unexpected HTTP status")                                      \
  XX(NETWORK, 15, "network error")                                            \
  XX(TIMEOUT, 16, "request timed out")                                        \
  XX(OFFLINE, 17, "offline mode: file not in the local cache")                \
  XX(INTEGRITY, 18, "downloaded file failed its integrity check")             \
  XX(INVALID_TOKEN, 19, "access token holds forbidden characters")            \
  XX(INSECURE, 20, "refused insecure transfer")                               \
  XX(LOCAL_NOT_FOUND, 21, "local file not found")                             \
  XX(EPROTOCOL, 22, "server does not speak the Hub protocol")

typedef enum hubtok_code {
#define HUBTOK__ENUM(name, num, msg) HUBTOK_##name = num,
  HUBTOK_ERRNO_MAP(HUBTOK__ENUM)
#undef HUBTOK__ENUM
  HUBTOK__CODE_MAX
} hubtok_code;

/*
 * Error details. Fixed-size buffers, so nothing to free. `msg` is a
 * complete sentence for the user (never contains a token). `pos` is a byte
 * offset into the JSON text for EJSON/ETOKENIZER (0 when unknown),
 * `http_status` the final HTTP status (0 when none), `server_code` and
 * `server_msg` the Hub's X-Error-Code / X-Error-Message ("" when absent).
 */
typedef struct hubtok_error {
  hubtok_code code;
  int http_status;
  size_t pos;
  char msg[1536];
  char server_code[64];
  char server_msg[512];
} hubtok_error;

/* "HUBTOK_EJSON" etc. Static string; "HUBTOK_UNKNOWN" for bad codes. */
const char *hubtok_err_name(hubtok_code code);
/* One-line description of a code. Static string. */
const char *hubtok_strerror(hubtok_code code);
/* Free memory returned by hubtok (decoded strings, paths). NULL is a
 * no-op. */
void hubtok_free(void *p);

/* UTF-16 s[0..n) (a JS string's code units) as UTF-8 into out, which has
 * room for 3 * n bytes; returns the bytes written. A surrogate pair
 * becomes its one char and a lone surrogate U+FFFD, as V8's
 * String::WriteUtf8 (what napi_get_value_string_utf8 gives) does, so a
 * binding may copy a string's units on the main thread and convert them
 * on a worker. Pure; thread-safe. */
size_t hubtok_utf16_to_utf8(const uint16_t *s, size_t n, char *out);

/* ------------------------------------------------------------------ */
/* Tokenizer engine                                                    */
/* ------------------------------------------------------------------ */

typedef struct hubtok_tokenizer hubtok_tokenizer;

/*
 * Build a tokenizer from the text of a tokenizer.json (UTF-8, need not be
 * NUL-terminated). On success *out owns everything it needs (the text may
 * be freed); free it with hubtok_tokenizer_free(). On failure *out is NULL
 * and err names the JSON path ("model.merges[12]") in msg.
 * Thread-safe: yes (no global state; cJSON's global error pointer is not
 * used).
 */
hubtok_code hubtok_tokenizer_from_json(const char *json, size_t len,
                                       hubtok_tokenizer **out,
                                       hubtok_error *err);

/* Read and load a tokenizer.json file. Same contract as above. */
hubtok_code hubtok_tokenizer_from_file(const char *path,
                                       hubtok_tokenizer **out,
                                       hubtok_error *err);

/*
 * As hubtok_tokenizer_from_file(), with the compiled cache form for a
 * Hub cache blob: when `path` resolves (symlinks followed) to
 * ".../blobs/<hash>", its model tables are memory-mapped from
 * ".../blobs/<hash>.hubtok" when that file is valid for this build and
 * blob; otherwise the JSON is parsed and the compiled form (re)written
 * beside the blob, atomically and best effort (a read-only cache only
 * costs the speed). Any other path loads as hubtok_tokenizer_from_file().
 * Blocking (file I/O): worker threads.
 */
hubtok_code hubtok_tokenizer_from_file_cached(const char *path,
                                              hubtok_tokenizer **out,
                                              hubtok_error *err);

/* NULL is a no-op. */
void hubtok_tokenizer_free(hubtok_tokenizer *tok);

/*
 * The files of a repo without tokenizer.json, as transformers' slow->fast
 * converters (convert_slow_tokenizer.py) read them. Paths to files that
 * exist, NULL for absent ones. Borrowed for the duration of the call.
 */
typedef struct hubtok_legacy_files {
  const char *tokenizer_class;   /* from tokenizer_config.json, "Fast"
                                    removed; NULL when absent */
  const char *tokenizer_config;  /* tokenizer_config.json */
  const char *special_tokens_map; /* special_tokens_map.json */
  const char *added_tokens;      /* added_tokens.json */
  const char *vocab_txt;         /* vocab.txt (WordPiece: BERT family) */
  const char *vocab_json;        /* vocab.json (BPE: GPT-2 family) */
  const char *merges_txt;        /* merges.txt */
  const char *sp_model;          /* tokenizer.model / spiece.model /
                                    sentencepiece.bpe.model */
} hubtok_legacy_files;

/*
 * Build a tokenizer from legacy files, as the matching transformers
 * converter would (the class picks the converter; without a class, the
 * files present do: vocab.txt -> BERT, vocab.json + merges.txt -> GPT-2,
 * a SentencePiece model -> by its model type). Same ownership contract as
 * hubtok_tokenizer_from_json(). Blocking (reads files): worker threads.
 */
hubtok_code hubtok_tokenizer_from_legacy(const hubtok_legacy_files *files,
                                         hubtok_tokenizer **out,
                                         hubtok_error *err);



/* Approximate heap bytes held by the tokenizer (for GC accounting). */
size_t hubtok_tokenizer_memory(const hubtok_tokenizer *tok);

typedef struct hubtok_encode_opts {
  int add_special_tokens; /* apply the post-processor's special tokens */
} hubtok_encode_opts;

/*
 * The result of an encode. All arrays have `n` entries and are owned by
 * the encoding; free the whole thing with hubtok_encoding_free().
 *   ids           token ids
 *   type_ids      segment ids from the post-processor (0 or 1)
 *   special_mask  1 for tokens added by the post-processor
 *   seq_ids       0 = first sequence, 1 = pair, -1 = added special token
 *   word_ids      index of the pre-token the token came from, -1 if none
 *   offsets       2n values: [start, end) of each token, in bytes of the
 *                 UTF-8 input sequence it came from (seq_ids says which;
 *                 chars with hubtok_encode_char_offsets)
 *   tokens        token i is tokens + token_off[i], token_off[i+1] -
 *                 token_off[i] bytes long (token_off has n + 1 entries;
 *                 tokens is NUL-terminated as a whole)
 */
typedef struct hubtok_encoding {
  size_t n;
  uint32_t *ids;
  uint32_t *type_ids;
  uint8_t *special_mask;
  int8_t *seq_ids;
  int32_t *word_ids;
  size_t *offsets;
  char *tokens;
  size_t *token_off;
} hubtok_encoding;

/*
 * Encode `text` (and `pair` when non-NULL) exactly as the Rust library's
 * Tokenizer.encode(text, pair, add_special_tokens) does. Input must be
 * valid UTF-8 (the binding converts JS strings, mapping lone surrogates to
 * U+FFFD as the Rust Node binding does). *out is owned by the caller:
 * hubtok_encoding_free(). Thread-safe: yes.
 */
hubtok_code hubtok_encode(const hubtok_tokenizer *tok, const char *text,
                          size_t len, const char *pair, size_t pair_len,
                          const hubtok_encode_opts *opts,
                          hubtok_encoding **out, hubtok_error *err);

/*
 * hubtok_encode with offsets in code points of the sequence each token
 * came from, as the Rust library's encode_char_offsets (what its Node
 * binding returns): each sequence's byte offsets become char offsets
 * before the post-processor runs (an offset inside a char maps to that
 * char; see tokenizer.c). Thread-safe: yes.
 */
hubtok_code hubtok_encode_char_offsets(const hubtok_tokenizer *tok,
                                       const char *text, size_t len,
                                       const char *pair, size_t pair_len,
                                       const hubtok_encode_opts *opts,
                                       hubtok_encoding **out,
                                       hubtok_error *err);

/*
 * hubtok_encode for the ids alone (tokenizer.encode(text) in JS): the
 * same ids, without token strings, offsets, word, type or sequence ids.
 * *out has n and ids; its other arrays are NULL. Thread-safe: yes.
 */
hubtok_code hubtok_encode_ids(const hubtok_tokenizer *tok, const char *text,
                              size_t len, const char *pair, size_t pair_len,
                              const hubtok_encode_opts *opts,
                              hubtok_encoding **out, hubtok_error *err);

/* NULL is a no-op. */
void hubtok_encoding_free(hubtok_encoding *enc);

/*
 * Decode ids to text as the Rust library's decode(ids,
 * skip_special_tokens). Unknown ids are skipped, as Rust does. *out is a
 * NUL-terminated UTF-8 string owned by the caller: hubtok_free().
 * Thread-safe: yes.
 */
hubtok_code hubtok_decode(const hubtok_tokenizer *tok, const uint32_t *ids,
                          size_t n, int skip_special_tokens, char **out,
                          size_t *out_len, hubtok_error *err);

/* Vocabulary size, with or without added tokens (as getVocabSize). */
size_t hubtok_vocab_size(const hubtok_tokenizer *tok, int with_added);

/* Id of a token (model vocab or added token). Returns 1 and sets *id when
 * found, 0 otherwise. */
int hubtok_token_to_id(const hubtok_tokenizer *tok, const char *token,
                       size_t len, uint32_t *id);

/* Token string of an id, or NULL. Borrowed: valid while tok lives. *len
 * receives its length. */
const char *hubtok_id_to_token(const hubtok_tokenizer *tok, uint32_t id,
                               size_t *len);

/* One added token, as in tokenizer.json's "added_tokens". Borrowed. */
typedef struct hubtok_added_token {
  uint32_t id;
  const char *content;
  size_t content_len;
  int special;
  int single_word;
  int lstrip;
  int rstrip;
  int normalized;
} hubtok_added_token;

size_t hubtok_added_token_count(const hubtok_tokenizer *tok);
/* Fills *out with the i-th added token (i < count); pointers borrowed
 * from tok. Returns 0 when i is out of range. */
int hubtok_added_token_get(const hubtok_tokenizer *tok, size_t i,
                           hubtok_added_token *out);

/* ------------------------------------------------------------------ */
/* Hub client                                                          */
/* ------------------------------------------------------------------ */

/*
 * Progress of one download, called on the downloading (worker) thread,
 * at most a few times per 100 ms and once more at the end. `total` is 0
 * when unknown.
 */
typedef void (*hubtok_progress_fn)(void *ud, uint64_t loaded,
                                   uint64_t total);

typedef struct hubtok_hub_opts {
  const char *endpoint;   /* "https://huggingface.co" (no trailing '/') */
  const char *repo_id;    /* "org/name" or "name" */
  const char *repo_type;  /* "model" (NULL = model), "dataset", "space" */
  const char *revision;   /* NULL = "main"; branch, tag or 40-hex commit */
  const char *filename;   /* path in the repo, subfolder included */
  const char *cache_dir;  /* the hub cache root (HF_HUB_CACHE) */
  const char *token;      /* NULL or "" = anonymous. Never logged. */
  const char *user_agent; /* NULL = "hubtok/<version>" */
  const char *proxy;      /* NULL/"" = no proxy; else curl proxy URL */
  const char *no_proxy;   /* NULL or a NO_PROXY list */
  int local_files_only;   /* 1: never touch the network */
  int offline;            /* 1: HF_HUB_OFFLINE (as local_files_only, other
                             message) */
  long etag_timeout_ms;    /* HEAD timeout; 0 = 10000 */
  long download_timeout_ms; /* connect/stall timeout; 0 = 10000 */
  int max_retries;         /* <0 = default 5 */
  long backoff_base_ms;    /* first retry wait; 0 = 1000, doubles, cap 8x */
  hubtok_progress_fn progress; /* may be NULL */
  void *progress_ud;
} hubtok_hub_opts;

typedef struct hubtok_hub_result {
  char *path;       /* snapshot path of the file; caller frees with
                       hubtok_free() */
  char commit[41];  /* resolved commit ("" when unknown: local folder) */
  uint64_t size;    /* file size in bytes */
  int downloaded;   /* 1 when bytes were fetched in this call */
  int requests;     /* HTTP requests made by this call (for tests) */
} hubtok_hub_result;

/*
 * Resolve opts->filename in the cache, revalidating or downloading it as
 * huggingface_hub's hf_hub_download does (see docs/hub.md). Blocking: call
 * it from a worker thread. Thread-safe: yes; concurrent calls for the same
 * blob in several processes are serialised by a lock file. On failure
 * out->path is NULL and err has the code, the HTTP status and the
 * server's X-Error-Code / X-Error-Message.
 */
hubtok_code hubtok_hub_download(const hubtok_hub_opts *opts,
                                hubtok_hub_result *out, hubtok_error *err);

/* Load (dlopen) and initialise libcurl once per process (idempotent,
 * thread-safe): HUBTOK_NETWORK when it cannot be loaded. Called by
 * hubtok_hub_download() itself when it needs the network; exposed for
 * tests. */
hubtok_code hubtok_hub_global_init(void);

/* "0.1.0" */
const char *hubtok_version(void);

#ifdef __cplusplus
}
#endif

#endif /* HUBTOK_H */
