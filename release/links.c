/* links.c - the documents a policy cites as its basis, resolved to indexed
 * documents (docs/CORPUS.md "Links"). The citations are stored with each
 * document (DOCS `cites`, written when it was indexed); resolving them is
 * done here, over the live documents of an open index, because what a
 * citation names changes as other documents arrive: 002 cited by 001
 * before 002 is indexed is an unresolved link, resolved once it is. */
#include <stdlib.h>
#include <string.h>
#include "common/common.h"
#include "families/families.h"
#include "release/release_internal.h"

typedef struct doc_keys {
  char *number; /* cdx_fam_number_key of its 文号, or NULL */
  char *stem;   /* the policy key's stem, or NULL */
  int year;     /* the year of its date, 0 */
} doc_keys;

typedef struct inferred {
  const char *number; /* borrowed from a citation; NULL = none */
  size_t sources;
  bool conflict;
} inferred;

/* A sorted key -> document table, so a citation is resolved by a binary
 * search, not a scan of every document (an index of 10^5 documents citing
 * two each would otherwise compare 10^10 pairs). */
typedef struct key_ref {
  const char *key;
  size_t doc;
} key_ref;

struct cdx_links {
  rel_docs docs;
  doc_keys *keys;
  key_ref *by_number, *by_stem, *by_id; /* by_id: every document */
  size_t n_number, n_stem;
  char **bufs; /* per document: its parsed copy of cites */
  cdx_link *links;
  size_t n, cap;
  inferred *inf;
};

static char *policy_stem(const char *policy_key) {
  const char *a = policy_key ? strchr(policy_key, ':') : NULL;
  const char *b = policy_key ? strrchr(policy_key, ':') : NULL;
  if (!a || b <= a) return NULL;
  size_t n = (size_t)(b - a - 1);
  char *s = malloc(n + 1);
  if (s) {
    memcpy(s, a + 1, n);
    s[n] = '\0';
  }
  return s;
}

static int ref_cmp(const void *x, const void *y) {
  const key_ref *a = x, *b = y;
  int k = strcmp(a->key, b->key);
  return k ? k : (a->doc < b->doc ? -1 : a->doc > b->doc);
}

/* The first entry of t[0..n) with this key; n when none. */
static size_t first_of(const key_ref *t, size_t n, const char *key) {
  size_t lo = 0, hi = n;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (strcmp(t[mid].key, key) < 0) lo = mid + 1;
    else hi = mid;
  }
  return lo < n && strcmp(t[lo].key, key) == 0 ? lo : n;
}

/* The one live document (not `self`) a citation names, or -1 (none, or
 * several). *by_number tells how. */
static long resolve(const cdx_links *l, size_t self, const cdx_fam_cite *c, bool *by_number,
                    cdx_error *err, int *rc) {
  *by_number = false;
  long found = -1;
  if (c->number) {
    char *k = cdx_fam_number_key(c->number);
    size_t hits = 0;
    for (size_t j = k ? first_of(l->by_number, l->n_number, k) : l->n_number;
         j < l->n_number && strcmp(l->by_number[j].key, k) == 0; j++)
      if (l->by_number[j].doc != self) {
        found = (long)l->by_number[j].doc;
        hits++;
      }
    free(k);
    if (hits == 1) {
      *by_number = true;
      return found;
    }
    if (hits > 1) return -1;
  }
  char *stem = NULL;
  *rc = cdx_title_stem(c->title, &stem, err);
  if (*rc != CDX_OK) return -1;
  uint32_t code = cdx_fam_cite_place(c->title);
  int edition = cdx_fam_cite_edition(c->title, c->number);
  size_t ilen;
  const char *issuer = cdx_fam_cite_issuer(c->title, &ilen);
  size_t hits = 0;
  found = -1;
  /* a bare title (根据省级、温州市级《关于推动…的若干政策》) names a policy of
   * some level, not a document: without a place, an issuer or a number it
   * stays unresolved */
  if (!code && !issuer && !c->number) *stem = '\0';
  for (size_t j = *stem ? first_of(l->by_stem, l->n_stem, stem) : l->n_stem;
       j < l->n_stem && strcmp(l->by_stem[j].key, stem) == 0; j++) {
    size_t i = l->by_stem[j].doc;
    const cdx_index_doc *d = &l->docs.docs[i];
    /* a document does not rest on a version of itself */
    if (i == self || d->family_id == l->docs.docs[self].family_id) continue;
    if (code && d->jurisdiction_code != code) continue;
    if (edition && d->edition && d->edition != edition) continue;
    if (issuer && d->issuer && !cdx_fam_same_text(d->issuer, issuer, ilen)) continue;
    /* a citation with a number never names a document whose own number
     * differs: that is another document of the same title */
    if (c->number && l->keys[i].number) continue;
    found = (long)i;
    hits++;
  }
  free(stem);
  return hits == 1 ? found : -1;
}

static void infer(cdx_links *l, size_t target, const cdx_fam_cite *c) {
  const cdx_index_doc *d = &l->docs.docs[target];
  if (d->doc_number || !c->number) return;
  int y = cdx_fam_number_year(c->number);
  /* the year agrees with the edition or the date: a 2025 number for a 2024
   * document is a citation of another document */
  if (!y || (y != d->edition && y != l->keys[target].year)) return;
  inferred *in = &l->inf[target];
  if (in->number) {
    char *a = cdx_fam_number_key(in->number), *b = cdx_fam_number_key(c->number);
    if (!a || !b || strcmp(a, b) != 0) in->conflict = true;
    free(a);
    free(b);
  } else {
    in->number = c->number;
  }
  in->sources++;
}

