/*
 * The jurisdiction gazetteer: GB/T 2260 administrative divisions (province ->
 * prefecture -> county level), compiled into the library from a table that
 * tools/gen_gazetteer.py generates from the CSVs in
 * ../shared/data/divisions/, so the program never needs ../shared at run time.
 *
 * Used by corpus/ (detecting a document's jurisdiction) and by query/
 * (jurisdiction: filters include every place under the named one).
 */
#ifndef CDX_GAZETTEER_H
#define CDX_GAZETTEER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "clausedex/document.h"

typedef struct cdx_gz_place {
  uint32_t code;    /* 6-digit code: 330000 province, 330300 prefecture, 330382 county */
  const char *name; /* full official name, UTF-8: "乐清市" */
  cdx_place_level level;
  uint32_t parent; /* code of the parent, 0 for a province */
} cdx_gz_place;

/* The place with this code (2-, 4- or 6-digit codes are accepted and
 * widened: 33 -> 330000, 3303 -> 330300), or NULL. */
const cdx_gz_place *cdx_gz_by_code(uint32_t code);

/* The parent of a place, or NULL for a province. */
const cdx_gz_place *cdx_gz_parent(const cdx_gz_place *p);

/* True when `code` is `ancestor` or lies under it. */
bool cdx_gz_within(uint32_t code, uint32_t ancestor);

/* All places whose full name equals name[0..len), or whose name without its
 * level suffix (市/县/区/省/自治州 …) equals it ("温州" -> 温州市). Up to max
 * matches are written to out, most prominent first (higher level first);
 * returns the total number of matches. */
size_t cdx_gz_lookup(const char *name, size_t len, const cdx_gz_place **out, size_t max);

/* The most specific place named in text, using the other places named there
 * to disambiguate (鹿城区 exists once, 朝阳区 many times: 温州市鹿城区 and a
 * nearby 温州 pick Wenzhou's). Earlier mentions win over later ones at the
 * same level; returns NULL when no place is named. *at receives the byte
 * offset of the chosen mention when at is not NULL. */
const cdx_gz_place *cdx_gz_find_in_text(const char *text, size_t len, size_t *at);

/* Number of places, and the i-th in code order (for iteration, the generator). */
size_t cdx_gz_count(void);
const cdx_gz_place *cdx_gz_at(size_t i);

#endif
