/*
 * The brute-force equality on a generated corpus (cdx_generate_corpus):
 * many more documents, all jurisdictions levels, Traditional and GB18030
 * variants, several versions per policy. Random substrings, AND pairs,
 * and jurisdiction/status/--latest filters against the oracle.
 */
#define _POSIX_C_SOURCE 200809L
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "clausedex/generate.h"
#include "lexicon/gazetteer.h"
#include "query/oracle.h"
#include "support/gen_index.h"
#include "support/test_support.h"

static char *tmp;
static cdx_index *gix;
static oracle gor;

static void setup(void) {
  tmp = cdx_test_tmpdir();
  char idx[4200];
  cr_assert_gt(cdx_test_index_generated(tmp, 7, 600 * 1024, 0, idx, sizeof idx, NULL, 0, 0), 5);
  cdx_error err;
  cr_assert_eq(cdx_index_open(idx, &gix, &err), CDX_OK, "%s", err.message);
  oracle_load(&gor, gix);
}

static void teardown(void) {
  oracle_free(&gor);
  cdx_index_close(gix);
  cdx_test_rmtree(tmp);
  free(tmp);
}

TestSuite(generated, .init = setup, .fini = teardown);

/* Two random two-character words of the corpus into A and B (64 bytes
 * each), advancing *SEED; false when the corpus gave none. */
static bool random_pair(unsigned *seed, char *a, char *b) {
  size_t unit;
  return oracle_random_word_len(&gor, seed, 2, 2, a, 64, &unit) &&
         oracle_random_word_len(&gor, seed, 2, 2, b, 64, &unit);
}

typedef struct gfilter {
  const char *a, *b;
  uint32_t within;
  bool drafts_only, latest;
  bool outside; /* within names the place to exclude */
} gfilter;

static bool gmatch(const oracle_unit *u, void *ctx) {
  const gfilter *f = ctx;
  if (f->a && !oracle_contains(u->folded, u->folded_len, f->a)) return false;
  if (f->b && !oracle_contains(u->folded, u->folded_len, f->b)) return false;
  bool in = f->within && u->jurisdiction_code && cdx_gz_within(u->jurisdiction_code, f->within);
  if (f->within && in == f->outside) return false;
  if (f->drafts_only && u->status == CDX_STATUS_FINAL) return false;
  if (f->latest && !u->latest) return false;
  return true;
}

static void gcompare(const char *query, gfilter *f) {
  size_t ne, ng, total;
  char **want = oracle_select(&gor, gmatch, f, &ne);
  char **got = oracle_search(gix, query, f->latest, &ng, &total);
  cr_expect_eq(total, ng);
  size_t i = 0, j = 0;
  while (i < ne || j < ng) {
    int c = i == ne ? 1 : j == ng ? -1 : strcmp(want[i], got[j]);
    if (c < 0) cr_assert_fail("[%s]: missed %s (oracle %zu, search %zu)", query, want[i], ne, ng);
    if (c > 0) cr_assert_fail("[%s]: extra %s (oracle %zu, search %zu)", query, got[j], ne, ng);
    i++;
    j++;
  }
  oracle_keys_free(want, ne);
  oracle_keys_free(got, ng);
}

