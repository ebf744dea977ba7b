/*
 * Adapts the index reader's posting iterators to the query's postings
 * sources (cdx_q_postings_vt) and opens the leaves of a query: one term, or
 * one CJK character as the union of the terms that start with it.
 */
#include <stdlib.h>
#include <string.h>
#include "query/search_state.h"

/* ---- Postings source over the index reader ---- */

typedef struct ix_src {
  cdx_ix_postings *p;
  bool moved; /* the reader's iterator starts ON its first unit */
} ix_src;

static int ix_next(void *p, uint32_t *id, cdx_error *err) {
  ix_src *s = p;
  if (s->moved) {
    int rc = cdx_ix_postings_next(s->p, err);
    if (rc) return rc;
  }
  s->moved = true;
  *id = cdx_ix_postings_unit(s->p);
  return CDX_OK;
}

static int ix_seek(void *p, uint32_t target, uint32_t *id, cdx_error *err) {
  ix_src *s = p;
  s->moved = true;
  int rc = cdx_ix_postings_seek(s->p, target, err);
  if (rc) return rc;
  *id = cdx_ix_postings_unit(s->p);
  return CDX_OK;
}

static uint32_t ix_tf(void *p) { return cdx_ix_postings_tf(((ix_src *)p)->p); }

static int ix_positions(void *p, const uint32_t **pos, size_t *n, cdx_error *err) {
  return cdx_ix_postings_positions(((ix_src *)p)->p, pos, n, err);
}

static void ix_destroy(void *p) {
  ix_src *s = p;
  cdx_ix_postings_free(s->p);
  free(s);
}

static bool ix_block(void *p, uint32_t target, cdx_q_block *out) {
  uint32_t first;
  return cdx_ix_postings_peek_block(((ix_src *)p)->p, target, &first, &out->last, &out->max_tf,
                                    &out->bound_len);
}

static const cdx_q_postings_vt ix_vt = {ix_next,      ix_seek,    ix_tf,
                                        ix_positions, ix_destroy, ix_block};

int cdx_q_ix_term_leaf(const cdx_index *ix, size_t seg, const char *term, size_t len,
                       cdx_q_it **out, cdx_error *err) {
  cdx_ix_postings *p = NULL;
  int rc = cdx_ix_postings_open(ix, seg, term, len, &p, err);
  if (rc) return rc;
  ix_src *src = malloc(sizeof *src);
  if (!src) {
    cdx_ix_postings_free(p);
    return cdx_q_nomem(err);
  }
  src->p = p;
  src->moved = false;
  *out = cdx_q_term_new(&ix_vt, src, cdx_ix_postings_df(p), term, len);
  return *out ? CDX_OK : cdx_q_nomem(err);
}

/* A single CJK character (term = optional field byte + the character): in
 * segments that spread it over the terms starting with it, their union.
 * Also a fact filter's prefix (dept:NAME*, fact_filter.c). */
int cdx_q_ix_prefix_leaf(const cdx_index *ix, size_t seg, const char *term, size_t len,
                         cdx_q_it **out, cdx_error *err) {
  if (!cdx_ix_segment_char_by_prefix(ix, seg))
    return cdx_q_ix_term_leaf(ix, seg, term, len, out, err);
  cdx_ix_postings **its = NULL;
  size_t n = 0;
  int rc = cdx_ix_postings_open_prefix(ix, seg, term, len, &its, &n, err);
  if (rc) return rc;
  void **srcs = malloc((n ? n : 1) * sizeof *srcs);
  uint64_t df = 0;
  size_t made = 0;
  for (; srcs && made < n; made++) {
    ix_src *src = malloc(sizeof *src);
    if (!src) break;
    *src = (ix_src){its[made], false};
    df += cdx_ix_postings_df(its[made]);
    srcs[made] = src;
  }
  if (!srcs || made < n) {
    for (size_t i = 0; i < made; i++) ix_destroy(srcs[i]);
    for (size_t i = made; i < n; i++) cdx_ix_postings_free(its[i]);
    free(its);
    free(srcs);
    return cdx_q_nomem(err);
  }
  free(its);
  void *u = cdx_q_union_postings_new(&ix_vt, srcs, n);
  free(srcs);
  if (!u) return cdx_q_nomem(err);
  uint32_t units = cdx_ix_segment_units(ix, seg);
  *out = cdx_q_term_new(&cdx_q_union_postings_vt, u, df < units ? df : units, term, len);
  return *out ? CDX_OK : cdx_q_nomem(err);
}

/* The leaf of one token of a query word. */
int cdx_q_ix_token_leaf(const cdx_index *ix, size_t seg, const char *term, size_t len,
                        cdx_token_type type, cdx_q_it **out, cdx_error *err) {
  return type == CDX_TOKEN_CJK_UNIGRAM ? cdx_q_ix_prefix_leaf(ix, seg, term, len, out, err)
                                       : cdx_q_ix_term_leaf(ix, seg, term, len, out, err);
}

cdx_ix_postings *cdx_q_ix_term_postings(cdx_q_it *it) {
  ix_src *src = cdx_q_term_source(it, &ix_vt);
  return src && !src->moved ? src->p : NULL;
}

/* The index reader's lists under an AND of term leaves that have not
 * moved, in cdx_q_and_kids order; 0 for any other tree. */
static size_t and_lists(cdx_q_it *root, cdx_ix_postings **its) {
  cdx_q_it *const *kids;
  size_t n = cdx_q_and_kids(root, &kids);
  if (n < 2 || n > CDX_IX_AND_MAX || root->started) return 0; /* rare: the leapfrog walks */
  for (size_t i = 0; i < n; i++) {
    ix_src *src = cdx_q_term_source(kids[i], &ix_vt);
    if (!src || src->moved) return 0;
    its[i] = src->p;
  }
  return n;
}

int cdx_q_ix_count_and(cdx_q_it *root, bool *handled, uint64_t *count, cdx_error *err) {
  cdx_ix_postings *its[CDX_IX_AND_MAX];
  size_t n = and_lists(root, its);
  *handled = n > 0;
  *count = 0;
  if (!n) return CDX_OK;
  root->started = true;
  root->docid = CDX_Q_END; /* the lists are spent: the AND is at its end */
  return cdx_ix_postings_count_and(its, n, count, err);
}

int cdx_q_ix_each_and(cdx_q_it *root, cdx_ix_and_fn fn, void *ctx, bool *handled, cdx_error *err) {
  cdx_ix_postings *its[CDX_IX_AND_MAX];
  size_t n = and_lists(root, its);
  *handled = n > 0;
  if (!n) return CDX_OK;
  root->started = true;
  root->docid = CDX_Q_END;
  return cdx_ix_postings_each_and(its, n, fn, ctx, err);
}
