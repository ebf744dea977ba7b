/* clausedex search: ranked clauses for a query, with highlighted snippets. */
#define _POSIX_C_SOURCE 200809L
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "cli/cli.h"

static const char usage[] =
    "usage: clausedex search [-i DIR] [-n K] [--offset N] [--all] [--count] [--json]\n"
    "                        [--latest] [--explain] [--timeout MS] QUERY...\n\n"
    "Searches the index for clauses matching QUERY (the arguments joined by spaces;\n"
    "language in docs/QUERY.md): words are ANDed, OR, NOT word or -word, (groups),\n"
    "\"exact phrase\", and filters jurisdiction: status: edition: date: doc: dept: kind:.\n\n"
    "Options:\n"
    "  -i DIR      index directory (default $CLAUSEDEX_INDEX or ./clausedex-index)\n"
    "  -n K        hits to show (default 10)\n"
    "  --offset N  skip the first N ranked hits\n"
    "  --all       show every matching clause\n"
    "  --count     print only the exact number of matching clauses\n"
    "  --json      one JSON object per hit\n"
    "  --latest    only the latest version of each policy\n"
    "  --explain   print the parsed query before the hits\n"
    "  --timeout MS  give up after MS milliseconds (exit 2, \"time limit\")\n\n"
    "Matches are shown in colour on a terminal (unless NO_COLOR is set), between\n"
    "【 and 】 otherwise. Exit status: 0 when something matched, 1 when nothing\n"
    "did, 2 on an error (as grep).\n";

/* Display columns of s[0..n): East Asian wide characters take two. */
static size_t display_width(const char *s, size_t n) {
  size_t w = 0;
  for (size_t i = 0; i < n;) {
    unsigned char c = (unsigned char)s[i];
    unsigned cp;
    size_t len;
    if (c < 0x80) { cp = c; len = 1; }
    else if ((c & 0xE0) == 0xC0) { cp = c & 0x1F; len = 2; }
    else if ((c & 0xF0) == 0xE0) { cp = c & 0x0F; len = 3; }
    else { cp = c & 0x07; len = 4; }
    for (size_t k = 1; k < len && i + k < n; k++) cp = (cp << 6) | ((unsigned char)s[i + k] & 0x3F);
    i += len;
    bool wide = (cp >= 0x1100 && cp <= 0x115F) || (cp >= 0x2E80 && cp <= 0xA4CF) ||
                (cp >= 0xAC00 && cp <= 0xD7A3) || (cp >= 0xF900 && cp <= 0xFAFF) ||
                (cp >= 0xFE30 && cp <= 0xFE4F) || (cp >= 0xFF00 && cp <= 0xFF60) ||
                (cp >= 0xFFE0 && cp <= 0xFFE6) || cp >= 0x20000;
    w += wide ? 2 : 1;
  }
  return w;
}

void cli_search_query_error(const char *query, const cdx_error *err) {
  cli_fail_err(err);
  if (err->offset == CDX_NO_OFFSET || err->offset > strlen(query)) return;
  fprintf(stderr, "  %s\n  %*s^\n", query, (int)display_width(query, err->offset), "");
}

/* Moves i back/forward to a UTF-8 character boundary. */
static size_t char_floor(const char *s, size_t i) {
  while (i > 0 && ((unsigned char)s[i] & 0xC0) == 0x80) i--;
  return i;
}

static void put_range(const char *s, size_t a, size_t b, bool newline_as_space) {
  for (size_t i = a; i < b; i++) {
    char c = s[i];
    if (newline_as_space && (c == '\n' || c == '\r' || c == '\t')) c = ' ';
    putchar(c);
  }
}

/* A window of the text around the first highlight, matches marked. */
static void print_snippet(const cdx_hit *h, bool color) {
  const size_t before = 90, after = 240; /* bytes: ~30 and ~80 CJK characters */
  size_t first = h->n_highlights ? h->highlights[0][0] : 0;
  size_t a = first > before ? char_floor(h->text, first - before) : 0;
  size_t b = first + after < h->text_len ? char_floor(h->text, first + after) : h->text_len;
  /* A match cut by the window's end would show a word the user did not type. */
  for (size_t i = 0; i < h->n_highlights && h->highlights[i][0] < b; i++)
    if (h->highlights[i][1] > b) b = h->highlights[i][1];
  const char *on = color ? "\033[1;31m" : "【", *off = color ? "\033[0m" : "】";
  fputs("    ", stdout);
  if (a > 0) fputs("…", stdout);
  size_t at = a;
  for (size_t i = 0; i < h->n_highlights; i++) {
    size_t s = h->highlights[i][0], e = h->highlights[i][1];
    if (e <= at) continue;
    if (s >= b) break;
    if (s < at) s = at;
    if (e > b) e = b;
    put_range(h->text, at, s, true);
    fputs(on, stdout);
    put_range(h->text, s, e, true);
    fputs(off, stdout);
    at = e;
  }
  put_range(h->text, at, b, true);
  if (b < h->text_len) fputs("…", stdout);
  putchar('\n');
}

static const char *status_label(cdx_doc_status s) {
  return s == CDX_STATUS_FINAL ? "final" : s == CDX_STATUS_DRAFT_FOR_APPROVAL ? "送审稿" : "征求意见稿";
}

void cli_search_print_header(const cdx_hit *h, bool with_score) {
  printf("%s", h->title && *h->title ? h->title : h->doc);
  if (h->jurisdiction) printf(" · %s", h->jurisdiction);
  printf(" · %s", status_label(h->status));
  if (h->edition) printf(" · %d", h->edition);
  if (h->doc_number) printf(" · %s", h->doc_number);
  if (with_score) printf("  [%.3f]", h->score);
  putchar('\n');
}

