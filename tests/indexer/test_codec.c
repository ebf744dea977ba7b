/* Posting block codec: round trips for every width and length, every implementation agreeing,
 * ids at the top of the range, and malformed or truncated blocks. Encoded blocks are decoded from
 * malloc'ed copies of exactly the available size, so ASan catches any read past `avail`. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "indexer/block_codec.h"

static const char *const impl_names[] = {"scalar", "avx2", "avx512"};
#define N_IMPL 3

static uint64_t rng_state;

static uint32_t rnd(void) {
  /* xorshift64*: fixed seed, so a failure reproduces */
  rng_state ^= rng_state >> 12;
  rng_state ^= rng_state << 25;
  rng_state ^= rng_state >> 27;
  return (uint32_t)((rng_state * 0x2545F4914F6CDD1DULL) >> 32);
}

/* n values of width exactly b (at least one has bit b-1 set), about a third of them zero so the
 * zero-heavy gaps of dense lists are covered too. */
static void random_values(uint32_t *v, size_t n, unsigned b) {
  uint32_t mask = b >= 32 ? UINT32_MAX : ((uint32_t)1 << b) - 1;
  for (size_t i = 0; i < n; i++) v[i] = (rnd() % 3 == 0) ? 0 : rnd() & mask;
  if (b > 0) v[rnd() % n] |= (uint32_t)1 << (b - 1);
}

static uint8_t *exact_copy(const uint8_t *src, size_t len) {
  uint8_t *p = malloc(len ? len : 1);
  cr_assert_not_null(p);
  memcpy(p, src, len);
  return p;
}

static size_t supported_impls(const char **names) {
  size_t k = 0;
  for (size_t i = 0; i < N_IMPL; i++) {
    if (cdx_block_codec_force(impl_names[i])) names[k++] = impl_names[i];
    else /* a visible skip: Criterion's own warning log makes the run exit 1 */
      fprintf(stderr, "codec implementation %s not supported on this CPU: not tested\n",
              impl_names[i]);
  }
  return k;
}

/* A plain block is exactly 1 + payload for width b; a patched one (full blocks only) is smaller
 * than the plain block would be and splits b into low and high widths. */
static void check_header(const uint8_t *enc, size_t len, unsigned b, size_t n) {
  cr_assert_leq(len, CDX_BLOCK_MAX_BYTES);
  cr_assert_eq(cdx_block_size(enc, len, n), len, "b=%u n=%zu", b, n);
  if (enc[0] & 0x80) {
    cr_assert_eq(n, CDX_BLOCK_LEN, "b=%u n=%zu: only full blocks are patched", b, n);
    cr_assert_eq((enc[0] & 0x7F) + enc[2], b, "b=%u: low + high width", b);
    cr_assert_leq(len + 16, cdx_block_bytes(b, n), "b=%u: patched only when 16 bytes smaller", b);
  } else {
    cr_assert_eq(enc[0], b, "b=%u n=%zu: header", b, n);
    cr_assert_eq(len, cdx_block_bytes(b, n), "b=%u n=%zu", b, n);
  }
}

Test(codec, impl_choice) {
  const char *name = cdx_block_codec_impl();
  cr_assert(strcmp(name, "scalar") == 0 || strcmp(name, "avx2") == 0 ||
            strcmp(name, "avx512") == 0);
  cr_assert(cdx_block_codec_force("scalar"));
  cr_assert_str_eq(cdx_block_codec_impl(), "scalar");
  cr_assert_not(cdx_block_codec_force("sse9"));
  cr_assert_not(cdx_block_codec_force(NULL));
  cr_assert_str_eq(cdx_block_codec_impl(), "scalar", "a failed force must change nothing");
}

