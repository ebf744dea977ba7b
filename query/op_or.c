/*
 * OR: the union of the children. The children stay at or after the current
 * unit, so a scorer can ask each leaf whether it sits on the current unit.
 * A linear scan of the children is used: queries have a handful of OR
 * branches, where a heap costs more than it saves.
 */
#include <stdlib.h>
#include "query/query.h"

typedef cdx_q_kids_it or_it;

static void or_min(or_it *o) {
  uint32_t m = CDX_Q_END;
  for (size_t i = 0; i < o->n; i++)
    if (o->kids[i]->docid < m) m = o->kids[i]->docid;
  o->base.docid = m;
}

static int or_next(cdx_q_it *it, cdx_error *err) {
  or_it *o = (or_it *)it;
  for (size_t i = 0; i < o->n; i++) {
    cdx_q_it *k = o->kids[i];
    if (!it->started || (k->docid == it->docid && k->docid != CDX_Q_END)) {
      int rc = cdx_q_next(k, err);
      if (rc) return rc;
    }
  }
  it->started = true;
  or_min(o);
  return CDX_OK;
}

static int or_seek(cdx_q_it *it, uint32_t target, cdx_error *err) {
  or_it *o = (or_it *)it;
  for (size_t i = 0; i < o->n; i++) {
    int rc = cdx_q_seek(o->kids[i], target, err);
    if (rc) return rc;
  }
  it->started = true;
  or_min(o);
  return CDX_OK;
}

static void or_describe(const cdx_q_it *it, int *rc, cdx_buf *b) {
  cdx_q_kids_describe("OR", it, rc, b);
}

/* The union holds the unit when any child sitting on it confirms it. */
static int or_confirm(cdx_q_it *it, bool *ok, cdx_error *err) {
  or_it *o = (or_it *)it;
  *ok = false;
  for (size_t i = 0; i < o->n && !*ok; i++) {
    if (o->kids[i]->docid != it->docid) continue;
    int rc = cdx_q_confirm(o->kids[i], ok, err);
    if (rc) return rc;
  }
  return CDX_OK;
}

static const cdx_q_it_vt or_vt = {.next = or_next,
                                  .seek = or_seek,
                                  .destroy = cdx_q_kids_destroy,
                                  .describe = or_describe,
                                  .confirm = or_confirm};

cdx_q_it *cdx_q_or_new(cdx_q_it **kids, size_t n) {
  or_it *o = cdx_q_kids_new(kids, n);
  if (!o) return NULL;
  uint64_t cost = 0;
  for (size_t i = 0; i < n; i++) cost += kids[i]->cost;
  o->base = (cdx_q_it){&or_vt, 0, false, cost};
  return &o->base;
}

size_t cdx_q_or_kids(cdx_q_it *it, cdx_q_it *const **kids) {
  if (it->vt != &or_vt) return 0;
  or_it *o = (or_it *)it;
  *kids = o->kids;
  return o->n;
}
