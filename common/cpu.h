/* cpu.h - which SIMD code paths this process may take.
 *
 * glibc's record of the processor and of what the kernel enables, made
 * once by the dynamic loader (<sys/platform/x86.h>), instead of libgcc's
 * __builtin_cpu_supports: using that links libgcc's cpuinfo, whose
 * constructor runs ~30 cpuid instructions in every process before main,
 * and in a VM each one traps to the hypervisor (~4% of `clausedex
 * --version`). Header-only so that the codec builds on its own (tests,
 * bench_codec).
 */
#ifndef CDX_COMMON_CPU_H
#define CDX_COMMON_CPU_H

#include <stdbool.h>

#if defined(__x86_64__) || defined(__i386__)
#include <sys/platform/x86.h>
static inline bool cdx_cpu_avx2(void) { return CPU_FEATURE_ACTIVE(AVX2); }
static inline bool cdx_cpu_avx512f(void) { return CPU_FEATURE_ACTIVE(AVX512F); }
#else
static inline bool cdx_cpu_avx2(void) { return false; }
static inline bool cdx_cpu_avx512f(void) { return false; }
#endif

#endif
