/* op_kids.c - what the operators over a list of children share (query.h). */
#include <stdlib.h>
#include "query/query.h"

cdx_q_kids_it *cdx_q_kids_new(cdx_q_it **kids, size_t n) {
  cdx_q_kids_it *k = malloc(sizeof *k + n * sizeof(cdx_q_it *));
  if (!k) {
    for (size_t i = 0; i < n; i++) cdx_q_it_free(kids[i]);
    return NULL;
  }
  for (size_t i = 0; i < n; i++) k->kids[i] = kids[i];
  k->n = n;
  return k;
}

void cdx_q_kids_destroy(cdx_q_it *it) {
  cdx_q_kids_it *k = (cdx_q_kids_it *)it;
  for (size_t i = 0; i < k->n; i++) cdx_q_it_free(k->kids[i]);
  free(k);
}

void cdx_q_kids_describe(const char *name, const cdx_q_it *it, int *rc, cdx_buf *b) {
  const cdx_q_kids_it *k = (const cdx_q_kids_it *)it;
  cdx_buf_printf(rc, b, "%s(", name);
  for (size_t i = 0; i < k->n; i++) {
    if (i) cdx_buf_puts(rc, b, ", ");
    cdx_q_it_describe(k->kids[i], rc, b);
  }
  cdx_buf_putc(rc, b, ')');
}

int cdx_q_next_by_seek(cdx_q_it *it, cdx_error *err) {
  if (it->started && it->docid == CDX_Q_END) return CDX_OK;
  return it->vt->seek(it, it->started ? it->docid + 1 : 0, err);
}
