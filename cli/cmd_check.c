/* clausedex check: verify checksums and structure of an index. */
#include "cli/cli.h"

struct args {
  const char *index;
};

static const cli_option options[] = {CLI_OPT_INDEX(struct args), CLI_OPT_END};

static const cli_command spec = {
    "check", "[OPTIONS]", "Verifies every checksum and structural invariant of the last commit.\n", options,
    "Exit status 0 when sound, 2 naming the first bad file otherwise.\n", 0, 0, 0};

int cmd_check(int argc, char **argv) {
  struct args a = {0};
  int n, status = cli_parse(&spec, argc, argv, &a, &n);
  if (status != CLI_GO_ON) return status;
  const char *dir = cli_search_index_dir(a.index);
  cdx_error err;
  if (cdx_index_check(dir, &err) != CDX_OK) return cli_fail_err(&err);
  printf("%s: ok\n", dir);
  return CLI_OK;
}