Test(generated, random_queries_equal_brute_force) {
  unsigned seed = 2024;
  char a[256], b[256], q[800];
  int done = 0;
  for (int i = 0; i < 840; i++) {
    size_t ua;
    if (!oracle_random_word(&gor, &seed, a, sizeof a, &ua)) continue;
    gfilter f = {a, NULL, 0, false, false, false};
    const oracle_unit *u = &gor.u[ua];
    switch (i % 7) {
      case 0: snprintf(q, sizeof q, "%s", a); break;
      case 1: {
        oracle one = {&gor.u[ua], 1};
        if (!oracle_random_word(&one, &seed, b, sizeof b, NULL)) continue;
        snprintf(q, sizeof q, "%s %s", a, b);
        f.b = b;
        break;
      }
      case 2: {
        /* The unit's prefecture (or itself), by code: includes its counties. */
        const cdx_gz_place *pl = cdx_gz_by_code(u->jurisdiction_code);
        if (!pl) continue;
        if (pl->level == CDX_LEVEL_COUNTY && cdx_gz_parent(pl)) pl = cdx_gz_parent(pl);
        snprintf(q, sizeof q, "%s jurisdiction:%06u", a, (unsigned)pl->code);
        f.within = pl->code;
        break;
      }
      case 3:
        snprintf(q, sizeof q, "status:draft %s", a);
        f.drafts_only = true;
        break;
      case 4:
        snprintf(q, sizeof q, "%s", a);
        f.latest = true;
        break;
      case 5: {
        /* Excluding the unit's own province keeps only other provinces'. */
        const cdx_gz_place *pl = cdx_gz_by_code(u->jurisdiction_code);
        if (!pl) continue;
        while (cdx_gz_parent(pl)) pl = cdx_gz_parent(pl);
        snprintf(q, sizeof q, "%s -jurisdiction:%06u", a, (unsigned)pl->code);
        f.within = pl->code;
        f.outside = true;
        break;
      }
      case 6: {
        /* Filters alone walk the columns (a document at a time). */
        const cdx_gz_place *pl = cdx_gz_by_code(u->jurisdiction_code);
        if (!pl) continue;
        snprintf(q, sizeof q, "jurisdiction:%06u status:draft", (unsigned)pl->code);
        f.a = NULL;
        f.within = pl->code;
        f.drafts_only = true;
        break;
      }
    }
    gcompare(q, &f);
    done++;
  }
  cr_expect_gt(done, 400);
}

/* The hits of rt are those of --all's ra at ranks [offset, offset + k):
 * ids, scores and ranks. */
static void same_hits(const char *q, cdx_results *ra, cdx_results *rt, size_t k, size_t offset) {
  size_t want = cdx_results_count(ra) > offset ? cdx_results_count(ra) - offset : 0;
  if (want > k) want = k;
  cr_assert_eq(cdx_results_count(rt), want, "[%s] k %zu offset %zu", q, k, offset);
  for (size_t i = 0; i < want; i++) {
    const cdx_hit *a = cdx_results_get(ra, offset + i), *t = cdx_results_get(rt, i);
    cr_assert_str_eq(t->doc, a->doc, "[%s] k %zu offset %zu rank %zu", q, k, offset,
                     offset + i + 1);
    cr_assert_eq(t->ordinal, a->ordinal, "[%s] rank %zu", q, offset + i + 1);
    cr_assert_eq(t->score, a->score, "[%s] rank %zu: %.17g vs %.17g", q, offset + i + 1, t->score,
                 a->score);
    cr_assert_eq(t->rank, a->rank);
  }
}

/* Top-k pruning (a lone term ranks by block-max bounds and counts by df)
 * against exhaustive evaluation: --all scores and sorts every match, so
 * its ranks [offset, offset + k) must be exactly the pruned answer, ids
 * and scores, and the totals equal. Frequent words span many 128-unit
 * blocks here; random words add the short lists. */
static void same_as_exhaustive(const char *q, size_t k, size_t offset) {
  cdx_search_options all = {0}, top = {0};
  all.all = 1;
  top.k = k;
  top.offset = offset;
  cdx_results *ra = NULL, *rt = NULL;
  cdx_error err;
  cr_assert_eq(cdx_search(gix, q, &all, &ra, &err), CDX_OK, "%s: %s", q, err.message);
  cr_assert_eq(cdx_search(gix, q, &top, &rt, &err), CDX_OK, "%s: %s", q, err.message);
  cr_assert_eq(cdx_results_total(rt), cdx_results_total(ra), "[%s] total", q);
  same_hits(q, ra, rt, k, offset);
  cdx_results_free(ra);
  cdx_results_free(rt);
}

