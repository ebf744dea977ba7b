/* The server's request layer without sockets: the request-target parser
 * (serve/request.c), the parameter tables (serve/params.c), the query the
 * filters compose, and the answer cache (serve/cache.c). */
#include <criterion/criterion.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "serve/serve.h"

static srv_request req;
static srv_fail f;

static int parse(const char *uri) {
  memset(&f, 0, sizeof f);
  return srv_request_parse(uri, strlen(uri), &req, &f);
}

static const char *value(const char *name) {
  const srv_param *p = srv_request_get(&req, name);
  return p ? p->value : NULL;
}

Test(request, decodes_path_and_parameters) {
  cr_assert_eq(parse("/search?q=%E4%BA%BA+a%2Bb&n=5&&empty=&flag#frag"), CDX_OK);
  cr_assert_str_eq(req.path, "/search");
  cr_assert_eq(req.n_params, 4);
  cr_assert_str_eq(value("q"), "人 a+b"); /* '+' is a space, %2B a plus */
  cr_assert_str_eq(value("n"), "5");
  cr_assert_str_eq(value("empty"), "");
  cr_assert_str_eq(value("flag"), "");
  cr_assert_null(value("frag"));
  srv_request_free(&req);
  cr_assert_eq(parse("/a+b%20c"), CDX_OK);
  cr_assert_str_eq(req.path, "/a+b c"); /* '+' stays itself in the path */
  srv_request_free(&req);
}

Test(request, refuses_bad_escapes_nul_and_invalid_utf8) {
  const char *bad[] = {"/s?q=%", "/s?q=%4", "/s?q=%zz", "/s?q=a%0", "/s%G0"};
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    cr_assert_neq(parse(bad[i]), CDX_OK, "%s", bad[i]);
    cr_assert_eq(f.http, 400, "%s", bad[i]);
  }
  cr_assert_eq(parse("/s?q=ab%00c"), CDX_ENCODING);
  cr_assert_eq(f.err.offset, 2);
  cr_assert_str_eq(f.param, "q");
  cr_assert_eq(parse("/s?cite=%E4%BA%BA%FF"), CDX_ENCODING);
  cr_assert_eq(f.err.offset, 3);
  cr_assert_str_eq(f.param, "cite");
  cr_assert_eq(parse("/s?q=%ED%A0%80"), CDX_ENCODING); /* a surrogate */
  cr_assert_eq(parse("/s?q=%C0%80"), CDX_ENCODING);    /* an overlong NUL */
  cr_assert_eq(parse("/s?q=a%01"), CDX_ENCODING);      /* a control byte */
  cr_assert_eq(parse("relative"), CDX_INVALID);
}

Test(request, limits) {
  char *uri = malloc(SRV_MAX_URI + 16);
  memcpy(uri, "/s?q=", 5);
  memset(uri + 5, 'a', SRV_MAX_URI);
  uri[SRV_MAX_URI + 5] = '\0';
  cr_assert_eq(parse(uri), CDX_LIMIT);
  cr_assert_eq(f.http, 414);
  uri[SRV_MAX_VALUE + 6] = '\0'; /* a value one byte over its limit */
  cr_assert_eq(parse(uri), CDX_LIMIT);
  cr_assert_eq(f.http, 400);
  cr_assert_str_eq(f.param, "q");
  free(uri);
  cr_assert_eq(parse("/s?q=1&n=2&q=3"), CDX_INVALID);
  cr_assert_str_eq(f.param, "q");
  char many[512] = "/s?";
  for (int i = 0; i <= SRV_MAX_PARAMS; i++) sprintf(many + strlen(many), "p%d=1&", i);
  cr_assert_eq(parse(many), CDX_LIMIT);
}

typedef struct args {
  const char *q;
  size_t n;
  int flag;
} args;

static const srv_param_spec specs[] = {
    {"q", SRV_TEXT, offsetof(args, q), true, 0, 0, NULL},
    {"n", SRV_SIZE, offsetof(args, n), false, 1, 100, NULL},
    {"flag", SRV_FLAG, offsetof(args, flag), false, 0, 0, NULL},
    {"status", SRV_FILTER, 0, false, 0, 0, "status"},
    {"jurisdiction", SRV_FILTER, 0, false, 0, 0, "jurisdiction"},
};

static int apply(const char *uri, args *a) {
  memset(a, 0, sizeof *a);
  cr_assert_eq(parse(uri), CDX_OK, "%s", uri);
  int rc = srv_params_apply(specs, SRV_N(specs), &req, a, &f);
  return rc;
}

