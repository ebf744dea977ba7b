/* Every file kind of an index, bit-flipped and truncated: opening and
 * checking give CDX_CORRUPT (or CDX_FORMAT_VERSION) naming the file, never
 * a crash or a read outside the mapping (run under ASan). */
#define _POSIX_C_SOURCE 200809L
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "support/test_support.h"
#include "tests/indexer/ix_helpers.h"
#include "support/ix_paths.h"

static char texts[300][400];

/* An index with a multi-block posting list, field terms, stored blocks and a
 * deletion file. */
static char *build(void) {
  char *dir = cdx_test_tmpdir();
  const char *t[300];
  for (int i = 0; i < 300; i++) {
    /* long enough for several stored blocks after the preset dictionary */
    snprintf(texts[i], sizeof texts[i],
             "w0 w%d 支持企业 w%d 第%d条 对新认定的第%d批项目给予%d万元资金支持，"
             "鼓励企业加大研发投入，按上年度研发费用的%d%%给予奖励。",
             i % 7, i % 13, i, i * 7 % 101, i * 13 % 97, i % 10);
    t[i] = texts[i];
  }
  ixh_doc d[3];
  ixh_doc_init(&d[0], "/x/a", t, 150);
  ixh_doc_init(&d[1], "/x/b", t + 150, 100);
  ixh_doc_init(&d[2], "/x/c", t + 250, 50);
  const char *resp[] = {"市科技局"};
  d[0].units[3].responsible = resp;
  d[0].units[3].n_responsible = 1;
  d[1].in.doc_number = "乐政发〔2025〕4号";
  cdx_ix_doc_in in[3] = {d[0].in, d[1].in, d[2].in};
  ixh_write_index(dir, in, 3);
  for (int i = 0; i < 3; i++) ixh_doc_free(&d[i]);
  /* delete document 1 through a deletion file */
  cdx_error err;
  uint8_t bits[1] = {0x02};
  cr_assert_eq(ixp_del_write(dir, 1, 2, 3, bits, &err), CDX_OK);
  cdx_manifest m;
  cr_assert_eq(ixp_man_read(dir, &m, &err), CDX_OK);
  m.segs[0].del_gen = 2;
  m.segs[0].n_deleted = 1;
  m.generation = 2;
  cr_assert_eq(ixp_man_write(dir, &m, &err), CDX_OK);
  cdx_man_free(&m);
  cr_assert_eq(cdx_index_check(dir, &err), CDX_OK, "%s", err.message);
  return dir;
}

static void expect_bad(const char *dir, const char *file, const char *what) {
  cdx_error err;
  memset(&err, 0, sizeof err);
  int rc = cdx_index_check(dir, &err);
  cr_assert(rc == CDX_CORRUPT || rc == CDX_FORMAT_VERSION, "%s: %s gave %d (%s)", file, what, rc,
            err.message);
  const char *base = strrchr(file, '/') + 1;
  cr_assert(strstr(err.message, base), "%s: message does not name the file: %s", what, err.message);
  /* a plain open must fail cleanly as well (it may also succeed for large
   * files where only check verifies the CRC; these files are small) */
  cdx_index *ix = NULL;
  rc = cdx_index_open(dir, &ix, &err);
  cr_assert(rc == CDX_CORRUPT || rc == CDX_FORMAT_VERSION, "%s: open gave %d", what, rc);
  cr_assert_null(ix);
}

static uint8_t *slurp(const char *path, size_t *len) { return (uint8_t *)cdx_test_read(path, len); }

/* A fresh index in *DIR (done() removes it) and its first segment, whose
 * path goes to PATH (4096 bytes), read into memory (caller frees). */
static uint8_t *build_segment(char **dir, char *path, size_t *len) {
  *dir = build();
  snprintf(path, 4096, "%s/seg-00000001.cdx", *dir);
  return slurp(path, len);
}

