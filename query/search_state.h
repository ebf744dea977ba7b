/*
 * The per-call state of cdx_search and the files that share it:
 *
 *   search.c       cdx_search: parse, analyze, run, make hits (the outline)
 *   ix_leaf.c      term and character leaves over the index reader's postings
 *   filters.c      metadata filters and the live/latest predicate
 *   compile.c      the parsed tree -> iterators, one segment at a time
 *   topk.c         scoring every match and the bounded top-k heap
 *   topk_or.c      an OR of words ranked by MaxScore (top_only)
 *   topk_and.c     an AND with a phrase or character ranked by bounds (top_only)
 *   hits.c         cdx_results: stored fields and highlights of the hits; show
 *   hit_json.c     a hit as JSON
 *
 * Private to query/; it includes the index reader, which query.h does not.
 */
#ifndef CDX_QUERY_SEARCH_STATE_H
#define CDX_QUERY_SEARCH_STATE_H

#include "indexer/index_reader.h"
#include "query/query.h"

struct cdx_results {
  cdx_hit *hits;
  size_t n;
  size_t total;
  bool total_partial;   /* a lower bound: the top k stopped early (top_only) */
  cdx_q_facets *facets; /* NULL unless asked for */
};

/* One word of the query (a WORD or PHRASE node), analyzed once per call. */
typedef struct cdx_q_search_word {
  const cdx_q_node *node;
  cdx_q_word w;
  bool scoring; /* positive (not under NOT): scored and highlighted */
  double idf;
  cdx_q_it *leaf; /* borrowed: the word's iterator in the current segment */
  bool present;   /* confirmed on the unit being scored */
} cdx_q_search_word;

struct cdx_q_pred; /* filters.c */

typedef struct cdx_q_search {
  const cdx_index *ix;
  cdx_analyzer *an; /* query words: no unigram flag */
  cdx_q_search_word *words;
  size_t n_words;
  cdx_q_node *root;
  bool latest;
  /* segment state */
  size_t seg;
  struct cdx_q_pred *preds; /* the filters compiled for this segment */
  cdx_ix_store *store;
  cdx_q_facets *facets; /* borrowed from the results, or NULL */
  uint32_t cached_unit; /* folded text cache for verification */
  char *cached_fold;
  size_t cached_fold_len;
  bool cached;
  bool total_partial;   /* some matches went uncounted (top_only pruning) */
  uint64_t deadline_ns; /* CLOCK_MONOTONIC; 0 = no time limit */
  unsigned timeout_ms;  /* for the message */
} cdx_q_search;

/* CDX_NOMEM with the query's message. */
int cdx_q_nomem(cdx_error *err);
/* Starts the clock of opts->timeout_ms (search.c). */
void cdx_q_deadline_start(cdx_q_search *s, unsigned timeout_ms);
/* CDX_LIMIT naming the time limit once the deadline has passed, else
 * CDX_OK. Reads the clock: call it every few hundred steps. */
int cdx_q_deadline_check(const cdx_q_search *s, cdx_error *err);

/* ---- Interface to query/ix_leaf.c ---- */

/* The leaf of one term of segment seg (an empty leaf when absent). */
int cdx_q_ix_term_leaf(const cdx_index *ix, size_t seg, const char *term, size_t len,
                       cdx_q_it **out, cdx_error *err);
/* The union of the terms starting with term (in segments before version 3,
 * which keep CJK unigrams whole: the term itself). */
int cdx_q_ix_prefix_leaf(const cdx_index *ix, size_t seg, const char *term, size_t len,
                         cdx_q_it **out, cdx_error *err);
/* The leaf of one token of a query word: a CJK unigram opens as the union of
 * the terms starting with it where the segment spreads it over them. */
int cdx_q_ix_token_leaf(const cdx_index *ix, size_t seg, const char *term, size_t len,
                        cdx_token_type type, cdx_q_it **out, cdx_error *err);

/* Count-only AND of term leaves over the index reader (the whole root, not
 * yet moved): *count gets its matches, by block intersection
 * (cdx_ix_postings_count_and), and *handled is true. *handled is false,
 * nothing moved, for any other tree (filters, phrases, OR, a word the
 * segment lacks), which the caller walks. Errors: CDX_CORRUPT, CDX_NOMEM. */
int cdx_q_ix_count_and(cdx_q_it *root, bool *handled, uint64_t *count, cdx_error *err);

/* The matches of an AND of term leaves (as cdx_q_ix_count_and accepts it)
 * with each child's tf: fn gets them a block at a time, tfs[i] for the i-th
 * of cdx_q_and_kids(root) (cdx_ix_postings_each_and). *handled false,
 * nothing moved, for any other tree. Errors: CDX_CORRUPT, those of fn. */
int cdx_q_ix_each_and(cdx_q_it *root, cdx_ix_and_fn fn, void *ctx, bool *handled, cdx_error *err);

