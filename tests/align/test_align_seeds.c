/* The aligner, similar and coverage on the five real seeds, and the CLI. */
#define _POSIX_C_SOURCE 200809L
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "align/align_helpers.h"
#include "query/oracle.h"
#include "support/test_support.h"

static char *seed_dir;
static cdx_index *seed_ix;

static bool open_seeds(void) {
  if (!seed_dir) {
    seed_dir = oracle_index_seeds();
    if (!seed_dir) return false;
  }
  cdx_error err;
  cr_assert_eq(cdx_index_open(seed_dir, &seed_ix, &err), CDX_OK, "%s", err.message);
  return true;
}

static void close_seeds(void) {
  cdx_index_close(seed_ix);
  seed_ix = NULL;
  if (seed_dir) {
    *strrchr(seed_dir, '/') = '\0';
    cdx_test_rmtree(seed_dir);
    free(seed_dir);
    seed_dir = NULL;
  }
}

static cdx_alignment *align_seeds(const char *a, const char *b) {
  cdx_alignment *al = NULL;
  cdx_error err;
  cr_assert_eq(cdx_align_documents(seed_ix, a, b, NULL, &al, &err), CDX_OK, "%s", err.message);
  al_check_edits(al);
  return al;
}

/* The first figure change of a pair whose values contain these texts. */
static bool has_figure(const cdx_align_pair *p, const char *from, const char *to) {
  for (size_t i = 0; i < p->n_figures; i++)
    if (p->figures[i].a && p->figures[i].b && strstr(p->figures[i].a, from) &&
        strstr(p->figures[i].b, to))
      return true;
  return false;
}

Test(align_seeds, draft_against_final_pairs_every_clause, .fini = close_seeds) {
  if (!open_seeds()) return;
  cdx_alignment *al = align_seeds("000_6221eb15cf98cb05.txt", "乐政发〔2025〕4号");
  size_t clauses = 0, chapters = 0;
  for (size_t i = 0; i < cdx_alignment_count(al); i++) {
    const cdx_align_pair *p = cdx_alignment_get(al, i);
    cr_assert(p->a && p->b, "pair %zu is %s", i, cdx_relation_name(p->relation));
    cr_expect_eq(p->a->kind, p->b->kind);
    /* The draft and the final number their clauses alike (（十） and (十)). */
    cr_expect_eq(p->a->ordinal, p->b->ordinal, "%s paired with %s", p->a->heading, p->b->heading);
    clauses += p->a->kind == CDX_UNIT_CLAUSE;
    chapters += p->a->kind == CDX_UNIT_CHAPTER;
    cr_expect(p->relation == CDX_REL_SAME || p->relation == CDX_REL_CHANGED, "%s",
              cdx_relation_name(p->relation));
  }
  cr_expect_eq(clauses, 37);
  cr_expect_eq(chapters, 8);
  const cdx_align_pair *p10 = al_pair_by_number(al, 0, "（十）");
  cr_assert_not_null(p10);
  cr_expect_eq(p10->relation, CDX_REL_CHANGED);
  cr_expect_str_eq(p10->b->heading, "更大力度支持消费品以旧换新");
  const cdx_align_pair *p26 = al_pair_by_number(al, 0, "（二十六）");
  cr_assert_not_null(p26);
  cr_expect(has_figure(p26, "15亿元", "50亿元"));
  const cdx_align_pair *p29 = al_pair_by_number(al, 0, "（二十九）");
  cr_assert_not_null(p29);
  cr_expect(has_figure(p29, "3000亩", "3400亩"));
  /* (五) is word for word the same in both. */
  const cdx_align_pair *p5 = al_pair_by_number(al, 0, "（五）");
  cr_assert_not_null(p5);
  cr_expect_eq(p5->relation, CDX_REL_SAME);
  cdx_alignment_free(al);
}

/* Folded, an edit's deleted and inserted texts always differ: Traditional
 * against Simplified is never a change. */
