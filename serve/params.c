/* params.c - an endpoint's parameter table applied to a request: each
 * accepted parameter is one srv_param_spec naming where its value goes, so
 * a new option of an endpoint is one line of its table (api_*.c). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "serve/serve.h"

static const srv_param_spec *find_spec(const srv_param_spec *specs, size_t n, const char *name) {
  for (size_t i = 0; i < n; i++)
    if (strcmp(specs[i].name, name) == 0) return &specs[i];
  return NULL;
}

/* "q, n, offset" for the message of an unknown parameter. */
static void list_names(const srv_param_spec *specs, size_t n, char *out, size_t cap) {
  size_t at = 0;
  out[0] = '\0';
  for (size_t i = 0; i < n && at + 1 < cap; i++) {
    int w = snprintf(out + at, cap - at, "%s%s", i ? ", " : "", specs[i].name);
    if (w < 0) break;
    at += (size_t)w;
  }
}

static int apply_one(const srv_param_spec *s, const srv_param *p, void *args, srv_fail *f) {
  char *field = (char *)args + s->offset;
  switch (s->kind) {
    case SRV_TEXT: *(const char **)(void *)field = p->value; return CDX_OK;
    case SRV_SIZE: {
      size_t v = 0;
      bool ok = p->value_len > 0 && p->value_len <= 9;
      for (size_t i = 0; ok && i < p->value_len; i++) {
        ok = p->value[i] >= '0' && p->value[i] <= '9';
        v = v * 10 + (size_t)(p->value[i] - '0');
      }
      if (!ok || v < s->min || v > s->max)
        return srv_failf(f, 400, CDX_INVALID, s->name, CDX_NO_OFFSET,
                         "parameter '%s' takes a whole number from %zu to %zu, not '%s'", s->name,
                         s->min, s->max, p->value);
      *(size_t *)(void *)field = v;
      return CDX_OK;
    }
    case SRV_FLAG: {
      const char *v = p->value;
      int on = !*v || !strcmp(v, "1") || !strcmp(v, "true") ? 1
               : !strcmp(v, "0") || !strcmp(v, "false")     ? 0
                                                            : -1;
      if (on < 0)
        return srv_failf(f, 400, CDX_INVALID, s->name, CDX_NO_OFFSET,
                         "parameter '%s' takes 1, true, 0 or false, not '%s'", s->name, v);
      *(int *)(void *)field = on;
      return CDX_OK;
    }
    case SRV_FILTER: return CDX_OK;
  }
  return CDX_OK;
}

int srv_params_apply(const srv_param_spec *specs, size_t n, const srv_request *req, void *args,
                     srv_fail *f) {
  for (size_t i = 0; i < req->n_params; i++) {
    const srv_param *p = &req->params[i];
    const srv_param_spec *s = find_spec(specs, n, p->name);
    if (!s) {
      char names[256];
      list_names(specs, n, names, sizeof names);
      return srv_failf(f, 400, CDX_INVALID, p->name, CDX_NO_OFFSET,
                       "unknown parameter '%s' for %s (it takes: %s)", p->name, req->path,
                       n ? names : "none");
    }
    int rc = apply_one(s, p, args, f);
    if (rc != CDX_OK) return rc;
  }
  for (size_t i = 0; i < n; i++) {
    const srv_param *p = srv_request_get(req, specs[i].name);
    if (specs[i].required && (!p || p->value_len == 0))
      return srv_failf(f, 400, CDX_INVALID, specs[i].name, CDX_NO_OFFSET, "%s needs parameter '%s'",
                       req->path, specs[i].name);
  }
  return CDX_OK;
}

/* Appends s to the query under construction, recording the piece. */
static bool put_piece(srv_query *q, size_t *len, size_t cap, const char *param, const char *pre,
                      const char *value, const char *post) {
  size_t a = strlen(pre), b = strlen(value), c = strlen(post);
  if (*len + 1 + a + b + c + 1 > cap) return false;
  if (*len) q->text[(*len)++] = ' ';
  srv_query_piece *pc = &q->pieces[q->n_pieces++];
  pc->param = param;
  pc->start = *len;
  pc->skip = a;
  memcpy(q->text + *len, pre, a);
  memcpy(q->text + *len + a, value, b);
  memcpy(q->text + *len + a + b, post, c);
  *len += a + b + c;
  pc->end = *len;
  q->text[*len] = '\0';
  return true;
}

