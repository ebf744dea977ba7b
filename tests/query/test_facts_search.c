/* Fact filters, facets and sorting over an index of the seeds, each held to
 * an answer found another way: the responsible units as written (not their
 * canonical names), the sums of money found by a scan of the stored text
 * written here (not the figure extractor), the document counts checked by
 * hand (issue 14). And the errors of bad values, on an empty index exactly
 * as on a populated one. */
#define _POSIX_C_SOURCE 200809L
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "clausedex.h"
#include "facts/figures.h"
#include "indexer/index_reader.h"
#include "oracle.h"
#include "support/test_support.h"

static char *dir;
static cdx_index *ix;

static void setup(void) { dir = oracle_open_seeds(&ix); }

static void teardown(void) {
  if (ix) cdx_index_close(ix);
  ix = NULL;
  oracle_remove_seeds(dir);
  dir = NULL;
}

TestSuite(facts_search, .init = setup, .fini = teardown);

static cdx_results *all(const char *q) {
  cdx_search_options opt = {0};
  opt.all = 1;
  cdx_results *r = NULL;
  cdx_error err;
  cr_assert_eq(cdx_search(ix, q, &opt, &r, &err), CDX_OK, "%s: %s", q, err.message);
  return r;
}

/* "doc#ordinal" keys of a hit list, sorted, for set comparison. */
typedef struct keys {
  char **k;
  size_t n, cap;
} keys;
static void keys_add(keys *s, const cdx_hit *h) {
  if (s->n == s->cap) {
    s->cap = s->cap ? s->cap * 2 : 64;
    s->k = realloc(s->k, s->cap * sizeof *s->k);
  }
  char buf[4200];
  snprintf(buf, sizeof buf, "%s#%d", h->doc, h->ordinal);
  s->k[s->n++] = strdup(buf);
}
static int cmp_str(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}
static void keys_sort(keys *s) {
  if (s->n) qsort(s->k, s->n, sizeof *s->k, cmp_str);
}
static void keys_free(keys *s) {
  for (size_t i = 0; i < s->n; i++) free(s->k[i]);
  free(s->k);
}
static keys hit_keys(const char *q) {
  keys s = {0};
  cdx_results *r = all(q);
  for (size_t i = 0; i < cdx_results_count(r); i++) keys_add(&s, cdx_results_get(r, i));
  cdx_results_free(r);
  keys_sort(&s);
  return s;
}
static void expect_same(const char *q, keys *want) {
  keys got = hit_keys(q);
  keys_sort(want);
  cr_expect_eq(got.n, want->n, "%s: %zu hits, %zu expected", q, got.n, want->n);
  for (size_t i = 0, j = 0; i < got.n || j < want->n;) {
    int c = i == got.n ? 1 : j == want->n ? -1 : strcmp(got.k[i], want->k[j]);
    if (c < 0) cr_expect_fail("%s: extra hit %s", q, got.k[i++]);
    else if (c > 0) cr_expect_fail("%s: missing %s", q, want->k[j++]);
    else i++, j++;
  }
  keys_free(&got);
}

/* ---- departments: as written ---- */

typedef struct written_ctx {
  const char *const *spellings;
  keys listed, leads;
} written_ctx;
static bool is_spelling(const char *w, const char *const *sp) {
  for (; *sp; sp++)
    if (strcmp(w, *sp) == 0) return true;
  return false;
}
static void by_written(const cdx_index_doc *d, const cdx_hit *h, void *vctx) {
  written_ctx *c = vctx;
  for (size_t r = 0; r < h->n_responsible; r++)
    if (is_spelling(h->responsible[r], c->spellings)) {
      keys_add(&c->listed, h);
      if (r == 0) keys_add(&c->leads, h);
      break;
    }
}

/* Every way the seeds write the PBoC branch (grep -o '[^、：]*人行[^、）]*'),
 * and 乐清's 财政局 and 发改局. */
static const char *const pboc[] = {"市人行", "人行乐清营管部", "人行溫州市分行", NULL};
static const char *const finance[] = {"市财政局", NULL};
static const char *const ndrc[] = {"市发改局", NULL};

