/* store_deflate.c - see store_deflate.h. One compressing thread at most:
 * blocks are compressed in order, so each starts from the same primed
 * state as on the serial path and nothing about a block depends on timing.
 * The queue is short (QUEUE blocks of ~12 KiB): enough to even out the
 * builder's pace, small against the memory budget. */
#include "indexer/store_deflate.h"
#include <assert.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>
#include "indexer/ix_internal.h"

enum { QUEUE = 8 };

typedef struct zjob {
  cdx_buf in, out; /* the block's records; its deflated bytes (both reused) */
  uint32_t first_unit;
  uLong bound; /* what the serial path reserves in store for it */
  uint32_t clen;
  int rc;
  cdx_error err;
} zjob;

struct cdx_sdef {
  cdx_buf *store, *storeidx;
  const char *dict;
  size_t dict_len;
  z_stream primed; /* deflate state that has seen the dictionary */
  z_stream zs;     /* a copy of it per block */
  bool primed_ready, zs_ready;
  /* A copied state is ~300 KB in a few large allocations; malloc would map
   * and unmap them for every block, so freed ones are kept by size. */
  struct zcache {
    void *p;
    size_t size;
    bool used;
  } zc[16];
  /* the thread's queue: jobs [placed, done) are compressed, [done, queued)
   * wait for the thread; job i is q[i % QUEUE] */
  bool threaded, started, quit;
  zjob q[QUEUE];
  uint64_t queued, done, placed;
  pthread_t tid;
  pthread_mutex_t mu;
  pthread_cond_t work; /* a job was queued, or quit */
  pthread_cond_t fin;  /* a job was compressed */
};

static voidpf zc_alloc(voidpf opaque, uInt items, uInt size) {
  cdx_sdef *sd = opaque;
  size_t want = (size_t)items * size;
  for (size_t i = 0; i < sizeof sd->zc / sizeof sd->zc[0]; i++)
    if (sd->zc[i].p && !sd->zc[i].used && sd->zc[i].size == want) {
      sd->zc[i].used = true;
      return sd->zc[i].p;
    }
  void *p = malloc(want);
  if (!p) return Z_NULL;
  for (size_t i = 0; i < sizeof sd->zc / sizeof sd->zc[0]; i++)
    if (!sd->zc[i].p) {
      sd->zc[i] = (struct zcache){p, want, true};
      break;
    }
  return p;
}

static void zc_free(voidpf opaque, voidpf p) {
  cdx_sdef *sd = opaque;
  for (size_t i = 0; i < sizeof sd->zc / sizeof sd->zc[0]; i++)
    if (sd->zc[i].p == p) {
      sd->zc[i].used = false;
      return;
    }
  free(p);
}

/* A fresh copy of the primed state in sd->zs. Setting a 32 KiB dictionary
 * costs as much as compressing 32 KiB, three blocks, so the dictionary is
 * set once on the primed state and each block starts from a copy of it.
 * The level is low because the dictionary, not the effort, is what buys
 * the ratio (docs/FORMAT.md, STORE, has the figures). */
static int start_block(cdx_sdef *sd, cdx_error *err) {
  if (!sd->primed_ready) {
    sd->primed.zalloc = zc_alloc; /* copies inherit the allocator */
    sd->primed.zfree = zc_free;
    sd->primed.opaque = sd;
    /* raw deflate: see store_stream.c for why a block has no zlib wrapper */
    if (deflateInit2(&sd->primed, CDX_STORE_ZLIB_LEVEL, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY) !=
        Z_OK)
      return cdx_err_set(err, CDX_NOMEM, CDX_NO_OFFSET, "out of memory (zlib)");
    sd->primed_ready = true;
    if (sd->dict_len &&
        deflateSetDictionary(&sd->primed, (const Bytef *)sd->dict, (uInt)sd->dict_len) != Z_OK)
      return cdx_err_set(err, CDX_NOMEM, CDX_NO_OFFSET, "zlib deflateSetDictionary failed");
  }
  if (sd->zs_ready) deflateEnd(&sd->zs);
  sd->zs_ready = false;
  if (deflateCopy(&sd->zs, &sd->primed) != Z_OK)
    return cdx_err_set(err, CDX_NOMEM, CDX_NO_OFFSET, "out of memory (zlib)");
  sd->zs_ready = true;
  return CDX_OK;
}

/* Deflates [data, data + len) into out, which has room for bound bytes
 * (deflateBound of the started block); *clen its length. */