Test(codec, ids_round_trip_every_width_and_length) {
  const char *names[N_IMPL];
  size_t nimpl = supported_impls(names);
  uint32_t gaps[CDX_BLOCK_LEN], ids[CDX_BLOCK_LEN], got[N_IMPL][CDX_BLOCK_LEN];
  uint8_t enc[CDX_BLOCK_MAX_BYTES];
  rng_state = 0x9E3779B97F4A7C15ULL;
  for (unsigned b = 0; b <= 32; b++) {
    for (size_t n = 1; n <= CDX_BLOCK_LEN; n++) {
      uint64_t id, total = 0;
      uint32_t base;
      random_values(gaps, n, b);
      for (size_t i = 0; i < n; i++) total += (uint64_t)gaps[i] + (i > 0);
      /* the largest base that keeps the last id <= UINT32_MAX, or a small one */
      if (total > UINT32_MAX) {
        /* too wide for this n: scale the gaps down but keep one of width b */
        for (size_t i = 0; i < n; i++) gaps[i] = gaps[i] >> 8;
        gaps[0] = b ? (uint32_t)1 << (b - 1) : 0;
        total = 0;
        for (size_t i = 0; i < n; i++) total += (uint64_t)gaps[i] + (i > 0);
        cr_assert_leq(total, UINT32_MAX);
      }
      base = (rnd() & 1) ? (uint32_t)(UINT32_MAX - total) : (uint32_t)(rnd() % 1000);
      id = base;
      for (size_t i = 0; i < n; i++) {
        id += gaps[i] + (i > 0);
        ids[i] = (uint32_t)id;
      }
      size_t len = cdx_block_encode_ids(ids, n, base, enc);
      check_header(enc, len, b, n);
      cr_assert_eq(cdx_block_size(enc, len, n), len);
      uint8_t *copy = exact_copy(enc, len);
      for (size_t k = 0; k < nimpl; k++) {
        cr_assert(cdx_block_codec_force(names[k]));
        memset(got[k], 0xAB, sizeof got[k]);
        cr_assert_eq(cdx_block_decode_ids(copy, len, n, base, got[k]), len, "%s b=%u n=%zu",
                     names[k], b, n);
        cr_assert_arr_eq(got[k], ids, n * sizeof *ids, "%s b=%u n=%zu base=%u", names[k], b, n,
                         base);
      }
      free(copy);
    }
  }
}

Test(codec, u32_round_trip_every_width_and_length) {
  const char *names[N_IMPL];
  size_t nimpl = supported_impls(names);
  uint32_t vals[CDX_BLOCK_LEN], got[CDX_BLOCK_LEN];
  uint8_t enc[CDX_BLOCK_MAX_BYTES], first[CDX_BLOCK_MAX_BYTES];
  rng_state = 0x1234567887654321ULL;
  for (unsigned b = 0; b <= 32; b++) {
    for (size_t n = 1; n <= CDX_BLOCK_LEN; n++) {
      random_values(vals, n, b);
      size_t len = cdx_block_encode_u32(vals, n, enc);
      check_header(enc, len, b, n);
      memcpy(first, enc, len);
      uint8_t *copy = exact_copy(enc, len);
      for (size_t k = 0; k < nimpl; k++) {
        cr_assert(cdx_block_codec_force(names[k]));
        /* encoding is the same bytes whichever implementation is active */
        cr_assert_eq(cdx_block_encode_u32(vals, n, enc), len);
        cr_assert_arr_eq(enc, first, len, "%s b=%u n=%zu: bytes differ", names[k], b, n);
        memset(got, 0xAB, sizeof got);
        cr_assert_eq(cdx_block_decode_u32(copy, len, n, got), len, "%s b=%u n=%zu", names[k], b, n);
        cr_assert_arr_eq(got, vals, n * sizeof *vals, "%s b=%u n=%zu", names[k], b, n);
      }
      free(copy);
    }
  }
}

/* A hand-checked block, so the layout in docs/FORMAT.md is pinned by a test and not only by the
 * encoder agreeing with itself. */
