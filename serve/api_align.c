/* api_align.c - GET /diff, /similar and /coverage: the alignment of
 * include/clausedex/align.h, each record in the JSON of the CLI's --json
 * (docs/ALIGN.md), gathered into one object per response. */
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include "serve/serve.h"

/* ---- /diff ---- */

typedef struct diff_args {
  const char *a, *b;
} diff_args;

static const srv_param_spec diff_params[] = {
    {"a", SRV_TEXT, offsetof(diff_args, a), true, 0, 0, NULL},
    {"b", SRV_TEXT, offsetof(diff_args, b), true, 0, 0, NULL},
};

/* A side's document fields with its unit count (as `clausedex diff --json`
 * begins). */
static void side_json(int *rc, cdx_buf *out, const cdx_results *r) {
  char *js = NULL;
  size_t jl = 0;
  cdx_error err;
  if (*rc != CDX_OK) return;
  if (cdx_hit_doc_to_json(cdx_results_get(r, 0), &js, &jl, &err) != CDX_OK) {
    *rc = CDX_NOMEM;
    return;
  }
  cdx_buf_append(rc, out, js, jl - 1);
  cdx_buf_printf(rc, out, ",\"units\":%zu}", cdx_results_count(r));
  cdx_free(js);
}

static int run_diff(srv_call *c, const void *argp) {
  const diff_args *a = argp;
  cdx_alignment *al = NULL;
  cdx_error err;
  if (cdx_align_documents(c->ix, a->a, a->b, NULL, &al, &err) != CDX_OK) {
    /* the message names the document; which parameter it was is told when
     * only one of them is unknown */
    const char *param = NULL;
    const char *id;
    cdx_error e2;
    if (err.code == CDX_NOTFOUND || err.code == CDX_INVALID)
      param = cdx_index_resolve_doc(c->ix, a->a, &id, &e2) != CDX_OK ? "a" : "b";
    return srv_fail_from(c->fail, &err, param);
  }
  int rc = CDX_OK;
  cdx_buf_puts(&rc, c->out, "{\"a\":");
  side_json(&rc, c->out, cdx_alignment_side(al, 0));
  cdx_buf_puts(&rc, c->out, ",\"b\":");
  side_json(&rc, c->out, cdx_alignment_side(al, 1));
  cdx_buf_puts(&rc, c->out, ",\"pairs\":[");
  size_t n = cdx_alignment_count(al);
  for (size_t i = 0; i < n && rc == CDX_OK; i++) {
    char *js = NULL;
    size_t jl = 0;
    if (i) cdx_buf_putc(&rc, c->out, ',');
    if (cdx_align_pair_to_json(cdx_alignment_get(al, i), &js, &jl, &err) != CDX_OK) rc = CDX_NOMEM;
    else srv_json_take(&rc, c->out, js, jl, NULL);
  }
  cdx_buf_printf(&rc, c->out, "],\"summary\":{\"pairs\":%zu,\"relations\":{", n);
  for (int r = 0; r < CDX_REL_COUNT; r++)
    cdx_buf_printf(&rc, c->out, "%s\"%s\":%zu", r ? "," : "", cdx_relation_name((cdx_relation)r),
                   cdx_alignment_relation_count(al, (cdx_relation)r));
  cdx_buf_puts(&rc, c->out, "}}}");
  cdx_alignment_free(al);
  return rc == CDX_OK ? CDX_OK : srv_fail_nomem(c->fail);
}

const srv_endpoint srv_ep_diff = {.path = "/diff",
                                  .run = run_diff,
                                  .params = diff_params,
                                  .n_params = SRV_N(diff_params),
                                  .args_size = sizeof(diff_args),
                                  .needs_index = true,
                                  .cacheable = true,
                                  .summary = "clause-by-clause alignment of documents a and b"};

/* ---- /similar ---- */

typedef struct similar_args {
  const char *cite, *text, *filter;
  cdx_similar_options opt;
} similar_args;

#define SIMILAR_MAX_N 50

static const srv_param_spec similar_params[] = {
    {"cite", SRV_TEXT, offsetof(similar_args, cite), false, 0, 0, NULL},
    {"text", SRV_TEXT, offsetof(similar_args, text), false, 0, 0, NULL},
    {"filter", SRV_TEXT, offsetof(similar_args, filter), false, 0, 0, NULL},
    {"n", SRV_SIZE, offsetof(similar_args, opt.k), false, 1, SIMILAR_MAX_N, NULL},
    {"latest", SRV_FLAG, offsetof(similar_args, opt.latest), false, 0, 0, NULL},
};

