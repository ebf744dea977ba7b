/* clausedex similar: the units most like a clause, across the index. */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli/cli.h"

static const char usage[] =
    "usage: clausedex similar [OPTIONS] CITATION|TEXT [FILTER...]\n\n"
    "Lists the units of the whole index most similar to a clause (across\n"
    "jurisdictions and versions), most similar first: which counties adopted a\n"
    "city's clause, where a text came from. CITATION is DOC#NUMBER as for\n"
    "clausedex show (温政发〔2025〕2号#（十七）, 002#17); anything without a '#'\n"
    "is matched as TEXT, and - reads the text from standard input. FILTERs are\n"
    "search filters: jurisdiction:温州市 status:final edition:2025 ...\n\n"
    "Options:\n"
    "  -i, --index DIR   index directory (default $CLAUSEDEX_INDEX or ./clausedex-index)\n"
    "  -n, --limit K     units to show (default 10)\n"
    "  --latest          only the latest version of each policy family\n"
    "  --min X           least similarity shown (default 0.30)\n"
    "  --text            take the argument as text even if it has a '#'\n"
    "  --json            one JSON object per unit: the search hit keys plus similarity\n\n"
    "Exit status: 0 when something similar was found, 1 when nothing was, 2 on an\n"
    "error (unknown document or clause, bad filter).\n";

static bool parse_size(const char *s, size_t *out) {
  char *end;
  if (!s || !*s || *s == '-') return false;
  unsigned long long v = strtoull(s, &end, 10);
  if (*end || v == 0) return false;
  *out = (size_t)v;
  return true;
}

int cmd_similar(int argc, char **argv) {
  const char *dir = NULL, *what = NULL;
  cdx_similar_options opt = {0};
  bool json = false, as_text = false;
  size_t fcap = 256, flen = 0;
  char *filter = calloc(1, fcap);
  if (!filter) return cli_fail("out of memory");
  int status = CLI_OK;
  for (int i = 1; i < argc && status == CLI_OK; i++) {
    const char *a = argv[i];
    if (cli_is_help(a)) { fputs(usage, stdout); free(filter); return CLI_OK; }
    if ((strcmp(a, "-i") == 0 || strcmp(a, "--index") == 0) && i + 1 < argc) dir = argv[++i];
    else if (strncmp(a, "--index=", 8) == 0) dir = a + 8;
    else if ((strcmp(a, "-n") == 0 || strcmp(a, "--limit") == 0) && i + 1 < argc) {
      if (!parse_size(argv[++i], &opt.k)) status = cli_fail("-n takes a positive number, not '%s'", argv[i]);
    } else if (strcmp(a, "--latest") == 0) opt.latest = 1;
    else if (strcmp(a, "--json") == 0) json = true;
    else if (strcmp(a, "--text") == 0) as_text = true;
    else if (strcmp(a, "--min") == 0 && i + 1 < argc) {
      char *end;
      opt.min_similarity = strtod(argv[++i], &end);
      if (*end || !(opt.min_similarity > 0 && opt.min_similarity <= 1))
        status = cli_fail("--min takes a number in (0, 1], not '%s'", argv[i]);
    } else if (a[0] == '-' && a[1]) status = cli_fail("unknown option '%s' (see clausedex similar --help)", a);
    else if (!what) what = a;
    else {
      size_t n = strlen(a);
      if (flen + n + 2 > fcap) {
        char *p = realloc(filter, fcap = 2 * (flen + n + 2));
        if (!p) { status = cli_fail("out of memory"); break; }
        filter = p;
      }
      if (flen) filter[flen++] = ' ';
      memcpy(filter + flen, a, n + 1);
      flen += n;
    }
  }
  if (status == CLI_OK && !what) { fputs(usage, stderr); status = cli_fail("missing CITATION or TEXT"); }
  char *text = NULL;
  size_t tlen = 0;
  if (status == CLI_OK && strcmp(what, "-") == 0) {
    text = cli_read_stdin(&tlen);
    if (!text) status = cli_fail("reading standard input failed");
    as_text = true;
  } else if (status == CLI_OK && (as_text || !strchr(what, '#'))) {
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
        if (cdx_hit_to_json(s->hit, &js, &jl, &err) != CDX_OK) { status = cli_fail_err(&err); break; }
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
