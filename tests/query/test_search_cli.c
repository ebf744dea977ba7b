/* clausedex search / show: output, exit statuses (as grep), query errors. */
#define _POSIX_C_SOURCE 200809L
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "query/oracle.h"
#include "support/test_support.h"

static char *dir;

static void setup(void) { dir = oracle_index_seeds(); }
static void teardown(void) {
  if (!dir) return;
  *strrchr(dir, '/') = '\0';
  cdx_test_rmtree(dir);
  free(dir);
}

TestSuite(search_cli, .init = setup, .fini = teardown);

Test(search_cli, exit_statuses_and_formats) {
  if (!dir) return;
  char *out = NULL;
  cr_expect_eq(cdx_test_cli(&out, "search -i '%s' 以旧换新", dir), 0);
  /* piped: the document's own text, matches unmarked (its 【】 are its own) */
  cr_expect(out && strstr(out, "以旧换新") && !strstr(out, "\033["), "plain output: %s", out ? out : "");
  cr_expect(out && strstr(out, "matching clauses"));
  free(out);
  cr_expect_eq(cdx_test_cli(&out, "search -i '%s' --color=always 以旧换新", dir), 0);
  cr_expect(out && strstr(out, "\033[1;31m以旧换新\033[0m"), "coloured matches: %s", out ? out : "");
  cr_expect(out && strstr(out, "matching clauses"));
  free(out);
  cr_expect_eq(cdx_test_cli(&out, "search -i '%s' 火星殖民计划", dir), 1);
  free(out);
  cr_expect_eq(cdx_test_cli(&out, "search -i '%s' --count 以旧换新", dir), 0);
  cr_expect(out && atoi(out) > 0, "count: %s", out ? out : "");
  free(out);
  cr_expect_eq(cdx_test_cli(&out, "search -i '%s' --count 火星殖民计划", dir), 1);
  cr_expect(out && strcmp(out, "0\n") == 0);
  free(out);
  cr_expect_eq(cdx_test_cli(&out, "search -i '%s' --json -n 2 以旧换新", dir), 0);
  cr_expect(out && strstr(out, "\"highlights\":[["), "%s", out ? out : "");
  cr_expect(out && strstr(out, "\"rank\":1") && strstr(out, "\"rank\":2") && !strstr(out, "\"rank\":3"));
  cr_expect(out && strstr(out, "\"jurisdiction_code\":"));
  free(out);
  cr_expect_eq(cdx_test_cli(&out, "search -i '%s' '以旧换新 (港' 2>/dev/null", dir), 2);
  free(out);
  cr_expect_eq(cdx_test_cli(&out, "search -i '%s' '以旧换新 (港' 2>&1 >/dev/null", dir), 2);
  /* The caret sits under the '(' : 4 wide characters + a space = 9 columns. */
  cr_expect(out && strstr(out, "\n           ^"), "caret: %s", out ? out : "");
  free(out);
  cr_expect_eq(cdx_test_cli(&out, "search -i '%s' 'jurisdiction:火星' 2>/dev/null", dir), 2);
  free(out);
  cr_expect_eq(cdx_test_cli(&out, "search -i '%s'/nonexistent 以旧换新 2>/dev/null", dir), 2);
  free(out);
  cr_expect_eq(cdx_test_cli(&out, "search --bogus x 2>/dev/null"), 2);
  free(out);
}

Test(search_cli, show) {
  if (!dir) return;
  char *out = NULL;
  cr_expect_eq(cdx_test_cli(&out, "show -i '%s' 001_47623e8f539df050.txt", dir), 0);
  cr_expect(out && strstr(out, "乐政发"), "%s", out ? out : "");
  free(out);
  cr_expect_eq(cdx_test_cli(&out, "show -i '%s' --json '004_1993b54604d461c2.txt#（一）'", dir), 0);
  cr_expect(out && strstr(out, "\"number\":\"(一)\""), "full-width （一） finds (一): %.300s", out ? out : "");
  free(out);
  cr_expect_eq(cdx_test_cli(&out, "show -i '%s' no-such-doc 2>/dev/null", dir), 2);
  free(out);
}
