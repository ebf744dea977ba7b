/*
 * Stored units read from a zlib block only as far as needed.
 *
 * A top-10 search reads ten units from ten different blocks, and a
 * stored-text verification reads one unit per candidate; inflating whole
 * blocks made that the largest cost of such queries (bench/README.md). Units
 * sit in order inside a block, so inflation stops once the wanted record is
 * complete, and a later unit of the same block continues from there. Record
 * starts are remembered, so an earlier unit is parsed without a rescan.
 */
#include <stdlib.h>
#include <string.h>
#include "indexer/ix_internal.h"

#define STREAM_STEP 4096 /* output bytes per inflate call */

#define CORRUPT(z, err, what) \
  cdx_err_corrupt(err, "%s: corrupt segment: stored block %u %s", (z)->seg->path, (z)->blk, what)

void cdx_store_stream_init(cdx_store_stream *z) {
  memset(z, 0, sizeof *z);
  cdx_buf_init(&z->raw);
  cdx_buf_init(&z->text);
}

void cdx_store_stream_free(cdx_store_stream *z) {
  if (z->zs_ready) inflateEnd(&z->zs);
  cdx_buf_free(&z->raw);
  cdx_buf_free(&z->text);
  free(z->starts);
  free(z->resp);
  cdx_store_stream_init(z);
}

static int open_block(cdx_store_stream *z, const cdx_seg *seg, uint32_t blk, cdx_error *err) {
  const uint8_t *e = seg->r[CDX_R_STOREIDX].p + (size_t)blk * CDX_STORE_IDX_BYTES;
  uint64_t off = cdx_get_u64le(e + 4);
  uint32_t clen = cdx_get_u32le(e + 12);
  uint32_t next =
      blk + 1 < seg->n_store_blocks ? cdx_get_u32le(e + CDX_STORE_IDX_BYTES) : seg->n_units;
  z->seg = seg;
  z->blk = blk;
  z->first = cdx_get_u32le(e);
  z->n = next - z->first;
  z->rlen = cdx_get_u32le(e + 16);
  z->done = false;
  z->n_known = 0;
  /* the index entry's own bounds (an open since version 7 checks no entry) */
  if (z->first >= next || next > seg->n_units || off > seg->r[CDX_R_STORE].len ||
      clen > seg->r[CDX_R_STORE].len - off) {
    z->seg = NULL;
    return cdx_err_corrupt(err, "%s: corrupt segment: stored block %u out of range", seg->path,
                           blk);
  }
  /* zlib cannot expand more than ~1032:1; a larger claim is corruption, not
   * a reason to allocate gigabytes */
  if ((uint64_t)z->rlen > (uint64_t)clen * 1100 + 64) {
    z->seg = NULL;
    return cdx_err_corrupt(err, "%s: corrupt segment: stored block %u size", seg->path, blk);
  }
  cdx_buf_reset(&z->raw);
  if ((size_t)z->n + 1 > z->starts_cap) {
    uint32_t *starts = realloc(z->starts, ((size_t)z->n + 1) * sizeof *starts);
    if (!starts) {
      z->seg = NULL;
      return cdx_err_nomem(err, NULL);
    }
    z->starts = starts;
    z->starts_cap = (size_t)z->n + 1;
  }
  if (cdx_buf_reserve(&z->raw, (size_t)z->rlen + 1) != CDX_OK) {
    z->seg = NULL;
    return cdx_err_nomem(err, NULL);
  }
  z->starts[0] = 0;
  z->n_known = 1;
  /* Since version 5 (and in most of 4) blocks are raw deflate: a zlib stream
   * checks its preset dictionary by an Adler-32 of all 32 KiB at every block
   * opened, which was a fifth of a rare-word top-10. */
  int drc = cdx_seg_store_dict(seg, err);
  if (drc != CDX_OK) {
    z->seg = NULL;
    return drc;
  }
  bool raw = seg->store_raw;
  int wbits = raw ? -15 : 15;
  int zrc = z->zs_ready ? inflateReset2(&z->zs, wbits) : inflateInit2(&z->zs, wbits);
  if (zrc == Z_OK) z->zs_ready = true;
  if (zrc == Z_OK && raw && seg->store_dict)
    zrc = inflateSetDictionary(&z->zs, seg->store_dict, seg->store_dict_len);
  if (zrc != Z_OK) {
    z->seg = NULL;
    return zrc == Z_MEM_ERROR ? cdx_err_nomem(err, NULL)
                              : cdx_err_set(err, CDX_IO, CDX_NO_OFFSET, "zlib: %d", zrc);
  }
  z->zs.next_in = (Bytef *)(seg->r[CDX_R_STORE].p + off); /* zlib does not write it */
  z->zs.avail_in = clen;
  z->raw.data[0] = 0;
  return CDX_OK;
}

