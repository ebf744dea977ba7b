/*
 * serve/: the HTTP server of `clausedex serve` (include/clausedex/serve.h,
 * docs/HTTP.md). Layers, each in its own file:
 *
 *   request.c    raw request URI -> path and decoded, validated parameters
 *   params.c     an endpoint's parameter table -> its options struct
 *   routes.c     the endpoint table; a request -> a response (no sockets)
 *   api_*.c      the endpoint handlers, over the public API only
 *   respond.c    JSON error bodies and the status of each library error
 *   snapshot.c   the open index, reopened when another process commits
 *   cache.c      answers already given, per snapshot
 *   http.c       libmicrohttpd: threads, limits, the bearer token
 *   assets (generated from serve/page/ at build time)  the page
 *
 * Nothing here prints; the command reports what cdx_server_start returns.
 */
#ifndef CDX_SERVE_INTERNAL_H
#define CDX_SERVE_INTERNAL_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "clausedex.h"
#include "common/common.h"

/* ---- Limits (why these values: docs/HTTP.md, "Limits") ---- */

/* A request line longer than this is 414: the longest useful request is a
 * query of a few hundred characters, percent-encoded at 9 bytes each. */
#define SRV_MAX_URI 8192
/* Distinct parameters of one request; no endpoint takes more than 12. */
#define SRV_MAX_PARAMS 24
/* Bytes of one decoded parameter value (a query, a citation). */
#define SRV_MAX_VALUE 2048

/* ---- A failed request: its HTTP status and the library-style error ---- */
typedef struct srv_fail {
  int http;       /* 400, 401, 404, 405, 413, 414, 500, 503 */
  cdx_error err;  /* code, offset (in the parameter's value), message */
  char param[32]; /* the parameter the error is about, or "" */
} srv_fail;

/* Fills f and returns CDX_INVALID-like failure code err_code. */
int srv_failf(srv_fail *f, int http, int err_code, const char *param, size_t offset,
              const char *fmt, ...) __attribute__((format(printf, 6, 7)));
/* Fills f from a library error: the status is that of err->code (respond.c's
 * table), the parameter is param (may be NULL). */
int srv_fail_from(srv_fail *f, const cdx_error *err, const char *param);
/* 503 "out of memory" (try again later); returns CDX_NOMEM. */
int srv_fail_nomem(srv_fail *f);
/* The error as the JSON body {"error":{...}} (docs/HTTP.md). *out owned by
 * the caller (free). CDX_NOMEM. */
int srv_fail_json(const srv_fail *f, char **out, size_t *len);

/* ---- Interface to serve/request.c ---- */
typedef struct srv_param {
  const char *name;  /* NUL-terminated, into srv_request.buf */
  const char *value; /* decoded, NUL-terminated, valid UTF-8, no NUL inside */
  size_t value_len;
} srv_param;

typedef struct srv_request {
  char *buf;        /* owned: the decoded path, names and values */
  const char *path; /* decoded path ("/search") */
  size_t n_params;
  srv_param params[SRV_MAX_PARAMS];
} srv_request;

/* Splits the request target uri[0..len) ("/search?q=%E4%BA%BA&n=5") into
 * its path and parameters, percent- and '+'-decoded. Refused with f filled:
 * longer than SRV_MAX_URI (414), a malformed %-escape, a decoded NUL,
 * invalid UTF-8 (offset = byte in the decoded value), a parameter given
 * twice, more than SRV_MAX_PARAMS, a value over SRV_MAX_VALUE (400). On
 * failure req holds nothing to free. */
int srv_request_parse(const char *uri, size_t len, srv_request *req, srv_fail *f);
void srv_request_free(srv_request *req);
/* The value of parameter name, or NULL. */
const srv_param *srv_request_get(const srv_request *req, const char *name);

/* ---- Interface to serve/params.c ---- */

/* One parameter an endpoint accepts, and where its value goes in the
 * endpoint's argument struct (at `offset`). */
