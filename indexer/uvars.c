/* uvars.c - the variable-length per-unit fields of a segment (version 6 on,
 * indexer/columns.h's CDX_UVAR_LIST): their encoders (the builder), their
 * decoders (the reader's cursors, index_reader.h) and their validation
 * (open, check), and the segment's name table that their strings point
 * into. Layout: docs/FORMAT.md, "UVARS and NAMES".
 *
 * A field is one entry of CDX_UVAR_LIST plus uvar_enc_NAME and
 * uvar_check_NAME here; the record framing (a length per field, in list
 * order) is written and read once, below, for every field.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "facts/figures.h"
#include "indexer/ix_internal.h"

#define CORRUPT(seg, err, ...) cdx_err_corrupt(err, "%s: corrupt segment: " __VA_ARGS__)

void cdx_uvarb_init(cdx_uvarb *b) {
  memset(b, 0, sizeof *b);
  cdx_buf_init(&b->uvars);
  cdx_buf_init(&b->uvaridx);
  cdx_buf_init(&b->names);
  cdx_buf_init(&b->nameidx);
  cdx_buf_init(&b->scratch);
  cdx_buf_init(&b->dcount);
  cdx_buf_init(&b->dent);
  cdx_buf_init(&b->deptnames);
  cdx_buf_init(&b->deptlen);
  cdx_buf_init(&b->deptbase);
  cdx_buf_init(&b->deptcol);
}

void cdx_uvarb_free(cdx_uvarb *b) {
  cdx_buf_free(&b->uvars);
  cdx_buf_free(&b->uvaridx);
  cdx_buf_free(&b->names);
  cdx_buf_free(&b->nameidx);
  cdx_buf_free(&b->scratch);
  cdx_buf_free(&b->dcount);
  cdx_buf_free(&b->dent);
  cdx_buf_free(&b->deptnames);
  cdx_buf_free(&b->deptlen);
  cdx_buf_free(&b->deptbase);
  cdx_buf_free(&b->deptcol);
  free(b->slots);
  cdx_uvarb_init(b);
}

size_t cdx_uvarb_memory(const cdx_uvarb *b) {
  return b->uvars.cap + b->uvaridx.cap + b->names.cap + b->nameidx.cap + b->n_slots * 8 +
         b->dcount.cap + b->dent.cap;
}

static uint32_t name_hash(const char *s, size_t n) {
  uint64_t h = cdx_ix_hash(s, n, CDX_IX_HASH_SEED);
  return (uint32_t)(h ^ (h >> 32));
}

static const char *name_at(const cdx_uvarb *b, uint32_t id) {
  return b->names.data + cdx_get_u32le((const uint8_t *)b->nameidx.data + 4 * (size_t)id);
}

static int grow_names(cdx_uvarb *b) {
  size_t ns = b->n_slots ? b->n_slots * 2 : 256;
  uint64_t *s = calloc(ns, sizeof *s);
  if (!s) return CDX_NOMEM;
  for (size_t i = 0; i < b->n_slots; i++) {
    if (!b->slots[i]) continue;
    size_t j = (b->slots[i] >> 32) & (ns - 1);
    while (s[j]) j = (j + 1) & (ns - 1);
    s[j] = b->slots[i];
  }
  free(b->slots);
  b->slots = s;
  b->n_slots = ns;
  return CDX_OK;
}

/* The id of name s in the segment's table, added when new. */
static int intern(cdx_uvarb *b, const char *s, uint32_t *id) {
  size_t n = strlen(s);
  if ((b->n_names + 1) * 2 > b->n_slots && grow_names(b) != CDX_OK) return CDX_NOMEM;
  uint32_t h = name_hash(s, n);
  size_t j = h & (b->n_slots - 1);
  while (b->slots[j]) {
    uint32_t k = (uint32_t)b->slots[j] - 1;
    if ((uint32_t)(b->slots[j] >> 32) == h && strcmp(name_at(b, k), s) == 0) {
      *id = k;
      return CDX_OK;
    }
    j = (j + 1) & (b->n_slots - 1);
  }
  if (b->names.len + n + 1 > UINT32_MAX) return CDX_LIMIT;
  int rc = CDX_OK;
  cdx_buf_put_u32le(&rc, &b->nameidx, (uint32_t)b->names.len);
  cdx_buf_append(&rc, &b->names, s, n + 1);
  if (rc != CDX_OK) return rc;
  *id = (uint32_t)b->n_names++;
  b->slots[j] = (uint64_t)h << 32 | (*id + 1);
  return CDX_OK;
}