Test(codec, known_bytes) {
  uint32_t v[CDX_BLOCK_LEN], got[CDX_BLOCK_LEN];
  uint8_t enc[CDX_BLOCK_MAX_BYTES];
  /* partial block: 3 values of width 3, LSB first: 5 | 1<<3 | 6<<6 = 0x8D, 0x01 */
  v[0] = 5, v[1] = 1, v[2] = 6;
  cr_assert_eq(cdx_block_encode_u32(v, 3, enc), 3);
  cr_assert_eq(enc[0], 3);
  cr_assert_eq(enc[1], 0x8D);
  cr_assert_eq(enc[2], 0x01);
  /* full block of width 1: value i = i & 1; value i is bit i/4 of lane i%4, lane l is the
     * 32-bit little-endian word at payload byte 4l, so lanes 1 and 3 are all ones */
  for (size_t i = 0; i < CDX_BLOCK_LEN; i++) v[i] = i & 1;
  cr_assert_eq(cdx_block_encode_u32(v, CDX_BLOCK_LEN, enc), 17);
  cr_assert_eq(enc[0], 1);
  uint8_t want[16] = {0, 0, 0, 0, 0xFF, 0xFF, 0xFF, 0xFF, 0, 0, 0, 0, 0xFF, 0xFF, 0xFF, 0xFF};
  cr_assert_arr_eq(enc + 1, want, 16);
  for (size_t k = 0; k < N_IMPL; k++) {
    if (!cdx_block_codec_force(impl_names[k])) continue;
    cr_assert_eq(cdx_block_decode_u32(enc, 17, CDX_BLOCK_LEN, got), 17);
    cr_assert_arr_eq(got, v, sizeof v);
  }
  /* patched: all 0 but values 5 and 127, which are 1000 (10 bits; plain would be 161 bytes):
     * low width 0, 2 exceptions of 10 bits at positions 5 and 127, high parts 1000 | 1000<<10 =
     * 0x0FA3E8 packed little-endian */
  memset(v, 0, sizeof v);
  v[5] = 1000, v[127] = 1000;
  cr_assert_eq(cdx_block_encode_u32(v, CDX_BLOCK_LEN, enc), 8);
  uint8_t want_patched[8] = {0x80, 2, 10, 5, 127, 0xE8, 0xA3, 0x0F};
  cr_assert_arr_eq(enc, want_patched, 8);
  for (size_t k = 0; k < N_IMPL; k++) {
    if (!cdx_block_codec_force(impl_names[k])) continue;
    cr_assert_eq(cdx_block_decode_u32(enc, 8, CDX_BLOCK_LEN, got), 8);
    cr_assert_arr_eq(got, v, sizeof v);
  }
}

/* Small values with a few outliers (gaps of clustered posting lists): the encoder patches, and
 * every implementation decodes the patched block, ids and plain values, for every split. */
Test(codec, patched_blocks_round_trip) {
  uint32_t vals[CDX_BLOCK_LEN], ids[CDX_BLOCK_LEN], got[CDX_BLOCK_LEN];
  uint8_t enc[CDX_BLOCK_MAX_BYTES];
  size_t patched = 0;
  rng_state = 99;
  for (unsigned low = 0; low <= 31; low++) {
    for (unsigned b = low + 1; b <= 32; b++) {
      for (unsigned outliers = 1; outliers <= 9; outliers += 4) {
        random_values(vals, CDX_BLOCK_LEN, low);
        for (unsigned o = 0; o < outliers; o++)
          vals[rnd() % CDX_BLOCK_LEN] =
              (uint32_t)((1ull << (b - 1)) | (rnd() & ((1ull << (b - 1)) - 1)));
        size_t len = cdx_block_encode_u32(vals, CDX_BLOCK_LEN, enc);
        check_header(enc, len, b, CDX_BLOCK_LEN);
        patched += (enc[0] & 0x80) != 0;
        uint8_t *copy = exact_copy(enc, len);
        for (size_t k = 0; k < N_IMPL; k++) {
          if (!cdx_block_codec_force(impl_names[k])) continue;
          memset(got, 0xAB, sizeof got);
          cr_assert_eq(cdx_block_decode_u32(copy, len, CDX_BLOCK_LEN, got), len);
          cr_assert_arr_eq(got, vals, sizeof vals, "%s low=%u b=%u", impl_names[k], low, b);
        }
        free(copy);
        /* the same values as gaps: ids from 0, when they fit in 32 bits */
        uint64_t id = 0;
        bool fits = true;
        for (size_t i = 0; i < CDX_BLOCK_LEN; i++) {
          id += vals[i] + (i > 0);
          fits = fits && id <= UINT32_MAX;
          ids[i] = (uint32_t)id;
        }
        if (!fits) continue;
        len = cdx_block_encode_ids(ids, CDX_BLOCK_LEN, 0, enc);
        copy = exact_copy(enc, len);
        for (size_t k = 0; k < N_IMPL; k++) {
          if (!cdx_block_codec_force(impl_names[k])) continue;
          cr_assert_eq(cdx_block_decode_ids(copy, len, CDX_BLOCK_LEN, 0, got), len);
          cr_assert_arr_eq(got, ids, sizeof ids, "%s low=%u b=%u", impl_names[k], low, b);
          /* from a base high enough to pass UINT32_MAX: refused */
          cr_assert_eq(
              cdx_block_decode_ids(copy, len, CDX_BLOCK_LEN, UINT32_MAX - ids[127] + 1, got), 0);
        }
        free(copy);
      }
    }
  }
  cr_assert_gt(patched, 1000, "only %zu blocks were patched", patched);
}

