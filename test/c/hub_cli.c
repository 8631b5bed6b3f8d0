/*
 * hub_cli.c: drive hubtok_hub_download() from the command line, without
 * Node, for end-to-end runs against test/helpers/test-hub.js.
 *
 *   hub_cli [options] endpoint repo_id revision filename cache_dir [token]
 *
 * options: --type model|dataset|space  --local  --offline  --retries N
 *          --backoff MS  --etag-timeout MS  --dl-timeout MS  --ua STRING
 *          --proxy URL  --no-proxy LIST  --progress  --threads N
 *
 * --threads N runs N concurrent downloads of the same file (same cache);
 * the JSON is thread 0's, plus "ok_threads" (how many returned OK) and
 * "total_requests".
 *
 * Prints one JSON line: {"code","path","commit","size","downloaded",
 * "requests","status","server_code","progress_calls","msg"} and exits 0
 * on HUBTOK_OK, 1 otherwise. A token may also come from $HUBTOK_CLI_TOKEN
 * (so it need not appear in argv; "-" as the token argument means that).
 */
#include "hubtok.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct prog {
  unsigned long calls;
  uint64_t last_loaded;
  uint64_t last_total;
};

static void
on_progress(void *ud, uint64_t loaded, uint64_t total)
{
  struct prog *p = ud;

  p->calls++;
  p->last_loaded = loaded;
  p->last_total = total;
}

struct job {
  const hubtok_hub_opts *o;
  hubtok_hub_result r;
  hubtok_error e;
  hubtok_code rc;
};

static void *
run_job(void *arg)
{
  struct job *j = arg;

  j->rc = hubtok_hub_download(j->o, &j->r, &j->e);
  return NULL;
}

static void
json_str(const char *s)
{
  putchar('"');
  for(; s && *s; s++) {
    unsigned char c = (unsigned char)*s;
    if(c == '"' || c == '\\')
      printf("\\%c", c);
    else if(c < 0x20)
      printf("\\u%04x", c);
    else
      putchar(c);
  }
  putchar('"');
}

int
main(int argc, char **argv)
{
  hubtok_hub_opts o;
  hubtok_hub_result r;
  hubtok_error e;
  hubtok_code rc;
  struct job jobs[16];
  pthread_t tids[16];
  int threads = 1;
  int ok_threads = 0;
  int total_requests = 0;
  struct prog prog = {0, 0, 0};
  const char *pos[6] = {NULL, NULL, NULL, NULL, NULL, NULL};
  int npos = 0;
  int i;

  memset(&o, 0, sizeof(o));
  o.max_retries = -1;
  for(i = 1; i < argc; i++) {
    const char *a = argv[i];
    const char *v = i + 1 < argc ? argv[i + 1] : NULL;
    if(!strcmp(a, "--local"))
      o.local_files_only = 1;
    else if(!strcmp(a, "--offline"))
      o.offline = 1;
    else if(!strcmp(a, "--progress")) {
      o.progress = on_progress;
      o.progress_ud = &prog;
    }
    else if(!strcmp(a, "--threads") && v) {
      threads = atoi(argv[++i]);
      if(threads < 1 || threads > 16)
        threads = 1;
    }
    else if(!strcmp(a, "--type") && v)
      o.repo_type = argv[++i];
    else if(!strcmp(a, "--retries") && v)
      o.max_retries = atoi(argv[++i]);
    else if(!strcmp(a, "--backoff") && v)
      o.backoff_base_ms = atol(argv[++i]);
    else if(!strcmp(a, "--etag-timeout") && v)
      o.etag_timeout_ms = atol(argv[++i]);
    else if(!strcmp(a, "--dl-timeout") && v)
      o.download_timeout_ms = atol(argv[++i]);
    else if(!strcmp(a, "--ua") && v)
      o.user_agent = argv[++i];
    else if(!strcmp(a, "--proxy") && v)
      o.proxy = argv[++i];
    else if(!strcmp(a, "--no-proxy") && v)
      o.no_proxy = argv[++i];
    else if(npos < 6)
      pos[npos++] = a;
    else {
      fprintf(stderr, "hub_cli: too many arguments\n");
      return 2;
    }
  }
  if(npos < 5) {
    fprintf(stderr, "usage: hub_cli [options] endpoint repo_id revision "
                    "filename cache_dir [token|-]\n");
    return 2;
  }
  o.endpoint = pos[0];
  o.repo_id = pos[1];
  o.revision = pos[2][0] ? pos[2] : NULL;
  o.filename = pos[3];
  o.cache_dir = pos[4];
  o.token = pos[5];
  if(o.token && !strcmp(o.token, "-"))
    o.token = getenv("HUBTOK_CLI_TOKEN");

  if(o.progress && threads > 1)
    o.progress = NULL; /* the counter is not shared across threads */
  for(i = 0; i < threads; i++) {
    jobs[i].o = &o;
    if(pthread_create(&tids[i], NULL, run_job, &jobs[i])) {
      fprintf(stderr, "hub_cli: pthread_create failed\n");
      return 2;
    }
  }
  for(i = 0; i < threads; i++) {
    pthread_join(tids[i], NULL);
    ok_threads += jobs[i].rc == HUBTOK_OK;
    total_requests += jobs[i].r.requests;
    if(i > 0)
      hubtok_free(jobs[i].r.path);
  }
  rc = jobs[0].rc;
  r = jobs[0].r;
  e = jobs[0].e;
  printf("{\"code\":");
  json_str(hubtok_err_name(rc));
  printf(",\"path\":");
  if(r.path)
    json_str(r.path);
  else
    printf("null");
  printf(",\"commit\":");
  json_str(r.commit);
  printf(",\"size\":%llu,\"downloaded\":%d,\"requests\":%d",
         (unsigned long long)r.size, r.downloaded, r.requests);
  printf(",\"status\":%d,\"server_code\":", e.http_status);
  json_str(e.server_code);
  printf(",\"server_msg\":");
  json_str(e.server_msg);
  printf(",\"progress_calls\":%lu,\"progress_last\":[%llu,%llu]",
         prog.calls, (unsigned long long)prog.last_loaded,
         (unsigned long long)prog.last_total);
  printf(",\"ok_threads\":%d,\"total_requests\":%d", ok_threads,
         total_requests);
  printf(",\"msg\":");
  json_str(e.msg);
  printf("}\n");
  hubtok_free(r.path);
  return rc == HUBTOK_OK ? 0 : 1;
}
