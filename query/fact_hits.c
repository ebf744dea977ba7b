/*
 * The facts of a hit: its departments (as written, canonical, roles) and
 * figures from the segment's per-unit fields, which figures satisfied the
 * query's figure filters (--explain, JSON "matched"), highlights widened to
 * whole figures, and their JSON.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "facts/depts.h"
#include "facts/figures.h"
#include "indexer/index_reader.h"
#include "query/query.h"

static int nomem(cdx_error *err) { return cdx_err_nomem(err, "reading a hit's facts"); }

void cdx_q_hit_facts_free(cdx_hit *h) {
  free((void *)h->departments);
  free((void *)h->figures);
  h->departments = NULL;
  h->figures = NULL;
  h->n_departments = h->n_figures = 0;
}

/* Version 7 stores no figure spans: the extractor reads the unit text again
 * (the text they were extracted from) and each stored figure takes the span
 * of the next extracted one with its type, values and measure word, in text
 * order; one it cannot find (an index written by a build whose extractor
 * read differently) keeps an empty span at 0. */
static int find_spans(cdx_hit *h, cdx_hit_figure *f) {
  cdx_figure *x = NULL;
  size_t n = 0;
  cdx_error e2;
  if (!h->text || !h->text_len || cdx_figures_extract(h->text, h->text_len, &x, &n, &e2) != CDX_OK)
    return CDX_OK; /* no text to find them in: spans stay empty */
  size_t k = 0;
  for (size_t i = 0; i < h->n_figures; i++) {
    size_t j = k;
    while (j < n &&
           !(strcmp(cdx_figure_type_name(x[j].type), f[i].type) == 0 && x[j].lo == f[i].lo &&
             x[j].hi == f[i].hi && strcmp(x[j].unit, f[i].unit) == 0))
      j++;
    if (j == n) continue;
    f[i].start = x[j].start;
    f[i].end = x[j].end;
    k = j + 1;
  }
  free(x);
  return CDX_OK;
}

int cdx_q_hit_facts(const cdx_index *ix, size_t seg, uint32_t unit, cdx_hit *h, cdx_error *err) {
  cdx_ix_cursor c;
  int rc = cdx_ix_unit_depts(ix, seg, unit, &c, err);
  if (rc) return rc;
  if (c.left) {
    cdx_hit_dept *d = calloc(c.left, sizeof *d);
    if (!d) return nomem(err);
    h->departments = d;
    for (bool got = true; rc == CDX_OK && got;) {
      cdx_ix_dept e;
      rc = cdx_ix_next_dept(&c, &e, &got, err);
      if (rc == CDX_OK && got)
        d[h->n_departments++] = (cdx_hit_dept){e.written, e.canonical, e.roles, 0};
    }
    if (rc) return rc;
  }
  if ((rc = cdx_ix_unit_figures(ix, seg, unit, &c, err)) != CDX_OK) return rc;
  if (c.left == 0) return CDX_OK;
  cdx_hit_figure *f = calloc(c.left, sizeof *f);
  if (!f) return nomem(err);
  h->figures = f;
  bool spans = true;
  for (bool got = true; rc == CDX_OK && got;) {
    cdx_ix_figure e;
    rc = cdx_ix_next_figure(&c, &e, &got, err);
    if (rc || !got) break;
    /* a span past the text (a corrupt entry) is cut to it */
    size_t s = e.start < h->text_len ? e.start : h->text_len;
    size_t t = e.end < h->text_len ? e.end : h->text_len;
    spans &= e.has_span;
    f[h->n_figures++] = (cdx_hit_figure){cdx_figure_type_name((cdx_figure_type)e.type),
                                         cdx_figure_qual_name((cdx_figure_qual)e.qual),
                                         e.lo,
                                         e.hi,
                                         e.unit,
                                         e.kind,
                                         s,
                                         t < s ? s : t,
                                         0};
  }
  if (rc == CDX_OK && !spans) rc = find_spans(h, f);
  return rc;
}

/* The positive figure filters of the tree (not under NOT). */
static void figure_filters(const cdx_q_node *n, const cdx_q_node **out, size_t *k, size_t cap) {
  if (n->kind == CDX_Q_NOT) return;
  if (n->kind == CDX_Q_FILTER && n->field >= CDX_F_AMOUNT && *k < cap) out[(*k)++] = n;
  for (size_t i = 0; i < n->n_kids; i++) figure_filters(n->kids[i], out, k, cap);
}

static cdx_ix_figure as_ix(const cdx_hit_figure *f) {
  cdx_ix_figure g = {0};
  for (unsigned t = 0; t < 4; t++)
    if (strcmp(f->type, cdx_figure_type_name((cdx_figure_type)t)) == 0) g.type = t;
  g.lo = f->lo;
  g.hi = f->hi;
  g.unit = f->unit;
  g.kind = f->kind;
  return g;
}

static int cmp_span(const void *x, const void *y) {
  const size_t *a = x, *b = y;
  return a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1];
}

/* The positive department filters of the tree (not under NOT). */
static void dept_filters(const cdx_q_node *n, const cdx_q_node **out, size_t *k, size_t cap) {
  if (n->kind == CDX_Q_NOT) return;
  if (n->kind == CDX_Q_FILTER && *k < cap && n->canon &&
      (n->field == CDX_F_DEPT || n->field == CDX_F_LEAD || n->field == CDX_F_CHAPTER_LEAD))
    out[(*k)++] = n;
  for (size_t i = 0; i < n->n_kids; i++) dept_filters(n->kids[i], out, k, cap);
}

