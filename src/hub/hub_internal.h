/*
 * hub_internal.h: the pieces of the Hub client shared by src/hub/ files.
 *
 *   hub.c     validation, URL building, the hf_hub_download algorithm,
 *             error mapping (no libcurl, no file layout details)
 *   http.c    one HTTP request with manual redirects (the only file that
 *             includes curl.h)
 *   cache.c   the huggingface_hub cache layout (see cache.h)
 *   digest.c  sha256 / git-blob sha1 of a file (libcrypto EVP)
 *
 * Not part of the public API. Everything here is thread-safe: no global
 * state except libcurl's once-guarded global init.
 */
#ifndef HUBTOK_HUB_INTERNAL_H
#define HUBTOK_HUB_INTERNAL_H

#include "internal.h"

#include <stddef.h>
#include <stdint.h>

/* Caps (style rule 5: everything is bounded). */
#define HUBTOK__MAX_REDIRECTS 10
#define HUBTOK__MAX_URL 8192          /* Location and request URLs */
#define HUBTOK__MAX_TOKEN 4096        /* bytes in an access token */
#define HUBTOK__MAX_FILENAME 1024     /* bytes in a repo file path */
#define HUBTOK__MAX_REVISION 256      /* bytes in a revision */
#define HUBTOK__MAX_NAME_PART 96      /* bytes in repo namespace / name */
#define HUBTOK__MAX_ETAG 128          /* normalised etag */
#define HUBTOK__MAX_DOWNLOAD ((uint64_t)1 << 30) /* 1 GiB, unless the
                                                    Hub says more */
#define HUBTOK__MAX_RETRY_AFTER_S 60  /* longest Retry-After we honour */

/* ------------------------------------------------------------------ */
/* hub.c: pure helpers (unit-tested in test/c/test_hub.c)              */
/* ------------------------------------------------------------------ */

/* 1 when repo_id is "name" or "namespace/name" as huggingface_hub's
 * validate_repo_id accepts it (ASCII [A-Za-z0-9_.-], each part starts and
 * ends with [A-Za-z0-9_], <= 96 bytes, no "--" or "..", no ".git"). */
int hubtok__valid_repo_id(const char *repo_id);

/* 1 when filename is a safe relative path: non-empty, no leading or
 * trailing '/', no empty, "." or ".." segment, no backslash, no control
 * character, at most HUBTOK__MAX_FILENAME bytes. */
int hubtok__valid_filename(const char *filename);

/* 1 when revision can be both a URL segment and a path under refs/:
 * same rules as a filename, at most HUBTOK__MAX_REVISION bytes. */
int hubtok__valid_revision(const char *revision);

/* 1 when s is exactly 40 lowercase hex digits (a commit hash). */
int hubtok__is_commit(const char *s);

/* 1 when the token holds a control character (< 0x20 or 0x7f) or is
 * longer than HUBTOK__MAX_TOKEN. NULL and "" are fine (anonymous). */
int hubtok__token_is_bad(const char *token);

/*
 * Percent-encode src into dst (size dstsize) as Python's
 * urllib.parse.quote: unreserved bytes [A-Za-z0-9_.~-] are kept, '/' is
 * kept when keep_slash, everything else becomes %XX (upper case).
 * Returns the length written, or (size_t)-1 when dst is too small (dst
 * then holds a truncated but NUL-terminated string).
 */
size_t hubtok__url_quote(char *dst, size_t dstsize, const char *src,
                         int keep_slash);

/*
 * Normalise an ETag as huggingface_hub does (strip a leading "W/", then
 * surrounding double quotes) into dst (size >= HUBTOK__MAX_ETAG + 1).
 * Returns 1 when the result is a safe blob name: 1..HUBTOK__MAX_ETAG hex
 * digits (lowered). Returns 0 otherwise (dst is then "").
 */
int hubtok__etag_normalise(char *dst, size_t dstsize, const char *etag);

/* 1 for "localhost" (any case), 127.0.0.0/8 dotted quads, "::1" or
 * "[::1]". */
