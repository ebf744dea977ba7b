/*
 * cdx_search: query string -> ranked hits, document-at-a-time over the
 * segments of one snapshot.
 *
 *  1. parse (parse.c) and analyze every word once (qanalyze.c);
 *  2. index-wide statistics: N, average unit length, and per word the df of
 *     its rarest token (score_bm25.c explains why a word is one term);
 *  3. per segment, compile the tree into iterators: a word is a term leaf or
 *     a PHRASE over its tokens (verified against folded stored text when its
 *     tokens are not proof), AND/OR/ANDNOT as written, metadata filters as
 *     column predicates, plus one predicate for deletions and --latest.
 *     Filters have the largest cost, so an AND only seeks them to
 *     candidates of the word lists: filters run before scoring and no query
 *     reads all stored text;
 *  4. every match counts towards the exact total; the scored ones go
 *     through a bounded heap of offset + k (ties: segment, then unit id,
 *     which is document order within a segment);
 *  5. only the returned hits read stored fields and get highlights.
 *
 * Everything lives in per-call state, so concurrent calls on one index are
 * safe (the reader is immutable after open, index_reader.h).
 */
#include <stdlib.h>
#include <string.h>
#include "lexicon/gazetteer.h"
#include "families/families.h"
#include "indexer/index_reader.h"
#include "query/query.h"

struct cdx_results {
  cdx_hit *hits;
  size_t n;
  size_t total;
  cdx_q_facets *facets;   /* NULL unless asked for */
};

/* ---- Postings source over the index reader ---- */

typedef struct ix_src {
  cdx_ix_postings *p;
  bool moved; /* the reader's iterator starts ON its first unit */
} ix_src;

static int ix_next(void *p, uint32_t *id, cdx_error *err) {
  ix_src *s = p;
  if (s->moved) {
    int rc = cdx_ix_postings_next(s->p, err);
    if (rc) return rc;
  }
  s->moved = true;
  *id = cdx_ix_postings_unit(s->p);
  return CDX_OK;
}

static int ix_seek(void *p, uint32_t target, uint32_t *id, cdx_error *err) {
  ix_src *s = p;
  s->moved = true;
  int rc = cdx_ix_postings_seek(s->p, target, err);
  if (rc) return rc;
  *id = cdx_ix_postings_unit(s->p);
  return CDX_OK;
}

static uint32_t ix_tf(void *p) { return cdx_ix_postings_tf(((ix_src *)p)->p); }

static int ix_positions(void *p, const uint32_t **pos, size_t *n, cdx_error *err) {
  return cdx_ix_postings_positions(((ix_src *)p)->p, pos, n, err);
}

static void ix_destroy(void *p) {
  ix_src *s = p;
  cdx_ix_postings_free(s->p);
  free(s);
}

static const cdx_q_postings_vt ix_vt = {ix_next, ix_seek, ix_tf, ix_positions, ix_destroy};

/* ---- Per-call state ---- */

typedef struct qword {
  const cdx_q_node *node;
  cdx_q_word w;
  bool scoring;       /* positive (not under NOT): scored and highlighted */
  double idf;
  cdx_q_it *leaf;     /* borrowed: the word's iterator in the current segment */
  bool present;       /* confirmed on the unit being scored */
} qword;

typedef struct pred_ctx {
  struct pred_ctx *next;
  const cdx_index *ix;
  size_t seg;
  const cdx_q_node *node; /* NULL: the live/latest predicate */
  bool latest;
  uint32_t memo_code;     /* jurisdiction: units of a document share their */
  bool memo_hit;          /* code, so the last gazetteer walk is reused */
  uint32_t memo_doc;      /* document-level fields: a document's units are */
  bool memo_doc_hit;      /* consecutive, so the last answer is reused */
} pred_ctx;

typedef struct search {
  const cdx_index *ix;
  cdx_analyzer *an;       /* query words: no unigram flag */
  qword *words;
  size_t n_words;
  cdx_q_node *root;
  bool latest;
  /* segment state */
  size_t seg;
  pred_ctx *preds;
  cdx_ix_store *store;
  cdx_q_facets *facets;   /* borrowed from the results, or NULL */
  uint32_t cached_unit;   /* folded text cache for verification */
  char *cached_fold;
  size_t cached_fold_len;
  bool cached;
} search;

static int nomem(cdx_error *err) {
  return cdx_err_set(err, CDX_NOMEM, CDX_NO_OFFSET, "out of memory running the query");
}

/* Collects the words of the tree, depth first, in query order. */
static int collect_words(search *s, const cdx_q_node *n, bool positive, cdx_error *err) {
  if (n->kind == CDX_Q_WORD || n->kind == CDX_Q_PHRASE) {
    qword *p = realloc(s->words, (s->n_words + 1) * sizeof *p);
    if (!p) return nomem(err);
    s->words = p;
    qword *q = &s->words[s->n_words];
    memset(q, 0, sizeof *q);
    q->node = n;
    q->scoring = positive;
    int rc = cdx_q_word_analyze(s->an, n->text, n->text_len, n->kind == CDX_Q_PHRASE, &q->w, err);
    if (rc) {
      if (rc == CDX_ENCODING && err) err->offset = n->offset + (err->offset != CDX_NO_OFFSET ? err->offset : 0);
      return rc;
    }
    s->n_words++;
    if (q->w.n_toks == 0)
      return cdx_err_set(err, CDX_SYNTAX, n->offset,
                         "query syntax error at byte %zu: '%.*s' has no letters, digits or "
                         "Chinese characters to search for", n->offset, (int)n->text_len, n->text);
    return CDX_OK;
  }
  for (size_t i = 0; i < n->n_kids; i++) {
    int rc = collect_words(s, n->kids[i], positive && n->kind != CDX_Q_NOT, err);
    if (rc) return rc;
  }
  return CDX_OK;
}