/* A copy of ORIG (LEN bytes; caller frees) with FLIPS random bytes in
 * [LO, LO + SPAN) changed, drawn from *SEED. */
static uint8_t *flipped(const uint8_t *orig, size_t len, size_t lo, size_t span, int flips,
                        uint32_t *seed) {
  uint8_t *copy = malloc(len);
  cr_assert_not_null(copy);
  memcpy(copy, orig, len);
  for (int k = 0; k < flips; k++) {
    *seed = *seed * 1103515245u + 12345u;
    copy[lo + (*seed >> 4) % span] ^= (uint8_t)(1u + (*seed >> 24) % 255);
  }
  return copy;
}

/* Opens the segment image DATA (LEN bytes) as NAME into *SEG; it must open. */
static void open_seg(const char *name, const uint8_t *data, size_t len, bool verify_crc,
                     cdx_seg *seg) {
  cdx_error err;
  cr_assert_eq(cdx_seg_open_buffer(name, data, len, verify_crc, seg, &err), CDX_OK, "%s: %s", name,
               err.message);
}

static void done(char *dir) {
  cdx_test_rmtree(dir);
  free(dir);
}

static void put(const char *path, const uint8_t *data, size_t len) {
  FILE *f = fopen(path, "wb");
  cr_assert_not_null(f);
  cr_assert_eq(fwrite(data, 1, len, f), len);
  fclose(f);
}

Test(corrupt, flipped_bytes_in_every_file) {
  char *dir = build();
  char **files = ixh_list_files(dir);
  int n_files = 0;
  for (char **f = files; *f; f++, n_files++) {
    size_t len;
    uint8_t *orig = slurp(*f, &len);
    /* every byte of small files, a stride of big ones */
    size_t step = len > 4096 ? len / 1500 : 1;
    for (size_t i = 0; i < len; i += step) {
      uint8_t *copy = malloc(len);
      memcpy(copy, orig, len);
      copy[i] ^= (uint8_t)(1u << (i % 8));
      put(*f, copy, len);
      char what[64];
      snprintf(what, sizeof what, "flip at byte %zu", i);
      expect_bad(dir, *f, what);
      free(copy);
    }
    put(*f, orig, len);
    free(orig);
  }
  cr_assert_eq(n_files, 3, "manifest, segment, deletion file");
  cdx_error err;
  cr_assert_eq(cdx_index_check(dir, &err), CDX_OK, "restored: %s", err.message);
  for (char **f = files; *f; f++) free(*f);
  free(files);
  done(dir);
}

Test(corrupt, truncated_files) {
  char *dir = build();
  char **files = ixh_list_files(dir);
  for (char **f = files; *f; f++) {
    size_t len;
    uint8_t *orig = slurp(*f, &len);
    size_t cuts[] = {0, 1, 7, 8, 12, len / 2, len - 5, len - 4, len - 1};
    for (size_t k = 0; k < sizeof cuts / sizeof cuts[0]; k++) {
      if (cuts[k] >= len) continue;
      put(*f, orig, cuts[k]);
      char what[64];
      snprintf(what, sizeof what, "truncated to %zu", cuts[k]);
      expect_bad(dir, *f, what);
    }
    /* and a file with garbage appended */
    uint8_t *longer = malloc(len + 3);
    memcpy(longer, orig, len);
    memcpy(longer + len, "xyz", 3);
    put(*f, longer, len + 3);
    expect_bad(dir, *f, "extended");
    free(longer);
    put(*f, orig, len);
    free(orig);
  }
  for (char **f = files; *f; f++) free(*f);
  free(files);
  done(dir);
}

/* Behind the CRC: the structure checks alone must hold against any flip
 * (large segments are opened without a CRC pass). */
