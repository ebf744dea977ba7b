/*
 * Intersection and phrase cost, through the public API on a real index.
 *
 *   bench_ops [--units N] [--runs R] [--dir WORK] [--json FILE] [--cpu]
 *
 * Builds (once per WORK directory) an index of N short units whose words are
 * drawn independently with fixed probabilities, so every list length and
 * every intersection size is known:
 *   la, lb, le  in 1/4 of the units        (the "1" of the ratios)
 *   lc          in 1/40                    (1:10)
 *   ld          in 1/4000                  (1:1000)
 *   pa, pb      in 1/4 each; where both occur, half the units have them
 *               adjacent ("pa pb") and half apart ("pb w pa")
 * plus five filler words from a 2,000-word vocabulary, so units are not
 * trivially short. Then each query runs count-only (the exact total, every
 * match visited: the scan the engine cannot prune) and top-10, median of R
 * runs after a warm-up. Throughput is the sum of the input list lengths per
 * second, the figure intersection papers report; the phrase rows compare
 * "pa pb" with the AND pa pb over the same two lists, so their difference is
 * the cost of reading and matching positions.
 *
 * With --cpu the times are the thread's CPU time (CLOCK_THREAD_CPUTIME_ID)
 * instead of wall time: on a machine shared with other jobs, a run that is
 * preempted does not count the time it waited.
 *
 * Latin words are used so the lists are exact; a CJK bigram list is the same
 * kind of term list in the index.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "clausedex.h"
#include "bench_util.h"

enum { L_A, L_B, L_E, L_C, L_D, L_PA, L_PB, L_N };
static const char *const list_name[L_N] = {"la", "lb", "le", "lc", "ld", "pa", "pb"};
static const uint32_t list_inv_density[L_N] = {4, 4, 4, 40, 4000, 4, 4};

static uint64_t rng_state = 0x9E3779B97F4A7C15ULL;
static uint64_t rng(void) { /* xorshift64*: deterministic, so the index is too */
  rng_state ^= rng_state >> 12;
  rng_state ^= rng_state << 25;
  rng_state ^= rng_state >> 27;
  return rng_state * 0x2545F4914F6CDD1DULL;
}

static void die(const char *what, const cdx_error *err) {
  fprintf(stderr, "bench_ops: %s%s%s\n", what, err ? ": " : "", err ? err->message : "");
  exit(2);
}

/* Writes the JSON Lines corpus and returns each list's length in len[]. */
static void write_corpus(const char *path, size_t units, size_t len[L_N]) {
  FILE *f = fopen(path, "w");
  if (!f) die(path, NULL);
  memset(len, 0, L_N * sizeof *len);
  for (size_t u = 0; u < units; u++) {
    char text[256];
    size_t n = 0;
    bool has[L_N];
    for (int l = 0; l < L_N; l++) {
      has[l] = rng() % list_inv_density[l] == 0;
      len[l] += has[l];
    }
    for (int l = L_A; l <= L_D; l++)
      if (has[l]) n += (size_t)snprintf(text + n, sizeof text - n, "%s ", list_name[l]);
    for (int k = 0; k < 5; k++)
      n += (size_t)snprintf(text + n, sizeof text - n, "w%u ", (unsigned)(rng() % 2000));
    if (has[L_PA] && has[L_PB])
      n += (size_t)snprintf(text + n, sizeof text - n, rng() & 1 ? "pa pb" : "pb w1 pa");
    else if (has[L_PA] || has[L_PB])
      n += (size_t)snprintf(text + n, sizeof text - n, "%s", has[L_PA] ? "pa" : "pb");
    fprintf(f, "{\"doc\":\"d%zu\",\"text\":\"%.*s\"}\n", u / 100, (int)n, text);
  }
  if (fclose(f) != 0) die(path, NULL);
}

static void build_index(const char *dir, const char *jsonl) {
  cdx_error err;
  cdx_writer *w;
  if (cdx_writer_open(dir, NULL, &w, &err) != CDX_OK) die("open writer", &err);
  if (cdx_writer_add_jsonl(w, jsonl, NULL, NULL, NULL, &err) != CDX_OK) die("add", &err);
  if (cdx_writer_optimize(w, &err) != CDX_OK) die("optimize", &err);
  cdx_writer_close(w);
}

static void put_json_str(FILE *f, const char *s) {
  fputc('"', f);
  for (; *s; s++) {
    if (*s == '"' || *s == '\\') fputc('\\', f);
    fputc(*s, f);
  }
  fputc('"', f);
}

static int cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

static clockid_t timer = CLOCK_MONOTONIC;

