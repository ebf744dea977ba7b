/* The public alignment: two documents' units prepared, paired, ordered in
 * B's order, each pair with its character diff, changed figures and
 * responsible units. */
#include <stdlib.h>
#include <string.h>
#include "align/align_internal.h"

struct cdx_alignment {
  cdx_results *side[2];
  cdx_al_unit *units[2];
  size_t n_units[2];
  bool borrows_a; /* side 0 and its units belong to the caller */
  cdx_align_pair *pairs;
  size_t n_pairs;
  size_t rel_count[CDX_REL_COUNT];
  cdx_al_strings strs;
};

static const char *const rel_names[CDX_REL_COUNT] = {"same",  "changed", "moved",  "merged",
                                                     "split", "added",   "removed"};

const char *cdx_relation_name(cdx_relation rel) {
  return (unsigned)rel < CDX_REL_COUNT ? rel_names[rel] : NULL;
}

int cdx_relation_from_name(const char *s) {
  for (int i = 0; i < CDX_REL_COUNT; i++)
    if (s && strcmp(s, rel_names[i]) == 0) return i;
  return -1;
}

static int nomem(cdx_error *err) { return cdx_err_nomem(err, "aligning documents"); }

void cdx_alignment_free(cdx_alignment *al) {
  if (!al) return;
  for (size_t i = 0; i < al->n_pairs; i++) {
    free((void *)al->pairs[i].edits);
    free((void *)al->pairs[i].figures);
    free((void *)al->pairs[i].depts);
  }
  free(al->pairs);
  for (int s = al->borrows_a ? 1 : 0; s < 2; s++) {
    for (size_t i = 0; al->units[s] && i < al->n_units[s]; i++) cdx_al_unit_clear(&al->units[s][i]);
    free(al->units[s]);
    cdx_results_free(al->side[s]);
  }
  cdx_al_strings_free(&al->strs);
  free(al);
}

/* Sort key of a link: its B unit, or for a removed unit the B unit that
 * its nearest predecessor in A went to, plus a half. */
typedef struct keyed {
  double key;
  int a;
  size_t link;
} keyed;

static int cmp_keyed(const void *x, const void *y) {
  const keyed *p = x, *q = y;
  if (p->key != q->key) return p->key < q->key ? -1 : 1;
  if (p->a != q->a) return p->a < q->a ? -1 : 1;
  return (p->link > q->link) - (p->link < q->link);
}

static int order_links(const cdx_al_link *links, size_t n, size_t na, size_t **order,
                       cdx_error *err) {
  int *a_b = malloc((na + 1) * sizeof *a_b);
  keyed *k = malloc((n + 1) * sizeof *k);
  *order = malloc((n + 1) * sizeof **order);
  if (!a_b || !k || !*order) {
    free(a_b);
    free(k);
    free(*order);
    *order = NULL;
    return nomem(err);
  }
  for (size_t i = 0; i < na; i++) a_b[i] = -1;
  for (size_t l = 0; l < n; l++)
    if (links[l].a >= 0 && links[l].b >= 0 && (a_b[links[l].a] < 0 || links[l].b < a_b[links[l].a]))
      a_b[links[l].a] = links[l].b;
  for (size_t l = 0; l < n; l++) {
    double key;
    if (links[l].b >= 0) {
      key = links[l].b;
    } else {
      int prev = -1;
      for (int i = links[l].a - 1; i >= 0 && prev < 0; i--) prev = a_b[i];
      key = prev + 0.5;
    }
    k[l] = (keyed){key, links[l].a, l};
  }
  qsort(k, n, sizeof *k, cmp_keyed);
  for (size_t l = 0; l < n; l++) (*order)[l] = k[l].link;
  free(a_b);
  free(k);
  return CDX_OK;
}

