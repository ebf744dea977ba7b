/* check.c - cdx_index_check and cdx_seg_check: every checksum and
 * structural invariant, reading every posting, position, stored block and
 * document record once. */
#include <stdlib.h>
#include <string.h>
#include "indexer/ix_internal.h"

typedef struct check_ctx {
  const cdx_seg *seg;
  uint64_t postings, positions;
} check_ctx;

static int check_term(void *vctx, const uint8_t *term, size_t len, const cdx_term_entry *e,
                      cdx_error *err) {
  check_ctx *c = vctx;
  const cdx_seg *s = c->seg;
  cdx_ix_postings *it;
  int rc = cdx_seg_postings_open(s, (const char *)term, len, &it, err);
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
    ttf += np;
    /* the block's score bound (version 7) must hold for each of its units,
     * or pruning would drop hits: bound_len * tf <= len * max_tf */
    uint32_t bf, bl, bm, blen;
    if (cdx_ix_postings_peek_block(it, u, &bf, &bl, &bm, &blen) &&
        (uint64_t)blen * np > CDX_UCOL_GET(cdx_seg_ucol(s, u), length) * (uint64_t)bm) {
      rc = cdx_err_corrupt(err, "%s: corrupt segment: a block's score bound is too high", s->path);
      break;
    }
    prev = u;
    if (++n > e->df) break;
    rc = cdx_ix_postings_next(it, err);
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

int cdx_seg_check(const cdx_seg *s, cdx_error *err) {
  check_ctx c = {s, 0, 0};
  /* The row pass an open skips (version 7 without the CRC): it only sets
   * what it verified (the flag, and totals equal to the trailer's). */
  int rc = cdx_seg_check_rows((cdx_seg *)s, err);
  if (rc == CDX_OK) rc = cdx_seg_each_term(s, check_term, &c, err);
  if (rc == CDX_OK && (c.postings != s->n_postings || c.positions != s->n_positions))
    return cdx_err_corrupt(err, "%s: corrupt segment: posting counts disagree with the trailer",
                           s->path);
  if (rc == CDX_OK) rc = cdx_seg_uvars_check(s, err);
  if (rc == CDX_OK) rc = cdx_seg_deptcol_check(s, err);
  if (rc == CDX_OK) rc = cdx_seg_facetcol_check(s, err);
  if (rc != CDX_OK) return rc;
  /* Through the same streaming reader queries use, block by block, with
   * the end of every stream checked. */
  cdx_store_stream z;
  cdx_store_stream_init(&z);
  uint64_t text = 0;
  for (uint32_t u = 0; u < s->n_units && rc == CDX_OK; u++) {
    cdx_ix_unit_fields f;
    rc = cdx_store_stream_unit(&z, s, u, &f, err);
    if (rc == CDX_OK) text += f.text_len;
    if (rc == CDX_OK && (u + 1 == s->n_units || cdx_seg_store_block_of(s, u + 1) != z.blk))
      rc = cdx_store_stream_finish(&z, err);
  }
  if (rc == CDX_OK && s->n_units == 0 && s->n_store_blocks != 0)
    rc = cdx_err_corrupt(err, "%s: corrupt segment: stored blocks without units", s->path);
  cdx_store_stream_free(&z);
  if (rc == CDX_OK && text != s->text_bytes)
    rc = cdx_err_corrupt(err, "%s: corrupt segment: stored text size disagrees", s->path);
  uint32_t next_first = 0;
  for (uint32_t d = 0; d < s->n_docs && rc == CDX_OK; d++) {
    cdx_ix_doc_fields f;
    rc = cdx_seg_doc(s, d, &f, NULL, err);
    if (rc == CDX_OK && f.first_unit != next_first)
      rc = cdx_err_corrupt(err, "%s: corrupt segment: document unit ranges", s->path);
    next_first = f.first_unit + f.n_units;
  }
  if (rc == CDX_OK && next_first != s->n_units)
    rc = cdx_err_corrupt(err, "%s: corrupt segment: documents do not cover the units", s->path);
  return rc;
}

int cdx_index_check(const char *dir, cdx_error *err) {
  cdx_index *ix;
  int rc = cdx_index_open_ex(dir, true, &ix, err);
  if (rc != CDX_OK) return rc;
  for (size_t i = 0; i < ix->n_segs && rc == CDX_OK; i++) rc = cdx_seg_check(&ix->segs[i].seg, err);
  cdx_index_close(ix);
  return rc;
}