static qword *word_of(search *s, const cdx_q_node *n) {
  for (size_t i = 0; i < s->n_words; i++)
    if (s->words[i].node == n) return &s->words[i];
  return NULL;
}

/* ---- Verification against folded stored text ---- */

static int verify_unit(void *ctx, uint32_t unit, const cdx_q_word *w, bool *ok, cdx_error *err) {
  search *s = ctx;
  *ok = false;
  if (cdx_ix_unit_deleted(s->ix, s->seg, unit)) return CDX_OK;
  if (!s->cached || s->cached_unit != unit) {
    cdx_ix_unit_fields f;
    int rc = cdx_ix_store_unit(s->store, s->seg, unit, &f, err);
    if (rc) return rc;
    cdx_free(s->cached_fold);
    s->cached_fold = NULL;
    s->cached = false;
    rc = cdx_fold_text(f.text, f.text_len, &s->cached_fold, &s->cached_fold_len, err);
    if (rc) return rc;
    s->cached = true;
    s->cached_unit = unit;
  }
  *ok = cdx_q_folded_contains(s->cached_fold, s->cached_fold_len, w);
  return CDX_OK;
}

/* ---- Filters ---- */

static bool in_range(int64_t v, const cdx_q_node *n) { return v != 0 && v >= n->lo && v <= n->hi; }

/* The document-level part of a filter: metadata of the document, or for
 * the live predicate, not deleted (and latest with --latest). Reads only the
 * document column, so walking documents is cheap. */
static bool pred_doc(pred_ctx *p, uint32_t doc) {
  if (doc == p->memo_doc) return p->memo_doc_hit;
  cdx_ix_unit_meta m;
  cdx_ix_doc_meta_get(p->ix, p->seg, doc, &m);
  const cdx_q_node *n = p->node;
  bool hit = false;
  if (!n) {
    hit = !cdx_ix_doc_deleted(p->ix, p->seg, doc) && (!p->latest || m.latest);
  } else {
    switch (n->field) {
    case CDX_F_JURISDICTION:
      if (m.jurisdiction_code == 0) break;
      if (m.jurisdiction_code != p->memo_code) {
        p->memo_code = m.jurisdiction_code;
        p->memo_hit = false;
        for (size_t i = 0; i < n->n_codes && !p->memo_hit; i++)
          p->memo_hit = cdx_gz_within(m.jurisdiction_code, n->codes[i]);
      }
      hit = p->memo_hit;
      break;
    case CDX_F_STATUS: hit = (n->mask >> m.status) & 1u; break;
    case CDX_F_EDITION: hit = in_range(m.edition, n); break;
    case CDX_F_DATE: hit = in_range(m.date, n); break;
    default: break;
    }
  }
  p->memo_doc = doc;
  p->memo_doc_hit = hit;
  return hit;
}

static bool pred_eval(void *ctx, uint32_t unit) {
  pred_ctx *p = ctx;
  if (p->node && p->node->field == CDX_F_KIND) {
    cdx_ix_unit_meta m;
    cdx_ix_unit_meta_get(p->ix, p->seg, unit, &m);
    return (p->node->mask >> m.kind) & 1u;
  }
  return pred_doc(p, cdx_ix_unit_doc(p->ix, p->seg, unit));
}

/* After a unit failed: the first unit of the next document that passes.
 * Only document-level predicates answer for whole documents. The walk reads
 * the document column in order and only goes forward, so a query pays it at
 * most once over a segment's documents (~75k documents at 1 GB). */
static uint32_t pred_skip(void *ctx, uint32_t unit) {
  pred_ctx *p = ctx;
  if (p->node && p->node->field == CDX_F_KIND) return unit + 1;
  uint32_t n_docs = cdx_ix_segment_docs(p->ix, p->seg);
  for (uint32_t d = cdx_ix_unit_doc(p->ix, p->seg, unit) + 1; d < n_docs; d++) {
    if (!pred_doc(p, d)) continue;
    uint32_t first, n;
    cdx_ix_doc_unit_range(p->ix, p->seg, d, &first, &n);
    if (n) return first;
  }
  return cdx_ix_segment_units(p->ix, p->seg);
}

static cdx_q_it *pred_it(search *s, const cdx_q_node *node, const char *label) {
  pred_ctx *p = calloc(1, sizeof *p);
  if (!p) return NULL;
  *p = (pred_ctx){s->preds, s->ix, s->seg, node, s->latest, 0, false, UINT32_MAX, false};
  s->preds = p;
  return cdx_q_filter_new(cdx_ix_segment_units(s->ix, s->seg), pred_eval, pred_skip, p, label);
}

/* ---- Compilation into iterators ---- */

static int term_leaf(search *s, const char *term, size_t len, cdx_q_it **out, cdx_error *err) {
  cdx_ix_postings *p = NULL;
  int rc = cdx_ix_postings_open(s->ix, s->seg, term, len, &p, err);
  if (rc) return rc;
  ix_src *src = malloc(sizeof *src);
  if (!src) { cdx_ix_postings_free(p); return nomem(err); }
  src->p = p;
  src->moved = false;
  *out = cdx_q_term_new(&ix_vt, src, cdx_ix_postings_df(p), term, len);
  return *out ? CDX_OK : nomem(err);
}

/* A single CJK character (term = optional field byte + the character): in
 * segments that spread it over the terms starting with it, their union. */
