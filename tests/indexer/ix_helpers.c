#define _POSIX_C_SOURCE 200809L
#include "tests/indexer/ix_helpers.h"
#include "support/ix_paths.h"
#include <criterion/criterion.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void ixh_write_index(const char *dir, const cdx_ix_doc_in *docs, size_t n) {
  cdx_error err;
  cdx_segb *b;
  cr_assert_eq(cdx_segb_new(&b, &err), CDX_OK, "%s", err.message);
  for (size_t i = 0; i < n; i++)
    cr_assert_eq(cdx_segb_add(b, &docs[i], &err), CDX_OK, "%s", err.message);
  cdx_seg_info info;
  cr_assert_eq(ixp_segb_write(b, dir, 1, &info, &err), CDX_OK, "%s", err.message);
  cdx_segb_free(b);
  cdx_manifest m = {.generation = 1, .next_seg = 2, .n_segs = 1, .segs = &info};
  cr_assert_eq(ixp_man_write(dir, &m, &err), CDX_OK, "%s", err.message);
}

void ixh_doc_init(ixh_doc *d, const char *id, const char *const *texts, size_t n_units) {
  memset(d, 0, sizeof *d);
  d->units = calloc(n_units ? n_units : 1, sizeof *d->units);
  cr_assert_not_null(d->units);
  uint64_t off = 0;
  for (size_t i = 0; i < n_units; i++) {
    d->units[i].kind = CDX_UNIT_CLAUSE;
    d->units[i].ordinal = (int)i;
    d->units[i].text = texts[i];
    d->units[i].text_len = strlen(texts[i]);
    d->units[i].offset = off;
    off += d->units[i].text_len + 1;
  }
  d->in.id = id;
  d->in.title = id;
  d->in.n_units = n_units;
  d->in.units = d->units;
}

void ixh_doc_free(ixh_doc *d) { free(d->units); }

char **ixh_list_files(const char *dir) {
  DIR *dd = opendir(dir);
  cr_assert_not_null(dd);
  size_t n = 0, cap = 16;
  char **v = malloc(cap * sizeof *v);
  struct dirent *e;
  while ((e = readdir(dd)) != NULL) {
    if (e->d_name[0] == '.' || strcmp(e->d_name, "LOCK") == 0) continue;
    if (n + 2 > cap) v = realloc(v, (cap *= 2) * sizeof *v);
    size_t len = strlen(dir) + strlen(e->d_name) + 2;
    v[n] = malloc(len);
    snprintf(v[n], len, "%s/%s", dir, e->d_name);
    n++;
  }
  closedir(dd);
  v[n] = NULL;
  return v;
}
