/* clausedex check: verify checksums and structure of an index. */
#include <string.h>
#include "cli/cli.h"

int cmd_check(int argc, char **argv) {
  const char *dir = NULL;
  for (int i = 1; i < argc; i++) {
    if (cli_is_help(argv[i])) {
      printf("usage: clausedex check [-i DIR]\n\n"
             "Verifies every checksum and structural invariant of the last commit.\n"
             "Exit status 0 when sound, 2 naming the first bad file otherwise.\n");
      return CLI_OK;
    }
    if ((strcmp(argv[i], "-i") == 0 || strcmp(argv[i], "--index") == 0) && i + 1 < argc) dir = argv[++i];
    else return cli_fail("check: unexpected argument '%s'", argv[i]);
  }
  dir = cli_search_index_dir(dir);
  cdx_error err;
  if (cdx_index_check(dir, &err) != CDX_OK) return cli_fail_err(&err);
  printf("%s: ok\n", dir);
  return CLI_OK;
}