typedef enum srv_param_kind {
  SRV_TEXT,  /* const char *: the value (borrowed from the request) */
  SRV_SIZE,  /* size_t: a decimal number in [min, max] */
  SRV_FLAG,  /* int: 1 for "1", "true", "" ; 0 for "0", "false" */
  SRV_FILTER /* appended to the query as FIELD:VALUE (search only) */
} srv_param_kind;

typedef struct srv_param_spec {
  const char *name;
  srv_param_kind kind;
  size_t offset; /* of the field in the argument struct */
  bool required;
  size_t min, max;   /* SRV_SIZE bounds */
  const char *field; /* SRV_FILTER: the query-language field */
} srv_param_spec;

/* Checks every parameter of req against specs[0..n) and stores the values
 * into args: an unknown parameter, a missing required one or a bad value is
 * 400 naming it. SRV_FILTER parameters are left to srv_params_query. */
int srv_params_apply(const srv_param_spec *specs, size_t n, const srv_request *req, void *args,
                     srv_fail *f);

/* The query of /search: "(Q) FIELD:VALUE ..." from the text parameter q and
 * the SRV_FILTER parameters present (a filter value holding white space,
 * parentheses or quotes is 400). *out owned by the caller (free); NULL
 * (and CDX_OK) when neither q nor a filter is given. The offsets of the
 * pieces are recorded so srv_params_query_error can name the parameter. */
typedef struct srv_query_piece {
  const char *param;
  size_t start, end; /* byte range in the composed query */
  size_t skip;       /* bytes of the piece before the parameter's value */
} srv_query_piece;
typedef struct srv_query {
  char *text;
  size_t n_pieces;
  srv_query_piece pieces[SRV_MAX_PARAMS];
} srv_query;
int srv_params_query(const srv_param_spec *specs, size_t n, const srv_request *req, const char *q,
                     srv_query *out, srv_fail *f);
/* A query error of the composed query, told against the parameter it
 * falls in (offset into that parameter's value). */
int srv_params_query_error(const srv_query *q, const cdx_error *err, srv_fail *f);

/* ---- Interface to serve/snapshot.c ---- */
typedef struct srv_snapshot srv_snapshot;
typedef struct srv_store srv_store;

/* block_cache: bytes of inflated stored blocks each snapshot keeps
 * (cdx_index_set_store_cache), 0 for none. */
int srv_store_new(const char *dir, size_t block_cache, srv_store **out, cdx_error *err);
void srv_store_free(srv_store *s);
/* The current snapshot, reopening the index when its MANIFEST changed since
 * it was opened. While no commit can be opened: CDX_* of cdx_index_open with
 * its message (503). Release with srv_snapshot_release. */
int srv_store_acquire(srv_store *s, srv_snapshot **out, cdx_error *err);
const cdx_index *srv_snapshot_index(const srv_snapshot *snap);
/* The generation counter of the snapshot: 1 for the first opened, +1 on
 * each reopen (for /health and the tests). */
uint64_t srv_snapshot_serial(const srv_snapshot *snap);
void srv_snapshot_release(srv_snapshot *snap);
/* The error of the last failed reopen while an older snapshot is served
 * (false when the snapshot is current). */
bool srv_store_stale(srv_store *s, cdx_error *err);

/* ---- Interface to serve/cache.c ---- */
typedef struct srv_cache srv_cache;
/* A cache holding at most budget bytes (0: a cache that keeps nothing);
 * NULL when out of memory. */
srv_cache *srv_cache_new(size_t budget);
void srv_cache_free(srv_cache *c); /* accepts NULL */
/* The answer kept for key on snapshot serial: a copy in *body (free),
 * true; false when none is kept. */
bool srv_cache_get(srv_cache *c, uint64_t serial, const char *key, size_t key_len, char **body,
                   size_t *len);
/* Keeps a copy of body as the answer for key on snapshot serial. */
void srv_cache_put(srv_cache *c, uint64_t serial, const char *key, size_t key_len, const char *body,
                   size_t len);

/* ---- Interface to serve/routes.c ---- */

