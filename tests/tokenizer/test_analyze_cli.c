/* clausedex analyze: output format and exit statuses. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>
#include "support/test_support.h"

Test(analyze_cli, tab_separated_lines) {
  char *out;
  cr_assert_eq(cdx_test_cli(&out, "analyze '“415X”先进，2.74亿元'"), 0);
  cr_assert_str_eq(out, "415x\t0\t3\t7\tword\n"
                        "先进\t2\t10\t16\tcjk_bigram\n"
                        "2.74\t5\t19\t23\tnumber\n"
                        "亿元\t6\t23\t29\tcjk_bigram\n");
  free(out);
  cr_assert_eq(cdx_test_cli(&out, "analyze --unigrams '一二'"), 0);
  cr_assert_str_eq(out, "一二\t0\t0\t6\tcjk_bigram\n一\t0\t0\t3\tcjk_unigram\n"
                        "二\t1\t3\t6\tcjk_unigram\n");
  free(out);
}

Test(analyze_cli, json_lines) {
  char *out;
  cr_assert_eq(cdx_test_cli(&out, "analyze --json '溫州 A'"), 0);
  cr_assert_str_eq(out, "{\"type\":\"token\",\"term\":\"温州\",\"pos\":0,\"start\":0,\"end\":6,"
                        "\"token_type\":\"cjk_bigram\"}\n"
                        "{\"type\":\"token\",\"term\":\"a\",\"pos\":2,\"start\":7,\"end\":8,"
                        "\"token_type\":\"word\"}\n");
  free(out);
}

Test(analyze_cli, stdin_and_help) {
  char *out;
  cr_assert_eq(cdx_test_cli(&out, "analyze - < /dev/null"), 0);
  cr_assert_str_eq(out, "");
  free(out);
  cr_assert_eq(cdx_test_cli(&out, "analyze --unigrams - <<'EOF'\n中\nEOF"), 0);
  cr_assert_str_eq(out, "中\t0\t0\t3\tcjk_unigram\n");
  free(out);
  cr_assert_eq(cdx_test_cli(&out, "analyze --help"), 0);
  cr_assert(strstr(out, "usage: clausedex analyze") != NULL);
  free(out);
}

Test(analyze_cli, errors_exit_2_with_a_message) {
  char *out;
  cr_assert_eq(cdx_test_cli(&out,
                            "analyze 'ab' 2>/dev/null; printf 'ab\\377' | '%s' analyze - 2>&1",
                            getenv("CDX_CLI")),
               2);
  cr_assert(strstr(out, "byte 2") != NULL, "message: %s", out);
  free(out);
  cr_assert_eq(cdx_test_cli(&out, "analyze --frobnicate x 2>&1"), 2);
  cr_assert(strstr(out, "--frobnicate") != NULL, "message: %s", out);
  free(out);
  cr_assert_eq(cdx_test_cli(&out, "analyze 2>&1"), 2);
  cr_assert(strstr(out, "missing TEXT") != NULL, "message: %s", out);
  free(out);
  cr_assert_eq(cdx_test_cli(&out, "analyze --json 2>&1"), 2);
  free(out);
}
