/* report.c - what a release batch changed: the live documents of the index
 * before and after the batch compared by id and content hash, the added
 * ones placed in their families (a new family, or a new version of a known
 * one with its transition and the clause counts of the aligner against its
 * predecessor), replaced and deleted documents, and the links the batch
 * brought. The report is built once into its three renderings
 * (report_render.c writes each entry), so a stored report reads back as it
 * was printed. */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "clausedex/align.h"
#include "common/common.h"
#include "families/families.h"
#include "release/release_internal.h"
#include "release/report_internal.h"

/* Index of the document with this id in d, or -1 (d sorted by id). */
static long find_id(const cdx_index_doc *const *sorted, size_t n, const char *id) {
  size_t lo = 0, hi = n;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    int k = strcmp(sorted[mid]->id, id);
    if (k == 0) return (long)mid;
    if (k < 0) lo = mid + 1;
    else hi = mid;
  }
  return -1;
}
static int by_id(const void *x, const void *y) {
  return strcmp((*(const cdx_index_doc *const *)x)->id, (*(const cdx_index_doc *const *)y)->id);
}

/* The transition from a predecessor: "2024 -> 2025" for a new edition,
 * "送审稿 -> final" for a stage, "version" otherwise. */
static void transition(const cdx_index_doc *p, const cdx_index_doc *d, char *out, size_t cap,
                       const char **kind) {
  if (p->edition && d->edition && p->edition != d->edition) {
    snprintf(out, cap, "%d -> %d", p->edition, d->edition);
    *kind = "edition";
  } else if (p->status != d->status) {
    snprintf(out, cap, "%s -> %s", cdx_status_name(p->status), cdx_status_name(d->status));
    *kind = "stage";
  } else {
    snprintf(out, cap, "%s -> %s", cdx_status_name(p->status), cdx_status_name(d->status));
    *kind = "version";
  }
}

/* Clause counts and changed figures of predecessor -> document. */
static int compare(const cdx_index *after, const cdx_index_doc *p, const cdx_index_doc *d,
                   rep_version *v, cdx_error *err) {
  cdx_align_options o = {0};
  o.no_edits = 1;
  cdx_alignment *al;
  int rc = cdx_align_documents(after, p->id, d->id, &o, &al, err);
  if (rc == CDX_INVALID || rc == CDX_NOTFOUND) return CDX_OK; /* a document without units */
  if (rc != CDX_OK) return rc;
  v->has_counts = true;
  for (int r = 0; r < CDX_REL_COUNT; r++)
    v->rel[r] = cdx_alignment_relation_count(al, (cdx_relation)r);
  for (size_t i = 0; i < cdx_alignment_count(al) && rc == CDX_OK; i++) {
    const cdx_align_pair *pr = cdx_alignment_get(al, i);
    for (size_t k = 0; k < pr->n_figures && rc == CDX_OK; k++)
      rc = rep_version_add_figure(v, &pr->figures[k], err);
  }
  cdx_alignment_free(al);
  return rc;
}

/* The alignments of new versions against their predecessors: most of a
 * report's time on a batch of many versions (the aligner reads both
 * documents and matches their clauses), and independent of each other,
 * so they run on several threads (each writes its own entry). */
typedef struct cmp_task {
  const cdx_index_doc *pred, *doc;
  size_t ver; /* index in r->vers */
  int rc;
  cdx_error err;
} cmp_task;

typedef struct cmp_run {
  const cdx_index *after;
  cdx_report *r;
  cmp_task *t;
  size_t n;
  atomic_size_t next;
} cmp_run;

static void *cmp_worker(void *arg) {
  cmp_run *c = arg;
  for (size_t i; (i = atomic_fetch_add(&c->next, 1)) < c->n;) {
    cmp_task *t = &c->t[i];
    t->rc = compare(c->after, t->pred, t->doc, &c->r->vers[t->ver], &t->err);
  }
  return NULL;
}

/* The first error in task order, as one thread would have met it. */
static int run_compares(cmp_run *c, unsigned threads, cdx_error *err) {
  pthread_t tid[64];
  unsigned started = 0;
  if (threads > 64) threads = 64;
  for (unsigned i = 1; i < threads && c->n > 1; i++)
    if (pthread_create(&tid[started], NULL, cmp_worker, c) == 0) started++;
  cmp_worker(c);
  for (unsigned i = 0; i < started; i++) pthread_join(tid[i], NULL);
  for (size_t i = 0; i < c->n; i++)
    if (c->t[i].rc != CDX_OK) {
      if (err) *err = c->t[i].err;
      return c->t[i].rc;
    }
  return CDX_OK;
}

int cdx_report_compute(const cdx_index *before, const cdx_index *after, cdx_report **out,
                       cdx_error *err) {
  return cdx_report_compute_threads(before, after, 1, out, err);
}

int cdx_report_compute_threads(const cdx_index *before, const cdx_index *after, unsigned threads,
                               cdx_report **out, cdx_error *err) {
  static const rep_limits lim = {REPORT_MAX_COMPARED, REPORT_MAX_LISTED};
  return rep_compute(before, after, threads, &lim, out, err);
}

