/* facet_column.c - the facet ordinal columns of a segment (version 8): per
 * unit, one small fixed-width ordinal of its department set and one of its
 * document's (jurisdiction, status, edition, year), each into a table of
 * the segment's distinct values, so that the six facets over a set of
 * units are two histograms of ordinals, then an expansion over the (few
 * thousand) distinct values: no varint decoding and no search for the
 * documents per match. Layout: docs/FORMAT.md, "Version 8: facet ordinal
 * columns".
 *
 *   FSETIDX   u32 x (n_sets + 1): FSETS offset of each set, then its end
 *   FSETS     per set: its entries as in DEPTCOL (varint DEPTNAMES index
 *             << 4 | roles), in the units' order
 *   FSETORD   per unit: its set, u16 when n_sets <= 65,536, else u32
 *   FDOCVALS  16 bytes per combination: u32 jurisdiction code, u32 year
 *             (date / 10000, 0 unknown), u32 edition, u32 status
 *   FDOCORD   per unit: its document's combination, u16 or u32 likewise
 *
 * Like the dense department column these repeat what DEPTCOL and DCOLS
 * say: an accelerator. The set column is empty (its three regions) when
 * the segment has no dense department column; the document column is empty
 * when the segment has no units. Readers then take the older paths.
 */
#include <stdlib.h>
#include <string.h>
#include "indexer/ix_internal.h"

#define CORRUPT(seg, err, ...) cdx_err_corrupt(err, "%s: corrupt segment: " __VA_ARGS__)
#define COMBO_BYTES 16

/* An ordinal's width for a table of n values. */
static unsigned ord_width(uint64_t n) { return n <= 65536 ? 2 : 4; }

static void put_u32(uint8_t *p, uint32_t v) {
  for (int i = 0; i < 4; i++) p[i] = (uint8_t)(v >> (8 * i));
}

static inline uint32_t ord_at(const uint8_t *p, unsigned w, uint32_t u) {
  return w == 2 ? (uint32_t)p[2 * (size_t)u] | (uint32_t)p[2 * (size_t)u + 1] << 8
                : cdx_get_u32le(p + 4 * (size_t)u);
}

void cdx_facetb_init(cdx_facetb *f) {
  cdx_buf_init(&f->setidx);
  cdx_buf_init(&f->sets);
  cdx_buf_init(&f->setord);
  cdx_buf_init(&f->docvals);
  cdx_buf_init(&f->docord);
}

void cdx_facetb_free(cdx_facetb *f) {
  cdx_buf_free(&f->setidx);
  cdx_buf_free(&f->sets);
  cdx_buf_free(&f->setord);
  cdx_buf_free(&f->docvals);
  cdx_buf_free(&f->docord);
}

/* ---- building ---- */

static uint64_t hash_bytes(const uint8_t *p, size_t n) {
  uint64_t h = 1469598103934665603ULL ^ n;
  for (size_t i = 0; i < n; i++) h = (h ^ p[i]) * 1099511628211ULL;
  return h;
}

/* Distinct byte strings -> ordinals in order of first appearance, the
 * strings kept in `vals` at `idx` offsets (u32, one more than values), or
 * fixed-width in `vals` when width is given. */
typedef struct interner {
  uint32_t *slot; /* ordinal + 1; 0 empty */
  size_t cap, n;
  cdx_buf *vals, *idx;
  size_t width;
} interner;

static const uint8_t *value_of(const interner *t, uint32_t k, size_t *n) {
  if (t->width) {
    *n = t->width;
    return (const uint8_t *)t->vals->data + (size_t)k * t->width;
  }
  const uint8_t *ix = (const uint8_t *)t->idx->data;
  uint32_t a = cdx_get_u32le(ix + 4 * (size_t)k), z = cdx_get_u32le(ix + 4 * (size_t)k + 4);
  *n = z - a;
  return *n ? (const uint8_t *)t->vals->data + a : (const uint8_t *)""; /* data may be NULL */
}

