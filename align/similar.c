/* Units similar to a clause across the whole index, without comparing it
 * with every unit: the index is asked, through the query engine, for the
 * units that hold the clause's rarest bigrams (filters applied there), and
 * only those candidates are scored exactly. This is the prefix-filter idea
 * of similarity joins: two units with a high Dice share rare shingles. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "align/align_internal.h"
#include "indexer/index_reader.h"

/* How many of the rarest bigrams make the candidate query, and how many
 * candidates per wanted hit are scored exactly (docs/ALIGN.md). */
#define SIG_TERMS 32
#define CANDIDATES_PER_HIT 8
#define MIN_CANDIDATES 64

struct cdx_similar_results {
  cdx_results *candidates;
  cdx_results *source_res;
  const cdx_hit *source;
  cdx_similar_hit *hits;
  size_t n;
};

static int nomem(cdx_error *err) { return cdx_err_nomem(err, "finding similar units"); }

void cdx_similar_free(cdx_similar_results *r) {
  if (!r) return;
  cdx_results_free(r->candidates);
  cdx_results_free(r->source_res);
  free(r->hits);
  free(r);
}

size_t cdx_similar_count(const cdx_similar_results *r) { return r ? r->n : 0; }
const cdx_similar_hit *cdx_similar_get(const cdx_similar_results *r, size_t i) {
  return r && i < r->n ? &r->hits[i] : NULL;
}
const cdx_hit *cdx_similar_source(const cdx_similar_results *r) { return r ? r->source : NULL; }

static bool is_han(uint32_t c) {
  return (c >= 0x3400 && c <= 0x4DBF) || (c >= 0x4E00 && c <= 0x9FFF) ||
         (c >= 0xF900 && c <= 0xFAFF) || (c >= 0x20000 && c <= 0x3134F);
}

typedef struct sig_term {
  char bytes[8];
  size_t len;
  uint64_t df;
} sig_term;

static int cmp_sig(const void *x, const void *y) {
  const sig_term *a = x, *b = y;
  if (a->df != b->df) return a->df < b->df ? -1 : 1;
  int c = memcmp(a->bytes, b->bytes, a->len < b->len ? a->len : b->len);
  return c ? c : (a->len > b->len) - (a->len < b->len);
}

static int cmp_bytes(const void *x, const void *y) {
  const sig_term *a = x, *b = y;
  int c = memcmp(a->bytes, b->bytes, a->len < b->len ? a->len : b->len);
  return c ? c : (a->len > b->len) - (a->len < b->len);
}

/* The document whose units a candidate query must look past (the cited
 * unit's own), or none. */
typedef struct own_doc {
  bool any;
  size_t seg;
  uint32_t doc;
} own_doc;

/* Below this many units a term's postings are read to see whether a live
 * unit of another document holds it: df counts deleted units until a merge,
 * and a re-indexed document counts twice, so a word only the cited
 * document has can show df 2 and would find nothing else. */
#define CHECK_DF 8

/* True when a live unit outside `own` holds the term. */
static int found_elsewhere(const cdx_index *ix, const sig_term *t, const own_doc *own, bool *yes,
                           cdx_error *err) {
  *yes = false;
  for (size_t seg = 0; seg < cdx_ix_segment_count(ix) && !*yes; seg++) {
    cdx_ix_postings *it = NULL;
    int rc = cdx_ix_postings_open(ix, seg, t->bytes, t->len, &it, err);
    if (rc) return rc;
    for (uint32_t u; rc == CDX_OK && !*yes && (u = cdx_ix_postings_unit(it)) != CDX_IX_END;
         rc = cdx_ix_postings_next(it, err))
      *yes = !cdx_ix_unit_deleted(ix, seg, u) &&
             !(own->any && seg == own->seg && cdx_ix_unit_doc(ix, seg, u) == own->doc);
    cdx_ix_postings_free(it);
    if (rc) return rc;
  }
  return CDX_OK;
}

/* Adds to t (n of them, room for cap) the distinct index terms of u's body
 * that are not there yet and that some live unit outside `own` holds. */