static int run_similar(srv_call *c, const void *argp) {
  similar_args a = *(const similar_args *)argp;
  if (!a.cite == !a.text)
    return srv_failf(c->fail, 400, CDX_INVALID, a.cite ? "text" : "cite", CDX_NO_OFFSET,
                     "/similar takes one of cite=DOC#NUMBER or text=TEXT");
  if (a.filter && *a.filter) a.opt.filter = a.filter;
  size_t tlen = a.text ? strlen(a.text) : 0;
  cdx_similar_results *res = NULL;
  cdx_error err;
  if (cdx_similar(c->ix, a.cite, a.text, tlen, &a.opt, &res, &err) != CDX_OK)
    return srv_fail_from(c->fail, &err,
                         err.code == CDX_SYNTAX ? "filter"
                         : a.cite               ? "cite"
                                                : "text");
  int rc = CDX_OK;
  char *js = NULL;
  size_t jl = 0;
  const cdx_hit *src = cdx_similar_source(res);
  cdx_buf_puts(&rc, c->out, "{\"source\":");
  if (!src) cdx_buf_puts(&rc, c->out, "null");
  else if (cdx_hit_to_json(src, &js, &jl, &err) != CDX_OK) rc = CDX_NOMEM;
  else srv_json_take(&rc, c->out, js, jl, NULL);
  cdx_buf_puts(&rc, c->out, ",\"matches\":[");
  for (size_t i = 0; i < cdx_similar_count(res) && rc == CDX_OK; i++) {
    const cdx_similar_hit *s = cdx_similar_get(res, i);
    char extra[64];
    /* the record of `clausedex similar --json` */
    snprintf(extra, sizeof extra, "\"type\":\"match\",\"similarity\":%.4f", s->similarity);
    if (i) cdx_buf_putc(&rc, c->out, ',');
    if (cdx_hit_to_json(s->hit, &js, &jl, &err) != CDX_OK) rc = CDX_NOMEM;
    else srv_json_take(&rc, c->out, js, jl, extra);
  }
  cdx_buf_puts(&rc, c->out, "]}");
  cdx_similar_free(res);
  return rc == CDX_OK ? CDX_OK : srv_fail_nomem(c->fail);
}

const srv_endpoint srv_ep_similar = {.path = "/similar",
                                     .run = run_similar,
                                     .params = similar_params,
                                     .n_params = SRV_N(similar_params),
                                     .args_size = sizeof(similar_args),
                                     .needs_index = true,
                                     .cacheable = true,
                                     .summary = "units most like a clause (cite) or a text"};

/* ---- /coverage ---- */

typedef struct coverage_args {
  const char *doc, *under;
} coverage_args;

static const srv_param_spec coverage_params[] = {
    {"doc", SRV_TEXT, offsetof(coverage_args, doc), true, 0, 0, NULL},
    {"under", SRV_TEXT, offsetof(coverage_args, under), true, 0, 0, NULL},
};

static int run_coverage(srv_call *c, const void *argp) {
  const coverage_args *a = argp;
  cdx_coverage *cv = NULL;
  cdx_error err;
  if (cdx_coverage_compute(c->ix, a->doc, a->under, NULL, &cv, &err) != CDX_OK) {
    const char *id, *param = NULL;
    cdx_error e2;
    if (err.code == CDX_NOTFOUND || err.code == CDX_INVALID)
      param = cdx_index_resolve_doc(c->ix, a->doc, &id, &e2) != CDX_OK ? "doc" : "under";
    return srv_fail_from(c->fail, &err, param);
  }
  int rc = CDX_OK;
  const char *const *names = NULL;
  size_t nj = cdx_coverage_jurisdictions(cv, &names);
  cdx_buf_puts(&rc, c->out, "{\"jurisdictions\":[");
  for (size_t j = 0; j < nj; j++) {
    if (j) cdx_buf_putc(&rc, c->out, ',');
    cdx_json_cstr(&rc, c->out, names[j]);
  }
  cdx_buf_puts(&rc, c->out, "],\"clauses\":[");
  for (size_t i = 0; i < cdx_coverage_count(cv) && rc == CDX_OK; i++) {
    char *js = NULL;
    size_t jl = 0;
    if (i) cdx_buf_putc(&rc, c->out, ',');
    if (cdx_coverage_row_to_json(cdx_coverage_get(cv, i), &js, &jl, &err) != CDX_OK) rc = CDX_NOMEM;
    else srv_json_take(&rc, c->out, js, jl, NULL);
  }
  cdx_buf_puts(&rc, c->out, "]}");
  cdx_coverage_free(cv);
  return rc == CDX_OK ? CDX_OK : srv_fail_nomem(c->fail);
}

const srv_endpoint srv_ep_coverage = {.path = "/coverage",
                                      .run = run_coverage,
                                      .params = coverage_params,
                                      .n_params = SRV_N(coverage_params),
                                      .args_size = sizeof(coverage_args),
                                      .needs_index = true,
                                      .cacheable = true,
                                      .summary =
                                          "which jurisdictions under a place adopted each clause"};
