/* clausedex optimize: merge every segment into one, dropping deletions. */
#include "cli/cli.h"

struct args {
  const char *index;
};

static const cli_option options[] = {CLI_OPT_INDEX(struct args), CLI_OPT_END};

static const cli_command spec = {
    "optimize", "[OPTIONS]", "Merges all segments into one and drops deleted documents.\n", options,
    "Exit status 0, or 2 on an error (no index at DIR: nothing is created).\n", 0, 0, 0};

int cmd_optimize(int argc, char **argv) {
  struct args a = {0};
  int n, status = cli_parse(&spec, argc, argv, &a, &n);
  if (status != CLI_GO_ON) return status;
  const char *dir = cli_search_index_dir(a.index);
  if ((status = cli_require_index(dir)) != CLI_OK) return status;
  cdx_writer *w;
  cdx_error err;
  if (cdx_writer_open(dir, NULL, &w, &err) != CDX_OK) return cli_fail_err(&err);
  int rc = cdx_writer_optimize(w, &err);
  cdx_writer_close(w);
  return rc == CDX_OK ? CLI_OK : cli_fail_err(&err);
}
