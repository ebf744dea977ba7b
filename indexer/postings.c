/* postings.c - the posting iterator: 128-id blocks, skip entries for seek
 * and block-max, positions decoded only on demand. */
#include <assert.h>
#include <stdlib.h>
#include <string.h>
#include "indexer/block_codec.h"
#include "indexer/intersect.h"
#include "indexer/ix_internal.h"

struct cdx_ix_postings {
  const cdx_seg *seg;
  uint32_t df, nblocks;
  const uint8_t *skips; /* nblocks * skip_bytes, NULL for one block */
  uint32_t skip_bytes;  /* cdx_seg_skip_bytes of the segment's version */
  const uint8_t *data;  /* first block */
  const uint8_t *post_end;
  const uint8_t *pos_base, *pos_end;
  uint32_t blk;    /* current block */
  uint32_t n, idx; /* ids in the block, index of the current one */
  uint32_t ids[CDX_BLOCK_LEN], tfs[CDX_BLOCK_LEN];
  uint32_t block_last, block_max;
  const uint8_t *pos_cur; /* the current block's packed position gaps */
  uint32_t pos_idx;       /* 1 once pbuf is laid out for the block */
  uint32_t pos_total;     /* positions in the block; unit offsets follow */
  uint32_t *pbuf;
  size_t pcap;
  /* The gaps are stored in codec blocks of 128; a unit's positions are
   * decoded from the one or two codec blocks that hold them, when asked:
   * pcb[j] is codec block j's offset from pos_cur (known for j < pcb_known),
   * pcb_done[j] whether it is in pbuf, unit_done[i] whether unit i's gaps
   * are summed into positions. */
  uint32_t *pcb;
  uint8_t *pcb_done;
  size_t pcb_cap;
  uint32_t pcb_known;
  uint8_t unit_done[CDX_BLOCK_LEN];
  uint32_t cur;
};

#define CORRUPT(it, err, what) \
  cdx_err_corrupt(err, "%s: corrupt segment: postings (%s)", (it)->seg->path, what)

static uint32_t skip_last(const cdx_ix_postings *it, uint32_t b) {
  return cdx_get_u32le(it->skips + (size_t)b * it->skip_bytes);
}

/* The first block b >= from whose last id is >= target, or nblocks: a
 * binary search of the skip table (read only for from <= b < nblocks, so
 * a one-block list without skips needs from >= 1 or an early return). */
