/* Kill -9 a writer at random instants: the index must then open, pass
 * check, and hold exactly the documents of the last completed commit (or of
 * the commit in flight, when the kill came after its manifest rename but
 * before the child could log it). Leftovers are cleaned by the next writer. */
#define _POSIX_C_SOURCE 200809L
#define _DEFAULT_SOURCE
#include <criterion/criterion.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "support/test_support.h"
#include "tests/indexer/ix_helpers.h"
#include "support/ix_paths.h"

static char tmp_dir[4096], idx_dir[4200], log_path[4200];
static char *seed_text;
static size_t seed_len;

static void doc_path(char *out, size_t cap, int i) {
  snprintf(out, cap, "%s/doc_%d.txt", tmp_dir, i);
}

static void write_doc(int i) {
  char p[4300];
  doc_path(p, sizeof p, i);
  FILE *f = fopen(p, "wb");
  fwrite(seed_text, 1, seed_len, f);
  fprintf(f, "\n（九十九）第%d轮补充条款。\n", i);
  fclose(f);
}

/* Round r adds doc_r and deletes doc_{r-3}: the committed set after round r
 * is {max(0, r-2) .. r}. */
static void child(int start) {
  cdx_writer *w;
  cdx_error err;
  /* small budget: flushes mid-round too */
  cdx_writer_options o = {.memory_budget = 96 << 10};
  if (cdx_writer_open(idx_dir, &o, &w, &err) != CDX_OK) _exit(3);
  int logfd = open(log_path, O_WRONLY | O_APPEND | O_CREAT, 0644);
  for (int r = start;; r++) {
    char p[4300];
    doc_path(p, sizeof p, r);
    if (cdx_writer_add_file(w, p, NULL, NULL, &err) != CDX_OK) _exit(4);
    if (r >= 3) {
      doc_path(p, sizeof p, r - 3);
      if (cdx_writer_delete(w, p, &err) != CDX_OK) _exit(5);
    }
    if (cdx_writer_commit(w, &err) != CDX_OK) _exit(6);
    char line[32];
    int n = snprintf(line, sizeof line, "%d\n", r);
    if (write(logfd, line, (size_t)n) != n) _exit(7);
  }
}

static int logged_rounds(void) {
  FILE *f = fopen(log_path, "r");
  if (!f) return 0;
  int n = 0, v;
  while (fscanf(f, "%d", &v) == 1) n++;
  fclose(f);
  return n;
}

static bool state_is(const cdx_index *ix, int r) {
  int lo = r - 2 < 0 ? 0 : r - 2;
  if (r < 0) return cdx_index_doc_count(ix) == 0;
  if (cdx_index_doc_count(ix) != (size_t)(r - lo + 1)) return false;
  for (int i = lo; i <= r; i++) {
    char p[4300], real[4300];
    doc_path(p, sizeof p, i);
    if (!realpath(p, real)) return false;
    size_t seg;
    uint32_t doc;
    if (!cdx_ix_find_doc(ix, real, &seg, &doc)) return false;
  }
  return true;
}

/* The two tests' directory (tmp_dir, idx_dir, log_path) with 400 documents of
 * seed 001's text; false (the test skipped or failed) without the seeds. */
static bool setup(void) {
  const char *seed = cdx_test_seed_path(cdx_test_seed_names[1]);
  if (!seed) return false;
  seed_text = cdx_test_read(seed, &seed_len);
  char *t = cdx_test_tmpdir();
  snprintf(tmp_dir, sizeof tmp_dir, "%s", t);
  free(t);
  snprintf(idx_dir, sizeof idx_dir, "%s/idx", tmp_dir);
  snprintf(log_path, sizeof log_path, "%s/log", tmp_dir);
  for (int i = 0; i < 400; i++) write_doc(i);
  return true;
}

static void teardown(void) {
  free(seed_text);
  cdx_test_rmtree(tmp_dir);
}

Test(crash, sigkill_at_random_instants, .timeout = 240) {
  if (!setup()) return;
  srand((unsigned)time(NULL));
  int kills = 0;
  for (int round = 0; round < 14; round++) {
    int done = logged_rounds();
    if (done > 380) break;
    pid_t pid = fork();
    cr_assert_neq(pid, -1);
    if (pid == 0) child(done);
    /* a spread of instants: during open, mid-add, mid-commit */
    usleep((useconds_t)(rand() % 250000));
    kill(pid, SIGKILL);
    int st;
    waitpid(pid, &st, 0);
    cr_assert(WIFSIGNALED(st), "child exited by itself with %d", WEXITSTATUS(st));
    kills++;
    int logged = logged_rounds();
    cdx_index *ix;
    cdx_error err;
    int rc = cdx_index_open(idx_dir, &ix, &err);
    if (rc == CDX_NOTFOUND) { /* killed before the first manifest */
      cr_assert_eq(logged, 0);
      continue;
    }
    cr_assert_eq(rc, CDX_OK, "after kill %d: %s", kills, err.message);
    bool ok = state_is(ix, logged - 1);
    if (!ok && state_is(ix, logged)) {
      /* committed but not logged: log it so the next child continues */
      FILE *f = fopen(log_path, "a");
      fprintf(f, "%d\n", logged);
      fclose(f);
      ok = true;
    }
    cr_assert(ok, "after kill %d: index holds %zu documents, log says %d rounds", kills,
              cdx_index_doc_count(ix), logged);
    cdx_index_close(ix);
    cr_assert_eq(cdx_index_check(idx_dir, &err), CDX_OK, "after kill %d: %s", kills, err.message);
  }
  /* the next writer removes the leftovers of the killed ones */
  cdx_writer *w;
  cdx_error err;
  cr_assert_eq(cdx_writer_open(idx_dir, NULL, &w, &err), CDX_OK, "%s", err.message);
  cdx_manifest m;
  cr_assert_eq(ixp_man_read(idx_dir, &m, &err), CDX_OK);
  size_t expected = 1 + m.n_segs;
  for (uint32_t i = 0; i < m.n_segs; i++) expected += m.segs[i].del_gen != 0;
  char **files = ixh_list_files(idx_dir);
  size_t n = 0;
  for (char **f = files; *f; f++, n++) free(*f);
  free(files);
  cr_assert_eq(n, expected, "%zu files, manifest names %zu", n, expected);
  cdx_man_free(&m);
  cdx_writer_close(w);
  cr_assert_gt(logged_rounds(), 0, "no commit ever completed");
  teardown();
}

/* Readers are never blocked and never see a half-made commit: while a
 * writer commits (and deletes the files of older commits) in a loop, every
 * open succeeds with a consistent document set. */
Test(crash, readers_during_commits, .timeout = 120) {
  if (!setup()) return;
  cdx_writer *w;
  cdx_error err;
  cr_assert_eq(cdx_writer_open(idx_dir, NULL, &w, &err), CDX_OK);
  cdx_writer_close(w);
  pid_t pid = fork();
  cr_assert_neq(pid, -1);
  if (pid == 0) child(0);
  int opens = 0;
  for (int i = 0; i < 300; i++) {
    cdx_index *ix;
    int rc = cdx_index_open(idx_dir, &ix, &err);
    cr_assert_eq(rc, CDX_OK, "open %d during commits: %s", i, err.message);
    size_t n = cdx_index_doc_count(ix);
    cr_assert_leq(n, 3, "%zu documents: at most three are live at any commit", n);
    cdx_index_close(ix);
    opens++;
    usleep(2000);
  }
  kill(pid, SIGKILL);
  waitpid(pid, NULL, 0);
  cr_assert_gt(logged_rounds(), 2, "the writer made too few commits to test anything");
  teardown();
}