Test(corrupt, structure_checks_without_crc) {
  char *dir, path[4096];
  size_t len;
  uint8_t *orig = build_segment(&dir, path, &len);
  uint32_t seed = 7;
  int clean = 0, caught = 0;
  for (int round = 0; round < 3000; round++) {
    uint8_t *copy = flipped(orig, len, 0, len, 1 + round % 3, &seed);
    cdx_seg seg;
    cdx_error err;
    int rc = cdx_seg_open_buffer("flip.cdx", copy, len, false, &seg, &err);
    if (rc == CDX_OK) {
      rc = cdx_seg_check(&seg, &err);
      cdx_seg_close(&seg);
    }
    if (rc == CDX_OK) clean++;
    else {
      cr_assert(rc == CDX_CORRUPT || rc == CDX_FORMAT_VERSION, "rc %d: %s", rc, err.message);
      cr_assert(strstr(err.message, "flip.cdx"), "%s", err.message);
      caught++;
    }
    free(copy);
  }
  /* flips in stored text or unused bits may pass: that is why the CRC exists */
  cr_assert_gt(caught, 1000, "caught %d, clean %d", caught, clean);
  free(orig);
  done(dir);
}

/* A block score bound (segment version 7) above what its units reach would
 * let pruning drop hits: check finds it; a lower (looser) one is valid. */
Test(corrupt, score_bound_too_high) {
  char *dir, path[4096];
  size_t len;
  uint8_t *copy = build_segment(&dir, path, &len);
  cdx_seg seg;
  cdx_error err;
  open_seg("bound.cdx", copy, len, false, &seg);
  cr_assert_eq(seg.version, CDX_SEG_VERSION);
  cdx_term_entry e;
  bool found;
  cr_assert_eq(cdx_seg_lookup(&seg, "w0", 2, &e, &found, &err), CDX_OK);
  cr_assert(found && e.df > 128, "w0 is in every unit: several blocks");
  size_t at = (size_t)(seg.r[CDX_R_POST].p + e.post_off - copy) + 16; /* block 0's bound_len */
  cr_assert_lt(at + 4, len);
  uint32_t was = cdx_get_u32le(copy + at);
  cdx_seg_close(&seg);
  for (int k = 0; k < 2; k++) {
    uint32_t v = k == 0 ? (was < 1 ? 0 : was - 1) : 1000000; /* looser, then far too high */
    for (int i = 0; i < 4; i++) copy[at + i] = (uint8_t)(v >> (8 * i));
    open_seg("bound.cdx", copy, len, false, &seg);
    int rc = cdx_seg_check(&seg, &err);
    cdx_seg_close(&seg);
    if (k == 0)
      cr_assert_eq(rc, CDX_OK, "a looser bound (%u for %u) is valid: %s", v, was, err.message);
    else {
      cr_assert_eq(rc, CDX_CORRUPT, "bound %u (was %u) passed", v, was);
      cr_assert(strstr(err.message, "bound.cdx") && strstr(err.message, "score bound"), "%s",
                err.message);
    }
  }
  free(copy);
  done(dir);
}

Test(corrupt, foreign_and_missing_files) {
  char *dir, path[4096];
  cdx_error err;
  cdx_index *ix;
  size_t len;
  uint8_t *orig = build_segment(&dir, path, &len);
  /* a foreign file of the same size */
  uint8_t *junk = malloc(len);
  for (size_t i = 0; i < len; i++) junk[i] = (uint8_t)(i * 31 + 7);
  put(path, junk, len);
  expect_bad(dir, path, "foreign");
  unlink(path);
  cr_assert_eq(cdx_index_open(dir, &ix, &err), CDX_CORRUPT);
  cr_assert(strstr(err.message, "seg-00000001.cdx"), "%s", err.message);
  put(path, orig, len);
  cr_assert_eq(cdx_index_check(dir, &err), CDX_OK);
  /* not an index at all */
  char *empty = cdx_test_tmpdir();
  cr_assert_eq(cdx_index_open(empty, &ix, &err), CDX_NOTFOUND);
  cdx_test_rmtree(empty);
  free(empty);
  free(junk);
  free(orig);
  done(dir);
}

