/* clausedex coverage: which jurisdictions adopted each clause of a policy. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli/cli.h"

static const char usage[] =
    "usage: clausedex coverage [OPTIONS] DOC --under PLACE\n\n"
    "For every clause of DOC (e.g. a city's policy), the jurisdictions below PLACE\n"
    "whose latest policy has a matching unit, with that unit, its relation and\n"
    "changed figures, and the jurisdictions that have none: the gap report.\n"
    "Each latest document under PLACE is aligned with DOC as clausedex diff does.\n"
    "PLACE is a place name (温州市, 温州) or a GB/T 2260 code (330300).\n\n"
    "Options:\n"
    "  -i, --index DIR   index directory (default $CLAUSEDEX_INDEX or ./clausedex-index)\n"
    "  --under PLACE     the place whose jurisdictions are compared (required)\n"
    "  --threshold X     least similarity for a match (default 0.30)\n"
    "  --json            one JSON object per clause\n\n"
    "Exit status: 0, or 2 on an error (unknown document or place).\n";

static int row_json(const cdx_coverage_row *r) {
  char *js = NULL;
  size_t n = 0;
  cdx_error err;
  if (cdx_coverage_row_to_json(r, &js, &n, &err) != CDX_OK) return cli_fail_err(&err);
  fwrite(js, 1, n, stdout);
  putchar('\n');
  cdx_free(js);
  return CLI_OK;
}

int cmd_coverage(int argc, char **argv) {
  const char *dir = NULL, *doc = NULL, *under = NULL;
  bool json = false;
  cdx_align_options opts = {0};
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i];
    if (cli_is_help(a)) { fputs(usage, stdout); return CLI_OK; }
    if ((strcmp(a, "-i") == 0 || strcmp(a, "--index") == 0) && i + 1 < argc) dir = argv[++i];
    else if (strncmp(a, "--index=", 8) == 0) dir = a + 8;
    else if (strcmp(a, "--under") == 0 && i + 1 < argc) under = argv[++i];
    else if (strncmp(a, "--under=", 8) == 0) under = a + 8;
    else if (strcmp(a, "--json") == 0) json = true;
    else if (strcmp(a, "--threshold") == 0 && i + 1 < argc) {
      char *end;
      opts.threshold = strtod(argv[++i], &end);
      if (*end || !(opts.threshold > 0 && opts.threshold <= 1))
        return cli_fail("--threshold takes a number in (0, 1], not '%s'", argv[i]);
    } else if (a[0] == '-' && a[1]) return cli_fail("unknown option '%s' (see clausedex coverage --help)", a);
    else if (doc) return cli_fail("coverage takes one DOC");
    else doc = a;
  }
  if (!doc || !under) { fputs(usage, stderr); return cli_fail(!doc ? "missing DOC" : "missing --under PLACE"); }
  cdx_index *ix = NULL;
  if (cli_open_index(cli_search_index_dir(dir), &ix) != CLI_OK) return CLI_ERROR;
  cdx_error err;
  cdx_coverage *cv = NULL;
  int status = CLI_OK;
  if (cdx_coverage_compute(ix, doc, under, &opts, &cv, &err) != CDX_OK) {
    status = cli_fail_err(&err);
  } else {
    const char *const *names = NULL;
    size_t nj = cdx_coverage_jurisdictions(cv, &names);
    if (!json) {
      printf("%zu jurisdictions under %s with a latest policy:", nj, under);
      for (size_t j = 0; j < nj; j++) printf(" %s", names[j]);
      puts("\n");
    }
    size_t full = 0;
    for (size_t i = 0; i < cdx_coverage_count(cv); i++) {
      const cdx_coverage_row *r = cdx_coverage_get(cv, i);
      full += r->n_missing == 0 && nj > 0;
      if (json) {
        if ((status = row_json(r)) != CLI_OK) break;
        continue;
      }
      cli_print_unit_label(stdout, r->unit);
      putchar('\n');
      for (size_t m = 0; m < r->n_matches; m++) {
        const cdx_coverage_match *c = &r->matches[m];
        printf("    %-8s %-7s [%.2f] ", c->jurisdiction, cdx_relation_name(c->pair->relation), c->pair->similarity);
        cli_print_unit_label(stdout, c->pair->b);
        putchar('\n');
        for (size_t f = 0; f < c->pair->n_figures; f++) {
          const cdx_figure_change *fc = &c->pair->figures[f];
          printf("             figure: %s %s -> %s\n", fc->context, fc->a ? fc->a : "(none)", fc->b ? fc->b : "(none)");
        }
      }
      if (r->n_missing) {
        fputs("    missing:", stdout);
        for (size_t m = 0; m < r->n_missing; m++) printf(" %s", r->missing[m]);
        putchar('\n');
      }
    }
    if (!json) printf("\n%zu clauses, %zu adopted by every jurisdiction\n", cdx_coverage_count(cv), full);
  }
  cdx_coverage_free(cv);
  cdx_index_close(ix);
  return status;
}
