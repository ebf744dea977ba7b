/* The index, stats, docs, check, delete and optimize commands through the
 * CLI, on copies of the seeds. */
#define _POSIX_C_SOURCE 200809L
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "support/test_support.h"

TestSuite(index_cli, .init = cdx_test_dir_init, .fini = cdx_test_dir_fini);

Test(index_cli, seeds_round_trip) {
  const char *seeds = cdx_test_seeds_dir();
  if (!seeds) return;
  char *out;
  cr_assert_eq(cdx_test_cli(NULL, "index -i '%s/idx' '%s' 2>/dev/null", cdx_test_dir, seeds), 0);
  cdx_test_cli_has(0, "\"documents\":5", "stats --json -i '%s/idx'", cdx_test_dir);
  /* again: unchanged */
  cdx_test_cli_has(0, "0 added, 5 unchanged", "index -i '%s/idx' '%s' 2>&1", cdx_test_dir, seeds);
  cdx_test_cli_has(0, "乐政发〔2025〕4号", "docs --json -i '%s/idx'", cdx_test_dir);
  cr_assert_eq(cdx_test_cli(&out, "check -i '%s/idx'", cdx_test_dir), 0);
  free(out);
  /* a bad file is named, the good ones are still committed, exit 2 */
  char bad[4200];
  snprintf(bad, sizeof bad, "%s/empty.txt", cdx_test_dir);
  FILE *f = fopen(bad, "w");
  fclose(f);
  cr_assert_eq(cdx_test_cli(&out, "index -i '%s/idx2' '%s' '%s/000_6221eb15cf98cb05.txt' 2>&1",
                            cdx_test_dir, bad, seeds),
               2);
  cr_assert(strstr(out, "empty.txt"), "%s", out);
  free(out);
  cdx_test_cli_has(0, "\"documents\":1", "stats --json -i '%s/idx2'", cdx_test_dir);
  cr_assert_eq(cdx_test_cli(NULL, "delete -i '%s/idx' '%s/001_47623e8f539df050.txt' 2>/dev/null",
                            cdx_test_dir, seeds),
               0);
  cr_assert_eq(cdx_test_cli(&out, "docs -i '%s/idx'", cdx_test_dir), 0);
  cr_assert_null(strstr(out, "001_47623e8f539df050"), "%s", out);
  free(out);
  cr_assert_eq(cdx_test_cli(NULL, "optimize -i '%s/idx'", cdx_test_dir), 0);
  cr_assert_eq(cdx_test_cli(&out, "stats --json -i '%s/idx'", cdx_test_dir), 0);
  cr_assert(strstr(out, "\"documents\":4"), "%s", out);
  cr_assert(strstr(out, "\"segments\":1"), "%s", out);
  free(out);
  cr_assert_eq(cdx_test_cli(NULL, "check -i '%s/idx'", cdx_test_dir), 0);
  cr_assert_eq(cdx_test_cli(NULL, "check -i '%s/nothing' 2>/dev/null", cdx_test_dir), 2);
}

Test(index_cli, jsonl_documents_by_id) {
  char path[4200];
  snprintf(path, sizeof path, "%s/in.jsonl", cdx_test_dir);
  FILE *f = fopen(path, "w");
  fputs("{\"doc\": \"lq-2025\", \"text\": \"为认真贯彻制定以下政策。\", \"kind\": \"preamble\", "
        "\"title\": \"乐清市若干政策\", \"status\": \"送审稿\", \"edition\": 2025}\n"
        "{\"doc\": \"lq-2025\", \"text\": \"（一）加强创新载体建设。\", \"number\": \"（一）\", "
        "\"responsible\": [\"市科技局\"]}\n"
        "{\"doc\": \"other\", \"text\": \"其他。\"}\n",
        f);
  fclose(f);
  char *out;
  cdx_test_cli_has(0, "2 added", "index -i '%s/idx' '%s' 2>&1", cdx_test_dir, path);
  /* the same records again are unchanged, and say so */
  cdx_test_cli_has(0, "0 added, 2 unchanged, 0 replaced", "index -i '%s/idx' '%s' 2>&1",
                   cdx_test_dir, path);
  cr_assert_eq(cdx_test_cli(&out, "docs --json -i '%s/idx'", cdx_test_dir), 0);
  cr_assert(strstr(out, "\"doc\":\"lq-2025\""), "%s", out);
  cr_assert(strstr(out, "\"unit_count\":2"), "%s", out);
  free(out);
  cr_assert_eq(cdx_test_cli(NULL, "delete -i '%s/idx' lq-2025 2>/dev/null", cdx_test_dir), 0);
  cdx_test_cli_has(0, "\"documents\":1", "stats --json -i '%s/idx'", cdx_test_dir);
  cr_assert_eq(cdx_test_cli(NULL, "check -i '%s/idx'", cdx_test_dir), 0);
}
