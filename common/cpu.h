/* cpu.h - which SIMD code paths this process may take.
 *
 * glibc's record of the processor and of what the kernel enables, made
 * once by the dynamic loader (<sys/platform/x86.h>), instead of libgcc's
 * __builtin_cpu_supports: using that links libgcc's cpuinfo, whose
 * constructor runs ~30 cpuid instructions in every process before main,
 * and in a VM each one traps to the hypervisor (~4% of `clausedex
 * --version`). And the one way a module picks its kernel (block_codec.c,
 * intersect.c). Header-only so that the codec builds on its own (tests,
 * bench_codec).
 */
#ifndef CDX_COMMON_CPU_H
#define CDX_COMMON_CPU_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <string.h>

#if defined(__x86_64__) || defined(__i386__)
#include <sys/platform/x86.h>
static inline bool cdx_cpu_avx2(void) { return CPU_FEATURE_ACTIVE(AVX2); }
static inline bool cdx_cpu_avx512f(void) { return CPU_FEATURE_ACTIVE(AVX512F); }
#else
static inline bool cdx_cpu_avx2(void) { return false; }
static inline bool cdx_cpu_avx512f(void) { return false; }
#endif
static inline bool cdx_cpu_any(void) { return true; }

/* ---- Picking a kernel once ----
 * A module with SIMD kernels keeps a table of entries, best first, each starting with a
 * cdx_cpu_kernel (its first member), the last one (scalar) always supported, and an
 * `static _Atomic(const void *) current` for the entry in use. */
typedef struct cdx_cpu_kernel {
  const char *name;
  bool (*supported)(void);
} cdx_cpu_kernel;

static inline const cdx_cpu_kernel *cdx_cpu_entry(const void *table, size_t i, size_t size) {
  return (const cdx_cpu_kernel *)(const void *)((const char *)table + i * size);
}

/* The entry in use: on first use the first supported one. Two threads racing through the
 * first use store the same answer, so a relaxed atomic (a plain load on x86) is all the hot
 * path pays, instead of a pthread_once per call. */
static inline const void *cdx_cpu_pick(_Atomic(const void *) *current, const void *table,
                                       size_t size) {
  const void *c = atomic_load_explicit(current, memory_order_relaxed);
  if (c) return c;
  size_t i = 0;
  while (!cdx_cpu_entry(table, i, size)->supported()) i++;
  c = cdx_cpu_entry(table, i, size);
  atomic_store_explicit(current, c, memory_order_relaxed);
  return c;
}

/* For tests and benchmarks: the entry named `name` (of the n in the table) from now on.
 * False, the choice unchanged, for an unknown name or one this processor cannot run. */
static inline bool cdx_cpu_force(_Atomic(const void *) *current, const void *table, size_t n,
                                 size_t size, const char *name) {
  cdx_cpu_pick(current, table, size); /* so a later first use cannot override the choice */
  for (size_t i = 0; i < n; i++) {
    const cdx_cpu_kernel *k = cdx_cpu_entry(table, i, size);
    if (name && strcmp(k->name, name) == 0) {
      if (!k->supported()) return false;
      atomic_store_explicit(current, k, memory_order_relaxed);
      return true;
    }
  }
  return false;
}

#endif
