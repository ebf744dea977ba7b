/* clausedex delete: remove documents by id (path) in one commit. */
#include <string.h>
#include "cli/cli.h"

static const cli_command spec = {
    "delete",
    "[OPTIONS] DOC...",
    "Removes documents (by source path or JSON Lines id) in one commit, and\n"
    "prints the change report of the commit (kept for 'clausedex log').\n",
    cli_index_options,
    "Exit status 0, or 2 on an error (an unknown document is named, the others\n"
    "are still deleted; no index at DIR: nothing is created).\n",
    0,
    1,
    -1};

int cmd_delete(int argc, char **argv) {
  cli_index_args a = {0};
  int n_docs, status = cli_parse_index_args(&spec, argc, argv, &a, &n_docs);
  if (status != CLI_GO_ON) return status;
  const char *dir = a.index;
  cdx_writer *w;
  if ((status = cli_open_writer(dir, &w)) != CLI_OK) return status;
  cdx_error err;
  cdx_index *before = cli_report_before(dir); /* the writer has not committed yet */
  size_t n = 0;
  for (int i = 1; i <= n_docs; i++) {
    if (cdx_writer_delete(w, argv[i], &err) != CDX_OK) {
      cli_fail_err(&err);
      status = CLI_ERROR;
    } else {
      n++;
    }
  }
  if (cdx_writer_commit(w, &err) != CDX_OK) status = cli_fail_err(&err);
  cdx_writer_close(w);
  if (a.json)
    printf("{\"type\":\"summary\",\"deleted\":%zu,\"failed\":%zu}\n", n, (size_t)n_docs - n);
  else if (status == CLI_OK) fprintf(stderr, "%zu document%s deleted\n", n, n == 1 ? "" : "s");
  if (cli_report_after(dir, before, a.json ? CDX_REPORT_JSON : CDX_REPORT_TEXT, 1) != CLI_OK)
    status = CLI_ERROR;
  return status;
}
