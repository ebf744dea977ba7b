/* Coverage: for every clause of a policy, which jurisdictions below a place
 * adopted it in their latest policies. Each latest document under the
 * place is aligned with the policy, so adoption means what `diff` means
 * by a pair: matched by content, merged clauses included. */
#include <stdlib.h>
#include <string.h>
#include "align/align_internal.h"
#include "lexicon/gazetteer.h"

struct cdx_coverage {
  cdx_alignment **al; /* one per compared document */
  uint32_t *al_code;  /* its jurisdiction */
  size_t n_al;
  const char **names; /* jurisdictions, code order */
  uint32_t *codes;
  size_t n_juris;
  cdx_results *base;       /* the document's units; rows point into it */
  cdx_al_unit *base_units; /* prepared once, borrowed by every alignment */
  size_t n_base_units;
  cdx_coverage_row *rows;
  size_t n_rows;
};

static int nomem(cdx_error *err) { return cdx_err_nomem(err, "computing coverage"); }

void cdx_coverage_free(cdx_coverage *cv) {
  if (!cv) return;
  for (size_t i = 0; i < cv->n_rows; i++) {
    free((void *)cv->rows[i].matches);
    free((void *)cv->rows[i].missing);
  }
  free(cv->rows);
  for (size_t i = 0; i < cv->n_al; i++) cdx_alignment_free(cv->al[i]);
  free(cv->al);
  free(cv->al_code);
  free(cv->names);
  free(cv->codes);
  for (size_t i = 0; cv->base_units && i < cv->n_base_units; i++)
    cdx_al_unit_clear(&cv->base_units[i]);
  free(cv->base_units);
  cdx_results_free(cv->base);
  free(cv);
}

size_t cdx_coverage_count(const cdx_coverage *cv) { return cv ? cv->n_rows : 0; }
const cdx_coverage_row *cdx_coverage_get(const cdx_coverage *cv, size_t i) {
  return cv && i < cv->n_rows ? &cv->rows[i] : NULL;
}
size_t cdx_coverage_jurisdictions(const cdx_coverage *cv, const char *const **names) {
  if (names) *names = cv ? cv->names : NULL;
  return cv ? cv->n_juris : 0;
}

/* A place by name (温州市, 温州, 溫州) or GB/T 2260 code. */
static int resolve_place(const char *under, uint32_t *code, cdx_error *err) {
  char *end;
  unsigned long v = strtoul(under, &end, 10);
  if (*under >= '0' && *under <= '9' && *end == '\0') {
    const cdx_gz_place *p = cdx_gz_by_code((uint32_t)v);
    if (!p) return cdx_err_set(err, CDX_NOTFOUND, CDX_NO_OFFSET, "no place with code %s", under);
    *code = p->code;
    return CDX_OK;
  }
  char *folded = NULL;
  size_t flen = 0;
  int rc = cdx_fold_text(under, strlen(under), &folded, &flen, err);
  if (rc) return rc;
  const cdx_gz_place *found[4];
  size_t n = cdx_gz_lookup(folded, flen, found, 4);
  if (n == 0) n = cdx_gz_lookup(under, strlen(under), found, 4);
  cdx_free(folded);
  if (n == 0) return cdx_err_set(err, CDX_NOTFOUND, CDX_NO_OFFSET, "no place named '%s'", under);
  /* Higher levels come first; two places of the highest level found are
   * ambiguous (朝阳区 exists many times). */
  if (n > 1 && found[0]->level == found[1]->level)
    return cdx_err_set(err, CDX_INVALID, CDX_NO_OFFSET,
                       "'%s' names %zu places (%u, %u, ...): give its code", under, n,
                       (unsigned)found[0]->code, (unsigned)found[1]->code);
  *code = found[0]->code;
  return CDX_OK;
}

static int add_jurisdiction(cdx_coverage *cv, uint32_t code, const char *name, size_t *cap) {
  for (size_t i = 0; i < cv->n_juris; i++)
    if (cv->codes[i] == code) return CDX_OK;
  if (cv->n_juris == *cap) {
    size_t nc = *cap ? 2 * *cap : 16;
    const char **n = realloc(cv->names, nc * sizeof *n);
    if (!n) return CDX_NOMEM;
    cv->names = n;
    uint32_t *c = realloc(cv->codes, nc * sizeof *c);
    if (!c) return CDX_NOMEM;
    cv->codes = c;
    *cap = nc;
  }
  size_t i = cv->n_juris++;
  for (; i > 0 && cv->codes[i - 1] > code; i--) {
    cv->codes[i] = cv->codes[i - 1];
    cv->names[i] = cv->names[i - 1];
  }
  cv->codes[i] = code;
  cv->names[i] = name;
  return CDX_OK;
}

