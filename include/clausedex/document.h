#ifndef CLAUSEDEX_DOCUMENT_H
#define CLAUSEDEX_DOCUMENT_H

#include <stddef.h>
#include <stdint.h>
#include "clausedex/errors.h"

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Reading one policy document as it really comes: any of UTF-8, GB18030/GBK,
 * Big5, UTF-16 (with or without BOM); web-page chrome, Word-export artifacts
 * and mojibake removed or repaired; metadata detected; the text split into
 * searchable units (preamble, chapter introductions, clauses, closing).
 *
 * The views below are borrowed from the document and live until
 * cdx_document_free. New members are only ever added at the end.
 */

typedef struct cdx_document cdx_document;

typedef enum cdx_doc_status {
  CDX_STATUS_FINAL = 0,
  CDX_STATUS_DRAFT_FOR_APPROVAL = 1, /* 送审稿 */
  CDX_STATUS_DRAFT_FOR_COMMENT = 2   /* 征求意见稿 */
} cdx_doc_status;

typedef enum cdx_status_class {
  CDX_CLASS_FINAL = 0,
  CDX_CLASS_DRAFT = 1
} cdx_status_class;

typedef enum cdx_unit_kind {
  CDX_UNIT_PREAMBLE = 0,
  CDX_UNIT_CHAPTER = 1, /* a chapter's heading and introduction */
  CDX_UNIT_CLAUSE = 2,
  CDX_UNIT_CLOSING = 3
} cdx_unit_kind;

/* Level of an administrative division (GB/T 2260). */
typedef enum cdx_place_level {
  CDX_LEVEL_UNKNOWN = 0,
  CDX_LEVEL_PROVINCE = 1,
  CDX_LEVEL_PREFECTURE = 2,
  CDX_LEVEL_COUNTY = 3
} cdx_place_level;

typedef struct cdx_place {
  const char *name;     /* "乐清市"; NULL when unknown */
  uint32_t code;        /* GB/T 2260 code, 6 digits (330382); 0 when unknown */
  cdx_place_level level;
} cdx_place;

typedef struct cdx_document_meta {
  const char *title;              /* never NULL (may be "") */
  cdx_place jurisdiction;
  size_t n_parents;               /* parent chain, nearest first, up to the province */
  const cdx_place *parents;
  cdx_doc_status status;
  cdx_status_class status_class;
  int edition;                    /* year, 0 when unknown */
  uint32_t date;                  /* issue date as YYYYMMDD, 0 when unknown */
  const char *doc_number;         /* "乐政发〔2025〕4号" or NULL */
  const char *issuer;             /* issuing body or NULL */
  const char *policy_key;         /* same key = versions of one policy; "" when
                                     the document has no title (a policy of its own) */
  size_t n_warnings;              /* per-document warnings (repairs, losses) */
  const char *const *warnings;
} cdx_document_meta;

typedef struct cdx_unit_view {
  cdx_unit_kind kind;
  int chapter;                    /* 1-based chapter; 0 before the first chapter */
  const char *number;             /* clause number as written ("（一）", "1.") or NULL */
  int number_value;               /* the number as an integer; 0 when none */
  int ordinal;                    /* 0-based order of the unit in the document */
  const char *heading;            /* first sentence / chapter title, or NULL */
  size_t n_responsible;           /* responsible units from （责任单位：…） */
  const char *const *responsible;
  const char *lead_department;    /* the chapter's 牵头 department, or NULL */
  size_t start, end;              /* byte range of the unit in cdx_document_text */
} cdx_unit_view;

/* Metadata fields that a caller sets explicitly; NULL members are detected.
 * Values are strings as a user would type them ("乐清市" or "330382",
 * "送审稿"/"征求意见稿"/"final"/"draft", "2025", "2025-03-06"). */
typedef struct cdx_meta_overrides {
  const char *title;
  const char *jurisdiction;
  const char *status;
  const char *edition;
  const char *date;
  const char *doc_number;
  const char *issuer;
} cdx_meta_overrides;

/* Reads and parses a file. A sidecar PATH.meta (key: value lines) is applied
 * when present; `ov` (may be NULL) wins over the sidecar, and both win over
 * detection. *out is owned by the caller (cdx_document_free), NULL on failure.
 * Errors: CDX_IO, CDX_NOTFOUND, CDX_BADINPUT (empty, binary, undecodable),
 * CDX_INVALID (malformed sidecar or override value, message names it),
 * CDX_NOMEM. */
int cdx_document_read_file(const char *path, const cdx_meta_overrides *ov,
                           cdx_document **out, cdx_error *err);

/* The sidecar of the document at path: PATH.meta, the one place that names
 * it (cdx_document_read_file applies it, the index writer hashes it into the
 * document's "unchanged" test). *out is owned by the caller (free), NULL on
 * failure. Errors: CDX_NOMEM, CDX_INVALID (NULL argument). */
int cdx_document_sidecar_path(const char *path, char **out, cdx_error *err);

/* Same for bytes in memory; `name` is used in messages and as the source. */
int cdx_document_read_buffer(const char *name, const void *bytes, size_t len,
                             const cdx_meta_overrides *ov,
                             cdx_document **out, cdx_error *err);

/* Accepts NULL. */
void cdx_document_free(cdx_document *doc);

/* Borrowed views, valid until cdx_document_free. */
const cdx_document_meta *cdx_document_get_meta(const cdx_document *doc);
const char *cdx_document_get_source(const cdx_document *doc);
const char *cdx_document_get_text(const cdx_document *doc, size_t *len);
size_t cdx_document_unit_count(const cdx_document *doc);
const cdx_unit_view *cdx_document_get_unit(const cdx_document *doc, size_t i);

/* "final", "送审稿", "征求意见稿" / "final", "draft" / "preamble", "chapter",
 * "clause", "closing"; static storage. */
const char *cdx_status_name(cdx_doc_status status);
const char *cdx_status_class_name(cdx_status_class cls);
const char *cdx_unit_kind_name(cdx_unit_kind kind);

/* The document as one JSON object (keys as in docs/CORPUS.md). *out is
 * NUL-terminated and owned by the caller (cdx_free). Errors: CDX_NOMEM. */
int cdx_document_to_json(const cdx_document *doc, char **out, size_t *out_len,
                         cdx_error *err);

/*
 * JSON Lines input: one record per unit, for pipelines that already split
 * their documents (format in docs/CORPUS.md). Consecutive records with the
 * same document id form one document.
 */
typedef struct cdx_jsonl_reader cdx_jsonl_reader;

/* Opens PATH ("-" is not accepted). Free with cdx_jsonl_close. */
int cdx_jsonl_open(const char *path, cdx_jsonl_reader **out, cdx_error *err);

/* Reads the next document. On CDX_OK, *doc is the next document (owned by
 * the caller) and *doc_id its id (borrowed, valid until the next call), or
 * *doc is NULL at the end of the input. Errors: CDX_BADINPUT naming the line. */
int cdx_jsonl_next(cdx_jsonl_reader *r, cdx_document **doc, const char **doc_id,
                   cdx_error *err);

void cdx_jsonl_close(cdx_jsonl_reader *r);

#ifdef __cplusplus
}
#endif
#endif