int rep_compute(const cdx_index *before, const cdx_index *after, unsigned threads,
                const rep_limits *lim, cdx_report **out, cdx_error *err) {
  *out = NULL;
  cmp_run cr = {.after = after};
  size_t cap_tasks = 0;
  cdx_report *r = calloc(1, sizeof *r);
  if (!r) return cdx_err_nomem(err, NULL);
  r->max_listed = lim->max_listed;
  cdx_index_commit cb = {0}, ca;
  if (before) cdx_index_get_commit(before, &cb);
  cdx_index_get_commit(after, &ca);
  r->batch_from = cb.batch + 1;
  r->batch = ca.batch;
  r->timestamp = ca.timestamp;
  rel_docs B = {0};
  cdx_families *fam = NULL;
  cdx_links *links = NULL;
  const cdx_index_doc **sb = NULL;
  const cdx_index_doc **mine = NULL; /* the batch's new and changed documents, by id */
  size_t n_mine = 0, n_compared = 0;
  int rc = before ? rel_docs_load(before, &B, err) : CDX_OK;
  if (rc == CDX_OK) rc = cdx_families_collect(after, &fam, err);
  if (rc == CDX_OK) rc = cdx_links_compute(after, &links, err);
  if (rc != CDX_OK) goto out;
  sb = malloc((B.n ? B.n : 1) * sizeof *sb);
  if (!sb) goto oom;
  for (size_t i = 0; i < B.n; i++) sb[i] = &B.docs[i];
  qsort(sb, B.n, sizeof *sb, by_id);
  bool *seen = calloc(B.n ? B.n : 1, 1);
  size_t n_after = cdx_index_doc_count(after);
  mine = malloc((n_after ? n_after : 1) * sizeof *mine);
  if (!seen || !mine) {
    free(seen);
    goto oom;
  }
  /* new and replaced documents, family by family */
  for (size_t f = 0; f < cdx_families_count(fam) && rc == CDX_OK; f++) {
    const cdx_family *fm = cdx_families_get(fam, f);
    const cdx_index_doc *prev = NULL; /* the latest version before this one */
    bool known = false;
    for (size_t v = 0; v < fm->n_versions && rc == CDX_OK; v++) {
      const cdx_index_doc *d = &fm->versions[v];
      long b = find_id(sb, B.n, d->id);
      if (b >= 0) seen[b] = true;
      if (b >= 0 && sb[b]->hash == d->hash) { /* unchanged */
        prev = d;
        known = true;
        continue;
      }
      mine[n_mine++] = d;
      if (b >= 0) rc = rep_add_doc(&r->replaced, d, err);
      else if (!known && !prev) rc = rep_add_family(r, fm->key, d, err);
      else if (!known) rc = rep_family_add_doc(r, d, err);
      if (rc == CDX_OK && b < 0 && prev) {
        rep_version *nv;
        rc = rep_add_version(r, fm->key, prev, d, &nv, err);
        if (rc == CDX_OK) {
          transition(prev, d, nv->transition, sizeof nv->transition, &nv->kind);
          if (n_compared++ >= lim->max_compared) {
            nv->not_compared = true;
          } else {
            if (cr.n == cap_tasks) {
              size_t nc = cap_tasks ? cap_tasks * 2 : 64;
              cmp_task *g = realloc(cr.t, nc * sizeof *g);
              if (!g) rc = cdx_err_nomem(err, NULL);
              else cr.t = g, cap_tasks = nc;
            }
            if (rc == CDX_OK)
              cr.t[cr.n++] = (cmp_task){.pred = prev, .doc = d, .ver = r->n_vers - 1};
          }
        }
      }
      if (rc == CDX_OK && b < 0 && d->family_ambiguous) rc = rep_add_doc(&r->ambiguous, d, err);
      prev = d;
    }
  }
  if (rc == CDX_OK) {
    cr.r = r; /* r->vers is complete: the compares write into its entries */
    rc = run_compares(&cr, threads ? threads : 1, err);
  }
  for (size_t i = 0; i < B.n && rc == CDX_OK; i++)
    if (!seen[i]) rc = rep_add_doc(&r->deleted, sb[i], err);
  free(seen);
  qsort(mine, n_mine, sizeof *mine, by_id);
  /* links that involve a document of the batch, either way */
  for (size_t i = 0; i < cdx_links_count(links) && rc == CDX_OK; i++) {
    const cdx_link *l = cdx_links_get(links, i);
    bool from_new = find_id(mine, n_mine, l->from) >= 0;
    bool to_new = l->to && find_id(mine, n_mine, l->to) >= 0;
    if (from_new || to_new) rc = rep_add_link(r, l, err);
  }
  /* numbers inferred for documents of the batch or that the batch made */
  for (size_t f = 0; f < cdx_families_count(fam) && rc == CDX_OK; f++) {
    const cdx_family *fm = cdx_families_get(fam, f);
    for (size_t v = 0; v < fm->n_versions && rc == CDX_OK; v++) {
      size_t src;
      const char *num = cdx_links_inferred_number(links, fm->versions[v].id, &src);
      if (num) rc = rep_add_inferred(r, &fm->versions[v], num, src, err);
    }
  }
  if (rc == CDX_OK) rc = rep_finish(r, err);
  goto out;
oom:
  rc = cdx_err_nomem(err, NULL);
out:
  free(sb);
  free(mine);
  free(cr.t);
  cdx_links_free(links);
  cdx_families_free(fam);
  rel_docs_free(&B);
  if (rc != CDX_OK) cdx_report_free(r);
  else *out = r;
  return rc;
}
