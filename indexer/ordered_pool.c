/* ordered_pool.c - see ordered_pool.h. One mutex and two condition
 * variables, taken a few times per document and never held for long;
 * production (a file name, or one JSON Lines record parsed) has a lock of
 * its own. */
#include "indexer/ordered_pool.h"
#include <assert.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>

typedef struct pool {
  const cdx_pool_fns *fns;
  void *ctx;
  char *slots;
  size_t n_slots, slot_size;
  bool *done;            /* per slot: its work is finished */
  uint64_t next_seq;     /* next item to produce */
  uint64_t next_consume; /* next item to consume */
  bool end, stop;
  pthread_mutex_t mu;
  /* held while producing (which may parse a JSON Lines record): not mu,
   * so that the consumer is never kept waiting by a production */
  pthread_mutex_t produce_mu;
  pthread_cond_t space; /* a slot was freed, or the run stops */
  pthread_cond_t ready; /* an item's work finished, or production ended */
} pool;

static void *slot_at(pool *p, uint64_t seq) { return p->slots + (seq % p->n_slots) * p->slot_size; }

static void *worker(void *arg) {
  pool *p = arg;
  void *ws = p->fns->ws_new ? p->fns->ws_new(p->ctx) : NULL;
  for (;;) {
    /* only the holder of produce_mu advances next_seq, and the consumer
     * only frees slots: the slot at next_seq stays free while it is filled
     * outside mu */
    pthread_mutex_lock(&p->produce_mu);
    pthread_mutex_lock(&p->mu);
    while (!p->end && !p->stop && p->next_seq - p->next_consume >= p->n_slots)
      pthread_cond_wait(&p->space, &p->mu);
    bool over = p->end || p->stop;
    uint64_t seq = p->next_seq;
    pthread_mutex_unlock(&p->mu);
    if (over) {
      pthread_mutex_unlock(&p->produce_mu);
      break;
    }
    void *slot = slot_at(p, seq);
    int got = p->fns->produce(p->ctx, slot);
    pthread_mutex_lock(&p->mu);
    if (!got) {
      p->end = true;
      pthread_cond_broadcast(&p->ready);
      pthread_cond_broadcast(&p->space);
      pthread_mutex_unlock(&p->mu);
      pthread_mutex_unlock(&p->produce_mu);
      break;
    }
    p->done[seq % p->n_slots] = false;
    p->next_seq++;
    pthread_mutex_unlock(&p->mu);
    pthread_mutex_unlock(&p->produce_mu);
    p->fns->work(p->ctx, ws, slot);
    pthread_mutex_lock(&p->mu);
    p->done[seq % p->n_slots] = true;
    /* the consumer waits for next_consume only; waking it for a later item
     * is a context switch for nothing (with small documents those were a
     * tenth of the consumer thread's time) */
    if (seq == p->next_consume) pthread_cond_signal(&p->ready);
    pthread_mutex_unlock(&p->mu);
  }
  if (ws && p->fns->ws_free) p->fns->ws_free(p->ctx, ws);
  return NULL;
}

int cdx_pool_run(unsigned threads, size_t n_slots, size_t slot_size, const cdx_pool_fns *fns,
                 void *ctx, void **keep) {
  if (keep) *keep = NULL;
  assert(threads >= 1 && n_slots >= 1);
  pool p = {.fns = fns, .ctx = ctx, .n_slots = n_slots, .slot_size = slot_size};
  p.slots = calloc(n_slots, slot_size);
  p.done = calloc(n_slots, sizeof *p.done);
  pthread_t *tid = calloc(threads, sizeof *tid);
  if (!p.slots || !p.done || !tid) {
    free(p.slots);
    free(p.done);
    free(tid);
    return -1;
  }
  pthread_mutex_init(&p.mu, NULL);
  pthread_mutex_init(&p.produce_mu, NULL);
  pthread_cond_init(&p.space, NULL);
  pthread_cond_init(&p.ready, NULL);
  unsigned started = 0;
  for (unsigned i = 0; i < threads; i++)
    if (pthread_create(&tid[started], NULL, worker, &p) == 0) started++;
  int result = started ? 0 : -1;
  pthread_mutex_lock(&p.mu);
  while (started) {
    uint64_t seq = p.next_consume;
    while (!(seq < p.next_seq && p.done[seq % n_slots]) && !(p.end && seq == p.next_seq))
      pthread_cond_wait(&p.ready, &p.mu);
    if (seq == p.next_seq) break; /* production ended and everything is consumed */
    pthread_mutex_unlock(&p.mu);
    int r = fns->consume(ctx, slot_at(&p, seq));
    pthread_mutex_lock(&p.mu);
    p.next_consume++;
    pthread_cond_signal(&p.space); /* one slot freed: one producer */
    if (r) {
      result = r;
      p.stop = true;
      pthread_cond_broadcast(&p.space);
      break;
    }
  }
  pthread_mutex_unlock(&p.mu);
  for (unsigned i = 0; i < started; i++) pthread_join(tid[i], NULL);
  /* after a stop: what was produced and not consumed (its work finished,
   * the workers have been joined) */
  for (uint64_t s = p.next_consume; s < p.next_seq; s++) fns->discard(ctx, slot_at(&p, s));
  pthread_cond_destroy(&p.ready);
  pthread_cond_destroy(&p.space);
  pthread_mutex_destroy(&p.mu);
  pthread_mutex_destroy(&p.produce_mu);
  if (keep) *keep = p.slots;
  else free(p.slots);
  free(p.done);
  free(tid);
  return result;
}
