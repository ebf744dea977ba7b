/*
 * Acceptance tests of cdx_search on a real index of the five seeds: the set
 * of matching units must EQUAL a brute-force scan of the folded unit texts,
 * for hundreds of random substrings (Traditional 002 included, searched in
 * Simplified form since the oracle draws from folded text), AND
 * combinations and filtered queries; jurisdiction/status/--latest
 * semantics; highlights; concurrent searches on one handle.
 */
#define _POSIX_C_SOURCE 200809L
#include <criterion/criterion.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "lexicon/gazetteer.h"
#include "indexer/ix_internal.h"
#include "query/oracle.h"
#include "support/test_support.h"
#include "support/ix_paths.h"

static char *idx_dir;
static cdx_index *ix;
static oracle orc;

static void setup(void) {
  idx_dir = oracle_open_seeds(&ix);
  if (!idx_dir) return;
  oracle_load(&orc, ix);
  cr_assert_gt(orc.n, 100, "the seeds have hundreds of units, got %zu", orc.n);
}

static void teardown(void) {
  oracle_free(&orc);
  cdx_index_close(ix);
  oracle_remove_seeds(idx_dir);
}

TestSuite(search, .init = setup, .fini = teardown);

typedef struct word_filter {
  const char *const *words;
  size_t n_words;
  uint32_t within; /* 0: no jurisdiction filter */
  bool drafts_only;
  bool latest;
} word_filter;

static bool matches(const oracle_unit *u, void *ctx) {
  const word_filter *f = ctx;
  for (size_t i = 0; i < f->n_words; i++)
    if (!oracle_contains(u->folded, u->folded_len, f->words[i])) return false;
  if (f->within && !(u->jurisdiction_code && cdx_gz_within(u->jurisdiction_code, f->within)))
    return false;
  if (f->drafts_only && u->status == CDX_STATUS_FINAL) return false;
  if (f->latest && !u->latest) return false;
  return true;
}

static void compare(const char *query, word_filter *f) {
  size_t ne, ng, total;
  char **want = oracle_select(&orc, matches, f, &ne);
  char **got = oracle_search(ix, query, f->latest, &ng, &total);
  cr_expect_eq(total, ng, "[%s]: total %zu but %zu hits with --all", query, total, ng);
  size_t i = 0, j = 0;
  while (i < ne || j < ng) {
    int c = i == ne ? 1 : j == ng ? -1 : strcmp(want[i], got[j]);
    if (c < 0) {
      cr_assert_fail("[%s]: missed %s (oracle %zu, search %zu)", query, want[i], ne, ng);
    }
    if (c > 0) { cr_assert_fail("[%s]: extra %s (oracle %zu, search %zu)", query, got[j], ne, ng); }
    i++;
    j++;
  }
  oracle_keys_free(want, ne);
  oracle_keys_free(got, ng);
}

Test(search, random_substrings_equal_brute_force) {
  if (!ix) return;
  unsigned seed = 12345;
  char w[256];
  int done = 0;
  for (int i = 0; i < 400; i++) {
    if (!oracle_random_word(&orc, &seed, w, sizeof w, NULL)) continue;
    const char *words[1] = {w};
    word_filter f = {words, 1, 0, false, false};
    compare(w, &f);
    done++;
  }
  cr_expect_gt(done, 300);
}

/* One to three characters: a single CJK character is found through every
 * term that starts with it (its bigrams, its unigram where a run ends), alone
 * and next to punctuation, digits or Latin letters (第1, A股 style words). */
Test(search, single_characters_equal_brute_force) {
  if (!ix) return;
  unsigned seed = 777;
  char w[256];
  int done = 0, singles = 0;
  for (int i = 0; i < 400; i++) {
    if (!oracle_random_word_len(&orc, &seed, 1, 3, w, sizeof w, NULL)) continue;
    const char *words[1] = {w};
    word_filter f = {words, 1, 0, false, false};
    compare(w, &f);
    done++;
    singles += strlen(w) == 3 && (unsigned char)w[0] >= 0xE4;
  }
  cr_expect_gt(done, 300);
  cr_expect_gt(singles, 50, "only %d single CJK characters drawn", singles);
  /* and as a quoted phrase, with each other */
  const char *pairs[][2] = {{"\"企\"", "企"}, {"\"局\"", "局"}, {"\"条\"", "条"}};
  for (size_t i = 0; i < sizeof pairs / sizeof pairs[0]; i++) {
    const char *words[1] = {pairs[i][1]};
    word_filter f = {words, 1, 0, false, false};
    compare(pairs[i][0], &f);
  }
}