/* ---- the fields: encoders ---- */

static int uvar_enc_depts(cdx_uvarb *b, cdx_buf *o, const cdx_ix_unit_in *u, cdx_error *err) {
  (void)err;
  int rc = CDX_OK;
  cdx_buf_put_varint(&rc, o, u->n_depts);
  for (size_t i = 0; i < u->n_depts && rc == CDX_OK; i++) {
    uint32_t c, w;
    const cdx_ix_dept_in *d = &u->depts[i];
    assert(d->roles && d->roles < 16); /* the reader refuses others */
    if ((rc = intern(b, d->canonical, &c)) != CDX_OK || (rc = intern(b, d->written, &w)) != CDX_OK)
      break;
    cdx_buf_put_varint(&rc, o, c);
    cdx_buf_put_varint(&rc, o, w);
    cdx_buf_putc(&rc, o, (char)d->roles);
    /* and for the dense column (dept_column.c) */
    if (c >= UINT32_MAX >> 4) return CDX_LIMIT;
    cdx_buf_put_u32le(&rc, &b->dent, c << 4 | d->roles);
  }
  cdx_buf_put_u32le(&rc, &b->dcount, (uint32_t)u->n_depts);
  return rc;
}

/* The source range as start and length; nothing when unknown. */
static int uvar_enc_source(cdx_uvarb *b, cdx_buf *o, const cdx_ix_unit_in *u, cdx_error *err) {
  (void)b;
  (void)err;
  int rc = CDX_OK;
  if (u->source_end <= u->source_start) return rc;
  cdx_buf_put_varint(&rc, o, u->source_start);
  cdx_buf_put_varint(&rc, o, u->source_end - u->source_start);
  return rc;
}

/* A value kept exactly as a varint when it is a whole number (money in
 * yuan, counts, deadlines: nearly all), else as the 8 bytes of a double. */
static bool whole(double v) { return v >= 0 && v < 9007199254740992.0 && v == floor(v); }

static void put_f64(int *rc, cdx_buf *o, double v) {
  uint64_t bits;
  memcpy(&bits, &v, 8);
  cdx_buf_put_u64le(rc, o, bits);
}

/* Version 7: a value as m x 10^e, varint (m << 4 | (e + 2)), -2 <= e <= 13,
 * e as large as gives it back exactly: 500万 is 5 x 10^6, one byte instead
 * of four; 3.12% is 312 x 10^-2, two bytes instead of a double's eight. */
static const double pow10s[16] = {1e0, 1e1, 1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                  1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15};
#define SCALE_BIAS 2

static double unscale(uint64_t m, int e) {
  return e >= 0 ? (double)m * pow10s[e] : (double)m / pow10s[-e];
}

static bool to_scaled(double v, uint64_t *x) {
  if (!(v >= 0) || v >= 9007199254740992.0) return false;
  for (int e = 15 - SCALE_BIAS; e >= -SCALE_BIAS; e--) {
    double m = e >= 0 ? v / pow10s[e] : v * pow10s[-e];
    if (m != floor(m) || m >= 9007199254740992.0) continue;
    if (unscale((uint64_t)m, e) == v) {
      *x = (uint64_t)m << 4 | (uint64_t)(e + SCALE_BIAS);
      return true;
    }
  }
  return false;
}