static void expect_no_script_changes(const cdx_alignment *al) {
  for (size_t i = 0; i < cdx_alignment_count(al); i++) {
    const cdx_align_pair *p = cdx_alignment_get(al, i);
    for (size_t k = 0; k + 1 < p->n_edits; k++) {
      const cdx_edit *d = &p->edits[k], *n = &p->edits[k + 1];
      if (d->op != CDX_EDIT_DELETE || n->op != CDX_EDIT_INSERT) continue;
      char *fa = NULL, *fb = NULL;
      cdx_error err;
      cr_assert_eq(cdx_fold_text(p->a->text + d->a_start, d->a_end - d->a_start, &fa, NULL, &err),
                   CDX_OK);
      cr_assert_eq(cdx_fold_text(p->b->text + n->b_start, n->b_end - n->b_start, &fb, NULL, &err),
                   CDX_OK);
      cr_expect_str_neq(fa, fb, "pair %zu: '%s' -> '%s' is no change", i, fa, fb);
      cdx_free(fa);
      cdx_free(fb);
    }
  }
}

Test(align_seeds, city_against_county_finds_adoptions_and_merges, .fini = close_seeds) {
  if (!open_seeds()) return;
  cdx_alignment *al = align_seeds("002_cedcb2d41ec327f2.txt", "001");
  expect_no_script_changes(al);
  /* City (十七)(十八)(二十四) became 乐清's (十五). */
  const cdx_align_pair *m[3] = {al_pair_by_number(al, 0, "（十七）"),
                                al_pair_by_number(al, 0, "（十八）"),
                                al_pair_by_number(al, 0, "（二十四）")};
  for (int i = 0; i < 3; i++) {
    cr_assert_not_null(m[i]);
    cr_expect_eq(m[i]->relation, CDX_REL_MERGED, "%d: %s", i, cdx_relation_name(m[i]->relation));
    cr_assert_not_null(m[i]->b);
    cr_expect_str_eq(m[i]->b->number, "(十五)");
    cr_expect_eq(m[i]->group, m[0]->group);
  }
  /* Adopted with another number: city (十二) is 乐清's (十). */
  const cdx_align_pair *p = al_pair_by_number(al, 0, "（十二）");
  cr_assert(p && p->b);
  cr_expect_str_eq(p->b->number, "(十)");
  /* Left out by the county. */
  const cdx_align_pair *r = al_pair_by_number(al, 0, "（三十七）");
  cr_assert_not_null(r);
  cr_expect_eq(r->relation, CDX_REL_REMOVED);
  cdx_alignment_free(al);
  al = align_seeds("002", "004");
  expect_no_script_changes(al);
  p = al_pair_by_number(al, 0, "（十二）");
  cr_assert(p && p->b);
  cr_expect_str_eq(p->b->number, "(十一)");
  cdx_alignment_free(al);
}

Test(align_seeds, similar_finds_the_county_versions_first, .fini = close_seeds) {
  if (!open_seeds()) return;
  cdx_similar_results *r = NULL;
  cdx_error err;
  cdx_similar_options o = {.k = 5};
  cr_assert_eq(cdx_similar(seed_ix, "002#（十二）", NULL, 0, &o, &r, &err), CDX_OK, "%s",
               err.message);
  cr_assert_geq(cdx_similar_count(r), 2);
  bool saw001 = false, saw004 = false;
  for (size_t i = 0; i < 2; i++) {
    const cdx_hit *h = cdx_similar_get(r, i)->hit;
    saw001 |= strstr(h->doc, "001_") && strcmp(h->number, "(十)") == 0;
    saw004 |= strstr(h->doc, "004_") && strcmp(h->number, "(十一)") == 0;
  }
  cr_expect(saw001 && saw004);
  for (size_t i = 1; i < cdx_similar_count(r); i++)
    cr_expect_geq(cdx_similar_get(r, i - 1)->similarity, cdx_similar_get(r, i)->similarity);
  cr_expect(strstr(cdx_similar_source(r)->doc, "002_") != NULL);
  cdx_similar_free(r);
  /* Filters narrow it: only 鹿城区 (004). */
  o.filter = "jurisdiction:鹿城区";
  cr_assert_eq(cdx_similar(seed_ix, "002#（十二）", NULL, 0, &o, &r, &err), CDX_OK, "%s",
               err.message);
  cr_assert_geq(cdx_similar_count(r), 1);
  for (size_t i = 0; i < cdx_similar_count(r); i++)
    cr_expect(strstr(cdx_similar_get(r, i)->hit->doc, "004_"));
  cdx_similar_free(r);
  /* A text finds the clause it comes from. */
  const char *t = "用好用足消费品以旧换新国债资金";
  o.filter = "status:final";
  cr_assert_eq(cdx_similar(seed_ix, NULL, t, strlen(t), &o, &r, &err), CDX_OK, "%s", err.message);
  cr_assert_geq(cdx_similar_count(r), 1);
  cr_expect_eq(cdx_similar_get(r, 0)->similarity, 1.0);
  cdx_similar_free(r);
  /* Bad input. */
  cr_expect_eq(cdx_similar(seed_ix, "002", NULL, 0, &o, &r, &err), CDX_INVALID);
  cr_expect_eq(cdx_similar(seed_ix, "nosuch#1", NULL, 0, &o, &r, &err), CDX_NOTFOUND);
  cr_expect_eq(cdx_similar(seed_ix, "002#（九十九）", NULL, 0, &o, &r, &err), CDX_NOTFOUND);
  o.filter = "jurisdiction:";
  cr_expect_eq(cdx_similar(seed_ix, "002#1", NULL, 0, &o, &r, &err), CDX_SYNTAX);
  cr_expect_eq(err.offset, 13);
  cr_expect_null(r);
}

