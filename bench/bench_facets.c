/*
 * bench_facets: the cost of facets against the count of the same query,
 * and the latency of the fact filters, through the public API only.
 *
 *   bench_facets --index DIR [--runs N] [--facets LIST] [QUERY...]
 *
 * For each query (a default set of department, figure and word queries
 * when none are given): one warm-up, then N rounds, each timing a
 * count-only search and the same search with the facets (default all six:
 * dept,lead,jurisdiction,status,edition,year), back to back, so both see
 * the same machine. Prints a Markdown table of medians and their ratio,
 * in wall time and in the thread's CPU time (a search runs on one thread;
 * CPU time leaves out the waits for a core that other processes cause, so
 * it drifts less on a shared machine).
 * Exit 2 on a usage error, an index that does not open or a query that
 * fails.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "clausedex.h"

static double now_ms(clockid_t clock) {
  struct timespec ts;
  clock_gettime(clock, &ts);
  return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return x < y ? -1 : x > y;
}

static double median(double *v, size_t n) {
  qsort(v, n, sizeof *v, cmp_double);
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* One search: its wall time returned, its CPU time into *cpu. */
static double one(const cdx_index *ix, const char *q, const char *facets, size_t *total,
                  double *cpu) {
  cdx_search_options opt = {0};
  opt.count_only = 1;
  opt.facets = facets;
  cdx_results *r = NULL;
  cdx_error err;
  double t0 = now_ms(CLOCK_MONOTONIC), c0 = now_ms(CLOCK_THREAD_CPUTIME_ID);
  if (cdx_search(ix, q, &opt, &r, &err) != CDX_OK) {
    fprintf(stderr, "bench_facets: %s: %s\n", q, err.message);
    exit(2);
  }
  *cpu = now_ms(CLOCK_THREAD_CPUTIME_ID) - c0;
  double t = now_ms(CLOCK_MONOTONIC) - t0;
  *total = cdx_results_total(r);
  cdx_results_free(r);
  return t;
}

int main(int argc, char **argv) {
  static const char *const defaults[] = {
      "dept:财政局",       "lead:发改局",  "dept:科学*", "amount:>=100万",
      "percent:>=50 补贴", "count:>=10家", "企业",       "补贴 jurisdiction:温州市",
      "以旧换新"};
  const char *dir = NULL, *facets = "dept,lead,jurisdiction,status,edition,year";
  int runs = 11;
  const char **qs = NULL;
  size_t nq = 0;
  qs = calloc((size_t)argc + sizeof defaults / sizeof defaults[0], sizeof *qs);
  if (!qs) return 2;
  for (int i = 1; i < argc; i++) {
    if (strcmp(argv[i], "--index") == 0 && i + 1 < argc) dir = argv[++i];
    else if (strcmp(argv[i], "--runs") == 0 && i + 1 < argc) runs = atoi(argv[++i]);
    else if (strcmp(argv[i], "--facets") == 0 && i + 1 < argc) facets = argv[++i];
    else if (argv[i][0] == '-') {
      fprintf(stderr, "usage: bench_facets --index DIR [--runs N] [--facets LIST] [QUERY...]\n");
      return 2;
    } else qs[nq++] = argv[i];
  }
  if (!dir || runs < 1 || runs > 10000) {
    fprintf(stderr, "usage: bench_facets --index DIR [--runs N] [--facets LIST] [QUERY...]\n");
    return 2;
  }
  if (nq == 0) {
    for (size_t i = 0; i < sizeof defaults / sizeof defaults[0]; i++) qs[i] = defaults[i];
    nq = sizeof defaults / sizeof defaults[0];
  }
  cdx_index *ix = NULL;
  cdx_error err;
  if (cdx_index_open(dir, &ix, &err) != CDX_OK) {
    fprintf(stderr, "bench_facets: %s\n", err.message);
    return 2;
  }
  /* wall and CPU times of the count (a, ca) and of the facets (b, cb) */
  double *a = malloc((size_t)runs * sizeof *a), *b = malloc((size_t)runs * sizeof *b);
  double *ca = malloc((size_t)runs * sizeof *ca), *cb = malloc((size_t)runs * sizeof *cb);
  if (!a || !b || !ca || !cb) return 2;
  printf("facets: %s; %d rounds, count and count+facets alternating; medians\n\n", facets, runs);
  printf("| query | matches | --count ms | with facets ms | ratio | --count CPU ms "
         "| with facets CPU ms | CPU ratio |\n"
         "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
  for (size_t k = 0; k < nq; k++) {
    size_t total = 0, t2 = 0;
    double c;
    one(ix, qs[k], NULL, &total, &c);
    one(ix, qs[k], facets, &t2, &c);
    for (int r = 0; r < runs; r++) {
      a[r] = one(ix, qs[k], NULL, &total, &ca[r]);
      b[r] = one(ix, qs[k], facets, &t2, &cb[r]);
    }
    if (t2 != total) {
      fprintf(stderr, "bench_facets: %s: %zu matches with facets, %zu without\n", qs[k], t2, total);
      return 2;
    }
    size_t n = (size_t)runs;
    double ma = median(a, n), mb = median(b, n), mca = median(ca, n), mcb = median(cb, n);
    printf("| `%s` | %zu | %.2f | %.2f | %.2f | %.2f | %.2f | %.2f |\n", qs[k], total, ma, mb,
           ma > 0 ? mb / ma : 0, mca, mcb, mca > 0 ? mcb / mca : 0);
  }
  free(a);
  free(b);
  free(ca);
  free(cb);
  free(qs);
  cdx_index_close(ix);
  return 0;
}
