/*
 * query/: query string -> parsed tree -> posting iterators -> ranked,
 * highlighted hits. Private to the library; the public face is
 * include/clausedex/search.h.
 *
 * Map of the module:
 *   parse.c        the query language -> cdx_q_node tree (CDX_SYNTAX errors)
 *   ast.c          node lifetime and describe() strings
 *   qanalyze.c     a query word -> the analyzer's token sequence + positions
 *   iter.c         the one posting-iterator shape, and term leaves
 *   union_postings.c  one character = the union of the terms starting with it
 *   op_and.c op_or.c op_not.c op_phrase.c op_filter.c   one operator each
 *   score_bm25.c   BM25 and the proximity bonus
 *   snippet.c      highlights and verification against folded text
 *   search.c       cdx_search, in the files search_state.h lists: leaves over
 *                  the index reader, filters, compilation, top-k, hits, JSON
 */
#ifndef CDX_QUERY_H
#define CDX_QUERY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "clausedex/analyzer.h"
#include "clausedex/search.h"
#include "common/common.h"

/* ---- Interface to query/parse.c and query/ast.c ---- */

typedef enum cdx_q_kind {
  CDX_Q_WORD,   /* a run of text without spaces: matched as folded substring */
  CDX_Q_PHRASE, /* "quoted text": the same, spaces allowed */
  CDX_Q_AND,
  CDX_Q_OR,
  CDX_Q_NOT, /* one kid; only valid as a non-first kid of AND */
  CDX_Q_FILTER
} cdx_q_kind;

typedef enum cdx_q_field {
  CDX_F_JURISDICTION,
  CDX_F_STATUS,
  CDX_F_EDITION,
  CDX_F_DATE,
  CDX_F_DOC,
  CDX_F_DEPT,
  CDX_F_KIND,
  /* facts (query/fact_filter.c) */
  CDX_F_LEAD,
  CDX_F_CHAPTER_LEAD,
  CDX_F_AMOUNT,
  CDX_F_PERCENT,
  CDX_F_COUNT,
  CDX_F_AMOUNT_KIND,
  CDX_F_PERCENT_KIND,
  CDX_F_COUNT_KIND
} cdx_q_field;

/* Bits of cdx_q_node.mask for status: 1 << cdx_doc_status; for kind:
 * 1 << cdx_unit_kind. */

typedef struct cdx_q_node {
  cdx_q_kind kind;
  size_t offset; /* byte offset of the node in the query */
  char *text;    /* WORD/PHRASE: raw text; DOC/DEPT: value */
  size_t text_len;
  cdx_q_field field; /* FILTER */
  uint32_t *codes;   /* JURISDICTION: places (each with its subtree) */
  size_t n_codes;
  unsigned mask;            /* STATUS, KIND */
  int64_t lo, hi;           /* EDITION (years), DATE (YYYYMMDD), inclusive */
  struct cdx_q_node **kids; /* AND/OR/NOT */
  size_t n_kids;
  /* Fact filters (query/fact_filter.c): DEPT/LEAD/CHAPTER_LEAD: canon is
   * the canonical name, prefix for NAME*; AMOUNT/PERCENT/COUNT: the values
   * [vlo, vhi] (strict: > or <), canon the measure word of a count or NULL
   * (any); *_KIND: canon is the kind. */
  char *canon;
  char *fkind; /* AMOUNT/PERCENT/COUNT: and of this kind, or NULL */
  bool prefix, lo_strict, hi_strict;
  double vlo, vhi;
} cdx_q_node;

/* Parses query[0..len). *out owned by the caller (cdx_q_node_free).
 * Errors: CDX_SYNTAX / CDX_ENCODING / CDX_LIMIT with err->offset. */
int cdx_q_parse(const char *query, size_t len, cdx_q_node **out, cdx_error *err);
void cdx_q_node_free(cdx_q_node *n);
/* Appends the node's description (see cdx_query_describe). */
void cdx_q_node_describe(const cdx_q_node *n, int *rc, cdx_buf *b);
const char *cdx_q_field_name(cdx_q_field f);
/* Drops the repeated kids of every AND and OR (equal subtrees: the same
 * words, phrases, filters and groups as written), keeping the first, so
 * that a query's cost follows its distinct parts: `a AND a` is `a`, `a OR
 * a` is `a`, and a repeated word is scored once. A NOT kid is compared with
 * the NOTs. false when out of memory (the tree then means the same query,
 * partly deduplicated). */
