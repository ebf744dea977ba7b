/* dept_dump: prints every responsible unit and chapter lead of documents
 * with its canonical name, for checking the rules by eye:
 *     dept_dump [--table FILE] DOC...    (unit<TAB>canonical, per unit)
 *     dept_dump --bench N DOC...         (canonicalisation speed, N passes)
 * The document's jurisdiction and parents are the places taken off the
 * front. Exit 2 with a one-line message on a bad argument or file. */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "clausedex/document.h"
#include "facts/depts.h"

typedef struct names {
  const char *places[8];
  size_t n_places;
  const char *unit[4096];
  size_t n;
} names;

/* The responsible units and chapter leads of doc, and its places. */
static void collect(const cdx_document *doc, names *o) {
  const cdx_document_meta *m = cdx_document_get_meta(doc);
  o->n_places = 0;
  if (m->jurisdiction.name) o->places[o->n_places++] = m->jurisdiction.name;
  for (size_t p = 0; p < m->n_parents && o->n_places < 8; p++)
    if (m->parents[p].name) o->places[o->n_places++] = m->parents[p].name;
  o->n = 0;
  for (size_t u = 0; u < cdx_document_unit_count(doc); u++) {
    const cdx_unit_view *v = cdx_document_get_unit(doc, u);
    if (v->kind == CDX_UNIT_CHAPTER && v->lead_department && o->n < 4096)
      o->unit[o->n++] = v->lead_department;
    for (size_t r = 0; r < v->n_responsible && o->n < 4096; r++)
      o->unit[o->n++] = v->responsible[r];
  }
}

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

int main(int argc, char **argv) {
  long passes = 0;
  const char *table_file = NULL;
  int a = 1;
  for (; a + 1 < argc; a += 2) {
    if (strcmp(argv[a], "--bench") == 0) passes = atol(argv[a + 1]);
    else if (strcmp(argv[a], "--table") == 0) table_file = argv[a + 1];
    else break;
  }
  if (a >= argc) {
    fprintf(stderr, "usage: dept_dump [--table FILE] [--bench N] DOC...\n");
    return 2;
  }
  cdx_error err;
  cdx_dept_table *t;
  if (cdx_dept_table_new(&t, &err) != CDX_OK ||
      (table_file && cdx_dept_table_load(t, table_file, &err) != CDX_OK)) {
    fprintf(stderr, "dept_dump: %s\n", err.message);
    return 2;
  }
  static names nm[16];
  cdx_document *docs[16];
  int nd = 0;
  for (; a < argc && nd < 16; a++, nd++) {
    if (cdx_document_read_file(argv[a], NULL, &docs[nd], &err) != CDX_OK) {
      fprintf(stderr, "dept_dump: %s\n", err.message);
      return 2;
    }
    collect(docs[nd], &nm[nd]);
  }
  char out[256];
  size_t total = 0, bytes = 0;
  double t0 = now();
  for (long p = 0; p < (passes ? passes : 1); p++) {
    for (int d = 0; d < nd; d++) {
      for (size_t k = 0; k < nm[d].n; k++) {
        size_t n, len = strlen(nm[d].unit[k]);
        if (cdx_dept_canonical(t, nm[d].places, nm[d].n_places, nm[d].unit[k], len, out, sizeof out,
                               &n, &err) != CDX_OK) {
          fprintf(stderr, "dept_dump: %s: %s\n", nm[d].unit[k], err.message);
          return 2;
        }
        total++;
        bytes += len;
        if (!passes) printf("%s\t%s\n", nm[d].unit[k], out);
      }
    }
  }
  double dt = now() - t0;
  if (passes)
    printf("%zu names (%zu bytes) in %.3f s: %.0f ns per name, %.1f MB/s\n", total, bytes, dt,
           dt * 1e9 / (double)total, (double)bytes / dt / 1e6);
  for (int d = 0; d < nd; d++) cdx_document_free(docs[d]);
  cdx_dept_table_free(t);
  return 0;
}