/* Since version 2 blocks are stored against a preset dictionary; version 1
 * segments (no dictionary, UTF-8 text, as committed in the fuzz corpus)
 * still read and check. */
Test(corrupt, store_dictionary_and_version_1) {
  char *dir, path[4096];
  size_t len;
  uint8_t *data = build_segment(&dir, path, &len);
  cdx_seg seg;
  cdx_error err;
  open_seg("v2.cdx", data, len, true, &seg);
  cr_assert_null(seg.store_dict, "the dictionary is inflated on first use, not at open");
  cr_assert_eq(cdx_seg_store_dict(&seg, &err), CDX_OK, "%s", err.message);
  cr_assert_not_null(seg.store_dict, "a version 2 segment with text has a dictionary");
  cr_assert_gt(seg.n_store_blocks, 1);
  cr_assert_eq(cdx_seg_check(&seg, &err), CDX_OK, "%s", err.message);
  /* without it, a block cannot be read: corruption, not garbage text */
  uint8_t *dict = seg.store_dict;
  seg.store_dict = NULL;
  cdx_store_stream z;
  cdx_store_stream_init(&z);
  cdx_ix_unit_fields f;
  cr_assert_eq(cdx_store_stream_unit(&z, &seg, 0, &f, &err), CDX_CORRUPT);
  cr_assert(strstr(err.message, "v2.cdx"), "%s", err.message);
  cdx_store_stream_free(&z);
  seg.store_dict = dict;
  cdx_seg_close(&seg);
  free(data);

  snprintf(path, sizeof path, "%s/fuzz/corpus/segment/multiblock_300units.cdx", CDX_SOURCE_DIR);
  data = slurp(path, &len);
  open_seg("v1.cdx", data, len, true, &seg);
  cr_assert_null(seg.store_dict);
  cr_assert_eq(cdx_seg_check(&seg, &err), CDX_OK, "%s", err.message);
  cdx_store_stream_init(&z);
  cr_assert_eq(cdx_store_stream_unit(&z, &seg, seg.n_units - 1, &f, &err), CDX_OK, "%s",
               err.message);
  cr_assert_gt(f.text_len, 0);
  cdx_store_stream_free(&z);
  cdx_seg_close(&seg);
  free(data);
  done(dir);
}

/* Flips `rounds` single bytes in [first region's start, last region's end)
 * of a fresh segment: every flip must be caught by open or check with
 * CDX_CORRUPT naming the file, and `count` (run between the two, on
 * every unit: it must not depend on check having run) must give CDX_OK or
 * CDX_CORRUPT, never read outside the mapping (run under ASan). */
static void flips_in_regions(int first, int last, uint32_t seed,
                             int (*count)(cdx_seg *, const uint64_t *, cdx_error *)) {
  char *dir, path[4096];
  size_t len;
  uint8_t *orig = build_segment(&dir, path, &len);
  size_t tr = len - cdx_seg_trailer_bytes(CDX_SEG_VERSION);
  uint64_t lo = cdx_get_u64le(orig + tr + 16 * first);
  uint64_t hi = cdx_get_u64le(orig + tr + 16 * last) + cdx_get_u64le(orig + tr + 16 * last + 8);
  cr_assert_lt(lo, hi);
  int caught = 0, rounds = 400;
  for (int round = 0; round < rounds; round++) {
    uint8_t *copy = flipped(orig, len, lo, hi - lo, 1, &seed);
    cdx_seg seg;
    cdx_error err;
    int rc = cdx_seg_open_buffer("flip.cdx", copy, len, false, &seg, &err);
    if (rc == CDX_OK) {
      uint64_t all[(300 + 63) / 64 + 1];
      memset(all, 0, sizeof all);
      for (uint32_t u = 0; u < seg.n_units; u++) all[u / 64] |= 1ULL << (u % 64);
      int crc = count(&seg, all, &err);
      cr_assert(crc == CDX_OK || crc == CDX_CORRUPT, "count gave %d", crc);
      if (crc) cr_assert(strstr(err.message, "flip.cdx"), "%s", err.message);
      rc = cdx_seg_check(&seg, &err);
      cdx_seg_close(&seg);
    }
    if (rc != CDX_OK) {
      cr_assert_eq(rc, CDX_CORRUPT, "rc %d: %s", rc, err.message);
      cr_assert(strstr(err.message, "flip.cdx"), "%s", err.message);
      caught++;
    }
    free(copy);
  }
  cr_expect_eq(caught, rounds, "caught %d of %d flips", caught, rounds);
  free(orig);
  done(dir);
}

