/* ix_internal.h - shared by the indexer's files: on-disk constants, the
 * mapped segment, the segment builder and the manifest.
 *
 * Interface to code in indexer/names.c (file names, hashing), fields.c and
 * columns.h (the column description and the copies between struct shapes),
 * indexer/segment_write.c (cdx_segb_*),
 * indexer/segment_read.c (cdx_seg_*), indexer/manifest.c (cdx_man_*),
 * indexer/index_open.c (struct cdx_index). Byte layouts: docs/FORMAT.md.
 */
#ifndef CDX_IX_INTERNAL_H
#define CDX_IX_INTERNAL_H

#include <assert.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <zlib.h>
#include "clausedex/analyzer.h"
#include "clausedex/index.h"
#include "clausedex/search.h"
#include "common/common.h"
#include "indexer/columns.h"
#include "indexer/index_reader.h"

#define CDX_IX_FORMAT_VERSION \
  2u /* manifest (2: batch and timestamp; 1 still
                                     read); segments: CDX_SEG_VERSION */
#define CDX_SEG_VERSION \
  8u                              /* 2: STORE starts with a preset dictionary;
                                     3: CJK unigrams only where a run ends;
                                     4: stored unit text as UTF-16LE;
                                     5: raw deflate store blocks (also some
                                     4s: cdx_seg.store_raw);
                                     6: DOCS records add family and cites;
                                     per-unit departments and figures
                                     (UVARS, NAMES) and their field terms;
                                     7: skip entries add a block's score
                                     bound length (CDX_SKIP_BYTES); the
                                     dense department column (DEPTNAMES,
                                     DEPTLEN, DEPTBASE, DEPTCOL;
                                     indexer/dept_column.c); the trailer's
                                     totals (unit length sum and minimum),
                                     so an open reads no unit rows;
                                     8: facet ordinal columns (FSETIDX,
                                     FSETS, FSETORD: each unit's
                                     department set as an ordinal into a
                                     table of the distinct sets; FDOCVALS,
                                     FDOCORD: its document's jurisdiction,
                                     status, edition and year likewise;
                                     indexer/facet_column.c);
                                     1 to 7 still read */
#define CDX_SEG_MAGIC "CDXSEG1\n" /* 8 bytes, first and in the trailer */
#define CDX_MAN_MAGIC "CDXMAN1\n"
#define CDX_DEL_MAGIC "CDXDEL1\n"
#define CDX_IX_MAX_TERM 128         /* longer terms are not indexed */
#define CDX_DICT_BLOCK_TERMS 32     /* terms per prefix-compressed block */
#define CDX_STORE_BLOCK_BYTES 12288 /* raw bytes per compressed unit block */
#define CDX_STORE_DICT_BYTES 32768  /* preset dictionary: the segment's first records */
#define CDX_STORE_ZLIB_LEVEL 2
/* Skip entry width: version 7 appends u32 bound_len to the 16 bytes of
 * versions 1-6 (docs/FORMAT.md, "Version 7: block score bounds"). */
#define CDX_SKIP_BYTES_V6 16
#define CDX_SKIP_BYTES 20
static inline size_t cdx_seg_skip_bytes(uint32_t version) {
  return version >= 7 ? CDX_SKIP_BYTES : CDX_SKIP_BYTES_V6;
}
#define CDX_STORE_IDX_BYTES 20

enum cdx_region {
  CDX_R_DICT,
  CDX_R_DICTIDX,
  CDX_R_POST,
  CDX_R_POS,
  CDX_R_UCOLS,
  CDX_R_DCOLS,
  CDX_R_STORE,
  CDX_R_STOREIDX,
  CDX_R_DOCS,
  CDX_R_DOCIDX,
  /* version 6 on */
  CDX_R_UVARS,
  CDX_R_UVARIDX,
  CDX_R_NAMES,
  CDX_R_NAMEIDX,
  /* version 7 on */
  CDX_R_DEPTNAMES,
  CDX_R_DEPTLEN,
  CDX_R_DEPTBASE,
  CDX_R_DEPTCOL,
  /* version 8 on: the facet ordinal columns (indexer/facet_column.c) */
  CDX_R_FSETIDX,
  CDX_R_FSETS,
  CDX_R_FSETORD,
  CDX_R_FDOCVALS,
  CDX_R_FDOCORD,
  CDX_R_COUNT
};
/* Regions a segment of that version has (the older ones: the first 10,
 * version 6: the first 14, version 7: the first 18). */
