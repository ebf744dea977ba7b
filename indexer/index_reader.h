/* index_reader.h - the read interface of an open index, for query/.
 *
 * Interface to code in indexer/index_open.c (snapshot, statistics, columns,
 * latest-version flags), indexer/segment_read.c (one mmapped segment file:
 * dictionary, postings, stored fields) and indexer/postings.c (iterators).
 *
 * An open index (cdx_index, include/clausedex/index.h) is a snapshot of one
 * commit: the segments the manifest named when cdx_index_open ran, with their
 * deletions as of that commit. Nothing in it changes after open, so every
 * function here may be called from any number of threads at once on the same
 * cdx_index. Per-thread state (iterators, stored-field caches) lives in the
 * objects the caller creates below; those belong to one thread each.
 *
 * Units are addressed as (segment, local unit id): seg < cdx_ix_segment_count,
 * unit < cdx_ix_segment_units(seg). Within a segment, the units of a document
 * are contiguous and in document order, and documents are in the order they
 * were added (so "doc order" for tie-breaks is (segment, doc)).
 *
 * Corruption found while decoding (a block that does not decode, an offset
 * out of range) returns CDX_CORRUPT with a message naming the segment file.
 * Everything that is fixed width (columns, deletion bitmaps, skip entries) is
 * validated at open, so the accessors for it cannot fail and return values
 * directly.
 */
#ifndef CDX_INDEX_READER_H
#define CDX_INDEX_READER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "clausedex/index.h"

/* ---- Terms --------------------------------------------------------------
 * Body terms are the analyzer's terms exactly as emitted, built with
 * CDX_ANALYZE_RUN_TAILS: bigrams, plus the unigram of the last character of
 * every CJK run (and of one-character runs). Every CJK character is thus the
 * first character of exactly one term at its position, and the occurrences
 * of a single character are the postings of the terms that start with it
 * (see cdx_ix_segment_char_by_prefix). Field terms that are not columns
 * carry a prefix byte that no UTF-8 text starts with: */
#define CDX_IX_FIELD_DEPT \
  0x01 /* 0x01 + an analyzer term of a responsible
                                    unit or of the lead department (dept:) */
#define CDX_IX_FIELD_DOCNUM \
  0x02 /* 0x02 + the whole normalised document
                                    number, one term per document (doc:) */
/* Segment version 6 on: 0x03/0x04/0x05 + a whole canonical department name
 * (facts/depts.h), one term per unit where it is listed / leads / leads the
 * chapter (dept:, lead:, chapter_lead:; exact, or a prefix range). */
#define CDX_IX_FIELD_DEPT_LISTED 0x03
#define CDX_IX_FIELD_DEPT_LEAD 0x04
#define CDX_IX_FIELD_DEPT_CHAPTER_LEAD 0x05

/* The term for a document number: 0x02 followed by the number folded as the
 * analyzer folds text (cdx_fold_text) with all white space removed. Query
 * code must build doc: terms with this function so they meet the indexed
 * ones. *out is owned by the caller (free()). Errors: CDX_ENCODING, CDX_NOMEM,
 * CDX_ICU, CDX_INVALID (empty after normalisation). */
int cdx_ix_doc_number_term(const char *number, size_t len, char **out, size_t *out_len,
                           cdx_error *err);

/* How a single CJK character c (its UTF-8 bytes, after an optional field
 * byte) is found in segment seg. True (segment format 3 and later): its
 * occurrences are the union of the postings of every term that starts with
 * c's bytes (cdx_ix_postings_open_prefix), and no position is in two of
 * them. False (formats 1-2, which indexed a unigram for every character):
 * the unigram's postings alone. */
bool cdx_ix_segment_char_by_prefix(const cdx_index *ix, size_t seg);

/* Document frequency of a single CJK character (term = field byte if any +
 * the character), summed over segments as cdx_ix_term_df does. In segments
 * where the character is a union of terms the sum of their dfs (capped at
 * the segment's units) is used: an upper bound, exact when no unit holds
 * two of the terms, which is good enough for an idf. Errors: CDX_CORRUPT. */
