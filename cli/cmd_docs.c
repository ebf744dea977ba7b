/* clausedex docs: the indexed documents with their metadata. */
#include "cli/cli.h"

static void date_str(uint32_t d, char *out, size_t cap) {
  if (d) snprintf(out, cap, "%04u-%02u-%02u", d / 10000, d / 100 % 100, d % 100);
  else snprintf(out, cap, "-");
}

static const cli_command spec = {"docs",
                                 "[OPTIONS]",
                                 "Lists the indexed documents with their metadata.\n",
                                 cli_index_options,
                                 NULL,
                                 0,
                                 0,
                                 0};

int cmd_docs(int argc, char **argv) {
  cli_index_args a = {0};
  int nops, status = cli_parse_index_args(&spec, argc, argv, &a, &nops);
  if (status != CLI_GO_ON) return status;
  cdx_index *ix;
  if ((status = cli_open_index(a.index, &ix)) != CLI_OK) return status;
  cdx_error err;
  if (a.json) {
    char *s;
    size_t n;
    if (cdx_index_docs_json(ix, &s, &n, &err) != CDX_OK) status = cli_fail_err(&err);
    else {
      fwrite(s, 1, n, stdout);
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
