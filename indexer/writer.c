/* writer.c - the index writer: lock, document identity and change
 * detection, buffered segments under a memory budget, atomic commits,
 * deletions, merges.
 *
 * A commit is: new segment files written and fsynced; deletion files
 * written (new names, never overwritten); then MANIFEST replaced by rename
 * and the directory fsynced. Until that rename the previous commit is
 * untouched, so a writer killed at any instant leaves the last commit. Files
 * the manifest does not name are leftovers and are removed by the next
 * writer (readers that map them keep their mapping).
 *
 * Merges re-analyze the stored text of the live units instead of merging
 * postings: slower, but it needs no second code path that could disagree
 * with the first, and stored fields hold everything a document was indexed
 * from.
 */
#define _POSIX_C_SOURCE 200809L
#define _DEFAULT_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include "families/families.h"
#include "facts/depts.h"
#include "indexer/ix_internal.h"
#include "indexer/ordered_pool.h"

#define DEFAULT_BUDGET ((size_t)256 << 20)
#define MERGE_FACTOR 10 /* more segments than this: merge the smallest ten */

/* A live document the writer knows: committed (seg_no of the snapshot) or
 * added in this session (in a pending segment or in the builder). */
typedef struct wdoc {
  char *id;
  uint64_t hash;
  uint32_t seg_no, doc;
  bool live;
} wdoc;

/* Deletions to apply at commit, per segment number. */
typedef struct wdel {
  uint32_t seg_no, n_docs;
  uint8_t *bits;
  uint32_t n_deleted;
  bool dirty;
} wdel;

struct cdx_writer {
  cdx_dir dir; /* every file of the index is reached through it */
  int lock_fd;
  size_t budget;
  size_t max_file_size;
  unsigned threads; /* of cdx_writer_add_batch */
  int failed;       /* sticky: a half-added document poisons the builder */
  cdx_index *snap;  /* the last commit */
  cdx_segb *b;
  uint32_t b_seg_no;
  cdx_seg_info *pending; /* flushed, not yet committed */
  size_t n_pending;
  wdel *dels;
  size_t n_dels;
  wdoc *docs;
  size_t n_docs, cap_docs;
  size_t *slots; /* doc index + 1 */
  size_t n_slots;
  uint32_t next_seg;
  cdx_realpath_cache *paths; /* documents are named by canonical path */
  char **last_warnings;      /* copies of the last parsed document's warnings */
  size_t n_last_warnings;
  cdx_dept_table *dept_table; /* canonical department names (built-in table) */
  /* cdx_writer_add_batch's worker threads read the document map (is a file
   * unchanged?) while the caller's thread adds to it, and share the path
   * cache */
  pthread_rwlock_t docs_lock;
  pthread_mutex_t paths_lock;
};

/* ---- the document map ---- */

static uint64_t hs(const char *s) { return cdx_ix_hash(s, strlen(s), CDX_IX_HASH_SEED); }

static wdoc *find_doc(cdx_writer *w, const char *id) {
  if (!w->n_slots) return NULL;
  size_t j = hs(id) & (w->n_slots - 1);
  while (w->slots[j]) {
    wdoc *d = &w->docs[w->slots[j] - 1];
    if (d->live && strcmp(d->id, id) == 0) return d;
    j = (j + 1) & (w->n_slots - 1);
  }
  return NULL;
}

static int add_doc_entry_locked(cdx_writer *w, const char *id, uint64_t hash, uint32_t seg_no,
                                uint32_t doc) {
  if ((w->n_docs + 1) * 2 > w->n_slots) {
    size_t ns = w->n_slots ? w->n_slots * 2 : 1024;
    size_t *s = calloc(ns, sizeof *s);
    if (!s) return CDX_NOMEM;
    for (size_t i = 0; i < w->n_docs; i++) {
      size_t j = hs(w->docs[i].id) & (ns - 1);
      while (s[j]) j = (j + 1) & (ns - 1);
      s[j] = i + 1;
    }
    free(w->slots);
    w->slots = s;
    w->n_slots = ns;
  }
  if (CDX_GROW(w->docs, w->cap_docs, w->n_docs + 1, 1024) != CDX_OK) return CDX_NOMEM;
  char *copy = strdup(id);
  if (!copy) return CDX_NOMEM;
  wdoc *d = &w->docs[w->n_docs];
  d->id = copy;
  d->hash = hash;
  d->seg_no = seg_no;
  d->doc = doc;
  d->live = true;
  size_t j = hs(id) & (w->n_slots - 1);
  while (w->slots[j]) j = (j + 1) & (w->n_slots - 1);
  w->slots[j] = ++w->n_docs;
  return CDX_OK;
}

static int add_doc_entry(cdx_writer *w, const char *id, uint64_t hash, uint32_t seg_no,
                         uint32_t doc) {
  pthread_rwlock_wrlock(&w->docs_lock);
  int rc = add_doc_entry_locked(w, id, hash, seg_no, doc);
  pthread_rwlock_unlock(&w->docs_lock);
  return rc;
}

/* Is the live document id there with this hash? For worker threads. */
static bool known_unchanged(cdx_writer *w, const char *id, uint64_t hash) {
  pthread_rwlock_rdlock(&w->docs_lock);
  wdoc *d = find_doc(w, id);
  bool yes = d && d->hash == hash;
  pthread_rwlock_unlock(&w->docs_lock);
  return yes;
}

static wdel *del_for(cdx_writer *w, uint32_t seg_no, uint32_t n_docs) {
  for (size_t i = 0; i < w->n_dels; i++)
    if (w->dels[i].seg_no == seg_no) {
      wdel *d = &w->dels[i];
      if (n_docs > d->n_docs) { /* the builder's segment grows */
        size_t ob = ((size_t)d->n_docs + 7) / 8, nb = ((size_t)n_docs + 7) / 8;
        uint8_t *nbits = realloc(d->bits, nb ? nb : 1);
        if (!nbits) return NULL;
        memset(nbits + ob, 0, nb - ob);
        d->bits = nbits;
        d->n_docs = n_docs;
      }
      return d;
    }
  wdel *nd = realloc(w->dels, (w->n_dels + 1) * sizeof *nd);
  if (!nd) return NULL;
  w->dels = nd;
  wdel *d = &w->dels[w->n_dels];
  memset(d, 0, sizeof *d);
  d->seg_no = seg_no;
  d->n_docs = n_docs;
  d->bits = calloc(((size_t)n_docs + 7) / 8 + 1, 1);
  if (!d->bits) return NULL;
  w->n_dels++;
  return d;
}

/* Marks a live document deleted wherever it lives. */
static int kill_doc(cdx_writer *w, wdoc *d, cdx_error *err) {
  uint32_t n_docs = 0;
  for (size_t i = 0; i < w->snap->n_segs; i++)
    if (w->snap->segs[i].info.seg_no == d->seg_no) n_docs = w->snap->segs[i].info.n_docs;
  for (size_t i = 0; i < w->n_pending; i++)
    if (w->pending[i].seg_no == d->seg_no) n_docs = w->pending[i].n_docs;
  if (w->b && d->seg_no == w->b_seg_no) n_docs = cdx_segb_docs(w->b);
  wdel *del = del_for(w, d->seg_no, n_docs);
  if (!del) return cdx_err_nomem(err, NULL);
  if (!cdx_bit(del->bits, d->doc)) {
    cdx_bit_set(del->bits, d->doc);
    del->n_deleted++;
    del->dirty = true;
  }
  pthread_rwlock_wrlock(&w->docs_lock);
  d->live = false;
  pthread_rwlock_unlock(&w->docs_lock);
  return CDX_OK;
}

/* ---- open / state ---- */

