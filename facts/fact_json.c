/* fact_json.c - the JSON of a figure and of a department, the one writer
 * of both: hits (query/fact_hits.c) and `parse --json` (corpus/document.c)
 * give them the same keys (docs/QUERY.md, "Output"). */
#include <math.h>
#include "facts/figures.h"
#include "facts/depts.h"
#include "common/common.h"

static void json_num(int *rc, cdx_buf *b, double v) {
  if (isfinite(v)) cdx_buf_printf(rc, b, "%.15g", v);
  else cdx_buf_puts(rc, b, "null");
}

void cdx_figure_json(int *rc, cdx_buf *b, const char *type, const char *qual, double lo, double hi,
                     const char *unit, const char *kind, size_t start, size_t end, const char *text,
                     int matched) {
  cdx_buf_printf(rc, b, "{\"type\":\"%s\",\"qual\":\"%s\",\"lo\":", type, qual);
  json_num(rc, b, lo);
  cdx_buf_puts(rc, b, ",\"hi\":");
  json_num(rc, b, hi);
  cdx_buf_puts(rc, b, ",\"unit\":");
  cdx_json_cstr(rc, b, unit);
  cdx_buf_puts(rc, b, ",\"kind\":");
  cdx_json_cstr(rc, b, kind && kind[0] ? kind : NULL);
  cdx_buf_printf(rc, b, ",\"start\":%zu,\"end\":%zu,\"text\":", start, end);
  cdx_json_str(rc, b, text ? text + start : "", text ? end - start : 0);
  if (matched >= 0) cdx_buf_printf(rc, b, ",\"matched\":%s", matched ? "true" : "false");
  cdx_buf_putc(rc, b, '}');
}

void cdx_dept_json(int *rc, cdx_buf *b, const char *written, const char *canonical,
                   unsigned roles) {
  static const char *const names[] = {"listed", "lead", "chapter_lead", "shared"};
  cdx_buf_puts(rc, b, "{\"written\":");
  cdx_json_cstr(rc, b, written);
  cdx_buf_puts(rc, b, ",\"canonical\":");
  cdx_json_cstr(rc, b, canonical);
  cdx_buf_puts(rc, b, ",\"roles\":[");
  bool first = true;
  for (unsigned r = 0; r < 4; r++)
    if (roles & (1u << r)) {
      cdx_buf_printf(rc, b, "%s\"%s\"", first ? "" : ",", names[r]);
      first = false;
    }
  cdx_buf_puts(rc, b, "]}");
}
