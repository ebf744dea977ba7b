/* cache.c - answers already given, per snapshot: a repeated request (the
 * same target on the same snapshot) is answered with the bytes computed the
 * first time. The key holds the snapshot's serial, so a commit makes every
 * older answer unreachable at once; they are overwritten as new answers
 * come.
 *
 * Direct-mapped (one entry per slot, a new answer replaces the slot's old
 * one): no lists to keep in order, one lock held for a hash probe and a
 * copy. The bytes held are bounded by the cache's budget; an answer over a
 * sixteenth of it is not kept. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include "serve/serve.h"

#define SLOTS 4096 /* a power of two; a page's worth of distinct requests */

typedef struct entry {
  uint64_t serial, hash;
  char *key; /* key bytes, then body bytes, one allocation */
  size_t key_len, body_len;
} entry;

struct srv_cache {
  pthread_mutex_t mu;
  size_t budget, held;
  entry slots[SLOTS];
};

srv_cache *srv_cache_new(size_t budget) {
  srv_cache *c = calloc(1, sizeof *c);
  if (!c) return NULL;
  pthread_mutex_init(&c->mu, NULL);
  c->budget = budget;
  return c;
}

void srv_cache_free(srv_cache *c) {
  if (!c) return;
  for (size_t i = 0; i < SLOTS; i++) free(c->slots[i].key);
  pthread_mutex_destroy(&c->mu);
  free(c);
}

bool srv_cache_get(srv_cache *c, uint64_t serial, const char *key, size_t key_len, char **body,
                   size_t *len) {
  if (!c || !c->budget) return false;
  uint64_t h = cdx_hash64(key, key_len, serial);
  bool hit = false;
  pthread_mutex_lock(&c->mu);
  entry *e = &c->slots[h & (SLOTS - 1)];
  if (e->key && e->serial == serial && e->hash == h && e->key_len == key_len &&
      !memcmp(e->key, key, key_len)) {
    *body = malloc(e->body_len + 1);
    if (*body) {
      memcpy(*body, e->key + key_len, e->body_len);
      (*body)[e->body_len] = '\0';
      *len = e->body_len;
      hit = true;
    }
  }
  pthread_mutex_unlock(&c->mu);
  return hit;
}

void srv_cache_put(srv_cache *c, uint64_t serial, const char *key, size_t key_len, const char *body,
                   size_t len) {
  if (!c || !c->budget || key_len + len > c->budget / 16) return;
  char *copy = malloc(key_len + len);
  if (!copy) return; /* a cache that cannot keep an answer just does not */
  memcpy(copy, key, key_len);
  memcpy(copy + key_len, body, len);
  uint64_t h = cdx_hash64(key, key_len, serial);
  pthread_mutex_lock(&c->mu);
  entry *e = &c->slots[h & (SLOTS - 1)];
  char *old = e->key;
  if (old) c->held -= e->key_len + e->body_len;
  if (c->held + key_len + len > c->budget) {
    memset(e, 0, sizeof *e); /* over budget: the slot is emptied, not refilled */
    pthread_mutex_unlock(&c->mu);
    free(old);
    free(copy);
    return;
  }
  e->serial = serial;
  e->hash = h;
  e->key = copy;
  e->key_len = key_len;
  e->body_len = len;
  c->held += key_len + len;
  pthread_mutex_unlock(&c->mu);
  free(old);
}
