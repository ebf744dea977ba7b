/*
 * Scoring and top-k: every match counts towards the exact total; the scored
 * ones go through a bounded heap of offset + k (ties: segment, then unit id,
 * which is document order within a segment). A lone term is counted by its
 * df and ranked with block-max pruning (run_term); a count-only AND of terms
 * intersects whole blocks (cdx_q_ix_count_and), and a ranked one sums its
 * matches' BM25 from the same intersection, visiting again for positions
 * only those that can still enter the top k (run_and); facets on one term
 * mark its postings a block at a time, then rank as without facets; with
 * top_only, an OR of words skips by MaxScore (topk_or.c), and an AND with a
 * phrase or a character among its words by its bounds (topk_and.c), leaving
 * the total a lower bound; every other query walks all its matches. (A block-max AND was tried, git
 * 737fd47: on the 1 GB corpus the sum of two frequent words' block bounds
 * never fell below the 10th score, so it skipped nothing and its separate
 * exact count cost more.)
 */
#include <assert.h>
#include <stdlib.h>
#include <string.h>
#include "query/search_state.h"

/* ---- Scoring and top-k ---- */

/* True when a ranks before b: higher score, then earlier segment and unit. */
static bool better(const cdx_q_cand *a, const cdx_q_cand *b) {
  if (a->score != b->score) return a->score > b->score;
  if (a->seg != b->seg) return a->seg < b->seg;
  return a->unit < b->unit;
}

/* Min-heap on rank: the root is the worst kept candidate. */
static void sift_down(cdx_q_heap *h, size_t i) {
  for (;;) {
    size_t l = 2 * i + 1, r = l + 1, w = i;
    if (l < h->n && better(&h->c[w], &h->c[l])) w = l;
    if (r < h->n && better(&h->c[w], &h->c[r])) w = r;
    if (w == i) return;
    cdx_q_cand t = h->c[i];
    h->c[i] = h->c[w];
    h->c[w] = t;
    i = w;
  }
}

int cdx_q_heap_push(cdx_q_heap *h, cdx_q_cand c) {
  if (h->limit == 0) return CDX_OK;
  if (h->n == h->limit) {
    if (!better(&c, &h->c[0])) return CDX_OK;
    h->c[0] = c;
    sift_down(h, 0);
    return CDX_OK;
  }
  if (CDX_GROW(h->c, h->cap, h->n + 1, 64) != CDX_OK) return CDX_NOMEM;
  size_t i = h->n++;
  h->c[i] = c;
  while (i > 0) {
    size_t parent = (i - 1) / 2;
    if (!better(&h->c[parent], &h->c[i])) break;
    cdx_q_cand t = h->c[i];
    h->c[i] = h->c[parent];
    h->c[parent] = t;
    i = parent;
  }
  return CDX_OK;
}

static int cmp_rank(const void *x, const void *y) {
  const cdx_q_cand *a = x, *b = y;
  return better(a, b) ? -1 : better(b, a) ? 1 : 0;
}

/* BM25 of the confirmed words on the unit, then the proximity bonus of
 * consecutive present words, which needs positions. `floor` is the score a
 * unit must beat to enter the full top-k heap: when even the largest bonus
 * (0.5 per pair) cannot lift the unit over it, no position is decoded
 * (units arrive in index order, so an equal score never displaces). */
int cdx_q_score_unit(cdx_q_search *s, uint32_t unit, double avg_len, double floor, double *score,
                     cdx_error *err) {
  double len = cdx_ix_unit_length(s->ix, s->seg, unit);
  double sc = 0;
  size_t n_present = 0;
  for (size_t i = 0; i < s->n_words; i++) {
    cdx_q_search_word *q = &s->words[i];
    q->present = false;
    if (!q->scoring || !q->leaf || !q->leaf->started || q->leaf->docid != unit) continue;
    /* Under an OR, a word may sit on the unit by positions only. */
    bool sure;
    int crc = cdx_q_confirm(q->leaf, &sure, err);
    if (crc) return crc;
    if (!sure) continue;
    double tf = cdx_q_tf(q->leaf);
    sc += cdx_bm25_term(q->idf, tf, len, avg_len);
    q->present = true;
    n_present++;
  }
  return cdx_q_score_bonus(s, sc, n_present, floor, score, err);
}