/* A segment of format 1 (the fuzz corpus's, written when every character
 * had its unigram) in an index of its own: single characters must still be
 * found exactly, through the unigram instead of the prefix union. */
Test(old_format, version_1_segment_finds_single_characters) {
  char *dir = cdx_test_tmpdir();
  char src[4096], dst[4200];
  snprintf(src, sizeof src, "%s/fuzz/corpus/segment/multiblock_300units.cdx", CDX_SOURCE_DIR);
  size_t len;
  char *data = cdx_test_read(src, &len);
  cr_assert_not_null(data);
  cdx_seg seg;
  cdx_error err;
  cr_assert_eq(cdx_seg_open_buffer("v1.cdx", (const uint8_t *)data, len, true, &seg, &err), CDX_OK,
               "%s", err.message);
  cr_assert_eq(seg.version, 1);
  cdx_seg_info info = {1, seg.n_units, seg.n_docs, len, 0, 0};
  cdx_seg_close(&seg);
  snprintf(dst, sizeof dst, "%s/seg-00000001.cdx", dir);
  FILE *f = fopen(dst, "wb");
  cr_assert_not_null(f);
  cr_assert_eq(fwrite(data, 1, len, f), len);
  fclose(f);
  free(data);
  cdx_manifest m = {.generation = 1, .next_seg = 2, .n_segs = 1, .segs = &info};
  cr_assert_eq(ixp_man_write(dir, &m, &err), CDX_OK, "%s", err.message);
  cr_assert_eq(cdx_index_open(dir, &ix, &err), CDX_OK, "%s", err.message);
  cr_assert_not(cdx_ix_segment_char_by_prefix(ix, 0));
  oracle_load(&orc, ix);
  unsigned seed = 99;
  char w[64];
  int done = 0;
  for (int i = 0; i < 60; i++) {
    if (!oracle_random_word_len(&orc, &seed, 1, 2, w, sizeof w, NULL)) continue;
    const char *words[1] = {w};
    word_filter wf = {words, 1, 0, false, false};
    compare(w, &wf);
    done++;
  }
  cr_expect_gt(done, 40);
  oracle_free(&orc);
  cdx_index_close(ix);
  ix = NULL;
  cdx_test_rmtree(dir);
  free(dir);
}

Test(search, traditional_document_found_in_simplified) {
  if (!ix) return;
  /* Units of 002 (Traditional): words drawn from its folded text. */
  unsigned seed = 99;
  char w[256];
  int done = 0;
  for (int i = 0; i < 3000 && done < 150; i++) {
    size_t u;
    if (!oracle_random_word(&orc, &seed, w, sizeof w, &u)) continue;
    if (!strstr(orc.u[u].doc, "002_")) continue;
    const char *words[1] = {w};
    word_filter f = {words, 1, 0, false, false};
    compare(w, &f);
    done++;
  }
  cr_expect_gt(done, 50);
  const char *words[1] = {"责任单位"};
  word_filter f = {words, 1, 0, false, false};
  compare("責任單位", &f);
  compare("责任单位", &f);
}

Test(search, random_and_combinations) {
  if (!ix) return;
  unsigned seed = 777;
  char a[256], b[256], q[600];
  for (int i = 0; i < 150; i++) {
    size_t ua;
    if (!oracle_random_word(&orc, &seed, a, sizeof a, &ua)) continue;
    /* Half the time the second word comes from the same unit (non-empty). */
    if (i % 2 == 0) {
      if (!oracle_random_word(&orc, &seed, b, sizeof b, NULL)) continue;
    } else {
      oracle one = {&orc.u[ua], 1};
      if (!oracle_random_word(&one, &seed, b, sizeof b, NULL)) continue;
    }
    snprintf(q, sizeof q, "%s %s", a, b);
    const char *words[2] = {a, b};
    word_filter f = {words, 2, 0, false, false};
    compare(q, &f);
  }
}

