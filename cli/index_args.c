/* index_args.c - what the commands that work on one index share: which index
 * (-i DIR, $CLAUSEDEX_INDEX, ./clausedex-index), the command line of those
 * that take nothing else, and opening it for reading. */
#include <stdlib.h>
#include <string.h>
#include "cli/cli.h"

const char *cli_search_index_dir(const char *given) {
  if (given) return given;
  const char *env = getenv("CLAUSEDEX_INDEX");
  return env && *env ? env : "clausedex-index";
}

int cli_index_args(int argc, char **argv, const char *usage, const char **dir, bool *json) {
  const char *given = NULL;
  if (json) *json = false;
  for (int i = 1; i < argc; i++) {
    if (cli_is_help(argv[i])) {
      fputs(usage, stdout);
      return CLI_OK;
    }
    if ((strcmp(argv[i], "-i") == 0 || strcmp(argv[i], "--index") == 0) && i + 1 < argc)
      given = argv[++i];
    else if (json && strcmp(argv[i], "--json") == 0) *json = true;
    else return cli_fail("%s: unexpected argument '%s'", argv[0], argv[i]);
  }
  *dir = cli_search_index_dir(given);
  return CLI_GO_ON;
}

int cli_open_index(const char *dir, cdx_index **ix) {
  cdx_error err;
  return cdx_index_open(dir, ix, &err) == CDX_OK ? CLI_OK : cli_fail_err(&err);
}
