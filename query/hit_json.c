/*
 * A hit, or its document alone, as one JSON object.
 */
#include "query/search_state.h"

static const char *const status_names[] = {"final", "送审稿", "征求意见稿"};
static const char *const class_names[] = {"final", "draft"};
static const char *const kind_names[] = {"preamble", "chapter", "clause", "closing"};

/* The document's fields of a hit, "doc" to "doc_number": the one place
 * that spells a document in JSON, for a hit and for a document alone. */
static void doc_fields_json(int *rc, cdx_buf *b, const cdx_hit *h) {
  cdx_buf_puts(rc, b, "\"doc\":");
  cdx_json_cstr(rc, b, h->doc);
  cdx_buf_puts(rc, b, ",\"title\":");
  cdx_json_cstr(rc, b, h->title);
  cdx_buf_puts(rc, b, ",\"jurisdiction\":");
  cdx_json_cstr(rc, b, h->jurisdiction);
  if (h->jurisdiction_code)
    cdx_buf_printf(rc, b, ",\"jurisdiction_code\":%u", (unsigned)h->jurisdiction_code);
  else cdx_buf_puts(rc, b, ",\"jurisdiction_code\":null");
  cdx_buf_puts(rc, b, ",\"status\":");
  cdx_json_cstr(rc, b, (unsigned)h->status < 3 ? status_names[h->status] : NULL);
  cdx_buf_puts(rc, b, ",\"status_class\":");
  cdx_json_cstr(rc, b, (unsigned)h->status_class < 2 ? class_names[h->status_class] : NULL);
  if (h->edition) cdx_buf_printf(rc, b, ",\"edition\":%d", h->edition);
  else cdx_buf_puts(rc, b, ",\"edition\":null");
  if (h->date)
    cdx_buf_printf(rc, b, ",\"date\":\"%04u-%02u-%02u\"", (unsigned)(h->date / 10000),
                   (unsigned)(h->date / 100 % 100), (unsigned)(h->date % 100));
  else cdx_buf_puts(rc, b, ",\"date\":null");
  cdx_buf_puts(rc, b, ",\"doc_number\":");
  cdx_json_cstr(rc, b, h->doc_number);
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
  cdx_buf_printf(&rc, &b, "{\"rank\":%zu,\"score\":%.6g,", h->rank, h->score);
  doc_fields_json(&rc, &b, h);
  cdx_buf_puts(&rc, &b, ",\"kind\":");
  cdx_json_cstr(&rc, &b, (unsigned)h->kind < 4 ? kind_names[h->kind] : NULL);
  cdx_buf_puts(&rc, &b, ",\"number\":");
  cdx_json_cstr(&rc, &b, h->number);
  cdx_buf_puts(&rc, &b, ",\"heading\":");
  cdx_json_cstr(&rc, &b, h->heading);
  cdx_buf_printf(&rc, &b, ",\"ordinal\":%d,\"chapter\":%d,\"departments\":[", h->ordinal,
                 h->chapter);
  for (size_t i = 0; i < h->n_responsible; i++) {
    if (i) cdx_buf_putc(&rc, &b, ',');
    cdx_json_cstr(&rc, &b, h->responsible[i]);
  }
  cdx_buf_puts(&rc, &b, "],\"chapter_lead\":");
  cdx_json_cstr(&rc, &b, h->lead_department);
  cdx_q_hit_facts_json(&rc, &b, h);
  if (h->source_end > h->source_start)
    cdx_buf_printf(&rc, &b, ",\"source_start\":%zu,\"source_end\":%zu", h->source_start,
                   h->source_end);
  else cdx_buf_puts(&rc, &b, ",\"source_start\":null,\"source_end\":null");
  cdx_buf_puts(&rc, &b, ",\"text\":");
  cdx_json_str(&rc, &b, h->text ? h->text : "", h->text ? h->text_len : 0);
  cdx_buf_puts(&rc, &b, ",\"highlights\":[");
  for (size_t i = 0; i < h->n_highlights; i++)
    cdx_buf_printf(&rc, &b, "%s[%zu,%zu]", i ? "," : "", h->highlights[i][0], h->highlights[i][1]);
  cdx_buf_puts(&rc, &b, "]}");
  return cdx_json_finish(rc, &b, out, out_len, err);
}