static int char_leaf(search *s, const char *term, size_t len, cdx_q_it **out, cdx_error *err) {
  if (!cdx_ix_segment_char_by_prefix(s->ix, s->seg)) return term_leaf(s, term, len, out, err);
  cdx_ix_postings **its = NULL;
  size_t n = 0;
  int rc = cdx_ix_postings_open_prefix(s->ix, s->seg, term, len, &its, &n, err);
  if (rc) return rc;
  void **srcs = malloc((n ? n : 1) * sizeof *srcs);
  uint64_t df = 0;
  size_t made = 0;
  for (; srcs && made < n; made++) {
    ix_src *src = malloc(sizeof *src);
    if (!src) break;
    *src = (ix_src){its[made], false};
    df += cdx_ix_postings_df(its[made]);
    srcs[made] = src;
  }
  if (!srcs || made < n) {
    for (size_t i = 0; i < made; i++) ix_destroy(srcs[i]);
    for (size_t i = made; i < n; i++) cdx_ix_postings_free(its[i]);
    free(its);
    free(srcs);
    return nomem(err);
  }
  free(its);
  void *u = cdx_q_union_postings_new(&ix_vt, srcs, n);
  free(srcs);
  if (!u) return nomem(err);
  uint32_t units = cdx_ix_segment_units(s->ix, s->seg);
  *out = cdx_q_term_new(&cdx_q_union_postings_vt, u, df < units ? df : units, term, len);
  return *out ? CDX_OK : nomem(err);
}

/* The leaf of one token of a query word. */
static int token_leaf(search *s, const char *term, size_t len, cdx_token_type type,
                      cdx_q_it **out, cdx_error *err) {
  return type == CDX_TOKEN_CJK_UNIGRAM ? char_leaf(s, term, len, out, err)
                                       : term_leaf(s, term, len, out, err);
}

static int compile(search *s, const cdx_q_node *n, cdx_q_it **out, cdx_error *err);

static int compile_word(search *s, qword *q, cdx_q_it **out, cdx_error *err) {
  const cdx_q_word *w = &q->w;
  if (w->n_toks == 1 && !w->needs_verify) {
    int rc = token_leaf(s, w->toks[0].term, w->toks[0].term_len, w->toks[0].type, out, err);
    if (rc == CDX_OK) q->leaf = *out;
    return rc;
  }
  cdx_q_it **kids = calloc(w->n_toks, sizeof *kids);
  uint32_t *rel = calloc(w->n_toks, sizeof *rel);
  if (!kids || !rel) { free(kids); free(rel); return nomem(err); }
  int rc = CDX_OK;
  size_t made = 0;
  for (; made < w->n_toks; made++) {
    rc = token_leaf(s, w->toks[made].term, w->toks[made].term_len, w->toks[made].type,
                    &kids[made], err);
    if (rc) break;
    rel[made] = w->toks[made].rel;
  }
  if (rc) {
    for (size_t i = 0; i < made; i++) cdx_q_it_free(kids[i]);
  } else {
    *out = cdx_q_phrase_new(kids, rel, w->n_toks, w, verify_unit, s);
    if (!*out) rc = nomem(err);
    else q->leaf = *out;
  }
  free(kids);
  free(rel);
  return rc;
}

/* dept: -> every token of the value as a 0x01 field term, ANDed. */
static int compile_dept(search *s, const cdx_q_node *n, cdx_q_it **out, cdx_error *err) {
  cdx_q_word w;
  int rc = cdx_q_word_analyze(s->an, n->text, n->text_len, false, &w, err);
  if (rc) return rc;
  if (w.n_toks == 0) {
    cdx_q_word_clear(&w);
    return cdx_err_set(err, CDX_SYNTAX, n->offset, "query syntax error at byte %zu: dept: needs "
                       "a department name", n->offset);
  }
  cdx_q_it **kids = calloc(w.n_toks, sizeof *kids);
  if (!kids) { cdx_q_word_clear(&w); return nomem(err); }
  size_t made = 0;
  for (; made < w.n_toks && rc == CDX_OK; made++) {
    char buf[256];
    if (w.toks[made].term_len + 1 > sizeof buf) { rc = cdx_err_set(err, CDX_LIMIT, n->offset, "dept: term too long"); break; }
    buf[0] = CDX_IX_FIELD_DEPT;
    memcpy(buf + 1, w.toks[made].term, w.toks[made].term_len);
    rc = token_leaf(s, buf, w.toks[made].term_len + 1, w.toks[made].type, &kids[made], err);
    if (rc) break;
  }
  if (rc) {
    for (size_t i = 0; i < made; i++) cdx_q_it_free(kids[i]);
  } else {
    *out = w.n_toks == 1 ? kids[0] : cdx_q_and_new(kids, w.n_toks);
    if (!*out) rc = nomem(err);
  }
  free(kids);
  cdx_q_word_clear(&w);
  return rc;
}

/* A field term of a fact filter (fact_filter.c): one term, or a prefix's union. */
static int fact_leaf(void *ctx, const char *term, size_t len, bool prefix, cdx_q_it **out,
                     cdx_error *err) {
  return prefix ? char_leaf(ctx, term, len, out, err) : term_leaf(ctx, term, len, out, err);
}

static int compile_filter(search *s, const cdx_q_node *n, cdx_q_it **out, cdx_error *err) {
  if (cdx_q_fact_field(n->field)) {
    int rc = cdx_q_fact_compile(s->ix, s->seg, n, fact_leaf, s, out, err);
    /* a segment before version 6: department words as bigram field terms */
    return rc == CDX_NOTFOUND ? compile_dept(s, n, out, err) : rc;
  }
  if (n->field == CDX_F_DOC) {
    char *term = NULL;
    size_t len = 0;
    cdx_error e2;
    int rc = cdx_ix_doc_number_term(n->text, n->text_len, &term, &len, &e2);
    if (rc == CDX_NOMEM) return nomem(err);
    if (rc) return cdx_err_set(err, CDX_SYNTAX, n->offset, "query syntax error at byte %zu: "
                               "'%.*s' is not a document number", n->offset, (int)n->text_len, n->text);
    rc = term_leaf(s, term, len, out, err);
    free(term);
    return rc;
  }
  int rc = CDX_OK;
  cdx_buf b;
  cdx_buf_init(&b);
  cdx_q_node_describe(n, &rc, &b);
  const char *label = cdx_buf_str(&rc, &b);
  *out = rc ? NULL : pred_it(s, n, label);
  cdx_buf_free(&b);
  return *out ? CDX_OK : nomem(err);
}

