/* index_open.c - an open snapshot: segments of one manifest, deletions,
 * index-wide statistics, family ids and the latest-version flags, lookup of
 * documents by id, and the reader accessors of index_reader.h. The open
 * reads the manifest, maps the segments and checks their fixed-width
 * columns; the tables over document records (families, latest flags, the
 * id table) are built on first use. */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "families/families.h"
#include "indexer/ix_internal.h"

/* Segment CRCs are verified at open up to this size; bigger files are
 * verified by `check`. A CRC runs at ~2 GB/s here: the 16 MB tail segment
 * of the 1 GB bench index cost a rare-word search 8 of its 20 ms when the
 * bound was 64 MiB. Structure is bounds-checked at every read whatever the
 * size. A variable so that tests can open small segments as big ones are. */
uint64_t cdx_ix_crc_open_max = 1u << 20;

void cdx_index_close(cdx_index *ix) {
  if (!ix) return;
  for (size_t i = 0; i < ix->n_segs; i++) {
    cdx_ix_segment *s = &ix->segs[i];
    cdx_seg_close(&s->seg);
    free(s->del_docs);
    free(s->del_units);
    free(s->latest_docs);
    free(s->family_ids);
    free(s->family_ambiguous);
  }
  free(ix->segs);
  pthread_mutex_destroy(&ix->tables_mu);
  cdx_man_free(&ix->man);
  free(ix->live);
  free(ix->id_slots);
  cdx_store_cache_free(ix->store_cache);
  cdx_dir_close(&ix->dir);
  free(ix);
}

/* Rows as the readers see them. A segment opened without the row pass
 * (version 7 and no CRC pass: docs/FORMAT.md, "CRC policy") may hold any
 * value in a row; a value out of range reads as a valid one (a wrong
 * result, never a read outside the mapping), and `check` names the row. */
static void ucol_read(const cdx_seg *s, uint32_t u, cdx_ucol *c) {
  cdx_ucol_decode(cdx_seg_ucol(s, u), c);
  (void)cdx_ucol_clamp(c, s->n_docs);
}
static void dcol_read(const cdx_seg *s, uint32_t d, cdx_dcol *c) {
  cdx_dcol_decode(cdx_seg_dcol(s, d), c);
  (void)cdx_dcol_clamp(c, s->n_units);
}

static uint64_t str_hash(const char *s) { return cdx_ix_hash(s, strlen(s), CDX_IX_HASH_SEED); }

static const char *doc_id_of(const cdx_index *ix, uint64_t key) {
  cdx_ix_doc_fields f;
  if (cdx_seg_doc(&ix->segs[key >> 32].seg, (uint32_t)key, &f, NULL, NULL) != CDX_OK) return NULL;
  return f.id;
}

/* A string -> id table (open addressing, power-of-two capacity); the keys
 * are borrowed. */
typedef struct key_table {
  char **keys;
  uint32_t *ids, *count;
  size_t cap;
} key_table;

static bool table_init(key_table *t, size_t n) {
  t->cap = 16;
  while (t->cap < n * 2) t->cap *= 2;
  t->keys = calloc(t->cap, sizeof *t->keys);
  t->ids = calloc(t->cap, sizeof *t->ids);
  t->count = calloc(t->cap, sizeof *t->count);
  return t->keys && t->ids && t->count;
}
static void table_free(key_table *t) {
  free(t->keys);
  free(t->ids);
  free(t->count);
}
/* The slot of key: *fresh when it was not there (and now is). */
static size_t table_slot(key_table *t, char *key, bool *fresh) {
  size_t j = str_hash(key) & (t->cap - 1);
  while (t->keys[j] && strcmp(t->keys[j], key) != 0) j = (j + 1) & (t->cap - 1);
  *fresh = !t->keys[j];
  if (*fresh) t->keys[j] = key;
  return j;
}

/* Family ids and latest flags across all segments (docs/CORPUS.md,
 * "Families"). A document's family is its sidecar family, else its policy
 * key less the edition (cdx_fam_key_from_policy); a document without a
 * title is a family of its own. A document of unknown jurisdiction (code
 * 0) joins the one family of a known jurisdiction with its stem; with two
 * or more such families it is ambiguous and alone. The latest document of a
 * family is its live one of the newest edition (when both are known), then the most advanced
 * stage (征求意见稿 < 送审稿 < final), then the latest date, then doc order.
 * Derived at open rather than stored: a family gains and loses members as
 * other documents come and go. */
