/*
 * bench_corpus: document reading throughput (decode, repair, clean, metadata,
 * units) through the public API only.
 *
 *   bench_corpus [--seeds DIR] [--mb N] [--runs R] [--seed S]
 *
 * Generates a synthetic corpus of about N MB (default 8) in a temporary
 * directory with cdx_generate_corpus, loads every document into memory, and
 * times cdx_document_read_buffer over all of them (best of R runs, default 3,
 * one thread). The seed documents are timed the same way, and the very first
 * document of the process separately (it pays for one-time tables). Prints a
 * Markdown table.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "clausedex.h"
#include "bench_util.h"

typedef struct docs {
  char **data;
  size_t *len;
  size_t n, bytes;
} docs;

static void add(docs *d, char *data, size_t len) {
  d->data = realloc(d->data, (d->n + 1) * sizeof *d->data);
  d->len = realloc(d->len, (d->n + 1) * sizeof *d->len);
  if (!d->data || !d->len) {
    fprintf(stderr, "bench_corpus: out of memory\n");
    exit(2);
  }
  d->data[d->n] = data;
  d->len[d->n] = len;
  d->n++;
  d->bytes += len;
}

/* Reads every document and returns seconds; units counted into *units so the
 * work cannot be optimised away. */
static double run(const docs *d, size_t *units) {
  double t0 = bench_now();
  size_t u = 0;
  for (size_t i = 0; i < d->n; i++) {
    cdx_document *doc = NULL;
    cdx_error err;
    if (cdx_document_read_buffer("bench", d->data[i], d->len[i], NULL, &doc, &err) != CDX_OK) {
      fprintf(stderr, "bench_corpus: %s\n", err.message);
      continue;
    }
    u += cdx_document_unit_count(doc);
    cdx_document_free(doc);
  }
  *units = u;
  return bench_now() - t0;
}

int main(int argc, char **argv) {
  const char *seeds = CDX_DEFAULT_SEEDS;
  double mb = 8;
  int runs = 3;
  unsigned long long seed = 1;
  for (int i = 1; i < argc; i++) {
    if (strcmp(argv[i], "--seeds") == 0 && i + 1 < argc) seeds = argv[++i];
    else if (strcmp(argv[i], "--mb") == 0 && i + 1 < argc) mb = atof(argv[++i]);
    else if (strcmp(argv[i], "--runs") == 0 && i + 1 < argc) runs = atoi(argv[++i]);
    else if (strcmp(argv[i], "--seed") == 0 && i + 1 < argc) seed = strtoull(argv[++i], NULL, 10);
    else {
      fprintf(stderr, "usage: bench_corpus [--seeds DIR] [--mb N] [--runs R] [--seed S]\n");
      return 2;
    }
  }
  if (runs < 1) runs = 1;

  /* seeds, including the first document of the process */
  static const char *const names[] = {"000_6221eb15cf98cb05.txt", "001_47623e8f539df050.txt",
                                      "002_cedcb2d41ec327f2.txt", "003_41d6c86d92e06abb.txt",
                                      "004_1993b54604d461c2.txt"};
  docs sd = {0};
  for (size_t i = 0; i < 5; i++) {
    char path[4096];
    size_t len;
    snprintf(path, sizeof path, "%s/%s", seeds, names[i]);
    char *b = bench_read_file(path, &len);
    if (b) add(&sd, b, len);
  }
  size_t units = 0;
  double first = 0;
  if (sd.n) {
    docs one = {sd.data + 2, sd.len + 2, 1, sd.len[2]}; /* 002: Traditional, mojibake */
    first = sd.n > 2 ? run(&one, &units) : 0;
  }

  /* generated corpus */
  char tmpl[] = "/tmp/bench_corpus.XXXXXX";
  char *dir = mkdtemp(tmpl);
  if (!dir) {
    perror("mkdtemp");
    return 2;
  }
  char out[4200];
  snprintf(out, sizeof out, "%s/corpus", dir);
  cdx_generate_options opts = {0};
  opts.seed = seed;
  opts.target_bytes = (uint64_t)(mb * 1e6);
  cdx_error err;
  if (cdx_generate_corpus(out, &opts, NULL, &err) != CDX_OK) {
    fprintf(stderr, "bench_corpus: %s\n", err.message);
    return 2;
  }
  char mpath[4300];
  snprintf(mpath, sizeof mpath, "%s/manifest.jsonl", out);
  size_t mlen;
  char *manifest = bench_read_file(mpath, &mlen);
  if (!manifest) {
    fprintf(stderr, "bench_corpus: no manifest\n");
    return 2;
  }
  docs gd = {0};
  for (char *line = strtok(manifest, "\n"); line; line = strtok(NULL, "\n")) {
    char *f = strstr(line, "\"file\":\"");
    if (!f) continue;
    f += 8;
    char *e = strchr(f, '"');
    if (!e) continue;
    *e = '\0';
    char path[4600];
    size_t len;
    snprintf(path, sizeof path, "%s/%s", out, f);
    char *b = bench_read_file(path, &len);
    if (b) add(&gd, b, len);
  }
  free(manifest);
  char cmd[4300];
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
  if (system(cmd) != 0) fprintf(stderr, "bench_corpus: could not remove %s\n", dir);

  double best_s = 1e30, best_g = 1e30;
  size_t units_s = 0, units_g = 0;
  for (int r = 0; r < runs; r++) {
    double t = run(&sd, &units_s);
    if (t < best_s) best_s = t;
    t = run(&gd, &units_g);
    if (t < best_g) best_g = t;
  }
  printf("| measurement | result |\n| --- | --- |\n");
  printf("| first document of a process (seed 002: tables, repair, transliterator) | %.1f ms |\n",
         first * 1e3);
  if (sd.n)
    printf("| the %zu seeds (%.2f MB, %zu units), best of %d | %.2f ms, %.1f MB/s |\n", sd.n,
           (double)sd.bytes / 1e6, units_s, runs, best_s * 1e3, (double)sd.bytes / 1e6 / best_s);
  printf("| generated corpus: %zu documents, %.1f MB, %zu units, best of %d | %.3f s, %.1f MB/s, "
         "%.0f documents/s |\n",
         gd.n, (double)gd.bytes / 1e6, units_g, runs, best_g, (double)gd.bytes / 1e6 / best_g,
         (double)gd.n / best_g);
  for (size_t i = 0; i < sd.n; i++) free(sd.data[i]);
  for (size_t i = 0; i < gd.n; i++) free(gd.data[i]);
  free(sd.data);
  free(sd.len);
  free(gd.data);
  free(gd.len);
  return 0;
}