Test(search, filtered_queries) {
  if (!ix) return;
  unsigned seed = 4242;
  char w[256], q[600];
  for (int i = 0; i < 120; i++) {
    if (!oracle_random_word(&orc, &seed, w, sizeof w, NULL)) continue;
    const char *words[1] = {w};
    word_filter f = {words, 1, 0, false, false};
    switch (i % 4) {
      case 0:
        snprintf(q, sizeof q, "%s jurisdiction:鹿城区", w);
        f.within = 330302;
        break;
      case 1:
        snprintf(q, sizeof q, "jurisdiction:溫州市 %s", w);
        f.within = 330300;
        break;
      case 2:
        snprintf(q, sizeof q, "%s status:draft", w);
        f.drafts_only = true;
        break;
      case 3:
        snprintf(q, sizeof q, "%s", w);
        f.latest = true;
        break;
    }
    compare(q, &f);
  }
}

/* Documents (by seed file prefix) among the hits of a query. */
static unsigned doc_mask(const char *query, int latest) {
  size_t n, total;
  char **k = oracle_search(ix, query, latest, &n, &total);
  unsigned mask = 0;
  for (size_t i = 0; i < n; i++)
    for (int d = 0; d < 5; d++) {
      char pfx[24];
      snprintf(pfx, sizeof pfx, "/00%d_", d);
      if (strstr(k[i], pfx)) mask |= 1u << d;
    }
  oracle_keys_free(k, n);
  return mask;
}

Test(search, jurisdiction_status_latest) {
  if (!ix) return;
  cr_expect_eq(doc_mask("发展 jurisdiction:温州市", 0), 0x1fu);
  cr_expect_eq(doc_mask("发展 jurisdiction:330300", 0), 0x1fu);
  cr_expect_eq(doc_mask("发展 jurisdiction:鹿城区", 0), 1u << 4);
  cr_expect_eq(doc_mask("发展 jurisdiction:乐清市", 0), 0x0bu);
  cr_expect_eq(doc_mask("发展 status:draft", 0), (1u << 0) | (1u << 3));
  cr_expect_eq(doc_mask("发展 status:送审稿", 0), 1u << 0);
  unsigned latest = doc_mask("发展", 1);
  cr_expect(!(latest & 1u), "000 (draft of 001) must be hidden by --latest");
  cr_expect(latest & (1u << 1));
  cr_expect(latest & (1u << 4));
  cr_expect_eq(doc_mask("doc:乐政发〔2025〕4号", 0), 1u << 1);
  cr_expect_eq(doc_mask("doc:温鹿政发〔2025〕29号 发展", 0), 1u << 4);
  cr_expect_eq(doc_mask("edition:2024", 0), 1u << 3);
  cr_expect_eq(doc_mask("edition:2024..2025 发展", 0), 0x1fu);
  cr_expect_eq(doc_mask("date:2025-03-01..2025-03-31", 0), 1u << 1);
  cr_expect_eq(doc_mask("date:2025-02", 0), 1u << 2);
  cr_expect_eq(doc_mask("chapter_lead:科技局 kind:chapter", 0), 0x1fu);
  cr_expect_eq(doc_mask("kind:closing OR kind:preamble", 0), 0x1fu);
}

static bool folded_in(const cdx_hit *h, size_t a, size_t b, const char *fq) {
  char *fs = NULL;
  size_t fsl;
  cdx_error err;
  cr_assert_eq(cdx_fold_text(h->text + a, b - a, &fs, &fsl, &err), CDX_OK);
  bool in = strstr(fq, fs) != NULL;
  cdx_free(fs);
  return in;
}

/* A highlight is a slice of the query, widened at either end to whole
 * figures of the hit (不低于50 -> 不低于50%): some [a', b') inside it, whose ends
 * move only within figures at its ends, folds to part of the query. */
static bool part_of_query(const cdx_hit *h, size_t a, size_t b, const char *fq) {
  if (folded_in(h, a, b, fq)) return true;
  size_t amax = a, bmin = b;
  for (size_t i = 0; i < h->n_figures; i++) {
    if (h->figures[i].start == a) amax = h->figures[i].end;
    if (h->figures[i].end == b) bmin = h->figures[i].start;
  }
  for (size_t x = a; x <= amax && x < b; x++)
    for (size_t y = b; y >= bmin && y > x; y--)
      if (((unsigned char)h->text[x] & 0xC0) != 0x80 &&
          (y == h->text_len || ((unsigned char)h->text[y] & 0xC0) != 0x80) &&
          folded_in(h, x, y, fq))
        return true;
  return false;
}