static void free_state(cdx_writer *w) {
  cdx_index_close(w->snap);
  w->snap = NULL;
  for (size_t i = 0; i < w->n_docs; i++) free(w->docs[i].id);
  free(w->docs);
  free(w->slots);
  w->docs = NULL;
  w->slots = NULL;
  w->n_docs = w->cap_docs = w->n_slots = 0;
  for (size_t i = 0; i < w->n_dels; i++) free(w->dels[i].bits);
  free(w->dels);
  w->dels = NULL;
  w->n_dels = 0;
  free(w->pending);
  w->pending = NULL;
  w->n_pending = 0;
}

/* Loads the last commit: snapshot, deletions so far, document map. */
static int load_state(cdx_writer *w, cdx_error *err) {
  free_state(w);
  int rc = cdx_index_open_dir(&w->dir, false, &w->snap, err);
  if (rc != CDX_OK) return rc;
  w->next_seg = w->snap->man.next_seg;
  for (size_t i = 0; i < w->snap->n_segs; i++) {
    cdx_ix_segment *s = &w->snap->segs[i];
    wdel *d = del_for(w, s->info.seg_no, s->info.n_docs);
    if (!d) return cdx_err_nomem(err, NULL);
    memcpy(d->bits, s->del_docs, ((size_t)s->info.n_docs + 7) / 8);
    d->n_deleted = s->info.n_deleted;
    for (uint32_t k = 0; k < s->seg.n_docs; k++) {
      if (cdx_bit(s->del_docs, k)) continue;
      cdx_ix_doc_fields f;
      uint64_t hash;
      rc = cdx_seg_doc(&s->seg, k, &f, &hash, err);
      if (rc != CDX_OK) return rc;
      if (add_doc_entry(w, f.id, hash, s->info.seg_no, k) != CDX_OK)
        return cdx_err_nomem(err, NULL);
    }
  }
  return CDX_OK;
}

int cdx_writer_open(const char *dir, const cdx_writer_options *opts, cdx_writer **out,
                    cdx_error *err) {
  *out = NULL;
  if (!dir || !*dir)
    return cdx_err_set(err, CDX_INVALID, CDX_NO_OFFSET, "no index directory given");
  if (mkdir(dir, 0755) != 0 && errno != EEXIST)
    return cdx_err_set(err, CDX_IO, CDX_NO_OFFSET, "%s: %s", dir, strerror(errno));
  cdx_writer *w = calloc(1, sizeof *w);
  if (!w || !(w->paths = cdx_realpath_cache_new())) {
    free(w);
    return cdx_err_nomem(err, NULL);
  }
  w->lock_fd = -1;
  pthread_rwlock_init(&w->docs_lock, NULL);
  pthread_mutex_init(&w->paths_lock, NULL);
  w->dir.fd = -1;
  w->budget = opts && opts->memory_budget ? opts->memory_budget : DEFAULT_BUDGET;
  w->max_file_size = opts && opts->max_file_size ? opts->max_file_size : CDX_DEFAULT_MAX_FILE_SIZE;
  w->threads = opts && opts->threads > 1 ? opts->threads : 1;
  int rc = cdx_dept_table_new(&w->dept_table, err);
  if (rc != CDX_OK) goto fail;
  /* the one time the path is resolved: from here on a directory or link
   * put in its place cannot redirect what the writer does */
  rc = cdx_dir_open(dir, &w->dir, err);
  if (rc != CDX_OK) goto fail;
  char lock[PATH_MAX];
  cdx_dir_name(&w->dir, "LOCK", lock, sizeof lock);
  /* LOCK stays between writers, so it is not created exclusively; but a
   * link there (dangling or not) is refused, not followed to create or
   * truncate a file outside the index */
  w->lock_fd = openat(w->dir.fd, "LOCK", O_RDWR | O_CREAT | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC,
                      (mode_t)cdx_dir_file_mode(&w->dir));
  if (w->lock_fd < 0) {
    rc = errno == ELOOP
             ? cdx_err_set(err, CDX_IO, CDX_NO_OFFSET,
                           "%s: is a symbolic link, which is never followed inside an index", lock)
             : cdx_err_set(err, CDX_IO, CDX_NO_OFFSET, "%s: %s", lock, strerror(errno));
    goto fail;
  }
  struct stat lst;
  if (fstat(w->lock_fd, &lst) != 0 || !S_ISREG(lst.st_mode)) {
    rc = cdx_err_set(err, CDX_IO, CDX_NO_OFFSET, "%s: not a regular file", lock);
    goto fail;
  }
  if (flock(w->lock_fd, LOCK_EX | LOCK_NB) != 0) {
    rc = errno == EWOULDBLOCK
             ? cdx_err_set(err, CDX_BUSY, CDX_NO_OFFSET,
                           "%s: another writer is using this index (lock %s held)", dir, lock)
             : cdx_err_set(err, CDX_IO, CDX_NO_OFFSET, "flock %s: %s", lock, strerror(errno));
    goto fail;
  }
  cdx_manifest m;
  rc = cdx_man_read(&w->dir, &m, err);
  if (rc == CDX_NOTFOUND) {
    memset(&m, 0, sizeof m);
    m.next_seg = 1;
    rc = cdx_man_write(&w->dir, &m, err);
  }
  if (rc != CDX_OK) goto fail;
  cdx_man_cleanup(&w->dir, &m);
  cdx_man_free(&m);
  rc = load_state(w, err);
  if (rc != CDX_OK) goto fail;
  *out = w;
  return CDX_OK;
fail:
  cdx_writer_close(w);
  return rc;
}

static void clear_last_warnings(cdx_writer *w) {
  for (size_t i = 0; i < w->n_last_warnings; i++) free(w->last_warnings[i]);
  free(w->last_warnings);
  w->last_warnings = NULL;
  w->n_last_warnings = 0;
}

/* Keeps copies of doc's warnings for cdx_writer_last_warnings; without
 * memory for them the document is still added, with none reported. */
static void keep_last_warnings(cdx_writer *w, const cdx_document *doc) {
  const cdx_document_meta *m = cdx_document_get_meta(doc);
  if (!m->n_warnings || !(w->last_warnings = calloc(m->n_warnings, sizeof *w->last_warnings)))
    return;
  for (size_t i = 0; i < m->n_warnings; i++)
    if ((w->last_warnings[w->n_last_warnings] = strdup(m->warnings[i]))) w->n_last_warnings++;
}

size_t cdx_writer_last_warnings(const cdx_writer *w, const char *const **warnings) {
  if (warnings) *warnings = (const char *const *)w->last_warnings;
  return w->n_last_warnings;
}

void cdx_writer_close(cdx_writer *w) {
  if (!w) return;
  clear_last_warnings(w);
  cdx_segb_free(w->b);
  /* uncommitted segment files are garbage now */
  for (size_t i = 0; i < w->n_pending; i++) {
    char name[64];
    cdx_seg_file_name(name, sizeof name, w->pending[i].seg_no);
    cdx_dir_unlink(&w->dir, name);
  }
  free_state(w);
  if (w->lock_fd >= 0) close(w->lock_fd); /* releases the flock */
  cdx_dir_close(&w->dir);
  cdx_realpath_cache_free(w->paths);
  cdx_dept_table_free(w->dept_table);
  pthread_rwlock_destroy(&w->docs_lock);
  pthread_mutex_destroy(&w->paths_lock);
  free(w);
}

/* ---- adding ---- */