Test(generated, pruned_top_k_equals_exhaustive) {
  static const char *const frequent[] = {"企业", "发展", "支持", "项目", "资金", "人才",
                                         "政策", "服务", "建设", "创新", "管理", "推进"};
  static const size_t ks[] = {1, 3, 10, 25};
  for (size_t w = 0; w < sizeof frequent / sizeof *frequent; w++)
    for (size_t i = 0; i < sizeof ks / sizeof *ks; i++) {
      same_as_exhaustive(frequent[w], ks[i], 0);
      same_as_exhaustive(frequent[w], ks[i], 7);
    }
  unsigned seed = 18;
  for (int r = 0; r < 150; r++) {
    char word[64];
    size_t unit;
    if (!oracle_random_word_len(&gor, &seed, 2, 2, word, sizeof word, &unit)) continue;
    same_as_exhaustive(word, 1 + (size_t)r % 12, (size_t)r % 3);
  }
}

/* A ranked AND of terms comes from the block intersection with its tfs, and
 * only the matches whose BM25 plus the largest proximity bonus can still
 * reach the k-th score are visited again for positions (topk.c, run_and):
 * the same ids, scores and total as --all's walk of every match. */
Test(generated, pruned_and_top_k_equals_exhaustive) {
  static const char *const frequent[] = {"企业", "发展", "支持", "项目", "资金", "政策", "服务"};
  const size_t nf = sizeof frequent / sizeof *frequent;
  static const size_t ks[] = {1, 3, 10, 25};
  char q[256];
  for (size_t i = 0; i < nf; i++)
    for (size_t j = i + 1; j < nf; j++) {
      snprintf(q, sizeof q, "%s %s", frequent[i], frequent[j]);
      same_as_exhaustive(q, ks[(i + j) % 4], (i * j) % 3 ? 0 : 7);
      snprintf(q, sizeof q, "%s %s %s", frequent[i], frequent[j], frequent[(i + j + 1) % nf]);
      same_as_exhaustive(q, ks[(i + 2 * j) % 4], i % 2 ? 0 : 5);
    }
  unsigned seed = 1819;
  for (int r = 0; r < 80; r++) {
    char a[64], b[64];
    if (!random_pair(&seed, a, b)) continue;
    snprintf(q, sizeof q, r % 2 ? "%s %s" : "%s %s 企业", a, b);
    same_as_exhaustive(q, 1 + (size_t)r % 12, (size_t)r % 3);
  }
}

/* With top_only an OR of words ranks by MaxScore (topk_or.c): the units
 * that cannot enter are skipped, so the total may be a lower bound (and is
 * flagged so), but the hits are --all's ranks [offset, offset + k), ids and
 * scores, as for the walk. Pairs and triples of frequent words (whose
 * bounds prune), with longer words (phrases of bigrams) and characters
 * (unions, bounded by idf alone), and random words. */
static void same_top_only(const char *q, size_t k, size_t offset, size_t *partial) {
  cdx_search_options all = {0}, top = {0}, walk = {0};
  all.all = 1;
  top.k = walk.k = k;
  top.offset = walk.offset = offset;
  top.top_only = 1;
  cdx_results *ra = NULL, *rt = NULL, *rw = NULL;
  cdx_error err;
  cr_assert_eq(cdx_search(gix, q, &all, &ra, &err), CDX_OK, "%s: %s", q, err.message);
  cr_assert_eq(cdx_search(gix, q, &top, &rt, &err), CDX_OK, "%s: %s", q, err.message);
  cr_assert_eq(cdx_search(gix, q, &walk, &rw, &err), CDX_OK, "%s: %s", q, err.message);
  cr_assert(cdx_results_total_exact(ra) && cdx_results_total_exact(rw),
            "[%s] exact without top_only", q);
  cr_assert_eq(cdx_results_total(rw), cdx_results_total(ra), "[%s] total", q);
  if (cdx_results_total_exact(rt))
    cr_assert_eq(cdx_results_total(rt), cdx_results_total(ra), "[%s]", q);
  else {
    cr_assert_leq(cdx_results_total(rt), cdx_results_total(ra), "[%s] lower bound", q);
    (*partial)++;
  }
  same_hits(q, ra, rt, k, offset);
  cdx_results_free(ra);
  cdx_results_free(rt);
  cdx_results_free(rw);
}