static int compile_list(search *s, const cdx_q_node *n, bool is_or, cdx_q_it **out, cdx_error *err) {
  cdx_q_it **pos = calloc(n->n_kids, sizeof *pos);
  cdx_q_it **neg = calloc(n->n_kids, sizeof *neg);
  size_t np = 0, nn = 0;
  int rc = pos && neg ? CDX_OK : nomem(err);
  for (size_t i = 0; rc == CDX_OK && i < n->n_kids; i++) {
    const cdx_q_node *k = n->kids[i];
    if (k->kind == CDX_Q_NOT) {
      rc = compile(s, k->kids[0], &neg[nn], err);
      if (rc == CDX_OK) nn++;
    } else {
      rc = compile(s, k, &pos[np], err);
      if (rc == CDX_OK) np++;
    }
  }
  if (rc) {
    for (size_t i = 0; i < np; i++) cdx_q_it_free(pos[i]);
    for (size_t i = 0; i < nn; i++) cdx_q_it_free(neg[i]);
    free(pos);
    free(neg);
    return rc;
  }
  cdx_q_it *it = np == 1 ? pos[0] : is_or ? cdx_q_or_new(pos, np) : cdx_q_and_new(pos, np);
  if (!it) {
    for (size_t i = 0; i < nn; i++) cdx_q_it_free(neg[i]);
    rc = nomem(err);
  }
  if (it && nn > 0) {
    cdx_q_it *ex = nn == 1 ? neg[0] : cdx_q_or_new(neg, nn);
    if (!ex) { cdx_q_it_free(it); it = NULL; rc = nomem(err); }
    else if (!(it = cdx_q_not_new(it, ex))) rc = nomem(err);
  }
  free(pos);
  free(neg);
  *out = it;
  return rc;
}

static int compile(search *s, const cdx_q_node *n, cdx_q_it **out, cdx_error *err) {
  *out = NULL;
  switch (n->kind) {
  case CDX_Q_WORD:
  case CDX_Q_PHRASE: return compile_word(s, word_of(s, n), out, err);
  case CDX_Q_FILTER: return compile_filter(s, n, out, err);
  case CDX_Q_AND: return compile_list(s, n, false, out, err);
  case CDX_Q_OR: return compile_list(s, n, true, out, err);
  case CDX_Q_NOT: break; /* the parser only lets NOT under AND */
  }
  return cdx_err_set(err, CDX_SYNTAX, n->offset, "query syntax error at byte %zu: misplaced NOT", n->offset);
}

/* ---- Scoring and top-k ---- */

typedef struct cand {
  double score;
  uint32_t seg, unit;
} cand;

/* True when a ranks before b: higher score, then earlier segment and unit. */
static bool better(const cand *a, const cand *b) {
  if (a->score != b->score) return a->score > b->score;
  if (a->seg != b->seg) return a->seg < b->seg;
  return a->unit < b->unit;
}

typedef struct heap {
  cand *c;
  size_t n, cap, limit; /* limit: SIZE_MAX for --all */
} heap;

/* Min-heap on rank: the root is the worst kept candidate. */
static void sift_down(heap *h, size_t i) {
  for (;;) {
    size_t l = 2 * i + 1, r = l + 1, w = i;
    if (l < h->n && better(&h->c[w], &h->c[l])) w = l;
    if (r < h->n && better(&h->c[w], &h->c[r])) w = r;
    if (w == i) return;
    cand t = h->c[i]; h->c[i] = h->c[w]; h->c[w] = t;
    i = w;
  }
}

static int heap_push(heap *h, cand c) {
  if (h->limit == 0) return CDX_OK;
  if (h->n == h->limit) {
    if (!better(&c, &h->c[0])) return CDX_OK;
    h->c[0] = c;
    sift_down(h, 0);
    return CDX_OK;
  }
  if (h->n == h->cap) {
    size_t cap = h->cap ? h->cap * 2 : 64;
    cand *p = realloc(h->c, cap * sizeof *p);
    if (!p) return CDX_NOMEM;
    h->c = p;
    h->cap = cap;
  }
  size_t i = h->n++;
  h->c[i] = c;
  while (i > 0) {
    size_t parent = (i - 1) / 2;
    if (!better(&h->c[parent], &h->c[i])) break;
    cand t = h->c[i]; h->c[i] = h->c[parent]; h->c[parent] = t;
    i = parent;
  }
  return CDX_OK;
}

static int cmp_rank(const void *x, const void *y) {
  const cand *a = x, *b = y;
  return better(a, b) ? -1 : better(b, a) ? 1 : 0;
}

/* Occurrence start positions of a word in the current unit. */
static int word_positions(qword *q, const uint32_t **pos, size_t *n, cdx_error *err) {
  if (cdx_q_is_phrase(q->leaf)) { cdx_q_phrase_starts(q->leaf, pos, n); return CDX_OK; }
  return cdx_q_term_positions(q->leaf, pos, n, err);
}

/* BM25 of the confirmed words on the unit, then the proximity bonus of
 * consecutive present words, which needs positions. `floor` is the score a
 * unit must beat to enter the full top-k heap: when even the largest bonus
 * (0.5 per pair) cannot lift the unit over it, no position is decoded
 * (units arrive in index order, so an equal score never displaces). */