static int flush_builder(cdx_writer *w, cdx_error *err) {
  if (!w->b || cdx_segb_docs(w->b) == 0) return CDX_OK;
  cdx_seg_info info;
  uint32_t n_docs = cdx_segb_docs(w->b);
  int rc = cdx_segb_write(w->b, &w->dir, w->b_seg_no, &info, err);
  cdx_segb_free(w->b);
  w->b = NULL;
  /* hundreds of thousands of freed posting buffers fragment the heap; hand
   * the free pages back so the next buffer fill starts from the budget */
  malloc_trim(0);
  if (rc != CDX_OK) {
    w->failed = rc;
    return rc;
  }
  (void)n_docs;
  cdx_seg_info *np = realloc(w->pending, (w->n_pending + 1) * sizeof *np);
  if (!np) {
    w->failed = CDX_NOMEM;
    return cdx_err_nomem(err, NULL);
  }
  w->pending = np;
  w->pending[w->n_pending++] = info;
  return CDX_OK;
}

static int check_usable(cdx_writer *w, cdx_error *err) {
  if (w->failed)
    return cdx_err_set(err, CDX_INVALID, CDX_NO_OFFSET,
                       "the index writer failed earlier (%s); close it and retry",
                       cdx_strerror(w->failed));
  return CDX_OK;
}

/* Adds a document given as fields; replaces a live document of the same id. */
static int add_fields(cdx_writer *w, const cdx_ix_doc_in *in, const cdx_segb_toks *toks,
                      cdx_error *err) {
  int rc;
  if (!w->b) {
    rc = cdx_segb_new(&w->b, err);
    if (rc != CDX_OK) return rc;
    /* with a core to spare, the builder's largest cost off its thread */
    if (w->threads > 1) cdx_segb_set_threaded(w->b);
    w->b_seg_no = w->next_seg++;
  }
  uint32_t doc = cdx_segb_docs(w->b);
  rc = toks ? cdx_segb_add_tokens(w->b, in, toks, err) : cdx_segb_add(w->b, in, err);
  if (rc != CDX_OK) {
    w->failed = rc;
    return rc;
  }
  if (add_doc_entry(w, in->id, in->hash, w->b_seg_no, doc) != CDX_OK) {
    w->failed = CDX_NOMEM;
    return cdx_err_nomem(err, NULL);
  }
  /* writing a segment needs its encoded regions in memory next to the
   * buffers (about half their size), so buffering stops at 2/3 of the
   * budget to keep the peak near the budget */
  bool over;
  rc = cdx_segb_over(w->b, w->budget / 3 * 2, &over, err);
  if (rc != CDX_OK) {
    w->failed = rc;
    return rc;
  }
  return over ? flush_builder(w, err) : CDX_OK;
}

/* The departments of every unit of doc with their roles (facts/depts.h
 * names them for the document's jurisdiction and its parents): the listed
 * ones (the first leads), the chapter's 牵头 departments, the shared duty of
 * a note. units[i].depts point into ds until its next reset. */
static int doc_depts(const cdx_dept_table *table, cdx_ix_depts *ds, const cdx_document_meta *m,
                     const cdx_document *doc, cdx_ix_unit_in *units, size_t n, cdx_error *err) {
  const char *places[CDX_DEPT_PLACES_MAX];
  size_t np = 0;
  if (m->jurisdiction.name) places[np++] = m->jurisdiction.name;
  for (size_t i = 0; i < m->n_parents && np < CDX_DEPT_PLACES_MAX; i++)
    if (m->parents[i].name) places[np++] = m->parents[i].name;
  size_t *first = malloc((n + 1) * sizeof *first);
  if (!first) return cdx_err_nomem(err, NULL);
  cdx_ix_depts_reset(ds);
  const cdx_unit_view *chapter = NULL; /* the chapter unit of the units that follow */
  int rc = CDX_OK;
  for (size_t i = 0; i < n && rc == CDX_OK; i++) {
    const cdx_unit_view *v = cdx_document_get_unit(doc, i);
    if (v->kind == CDX_UNIT_CHAPTER) chapter = v;
    else if (chapter && chapter->chapter != v->chapter) chapter = NULL;
    first[i] = ds->n;
    rc = cdx_ix_depts_add(ds, first[i], table, places, np, v->responsible, v->n_responsible,
                          CDX_ROLE_LEAD, CDX_ROLE_LISTED, err);
    if (rc == CDX_OK && chapter)
      rc = cdx_ix_depts_add(ds, first[i], table, places, np, chapter->lead_departments,
                            chapter->n_lead_departments, 0, CDX_ROLE_CHAPTER_LEAD, err);
    if (rc == CDX_OK)
      rc = cdx_ix_depts_add(ds, first[i], table, places, np, v->shared_responsible,
                            v->n_shared_responsible, 0, CDX_ROLE_SHARED, err);
  }
  first[n] = ds->n;
  cdx_ix_depts_finish(ds);
  for (size_t i = 0; i < n && rc == CDX_OK; i++) {
    units[i].depts = ds->d ? ds->d + first[i] : NULL;
    units[i].n_depts = first[i + 1] - first[i];
  }
  free(first);
  return rc;
}

/* A parsed document made ready for the builder: its units cut from the
 * text, their departments, the bases it cites. */
typedef struct prep {
  cdx_ix_unit_in *units;
  char **joined; /* units' several lead departments, joined by 、 */
  size_t n;
  char *cites;
  cdx_ix_depts depts; /* what units[i].depts point into */
  cdx_ix_doc_in in;   /* borrows doc's strings, and the above */
} prep;

static void prep_free(prep *p) {
  for (size_t i = 0; p->joined && i < p->n; i++) free(p->joined[i]);
  free(p->joined);
  free(p->units);
  free(p->cites);
  cdx_ix_depts_free(&p->depts);
  memset(p, 0, sizeof *p);
}

/* Fills p (zeroed, or freed by prep_free) from doc. Uses only its
 * arguments: worker threads call it. */
static int prep_doc(const cdx_dept_table *table, prep *p, const char *id, uint64_t hash,
                    uint64_t source_bytes, const cdx_document *doc, cdx_error *err) {
  memset(p, 0, sizeof *p);
  cdx_ix_depts_init(&p->depts);
  const cdx_document_meta *m = cdx_document_get_meta(doc);
  size_t tlen;
  const char *text = cdx_document_get_text(doc, &tlen);
  size_t n = cdx_document_unit_count(doc);
  p->n = n;
  p->units = calloc(n ? n : 1, sizeof *p->units);
  /* a unit with several lead departments stores them as written, joined by
   * 、 (one stored string, each one found by dept:) */
  p->joined = calloc(n ? n : 1, sizeof *p->joined);
  if (!p->units || !p->joined) {
    prep_free(p);
    return cdx_err_nomem(err, NULL);
  }
  for (size_t i = 0; i < n; i++) {
    const cdx_unit_view *v = cdx_document_get_unit(doc, i);
    cdx_ix_unit_in *u = &p->units[i];
    size_t s = v->start <= tlen ? v->start : tlen, e = v->end <= tlen && v->end >= s ? v->end : s;
    cdx_ix_unit_in_from_view(u, v);
    /* Several chapter leads are stored as one string, joined by 、. */
    if (v->n_lead_departments > 1) {
      cdx_buf jb;
      cdx_buf_init(&jb);
      int jrc = CDX_OK;
      for (size_t k = 0; k < v->n_lead_departments; k++) {
        if (k) cdx_buf_puts(&jrc, &jb, "、");
        cdx_buf_puts(&jrc, &jb, v->lead_departments[k]);
      }
      cdx_buf_str(&jrc, &jb);
      if (jrc != CDX_OK) {
        cdx_buf_free(&jb);
        prep_free(p);
        return cdx_err_nomem(err, NULL);
      }
      u->lead_department = p->joined[i] = cdx_buf_detach(&jb, NULL);
    }
    u->text = text + s;
    u->text_len = e - s;
    u->offset = s;
    u->source_start = v->source_start;
    u->source_end = v->source_end;
  }
  /* the bases a document cites stand before its first chapter (根据《…》，
   * 结合我市实际，制定以下政策); 根据《…》 inside a clause is a rule it applies */
  size_t basis_len = tlen;
  for (size_t i = 0; i < n; i++) {
    const cdx_unit_view *v = cdx_document_get_unit(doc, i);
    if (v->kind != CDX_UNIT_PREAMBLE) {
      basis_len = v->start;
      break;
    }
  }
  p->cites = cdx_fam_cites_scan(text, basis_len);
  if (!p->cites) {
    prep_free(p);
    return cdx_err_nomem(err, NULL);
  }
  int rc = doc_depts(table, &p->depts, m, doc, p->units, n, err);
  if (rc != CDX_OK) {
    prep_free(p);
    return rc;
  }
  cdx_ix_doc_in_from_meta(&p->in, id, m);
  p->in.cites = *p->cites ? p->cites : NULL;
  p->in.hash = hash;
  p->in.source_bytes = source_bytes;
  p->in.n_units = n;
  p->in.units = p->units;
  return CDX_OK;
}

