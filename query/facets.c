/*
 * Facets: exact counts of a field's values over every matching unit
 * (cdx_search_options.facets, include/clausedex/search.h). A segment's
 * matches become a bitmap: set a bit per match by the search loop
 * (cdx_q_facets_add), or a whole one-term query's postings at once
 * (cdx_q_facets_add_postings). When the segment is done, the document
 * facets count small integers (place code, status, year) per document
 * with matches, and the department facets count name ids per segment (the
 * dense department column, or the records, or the department terms), then
 * turn them into names. Mechanism and costs: docs/QUERY.md, "Sorting and
 * facets"; bench/README.md, "Facets and fact filters".
 */
#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "facts/figures.h"
#include "indexer/index_reader.h"
#include "lexicon/gazetteer.h"
#include "query/search_state.h"

/* F_JUR_DEPT, F_JUR_LEAD are pivots: pairs "jurisdiction\tdepartment". */
typedef enum {
  F_DEPT,
  F_LEAD,
  F_JUR_DEPT,
  F_JUR_LEAD,
  F_JURISDICTION,
  F_STATUS,
  F_EDITION,
  F_YEAR
} facet_kind;
static const char *const facet_names[] = {
    "dept",         "lead",   "jurisdiction+dept", "jurisdiction+lead",
    "jurisdiction", "status", "edition",           "year"};
static bool is_dept(facet_kind k) { return k <= F_JUR_LEAD; }
static bool is_pivot(facet_kind k) { return k == F_JUR_DEPT || k == F_JUR_LEAD; }
#define N_KINDS (sizeof facet_names / sizeof facet_names[0])

/* value -> count, open addressing; values are owned copies. */
typedef struct entry {
  char *value;
  size_t count;
} entry;
typedef struct strmap {
  entry *e;
  size_t n, cap;
} strmap;

typedef struct facet {
  facet_kind kind;
  strmap map;
  uint32_t *seg_counts; /* dept/lead: per name id of the current segment */
  uint32_t seg_n;
  uint64_t *int_keys; /* document facets: key -> count, open addressing */
  size_t *int_counts;
  size_t n_int, cap_int;
  uint64_t run_key; /* document facets: the last key counted, run_n times */
  size_t run_n;     /* not yet in int_keys (0: none) */
  cdx_facet out;
  cdx_facet_value *values;
} facet;

struct cdx_q_facets {
  facet *f;
  size_t n, limit;
  size_t seg;            /* the segment being counted, SIZE_MAX before */
  cdx_ix_unit_meta memo; /* document fields of the last matched document */
  size_t pending;        /* its units not yet counted in the document facets */
  bool any_dept;         /* a facet reads the units' departments */
  bool any_pivot;        /* ... with their jurisdiction */
  uint64_t *hits;        /* the current segment's matching units, one bit each */
  size_t hit_words, n_hits;
  size_t doc_f[N_KINDS], n_doc_f; /* the facets of documents' fields (into f) */
};

static uint64_t hash_str(const char *s) {
  uint64_t h = 1469598103934665603ULL;
  for (; *s; s++) h = (h ^ (unsigned char)*s) * 1099511628211ULL;
  return h;
}

static int map_add(strmap *m, const char *v, size_t count) {
  if ((m->n + 1) * 2 > m->cap) {
    size_t nc = m->cap ? m->cap * 2 : 64;
    entry *ne = calloc(nc, sizeof *ne);
    if (!ne) return CDX_NOMEM;
    for (size_t i = 0; i < m->cap; i++) {
      if (!m->e[i].value) continue;
      size_t j = hash_str(m->e[i].value) & (nc - 1);
      while (ne[j].value) j = (j + 1) & (nc - 1);
      ne[j] = m->e[i];
    }
    free(m->e);
    m->e = ne;
    m->cap = nc;
  }
  size_t j = hash_str(v) & (m->cap - 1);
  while (m->e[j].value && strcmp(m->e[j].value, v) != 0) j = (j + 1) & (m->cap - 1);
  if (!m->e[j].value) {
    size_t n = strlen(v) + 1;
    if (!(m->e[j].value = malloc(n))) return CDX_NOMEM;
    memcpy(m->e[j].value, v, n);
    m->n++;
  }
  m->e[j].count += count;
  return CDX_OK;
}

