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
 * field filters jurisdiction: status: edition: date: doc: kind:, the facts
 * dept: lead: chapter_lead: amount: percent: count: amount.kind: ...
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

/* Orders of the hits (cdx_search_options.sort). */
typedef enum cdx_sort {
  CDX_SORT_SCORE = 0,  /* BM25 plus proximity, best first */
  CDX_SORT_AMOUNT = 1, /* the largest sum of money in 元 the unit states, largest
                           first; units without one last */
  CDX_SORT_DATE = 2,   /* the document's date, newest first; unknown last */
  CDX_SORT_EDITION = 3 /* the document's edition, newest first; unknown last */
} cdx_sort;

/* The sort named "score", "amount", "date" or "edition" into *out: 1, or
 * 0 (and *out untouched) for any other name. */
CDX_API int cdx_sort_from_name(const char *name, cdx_sort *out);

typedef struct cdx_search_options {
  size_t k;          /* hits to return; 0 means 10 */
  size_t offset;     /* ranked hits to skip before the first returned */
  int all;           /* non-zero: return every matching unit (k ignored) */
  int latest;        /* non-zero: only the latest version of each policy
                        family (docs/CORPUS.md "Families") */
  int count_only;    /* non-zero: compute only the exact total, no hits */
  int no_highlights; /* non-zero: hits without highlights (callers that
                        rescore the text, like cdx_similar) */
  /* New members are only ever added below, each also named in the table of
     query/search_options.c (cdx_search_options_set). */
  cdx_sort sort;       /* order of the hits; ties in document order. With a
                        sort other than score, cdx_hit.score is the sort key
                        (yuan, YYYYMMDD, year; -1 when the unit has none) */
  const char *facets;  /* NULL, or facet names separated by ',': dept, lead,
                         jurisdiction, status, edition, year (cdx_results_facet);
                         the pivots jurisdiction+dept, jurisdiction+lead count
                         pairs, each value "PLACE\tDEPARTMENT" */
  size_t facet_limit;  /* values kept per facet, most frequent first; 0: 10 */
  unsigned timeout_ms; /* non-zero: give up after about this many
                          milliseconds with CDX_LIMIT ("time limit"); the
                          clock is read between units and leaves, so one
                          step past the bound may finish first */
  int no_stored;       /* non-zero: hits without the unit's stored fields
                          (text NULL, text_len 0, no number, heading,
                          departments or highlights): ranked ids, scores
                          and document fields only; no stored text is read */
  int top_only;        /* non-zero: only the top k are wanted, not the total:
                          the ranked paths may stop early (an OR of words
                          skips the units that cannot enter, a phrase, alone
                          or in an AND, checks positions only for the
                          candidates that can), and
                          cdx_results_total is then a lower bound, flagged by
                          cdx_results_total_exact. The hits are the same.
                          Ask count_only separately for the exact total */
} cdx_search_options;

/* Exact counts of one facet over every matching unit (not only the hits
 * returned): `values` are the n_values most frequent (ties by value),
 * n_distinct how many distinct values there were. dept counts each
 * department listed on a unit once, lead its lead, jurisdiction, status,
 * edition and year (of the date) its document's; a unit without the field
 * counts in none. Borrowed from the cdx_results. */
typedef struct cdx_facet_value {
  const char *value;
  size_t count;
} cdx_facet_value;
typedef struct cdx_facet {
  const char *name;
  size_t n_values, n_distinct;
  const cdx_facet_value *values;
} cdx_facet;

/* sizeof(cdx_search_options) in this library, for a binding that lays the
 * struct out itself and wants to check it. */
CDX_API size_t cdx_search_options_size(void);

/* Options for a binding that cannot lay C structs out (python/clausedex):
 * zeroed (every default), owned by the caller, freed with
 * cdx_search_options_free; NULL when out of memory. */
CDX_API cdx_search_options *cdx_search_options_new(void);
CDX_API void cdx_search_options_free(cdx_search_options *o);

/* Sets the member called `name` (k, offset, all, latest, count_only,
 * no_highlights, sort, facets, facet_limit, timeout_ms, no_stored, top_only) of
 * options from cdx_search_options_new, from its text: a decimal number of
 * at most 9 digits, 0 or 1 for the flags, a sort name (cdx_sort_from_name); facets is
 * copied. CDX_INVALID naming the member for an unknown name or a bad
 * value, which leaves the options as they were. */
CDX_API int cdx_search_options_set(cdx_search_options *o, const char *name, const char *value,
                                   cdx_error *err);

typedef struct cdx_results cdx_results;