static inline int cdx_seg_regions(uint32_t version) {
  return version >= 8   ? CDX_R_COUNT
         : version >= 7 ? CDX_R_FSETIDX
         : version >= 6 ? CDX_R_DEPTNAMES
                        : 10;
}
/* Trailer: region table (16 bytes each), counts, totals (version 7 on),
 * version, magic, CRC. The version sits at the same distance from the end
 * in every version. */
#define CDX_SEG_TRAILER_BYTES_N(n_regions) ((size_t)(n_regions)*16 + 4 * 4 + 3 * 8 + 4 + 8 + 4)
#define CDX_SEG_TRAILER_MIN CDX_SEG_TRAILER_BYTES_N(10)
/* Version 7's totals, after the counts: u64 length sum, u32 minimum unit
 * length, u32 reserved (0). */
#define CDX_SEG_TOTALS_BYTES 16
static inline size_t cdx_seg_trailer_bytes(uint32_t version) {
  return CDX_SEG_TRAILER_BYTES_N(cdx_seg_regions(version)) +
         (version >= 7 ? CDX_SEG_TOTALS_BYTES : 0);
}
#define CDX_SEG_HEADER_BYTES 8

/* ---- One document as the builder takes it (from cdx_document, JSONL,
 * stored fields during a merge, or tests). All strings NUL-terminated;
 * NULL-able ones as in cdx_ix_doc_fields. ---- */
/* One department of a unit: as written, its canonical name and its roles
 * (CDX_ROLE_* of clausedex/search.h, or-ed: one entry per canonical name). */
typedef struct cdx_ix_dept_in {
  const char *written, *canonical;
  unsigned roles;
} cdx_ix_dept_in;

typedef struct cdx_ix_unit_in {
  cdx_unit_kind kind;
  int chapter, ordinal, number_value;
  const char *number, *heading, *lead_department;
  size_t n_responsible;
  const char *const *responsible;
  const char *text;
  size_t text_len;
  uint64_t offset;
  /* departments with roles (indexer/unit_depts.c builds them); the
   * figures are extracted from text by the builder */
  size_t n_depts;
  const cdx_ix_dept_in *depts;
  /* the unit's byte range in its source file (docs/CORPUS.md); end <=
   * start when unknown */
  uint64_t source_start, source_end;
  /* figures extracted ahead of the builder (cdx_segb_tokenize, on a worker
   * thread); NULL with figures_rc 0: the builder extracts them from text */
  const struct cdx_figure *figures;
  size_t n_figures;
  int figures_rc; /* CDX_OK, or the extractor's error (figures_err) */
  const cdx_error *figures_err;
} cdx_ix_unit_in;

typedef struct cdx_ix_doc_in {
  const char *id, *title, *jurisdiction, *doc_number, *issuer, *policy_key;
  const char *family, *cites; /* sidecar family or NULL; cited bases
                                 (cdx_fam_cites_scan form) or NULL */
  uint32_t jurisdiction_code, date;
  cdx_doc_status status;
  cdx_status_class status_class;
  int edition;
  uint64_t hash, source_bytes;
  size_t n_units;
  const cdx_ix_unit_in *units;
} cdx_ix_doc_in;

/* ---- fields.c: one copy per pair of struct shapes (columns.h) ---- */
/* The document-level fields of m under id; hash, source_bytes, n_units and
 * units are left 0 for the caller. */
void cdx_ix_doc_in_from_meta(cdx_ix_doc_in *in, const char *id, const cdx_document_meta *m);
/* Everything but text, text_len and offset (which the caller cuts). */
void cdx_ix_unit_in_from_view(cdx_ix_unit_in *u, const cdx_unit_view *v);
void cdx_dcol_from_doc(cdx_dcol *c, const cdx_ix_doc_in *d, uint32_t first_unit);
void cdx_ucol_from_unit(cdx_ucol *c, const cdx_ix_unit_in *u, uint32_t doc, uint32_t length);
/* The column fields of a document record; its strings are left alone. */
void cdx_dcol_to_fields(const cdx_dcol *c, cdx_ix_doc_fields *f);
/* The column fields of a unit's metadata (not family_id and latest, which
 * the open index computes). */
