/* dept_column.c - the dense department column of a segment (version 7):
 * every unit's canonical departments and roles in four regions of their
 * own, so that counting departments over a set of units (the dept and lead
 * facets) reads a few bytes a unit instead of each unit's UVARS record or
 * every department term's postings. Layout: docs/FORMAT.md, "Version 7:
 * the dense department column".
 *
 *   DEPTNAMES  u32 x n: the column's names as NAMES ids, most listed first
 *   DEPTLEN    u8 x n_units: the byte length of each unit's entries
 *   DEPTBASE   u32 x ceil(n_units / 64): DEPTCOL offset of each block of
 *              64 units' first entry
 *   DEPTCOL    per unit, per department: varint (name index << 4 | roles)
 *
 * Most listed first keeps the common names' entries one byte long. The
 * column repeats what UVARS says (UVARS keeps the as-written names): it is
 * an accelerator, and a segment may have it empty (all four regions; a
 * unit whose entries pass 255 bytes), readers then use UVARS.
 */
#include <stdlib.h>
#include <string.h>
#include "indexer/ix_internal.h"

#define CORRUPT(seg, err, ...) cdx_err_corrupt(err, "%s: corrupt segment: " __VA_ARGS__)
#define BLOCK 64

/* ---- building ---- */

typedef struct name_freq {
  uint32_t id, n;
} name_freq;

static int by_freq(const void *x, const void *y) {
  const name_freq *a = x, *b = y;
  if (a->n != b->n) return a->n > b->n ? -1 : 1;
  return a->id < b->id ? -1 : a->id > b->id;
}

int cdx_uvarb_dept_column(cdx_uvarb *b, uint32_t n_units) {
  cdx_buf_reset(&b->deptnames);
  cdx_buf_reset(&b->deptlen);
  cdx_buf_reset(&b->deptbase);
  cdx_buf_reset(&b->deptcol);
  assert(b->dcount.len == (size_t)n_units * 4);
  size_t n_ent = b->dent.len / 4;
  const uint8_t *cnt = (const uint8_t *)b->dcount.data, *ent = (const uint8_t *)b->dent.data;
  /* the names' frequencies, then their order: index[name id] */
  name_freq *fr = calloc(b->n_names ? b->n_names : 1, sizeof *fr);
  uint32_t *index = malloc((b->n_names ? b->n_names : 1) * sizeof *index);
  if (!fr || !index) {
    free(fr);
    free(index);
    return CDX_NOMEM;
  }
  for (size_t i = 0; i < b->n_names; i++) fr[i].id = (uint32_t)i;
  for (size_t e = 0; e < n_ent; e++) {
    uint32_t v = cdx_get_u32le(ent + 4 * e);
    assert((v >> 4) < b->n_names);
    fr[v >> 4].n++;
  }
  qsort(fr, b->n_names, sizeof *fr, by_freq);
  size_t n_used = 0;
  while (n_used < b->n_names && fr[n_used].n) n_used++;
  int rc = CDX_OK;
  for (size_t i = 0; i < n_used; i++) {
    index[fr[i].id] = (uint32_t)i;
    cdx_buf_put_u32le(&rc, &b->deptnames, fr[i].id);
  }
  size_t e = 0;
  for (uint32_t u = 0; u < n_units && rc == CDX_OK; u++) {
    if (u % BLOCK == 0) cdx_buf_put_u32le(&rc, &b->deptbase, (uint32_t)b->deptcol.len);
    size_t start = b->deptcol.len;
    uint32_t n = cdx_get_u32le(cnt + 4 * (size_t)u);
    for (uint32_t k = 0; k < n; k++, e++) {
      uint32_t v = cdx_get_u32le(ent + 4 * e);
      cdx_buf_put_varint(&rc, &b->deptcol, (uint64_t)index[v >> 4] << 4 | (v & 15));
    }
    size_t len = b->deptcol.len - start;
    if (len > 255 || b->deptcol.len > UINT32_MAX) {
      /* no column for this segment: the readers take UVARS */
      rc = CDX_LIMIT;
      break;
    }
    cdx_buf_putc(&rc, &b->deptlen, (char)len);
  }
  free(fr);
  free(index);
  if (rc == CDX_LIMIT || n_units == 0) {
    cdx_buf_reset(&b->deptnames);
    cdx_buf_reset(&b->deptlen);
    cdx_buf_reset(&b->deptbase);
    cdx_buf_reset(&b->deptcol);
    rc = CDX_OK;
  }
  return rc;
}