bool cdx_q_dedup(cdx_q_node *n);

/* ---- Interface to query/fact_filter.c: departments and figures ---- */

typedef struct cdx_q_it cdx_q_it;

/* True for the fields fact_filter.c parses and compiles. */
bool cdx_q_fact_field(cdx_q_field f);
/* Parses the value v[0..n) (at: its byte offset in the query) of a fact
 * field into node (field set). Errors: CDX_SYNTAX naming the byte, CDX_NOMEM. */
int cdx_q_fact_parse(cdx_q_node *node, const char *v, size_t n, size_t at, cdx_error *err);
/* In an AND with a figure filter, a word that is a kind name (补贴, 奖励 ...)
 * also matches a figure of the filter that has that kind: the word becomes
 * OR(word, the filter with that kind). Errors: CDX_NOMEM. */
int cdx_q_fact_kind_words(cdx_q_node *and, cdx_error *err);
/* Appends the parsed value for describe(). */
void cdx_q_fact_describe(const cdx_q_node *n, int *rc, cdx_buf *b);

/* True when figure f satisfies the figure filter n (AMOUNT ... COUNT_KIND). */
struct cdx_ix_figure;
bool cdx_q_fact_figure_matches(const cdx_q_node *n, const struct cdx_ix_figure *f);

/* Opens the posting leaf of a field term (prefix: the union of the terms
 * starting with it), the way search.c opens words. */
typedef int (*cdx_q_leaf_fn)(void *ctx, const char *term, size_t len, bool prefix, cdx_q_it **out,
                             cdx_error *err);
/* The iterator of fact filter n in segment seg of ix: a field term's
 * postings for departments, a predicate over the figures otherwise.
 * CDX_NOTFOUND (nothing set) when the segment has no facts (a version
 * before 6) and the caller has an older way to answer. */
int cdx_q_fact_compile(const cdx_index *ix, size_t seg, const cdx_q_node *n, cdx_q_leaf_fn leaf,
                       void *leaf_ctx, cdx_q_it **out, cdx_error *err);

/* Hit fields from the unit's facts: departments and figures (allocated;
 * cdx_q_hit_facts_free). Errors: CDX_CORRUPT, CDX_NOMEM. */
int cdx_q_hit_facts(const cdx_index *ix, size_t seg, uint32_t unit, cdx_hit *h, cdx_error *err);
void cdx_q_hit_facts_free(cdx_hit *h);
/* Marks the hit's figures that satisfy a positive figure filter of the
 * query and widens its highlights to cover every matched figure and every
 * figure a highlight touches (不低于50% whole, with its %). */
int cdx_q_hit_mark_figures(const cdx_q_node *root, cdx_hit *h, cdx_error *err);
/* ,"depts":[...],"lead":...,"figures":[...] of a hit's JSON. */
void cdx_q_hit_facts_json(int *rc, cdx_buf *b, const cdx_hit *h);

/* ---- Interface to query/facets.c: facets and sort keys ---- */

typedef struct cdx_q_facets cdx_q_facets;
/* The jurisdiction facet's value of a place code: its name, or when other
 * places share that name its parent's name and its own (济南市市中区),
 * with the code after them (（370103）) when that pair is shared too;
 * "-" for 0, the six digits for a code the gazetteer lacks. Returns the
 * gazetteer's string or buf (of CDX_Q_PLACE_VALUE_MAX bytes). */
#define CDX_Q_PLACE_VALUE_MAX 160
const char *cdx_q_place_value(uint32_t code, char *buf, size_t cap);
/* Parses the facet list (names separated by ','). Errors: CDX_INVALID
 * (unknown or repeated name; err->offset its byte in names), CDX_NOMEM. */