/* Inflates up to STREAM_STEP more bytes; at the promised length, checks that
 * the stream ends there (with its checksum) and nothing more comes out. */
static int inflate_more(cdx_store_stream *z, cdx_error *err) {
  uint32_t have = (uint32_t)z->raw.len;
  if (have < z->rlen) {
    uint32_t step = z->rlen - have < STREAM_STEP ? z->rlen - have : STREAM_STEP;
    z->zs.next_out = (Bytef *)z->raw.data + have;
    z->zs.avail_out = step;
    int zrc = inflate(&z->zs, Z_SYNC_FLUSH);
    if (zrc == Z_NEED_DICT) {
      if (!z->seg->store_dict ||
          inflateSetDictionary(&z->zs, z->seg->store_dict, z->seg->store_dict_len) != Z_OK)
        return CORRUPT(z, err, "needs a dictionary it does not have");
      zrc = inflate(&z->zs, Z_SYNC_FLUSH);
    }
    uint32_t got = step - z->zs.avail_out;
    z->raw.len += got;
    z->raw.data[z->raw.len] = 0;
    if (zrc == Z_STREAM_END) {
      if (z->raw.len != z->rlen) return CORRUPT(z, err, "is shorter than its index says");
      z->done = true;
      return CDX_OK;
    }
    if (zrc == Z_MEM_ERROR) return cdx_err_nomem(err, NULL);
    if (zrc != Z_OK || got == 0) return CORRUPT(z, err, "does not inflate");
    if (z->raw.len < z->rlen) return CDX_OK;
  }
  unsigned char extra;
  z->zs.next_out = &extra;
  z->zs.avail_out = 1;
  int zrc = inflate(&z->zs, Z_FINISH);
  if (zrc != Z_STREAM_END || z->zs.avail_out != 1) return CORRUPT(z, err, "does not inflate");
  z->done = true;
  return CDX_OK;
}

/* Skips the records before record which, remembering where each starts
 * (starts[which] is known after it). */
static int know_starts(cdx_store_stream *z, uint32_t which, cdx_error *err) {
  while (z->n_known <= which) {
    const uint8_t *p = (const uint8_t *)z->raw.data + z->starts[z->n_known - 1];
    int rc = cdx_seg_parse_record(&p, (const uint8_t *)z->raw.data + z->raw.len, z->seg->version,
                                  NULL, NULL, NULL, NULL);
    if (rc == CDX_OK) {
      z->starts[z->n_known++] = (uint32_t)(p - (const uint8_t *)z->raw.data);
      continue;
    }
    if (z->done) return CORRUPT(z, err, "unit record");
    if ((rc = inflate_more(z, err)) != CDX_OK) return rc;
  }
  return CDX_OK;
}

