/* The command's own contract, whatever the command: --help prints its usage
 * and exits 0, an unknown argument is named on one line with exit 2, and a
 * missing index is an error naming the directory, never a crash. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "support/test_support.h"

static const char *const commands[] = {"analyze", "generate", "parse",    "search",   "show",
                                       "index",   "delete",   "optimize", "stats",    "check",
                                       "docs",    "diff",     "similar",  "coverage", "export",
                                       "depts",   "families", "log",      "changes"};

Test(cli, every_command_has_help) {
  for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++) {
    char *out;
    int st = cdx_test_cli(&out, "%s --help 2>&1", commands[i]);
    cr_expect_eq(st, 0, "%s --help exited %d: %s", commands[i], st, out);
    char want[64];
    snprintf(want, sizeof want, "usage: clausedex %s", commands[i]);
    cr_expect(strncmp(out, want, strlen(want)) == 0, "%s --help: %s", commands[i], out);
    free(out);
  }
}

/* The commands that read an index and take nothing else (cli/index_args.c). */
static const char *const index_commands[] = {"optimize", "stats", "check", "docs", "depts"};

Test(cli, index_commands_name_a_bad_argument) {
  for (size_t i = 0; i < sizeof index_commands / sizeof index_commands[0]; i++) {
    char *out;
    int st = cdx_test_cli(&out, "%s --bogus 2>&1", index_commands[i]);
    cr_expect_eq(st, 2, "%s --bogus exited %d", index_commands[i], st);
    cr_expect(strstr(out, "'--bogus'") && strchr(out, '\n') == out + strlen(out) - 1,
              "%s: one line naming the argument: %s", index_commands[i], out);
    free(out);
  }
}

Test(cli, index_commands_name_a_missing_index) {
  char *tmp = cdx_test_tmpdir();
  for (size_t i = 0; i < sizeof index_commands / sizeof index_commands[0]; i++) {
    char *out;
    /* only `index` creates an index: optimize refuses a missing one too */
    int st =
        cdx_test_cli(&out, "%s -i '%s/none-%s' 2>&1", index_commands[i], tmp, index_commands[i]);
    cr_expect_eq(st, 2, "%s of a missing index exited %d", index_commands[i], st);
    cr_expect(strstr(out, "/none-") && strstr(out, "no clausedex index at"), "%s: %s",
              index_commands[i], out);
    free(out);
    cr_expect_eq(
        cdx_test_cli(NULL, "--version >/dev/null; test -e '%s/none-%s'", tmp, index_commands[i]), 1,
        "%s created its directory", index_commands[i]);
  }
  cdx_test_rmtree(tmp);
  free(tmp);
}