static int int_add(facet *f, uint64_t key, size_t count) {
  if ((f->n_int + 1) * 2 > f->cap_int) {
    size_t nc = f->cap_int ? f->cap_int * 2 : 64;
    uint64_t *nk = calloc(nc, sizeof *nk);
    size_t *ncnt = calloc(nc, sizeof *ncnt);
    if (!nk || !ncnt) {
      free(nk);
      free(ncnt);
      return CDX_NOMEM;
    }
    for (size_t i = 0; i < f->cap_int; i++) {
      if (!f->int_keys[i]) continue;
      size_t j = (f->int_keys[i] * 0x9E3779B97F4A7C15ULL >> 32) & (nc - 1);
      while (nk[j]) j = (j + 1) & (nc - 1);
      nk[j] = f->int_keys[i];
      ncnt[j] = f->int_counts[i];
    }
    free(f->int_keys);
    free(f->int_counts);
    f->int_keys = nk;
    f->int_counts = ncnt;
    f->cap_int = nc;
  }
  key++; /* 0 is the empty slot */
  size_t j = (key * 0x9E3779B97F4A7C15ULL >> 32) & (f->cap_int - 1);
  while (f->int_keys[j] && f->int_keys[j] != key) j = (j + 1) & (f->cap_int - 1);
  if (!f->int_keys[j]) f->int_keys[j] = key, f->n_int++;
  f->int_counts[j] += count;
  return CDX_OK;
}

/* Consecutive documents mostly share their place, status and year, so a
 * run of one key is summed before it reaches the table. */
static int int_count(facet *f, uint64_t key, size_t count) {
  if (f->run_n && f->run_key == key) {
    f->run_n += count;
    return CDX_OK;
  }
  int rc = f->run_n ? int_add(f, f->run_key, f->run_n) : CDX_OK;
  f->run_key = key;
  f->run_n = count;
  return rc;
}

void cdx_q_facets_free(cdx_q_facets *fs) {
  if (!fs) return;
  for (size_t i = 0; i < fs->n; i++) {
    facet *f = &fs->f[i];
    for (size_t k = 0; k < f->map.cap; k++) free(f->map.e[k].value);
    free(f->map.e);
    free(f->seg_counts);
    free(f->int_keys);
    free(f->int_counts);
    free(f->values);
  }
  free(fs->f);
  free(fs->hits);
  free(fs);
}

int cdx_q_facets_new(const char *names, size_t limit, cdx_q_facets **out, cdx_error *err) {
  *out = NULL;
  cdx_q_facets *fs = calloc(1, sizeof *fs);
  if (!fs) return cdx_err_set(err, CDX_NOMEM, CDX_NO_OFFSET, "out of memory");
  fs->limit = limit ? limit : 10;
  fs->seg = SIZE_MAX;
  size_t len = strlen(names);
  fs->f = calloc(len / 2 + 2, sizeof *fs->f);
  if (!fs->f) {
    free(fs);
    return cdx_err_set(err, CDX_NOMEM, CDX_NO_OFFSET, "out of memory");
  }
  for (size_t i = 0; i <= len;) {
    size_t j = i;
    while (j < len && names[j] != ',') j++;
    size_t k = 0;
    while (k < N_KINDS &&
           !(strlen(facet_names[k]) == j - i && memcmp(facet_names[k], names + i, j - i) == 0))
      k++;
    bool dup = false;
    for (size_t d = 0; d < fs->n; d++) dup |= fs->f[d].kind == (facet_kind)k;
    if (k == N_KINDS || dup) {
      cdx_q_facets_free(fs);
      return cdx_err_set(err, CDX_INVALID, i,
                         "%s facet '%.*s' at byte %zu of the facet list "
                         "(facets: dept, lead, jurisdiction, status, edition, year, "
                         "jurisdiction+dept, jurisdiction+lead)",
                         dup ? "repeated" : "unknown", (int)(j - i), names + i, i);
    }
    fs->any_dept |= is_dept((facet_kind)k);
    if (!is_dept((facet_kind)k)) fs->doc_f[fs->n_doc_f++] = fs->n;
    fs->any_pivot |= is_pivot((facet_kind)k);
    fs->f[fs->n].kind = (facet_kind)k;
    fs->f[fs->n++].out.name = facet_names[k];
    i = j + 1;
  }
  *out = fs;
  return CDX_OK;
}

/* A place's facet value (query.h): distinct places stay distinct values,
 * so a name that several places share (市中区, 铁西区) is told apart by its
 * parent's name before it (济南市市中区), and by its code after that in the
 * rare case parent and name are both shared. */
