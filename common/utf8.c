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
  if (c < 0x80) { *i += 1; return (int32_t)c; }
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
  if (cp < 0x80) { o[0] = (unsigned char)cp; return 1; }
  if (cp < 0x800) { o[0] = 0xc0 | (cp >> 6); o[1] = 0x80 | (cp & 0x3f); return 2; }
  if (cp < 0x10000) {
    o[0] = 0xe0 | (cp >> 12); o[1] = 0x80 | ((cp >> 6) & 0x3f); o[2] = 0x80 | (cp & 0x3f);
    return 3;
  }
  o[0] = 0xf0 | (cp >> 18); o[1] = 0x80 | ((cp >> 12) & 0x3f);
  o[2] = 0x80 | ((cp >> 6) & 0x3f); o[3] = 0x80 | (cp & 0x3f);
  return 4;
}

size_t cdx_utf8_find_invalid(const char *s, size_t n) {
  const unsigned char *u = (const unsigned char *)s;
  size_t i = 0;
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