int cdx_ix_char_df(const cdx_index *ix, const char *term, size_t len, uint64_t *df, cdx_error *err);

/* ---- Segments and deletions --------------------------------------------- */

size_t cdx_ix_segment_count(const cdx_index *ix);
uint32_t cdx_ix_segment_units(const cdx_index *ix, size_t seg);
/* The shortest unit's BM25 length in the segment (deleted units included):
 * with a block's largest tf, an upper bound of any BM25 score in it. */
uint32_t cdx_ix_segment_min_unit_length(const cdx_index *ix, size_t seg);
uint32_t cdx_ix_segment_docs(const cdx_index *ix, size_t seg);
/* File name of the segment, for messages; borrowed until cdx_index_close. */
const char *cdx_ix_segment_name(const cdx_index *ix, size_t seg);

/* True when the unit (or its whole document) was deleted or replaced as of
 * the snapshot. A document is deleted with all its units. */
bool cdx_ix_unit_deleted(const cdx_index *ix, size_t seg, uint32_t unit);
bool cdx_ix_doc_deleted(const cdx_index *ix, size_t seg, uint32_t doc);
/* False when no document of the segment is deleted in this snapshot, so a
 * query need not test every candidate. */
bool cdx_ix_segment_has_deletions(const cdx_index *ix, size_t seg);

/* ---- Index-wide statistics for BM25 -------------------------------------- */

uint64_t cdx_ix_live_units(const cdx_index *ix);
uint64_t cdx_ix_live_docs(const cdx_index *ix);
/* Mean cdx_ix_unit_length over live units (0 when there are none). */
double cdx_ix_avg_unit_length(const cdx_index *ix);
/* Number of units containing the term, summed over all segments. Like
 * Lucene, units deleted after their segment was written still count until a
 * merge drops them (the error this adds to BM25 idf is small). */
int cdx_ix_term_df(const cdx_index *ix, const char *term, size_t term_len, uint64_t *df,
                   cdx_error *err);

/* ---- Per-unit columns ------------------------------------------------------
 * Fixed-width, read without touching the stored text, so filters run before
 * scoring. */
typedef struct cdx_ix_unit_meta {
  uint32_t doc;               /* document index within the segment */
  uint32_t jurisdiction_code; /* GB/T 2260, 0 when unknown */
  cdx_doc_status status;
  cdx_status_class status_class;
  int edition;        /* year, 0 when unknown */
  uint32_t date;      /* YYYYMMDD, 0 when unknown */
  uint32_t family_id; /* index-wide id of the policy family (same id =
                                 versions of one policy, docs/CORPUS.md);
                                 assigned at open */
  cdx_unit_kind kind;
  int chapter;      /* 1-based, 0 before the first chapter */
  int ordinal;      /* 0-based order of the unit in its document */
  int number_value; /* clause number as an integer, 0 when none */
  uint32_t length;  /* tokens in the unit body (cdx_ix_unit_length) */
  bool latest;      /* the document is the latest live version of its
                                 family across ALL segments (newest edition,
                                 then status stage 征求意见稿 < 送审稿 < final,
                                 then date, then doc order) */
} cdx_ix_unit_meta;

/* The document (index within the segment) a unit belongs to. */
uint32_t cdx_ix_unit_doc(const cdx_index *ix, size_t seg, uint32_t unit);
/* A document's units are [*first, *first + *n) of its segment. */
void cdx_ix_doc_unit_range(const cdx_index *ix, size_t seg, uint32_t doc, uint32_t *first,
                           uint32_t *n);
/* Fills the document-level fields of *out (doc, jurisdiction_code, status,
 * status_class, edition, date, family_id, latest) for a valid (seg, doc);
 * the unit fields are left as they were. Cannot fail. */
void cdx_ix_doc_meta_get(const cdx_index *ix, size_t seg, uint32_t doc, cdx_ix_unit_meta *out);
/* Fills *out for a valid (seg, unit). Cannot fail. */
void cdx_ix_unit_meta_get(const cdx_index *ix, size_t seg, uint32_t unit, cdx_ix_unit_meta *out);

/* Token count of the unit body: the analyzer's body tokens without the extra
 * CJK unigrams (so a unit's length does not depend on the unigram option). */
