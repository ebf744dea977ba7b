/* clausedex coverage: which jurisdictions adopted each clause of a policy. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli/cli.h"

struct args {
  const char *index, *under;
  bool json;
  double threshold;
};

static const cli_option options[] = {
    CLI_OPT_INDEX(struct args),
    {"under", 0, CLI_OPT_STRING, offsetof(struct args, under), "PLACE",
     "the place whose jurisdictions are compared (required)", NULL, NULL, 0},
    {"threshold", 0, CLI_OPT_FRACTION, offsetof(struct args, threshold), "X",
     "least similarity for a match (default 0.30)", NULL, NULL, 0},
    CLI_OPT_JSON(struct args, "one JSON object per clause"),
    CLI_OPT_END,
};

static const cli_command spec = {
    "coverage",
    "[OPTIONS] DOC --under PLACE",
    "For every clause of DOC (e.g. a city's policy), the jurisdictions below PLACE\n"
    "whose latest policy has a matching unit, with that unit, its relation and\n"
    "changed figures, and the jurisdictions that have none: the gap report.\n"
    "Each latest document under PLACE is aligned with DOC as clausedex diff does.\n"
    "PLACE is a place name (温州市, 温州) or a GB/T 2260 code (330300).\n",
    options,
    "Exit status: 0, or 2 on an error (unknown document or place).\n",
    0,
    1,
    1};

static int row_json(const cdx_coverage_row *r) {
  char *js = NULL;
  size_t n = 0;
  cdx_error err;
  int rc = cdx_coverage_row_to_json(r, &js, &n, &err);
  return cli_json_line(rc, js, n, &err);
}

int cmd_coverage(int argc, char **argv) {
  struct args a = {0};
  int n, st = cli_parse(&spec, argc, argv, &a, &n);
  if (st != CLI_GO_ON) return st;
  const char *dir = a.index, *doc = argv[1], *under = a.under;
  bool json = cli_json_mode = a.json;
  cdx_align_options opts = {.threshold = a.threshold};
  if (!under) return cli_fail("coverage: missing --under PLACE (see clausedex coverage --help)");
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
        printf("    %-8s %-7s [%.2f] ", c->jurisdiction, cdx_relation_name(c->pair->relation),
               c->pair->similarity);
        cli_print_unit_label(stdout, c->pair->b);
        putchar('\n');
        for (size_t f = 0; f < c->pair->n_figures; f++) {
          const cdx_figure_change *fc = &c->pair->figures[f];
          printf("             figure: %s %s -> %s\n", fc->context, fc->a ? fc->a : "(none)",
                 fc->b ? fc->b : "(none)");
        }
      }
      if (r->n_missing) {
        fputs("    missing:", stdout);
        for (size_t m = 0; m < r->n_missing; m++) printf(" %s", r->missing[m]);
        putchar('\n');
      }
    }
    if (!json)
      printf("\n%zu clauses, %zu adopted by every jurisdiction\n", cdx_coverage_count(cv), full);
  }
  cdx_coverage_free(cv);
  cdx_index_close(ix);
  return status;
}
