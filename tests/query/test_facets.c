/*
 * Facet counts against a brute-force count over every hit (issue 14): each
 * facet, with and without pivots and filters, on the seeds and on a
 * generated corpus of several segments, one of them with a deleted
 * document. Every search runs three ways, since each takes its own path:
 * count only, every hit, and the top 3. A one-term query's matches are
 * marked from its postings a block at a time (cdx_ix_postings_mark), except
 * in a segment with deletions or under --latest, where the walk adds them
 * one by one; departments come from the dense department column (its
 * histogram and its rarer-name path: these corpora have more than the 32
 * names the histogram holds) or, with a pivot, from the records or the
 * department terms' postings. The hits themselves come from the ranked
 * walk, so a wrong fast path shows as a difference.
 */
#define _POSIX_C_SOURCE 200809L
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "clausedex.h"
#include "clausedex/generate.h"
#include "indexer/index_reader.h"
#include "lexicon/gazetteer.h"
#include "query/oracle.h"
#include "query/query.h"
#include "support/gen_index.h"
#include "support/test_support.h"

/* ---- the brute-force count ---- */

static int cmp_str(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

typedef struct tally {
  char **v;
  size_t *c;
  size_t n, cap;
} tally;

static void tally_add(tally *t, const char *v) {
  for (size_t i = 0; i < t->n; i++)
    if (strcmp(t->v[i], v) == 0) {
      t->c[i]++;
      return;
    }
  if (t->n == t->cap) {
    t->cap = t->cap ? 2 * t->cap : 64;
    t->v = realloc(t->v, t->cap * sizeof *t->v);
    t->c = realloc(t->c, t->cap * sizeof *t->c);
    cr_assert(t->v && t->c);
  }
  t->v[t->n] = strdup(v);
  t->c[t->n++] = 1;
}

static void tally_free(tally *t) {
  for (size_t i = 0; i < t->n; i++) free(t->v[i]);
  free(t->v);
  free(t->c);
  memset(t, 0, sizeof *t);
}

/* The jurisdiction value, from a scan of the whole gazetteer (not the
 * library's lookup): the name, with the parent's before it when another
 * place has the same name, and the code after when the parent's is shared
 * too. */
static void place(uint32_t code, char *buf, size_t cap) {
  const cdx_gz_place *p = cdx_gz_by_code(code);
  if (!p || p->code != code) {
    if (code) snprintf(buf, cap, "%06u", (unsigned)code);
    else snprintf(buf, cap, "-");
    return;
  }
  const cdx_gz_place *par = cdx_gz_parent(p);
  const char *pn = par ? par->name : "";
  bool shared = false, parent_shared = false;
  for (size_t i = 0; i < cdx_gz_count(); i++) {
    const cdx_gz_place *q = cdx_gz_at(i);
    if (q == p || strcmp(q->name, p->name) != 0) continue;
    shared = true;
    const cdx_gz_place *qp = cdx_gz_parent(q);
    parent_shared |= strcmp(qp ? qp->name : "", pn) == 0;
  }
  if (!shared) snprintf(buf, cap, "%s", p->name);
  else if (!parent_shared) snprintf(buf, cap, "%s%s", pn, p->name);
  else snprintf(buf, cap, "%s%s（%06u）", pn, p->name, (unsigned)code);
}

/* The values facet `name` counts on one hit. */
static void hit_values(const char *name, const cdx_hit *h, tally *t) {
  static const char *const status[] = {"final", "送审稿", "征求意见稿"};
  char buf[1400], where[64];
  place(h->jurisdiction_code, where, sizeof where);
  bool pivot = strncmp(name, "jurisdiction+", 13) == 0;
  const char *dname = pivot ? name + 13 : name;
  if (strcmp(dname, "dept") == 0 || strcmp(dname, "lead") == 0) {
    unsigned role = strcmp(dname, "lead") == 0 ? CDX_ROLE_LEAD : CDX_ROLE_LISTED;
    for (size_t d = 0; d < h->n_departments; d++) {
      if (!(h->departments[d].roles & role)) continue;
      if (pivot) snprintf(buf, sizeof buf, "%s\t%s", where, h->departments[d].canonical);
      else snprintf(buf, sizeof buf, "%s", h->departments[d].canonical);
      tally_add(t, buf);
    }
  } else if (strcmp(name, "jurisdiction") == 0) {
    if (h->jurisdiction_code) tally_add(t, where);
  } else if (strcmp(name, "status") == 0) {
    cr_assert_lt((unsigned)h->status, 3);
    tally_add(t, status[h->status]);
  } else if (strcmp(name, "edition") == 0) {
    snprintf(buf, sizeof buf, "%d", h->edition);
    if (h->edition) tally_add(t, buf);
  } else if (strcmp(name, "year") == 0) {
    snprintf(buf, sizeof buf, "%u", (unsigned)(h->date / 10000));
    if (h->date) tally_add(t, buf);
  } else {
    cr_assert_fail("no brute force for facet %s", name);
  }
}

/* One facet against the hits of `all` (every hit of the same search). */
static void expect_facet(const char *label, const cdx_facet *f, const cdx_results *all) {
  tally t = {0};
  for (size_t i = 0; i < cdx_results_count(all); i++)
    hit_values(f->name, cdx_results_get(all, i), &t);
  cr_expect_eq(f->n_distinct, t.n, "%s: facet %s: %zu values, the hits have %zu", label, f->name,
               f->n_distinct, t.n);
  cr_expect_eq(f->n_values, f->n_distinct, "%s: facet %s: every value kept", label, f->name);
  for (size_t i = 0; i < f->n_values; i++) {
    const cdx_facet_value *v = &f->values[i];
    size_t want = 0;
    for (size_t k = 0; k < t.n; k++)
      if (strcmp(t.v[k], v->value) == 0) want = t.c[k];
    cr_expect_eq(v->count, want, "%s: facet %s value '%s': %zu, the hits say %zu", label, f->name,
                 v->value, v->count, want);
    if (i)
      cr_expect(f->values[i - 1].count > v->count || (f->values[i - 1].count == v->count &&
                                                      strcmp(f->values[i - 1].value, v->value) < 0),
                "%s: facet %s: most frequent first, then by name", label, f->name);
  }
  tally_free(&t);
}

static size_t facet_limit = 1000000;

static cdx_results *run(const cdx_index *ix, const char *q, const char *facets, int mode,
                        int latest) {
  cdx_search_options opt = {0};
  opt.facets = facets;
  opt.facet_limit = facet_limit;
  opt.latest = latest;
  if (mode == 0) opt.count_only = 1;
  else if (mode == 1) opt.all = 1;
  else opt.k = 3;
  cdx_results *r = NULL;
  cdx_error err;
  cr_assert_eq(cdx_search(ix, q, &opt, &r, &err), CDX_OK, "%s [%s]: %s", q, facets, err.message);
  return r;
}

static const char *const facet_sets[] = {
    "dept,lead,jurisdiction,status,edition,year", /* the column and the documents */
    "dept",                                       /* the column alone */
    "year,status",                                /* the documents alone */
    "jurisdiction+dept,lead,edition",             /* a pivot: records or terms */
    "jurisdiction+lead,jurisdiction+dept"};

/* Every facet set on q, three ways; returns the number of matches. */
static size_t check_query(const cdx_index *ix, const char *q, int latest) {
  size_t total = 0;
  for (size_t s = 0; s < sizeof facet_sets / sizeof facet_sets[0]; s++) {
    cdx_results *all = run(ix, q, facet_sets[s], 1, latest);
    total = cdx_results_total(all);
    cr_assert_eq(cdx_results_count(all), total, "%s: every hit", q);
    for (int mode = 0; mode < 3; mode++) {
      cdx_results *r = mode == 1 ? all : run(ix, q, facet_sets[s], mode, latest);
      char label[512];
      snprintf(label, sizeof label, "%s%s [%s] %s", q, latest ? " --latest" : "", facet_sets[s],
               mode == 0   ? "--count"
               : mode == 1 ? "--all"
                           : "-k 3");
      cr_expect_eq(cdx_results_total(r), total, "%s: total", label);
      for (size_t i = 0; i < cdx_results_facet_count(r); i++)
        expect_facet(label, cdx_results_facet(r, i), all);
      if (r != all) cdx_results_free(r);
    }
    /* a small --facet-limit keeps the first values of the whole list (only
     * those are named: ties at the cut decided by name all the same) */
    for (size_t lim = 1; lim <= 3; lim++) {
      facet_limit = lim;
      cdx_results *r = run(ix, q, facet_sets[s], 0, latest);
      facet_limit = 1000000;
      for (size_t i = 0; i < cdx_results_facet_count(r); i++) {
        const cdx_facet *f = cdx_results_facet(r, i), *g = cdx_results_facet(all, i);
        cr_expect_eq(f->n_distinct, g->n_distinct, "%s [%s] limit %zu: distinct", q, f->name, lim);
        cr_expect_eq(f->n_values, lim < g->n_values ? lim : g->n_values);
        for (size_t k = 0; k < f->n_values && k < g->n_values; k++)
          cr_expect(strcmp(f->values[k].value, g->values[k].value) == 0 &&
                        f->values[k].count == g->values[k].count,
                    "%s [%s] limit %zu: value %zu is %s, the whole list's %s", q, f->name, lim, k,
                    f->values[k].value, g->values[k].value);
      }
      cdx_results_free(r);
    }
    cdx_results_free(all);
  }
  return total;
}

/* ---- the seeds ---- */

static void rm_index(char *dir) {
  char *parent = strdup(dir);
  *strrchr(parent, '/') = 0;
  cdx_test_rmtree(parent);
  free(parent);
  free(dir);
}

/* The seed index (oracle_index_seeds; *DIR for rm_index), opened; NULL when
 * the seeds are missing (the test is then skipped or failed). */
static cdx_index *open_seeds(char **dir) {
  *dir = oracle_index_seeds();
  if (!*dir) return NULL;
  cdx_index *ix = NULL;
  cdx_error err;
  cr_assert_eq(cdx_index_open(*dir, &ix, &err), CDX_OK, "%s", err.message);
  return ix;
}

Test(facets, seeds_equal_a_count_over_the_hits) {
  char *dir;
  cdx_index *ix = open_seeds(&dir);
  if (!ix) return;
  cdx_ix_dept_column col;
  cr_assert(cdx_ix_dept_column_open(ix, 0, &col));
  cr_assert_gt(col.n_names, 32, "the seeds reach the column's rarer-name path");
  cdx_ix_facet_column fc; /* what the facets below are counted from */
  cr_assert(cdx_ix_facet_column_open(ix, 0, &fc) && fc.n_sets > 1 && fc.n_combos > 1,
            "a version-8 segment with both ordinal columns");
  /* one term (marked from its postings), a department term, words and
   * filters (walked), a figure filter, a prefix (a union of terms) */
  static const char *const queries[] = {
      "企业",      "补贴",       "dept:财政局",    "lead:发改局", "dept:市人行",
      "企业 补贴", "补贴 -企业", "amount:>=100万", "dept:财政*",  "以旧换新 OR 技改"};
  for (size_t q = 0; q < sizeof queries / sizeof queries[0]; q++) {
    cr_expect_gt(check_query(ix, queries[q], 0), 0, "%s matches", queries[q]);
    check_query(ix, queries[q], 1);
  }
  cdx_index_close(ix);
  rm_index(dir);
}

/* ---- a generated corpus in several segments ---- */

Test(facets, generated_segments_and_a_deletion) {
  char *tmp = cdx_test_tmpdir();
  char idx[4200];
  /* three commits: three segments */
  char files[4][4600];
  size_t n_files = cdx_test_index_generated(tmp, 14, 500 * 1024, 10, idx, sizeof idx, files[0],
                                            sizeof files[0], 4);
  if (n_files > 4) n_files = 4;
  cdx_error err;
  cdx_writer *w = NULL;
  cdx_index *ix = NULL;
  cr_assert_eq(cdx_index_open(idx, &ix, &err), CDX_OK, "%s", err.message);
  cr_assert_geq(cdx_ix_segment_count(ix), 2, "several segments");
  static const char *const queries[] = {"企业",        "补贴",      "dept:财政局",
                                        "lead:发改局", "企业 支持", "dept:发改局 -lead:发改局"};
  size_t before[sizeof queries / sizeof queries[0]];
  for (size_t q = 0; q < sizeof queries / sizeof queries[0]; q++) {
    before[q] = check_query(ix, queries[q], 0);
    cr_expect_gt(before[q], 0, "%s matches", queries[q]);
    check_query(ix, queries[q], 1);
  }
  cdx_index_close(ix);
  /* a deletion in the first segment: its matches go through the walk */
  cr_assert_eq(cdx_writer_open(idx, NULL, &w, &err), CDX_OK, "%s", err.message);
  for (size_t i = 0; i < n_files; i++)
    cr_assert_eq(cdx_writer_delete(w, files[i], &err), CDX_OK, "%s", err.message);
  cr_assert_eq(cdx_writer_commit(w, &err), CDX_OK, "%s", err.message);
  cdx_writer_close(w);
  cr_assert_eq(cdx_index_open(idx, &ix, &err), CDX_OK, "%s", err.message);
  cr_assert(cdx_ix_segment_has_deletions(ix, 0), "the first segment has deletions");
  size_t fewer = 0;
  for (size_t q = 0; q < sizeof queries / sizeof queries[0]; q++)
    fewer += check_query(ix, queries[q], 0) < before[q];
  cr_expect_gt(fewer, 0, "the deleted documents had matches");
  cdx_index_close(ix);
  cdx_test_rmtree(tmp);
  free(tmp);
}

/* ---- jurisdiction values ---- */

/* Distinct places are distinct values over the whole gazetteer, and a
 * shared name (济南市 and 枣庄市 each have a 市中区) is told apart. */
Test(facets, places_that_share_a_name_stay_apart) {
  size_t n = cdx_gz_count();
  char **v = calloc(n, sizeof *v);
  cr_assert(v);
  for (size_t i = 0; i < n; i++) {
    char buf[CDX_Q_PLACE_VALUE_MAX], want[CDX_Q_PLACE_VALUE_MAX];
    v[i] = strdup(cdx_q_place_value(cdx_gz_at(i)->code, buf, sizeof buf));
    place(cdx_gz_at(i)->code, want, sizeof want);
    cr_expect_str_eq(v[i], want, "code %06u", (unsigned)cdx_gz_at(i)->code);
  }
  qsort(v, n, sizeof *v, cmp_str);
  for (size_t i = 1; i < n; i++) cr_expect_str_neq(v[i - 1], v[i], "two places named alike");
  char buf[CDX_Q_PLACE_VALUE_MAX];
  cr_expect_str_eq(cdx_q_place_value(370103, buf, sizeof buf), "济南市市中区");
  cr_expect_str_eq(cdx_q_place_value(330382, buf, sizeof buf), "乐清市",
                   "a unique name stays bare");
  for (size_t i = 0; i < n; i++) free(v[i]);
  free(v);
}

/* ---- the mark itself ---- */

/* cdx_ix_postings_mark from the middle of a list marks exactly the units a
 * walk from there would visit, and leaves the iterator where it was. */
Test(facets, mark_is_the_rest_of_the_walk) {
  char *dir;
  cdx_index *ix = open_seeds(&dir);
  if (!ix) return;
  cdx_error err;
  uint32_t units = cdx_ix_segment_units(ix, 0);
  size_t words = (units + 63) / 64;
  static const char *const terms[] = {"企业", "\x03财政局", "发展", "无此词语"};
  for (size_t t = 0; t < sizeof terms / sizeof terms[0]; t++) {
    for (uint32_t skip = 0; skip < 300; skip += 37) {
      cdx_ix_postings *a = NULL, *b = NULL;
      cr_assert_eq(cdx_ix_postings_open(ix, 0, terms[t], strlen(terms[t]), &a, &err), CDX_OK);
      cr_assert_eq(cdx_ix_postings_open(ix, 0, terms[t], strlen(terms[t]), &b, &err), CDX_OK);
      for (uint32_t i = 0; i < skip && cdx_ix_postings_unit(a) != CDX_IX_END; i++) {
        cr_assert_eq(cdx_ix_postings_next(a, &err), CDX_OK);
        cr_assert_eq(cdx_ix_postings_next(b, &err), CDX_OK);
      }
      uint32_t at = cdx_ix_postings_unit(a), tf = at == CDX_IX_END ? 0 : cdx_ix_postings_tf(a);
      uint64_t *bits = calloc(words + 1, sizeof *bits), *want = calloc(words + 1, sizeof *want);
      uint64_t n = 0, walked = 0;
      cr_assert_eq(cdx_ix_postings_mark(a, bits, &n, &err), CDX_OK, "%s", err.message);
      cr_expect_eq(cdx_ix_postings_unit(a), at, "%s after %u: the iterator stays", terms[t], skip);
      if (at != CDX_IX_END) cr_expect_eq(cdx_ix_postings_tf(a), tf);
      for (uint32_t u = cdx_ix_postings_unit(b); u != CDX_IX_END; u = cdx_ix_postings_unit(b)) {
        want[u >> 6] |= 1ULL << (u & 63);
        walked++;
        cr_assert_eq(cdx_ix_postings_next(b, &err), CDX_OK);
      }
      cr_expect_eq(n, walked, "%s after %u: %lu marked, %lu walked", terms[t], skip,
                   (unsigned long)n, (unsigned long)walked);
      cr_expect(memcmp(bits, want, (words + 1) * sizeof *bits) == 0, "%s after %u: the bits",
                terms[t], skip);
      /* and it walks on from there as before */
      if (at != CDX_IX_END) {
        cr_assert_eq(cdx_ix_postings_next(a, &err), CDX_OK);
        cdx_ix_postings *c = NULL;
        cr_assert_eq(cdx_ix_postings_open(ix, 0, terms[t], strlen(terms[t]), &c, &err), CDX_OK);
        cr_assert_eq(cdx_ix_postings_seek(c, at + 1, &err), CDX_OK);
        cr_expect_eq(cdx_ix_postings_unit(a), cdx_ix_postings_unit(c));
        cdx_ix_postings_free(c);
      }
      free(bits);
      free(want);
      cdx_ix_postings_free(a);
      cdx_ix_postings_free(b);
    }
  }
  cdx_index_close(ix);
  rm_index(dir);
}
