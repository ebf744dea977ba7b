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
 * The encoder is scalar only: indexing is bounded by tokenizing, not by packing, and one encoder
 * makes "the same bytes whatever the CPU" true by construction.
 */
#include "indexer/block_codec.h"

#include <stdatomic.h>
#include <string.h>

#define CDX_BLOCK_MAX_WIDTH 32

static inline uint32_t width_mask(unsigned b)
{
    return b >= 32 ? UINT32_MAX : ((uint32_t)1 << b) - 1;
}

static inline unsigned bit_width(uint32_t v)
{
    return v ? 32u - (unsigned)__builtin_clz(v) : 0u;
}

static inline uint32_t load_u32le(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static inline uint64_t load_u64le(const uint8_t *p)
{
    return (uint64_t)load_u32le(p) | (uint64_t)load_u32le(p + 4) << 32;
}

static inline void store_u32le(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
    p[2] = (uint8_t)(v >> 16);
    p[3] = (uint8_t)(v >> 24);
}

size_t cdx_block_bytes(unsigned b, size_t n)
{
    if (n == CDX_BLOCK_LEN)
        return 1 + 16 * (size_t)b;
    return 1 + (n * b + 7) / 8;
}

/* ---- Encoding ---- */

static void pack_vertical(const uint32_t *v, unsigned b, uint8_t *payload)
{
    memset(payload, 0, 16 * (size_t)b);
    if (b == 0)
        return;
    for (unsigned lane = 0; lane < 4; lane++) {
        for (unsigned j = 0; j < 32; j++) {
            uint32_t x = v[4 * j + lane];
            unsigned bit = j * b, w = bit >> 5, s = bit & 31;
            uint8_t *p = payload + 16 * w + 4 * lane;
            store_u32le(p, load_u32le(p) | x << s);
            if (s + b > 32) {
                p += 16;
                store_u32le(p, load_u32le(p) | x >> (32 - s));
            }
        }
    }
}

static void pack_horizontal(const uint32_t *v, size_t n, unsigned b, uint8_t *payload)
{
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
    if (have)
        *payload = (uint8_t)acc;
}

static size_t encode_values(const uint32_t *v, size_t n, uint32_t ormask, uint8_t *out)
{
    unsigned b = bit_width(ormask);
    out[0] = (uint8_t)b;
    if (n == CDX_BLOCK_LEN)
        pack_vertical(v, b, out + 1);
    else
        pack_horizontal(v, n, b, out + 1);
    return cdx_block_bytes(b, n);
}

size_t cdx_block_encode_ids(const uint32_t *ids, size_t n, uint32_t base, uint8_t *out)
{
    uint32_t gaps[CDX_BLOCK_LEN], ormask = 0;
    if (n == 0 || n > CDX_BLOCK_LEN || ids[0] < base)
        return 0;
    gaps[0] = ids[0] - base;
    ormask = gaps[0];
    for (size_t i = 1; i < n; i++) {
        if (ids[i] <= ids[i - 1])
            return 0;
        gaps[i] = ids[i] - ids[i - 1] - 1;
        ormask |= gaps[i];
    }
    return encode_values(gaps, n, ormask, out);
}

size_t cdx_block_encode_u32(const uint32_t *vals, size_t n, uint8_t *out)
{
    uint32_t ormask = 0;
    if (n == 0 || n > CDX_BLOCK_LEN)
        return 0;
    for (size_t i = 0; i < n; i++)
        ormask |= vals[i];
    return encode_values(vals, n, ormask, out);
}

/* ---- Scalar decoding ---- */

static void unpack_vertical_scalar(const uint8_t *payload, unsigned b, uint32_t *out)
{
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
            if (s + b > 32)
                x |= load_u32le(p + 16) << (32 - s);
            out[4 * j + lane] = x & mask;
        }
    }
}

/* `room` is how many bytes may be read from payload (at least the payload itself); where 8 bytes
 * remain, one unaligned 64-bit load fetches any value (shift <= 7, width <= 32). */
static void unpack_horizontal(const uint8_t *payload, size_t room, size_t n, unsigned b, uint32_t *out)
{
    uint32_t mask = width_mask(b);
    size_t i = 0;
    if (b == 0) {
        memset(out, 0, n * sizeof *out);
        return;
    }
    for (; i < n; i++) {
        size_t bit = i * b;
        if ((bit >> 3) + 8 > room)
            break;
        out[i] = (uint32_t)(load_u64le(payload + (bit >> 3)) >> (bit & 7)) & mask;
    }
    for (; i < n; i++) {
        size_t bit = i * b, byte = bit >> 3, end = (bit + b + 7) >> 3;
        uint64_t acc = 0;
        for (size_t k = byte; k < end; k++)
            acc |= (uint64_t)payload[k] << (8 * (k - byte));
        out[i] = (uint32_t)(acc >> (bit & 7)) & mask;
    }
}