static int collect_terms(const cdx_index *ix, const cdx_al_unit *u, const own_doc *own, sig_term *t,
                         size_t *n, size_t cap, cdx_error *err) {
  size_t first = *n, m = *n;
  for (size_t i = u->body_start; i + 1 < u->body_end && m < cap; i++) {
    if (!is_han(u->cp[i]) || !is_han(u->cp[i + 1]) || u->src[2 * i + 1] != u->src[2 * (i + 1)])
      continue;
    sig_term s = {{0}, 0, 0};
    s.len = cdx_utf8_encode(u->cp[i], s.bytes);
    s.len += cdx_utf8_encode(u->cp[i + 1], s.bytes + s.len);
    t[m++] = s;
  }
  qsort(t + first, m - first, sizeof *t, cmp_bytes);
  for (size_t i = first; i < m; i++) {
    if (i > first && cmp_bytes(&t[i], &t[i - 1]) == 0) continue;
    bool dup = false;
    for (size_t k = 0; k < first && !dup; k++) dup = cmp_bytes(&t[k], &t[i]) == 0;
    if (dup) continue;
    int rc = cdx_ix_term_df(ix, t[i].bytes, t[i].len, &t[i].df, err);
    if (rc) return rc;
    bool keep = t[i].df > CHECK_DF;
    if (!keep && t[i].df > 0) rc = found_elsewhere(ix, &t[i], own, &keep, err);
    if (rc) return rc;
    if (keep) t[(*n)++] = t[i];
  }
  return CDX_OK;
}

/* The candidate query: a few words of the heading (a county that adopts a
 * city clause keeps its heading even when it rewrites the body), then the
 * body's rarest, ORed, then the user's filters. Words are index terms: two
 * Han characters with nothing between them in the original text, held by a
 * live unit of another document than the cited one (collect_terms). The
 * words are taken
 * rarest first while their postings add up to at most POSTINGS_BUDGET, so
 * the cost of the query does not grow with the index (the first word is
 * always taken). */
#define HEADING_TERMS 4
#define POSTINGS_BUDGET 200000u
static int build_query(const cdx_index *ix, const cdx_al_unit *u, const cdx_al_unit *heading,
                       const own_doc *own, const char *filter, char **out, cdx_error *err) {
  *out = NULL;
  size_t hcap = heading ? heading->body_end - heading->body_start + 1 : 0;
  size_t cap = u->body_end - u->body_start + hcap + 1;
  sig_term *t = malloc(cap * sizeof *t);
  if (!t) return nomem(err);
  size_t nh = 0, n = 0;
  int rc = heading ? collect_terms(ix, heading, own, t, &nh, hcap, err) : CDX_OK;
  if (rc == CDX_OK) {
    qsort(t, nh, sizeof *t, cmp_sig);
    n = nh = nh > HEADING_TERMS ? HEADING_TERMS : nh;
    rc = collect_terms(ix, u, own, t, &n, cap, err);
  }
  if (rc == CDX_OK && n == 0)
    rc = cdx_err_set(err, CDX_NOTFOUND, CDX_NO_OFFSET,
                     "no word of the text occurs elsewhere in the index");
  cdx_buf b;
  cdx_buf_init(&b);
  if (rc == CDX_OK) {
    qsort(t, n, sizeof *t, cmp_sig);
    uint64_t postings = 0;
    size_t taken = 0;
    cdx_buf_putc(&rc, &b, '(');
    for (size_t k = 0; k < n && taken < SIG_TERMS; k++) {
      if (taken && postings + t[k].df > POSTINGS_BUDGET) break;
      postings += t[k].df;
      if (taken++) cdx_buf_puts(&rc, &b, " OR ");
      cdx_buf_append(&rc, &b, t[k].bytes, t[k].len);
    }
    cdx_buf_putc(&rc, &b, ')');
    if (filter && *filter) {
      cdx_buf_putc(&rc, &b, ' ');
      cdx_buf_puts(&rc, &b, filter);
    }
    cdx_buf_str(&rc, &b);
    if (rc) rc = nomem(err);
  }
  free(t);
  if (rc) {
    cdx_buf_free(&b);
    return rc;
  }
  *out = cdx_buf_detach(&b, NULL);
  return CDX_OK;
}

static int cmp_hit(const void *x, const void *y) {
  const cdx_similar_hit *a = x, *b = y;
  if (a->similarity != b->similarity) return a->similarity > b->similarity ? -1 : 1;
  return (a->hit->rank > b->hit->rank) - (a->hit->rank < b->hit->rank);
}