const char *cdx_q_place_value(uint32_t code, char *buf, size_t cap) {
  const cdx_gz_place *p = cdx_gz_by_code(code);
  if (!p || p->code != code) { /* a 2- or 4-digit code is not its widened place */
    snprintf(buf, cap, code ? "%06u" : "-", (unsigned)code);
    return buf;
  }
  const cdx_gz_place *same[64];
  size_t n = cdx_gz_lookup(p->name, strlen(p->name), same, 64), shared = 0;
  bool parent_shared = false;
  const cdx_gz_place *par = cdx_gz_parent(p);
  for (size_t i = 0; i < n && i < 64; i++) {
    if (same[i] == p || strcmp(same[i]->name, p->name) != 0) continue;
    shared++;
    const cdx_gz_place *qp = cdx_gz_parent(same[i]);
    parent_shared |= (qp && par) ? strcmp(qp->name, par->name) == 0 : qp == par;
  }
  assert(n <= 64); /* no name is shared by more places than that */
  if (!shared) return p->name;
  if (parent_shared)
    snprintf(buf, cap, "%s%s（%06u）", par ? par->name : "", p->name, (unsigned)code);
  else snprintf(buf, cap, "%s%s", par ? par->name : "", p->name);
  return buf;
}

/* The per-unit counts of the segment's name ids into the facets' names. */
static int flush_segment(cdx_q_facets *fs, const cdx_index *ix) {
  for (size_t i = 0; i < fs->n; i++) {
    facet *f = &fs->f[i];
    if (!is_dept(f->kind) || is_pivot(f->kind) || fs->seg == SIZE_MAX) continue;
    for (uint32_t id = 0; id < f->seg_n; id++)
      if (f->seg_counts[id] &&
          map_add(&f->map, cdx_ix_segment_string(ix, fs->seg, id), f->seg_counts[id]) != CDX_OK)
        return CDX_NOMEM;
  }
  return CDX_OK;
}

/* The document facets count a document's matching units at once: its units
 * are consecutive, so this is one hash update per document, not per unit. */
static int flush_doc(cdx_q_facets *fs) {
  if (fs->pending == 0) return CDX_OK;
  const cdx_ix_unit_meta *m = &fs->memo;
  for (size_t i = 0; i < fs->n_doc_f; i++) {
    facet *f = &fs->f[fs->doc_f[i]];
    int rc = CDX_OK;
    switch (f->kind) {
      case F_JURISDICTION:
        if (m->jurisdiction_code) rc = int_count(f, m->jurisdiction_code, fs->pending);
        break;
      case F_STATUS: rc = int_count(f, m->status, fs->pending); break;
      case F_EDITION:
        if (m->edition) rc = int_count(f, (uint64_t)m->edition, fs->pending);
        break;
      case F_YEAR:
        if (m->date) rc = int_count(f, m->date / 10000, fs->pending);
        break;
      default: break;
    }
    if (rc) return rc;
  }
  fs->pending = 0;
  return CDX_OK;
}

static int start_segment(cdx_q_facets *fs, const cdx_index *ix, size_t seg) {
  fs->seg = seg;
  fs->n_hits = 0;
  uint32_t n = cdx_ix_segment_strings(ix, seg), units = cdx_ix_segment_units(ix, seg);
  free(fs->hits);
  fs->hit_words = ((size_t)units + 63) / 64;
  if (!(fs->hits = calloc(fs->hit_words ? fs->hit_words : 1, sizeof *fs->hits))) return CDX_NOMEM;
  for (size_t i = 0; i < fs->n; i++) {
    facet *f = &fs->f[i];
    if (!is_dept(f->kind) || is_pivot(f->kind)) continue;
    free(f->seg_counts);
    f->seg_counts = calloc(n ? n : 1, sizeof *f->seg_counts);
    if (!f->seg_counts) return CDX_NOMEM;
    f->seg_n = n;
  }
  return CDX_OK;
}

/* A match only sets its bit: the counting is done per segment, from the
 * bitmap, in whichever order reads less (segment_done). */
int cdx_q_facets_add(cdx_q_facets *fs, const cdx_index *ix, size_t seg, uint32_t unit,
                     cdx_error *err) {
  if (seg != fs->seg) {
    int rc = cdx_q_facets_segment_done(fs, ix, err);
    if (rc) return rc;
    if (start_segment(fs, ix, seg) != CDX_OK)
      return cdx_err_set(err, CDX_NOMEM, CDX_NO_OFFSET, "out of memory counting facets");
  }
  fs->hits[unit >> 6] |= 1ULL << (unit & 63);
  fs->n_hits++;
  return CDX_OK;
}

