/*
 * A hit, or its document alone, as one JSON object.
 */
#include "query/search_state.h"

static const char *const status_names[] = {"final", "送审稿", "征求意见稿"};
static const char *const class_names[] = {"final", "draft"};
static const char *const kind_names[] = {"preamble", "chapter", "clause", "closing"};

/* Numbers through cdx_buf_put_uint/int, not printf: the integers of ten
 * hits (their highlights above all) through vfprintf were a tenth of an
 * uncached /search (bench/README.md). */
/* ",\"name\":" then the number */
static void put_field_int(int *rc, cdx_buf *b, const char *name_colon, long long v) {
  cdx_buf_puts(rc, b, name_colon);
  cdx_buf_put_int(rc, b, v);
}

/* The document's fields of a hit, "doc" to "doc_number": the one place
 * that spells a document in JSON, for a hit and for a document alone. */
static void doc_fields_json(int *rc, cdx_buf *b, const cdx_hit *h) {
  cdx_json_member(rc, b, "\"doc\":", h->doc);
  cdx_json_member(rc, b, ",\"title\":", h->title);
  cdx_json_member(rc, b, ",\"jurisdiction\":", h->jurisdiction);
  if (h->jurisdiction_code) put_field_int(rc, b, ",\"jurisdiction_code\":", h->jurisdiction_code);
  else cdx_buf_puts(rc, b, ",\"jurisdiction_code\":null");
  cdx_json_member(rc, b, ",\"status\":", (unsigned)h->status < 3 ? status_names[h->status] : NULL);
  cdx_json_member(rc, b, ",\"status_class\":",
                  (unsigned)h->status_class < 2 ? class_names[h->status_class] : NULL);
  if (h->edition) put_field_int(rc, b, ",\"edition\":", h->edition);
  else cdx_buf_puts(rc, b, ",\"edition\":null");
  if (h->date) {
    cdx_buf_puts(rc, b, ",\"date\":\"");
    cdx_buf_put_uint(rc, b, h->date / 10000, 4);
    cdx_buf_putc(rc, b, '-');
    cdx_buf_put_uint(rc, b, h->date / 100 % 100, 2);
    cdx_buf_putc(rc, b, '-');
    cdx_buf_put_uint(rc, b, h->date % 100, 2);
    cdx_buf_putc(rc, b, '"');
  } else cdx_buf_puts(rc, b, ",\"date\":null");
  cdx_json_member(rc, b, ",\"doc_number\":", h->doc_number);
}

int cdx_hit_doc_to_json(const cdx_hit *h, char **out, size_t *out_len, cdx_error *err) {
  cdx_buf b;
  int rc = cdx_json_start(h, out, __func__, &b, err);
  if (rc != CDX_OK) return rc;
  cdx_buf_putc(&rc, &b, '{');
  doc_fields_json(&rc, &b, h);
  cdx_buf_putc(&rc, &b, '}');
  return cdx_json_finish(rc, &b, out, out_len, err);
}

int cdx_hit_to_json(const cdx_hit *h, char **out, size_t *out_len, cdx_error *err) {
  cdx_buf b;
  int rc = cdx_json_start(h, out, __func__, &b, err);
  if (rc != CDX_OK) return rc;
  cdx_buf_puts(&rc, &b, "{\"rank\":");
  cdx_buf_put_uint(&rc, &b, h->rank, 0);
  /* %.6g's rounding is printf's to keep: one float per hit */
  cdx_buf_printf(&rc, &b, ",\"score\":%.6g,", h->score);
  doc_fields_json(&rc, &b, h);
  cdx_json_member(&rc, &b, ",\"kind\":", (unsigned)h->kind < 4 ? kind_names[h->kind] : NULL);
  cdx_json_member(&rc, &b, ",\"number\":", h->number);
  cdx_json_member(&rc, &b, ",\"heading\":", h->heading);
  put_field_int(&rc, &b, ",\"ordinal\":", h->ordinal);
  put_field_int(&rc, &b, ",\"chapter\":", h->chapter);
  cdx_buf_puts(&rc, &b, ",\"departments\":[");
  for (size_t i = 0; i < h->n_responsible; i++) {
    if (i) cdx_buf_putc(&rc, &b, ',');
    cdx_json_cstr(&rc, &b, h->responsible[i]);
  }
  cdx_json_member(&rc, &b, "],\"chapter_lead\":", h->lead_department);
  cdx_q_hit_facts_json(&rc, &b, h);
  if (h->source_end > h->source_start) {
    put_field_int(&rc, &b, ",\"source_start\":", (long long)h->source_start);
    put_field_int(&rc, &b, ",\"source_end\":", (long long)h->source_end);
  } else cdx_buf_puts(&rc, &b, ",\"source_start\":null,\"source_end\":null");
  cdx_buf_puts(&rc, &b, ",\"text\":");
  cdx_json_str(&rc, &b, h->text ? h->text : "", h->text ? h->text_len : 0);
  cdx_buf_puts(&rc, &b, ",\"highlights\":[");
  for (size_t i = 0; i < h->n_highlights; i++) {
    cdx_buf_puts(&rc, &b, i ? ",[" : "[");
    cdx_buf_put_uint(&rc, &b, h->highlights[i][0], 0);
    cdx_buf_putc(&rc, &b, ',');
    cdx_buf_put_uint(&rc, &b, h->highlights[i][1], 0);
    cdx_buf_putc(&rc, &b, ']');
  }
  cdx_buf_puts(&rc, &b, "]}");
  return cdx_json_finish(rc, &b, out, out_len, err);
}