/* Adds a prepared document (analysed already when toks is not NULL) in
 * place of old (may be NULL). */
static int apply_doc(cdx_writer *w, wdoc *old, const cdx_ix_doc_in *in, const cdx_segb_toks *toks,
                     cdx_add_outcome *outcome, cdx_error *err) {
  int rc = old ? kill_doc(w, old, err) : CDX_OK;
  if (rc == CDX_OK) rc = add_fields(w, in, toks, err);
  if (rc == CDX_OK && outcome) *outcome = old ? CDX_ADD_REPLACED : CDX_ADD_NEW;
  return rc;
}

static int add_document(cdx_writer *w, const char *id, uint64_t hash, uint64_t source_bytes,
                        const cdx_document *doc, cdx_add_outcome *outcome, cdx_error *err) {
  wdoc *old = find_doc(w, id);
  if (old && old->hash == hash) {
    if (outcome) *outcome = CDX_ADD_UNCHANGED;
    return CDX_OK;
  }
  prep p;
  int rc = prep_doc(w->dept_table, &p, id, hash, source_bytes, doc, err);
  if (rc != CDX_OK) return rc;
  rc = apply_doc(w, old, &p.in, NULL, outcome, err);
  prep_free(&p);
  return rc;
}

static uint64_t hash_str(uint64_t h, const char *s) {
  uint8_t sep = 0xff; /* not UTF-8: keeps "ab"+"c" apart from "a"+"bc" */
  if (s) h = cdx_ix_hash(s, strlen(s), h);
  return cdx_ix_hash(&sep, 1, h);
}

/* A document file read: its identity and content hash, and its parse
 * unless the document map holds it unchanged. */
typedef struct read_doc {
  char real[PATH_MAX];
  uint64_t hash;
  size_t len;
  bool unchanged; /* (doc NULL) as the map had it when read */
  cdx_document *doc;
} read_doc;

/* Reads and parses the file at path into r. With shared set the caller is
 * a worker thread: the path cache and the document map are taken under
 * their locks. */
static int read_document(cdx_writer *w, const char *path, const cdx_meta_overrides *ov, bool shared,
                         read_doc *r, cdx_error *err) {
  r->doc = NULL;
  r->unchanged = false;
  if (shared) pthread_mutex_lock(&w->paths_lock);
  int e = cdx_realpath_cached(w->paths, path, r->real);
  if (shared) pthread_mutex_unlock(&w->paths_lock);
  if (e != 0)
    return cdx_err_set(err, e == ENOENT ? CDX_NOTFOUND : CDX_IO, CDX_NO_OFFSET, "%s: %s", path,
                       strerror(e));
  char *bytes;
  size_t len;
  int rc = cdx_read_file_max(r->real, w->max_file_size, &bytes, &len, err);
  if (rc != CDX_OK) return rc;
  r->len = len;
  uint64_t h = cdx_hash64(bytes, len, CDX_IX_HASH_SEED);
  /* the sidecar and the overrides change the metadata, so they are part of
   * what "unchanged" means */
  char *side_path;
  rc = cdx_document_sidecar_path(r->real, &side_path, err);
  if (rc != CDX_OK) {
    free(bytes);
    return rc;
  }
  char *side;
  size_t side_len;
  int side_rc = cdx_read_file(side_path, &side, &side_len, NULL);
  if (side_rc == CDX_OK) {
    h = cdx_hash64(side, side_len, h);
    free(side);
  }
  free(side_path);
  h = hash_str(h, "|ov");
  /* repair evidence is not metadata: overrides that carry only evidence
   * hash as none, so a document parsed again with evidence stays unchanged */
  if (ov && (ov->title || ov->jurisdiction || ov->status || ov->edition || ov->date ||
             ov->doc_number || ov->issuer || ov->family)) {
    h = hash_str(h, ov->title);
    h = hash_str(h, ov->jurisdiction);
    h = hash_str(h, ov->status);
    h = hash_str(h, ov->edition);
    h = hash_str(h, ov->date);
    h = hash_str(h, ov->doc_number);
    h = hash_str(h, ov->issuer);
    h = hash_str(h, ov->family);
  }
  r->hash = h;
  if (shared ? known_unchanged(w, r->real, h)
             : (find_doc(w, r->real) && find_doc(w, r->real)->hash == h)) {
    free(bytes);
    r->unchanged = true;
    return CDX_OK;
  }
  /* with no sidecar, the bytes just hashed are all the document is read
   * from: parse them rather than read the file a second time */
  rc = side_rc == CDX_NOTFOUND ? cdx_document_read_buffer(r->real, bytes, len, ov, &r->doc, err)
                               : cdx_document_read_file(r->real, ov, &r->doc, err);
  free(bytes);
  return rc;
}

int cdx_writer_add_file(cdx_writer *w, const char *path, const cdx_meta_overrides *ov,
                        cdx_add_outcome *outcome, cdx_error *err) {
  if (!w || !path) return cdx_err_set(err, CDX_INVALID, CDX_NO_OFFSET, "NULL argument");
  clear_last_warnings(w);
  int rc = check_usable(w, err);
  if (rc != CDX_OK) return rc;
  read_doc r;
  rc = read_document(w, path, ov, false, &r, err);
  if (rc != CDX_OK) return rc;
  if (r.unchanged) {
    if (outcome) *outcome = CDX_ADD_UNCHANGED;
    return CDX_OK;
  }
  keep_last_warnings(w, r.doc);
  rc = add_document(w, r.real, r.hash, r.len, r.doc, outcome, err);
  cdx_document_free(r.doc);
  return rc;
}

int cdx_writer_add_jsonl(cdx_writer *w, const char *path, size_t counts[3], cdx_skip_fn on_skip,
                         void *ctx, cdx_error *err) {
  if (!w || !path) return cdx_err_set(err, CDX_INVALID, CDX_NO_OFFSET, "NULL argument");
  int rc = check_usable(w, err);
  if (rc != CDX_OK) return rc;
  cdx_jsonl_reader *r;
  rc = cdx_jsonl_open(path, &r, err);
  if (rc != CDX_OK) return rc;
  size_t skipped = 0;
  for (;;) {
    cdx_document *doc;
    const char *id;
    cdx_error e;
    rc = cdx_jsonl_next(r, &doc, &id, &e);
    if (rc == CDX_BADINPUT) { /* that record is skipped; the reader goes on */
      skipped++;
      if (on_skip) on_skip(ctx, &e);
      continue;
    }
    if (rc != CDX_OK) {
      if (err) *err = e;
      break;
    }
    if (!doc) break;
    /* a record's content is its JSON form: same JSON, same document */
    char *json;
    size_t jlen;
    rc = cdx_document_to_json(doc, &json, &jlen, err);
    if (rc == CDX_OK) {
      uint64_t h = cdx_hash64(json, jlen, CDX_IX_HASH_SEED);
      cdx_free(json);
      cdx_add_outcome oc;
      rc = add_document(w, id, h, jlen, doc, &oc, err);
      if (rc == CDX_OK && counts) counts[oc]++;
    }
    cdx_document_free(doc);
    if (rc != CDX_OK) break;
  }
  cdx_jsonl_close(r);
  if (rc == CDX_OK && skipped)
    rc = cdx_err_set(err, CDX_BADINPUT, CDX_NO_OFFSET, "%s: %zu bad record%s skipped", path,
                     skipped, skipped == 1 ? "" : "s");
  return rc;
}

