/* libFuzzer target for the manifest: any bytes give a manifest or a clean
 * error (CDX_CORRUPT, CDX_FORMAT_VERSION), never a crash. The CRC is not
 * verified, so mutations reach the checks behind it. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "fuzz/fuzz_util.h"
#include "indexer/ix_internal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  uint8_t *copy = fuzz_copy(data, size);
  if (!copy) return 0;
  cdx_manifest m;
  cdx_error err;
  if (cdx_man_parse("MANIFEST", copy, size, false, &m, &err) == CDX_OK) {
    for (uint32_t i = 0; i < m.n_segs; i++)
      if (m.segs[i].seg_no >= m.next_seg || m.segs[i].n_deleted > m.segs[i].n_docs) abort();
    cdx_man_free(&m);
  }
  free(copy);
  return 0;
}
