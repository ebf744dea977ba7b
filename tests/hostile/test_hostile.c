/* Hostile inputs through the clausedex command (issue 19). Each case states
 * the exit status and the message it expects; every command runs under
 * timeout(1), whose status 124 fails the case instead of hanging it. */
#define _POSIX_C_SOURCE 200809L
#include <criterion/criterion.h>
#include <stdarg.h>
#include <sys/wait.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "common/common.h"
#include "support/test_support.h"

/* Shell commands run before the CLI by run() (e.g. a ulimit); "" normally. */
static const char *g_prefix = "";

/* cdx_test_cli under timeout(1): the command line's first word is the
 * command, so the limit is set here by wrapping it in a shell. */
static int run(char **out, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int run(char **out, const char *fmt, ...) {
  static char args[65536], quoted[4 * sizeof args + 8], cmd[sizeof quoted + 8192];
  va_list ap;
  va_start(ap, fmt);
  int na = vsnprintf(args, sizeof args, fmt, ap);
  va_end(ap);
  cr_assert(na >= 0 && (size_t)na < sizeof args, "command line too long for run()");
  /* the quoted command line runs as sh -c's script, with the CLI as $0 */
  size_t q = 0;
  quoted[q++] = '\'';
  for (const char *c = args; *c && q + 5 < sizeof quoted; c++) {
    if (*c == '\'') {
      memcpy(quoted + q, "'\\''", 4);
      q += 4;
    } else quoted[q++] = *c;
  }
  quoted[q++] = '\'';
  quoted[q] = 0;
  const char *cli = getenv("CDX_CLI");
  cr_assert(cli && *cli, "CDX_CLI not set (run through ctest)");
  snprintf(cmd, sizeof cmd, "timeout 60 sh -c '%s\"$0\" '%s '%s'", g_prefix, quoted, cli);
  char *buf = NULL;
  int code = cdx_test_run(&buf, cmd);
  cr_assert_not_null(buf, "cannot run %s", cmd);
  cr_assert_neq(code, 124, "timed out after 60 s: %s\n%s", args, buf);
  if (out) *out = buf;
  else free(buf);
  return code;
}

static void write_file(const char *dir, const char *name, const char *text) {
  char p[4300];
  snprintf(p, sizeof p, "%s/%s", dir, name);
  FILE *f = fopen(p, "w");
  cr_assert_not_null(f, "%s", p);
  fputs(text, f);
  fclose(f);
}

static char *path_in(const char *dir, const char *name) {
  static char p[4300];
  snprintf(p, sizeof p, "%s/%s", dir, name);
  return p;
}

TestSuite(hostile, .init = cdx_test_dir_init, .fini = cdx_test_dir_fini);

/* run(), then asserts its exit status and that its output holds WANT. */
static void run_has(int status, const char *want, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void run_has(int status, const char *want, const char *fmt, ...) {
  static char args[65536];
  va_list ap;
  va_start(ap, fmt);
  int na = vsnprintf(args, sizeof args, fmt, ap);
  va_end(ap);
  cr_assert(na >= 0 && (size_t)na < sizeof args, "command line too long for run_has()");
  char *out;
  int rc = run(&out, "%s", args);
  cr_assert_eq(rc, status, "exit %d: %s", rc, out);
  cr_assert(strstr(out, want), "%s", out);
  free(out);
}

/* the test directory/d, holding one document a.txt; its path in a static buffer. */
static const char *dir_with_a_document(void) {
  static char d[4200];
  snprintf(d, sizeof d, "%s/d", cdx_test_dir);
  cr_assert_eq(mkdir(d, 0755), 0);
  write_file(d, "a.txt", "关于加强创新载体建设的若干意见\n");
  return d;
}

/* `index -i the test directory/idx DIR` succeeds and its output holds each of WANTS
 * (NULL-terminated). */
static void index_dir_says(const char *dir, const char *const *wants) {
  char *out;
  int rc = run(&out, "index -i '%s/idx' '%s' 2>&1", cdx_test_dir, dir);
  cr_assert_eq(rc, 0, "exit %d: %s", rc, out);
  for (const char *const *w = wants; *w; w++) cr_assert(strstr(out, *w), "%s", out);
  free(out);
}

/* Defect 1: two links to "." made the walk endless. */
Test(hostile, symlink_loops_end) {
  const char *d = dir_with_a_document();
  cr_assert_eq(symlink(".", path_in(d, "x")), 0);
  cr_assert_eq(symlink(".", path_in(d, "y")), 0);
  cr_assert_eq(symlink("..", path_in(d, "up")), 0);
  index_dir_says(d, (const char *const[]){"d/x: skipped, a link to a directory already walked",
                                          "d/y: skipped, a link to a directory already walked",
                                          "1 added", NULL});
  cdx_test_cli_has(0, "\"documents\":1,", "stats --json -i '%s/idx'", cdx_test_dir);
}

/* Defect 2: a FIFO blocked open() forever, /dev/zero was read until memory
 * ran out. Inside a tree they are skipped with a note; named on the command
 * line they are errors naming the file. */
Test(hostile, fifos_and_devices_are_not_read) {
  const char *d = dir_with_a_document();
  cr_assert_eq(mkfifo(path_in(d, "fifo.txt"), 0644), 0);
  cr_assert_eq(symlink("/dev/zero", path_in(d, "zero.txt")), 0);
  index_dir_says(d, (const char *const[]){"fifo.txt: skipped, a FIFO, not a regular file",
                                          "zero.txt: skipped, a device, not a regular file",
                                          "1 added, 0 unchanged, 0 replaced, 2 skipped", NULL});
  run_has(2, "fifo.txt: a FIFO, not a regular file", "index -i '%s/idx' '%s/fifo.txt' 2>&1",
          cdx_test_dir, d);
  run_has(2, "/dev/zero: a character device, not a regular file",
          "index -i '%s/idx' /dev/zero 2>&1", cdx_test_dir);
}

/* Defect 2: a document's size is capped, by default and by the option. */
Test(hostile, max_file_size) {
  char *big = malloc(300001);
  for (size_t i = 0; i < 300000; i += 3) memcpy(big + i, "政", 3);
  big[300000] = 0;
  write_file(cdx_test_dir, "big.txt", big);
  free(big);
  run_has(2, "big.txt: 300000 bytes, more than the limit of 102400 bytes per file",
          "index -i '%s/idx' --max-file-size 100K '%s/big.txt' 2>&1", cdx_test_dir, cdx_test_dir);
  char *out;
  int rc = run(&out, "index -i '%s/idx' --max-file-size 1M '%s/big.txt' 2>&1", cdx_test_dir,
               cdx_test_dir);
  cr_assert_eq(rc, 0, "exit %d: %s", rc, out);
  free(out);
  run_has(2, "--max-file-size takes a size",
          "index -i '%s/idx' --max-file-size 0 '%s/big.txt' 2>&1", cdx_test_dir, cdx_test_dir);
  /* the default: 64 MiB + 1 byte, sparse, refused before it is read */
  char p[4300];
  snprintf(p, sizeof p, "%s/huge.txt", cdx_test_dir);
  FILE *f = fopen(p, "w");
  cr_assert_not_null(f);
  cr_assert_eq(fseek(f, (64L << 20), SEEK_SET), 0);
  fputc('x', f);
  fclose(f);
  rc = run(&out, "index -i '%s/idx' '%s' 2>&1", cdx_test_dir, p);
  cr_assert_eq(rc, 2, "exit %d: %s", rc, out);
  cr_assert(strstr(out, "huge.txt: 67108865 bytes, more than the limit of 67108864 bytes per file"),
            "%s", out);
  free(out);
}

/* Defect 8: one bad JSON Lines record dropped every record after it, and
 * chapter numbers out of range were wrapped or truncated. */
Test(hostile, jsonl_bad_record_skipped_rest_kept) {
  char data[4096] = "";
  for (int i = 0; i < 3; i++)
    snprintf(data + strlen(data), sizeof data - strlen(data),
             "{\"doc\":\"before-%d\",\"text\":\"关于加强创新载体建设第%d条。\"}\n", i, i);
  strcat(data, "{\"doc\":\"broken\",\"text\":\"unterminated}\n");
  for (int i = 0; i < 6; i++)
    snprintf(data + strlen(data), sizeof data - strlen(data),
             "{\"doc\":\"after-%d\",\"text\":\"关于加强创新载体建设第%d条。\"}\n", i, i);
  /* a document keeps its good records around a bad one */
  strcat(data, "{\"doc\":\"mixed\",\"text\":\"第一条创新载体。\",\"chapter\":1}\n"
               "{\"doc\":\"mixed\",\"text\":\"第二条。\",\"chapter\":100000000000000000000}\n"
               "{\"doc\":\"mixed\",\"text\":\"第三条。\",\"chapter\":4294967297}\n"
               "{\"doc\":\"mixed\",\"text\":\"第四条。\",\"chapter\":1.5}\n"
               "{\"doc\":\"mixed\",\"text\":\"第五条。\",\"chapter\":-1}\n"
               "{\"doc\":\"mixed\",\"text\":\"第六条创新载体。\",\"chapter\":65535}\n");
  write_file(cdx_test_dir, "in.jsonl", data);
  char *out;
  int rc = run(&out, "index -i '%s/idx' '%s/in.jsonl' 2>&1", cdx_test_dir, cdx_test_dir);
  cr_assert_eq(rc, 2, "exit %d: %s", rc, out);
  cr_assert(strstr(out, "in.jsonl:4: "), "%s", out);
  cr_assert(
      strstr(out, "in.jsonl:12: chapter 100000000000000000000 is not an integer from 0 to 65535"),
      "%s", out);
  cr_assert(strstr(out, "in.jsonl:13: chapter 4294967297 is not an integer"), "%s", out);
  cr_assert(strstr(out, "in.jsonl:14: chapter 1.5 is not an integer"), "%s", out);
  cr_assert(strstr(out, "in.jsonl:15: chapter -1 is not an integer"), "%s", out);
  cr_assert(strstr(out, "10 added, 0 unchanged, 0 replaced, 5 failed"), "%s", out);
  free(out);
  cr_assert_eq(run(&out, "docs --json -i '%s/idx'", cdx_test_dir), 0);
  cr_assert(strstr(out, "\"doc\":\"after-5\""), "%s", out);
  cr_assert_null(strstr(out, "\"doc\":\"broken\""), "%s", out);
  free(out);
  /* "mixed" holds its first and last records */
  run_has(0, "11", "search -i '%s/idx' --count '创新载体' 2>&1", cdx_test_dir);
  /* parse goes on past the bad records too */
  rc = run(&out, "parse --json '%s/in.jsonl' 2>/dev/null", cdx_test_dir);
  cr_assert_eq(rc, 2, "exit %d", rc);
  cr_assert(strstr(out, "after-5"), "%s", out);
  free(out);
}

/* Defect 9: date:2025-02-30 was accepted while other bad dates were not. */
Test(hostile, dates_the_calendar_lacks) {
  write_file(cdx_test_dir, "a.txt", "关于加强创新载体建设的若干意见\n");
  cr_assert_eq(run(NULL, "index -i '%s/idx' '%s/a.txt' 2>/dev/null", cdx_test_dir, cdx_test_dir),
               0);
  static const char *const bad[] = {
      "2025-02-30", "2025-02-29", "20250230", "2025-04-31", "2025-01-01..2025-06-31", "2100-02-29"};
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    char *out;
    int rc = run(&out, "search -i '%s/idx' 'date:%s 创新' 2>&1", cdx_test_dir, bad[i]);
    cr_expect_eq(rc, 2, "%s: exit %d: %s", bad[i], rc, out);
    cr_expect(strstr(out, "is not a date"), "%s: %s", bad[i], out);
    free(out);
  }
  /* leap days and whole months still read */
  static const char *const good[] = {"2024-02-29", "2000-02-29", "2025-02", "2025-02..2025-02"};
  for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
    char *out;
    int rc = run(&out, "search -i '%s/idx' 'date:%s 创新' 2>&1", cdx_test_dir, good[i]);
    cr_expect_eq(rc, 1, "%s: exit %d: %s", good[i], rc, out);
    free(out);
  }
}

