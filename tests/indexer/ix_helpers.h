/* Helpers for the indexer tests: synthetic documents through the internal
 * builder entry point, so tests do not depend on the corpus reader. */
#ifndef CDX_TEST_IX_HELPERS_H
#define CDX_TEST_IX_HELPERS_H

#include "indexer/ix_internal.h"

/* Writes a one-segment index in dir from docs (fresh manifest). */
void ixh_write_index(const char *dir, const cdx_ix_doc_in *docs, size_t n);

/* A document of n_units units whose texts are given. */
typedef struct ixh_doc {
  cdx_ix_doc_in in;
  cdx_ix_unit_in *units;
} ixh_doc;
void ixh_doc_init(ixh_doc *d, const char *id, const char *const *texts, size_t n_units);
void ixh_doc_free(ixh_doc *d);

/* Paths of every file of the index directory (NULL-terminated; free each
 * and the array). */
char **ixh_list_files(const char *dir);

#endif
