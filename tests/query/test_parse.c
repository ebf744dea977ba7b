/* The query language: parsed trees (describe) and the errors, with offsets. */
#define _POSIX_C_SOURCE 200809L
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>
#include "query/query.h"

static void expect_tree(const char *q, const char *want) {
  char *d = NULL;
  cdx_error err;
  int rc = cdx_query_describe(q, &d, &err);
  cr_assert_eq(rc, CDX_OK, "query [%s]: %s", q, err.message);
  cr_expect_str_eq(d, want, "query [%s]", q);
  cdx_free(d);
}

static void expect_error(const char *q, int code, size_t offset) {
  char *d = NULL;
  cdx_error err;
  int rc = cdx_query_describe(q, &d, &err);
  cr_assert_eq(rc, code, "query [%s] gave %d (%s), want %d", q, rc, rc ? err.message : d, code);
  cr_expect_eq(err.offset, offset, "query [%s]: offset %zu, want %zu (%s)", q, err.offset, offset,
               err.message);
  cr_expect(strlen(err.message) > 10);
  cr_assert_null(d);
}

Test(parse, words_and_operators) {
  expect_tree("以旧换新", "word:以旧换新");
  expect_tree("以旧换新 港", "AND(word:以旧换新, word:港)");
  expect_tree("以旧换新　港", "AND(word:以旧换新, word:港)"); /* U+3000 */
  expect_tree("a OR b c", "OR(word:a, AND(word:b, word:c))");
  expect_tree("a AND b", "AND(word:a, word:b)");
  expect_tree("a -b", "AND(word:a, NOT(word:b))");
  expect_tree("a NOT (b OR c)", "AND(word:a, NOT(OR(word:b, word:c)))");
  expect_tree("(a OR b) (c OR d)", "AND(OR(word:a, word:b), OR(word:c, word:d))");
  expect_tree("\"经济 高质量\" 发展", "AND(phrase:\"经济 高质量\", word:发展)");
  expect_tree("a-b", "word:a-b");
  expect_tree("（一）", "word:（一）");
  expect_tree("责任单位：市科技局", "word:责任单位：市科技局");
  expect_tree("or", "word:or");
}

Test(parse, filters) {
  expect_tree("jurisdiction:温州市", "jurisdiction:330300+");
  expect_tree("jurisdiction:溫州市", "jurisdiction:330300+");
  expect_tree("jurisdiction:330382", "jurisdiction:330382+");
  expect_tree("jurisdiction:鹿城区 a", "AND(jurisdiction:330302+, word:a)");
  expect_tree("status:draft", "status:送审稿|征求意见稿");
  expect_tree("status:final", "status:final");
  expect_tree("status:送审稿", "status:送审稿");
  expect_tree("status:final|征求意见稿", "status:final|征求意见稿");
  expect_tree("edition:2025", "edition:2025");
  expect_tree("edition:2024..2025", "edition:2024..2025");
  expect_tree("edition:2024..", "edition:2024..");
  expect_tree("date:2025-03-01..2025-06-30", "date:20250301..20250630");
  expect_tree("date:2025", "date:20250101..20251231");
  expect_tree("date:2025-03", "date:20250301..20250331");
  expect_tree("doc:乐政发〔2025〕4号", "doc:乐政发〔2025〕4号");
  expect_tree("dept:科技局", "dept:科学技术局");   /* canonical (facts/depts.h) */
  expect_tree("lead:市发改局*", "lead:市发改局*"); /* a prefix is folded, not resolved */
  expect_tree("amount:>=100万", "amount:[1000000,inf]");
  expect_tree("amount:1亿..5亿", "amount:[100000000,500000000]");
  expect_tree("percent:>50", "percent:(50,inf]");
  expect_tree("count:<=10家", "count:[-inf,10]家");
  expect_tree("count:3..", "count:[3,inf]");
  expect_tree("amount.kind:奖励", "amount.kind:奖励");
  expect_tree("percent:>=50 补贴", "AND(percent:[50,inf], OR(word:补贴, percent:[50,inf]/补贴))");
  expect_tree("kind:clause|chapter", "kind:chapter|clause");
  expect_tree("Kind:CLAUSE", "kind:clause");
}