Test(codec, malformed_patched_blocks) {
  uint32_t v[CDX_BLOCK_LEN] = {0}, got[CDX_BLOCK_LEN];
  uint8_t enc[CDX_BLOCK_MAX_BYTES], bad[CDX_BLOCK_MAX_BYTES];
  v[3] = 1000, v[70] = 2000;
  size_t len = cdx_block_encode_u32(v, CDX_BLOCK_LEN, enc);
  cr_assert(enc[0] & 0x80);
  for (size_t k = 0; k < N_IMPL; k++) {
    if (!cdx_block_codec_force(impl_names[k])) continue;
    /* patched blocks exist only for n == 128 */
    cr_assert_eq(cdx_block_decode_u32(enc, len, 127, got), 0);
    for (unsigned h = 0x80 | 32; h <= 0xFF; h++) { /* low width above 31 */
      memcpy(bad, enc, len);
      bad[0] = (uint8_t)h;
      cr_assert_eq(cdx_block_decode_u32(bad, sizeof bad, CDX_BLOCK_LEN, got), 0);
    }
    memcpy(bad, enc, len);
    bad[1] = 0; /* no exceptions */
    cr_assert_eq(cdx_block_decode_u32(bad, len, CDX_BLOCK_LEN, got), 0);
    bad[1] = 129; /* more exceptions than values */
    cr_assert_eq(cdx_block_decode_u32(bad, sizeof bad, CDX_BLOCK_LEN, got), 0);
    memcpy(bad, enc, len);
    bad[2] = 0; /* high width 0 */
    cr_assert_eq(cdx_block_decode_u32(bad, len, CDX_BLOCK_LEN, got), 0);
    bad[2] = (uint8_t)(33 - (enc[0] & 0x7F)); /* low + high > 32 */
    cr_assert_eq(cdx_block_decode_u32(bad, sizeof bad, CDX_BLOCK_LEN, got), 0);
    memcpy(bad, enc, len);
    size_t pos = 3 + 16 * (size_t)(enc[0] & 0x7F);
    bad[pos + 1] = bad[pos]; /* positions not increasing */
    cr_assert_eq(cdx_block_decode_u32(bad, len, CDX_BLOCK_LEN, got), 0);
    cr_assert_eq(cdx_block_decode_ids(bad, len, CDX_BLOCK_LEN, 0, got), 0);
    bad[pos + 1] = 200; /* position outside the block */
    cr_assert_eq(cdx_block_decode_u32(bad, len, CDX_BLOCK_LEN, got), 0);
    for (size_t avail = 0; avail < len; avail++) {
      uint8_t *copy = exact_copy(enc, avail);
      cr_assert_eq(cdx_block_decode_u32(copy, avail, CDX_BLOCK_LEN, got), 0);
      cr_assert_eq(cdx_block_decode_ids(copy, avail, CDX_BLOCK_LEN, 0, got), 0);
      free(copy);
    }
    cr_assert_eq(cdx_block_decode_u32(enc, len, CDX_BLOCK_LEN, got), len);
    cr_assert_arr_eq(got, v, sizeof v);
  }
}

