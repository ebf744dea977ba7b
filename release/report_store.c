/* report_store.c - release reports kept in the index directory, one pair
 * of files per batch (docs/FORMAT.md "Reports"): report-BATCH.json and
 * report-BATCH.md, BATCH in 8 or more decimal digits. They are written
 * after the commit they describe, each atomically, so a crash between the
 * two leaves a commit without a report, never a torn report; the writer's
 * clean-up of leftovers (seg-*, MANIFEST.tmp*) never touches them. */
#define _POSIX_C_SOURCE 200809L
#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "common/common.h"
#include "release/report_internal.h"

/* report-BATCH.EXT in name (room for 48 bytes). */
static void report_name(char *name, size_t cap, uint64_t batch, const char *ext) {
  snprintf(name, cap, "report-%08llu.%s", (unsigned long long)batch, ext);
}

/* The reports are files of the index: reached through its directory's
 * descriptor like the others (common/fileio.c, cdx_dir). */
int cdx_report_store(const char *dir, const cdx_report *r, cdx_error *err) {
  const char *ext[2] = {"json", "md"};
  const char *data[2] = {r->json, r->md};
  cdx_dir d;
  int rc = cdx_dir_open(dir, &d, err);
  for (int k = 0; k < 2 && rc == CDX_OK; k++) {
    char name[48];
    report_name(name, sizeof name, r->batch, ext[k]);
    rc = cdx_dir_write_atomic(&d, name, data[k], strlen(data[k]), err);
  }
  cdx_dir_close(&d);
  return rc;
}

static int u64_cmp(const void *x, const void *y) {
  uint64_t a = *(const uint64_t *)x, b = *(const uint64_t *)y;
  return a < b ? -1 : a > b;
}

/* The batch of a file name report-DIGITS.json, or 0 (not one). */
static uint64_t batch_of(const char *name) {
  if (strncmp(name, "report-", 7) != 0) return 0;
  const char *p = name + 7, *dot = strchr(p, '.');
  if (!dot || strcmp(dot, ".json") != 0 || dot - p < 8 || dot - p > 19) return 0;
  int64_t v;
  return cdx_parse_digits(p, (size_t)(dot - p), &v) && v > 0 ? (uint64_t)v : 0;
}

int cdx_report_each(const char *dir, uint64_t since, uint64_t since_time, cdx_report_format fmt,
                    cdx_report_fn fn, void *ctx, cdx_error *err) {
  cdx_dir dd;
  int drc = cdx_dir_open(dir, &dd, err);
  if (drc != CDX_OK) return drc;
  DIR *d = cdx_dir_list(&dd);
  if (!d) {
    cdx_dir_close(&dd);
    return cdx_err_set(err, CDX_IO, CDX_NO_OFFSET, "%s: cannot list the index directory", dir);
  }
  uint64_t *b = NULL;
  size_t n = 0, cap = 0;
  int rc = CDX_OK;
  for (struct dirent *e; (e = readdir(d)) != NULL;) {
    uint64_t v = batch_of(e->d_name);
    if (!v || v < since) continue;
    if (CDX_GROW(b, cap, n + 1, 16) != CDX_OK) {
      rc = cdx_err_nomem(err, NULL);
      break;
    }
    b[n++] = v;
  }
  closedir(d);
  if (rc == CDX_OK && n > 1) qsort(b, n, sizeof *b, u64_cmp);
  for (size_t i = 0; i < n && rc == CDX_OK; i++) {
    char jn[48], jp[PATH_MAX];
    report_name(jn, sizeof jn, b[i], "json");
    cdx_dir_name(&dd, jn, jp, sizeof jp);
    char *json = NULL, *md = NULL;
    size_t jl = 0, ml = 0;
    rc = cdx_dir_read(&dd, jn, &json, &jl, err);
    unsigned long long batch = 0, first = 0, ts = 0;
    if (rc == CDX_OK &&
        sscanf(json, "{\"type\":\"report\",\"batch\":%llu,\"first_batch\":%llu,\"timestamp\":%llu,",
               &batch, &first, &ts) != 3)
      rc = cdx_err_corrupt(err, "%s: not a clausedex report", jp);
    if (rc == CDX_OK && fmt != CDX_REPORT_JSON) {
      char mn[48];
      report_name(mn, sizeof mn, b[i], "md");
      rc = cdx_dir_read(&dd, mn, &md, &ml, err);
    }
    bool stop =
        rc == CDX_OK && ts >= since_time && fn(ctx, batch, ts, md ? md : json, md ? ml : jl);
    free(json);
    free(md);
    if (stop) break;
  }
  free(b);
  cdx_dir_close(&dd);
  return rc;
}
