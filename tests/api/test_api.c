/* The embedding example builds, runs, and finds what the API finds. */
#define _POSIX_C_SOURCE 200809L
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include "query/oracle.h"
#include "support/test_support.h"

static int run_example(const char *dir, const char *query, char *out, size_t cap) {
  char cmd[8192];
  snprintf(cmd, sizeof cmd, "'%s' '%s' '%s' 2>&1", CDX_EXAMPLE, dir, query);
  FILE *p = popen(cmd, "r");
  cr_assert_not_null(p);
  size_t n = fread(out, 1, cap - 1, p);
  out[n] = '\0';
  int st = pclose(p);
  return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

Test(api, example_program) {
  char *dir = oracle_index_seeds();
  if (!dir) return;
  static char out[1 << 16];
  cr_expect_eq(run_example(dir, "以旧换新 jurisdiction:温州市", out, sizeof out), 0, "%s", out);
  cdx_index *ix = NULL;
  cdx_error err;
  cr_assert_eq(cdx_index_open(dir, &ix, &err), CDX_OK);
  cdx_results *r = NULL;
  cr_assert_eq(cdx_search(ix, "以旧换新 jurisdiction:温州市", NULL, &r, &err), CDX_OK);
  char want[64];
  snprintf(want, sizeof want, "%zu matching units\n", cdx_results_total(r));
  cr_expect(strncmp(out, want, strlen(want)) == 0, "example said: %s", out);
  cr_expect(strstr(out, "match: 以旧换新") != NULL, "%s", out);
  cdx_results_free(r);
  cdx_index_close(ix);
  cr_expect_eq(run_example(dir, "火星殖民计划", out, sizeof out), 1, "%s", out);
  cr_expect_eq(run_example(dir, "(unbalanced", out, sizeof out), 2, "%s", out);
  cr_expect(strstr(out, "byte 0") != NULL, "%s", out);
  *strrchr(dir, '/') = '\0';
  cdx_test_rmtree(dir);
  free(dir);
}