Test(facts_search, dept_and_lead_are_the_units_that_list_them) {
  if (!ix) return;
  written_ctx c = {pboc, {0}, {0}};
  oracle_each_unit(ix, by_written, &c);
  cr_expect_eq(c.listed.n, 23, "6 + 6 + 6 + 5 units list the PBoC in 000, 001, 002, 003");
  expect_same("dept:市人行", &c.listed);
  expect_same("dept:人民银行", &c.listed);
  expect_same("dept:人行乐清营管部", &c.listed); /* the place in the name is taken off */
  keys reg = hit_keys("dept:金融监管局");
  cr_expect_gt(reg.n, 10);
  expect_same("dept:国家金融监督管理总局乐清监管支局", &reg);
  keys_free(&reg);
  expect_same("lead:市人行", &c.leads);
  keys_free(&c.listed);
  keys_free(&c.leads);
}

Test(facts_search, counts_of_001_checked_by_hand) {
  if (!ix) return;
  static const struct {
    const char *q;
    size_t n;
  } cases[] = {{"dept:市财政局 doc:乐政发〔2025〕4号", 16},
               {"lead:市财政局 doc:乐政发〔2025〕4号", 1},
               {"dept:发改局 doc:乐政发〔2025〕4号", 16},
               {"lead:发展改革委 doc:乐政发〔2025〕4号", 9},
               {"dept:财政* doc:乐政发〔2025〕4号", 16}};
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    cdx_results *r = all(cases[i].q);
    cr_expect_eq(cdx_results_total(r), cases[i].n, "%s: %zu", cases[i].q, cdx_results_total(r));
    cdx_results_free(r);
  }
  /* the same through the spellings */
  written_ctx f = {finance, {0}, {0}}, d = {ndrc, {0}, {0}};
  oracle_each_unit(ix, by_written, &f);
  oracle_each_unit(ix, by_written, &d);
  expect_same("dept:财政局 jurisdiction:乐清市", &f.listed);
  expect_same("lead:发改局 jurisdiction:乐清市", &d.leads);
  keys_free(&f.listed);
  keys_free(&f.leads);
  keys_free(&d.listed);
  keys_free(&d.leads);
}

/* ---- amounts: a scan of the text written for this test ---- */

/* The largest N[千|万|千万|亿]元 in text (ASCII or full-width digits, 萬 億),
 * -1 when there is none. */
static double largest_yuan(const char *t, size_t n) {
  double best = -1;
  for (size_t i = 0; i < n;) {
    double v = 0, scale = 0;
    size_t j = i;
    bool digits = false, frac = false;
    for (;;) {
      int d = -1;
      if (j < n && t[j] >= '0' && t[j] <= '9') d = t[j] - '0', j += 1;
      else if (j + 2 < n && (unsigned char)t[j] == 0xEF && (unsigned char)t[j + 1] == 0xBC &&
               (unsigned char)t[j + 2] >= 0x90 && (unsigned char)t[j + 2] <= 0x99)
        d = (unsigned char)t[j + 2] - 0x90, j += 3;
      else if (digits && !frac && j < n && t[j] == '.') {
        frac = true;
        scale = 1;
        j++;
        continue;
      }
      if (d < 0) break;
      digits = true;
      if (frac) scale /= 10, v += d * scale;
      else v = v * 10 + d;
    }
    if (!digits) {
      i++;
      continue;
    }
    double mul = 1;
    static const struct {
      const char *w;
      double m;
    } mags[] = {{"千万", 1e7}, {"千萬", 1e7}, {"千", 1e3}, {"万", 1e4},
                {"萬", 1e4},   {"亿", 1e8},   {"億", 1e8}};
    for (size_t k = 0; k < sizeof mags / sizeof mags[0]; k++) {
      size_t l = strlen(mags[k].w);
      if (j + l <= n && memcmp(t + j, mags[k].w, l) == 0) {
        mul = mags[k].m;
        j += l;
        break;
      }
    }
    if (j + 3 <= n && memcmp(t + j, "元", 3) == 0 && v * mul > best) best = v * mul;
    i = j;
  }
  return best;
}

typedef struct money_ctx {
  double min;
  keys k;
} money_ctx;
static void by_money(const cdx_index_doc *d, const cdx_hit *h, void *vctx) {
  money_ctx *c = vctx;
  if (largest_yuan(h->text, h->text_len) >= c->min * (1 - 1e-12)) keys_add(&c->k, h);
}

