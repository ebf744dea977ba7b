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

static void describe_mask(int *rc, cdx_buf *b, unsigned mask, const char *const *names,
                          unsigned n) {
  bool first = true;
  for (unsigned i = 0; i < n; i++) {
    if (!(mask & (1u << i))) continue;
    if (!first) cdx_buf_putc(rc, b, '|');
    cdx_buf_puts(rc, b, names[i]);
    first = false;
  }
}

static void describe_range(int *rc, cdx_buf *b, int64_t lo, int64_t hi) {
  if (lo == hi) {
    cdx_buf_printf(rc, b, "%lld", (long long)lo);
    return;
  }
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
      if (cdx_q_fact_field(n->field)) {
        cdx_q_fact_describe(n, rc, b);
        return;
      }
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

/* ---- Repeated words ---- */

static uint64_t mix(uint64_t h, const void *p, size_t n) {
  const unsigned char *c = p;
  for (size_t i = 0; i < n; i++) h = (h ^ c[i]) * 0x100000001b3ull; /* FNV-1a */
  return h;
}

static uint64_t node_hash(const cdx_q_node *n) {
  uint64_t h = 0xcbf29ce484222325ull;
  int k[2] = {(int)n->kind, (int)n->field};
  h = mix(h, k, sizeof k);
  if (n->text) h = mix(h, n->text, n->text_len);
  h = mix(h, &n->n_kids, sizeof n->n_kids);
  for (size_t i = 0; i < n->n_kids; i++) {
    uint64_t kh = node_hash(n->kids[i]);
    h = mix(h, &kh, sizeof kh);
  }
  return h;
}

static bool node_equal(const cdx_q_node *a, const cdx_q_node *b) {
  if (a->kind != b->kind || a->text_len != b->text_len || a->n_kids != b->n_kids ||
      a->n_codes != b->n_codes || (a->text_len && memcmp(a->text, b->text, a->text_len) != 0))
    return false;
  if (a->kind == CDX_Q_FILTER &&
      (a->field != b->field || a->mask != b->mask || a->lo != b->lo || a->hi != b->hi ||
       (a->n_codes && memcmp(a->codes, b->codes, a->n_codes * sizeof *a->codes) != 0)))
    return false;
  for (size_t i = 0; i < a->n_kids; i++)
    if (!node_equal(a->kids[i], b->kids[i])) return false;
  return true;
}

bool cdx_q_dedup(cdx_q_node *n) {
  for (size_t i = 0; i < n->n_kids; i++)
    if (!cdx_q_dedup(n->kids[i])) return false;
  if ((n->kind != CDX_Q_AND && n->kind != CDX_Q_OR) || n->n_kids < 2) return true;
  /* Open addressing over the kids' hashes: linear in the number of kids. */
  size_t cap = 16;
  while (cap < 2 * n->n_kids) cap *= 2;
  size_t *slot = calloc(cap, sizeof *slot); /* kid index + 1; 0 = empty */
  uint64_t *hash = malloc(n->n_kids * sizeof *hash);
  if (!slot || !hash) {
    free(slot);
    free(hash);
    return false;
  }
  size_t kept = 0;
  for (size_t i = 0; i < n->n_kids; i++) {
    cdx_q_node *k = n->kids[i];
    uint64_t h = node_hash(k);
    size_t j = (size_t)h & (cap - 1);
    bool dup = false;
    for (; slot[j]; j = (j + 1) & (cap - 1)) {
      size_t o = slot[j] - 1;
      if (hash[o] == h && node_equal(n->kids[o], k)) {
        dup = true;
        break;
      }
    }
    if (dup) {
      cdx_q_node_free(k);
      continue;
    }
    hash[kept] = h;
    n->kids[kept] = k;
    slot[j] = ++kept;
  }
  n->n_kids = kept;
  free(slot);
  free(hash);
  return true;
}
