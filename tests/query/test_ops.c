/*
 * The operators over in-memory postings, against a brute-force evaluation of
 * the same random documents: every unit the iterator yields must be exactly
 * the set computed directly, through next() and through seek().
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "query/query.h"

#define N_DOCS 400
#define N_TERMS 5
#define MAX_LEN 12

/* Each doc is a sequence of term ids; a term's positions are its indices. */
static int docs[N_DOCS][MAX_LEN];
static int doc_len[N_DOCS];

static void make_docs(unsigned seed) {
  srand(seed);
  for (int d = 0; d < N_DOCS; d++) {
    doc_len[d] = rand() % MAX_LEN;
    for (int i = 0; i < doc_len[d]; i++) docs[d][i] = rand() % N_TERMS;
  }
}

static bool has(int d, int t) {
  for (int i = 0; i < doc_len[d]; i++)
    if (docs[d][i] == t) return true;
  return false;
}

/* Term t's postings in the documents, in memory; *count: how many documents. */
static void *mem_postings(int t, size_t *count) {
  uint32_t ids[N_DOCS], pos[N_DOCS * MAX_LEN];
  size_t off[N_DOCS + 1], n = 0, np = 0;
  for (int d = 0; d < N_DOCS; d++) {
    if (!has(d, t)) continue;
    off[n] = np;
    ids[n++] = (uint32_t)d;
    for (int i = 0; i < doc_len[d]; i++)
      if (docs[d][i] == t) pos[np++] = (uint32_t)i;
  }
  off[n] = np;
  void *p = cdx_q_mem_postings_new(ids, n, pos, off);
  cr_assert_not_null(p);
  *count = n;
  return p;
}

static cdx_q_it *leaf(int t) {
  size_t n;
  void *p = mem_postings(t, &n);
  char label[8];
  snprintf(label, sizeof label, "t%d", t);
  cdx_q_it *it = cdx_q_term_new(&cdx_q_mem_postings_vt, p, n, label, strlen(label));
  cr_assert_not_null(it);
  return it;
}

typedef bool (*truth_fn)(int d);

/* Walks it with next() (or seeks of random strides) and compares. */
static void check(cdx_q_it *it, truth_fn truth, bool use_seek) {
  cdx_error err;
  uint32_t target = 0;
  int expected_next = 0;
  for (;;) {
    int rc;
    if (use_seek) {
      rc = cdx_q_seek(it, target, &err);
    } else {
      rc = cdx_q_next(it, &err);
    }
    cr_assert_eq(rc, CDX_OK);
    uint32_t got = it->docid;
    int want = -1;
    for (int d = use_seek ? (int)target : expected_next; d < N_DOCS; d++)
      if (truth(d)) {
        want = d;
        break;
      }
    if (want < 0) {
      cr_assert_eq(got, CDX_Q_END, "got %u, want END", got);
      break;
    }
    cr_assert_eq(got, (uint32_t)want, "got %u want %d (seek %d target %u)", got, want, use_seek,
                 target);
    expected_next = want + 1;
    target = got + 1 + (uint32_t)(rand() % 7);
  }
  cdx_q_it_free(it);
}

static bool t_and(int d) { return has(d, 0) && has(d, 1) && has(d, 2); }
static bool t_or(int d) { return has(d, 3) || has(d, 4); }
static bool t_not(int d) { return (has(d, 0) || has(d, 1)) && !has(d, 2); }
static bool t_mixed(int d) { return has(d, 0) && (has(d, 3) || has(d, 4)) && !has(d, 1); }
static bool t_phrase(int d) {
  for (int i = 0; i + 2 < doc_len[d]; i++)
    if (docs[d][i] == 1 && docs[d][i + 2] == 2) return true;
  return false;
}
static bool t_phrase2(int d) {
  for (int i = 0; i + 1 < doc_len[d]; i++)
    if (docs[d][i] == 3 && docs[d][i + 1] == 3) return true;
  return false;
}

static cdx_q_it *and3(void) {
  cdx_q_it *k[3] = {leaf(0), leaf(1), leaf(2)};
  return cdx_q_and_new(k, 3);
}
static cdx_q_it *or2(void) {
  cdx_q_it *k[2] = {leaf(3), leaf(4)};
  return cdx_q_or_new(k, 2);
}
static cdx_q_it *not1(void) {
  cdx_q_it *k[2] = {leaf(0), leaf(1)};
  return cdx_q_not_new(cdx_q_or_new(k, 2), leaf(2));
}
static cdx_q_it *mixed(void) {
  cdx_q_it *k[2] = {leaf(0), or2()};
  return cdx_q_not_new(cdx_q_and_new(k, 2), leaf(1));
}
static cdx_q_it *phrase(void) {
  cdx_q_it *k[2] = {leaf(1), leaf(2)};
  uint32_t rel[2] = {0, 2};
  return cdx_q_phrase_new(k, rel, 2, NULL, NULL, NULL);
}
static cdx_q_it *phrase2(void) {
  cdx_q_it *k[2] = {leaf(3), leaf(3)};
  uint32_t rel[2] = {0, 1};
  return cdx_q_phrase_new(k, rel, 2, NULL, NULL, NULL);
}

