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

typedef enum cdx_status_class { CDX_CLASS_FINAL = 0, CDX_CLASS_DRAFT = 1 } cdx_status_class;

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
  const char *name; /* "乐清市"; NULL when unknown */
  uint32_t code;    /* GB/T 2260 code, 6 digits (330382); 0 when unknown */
  cdx_place_level level;
} cdx_place;

typedef struct cdx_document_meta {
  const char *title; /* never NULL (may be "") */
  cdx_place jurisdiction;
  size_t n_parents; /* parent chain, nearest first, up to the province */
  const cdx_place *parents;
  cdx_doc_status status;
  cdx_status_class status_class;
  int edition;            /* year, 0 when unknown */
  uint32_t date;          /* issue date as YYYYMMDD, 0 when unknown */
  const char *doc_number; /* "乐政发〔2025〕4号" or NULL */
  const char *issuer;     /* issuing body or NULL */
  const char *policy_key; /* same key = versions of one policy; "" when
                                     the document has no title (a policy of its own) */
  size_t n_warnings;      /* per-document warnings (repairs, losses) */
  const char *const *warnings;
  const char *family; /* the policy family set explicitly (sidecar
                                     `family:` or --family), or NULL: derived
                                     from the policy key (docs/CORPUS.md) */
} cdx_document_meta;

typedef struct cdx_unit_view {
  cdx_unit_kind kind;
  int chapter;          /* 1-based chapter; 0 before the first chapter */
  const char *number;   /* clause number as written ("（一）", "1.") or NULL */
  int number_value;     /* the number as an integer; 0 when none */
  int ordinal;          /* 0-based order of the unit in the document */
  const char *heading;  /* first sentence / chapter title, or NULL */
  size_t n_responsible; /* responsible units from （责任单位：…） */
  const char *const *responsible;
  const char *lead_department; /* the first of lead_departments, or NULL */
  size_t start, end;           /* byte range of the unit in cdx_document_text */
  /* Every 牵头 department: a chapter's own (（由A、B牵头）gives two), which
   * its clauses carry, except where the document says the first responsible
   * unit leads (列第一位的为牵头单位): then a clause's first responsible unit. */
  size_t n_lead_departments;
  const char *const *lead_departments;
  /* Units a note of the document gives every following clause's duty too
   * (以下工作均需各县（市、区）政府和X落实，不再列出): from the clause of the
   * note on, as written. */
  size_t n_shared_responsible;
  const char *const *shared_responsible;
  /* The unit's byte range in the source: in the file's own bytes for a UTF-8
   * file (BOM and CRLF counted), else in the file's text decoded to UTF-8
   * with LF line ends. It covers whole source lines, damaged spans included.
   * 0,0 for JSON Lines input. */
  size_t source_start, source_end;
} cdx_unit_view;

/* Evidence from a reference corpus (an index of other documents) for the
 * mojibake repair: where a byte was lost and the document itself does not
 * make one candidate character clearly best, pair_count(ctx, a, b) tells how
 * often code points a and b stand side by side there (0: never, or not
 * known). It is asked only about such undecided characters. */
typedef struct cdx_repair_evidence {
  uint32_t (*pair_count)(void *ctx, uint32_t a, uint32_t b);
  void *ctx;
} cdx_repair_evidence;

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
  /* Not metadata: evidence for the mojibake repair (borrowed, may be NULL:
   * the document's own text and the library's built-in pairs only). */
  const cdx_repair_evidence *repair_evidence;
  const char *family; /* a family key ("330382:推动经济高质量发展若干政策") */
} cdx_meta_overrides;

/* Reads and parses a file. A sidecar PATH.meta (key: value lines) is applied
 * when present; `ov` (may be NULL) wins over the sidecar, and both win over
 * detection. *out is owned by the caller (cdx_document_free), NULL on failure.
 * Errors: CDX_IO, CDX_NOTFOUND, CDX_BADINPUT (empty, binary, undecodable),
 * CDX_INVALID (malformed sidecar or override value, message names it),
 * CDX_NOMEM. */
