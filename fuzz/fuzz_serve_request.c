/* libFuzzer target for the server's request path without sockets: any bytes
 * as a request target are parsed (serve/request.c) into a path and
 * parameters that keep their promises (valid UTF-8, no NUL, no name twice),
 * or refused with a 4xx; then routed (serve/routes.c: endpoint table,
 * parameter tables, query composition) against a store whose index does not
 * exist, which must answer with one of the statuses of docs/HTTP.md and a
 * body, never crash, leak or read past the target. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "fuzz/fuzz_util.h"
#include "serve/serve.h"

static srv_store *store;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (!store && srv_store_new("/nonexistent/clausedex-fuzz-index", 0, &store, NULL) != CDX_OK)
    abort();
  char *uri = fuzz_copy(data, size);
  if (!uri) return 0;
  srv_request req;
  srv_fail f;
  memset(&f, 0, sizeof f);
  if (srv_request_parse(uri, size, &req, &f) == CDX_OK) {
    if (req.path[0] != '/') abort();
    if (req.n_params > SRV_MAX_PARAMS) abort();
    for (size_t i = 0; i < req.n_params; i++) {
      const srv_param *p = &req.params[i];
      if (strlen(p->value) != p->value_len || p->value_len > SRV_MAX_VALUE) abort();
      if (cdx_utf8_find_invalid(p->value, p->value_len) != CDX_NO_OFFSET) abort();
      for (size_t j = 0; j < i; j++)
        if (strcmp(req.params[j].name, p->name) == 0) abort();
    }
    srv_request_free(&req);
  } else if (f.http != 400 && f.http != 414) {
    abort();
  }
  srv_response resp;
  srv_route(store, NULL, "GET", uri, size, &resp);
  int h = resp.http;
  if (h != 200 && h != 400 && h != 404 && h != 414 && h != 503) abort();
  if (!resp.body || resp.len == 0) abort();
  if (resp.is_api && resp.body[0] != '{') abort();
  srv_response_free(&resp);
  free(uri);
  return 0;
}
