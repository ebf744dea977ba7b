/*
 * store_cache.c - inflated STORE blocks shared by the searches of one open
 * index (cdx_index_set_store_cache).
 *
 * An uncached rare-word search spent 45% of the server's CPU inflating the
 * 12 KiB block of each of its ten hits (bench/README.md, "HTTP server
 * load"), and the server answers the same few thousand blocks again and
 * again. A block inflated once is kept here, whole and checked, with the
 * start of every record, so a later search parses its unit straight from
 * memory.
 *
 * Sixteen shards, each a mutex over a linear-probing table of (segment,
 * block) keys with a second-chance clock for eviction: a lookup holds its
 * shard's lock for a probe and a reference count increment, so the
 * server's threads rarely wait on each other. Blocks are reference-counted:
 * an evicted block stays valid for the readers that hold it and is freed by
 * the last one. Memory: each shard keeps its blocks under a sixteenth of the
 * budget (bytes of text, record starts and the block header).
 */
#include <stdlib.h>
#include <string.h>
#include "indexer/ix_internal.h"

#define SHARDS 16
#define EMPTY UINT64_MAX
/* The smallest block the slot count plans for: a table sized for blocks of
 * this size or larger never fills before the byte budget does. */
#define SMALL_BLOCK 2048

typedef struct shard {
  pthread_mutex_t mu;
  uint64_t *keys; /* (seg << 32 | blk), EMPTY when free */
  cdx_store_block **blk;
  uint8_t *used; /* the clock's second-chance bits */
  size_t mask;   /* capacity - 1 (a power of two) */
  size_t n, max_n;
  size_t bytes, budget;
  size_t hand;
} shard;

struct cdx_store_cache {
  shard s[SHARDS];
};

static uint64_t mix(uint64_t x) { /* splitmix64's finaliser */
  x ^= x >> 30;
  x *= 0xbf58476d1ce4e5b9u;
  x ^= x >> 27;
  x *= 0x94d049bb133111ebu;
  return x ^ (x >> 31);
}

void cdx_store_block_release(cdx_store_block *b) {
  if (!b) return;
  uint32_t before = atomic_fetch_sub_explicit(&b->refs, 1, memory_order_acq_rel);
  assert(before > 0);
  if (before == 1) {
    free(b->raw);
    free(b->starts);
    free(b);
  }
}

void cdx_store_cache_free(cdx_store_cache *c) {
  if (!c) return;
  for (size_t i = 0; i < SHARDS; i++) {
    shard *s = &c->s[i];
    for (size_t j = 0; s->keys && j <= s->mask; j++)
      if (s->keys[j] != EMPTY) cdx_store_block_release(s->blk[j]);
    free(s->keys);
    free(s->blk);
    free(s->used);
    pthread_mutex_destroy(&s->mu);
  }
  free(c);
}

int cdx_store_cache_new(size_t bytes, cdx_store_cache **out, cdx_error *err) {
  *out = NULL;
  cdx_store_cache *c = calloc(1, sizeof *c);
  if (!c) return cdx_err_set(err, CDX_NOMEM, CDX_NO_OFFSET, "out of memory");
  size_t budget = bytes / SHARDS;
  size_t want = budget / SMALL_BLOCK + 1;
  if (want > (1u << 20)) want = 1u << 20; /* a sane table for any budget */
  size_t cap = 16;
  while (cap < want * 2) cap *= 2;
  bool ok = true;
  for (size_t i = 0; i < SHARDS; i++) {
    shard *s = &c->s[i];
    pthread_mutex_init(&s->mu, NULL);
    s->keys = malloc(cap * sizeof *s->keys);
    s->blk = calloc(cap, sizeof *s->blk);
    s->used = calloc(cap, 1);
    s->mask = cap - 1;
    s->max_n = cap / 2; /* linear probing stays short at half full */
    s->budget = budget;
    if (!s->keys || !s->blk || !s->used) ok = false;
    else
      for (size_t j = 0; j < cap; j++) s->keys[j] = EMPTY;
  }
  if (!ok) {
    cdx_store_cache_free(c);
    return cdx_err_set(err, CDX_NOMEM, CDX_NO_OFFSET, "out of memory");
  }
  *out = c;
  return CDX_OK;
}