static int intern(interner *t, const uint8_t *p, size_t n, uint32_t *ord) {
  if ((t->n + 1) * 2 > t->cap) {
    size_t nc = t->cap ? t->cap * 2 : 1024;
    uint32_t *ns = calloc(nc, sizeof *ns);
    if (!ns) return CDX_NOMEM;
    for (size_t i = 0; i < t->cap; i++) {
      if (!t->slot[i]) continue;
      size_t vn;
      const uint8_t *v = value_of(t, t->slot[i] - 1, &vn);
      size_t j = hash_bytes(v, vn) & (nc - 1);
      while (ns[j]) j = (j + 1) & (nc - 1);
      ns[j] = t->slot[i];
    }
    free(t->slot);
    t->slot = ns;
    t->cap = nc;
  }
  size_t j = hash_bytes(p, n) & (t->cap - 1);
  for (; t->slot[j]; j = (j + 1) & (t->cap - 1)) {
    size_t vn;
    const uint8_t *v = value_of(t, t->slot[j] - 1, &vn);
    if (vn == n && (n == 0 || memcmp(v, p, n) == 0)) {
      *ord = t->slot[j] - 1;
      return CDX_OK;
    }
  }
  if (t->n >= UINT32_MAX - 1) return CDX_LIMIT;
  int rc = CDX_OK;
  cdx_buf_append(&rc, t->vals, (const char *)p, n);
  if (!t->width) cdx_buf_put_u32le(&rc, t->idx, (uint32_t)t->vals->len);
  if (rc) return rc;
  *ord = (uint32_t)t->n;
  t->slot[j] = (uint32_t)++t->n;
  return CDX_OK;
}

static void put_ords(int *rc, cdx_buf *out, const uint32_t *ords, uint32_t n_units, size_t n) {
  unsigned w = ord_width(n);
  for (uint32_t u = 0; u < n_units && *rc == CDX_OK; u++) {
    if (w == 2) {
      char b[2] = {(char)(ords[u] & 0xff), (char)(ords[u] >> 8)};
      cdx_buf_append(rc, out, b, 2);
    } else {
      cdx_buf_put_u32le(rc, out, ords[u]);
    }
  }
}

int cdx_facetb_build(cdx_facetb *f, const cdx_uvarb *uv, const cdx_buf *ucols, const cdx_buf *dcols,
                     uint32_t n_units, uint32_t n_docs) {
  cdx_facetb_free(f);
  if (n_units == 0) return CDX_OK;
  uint32_t *ords = malloc((size_t)n_units * sizeof *ords);
  if (!ords) return CDX_NOMEM;
  int rc = CDX_OK;
  /* department sets: each unit's DEPTCOL bytes are its set */
  if (uv->deptlen.len == n_units) {
    interner t = {NULL, 0, 0, &f->sets, &f->setidx, 0};
    cdx_buf_put_u32le(&rc, &f->setidx, 0);
    const uint8_t *len = (const uint8_t *)uv->deptlen.data,
                  *col = (const uint8_t *)uv->deptcol.data;
    size_t off = 0;
    static const uint8_t none[1];
    if (!col) col = none; /* no unit lists a department: every set is empty */
    for (uint32_t u = 0; u < n_units && rc == CDX_OK; u++) {
      rc = intern(&t, col + off, len[u], &ords[u]);
      off += len[u];
    }
    assert(rc != CDX_OK || off == uv->deptcol.len);
    if (rc == CDX_OK) put_ords(&rc, &f->setord, ords, n_units, t.n);
    free(t.slot);
  }
  /* document combinations, read once per document */
  interner d = {NULL, 0, 0, &f->docvals, NULL, COMBO_BYTES};
  uint32_t last_doc = UINT32_MAX, last_ord = 0;
  for (uint32_t u = 0; u < n_units && rc == CDX_OK; u++) {
    uint32_t doc =
        (uint32_t)CDX_UCOL_GET((const uint8_t *)ucols->data + (size_t)u * CDX_UCOL_BYTES, doc);
    assert(doc < n_docs);
    if (doc != last_doc) {
      const uint8_t *row = (const uint8_t *)dcols->data + (size_t)doc * CDX_DCOL_BYTES;
      uint8_t v[COMBO_BYTES];
      put_u32(v, (uint32_t)CDX_DCOL_GET(row, jurisdiction_code));
      put_u32(v + 4, (uint32_t)CDX_DCOL_GET(row, date) / 10000);
      put_u32(v + 8, (uint32_t)CDX_DCOL_GET(row, edition));
      put_u32(v + 12, (uint32_t)CDX_DCOL_GET(row, status));
      rc = intern(&d, v, sizeof v, &last_ord);
      last_doc = doc;
    }
    ords[u] = last_ord;
  }
  if (rc == CDX_OK) put_ords(&rc, &f->docord, ords, n_units, d.n);
  free(d.slot);
  free(ords);
  if (rc == CDX_OK && (f->sets.len > UINT32_MAX || f->docvals.len > UINT32_MAX)) rc = CDX_LIMIT;
  return rc;
}

/* ---- reading ---- */

