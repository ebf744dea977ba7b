/*
 * bench_align: the alignment layer's costs on an index, in-process and warm,
 * single-threaded (docs/ALIGN.md, bench/README.md).
 *
 *   bench_align --index DIR [--pairs N] [--similar N] [--coverage N] [--seed S] [--json FILE]
 *
 * diff:     cdx_align_documents on N pairs of versions of one policy (same
 *           policy key, else neighbours in document order); units per pair
 *           reported, so "two 60-clause documents" can be read off.
 * similar:  cdx_similar top-10 for N clauses picked at random, cited as
 *           DOC#NUMBER as a user would.
 * coverage: cdx_coverage_compute of N prefecture-level documents under
 *           their province.
 * Each gives p50 / p90 / p99 / max in milliseconds.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "bench_util.h"
#include "clausedex.h"

static int cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return x < y ? -1 : x > y;
}

static double pct(double *v, size_t n, double p) {
  if (n == 0) return 0;
  size_t i = (size_t)(p * (double)(n - 1) + 0.5);
  return v[i < n ? i : n - 1];
}

typedef struct series {
  const char *name;
  double *ms;  /* wall time of each call */
  double *cpu; /* this thread's CPU time of each call: what the code costs
                   when the machine is shared (wall drifts here) */
  size_t n;
  double units; /* mean units (diff: both documents) */
} series;

static double cpu_now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static series series_new(const char *name, size_t cap) {
  series s = {name, calloc(cap + 1, sizeof(double)), calloc(cap + 1, sizeof(double)), 0, 0};
  if (!s.ms || !s.cpu) exit(2);
  return s;
}

static void series_add(series *s, double wall0, double cpu0) {
  s->ms[s->n] = (bench_now() - wall0) * 1e3;
  s->cpu[s->n] = (cpu_now() - cpu0) * 1e3;
  s->n++;
}

static void report(FILE *json, const series *s, bool *first) {
  qsort(s->ms, s->n, sizeof *s->ms, cmp_double);
  qsort(s->cpu, s->n, sizeof *s->cpu, cmp_double);
  printf(
      "%-9s n=%-5zu wall p50 %8.2f ms  p90 %8.2f  p99 %8.2f  max %8.2f | cpu p50 %8.2f  p99 %8.2f",
      s->name, s->n, pct(s->ms, s->n, 0.5), pct(s->ms, s->n, 0.9), pct(s->ms, s->n, 0.99),
      s->n ? s->ms[s->n - 1] : 0, pct(s->cpu, s->n, 0.5), pct(s->cpu, s->n, 0.99));
  if (s->units > 0) printf("  (%.1f)", s->units);
  putchar('\n');
  if (json)
    fprintf(json,
            "%s\"%s\":{\"n\":%zu,\"p50_ms\":%.3f,\"p90_ms\":%.3f,\"p99_ms\":%.3f,\"max_ms\":%.3f,"
            "\"cpu_p50_ms\":%.3f,\"cpu_p99_ms\":%.3f,\"units\":%.1f}",
            *first ? "" : ",", s->name, s->n, pct(s->ms, s->n, 0.5), pct(s->ms, s->n, 0.9),
            pct(s->ms, s->n, 0.99), s->n ? s->ms[s->n - 1] : 0, pct(s->cpu, s->n, 0.5),
            pct(s->cpu, s->n, 0.99), s->units);
  *first = false;
}

static uint64_t rng_state = 88172645463325252ull;
static uint64_t rnd(void) {
  rng_state ^= rng_state << 13;
  rng_state ^= rng_state >> 7;
  rng_state ^= rng_state << 17;
  return rng_state;
}

static int fail(const cdx_error *e) {
  fprintf(stderr, "bench_align: %s\n", e->message);
  return 2;
}

