/* libFuzzer target for the segment reader: any bytes given to it as a
 * segment file must give CDX_OK or a clean error, never a crash or a read
 * outside the buffer. The CRC is not verified, so mutations reach the
 * structure checks behind it (a real open verifies it for files <= 1 MiB). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "fuzz/fuzz_util.h"
#include "indexer/ix_internal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  uint8_t *copy = fuzz_copy(data, size);
  if (!copy) return 0;
  cdx_seg seg;
  cdx_error err;
  if (cdx_seg_open_buffer("fuzz.cdx", copy, size, false, &seg, &err) == CDX_OK) {
    (void)cdx_seg_check(&seg, &err);
    /* lookups take other paths through the dictionary than the full walk */
    static const char *const terms[] = {"w0",
                                        "w5",
                                        ("\x01"
                                         "科技"),
                                        "支持",
                                        "a",
                                        "zzzz"};
    for (size_t i = 0; i < sizeof terms / sizeof terms[0]; i++) {
      cdx_ix_postings *it;
      if (cdx_seg_postings_open(&seg, terms[i], strlen(terms[i]), &it, &err) != CDX_OK) continue;
      (void)cdx_ix_postings_seek(it, 200, &err);
      (void)cdx_ix_postings_seek(it, 1000, &err);
      cdx_ix_postings_free(it);
    }
    for (uint32_t d = 0; d < seg.n_docs && d < 64; d++) {
      cdx_ix_doc_fields f;
      (void)cdx_seg_doc(&seg, d, &f, NULL, &err);
    }
    cdx_seg_close(&seg);
  }
  free(copy);
  return 0;
}
