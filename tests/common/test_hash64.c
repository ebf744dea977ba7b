/* cdx_hash64, the content hash the index stores per document: it must not
 * change between builds (an index would see every file as changed) and
 * every change of the bytes must change it. */
#include <criterion/criterion.h>
#include <stdint.h>
#include <string.h>

#include "common/common.h"

Test(hash64, pinned_values) {
  /* computed once; a new value here means stored hashes no longer match */
  const char *text = "第一条 为推动消费品以旧换新，制定本办法。";
  uint64_t h0 = cdx_hash64("", 0, 0), h1 = cdx_hash64(text, strlen(text), 0);
  cr_assert_eq(cdx_hash64("", 0, 0), h0);
  cr_assert_eq(cdx_hash64(text, strlen(text), 0), h1);
  cr_assert_neq(h0, h1);
  cr_assert_eq(h0, UINT64_C(0x9090306c6e91ed59), "%016llx", (unsigned long long)h0);
  cr_assert_eq(h1, UINT64_C(0xf4d8f0b4a61326b8), "%016llx", (unsigned long long)h1);
}

Test(hash64, every_bit_flip_and_length_changes_it) {
  unsigned char buf[300];
  for (size_t i = 0; i < sizeof buf; i++) buf[i] = (unsigned char)(i * 37 + 11);
  /* every length of the same bytes (all tail paths, lane boundaries) */
  uint64_t seen[sizeof buf + 1];
  for (size_t n = 0; n <= sizeof buf; n++) {
    seen[n] = cdx_hash64(buf, n, 7);
    for (size_t k = 0; k < n; k++) cr_assert_neq(seen[k], seen[n], "lengths %zu and %zu", k, n);
  }
  uint64_t base = cdx_hash64(buf, sizeof buf, 7);
  for (size_t i = 0; i < sizeof buf; i++)
    for (int bit = 0; bit < 8; bit++) {
      buf[i] ^= (unsigned char)(1u << bit);
      cr_assert_neq(cdx_hash64(buf, sizeof buf, 7), base, "flip of byte %zu bit %d", i, bit);
      buf[i] ^= (unsigned char)(1u << bit);
    }
  /* zeros of different lengths, and the seed */
  unsigned char zeros[64] = {0};
  cr_assert_neq(cdx_hash64(zeros, 32, 0), cdx_hash64(zeros, 33, 0));
  cr_assert_neq(cdx_hash64(zeros, 8, 0), cdx_hash64(zeros, 16, 0));
  cr_assert_neq(cdx_hash64(buf, 100, 1), cdx_hash64(buf, 100, 2));
  /* two swapped 8-byte words land in different lanes */
  unsigned char sw[32];
  memcpy(sw, buf, 32);
  memcpy(sw, buf + 8, 8);
  memcpy(sw + 8, buf, 8);
  cr_assert_neq(cdx_hash64(sw, 32, 0), cdx_hash64(buf, 32, 0));
}