static int score_unit(search *s, uint32_t unit, double avg_len, double floor, double *score,
                      cdx_error *err) {
  double len = cdx_ix_unit_length(s->ix, s->seg, unit);
  double sc = 0;
  size_t n_present = 0;
  for (size_t i = 0; i < s->n_words; i++) {
    qword *q = &s->words[i];
    q->present = false;
    if (!q->scoring || !q->leaf || !q->leaf->started || q->leaf->docid != unit) continue;
    /* Under an OR, a word may sit on the unit by positions only. */
    bool sure;
    int crc = cdx_q_confirm(q->leaf, &sure, err);
    if (crc) return crc;
    if (!sure) continue;
    double tf;
    if (cdx_q_is_phrase(q->leaf)) {
      const uint32_t *p;
      size_t n;
      cdx_q_phrase_starts(q->leaf, &p, &n);
      tf = (double)n;
    } else {
      tf = cdx_q_term_tf(q->leaf);
    }
    sc += cdx_bm25_term(q->idf, tf, len, avg_len);
    q->present = true;
    n_present++;
  }
  if (n_present > 1 && sc + 0.5 * (double)(n_present - 1) > floor) {
    qword *prev = NULL;
    for (size_t i = 0; i < s->n_words; i++) {
      qword *q = &s->words[i];
      if (!q->present) continue;
      if (prev) {
        const uint32_t *pa, *pb;
        size_t na, nb;
        int rc = word_positions(prev, &pa, &na, err);
        if (rc) return rc;
        /* A term leaf's positions stay valid until it moves; prev does not
         * move while q's are read. */
        rc = word_positions(q, &pb, &nb, err);
        if (rc) return rc;
        uint32_t span = prev->w.toks[prev->w.n_toks - 1].rel + 1;
        sc += 0.5 * cdx_proximity_bonus(pa, na, span, pb, nb);
      }
      prev = q;
    }
  }
  *score = sc;
  return CDX_OK;
}

/* ---- Results ---- */

static void hit_free_fields(cdx_hit *h) {
  free((char *)h->text);
  free((char *)h->number);
  free((char *)h->heading);
  free((void *)h->highlights);
  free((void *)h->responsible); /* one block: pointers, then the strings */
  free((char *)h->lead_department);
  cdx_q_hit_facts_free(h);
}

static void results_free_hits(cdx_results *r) {
  for (size_t i = 0; i < r->n; i++) hit_free_fields(&r->hits[i]);
  free(r->hits);
}

void cdx_results_free(cdx_results *res) {
  if (!res) return;
  results_free_hits(res);
  cdx_q_facets_free(res->facets);
  free(res);
}

size_t cdx_results_facet_count(const cdx_results *res) { return res ? cdx_q_facets_count(res->facets) : 0; }
const cdx_facet *cdx_results_facet(const cdx_results *res, size_t i) {
  return res ? cdx_q_facets_get(res->facets, i) : NULL;
}

size_t cdx_results_total(const cdx_results *res) { return res ? res->total : 0; }
size_t cdx_results_count(const cdx_results *res) { return res ? res->n : 0; }
const cdx_hit *cdx_results_get(const cdx_results *res, size_t i) {
  return res && i < res->n ? &res->hits[i] : NULL;
}

static char *dup_or_null(const char *s) {
  if (!s) return NULL;
  size_t n = strlen(s);
  char *d = malloc(n + 1);
  if (d) memcpy(d, s, n + 1);
  return d;
}

/* Fills hit from the stored fields of (seg, unit); strings are copied or
 * borrowed from the index mapping (document fields). */
/* The responsible units in one block (the pointers, then the strings), so
 * a hit frees them with one call. */
static int copy_responsible(const cdx_ix_unit_fields *f, cdx_hit *h, cdx_error *err) {
  if (f->n_responsible == 0) return CDX_OK;
  size_t bytes = f->n_responsible * sizeof(char *);
  for (size_t k = 0; k < f->n_responsible; k++) bytes += strlen(f->responsible[k]) + 1;
  char **ptrs = malloc(bytes);
  if (!ptrs) return nomem(err);
  char *p = (char *)(ptrs + f->n_responsible);
  for (size_t k = 0; k < f->n_responsible; k++) {
    size_t n = strlen(f->responsible[k]) + 1;
    memcpy(p, f->responsible[k], n);
    ptrs[k] = p;
    p += n;
  }
  h->responsible = (const char *const *)ptrs;
  h->n_responsible = f->n_responsible;
  return CDX_OK;
}

static int fill_hit(const cdx_index *ix, cdx_ix_store *st, size_t seg, uint32_t unit, cdx_hit *h,
                    cdx_error *err) {
  cdx_ix_unit_meta m;
  cdx_ix_unit_meta_get(ix, seg, unit, &m);
  cdx_ix_doc_fields d;
  int rc = cdx_ix_doc_fields_get(ix, seg, m.doc, &d, err);
  if (rc) return rc;
  cdx_ix_unit_fields f;
  rc = cdx_ix_store_unit(st, seg, unit, &f, err);
  if (rc) return rc;
  h->doc = d.id;
  h->title = d.title;
  h->jurisdiction = d.jurisdiction;
  h->jurisdiction_code = d.jurisdiction_code;
  h->status = d.status;
  h->status_class = d.status_class;
  h->edition = d.edition;
  h->date = d.date;
  h->doc_number = d.doc_number;
  h->kind = m.kind;
  h->ordinal = m.ordinal;
  char *text = malloc(f.text_len + 1);
  if (!text) return nomem(err);
  memcpy(text, f.text, f.text_len);
  text[f.text_len] = '\0';
  h->text = text;
  h->text_len = f.text_len;
  h->number = dup_or_null(f.number);
  h->heading = dup_or_null(f.heading);
  h->lead_department = dup_or_null(f.lead_department);
  h->chapter = m.chapter;
  if ((f.number && !h->number) || (f.heading && !h->heading) ||
      (f.lead_department && !h->lead_department))
    return nomem(err);
  rc = copy_responsible(&f, h, err);
  return rc ? rc : cdx_q_hit_facts(ix, seg, unit, h, err);
}