uint32_t cdx_ix_unit_length(const cdx_index *ix, size_t seg, uint32_t unit);
/* The lengths of units[0..m) (valid ids of seg) into out[0..m): for a block
 * of matches, whose rows are scattered over the column (a cache miss each,
 * so they are fetched ahead). */
void cdx_ix_unit_lengths(const cdx_index *ix, size_t seg, const uint32_t *units, size_t m,
                         uint32_t *out);

/* ---- Per-unit departments and figures (segment version 6 on) -------------
 * Decoded one entry at a time by a cursor, without touching the stored
 * text. Strings point into the mapping (valid until cdx_index_close). A
 * segment of an older version has none (cdx_ix_segment_has_facts false):
 * its cursors are empty. */
bool cdx_ix_segment_has_facts(const cdx_index *ix, size_t seg);

typedef struct cdx_ix_cursor {
  const struct cdx_seg *seg;
  const uint8_t *p, *end;
  size_t left;
} cdx_ix_cursor;

typedef struct cdx_ix_dept {
  const char *canonical, *written;
  uint32_t id;    /* the canonical name's id in its segment */
  unsigned roles; /* CDX_ROLE_* (clausedex/search.h), or-ed */
} cdx_ix_dept;

typedef struct cdx_ix_figure {
  unsigned type, qual; /* cdx_figure_type, cdx_figure_qual (facts/figures.h) */
  double lo, hi;
  const char *unit, *kind; /* kind "" when none */
  uint32_t start, end;     /* byte span in the unit text (not checked
                                 against it: clamp before use) */
  bool has_span;           /* false: not stored (version 7), start = end =
                                 0; the extractor finds it in the text */
} cdx_ix_figure;

/* The segment's name table (the strings of its departments and figures):
 * cdx_ix_dept.id < cdx_ix_segment_strings(ix, seg). Borrowed until close. */
uint32_t cdx_ix_segment_strings(const cdx_index *ix, size_t seg);
const char *cdx_ix_segment_string(const cdx_index *ix, size_t seg, uint32_t id);

/* The unit's byte range in its source file: false when not stored (a
 * segment before the field, a unit read from JSON Lines). */
bool cdx_ix_unit_source(const cdx_index *ix, size_t seg, uint32_t unit, uint64_t *start,
                        uint64_t *end);

/* Opens a cursor over the unit's departments / figures. Errors: CDX_CORRUPT. */
int cdx_ix_unit_depts(const cdx_index *ix, size_t seg, uint32_t unit, cdx_ix_cursor *c,
                      cdx_error *err);
int cdx_ix_unit_figures(const cdx_index *ix, size_t seg, uint32_t unit, cdx_ix_cursor *c,
                        cdx_error *err);
/* The next entry: *got false at the end. Errors: CDX_CORRUPT. */
int cdx_ix_next_dept(cdx_ix_cursor *c, cdx_ix_dept *d, bool *got, cdx_error *err);
int cdx_ix_next_figure(cdx_ix_cursor *c, cdx_ix_figure *f, bool *got, cdx_error *err);

/* The dense department column of a segment (version 7; docs/FORMAT.md,
 * "Version 7: the dense department column"): every unit's canonical
 * departments and roles, counted for a set of units without decoding their
 * records. cdx_ix_dept_column returns false when the segment has none (an
 * older version, or a unit too long for it): use cdx_ix_unit_depts then. */
typedef struct cdx_ix_dept_column {
  const struct cdx_seg *seg;
  uint32_t n_names; /* entries of the column's name list */
} cdx_ix_dept_column;
bool cdx_ix_dept_column_open(const cdx_index *ix, size_t seg, cdx_ix_dept_column *c);
/* Column name i (< n_names) as an id into the segment's name table
 * (cdx_ix_segment_string). */
