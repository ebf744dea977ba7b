/* A generated corpus, indexed: the setup of the tests on generated data. */
#define _POSIX_C_SOURCE 200809L
#include "support/gen_index.h"
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>
#include "clausedex.h"

size_t cdx_test_index_generated(const char *dir, uint64_t seed, uint64_t target_bytes,
                                size_t commit_every, char *idx, size_t idx_size, char *first,
                                size_t first_size, size_t n_first) {
  char corpus[4200], cmd[9000];
  snprintf(corpus, sizeof corpus, "%s/corpus", dir);
  snprintf(idx, idx_size, "%s/index", dir);
  cdx_generate_options go = {0};
  go.seed = seed;
  go.target_bytes = target_bytes;
  cdx_error err;
  cr_assert_eq(cdx_generate_corpus(corpus, &go, NULL, &err), CDX_OK, "%s", err.message);
  cdx_writer *w = NULL;
  cr_assert_eq(cdx_writer_open(idx, NULL, &w, &err), CDX_OK, "%s", err.message);
  snprintf(cmd, sizeof cmd, "find '%s' -name '*.txt' | sort", corpus);
  FILE *p = popen(cmd, "r");
  cr_assert_not_null(p);
  char line[4600];
  size_t n = 0;
  while (fgets(line, sizeof line, p)) {
    line[strcspn(line, "\n")] = '\0';
    cr_assert_eq(cdx_writer_add_file(w, line, NULL, NULL, &err), CDX_OK, "%s: %s", line,
                 err.message);
    if (n < n_first) snprintf(first + n * first_size, first_size, "%s", line);
    if (++n % (commit_every ? commit_every : SIZE_MAX) == 0)
      cr_assert_eq(cdx_writer_commit(w, &err), CDX_OK, "%s", err.message);
  }
  pclose(p);
  cr_assert_eq(cdx_writer_commit(w, &err), CDX_OK, "%s", err.message);
  cdx_writer_close(w);
  return n;
}