/* Roles of a department in a unit (or-ed; docs/FACTS.md, "Departments"). */
enum cdx_dept_role {
  CDX_ROLE_LISTED = 1,       /* in the unit's （责任单位：…） list */
  CDX_ROLE_LEAD = 2,         /* listed first: the lead by the documents' rule */
  CDX_ROLE_CHAPTER_LEAD = 4, /* its chapter's （由X牵头） (the chapter unit and its clauses) */
  CDX_ROLE_SHARED = 8        /* a note gives it every following clause's duty too */
};

/* A department of a hit. Strings borrowed like the hit's. */
typedef struct cdx_hit_dept {
  const char *written;   /* as the document writes it (the first spelling) */
  const char *canonical; /* jurisdiction-free canonical name (docs/FACTS.md) */
  unsigned roles;        /* enum cdx_dept_role, or-ed */
  int matched;           /* non-zero: it satisfies a dept:, lead: or chapter_lead:
                                filter of the query (the name as written that matched) */
} cdx_hit_dept;

/* A figure of a hit's text (docs/FACTS.md, "A figure"). */
typedef struct cdx_hit_figure {
  const char *type;  /* "money", "percent", "count", "deadline" */
  const char *qual;  /* "eq", "ge", "le", "gt", "lt", "approx", "range" */
  double lo, hi;     /* base units: yuan, percent points, the measure word */
  const char *unit;  /* 元, %, 家 ...; "" for deadlines */
  const char *kind;  /* 奖励, 补贴 ... or "" */
  size_t start, end; /* byte span in the hit's text */
  int matched;       /* non-zero: it satisfies a figure filter of the query */
} cdx_hit_figure;

/* One ranked hit. Every pointer is borrowed from the cdx_results that holds
 * the hit and lives until cdx_results_free. Strings are NUL-terminated UTF-8;
 * those marked "or NULL" are NULL when unknown. */
typedef struct cdx_hit {
  size_t rank;                /* 1-based rank, counting the skipped offset */
  double score;               /* BM25 plus proximity bonus; 0 for `show` */
  const char *doc;            /* document id (source path or JSONL id) */
  const char *title;          /* never NULL (may be "") */
  const char *jurisdiction;   /* place name, or NULL */
  uint32_t jurisdiction_code; /* GB/T 2260 code, 0 when unknown */
  cdx_doc_status status;
  cdx_status_class status_class;
  int edition;            /* year, 0 when unknown */
  uint32_t date;          /* YYYYMMDD, 0 when unknown */
  const char *doc_number; /* or NULL */
  cdx_unit_kind kind;
  const char *number;  /* clause number as written, or NULL */
  const char *heading; /* or NULL */
  int ordinal;         /* 0-based order of the unit in its document */
  const char *text;    /* the unit's full text */
  size_t text_len;
  size_t n_highlights;           /* matched byte ranges in text, ascending, */
  const size_t (*highlights)[2]; /* non-overlapping: text[h[0], h[1]); the
                                   first CDX_MAX_HIGHLIGHTS of them */
  /* New members are only ever added below. */
  int chapter;                    /* 1-based chapter; 0 before the first */
  size_t n_responsible;           /* responsible units from （责任单位：…）, */
  const char *const *responsible; /* as written, in their order */
  const char *lead_department;    /* the chapter's 牵头 department, or NULL */
  /* Departments with canonical names and roles, and figures: segments of
   * format 6 on (older ones: none). */
  size_t n_departments;
  const cdx_hit_dept *departments;
  size_t n_figures;
  const cdx_hit_figure *figures;
  /* The unit's byte range in its source file, so an editor can open the
   * original at the clause (docs/CORPUS.md: the file's own bytes for UTF-8,
   * the decoded text's for other encodings); both 0 when the index does not
   * know it (a segment written before it was stored, JSON Lines input). */
  size_t source_start, source_end;
} cdx_hit;

/* Runs `query` (NUL-terminated UTF-8) on `ix`. opts may be NULL (defaults).
 * *out is owned by the caller (cdx_results_free), NULL on failure; it
 * borrows ix (document fields point into the index), so free the results
 * before cdx_index_close.
 * Errors: CDX_SYNTAX (malformed query; err->offset is the byte offset in the
 * query), CDX_ENCODING (invalid UTF-8 in the query, offset set), CDX_LIMIT
 * (query longer than CDX_QUERY_MAX_BYTES, nested deeper than
 * CDX_QUERY_MAX_DEPTH, or still running at opts->timeout_ms), CDX_INVALID
 * (an unknown facet name or sort, offset: the byte in opts->facets; NULL
 * arguments), CDX_CORRUPT / CDX_IO from the index, CDX_NOMEM. */
CDX_API int cdx_search(const cdx_index *ix, const char *query, const cdx_search_options *opts,
                       cdx_results **out, cdx_error *err);

#define CDX_QUERY_MAX_BYTES 16384 /* longer queries are typing accidents */
#define CDX_QUERY_MAX_DEPTH 256   /* nesting of parentheses and NOT */
/* Highlights held per hit: far more than a clause has, few enough that a
 * word found millions of times in a giant unit costs kilobytes. */