uint32_t cdx_ix_dept_column_name(const cdx_ix_dept_column *c, uint32_t i);
/* Over the units whose bit is set in `units` (bit u of word u / 64; as
 * many words as the segment has units / 64, rounded up): for column name i,
 * counts[i] and counts[n_names + i] (2 x n_names, zeroed by the caller) get
 * the units listing it (CDX_ROLE_LISTED) in their low 32 bits and those it
 * leads (CDX_ROLE_LEAD) in their high 32 bits; sum the two halves. Decoded
 * a block of 64 units at a time. Errors: CDX_CORRUPT, CDX_NOMEM (scratch of
 * a few KB). */
int cdx_ix_dept_column_count(const cdx_ix_dept_column *c, const uint64_t *units, uint64_t *counts,
                             cdx_error *err);

/* The facet ordinal columns of a segment (version 8; docs/FORMAT.md,
 * "Version 8: facet ordinal columns"): each unit's department set and its
 * document's (jurisdiction, year, edition, status) as ordinals into tables
 * of the segment's distinct values. n_sets is 0 when the segment has no
 * set column (use cdx_ix_dept_column then), n_combos 0 when it has no
 * document column; open returns false when it has neither (older
 * versions). */
typedef struct cdx_ix_facet_column {
  const struct cdx_seg *seg;
  uint32_t n_sets, n_combos;
  uint32_t n_names; /* the dense department column's names (DEPTNAMES) */
} cdx_ix_facet_column;
typedef struct cdx_ix_facet_values {
  uint32_t jurisdiction_code; /* 0 unknown */
  uint32_t year;              /* of the date, 0 unknown */
  uint32_t edition;           /* 0 unknown */
  uint32_t status;            /* cdx_doc_status */
} cdx_ix_facet_values;
bool cdx_ix_facet_column_open(const cdx_index *ix, size_t seg, cdx_ix_facet_column *c);
/* Combination k (< n_combos). */
void cdx_ix_facet_combo(const cdx_ix_facet_column *c, uint32_t k, cdx_ix_facet_values *v);
/* Over the units whose bit is set in `units` (as cdx_ix_dept_column_count
 * takes them): dept_counts (n_names entries, zeroed by the caller; NULL:
 * not wanted; needs n_sets) gets per DEPTNAMES index (cdx_ix_dept_column_name)
 * the units listing it in its low 32 bits and those it leads in its high
 * 32; combo_counts (n_combos, zeroed; NULL: not wanted) the units per
 * combination. Errors: CDX_CORRUPT (an ordinal or a set out of range),
 * CDX_NOMEM. */
int cdx_ix_facet_column_count(const cdx_ix_facet_column *c, const uint64_t *units,
                              uint64_t *dept_counts, uint64_t *combo_counts, cdx_error *err);

/* ---- Postings ---------------------------------------------------------------
 * One term in one segment. Unit ids ascend. An iterator is positioned on its
 * first unit as soon as it is opened (or at CDX_IX_END when the term does not
 * occur in the segment); move it with next/seek. */
#define CDX_IX_END UINT32_MAX

typedef struct cdx_ix_postings cdx_ix_postings;

/* Opens the postings of term[0..term_len) in segment seg. A term absent from
 * the segment gives a valid iterator with df 0, already at CDX_IX_END.
 * *out is owned by the caller (cdx_ix_postings_free); it borrows ix, which
 * must stay open. Errors: CDX_CORRUPT (naming the file), CDX_NOMEM. */
int cdx_ix_postings_open(const cdx_index *ix, size_t seg, const char *term, size_t term_len,
                         cdx_ix_postings **out, cdx_error *err);
void cdx_ix_postings_free(cdx_ix_postings *it); /* accepts NULL */

/* Opens the postings of every term of segment seg that starts with
 * prefix[0..len), in dictionary order: *n iterators in *out (none when no
 * term matches). The array and each iterator are owned by the caller
 * (cdx_ix_postings_free each, then free() the array). Errors as
 * cdx_ix_postings_open; on error nothing is returned. */
int cdx_ix_postings_open_prefix(const cdx_index *ix, size_t seg, const char *prefix, size_t len,
                                cdx_ix_postings ***out, size_t *n, cdx_error *err);

/* Calls fn for every term of segment seg that starts with prefix[0..len),
 * in dictionary order, with the term's bytes after the prefix and its
 * postings opened (owned by the walk: freed when fn returns). A non-zero
 * return of fn stops the walk and is returned. Errors as open. */
