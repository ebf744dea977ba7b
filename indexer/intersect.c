/* intersect.c - scalar intersection of ascending id arrays and the choice
 * of implementation (intersect.h). */
#include <stdatomic.h>
#include <string.h>
#include "common/cpu.h"
#include "indexer/intersect.h"

/* A branch-free merge: which side advances is data, not a jump, so random
 * interleavings (the usual case for two posting blocks) cost no
 * mispredictions. */
size_t cdx_intersect_u32_scalar(const uint32_t *a, size_t na, const uint32_t *b, size_t nb,
                                uint32_t *out) {
  size_t i = 0, j = 0, k = 0;
  while (i < na && j < nb) {
    uint32_t x = a[i], y = b[j];
    out[k] = x;
    k += x == y;
    i += x <= y;
    j += y <= x;
  }
  return k;
}

typedef struct {
  cdx_cpu_kernel k; /* first: the table is cdx_cpu_pick's */
  size_t (*fn)(const uint32_t *, size_t, const uint32_t *, size_t, uint32_t *);
} isect_impl;

static const isect_impl impls[] = {
/* best first; scalar last, always supported */
#if defined(__x86_64__) || defined(__i386__)
    {{"avx2", cdx_cpu_avx2}, cdx_intersect_u32_avx2},
#endif
    {{"scalar", cdx_cpu_any}, cdx_intersect_u32_scalar},
};
#define N_IMPLS (sizeof impls / sizeof impls[0])

/* Chosen on first use (common/cpu.h), as block_codec.c's kernels. */
static _Atomic(const void *) current;

static const isect_impl *impl(void) { return cdx_cpu_pick(&current, impls, sizeof *impls); }

size_t cdx_intersect_u32(const uint32_t *a, size_t na, const uint32_t *b, size_t nb,
                         uint32_t *out) {
  return impl()->fn(a, na, b, nb, out);
}

const char *cdx_intersect_impl(void) { return impl()->k.name; }

bool cdx_intersect_force(const char *name) {
  return cdx_cpu_force(&current, impls, N_IMPLS, sizeof *impls, name);
}
