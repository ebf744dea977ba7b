/* intersect_avx2.c - AVX2 intersection of ascending id arrays (intersect.h).
 *
 * Eight ids of a against eight of b: b's vector compared with a's in its
 * eight rotations marks the ids of a that occur in b, then the side whose
 * eighth id is smaller moves on (both when equal), as in Lemire, Boytsov
 * and Kurz, "SIMD compression and the intersection of sorted integers"
 * (2016). Matches are written from the mask; tails go to the scalar merge.
 * Compiled for AVX2 through a function attribute only, like the block codec.
 */
#include "indexer/intersect.h"

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>

__attribute__((target("avx2,bmi"))) size_t cdx_intersect_u32_avx2(const uint32_t *a, size_t na,
                                                                  const uint32_t *b, size_t nb,
                                                                  uint32_t *out) {
  size_t i = 0, j = 0, k = 0;
  const __m256i rot = _mm256_setr_epi32(1, 2, 3, 4, 5, 6, 7, 0);
  if (na >= 8 && nb >= 8) {
    __m256i va = _mm256_loadu_si256((const __m256i *)a);
    __m256i vb = _mm256_loadu_si256((const __m256i *)b);
    for (;;) {
      __m256i m = _mm256_cmpeq_epi32(va, vb);
      __m256i r = vb;
      for (int t = 1; t < 8; t++) {
        r = _mm256_permutevar8x32_epi32(r, rot);
        m = _mm256_or_si256(m, _mm256_cmpeq_epi32(va, r));
      }
      unsigned mask = (unsigned)_mm256_movemask_ps(_mm256_castsi256_ps(m));
      while (mask) {
        out[k++] = a[i + (unsigned)__builtin_ctz(mask)];
        mask &= mask - 1;
      }
      uint32_t amax = a[i + 7], bmax = b[j + 7];
      if (amax <= bmax) {
        i += 8;
        if (i + 8 > na) {
          if (amax == bmax) j += 8;
          break;
        }
        va = _mm256_loadu_si256((const __m256i *)(a + i));
      }
      if (bmax <= amax) {
        j += 8;
        if (j + 8 > nb) break;
        vb = _mm256_loadu_si256((const __m256i *)(b + j));
      }
    }
  }
  return k + cdx_intersect_u32_scalar(a + i, na - i, b + j, nb - j, out + k);
}

#else
size_t cdx_intersect_u32_avx2(const uint32_t *a, size_t na, const uint32_t *b, size_t nb,
                              uint32_t *out) {
  return cdx_intersect_u32_scalar(a, na, b, nb, out);
}
#endif
