/* routes.c - the endpoint table and the path from a request to a response.
 * Adding an endpoint is one line in `endpoints` and its handler (api_*.c);
 * docs/HTTP.md documents each. Page files are matched by exact path against
 * the embedded table only, so no request names a file on disk. */
#include <assert.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include "serve/serve.h"

static const srv_endpoint *const endpoints[] = {
    &srv_ep_search, &srv_ep_show,  &srv_ep_diff,   &srv_ep_similar,  &srv_ep_coverage,
    &srv_ep_docs,   &srv_ep_stats, &srv_ep_health, &srv_ep_families,
};
#define N_ENDPOINTS (sizeof endpoints / sizeof endpoints[0])

static const srv_endpoint *find_endpoint(const char *path) {
  /* "/api/search" is the same endpoint, for proxies that mount the API
   * under a prefix next to the page. */
  if (strncmp(path, "/api/", 5) == 0) path += 4;
  for (size_t i = 0; i < N_ENDPOINTS; i++)
    if (strcmp(endpoints[i]->path, path) == 0) return endpoints[i];
  return NULL;
}

static const srv_asset *find_asset(const char *path) {
  for (size_t i = 0; i < srv_n_assets; i++)
    if (strcmp(srv_assets[i].path, path) == 0) return &srv_assets[i];
  return NULL;
}

bool srv_route_is_api(const char *path) { return !find_asset(path); }

void srv_response_free(srv_response *resp) {
  if (!resp->is_static) free(resp->body);
  resp->body = NULL;
}

static const char json_type[] = "application/json; charset=utf-8";

static void respond_fail(const srv_fail *f, srv_response *resp) {
  resp->http = f->http ? f->http : 500;
  resp->content_type = json_type;
  resp->is_static = false;
  resp->is_api = true;
  if (srv_fail_json(f, &resp->body, &resp->len) != CDX_OK) {
    /* the error of an error: a fixed body that needs no memory */
    static const char nomem[] =
        "{\"error\":{\"status\":503,\"code\":\"nomem\",\"message\":\"out of memory\"}}";
    resp->http = 503;
    resp->body = (char *)nomem;
    resp->len = sizeof nomem - 1;
    resp->is_static = true;
  }
}

/* The 404 of an unknown path, listing the endpoints. */
static void not_found(const char *path, srv_response *resp) {
  srv_fail f;
  char list[400];
  size_t at = 0;
  for (size_t i = 0; i < N_ENDPOINTS && at + 16 < sizeof list; i++) {
    size_t n = strlen(endpoints[i]->path);
    if (at + n + 3 >= sizeof list) break;
    if (i) {
      memcpy(list + at, ", ", 2);
      at += 2;
    }
    memcpy(list + at, endpoints[i]->path, n);
    at += n;
  }
  list[at] = '\0';
  /* The path is quoted back only when short: it is valid UTF-8 already. */
  srv_failf(&f, 404, CDX_NOTFOUND, NULL, CDX_NO_OFFSET, "no endpoint %.100s (endpoints: %s)", path,
            list);
  respond_fail(&f, resp);
}

void srv_route(srv_store *store, srv_cache *cache, const char *method, const char *uri, size_t len,
               srv_response *resp) {
  memset(resp, 0, sizeof *resp);
  srv_fail f;
  memset(&f, 0, sizeof f);
  if (strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0) {
    srv_failf(&f, 405, CDX_INVALID, NULL, CDX_NO_OFFSET,
              "method %.16s is not allowed: the API is read-only (GET)", method);
    respond_fail(&f, resp);
    return;
  }
  srv_request req;
  if (srv_request_parse(uri, len, &req, &f) != CDX_OK) {
    respond_fail(&f, resp);
    return;
  }
  const srv_asset *asset = find_asset(req.path);
  if (asset) {
    resp->http = 200;
    resp->content_type = asset->content_type;
    resp->body = (char *)asset->data;
    resp->len = asset->len;
    resp->is_static = true;
    srv_request_free(&req);
    return;
  }
  const srv_endpoint *ep = find_endpoint(req.path);
  if (!ep) {
    not_found(req.path, resp);
    srv_request_free(&req);
    return;
  }
  /* (aligned for any member an argument struct has) */
  _Alignas(max_align_t) unsigned char args[SRV_MAX_ARGS];
  assert(ep->args_size <= sizeof args);
  memset(args, 0, sizeof args);
  cdx_buf out;
  cdx_buf_init(&out);
  srv_call call = {.req = &req, .store = store, .out = &out, .fail = &f};
  srv_snapshot *snap = NULL;
  int rc = srv_params_apply(ep->params, ep->n_params, &req, args, &f);
  if (rc == CDX_OK && ep->needs_index) {
    cdx_error err;
    if ((rc = srv_store_acquire(store, &snap, &err)) != CDX_OK) {
      srv_fail_from(&f, &err, NULL);
      f.http = 503; /* whatever the reason, the index is not there to read */
    } else {
      call.ix = srv_snapshot_index(snap);
      call.snap = snap;
    }
  }
  uint64_t serial = snap ? srv_snapshot_serial(snap) : 0;
  if (rc == CDX_OK && ep->cacheable &&
      srv_cache_get(cache, serial, uri, len, &resp->body, &resp->len)) {
    srv_snapshot_release(snap);
    resp->http = 200;
    resp->content_type = json_type;
    resp->is_api = true;
    resp->cached = true;
    cdx_buf_free(&out);
    srv_request_free(&req);
    return;
  }
  if (rc == CDX_OK) rc = ep->run(&call, args);
  srv_snapshot_release(snap);
  if (rc != CDX_OK) {
    cdx_buf_free(&out);
    respond_fail(&f, resp);
  } else {
    int brc = CDX_OK;
    cdx_buf_str(&brc, &out);
    if (brc != CDX_OK) {
      cdx_buf_free(&out);
      srv_fail_nomem(&f);
      respond_fail(&f, resp);
    } else {
      resp->http = 200;
      resp->content_type = json_type;
      resp->body = cdx_buf_detach(&out, &resp->len);
      resp->is_api = true;
      if (ep->cacheable) srv_cache_put(cache, serial, uri, len, resp->body, resp->len);
    }
  }
  srv_request_free(&req);
}