/* Defect 6: UTF-32 was read as UTF-16LE (a U+0000 after every character:
 * an empty title) or, without a BOM, refused as binary. Both byte orders,
 * with and without a BOM, now read as the text they hold. */
Test(hostile, utf32_is_decoded) {
  static const char text[] = "关于加强创新载体建设的若干意见\n（一）加强创新载体建设。\n";
  for (int be = 0; be < 2; be++)
    for (int bom = 0; bom < 2; bom++) {
      unsigned char buf[1024];
      size_t n = 0;
      uint32_t cps[256];
      size_t ncp = 0;
      if (bom) cps[ncp++] = 0xFEFF;
      for (size_t i = 0; i < sizeof text - 1;) {
        int32_t cp = cdx_utf8_decode(text, sizeof text - 1, &i);
        cr_assert_geq(cp, 0);
        cps[ncp++] = (uint32_t)cp;
      }
      for (size_t k = 0; k < ncp; k++)
        for (int j = 0; j < 4; j++) buf[n++] = (unsigned char)(cps[k] >> (8 * (be ? 3 - j : j)));
      char p[4300];
      snprintf(p, sizeof p, "%s/u32-%d%d.txt", cdx_test_dir, be, bom);
      FILE *f = fopen(p, "wb");
      fwrite(buf, 1, n, f);
      fclose(f);
      char *out;
      int rc = run(&out, "parse --json '%s' 2>&1", p);
      cr_expect_eq(rc, 0, "be=%d bom=%d: exit %d: %s", be, bom, rc, out);
      cr_expect(strstr(out, "\"title\":\"关于加强创新载体建设的若干意见\""), "be=%d bom=%d: %s", be,
                bom, out);
      cr_expect(strstr(out, "\"number\":\"（一）\""), "be=%d bom=%d: %s", be, bom, out);
      free(out);
    }
}