Test(facts_search, amounts_are_the_sums_the_text_states) {
  if (!ix) return;
  money_ctx c = {1e6, {0}};
  oracle_each_unit(ix, by_money, &c);
  cr_expect_gt(c.k.n, 50, "only %zu units state 100万元 or more", c.k.n);
  expect_same("amount:>=100万", &c.k);
  keys_free(&c.k);
  /* 003 （10）: 最高200万元, matched and highlighted whole */
  cdx_results *r = all("amount:>=100万 研发投入 edition:2024");
  bool seen = false;
  for (size_t i = 0; i < cdx_results_count(r); i++) {
    const cdx_hit *h = cdx_results_get(r, i);
    for (size_t f = 0; f < h->n_figures; f++) {
      const cdx_hit_figure *g = &h->figures[f];
      if (!g->matched || strncmp(h->text + g->start, "最高200万元", g->end - g->start) != 0)
        continue;
      seen = true;
      cr_expect_eq(g->hi, 2e6);
      cr_expect_str_eq(g->qual, "le");
      bool lit = false;
      for (size_t k = 0; k < h->n_highlights; k++)
        lit |= h->highlights[k][0] <= g->start && h->highlights[k][1] >= g->end;
      cr_expect(lit, "the matched figure is highlighted whole");
    }
  }
  cr_expect(seen, "003's 最高200万元 clause is a hit with that figure matched");
  cdx_results_free(r);
  /* a range and an upper bound are the same sums cut another way */
  money_ctx lo = {1e8, {0}};
  oracle_each_unit(ix, by_money, &lo);
  keys big = hit_keys("amount:>=1亿");
  cr_expect_eq(big.n, lo.k.n, "amount:>=1亿: %zu, text: %zu", big.n, lo.k.n);
  keys_free(&big);
  keys_free(&lo.k);
}

Test(facts_search, percent_with_a_kind_word) {
  if (!ix) return;
  cdx_results *r = all("percent:>=50 补贴");
  bool seen = false;
  for (size_t i = 0; i < cdx_results_count(r); i++) {
    const cdx_hit *h = cdx_results_get(r, i);
    if (!strstr(h->text, "出口信用保险保费")) continue;
    for (size_t f = 0; f < h->n_figures; f++)
      if (h->figures[f].matched && h->figures[f].lo == 50) {
        seen = true;
        cr_expect_str_eq(h->figures[f].kind, "补贴", "补助经费 is a grant");
      }
  }
  cr_expect(seen, "003's 出口信用保险保费不低于50% is found");
  cdx_results_free(r);
  /* the highlight of a typed figure takes its % too */
  r = all("不低于50%");
  cr_assert_gt(cdx_results_count(r), 0);
  const cdx_hit *h = cdx_results_get(r, 0);
  bool whole = false;
  for (size_t k = 0; k < h->n_highlights; k++)
    whole |= strncmp(h->text + h->highlights[k][0], "不低于50%",
                     h->highlights[k][1] - h->highlights[k][0]) == 0 &&
             h->highlights[k][1] - h->highlights[k][0] == strlen("不低于50%");
  cr_expect(whole, "不低于50%% is highlighted with its %%");
  cdx_results_free(r);
}

Test(facts_search, facets_count_every_match) {
  if (!ix) return;
  cdx_search_options opt = {0};
  opt.count_only = 1;
  opt.facets = "dept,lead,status,jurisdiction,edition,year";
  opt.facet_limit = 100;
  cdx_results *r = NULL;
  cdx_error err;
  cr_assert_eq(cdx_search(ix, "doc:乐政发〔2025〕4号", &opt, &r, &err), CDX_OK, "%s", err.message);
  cr_assert_eq(cdx_results_facet_count(r), 6);
  const cdx_facet *dept = cdx_results_facet(r, 0), *lead = cdx_results_facet(r, 1),
                  *status = cdx_results_facet(r, 2);
  cr_expect_str_eq(dept->name, "dept");
  size_t fin = 0, ndrc_lead = 0;
  for (size_t i = 0; i < dept->n_values; i++)
    if (strcmp(dept->values[i].value, "财政局") == 0) fin = dept->values[i].count;
  for (size_t i = 0; i < lead->n_values; i++)
    if (strcmp(lead->values[i].value, "发展和改革局") == 0) ndrc_lead = lead->values[i].count;
  cr_expect_eq(fin, 16);
  cr_expect_eq(ndrc_lead, 9);
  for (size_t i = 1; i < dept->n_values; i++)
    cr_expect_geq(dept->values[i - 1].count, dept->values[i].count, "most frequent first");
  cr_expect_eq(status->n_values, 1);
  cr_expect_eq(status->values[0].count, cdx_results_total(r));
  char *js = NULL;
  cr_expect_eq(cdx_facet_to_json(status, &js, NULL, &err), CDX_OK);
  cr_expect(strncmp(js, "{\"type\":\"facet\",\"name\":\"status\"", 31) == 0, "%s", js);
  cdx_free(js);
  cdx_results_free(r);
  opt.facets = "dept,depts";
  cr_expect_eq(cdx_search(ix, "补贴", &opt, &r, &err), CDX_INVALID);
  cr_expect_eq(err.offset, 5);
}

