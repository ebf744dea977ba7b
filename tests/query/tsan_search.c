/*
 * Concurrent searches on one open index while another process commits. A
 * plain program (Criterion cannot start under ThreadSanitizer: its arena
 * mapping fails), run by ctest in every build and by scripts/check in a
 * ThreadSanitizer build:
 *
 *   cmake -S . -B build-tsan -DCDX_TSAN=ON -DCDX_BENCH=OFF
 *   cmake --build build-tsan --target tsan_search && build-tsan/tests/tsan_search
 *
 * It generates a small corpus and indexes it, then forks a writer process
 * that makes COMMITS commits (adding and deleting a document each), while
 * SEARCHERS threads run the query set on one shared handle and one thread
 * opens a fresh handle per round. Pass (exit 0) when: every search on the
 * shared handle gives the totals it gave before the writer started (a
 * handle keeps the commit it opened), every open and search during the
 * commits succeeds, the writer finished, the index passes check; and, under
 * TSan, no report (TSan makes the exit status non-zero on a race).
 */
#define _POSIX_C_SOURCE 200809L
#define _DEFAULT_SOURCE
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "clausedex.h"
#include "tests/support/tsan_corpus.h"

#define SEARCHERS 6
#define ROUNDS 6
#define COMMITS 12

static const char *const qs[] = {
    "创新", "人才 OR 科技", "发展 -人才", "\"高质量 发展\"",         "企业 status:draft",
    "局",   "5G",           "经济，高质", "奖励 edition:2023..2025", "责任单位"};
#define NQ (sizeof qs / sizeof qs[0])
static cdx_index *shared;
static size_t totals[NQ];
static const char *idx_dir;
static volatile int writer_done;

static int search_total(cdx_index *ix, const char *q, size_t *total) {
  cdx_results *res;
  cdx_error e;
  if (cdx_search(ix, q, NULL, &res, &e) != CDX_OK) {
    fprintf(stderr, "search '%s': %s\n", q, e.message);
    return -1;
  }
  *total = cdx_results_total(res);
  cdx_results_free(res);
  return 0;
}

static void *searcher(void *arg) {
  (void)arg;
  for (int r = 0; r < ROUNDS; r++)
    for (size_t q = 0; q < NQ; q++) {
      size_t t;
      if (search_total(shared, qs[q], &t) != 0) return (void *)1;
      if (t != totals[q]) {
        fprintf(stderr, "'%s': %zu matches, %zu before the writer started\n", qs[q], t, totals[q]);
        return (void *)2;
      }
    }
  return NULL;
}

/* Fresh handles while the other process commits: each opens the commit of
 * that moment and searches it. */
static void *reopener(void *arg) {
  (void)arg;
  for (int r = 0; r < ROUNDS * 4; r++) {
    cdx_index *ix;
    cdx_error e;
    if (cdx_index_open(idx_dir, &ix, &e) != CDX_OK) {
      fprintf(stderr, "open during commits: %s\n", e.message);
      return (void *)1;
    }
    size_t t;
    int rc = search_total(ix, qs[r % NQ], &t);
    cdx_index_close(ix);
    if (rc) return (void *)1;
  }
  return NULL;
}

static int die(const char *what, const cdx_error *e) {
  fprintf(stderr, "%s: %s\n", what, e->message);
  return 2;
}

/* The other process: COMMITS commits, each adding a document and deleting
 * the previous round's. */
static int writer(const char *work) {
  for (int i = 0; i < COMMITS; i++) {
    char p[4200], old[4200];
    snprintf(p, sizeof p, "%s/extra-%d.txt", work, i);
    FILE *f = fopen(p, "w");
    if (!f) return 3;
    fprintf(f, "关于第%d轮推动创新发展的若干意见\n一、总体要求\n（一）加强创新载体建设，第%d轮。\n",
            i, i);
    fclose(f);
    cdx_writer *w;
    cdx_error e;
    if (cdx_writer_open(idx_dir, NULL, &w, &e) != CDX_OK) return die("writer open", &e);
    if (cdx_writer_add_file(w, p, NULL, NULL, &e) != CDX_OK) return die("add", &e);
    snprintf(old, sizeof old, "%s/extra-%d.txt", work, i - 1);
    if (i > 0 && cdx_writer_delete(w, old, &e) != CDX_OK) return die("delete", &e);
    if (cdx_writer_commit(w, &e) != CDX_OK) return die("commit", &e);
    cdx_writer_close(w);
  }
  return 0;
}

int main(int argc, char **argv) {
  char tmpl[] = "/tmp/cdx-tsan.XXXXXX";
  const char *work = argc > 1 ? argv[1] : mkdtemp(tmpl);
  if (!work) return perror("mkdtemp"), 2;
  static char idx[4200];
  size_t n;
  if (cdx_tsan_index_corpus(work, 19, 400 << 10, 0, "", idx, sizeof idx, &n) != 0) return 2;
  idx_dir = idx;
  cdx_error e;
  if (cdx_index_open(idx, &shared, &e) != CDX_OK) return die("open", &e);
  for (size_t q = 0; q < NQ; q++)
    if (search_total(shared, qs[q], &totals[q]) != 0) return 2;
  /* fork before any thread exists */
  pid_t pid = fork();
  if (pid < 0) return perror("fork"), 2;
  if (pid == 0) _exit(writer(work));
  pthread_t t[SEARCHERS + 1];
  for (int i = 0; i < SEARCHERS; i++) pthread_create(&t[i], NULL, searcher, NULL);
  pthread_create(&t[SEARCHERS], NULL, reopener, NULL);
  int bad = 0;
  for (int i = 0; i <= SEARCHERS; i++) {
    void *r;
    pthread_join(t[i], &r);
    bad += r != NULL;
  }
  int st;
  waitpid(pid, &st, 0);
  int writer_ok = WIFEXITED(st) && WEXITSTATUS(st) == 0;
  cdx_index_close(shared);
  int check = cdx_index_check(idx, &e);
  printf("%zu documents, %d commits by another process during %d x %d searches: "
         "%d threads failed, writer %s, check %s\n",
         n, COMMITS, SEARCHERS, ROUNDS * (int)NQ, bad, writer_ok ? "ok" : "FAILED",
         check == CDX_OK ? "ok" : e.message);
  if (argc <= 1) {
    char cmd[9000];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", work);
    if (system(cmd) != 0) return 2;
  }
  return bad || !writer_ok || check != CDX_OK ? 1 : 0;
}
