/* ordered_pool.h - items produced in order, worked on by several threads,
 * consumed in the order they were produced (the writer's --threads
 * pipeline: documents are read, parsed and analysed in parallel and handed
 * to the one segment builder in input order, so the index bytes are those
 * of one thread).
 *
 * Memory stays bounded: at most n_slots items are between production and
 * consumption. */
#ifndef CDX_INDEXER_ORDERED_POOL_H
#define CDX_INDEXER_ORDERED_POOL_H

#include <stddef.h>

typedef struct cdx_pool_fns {
  /* Fills slot with the next item; 1 when there is one, 0 at the end.
   * Called by one thread at a time (under the pool's lock), in order. */
  int (*produce)(void *ctx, void *slot);
  /* The parallel work on an item; ws is the calling thread's state. */
  void (*work)(void *ctx, void *ws, void *slot);
  /* The item, in production order, on the thread that called
   * cdx_pool_run; nonzero stops the run (items not yet consumed are given
   * to discard). The slot may be reused after it returns. */
  int (*consume)(void *ctx, void *slot);
  void (*discard)(void *ctx, void *slot);
  /* A worker thread's state and its release; work is given NULL when
   * ws_new returned NULL (out of memory) and must fail its items then. */
  void *(*ws_new)(void *ctx);
  void (*ws_free)(void *ctx, void *ws);
} cdx_pool_fns;

/* Runs items through `threads` worker threads (at least 1) and n_slots
 * slots of slot_size bytes (zeroed before first use). The slots are
 * handed to *keep at the end (the caller frees them and what they hold)
 * when keep is not NULL, else freed. Returns the first
 * nonzero consume result, 0 when every item was consumed, or -1 when no
 * thread or slot memory could be had (nothing was produced then). */
int cdx_pool_run(unsigned threads, size_t n_slots, size_t slot_size, const cdx_pool_fns *fns,
                 void *ctx, void **keep);

#endif