static int deflate_into(cdx_sdef *sd, const char *data, size_t len, char *out, uLong bound,
                        uint32_t *clen, cdx_error *err) {
  sd->zs.next_in = (Bytef *)data; /* zlib does not write it */
  sd->zs.avail_in = (uInt)len;
  sd->zs.next_out = (Bytef *)out;
  sd->zs.avail_out = (uInt)bound;
  if (deflate(&sd->zs, Z_FINISH) != Z_STREAM_END)
    return cdx_err_set(err, CDX_NOMEM, CDX_NO_OFFSET, "zlib deflate failed");
  *clen = (uint32_t)(bound - sd->zs.avail_out);
  return CDX_OK;
}

static int put_index(cdx_sdef *sd, uint32_t first_unit, uint64_t off, uint32_t clen, size_t len,
                     cdx_error *err) {
  int rc = CDX_OK;
  cdx_buf_put_u32le(&rc, sd->storeidx, first_unit);
  cdx_buf_put_u64le(&rc, sd->storeidx, off);
  cdx_buf_put_u32le(&rc, sd->storeidx, clen);
  cdx_buf_put_u32le(&rc, sd->storeidx, (uint32_t)len);
  if (rc != CDX_OK) return cdx_err_set(err, rc, CDX_NO_OFFSET, "out of memory");
  return CDX_OK;
}

/* The serial path: straight into store, no copy. */
static int block_now(cdx_sdef *sd, const char *data, size_t len, uint32_t first_unit,
                     cdx_error *err) {
  int rc = start_block(sd, err);
  if (rc != CDX_OK) return rc;
  uLong bound = deflateBound(&sd->zs, (uLong)len);
  if (cdx_buf_reserve(sd->store, bound) != CDX_OK)
    return cdx_err_set(err, CDX_NOMEM, CDX_NO_OFFSET, "out of memory");
  uint64_t off = sd->store->len;
  uint32_t clen = 0;
  rc = deflate_into(sd, data, len, sd->store->data + off, bound, &clen, err);
  if (rc != CDX_OK) return rc;
  sd->store->len += clen;
  return put_index(sd, first_unit, off, clen, len, err);
}

/* The thread: each queued job in turn, outside the lock. */
static void *compressor(void *arg) {
  cdx_sdef *sd = arg;
  pthread_mutex_lock(&sd->mu);
  for (;;) {
    while (!sd->quit && sd->done == sd->queued) pthread_cond_wait(&sd->work, &sd->mu);
    if (sd->quit) break;
    zjob *j = &sd->q[sd->done % QUEUE];
    pthread_mutex_unlock(&sd->mu);
    j->rc = start_block(sd, &j->err);
    if (j->rc == CDX_OK) {
      j->bound = deflateBound(&sd->zs, (uLong)j->in.len);
      cdx_buf_reset(&j->out);
      if (cdx_buf_reserve(&j->out, j->bound) != CDX_OK)
        j->rc = cdx_err_set(&j->err, CDX_NOMEM, CDX_NO_OFFSET, "out of memory");
    }
    if (j->rc == CDX_OK)
      j->rc = deflate_into(sd, j->in.data, j->in.len, j->out.data, j->bound, &j->clen, &j->err);
    pthread_mutex_lock(&sd->mu);
    sd->done++;
    pthread_cond_signal(&sd->fin);
  }
  pthread_mutex_unlock(&sd->mu);
  return NULL;
}

cdx_sdef *cdx_sdef_new(cdx_buf *store, cdx_buf *storeidx, bool threaded) {
  cdx_sdef *sd = calloc(1, sizeof *sd);
  if (!sd) return NULL;
  sd->store = store;
  sd->storeidx = storeidx;
  sd->threaded = threaded;
  for (size_t i = 0; i < QUEUE; i++) {
    cdx_buf_init(&sd->q[i].in);
    cdx_buf_init(&sd->q[i].out);
  }
  return sd;
}

void cdx_sdef_free(cdx_sdef *sd) {
  if (!sd) return;
  if (sd->started) {
    pthread_mutex_lock(&sd->mu);
    sd->quit = true;
    pthread_cond_signal(&sd->work);
    pthread_mutex_unlock(&sd->mu);
    pthread_join(sd->tid, NULL);
    pthread_cond_destroy(&sd->fin);
    pthread_cond_destroy(&sd->work);
    pthread_mutex_destroy(&sd->mu);
  }
  for (size_t i = 0; i < QUEUE; i++) {
    cdx_buf_free(&sd->q[i].in);
    cdx_buf_free(&sd->q[i].out);
  }
  if (sd->zs_ready) deflateEnd(&sd->zs);
  if (sd->primed_ready) deflateEnd(&sd->primed);
  for (size_t i = 0; i < sizeof sd->zc / sizeof sd->zc[0]; i++) free(sd->zc[i].p);
  free(sd);
}

void cdx_sdef_set_dict(cdx_sdef *sd, const char *dict, size_t len) {
  assert(!sd->primed_ready && sd->queued == 0);
  sd->dict = dict;
  sd->dict_len = len;
}

