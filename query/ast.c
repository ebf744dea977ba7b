/* Query tree lifetime and its describe() strings (asserted by the tests). */
#include <stdlib.h>
#include <string.h>
#include "query/query.h"

void cdx_q_node_free(cdx_q_node *n) {
  if (!n) return;
  for (size_t i = 0; i < n->n_kids; i++) cdx_q_node_free(n->kids[i]);
  free(n->kids);
  free(n->text);
  free(n->codes);
  free(n->canon);
  free(n->fkind);
  free(n);
}

static const char *const status_names[] = {"final", "送审稿", "征求意见稿"};
static const char *const kind_names[] = {"preamble", "chapter", "clause", "closing"};

static void describe_mask(int *rc, cdx_buf *b, unsigned mask, const char *const *names, unsigned n) {
  bool first = true;
  for (unsigned i = 0; i < n; i++) {
    if (!(mask & (1u << i))) continue;
    if (!first) cdx_buf_putc(rc, b, '|');
    cdx_buf_puts(rc, b, names[i]);
    first = false;
  }
}

static void describe_range(int *rc, cdx_buf *b, int64_t lo, int64_t hi) {
  if (lo == hi) { cdx_buf_printf(rc, b, "%lld", (long long)lo); return; }
  if (lo > 0) cdx_buf_printf(rc, b, "%lld", (long long)lo);
  cdx_buf_puts(rc, b, "..");
  if (hi != INT64_MAX) cdx_buf_printf(rc, b, "%lld", (long long)hi);
}

void cdx_q_node_describe(const cdx_q_node *n, int *rc, cdx_buf *b) {
  switch (n->kind) {
  case CDX_Q_WORD:
    cdx_buf_puts(rc, b, "word:");
    cdx_buf_append(rc, b, n->text, n->text_len);
    return;
  case CDX_Q_PHRASE:
    cdx_buf_puts(rc, b, "phrase:\"");
    cdx_buf_append(rc, b, n->text, n->text_len);
    cdx_buf_putc(rc, b, '"');
    return;
  case CDX_Q_AND:
  case CDX_Q_OR:
  case CDX_Q_NOT:
    cdx_buf_puts(rc, b, n->kind == CDX_Q_AND ? "AND(" : n->kind == CDX_Q_OR ? "OR(" : "NOT(");
    for (size_t i = 0; i < n->n_kids; i++) {
      if (i) cdx_buf_puts(rc, b, ", ");
      cdx_q_node_describe(n->kids[i], rc, b);
    }
    cdx_buf_putc(rc, b, ')');
    return;
  case CDX_Q_FILTER:
    cdx_buf_puts(rc, b, cdx_q_field_name(n->field));
    cdx_buf_putc(rc, b, ':');
    if (cdx_q_fact_field(n->field)) { cdx_q_fact_describe(n, rc, b); return; }
    switch (n->field) {
    case CDX_F_JURISDICTION:
      for (size_t i = 0; i < n->n_codes; i++)
        cdx_buf_printf(rc, b, "%s%06u+", i ? "|" : "", (unsigned)n->codes[i]);
      return;
    case CDX_F_STATUS: describe_mask(rc, b, n->mask, status_names, 3); return;
    case CDX_F_KIND: describe_mask(rc, b, n->mask, kind_names, 4); return;
    case CDX_F_EDITION:
    case CDX_F_DATE: describe_range(rc, b, n->lo, n->hi); return;
    case CDX_F_DOC: cdx_buf_append(rc, b, n->text, n->text_len); return;
    default: return; /* the fact fields, above */
    }
  }
}

int cdx_query_describe(const char *query, char **out, cdx_error *err) {
  if (!query || !out) return cdx_err_set(err, CDX_INVALID, CDX_NO_OFFSET, "NULL argument");
  *out = NULL;
  cdx_q_node *root = NULL;
  int rc = cdx_q_parse(query, strlen(query), &root, err);
  if (rc) return rc;
  cdx_buf b;
  cdx_buf_init(&b);
  cdx_q_node_describe(root, &rc, &b);
  cdx_buf_str(&rc, &b);
  cdx_q_node_free(root);
  if (rc) {
    cdx_buf_free(&b);
    return cdx_err_set(err, CDX_NOMEM, CDX_NO_OFFSET, "out of memory describing the query");
  }
  *out = cdx_buf_detach(&b, NULL);
  return CDX_OK;
}
