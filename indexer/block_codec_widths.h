/* block_codec_widths.h - one routine per bit width, and the exported entry points that pick one,
 * for a SIMD decoder of full blocks. Included once by block_codec_avx2.c and once by
 * block_codec_avx512.c, each after defining:
 *   TARGET          the function attribute of its instruction set
 *   unpack_b        (payload, B, out): 128 values of width B
 *   unpack_delta_b  (payload, B, prev, out, patched): the same, then the id prefix sum
 *   CDX_BP128_ISA   avx2 or avx512, the suffix of the exported names (block_codec.h)
 * A width that is a compile-time constant makes every shift an immediate, so each width gets its
 * own instantiation; the table of them is the same for both instruction sets.
 */
#ifndef CDX_BP128_ISA
#error "define CDX_BP128_ISA before including block_codec_widths.h"
#endif

#define CDX_BP128_FN__(name, isa) cdx_bp128_##name##_##isa
#define CDX_BP128_FN_(name, isa) CDX_BP128_FN__(name, isa)
#define CDX_BP128_FN(name) CDX_BP128_FN_(name, CDX_BP128_ISA)

/* clang-format reflows this list differently on each pass */
// clang-format off
#define WIDTHS(X)                                                                          \
  X(1) X(2) X(3) X(4) X(5) X(6) X(7) X(8) X(9) X(10) X(11) X(12) X(13) X(14) X(15) X(16)   \
  X(17) X(18) X(19) X(20) X(21) X(22) X(23) X(24) X(25) X(26) X(27) X(28) X(29) X(30)      \
  X(31) X(32)
// clang-format on

#define DEFINE_WIDTH(B)                                                                       \
  TARGET static void unpack_##B(const uint8_t *p, uint32_t *out) { unpack_b(p, B, out); }     \
  TARGET static void unpack_delta_##B(const uint8_t *p, uint32_t prev, uint32_t *out) {       \
    unpack_delta_b(p, B, prev, out, false);                                                   \
  }                                                                                           \
  TARGET static void unpack_delta_patch_##B(const uint8_t *p, uint32_t prev, uint32_t *out) { \
    unpack_delta_b(p, B, prev, out, true);                                                    \
  }
WIDTHS(DEFINE_WIDTH)

#define UNPACK_ENTRY(B) unpack_##B,
#define UNPACK_DELTA_ENTRY(B) unpack_delta_##B,
#define UNPACK_DELTA_PATCH_ENTRY(B) unpack_delta_patch_##B,
static void (*const unpackers[32])(const uint8_t *, uint32_t *) = {WIDTHS(UNPACK_ENTRY)};
static void (*const delta_unpackers[32])(const uint8_t *, uint32_t,
                                         uint32_t *) = {WIDTHS(UNPACK_DELTA_ENTRY)};
static void (*const patch_unpackers[32])(const uint8_t *, uint32_t,
                                         uint32_t *) = {WIDTHS(UNPACK_DELTA_PATCH_ENTRY)};

TARGET void CDX_BP128_FN(unpack_delta_patch)(const uint8_t *payload, unsigned b, uint32_t prev,
                                             uint32_t *out) {
  patch_unpackers[b - 1](payload, prev, out);
}

TARGET void CDX_BP128_FN(unpack)(const uint8_t *payload, unsigned b, uint32_t *out) {
  unpackers[b - 1](payload, out);
}

TARGET void CDX_BP128_FN(unpack_delta)(const uint8_t *payload, unsigned b, uint32_t prev,
                                       uint32_t *out) {
  delta_unpackers[b - 1](payload, prev, out);
}
