#ifndef CLAUSEDEX_ALIGN_H
#define CLAUSEDEX_ALIGN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "clausedex/errors.h"
#include "clausedex/search.h"

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Clause alignment: what changed between two versions of a policy, which
 * clauses a county adopted from its city, which units elsewhere say the same
 * thing. The method, its scores and thresholds are in docs/ALIGN.md.
 *
 * Units are compared by content, never by their numbers: text folded as the
 * analyzer folds it (Traditional -> Simplified, full -> half width), with
 * punctuation, white space, the clause number and the （责任单位：…） note
 * left out of the similarity. Units are paired by an order-preserving
 * assignment (a Needleman-Wunsch pass over the unit sequences), then a pass
 * for moves and one for merges and splits.
 *
 * Every unit of an alignment is a cdx_hit (search.h) owned by the alignment:
 * doc, kind, number, heading, ordinal, text and the responsible units.
 */

typedef enum cdx_relation {
  CDX_REL_SAME = 0,    /* identical after folding (numbers may differ) */
  CDX_REL_CHANGED = 1, /* the same unit, its text changed */
  CDX_REL_MOVED = 2,   /* same or changed, in another place or chapter */
  CDX_REL_MERGED = 3,  /* one of several units of A that became one of B */
  CDX_REL_SPLIT = 4,   /* one unit of A that became several of B */
  CDX_REL_ADDED = 5,   /* only in B */
  CDX_REL_REMOVED = 6  /* only in A */
} cdx_relation;
#define CDX_REL_COUNT 7

/* "same", "changed", "moved", "merged", "split", "added", "removed";
 * static storage; NULL for a value out of range. */
CDX_API const char *cdx_relation_name(cdx_relation rel);
/* The relation named s, or -1. */
CDX_API int cdx_relation_from_name(const char *s);

/* One step of the character diff of a pair. Byte ranges are into the
 * ORIGINAL texts (a->text, b->text), always whole characters: EQUAL has
 * both ranges, DELETE only a's (b_start == b_end), INSERT only b's. The
 * comparison itself is on folded characters without punctuation or white
 * space, so width, script and punctuation never make a change; an EQUAL
 * range can therefore hold punctuation that differs from the other side's. */
typedef enum cdx_edit_op {
  CDX_EDIT_EQUAL = 0,
  CDX_EDIT_DELETE = 1,
  CDX_EDIT_INSERT = 2
} cdx_edit_op;
typedef struct cdx_edit {
  cdx_edit_op op;
  size_t a_start, a_end;
  size_t b_start, b_end;
} cdx_edit;

/* A figure (amount, percentage, count, deadline) whose value changed, or
 * that only one side states. a / b are the figures as people write them
 * ("15亿元", "≥2个", "3月底前"), NULL on the side that lacks it; the spans are
 * byte ranges of the figure in a->text / b->text (0, 0 when absent);
 * context is the words before the figure ("政策性银行信贷"). */
typedef struct cdx_figure_change {
  const char *context;
  const char *a, *b;
  size_t a_start, a_end, b_start, b_end;
} cdx_figure_change;

typedef enum cdx_dept_change_kind {
  CDX_DEPT_ADDED = 0,   /* responsible in B only */
  CDX_DEPT_REMOVED = 1, /* responsible in A only */
  CDX_DEPT_LEAD = 2     /* the lead (first listed) changed to this one */
} cdx_dept_change_kind;
typedef struct cdx_dept_change {
  cdx_dept_change_kind kind;
  const char *name; /* as written in B (A for a removal) */
} cdx_dept_change;

/* One pair. For merged/split groups there is one pair per unit of the
 * larger side, all with the same group number (> 0) and the same unit on
 * the other side; group is 0 for every other pair. */
typedef struct cdx_align_pair {
  cdx_relation relation;
  double similarity;    /* 0..1 (1 = identical after folding) */
  const cdx_hit *a, *b; /* NULL for added / removed */
  int group;
  bool text_changed; /* false for same, and for a moved unit whose
                                 text is unchanged */
  size_t n_edits;
  const cdx_edit *edits; /* empty unless text_changed */
  size_t n_figures;
  const cdx_figure_change *figures;
  size_t n_depts;
  const cdx_dept_change *depts;
} cdx_align_pair;

typedef struct cdx_alignment cdx_alignment;

typedef struct cdx_align_options {
  double threshold; /* least similarity for two units to pair; 0 means
                         the default (docs/ALIGN.md) */
  int no_edits;     /* non-zero: no character diff (n_edits is 0), for
                         callers that want only relations and figures */
} cdx_align_options;

/* Aligns document doc_a with doc_b of ix. Each is named as
 * cdx_index_resolve_doc (search.h) accepts. opts may be NULL. *out is owned by the
 * caller (cdx_alignment_free) and borrows ix (close it after).
 * Errors: CDX_NOTFOUND (no such document: message names it), CDX_INVALID
 * (ambiguous name, listing candidates; the same document twice; a document
 * without units), CDX_CORRUPT, CDX_IO, CDX_NOMEM. */
CDX_API int cdx_align_documents(const cdx_index *ix, const char *doc_a, const char *doc_b,
                                const cdx_align_options *opts, cdx_alignment **out, cdx_error *err);

/* Aligns two unit lists (each a document's units in order, as
 * cdx_search_document returns them). Takes ownership of a and b (freed with
 * the alignment, also on failure). Errors: CDX_NOMEM, CDX_INVALID. */
CDX_API int cdx_align_results(cdx_results *a, cdx_results *b, const cdx_align_options *opts,
                              cdx_alignment **out, cdx_error *err);

