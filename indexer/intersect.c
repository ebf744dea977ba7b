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
  const char *name;
  size_t (*fn)(const uint32_t *, size_t, const uint32_t *, size_t, uint32_t *);
  bool (*supported)(void);
} isect_impl;

static bool cpu_scalar(void) { return true; }

static const isect_impl impls[] = {
/* best first; scalar last, always supported */
#if defined(__x86_64__) || defined(__i386__)
    {"avx2", cdx_intersect_u32_avx2, cdx_cpu_avx2},
#endif
    {"scalar", cdx_intersect_u32_scalar, cpu_scalar},
};
#define N_IMPLS (sizeof impls / sizeof impls[0])

/* Racing first calls store the same answer (as block_codec.c's choice). */
static _Atomic(const isect_impl *) current;

static const isect_impl *impl(void) {
  const isect_impl *c = atomic_load_explicit(&current, memory_order_relaxed);
  if (c) return c;
  size_t i = 0;
  while (!impls[i].supported()) i++;
  atomic_store_explicit(&current, &impls[i], memory_order_relaxed);
  return &impls[i];
}

size_t cdx_intersect_u32(const uint32_t *a, size_t na, const uint32_t *b, size_t nb,
                         uint32_t *out) {
  return impl()->fn(a, na, b, nb, out);
}

const char *cdx_intersect_impl(void) { return impl()->name; }

bool cdx_intersect_force(const char *name) {
  impl();
  for (size_t i = 0; i < N_IMPLS; i++)
    if (name && strcmp(impls[i].name, name) == 0 && impls[i].supported()) {
      atomic_store_explicit(&current, &impls[i], memory_order_relaxed);
      return true;
    }
  return false;
}
