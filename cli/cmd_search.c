/* clausedex search: ranked clauses for a query, with highlighted snippets. */
#define _POSIX_C_SOURCE 200809L
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "cli/cli.h"

struct args {
  const char *index, *color, *sort, *facets;
  size_t limit, offset, context, facet_limit, timeout;
  bool all, count, quiet, files, json, latest, versions, explain;
};

#define NO_CONTEXT SIZE_MAX /* -C not given */

static const cli_option options[] = {
    CLI_OPT_INDEX(struct args),
    {"limit", 'n', CLI_OPT_POSITIVE, offsetof(struct args, limit), "K", "hits to show (default 10)",
     NULL, NULL, 0},
    {"offset", 0, CLI_OPT_COUNT, offsetof(struct args, offset), "N", "skip the first N ranked hits",
     NULL, NULL, 0},
    {"all", 0, CLI_OPT_FLAG, offsetof(struct args, all), NULL, "show every matching clause", NULL,
     NULL, 0},
    {"count", 'c', CLI_OPT_FLAG, offsetof(struct args, count), NULL,
     "print only the exact number of matching clauses", NULL, NULL, 0},
    {"files-with-matches", 'l', CLI_OPT_FLAG, offsetof(struct args, files), NULL,
     "print only the ids of the documents with a match, best first", NULL, NULL, 0},
    {"quiet", 'q', CLI_OPT_FLAG, offsetof(struct args, quiet), NULL,
     "print nothing: the exit status says it all", NULL, NULL, 0},
    {"context", 'C', CLI_OPT_COUNT, offsetof(struct args, context), "N",
     "N characters of text around each match (default: 30 before\nthe first match, 80 after it)",
     NULL, NULL, 100000},
    CLI_OPT_COLOR(struct args),
    CLI_OPT_JSON(struct args, "JSON Lines as ripgrep's: begin, match, end per document,\na summary "
                              "(docs/JSON.md); with -c the summary only"),
    {"latest", 0, CLI_OPT_FLAG, offsetof(struct args, latest), NULL,
     "only the latest version of each policy family\n(newest edition, then final > 送审稿 > "
     "征求意见稿)",
     NULL, NULL, 0},
    {"versions", 0, CLI_OPT_FLAG, offsetof(struct args, versions), NULL,
     "under each hit, the other versions of its family", NULL, NULL, 0},
    {"explain", 0, CLI_OPT_FLAG, offsetof(struct args, explain), NULL,
     "print the parsed query before the hits, and under each hit\nthe departments (as written = "
     "canonical) that satisfied a\ndept:/lead:/chapter_lead: filter and the figures "
     "that\nsatisfied a figure filter",
     NULL, NULL, 0},
    {"sort", 0, CLI_OPT_STRING, offsetof(struct args, sort), "KEY",
     "score (default), amount (largest sum in 元 first), date or\nedition (newest first)",
     "score,amount,date,edition", NULL, 0},
    {"facet", 0, CLI_OPT_STRING, offsetof(struct args, facets), "LIST",
     "after the hits, exact counts over all matches of each facet:\ndept, lead, jurisdiction, "
     "status, "
     "edition, year",
     NULL, NULL, 0},
    {"facet-limit", 0, CLI_OPT_POSITIVE, offsetof(struct args, facet_limit), "N",
     "values shown per facet (default 10)", NULL, NULL, 0},
    {"timeout", 0, CLI_OPT_POSITIVE, offsetof(struct args, timeout), "MS",
     "give up after MS milliseconds (exit 2, \"time limit\")", NULL, NULL, UINT_MAX},
    CLI_OPT_END,
};