int cdx_q_score_bonus(cdx_q_search *s, double sc, size_t n_present, double floor, double *score,
                      cdx_error *err) {
  if (n_present > 1 && sc + 0.5 * (double)(n_present - 1) > floor) {
    cdx_q_search_word *prev = NULL;
    for (size_t i = 0; i < s->n_words; i++) {
      cdx_q_search_word *q = &s->words[i];
      if (!q->present) continue;
      if (prev) {
        const uint32_t *pa, *pb;
        size_t na, nb;
        int rc = cdx_q_positions(prev->leaf, &pa, &na, err);
        if (rc) return rc;
        /* A term leaf's positions stay valid until it moves; prev does not
         * move while q's are read. */
        rc = cdx_q_positions(q->leaf, &pb, &nb, err);
        if (rc) return rc;
        uint32_t span = prev->w.toks[prev->w.n_toks - 1].rel + 1;
        sc += 0.5 * cdx_proximity_bonus(pa, na, span, pb, nb);
      }
      prev = q;
    }
  }
  *score = sc;
  return CDX_OK;
}

/* The word whose leaf is it, when it is a scoring term leaf. */
static cdx_q_search_word *lone_term(cdx_q_search *s, cdx_q_it *it) {
  if (!cdx_q_is_term(it)) return NULL;
  for (size_t i = 0; i < s->n_words; i++)
    if (s->words[i].leaf == it) return s->words[i].scoring ? &s->words[i] : NULL;
  return NULL;
}

/* One term over a segment without deletions or --latest (the commonest
 * query: a word): the total is its df, exactly, without a walk; the top k
 * come from block-max pruning. Once the heap is full, a block whose bound
 * (BM25 of its largest tf at the segment's shortest unit length) cannot
 * beat the worst kept score is skipped without decoding: its units arrive
 * after the kept ones, so an equal score would not displace either. The
 * bound is made 1e-9 larger so that rounding cannot skip a unit that ties.
 * *handled = false when the leaf has no block bounds (the caller walks). */
static int run_term(cdx_q_search *s, cdx_q_search_word *q, cdx_q_it *root,
                    const cdx_search_options *o, double avg, cdx_q_heap *h, size_t *total,
                    bool *handled, cdx_error *err) {
  cdx_q_block blk;
  bool has;
  cdx_q_term_block(root, 0, &blk, &has);
  *handled = has;
  if (!has) return CDX_OK;
  *total += (size_t)root->cost; /* exact for a term leaf: its df */
  if (o->count_only || h->limit == 0) return CDX_OK;
  uint32_t target = 0, block_end = 0; /* units < block_end need no bound check */
  double blen = 0;                    /* the current block's bound length */
  for (unsigned step = 1;; step++) {
    int rc;
    if ((step & 255) == 0 && (rc = cdx_q_deadline_check(s, err)) != CDX_OK) return rc;
    if (h->n == h->limit && target >= block_end) {
      if (!cdx_q_term_block(root, target, &blk, &has)) return CDX_OK;
      double bound = cdx_bm25_term(q->idf, blk.max_tf, blk.bound_len, avg) * (1 + 1e-9);
      if (bound <= h->c[0].score) {
        if (blk.last >= CDX_Q_END - 1) return CDX_OK;
        target = blk.last + 1;
        continue;
      }
      block_end = blk.last + 1;
      blen = blk.bound_len;
    }
    if ((rc = cdx_q_seek(root, target, err)) != CDX_OK) return rc;
    if (root->docid == CDX_Q_END) return CDX_OK;
    /* A unit's own bound spares the length lookup: BM25 at (tf, bound_len
     * * tf / max_tf) is >= its score, since bound_len <= len * max_tf / tf
     * (a block entered before the heap filled has no bound: blen 0). */
    bool full = h->n == h->limit;
    double tf = cdx_q_tf(root);
    if (!full || blen <= 0 ||
        cdx_bm25_term(q->idf, tf, blen * tf / blk.max_tf, avg) * (1 + 1e-9) > h->c[0].score) {
      cdx_q_cand c = {0, (uint32_t)s->seg, root->docid};
      if ((rc = cdx_q_score_unit(s, root->docid, avg, -1.0, &c.score, err)) != CDX_OK) return rc;
      if (cdx_q_heap_push(h, c)) return cdx_q_nomem(err);
    }
    if (root->docid >= CDX_Q_END - 1) return CDX_OK;
    target = root->docid + 1;
  }
}