int hubtok__host_is_loopback(const char *host);

/* The transformers.js sentence for an HTTP status on url, e.g.
 * 'Could not locate file: "<url>".' written to dst. */
void hubtok__status_sentence(char *dst, size_t dstsize, int status,
                             const char *url);

/* ------------------------------------------------------------------ */
/* http.c                                                              */
/* ------------------------------------------------------------------ */

typedef enum hubtok__http_fail {
  HUBTOK__HTTP_OK = 0,     /* a response arrived (any status) */
  HUBTOK__HTTP_NETWORK,    /* connect / DNS / TLS / dropped connection */
  HUBTOK__HTTP_TIMEOUT,    /* connect timeout, total timeout or stall */
  HUBTOK__HTTP_TOOLARGE,   /* body exceeded req->max_body */
  HUBTOK__HTTP_IO,         /* writing the body failed */
  HUBTOK__HTTP_INSECURE,   /* https -> http redirect, or a non-http URL */
  HUBTOK__HTTP_PROTOCOL,   /* bad Location, too many redirects, ... */
  HUBTOK__HTTP_NOMEM
} hubtok__http_fail;

/* Response headers kept from the LAST response of a request. Values are
 * truncated to their buffer; `*_long` flags say when that happened. */
typedef struct hubtok__http_headers {
  int status;               /* from the status line, 0 when none yet */
  char repo_commit[64];     /* X-Repo-Commit */
  char linked_etag[160];    /* X-Linked-Etag */
  char etag[160];           /* ETag */
  int64_t linked_size;      /* X-Linked-Size, -1 when absent/bad */
  int64_t content_length;   /* Content-Length, -1 when absent/bad */
  char error_code[64];      /* X-Error-Code */
  char error_msg[512];      /* X-Error-Message */
  long retry_after_s;       /* Retry-After in seconds, -1 when absent */
  int64_t range_start;      /* Content-Range: bytes <start>-..., -1 */
  char location[HUBTOK__MAX_URL]; /* Location, verbatim */
  int location_long;        /* Location exceeded its buffer */
} hubtok__http_headers;

/* Reset h to "no response yet". */
void hubtok__http_headers_reset(hubtok__http_headers *h);

/*
 * Feed one raw header line (as libcurl hands it: "Name: value\r\n" or a
 * status line "HTTP/1.1 200 OK\r\n") into h. A status line resets h
 * first (each redirect hop or interim response starts afresh). Pure;
 * exposed for tests.
 */
void hubtok__http_header_line(hubtok__http_headers *h, const char *line,
                              size_t len);

/* Parse "bytes <start>-<end>/<total>" (a Content-Range value); returns
 * start or -1. */
int64_t hubtok__parse_content_range(const char *v);

/*
 * Origin of an absolute http(s) URL as "scheme://host:port" (lower-case
 * scheme and host, default port filled in) into dst. Also writes the
 * host alone to host (may be NULL). Returns 0, or -1 when url is not an
 * absolute http/https URL or does not fit.
 */
int hubtok__url_origin(const char *url, char *dst, size_t dstsize,
                       char *host, size_t hostsize);

/*
 * Resolve a Location value (absolute or relative) against base into dst.
 * Returns 0, or -1 when it cannot be parsed, is not http(s), or does not
 * fit.
 */
int hubtok__url_resolve(const char *base, const char *location, char *dst,
                        size_t dstsize);

/* What a redirect hop from one origin to another is. */
typedef enum hubtok__hop_kind {
  HUBTOK__HOP_SAME,     /* same scheme, host and port: auth may stay */
  HUBTOK__HOP_CROSS,    /* another origin: no Authorization from now on */
  HUBTOK__HOP_DOWNGRADE /* https -> http: refused (HUBTOK_INSECURE) */
} hubtok__hop_kind;

/* Classify a hop between two origins from hubtok__url_origin(). Pure. */
hubtok__hop_kind hubtok__classify_hop(const char *origin,
                                      const char *next_origin);

