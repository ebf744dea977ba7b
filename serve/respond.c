/* respond.c - errors as HTTP statuses and JSON bodies: one table says which
 * status each library error is, one writer gives every error body. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "serve/serve.h"

/* The status and the stable name of each enum cdx_status (docs/HTTP.md,
 * "Errors"). A bad query, value or name is the client's (400); a missing
 * document or clause 404; an index that cannot be read 503 (the server
 * goes on and retries); out of memory 503 (try again later). */
static const struct {
  int http;
  const char *name;
} status_of[] = {
    [CDX_OK] = {200, "ok"},
    [CDX_NOMEM] = {503, "nomem"},
    [CDX_IO] = {503, "io"},
    [CDX_INVALID] = {400, "invalid"},
    [CDX_NOTFOUND] = {404, "notfound"},
    [CDX_CORRUPT] = {503, "corrupt"},
    [CDX_FORMAT_VERSION] = {503, "format_version"},
    [CDX_LIMIT] = {400, "limit"},
    [CDX_ENCODING] = {400, "encoding"},
    [CDX_BUSY] = {503, "busy"},
    [CDX_SYNTAX] = {400, "syntax"},
    [CDX_ICU] = {500, "icu"},
    [CDX_BADINPUT] = {400, "badinput"},
};
#define N_STATUS (sizeof status_of / sizeof status_of[0])

static const char *code_name(int code) {
  return code >= 0 && (size_t)code < N_STATUS && status_of[code].name ? status_of[code].name
                                                                      : "error";
}

static void set_param(srv_fail *f, const char *param) {
  f->param[0] = '\0';
  if (param) snprintf(f->param, sizeof f->param, "%s", param);
}

int srv_failf(srv_fail *f, int http, int err_code, const char *param, size_t offset,
              const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  cdx_err_setv(&f->err, err_code, offset, fmt, ap);
  va_end(ap);
  f->http = http;
  set_param(f, param);
  return err_code;
}

int srv_fail_nomem(srv_fail *f) {
  return srv_failf(f, 503, CDX_NOMEM, NULL, CDX_NO_OFFSET, "out of memory");
}

int srv_fail_from(srv_fail *f, const cdx_error *err, const char *param) {
  f->err = *err;
  int c = err->code;
  f->http = c > 0 && (size_t)c < N_STATUS && status_of[c].http ? status_of[c].http : 500;
  set_param(f, param);
  return c ? c : CDX_INVALID;
}

int srv_fail_json(const srv_fail *f, char **out, size_t *len) {
  cdx_buf b;
  cdx_buf_init(&b);
  int rc = CDX_OK;
  cdx_buf_printf(&rc, &b, "{\"error\":{\"status\":%d,\"code\":", f->http);
  cdx_json_cstr(&rc, &b, code_name(f->err.code));
  cdx_json_member(&rc, &b, ",\"message\":", f->err.message);
  if (f->err.offset != CDX_NO_OFFSET) cdx_buf_printf(&rc, &b, ",\"offset\":%zu", f->err.offset);
  if (f->param[0]) { cdx_json_member(&rc, &b, ",\"param\":", f->param); }
  cdx_buf_puts(&rc, &b, "}}");
  return cdx_json_finish(rc, &b, out, len, NULL);
}

void srv_json_take(int *rc, cdx_buf *out, char *js, size_t len, const char *extra) {
  if (*rc == CDX_OK && extra && len >= 2 && js[0] == '{') {
    cdx_buf_putc(rc, out, '{');
    cdx_buf_puts(rc, out, extra);
    /* an extra member needs a comma unless the object is empty */
    if (len > 2) cdx_buf_putc(rc, out, ',');
    cdx_buf_append(rc, out, js + 1, len - 1);
  } else {
    cdx_buf_append(rc, out, js, len);
  }
  cdx_free(js);
}

void srv_json_item(int *rc, cdx_buf *out, size_t i, int jrc, char *js, size_t len,
                   const char *extra) {
  if (i) cdx_buf_putc(rc, out, ',');
  if (jrc != CDX_OK) *rc = CDX_NOMEM;
  else srv_json_take(rc, out, js, len, extra);
}

int srv_done(srv_call *c, int rc) { return rc == CDX_OK ? CDX_OK : srv_fail_nomem(c->fail); }

void srv_json_hits(int *rc, cdx_buf *out, const cdx_results *res) {
  cdx_buf_putc(rc, out, '[');
  for (size_t i = 0; i < cdx_results_count(res) && *rc == CDX_OK; i++) {
    char *js = NULL;
    size_t jl = 0;
    cdx_error err;
    int jrc = cdx_hit_to_json(cdx_results_get(res, i), &js, &jl, &err);
    srv_json_item(rc, out, i, jrc, js, jl, NULL);
  }
  cdx_buf_putc(rc, out, ']');
}
