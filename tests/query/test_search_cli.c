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
static void teardown(void) { oracle_remove_seeds(dir); }

TestSuite(search_cli, .init = setup, .fini = teardown);

Test(search_cli, exit_statuses_and_formats) {
  if (!dir) return;
  char *out = NULL;
  cr_expect_eq(cdx_test_cli(&out, "search -i '%s' 以旧换新", dir), 0);
  /* piped: the document's own text, matches unmarked (its 【】 are its own) */
  cr_expect(out && strstr(out, "以旧换新") && !strstr(out, "\033["), "plain output: %s",
            out ? out : "");
  cr_expect(out && strstr(out, "matching clauses"));
  free(out);
  cr_expect_eq(cdx_test_cli(&out, "search -i '%s' --color=always 以旧换新", dir), 0);
  cr_expect(out && strstr(out, "\033[1;31m以旧换新\033[0m"), "coloured matches: %s",
            out ? out : "");
  cr_expect(out && strstr(out, "matching clauses"));
  free(out);
  cdx_test_cli_exits(1, "search -i '%s' 火星殖民计划", dir);
  cr_expect_eq(cdx_test_cli(&out, "search -i '%s' --count 以旧换新", dir), 0);
  cr_expect(out && atoi(out) > 0, "count: %s", out ? out : "");
  free(out);
  cr_expect_eq(cdx_test_cli(&out, "search -i '%s' --count 火星殖民计划", dir), 1);
  cr_expect(out && strcmp(out, "0\n") == 0);
  free(out);
  cr_expect_eq(cdx_test_cli(&out, "search -i '%s' --json -n 2 以旧换新", dir), 0);
  cr_expect(out && strstr(out, "\"highlights\":[["), "%s", out ? out : "");
  cr_expect(out && strstr(out, "\"rank\":1") && strstr(out, "\"rank\":2") &&
            !strstr(out, "\"rank\":3"));
  cr_expect(out && strstr(out, "\"jurisdiction_code\":"));
  free(out);
  cdx_test_cli_exits(2, "search -i '%s' '以旧换新 (港' 2>/dev/null", dir);
  cr_expect_eq(cdx_test_cli(&out, "search -i '%s' '以旧换新 (港' 2>&1 >/dev/null", dir), 2);
  /* The caret sits under the '(' : 4 wide characters + a space = 9 columns. */
  cr_expect(out && strstr(out, "\n           ^"), "caret: %s", out ? out : "");
  free(out);
  cdx_test_cli_exits(2, "search -i '%s' 'jurisdiction:火星' 2>/dev/null", dir);
  cdx_test_cli_exits(2, "search -i '%s'/nonexistent 以旧换新 2>/dev/null", dir);
  cdx_test_cli_exits(2, "search --bogus x 2>/dev/null");
}

Test(search_cli, show) {
  if (!dir) return;
  char *out = NULL;
  cr_expect_eq(cdx_test_cli(&out, "show -i '%s' 001_47623e8f539df050.txt", dir), 0);
  cr_expect(out && strstr(out, "乐政发"), "%s", out ? out : "");
  free(out);
  cr_expect_eq(cdx_test_cli(&out, "show -i '%s' --json '004_1993b54604d461c2.txt#（一）'", dir), 0);
  cr_expect(out && strstr(out, "\"number\":\"(一)\""), "full-width （一） finds (一): %.300s",
            out ? out : "");
  free(out);
  cdx_test_cli_exits(2, "show -i '%s' no-such-doc 2>/dev/null", dir);
}

/* Departments and figures on the command line: the 责任单位 line, --explain,
 * facets, --sort, `depts`, and bad values with exit 2. */
Test(search_cli, facts) {
  if (!dir) return;
  char *out = NULL;
  cr_expect_eq(
      cdx_test_cli(&out, "search -i '%s' -n 1 --explain --color=always 'percent:>=50 出口信用保险'",
                   dir),
      0);
  cr_expect(out && strstr(out, "责任单位：市商务局、市经信局、市财政局"), "%s", out ? out : "");
  cr_expect(out && strstr(out, "matched figure: 不低于50% = ge 50 %, kind 补贴"), "%s",
            out ? out : "");
  cr_expect(out && strstr(out, "\033[1;31m不低于50%\033[0m"), "the figure highlighted whole: %s",
            out ? out : "");
  free(out);
  cr_expect_eq(
      cdx_test_cli(&out, "search -i '%s' --count --facet lead,status 'doc:乐政发〔2025〕4号'", dir),
      0);
  cr_expect(out && strstr(out, "facet lead (") && strstr(out, "       9  发展和改革局"), "%s",
            out ? out : "");
  free(out);
  cr_expect_eq(cdx_test_cli(&out, "search -i '%s' --json --facet dept -n 1 补贴", dir), 0);
  cr_expect(out && strstr(out, "\n{\"type\":\"facet\",\"name\":\"dept\""), "%s", out ? out : "");
  cr_expect(out && strstr(out, "\"depts\":[{\"written\":"), "%s", out ? out : "");
  free(out);
  cr_expect_eq(cdx_test_cli(&out, "search -i '%s' --facet bogus 补贴 2>&1", dir), 2);
  cr_expect(out && strstr(out, "unknown facet 'bogus' at byte 0"), "%s", out ? out : "");
  free(out);
  cdx_test_cli_exits(2, "search -i '%s' --sort size 补贴 2>&1", dir);
  cr_expect_eq(cdx_test_cli(&out, "search -i '%s' 'amount:>=abc' 2>&1", dir), 2);
  cr_expect(out && strstr(out, "at byte 9") && strstr(out, "\n           ^"), "%s", out ? out : "");
  free(out);
  cr_expect_eq(cdx_test_cli(&out, "depts -i '%s' jurisdiction:乐清市 doc:乐政发〔2025〕4号", dir),
               0);
  cr_expect(out && strstr(out, "      16      9  发展和改革局") &&
                strstr(out, "      16      1  财政局"),
            "%s", out ? out : "");
  free(out);
  cr_expect_eq(cdx_test_cli(&out, "depts -i '%s' --json 'amount:>=100万'", dir), 0);
  cr_expect(out && strncmp(out, "{\"type\":\"dept\",\"jurisdiction\":", 30) == 0, "%s",
            out ? out : "");
  free(out);
  cdx_test_cli_exits(1, "depts -i '%s' 火星殖民计划", dir);
}

/* An empty index refuses the same values, the same way. */
Test(search_cli, fact_errors_on_an_empty_index) {
  char *tmp = cdx_test_tmpdir();
  char *out = NULL;
  /* an index with no document: `index` of an empty file commits nothing else */
  char empty[4200];
  snprintf(empty, sizeof empty, "%s/empty.txt", tmp);
  FILE *f = fopen(empty, "w");
  cr_assert_not_null(f);
  fclose(f);
  cr_assert_eq(cdx_test_cli(&out, "index -i '%s/ix' '%s/empty.txt' 2>/dev/null", tmp, tmp), 2);
  free(out);
  static const char *const bad[] = {"amount:>=abc", "amount:>=", "amount:>=100斤", "lead:"};
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    cr_expect_eq(cdx_test_cli(&out, "search -i '%s/ix' '%s' 2>&1", tmp, bad[i]), 2, "%s", bad[i]);
    cr_expect(out && strstr(out, "query syntax error at byte"), "%s: %s", bad[i], out ? out : "");
    free(out);
  }
  cr_expect_eq(cdx_test_cli(&out, "search -i '%s/ix' 'amount:>=100万' 2>&1", tmp), 1);
  free(out);
  cdx_test_rmtree(tmp);
  free(tmp);
}