static void search_clear(search *s) {
  for (size_t i = 0; i < s->n_words; i++) cdx_q_word_clear(&s->words[i].w);
  free(s->words);
  cdx_q_node_free(s->root);
  cdx_analyzer_free(s->an);
  cdx_ix_store_free(s->store);
  cdx_free(s->cached_fold);
}

static void free_preds(search *s) {
  while (s->preds) {
    pred_ctx *n = s->preds->next;
    free(s->preds);
    s->preds = n;
  }
}

/* Runs the compiled query over every segment. */
static int run(search *s, const cdx_search_options *o, heap *h, size_t *total, cdx_error *err) {
  uint64_t n_units = cdx_ix_live_units(s->ix);
  double avg = cdx_ix_avg_unit_length(s->ix);
  for (size_t i = 0; i < s->n_words; i++) {
    qword *q = &s->words[i];
    if (!q->scoring) continue;
    uint64_t df = UINT64_MAX;
    for (size_t t = 0; t < q->w.n_toks; t++) {
      uint64_t d;
      const cdx_q_tok *tok = &q->w.toks[t];
      int rc = tok->type == CDX_TOKEN_CJK_UNIGRAM
                   ? cdx_ix_char_df(s->ix, tok->term, tok->term_len, &d, err)
                   : cdx_ix_term_df(s->ix, tok->term, tok->term_len, &d, err);
      if (rc) return rc;
      if (d < df) df = d;
    }
    q->idf = cdx_bm25_idf(n_units, df == UINT64_MAX ? 0 : df);
  }
  size_t nseg = cdx_ix_segment_count(s->ix);
  for (size_t seg = 0; seg < nseg; seg++) {
    s->seg = seg;
    s->cached = false;
    for (size_t i = 0; i < s->n_words; i++) s->words[i].leaf = NULL;
    cdx_q_it *root = NULL;
    int rc = compile(s, s->root, &root, err);
    /* A segment without deletions needs no per-unit test unless --latest. */
    bool need_live = o->latest || cdx_ix_segment_has_deletions(s->ix, seg);
    cdx_q_it *live = rc || !need_live ? NULL : pred_it(s, NULL, o->latest ? "live+latest" : "live");
    if (rc == CDX_OK && need_live && !live) rc = nomem(err);
    if (rc == CDX_OK && live) {
      cdx_q_it *kids[2] = {root, live};
      root = cdx_q_and_new(kids, 2);
      live = NULL;
      if (!root) rc = nomem(err);
    }
    while (rc == CDX_OK) {
      rc = cdx_q_next(root, err);
      if (rc || root->docid == CDX_Q_END) break;
      bool sure; /* a lone word's stored-text check (an AND confirms its own) */
      if ((rc = cdx_q_confirm(root, &sure, err)) != CDX_OK) break;
      if (!sure) continue;
      (*total)++;
      if (s->facets && (rc = cdx_q_facets_add(s->facets, s->ix, seg, root->docid, err))) break;
      if (o->count_only) continue;
      cand c = {0, (uint32_t)seg, root->docid};
      double floor = h->limit > 0 && h->n == h->limit ? h->c[0].score : -1.0;
      if (o->sort != CDX_SORT_SCORE) c.score = cdx_q_sort_key(s->ix, seg, root->docid, o->sort);
      else rc = score_unit(s, root->docid, avg, floor, &c.score, err);
      if (rc == CDX_OK && heap_push(h, c)) rc = nomem(err);
    }
    cdx_q_it_free(root);
    cdx_q_it_free(live);
    free_preds(s);
    if (rc) return rc;
  }
  return CDX_OK;
}

static int make_hits(search *s, const cdx_search_options *o, heap *h, cdx_results *r, cdx_error *err) {
  if (h->n > 1) qsort(h->c, h->n, sizeof *h->c, cmp_rank);
  size_t first = o->offset < h->n ? o->offset : h->n;
  size_t n = h->n - first;
  if (n == 0) return CDX_OK;
  r->hits = calloc(n, sizeof *r->hits);
  if (!r->hits) return nomem(err);
  const cdx_q_word **hw = calloc(s->n_words + 1, sizeof *hw);
  if (!hw) return nomem(err);
  size_t nhw = 0;
  for (size_t i = 0; i < s->n_words; i++)
    if (s->words[i].scoring) hw[nhw++] = &s->words[i].w;
  cdx_analyzer *han = NULL;
  int rc = cdx_analyzer_new(CDX_ANALYZE_UNIGRAMS, &han, err);
  for (size_t i = 0; rc == CDX_OK && i < n; i++) {
    const cand *c = &h->c[first + i];
    cdx_hit *hit = &r->hits[i];
    r->n = i + 1;
    hit->rank = first + i + 1;
    hit->score = c->score;
    rc = fill_hit(s->ix, s->store, c->seg, c->unit, hit, err);
    if (rc == CDX_OK && !o->no_highlights) {
      size_t (*hl)[2] = NULL, nhl = 0;
      rc = cdx_q_highlight(han, hit->text, hit->text_len, hw, nhw, &hl, &nhl, err);
      hit->highlights = (const size_t (*)[2])hl;
      hit->n_highlights = nhl;
      if (rc == CDX_OK) rc = cdx_q_hit_mark_figures(s->root, hit, err);
    }
  }
  cdx_analyzer_free(han);
  free(hw);
  return rc;
}

