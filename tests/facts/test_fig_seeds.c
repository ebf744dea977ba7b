/* facts/: figures of the five real seed documents, read through the
 * document reader as the indexer will read them: concrete figures in
 * concrete clauses (the changed figures of issue #13 among them), and over
 * all seeds that spans are whole characters in order and that no figure
 * comes from a document number, a clause number or a year. */
#define _GNU_SOURCE /* memmem */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "clausedex/document.h"
#include "facts/figures.h"
#include "support/seed_doc.h"
#include "support/test_support.h"

/* The clause numbered `number` (its integer value), as text. */
static const char *clause(const cdx_document *doc, int number, size_t *len) {
  size_t tlen;
  const char *text = cdx_document_get_text(doc, &tlen);
  for (size_t u = 0; u < cdx_document_unit_count(doc); u++) {
    const cdx_unit_view *v = cdx_document_get_unit(doc, u);
    if (v->kind == CDX_UNIT_CLAUSE && v->number_value == number) {
      *len = v->end - v->start;
      return text + v->start;
    }
  }
  cr_assert_fail("no clause %d", number);
  return NULL;
}

/* The figure of text[0..len) right after `context` (the words that say what
 * it is, e.g. 耕地功能恢复), with its span as text in *spanned. */
static cdx_figure figure_after(const char *text, size_t len, const char *context, char *spanned,
                               size_t cap) {
  cdx_figure *f;
  size_t n;
  cdx_error err;
  cr_assert_eq(cdx_figures_extract(text, len, &f, &n, &err), CDX_OK, "%s", err.message);
  const char *at = memmem(text, len, context, strlen(context));
  cr_assert_not_null(at, "'%s' not in the clause", context);
  size_t pos = (size_t)(at - text) + strlen(context);
  for (size_t k = 0; k < n; k++) {
    if (f[k].start >= pos && f[k].start <= pos + 12) {
      cdx_figure r = f[k];
      snprintf(spanned, cap, "%.*s", (int)(r.end - r.start), text + r.start);
      free(f);
      return r;
    }
  }
  free(f);
  cr_assert_fail("no figure after '%s'", context);
  return (cdx_figure){0};
}

typedef struct want {
  int seed, clause;
  const char *context;
  cdx_figure_type type;
  cdx_figure_qual qual;
  double value;
  const char *unit, *kind, *span;
} want;

static void check(const want *w) {
  cdx_document *doc = cdx_test_read_seed_doc(w->seed);
  size_t len;
  const char *text = clause(doc, w->clause, &len);
  char spanned[128];
  cdx_figure f = figure_after(text, len, w->context, spanned, sizeof spanned);
  const char *name = cdx_test_seed_names[w->seed];
  cr_expect_eq(f.type, w->type, "%s (%d) %s: type %s", name, w->clause, w->context,
               cdx_figure_type_name(f.type));
  cr_expect_eq(f.qual, w->qual, "%s (%d) %s: qualifier %s", name, w->clause, w->context,
               cdx_figure_qual_name(f.qual));
  cr_expect_eq(f.lo, w->value, "%s (%d) %s: value %.17g", name, w->clause, w->context, f.lo);
  cr_expect_eq(f.hi, w->value, "%s (%d) %s: value %.17g", name, w->clause, w->context, f.hi);
  cr_expect_str_eq(f.unit, w->unit, "%s (%d) %s", name, w->clause, w->context);
  cr_expect_str_eq(f.kind, w->kind, "%s (%d) %s: kind", name, w->clause, w->context);
  cr_expect_str_eq(spanned, w->span, "%s (%d) %s: span", name, w->clause, w->context);
  cdx_document_free(doc);
}

#define M CDX_FIG_MONEY
#define P CDX_FIG_PERCENT
#define C CDX_FIG_COUNT
#define D CDX_FIG_DEADLINE