static int compute_families(cdx_index *ix, cdx_error *err) {
  size_t total = 0;
  for (size_t i = 0; i < ix->n_segs; i++) total += ix->segs[i].seg.n_docs;
  key_table fam = {0}, stems = {0};
  uint64_t *best = NULL;
  uint32_t next_id = 0;
  int rc = CDX_OK;
  /* one key per document, computed once; the tables point into them */
  char **keys = calloc(total ? total : 1, sizeof *keys);
  uint8_t *later = calloc(total ? total : 1, 1); /* unknown place: second pass */
  if (!keys || !later || !table_init(&fam, total) || !table_init(&stems, total)) goto nomem;
  size_t g = 0;
  for (size_t i = 0; i < ix->n_segs; i++) {
    cdx_ix_segment *s = &ix->segs[i];
    for (uint32_t d = 0; d < s->seg.n_docs; d++, g++) {
      cdx_ix_doc_fields f;
      rc = cdx_seg_doc(&s->seg, d, &f, NULL, err);
      if (rc != CDX_OK) goto out;
      bool oom = false;
      char *key = cdx_fam_doc_key(f.family, f.policy_key, &oom);
      if (oom) goto nomem;
      keys[g] = key;
      if (!key) {
        s->family_ids[d] = next_id++;
        continue;
      }
      /* families of known jurisdictions first, so that a document of
       * unknown jurisdiction sees every candidate whatever the doc order */
      if (!f.family && cdx_fam_key_code(key) == 0) {
        later[g] = 1;
        continue;
      }
      bool fresh;
      size_t j = table_slot(&fam, key, &fresh);
      if (fresh) fam.ids[j] = next_id++;
      s->family_ids[d] = fam.ids[j];
      if (fresh && !f.family) {
        size_t k = table_slot(&stems, (char *)cdx_fam_key_stem(key), &fresh);
        if (fresh) stems.count[k] = 0;
        if (stems.count[k]++ == 0) stems.ids[k] = fam.ids[j];
      }
    }
  }
  g = 0;
  for (size_t i = 0; i < ix->n_segs; i++) {
    cdx_ix_segment *s = &ix->segs[i];
    for (uint32_t d = 0; d < s->seg.n_docs; d++, g++) {
      if (!later[g]) continue;
      bool fresh;
      size_t j = table_slot(&stems, (char *)cdx_fam_key_stem(keys[g]), &fresh);
      if (fresh) stems.count[j] = 0;       /* none fits: the unknown place's own family */
      if (!fresh && stems.count[j] == 1) { /* one family fits: join it */
        s->family_ids[d] = stems.ids[j];
      } else if (!fresh && stems.count[j] > 1) { /* two fit: neither */
        s->family_ids[d] = next_id++;
        cdx_bit_set(s->family_ambiguous, d);
      } else {
        size_t k = table_slot(&fam, keys[g], &fresh);
        if (fresh) fam.ids[k] = next_id++;
        s->family_ids[d] = fam.ids[k];
      }
    }
  }
  best = malloc((next_id ? next_id : 1) * sizeof *best);
  if (!best) goto nomem;
  for (uint32_t p = 0; p < next_id; p++) best[p] = UINT64_MAX;
  for (size_t i = 0; i < ix->n_segs; i++) {
    cdx_ix_segment *s = &ix->segs[i];
    for (uint32_t d = 0; d < s->seg.n_docs; d++) {
      if (cdx_bit(s->del_docs, d)) continue;
      uint32_t p = s->family_ids[d];
      uint64_t me = (uint64_t)i << 32 | d;
      if (best[p] == UINT64_MAX) {
        best[p] = me;
        continue;
      }
      const uint8_t *a = cdx_seg_dcol(&s->seg, d);
      const uint8_t *b = cdx_seg_dcol(&ix->segs[best[p] >> 32].seg, (uint32_t)best[p]);
      uint64_t ea = CDX_DCOL_GET(a, edition), eb = CDX_DCOL_GET(b, edition);
      int sa = cdx_fam_stage((cdx_doc_status)CDX_DCOL_GET(a, status));
      int sb = cdx_fam_stage((cdx_doc_status)CDX_DCOL_GET(b, status));
      uint64_t da = CDX_DCOL_GET(a, date), db = CDX_DCOL_GET(b, date);
      /* an unknown edition (0) says nothing about the order: editions decide
       * only when both are known. Later in doc order wins ties: documents
       * are visited in doc order */
      if (ea && eb && ea != eb) {
        if (ea > eb) best[p] = me;
      } else if (sa > sb || (sa == sb && da >= db)) {
        best[p] = me;
      }
    }
  }
  for (uint32_t p = 0; p < next_id; p++)
    if (best[p] != UINT64_MAX) cdx_bit_set(ix->segs[best[p] >> 32].latest_docs, (uint32_t)best[p]);
  goto out;
nomem:
  rc = cdx_err_set(err, CDX_NOMEM, CDX_NO_OFFSET, "out of memory");
out:
  for (size_t k = 0; keys && k < total; k++) free(keys[k]);
  free(keys);
  free(later);
  table_free(&fam);
  table_free(&stems);
  free(best);
  return rc;
}