/* Redirect policy of one request. */
typedef enum hubtok__redir {
  HUBTOK__REDIR_SAME_ORIGIN, /* follow same-origin hops; stop (return
                                the 30x) at a cross-origin one */
  HUBTOK__REDIR_ALL          /* follow every hop; auth only while the
                                origin is auth_origin */
} hubtok__redir;

/* One request. Strings are borrowed for the duration of the call. */
typedef struct hubtok__http_req {
  const char *url;         /* absolute http(s) URL */
  int head;                /* 1: HEAD (+ Accept-Encoding: identity) */
  hubtok__redir redir;
  const char *token;       /* NULL: no Authorization at all */
  const char *auth_origin; /* "scheme://host:port" allowed the token */
  const char *user_agent;  /* required */
  const char *proxy;       /* NULL/"": none (CURLOPT_PROXY "") */
  const char *no_proxy;    /* NULL: unset */
  long timeout_ms;         /* total time per hop, 0: none */
  long connect_timeout_ms; /* 0: libcurl default */
  long stall_s;            /* LOW_SPEED_TIME with limit 1, 0: none */
  long stall_ms;           /* also abort when no body byte arrived for
                              this long (libcurl's speed check averages
                              over ~5 s, so it alone fires late); 0: none */
  int fd;                  /* GET: the body goes here at `offset` */
  uint64_t offset;         /* bytes already in fd; > 0 sends Range */
  uint64_t max_body;       /* cap on offset + body bytes */
  uint64_t total;          /* for progress (0: unknown) */
  hubtok_progress_fn progress;
  void *progress_ud;
} hubtok__http_req;

/* The outcome of one request (possibly several hops). */
typedef struct hubtok__http_resp {
  hubtok__http_fail fail;
  int hops;                 /* requests sent (counting failed ones) */
  hubtok__http_headers hdr; /* headers of the last response */
  char url[HUBTOK__MAX_URL]; /* URL of the last hop */
  char next[HUBTOK__MAX_URL]; /* REDIR_SAME_ORIGIN: resolved cross-origin
                                 Location where we stopped, else "" */
  uint64_t have;            /* bytes in fd after the call (GET) */
  int restarted;            /* a 200 answered our Range: fd truncated */
  char detail[256];         /* libcurl's error text, "" when none */
} hubtok__http_resp;

/* One session = one curl easy handle (connections are reused across the
 * requests of a session). Opaque. */
typedef struct hubtok__http_session hubtok__http_session;

/* Returns HUBTOK_OK and a new session in *out (caller frees with
 * hubtok__http_session_free), HUBTOK_ENOMEM, or HUBTOK_NETWORK when
 * libcurl cannot be loaded (hubtok__http_init_error() says why). Loads
 * and initialises libcurl once per process. */
hubtok_code hubtok__http_session_new(hubtok__http_session **out);

/* Why loading libcurl failed ("" when it did not). Static string. */
const char *hubtok__http_init_error(void);

/* NULL is a no-op. */
void hubtok__http_session_free(hubtok__http_session *s);

/* Perform req (see hubtok__redir) on s. Fills *resp (never NULL).
 * Thread-safe when each thread uses its own session. */
void hubtok__http_perform(hubtok__http_session *s,
                          const hubtok__http_req *req,
                          hubtok__http_resp *resp);

/* ------------------------------------------------------------------ */
/* digest.c                                                            */
/* ------------------------------------------------------------------ */

/*
 * Hash the first `size` bytes of fd (read with pread from offset 0) into
 * hex (lower case, NUL-terminated): sha256 (hex has >= 65 bytes) when
 * git_blob is 0, else the git blob id sha1("blob <size>\0" + content)
 * (hex has >= 41 bytes). Returns 0, or -1 on a read or libcrypto error.
 */
int hubtok__digest_fd(int fd, uint64_t size, int git_blob, char *hex,
                      size_t hexsize);

/* Same, of a memory buffer (for tests). */
int hubtok__digest_mem(const void *data, size_t len, int git_blob,
                       char *hex, size_t hexsize);

#endif /* HUBTOK_HUB_INTERNAL_H */
