/* api_search.c - GET /search: ranked units for a query.
 *
 * The parameter table below is the whole mapping from the request to
 * cdx_search_options: a new option (sort, facets) is one line here and its
 * field in the struct. The filter parameters are the query language's own
 * fields, appended to q (docs/HTTP.md). */
#define _POSIX_C_SOURCE 200809L
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "serve/serve.h"

typedef struct search_args {
  const char *q, *sort;
  cdx_search_options opt;
} search_args;

/* Result window: a page of at most 100 hits, no deeper than 10,000 ranked
 * hits (as Elasticsearch's index.max_result_window): deep pages cost a heap
 * of offset + n hits, and nobody reads page 500. */
#define SEARCH_MAX_N 100
#define SEARCH_MAX_OFFSET 10000
/* A search stops at this time limit with 400 "query stopped at its time
 * limit": a query that would take minutes (an OR of a thousand rare
 * characters) must not hold a worker thread that long. */
#define SEARCH_TIME_LIMIT_MS 10000

static const srv_param_spec search_params[] = {
    {"q", SRV_TEXT, offsetof(search_args, q), false, 0, 0, NULL},
    {"n", SRV_SIZE, offsetof(search_args, opt.k), false, 1, SEARCH_MAX_N, NULL},
    {"offset", SRV_SIZE, offsetof(search_args, opt.offset), false, 0, SEARCH_MAX_OFFSET, NULL},
    {"latest", SRV_FLAG, offsetof(search_args, opt.latest), false, 0, 0, NULL},
    {"count", SRV_FLAG, offsetof(search_args, opt.count_only), false, 0, 0, NULL},
    {"sort", SRV_TEXT, offsetof(search_args, sort), false, 0, 0, NULL},
    {"facet", SRV_TEXT, offsetof(search_args, opt.facets), false, 0, 0, NULL},
    {"facet_limit", SRV_SIZE, offsetof(search_args, opt.facet_limit), false, 1, 100, NULL},
    {"jurisdiction", SRV_FILTER, 0, false, 0, 0, "jurisdiction"},
    {"status", SRV_FILTER, 0, false, 0, 0, "status"},
    {"edition", SRV_FILTER, 0, false, 0, 0, "edition"},
    {"date", SRV_FILTER, 0, false, 0, 0, "date"},
    {"dept", SRV_FILTER, 0, false, 0, 0, "dept"},
    {"lead", SRV_FILTER, 0, false, 0, 0, "lead"},
    {"chapter_lead", SRV_FILTER, 0, false, 0, 0, "chapter_lead"},
    {"amount", SRV_FILTER, 0, false, 0, 0, "amount"},
    {"percent", SRV_FILTER, 0, false, 0, 0, "percent"},
    {"count_of", SRV_FILTER, 0, false, 0, 0, "count"},
    {"kind", SRV_FILTER, 0, false, 0, 0, "kind"},
};

static double elapsed_ms(const struct timespec *t0) {
  struct timespec t1;
  clock_gettime(CLOCK_MONOTONIC, &t1);
  return (double)(t1.tv_sec - t0->tv_sec) * 1e3 + (double)(t1.tv_nsec - t0->tv_nsec) * 1e-6;
}

static int run_search(srv_call *c, const void *argp) {
  const search_args *a = argp;
  srv_query q;
  int rc = srv_params_query(search_params, SRV_N(search_params), c->req, a->q, &q, c->fail);
  if (rc != CDX_OK) return rc;
  if (!q.text)
    return srv_failf(c->fail, 400, CDX_INVALID, "q", CDX_NO_OFFSET,
                     "/search needs a query q or a filter");
  cdx_search_options opt = a->opt;
  if (!opt.timeout_ms) opt.timeout_ms = SEARCH_TIME_LIMIT_MS;
  if (a->sort && !cdx_sort_from_name(a->sort, &opt.sort)) {
    free(q.text);
    return srv_failf(c->fail, 400, CDX_INVALID, "sort", CDX_NO_OFFSET,
                     "sort must be score, amount, date or edition");
  }
  struct timespec t0;
  clock_gettime(CLOCK_MONOTONIC, &t0);
  cdx_results *res = NULL;
  cdx_error err;
  if (cdx_search(c->ix, q.text, &opt, &res, &err) != CDX_OK) {
    rc = srv_params_query_error(&q, &err, c->fail);
    free(q.text);
    return rc;
  }
  double ms = elapsed_ms(&t0);
  size_t n = cdx_results_count(res);
  rc = CDX_OK;
  cdx_json_member(&rc, c->out, "{\"query\":", q.text);
  cdx_buf_printf(&rc, c->out,
                 ",\"total\":%zu,\"offset\":%zu,\"count\":%zu,\"elapsed_ms\":%.3f,\"hits\":",
                 cdx_results_total(res), a->opt.offset, n, ms);
  srv_json_hits(&rc, c->out, res);
  /* the facets as the CLI's {"type":"facet",...} records, in the order asked */
  size_t nf = cdx_results_facet_count(res);
  if (nf) cdx_buf_puts(&rc, c->out, ",\"facets\":[");
  for (size_t i = 0; i < nf && rc == CDX_OK; i++) {
    char *js = NULL;
    size_t jl = 0;
    if (cdx_facet_to_json(cdx_results_facet(res, i), &js, &jl, &err) != CDX_OK) {
      rc = CDX_NOMEM;
      break;
    }
    if (i) cdx_buf_putc(&rc, c->out, ',');
    srv_json_take(&rc, c->out, js, jl, NULL);
  }
  if (nf) cdx_buf_putc(&rc, c->out, ']');
  cdx_buf_putc(&rc, c->out, '}');
  cdx_results_free(res);
  free(q.text);
  return srv_done(c, rc);
}

const srv_endpoint srv_ep_search =
    SRV_QUERY_ENDPOINT("/search", run_search, search_params, search_args,
                       "ranked units for a query: hits, total, elapsed");
