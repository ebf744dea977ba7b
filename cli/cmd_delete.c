/* clausedex delete: remove documents by id (path) in one commit. */
#include <string.h>
#include "cli/cli.h"

int cmd_delete(int argc, char **argv) {
  const char *dir = NULL;
  int i;
  for (i = 1; i < argc; i++) {
    if (cli_is_help(argv[i])) {
      printf("usage: clausedex delete [-i DIR] DOC...\n\n"
             "Removes documents (by source path or JSON Lines id) in one commit, and\n"
             "prints the change report of the commit (kept for 'clausedex log').\n");
      return CLI_OK;
    }
    if ((strcmp(argv[i], "-i") == 0 || strcmp(argv[i], "--index") == 0) && i + 1 < argc) {
      dir = argv[++i];
      continue;
    }
    if (strcmp(argv[i], "--") == 0) {
      i++;
      break;
    }
    if (argv[i][0] == '-' && argv[i][1]) return cli_fail("delete: unknown option '%s'", argv[i]);
    break;
  }
  if (i >= argc) return cli_fail("usage: clausedex delete [-i DIR] DOC...");
  dir = cli_search_index_dir(dir);
  cdx_writer *w;
  cdx_error err;
  cdx_index *before = cli_report_before(dir);
  if (cdx_writer_open(dir, NULL, &w, &err) != CDX_OK) {
    cdx_index_close(before);
    return cli_fail_err(&err);
  }
  int status = CLI_OK;
  size_t n = 0;
  for (; i < argc; i++) {
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
  if (cli_report_after(dir, before, CDX_REPORT_TEXT) != CLI_OK) status = CLI_ERROR;
  return status;
}
