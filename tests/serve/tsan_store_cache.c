/*
 * The shared cache of inflated stored blocks (cdx_index_set_store_cache,
 * indexer/store_cache.c) gives the same hits as reading without it, from
 * many threads at once. A plain program (Criterion cannot start under
 * ThreadSanitizer), run by ctest in every build and by scripts/check in a
 * ThreadSanitizer build:
 *
 *   cmake -S . -B build-tsan -DCDX_TSAN=ON -DCDX_BENCH=OFF
 *   cmake --build build-tsan --target tsan_store_cache && build-tsan/tests/tsan_store_cache
 *
 * It generates a corpus and indexes it in two commits (two segments), then
 * records, on a handle without the cache, the JSON of every hit of a query
 * set (words, phrases verified against the stored text, filters, deep
 * pages) and of every unit of every document (cdx_search_document). Then
 * THREADS threads run all of it ROUNDS times, each from its own starting
 * point, on two shared handles with the cache: one roomy (everything stays)
 * and one so small that blocks are evicted while others read them. Pass
 * (exit 0) when every answer's JSON equals the uncached one, both caches
 * were used and the small one stayed within its budget; and, under TSan, no
 * report.
 */
#define _POSIX_C_SOURCE 200809L
#define _DEFAULT_SOURCE
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "clausedex.h"
#include "clausedex/generate.h"
#include "tests/support/tsan_corpus.h"
#include "indexer/ix_internal.h" /* cdx_store_cache_usage */

#define THREADS 6
#define ROUNDS 3
#define SMALL_CACHE ((size_t)512 << 10) /* two blocks or so per shard: a third of them */

static const char *const qs[] = {"创新",
                                 "人才 OR 科技",
                                 "发展 -人才",
                                 "\"高质量 发展\"",
                                 "企业 status:draft",
                                 "局",
                                 "5G",
                                 "经济，高质",
                                 "\"责任单位：\"",
                                 "责任单位 edition:2023..2025",
                                 "\"推动，发展\"",
                                 "市科技局 OR 财政局"};
#define NQ (sizeof qs / sizeof qs[0])
#define PAGE 40 /* hits per query: more blocks than a top 10 */

/* One job: a query's hits, or a document's units. */
typedef struct job {
  const char *query; /* NULL: doc */
  char *doc;
  char *want; /* the uncached answer's JSON, hits joined by '\n' */
} job;

static job *jobs;
static size_t n_jobs;
static cdx_index *roomy, *small;

static int die(const char *what, const cdx_error *e) {
  fprintf(stderr, "tsan_store_cache: %s: %s\n", what, e->message);
  return 2;
}

/* The answer of job j on ix as JSON, or NULL with *e set. */
static char *answer(cdx_index *ix, const job *j, cdx_error *e) {
  cdx_results *res = NULL;
  cdx_search_options o = {.k = PAGE};
  int rc = j->query ? cdx_search(ix, j->query, &o, &res, e)
                    : cdx_search_document(ix, j->doc, NULL, &res, e);
  if (rc != CDX_OK) return NULL;
  cdx_buf b;
  cdx_buf_init(&b);
  char head[64];
  snprintf(head, sizeof head, "total %zu\n", cdx_results_total(res));
  int brc = CDX_OK;
  cdx_buf_append(&brc, &b, head, strlen(head));
  for (size_t i = 0; brc == CDX_OK && i < cdx_results_count(res); i++) {
    char *js = NULL;
    size_t len = 0;
    if ((brc = cdx_hit_to_json(cdx_results_get(res, i), &js, &len, e)) != CDX_OK) break;
    cdx_buf_append(&brc, &b, js, len);
    cdx_buf_append(&brc, &b, "\n", 1);
    cdx_free(js);
  }
  cdx_results_free(res);
  const char *str = brc == CDX_OK ? cdx_buf_str(&brc, &b) : NULL;
  if (!str || brc != CDX_OK) {
    cdx_buf_free(&b);
    cdx_err_set(e, CDX_NOMEM, CDX_NO_OFFSET, "out of memory or JSON");
    return NULL;
  }
  return b.data;
}

