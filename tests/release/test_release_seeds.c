/* The acceptance scenario of issue 15 on the real seeds: 003, then 000,
 * then 001, then 002 and 004, as four batches through the CLI (so the
 * reports are the ones `clausedex index` prints and stores), then
 * --latest, families, show, log and changes. */
#define _POSIX_C_SOURCE 200809L
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "clausedex.h"
#include "release/report_internal.h"
#include "support/test_support.h"

static char *tmp, idx[4200];

static void cleanup(void) {
  if (tmp) cdx_test_rmtree(tmp);
  free(tmp);
  tmp = NULL;
}

/* Runs `clausedex index --report json` on the seeds named; returns the
 * report (malloc'ed). */
static char *index_batch(const char *a, const char *b) {
  const char *pa = cdx_test_seed_path(a);
  char pa_copy[4400];
  snprintf(pa_copy, sizeof pa_copy, "%s", pa);
  char *out = NULL;
  int st;
  if (b)
    st = cdx_test_cli(&out, "index -i '%s' --report json '%s' '%s' 2>/dev/null", idx, pa_copy,
                      cdx_test_seed_path(b));
  else st = cdx_test_cli(&out, "index -i '%s' --report json '%s' 2>/dev/null", idx, pa_copy);
  cr_assert_eq(st, 0, "index %s: exit %d", a, st);
  cr_assert_not_null(out);
  return out;
}

/* The "relations" object of the diff summary of `clausedex diff A B --json`,
 * as the report quotes it: "same":N,"changed":N (the first two counts). */
static void diff_counts(const char *a, const char *b, size_t *same, size_t *changed) {
  char *out = NULL;
  cr_assert_eq(cdx_test_cli(&out, "diff -i '%s' --json %s %s", idx, a, b), 0);
  const char *s = strstr(out, "\"type\":\"summary\"");
  cr_assert_not_null(s, "%s", out);
  const char *p = strstr(s, "\"same\":");
  const char *q = strstr(s, "\"changed\":");
  cr_assert(p && q);
  *same = strtoul(p + 7, NULL, 10);
  *changed = strtoul(q + 10, NULL, 10);
  free(out);
}

