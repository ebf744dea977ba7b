/* clausedex depts: who carries what. Every department with the number of
 * units that list it and that it leads, per jurisdiction, over the units a
 * query's filters select (all units without one). Two pivot facets of one
 * search (jurisdiction+dept, jurisdiction+lead), so the counts are those of
 * `search --facet`. */
#define _POSIX_C_SOURCE 200809L
#include <stdlib.h>
#include <string.h>
#include "cli/cli.h"

struct args {
  const char *index;
  bool json, latest;
};

static const cli_option options[] = {
    CLI_OPT_INDEX(struct args),
    CLI_OPT_JSON(struct args, "one {\"type\":\"dept\",...} record a line"),
    CLI_OPT_LATEST(struct args, "only the latest version of each policy"),
    CLI_OPT_END,
};

static const cli_command spec = {
    "depts",
    "[OPTIONS] [FILTER...]",
    "Lists every department (by its canonical name) with the number of units\n"
    "that list it as a responsible unit and that it leads (listed first), per\n"
    "jurisdiction, most listed first. FILTERs are a query (docs/QUERY.md) that\n"
    "selects the units counted, e.g. jurisdiction:乐清市 status:final 补贴;\n"
    "without one, every unit.\n",
    options,
    "Exit status: 0 when a department was counted, 1 when none was, 2 on an error.\n",
    CLI_DASH_OPERANDS,
    0,
    -1};

/* Every unit: each has exactly one kind. */
static const char all_units[] = "kind:preamble|chapter|clause|closing";

typedef struct row {
  const char *place, *dept;
  size_t listed, lead;
} row;

static int cmp_row(const void *x, const void *y) {
  const row *a = x, *b = y;
  int c = strcmp(a->place, b->place);
  if (c) return c;
  if (a->listed != b->listed) return a->listed > b->listed ? -1 : 1;
  if (a->lead != b->lead) return a->lead > b->lead ? -1 : 1;
  return strcmp(a->dept, b->dept);
}

/* "PLACE\tDEPT" of a pivot value split in place (a copy of it in *buf). */
static bool split(const char *v, char **buf, const char **place, const char **dept) {
  *buf = strdup(v);
  if (!*buf) return false;
  char *tab = strchr(*buf, '\t');
  *place = *buf;
  *dept = tab ? (*tab = 0, tab + 1) : "";
  return true;
}

int cmd_depts(int argc, char **argv) {
  struct args a = {0};
  int nq, status = cli_parse(&spec, argc, argv, &a, &nq);
  if (status != CLI_GO_ON) return status;
  bool json = a.json;
  cdx_search_options opt = {.latest = a.latest};
  char *query = nq ? cli_join(argv + 1, nq) : strdup(all_units);
  if (!query) return cli_fail("out of memory");
  opt.count_only = 1;
  opt.facets = "jurisdiction+dept,jurisdiction+lead";
  opt.facet_limit = SIZE_MAX;
  cdx_index *ix;
  status = cli_open_index(cli_search_index_dir(a.index), &ix);
  if (status != CLI_OK) {
    free(query);
    return status;
  }
  cdx_results *res = NULL;
  cdx_error err;
  if (cdx_search(ix, query, &opt, &res, &err) != CDX_OK) {
    cli_search_fail(query, &err);
    cdx_index_close(ix);
    free(query);
    return CLI_ERROR;
  }
  const cdx_facet *listed = cdx_results_facet(res, 0), *lead = cdx_results_facet(res, 1);
  row *rows = calloc(listed->n_values + 1, sizeof *rows);
  char **bufs = calloc(listed->n_values + 1, sizeof *bufs);
  status = rows && bufs ? CLI_OK : cli_fail("out of memory");
  for (size_t i = 0; i < listed->n_values && status == CLI_OK; i++) {
    if (!split(listed->values[i].value, &bufs[i], &rows[i].place, &rows[i].dept)) {
      status = cli_fail("out of memory");
      break;
    }
    rows[i].listed = listed->values[i].count;
    /* a lead is always listed, so its pair is among the listed ones */
    for (size_t k = 0; k < lead->n_values; k++)
      if (strcmp(lead->values[k].value, listed->values[i].value) == 0)
        rows[i].lead = lead->values[k].count;
  }
  size_t n = status == CLI_OK ? listed->n_values : 0;
  if (n > 1) qsort(rows, n, sizeof *rows, cmp_row);
  for (size_t i = 0; i < n; i++) {
    if (json) {
      char *js = NULL;
      size_t jl = 0;
      int rc = cdx_dept_row_to_json(rows[i].place, rows[i].dept, rows[i].listed, rows[i].lead, &js,
                                    &jl, &err);
      if ((status = cli_json_line(rc, js, jl, &err)) != CLI_OK) break;
    } else {
      if (i == 0 || strcmp(rows[i].place, rows[i - 1].place) != 0)
        printf("%s%s\n  %6s %6s  department\n", i ? "\n" : "", rows[i].place, "listed", "leads");
      printf("  %6zu %6zu  %s\n", rows[i].listed, rows[i].lead, rows[i].dept);
    }
  }
  if (status == CLI_OK && n == 0) {
    if (!json) printf("no departments in the units selected\n");
    status = CLI_NOMATCH;
  }
  for (size_t i = 0; bufs && i < listed->n_values; i++) free(bufs[i]);
  free(bufs);
  free(rows);
  cdx_results_free(res);
  cdx_index_close(ix);
  free(query);
  return status;
}