int cdx_seg_facetcol_validate(cdx_seg *seg, cdx_error *err) {
  seg->n_fsets = seg->n_fcombos = 0;
  if (seg->version < 8) return CDX_OK;
  const cdx_region_view *si = &seg->r[CDX_R_FSETIDX], *ss = &seg->r[CDX_R_FSETS],
                        *so = &seg->r[CDX_R_FSETORD], *dv = &seg->r[CDX_R_FDOCVALS],
                        *dor = &seg->r[CDX_R_FDOCORD];
  if (si->len == 0) {
    if (ss->len || so->len) return CORRUPT(seg, err, "facet set regions disagree", seg->path);
  } else {
    uint64_t n = si->len / 4 - 1;
    if (si->len % 4 || si->len < 8 || n > UINT32_MAX || seg->r[CDX_R_DEPTLEN].len == 0 ||
        so->len != (uint64_t)seg->n_units * ord_width(n) || ss->len > UINT32_MAX)
      return CORRUPT(seg, err, "facet set regions disagree with the counts", seg->path);
    uint32_t prev = 0;
    for (uint64_t k = 0; k <= n; k++) {
      uint32_t o = cdx_get_u32le(si->p + 4 * k);
      if (o < prev || o > ss->len || (k == 0 && o != 0) || (k == n && o != ss->len))
        return CORRUPT(seg, err, "facet set %u out of range", seg->path, (unsigned)k);
      prev = o;
    }
    seg->n_fsets = (uint32_t)n;
  }
  if (dv->len == 0) {
    if (dor->len) return CORRUPT(seg, err, "document facet regions disagree", seg->path);
  } else {
    uint64_t n = dv->len / COMBO_BYTES;
    if (dv->len % COMBO_BYTES || n > UINT32_MAX ||
        dor->len != (uint64_t)seg->n_units * ord_width(n))
      return CORRUPT(seg, err, "document facet regions disagree with the counts", seg->path);
    seg->n_fcombos = (uint32_t)n;
  }
  return CDX_OK;
}

bool cdx_ix_facet_column_open(const cdx_index *ix, size_t s, cdx_ix_facet_column *c) {
  const cdx_seg *seg = &ix->segs[s].seg;
  c->seg = seg;
  c->n_sets = seg->n_fsets;
  c->n_combos = seg->n_fcombos;
  c->n_names = seg->n_dept_names;
  return seg->version >= 8 && (c->n_sets || c->n_combos);
}

void cdx_ix_facet_combo(const cdx_ix_facet_column *c, uint32_t k, cdx_ix_facet_values *v) {
  assert(k < c->n_combos);
  const uint8_t *p = c->seg->r[CDX_R_FDOCVALS].p + (size_t)k * COMBO_BYTES;
  v->jurisdiction_code = cdx_get_u32le(p);
  v->year = cdx_get_u32le(p + 4);
  v->edition = cdx_get_u32le(p + 8);
  v->status = cdx_get_u32le(p + 12);
}

/* Set k's entries into counts (per DEPTNAMES index: listed units in the
 * low 32 bits, led ones in the high 32), n units each; counts NULL: only
 * decode them (check). */
static int expand_set(const cdx_seg *seg, uint32_t k, uint64_t n, uint64_t *counts,
                      cdx_error *err) {
  const uint8_t *si = seg->r[CDX_R_FSETIDX].p, *ss = seg->r[CDX_R_FSETS].p;
  const uint8_t *p = ss + cdx_get_u32le(si + 4 * (size_t)k),
                *e = ss + cdx_get_u32le(si + 4 * (size_t)k + 4);
  while (p < e) {
    uint64_t v;
    if (!cdx_get_varint(&p, e, &v) || (v >> 4) >= seg->n_dept_names)
      return CORRUPT(seg, err, "facet set %u entry", seg->path, (unsigned)k);
    if (counts) counts[v >> 4] += (v & CDX_ROLE_LISTED ? n : 0) | (v & CDX_ROLE_LEAD ? n : 0) << 32;
  }
  return CDX_OK;
}