Test(release_seeds, four_batches, .fini = cleanup) {
  if (!cdx_test_seeds_dir()) return;
  tmp = cdx_test_tmpdir();
  snprintf(idx, sizeof idx, "%s/index", tmp);
  const char *const *s = cdx_test_seed_names;

  char *r1 = index_batch(s[3], NULL);
  cr_expect(strstr(r1, "\"new_families\":[{\"family\":\"330382:推动经济高质量发展若干政策\""), "%s",
            r1);
  free(r1);

  /* 000 is a new edition (2025) of 003's family */
  char *r2 = index_batch(s[0], NULL);
  cr_expect(strstr(r2, "\"new_families\":[]"), "%s", r2);
  const char *v = strstr(r2, "\"new_versions\":[{\"family\":\"330382:推动经济高质量发展若干政策\"");
  cr_assert_not_null(v, "%s", r2);
  cr_expect(strstr(v, "000_6221eb15cf98cb05.txt"));
  cr_expect(strstr(v, "\"kind\":\"edition\",\"transition\":\"2024 -> 2025\""), "%s", v);
  free(r2);

  /* 001 is the final of 000: 送审稿 -> final, counts as diff gives them */
  char *r3 = index_batch(s[1], NULL);
  v = strstr(r3, "\"new_versions\":[{");
  cr_assert_not_null(v, "%s", r3);
  cr_expect(strstr(v, "\"kind\":\"stage\",\"transition\":\"送审稿 -> final\""), "%s", v);
  const char *pred = strstr(v, "\"predecessor\":{\"doc\":");
  cr_assert_not_null(pred);
  cr_expect(strstr(pred, "000_6221eb15cf98cb05.txt") &&
                strstr(pred, "000_6221eb15cf98cb05.txt") < strstr(pred, "\"kind\""),
            "the predecessor is 000: %s", pred);
  size_t same, changed;
  diff_counts("000", "001", &same, &changed);
  char want[128];
  snprintf(want, sizeof want, "\"relations\":{\"same\":%zu,\"changed\":%zu,", same, changed);
  cr_expect(strstr(v, want), "%s not in %s", want, v);
  cr_expect_gt(changed, 0);
  free(r3);

  /* 002 and 004 are new families; 004 and 001 rest on 002 */
  char *r4 = index_batch(s[2], s[4]);
  cr_expect(strstr(r4, "\"family\":\"330300:推动经济高质量发展若干政策\""), "%s", r4);
  cr_expect(strstr(r4, "\"family\":\"330302:推动经济高质量发展若干政策\""), "%s", r4);
  cr_expect(strstr(r4, "\"new_versions\":[]"), "%s", r4);
  const char *links = strstr(r4, "\"links\":[");
  cr_assert_not_null(links);
  for (int k = 0; k < 2; k++) {
    const char *from = k ? s[4] : s[1];
    bool found = false;
    for (const char *l = strstr(links, "{\"from\":"); l && !found;
         l = strstr(l + 1, "{\"from\":")) {
      const char *end = strchr(l, '}');
      const char *f = strstr(l, from), *t = strstr(l, "\"to\":");
      found = f && f < end && t && strstr(t, s[2]) && strstr(t, s[2]) < end;
    }
    cr_expect(found, "%s based on 002: %s", from, links);
  }
  cr_expect(strstr(r4, "\"number\":\"温政发〔2025〕2号\",\"sources\":2"), "002 gets its 文号: %s",
            r4);
  free(r4);

  /* re-indexing an unchanged batch changes nothing */
  char *out = NULL;
  cr_expect_eq(cdx_test_cli(&out, "index -i '%s' '%s' 2>/dev/null", idx, cdx_test_seed_path(s[4])),
               0);
  cr_expect(strstr(out, "no changes"), "%s", out);
  free(out);

  /* --latest hides 000 and 003; one 乐清 family with three versions */
  cdx_index *ix;
  cdx_error err;
  cr_assert_eq(cdx_index_open(idx, &ix, &err), CDX_OK, "%s", err.message);
  size_t latest = 0;
  for (size_t i = 0; i < cdx_index_doc_count(ix); i++) {
    cdx_index_doc d;
    cr_assert_eq(cdx_index_doc_get(ix, i, &d, &err), CDX_OK);
    bool old = strstr(d.id, s[0]) || strstr(d.id, s[3]);
    cr_expect_eq(d.latest, !old, "%s", d.id);
    latest += d.latest != 0;
  }
  cr_expect_eq(latest, 3);
  cdx_families *fam;
  cr_assert_eq(cdx_families_collect(ix, &fam, &err), CDX_OK);
  cr_expect_eq(cdx_families_count(fam), 3);
  size_t ver;
  char p1[4400];
  snprintf(p1, sizeof p1, "%s", cdx_test_seed_path(s[1]));
  const cdx_family *lq = NULL;
  for (size_t i = 0; i < cdx_index_doc_count(ix); i++) {
    cdx_index_doc d;
    cr_assert_eq(cdx_index_doc_get(ix, i, &d, &err), CDX_OK);
    if (strstr(d.id, s[1])) lq = cdx_families_of(fam, d.id, &ver);
  }
  cr_assert_not_null(lq);
  cr_expect_eq(lq->n_versions, 3);
  cr_expect(strstr(lq->versions[0].id, s[3]) && strstr(lq->versions[1].id, s[0]) &&
                strstr(lq->versions[2].id, s[1]),
            "003 < 000 < 001");
  cdx_families_free(fam);
  cdx_index_close(ix);
  out = NULL;
  cr_expect_eq(cdx_test_cli(&out, "search -i '%s' --latest --all --json 经济", idx), 0);
  cr_expect_null(strstr(out, s[0]), "000 hidden by --latest");
  cr_expect_null(strstr(out, s[3]), "003 hidden by --latest");
  cr_expect(strstr(out, s[1]));
  free(out);

  out = NULL;
  cr_expect_eq(cdx_test_cli(&out, "families -i '%s' jurisdiction:乐清市", idx), 0);
  cr_expect(strstr(out, "330382:推动经济高质量发展若干政策  (3 versions)"), "%s", out);
  cr_expect_null(strstr(out, "330300"), "%s", out);
  free(out);

  out = NULL;
  cr_expect_eq(cdx_test_cli(&out, "show -i '%s' 002", idx), 0);
  cr_expect(strstr(out, "doc_number: 温政发〔2025〕2号 (inferred from 2 citing documents)"), "%s",
            out);
  cr_expect(strstr(out, "cited by: 001_47623e8f539df050.txt"), "%s", out);
  free(out);
  out = NULL;
  cr_expect_eq(cdx_test_cli(&out, "show -i '%s' '温政发[2025]2号'", idx), 0,
               "the inferred 文号 names 002");
  cr_expect(out && strstr(out, s[2]), "%s", out);
  free(out);
  out = NULL;
  cr_expect_eq(cdx_test_cli(&out, "show -i '%s' 004", idx), 0);
  cr_expect(strstr(out,
                   "based on: 《温州市推动经济高质量发展若干政策(2025年版)》 温政发〔2025〕2号 -> "
                   "002_cedcb2d41ec327f2.txt"),
            "%s", out);
  free(out);

  /* the log lists the four batches that changed something */
  out = NULL;
  cr_expect_eq(cdx_test_cli(&out, "log -i '%s'", idx), 0);
  size_t lines = 0;
  for (const char *p = out; (p = strchr(p, '\n')) != NULL; p++) lines++;
  cr_expect_eq(lines, 4, "%s", out);
  free(out);
  out = NULL;
  cr_expect_eq(cdx_test_cli(&out, "changes -i '%s' --since 3", idx), 0);
  cr_expect(strstr(out, "送审稿 -> final") && strstr(out, "330300"), "%s", out);
  cr_expect_null(strstr(out, "2024 -> 2025"), "batch 2 is before 3: %s", out);
  free(out);

  /* deleting a document reports it */
  out = NULL;
  cr_expect_eq(cdx_test_cli(&out, "delete -i '%s' '%s' 2>/dev/null", idx, cdx_test_seed_path(s[4])),
               0);
  cr_expect(strstr(out, "deleted      004_1993b54604d461c2.txt"), "%s", out);
  free(out);
}