static bool parse_size(const char *s, size_t *out) {
  char *end;
  if (!s || !*s || *s == '-') return false;
  unsigned long long v = strtoull(s, &end, 10);
  if (*end) return false;
  *out = (size_t)v;
  return true;
}

int cmd_search(int argc, char **argv) {
  const char *dir = NULL;
  cdx_search_options opt = {0};
  bool json = false, explain = false;
  size_t qcap = 256, qlen = 0;
  char *query = malloc(qcap);
  if (!query) return cli_fail("out of memory");
  query[0] = '\0';
  /* Options may come anywhere (as with grep); any other argument is part of
   * the query, so "-word" after the first query word is an exclusion. Before
   * it, an unknown "--option" is an error; "--" ends the options. */
  bool opts_done = false;
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i];
    bool is_opt = !opts_done && a[0] == '-';
    if (is_opt && strcmp(a, "--") == 0) { opts_done = true; continue; }
    if (is_opt && cli_is_help(a)) { fputs(usage, stdout); free(query); return CLI_OK; }
    else if (is_opt && strcmp(a, "--timeout") == 0) {
      size_t ms = 0;
      if (i + 1 >= argc || !parse_size(argv[++i], &ms) || ms == 0 || ms > UINT_MAX) {
        free(query);
        return cli_fail("--timeout needs a positive number of milliseconds");
      }
      opt.timeout_ms = (unsigned)ms;
      continue;
    }
    else if (is_opt && (strcmp(a, "-i") == 0 || strcmp(a, "-n") == 0 || strcmp(a, "--offset") == 0)) {
      if (i + 1 >= argc) { free(query); return cli_fail("%s needs a value", a); }
      const char *v = argv[++i];
      if (a[1] == 'i') dir = v;
      else if (a[1] == 'n') {
        if (!parse_size(v, &opt.k) || opt.k == 0) { free(query); return cli_fail("-n needs a positive number"); }
      } else if (!parse_size(v, &opt.offset)) { free(query); return cli_fail("--offset needs a number"); }
      continue;
    }
    else if (is_opt && strcmp(a, "--all") == 0) { opt.all = 1; continue; }
    else if (is_opt && strcmp(a, "--count") == 0) { opt.count_only = 1; continue; }
    else if (is_opt && strcmp(a, "--json") == 0) { json = true; continue; }
    else if (is_opt && strcmp(a, "--latest") == 0) { opt.latest = 1; continue; }
    else if (is_opt && strcmp(a, "--explain") == 0) { explain = true; continue; }
    else if (is_opt && qlen == 0 && a[1] == '-') {
      free(query);
      return cli_fail("unknown option '%s' (see clausedex search --help)", a);
    }
    size_t n = strlen(a);
    if (qlen + n + 2 > qcap) {
      qcap = (qlen + n + 2) * 2;
      char *p = realloc(query, qcap);
      if (!p) { free(query); return cli_fail("out of memory"); }
      query = p;
    }
    if (qlen) query[qlen++] = ' ';
    memcpy(query + qlen, a, n + 1);
    qlen += n;
  }
  if (qlen == 0) { free(query); fputs(usage, stderr); return cli_fail("missing QUERY"); }
  cdx_error err;
  if (explain) {
    char *d = NULL;
    if (cdx_query_describe(query, &d, &err) != CDX_OK) {
      cli_search_query_error(query, &err);
      free(query);
      return CLI_ERROR;
    }
    printf("query: %s\n", d);
    cdx_free(d);
  }
  cdx_index *ix = NULL;
  if (cdx_index_open(cli_search_index_dir(dir), &ix, &err) != CDX_OK) { free(query); return cli_fail_err(&err); }
  cdx_results *res = NULL;
  if (cdx_search(ix, query, &opt, &res, &err) != CDX_OK) {
    if (err.code == CDX_SYNTAX || err.code == CDX_ENCODING || err.code == CDX_LIMIT) cli_search_query_error(query, &err);
    else cli_fail_err(&err);
    cdx_index_close(ix);
    free(query);
    return CLI_ERROR;
  }
  size_t total = cdx_results_total(res), n = cdx_results_count(res);
  int status = total ? CLI_OK : CLI_NOMATCH;
  if (opt.count_only) {
    printf("%zu\n", total);
  } else if (json) {
    for (size_t k = 0; k < n && status != CLI_ERROR; k++) {
      char *js = NULL;
      size_t jl = 0;
      if (cdx_hit_to_json(cdx_results_get(res, k), &js, &jl, &err) != CDX_OK) status = cli_fail_err(&err);
      else { fwrite(js, 1, jl, stdout); putchar('\n'); }
      cdx_free(js);
    }
  } else {
    const char *nc = getenv("NO_COLOR");
    bool color = isatty(STDOUT_FILENO) && !(nc && *nc);
    for (size_t k = 0; k < n; k++) {
      const cdx_hit *h = cdx_results_get(res, k);
      printf("%zu. ", h->rank);
      cli_search_print_header(h, true);
      fputs("    ", stdout);
      if (h->kind != CDX_UNIT_CLAUSE) printf("[%s] ", cdx_unit_kind_name(h->kind));
      if (h->number) printf("%s ", h->number);
      if (h->heading) fputs(h->heading, stdout);
      putchar('\n');
      print_snippet(h, color);
    }
    if (total == 0) printf("no matching clauses\n");
    else if (n == 0) printf("%zu matching clauses (none shown at offset %zu)\n", total, opt.offset);
    else printf("%zu matching clauses, showing %zu-%zu\n", total, cdx_results_get(res, 0)->rank,
                cdx_results_get(res, n - 1)->rank);
  }
  cdx_results_free(res);
  cdx_index_close(ix);
  free(query);
  return status;
}
