/* famlist.c - the families of an open index, each with its versions in
 * order, and how a document is cited. The grouping itself is the index's
 * (family_id, computed at open: indexer/index_open.c); this file orders and
 * names it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "common/common.h"
#include "families/families.h"
#include "release/release_internal.h"

struct cdx_families {
  rel_docs all; /* sorted by family, then version order */
  size_t n;
  cdx_family *fam; /* fam[i].key borrows all.keys */
};

int rel_docs_load(const cdx_index *ix, rel_docs *out, cdx_error *err) {
  memset(out, 0, sizeof *out);
  size_t n = cdx_index_doc_count(ix);
  out->docs = calloc(n ? n : 1, sizeof *out->docs);
  out->keys = calloc(n ? n : 1, sizeof *out->keys);
  if (!out->docs || !out->keys) {
    rel_docs_free(out);
    return cdx_err_nomem(err, NULL);
  }
  for (size_t i = 0; i < n; i++) {
    int rc = cdx_index_doc_get(ix, i, &out->docs[i], err);
    if (rc != CDX_OK) {
      rel_docs_free(out);
      return rc;
    }
    out->n++;
    const cdx_index_doc *d = &out->docs[i];
    bool oom = false;
    char *k = cdx_fam_doc_key(d->family, d->policy_key, &oom);
    if (!k && !oom) k = calloc(1, 1);
    if (!k) {
      rel_docs_free(out);
      return cdx_err_nomem(err, NULL);
    }
    out->keys[i] = k;
  }
  return CDX_OK;
}

void rel_docs_free(rel_docs *d) {
  for (size_t i = 0; d->keys && i < d->n; i++) free(d->keys[i]);
  free(d->keys);
  free(d->docs);
  memset(d, 0, sizeof *d);
}

int rel_version_cmp(const cdx_index_doc *a, const cdx_index_doc *b) {
  if (a->edition != b->edition && a->edition && b->edition) return a->edition < b->edition ? -1 : 1;
  int sa = cdx_fam_stage(a->status), sb = cdx_fam_stage(b->status);
  if (sa != sb) return sa < sb ? -1 : 1;
  if (a->date != b->date) return a->date < b->date ? -1 : 1;
  return strcmp(a->id, b->id);
}

typedef struct entry {
  cdx_index_doc d;
  char *key;
} entry;

static int by_family(const void *x, const void *y) {
  const entry *a = x, *b = y;
  if (a->d.family_id != b->d.family_id) return a->d.family_id < b->d.family_id ? -1 : 1;
  return rel_version_cmp(&a->d, &b->d);
}
static int by_key(const void *x, const void *y) {
  const cdx_family *a = x, *b = y;
  int k = strcmp(a->key, b->key);
  return k ? k : strcmp(a->versions[0].id, b->versions[0].id);
}

int cdx_families_collect(const cdx_index *ix, cdx_families **out, cdx_error *err) {
  *out = NULL;
  cdx_families *f = calloc(1, sizeof *f);
  if (!f) return cdx_err_nomem(err, NULL);
  rel_docs raw;
  int rc = rel_docs_load(ix, &raw, err);
  if (rc != CDX_OK) {
    free(f);
    return rc;
  }
  size_t n = raw.n;
  entry *e = malloc((n ? n : 1) * sizeof *e);
  f->fam = calloc(n ? n : 1, sizeof *f->fam);
  if (!e || !f->fam) {
    free(e);
    rel_docs_free(&raw);
    cdx_families_free(f);
    return cdx_err_nomem(err, NULL);
  }
  for (size_t i = 0; i < n; i++) e[i] = (entry){raw.docs[i], raw.keys[i]};
  qsort(e, n, sizeof *e, by_family);
  for (size_t i = 0; i < n; i++) {
    raw.docs[i] = e[i].d;
    raw.keys[i] = e[i].key;
  }
  free(e);
  f->all = raw;
  for (size_t i = 0; i < n;) {
    size_t j = i + 1;
    while (j < n && raw.docs[j].family_id == raw.docs[i].family_id) j++;
    /* the family's name: a member's key with a known jurisdiction (one of
     * unknown place that joined it has 0: in its own) */
    const char *key = raw.keys[i];
    for (size_t k = i; k < j; k++)
      if (cdx_fam_key_code(raw.keys[k])) {
        key = raw.keys[k];
        break;
      }
    f->fam[f->n++] = (cdx_family){key, j - i, &raw.docs[i]};
    i = j;
  }
  qsort(f->fam, f->n, sizeof *f->fam, by_key);
  *out = f;
  return CDX_OK;
}

