/* block_codec_avx512.c - AVX-512 decoder for full blocks (layout: block_codec.c, docs/FORMAT.md).
 *
 * A 512-bit register holds 16 consecutive values: values 4j..4j+15 are four steps j..j+3 of the
 * four lanes. Unlike the 128-bit decoder, the four steps need different words and shifts, so each
 * group of 16 gathers its words from two registers of loaded rows with one permute (vpermt2d),
 * then shifts every element by its own count (vpsrlvd/vpsllvd). The permute indexes and counts
 * depend only on the bit width and the group, so each width gets an unrolled routine in which they
 * are constants. Loads are masked to the block's 16*b bytes: masked-off elements never fault, so
 * the kernel cannot read past the block even at the end of an mmap'ed file.
 */
#include "indexer/block_codec.h"

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>

#define TARGET __attribute__((target("avx512f")))
#define INLINE static inline __attribute__((always_inline))

/* Element e of group g: step j = 4g + e/4 of lane e%4. Its first bit in the lane is j*B; the
 * group's loads start at row (4g*B)/32 = g*B/8. */
INLINE int lo_index(unsigned B, unsigned g, unsigned e) {
  unsigned j = 4 * g + e / 4, w = (j * B) >> 5, first_row = (g * B) >> 3;
  return (int)((w - first_row) * 4 + e % 4);
}

INLINE int shift(unsigned B, unsigned g, unsigned e) { return (int)(((4 * g + e / 4) * B) & 31); }

#define SETR16(F, B, g)                                                                       \
  _mm512_setr_epi32(F(B, g, 0), F(B, g, 1), F(B, g, 2), F(B, g, 3), F(B, g, 4), F(B, g, 5),   \
                    F(B, g, 6), F(B, g, 7), F(B, g, 8), F(B, g, 9), F(B, g, 10), F(B, g, 11), \
                    F(B, g, 12), F(B, g, 13), F(B, g, 14), F(B, g, 15))

#define HI_INDEX(B, g, e) (lo_index(B, g, e) + 4)
#define LEFT_SHIFT(B, g, e) (32 - shift(B, g, e))

/* Values 16g..16g+15 of a block of width B. */
TARGET INLINE __m512i group(const uint8_t *payload, const unsigned B, const unsigned g) {
  const unsigned first_row = (g * B) >> 3, left = 4 * (B - first_row); /* dwords in the block */
  const int32_t *src = (const int32_t *)(const void *)payload + 4 * first_row;
  __m512i a, c, v;
  if (left >= 16) a = _mm512_loadu_si512(src);
  else a = _mm512_maskz_loadu_epi32((__mmask16)((1u << left) - 1), src);
  if (left >= 32) c = _mm512_loadu_si512(src + 16);
  else if (left > 16) c = _mm512_maskz_loadu_epi32((__mmask16)((1u << (left - 16)) - 1), src + 16);
  else c = _mm512_setzero_si512();
  v = _mm512_srlv_epi32(_mm512_permutex2var_epi32(a, SETR16(lo_index, B, g), c),
                        SETR16(shift, B, g));
  /* Widths that divide 32 never split a value across two words. */
  if (32 % B != 0) {
    __m512i hi = _mm512_permutex2var_epi32(a, SETR16(HI_INDEX, B, g), c);
    v = _mm512_or_si512(v, _mm512_sllv_epi32(hi, SETR16(LEFT_SHIFT, B, g)));
  }
  if (B < 32) v = _mm512_and_si512(v, _mm512_set1_epi32((int)((1u << (B & 31)) - 1)));
  return v;
}

TARGET INLINE void unpack_b(const uint8_t *payload, const unsigned B, uint32_t *out) {
#pragma GCC unroll 8
  for (unsigned g = 0; g < 8; g++) _mm512_storeu_si512(out + 16 * g, group(payload, B, g));
}

/* In-register prefix sum of 16 gaps: v[i] = carry + sum of (v[k] + 1) for k <= i. */
TARGET INLINE __m512i prefix16(__m512i v, __m512i carry) {
  const __m512i zero = _mm512_setzero_si512();
  v = _mm512_add_epi32(v, _mm512_set1_epi32(1));
  v = _mm512_add_epi32(v, _mm512_alignr_epi32(v, zero, 15));
  v = _mm512_add_epi32(v, _mm512_alignr_epi32(v, zero, 14));
  v = _mm512_add_epi32(v, _mm512_alignr_epi32(v, zero, 12));
  v = _mm512_add_epi32(v, _mm512_alignr_epi32(v, zero, 8));
  return _mm512_add_epi32(v, carry);
}

TARGET void cdx_bp128_prefix_avx512(uint32_t *v, uint32_t prev) {
  const __m512i last = _mm512_set1_epi32(15);
  __m512i carry = _mm512_set1_epi32((int)prev);
  for (unsigned g = 0; g < 8; g++) {
    __m512i x = prefix16(_mm512_loadu_si512(v + 16 * g), carry);
    _mm512_storeu_si512(v + 16 * g, x);
    carry = _mm512_permutexvar_epi32(last, x);
  }
}

/* With `patched`, out holds on entry an addition to each gap (the high bits of a patched block's
 * exceptions), read just before the same 64 bytes are overwritten. */
TARGET INLINE void unpack_delta_b(const uint8_t *payload, const unsigned B, uint32_t prev,
                                  uint32_t *out, const bool patched) {
  const __m512i last = _mm512_set1_epi32(15);
  __m512i carry = _mm512_set1_epi32((int)prev);
#pragma GCC unroll 8
  for (unsigned g = 0; g < 8; g++) {
    __m512i x = group(payload, B, g);
    if (patched) x = _mm512_add_epi32(x, _mm512_loadu_si512(out + 16 * g));
    __m512i v = prefix16(x, carry);
    _mm512_storeu_si512(out + 16 * g, v);
    carry = _mm512_permutexvar_epi32(last, v);
  }
}

#define CDX_BP128_ISA avx512
#include "indexer/block_codec_widths.h"

#endif