Test(generated, top_only_or_equals_exhaustive) {
  static const char *const frequent[] = {"企业", "发展",   "支持",   "项目", "资金", "政策",
                                         "服务", "高质量", "科技局", "资",   "港"};
  const size_t nf = sizeof frequent / sizeof *frequent;
  static const size_t ks[] = {1, 3, 10, 25};
  size_t partial = 0;
  char q[256];
  for (size_t i = 0; i < nf; i++)
    for (size_t j = i + 1; j < nf; j++) {
      snprintf(q, sizeof q, "%s OR %s", frequent[i], frequent[j]);
      same_top_only(q, ks[(i + j) % 4], (i * j) % 3 ? 0 : 7, &partial);
      snprintf(q, sizeof q, "%s OR %s OR %s", frequent[i], frequent[j], frequent[(i + j + 1) % nf]);
      same_top_only(q, ks[(i + 2 * j) % 4], i % 2 ? 0 : 5, &partial);
    }
  unsigned seed = 1820;
  for (int r = 0; r < 80; r++) {
    char a[64], b[64];
    if (!random_pair(&seed, a, b)) continue;
    snprintf(q, sizeof q, r % 2 ? "%s OR %s" : "%s OR %s OR 企业", a, b);
    same_top_only(q, 1 + (size_t)r % 12, (size_t)r % 3, &partial);
  }
  /* the pruning ran: some totals stopped early */
  cr_expect_gt(partial, 10);
}

/* With top_only a lone phrase (a word of 3+ characters is one: a chain of
 * bigrams) skips the regions whose terms' block bounds cannot enter and
 * reads positions and stored text only for candidates that can (topk.c,
 * phrase_may_enter): the same hits as --all, at several k and offsets. */
Test(generated, top_only_phrase_equals_exhaustive) {
  static const char *const frequent[] = {
      "高质量发展",     "科技局",  "财政局", "高新技术企业", "\"责任单位：市科技局\"",
      "\"最高不超过\"", "专项资金"};
  static const size_t ks[] = {1, 3, 10, 25};
  size_t partial = 0;
  for (size_t w = 0; w < sizeof frequent / sizeof *frequent; w++)
    for (size_t i = 0; i < sizeof ks / sizeof *ks; i++) {
      same_top_only(frequent[w], ks[i], 0, &partial);
      same_top_only(frequent[w], ks[i], 7, &partial);
    }
  unsigned seed = 1821;
  for (int r = 0; r < 150; r++) {
    char word[64];
    size_t unit;
    if (!oracle_random_word_len(&gor, &seed, 3, 6, word, sizeof word, &unit)) continue;
    same_top_only(word, 1 + (size_t)r % 12, (size_t)r % 3, &partial);
  }
  cr_expect_gt(partial, 10);
}

/* With top_only an AND with a phrase (a word of 3+ characters) or a
 * character among its words leapfrogs all the words' terms and reads
 * positions only for units whose bound can enter (topk_and.c): the same
 * hits as --all, at several k and offsets, on frequent and random words. */
Test(generated, top_only_and_equals_exhaustive) {
  static const char *const frequent[] = {"高质量发展", "科技局",        "财政局", "企业",
                                         "资金",       "专项资金",      "资",     "港",
                                         "支持",       "\"最高不超过\""};
  const size_t nf = sizeof frequent / sizeof *frequent;
  static const size_t ks[] = {1, 3, 10, 25};
  size_t partial = 0;
  char q[256];
  for (size_t i = 0; i < nf; i++)
    for (size_t j = i + 1; j < nf; j++) {
      snprintf(q, sizeof q, "%s %s", frequent[i], frequent[j]);
      same_top_only(q, ks[(i + j) % 4], (i * j) % 3 ? 0 : 7, &partial);
      snprintf(q, sizeof q, "%s %s %s", frequent[i], frequent[j], frequent[(i + j + 1) % nf]);
      same_top_only(q, ks[(i + 2 * j) % 4], i % 2 ? 0 : 5, &partial);
    }
  unsigned seed = 1822;
  for (int r = 0; r < 120; r++) {
    char a[64], b[64];
    size_t unit;
    if (!oracle_random_word_len(&gor, &seed, 3, 5, a, sizeof a, &unit) ||
        !oracle_random_word_len(&gor, &seed, 1, 3, b, sizeof b, &unit))
      continue;
    snprintf(q, sizeof q, r % 3 ? "%s %s" : "%s %s 企业", a, b);
    same_top_only(q, 1 + (size_t)r % 12, (size_t)r % 3, &partial);
  }
  /* the pruning ran: some totals stopped early */
  cr_expect_gt(partial, 10);
}