static shard *shard_of(cdx_store_cache *c, uint64_t key, size_t *slot) {
  uint64_t h = mix(key);
  shard *s = &c->s[h >> 60];
  *slot = (size_t)h & s->mask;
  return s;
}

/* The slot holding key, or the free slot where it would go (mu held). */
static size_t probe(const shard *s, size_t j, uint64_t key) {
  while (s->keys[j] != EMPTY && s->keys[j] != key) j = (j + 1) & s->mask;
  return j;
}

/* Empties slot i and moves later entries of its probe run back, so lookups
 * need no tombstones (mu held). The caller releases the block. */
static void remove_slot(shard *s, size_t i) {
  size_t j = i;
  for (;;) {
    j = (j + 1) & s->mask;
    if (s->keys[j] == EMPTY) break;
    size_t home = (size_t)mix(s->keys[j]) & s->mask;
    /* the entry at j may stay if its home lies cyclically in (i, j] */
    bool stays = i <= j ? (i < home && home <= j) : (i < home || home <= j);
    if (stays) continue;
    s->keys[i] = s->keys[j];
    s->blk[i] = s->blk[j];
    s->used[i] = s->used[j];
    i = j;
  }
  s->keys[i] = EMPTY;
  s->blk[i] = NULL;
  s->used[i] = 0;
}

/* Drops one block by the clock: the first one not used since the hand last
 * passed it (mu held, n > 0). */
static void evict_one(shard *s) {
  assert(s->n > 0);
  for (;;) {
    size_t i = s->hand;
    s->hand = (s->hand + 1) & s->mask;
    if (s->keys[i] == EMPTY) continue;
    if (s->used[i]) {
      s->used[i] = 0;
      continue;
    }
    cdx_store_block *b = s->blk[i];
    s->bytes -= b->bytes;
    s->n--;
    remove_slot(s, i);
    cdx_store_block_release(b);
    return;
  }
}

cdx_store_block *cdx_store_cache_get(cdx_store_cache *c, uint32_t seg, uint32_t blk) {
  uint64_t key = (uint64_t)seg << 32 | blk;
  size_t j;
  shard *s = shard_of(c, key, &j);
  pthread_mutex_lock(&s->mu);
  j = probe(s, j, key);
  cdx_store_block *b = NULL;
  if (s->keys[j] == key) {
    b = s->blk[j];
    s->used[j] = 1;
    atomic_fetch_add_explicit(&b->refs, 1, memory_order_relaxed);
  }
  pthread_mutex_unlock(&s->mu);
  return b;
}

cdx_store_block *cdx_store_cache_put(cdx_store_cache *c, cdx_store_block *b) {
  assert(atomic_load(&b->refs) == 1);
  uint64_t key = (uint64_t)b->seg << 32 | b->blk;
  size_t home;
  shard *s = shard_of(c, key, &home);
  if (b->bytes > s->budget) return b; /* larger than the shard: not kept */
  pthread_mutex_lock(&s->mu);
  size_t j = probe(s, home, key);
  if (s->keys[j] == key) { /* another thread inflated it meanwhile */
    cdx_store_block *have = s->blk[j];
    atomic_fetch_add_explicit(&have->refs, 1, memory_order_relaxed);
    pthread_mutex_unlock(&s->mu);
    cdx_store_block_release(b);
    return have;
  }
  while (s->n > 0 && (s->n + 1 > s->max_n || s->bytes + b->bytes > s->budget)) evict_one(s);
  j = probe(s, home, key);                                      /* the evictions moved entries */
  atomic_fetch_add_explicit(&b->refs, 1, memory_order_relaxed); /* the table's */
  s->keys[j] = key;
  s->blk[j] = b;
  s->used[j] = 0; /* a block earns its second chance by a second use */
  s->n++;
  s->bytes += b->bytes;
  pthread_mutex_unlock(&s->mu);
  return b;
}

void cdx_store_cache_usage(cdx_store_cache *c, size_t *blocks, size_t *bytes) {
  *blocks = *bytes = 0;
  for (size_t i = 0; i < SHARDS; i++) {
    shard *s = &c->s[i];
    pthread_mutex_lock(&s->mu);
    *blocks += s->n;
    *bytes += s->bytes;
    pthread_mutex_unlock(&s->mu);
  }
}
