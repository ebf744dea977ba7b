/* clausedex docs: the indexed documents with their metadata. */
#include <string.h>
#include "cli/cli.h"

static void date_str(uint32_t d, char *out, size_t cap) {
  if (d) snprintf(out, cap, "%04u-%02u-%02u", d / 10000, d / 100 % 100, d % 100);
  else snprintf(out, cap, "-");
}

int cmd_docs(int argc, char **argv) {
  const char *dir = NULL;
  bool json = false;
  for (int i = 1; i < argc; i++) {
    if (cli_is_help(argv[i])) {
      printf("usage: clausedex docs [-i DIR] [--json]\n\n"
             "Lists the indexed documents with their metadata.\n");
      return CLI_OK;
    }
    if ((strcmp(argv[i], "-i") == 0 || strcmp(argv[i], "--index") == 0) && i + 1 < argc) dir = argv[++i];
    else if (strcmp(argv[i], "--json") == 0) json = true;
    else return cli_fail("docs: unexpected argument '%s'", argv[i]);
  }
  dir = cli_search_index_dir(dir);
  cdx_index *ix;
  cdx_error err;
  if (cdx_index_open(dir, &ix, &err) != CDX_OK) return cli_fail_err(&err);
  int status = CLI_OK;
  if (json) {
    char *s;
    size_t n;
    if (cdx_index_docs_json(ix, &s, &n, &err) != CDX_OK) status = cli_fail_err(&err);
    else {
      printf("%s\n", s);
      cdx_free(s);
    }
  } else {
    size_t n = cdx_index_doc_count(ix);
    for (size_t i = 0; i < n && status == CLI_OK; i++) {
      cdx_index_doc d;
      if (cdx_index_doc_get(ix, i, &d, &err) != CDX_OK) {
        status = cli_fail_err(&err);
        break;
      }
      char date[16];
      date_str(d.date, date, sizeof date);
      printf("%s\n  %s | %s | %s | %s | %zu units%s\n", d.id, d.title,
             d.jurisdiction ? d.jurisdiction : "-", cdx_status_name(d.status),
             d.doc_number ? d.doc_number : "-", d.units, d.latest ? " | latest" : "");
      if (d.edition) printf("  edition %d, date %s\n", d.edition, date);
      else printf("  date %s\n", date);
    }
  }
  cdx_index_close(ix);
  return status;
}