int cdx_q_facets_add_postings(cdx_q_facets *fs, const cdx_index *ix, size_t seg, cdx_ix_postings *p,
                              uint64_t *n, cdx_error *err) {
  *n = 0;
  if (seg != fs->seg) {
    int rc = cdx_q_facets_segment_done(fs, ix, err);
    if (rc) return rc;
    if (start_segment(fs, ix, seg) != CDX_OK)
      return cdx_err_set(err, CDX_NOMEM, CDX_NO_OFFSET, "out of memory counting facets");
  }
  assert(fs->n_hits == 0); /* the segment's only source of matches */
  int rc = cdx_ix_postings_mark(p, fs->hits, n, err);
  fs->n_hits += (size_t)*n;
  return rc;
}

static bool hit(const cdx_q_facets *fs, uint32_t u) { return (fs->hits[u >> 6] >> (u & 63)) & 1; }

/* The first set bit at or after u, or `units`. */
static uint32_t next_hit(const cdx_q_facets *fs, uint32_t u, uint32_t units) {
  if (u >= units) return units;
  size_t w = u >> 6;
  uint64_t x = fs->hits[w] & (~0ULL << (u & 63));
  while (!x) {
    if (++w >= fs->hit_words) return units;
    x = fs->hits[w];
  }
  uint32_t at = (uint32_t)(w * 64 + (size_t)__builtin_ctzll(x));
  return at < units ? at : units;
}

/* Set bits in [a, b), a word at a time. */
static size_t hits_in(const cdx_q_facets *fs, uint32_t a, uint32_t b) {
  if (a >= b) return 0;
  size_t wa = a >> 6, wb = (b - 1) >> 6, n = 0;
  uint64_t lo = ~0ULL << (a & 63), hi = ~0ULL >> (63 - ((b - 1) & 63));
  if (wa == wb) return (size_t)__builtin_popcountll(fs->hits[wa] & lo & hi);
  n += (size_t)__builtin_popcountll(fs->hits[wa] & lo);
  for (size_t w = wa + 1; w < wb; w++) n += (size_t)__builtin_popcountll(fs->hits[w]);
  return n + (size_t)__builtin_popcountll(fs->hits[wb] & hi);
}

/* n matching units with department `name` (id in the segment's name table,
 * or UINT32_MAX) in `roles`: into the facets of those roles; pivots only
 * when `code` is given (one unit at a time), the others only when not. */
static int count_dept(cdx_q_facets *fs, uint32_t id, const char *name, size_t len, unsigned roles,
                      const uint32_t *code, size_t n) {
  for (size_t i = 0; i < fs->n; i++) {
    facet *f = &fs->f[i];
    if (!is_dept(f->kind) || is_pivot(f->kind) != (code != NULL)) continue;
    unsigned role = f->kind == F_DEPT || f->kind == F_JUR_DEPT ? CDX_ROLE_LISTED : CDX_ROLE_LEAD;
    if (!(roles & role)) continue;
    char buf[CDX_Q_PLACE_VALUE_MAX],
        key[1400]; /* names are at most 2 x 255 bytes (facts/depts.h) */
    if (code) {
      snprintf(key, sizeof key, "%s\t%.*s", cdx_q_place_value(*code, buf, sizeof buf), (int)len,
               name);
    } else if (id != UINT32_MAX && id < f->seg_n) {
      f->seg_counts[id] += (uint32_t)n;
      continue;
    } else {
      snprintf(key, sizeof key, "%.*s", (int)len, name);
    }
    if (map_add(&f->map, key, n) != CDX_OK) return CDX_NOMEM;
  }
  return CDX_OK;
}

static uint32_t doc_first(const cdx_index *ix, size_t seg, uint32_t d) {
  uint32_t first, n;
  cdx_ix_doc_unit_range(ix, seg, d, &first, &n);
  return first;
}

/* The document holding unit u, searched forward from document d (whose
 * first unit is at most u): doubling steps, then halving, over the
 * documents' first units, which ascend (documents hold consecutive units,
 * so the next one's first unit ends it: *end). Reading the small document
 * column in order is cheaper than the unit column's row of u. */
static uint32_t doc_from(const cdx_index *ix, size_t seg, uint32_t d, uint32_t n_docs, uint32_t u,
                         uint32_t units, uint32_t *end) {
  uint32_t lo = d, hi = n_docs, step = 1; /* first(lo) <= u < first(hi) */
  *end = units;
  while (lo + step < n_docs) {
    uint32_t f = doc_first(ix, seg, lo + step);
    if (f > u) {
      hi = lo + step;
      *end = f;
      break;
    }
    lo += step;
    step *= 2;
  }
  while (hi - lo > 1) {
    uint32_t mid = lo + (hi - lo) / 2, f = doc_first(ix, seg, mid);
    if (f > u) hi = mid, *end = f;
    else lo = mid;
  }
  return lo;
}

