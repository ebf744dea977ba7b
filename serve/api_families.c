/* api_families.c - GET /families: every policy family with its versions in
 * order, the records of `clausedex families --json` (docs/CORPUS.md,
 * "Families"). */
#include "serve/serve.h"

static int run_families(srv_call *c, const void *args) {
  (void)args;
  cdx_families *fam = NULL;
  cdx_error err;
  if (cdx_families_collect(c->ix, &fam, &err) != CDX_OK) return srv_fail_from(c->fail, &err, NULL);
  int rc = CDX_OK;
  cdx_buf_puts(&rc, c->out, "{\"families\":[");
  size_t n = cdx_families_count(fam);
  for (size_t i = 0; i < n && rc == CDX_OK; i++) {
    char *js = NULL;
    size_t jl = 0;
    if (cdx_family_to_json(cdx_families_get(fam, i), &js, &jl, &err) != CDX_OK) {
      rc = CDX_NOMEM;
      break;
    }
    if (i) cdx_buf_putc(&rc, c->out, ',');
    srv_json_take(&rc, c->out, js, jl, NULL);
  }
  cdx_buf_puts(&rc, c->out, "]}");
  cdx_families_free(fam);
  return rc == CDX_OK ? CDX_OK : srv_fail_nomem(c->fail);
}

const srv_endpoint srv_ep_families = {.path = "/families",
                                      .run = run_families,
                                      .needs_index = true,
                                      .cacheable = true,
                                      .summary = "policy families with their versions in order"};