/* The unit a citation DOC#NUMBER names. */
static int cited_unit(const cdx_index *ix, const char *citation, cdx_results **res,
                      cdx_error *err) {
  const char *hash = strrchr(citation, '#');
  if (!hash || !hash[1])
    return cdx_err_set(
        err, CDX_INVALID, CDX_NO_OFFSET,
        "'%s' names no clause: cite one as DOC#NUMBER, e.g. 乐政发〔2025〕4号#（三）", citation);
  size_t dl = (size_t)(hash - citation);
  char *doc = malloc(dl + 1);
  if (!doc) return nomem(err);
  memcpy(doc, citation, dl);
  doc[dl] = '\0';
  const char *id = NULL;
  int rc = cdx_index_resolve_doc(ix, doc, &id, err);
  if (rc == CDX_OK) rc = cdx_search_document(ix, id, hash + 1, res, err);
  if (rc == CDX_OK && cdx_results_count(*res) != 1)
    rc = cdx_err_set(err, CDX_INVALID, CDX_NO_OFFSET, "'%s' names %zu units of %s", citation,
                     cdx_results_count(*res), doc);
  free(doc);
  return rc;
}

int cdx_similar(const cdx_index *ix, const char *citation, const char *text, size_t len,
                const cdx_similar_options *opts, cdx_similar_results **out, cdx_error *err) {
  if (out) *out = NULL;
  if (!ix || !out || (!citation && !text) || (citation && text))
    return cdx_err_set(err, CDX_INVALID, CDX_NO_OFFSET,
                       "cdx_similar: give either a citation or a text");
  size_t k = opts && opts->k ? opts->k : 10;
  double min_sim = opts && opts->min_similarity > 0 ? opts->min_similarity : CDX_ALIGN_THRESHOLD;
  const char *filter = opts ? opts->filter : NULL;
  /* A bad filter is reported at its own offset, not the candidate query's. */
  if (filter && *filter) {
    char *desc = NULL;
    int rc = cdx_query_describe(filter, &desc, err);
    cdx_free(desc);
    if (rc) return rc;
  }
  cdx_similar_results *r = calloc(1, sizeof *r);
  if (!r) return nomem(err);
  cdx_al_unit src = {0};
  int rc = CDX_OK;
  if (citation) {
    rc = cited_unit(ix, citation, &r->source_res, err);
    if (rc == CDX_OK) {
      r->source = cdx_results_get(r->source_res, 0);
      rc = cdx_al_unit_prepare(r->source, &src, err);
    }
  } else {
    rc = cdx_al_text_prepare(text, len, &src, err);
    if (rc == CDX_OK && src.n_sh == 0)
      rc = cdx_err_set(err, CDX_INVALID, CDX_NO_OFFSET, "the text has no words to match");
  }
  char *query = NULL;
  cdx_al_unit head = {0};
  bool has_head = rc == CDX_OK && r->source && r->source->heading && *r->source->heading;
  if (has_head)
    rc = cdx_al_text_prepare(r->source->heading, strlen(r->source->heading), &head, err);
  own_doc own = {false, 0, 0};
  if (rc == CDX_OK && r->source) own.any = cdx_ix_find_doc(ix, r->source->doc, &own.seg, &own.doc);
  if (rc == CDX_OK) rc = build_query(ix, &src, has_head ? &head : NULL, &own, filter, &query, err);
  cdx_al_unit_clear(&head);
  if (rc == CDX_OK) {
    cdx_search_options so = {0};
    so.k = k * CANDIDATES_PER_HIT < MIN_CANDIDATES ? MIN_CANDIDATES : k * CANDIDATES_PER_HIT;
    so.latest = opts ? opts->latest : 0;
    so.no_highlights = 1;
    rc = cdx_search(ix, query, &so, &r->candidates, err);
  }
  free(query);
  size_t nc = cdx_results_count(r->candidates);
  if (rc == CDX_OK) {
    r->hits = malloc((nc ? nc : 1) * sizeof *r->hits);
    if (!r->hits) rc = nomem(err);
  }
  for (size_t i = 0; rc == CDX_OK && i < nc; i++) {
    const cdx_hit *h = cdx_results_get(r->candidates, i);
    if (r->source && h->ordinal == r->source->ordinal && strcmp(h->doc, r->source->doc) == 0)
      continue;
    cdx_al_unit u;
    rc = cdx_al_unit_prepare(h, &u, err);
    if (rc) break;
    /* A unit against a unit: their similarity. A text against a unit: the
     * share of the text found in it (a sentence is found in its clause). */
    double s = r->source  ? cdx_al_similarity(&src, &u)
               : src.n_sh ? (double)cdx_al_common(&src, &u) / (double)src.n_sh
                          : 0;
    cdx_al_unit_clear(&u);
    if (s >= min_sim) r->hits[r->n++] = (cdx_similar_hit){s, h};
  }
  cdx_al_unit_clear(&src);
  if (rc) {
    cdx_similar_free(r);
    return rc;
  }
  qsort(r->hits, r->n, sizeof *r->hits, cmp_hit);
  if (r->n > k) r->n = k;
  *out = r;
  return CDX_OK;
}