void cdx_dcol_to_meta(const cdx_dcol *c, cdx_ix_unit_meta *m);
void cdx_ucol_to_meta(const cdx_ucol *c, cdx_ix_unit_meta *m);
/* A stored document back into builder input (a merge); hash and units are
 * left 0 for the caller. */
void cdx_ix_doc_in_from_fields(cdx_ix_doc_in *to, const cdx_ix_doc_fields *from);
/* kind, chapter, ordinal and number_value; the rest is left as it was. */
void cdx_ix_unit_in_from_meta(cdx_ix_unit_in *u, const cdx_ix_unit_meta *m);
void cdx_index_doc_from_fields(cdx_index_doc *to, const cdx_ix_doc_fields *from);

/* Counts of a written segment, as the manifest records them. */
typedef struct cdx_seg_info {
  uint32_t seg_no, n_units, n_docs;
  uint64_t file_size;
  uint32_t del_gen;   /* 0: no deletion file */
  uint32_t n_deleted; /* deleted documents */
} cdx_seg_info;

/* ---- names.c ---- */
/* "seg-NNNNNNNN.cdx" and "seg-NNNNNNNN-G.del" into out (cap bytes). */
void cdx_seg_file_name(char *out, size_t cap, uint32_t seg_no);
void cdx_del_file_name(char *out, size_t cap, uint32_t seg_no, uint32_t gen);
/* FNV-1a 64 of p[0..n) continuing from h (document ids, terms). */
uint64_t cdx_ix_hash(const void *p, size_t n, uint64_t h);
#define CDX_IX_HASH_SEED 0xcbf29ce484222325ULL

/* ---- segment_write.c ---- */
typedef struct cdx_segb cdx_segb;
int cdx_segb_new(cdx_segb **out, cdx_error *err);
void cdx_segb_free(cdx_segb *b);
/* Analyzes and buffers one document; its index in the segment is
 * cdx_segb_docs() before the call. */
int cdx_segb_add(cdx_segb *b, const cdx_ix_doc_in *doc, cdx_error *err);
uint32_t cdx_segb_docs(const cdx_segb *b);
size_t cdx_segb_memory(const cdx_segb *b);
/* Stored blocks are deflated on a thread of the builder's own
 * (store_deflate.h); before the first document. The bytes are the same. */
void cdx_segb_set_threaded(cdx_segb *b);
/* *over: whether cdx_segb_memory(b) >= limit, counting the blocks still
 * being deflated as the serial builder would have them (what decides where
 * a segment ends). Errors: a deflate error of an earlier block. */
int cdx_segb_over(cdx_segb *b, size_t limit, bool *over, cdx_error *err);

/* One document analysed ahead of the builder: the queued terms of each unit
 * (what cdx_segb_add would queue, in the same order) and its figures. The
 * work of cdx_segb_add that needs no builder state, so that worker threads
 * can do it for documents the builder then takes in input order
 * (cdx_segb_add_tokens): the bytes written are the same either way, since
 * cdx_segb_add is cdx_segb_tokenize followed by cdx_segb_add_tokens. */
typedef struct cdx_segb_toks {
  uint64_t *keys; /* term keys (short key, or LONG_KEY | len | offset) */
  uint32_t *pos;  /* parallel to keys */
  size_t n, cap;
  cdx_buf lterms; /* bytes of the terms over 7 bytes */
  struct cdx_segb_tunit {
    size_t end;        /* keys[previous end .. end) are this unit's */
    uint32_t unit_len; /* its length in words (BM25) */
    struct cdx_figure *figures;
    size_t n_figures;
    int figures_rc;
    cdx_error figures_err;
  } * units;
  size_t n_units, cap_units;
  int rc; /* CDX_OK or the error of the last tokenize */
} cdx_segb_toks;
void cdx_segb_toks_init(cdx_segb_toks *t);
void cdx_segb_toks_free(cdx_segb_toks *t); /* and back to empty */
/* Analyses doc into t (emptied first) with an analyzer of its caller's
 * (one per thread). Reads only doc and an; any number of threads may run it
 * at once on their own t and an. Errors: those of the analyzer, CDX_NOMEM. */
