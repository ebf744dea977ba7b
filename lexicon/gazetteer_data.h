/*
 * Interface to lexicon/gazetteer_data.c, the table that tools/gen_gazetteer.py
 * generates from the GB/T 2260 CSVs. Only lexicon/gazetteer.c reads it.
 */
#ifndef CDX_GAZETTEER_DATA_H
#define CDX_GAZETTEER_DATA_H

#include <stddef.h>
#include <stdint.h>
#include "lexicon/gazetteer.h"

/* Flags of a name key. */
#define CDX_GZ_KEY_FULL 0x1u /* the place's full official name */
#define CDX_GZ_KEY_WEAK \
  0x2u /* an ordinary word too (和平, 城区): supports
                                other mentions, never names a place alone */

typedef struct cdx_gz_key {
  uint32_t off;   /* of the key in cdx_gz_pool (NUL-terminated there) */
  uint8_t len;    /* key length in bytes */
  uint16_t place; /* index into cdx_gz_places */
  uint8_t flags;
} cdx_gz_key;

extern const size_t cdx_gz_n_places, cdx_gz_n_keys, cdx_gz_n_aliases;
extern const char cdx_gz_pool[];
extern const cdx_gz_place cdx_gz_places[]; /* sorted by code */
extern const cdx_gz_key cdx_gz_keys[];     /* sorted by key bytes */
extern const uint32_t cdx_gz_aliases[][2]; /* pseudo-prefecture -> province */
extern const uint64_t cdx_gz_first_bits[]; /* first characters of keys, U+4E00.. */

#endif
