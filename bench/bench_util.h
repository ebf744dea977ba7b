/*
 * What every benchmark program needs and the library does not offer: a
 * monotonic clock and whole-file reads. Header-only so each benchmark stays
 * one translation unit that links only the modules it measures.
 */
#ifndef CDX_BENCH_UTIL_H
#define CDX_BENCH_UTIL_H

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static inline double bench_now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* The file's bytes plus a NUL (caller frees), or NULL when it cannot be read. */
static inline char *bench_read_file(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  if (!f) return NULL;
  long n = -1;
  if (fseek(f, 0, SEEK_END) == 0) n = ftell(f);
  char *b = n >= 0 && fseek(f, 0, SEEK_SET) == 0 ? malloc((size_t)n + 1) : NULL;
  if (b && fread(b, 1, (size_t)n, f) != (size_t)n) {
    free(b);
    b = NULL;
  }
  fclose(f);
  if (!b) return NULL;
  b[n] = '\0';
  *len = (size_t)n;
  return b;
}

#endif
