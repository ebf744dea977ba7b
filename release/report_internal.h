/* report_internal.h - the release report's entries (release/report.c fills
 * them, release/report_render.c holds and renders them). Every string is
 * a copy: a report outlives the indexes it was computed from. */
#ifndef CDX_REPORT_INTERNAL_H
#define CDX_REPORT_INTERNAL_H

#include "clausedex/align.h"
#include "clausedex/release.h"

typedef struct rep_doc {
  char *id, *title, *doc_number;
  char short_id[CDX_SHORT_ID_LEN + 1];
  cdx_doc_status status;
  int edition;
} rep_doc;

typedef struct rep_docs {
  rep_doc *v;
  size_t n, cap;
} rep_docs;

typedef struct rep_family {
  char *key;
  rep_docs docs;
} rep_family;

typedef struct rep_figure {
  char *context, *a, *b;
} rep_figure;

typedef struct rep_version {
  char *family;
  rep_doc doc, pred;
  char transition[96];
  const char *kind; /* "edition", "stage", "version" (static) */
  bool has_counts;
  bool not_compared;         /* past the report's limit (REPORT_MAX_COMPARED): no counts */
  size_t rel[CDX_REL_COUNT]; /* cdx_alignment_relation_count */
  rep_figure *figs;
  size_t n_figs, cap_figs;
} rep_version;

typedef struct rep_link {
  char *from, *to, *title, *number; /* to, number may be NULL */
  bool by_number;
} rep_link;

typedef struct rep_inferred {
  rep_doc doc;
  char *number;
  size_t sources;
} rep_inferred;

/* New versions aligned with their predecessors per report, in family
 * order. Aligning takes ~13 ms a pair (1 GB generated corpus), so a first
 * batch of a whole corpus (60,844 versions there) would otherwise spend 13
 * minutes after its commit on a report nobody reads to the end; a weekly
 * batch of releases stays far below it. */
#define REPORT_MAX_COMPARED 1000
/* Entries listed per section (new families, new versions, replaced,
 * deleted, placed alone, links, inferred numbers) in the JSON and Markdown
 * forms; the rest are counted in "omitted". A first batch of 332,881
 * poems otherwise stored 132 MB of report beside a 200 MB index. */
#define REPORT_MAX_LISTED 1000

/* How much of a batch a report aligns and lists (tests lower both). */
typedef struct rep_limits {
  size_t max_compared, max_listed;
} rep_limits;

struct cdx_report {
  uint64_t batch_from, batch, timestamp;
  size_t max_listed; /* rep_limits.max_listed */
  rep_family *fams;
  size_t n_fams, cap_fams;
  rep_version *vers;
  size_t n_vers, cap_vers;
  rep_docs replaced, deleted, ambiguous;
  rep_link *links;
  size_t n_links, cap_links;
  rep_inferred *inf;
  size_t n_inf, cap_inf;
  const char **ambiguous_ids;
  char *json, *md, *text; /* the renderings, made by rep_finish */
};

/* cdx_report_compute_threads within lim (the library's: REPORT_MAX_COMPARED
 * and REPORT_MAX_LISTED). */
int rep_compute(const cdx_index *before, const cdx_index *after, unsigned threads,
                const rep_limits *lim, cdx_report **out, cdx_error *err);

int rep_add_doc(rep_docs *to, const cdx_index_doc *d, cdx_error *err);
int rep_add_family(cdx_report *r, const char *key, const cdx_index_doc *first, cdx_error *err);
/* Adds d to the family rep_add_family added last. */
int rep_family_add_doc(cdx_report *r, const cdx_index_doc *d, cdx_error *err);
int rep_add_version(cdx_report *r, const char *family, const cdx_index_doc *pred,
                    const cdx_index_doc *d, rep_version **out, cdx_error *err);
int rep_version_add_figure(rep_version *v, const cdx_figure_change *f, cdx_error *err);
int rep_add_link(cdx_report *r, const cdx_link *l, cdx_error *err);
int rep_add_inferred(cdx_report *r, const cdx_index_doc *d, const char *number, size_t sources,
                     cdx_error *err);
/* Orders the entries (most changed figures first) and renders them. */
int rep_finish(cdx_report *r, cdx_error *err);

#endif
