/* facts/: the extractor on many generated strings made of the pieces figures
 * are made of (digits, numerals, units, qualifiers, connectors, quotation
 * marks, punctuation) in random order. Whatever it finds must be a sound
 * figure: spans whole characters in order, values finite and ordered,
 * units and kinds from the documented lists, a formatted text that fits 64
 * bytes, and the same answer on a second run. Under the sanitizer build this
 * is also the memory-safety check. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "facts/figures.h"

static const char *const s_pieces[] = {
    "0",      "1",    "2",    "5",    "9",    "12",     "2025",     "1,000",    "1，",    "１",
    "５",     "．",   ".",    ",",    "，",   "一",     "二",       "两",       "三",     "十",
    "百",     "千",   "万",   "亿",   "億",   "萬",     "零",       "〇",       "元",     "万元",
    "亿元",   "美元", "%",    "％",   "个",   "個",     "家",       "亩",       "畝",     "年",
    "月",     "日",   "底前", "前",   "之前", "号",     "〔",       "〕",       "第",     "每",
    "届",     "“",    "”",    "《",   "》",   "（",     "）",       "(",        ")",      "-",
    "—",      "～",   "至",   "到",   "以上", "以下",   "左右",     "约",       "不低于", "最高",
    "超",     "补贴", "预算", "贷款", "新增", "增长",   "。",       "、",       "；",     "a",
    "Z",      "?",    "\n",   "级",   "余",   "百分之", "个百分点", "台（套）", "千瓦时", "方",
    "平方米", "行动", "的",   "奖励",
};
#define N_PIECES (sizeof s_pieces / sizeof s_pieces[0])

static uint64_t s_rng = 0x9E3779B97F4A7C15ull;

static uint32_t next_rand(void) {
  s_rng = s_rng * 6364136223846793005ull + 1442695040888963407ull;
  return (uint32_t)(s_rng >> 33);
}

static bool in_list(const char *const *list, const char *s) {
  for (; *list; list++)
    if (strcmp(*list, s) == 0) return true;
  return false;
}

static void check_text(const char *text, size_t len, size_t *found) {
  cdx_figure *f, *g;
  size_t n, m;
  cdx_error err;
  cr_assert_eq(cdx_figures_extract(text, len, &f, &n, &err), CDX_OK, "%s", err.message);
  cr_assert_eq(cdx_figures_extract(text, len, &g, &m, &err), CDX_OK);
  cr_assert_eq(n, m, "two runs differ on '%s'", text);
  if (n) cr_assert(memcmp(f, g, n * sizeof *f) == 0, "two runs differ on '%s'", text);
  for (size_t k = 0; k < n; k++) {
    const cdx_figure *x = &f[k];
    cr_assert(x->start < x->end && x->end <= len, "'%s': span %zu-%zu", text, x->start, x->end);
    if (k) cr_assert_leq(f[k - 1].end, x->start, "'%s': figures overlap", text);
    cr_assert(((unsigned char)text[x->start] & 0xC0) != 0x80, "'%s': start mid-character", text);
    cr_assert(x->end == len || ((unsigned char)text[x->end] & 0xC0) != 0x80,
              "'%s': end mid-character", text);
    cr_assert(isfinite(x->lo) && isfinite(x->hi) && x->lo >= 0 && x->hi < 1e15,
              "'%s': value %g..%g", text, x->lo, x->hi);
    if (x->qual == CDX_FIGQ_RANGE) cr_assert_lt(x->lo, x->hi, "'%s': range", text);
    else cr_assert_eq(x->lo, x->hi, "'%s': lo != hi", text);
    if (x->type == CDX_FIG_DEADLINE) {
      long v = (long)x->lo, month = v / 100 % 100, day = v % 100;
      cr_assert(month >= 1 && month <= 12 && day <= 31 && x->unit[0] == '\0', "'%s': deadline %ld",
                text, v);
    } else {
      cr_assert(in_list(cdx_figure_units(), x->unit), "'%s': unit '%s'", text, x->unit);
    }
    cr_assert(x->kind[0] == '\0' || in_list(cdx_figure_kinds(), x->kind), "'%s': kind '%s'", text,
              x->kind);
    char buf[64];
    size_t need = cdx_figure_format(x, buf, sizeof buf);
    cr_assert_lt(need, sizeof buf, "'%s': formatted '%s' needs %zu bytes", text, buf, need);
  }
  *found += n;
  free(f);
  free(g);
}

Test(fig_random, generated_text_gives_sound_figures) {
  char text[512];
  size_t found = 0;
  for (int round = 0; round < 20000; round++) {
    size_t len = 0, pieces = 1 + next_rand() % 24;
    for (size_t p = 0; p < pieces; p++) {
      const char *piece = s_pieces[next_rand() % N_PIECES];
      size_t pl = strlen(piece);
      if (len + pl >= sizeof text) break;
      memcpy(text + len, piece, pl);
      len += pl;
    }
    text[len] = '\0';
    check_text(text, len, &found);
  }
  /* the pieces make figures often; none at all would mean nothing was tested */
  cr_expect_gt(found, 1000, "only %zu figures in 20000 strings", found);
}

/* Long runs that a careless scan could take quadratic time or stack on. */
Test(fig_random, long_runs) {
  static const char *const runs[] = {"1", "一", "亿", "“", "《", "1,", "-1", "年", "%"};
  size_t found = 0;
  for (size_t r = 0; r < sizeof runs / sizeof runs[0]; r++) {
    size_t pl = strlen(runs[r]), reps = 200000 / pl;
    char *text = malloc(reps * pl + 1);
    cr_assert_not_null(text);
    for (size_t k = 0; k < reps; k++) memcpy(text + k * pl, runs[r], pl);
    text[reps * pl] = '\0';
    check_text(text, reps * pl, &found);
    free(text);
  }
}