static size_t count(const char *hay, const char *needle) {
  size_t n = 0;
  for (const char *p = hay; (p = strstr(p, needle)); p += strlen(needle)) n++;
  return n;
}

/* Defect 7: clause numbers stopped at 9999 and every later clause ran into
 * the last unit (1 M clauses: 9,999 units, the last 11.8 MB). Numbers past
 * four digits are clauses when they continue the sequence; out of sequence
 * (a date such as 20250306.) they stay text. */
Test(hostile, numbering_past_9999) {
  char p[4300];
  snprintf(p, sizeof p, "%s/many.txt", cdx_test_dir);
  FILE *f = fopen(p, "w");
  cr_assert_not_null(f);
  fputs("关于加强创新载体建设的若干意见\n一、总体要求\n", f);
  for (int i = 1; i <= 12000; i++) {
    fprintf(f, "%d. 加强第%d项创新载体建设。\n", i, i);
    if (i == 11000) fputs("20250306. 印发日期。\n", f);
  }
  fclose(f);
  char *out;
  int rc = run(&out, "parse --json '%s' 2>&1", p);
  cr_assert_eq(rc, 0, "exit %d", rc);
  cr_expect_eq(count(out, "\"kind\":\"clause\""), 12000);
  cr_expect(strstr(out, "\"number\":\"12000.\",\"number_value\":12000"), "no clause 12000");
  cr_expect(strstr(out, "\"text\":\"12000. 加强第12000项创新载体建设。\""),
            "clause 12000 not alone");
  cr_expect(strstr(out, "\"text\":\"11000. 加强第11000项创新载体建设。\\n20250306. 印发日期。\""),
            "the out-of-sequence number is not text of clause 11000");
  free(out);
}