static double clock_s(void) {
  struct timespec ts;
  clock_gettime(timer, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* Median milliseconds of one search; *total gets the number of matches. */
static double time_query(cdx_index *ix, const char *q, int count_only, int runs, size_t *total) {
  double *t = malloc((size_t)runs * sizeof *t);
  if (!t) die("out of memory", NULL);
  cdx_search_options opt = {0};
  opt.count_only = count_only;
  for (int r = -1; r < runs; r++) { /* r = -1 warms the cache */
    cdx_error err;
    cdx_results *res;
    double t0 = clock_s();
    if (cdx_search(ix, q, &opt, &res, &err) != CDX_OK) die(q, &err);
    for (size_t i = 0; i < cdx_results_count(res); i++) /* read hits as a caller would */
      (void)cdx_results_get(res, i)->text_len;
    double ms = (clock_s() - t0) * 1e3;
    *total = cdx_results_total(res);
    cdx_results_free(res);
    if (r >= 0) t[r] = ms;
  }
  qsort(t, (size_t)runs, sizeof *t, cmp_double);
  double med = t[runs / 2];
  free(t);
  return med;
}

typedef struct op_case {
  const char *label, *query;
  int lists[3];
  int n_lists;
} op_case;

static const op_case cases[] = {
    {"AND 2 lists 1:1", "la lb", {L_A, L_B}, 2},
    {"AND 2 lists 1:10", "la lc", {L_A, L_C}, 2},
    {"AND 2 lists 1:1000", "la ld", {L_A, L_D}, 2},
    {"AND 3 lists 1:1:1", "la lb le", {L_A, L_B, L_E}, 3},
    {"AND 3 lists 1:1:10", "la lb lc", {L_A, L_B, L_C}, 3},
    {"AND 3 lists 1:1:1000", "la lb ld", {L_A, L_B, L_D}, 3},
    {"AND pa pb (same lists as the phrase)", "pa pb", {L_PA, L_PB}, 2},
    {"phrase \"pa pb\" (positions checked)", "\"pa pb\"", {L_PA, L_PB}, 2},
};

int main(int argc, char **argv) {
  size_t units = 1000000;
  int runs = 15;
  const char *dir = "/tmp/clausedex-bench-ops", *json_path = NULL;
  for (int i = 1; i < argc; i++) {
    if (strcmp(argv[i], "--units") == 0 && i + 1 < argc) units = strtoull(argv[++i], NULL, 10);
    else if (strcmp(argv[i], "--runs") == 0 && i + 1 < argc) runs = atoi(argv[++i]);
    else if (strcmp(argv[i], "--dir") == 0 && i + 1 < argc) dir = argv[++i];
    else if (strcmp(argv[i], "--json") == 0 && i + 1 < argc) json_path = argv[++i];
    else if (strcmp(argv[i], "--cpu") == 0) timer = CLOCK_THREAD_CPUTIME_ID;
    else {
      fprintf(stderr,
              "usage: bench_ops [--units N] [--runs R] [--dir WORK] [--json FILE] [--cpu]\n");
      return 2;
    }
  }
  if (units < 4000 || runs < 1) die("--units must be >= 4000 and --runs >= 1", NULL);

  char jsonl[4096], idx[4096];
  snprintf(jsonl, sizeof jsonl, "%s/ops-%zu.jsonl", dir, units);
  snprintf(idx, sizeof idx, "%s/ops-%zu.idx", dir, units);
  mkdir(dir, 0777);
  size_t len[L_N];
  double t0 = bench_now();
  write_corpus(jsonl, units, len); /* cheap, and gives the list lengths */
  struct stat st;
  double build_s = 0;
  if (stat(idx, &st) != 0) {
    build_index(idx, jsonl);
    build_s = bench_now() - t0;
  }
  cdx_error err;
  cdx_index *ix;
  if (cdx_index_open(idx, &ix, &err) != CDX_OK) die(idx, &err);

  FILE *js = json_path ? fopen(json_path, "w") : NULL;
  if (json_path && !js) die(json_path, NULL);
  if (js) fprintf(js, "{\"units\": %zu, \"runs\": %d, \"rows\": [", units, runs);
  printf("Index of %zu units%s; median of %d runs, one thread, warm, %s time.\n\n", units,
         build_s > 0 ? "" : " (reused)", runs, timer == CLOCK_MONOTONIC ? "wall" : "CPU");
  printf("| operation | list lengths | matches | count-only ms | M postings/s | top-10 ms |\n");
  printf("| --- | --- | ---: | ---: | ---: | ---: |\n");
  for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
    const op_case *oc = &cases[c];
    size_t total = 0, total10 = 0, in = 0;
    char lens[96];
    size_t n = 0;
    for (int k = 0; k < oc->n_lists; k++) {
      in += len[oc->lists[k]];
      n += (size_t)snprintf(lens + n, sizeof lens - n, "%s%zu", k ? " / " : "", len[oc->lists[k]]);
    }
    double ms = time_query(ix, oc->query, 1, runs, &total);
    double ms10 = time_query(ix, oc->query, 0, runs, &total10);
    if (total10 != total) {
      fprintf(stderr, "bench_ops: %s: count-only found %zu, top-10 total %zu\n", oc->query, total,
              total10);
      return 1;
    }
    double mps = (double)in / (ms / 1e3) / 1e6;
    printf("| %s | %s | %zu | %.3f | %.0f | %.3f |\n", oc->label, lens, total, ms, mps, ms10);
    if (js) {
      fputs(c ? ", {\"operation\": " : "{\"operation\": ", js);
      put_json_str(js, oc->label);
      fputs(", \"query\": ", js);
      put_json_str(js, oc->query);
      fprintf(js,
              ", \"postings_in\": %zu, \"matches\": %zu, \"count_ms\": %.4f, "
              "\"m_postings_per_s\": %.1f, \"top10_ms\": %.4f}",
              in, total, ms, mps, ms10);
    }
  }
  if (js) {
    fprintf(js, "]}\n");
    if (fclose(js) != 0) die(json_path, NULL);
  }
  cdx_index_close(ix);
  return 0;
}
