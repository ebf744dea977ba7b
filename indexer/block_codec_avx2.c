/* block_codec_avx2.c - AVX2 decoder for full blocks (layout: block_codec.c, docs/FORMAT.md).
 *
 * The layout keeps four lanes of 32 bits, so the natural register is 128 bits wide: one shift
 * unpacks four consecutive values. Each bit width gets its own fully unrolled routine (the width
 * is a compile-time constant inside unpack_b, so every shift is an immediate and the loads that a
 * value does not need disappear). Compiled for AVX2 through function attributes only, so the rest
 * of the build stays portable; block_codec.c calls these only when the CPU has AVX2.
 */
#include "indexer/block_codec.h"

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>

#define TARGET __attribute__((target("avx2")))
#define INLINE static inline __attribute__((always_inline))

/* Value vector j (values 4j..4j+3) of a block of width B. Never loads a 16-byte row beyond row
 * B-1: a value that crosses into row w+1 implies w+1 <= B-1. */
TARGET INLINE __m128i value(const uint8_t *payload, const unsigned B, const unsigned j) {
  const unsigned bit = j * B, w = bit >> 5, s = bit & 31;
  const __m128i *rows = (const __m128i *)payload;
  __m128i v = _mm_srli_epi32(_mm_loadu_si128(rows + w), (int)s);
  if (s + B > 32) v = _mm_or_si128(v, _mm_slli_epi32(_mm_loadu_si128(rows + w + 1), (int)(32 - s)));
  if (B < 32) v = _mm_and_si128(v, _mm_set1_epi32((int)((1u << (B & 31)) - 1)));
  return v;
}

TARGET INLINE void unpack_b(const uint8_t *payload, const unsigned B, uint32_t *out) {
#pragma GCC unroll 32
  for (unsigned j = 0; j < 32; j++) _mm_storeu_si128((__m128i *)out + j, value(payload, B, j));
}

/* With `patched`, out holds on entry an addition to each gap (the high bits of a patched block's
 * exceptions), read just before the same 16 bytes are overwritten. */
TARGET INLINE void unpack_delta_b(const uint8_t *payload, const unsigned B, uint32_t prev,
                                  uint32_t *out, const bool patched) {
  __m128i carry = _mm_set1_epi32((int)prev), one = _mm_set1_epi32(1);
#pragma GCC unroll 32
  for (unsigned j = 0; j < 32; j++) {
    __m128i v = _mm_add_epi32(value(payload, B, j), one);
    if (patched) v = _mm_add_epi32(v, _mm_loadu_si128((const __m128i *)out + j));
    v = _mm_add_epi32(v, _mm_slli_si128(v, 4));
    v = _mm_add_epi32(v, _mm_slli_si128(v, 8));
    v = _mm_add_epi32(v, carry);
    _mm_storeu_si128((__m128i *)out + j, v);
    carry = _mm_shuffle_epi32(v, 0xFF);
  }
}

#define CDX_BP128_ISA avx2
#include "indexer/block_codec_widths.h"

TARGET void cdx_bp128_prefix_avx2(uint32_t *v, uint32_t prev) {
  __m128i carry = _mm_set1_epi32((int)prev), one = _mm_set1_epi32(1);
  for (unsigned j = 0; j < 32; j++) {
    __m128i x = _mm_add_epi32(_mm_loadu_si128((const __m128i *)v + j), one);
    x = _mm_add_epi32(x, _mm_slli_si128(x, 4));
    x = _mm_add_epi32(x, _mm_slli_si128(x, 8));
    x = _mm_add_epi32(x, carry);
    _mm_storeu_si128((__m128i *)v + j, x);
    carry = _mm_shuffle_epi32(x, 0xFF);
  }
}

#endif