int cdx_search(const cdx_index *ix, const char *query, const cdx_search_options *opts,
               cdx_results **out, cdx_error *err) {
  if (!out) return cdx_err_set(err, CDX_INVALID, CDX_NO_OFFSET, "cdx_search: NULL out");
  *out = NULL;
  if (!ix || !query) return cdx_err_set(err, CDX_INVALID, CDX_NO_OFFSET, "cdx_search: NULL argument");
  cdx_search_options o = opts ? *opts : (cdx_search_options){0};
  if (o.k == 0) o.k = 10;
  search s = {0};
  s.ix = ix;
  s.latest = o.latest != 0;
  heap h = {0};
  h.limit = o.count_only ? 0 : o.all ? SIZE_MAX : (o.offset > SIZE_MAX - o.k ? SIZE_MAX : o.offset + o.k);
  cdx_results *r = calloc(1, sizeof *r);
  if (!r) return nomem(err);
  int rc = cdx_q_parse(query, strlen(query), &s.root, err);
  if (rc == CDX_OK && (unsigned)o.sort > CDX_SORT_EDITION)
    rc = cdx_err_set(err, CDX_INVALID, CDX_NO_OFFSET, "cdx_search: unknown sort %d", (int)o.sort);
  if (rc == CDX_OK && o.facets) rc = cdx_q_facets_new(o.facets, o.facet_limit, &r->facets, err);
  s.facets = r->facets;
  if (rc == CDX_OK) rc = cdx_analyzer_new(0, &s.an, err);
  if (rc == CDX_OK) rc = collect_words(&s, s.root, true, err);
  if (rc == CDX_OK) rc = cdx_ix_store_new(ix, &s.store, err);
  if (rc == CDX_OK) rc = run(&s, &o, &h, &r->total, err);
  if (rc == CDX_OK && r->facets) rc = cdx_q_facets_finish(r->facets, ix, err);
  if (rc == CDX_OK && !o.count_only) rc = make_hits(&s, &o, &h, r, err);
  free(h.c);
  search_clear(&s);
  if (rc) { cdx_results_free(r); return rc; }
  *out = r;
  return CDX_OK;
}

/* ---- show ---- */

/* "（一）" finds "(一)" too: numbers are compared folded (NFKC turns
 * full-width brackets into ASCII), or by value in any citation spelling
 * (cdx_fam_clause_ref: "3", "三", "(三)", "第三条" find "(三)" and "3.";
 * "二（三）" the clause (三) of chapter 二, or its third clause where the
 * numbers run on across chapters: nth is the clause's place in its
 * chapter, 1-based). */
static bool number_matches(const char *written, int value, int chapter, int nth, const char *want) {
  if (written) {
    if (strcmp(written, want) == 0) return true;
    char *a = NULL, *b = NULL;
    size_t al = 0, bl = 0;
    cdx_error e;
    bool same = cdx_fold_text(written, strlen(written), &a, &al, &e) == CDX_OK &&
                cdx_fold_text(want, strlen(want), &b, &bl, &e) == CDX_OK && al == bl &&
                memcmp(a, b, al) == 0;
    cdx_free(a);
    cdx_free(b);
    if (same) return true;
  }
  int want_chapter, want_value;
  if (!cdx_fam_clause_ref(want, &want_chapter, &want_value)) return false;
  if (!want_chapter) return want_value == value;
  return want_chapter == chapter && (want_value == value || (nth > 0 && want_value == nth));
}

int cdx_search_document(const cdx_index *ix, const char *doc, const char *number, cdx_results **out,
                        cdx_error *err) {
  if (!out) return cdx_err_set(err, CDX_INVALID, CDX_NO_OFFSET, "cdx_search_document: NULL out");
  *out = NULL;
  if (!ix || !doc || !*doc) return cdx_err_set(err, CDX_INVALID, CDX_NO_OFFSET, "cdx_search_document: no document named");
  const char *id = NULL;
  int rc0 = cdx_index_resolve_doc(ix, doc, &id, err);
  if (rc0) return rc0;
  size_t seg = 0;
  uint32_t di = 0;
  if (!cdx_ix_find_doc(ix, id, &seg, &di))
    return cdx_err_set(err, CDX_NOTFOUND, CDX_NO_OFFSET, "no document '%s' in the index", doc);
  cdx_ix_doc_fields f;
  int rc = cdx_ix_doc_fields_get(ix, seg, di, &f, err);
  if (rc) return rc;
  cdx_results *r = calloc(1, sizeof *r);
  cdx_ix_store *st = NULL;
  if (!r) return nomem(err);
  rc = cdx_ix_store_new(ix, &st, err);
  if (rc == CDX_OK && f.n_units) {
    r->hits = calloc(f.n_units, sizeof *r->hits);
    if (!r->hits) rc = nomem(err);
  }
  int chapter = -1, nth = 0;
  for (uint32_t u = f.first_unit; rc == CDX_OK && u < f.first_unit + f.n_units; u++) {
    if (number) {
      cdx_ix_unit_meta m;
      cdx_ix_unit_meta_get(ix, seg, u, &m);
      if (m.chapter != chapter) {
        chapter = m.chapter;
        nth = 0;
      }
      nth += m.kind == CDX_UNIT_CLAUSE;
      cdx_ix_unit_fields uf;
      rc = cdx_ix_store_unit(st, seg, u, &uf, err);
      if (rc) break;
      if (!number_matches(uf.number, m.number_value, m.chapter, m.kind == CDX_UNIT_CLAUSE ? nth : 0,
                          number))
        continue;
    }
    cdx_hit *h = &r->hits[r->n++];
    h->rank = r->n;
    rc = fill_hit(ix, st, seg, u, h, err);
  }
  cdx_ix_store_free(st);
  if (rc == CDX_OK && number && r->n > 1) {
    /* "#3" names clause 3 rather than chapter 三 when both exist. */
    size_t clauses = 0;
    for (size_t i = 0; i < r->n; i++) clauses += r->hits[i].kind == CDX_UNIT_CLAUSE;
    if (clauses > 0 && clauses < r->n) {
      size_t m = 0;
      for (size_t i = 0; i < r->n; i++) {
        if (r->hits[i].kind == CDX_UNIT_CLAUSE) {
          r->hits[m] = r->hits[i];
          r->hits[m].rank = m + 1;
          m++;
        } else {
          hit_free_fields(&r->hits[i]);
        }
      }
      r->n = m;
    }
  }
  if (rc == CDX_OK && r->n == 0 && number)
    rc = cdx_err_set(err, CDX_NOTFOUND, CDX_NO_OFFSET, "document '%s' has no clause numbered '%s'", doc, number);
  if (rc) { cdx_results_free(r); return rc; }
  r->total = r->n;
  *out = r;
  return CDX_OK;
}

