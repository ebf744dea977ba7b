/* libFuzzer target for the document path: decode (charset detection and
 * conversion), repair, cleaning, metadata and structure, then the JSON form.
 * Any bytes give a document or CDX_BADINPUT, never a crash. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "fuzz/fuzz_util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  char *copy = fuzz_copy(data, size);
  if (!copy) return 0;
  cdx_document *doc = NULL;
  cdx_error err;
  if (cdx_document_read_buffer("fuzz.txt", copy, size, NULL, &doc, &err) == CDX_OK) {
    size_t tlen;
    const char *text = cdx_document_get_text(doc, &tlen);
    size_t n = cdx_document_unit_count(doc);
    for (size_t i = 0; i < n; i++) {
      const cdx_unit_view *u = cdx_document_get_unit(doc, i);
      if (u->start > u->end || u->end > tlen) abort(); /* units point into the text */
    }
    (void)text;
    fuzz_document_done(doc);
  }
  free(copy);
  return 0;
}
