/* store_deflate.h - the STORE region's blocks deflated against the
 * segment's preset dictionary (docs/FORMAT.md, STORE), on the builder's
 * thread or on a thread of their own.
 *
 * Deflate is the largest single cost of the segment builder, and the
 * builder is the one thread of `index --threads N` that every document
 * passes through in order. Where the blocks are cut is decided by the
 * builder (a deterministic function of the records), so their compression
 * can run on another thread as long as the results are placed in STORE in
 * block order: the bytes are those of the serial path. Placing (appending to
 * store and storeidx) is done only on the caller's thread, so those buffers
 * grow through the same sequence of reserves either way, and the memory
 * they account for (cdx_segb_memory) is the same once every block is placed.
 */
#ifndef CDX_INDEXER_STORE_DEFLATE_H
#define CDX_INDEXER_STORE_DEFLATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "common/common.h"

typedef struct cdx_sdef cdx_sdef;

/* A deflater placing blocks into *store and *storeidx (borrowed; the
 * caller's thread alone touches them). threaded: blocks are compressed on a
 * thread started with the first one. NULL when out of memory. */
cdx_sdef *cdx_sdef_new(cdx_buf *store, cdx_buf *storeidx, bool threaded);
/* Waits for the thread (blocks not placed are dropped) and frees. NULL is
 * fine. */
void cdx_sdef_free(cdx_sdef *sd);

/* The preset dictionary for every block (borrowed until cdx_sdef_free;
 * neither changed nor freed before then); set before the first block. */
void cdx_sdef_set_dict(cdx_sdef *sd, const char *dict, size_t len);

/* Records [data, data + len) holding units first_unit.. as one block: with
 * a thread, copied and queued (waiting for a slot when the queue is full),
 * else compressed and placed now. Errors: CDX_NOMEM, a compression error
 * of an earlier block. */
int cdx_sdef_block(cdx_sdef *sd, const char *data, size_t len, uint32_t first_unit, cdx_error *err);

/* Places the blocks whose compression has finished; with wait, every block
 * queued (waiting for them). */
int cdx_sdef_place(cdx_sdef *sd, bool wait, cdx_error *err);

/* Whether blocks are queued and not placed, and an upper bound on the
 * capacity store and storeidx will have once they are (their capacity now
 * is the lower bound: it only grows). */
bool cdx_sdef_pending(const cdx_sdef *sd);
size_t cdx_sdef_cap_bound(const cdx_sdef *sd);

#endif