Test(search, highlights_slice_the_match) {
  if (!ix) return;
  unsigned seed = 31;
  char w[256];
  for (int i = 0; i < 100; i++) {
    if (!oracle_random_word(&orc, &seed, w, sizeof w, NULL)) continue;
    char *fq = NULL;
    size_t fql;
    cdx_error err;
    cr_assert_eq(cdx_fold_text(w, strlen(w), &fq, &fql, &err), CDX_OK);
    cdx_search_options opt = {0};
    opt.k = 5;
    cdx_results *r = NULL;
    cr_assert_eq(cdx_search(ix, w, &opt, &r, &err), CDX_OK, "%s", err.message);
    for (size_t k = 0; k < cdx_results_count(r); k++) {
      const cdx_hit *h = cdx_results_get(r, k);
      cr_expect_gt(h->n_highlights, 0, "[%s] hit %zu has no highlight", w, k);
      for (size_t j = 0; j < h->n_highlights; j++) {
        size_t a = h->highlights[j][0], b = h->highlights[j][1];
        cr_assert(a < b && b <= h->text_len);
        if (j) cr_assert_gt(a, h->highlights[j - 1][1] - 1);
        cr_expect(part_of_query(h, a, b, fq), "[%s]: highlight [%.*s] is not part of the query", w,
                  (int)(b - a), h->text + a);
      }
    }
    cdx_results_free(r);
    cdx_free(fq);
  }
}

Test(search, ranking_and_paging) {
  if (!ix) return;
  cdx_search_options opt = {0};
  opt.k = 5;
  cdx_results *r1 = NULL, *r2 = NULL;
  cdx_error err;
  cr_assert_eq(cdx_search(ix, "以旧换新 OR 人才", &opt, &r1, &err), CDX_OK, "%s", err.message);
  cr_assert_eq(cdx_results_count(r1), 5);
  for (size_t i = 1; i < 5; i++)
    cr_expect_geq(cdx_results_get(r1, i - 1)->score, cdx_results_get(r1, i)->score);
  opt.offset = 2;
  opt.k = 3;
  cr_assert_eq(cdx_search(ix, "以旧换新 OR 人才", &opt, &r2, &err), CDX_OK);
  cr_expect_eq(cdx_results_total(r1), cdx_results_total(r2));
  for (size_t i = 0; i < 3; i++) {
    const cdx_hit *a = cdx_results_get(r1, i + 2), *b = cdx_results_get(r2, i);
    cr_expect_str_eq(a->doc, b->doc);
    cr_expect_eq(a->ordinal, b->ordinal);
    cr_expect_eq(b->rank, i + 3);
  }
  cdx_results_free(r1);
  cdx_results_free(r2);
  opt = (cdx_search_options){0};
  opt.count_only = 1;
  cr_assert_eq(cdx_search(ix, "以旧换新", &opt, &r1, &err), CDX_OK);
  cr_expect_eq(cdx_results_count(r1), 0);
  cr_expect_gt(cdx_results_total(r1), 0);
  cdx_results_free(r1);
  /* The top k (where positions are skipped for units that cannot enter it)
   * is exactly the head of the full ranking. */
  static const char *const multi[] = {"企业 发展", "科技 创新 企业", "人才 OR 科技",
                                      "资金 -亿元 支持"};
  for (size_t q = 0; q < sizeof multi / sizeof multi[0]; q++) {
    cdx_search_options top = {0}, all = {0};
    top.k = 7;
    all.all = 1;
    cdx_results *rt = NULL, *ra = NULL;
    cr_assert_eq(cdx_search(ix, multi[q], &top, &rt, &err), CDX_OK);
    cr_assert_eq(cdx_search(ix, multi[q], &all, &ra, &err), CDX_OK);
    for (size_t i = 0; i < cdx_results_count(rt); i++) {
      const cdx_hit *a = cdx_results_get(rt, i), *b = cdx_results_get(ra, i);
      cr_expect(a->score == b->score && strcmp(a->doc, b->doc) == 0 && a->ordinal == b->ordinal,
                "[%s] rank %zu differs", multi[q], i + 1);
    }
    cdx_results_free(rt);
    cdx_results_free(ra);
  }
  /* Syntax errors come back with their offset. */
  cr_assert_eq(cdx_search(ix, "以旧换新 (港", &opt, &r1, &err), CDX_SYNTAX);
  cr_expect_eq(err.offset, 13);
  cr_assert_null(r1);
}

