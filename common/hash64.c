/* A 64-bit hash of whole files, for "is this the document already indexed".
 *
 * Why not the byte-at-a-time FNV of the term tables: every byte of every
 * file passes through this hash, and FNV's one multiply per byte, each
 * waiting for the last, cost 3% of indexing. Here four independent lanes
 * take 8 bytes each per step (the multiply-rotate round of xxHash64's
 * design), so the multiplies overlap; a final avalanche mixes the lanes, the
 * tail and the length. Not for adversarial input: a changed file only has to
 * change its hash. */
#include "common/common.h"

#define P1 0x9E3779B185EBCA87ULL
#define P2 0xC2B2AE3D27D4EB4FULL
#define P3 0x165667B19E3779F9ULL

static inline uint64_t rotl(uint64_t x, int r) { return x << r | x >> (64 - r); }

/* little-endian whatever the machine, so an index means the same anywhere
 * (compilers make this one load on little-endian CPUs) */
static inline uint64_t load64(const unsigned char *p) {
  return (uint64_t)p[0] | (uint64_t)p[1] << 8 | (uint64_t)p[2] << 16 | (uint64_t)p[3] << 24 |
         (uint64_t)p[4] << 32 | (uint64_t)p[5] << 40 | (uint64_t)p[6] << 48 | (uint64_t)p[7] << 56;
}

static inline uint64_t round64(uint64_t acc, uint64_t w) { return rotl(acc + w * P2, 31) * P1; }

static inline uint64_t avalanche(uint64_t h) {
  h ^= h >> 33;
  h *= P2;
  h ^= h >> 29;
  h *= P3;
  h ^= h >> 32;
  return h;
}

uint64_t cdx_hash64(const void *data, size_t n, uint64_t seed) {
  const unsigned char *p = data, *end = p + n;
  uint64_t a = seed + P1 + P2, b = seed + P2, c = seed, d = seed - P1;
  while (end - p >= 32) {
    a = round64(a, load64(p));
    b = round64(b, load64(p + 8));
    c = round64(c, load64(p + 16));
    d = round64(d, load64(p + 24));
    p += 32;
  }
  uint64_t h = rotl(a, 1) + rotl(b, 7) + rotl(c, 12) + rotl(d, 18) + (uint64_t)n;
  while (end - p >= 8) {
    h = rotl(h ^ round64(0, load64(p)), 27) * P1 + P3;
    p += 8;
  }
  while (p < end) h = rotl(h ^ (*p++ * P3), 11) * P1;
  return avalanche(h);
}
