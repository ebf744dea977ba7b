/*
 * bench_engine: query latency and throughput of an open index, through the
 * public API only (as any embedder would call it).
 *
 *   bench_engine --index DIR --queries FILE [--runs N] [--threads T] [--tp-seconds S]
 *                [--json OUT] [--hits text|ids] [--clock wall|cpu] [--total exact|none]
 *
 * FILE is class<TAB>query per line ('#' comments), e.g. bench/workloads/
 * queries.tsv after bench/run has resolved its placeholders. For every query:
 * one warm-up run, then N timed runs of a top-10 search (reading each hit's
 * title and text, since a caller always does; with --hits ids, ranked ids and
 * scores only, cdx_search_options.no_stored, as the peers' id-only top-10)
 * and N timed count-only runs. With --total none the top-10 runs set
 * cdx_search_options.top_only (the ranking may stop early; the exact total
 * is the count-only run's, timed apart), as a caller that wants the total
 * asks it of the count paths.
 * With --clock cpu the per-query times are the thread's CPU time
 * (CLOCK_THREAD_CPUTIME_ID), so a run preempted by other jobs on a shared
 * machine does not count its wait (throughput stays wall time).
 * Percentiles are pooled per class (nearest rank). Then the whole query set
 * runs from one thread and from T threads on the same handle for S seconds
 * (default 2, at least one pass), for queries/s.
 * Writes a JSON report (keys: queries, classes, throughput) and prints a
 * Markdown summary. Exit 0 on success, 2 on a usage error or when the index
 * cannot be opened; a query the engine rejects is reported, not fatal.
 */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "clausedex.h"

typedef struct bench_query {
  char *cls;
  char *text;
  int failed; /* the engine rejected it: no timings */
  char error[512];
  size_t matches;   /* exact total from the count-only run */
  double *top10_ms; /* runs samples each */
  double *count_ms;
} bench_query;

typedef struct bench_set {
  bench_query *q;
  size_t n, cap;
} bench_set;

static double now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static clockid_t query_clock = CLOCK_MONOTONIC;

static double query_ms(void) {
  struct timespec ts;
  clock_gettime(query_clock, &ts);
  return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static void die(const char *fmt, const char *arg) {
  fputs("bench_engine: ", stderr);
  fprintf(stderr, fmt, arg);
  fputc('\n', stderr);
  exit(2);
}

static char *xstrdup(const char *s, size_t n) {
  char *p = malloc(n + 1);
  if (!p) die("%s", "out of memory");
  memcpy(p, s, n);
  p[n] = '\0';
  return p;
}

static void read_queries(const char *path, bench_set *set) {
  FILE *f = fopen(path, "r");
  if (!f) die("cannot open query file %s", path);
  char *line = NULL;
  size_t cap = 0;
  ssize_t len;
  while ((len = getline(&line, &cap, f)) >= 0) {
    while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r')) line[--len] = '\0';
    const char *p = line;
    while (*p == ' ' || *p == '\t') p++;
    if (*p == '\0' || *p == '#') continue;
    char *tab = strchr(line, '\t');
    if (!tab) die("%s: a line without class<TAB>query", path);
    if (set->n == set->cap) {
      set->cap = set->cap ? set->cap * 2 : 64;
      set->q = realloc(set->q, set->cap * sizeof *set->q);
      if (!set->q) die("%s", "out of memory");
    }
    bench_query *q = &set->q[set->n++];
    memset(q, 0, sizeof *q);
    q->cls = xstrdup(line, (size_t)(tab - line));
    q->text = xstrdup(tab + 1, strlen(tab + 1));
  }
  free(line);
  fclose(f);
  if (set->n == 0) die("%s holds no queries", path);
}

/* Runs one search the way a caller would: a top-10 search touches every hit's
 * title and text (stored fields are decoded lazily by some engines, and the
 * cost of getting them is part of answering). Returns the status. */
static int no_stored; /* --hits ids */
static int top_only;  /* --total none */

static int run_once(const cdx_index *ix, const char *query, int count_only, size_t *total,
                    size_t *sink, cdx_error *err) {
  cdx_search_options opt = {0};
  opt.k = 10;
  opt.count_only = count_only;
  opt.no_stored = no_stored;
  opt.top_only = top_only && !count_only;
  cdx_results *res = NULL;
  int rc = cdx_search(ix, query, &opt, &res, err);
  if (rc != CDX_OK) return rc;
  *total = cdx_results_total(res);
  for (size_t i = 0; i < cdx_results_count(res); i++) {
    const cdx_hit *h = cdx_results_get(res, i);
    *sink += strlen(h->title) + h->text_len + (size_t)(h->text_len ? (unsigned char)h->text[0] : 0);
  }
  cdx_results_free(res);
  return CDX_OK;
}

static int cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

/* Nearest-rank percentile of sorted v[0..n) (same rule as bench/peers). */
static double percentile(const double *v, size_t n, double p) {
  if (n == 0) return 0;
  long k = (long)ceil(p / 100.0 * (double)n) - 1;
  if (k < 0) k = 0;
  if ((size_t)k >= n) k = (long)n - 1;
  return v[k];
}

static void json_str(FILE *f, const char *s) {
  fputc('"', f);
  for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
    if (*p == '"' || *p == '\\') fprintf(f, "\\%c", *p);
    else if (*p < 0x20) fprintf(f, "\\u%04x", *p);
    else fputc(*p, f);
  }
  fputc('"', f);
}

