/* t2s.c - lookups in the generated Traditional -> Simplified table. */
#include "lexicon/t2s.h"

uint32_t cdx_t2s(uint32_t cp) {
  if (cp < 0x3400) return cp; /* below the first entry: skip the search */
  size_t lo = 0, hi = cdx_t2s_count;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (cdx_t2s_pairs[mid][0] < cp) lo = mid + 1;
    else hi = mid;
  }
  return lo < cdx_t2s_count && cdx_t2s_pairs[lo][0] == cp ? cdx_t2s_pairs[lo][1] : cp;
}