int cdx_q_facets_new(const char *names, size_t limit, cdx_q_facets **out, cdx_error *err);
void cdx_q_facets_free(cdx_q_facets *fs);
/* Counts one matching unit (segments in ascending order). */
int cdx_q_facets_add(cdx_q_facets *fs, const cdx_index *ix, size_t seg, uint32_t unit,
                     cdx_error *err);
/* After the last unit of a segment (also called by add and finish). */
int cdx_q_facets_segment_done(cdx_q_facets *fs, const cdx_index *ix, cdx_error *err);
/* After the last unit: sorts the values. */
int cdx_q_facets_finish(cdx_q_facets *fs, const cdx_index *ix, cdx_error *err);
size_t cdx_q_facets_count(const cdx_q_facets *fs);
const cdx_facet *cdx_q_facets_get(const cdx_q_facets *fs, size_t i);
/* The key of cdx_search_options.sort (not SCORE) for a unit: larger first. */
double cdx_q_sort_key(const cdx_index *ix, size_t seg, uint32_t unit, int sort);

/* ---- Interface to query/qanalyze.c ---- */

/* A query word as the index sees it: terms at relative positions. */
typedef struct cdx_q_tok {
  char *term; /* normalised, NUL-terminated, owned */
  size_t term_len;
  uint32_t rel;      /* position relative to the first token */
  size_t start, end; /* bytes in the word text */
  cdx_token_type type;
} cdx_q_tok;

typedef struct cdx_q_word {
  cdx_q_tok *toks;
  size_t n_toks;
  char *folded; /* cdx_fold_text of the whole word */
  size_t folded_len;
  char *core; /* fold of text[first tok start, last tok end) */
  size_t core_len;
  bool phrase;       /* spaces in the pattern match any white space */
  bool needs_verify; /* token positions alone cannot prove a match */
} cdx_q_word;

/* Analyzes text with `an` (created WITHOUT the unigram flag: a query run of
 * 2+ CJK characters is its bigram chain; a 1-char run is its unigram, a
 * token of type CDX_TOKEN_CJK_UNIGRAM that the search opens as the union of
 * the terms starting with it, see cdx_ix_segment_char_by_prefix).
 * A word that yields no token (only punctuation) gets n_toks == 0.
 * Errors: CDX_ENCODING, CDX_NOMEM, CDX_ICU. */
int cdx_q_word_analyze(cdx_analyzer *an, const char *text, size_t len, bool phrase, cdx_q_word *w,
                       cdx_error *err);
void cdx_q_word_clear(cdx_q_word *w);

/* ---- Interface to query/snippet.c ---- */

/* True when the folded pattern occurs in folded text (for a phrase, each
 * white-space run of the pattern matches zero or more white-space bytes). */
bool cdx_q_folded_contains(const char *text, size_t text_len, const cdx_q_word *w);

/* Highlights: byte ranges of text where one of the words occurs, merged and
 * sorted, the first CDX_MAX_HIGHLIGHTS of them. The unit text is re-analyzed
 * with the unigram flag (same positions as the index), a window at a time,
 * and each token occurrence is accepted when the folded slice equals the
 * word's core. *out is malloc'ed (free()), pairs of offsets. */
int cdx_q_highlight(cdx_analyzer *an, const char *text, size_t len, const cdx_q_word *const *words,
                    size_t n_words, size_t (**out)[2], size_t *n_out, cdx_error *err);

/* ---- Interface to query/iter.c and the operators ---- */

#define CDX_Q_END UINT32_MAX

/* The one iterator shape for leaves and operators (Xapian's PostList): it
 * starts before its first unit; next() moves to the next matching unit;
 * seek(t) moves to the first matching unit >= t, never backwards (a no-op
 * when already there); docid is CDX_Q_END when exhausted; cost estimates
 * the number of units it yields, used to order intersections. */