static void json_summary(FILE *f, double *v, size_t n) {
  qsort(v, n, sizeof *v, cmp_double);
  fprintf(f, "{\"runs\": %zu, \"p50_ms\": %.4f, \"p95_ms\": %.4f, \"p99_ms\": %.4f}", n,
          percentile(v, n, 50), percentile(v, n, 95), percentile(v, n, 99));
}

typedef struct thread_job {
  const cdx_index *ix;
  const bench_set *set;
  size_t start; /* threads start at different queries so they do not */
                /* move in lock step over the same postings */
  double deadline_ms;
  size_t done;
  size_t sink;
  int rc;
} thread_job;

static void *thread_main(void *arg) {
  thread_job *j = arg;
  cdx_error err;
  /* At least one full pass over the set, then until the deadline. */
  for (size_t r = 0; r == 0 || now_ms() < j->deadline_ms; r++)
    for (size_t i = 0; i < j->set->n; i++) {
      const bench_query *q = &j->set->q[(j->start + i) % j->set->n];
      if (q->failed) continue;
      size_t total;
      if (run_once(j->ix, q->text, 0, &total, &j->sink, &err) != CDX_OK) j->rc = err.code;
      j->done++;
    }
  return NULL;
}

/* Queries per second with `threads` threads, each running the whole set at
 * least once and then until `seconds` have passed. */
static double throughput(const cdx_index *ix, const bench_set *set, int threads, double seconds,
                         size_t *n_done, double *secs, size_t *sink) {
  pthread_t tid[64];
  thread_job job[64];
  double t0 = now_ms();
  for (int t = 0; t < threads; t++) {
    job[t] =
        (thread_job){ix, set, (size_t)t * set->n / (size_t)threads, t0 + seconds * 1e3, 0, 0, 0};
    if (pthread_create(&tid[t], NULL, thread_main, &job[t]) != 0)
      die("%s", "pthread_create failed");
  }
  size_t done = 0;
  for (int t = 0; t < threads; t++) {
    pthread_join(tid[t], NULL);
    done += job[t].done;
    *sink += job[t].sink;
    if (job[t].rc != CDX_OK)
      die("a query failed during the throughput run (%s)", cdx_strerror(job[t].rc));
  }
  *secs = (now_ms() - t0) / 1e3;
  *n_done = done;
  return *secs > 0 ? (double)done / *secs : 0;
}