/* ---- An AND of terms, ranked from its block intersection ---- */

/* A match that may still enter the top k, with its BM25 (no bonus yet). */
typedef struct and_cand {
  double bm25;
  uint32_t unit;
  bool visited;
} and_cand;

typedef struct and_run {
  cdx_q_search *s;
  double avg, max_bonus;
  double idf[CDX_IX_AND_MAX]; /* of the AND's children, in cdx_q_and_kids order */
  size_t n;
  /* The children in the words' order, in which the BM25 is summed: as
   * cdx_q_score_unit sums it, so that the second visit adds only the bonus
   * (same_sum), to the same bits. */
  size_t ord[CDX_IX_AND_MAX];
  bool same_sum;
  /* Lower bounds of final scores, the h->limit best (the kept scores of
   * earlier segments, these matches' BM25s): a match whose BM25 plus the
   * largest bonus stays below the worst of them has h->limit units with a
   * score at least as high, and ties go to those. */
  cdx_q_heap lb;
  and_cand *c;
  size_t nc, cap;
  size_t total;
} and_run;

/* Whether a match of BM25 bm may still enter heap h with its bonus (with a
 * margin for rounding: the BM25 here sums in another order than
 * score_unit's). */
static bool and_may_enter(const cdx_q_heap *h, double bm, double max_bonus) {
  return h->n < h->limit || (bm + max_bonus) * (1 + 1e-9) + 1e-12 >= h->c[0].score;
}

static int and_block(void *ctx, const uint32_t *units, uint32_t m, const uint32_t *const *tfs,
                     cdx_error *err) {
  and_run *r = ctx;
  cdx_q_search *s = r->s;
  int rc = cdx_q_deadline_check(s, err);
  if (rc) return rc;
  r->total += m;
  uint32_t lens[CDX_IX_AND_BLOCK];
  assert(m <= CDX_IX_AND_BLOCK);
  cdx_ix_unit_lengths(s->ix, s->seg, units, m, lens);
  for (uint32_t k = 0; k < m; k++) {
    double len = lens[k];
    double bm = 0;
    for (size_t j = 0; j < r->n; j++) {
      size_t i = r->ord[j];
      bm += cdx_bm25_term(r->idf[i], tfs[i][k], len, r->avg);
    }
    if (!and_may_enter(&r->lb, bm, r->max_bonus)) continue;
    if (CDX_GROW(r->c, r->cap, r->nc + 1, 1024) != CDX_OK) return cdx_q_nomem(err);
    r->c[r->nc++] = (and_cand){bm, units[k], false};
    if (cdx_q_heap_push(&r->lb, (cdx_q_cand){bm * (1 - 1e-9), (uint32_t)s->seg, units[k]}))
      return cdx_q_nomem(err);
  }
  return CDX_OK;
}

/* Visits again, in unit order with a fresh iterator, the candidates not yet
 * visited that may still enter h (only those whose unit is in pick[0..np),
 * ascending, when pick is not NULL), for their positions and exact score. */
static int and_visit(and_run *r, cdx_q_heap *h, const uint32_t *pick, size_t np, cdx_error *err) {
  cdx_q_search *s = r->s;
  cdx_q_it *again = NULL;
  int rc = cdx_q_compile(s, s->root, &again, err);
  for (size_t i = 0, j = 0; rc == CDX_OK && i < r->nc; i++) {
    and_cand *c = &r->c[i];
    if (c->visited) continue;
    while (pick && j < np && pick[j] < c->unit) j++;
    if (pick && (j == np || pick[j] != c->unit)) continue;
    if (!and_may_enter(&r->lb, c->bm25, r->max_bonus) || !and_may_enter(h, c->bm25, r->max_bonus))
      continue;
    c->visited = true;
    if ((rc = cdx_q_seek(again, c->unit, err)) != CDX_OK) break;
    assert(again->docid == c->unit); /* the intersection found it */
    cdx_q_cand hc = {0, (uint32_t)s->seg, c->unit};
    double floor = h->n == h->limit ? h->c[0].score : -1.0;
    if (r->same_sum) {
      for (size_t w = 0; w < s->n_words; w++) s->words[w].present = s->words[w].scoring;
      rc = cdx_q_score_bonus(s, c->bm25, r->n, floor, &hc.score, err);
    } else rc = cdx_q_score_unit(s, c->unit, r->avg, floor, &hc.score, err);
    if (rc == CDX_OK && cdx_q_heap_push(h, hc)) rc = cdx_q_nomem(err);
  }
  cdx_q_it_free(again);
  return rc;
}