/* A batch with more new versions than the report aligns or lists: those
 * past the first limit are listed with their transition but not compared
 * (relations null, "not compared" in Markdown), those past the second are
 * only counted ("omitted"); the summary line counts every one. */
Test(release_seeds, versions_past_the_limits_are_not_compared_or_listed, .fini = cleanup) {
  if (!cdx_test_seeds_dir()) return;
  tmp = cdx_test_tmpdir();
  snprintf(idx, sizeof idx, "%s/index", tmp);
  const char *const *s = cdx_test_seed_names;
  free(index_batch(s[0], NULL));
  cdx_index *before, *after;
  cdx_error err;
  cr_assert_eq(cdx_index_open(idx, &before, &err), CDX_OK, "%s", err.message);
  free(index_batch(s[1], NULL)); /* 001: a new stage of 000's policy */
  cr_assert_eq(cdx_index_open(idx, &after, &err), CDX_OK, "%s", err.message);
  /* {aligned, listed}: none aligned; both; aligned but none listed */
  static const rep_limits cases[] = {{0, 1000}, {1, 2}, {1, 0}};
  for (size_t c = 0; c < 3; c++) {
    cdx_report *r;
    cr_assert_eq(rep_compute(before, after, 2, &cases[c], &r, &err), CDX_OK, "%s", err.message);
    char *js, *md;
    size_t n;
    cr_assert_eq(cdx_report_render(r, CDX_REPORT_JSON, &js, &n, &err), CDX_OK);
    cr_assert_eq(cdx_report_render(r, CDX_REPORT_MD, &md, &n, &err), CDX_OK);
    cr_expect(strstr(js, "\"summary\":\"0 new families, 1 new version,"), "%s", js);
    const char *v = strstr(js, "\"new_versions\":[{");
    if (cases[c].max_listed == 0) {
      cr_expect(!v && strstr(js, "\"new_versions\":[]"), "%s", js);
      cr_expect(strstr(js, "\"omitted\":{\"new_versions\":1,\"links\":2}"), "%s", js);
      cr_expect(strstr(md, "... and 1 more, not listed"), "%s", md);
    } else {
      cr_assert_not_null(v, "%s", js);
      cr_expect(strstr(v, "\"transition\":\"送审稿 -> final\""), "%s", v);
      cr_expect(!strstr(js, "\"omitted\""), "%s", js);
      if (cases[c].max_compared == 0) {
        cr_expect(strstr(v, "\"relations\":null"), "%s", v);
        cr_expect(strstr(md, "not compared"), "%s", md);
      } else {
        cr_expect(strstr(v, "\"relations\":{\"same\":"), "%s", v);
        cr_expect(!strstr(md, "not compared"), "%s", md);
      }
    }
    cdx_free(js);
    cdx_free(md);
    cdx_report_free(r);
  }
  cdx_index_close(before);
  cdx_index_close(after);
}