/* A policy's name without its place: the title folded, with the
 * jurisdiction's name taken out (温州市推动经济高质量发展若干政策 and
 * 乐清市推动经济高质量发展若干政策(2025年版) are one name), as shingles. */
static int title_shingles(const char *title, const char *place, cdx_al_unit *u, cdx_error *err) {
  char *t = NULL, *p = NULL;
  size_t tl = 0, pl = 0;
  int rc = cdx_fold_text(title ? title : "", title ? strlen(title) : 0, &t, &tl, err);
  if (rc == CDX_OK && place) rc = cdx_fold_text(place, strlen(place), &p, &pl, err);
  if (rc == CDX_OK && p && pl)
    for (char *at = strstr(t, p); at; at = strstr(at, p)) {
      memmove(at, at + pl, strlen(at + pl) + 1);
      tl -= pl;
    }
  if (rc == CDX_OK) rc = cdx_al_text_prepare(t, tl, u, err);
  cdx_free(t);
  cdx_free(p);
  return rc;
}

/* Dice of two title shingle sets. */
static double title_similarity(const cdx_al_unit *a, const cdx_al_unit *b) {
  size_t d = a->n_sh + b->n_sh;
  return d ? 2.0 * (double)cdx_al_common(a, b) / (double)d : 0;
}