typedef int (*cdx_ix_term_fn)(void *ctx, const char *rest, size_t rest_len, cdx_ix_postings *it,
                              cdx_error *err);
int cdx_ix_each_prefixed(const cdx_index *ix, size_t seg, const char *prefix, size_t len,
                         cdx_ix_term_fn fn, void *ctx, cdx_error *err);

/* Number of units of the segment containing the term (the cost estimate). */
uint32_t cdx_ix_postings_df(const cdx_ix_postings *it);

/* Current unit id, or CDX_IX_END. */
uint32_t cdx_ix_postings_unit(const cdx_ix_postings *it);

/* Term frequency in the current unit (undefined at CDX_IX_END). */
uint32_t cdx_ix_postings_tf(const cdx_ix_postings *it);

/* Moves to the next unit. Errors: CDX_CORRUPT; the iterator is then at END. */
int cdx_ix_postings_next(cdx_ix_postings *it, cdx_error *err);

/* Sets bit u of `bits` (word u / 64; as many words as the segment has
 * units / 64, rounded up) for every unit from the current one to the end,
 * and their number into *n, a block at a time without a call per unit
 * (facets, query/facets.c); the iterator is left where it was. Errors:
 * CDX_CORRUPT; the iterator is then at END and some bits may be set. */
int cdx_ix_postings_mark(cdx_ix_postings *it, uint64_t *bits, uint64_t *n, cdx_error *err);

/* Moves to the first unit >= target (never backwards: a target at or before
 * the current unit leaves the iterator where it is). Whole blocks whose last
 * id is below target are skipped through the skip entries without decoding.
 * Errors: CDX_CORRUPT. */
int cdx_ix_postings_seek(cdx_ix_postings *it, uint32_t target, cdx_error *err);

/* Block-max data of the block holding the current unit: its last unit id and
 * the largest tf in it. At END both are CDX_IX_END / 0. */
uint32_t cdx_ix_postings_block_last(const cdx_ix_postings *it);
uint32_t cdx_ix_postings_block_max_tf(const cdx_ix_postings *it);

/* Shallow look-ahead without moving or decoding anything: the block that
 * would hold the first unit >= target (from the skip entries). Returns false
 * when no block has units >= target. *first is a lower bound for the block's
 * first id (the previous block's last id + 1). *bound_len is a length such
 * that BM25 at (*max_tf, *bound_len) is at least the term's BM25 on every
 * unit of the block, whatever the average length (segment version 7 stores
 * it per block; older ones, and single-block lists, give the segment's
 * shortest unit length, a looser bound). */
bool cdx_ix_postings_peek_block(const cdx_ix_postings *it, uint32_t target, uint32_t *first,
                                uint32_t *last, uint32_t *max_tf, uint32_t *bound_len);

/* The number of units in all n (>= 1) lists at or after their current
 * units, into *count, by intersecting whole blocks (SIMD where the CPU has
 * it, indexer/intersect.h): the rarest list's blocks lead, and a block of
 * another list whose id range (from the skip table) holds no candidate is
 * not decoded. Leaves every iterator at CDX_IX_END. Errors: CDX_CORRUPT,
 * CDX_NOMEM. */
int cdx_ix_postings_count_and(cdx_ix_postings **its, size_t n, uint64_t *count, cdx_error *err);

/* The units in all n (1 <= n <= CDX_IX_AND_MAX) lists at or after their
 * current units, ascending, with each list's tf there: fn gets them a lead
 * block at a time, units[0..m) and tfs[i][0..m) for its[i] (borrowed for the
 * call). The rarest list leads and the others' blocks are decoded only where
 * their id range holds a candidate, as in cdx_ix_postings_count_and. A
 * non-zero return of fn stops the walk and is returned. Leaves every
 * iterator at CDX_IX_END. Errors: CDX_CORRUPT, those of fn. */
#define CDX_IX_AND_MAX 16
#define CDX_IX_AND_BLOCK 128 /* m <= this: one posting block */
typedef int (*cdx_ix_and_fn)(void *ctx, const uint32_t *units, uint32_t m,
                             const uint32_t *const *tfs, cdx_error *err);