size_t cdx_families_count(const cdx_families *f) { return f ? f->n : 0; }
const cdx_family *cdx_families_get(const cdx_families *f, size_t i) {
  return f && i < f->n ? &f->fam[i] : NULL;
}

const cdx_family *cdx_families_of(const cdx_families *f, const char *doc_id, size_t *version) {
  for (size_t i = 0; f && i < f->n; i++)
    for (size_t v = 0; v < f->fam[i].n_versions; v++)
      if (strcmp(f->fam[i].versions[v].id, doc_id) == 0) {
        if (version) *version = v;
        return &f->fam[i];
      }
  return NULL;
}

void cdx_families_free(cdx_families *f) {
  if (!f) return;
  rel_docs_free(&f->all);
  free(f->fam);
  free(f);
}

void cdx_doc_short_id(const char *doc_id, char out[CDX_SHORT_ID_LEN + 1]) {
  cdx_fam_short_id(doc_id, out);
}

int cdx_doc_citation(const cdx_index_doc *d, char **out, cdx_error *err) {
  char sid[CDX_SHORT_ID_LEN + 1];
  cdx_doc_short_id(d->id, sid);
  cdx_buf b;
  cdx_buf_init(&b);
  int rc = CDX_OK;
  cdx_buf_printf(&rc, &b, "%s %s %s", d->doc_number ? d->doc_number : sid, d->title,
                 cdx_status_name(d->status));
  if (d->edition) cdx_buf_printf(&rc, &b, " %d", d->edition);
  *out = rc == CDX_OK ? cdx_buf_detach(&b, NULL) : NULL;
  if (!*out) {
    cdx_buf_free(&b);
    return cdx_err_nomem(err, NULL);
  }
  return CDX_OK;
}

int cdx_family_to_json(const cdx_family *f, char **out, size_t *out_len, cdx_error *err) {
  cdx_buf b;
  cdx_buf_init(&b);
  int rc = CDX_OK;
  cdx_json_member(&rc, &b, "{\"type\":\"family\",\"family\":", f->key);
  cdx_buf_puts(&rc, &b, ",\"versions\":[");
  for (size_t v = 0; v < f->n_versions; v++) {
    const cdx_index_doc *d = &f->versions[v];
    char sid[CDX_SHORT_ID_LEN + 1];
    cdx_doc_short_id(d->id, sid);
    cdx_json_member(&rc, &b, v ? ",{\"doc\":" : "{\"doc\":", d->id);
    cdx_json_member(&rc, &b, ",\"short_id\":", sid);
    cdx_json_member(&rc, &b, ",\"title\":", d->title);
    cdx_json_member(&rc, &b, ",\"status\":", cdx_status_name(d->status));
    /* unknown values null, dates as text: docs/JSON.md */
    if (d->edition) cdx_buf_printf(&rc, &b, ",\"edition\":%d", d->edition);
    else cdx_buf_puts(&rc, &b, ",\"edition\":null");
    if (d->date)
      cdx_buf_printf(&rc, &b, ",\"date\":\"%04u-%02u-%02u\"", d->date / 10000, d->date / 100 % 100,
                     d->date % 100);
    else cdx_buf_puts(&rc, &b, ",\"date\":null");
    cdx_json_member(&rc, &b, ",\"doc_number\":", d->doc_number);
    cdx_buf_printf(&rc, &b, ",\"latest\":%s}", d->latest ? "true" : "false");
  }
  cdx_buf_puts(&rc, &b, "]}");
  return cdx_json_finish(rc, &b, out, out_len, err);
}