static int uvar_enc_figures(cdx_uvarb *b, cdx_buf *o, const cdx_ix_unit_in *u, cdx_error *err) {
  cdx_figure *own = NULL;
  const cdx_figure *f = u->figures;
  size_t n = u->n_figures;
  int rc = CDX_OK;
  if (u->figures_rc != CDX_OK) { /* the extractor ran ahead (cdx_segb_tokenize) and failed */
    if (err) *err = *u->figures_err;
    return u->figures_rc;
  }
  if (!f && u->text_len) {
    rc = cdx_figures_extract(u->text, u->text_len, &own, &n, err);
    f = own;
  }
  if (rc != CDX_OK) return rc;
  cdx_buf_put_varint(&rc, o, n);
  for (size_t i = 0; i < n && rc == CDX_OK; i++) {
    /* version 7 (bits 6, 7 of tq): values decimal-scaled, and no span:
     * the extractor finds it again in the unit's text (fact_hits.c), and
     * only a hit shows it */
    uint64_t slo = 0, shi = 0;
    bool scaled = f[i].hi >= f[i].lo && to_scaled(f[i].lo, &slo) &&
                  (f[i].qual != CDX_FIGQ_RANGE || to_scaled(f[i].hi, &shi));
    bool is_int = !scaled && whole(f[i].lo) && whole(f[i].hi) && f[i].hi >= f[i].lo;
    uint32_t unit, kind;
    if ((rc = intern(b, f[i].unit, &unit)) != CDX_OK) break;
    if (f[i].kind[0] && (rc = intern(b, f[i].kind, &kind)) != CDX_OK) break;
    cdx_buf_putc(&rc, o,
                 (char)(f[i].type | f[i].qual << 2 | (is_int ? 1 : 0) << 5 | (scaled ? 1 : 0) << 6 |
                        1 << 7));
    cdx_buf_put_varint(&rc, o, unit);
    cdx_buf_put_varint(&rc, o, f[i].kind[0] ? (uint64_t)kind + 1 : 0);
    if (scaled) {
      cdx_buf_put_varint(&rc, o, slo);
      if (f[i].qual == CDX_FIGQ_RANGE) cdx_buf_put_varint(&rc, o, shi);
    } else if (is_int) {
      cdx_buf_put_varint(&rc, o, (uint64_t)f[i].lo);
      if (f[i].qual == CDX_FIGQ_RANGE) cdx_buf_put_varint(&rc, o, (uint64_t)(f[i].hi - f[i].lo));
    } else {
      put_f64(&rc, o, f[i].lo);
      if (f[i].qual == CDX_FIGQ_RANGE) put_f64(&rc, o, f[i].hi);
    }
  }
  free(own);
  return rc;
}

int cdx_uvarb_add(cdx_uvarb *b, const cdx_ix_unit_in *u, cdx_error *err) {
  int rc = CDX_OK;
  if (b->uvars.len > UINT32_MAX)
    return cdx_err_set(err, CDX_LIMIT, CDX_NO_OFFSET, "segment per-unit fields over 4 GiB");
  cdx_buf_put_u32le(&rc, &b->uvaridx, (uint32_t)b->uvars.len);
#define ENC_(name, text)                                             \
  if (rc == CDX_OK) {                                                \
    cdx_buf_reset(&b->scratch);                                      \
    rc = uvar_enc_##name(b, &b->scratch, u, err);                    \
    cdx_buf_put_varint(&rc, &b->uvars, b->scratch.len);              \
    cdx_buf_append(&rc, &b->uvars, b->scratch.data, b->scratch.len); \
  }
  CDX_UVAR_LIST(ENC_)
#undef ENC_
  if (rc == CDX_NOMEM) return cdx_err_set(err, rc, CDX_NO_OFFSET, "out of memory");
  if (rc == CDX_LIMIT) return cdx_err_set(err, rc, CDX_NO_OFFSET, "segment name table over 4 GiB");
  return rc; /* CDX_ENCODING: err set by the extractor */
}

/* ---- reading ---- */

const char *cdx_seg_name(const cdx_seg *seg, uint32_t id) {
  assert(id < seg->n_names);
  return (const char *)seg->r[CDX_R_NAMES].p +
         cdx_get_u32le(seg->r[CDX_R_NAMEIDX].p + 4 * (size_t)id);
}