/* Defect 3: highlighting a 200 MB one-line unit needed 6.4 GB ("out of
 * memory highlighting"): every token of the unit was held at once. It is
 * now analyzed a window at a time; the highlights must still be exactly
 * where the word is, also across window edges (2 MB: eight windows). */
Test(hostile, giant_unit_highlights) {
  static const char *const alphabet[] = {"创", "新", "载", "体", "建", "设", "加", "强"};
  size_t n_chars = 700000, len = 0;
  const char *title = "关于加强创新载体建设的若干意见\n";
  char *text = malloc(strlen(title) + n_chars * 3 + 2);
  cr_assert_not_null(text);
  len = strlen(title);
  memcpy(text, title, len);
  size_t body = len;
  uint64_t x = 88172645463325252ull;
  for (size_t i = 0; i < n_chars; i++) {
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    memcpy(text + len, alphabet[x % 8], 3);
    len += 3;
  }
  text[len++] = '\n';
  text[len] = 0;
  char p[4300];
  snprintf(p, sizeof p, "%s/giant.txt", cdx_test_dir);
  FILE *f = fopen(p, "w");
  cr_assert_not_null(f);
  fwrite(text, 1, len, f);
  fclose(f);
  /* where 创新载体 is, merged as highlights are, as offsets in the unit */
  static const char word[] = "创新载体";
  size_t(*want)[2] = malloc(sizeof *want * 4096);
  size_t n_want = 0;
  for (const char *q = text + body; (q = strstr(q, word)); q += 3) {
    size_t a = (size_t)(q - text - body), b = a + strlen(word);
    if (n_want && a <= want[n_want - 1][1]) want[n_want - 1][1] = b;
    else if (n_want < 4096) {
      want[n_want][0] = a;
      want[n_want][1] = b;
      n_want++;
    }
  }
  cr_assert_gt(n_want, 50, "the generator should give the word often: %zu", n_want);
  char *out;
  int rc = run(&out, "index -i '%s/idx' '%s' 2>&1", cdx_test_dir, p);
  cr_assert_eq(rc, 0, "exit %d: %s", rc, out);
  free(out);
  rc = run(&out, "search -i '%s/idx' --json -n 1 '%s' 2>&1", cdx_test_dir, word);
  cr_assert_eq(rc, 0, "exit %d: %.500s", rc, out);
  char *h = strstr(out, "\"highlights\":[");
  cr_assert_not_null(h, "%.500s", out);
  h += strlen("\"highlights\":[");
  size_t n_got = 0;
  for (;;) {
    size_t a, b;
    int used = 0;
    if (sscanf(h, "[%zu,%zu]%n", &a, &b, &used) != 2) break;
    cr_assert_lt(n_got, n_want, "more highlights than occurrences");
    cr_assert_eq(a, want[n_got][0], "highlight %zu starts at %zu, the word at %zu", n_got, a,
                 want[n_got][0]);
    cr_assert_eq(b, want[n_got][1], "highlight %zu ends at %zu, not %zu", n_got, b, want[n_got][1]);
    n_got++;
    h += used;
    if (*h == ',') h++;
  }
  cr_assert_eq(n_got, n_want, "%zu highlights for %zu occurrences", n_got, n_want);
  free(out);
  free(want);
  free(text);
}