/* Places job `placed` (compressed) as block_now would have: the same
 * reserve, then its bytes. On the caller's thread. */
static int place_one(cdx_sdef *sd, cdx_error *err) {
  zjob *j = &sd->q[sd->placed % QUEUE];
  int rc = j->rc;
  if (rc != CDX_OK) {
    if (err) *err = j->err;
  } else if (cdx_buf_reserve(sd->store, j->bound) != CDX_OK) {
    rc = cdx_err_set(err, CDX_NOMEM, CDX_NO_OFFSET, "out of memory");
  } else {
    uint64_t off = sd->store->len;
    memcpy(sd->store->data + off, j->out.data, j->clen);
    sd->store->len += j->clen;
    rc = put_index(sd, j->first_unit, off, j->clen, j->in.len, err);
  }
  sd->placed++;
  return rc;
}

int cdx_sdef_place(cdx_sdef *sd, bool wait, cdx_error *err) {
  if (!sd->started) return CDX_OK;
  int rc = CDX_OK;
  pthread_mutex_lock(&sd->mu);
  for (;;) {
    if (wait)
      while (sd->done < sd->queued) pthread_cond_wait(&sd->fin, &sd->mu);
    if (sd->placed == sd->done) break;
    /* jobs up to done are the thread's no more: placed without the lock */
    uint64_t upto = sd->done;
    pthread_mutex_unlock(&sd->mu);
    while (sd->placed < upto && rc == CDX_OK) rc = place_one(sd, err);
    pthread_mutex_lock(&sd->mu);
    if (rc != CDX_OK) break;
  }
  pthread_mutex_unlock(&sd->mu);
  return rc;
}

int cdx_sdef_block(cdx_sdef *sd, const char *data, size_t len, uint32_t first_unit,
                   cdx_error *err) {
  if (!sd->threaded) return block_now(sd, data, len, first_unit, err);
  if (!sd->started) {
    pthread_mutex_init(&sd->mu, NULL);
    pthread_cond_init(&sd->work, NULL);
    pthread_cond_init(&sd->fin, NULL);
    if (pthread_create(&sd->tid, NULL, compressor, sd) != 0) {
      pthread_cond_destroy(&sd->fin);
      pthread_cond_destroy(&sd->work);
      pthread_mutex_destroy(&sd->mu);
      sd->threaded = false; /* no thread to be had: the serial path, same bytes */
      return block_now(sd, data, len, first_unit, err);
    }
    sd->started = true;
  }
  int rc = CDX_OK;
  if (sd->queued - sd->placed == QUEUE) {
    /* the queue is full: wait for its oldest block and place what is done */
    pthread_mutex_lock(&sd->mu);
    while (sd->done == sd->placed) pthread_cond_wait(&sd->fin, &sd->mu);
    pthread_mutex_unlock(&sd->mu);
    rc = cdx_sdef_place(sd, false, err);
    if (rc != CDX_OK) return rc;
  }
  /* the slot at queued is neither the thread's nor waiting to be placed */
  zjob *j = &sd->q[sd->queued % QUEUE];
  cdx_buf_reset(&j->in);
  cdx_buf_append(&rc, &j->in, data, len);
  if (rc != CDX_OK) return cdx_err_set(err, rc, CDX_NO_OFFSET, "out of memory");
  j->first_unit = first_unit;
  j->rc = CDX_OK;
  pthread_mutex_lock(&sd->mu);
  sd->queued++;
  pthread_cond_signal(&sd->work);
  pthread_mutex_unlock(&sd->mu);
  return CDX_OK;
}

bool cdx_sdef_pending(const cdx_sdef *sd) { return sd->queued != sd->placed; }

/* cdx_buf_reserve's growth (common/buf.c): from 64, doubled until the need
 * fits. */
static size_t cap_after(size_t cap, size_t need) {
  if (need <= cap) return cap;
  size_t c = cap ? cap : 64;
  while (c < need) c *= 2;
  return c;
}

size_t cdx_sdef_cap_bound(const cdx_sdef *sd) {
  size_t len = sd->store->len, cap = sd->store->cap;
  size_t ilen = sd->storeidx->len, icap = sd->storeidx->cap;
  for (uint64_t i = sd->placed; i < sd->queued; i++) {
    size_t n = sd->q[i % QUEUE].in.len;
    /* above deflateBound for any stream parameters (zlib's own worst case
     * is ~0.03% plus a few bytes) */
    size_t bound = n + n / 8 + 1024;
    cap = cap_after(cap, len + bound + 1);
    len += bound;
    icap = cap_after(icap, ilen + CDX_STORE_IDX_BYTES + 1);
    ilen += CDX_STORE_IDX_BYTES;
  }
  return cap + icap;
}
