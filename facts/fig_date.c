/* Years, dates and deadlines. A deadline is a month's end or a day with 前
 * (2月底前, 6月30日前), optionally after its year (2025年底前,
 * 2025年6月30日之前), or 年底前 alone; it is encoded as
 * [year * 10000 +] month * 100 + day with 底 as day 31 (docs/FACTS.md).
 * Years and dates that are no deadline (2025年, 2025年3月6日) are stepped
 * over whole so that none of their numbers is read as a quantity. */
#include "facts/fig_internal.h"

static const char *const s_month_end[] = {"底之前", "底以前", "底前", "末前", NULL};
static const char *const s_before[] = {"之前", "以前", "前", NULL};
static const char *const s_day[] = {"日", "号", "號", NULL};
static const char *const s_year[] = {"年", NULL};
static const char *const s_month[] = {"月", NULL};

/* After a month number whose 月 is at s[j]: 底前 (day 31) or D日前. Returns
 * the end of the deadline, or 0 for a plain date with *skip past it. */
static size_t read_day(const char *s, size_t n, size_t j, int *day, size_t *skip) {
  size_t k = j + 3; /* 月 */
  size_t l = cdx_fig_has_any(s, n, k, s_month_end);
  if (l) {
    *day = 31;
    return k + l;
  }
  cdx_fig_num d;
  *skip = k;
  if (k < n && cdx_fig_read_number(s, n, k, &d) && cdx_fig_is_int_in(&d, 1, 31)) {
    size_t dl = cdx_fig_has_any(s, n, d.end, s_day);
    *skip = d.end + dl;
    if (dl) {
      size_t e = cdx_fig_has_any(s, n, d.end + dl, s_before);
      if (e) {
        *day = (int)d.value;
        return d.end + dl + e;
      }
    }
  }
  return 0;
}

static size_t deadline(cdx_figure *f, bool *got, size_t start, size_t end, double value) {
  memset(f, 0, sizeof *f);
  f->type = CDX_FIG_DEADLINE;
  f->qual = CDX_FIGQ_LE; /* done by then */
  f->lo = f->hi = value;
  f->start = start;
  f->end = end;
  *got = true;
  return end;
}

size_t cdx_fig_read_date(const char *s, size_t n, size_t i, const cdx_fig_num *a, cdx_figure *f,
                         bool *got) {
  size_t j = a->end, skip;
  int day = 0;
  if (cdx_fig_is_year(a) && cdx_fig_has_any(s, n, j, s_year)) {
    size_t k = j + 3; /* 年 */
    size_t l = cdx_fig_has_any(s, n, k, s_month_end);
    if (l) return deadline(f, got, i, k + l, a->value * 10000 + 1231);
    cdx_fig_num m;
    if (k < n && cdx_fig_read_number(s, n, k, &m) && cdx_fig_is_int_in(&m, 1, 12) &&
        cdx_fig_has_any(s, n, m.end, s_month)) {
      size_t end = read_day(s, n, m.end, &day, &skip);
      if (!end) return skip;
      return deadline(f, got, i, end, a->value * 10000 + m.value * 100 + day);
    }
    return k; /* a year */
  }
  if (cdx_fig_is_int_in(a, 1, 12) && cdx_fig_has_any(s, n, j, s_month)) {
    size_t end = read_day(s, n, j, &day, &skip);
    if (!end) return skip;
    return deadline(f, got, i, end, a->value * 100 + day);
  }
  return 0;
}

size_t cdx_fig_read_year_end(const char *s, size_t n, size_t i, cdx_figure *f) {
  size_t l = cdx_fig_has_any(s, n, i + 3, s_month_end);
  if (!l || cdx_fig_has(s, n, i + 3, "末前")) return 0;
  if (i > 0) {
    size_t ps;
    uint32_t prev = cdx_fig_prev_cp(s, n, i, &ps);
    /* 明年/后年/去年/前年 name another year; after a number it is N年底 */
    if (cdx_fig_blocks_number(prev) || prev == 0x660E || prev == 0x540E || prev == 0x5F8C ||
        prev == 0x53BB || prev == 0x524D) /* 明 后 後 去 前 */
      return 0;
  }
  bool got;
  return deadline(f, &got, i, i + 3 + l, 1231);
}
