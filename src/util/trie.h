/*
 * trie.h: a read-only byte trie for common-prefix search, as the Trie in
 * tokenizers/src/models/unigram/trie.rs is used by the Unigram model.
 *
 * Built once from a list of keys: the keys are sorted and the nodes laid
 * out breadth first in one array, each node's children contiguous and
 * ordered by label (binary search). No per-node allocation, so building
 * a 250k-key vocabulary costs one sort and one pass.
 *
 * Ownership: the trie owns its node array; free with hubtok__trie_free().
 * Thread safety: lookups on a built trie are thread-safe.
 */
#ifndef HUBTOK_UTIL_TRIE_H
#define HUBTOK_UTIL_TRIE_H

#include "internal.h"

#include <stdint.h>

/* Largest total key bytes accepted (bounds the node count). */
#define HUBTOK__TRIE_MAX_BYTES ((size_t)1 << 28)

typedef struct hubtok__trie_node {
  uint32_t first;  /* index of the first child */
  int32_t value;   /* value of the key ending here, -1 when none */
  uint16_t nchild; /* number of children (0..256) */
  uint8_t label;   /* byte on the edge from the parent */
} hubtok__trie_node;

typedef struct hubtok__trie {
  hubtok__trie_node *nodes; /* nodes[0] is the root */
  size_t n;
  int32_t root[256];        /* the root's child along each byte, or -1 */
  int borrowed;             /* nodes are an image's (read-only) */
} hubtok__trie;

struct hubtok__image;
struct hubtok__imgw;

/* Build from keys[i] (lens[i] bytes); key i gets value i. When a key
 * appears more than once the largest index wins (as a HashMap filled in
 * order). Empty keys are never found (as trie.rs). n must stay below
 * INT32_MAX. On failure t is empty. */
hubtok_code hubtok__trie_build(hubtok__trie *t, const char *const *keys,
                               const uint32_t *lens, size_t n)
  HUBTOK__WARN_UNUSED;

/* The child of `node` along byte c, or -1. Inline: the Unigram best
 * path calls it for every byte of every candidate piece. The root's
 * children are a table; short child runs are scanned, long ones
 * searched. */
static inline int64_t
hubtok__trie_child(const hubtok__trie *t, uint32_t node, unsigned char c)
{
  const hubtok__trie_node *nd;
  size_t a, b;

  if(node == 0)
    return t->n ? t->root[c] : -1;
  nd = &t->nodes[node];
  a = nd->first;
  b = (size_t)nd->first + nd->nchild;
  if(nd->nchild <= 8) {
    for(; a < b; a++)
      if(t->nodes[a].label == c)
        return (int64_t)a;
    return -1;
  }
  while(a < b) {
    size_t m = a + (b - a) / 2;
    unsigned char l = t->nodes[m].label;
    if(l == c)
      return (int64_t)m;
    if(l < c)
      a = m + 1;
    else
      b = m;
  }
  return -1;
}

/* Value of the key s[0..len) or -1 (-1 for the empty key too). */
int32_t hubtok__trie_get(const hubtok__trie *t, const char *s, size_t len);

/* Add the trie to an image as sections `tag` (nodes) and `tag + 1` (the
 * root table). */
void hubtok__trie_to_image(const hubtok__trie *t, struct hubtok__imgw *w,
                           uint32_t tag);

/* Make t a read-only view of sections `tag` and `tag + 1` of img (the
 * image must outlive t). Every child range and root entry is checked to
 * stay inside the nodes, every value to be -1 or below max_value.
 * HUBTOK_EIO when not; t is then empty. */
hubtok_code hubtok__trie_from_image(hubtok__trie *t,
                                    const struct hubtok__image *img,
                                    uint32_t tag, int32_t max_value)
  HUBTOK__WARN_UNUSED;

/* Heap bytes held. */
size_t hubtok__trie_memory(const hubtok__trie *t);

/* NULL-safe; leaves an empty trie. */
void hubtok__trie_free(hubtok__trie *t);

#endif /* HUBTOK_UTIL_TRIE_H */