Test(facts_search, sort_by_amount) {
  if (!ix) return;
  cdx_search_options opt = {0};
  opt.all = 1;
  opt.sort = CDX_SORT_AMOUNT;
  cdx_results *r = NULL;
  cdx_error err;
  cr_assert_eq(cdx_search(ix, "amount:>=100万", &opt, &r, &err), CDX_OK, "%s", err.message);
  for (size_t i = 0; i < cdx_results_count(r); i++) {
    const cdx_hit *h = cdx_results_get(r, i);
    double want = largest_yuan(h->text, h->text_len);
    cr_expect(fabs(h->score - want) <= 1e-9 * want, "hit %zu: key %g, text %g", i, h->score, want);
    if (i) cr_expect_geq(cdx_results_get(r, i - 1)->score, h->score);
  }
  cdx_results_free(r);
}

/* ---- bad values: the same answer with and without documents ---- */

static const struct {
  const char *q;
  size_t at;
} bad[] = {{"amount:>=abc", 9},      {"amount:>=", 9},    {"amount:>=100斤", 9},
           {"amount:5亿..1亿", 7},   {"percent:>=x", 10}, {"count:>=10家..20个", 8},
           {"amount.kind:工资", 12}, {"dept:*", 5},       {"补贴 lead:", 12},
           {"amount:1..2..3", 10}};

static void bad_values(const cdx_index *x) {
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    cdx_results *r = NULL;
    cdx_error err;
    cr_expect_eq(cdx_search(x, bad[i].q, NULL, &r, &err), CDX_SYNTAX, "%s", bad[i].q);
    cr_expect_eq(err.offset, bad[i].at, "%s: at %zu (%s)", bad[i].q, err.offset, err.message);
  }
  static const char *const good[] = {"dept:财政局",       "lead:市人行*", "amount:1亿..5亿",
                                     "percent:>=50 补贴", "count:>=10家", "amount.kind:奖励",
                                     "amount:..100",      "count:3"};
  for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
    cdx_results *r = NULL;
    cdx_error err;
    cr_expect_eq(cdx_search(x, good[i], NULL, &r, &err), CDX_OK, "%s: %s", good[i], err.message);
    cdx_results_free(r);
  }
}

Test(facts_search, bad_values_on_a_populated_index) {
  if (!ix) return;
  bad_values(ix);
}

Test(facts_empty, bad_values_on_an_empty_index) {
  char *tmp = cdx_test_tmpdir();
  cdx_writer *w = NULL;
  cdx_error err;
  cr_assert_eq(cdx_writer_open(tmp, NULL, &w, &err), CDX_OK, "%s", err.message);
  cr_assert_eq(cdx_writer_commit(w, &err), CDX_OK, "%s", err.message);
  cdx_writer_close(w);
  cdx_index *e = NULL;
  cr_assert_eq(cdx_index_open(tmp, &e, &err), CDX_OK, "%s", err.message);
  bad_values(e);
  cdx_index_close(e);
  cdx_test_rmtree(tmp);
  free(tmp);
}

/* The department facets equal the departments of the hits themselves,
 * whichever way a segment is counted (dept and lead alone: the dense
 * department column of version 7; with a pivot, few matches: each match's
 * record; many: the department terms' postings against the matches). */
