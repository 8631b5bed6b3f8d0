/*
 * test_hub.c: unit tests of the Hub client's pure parts (validation, URL
 * encoding, etags, header parsing, cache layout, digests) and of the
 * paths of hubtok_hub_download() that must make no request at all.
 * Runs without Node and without a network; clean under
 * -fsanitize=address,undefined (see Makefile: check-hub).
 */
#include "hub/hub_internal.h"
#include "hub/cache.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int failures;
static int checks;

#define CHECK(cond)                                                      \
  do {                                                                   \
    checks++;                                                            \
    if(!(cond)) {                                                        \
      failures++;                                                        \
      fprintf(stderr, "%s:%d: CHECK(%s) failed\n", __FILE__, __LINE__,   \
              #cond);                                                    \
    }                                                                    \
  } while(0)

#define CHECK_STR(got, want)                                             \
  do {                                                                   \
    const char *g_ = (got);                                              \
    const char *w_ = (want);                                             \
    checks++;                                                            \
    if(!g_ || strcmp(g_, w_)) {                                          \
      failures++;                                                        \
      fprintf(stderr, "%s:%d: got \"%s\", want \"%s\"\n", __FILE__,      \
              __LINE__, g_ ? g_ : "(null)", w_);                         \
    }                                                                    \
  } while(0)

static void
test_quote(void)
{
  char buf[64];

  CHECK(hubtok__url_quote(buf, sizeof(buf), "refs/pr/1", 0) == 13);
  CHECK_STR(buf, "refs%2Fpr%2F1");
  hubtok__url_quote(buf, sizeof(buf), "sub dir/a b.json", 1);
  CHECK_STR(buf, "sub%20dir/a%20b.json");
  hubtok__url_quote(buf, sizeof(buf), "\xc3\xa9~._-Az09", 1);
  CHECK_STR(buf, "%C3%A9~._-Az09");
  hubtok__url_quote(buf, sizeof(buf), "a?b#c%d&e+f", 1);
  CHECK_STR(buf, "a%3Fb%23c%25d%26e%2Bf");
  hubtok__url_quote(buf, sizeof(buf), "main", 0);
  CHECK_STR(buf, "main");
  CHECK(hubtok__url_quote(buf, 4, "abcd", 0) == (size_t)-1);
  CHECK(hubtok__url_quote(buf, 5, "a b", 0) == (size_t)-1);
  CHECK(hubtok__url_quote(buf, 6, "a b", 0) == 5);
}

static void
test_validation(void)
{
  static const char *good_files[] = {"tokenizer.json", "a/b/c.json",
    ".gitattributes", "a..b", "x/..y", "onnx/model.onnx", "a b.txt"};
  static const char *bad_files[] = {"", "/abs", "../x", "a/../b", "a/./b",
    "a//b", "a/", "a\\b", "a\nb", "..", ".", "a/..", "\x7f"};
  static const char *good_ids[] = {"gpt2", "org/name",
    "TinyLlama/TinyLlama-1.1B-Chat-v1.0", "a_b.c-d", "_/_", "x.gitx"};
  static const char *bad_ids[] = {"", "a/b/c", "a--b", "a..b", "-a", "a-",
    "/a", "a/", "x.git", "a b", "\xc3\xa9", ".a", "a/.b", "a/b.",
    "org/-x", "a/b/"};
  char long_id[200];
  char long_file[HUBTOK__MAX_FILENAME + 2];
  char long_token[HUBTOK__MAX_TOKEN + 2];
  size_t i;

  for(i = 0; i < sizeof(good_files) / sizeof(*good_files); i++)
    CHECK(hubtok__valid_filename(good_files[i]));
  for(i = 0; i < sizeof(bad_files) / sizeof(*bad_files); i++) {
    if(hubtok__valid_filename(bad_files[i]))
      fprintf(stderr, "accepted filename \"%s\"\n", bad_files[i]);
    CHECK(!hubtok__valid_filename(bad_files[i]));
  }
  CHECK(!hubtok__valid_filename(NULL));
  memset(long_file, 'a', sizeof(long_file) - 1);
  long_file[sizeof(long_file) - 1] = '\0';
  CHECK(!hubtok__valid_filename(long_file));

  for(i = 0; i < sizeof(good_ids) / sizeof(*good_ids); i++)
    CHECK(hubtok__valid_repo_id(good_ids[i]));
  for(i = 0; i < sizeof(bad_ids) / sizeof(*bad_ids); i++) {
    if(hubtok__valid_repo_id(bad_ids[i]))
      fprintf(stderr, "accepted repo id \"%s\"\n", bad_ids[i]);
    CHECK(!hubtok__valid_repo_id(bad_ids[i]));
  }
  CHECK(!hubtok__valid_repo_id(NULL));
  memset(long_id, 'a', 96);
  long_id[96] = '\0';
  CHECK(hubtok__valid_repo_id(long_id));
  long_id[96] = 'a';
  long_id[97] = '\0';
  CHECK(!hubtok__valid_repo_id(long_id));
  memcpy(long_id, "org/", 4);
  memset(long_id + 4, 'b', 96);
  long_id[100] = '\0';
  CHECK(hubtok__valid_repo_id(long_id));

  CHECK(hubtok__valid_revision("main"));
  CHECK(hubtok__valid_revision("refs/pr/1"));
  CHECK(hubtok__valid_revision("v1.0"));
  CHECK(!hubtok__valid_revision("../x"));
  CHECK(!hubtok__valid_revision("a/../b"));
  CHECK(!hubtok__valid_revision("/x"));
  CHECK(!hubtok__valid_revision(""));

  CHECK(hubtok__is_commit("0123456789abcdef0123456789abcdef01234567"));
  CHECK(!hubtok__is_commit("0123456789ABCDEF0123456789abcdef01234567"));
  CHECK(!hubtok__is_commit("0123456789abcdef0123456789abcdef0123456"));
  CHECK(!hubtok__is_commit("0123456789abcdef0123456789abcdef012345678"));
  CHECK(!hubtok__is_commit("main"));
  CHECK(!hubtok__is_commit(NULL));

  CHECK(!hubtok__token_is_bad(NULL));
  CHECK(!hubtok__token_is_bad(""));
  CHECK(!hubtok__token_is_bad("hf_abcDEF123"));
  CHECK(hubtok__token_is_bad("hf_a\r\nX-Evil: 1"));
  CHECK(hubtok__token_is_bad("hf_a\n"));
  CHECK(hubtok__token_is_bad("hf_\ta"));
  CHECK(hubtok__token_is_bad("hf_\x7f"));
  CHECK(hubtok__token_is_bad("\x1b"));
  memset(long_token, 'x', sizeof(long_token) - 1);
  long_token[sizeof(long_token) - 1] = '\0';
  CHECK(hubtok__token_is_bad(long_token));
}

static void
test_etag(void)
{
  char e[HUBTOK__MAX_ETAG + 1];
  char big[300];

  CHECK(hubtok__etag_normalise(e, sizeof(e), "W/\"abc123\""));
  CHECK_STR(e, "abc123");
  CHECK(hubtok__etag_normalise(e, sizeof(e), "\"ABCDEF\""));
  CHECK_STR(e, "abcdef");
  CHECK(hubtok__etag_normalise(e, sizeof(e), "0a1b"));
  CHECK_STR(e, "0a1b");
  CHECK(!hubtok__etag_normalise(e, sizeof(e), "\"../../x\""));
  CHECK_STR(e, "");
  CHECK(!hubtok__etag_normalise(e, sizeof(e), "\"\""));
  CHECK(!hubtok__etag_normalise(e, sizeof(e), "W/"));
  CHECK(!hubtok__etag_normalise(e, sizeof(e), "\"abc-1\""));
  CHECK(!hubtok__etag_normalise(e, sizeof(e), NULL));
  memset(big, 'a', 129);
  big[129] = '\0';
  CHECK(!hubtok__etag_normalise(e, sizeof(e), big));
  big[128] = '\0';
  CHECK(hubtok__etag_normalise(e, sizeof(e), big));
}

static void
test_loopback_and_sentences(void)
{
  char s[256];

  CHECK(hubtok__host_is_loopback("localhost"));
  CHECK(hubtok__host_is_loopback("LocalHost"));
  CHECK(hubtok__host_is_loopback("127.0.0.1"));
  CHECK(hubtok__host_is_loopback("127.255.1.2"));
  CHECK(hubtok__host_is_loopback("::1"));
  CHECK(hubtok__host_is_loopback("[::1]"));
  CHECK(!hubtok__host_is_loopback("128.0.0.1"));
  CHECK(!hubtok__host_is_loopback("127.0.0.1.evil.com"));
  CHECK(!hubtok__host_is_loopback("127.0.0.256"));
  CHECK(!hubtok__host_is_loopback("localhost.evil.com"));
  CHECK(!hubtok__host_is_loopback("huggingface.co"));
  CHECK(!hubtok__host_is_loopback(NULL));

  hubtok__status_sentence(s, sizeof(s), 401, "u");
  CHECK_STR(s, "Unauthorized access to file: \"u\".");
  hubtok__status_sentence(s, sizeof(s), 403, "u");
  CHECK_STR(s, "Forbidden access to file: \"u\".");
  hubtok__status_sentence(s, sizeof(s), 404, "u");
  CHECK_STR(s, "Could not locate file: \"u\".");
  hubtok__status_sentence(s, sizeof(s), 500, "u");
  CHECK_STR(s, "Internal server error error occurred while trying to load "
               "file: \"u\".");
  hubtok__status_sentence(s, sizeof(s), 503, "u");
  CHECK_STR(s, "Service unavailable error occurred while trying to load "
               "file: \"u\".");
  hubtok__status_sentence(s, sizeof(s), 429, "u");
  CHECK_STR(s, "Error (429) occurred while trying to load file: \"u\".");
}

static void
feed(hubtok__http_headers *h, const char *line)
{
  hubtok__http_header_line(h, line, strlen(line));
}

static void
test_headers(void)
{
  hubtok__http_headers h;
  char loc[HUBTOK__MAX_URL + 64];

  hubtok__http_headers_reset(&h);
  feed(&h, "HTTP/1.1 302 Found\r\n");
  CHECK(h.status == 302);
  feed(&h, "x-repo-commit: 0123456789abcdef0123456789abcdef01234567\r\n");
  feed(&h, "X-Linked-Etag:  \"abc\"  \r\n");
  feed(&h, "ETag: W/\"def\"\r\n");
  feed(&h, "X-Linked-Size: 1842767\r\n");
  feed(&h, "Content-Length: 12x\r\n");
  feed(&h, "X-Error-Code: GatedRepo\r\n");
  feed(&h, "X-Error-Message: line\x01two\r\n");
  feed(&h, "Retry-After: 7\r\n");
  feed(&h, "Location: https://cdn.example/x?sig=1\r\n");
  feed(&h, "Content-Range: bytes 100-199/200\r\n");
  feed(&h, "\r\n");
  CHECK_STR(h.repo_commit, "0123456789abcdef0123456789abcdef01234567");
  CHECK_STR(h.linked_etag, "\"abc\"");
  CHECK_STR(h.etag, "W/\"def\"");
  CHECK(h.linked_size == 1842767);
  CHECK(h.content_length == -1);
  CHECK_STR(h.error_code, "GatedRepo");
  CHECK_STR(h.error_msg, "line?two");
  CHECK(h.retry_after_s == 7);
  CHECK_STR(h.location, "https://cdn.example/x?sig=1");
  CHECK(h.range_start == 100);
  CHECK(!h.location_long);

  /* a new status line starts afresh */
  feed(&h, "HTTP/2 200\r\n");
  CHECK(h.status == 200);
  CHECK(h.repo_commit[0] == '\0');
  CHECK(h.linked_size == -1);
  feed(&h, "content-length: 42\r\n");
  CHECK(h.content_length == 42);
  feed(&h, "Retry-After: Wed, 21 Oct 2015 07:28:00 GMT\r\n");
  CHECK(h.retry_after_s == -1);
  feed(&h, "Content-Length: -1\r\n");
  CHECK(h.content_length == -1);
  feed(&h, "Content-Length: 99999999999999999999999\r\n");
  CHECK(h.content_length == -1);
  feed(&h, "no colon here\r\n");
  feed(&h, " folded continuation\r\n");
  feed(&h, "HTTP/1.1 abc\r\n");
  CHECK(h.status == 0);

  memcpy(loc, "Location: ", 10);
  memset(loc + 10, 'a', HUBTOK__MAX_URL + 10);
  loc[HUBTOK__MAX_URL + 20] = '\0';
  feed(&h, loc);
  CHECK(h.location_long);
  CHECK(strlen(h.location) == HUBTOK__MAX_URL - 1);

  CHECK(hubtok__parse_content_range("bytes 0-0/10") == 0);
  CHECK(hubtok__parse_content_range("bytes */10") == -1);
  CHECK(hubtok__parse_content_range("items 1-2/3") == -1);
}

static void
test_urls(void)
{
  char o[512];
  char host[256];
  char u[HUBTOK__MAX_URL];

  CHECK(!hubtok__url_origin("https://HuggingFace.co/x/y", o, sizeof(o),
                            host, sizeof(host)));
  CHECK_STR(o, "https://huggingface.co:443");
  CHECK_STR(host, "huggingface.co");
  CHECK(!hubtok__url_origin("http://127.0.0.1:8080/a", o, sizeof(o), NULL,
                            0));
  CHECK_STR(o, "http://127.0.0.1:8080");
  CHECK(!hubtok__url_origin("http://[::1]:9/a", o, sizeof(o), host,
                            sizeof(host)));
  CHECK(hubtok__host_is_loopback(host));
  CHECK(!hubtok__url_origin("http://h/", o, sizeof(o), NULL, 0));
  CHECK_STR(o, "http://h:80");
  CHECK(hubtok__url_origin("ftp://x/", o, sizeof(o), NULL, 0));
  CHECK(hubtok__url_origin("/relative", o, sizeof(o), NULL, 0));
  CHECK(hubtok__url_origin("file:///etc/passwd", o, sizeof(o), NULL, 0));

  CHECK(!hubtok__url_resolve("http://h:1/a/b/c", "/x/y", u, sizeof(u)));
  CHECK_STR(u, "http://h:1/x/y");
  CHECK(!hubtok__url_resolve("http://h:1/a/b/c", "d?q=1", u, sizeof(u)));
  CHECK_STR(u, "http://h:1/a/b/d?q=1");
  CHECK(!hubtok__url_resolve("http://h:1/a", "https://cdn.x/z?sig=1", u,
                             sizeof(u)));
  CHECK_STR(u, "https://cdn.x/z?sig=1");
  CHECK(hubtok__url_resolve("http://h:1/a", "ftp://x/y", u, sizeof(u)));
  CHECK(hubtok__url_resolve("http://h:1/a", "file:///etc/passwd", u,
                            sizeof(u)));
  CHECK(hubtok__url_resolve("http://h:1/a", "/x", u, 8));

  CHECK(hubtok__classify_hop("https://a:443", "https://a:443") ==
        HUBTOK__HOP_SAME);
  CHECK(hubtok__classify_hop("https://a:443", "https://a:444") ==
        HUBTOK__HOP_CROSS);
  CHECK(hubtok__classify_hop("https://a:443", "https://b:443") ==
        HUBTOK__HOP_CROSS);
  CHECK(hubtok__classify_hop("https://a:443", "http://a:443") ==
        HUBTOK__HOP_DOWNGRADE);
  CHECK(hubtok__classify_hop("https://a:443", "http://a:80") ==
        HUBTOK__HOP_DOWNGRADE);
  CHECK(hubtok__classify_hop("http://a:80", "https://a:443") ==
        HUBTOK__HOP_CROSS);
  CHECK(hubtok__classify_hop("http://127.0.0.1:1", "http://127.0.0.1:2") ==
        HUBTOK__HOP_CROSS);
}

static void
test_digest(void)
{
  char hex[65];

  CHECK(!hubtok__digest_mem("", 0, 0, hex, sizeof(hex)));
  CHECK_STR(hex, "e3b0c44298fc1c149afbf4c8996fb924"
                 "27ae41e4649b934ca495991b7852b855");
  CHECK(!hubtok__digest_mem("", 0, 1, hex, sizeof(hex)));
  CHECK_STR(hex, "e69de29bb2d1d6434b8b29ae775ad8c2e48c5391");
  CHECK(!hubtok__digest_mem("hello\n", 6, 1, hex, sizeof(hex)));
  CHECK_STR(hex, "ce013625030ba8dba906f756967f9e9ca394464a");
  CHECK(hubtok__digest_mem("x", 1, 0, hex, 64)); /* buffer too small */
}

static char tmpdir[64];

static void
write_file(const char *path, const char *data)
{
  FILE *f = fopen(path, "wb");

  if(!f)
    return;
  fputs(data, f);
  fclose(f);
}

static void
test_cache(void)
{
  hubtok__cache c;
  hubtok_error err;
  char name[256];
  char commit[41];
  char link[512];
  char *p;
  char *tmp = NULL;
  ssize_t n;
  int fd = -1;
  int lock = -1;
  struct stat st;
  const char *sha = "0123456789abcdef0123456789abcdef01234567";

  CHECK(!hubtok__repo_folder_name(name, sizeof(name), NULL, "org/name"));
  CHECK_STR(name, "models--org--name");
  CHECK(!hubtok__repo_folder_name(name, sizeof(name), "dataset", "x/y"));
  CHECK_STR(name, "datasets--x--y");
  CHECK(!hubtok__repo_folder_name(name, sizeof(name), "space", "gpt2"));
  CHECK_STR(name, "spaces--gpt2");
  CHECK(hubtok__repo_folder_name(name, sizeof(name), "kernel", "a"));
  CHECK(hubtok__repo_folder_name(name, 8, NULL, "org/name"));

  p = hubtok__symlink_target("tokenizer.json", "abc");
  CHECK_STR(p, "../../blobs/abc");
  free(p);
  p = hubtok__symlink_target("a/b/c.json", "abc");
  CHECK_STR(p, "../../../../blobs/abc");
  free(p);

  CHECK(hubtok__cache_init(&c, tmpdir, "model", "org/name", &err) ==
        HUBTOK_OK);
  CHECK(!hubtok__cache_read_ref(&c, "main", commit));
  CHECK(hubtok__cache_write_ref(&c, "refs/pr/1", sha, &err) == HUBTOK_OK);
  CHECK(hubtok__cache_read_ref(&c, "refs/pr/1", commit));
  CHECK_STR(commit, sha);
  snprintf(link, sizeof(link), "%s/models--org--name/refs/refs/pr/1",
           tmpdir);
  CHECK(stat(link, &st) == 0 && st.st_size == 40);
  CHECK((st.st_mode & 0777) == 0644);
  snprintf(link, sizeof(link), "%s/models--org--name/refs/bad", tmpdir);
  write_file(link, "not a commit");
  CHECK(!hubtok__cache_read_ref(&c, "bad", commit));
  write_file(link, "0123456789abcdef0123456789abcdef01234567\n");
  CHECK(hubtok__cache_read_ref(&c, "bad", commit));

  CHECK(hubtok__cache_temp(&c, "abcd", &fd, &tmp, &err) == HUBTOK_OK);
  CHECK(fd >= 0 && tmp);
  if(tmp) {
    size_t len = strlen(tmp);
    const char *base = strrchr(tmp, '/') + 1;
    CHECK(len > 11 && !strcmp(tmp + len - 11, ".incomplete"));
    CHECK(!strncmp(base, "abcd.", 5) && strlen(base) == 5 + 8 + 11);
    CHECK(write(fd, "hello\n", 6) == 6);
    close(fd);
    CHECK(hubtok__cache_commit_blob(&c, tmp, "abcd", &err) == HUBTOK_OK);
    free(tmp);
  }
  CHECK(hubtok__cache_link(&c, sha, "sub/dir/file.txt", "abcd", &err) ==
        HUBTOK_OK);
  p = hubtok__cache_snapshot_path(&c, sha, "sub/dir/file.txt");
  n = p ? readlink(p, link, sizeof(link) - 1) : -1;
  if(n >= 0)
    link[n] = '\0';
  CHECK(n > 0);
  CHECK_STR(n > 0 ? link : "", "../../../../blobs/abcd");
  CHECK(hubtok__file_exists(p, NULL));
  /* linking again replaces the entry */
  CHECK(hubtok__cache_link(&c, sha, "sub/dir/file.txt", "abcd", &err) ==
        HUBTOK_OK);
  free(p);

  CHECK(hubtok__cache_mark_no_exist(&c, sha, "x/y.json", &err) ==
        HUBTOK_OK);
  p = hubtok__cache_no_exist_path(&c, sha, "x/y.json");
  CHECK(p && stat(p, &st) == 0 && st.st_size == 0);
  free(p);

  hubtok__cache_tag(&c);
  snprintf(link, sizeof(link), "%s/CACHEDIR.TAG", tmpdir);
  CHECK(stat(link, &st) == 0 && st.st_size == 191);

  CHECK(hubtok__cache_lock(&c, "abcd", &lock, &err) == HUBTOK_OK);
  CHECK(lock >= 0);
  hubtok__cache_unlock(lock);
  hubtok__cache_unlock(-1);
  snprintf(link, sizeof(link), "%s/.locks/models--org--name/abcd.lock",
           tmpdir);
  CHECK(stat(link, &st) == 0);
  hubtok__cache_free(&c);
  hubtok__cache_free(NULL);
}

/* hubtok_hub_download paths that must not touch the network: the endpoint
 * is a closed port, so any request would fail loudly. */
static void
test_download_offline(void)
{
  hubtok_hub_opts o;
  hubtok_hub_result r;
  hubtok_error e;
  hubtok__cache c;
  const char *sha = "0123456789abcdef0123456789abcdef01234567";
  const char *secret = "hf_secret\r\nX-Evil: 1";

  CHECK(hubtok_hub_global_init() == HUBTOK_OK);
  CHECK(hubtok_hub_global_init() == HUBTOK_OK);
  memset(&o, 0, sizeof(o));
  o.endpoint = "http://127.0.0.1:9";
  o.repo_id = "org/name";
  o.filename = "sub/dir/file.txt";
  o.cache_dir = tmpdir;
  o.max_retries = 0;

  /* pinned commit in the cache: zero requests */
  o.revision = sha;
  CHECK(hubtok_hub_download(&o, &r, &e) == HUBTOK_OK);
  CHECK(r.requests == 0 && r.size == 6 && !r.downloaded);
  CHECK_STR(r.commit, sha);
  CHECK(r.path && r.path[0] == '/');
  hubtok_free(r.path);

  /* .no_exist for a pinned commit */
  o.filename = "x/y.json";
  CHECK(hubtok_hub_download(&o, &r, &e) == HUBTOK_ENTRY_NOT_FOUND);
  CHECK(r.requests == 0 && r.path == NULL && e.http_status == 404);

  /* offline: refs/refs/pr/1 -> snapshot */
  o.filename = "sub/dir/file.txt";
  o.revision = "refs/pr/1";
  o.local_files_only = 1;
  CHECK(hubtok_hub_download(&o, &r, &e) == HUBTOK_OK);
  CHECK(r.requests == 0);
  hubtok_free(r.path);
  o.revision = "main";
  CHECK(hubtok_hub_download(&o, &r, &e) == HUBTOK_OFFLINE);
  CHECK(strstr(e.msg, "local_files_only: false") != NULL);
  o.local_files_only = 0;
  o.offline = 1;
  CHECK(hubtok_hub_download(&o, &r, &e) == HUBTOK_OFFLINE);
  CHECK(strstr(e.msg, "HF_HUB_OFFLINE") != NULL);
  o.offline = 0;

  /* refused before any request */
  o.token = secret;
  CHECK(hubtok_hub_download(&o, &r, &e) == HUBTOK_INVALID_TOKEN);
  CHECK(strstr(e.msg, "hf_secret") == NULL && r.requests == 0);
  o.token = NULL;
  o.filename = "../etc/passwd";
  CHECK(hubtok_hub_download(&o, &r, &e) == HUBTOK_EINVAL);
  o.filename = "a.json";
  o.repo_type = "kernel";
  CHECK(hubtok_hub_download(&o, &r, &e) == HUBTOK_EINVAL);
  o.repo_type = NULL;
  o.endpoint = "ftp://x";
  CHECK(hubtok_hub_download(&o, &r, &e) == HUBTOK_EINVAL);
  o.endpoint = "http://127.0.0.1:9";
  o.user_agent = "x\r\nEvil: 1";
  CHECK(hubtok_hub_download(&o, &r, &e) == HUBTOK_EINVAL);
  o.user_agent = NULL;
  CHECK(hubtok_hub_download(NULL, &r, &e) == HUBTOK_EINVAL);

  /* network failure, nothing cached: one request, HUBTOK_NETWORK */
  o.revision = "main";
  CHECK(hubtok_hub_download(&o, &r, &e) == HUBTOK_NETWORK);
  CHECK(r.requests == 1 && r.path == NULL);
  CHECK(strstr(e.msg, "http://127.0.0.1:9/org/name/resolve/main/a.json"));

  /* network failure, cached via refs: answered from the cache */
  hubtok__cache_init(&c, tmpdir, NULL, "org/name", &e);
  hubtok__cache_write_ref(&c, "main", sha, &e);
  hubtok__cache_free(&c);
  o.filename = "sub/dir/file.txt";
  CHECK(hubtok_hub_download(&o, &r, &e) == HUBTOK_OK);
  CHECK(r.requests == 1 && e.code == HUBTOK_OK);
  hubtok_free(r.path);
}

int
main(void)
{
  char cmd[128];

  snprintf(tmpdir, sizeof(tmpdir), "/tmp/hubtok-test-hub-XXXXXX");
  if(!mkdtemp(tmpdir)) {
    perror("mkdtemp");
    return 2;
  }
  test_quote();
  test_validation();
  test_etag();
  test_loopback_and_sentences();
  test_headers();
  test_urls();
  test_digest();
  test_cache();
  test_download_offline();

  snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
  if(system(cmd)) {
    /* leaving a temp dir behind is not a test failure */
  }
  printf("test_hub: %d checks, %d failures\n", checks, failures);
  return failures ? 1 : 0;
}
