/* The command line as users write it (issue 17): one row per example. The
 * anchors run on the seed index ($IX in the rows; also $CLAUSEDEX_INDEX);
 * a row either names the command it must equal (same stdout and exit
 * status) or what its output must show. The bad-input rows must exit 2
 * with one line on stderr, nothing on stdout, and leave $T as it was (no
 * index or corpus created by a failing command). */
#define _POSIX_C_SOURCE 200809L
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "support/test_support.h"

typedef struct anchor {
  const char *cmd;
  int status;
  const char *same_as;  /* or NULL */
  const char *contains; /* in stdout, or NULL */
  int hits;             /* lines "N. " (search hits), -1: not checked */
  int lines;            /* lines of stdout, -1: not checked */
} anchor;

#define SAME(cmd, as) \
  { cmd, 0, as, NULL, -1, -1 }

static const anchor anchors[] = {
    /* -n5 is five hits, however it is written, wherever it goes */
    {"search -n5 企业", 0, NULL, NULL, 5, -1},
    SAME("search -n 5 企业", "search -n5 企业"),
    SAME("search --limit=5 企业", "search -n5 企业"),
    SAME("search --limit 5 企业", "search -n5 企业"),
    SAME("search --lim=5 企业", "search -n5 企业"),
    SAME("search 企业 -n5", "search -n5 企业"),
    SAME("search 企业 -n 5", "search -n5 企业"),
    /* -C 20 is context, not two query words */
    {"search -c 以旧换新", 0, NULL, "4\n", -1, 1},
    SAME("search -C 20 -c 以旧换新", "search -c 以旧换新"),
    SAME("search --count 以旧换新", "search -c 以旧换新"),
    {"search -C 20 以旧换新", 0, NULL, "4 matching clauses", 4, -1},
    SAME("search -C20 以旧换新", "search -C 20 以旧换新"),
    SAME("search --context=20 以旧换新", "search -C 20 以旧换新"),
    SAME("search 以旧换新 --context 20", "search -C 20 以旧换新"),
    /* -q, -l, -c are options */
    {"search -q 以旧换新", 0, NULL, NULL, -1, 0},
    {"search -q 火星殖民计划", 1, NULL, NULL, -1, 0},
    {"search -l 以旧换新", 0, NULL, "/004_1993b54604d461c2.txt\n", -1, 4},
    SAME("search -cn5 企业", "search -c 企业"),
    {"search -qc 以旧换新", 0, NULL, NULL, -1, 0},
    /* the index: -i DIR, -iDIR, --index DIR, --index=DIR, $CLAUSEDEX_INDEX */
    SAME("search -i \"$IX\" -c 以旧换新", "search -c 以旧换新"),
    SAME("search -i\"$IX\" -c 以旧换新", "search -c 以旧换新"),
    SAME("search --index \"$IX\" -c 以旧换新", "search -c 以旧换新"),
    SAME("search --index=\"$IX\" -c 以旧换新", "search -c 以旧换新"),
    SAME("docs --index \"$IX\"", "docs"),
    SAME("stats -i \"$IX\" --json", "stats --json"),
    SAME("show --index=\"$IX\" 001#（三）", "show 001#（三）"),
    /* exclusions next to options; -- ends the options */
    SAME("search -c 以旧换新 -住房", "search -c '以旧换新 NOT 住房'"),
    SAME("search -c -住房 以旧换新", "search -c '以旧换新 NOT 住房'"),
    SAME("search -c 企业 -- -c", "search -c '企业 NOT c'"),
    {"search --offset=2 -n1 以旧换新", 0, NULL, "showing 3-3", 1, -1},
    /* colour: never when piped (the text as it is), always on request */
    SAME("search --color=never 以旧换新", "search 以旧换新"),
    SAME("search --color=auto 以旧换新", "search 以旧换新"),
    {"search --color=always 以旧换新", 0, NULL, "\033[1;31m以旧换新\033[0m", 4, -1},
    /* help CMD is CMD --help */
    SAME("help search", "search --help"),
    SAME("search -h", "search --help"),
    SAME("help index", "index --help"),
    SAME("help diff", "diff -h"),
};