/* The count-only AND of terms intersects whole blocks (indexer/intersect.c)
 * instead of the leapfrog a scored search walks: both totals must agree,
 * on frequent pairs and triples (many blocks each) and random words. */
static size_t total_of(const char *q, bool count_only) {
  cdx_search_options o = {0};
  o.count_only = count_only;
  o.all = !count_only;
  o.no_highlights = 1;
  cdx_results *r = NULL;
  cdx_error err;
  cr_assert_eq(cdx_search(gix, q, &o, &r, &err), CDX_OK, "%s: %s", q, err.message);
  size_t n = cdx_results_total(r);
  if (!count_only) cr_assert_eq(cdx_results_count(r), n, "[%s] --all returns every match", q);
  cdx_results_free(r);
  return n;
}

Test(generated, count_only_and_equals_walk) {
  static const char *const frequent[] = {"企业", "发展", "支持", "项目", "资金", "政策", "服务"};
  const size_t nf = sizeof frequent / sizeof *frequent;
  size_t nonzero = 0;
  char q[256];
  for (size_t i = 0; i < nf; i++)
    for (size_t j = i + 1; j < nf; j++) {
      snprintf(q, sizeof q, "%s %s", frequent[i], frequent[j]);
      size_t n = total_of(q, true);
      cr_assert_eq(n, total_of(q, false), "[%s]", q);
      nonzero += n > 0;
      snprintf(q, sizeof q, "%s %s %s", frequent[i], frequent[j], frequent[(i + j + 1) % nf]);
      cr_assert_eq(total_of(q, true), total_of(q, false), "[%s]", q);
    }
  unsigned seed = 1818;
  for (int r = 0; r < 120; r++) {
    char a[64], b[64];
    if (!random_pair(&seed, a, b)) continue;
    snprintf(q, sizeof q, "%s %s %s", a, b, frequent[r % nf]);
    size_t n = total_of(q, true);
    cr_assert_eq(n, total_of(q, false), "[%s]", q);
    nonzero += n > 0;
  }
  cr_assert_gt(nonzero, 25, "most queries must match something");
}

/* no_stored: the same ranked hits and document fields, without the unit's
 * stored fields (no text read). */
Test(generated, ids_only_hits_match_full_hits) {
  static const char *const qs[] = {"企业", "企业 发展", "\"高质量 发展\"", "人才 OR 科技", "港"};
  for (size_t i = 0; i < sizeof qs / sizeof *qs; i++) {
    cdx_search_options full = {0}, ids = {0};
    ids.no_stored = 1;
    cdx_results *rf = NULL, *ri = NULL;
    cdx_error err;
    cr_assert_eq(cdx_search(gix, qs[i], &full, &rf, &err), CDX_OK, "%s", err.message);
    cr_assert_eq(cdx_search(gix, qs[i], &ids, &ri, &err), CDX_OK, "%s", err.message);
    cr_assert_eq(cdx_results_total(ri), cdx_results_total(rf));
    cr_assert_eq(cdx_results_count(ri), cdx_results_count(rf));
    for (size_t k = 0; k < cdx_results_count(ri); k++) {
      const cdx_hit *a = cdx_results_get(rf, k), *b = cdx_results_get(ri, k);
      cr_assert_str_eq(b->doc, a->doc);
      cr_assert_str_eq(b->title, a->title);
      cr_assert_eq(b->ordinal, a->ordinal);
      cr_assert_eq(b->kind, a->kind);
      cr_assert_eq(b->chapter, a->chapter);
      cr_assert_eq(b->score, a->score);
      cr_assert_null(b->text);
      cr_assert_eq(b->text_len, 0);
      cr_assert_eq(b->n_highlights, 0);
    }
    cdx_results_free(rf);
    cdx_results_free(ri);
  }
}
