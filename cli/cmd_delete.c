/* clausedex delete: remove documents by id (path) in one commit. */
#include <string.h>
#include "cli/cli.h"

struct args {
  const char *index;
};

static const cli_option options[] = {CLI_OPT_INDEX(struct args), CLI_OPT_END};

static const cli_command spec = {
    "delete", "[OPTIONS] DOC...", "Removes documents (by source path or JSON Lines id) in one commit.\n", options,
    "Exit status 0, or 2 on an error (an unknown document is named, the others\n"
    "are still deleted; no index at DIR: nothing is created).\n",
    0, 1, -1};

int cmd_delete(int argc, char **argv) {
  struct args a = {0};
  int n_docs, status = cli_parse(&spec, argc, argv, &a, &n_docs);
  if (status != CLI_GO_ON) return status;
  const char *dir = cli_search_index_dir(a.index);
  if ((status = cli_require_index(dir)) != CLI_OK) return status;
  cdx_writer *w;
  cdx_error err;
  if (cdx_writer_open(dir, NULL, &w, &err) != CDX_OK) return cli_fail_err(&err);
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
  if (status == CLI_OK) fprintf(stderr, "%zu document%s deleted\n", n, n == 1 ? "" : "s");
  return status;
}