static int cmp_u32(const void *x, const void *y) {
  uint32_t a = *(const uint32_t *)x, b = *(const uint32_t *)y;
  return a < b ? -1 : a > b;
}

/* An AND of scoring terms ranked for the top k (no facets, filters,
 * deletions or other sort): the matches come from the block intersection
 * with their tfs, so every one is counted and its BM25 summed without the
 * leapfrog; only those whose BM25 plus the largest proximity bonus can still
 * reach the k-th score are then visited again by a fresh iterator, for
 * positions and their exact score: first the k best by BM25 (which raise
 * the k-th score early: fewer of the others can still reach it), then the
 * others, each pass in unit order. The heap's order does not depend on the
 * order of the pushes (ties go by unit), so the ranking is the walk's
 * (tests/query/test_generated.c compares the two). *handled = false when
 * the tree is not such an AND (nothing moved). */
static int run_and(cdx_q_search *s, cdx_q_it *root, const cdx_search_options *o, double avg,
                   cdx_q_heap *h, size_t *total, bool *handled, cdx_error *err) {
  *handled = false;
  /* without the total, an AND with a phrase or a character among its words
   * reads positions only where all its terms meet and can still enter */
  if (o->top_only && !s->facets) {
    int rc = cdx_q_run_and_top(s, root, avg, h, total, handled, err);
    if (rc || *handled) return rc;
  }
  cdx_q_it *const *kids;
  size_t n = cdx_q_and_kids(root, &kids);
  if (n < 2 || n > CDX_IX_AND_MAX || h->limit == 0 || h->limit > 100000) return CDX_OK;
  and_run r = {.s = s, .avg = avg, .n = n, .lb = {.limit = h->limit}};
  size_t n_scoring = 0;
  for (size_t i = 0; i < s->n_words; i++) n_scoring += s->words[i].scoring;
  r.max_bonus = n_scoring > 1 ? 0.5 * (double)(n_scoring - 1) : 0;
  for (size_t i = 0; i < n; i++) {
    cdx_q_search_word *q = lone_term(s, kids[i]);
    if (!q) return CDX_OK;
    r.idf[i] = q->idf;
    r.ord[i] = i;
  }
  /* the kids in word order when they are all the scoring words */
  size_t no = 0;
  for (size_t w = 0; w < s->n_words && no <= n; w++) {
    if (!s->words[w].scoring) continue;
    size_t j = 0;
    while (j < n && kids[j] != s->words[w].leaf) j++;
    if (j == n || no == n) {
      no = n + 1;
      break;
    }
    r.ord[no++] = j;
  }
  r.same_sum = no == n;
  if (!r.same_sum)
    for (size_t i = 0; i < n; i++) r.ord[i] = i;
  int rc = CDX_OK;
  for (size_t i = 0; rc == CDX_OK && i < h->n; i++)
    if (cdx_q_heap_push(&r.lb, h->c[i])) rc = cdx_q_nomem(err);
  if (rc == CDX_OK) rc = cdx_q_ix_each_and(root, and_block, &r, handled, err);
  uint32_t *best = NULL; /* the units of this segment among the k best BM25s */
  size_t nb = 0;
  if (rc == CDX_OK && *handled && r.nc > 0 && !(best = malloc(r.lb.n * sizeof *best)))
    rc = cdx_q_nomem(err);
  for (size_t i = 0; best && i < r.lb.n; i++)
    if (r.lb.c[i].seg == (uint32_t)s->seg) best[nb++] = r.lb.c[i].unit;
  if (best) qsort(best, nb, sizeof *best, cmp_u32);
  if (rc == CDX_OK && best) rc = and_visit(&r, h, best, nb, err);
  if (rc == CDX_OK && best) rc = and_visit(&r, h, NULL, 0, err);
  if (*handled) *total += r.total;
  free(best);
  free(r.lb.c);
  free(r.c);
  return rc;
}