int main(int argc, char **argv) {
  const char *dir = NULL, *json_path = NULL;
  size_t n_pairs = 50, n_similar = 200, n_coverage = 5;
  for (int i = 1; i < argc; i++) {
    if (strcmp(argv[i], "--index") == 0 && i + 1 < argc) dir = argv[++i];
    else if (strcmp(argv[i], "--pairs") == 0 && i + 1 < argc)
      n_pairs = strtoul(argv[++i], NULL, 10);
    else if (strcmp(argv[i], "--similar") == 0 && i + 1 < argc)
      n_similar = strtoul(argv[++i], NULL, 10);
    else if (strcmp(argv[i], "--coverage") == 0 && i + 1 < argc)
      n_coverage = strtoul(argv[++i], NULL, 10);
    else if (strcmp(argv[i], "--seed") == 0 && i + 1 < argc)
      rng_state ^= strtoull(argv[++i], NULL, 10) * 0x9E3779B97F4A7C15ull;
    else if (strcmp(argv[i], "--json") == 0 && i + 1 < argc) json_path = argv[++i];
    else {
      fprintf(stderr, "usage: bench_align --index DIR [--pairs N] [--similar N] [--coverage N] "
                      "[--seed S] [--json FILE]\n");
      return 2;
    }
  }
  if (!dir) {
    fprintf(stderr, "bench_align: --index DIR is required\n");
    return 2;
  }
  cdx_error err;
  cdx_index *ix = NULL;
  if (cdx_index_open(dir, &ix, &err) != CDX_OK) return fail(&err);
  size_t nd = cdx_index_doc_count(ix);
  if (nd < 2) {
    fprintf(stderr, "bench_align: the index needs two documents\n");
    return 2;
  }
  cdx_index_doc *docs = calloc(nd, sizeof *docs);
  if (!docs) return 2;
  for (size_t i = 0; i < nd; i++)
    if (cdx_index_doc_get(ix, i, &docs[i], &err) != CDX_OK) return fail(&err);
  FILE *json = json_path ? fopen(json_path, "w") : NULL;
  if (json) fputc('{', json);
  bool first = true;

  /* diff: versions of one policy where there are any. */
  series d = series_new("diff", n_pairs);
  double units = 0;
  for (size_t i = 0; i + 1 < nd && d.n < n_pairs; i++) {
    size_t j = i + 1;
    for (size_t k = i + 1; k < nd && k < i + 64; k++)
      if (docs[i].policy_key && docs[k].policy_key && *docs[i].policy_key &&
          strcmp(docs[i].policy_key, docs[k].policy_key) == 0) {
        j = k;
        break;
      }
    cdx_alignment *al = NULL;
    double t0 = bench_now(), c0 = cpu_now();
    if (cdx_align_documents(ix, docs[i].id, docs[j].id, NULL, &al, &err) != CDX_OK)
      return fail(&err);
    series_add(&d, t0, c0);
    units += (double)(docs[i].units + docs[j].units) / 2;
    cdx_alignment_free(al);
    i += nd / (n_pairs + 1) > 1 ? nd / (n_pairs + 1) - 1 : 0;
  }
  d.units = d.n ? units / (double)d.n : 0;
  report(json, &d, &first);

  /* similar: random clauses, cited DOC#NUMBER. */
  series s = series_new("similar", n_similar);
  size_t tries = 0;
  while (s.n < n_similar && tries++ < n_similar * 20) {
    size_t di = rnd() % nd;
    cdx_results *units_r = NULL;
    if (cdx_search_document(ix, docs[di].id, NULL, &units_r, &err) != CDX_OK) return fail(&err);
    size_t nu = cdx_results_count(units_r);
    const cdx_hit *h = nu ? cdx_results_get(units_r, rnd() % nu) : NULL;
    if (h && h->kind == CDX_UNIT_CLAUSE && h->number) {
      char cite[4096];
      snprintf(cite, sizeof cite, "%s#%s", h->doc, h->number);
      cdx_similar_options o = {.k = 10};
      cdx_similar_results *r = NULL;
      double t0 = bench_now(), c0 = cpu_now();
      int rc = cdx_similar(ix, cite, NULL, 0, &o, &r, &err);
      /* A clause number written twice in one document cites two units. */
      if (rc == CDX_OK) series_add(&s, t0, c0);
      else if (rc != CDX_INVALID) return fail(&err);
      cdx_similar_free(r);
    }
    cdx_results_free(units_r);
  }
  report(json, &s, &first);

  /* coverage: prefecture-level policies under their province. */
  series c = series_new("coverage", n_coverage);
  units = 0;
  for (size_t i = 0; i < nd && c.n < n_coverage; i++) {
    uint32_t code = docs[i].jurisdiction_code;
    if (!code || code % 100 != 0 || code % 10000 == 0 || !docs[i].latest) continue;
    char province[16];
    snprintf(province, sizeof province, "%u", (unsigned)(code / 10000 * 10000));
    cdx_coverage *cv = NULL;
    double t0 = bench_now(), c0 = cpu_now();
    if (cdx_coverage_compute(ix, docs[i].id, province, NULL, &cv, &err) != CDX_OK)
      return fail(&err);
    series_add(&c, t0, c0);
    units += (double)cdx_coverage_jurisdictions(cv, NULL);
    cdx_coverage_free(cv);
    i += nd / (n_coverage + 1);
  }
  c.units = c.n ? units / (double)c.n : 0;
  report(json, &c, &first);
  printf("(in brackets: diff, the mean units per document; coverage, the mean jurisdictions "
         "compared)\n");
  if (json) {
    fprintf(json, ",\"documents\":%zu}\n", nd);
    fclose(json);
  }
  free(d.ms);
  free(s.ms);
  free(c.ms);
  free(d.cpu);
  free(s.cpu);
  free(c.cpu);
  free(docs);
  cdx_index_close(ix);
  return 0;
}
