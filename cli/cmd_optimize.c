/* clausedex optimize: merge every segment into one, dropping deletions. */
#include <string.h>
#include "cli/cli.h"

int cmd_optimize(int argc, char **argv) {
  const char *dir = NULL;
  for (int i = 1; i < argc; i++) {
    if (cli_is_help(argv[i])) {
      printf("usage: clausedex optimize [-i DIR]\n\n"
             "Merges all segments into one and drops deleted documents.\n");
      return CLI_OK;
    }
    if ((strcmp(argv[i], "-i") == 0 || strcmp(argv[i], "--index") == 0) && i + 1 < argc) dir = argv[++i];
    else return cli_fail("optimize: unexpected argument '%s'", argv[i]);
  }
  dir = cli_search_index_dir(dir);
  cdx_writer *w;
  cdx_error err;
  if (cdx_writer_open(dir, NULL, &w, &err) != CDX_OK) return cli_fail_err(&err);
  int rc = cdx_writer_optimize(w, &err);
  cdx_writer_close(w);
  return rc == CDX_OK ? CLI_OK : cli_fail_err(&err);
}