int cdx_segb_tokenize(cdx_analyzer *an, const cdx_ix_doc_in *doc, cdx_segb_toks *t, cdx_error *err);
/* cdx_segb_add with the analysis already done by cdx_segb_tokenize of the
 * same doc. */
int cdx_segb_add_tokens(cdx_segb *b, const cdx_ix_doc_in *doc, const cdx_segb_toks *t,
                        cdx_error *err);
/* Writes dir/seg-NNNNNNNN.cdx durably (fsync; the directory fsync comes
 * with the manifest) and fills info (del_gen 0). The builder is emptied. */
int cdx_segb_write(cdx_segb *b, const cdx_dir *dir, uint32_t seg_no, cdx_seg_info *info,
                   cdx_error *err);

/* ---- segment_read.c ---- */
typedef struct cdx_region_view {
  const uint8_t *p;
  uint64_t len;
} cdx_region_view;

typedef struct cdx_seg {
  char *path;       /* owned; named in every error */
  const char *name; /* file name part of path */
  const uint8_t *map;
  size_t size;
  bool mapped; /* map came from mmap (else a caller's buffer) */
  cdx_region_view r[CDX_R_COUNT];
  uint32_t version;
  uint32_t n_names;      /* version 6: entries of the name table */
  uint32_t n_dept_names; /* version 7: entries of DEPTNAMES; 0 without the
                            dense department column */
  uint32_t n_fsets;      /* version 8: distinct department sets (FSETIDX); 0
                         without the set column */
  uint32_t n_fcombos;    /* version 8: distinct document-facet combinations
                         (FDOCVALS); 0 without that column */
  uint32_t n_units, n_docs, n_terms, n_dict_blocks, n_store_blocks;
  uint64_t n_postings, n_positions, text_bytes;
  uint64_t len_sum;    /* sum of the units' BM25 lengths (trailer, or the row pass) */
  uint32_t min_len;    /* the shortest unit's BM25 length (likewise) */
  bool rows_checked;   /* the row pass ran (cdx_seg_check_rows); else every
                            read of a row, an index entry or an offset checks
                            its own bounds */
  uint8_t *store_dict; /* owned: the inflated preset dictionary, or NULL;
                            set by cdx_seg_store_dict */
  uint32_t store_dict_len;
  _Atomic bool store_dict_ready; /* cdx_seg_store_dict has run */
  bool store_raw;                /* store blocks are raw deflate, not zlib streams */
} cdx_seg;

/* Inflates the segment's preset dictionary of stored blocks on first call
 * (store_dict stays NULL when it has none). Safe from several threads.
 * CDX_CORRUPT naming the file, CDX_NOMEM. */
int cdx_seg_store_dict(const cdx_seg *seg, cdx_error *err);

/* Maps and validates path (trailer, region table, columns). verify_crc:
 * also check the whole-file CRC (docs/FORMAT.md says when). */
int cdx_seg_open(const cdx_dir *dir, const char *name, bool verify_crc, cdx_seg *seg,
                 cdx_error *err);
void cdx_seg_close(cdx_seg *seg);

/* Dictionary entry of a term. */
typedef struct cdx_term_entry {
  uint32_t df;
  uint64_t post_off, pos_off, total_tf;
} cdx_term_entry;
/* *found false when absent. */
int cdx_seg_lookup(const cdx_seg *seg, const char *term, size_t len, cdx_term_entry *e, bool *found,
                   cdx_error *err);

/* Calls fn for every term in dictionary order (check, stats, tests). */
typedef int (*cdx_term_fn)(void *ctx, const uint8_t *term, size_t len, const cdx_term_entry *e,
                           cdx_error *err);
int cdx_seg_each_term(const cdx_seg *seg, cdx_term_fn fn, void *ctx, cdx_error *err);
/* Calls fn for every term that starts with prefix[0..len), in order. */
int cdx_seg_each_prefixed(const cdx_seg *seg, const char *prefix, size_t len, cdx_term_fn fn,
                          void *ctx, cdx_error *err);

