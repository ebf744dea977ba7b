#ifndef CLAUSEDEX_RELEASE_H
#define CLAUSEDEX_RELEASE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "clausedex/errors.h"
#include "clausedex/index.h"

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Policy families, links between documents, and what a release batch
 * changed (docs/CORPUS.md "Families" and "Links", docs/FORMAT.md
 * "Reports"). Everything here is computed from an open index; nothing is
 * written into its segments, so families and links follow the documents as
 * they come and go.
 */

/* ---- Families ------------------------------------------------------------ */

typedef struct cdx_family {
  const char *key; /* "330382:推动经济高质量发展若干政策", or the
                                sidecar's family; "" for an untitled document */
  size_t n_versions;
  const cdx_index_doc *versions; /* oldest first: edition, stage
                                    (征求意见稿 < 送审稿 < final), date */
} cdx_family;

typedef struct cdx_families cdx_families;

/* The families of the live documents, ordered by key. *out owned by the
 * caller (cdx_families_free), borrowing ix. Errors: CDX_CORRUPT, CDX_NOMEM. */
CDX_API int cdx_families_collect(const cdx_index *ix, cdx_families **out, cdx_error *err);
CDX_API size_t cdx_families_count(const cdx_families *f);
CDX_API const cdx_family *cdx_families_get(const cdx_families *f, size_t i);
/* The family of a document (its id), or NULL. *version (may be NULL) gets
 * its index among the family's versions. */
CDX_API const cdx_family *cdx_families_of(const cdx_families *f, const char *doc_id,
                                          size_t *version);
CDX_API void cdx_families_free(cdx_families *f); /* accepts NULL */
/* A family as one JSON object: {"family": KEY, "versions": [{"doc",
 * "short_id", "title", "status", "edition", "date", "doc_number",
 * "latest"}, ...]}. *out owned by the caller (cdx_free). Errors: CDX_NOMEM. */
CDX_API int cdx_family_to_json(const cdx_family *f, char **out, size_t *out_len, cdx_error *err);

/* A document as people cite it: its 文号, else its short id (below), with
 * title, status and edition: "乐政发〔2025〕4号 乐清市推动…(2025年版) final 2025".
 * *out owned by the caller (cdx_free). Errors: CDX_NOMEM. */
CDX_API int cdx_doc_citation(const cdx_index_doc *d, char **out, cdx_error *err);

/* The short stable id of a document: "d" and 8 hex digits of a hash of its
 * id (the file's canonical path or the JSON Lines id), so a document
 * without a 文号 can be named without its path (cdx_index_resolve_doc
 * accepts it). out has room for CDX_SHORT_ID_LEN + 1 bytes. */
#define CDX_SHORT_ID_LEN 9
CDX_API void cdx_doc_short_id(const char *doc_id, char out[CDX_SHORT_ID_LEN + 1]);

/* ---- Links --------------------------------------------------------------- */

typedef struct cdx_link {
  const char *from;   /* the citing document's id */
  const char *to;     /* the cited document's id, or NULL: unresolved */
  const char *title;  /* the cited title as written */
  const char *number; /* the cited 文号 as written, or NULL */
  bool by_number;     /* resolved by its 文号 (else by title, issuer
                                and year) */
} cdx_link;

typedef struct cdx_links cdx_links;

/* Every cited basis of the live documents (根据《…》（…号）), resolved to a
 * live document where one fits: by 文号 (any bracket spelling), else by
 * title stem, jurisdiction and edition. A citation that fits no document,
 * or two, is kept unresolved. *out owned by the caller (cdx_links_free),
 * borrowing ix. Errors: CDX_CORRUPT, CDX_NOMEM. */
CDX_API int cdx_links_compute(const cdx_index *ix, cdx_links **out, cdx_error *err);
CDX_API size_t cdx_links_count(const cdx_links *l);
CDX_API const cdx_link *cdx_links_get(const cdx_links *l, size_t i);
/* The 文号 inferred for a document that has none: the one number every
 * citing document that resolved to it by title gives it, when the
 * citation's year agrees with the document's edition or date. NULL when
 * there is none (or the citations disagree). *sources (may be NULL) gets
 * how many citing documents gave it. Borrowed from l. */
CDX_API const char *cdx_links_inferred_number(const cdx_links *l, const char *doc_id,
                                              size_t *sources);
/* The one document whose inferred 文号 is `number` (any spelling), or NULL
 * (none, or several). Borrowed from l. */
CDX_API const char *cdx_links_find_inferred(const cdx_links *l, const char *number);
CDX_API void cdx_links_free(cdx_links *l); /* accepts NULL */

/* ---- Release reports ----------------------------------------------------- */

typedef struct cdx_report cdx_report;

/* What the commits between two snapshots of one index changed: new
 * families; new versions of known families with their transition
 * (送审稿 -> final, edition 2024 -> 2025) and, against the predecessor, the
 * clause counts of cdx_align_documents (the figures that changed first);
 * replaced and deleted documents; documents placed alone because two
 * families fit. before may be NULL (a new index). Borrows neither after the
 * call. *out owned by the caller (cdx_report_free). Errors: CDX_CORRUPT,
 * CDX_NOMEM. */
CDX_API int cdx_report_compute(const cdx_index *before, const cdx_index *after, cdx_report **out,
                               cdx_error *err);
/* The same on `threads` threads (the alignments of new versions against
 * their predecessors run in parallel; 0 or 1: the caller's thread only).
 * The report is the same for any number. */
CDX_API int cdx_report_compute_threads(const cdx_index *before, const cdx_index *after,
                                       unsigned threads, cdx_report **out, cdx_error *err);
/* True when the batch changed nothing. */
CDX_API bool cdx_report_empty(const cdx_report *r);
/* Documents of the batch placed in a family of their own because two
 * families fit (their ids, borrowed from r). */
CDX_API size_t cdx_report_ambiguous(const cdx_report *r, const char *const **ids);

typedef enum cdx_report_format {
  CDX_REPORT_TEXT = 0, /* the terminal summary: one screen */
  CDX_REPORT_MD = 1,   /* Markdown, every entry */
  CDX_REPORT_JSON = 2  /* one JSON object (docs/FORMAT.md "Reports") */
} cdx_report_format;

/* *out NUL-terminated, owned by the caller (cdx_free). Errors: CDX_NOMEM. */
CDX_API int cdx_report_render(const cdx_report *r, cdx_report_format fmt, char **out, size_t *len,
                              cdx_error *err);

/* Stores the report of the batch `after` showed in dir as
 * report-BATCH.json and report-BATCH.md (written atomically; a crash
 * before them leaves the commit without a report, never a torn one).
 * Errors: CDX_IO, CDX_NOMEM. */
CDX_API int cdx_report_store(const char *dir, const cdx_report *r, cdx_error *err);
CDX_API void cdx_report_free(cdx_report *r); /* accepts NULL */

/* The stored reports of dir from batch `since` on (0: all) and committed at
 * or after `since_time` (Unix seconds; 0: any), oldest first: for each,
 * batch, timestamp and the stored text in the format asked (MD or JSON).
 * fn returns non-zero to stop. Errors: CDX_IO, CDX_CORRUPT (a report file
 * that does not parse), CDX_NOMEM. */
typedef int (*cdx_report_fn)(void *ctx, uint64_t batch, uint64_t timestamp, const char *text,
                             size_t len);
CDX_API int cdx_report_each(const char *dir, uint64_t since, uint64_t since_time,
                            cdx_report_format fmt, cdx_report_fn fn, void *ctx, cdx_error *err);

#ifdef __cplusplus
}
#endif
#endif
