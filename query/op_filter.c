/*
 * A metadata filter as an iterator: the units whose fixed-width columns
 * satisfy a predicate. Alone (a filter-only query) it walks the columns.
 * Next to a word list it is deferred: walking ahead to the next unit that
 * passes would cost a column read for every unit in between (on a 1 GB
 * corpus, ~30 ms whatever the word), so instead seek lands on the target and
 * confirm() tests that one unit. Only an operator that confirms before it
 * reports a unit (AND, the excluded side of ANDNOT) defers its filters.
 */
#include <stdlib.h>
#include <string.h>
#include "query/query.h"

typedef struct filter_it {
  cdx_q_it base;
  uint32_t n_units;
  cdx_q_pred_fn pred;
  cdx_q_skip_fn skip;
  void *ctx;
  char *label;
  bool deferred;
  void (*free_ctx)(void *ctx);
} filter_it;

/* The first unit >= u that passes; a deferred filter stays on u (confirm
 * tests it). The walk uses skip, so a document-level predicate moves a whole
 * document per step. */
static void filter_from(filter_it *f, uint32_t u) {
  if (!f->deferred)
    while (u < f->n_units && !f->pred(f->ctx, u)) u = f->skip ? f->skip(f->ctx, u) : u + 1;
  f->base.docid = u < f->n_units ? u : CDX_Q_END;
}

static int filter_next(cdx_q_it *it, cdx_error *err) {
  (void)err;
  filter_it *f = (filter_it *)it;
  if (!it->started) {
    it->started = true;
    filter_from(f, 0);
  } else if (it->docid != CDX_Q_END) filter_from(f, it->docid + 1);
  return CDX_OK;
}

static int filter_seek(cdx_q_it *it, uint32_t target, cdx_error *err) {
  (void)err;
  it->started = true;
  filter_from((filter_it *)it, target);
  return CDX_OK;
}

static void filter_destroy(cdx_q_it *it) {
  filter_it *f = (filter_it *)it;
  if (f->free_ctx) f->free_ctx(f->ctx);
  free(f->label);
  free(f);
}

static void filter_describe(const cdx_q_it *it, int *rc, cdx_buf *b) {
  cdx_buf_printf(rc, b, "FILTER(%s)", ((const filter_it *)it)->label);
}

static int filter_confirm(cdx_q_it *it, bool *ok, cdx_error *err) {
  (void)err;
  filter_it *f = (filter_it *)it;
  *ok = !f->deferred || (it->docid < f->n_units && f->pred(f->ctx, it->docid));
  if (!*ok && it->docid < f->n_units) {
    uint32_t next = f->skip ? f->skip(f->ctx, it->docid) : it->docid + 1;
    it->docid = next < f->n_units ? next : CDX_Q_END;
  }
  return CDX_OK;
}

static const cdx_q_it_vt filter_vt = {.next = filter_next,
                                      .seek = filter_seek,
                                      .destroy = filter_destroy,
                                      .describe = filter_describe,
                                      .confirm = filter_confirm};

bool cdx_q_is_filter(const cdx_q_it *it) { return it->vt == &filter_vt; }

void cdx_q_filter_owns_ctx(cdx_q_it *it, void (*fn)(void *ctx)) {
  if (cdx_q_is_filter(it)) ((filter_it *)it)->free_ctx = fn;
}

void cdx_q_filter_defer(cdx_q_it *it) {
  if (cdx_q_is_filter(it)) ((filter_it *)it)->deferred = true;
}

cdx_q_it *cdx_q_filter_new(uint32_t n_units, cdx_q_pred_fn pred, cdx_q_skip_fn skip, void *ctx,
                           const char *label) {
  filter_it *f = calloc(1, sizeof *f);
  size_t ln = strlen(label);
  char *l = malloc(ln + 1);
  if (l) memcpy(l, label, ln + 1);
  if (!f || !l) {
    free(f);
    free(l);
    return NULL;
  }
  f->base = (cdx_q_it){&filter_vt, 0, false, n_units};
  f->n_units = n_units;
  f->pred = pred;
  f->skip = skip;
  f->ctx = ctx;
  f->label = l;
  return &f->base;
}
