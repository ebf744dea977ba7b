/*
 * The parsed tree -> posting iterators over one segment: a word is a term
 * leaf or a PHRASE over its tokens (verified against folded stored text when
 * its tokens are not proof), AND/OR/ANDNOT as written, metadata filters as
 * column predicates (filters.c).
 */
#include <stdlib.h>
#include <string.h>
#include "query/search_state.h"

int cdx_q_nomem(cdx_error *err) {
  return cdx_err_set(err, CDX_NOMEM, CDX_NO_OFFSET, "out of memory running the query");
}

/* Collects the words of the tree, depth first, in query order. */
int cdx_q_collect_words(cdx_q_search *s, const cdx_q_node *n, bool positive, cdx_error *err) {
  if (n->kind == CDX_Q_WORD || n->kind == CDX_Q_PHRASE) {
    cdx_q_search_word *p = realloc(s->words, (s->n_words + 1) * sizeof *p);
    if (!p) return cdx_q_nomem(err);
    s->words = p;
    cdx_q_search_word *q = &s->words[s->n_words];
    memset(q, 0, sizeof *q);
    q->node = n;
    q->scoring = positive;
    int rc = cdx_q_word_analyze(s->an, n->text, n->text_len, n->kind == CDX_Q_PHRASE, &q->w, err);
    if (rc) {
      if (rc == CDX_ENCODING && err)
        err->offset = n->offset + (err->offset != CDX_NO_OFFSET ? err->offset : 0);
      return rc;
    }
    s->n_words++;
    if (q->w.n_toks == 0)
      return cdx_err_set(err, CDX_SYNTAX, n->offset,
                         "query syntax error at byte %zu: '%.*s' has no letters, digits or "
                         "Chinese characters to search for",
                         n->offset, (int)n->text_len, n->text);
    return CDX_OK;
  }
  for (size_t i = 0; i < n->n_kids; i++) {
    int rc = cdx_q_collect_words(s, n->kids[i], positive && n->kind != CDX_Q_NOT, err);
    if (rc) return rc;
  }
  return CDX_OK;
}

static cdx_q_search_word *word_of(cdx_q_search *s, const cdx_q_node *n) {
  for (size_t i = 0; i < s->n_words; i++)
    if (s->words[i].node == n) return &s->words[i];
  return NULL;
}

/* ---- Verification against folded stored text ---- */

