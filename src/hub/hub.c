/*
 * hub.c: hubtok_hub_download(), huggingface_hub's hf_hub_download
 * (file_download.py _hf_hub_download_to_cache_dir) in C.
 *
 *   1. pinned commit already in snapshots/ (or in .no_exist/): answer
 *      with zero requests
 *   2. local_files_only / offline: refs/<revision> -> snapshots/, or
 *      HUBTOK_OFFLINE
 *   3. HEAD (same-origin redirects only); on failure fall back to the
 *      cached snapshot, else retry what is retryable, else map the error
 *   4. write refs/<revision>; reuse the snapshot or the blob
 *   5. lock, GET into blobs/<etag>.<8 hex>.incomplete (resume with Range),
 *      verify size and hash, rename, symlink
 *
 * The rules for the token (which origin sees it, plain http, redirects)
 * are in docs/hub.md; http.c enforces them per hop. This file builds
 * every message, and never puts the token in one.
 */
#include "hub/hub_internal.h"
#include "hub/cache.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#define DEFAULT_ENDPOINT "https://huggingface.co"
#define DEFAULT_TIMEOUT_MS 10000
#define DEFAULT_RETRIES 5
#define DEFAULT_BACKOFF_MS 1000

/* ------------------------------------------------------------------ */
/* pure helpers                                                        */
/* ------------------------------------------------------------------ */

static int
is_word(unsigned char c)
{
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
         (c >= '0' && c <= '9') || c == '_';
}

/* One part of a repo id: [\w.-]{1,96}, starting and ending with \w. */
static int
valid_part(const char *s, size_t n)
{
  size_t i;

  if(n == 0 || n > HUBTOK__MAX_NAME_PART)
    return 0;
  if(!is_word((unsigned char)s[0]) || !is_word((unsigned char)s[n - 1]))
    return 0;
  for(i = 0; i < n; i++) {
    unsigned char c = (unsigned char)s[i];
    if(!is_word(c) && c != '-' && c != '.')
      return 0;
  }
  return 1;
}

int
hubtok__valid_repo_id(const char *repo_id)
{
  const char *slash;
  size_t n;

  if(!repo_id)
    return 0;
  n = strlen(repo_id);
  if(strstr(repo_id, "--") || strstr(repo_id, ".."))
    return 0;
  if(n >= 4 && !strcmp(repo_id + n - 4, ".git"))
    return 0;
  slash = strchr(repo_id, '/');
  if(!slash)
    return valid_part(repo_id, n);
  if(strchr(slash + 1, '/'))
    return 0;
  return valid_part(repo_id, (size_t)(slash - repo_id)) &&
         valid_part(slash + 1, strlen(slash + 1));
}

static int
valid_path(const char *s, size_t max)
{
  const char *seg;
  const char *p;
  size_t n;

  if(!s || !s[0])
    return 0;
  n = strlen(s);
  if(n > max || s[0] == '/' || s[n - 1] == '/')
    return 0;
  for(p = s; *p; p++) {
    unsigned char c = (unsigned char)*p;
    if(c < 0x20 || c == 0x7f || c == '\\')
      return 0;
  }
  seg = s;
  for(;;) {
    const char *end = strchr(seg, '/');
    size_t len = end ? (size_t)(end - seg) : strlen(seg);
    if(len == 0 || (len == 1 && seg[0] == '.') ||
       (len == 2 && seg[0] == '.' && seg[1] == '.'))
      return 0;
    if(!end)
      break;
    seg = end + 1;
  }
  return 1;
}

int
hubtok__valid_filename(const char *filename)
{
  return valid_path(filename, HUBTOK__MAX_FILENAME);
}

int
hubtok__valid_revision(const char *revision)
{
  return valid_path(revision, HUBTOK__MAX_REVISION);
}