Test(params, values_go_to_their_fields) {
  args a;
  cr_assert_eq(apply("/x?q=hi&n=100&flag=true", &a), CDX_OK);
  cr_assert_str_eq(a.q, "hi");
  cr_assert_eq(a.n, 100);
  cr_assert_eq(a.flag, 1);
  srv_request_free(&req);
  cr_assert_eq(apply("/x?q=hi&flag=0", &a), CDX_OK);
  cr_assert_eq(a.flag, 0);
  cr_assert_eq(a.n, 0); /* absent: the struct's zero, the library's default */
  srv_request_free(&req);
}

Test(params, bad_values_name_their_parameter) {
  const char *bad[][2] = {
      {"/x?q=a&n=0", "n"},       {"/x?q=a&n=101", "n"}, {"/x?q=a&n=-1", "n"},
      {"/x?q=a&n=1e2", "n"},     {"/x?q=a&n=", "n"},    {"/x?q=a&flag=2", "flag"},
      {"/x?q=a&nope=1", "nope"}, {"/x?n=1", "q"},       {"/x?q=", "q"}};
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    args a;
    cr_assert_neq(apply(bad[i][0], &a), CDX_OK, "%s", bad[i][0]);
    cr_assert_eq(f.http, 400, "%s", bad[i][0]);
    cr_assert_str_eq(f.param, bad[i][1], "%s", bad[i][0]);
    srv_request_free(&req);
  }
}

/* Parses URI into req and composes its query into *Q (srv_params_query). */
static int query_of(const char *uri, srv_query *q) {
  cr_assert_eq(parse(uri), CDX_OK, "%s", uri);
  return srv_params_query(specs, SRV_N(specs), &req, value("q"), q, &f);
}

Test(params, filters_compose_the_query) {
  srv_query q;
  cr_assert_eq(query_of("/x?q=a+OR+b&status=final&jurisdiction=%E6%B8%A9%E5%B7%9E%E5%B8%82", &q),
               CDX_OK);
  cr_assert_str_eq(q.text, "(a OR b) status:final jurisdiction:温州市");
  free(q.text);
  srv_request_free(&req);
  cr_assert_eq(query_of("/x?q=a+OR+b", &q), CDX_OK); /* alone, q is sent as it is */
  cr_assert_str_eq(q.text, "a OR b");
  free(q.text);
  srv_request_free(&req);
  cr_assert_eq(query_of("/x?status=", &q), CDX_OK); /* nothing given: no query */
  cr_assert_null(q.text);
  srv_request_free(&req);
}

Test(params, query_errors_point_into_their_parameter) {
  srv_query q;
  cr_assert_eq(query_of("/x?q=%E4%BA%BA+foo:bar&status=final", &q), CDX_SYNTAX);
  cr_assert_str_eq(f.param, "q");
  cr_assert_eq(f.err.offset, 4); /* 人 is 3 bytes, then a space */
  cr_assert_eq(f.http, 400);
  srv_request_free(&req);
  cr_assert_eq(query_of("/x?q=a&status=bogus", &q), CDX_SYNTAX);
  cr_assert_str_eq(f.param, "status");
  cr_assert_eq(f.err.offset, 0);
  cr_assert(strstr(f.err.message, "parameter 'status'") && strstr(f.err.message, "bogus"), "%s",
            f.err.message);
  srv_request_free(&req);
  cr_assert_eq(query_of("/x?q=a&jurisdiction=a+b", &q), CDX_SYNTAX); /* one value, no spaces */
  cr_assert_str_eq(f.param, "jurisdiction");
  cr_assert_eq(f.err.offset, 1);
  srv_request_free(&req);
}

Test(cache, answers_per_snapshot_within_budget) {
  srv_cache *c = srv_cache_new(1 << 16);
  cr_assert_not_null(c);
  char *body = NULL;
  size_t len = 0;
  cr_assert_not(srv_cache_get(c, 1, "/a", 2, &body, &len));
  srv_cache_put(c, 1, "/a", 2, "{\"x\":1}", 7);
  cr_assert(srv_cache_get(c, 1, "/a", 2, &body, &len));
  cr_assert_eq(len, 7);
  cr_assert_str_eq(body, "{\"x\":1}");
  free(body);
  cr_assert_not(srv_cache_get(c, 2, "/a", 2, &body, &len), "another snapshot");
  cr_assert_not(srv_cache_get(c, 1, "/b", 2, &body, &len), "another request");
  char big[8192];
  memset(big, 'x', sizeof big);
  srv_cache_put(c, 1, "/big", 4, big, sizeof big); /* over a sixteenth: not kept */
  cr_assert_not(srv_cache_get(c, 1, "/big", 4, &body, &len));
  srv_cache_free(c);
  srv_cache *off = srv_cache_new(0);
  srv_cache_put(off, 1, "/a", 2, "{}", 2);
  cr_assert_not(srv_cache_get(off, 1, "/a", 2, &body, &len));
  srv_cache_free(off);
}