int cdx_store_stream_unit(cdx_store_stream *z, const cdx_seg *seg, uint32_t u,
                          cdx_ix_unit_fields *out, cdx_error *err) {
  if (u >= seg->n_units)
    return cdx_err_set(err, CDX_INVALID, CDX_NO_OFFSET, "%s: no unit %u", seg->path, u);
  uint32_t blk = cdx_seg_store_block_of(seg, u);
  if (blk >= seg->n_store_blocks)
    return cdx_err_corrupt(err, "%s: corrupt segment: no stored block for unit %u", seg->path, u);
  if (z->seg != seg || z->blk != blk) {
    int rc = open_block(z, seg, blk, err);
    if (rc != CDX_OK) return rc;
  }
  uint32_t which = u - z->first;
  if (which >= z->n) return CORRUPT(z, err, "index");
  int rc = know_starts(z, which, err);
  if (rc != CDX_OK) return rc;
  for (;;) {
    const uint8_t *p = (const uint8_t *)z->raw.data + z->starts[which];
    rc = cdx_seg_parse_record(&p, (const uint8_t *)z->raw.data + z->raw.len, seg->version, out,
                              &z->text, &z->resp, &z->resp_cap);
    if (rc == CDX_OK) {
      if (which + 1 == z->n_known)
        z->starts[z->n_known++] = (uint32_t)(p - (const uint8_t *)z->raw.data);
      return CDX_OK;
    }
    if (rc == CDX_NOMEM) return cdx_err_nomem(err, NULL);
    if (z->done) return CORRUPT(z, err, "unit record");
    if ((rc = inflate_more(z, err)) != CDX_OK) return rc;
  }
}

int cdx_store_stream_finish(cdx_store_stream *z, cdx_error *err) {
  if (!z->seg) return CDX_OK;
  while (!z->done) {
    int rc = inflate_more(z, err);
    if (rc != CDX_OK) return rc;
  }
  if (z->n_known != z->n + 1 || z->starts[z->n] != z->rlen)
    return CORRUPT(z, err, "has bytes after its last unit");
  return CDX_OK;
}

int cdx_store_stream_take(cdx_store_stream *z, const cdx_seg *seg, uint32_t seg_no, uint32_t blk,
                          cdx_store_block **out, cdx_error *err) {
  *out = NULL;
  if (blk >= seg->n_store_blocks)
    return cdx_err_corrupt(err, "%s: corrupt segment: no stored block %u", seg->path, blk);
  /* always from the block's start: a partly read block of this stream
   * knows fewer starts than the cache wants, and reopening costs nothing
   * next to inflating the rest */
  int rc = open_block(z, seg, blk, err);
  if (rc == CDX_OK) rc = know_starts(z, z->n, err);
  if (rc == CDX_OK) rc = cdx_store_stream_finish(z, err);
  cdx_store_block *b = rc == CDX_OK ? malloc(sizeof *b) : NULL;
  if (rc == CDX_OK && !b) rc = cdx_err_nomem(err, NULL);
  if (rc != CDX_OK) {
    z->seg = NULL; /* the block is in an unknown state: reopen next time */
    return rc;
  }
  atomic_init(&b->refs, 1);
  b->seg = seg_no;
  b->blk = blk;
  b->first = z->first;
  b->n = z->n;
  b->version = seg->version;
  b->raw = (uint8_t *)z->raw.data;
  b->starts = z->starts;
  b->bytes = sizeof *b + z->raw.cap + z->starts_cap * sizeof *z->starts;
  /* the buffers are the block's now; the stream starts its next block with
   * new ones */
  cdx_buf_init(&z->raw);
  z->starts = NULL;
  z->starts_cap = 0;
  z->n_known = 0;
  z->seg = NULL;
  *out = b;
  return CDX_OK;
}

int cdx_store_block_unit(const cdx_store_block *b, uint32_t u, cdx_ix_unit_fields *out,
                         cdx_buf *text, const char ***resp, size_t *resp_cap) {
  assert(u >= b->first && u - b->first < b->n);
  uint32_t which = u - b->first;
  const uint8_t *p = b->raw + b->starts[which];
  int rc = cdx_seg_parse_record(&p, b->raw + b->starts[which + 1], b->version, out, text, resp,
                                resp_cap);
  /* the whole block parsed when it was taken, so only memory can fail */
  assert(rc != CDX_SEG_RECORD_INCOMPLETE);
  return rc;
}