/* A response body: owned (free) unless is_static. */
typedef struct srv_response {
  int http;
  const char *content_type;
  char *body;
  size_t len;
  bool is_static; /* body points to embedded bytes, not to free */
  bool is_api;    /* a JSON endpoint (no-store, token checked) */
  bool cached;    /* answered from the cache */
} srv_response;

/* What one call of an endpoint gets. */
typedef struct srv_call {
  const srv_request *req;
  const cdx_index *ix; /* NULL for endpoints without the index */
  srv_store *store;
  const srv_snapshot *snap;
  cdx_buf *out; /* the JSON body, appended to */
  srv_fail *fail;
} srv_call;

/* One endpoint: its path, the parameters it takes (stored into a zeroed
 * argument struct of args_size bytes before run is called: a bad request is
 * 400 whether or not the index is open) and its handler. */
typedef struct srv_endpoint {
  const char *path;
  int (*run)(srv_call *c, const void *args);
  const srv_param_spec *params;
  size_t n_params;
  size_t args_size; /* at most SRV_MAX_ARGS */
  bool needs_index;
  bool cacheable;      /* the answer depends on the snapshot and
                                   the request target only */
  const char *summary; /* one line (docs/HTTP.md has the rest) */
} srv_endpoint;
#define SRV_MAX_ARGS 256

/* A parameter table's length. */
#define SRV_N(specs) (sizeof(specs) / sizeof(specs)[0])
/* The endpoint of a query on the open snapshot (all but /health): it needs
 * the index and its answer depends on the snapshot and the target only.
 * n_params and args_size are derived from the table and the argument type,
 * so they cannot drift from them. */
#define SRV_QUERY_ENDPOINT(path_, run_, specs, args_type, summary_)                               \
  {                                                                                               \
    .path = (path_), .run = (run_), .params = (specs), .n_params = SRV_N(specs),                  \
    .args_size = sizeof(args_type), .needs_index = true, .cacheable = true, .summary = (summary_) \
  }

/* Is path an API endpoint (token required) rather than a page asset? */
bool srv_route_is_api(const char *path);
/* Handles one request: method "GET"/"HEAD" (others 405), the raw request
 * target. cache may be NULL. Never fails: errors become JSON error
 * responses. */
void srv_route(srv_store *store, srv_cache *cache, const char *method, const char *uri, size_t len,
               srv_response *resp);
void srv_response_free(srv_response *resp);

/* The endpoints (api_*.c), listed in routes.c's table. */
extern const srv_endpoint srv_ep_search, srv_ep_show, srv_ep_diff, srv_ep_similar, srv_ep_coverage,
    srv_ep_docs, srv_ep_stats, srv_ep_health, srv_ep_families;

/* Appends the JSON object js (of a *_to_json writer) to out, taking it;
 * extra (may be NULL) is written inside the object after its opening brace
 * (e.g. "\"similarity\":0.9,"). Frees js. */
void srv_json_take(int *rc, cdx_buf *out, char *js, size_t len, const char *extra);
/* Appends element i of a JSON array: a comma before all but the first, then
 * js as srv_json_take does when jrc, the code of the *_to_json writer that
 * made it, is CDX_OK; else *rc becomes CDX_NOMEM (how those writers fail). */
void srv_json_item(int *rc, cdx_buf *out, size_t i, int jrc, char *js, size_t len,
                   const char *extra);
/* A handler's last step: CDX_OK when rc (of the cdx_buf calls that wrote
 * the answer) is, else the 500 of srv_fail_nomem. */
int srv_done(srv_call *c, int rc);
/* Appends the hits of res as a JSON array of cdx_hit_to_json objects. */
void srv_json_hits(int *rc, cdx_buf *out, const cdx_results *res);

/* ---- The page (generated: serve/page/ -> serve_assets.c) ---- */
typedef struct srv_asset {
  const char *path; /* "/", "/app.js" */
  const char *content_type;
  const unsigned char *data;
  size_t len;
} srv_asset;
extern const srv_asset srv_assets[];
extern const size_t srv_n_assets;

#endif
