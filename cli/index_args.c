/* index_args.c - what the commands that work on one index share: which index
 * (-i DIR, $CLAUSEDEX_INDEX, ./clausedex-index) and opening it. Only
 * `clausedex index` creates an index; every other command refuses a
 * directory that holds none, and creates nothing. */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include "cli/cli.h"

const char *cli_search_index_dir(const char *given) {
  if (given) return given;
  const char *env = getenv("CLAUSEDEX_INDEX");
  return env && *env ? env : "clausedex-index";
}

const cli_option cli_index_options[] = {
    CLI_OPT_INDEX(cli_index_args),
    CLI_OPT_JSON(cli_index_args, "JSON Lines: the records of docs/JSON.md"),
    CLI_OPT_END,
};

int cli_parse_index_args(const cli_command *spec, int argc, char **argv, cli_index_args *a,
                         int *nops) {
  int status = cli_parse(spec, argc, argv, a, nops);
  if (status != CLI_GO_ON) return status;
  a->index = cli_search_index_dir(a->index);
  cli_json_mode = a->json;
  return CLI_GO_ON;
}

int cli_open_index(const char *dir, cdx_index **ix) {
  cdx_error err;
  return cdx_index_open(dir, ix, &err) == CDX_OK ? CLI_OK : cli_fail_err(&err);
}

/* A reader opened and closed: the writer would create what is missing. */
int cli_require_index(const char *dir) {
  cdx_index *ix;
  int st = cli_open_index(dir, &ix);
  cdx_index_close(ix);
  return st;
}

int cli_open_writer(const char *dir, cdx_writer **w) {
  int st = cli_require_index(dir);
  if (st != CLI_OK) return st;
  cdx_error err;
  return cdx_writer_open(dir, NULL, w, &err) == CDX_OK ? CLI_OK : cli_fail_err(&err);
}