static int fill_pair(cdx_alignment *al, const cdx_al_link *l, bool edits, cdx_align_pair *p,
                     cdx_error *err) {
  const cdx_al_unit *a = l->a >= 0 ? &al->units[0][l->a] : NULL;
  const cdx_al_unit *b = l->b >= 0 ? &al->units[1][l->b] : NULL;
  memset(p, 0, sizeof *p);
  p->relation = l->rel;
  p->similarity = l->sim;
  p->group = l->group;
  p->a = a ? a->hit : NULL;
  p->b = b ? b->hit : NULL;
  if (!a || !b) return CDX_OK;
  p->text_changed = !cdx_al_same_text(a, b);
  int rc = CDX_OK;
  if (p->text_changed && !a->truncated && !b->truncated) {
    cdx_edit *e = NULL;
    if (edits) rc = cdx_al_diff(a, b, &e, &p->n_edits, err);
    p->edits = e;
    cdx_figure_change *f = NULL;
    if (rc == CDX_OK) rc = cdx_al_figure_changes(a, b, &al->strs, &f, &p->n_figures, err);
    p->figures = f;
  }
  cdx_dept_change *d = NULL;
  if (rc == CDX_OK) rc = cdx_al_dept_changes(a->hit, b->hit, &d, &p->n_depts, err);
  p->depts = d;
  return rc;
}

int cdx_al_prepare_side(const cdx_results *r, cdx_al_unit **units, size_t *n, cdx_error *err) {
  size_t count = cdx_results_count(r);
  *n = 0;
  *units = calloc(count ? count : 1, sizeof **units);
  if (!*units) return nomem(err);
  int rc = CDX_OK;
  for (size_t i = 0; i < count && rc == CDX_OK; i++, (*n)++)
    rc = cdx_al_unit_prepare(cdx_results_get(r, i), &(*units)[i], err);
  return rc;
}

/* Pairs al's two prepared sides. */
static int align_sides(cdx_alignment *al, const cdx_align_options *opts, cdx_error *err) {
  double tau = opts && opts->threshold > 0 ? opts->threshold : CDX_ALIGN_THRESHOLD;
  if (!(tau <= 1.0))
    return cdx_err_set(err, CDX_INVALID, CDX_NO_OFFSET, "alignment threshold %g is not in (0, 1]",
                       tau);
  cdx_al_link *links = NULL;
  size_t n_links = 0, *order = NULL;
  int rc = cdx_al_match(al->units[0], al->n_units[0], al->units[1], al->n_units[1], tau, &links,
                        &n_links, err);
  if (rc == CDX_OK) rc = order_links(links, n_links, al->n_units[0], &order, err);
  if (rc == CDX_OK) {
    al->pairs = calloc(n_links ? n_links : 1, sizeof *al->pairs);
    if (!al->pairs) rc = nomem(err);
  }
  for (size_t i = 0; rc == CDX_OK && i < n_links; i++) {
    rc = fill_pair(al, &links[order[i]], !(opts && opts->no_edits), &al->pairs[i], err);
    al->n_pairs++;
    al->rel_count[al->pairs[i].relation]++;
  }
  free(links);
  free(order);
  return rc;
}

int cdx_al_align_prepared(const cdx_results *ra, cdx_al_unit *ua, size_t na, cdx_results *rb,
                          const cdx_align_options *opts, cdx_alignment **out, cdx_error *err) {
  *out = NULL;
  cdx_alignment *al = calloc(1, sizeof *al);
  if (!al) {
    cdx_results_free(rb);
    return nomem(err);
  }
  al->borrows_a = true;
  al->side[0] = (cdx_results *)ra; /* never freed: borrows_a */
  al->units[0] = ua;
  al->n_units[0] = na;
  al->side[1] = rb;
  int rc = cdx_al_prepare_side(rb, &al->units[1], &al->n_units[1], err);
  if (rc == CDX_OK) rc = align_sides(al, opts, err);
  if (rc) {
    cdx_alignment_free(al);
    return rc;
  }
  *out = al;
  return CDX_OK;
}