typedef struct cdx_q_it_vt {
  int (*next)(cdx_q_it *it, cdx_error *err);
  int (*seek)(cdx_q_it *it, uint32_t target, cdx_error *err);
  void (*destroy)(cdx_q_it *it);
  void (*describe)(const cdx_q_it *it, int *rc, cdx_buf *b);
  /* Confirms the current unit with the expensive check (stored text) that
   * next/seek skip; NULL when positions are proof. AND calls it once all its
   * children agree, so filters and the other words go first. */
  int (*confirm)(cdx_q_it *it, bool *ok, cdx_error *err);
  /* For the iterators of one word (a term leaf, a PHRASE): its frequency in
   * the current unit, and the ascending start positions of its occurrences
   * there (tf of them), valid until the iterator moves. NULL for operators
   * that have neither (AND, OR, NOT, filters: cdx_q_tf gives 0). */
  uint32_t (*tf)(cdx_q_it *it);
  int (*positions)(cdx_q_it *it, const uint32_t **pos, size_t *n, cdx_error *err);
} cdx_q_it_vt;

struct cdx_q_it {
  const cdx_q_it_vt *vt;
  uint32_t docid;
  bool started;
  uint64_t cost;
};

static inline int cdx_q_next(cdx_q_it *it, cdx_error *err) { return it->vt->next(it, err); }
static inline int cdx_q_seek(cdx_q_it *it, uint32_t t, cdx_error *err) {
  if (it->started && it->docid >= t) return CDX_OK;
  return it->vt->seek(it, t, err);
}
static inline int cdx_q_confirm(cdx_q_it *it, bool *ok, cdx_error *err) {
  *ok = true;
  return it->vt->confirm ? it->vt->confirm(it, ok, err) : CDX_OK;
}
static inline uint32_t cdx_q_tf(cdx_q_it *it) { return it->vt->tf ? it->vt->tf(it) : 0; }
static inline int cdx_q_positions(cdx_q_it *it, const uint32_t **pos, size_t *n, cdx_error *err) {
  if (!it->vt->positions) {
    *pos = NULL;
    *n = 0;
    return CDX_OK;
  }
  return it->vt->positions(it, pos, n, err);
}
void cdx_q_it_free(cdx_q_it *it);
void cdx_q_it_describe(const cdx_q_it *it, int *rc, cdx_buf *b);

/* A source of postings for one term in one segment (the index reader's
 * iterator, or an in-memory list in tests). */
/* One posting block's bounds: its last unit, its largest tf, and a length
 * with BM25(max_tf, bound_len) >= the term's BM25 on each of its units
 * (cdx_ix_postings_peek_block). */
typedef struct cdx_q_block {
  uint32_t last, max_tf, bound_len;
} cdx_q_block;

typedef struct cdx_q_postings_vt {
  int (*next)(void *p, uint32_t *id, cdx_error *err); /* CDX_Q_END at end */
  int (*seek)(void *p, uint32_t target, uint32_t *id, cdx_error *err);
  uint32_t (*tf)(void *p);
  int (*positions)(void *p, const uint32_t **pos, size_t *n, cdx_error *err);
  void (*destroy)(void *p);
  /* Block-max bounds without moving (NULL when the source has none): the
   * block that holds the first unit >= target; false when no unit >=
   * target remains. */
  bool (*block)(void *p, uint32_t target, cdx_q_block *out);
} cdx_q_postings_vt;

/* A term leaf over a postings source; takes ownership of p. `label` is used
 * by describe (copied). Returns NULL on allocation failure (p destroyed). */
cdx_q_it *cdx_q_term_new(const cdx_q_postings_vt *vt, void *p, uint64_t df, const char *label,
                         size_t label_len);
/* An always-empty leaf (a term absent from a segment). */
cdx_q_it *cdx_q_empty_new(const char *label, size_t label_len);
bool cdx_q_is_term(const cdx_q_it *it);
/* The postings source of a term leaf that reads vt and has not moved yet,
 * else NULL (borrowed: the leaf keeps it). */
void *cdx_q_term_source(cdx_q_it *it, const cdx_q_postings_vt *vt);
/* A term leaf's block bounds (cdx_q_postings_vt.block) at target: false
 * when none remain, and *has = false when its source has no bounds. */
bool cdx_q_term_block(cdx_q_it *it, uint32_t target, cdx_q_block *out, bool *has);

