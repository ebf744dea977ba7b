/* clausedex optimize: merge every segment into one, dropping deletions. */
#include "cli/cli.h"

static const cli_command spec = {
    "optimize",
    "[OPTIONS]",
    "Merges all segments into one and drops deleted documents.\n",
    cli_index_options,
    "Exit status 0, or 2 on an error (no index at DIR: nothing is created).\n",
    0,
    0,
    0};

int cmd_optimize(int argc, char **argv) {
  cli_index_args a = {0};
  int n, status = cli_parse_index_args(&spec, argc, argv, &a, &n);
  if (status != CLI_GO_ON) return status;
  const char *dir = a.index;
  cdx_writer *w;
  if ((status = cli_open_writer(dir, &w)) != CLI_OK) return status;
  cdx_error err;
  int rc = cdx_writer_optimize(w, &err);
  cdx_writer_close(w);
  if (rc != CDX_OK) return cli_fail_err(&err);
  if (a.json) {
    cdx_index *ix;
    if ((status = cli_open_index(dir, &ix)) != CLI_OK) return status;
    cdx_index_stats st;
    cdx_index_get_stats(ix, &st);
    cdx_index_close(ix);
    printf("{\"type\":\"summary\",\"documents\":%llu,\"units\":%llu,\"segments\":%llu}\n",
           (unsigned long long)st.documents, (unsigned long long)st.units,
           (unsigned long long)st.segments);
  }
  return CLI_OK;
}