Test(facts_search, facets_equal_the_hits_departments) {
  if (!ix) return;
  static const char *const queries[] = {
      "以旧换新", "补贴", "企业", "doc:乐政发〔2025〕4号", "dept:财政局", "lead:发改局"};
  cdx_ix_dept_column col;
  cr_assert(cdx_ix_dept_column_open(ix, 0, &col), "a fresh segment has the department column");
  cr_expect_gt(col.n_names, 10);
  for (size_t run = 0; run < 2 * sizeof queries / sizeof queries[0]; run++) {
    size_t q = run / 2;
    bool pivot = run % 2;
    cdx_search_options opt = {0};
    opt.all = 1;
    opt.facets = pivot ? "dept,lead,jurisdiction+dept" : "lead,dept";
    opt.facet_limit = 100000;
    cdx_results *r = NULL;
    cdx_error err;
    cr_assert_eq(cdx_search(ix, queries[q], &opt, &r, &err), CDX_OK, "%s", err.message);
    for (int f = 0; f < (pivot ? 3 : 2); f++) {
      const cdx_facet *fc = cdx_results_facet(r, (size_t)f);
      unsigned role = strcmp(fc->name, "lead") == 0 ? CDX_ROLE_LEAD : CDX_ROLE_LISTED;
      cr_assert(cdx_results_count(r) > 0, "%s matches", queries[q]);
      size_t sum_facet = 0, sum_hits = 0;
      for (size_t v = 0; v < fc->n_values; v++) {
        sum_facet += fc->values[v].count;
        const char *name = fc->values[v].value;
        if (f == 2) name = strchr(name, '\t') + 1;
        size_t want = 0;
        for (size_t i = 0; i < cdx_results_count(r); i++) {
          const cdx_hit *h = cdx_results_get(r, i);
          if (f == 2 && strncmp(fc->values[v].value, h->jurisdiction, strlen(h->jurisdiction)) != 0)
            continue;
          for (size_t d = 0; d < h->n_departments; d++)
            want +=
                (h->departments[d].roles & role) && strcmp(h->departments[d].canonical, name) == 0;
        }
        cr_expect_eq(fc->values[v].count, want, "%s: %s %s: %zu, hits %zu", queries[q], fc->name,
                     fc->values[v].value, fc->values[v].count, want);
      }
      for (size_t i = 0; i < cdx_results_count(r); i++) {
        const cdx_hit *h = cdx_results_get(r, i);
        for (size_t d = 0; d < h->n_departments; d++)
          sum_hits += (h->departments[d].roles & role) != 0;
      }
      cr_expect_eq(sum_facet, sum_hits, "%s: %s sums", queries[q], fc->name);
    }
    cdx_results_free(r);
  }
}

/* dept:市人行 matches by canonical name (人民银行): per document, exactly the
 * units whose （责任单位：…） list names a PBoC branch in any spelling,
 * counted here from the seed files' own lines (a line holds one list), and
 * each hit says which spelling matched. The units that write 市人行 itself
 * are the matches whose matched spelling is 市人行 (docs/QUERY.md,
 * "dept: matches canonical names"). */
static void pboc_lines(const char *path, size_t *any, size_t *literal) {
  FILE *f = fopen(path, "rb");
  cr_assert(f, "%s", path);
  char line[65536];
  *any = *literal = 0;
  while (fgets(line, sizeof line, f)) {
    char *m = strstr(line, "责任单位");
    if (!m) m = strstr(line, "責任單位");
    if (!m) continue;
    /* the list: after the marker, to the closing parenthesis */
    char *end = strstr(m, "）");
    char *end2 = strchr(m, ')');
    if (!end || (end2 && end2 < end)) end = end2;
    if (end) *end = 0;
    if (strstr(m, "人行")) (*any)++;
    /* 市人行 as a whole list item: after 、 or ：, before 、 or the end */
    for (char *p = strstr(m, "市人行"); p; p = strstr(p + 1, "市人行")) {
      bool starts = strncmp(p - 3, "、", 3) == 0 || strncmp(p - 3, "：", 3) == 0;
      bool ends = p[9] == 0 || strncmp(p + 9, "、", 3) == 0;
      if (starts && ends) {
        (*literal)++;
        break;
      }
    }
  }
  fclose(f);
}