/* In-memory postings (tests, and small synthetic lists): ids ascending,
 * pos_off[i]..pos_off[i+1] index pos[] for unit i. Arrays are copied. */
void *cdx_q_mem_postings_new(const uint32_t *ids, size_t n, const uint32_t *pos,
                             const size_t *pos_off);
extern const cdx_q_postings_vt cdx_q_mem_postings_vt;
extern const cdx_q_postings_vt cdx_q_union_postings_vt;

/* The union of n sources that share one vt (query/union_postings.c): the
 * units of any of them, tf the sum, positions merged. Takes ownership of the
 * sources and of nothing else (src is copied), also on failure (NULL
 * returned, sources destroyed). n may be 0 (always at the end). Use with
 * cdx_q_union_postings_vt. */
void *cdx_q_union_postings_new(const cdx_q_postings_vt *vt, void **src, size_t n);

/* Operators. Each takes ownership of its children, also on failure
 * (NULL returned, children freed). */
cdx_q_it *cdx_q_and_new(cdx_q_it **kids, size_t n);
/* The children of an AND (borrowed), rarest first; 0 when it is no AND. */
size_t cdx_q_and_kids(cdx_q_it *it, cdx_q_it *const **kids);
cdx_q_it *cdx_q_or_new(cdx_q_it **kids, size_t n);
/* The children of an OR (borrowed), as given; 0 when it is no OR. */
size_t cdx_q_or_kids(cdx_q_it *it, cdx_q_it *const **kids);
cdx_q_it *cdx_q_not_new(cdx_q_it *pos, cdx_q_it *neg);

/* Verifies a candidate unit against its folded stored text (the phrase
 * operator calls it only after the positions agreed). */
typedef int (*cdx_q_verify_fn)(void *ctx, uint32_t unit, const cdx_q_word *w, bool *ok,
                               cdx_error *err);

/* PHRASE over term leaves kids[i] at relative positions rel[i] (all kids
 * must be cdx_q_term leaves). verify may be NULL; it runs in confirm, not
 * in next/seek (see cdx_q_it_vt.confirm). After a successful next/seek,
 * cdx_q_positions gives the start positions of the occurrences in the
 * current unit (count = the phrase's tf, cdx_q_tf). */
cdx_q_it *cdx_q_phrase_new(cdx_q_it **kids, const uint32_t *rel, size_t n, const cdx_q_word *w,
                           cdx_q_verify_fn verify, void *vctx);

/* A test of a phrase's candidate before its positions are read, for a
 * ranking that needs no total (cdx_search_options.top_only): fn(ctx, unit,
 * max_tf) false skips the unit as if the phrase were not there, max_tf being
 * the least tf of the phrase's terms on it (the phrase's tf is at most that).
 * false (nothing set) when it is no phrase. */
typedef bool (*cdx_q_gate_fn)(void *ctx, uint32_t unit, uint32_t max_tf);
/* block(ctx, max_tf, bound_len) of one term's posting block (cdx_q_block):
 * false when no unit of it can enter (the phrase's tf on a unit is at most
 * the term's, so BM25 at the block's bound bounds the phrase too); the
 * phrase then skips, undecoded, the units that lie in every term's current
 * block. NULL: no block skipping. */
typedef bool (*cdx_q_gate_block_fn)(void *ctx, uint32_t max_tf, uint32_t bound_len);
bool cdx_q_phrase_gate(cdx_q_it *it, cdx_q_gate_fn fn, cdx_q_gate_block_fn block, void *ctx);
/* The phrase check alone, for a caller that moved the phrase's terms itself
 * (an AND leapfrogging every word's terms, query/topk_and.c): with each term
 * of phrase it on unit, whether the phrase occurs there (*ok). The phrase
 * is then on unit either way, with tf 0 when it does not occur, and must be
 * moved on with a seek past unit. Errors: those of the positions. */
int cdx_q_phrase_at(cdx_q_it *it, uint32_t unit, bool *ok, cdx_error *err);
/* The terms of a phrase (borrowed), in word order; 0 when it is no phrase. */
size_t cdx_q_phrase_kids(cdx_q_it *it, cdx_q_it *const **kids);

