/* intersect.h - intersection of two ascending id arrays (a posting block
 * against the candidates of a count-only AND).
 *
 * Interface to code in indexer/intersect.c (scalar merge, run-time dispatch)
 * and indexer/intersect_avx2.c (8 x 8 all-pairs compares). Thread-safe: the
 * implementation is chosen on first use, as the block codec's is.
 */
#ifndef CDX_INTERSECT_H
#define CDX_INTERSECT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Writes the ids in both a[0..na) and b[0..nb) (each strictly ascending) to
 * out, ascending, and returns how many. out (caller-owned, room for
 * min(na, nb) + CDX_INTERSECT_SLACK: the SIMD kernel stores whole vectors)
 * must not overlap a or b. */
#define CDX_INTERSECT_SLACK 8
size_t cdx_intersect_u32(const uint32_t *a, size_t na, const uint32_t *b, size_t nb, uint32_t *out);

/* The implementations, for the test that they agree and for bench_ops. */
size_t cdx_intersect_u32_scalar(const uint32_t *a, size_t na, const uint32_t *b, size_t nb,
                                uint32_t *out);
size_t cdx_intersect_u32_avx2(const uint32_t *a, size_t na, const uint32_t *b, size_t nb,
                              uint32_t *out); /* only when the CPU has AVX2 */

/* Which one cdx_intersect_u32 uses ("avx2", "scalar"); forcing one returns
 * false, changing nothing, when the CPU lacks it or the name is unknown. */
const char *cdx_intersect_impl(void);
bool cdx_intersect_force(const char *impl);

#endif