Test(parse, errors_point_at_the_problem) {
  expect_error("", CDX_SYNTAX, 0);
  expect_error("   ", CDX_SYNTAX, 3);
  expect_error("以旧换新 \"abc", CDX_SYNTAX, 13);
  expect_error("(a b", CDX_SYNTAX, 0);
  expect_error("a b)", CDX_SYNTAX, 3);
  expect_error("a (b", CDX_SYNTAX, 2);
  expect_error("()", CDX_SYNTAX, 1);
  expect_error("\"\"", CDX_SYNTAX, 0);
  expect_error("a foo:bar", CDX_SYNTAX, 2);
  expect_error("jurisdiction:火星市", CDX_SYNTAX, 13);
  expect_error("jurisdiction:999999", CDX_SYNTAX, 13);
  expect_error("jurisdiction:", CDX_SYNTAX, 13);
  expect_error("status:maybe", CDX_SYNTAX, 7);
  expect_error("kind:article", CDX_SYNTAX, 5);
  expect_error("edition:2026..2024", CDX_SYNTAX, 8);
  expect_error("edition:25", CDX_SYNTAX, 8);
  expect_error("edition:2024..x", CDX_SYNTAX, 14);
  expect_error("date:2025-13-01", CDX_SYNTAX, 5);
  expect_error("date:2025-06-30..2025-03-01", CDX_SYNTAX, 5);
  expect_error("NOT a", CDX_SYNTAX, 0);
  expect_error("-a -b", CDX_SYNTAX, 0);
  expect_error("a OR -b", CDX_SYNTAX, 5);
  expect_error("a (NOT b OR c)", CDX_SYNTAX, 3);
  expect_error("a OR", CDX_SYNTAX, 2);
  expect_error("OR a", CDX_SYNTAX, 0);
  expect_error("a - b", CDX_SYNTAX, 2);
  expect_error("a AND", CDX_SYNTAX, 5);
  expect_error("a NOT", CDX_SYNTAX, 2);
}

Test(parse, limits_and_encoding) {
  expect_error("ab\xff", CDX_ENCODING, 2);
  char deep[700];
  size_t n = 0;
  for (int i = 0; i < 300; i++) deep[n++] = '(';
  deep[n++] = 'a';
  for (int i = 0; i < 300; i++) deep[n++] = ')';
  deep[n] = '\0';
  char *d = NULL;
  cdx_error err;
  cr_assert_eq(cdx_query_describe(deep, &d, &err), CDX_LIMIT);
  cr_expect_eq(err.offset, (size_t)CDX_QUERY_MAX_DEPTH);
  /* 200 levels are fine. */
  n = 0;
  for (int i = 0; i < 200; i++) deep[n++] = '(';
  deep[n++] = 'a';
  for (int i = 0; i < 200; i++) deep[n++] = ')';
  deep[n] = '\0';
  cr_assert_eq(cdx_query_describe(deep, &d, &err), CDX_OK, "%s", err.message);
  cr_expect_str_eq(d, "word:a");
  cdx_free(d);
  size_t big = CDX_QUERY_MAX_BYTES + 10;
  char *q = malloc(big + 1);
  memset(q, 'a', big);
  q[big] = '\0';
  cr_assert_eq(cdx_query_describe(q, &d, &err), CDX_LIMIT);
  free(q);
}

/* How a word is turned into terms, and when text must confirm a match. */
static void expect_word_as(const char *text, bool phrase, size_t n_toks, bool verify) {
  cdx_analyzer *an = NULL;
  cdx_error err;
  cr_assert_eq(cdx_analyzer_new(0, &an, &err), CDX_OK);
  cdx_q_word w;
  cr_assert_eq(cdx_q_word_analyze(an, text, strlen(text), phrase, &w, &err), CDX_OK, "%s",
               err.message);
  cr_expect_eq(w.n_toks, n_toks, "[%s]: %zu tokens", text, w.n_toks);
  cr_expect_eq(w.needs_verify, verify, "[%s]: needs_verify %d", text, w.needs_verify);
  for (size_t i = 1; i < w.n_toks; i++) cr_expect_geq(w.toks[i].rel, w.toks[i - 1].rel);
  cdx_q_word_clear(&w);
  cdx_analyzer_free(an);
}

static void expect_word(const char *text, size_t n_toks, bool verify) {
  expect_word_as(text, false, n_toks, verify);
}

Test(analyze, words) {
  expect_word("以旧换新", 3, false);
  expect_word("港", 1, false);
  expect_word("高质", 1, false);
  expect_word("415X", 1, false);
  expect_word("2.74", 1, false);
  expect_word("溫州", 1, false);
  expect_word("经济，高质", 2, true);
  expect_word("5G基站", 2, true);
  expect_word("2.74亿元", 2, true);
  expect_word("量，", 1, true);
  /* In a phrase, white space between segments is proven by positions. */
  expect_word_as("高质量 发展", true, 3, false);
  expect_word_as(" 高质量　发展 ", true, 3, false);
  expect_word_as("5G 基站", true, 2, false);
  expect_word_as("5G基站", true, 2, true);
  expect_word_as("经济， 高质", true, 2, true);
}

