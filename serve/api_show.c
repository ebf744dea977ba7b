/* api_show.c - GET /show: a document, or one clause of it, in full. */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include "serve/serve.h"

typedef struct show_args {
  const char *cite;
} show_args;

static const srv_param_spec show_params[] = {
    {"cite", SRV_TEXT, offsetof(show_args, cite), true, 0, 0, NULL},
};

/* DOC#NUMBER as `clausedex show` reads it: the last '#' separates the
 * clause number (an empty one means the whole document). */
static int run_show(srv_call *c, const void *argp) {
  const show_args *a = argp;
  size_t n = strlen(a->cite);
  char *doc = malloc(n + 1);
  if (!doc) return srv_fail_nomem(c->fail);
  memcpy(doc, a->cite, n + 1);
  char *hash = strrchr(doc, '#');
  const char *number = NULL;
  if (hash) {
    *hash = '\0';
    number = *(hash + 1) ? hash + 1 : NULL;
  }
  cdx_results *res = NULL;
  cdx_error err;
  int rc = cdx_search_document(c->ix, doc, number, &res, &err);
  free(doc);
  if (rc != CDX_OK) return srv_fail_from(c->fail, &err, "cite");
  rc = CDX_OK;
  char *js = NULL;
  size_t jl = 0;
  cdx_buf_puts(&rc, c->out, "{\"doc\":");
  if (cdx_hit_doc_to_json(cdx_results_get(res, 0), &js, &jl, &err) != CDX_OK) rc = CDX_NOMEM;
  else srv_json_take(&rc, c->out, js, jl, NULL);
  cdx_buf_puts(&rc, c->out, ",\"units\":");
  srv_json_hits(&rc, c->out, res);
  cdx_buf_putc(&rc, c->out, '}');
  cdx_results_free(res);
  return srv_done(c, rc);
}

const srv_endpoint srv_ep_show = SRV_QUERY_ENDPOINT("/show", run_show, show_params, show_args,
                                                    "a document or one clause: cite=DOC[#NUMBER]");