typedef struct walk_ctx {
  cdx_q_facets *fs;
  const cdx_index *ix;
  unsigned role;
} walk_ctx;

/* A department's postings against the bitmap (many matches: each listed
 * department's list is shorter than the matches). For the pivots, the
 * place is read once per document (its units are consecutive and the
 * postings ascend), and a run of matches in one place is counted at once:
 * a pair string per run, not per match. */
static int walk_term(void *vctx, const char *name, size_t len, cdx_ix_postings *it,
                     cdx_error *err) {
  walk_ctx *w = vctx;
  cdx_q_facets *fs = w->fs;
  size_t n = 0, run = 0;
  uint32_t units = cdx_ix_segment_units(w->ix, fs->seg),
           n_docs = cdx_ix_segment_docs(w->ix, fs->seg);
  uint32_t d = 0, doc_end = 0, code = 0, run_code = 0; /* no document yet */
  for (uint32_t u = cdx_ix_postings_unit(it); u != CDX_IX_END; u = cdx_ix_postings_unit(it)) {
    if (hit(fs, u)) {
      n++;
      if (fs->any_pivot) {
        if (u >= doc_end && d < n_docs) {
          d = doc_from(w->ix, fs->seg, d, n_docs, u, units, &doc_end);
          if (doc_end <= u) doc_end = u + 1; /* a damaged column must still move on */
          cdx_ix_unit_meta m;
          cdx_ix_doc_meta_get(w->ix, fs->seg, d, &m);
          code = m.jurisdiction_code;
        }
        if (run && code != run_code &&
            count_dept(fs, UINT32_MAX, name, len, w->role, &run_code, run) != CDX_OK)
          return cdx_err_set(err, CDX_NOMEM, CDX_NO_OFFSET, "out of memory counting facets");
        if (code != run_code) run = 0;
        run_code = code;
        run++;
      }
    }
    int rc = cdx_ix_postings_next(it, err);
    if (rc) return rc;
  }
  if ((run && count_dept(fs, UINT32_MAX, name, len, w->role, &run_code, run) != CDX_OK) ||
      (n && count_dept(fs, UINT32_MAX, name, len, w->role, NULL, n) != CDX_OK))
    return cdx_err_set(err, CDX_NOMEM, CDX_NO_OFFSET, "out of memory counting facets");
  return CDX_OK;
}

/* The dept and lead facets from the segment's dense department column
 * (version 7): the matches' entries, block by block, into arrays indexed
 * by the column's names, then into the facets' per-name-id counts. */
static int count_column(cdx_q_facets *fs, const cdx_index *ix, const cdx_ix_dept_column *col,
                        cdx_error *err) {
  uint32_t n = col->n_names;
  uint64_t *cnt = calloc(2 * (size_t)(n ? n : 1), sizeof *cnt);
  int rc = cnt ? cdx_ix_dept_column_count(col, fs->hits, cnt, err)
               : cdx_err_set(err, CDX_NOMEM, CDX_NO_OFFSET, "out of memory counting facets");
  for (size_t i = 0; i < fs->n && rc == CDX_OK; i++) {
    facet *f = &fs->f[i];
    if (f->kind != F_DEPT && f->kind != F_LEAD) continue;
    unsigned shift = f->kind == F_LEAD ? 32 : 0;
    for (uint32_t k = 0; k < n; k++) {
      uint32_t c = (uint32_t)(cnt[k] >> shift) + (uint32_t)(cnt[n + k] >> shift);
      if (!c) continue;
      uint32_t id = cdx_ix_dept_column_name(col, k);
      assert(id < f->seg_n); /* the column's names are the segment's (validated at open) */
      f->seg_counts[id] += c;
    }
  }
  free(cnt);
  if (rc == CDX_OK && flush_segment(fs, ix) != CDX_OK)
    rc = cdx_err_set(err, CDX_NOMEM, CDX_NO_OFFSET, "out of memory counting facets");
  return rc;
}

/* The document facets: a document's matches counted at once, the documents
 * found from the bitmap (those without a match cost a step of doc_from). */