/* What the operators over a list of children (AND, OR) share (query/op_kids.c): the
 * iterator, made with the children copied in (or NULL, the children freed), freed with
 * them; described as NAME(kid, kid...). */
typedef struct cdx_q_kids_it {
  cdx_q_it base;
  size_t n;
  cdx_q_it *kids[];
} cdx_q_kids_it;
cdx_q_kids_it *cdx_q_kids_new(cdx_q_it **kids, size_t n);
void cdx_q_kids_destroy(cdx_q_it *it);
void cdx_q_kids_describe(const char *name, const cdx_q_it *it, int *rc, cdx_buf *b);
/* next() of an operator whose seek() aligns its children at or after a target (AND,
 * PHRASE): the first unit, then the one after the current. */
int cdx_q_next_by_seek(cdx_q_it *it, cdx_error *err);

/* The leapfrog of AND and PHRASE: moves kids[0..n) (rarest first) to the
 * first unit >= *cand that all of them hold, each child seeking to the unit
 * the previous one landed on, and stores it in *cand (CDX_Q_END when a
 * child runs out). Only next/seek: no confirm, no positions. n >= 1. */
int cdx_q_leapfrog(cdx_q_it *const *kids, size_t n, uint32_t *cand, cdx_error *err);

/* A filter over unit ids [0, n_units): yields the units for which
 * pred(ctx, unit) is true. cost = n_units (filters are checked on
 * candidates, not scanned, inside an AND). skip (may be NULL) answers, for a
 * unit that failed, a later unit before which none can pass (the first unit
 * of the next document that passes, for a document-level predicate); it
 * lets an AND, or a filter walking alone, move past whole documents. label
 * is copied for describe. */
typedef bool (*cdx_q_pred_fn)(void *ctx, uint32_t unit);
typedef uint32_t (*cdx_q_skip_fn)(void *ctx, uint32_t failed_unit);
cdx_q_it *cdx_q_filter_new(uint32_t n_units, cdx_q_pred_fn pred, cdx_q_skip_fn skip, void *ctx,
                           const char *label);
/* The filter frees ctx with fn when it is destroyed. */
void cdx_q_filter_owns_ctx(cdx_q_it *it, void (*fn)(void *ctx));
bool cdx_q_is_filter(const cdx_q_it *it);
/* Makes a filter a check of candidates: seek/next land on the target unit
 * itself and confirm() tests the predicate there; when it fails, the
 * filter's docid moves to skip()'s answer, a lower bound of its next match. Only for the children of
 * an operator that confirms every unit before reporting it (AND with at
 * least one child that is not a filter; the excluded side of ANDNOT).
 * Does nothing to an iterator that is not a filter. */
void cdx_q_filter_defer(cdx_q_it *it);

/* ---- Interface to query/score_bm25.c ---- */

#define CDX_BM25_K1 1.2
#define CDX_BM25_B 0.75

/* idf = ln(1 + (N - df + 0.5) / (df + 0.5)), floored at 1e-6 so a term in
 * every unit still counts a little (as FTS5 does). */
double cdx_bm25_idf(uint64_t n_units, uint64_t df);
/* One term's BM25 contribution (score_bm25.c has the formula). Inline: the
 * ranked paths evaluate it for every match and every block bound; built
 * as ISO C (no contraction into fused multiply-adds), every caller rounds
 * it the same way, which the pruned paths' bounds rely on. */
static inline double cdx_bm25_term(double idf, double tf, double unit_len, double avg_len) {
  if (tf <= 0) return 0;
  double norm = avg_len > 0 ? unit_len / avg_len : 1.0;
  return idf * tf * (CDX_BM25_K1 + 1.0) /
         (tf + CDX_BM25_K1 * (1.0 - CDX_BM25_B + CDX_BM25_B * norm));
}
/* Proximity bonus for two words whose occurrence start positions are a and b
 * (ascending): 1 / (1 + smallest gap beyond adjacency), 0 when either is empty. */
double cdx_proximity_bonus(const uint32_t *a, size_t na, uint32_t len_a, const uint32_t *b,
                           size_t nb);

#endif