/* Read from the seed texts by hand; each line is a sentence of the clause. */
static const want s_wants[] = {
    /* 003 10. 按市专项补助资金给予一定比例的基础补助和增量补助，最高200万元 */
    {3, 10, "增量补助，", M, CDX_FIGQ_LE, 2000000, "元", "补贴", "最高200万元"},
    /* 003 44. 对企业短期出口信用保险保费给予不低于50%的补助经费 */
    {3, 44, "出口信用保险保费给予", P, CDX_FIGQ_GE, 50, "%", "补贴", "不低于50%"},
    /* 003 28. 按梯度给予5万元到10万元奖励 is a range; the first grant is 5万元 */
    {3, 28, "经认定，给予", M, CDX_FIGQ_EQ, 50000, "元", "奖励", "5万元"},
    /* issue #13's changed figures, 000 (送审稿) against 001 (final) */
    {0, 26, "推动政策性银行安排", M, CDX_FIGQ_EQ, 1500000000, "元", "贷款", "15亿元"},
    {1, 26, "推动政策性银行安排", M, CDX_FIGQ_EQ, 5000000000, "元", "贷款", "50亿元"},
    {0, 29, "。耕地功能恢复", C, CDX_FIGQ_EQ, 3000, "亩", "", "3000亩"},
    {1, 29, "。耕地功能恢复", C, CDX_FIGQ_EQ, 3400, "亩", "", "3400亩"},
    {0, 24, "推介重大项目", C, CDX_FIGQ_GE, 2, "个", "", "不少于2个"},
    {1, 24, "推介重大项目", C, CDX_FIGQ_GE, 1, "个", "", "不少于1个"},
    {0, 25, "能耗指标", D, CDX_FIGQ_LE, 231, "", "", "2月底前"},
    {1, 25, "能耗指标", D, CDX_FIGQ_LE, 331, "", "", "3月底前"},
    /* 000 (一) 新增高新技术企业75家以上 */
    {0, 1, "新增高新技术企业", C, CDX_FIGQ_GE, 75, "家", "目标", "75家以上"},
    /* 002 (Traditional): 新能源汽車最高補貼1.5萬元/輛 */
    {2, 12, "新能源汽車", M, CDX_FIGQ_LE, 15000, "元", "补贴", "最高補貼1.5萬元"},
};

Test(fig_seeds, figures_in_clauses) {
  for (size_t k = 0; k < sizeof s_wants / sizeof s_wants[0]; k++) check(&s_wants[k]);
}

/* 002 (Traditional) states its budget for 科技创新 in a chapter introduction. */
Test(fig_seeds, chapter_budget) {
  cdx_document *doc = cdx_test_read_seed_doc(2);
  size_t len;
  const char *text = cdx_document_get_text(doc, &len);
  char spanned[128];
  cdx_figure f = figure_after(text, len, "市財政預算安排資金", spanned, sizeof spanned);
  cr_expect_eq(f.type, CDX_FIG_MONEY);
  cr_expect_eq(f.lo, 2368000000.0, "%.17g", f.lo);
  cr_expect_str_eq(f.kind, "预算");
  cr_expect_str_eq(spanned, "23.68億元");
  cdx_document_free(doc);
}

/* [a, b) and [c, d) share a byte. */
static bool overlaps(size_t a, size_t b, size_t c, size_t d) { return a < d && c < b; }

