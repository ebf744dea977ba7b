/* Every segment format version this build reads, from a committed index of
 * each (tests/indexer/segments/), opens, passes check and gives the same
 * search results and stored text. Each was written by the build named in
 * tests/indexer/segments/README from tests/indexer/segments/doc.txt (copied to
 * /tmp/cdx-fixture/doc.txt, its document id). */
#define _POSIX_C_SOURCE 200809L
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "clausedex.h"
#include "indexer/ix_internal.h"
#include "support/test_support.h"
#include "support/ix_paths.h"

typedef struct version_case {
  const char *dir;  /* under tests/indexer/segments/ */
  uint32_t version; /* in the segment's trailer */
  bool store_raw;   /* its store blocks are raw deflate */
} version_case;

static const version_case cases[] = {
    {"v1", 1, false},      {"v2", 2, false},    {"v3", 3, false},
    {"v4-zlib", 4, false}, {"v4-raw", 4, true}, {"v5", 5, true},
    {"v6", 6, true},       {"v7", 7, true},     {"v8", 8, true},
};

static void path_of(char *out, size_t cap, const char *dir, const char *file) {
  snprintf(out, cap, "%s/tests/indexer/segments/%s%s%s", CDX_SOURCE_DIR, dir, file ? "/" : "",
           file ? file : "");
}

static size_t count(const cdx_index *ix, const char *q) {
  cdx_search_options opt = {0};
  opt.count_only = 1;
  cdx_results *res;
  cdx_error err;
  cr_assert_eq(cdx_search(ix, q, &opt, &res, &err), CDX_OK, "%s: %s", q, err.message);
  size_t n = cdx_results_total(res);
  cdx_results_free(res);
  return n;
}

Test(versions, every_committed_version_reads_alike) {
  cr_assert_eq(sizeof cases / sizeof cases[0], CDX_SEG_VERSION + 1,
               "a new segment version needs its committed index here");
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    const version_case *c = &cases[i];
    char dir[4096], seg_path[4200];
    path_of(dir, sizeof dir, c->dir, NULL);
    path_of(seg_path, sizeof seg_path, c->dir, "seg-00000001.cdx");
    cdx_error err;
    cdx_seg seg;
    cr_assert_eq(ixp_seg_open(seg_path, true, &seg, &err), CDX_OK, "%s: %s", c->dir, err.message);
    cr_expect_eq(seg.version, c->version, "%s", c->dir);
    cr_expect_eq(seg.store_raw, c->store_raw, "%s: raw deflate blocks?", c->dir);
    cr_expect_eq(cdx_seg_check(&seg, &err), CDX_OK, "%s: %s", c->dir, err.message);
    cdx_seg_close(&seg);

    cr_expect_eq(cdx_index_check(dir, &err), CDX_OK, "%s: %s", c->dir, err.message);
    cdx_index *ix;
    cr_assert_eq(cdx_index_open(dir, &ix, &err), CDX_OK, "%s: %s", c->dir, err.message);
    cr_expect_eq(count(ix, "以旧换新"), 2, "%s", c->dir);
    cr_expect_eq(count(ix, "温州"), 1, "%s: the Traditional clause", c->dir);
    cr_expect_eq(count(ix, "局"), 3, "%s: a single character", c->dir);
    /* the stored text, inflated from its block */
    cdx_results *res;
    cr_assert_eq(cdx_search(ix, "200万元", NULL, &res, &err), CDX_OK, "%s", err.message);
    cr_assert_eq(cdx_results_count(res), 1, "%s", c->dir);
    const cdx_hit *h = cdx_results_get(res, 0);
    cr_expect(strstr(h->text, "对符合条件的项目给予补贴，最高不超过200万元"), "%s: %s", c->dir,
              h->text);
    cr_expect_str_eq(h->doc, "/tmp/cdx-fixture/doc.txt", "%s", c->dir);
    /* departments and figures: stored from version 6 on; older segments
     * have none and answer dept: by department words */
    if (c->version >= 6) {
      cr_expect_eq(h->n_figures, 1, "%s", c->dir);
      cr_expect_eq(h->n_departments, 2, "%s", c->dir);
      if (h->n_departments == 2) {
        cr_expect_str_eq(h->departments[0].canonical, "经济和信息化局");
        cr_expect_eq(h->departments[0].roles, CDX_ROLE_LISTED | CDX_ROLE_LEAD);
      }
      cr_expect_eq(count(ix, "amount:>=100万"), 1, "%s", c->dir);
      cr_expect_eq(count(ix, "amount:500"), 1, "%s", c->dir);
      cr_expect_eq(count(ix, "lead:经信局"), 1, "%s", c->dir);
    } else {
      cr_expect_eq(h->n_figures, 0, "%s", c->dir);
      cr_expect_eq(count(ix, "amount:>=100万"), 0, "%s", c->dir);
    }
    cr_expect_eq(count(ix, "dept:财政局"), 1, "%s", c->dir);
    cdx_results_free(res);
    cdx_index_close(ix);
  }
}

/* `optimize` rewrites an index of an older version in the current one, and
 * the departments it derives from the stored lists answer as a fresh index
 * does (the first listed leads; the fixture's figures come from the text). */
Test(versions, optimize_rewrites_an_old_version) {
  char *tmp = cdx_test_tmpdir();
  char src[4096], cmd[9000];
  path_of(src, sizeof src, "v5", NULL);
  snprintf(cmd, sizeof cmd, "cp -r '%s' '%s/ix'", src, tmp);
  cr_assert_eq(system(cmd), 0);
  char dir[4200];
  snprintf(dir, sizeof dir, "%s/ix", tmp);
  cdx_writer *w;
  cdx_error err;
  cr_assert_eq(cdx_writer_open(dir, NULL, &w, &err), CDX_OK, "%s", err.message);
  cr_assert_eq(cdx_writer_optimize(w, &err), CDX_OK, "%s", err.message);
  cdx_writer_close(w);
  cr_expect_eq(cdx_index_check(dir, &err), CDX_OK, "%s", err.message);
  cdx_index *ix;
  cr_assert_eq(cdx_index_open(dir, &ix, &err), CDX_OK, "%s", err.message);
  cr_expect(cdx_ix_segment_has_facts(ix, 0), "the optimized segment is version %u",
            (unsigned)ix->segs[0].seg.version);
  cr_expect_eq(count(ix, "amount:>=100万"), 1);
  cr_expect_eq(count(ix, "lead:经信局"), 1);
  cr_expect_eq(count(ix, "dept:财政局"), 1);
  cr_expect_eq(count(ix, "以旧换新"), 2);
  cdx_index_close(ix);
  cdx_test_rmtree(tmp);
  free(tmp);
}
