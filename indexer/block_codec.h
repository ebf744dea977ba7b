/* block_codec.h - the posting block codec: bit-packed blocks of up to 128 integers.
 *
 * Interface to code in indexer/block_codec.c (format, encoder, scalar decoder, run-time dispatch),
 * indexer/block_codec_avx2.c and indexer/block_codec_avx512.c (SIMD decoders).
 *
 * A posting list is cut into blocks of CDX_BLOCK_LEN ids; only the last block of a list may be
 * shorter. The caller stores n (the number of values in a block) elsewhere: a block does not know
 * its own length, and the decoder must be told the same n (and, for ids, the same base) that the
 * encoder was given. Byte layout: docs/FORMAT.md, section "Codec".
 *
 *   block      := header-byte, payload
 *   header     := b (0..32, the bit width of every stored value), or, for n == 128 only,
 *                 0x80|bp (bp 0..31) followed by e (1..128) and hb (1..32-bp): a patched block
 *   payload    := n == 128: 16*b bytes, four interleaved 32-bit lanes (value i in lane i%4)
 *                 n <  128: ceil(n*b/8) bytes, values packed one after another, LSB first
 *                 patched:  16*bp bytes of the values' low bp bits as above, e exception
 *                 positions (1 byte each, increasing), their high parts (value >> bp) packed
 *                 one after another in hb bits each; other header values are malformed
 *
 * All functions are thread-safe: the decoder implementation is chosen on first use (threads that
 * race there choose the same one). cdx_block_codec_force is for tests and benchmarks and should
 * not be called while other threads decode.
 */
#ifndef CDX_BLOCK_CODEC_H
#define CDX_BLOCK_CODEC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define CDX_BLOCK_LEN 128                           /* ids per full block */
#define CDX_BLOCK_MAX_BYTES (1 + 4 * CDX_BLOCK_LEN) /* worst case size of one encoded block */
/* (a patched block is only chosen when it is smaller than the plain one, so the bound holds) */

/* Encodes n (1..CDX_BLOCK_LEN) strictly increasing ids, all >= base (base = previous block's last
 * id + 1, or 0 for a list's first block). Stored values are ids[0]-base and ids[i]-ids[i-1]-1.
 * Writes to out (the caller owns it; at least CDX_BLOCK_MAX_BYTES). Returns bytes written (at most
 * CDX_BLOCK_MAX_BYTES), or 0 when n is out of range or the ids are not strictly increasing from
 * base (nothing useful is written then). */
size_t cdx_block_encode_ids(const uint32_t *ids, size_t n, uint32_t base, uint8_t *out);

/* Decodes n ids written by cdx_block_encode_ids with the same n and base, reading at most `avail`
 * bytes of `in` (never beyond, whatever the bytes say). out (caller-owned) receives n ids and may
 * be written even when the call fails. Returns bytes consumed, or 0 when the block is malformed or
 * longer than avail, or when the ids would pass UINT32_MAX. */
size_t cdx_block_decode_ids(const uint8_t *in, size_t avail, size_t n, uint32_t base,
                            uint32_t *out);

/* The same for plain (non-delta) values such as term frequencies or position gaps. */
size_t cdx_block_encode_u32(const uint32_t *vals, size_t n, uint8_t *out);
/* The vertical packing of a full block (values < 2^b), as the encoder does it on this build and
 * by the portable scalar code: for the test that they write the same bytes. */
void cdx_block_pack_vertical(const uint32_t *v, unsigned b, uint8_t *payload);
void cdx_block_pack_vertical_scalar(const uint32_t *v, unsigned b, uint8_t *payload);
size_t cdx_block_decode_u32(const uint8_t *in, size_t avail, size_t n, uint32_t *out);

/* Size in bytes of the block of n values at `in` (what a decode would consume) without decoding
 * it, so a reader can skip blocks; 0 when malformed or longer than avail. */
size_t cdx_block_size(const uint8_t *in, size_t avail, size_t n);

/* Size in bytes of a plain (unpatched) block of n values of bit width b (b <= 32,
 * 1 <= n <= CDX_BLOCK_LEN): an upper bound for what the encoder writes for such values. */
size_t cdx_block_bytes(unsigned b, size_t n);

/* Which implementation decode uses on this CPU ("avx512", "avx2", "scalar"); chosen once at run
 * time. The returned string is static. */
const char *cdx_block_codec_impl(void);

/* Forces an implementation (tests and benchmarks compare them): returns false, changing nothing,
 * if the CPU lacks it or the name is unknown. Every implementation gives the same results. */
bool cdx_block_codec_force(const char *impl);

/* ---- Internal: SIMD kernels in indexer/block_codec_avx2.c and block_codec_avx512.c ----
 * They decode the payload of one full block (128 values, 16*b bytes at `payload`, all readable;
 * 1 <= b <= 32, checked by the caller) and never read outside it. The *_delta kernels resolve the
 * stored gaps: out[i] = out[i-1] + v[i] + 1 with out[-1] = prev, modulo 2^32 (the caller checks
 * for overflow before choosing them). Only called when the CPU supports the instruction set. */
void cdx_bp128_unpack_avx2(const uint8_t *payload, unsigned b, uint32_t *out);
void cdx_bp128_prefix_avx2(uint32_t *v, uint32_t prev); /* v[i] = v[i-1] + v[i] + 1, 128 values */
void cdx_bp128_prefix_avx512(uint32_t *v, uint32_t prev);
void cdx_bp128_unpack_delta_avx2(const uint8_t *payload, unsigned b, uint32_t prev, uint32_t *out);
void cdx_bp128_unpack_avx512(const uint8_t *payload, unsigned b, uint32_t *out);
/* As *_delta, but out holds on entry an addition to each stored gap (exception high bits). */
void cdx_bp128_unpack_delta_patch_avx2(const uint8_t *payload, unsigned b, uint32_t prev,
                                       uint32_t *out);
void cdx_bp128_unpack_delta_patch_avx512(const uint8_t *payload, unsigned b, uint32_t prev,
                                         uint32_t *out);
void cdx_bp128_unpack_delta_avx512(const uint8_t *payload, unsigned b, uint32_t prev,
                                   uint32_t *out);

#endif