Test(fig_seeds, spans_are_sound_and_skip_numbering) {
  size_t total = 0;
  for (int i = 0; i < 5; i++) {
    cdx_document *doc = cdx_test_read_seed_doc(i);
    const char *name = cdx_test_seed_names[i];
    size_t len;
    const char *text = cdx_document_get_text(doc, &len);
    cdx_figure *f;
    size_t n;
    cdx_error err;
    cr_assert_eq(cdx_figures_extract(text, len, &f, &n, &err), CDX_OK, "%s: %s", name, err.message);
    /* each seed states dozens of figures; a handful would mean a broken scan */
    cr_expect_gt(n, 60, "%s: only %zu figures", name, n);
    total += n;
    for (size_t k = 0; k < n; k++) {
      cr_assert_lt(f[k].start, f[k].end, "%s figure %zu", name, k);
      cr_assert_leq(f[k].end, len);
      if (k) cr_expect_leq(f[k - 1].end, f[k].start, "%s figures %zu, %zu overlap", name, k - 1, k);
      cr_expect(((unsigned char)text[f[k].start] & 0xC0) != 0x80,
                "%s: figure %zu starts mid-character", name, k);
      cr_expect(f[k].end == len || ((unsigned char)text[f[k].end] & 0xC0) != 0x80,
                "%s: figure %zu ends mid-character", name, k);
      /* never a year */
      cr_expect(!(f[k].type == CDX_FIG_COUNT && strcmp(f[k].unit, "年") == 0 && f[k].lo >= 1900),
                "%s: year as a figure at %zu", name, f[k].start);
      /* never a document number: 〔2025〕4号 */
      const char *p = text;
      while ((p = memmem(p, len - (size_t)(p - text), "〔", 3)) != NULL) {
        const char *e = memmem(p, len - (size_t)(p - text), "号", 3);
        const char *e2 = memmem(p, len - (size_t)(p - text), "號", 3);
        if (!e || (e2 && e2 < e)) e = e2;
        if (!e || e - p > 20) {
          p += 3;
          continue;
        }
        cr_expect(!overlaps(f[k].start, f[k].end, (size_t)(p - text), (size_t)(e - text) + 3),
                  "%s: figure from a document number at %zu", name, f[k].start);
        p = e;
      }
    }
    /* never a clause number: each unit's number where the unit begins */
    for (size_t u = 0; u < cdx_document_unit_count(doc); u++) {
      const cdx_unit_view *v = cdx_document_get_unit(doc, u);
      if (!v->number) continue;
      const char *at = memmem(text + v->start, v->end - v->start, v->number, strlen(v->number));
      cr_assert_not_null(at, "%s: unit number %s not in its unit", name, v->number);
      size_t a = (size_t)(at - text), b = a + strlen(v->number);
      for (size_t k = 0; k < n; k++)
        cr_expect(!overlaps(f[k].start, f[k].end, a, b), "%s: figure from clause number %s", name,
                  v->number);
    }
    free(f);
    cdx_document_free(doc);
  }
  cr_log_info("%zu figures over the five seeds", total);
}

/* What the clause aligner will do with these figures (issue #13): between
 * the 送审稿 (000) and the final text (001), clauses (二十六) and (二十九)
 * state the same measures in the same order, and exactly one value changed
 * in each: 15亿元 -> 50亿元, 3000亩 -> 3400亩. */
static void figures_of_clause(int seed, int number, cdx_figure **f, size_t *n) {
  cdx_document *doc = cdx_test_read_seed_doc(seed);
  size_t len;
  const char *text = clause(doc, number, &len);
  cdx_error err;
  cr_assert_eq(cdx_figures_extract(text, len, f, n, &err), CDX_OK, "%s", err.message);
  cdx_document_free(doc);
}

Test(fig_seeds, one_changed_figure_per_revised_clause) {
  static const struct {
    int clause;
    size_t changed;
    double before, after;
  } c[] = {{26, 2, 1500000000, 5000000000}, {29, 0, 3000, 3400}};
  for (size_t k = 0; k < sizeof c / sizeof c[0]; k++) {
    cdx_figure *a, *b;
    size_t na, nb;
    figures_of_clause(0, c[k].clause, &a, &na);
    figures_of_clause(1, c[k].clause, &b, &nb);
    cr_assert_eq(na, nb, "clause %d: %zu figures against %zu", c[k].clause, na, nb);
    for (size_t j = 0; j < na; j++) {
      cr_expect(cdx_figure_same_measure(&a[j], &b[j]), "clause %d figure %zu", c[k].clause, j);
      cr_expect_eq(cdx_figure_same_value(&a[j], &b[j]), j != c[k].changed, "clause %d figure %zu",
                   c[k].clause, j);
    }
    cr_expect_eq(a[c[k].changed].lo, c[k].before);
    cr_expect_eq(b[c[k].changed].lo, c[k].after);
    free(a);
    free(b);
  }
}
