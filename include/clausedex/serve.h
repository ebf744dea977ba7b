#ifndef CLAUSEDEX_SERVE_H
#define CLAUSEDEX_SERVE_H

#include <stddef.h>
#include <stdint.h>
#include "clausedex/errors.h"

#ifdef __cplusplus
extern "C" {
#endif

/*
 * The HTTP server of `clausedex serve` (docs/HTTP.md): JSON endpoints over one
 * index (search, show, diff, similar, coverage, docs, stats, health) and the
 * research page, embedded at build time. Implemented in libclausedex_serve
 * (serve/), which a program links besides libclausedex and libmicrohttpd; it
 * uses only the public API of include/clausedex/.
 *
 * Every request reads one snapshot of the index; a commit made by another
 * process is seen by the requests that start after it (the MANIFEST is
 * compared on each request), without a restart. While the index cannot be
 * opened (missing, corrupt), the endpoints answer 503 with the library's
 * message and the server keeps trying.
 *
 * Usage:
 *
 *   cdx_server_options o = {0};          // zero means defaults
 *   o.index_dir = "clausedex-index";
 *   cdx_server *s;
 *   if (cdx_server_start(&o, &s, &err) != CDX_OK) ... err.message
 *   printf("listening on port %u\n", cdx_server_port(s));
 *   ... wait for a signal ...
 *   cdx_server_stop(s);
 */

typedef struct cdx_server cdx_server;

typedef struct cdx_server_options {
  const char *index_dir;       /* required */
  const char *listen;          /* "HOST:PORT" ("127.0.0.1:8080", "[::1]:8080",
                                  "0.0.0.0:0" for any free port); NULL means
                                  CDX_SERVE_DEFAULT_LISTEN */
  const char *token;           /* when not NULL and not empty: every API
                                  request needs "Authorization: Bearer TOKEN"
                                  (borrowed during cdx_server_start only) */
  unsigned threads;            /* worker threads; 0 means
                                  CDX_SERVE_DEFAULT_THREADS */
  unsigned max_connections;    /* open connections at once; 0 means 512 */
  unsigned per_ip_connections; /* from one address; 0 means 256 */
  unsigned timeout_seconds;    /* an idle or slow connection is closed after
                                  this; 0 means 10 */
  size_t cache_bytes;          /* answers kept for repeated requests on the
                                  same snapshot; 0 means CDX_SERVE_DEFAULT_CACHE */
  int no_cache;                /* non-zero: keep no answers */
  size_t block_cache_bytes;    /* inflated stored blocks kept per snapshot for
                                  the hits' text (cdx_index_set_store_cache);
                                  0 means CDX_SERVE_DEFAULT_BLOCK_CACHE */
  int no_block_cache;          /* non-zero: keep none */
} cdx_server_options;

#define CDX_SERVE_DEFAULT_LISTEN "127.0.0.1:8080"
#define CDX_SERVE_DEFAULT_CACHE ((size_t)64 << 20) /* 64 MiB: thousands of pages of hits */
/* 64 MiB: some 5,000 blocks of ~12 KiB, two thirds of the stored text of
 * the 200k-clause bench corpus (bench/README.md, "HTTP server load") */
#define CDX_SERVE_DEFAULT_BLOCK_CACHE ((size_t)64 << 20)
/* A thread answers its connections one at a time, so a slow search (a long
 * phrase) holds up every connection of its thread: more threads than cores
 * let the scheduler interleave it with the quick ones (bench/README.md). */
#define CDX_SERVE_DEFAULT_THREADS 8u

/* Starts serving in background threads and returns. *out is owned by the
 * caller (cdx_server_stop), NULL on failure. The index need not exist yet.
 * Errors: CDX_INVALID (bad listen address, no index_dir), CDX_IO (the
 * address cannot be bound; message names it), CDX_NOMEM. */
CDX_API int cdx_server_start(const cdx_server_options *opts, cdx_server **out, cdx_error *err);

/* The port bound (useful with port 0). */
CDX_API uint16_t cdx_server_port(const cdx_server *s);

/* Non-zero when the listen address is not a loopback address (127.0.0.0/8,
 * ::1, localhost): the caller should warn when there is no token. */
CDX_API int cdx_server_is_public(const cdx_server *s);

/* Stops accepting, finishes the requests in flight, closes the index.
 * Accepts NULL. */
CDX_API void cdx_server_stop(cdx_server *s);

#ifdef __cplusplus
}
#endif
#endif