static int count_docs(cdx_q_facets *fs, const cdx_index *ix, size_t seg) {
  uint32_t units = cdx_ix_segment_units(ix, seg), n_docs = cdx_ix_segment_docs(ix, seg);
  int rc = CDX_OK;
  uint32_t d = 0;
  for (uint32_t u = next_hit(fs, 0, units); u < units && d < n_docs && rc == CDX_OK; d++) {
    uint32_t end;
    d = doc_from(ix, seg, d, n_docs, u, units, &end);
    /* a damaged column must still move on */
    if (end <= u) end = u + 1;
    if (end > units) end = units;
    cdx_ix_doc_meta_get(ix, seg, d, &fs->memo);
    fs->pending = hits_in(fs, u, end);
    rc = flush_doc(fs);
    u = next_hit(fs, end, units);
  }
  return rc;
}

/* Version 8: the facets from the segment's ordinal columns, one pass over
 * the bitmap (docs/FORMAT.md, "Version 8: facet ordinal columns"). Returns
 * false, counting nothing, when the segment lacks a column a facet needs. */
static bool count_ordinals(cdx_q_facets *fs, const cdx_index *ix, int *rc, cdx_error *err) {
  cdx_ix_facet_column fc;
  if (fs->any_pivot || !cdx_ix_facet_column_open(ix, fs->seg, &fc) ||
      (fs->any_dept && !fc.n_sets) || (fs->n_doc_f && !fc.n_combos))
    return false;
  uint64_t *dept = fs->any_dept ? calloc(fc.n_names ? fc.n_names : 1, sizeof *dept) : NULL;
  uint64_t *combo = fs->n_doc_f ? calloc(fc.n_combos, sizeof *combo) : NULL;
  if ((fs->any_dept && !dept) || (fs->n_doc_f && !combo))
    *rc = cdx_err_set(err, CDX_NOMEM, CDX_NO_OFFSET, "out of memory counting facets");
  else *rc = cdx_ix_facet_column_count(&fc, fs->hits, dept, combo, err);
  cdx_ix_dept_column col; /* its names: the sets' entries index them */
  bool has_col = cdx_ix_dept_column_open(ix, fs->seg, &col);
  assert(has_col || !fc.n_sets); /* validated at open */
  (void)has_col;
  for (size_t i = 0; i < fs->n && *rc == CDX_OK && dept; i++) {
    facet *f = &fs->f[i];
    if (f->kind != F_DEPT && f->kind != F_LEAD) continue;
    unsigned shift = f->kind == F_LEAD ? 32 : 0;
    for (uint32_t k = 0; k < fc.n_names; k++) {
      uint32_t c = (uint32_t)(dept[k] >> shift);
      if (!c) continue;
      uint32_t id = cdx_ix_dept_column_name(&col, k);
      assert(id < f->seg_n); /* the column's names are the segment's (validated at open) */
      f->seg_counts[id] += c;
    }
  }
  for (uint32_t k = 0; k < fc.n_combos && *rc == CDX_OK && combo; k++) {
    if (!combo[k]) continue;
    cdx_ix_facet_values v;
    cdx_ix_facet_combo(&fc, k, &v);
    fs->memo.jurisdiction_code = v.jurisdiction_code;
    fs->memo.status = (cdx_doc_status)v.status;
    fs->memo.edition = (int)v.edition;
    fs->memo.date = v.year * 10000;
    fs->pending = (size_t)combo[k];
    if (flush_doc(fs) != CDX_OK)
      *rc = cdx_err_set(err, CDX_NOMEM, CDX_NO_OFFSET, "out of memory counting facets");
  }
  free(dept);
  free(combo);
  if (*rc == CDX_OK && flush_segment(fs, ix) != CDX_OK)
    *rc = cdx_err_set(err, CDX_NOMEM, CDX_NO_OFFSET, "out of memory counting facets");
  return true;
}