/* The memory side of defect 3: a 15 MB one-line unit is searched with 200 MB
 * of address space (it needed about 500 MB before, 6.4 GB at 200 MB). Not
 * under ASan, which reserves terabytes of address space up front. */
Test(hostile, giant_unit_search_memory) {
#if defined(__SANITIZE_ADDRESS__)
  cr_skip_test("address-space limit not meaningful under ASan");
#else
  char p[4300];
  snprintf(p, sizeof p, "%s/giant.txt", cdx_test_dir);
  FILE *f = fopen(p, "w");
  cr_assert_not_null(f);
  fputs("关于加强创新载体建设的若干意见\n", f);
  static const char *const alphabet[] = {"创", "新", "载", "体", "建", "设", "加", "强"};
  uint64_t x = 88172645463325252ull;
  for (size_t i = 0; i < 5000000; i++) {
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    fputs(alphabet[x % 8], f);
  }
  fputs("\n", f);
  fclose(f);
  char *out;
  int rc = run(&out, "index -i '%s/idx' '%s' 2>&1", cdx_test_dir, p);
  cr_assert_eq(rc, 0, "exit %d: %s", rc, out);
  free(out);
  g_prefix = "ulimit -v 200000; ";
  rc = run(&out, "search -i '%s/idx' -n 1 --color=always '创新载体' 2>&1", cdx_test_dir);
  g_prefix = "";
  cr_assert_eq(rc, 0, "exit %d: %.300s", rc, out);
  cr_assert(strstr(out, "\033[1;31m创新载体"), "%.300s", out);
  free(out);
#endif
}