static int verify_unit(void *ctx, uint32_t unit, const cdx_q_word *w, bool *ok, cdx_error *err) {
  cdx_q_search *s = ctx;
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

static int compile_word(cdx_q_search *s, cdx_q_search_word *q, cdx_q_it **out, cdx_error *err) {
  const cdx_q_word *w = &q->w;
  if (w->n_toks == 1 && !w->needs_verify) {
    int rc = cdx_q_ix_token_leaf(s->ix, s->seg, w->toks[0].term, w->toks[0].term_len,
                                 w->toks[0].type, out, err);
    if (rc == CDX_OK) q->leaf = *out;
    return rc;
  }
  cdx_q_it **kids = calloc(w->n_toks, sizeof *kids);
  uint32_t *rel = calloc(w->n_toks, sizeof *rel);
  if (!kids || !rel) {
    free(kids);
    free(rel);
    return cdx_q_nomem(err);
  }
  int rc = CDX_OK;
  size_t made = 0;
  for (; made < w->n_toks; made++) {
    rc = cdx_q_ix_token_leaf(s->ix, s->seg, w->toks[made].term, w->toks[made].term_len,
                             w->toks[made].type, &kids[made], err);
    if (rc) break;
    rel[made] = w->toks[made].rel;
  }
  if (rc) {
    for (size_t i = 0; i < made; i++) cdx_q_it_free(kids[i]);
  } else {
    *out = cdx_q_phrase_new(kids, rel, w->n_toks, w, verify_unit, s);
    if (!*out) rc = cdx_q_nomem(err);
    else q->leaf = *out;
  }
  free(kids);
  free(rel);
  return rc;
}

/* dept: -> every token of the value as a 0x01 field term, ANDed. */
static int compile_dept(cdx_q_search *s, const cdx_q_node *n, cdx_q_it **out, cdx_error *err) {
  cdx_q_word w;
  int rc = cdx_q_word_analyze(s->an, n->text, n->text_len, false, &w, err);
  if (rc) return rc;
  if (w.n_toks == 0) {
    cdx_q_word_clear(&w);
    return cdx_err_set(err, CDX_SYNTAX, n->offset,
                       "query syntax error at byte %zu: dept: needs "
                       "a department name",
                       n->offset);
  }
  cdx_q_it **kids = calloc(w.n_toks, sizeof *kids);
  if (!kids) {
    cdx_q_word_clear(&w);
    return cdx_q_nomem(err);
  }
  size_t made = 0;
  for (; made < w.n_toks && rc == CDX_OK; made++) {
    char buf[256];
    if (w.toks[made].term_len + 1 > sizeof buf) {
      rc = cdx_err_set(err, CDX_LIMIT, n->offset, "dept: term too long");
      break;
    }
    buf[0] = CDX_IX_FIELD_DEPT;
    memcpy(buf + 1, w.toks[made].term, w.toks[made].term_len);
    rc = cdx_q_ix_token_leaf(s->ix, s->seg, buf, w.toks[made].term_len + 1, w.toks[made].type,
                             &kids[made], err);
    if (rc) break;
  }
  if (rc) {
    for (size_t i = 0; i < made; i++) cdx_q_it_free(kids[i]);
  } else {
    *out = w.n_toks == 1 ? kids[0] : cdx_q_and_new(kids, w.n_toks);
    if (!*out) rc = cdx_q_nomem(err);
  }
  free(kids);
  cdx_q_word_clear(&w);
  return rc;
}

/* A field term of a fact filter (fact_filter.c): one term, or a prefix's union. */
static int fact_leaf(void *ctx, const char *term, size_t len, bool prefix, cdx_q_it **out,
                     cdx_error *err) {
  cdx_q_search *s = ctx;
  return prefix ? cdx_q_ix_prefix_leaf(s->ix, s->seg, term, len, out, err)
                : cdx_q_ix_term_leaf(s->ix, s->seg, term, len, out, err);
}

static int compile_filter(cdx_q_search *s, const cdx_q_node *n, cdx_q_it **out, cdx_error *err) {
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
    if (rc == CDX_NOMEM) return cdx_q_nomem(err);
    if (rc)
      return cdx_err_set(err, CDX_SYNTAX, n->offset,
                         "query syntax error at byte %zu: "
                         "'%.*s' is not a document number",
                         n->offset, (int)n->text_len, n->text);
    rc = cdx_q_ix_term_leaf(s->ix, s->seg, term, len, out, err);
    free(term);
    return rc;
  }
  int rc = CDX_OK;
  cdx_buf b;
  cdx_buf_init(&b);
  cdx_q_node_describe(n, &rc, &b);
  const char *label = cdx_buf_str(&rc, &b);
  *out = rc ? NULL : cdx_q_pred_it(s, n, label);
  cdx_buf_free(&b);
  return *out ? CDX_OK : cdx_q_nomem(err);
}

static int compile_list(cdx_q_search *s, const cdx_q_node *n, bool is_or, cdx_q_it **out,
                        cdx_error *err) {
  cdx_q_it **pos = calloc(n->n_kids, sizeof *pos);
  cdx_q_it **neg = calloc(n->n_kids, sizeof *neg);
  size_t np = 0, nn = 0;
  int rc = pos && neg ? CDX_OK : cdx_q_nomem(err);
  for (size_t i = 0; rc == CDX_OK && i < n->n_kids; i++) {
    const cdx_q_node *k = n->kids[i];
    /* A wide list opens many posting lists (a character: every term that
     * starts with it): the time limit is checked between them. */
    if ((rc = cdx_q_deadline_check(s, err)) != CDX_OK) break;
    if (k->kind == CDX_Q_NOT) {
      rc = cdx_q_compile(s, k->kids[0], &neg[nn], err);
      if (rc == CDX_OK) nn++;
    } else {
      rc = cdx_q_compile(s, k, &pos[np], err);
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
    rc = cdx_q_nomem(err);
  }
  if (it && nn > 0) {
    cdx_q_it *ex = nn == 1 ? neg[0] : cdx_q_or_new(neg, nn);
    if (!ex) {
      cdx_q_it_free(it);
      it = NULL;
      rc = cdx_q_nomem(err);
    } else if (!(it = cdx_q_not_new(it, ex))) rc = cdx_q_nomem(err);
  }
  free(pos);
  free(neg);
  *out = it;
  return rc;
}

int cdx_q_compile(cdx_q_search *s, const cdx_q_node *n, cdx_q_it **out, cdx_error *err) {
  *out = NULL;
  switch (n->kind) {
    case CDX_Q_WORD:
    case CDX_Q_PHRASE: return compile_word(s, word_of(s, n), out, err);
    case CDX_Q_FILTER: return compile_filter(s, n, out, err);
    case CDX_Q_AND: return compile_list(s, n, false, out, err);
    case CDX_Q_OR: return compile_list(s, n, true, out, err);
    case CDX_Q_NOT: break; /* the parser only lets NOT under AND */
  }
  return cdx_err_set(err, CDX_SYNTAX, n->offset, "query syntax error at byte %zu: misplaced NOT",
                     n->offset);
}
