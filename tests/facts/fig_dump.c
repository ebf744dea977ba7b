/* fig_dump: prints the figures of text files, one per line, for checking the
 * extractor by eye:   fig_dump FILE...        (the file's text as it is)
 *                     fig_dump --units FILE   (through the document reader, per unit)
 *                     fig_dump --bench N FILE... (extraction speed over N passes)
 * Exit 2 with a one-line message on a bad argument or an unreadable file. */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "clausedex/document.h"
#include "common/common.h"
#include "facts/figures.h"

static int print_figures(const char *name, const char *text, size_t len, size_t base,
                         const char *label) {
  cdx_figure *f;
  size_t n;
  cdx_error err;
  if (cdx_figures_extract(text, len, &f, &n, &err) != CDX_OK) {
    fprintf(stderr, "fig_dump: %s: %s\n", name, err.message);
    return 2;
  }
  for (size_t k = 0; k < n; k++) {
    char shown[64];
    cdx_figure_format(&f[k], shown, sizeof shown);
    printf("%s%s%zu-%zu\t%-8s\t%-6s\t%.17g\t%.17g\t%s\t%s\t%.*s\n", label, *label ? "\t" : "",
           base + f[k].start, base + f[k].end, cdx_figure_type_name(f[k].type),
           cdx_figure_qual_name(f[k].qual), f[k].lo, f[k].hi, shown, f[k].kind,
           (int)(f[k].end - f[k].start), text + f[k].start);
  }
  free(f);
  return 0;
}

static int by_units(const char *path) {
  cdx_document *doc;
  cdx_error err;
  if (cdx_document_read_file(path, NULL, &doc, &err) != CDX_OK) {
    fprintf(stderr, "fig_dump: %s\n", err.message);
    return 2;
  }
  size_t len;
  const char *text = cdx_document_get_text(doc, &len);
  int rc = 0;
  for (size_t u = 0; u < cdx_document_unit_count(doc) && !rc; u++) {
    const cdx_unit_view *v = cdx_document_get_unit(doc, u);
    char label[64];
    snprintf(label, sizeof label, "%s", v->number ? v->number : cdx_unit_kind_name(v->kind));
    rc = print_figures(path, text + v->start, v->end - v->start, v->start, label);
  }
  cdx_document_free(doc);
  return rc;
}

static int bench(long passes, int nfiles, char **files) {
  cdx_buf all;
  cdx_buf_init(&all);
  int rc = CDX_OK;
  for (int k = 0; k < nfiles; k++) {
    char *data;
    size_t len;
    cdx_error err;
    if (cdx_read_file(files[k], &data, &len, &err) != CDX_OK) {
      fprintf(stderr, "fig_dump: %s\n", err.message);
      cdx_buf_free(&all);
      return 2;
    }
    cdx_buf_append(&rc, &all, data, len);
    free(data);
  }
  /* CPU time as well as wall time: the machine is shared, and wall time
   * counts the minutes another process holds the core. */
  struct timespec t0, t1, c0, c1;
  size_t figures = 0;
  clock_gettime(CLOCK_MONOTONIC, &t0);
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &c0);
  for (long p = 0; p < passes; p++) {
    cdx_figure *f;
    size_t n;
    if (cdx_figures_extract(all.data, all.len, &f, &n, NULL) != CDX_OK) {
      fprintf(stderr, "fig_dump: extraction failed\n");
      cdx_buf_free(&all);
      return 2;
    }
    figures += n;
    free(f);
  }
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &c1);
  clock_gettime(CLOCK_MONOTONIC, &t1);
  double secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
  double cpu = (double)(c1.tv_sec - c0.tv_sec) + (double)(c1.tv_nsec - c0.tv_nsec) / 1e9;
  double mb = (double)all.len * (double)passes / 1e6;
  printf("%.1f MB: %.1f MB/s of CPU time (%.3f s), %.1f MB/s wall (%.3f s); %zu figures per pass\n",
         mb, mb / cpu, cpu, mb / secs, secs, figures / (size_t)passes);
  cdx_buf_free(&all);
  return 0;
}

int main(int argc, char **argv) {
  if (argc >= 4 && strcmp(argv[1], "--bench") == 0) {
    char *end;
    long passes = strtol(argv[2], &end, 10);
    if (*end || passes <= 0) {
      fprintf(stderr, "fig_dump: --bench: '%s' is not a positive count\n", argv[2]);
      return 2;
    }
    return bench(passes, argc - 3, argv + 3);
  }
  if (argc == 3 && strcmp(argv[1], "--units") == 0) return by_units(argv[2]);
  if (argc < 2 || argv[1][0] == '-') {
    fprintf(stderr, "usage: fig_dump FILE... | --units FILE | --bench N FILE...\n");
    return 2;
  }
  for (int k = 1; k < argc; k++) {
    char *data;
    size_t len;
    cdx_error err;
    if (cdx_read_file(argv[k], &data, &len, &err) != CDX_OK) {
      fprintf(stderr, "fig_dump: %s\n", err.message);
      return 2;
    }
    int rc = print_figures(argv[k], data, len, 0, "");
    free(data);
    if (rc) return rc;
  }
  return 0;
}
