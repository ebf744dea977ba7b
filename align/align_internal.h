/*
 * align/: clause alignment (include/clausedex/align.h; method in
 * docs/ALIGN.md). Private interface of the module, bottom up:
 *   prep.c      - a unit's text folded for comparison: code points without
 *                 punctuation or space, each with its byte range in the
 *                 original text; the clause number and the responsible-unit
 *                 note marked off; bigram shingles;
 *   match.c     - the pairing: order-preserving assignment, moves, merges;
 *   diff.c      - the character diff of two prepared units;
 *   changes.c   - changed figures and responsible units of a pair;
 *   alignment.c - the public cdx_align_* API, ordering, JSON;
 *   resolve.c   - naming a document (id, file name, 文号, prefix);
 *   similar.c, coverage.c - the index-wide uses.
 */
#ifndef CDX_ALIGN_INTERNAL_H
#define CDX_ALIGN_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "clausedex/align.h"
#include "clausedex/analyzer.h"
#include "clausedex/index.h"
#include "common/common.h"

/* Default least similarity (Dice over bigram shingles) for two units to be
 * the same unit; why this value: docs/ALIGN.md. */
#define CDX_ALIGN_THRESHOLD 0.30
/* Least Dice of two titles (place names out) for coverage to compare the
 * policies: one name, re-issued by each jurisdiction. */
#define CDX_COVERAGE_TITLE 0.50
/* Least Dice of two headings for the heading to raise a similarity. */
#define CDX_ALIGN_HEADING 0.60
/* Merges and splits (match.c, find_groups): the least share of a unit's
 * shingles found in one unit of the other side for it to count as merged
 * into a unit that already has a partner; the least share for a part of
 * a merge into a unit without one; and how much of that unit the parts
 * must cover together. */
#define CDX_ALIGN_CONTAIN 0.60
#define CDX_ALIGN_CONTAIN_PART 0.20
#define CDX_ALIGN_COVER 0.35

/* Text of a unit compared, at most: a giant unit (a whole file on one
 * line) is compared by its first CDX_ALIGN_UNIT_BYTES, so the aligner's
 * memory (about 20 bytes per character) stays bounded; it gets no
 * character diff or figures, and counts as the same only when its bytes
 * are. Real clauses are a few KiB. */
#define CDX_ALIGN_UNIT_BYTES (256u * 1024)

/* A unit prepared for comparison. */
typedef struct cdx_al_unit {
  const cdx_hit *hit;
  uint32_t *cp;      /* folded code points, no punctuation or space */
  size_t *src;       /* 2 per code point: [start, end) in hit->text */
  size_t n;          /* code points */
  size_t body_start; /* first code point after the clause number */
  size_t body_end;   /* end of the text before the responsible-unit note */
  uint64_t *sh;      /* sorted distinct shingles of [body_start, body_end) */
  size_t n_sh;
  uint64_t *hsh; /* sorted distinct shingles of the heading */
  size_t n_hsh;
  bool truncated; /* only the first CDX_ALIGN_UNIT_BYTES were read */
} cdx_al_unit;

/* Prepares u for h (borrowed; must outlive u). Errors: CDX_NOMEM, CDX_ICU,
 * CDX_ENCODING. */
int cdx_al_unit_prepare(const cdx_hit *h, cdx_al_unit *u, cdx_error *err);
void cdx_al_unit_clear(cdx_al_unit *u);

/* Folded text only, for a text that is not a unit (similar TEXT): the whole
 * text is the body. */
int cdx_al_text_prepare(const char *text, size_t len, cdx_al_unit *u, cdx_error *err);

/* Sorts v[0..n) ascending. */
void cdx_al_sort_u64(uint64_t *v, size_t n);

/* Shared shingles of two units. */
size_t cdx_al_common(const cdx_al_unit *a, const cdx_al_unit *b);
/* Similarity of two units from the shingles they share: the Dice
 * coefficient of the bodies, raised towards the headings' Dice when that is
 * higher and at least CDX_ALIGN_HEADING (max(body, (body + heading) / 2)):
 * a county that keeps a city clause's heading and rewrites its body adopted
 * that clause. 1 when the texts are equal. `common` is cdx_al_common(a, b). */
double cdx_al_similarity_from(const cdx_al_unit *a, const cdx_al_unit *b, size_t common);
double cdx_al_similarity(const cdx_al_unit *a, const cdx_al_unit *b);
/* True when the folded texts, numbers aside, are identical. */
bool cdx_al_same_text(const cdx_al_unit *a, const cdx_al_unit *b);

/* A pair found by the matcher (indexes into the unit arrays; -1 = none). */
typedef struct cdx_al_link {
  int a, b;
  cdx_relation rel;
  double sim;
  int group;
} cdx_al_link;

/* Pairs na units of A with nb of B. *links (malloc'd, owned by the caller)
 * gets every unit of both sides exactly once, merged/split units once each.
 * Errors: CDX_NOMEM. */
int cdx_al_match(const cdx_al_unit *a, size_t na, const cdx_al_unit *b, size_t nb, double threshold,
                 cdx_al_link **links, size_t *n_links, cdx_error *err);

/* Character diff of the whole folded texts (numbers aside) as edits in
 * original byte ranges. *edits malloc'd, owned by the caller. Errors:
 * CDX_NOMEM. */
int cdx_al_diff(const cdx_al_unit *a, const cdx_al_unit *b, cdx_edit **edits, size_t *n,
                cdx_error *err);

/* Changed figures and responsible units of a pair. Strings are allocated in
 * one arena per alignment (cdx_al_strings). */
typedef struct cdx_al_strings {
  char **blocks;
  size_t n, cap;
} cdx_al_strings;
const char *cdx_al_strdup(cdx_al_strings *s, const char *p, size_t n);
void cdx_al_strings_free(cdx_al_strings *s);

int cdx_al_figure_changes(const cdx_al_unit *a, const cdx_al_unit *b, cdx_al_strings *strs,
                          cdx_figure_change **out, size_t *n, cdx_error *err);
/* Names are borrowed from the hits. */
int cdx_al_dept_changes(const cdx_hit *a, const cdx_hit *b, cdx_dept_change **out, size_t *n,
                        cdx_error *err);

/* The prepared units of r, in its order; *units (malloc'd) holds *n of
 * them also on failure (clear each, then free). Errors: CDX_NOMEM, CDX_ICU. */
int cdx_al_prepare_side(const cdx_results *r, cdx_al_unit **units, size_t *n, cdx_error *err);
/* An alignment whose side A (ra and its prepared units ua) is borrowed
 * from the caller and must outlive it, so one document is prepared once
 * for many alignments (coverage); takes ownership of rb. */
int cdx_al_align_prepared(const cdx_results *ra, cdx_al_unit *ua, size_t na, cdx_results *rb,
                          const cdx_align_options *opts, cdx_alignment **out, cdx_error *err);

/* JSON pieces shared by the alignment and coverage writers (alignment.c):
 * a unit (UNIT of docs/ALIGN.md) and a pair. */
void cdx_al_unit_json(int *rc, cdx_buf *b, const cdx_hit *h);
void cdx_al_pair_json(int *rc, cdx_buf *b, const cdx_align_pair *p);

#endif
