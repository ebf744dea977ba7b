/*
 * cdx_search: query string -> ranked hits, document-at-a-time over the
 * segments of one snapshot.
 *
 *  1. parse (parse.c) and analyze every word once (qanalyze.c);
 *  2. index-wide statistics: N, average unit length, and per word the df of
 *     its rarest token (score_bm25.c explains why a word is one term);
 *  3. per segment, compile the tree into iterators: a word is a term leaf or
 *     a PHRASE over its tokens (verified against folded stored text when its
 *     tokens are not proof), AND/OR/ANDNOT as written, metadata filters as
 *     column predicates, plus one predicate for deletions and --latest.
 *     Filters have the largest cost, so an AND only seeks them to
 *     candidates of the word lists: filters run before scoring and no query
 *     reads all stored text;
 *  4. every match counts towards the exact total; the scored ones go
 *     through a bounded heap of offset + k (ties: segment, then unit id,
 *     which is document order within a segment);
 *  5. only the returned hits read stored fields and get highlights.
 *
 * Everything lives in per-call state, so concurrent calls on one index are
 * safe (the reader is immutable after open, index_reader.h). The steps live
 * in the files listed in search_state.h.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "query/search_state.h"

static uint64_t now_ns(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (uint64_t)t.tv_sec * 1000000000u + (uint64_t)t.tv_nsec;
}

void cdx_q_deadline_start(cdx_q_search *s, unsigned timeout_ms) {
  s->timeout_ms = timeout_ms;
  s->deadline_ns = timeout_ms ? now_ns() + (uint64_t)timeout_ms * 1000000u : 0;
}

int cdx_q_deadline_check(const cdx_q_search *s, cdx_error *err) {
  if (!s->deadline_ns || now_ns() < s->deadline_ns) return CDX_OK;
  return cdx_err_set(err, CDX_LIMIT, CDX_NO_OFFSET,
                     "query stopped at its time limit (%u ms, --timeout)", s->timeout_ms);
}

static void search_clear(cdx_q_search *s) {
  for (size_t i = 0; i < s->n_words; i++) cdx_q_word_clear(&s->words[i].w);
  free(s->words);
  cdx_q_node_free(s->root);
  cdx_analyzer_free(s->an);
  cdx_ix_store_free(s->store);
  cdx_free(s->cached_fold);
}

int cdx_search(const cdx_index *ix, const char *query, const cdx_search_options *opts,
               cdx_results **out, cdx_error *err) {
  if (!out) return cdx_err_set(err, CDX_INVALID, CDX_NO_OFFSET, "cdx_search: NULL out");
  *out = NULL;
  if (!ix || !query)
    return cdx_err_set(err, CDX_INVALID, CDX_NO_OFFSET, "cdx_search: NULL argument");
  cdx_search_options o = opts ? *opts : (cdx_search_options){0};
  if (o.k == 0) o.k = 10;
  cdx_q_search s = {0};
  cdx_q_deadline_start(&s, o.timeout_ms);
  s.ix = ix;
  s.latest = o.latest != 0;
  cdx_q_heap h = {0};
  h.limit = o.count_only ? 0
            : o.all      ? SIZE_MAX
                         : (o.offset > SIZE_MAX - o.k ? SIZE_MAX : o.offset + o.k);
  cdx_results *r = calloc(1, sizeof *r);
  if (!r) return cdx_q_nomem(err);
  int rc = cdx_q_parse(query, strlen(query), &s.root, err);
  if (rc == CDX_OK && (unsigned)o.sort > CDX_SORT_EDITION)
    rc = cdx_err_set(err, CDX_INVALID, CDX_NO_OFFSET, "cdx_search: unknown sort %d", (int)o.sort);
  if (rc == CDX_OK && o.facets) rc = cdx_q_facets_new(o.facets, o.facet_limit, &r->facets, err);
  s.facets = r->facets;
  if (rc == CDX_OK && !cdx_q_dedup(s.root)) rc = cdx_q_nomem(err);
  if (rc == CDX_OK && s.latest) rc = cdx_ix_doc_tables(ix, err);
  if (rc == CDX_OK) rc = cdx_analyzer_new(0, &s.an, err);
  if (rc == CDX_OK) rc = cdx_q_collect_words(&s, s.root, true, err);
  if (rc == CDX_OK) rc = cdx_ix_store_new(ix, &s.store, err);
  if (rc == CDX_OK) rc = cdx_q_run(&s, &o, &h, &r->total, err);
  r->total_partial = s.total_partial;
  if (rc == CDX_OK && r->facets) rc = cdx_q_facets_finish(r->facets, ix, err);
  if (rc == CDX_OK && !o.count_only) rc = cdx_q_make_hits(&s, &o, &h, r, err);
  free(h.c);
  search_clear(&s);
  if (rc) {
    cdx_results_free(r);
    return rc;
  }
  *out = r;
  return CDX_OK;
}
