/* columns.h - the one description of a segment's fixed-width columns: UCOLS
 * (one row per unit) and DCOLS (one row per document), and of the strings of
 * a DOCS record.
 *
 * The segment writer encodes rows from these lists, the reader decodes them,
 * the open-time validation (which `check` runs) takes its ranges from them,
 * and tests/indexer/test_columns.c holds docs/FORMAT.md's tables to them. So
 * adding a column is one X(...) entry here plus the line that fills it in
 * cdx_ucol_from_unit / cdx_dcol_from_doc (indexer/fields.c) and the line that
 * reads it out (cdx_ucol_to_meta / cdx_dcol_to_meta / cdx_dcol_to_fields).
 *
 *   X(name, disk type, max, description)
 *     disk type  u8, u16, u32, i32 or u64: little-endian, 1/2/4/4/8 bytes
 *     max        largest valid value, refused by the row pass when above it;
 *                0 = any value is valid (no column is valid only at 0)
 *     description as docs/FORMAT.md gives it
 *
 * Rows are packed in list order; a field's offset is derived (the layout
 * structs below), never written by hand.
 */
#ifndef CDX_IX_COLUMNS_H
#define CDX_IX_COLUMNS_H

#include <stddef.h>
#include <stdint.h>
#include "clausedex/document.h"
#include "common/common.h"

#define CDX_UCOL_LIST(X)                                                        \
  X(doc, u32, 0, "document index in the segment")                               \
  X(length, u32, 0, "body tokens without the extra CJK unigrams (BM25 length)") \
  X(ordinal, u32, 0, "0-based order of the unit in its document")               \
  X(number_value, i32, 0, "clause number as an integer, 0 when none")           \
  X(chapter, u16, 0, "1-based, 0 before the first chapter")                     \
  X(kind, u8, CDX_UNIT_CLOSING, "cdx_unit_kind")                                \
  X(reserved, u8, 0, "0")

#define CDX_DCOL_LIST(X)                                                                       \
  X(jurisdiction_code, u32, 0, "GB/T 2260, 0 when unknown")                                    \
  X(date, u32, 0, "YYYYMMDD, 0 when unknown")                                                  \
  X(first_unit, u32, 0, "the document's first unit (units are contiguous, in document order)") \
  X(n_units, u32, 0, "the document's number of units")                                         \
  X(edition, u16, 0, "year, 0 when unknown")                                                   \
  X(status, u8, CDX_STATUS_DRAFT_FOR_COMMENT, "cdx_doc_status")                                \
  X(status_class, u8, CDX_CLASS_DRAFT, "cdx_status_class")                                     \
  X(reserved, u32, 0, "0")                                                                     \
  X(source_bytes, u64, 0, "size of the indexed input")

/* The strings of a DOCS record after its content hash, in order. The
 * reader and writer structs (cdx_ix_doc_fields, cdx_ix_doc_in) and the
 * public cdx_index_doc each have a `const char *` member of every name. */
#define CDX_DOC_STRING_LIST(X) \
  X(id) X(title) X(jurisdiction) X(doc_number) X(issuer) X(policy_key) X(family) X(cites)
/* Segments before version 6 end their records after policy_key: the
 * strings from this one on read as NULL there. */
#define CDX_DOC_STRINGS_V5 6

/* The variable-length per-unit fields (segment version 6 on): lists of
 * departments and figures. Region UVARS holds one record per unit, at the
 * offset UVARIDX gives: each field of this list in order as varint byte
 * length + bytes. A record that ends early has the missing fields empty
 * (an older writer), and bytes after the last known field are skipped (a
 * newer one). Strings are ids into the segment's name table (NAMES,
 * NAMEIDX). Adding a field is one X(...) entry here plus its encoder and
 * its decoder in indexer/uvars.c (uvar_enc_NAME, uvar_check_NAME: the
 * open-time and `check` validation).
 *
 *   X(name, description as docs/FORMAT.md gives it)
 */
#define CDX_UVAR_LIST(X)                                                                 \
  X(depts, "departments: varint n, n x (varint canonical, varint as written, u8 roles)") \
  X(figures, "figures: varint n, n x figure")                                            \
  X(source, "source byte range: varint start, varint end - start (empty: unknown)")

#define CDX_UVAR_ENUM_(name, text) CDX_UVAR_##name,
enum cdx_uvar_field { CDX_UVAR_LIST(CDX_UVAR_ENUM_) CDX_UVAR_COUNT };
/* The list as data, for the test that compares it with docs/FORMAT.md. */
typedef struct cdx_uvar_desc {
  const char *name, *text;
} cdx_uvar_desc;
extern const cdx_uvar_desc cdx_uvar_descs[];

/* ---- derived: types, widths, offsets ---- */
#define CDX_COL_CTYPE_u8 uint8_t
#define CDX_COL_CTYPE_u16 uint16_t
#define CDX_COL_CTYPE_u32 uint32_t
#define CDX_COL_CTYPE_i32 int32_t
#define CDX_COL_CTYPE_u64 uint64_t
#define CDX_COL_WIDTH_u8 1
#define CDX_COL_WIDTH_u16 2
#define CDX_COL_WIDTH_u32 4
#define CDX_COL_WIDTH_i32 4
#define CDX_COL_WIDTH_u64 8

/* One decoded row. */
#define CDX_COL_MEMBER_(name, t, max, text) CDX_COL_CTYPE_##t name;
typedef struct cdx_ucol {
  CDX_UCOL_LIST(CDX_COL_MEMBER_)
} cdx_ucol;
typedef struct cdx_dcol {
  CDX_DCOL_LIST(CDX_COL_MEMBER_)
} cdx_dcol;

/* The byte layout of a row: char arrays have no padding, so offsetof gives
 * the packed offsets and sizeof the row width. */