/* ---- batches on several threads ---- */

static bool is_jsonl(const char *p) {
  size_t n = strlen(p);
  return n >= 6 && strcmp(p + n - 6, ".jsonl") == 0;
}

/* One thread: the calls one by one. */
static int batch_serial(cdx_writer *w, const char *const *paths, size_t n,
                        const cdx_meta_overrides *ov, cdx_batch_fn done, cdx_skip_fn on_skip,
                        void *ctx, cdx_error *err) {
  for (size_t k = 0; k < n; k++) {
    cdx_error e;
    cdx_batch_result r = {.index = k};
    if (is_jsonl(paths[k])) {
      r.rc = cdx_writer_add_jsonl(w, paths[k], r.counts, on_skip, ctx, &e);
    } else {
      r.rc = cdx_writer_add_file(w, paths[k], ov, &r.outcome, &e);
      r.n_warnings = cdx_writer_last_warnings(w, &r.warnings);
    }
    r.err = r.rc == CDX_OK ? NULL : &e;
    if (done && done(ctx, &r)) break;
    if (w->failed) return check_usable(w, err);
  }
  return CDX_OK;
}

enum job_kind { JOB_FILE, JOB_RECORD, JOB_SKIP, JOB_END };

/* An item of the pipeline: a document file, a JSON Lines record (a
 * document, or a bad one to report) or the end of a JSON Lines file. */
typedef struct job {
  enum job_kind kind;
  size_t index; /* into paths */
  int rc;
  cdx_error err;
  read_doc r;        /* JOB_FILE: real is the id */
  char *id;          /* JOB_RECORD */
  cdx_document *doc; /* JOB_RECORD */
  uint64_t hash;     /* JOB_RECORD */
  size_t len;
  bool ready; /* prep and toks are filled */
  prep p;
  cdx_segb_toks toks;
} job;

typedef struct batch {
  cdx_writer *w;
  const char *const *paths;
  size_t n, next; /* next path to produce */
  const cdx_meta_overrides *ov;
  cdx_jsonl_reader *jr; /* the JSON Lines file being read, paths[next - 1] */
  cdx_batch_fn done;
  cdx_skip_fn on_skip;
  void *ctx;
  /* the JSON Lines file being consumed */
  size_t counts[3], skipped;
  int file_rc;
  cdx_error file_err;
  int rc; /* the writer's error that stopped the batch */
  cdx_error *err;
} batch;

static void job_clear(job *j) {
  cdx_document_free(j->r.doc);
  cdx_document_free(j->doc);
  free(j->id);
  prep_free(&j->p);
  cdx_segb_toks t = j->toks;
  memset(j, 0, sizeof *j);
  j->toks = t; /* its buffers are kept for the slot's next document */
}

static int produce(void *vb, void *vj) {
  batch *b = vb;
  job *j = vj;
  job_clear(j);
  for (;;) {
    if (b->jr) {
      j->index = b->next - 1;
      const char *id;
      int rc = cdx_jsonl_next(b->jr, &j->doc, &id, &j->err);
      if (rc == CDX_BADINPUT) { /* that record is skipped; the reader goes on */
        j->kind = JOB_SKIP;
        return 1;
      }
      if (rc == CDX_OK && j->doc) {
        j->kind = JOB_RECORD;
        if (!(j->id = strdup(id))) j->rc = cdx_err_nomem(&j->err, NULL);
        return 1;
      }
      j->kind = JOB_END;
      j->rc = rc;
      cdx_jsonl_close(b->jr);
      b->jr = NULL;
      return 1;
    }
    if (b->next == b->n) return 0;
    j->index = b->next++;
    const char *p = b->paths[j->index];
    if (!is_jsonl(p)) {
      j->kind = JOB_FILE;
      return 1;
    }
    j->rc = cdx_jsonl_open(p, &b->jr, &j->err);
    if (j->rc != CDX_OK) {
      j->kind = JOB_END;
      return 1;
    }
  }
}

static void *ws_new(void *vb) {
  (void)vb;
  cdx_analyzer *an = NULL;
  if (cdx_analyzer_new(CDX_ANALYZE_RUN_TAILS, &an, NULL) != CDX_OK) return NULL;
  return an;
}

static void ws_free(void *vb, void *ws) {
  (void)vb;
  cdx_analyzer_free(ws);
}

/* On a worker thread: read, parse, prepare and analyse. */
static void work(void *vb, void *ws, void *vj) {
  batch *b = vb;
  job *j = vj;
  if (j->rc != CDX_OK || j->kind == JOB_SKIP || j->kind == JOB_END) return;
  const char *id;
  const cdx_document *doc;
  if (j->kind == JOB_FILE) {
    j->rc = read_document(b->w, b->paths[j->index], b->ov, true, &j->r, &j->err);
    if (j->rc != CDX_OK || j->r.unchanged) return;
    id = j->r.real;
    doc = j->r.doc;
    j->hash = j->r.hash;
    j->len = j->r.len;
  } else {
    /* a record's content is its JSON form: same JSON, same document */
    char *json;
    j->rc = cdx_document_to_json(j->doc, &json, &j->len, &j->err);
    if (j->rc != CDX_OK) return;
    j->hash = cdx_hash64(json, j->len, CDX_IX_HASH_SEED);
    cdx_free(json);
    if (known_unchanged(b->w, j->id, j->hash)) return;
    id = j->id;
    doc = j->doc;
  }
  if (!ws) {
    j->rc = cdx_err_nomem(&j->err, NULL);
    return;
  }
  j->rc = prep_doc(b->w->dept_table, &j->p, id, j->hash, j->len, doc, &j->err);
  if (j->rc == CDX_OK) j->rc = cdx_segb_tokenize(ws, &j->p.in, &j->toks, &j->err);
  j->ready = j->rc == CDX_OK;
}

/* The document of j into the index, in input order. What the map says now
 * decides (a worker's look may be older). */
static int add_job_doc(batch *b, job *j, cdx_add_outcome *oc, cdx_error *err) {
  cdx_writer *w = b->w;
  const char *id = j->kind == JOB_FILE ? j->r.real : j->id;
  wdoc *old = find_doc(w, id);
  if (old && old->hash == j->hash) {
    *oc = CDX_ADD_UNCHANGED;
    return CDX_OK;
  }
  if (j->ready) return apply_doc(w, old, &j->p.in, &j->toks, oc, err);
  /* the worker took it for unchanged and the map no longer does: now */
  if (j->kind == JOB_RECORD) return add_document(w, id, j->hash, j->len, j->doc, oc, err);
  cdx_document_free(j->r.doc);
  /* shared: the workers are still reading the path cache */
  int rc = read_document(w, b->paths[j->index], b->ov, true, &j->r, err);
  if (rc == CDX_OK && !j->r.unchanged)
    rc = add_document(w, id, j->r.hash, j->r.len, j->r.doc, oc, err);
  else if (rc == CDX_OK) *oc = CDX_ADD_UNCHANGED;
  return rc;
}

