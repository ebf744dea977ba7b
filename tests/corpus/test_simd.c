/* corpus/'s SSE2 prefilters against their scalar twins, on every length and
 * alignment around the 16-byte steps and on bytes chosen to sit on the
 * edges of what they look for. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>
#include "corpus/corpus.h"

/* Bytes around the classes' edges: controls, the allowed ones, DEL, digits,
 * their neighbours, and UTF-8 lead and continuation bytes. */
static const unsigned char edges[] = {0x00, 0x01, 0x08, '\t', '\n', 0x0B, '\f', '\r',
                                      0x0E, 0x1F, ' ',  '/',  '0',  '5',  '9',  ':',
                                      0x7E, 0x7F, 0x80, 0xBF, 0xC3, 0xE4, 0xEF, 0xFF};

static void fill(unsigned char *b, size_t n, unsigned seed) {
  for (size_t i = 0; i < n; i++) {
    seed = seed * 1103515245u + 12345u;
    b[i] = (seed >> 16) % 4 ? (unsigned char)"政策文本"[(seed >> 8) % 12]
                            : edges[(seed >> 20) % sizeof edges];
  }
}

Test(corpus_simd, count_controls_matches_scalar) {
  unsigned char buf[5000];
  for (unsigned seed = 1; seed <= 40; seed++) {
    fill(buf, sizeof buf, seed);
    for (size_t off = 0; off < 17; off++)
      for (size_t n = 0; n + off <= sizeof buf; n += n < 70 ? 1 : 997)
        cr_assert_eq(cdx_corpus_count_controls(buf + off, n),
                     cdx_corpus_count_controls_scalar(buf + off, n), "seed %u off %zu n %zu", seed,
                     off, n);
  }
  /* past 255 steps the byte-wide counters are summed: all controls */
  memset(buf, 0x01, sizeof buf);
  cr_expect_eq(cdx_corpus_count_controls(buf, sizeof buf), sizeof buf);
}

Test(corpus_simd, next_digit_matches_scalar) {
  char buf[3000];
  for (unsigned seed = 1; seed <= 40; seed++) {
    fill((unsigned char *)buf, sizeof buf, seed);
    for (size_t n = 0; n <= 100; n++)
      for (size_t i = 0; i <= n; i++)
        cr_assert_eq(cdx_corpus_next_digit(buf, n, i), cdx_corpus_next_digit_scalar(buf, n, i),
                     "seed %u n %zu i %zu", seed, n, i);
    for (size_t i = 0; i < sizeof buf; i += 13)
      cr_assert_eq(cdx_corpus_next_digit(buf, sizeof buf, i),
                   cdx_corpus_next_digit_scalar(buf, sizeof buf, i));
  }
  memset(buf, 'x', sizeof buf);
  cr_expect_eq(cdx_corpus_next_digit(buf, sizeof buf, 0), sizeof buf, "no digit: n");
}