static void *worker(void *arg) {
  size_t id = (size_t)arg, bad = 0;
  for (size_t r = 0; r < ROUNDS; r++)
    for (size_t k = 0; k < n_jobs; k++) {
      const job *j = &jobs[(k + id * 7919) % n_jobs];
      cdx_index *ix = (k + id + r) % 2 ? roomy : small;
      cdx_error e;
      char *got = answer(ix, j, &e);
      if (!got) {
        fprintf(stderr, "tsan_store_cache: FAIL: %s: %s\n", j->query ? j->query : j->doc,
                e.message);
        bad++;
      } else if (strcmp(got, j->want) != 0) {
        fprintf(stderr, "tsan_store_cache: FAIL: %s (%s cache): hits differ from uncached\n",
                j->query ? j->query : j->doc, ix == roomy ? "roomy" : "small");
        bad++;
      }
      free(got);
    }
  return (void *)bad;
}

int main(int argc, char **argv) {
  char tmpl[] = "/tmp/cdx-tsan-cache.XXXXXX";
  const char *work = argc > 1 ? argv[1] : mkdtemp(tmpl);
  if (!work) return perror("mkdtemp"), 2;
  static char idx[4200];
  /* two commits: two segments, so the cache's keys tell segments apart */
  if (cdx_tsan_index_corpus(work, 23, 1200 << 10, 40, "tsan_store_cache: ", idx, sizeof idx, NULL))
    return 2;
  cdx_error e;

  cdx_index *plain;
  if (cdx_index_open(idx, &plain, &e) != CDX_OK || cdx_index_open(idx, &roomy, &e) != CDX_OK ||
      cdx_index_open(idx, &small, &e) != CDX_OK)
    return die("open", &e);
  if (cdx_index_set_store_cache(roomy, (size_t)64 << 20, &e) != CDX_OK ||
      cdx_index_set_store_cache(small, SMALL_CACHE, &e) != CDX_OK)
    return die("set_store_cache", &e);
  size_t n_docs = cdx_index_doc_count(plain);
  jobs = calloc(NQ + n_docs, sizeof *jobs);
  for (size_t q = 0; q < NQ; q++) jobs[n_jobs++].query = qs[q];
  for (size_t d = 0; d < n_docs; d++) {
    cdx_index_doc doc;
    if (cdx_index_doc_get(plain, d, &doc, &e) != CDX_OK) return die("doc", &e);
    jobs[n_jobs++].doc = strdup(doc.id);
  }
  size_t hits = 0;
  for (size_t k = 0; k < n_jobs; k++) {
    if (!(jobs[k].want = answer(plain, &jobs[k], &e))) return die("uncached answer", &e);
    for (const char *p = jobs[k].want; (p = strchr(p, '\n')); p++) hits++;
  }
  pthread_t t[THREADS];
  for (size_t i = 0; i < THREADS; i++) pthread_create(&t[i], NULL, worker, (void *)i);
  size_t bad = 0;
  for (size_t i = 0; i < THREADS; i++) {
    void *r;
    pthread_join(t[i], &r);
    bad += (size_t)r;
  }
  size_t rb, rbytes, sb, sbytes;
  cdx_store_cache_usage(roomy->store_cache, &rb, &rbytes);
  cdx_store_cache_usage(small->store_cache, &sb, &sbytes);
  printf("%zu documents in 2 segments, %zu queries, %zu answers (%zu lines) x %d threads x %d "
         "rounds: %zu differ; roomy cache %zu blocks (%zu bytes), small %zu blocks (%zu of %zu "
         "bytes)\n",
         n_docs, NQ, n_jobs, hits, THREADS, ROUNDS, bad, rb, rbytes, sb, sbytes, SMALL_CACHE);
  int fail = bad > 0;
  if (rb == 0 || sb == 0) {
    fprintf(stderr, "tsan_store_cache: FAIL: a cache was never filled\n");
    fail = 1;
  }
  if (sbytes > SMALL_CACHE || sb >= rb) {
    fprintf(stderr,
            "tsan_store_cache: FAIL: the small cache holds %zu bytes (%zu blocks; roomy "
            "%zu)\n",
            sbytes, sb, rb);
    fail = 1;
  }
  for (size_t k = 0; k < n_jobs; k++) {
    free(jobs[k].doc);
    free(jobs[k].want);
  }
  free(jobs);
  cdx_index_close(plain);
  cdx_index_close(roomy);
  cdx_index_close(small);
  if (argc <= 1) {
    char cmd[9000];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", work);
    if (system(cmd) != 0) return 2;
  }
  return fail;
}