/* ---- reading ---- */

int cdx_seg_deptcol_validate(cdx_seg *seg, cdx_error *err) {
  seg->n_dept_names = 0;
  if (seg->version < 7) return CDX_OK;
  const cdx_region_view *nm = &seg->r[CDX_R_DEPTNAMES], *ln = &seg->r[CDX_R_DEPTLEN],
                        *bs = &seg->r[CDX_R_DEPTBASE], *col = &seg->r[CDX_R_DEPTCOL];
  if (ln->len == 0) {
    /* no column: all four empty */
    if (nm->len || bs->len || col->len)
      return CORRUPT(seg, err, "department column regions disagree", seg->path);
    return CDX_OK;
  }
  uint64_t blocks = ((uint64_t)seg->n_units + BLOCK - 1) / BLOCK;
  if (ln->len != seg->n_units || bs->len != blocks * 4 || nm->len % 4 != 0 ||
      nm->len / 4 > seg->n_names || col->len > UINT32_MAX)
    return CORRUPT(seg, err, "department column regions disagree with the counts", seg->path);
  for (uint64_t i = 0; i < nm->len / 4; i++)
    if (cdx_get_u32le(nm->p + 4 * i) >= seg->n_names)
      return CORRUPT(seg, err, "department column name %u out of range", seg->path, (unsigned)i);
  uint32_t prev = 0;
  for (uint64_t k = 0; k < blocks; k++) {
    uint32_t o = cdx_get_u32le(bs->p + 4 * k);
    if (o < prev || o > col->len)
      return CORRUPT(seg, err, "department column block %u out of range", seg->path, (unsigned)k);
    prev = o;
  }
  seg->n_dept_names = (uint32_t)(nm->len / 4);
  /* a column without names has no entries: n_dept_names 0 then still
   * means "column present" through DEPTLEN */
  return CDX_OK;
}

static bool has_column(const cdx_seg *seg) {
  return seg->version >= 7 && seg->r[CDX_R_DEPTLEN].len != 0;
}

bool cdx_ix_dept_column_open(const cdx_index *ix, size_t s, cdx_ix_dept_column *c) {
  const cdx_seg *seg = &ix->segs[s].seg;
  c->seg = seg;
  c->n_names = seg->n_dept_names;
  return has_column(seg);
}

uint32_t cdx_ix_dept_column_name(const cdx_ix_dept_column *c, uint32_t i) {
  assert(i < c->n_names);
  return cdx_get_u32le(c->seg->r[CDX_R_DEPTNAMES].p + 4 * (size_t)i);
}

/* The end of block k's entries in DEPTCOL. */
static uint64_t block_end(const cdx_seg *seg, uint64_t k) {
  uint64_t blocks = ((uint64_t)seg->n_units + BLOCK - 1) / BLOCK;
  return k + 1 < blocks ? cdx_get_u32le(seg->r[CDX_R_DEPTBASE].p + 4 * (k + 1))
                        : seg->r[CDX_R_DEPTCOL].len;
}

/* The values (name index << 4 | roles) below this many are counted in a
 * histogram by value, one per stream: the column's 32 most listed names,
 * nearly every entry, in 4 KB. Rarer names are added into `counts` one by
 * one (a few percent slower than 256 names on the 1 GB corpus, and the
 * seeds and test corpora have more than 32, so that path is tested). */