/* ---- A lone phrase without the total ---- */

typedef struct phrase_gate {
  cdx_q_search *s;
  const cdx_q_search_word *q;
  const cdx_q_heap *h;
  double avg;
} phrase_gate;

/* Whether a phrase candidate may enter the top k: BM25 at the least tf of
 * its terms on the unit bounds the phrase's own (its only score: one word
 * has no proximity bonus). A rejected unit goes uncounted. No rounding
 * margin: the bound is the score's own expression (cdx_q_score_unit adds
 * it to 0) at a tf >= the phrase's, and BM25 of a larger integer tf is
 * larger by far more than a rounding step, so a bound equal to the k-th
 * score means a tie at most, which never displaces (a later unit). Without
 * it the many units that tie the k-th (clauses of one template, e.g.
 * 责任单位：市财政局 lines) would each read positions. */
static bool phrase_may_enter(void *ctx, uint32_t unit, uint32_t max_tf) {
  phrase_gate *g = ctx;
  const cdx_q_heap *h = g->h;
  if (h->n < h->limit) return true;
  double len = cdx_ix_unit_length(g->s->ix, g->s->seg, unit);
  if (cdx_bm25_term(g->q->idf, max_tf, len, g->avg) > h->c[0].score) return true;
  g->s->total_partial = true;
  return false;
}

static bool phrase_block_may_enter(void *ctx, uint32_t max_tf, uint32_t bound_len) {
  phrase_gate *g = ctx;
  const cdx_q_heap *h = g->h;
  if (h->n < h->limit) return true;
  if (cdx_bm25_term(g->q->idf, max_tf, bound_len, g->avg) * (1 + 1e-9) + 1e-12 > h->c[0].score)
    return true;
  g->s->total_partial = true;
  return false;
}

/* The one scoring word whose leaf is root, or NULL. */
static cdx_q_search_word *lone_word(cdx_q_search *s, cdx_q_it *root) {
  cdx_q_search_word *w = NULL;
  for (size_t i = 0; i < s->n_words; i++) {
    if (!s->words[i].scoring) continue;
    if (w) return NULL;
    w = &s->words[i];
  }
  return w && w->leaf == root ? w : NULL;
}

