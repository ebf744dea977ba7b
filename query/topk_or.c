/*
 * A ranked OR of words when the caller wants only the top k
 * (cdx_search_options.top_only): MaxScore (Turtle and Flood 1995, as
 * Lucene's MaxScoreBulkScorer) over the words' score bounds.
 *
 * A unit's score is the BM25 of the words on it plus at most 0.5 for each
 * further word (the proximity bonus), so a unit holding only words of a set
 * P scores at most sum(bound of P) + 0.5 (|P| - 1). The words are sorted by
 * their bound in the segment (the largest block bound of the skip table; a
 * phrase by the least of its terms' at its idf; a character's union by
 * idf (k1 + 1), which no BM25 reaches); once the k-th kept score reaches the bound of the weakest
 * words together, these become non-essential: their units are no longer
 * candidates, only the essential words' units are, and a non-essential word
 * is sought to a candidate only while the candidate's bound (the essential
 * words' exact BM25, the others' block bounds at the unit) can still beat
 * the k-th score. The units that remain are scored by cdx_q_score_unit, as
 * the walk scores them, so the ranking is the walk's (tests/query/
 * test_generated.c compares them), but the skipped units go uncounted: the
 * total is then a lower bound.
 *
 * Ties never displace (units arrive in index order), so a unit is skipped
 * only when its bound, made 1e-9 larger for rounding, is at most the k-th.
 */
#include <stdlib.h>
#include "query/search_state.h"

#define OR_MAX_KIDS 64

typedef struct or_kid {
  cdx_q_it *it;
  double idf;
  double ub;   /* its BM25 on any unit of the segment is at most this */
  bool blocks; /* a term leaf whose source has block bounds */
  bool sure;   /* no confirm step: being on a unit is a match */
  /* the block of the last bound asked (units up to blk.last), its bound */
  bool cached;
  cdx_q_block blk;
  double blk_bound;
} or_kid;

static int by_bound(const void *x, const void *y) {
  const or_kid *a = x, *b = y;
  return a->ub < b->ub ? -1 : a->ub > b->ub;
}

/* Whether a unit bounded by `bound` may enter the heap. */
static bool may_enter(const cdx_q_heap *h, double bound) {
  return h->n < h->limit || bound * (1 + 1e-9) + 1e-12 > h->c[0].score;
}

/* k's block at unit u (k not past u, u ascending between calls): cached,
 * as consecutive candidates mostly fall in one block; false when k has no
 * unit >= u left. */
static bool block_at(or_kid *k, uint32_t u, double avg) {
  if (k->cached && u <= k->blk.last) return true;
  bool has;
  k->cached = cdx_q_term_block(k->it, u, &k->blk, &has);
  if (k->cached) k->blk_bound = cdx_bm25_term(k->idf, k->blk.max_tf, k->blk.bound_len, avg);
  return k->cached;
}

/* The bound of k's BM25 on unit u (k not past u): its block's, else ub. */
static double bound_at(or_kid *k, uint32_t u, double avg) {
  if (!k->blocks) return k->ub;
  return block_at(k, u, avg) ? k->blk_bound : 0;
}

/* The bound of the BM25 of k, which sits on u, without u's length: from
 * its tf and the block's bound length (bound_len <= len * max_tf / tf), or
 * at length 0 without block bounds. */
static double bound_on(or_kid *k, uint32_t u, double avg) {
  double tf = cdx_q_tf(k->it);
  if (k->blocks && block_at(k, u, avg) && k->blk.max_tf > 0)
    return cdx_bm25_term(k->idf, tf, (double)k->blk.bound_len * tf / k->blk.max_tf, avg);
  return cdx_bm25_term(k->idf, tf, 0, avg);
}

/* The largest block bound over the segment of term leaf it, at idf (walks
 * its skip entries, not its postings); false when it has no block bounds. */
static bool term_bound(cdx_q_it *it, double idf, double avg, double *ub) {
  cdx_q_block b;
  bool has = false;
  *ub = 0;
  if (!cdx_q_is_term(it)) return false;
  for (uint32_t target = 0; cdx_q_term_block(it, target, &b, &has) && has;) {
    double x = cdx_bm25_term(idf, b.max_tf, b.bound_len, avg);
    if (x > *ub) *ub = x;
    if (b.last >= CDX_Q_END - 1) break;
    target = b.last + 1;
  }
  return has;
}

/* A kid's bound in the segment: a term's largest block bound; a phrase's,
 * the least of its terms' at the phrase's idf (its tf is at most theirs);
 * else (a character's union) idf (k1 + 1), which no BM25 reaches. */
static void kid_bound(or_kid *k, double avg) {
  k->blocks = term_bound(k->it, k->idf, avg, &k->ub);
  if (k->blocks) return;
  k->ub = k->idf * (CDX_BM25_K1 + 1.0);
  cdx_q_it *const *terms;
  size_t nt = cdx_q_phrase_kids(k->it, &terms);
  for (size_t i = 0; i < nt; i++) {
    double x;
    if (term_bound(terms[i], k->idf, avg, &x) && x < k->ub) k->ub = x;
  }
}

