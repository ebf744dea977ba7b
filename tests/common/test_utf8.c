/* cdx_utf8_find_invalid (SIMD where the CPU has it) and its scalar path
 * against the definition: decode character by character until one fails. */
#include <criterion/criterion.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common/common.h"

static size_t by_definition(const char *s, size_t n) {
  size_t i = 0;
  while (i < n)
    if (cdx_utf8_decode(s, n, &i) < 0) return i;
  return CDX_NO_OFFSET;
}

static uint64_t rng_state = 0x9E3779B97F4A7C15u;
static uint32_t rnd(uint32_t bound) {
  rng_state ^= rng_state << 13;
  rng_state ^= rng_state >> 7;
  rng_state ^= rng_state << 17;
  return (uint32_t)(rng_state % bound);
}

/* Mostly Chinese text with ASCII, 2- and 4-byte characters mixed in, the
 * mix policy texts have. */
static size_t valid_text(char *out, size_t room) {
  size_t n = 0;
  for (;;) {
    uint32_t kind = rnd(10), cp;
    if (kind < 6) cp = 0x4E00 + rnd(0x5200);
    else if (kind < 8) cp = 0x20 + rnd(0x5F);
    else if (kind < 9) cp = 0x80 + rnd(0x780);
    else cp = 0x10000 + rnd(0x100000);
    char tmp[4];
    size_t k = cdx_utf8_encode(cp, tmp);
    if (n + k > room) return n;
    memcpy(out + n, tmp, k);
    n += k;
  }
}

/* The sequences a validator is easiest to get wrong. */
static const char *const bad_bits[] = {
    "\x80",
    "\xBF",
    "\xC0\x80",
    "\xC1\xBF",
    "\xC2",
    "\xE0\x80\x80",
    "\xE0\x9F\xBF",
    "\xED\xA0\x80",
    "\xED\xBF\xBF",
    "\xE4\xB8",
    "\xF0\x80\x80\x80",
    "\xF0\x8F\xBF\xBF",
    "\xF4\x90\x80\x80",
    "\xF5\x80\x80\x80",
    "\xFF",
    "\xFE",
    "\xE4\x41\x80",
    "\xF0\x9F\x98",
};

static void expect_same(const char *s, size_t n) {
  size_t want = by_definition(s, n);
  cr_assert_eq(cdx_utf8_find_invalid(s, n), want, "length %zu", n);
  cr_assert_eq(cdx_utf8_find_invalid_scalar(s, n), want, "length %zu", n);
}

Test(utf8, valid_texts_of_every_length_near_the_block_size) {
  char buf[300];
  for (int round = 0; round < 2000; round++) {
    size_t room = 1 + rnd(sizeof buf - 1);
    size_t n = valid_text(buf, room);
    cr_assert_eq(cdx_utf8_find_invalid(buf, n), CDX_NO_OFFSET);
    cr_assert_eq(cdx_utf8_find_invalid_scalar(buf, n), CDX_NO_OFFSET);
  }
}

Test(utf8, each_bad_sequence_at_every_offset_around_block_edges) {
  char buf[160], text[160];
  size_t n = valid_text(text, 140);
  for (size_t b = 0; b < sizeof bad_bits / sizeof *bad_bits; b++) {
    size_t k = strlen(bad_bits[b]);
    for (size_t at = 0; at + k <= n; at++) {
      memcpy(buf, text, n);
      memcpy(buf + at, bad_bits[b], k);
      expect_same(buf, n);
      expect_same(buf, at + k); /* the bad bytes at the very end */
    }
  }
}

Test(utf8, random_mutations_match_the_definition) {
  char buf[400];
  for (int round = 0; round < 200000; round++) {
    size_t n = valid_text(buf, 1 + rnd(sizeof buf - 1));
    int edits = 1 + (int)rnd(3);
    for (int e = 0; e < edits && n > 0; e++) {
      size_t at = rnd((uint32_t)n);
      switch (rnd(3)) {
        case 0: buf[at] = (char)rnd(256); break;
        case 1: buf[at] ^= (char)(1u << rnd(8)); break;
        default: n = at; break; /* cut, perhaps inside a character */
      }
    }
    expect_same(buf, n);
  }
}