/* The pass over every unit and document row, the stored-block and
 * dictionary-block indexes and the per-unit field offsets: each within its
 * region, documents tiling the units, the length sum and minimum (compared
 * with the trailer's from version 7 on). An open runs it for segments
 * before version 7 and whenever it verifies the CRC; cdx_seg_check runs it
 * when the open did not. */
int cdx_seg_check_rows(cdx_seg *seg, cdx_error *err);
/* Largest segment whose CRC an open verifies (docs/FORMAT.md: 1 MiB);
 * tests set it to 0 to open small segments the way big ones are. */
extern uint64_t cdx_ix_crc_open_max;

/* Column accessors (callers pass ids they got from the segment, which the
 * asserts of debug and sanitizer builds hold them to). The row's values are
 * as stored: a segment opened without the row pass may hold any value, so
 * readers go through cdx_seg_ucol_read / cdx_seg_dcol_read (index_open.c),
 * which bound them. */
static inline const uint8_t *cdx_seg_ucol(const cdx_seg *s, uint32_t u) {
  assert(u < s->n_units);
  return s->r[CDX_R_UCOLS].p + (size_t)u * CDX_UCOL_BYTES;
}
static inline const uint8_t *cdx_seg_dcol(const cdx_seg *s, uint32_t d) {
  assert(d < s->n_docs);
  return s->r[CDX_R_DCOLS].p + (size_t)d * CDX_DCOL_BYTES;
}
/* Document record (strings point into the mapping) and its content hash. */
int cdx_seg_doc(const cdx_seg *seg, uint32_t doc, cdx_ix_doc_fields *out, uint64_t *hash,
                cdx_error *err);

/* Block holding unit u. */
uint32_t cdx_seg_store_block_of(const cdx_seg *seg, uint32_t u);

/* ---- store_stream.c ---- */
/* One stored block inflated only as far as the units asked for: a query's
 * hit in the middle of a block inflates half of it, and the next hit
 * in the same block continues where the last one stopped. One per thread. */
typedef struct cdx_store_stream {
  z_stream zs;
  bool zs_ready;          /* inflateInit done (inflateEnd owed) */
  const cdx_seg *seg;     /* the open block's segment, NULL when none */
  uint32_t blk, first, n; /* block, its first unit, its unit count */
  uint32_t rlen;          /* raw length the store index promises */
  bool done;              /* the whole block is inflated and checked */
  cdx_buf raw;            /* cap >= rlen + 1, never moved while a block is open */
  uint32_t n_known;       /* units whose record start is known */
  uint32_t *starts;       /* n + 1 entries: record start offsets in raw */
  size_t starts_cap;
  cdx_buf text; /* the last unit's text, decoded */
  const char **resp;
  size_t resp_cap;
} cdx_store_stream;

void cdx_store_stream_init(cdx_store_stream *z);
void cdx_store_stream_free(cdx_store_stream *z);
/* Fills *out with unit u of seg (absolute within the segment); pointers
 * are valid until the next call. Errors: CDX_CORRUPT naming the file,
 * CDX_NOMEM. */
int cdx_store_stream_unit(cdx_store_stream *z, const cdx_seg *seg, uint32_t u,
                          cdx_ix_unit_fields *out, cdx_error *err);
/* After the last unit of the open block was read: inflates the rest and
 * checks that the stream ends (checksum included) right after that unit
 * (the check command reads every block this way). */
int cdx_store_stream_finish(cdx_store_stream *z, cdx_error *err);
/* ---- store_cache.c ---- */
/* One stored block inflated whole and checked, with every record's start:
 * shared by the searches of one index through its cdx_store_cache, freed by
 * its last reference. */
typedef struct cdx_store_block {
  _Atomic uint32_t refs;
  uint32_t seg, blk; /* the key: segment number in the index, block */
  uint32_t first, n; /* its first unit and unit count */
  uint32_t version;  /* of the segment (the record layout) */
  uint8_t *raw;      /* owned: the inflated bytes */
  uint32_t *starts;  /* owned: n + 1 record offsets in raw */
  size_t bytes;      /* what it costs the cache's budget */
} cdx_store_block;