Test(codec, ids_at_top_of_range_and_overflow) {
  const char *names[N_IMPL];
  size_t nimpl = supported_impls(names);
  uint32_t ids[CDX_BLOCK_LEN], got[CDX_BLOCK_LEN];
  uint8_t enc[CDX_BLOCK_MAX_BYTES];
  for (size_t n = 1; n <= CDX_BLOCK_LEN; n++) {
    /* the last n ids of the id space, dense: width 0 */
    for (size_t i = 0; i < n; i++) ids[i] = UINT32_MAX - (uint32_t)(n - 1 - i);
    uint32_t base = ids[0];
    size_t len = cdx_block_encode_ids(ids, n, base, enc);
    cr_assert_eq(len, 1);
    for (size_t k = 0; k < nimpl; k++) {
      cr_assert(cdx_block_codec_force(names[k]));
      cr_assert_eq(cdx_block_decode_ids(enc, len, n, base, got), 1, "%s n=%zu", names[k], n);
      cr_assert_arr_eq(got, ids, n * sizeof *ids);
      /* one more and the last id passes UINT32_MAX (for n == 1, base + 1 would wrap) */
      if (n > 1)
        cr_assert_eq(cdx_block_decode_ids(enc, len, n, base + 1, got), 0, "%s n=%zu", names[k], n);
    }
    /* from 0 to UINT32_MAX in n steps: the widest gaps */
    ids[0] = 0;
    for (size_t i = 1; i < n; i++)
      ids[i] = (uint32_t)((uint64_t)UINT32_MAX * i / (n - 1 ? n - 1 : 1));
    if (n == 1) ids[0] = UINT32_MAX;
    len = cdx_block_encode_ids(ids, n, 0, enc);
    cr_assert_gt(len, 0);
    uint8_t *copy = exact_copy(enc, len);
    for (size_t k = 0; k < nimpl; k++) {
      cr_assert(cdx_block_codec_force(names[k]));
      cr_assert_eq(cdx_block_decode_ids(copy, len, n, 0, got), len, "%s n=%zu", names[k], n);
      cr_assert_arr_eq(got, ids, n * sizeof *ids);
      cr_assert_eq(cdx_block_decode_ids(copy, len, n, 1, got), 0, "%s n=%zu", names[k], n);
    }
    free(copy);
  }
}

/* Every gap of a full block UINT32_MAX: a corrupt block whose ids wrap around many times modulo
 * 2^32 and could land back below UINT32_MAX; the decoder must still refuse it. */
Test(codec, wrapping_block_is_refused) {
  uint32_t vals[CDX_BLOCK_LEN], got[CDX_BLOCK_LEN];
  uint8_t enc[CDX_BLOCK_MAX_BYTES];
  for (size_t i = 0; i < CDX_BLOCK_LEN; i++) vals[i] = UINT32_MAX;
  size_t len = cdx_block_encode_u32(vals, CDX_BLOCK_LEN, enc);
  for (size_t k = 0; k < N_IMPL; k++) {
    if (!cdx_block_codec_force(impl_names[k])) continue;
    cr_assert_eq(cdx_block_decode_ids(enc, len, CDX_BLOCK_LEN, 0, got), 0, "%s", impl_names[k]);
    cr_assert_eq(cdx_block_decode_ids(enc, 1 + 16 * 4, 4, 0, got), 0, "%s", impl_names[k]);
  }
}

Test(codec, malformed_and_truncated) {
  uint32_t vals[CDX_BLOCK_LEN], got[CDX_BLOCK_LEN];
  uint8_t enc[CDX_BLOCK_MAX_BYTES];
  rng_state = 42;
  for (size_t k = 0; k < N_IMPL; k++) {
    if (!cdx_block_codec_force(impl_names[k])) continue;
    /* widths 33..127 (128 and up are patched-block headers, tested on their own) */
    for (unsigned h = 33; h <= 127; h++) {
      uint8_t buf[CDX_BLOCK_MAX_BYTES] = {0};
      buf[0] = (uint8_t)h;
      cr_assert_eq(cdx_block_decode_u32(buf, sizeof buf, CDX_BLOCK_LEN, got), 0);
      cr_assert_eq(cdx_block_decode_ids(buf, sizeof buf, 7, 0, got), 0);
      cr_assert_eq(cdx_block_size(buf, sizeof buf, 7), 0);
    }
    /* truncated: every avail below what the block needs, from an exactly sized buffer */
    for (unsigned b = 0; b <= 32; b += (b < 4 ? 1 : 5)) {
      size_t lens[] = {1, 2, 31, 127, CDX_BLOCK_LEN};
      for (size_t li = 0; li < sizeof lens / sizeof lens[0]; li++) {
        size_t n = lens[li];
        random_values(vals, n, b);
        size_t len = cdx_block_encode_u32(vals, n, enc);
        for (size_t avail = 0; avail < len; avail++) {
          uint8_t *copy = exact_copy(enc, avail);
          cr_assert_eq(cdx_block_decode_u32(copy, avail, n, got), 0, "%s b=%u n=%zu avail=%zu",
                       impl_names[k], b, n, avail);
          cr_assert_eq(cdx_block_decode_ids(copy, avail, n, 0, got), 0);
          cr_assert_eq(cdx_block_size(copy, avail, n), 0);
          free(copy);
        }
      }
    }
    /* n out of range */
    vals[0] = 1;
    size_t len = cdx_block_encode_u32(vals, 1, enc);
    cr_assert_eq(cdx_block_decode_u32(enc, len, 0, got), 0);
    cr_assert_eq(cdx_block_decode_u32(enc, len, CDX_BLOCK_LEN + 1, got), 0);
    cr_assert_eq(cdx_block_decode_ids(enc, len, 0, 0, got), 0);
  }
}

