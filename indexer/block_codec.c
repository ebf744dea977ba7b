/* block_codec.c - posting block format: the encoder, the scalar decoder and the run-time choice
 * of decoder.
 *
 * Why this layout: a full block (128 values) stores value i in 32-bit lane i%4, each lane a
 * little-endian bit stream of 32 values of b bits (SIMD-BP128, Lemire & Boytsov 2015). Every lane
 * then needs the same shift at the same step, so one vector shift unpacks four (or, with a
 * permute, sixteen) values, and the unpacked vector holds four consecutive values in order, ready
 * for an in-register prefix sum. Partial blocks (n < 128, the tail of every list and the whole of
 * most lists) would waste up to 127 values of padding in that layout, so they are packed one
 * value after another instead and decoded by scalar code; they are never the hot loop of a long
 * list scan.
 *
 * The encoder has one path per build: SSE2 packing on x86-64 (every such CPU has it), scalar
 * elsewhere, and a test holds the two to the same bytes.
 */
#include "indexer/block_codec.h"
#include "common/cpu.h"

#include <stdatomic.h>
#include <string.h>

#if defined(__SSE2__) && (defined(__x86_64__) || defined(__i386__))
#define CDX_PACK_SSE2 1
#include <emmintrin.h>
#else
#define CDX_PACK_SSE2 0
#endif

#define CDX_BLOCK_MAX_WIDTH 32
#define CDX_BLOCK_PATCHED 0x80 /* header flag: a full block with exceptions */
/* A patched block decodes about 40% slower than a plain one (a scalar scatter of the exceptions
 * before the SIMD pass), so the encoder patches only when that saves at least this many bytes of
 * the block, i.e. 1 bit per id. On clause-level bigram lists of a generated corpus (bench_codec
 * --text) that keeps most of the saving: 8.27 bits/id plain, 7.19 with this threshold, 6.88 when
 * patching whenever smaller, at about 2.7, 1.9 and 1.65 G ids/s. */
#define CDX_PATCH_MIN_SAVING 16

static inline uint32_t width_mask(unsigned b) {
  return b >= 32 ? UINT32_MAX : ((uint32_t)1 << b) - 1;
}

static inline unsigned bit_width(uint32_t v) { return v ? 32u - (unsigned)__builtin_clz(v) : 0u; }