/* Opens block blk of seg (segment number seg_no of its index) in z,
 * inflates and checks all of it, and hands it over as *out (one reference,
 * the caller's). z stays usable. Errors as cdx_store_stream_unit. */
int cdx_store_stream_take(cdx_store_stream *z, const cdx_seg *seg, uint32_t seg_no, uint32_t blk,
                          cdx_store_block **out, cdx_error *err);
/* Unit u (absolute in the segment, within the block) parsed from b, as
 * cdx_store_stream_unit gives it: text and resp are the caller's buffers.
 * CDX_NOMEM only. */
int cdx_store_block_unit(const cdx_store_block *b, uint32_t u, cdx_ix_unit_fields *out,
                         cdx_buf *text, const char ***resp, size_t *resp_cap);
void cdx_store_block_release(cdx_store_block *b); /* accepts NULL */

/* Bounded by bytes (cdx_store_block.bytes summed); safe from any number of
 * threads. Owned by its index (cdx_index_set_store_cache). */
typedef struct cdx_store_cache cdx_store_cache;
int cdx_store_cache_new(size_t bytes, cdx_store_cache **out, cdx_error *err);
void cdx_store_cache_free(cdx_store_cache *c); /* accepts NULL */
/* The block (a new reference for the caller), or NULL when not cached. */
cdx_store_block *cdx_store_cache_get(cdx_store_cache *c, uint32_t seg, uint32_t blk);
/* Offers b (the caller's only reference) to the cache, evicting as the
 * budget needs; returns the block to read, with one reference for the
 * caller: b, or the copy another thread put first (b is then released). */
cdx_store_block *cdx_store_cache_put(cdx_store_cache *c, cdx_store_block *b);
/* Blocks and bytes held now (tests, stats). */
void cdx_store_cache_usage(cdx_store_cache *c, size_t *blocks, size_t *bytes);

/* Parses the unit record (of a segment of this format version) at *at in
 * [*at, end) and moves *at past it; out NULL only skips it, else *out gets
 * its fields, pointing into the record, into *text (the decoded unit text)
 * and into *resp (grown as needed). CDX_SEG_RECORD_INCOMPLETE when the bytes
 * end inside the record or it is malformed (*at unchanged), CDX_NOMEM. */
#define CDX_SEG_RECORD_INCOMPLETE (-1)
int cdx_seg_parse_record(const uint8_t **at, const uint8_t *end, uint32_t version,
                         cdx_ix_unit_fields *out, cdx_buf *text, const char ***resp,
                         size_t *resp_cap);

/* Postings of a term in a bare segment (index_reader.h's iterator). */
int cdx_seg_postings_open(const cdx_seg *seg, const char *term, size_t term_len,
                          cdx_ix_postings **out, cdx_error *err);

/* Full structural check of one segment: every term, posting, position,
 * stored block and document record (check command, fuzz target). */
int cdx_seg_check(const cdx_seg *seg, cdx_error *err);

/* Same as cdx_seg_open over bytes in memory (fuzzing); the caller keeps
 * data alive until cdx_seg_close, which does not free it. */
int cdx_seg_open_buffer(const char *name, const uint8_t *data, size_t len, bool verify_crc,
                        cdx_seg *seg, cdx_error *err);

/* ---- uvars.c: the per-unit variable-length fields (columns.h,
 * CDX_UVAR_LIST) and the segment's name table ---- */
typedef struct cdx_uvarb {
  cdx_buf uvars, uvaridx, names, nameidx;
  /* the dense department column (version 7): while adding, each unit's
   * count (u32) and entries (u32 name id << 4 | roles); then encoded by
   * cdx_uvarb_dept_column into the four regions */
  cdx_buf dcount, dent;
  cdx_buf deptnames, deptlen, deptbase, deptcol;
  uint64_t *slots; /* name hash << 32 | (id + 1); 0 empty */
  size_t n_slots, n_names;
  cdx_buf scratch;
} cdx_uvarb;
void cdx_uvarb_init(cdx_uvarb *b);
void cdx_uvarb_free(cdx_uvarb *b); /* and back to empty */
size_t cdx_uvarb_memory(const cdx_uvarb *b);
/* Appends unit u's record (its departments; its figures, extracted from
 * u->text). Errors: CDX_NOMEM, CDX_LIMIT (region over 4 GiB), CDX_ENCODING. */
