/*
 * bench_tokenizer: analyzer throughput on Chinese text and its start-up cost,
 * through the public API only.
 *
 *   bench_tokenizer [--seeds DIR] [--mb N] [--runs R]
 *
 * The text is the five seed documents concatenated and repeated to about N MB
 * (default 32). Each measurement is the best of R runs (default 5) on one
 * thread. Start-up is measured first, in a fresh process: the first
 * cdx_analyzer_new (loads ICU's normalisation data) and the first analysis of
 * a short query (fills the character pages it touches); then the cost of one
 * more cdx_analyzer_new + cdx_analyzer_free, as the query engine pays per call.
 * Prints a Markdown table.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "clausedex.h"
#include "bench_util.h"

struct sink {
  size_t tokens, bytes;
};

static int count(void *ctx, const cdx_token *t) {
  struct sink *s = ctx;
  s->tokens++;
  s->bytes += t->term_len;
  return 0;
}

static int fail(const char *what, const cdx_error *err) {
  fprintf(stderr, "bench_tokenizer: %s: %s\n", what, err->message);
  return 2;
}

int main(int argc, char **argv) {
  const char *seeds = getenv("CLAUSEDEX_SEEDS");
  if (!seeds || !*seeds) seeds = CDX_DEFAULT_SEEDS;
  size_t mb = 32;
  int runs = 5;
  for (int i = 1; i < argc; i++) {
    if (strcmp(argv[i], "--seeds") == 0 && i + 1 < argc) seeds = argv[++i];
    else if (strcmp(argv[i], "--mb") == 0 && i + 1 < argc) mb = (size_t)atol(argv[++i]);
    else if (strcmp(argv[i], "--runs") == 0 && i + 1 < argc) runs = atoi(argv[++i]);
    else {
      fprintf(stderr, "usage: bench_tokenizer [--seeds DIR] [--mb N] [--runs R]\n");
      return 2;
    }
  }
  if (mb == 0 || runs <= 0) {
    fprintf(stderr, "bench_tokenizer: --mb and --runs must be positive\n");
    return 2;
  }
  cdx_error err;
  cdx_analyzer *an;

  /* Start-up, before anything else touches the library. */
  double t0 = bench_now();
  if (cdx_analyzer_new(CDX_ANALYZE_UNIGRAMS, &an, &err) != CDX_OK) return fail("new", &err);
  double first_new = bench_now() - t0;
  const char *query = "溫州市推动经济高质量发展 责任单位 2.74亿元";
  struct sink s = {0, 0};
  t0 = bench_now();
  if (cdx_analyzer_run(an, query, strlen(query), count, &s, &err) != CDX_OK)
    return fail("run", &err);
  double first_query = bench_now() - t0;
  cdx_analyzer_free(an);
  const int nnew = 100000;
  t0 = bench_now();
  for (int i = 0; i < nnew; i++) {
    if (cdx_analyzer_new(0, &an, &err) != CDX_OK) return fail("new", &err);
    cdx_analyzer_free(an);
  }
  double per_new = (bench_now() - t0) / nnew;

  /* The corpus: the seeds, repeated. */
  static const char *names[] = {"000_6221eb15cf98cb05.txt", "001_47623e8f539df050.txt",
                                "002_cedcb2d41ec327f2.txt", "003_41d6c86d92e06abb.txt",
                                "004_1993b54604d461c2.txt"};
  size_t one_len = 0;
  char *one = NULL;
  for (size_t k = 0; k < 5; k++) {
    char path[4096];
    size_t n;
    snprintf(path, sizeof path, "%s/%s", seeds, names[k]);
    char *d = bench_read_file(path, &n);
    if (!d) {
      fprintf(stderr, "bench_tokenizer: cannot read %s (use --seeds DIR)\n", path);
      return 2;
    }
    one = realloc(one, one_len + n + 1);
    memcpy(one + one_len, d, n);
    one_len += n;
    one[one_len++] = '\n';
    free(d);
  }
  size_t want = mb << 20, len = 0;
  char *text = malloc(want + one_len);
  if (!text) return 2;
  while (len < want) {
    memcpy(text + len, one, one_len);
    len += one_len;
  }
  free(one);

  printf("## Tokenizer (bench_tokenizer, %zu MB of seed text, best of %d)\n\n", len >> 20, runs);
  printf("| measurement | result |\n| --- | --- |\n");
  printf("| first cdx_analyzer_new in a process | %.1f us |\n", first_new * 1e6);
  printf("| first run over a %zu-byte query (fills its character pages) | %.1f us |\n",
         strlen(query), first_query * 1e6);
  printf("| cdx_analyzer_new + cdx_analyzer_free afterwards | %.0f ns |\n", per_new * 1e9);
  for (int uni = 0; uni < 2; uni++) {
    if (cdx_analyzer_new(uni ? CDX_ANALYZE_UNIGRAMS : 0, &an, &err) != CDX_OK)
      return fail("new", &err);
    double best = 1e9;
    for (int r = 0; r < runs; r++) {
      s.tokens = s.bytes = 0;
      t0 = bench_now();
      if (cdx_analyzer_run(an, text, len, count, &s, &err) != CDX_OK) return fail("run", &err);
      double dt = bench_now() - t0;
      if (dt < best) best = dt;
    }
    cdx_analyzer_free(an);
    printf("| analyze, %s | %.1f MB/s (%.1f M tokens/s, %zu tokens) |\n",
           uni ? "bigrams + unigrams" : "bigrams only", (double)len / best / 1e6,
           (double)s.tokens / best / 1e6, s.tokens);
  }
  double best = 1e9;
  for (int r = 0; r < runs; r++) {
    char *out;
    size_t out_len;
    t0 = bench_now();
    if (cdx_fold_text(text, len, &out, &out_len, &err) != CDX_OK) return fail("fold", &err);
    double dt = bench_now() - t0;
    if (dt < best) best = dt;
    cdx_free(out);
  }
  printf("| cdx_fold_text | %.1f MB/s |\n", (double)len / best / 1e6);
  free(text);
  return 0;
}