/* ---- Concurrency ---- */

static const char *const conc_queries[] = {
    "以旧换新",
    "人才 OR 科技",
    "发展 -人才",
    "\"高质量 发展\"",
    "责任单位 jurisdiction:鹿城区",
    "企业 status:draft",
    "港",
    "5G",
    "2025",
    "奖励 edition:2025",
};
#define N_CONC (sizeof conc_queries / sizeof conc_queries[0])
static size_t conc_total[N_CONC];
static char conc_first[N_CONC][512];

static void *conc_worker(void *arg) {
  (void)arg;
  for (int rep = 0; rep < 5; rep++)
    for (size_t q = 0; q < N_CONC; q++) {
      cdx_results *r = NULL;
      cdx_error err;
      cdx_search_options opt = {0};
      if (cdx_search(ix, conc_queries[q], &opt, &r, &err) != CDX_OK) return (void *)1;
      bool ok = cdx_results_total(r) == conc_total[q];
      const cdx_hit *h = cdx_results_get(r, 0);
      char first[512];
      snprintf(first, sizeof first, "%s#%d", h ? h->doc : "", h ? h->ordinal : -1);
      ok = ok && strcmp(first, conc_first[q]) == 0;
      cdx_results_free(r);
      if (!ok) return (void *)2;
    }
  return NULL;
}

Test(search, concurrent_threads_one_handle) {
  if (!ix) return;
  for (size_t q = 0; q < N_CONC; q++) {
    cdx_results *r = NULL;
    cdx_error err;
    cr_assert_eq(cdx_search(ix, conc_queries[q], NULL, &r, &err), CDX_OK, "[%s] %s",
                 conc_queries[q], err.message);
    conc_total[q] = cdx_results_total(r);
    const cdx_hit *h = cdx_results_get(r, 0);
    snprintf(conc_first[q], sizeof conc_first[q], "%s#%d", h ? h->doc : "", h ? h->ordinal : -1);
    cdx_results_free(r);
  }
  pthread_t t[8];
  for (int i = 0; i < 8; i++) cr_assert_eq(pthread_create(&t[i], NULL, conc_worker, NULL), 0);
  for (int i = 0; i < 8; i++) {
    void *res;
    pthread_join(t[i], &res);
    cr_expect_null(res, "thread %d: results differ from the single-threaded run", i);
  }
}

/* Words whose token chain also forms elsewhere (punctuation, spaces): the
 * index alone would over-match; verification against folded text must make
 * the result equal the brute-force scan. A small document built for it. */
static const char verify_doc[] =
    "测试市推动经济发展若干政策\n\n为推动经济，高质量发展，制定本政策。\n\n一、总体要求\n"
    "（一）推动经济、高质量发展。建设5G 基站100个。（责任单位：市科技局）\n"
    "（二）推动经济，高质量发展。建设5G基站200个。（责任单位：市发改局）\n"
    "（三）提高质，量并重。港口建设。\n";