#define HOT_VALUES 512

/* Matched units' entries are decoded from STREAMS buffers of up to a
 * block's bytes each (with 16 bytes of slack for whole-word copies and the
 * decoder's look-ahead). */
#define STREAMS 2 /* pass 2 below is written out for two */
#define STREAM_CAP (BLOCK * 255 + 16)
_Static_assert(STREAMS == 2, "cdx_ix_dept_column_count decodes two streams");

/* One entry at *pp (< e, with two readable bytes): a one- or two-byte
 * value below hot into hist, anything else (a rarer name, a longer varint)
 * into counts directly. */
static inline int step(const cdx_seg *seg, const uint8_t **pp, const uint8_t *e, uint32_t *hist,
                       uint32_t hot, uint32_t n_names, uint64_t *counts, cdx_error *err) {
  const uint8_t *p = *pp;
  if (p >= e) return CDX_OK;
  uint32_t x0 = p[0], x1 = p[1], two = x0 >> 7;
  uint32_t v = (x0 & 0x7f) | ((x1 << 7) & (0u - two));
  if (!(x0 & x1 & 0x80) && v < hot) {
    *pp = p + 1 + two;
    hist[v]++;
    return CDX_OK;
  }
  uint64_t big;
  if (!cdx_get_varint(pp, e, &big) || (big >> 4) >= n_names)
    return CORRUPT(seg, err, "department column entry out of range", seg->path);
  counts[big >> 4] += (uint64_t)(big & CDX_ROLE_LISTED) | (uint64_t)(big & CDX_ROLE_LEAD) << 31;
  return CDX_OK;
}