Test(facts_search, dept_pboc_per_document_from_the_text) {
  if (!ix) return;
  cdx_results *r = all("dept:市人行");
  size_t total_any = 0, total_literal = 0, docs_with = 0;
  for (size_t i = 0; i < cdx_index_doc_count(ix); i++) {
    cdx_index_doc d;
    cdx_error err;
    cr_assert_eq(cdx_index_doc_get(ix, i, &d, &err), CDX_OK, "%s", err.message);
    const char *base = strrchr(d.id, '/') ? strrchr(d.id, '/') + 1 : d.id;
    char path[4200];
    snprintf(path, sizeof path, "%s/%s", cdx_test_seeds_dir(), base);
    size_t any, literal;
    pboc_lines(path, &any, &literal);
    size_t hits = 0, hits_literal = 0;
    for (size_t k = 0; k < cdx_results_count(r); k++) {
      const cdx_hit *h = cdx_results_get(r, k);
      if (strcmp(h->doc, d.id) != 0) continue;
      hits++;
      size_t matched = 0;
      for (size_t j = 0; j < h->n_departments; j++) {
        if (!h->departments[j].matched) continue;
        matched++;
        cr_expect(strstr(h->departments[j].written, "人行"), "%s #%d: matched %s", base, h->ordinal,
                  h->departments[j].written);
        cr_expect_str_eq(h->departments[j].canonical, "人民银行");
        hits_literal += strcmp(h->departments[j].written, "市人行") == 0;
      }
      cr_expect_eq(matched, 1, "%s #%d: one department matched", base, h->ordinal);
    }
    cr_expect_eq(hits, any, "%s: %zu hits, %zu lists name the PBoC", base, hits, any);
    cr_expect_eq(hits_literal, literal, "%s: %zu hits as 市人行, %zu lists write it", base,
                 hits_literal, literal);
    total_any += any;
    total_literal += literal;
    docs_with += any > 0;
  }
  cr_expect_eq(cdx_results_count(r), total_any);
  /* the seeds are the ones the table in docs/QUERY.md describes */
  cr_expect_geq(docs_with, 4);
  cr_expect_gt(total_literal, 0);
  cr_expect_lt(total_literal, total_any);
  cdx_results_free(r);
}

/* Every figure of every seed unit comes back from the index exactly as the
 * extractor gives it: values (version 7 stores them as m x 10^e, a double
 * only when that cannot give them back), spans (not stored: found again in
 * the text when a hit is read), measure word and kind. */
typedef struct fig_ctx {
  size_t figures, decimals, ranges, big;
} fig_ctx;
static void same_figures(const cdx_index_doc *d, const cdx_hit *h, void *vctx) {
  fig_ctx *c = vctx;
  cdx_figure *f = NULL;
  size_t n = 0;
  cdx_error err;
  cr_assert_eq(cdx_figures_extract(h->text, h->text_len, &f, &n, &err), CDX_OK, "%s", err.message);
  cr_expect_eq(h->n_figures, n, "%s #%d: %zu figures stored, %zu extracted", h->doc, h->ordinal,
               h->n_figures, n);
  for (size_t i = 0; i < n && i < h->n_figures; i++) {
    const cdx_hit_figure *g = &h->figures[i];
    cr_expect(g->lo == f[i].lo && g->hi == f[i].hi,
              "%s #%d figure %zu: %.17g..%.17g, want %.17g..%.17g", h->doc, h->ordinal, i, g->lo,
              g->hi, f[i].lo, f[i].hi);
    cr_expect_eq(g->start, f[i].start, "%s #%d figure %zu", h->doc, h->ordinal, i);
    cr_expect_eq(g->end, f[i].end, "%s #%d figure %zu", h->doc, h->ordinal, i);
    cr_expect_str_eq(g->unit, f[i].unit);
    cr_expect_str_eq(g->kind, f[i].kind);
    c->figures++;
    c->decimals += f[i].lo != floor(f[i].lo);
    c->ranges += f[i].qual == CDX_FIGQ_RANGE;
    c->big += f[i].hi >= 1e8;
  }
  free(f);
}

Test(facts_search, figures_read_back_exactly) {
  if (!ix) return;
  fig_ctx c = {0};
  oracle_each_unit(ix, same_figures, &c);
  /* the seeds hold every case the encoding distinguishes */
  cr_expect_gt(c.figures, 500);
  cr_expect_gt(c.decimals, 10, "%zu figures with decimals", c.decimals);
  cr_expect_gt(c.ranges, 5, "%zu ranges", c.ranges);
  cr_expect_gt(c.big, 10, "%zu figures of 1亿 or more", c.big);
}