static inline uint32_t load_u32le(const uint8_t *p) {
  return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static inline uint64_t load_u64le(const uint8_t *p) {
  return (uint64_t)load_u32le(p) | (uint64_t)load_u32le(p + 4) << 32;
}

static inline void store_u32le(uint8_t *p, uint32_t v) {
  p[0] = (uint8_t)v;
  p[1] = (uint8_t)(v >> 8);
  p[2] = (uint8_t)(v >> 16);
  p[3] = (uint8_t)(v >> 24);
}

size_t cdx_block_bytes(unsigned b, size_t n) {
  if (n == CDX_BLOCK_LEN) return 1 + 16 * (size_t)b;
  return 1 + (n * b + 7) / 8;
}

/* ---- Encoding ---- */

/* Each lane is one little-endian bit stream, so it is packed in a 64-bit accumulator and every
 * 32-bit word is stored once (values are < 2^b: the callers mask or measure them). A lane holds
 * 32*b bits, exactly b words, so nothing is left over. */
static void pack_vertical_scalar(const uint32_t *v, unsigned b, uint8_t *payload) {
  for (unsigned lane = 0; lane < 4 && b > 0; lane++) {
    uint8_t *p = payload + 4 * lane;
    uint64_t acc = 0;
    unsigned have = 0;
    for (unsigned j = 0; j < 32; j++) {
      acc |= (uint64_t)v[4 * j + lane] << have;
      have += b;
      if (have >= 32) {
        store_u32le(p, (uint32_t)acc);
        p += 16;
        acc >>= 32;
        have -= 32;
      }
    }
  }
}

#if CDX_PACK_SSE2
/* The four lanes side by side in one register (SSE2 is in every x86-64 CPU, so this needs no
 * run-time choice): the same bits as the scalar packer, which the tests hold it to. */
static void pack_vertical(const uint32_t *v, unsigned b, uint8_t *payload) {
  if (b == 0) return;
  if (b == 32) {
    memcpy(payload, v, 4 * CDX_BLOCK_LEN); /* little-endian x86: lane order is memory order */
    return;
  }
  __m128i acc = _mm_setzero_si128();
  unsigned have = 0;
  for (unsigned j = 0; j < 32; j++) {
    __m128i x = _mm_loadu_si128((const __m128i *)(v + 4 * j));
    acc = _mm_or_si128(acc, _mm_sll_epi32(x, _mm_cvtsi32_si128((int)have)));
    have += b;
    if (have >= 32) {
      _mm_storeu_si128((__m128i *)payload, acc);
      payload += 16;
      have -= 32;
      /* the high bits of x that did not fit start the next word */
      acc = have ? _mm_srl_epi32(x, _mm_cvtsi32_si128((int)(b - have))) : _mm_setzero_si128();
    }
  }
}
#else
static void pack_vertical(const uint32_t *v, unsigned b, uint8_t *payload) {
  pack_vertical_scalar(v, b, payload);
}
#endif

void cdx_block_pack_vertical_scalar(const uint32_t *v, unsigned b, uint8_t *payload) {
  pack_vertical_scalar(v, b, payload);
}

void cdx_block_pack_vertical(const uint32_t *v, unsigned b, uint8_t *payload) {
  pack_vertical(v, b, payload);
}

static void pack_horizontal(const uint32_t *v, size_t n, unsigned b, uint8_t *payload) {
  uint64_t acc = 0;
  unsigned have = 0;
  for (size_t i = 0; i < n; i++) {
    acc |= (uint64_t)v[i] << have;
    have += b;
    while (have >= 8) {
      *payload++ = (uint8_t)acc;
      acc >>= 8;
      have -= 8;
    }
  }
  if (have) *payload = (uint8_t)acc;
}

/* A full block whose few large values would force a wide b for all 128 stores only the low bp
 * bits of every value in the vertical payload and patches the values that need more ("exceptions",
 * PFor): header 0x80|bp, exception count e, high width hb, the payload, e positions, then the e
 * high parts packed horizontally. Chosen only when it saves CDX_PATCH_MIN_SAVING bytes. */
static size_t encode_full(const uint32_t *v, unsigned b, uint8_t *out) {
  size_t count[33], e = 0, best = 1 + 16 * (size_t)b;
  unsigned best_bp = b;
  /* patching saves 16 bytes per bit dropped and costs at least 2 bytes of header and a
     * position, so below b = 2 it never pays: no histogram */
  if (b >= 2) {
    /* four histograms: increments of one counter wait for each other through memory, and
         * neighbouring values mostly have the same width */
    uint8_t c4[4][33] = {{0}}; /* at most 32 values each */
    for (size_t i = 0; i < CDX_BLOCK_LEN; i += 4) {
      c4[0][bit_width(v[i])]++;
      c4[1][bit_width(v[i + 1])]++;
      c4[2][bit_width(v[i + 2])]++;
      c4[3][bit_width(v[i + 3])]++;
    }
    for (unsigned w = 0; w <= b; w++) count[w] = (size_t)c4[0][w] + c4[1][w] + c4[2][w] + c4[3][w];
  }
  for (unsigned bp = b; b >= 2 && bp-- > 0;) {
    e += count[bp + 1];
    size_t cost = 3 + 16 * (size_t)bp + e + (e * (b - bp) + 7) / 8;
    if (cost + CDX_PATCH_MIN_SAVING <= best) {
      best = cost;
      best_bp = bp;
    }
  }
  if (best_bp == b) {
    out[0] = (uint8_t)b;
    pack_vertical(v, b, out + 1);
    return best;
  }
  uint32_t low[CDX_BLOCK_LEN], high[CDX_BLOCK_LEN], mask = width_mask(best_bp);
  uint8_t *pos = out + 3 + 16 * (size_t)best_bp;
  e = 0;
  for (size_t i = 0; i < CDX_BLOCK_LEN; i++) {
    low[i] = v[i] & mask;
    if (v[i] > mask) {
      pos[e] = (uint8_t)i;
      high[e++] = v[i] >> best_bp;
    }
  }
  out[0] = (uint8_t)(CDX_BLOCK_PATCHED | best_bp);
  out[1] = (uint8_t)e;
  out[2] = (uint8_t)(b - best_bp);
  pack_vertical(low, best_bp, out + 3);
  pack_horizontal(high, e, b - best_bp, pos + e);
  return best;
}

static size_t encode_values(const uint32_t *v, size_t n, uint32_t ormask, uint8_t *out) {
  unsigned b = bit_width(ormask);
  if (n == CDX_BLOCK_LEN) return encode_full(v, b, out);
  out[0] = (uint8_t)b;
  pack_horizontal(v, n, b, out + 1);
  return cdx_block_bytes(b, n);
}

size_t cdx_block_encode_ids(const uint32_t *ids, size_t n, uint32_t base, uint8_t *out) {
  uint32_t gaps[CDX_BLOCK_LEN], ormask = 0;
  if (n == 0 || n > CDX_BLOCK_LEN || ids[0] < base) return 0;
  gaps[0] = ids[0] - base;
  ormask = gaps[0];
  for (size_t i = 1; i < n; i++) {
    if (ids[i] <= ids[i - 1]) return 0;
    gaps[i] = ids[i] - ids[i - 1] - 1;
    ormask |= gaps[i];
  }
  return encode_values(gaps, n, ormask, out);
}

size_t cdx_block_encode_u32(const uint32_t *vals, size_t n, uint8_t *out) {
  uint32_t ormask = 0;
  if (n == 0 || n > CDX_BLOCK_LEN) return 0;
  for (size_t i = 0; i < n; i++) ormask |= vals[i];
  return encode_values(vals, n, ormask, out);
}

/* ---- Scalar decoding ---- */

static void unpack_vertical_scalar(const uint8_t *payload, unsigned b, uint32_t *out) {
  uint32_t mask = width_mask(b);
  if (b == 0) {
    memset(out, 0, CDX_BLOCK_LEN * sizeof *out);
    return;
  }
  for (unsigned lane = 0; lane < 4; lane++) {
    for (unsigned j = 0; j < 32; j++) {
      unsigned bit = j * b, w = bit >> 5, s = bit & 31;
      const uint8_t *p = payload + 16 * w + 4 * lane;
      uint32_t x = load_u32le(p) >> s;
      if (s + b > 32) x |= load_u32le(p + 16) << (32 - s);
      out[4 * j + lane] = x & mask;
    }
  }
}

/* `room` is how many bytes may be read from payload (at least the payload itself); where 8 bytes
 * remain, one unaligned 64-bit load fetches any value (shift <= 7, width <= 32). */
static void unpack_horizontal(const uint8_t *payload, size_t room, size_t n, unsigned b,
                              uint32_t *out) {
  uint32_t mask = width_mask(b);
  size_t i = 0;
  if (b == 0) {
    memset(out, 0, n * sizeof *out);
    return;
  }
  for (; i < n; i++) {
    size_t bit = i * b;
    if ((bit >> 3) + 8 > room) break;
    out[i] = (uint32_t)(load_u64le(payload + (bit >> 3)) >> (bit & 7)) & mask;
  }
  for (; i < n; i++) {
    size_t bit = i * b, byte = bit >> 3, end = (bit + b + 7) >> 3;
    uint64_t acc = 0;
    for (size_t k = byte; k < end; k++) acc |= (uint64_t)payload[k] << (8 * (k - byte));
    out[i] = (uint32_t)(acc >> (bit & 7)) & mask;
  }
}

static void prefix_scalar(uint32_t *v, uint32_t prev) {
  for (size_t i = 0; i < CDX_BLOCK_LEN; i++) v[i] = prev = prev + v[i] + 1;
}

static void unpack_delta_patch_scalar(const uint8_t *payload, unsigned b, uint32_t prev,
                                      uint32_t *out) {
  uint32_t low[CDX_BLOCK_LEN];
  unpack_vertical_scalar(payload, b, low);
  for (size_t i = 0; i < CDX_BLOCK_LEN; i++) out[i] += low[i];
  prefix_scalar(out, prev);
}

static void unpack_delta_scalar(const uint8_t *payload, unsigned b, uint32_t prev, uint32_t *out) {
  unpack_vertical_scalar(payload, b, out);
  prefix_scalar(out, prev);
}

/* ---- Run-time choice ---- */

typedef struct {
  cdx_cpu_kernel k; /* first: the table is cdx_cpu_pick's */
  void (*unpack)(const uint8_t *payload, unsigned b, uint32_t *out);
  void (*unpack_delta)(const uint8_t *payload, unsigned b, uint32_t prev, uint32_t *out);
  void (*prefix)(uint32_t *v, uint32_t prev);
  void (*unpack_delta_patch)(const uint8_t *payload, unsigned b, uint32_t prev, uint32_t *out);
} codec_impl;

/* Best first. */
static const codec_impl impls[] = {
#if defined(__x86_64__) || defined(__i386__)
    {{"avx512", cdx_cpu_avx512f},
     cdx_bp128_unpack_avx512,
     cdx_bp128_unpack_delta_avx512,
     cdx_bp128_prefix_avx512,
     cdx_bp128_unpack_delta_patch_avx512},
    {{"avx2", cdx_cpu_avx2},
     cdx_bp128_unpack_avx2,
     cdx_bp128_unpack_delta_avx2,
     cdx_bp128_prefix_avx2,
     cdx_bp128_unpack_delta_patch_avx2},
#endif
    {{"scalar", cdx_cpu_any},
     unpack_vertical_scalar,
     unpack_delta_scalar,
     prefix_scalar,
     unpack_delta_patch_scalar},
};
#define N_IMPLS (sizeof impls / sizeof impls[0])

/* Chosen on first use (common/cpu.h). */
static _Atomic(const void *) current;

static inline const codec_impl *impl(void) { return cdx_cpu_pick(&current, impls, sizeof *impls); }

const char *cdx_block_codec_impl(void) { return impl()->k.name; }

bool cdx_block_codec_force(const char *name) {
  return cdx_cpu_force(&current, impls, N_IMPLS, sizeof *impls, name);
}

/* ---- Decoding entry points ---- */

/* Size of a patched block, or 0 when its header bytes are impossible or it passes avail. */
static size_t patched_size(const uint8_t *in, size_t avail) {
  unsigned bp, e, hb;
  size_t need;
  if (avail < 3) return 0;
  bp = in[0] & ~CDX_BLOCK_PATCHED;
  e = in[1];
  hb = in[2];
  if (bp > 31 || e == 0 || e > CDX_BLOCK_LEN || hb == 0 || hb > 32 - bp) return 0;
  need = 3 + 16 * (size_t)bp + e + ((size_t)e * hb + 7) / 8;
  return need <= avail ? need : 0;
}

size_t cdx_block_size(const uint8_t *in, size_t avail, size_t n) {
  size_t need;
  if (n == 0 || n > CDX_BLOCK_LEN || avail < 1) return 0;
  if (in[0] & CDX_BLOCK_PATCHED) return n == CDX_BLOCK_LEN ? patched_size(in, avail) : 0;
  if (in[0] > CDX_BLOCK_MAX_WIDTH) return 0;
  need = cdx_block_bytes(in[0], n);
  return need <= avail ? need : 0;
}

static void unpack_full(const uint8_t *payload, unsigned b, uint32_t *out) {
  if (b == 0) memset(out, 0, CDX_BLOCK_LEN * sizeof *out);
  else impl()->unpack(payload, b, out);
}

/* Decodes a patched block (size already checked: need bytes at in, avail in all); returns false
 * when the exception positions are not strictly increasing. *width gets the full bit width. */
static bool unpack_patched(const uint8_t *in, size_t avail, uint32_t *out, unsigned *width) {
  unsigned bp = in[0] & ~CDX_BLOCK_PATCHED, e = in[1], hb = in[2];
  const uint8_t *pos = in + 3 + 16 * (size_t)bp, *highs = pos + e;
  uint32_t high[CDX_BLOCK_LEN];
  unpack_full(in + 3, bp, out);
  unpack_horizontal(highs, avail - (size_t)(highs - in), e, hb, high);
  for (unsigned k = 0; k < e; k++) {
    if (pos[k] >= CDX_BLOCK_LEN || (k > 0 && pos[k] <= pos[k - 1])) return false;
    out[pos[k]] |= high[k] << bp;
  }
  *width = bp + hb;
  return true;
}

/* Zeroes out and stores each exception's high part, shifted into place, at its position. The
 * high parts are read straight from their packed bytes: 8-byte loads while 8 bytes remain before
 * avail, byte by byte after. */
static bool scatter_exceptions(const uint8_t *in, size_t avail, uint32_t *out) {
  unsigned bp = in[0] & ~CDX_BLOCK_PATCHED, e = in[1], hb = in[2], k = 0;
  const uint8_t *pos = in + 3 + 16 * (size_t)bp, *highs = pos + e;
  size_t room = avail - (size_t)(highs - in);
  uint32_t mask = width_mask(hb);
  int last = -1;
  memset(out, 0, CDX_BLOCK_LEN * sizeof *out);
  for (; k < e; k++) {
    size_t bit = (size_t)k * hb;
    if ((bit >> 3) + 8 > room) break;
    if ((int)pos[k] <= last || pos[k] >= CDX_BLOCK_LEN) return false;
    last = pos[k];
    out[last] = ((uint32_t)(load_u64le(highs + (bit >> 3)) >> (bit & 7)) & mask) << bp;
  }
  if (k < e) {
    uint32_t high[CDX_BLOCK_LEN];
    unpack_horizontal(highs, room, e, hb, high);
    for (; k < e; k++) {
      if ((int)pos[k] <= last || pos[k] >= CDX_BLOCK_LEN) return false;
      last = pos[k];
      out[last] = high[k] << bp;
    }
  }
  return true;
}

size_t cdx_block_decode_u32(const uint8_t *in, size_t avail, size_t n, uint32_t *out) {
  size_t need = cdx_block_size(in, avail, n);
  unsigned b;
  if (need == 0) return 0;
  b = in[0];
  if (b & CDX_BLOCK_PATCHED) return unpack_patched(in, avail, out, &b) ? need : 0;
  if (n < CDX_BLOCK_LEN) unpack_horizontal(in + 1, avail - 1, n, b, out);
  else unpack_full(in + 1, b, out);
  return need;
}

/* The largest id n gaps of b bits can reach from base; when it fits in 32 bits no id can
 * overflow and the SIMD prefix sums run unchecked. Only blocks of huge gaps take the checked
 * path. */
static bool cannot_overflow(uint32_t base, size_t n, unsigned b) {
  return (uint64_t)base + (uint64_t)n * width_mask(b) + (n - 1) <= UINT32_MAX;
}

size_t cdx_block_decode_ids(const uint8_t *in, size_t avail, size_t n, uint32_t base,
                            uint32_t *out) {
  size_t need = cdx_block_size(in, avail, n);
  unsigned b;
  if (need == 0) return 0;
  b = in[0];
  if (b & CDX_BLOCK_PATCHED) {
    unsigned bp = b & ~CDX_BLOCK_PATCHED;
    if (cannot_overflow(base, n, bp + in[2])) {
      /* out becomes the exceptions' additions to the gaps; the kernel adds the low bits
             * and resolves the gaps in one pass */
      if (!scatter_exceptions(in, avail, out)) return 0;
      if (bp == 0) impl()->prefix(out, base - 1);
      else impl()->unpack_delta_patch(in + 3, bp, base - 1, out);
      return need;
    }
    if (!unpack_patched(in, avail, out, &b)) return 0;
  } else if (n == CDX_BLOCK_LEN && cannot_overflow(base, n, b)) {
    if (b == 0) {
      for (size_t i = 0; i < CDX_BLOCK_LEN; i++) out[i] = base + (uint32_t)i;
    } else {
      impl()->unpack_delta(in + 1, b, base - 1, out);
    }
    return need;
  } else if (n == CDX_BLOCK_LEN) {
    unpack_full(in + 1, b, out);
  } else {
    unpack_horizontal(in + 1, avail - 1, n, b, out);
  }
  {
    uint64_t id = (uint64_t)base + out[0];
    if (id > UINT32_MAX) return 0;
    out[0] = (uint32_t)id;
    for (size_t i = 1; i < n; i++) {
      id += (uint64_t)out[i] + 1;
      if (id > UINT32_MAX) return 0;
      out[i] = (uint32_t)id;
    }
  }
  return need;
}
