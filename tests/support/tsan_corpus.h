/* Setup shared by the plain ThreadSanitizer programs (tests/query/tsan_search.c,
 * tests/serve/tsan_store_cache.c): a generated corpus, indexed. */
#ifndef CDX_TSAN_CORPUS_H
#define CDX_TSAN_CORPUS_H

#include <stddef.h>

/* Generates a corpus of about TARGET_BYTES from SEED in WORK/corpus and
 * indexes its files, in sorted order, into WORK/idx, committing after the
 * first SPLIT_AT files as well (0: one commit only). The index path goes to
 * IDX (IDX_SIZE bytes), the number of files indexed to
 * *N_FILES (unless NULL). Returns 0,
 * or 2 after a line on stderr starting with TAG ("" for none). */
int cdx_tsan_index_corpus(const char *work, unsigned seed, size_t target_bytes, size_t split_at,
                          const char *tag, char *idx, size_t idx_size, size_t *n_files);

#endif
