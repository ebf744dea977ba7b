/* release_internal.h - shared by the files of release/: the live documents
 * of an index in one array, each with its family key. */
#ifndef CDX_RELEASE_INTERNAL_H
#define CDX_RELEASE_INTERNAL_H

#include "clausedex/release.h"

/* The live documents of ix (copied structs, strings borrowed from ix) with
 * their family keys (owned; "" for an untitled document). */
typedef struct rel_docs {
  size_t n;
  cdx_index_doc *docs;
  char **keys;
} rel_docs;
int rel_docs_load(const cdx_index *ix, rel_docs *out, cdx_error *err);
void rel_docs_free(rel_docs *d);

/* Version order within a family: edition, stage, date, then id. */
int rel_version_cmp(const cdx_index_doc *a, const cdx_index_doc *b);

#endif
