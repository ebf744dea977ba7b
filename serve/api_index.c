/* api_index.c - GET /docs, /stats and /health: what the index holds. */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include "serve/serve.h"

/* An index-wide JSON writer of index.h, its object as it is when key is
 * NULL; with a key, its JSON Lines records as an array under key (one HTTP
 * answer is one JSON document). */
typedef int (*index_json_fn)(const cdx_index *ix, char **out, size_t *out_len, cdx_error *err);

static int index_json(srv_call *c, index_json_fn fn, const char *key) {
  char *js = NULL;
  size_t jl = 0;
  cdx_error err;
  if (fn(c->ix, &js, &jl, &err) != CDX_OK) return srv_fail_from(c->fail, &err, NULL);
  int rc = CDX_OK;
  if (!key) {
    srv_json_take(&rc, c->out, js, jl, NULL);
    return srv_done(c, rc);
  }
  cdx_buf_printf(&rc, c->out, "{\"%s\":[", key);
  bool first = true;
  for (size_t i = 0; i < jl;) {
    const char *nl = memchr(js + i, '\n', jl - i);
    size_t end = nl ? (size_t)(nl - js) : jl;
    if (end > i) {
      if (!first) cdx_buf_putc(&rc, c->out, ',');
      cdx_buf_append(&rc, c->out, js + i, end - i);
      first = false;
    }
    i = end + 1;
  }
  cdx_buf_puts(&rc, c->out, "]}");
  cdx_free(js);
  return srv_done(c, rc);
}

static int run_docs(srv_call *c, const void *args) {
  (void)args;
  return index_json(c, cdx_index_docs_json, "documents");
}

static int run_stats(srv_call *c, const void *args) {
  (void)args;
  return index_json(c, cdx_index_stats_json, NULL);
}

/* 200 while a snapshot is served (503 from the router otherwise); "stale"
 * is the error of a newer commit that failed to open. */
static int run_health(srv_call *c, const void *args) {
  (void)args;
  cdx_index_stats st;
  cdx_index_get_stats(c->ix, &st);
  int rc = CDX_OK;
  cdx_buf_printf(&rc, c->out,
                 "{\"status\":\"ok\",\"version\":\"%s\",\"snapshot\":%llu,\"documents\":%llu,"
                 "\"units\":%llu,\"stale\":",
                 cdx_version(), (unsigned long long)srv_snapshot_serial(c->snap),
                 (unsigned long long)st.documents, (unsigned long long)st.units);
  cdx_error err;
  if (srv_store_stale(c->store, &err)) cdx_json_cstr(&rc, c->out, err.message);
  else cdx_buf_puts(&rc, c->out, "null");
  cdx_buf_putc(&rc, c->out, '}');
  return srv_done(c, rc);
}

const srv_endpoint srv_ep_docs = {.path = "/docs",
                                  .run = run_docs,
                                  .needs_index = true,
                                  .cacheable = true,
                                  .summary = "the indexed documents with their metadata"};
const srv_endpoint srv_ep_stats = {.path = "/stats",
                                   .run = run_stats,
                                   .needs_index = true,
                                   .cacheable = true,
                                   .summary = "sizes and counts of the index"};
const srv_endpoint srv_ep_health = {.path = "/health",
                                    .run = run_health,
                                    .needs_index = true,
                                    .cacheable = false,
                                    .summary = "is the index open, which snapshot"};