/* The record of unit u: [*p, *end); false when its offsets are out of
 * order or range (checked here: an open without the row pass has not). */
static bool record(const cdx_seg *seg, uint32_t u, const uint8_t **p, const uint8_t **end) {
  const cdx_region_view *idx = &seg->r[CDX_R_UVARIDX], *rv = &seg->r[CDX_R_UVARS];
  uint32_t a = cdx_get_u32le(idx->p + 4 * (size_t)u);
  uint64_t e = u + 1 < seg->n_units ? cdx_get_u32le(idx->p + 4 * (size_t)u + 4) : rv->len;
  if (a > e || e > rv->len) return false;
  *p = rv->p + a;
  *end = rv->p + e;
  return true;
}

/* Field f of unit u; false when the record is malformed. */
static bool field(const cdx_seg *seg, uint32_t u, enum cdx_uvar_field f, const uint8_t **p,
                  size_t *n) {
  *p = NULL;
  *n = 0;
  if (seg->version < 6) return true;
  const uint8_t *at, *end;
  if (!record(seg, u, &at, &end)) return false;
  for (int k = 0; k <= (int)f; k++) {
    if (at == end) return true; /* written without this field */
    uint64_t len;
    if (!cdx_get_varint(&at, end, &len) || len > (uint64_t)(end - at)) return false;
    if (k == (int)f) {
      *p = at;
      *n = (size_t)len;
    }
    at += len;
  }
  return true;
}

void cdx_seg_uvar(const cdx_seg *seg, uint32_t u, enum cdx_uvar_field f, const uint8_t **p,
                  size_t *n) {
  if (!field(seg, u, f, p, n)) *p = NULL, *n = 0;
}

/* ---- cursors (index_reader.h) ---- */

static int cursor_open(const cdx_index *ix, size_t s, uint32_t unit, enum cdx_uvar_field f,
                       cdx_ix_cursor *c, cdx_error *err) {
  const cdx_seg *seg = &ix->segs[s].seg;
  memset(c, 0, sizeof *c);
  c->seg = seg;
  const uint8_t *p;
  size_t n;
  if (!field(seg, unit, f, &p, &n))
    return CORRUPT(seg, err, "unit %u: per-unit fields", seg->path, unit);
  if (!p) return CDX_OK;
  c->p = p;
  c->end = p + n;
  uint64_t left;
  if (!cdx_get_varint(&c->p, c->end, &left) || left > n)
    return CORRUPT(seg, err, "unit %u: per-unit field count", seg->path, unit);
  c->left = (size_t)left;
  return CDX_OK;
}

int cdx_ix_unit_depts(const cdx_index *ix, size_t seg, uint32_t unit, cdx_ix_cursor *c,
                      cdx_error *err) {
  return cursor_open(ix, seg, unit, CDX_UVAR_depts, c, err);
}

int cdx_ix_unit_figures(const cdx_index *ix, size_t seg, uint32_t unit, cdx_ix_cursor *c,
                        cdx_error *err) {
  return cursor_open(ix, seg, unit, CDX_UVAR_figures, c, err);
}

/* start, length; validated at open by `check` (uvar_check_source) */
static bool dec_source(const uint8_t *p, const uint8_t *end, uint64_t *start, uint64_t *len) {
  return cdx_get_varint(&p, end, start) && cdx_get_varint(&p, end, len) && p == end && *len > 0 &&
         *start <= UINT64_MAX - *len;
}

bool cdx_ix_unit_source(const cdx_index *ix, size_t s, uint32_t unit, uint64_t *start,
                        uint64_t *end) {
  const uint8_t *p;
  size_t n;
  uint64_t a, len;
  *start = *end = 0;
  if (!field(&ix->segs[s].seg, unit, CDX_UVAR_source, &p, &n) || !p || !n ||
      !dec_source(p, p + n, &a, &len))
    return false;
  *start = a;
  *end = a + len;
  return true;
}

