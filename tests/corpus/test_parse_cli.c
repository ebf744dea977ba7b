/* clausedex parse: the command over the library (run from $CDX_CLI). */
#define _POSIX_C_SOURCE 200809L
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "support/test_support.h"

Test(parse_cli, json_per_document) {
  const char *dir = cdx_test_seeds_dir();
  char *out = NULL;
  int st = cdx_test_cli(&out, "parse --json '%s/%s' '%s/%s'", dir, cdx_test_seed_names[1], dir,
                        cdx_test_seed_names[4]);
  cr_assert_eq(st, 0, "exit %d", st);
  cr_assert_not_null(out);
  char *nl = strchr(out, '\n');
  cr_assert_not_null(nl);
  cr_expect(strncmp(out, "{\"type\":\"document\",\"doc\":", 25) == 0, "%.80s", out);
  cr_expect(strstr(out, "\"policy_key\":\"330382:推动经济高质量发展若干政策:2025\"") < nl);
  cr_expect(strstr(nl, "\"doc_number\":\"温鹿政发〔2025〕29号\"") != NULL);
  cr_expect(strstr(nl + 1, "\n") != NULL && strstr(nl + 1, "\n")[1] == '\0', "two lines");
  free(out);
}

Test(parse_cli, text_and_overrides) {
  const char *dir = cdx_test_seeds_dir();
  char *out = NULL;
  int st = cdx_test_cli(&out, "parse --edition 2030 --status=征求意见稿 '%s/%s'", dir,
                        cdx_test_seed_names[0]);
  cr_assert_eq(st, 0);
  cr_expect(strstr(out, "edition:      2030") != NULL, "%s", out);
  cr_expect(strstr(out, "status:       征求意见稿 (draft)") != NULL);
  cr_expect(strstr(out, "clause") != NULL);
  free(out);
}

Test(parse_cli, errors_exit_2) {
  char *out = NULL;
  cr_expect_eq(cdx_test_cli(&out, "parse /nonexistent/file.txt 2>/dev/null"), 2);
  free(out);
  cr_expect_eq(cdx_test_cli(&out, "parse --status bogus /dev/null 2>/dev/null"), 2);
  free(out);
  cr_expect_eq(cdx_test_cli(&out, "parse --no-such-flag x 2>/dev/null"), 2);
  free(out);
  cr_expect_eq(cdx_test_cli(&out, "parse 2>/dev/null"), 2);
  free(out);
  char *tmp = cdx_test_tmpdir();
  char path[4200];
  snprintf(path, sizeof path, "%s/in.jsonl", tmp);
  FILE *f = fopen(path, "w");
  fputs("{\"doc\":\"a\",\"text\":\"（一）条款。\"}\n{\"doc\":\"a\" \"text\":\"x\"}\n", f);
  fclose(f);
  cr_expect_eq(cdx_test_cli(&out, "parse '%s' 2>&1", path), 2);
  cr_expect(out && strstr(out, "in.jsonl:2") != NULL, "%s", out ? out : "");
  free(out);
  cdx_test_rmtree(tmp);
  free(tmp);
}
