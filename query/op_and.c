/*
 * AND: children sorted rarest first; leapfrog with seek (each child jumps to
 * the candidate the previous one landed on), so the cost follows the rarest
 * list and the skip entries of the common ones, not their lengths. The
 * leapfrog itself is shared with PHRASE (cdx_q_leapfrog).
 */
#include <stdlib.h>
#include "query/query.h"

typedef cdx_q_kids_it and_it;

int cdx_q_leapfrog(cdx_q_it *const *kids, size_t n, uint32_t *cand, cdx_error *err) {
  uint32_t c = *cand;
  size_t agreed = 0, i = 0;
  while (agreed < n) {
    cdx_q_it *k = kids[i];
    int rc = cdx_q_seek(k, c, err);
    if (rc) return rc;
    if (k->docid == CDX_Q_END) {
      c = CDX_Q_END;
      break;
    }
    if (k->docid > c) {
      c = k->docid;
      agreed = 1;
    } else agreed++;
    i = i + 1 == n ? 0 : i + 1;
  }
  *cand = c;
  return CDX_OK;
}

static int and_align(and_it *a, uint32_t cand, cdx_error *err) {
  for (;;) {
    int rc = cdx_q_leapfrog(a->kids, a->n, &cand, err);
    if (rc) return rc;
    if (cand == CDX_Q_END) {
      a->base.docid = CDX_Q_END;
      return CDX_OK;
    }
    /* Every child agrees on cand: only now the confirmations, most common
     * child first: deferred filters (a column read) before the words'
     * stored-text checks. */
    bool ok = true;
    for (size_t k = a->n; k-- > 0 && ok;) {
      rc = cdx_q_confirm(a->kids[k], &ok, err);
      if (rc) return rc;
    }
    if (ok) {
      a->base.docid = cand;
      return CDX_OK;
    }
    /* A child that refused may have moved ahead (a filter skipping the rest
     * of a document): its docid bounds the next candidate. */
    uint32_t next = cand + 1;
    for (size_t k = 0; k < a->n; k++)
      if (a->kids[k]->docid > next) next = a->kids[k]->docid;
    if (cand >= CDX_Q_END - 1 || next == CDX_Q_END) {
      a->base.docid = CDX_Q_END;
      return CDX_OK;
    }
    cand = next;
  }
}

static int and_seek(cdx_q_it *it, uint32_t target, cdx_error *err) {
  it->started = true;
  return and_align((and_it *)it, target, err);
}

static void and_describe(const cdx_q_it *it, int *rc, cdx_buf *b) {
  cdx_q_kids_describe("AND", it, rc, b);
}

static const cdx_q_it_vt and_vt = {.next = cdx_q_next_by_seek,
                                   .seek = and_seek,
                                   .destroy = cdx_q_kids_destroy,
                                   .describe = and_describe};

static int by_cost(const void *x, const void *y) {
  const cdx_q_it *a = *(cdx_q_it *const *)x, *b = *(cdx_q_it *const *)y;
  return a->cost < b->cost ? -1 : a->cost > b->cost;
}

cdx_q_it *cdx_q_and_new(cdx_q_it **kids, size_t n) {
  and_it *a = cdx_q_kids_new(kids, n);
  if (!a) return NULL;
  uint64_t cost = UINT64_MAX;
  for (size_t i = 0; i < n; i++)
    if (kids[i]->cost < cost) cost = kids[i]->cost;
  /* Stable order for equal costs keeps describe() deterministic. */
  for (size_t i = 1; i < n; i++)
    for (size_t j = i; j > 0 && by_cost(&a->kids[j - 1], &a->kids[j]) > 0; j--) {
      cdx_q_it *t = a->kids[j];
      a->kids[j] = a->kids[j - 1];
      a->kids[j - 1] = t;
    }
  bool has_list = false;
  for (size_t i = 0; i < n; i++) has_list |= !cdx_q_is_filter(a->kids[i]);
  if (has_list)
    for (size_t i = 0; i < n; i++) cdx_q_filter_defer(a->kids[i]);
  a->base = (cdx_q_it){&and_vt, 0, false, n ? cost : 0};
  return &a->base;
}

size_t cdx_q_and_kids(cdx_q_it *it, cdx_q_it *const **kids) {
  if (it->vt != &and_vt) return 0;
  and_it *a = (and_it *)it;
  *kids = a->kids;
  return a->n;
}