int cdx_coverage_compute(const cdx_index *ix, const char *doc, const char *under,
                         const cdx_align_options *opts, cdx_coverage **out, cdx_error *err) {
  if (out) *out = NULL;
  if (!ix || !doc || !under || !out)
    return cdx_err_set(err, CDX_INVALID, CDX_NO_OFFSET, "cdx_coverage_compute: NULL argument");
  const char *id = NULL;
  uint32_t place = 0;
  int rc = cdx_index_resolve_doc(ix, doc, &id, err);
  if (rc == CDX_OK) rc = resolve_place(under, &place, err);
  if (rc) return rc;
  cdx_coverage *cv = calloc(1, sizeof *cv);
  if (!cv) return nomem(err);
  size_t nd = cdx_index_doc_count(ix), cap_j = 0;
  cv->al = calloc(nd ? nd : 1, sizeof *cv->al);
  cv->al_code = calloc(nd ? nd : 1, sizeof *cv->al_code);
  if (!cv->al || !cv->al_code) rc = nomem(err);
  /* The report shows relations and figures, not character changes. */
  cdx_align_options o = opts ? *opts : (cdx_align_options){0};
  o.no_edits = 1;
  cdx_al_unit base_title = {0};
  if (rc == CDX_OK) rc = cdx_search_document(ix, id, NULL, &cv->base, err);
  if (rc == CDX_OK) rc = cdx_al_prepare_side(cv->base, &cv->base_units, &cv->n_base_units, err);
  if (rc == CDX_OK && cv->n_base_units == 0)
    rc = cdx_err_set(err, CDX_INVALID, CDX_NO_OFFSET, "document %s has no units to compare", id);
  for (size_t i = 0; rc == CDX_OK && i < nd; i++) {
    cdx_index_doc d;
    rc = cdx_index_doc_get(ix, i, &d, err);
    if (rc == CDX_OK && strcmp(d.id, id) == 0)
      rc = title_shingles(d.title, d.jurisdiction, &base_title, err);
  }
  for (size_t i = 0; rc == CDX_OK && i < nd; i++) {
    cdx_index_doc d;
    rc = cdx_index_doc_get(ix, i, &d, err);
    if (rc) break;
    if (!d.latest || strcmp(d.id, id) == 0 || d.jurisdiction_code == place ||
        !d.jurisdiction_code || !cdx_gz_within(d.jurisdiction_code, place))
      continue;
    /* Every jurisdiction with a latest policy is counted; the policies
     * compared are those of the document's name, a county's own version of
     * the city's policy. A jurisdiction without one lacks every clause. */
    if (add_jurisdiction(cv, d.jurisdiction_code, d.jurisdiction ? d.jurisdiction : d.id, &cap_j)) {
      rc = nomem(err);
      break;
    }
    cdx_al_unit tu;
    rc = title_shingles(d.title, d.jurisdiction, &tu, err);
    if (rc) break;
    double ts = title_similarity(&base_title, &tu);
    cdx_al_unit_clear(&tu);
    if (ts < CDX_COVERAGE_TITLE) continue;
    cdx_results *units = NULL;
    rc = cdx_search_document(ix, d.id, NULL, &units, err);
    if (rc) break;
    if (cdx_results_count(units) == 0) {
      cdx_results_free(units);
      continue;
    }
    cdx_alignment *al = NULL;
    rc = cdx_al_align_prepared(cv->base, cv->base_units, cv->n_base_units, units, &o, &al, err);
    if (rc) break;
    cv->al[cv->n_al] = al;
    cv->al_code[cv->n_al++] = d.jurisdiction_code;
  }
  cdx_al_unit_clear(&base_title);
  const cdx_results *base = cv->base;
  size_t nu = cdx_results_count(base);
  if (rc == CDX_OK) {
    cv->rows = calloc(nu ? nu : 1, sizeof *cv->rows);
    if (!cv->rows) rc = nomem(err);
  }
  for (size_t u = 0; rc == CDX_OK && u < nu; u++) {
    const cdx_hit *h = cdx_results_get(base, u);
    if (h->kind != CDX_UNIT_CLAUSE) continue;
    cdx_coverage_row *row = &cv->rows[cv->n_rows++];
    cdx_coverage_match *m = calloc(cv->n_juris + 1, sizeof *m);
    const char **missing = calloc(cv->n_juris + 1, sizeof *missing);
    row->matches = m;
    row->missing = missing;
    if (!m || !missing) {
      rc = nomem(err);
      break;
    }
    row->unit = h;
    for (size_t j = 0; j < cv->n_juris; j++) {
      const cdx_align_pair *best = NULL;
      for (size_t a = 0; a < cv->n_al; a++) {
        if (cv->al_code[a] != cv->codes[j]) continue;
        for (size_t p = 0; p < cdx_alignment_count(cv->al[a]); p++) {
          const cdx_align_pair *pr = cdx_alignment_get(cv->al[a], p);
          if (pr->a && pr->b && pr->a->ordinal == h->ordinal &&
              (!best || pr->similarity > best->similarity))
            best = pr;
        }
      }
      if (best) m[row->n_matches++] = (cdx_coverage_match){cv->names[j], cv->codes[j], best};
      else missing[row->n_missing++] = cv->names[j];
    }
  }
  if (rc) {
    cdx_coverage_free(cv);
    return rc;
  }
  *out = cv;
  return CDX_OK;
}

int cdx_coverage_row_to_json(const cdx_coverage_row *r, char **out, size_t *out_len,
                             cdx_error *err) {
  cdx_buf b;
  int rc = cdx_json_start(r, out, __func__, &b, err);
  if (rc != CDX_OK) return rc;
  cdx_buf_puts(&rc, &b, "{\"type\":\"clause\",\"unit\":");
  cdx_al_unit_json(&rc, &b, r->unit);
  cdx_buf_puts(&rc, &b, ",\"matches\":[");
  for (size_t i = 0; i < r->n_matches; i++) {
    cdx_json_member(&rc, &b,
                    i ? ",{\"jurisdiction\":" : "{\"jurisdiction\":", r->matches[i].jurisdiction);
    cdx_buf_printf(
        &rc, &b, ",\"jurisdiction_code\":%u,\"pair\":", (unsigned)r->matches[i].jurisdiction_code);
    cdx_al_pair_json(&rc, &b, r->matches[i].pair);
    cdx_buf_putc(&rc, &b, '}');
  }
  cdx_buf_puts(&rc, &b, "],\"missing\":[");
  for (size_t i = 0; i < r->n_missing; i++) {
    if (i) cdx_buf_putc(&rc, &b, ',');
    cdx_json_cstr(&rc, &b, r->missing[i]);
  }
  cdx_buf_puts(&rc, &b, "]}");
  return cdx_json_finish(rc, &b, out, out_len, err);
}