/* Runs the compiled query over every segment. */
int cdx_q_run(cdx_q_search *s, const cdx_search_options *o, cdx_q_heap *h, size_t *total,
              cdx_error *err) {
  uint64_t n_units = cdx_ix_live_units(s->ix);
  double avg = cdx_ix_avg_unit_length(s->ix);
  for (size_t i = 0; i < s->n_words; i++) {
    cdx_q_search_word *q = &s->words[i];
    if (!q->scoring) continue;
    uint64_t df = UINT64_MAX;
    for (size_t t = 0; t < q->w.n_toks; t++) {
      uint64_t d;
      const cdx_q_tok *tok = &q->w.toks[t];
      int rc = tok->type == CDX_TOKEN_CJK_UNIGRAM
                   ? cdx_ix_char_df(s->ix, tok->term, tok->term_len, &d, err)
                   : cdx_ix_term_df(s->ix, tok->term, tok->term_len, &d, err);
      if (rc) return rc;
      if (d < df) df = d;
    }
    q->idf = cdx_bm25_idf(n_units, df == UINT64_MAX ? 0 : df);
  }
  size_t nseg = cdx_ix_segment_count(s->ix);
  for (size_t seg = 0; seg < nseg; seg++) {
    int drc = cdx_q_deadline_check(s, err);
    if (drc) return drc;
    s->seg = seg;
    s->cached = false;
    for (size_t i = 0; i < s->n_words; i++) s->words[i].leaf = NULL;
    cdx_q_it *root = NULL;
    int rc = cdx_q_compile(s, s->root, &root, err);
    /* A segment without deletions needs no per-unit test unless --latest. */
    bool need_live = o->latest || cdx_ix_segment_has_deletions(s->ix, seg);
    cdx_q_it *live =
        rc || !need_live ? NULL : cdx_q_pred_it(s, NULL, o->latest ? "live+latest" : "live");
    if (rc == CDX_OK && need_live && !live) rc = cdx_q_nomem(err);
    if (rc == CDX_OK && live) {
      cdx_q_it *kids[2] = {root, live};
      root = cdx_q_and_new(kids, 2);
      live = NULL;
      if (!root) rc = cdx_q_nomem(err);
    }
    /* Facets count every match: a one-term query's are marked from its
     * postings a block at a time (the list is left unmoved for the hits),
     * any other query's one by one in the walk. */
    cdx_ix_postings *marked = rc || live || !s->facets ? NULL : cdx_q_ix_term_postings(root);
    bool handled = false;
    if (marked) {
      uint64_t n = 0;
      rc = cdx_q_facets_add_postings(s->facets, s->ix, seg, marked, &n, err);
      if (o->count_only) *total += (size_t)n, handled = true;
    }
    /* a sort other than score ranks by a key the block bounds know nothing
     * of, and unmarked facets need every match: both walk the whole list */
    bool prunable = (!s->facets || marked) && o->sort == CDX_SORT_SCORE;
    cdx_q_search_word *lone = rc || live || !prunable || handled ? NULL : lone_term(s, root);
    if (lone) rc = run_term(s, lone, root, o, avg, h, total, &handled, err);
    if (!lone && rc == CDX_OK && !live && !s->facets && o->count_only) {
      uint64_t n = 0;
      rc = cdx_q_ix_count_and(root, &handled, &n, err);
      *total += (size_t)n;
    }
    if (!lone && rc == CDX_OK && !handled && !live && prunable)
      rc = run_and(s, root, o, avg, h, total, &handled, err);
    if (!lone && rc == CDX_OK && !handled && !live && prunable && !s->facets && o->top_only)
      rc = cdx_q_run_or(s, root, avg, h, total, &handled, err);
    /* A lone phrase ranked without the total reads positions (and stored
     * text) only for the candidates that can still enter the top k. */
    phrase_gate gate = {s, NULL, h, avg};
    if (rc == CDX_OK && !handled && !live && prunable && !s->facets && o->top_only &&
        h->limit > 0 && h->limit <= 100000 && (gate.q = lone_word(s, root)) != NULL)
      cdx_q_phrase_gate(root, phrase_may_enter, phrase_block_may_enter, &gate);
    /* The clock is read every 256 candidates (a few microseconds apart). */
    for (unsigned step = 1; rc == CDX_OK && !handled; step++) {
      if ((step & 255) == 0 && (rc = cdx_q_deadline_check(s, err)) != CDX_OK) break;
      rc = cdx_q_next(root, err);
      if (rc || root->docid == CDX_Q_END) break;
      bool sure; /* a lone word's stored-text check (an AND confirms its own) */
      if ((rc = cdx_q_confirm(root, &sure, err)) != CDX_OK) break;
      if (!sure) continue;
      (*total)++;
      if (s->facets && !marked && (rc = cdx_q_facets_add(s->facets, s->ix, seg, root->docid, err)))
        break;
      if (o->count_only) continue;
      cdx_q_cand c = {0, (uint32_t)seg, root->docid};
      double floor = h->limit > 0 && h->n == h->limit ? h->c[0].score : -1.0;
      if (o->sort != CDX_SORT_SCORE) c.score = cdx_q_sort_key(s->ix, seg, root->docid, o->sort);
      else rc = cdx_q_score_unit(s, root->docid, avg, floor, &c.score, err);
      if (rc == CDX_OK && cdx_q_heap_push(h, c)) rc = cdx_q_nomem(err);
    }
    cdx_q_it_free(root);
    cdx_q_it_free(live);
    cdx_q_free_preds(s);
    if (rc) return rc;
  }
  return CDX_OK;
}

void cdx_q_heap_sort(cdx_q_heap *h) {
  if (h->n > 1) qsort(h->c, h->n, sizeof *h->c, cmp_rank);
}