/* The live documents in order and the id table (see struct cdx_index). */
static int build_id_table(cdx_index *ix, cdx_error *err) {
  ix->live = malloc((ix->live_docs ? ix->live_docs : 1) * sizeof *ix->live);
  ix->id_cap = 16;
  while (ix->id_cap < ix->live_docs * 2) ix->id_cap *= 2;
  ix->id_slots = calloc(ix->id_cap, sizeof *ix->id_slots);
  if (!ix->live || !ix->id_slots)
    return cdx_err_set(err, CDX_NOMEM, CDX_NO_OFFSET, "out of memory");
  for (size_t i = 0; i < ix->n_segs; i++) {
    for (uint32_t d = 0; d < ix->segs[i].seg.n_docs; d++) {
      if (cdx_bit(ix->segs[i].del_docs, d)) continue;
      cdx_ix_doc_fields f;
      int rc = cdx_seg_doc(&ix->segs[i].seg, d, &f, NULL, err);
      if (rc != CDX_OK) return rc;
      uint64_t key = (uint64_t)i << 32 | d;
      size_t j = str_hash(f.id) & (ix->id_cap - 1);
      while (ix->id_slots[j]) {
        const char *other = doc_id_of(ix, ix->id_slots[j] - 1);
        if (other && strcmp(other, f.id) == 0)
          return cdx_err_corrupt(err, "%s: document id %s is live twice", ix->segs[i].seg.path,
                                 f.id);
        j = (j + 1) & (ix->id_cap - 1);
      }
      ix->id_slots[j] = key + 1;
      ix->live[ix->n_live++] = key;
    }
  }
  return CDX_OK;
}

static int build_tables(cdx_index *ix, cdx_error *err) {
  for (size_t i = 0; i < ix->n_segs; i++) {
    cdx_ix_segment *s = &ix->segs[i];
    size_t db = ((size_t)s->seg.n_docs + 8) / 8;
    s->latest_docs = calloc(db, 1);
    s->family_ids = calloc((size_t)s->seg.n_docs + 1, sizeof *s->family_ids);
    s->family_ambiguous = calloc(db, 1);
    if (!s->latest_docs || !s->family_ids || !s->family_ambiguous)
      return cdx_err_set(err, CDX_NOMEM, CDX_NO_OFFSET, "out of memory");
  }
  int rc = compute_families(ix, err);
  return rc ? rc : build_id_table(ix, err);
}

int cdx_ix_doc_tables(const cdx_index *cix, cdx_error *err) {
  /* The tables are a cache: building them does not change what the
   * snapshot answers, so a const handle may fill them in. */
  cdx_index *ix = (cdx_index *)cix;
  int st = atomic_load_explicit(&ix->tables_state, memory_order_acquire);
  if (st == 0) {
    pthread_mutex_lock(&ix->tables_mu);
    st = atomic_load_explicit(&ix->tables_state, memory_order_relaxed);
    if (st == 0) {
      cdx_error e = {0};
      st = build_tables(ix, &e) == CDX_OK ? 1 : 2;
      ix->tables_err = e;
      atomic_store_explicit(&ix->tables_state, st, memory_order_release);
    }
    pthread_mutex_unlock(&ix->tables_mu);
  }
  if (st == 1) return CDX_OK;
  if (err) *err = ix->tables_err;
  return ix->tables_err.code ? ix->tables_err.code : CDX_NOMEM;
}

