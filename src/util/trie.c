/*
 * trie.c: sorted, breadth-first byte trie (see trie.h).
 */
#include "util/trie.h"
#include "util/image.h"

#include <stdlib.h>
#include <string.h>

typedef struct entry {
  uint64_t pfx; /* the first 8 bytes, big-endian, zero-padded */
  const unsigned char *p;
  uint32_t len;
  uint32_t idx;
} entry;

static uint64_t
prefix8(const unsigned char *p, uint32_t len)
{
  uint64_t v = 0;
  uint32_t i;

  for(i = 0; i < 8; i++)
    v = v << 8 | (i < len ? p[i] : 0);
  return v;
}

/* Keys in byte order (a prefix before its extensions), then index. The
 * prefix word settles most comparisons without memcmp (a zero byte and
 * the end of a short key both read as 0, so ties go to memcmp). */
static int
entry_cmp(const void *a, const void *b)
{
  const entry *x = a, *y = b;
  uint32_t m;
  int c;

  if(x->pfx != y->pfx)
    return x->pfx < y->pfx ? -1 : 1;
  m = x->len < y->len ? x->len : y->len;
  c = m > 8 ? memcmp(x->p + 8, y->p + 8, m - 8) : 0;
  if(c)
    return c;
  if(x->len != y->len)
    return x->len < y->len ? -1 : 1;
  return x->idx < y->idx ? -1 : (x->idx > y->idx);
}

void
hubtok__trie_free(hubtok__trie *t)
{
  if(!t)
    return;
  if(!t->borrowed)
    free(t->nodes);
  t->borrowed = 0;
  t->nodes = NULL;
  t->n = 0;
}

void
hubtok__trie_to_image(const hubtok__trie *t, hubtok__imgw *w, uint32_t tag)
{
  hubtok__imgw_add(w, tag, t->nodes, t->n * sizeof(*t->nodes));
  hubtok__imgw_add(w, tag + 1, t->root, sizeof(t->root));
}

hubtok_code
hubtok__trie_from_image(hubtok__trie *t, const hubtok__image *img,
                        uint32_t tag, int32_t max_value)
{
  const hubtok__trie_node *nodes;
  const int32_t *root;
  size_t n, nroot, i;

  memset(t, 0, sizeof(*t));
  nodes = hubtok__image_get(img, tag, sizeof(*nodes), &n);
  root = hubtok__image_get(img, tag + 1, sizeof(*root), &nroot);
  if(!nodes || !root || nroot != 256 || n >= INT32_MAX)
    return HUBTOK_EIO;
  for(i = 0; i < n; i++) {
    const hubtok__trie_node *nd = &nodes[i];
    if(nd->nchild > 256 || (size_t)nd->first > n ||
       nd->nchild > n - nd->first || nd->value < -1 ||
       nd->value >= max_value)
      return HUBTOK_EIO;
  }
  for(i = 0; i < 256; i++)
    if(root[i] < -1 || (root[i] >= 0 && (size_t)root[i] >= n))
      return HUBTOK_EIO;
  t->nodes = (hubtok__trie_node *)nodes;
  t->n = n;
  memcpy(t->root, root, sizeof(t->root));
  t->borrowed = 1;
  return HUBTOK_OK;
}

hubtok_code
hubtok__trie_build(hubtok__trie *t, const char *const *keys,
                   const uint32_t *lens, size_t n)
{
  entry *e = NULL;
  uint32_t *lo = NULL, *hi = NULL, *depth = NULL;
  size_t total = 1, i, nn, cap;
  hubtok_code rc = HUBTOK_OK;

  t->nodes = NULL;
  t->n = 0;
  t->borrowed = 0;
  if(n >= INT32_MAX)
    return HUBTOK_ETOOLARGE;
  for(i = 0; i < n; i++) {
    total += lens[i];
    if(total > HUBTOK__TRIE_MAX_BYTES)
      return HUBTOK_ETOOLARGE;
  }
  cap = total;
  e = malloc((n ? n : 1) * sizeof(*e));
  t->nodes = calloc(cap, sizeof(*t->nodes)); /* no stray pad bytes:
                                                 images copy them */
  lo = malloc(cap * sizeof(*lo));
  hi = malloc(cap * sizeof(*hi));
  depth = malloc(cap * sizeof(*depth));
  if(!e || !t->nodes || !lo || !hi || !depth) {
    rc = HUBTOK_ENOMEM;
    goto done;
  }
  for(i = 0; i < n; i++) {
    e[i].p = (const unsigned char *)keys[i];
    e[i].len = lens[i];
    e[i].pfx = prefix8(e[i].p, lens[i]);
    e[i].idx = (uint32_t)i;
  }
  qsort(e, n, sizeof(*e), entry_cmp);
  /* Breadth-first: node k covers the sorted entries [lo[k], hi[k]) that
   * share its depth[k]-byte prefix; its children are appended as one
   * run, so the node array doubles as the queue. */
  nn = 1;
  t->nodes[0].label = 0;
  lo[0] = 0;
  hi[0] = (uint32_t)n;
  depth[0] = 0;
  for(i = 0; i < nn; i++) {
    hubtok__trie_node *nd = &t->nodes[i];
    uint32_t a = lo[i], b = hi[i], d = depth[i];
    nd->value = -1;
    /* keys ending here sort first; the largest index is the last */
    while(a < b && e[a].len == d) {
      if(d > 0)
        nd->value = (int32_t)e[a].idx;
      a++;
    }
    nd->first = (uint32_t)nn;
    nd->nchild = 0;
    while(a < b) {
      unsigned char c = e[a].p[d];
      uint32_t s = a;
      while(a < b && e[a].p[d] == c)
        a++;
      if(nn >= cap) { /* cannot happen: one node per key byte at most */
        rc = HUBTOK_ETOOLARGE;
        goto done;
      }
      t->nodes[nn].label = c;
      lo[nn] = s;
      hi[nn] = a;
      depth[nn] = d + 1;
      nn++;
      nd->nchild++;
    }
  }
  t->n = nn;
  for(i = 0; i < 256; i++)
    t->root[i] = -1;
  for(i = 0; i < t->nodes[0].nchild; i++) {
    uint32_t c = t->nodes[0].first + (uint32_t)i;
    t->root[t->nodes[c].label] = (int32_t)c;
  }
  {
    hubtok__trie_node *sh = realloc(t->nodes, nn * sizeof(*sh));
    if(sh)
      t->nodes = sh;
  }
done:
  free(e);
  free(lo);
  free(hi);
  free(depth);
  if(rc)
    hubtok__trie_free(t);
  return rc;
}

int32_t
hubtok__trie_get(const hubtok__trie *t, const char *s, size_t len)
{
  uint32_t node = 0;
  size_t i;

  if(!t->n || !len)
    return -1;
  for(i = 0; i < len; i++) {
    int64_t c = hubtok__trie_child(t, node, (unsigned char)s[i]);
    if(c < 0)
      return -1;
    node = (uint32_t)c;
  }
  return t->nodes[node].value;
}

size_t
hubtok__trie_memory(const hubtok__trie *t)
{
  return t->n * sizeof(*t->nodes);
}
