/* check.c - cdx_index_check: every checksum and structural invariant of the
 * last commit, reading every posting, position and stored block once. */
#include <stdlib.h>
#include <string.h>
#include "indexer/ix_internal.h"

typedef struct check_ctx {
  const cdx_index *ix;
  size_t seg;
  uint64_t postings, positions;
} check_ctx;

static int check_term(void *vctx, const uint8_t *term, size_t len, const cdx_term_entry *e,
                      cdx_error *err) {
  check_ctx *c = vctx;
  const cdx_seg *s = &c->ix->segs[c->seg].seg;
  cdx_ix_postings *it;
  int rc = cdx_ix_postings_open(c->ix, c->seg, (const char *)term, len, &it, err);
  if (rc != CDX_OK) return rc;
  uint32_t n = 0, prev = 0;
  uint64_t ttf = 0;
  while (rc == CDX_OK && cdx_ix_postings_unit(it) != CDX_IX_END) {
    uint32_t u = cdx_ix_postings_unit(it);
    if (n && u <= prev) {
      rc = cdx_err_corrupt(err, "%s: corrupt segment: unit ids not ascending", s->path);
      break;
    }
    const uint32_t *pos;
    size_t np;
    rc = cdx_ix_postings_positions(it, &pos, &np, err);
    if (rc != CDX_OK) break;
    for (size_t i = 1; i < np; i++)
      if (pos[i] <= pos[i - 1]) {
        rc = cdx_err_corrupt(err, "%s: corrupt segment: positions not ascending", s->path);
        break;
      }
    ttf += np;
    prev = u;
    n++;
    if (rc == CDX_OK) rc = cdx_ix_postings_next(it, err);
  }
  cdx_ix_postings_free(it);
  if (rc != CDX_OK) return rc;
  if (n != e->df || ttf != e->total_tf)
    return cdx_err_corrupt(err, "%s: corrupt segment: postings disagree with the dictionary",
                           s->path);
  c->postings += n;
  c->positions += ttf;
  return CDX_OK;
}

int cdx_index_check(const char *dir, cdx_error *err) {
  cdx_index *ix;
  int rc = cdx_index_open_ex(dir, true, &ix, err);
  if (rc != CDX_OK) return rc;
  cdx_ix_store *st = NULL;
  rc = cdx_ix_store_new(ix, &st, err);
  for (size_t i = 0; i < ix->n_segs && rc == CDX_OK; i++) {
    const cdx_seg *s = &ix->segs[i].seg;
    check_ctx c = {ix, i, 0, 0};
    rc = cdx_seg_each_term(s, check_term, &c, err);
    if (rc == CDX_OK && (c.postings != s->n_postings || c.positions != s->n_positions))
      rc = cdx_err_corrupt(err, "%s: corrupt segment: posting counts disagree with the trailer",
                           s->path);
    uint64_t text = 0;
    for (uint32_t u = 0; u < s->n_units && rc == CDX_OK; u++) {
      cdx_ix_unit_fields f;
      rc = cdx_ix_store_unit(st, i, u, &f, err);
      text += f.text_len;
    }
    if (rc == CDX_OK && text != s->text_bytes)
      rc = cdx_err_corrupt(err, "%s: corrupt segment: stored text size disagrees", s->path);
    for (uint32_t d = 0; d < s->n_docs && rc == CDX_OK; d++) {
      cdx_ix_doc_fields f;
      rc = cdx_seg_doc(s, d, &f, NULL, err);
      if (rc == CDX_OK && f.n_units && d + 1 < s->n_docs) {
        cdx_ix_doc_fields g;
        rc = cdx_seg_doc(s, d + 1, &g, NULL, err);
        if (rc == CDX_OK && g.first_unit != f.first_unit + f.n_units)
          rc = cdx_err_corrupt(err, "%s: corrupt segment: document unit ranges", s->path);
      }
    }
  }
  cdx_ix_store_free(st);
  cdx_index_close(ix);
  return rc;
}