static int open_once(const cdx_dir *dir, bool verify_all, cdx_index **out, cdx_error *err) {
  *out = NULL;
  cdx_index *ix = calloc(1, sizeof *ix);
  if (!ix) return cdx_err_set(err, CDX_NOMEM, CDX_NO_OFFSET, "out of memory");
  pthread_mutex_init(&ix->tables_mu, NULL);
  atomic_init(&ix->tables_state, 0);
  ix->dir.fd = -1;
  int rc = cdx_dir_dup(dir, &ix->dir, err);
  if (rc != CDX_OK) goto fail;
  rc = cdx_man_read(dir, &ix->man, err);
  if (rc != CDX_OK) goto fail;
  ix->segs = calloc(ix->man.n_segs ? ix->man.n_segs : 1, sizeof *ix->segs);
  if (!ix->segs) goto nomem;
  for (uint32_t i = 0; i < ix->man.n_segs; i++) {
    const cdx_seg_info *g = &ix->man.segs[i];
    cdx_ix_segment *s = &ix->segs[i];
    char name[64];
    cdx_seg_file_name(name, sizeof name, g->seg_no);
    rc = cdx_seg_open(dir, name, verify_all || g->file_size <= cdx_ix_crc_open_max, &s->seg, err);
    if (rc != CDX_OK) goto fail;
    ix->n_segs++;
    s->info = *g;
    if (s->seg.size != g->file_size || s->seg.n_units != g->n_units || s->seg.n_docs != g->n_docs) {
      rc = cdx_err_corrupt(err, "%s: segment does not match the manifest (size or counts)",
                           s->seg.path);
      goto fail;
    }
    size_t db = ((size_t)g->n_docs + 8) / 8, ub = ((size_t)g->n_units + 8) / 8;
    if (g->del_gen) {
      rc = cdx_del_read(dir, g->seg_no, g->del_gen, g->n_docs, &s->del_docs, err);
      if (rc != CDX_OK) goto fail;
      uint8_t *grown = realloc(s->del_docs, db);
      if (!grown) goto nomem;
      s->del_docs = grown;
      size_t have = ((size_t)g->n_docs + 7) / 8;
      memset(grown + have, 0, db - have);
      /* bits past n_docs mean nothing; clear them so counts stay honest */
      if (g->n_docs % 8) grown[g->n_docs / 8] &= (uint8_t)((1u << (g->n_docs % 8)) - 1);
    } else {
      s->del_docs = calloc(db, 1);
    }
    s->del_units = calloc(ub, 1);
    if (!s->del_docs || !s->del_units) goto nomem;
    /* Only deleted documents' units are visited: the live length is the
     * segment's sum (its trailer's since version 7) less theirs. */
    uint32_t ndel = 0;
    uint64_t del_units = 0, del_len = 0;
    for (uint32_t d = 0; g->del_gen && d < g->n_docs; d++) {
      if (!cdx_bit(s->del_docs, d)) continue;
      cdx_dcol dc;
      dcol_read(&s->seg, d, &dc);
      uint32_t first = dc.first_unit, n = dc.n_units;
      ndel++;
      del_units += n;
      for (uint32_t u = first; u < first + n; u++) {
        cdx_bit_set(s->del_units, u);
        del_len += CDX_UCOL_GET(cdx_seg_ucol(&s->seg, u), length);
      }
    }
    ix->live_docs += g->n_docs - ndel;
    /* unchecked rows may overlap or overstate: never wrap */
    ix->live_units += del_units < s->seg.n_units ? s->seg.n_units - del_units : 0;
    ix->live_len_sum += del_len < s->seg.len_sum ? s->seg.len_sum - del_len : 0;
    s->n_del_docs = ndel;
    if (ndel != g->n_deleted) {
      rc = cdx_err_corrupt(err, "%s: deletion count disagrees with the manifest", s->seg.path);
      goto fail;
    }
  }
  ix->avg_len = ix->live_units ? (double)ix->live_len_sum / (double)ix->live_units : 0.0;
  *out = ix;
  return CDX_OK;
nomem:
  rc = cdx_err_set(err, CDX_NOMEM, CDX_NO_OFFSET, "out of memory");
fail:
  cdx_index_close(ix);
  return rc;
}

