/* fuzz_util.h - what the libFuzzer targets share. */
#ifndef CDX_FUZZ_UTIL_H
#define CDX_FUZZ_UTIL_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "clausedex.h"

/* libFuzzer's entry point, which each target defines (declared for
 * -Wmissing-prototypes). */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* An exact-size copy of the input, so ASan sees any read past its end and
 * nothing leans on a NUL; the caller frees it. NULL when out of memory (the
 * input is then skipped). */
static inline void *fuzz_copy(const uint8_t *data, size_t size) {
  void *p = malloc(size ? size : 1);
  if (p) memcpy(p, data, size);
  return p;
}

/* Writes doc's JSON form (which must not crash either) and frees doc. */
static inline void fuzz_document_done(cdx_document *doc) {
  char *json;
  size_t jlen;
  cdx_error err;
  if (cdx_document_to_json(doc, &json, &jlen, &err) == CDX_OK) cdx_free(json);
  cdx_document_free(doc);
}

#endif