Test(analyze, folded_contains) {
  cdx_analyzer *an = NULL;
  cdx_error err;
  cr_assert_eq(cdx_analyzer_new(0, &an, &err), CDX_OK);
  cdx_q_word w;
  cr_assert_eq(cdx_q_word_analyze(an, "经济 高质量", strlen("经济 高质量"), true, &w, &err),
               CDX_OK);
  cr_expect(cdx_q_folded_contains("推动经济高质量发展", strlen("推动经济高质量发展"), &w));
  cr_expect(cdx_q_folded_contains("推动经济  高质量", strlen("推动经济  高质量"), &w));
  cr_expect(!cdx_q_folded_contains("推动经济,高质量", strlen("推动经济,高质量"), &w));
  cdx_q_word_clear(&w);
  cr_assert_eq(cdx_q_word_analyze(an, "溫州,", strlen("溫州,"), false, &w, &err), CDX_OK);
  cr_expect(cdx_q_folded_contains("温州,乐清", strlen("温州,乐清"), &w));
  cr_expect(!cdx_q_folded_contains("温州、乐清", strlen("温州、乐清"), &w));
  cdx_q_word_clear(&w);
  cdx_analyzer_free(an);
}

Test(bm25, formula) {
  double idf_rare = cdx_bm25_idf(1000, 1), idf_common = cdx_bm25_idf(1000, 900);
  cr_expect_gt(idf_rare, idf_common);
  cr_expect_geq(cdx_bm25_idf(10, 10), 1e-6);
  cr_expect_gt(cdx_bm25_idf(10, 10), 0);
  /* tf saturates: the 10th occurrence adds less than the 2nd. */
  double s1 = cdx_bm25_term(2, 1, 50, 50), s2 = cdx_bm25_term(2, 2, 50, 50);
  double s9 = cdx_bm25_term(2, 9, 50, 50), s10 = cdx_bm25_term(2, 10, 50, 50);
  cr_expect_gt(s2 - s1, s10 - s9);
  cr_expect_lt(s10, 2 * (CDX_BM25_K1 + 1));
  /* Longer units score lower for the same tf. */
  cr_expect_gt(cdx_bm25_term(2, 1, 20, 50), cdx_bm25_term(2, 1, 200, 50));
  cr_expect_eq(cdx_bm25_term(2, 0, 20, 50), 0);
  uint32_t a[] = {3, 40}, b[] = {5, 90};
  /* a spans 2 positions at 3..4, b starts at 5: adjacent. */
  cr_expect_float_eq(cdx_proximity_bonus(a, 2, 2, b, 2), 1.0, 1e-9);
  uint32_t c[] = {10};
  cr_expect_float_eq(cdx_proximity_bonus(a, 2, 2, c, 1), 1.0 / 6.0, 1e-9);
  cr_expect_eq(cdx_proximity_bonus(a, 0, 2, c, 1), 0);
}

/* Random strings over the operator alphabet: every one parses or fails
 * cleanly with an offset inside the query (ASan guards the reads). */
Test(parse, random_garbage_never_crashes) {
  static const char *const atoms[] = {"(",
                                      ")",
                                      "\"",
                                      "-",
                                      " ",
                                      "OR",
                                      "AND",
                                      "NOT",
                                      "港",
                                      "ab",
                                      "status:",
                                      "draft",
                                      "jurisdiction:",
                                      "温州",
                                      ":",
                                      "..",
                                      "edition:2025",
                                      "\xe3\x80\x80",
                                      "x",
                                      "\xff"};
  unsigned seed = 1;
  char q[512];
  for (int i = 0; i < 5000; i++) {
    size_t n = 0;
    int k = rand_r(&seed) % 12;
    for (int j = 0; j < k; j++) {
      const char *a = atoms[rand_r(&seed) % (sizeof atoms / sizeof atoms[0])];
      size_t l = strlen(a);
      if (n + l + 1 >= sizeof q) break;
      memcpy(q + n, a, l);
      n += l;
    }
    q[n] = '\0';
    char *d = NULL;
    cdx_error err;
    int rc = cdx_query_describe(q, &d, &err);
    if (rc == CDX_OK) {
      cr_assert_not_null(d);
      cdx_free(d);
    } else {
      cr_assert(rc == CDX_SYNTAX || rc == CDX_ENCODING || rc == CDX_LIMIT, "[%s]: rc %d", q, rc);
      cr_assert(err.offset <= n, "[%s]: offset %zu beyond %zu", q, err.offset, n);
    }
  }
}

Test(parse, long_or_chain) {
  size_t n = 0;
  char *q = malloc(CDX_QUERY_MAX_BYTES);
  while (n + 8 < CDX_QUERY_MAX_BYTES) {
    memcpy(q + n, "港 OR ", 7);
    n += 7;
  }
  memcpy(q + n, "港", 4);
  char *d = NULL;
  cdx_error err;
  cr_assert_eq(cdx_query_describe(q, &d, &err), CDX_OK, "%s", err.message);
  cr_assert(strncmp(d, "OR(word:港, word:港", strlen("OR(word:港, word:港")) == 0);
  cdx_free(d);
  free(q);
}
