/* snapshot.c - the open index the requests read, and its replacement when
 * another process commits.
 *
 * A commit replaces DIR/MANIFEST by a rename (docs/FORMAT.md), so the
 * manifest's inode, size and mtime identify the commit a handle was opened
 * on. Each request stats the manifest (about a microsecond); when it differs
 * from the current snapshot's, one request opens the new commit while the
 * others keep reading the old one, then the new one becomes current. A
 * snapshot is reference-counted: a request holds its snapshot to the end, so
 * a request never sees two commits, and the old handle closes after its
 * last reader (its segment files stay readable: unlinked mappings live on).
 *
 * A failed reopen (a corrupt new commit) keeps the old snapshot in service
 * and is retried when the manifest changes again or after a second; with no
 * snapshot at all the request is 503. */
#define _POSIX_C_SOURCE 200809L
#include <assert.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include "serve/serve.h"

typedef struct commit_id {
  bool exists;
  dev_t dev;
  ino_t ino;
  off_t size;
  struct timespec mtime;
} commit_id;

struct srv_snapshot {
  cdx_index *ix;
  atomic_size_t refs;
  commit_id id;
  uint64_t serial;
};

struct srv_store {
  char *dir;
  char *manifest;
  size_t block_cache; /* bytes per snapshot, 0 for none */
  pthread_mutex_t mu;
  srv_snapshot *cur;   /* holds one reference; NULL until opened */
  bool reopening;      /* one thread opens at a time */
  commit_id failed_id; /* the commit whose opening failed last */
  double failed_at;    /* when (monotonic seconds); 0 when none */
  cdx_error failed_err;
  uint64_t serial;
};

/* Seconds between retries of a commit that failed to open. */
#define RETRY_SECONDS 1.0

static double now_seconds(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

static commit_id stat_commit(const char *manifest) {
  commit_id id;
  memset(&id, 0, sizeof id);
  struct stat st;
  if (stat(manifest, &st) != 0) return id;
  id.exists = true;
  id.dev = st.st_dev;
  id.ino = st.st_ino;
  id.size = st.st_size;
  id.mtime = st.st_mtim;
  return id;
}

static bool same_commit(const commit_id *a, const commit_id *b) {
  return a->exists == b->exists && a->dev == b->dev && a->ino == b->ino && a->size == b->size &&
         a->mtime.tv_sec == b->mtime.tv_sec && a->mtime.tv_nsec == b->mtime.tv_nsec;
}

int srv_store_new(const char *dir, size_t block_cache, srv_store **out, cdx_error *err) {
  *out = NULL;
  srv_store *s = calloc(1, sizeof *s);
  size_t n = strlen(dir);
  if (s) s->dir = malloc(n + 1);
  if (s && s->dir) s->manifest = malloc(n + sizeof "/MANIFEST");
  if (!s || !s->dir || !s->manifest) {
    if (s) {
      free(s->dir);
      free(s);
    }
    return cdx_err_set(err, CDX_NOMEM, CDX_NO_OFFSET, "out of memory");
  }
  memcpy(s->dir, dir, n + 1);
  memcpy(s->manifest, dir, n);
  memcpy(s->manifest + n, "/MANIFEST", sizeof "/MANIFEST");
  s->block_cache = block_cache;
  pthread_mutex_init(&s->mu, NULL);
  *out = s;
  return CDX_OK;
}

void srv_snapshot_release(srv_snapshot *snap) {
  if (!snap) return;
  size_t before = atomic_fetch_sub(&snap->refs, 1);
  assert(before > 0);
  if (before == 1) {
    cdx_index_close(snap->ix);
    free(snap);
  }
}

void srv_store_free(srv_store *s) {
  if (!s) return;
  srv_snapshot_release(s->cur);
  pthread_mutex_destroy(&s->mu);
  free(s->manifest);
  free(s->dir);
  free(s);
}

const cdx_index *srv_snapshot_index(const srv_snapshot *snap) { return snap->ix; }
uint64_t srv_snapshot_serial(const srv_snapshot *snap) { return snap->serial; }

bool srv_store_stale(srv_store *s, cdx_error *err) {
  pthread_mutex_lock(&s->mu);
  bool stale = s->cur && s->failed_at > 0;
  if (stale && err) *err = s->failed_err;
  pthread_mutex_unlock(&s->mu);
  return stale;
}

/* Takes a reference on the current snapshot (mu held). */
static srv_snapshot *ref_current(srv_store *s) {
  atomic_fetch_add(&s->cur->refs, 1);
  return s->cur;
}

int srv_store_acquire(srv_store *s, srv_snapshot **out, cdx_error *err) {
  *out = NULL;
  commit_id id = stat_commit(s->manifest);
  pthread_mutex_lock(&s->mu);
  bool current = s->cur && same_commit(&s->cur->id, &id);
  bool retry_later = s->failed_at > 0 && same_commit(&s->failed_id, &id) &&
                     now_seconds() - s->failed_at < RETRY_SECONDS;
  if (current || (s->cur && (s->reopening || retry_later))) {
    *out = ref_current(s);
    pthread_mutex_unlock(&s->mu);
    return CDX_OK;
  }
  if (s->reopening || retry_later) {
    /* nothing to serve yet, and the open is already in progress or failed
     * a moment ago: the error of the last attempt */
    cdx_error e = s->failed_err;
    bool never_failed = s->failed_at == 0;
    pthread_mutex_unlock(&s->mu);
    if (never_failed)
      cdx_err_set(&e, CDX_BUSY, CDX_NO_OFFSET, "the index at %s is being opened", s->dir);
    if (err) *err = e;
    return e.code;
  }
  s->reopening = true;
  pthread_mutex_unlock(&s->mu);

  cdx_index *ix = NULL;
  cdx_error e;
  int rc = cdx_index_open(s->dir, &ix, &e);
  /* before the snapshot is shared: each commit has its own blocks */
  if (rc == CDX_OK && s->block_cache && (rc = cdx_index_set_store_cache(ix, s->block_cache, &e)))
    cdx_index_close(ix);
  srv_snapshot *snap = NULL;
  if (rc == CDX_OK && !(snap = calloc(1, sizeof *snap))) {
    cdx_index_close(ix);
    rc = cdx_err_set(&e, CDX_NOMEM, CDX_NO_OFFSET, "out of memory");
  }
  pthread_mutex_lock(&s->mu);
  s->reopening = false;
  if (rc != CDX_OK) {
    s->failed_id = id;
    s->failed_at = now_seconds();
    s->failed_err = e;
    if (s->cur) *out = ref_current(s);
    pthread_mutex_unlock(&s->mu);
    if (*out) return CDX_OK;
    if (err) *err = e;
    return rc;
  }
  /* The id is the one stat saw before the open: should a commit land in
   * between, the next request sees a difference and opens again. */
  snap->ix = ix;
  snap->id = id;
  snap->serial = ++s->serial;
  atomic_init(&snap->refs, 1);
  srv_snapshot *old = s->cur;
  s->cur = snap;
  s->failed_at = 0;
  *out = ref_current(s);
  pthread_mutex_unlock(&s->mu);
  srv_snapshot_release(old);
  return CDX_OK;
}
