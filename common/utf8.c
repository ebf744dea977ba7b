/* Strict UTF-8 decoding: every stage must agree on what is valid.
 *
 * Validity follows Table 3-7 of the Unicode standard, which is the same rule
 * as "no overlong forms, no surrogates, nothing above U+10FFFF" but checkable
 * on the second byte alone, so no code point has to be assembled to validate.
 * Every document is validated at least twice (when it is read and before it is
 * analysed), so find_invalid skips ASCII eight bytes at a time and takes the
 * three-byte characters of Chinese text without a call per character. */
#include <string.h>
#include "common/common.h"
#include "common/cpu.h"

/* Length of the valid sequence at u[0..left) (left >= 1), or 0 when it is
 * invalid or truncated. */
static inline size_t seq_len(const unsigned char *u, size_t left) {
  unsigned c = u[0];
  if (c < 0x80) return 1;
  if (c < 0xC2) return 0;
  if (c < 0xE0) return left >= 2 && (u[1] & 0xC0) == 0x80 ? 2 : 0;
  if (c < 0xF0) {
    if (left < 3) return 0;
    unsigned d = u[1];
    /* E0: A0-BF (no overlongs); ED: 80-9F (no surrogates); else 80-BF */
    unsigned lo = c == 0xE0 ? 0xA0 : 0x80, hi = c == 0xED ? 0x9F : 0xBF;
    return d >= lo && d <= hi && (u[2] & 0xC0) == 0x80 ? 3 : 0;
  }
  if (c > 0xF4 || left < 4) return 0;
  unsigned d = u[1];
  /* F0: 90-BF (no overlongs); F4: 80-8F (nothing above U+10FFFF) */
  unsigned lo = c == 0xF0 ? 0x90 : 0x80, hi = c == 0xF4 ? 0x8F : 0xBF;
  return d >= lo && d <= hi && (u[2] & 0xC0) == 0x80 && (u[3] & 0xC0) == 0x80 ? 4 : 0;
}

int32_t cdx_utf8_decode(const char *s, size_t n, size_t *i) {
  const unsigned char *u = (const unsigned char *)s + *i;
  unsigned c = u[0];
  if (c < 0x80) {
    *i += 1;
    return (int32_t)c;
  }
  size_t k = seq_len(u, n - *i);
  *i += k;
  switch (k) {
    case 2: return (int32_t)((c & 0x1Fu) << 6 | (u[1] & 0x3Fu));
    case 3: return (int32_t)((c & 0x0Fu) << 12 | (u[1] & 0x3Fu) << 6 | (u[2] & 0x3Fu));
    case 4:
      return (int32_t)((c & 0x07u) << 18 | (u[1] & 0x3Fu) << 12 | (u[2] & 0x3Fu) << 6 |
                       (u[3] & 0x3Fu));
    default: return -1;
  }
}

size_t cdx_utf8_encode(uint32_t cp, char *out) {
  unsigned char *o = (unsigned char *)out;
  /* The analyzer encodes every CJK character of a bigram: test for 3 bytes
   * first. */
  if (cp - 0x800u < 0xF800u) {
    o[0] = 0xe0 | (cp >> 12);
    o[1] = 0x80 | ((cp >> 6) & 0x3f);
    o[2] = 0x80 | (cp & 0x3f);
    return 3;
  }
  if (cp < 0x80) {
    o[0] = (unsigned char)cp;
    return 1;
  }
  if (cp < 0x800) {
    o[0] = 0xc0 | (cp >> 6);
    o[1] = 0x80 | (cp & 0x3f);
    return 2;
  }
  if (cp < 0x10000) {
    o[0] = 0xe0 | (cp >> 12);
    o[1] = 0x80 | ((cp >> 6) & 0x3f);
    o[2] = 0x80 | (cp & 0x3f);
    return 3;
  }
  o[0] = 0xf0 | (cp >> 18);
  o[1] = 0x80 | ((cp >> 12) & 0x3f);
  o[2] = 0x80 | ((cp >> 6) & 0x3f);
  o[3] = 0x80 | (cp & 0x3f);
  return 4;
}