static bool get_name(const cdx_seg *seg, const uint8_t **p, const uint8_t *end, bool opt,
                     const char **out, uint32_t *id) {
  uint64_t v;
  if (!cdx_get_varint(p, end, &v)) return false;
  if (opt) {
    if (v == 0) {
      *out = "";
      if (id) *id = UINT32_MAX;
      return true;
    }
    v--;
  }
  if (v >= seg->n_names) return false;
  *out = cdx_seg_name(seg, (uint32_t)v);
  if (id) *id = (uint32_t)v;
  return true;
}

static bool dec_dept(const cdx_seg *seg, const uint8_t **p, const uint8_t *end, cdx_ix_dept *d) {
  if (!get_name(seg, p, end, false, &d->canonical, &d->id) ||
      !get_name(seg, p, end, false, &d->written, NULL) || *p >= end)
    return false;
  d->roles = *(*p)++;
  return d->roles != 0 && d->roles < 16;
}

static bool get_f64(const uint8_t **p, const uint8_t *end, double *v) {
  if (end - *p < 8) return false;
  uint64_t bits = cdx_get_u64le(*p);
  memcpy(v, &bits, 8);
  *p += 8;
  return isfinite(*v);
}

/* m << 4 | (e + 2) back to m x 10^e; false for what no writer scales */
static bool get_scaled(const uint8_t **p, const uint8_t *end, double *v) {
  uint64_t x;
  if (!cdx_get_varint(p, end, &x)) return false;
  int e = (int)(x & 15) - SCALE_BIAS;
  if ((x >> 4) >= 9007199254740992ULL) return false;
  *v = unscale(x >> 4, e);
  return isfinite(*v);
}

static bool dec_figure(const cdx_seg *seg, const uint8_t **p, const uint8_t *end,
                       cdx_ix_figure *f) {
  if (*p >= end) return false;
  uint8_t tq = *(*p)++;
  f->type = tq & 3;
  f->qual = (tq >> 2) & 7;
  bool is_int = (tq >> 5) & 1, scaled = (tq >> 6) & 1, no_span = tq >> 7;
  if (f->qual > CDX_FIGQ_RANGE || ((scaled || no_span) && seg->version < 7) || (scaled && is_int))
    return false;
  if (!get_name(seg, p, end, false, &f->unit, NULL) || !get_name(seg, p, end, true, &f->kind, NULL))
    return false;
  if (scaled) {
    if (!get_scaled(p, end, &f->lo)) return false;
    f->hi = f->lo;
    if (f->qual == CDX_FIGQ_RANGE && (!get_scaled(p, end, &f->hi) || f->hi < f->lo)) return false;
  } else if (is_int) {
    uint64_t lo, d = 0;
    if (!cdx_get_varint(p, end, &lo) || (f->qual == CDX_FIGQ_RANGE && !cdx_get_varint(p, end, &d)))
      return false;
    f->lo = (double)lo;
    f->hi = (double)lo + (double)d;
  } else {
    if (!get_f64(p, end, &f->lo)) return false;
    f->hi = f->lo;
    if (f->qual == CDX_FIGQ_RANGE && !get_f64(p, end, &f->hi)) return false;
  }
  f->has_span = !no_span;
  f->start = f->end = 0;
  if (no_span) return true;
  uint64_t s, len;
  if (!cdx_get_varint(p, end, &s) || !cdx_get_varint(p, end, &len) || s > UINT32_MAX ||
      len > UINT32_MAX - s)
    return false;
  f->start = (uint32_t)s;
  f->end = (uint32_t)(s + len);
  return true;
}

int cdx_ix_next_dept(cdx_ix_cursor *c, cdx_ix_dept *d, bool *got, cdx_error *err) {
  *got = false;
  if (c->left == 0) return CDX_OK;
  if (!dec_dept(c->seg, &c->p, c->end, d))
    return CORRUPT(c->seg, err, "a department entry", ((const cdx_seg *)c->seg)->path);
  c->left--;
  *got = true;
  return CDX_OK;
}

