/* The intersection kernels (indexer/intersect.h): every implementation the
 * CPU has against a plain reference, on random ascending arrays of every
 * length up to two blocks and densities from disjoint to equal. */
#include <criterion/criterion.h>
#include <stdint.h>
#include <stdlib.h>
#include "indexer/intersect.h"

static uint64_t state = 0x2545F4914F6CDD1DULL;
static uint32_t rnd(void) {
  state ^= state >> 12;
  state ^= state << 25;
  state ^= state >> 27;
  return (uint32_t)((state * 0x9E3779B97F4A7C15ULL) >> 32);
}

/* n ascending ids, gaps 1..gap, from start */
static void fill(uint32_t *a, size_t n, uint32_t start, uint32_t gap) {
  uint32_t v = start;
  for (size_t i = 0; i < n; i++) {
    v += 1 + rnd() % gap;
    a[i] = v;
  }
}

static size_t reference(const uint32_t *a, size_t na, const uint32_t *b, size_t nb, uint32_t *out) {
  size_t k = 0;
  for (size_t i = 0; i < na; i++)
    for (size_t j = 0; j < nb; j++)
      if (a[i] == b[j]) out[k++] = a[i];
  return k;
}

typedef size_t (*isect_fn)(const uint32_t *, size_t, const uint32_t *, size_t, uint32_t *);

Test(intersect, every_impl_equals_reference) {
  static uint32_t a[256], b[256], want[256], got[256 + CDX_INTERSECT_SLACK];
  const char *names[] = {"scalar", "avx2"};
  isect_fn fns[] = {cdx_intersect_u32_scalar, cdx_intersect_u32_avx2};
  size_t tried = 0, matched = 0;
  for (int round = 0; round < 3000; round++) {
    size_t na = rnd() % 257, nb = rnd() % 257;
    uint32_t gap_a = 1 + rnd() % 6, gap_b = 1 + rnd() % 6;
    fill(a, na, rnd() % 8, gap_a);
    fill(b, nb, rnd() % 8, gap_b);
    if (round % 7 == 0) { /* equal arrays, and b a subset of a */
      nb = na;
      for (size_t i = 0; i < na; i++) b[i] = a[i];
      if (round % 14 == 0) {
        size_t m = 0;
        for (size_t i = 0; i < na; i++)
          if (rnd() & 1) b[m++] = a[i];
        nb = m;
      }
    }
    size_t nw = reference(a, na, b, nb, want);
    matched += nw;
    for (size_t f = 0; f < 2; f++) {
      if (f == 1 && !cdx_intersect_force("avx2")) continue;
      for (int swap = 0; swap < 2; swap++) {
        size_t ng = swap ? fns[f](b, nb, a, na, got) : fns[f](a, na, b, nb, got);
        cr_assert_eq(ng, nw, "%s: round %d, %zu x %zu", names[f], round, na, nb);
        for (size_t i = 0; i < nw; i++)
          cr_assert_eq(got[i], want[i], "%s: round %d at %zu", names[f], round, i);
        tried++;
      }
    }
    /* the dispatched entry point agrees too, whichever it is */
    cr_assert_eq(cdx_intersect_u32(a, na, b, nb, got), nw);
  }
  cr_assert_gt(tried, 6000);
  cr_assert_gt(matched, 10000, "the random arrays must overlap often");
}

Test(intersect, impl_choice) {
  cr_assert(cdx_intersect_force("scalar"));
  cr_assert_str_eq(cdx_intersect_impl(), "scalar");
  cr_assert_not(cdx_intersect_force("sse9"));
  cr_assert_not(cdx_intersect_force(NULL));
  cr_assert_str_eq(cdx_intersect_impl(), "scalar", "a failed force must change nothing");
}