static int count_dept_column(cdx_seg *seg, const uint64_t *all, cdx_error *err) {
  cr_assert_gt(seg->r[CDX_R_DEPTLEN].len + seg->r[CDX_R_DEPTCOL].len, 0,
               "the segment has the column");
  if (!seg->r[CDX_R_DEPTLEN].len) return CDX_OK; /* a flip emptied it: check says */
  cdx_ix_dept_column col = {seg, seg->n_dept_names};
  uint64_t *counts = calloc(2 * (size_t)seg->n_dept_names + 2, sizeof *counts);
  int rc = cdx_ix_dept_column_count(&col, all, counts, err);
  free(counts);
  return rc;
}

static int count_facet_columns(cdx_seg *seg, const uint64_t *all, cdx_error *err) {
  cr_assert_gt(seg->r[CDX_R_FSETORD].len, 0, "the segment has sets");
  cr_assert_gt(seg->r[CDX_R_FDOCORD].len, 0, "and document ordinals");
  cdx_ix_facet_column fc = {seg, seg->n_fsets, seg->n_fcombos, seg->n_dept_names};
  uint64_t *dept = calloc((size_t)seg->n_dept_names + 1, sizeof *dept);
  uint64_t *combo = calloc((size_t)seg->n_fcombos + 1, sizeof *combo);
  int rc = fc.n_sets || fc.n_combos ? cdx_ix_facet_column_count(&fc, all, fc.n_sets ? dept : NULL,
                                                                fc.n_combos ? combo : NULL, err)
                                    : CDX_OK;
  free(dept);
  free(combo);
  return rc;
}

/* The dense department column (version 7) is held to UVARS by check, and
 * counting over it never reads outside it. */
Test(corrupt, department_column) {
  flips_in_regions(CDX_R_DEPTNAMES, CDX_R_DEPTCOL, 11, count_dept_column);
}

/* The facet ordinal columns (version 8) are held to DEPTCOL and DCOLS by
 * check, and counting over them never reads outside them. */
Test(corrupt, facet_columns) {
  flips_in_regions(CDX_R_FSETIDX, CDX_R_FDOCORD, 23, count_facet_columns);
}

/* What every reader does with an open index, each step allowed to fail
 * with CDX_CORRUPT but never to crash or read outside the mapping (ASan). */
static void read_everything(cdx_index *ix) {
  static const char *queries[] = {"企业", "w0", "\"支持企业\"", "研发 w3", "w5 OR 奖励", "局"};
  for (size_t q = 0; q < sizeof queries / sizeof queries[0]; q++) {
    cdx_search_options opt = {0};
    opt.k = 50;
    opt.facets = q == 0 ? "dept,status,year" : NULL;
    opt.latest = q % 2;
    cdx_results *res;
    cdx_error err;
    int rc = cdx_search(ix, queries[q], &opt, &res, &err);
    cr_assert(rc == CDX_OK || rc == CDX_CORRUPT, "%s: rc %d: %s", queries[q], rc, err.message);
    if (rc != CDX_OK) continue;
    for (size_t i = 0; i < cdx_results_count(res); i++) {
      const cdx_hit *h = cdx_results_get(res, i);
      cr_assert(h->doc && h->text);
    }
    cdx_results_free(res);
  }
  for (size_t i = 0; i < cdx_index_doc_count(ix); i++) {
    cdx_index_doc d;
    cdx_error err;
    int rc = cdx_index_doc_get(ix, i, &d, &err);
    cr_assert(rc == CDX_OK || rc == CDX_CORRUPT, "doc %zu: rc %d: %s", i, rc, err.message);
  }
}

