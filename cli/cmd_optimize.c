/* clausedex optimize: merge every segment into one, dropping deletions. */
#include "cli/cli.h"

int cmd_optimize(int argc, char **argv) {
  const char *dir;
  int status = cli_index_args(argc, argv,
                              "usage: clausedex optimize [-i DIR]\n\n"
                              "Merges all segments into one and drops deleted documents.\n",
                              &dir, NULL);
  if (status != CLI_GO_ON) return status;
  cdx_writer *w;
  cdx_error err;
  if (cdx_writer_open(dir, NULL, &w, &err) != CDX_OK) return cli_fail_err(&err);
  int rc = cdx_writer_optimize(w, &err);
  cdx_writer_close(w);
  return rc == CDX_OK ? CLI_OK : cli_fail_err(&err);
}
