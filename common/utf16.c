/* UTF-8 <-> UTF-16LE, for the stored unit text.
 *
 * Why the store keeps text as UTF-16: in UTF-8 every Chinese character is
 * three bytes whose first one repeats the same few values, so deflate spends
 * its time and its codes on bytes that carry little. As two bytes per
 * character the same text compresses about 20% smaller and, per character,
 * about 40% faster (measured in docs/FORMAT.md, STORE). */
#include <string.h>
#include "common/common.h"

static inline uint8_t *put16(uint8_t *o, unsigned w) {
  o[0] = (uint8_t)w;
  o[1] = (uint8_t)(w >> 8);
  return o + 2;
}

size_t cdx_utf8_to_utf16le(const char *s, size_t n, uint8_t *out) {
  if (cdx_utf8_find_invalid(s, n) != CDX_NO_OFFSET) return SIZE_MAX;
  /* valid from here on: each lead byte tells the length, no checks */
  const unsigned char *u = (const unsigned char *)s, *end = u + n;
  uint8_t *o = out;
  while (u < end) {
    unsigned c = u[0];
    if (c >= 0xE0 && c < 0xF0) { /* Chinese text: nearly every character */
      o = put16(o, (c & 0x0Fu) << 12 | (u[1] & 0x3Fu) << 6 | (u[2] & 0x3Fu));
      u += 3;
    } else if (c < 0x80) {
      o = put16(o, c);
      u += 1;
    } else if (c < 0xE0) {
      o = put16(o, (c & 0x1Fu) << 6 | (u[1] & 0x3Fu));
      u += 2;
    } else {
      uint32_t cp = (c & 0x07u) << 18 | (u[1] & 0x3Fu) << 12 | (u[2] & 0x3Fu) << 6 | (u[3] & 0x3Fu);
      cp -= 0x10000;
      o = put16(o, 0xD800 | (cp >> 10));
      o = put16(o, 0xDC00 | (cp & 0x3FF));
      u += 4;
    }
  }
  return (size_t)(o - out) / 2;
}

size_t cdx_utf16le_to_utf8(const uint8_t *s, size_t n16, char *out) {
  unsigned char *o = (unsigned char *)out;
  for (size_t i = 0; i < n16; i++) {
    unsigned w = s[2 * i] | (unsigned)s[2 * i + 1] << 8;
    if (w >= 0x800 && (w < 0xD800 || w > 0xDFFF)) {
      o[0] = (unsigned char)(0xE0 | w >> 12);
      o[1] = (unsigned char)(0x80 | (w >> 6 & 0x3F));
      o[2] = (unsigned char)(0x80 | (w & 0x3F));
      o += 3;
    } else if (w < 0x80) {
      *o++ = (unsigned char)w;
    } else if (w < 0x800) {
      o[0] = (unsigned char)(0xC0 | w >> 6);
      o[1] = (unsigned char)(0x80 | (w & 0x3F));
      o += 2;
    } else {
      /* a high surrogate followed by a low one; anything else is not text */
      if (w > 0xDBFF || i + 1 == n16) return SIZE_MAX;
      unsigned lo = s[2 * i + 2] | (unsigned)s[2 * i + 3] << 8;
      if (lo < 0xDC00 || lo > 0xDFFF) return SIZE_MAX;
      uint32_t cp = 0x10000 + ((uint32_t)(w - 0xD800) << 10 | (lo - 0xDC00));
      o[0] = (unsigned char)(0xF0 | cp >> 18);
      o[1] = (unsigned char)(0x80 | (cp >> 12 & 0x3F));
      o[2] = (unsigned char)(0x80 | (cp >> 6 & 0x3F));
      o[3] = (unsigned char)(0x80 | (cp & 0x3F));
      o += 4;
      i++;
    }
  }
  return (size_t)(o - (unsigned char *)out);
}