/* ---- JSON ---- */

static const char *const status_names[] = {"final", "送审稿", "征求意见稿"};
static const char *const class_names[] = {"final", "draft"};
static const char *const kind_names[] = {"preamble", "chapter", "clause", "closing"};

/* The document's fields of a hit, "doc" to "doc_number": the one place
 * that spells a document in JSON, for a hit and for a document alone. */
static void doc_fields_json(int *rc, cdx_buf *b, const cdx_hit *h) {
  cdx_buf_puts(rc, b, "\"doc\":");
  cdx_json_cstr(rc, b, h->doc);
  cdx_buf_puts(rc, b, ",\"title\":");
  cdx_json_cstr(rc, b, h->title);
  cdx_buf_puts(rc, b, ",\"jurisdiction\":");
  cdx_json_cstr(rc, b, h->jurisdiction);
  if (h->jurisdiction_code) cdx_buf_printf(rc, b, ",\"jurisdiction_code\":%u", (unsigned)h->jurisdiction_code);
  else cdx_buf_puts(rc, b, ",\"jurisdiction_code\":null");
  cdx_buf_puts(rc, b, ",\"status\":");
  cdx_json_cstr(rc, b, (unsigned)h->status < 3 ? status_names[h->status] : NULL);
  cdx_buf_puts(rc, b, ",\"status_class\":");
  cdx_json_cstr(rc, b, (unsigned)h->status_class < 2 ? class_names[h->status_class] : NULL);
  if (h->edition) cdx_buf_printf(rc, b, ",\"edition\":%d", h->edition);
  else cdx_buf_puts(rc, b, ",\"edition\":null");
  if (h->date)
    cdx_buf_printf(rc, b, ",\"date\":\"%04u-%02u-%02u\"", (unsigned)(h->date / 10000),
                   (unsigned)(h->date / 100 % 100), (unsigned)(h->date % 100));
  else cdx_buf_puts(rc, b, ",\"date\":null");
  cdx_buf_puts(rc, b, ",\"doc_number\":");
  cdx_json_cstr(rc, b, h->doc_number);
}

int cdx_hit_doc_to_json(const cdx_hit *h, char **out, size_t *out_len, cdx_error *err) {
  if (!h || !out) return cdx_err_set(err, CDX_INVALID, CDX_NO_OFFSET, "cdx_hit_doc_to_json: NULL argument");
  int rc = CDX_OK;
  cdx_buf b;
  cdx_buf_init(&b);
  cdx_buf_putc(&rc, &b, '{');
  doc_fields_json(&rc, &b, h);
  cdx_buf_putc(&rc, &b, '}');
  return cdx_json_finish(rc, &b, out, out_len, err);
}

int cdx_hit_to_json(const cdx_hit *h, char **out, size_t *out_len, cdx_error *err) {
  if (!h || !out) return cdx_err_set(err, CDX_INVALID, CDX_NO_OFFSET, "cdx_hit_to_json: NULL argument");
  int rc = CDX_OK;
  cdx_buf b;
  cdx_buf_init(&b);
  cdx_buf_printf(&rc, &b, "{\"rank\":%zu,\"score\":%.6g,", h->rank, h->score);
  doc_fields_json(&rc, &b, h);
  cdx_buf_puts(&rc, &b, ",\"kind\":");
  cdx_json_cstr(&rc, &b, (unsigned)h->kind < 4 ? kind_names[h->kind] : NULL);
  cdx_buf_puts(&rc, &b, ",\"number\":");
  cdx_json_cstr(&rc, &b, h->number);
  cdx_buf_puts(&rc, &b, ",\"heading\":");
  cdx_json_cstr(&rc, &b, h->heading);
  cdx_buf_printf(&rc, &b, ",\"ordinal\":%d,\"chapter\":%d,\"departments\":[", h->ordinal, h->chapter);
  for (size_t i = 0; i < h->n_responsible; i++) {
    if (i) cdx_buf_putc(&rc, &b, ',');
    cdx_json_cstr(&rc, &b, h->responsible[i]);
  }
  cdx_buf_puts(&rc, &b, "],\"chapter_lead\":");
  cdx_json_cstr(&rc, &b, h->lead_department);
  cdx_q_hit_facts_json(&rc, &b, h);
  cdx_buf_puts(&rc, &b, ",\"text\":");
  cdx_json_str(&rc, &b, h->text ? h->text : "", h->text ? h->text_len : 0);
  cdx_buf_puts(&rc, &b, ",\"highlights\":[");
  for (size_t i = 0; i < h->n_highlights; i++)
    cdx_buf_printf(&rc, &b, "%s[%zu,%zu]", i ? "," : "", h->highlights[i][0], h->highlights[i][1]);
  cdx_buf_puts(&rc, &b, "]}");
  return cdx_json_finish(rc, &b, out, out_len, err);
}
