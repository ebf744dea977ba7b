/*
 * cdx_results: the returned hits read their stored fields and get
 * highlights; cdx_search_document lists a document's units (show).
 */
#include <stdlib.h>
#include <string.h>
#include "families/families.h"
#include "query/search_state.h"

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

size_t cdx_results_facet_count(const cdx_results *res) {
  return res ? cdx_q_facets_count(res->facets) : 0;
}
const cdx_facet *cdx_results_facet(const cdx_results *res, size_t i) {
  return res ? cdx_q_facets_get(res->facets, i) : NULL;
}

size_t cdx_results_total(const cdx_results *res) { return res ? res->total : 0; }
int cdx_results_total_exact(const cdx_results *res) { return res ? !res->total_partial : 0; }
size_t cdx_results_count(const cdx_results *res) { return res ? res->n : 0; }
const cdx_hit *cdx_results_get(const cdx_results *res, size_t i) {
  return res && i < res->n ? &res->hits[i] : NULL;
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
  if (!ptrs) return cdx_q_nomem(err);
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

/* st == NULL: the document fields and unit metadata only (no_stored). */
static int fill_hit(const cdx_index *ix, cdx_ix_store *st, size_t seg, uint32_t unit, cdx_hit *h,
                    cdx_error *err) {
  cdx_ix_unit_meta m;
  cdx_ix_unit_meta_get(ix, seg, unit, &m);
  cdx_ix_doc_fields d;
  int rc = cdx_ix_doc_fields_get(ix, seg, m.doc, &d, err);
  if (rc) return rc;
  cdx_ix_unit_fields f = {0};
  if (st && (rc = cdx_ix_store_unit(st, seg, unit, &f, err)) != CDX_OK) return rc;
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
  h->chapter = m.chapter;
  if (!st) return CDX_OK;
  char *text = malloc(f.text_len + 1);
  if (!text) return cdx_q_nomem(err);
  memcpy(text, f.text, f.text_len);
  text[f.text_len] = '\0';
  h->text = text;
  h->text_len = f.text_len;
  h->number = cdx_strdup_or_null(f.number);
  h->heading = cdx_strdup_or_null(f.heading);
  h->lead_department = cdx_strdup_or_null(f.lead_department);
  if ((f.number && !h->number) || (f.heading && !h->heading) ||
      (f.lead_department && !h->lead_department))
    return cdx_q_nomem(err);
  uint64_t ss, se;
  if (cdx_ix_unit_source(ix, seg, unit, &ss, &se)) {
    h->source_start = (size_t)ss;
    h->source_end = (size_t)se;
  }
  rc = copy_responsible(&f, h, err);
  return rc ? rc : cdx_q_hit_facts(ix, seg, unit, h, err);
}

int cdx_q_make_hits(cdx_q_search *s, const cdx_search_options *o, cdx_q_heap *h, cdx_results *r,
                    cdx_error *err) {
  cdx_q_heap_sort(h);
  size_t first = o->offset < h->n ? o->offset : h->n;
  size_t n = h->n - first;
  if (n == 0) return CDX_OK;
  r->hits = calloc(n, sizeof *r->hits);
  if (!r->hits) return cdx_q_nomem(err);
  const cdx_q_word **hw = calloc(s->n_words + 1, sizeof *hw);
  if (!hw) return cdx_q_nomem(err);
  size_t nhw = 0;
  for (size_t i = 0; i < s->n_words; i++)
    if (s->words[i].scoring) hw[nhw++] = &s->words[i].w;
  cdx_analyzer *han = NULL;
  bool highlight = !o->no_highlights && !o->no_stored;
  int rc = highlight ? cdx_analyzer_new(CDX_ANALYZE_UNIGRAMS, &han, err) : CDX_OK;
  for (size_t i = 0; rc == CDX_OK && i < n; i++) {
    const cdx_q_cand *c = &h->c[first + i];
    cdx_hit *hit = &r->hits[i];
    r->n = i + 1;
    hit->rank = first + i + 1;
    hit->score = c->score;
    rc = fill_hit(s->ix, o->no_stored ? NULL : s->store, c->seg, c->unit, hit, err);
    if (rc == CDX_OK && highlight) {
      size_t(*hl)[2] = NULL, nhl = 0;
      rc = cdx_q_highlight(han, hit->text, hit->text_len, hw, nhw, &hl, &nhl, err);
      hit->highlights = (const size_t(*)[2])hl;
      hit->n_highlights = nhl;
      if (rc == CDX_OK) rc = cdx_q_hit_mark_figures(s->root, hit, err);
    }
  }
  cdx_analyzer_free(han);
  free(hw);
  return rc;
}

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
  if (!ix || !doc || !*doc)
    return cdx_err_set(err, CDX_INVALID, CDX_NO_OFFSET, "cdx_search_document: no document named");
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
  if (!r) return cdx_q_nomem(err);
  rc = cdx_ix_store_new(ix, &st, err);
  if (rc == CDX_OK && f.n_units) {
    r->hits = calloc(f.n_units, sizeof *r->hits);
    if (!r->hits) rc = cdx_q_nomem(err);
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
    rc = cdx_err_set(err, CDX_NOTFOUND, CDX_NO_OFFSET, "document '%s' has no clause numbered '%s'",
                     doc, number);
  if (rc) {
    cdx_results_free(r);
    return rc;
  }
  r->total = r->n;
  *out = r;
  return CDX_OK;
}