/* A document replaced in the index (as `index` does with a repaired file)
 * counts twice in the term statistics until a merge: the words only it has
 * must still not make the candidate query. */
Test(align_seeds, similar_after_a_document_is_replaced, .fini = close_seeds) {
  if (!open_seeds()) return;
  cdx_index_close(seed_ix);
  seed_ix = NULL;
  cdx_writer *w = NULL;
  cdx_error err;
  cr_assert_eq(cdx_writer_open(seed_dir, NULL, &w, &err), CDX_OK, "%s", err.message);
  const char *p = cdx_test_seed_path("002_cedcb2d41ec327f2.txt");
  cr_assert_not_null(p);
  cr_assert_eq(cdx_writer_delete(w, p, &err), CDX_OK, "%s", err.message);
  cr_assert_eq(cdx_writer_commit(w, &err), CDX_OK, "%s", err.message);
  cr_assert_eq(cdx_writer_add_file(w, p, NULL, NULL, &err), CDX_OK, "%s", err.message);
  cr_assert_eq(cdx_writer_commit(w, &err), CDX_OK, "%s", err.message);
  cdx_writer_close(w);
  cr_assert_eq(cdx_index_open(seed_dir, &seed_ix, &err), CDX_OK, "%s", err.message);
  cdx_index_stats st;
  cdx_index_get_stats(seed_ix, &st);
  cr_assert_gt(st.deleted_units, 0, "the old 002 must still be in the term statistics");
  cdx_similar_results *r = NULL;
  cdx_similar_options o = {.k = 3};
  cr_assert_eq(cdx_similar(seed_ix, "002#（十二）", NULL, 0, &o, &r, &err), CDX_OK, "%s",
               err.message);
  cr_assert_geq(cdx_similar_count(r), 2);
  cr_expect(strstr(cdx_similar_get(r, 0)->hit->doc, "001_") ||
            strstr(cdx_similar_get(r, 0)->hit->doc, "004_"));
  cdx_similar_free(r);
}