#define CDX_MAX_HIGHLIGHTS 4096

/* Exact number of matching units (after filters, --latest and deletions),
 * whatever k and offset were; with cdx_search_options.top_only, a lower
 * bound when cdx_results_total_exact is 0 (the matches the search looked
 * at before it stopped early). */
CDX_API size_t cdx_results_total(const cdx_results *res);
/* 1 when cdx_results_total is the exact number of matches (always without
 * top_only), 0 when the ranking stopped early and it is a lower bound. */
CDX_API int cdx_results_total_exact(const cdx_results *res);

/* Number of hits held (at most k; 0 with count_only). */
CDX_API size_t cdx_results_count(const cdx_results *res);

/* The i-th hit (i < cdx_results_count), borrowed until cdx_results_free;
 * NULL when i is out of range. */
CDX_API const cdx_hit *cdx_results_get(const cdx_results *res, size_t i);

/* Facets asked for with cdx_search_options.facets, in the order asked. */
CDX_API size_t cdx_results_facet_count(const cdx_results *res);
CDX_API const cdx_facet *cdx_results_facet(const cdx_results *res, size_t i);

/* {"type":"facet","name":...,"distinct":N,"values":[{"value":...,"count":N},...]}.
 * *out is owned by the caller (cdx_free). Errors: CDX_NOMEM. */
CDX_API int cdx_facet_to_json(const cdx_facet *f, char **out, size_t *out_len, cdx_error *err);

/* One row of `clausedex depts`:
 * {"type":"dept","jurisdiction":...,"department":...,"listed":N,"leading":N}.
 * *out is owned by the caller (cdx_free). Errors: CDX_NOMEM. */
CDX_API int cdx_dept_row_to_json(const char *jurisdiction, const char *department, size_t listed,
                                 size_t lead, char **out, size_t *out_len, cdx_error *err);

/* Accepts NULL. */
CDX_API void cdx_results_free(cdx_results *res);

/* The live document that `ref` names: its exact id; its file name; its
 * document number in any common spelling (〔2025〕, [2025], （2025）, (2025),
 * 〔２０２５〕); its short id (cdx_doc_short_id, clausedex/release.h: d and 8
 * hex digits); or a unique prefix of its file name (000 for
 * 000_6221eb15cf98cb05.txt).
 * On success *doc_id points to the id (borrowed from ix).
 * Errors: CDX_NOTFOUND, CDX_INVALID (several documents match: the message
 * names up to three), CDX_CORRUPT. */
CDX_API int cdx_index_resolve_doc(const cdx_index *ix, const char *ref, const char **doc_id,
                                  cdx_error *err);

/* The units of one document in document order, as hits with score 0 and no
 * highlights (for `clausedex show`). `doc` names the document as
 * cdx_index_resolve_doc accepts (id, file name, document number, unique
 * file-name prefix); `number` (may be NULL) keeps only the units whose
 * clause number is written that way ("（一）", "1.") or has that value ("1").
 * *out is owned by the caller (cdx_results_free). Errors: CDX_NOTFOUND
 * (no such document or clause, message names it), CDX_INVALID (ambiguous
 * name, NULL arguments), CDX_CORRUPT, CDX_IO, CDX_NOMEM. */
CDX_API int cdx_search_document(const cdx_index *ix, const char *doc, const char *number,
                                cdx_results **out, cdx_error *err);

/* The hit as one JSON object with keys rank, score, doc, title, jurisdiction,
 * jurisdiction_code, status, status_class, edition, date, doc_number, kind,
 * number, heading, ordinal, chapter, departments (the responsible units as
 * written), chapter_lead, text, highlights ([[start, end], ...] byte offsets
 * into text). *out is NUL-terminated, owned by the caller (cdx_free).
 * Errors: CDX_NOMEM. */
CDX_API int cdx_hit_to_json(const cdx_hit *hit, char **out, size_t *out_len, cdx_error *err);

/* The document fields of a hit alone, as one JSON object: doc, title,
 * jurisdiction, jurisdiction_code, status, status_class, edition, date,
 * doc_number (the same keys and types as in cdx_hit_to_json). *out is owned
 * by the caller (cdx_free). Errors: CDX_NOMEM. */
CDX_API int cdx_hit_doc_to_json(const cdx_hit *hit, char **out, size_t *out_len, cdx_error *err);

/* The parsed form of a query, e.g.
 * AND(word:以旧换新, NOT(word:港), jurisdiction:330300+), for tests and
 * `clausedex search --explain`. *out is owned by the caller (cdx_free).
 * Errors as cdx_search's syntax errors, CDX_NOMEM. */
CDX_API int cdx_query_describe(const char *query, char **out, cdx_error *err);

#ifdef __cplusplus
}
#endif
#endif