static int consume(void *vb, void *vj) {
  batch *b = vb;
  job *j = vj;
  cdx_writer *w = b->w;
  cdx_batch_result r = {.index = j->index};
  int stop = 0;
  switch (j->kind) {
    case JOB_FILE: {
      cdx_error e;
      r.rc = j->rc;
      r.err = &j->err;
      if (r.rc == CDX_OK && !j->r.unchanged) {
        const cdx_document_meta *m = cdx_document_get_meta(j->r.doc);
        r.warnings = (const char *const *)m->warnings;
        r.n_warnings = m->n_warnings;
      }
      if (r.rc == CDX_OK) {
        r.rc = add_job_doc(b, j, &r.outcome, &e);
        r.err = &e;
        if (r.rc != CDX_OK) r.n_warnings = 0;
      }
      if (r.rc == CDX_OK) r.err = NULL;
      stop = b->done && b->done(b->ctx, &r);
      break;
    }
    case JOB_RECORD: {
      if (b->file_rc != CDX_OK) break; /* the file failed: the rest of it is not added */
      cdx_add_outcome oc = CDX_ADD_NEW;
      if (j->rc == CDX_OK) j->rc = add_job_doc(b, j, &oc, &j->err);
      if (j->rc == CDX_OK) b->counts[oc]++;
      else {
        b->file_rc = j->rc;
        b->file_err = j->err;
      }
      break;
    }
    case JOB_SKIP:
      if (b->file_rc != CDX_OK) break;
      b->skipped++;
      if (b->on_skip) b->on_skip(b->ctx, &j->err);
      break;
    case JOB_END:
      r.rc = b->file_rc != CDX_OK ? b->file_rc : j->rc;
      r.err = b->file_rc != CDX_OK ? &b->file_err : &j->err;
      if (r.rc == CDX_OK && b->skipped)
        r.rc = cdx_err_set(&j->err, CDX_BADINPUT, CDX_NO_OFFSET, "%s: %zu bad record%s skipped",
                           b->paths[j->index], b->skipped, b->skipped == 1 ? "" : "s");
      if (r.rc == CDX_OK) r.err = NULL;
      memcpy(r.counts, b->counts, sizeof r.counts);
      memset(b->counts, 0, sizeof b->counts);
      b->skipped = 0;
      b->file_rc = CDX_OK;
      stop = b->done && b->done(b->ctx, &r);
      break;
  }
  job_clear(j);
  if (w->failed) {
    b->rc = check_usable(w, b->err);
    return 1;
  }
  return stop ? 2 : 0;
}

static void discard(void *vb, void *vj) {
  (void)vb;
  job_clear(vj);
}

int cdx_writer_add_batch(cdx_writer *w, const char *const *paths, size_t n,
                         const cdx_meta_overrides *ov, cdx_batch_fn done, cdx_skip_fn on_skip,
                         void *ctx, cdx_error *err) {
  if (!w || (n && !paths)) return cdx_err_set(err, CDX_INVALID, CDX_NO_OFFSET, "NULL argument");
  int rc = check_usable(w, err);
  if (rc != CDX_OK) return rc;
  clear_last_warnings(w);
  if (w->threads <= 1) return batch_serial(w, paths, n, ov, done, on_skip, ctx, err);
  batch b = {.w = w,
             .paths = paths,
             .n = n,
             .ov = ov,
             .done = done,
             .on_skip = on_skip,
             .ctx = ctx,
             .err = err};
  static const cdx_pool_fns fns = {produce, work, consume, discard, ws_new, ws_free};
  /* four documents a thread in flight: enough to even out their sizes,
   * few enough that memory stays near the budget */
  size_t slots = (size_t)w->threads * 4;
  job *jobs_for_free = NULL;
  int pr = cdx_pool_run(w->threads, slots, sizeof(job), &fns, &b, (void **)&jobs_for_free);
  for (size_t i = 0; jobs_for_free && i < slots; i++) {
    job_clear(&jobs_for_free[i]);
    cdx_segb_toks_free(&jobs_for_free[i].toks);
  }
  free(jobs_for_free);
  if (b.jr) cdx_jsonl_close(b.jr);
  if (pr < 0) return batch_serial(w, paths, n, ov, done, on_skip, ctx, err);
  return b.rc;
}

int cdx_writer_delete(cdx_writer *w, const char *doc_id, cdx_error *err) {
  if (!w || !doc_id) return cdx_err_set(err, CDX_INVALID, CDX_NO_OFFSET, "NULL argument");
  int rc = check_usable(w, err);
  if (rc != CDX_OK) return rc;
  wdoc *d = find_doc(w, doc_id);
  char real[PATH_MAX];
  if (!d && cdx_realpath_cached(w->paths, doc_id, real) == 0) d = find_doc(w, real);
  if (!d)
    return cdx_err_set(err, CDX_NOTFOUND, CDX_NO_OFFSET, "%s: no such document in the index",
                       doc_id);
  return kill_doc(w, d, err);
}

/* ---- commit ---- */

/* Writes deletion files and the manifest for: the snapshot's segments minus
 * `drop` (seg_nos), plus `add` in place of the first dropped one (or at the
 * end), plus the pending segments. */
static int publish(cdx_writer *w, const uint32_t *drop, size_t n_drop, const cdx_seg_info *add,
                   cdx_error *err) {
  cdx_manifest m;
  memset(&m, 0, sizeof m);
  m.generation = w->snap->man.generation + 1;
  /* a merge (something dropped) reorganises the batch it follows; a commit
   * of changes is the next batch */
  m.batch = w->snap->man.batch + (n_drop ? 0 : 1);
  m.timestamp = n_drop ? w->snap->man.timestamp : (uint64_t)time(NULL);
  m.next_seg = w->next_seg;
  size_t cap = w->snap->n_segs + w->n_pending + 1;
  m.segs = calloc(cap, sizeof *m.segs);
  if (!m.segs) return cdx_err_nomem(err, NULL);
  bool added = false;
  for (size_t i = 0; i < w->snap->n_segs; i++) {
    bool dropped = false;
    for (size_t k = 0; k < n_drop; k++) dropped |= drop[k] == w->snap->segs[i].info.seg_no;
    if (dropped) {
      if (add && !added) m.segs[m.n_segs++] = *add;
      added = true;
      continue;
    }
    m.segs[m.n_segs++] = w->snap->segs[i].info;
  }
  if (add && !added) m.segs[m.n_segs++] = *add;
  for (size_t i = 0; i < w->n_pending; i++) m.segs[m.n_segs++] = w->pending[i];
  int rc = CDX_OK;
  uint32_t kept = 0;
  for (uint32_t i = 0; i < m.n_segs && rc == CDX_OK; i++) {
    cdx_seg_info *g = &m.segs[i];
    wdel *d = NULL;
    for (size_t k = 0; k < w->n_dels; k++)
      if (w->dels[k].seg_no == g->seg_no) d = &w->dels[k];
    /* a deletion made while the segment was still being built has a bitmap
     * sized for the documents of that moment: grow it to the segment */
    if (d && d->n_docs < g->n_docs && !(d = del_for(w, g->seg_no, g->n_docs))) {
      rc = cdx_err_nomem(err, NULL);
      break;
    }
    if (d && d->dirty) {
      if (d->n_deleted == g->n_docs) continue; /* nothing left: drop the segment */
      uint32_t gen = (uint32_t)m.generation;
      rc = cdx_del_write(&w->dir, g->seg_no, gen, g->n_docs, d->bits, err);
      g->del_gen = gen;
      g->n_deleted = d->n_deleted;
    }
    m.segs[kept++] = *g;
  }
  m.n_segs = kept;
  if (rc == CDX_OK) rc = cdx_man_write(&w->dir, &m, err);
  if (rc == CDX_OK) cdx_man_cleanup(&w->dir, &m);
  cdx_man_free(&m);
  return rc;
}

