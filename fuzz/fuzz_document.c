/* libFuzzer target for the document path: decode (charset detection and
 * conversion), repair, cleaning, metadata and structure, then the JSON form.
 * Any bytes give a document or CDX_BADINPUT, never a crash. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "clausedex.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  char *copy = malloc(size ? size : 1);
  if (!copy) return 0;
  memcpy(copy, data, size);
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
    char *json;
    size_t jlen;
    if (cdx_document_to_json(doc, &json, &jlen, &err) == CDX_OK) cdx_free(json);
    cdx_document_free(doc);
  }
  free(copy);
  return 0;
}
