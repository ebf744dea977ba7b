/* api_align.c - GET /diff, /similar and /coverage: the alignment of
 * include/clausedex/align.h, each record in the JSON of the CLI's --json
 * (docs/ALIGN.md), gathered into one object per response. */
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include "serve/serve.h"

/* Fails with err of a call on two documents, first and the other. The
 * message names the document; which parameter it was is told when it is
 * unknown: first_param if first does not resolve, else other_param. */
static int fail_two_docs(srv_call *c, cdx_error *err, const char *first, const char *first_param,
                         const char *other_param) {
  const char *param = NULL;
  const char *id;
  cdx_error e2;
  if (err->code == CDX_NOTFOUND || err->code == CDX_INVALID)
    param = cdx_index_resolve_doc(c->ix, first, &id, &e2) != CDX_OK ? first_param : other_param;
  return srv_fail_from(c->fail, err, param);
}

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
  if (cdx_align_documents(c->ix, a->a, a->b, NULL, &al, &err) != CDX_OK)
    return fail_two_docs(c, &err, a->a, "a", "b");
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
    int jrc = cdx_align_pair_to_json(cdx_alignment_get(al, i), &js, &jl, &err);
    srv_json_item(&rc, c->out, i, jrc, js, jl, NULL);
  }
  cdx_buf_printf(&rc, c->out, "],\"summary\":{\"pairs\":%zu,\"relations\":{", n);
  for (int r = 0; r < CDX_REL_COUNT; r++)
    cdx_buf_printf(&rc, c->out, "%s\"%s\":%zu", r ? "," : "", cdx_relation_name((cdx_relation)r),
                   cdx_alignment_relation_count(al, (cdx_relation)r));
  cdx_buf_puts(&rc, c->out, "}}}");
  cdx_alignment_free(al);
  return srv_done(c, rc);
}

const srv_endpoint srv_ep_diff = SRV_QUERY_ENDPOINT(
    "/diff", run_diff, diff_params, diff_args, "clause-by-clause alignment of documents a and b");

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
    int jrc = cdx_hit_to_json(s->hit, &js, &jl, &err);
    srv_json_item(&rc, c->out, i, jrc, js, jl, extra);
  }
  cdx_buf_puts(&rc, c->out, "]}");
  cdx_similar_free(res);
  return srv_done(c, rc);
}

const srv_endpoint srv_ep_similar =
    SRV_QUERY_ENDPOINT("/similar", run_similar, similar_params, similar_args,
                       "units most like a clause (cite) or a text");

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
  if (cdx_coverage_compute(c->ix, a->doc, a->under, NULL, &cv, &err) != CDX_OK)
    return fail_two_docs(c, &err, a->doc, "doc", "under");
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
    int jrc = cdx_coverage_row_to_json(cdx_coverage_get(cv, i), &js, &jl, &err);
    srv_json_item(&rc, c->out, i, jrc, js, jl, NULL);
  }
  cdx_buf_puts(&rc, c->out, "]}");
  cdx_coverage_free(cv);
  return srv_done(c, rc);
}

const srv_endpoint srv_ep_coverage =
    SRV_QUERY_ENDPOINT("/coverage", run_coverage, coverage_params, coverage_args,
                       "which jurisdictions under a place adopted each clause");