Test(ops, match_brute_force) {
  for (unsigned seed = 1; seed <= 20; seed++) {
    make_docs(seed);
    for (int s = 0; s < 2; s++) {
      check(and3(), t_and, s);
      check(or2(), t_or, s);
      check(not1(), t_not, s);
      check(mixed(), t_mixed, s);
      check(phrase(), t_phrase, s);
      check(phrase2(), t_phrase2, s);
    }
  }
}

Test(ops, phrase_counts_occurrences) {
  make_docs(7);
  cdx_q_it *it = phrase2();
  cdx_error err;
  cr_assert_eq(cdx_q_next(it, &err), CDX_OK);
  for (; it->docid != CDX_Q_END; cdx_q_next(it, &err)) {
    int d = (int)it->docid, n = 0;
    for (int i = 0; i + 1 < doc_len[d]; i++) n += docs[d][i] == 3 && docs[d][i + 1] == 3;
    const uint32_t *st;
    size_t ns;
    cr_assert_eq(cdx_q_positions(it, &st, &ns, &err), CDX_OK);
    cr_expect_eq(cdx_q_tf(it), (uint32_t)ns);
    cr_expect_eq(ns, (size_t)n, "doc %d", d);
  }
  cdx_q_it_free(it);
}

static bool even(void *ctx, uint32_t u) {
  (void)ctx;
  return u % 2 == 0;
}

Test(ops, describe_and_filter) {
  make_docs(3);
  cdx_q_it *k[2] = {cdx_q_filter_new(N_DOCS, even, NULL, NULL, "even"), phrase()};
  cdx_q_it *it = cdx_q_and_new(k, 2);
  int rc = CDX_OK;
  cdx_buf b;
  cdx_buf_init(&b);
  cdx_q_it_describe(it, &rc, &b);
  /* The filter has the largest cost: it goes last and is only seeked. */
  cr_expect_str_eq(cdx_buf_str(&rc, &b), "AND(PHRASE(TERM(t1)@0, TERM(t2)@2), FILTER(even))");
  cdx_buf_free(&b);
  cdx_error err;
  for (cdx_q_next(it, &err); it->docid != CDX_Q_END; cdx_q_next(it, &err))
    cr_expect(it->docid % 2 == 0 && t_phrase((int)it->docid));
  cdx_q_it_free(it);
}

/* The postings of terms 1..4 as one source, the way a single character is
 * the union of the terms starting with it: units, tf and merged positions
 * against the documents, through next() and through seeks. */
static void *mem_source(int t) {
  size_t n;
  return mem_postings(t, &n);
}

static void check_union(bool use_seek, unsigned seed) {
  srand(seed);
  void *src[5] = {mem_source(1), mem_source(2), mem_source(3), mem_source(4),
                  cdx_q_mem_postings_new(NULL, 0, NULL, NULL)};
  void *u = cdx_q_union_postings_new(&cdx_q_mem_postings_vt, src, 5);
  cr_assert_not_null(u);
  cdx_q_it *it = cdx_q_term_new(&cdx_q_union_postings_vt, u, 0, "u", 1);
  cdx_error err;
  uint32_t target = 0;
  int from = 0;
  for (;;) {
    cr_assert_eq(use_seek ? cdx_q_seek(it, target, &err) : cdx_q_next(it, &err), CDX_OK);
    int want = -1;
    for (int d = use_seek ? (int)target : from; d < N_DOCS && want < 0; d++)
      for (int t = 1; t <= 4 && want < 0; t++)
        if (has(d, t)) want = d;
    if (want < 0) {
      cr_assert_eq(it->docid, CDX_Q_END);
      break;
    }
    cr_assert_eq(it->docid, (uint32_t)want, "seek %d target %u", use_seek, target);
    uint32_t want_pos[MAX_LEN];
    size_t nw = 0;
    for (int i = 0; i < doc_len[want]; i++)
      if (docs[want][i] >= 1) want_pos[nw++] = (uint32_t)i;
    const uint32_t *pos;
    size_t np;
    cr_assert_eq(cdx_q_positions(it, &pos, &np, &err), CDX_OK);
    cr_assert_eq(np, nw, "unit %d", want);
    for (size_t i = 0; i < nw; i++) cr_assert_eq(pos[i], want_pos[i], "unit %d", want);
    cr_assert_eq(cdx_q_tf(it), (uint32_t)nw);
    from = want + 1;
    target = it->docid + 1 + (uint32_t)(rand() % 5);
  }
  cdx_q_it_free(it);
}

Test(ops, union_of_sources_is_one_term) {
  make_docs(4242);
  check_union(false, 1);
  check_union(true, 2);
  check_union(true, 3);
  void *u = cdx_q_union_postings_new(&cdx_q_mem_postings_vt, NULL, 0);
  cr_assert_not_null(u);
  cdx_q_it *it = cdx_q_term_new(&cdx_q_union_postings_vt, u, 0, "none", 4);
  cdx_error err;
  cr_assert_eq(cdx_q_next(it, &err), CDX_OK);
  cr_assert_eq(it->docid, CDX_Q_END);
  cdx_q_it_free(it);
}
