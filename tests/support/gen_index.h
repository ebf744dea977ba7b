/* A generated corpus, indexed, for Criterion tests (tests/query/test_generated.c,
 * test_facets.c). Links cdx_gen and the indexer; failures abort the test. */
#ifndef CDX_TEST_GEN_INDEX_H
#define CDX_TEST_GEN_INDEX_H

#include <stddef.h>
#include <stdint.h>

/* Generates a corpus of about TARGET_BYTES from SEED in DIR/corpus and
 * indexes its files, in sorted order, into DIR/index (path copied to IDX,
 * IDX_SIZE bytes), committing after every COMMIT_EVERY files too (0: once at
 * the end). The first N_FIRST file paths go to FIRST (FIRST_SIZE bytes
 * each). Returns the number of files indexed. */
size_t cdx_test_index_generated(const char *dir, uint64_t seed, uint64_t target_bytes,
                                size_t commit_every, char *idx, size_t idx_size, char *first,
                                size_t first_size, size_t n_first);

#endif
