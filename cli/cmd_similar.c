/* clausedex similar: the units most like a clause, across the index. */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli/cli.h"

struct args {
  const char *index;
  size_t limit;
  bool latest, json, text;
  double min;
};

static const cli_option options[] = {
    CLI_OPT_INDEX(struct args),
    {"limit", 'n', CLI_OPT_POSITIVE, offsetof(struct args, limit), "K",
     "units to show (default 10)", NULL, NULL, 0},
    CLI_OPT_LATEST(struct args, "only the latest version of each policy family"),
    {"min", 0, CLI_OPT_FRACTION, offsetof(struct args, min), "X",
     "least similarity shown (default 0.30)", NULL, NULL, 0},
    {"text", 0, CLI_OPT_FLAG, offsetof(struct args, text), NULL,
     "take the argument as text even if it has a '#'", NULL, NULL, 0},
    CLI_OPT_JSON(struct args, "one JSON object per unit: the search hit keys plus similarity"),
    CLI_OPT_END,
};

static const cli_command spec = {
    "similar",
    "[OPTIONS] CITATION|TEXT [FILTER...]",
    "Lists the units of the whole index most similar to a clause (across\n"
    "jurisdictions and versions), most similar first: which counties adopted a\n"
    "city's clause, where a text came from. CITATION is DOC#NUMBER as for\n"
    "clausedex show (温政发〔2025〕2号#（十七）, 002#17); anything without a '#'\n"
    "is matched as TEXT, and - reads the text from standard input. FILTERs are\n"
    "search filters: jurisdiction:温州市 status:final edition:2025 ...\n",
    options,
    "Exit status: 0 when something similar was found, 1 when nothing was, 2 on an\n"
    "error (unknown document or clause, bad filter).\n",
    CLI_DASH_OPERANDS,
    1,
    -1};

int cmd_similar(int argc, char **argv) {
  struct args a = {0};
  int nops, status = cli_parse(&spec, argc, argv, &a, &nops);
  if (status != CLI_GO_ON) return status;
  status = CLI_OK;
  cdx_similar_options opt = {.k = a.limit, .latest = a.latest, .min_similarity = a.min};
  const char *what = argv[1], *dir = a.index;
  bool json = cli_json_mode = a.json, as_text = a.text;
  char *filter = cli_join(argv + 2, nops - 1);
  if (!filter) return cli_fail("out of memory");
  size_t flen = strlen(filter);
  char *text = NULL;
  size_t tlen = 0;
  if (strcmp(what, "-") == 0) {
    text = cli_read_stdin(&tlen);
    if (!text) status = cli_fail("reading standard input failed");
    as_text = true;
  } else if (as_text || !strchr(what, '#')) {
    text = strdup(what);
    tlen = text ? strlen(text) : 0;
    if (!text) status = cli_fail("out of memory");
    as_text = true;
  }
  opt.filter = flen ? filter : NULL;
  cdx_error err;
  cdx_index *ix = NULL;
  if (status == CLI_OK) status = cli_open_index(cli_search_index_dir(dir), &ix);
  cdx_similar_results *res = NULL;
  if (status == CLI_OK) {
    int rc = cdx_similar(ix, as_text ? NULL : what, as_text ? text : NULL, tlen, &opt, &res, &err);
    if (rc == CDX_SYNTAX && opt.filter) {
      cli_search_query_error(opt.filter, &err);
      status = CLI_ERROR;
    } else if (rc) {
      status = cli_fail_err(&err);
    }
  }
  if (status == CLI_OK) {
    const cdx_hit *src = cdx_similar_source(res);
    if (!json && src) {
      fputs("similar to: ", stdout);
      cli_search_print_header(src, false);
      fputs("    ", stdout);
      cli_print_unit_label(stdout, src);
      fputs("\n\n", stdout);
    }
    size_t n = cdx_similar_count(res);
    for (size_t i = 0; i < n && status == CLI_OK; i++) {
      const cdx_similar_hit *s = cdx_similar_get(res, i);
      if (json) {
        char *js = NULL;
        size_t jl = 0;
        if (cdx_hit_to_json(s->hit, &js, &jl, &err) != CDX_OK) {
          status = cli_fail_err(&err);
          break;
        }
        printf("{\"type\":\"match\",\"similarity\":%.4f,", s->similarity);
        fwrite(js + 1, 1, jl - 1, stdout);
        putchar('\n');
        cdx_free(js);
        continue;
      }
      printf("%2zu. %.2f  ", i + 1, s->similarity);
      cli_search_print_header(s->hit, false);
      fputs("          ", stdout);
      cli_print_unit_label(stdout, s->hit);
      putchar('\n');
    }
    if (status == CLI_OK && n == 0) {
      if (!json) printf("nothing similar found\n");
      status = CLI_NOMATCH;
    }
  }
  cdx_similar_free(res);
  cdx_index_close(ix);
  free(text);
  free(filter);
  return status;
}