int cdx_align_results(cdx_results *ra, cdx_results *rb, const cdx_align_options *opts,
                      cdx_alignment **out, cdx_error *err) {
  if (out) *out = NULL;
  if (!ra || !rb || !out) {
    cdx_results_free(ra);
    cdx_results_free(rb);
    return cdx_err_set(err, CDX_INVALID, CDX_NO_OFFSET, "cdx_align_results: NULL argument");
  }
  cdx_alignment *al = calloc(1, sizeof *al);
  if (!al) {
    cdx_results_free(ra);
    cdx_results_free(rb);
    return nomem(err);
  }
  al->side[0] = ra;
  al->side[1] = rb;
  int rc = cdx_al_prepare_side(ra, &al->units[0], &al->n_units[0], err);
  if (rc == CDX_OK) rc = cdx_al_prepare_side(rb, &al->units[1], &al->n_units[1], err);
  if (rc == CDX_OK) rc = align_sides(al, opts, err);
  if (rc) {
    cdx_alignment_free(al);
    return rc;
  }
  *out = al;
  return CDX_OK;
}

int cdx_align_documents(const cdx_index *ix, const char *doc_a, const char *doc_b,
                        const cdx_align_options *opts, cdx_alignment **out, cdx_error *err) {
  if (out) *out = NULL;
  if (!ix || !doc_a || !doc_b || !out)
    return cdx_err_set(err, CDX_INVALID, CDX_NO_OFFSET, "cdx_align_documents: NULL argument");
  const char *ida = NULL, *idb = NULL;
  int rc = cdx_index_resolve_doc(ix, doc_a, &ida, err);
  if (rc == CDX_OK) rc = cdx_index_resolve_doc(ix, doc_b, &idb, err);
  if (rc) return rc;
  if (strcmp(ida, idb) == 0)
    return cdx_err_set(err, CDX_INVALID, CDX_NO_OFFSET, "'%s' and '%s' are the same document (%s)",
                       doc_a, doc_b, ida);
  cdx_results *ra = NULL, *rb = NULL;
  rc = cdx_search_document(ix, ida, NULL, &ra, err);
  if (rc == CDX_OK) rc = cdx_search_document(ix, idb, NULL, &rb, err);
  if (rc == CDX_OK && (cdx_results_count(ra) == 0 || cdx_results_count(rb) == 0))
    rc = cdx_err_set(err, CDX_INVALID, CDX_NO_OFFSET, "document %s has no units to compare",
                     cdx_results_count(ra) == 0 ? ida : idb);
  if (rc) {
    cdx_results_free(ra);
    cdx_results_free(rb);
    return rc;
  }
  return cdx_align_results(ra, rb, opts, out, err);
}

size_t cdx_alignment_count(const cdx_alignment *al) { return al ? al->n_pairs : 0; }

const cdx_align_pair *cdx_alignment_get(const cdx_alignment *al, size_t i) {
  return al && i < al->n_pairs ? &al->pairs[i] : NULL;
}

size_t cdx_alignment_relation_count(const cdx_alignment *al, cdx_relation rel) {
  return al && (unsigned)rel < CDX_REL_COUNT ? al->rel_count[rel] : 0;
}

const cdx_results *cdx_alignment_side(const cdx_alignment *al, int side) {
  return al && (side == 0 || side == 1) ? al->side[side] : NULL;
}

/* ---- JSON ---- */

void cdx_al_unit_json(int *rc, cdx_buf *b, const cdx_hit *h) {
  if (!h) {
    cdx_buf_puts(rc, b, "null");
    return;
  }
  cdx_json_member(rc, b, "{\"doc\":", h->doc);
  cdx_json_member(rc, b, ",\"kind\":", cdx_unit_kind_name(h->kind));
  cdx_json_member(rc, b, ",\"number\":", h->number);
  cdx_json_member(rc, b, ",\"heading\":", h->heading);
  cdx_buf_printf(rc, b, ",\"ordinal\":%d,\"chapter\":%d,\"departments\":[", h->ordinal, h->chapter);
  for (size_t i = 0; i < h->n_responsible; i++) {
    if (i) cdx_buf_putc(rc, b, ',');
    cdx_json_cstr(rc, b, h->responsible[i]);
  }
  cdx_buf_puts(rc, b, "]}");
}