/* Every possible header and a random payload: decoding may fail but must never read past avail
 * (ASan) or return more than avail. */
Test(codec, random_bytes_never_overread) {
  uint32_t got[CDX_BLOCK_LEN];
  rng_state = 7;
  for (size_t k = 0; k < N_IMPL; k++) {
    if (!cdx_block_codec_force(impl_names[k])) continue;
    for (unsigned iter = 0; iter < 3000; iter++) {
      size_t avail = rnd() % (CDX_BLOCK_MAX_BYTES + 8), n = 1 + rnd() % CDX_BLOCK_LEN;
      if (rnd() % 2) n = CDX_BLOCK_LEN;
      uint8_t *p = malloc(avail ? avail : 1);
      cr_assert_not_null(p);
      for (size_t i = 0; i < avail; i++) p[i] = (uint8_t)rnd();
      if (avail) p[0] = (uint8_t)(rnd() % 40);
      size_t r1 = cdx_block_decode_u32(p, avail, n, got);
      size_t r2 = cdx_block_decode_ids(p, avail, n, rnd(), got);
      cr_assert_leq(r1, avail);
      cr_assert_leq(r2, avail);
      free(p);
    }
  }
}

Test(codec, encoder_rejects_bad_input) {
  uint32_t ids[4] = {5, 6, 6, 9};
  uint8_t enc[CDX_BLOCK_MAX_BYTES];
  cr_assert_eq(cdx_block_encode_ids(ids, 4, 0, enc), 0, "not strictly increasing");
  cr_assert_eq(cdx_block_encode_ids(ids, 2, 6, enc), 0, "first id below base");
  cr_assert_eq(cdx_block_encode_ids(ids, 0, 0, enc), 0);
  cr_assert_eq(cdx_block_encode_u32(ids, 0, enc), 0);
  cr_assert_eq(cdx_block_encode_u32(ids, CDX_BLOCK_LEN + 1, enc), 0);
  cr_assert_eq(cdx_block_encode_ids(ids, 2, 5, enc), 1, "5,6 from base 5: gaps 0,0 need no bits");
}

/* The encoder's packing on this build (SSE2 on x86-64) writes the bytes of the portable scalar
 * packing, at every width, so an index is the same file whatever machine built it. */
Test(codec, vertical_packing_matches_scalar) {
  rng_state = 0xC0DEC0DEu;
  uint32_t v[CDX_BLOCK_LEN];
  uint8_t got[16 * 32 + 16], want[16 * 32 + 16];
  for (unsigned b = 0; b <= 32; b++) {
    for (int round = 0; round < 50; round++) {
      random_values(v, CDX_BLOCK_LEN, b);
      if (round == 0 && b > 0) /* every value at the widest */
        for (size_t i = 0; i < CDX_BLOCK_LEN; i++)
          v[i] = b >= 32 ? UINT32_MAX : ((uint32_t)1 << b) - 1;
      memset(got, 0xA5, sizeof got);
      memset(want, 0xA5, sizeof want);
      cdx_block_pack_vertical(v, b, got);
      cdx_block_pack_vertical_scalar(v, b, want);
      cr_assert(memcmp(got, want, sizeof got) == 0, "b=%u round %d", b, round);
    }
  }
}
