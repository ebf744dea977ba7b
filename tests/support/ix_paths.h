/* The indexer's internal calls that take an open directory (cdx_dir), by
 * path, for tests that build or inspect index files by hand. Each opens the
 * directory for the one call. */
#ifndef CDX_TEST_IX_PATHS_H
#define CDX_TEST_IX_PATHS_H

#include <libgen.h>
#include <stdio.h>
#include <string.h>
#include "indexer/ix_internal.h"

#define IXP_WITH_DIR(path, err, call)             \
  do {                                            \
    cdx_dir ixp_d;                                \
    ixp_rc = cdx_dir_open((path), &ixp_d, (err)); \
    if (ixp_rc == CDX_OK) ixp_rc = (call);        \
    cdx_dir_close(&ixp_d);                        \
  } while (0)

static inline int ixp_man_read(const char *dir, cdx_manifest *m, cdx_error *err) {
  int ixp_rc;
  IXP_WITH_DIR(dir, err, cdx_man_read(&ixp_d, m, err));
  return ixp_rc;
}

static inline int ixp_man_write(const char *dir, const cdx_manifest *m, cdx_error *err) {
  int ixp_rc;
  IXP_WITH_DIR(dir, err, cdx_man_write(&ixp_d, m, err));
  return ixp_rc;
}

static inline int ixp_del_write(const char *dir, uint32_t seg_no, uint32_t gen, uint32_t n_docs,
                                const uint8_t *bits, cdx_error *err) {
  int ixp_rc;
  IXP_WITH_DIR(dir, err, cdx_del_write(&ixp_d, seg_no, gen, n_docs, bits, err));
  return ixp_rc;
}

static inline int ixp_segb_write(cdx_segb *b, const char *dir, uint32_t seg_no, cdx_seg_info *info,
                                 cdx_error *err) {
  int ixp_rc;
  IXP_WITH_DIR(dir, err, cdx_segb_write(b, &ixp_d, seg_no, info, err));
  return ixp_rc;
}

/* path is "dir/name". */
static inline int ixp_seg_open(const char *path, bool verify_crc, cdx_seg *seg, cdx_error *err) {
  char dir[8192], name[8192];
  snprintf(dir, sizeof dir, "%s", path);
  snprintf(name, sizeof name, "%s", path);
  int ixp_rc;
  IXP_WITH_DIR(dirname(dir), err, cdx_seg_open(&ixp_d, basename(name), verify_crc, seg, err));
  return ixp_rc;
}

#endif