int
hubtok__is_commit(const char *s)
{
  int i;

  if(!s)
    return 0;
  for(i = 0; i < 40; i++) {
    if(!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
      return 0;
  }
  return s[40] == '\0';
}

int
hubtok__token_is_bad(const char *token)
{
  size_t n = 0;

  if(!token)
    return 0;
  for(; token[n]; n++) {
    unsigned char c = (unsigned char)token[n];
    if(c < 0x20 || c == 0x7f)
      return 1;
  }
  return n > HUBTOK__MAX_TOKEN;
}

size_t
hubtok__url_quote(char *dst, size_t dstsize, const char *src,
                  int keep_slash)
{
  static const char hex[] = "0123456789ABCDEF";
  size_t o = 0;

  if(!dstsize)
    return (size_t)-1;
  for(; *src; src++) {
    unsigned char c = (unsigned char)*src;
    int keep = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
               (c >= '0' && c <= '9') || c == '_' || c == '.' ||
               c == '-' || c == '~' || (keep_slash && c == '/');
    size_t need = keep ? 1 : 3;
    if(o + need >= dstsize) {
      dst[o] = '\0';
      return (size_t)-1;
    }
    if(keep)
      dst[o++] = (char)c;
    else {
      dst[o++] = '%';
      dst[o++] = hex[c >> 4];
      dst[o++] = hex[c & 15];
    }
  }
  dst[o] = '\0';
  return o;
}

int
hubtok__etag_normalise(char *dst, size_t dstsize, const char *etag)
{
  size_t n;
  size_t i;

  if(!dstsize)
    return 0;
  dst[0] = '\0';
  if(!etag)
    return 0;
  if(!strncmp(etag, "W/", 2))
    etag += 2;
  n = strlen(etag);
  while(n && etag[0] == '"') {
    etag++;
    n--;
  }
  while(n && etag[n - 1] == '"')
    n--;
  if(n == 0 || n > HUBTOK__MAX_ETAG || n >= dstsize)
    return 0;
  for(i = 0; i < n; i++) {
    char c = etag[i];
    if(c >= 'A' && c <= 'F')
      c = (char)(c - 'A' + 'a');
    if(!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
      dst[0] = '\0';
      return 0;
    }
    dst[i] = c;
  }
  dst[n] = '\0';
  return 1;
}

int
hubtok__host_is_loopback(const char *host)
{
  unsigned int a;
  unsigned int b;
  unsigned int c;
  unsigned int d;
  char tail;

  if(!host)
    return 0;
  if(!strcasecmp(host, "localhost") || !strcmp(host, "::1") ||
     !strcmp(host, "[::1]"))
    return 1;
  if(sscanf(host, "%3u.%3u.%3u.%3u%c", &a, &b, &c, &d, &tail) == 4)
    return a == 127 && b < 256 && c < 256 && d < 256;
  return 0;
}

void
hubtok__status_sentence(char *dst, size_t dstsize, int status,
                        const char *url)
{
  const char *m = NULL;

  switch(status) {
  case 401:
    m = "Unauthorized access to file";
    break;
  case 403:
    m = "Forbidden access to file";
    break;
  case 404:
    m = "Could not locate file";
    break;
  case 400:
    m = "Bad request error occurred while trying to load file";
    break;
  case 408:
    m = "Request timeout error occurred while trying to load file";
    break;
  case 500: /* sic, as transformers.js */
    m = "Internal server error error occurred while trying to load file";
    break;
  case 502:
    m = "Bad gateway error occurred while trying to load file";
    break;
  case 503:
    m = "Service unavailable error occurred while trying to load file";
    break;
  case 504:
    m = "Gateway timeout error occurred while trying to load file";
    break;
  }
  if(m)
    snprintf(dst, dstsize, "%s: \"%s\".", m, url);
  else
    snprintf(dst, dstsize,
             "Error (%d) occurred while trying to load file: \"%s\".",
             status, url);
}

/* ------------------------------------------------------------------ */
/* one download                                                        */
/* ------------------------------------------------------------------ */

struct dl {
  const hubtok_hub_opts *o;
  hubtok_hub_result *out;
  hubtok_error *err;
  hubtok__cache cache;
  hubtok__http_session *http;
  hubtok__http_resp *resp;  /* heap: large */
  const char *revision;
  const char *repo_type;
  const char *prefix;       /* "", "datasets/", "spaces/" */
  const char *token;        /* NULL: anonymous */
  const char *send_token;   /* token, or NULL when withheld */
  int token_withheld;       /* token given, endpoint plain http */
  char ua_default[64];
  const char *user_agent;
  char *endpoint;           /* without trailing '/' */
  char auth_origin[512];
  char *url;                /* the resolve URL (first request) */
  long etag_timeout_ms;
  long download_timeout_ms;
  long backoff_ms;
  int max_retries;
};

/* Replace every occurrence of the token in s (size ssize) by "<TOKEN>". */
static void
redact(char *s, size_t ssize, const char *token)
{
  char buf[2048];
  size_t tlen;
  size_t o = 0;
  const char *p = s;
  const char *hit;

  if(!token || !token[0] || !s[0] || ssize > sizeof(buf))
    return;
  tlen = strlen(token);
  if(!strstr(s, token))
    return;
  for(;;) {
    size_t n;
    hit = strstr(p, token);
    if(!hit)
      break;
    n = (size_t)(hit - p);
    if(o + n + 7 >= ssize)
      break;
    memcpy(buf + o, p, n);
    memcpy(buf + o + n, "<TOKEN>", 7);
    o += n + 7;
    p = hit + tlen;
  }
  hit = strstr(p, token);
  if(!hit) {
    size_t n = strlen(p);
    if(o + n >= ssize)
      n = ssize - 1 - o;
    memcpy(buf + o, p, n);
    o += n;
  }
  buf[o] = '\0';
  memcpy(s, buf, o + 1);
  explicit_bzero(buf, sizeof(buf));
}

/* Append a printf-formatted sentence (with a leading space) to err->msg.
 */
static void append(hubtok_error *err, const char *fmt, ...)
  HUBTOK__PRINTF(2, 3);

static void
append(hubtok_error *err, const char *fmt, ...)
{
  va_list ap;
  size_t n;

  if(!err)
    return;
  n = strlen(err->msg);
  if(n + 2 >= sizeof(err->msg))
    return;
  err->msg[n++] = ' ';
  err->msg[n] = '\0';
  va_start(ap, fmt);
  vsnprintf(err->msg + n, sizeof(err->msg) - n, fmt, ap);
  va_end(ap);
}

/* Copy the server's X-Error-* and status into err, and scrub the token
 * from every text field. */
static void
finish_error(struct dl *d, const hubtok__http_headers *h)
{
  hubtok_error *err = d->err;

  if(!err)
    return;
  if(h) {
    err->http_status = h->status;
    snprintf(err->server_code, sizeof(err->server_code), "%s",
             h->error_code);
    snprintf(err->server_msg, sizeof(err->server_msg), "%s",
             h->error_msg);
  }
  redact(err->msg, sizeof(err->msg), d->token);
  redact(err->server_code, sizeof(err->server_code), d->token);
  redact(err->server_msg, sizeof(err->server_msg), d->token);
}

/* The server message as an extra sentence (redacted by finish_error). */
static void
append_server_msg(struct dl *d, const hubtok__http_headers *h)
{
  size_t n = strlen(h->error_msg);

  if(!n)
    return;
  append(d->err, "The Hub says: %s%s", h->error_msg,
         h->error_msg[n - 1] == '.' ? "" : ".");
}

static hubtok_code
map_http_error(struct dl *d, const hubtok__http_headers *h)
{
  const char *code = h->error_code;
  int status = h->status;
  hubtok_code rc;
  char sentence[HUBTOK__MAX_URL + 128];

  if(!strcmp(code, "GatedRepo"))
    rc = HUBTOK_GATED;
  else if(!strcmp(code, "RepoNotFound"))
    rc = HUBTOK_REPO_NOT_FOUND;
  else if(!strcmp(code, "RevisionNotFound"))
    rc = HUBTOK_REVISION_NOT_FOUND;
  else if(!strcmp(code, "EntryNotFound"))
    rc = HUBTOK_ENTRY_NOT_FOUND;
  else if(status == 401)
    rc = HUBTOK_UNAUTHORIZED;
  else if(status == 403)
    rc = HUBTOK_FORBIDDEN;
  else if(status == 404)
    rc = HUBTOK_ENTRY_NOT_FOUND;
  else
    rc = HUBTOK_HTTP;

  hubtok__status_sentence(sentence, sizeof(sentence), status, d->url);
  hubtok__set_error(d->err, rc, "%s", sentence);
  switch(rc) {
  case HUBTOK_GATED:
    if(d->send_token)
      append(d->err, "An access token was sent but it has not been "
                     "granted access.");
    else if(d->token_withheld)
      append(d->err, "The access token was not sent because the endpoint "
                     "is plain http (not https).");
    else
      append(d->err, "No access token was sent: set HF_TOKEN or pass "
                     "{ token }.");
    append_server_msg(d, h);
    append(d->err, "Request access at %s/%s%s.", d->endpoint, d->prefix,
           d->o->repo_id);
    break;
  case HUBTOK_REPO_NOT_FOUND:
    append(d->err, "Repository \"%s\" not found: check the repo id and "
                   "its type. If it is private or gated, make sure you "
                   "are authenticated (HF_TOKEN or { token }).",
           d->o->repo_id);
    if(d->token_withheld)
      append(d->err, "The access token was not sent because the endpoint "
                     "is plain http (not https).");
    append_server_msg(d, h);
    break;
  case HUBTOK_REVISION_NOT_FOUND:
    append(d->err, "Revision \"%s\" not found in \"%s\".", d->revision,
           d->o->repo_id);
    append_server_msg(d, h);
    break;
  case HUBTOK_ENTRY_NOT_FOUND:
    append(d->err, "\"%s\" does not exist in \"%s\" at revision \"%s\".",
           d->o->filename, d->o->repo_id, d->revision);
    append_server_msg(d, h);
    break;
  case HUBTOK_UNAUTHORIZED:
  case HUBTOK_FORBIDDEN:
    if(d->token_withheld)
      append(d->err, "The access token was not sent because the endpoint "
                     "is plain http (not https).");
    else if(!d->send_token)
      append(d->err, "No access token was sent: set HF_TOKEN or pass "
                     "{ token }.");
    else if(rc == HUBTOK_FORBIDDEN)
      append(d->err, "Make sure your access token has the required "
                     "permissions.");
    else
      append(d->err, "The access token was refused.");
    append_server_msg(d, h);
    break;
  default:
    if(status == 429 && h->retry_after_s >= 0)
      append(d->err, "Rate limited: the Hub asks to retry after %ld "
                     "seconds.", h->retry_after_s);
    append_server_msg(d, h);
    break;
  }
  finish_error(d, h);
  return rc;
}

/* A transport failure (no usable HTTP response) to an error. */
static hubtok_code
map_fail(struct dl *d, const hubtok__http_resp *r, int attempts,
         int expected_known)
{
  hubtok_code rc;

  switch(r->fail) {
  case HUBTOK__HTTP_TIMEOUT:
    rc = hubtok__set_error(d->err, HUBTOK_TIMEOUT,
                           "Request timed out while trying to load file: "
                           "\"%s\" (%s; %d attempt%s).",
                           d->url, r->detail, attempts,
                           attempts == 1 ? "" : "s");
    append(d->err, "The file is not in the local cache either. Check "
                   "your connection and proxy settings and try again.");
    break;
  case HUBTOK__HTTP_NETWORK:
    rc = hubtok__set_error(d->err, HUBTOK_NETWORK,
                           "Network error while trying to load file: "
                           "\"%s\" (%s; %d attempt%s).",
                           d->url, r->detail, attempts,
                           attempts == 1 ? "" : "s");
    append(d->err, "An error happened while trying to locate the file on "
                   "the Hub and it is not in the local cache. Check your "
                   "connection and proxy settings and try again.");
    break;
  case HUBTOK__HTTP_TOOLARGE:
    if(expected_known)
      rc = hubtok__set_error(d->err, HUBTOK_INTEGRITY,
                             "Consistency check failed for \"%s\": the "
                             "server sent more bytes than announced. The "
                             "partial download was deleted.",
                             d->url);
    else
      rc = hubtok__set_error(d->err, HUBTOK_ETOOLARGE,
                             "Refusing to download \"%s\": larger than "
                             "1 GiB and the Hub did not announce its size "
                             "(X-Linked-Size).",
                             d->url);
    break;
  case HUBTOK__HTTP_IO:
    rc = hubtok__set_error(d->err, HUBTOK_EIO,
                           "Cannot write the download of \"%s\" to the "
                           "cache: %s.",
                           d->url, strerror(errno ? errno : EIO));
    break;
  case HUBTOK__HTTP_INSECURE:
    rc = hubtok__set_error(d->err, HUBTOK_INSECURE,
                           "Refused insecure transfer while loading file: "
                           "\"%s\" (%s).",
                           d->url, r->detail);
    break;
  case HUBTOK__HTTP_NOMEM:
    rc = hubtok__set_error(d->err, HUBTOK_ENOMEM, "Out of memory.");
    break;
  default:
    rc = hubtok__set_error(d->err, HUBTOK_EPROTOCOL,
                           "Unexpected answer while loading file: \"%s\" "
                           "(%s).",
                           d->url, r->detail);
    break;
  }
  finish_error(d, r->hdr.status ? &r->hdr : NULL);
  return rc;
}

static void
sleep_ms(long ms)
{
  struct timespec ts;

  if(ms <= 0)
    return;
  ts.tv_sec = ms / 1000;
  ts.tv_nsec = (ms % 1000) * 1000000L;
  while(nanosleep(&ts, &ts) && errno == EINTR)
    ;
}

/* Wait before retry number `attempt` (0-based): base doubling, capped at
 * 8x base; Retry-After (seconds) wins for 429/503. */
static void
backoff(struct dl *d, int attempt, const hubtok__http_headers *h)
{
  long ms = d->backoff_ms;
  int i;

  for(i = 0; i < attempt && ms < 8 * d->backoff_ms; i++)
    ms *= 2;
  if(ms > 8 * d->backoff_ms)
    ms = 8 * d->backoff_ms;
  if(h && (h->status == 429 || h->status == 503) && h->retry_after_s >= 0)
    ms = (h->retry_after_s > HUBTOK__MAX_RETRY_AFTER_S
            ? HUBTOK__MAX_RETRY_AFTER_S
            : h->retry_after_s) * 1000L;
  sleep_ms(ms);
}

static int
retryable_status(int status)
{
  return status == 408 || status == 429 || status >= 500;
}

/* Success: fill out from the snapshot path. */
static hubtok_code
succeed(struct dl *d, const char *ptr, const char *commit)
{
  uint64_t size = 0;

  hubtok__file_exists(ptr, &size);
  d->out->path = strdup(ptr);
  if(!d->out->path)
    return hubtok__set_error(d->err, HUBTOK_ENOMEM, "Out of memory.");
  snprintf(d->out->commit, sizeof(d->out->commit), "%s", commit);
  d->out->size = size;
  hubtok__clear_error(d->err);
  return HUBTOK_OK;
}

/* Look the file up via refs/<revision> (or the commit itself). Returns 1
 * and sets *rc when the cache answers (a snapshot or a .no_exist marker),
 * 0 when it does not know. */
static int
from_cache(struct dl *d, hubtok_code *rc)
{
  char commit[41];
  char *ptr;
  char *miss;
  int hit = 0;

  if(hubtok__is_commit(d->revision))
    memcpy(commit, d->revision, 41);
  else if(!hubtok__cache_read_ref(&d->cache, d->revision, commit))
    return 0;
  ptr = hubtok__cache_snapshot_path(&d->cache, commit, d->o->filename);
  if(hubtok__file_exists(ptr, NULL)) {
    *rc = succeed(d, ptr, commit);
    hit = 1;
  }
  else {
    miss = hubtok__cache_no_exist_path(&d->cache, commit, d->o->filename);
    if(miss && !access(miss, F_OK)) {
      char sentence[HUBTOK__MAX_URL + 128];
      hubtok__status_sentence(sentence, sizeof(sentence), 404, d->url);
      *rc = hubtok__set_error(d->err, HUBTOK_ENTRY_NOT_FOUND,
                              "%s \"%s\" does not exist in \"%s\" at "
                              "commit %s (cached answer).",
                              sentence, d->o->filename, d->o->repo_id,
                              commit);
      if(d->err)
        d->err->http_status = 404;
      hit = 1;
    }
    free(miss);
  }
  free(ptr);
  return hit;
}

static void
head_request(struct dl *d)
{
  hubtok__http_req req;

  memset(&req, 0, sizeof(req));
  req.url = d->url;
  req.head = 1;
  req.redir = HUBTOK__REDIR_SAME_ORIGIN;
  req.token = d->send_token;
  req.auth_origin = d->auth_origin;
  req.user_agent = d->user_agent;
  req.proxy = d->o->proxy;
  req.no_proxy = d->o->no_proxy;
  req.timeout_ms = d->etag_timeout_ms;
  req.connect_timeout_ms = d->etag_timeout_ms;
  req.fd = -1;
  req.max_body = 0;
  hubtok__http_perform(d->http, &req, d->resp);
  d->out->requests += d->resp->hops;
}

/*
 * Should a failed HEAD fall back to the cached snapshot? When the Hub
 * could not be reached or could not answer (network error, timeout, 408,
 * 429, 5xx): yes, as huggingface_hub. When it answered with a refusal
 * (401, 403, GatedRepo, RepoNotFound): no, unlike huggingface_hub, which
 * serves the cache then too. hubtok runs in servers that share one cache
 * between callers with different tokens (the `token` option); the cache
 * must never hand one caller's gated or private files to a caller the Hub
 * has just refused.
 */
static int
head_fallback_ok(const hubtok__http_resp *r)
{
  if(r->fail == HUBTOK__HTTP_NETWORK || r->fail == HUBTOK__HTTP_TIMEOUT)
    return 1;
  if(r->fail != HUBTOK__HTTP_OK)
    return 0;
  return retryable_status(r->hdr.status);
}

/* Metadata of a successful HEAD. */
struct meta {
  char commit[41];
  char etag[HUBTOK__MAX_ETAG + 1];
  int64_t size;     /* -1: unknown */
  int linked_size;  /* size came from X-Linked-Size */
  char *get_url;    /* malloc'd */
};

static hubtok_code
read_meta(struct dl *d, struct meta *m)
{
  const hubtok__http_resp *r = d->resp;
  const hubtok__http_headers *h = &r->hdr;
  const char *etag = h->linked_etag[0] ? h->linked_etag : h->etag;

  if(!h->repo_commit[0] || !etag[0]) {
    hubtok__set_error(d->err, HUBTOK_EPROTOCOL,
                      "Distant resource does not seem to be on the Hub: "
                      "\"%s\" answered without %s. It is possible that a "
                      "configuration issue prevents you from downloading "
                      "resources from %s. Please check your firewall and "
                      "proxy settings and make sure your SSL certificates "
                      "are updated.",
                      d->url,
                      !h->repo_commit[0] ? "X-Repo-Commit" : "an ETag",
                      d->endpoint);
    finish_error(d, h);
    return HUBTOK_EPROTOCOL;
  }
  if(!hubtok__is_commit(h->repo_commit)) {
    hubtok__set_error(d->err, HUBTOK_EPROTOCOL,
                      "The Hub answered \"%s\" with a malformed "
                      "X-Repo-Commit (40 lowercase hex digits expected).",
                      d->url);
    finish_error(d, h);
    return HUBTOK_EPROTOCOL;
  }
  if(!hubtok__etag_normalise(m->etag, sizeof(m->etag), etag)) {
    hubtok__set_error(d->err, HUBTOK_EPROTOCOL,
                      "The Hub answered \"%s\" with an ETag that is not a "
                      "hex digest; refusing to use it as a cache file "
                      "name.",
                      d->url);
    finish_error(d, h);
    return HUBTOK_EPROTOCOL;
  }
  memcpy(m->commit, h->repo_commit, 41);
  m->linked_size = h->linked_size >= 0;
  if(h->linked_size >= 0)
    m->size = h->linked_size;
  else if(h->status >= 200 && h->status < 300)
    m->size = h->content_length;
  else
    m->size = -1;
  m->get_url = strdup(r->next[0] ? r->next : r->url);
  if(!m->get_url)
    return hubtok__set_error(d->err, HUBTOK_ENOMEM, "Out of memory.");
  return HUBTOK_OK;
}

/* Step 3: HEAD with fallback and retries. Returns HUBTOK_OK with *m
 * filled, or *done = 1 when the call is answered (from the cache or with
 * an error) and the return value is final. */
static hubtok_code
metadata(struct dl *d, struct meta *m, int *done)
{
  hubtok__http_resp *r = d->resp;
  hubtok_code rc;
  int attempt = 0;
  int ok;

  *done = 1;
  for(;;) {
    head_request(d);
    ok = r->fail == HUBTOK__HTTP_OK &&
         ((r->hdr.status >= 200 && r->hdr.status < 300) || r->next[0]);
    if(ok)
      break;
    if(r->fail == HUBTOK__HTTP_OK && r->hdr.status == 404 &&
       !strcmp(r->hdr.error_code, "EntryNotFound") &&
       hubtok__is_commit(r->hdr.repo_commit)) {
      /* as huggingface_hub: remember the miss at that commit */
      hubtok_error ignored;
      hubtok__cache_mark_no_exist(&d->cache, r->hdr.repo_commit,
                                  d->o->filename, &ignored);
      if(strcmp(d->revision, r->hdr.repo_commit))
        hubtok__cache_write_ref(&d->cache, d->revision, r->hdr.repo_commit,
                                &ignored);
    }
    if(head_fallback_ok(r) && from_cache(d, &rc) && rc == HUBTOK_OK)
      return rc;
    if(attempt < d->max_retries &&
       (r->fail == HUBTOK__HTTP_NETWORK || r->fail == HUBTOK__HTTP_TIMEOUT ||
        (r->fail == HUBTOK__HTTP_OK && retryable_status(r->hdr.status)))) {
      backoff(d, attempt, r->fail == HUBTOK__HTTP_OK ? &r->hdr : NULL);
      attempt++;
      continue;
    }
    if(r->fail != HUBTOK__HTTP_OK)
      return map_fail(d, r, attempt + 1, 0);
    if(r->hdr.status >= 300 && r->hdr.status < 400) {
      hubtok__set_error(d->err, HUBTOK_EPROTOCOL,
                        "Unexpected redirect (%d) while loading file: "
                        "\"%s\".",
                        r->hdr.status, d->url);
      finish_error(d, &r->hdr);
      return HUBTOK_EPROTOCOL;
    }
    rc = map_http_error(d, &r->hdr);
    if(attempt > 0)
      append(d->err, "Gave up after %d attempts.", attempt + 1);
    return rc;
  }
  rc = read_meta(d, m);
  if(rc == HUBTOK_EPROTOCOL) {
    /* not the Hub answering (captive portal, rewriting proxy): as
       huggingface_hub, the cache still answers */
    hubtok_error saved;
    memset(&saved, 0, sizeof(saved));
    if(d->err)
      saved = *d->err;
    if(from_cache(d, &rc) && rc == HUBTOK_OK)
      return rc;
    if(d->err)
      *d->err = saved;
    return HUBTOK_EPROTOCOL;
  }
  if(rc == HUBTOK_OK)
    *done = 0;
  return rc;
}

/* Step 5: GET into a temp file, verify, move into blobs/. The lock is
 * held by the caller. */
static hubtok_code
download_blob(struct dl *d, const struct meta *m)
{
  hubtok__http_resp *r = d->resp;
  hubtok__http_req req;
  hubtok_code rc;
  char *tmp = NULL;
  char hex[65];
  uint64_t have = 0;
  int fd = -1;
  int retries = 0;
  int expected_known = m->size >= 0;
  long stall_s;

  if(m->size >= 0 && (uint64_t)m->size > HUBTOK__MAX_DOWNLOAD &&
     !m->linked_size) {
    hubtok__set_error(d->err, HUBTOK_ETOOLARGE,
                      "Refusing to download \"%s\": %lld bytes is larger "
                      "than 1 GiB and the Hub did not announce it as a "
                      "large file (X-Linked-Size).",
                      d->url, (long long)m->size);
    return HUBTOK_ETOOLARGE;
  }
  rc = hubtok__cache_temp(&d->cache, m->etag, &fd, &tmp, d->err);
  if(rc)
    return rc;

  stall_s = (d->download_timeout_ms + 999) / 1000;
  memset(&req, 0, sizeof(req));
  req.url = m->get_url;
  req.head = 0;
  req.redir = HUBTOK__REDIR_ALL;
  req.token = d->send_token;
  req.auth_origin = d->auth_origin;
  req.user_agent = d->user_agent;
  req.proxy = d->o->proxy;
  req.no_proxy = d->o->no_proxy;
  req.connect_timeout_ms = d->download_timeout_ms;
  req.stall_s = stall_s;
  req.stall_ms = d->download_timeout_ms;
  req.fd = fd;
  req.max_body = expected_known ? (uint64_t)m->size : HUBTOK__MAX_DOWNLOAD;
  req.total = expected_known ? (uint64_t)m->size : 0;
  req.progress = d->o->progress;
  req.progress_ud = d->o->progress_ud;

  for(;;) {
    req.offset = have;
    hubtok__http_perform(d->http, &req, r);
    d->out->requests += r->hops;
    have = r->have;
    if(have > 0 || r->restarted)
      d->out->downloaded = 1;
    if(r->fail == HUBTOK__HTTP_OK &&
       (r->hdr.status == 200 || r->hdr.status == 206))
      break;
    if(retries < d->max_retries) {
      if(r->fail == HUBTOK__HTTP_OK && retryable_status(r->hdr.status)) {
        backoff(d, retries, &r->hdr);
        retries++;
        continue;
      }
      if(r->fail == HUBTOK__HTTP_NETWORK ||
         r->fail == HUBTOK__HTTP_TIMEOUT) {
        /* dropped or stalled: resume from `have` with a Range */
        backoff(d, retries, NULL);
        retries++;
        continue;
      }
      if(r->fail == HUBTOK__HTTP_PROTOCOL && have > 0) {
        /* Content-Range did not match: start over */
        if(ftruncate(fd, 0) == 0) {
          have = 0;
          retries++;
          continue;
        }
      }
    }
    if(r->fail == HUBTOK__HTTP_OK)
      rc = map_http_error(d, &r->hdr);
    else
      rc = map_fail(d, r, retries + 1, expected_known);
    goto fail;
  }

  if(expected_known && have != (uint64_t)m->size) {
    rc = hubtok__set_error(d->err, HUBTOK_INTEGRITY,
                           "Consistency check failed for \"%s\": file "
                           "should be of size %lld but has size %llu. The "
                           "download was deleted; please retry.",
                           d->url, (long long)m->size,
                           (unsigned long long)have);
    goto fail;
  }
  if(strlen(m->etag) == 64 || strlen(m->etag) == 40) {
    int git = strlen(m->etag) == 40;
    if(hubtok__digest_fd(fd, have, git, hex, sizeof(hex))) {
      rc = hubtok__set_error(d->err, HUBTOK_EIO,
                             "Cannot read back the download of \"%s\".",
                             d->url);
      goto fail;
    }
    if(strcmp(hex, m->etag)) {
      rc = hubtok__set_error(d->err, HUBTOK_INTEGRITY,
                             "Integrity check failed for \"%s\": its %s is "
                             "%s, the Hub announced %s. The download was "
                             "deleted; please retry.",
                             d->url, git ? "git blob sha1" : "sha256", hex,
                             m->etag);
      goto fail;
    }
  }
  if(fsync(fd) && errno != EINVAL) {
    rc = hubtok__set_error(d->err, HUBTOK_EIO,
                           "Cannot flush the download of \"%s\": %s.",
                           d->url, strerror(errno));
    goto fail;
  }
  close(fd);
  fd = -1;
  rc = hubtok__cache_commit_blob(&d->cache, tmp, m->etag, d->err);
  if(rc)
    goto fail;
  free(tmp);
  if(d->o->progress)
    d->o->progress(d->o->progress_ud, have, have);
  return HUBTOK_OK;

fail:
  if(fd >= 0)
    close(fd);
  unlink(tmp);
  free(tmp);
  return rc;
}

/* Step 4 and 5 after a good HEAD. */
static hubtok_code
fetch(struct dl *d, const struct meta *m)
{
  hubtok_code rc;
  char *ptr;
  char *blob = NULL;
  int lock = -1;

  if(strcmp(d->revision, m->commit)) {
    rc = hubtok__cache_write_ref(&d->cache, d->revision, m->commit, d->err);
    if(rc)
      return rc;
  }
  ptr = hubtok__cache_snapshot_path(&d->cache, m->commit, d->o->filename);
  blob = hubtok__cache_blob_path(&d->cache, m->etag);
  if(!ptr || !blob) {
    rc = hubtok__set_error(d->err, HUBTOK_ENOMEM, "Out of memory.");
    goto out;
  }
  if(hubtok__file_exists(ptr, NULL)) {
    rc = succeed(d, ptr, m->commit);
    goto out;
  }
  hubtok__cache_tag(&d->cache);
  if(!hubtok__file_exists(blob, NULL)) {
    rc = hubtok__cache_lock(&d->cache, m->etag, &lock, d->err);
    if(rc)
      goto out;
    /* another process may have finished while we waited */
    if(!hubtok__file_exists(blob, NULL)) {
      rc = download_blob(d, m);
      if(rc)
        goto out;
    }
  }
  rc = hubtok__cache_link(&d->cache, m->commit, d->o->filename, m->etag,
                          d->err);
  if(rc)
    goto out;
  rc = succeed(d, ptr, m->commit);
out:
  hubtok__cache_unlock(lock);
  free(ptr);
  free(blob);
  return rc;
}

static int
has_ctl(const char *s)
{
  for(; s && *s; s++) {
    if((unsigned char)*s < 0x20 || *s == 0x7f)
      return 1;
  }
  return 0;
}

/* Validate opts and fill d. */
/* The endpoint's origin (which hops may see the token) and whether the
 * token may be sent at all. Only when a request is due: the URL parser is
 * libcurl's, loaded on first use (http.c), and a load from the cache
 * needs neither. */
static hubtok_code
network_setup(struct dl *d)
{
  char host[256];

  if(hubtok__url_origin(d->endpoint, d->auth_origin,
                        sizeof(d->auth_origin), host, sizeof(host))) {
    hubtok_code rc = hubtok_hub_global_init();
    if(rc)
      return hubtok__set_error(d->err, rc,
                               "Cannot initialise libcurl: %s.",
                               hubtok__http_init_error());
    return hubtok__set_error(d->err, HUBTOK_EINVAL,
                             "Invalid endpoint \"%.200s\": expected an "
                             "http:// or https:// URL.",
                             d->endpoint);
  }
  d->send_token = d->token;
  if(d->token && !strncmp(d->auth_origin, "http:", 5) &&
     !hubtok__host_is_loopback(host)) {
    /* never over plain http, except to this machine */
    d->send_token = NULL;
    d->token_withheld = 1;
  }
  return HUBTOK_OK;
}

static hubtok_code
setup(struct dl *d, const hubtok_hub_opts *o)
{
  hubtok_error *err = d->err;
  const char *ep = o->endpoint && o->endpoint[0] ? o->endpoint
                                                 : DEFAULT_ENDPOINT;
  char q_rev[3 * HUBTOK__MAX_REVISION + 1];
  char q_file[3 * HUBTOK__MAX_FILENAME + 1];
  size_t n;
  int len;

  if(hubtok__token_is_bad(o->token))
    return hubtok__set_error(err, HUBTOK_INVALID_TOKEN,
                             "The access token holds a control character "
                             "(CR, LF, NUL, ...) or is too long; it was "
                             "not sent. Check HF_TOKEN or { token }.");
  d->token = o->token && o->token[0] ? o->token : NULL;
  if(!hubtok__valid_repo_id(o->repo_id))
    return hubtok__set_error(err, HUBTOK_EINVAL,
                             "Invalid repo id \"%.200s\": use \"name\" or "
                             "\"namespace/name\" with letters, digits, "
                             "'-', '_' and '.', at most 96 characters per "
                             "part, no \"--\" or \"..\".",
                             o->repo_id ? o->repo_id : "(null)");
  d->repo_type = o->repo_type ? o->repo_type : "model";
  if(!strcmp(d->repo_type, "model"))
    d->prefix = "";
  else if(!strcmp(d->repo_type, "dataset"))
    d->prefix = "datasets/";
  else if(!strcmp(d->repo_type, "space"))
    d->prefix = "spaces/";
  else
    return hubtok__set_error(err, HUBTOK_EINVAL,
                             "Invalid repo type \"%.32s\": expected "
                             "\"model\", \"dataset\" or \"space\".",
                             d->repo_type);
  d->revision = o->revision && o->revision[0] ? o->revision : "main";
  if(!hubtok__valid_revision(d->revision))
    return hubtok__set_error(err, HUBTOK_EINVAL,
                             "Invalid revision \"%.300s\".", d->revision);
  if(!hubtok__valid_filename(o->filename))
    return hubtok__set_error(err, HUBTOK_EINVAL,
                             "Invalid file name \"%.300s\": it must be a "
                             "relative path inside the repository (no "
                             "\"..\", no leading '/', no backslash).",
                             o->filename ? o->filename : "(null)");
  if(has_ctl(o->user_agent) || has_ctl(o->proxy) || has_ctl(o->no_proxy))
    return hubtok__set_error(err, HUBTOK_EINVAL,
                             "user_agent, proxy and no_proxy must not hold "
                             "control characters.");
  snprintf(d->ua_default, sizeof(d->ua_default), "hubtok/%s",
           HUBTOK_VERSION);
  d->user_agent = o->user_agent && o->user_agent[0] ? o->user_agent
                                                    : d->ua_default;

  n = strlen(ep);
  while(n > 0 && ep[n - 1] == '/')
    n--;
  if(n == 0 || n > 1024 || has_ctl(ep))
    return hubtok__set_error(err, HUBTOK_EINVAL, "Invalid endpoint.");
  d->endpoint = strndup(ep, n);
  if(!d->endpoint)
    return hubtok__set_error(err, HUBTOK_ENOMEM, "Out of memory.");

  hubtok__url_quote(q_rev, sizeof(q_rev), d->revision, 0);
  hubtok__url_quote(q_file, sizeof(q_file), o->filename, 1);
  len = snprintf(NULL, 0, "%s/%s%s/resolve/%s/%s", d->endpoint, d->prefix,
                 o->repo_id, q_rev, q_file);
  if(len < 0 || len >= HUBTOK__MAX_URL)
    return hubtok__set_error(err, HUBTOK_EINVAL, "URL too long.");
  d->url = malloc((size_t)len + 1);
  if(!d->url)
    return hubtok__set_error(err, HUBTOK_ENOMEM, "Out of memory.");
  snprintf(d->url, (size_t)len + 1, "%s/%s%s/resolve/%s/%s", d->endpoint,
           d->prefix, o->repo_id, q_rev, q_file);

  d->etag_timeout_ms = o->etag_timeout_ms > 0 ? o->etag_timeout_ms
                                              : DEFAULT_TIMEOUT_MS;
  d->download_timeout_ms = o->download_timeout_ms > 0
                             ? o->download_timeout_ms
                             : DEFAULT_TIMEOUT_MS;
  d->max_retries = o->max_retries < 0 ? DEFAULT_RETRIES : o->max_retries;
  if(d->max_retries > 100)
    d->max_retries = 100;
  d->backoff_ms = o->backoff_base_ms > 0 ? o->backoff_base_ms
                                         : DEFAULT_BACKOFF_MS;
  if(d->backoff_ms > 60000)
    d->backoff_ms = 60000;
  return hubtok__cache_init(&d->cache, o->cache_dir, d->repo_type,
                            o->repo_id, err);
}

static hubtok_code
offline_error(struct dl *d)
{
  const hubtok_hub_opts *o = d->o;

  if(o->offline && !o->local_files_only)
    return hubtok__set_error(d->err, HUBTOK_OFFLINE,
                             "Cannot reach \"%s\": offline mode is enabled "
                             "(HF_HUB_OFFLINE) and the file is not in the "
                             "disk cache \"%s\". To go online, unset the "
                             "HF_HUB_OFFLINE environment variable.",
                             d->url, d->cache.root);
  return hubtok__set_error(d->err, HUBTOK_OFFLINE,
                           "Cannot find the requested file \"%s\" of "
                           "\"%s\" (revision \"%s\") in the disk cache "
                           "\"%s\" and outgoing traffic has been disabled. "
                           "To enable Hub look-ups and downloads online, "
                           "set `local_files_only: false`.",
                           o->filename, o->repo_id, d->revision,
                           d->cache.root);
}

hubtok_code
hubtok_hub_download(const hubtok_hub_opts *opts, hubtok_hub_result *out,
                    hubtok_error *err)
{
  struct dl d;
  struct meta m;
  hubtok_code rc;
  char *ptr = NULL;
  char *miss = NULL;
  int done = 0;

  hubtok__clear_error(err);
  if(!opts || !out)
    return hubtok__set_error(err, HUBTOK_EINVAL,
                             "hub download: opts and out are required.");
  memset(out, 0, sizeof(*out));
  memset(&d, 0, sizeof(d));
  memset(&m, 0, sizeof(m));
  d.o = opts;
  d.out = out;
  d.err = err;

  rc = setup(&d, opts);
  if(rc)
    goto out;

  /* 1. a pinned commit answers from the cache with zero requests */
  if(hubtok__is_commit(d.revision)) {
    ptr = hubtok__cache_snapshot_path(&d.cache, d.revision, opts->filename);
    miss = hubtok__cache_no_exist_path(&d.cache, d.revision,
                                       opts->filename);
    if(!ptr || !miss) {
      rc = hubtok__set_error(err, HUBTOK_ENOMEM, "Out of memory.");
      goto out;
    }
    if(hubtok__file_exists(ptr, NULL) || !access(miss, F_OK)) {
      from_cache(&d, &rc);
      goto out;
    }
  }

  /* 2. no network at all */
  if(opts->local_files_only || opts->offline) {
    if(!from_cache(&d, &rc))
      rc = offline_error(&d);
    goto out;
  }

  /* 3. metadata */
  rc = network_setup(&d);
  if(rc)
    goto out;
  d.resp = calloc(1, sizeof(*d.resp));
  if(!d.resp) {
    rc = hubtok__set_error(err, HUBTOK_ENOMEM, "Out of memory.");
    goto out;
  }
  rc = hubtok__http_session_new(&d.http);
  if(rc) {
    hubtok__set_error(err, rc, "Cannot initialise libcurl: %s.",
                      hubtok__http_init_error());
    goto out;
  }
  rc = metadata(&d, &m, &done);
  if(done)
    goto out;

  /* 4 and 5 */
  rc = fetch(&d, &m);

out:
  if(rc != HUBTOK_OK) {
    free(out->path);
    out->path = NULL;
    if(err)
      redact(err->msg, sizeof(err->msg), d.token);
  }
  free(m.get_url);
  free(ptr);
  free(miss);
  free(d.resp);
  hubtok__http_session_free(d.http);
  hubtok__cache_free(&d.cache);
  free(d.endpoint);
  free(d.url);
  return rc;
}