static void unpack_delta_scalar(const uint8_t *payload, unsigned b, uint32_t prev, uint32_t *out)
{
    unpack_vertical_scalar(payload, b, out);
    for (size_t i = 0; i < CDX_BLOCK_LEN; i++)
        out[i] = prev = prev + out[i] + 1;
}

/* ---- Run-time choice ---- */

typedef struct {
    const char *name;
    void (*unpack)(const uint8_t *payload, unsigned b, uint32_t *out);
    void (*unpack_delta)(const uint8_t *payload, unsigned b, uint32_t prev, uint32_t *out);
    bool (*supported)(void);
} codec_impl;

static bool cpu_scalar(void) { return true; }
#if defined(__x86_64__) || defined(__i386__)
static bool cpu_avx2(void)
{
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx2");
}
static bool cpu_avx512(void)
{
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx512f");
}
#endif

/* Best first. */
static const codec_impl impls[] = {
#if defined(__x86_64__) || defined(__i386__)
    {"avx512", cdx_bp128_unpack_avx512, cdx_bp128_unpack_delta_avx512, cpu_avx512},
    {"avx2", cdx_bp128_unpack_avx2, cdx_bp128_unpack_delta_avx2, cpu_avx2},
#endif
    {"scalar", unpack_vertical_scalar, unpack_delta_scalar, cpu_scalar},
};
#define N_IMPLS (sizeof impls / sizeof impls[0])

/* Chosen on first use. Two threads racing through choose() store the same answer, so a relaxed
 * atomic (a plain load on x86) is all the hot path pays, instead of a pthread_once per block. */
static _Atomic(const codec_impl *) current;

static const codec_impl *choose(void)
{
    size_t i = 0;
    while (!impls[i].supported())
        i++; /* the last entry, scalar, is always supported */
    atomic_store_explicit(&current, &impls[i], memory_order_relaxed);
    return &impls[i];
}

static inline const codec_impl *impl(void)
{
    const codec_impl *c = atomic_load_explicit(&current, memory_order_relaxed);
    return c ? c : choose();
}

const char *cdx_block_codec_impl(void)
{
    return impl()->name;
}

bool cdx_block_codec_force(const char *name)
{
    impl(); /* so a later first call cannot override the forced choice */
    for (size_t i = 0; i < N_IMPLS; i++) {
        if (name && strcmp(impls[i].name, name) == 0) {
            if (!impls[i].supported())
                return false;
            atomic_store_explicit(&current, &impls[i], memory_order_relaxed);
            return true;
        }
    }
    return false;
}

/* ---- Decoding entry points ---- */

size_t cdx_block_size(const uint8_t *in, size_t avail, size_t n)
{
    size_t need;
    if (n == 0 || n > CDX_BLOCK_LEN || avail < 1 || in[0] > CDX_BLOCK_MAX_WIDTH)
        return 0;
    need = cdx_block_bytes(in[0], n);
    return need <= avail ? need : 0;
}

static void unpack_full(const uint8_t *payload, unsigned b, uint32_t *out)
{
    if (b == 0)
        memset(out, 0, CDX_BLOCK_LEN * sizeof *out);
    else
        impl()->unpack(payload, b, out);
}

size_t cdx_block_decode_u32(const uint8_t *in, size_t avail, size_t n, uint32_t *out)
{
    size_t need = cdx_block_size(in, avail, n);
    unsigned b;
    if (need == 0)
        return 0;
    b = in[0];
    if (n < CDX_BLOCK_LEN)
        unpack_horizontal(in + 1, avail - 1, n, b, out);
    else
        unpack_full(in + 1, b, out);
    return need;
}

size_t cdx_block_decode_ids(const uint8_t *in, size_t avail, size_t n, uint32_t base, uint32_t *out)
{
    size_t need = cdx_block_size(in, avail, n);
    unsigned b;
    uint64_t worst;
    if (need == 0)
        return 0;
    b = in[0];
    /* The largest id these n gaps of b bits can reach; when it fits, no id can overflow and the
     * fused SIMD kernel runs unchecked. Only blocks of huge gaps take the checked path. */
    worst = (uint64_t)base + (uint64_t)n * width_mask(b) + (n - 1);
    if (n == CDX_BLOCK_LEN && worst <= UINT32_MAX) {
        if (b == 0) {
            for (size_t i = 0; i < CDX_BLOCK_LEN; i++)
                out[i] = base + (uint32_t)i;
        } else {
            impl()->unpack_delta(in + 1, b, base - 1, out);
        }
        return need;
    }
    if (n == CDX_BLOCK_LEN)
        unpack_full(in + 1, b, out);
    else
        unpack_horizontal(in + 1, avail - 1, n, b, out);
    {
        uint64_t id = (uint64_t)base + out[0];
        if (id > UINT32_MAX)
            return 0;
        out[0] = (uint32_t)id;
        for (size_t i = 1; i < n; i++) {
            id += (uint64_t)out[i] + 1;
            if (id > UINT32_MAX)
                return 0;
            out[i] = (uint32_t)id;
        }
    }
    return need;
}
