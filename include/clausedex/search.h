#ifndef CLAUSEDEX_SEARCH_H
#define CLAUSEDEX_SEARCH_H

#include <stddef.h>
#include <stdint.h>
#include "clausedex/errors.h"
#include "clausedex/document.h"

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Running queries over an open index (include/clausedex/index.h opens one).
 *
 * The query language is described in docs/QUERY.md. In short: words separated
 * by spaces are ANDed; OR; NOT word or -word; parentheses; "exact phrase";
 * field filters jurisdiction: status: edition: date: doc: dept: kind:.
 * A Chinese word matches exactly the units that contain that character
 * sequence after folding (Traditional/Simplified, full/half width).
 *
 * Thread safety: any number of threads may call cdx_search on the same open
 * index at once; each call builds its own analyzer and scratch state. A
 * cdx_results belongs to the thread that uses it (no internal locking).
 *
 * Usage:
 *
 *   cdx_search_options opt = {0};        // zero means defaults (k = 10)
 *   cdx_results *res;
 *   cdx_error err;
 *   if (cdx_search(ix, "以旧换新 jurisdiction:温州市", &opt, &res, &err) != CDX_OK)
 *     fprintf(stderr, "%s\n", err.message);        // err.offset: query byte
 *   printf("%zu matching units\n", cdx_results_total(res));
 *   for (size_t i = 0; i < cdx_results_count(res); i++) {
 *     const cdx_hit *h = cdx_results_get(res, i);
 *     printf("%s %s\n", h->title, h->number ? h->number : "");
 *   }
 *   cdx_results_free(res);
 */

typedef struct cdx_index cdx_index;

typedef struct cdx_search_options {
  size_t k;          /* hits to return; 0 means 10 */
  size_t offset;     /* ranked hits to skip before the first returned */
  int all;           /* non-zero: return every matching unit (k ignored) */
  int latest;        /* non-zero: only the latest version of each policy */
  int count_only;    /* non-zero: compute only the exact total, no hits */
  int no_highlights; /* non-zero: hits without highlights (callers that
                        rescore the text, like cdx_similar) */
  /* New members are only ever added below. */
  unsigned timeout_ms; /* non-zero: give up after about this many
                          milliseconds with CDX_LIMIT ("time limit"); the
                          clock is read between units and leaves, so one
                          step past the bound may finish first */
  int no_stored;       /* non-zero: hits without the unit's stored fields
                          (text NULL, text_len 0, no number, heading,
                          departments or highlights): ranked ids, scores
                          and document fields only; no stored text is read */
} cdx_search_options;

typedef struct cdx_results cdx_results;

/* One ranked hit. Every pointer is borrowed from the cdx_results that holds
 * the hit and lives until cdx_results_free. Strings are NUL-terminated UTF-8;
 * those marked "or NULL" are NULL when unknown. */
typedef struct cdx_hit {
  size_t rank;                  /* 1-based rank, counting the skipped offset */
  double score;                 /* BM25 plus proximity bonus; 0 for `show` */
  const char *doc;              /* document id (source path or JSONL id) */
  const char *title;            /* never NULL (may be "") */
  const char *jurisdiction;     /* place name, or NULL */
  uint32_t jurisdiction_code;   /* GB/T 2260 code, 0 when unknown */
  cdx_doc_status status;
  cdx_status_class status_class;
  int edition;                  /* year, 0 when unknown */
  uint32_t date;                /* YYYYMMDD, 0 when unknown */
  const char *doc_number;       /* or NULL */
  cdx_unit_kind kind;
  const char *number;           /* clause number as written, or NULL */
  const char *heading;          /* or NULL */
  int ordinal;                  /* 0-based order of the unit in its document */
  const char *text;             /* the unit's full text */
  size_t text_len;
  size_t n_highlights;          /* matched byte ranges in text, ascending, */
  const size_t (*highlights)[2];/* non-overlapping: text[h[0], h[1]); the
                                   first CDX_MAX_HIGHLIGHTS of them */
  /* New members are only ever added below. */
  int chapter;                  /* 1-based chapter; 0 before the first */
  size_t n_responsible;         /* responsible units from （责任单位：…）, */
  const char *const *responsible; /* as written, in their order */
  const char *lead_department;  /* the chapter's 牵头 department, or NULL */
} cdx_hit;

