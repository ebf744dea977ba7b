/* JSON string output. Every JSON the library emits goes through here, so the
 * output stays valid even when the text behind it is not. */
#include <string.h>
#include "common/common.h"

/* Bytes that need no escape are appended a run at a time: a byte at a
 * time, the ten hits' texts were most of a search answer's JSON. */
void cdx_json_str(int *rc, cdx_buf *b, const char *s, size_t n) {
  static const char hex[] = "0123456789abcdef";
  cdx_buf_putc(rc, b, '"');
  size_t i = 0, run = 0; /* s[run, i) is still to be appended as it is */
  while (i < n && *rc == CDX_OK) {
    unsigned char c = (unsigned char)s[i];
    if (c >= 0x80) {
      size_t start = i;
      if (cdx_utf8_decode(s, n, &i) < 0) {
        cdx_buf_append(rc, b, s + run, start - run);
        cdx_buf_puts(rc, b, "\xef\xbf\xbd");
        i = run = start + 1;
      }
      continue;
    }
    if (c >= 0x20 && c != '"' && c != '\\') {
      i++;
      continue;
    }
    cdx_buf_append(rc, b, s + run, i - run);
    i = run = i + 1;
    switch (c) {
      case '"': cdx_buf_puts(rc, b, "\\\""); break;
      case '\\': cdx_buf_puts(rc, b, "\\\\"); break;
      case '\n': cdx_buf_puts(rc, b, "\\n"); break;
      case '\r': cdx_buf_puts(rc, b, "\\r"); break;
      case '\t': cdx_buf_puts(rc, b, "\\t"); break;
      default: {
        char esc[6] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15]};
        cdx_buf_append(rc, b, esc, 6);
      }
    }
  }
  cdx_buf_append(rc, b, s + run, (i < n ? i : n) - run);
  cdx_buf_putc(rc, b, '"');
}

void cdx_json_cstr(int *rc, cdx_buf *b, const char *s) {
  if (!s) cdx_buf_puts(rc, b, "null");
  else cdx_json_str(rc, b, s, strlen(s));
}

void cdx_json_member(int *rc, cdx_buf *b, const char *name, const char *s) {
  cdx_buf_puts(rc, b, name);
  cdx_json_cstr(rc, b, s);
}

int cdx_json_start(const void *obj, char **out, const char *fn, cdx_buf *b, cdx_error *err) {
  cdx_buf_init(b);
  if (!obj || !out) return cdx_err_set(err, CDX_INVALID, CDX_NO_OFFSET, "%s: NULL argument", fn);
  return CDX_OK;
}

int cdx_json_finish(int rc, cdx_buf *b, char **out, size_t *out_len, cdx_error *err) {
  cdx_buf_str(&rc, b);
  if (rc) {
    cdx_buf_free(b);
    return cdx_err_set(err, CDX_NOMEM, CDX_NO_OFFSET, "out of memory writing JSON");
  }
  *out = cdx_buf_detach(b, out_len);
  return CDX_OK;
}
