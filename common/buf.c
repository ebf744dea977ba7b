/* Growable byte buffers and fixed-width/varint encoding (little-endian on disk). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "common/common.h"

void cdx_buf_init(cdx_buf *b) {
  b->data = NULL;
  b->len = b->cap = 0;
}

void cdx_buf_free(cdx_buf *b) {
  free(b->data);
  cdx_buf_init(b);
}

void cdx_buf_reset(cdx_buf *b) { b->len = 0; }

int cdx_buf_reserve(cdx_buf *b, size_t extra) {
  /* +1 keeps room for the NUL that cdx_buf_str adds. */
  if (extra > SIZE_MAX / 2 - b->len) return CDX_NOMEM;
  size_t need = b->len + extra + 1;
  if (need <= b->cap) return CDX_OK;
  size_t cap = b->cap ? b->cap : 64;
  while (cap < need) cap *= 2;
  char *p = realloc(b->data, cap);
  if (!p) return CDX_NOMEM;
  b->data = p;
  b->cap = cap;
  return CDX_OK;
}

void cdx_buf_append(int *rc, cdx_buf *b, const void *p, size_t n) {
  if (*rc != CDX_OK) return;
  if ((*rc = cdx_buf_reserve(b, n)) != CDX_OK) return;
  if (n) memcpy(b->data + b->len, p, n);
  b->len += n;
}

void cdx_buf_putc(int *rc, cdx_buf *b, char c) { cdx_buf_append(rc, b, &c, 1); }

void cdx_buf_puts(int *rc, cdx_buf *b, const char *s) { cdx_buf_append(rc, b, s, strlen(s)); }

void cdx_buf_printf(int *rc, cdx_buf *b, const char *fmt, ...) {
  if (*rc != CDX_OK) return;
  va_list ap;
  va_start(ap, fmt);
  va_list ap2;
  va_copy(ap2, ap);
  int n = vsnprintf(NULL, 0, fmt, ap);
  va_end(ap);
  if (n < 0) {
    *rc = CDX_INVALID;
    va_end(ap2);
    return;
  }
  if ((*rc = cdx_buf_reserve(b, (size_t)n)) == CDX_OK) {
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap2);
    b->len += (size_t)n;
  }
  va_end(ap2);
}

void cdx_buf_put_varint(int *rc, cdx_buf *b, uint64_t v) {
  uint8_t tmp[10];
  size_t n = 0;
  do {
    uint8_t byte = v & 0x7f;
    v >>= 7;
    tmp[n++] = byte | (v ? 0x80 : 0);
  } while (v);
  cdx_buf_append(rc, b, tmp, n);
}

void cdx_buf_put_uint(int *rc, cdx_buf *b, uint64_t v, int width) {
  char d[24];
  int n = 0;
  do {
    d[sizeof d - 1 - n++] = (char)('0' + v % 10);
    v /= 10;
  } while (v);
  while (n < width && n < (int)sizeof d) d[sizeof d - 1 - n++] = '0';
  cdx_buf_append(rc, b, d + sizeof d - n, (size_t)n);
}

void cdx_buf_put_int(int *rc, cdx_buf *b, int64_t v) {
  if (v < 0) cdx_buf_putc(rc, b, '-');
  cdx_buf_put_uint(rc, b, v < 0 ? 0 - (uint64_t)v : (uint64_t)v, 0);
}

void cdx_buf_put_u32le(int *rc, cdx_buf *b, uint32_t v) {
  uint8_t t[4] = {(uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16), (uint8_t)(v >> 24)};
  cdx_buf_append(rc, b, t, 4);
}

void cdx_buf_put_u64le(int *rc, cdx_buf *b, uint64_t v) {
  cdx_buf_put_u32le(rc, b, (uint32_t)v);
  cdx_buf_put_u32le(rc, b, (uint32_t)(v >> 32));
}

const char *cdx_buf_str(int *rc, cdx_buf *b) {
  if (*rc != CDX_OK) return NULL;
  if ((*rc = cdx_buf_reserve(b, 0)) != CDX_OK) return NULL;
  b->data[b->len] = '\0';
  return b->data;
}

char *cdx_buf_detach(cdx_buf *b, size_t *len) {
  int rc = CDX_OK;
  cdx_buf_str(&rc, b);
  if (rc != CDX_OK) return NULL;
  char *p = b->data;
  if (len) *len = b->len;
  cdx_buf_init(b);
  return p;
}

bool cdx_get_varint(const uint8_t **p, const uint8_t *end, uint64_t *v) {
  const uint8_t *q = *p;
  uint64_t x = 0;
  for (unsigned shift = 0; shift < 70; shift += 7) {
    if (q >= end) return false;
    uint8_t byte = *q++;
    if (shift == 63 && byte > 1) return false;
    x |= (uint64_t)(byte & 0x7f) << shift;
    if (!(byte & 0x80)) {
      *v = x;
      *p = q;
      return true;
    }
  }
  return false;
}

char *cdx_strdup_or_null(const char *s) {
  if (!s) return NULL;
  size_t n = strlen(s) + 1;
  char *d = malloc(n);
  if (d) memcpy(d, s, n);
  return d;
}