static const cli_command spec = {
    "search",
    "[OPTIONS] QUERY...",
    "Searches the index for clauses matching QUERY (the operands joined by spaces;\n"
    "language in docs/QUERY.md): words are ANDed, OR, NOT word or -word, (groups),\n"
    "\"exact phrase\", and filters jurisdiction: status: edition: date: doc: kind:,\n"
    "dept: lead: chapter_lead: (canonical department names, NAME* a prefix) and\n"
    "amount:>=100万 amount:1亿..5亿 percent:>=50 count:>=10家 amount.kind:奖励.\n\n"
    "Options may come anywhere. An argument starting with one '-' is an option\n"
    "when it is made of this command's short options (-n5, -c, -C20); otherwise\n"
    "it is a query word (-住房 excludes 住房) after the first query word, or\n"
    "anywhere when a Chinese character follows the '-'. After '--' everything is\n"
    "query.\n",
    options,
    "Matches are shown in colour on a terminal; otherwise the text is printed as\n"
    "it is in the document (newlines as spaces). Exit status: 0 when something\n"
    "matched, 1 when nothing did, 2 on an error (as grep).\n",
    CLI_DASH_OPERANDS,
    1,
    -1};

/* Display columns of s[0..n): East Asian wide characters take two. */
static size_t display_width(const char *s, size_t n) {
  size_t w = 0;
  for (size_t i = 0; i < n;) {
    unsigned char c = (unsigned char)s[i];
    unsigned cp;
    size_t len;
    if (c < 0x80) {
      cp = c;
      len = 1;
    } else if ((c & 0xE0) == 0xC0) {
      cp = c & 0x1F;
      len = 2;
    } else if ((c & 0xF0) == 0xE0) {
      cp = c & 0x0F;
      len = 3;
    } else {
      cp = c & 0x07;
      len = 4;
    }
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

int cli_search_fail(const char *query, const cdx_error *err) {
  if (err->code == CDX_SYNTAX || err->code == CDX_ENCODING || err->code == CDX_LIMIT)
    cli_search_query_error(query, err);
  else cli_fail_err(err);
  return CLI_ERROR;
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

/* Moves i forward past n characters (or to len). */
static size_t chars_after(const char *s, size_t len, size_t i, size_t n) {
  while (i < len && n > 0) {
    i++;
    while (i < len && ((unsigned char)s[i] & 0xC0) == 0x80) i++;
    n--;
  }
  return i;
}

/* Moves i back past n characters (or to 0). */
static size_t chars_before(const char *s, size_t i, size_t n) {
  while (i > 0 && n > 0) {
    i = char_floor(s, i - 1);
    n--;
  }
  return i;
}

static void put_marked(const cdx_hit *h, size_t a, size_t b, size_t *next, bool color) {
  size_t at = a;
  for (size_t i = *next; i < h->n_highlights; i++) {
    size_t s = h->highlights[i][0], e = h->highlights[i][1];
    if (e <= at) continue;
    if (s >= b) break;
    if (s < at) s = at;
    if (e > b) e = b;
    put_range(h->text, at, s, true);
    if (color) fputs("\033[1;31m", stdout);
    put_range(h->text, s, e, true);
    if (color) fputs("\033[0m", stdout);
    at = e;
    *next = i;
  }
  put_range(h->text, at, b, true);
}

/* The text around the matches, matches in colour when asked. Without
 * context, one window around the first match; with it, `context`
 * characters either side of each match, windows that touch merged. */
static void print_snippet(const cdx_hit *h, bool color, bool context_given, size_t context) {
  fputs("    ", stdout);
  size_t first = h->n_highlights ? h->highlights[0][0] : 0;
  if (!context_given || !h->n_highlights) {
    size_t a = chars_before(h->text, first, 30), b = chars_after(h->text, h->text_len, first, 80);
    /* A match cut by the window's end would show a word the user did not type. */
    for (size_t i = 0; i < h->n_highlights && h->highlights[i][0] < b; i++)
      if (h->highlights[i][1] > b) b = h->highlights[i][1];
    size_t next = 0;
    if (a > 0) fputs("…", stdout);
    put_marked(h, a, b, &next, color);
    if (b < h->text_len) fputs("…", stdout);
    putchar('\n');
    return;
  }
  size_t next = 0, shown = 0;
  for (size_t i = 0; i < h->n_highlights;) {
    size_t a = chars_before(h->text, h->highlights[i][0], context);
    size_t b = chars_after(h->text, h->text_len, h->highlights[i][1], context);
    size_t j = i + 1;
    for (; j < h->n_highlights && h->highlights[j][0] <= b; j++)
      b = chars_after(h->text, h->text_len, h->highlights[j][1], context);
    if (a > shown || (a > 0 && i == 0)) fputs("…", stdout);
    if (a < shown) a = shown;
    put_marked(h, a, b, &next, color);
    shown = b;
    i = j;
  }
  if (shown < h->text_len) fputs("…", stdout);
  putchar('\n');
}

static const char *status_label(cdx_doc_status s) {
  return s == CDX_STATUS_FINAL                ? "final"
         : s == CDX_STATUS_DRAFT_FOR_APPROVAL ? "送审稿"
                                              : "征求意见稿";
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

/* 责任单位: the departments as written, the lead first (it is listed first). */
static void print_depts(const cdx_hit *h) {
  for (size_t i = 0; i < h->n_responsible; i++)
    printf("%s%s", i ? "、" : "    责任单位：", h->responsible[i]);
  if (h->n_responsible) putchar('\n');
}

/* --explain: the departments a dept:/lead:/chapter_lead: filter matched,
 * as written and canonical, and the figures a figure filter matched. */
static void print_matched(const cdx_hit *h) {
  for (size_t i = 0; i < h->n_departments; i++)
    if (h->departments[i].matched)
      printf("    matched department: %s = %s\n", h->departments[i].written,
             h->departments[i].canonical);
  for (size_t i = 0; i < h->n_figures; i++) {
    const cdx_hit_figure *f = &h->figures[i];
    if (!f->matched) continue;
    printf("    matched figure: %.*s = %s %.15g", (int)(f->end - f->start), h->text + f->start,
           f->qual, f->lo);
    if (f->hi != f->lo) printf("..%.15g", f->hi);
    printf(" %s%s%s\n", f->unit, *f->kind ? ", kind " : "", f->kind);
  }
}

/* A facet after the hits: "facet dept (12 values)" then "  count value";
 * with --json its {"type":"facet",...} record. */
static int print_facet(const cdx_facet *f, bool json, int status) {
  if (json) {
    char *js = NULL;
    size_t jl = 0;
    cdx_error err;
    int rc = cdx_facet_to_json(f, &js, &jl, &err);
    int st = cli_json_line(rc, js, jl, &err);
    return st == CLI_OK ? status : st;
  }
  printf("facet %s (%zu values)\n", f->name, f->n_distinct);
  for (size_t i = 0; i < f->n_values; i++)
    printf("  %6zu  %s\n", f->values[i].count, f->values[i].value);
  return status;
}

/* -l: each document with a match once, in the order of its best hit (the
 * hits sorted by document, then each document's first rank kept). */
typedef struct doc_rank {
  const char *doc;
  size_t rank;
} doc_rank;

static int by_doc(const void *x, const void *y) {
  const doc_rank *a = x, *b = y;
  int c = strcmp(a->doc, b->doc);
  return c ? c : (a->rank > b->rank) - (a->rank < b->rank);
}

static int by_rank(const void *x, const void *y) {
  const doc_rank *a = x, *b = y;
  return (a->rank > b->rank) - (a->rank < b->rank);
}

static int print_documents(const cdx_results *res) {
  size_t n = cdx_results_count(res), m = 0;
  doc_rank *v = malloc((n ? n : 1) * sizeof *v);
  if (!v) return cli_fail("out of memory");
  for (size_t k = 0; k < n; k++) v[k] = (doc_rank){cdx_results_get(res, k)->doc, k};
  qsort(v, n, sizeof *v, by_doc);
  for (size_t k = 0; k < n; k++)
    if (m == 0 || strcmp(v[m - 1].doc, v[k].doc) != 0) v[m++] = v[k];
  qsort(v, m, sizeof *v, by_rank);
  for (size_t k = 0; k < m; k++) puts(v[k].doc);
  free(v);
  return CLI_OK;
}

static double now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* One match record: the hit's keys and its matches as ripgrep's
 * submatches (byte offsets into text). */
static int print_match(const cdx_hit *h) {
  char *js = NULL;
  size_t jl = 0;
  cdx_error err;
  if (cdx_hit_to_json(h, &js, &jl, &err) != CDX_OK) return cli_fail_err(&err);
  printf("{\"type\":\"match\",");
  fwrite(js + 1, 1, jl - 2, stdout);
  fputs(",\"submatches\":[", stdout);
  for (size_t i = 0; i < h->n_highlights; i++) {
    size_t a = h->highlights[i][0], b = h->highlights[i][1];
    fputs(i ? ",{\"match\":{\"text\":" : "{\"match\":{\"text\":", stdout);
    cli_json_str(stdout, h->text + a, b - a);
    printf("},\"start\":%zu,\"end\":%zu}", a, b);
  }
  fputs("]}\n", stdout);
  cdx_free(js);
  return CLI_OK;
}

/* --json: ripgrep's stream (docs/JSON.md). The ranked hits are grouped by
 * document, documents in the order of their best hit: a begin record, the
 * document's matches in rank order, an end record; then one summary. */
static int print_json(const cdx_results *res, const char *query, size_t offset, double t0) {
  size_t n = cdx_results_count(res);
  doc_rank *v = malloc((n ? n : 1) * sizeof *v);
  doc_rank *groups = malloc((n ? n : 1) * sizeof *groups); /* .rank: the best; .doc: unused */
  size_t *start = malloc((n ? n : 1) * sizeof *start);
  if (!v || !groups || !start) {
    free(v);
    free(groups);
    free(start);
    return cli_fail("out of memory");
  }
  for (size_t k = 0; k < n; k++) v[k] = (doc_rank){cdx_results_get(res, k)->doc, k};
  qsort(v, n, sizeof *v, by_doc); /* each document's hits together, best first */
  size_t m = 0;
  for (size_t k = 0; k < n; k++)
    if (k == 0 || strcmp(v[k - 1].doc, v[k].doc) != 0) {
      groups[m] = (doc_rank){v[k].doc, v[k].rank};
      start[v[k].rank] = k; /* the best hit's index names its group */
      m++;
    }
  qsort(groups, m, sizeof *groups, by_rank);
  int status = CLI_OK;
  for (size_t g = 0; g < m && status == CLI_OK; g++) {
    const doc_rank *d = &v[start[groups[g].rank]];
    const cdx_hit *h0 = cdx_results_get(res, d->rank);
    char *js = NULL;
    size_t jl = 0;
    cdx_error err;
    if (cdx_hit_doc_to_json(h0, &js, &jl, &err) != CDX_OK) {
      status = cli_fail_err(&err);
      break;
    }
    cli_json_typed("begin", js, jl, NULL);
    cdx_free(js);
    size_t k = 0;
    for (; d + k < v + n && strcmp(d[k].doc, d->doc) == 0 && status == CLI_OK; k++)
      status = print_match(cdx_results_get(res, d[k].rank));
    fputs("{\"type\":\"end\",\"doc\":", stdout);
    cli_json_cstr(stdout, d->doc);
    printf(",\"matches\":%zu}\n", k);
  }
  free(v);
  free(groups);
  free(start);
  if (status != CLI_OK) return status;
  fputs("{\"type\":\"summary\",\"query\":", stdout);
  cli_json_cstr(stdout, query);
  printf(",\"total\":%zu,\"shown\":%zu,\"offset\":%zu,\"documents\":%zu,\"elapsed_ms\":%.3f}\n",
         cdx_results_total(res), n, offset, m, now_ms() - t0);
  return CLI_OK;
}

int cmd_search(int argc, char **argv) {
  double t0 = now_ms();
  struct args a = {.context = NO_CONTEXT};
  int nq, status = cli_parse(&spec, argc, argv, &a, &nq);
  if (status != CLI_GO_ON) return status;
  bool color = false;
  if (cli_color_parse(a.color, STDOUT_FILENO, &color) != CLI_OK) return CLI_ERROR;
  cdx_search_options opt = {.k = a.limit,
                            .offset = a.offset,
                            .all = a.all || a.files,
                            .latest = a.latest,
                            .count_only = a.count || a.quiet,
                            .facets = a.facets,
                            .facet_limit = a.facet_limit,
                            .timeout_ms = (unsigned)a.timeout,
                            /* -l prints document ids: no stored text to
                               inflate (13.7 -> 1.9 ms for 160 matches) */
                            .no_stored = a.files};
  if (a.sort) cdx_sort_from_name(a.sort, &opt.sort); /* the parser checked the choices */
  bool json = a.json, explain = a.explain;
  cli_json_mode = json;
  char *query = cli_join(argv + 1, nq);
  if (!query) return cli_fail("out of memory");
  cdx_error err;
  if (explain) {
    char *d = NULL;
    if (cdx_query_describe(query, &d, &err) != CDX_OK) {
      cli_search_query_error(query, &err);
      free(query);
      return CLI_ERROR;
    }
    if (json) { /* a record, so that the output stays JSON Lines */
      fputs("{\"type\":\"explain\",\"query\":", stdout);
      cli_json_cstr(stdout, query);
      fputs(",\"parsed\":", stdout);
      cli_json_cstr(stdout, d);
      puts("}");
    } else {
      printf("query: %s\n", d);
    }
    cdx_free(d);
  }
  cdx_index *ix = NULL;
  if (cli_open_index(cli_search_index_dir(a.index), &ix) != CLI_OK) {
    free(query);
    return CLI_ERROR;
  }
  cdx_results *res = NULL;
  if (cdx_search(ix, query, &opt, &res, &err) != CDX_OK) {
    cli_search_fail(query, &err);
    cdx_index_close(ix);
    free(query);
    return CLI_ERROR;
  }
  size_t total = cdx_results_total(res), n = cdx_results_count(res);
  status = total ? CLI_OK : CLI_NOMATCH;
  if (a.quiet) {
    /* the exit status says it */
  } else if (a.count && !json) {
    printf("%zu\n", total);
  } else if (a.files) {
    if (print_documents(res) != CLI_OK) status = CLI_ERROR;
  } else if (json) {
    if (print_json(res, query, opt.offset, t0) != CLI_OK) status = CLI_ERROR;
  } else {
    cdx_families *fam = NULL;
    if (a.versions && cdx_families_collect(ix, &fam, &err) != CDX_OK) status = cli_fail_err(&err);
    for (size_t k = 0; k < n; k++) {
      const cdx_hit *h = cdx_results_get(res, k);
      printf("%zu. ", h->rank);
      cli_search_print_header(h, true);
      fputs("    ", stdout);
      if (h->kind != CDX_UNIT_CLAUSE) printf("[%s] ", cdx_unit_kind_name(h->kind));
      if (h->number) printf("%s ", h->number);
      if (h->heading) fputs(h->heading, stdout);
      putchar('\n');
      print_snippet(h, color, a.context != NO_CONTEXT, a.context);
      print_depts(h);
      if (explain) print_matched(h);
      if (fam) cli_print_versions(fam, h->doc, "    ");
    }
    cdx_families_free(fam);
    if (total == 0) printf("no matching clauses\n");
    else if (n == 0) printf("%zu matching clauses (none shown at offset %zu)\n", total, opt.offset);
    else
      printf("%zu matching clauses, showing %zu-%zu\n", total, cdx_results_get(res, 0)->rank,
             cdx_results_get(res, n - 1)->rank);
  }
  for (size_t f = 0; f < cdx_results_facet_count(res) && status != CLI_ERROR && !a.quiet; f++)
    status = print_facet(cdx_results_facet(res, f), json, status);
#ifdef CDX_CLI_FAST_EXIT
  /* The command ends the process right after: unmapping each segment here
   * (page tables, TLB shootdowns) cost ~8% of a rare-word search, which the
   * kernel's teardown at exit does wholesale. Builds under a leak checker
   * do not define this (cli/sources.cmake). */
  (void)res;
#else
  cdx_results_free(res);
  cdx_index_close(ix);
#endif
  free(query);
  return status;
}
