/*
 * A ranked AND of words with a phrase or a character among them, when the
 * caller wants only the top k (cdx_search_options.top_only). (An AND of
 * terms alone is ranked from the block intersection, topk.c run_and.)
 *
 * Two phases, as Lucene's TwoPhaseIterator: the leapfrog runs over every
 * word's terms at once (a phrase's bigrams, a term, a character's union),
 * rarest first, so no phrase reads positions for a unit the other words
 * lack; positions are read, a phrase at a time, only for a unit that all
 * the terms share and whose bound can still beat the k-th score.
 *
 * A unit's score is the BM25 of its words plus at most 0.5 for each further
 * word (the proximity bonus). Each word's BM25 is bounded from the skip
 * entries without decoding: a term by its block's bound (BM25 at the
 * block's largest tf and bound length), a phrase by the least of its terms'
 * (its tf is at most theirs; at the phrase's idf), a character's union by
 * idf (k1 + 1), which no BM25 reaches. Once the heap is full, a region where
 * every term's block lies and whose bounds together with the largest bonus
 * cannot beat the k-th score is skipped undecoded, and a unit all the terms
 * share is checked, before positions, against the bound of its tfs: a
 * term's BM25 at its tf and the block's bound length (bound_len <= len *
 * max_tf / tf), a phrase's at the least tf of its terms and the longest of
 * their bound lengths so scaled, then the same at u's length. The units that remain are scored by
 * cdx_q_score_unit, as the walk scores them, so the ranking is the walk's
 * (tests/query/test_generated.c compares them), but skipped units go
 * uncounted: the total is then a lower bound (s->total_partial).
 *
 * Ties never displace (units arrive in index order), so a unit is skipped
 * only when its bound, made 1e-9 larger for rounding, is at most the k-th.
 */
#include <stdlib.h>
#include "query/search_state.h"

#define AND_MAX_WORDS 16
#define AND_MAX_TERMS 64 /* all the words' terms together */

/* One term leaf with its block bound cached: consecutive units mostly fall
 * in one block. */
typedef struct and_term {
  cdx_q_it *it;
  size_t word; /* index in and_top.w */
  bool blocks; /* its source has block bounds */
  bool cached;
  cdx_q_block blk;
  double bound; /* BM25 at the block's (max_tf, bound_len), at the word's idf */
} and_term;

typedef struct and_word {
  cdx_q_it *it;
  double idf;
  double cap;  /* idf (k1 + 1): above any BM25 of the word */
  bool phrase; /* it is a PHRASE over its terms */
  bool blocks; /* every term of it has block bounds */
} and_word;

typedef struct and_top {
  cdx_q_search *s;
  cdx_q_heap *h;
  double avg, max_bonus;
  and_word w[AND_MAX_WORDS];
  size_t n;
  and_term t[AND_MAX_TERMS]; /* every word's terms */
  cdx_q_it *order[AND_MAX_TERMS];
  size_t nt;
} and_top;

/* Whether a unit bounded by `bound` may enter the heap. */
static bool may_enter(const cdx_q_heap *h, double bound) {
  return h->n < h->limit || bound * (1 + 1e-9) + 1e-12 > h->c[0].score;
}

/* t's block at unit u (t not past u, u ascending between calls); false when
 * t has no unit >= u left. */
static bool term_at(and_top *a, and_term *t, uint32_t u) {
  if (t->cached && u <= t->blk.last) return true;
  bool has;
  t->cached = cdx_q_term_block(t->it, u, &t->blk, &has);
  if (t->cached)
    t->bound = cdx_bm25_term(a->w[t->word].idf, t->blk.max_tf, t->blk.bound_len, a->avg);
  return t->cached;
}

/* The sum over the words of their bounds on the units from u on, up to
 * *last (min'ed in: the first block end); false when a term has no unit >=
 * u left (the AND is done). */
static bool bound_from(and_top *a, uint32_t u, double *sum, uint32_t *last) {
  double b[AND_MAX_WORDS];
  for (size_t i = 0; i < a->n; i++) b[i] = a->w[i].cap;
  for (size_t i = 0; i < a->nt; i++) {
    and_term *t = &a->t[i];
    if (!t->blocks) continue;
    if (!term_at(a, t, u)) return false;
    if (t->bound < b[t->word]) b[t->word] = t->bound;
    if (t->blk.last < *last) *last = t->blk.last;
  }
  *sum = 0;
  for (size_t i = 0; i < a->n; i++) *sum += b[i];
  return true;
}

/* The bound of the unit u that every term sits on, from their tfs (a
 * phrase's tf is at most its least term's) at length `len`, or, for len <
 * 0, at the longest of the terms' blocks' bound lengths scaled by tf
 * (bound_len <= len * max_tf / tf), a bound without u's length. */
static double bound_on(and_top *a, uint32_t u, double len) {
  double tf[AND_MAX_WORDS], at[AND_MAX_WORDS];
  for (size_t i = 0; i < a->n; i++) tf[i] = -1, at[i] = len < 0 ? 0 : len;
  for (size_t i = 0; i < a->nt; i++) {
    and_term *t = &a->t[i];
    double x = cdx_q_tf(t->it);
    if (tf[t->word] < 0 || x < tf[t->word]) tf[t->word] = x;
    if (len >= 0 || !t->blocks || !term_at(a, t, u) || t->blk.max_tf == 0) continue;
    double l = (double)t->blk.bound_len * x / t->blk.max_tf;
    if (l > at[t->word]) at[t->word] = l;
  }
  double sum = 0;
  for (size_t i = 0; i < a->n; i++) sum += cdx_bm25_term(a->w[i].idf, tf[i], at[i], a->avg);
  return sum;
}

