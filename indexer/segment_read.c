/* segment_read.c - one mmapped segment file: validation at open, dictionary
 * lookup, document records and stored unit blocks.
 *
 * Every read is checked against the region it belongs to, and regions
 * against the mapped length, so a truncated, bit-flipped or foreign file
 * gives CDX_CORRUPT naming it, never a read outside the mapping.
 */
#define _POSIX_C_SOURCE 200809L
#define _DEFAULT_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include "indexer/ix_internal.h"

static int validate(cdx_seg *seg, bool verify_crc, cdx_error *err);

#define CORRUPT(seg, err, ...) cdx_err_corrupt(err, "%s: corrupt segment: " __VA_ARGS__)

void cdx_seg_close(cdx_seg *seg) {
  if (seg->map && seg->mapped) munmap((void *)seg->map, seg->size);
  free(seg->path);
  free(seg->store_dict);
  memset(seg, 0, sizeof *seg);
}

int cdx_seg_open(const cdx_dir *dir, const char *name, bool verify_crc, cdx_seg *seg,
                 cdx_error *err) {
  memset(seg, 0, sizeof *seg);
  char shown[PATH_MAX];
  seg->path = strdup(cdx_dir_name(dir, name, shown, sizeof shown));
  if (!seg->path) return cdx_err_set(err, CDX_NOMEM, CDX_NO_OFFSET, "out of memory");
  const char *path = seg->path;
  seg->name = seg->path + strlen(dir->path) + 1;
  int fd = openat(dir->fd, name, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
  if (fd < 0) {
    int code = errno == ENOENT ? CDX_CORRUPT : CDX_IO;
    int rc =
        code == CDX_CORRUPT
            ? cdx_err_corrupt(err, "%s: segment file named by the manifest is missing", path)
        : errno == ELOOP
            ? cdx_err_corrupt(err, "%s: segment file is a symbolic link (never followed)", path)
            : cdx_err_set(err, CDX_IO, CDX_NO_OFFSET, "%s: %s", path, strerror(errno));
    cdx_seg_close(seg);
    return rc;
  }
  struct stat st;
  if (fstat(fd, &st) != 0) {
    int rc = cdx_err_set(err, CDX_IO, CDX_NO_OFFSET, "%s: %s", path, strerror(errno));
    close(fd);
    cdx_seg_close(seg);
    return rc;
  }
  if (!S_ISREG(st.st_mode)) {
    close(fd);
    int rc = cdx_err_corrupt(err, "%s: segment is not a regular file", path);
    cdx_seg_close(seg);
    return rc;
  }
  if ((uint64_t)st.st_size < CDX_SEG_HEADER_BYTES + CDX_SEG_TRAILER_MIN) {
    close(fd);
    int rc = cdx_err_corrupt(err, "%s: corrupt segment: file too short (%lld bytes)", path,
                             (long long)st.st_size);
    cdx_seg_close(seg);
    return rc;
  }
  void *m = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
  close(fd);
  if (m == MAP_FAILED) {
    int rc = cdx_err_set(err, CDX_IO, CDX_NO_OFFSET, "mmap %s: %s", path, strerror(errno));
    cdx_seg_close(seg);
    return rc;
  }
  seg->map = m;
  seg->size = (size_t)st.st_size;
  seg->mapped = true;
  return validate(seg, verify_crc, err);
}

/* Version 4 named two layouts of the store blocks: zlib streams (written by
 * 59143b4) and raw deflate (written from 507e9d8 on, before version 5 gave
 * it its own number). A zlib stream begins with a header (CM 8, a multiple
 * of 31) that names a preset dictionary by its Adler-32; raw deflate from
 * zlib never begins so (its first byte would be a stored block with
 * non-zero padding bits), so the first block tells the segment's layout. */
static bool first_block_is_zlib(const cdx_seg *seg) {
  if (seg->n_store_blocks == 0) return false;
  const uint8_t *e = seg->r[CDX_R_STOREIDX].p;
  uint64_t off = cdx_get_u64le(e + 4), clen = cdx_get_u32le(e + 12);
  if (off > seg->r[CDX_R_STORE].len || clen > seg->r[CDX_R_STORE].len - off || clen < 2)
    return false; /* the block is refused when read */
  const uint8_t *p = seg->r[CDX_R_STORE].p + off;
  if ((p[0] & 0x0F) != 8 || (p[0] >> 4) > 7 || ((unsigned)p[0] << 8 | p[1]) % 31 != 0) return false;
  if (!(p[1] & 0x20)) return !seg->store_dict; /* FDICT is set when there is a dictionary */
  if (clen < 6 || !seg->store_dict) return false;
  uint32_t id = (uint32_t)p[2] << 24 | (uint32_t)p[3] << 16 | (uint32_t)p[4] << 8 | p[5];
  return id == (uint32_t)adler32(adler32(0L, Z_NULL, 0), seg->store_dict, seg->store_dict_len);
}

int cdx_seg_open_buffer(const char *name, const uint8_t *data, size_t len, bool verify_crc,
                        cdx_seg *seg, cdx_error *err) {
  memset(seg, 0, sizeof *seg);
  seg->path = strdup(name);
  if (!seg->path) return cdx_err_set(err, CDX_NOMEM, CDX_NO_OFFSET, "out of memory");
  seg->name = seg->path;
  if (len < CDX_SEG_HEADER_BYTES + CDX_SEG_TRAILER_MIN) {
    int rc = cdx_err_corrupt(err, "%s: corrupt segment: file too short (%zu bytes)", name, len);
    cdx_seg_close(seg);
    return rc;
  }
  seg->map = data;
  seg->size = len;
  return validate(seg, verify_crc, err);
}

/* The preset dictionary: version 2 on, STORE begins with it as a zlib
 * stream that ends where the first block begins (STOREIDX[0]'s offset,
 * checked against STORE at open). Inflated once, on first use: a cache, so
 * a const segment fills it in, under one lock for all segments (it is
 * taken once per segment and process). */
static pthread_mutex_t store_dict_mu = PTHREAD_MUTEX_INITIALIZER;

static int load_store_dict(cdx_seg *seg, cdx_error *err) {
  uint64_t dict_clen = seg->n_store_blocks ? cdx_get_u64le(seg->r[CDX_R_STOREIDX].p + 4) : 0;
  if (seg->version < 2 || dict_clen == 0) return CDX_OK;
  uint8_t *d = malloc(CDX_STORE_DICT_BYTES);
  if (!d) return cdx_err_set(err, CDX_NOMEM, CDX_NO_OFFSET, "out of memory");
  uLongf dlen = CDX_STORE_DICT_BYTES;
  if (uncompress(d, &dlen, seg->r[CDX_R_STORE].p, (uLong)dict_clen) != Z_OK || dlen == 0) {
    free(d);
    return CORRUPT(seg, err, "stored-text dictionary", seg->path);
  }
  seg->store_dict = d;
  seg->store_dict_len = (uint32_t)dlen;
  return CDX_OK;
}

int cdx_seg_store_dict(const cdx_seg *cseg, cdx_error *err) {
  cdx_seg *seg = (cdx_seg *)cseg;
  if (atomic_load_explicit(&seg->store_dict_ready, memory_order_acquire)) return CDX_OK;
  pthread_mutex_lock(&store_dict_mu);
  int rc = CDX_OK;
  if (!atomic_load_explicit(&seg->store_dict_ready, memory_order_relaxed)) {
    rc = load_store_dict(seg, err);
    if (rc == CDX_OK) atomic_store_explicit(&seg->store_dict_ready, true, memory_order_release);
  }
  pthread_mutex_unlock(&store_dict_mu);
  return rc;
}

int cdx_seg_check_rows(cdx_seg *seg, cdx_error *err) {
  if (seg->rows_checked) return CDX_OK;
  const char *path = seg->path;
  /* One pass over the units (the length sum and minimum for BM25 ride
   * along): the documents' ranges must tile the units in order, and each
   * unit of a range must name that range's document. */
  uint32_t next_first = 0;
  uint64_t len_sum = 0;
  uint32_t min_len = UINT32_MAX;
  for (uint32_t d = 0; d < seg->n_docs; d++) {
    cdx_dcol dc;
    cdx_dcol_decode(cdx_seg_dcol(seg, d), &dc);
    uint32_t first = dc.first_unit, n = dc.n_units;
    if (first != next_first || n > seg->n_units - first || !cdx_dcol_in_range(&dc) ||
        cdx_get_u32le(seg->r[CDX_R_DOCIDX].p + 4 * (size_t)d) >= seg->r[CDX_R_DOCS].len)
      return CORRUPT(seg, err, "document %u column out of range", path, d);
    for (uint32_t u = first; u < first + n; u++) {
      cdx_ucol uc;
      cdx_ucol_decode(cdx_seg_ucol(seg, u), &uc);
      if (!cdx_ucol_in_range(&uc)) return CORRUPT(seg, err, "unit %u column out of range", path, u);
      if (uc.doc != d)
        return CORRUPT(seg, err, "unit %u does not belong to document %u", path, u, d);
      len_sum += uc.length;
      if (uc.length < min_len) min_len = uc.length;
    }
    next_first = first + n;
  }
  if (next_first != seg->n_units)
    return CORRUPT(seg, err, "documents do not cover the units", path);
  if (seg->n_units == 0) min_len = 0;
  if (seg->version >= 7 && (len_sum != seg->len_sum || min_len != seg->min_len))
    return CORRUPT(seg, err, "unit length totals disagree with the trailer", path);
  seg->len_sum = len_sum;
  seg->min_len = min_len;
  uint32_t prev_first = 0;
  for (uint32_t b = 0; b < seg->n_store_blocks; b++) {
    const uint8_t *e = seg->r[CDX_R_STOREIDX].p + (size_t)b * CDX_STORE_IDX_BYTES;
    uint32_t first = cdx_get_u32le(e);
    uint64_t off = cdx_get_u64le(e + 4);
    uint32_t clen = cdx_get_u32le(e + 12);
    if ((b == 0 ? first != 0 : first <= prev_first) || first >= seg->n_units ||
        off > seg->r[CDX_R_STORE].len || clen > seg->r[CDX_R_STORE].len - off)
      return CORRUPT(seg, err, "stored block %u out of range", path, b);
    prev_first = first;
  }
  for (uint32_t b = 0; b < seg->n_dict_blocks; b++)
    if (cdx_get_u32le(seg->r[CDX_R_DICTIDX].p + 4 * (size_t)b) >= seg->r[CDX_R_DICT].len)
      return CORRUPT(seg, err, "dictionary block %u out of range", path, b);
  int rc;
  if (seg->version >= 6 && (rc = cdx_seg_uvars_validate(seg, true, err)) != CDX_OK) return rc;
  seg->rows_checked = true;
  return CDX_OK;
}

static int validate(cdx_seg *seg, bool verify_crc, cdx_error *err) {
  const char *path = seg->path;
  int rc = CDX_OK;
  const uint8_t *end = seg->map + seg->size;
  if (memcmp(seg->map, CDX_SEG_MAGIC, 8) != 0 || memcmp(end - 12, CDX_SEG_MAGIC, 8) != 0) {
    rc = CORRUPT(seg, err, "not a clausedex segment (bad magic)", path);
    goto fail;
  }
  uint32_t version = cdx_get_u32le(end - 16);
  if (version < 1 || version > CDX_SEG_VERSION) {
    rc = cdx_err_set(err, CDX_FORMAT_VERSION, CDX_NO_OFFSET,
                     "%s: segment format version %u, this build reads versions 1 to %u", path,
                     version, CDX_SEG_VERSION);
    goto fail;
  }
  seg->version = version;
  int n_regions = cdx_seg_regions(version);
  size_t trailer = cdx_seg_trailer_bytes(version);
  if (seg->size < CDX_SEG_HEADER_BYTES + trailer) {
    rc = CORRUPT(seg, err, "file too short for its trailer", path);
    goto fail;
  }
  const uint8_t *tr = end - trailer;
  if (verify_crc) {
    uint32_t want = cdx_get_u32le(seg->map + seg->size - 4);
    uLong crc = crc32(0L, Z_NULL, 0);
    size_t left = seg->size - 4;
    const uint8_t *p = seg->map;
    while (left) {
      size_t c = left > (1u << 30) ? (1u << 30) : left;
      crc = crc32(crc, p, (uInt)c);
      p += c;
      left -= c;
    }
    if ((uint32_t)crc != want) {
      rc = CORRUPT(seg, err, "checksum mismatch", path);
      goto fail;
    }
    /* the pass faulted in every page; drop them from this process's RSS
     * (they stay in the page cache and refault on use). glibc's
     * posix_madvise ignores DONTNEED, hence madvise. */
    if (seg->mapped) (void)madvise((void *)seg->map, seg->size, MADV_DONTNEED);
  }
  uint64_t data_end = seg->size - trailer;
  for (int r = 0; r < n_regions; r++) {
    uint64_t off = cdx_get_u64le(tr + r * 16), len = cdx_get_u64le(tr + r * 16 + 8);
    if (off < CDX_SEG_HEADER_BYTES || off > data_end || len > data_end - off) {
      rc = CORRUPT(seg, err, "region %d out of range", path, r);
      goto fail;
    }
    seg->r[r].p = seg->map + off;
    seg->r[r].len = len;
  }
  const uint8_t *c = tr + n_regions * 16;
  seg->n_units = cdx_get_u32le(c);
  seg->n_docs = cdx_get_u32le(c + 4);
  seg->n_terms = cdx_get_u32le(c + 8);
  seg->n_store_blocks = cdx_get_u32le(c + 12);
  seg->n_postings = cdx_get_u64le(c + 16);
  seg->n_positions = cdx_get_u64le(c + 24);
  seg->text_bytes = cdx_get_u64le(c + 32);
  if (version >= 7) {
    seg->len_sum = cdx_get_u64le(c + 40);
    seg->min_len = cdx_get_u32le(c + 48);
  }
  seg->n_dict_blocks = (uint32_t)(seg->r[CDX_R_DICTIDX].len / 4);
  if (seg->n_units >= CDX_IX_END || seg->n_docs >= CDX_IX_END ||
      seg->r[CDX_R_UCOLS].len != (uint64_t)seg->n_units * CDX_UCOL_BYTES ||
      seg->r[CDX_R_DCOLS].len != (uint64_t)seg->n_docs * CDX_DCOL_BYTES ||
      seg->r[CDX_R_DOCIDX].len != (uint64_t)seg->n_docs * 4 ||
      seg->r[CDX_R_STOREIDX].len != (uint64_t)seg->n_store_blocks * CDX_STORE_IDX_BYTES ||
      seg->r[CDX_R_DICTIDX].len % 4 != 0 ||
      seg->n_dict_blocks != (seg->n_terms + CDX_DICT_BLOCK_TERMS - 1) / CDX_DICT_BLOCK_TERMS ||
      (seg->n_units > 0) != (seg->n_store_blocks > 0) || (seg->n_units > 0 && seg->n_docs == 0)) {
    rc = CORRUPT(seg, err, "region sizes disagree with the counts", path);
    goto fail;
  }
  /* The row pass is proportional to the segment (at 1 GB, 57 MB of unit
   * rows): since version 7 the totals it computed are in the trailer, so an
   * open skips it unless it reads the whole file anyway for the CRC. */
  if ((verify_crc || version < 7) && (rc = cdx_seg_check_rows(seg, err)) != CDX_OK) goto fail;
  /* Version 2: STORE begins with the blocks' preset dictionary, a zlib
   * stream that ends where the first block begins. */
  uint64_t dict_clen = seg->n_store_blocks ? cdx_get_u64le(seg->r[CDX_R_STOREIDX].p + 4) : 0;
  if (dict_clen > seg->r[CDX_R_STORE].len) {
    rc = CORRUPT(seg, err, "stored block 0 out of range", path);
    goto fail;
  }
  /* the preset dictionary is inflated on first use (most opens for a
   * count or ids read no stored text), except in version 4, whose first
   * block names it when the blocks are zlib streams */
  if (version == 4 && (rc = cdx_seg_store_dict(seg, err)) != CDX_OK) goto fail;
  seg->store_raw = version >= 5 || (version == 4 && !first_block_is_zlib(seg));
  if (version >= 6 && (rc = cdx_seg_uvars_validate(seg, false, err)) != CDX_OK) goto fail;
  if (version >= 7 && (rc = cdx_seg_deptcol_validate(seg, err)) != CDX_OK) goto fail;
  if (version >= 8 && (rc = cdx_seg_facetcol_validate(seg, err)) != CDX_OK) goto fail;
  return CDX_OK;
fail:
  cdx_seg_close(seg);
  return rc;
}

/* ---- dictionary ---- */

typedef struct dict_cur {
  const uint8_t *p, *end;
  uint32_t left; /* entries left in the block */
  uint8_t term[CDX_IX_MAX_TERM];
  size_t len;
} dict_cur;

static int dict_block(const cdx_seg *seg, uint32_t b, dict_cur *c, cdx_error *err) {
  uint32_t off = cdx_get_u32le(seg->r[CDX_R_DICTIDX].p + 4 * (size_t)b);
  if (off >= seg->r[CDX_R_DICT].len) /* not checked at open since version 7 */
    return CORRUPT(seg, err, "dictionary block %u out of range", seg->path, b);
  c->p = seg->r[CDX_R_DICT].p + off;
  c->end = seg->r[CDX_R_DICT].p + seg->r[CDX_R_DICT].len;
  uint64_t n;
  if (!cdx_get_varint(&c->p, c->end, &n) || n == 0 || n > CDX_DICT_BLOCK_TERMS)
    return CORRUPT(seg, err, "dictionary block %u header", seg->path, b);
  c->left = (uint32_t)n;
  c->len = 0;
  return CDX_OK;
}

static int dict_next(const cdx_seg *seg, dict_cur *c, cdx_term_entry *e, cdx_error *err) {
  uint64_t shared, suffix;
  if (!cdx_get_varint(&c->p, c->end, &shared) || !cdx_get_varint(&c->p, c->end, &suffix) ||
      shared > c->len || suffix > CDX_IX_MAX_TERM - shared || suffix > (uint64_t)(c->end - c->p))
    return CORRUPT(seg, err, "dictionary entry", seg->path);
  memcpy(c->term + shared, c->p, suffix);
  c->p += suffix;
  c->len = shared + suffix;
  uint64_t df, po, xo, ttf;
  if (!cdx_get_varint(&c->p, c->end, &df) || !cdx_get_varint(&c->p, c->end, &po) ||
      !cdx_get_varint(&c->p, c->end, &xo) || !cdx_get_varint(&c->p, c->end, &ttf) || df == 0 ||
      df > seg->n_units || po >= seg->r[CDX_R_POST].len || xo > seg->r[CDX_R_POS].len || ttf < df)
    return CORRUPT(seg, err, "dictionary entry", seg->path);
  e->df = (uint32_t)df;
  e->post_off = po;
  e->pos_off = xo;
  e->total_tf = ttf;
  c->left--;
  return CDX_OK;
}

static int term_cmp(const uint8_t *a, size_t an, const uint8_t *b, size_t bn) {
  size_t n = an < bn ? an : bn;
  int c = memcmp(a, b, n);
  if (c) return c;
  return an < bn ? -1 : an > bn;
}

int cdx_seg_lookup(const cdx_seg *seg, const char *term, size_t len, cdx_term_entry *e, bool *found,
                   cdx_error *err) {
  *found = false;
  if (seg->n_dict_blocks == 0 || len == 0 || len > CDX_IX_MAX_TERM) return CDX_OK;
  const uint8_t *t = (const uint8_t *)term;
  /* last block whose first term <= term */
  uint32_t lo = 0, hi = seg->n_dict_blocks;
  dict_cur c;
  cdx_term_entry tmp;
  while (hi - lo > 1) {
    uint32_t mid = lo + (hi - lo) / 2;
    int rc = dict_block(seg, mid, &c, err);
    if (rc == CDX_OK) rc = dict_next(seg, &c, &tmp, err);
    if (rc != CDX_OK) return rc;
    if (term_cmp(c.term, c.len, t, len) <= 0) lo = mid;
    else hi = mid;
  }
  int rc = dict_block(seg, lo, &c, err);
  while (rc == CDX_OK && c.left > 0) {
    rc = dict_next(seg, &c, &tmp, err);
    if (rc != CDX_OK) break;
    int cmp = term_cmp(c.term, c.len, t, len);
    if (cmp == 0) {
      *e = tmp;
      *found = true;
      break;
    }
    if (cmp > 0) break;
  }
  return rc;
}

int cdx_seg_each_prefixed(const cdx_seg *seg, const char *prefix, size_t len, cdx_term_fn fn,
                          void *ctx, cdx_error *err) {
  if (seg->n_dict_blocks == 0 || len == 0 || len > CDX_IX_MAX_TERM) return CDX_OK;
  const uint8_t *t = (const uint8_t *)prefix;
  /* the last block whose first term < prefix holds the first match, if any
   * block before the one starting with it does */
  uint32_t lo = 0, hi = seg->n_dict_blocks;
  dict_cur c;
  cdx_term_entry e;
  while (hi - lo > 1) {
    uint32_t mid = lo + (hi - lo) / 2;
    int rc = dict_block(seg, mid, &c, err);
    if (rc == CDX_OK) rc = dict_next(seg, &c, &e, err);
    if (rc != CDX_OK) return rc;
    if (term_cmp(c.term, c.len, t, len) < 0) lo = mid;
    else hi = mid;
  }
  for (uint32_t b = lo; b < seg->n_dict_blocks; b++) {
    int rc = dict_block(seg, b, &c, err);
    while (rc == CDX_OK && c.left > 0) {
      rc = dict_next(seg, &c, &e, err);
      if (rc != CDX_OK) break;
      bool has = c.len >= len && memcmp(c.term, t, len) == 0;
      if (has) rc = fn(ctx, c.term, c.len, &e, err);
      else if (term_cmp(c.term, c.len, t, len) > 0) return CDX_OK;
    }
    if (rc != CDX_OK) return rc;
  }
  return CDX_OK;
}

int cdx_seg_each_term(const cdx_seg *seg, cdx_term_fn fn, void *ctx, cdx_error *err) {
  uint8_t prev[CDX_IX_MAX_TERM];
  size_t prev_len = 0;
  uint64_t seen = 0;
  for (uint32_t b = 0; b < seg->n_dict_blocks; b++) {
    dict_cur c;
    int rc = dict_block(seg, b, &c, err);
    while (rc == CDX_OK && c.left > 0) {
      cdx_term_entry e;
      rc = dict_next(seg, &c, &e, err);
      if (rc != CDX_OK) break;
      if (seen > 0 && term_cmp(prev, prev_len, c.term, c.len) >= 0)
        return CORRUPT(seg, err, "dictionary out of order at term %llu", seg->path,
                       (unsigned long long)seen);
      memcpy(prev, c.term, c.len);
      prev_len = c.len;
      seen++;
      rc = fn(ctx, c.term, c.len, &e, err);
    }
    if (rc != CDX_OK) return rc;
  }
  if (seen != seg->n_terms)
    return CORRUPT(seg, err, "dictionary holds %llu terms, trailer says %u", seg->path,
                   (unsigned long long)seen, seg->n_terms);
  return CDX_OK;
}

/* ---- documents ---- */

static bool get_opt_str(const uint8_t **p, const uint8_t *end, const char **out) {
  if (*p >= end || **p > 1) return false;
  if (**p == 0) {
    (*p)++;
    *out = NULL;
    return true;
  }
  (*p)++;
  const uint8_t *z = memchr(*p, 0, (size_t)(end - *p));
  if (!z) return false;
  *out = (const char *)*p;
  *p = z + 1;
  return true;
}

int cdx_seg_doc(const cdx_seg *seg, uint32_t doc, cdx_ix_doc_fields *out, uint64_t *hash,
                cdx_error *err) {
  if (doc >= seg->n_docs)
    return cdx_err_set(err, CDX_INVALID, CDX_NO_OFFSET, "%s: no document %u", seg->path, doc);
  uint32_t off = cdx_get_u32le(seg->r[CDX_R_DOCIDX].p + 4 * (size_t)doc);
  uint64_t endo = doc + 1 < seg->n_docs
                      ? cdx_get_u32le(seg->r[CDX_R_DOCIDX].p + 4 * (size_t)(doc + 1))
                      : seg->r[CDX_R_DOCS].len;
  if (endo > seg->r[CDX_R_DOCS].len || endo < off || endo - off < 8)
    return CORRUPT(seg, err, "document %u record", seg->path, doc);
  const uint8_t *p = seg->r[CDX_R_DOCS].p + off, *end = seg->r[CDX_R_DOCS].p + endo;
  if (hash) *hash = cdx_get_u64le(p);
  p += 8;
  memset(out, 0, sizeof *out);
  bool ok = true;
  int nth = 0;
#define GET_STRING_(name)                                                                          \
  ok =                                                                                             \
      ok && ((seg->version < 6 && nth >= CDX_DOC_STRINGS_V5) || get_opt_str(&p, end, &out->name)); \
  nth++;
  CDX_DOC_STRING_LIST(GET_STRING_)
#undef GET_STRING_
  if (!ok || !out->id || !out->title)
    return CORRUPT(seg, err, "document %u record", seg->path, doc);
  cdx_dcol c;
  cdx_dcol_decode(cdx_seg_dcol(seg, doc), &c);
  if (!cdx_dcol_clamp(&c, seg->n_units))
    return CORRUPT(seg, err, "document %u column out of range", seg->path, doc);
  cdx_dcol_to_fields(&c, out);
  return CDX_OK;
}

/* ---- stored units ---- */

uint32_t cdx_seg_store_block_of(const cdx_seg *seg, uint32_t u) {
  uint32_t lo = 0, hi = seg->n_store_blocks;
  while (hi - lo > 1) {
    uint32_t mid = lo + (hi - lo) / 2;
    if (cdx_get_u32le(seg->r[CDX_R_STOREIDX].p + (size_t)mid * CDX_STORE_IDX_BYTES) <= u) lo = mid;
    else hi = mid;
  }
  return lo;
}

/* The unit text at *at: since version 4, varint UTF-8 length, varint count
 * and that many UTF-16LE units (decoded into *text); before, varint length,
 * the bytes and a NUL. */
static int parse_stored_text(const uint8_t **at, const uint8_t *end, uint32_t version,
                             cdx_buf *text, cdx_ix_unit_fields *f) {
  const uint8_t *p = *at;
  uint64_t len, n16;
  if (!cdx_get_varint(&p, end, &len)) return CDX_SEG_RECORD_INCOMPLETE;
  if (version < 4) {
    if (len >= (uint64_t)(end - p) || p[len] != 0) return CDX_SEG_RECORD_INCOMPLETE;
    if (f) {
      f->text = (const char *)p;
      f->text_len = (size_t)len;
    }
    *at = p + len + 1;
    return CDX_OK;
  }
  /* a character is 1 or 2 units for 1 to 4 bytes: len is within [n16, 3 n16] */
  if (!cdx_get_varint(&p, end, &n16) || n16 > (uint64_t)(end - p) / 2 || len < n16 || len > 3 * n16)
    return CDX_SEG_RECORD_INCOMPLETE;
  if (f) {
    cdx_buf_reset(text);
    if (cdx_buf_reserve(text, 3 * (size_t)n16 + 1) != CDX_OK) return CDX_NOMEM;
    size_t got = cdx_utf16le_to_utf8(p, (size_t)n16, text->data);
    if (got != len) return CDX_SEG_RECORD_INCOMPLETE;
    text->data[got] = 0;
    text->len = got;
    f->text = text->data;
    f->text_len = got;
  }
  *at = p + 2 * n16;
  return CDX_OK;
}

int cdx_seg_parse_record(const uint8_t **at, const uint8_t *end, uint32_t version,
                         cdx_ix_unit_fields *out, cdx_buf *text, const char ***resp,
                         size_t *resp_cap) {
  const uint8_t *p = *at;
  uint64_t off, nresp;
  cdx_ix_unit_fields f;
  memset(&f, 0, sizeof f);
  if (!cdx_get_varint(&p, end, &off)) return CDX_SEG_RECORD_INCOMPLETE;
  int rc = parse_stored_text(&p, end, version, text, out ? &f : NULL);
  if (rc != CDX_OK) return rc;
  f.offset = off;
  if (!get_opt_str(&p, end, &f.number) || !get_opt_str(&p, end, &f.heading) ||
      !get_opt_str(&p, end, &f.lead_department) || !cdx_get_varint(&p, end, &nresp) ||
      nresp > (uint64_t)(end - p))
    return CDX_SEG_RECORD_INCOMPLETE;
  if (out && nresp > *resp_cap) {
    const char **nr = realloc(*resp, (size_t)nresp * sizeof **resp);
    if (!nr) return CDX_NOMEM;
    *resp = nr;
    *resp_cap = (size_t)nresp;
  }
  for (uint64_t k = 0; k < nresp; k++) {
    const uint8_t *z = memchr(p, 0, (size_t)(end - p));
    if (!z) return CDX_SEG_RECORD_INCOMPLETE;
    if (out) (*resp)[k] = (const char *)p;
    p = z + 1;
  }
  if (out) {
    f.n_responsible = (size_t)nresp;
    f.responsible = (const char *const *)*resp;
    *out = f;
  }
  *at = p;
  return CDX_OK;
}
