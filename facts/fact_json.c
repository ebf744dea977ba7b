/* fact_json.c - the JSON of a figure and of a department, the one writer
 * of both: hits (query/fact_hits.c) and `parse --json` (corpus/document.c)
 * give them the same keys (docs/QUERY.md, "Output"). */
#include <math.h>
#include "facts/figures.h"
#include "facts/depts.h"
#include "common/common.h"

/* %.15g, with whole numbers below 1e15 (nearly every figure: 500, 30,
 * 2025) written without printf, whose float path was a tenth of an
 * uncached /search (bench/README.md); %.15g writes those digits too. */
static void json_num(int *rc, cdx_buf *b, double v) {
  if (!isfinite(v)) cdx_buf_puts(rc, b, "null");
  else if (v == floor(v) && fabs(v) < 1e15 && (v != 0 || !signbit(v)))
    cdx_buf_put_int(rc, b, (int64_t)v);
  else cdx_buf_printf(rc, b, "%.15g", v);
}

void cdx_figure_json(int *rc, cdx_buf *b, const char *type, const char *qual, double lo, double hi,
                     const char *unit, const char *kind, size_t start, size_t end, const char *text,
                     int matched) {
  cdx_buf_puts(rc, b, "{\"type\":\"");
  cdx_buf_puts(rc, b, type);
  cdx_buf_puts(rc, b, "\",\"qual\":\"");
  cdx_buf_puts(rc, b, qual);
  cdx_buf_puts(rc, b, "\",\"lo\":");
  json_num(rc, b, lo);
  cdx_buf_puts(rc, b, ",\"hi\":");
  json_num(rc, b, hi);
  cdx_json_member(rc, b, ",\"unit\":", unit);
  cdx_json_member(rc, b, ",\"kind\":", kind && kind[0] ? kind : NULL);
  cdx_buf_puts(rc, b, ",\"start\":");
  cdx_buf_put_uint(rc, b, start, 0);
  cdx_buf_puts(rc, b, ",\"end\":");
  cdx_buf_put_uint(rc, b, end, 0);
  cdx_buf_puts(rc, b, ",\"text\":");
  cdx_json_str(rc, b, text ? text + start : "", text ? end - start : 0);
  if (matched >= 0) cdx_buf_puts(rc, b, matched ? ",\"matched\":true" : ",\"matched\":false");
  cdx_buf_putc(rc, b, '}');
}

void cdx_dept_json(int *rc, cdx_buf *b, const char *written, const char *canonical,
                   unsigned roles) {
  static const char *const names[] = {"listed", "lead", "chapter_lead", "shared"};
  cdx_json_member(rc, b, "{\"written\":", written);
  cdx_json_member(rc, b, ",\"canonical\":", canonical);
  cdx_buf_puts(rc, b, ",\"roles\":[");
  bool first = true;
  for (unsigned r = 0; r < 4; r++)
    if (roles & (1u << r)) {
      cdx_buf_puts(rc, b, first ? "\"" : ",\"");
      cdx_buf_puts(rc, b, names[r]);
      cdx_buf_putc(rc, b, '"');
      first = false;
    }
  cdx_buf_puts(rc, b, "]}");
}
