/* libFuzzer target for JSON Lines input: every record either joins a
 * document or is reported (CDX_BADINPUT naming its line) and skipped, and
 * the reader always reaches the end: no crash, no loop. */
#include <stdint.h>
#include <stdlib.h>
#include "fuzz/fuzz_util.h"
#include "corpus/corpus.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  cdx_jsonl_reader *r;
  cdx_error err;
  if (cdx_jsonl_open_buffer("fuzz.jsonl", (const char *)data, size, &r, &err) != CDX_OK) return 0;
  /* each call consumes at least one line, so a file of L lines ends within
   * L + 1 calls */
  size_t lines = 1;
  for (size_t i = 0; i < size; i++) lines += data[i] == '\n';
  for (size_t calls = 0;; calls++) {
    if (calls > lines + 1) abort();
    cdx_document *doc = NULL;
    const char *id;
    int rc = cdx_jsonl_next(r, &doc, &id, &err);
    if (rc == CDX_BADINPUT) continue;
    if (rc != CDX_OK || !doc) break;
    fuzz_document_done(doc);
  }
  cdx_jsonl_close(r);
  return 0;
}
