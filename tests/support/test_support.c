#define _POSIX_C_SOURCE 200809L
#define _DEFAULT_SOURCE
#include "support/test_support.h"
#include <criterion/criterion.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

const char *const cdx_test_seed_names[5] = {"000_6221eb15cf98cb05.txt", "001_47623e8f539df050.txt",
                                            "002_cedcb2d41ec327f2.txt", "003_41d6c86d92e06abb.txt",
                                            "004_1993b54604d461c2.txt"};

const char *cdx_test_seeds_dir(void) {
  static char dir[4096];
  const char *env = getenv("CLAUSEDEX_SEEDS");
  if (env && *env) snprintf(dir, sizeof dir, "%s", env);
  else snprintf(dir, sizeof dir, "%s/../shared/corpus/seeds", CDX_SOURCE_DIR);
  struct stat st;
  if (stat(dir, &st) == 0 && S_ISDIR(st.st_mode)) return dir;
  const char *ci = getenv("CI");
  if (ci && strcmp(ci, "true") == 0)
    cr_assert_fail("seed corpus missing at %s (set CLAUSEDEX_SEEDS); required under CI", dir);
  cr_skip_test("SKIPPED: seed corpus not found at %s (set CLAUSEDEX_SEEDS)", dir);
  return NULL;
}

const char *cdx_test_seed_path(const char *name) {
  static char path[4600];
  const char *dir = cdx_test_seeds_dir();
  if (!dir) return NULL;
  snprintf(path, sizeof path, "%s/%s", dir, name);
  return path;
}

char *cdx_test_read(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  cr_assert_not_null(f, "cannot open %s", path);
  fseek(f, 0, SEEK_END);
  long n = ftell(f);
  fseek(f, 0, SEEK_SET);
  char *buf = malloc((size_t)n + 1);
  cr_assert_not_null(buf);
  cr_assert_eq(fread(buf, 1, (size_t)n, f), (size_t)n);
  fclose(f);
  buf[n] = '\0';
  if (len) *len = (size_t)n;
  return buf;
}

char *cdx_test_tmpdir(void) {
  const char *base = getenv("TMPDIR");
  char tmpl[4096];
  snprintf(tmpl, sizeof tmpl, "%s/cdxtest.XXXXXX", base && *base ? base : "/tmp");
  char *d = mkdtemp(tmpl);
  cr_assert_not_null(d, "mkdtemp failed");
  return strdup(d);
}

void cdx_test_rmtree(const char *path) {
  char cmd[4200];
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", path);
  if (system(cmd) != 0) cr_log_warn("could not remove %s", path);
}

char *cdx_test_dir;

void cdx_test_dir_init(void) { cdx_test_dir = cdx_test_tmpdir(); }

void cdx_test_dir_fini(void) {
  cdx_test_rmtree(cdx_test_dir);
  free(cdx_test_dir);
  cdx_test_dir = NULL;
}

int cdx_test_cli(char **out, const char *fmt, ...) {
  const char *cli = getenv("CDX_CLI");
  cr_assert(cli && *cli, "CDX_CLI not set (run through ctest)");
  char args[8192];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(args, sizeof args, fmt, ap);
  va_end(ap);
  char cmd[9000];
  snprintf(cmd, sizeof cmd, "'%s' %s", cli, args);
  return cdx_test_run(out, cmd);
}

/* The command line FMT, AP formatted into ARGS (8192 bytes), run by
 * cdx_test_cli: its exit status. */
static int cli_v(char **out, char *args, const char *fmt, va_list ap) {
  vsnprintf(args, 8192, fmt, ap);
  return cdx_test_cli(out, "%s", args);
}

void cdx_test_cli_exits(int status, const char *fmt, ...) {
  char args[8192], *out = NULL;
  va_list ap;
  va_start(ap, fmt);
  int st = cli_v(&out, args, fmt, ap);
  va_end(ap);
  cr_expect_eq(st, status, "%s", args);
  free(out);
}

void cdx_test_cli_has(int status, const char *want, const char *fmt, ...) {
  char args[8192], *out = NULL;
  va_list ap;
  va_start(ap, fmt);
  int st = cli_v(&out, args, fmt, ap);
  va_end(ap);
  cr_assert_eq(st, status, "%s: exit %d: %s", args, st, out ? out : "");
  cr_assert(out && strstr(out, want), "%s: %s", args, out ? out : "");
  free(out);
}

int cdx_test_run(char **out, const char *cmd) {
  FILE *p = popen(cmd, "r");
  if (!p) return -1;
  size_t cap = 4096, n = 0;
  char *buf = malloc(cap);
  size_t r;
  while ((r = fread(buf + n, 1, cap - n - 1, p)) > 0) {
    n += r;
    if (n + 1 >= cap) buf = realloc(buf, cap *= 2);
  }
  buf[n] = '\0';
  int st = pclose(p);
  if (out) *out = buf;
  else free(buf);
  return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}
