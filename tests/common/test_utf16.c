/* UTF-8 <-> UTF-16LE (the store's text form) against the definition: every
 * scalar value round-trips, and what is not text is refused both ways. */
#include <criterion/criterion.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common/common.h"

Test(utf16, every_scalar_value_round_trips) {
  /* all of U+0000..U+10FFFF but the surrogates, as one text */
  size_t cap = 4 * 0x110000;
  char *s = malloc(cap), *back = malloc(cap);
  uint8_t *w = malloc(2 * cap);
  size_t n = 0, chars = 0, pairs = 0;
  for (uint32_t cp = 0; cp < 0x110000; cp++) {
    if (cp >= 0xD800 && cp <= 0xDFFF) continue;
    n += cdx_utf8_encode(cp, s + n);
    chars++;
    pairs += cp > 0xFFFF;
  }
  size_t n16 = cdx_utf8_to_utf16le(s, n, w);
  cr_assert_eq(n16, chars + pairs);
  /* spot-check the units against the definition */
  cr_assert_eq(w[2 * 0x4E2D], 0x2D); /* U+4E2D 中 is its own unit */
  cr_assert_eq(w[2 * 0x4E2D + 1], 0x4E);
  size_t at = 2 * (0x10000 - 0x800); /* U+10000: D800 DC00 */
  cr_assert_eq(w[at] | w[at + 1] << 8, 0xD800);
  cr_assert_eq(w[at + 2] | w[at + 3] << 8, 0xDC00);
  size_t m = cdx_utf16le_to_utf8(w, n16, back);
  cr_assert_eq(m, n);
  cr_assert(memcmp(s, back, n) == 0);
  free(s);
  free(back);
  free(w);
}

Test(utf16, invalid_utf8_is_refused) {
  const char *bad[] = {"\xff", "a\xc0\x80", "\xed\xa0\x80", "\xf4\x90\x80\x80", "\xe4\xb8", "\x80"};
  uint8_t w[64];
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
    cr_assert_eq(cdx_utf8_to_utf16le(bad[i], strlen(bad[i]), w), SIZE_MAX, "case %zu", i);
  cr_assert_eq(cdx_utf8_to_utf16le("", 0, w), 0);
}

Test(utf16, unpaired_surrogates_are_refused) {
  /* high at the end, high before a non-surrogate, high before high, a lone low */
  const uint16_t cases[][2] = {{0xD800, 0}, {0xDBFF, 0x0041}, {0xD800, 0xD800}, {0xDC00, 0x0041}};
  const size_t lens[] = {1, 2, 2, 2};
  char out[16];
  for (size_t i = 0; i < 4; i++) {
    uint8_t w[4] = {(uint8_t)cases[i][0], (uint8_t)(cases[i][0] >> 8), (uint8_t)cases[i][1],
                    (uint8_t)(cases[i][1] >> 8)};
    cr_assert_eq(cdx_utf16le_to_utf8(w, lens[i], out), SIZE_MAX, "case %zu", i);
  }
  uint8_t pair[4] = {0x3D, 0xD8, 0x00, 0xDE}; /* D83D DE00 = U+1F600 */
  cr_assert_eq(cdx_utf16le_to_utf8(pair, 2, out), 4);
  cr_assert(memcmp(out, "\xf0\x9f\x98\x80", 4) == 0);
}
