/*
 * Embedding clausedex: open an index, run one query, print the hits.
 *
 *   cc example.c $(pkg-config --cflags --libs clausedex)     (installed clausedex)
 *   ./example ./clausedex-index '以旧换新 jurisdiction:温州市'
 *
 * Exit status: 0 hits found, 1 none, 2 error.
 */
#include <stdio.h>
#include "clausedex.h"

int main(int argc, char **argv) {
  if (argc != 3) {
    fprintf(stderr, "usage: %s INDEX_DIR QUERY\n", argv[0]);
    return 2;
  }
  cdx_error err;
  cdx_index *ix = NULL;
  if (cdx_index_open(argv[1], &ix, &err) != CDX_OK) {
    fprintf(stderr, "%s\n", err.message);
    return 2;
  }
  cdx_search_options opt = {0}; /* zero means defaults: the top 10 */
  opt.k = 3;
  cdx_results *res = NULL;
  if (cdx_search(ix, argv[2], &opt, &res, &err) != CDX_OK) {
    /* err.offset is the byte of the query where the problem is. */
    fprintf(stderr, "%s\n", err.message);
    cdx_index_close(ix);
    return 2;
  }
  printf("%zu matching units\n", cdx_results_total(res));
  for (size_t i = 0; i < cdx_results_count(res); i++) {
    const cdx_hit *h = cdx_results_get(res, i); /* valid until cdx_results_free */
    printf("%zu. %s %s (%s)\n", h->rank, h->title, h->number ? h->number : "",
           cdx_status_name(h->status));
    for (size_t k = 0; k < h->n_highlights; k++) /* byte ranges into h->text */
      printf("   match: %.*s\n", (int)(h->highlights[k][1] - h->highlights[k][0]),
             h->text + h->highlights[k][0]);
  }
  int found = cdx_results_total(res) > 0;
  cdx_results_free(res); /* before closing the index the hits borrow from */
  cdx_index_close(ix);
  return found ? 0 : 1;
}