static int by_cost(const void *x, const void *y) {
  const cdx_q_it *p = *(cdx_q_it *const *)x, *q = *(cdx_q_it *const *)y;
  return p->cost < q->cost ? -1 : p->cost > q->cost;
}

/* Sets up a from the AND's children when each is the leaf of one scoring
 * word (a term, a union, a phrase), they are all the words, and one is a
 * phrase or a union. */
static bool and_words(and_top *a, cdx_q_it *root) {
  cdx_q_search *s = a->s;
  cdx_q_it *const *kids;
  size_t n = cdx_q_and_kids(root, &kids);
  if (n < 2 || n > AND_MAX_WORDS || n != s->n_words || root->started) return false;
  bool terms_only = true;
  for (size_t i = 0; i < n; i++) {
    cdx_q_search_word *q = NULL;
    for (size_t j = 0; j < s->n_words && !q; j++)
      if (s->words[j].leaf == kids[i]) q = &s->words[j];
    if (!q || !q->scoring || kids[i]->started) return false;
    and_word *w = &a->w[i];
    *w = (and_word){.it = kids[i], .idf = q->idf, .cap = q->idf * (CDX_BM25_K1 + 1.0)};
    cdx_q_it *const *terms;
    size_t nt = cdx_q_phrase_kids(kids[i], &terms);
    w->phrase = nt > 0;
    if (!w->phrase) nt = 1, terms = &kids[i];
    if (a->nt + nt > AND_MAX_TERMS) return false;
    w->blocks = true;
    for (size_t k = 0; k < nt; k++) {
      cdx_q_block b;
      bool has = false;
      if (terms[k]->started) return false;
      if (cdx_q_is_term(terms[k])) (void)cdx_q_term_block(terms[k], 0, &b, &has);
      w->blocks &= has;
      a->t[a->nt] = (and_term){.it = terms[k], .word = i, .blocks = has};
      a->order[a->nt++] = terms[k];
    }
    terms_only &= !w->phrase && w->blocks;
  }
  if (terms_only) return false;
  a->n = n;
  qsort(a->order, a->nt, sizeof *a->order, by_cost); /* the leapfrog's: rarest first */
  return true;
}

int cdx_q_run_and_top(cdx_q_search *s, cdx_q_it *root, double avg, cdx_q_heap *h, size_t *total,
                      bool *handled, cdx_error *err) {
  *handled = false;
  if (h->limit == 0 || h->limit > 100000) return CDX_OK;
  and_top a = {.s = s, .h = h, .avg = avg};
  if (!and_words(&a, root)) return CDX_OK;
  *handled = true;
  root->started = true;
  root->docid = CDX_Q_END; /* its children are moved here, not through it */
  a.max_bonus = 0.5 * (double)(a.n - 1);
  uint32_t t = 0, region_end = 0; /* units < region_end passed the region check */
  for (unsigned step = 1;; step++) {
    int rc;
    if ((step & 255) == 0 && (rc = cdx_q_deadline_check(s, err)) != CDX_OK) return rc;
    bool full = h->n == h->limit;
    if (full && t >= region_end) {
      double sum;
      uint32_t last = CDX_Q_END;
      if (!bound_from(&a, t, &sum, &last)) break;
      if (!may_enter(h, sum + a.max_bonus)) {
        s->total_partial = true;
        if (last >= CDX_Q_END - 1) break;
        t = last + 1;
        continue;
      }
      region_end = last >= CDX_Q_END - 1 ? CDX_Q_END : last + 1;
    }
    uint32_t u = t;
    if ((rc = cdx_q_leapfrog(a.order, a.nt, &u, err)) != CDX_OK) return rc;
    if (u == CDX_Q_END) break;
    bool match = true;
    /* first without u's length (a cache miss), then with it */
    if (full &&
        (!may_enter(h, bound_on(&a, u, -1) + a.max_bonus) ||
         !may_enter(h, bound_on(&a, u, cdx_ix_unit_length(s->ix, s->seg, u)) + a.max_bonus))) {
      s->total_partial = true;
      match = false;
    }
    /* the phrases' positions, then the stored-text checks (the words in
     * the AND's order, rarest first) */
    for (size_t i = 0; i < a.n && match; i++)
      if (a.w[i].phrase && (rc = cdx_q_phrase_at(a.w[i].it, u, &match, err)) != CDX_OK) return rc;
    for (size_t i = 0; i < a.n && match; i++)
      if ((rc = cdx_q_confirm(a.w[i].it, &match, err)) != CDX_OK) return rc;
    if (match) {
      (*total)++;
      cdx_q_cand c = {0, (uint32_t)s->seg, u};
      double floor = full ? h->c[0].score : -1.0;
      if ((rc = cdx_q_score_unit(s, u, avg, floor, &c.score, err)) != CDX_OK) return rc;
      if (cdx_q_heap_push(h, c)) return cdx_q_nomem(err);
    }
    if (u >= CDX_Q_END - 1) break;
    t = u + 1;
  }
  return CDX_OK;
}