/* Runs `query` (NUL-terminated UTF-8) on `ix`. opts may be NULL (defaults).
 * *out is owned by the caller (cdx_results_free), NULL on failure; it
 * borrows ix (document fields point into the index), so free the results
 * before cdx_index_close.
 * Errors: CDX_SYNTAX (malformed query; err->offset is the byte offset in the
 * query), CDX_ENCODING (invalid UTF-8 in the query, offset set), CDX_LIMIT
 * (query longer than CDX_QUERY_MAX_BYTES or nested deeper than
 * CDX_QUERY_MAX_DEPTH, or still running at opts->timeout_ms), CDX_CORRUPT / CDX_IO from the index, CDX_NOMEM,
 * CDX_INVALID (NULL arguments). */
int cdx_search(const cdx_index *ix, const char *query,
               const cdx_search_options *opts, cdx_results **out,
               cdx_error *err);

#define CDX_QUERY_MAX_BYTES 16384 /* longer queries are typing accidents */
#define CDX_QUERY_MAX_DEPTH 256   /* nesting of parentheses and NOT */
/* Highlights held per hit: far more than a clause has, few enough that a
 * word found millions of times in a giant unit costs kilobytes. */
#define CDX_MAX_HIGHLIGHTS 4096

/* Exact number of matching units (after filters, --latest and deletions),
 * whatever k and offset were. */
size_t cdx_results_total(const cdx_results *res);

/* Number of hits held (at most k; 0 with count_only). */
size_t cdx_results_count(const cdx_results *res);

/* The i-th hit (i < cdx_results_count), borrowed until cdx_results_free;
 * NULL when i is out of range. */
const cdx_hit *cdx_results_get(const cdx_results *res, size_t i);

/* Accepts NULL. */
void cdx_results_free(cdx_results *res);

/* The live document that `ref` names: its exact id; its file name; its
 * document number in any common spelling (〔2025〕, [2025], (2025)); or a
 * unique prefix of its file name (000 for 000_6221eb15cf98cb05.txt).
 * On success *doc_id points to the id (borrowed from ix).
 * Errors: CDX_NOTFOUND, CDX_INVALID (several documents match: the message
 * names up to three), CDX_CORRUPT. */
int cdx_index_resolve_doc(const cdx_index *ix, const char *ref, const char **doc_id,
                          cdx_error *err);

/* The units of one document in document order, as hits with score 0 and no
 * highlights (for `clausedex show`). `doc` names the document as
 * cdx_index_resolve_doc accepts (id, file name, document number, unique
 * file-name prefix); `number` (may be NULL) keeps only the units whose
 * clause number is written that way ("（一）", "1.") or has that value ("1").
 * *out is owned by the caller (cdx_results_free). Errors: CDX_NOTFOUND
 * (no such document or clause, message names it), CDX_INVALID (ambiguous
 * name, NULL arguments), CDX_CORRUPT, CDX_IO, CDX_NOMEM. */
int cdx_search_document(const cdx_index *ix, const char *doc,
                        const char *number, cdx_results **out, cdx_error *err);

/* The hit as one JSON object with keys rank, score, doc, title, jurisdiction,
 * jurisdiction_code, status, status_class, edition, date, doc_number, kind,
 * number, heading, ordinal, chapter, departments (the responsible units as
 * written), chapter_lead, text, highlights ([[start, end], ...] byte offsets
 * into text). *out is NUL-terminated, owned by the caller (cdx_free).
 * Errors: CDX_NOMEM. */
int cdx_hit_to_json(const cdx_hit *hit, char **out, size_t *out_len,
                    cdx_error *err);

/* The document fields of a hit alone, as one JSON object: doc, title,
 * jurisdiction, jurisdiction_code, status, status_class, edition, date,
 * doc_number (the same keys and types as in cdx_hit_to_json). *out is owned
 * by the caller (cdx_free). Errors: CDX_NOMEM. */
int cdx_hit_doc_to_json(const cdx_hit *hit, char **out, size_t *out_len,
                        cdx_error *err);

/* The parsed form of a query, e.g.
 * AND(word:以旧换新, NOT(word:港), jurisdiction:330300+), for tests and
 * `clausedex search --explain`. *out is owned by the caller (cdx_free).
 * Errors as cdx_search's syntax errors, CDX_NOMEM. */
int cdx_query_describe(const char *query, char **out, cdx_error *err);

#ifdef __cplusplus
}
#endif
#endif