/* A department satisfies a filter as the index matched it: the canonical
 * name equal (or starting with NAME for NAME*) in the filter's role. So
 * `dept:市人行` marks 人行乐清营管部 too, and --explain shows that spelling. */
static void mark_depts(const cdx_q_node *root, cdx_hit *h) {
  const cdx_q_node *filters[64];
  size_t nf = 0;
  dept_filters(root, filters, &nf, 64);
  cdx_hit_dept *d = (cdx_hit_dept *)h->departments;
  for (size_t i = 0; i < h->n_departments; i++)
    for (size_t k = 0; k < nf && !d[i].matched; k++) {
      const cdx_q_node *f = filters[k];
      unsigned role = f->field == CDX_F_DEPT   ? CDX_ROLE_LISTED
                      : f->field == CDX_F_LEAD ? CDX_ROLE_LEAD
                                               : CDX_ROLE_CHAPTER_LEAD;
      size_t cl = strlen(f->canon);
      d[i].matched = (d[i].roles & role) && (f->prefix ? strncmp(d[i].canonical, f->canon, cl) == 0
                                                       : strcmp(d[i].canonical, f->canon) == 0);
    }
}

int cdx_q_hit_mark_figures(const cdx_q_node *root, cdx_hit *h, cdx_error *err) {
  mark_depts(root, h);
  if (h->n_figures == 0) return CDX_OK;
  const cdx_q_node *filters[64];
  size_t nf = 0;
  figure_filters(root, filters, &nf, 64);
  cdx_hit_figure *figs = (cdx_hit_figure *)h->figures;
  size_t extra = 0;
  for (size_t i = 0; i < h->n_figures; i++) {
    cdx_ix_figure g = as_ix(&figs[i]);
    for (size_t k = 0; k < nf && !figs[i].matched; k++)
      figs[i].matched = cdx_q_fact_figure_matches(filters[k], &g);
    extra += figs[i].matched != 0;
  }
  /* highlights + matched figures, each widened to the figures it touches */
  size_t n = h->n_highlights + extra;
  if (n == 0) return CDX_OK;
  size_t(*hl)[2] = malloc(n * sizeof *hl);
  if (!hl) return nomem(err);
  size_t m = 0;
  for (size_t i = 0; i < h->n_highlights; i++)
    hl[m][0] = h->highlights[i][0], hl[m++][1] = h->highlights[i][1];
  for (size_t i = 0; i < h->n_figures; i++)
    if (figs[i].matched) hl[m][0] = figs[i].start, hl[m++][1] = figs[i].end;
  for (size_t i = 0; i < m; i++)
    for (size_t k = 0; k < h->n_figures; k++)
      if (hl[i][0] < figs[k].end && figs[k].start < hl[i][1]) {
        if (figs[k].start < hl[i][0]) hl[i][0] = figs[k].start;
        if (figs[k].end > hl[i][1]) hl[i][1] = figs[k].end;
      }
  qsort(hl, m, sizeof *hl, cmp_span);
  size_t w = 0;
  for (size_t i = 0; i < m; i++) {
    if (w && hl[i][0] <= hl[w - 1][1]) {
      if (hl[i][1] > hl[w - 1][1]) hl[w - 1][1] = hl[i][1];
    } else {
      hl[w][0] = hl[i][0];
      hl[w++][1] = hl[i][1];
    }
  }
  if (w > CDX_MAX_HIGHLIGHTS) w = CDX_MAX_HIGHLIGHTS;
  free((void *)h->highlights);
  h->highlights = (const size_t(*)[2])hl;
  h->n_highlights = w;
  return CDX_OK;
}

void cdx_q_hit_facts_json(int *rc, cdx_buf *b, const cdx_hit *h) {
  const char *lead = NULL;
  cdx_buf_puts(rc, b, ",\"depts\":[");
  for (size_t i = 0; i < h->n_departments; i++) {
    const cdx_hit_dept *d = &h->departments[i];
    if (!lead && (d->roles & CDX_ROLE_LEAD)) lead = d->canonical;
    if (i) cdx_buf_putc(rc, b, ',');
    cdx_dept_json(rc, b, d->written, d->canonical, d->roles);
    /* "matched" only when a filter chose it, as for figures: into the
     * object cdx_dept_json just closed */
    if (d->matched && *rc == CDX_OK && b->len && b->data[b->len - 1] == '}') {
      b->len--;
      cdx_buf_puts(rc, b, ",\"matched\":true}");
    }
  }
  cdx_json_member(rc, b, "],\"lead\":", lead);
  cdx_buf_puts(rc, b, ",\"figures\":[");
  for (size_t i = 0; i < h->n_figures; i++) {
    const cdx_hit_figure *f = &h->figures[i];
    if (i) cdx_buf_putc(rc, b, ',');
    cdx_figure_json(rc, b, f->type, f->qual, f->lo, f->hi, f->unit, f->kind, f->start, f->end,
                    h->text, f->matched != 0);
  }
  cdx_buf_putc(rc, b, ']');
}