/* Checks one piece of the query alone (q, or FIELD:VALUE of a filter), so
 * that an error is told against its parameter with the parser's own
 * message and an offset into the parameter's value. */
static int check_piece(const char *text, const char *param, size_t skip, srv_fail *f) {
  char *d = NULL;
  cdx_error err;
  if (cdx_query_describe(text, &d, &err) == CDX_OK) {
    cdx_free(d);
    return CDX_OK;
  }
  int rc = srv_fail_from(f, &err, param);
  if (err.offset != CDX_NO_OFFSET) f->err.offset = err.offset < skip ? 0 : err.offset - skip;
  /* "query syntax error at byte N: why" counts bytes of FIELD:VALUE; the
   * offset member counts them in the value. */
  const char *why = skip ? strstr(err.message, ": ") : NULL;
  if (why) snprintf(f->err.message, sizeof f->err.message, "parameter '%s': %s", param, why + 2);
  return rc;
}

int srv_params_query(const srv_param_spec *specs, size_t n, const srv_request *req, const char *q,
                     srv_query *out, srv_fail *f) {
  memset(out, 0, sizeof *out);
  /* Each piece: its value, the field name, a colon, parentheses, a space. */
  size_t cap = 4, len = 0, n_filters = 0;
  for (size_t i = 0; i < req->n_params; i++) cap += req->params[i].value_len + 40;
  for (size_t i = 0; i < n; i++) {
    const srv_param *p = specs[i].kind == SRV_FILTER ? srv_request_get(req, specs[i].name) : NULL;
    n_filters += p && p->value_len > 0;
  }
  out->text = malloc(cap);
  if (!out->text) return srv_fail_nomem(f);
  out->text[0] = '\0';
  bool ok = true;
  int rc = CDX_OK;
  if (q && *q && (rc = check_piece(q, "q", 0, f)) != CDX_OK) goto fail;
  /* With filters, q is grouped so that an OR inside it does not swallow
   * them; alone it is sent as it is. */
  if (q && *q) ok = put_piece(out, &len, cap, "q", n_filters ? "(" : "", q, n_filters ? ")" : "");
  for (size_t i = 0; i < n && ok; i++) {
    if (specs[i].kind != SRV_FILTER) continue;
    const srv_param *p = srv_request_get(req, specs[i].name);
    if (!p || p->value_len == 0) continue;
    size_t bad = strcspn(p->value, " \t\r\n()\"");
    /* (U+3000, the ideographic space, separates words too) */
    if (bad < p->value_len || strstr(p->value, "\xe3\x80\x80")) {
      rc = srv_failf(f, 400, CDX_SYNTAX, specs[i].name, bad < p->value_len ? bad : CDX_NO_OFFSET,
                     "parameter '%s' is one filter value: no spaces, parentheses or quotes",
                     specs[i].name);
      goto fail;
    }
    char pre[40];
    snprintf(pre, sizeof pre, "%s:", specs[i].field);
    size_t at = len ? len + 1 : 0;
    ok = put_piece(out, &len, cap, specs[i].name, pre, p->value, "");
    if (ok && (rc = check_piece(out->text + at, specs[i].name, strlen(pre), f)) != CDX_OK)
      goto fail;
  }
  if (!ok) {
    rc = srv_failf(f, 400, CDX_LIMIT, NULL, CDX_NO_OFFSET, "query too long");
    goto fail;
  }
  if (len == 0) {
    free(out->text);
    out->text = NULL;
  }
  return CDX_OK;
fail:
  free(out->text);
  out->text = NULL;
  return rc;
}

int srv_params_query_error(const srv_query *q, const cdx_error *err, srv_fail *f) {
  int rc = srv_fail_from(f, err, "q");
  if (err->offset == CDX_NO_OFFSET) return rc;
  for (size_t i = 0; i < q->n_pieces; i++) {
    const srv_query_piece *p = &q->pieces[i];
    if (err->offset < p->start || err->offset > p->end) continue;
    size_t in = err->offset - p->start;
    f->err.offset = in < p->skip ? 0 : in - p->skip;
    snprintf(f->param, sizeof f->param, "%s", p->param);
    return rc;
  }
  return rc;
}