static uint32_t block_reaching(const cdx_ix_postings *it, uint32_t from, uint32_t target) {
  uint32_t lo = from, hi = it->nblocks;
  while (lo < hi) {
    uint32_t mid = lo + (hi - lo) / 2;
    if (skip_last(it, mid) < target) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/* Block b's score bound length: from its skip entry in version 7, else
 * (and for a single block) the segment's shortest unit, which bounds
 * every unit's length / tf * max_tf as well. */
static uint32_t skip_bound_len(const cdx_ix_postings *it, uint32_t b) {
  if (!it->skips || it->skip_bytes < CDX_SKIP_BYTES) return it->seg->min_len;
  return cdx_get_u32le(it->skips + (size_t)b * it->skip_bytes + 16);
}

static int load_block(cdx_ix_postings *it, uint32_t b, cdx_error *err) {
  it->blk = b;
  it->idx = 0;
  if (b >= it->nblocks) {
    it->cur = CDX_IX_END;
    it->n = 0;
    it->block_last = CDX_IX_END;
    it->block_max = 0;
    return CDX_OK;
  }
  uint32_t n = b + 1 < it->nblocks ? CDX_BLOCK_LEN : it->df - b * CDX_BLOCK_LEN;
  const uint8_t *p = it->data;
  uint32_t base = 0;
  uint64_t pos_off = 0;
  if (it->skips) {
    const uint8_t *s = it->skips + (size_t)b * it->skip_bytes;
    uint32_t boff = cdx_get_u32le(s + 4);
    if (boff > (uint64_t)(it->post_end - it->data)) goto bad;
    p = it->data + boff;
    base = b ? skip_last(it, b - 1) + 1 : 0;
    pos_off = cdx_get_u32le(s + 8);
    it->block_max = cdx_get_u32le(s + 12);
  }
  size_t avail = (size_t)(it->post_end - p);
  size_t used = cdx_block_decode_ids(p, avail, n, base, it->ids);
  if (!used) goto bad;
  size_t used2 = cdx_block_decode_u32(p + used, avail - used, n, it->tfs);
  if (!used2) goto bad;
  uint32_t max = 0;
  for (uint32_t i = 0; i < n; i++) {
    if (it->tfs[i] == UINT32_MAX) goto bad;
    it->tfs[i]++;
    if (it->tfs[i] > max) max = it->tfs[i];
  }
  if (it->ids[n - 1] >= it->seg->n_units) goto bad;
  if (it->skips) {
    if (it->ids[n - 1] != skip_last(it, b) || max != it->block_max) goto bad;
  } else {
    it->block_max = max;
  }
  if (pos_off > (uint64_t)(it->pos_end - it->pos_base)) goto bad;
  it->pos_cur = it->pos_base + pos_off;
  it->pos_idx = 0;
  it->n = n;
  it->block_last = it->ids[n - 1];
  it->cur = it->ids[0];
  return CDX_OK;
bad:
  it->cur = CDX_IX_END;
  it->n = 0;
  it->nblocks = 0;
  return CORRUPT(it, err, "block does not decode");
}

int cdx_ix_postings_open(const cdx_index *ix, size_t seg, const char *term, size_t term_len,
                         cdx_ix_postings **out, cdx_error *err) {
  *out = NULL;
  if (seg >= ix->n_segs) return cdx_err_set(err, CDX_INVALID, CDX_NO_OFFSET, "no segment %zu", seg);
  return cdx_seg_postings_open(&ix->segs[seg].seg, term, term_len, out, err);
}

/* An iterator over the postings of a dictionary entry (e NULL: an absent
 * term, already at END). */
static int open_entry(const cdx_seg *seg, const cdx_term_entry *entry, cdx_ix_postings **out,
                      cdx_error *err) {
  *out = NULL;
  cdx_ix_postings *it = calloc(1, sizeof *it);
  if (!it) return cdx_err_set(err, CDX_NOMEM, CDX_NO_OFFSET, "out of memory");
  it->seg = seg;
  it->cur = CDX_IX_END;
  it->block_last = CDX_IX_END;
  if (!entry) {
    *out = it;
    return CDX_OK;
  }
  cdx_term_entry e = *entry;
  int rc;
  const cdx_region_view *post = &it->seg->r[CDX_R_POST], *pos = &it->seg->r[CDX_R_POS];
  it->df = e.df;
  it->nblocks = (e.df + CDX_BLOCK_LEN - 1) / CDX_BLOCK_LEN;
  it->post_end = post->p + post->len;
  it->pos_base = pos->p + e.pos_off;
  it->pos_end = pos->p + pos->len;
  const uint8_t *p = post->p + e.post_off;
  it->skip_bytes = (uint32_t)cdx_seg_skip_bytes(seg->version);
  if (it->nblocks > 1) {
    uint64_t need = (uint64_t)it->nblocks * it->skip_bytes;
    if (need > (uint64_t)(it->post_end - p)) {
      rc = CORRUPT(it, err, "skip table out of range");
      free(it);
      return rc;
    }
    it->skips = p;
    p += need;
    /* skip entries drive seek, so they are checked before any is trusted */
    uint32_t prev_last = 0, prev_off = 0, prev_pos = 0;
    for (uint32_t b = 0; b < it->nblocks; b++) {
      const uint8_t *s = it->skips + (size_t)b * it->skip_bytes;
      uint32_t last = cdx_get_u32le(s), off = cdx_get_u32le(s + 4), po = cdx_get_u32le(s + 8);
      if ((b && (last <= prev_last || off <= prev_off || po < prev_pos)) ||
          last >= it->seg->n_units ||
          (uint64_t)last + 1 < ((b + 1) * CDX_BLOCK_LEN < e.df ? (b + 1) * CDX_BLOCK_LEN : e.df) ||
          (b == 0 && (off != 0 || po != 0)) || cdx_get_u32le(s + 12) == 0) {
        rc = CORRUPT(it, err, "skip entries out of order");
        free(it);
        return rc;
      }
      prev_last = last;
      prev_off = off;
      prev_pos = po;
    }
  }
  it->data = p;
  rc = load_block(it, 0, err);
  if (rc != CDX_OK) {
    free(it);
    return rc;
  }
  *out = it;
  return CDX_OK;
}

int cdx_seg_postings_open(const cdx_seg *seg, const char *term, size_t term_len,
                          cdx_ix_postings **out, cdx_error *err) {
  *out = NULL;
  cdx_term_entry e;
  bool found;
  int rc = cdx_seg_lookup(seg, term, term_len, &e, &found, err);
  if (rc != CDX_OK) return rc;
  return open_entry(seg, found ? &e : NULL, out, err);
}

typedef struct prefix_acc {
  const cdx_seg *seg;
  cdx_ix_postings **its;
  size_t n, cap;
} prefix_acc;

static int add_prefixed(void *ctx, const uint8_t *term, size_t len, const cdx_term_entry *e,
                        cdx_error *err) {
  (void)term;
  (void)len;
  prefix_acc *a = ctx;
  if (CDX_GROW(a->its, a->cap, a->n + 1, 16) != CDX_OK)
    return cdx_err_set(err, CDX_NOMEM, CDX_NO_OFFSET, "out of memory");
  int rc = open_entry(a->seg, e, &a->its[a->n], err);
  if (rc == CDX_OK) a->n++;
  return rc;
}

int cdx_ix_postings_open_prefix(const cdx_index *ix, size_t seg, const char *prefix, size_t len,
                                cdx_ix_postings ***out, size_t *n, cdx_error *err) {
  *out = NULL;
  *n = 0;
  if (seg >= ix->n_segs) return cdx_err_set(err, CDX_INVALID, CDX_NO_OFFSET, "no segment %zu", seg);
  prefix_acc a = {&ix->segs[seg].seg, NULL, 0, 0};
  int rc = cdx_seg_each_prefixed(a.seg, prefix, len, add_prefixed, &a, err);
  if (rc != CDX_OK) {
    for (size_t i = 0; i < a.n; i++) cdx_ix_postings_free(a.its[i]);
    free(a.its);
    return rc;
  }
  *out = a.its;
  *n = a.n;
  return CDX_OK;
}

typedef struct named_acc {
  const cdx_seg *seg;
  size_t skip;
  cdx_ix_term_fn fn;
  void *ctx;
} named_acc;

static int call_named(void *ctx, const uint8_t *term, size_t len, const cdx_term_entry *e,
                      cdx_error *err) {
  named_acc *a = ctx;
  cdx_ix_postings *it;
  int rc = open_entry(a->seg, e, &it, err);
  if (rc != CDX_OK) return rc;
  rc = a->fn(a->ctx, (const char *)term + a->skip, len - a->skip, it, err);
  cdx_ix_postings_free(it);
  return rc;
}

int cdx_ix_each_prefixed(const cdx_index *ix, size_t seg, const char *prefix, size_t len,
                         cdx_ix_term_fn fn, void *ctx, cdx_error *err) {
  if (seg >= ix->n_segs) return cdx_err_set(err, CDX_INVALID, CDX_NO_OFFSET, "no segment %zu", seg);
  named_acc a = {&ix->segs[seg].seg, len, fn, ctx};
  return cdx_seg_each_prefixed(a.seg, prefix, len, call_named, &a, err);
}

void cdx_ix_postings_free(cdx_ix_postings *it) {
  if (!it) return;
  free(it->pbuf);
  free(it->pcb);
  free(it->pcb_done);
  free(it);
}

uint32_t cdx_ix_postings_df(const cdx_ix_postings *it) { return it->df; }
uint32_t cdx_ix_postings_unit(const cdx_ix_postings *it) { return it->cur; }
uint32_t cdx_ix_postings_tf(const cdx_ix_postings *it) {
  return it->cur == CDX_IX_END ? 0 : it->tfs[it->idx];
}
uint32_t cdx_ix_postings_block_last(const cdx_ix_postings *it) { return it->block_last; }
uint32_t cdx_ix_postings_block_max_tf(const cdx_ix_postings *it) {
  return it->cur == CDX_IX_END ? 0 : it->block_max;
}

int cdx_ix_postings_next(cdx_ix_postings *it, cdx_error *err) {
  if (it->cur == CDX_IX_END) return CDX_OK;
  if (++it->idx < it->n) {
    if (it->ids[it->idx] <= it->cur) {
      it->cur = CDX_IX_END;
      return CORRUPT(it, err, "ids not ascending");
    }
    it->cur = it->ids[it->idx];
    return CDX_OK;
  }
  return load_block(it, it->blk + 1, err);
}

int cdx_ix_postings_mark(cdx_ix_postings *it, uint64_t *bits, uint64_t *n, cdx_error *err) {
  *n = 0;
  if (it->cur == CDX_IX_END) return CDX_OK;
  uint32_t blk = it->blk, idx = it->idx;
  /* load_block keeps every id below n_units and ascending (the codec
   * stores gaps - 1), so each bit is inside the caller's bitmap and set once */
  for (int rc; it->cur != CDX_IX_END;) {
    for (uint32_t i = it->idx; i < it->n; i++) bits[it->ids[i] >> 6] |= 1ULL << (it->ids[i] & 63);
    *n += it->n - it->idx;
    if ((rc = load_block(it, it->blk + 1, err)) != CDX_OK) return rc;
  }
  int rc = load_block(it, blk, err);
  if (rc == CDX_OK) it->cur = it->ids[it->idx = idx];
  return rc;
}

int cdx_ix_postings_seek(cdx_ix_postings *it, uint32_t target, cdx_error *err) {
  if (it->cur == CDX_IX_END || it->cur >= target) return CDX_OK;
  if (target > it->block_last) {
    if (!it->skips) return load_block(it, it->nblocks, err);
    int rc = load_block(it, block_reaching(it, it->blk + 1, target), err);
    if (rc != CDX_OK || it->cur == CDX_IX_END) return rc;
  }
  while (it->cur < target) {
    int rc = cdx_ix_postings_next(it, err);
    if (rc != CDX_OK) return rc;
  }
  return CDX_OK;
}

bool cdx_ix_postings_peek_block(const cdx_ix_postings *it, uint32_t target, uint32_t *first,
                                uint32_t *last, uint32_t *max_tf, uint32_t *bound_len) {
  if (it->cur == CDX_IX_END) return false;
  if (!it->skips) {
    if (it->block_last < target) return false;
    *first = it->ids[0];
    *last = it->block_last;
    *max_tf = it->block_max;
    *bound_len = skip_bound_len(it, 0);
    return true;
  }
  uint32_t lo = block_reaching(it, it->blk, target);
  if (lo >= it->nblocks) return false;
  *first = lo ? skip_last(it, lo - 1) + 1 : 0;
  *last = skip_last(it, lo);
  *max_tf = cdx_get_u32le(it->skips + (size_t)lo * it->skip_bytes + 12);
  *bound_len = skip_bound_len(it, lo);
  return true;
}

/* Decodes the position gaps of the whole current block once (they are
 * packed 128 at a time across the block's units), then serves any unit of
 * the block from the buffer. */
/* Lays out pbuf for the block: room for its positions, then each unit's
 * offset into them (the prefix sums of the tfs); nothing is decoded yet. */
static int layout_block_positions(cdx_ix_postings *it, cdx_error *err) {
  uint64_t total = 0;
  for (uint32_t i = 0; i < it->n; i++) total += it->tfs[i];
  if (total > (uint64_t)(it->pos_end - it->pos_cur) * 8 + CDX_BLOCK_LEN * 2)
    return CORRUPT(it, err, "positions out of range"); /* >= 1 bit each, roughly */
  if (total + it->n > it->pcap) {
    uint32_t *nb = realloc(it->pbuf, (size_t)(total + it->n) * sizeof *nb);
    if (!nb) return cdx_err_set(err, CDX_NOMEM, CDX_NO_OFFSET, "out of memory");
    it->pbuf = nb;
    it->pcap = (size_t)(total + it->n);
  }
  size_t ncb = (size_t)((total + CDX_BLOCK_LEN - 1) / CDX_BLOCK_LEN);
  if (ncb + 1 > it->pcb_cap) {
    uint32_t *np = realloc(it->pcb, (ncb + 1) * sizeof *np);
    if (np) it->pcb = np;
    uint8_t *nd = np ? realloc(it->pcb_done, ncb + 1) : NULL;
    if (!nd) return cdx_err_set(err, CDX_NOMEM, CDX_NO_OFFSET, "out of memory");
    it->pcb_done = nd;
    it->pcb_cap = ncb + 1;
  }
  memset(it->pcb_done, 0, ncb);
  memset(it->unit_done, 0, it->n);
  it->pcb[0] = 0;
  it->pcb_known = 1;
  uint32_t *start = it->pbuf + total;
  uint32_t at = 0;
  for (uint32_t i = 0; i < it->n; i++) {
    start[i] = at;
    at += it->tfs[i];
  }
  it->pos_idx = 1;
  it->pos_total = (uint32_t)total;
  return CDX_OK;
}

/* Decodes codec block j of the block's position gaps into pbuf. The blocks
 * before it are skipped by their sizes (cdx_block_size), not decoded. */
/* How many of the block's `total` position gaps codec block j holds. */
static size_t cb_values(uint32_t total, uint32_t j) {
  size_t rest = total - (size_t)j * CDX_BLOCK_LEN;
  return rest < CDX_BLOCK_LEN ? rest : CDX_BLOCK_LEN;
}

static int decode_positions_cb(cdx_ix_postings *it, uint32_t j, cdx_error *err) {
  uint32_t total = it->pos_total;
  size_t avail = (size_t)(it->pos_end - it->pos_cur);
  while (it->pcb_known <= j) {
    uint32_t k = it->pcb_known - 1, off = it->pcb[k];
    size_t used = cdx_block_size(it->pos_cur + off, avail - off, cb_values(total, k));
    if (!used) return CORRUPT(it, err, "positions do not decode");
    it->pcb[it->pcb_known++] = off + (uint32_t)used;
  }
  uint32_t off = it->pcb[j];
  if (off > avail || !cdx_block_decode_u32(it->pos_cur + off, avail - off, cb_values(total, j),
                                           it->pbuf + (size_t)j * CDX_BLOCK_LEN))
    return CORRUPT(it, err, "positions do not decode");
  it->pcb_done[j] = 1;
  return CDX_OK;
}

int cdx_ix_postings_positions(cdx_ix_postings *it, const uint32_t **pos, size_t *n,
                              cdx_error *err) {
  if (it->cur == CDX_IX_END)
    return cdx_err_set(err, CDX_INVALID, CDX_NO_OFFSET, "positions asked at the end of a list");
  int rc;
  if (!it->pos_idx && (rc = layout_block_positions(it, err)) != CDX_OK) return rc;
  uint32_t i = it->idx, tf = it->tfs[i];
  uint32_t off = it->pbuf[it->pos_total + i];
  if (!it->unit_done[i]) {
    for (uint32_t j = off / CDX_BLOCK_LEN; j <= (off + tf - 1) / CDX_BLOCK_LEN; j++)
      if (!it->pcb_done[j] && (rc = decode_positions_cb(it, j, err)) != CDX_OK) return rc;
    /* gaps -> positions; the first is the position itself */
    uint64_t acc = 0;
    for (uint32_t k = 0; k < tf; k++) {
      uint32_t g = it->pbuf[off + k];
      if ((k && g == 0) || (acc += g) > UINT32_MAX)
        return CORRUPT(it, err, "positions out of order");
      it->pbuf[off + k] = (uint32_t)acc;
    }
    it->unit_done[i] = 1;
  }
  *pos = it->pbuf + off;
  *n = tf;
  return CDX_OK;
}

/* ---- Count-only AND ---- */

/* Block b's ids alone into out (a count needs no tf), checked as
 * load_block checks them; *n_out gets their number. */
static int block_ids(const cdx_ix_postings *it, uint32_t b, uint32_t *out, uint32_t *n_out,
                     cdx_error *err) {
  assert(b < it->nblocks);
  uint32_t n = b + 1 < it->nblocks ? CDX_BLOCK_LEN : it->df - b * CDX_BLOCK_LEN;
  const uint8_t *p = it->data;
  uint32_t base = 0;
  if (it->skips) {
    uint32_t boff = cdx_get_u32le(it->skips + (size_t)b * it->skip_bytes + 4);
    if (boff > (uint64_t)(it->post_end - it->data))
      return CORRUPT(it, err, "block does not decode");
    p += boff;
    base = b ? skip_last(it, b - 1) + 1 : 0;
  }
  if (!cdx_block_decode_ids(p, (size_t)(it->post_end - p), n, base, out) ||
      out[n - 1] >= it->seg->n_units || (it->skips && out[n - 1] != skip_last(it, b)))
    return CORRUPT(it, err, "block does not decode");
  *n_out = n;
  return CDX_OK;
}

static uint32_t block_last_id(const cdx_ix_postings *it, uint32_t b) {
  return it->skips ? skip_last(it, b) : it->block_last;
}

/* The first index of a[0..n) whose id is > x. */
static uint32_t upper_bound(const uint32_t *a, uint32_t n, uint32_t x) {
  uint32_t lo = 0, hi = n;
  while (lo < hi) {
    uint32_t mid = lo + (hi - lo) / 2;
    if (a[mid] <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

typedef struct and_list {
  cdx_ix_postings *it;
  uint32_t blk; /* block decoded into ids, or UINT32_MAX */
  uint32_t n;
  uint32_t ids[CDX_BLOCK_LEN];
} and_list;

/* The candidates cand[0..m) that are in list l too, into out. Blocks of l
 * that hold no candidate (by their id bounds in the skip table) are not
 * decoded. *done when l has no unit left at or after the candidates. */
static int and_step(and_list *l, const uint32_t *cand, uint32_t m, uint32_t *out, uint32_t *m_out,
                    bool *done, cdx_error *err) {
  cdx_ix_postings *it = l->it;
  uint32_t k = 0, c = 0;
  uint32_t b = l->blk == UINT32_MAX ? it->blk : l->blk;
  while (c < m) {
    /* the first block whose last id >= cand[c] */
    if (block_last_id(it, b) < cand[c]) {
      b = block_reaching(it, b + 1, cand[c]);
      if (b >= it->nblocks) {
        *done = true;
        break;
      }
    }
    uint32_t last = block_last_id(it, b), first = b ? skip_last(it, b - 1) + 1 : 0;
    uint32_t end = c + upper_bound(cand + c, m - c, last); /* candidates up to last */
    if (cand[end - 1] >= first) {
      if (l->blk != b) {
        int rc = block_ids(it, b, l->ids, &l->n, err);
        if (rc) return rc;
        l->blk = b;
      }
      k += (uint32_t)cdx_intersect_u32(cand + c, end - c, l->ids, l->n, out + k);
    }
    c = end;
  }
  *m_out = k;
  return CDX_OK;
}

/* ---- AND with term frequencies ---- */

_Static_assert(CDX_IX_AND_BLOCK == CDX_BLOCK_LEN, "fn gets at most one lead block");

/* Keeps the candidates cand[0..*m) that list o holds, with o's tf into
 * tf[oi]; the rows of the lists already applied (rows[0..nrows)) move with
 * their candidates. Blocks of o that hold no candidate are not decoded.
 * *done when o has no unit left at or after the remaining candidates. */
static int and_filter_tf(cdx_ix_postings *o, size_t oi, uint32_t *cand, uint32_t *m,
                         uint32_t (*tf)[CDX_BLOCK_LEN], const size_t *rows, size_t nrows,
                         bool *done, cdx_error *err) {
  uint32_t k = 0, c = 0, n = *m;
  while (c < n) {
    uint32_t b = o->blk;
    if (b >= o->nblocks || block_last_id(o, b) < cand[c]) {
      uint32_t lo = b < o->nblocks ? block_reaching(o, b + 1, cand[c]) : o->nblocks;
      if (lo >= o->nblocks) {
        *done = true;
        break;
      }
      int rc = load_block(o, lo, err);
      if (rc) return rc;
    }
    /* o's block now ends at or after cand[c]: merge the candidates it spans.
     * Branch-free (which side moves is a coin toss for equal densities): the
     * candidate and its tfs are written at k whatever, and k moves on a
     * match. k <= c, so the writes never pass the candidates still to read. */
    uint32_t end = c + upper_bound(cand + c, n - c, o->block_last), j = 0, on = o->n;
    while (c < end && j < on) {
      uint32_t x = cand[c], y = o->ids[j];
      cand[k] = x;
      for (size_t r = 0; r < nrows; r++) tf[rows[r]][k] = tf[rows[r]][c];
      tf[oi][k] = o->tfs[j];
      k += x == y;
      c += x <= y;
      j += y <= x;
    }
    c = end;
  }
  *m = k;
  return CDX_OK;
}

int cdx_ix_postings_each_and(cdx_ix_postings **its, size_t n, cdx_ix_and_fn fn, void *ctx,
                             cdx_error *err) {
  assert(n >= 1 && n <= CDX_IX_AND_MAX);
  size_t lead = 0;
  for (size_t i = 1; i < n; i++)
    if (its[i]->df < its[lead]->df) lead = i;
  bool done = false;
  uint32_t from = 0;
  for (size_t i = 0; i < n; i++) {
    done |= its[i]->cur == CDX_IX_END;
    if (its[i]->cur > from) from = its[i]->cur;
  }
  uint32_t cand[CDX_BLOCK_LEN], tf[CDX_IX_AND_MAX][CDX_BLOCK_LEN];
  const uint32_t *rowp[CDX_IX_AND_MAX];
  for (size_t i = 0; i < n; i++) rowp[i] = tf[i];
  size_t rows[CDX_IX_AND_MAX];
  cdx_ix_postings *a = its[lead];
  int rc = CDX_OK;
  for (uint32_t b = a->blk; !done && b < a->nblocks; b++) {
    if ((rc = load_block(a, b, err)) != CDX_OK) break;
    uint32_t skip = from ? upper_bound(a->ids, a->n, from - 1) : 0; /* ids < from */
    uint32_t m = a->n - skip;
    memcpy(cand, a->ids + skip, m * sizeof *cand);
    memcpy(tf[lead], a->tfs + skip, m * sizeof **tf);
    rows[0] = lead;
    size_t nrows = 1;
    for (size_t i = 0; i < n && m > 0 && rc == CDX_OK; i++) {
      if (i == lead) continue;
      rc = and_filter_tf(its[i], i, cand, &m, tf, rows, nrows, &done, err);
      rows[nrows++] = i;
    }
    if (rc == CDX_OK && m > 0) rc = fn(ctx, cand, m, rowp, err);
    if (rc) break;
  }
  for (size_t i = 0; i < n; i++) load_block(its[i], its[i]->nblocks, err); /* at END */
  return rc;
}

int cdx_ix_postings_count_and(cdx_ix_postings **its, size_t n, uint64_t *count, cdx_error *err) {
  assert(n >= 1);
  *count = 0;
  size_t lead = 0;
  for (size_t i = 1; i < n; i++)
    if (its[i]->df < its[lead]->df) lead = i;
  and_list *ls = malloc((n ? n : 1) * sizeof *ls);
  int rc = CDX_OK;
  if (!ls) return cdx_err_set(err, CDX_NOMEM, CDX_NO_OFFSET, "out of memory");
  size_t nl = 0;
  for (size_t i = 0; i < n; i++)
    if (i != lead) ls[nl++] = (and_list){its[i], UINT32_MAX, 0, {0}};
  cdx_ix_postings *a = its[lead];
  /* each list counts from its current unit on, so no id below the largest
   * of them can be in all */
  bool done = false;
  uint32_t from = 0;
  for (size_t i = 0; i < n; i++) {
    done |= its[i]->cur == CDX_IX_END;
    if (its[i]->cur > from) from = its[i]->cur;
  }
  uint32_t x[CDX_BLOCK_LEN + CDX_INTERSECT_SLACK], y[CDX_BLOCK_LEN + CDX_INTERSECT_SLACK];
  for (uint32_t b = a->blk; !done && b < a->nblocks; b++) {
    uint32_t m, *cand = x, *other = y;
    if ((rc = block_ids(a, b, x, &m, err)) != CDX_OK) goto out;
    uint32_t skip = from ? upper_bound(x, m, from - 1) : 0; /* ids < from */
    cand += skip;
    m -= skip;
    /* a list that ends here still filters this block's candidates */
    for (size_t i = 0; i < nl && m > 0; i++) {
      if ((rc = and_step(&ls[i], cand, m, other, &m, &done, err)) != CDX_OK) goto out;
      cand = other;
      other = other == y ? x : y;
    }
    *count += m;
  }
out:
  for (size_t i = 0; i < n; i++) load_block(its[i], its[i]->nblocks, err); /* at END */
  free(ls);
  return rc;
}
