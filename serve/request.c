/* request.c - the request target (path?query) into a path and parameters.
 *
 * Our own parser, not libmicrohttpd's argument table: that one decodes %00
 * into a truncated string and keeps the last of repeated names, so "q=a%00b"
 * and "n=1&n=100" would mean something else than they say. Here every
 * decoded byte is kept and checked, and the rules are one function the fuzz
 * target (fuzz/fuzz_serve_request.c) drives directly. */
#include <assert.h>
#include <stdlib.h>
#include <string.h>
#include "serve/serve.h"

static int hexval(unsigned char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

/* Decodes s[0..n) into out (room for n + 1 bytes), NUL-terminated; '+' is a
 * space only in the query part. Returns the decoded length, or SIZE_MAX
 * with *bad the offset in s of a malformed escape. */
static size_t decode(const char *s, size_t n, bool plus_space, char *out, size_t *bad) {
  size_t o = 0;
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)s[i];
    if (c == '%') {
      if (i + 2 >= n || hexval((unsigned char)s[i + 1]) < 0 ||
          hexval((unsigned char)s[i + 2]) < 0) {
        *bad = i;
        return SIZE_MAX;
      }
      out[o++] = (char)(hexval((unsigned char)s[i + 1]) << 4 | hexval((unsigned char)s[i + 2]));
      i += 2;
    } else {
      out[o++] = plus_space && c == '+' ? ' ' : (char)c;
    }
  }
  out[o] = '\0';
  return o;
}

/* A decoded piece must be text: no NUL or other C0 control but tab and
 * line ends, valid UTF-8. Returns true, or false with *at the bad byte. */
static bool is_text(const char *s, size_t n, size_t *at) {
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)s[i];
    if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7F) {
      *at = i;
      return false;
    }
  }
  size_t bad = cdx_utf8_find_invalid(s, n);
  if (bad != CDX_NO_OFFSET) {
    *at = bad;
    return false;
  }
  return true;
}

void srv_request_free(srv_request *req) {
  free(req->buf);
  memset(req, 0, sizeof *req);
}

const srv_param *srv_request_get(const srv_request *req, const char *name) {
  for (size_t i = 0; i < req->n_params; i++)
    if (strcmp(req->params[i].name, name) == 0) return &req->params[i];
  return NULL;
}

int srv_request_parse(const char *uri, size_t len, srv_request *req, srv_fail *f) {
  memset(req, 0, sizeof *req);
  if (len > SRV_MAX_URI)
    return srv_failf(f, 414, CDX_LIMIT, NULL, CDX_NO_OFFSET,
                     "request target of %zu bytes; the limit is %d", len, SRV_MAX_URI);
  /* A fragment never reaches a server, but a raw client may send one. */
  const char *hash = memchr(uri, '#', len);
  if (hash) len = (size_t)(hash - uri);
  const char *qm = memchr(uri, '?', len);
  size_t path_len = qm ? (size_t)(qm - uri) : len;
  if (path_len == 0 || uri[0] != '/')
    return srv_failf(f, 400, CDX_INVALID, NULL, CDX_NO_OFFSET,
                     "the request target must start with '/'");
  /* Every decoded piece is at most as long as its source; +1 NUL each. */
  const size_t cap = len + SRV_MAX_PARAMS * 2 + 2;
  char *buf = malloc(cap);
  if (!buf) return srv_fail_nomem(f);
  req->buf = buf;
  size_t at = 0, bad = 0;
  size_t n = decode(uri, path_len, false, buf, &bad);
  if (n == SIZE_MAX) {
    srv_request_free(req);
    return srv_failf(f, 400, CDX_INVALID, NULL, bad, "malformed %%-escape in the path at byte %zu",
                     bad);
  }
  if (!is_text(buf, n, &bad)) {
    srv_request_free(req);
    return srv_failf(f, 400, CDX_ENCODING, NULL, bad, "the path is not valid UTF-8 text (byte %zu)",
                     bad);
  }
  req->path = buf;
  at = n + 1;
  const char *q = qm ? qm + 1 : uri + len, *end = uri + len;
  while (q < end) {
    const char *amp = memchr(q, '&', (size_t)(end - q));
    const char *stop = amp ? amp : end;
    if (stop > q) {
      const char *eq = memchr(q, '=', (size_t)(stop - q));
      const char *name_end = eq ? eq : stop;
      if (req->n_params == SRV_MAX_PARAMS) {
        srv_request_free(req);
        return srv_failf(f, 400, CDX_LIMIT, NULL, CDX_NO_OFFSET, "more than %d parameters",
                         SRV_MAX_PARAMS);
      }
      srv_param *p = &req->params[req->n_params];
      char *name = buf + at;
      size_t nl = decode(q, (size_t)(name_end - q), true, name, &bad);
      if (nl == SIZE_MAX || !is_text(name, nl, &bad) || nl == 0 || nl >= 32) {
        srv_request_free(req);
        return srv_failf(f, 400, CDX_INVALID, NULL, CDX_NO_OFFSET,
                         "malformed parameter name at byte %zu of the request target",
                         (size_t)(q - uri));
      }
      at += nl + 1;
      char *value = buf + at;
      size_t vl = eq ? decode(eq + 1, (size_t)(stop - eq - 1), true, value, &bad) : 0;
      if (!eq) value[0] = '\0';
      if (vl == SIZE_MAX) {
        srv_failf(f, 400, CDX_INVALID, name, bad, "malformed %%-escape in parameter '%s'", name);
        srv_request_free(req);
        return f->err.code;
      }
      p->name = name;
      /* Names are ASCII identifiers; anything else is refused by the
       * endpoint as unknown, so quoting it back is safe (valid UTF-8). */
      if (srv_request_get(req, name)) {
        srv_failf(f, 400, CDX_INVALID, name, CDX_NO_OFFSET, "parameter '%s' is given twice", name);
        srv_request_free(req);
        return f->err.code;
      }
      if (vl > SRV_MAX_VALUE) {
        srv_failf(f, 400, CDX_LIMIT, name, CDX_NO_OFFSET,
                  "parameter '%s' is %zu bytes; the limit is %d", name, vl, SRV_MAX_VALUE);
        srv_request_free(req);
        return f->err.code;
      }
      if (!is_text(value, vl, &bad)) {
        srv_failf(f, 400, CDX_ENCODING, name, bad,
                  "parameter '%s' is not valid UTF-8 text (byte %zu)", name, bad);
        srv_request_free(req);
        return f->err.code;
      }
      p->value = value;
      p->value_len = vl;
      at += vl + 1;
      assert(at <= cap);
      req->n_params++;
    }
    q = stop + 1;
  }
  return CDX_OK;
}
