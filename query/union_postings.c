/*
 * A postings source that is the union of several others: the occurrences of
 * a single CJK character, which the index spreads over every term starting
 * with it (the bigrams it begins, and its unigram where a run ends; see
 * cdx_ix_segment_char_by_prefix). To the operators above it is one term:
 * the units holding any of the sources, tf the sum of theirs, positions the
 * merge of theirs.
 *
 * A frequent character starts thousands of bigrams, most of them rare, so
 * the sources sit in a min-heap on their current unit (as Lucene's
 * disjunctions do): moving costs log(k) per source that moves, and a seek
 * touches only the sources that are behind the target.
 */
#include <stdlib.h>
#include <string.h>
#include "query/query.h"

typedef struct union_postings {
  const cdx_q_postings_vt *vt;
  void **src;
  uint32_t *cur; /* current unit of each source */
  size_t n;
  size_t *heap; /* source indexes, smallest cur first; exhausted ones leave */
  size_t n_heap;
  bool started;
  size_t *group; /* the sources on the current unit (gathered on demand) */
  size_t n_group;
  bool group_ready;
  uint32_t *pos; /* merged positions of the current unit */
  size_t n_pos, cap_pos;
  bool pos_ready;
} union_postings;

static uint32_t top_unit(const union_postings *u) {
  return u->n_heap ? u->cur[u->heap[0]] : CDX_Q_END;
}

static void sift_down(union_postings *u, size_t i) {
  size_t x = u->heap[i];
  uint32_t key = u->cur[x];
  for (;;) {
    size_t l = 2 * i + 1;
    if (l >= u->n_heap) break;
    size_t c = l + 1 < u->n_heap && u->cur[u->heap[l + 1]] < u->cur[u->heap[l]] ? l + 1 : l;
    if (u->cur[u->heap[c]] >= key) break;
    u->heap[i] = u->heap[c];
    i = c;
  }
  u->heap[i] = x;
}

/* The top source moved: drop it when exhausted, else restore the order. */
static void fix_top(union_postings *u) {
  if (u->cur[u->heap[0]] == CDX_Q_END) {
    u->heap[0] = u->heap[--u->n_heap];
    if (u->n_heap == 0) return;
  }
  sift_down(u, 0);
}

static void moved(union_postings *u) {
  u->group_ready = false;
  u->pos_ready = false;
}

/* Starts every source with first(target) and builds the heap. */
static int start(union_postings *u, uint32_t target, bool seek, cdx_error *err) {
  u->started = true;
  u->n_heap = 0;
  for (size_t i = 0; i < u->n; i++) {
    int rc = seek ? u->vt->seek(u->src[i], target, &u->cur[i], err)
                  : u->vt->next(u->src[i], &u->cur[i], err);
    if (rc) return rc;
    if (u->cur[i] != CDX_Q_END) u->heap[u->n_heap++] = i;
  }
  for (size_t i = u->n_heap / 2; i-- > 0;) sift_down(u, i);
  return CDX_OK;
}

static int union_next(void *p, uint32_t *id, cdx_error *err) {
  union_postings *u = p;
  moved(u);
  if (!u->started) {
    int rc = start(u, 0, false, err);
    *id = top_unit(u);
    return rc;
  }
  uint32_t at = top_unit(u);
  while (u->n_heap && u->cur[u->heap[0]] == at) {
    int rc = u->vt->next(u->src[u->heap[0]], &u->cur[u->heap[0]], err);
    if (rc) return rc;
    fix_top(u);
  }
  *id = top_unit(u);
  return CDX_OK;
}

static int union_seek(void *p, uint32_t target, uint32_t *id, cdx_error *err) {
  union_postings *u = p;
  moved(u);
  if (!u->started) {
    int rc = start(u, target, true, err);
    *id = top_unit(u);
    return rc;
  }
  while (u->n_heap && u->cur[u->heap[0]] < target) {
    int rc = u->vt->seek(u->src[u->heap[0]], target, &u->cur[u->heap[0]], err);
    if (rc) return rc;
    fix_top(u);
  }
  *id = top_unit(u);
  return CDX_OK;
}