int cdx_ix_dept_column_count(const cdx_ix_dept_column *c, const uint64_t *units, uint64_t *counts,
                             cdx_error *err) {
  const cdx_seg *seg = c->seg;
  assert(has_column(seg));
  const uint8_t *len = seg->r[CDX_R_DEPTLEN].p, *col = seg->r[CDX_R_DEPTCOL].p,
                *base = seg->r[CDX_R_DEPTBASE].p, *col_end = col + seg->r[CDX_R_DEPTCOL].len;
  uint64_t blocks = ((uint64_t)seg->n_units + BLOCK - 1) / BLOCK;
  uint32_t n_names = c->n_names;
  uint32_t hot = n_names < HOT_VALUES / 16 ? 16 * n_names : HOT_VALUES;
  /* hist: STREAMS x hot counts; buf: the streams */
  uint32_t *hist = calloc(STREAMS * (size_t)(hot ? hot : 1), sizeof *hist);
  uint8_t *buf = malloc(STREAMS * STREAM_CAP);
  if (!hist || !buf) {
    free(hist);
    free(buf);
    return cdx_err_set(err, CDX_NOMEM, CDX_NO_OFFSET, "out of memory counting departments");
  }
  int rc = CDX_OK;
  /* the last block may be short: its bits past the units are never set
   * by a caller, but a bad bitmap must not read past DEPTLEN */
  uint64_t last_mask = seg->n_units % BLOCK ? (1ULL << (seg->n_units % BLOCK)) - 1 : ~0ULL;
  /* Two passes a block: the matched units' entries are copied together
   * (a unit's entries are whole varints, so the copy is a stream of them),
   * then decoded in one loop without a branch per unit or per entry width:
   * the hot loop of a department facet. */
  for (uint64_t k = 0; k < blocks && rc == CDX_OK; k++) {
    uint64_t w = units[k];
    if (!w) continue;
    if (k + 1 == blocks && (w & ~last_mask)) {
      rc = CORRUPT(seg, err, "department column: unit past the end", seg->path);
      break;
    }
    const uint8_t *b0 = col + cdx_get_u32le(base + 4 * k), *bend = col + block_end(seg, k);
    const uint8_t *ul = len + k * BLOCK;
    unsigned in_block = k + 1 == blocks && seg->n_units % BLOCK ? seg->n_units % BLOCK : BLOCK;
    /* the units' offsets in the block, eight lengths at a time: a multiply
     * by 0x0101... leaves in byte r the sum of lengths 0..r (exact while
     * they are below 32 each, as nearly always; else one by one) */
    uint64_t pre[BLOCK / 8];
    uint32_t before[BLOCK / 8 + 1];
    before[0] = 0;
    unsigned groups = (in_block + 7) / 8;
    for (unsigned g = 0; g < groups; g++) {
      uint64_t x = 0;
      unsigned m = in_block - 8 * g < 8 ? in_block - 8 * g : 8;
      if (m == 8) {
        memcpy(&x, ul + 8 * g, 8); /* little-endian: unit 8g + r in byte r */
      } else {
        for (unsigned r = 0; r < m; r++) x |= (uint64_t)ul[8 * g + r] << (8 * r);
      }
      if (x & 0xE0E0E0E0E0E0E0E0ULL) {
        uint64_t sum = 0, y = 0;
        for (unsigned r = 0; r < 8; r++) {
          sum += (x >> (8 * r)) & 0xff;
          y |= (sum > 255 ? 255 : sum) << (8 * r);
        }
        /* a group whose sums pass a byte: mark it, count it unit by unit */
        pre[g] = sum > 255 ? UINT64_MAX : y;
        before[g + 1] = before[g] + (uint32_t)sum;
      } else {
        pre[g] = x * 0x0101010101010101ULL;
        before[g + 1] = before[g] + (uint32_t)(pre[g] >> 56);
      }
    }
    if (b0 + before[groups] > bend) {
      rc = CORRUPT(seg, err, "department column block %u overruns", seg->path, (unsigned)k);
      break;
    }
    /* pass 1: the matches' entries into STREAMS buffers in turn; a unit's
     * last byte must end its last entry (no continuation bit), or a stream
     * would join two units */
    size_t o[STREAMS] = {0};
    unsigned open_end = 0;
    for (unsigned next = 0; w; next = (next + 1) % STREAMS) {
      unsigned j = (unsigned)__builtin_ctzll(w);
      w &= w - 1;
      unsigned g = j >> 3, r = j & 7;
      uint32_t a, z;
      if (pre[g] != UINT64_MAX) {
        a = before[g] + ((uint32_t)((pre[g] << 8) >> (8 * r)) & 0xff);
        z = before[g] + ((uint32_t)(pre[g] >> (8 * r)) & 0xff);
      } else {
        a = before[g];
        for (unsigned q = 8 * g; q < j; q++) a += ul[q];
        z = a + ul[j];
      }
      const uint8_t *p = b0 + a;
      size_t n = z - a;
      uint8_t *to = buf + next * STREAM_CAP + o[next];
      if (n <= 16 && p + 16 <= col_end) memcpy(to, p, 16);
      else memcpy(to, p, n);
      open_end |= n ? p[n - 1] : 0;
      o[next] += n;
    }
    if (open_end & 0x80) {
      rc = CORRUPT(seg, err, "department column entry in block %u", seg->path, (unsigned)k);
      break;
    }
    /* pass 2: the streams decoded side by side, so that each entry's
     * width (which says where the next one starts) is not one chain of
     * dependent loads; each stream counts into its own histogram */
    for (unsigned i = 0; i < STREAMS; i++) memset(buf + i * STREAM_CAP + o[i], 0, 2);
    const uint8_t *p0 = buf, *e0 = p0 + o[0], *p1 = buf + STREAM_CAP, *e1 = p1 + o[1];
    uint32_t *h0 = hist, *h1 = hist + hot;
    while (rc == CDX_OK && p0 < e0 && p1 < e1) {
      uint32_t x0 = p0[0], x1 = p0[1], y0 = p1[0], y1 = p1[1];
      uint32_t a = x0 >> 7, b = y0 >> 7;
      uint32_t v = (x0 & 0x7f) | ((x1 << 7) & (0u - a)), u = (y0 & 0x7f) | ((y1 << 7) & (0u - b));
      if (((x0 & x1) | (y0 & y1)) & 0x80 || v >= hot || u >= hot) {
        rc = step(seg, &p0, e0, h0, hot, n_names, counts, err);
        if (rc == CDX_OK) rc = step(seg, &p1, e1, h1, hot, n_names, counts, err);
        continue;
      }
      p0 += 1 + a;
      p1 += 1 + b;
      h0[v]++;
      h1[u]++;
    }
    while (rc == CDX_OK && p0 < e0) rc = step(seg, &p0, e0, h0, hot, n_names, counts, err);
    while (rc == CDX_OK && p1 < e1) rc = step(seg, &p1, e1, h1, hot, n_names, counts, err);
    if (rc == CDX_OK && (p0 != e0 || p1 != e1))
      rc = CORRUPT(seg, err, "department column entry in block %u", seg->path, (unsigned)k);
  }
  for (uint32_t v = 0; v < hot && rc == CDX_OK; v++) {
    uint64_t n = 0;
    for (unsigned i = 0; i < STREAMS; i++) n += hist[i * hot + v];
    if (!n) continue;
    assert((v >> 4) < n_names);
    counts[v >> 4] += (v & CDX_ROLE_LISTED ? n : 0) | (v & CDX_ROLE_LEAD ? n : 0) << 32;
  }
  free(hist);
  free(buf);
  return rc;
}