static int merge_segments(cdx_writer *w, const size_t *which, size_t n, cdx_error *err);

/* Is the manifest on disk the one of `generation`? Only this writer (it
 * holds the lock) writes manifests, so after a failed publish it tells
 * whether the rename happened. */
static bool published(cdx_writer *w, uint64_t generation) {
  cdx_manifest m;
  if (cdx_man_read(&w->dir, &m, NULL) != CDX_OK) return false;
  bool yes = m.generation == generation;
  cdx_man_free(&m);
  return yes;
}

/* Prefixes err's message: the commit is visible whatever failed after it. */
static void committed_but(cdx_error *err, int rc, uint64_t generation) {
  if (!err) return;
  char cause[sizeof err->message];
  memcpy(cause, err->message, sizeof cause);
  cdx_err_set(err, rc, err->offset, "committed (generation %llu), but then: %s",
              (unsigned long long)generation, cause);
}

/* Bytes of builder memory per byte of unit text, measured on generated
 * corpora (postings, positions and stored text buffered): a merge is only
 * started when its output fits the memory budget. */
#define MERGE_BYTES_PER_TEXT_BYTE 3

static int maybe_merge(cdx_writer *w, cdx_error *err) {
  while (w->snap->n_segs > MERGE_FACTOR) {
    /* tiered: the smallest segments merge first, so each unit is re-merged
     * about log10(N) times */
    size_t n = w->snap->n_segs;
    size_t *idx = malloc(n * sizeof *idx);
    if (!idx) return cdx_err_nomem(err, NULL);
    for (size_t i = 0; i < n; i++) idx[i] = i;
    for (size_t i = 1; i < n; i++)
      for (size_t j = i;
           j > 0 && w->snap->segs[idx[j]].info.n_units < w->snap->segs[idx[j - 1]].info.n_units;
           j--) {
        size_t t = idx[j];
        idx[j] = idx[j - 1];
        idx[j - 1] = t;
      }
    for (size_t i = 1; i < MERGE_FACTOR; i++) /* keep doc order inside the merge */
      for (size_t j = i; j > 0 && idx[j] < idx[j - 1]; j--) {
        size_t t = idx[j];
        idx[j] = idx[j - 1];
        idx[j - 1] = t;
      }
    uint64_t text = 0;
    for (size_t i = 0; i < MERGE_FACTOR; i++) text += w->snap->segs[idx[i]].seg.text_bytes;
    if (text * MERGE_BYTES_PER_TEXT_BYTE > w->budget) {
      /* even the smallest ten are too big to merge within the budget: the
       * index keeps more segments (each at least budget/30) until optimize */
      free(idx);
      return CDX_OK;
    }
    int rc = merge_segments(w, idx, MERGE_FACTOR, err);
    free(idx);
    if (rc != CDX_OK) return rc;
  }
  return CDX_OK;
}

int cdx_writer_commit(cdx_writer *w, cdx_error *err) {
  if (!w) return cdx_err_set(err, CDX_INVALID, CDX_NO_OFFSET, "NULL argument");
  int rc = check_usable(w, err);
  if (rc == CDX_OK) rc = flush_builder(w, err);
  bool dirty = w->n_pending > 0;
  for (size_t i = 0; i < w->n_dels; i++) dirty |= w->dels[i].dirty;
  uint64_t generation = w->snap->man.generation + (dirty ? 1 : 0);
  if (rc == CDX_OK && dirty) rc = publish(w, NULL, 0, NULL, err);
  if (rc != CDX_OK) {
    w->failed = rc;
    /* a failure after the rename (the directory fsync) leaves the commit in
     * place: its segments are committed now, not leftovers to remove */
    if (dirty && published(w, generation)) {
      free(w->pending);
      w->pending = NULL;
      w->n_pending = 0;
      committed_but(err, rc, generation);
    }
    return rc;
  }
  free(w->pending);
  w->pending = NULL;
  w->n_pending = 0;
  /* The commit is published: what fails from here (reading it back, the
   * merge that follows it) cannot take it back, so the error says so. */
  rc = load_state(w, err);
  if (rc == CDX_OK) rc = maybe_merge(w, err);
  if (rc != CDX_OK) {
    w->failed = rc;
    committed_but(err, rc, generation);
  }
  return rc;
}

/* Scratch for rebuilding documents from stored fields during a merge. */
typedef struct rebuild {
  cdx_ix_store *st;
  cdx_buf text; /* copies of the unit strings */
  size_t *offs; /* 5 per unit: text, number, heading, lead, responsible */
  cdx_ix_unit_in *units;
  const char **resp;
  size_t cap_units, cap_resp;
  const cdx_dept_table *dept_table;
  cdx_ix_depts depts; /* the document's departments */
} rebuild;

static size_t put_str(int *rc, cdx_buf *b, const char *s, size_t n) {
  if (!s) return SIZE_MAX;
  size_t at = b->len;
  cdx_buf_append(rc, b, s, n);
  cdx_buf_putc(rc, b, 0);
  return at;
}

static const char *at(const cdx_buf *b, size_t off) {
  return off == SIZE_MAX ? NULL : b->data + off;
}

/* The departments of a stored document's units: decoded as they are (a
 * segment of version 6 on), or from the stored lists of an older one (the
 * first listed leads; the stored lead department, several joined by 、,
 * leads the chapter). */
static int store_depts(rebuild *rb, const cdx_index *ix, size_t seg, uint32_t first_unit,
                       cdx_ix_doc_in *in, cdx_error *err) {
  size_t *first = malloc((in->n_units + 1) * sizeof *first);
  if (!first) return cdx_err_nomem(err, NULL);
  cdx_ix_depts_reset(&rb->depts);
  const char *places[1] = {in->jurisdiction};
  size_t np = in->jurisdiction ? 1 : 0;
  bool decoded = cdx_ix_segment_has_facts(ix, seg);
  int rc = CDX_OK;
  for (size_t i = 0; i < in->n_units && rc == CDX_OK; i++) {
    cdx_ix_unit_in *u = &rb->units[i];
    first[i] = rb->depts.n;
    if (decoded) {
      cdx_ix_cursor c;
      rc = cdx_ix_unit_depts(ix, seg, first_unit + (uint32_t)i, &c, err);
      bool got = true;
      while (rc == CDX_OK && got) {
        cdx_ix_dept d;
        rc = cdx_ix_next_dept(&c, &d, &got, err);
        if (rc == CDX_OK && got) {
          rc = cdx_ix_depts_put(&rb->depts, d.written, d.canonical, d.roles, err);
        }
      }
      continue;
    }
    rc = cdx_ix_depts_add(&rb->depts, first[i], rb->dept_table, places, np, u->responsible,
                          u->n_responsible, CDX_ROLE_LEAD, CDX_ROLE_LISTED, err);
    if (rc == CDX_OK && u->lead_department) {
      char buf[4 * CDX_DEPT_NAME_MAX];
      snprintf(buf, sizeof buf, "%s", u->lead_department);
      const char *leads[16];
      size_t nl = 0;
      for (char *p = buf; p && nl < 16;) {
        leads[nl++] = p;
        char *sep = strstr(p, "、");
        if (sep) *sep = 0, p = sep + strlen("、");
        else p = NULL;
      }
      rc = cdx_ix_depts_add(&rb->depts, first[i], rb->dept_table, places, np, leads, nl, 0,
                            CDX_ROLE_CHAPTER_LEAD, err);
    }
  }
  first[in->n_units] = rb->depts.n;
  cdx_ix_depts_finish(&rb->depts);
  for (size_t i = 0; i < in->n_units && rc == CDX_OK; i++) {
    rb->units[i].depts = rb->depts.d ? rb->depts.d + first[i] : NULL;
    rb->units[i].n_depts = first[i + 1] - first[i];
  }
  free(first);
  return rc;
}