/* The reader's iterator under a term leaf over the index that has not
 * moved (still on its first unit), borrowed; NULL for any other iterator
 * (operators, unions, in-memory lists, the empty leaf). */
cdx_ix_postings *cdx_q_ix_term_postings(cdx_q_it *it);

/* query/facets.c (query.h has the rest of its interface). */
/* Counts every unit of a reader's posting list from its current unit on
 * (all of segment seg's matches of a one-term query, marked a block at a
 * time instead of one call per match; cdx_ix_postings_mark): *n gets their
 * number; the iterator is left where it was. Errors: CDX_CORRUPT, CDX_NOMEM. */
int cdx_q_facets_add_postings(cdx_q_facets *fs, const cdx_index *ix, size_t seg, cdx_ix_postings *p,
                              uint64_t *n, cdx_error *err);

/* ---- Interface to query/filters.c ---- */

/* A filter iterator for a FILTER node, or for node == NULL the live (and,
 * with s->latest, latest-edition) predicate, over segment s->seg. Its state
 * is kept on s->preds until cdx_q_free_preds. NULL when out of memory. */
cdx_q_it *cdx_q_pred_it(cdx_q_search *s, const cdx_q_node *node, const char *label);
void cdx_q_free_preds(cdx_q_search *s);

/* ---- Interface to query/compile.c ---- */

/* Collects and analyzes the words of the tree, depth first, in query order. */
int cdx_q_collect_words(cdx_q_search *s, const cdx_q_node *n, bool positive, cdx_error *err);
/* The iterator of tree n over segment s->seg; sets each word's leaf. */
int cdx_q_compile(cdx_q_search *s, const cdx_q_node *n, cdx_q_it **out, cdx_error *err);

/* ---- Interface to query/topk.c ---- */

typedef struct cdx_q_cand {
  double score;
  uint32_t seg, unit;
} cdx_q_cand;

typedef struct cdx_q_heap {
  cdx_q_cand *c;
  size_t n, cap, limit; /* limit: SIZE_MAX for --all, 0 for count only */
} cdx_q_heap;

/* Pushes c into the bounded heap (a tie with the worst kept does not
 * displace it). CDX_NOMEM without a message. */
int cdx_q_heap_push(cdx_q_heap *h, cdx_q_cand c);
/* The unit's score: BM25 of the scoring words whose leaves sit on it
 * (confirmed), then their proximity bonus, whose positions are read only
 * when BM25 plus the largest bonus (0.5 a pair) is above floor. */
int cdx_q_score_unit(cdx_q_search *s, uint32_t unit, double avg_len, double floor, double *score,
                     cdx_error *err);
/* The second half of cdx_q_score_unit, for a caller that has the BM25 sum
 * sc of the n_present words marked present (summed in word order, from 0,
 * as cdx_q_score_unit sums it) and their leaves on the unit: adds their
 * proximity bonus into *score when sc plus the largest bonus is above floor. */
int cdx_q_score_bonus(cdx_q_search *s, double sc, size_t n_present, double floor, double *score,
                      cdx_error *err);
/* Runs the query over every segment: counts every match into *total and
 * keeps the best h->limit in h (with o->top_only, the total may be a lower
 * bound: s->total_partial). */
int cdx_q_run(cdx_q_search *s, const cdx_search_options *o, cdx_q_heap *h, size_t *total,
              cdx_error *err);
/* query/topk_or.c: an OR of scoring words over segment s->seg, ranked by
 * MaxScore for o->top_only (the root not yet moved): counts the matches it
 * visits into *total and sets s->total_partial when it skipped some.
 * *handled = false, nothing moved, when root is no such OR. */
int cdx_q_run_or(cdx_q_search *s, cdx_q_it *root, double avg, cdx_q_heap *h, size_t *total,
                 bool *handled, cdx_error *err);
/* query/topk_and.c: an AND of scoring words (terms, characters, phrases:
 * every word of the query, nothing else) over segment s->seg, ranked by
 * MaxScore for o->top_only (the root not yet moved): counts the matches it
 * visits into *total and sets s->total_partial when it skipped some.
 * *handled = false, nothing moved, when root is no such AND. */
int cdx_q_run_and_top(cdx_q_search *s, cdx_q_it *root, double avg, cdx_q_heap *h, size_t *total,
                      bool *handled, cdx_error *err);
/* Sorts the kept candidates best first. */
void cdx_q_heap_sort(cdx_q_heap *h);

/* ---- Interface to query/hits.c ---- */

/* Fills r with the candidates h->c[o->offset..], sorted: stored fields and
 * (unless o->no_highlights) highlights of the scoring words. */
int cdx_q_make_hits(cdx_q_search *s, const cdx_search_options *o, cdx_q_heap *h, cdx_results *r,
                    cdx_error *err);

#endif