int cdx_q_facets_segment_done(cdx_q_facets *fs, const cdx_index *ix, cdx_error *err) {
  if (fs->seg == SIZE_MAX || fs->n_hits == 0) return CDX_OK;
  size_t seg = fs->seg;
  int rc = CDX_OK;
  uint32_t units = cdx_ix_segment_units(ix, seg);
  if (count_ordinals(fs, ix, &rc, err)) return rc;
  if (fs->n_doc_f) rc = count_docs(fs, ix, seg);
  if (rc) return cdx_err_set(err, CDX_NOMEM, CDX_NO_OFFSET, "out of memory counting facets");
  if (!fs->any_dept) return CDX_OK;
  cdx_ix_dept_column col;
  if (!fs->any_pivot && cdx_ix_dept_column_open(ix, seg, &col))
    return count_column(fs, ix, &col, err);
  if (fs->n_hits > units / 16) {
    /* many matches: walk the department terms (0x03 listed, 0x04 lead) */
    static const struct {
      char field;
      unsigned role;
    } walks[] = {{CDX_IX_FIELD_DEPT_LISTED, CDX_ROLE_LISTED},
                 {CDX_IX_FIELD_DEPT_LEAD, CDX_ROLE_LEAD}};
    for (size_t k = 0; k < 2 && rc == CDX_OK; k++) {
      bool wanted = false;
      for (size_t i = 0; i < fs->n; i++)
        wanted |= is_dept(fs->f[i].kind) &&
                  ((fs->f[i].kind == F_DEPT || fs->f[i].kind == F_JUR_DEPT) == (k == 0));
      if (!wanted) continue;
      walk_ctx w = {fs, ix, walks[k].role};
      rc = cdx_ix_each_prefixed(ix, seg, &walks[k].field, 1, walk_term, &w, err);
    }
    return rc;
  }
  /* few matches: each one's departments from its record */
  for (uint32_t u = 0; u < units && rc == CDX_OK; u++) {
    if (!fs->hits[u >> 6]) {
      u |= 63;
      continue;
    }
    if (!hit(fs, u)) continue;
    cdx_ix_unit_meta m = {0};
    if (fs->any_pivot) cdx_ix_doc_meta_get(ix, seg, cdx_ix_unit_doc(ix, seg, u), &m);
    cdx_ix_cursor c;
    rc = cdx_ix_unit_depts(ix, seg, u, &c, err);
    for (bool got = true; rc == CDX_OK && got;) {
      cdx_ix_dept d;
      if ((rc = cdx_ix_next_dept(&c, &d, &got, err)) != CDX_OK || !got) break;
      size_t cl = strlen(d.canonical);
      if (count_dept(fs, d.id, d.canonical, cl, d.roles, NULL, 1) != CDX_OK ||
          (fs->any_pivot &&
           count_dept(fs, d.id, d.canonical, cl, d.roles, &m.jurisdiction_code, 1) != CDX_OK))
        rc = cdx_err_set(err, CDX_NOMEM, CDX_NO_OFFSET, "out of memory counting facets");
    }
  }
  if (rc == CDX_OK && flush_segment(fs, ix) != CDX_OK)
    rc = cdx_err_set(err, CDX_NOMEM, CDX_NO_OFFSET, "out of memory counting facets");
  return rc;
}

static int cmp_value(const void *x, const void *y) {
  const cdx_facet_value *a = x, *b = y;
  if (a->count != b->count) return a->count > b->count ? -1 : 1;
  return strcmp(a->value, b->value);
}

typedef struct key_count {
  uint64_t key;
  size_t count;
} key_count;

/* Most frequent first (the names decide ties afterwards). */
static int cmp_key_count(const void *x, const void *y) {
  const key_count *a = x, *b = y;
  if (a->count != b->count) return a->count > b->count ? -1 : 1;
  return a->key < b->key ? -1 : a->key > b->key;
}

int cdx_q_facets_finish(cdx_q_facets *fs, const cdx_index *ix, cdx_error *err) {
  int rc = cdx_q_facets_segment_done(fs, ix, err);
  if (rc) return rc;
  for (size_t i = 0; i < fs->n && rc == CDX_OK; i++) {
    facet *f = &fs->f[i];
    if (f->run_n && (rc = int_add(f, f->run_key, f->run_n)) != CDX_OK) break;
    f->run_n = 0;
    /* document facets: their keys become names, only as many as the
     * output keeps (cdx_q_place_value gives distinct keys distinct names,
     * so nothing merges; tests/query/test_facets.c) */
    size_t n_keys = 0;
    if (f->n_int && !is_dept(f->kind)) {
      key_count *kc = malloc(f->n_int * sizeof *kc);
      if (!kc) {
        rc = CDX_NOMEM;
        break;
      }
      for (size_t k = 0; k < f->cap_int; k++)
        if (f->int_keys[k]) kc[n_keys++] = (key_count){f->int_keys[k] - 1, f->int_counts[k]};
      assert(n_keys == f->n_int);
      qsort(kc, n_keys, sizeof *kc, cmp_key_count);
      /* the first limit by count, and every key tied with the last of
       * them: their order is by name */
      size_t named = n_keys;
      if (fs->limit < n_keys) {
        size_t last = kc[fs->limit - 1].count;
        for (named = fs->limit; named < n_keys && kc[named].count == last;) named++;
      }
      for (size_t k = 0; k < named && rc == CDX_OK; k++) {
        uint64_t key = kc[k].key;
        char buf[CDX_Q_PLACE_VALUE_MAX];
        const char *v = buf;
        if (f->kind == F_JURISDICTION) {
          v = cdx_q_place_value((uint32_t)key, buf, sizeof buf);
        } else if (f->kind == F_STATUS) {
          static const char *const status_names[] = {"final", "送审稿", "征求意见稿"};
          /* status is at most 2 in a valid row; a damaged one keeps its number */
          if (key < 3) v = status_names[key];
          else snprintf(buf, sizeof buf, "?%u", (unsigned)key);
        } else {
          snprintf(buf, sizeof buf, "%u", (unsigned)key);
        }
        rc = map_add(&f->map, v, kc[k].count);
      }
      free(kc);
      if (rc) break;
      assert(f->map.n == named); /* distinct keys, distinct names */
    }
    f->values = malloc((f->map.n ? f->map.n : 1) * sizeof *f->values);
    if (!f->values) {
      rc = CDX_NOMEM;
      break;
    }
    size_t m = 0;
    for (size_t k = 0; k < f->map.cap; k++)
      if (f->map.e[k].value)
        f->values[m++] = (cdx_facet_value){f->map.e[k].value, f->map.e[k].count};
    qsort(f->values, m, sizeof *f->values, cmp_value);
    f->out.values = f->values;
    f->out.n_distinct = is_dept(f->kind) ? m : n_keys;
    f->out.n_values = m < fs->limit ? m : fs->limit;
  }
  return rc ? cdx_err_set(err, CDX_NOMEM, CDX_NO_OFFSET, "out of memory counting facets") : CDX_OK;
}