int cdx_ix_facet_column_count(const cdx_ix_facet_column *c, const uint64_t *units,
                              uint64_t *dept_counts, uint64_t *combo_counts, cdx_error *err) {
  const cdx_seg *seg = c->seg;
  assert(!dept_counts || c->n_sets);
  assert(!combo_counts || c->n_combos);
  uint32_t n_sets = dept_counts ? c->n_sets : 0, n_combos = combo_counts ? c->n_combos : 0;
  uint32_t *sets = n_sets ? calloc(n_sets, sizeof *sets) : NULL;
  if (n_sets && !sets)
    return cdx_err_set(err, CDX_NOMEM, CDX_NO_OFFSET, "out of memory counting facets");
  const uint8_t *so = seg->r[CDX_R_FSETORD].p, *dor = seg->r[CDX_R_FDOCORD].p;
  unsigned sw = ord_width(c->n_sets), dw = ord_width(c->n_combos);
  size_t words = ((size_t)seg->n_units + 63) / 64;
  uint64_t last_mask = seg->n_units % 64 ? (1ULL << (seg->n_units % 64)) - 1 : ~0ULL;
  int rc = CDX_OK;
  /* the hot loop: a load and an increment per match and column; an
   * ordinal out of range (a damaged file) is caught by the same compare
   * that bounds the increment */
  for (size_t k = 0; k < words && rc == CDX_OK; k++) {
    uint64_t w = units[k];
    if (!w) continue;
    if (k + 1 == words && (w & ~last_mask)) {
      rc = CORRUPT(seg, err, "facet column: unit past the end", seg->path);
      break;
    }
    uint32_t base = (uint32_t)(k * 64);
    for (; w; w &= w - 1) {
      uint32_t u = base + (uint32_t)__builtin_ctzll(w);
      if (n_sets) {
        uint32_t o = ord_at(so, sw, u);
        if (o >= n_sets) {
          rc = CORRUPT(seg, err, "unit %u: facet set ordinal out of range", seg->path, u);
          break;
        }
        sets[o]++;
      }
      if (n_combos) {
        uint32_t o = ord_at(dor, dw, u);
        if (o >= n_combos) {
          rc = CORRUPT(seg, err, "unit %u: document facet ordinal out of range", seg->path, u);
          break;
        }
        combo_counts[o]++;
      }
    }
  }
  for (uint32_t k = 0; k < n_sets && rc == CDX_OK; k++)
    if (sets[k]) rc = expand_set(seg, k, sets[k], dept_counts, err);
  free(sets);
  return rc;
}

int cdx_seg_facetcol_check(const cdx_seg *seg, cdx_error *err) {
  if (seg->version < 8) return CDX_OK;
  if (seg->n_fsets) {
    /* every set decodes; every unit's set is its DEPTCOL entries */
    const uint8_t *si = seg->r[CDX_R_FSETIDX].p, *ss = seg->r[CDX_R_FSETS].p;
    for (uint32_t k = 0; k < seg->n_fsets; k++) {
      int rc = expand_set(seg, k, 0, NULL, err);
      if (rc) return rc;
    }
    const uint8_t *len = seg->r[CDX_R_DEPTLEN].p, *col = seg->r[CDX_R_DEPTCOL].p;
    uint64_t off = 0;
    unsigned w = ord_width(seg->n_fsets);
    for (uint32_t u = 0; u < seg->n_units; u++) {
      uint32_t o = ord_at(seg->r[CDX_R_FSETORD].p, w, u);
      if (o >= seg->n_fsets)
        return CORRUPT(seg, err, "unit %u: facet set ordinal out of range", seg->path, u);
      uint32_t a = cdx_get_u32le(si + 4 * (size_t)o), z = cdx_get_u32le(si + 4 * (size_t)o + 4);
      if (off + len[u] > seg->r[CDX_R_DEPTCOL].len || z - a != len[u] ||
          (len[u] && memcmp(ss + a, col + off, len[u]) != 0))
        return CORRUPT(seg, err, "unit %u: facet set disagrees with the department column",
                       seg->path, u);
      off += len[u];
    }
  }
  if (seg->n_fcombos) {
    unsigned w = ord_width(seg->n_fcombos);
    for (uint32_t u = 0; u < seg->n_units; u++) {
      uint32_t o = ord_at(seg->r[CDX_R_FDOCORD].p, w, u);
      if (o >= seg->n_fcombos)
        return CORRUPT(seg, err, "unit %u: document facet ordinal out of range", seg->path, u);
      uint32_t doc = (uint32_t)CDX_UCOL_GET(cdx_seg_ucol(seg, u), doc);
      if (doc >= seg->n_docs) continue; /* the row pass names this */
      const uint8_t *row = cdx_seg_dcol(seg, doc),
                    *v = seg->r[CDX_R_FDOCVALS].p + (size_t)o * COMBO_BYTES;
      if (cdx_get_u32le(v) != (uint32_t)CDX_DCOL_GET(row, jurisdiction_code) ||
          cdx_get_u32le(v + 4) != (uint32_t)CDX_DCOL_GET(row, date) / 10000 ||
          cdx_get_u32le(v + 8) != (uint32_t)CDX_DCOL_GET(row, edition) ||
          cdx_get_u32le(v + 12) != (uint32_t)CDX_DCOL_GET(row, status))
        return CORRUPT(seg, err, "unit %u: document facet values disagree with its document",
                       seg->path, u);
    }
  }
  return CDX_OK;
}