/* The scalar scan from i, a character boundary with valid text before it. */
static size_t find_invalid_from(const unsigned char *u, size_t n, size_t i) {
  while (i < n) {
    unsigned c = u[i];
    if (c < 0x80) {
      /* ASCII runs (numbers, Latin, line ends): eight bytes per step */
      i++;
      while (i + 8 <= n) {
        uint64_t w;
        memcpy(&w, u + i, 8);
        if (w & 0x8080808080808080u) break;
        i += 8;
      }
      continue;
    }
    /* E1-EC and EE-EF lead every character of the CJK and common symbol
     * blocks; any two continuation bytes complete them. */
    if (c >= 0xE1 && c != 0xED && c <= 0xEF && i + 3 <= n && (u[i + 1] & 0xC0) == 0x80 &&
        (u[i + 2] & 0xC0) == 0x80) {
      i += 3;
      continue;
    }
    size_t k = seq_len(u + i, n - i);
    if (!k) return i;
    i += k;
  }
  return CDX_NO_OFFSET;
}

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <immintrin.h>
#define CDX_UTF8_AVX2 1

/* Keiser and Lemire, "Validating UTF-8 in less than one instruction per
 * byte" (2021): each byte is checked against the one to three bytes before
 * it with three 16-entry table lookups, 32 bytes at a time. An error is
 * reported at the later byte of the offending pair. Returns the start of the
 * first 32-byte block holding an error, or the end of the last whole block:
 * everything whose every byte lies before that point is valid. */
/* A 16-entry table in both lanes; taken as bytes so flags of 0x80 and over
 * need no cast to char. */
#define T16(...) table16((const unsigned char[16]){__VA_ARGS__})
enum {
  TOO_SHORT = 1 << 0,  /* lead byte not followed by a continuation */
  TOO_LONG = 1 << 1,   /* ASCII followed by a continuation */
  OVERLONG_3 = 1 << 2, /* E0 80-9F */
  TOO_LARGE = 1 << 3,  /* F4 90-BF, F5-FF */
  SURROGATE = 1 << 4,  /* ED A0-BF */
  OVERLONG_2 = 1 << 5, /* C0-C1 */
  TOO_LARGE_1000 = 1 << 6,
  OVERLONG_4 = 1 << 6, /* F0 80-8F */
  TWO_CONTS = 1 << 7,  /* two continuations: only valid inside a 3/4-byte character */
  CARRY = TOO_SHORT | TOO_LONG | TWO_CONTS
};

__attribute__((target("avx2"))) static inline __m256i table16(const unsigned char *t) {
  return _mm256_broadcastsi128_si256(_mm_loadu_si128((const __m128i *)t));
}