/* Scores candidate u (held by an essential word) when its bound allows:
 * first a bound without u's length, then the essential words' exact BM25,
 * then each non-essential word sought to u, strongest first, while the
 * bound can still beat the k-th score. *counted: u is a match for sure
 * (a word without a confirm step on it, or a score above 0). */
static int candidate(cdx_q_search *s, or_kid *kids, size_t n, size_t ne, uint32_t u, double avg,
                     cdx_q_heap *h, bool *counted, cdx_error *err) {
  double cheap = 0, rest = 0, at[OR_MAX_KIDS];
  size_t on = 0;
  *counted = false;
  for (size_t i = ne; i < n; i++)
    if (kids[i].it->docid == u) {
      cheap += bound_on(&kids[i], u, avg);
      *counted |= kids[i].sure;
      on++;
    }
  for (size_t i = 0; i < ne; i++) rest += at[i] = bound_at(&kids[i], u, avg);
  size_t maybe = on + ne; /* words that may sit on u */
  if (!may_enter(h, cheap + rest + 0.5 * (double)(maybe - 1))) return CDX_OK;
  double len = cdx_ix_unit_length(s->ix, s->seg, u), sc = 0;
  for (size_t i = ne; i < n; i++)
    if (kids[i].it->docid == u) sc += cdx_bm25_term(kids[i].idf, cdx_q_tf(kids[i].it), len, avg);
  if (!may_enter(h, sc + rest + 0.5 * (double)(maybe - 1))) return CDX_OK;
  for (size_t i = ne; i-- > 0;) {
    int rc = cdx_q_seek(kids[i].it, u, err);
    if (rc) return rc;
    rest -= at[i];
    if (kids[i].it->docid == u) sc += cdx_bm25_term(kids[i].idf, cdx_q_tf(kids[i].it), len, avg);
    else maybe--;
    if (!may_enter(h, sc + rest + 0.5 * (double)(maybe - 1))) return CDX_OK;
  }
  cdx_q_cand c = {0, (uint32_t)s->seg, u};
  double floor = h->n == h->limit ? h->c[0].score : -1.0;
  int rc = cdx_q_score_unit(s, u, avg, floor, &c.score, err);
  if (rc == CDX_OK && c.score > 0) *counted = true;
  if (rc == CDX_OK && c.score > 0 && cdx_q_heap_push(h, c)) rc = cdx_q_nomem(err);
  return rc;
}

int cdx_q_run_or(cdx_q_search *s, cdx_q_it *root, double avg, cdx_q_heap *h, size_t *total,
                 bool *handled, cdx_error *err) {
  *handled = false;
  cdx_q_it *const *its;
  size_t n = cdx_q_or_kids(root, &its);
  if (n < 2 || n > OR_MAX_KIDS || h->limit == 0 || h->limit > 100000 || n != s->n_words)
    return CDX_OK;
  or_kid kids[OR_MAX_KIDS];
  /* Every word is a scoring leaf of the OR (a term, a union, a phrase), each kid one word: the
   * bounds then cover the whole score. */
  for (size_t i = 0; i < n; i++) {
    cdx_q_search_word *q = &s->words[i];
    size_t j = 0;
    while (j < n && its[j] != q->leaf) j++;
    if (!q->scoring || j == n || its[j]->started) return CDX_OK;
    kids[i] = (or_kid){.it = its[j], .idf = q->idf, .sure = !its[j]->vt->confirm};
  }
  *handled = true;
  for (size_t i = 0; i < n; i++) kid_bound(&kids[i], avg);
  qsort(kids, n, sizeof *kids, by_bound);
  double below[OR_MAX_KIDS + 1] = {0}; /* below[i]: the bounds of kids[0..i) */
  for (size_t i = 0; i < n; i++) below[i + 1] = below[i] + kids[i].ub;
  size_t ne = 0; /* kids[0..ne) are non-essential */
  uint32_t target = 0;
  bool uncounted = false; /* a candidate not known to match */
  for (unsigned step = 1;; step++) {
    int rc;
    if ((step & 255) == 0 && (rc = cdx_q_deadline_check(s, err)) != CDX_OK) return rc;
    while (ne < n && h->n == h->limit && !may_enter(h, below[ne + 1] + 0.5 * (double)ne)) ne++;
    if (ne == n) break;
    uint32_t u = CDX_Q_END;
    for (size_t i = ne; i < n; i++) {
      if ((rc = cdx_q_seek(kids[i].it, target, err)) != CDX_OK) return rc;
      if (kids[i].it->docid < u) u = kids[i].it->docid;
    }
    if (u == CDX_Q_END) break;
    bool counted;
    if ((rc = candidate(s, kids, n, ne, u, avg, h, &counted, err)) != CDX_OK) return rc;
    *total += counted;
    uncounted |= !counted;
    if (u >= CDX_Q_END - 1) break;
    target = u + 1;
  }
  if (ne > 0 || uncounted) s->total_partial = true;
  return CDX_OK;
}
