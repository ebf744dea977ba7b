/* clausedex stats: sizes and counts of an index. */
#include "cli/cli.h"

static double mb(uint64_t b) { return (double)b / 1048576.0; }

static const cli_command spec = {"stats",
                                 "[OPTIONS]",
                                 "Documents, units, terms, postings and bytes per file kind.\n",
                                 cli_index_options,
                                 NULL,
                                 0,
                                 0,
                                 0};

int cmd_stats(int argc, char **argv) {
  cli_index_args a = {0};
  int nops, status = cli_parse_index_args(&spec, argc, argv, &a, &nops);
  if (status != CLI_GO_ON) return status;
  cdx_index *ix;
  if ((status = cli_open_index(a.index, &ix)) != CLI_OK) return status;
  if (a.json) {
    cdx_error err;
    char *s;
    size_t n;
    int rc = cdx_index_stats_json(ix, &s, &n, &err);
    cdx_index_close(ix);
    if (rc != CDX_OK) return cli_fail_err(&err);
    cli_json_typed("stats", s, n, NULL);
    cdx_free(s);
    return CLI_OK;
  }
  cdx_index_stats s;
  cdx_index_get_stats(ix, &s);
  cdx_index_close(ix);
  printf("documents       %llu\n", (unsigned long long)s.documents);
  printf("units           %llu (%llu deleted, awaiting a merge)\n", (unsigned long long)s.units,
         (unsigned long long)s.deleted_units);
  printf("segments        %llu\n", (unsigned long long)s.segments);
  printf("terms           %llu\n", (unsigned long long)s.terms);
  printf("postings        %llu\n", (unsigned long long)s.postings);
  printf("positions       %llu\n", (unsigned long long)s.positions);
  printf("text            %.2f MB\n", mb(s.text_bytes));
  printf("index           %.2f MB (%.2fx the text)\n", mb(s.bytes_total),
         s.text_bytes ? (double)s.bytes_total / (double)s.text_bytes : 0.0);
  printf("  dictionary    %.2f MB\n", mb(s.bytes_dictionary));
  printf("  postings      %.2f MB\n", mb(s.bytes_postings));
  printf("  positions     %.2f MB\n", mb(s.bytes_positions));
  printf("  columns       %.2f MB\n", mb(s.bytes_columns));
  printf("  stored        %.2f MB\n", mb(s.bytes_stored));
  printf("  other         %.2f MB\n", mb(s.bytes_other));
  printf("bytes/posting   %.2f (postings + positions)\n",
         s.postings ? (double)(s.bytes_postings + s.bytes_positions) / (double)s.postings : 0.0);
  return CLI_OK;
}
