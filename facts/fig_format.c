/* Figures for people ("≥50%", "15亿元", "1-2个", "2月底前") and the
 * comparisons the clause aligner needs. */
#include <stdio.h>
#include <string.h>
#include "facts/figures.h"

const char *cdx_figure_type_name(cdx_figure_type t) {
  switch (t) {
    case CDX_FIG_MONEY: return "money";
    case CDX_FIG_PERCENT: return "percent";
    case CDX_FIG_COUNT: return "count";
    case CDX_FIG_DEADLINE: return "deadline";
  }
  return "?";
}

const char *cdx_figure_qual_name(cdx_figure_qual q) {
  switch (q) {
    case CDX_FIGQ_EQ: return "eq";
    case CDX_FIGQ_GE: return "ge";
    case CDX_FIGQ_LE: return "le";
    case CDX_FIGQ_GT: return "gt";
    case CDX_FIGQ_LT: return "lt";
    case CDX_FIGQ_APPROX: return "approx";
    case CDX_FIGQ_RANGE: return "range";
  }
  return "?";
}

static const char *qual_prefix(cdx_figure_qual q) {
  switch (q) {
    case CDX_FIGQ_GE: return "≥";
    case CDX_FIGQ_LE: return "≤";
    case CDX_FIGQ_GT: return ">";
    case CDX_FIGQ_LT: return "<";
    case CDX_FIGQ_APPROX: return "≈";
    default: return "";
  }
}

/* v with up to four decimals, trailing zeros dropped: 2.74, 3400, 0.5. */
static void put_num(char *out, size_t cap, double v) {
  snprintf(out, cap, "%.4f", v);
  char *dot = strchr(out, '.');
  if (!dot) return;
  char *e = out + strlen(out);
  while (e > dot + 1 && e[-1] == '0') e--;
  if (e == dot + 1) e = dot;
  *e = '\0';
}

/* The largest of 亿/万 that writes v with at most two decimals (money and
 * counts read that way in the texts: 2.74亿元, 30万平方米, 3450幢). */
static double scale_of(double v, const char **word) {
  static const struct {
    double f;
    const char *w;
  } s[] = {{1e8, "亿"}, {1e4, "万"}};
  for (size_t k = 0; k < 2; k++) {
    /* v / f is not exact in binary (2.3e8 / 1e8 * 100 = 229.99999999999997) */
    double x = v / s[k].f * 100, r = (double)(long long)(x + 0.5);
    if (v >= s[k].f && x - r < 1e-6 && r - x < 1e-6) {
      *word = s[k].w;
      return s[k].f;
    }
  }
  *word = "";
  return 1;
}

size_t cdx_figure_format(const cdx_figure *f, char *buf, size_t cap) {
  char a[40], b[40];
  int n;
  if (f->type == CDX_FIG_DEADLINE) {
    long v = (long)f->lo, year = v / 10000, month = v / 100 % 100, day = v % 100;
    char y[32] = "";
    if (year) snprintf(y, sizeof y, "%ld年", year);
    if (year && month == 12 && day == 31) n = snprintf(buf, cap, "%s底前", y);
    else if (day == 31) n = snprintf(buf, cap, "%s%ld月底前", y, month);
    else n = snprintf(buf, cap, "%s%ld月%ld日前", y, month, day);
    return n < 0 ? 0 : (size_t)n;
  }
  bool pct = f->type == CDX_FIG_PERCENT;
  const char *unit = strcmp(f->unit, "百分点") == 0 ? "个百分点" : f->unit;
  const char *wl = "", *wh = "";
  double sl = pct ? 1 : scale_of(f->lo, &wl), sh = pct ? 1 : scale_of(f->hi, &wh);
  put_num(a, sizeof a, f->lo / sl);
  if (f->qual == CDX_FIGQ_RANGE) {
    put_num(b, sizeof b, f->hi / sh);
    if (strcmp(wl, wh) == 0) n = snprintf(buf, cap, "%s-%s%s%s", a, b, wh, unit);
    else n = snprintf(buf, cap, "%s%s%s-%s%s%s", a, wl, unit, b, wh, unit);
  } else {
    n = snprintf(buf, cap, "%s%s%s%s", qual_prefix(f->qual), a, wl, unit);
  }
  return n < 0 ? 0 : (size_t)n;
}

bool cdx_figure_same_measure(const cdx_figure *a, const cdx_figure *b) {
  return a->type == b->type && strcmp(a->unit, b->unit) == 0;
}

bool cdx_figure_same_value(const cdx_figure *a, const cdx_figure *b) {
  return cdx_figure_same_measure(a, b) && a->qual == b->qual && a->lo == b->lo && a->hi == b->hi;
}
