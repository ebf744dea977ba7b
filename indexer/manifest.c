/* manifest.c - the MANIFEST (which segments are live, with which deletion
 * file) and the deletion bitmaps. Both are small, so both are CRC-checked on
 * every read. Layouts: docs/FORMAT.md. */
#define _POSIX_C_SOURCE 200809L
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>
#include "indexer/ix_internal.h"

#define MAN_HEAD_V1 (8 + 4 + 8 + 4 + 4)
#define MAN_HEAD (MAN_HEAD_V1 + 8 + 8) /* version 2: batch, timestamp */
#define MAN_SEG 32

void cdx_man_free(cdx_manifest *m) {
  free(m->segs);
  memset(m, 0, sizeof *m);
}

static uint32_t crc_of(const void *p, size_t n) {
  return (uint32_t)crc32(crc32(0L, Z_NULL, 0), p, (uInt)n);
}

int cdx_man_parse(const char *name, const uint8_t *p, size_t len, bool verify_crc, cdx_manifest *m,
                  cdx_error *err) {
  memset(m, 0, sizeof *m);
  int rc = CDX_OK;
  if (len < MAN_HEAD_V1 + 4 || memcmp(p, CDX_MAN_MAGIC, 8) != 0)
    return cdx_err_corrupt(err, "%s: corrupt manifest: bad magic or too short", name);
  uint32_t version = cdx_get_u32le(p + 8);
  if (version < 1 || version > CDX_IX_FORMAT_VERSION)
    return cdx_err_set(err, CDX_FORMAT_VERSION, CDX_NO_OFFSET,
                       "%s: index format version %u, this build reads versions 1 to %u", name,
                       version, CDX_IX_FORMAT_VERSION);
  size_t head = version >= 2 ? MAN_HEAD : MAN_HEAD_V1;
  if (len < head + 4) return cdx_err_corrupt(err, "%s: corrupt manifest: too short", name);
  if (verify_crc && cdx_get_u32le(p + len - 4) != crc_of(p, len - 4))
    return cdx_err_corrupt(err, "%s: corrupt manifest: checksum mismatch", name);
  m->generation = cdx_get_u64le(p + 12);
  m->next_seg = cdx_get_u32le(p + 20);
  m->n_segs = cdx_get_u32le(p + 24);
  /* a version 1 manifest has no batch: its commit is batch 0, time unknown */
  if (version >= 2) {
    m->batch = cdx_get_u64le(p + 28);
    m->timestamp = cdx_get_u64le(p + 36);
  }
  if ((uint64_t)m->n_segs * MAN_SEG != len - 4 - head) {
    rc = cdx_err_corrupt(err, "%s: corrupt manifest: segment count", name);
    goto out;
  }
  m->segs = calloc(m->n_segs ? m->n_segs : 1, sizeof *m->segs);
  if (!m->segs) {
    rc = cdx_err_set(err, CDX_NOMEM, CDX_NO_OFFSET, "out of memory");
    goto out;
  }
  for (uint32_t i = 0; i < m->n_segs; i++) {
    const uint8_t *s = p + head + (size_t)i * MAN_SEG;
    cdx_seg_info *g = &m->segs[i];
    g->seg_no = cdx_get_u32le(s);
    g->n_units = cdx_get_u32le(s + 4);
    g->n_docs = cdx_get_u32le(s + 8);
    g->file_size = cdx_get_u64le(s + 12);
    g->del_gen = cdx_get_u32le(s + 20);
    g->n_deleted = cdx_get_u32le(s + 24);
    if (g->seg_no >= m->next_seg || g->n_deleted > g->n_docs) {
      rc = cdx_err_corrupt(err, "%s: corrupt manifest: segment entry %u", name, i);
      goto out;
    }
  }
out:
  if (rc != CDX_OK) cdx_man_free(m);
  return rc;
}

int cdx_man_read(const cdx_dir *dir, cdx_manifest *m, cdx_error *err) {
  memset(m, 0, sizeof *m);
  char *data;
  size_t len;
  int rc = cdx_dir_read(dir, "MANIFEST", &data, &len, err);
  if (rc == CDX_NOTFOUND)
    return cdx_err_set(err, CDX_NOTFOUND, CDX_NO_OFFSET, "no clausedex index at %s", dir->path);
  if (rc != CDX_OK) return rc;
  char shown[PATH_MAX];
  rc = cdx_man_parse(cdx_dir_name(dir, "MANIFEST", shown, sizeof shown), (const uint8_t *)data, len,
                     true, m, err);
  free(data);
  return rc;
}

