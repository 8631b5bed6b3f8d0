/*
 * http.c: one HTTP request on libcurl, with redirects followed by hand.
 *
 * The only file of hubtok that includes curl.h. Policy (which origin may
 * see the token, what to retry, what a status means) lives in hub.c; this
 * file enforces the transport rules:
 *   - CURLOPT_FOLLOWLOCATION is 0; each hop is a separate transfer, and
 *     the Authorization header is attached only while the hop's origin
 *     (scheme, host, port) equals req->auth_origin. Once dropped it stays
 *     dropped. https -> http is refused.
 *   - CURLOPT_HEADEROPT is CURLHEADER_SEPARATE (no token to a proxy),
 *     CURLOPT_UNRESTRICTED_AUTH and CURLOPT_VERBOSE are never set, and the
 *     buffers that held the token are wiped after each transfer.
 *   - CURLOPT_PROXY is always set ("" disables libcurl's own environment
 *     lookup: the JS layer decides the proxy).
 *   - Bodies are capped (req->max_body for a kept body, 1 MiB for a
 *     discarded error/redirect body); header values are capped by their
 *     buffers.
 *
 * libcurl is loaded with dlopen on the first transfer, not linked: a
 * process that only tokenizes (local files, or a cache that needs no
 * request) never maps it and its thirty-odd dependencies, which cost
 * about 6 MB of RSS and several ms of start-up. The functions this file
 * calls are in `lc`, typed from curl.h's own declarations.
 */
#include "hub/hub_internal.h"

#include <curl/curl.h>

#include <ctype.h>
#include <dlfcn.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#define DISCARD_CAP ((uint64_t)1 << 20)
#define PROGRESS_EVERY_MS 100

struct hubtok__http_session {
  CURL *easy;
};

/* ------------------------------------------------------------------ */
/* global init                                                         */
/* ------------------------------------------------------------------ */

#define LC_FUNCS(X)                                                     \
  X(global_init, curl_global_init)                                      \
  X(easy_init, curl_easy_init)                                          \
  X(easy_cleanup, curl_easy_cleanup)                                    \
  X(easy_reset, curl_easy_reset)                                        \
  X(easy_setopt, curl_easy_setopt)                                      \
  X(easy_perform, curl_easy_perform)                                    \
  X(easy_strerror, curl_easy_strerror)                                  \
  X(slist_append, curl_slist_append)                                    \
  X(slist_free_all, curl_slist_free_all)                                \
  X(url, curl_url)                                                      \
  X(url_cleanup, curl_url_cleanup)                                      \
  X(url_set, curl_url_set)                                              \
  X(url_get, curl_url_get)                                              \
  X(free, curl_free)

/* curl.h's type-checking macro would call the linked symbol */
#undef curl_easy_setopt

static struct {
#define LC_MEMBER(name, sym) __typeof__(sym) *name;
  LC_FUNCS(LC_MEMBER)
#undef LC_MEMBER
} lc;

/* libcurl's names: Debian/Ubuntu/Fedora, then the unversioned link, then
 * macOS. */
static const char *const lc_names[] = {
  "libcurl.so.4", "libcurl.so", "libcurl.4.dylib", "libcurl.dylib", NULL
};

static pthread_once_t global_once = PTHREAD_ONCE_INIT;
static hubtok_code global_rc = HUBTOK_ENOMEM;
static char global_why[256] = "not initialised";