typedef struct bad {
  const char *cmd;
  const char *message; /* in the one line on stderr */
} bad;

static const bad bads[] = {
    {"search --ofset 2 企业", "unknown option '--ofset' (did you mean --offset?)"},
    {"search --co 企业", "ambiguous"},
    {"search -x 企业", "unknown option '-x'"},
    {"search -N5 企业", "did you mean -n"},
    {"search 企业 -n", "-n/--limit needs a value"},
    {"search -n -3 企业", "not '-3'"},
    {"search -n 0 企业", "positive"},
    {"search --offset=-1 企业", "not '-1'"},
    {"search --color=blue 企业", "--color takes auto, always or never, not 'blue'"},
    {"search --json=1 企业", "--json takes no value"},
    {"search", "missing QUERY"},
    {"serach 企业", "did you mean search?"},
    {"help serach", "did you mean search?"},
    {"diff --threshold 2 000 001", "(0, 1]"},
    {"diff --format html 000 001", "text, json, md or markdown"},
    {"diff 000", "missing"},
    {"show 000 001", "too many operands"},
    {"index --memory 0 \"$T\"", "positive"},
    {"index --max-file-size 12Q \"$T\"", "takes a size"},
    {"generate --size 12Q \"$T/g\"", "takes a size"},
    {"generate --frobnicate \"$T/g\"", "unknown option '--frobnicate'"},
    {"parse --no-such-flag x", "unknown option"},
    {"analyze", "missing TEXT"},
    /* no index at the directory: every command but index, nothing created */
    {"search -i \"$T/none\" 企业", "no clausedex index at"},
    {"search -i \"$T/empty\" 企业", "no clausedex index at"},
    {"show -i \"$T/none\" 000", "no clausedex index at"},
    {"docs -i \"$T/none\"", "no clausedex index at"},
    {"stats -i \"$T/none\"", "no clausedex index at"},
    {"optimize -i \"$T/none\"", "no clausedex index at"},
    {"optimize -i \"$T/empty\"", "no clausedex index at"},
    {"delete -i \"$T/none\" 000", "no clausedex index at"},
    {"delete -i \"$T/empty\" 000", "no clausedex index at"},
    {"diff -i \"$T/none\" 000 001", "no clausedex index at"},
    {"similar -i \"$T/none\" 以旧换新", "no clausedex index at"},
    {"coverage -i \"$T/none\" 002 --under 温州市", "no clausedex index at"},
    {"export -i \"$T/none\" -o \"$T/out.ndjson\"", "no clausedex index at"},
    /* an unwritable export target */
    {"export -f es-mapping -o \"$T/no/such/dir/mapping.json\"", "cannot write"},
    {"export -f es-mapping -o \"$T/empty\"", "cannot write"},
    {"export -f xml", "es-bulk, es-mapping, jsonl or csv"},
};

static char *ix_dir, *tmp;

/* The seed index, in $IX and $CLAUSEDEX_INDEX; $T an empty scratch
 * directory holding only the empty directory "empty". */
static void setup_scratch(void) {
  tmp = cdx_test_tmpdir();
  char path[4200];
  snprintf(path, sizeof path, "%s/t", tmp);
  cr_assert_eq(mkdir(path, 0755), 0);
  setenv("T", path, 1);
  snprintf(path, sizeof path, "%s/t/empty", tmp);
  cr_assert_eq(mkdir(path, 0755), 0);
}

static void setup(void) {
  setup_scratch();
  char path[4200];
  const char *seeds = cdx_test_seeds_dir();
  if (!seeds) return;
  snprintf(path, sizeof path, "%s/ix", tmp);
  cr_assert_eq(cdx_test_cli(NULL, "index -i '%s' '%s' 2>/dev/null", path, seeds), 0);
  ix_dir = strdup(path);
  setenv("IX", ix_dir, 1);
  setenv("CLAUSEDEX_INDEX", ix_dir, 1);
}

static void teardown(void) {
  cdx_test_rmtree(tmp);
  free(tmp);
  free(ix_dir);
}