int cdx_links_compute(const cdx_index *ix, cdx_links **out, cdx_error *err) {
  *out = NULL;
  cdx_links *l = calloc(1, sizeof *l);
  if (!l) return cdx_err_nomem(err, NULL);
  int rc = rel_docs_load(ix, &l->docs, err);
  if (rc != CDX_OK) {
    free(l);
    return rc;
  }
  size_t n = l->docs.n;
  l->keys = calloc(n ? n : 1, sizeof *l->keys);
  l->bufs = calloc(n ? n : 1, sizeof *l->bufs);
  l->inf = calloc(n ? n : 1, sizeof *l->inf);
  if (!l->keys || !l->bufs || !l->inf) goto oom;
  for (size_t i = 0; i < n; i++) {
    const cdx_index_doc *d = &l->docs.docs[i];
    if (d->doc_number && !(l->keys[i].number = cdx_fam_number_key(d->doc_number))) goto oom;
    if (d->policy_key && *d->policy_key && !(l->keys[i].stem = policy_stem(d->policy_key)))
      goto oom;
    l->keys[i].year = (int)(d->date / 10000);
  }
  l->by_number = malloc((n ? n : 1) * sizeof *l->by_number);
  l->by_stem = malloc((n ? n : 1) * sizeof *l->by_stem);
  l->by_id = malloc((n ? n : 1) * sizeof *l->by_id);
  if (!l->by_number || !l->by_stem || !l->by_id) goto oom;
  for (size_t i = 0; i < n; i++) l->by_id[i] = (key_ref){l->docs.docs[i].id, i};
  qsort(l->by_id, n, sizeof *l->by_id, ref_cmp);
  for (size_t i = 0; i < n; i++) {
    if (l->keys[i].number) l->by_number[l->n_number++] = (key_ref){l->keys[i].number, i};
    if (l->keys[i].stem) l->by_stem[l->n_stem++] = (key_ref){l->keys[i].stem, i};
  }
  qsort(l->by_number, l->n_number, sizeof *l->by_number, ref_cmp);
  qsort(l->by_stem, l->n_stem, sizeof *l->by_stem, ref_cmp);
  for (size_t i = 0; i < n && rc == CDX_OK; i++) {
    const char *cites = l->docs.docs[i].cites;
    if (!cites || !*cites) continue;
    size_t cl = strlen(cites) + 1;
    if (!(l->bufs[i] = malloc(cl))) goto oom;
    memcpy(l->bufs[i], cites, cl);
    cdx_fam_cite c[CDX_FAM_MAX_CITES];
    size_t nc = cdx_fam_cites_parse(l->bufs[i], c, CDX_FAM_MAX_CITES);
    for (size_t k = 0; k < nc && rc == CDX_OK; k++) {
      bool by_number;
      long t = resolve(l, i, &c[k], &by_number, err, &rc);
      if (rc != CDX_OK) break;
      if (CDX_GROW(l->links, l->cap, l->n + 1, 16) != CDX_OK) goto oom;
      l->links[l->n++] = (cdx_link){l->docs.docs[i].id, t >= 0 ? l->docs.docs[t].id : NULL,
                                    c[k].title, c[k].number, by_number};
      if (t >= 0 && !by_number) infer(l, (size_t)t, &c[k]);
    }
  }
  if (rc != CDX_OK) {
    cdx_links_free(l);
    return rc;
  }
  *out = l;
  return CDX_OK;
oom:
  cdx_links_free(l);
  return cdx_err_nomem(err, NULL);
}

size_t cdx_links_count(const cdx_links *l) { return l ? l->n : 0; }
const cdx_link *cdx_links_get(const cdx_links *l, size_t i) {
  return l && i < l->n ? &l->links[i] : NULL;
}

const char *cdx_links_inferred_number(const cdx_links *l, const char *doc_id, size_t *sources) {
  if (sources) *sources = 0;
  size_t j = l ? first_of(l->by_id, l->docs.n, doc_id) : 0;
  if (!l || j == l->docs.n) return NULL;
  const inferred *in = &l->inf[l->by_id[j].doc];
  if (!in->number || in->conflict) return NULL;
  if (sources) *sources = in->sources;
  return in->number;
}

const char *cdx_links_find_inferred(const cdx_links *l, const char *number) {
  char *want = l ? cdx_fam_number_key(number) : NULL;
  const char *found = NULL;
  size_t hits = 0;
  for (size_t i = 0; want && i < l->docs.n; i++) {
    const inferred *in = &l->inf[i];
    if (!in->number || in->conflict) continue;
    char *k = cdx_fam_number_key(in->number);
    if (k && strcmp(k, want) == 0) {
      found = l->docs.docs[i].id;
      hits++;
    }
    free(k);
  }
  free(want);
  return hits == 1 ? found : NULL;
}

void cdx_links_free(cdx_links *l) {
  if (!l) return;
  for (size_t i = 0; l->keys && i < l->docs.n; i++) {
    free(l->keys[i].number);
    free(l->keys[i].stem);
  }
  for (size_t i = 0; l->bufs && i < l->docs.n; i++) free(l->bufs[i]);
  free(l->keys);
  free(l->by_number);
  free(l->by_stem);
  free(l->by_id);
  free(l->bufs);
  free(l->inf);
  free(l->links);
  rel_docs_free(&l->docs);
  free(l);
}