int cdx_ix_next_figure(cdx_ix_cursor *c, cdx_ix_figure *f, bool *got, cdx_error *err) {
  *got = false;
  if (c->left == 0) return CDX_OK;
  if (!dec_figure(c->seg, &c->p, c->end, f))
    return CORRUPT(c->seg, err, "a figure entry", ((const cdx_seg *)c->seg)->path);
  c->left--;
  *got = true;
  return CDX_OK;
}

uint32_t cdx_ix_segment_strings(const cdx_index *ix, size_t seg) {
  return ix->segs[seg].seg.version >= 6 ? ix->segs[seg].seg.n_names : 0;
}

const char *cdx_ix_segment_string(const cdx_index *ix, size_t seg, uint32_t id) {
  return cdx_seg_name(&ix->segs[seg].seg, id);
}

bool cdx_ix_segment_has_facts(const cdx_index *ix, size_t seg) {
  return ix->segs[seg].seg.version >= 6;
}

/* ---- validation ---- */

int cdx_seg_uvars_validate(cdx_seg *seg, bool offsets, cdx_error *err) {
  const cdx_region_view *idx = &seg->r[CDX_R_UVARIDX], *ni = &seg->r[CDX_R_NAMEIDX],
                        *nm = &seg->r[CDX_R_NAMES];
  if (idx->len != (uint64_t)seg->n_units * 4 || seg->r[CDX_R_UVARS].len > UINT32_MAX ||
      ni->len % 4 != 0 || ni->len / 4 >= UINT32_MAX || nm->len > UINT32_MAX)
    return CORRUPT(seg, err, "per-unit field regions disagree with the counts", seg->path);
  uint32_t prev = 0;
  for (uint32_t u = 0; offsets && u < seg->n_units; u++) {
    uint32_t o = cdx_get_u32le(idx->p + 4 * (size_t)u);
    if (o < prev || o > seg->r[CDX_R_UVARS].len)
      return CORRUPT(seg, err, "per-unit record %u out of range", seg->path, u);
    prev = o;
  }
  seg->n_names = (uint32_t)(ni->len / 4);
  for (uint32_t i = 0; i < seg->n_names; i++) {
    uint32_t o = cdx_get_u32le(ni->p + 4 * (size_t)i);
    uint64_t e = i + 1 < seg->n_names ? cdx_get_u32le(ni->p + 4 * (size_t)i + 4) : nm->len;
    /* each name ends with its NUL right before the next begins */
    if (o >= e || e > nm->len || nm->p[e - 1] != 0)
      return CORRUPT(seg, err, "name %u out of range", seg->path, i);
  }
  return CDX_OK;
}

static bool uvar_check_depts(const cdx_seg *seg, const uint8_t *p, const uint8_t *end) {
  uint64_t n;
  if (!cdx_get_varint(&p, end, &n)) return false;
  cdx_ix_dept d;
  for (uint64_t i = 0; i < n; i++)
    if (!dec_dept(seg, &p, end, &d)) return false;
  return p == end;
}

static bool uvar_check_figures(const cdx_seg *seg, const uint8_t *p, const uint8_t *end) {
  uint64_t n;
  if (!cdx_get_varint(&p, end, &n)) return false;
  cdx_ix_figure f;
  for (uint64_t i = 0; i < n; i++)
    if (!dec_figure(seg, &p, end, &f)) return false;
  return p == end;
}

static bool uvar_check_source(const cdx_seg *seg, const uint8_t *p, const uint8_t *end) {
  (void)seg;
  uint64_t a, len;
  return p == end || dec_source(p, end, &a, &len);
}

int cdx_seg_uvars_check(const cdx_seg *seg, cdx_error *err) {
  if (seg->version < 6) return CDX_OK;
  for (uint32_t u = 0; u < seg->n_units; u++) {
    const uint8_t *p;
    size_t n;
#define CHECK_(name, text)                                                                 \
  if (!field(seg, u, CDX_UVAR_##name, &p, &n) || (p && !uvar_check_##name(seg, p, p + n))) \
    return CORRUPT(seg, err, "unit %u: field " #name, seg->path, u);
    CDX_UVAR_LIST(CHECK_)
#undef CHECK_
  }
  return CDX_OK;
}