static void span_json(int *rc, cdx_buf *b, const char *key, size_t s, size_t e, bool present) {
  cdx_buf_printf(rc, b, ",\"%s\":", key);
  if (present) cdx_buf_printf(rc, b, "[%zu,%zu]", s, e);
  else cdx_buf_puts(rc, b, "null");
}

static const char *const dept_change_names[] = {"added", "removed", "lead"};

void cdx_al_pair_json(int *rc, cdx_buf *b, const cdx_align_pair *p) {
  cdx_json_member(rc, b, "{\"type\":\"pair\",\"relation\":", cdx_relation_name(p->relation));
  cdx_buf_printf(rc, b, ",\"similarity\":%.4f,\"group\":", p->similarity);
  if (p->group) cdx_buf_printf(rc, b, "%d", p->group);
  else cdx_buf_puts(rc, b, "null");
  cdx_buf_puts(rc, b, ",\"a\":");
  cdx_al_unit_json(rc, b, p->a);
  cdx_buf_puts(rc, b, ",\"b\":");
  cdx_al_unit_json(rc, b, p->b);
  cdx_buf_printf(rc, b, ",\"text_changed\":%s,\"changes\":[", p->text_changed ? "true" : "false");
  bool first = true;
  for (size_t i = 0; i < p->n_edits; i++) {
    const cdx_edit *e = &p->edits[i];
    if (e->op == CDX_EDIT_EQUAL) continue;
    bool del = e->op == CDX_EDIT_DELETE;
    cdx_buf_printf(rc, b, "%s{\"op\":\"%s\"", first ? "" : ",", del ? "delete" : "insert");
    span_json(rc, b, "a", e->a_start, e->a_end, del);
    span_json(rc, b, "b", e->b_start, e->b_end, !del);
    cdx_buf_puts(rc, b, ",\"text\":");
    if (del) cdx_json_str(rc, b, p->a->text + e->a_start, e->a_end - e->a_start);
    else cdx_json_str(rc, b, p->b->text + e->b_start, e->b_end - e->b_start);
    cdx_buf_putc(rc, b, '}');
    first = false;
  }
  cdx_buf_puts(rc, b, "],\"figure_changes\":[");
  for (size_t i = 0; i < p->n_figures; i++) {
    const cdx_figure_change *f = &p->figures[i];
    cdx_json_member(rc, b, i ? ",{\"context\":" : "{\"context\":", f->context);
    cdx_json_member(rc, b, ",\"from\":", f->a);
    cdx_json_member(rc, b, ",\"to\":", f->b);
    span_json(rc, b, "a", f->a_start, f->a_end, f->a != NULL);
    span_json(rc, b, "b", f->b_start, f->b_end, f->b != NULL);
    cdx_buf_putc(rc, b, '}');
  }
  cdx_buf_puts(rc, b, "],\"department_changes\":[");
  for (size_t i = 0; i < p->n_depts; i++) {
    cdx_buf_printf(rc, b, "%s{\"change\":\"%s\",\"name\":", i ? "," : "",
                   dept_change_names[p->depts[i].kind]);
    cdx_json_cstr(rc, b, p->depts[i].name);
    cdx_buf_putc(rc, b, '}');
  }
  cdx_buf_puts(rc, b, "]}");
}

int cdx_align_pair_to_json(const cdx_align_pair *p, char **out, size_t *out_len, cdx_error *err) {
  cdx_buf b;
  int rc = cdx_json_start(p, out, __func__, &b, err);
  if (rc != CDX_OK) return rc;
  cdx_al_pair_json(&rc, &b, p);
  return cdx_json_finish(rc, &b, out, out_len, err);
}