/* A writer may commit between our read of MANIFEST and our open of the
 * files it names, and then delete files of the older commit. A missing or
 * mismatching file is therefore retried while the manifest keeps changing;
 * only a failure against a stable manifest is corruption. */
int cdx_index_open_dir(const cdx_dir *dir, bool verify_all, cdx_index **out, cdx_error *err) {
  for (int attempt = 0;; attempt++) {
    cdx_manifest before;
    int mrc = cdx_man_read(dir, &before, NULL);
    int rc = open_once(dir, verify_all, out, err);
    if (rc != CDX_CORRUPT || mrc != CDX_OK || attempt >= 20) {
      if (mrc == CDX_OK) cdx_man_free(&before);
      return rc;
    }
    cdx_manifest after;
    bool changed =
        cdx_man_read(dir, &after, NULL) != CDX_OK || after.generation != before.generation;
    cdx_man_free(&before);
    cdx_man_free(&after);
    if (!changed) return rc;
  }
}

int cdx_index_open_ex(const char *path, bool verify_all, cdx_index **out, cdx_error *err) {
  *out = NULL;
  if (!path) return cdx_err_set(err, CDX_INVALID, CDX_NO_OFFSET, "no index directory given");
  cdx_dir dir;
  int rc = cdx_dir_open(path, &dir, err);
  if (rc == CDX_NOTFOUND)
    return cdx_err_set(err, CDX_NOTFOUND, CDX_NO_OFFSET, "no clausedex index at %s", path);
  if (rc != CDX_OK) return rc;
  rc = cdx_index_open_dir(&dir, verify_all, out, err);
  cdx_dir_close(&dir);
  return rc;
}

int cdx_index_open(const char *dir, cdx_index **out, cdx_error *err) {
  if (!out) return cdx_err_set(err, CDX_INVALID, CDX_NO_OFFSET, "NULL argument");
  return cdx_index_open_ex(dir, false, out, err);
}

bool cdx_ix_find_doc(const cdx_index *ix, const char *id, size_t *seg, uint32_t *doc) {
  if (!id || cdx_ix_doc_tables(ix, NULL) != CDX_OK || !ix->id_cap) return false;
  size_t j = str_hash(id) & (ix->id_cap - 1);
  while (ix->id_slots[j]) {
    uint64_t key = ix->id_slots[j] - 1;
    const char *other = doc_id_of(ix, key);
    if (other && strcmp(other, id) == 0) {
      *seg = (size_t)(key >> 32);
      *doc = (uint32_t)key;
      return true;
    }
    j = (j + 1) & (ix->id_cap - 1);
  }
  return false;
}

/* ---- accessors of index_reader.h ---- */

size_t cdx_ix_segment_count(const cdx_index *ix) { return ix->n_segs; }
uint32_t cdx_ix_segment_units(const cdx_index *ix, size_t seg) { return ix->segs[seg].seg.n_units; }
uint32_t cdx_ix_segment_min_unit_length(const cdx_index *ix, size_t seg) {
  return ix->segs[seg].seg.min_len;
}
uint32_t cdx_ix_segment_docs(const cdx_index *ix, size_t seg) { return ix->segs[seg].seg.n_docs; }
const char *cdx_ix_segment_name(const cdx_index *ix, size_t seg) { return ix->segs[seg].seg.name; }
bool cdx_ix_unit_deleted(const cdx_index *ix, size_t seg, uint32_t unit) {
  return cdx_bit(ix->segs[seg].del_units, unit);
}
bool cdx_ix_doc_deleted(const cdx_index *ix, size_t seg, uint32_t doc) {
  return cdx_bit(ix->segs[seg].del_docs, doc);
}
bool cdx_ix_segment_has_deletions(const cdx_index *ix, size_t seg) {
  return ix->segs[seg].n_del_docs > 0;
}
uint64_t cdx_ix_live_units(const cdx_index *ix) { return ix->live_units; }
uint64_t cdx_ix_live_docs(const cdx_index *ix) { return ix->live_docs; }
double cdx_ix_avg_unit_length(const cdx_index *ix) { return ix->avg_len; }