Test(verify, token_chains_are_checked_against_text) {
  char *tmp = cdx_test_tmpdir();
  char path[4200], idx[4200];
  snprintf(path, sizeof path, "%s/verify.txt", tmp);
  snprintf(idx, sizeof idx, "%s/index", tmp);
  FILE *f = fopen(path, "wb");
  cr_assert_not_null(f);
  fwrite(verify_doc, 1, sizeof verify_doc - 1, f);
  fclose(f);
  cdx_writer *w = NULL;
  cdx_error err;
  cr_assert_eq(cdx_writer_open(idx, NULL, &w, &err), CDX_OK, "%s", err.message);
  cr_assert_eq(cdx_writer_add_file(w, path, NULL, NULL, &err), CDX_OK, "%s", err.message);
  cr_assert_eq(cdx_writer_commit(w, &err), CDX_OK, "%s", err.message);
  cdx_writer_close(w);
  cr_assert_eq(cdx_index_open(idx, &ix, &err), CDX_OK, "%s", err.message);
  oracle_load(&orc, ix);
  static const char *const words[] = {
      "经济，高质", "经济、高质", "济，高",   "济、高", "5G基站",
      "5g基站",     "G基站2",     "高质，量", "质，量", "推动经济，高质量发展",
      "经济,高质",  "站100个",    "溫州",     "港"};
  for (size_t i = 0; i < sizeof words / sizeof words[0]; i++) {
    char *fw = NULL;
    size_t fl;
    cr_assert_eq(cdx_fold_text(words[i], strlen(words[i]), &fw, &fl, &err), CDX_OK);
    const char *ws[1] = {fw};
    word_filter flt = {ws, 1, 0, false, false};
    if (strcmp(words[i], "G基站2") != 0) compare(words[i], &flt); /* G cuts the token 5g */
    cdx_free(fw);
  }
  size_t n, total;
  char **k = oracle_search(ix, "经济，高质", 0, &n, &total);
  cr_expect_eq(n, 2, "preamble and (二) have 经济，高质; (一) has 经济、高质");
  oracle_keys_free(k, n);
  k = oracle_search(ix, "\"5G 基站\"", 0, &n, &total);
  cr_expect_eq(n, 2, "a space in a phrase matches any white space or none");
  oracle_keys_free(k, n);
  k = oracle_search(ix, "dept:科技局", 0, &n, &total);
  cr_expect_eq(n, 1);
  oracle_keys_free(k, n);
  /* Exclusion and union need the confirmed answer too: (一) has only
   * 经济、高质, whose tokens equal those of 经济，高质. */
  k = oracle_search(ix, "推动 -经济，高质", 0, &n, &total);
  cr_expect_eq(n, 1, "only (一) has 推动 without 经济，高质");
  oracle_keys_free(k, n);
  k = oracle_search(ix, "经济，高质 OR 港口", 0, &n, &total);
  cr_expect_eq(n, 3, "preamble, (二) and (三)");
  oracle_keys_free(k, n);
  oracle_free(&orc);
  memset(&orc, 0, sizeof orc);
  cdx_index_close(ix);
  ix = NULL;
  cdx_test_rmtree(tmp);
  free(tmp);
}

/* Deleted documents never appear, and an open index keeps its snapshot
 * while a writer commits. */
Test(snapshot, deletes_and_concurrent_commit) {
  char *dir = oracle_index_seeds();
  if (!dir) return;
  cdx_error err;
  cdx_index *before = NULL, *after = NULL;
  cr_assert_eq(cdx_index_open(dir, &before, &err), CDX_OK, "%s", err.message);
  size_t n0, t0, n1, t1, n2, t2;
  char **k0 = oracle_search(before, "发展", 0, &n0, &t0);
  cdx_writer *w = NULL;
  cr_assert_eq(cdx_writer_open(dir, NULL, &w, &err), CDX_OK, "%s", err.message);
  char path[4600];
  snprintf(path, sizeof path, "%s/%s", cdx_test_seeds_dir(), cdx_test_seed_names[4]);
  cr_assert_eq(cdx_writer_delete(w, path, &err), CDX_OK, "%s", err.message);
  cr_assert_eq(cdx_writer_commit(w, &err), CDX_OK, "%s", err.message);
  cdx_writer_close(w);
  /* The old handle still answers from its commit. */
  char **k1 = oracle_search(before, "发展", 0, &n1, &t1);
  cr_expect_eq(n1, n0);
  cr_assert_eq(cdx_index_open(dir, &after, &err), CDX_OK, "%s", err.message);
  char **k2 = oracle_search(after, "发展", 0, &n2, &t2);
  cr_expect_lt(n2, n0);
  for (size_t i = 0; i < n2; i++)
    cr_expect(strstr(k2[i], "/004_") == NULL, "deleted doc in %s", k2[i]);
  size_t with004 = 0;
  for (size_t i = 0; i < n0; i++) with004 += strstr(k0[i], "/004_") != NULL;
  cr_expect_eq(n2, n0 - with004);
  oracle_keys_free(k0, n0);
  oracle_keys_free(k1, n1);
  oracle_keys_free(k2, n2);
  cdx_results *r = NULL;
  cr_expect_eq(cdx_search(after, "发展 ，", NULL, &r, &err), CDX_SYNTAX);
  cr_expect_eq(err.offset, 7);
  cdx_index_close(before);
  cdx_index_close(after);
  oracle_remove_seeds(dir);
}