/* Error bits of the 32 bytes in, prev being the 32 bytes before them. */
__attribute__((target("avx2"))) static inline __m256i block_errors(__m256i in, __m256i prev) {
  const __m256i byte_1_high =
      T16(TOO_LONG, TOO_LONG, TOO_LONG, TOO_LONG, TOO_LONG, TOO_LONG, TOO_LONG, TOO_LONG, TWO_CONTS,
          TWO_CONTS, TWO_CONTS, TWO_CONTS, TOO_SHORT | OVERLONG_2, TOO_SHORT,
          TOO_SHORT | OVERLONG_3 | SURROGATE, TOO_SHORT | TOO_LARGE | TOO_LARGE_1000 | OVERLONG_4);
  const __m256i byte_1_low =
      T16(CARRY | OVERLONG_3 | OVERLONG_2 | OVERLONG_4, CARRY | OVERLONG_2, CARRY, CARRY,
          CARRY | TOO_LARGE, CARRY | TOO_LARGE | TOO_LARGE_1000, CARRY | TOO_LARGE | TOO_LARGE_1000,
          CARRY | TOO_LARGE | TOO_LARGE_1000, CARRY | TOO_LARGE | TOO_LARGE_1000,
          CARRY | TOO_LARGE | TOO_LARGE_1000, CARRY | TOO_LARGE | TOO_LARGE_1000,
          CARRY | TOO_LARGE | TOO_LARGE_1000, CARRY | TOO_LARGE | TOO_LARGE_1000,
          CARRY | TOO_LARGE | TOO_LARGE_1000 | SURROGATE, CARRY | TOO_LARGE | TOO_LARGE_1000,
          CARRY | TOO_LARGE | TOO_LARGE_1000);
  const __m256i byte_2_high =
      T16(TOO_SHORT, TOO_SHORT, TOO_SHORT, TOO_SHORT, TOO_SHORT, TOO_SHORT, TOO_SHORT, TOO_SHORT,
          TOO_LONG | OVERLONG_2 | TWO_CONTS | OVERLONG_3 | TOO_LARGE_1000 | OVERLONG_4,
          TOO_LONG | OVERLONG_2 | TWO_CONTS | OVERLONG_3 | TOO_LARGE,
          TOO_LONG | OVERLONG_2 | TWO_CONTS | SURROGATE | TOO_LARGE,
          TOO_LONG | OVERLONG_2 | TWO_CONTS | SURROGATE | TOO_LARGE, TOO_SHORT, TOO_SHORT,
          TOO_SHORT, TOO_SHORT);
  const __m256i low4 = _mm256_set1_epi8(0x0F);
  /* the input shifted by 1, 2, 3 bytes, the previous block's tail in front */
  __m256i carry = _mm256_permute2x128_si256(prev, in, 0x21);
  __m256i prev1 = _mm256_alignr_epi8(in, carry, 15);
  __m256i prev2 = _mm256_alignr_epi8(in, carry, 14);
  __m256i prev3 = _mm256_alignr_epi8(in, carry, 13);
  __m256i b1h =
      _mm256_shuffle_epi8(byte_1_high, _mm256_and_si256(_mm256_srli_epi16(prev1, 4), low4));
  __m256i b1l = _mm256_shuffle_epi8(byte_1_low, _mm256_and_si256(prev1, low4));
  __m256i b2h = _mm256_shuffle_epi8(byte_2_high, _mm256_and_si256(_mm256_srli_epi16(in, 4), low4));
  __m256i special = _mm256_and_si256(_mm256_and_si256(b1h, b1l), b2h);
  /* 2 bytes after E0-FF or 3 after F0-FF a continuation must follow: the one
   * case where TWO_CONTS is not an error */
  __m256i must23 = _mm256_or_si256(_mm256_subs_epu8(prev2, _mm256_set1_epi8(0xE0 - 0x80)),
                                   _mm256_subs_epu8(prev3, _mm256_set1_epi8(0xF0 - 0x80)));
  return _mm256_xor_si256(_mm256_and_si256(must23, _mm256_set1_epi8((char)0x80)), special);
}

/* True when u[0..n) is valid. Else *bad is the start of the first 32-byte
 * block holding an error (an error is reported at the later byte of the
 * offending pair): everything whose every byte lies before *bad is valid.
 * The tail is checked in a zero-padded block, so a character cut short by the
 * end of the text shows as an error too. */
__attribute__((target("avx2"))) static bool valid_avx2(const unsigned char *u, size_t n,
                                                       size_t *bad) {
  __m256i prev = _mm256_setzero_si256(); /* before the text: as if ASCII */
  size_t i = 0;
  for (; i + 32 <= n; i += 32) {
    __m256i in = _mm256_loadu_si256((const __m256i *)(u + i));
    __m256i err = block_errors(in, prev);
    if (!_mm256_testz_si256(err, err)) {
      *bad = i;
      return false;
    }
    prev = in;
  }
  unsigned char tail[32] = {0};
  memcpy(tail, u + i, n - i);
  __m256i err = block_errors(_mm256_loadu_si256((const __m256i *)tail), prev);
  *bad = i;
  return _mm256_testz_si256(err, err);
}
#undef T16

#endif

size_t cdx_utf8_find_invalid_scalar(const char *s, size_t n) {
  return find_invalid_from((const unsigned char *)s, n, 0);
}

size_t cdx_utf8_find_invalid(const char *s, size_t n) {
  const unsigned char *u = (const unsigned char *)s;
  size_t i = 0;
#ifdef CDX_UTF8_AVX2
  if (n >= 32 && cdx_cpu_avx2()) {
    /* Before the first block with an error the text is whole valid
     * characters, the last perhaps cut short by the block boundary: the
     * scalar scan takes over at that last character's lead (at most three
     * continuation bytes back) and finds the exact offset. */
    size_t end;
    if (valid_avx2(u, n, &end)) return CDX_NO_OFFSET;
    if (end > 0) {
      i = end - 1;
      while (i > 0 && end - i < 4 && (u[i] & 0xC0) == 0x80) i--;
    }
  }
#endif
  return find_invalid_from(u, n, i);
}