/* Pairs in B's order (a removed unit after the B unit its predecessor in A
 * was paired with). */
CDX_API size_t cdx_alignment_count(const cdx_alignment *al);
CDX_API const cdx_align_pair *cdx_alignment_get(const cdx_alignment *al, size_t i);
/* Number of pairs with that relation. */
CDX_API size_t cdx_alignment_relation_count(const cdx_alignment *al, cdx_relation rel);
/* The units of side 0 (A) or 1 (B), borrowed. */
CDX_API const cdx_results *cdx_alignment_side(const cdx_alignment *al, int side);
CDX_API void cdx_alignment_free(cdx_alignment *al); /* accepts NULL */

/* One pair as a JSON object: {"type":"pair","relation":...,"similarity":...,
 * "group":...,"a":UNIT|null,"b":UNIT|null,"changes":[...],"figures":[...],
 * "departments":[...]} (docs/ALIGN.md). *out NUL-terminated, owned by the
 * caller (cdx_free). Errors: CDX_NOMEM. */
CDX_API int cdx_align_pair_to_json(const cdx_align_pair *p, char **out, size_t *out_len,
                                   cdx_error *err);

/* ---- Similar units across the index -------------------------------------- */

typedef struct cdx_similar_options {
  size_t k;              /* units to return; 0 means 10 */
  const char *filter;    /* query-language filters (jurisdiction:温州市 status:final)
                          or NULL */
  int latest;            /* only the latest version of each policy family */
  double min_similarity; /* drop units below this; 0 means the pairing
                            threshold of the aligner */
} cdx_similar_options;

typedef struct cdx_similar_hit {
  double similarity;
  const cdx_hit *hit; /* borrowed from the results */
} cdx_similar_hit;

typedef struct cdx_similar_results cdx_similar_results;

/* The units most similar to a unit, most similar first. Either `citation`
 * names the unit (DOC#NUMBER, as for clausedex show; the unit itself is left
 * out of the results) or `text` (len bytes of UTF-8) is the text to match.
 * The index is asked for candidates by the rarest bigrams of the text, then
 * each candidate is scored exactly; the cost does not grow with the number
 * of units that share only common words. *out is owned by the caller
 * (cdx_similar_free) and borrows ix. Errors: CDX_NOTFOUND, CDX_INVALID (bad
 * citation, empty text, ambiguous document), CDX_SYNTAX (bad filter, with
 * its offset in the filter string), CDX_ENCODING, CDX_CORRUPT, CDX_NOMEM. */
CDX_API int cdx_similar(const cdx_index *ix, const char *citation, const char *text, size_t len,
                        const cdx_similar_options *opts, cdx_similar_results **out, cdx_error *err);
CDX_API size_t cdx_similar_count(const cdx_similar_results *r);
CDX_API const cdx_similar_hit *cdx_similar_get(const cdx_similar_results *r, size_t i);
/* The unit that was matched (NULL when text was given), borrowed. */
CDX_API const cdx_hit *cdx_similar_source(const cdx_similar_results *r);
CDX_API void cdx_similar_free(cdx_similar_results *r); /* accepts NULL */

/* ---- Coverage: which jurisdictions adopted each clause -------------------- */

typedef struct cdx_coverage_match {
  const char *jurisdiction; /* borrowed */
  uint32_t jurisdiction_code;
  const cdx_align_pair *pair; /* the clause's pair with that jurisdiction's
                                   document (relation, similarity, figures);
                                   pair->b is the matching unit */
} cdx_coverage_match;

typedef struct cdx_coverage_row {
  const cdx_hit *unit; /* a clause of the document */
  size_t n_matches;
  const cdx_coverage_match *matches;
  size_t n_missing; /* jurisdictions with no matching unit */
  const char *const *missing;
} cdx_coverage_row;

typedef struct cdx_coverage cdx_coverage;

/* For every clause of document `doc`, the jurisdictions strictly below
 * `under` (a place name or GB/T 2260 code) whose latest policies have a
 * matching unit, and those that have none. The latest documents under the
 * place whose title is the document's (place names aside: each
 * jurisdiction's version of one policy) are aligned with `doc` as
 * cdx_align_documents does; a jurisdiction with several counts its best
 * match, one with none lacks every clause. *out owned by the
 * caller (cdx_coverage_free). Errors: CDX_NOTFOUND (document or place),
 * CDX_INVALID, CDX_CORRUPT, CDX_NOMEM. */
CDX_API int cdx_coverage_compute(const cdx_index *ix, const char *doc, const char *under,
                                 const cdx_align_options *opts, cdx_coverage **out, cdx_error *err);
CDX_API size_t cdx_coverage_count(const cdx_coverage *cv);
CDX_API const cdx_coverage_row *cdx_coverage_get(const cdx_coverage *cv, size_t i);
/* The jurisdictions considered (those with a latest document under the place). */
CDX_API size_t cdx_coverage_jurisdictions(const cdx_coverage *cv, const char *const **names);
CDX_API void cdx_coverage_free(cdx_coverage *cv); /* accepts NULL */

/* A row as one JSON object: {"type":"clause","unit":UNIT,"matches":[
 * {"jurisdiction":..., "jurisdiction_code":..., "pair":PAIR}...],
 * "missing":[names]} with UNIT and PAIR as in cdx_align_pair_to_json.
 * *out owned by the caller (cdx_free). Errors: CDX_NOMEM. */
CDX_API int cdx_coverage_row_to_json(const cdx_coverage_row *row, char **out, size_t *out_len,
                                     cdx_error *err);

#ifdef __cplusplus
}
#endif
#endif
