/* clausedex log and clausedex changes: the stored change reports of an
 * index's batches (clausedex/release.h, cdx_report_each). */
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "cli/cli.h"

typedef struct log_ctx {
  bool summary_only, json;
  size_t n;
} log_ctx;

static int print_one(void *ctx, uint64_t batch, uint64_t ts, const char *text, size_t len) {
  log_ctx *c = ctx;
  (void)batch;
  (void)ts;
  if (c->json) {
    /* JSON Lines: one report record a line, oldest first (docs/JSON.md) */
    fwrite(text, 1, len, stdout);
    if (!len || text[len - 1] != '\n') putchar('\n');
  } else if (c->summary_only) {
    /* the first line of the Markdown: "# Batch N (time): summary" */
    const char *nl = memchr(text, '\n', len);
    size_t l = nl ? (size_t)(nl - text) : len;
    if (l > 2 && text[0] == '#') fwrite(text + 2, 1, l - 2, stdout);
    else fwrite(text, 1, l, stdout);
    putchar('\n');
  } else {
    if (c->n) putchar('\n');
    fwrite(text, 1, len, stdout);
  }
  c->n++;
  return 0;
}

/* N (a batch) or a date YYYY-MM-DD (UTC midnight). */
static bool parse_since(const char *s, uint64_t *batch, uint64_t *when) {
  *batch = 0;
  *when = 0;
  int y, m, d;
  char tail;
  if (sscanf(s, "%4d-%2d-%2d%c", &y, &m, &d, &tail) == 3 && m >= 1 && m <= 12 && d >= 1 &&
      d <= 31) {
    /* days from the civil date (Howard Hinnant's algorithm): timegm is not C11 */
    y -= m <= 2;
    long era = (y >= 0 ? y : y - 399) / 400;
    long yoe = y - era * 400;
    long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    long days = era * 146097 + doe - 719468;
    if (days < 0) return false;
    *when = (uint64_t)days * 86400u;
    return true;
  }
  char *end;
  unsigned long long v = strtoull(s, &end, 10);
  if (*s < '0' || *s > '9' || *end) return false;
  *batch = v;
  return true;
}

struct args {
  const char *index, *since;
  bool json;
};

static const cli_option log_options[] = {
    CLI_OPT_INDEX(struct args),
    CLI_OPT_JSON(struct args, "the reports as one JSON array (docs/FORMAT.md \"Reports\")"),
    CLI_OPT_END,
};
static const cli_option changes_options[] = {
    CLI_OPT_INDEX(struct args),
    {"since", 0, CLI_OPT_STRING, offsetof(struct args, since), "N|DATE",
     "from batch N on, or committed on or after the day\nYYYY-MM-DD (UTC); required", NULL, NULL,
     0},
    CLI_OPT_JSON(struct args, "the reports as one JSON array (docs/FORMAT.md \"Reports\")"),
    CLI_OPT_END,
};

static const cli_command log_spec = {
    "log",
    "[OPTIONS]",
    "Lists the committed batches of the index that have a change report,\n"
    "oldest first: batch number, commit time (UTC) and what it changed.\n"
    "'clausedex changes --since N' prints the reports in full.\n",
    log_options,
    "Exit status 0, 1 when there is no report, 2 on an error.\n",
    0,
    0,
    0};
static const cli_command changes_spec = {
    "changes",
    "[OPTIONS] --since N|YYYY-MM-DD",
    "Prints the change reports of every batch from batch N on, or committed\n"
    "on or after the date (UTC), oldest first, in Markdown: a weekly release\n"
    "watch is 'clausedex changes --since 2025-03-01'.\n",
    changes_options,
    "Exit status 0, 1 when there is no report, 2 on an error.\n",
    0,
    0,
    0};

static int run(int argc, char **argv, bool changes) {
  struct args a = {0};
  int nops, status = cli_parse(changes ? &changes_spec : &log_spec, argc, argv, &a, &nops);
  if (status != CLI_GO_ON) return status;
  const char *dir = a.index, *since = a.since;
  log_ctx c = {!changes, a.json, 0};
  uint64_t batch = 0, when = 0;
  if (changes && !since) return cli_fail("changes: --since N or --since YYYY-MM-DD is required");
  if (since && !parse_since(since, &batch, &when))
    return cli_fail("--since: expected a batch number or a date YYYY-MM-DD, got '%s'", since);
  dir = cli_search_index_dir(dir);
  cdx_index *ix;
  status = cli_open_index(dir, &ix); /* an index must be there */
  if (status != CLI_OK) return status;
  cdx_index_close(ix);
  cdx_error err;
  if (cdx_report_each(dir, batch, when, c.json ? CDX_REPORT_JSON : CDX_REPORT_MD, print_one, &c,
                      &err) != CDX_OK)
    return cli_fail_err(&err);
  return c.n ? CLI_OK : CLI_NOMATCH;
}

int cmd_log(int argc, char **argv) { return run(argc, argv, false); }
int cmd_changes(int argc, char **argv) { return run(argc, argv, true); }