size_t cdx_q_facets_count(const cdx_q_facets *fs) { return fs ? fs->n : 0; }

const cdx_facet *cdx_q_facets_get(const cdx_q_facets *fs, size_t i) {
  return fs && i < fs->n ? &fs->f[i].out : NULL;
}

int cdx_facet_to_json(const cdx_facet *f, char **out, size_t *out_len, cdx_error *err) {
  cdx_buf b;
  int rc = cdx_json_start(f, out, __func__, &b, err);
  if (rc != CDX_OK) return rc;
  cdx_json_member(&rc, &b, "{\"type\":\"facet\",\"name\":", f->name);
  cdx_buf_printf(&rc, &b, ",\"distinct\":%zu,\"values\":[", f->n_distinct);
  for (size_t i = 0; i < f->n_values; i++) {
    cdx_json_member(&rc, &b, i ? ",{\"value\":" : "{\"value\":", f->values[i].value);
    cdx_buf_printf(&rc, &b, ",\"count\":%zu}", f->values[i].count);
  }
  cdx_buf_puts(&rc, &b, "]}");
  return cdx_json_finish(rc, &b, out, out_len, err);
}

int cdx_dept_row_to_json(const char *jurisdiction, const char *department, size_t listed,
                         size_t lead, char **out, size_t *out_len, cdx_error *err) {
  if (!out) return cdx_err_set(err, CDX_INVALID, CDX_NO_OFFSET, "cdx_dept_row_to_json: NULL out");
  int rc = CDX_OK;
  cdx_buf b;
  cdx_buf_init(&b);
  cdx_json_member(&rc, &b, "{\"type\":\"dept\",\"jurisdiction\":", jurisdiction);
  cdx_json_member(&rc, &b, ",\"department\":", department);
  cdx_buf_printf(&rc, &b, ",\"listed\":%zu,\"leading\":%zu}", listed, lead);
  return cdx_json_finish(rc, &b, out, out_len, err);
}

/* ---- sorting (cdx_search_options.sort) ---- */

double cdx_q_sort_key(const cdx_index *ix, size_t seg, uint32_t unit, int sort) {
  if (sort == CDX_SORT_AMOUNT) {
    double best = -1;
    cdx_ix_cursor c;
    cdx_error e;
    if (cdx_ix_unit_figures(ix, seg, unit, &c, &e) != CDX_OK) return -1;
    for (bool got = true; got;) {
      cdx_ix_figure f;
      if (cdx_ix_next_figure(&c, &f, &got, &e) != CDX_OK) break;
      if (got && f.type == CDX_FIG_MONEY && strcmp(f.unit, "元") == 0 && f.hi > best) best = f.hi;
    }
    return best;
  }
  cdx_ix_unit_meta m;
  cdx_ix_doc_meta_get(ix, seg, cdx_ix_unit_doc(ix, seg, unit), &m);
  if (sort == CDX_SORT_DATE) return m.date ? (double)m.date : -1;
  return m.edition ? (double)m.edition : -1;
}