int cdx_seg_deptcol_check(const cdx_seg *seg, cdx_error *err) {
  if (!has_column(seg)) return CDX_OK;
  const uint8_t *len = seg->r[CDX_R_DEPTLEN].p, *col = seg->r[CDX_R_DEPTCOL].p;
  const uint8_t *p = col;
  for (uint32_t u = 0; u < seg->n_units; u++) {
    if (u % BLOCK == 0 &&
        p != col + cdx_get_u32le(seg->r[CDX_R_DEPTBASE].p + 4 * (size_t)(u / BLOCK)))
      return CORRUPT(seg, err, "department column block %u offset", seg->path, u / BLOCK);
    const uint8_t *e = p + len[u];
    if (e > col + seg->r[CDX_R_DEPTCOL].len)
      return CORRUPT(seg, err, "unit %u: department column past its region", seg->path, u);
    /* the same departments and roles as the unit's UVARS record, in order */
    const uint8_t *r;
    size_t rn;
    cdx_seg_uvar(seg, u, CDX_UVAR_depts, &r, &rn);
    const uint8_t *rend = r + rn;
    uint64_t n = 0;
    if (r && rn && !cdx_get_varint(&r, rend, &n))
      return CORRUPT(seg, err, "unit %u: field depts", seg->path, u);
    for (uint64_t i = 0;; i++) {
      if (p == e) {
        if (i != n)
          return CORRUPT(seg, err, "unit %u: department column disagrees with its record",
                         seg->path, u);
        break;
      }
      uint64_t v, canon, written;
      if (!cdx_get_varint(&p, e, &v) || (v >> 4) >= seg->n_dept_names || i >= n ||
          !cdx_get_varint(&r, rend, &canon) || !cdx_get_varint(&r, rend, &written) || r >= rend)
        return CORRUPT(seg, err, "unit %u: department column entry", seg->path, u);
      uint8_t roles = *r++;
      if (cdx_get_u32le(seg->r[CDX_R_DEPTNAMES].p + 4 * (size_t)(v >> 4)) != canon ||
          (v & 15) != roles)
        return CORRUPT(seg, err, "unit %u: department column disagrees with its record", seg->path,
                       u);
    }
  }
  if (p != col + seg->r[CDX_R_DEPTCOL].len)
    return CORRUPT(seg, err, "department column: bytes after the last unit", seg->path);
  return CDX_OK;
}