int cdx_ix_postings_each_and(cdx_ix_postings **its, size_t n, cdx_ix_and_fn fn, void *ctx,
                             cdx_error *err);

/* Positions of the term in the current unit, ascending, decoded on demand
 * (the positions region is not touched unless this is called, and then only
 * the one or two 128-value codec blocks that hold the unit's gaps). *pos is
 * owned by the iterator and valid until it moves or is freed; *n equals
 * cdx_ix_postings_tf. Errors: CDX_CORRUPT, CDX_NOMEM, CDX_INVALID at END. */
int cdx_ix_postings_positions(cdx_ix_postings *it, const uint32_t **pos, size_t *n, cdx_error *err);

/* Builds the document tables once (family ids and the latest flags of
 * cdx_ix_unit_meta, the list of live documents, the lookup by id): the open
 * does not read document records. cdx_ix_find_doc and cdx_index_doc_get
 * build them on demand; cdx_ix_unit_meta's family_id and latest are 0 and
 * false until this has succeeded, so a caller that reads them (--latest)
 * calls it first. Thread-safe; later calls return the first call's result.
 * Errors: CDX_NOMEM, CDX_CORRUPT (a document record, or an id live twice). */
int cdx_ix_doc_tables(const cdx_index *ix, cdx_error *err);

/* ---- Stored fields ----------------------------------------------------------
 * Document fields are stored uncompressed and returned as pointers into the
 * mapping (valid until cdx_index_close). Unit fields are zlib-compressed in
 * small blocks; a cdx_ix_store inflates a block only up to the unit asked
 * for and continues from there for a later unit of the same block. */
typedef struct cdx_ix_doc_fields {
  const char *id;           /* source path (absolute) or JSON Lines id */
  const char *title;        /* never NULL (may be "") */
  const char *jurisdiction; /* place name or NULL */
  uint32_t jurisdiction_code;
  cdx_doc_status status;
  cdx_status_class status_class;
  int edition;
  uint32_t date;
  const char *doc_number; /* or NULL */
  const char *issuer;     /* or NULL */
  const char *policy_key; /* or NULL */
  const char *family;     /* family set explicitly, or NULL (derived) */
  const char *cites;      /* cited bases, families/families.h form, or NULL */
  uint32_t first_unit;    /* the document's units: [first_unit, */
  uint32_t n_units;       /*   first_unit + n_units) of the segment */
  uint64_t source_bytes;  /* size of the indexed input */
} cdx_ix_doc_fields;

/* Errors: CDX_CORRUPT (naming the file), CDX_INVALID (doc out of range). */
int cdx_ix_doc_fields_get(const cdx_index *ix, size_t seg, uint32_t doc, cdx_ix_doc_fields *out,
                          cdx_error *err);

typedef struct cdx_ix_unit_fields {
  const char *text; /* unit text, NUL-terminated; len below */
  size_t text_len;
  const char *number;  /* clause number as written, or NULL */
  const char *heading; /* or NULL */
  size_t n_responsible;
  const char *const *responsible;
  const char *lead_department; /* or NULL */
  uint64_t offset;             /* byte offset of the unit in the document text */
} cdx_ix_unit_fields;

typedef struct cdx_ix_store cdx_ix_store;

/* *out is owned by the caller (cdx_ix_store_free); borrows ix. One thread. */
int cdx_ix_store_new(const cdx_index *ix, cdx_ix_store **out, cdx_error *err);
void cdx_ix_store_free(cdx_ix_store *st); /* accepts NULL */

/* Fills *out; its pointers are owned by st and valid until the next call on
 * st. Errors: CDX_CORRUPT (naming the file), CDX_NOMEM, CDX_INVALID. */
int cdx_ix_store_unit(cdx_ix_store *st, size_t seg, uint32_t unit, cdx_ix_unit_fields *out,
                      cdx_error *err);

/* Finds a live document by its exact id; false when there is none. */
bool cdx_ix_find_doc(const cdx_index *ix, const char *id, size_t *seg, uint32_t *doc);

#endif