Test(align_seeds, coverage_of_the_city_policy, .fini = close_seeds) {
  if (!open_seeds()) return;
  cdx_coverage *cv = NULL;
  cdx_error err;
  cr_assert_eq(cdx_coverage_compute(seed_ix, "002", "温州市", NULL, &cv, &err), CDX_OK, "%s",
               err.message);
  const char *const *names = NULL;
  size_t nj = cdx_coverage_jurisdictions(cv, &names);
  cr_assert_eq(nj, 2);
  bool yq = false, lc = false;
  for (size_t j = 0; j < nj; j++) {
    yq |= strcmp(names[j], "乐清市") == 0;
    lc |= strcmp(names[j], "鹿城区") == 0;
  }
  cr_expect(yq && lc);
  cr_expect_eq(cdx_coverage_count(cv), 45);
  size_t both = 0;
  for (size_t i = 0; i < cdx_coverage_count(cv); i++) {
    const cdx_coverage_row *row = cdx_coverage_get(cv, i);
    cr_expect_eq(row->n_matches + row->n_missing, 2);
    both += row->n_matches == 2;
    if (row->unit->number && strcmp(row->unit->number, "（十二）") == 0)
      cr_expect_eq(row->n_matches, 2);
    for (size_t m = 0; m < row->n_matches; m++)
      cr_expect_eq(row->matches[m].pair->a->ordinal, row->unit->ordinal);
  }
  cr_expect_gt(both, 20);
  cdx_coverage_free(cv);
  cr_expect_eq(cdx_coverage_compute(seed_ix, "002", "火星", NULL, &cv, &err), CDX_NOTFOUND);
  cr_expect_eq(cdx_coverage_compute(seed_ix, "002", "朝阳区", NULL, &cv, &err), CDX_INVALID);
}

Test(align_seeds, cli_diff_and_errors, .fini = close_seeds) {
  if (!open_seeds()) return;
  char *out = NULL;
  cr_expect_eq(cdx_test_cli(&out, "diff -i '%s' --color=never 000 001", seed_dir), 0);
  cr_expect(strstr(out, "[-加力扩围-]{+更大力度支持+}") != NULL);
  cr_expect(strstr(out, "15亿元 -> 50亿元") != NULL);
  free(out);
  cr_expect_eq(cdx_test_cli(&out, "diff -i '%s' --json 000 001", seed_dir), 0);
  size_t lines = 0;
  for (char *l = out, *e; l && *l; l = e ? e + 1 : NULL) {
    e = strchr(l, '\n');
    cr_expect(strncmp(l, "{\"type\":\"", 9) == 0, "line %zu: %.60s", lines, l);
    lines++;
  }
  cr_expect_eq(lines, 48 + 2);
  free(out);
  cr_expect_eq(cdx_test_cli(&out, "diff -i '%s' --only removed,added --stat 002 001", seed_dir), 0);
  cr_expect(strstr(out, "pairs:") != NULL);
  free(out);
  cr_expect_eq(cdx_test_cli(&out, "diff -i '%s' --format md 000 001", seed_dir), 0);
  cr_expect(strstr(out, "| 关系 | A | B |") != NULL);
  cr_expect(strstr(out, "~~加力扩围~~**更大力度支持**") != NULL);
  free(out);
  cr_expect_eq(cdx_test_cli(&out, "diff -i '%s' 000 000 2>&1", seed_dir), 2);
  cr_expect(strstr(out, "same document") != NULL);
  free(out);
  cr_expect_eq(cdx_test_cli(&out, "diff -i '%s' 000 nosuch 2>&1", seed_dir), 2);
  cr_expect(strstr(out, "no document 'nosuch'") != NULL);
  free(out);
  cr_expect_eq(cdx_test_cli(&out, "diff -i '%s' 00 001 2>&1", seed_dir), 2);
  cr_expect(strstr(out, "names 5 documents") != NULL);
  free(out);
  cr_expect_eq(cdx_test_cli(&out, "diff -i '%s' --exit-code 000 001", seed_dir), 0);
  free(out);
  cr_expect_eq(cdx_test_cli(&out, "diff -i '%s' --color=blue 000 001 2>&1", seed_dir), 2);
  free(out);
  cr_expect_eq(
      cdx_test_cli(&out, "similar -i '%s' '002#（十二）' jurisdiction:乐清市 --json", seed_dir), 0);
  cr_expect(strstr(out, "{\"type\":\"match\",\"similarity\":") == out);
  free(out);
  cr_expect_eq(cdx_test_cli(&out, "coverage -i '%s' 002 --under 温州市", seed_dir), 0);
  cr_expect(strstr(out, "乐清市") && strstr(out, "鹿城区"));
  free(out);
  cr_expect_eq(cdx_test_cli(&out, "coverage -i '%s' 002 2>&1", seed_dir), 2);
  free(out);
}
