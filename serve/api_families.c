/* api_families.c - GET /families: every policy family with its versions in
 * order, the records of `clausedex families --json` (docs/CORPUS.md,
 * "Families"); with doc=ID only the family of that document (the page's
 * versions panel: one small answer instead of every family). */
#include <stddef.h>
#include "serve/serve.h"

typedef struct families_args {
  const char *doc;
} families_args;

static const srv_param_spec families_params[] = {
    {"doc", SRV_TEXT, offsetof(families_args, doc), false, 0, 0, NULL},
};

static void put_family(int *rc, cdx_buf *out, const cdx_family *f, bool comma) {
  char *js = NULL;
  size_t jl = 0;
  cdx_error err;
  if (*rc != CDX_OK) return;
  if (cdx_family_to_json(f, &js, &jl, &err) != CDX_OK) {
    *rc = CDX_NOMEM;
    return;
  }
  if (comma) cdx_buf_putc(rc, out, ',');
  srv_json_take(rc, out, js, jl, NULL);
}

static int run_families(srv_call *c, const void *argp) {
  const families_args *a = argp;
  cdx_families *fam = NULL;
  cdx_error err;
  if (cdx_families_collect(c->ix, &fam, &err) != CDX_OK) return srv_fail_from(c->fail, &err, NULL);
  const cdx_family *only = NULL;
  if (a->doc && !(only = cdx_families_of(fam, a->doc, NULL))) {
    cdx_families_free(fam);
    return srv_failf(c->fail, 404, CDX_NOTFOUND, "doc", CDX_NO_OFFSET,
                     "no document '%s' in the index (doc takes the id /docs and /show give)",
                     a->doc);
  }
  int rc = CDX_OK;
  cdx_buf_puts(&rc, c->out, "{\"families\":[");
  if (only) put_family(&rc, c->out, only, false);
  size_t n = only ? 0 : cdx_families_count(fam);
  for (size_t i = 0; i < n; i++) put_family(&rc, c->out, cdx_families_get(fam, i), i > 0);
  cdx_buf_puts(&rc, c->out, "]}");
  cdx_families_free(fam);
  return srv_done(c, rc);
}

const srv_endpoint srv_ep_families =
    SRV_QUERY_ENDPOINT("/families", run_families, families_params, families_args,
                       "policy families with their versions in order; "
                       "doc=ID: that document's family");