int cdx_uvarb_add(cdx_uvarb *b, const cdx_ix_unit_in *u, cdx_error *err);
/* dept_column.c: encodes the dense department column from dcount/dent
 * into deptnames, deptlen, deptbase, deptcol (all left empty when a unit's
 * entries do not fit its one-byte length: readers then use UVARS). */
int cdx_uvarb_dept_column(cdx_uvarb *b, uint32_t n_units);
/* Open-time validation of the column's shape (sets seg->n_dept_names). */
int cdx_seg_deptcol_validate(cdx_seg *seg, cdx_error *err);
/* Every entry of the column decodes and agrees with UVARS (check). */
int cdx_seg_deptcol_check(const cdx_seg *seg, cdx_error *err);

/* ---- facet_column.c: the facet ordinal columns (version 8) ---- */
typedef struct cdx_facetb {
  cdx_buf setidx, sets, setord, docvals, docord;
} cdx_facetb;
void cdx_facetb_init(cdx_facetb *f);
void cdx_facetb_free(cdx_facetb *f); /* and back to empty */
/* Builds the five regions from the dense department column (uv's
 * deptlen/deptcol, already encoded; no set column when it is empty) and
 * the unit and document rows. CDX_NOMEM, CDX_LIMIT. */
int cdx_facetb_build(cdx_facetb *f, const cdx_uvarb *uv, const cdx_buf *ucols, const cdx_buf *dcols,
                     uint32_t n_units, uint32_t n_docs);
/* Open-time validation of the regions' shape (sets n_fsets, n_fcombos). */
int cdx_seg_facetcol_validate(cdx_seg *seg, cdx_error *err);
/* Every ordinal is in range and names what DEPTCOL and DCOLS say (check). */
int cdx_seg_facetcol_check(const cdx_seg *seg, cdx_error *err);
/* The bytes of field f of unit u of a version-6 segment (empty for older
 * ones and for a record written without it). */
void cdx_seg_uvar(const cdx_seg *seg, uint32_t u, enum cdx_uvar_field f, const uint8_t **p,
                  size_t *n);
/* Name id -> NUL-terminated string in the mapping (id < seg->n_names). */
const char *cdx_seg_name(const cdx_seg *seg, uint32_t id);
/* Open-time validation of the name table, and with offsets of the record
 * offsets (the row pass; reads check a record's own offsets anyway). */
int cdx_seg_uvars_validate(cdx_seg *seg, bool offsets, cdx_error *err);
/* Every unit's record decodes (check). */
int cdx_seg_uvars_check(const cdx_seg *seg, cdx_error *err);

/* ---- unit_depts.c: a document's departments with their roles ---- */
typedef struct cdx_ix_depts {
  cdx_ix_dept_in *d; /* all units' entries, unit after unit */
  size_t n, cap;
  size_t *canon_off; /* canonical names in names until finished */
  cdx_buf names;
} cdx_ix_depts;
void cdx_ix_depts_init(cdx_ix_depts *s);
void cdx_ix_depts_free(cdx_ix_depts *s);
void cdx_ix_depts_reset(cdx_ix_depts *s);
/* Adds names[0..n) to the unit whose entries start at index `first`, with
 * `roles_first` for names[0] and `roles` for every name: an entry of the
 * same canonical name gets the roles added. t may be NULL (no aliases). */
struct cdx_dept_table;
int cdx_ix_depts_add(cdx_ix_depts *s, size_t first, const struct cdx_dept_table *t,
                     const char *const *places, size_t n_places, const char *const *names, size_t n,
                     unsigned roles_first, unsigned roles, cdx_error *err);
/* Appends one entry as it is (a merge copies a segment's entries). */
int cdx_ix_depts_put(cdx_ix_depts *s, const char *written, const char *canonical, unsigned roles,
                     cdx_error *err);
/* After the last add: entries [first, s->n) point at their canonical names
 * (valid until the next add or reset). */