/* Defect 4, the behaviour side: queries built to be expensive finish or
 * stop with a clear error, never minutes (run() fails a case at 60 s). */
Test(hostile, expensive_queries_finish, .timeout = 600) {
  char *out;
  int rc = run(&out, "generate --size 2M '%s/gen' 2>&1", cdx_test_dir);
  cr_assert_eq(rc, 0, "exit %d: %s", rc, out);
  free(out);
  rc = run(&out, "index -i '%s/idx' '%s/gen' 2>&1", cdx_test_dir, cdx_test_dir);
  cr_assert_eq(rc, 0, "exit %d: %s", rc, out);
  free(out);
  static const char chars[] =
      "加强创新载体建设推动经济高质量发展政策企业人才住房奖励专精特新市区县局";
  char q[40000];
  struct {
    int exit_status; /* 0 or 1: ran; 2: refused */
    const char *message;
  } want[8];
  const char *queries[8];
  char *qs[8];
  size_t n = 0;
  /* every common character ORed: most units match, all are scored */
  q[0] = 0;
  for (size_t i = 0; i < sizeof chars - 1; i += 3)
    snprintf(q + strlen(q), sizeof q - strlen(q), "%s%.3s", i ? " OR " : "", chars + i);
  qs[n] = strdup(q), want[n].exit_status = 0, want[n++].message = NULL;
  /* a 400-character phrase of one repeated word */
  strcpy(q, "\"");
  for (int i = 0; i < 200; i++) strcat(q, "企业");
  strcat(q, "\"");
  qs[n] = strdup(q), want[n].exit_status = 1, want[n++].message = NULL;
  /* fifty long phrases ORed */
  q[0] = 0;
  for (int k = 0; k < 50; k++) {
    strcat(q, k ? " OR \"" : "\"");
    for (int i = 0; i < 20; i++) strcat(q, "企业发展");
    strcat(q, "\"");
  }
  qs[n] = strdup(q), want[n].exit_status = 1, want[n++].message = NULL;
  /* a single character with an exclusion of its commonest word */
  qs[n] = strdup("企 -企业"), want[n].exit_status = 0, want[n++].message = NULL;
  /* nesting past the limit */
  q[0] = 0;
  for (int i = 0; i < 300; i++) strcat(q, "(");
  strcat(q, "企业");
  for (int i = 0; i < 300; i++) strcat(q, ")");
  qs[n] = strdup(q), want[n].exit_status = 2, want[n++].message = "nested deeper than 256";
  /* a query longer than the limit */
  q[0] = 0;
  for (int i = 0; i < 3000; i++) strcat(q, "企业 ");
  qs[n] = strdup(q), want[n].exit_status = 2, want[n++].message = "longer than the limit of 16384";
  /* only exclusions */
  qs[n] = strdup("-加 -强 -创 -新"), want[n].exit_status = 2, want[n++].message = "only NOT terms";
  for (size_t i = 0; i < n; i++) queries[i] = qs[i];
  for (size_t i = 0; i < n; i++) {
    for (int count = 0; count < 2; count++) {
      rc = run(&out, "search -i '%s/idx' %s '%s' 2>&1", cdx_test_dir, count ? "--count" : "-n 10",
               queries[i]);
      cr_expect_eq(rc, want[i].exit_status, "query %zu (%.60s...): exit %d: %.300s", i, queries[i],
                   rc, out);
      if (want[i].message) cr_expect(strstr(out, want[i].message), "query %zu: %.300s", i, out);
      free(out);
    }
    free(qs[i]);
  }
}