int cdx_ix_term_df(const cdx_index *ix, const char *term, size_t len, uint64_t *df,
                   cdx_error *err) {
  *df = 0;
  for (size_t i = 0; i < ix->n_segs; i++) {
    cdx_term_entry e;
    bool found;
    int rc = cdx_seg_lookup(&ix->segs[i].seg, term, len, &e, &found, err);
    if (rc != CDX_OK) return rc;
    if (found) *df += e.df;
  }
  return CDX_OK;
}

bool cdx_ix_segment_char_by_prefix(const cdx_index *ix, size_t seg) {
  return ix->segs[seg].seg.version >= 3;
}

typedef struct df_acc {
  uint64_t sum;
} df_acc;

static int add_df(void *ctx, const uint8_t *term, size_t len, const cdx_term_entry *e,
                  cdx_error *err) {
  (void)term;
  (void)len;
  (void)err;
  ((df_acc *)ctx)->sum += e->df;
  return CDX_OK;
}

int cdx_ix_char_df(const cdx_index *ix, const char *term, size_t len, uint64_t *df,
                   cdx_error *err) {
  *df = 0;
  for (size_t i = 0; i < ix->n_segs; i++) {
    const cdx_seg *seg = &ix->segs[i].seg;
    if (!cdx_ix_segment_char_by_prefix(ix, i)) {
      cdx_term_entry e;
      bool found;
      int rc = cdx_seg_lookup(seg, term, len, &e, &found, err);
      if (rc != CDX_OK) return rc;
      if (found) *df += e.df;
      continue;
    }
    df_acc a = {0};
    int rc = cdx_seg_each_prefixed(seg, term, len, add_df, &a, err);
    if (rc != CDX_OK) return rc;
    *df += a.sum < seg->n_units ? a.sum : seg->n_units;
  }
  return CDX_OK;
}

uint32_t cdx_ix_unit_length(const cdx_index *ix, size_t seg, uint32_t unit) {
  assert(seg < ix->n_segs);
  return (uint32_t)CDX_UCOL_GET(cdx_seg_ucol(&ix->segs[seg].seg, unit), length);
}

void cdx_ix_unit_lengths(const cdx_index *ix, size_t seg, const uint32_t *units, size_t m,
                         uint32_t *out) {
  assert(seg < ix->n_segs);
  const cdx_seg *s = &ix->segs[seg].seg;
  enum { AHEAD = 8 };
  for (size_t k = 0; k < m && k < AHEAD; k++) __builtin_prefetch(cdx_seg_ucol(s, units[k]));
  for (size_t k = 0; k < m; k++) {
    if (k + AHEAD < m) __builtin_prefetch(cdx_seg_ucol(s, units[k + AHEAD]));
    out[k] = (uint32_t)CDX_UCOL_GET(cdx_seg_ucol(s, units[k]), length);
  }
}

uint32_t cdx_ix_unit_doc(const cdx_index *ix, size_t seg, uint32_t unit) {
  assert(seg < ix->n_segs);
  const cdx_seg *s = &ix->segs[seg].seg;
  uint32_t doc = (uint32_t)CDX_UCOL_GET(cdx_seg_ucol(s, unit), doc);
  return doc < s->n_docs ? doc : s->n_docs - 1; /* see ucol_read */
}

void cdx_ix_doc_unit_range(const cdx_index *ix, size_t seg, uint32_t doc, uint32_t *first,
                           uint32_t *n) {
  cdx_dcol c;
  dcol_read(&ix->segs[seg].seg, doc, &c);
  *first = c.first_unit;
  *n = c.n_units;
}

void cdx_ix_doc_meta_get(const cdx_index *ix, size_t seg, uint32_t doc, cdx_ix_unit_meta *m) {
  const cdx_ix_segment *s = &ix->segs[seg];
  cdx_dcol c;
  dcol_read(&s->seg, doc, &c);
  m->doc = doc;
  cdx_dcol_to_meta(&c, m);
  /* Building the tables reads every document record: a caller that wants
   * these two builds them first (cdx_search with --latest); the others, such
   * as the hits' fields, must not pay for them. */
  bool tables = atomic_load_explicit(&ix->tables_state, memory_order_acquire) == 1;
  m->family_id = tables ? s->family_ids[doc] : 0;
  m->latest = tables && cdx_bit(s->latest_docs, doc);
}