void cdx_ix_depts_finish(cdx_ix_depts *s);

/* ---- manifest.c ---- */
typedef struct cdx_manifest {
  uint64_t generation;
  uint32_t next_seg;
  uint32_t n_segs;
  cdx_seg_info *segs; /* owned */
  uint64_t batch;     /* release sequence number: +1 per commit of
                             changes, kept by merges; 0 in version 1 */
  uint64_t timestamp; /* Unix seconds of that commit; 0 = unknown */
} cdx_manifest;

/* CDX_NOTFOUND when dir has no MANIFEST. */
int cdx_man_read(const cdx_dir *dir, cdx_manifest *m, cdx_error *err);
/* The manifest in p[0..len) (name in messages); verify_crc false lets a
 * fuzzer reach the checks behind the checksum. *m freed with cdx_man_free
 * on CDX_OK, left empty otherwise. */
int cdx_man_parse(const char *name, const uint8_t *p, size_t len, bool verify_crc, cdx_manifest *m,
                  cdx_error *err);
int cdx_man_write(const cdx_dir *dir, const cdx_manifest *m, cdx_error *err);
void cdx_man_free(cdx_manifest *m);
/* Deletion bitmap of n_docs bits, malloc'ed into *bits. */
int cdx_del_read(const cdx_dir *dir, uint32_t seg_no, uint32_t gen, uint32_t n_docs, uint8_t **bits,
                 cdx_error *err);
int cdx_del_write(const cdx_dir *dir, uint32_t seg_no, uint32_t gen, uint32_t n_docs,
                  const uint8_t *bits, cdx_error *err);
/* Removes files of dir that the manifest does not name (leftovers). */
void cdx_man_cleanup(const cdx_dir *dir, const cdx_manifest *m);

/* ---- index_open.c ---- */
typedef struct cdx_ix_segment {
  cdx_seg seg;
  cdx_seg_info info;
  uint8_t *del_docs;         /* n_docs bits, owned, all zero when none */
  uint8_t *del_units;        /* n_units bits, owned */
  uint32_t n_del_docs;       /* documents deleted in this snapshot */
  uint8_t *latest_docs;      /* n_docs bits, owned; built with the doc tables */
  uint32_t *family_ids;      /* per doc, owned: index-wide family number; built
                            with the doc tables */
  uint8_t *family_ambiguous; /* n_docs bits, owned: placed alone, two fitted;
                                built with the doc tables */
} cdx_ix_segment;

struct cdx_index {
  cdx_dir dir; /* the files are opened relative to it */
  cdx_manifest man;
  size_t n_segs;
  cdx_ix_segment *segs;
  uint64_t live_units, live_docs, live_len_sum;
  double avg_len;
  /* The document tables: built on first use by cdx_ix_doc_tables, not at
   * open, since they read every document record and a search needs none of
   * them unless it asks for --latest or a document by id. Written once under
   * tables_mu, then published by tables_state (release/acquire), so the
   * handle stays safe to share between threads. */
  pthread_mutex_t tables_mu;
  atomic_int tables_state; /* 0 not built, 1 built, 2 failed: tables_err */
  cdx_error tables_err;
  size_t n_live;                /* live documents, listed in order */
  uint64_t *live;               /* (seg << 32) | doc */
  size_t id_cap;                /* open-addressing table of live doc ids */
  uint64_t *id_slots;           /* (seg << 32 | doc) + 1; 0 = empty */
  cdx_store_cache *store_cache; /* owned, or NULL: cdx_index_set_store_cache */
};

static inline bool cdx_bit(const uint8_t *bits, uint32_t i) {
  return (bits[i >> 3] >> (i & 7)) & 1;
}
static inline void cdx_bit_set(uint8_t *bits, uint32_t i) {
  bits[i >> 3] |= (uint8_t)(1u << (i & 7));
}

/* Opens with control over CRC verification (check verifies everything). */
int cdx_index_open_ex(const char *dir, bool verify_all, cdx_index **out, cdx_error *err);
/* Same, through an open directory (a writer's): the index keeps a duplicate. */
int cdx_index_open_dir(const cdx_dir *dir, bool verify_all, cdx_index **out, cdx_error *err);

#endif
