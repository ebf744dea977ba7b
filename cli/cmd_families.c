/* clausedex families: each policy family with its versions in order. */
#define _POSIX_C_SOURCE 200809L
#include <stdlib.h>
#include <string.h>
#include "cli/cli.h"

struct args {
  const char *index;
  bool json;
};

static const cli_option options[] = {
    CLI_OPT_INDEX(struct args),
    CLI_OPT_JSON(struct args, "one JSON object per family: {\"family\", \"versions\": [...]}"),
    CLI_OPT_END,
};

static const cli_command spec = {
    "families",
    "[OPTIONS] [FILTER...]",
    "Lists each policy family (one issuer's one policy across editions and\n"
    "stages; the rule is in docs/CORPUS.md) with its versions, oldest first:\n"
    "edition, then 征求意见稿 < 送审稿 < final, then date. The latest version is\n"
    "marked. FILTERs are query filters (jurisdiction:乐清市 edition:2025\n"
    "status:final ...): a family is listed when one of its versions matches.\n"
    "A version is cited by its 文号, else by its short id (d + 8 hex digits),\n"
    "which show, diff and similar accept.\n",
    options,
    "Exit status 0, 1 when no family is listed, 2 on an error.\n",
    CLI_DASH_OPERANDS,
    0,
    -1};

/* The documents the filter matches, sorted (NULL filter: every one). */
static int matching(const cdx_index *ix, const char *filter, char ***ids, size_t *n) {
  *ids = NULL;
  *n = 0;
  if (!filter) return CLI_OK;
  cdx_search_options o = {0};
  o.all = 1;
  o.no_highlights = 1;
  cdx_results *res;
  cdx_error err;
  if (cdx_search(ix, filter, &o, &res, &err) != CDX_OK) {
    cli_search_query_error(filter, &err);
    return CLI_ERROR;
  }
  size_t m = cdx_results_count(res);
  *ids = calloc(m ? m : 1, sizeof **ids);
  if (!*ids) return cli_fail("out of memory");
  for (size_t i = 0; i < m; i++) {
    const char *d = cdx_results_get(res, i)->doc;
    bool have = false;
    for (size_t k = 0; k < *n && !have; k++) have = strcmp((*ids)[k], d) == 0;
    if (!have && !((*ids)[(*n)++] = strdup(d))) return cli_fail("out of memory");
  }
  cdx_results_free(res);
  return CLI_OK;
}

static void print_json(const cdx_family *f) {
  char *j;
  size_t n;
  cdx_error err;
  if (cdx_family_to_json(f, &j, &n, &err) != CDX_OK) {
    cli_fail_err(&err);
    return;
  }
  fwrite(j, 1, n, stdout);
  putchar('\n');
  cdx_free(j);
}

static void print_text(const cdx_family *f) {
  printf("%s  (%zu version%s)\n", *f->key ? f->key : "(untitled)", f->n_versions,
         f->n_versions == 1 ? "" : "s");
  for (size_t v = 0; v < f->n_versions; v++) {
    char *cite;
    cdx_error err;
    if (cdx_doc_citation(&f->versions[v], &cite, &err) != CDX_OK) continue;
    const char *base = strrchr(f->versions[v].id, '/');
    printf("  %s  [%s]%s\n", cite, base ? base + 1 : f->versions[v].id,
           f->versions[v].latest ? "  latest" : "");
    cdx_free(cite);
  }
}

int cmd_families(int argc, char **argv) {
  struct args a = {0};
  int nops, status = cli_parse(&spec, argc, argv, &a, &nops);
  if (status != CLI_GO_ON) return status;
  bool json = a.json;
  char *filter = NULL;
  if (nops > 0 && !(filter = cli_join(argv + 1, nops))) return cli_fail("out of memory");
  const char *dir = a.index;
  cdx_index *ix;
  status = cli_open_index(cli_search_index_dir(dir), &ix);
  if (status != CLI_OK) {
    free(filter);
    return status;
  }
  char **ids;
  size_t n_ids;
  status = matching(ix, filter, &ids, &n_ids);
  cdx_families *fam = NULL;
  cdx_error err;
  if (status == CLI_OK && cdx_families_collect(ix, &fam, &err) != CDX_OK)
    status = cli_fail_err(&err);
  size_t shown = 0;
  for (size_t i = 0; status == CLI_OK && i < cdx_families_count(fam); i++) {
    const cdx_family *f = cdx_families_get(fam, i);
    bool keep = !filter;
    for (size_t v = 0; v < f->n_versions && !keep; v++)
      for (size_t k = 0; k < n_ids && !keep; k++) keep = strcmp(ids[k], f->versions[v].id) == 0;
    if (!keep) continue;
    shown++;
    if (json) print_json(f);
    else print_text(f);
  }
  for (size_t k = 0; k < n_ids; k++) free(ids[k]);
  free(ids);
  free(filter);
  cdx_families_free(fam);
  cdx_index_close(ix);
  if (status == CLI_OK && !shown) status = CLI_NOMATCH;
  return status;
}