int main(int argc, char **argv) {
  const char *index_dir = NULL, *queries = NULL, *json_path = NULL;
  long runs = 20, threads = 2;
  double tp_seconds = 2.0;
  for (int i = 1; i < argc; i += 2) { /* every option takes a value */
    const char *a = argv[i];
    const char *v = i + 1 < argc ? argv[i + 1] : NULL;
    if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
      printf("usage: bench_engine --index DIR --queries FILE [--runs N] [--threads T]\n"
             "                    [--tp-seconds S] [--json OUT] [--hits text|ids]\n"
             "                    [--clock wall|cpu] [--total exact|none]\n");
      return 0;
    }
    if (!v) die("option %s needs a value", a);
    if (strcmp(a, "--index") == 0) index_dir = v;
    else if (strcmp(a, "--queries") == 0) queries = v;
    else if (strcmp(a, "--json") == 0) json_path = v;
    else if (strcmp(a, "--runs") == 0) runs = strtol(v, NULL, 10);
    else if (strcmp(a, "--threads") == 0) threads = strtol(v, NULL, 10);
    else if (strcmp(a, "--tp-seconds") == 0) tp_seconds = strtod(v, NULL);
    else if (strcmp(a, "--hits") == 0 && (strcmp(v, "ids") == 0 || strcmp(v, "text") == 0))
      no_stored = strcmp(v, "ids") == 0;
    else if (strcmp(a, "--total") == 0 && (strcmp(v, "none") == 0 || strcmp(v, "exact") == 0))
      top_only = strcmp(v, "none") == 0;
    else if (strcmp(a, "--clock") == 0 && (strcmp(v, "cpu") == 0 || strcmp(v, "wall") == 0))
      query_clock = strcmp(v, "cpu") == 0 ? CLOCK_THREAD_CPUTIME_ID : CLOCK_MONOTONIC;
    else die("unknown option %s", a);
  }
  if (!index_dir || !queries) die("%s", "--index and --queries are required (see --help)");
  if (runs < 1 || runs > 100000) die("%s", "--runs must be 1..100000");
  if (threads < 1 || threads > 64) die("%s", "--threads must be 1..64");
  if (!(tp_seconds >= 0 && tp_seconds <= 3600)) die("%s", "--tp-seconds must be 0..3600");

  bench_set set = {0};
  read_queries(queries, &set);

  cdx_error err;
  cdx_index *ix = NULL;
  if (cdx_index_open(index_dir, &ix, &err) != CDX_OK) die("%s", err.message);

  size_t sink = 0;
  for (size_t i = 0; i < set.n; i++) {
    bench_query *q = &set.q[i];
    size_t total = 0;
    /* Warm-up, and the exact count, before the timed runs. */
    if (run_once(ix, q->text, 1, &q->matches, &sink, &err) != CDX_OK ||
        run_once(ix, q->text, 0, &total, &sink, &err) != CDX_OK) {
      q->failed = 1;
      snprintf(q->error, sizeof q->error, "%s", err.message);
      continue;
    }
    q->top10_ms = malloc((size_t)runs * sizeof(double));
    q->count_ms = malloc((size_t)runs * sizeof(double));
    if (!q->top10_ms || !q->count_ms) die("%s", "out of memory");
    for (long r = 0; r < runs; r++) {
      double t0 = query_ms();
      run_once(ix, q->text, 0, &total, &sink, &err);
      double t1 = query_ms();
      run_once(ix, q->text, 1, &total, &sink, &err);
      double t2 = query_ms();
      q->top10_ms[r] = t1 - t0;
      q->count_ms[r] = t2 - t1;
    }
  }

  size_t done1, doneN;
  double secs1, secsN;
  double qps1 = throughput(ix, &set, 1, tp_seconds, &done1, &secs1, &sink);
  double qpsN = throughput(ix, &set, (int)threads, tp_seconds, &doneN, &secsN, &sink);

  FILE *f = json_path ? fopen(json_path, "w") : NULL;
  if (json_path && !f) die("cannot write %s", json_path);
  if (f) {
    fprintf(f, "{\"engine\": \"clausedex\", \"version\": ");
    json_str(f, cdx_version());
    fprintf(f, ", \"index\": ");
    json_str(f, index_dir);
    fprintf(f, ", \"runs\": %ld,\n \"queries\": [\n", runs);
    for (size_t i = 0; i < set.n; i++) {
      bench_query *q = &set.q[i];
      fprintf(f, "  {\"class\": ");
      json_str(f, q->cls);
      fprintf(f, ", \"query\": ");
      json_str(f, q->text);
      if (q->failed) {
        fprintf(f, ", \"matches\": null, \"error\": ");
        json_str(f, q->error);
      } else {
        /* Copies: the per-class pooling below needs the unsorted samples. */
        double *a = malloc((size_t)runs * sizeof(double)),
               *b = malloc((size_t)runs * sizeof(double));
        if (!a || !b) die("%s", "out of memory");
        memcpy(a, q->top10_ms, (size_t)runs * sizeof(double));
        memcpy(b, q->count_ms, (size_t)runs * sizeof(double));
        fprintf(f, ", \"matches\": %zu, \"top10\": ", q->matches);
        json_summary(f, a, (size_t)runs);
        fprintf(f, ", \"count_only\": ");
        json_summary(f, b, (size_t)runs);
        free(a);
        free(b);
      }
      fprintf(f, "}%s\n", i + 1 < set.n ? "," : "");
    }
    fprintf(f, " ],\n \"classes\": {");
  }

  printf("| class | queries | top-10 p50 ms | p95 | p99 | count p50 ms | p95 | p99 |\n"
         "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
  double *pool_t = malloc(set.n * (size_t)runs * sizeof(double));
  double *pool_c = malloc(set.n * (size_t)runs * sizeof(double));
  if (!pool_t || !pool_c) die("%s", "out of memory");
  int first_class = 1;
  for (size_t i = 0; i < set.n; i++) {
    int seen = 0;
    for (size_t j = 0; j < i; j++) seen |= strcmp(set.q[j].cls, set.q[i].cls) == 0;
    if (seen) continue;
    size_t np = 0, nq = 0;
    for (size_t j = i; j < set.n; j++) {
      if (strcmp(set.q[j].cls, set.q[i].cls) != 0 || set.q[j].failed) continue;
      memcpy(pool_t + np, set.q[j].top10_ms, (size_t)runs * sizeof(double));
      memcpy(pool_c + np, set.q[j].count_ms, (size_t)runs * sizeof(double));
      np += (size_t)runs;
      nq++;
    }
    if (np == 0) continue;
    if (f) {
      fprintf(f, "%s\n  ", first_class ? "" : ",");
      json_str(f, set.q[i].cls);
      fprintf(f, ": {\"top10\": ");
      json_summary(f, pool_t, np);
      fprintf(f, ", \"count_only\": ");
      json_summary(f, pool_c, np);
      fprintf(f, "}");
    } else {
      qsort(pool_t, np, sizeof(double), cmp_double);
      qsort(pool_c, np, sizeof(double), cmp_double);
    }
    first_class = 0;
    printf("| %s | %zu | %.3f | %.3f | %.3f | %.3f | %.3f | %.3f |\n", set.q[i].cls, nq,
           percentile(pool_t, np, 50), percentile(pool_t, np, 95), percentile(pool_t, np, 99),
           percentile(pool_c, np, 50), percentile(pool_c, np, 95), percentile(pool_c, np, 99));
  }
  printf("\nthroughput (top-10, whole set, %.1f s): 1 thread %.0f queries/s, %ld threads %.0f "
         "queries/s\n",
         tp_seconds, qps1, threads, qpsN);
  for (size_t i = 0; i < set.n; i++)
    if (set.q[i].failed) printf("rejected: %s: %s\n", set.q[i].text, set.q[i].error);

  if (f) {
    fprintf(f,
            "\n },\n \"throughput\": {\"threads\": %ld, \"queries\": %zu, \"seconds\": %.4f, "
            "\"qps\": %.1f, \"single_thread_qps\": %.1f, \"single_thread_seconds\": %.4f},\n"
            " \"checksum\": %zu}\n",
            threads, doneN, secsN, qpsN, qps1, secs1, sink);
    if (fclose(f) != 0) die("error writing %s", json_path);
  }
  free(pool_t);
  free(pool_c);
  for (size_t i = 0; i < set.n; i++) {
    free(set.q[i].cls);
    free(set.q[i].text);
    free(set.q[i].top10_ms);
    free(set.q[i].count_ms);
  }
  free(set.q);
  cdx_index_close(ix);
  return 0;
}