int cdx_man_write(const cdx_dir *dir, const cdx_manifest *m, cdx_error *err) {
  cdx_buf b;
  cdx_buf_init(&b);
  int rc = CDX_OK;
  cdx_buf_append(&rc, &b, CDX_MAN_MAGIC, 8);
  cdx_buf_put_u32le(&rc, &b, CDX_IX_FORMAT_VERSION);
  cdx_buf_put_u64le(&rc, &b, m->generation);
  cdx_buf_put_u32le(&rc, &b, m->next_seg);
  cdx_buf_put_u32le(&rc, &b, m->n_segs);
  cdx_buf_put_u64le(&rc, &b, m->batch);
  cdx_buf_put_u64le(&rc, &b, m->timestamp);
  for (uint32_t i = 0; i < m->n_segs; i++) {
    const cdx_seg_info *g = &m->segs[i];
    cdx_buf_put_u32le(&rc, &b, g->seg_no);
    cdx_buf_put_u32le(&rc, &b, g->n_units);
    cdx_buf_put_u32le(&rc, &b, g->n_docs);
    cdx_buf_put_u64le(&rc, &b, g->file_size);
    cdx_buf_put_u32le(&rc, &b, g->del_gen);
    cdx_buf_put_u32le(&rc, &b, g->n_deleted);
    cdx_buf_put_u32le(&rc, &b, 0);
  }
  if (rc == CDX_OK) cdx_buf_put_u32le(&rc, &b, crc_of(b.data, b.len));
  if (rc != CDX_OK) {
    cdx_buf_free(&b);
    return cdx_err_set(err, CDX_NOMEM, CDX_NO_OFFSET, "out of memory");
  }
  rc = cdx_dir_write_atomic(dir, "MANIFEST", b.data, b.len, err);
  cdx_buf_free(&b);
  return rc;
}

int cdx_del_read(const cdx_dir *dir, uint32_t seg_no, uint32_t gen, uint32_t n_docs, uint8_t **bits,
                 cdx_error *err) {
  *bits = NULL;
  size_t nbytes = ((size_t)n_docs + 7) / 8;
  char name[64];
  cdx_del_file_name(name, sizeof name, seg_no, gen);
  char path[PATH_MAX];
  cdx_dir_name(dir, name, path, sizeof path);
  char *data;
  size_t len;
  int rc = cdx_dir_read(dir, name, &data, &len, err);
  if (rc == CDX_NOTFOUND)
    rc = cdx_err_corrupt(err, "%s: deletion file named by the manifest is missing", path);
  if (rc != CDX_OK) return rc;
  const uint8_t *p = (const uint8_t *)data;
  if (len != 8 + 4 + nbytes + 4 || memcmp(p, CDX_DEL_MAGIC, 8) != 0 ||
      cdx_get_u32le(p + 8) != n_docs || cdx_get_u32le(p + len - 4) != crc_of(p, len - 4)) {
    rc = cdx_err_corrupt(err, "%s: corrupt deletion file", path);
  } else {
    *bits = calloc(nbytes ? nbytes : 1, 1);
    if (!*bits) rc = cdx_err_set(err, CDX_NOMEM, CDX_NO_OFFSET, "out of memory");
    else memcpy(*bits, p + 12, nbytes);
  }
  free(data);
  return rc;
}

int cdx_del_write(const cdx_dir *dir, uint32_t seg_no, uint32_t gen, uint32_t n_docs,
                  const uint8_t *bits, cdx_error *err) {
  size_t nbytes = ((size_t)n_docs + 7) / 8;
  cdx_buf b;
  cdx_buf_init(&b);
  int rc = CDX_OK;
  cdx_buf_append(&rc, &b, CDX_DEL_MAGIC, 8);
  cdx_buf_put_u32le(&rc, &b, n_docs);
  cdx_buf_append(&rc, &b, bits, nbytes);
  if (rc == CDX_OK) cdx_buf_put_u32le(&rc, &b, crc_of(b.data, b.len));
  char name[64];
  cdx_del_file_name(name, sizeof name, seg_no, gen);
  if (rc != CDX_OK) rc = cdx_err_set(err, CDX_NOMEM, CDX_NO_OFFSET, "out of memory");
  else rc = cdx_dir_write_atomic(dir, name, b.data, b.len, err);
  cdx_buf_free(&b);
  return rc;
}

static bool named(const cdx_manifest *m, const char *name) {
  char want[64];
  for (uint32_t i = 0; i < m->n_segs; i++) {
    cdx_seg_file_name(want, sizeof want, m->segs[i].seg_no);
    if (strcmp(name, want) == 0) return true;
    if (m->segs[i].del_gen) {
      cdx_del_file_name(want, sizeof want, m->segs[i].seg_no, m->segs[i].del_gen);
      if (strcmp(name, want) == 0) return true;
    }
  }
  return false;
}

/* Only our own file kinds are removed: a user's stray file in the index
 * directory is left alone. Readers that still map a removed segment keep
 * reading it (unlink does not invalidate a mapping). */
void cdx_man_cleanup(const cdx_dir *dir, const cdx_manifest *m) {
  DIR *d = cdx_dir_list(dir);
  if (!d) return;
  struct dirent *e;
  while ((e = readdir(d)) != NULL) {
    const char *n = e->d_name;
    bool ours = strncmp(n, "seg-", 4) == 0 || strncmp(n, "MANIFEST.tmp", 12) == 0;
    if (!ours || named(m, n)) continue;
    cdx_dir_unlink(dir, n);
  }
  closedir(d);
}
