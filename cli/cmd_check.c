/* clausedex check: verify checksums and structure of an index. */
#include "cli/cli.h"

int cmd_check(int argc, char **argv) {
  const char *dir;
  int status = cli_index_args(
      argc, argv,
      "usage: clausedex check [-i DIR]\n\n"
      "Verifies every checksum and structural invariant of the last commit.\n"
      "Exit status 0 when sound, 2 naming the first bad file otherwise.\n",
      &dir, NULL);
  if (status != CLI_GO_ON) return status;
  cdx_error err;
  if (cdx_index_check(dir, &err) != CDX_OK) return cli_fail_err(&err);
  printf("%s: ok\n", dir);
  return CLI_OK;
}