#define CDX_COL_BYTES_(name, t, max, text) unsigned char name[CDX_COL_WIDTH_##t];
struct cdx_ucol_layout {
  CDX_UCOL_LIST(CDX_COL_BYTES_)
};
struct cdx_dcol_layout {
  CDX_DCOL_LIST(CDX_COL_BYTES_)
};
#define CDX_UCOL_BYTES sizeof(struct cdx_ucol_layout)
#define CDX_DCOL_BYTES sizeof(struct cdx_dcol_layout)
_Static_assert(sizeof(struct cdx_ucol_layout) == 20, "UCOLS rows are 20 bytes (docs/FORMAT.md)");
_Static_assert(sizeof(struct cdx_dcol_layout) == 32, "DCOLS rows are 32 bytes (docs/FORMAT.md)");

/* The description as data, for tests that compare it with docs/FORMAT.md. */
typedef struct cdx_col_desc {
  const char *name, *type, *text;
  size_t offset, width;
  uint64_t max;
} cdx_col_desc;
extern const cdx_col_desc cdx_ucol_desc[], cdx_dcol_desc[];
extern const size_t cdx_ucol_count, cdx_dcol_count;

/* ---- little-endian fields of width 1, 2, 4 or 8 (a constant, so the
 * switch folds away) ---- */
static inline uint64_t cdx_col_get(const uint8_t *p, size_t width) {
  switch (width) {
    case 1: return p[0];
    case 2: return (uint64_t)p[0] | (uint64_t)p[1] << 8;
    case 4: return cdx_get_u32le(p);
    default: return cdx_get_u64le(p);
  }
}
static inline void cdx_col_put(uint8_t *p, size_t width, uint64_t v) {
  for (size_t i = 0; i < width; i++) p[i] = (uint8_t)(v >> (8 * i));
}

/* One field of a row without decoding the rest (the per-candidate paths of a
 * search read one or two fields). */
#define CDX_UCOL_GET(row, name)                               \
  cdx_col_get((row) + offsetof(struct cdx_ucol_layout, name), \
              sizeof(((struct cdx_ucol_layout *)0)->name))
#define CDX_DCOL_GET(row, name)                               \
  cdx_col_get((row) + offsetof(struct cdx_dcol_layout, name), \
              sizeof(((struct cdx_dcol_layout *)0)->name))

#define CDX_COL_DECODE_(lay, name, t, max, text) \
  c->name = (CDX_COL_CTYPE_##t)cdx_col_get(row + offsetof(struct lay, name), CDX_COL_WIDTH_##t);
#define CDX_COL_ENCODE_(lay, name, t, max, text) \
  cdx_col_put(row + offsetof(struct lay, name), CDX_COL_WIDTH_##t, (uint64_t)c->name);
#define CDX_COL_RANGE_(name, t, max, text) ok &= !(max) || (uint64_t)c->name <= (uint64_t)(max);

#define CDX_UCOL_DECODE_(name, t, max, text) CDX_COL_DECODE_(cdx_ucol_layout, name, t, max, text)
#define CDX_UCOL_ENCODE_(name, t, max, text) CDX_COL_ENCODE_(cdx_ucol_layout, name, t, max, text)
#define CDX_DCOL_DECODE_(name, t, max, text) CDX_COL_DECODE_(cdx_dcol_layout, name, t, max, text)
#define CDX_DCOL_ENCODE_(name, t, max, text) CDX_COL_ENCODE_(cdx_dcol_layout, name, t, max, text)

static inline void cdx_ucol_decode(const uint8_t *row, cdx_ucol *c) {
  CDX_UCOL_LIST(CDX_UCOL_DECODE_)
}
static inline void cdx_ucol_encode(uint8_t *row, const cdx_ucol *c) {
  CDX_UCOL_LIST(CDX_UCOL_ENCODE_)
}
static inline void cdx_dcol_decode(const uint8_t *row, cdx_dcol *c) {
  CDX_DCOL_LIST(CDX_DCOL_DECODE_)
}
static inline void cdx_dcol_encode(uint8_t *row, const cdx_dcol *c) {
  CDX_DCOL_LIST(CDX_DCOL_ENCODE_)
}
/* Every field within its listed max (the ranges that do not depend on the
 * segment's counts). */
static inline bool cdx_ucol_in_range(const cdx_ucol *c) {
  bool ok = true;
  CDX_UCOL_LIST(CDX_COL_RANGE_)
  return ok;
}
static inline bool cdx_dcol_in_range(const cdx_dcol *c) {
  bool ok = true;
  CDX_DCOL_LIST(CDX_COL_RANGE_)
  return ok;
}

/* A row read from a segment opened without the row pass (version 7, no
 * CRC): false when a field is out of range, after setting it to 0, and a
 * reference past the segment's counts to its last valid value, so that
 * whatever is read next stays inside the mapping. */
#define CDX_COL_CLAMP_(name, t, max, text)            \
  if ((max) && (uint64_t)c->name > (uint64_t)(max)) { \
    c->name = 0;                                      \
    ok = false;                                       \
  }
static inline bool cdx_ucol_clamp(cdx_ucol *c, uint32_t n_docs) {
  bool ok = true;
  CDX_UCOL_LIST(CDX_COL_CLAMP_)
  if (c->doc >= n_docs) {
    c->doc = n_docs ? n_docs - 1 : 0;
    ok = false;
  }
  return ok;
}
static inline bool cdx_dcol_clamp(cdx_dcol *c, uint32_t n_units) {
  bool ok = true;
  CDX_DCOL_LIST(CDX_COL_CLAMP_)
  if (c->first_unit > n_units || c->n_units > n_units - c->first_unit) {
    c->first_unit = c->n_units = 0;
    ok = false;
  }
  return ok;
}

#endif