/* Rebuilds one document's input from its stored fields (valid until the
 * next call on rb). */
static int doc_from_store(rebuild *rb, const cdx_index *ix, size_t seg, uint32_t doc,
                          cdx_ix_doc_in *in, cdx_error *err) {
  cdx_ix_doc_fields f;
  uint64_t hash;
  int rc = cdx_seg_doc(&ix->segs[seg].seg, doc, &f, &hash, err);
  if (rc != CDX_OK) return rc;
  if (f.n_units > rb->cap_units) {
    cdx_ix_unit_in *u = realloc(rb->units, f.n_units * sizeof *u);
    if (!u) return cdx_err_nomem(err, NULL);
    rb->units = u;
    size_t *o = realloc(rb->offs, (size_t)f.n_units * 5 * sizeof *o);
    if (!o) return cdx_err_nomem(err, NULL);
    rb->offs = o;
    rb->cap_units = f.n_units;
  }
  cdx_buf_reset(&rb->text);
  size_t total_resp = 0;
  int brc = CDX_OK;
  for (uint32_t i = 0; i < f.n_units; i++) {
    cdx_ix_unit_fields uf;
    rc = cdx_ix_store_unit(rb->st, seg, f.first_unit + i, &uf, err);
    if (rc != CDX_OK) return rc;
    cdx_ix_unit_meta um;
    cdx_ix_unit_meta_get(ix, seg, f.first_unit + i, &um);
    cdx_ix_unit_in *u = &rb->units[i];
    memset(u, 0, sizeof *u);
    cdx_ix_unit_in_from_meta(u, &um);
    u->offset = uf.offset;
    /* the source range is the document's, kept as it was indexed */
    cdx_ix_unit_source(ix, seg, f.first_unit + i, &u->source_start, &u->source_end);
    u->text_len = uf.text_len;
    u->n_responsible = uf.n_responsible;
    size_t *o = &rb->offs[(size_t)i * 5];
    o[0] = put_str(&brc, &rb->text, uf.text, uf.text_len);
    o[1] = uf.number ? put_str(&brc, &rb->text, uf.number, strlen(uf.number)) : SIZE_MAX;
    o[2] = uf.heading ? put_str(&brc, &rb->text, uf.heading, strlen(uf.heading)) : SIZE_MAX;
    o[3] = uf.lead_department
               ? put_str(&brc, &rb->text, uf.lead_department, strlen(uf.lead_department))
               : SIZE_MAX;
    o[4] = rb->text.len;
    for (size_t k = 0; k < uf.n_responsible; k++)
      put_str(&brc, &rb->text, uf.responsible[k], strlen(uf.responsible[k]));
    total_resp += uf.n_responsible;
  }
  if (brc != CDX_OK) return cdx_err_nomem(err, NULL);
  if (total_resp > rb->cap_resp) {
    const char **r = realloc(rb->resp, total_resp * sizeof *r);
    if (!r) return cdx_err_nomem(err, NULL);
    rb->resp = r;
    rb->cap_resp = total_resp;
  }
  size_t r = 0;
  for (uint32_t i = 0; i < f.n_units; i++) {
    size_t *o = &rb->offs[(size_t)i * 5];
    cdx_ix_unit_in *u = &rb->units[i];
    u->text = at(&rb->text, o[0]);
    u->number = at(&rb->text, o[1]);
    u->heading = at(&rb->text, o[2]);
    u->lead_department = at(&rb->text, o[3]);
    u->responsible = rb->resp + r;
    const char *p = rb->text.data + o[4];
    for (size_t k = 0; k < u->n_responsible; k++) {
      rb->resp[r++] = p;
      p += strlen(p) + 1;
    }
  }
  cdx_ix_doc_in_from_fields(in, &f);
  in->hash = hash;
  in->units = rb->units;
  return store_depts(rb, ix, seg, f.first_unit, in, err);
}

/* Merges snapshot segments which[0..n) (in doc order) into one new segment,
 * dropping deleted documents, and publishes it in place of the first. Runs
 * right after a commit, so there are no pending changes. */
static int merge_segments(cdx_writer *w, const size_t *which, size_t n, cdx_error *err) {
  rebuild rb;
  memset(&rb, 0, sizeof rb);
  cdx_buf_init(&rb.text);
  cdx_ix_depts_init(&rb.depts);
  rb.dept_table = w->dept_table;
  cdx_segb *b = NULL;
  uint32_t *drop = malloc(n * sizeof *drop);
  int rc = drop ? cdx_ix_store_new(w->snap, &rb.st, err) : cdx_err_nomem(err, NULL);
  if (rc == CDX_OK) rc = cdx_segb_new(&b, err);
  /* a merge is one thread re-adding stored documents: deflate beside it */
  if (rc == CDX_OK && w->threads > 1) cdx_segb_set_threaded(b);
  uint32_t seg_no = w->next_seg++;
  for (size_t k = 0; k < n && rc == CDX_OK; k++) {
    size_t s = which[k];
    drop[k] = w->snap->segs[s].info.seg_no;
    for (uint32_t d = 0; d < w->snap->segs[s].seg.n_docs && rc == CDX_OK; d++) {
      if (cdx_bit(w->snap->segs[s].del_docs, d)) continue;
      cdx_ix_doc_in in;
      rc = doc_from_store(&rb, w->snap, s, d, &in, err);
      if (rc == CDX_OK) rc = cdx_segb_add(b, &in, err);
    }
  }
  cdx_seg_info info;
  bool have = false;
  if (rc == CDX_OK && cdx_segb_docs(b) > 0) {
    rc = cdx_segb_write(b, &w->dir, seg_no, &info, err);
    have = rc == CDX_OK;
  }
  if (rc == CDX_OK) {
    /* the merged segment carries no deletions: they were dropped */
    for (size_t i = 0; i < w->n_dels; i++) w->dels[i].dirty = false;
    rc = publish(w, drop, n, have ? &info : NULL, err);
  }
  /* a merged segment the manifest already names (the rename happened, a
   * later step failed) is committed, not garbage */
  if (rc != CDX_OK && have && !published(w, w->snap->man.generation + 1)) {
    char name[64];
    cdx_seg_file_name(name, sizeof name, seg_no);
    cdx_dir_unlink(&w->dir, name);
  }
  cdx_segb_free(b);
  cdx_ix_store_free(rb.st);
  cdx_buf_free(&rb.text);
  cdx_ix_depts_free(&rb.depts);
  free(rb.offs);
  free(rb.units);
  free(rb.resp);
  free(drop);
  if (rc == CDX_OK) rc = load_state(w, err);
  return rc;
}

int cdx_writer_optimize(cdx_writer *w, cdx_error *err) {
  int rc = cdx_writer_commit(w, err);
  if (rc != CDX_OK) return rc;
  bool any_deleted = false, any_old = false;
  for (size_t i = 0; i < w->snap->n_segs; i++) {
    any_deleted |= w->snap->segs[i].info.n_deleted > 0;
    /* an older format is rewritten: it lacks what the current one stores
     * (version 6: departments and figures per unit) */
    any_old |= w->snap->segs[i].seg.version < CDX_SEG_VERSION;
  }
  if (w->snap->n_segs <= 1 && !any_deleted && !any_old) return CDX_OK;
  size_t *idx = malloc((w->snap->n_segs + 1) * sizeof *idx);
  if (!idx) return cdx_err_nomem(err, NULL);
  for (size_t i = 0; i < w->snap->n_segs; i++) idx[i] = i;
  rc = merge_segments(w, idx, w->snap->n_segs, err);
  free(idx);
  if (rc != CDX_OK) w->failed = rc;
  return rc;
}