void cdx_ix_unit_meta_get(const cdx_index *ix, size_t seg, uint32_t unit, cdx_ix_unit_meta *m) {
  assert(seg < ix->n_segs);
  cdx_ucol c;
  ucol_read(&ix->segs[seg].seg, unit, &c);
  cdx_ix_doc_meta_get(ix, seg, c.doc, m);
  cdx_ucol_to_meta(&c, m);
}

int cdx_ix_doc_fields_get(const cdx_index *ix, size_t seg, uint32_t doc, cdx_ix_doc_fields *out,
                          cdx_error *err) {
  if (seg >= ix->n_segs) return cdx_err_set(err, CDX_INVALID, CDX_NO_OFFSET, "no segment %zu", seg);
  return cdx_seg_doc(&ix->segs[seg].seg, doc, out, NULL, err);
}

struct cdx_ix_store {
  const cdx_index *ix;
  cdx_store_stream z;      /* the block being read (no cache), or the one inflated
                              for the cache (its text and resp buffers serve both) */
  cdx_store_block *cached; /* one reference, while its units are read */
};

int cdx_ix_store_new(const cdx_index *ix, cdx_ix_store **out, cdx_error *err) {
  *out = calloc(1, sizeof **out);
  if (!*out) return cdx_err_set(err, CDX_NOMEM, CDX_NO_OFFSET, "out of memory");
  (*out)->ix = ix;
  cdx_store_stream_init(&(*out)->z);
  return CDX_OK;
}

void cdx_ix_store_free(cdx_ix_store *st) {
  if (!st) return;
  cdx_store_block_release(st->cached);
  cdx_store_stream_free(&st->z);
  free(st);
}

/* Unit from the index's shared block cache: the block is looked up, or
 * inflated whole and offered to the cache. A block that fails to inflate
 * whole is read by the stream as without the cache, so a damaged block
 * gives the same units and errors either way. */
static int cached_unit(cdx_ix_store *st, size_t seg, uint32_t unit, cdx_ix_unit_fields *out,
                       cdx_error *err) {
  const cdx_seg *s = &st->ix->segs[seg].seg;
  uint32_t blk = cdx_seg_store_block_of(s, unit);
  cdx_store_block *b = st->cached;
  if (!b || b->seg != seg || b->blk != blk) {
    cdx_store_block_release(b);
    st->cached = NULL;
    b = cdx_store_cache_get(st->ix->store_cache, (uint32_t)seg, blk);
    if (!b) {
      cdx_error e;
      if (cdx_store_stream_take(&st->z, s, (uint32_t)seg, blk, &b, &e) != CDX_OK)
        return cdx_store_stream_unit(&st->z, s, unit, out, err);
      b = cdx_store_cache_put(st->ix->store_cache, b);
    }
    st->cached = b;
  }
  if (unit < b->first || unit - b->first >= b->n) /* a store index that disagrees */
    return cdx_store_stream_unit(&st->z, s, unit, out, err);
  int rc = cdx_store_block_unit(b, unit, out, &st->z.text, &st->z.resp, &st->z.resp_cap);
  return rc == CDX_OK ? CDX_OK : cdx_err_set(err, CDX_NOMEM, CDX_NO_OFFSET, "out of memory");
}

int cdx_ix_store_unit(cdx_ix_store *st, size_t seg, uint32_t unit, cdx_ix_unit_fields *out,
                      cdx_error *err) {
  if (seg >= st->ix->n_segs || unit >= st->ix->segs[seg].seg.n_units)
    return cdx_err_set(err, CDX_INVALID, CDX_NO_OFFSET, "no unit %u in segment %zu", unit, seg);
  if (st->ix->store_cache) return cached_unit(st, seg, unit, out, err);
  return cdx_store_stream_unit(&st->z, &st->ix->segs[seg].seg, unit, out, err);
}

int cdx_index_set_store_cache(cdx_index *ix, size_t bytes, cdx_error *err) {
  if (!ix) return cdx_err_set(err, CDX_INVALID, CDX_NO_OFFSET, "cdx_index_set_store_cache: NULL");
  cdx_store_cache *c = NULL;
  int rc = bytes ? cdx_store_cache_new(bytes, &c, err) : CDX_OK;
  if (rc != CDX_OK) return rc;
  cdx_store_cache_free(ix->store_cache);
  ix->store_cache = c;
  return CDX_OK;
}
