/*
 * Metadata filters as column predicates over one segment's units, and the
 * live (not deleted, and with --latest the latest edition) predicate. An AND
 * checks them only on the candidates of its word lists (op_filter.c).
 */
#include <stdlib.h>
#include <string.h>
#include "lexicon/gazetteer.h"
#include "query/search_state.h"

typedef struct cdx_q_pred {
  struct cdx_q_pred *next;
  const cdx_index *ix;
  size_t seg;
  const cdx_q_node *node; /* NULL: the live/latest predicate */
  bool latest;
  uint32_t memo_code; /* jurisdiction: units of a document share their */
  bool memo_hit;      /* code, so the last gazetteer walk is reused */
  uint32_t memo_doc;  /* document-level fields: a document's units are */
  bool memo_doc_hit;  /* consecutive, so the last answer is reused */
} cdx_q_pred;

/* ---- Filters ---- */

static bool in_range(int64_t v, const cdx_q_node *n) { return v != 0 && v >= n->lo && v <= n->hi; }

/* The document-level part of a filter: metadata of the document, or for
 * the live predicate, not deleted (and latest with --latest). Reads only the
 * document column, so walking documents is cheap. */
static bool pred_doc(cdx_q_pred *p, uint32_t doc) {
  if (doc == p->memo_doc) return p->memo_doc_hit;
  cdx_ix_unit_meta m;
  cdx_ix_doc_meta_get(p->ix, p->seg, doc, &m);
  const cdx_q_node *n = p->node;
  bool hit = false;
  if (!n) {
    hit = !cdx_ix_doc_deleted(p->ix, p->seg, doc) && (!p->latest || m.latest);
  } else {
    switch (n->field) {
      case CDX_F_JURISDICTION:
        if (m.jurisdiction_code == 0) break;
        if (m.jurisdiction_code != p->memo_code) {
          p->memo_code = m.jurisdiction_code;
          p->memo_hit = false;
          for (size_t i = 0; i < n->n_codes && !p->memo_hit; i++)
            p->memo_hit = cdx_gz_within(m.jurisdiction_code, n->codes[i]);
        }
        hit = p->memo_hit;
        break;
      case CDX_F_STATUS: hit = (n->mask >> m.status) & 1u; break;
      case CDX_F_EDITION: hit = in_range(m.edition, n); break;
      case CDX_F_DATE: hit = in_range(m.date, n); break;
      default: break;
    }
  }
  p->memo_doc = doc;
  p->memo_doc_hit = hit;
  return hit;
}

static bool pred_eval(void *ctx, uint32_t unit) {
  cdx_q_pred *p = ctx;
  if (p->node && p->node->field == CDX_F_KIND) {
    cdx_ix_unit_meta m;
    cdx_ix_unit_meta_get(p->ix, p->seg, unit, &m);
    return (p->node->mask >> m.kind) & 1u;
  }
  return pred_doc(p, cdx_ix_unit_doc(p->ix, p->seg, unit));
}

/* After a unit failed: the first unit of the next document that passes.
 * Only document-level predicates answer for whole documents. The walk reads
 * the document column in order and only goes forward, so a query pays it at
 * most once over a segment's documents (~75k documents at 1 GB). */
static uint32_t pred_skip(void *ctx, uint32_t unit) {
  cdx_q_pred *p = ctx;
  if (p->node && p->node->field == CDX_F_KIND) return unit + 1;
  uint32_t n_docs = cdx_ix_segment_docs(p->ix, p->seg);
  for (uint32_t d = cdx_ix_unit_doc(p->ix, p->seg, unit) + 1; d < n_docs; d++) {
    if (!pred_doc(p, d)) continue;
    uint32_t first, n;
    cdx_ix_doc_unit_range(p->ix, p->seg, d, &first, &n);
    if (n) return first;
  }
  return cdx_ix_segment_units(p->ix, p->seg);
}

cdx_q_it *cdx_q_pred_it(cdx_q_search *s, const cdx_q_node *node, const char *label) {
  cdx_q_pred *p = calloc(1, sizeof *p);
  if (!p) return NULL;
  *p = (cdx_q_pred){s->preds, s->ix, s->seg, node, s->latest, 0, false, UINT32_MAX, false};
  s->preds = p;
  return cdx_q_filter_new(cdx_ix_segment_units(s->ix, s->seg), pred_eval, pred_skip, p, label);
}

/* ---- Compilation into iterators ---- */

void cdx_q_free_preds(cdx_q_search *s) {
  while (s->preds) {
    cdx_q_pred *n = s->preds->next;
    free(s->preds);
    s->preds = n;
  }
}