static void
global_init_once(void)
{
  void *h = NULL;
  size_t i;

  for(i = 0; lc_names[i] && !h; i++)
    h = dlopen(lc_names[i], RTLD_NOW | RTLD_LOCAL);
  if(!h) {
    const char *e = dlerror();
    snprintf(global_why, sizeof(global_why), "libcurl could not be "
             "loaded (%.180s); install libcurl (apt-get install "
             "libcurl4)", e ? e : "not found");
    global_rc = HUBTOK_NETWORK;
    return;
  }
  /* never dlclose'd: libcurl stays for the life of the process */
#define LC_LOAD(name, sym)                                              \
  *(void **)&lc.name = dlsym(h, #sym);                                  \
  if(!lc.name) {                                                        \
    snprintf(global_why, sizeof(global_why), "libcurl has no %s", #sym); \
    global_rc = HUBTOK_NETWORK;                                         \
    return;                                                             \
  }
  LC_FUNCS(LC_LOAD)
#undef LC_LOAD
  if(lc.global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
    snprintf(global_why, sizeof(global_why), "curl_global_init failed");
    global_rc = HUBTOK_ENOMEM;
    return;
  }
  global_why[0] = '\0';
  global_rc = HUBTOK_OK;
}

hubtok_code
hubtok_hub_global_init(void)
{
  if(pthread_once(&global_once, global_init_once))
    return HUBTOK_ENOMEM;
  return global_rc;
}

const char *
hubtok__http_init_error(void)
{
  return global_why;
}

/* ------------------------------------------------------------------ */
/* header parsing (pure)                                               */
/* ------------------------------------------------------------------ */

void
hubtok__http_headers_reset(hubtok__http_headers *h)
{
  memset(h, 0, sizeof(*h));
  h->linked_size = -1;
  h->content_length = -1;
  h->retry_after_s = -1;
  h->range_start = -1;
}

/* Copy v[0..n) into dst, replacing control bytes by '?'. Returns 1 when
 * it had to truncate. */
static int
copy_value(char *dst, size_t dstsize, const char *v, size_t n)
{
  size_t i;
  int cut = 0;

  if(n >= dstsize) {
    n = dstsize - 1;
    cut = 1;
  }
  for(i = 0; i < n; i++) {
    unsigned char c = (unsigned char)v[i];
    dst[i] = (c < 0x20 || c == 0x7f) ? '?' : (char)c;
  }
  dst[n] = '\0';
  return cut;
}

/* Digits only, no sign, at most 18 digits. -1 otherwise. */
static int64_t
parse_int(const char *v, size_t n)
{
  int64_t x = 0;
  size_t i;

  if(n == 0 || n > 18)
    return -1;
  for(i = 0; i < n; i++) {
    if(v[i] < '0' || v[i] > '9')
      return -1;
    x = x * 10 + (v[i] - '0');
  }
  return x;
}

int64_t
hubtok__parse_content_range(const char *v)
{
  size_t n = 0;

  if(strncasecmp(v, "bytes", 5))
    return -1;
  v += 5;
  while(*v == ' ')
    v++;
  while(v[n] >= '0' && v[n] <= '9')
    n++;
  if(v[n] != '-')
    return -1;
  return parse_int(v, n);
}

static int
name_is(const char *name, size_t n, const char *want)
{
  return strlen(want) == n && !strncasecmp(name, want, n);
}

void
hubtok__http_header_line(hubtok__http_headers *h, const char *line,
                         size_t len)
{
  const char *colon;
  const char *v;
  size_t nlen;
  size_t vlen;
  char tmp[64];

  /* drop the line end */
  while(len && (line[len - 1] == '\n' || line[len - 1] == '\r'))
    len--;
  if(!len)
    return;
  if(len > 5 && !strncmp(line, "HTTP/", 5)) {
    const char *sp = memchr(line, ' ', len);
    int status = 0;
    hubtok__http_headers_reset(h);
    if(sp) {
      size_t i = (size_t)(sp - line) + 1;
      int digits = 0;
      while(i < len && line[i] >= '0' && line[i] <= '9' && digits < 3) {
        status = status * 10 + (line[i] - '0');
        i++;
        digits++;
      }
      if(digits != 3)
        status = 0;
    }
    h->status = status;
    return;
  }
  if(line[0] == ' ' || line[0] == '\t')
    return; /* obsolete line folding: ignored */
  colon = memchr(line, ':', len);
  if(!colon)
    return;
  nlen = (size_t)(colon - line);
  while(nlen && (line[nlen - 1] == ' ' || line[nlen - 1] == '\t'))
    nlen--;
  v = colon + 1;
  vlen = len - (size_t)(v - line);
  while(vlen && (*v == ' ' || *v == '\t')) {
    v++;
    vlen--;
  }
  while(vlen && (v[vlen - 1] == ' ' || v[vlen - 1] == '\t'))
    vlen--;

  if(name_is(line, nlen, "x-repo-commit"))
    copy_value(h->repo_commit, sizeof(h->repo_commit), v, vlen);
  else if(name_is(line, nlen, "x-linked-etag"))
    copy_value(h->linked_etag, sizeof(h->linked_etag), v, vlen);
  else if(name_is(line, nlen, "etag"))
    copy_value(h->etag, sizeof(h->etag), v, vlen);
  else if(name_is(line, nlen, "x-linked-size"))
    h->linked_size = parse_int(v, vlen);
  else if(name_is(line, nlen, "content-length"))
    h->content_length = parse_int(v, vlen);
  else if(name_is(line, nlen, "x-error-code"))
    copy_value(h->error_code, sizeof(h->error_code), v, vlen);
  else if(name_is(line, nlen, "x-error-message"))
    copy_value(h->error_msg, sizeof(h->error_msg), v, vlen);
  else if(name_is(line, nlen, "retry-after"))
    h->retry_after_s = (long)parse_int(v, vlen > 9 ? 10 : vlen);
  else if(name_is(line, nlen, "location"))
    h->location_long = copy_value(h->location, sizeof(h->location), v,
                                  vlen);
  else if(name_is(line, nlen, "content-range")) {
    copy_value(tmp, sizeof(tmp), v, vlen);
    h->range_start = hubtok__parse_content_range(tmp);
  }
}

/* ------------------------------------------------------------------ */
/* URLs (libcurl's URL API)                                            */
/* ------------------------------------------------------------------ */

static void
lower(char *s)
{
  for(; *s; s++)
    *s = (char)tolower((unsigned char)*s);
}

int
hubtok__url_origin(const char *url, char *dst, size_t dstsize, char *host,
                   size_t hostsize)
{
  CURLU *u;
  char *scheme = NULL;
  char *h = NULL;
  char *port = NULL;
  int rc = -1;
  int n;

  if(hubtok_hub_global_init())
    return -1;
  u = lc.url();
  if(!u)
    return -1;
  if(lc.url_set(u, CURLUPART_URL, url, 0) != CURLUE_OK)
    goto out;
  if(lc.url_get(u, CURLUPART_SCHEME, &scheme, 0) != CURLUE_OK ||
     lc.url_get(u, CURLUPART_HOST, &h, 0) != CURLUE_OK ||
     lc.url_get(u, CURLUPART_PORT, &port, CURLU_DEFAULT_PORT) !=
       CURLUE_OK)
    goto out;
  lower(scheme);
  lower(h);
  if(strcmp(scheme, "http") && strcmp(scheme, "https"))
    goto out;
  n = snprintf(dst, dstsize, "%s://%s:%s", scheme, h, port);
  if(n < 0 || (size_t)n >= dstsize)
    goto out;
  if(host) {
    n = snprintf(host, hostsize, "%s", h);
    if(n < 0 || (size_t)n >= hostsize)
      goto out;
  }
  rc = 0;
out:
  lc.free(scheme);
  lc.free(h);
  lc.free(port);
  lc.url_cleanup(u);
  return rc;
}

int
hubtok__url_resolve(const char *base, const char *location, char *dst,
                    size_t dstsize)
{
  CURLU *u;
  char *full = NULL;
  char origin[512];
  int rc = -1;
  int n;

  if(hubtok_hub_global_init())
    return -1;
  u = lc.url();
  if(!u)
    return -1;
  if(lc.url_set(u, CURLUPART_URL, base, 0) != CURLUE_OK)
    goto out;
  if(lc.url_set(u, CURLUPART_URL, location,
                  CURLU_URLENCODE | CURLU_ALLOW_SPACE) != CURLUE_OK)
    goto out;
  if(lc.url_get(u, CURLUPART_URL, &full, 0) != CURLUE_OK)
    goto out;
  if(hubtok__url_origin(full, origin, sizeof(origin), NULL, 0))
    goto out; /* not http(s) */
  n = snprintf(dst, dstsize, "%s", full);
  if(n < 0 || (size_t)n >= dstsize)
    goto out;
  rc = 0;
out:
  lc.free(full);
  lc.url_cleanup(u);
  return rc;
}

/* ------------------------------------------------------------------ */
/* sessions and transfers                                              */
/* ------------------------------------------------------------------ */

hubtok_code
hubtok__http_session_new(hubtok__http_session **out)
{
  hubtok__http_session *s;
  hubtok_code rc;

  *out = NULL;
  rc = hubtok_hub_global_init();
  if(rc)
    return rc;
  s = calloc(1, sizeof(*s));
  if(!s)
    return HUBTOK_ENOMEM;
  s->easy = lc.easy_init();
  if(!s->easy) {
    free(s);
    return HUBTOK_ENOMEM;
  }
  *out = s;
  return HUBTOK_OK;
}

void
hubtok__http_session_free(hubtok__http_session *s)
{
  if(!s)
    return;
  lc.easy_cleanup(s->easy);
  free(s);
}

/* State of one hop, shared by the libcurl callbacks. */
struct hop {
  const hubtok__http_req *req;
  hubtok__http_resp *resp;
  int decided;       /* first body byte seen: keep or discard chosen */
  int keep;          /* body goes to req->fd */
  uint64_t have;     /* bytes in fd */
  uint64_t discarded;
  int too_large;
  int io_error;
  int range_bad;
  int stalled;
  uint64_t last_progress_ms;
  curl_off_t last_dlnow;   /* stall detection */
  uint64_t last_byte_ms;
};

static uint64_t
now_ms(void)
{
  struct timespec ts;

  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

static size_t
on_header(char *buf, size_t size, size_t nitems, void *ud)
{
  struct hop *hop = ud;
  size_t n = size * nitems;

  hubtok__http_header_line(&hop->resp->hdr, buf, n);
  return n;
}

/* Decide, at the first body byte, where the body goes. Returns 0 to go
 * on, -1 to abort the transfer. */
static int
decide(struct hop *hop)
{
  const hubtok__http_req *req = hop->req;
  int status = hop->resp->hdr.status;

  hop->decided = 1;
  if(req->head || req->fd < 0 || (status != 200 && status != 206))
    return 0;
  hop->keep = 1;
  if(status == 200 && hop->have > 0) {
    /* the server ignored our Range: start over */
    if(ftruncate(req->fd, 0)) {
      hop->io_error = 1;
      return -1;
    }
    hop->have = 0;
    hop->resp->restarted = 1;
  }
  else if(status == 206 &&
          hop->resp->hdr.range_start != (int64_t)hop->have) {
    hop->range_bad = 1;
    return -1;
  }
  return 0;
}

static size_t
on_body(char *buf, size_t size, size_t nitems, void *ud)
{
  struct hop *hop = ud;
  const hubtok__http_req *req = hop->req;
  size_t n = size * nitems;
  size_t done = 0;
  uint64_t t;

  if(!hop->decided && decide(hop))
    return 0;
  if(!hop->keep) {
    hop->discarded += n;
    if(hop->discarded > DISCARD_CAP) {
      hop->too_large = 1;
      return 0;
    }
    return n;
  }
  if(hop->have + n > req->max_body) {
    hop->too_large = 1;
    return 0;
  }
  while(done < n) {
    ssize_t w = pwrite(req->fd, buf + done, n - done,
                       (off_t)(hop->have + done));
    if(w < 0 && errno == EINTR)
      continue;
    if(w <= 0) {
      hop->io_error = 1;
      return 0;
    }
    done += (size_t)w;
  }
  hop->have += n;
  if(req->progress) {
    t = now_ms();
    if(t - hop->last_progress_ms >= PROGRESS_EVERY_MS) {
      hop->last_progress_ms = t;
      req->progress(req->progress_ud, hop->have, req->total);
    }
  }
  return n;
}

/* Abort a transfer when no byte arrived for req->stall_ms. */
static int
on_xferinfo(void *ud, curl_off_t dltotal, curl_off_t dlnow,
            curl_off_t ultotal, curl_off_t ulnow)
{
  struct hop *hop = ud;
  uint64_t t = now_ms();

  (void)dltotal;
  (void)ultotal;
  (void)ulnow;
  if(dlnow != hop->last_dlnow) {
    hop->last_dlnow = dlnow;
    hop->last_byte_ms = t;
    return 0;
  }
  if(hop->req->stall_ms > 0 &&
     t - hop->last_byte_ms >= (uint64_t)hop->req->stall_ms) {
    hop->stalled = 1;
    return 1;
  }
  return 0;
}

/* Wipe what libcurl's list copied from our header buffers, then free. */
static void
free_headers(struct curl_slist *list)
{
  struct curl_slist *p;

  for(p = list; p; p = p->next) {
    if(p->data)
      explicit_bzero(p->data, strlen(p->data));
  }
  lc.slist_free_all(list);
}

static hubtok__http_fail
map_curl(CURLcode rc)
{
  switch(rc) {
  case CURLE_OK:
    return HUBTOK__HTTP_OK;
  case CURLE_OPERATION_TIMEDOUT:
    return HUBTOK__HTTP_TIMEOUT;
  case CURLE_OUT_OF_MEMORY:
    return HUBTOK__HTTP_NOMEM;
  case CURLE_URL_MALFORMAT:
  case CURLE_TOO_MANY_REDIRECTS:
  case CURLE_WEIRD_SERVER_REPLY:
    return HUBTOK__HTTP_PROTOCOL;
  case CURLE_UNSUPPORTED_PROTOCOL:
    return HUBTOK__HTTP_INSECURE;
  case CURLE_WRITE_ERROR:
    return HUBTOK__HTTP_IO;
  default:
    return HUBTOK__HTTP_NETWORK;
  }
}

#define SETOPT(opt, val)                                \
  do {                                                  \
    if(lc.easy_setopt(e, opt, val) != CURLE_OK)       \
      goto setopt_failed;                               \
  } while(0)

/* One transfer to url. auth: attach the token. */
static void
one_hop(hubtok__http_session *s, const hubtok__http_req *req,
        const char *url, int auth, struct hop *hop)
{
  CURL *e = s->easy;
  hubtok__http_resp *resp = hop->resp;
  struct curl_slist *list = NULL;
  struct curl_slist *tmp;
  char authbuf[HUBTOK__MAX_TOKEN + 32];
  char range[48];
  char errbuf[CURL_ERROR_SIZE];
  CURLcode rc;
  int n;

  authbuf[0] = '\0';
  errbuf[0] = '\0';
  hubtok__http_headers_reset(&resp->hdr);
  lc.easy_reset(e);

  SETOPT(CURLOPT_URL, url);
  SETOPT(CURLOPT_NOSIGNAL, 1L);
  SETOPT(CURLOPT_PROTOCOLS_STR, "http,https");
  SETOPT(CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
  SETOPT(CURLOPT_FOLLOWLOCATION, 0L);
  SETOPT(CURLOPT_HEADEROPT, (long)CURLHEADER_SEPARATE);
  SETOPT(CURLOPT_USERAGENT, req->user_agent);
  SETOPT(CURLOPT_PROXY, req->proxy ? req->proxy : "");
  if(req->proxy && req->proxy[0] && req->no_proxy)
    SETOPT(CURLOPT_NOPROXY, req->no_proxy);
  SETOPT(CURLOPT_ERRORBUFFER, errbuf);
  SETOPT(CURLOPT_HEADERFUNCTION, on_header);
  SETOPT(CURLOPT_HEADERDATA, hop);
  SETOPT(CURLOPT_WRITEFUNCTION, on_body);
  SETOPT(CURLOPT_WRITEDATA, hop);
  if(req->timeout_ms > 0)
    SETOPT(CURLOPT_TIMEOUT_MS, req->timeout_ms);
  if(req->connect_timeout_ms > 0)
    SETOPT(CURLOPT_CONNECTTIMEOUT_MS, req->connect_timeout_ms);
  if(req->stall_s > 0) {
    SETOPT(CURLOPT_LOW_SPEED_LIMIT, 1L);
    SETOPT(CURLOPT_LOW_SPEED_TIME, req->stall_s);
  }
  if(req->stall_ms > 0) {
    hop->last_dlnow = 0;
    hop->last_byte_ms = now_ms();
    SETOPT(CURLOPT_XFERINFOFUNCTION, on_xferinfo);
    SETOPT(CURLOPT_XFERINFODATA, hop);
    SETOPT(CURLOPT_NOPROGRESS, 0L);
  }
  if(req->head) {
    SETOPT(CURLOPT_NOBODY, 1L);
    tmp = lc.slist_append(list, "Accept-Encoding: identity");
    if(!tmp)
      goto nomem;
    list = tmp;
  }
  else if(hop->have > 0) {
    snprintf(range, sizeof(range), "%llu-",
             (unsigned long long)hop->have);
    SETOPT(CURLOPT_RANGE, range);
  }
  if(auth) {
    n = snprintf(authbuf, sizeof(authbuf), "Authorization: Bearer %s",
                 req->token);
    if(n < 0 || (size_t)n >= sizeof(authbuf))
      goto nomem;
    tmp = lc.slist_append(list, authbuf);
    explicit_bzero(authbuf, sizeof(authbuf));
    if(!tmp)
      goto nomem;
    list = tmp;
  }
  if(list)
    SETOPT(CURLOPT_HTTPHEADER, list);

  resp->hops++;
  rc = lc.easy_perform(e);
  /* drop our pointers into this frame and the token copy */
  lc.easy_setopt(e, CURLOPT_HTTPHEADER, NULL);
  lc.easy_setopt(e, CURLOPT_ERRORBUFFER, NULL);
  free_headers(list);
  list = NULL;

  if(hop->too_large)
    resp->fail = HUBTOK__HTTP_TOOLARGE;
  else if(hop->io_error)
    resp->fail = HUBTOK__HTTP_IO;
  else if(hop->stalled) {
    resp->fail = HUBTOK__HTTP_TIMEOUT;
    snprintf(resp->detail, sizeof(resp->detail),
             "no data received for %ld ms", req->stall_ms);
  }
  else if(hop->range_bad) {
    resp->fail = HUBTOK__HTTP_PROTOCOL;
    snprintf(resp->detail, sizeof(resp->detail),
             "Content-Range does not start at the requested offset");
  }
  else
    resp->fail = map_curl(rc);
  if(rc != CURLE_OK && !resp->detail[0])
    snprintf(resp->detail, sizeof(resp->detail), "%s",
             errbuf[0] ? errbuf : lc.easy_strerror(rc));
  return;

setopt_failed:
  resp->fail = HUBTOK__HTTP_PROTOCOL;
  snprintf(resp->detail, sizeof(resp->detail),
           "libcurl refused an option (built without http/https?)");
  goto cleanup;
nomem:
  resp->fail = HUBTOK__HTTP_NOMEM;
cleanup:
  explicit_bzero(authbuf, sizeof(authbuf));
  lc.easy_setopt(e, CURLOPT_HTTPHEADER, NULL);
  lc.easy_setopt(e, CURLOPT_ERRORBUFFER, NULL);
  free_headers(list);
}

hubtok__hop_kind
hubtok__classify_hop(const char *origin, const char *next_origin)
{
  if(!strncmp(origin, "https:", 6) && strncmp(next_origin, "https:", 6))
    return HUBTOK__HOP_DOWNGRADE;
  return strcmp(origin, next_origin) ? HUBTOK__HOP_CROSS : HUBTOK__HOP_SAME;
}

static int
is_redirect(int status)
{
  return status == 301 || status == 302 || status == 303 ||
         status == 307 || status == 308;
}

void
hubtok__http_perform(hubtok__http_session *s, const hubtok__http_req *req,
                     hubtok__http_resp *resp)
{
  struct hop hop;
  char origin[512];
  char next_origin[512];
  hubtok__hop_kind kind;
  int auth;
  int hop_no;

  memset(resp, 0, sizeof(*resp));
  hubtok__http_headers_reset(&resp->hdr);
  memset(&hop, 0, sizeof(hop));
  hop.req = req;
  hop.resp = resp;
  hop.have = req->offset;

  if(strlen(req->url) >= sizeof(resp->url) ||
     hubtok__url_origin(req->url, origin, sizeof(origin), NULL, 0)) {
    resp->fail = HUBTOK__HTTP_PROTOCOL;
    snprintf(resp->detail, sizeof(resp->detail), "bad URL");
    return;
  }
  strcpy(resp->url, req->url);
  auth = req->token && req->token[0] && req->auth_origin &&
         !strcmp(origin, req->auth_origin);

  for(hop_no = 0;; hop_no++) {
    hop.decided = 0;
    hop.keep = 0;
    hop.discarded = 0;
    hop.stalled = 0;
    one_hop(s, req, resp->url, auth, &hop);
    resp->have = hop.have;
    if(resp->fail != HUBTOK__HTTP_OK)
      return;
    if(!is_redirect(resp->hdr.status))
      return;
    if(hop_no >= HUBTOK__MAX_REDIRECTS) {
      resp->fail = HUBTOK__HTTP_PROTOCOL;
      snprintf(resp->detail, sizeof(resp->detail),
               "more than %d redirects", HUBTOK__MAX_REDIRECTS);
      return;
    }
    if(!resp->hdr.location[0] || resp->hdr.location_long ||
       hubtok__url_resolve(resp->url, resp->hdr.location, resp->next,
                           sizeof(resp->next)) ||
       hubtok__url_origin(resp->next, next_origin, sizeof(next_origin),
                          NULL, 0)) {
      resp->fail = HUBTOK__HTTP_PROTOCOL;
      resp->next[0] = '\0';
      snprintf(resp->detail, sizeof(resp->detail),
               "redirect without a usable Location (status %d)",
               resp->hdr.status);
      return;
    }
    kind = hubtok__classify_hop(origin, next_origin);
    if(kind == HUBTOK__HOP_DOWNGRADE) {
      resp->fail = HUBTOK__HTTP_INSECURE;
      resp->next[0] = '\0';
      snprintf(resp->detail, sizeof(resp->detail),
               "refused a redirect from https to plain http");
      return;
    }
    if(kind == HUBTOK__HOP_CROSS) {
      if(req->redir == HUBTOK__REDIR_SAME_ORIGIN)
        return; /* resp->next holds the cross-origin target */
      auth = 0; /* and it stays off */
    }
    strcpy(resp->url, resp->next);
    resp->next[0] = '\0';
    strcpy(origin, next_origin);
  }
}