CDX_API int cdx_document_read_file(const char *path, const cdx_meta_overrides *ov,
                                   cdx_document **out, cdx_error *err);

/* The sidecar of the document at path: PATH.meta, the one place that names
 * it (cdx_document_read_file applies it, the index writer hashes it into the
 * document's "unchanged" test). *out is owned by the caller (free), NULL on
 * failure. Errors: CDX_NOMEM, CDX_INVALID (NULL argument). */
CDX_API int cdx_document_sidecar_path(const char *path, char **out, cdx_error *err);

/* Same for bytes in memory; `name` is used in messages and as the source. */
CDX_API int cdx_document_read_buffer(const char *name, const void *bytes, size_t len,
                                     const cdx_meta_overrides *ov, cdx_document **out,
                                     cdx_error *err);

/* Accepts NULL. */
CDX_API void cdx_document_free(cdx_document *doc);

/* Borrowed views, valid until cdx_document_free. */
CDX_API const cdx_document_meta *cdx_document_get_meta(const cdx_document *doc);
CDX_API const char *cdx_document_get_source(const cdx_document *doc);
CDX_API const char *cdx_document_get_text(const cdx_document *doc, size_t *len);
CDX_API size_t cdx_document_unit_count(const cdx_document *doc);
CDX_API const cdx_unit_view *cdx_document_get_unit(const cdx_document *doc, size_t i);

/* The title stem the policy key is made of (docs/CORPUS.md: place names,
 * 人民政府, 关于(印发), 的通知, brackets and punctuation dropped, Simplified
 * characters): "温州市人民政府关于印发推动经济高质量发展若干政策(2025年版)的通知"
 * -> "推动经济高质量发展若干政策". *out owned by the caller (cdx_free).
 * Errors: CDX_NOMEM, CDX_INVALID (NULL title). */
CDX_API int cdx_title_stem(const char *title, char **out, cdx_error *err);

/* "final", "送审稿", "征求意见稿" / "final", "draft" / "preamble", "chapter",
 * "clause", "closing"; static storage. */
CDX_API const char *cdx_status_name(cdx_doc_status status);
CDX_API const char *cdx_status_class_name(cdx_status_class cls);
CDX_API const char *cdx_unit_kind_name(cdx_unit_kind kind);

/* The document as one JSON object (keys as in docs/JSON.md). *out is
 * NUL-terminated and owned by the caller (cdx_free). Errors: CDX_NOMEM. */
CDX_API int cdx_document_to_json(const cdx_document *doc, char **out, size_t *out_len,
                                 cdx_error *err);

/*
 * JSON Lines input: one record per unit, for pipelines that already split
 * their documents (format in docs/JSON.md). Consecutive records with the
 * same document id form one document.
 */
typedef struct cdx_jsonl_reader cdx_jsonl_reader;

/* Opens PATH ("-" is not accepted). Free with cdx_jsonl_close. */
CDX_API int cdx_jsonl_open(const char *path, cdx_jsonl_reader **out, cdx_error *err);

/* Reads the next document. On CDX_OK, *doc is the next document (owned by
 * the caller) and *doc_id its id (borrowed, valid until the next call), or
 * *doc is NULL at the end of the input. Errors: CDX_BADINPUT naming the
 * line, and the reader goes on after it at the next call: a bad record
 * (invalid JSON, a wrong type, an unknown kind, a chapter out of range) is
 * skipped and its document keeps its other records; a document whose
 * metadata is invalid is skipped whole. CDX_NOMEM. */
CDX_API int cdx_jsonl_next(cdx_jsonl_reader *r, cdx_document **doc, const char **doc_id,
                           cdx_error *err);

CDX_API void cdx_jsonl_close(cdx_jsonl_reader *r);

#ifdef __cplusplus
}
#endif
#endif