/* The sources on the current unit: the heap nodes holding the top key form
 * a subtree at the root, so a walk that stops at larger keys finds them. */
static void gather(union_postings *u) {
  if (u->group_ready) return;
  u->group_ready = true;
  u->n_group = 0;
  if (!u->n_heap) return;
  uint32_t at = u->cur[u->heap[0]];
  /* group doubles as the walk's stack of heap slots, then holds sources */
  size_t n_stack = 0;
  size_t *slots = u->group + u->n; /* second half of the allocation */
  slots[n_stack++] = 0;
  while (n_stack) {
    size_t i = slots[--n_stack];
    u->group[u->n_group++] = u->heap[i];
    for (size_t c = 2 * i + 1; c <= 2 * i + 2 && c < u->n_heap; c++)
      if (u->cur[u->heap[c]] == at) slots[n_stack++] = c;
  }
}

static uint32_t union_tf(void *p) {
  union_postings *u = p;
  gather(u);
  uint32_t tf = 0;
  for (size_t i = 0; i < u->n_group; i++) tf += u->vt->tf(u->src[u->group[i]]);
  return tf;
}

static int cmp_u32(const void *a, const void *b) {
  uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
  return x < y ? -1 : x > y;
}

static int union_positions(void *p, const uint32_t **pos, size_t *n, cdx_error *err) {
  union_postings *u = p;
  if (!u->pos_ready) {
    gather(u);
    u->n_pos = 0;
    for (size_t i = 0; i < u->n_group; i++) {
      const uint32_t *sp;
      size_t sn;
      int rc = u->vt->positions(u->src[u->group[i]], &sp, &sn, err);
      if (rc) return rc;
      if (u->n_pos + sn > u->cap_pos) {
        size_t cap = (u->n_pos + sn) * 2;
        uint32_t *np = realloc(u->pos, cap * sizeof *np);
        if (!np)
          return cdx_err_set(err, CDX_NOMEM, CDX_NO_OFFSET, "out of memory running the query");
        u->pos = np;
        u->cap_pos = cap;
      }
      memcpy(u->pos + u->n_pos, sp, sn * sizeof *sp);
      u->n_pos += sn;
    }
    if (u->n_group > 1) {
      qsort(u->pos, u->n_pos, sizeof *u->pos, cmp_u32);
      size_t k = 0; /* a position is in one source only; keep that true */
      for (size_t i = 0; i < u->n_pos; i++)
        if (k == 0 || u->pos[i] != u->pos[k - 1]) u->pos[k++] = u->pos[i];
      u->n_pos = k;
    }
    u->pos_ready = true;
  }
  *pos = u->pos;
  *n = u->n_pos;
  return CDX_OK;
}

static void union_destroy(void *p) {
  union_postings *u = p;
  for (size_t i = 0; i < u->n; i++) u->vt->destroy(u->src[i]);
  free(u->src);
  free(u->cur);
  free(u->heap);
  free(u->group);
  free(u->pos);
  free(u);
}

const cdx_q_postings_vt cdx_q_union_postings_vt = {union_next,      union_seek,    union_tf,
                                                   union_positions, union_destroy, NULL};

void *cdx_q_union_postings_new(const cdx_q_postings_vt *vt, void **src, size_t n) {
  union_postings *u = calloc(1, sizeof *u);
  size_t k = n ? n : 1;
  if (u) {
    u->src = malloc(k * sizeof *u->src);
    u->cur = malloc(k * sizeof *u->cur);
    u->heap = malloc(k * sizeof *u->heap);
    u->group = malloc(2 * k * sizeof *u->group);
  }
  if (!u || !u->src || !u->cur || !u->heap || !u->group) {
    for (size_t i = 0; i < n; i++) vt->destroy(src[i]);
    if (u) {
      free(u->src);
      free(u->cur);
      free(u->heap);
      free(u->group);
      free(u);
    }
    return NULL;
  }
  u->vt = vt;
  u->n = n;
  if (n) memcpy(u->src, src, n * sizeof *src);
  return u;
}