/* Since version 7 an open without the CRC pass (segments over 1 MiB)
 * reads no unit row, stored-block or dictionary-block entry, or per-unit
 * field offset: each is bounded where it is read. Flips in those regions,
 * opened the way a big segment is, must keep every read in bounds, and
 * `check` (which runs the row pass) must catch the row damage. */
Test(corrupt, rows_unchecked_at_open) {
  char *dir, path[4096];
  size_t len;
  uint8_t *orig = build_segment(&dir, path, &len);
  cdx_seg seg;
  cdx_error err;
  cr_assert_eq(ixp_seg_open(path, true, &seg, &err), CDX_OK, "%s", err.message);
  cr_assert_eq(seg.version, CDX_SEG_VERSION);
  static const int regions[] = {CDX_R_UCOLS, CDX_R_DCOLS, CDX_R_STOREIDX, CDX_R_DICTIDX,
                                CDX_R_UVARIDX};
  size_t off[5], rlen[5];
  for (int r = 0; r < 5; r++) {
    off[r] = (size_t)(seg.r[regions[r]].p - seg.map);
    rlen[r] = (size_t)seg.r[regions[r]].len;
    cr_assert_gt(rlen[r], 0);
  }
  cdx_seg_close(&seg);
  uint64_t saved = cdx_ix_crc_open_max;
  cdx_ix_crc_open_max = 0;
  /* an open of the intact index reads the same totals the row pass finds */
  cdx_index *ix;
  cr_assert_eq(cdx_index_open(dir, &ix, &err), CDX_OK, "%s", err.message);
  double avg = cdx_ix_avg_unit_length(ix);
  cr_assert_eq(ix->segs[0].seg.rows_checked, false);
  cdx_index_close(ix);
  cdx_ix_crc_open_max = saved;
  cr_assert_eq(cdx_index_open(dir, &ix, &err), CDX_OK, "%s", err.message);
  cr_assert_eq(ix->segs[0].seg.rows_checked, true);
  cr_assert_float_eq(cdx_ix_avg_unit_length(ix), avg, 1e-12);
  cdx_index_close(ix);
  cdx_ix_crc_open_max = 0;

  uint32_t seed = 11;
  int caught = 0, rounds = 400;
  for (int round = 0; round < rounds; round++) {
    int r = round % 5;
    uint8_t *copy = flipped(orig, len, off[r], rlen[r], 1 + round % 4, &seed);
    put(path, copy, len);
    int rc = cdx_index_open(dir, &ix, &err);
    cr_assert(rc == CDX_OK || rc == CDX_CORRUPT, "rc %d: %s", rc, err.message);
    if (rc == CDX_OK) {
      read_everything(ix);
      cdx_index_close(ix);
    }
    rc = cdx_index_check(dir, &err);
    if (rc != CDX_OK) {
      cr_assert_eq(rc, CDX_CORRUPT, "%s", err.message);
      cr_assert(strstr(err.message, "seg-00000001.cdx"), "%s", err.message);
      caught++;
    }
    free(copy);
  }
  /* a flip in a field any value of which is valid (an ordinal, a date) can
   * pass; most cannot */
  cr_assert_gt(caught, rounds / 2, "caught %d of %d", caught, rounds);
  cdx_ix_crc_open_max = saved;
  put(path, orig, len);
  free(orig);
  done(dir);
}