static int count_hits(const char *s) {
  int n = 0;
  for (const char *l = s; *l; l = strchr(l, '\n') ? strchr(l, '\n') + 1 : l + strlen(l)) {
    const char *p = l;
    while (*p >= '0' && *p <= '9') p++;
    n += p > l && p[0] == '.' && p[1] == ' ';
  }
  return n;
}

static int count_lines(const char *s) {
  int n = 0;
  for (; *s; s++) n += *s == '\n';
  return n;
}

/* Criterion hands each case its parameter in another process (where string
 * addresses may differ): the parameter is a row number. */
#define N_ANCHORS (sizeof anchors / sizeof anchors[0])
#define N_BADS (sizeof bads / sizeof bads[0])
static size_t rows[N_ANCHORS > N_BADS ? N_ANCHORS : N_BADS];

static void number_rows(void) {
  for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) rows[i] = i;
}

ParameterizedTestParameters(options, anchor) {
  number_rows();
  return cr_make_param_array(size_t, rows, N_ANCHORS);
}

ParameterizedTest(size_t *row, options, anchor, .init = setup, .fini = teardown) {
  const anchor *a = &anchors[*row];
  if (!ix_dir) return;
  char *out;
  int st = cdx_test_cli(&out, "%s 2>/dev/null", a->cmd);
  cr_expect_eq(st, a->status, "%s: exit %d, not %d", a->cmd, st, a->status);
  if (a->same_as) {
    char *want;
    int wst = cdx_test_cli(&want, "%s 2>/dev/null", a->same_as);
    cr_expect_eq(st, wst, "%s: exit %d, %s: %d", a->cmd, st, a->same_as, wst);
    cr_expect_str_eq(out, want, "%s differs from %s", a->cmd, a->same_as);
    cr_expect(*want, "%s printed nothing", a->same_as);
    free(want);
  }
  if (a->contains)
    cr_expect(strstr(out, a->contains), "%s: no '%s' in: %.400s", a->cmd, a->contains, out);
  if (a->hits >= 0)
    cr_expect_eq(count_hits(out), a->hits, "%s: %d hits: %.400s", a->cmd, count_hits(out), out);
  if (a->lines >= 0)
    cr_expect_eq(count_lines(out), a->lines, "%s: %d lines: %.400s", a->cmd, count_lines(out), out);
  free(out);
}

ParameterizedTestParameters(options, bad_input) {
  number_rows();
  return cr_make_param_array(size_t, rows, N_BADS);
}

/* What is left in $T, as "find . | sort" lists it. Caller frees. */
static char *scratch_listing(void) {
  FILE *p = popen("cd \"$T\" && find . | sort | tr '\\n' ' '", "r");
  cr_assert(p);
  char *buf = calloc(1, 4096);
  size_t n = fread(buf, 1, 4095, p);
  buf[n] = '\0';
  pclose(p);
  return buf;
}

ParameterizedTest(size_t *row, options, bad_input, .init = setup_scratch, .fini = teardown) {
  const bad *b = &bads[*row];
  char *err, *out, *left;
  int st = cdx_test_cli(&err, "%s 2>&1 >/dev/null", b->cmd);
  cr_expect_eq(st, 2, "%s: exit %d: %s", b->cmd, st, err);
  cr_expect(strstr(err, b->message), "%s: no '%s' in: %s", b->cmd, b->message, err);
  cr_expect(count_lines(err) == 1 && err[strlen(err) - 1] == '\n', "%s: not one line: %s", b->cmd,
            err);
  cr_expect_eq(cdx_test_cli(&out, "%s 2>/dev/null", b->cmd), 2);
  cr_expect_str_empty(out, "%s: stdout: %s", b->cmd, out);
  /* nothing created: $T holds only its empty directory */
  left = scratch_listing();
  cr_expect_str_eq(left, ". ./empty ", "%s left: %s", b->cmd, left);
  free(err);
  free(out);
  free(left);
}

/* Colour by default only on a terminal (script(1) gives the command one),
 * and not there either when TERM is dumb or NO_COLOR is set. */
Test(options, colour_follows_the_terminal, .init = setup, .fini = teardown) {
  if (!ix_dir) return;
  static const struct {
    const char *env, *opts;
    bool colour;
  } cases[] = {
      {"TERM=xterm", "", true},
      {"TERM=dumb", "", false},
      {"TERM=xterm NO_COLOR=1", "", false},
      {"TERM=xterm", "--color=never", false},
      {"TERM=dumb", "--color=always", true},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    char cmd[1024];
    snprintf(cmd, sizeof cmd,
             "env %s script -qec \"'%s' search %s -n1 以旧换新\" /dev/null </dev/null",
             cases[i].env, getenv("CDX_CLI"), cases[i].opts);
    FILE *p = popen(cmd, "r");
    cr_assert(p);
    char buf[65536];
    size_t n = fread(buf, 1, sizeof buf - 1, p);
    buf[n] = '\0';
    cr_expect_eq(pclose(p), 0, "%s", cmd);
    cr_expect_eq(strstr(buf, "\033[1;31m以旧换新") != NULL, cases[i].colour, "%s: %.300s", cmd,
                 buf);
  }
}

/* index on a terminal: a progress bar (files, MB, MB/s) redrawn at most ten
 * times a second and erased before the summary; -q prints nothing but
 * errors, -v a line per file and every warning. */
Test(options, index_progress_and_verbosity, .init = setup_scratch, .fini = teardown) {
  char cmd[2048];
  snprintf(cmd, sizeof cmd,
           "'%s' generate --seed 5 --size 3M \"$T/c\" >/dev/null && "
           "script -qec \"'%s' index -i '$T/ix' '$T/c'\" /dev/null </dev/null | tr '\\r' '\\n'",
           getenv("CDX_CLI"), getenv("CDX_CLI"));
  FILE *p = popen(cmd, "r");
  cr_assert(p);
  static char buf[1 << 20];
  size_t n = fread(buf, 1, sizeof buf - 1, p);
  buf[n] = '\0';
  cr_assert_eq(pclose(p), 0, "%s", buf);
  size_t draws = 0;
  for (const char *s = buf; (s = strstr(s, " files  ")); s++) draws++;
  cr_expect(strstr(buf, "MB/s"), "no bar: %.300s", buf);
  const char *sum = strstr(buf, " added, ");
  cr_assert(sum, "no summary: %.300s", buf);
  double secs = 0;
  cr_assert(sscanf(strstr(sum, "read in ") + 8, "%lf", &secs) == 1);
  cr_expect(draws >= 1 && (double)draws <= 10 * secs + 2, "%zu redraws in %.2f s", draws, secs);
  /* erased: the summary line starts after the erase sequence, nothing else on it */
  const char *line = sum;
  while (line > buf && line[-1] != '\n') line--;
  cr_expect(strncmp(line, "\033[K", 3) == 0 || (line[0] >= '0' && line[0] <= '9'), "%.200s", line);
  cr_expect(!strstr(sum, "files  "), "the bar drawn after the summary: %s", sum);

  const char *seeds = cdx_test_seeds_dir();
  if (!seeds) return;
  char *out;
  cr_expect_eq(cdx_test_cli(&out, "index -q -i \"$T/q\" '%s' 2>&1", seeds), 0);
  cr_expect_str_empty(out, "-q printed: %s", out);
  free(out);
  cr_expect_eq(cdx_test_cli(&out, "index -v -i \"$T/v\" '%s' 2>&1 | grep -c '^added '", seeds), 0);
  cr_expect_str_eq(out, "5\n", "-v: %s files listed", out);
  free(out);
  cr_expect_eq(
      cdx_test_cli(&out, "index -v -i \"$T/v2\" '%s' 2>&1 | grep -c 'warning: mojibake at'", seeds),
      0);
  cr_expect(atoi(out) >= 50, "-v: %s mojibake warnings in full", out);
  free(out);
  cr_expect_eq(cdx_test_cli(&out, "index -q -v \"$T\" 2>&1"), 2);
  free(out);
}
