/* The per-document pool and small UTF-8 string helpers shared by the stages. */
#define _GNU_SOURCE /* memrchr */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "corpus/corpus.h"

/* A document keeps a few strings per unit (number, heading, responsible
 * units): carving them from 4 KiB chunks saves a malloc and a free each. */
#define POOL_CHUNK 4096
#define POOL_SMALL 256 /* longer strings get a block of their own */

void cdx_pool_free(cdx_pool *p) {
  for (size_t i = 0; i < p->n; i++) free(p->items[i]);
  free(p->items);
  p->items = NULL;
  p->n = p->cap = 0;
  p->chunk = NULL;
  p->chunk_left = 0;
}

void *cdx_pool_keep(cdx_pool *p, void *ptr) {
  if (!ptr) return NULL;
  if (CDX_GROW(p->items, p->cap, p->n + 1, 64) != CDX_OK) {
    free(ptr);
    return NULL;
  }
  p->items[p->n++] = ptr;
  return ptr;
}

/* size bytes (< POOL_SMALL) from the current chunk at a multiple of align,
 * or from a new chunk; NULL when out of memory. */
static void *carve(cdx_pool *p, size_t size, size_t align) {
  size_t pad = (align - (uintptr_t)p->chunk % align) % align;
  if (!p->chunk || pad + size > p->chunk_left) {
    char *c = cdx_pool_keep(p, malloc(POOL_CHUNK));
    if (!c) return NULL;
    p->chunk = c;
    p->chunk_left = POOL_CHUNK;
    pad = 0; /* malloc's alignment suits everything */
  }
  void *d = p->chunk + pad;
  p->chunk += pad + size;
  p->chunk_left -= pad + size;
  return d;
}

char *cdx_pool_strndup(cdx_pool *p, const char *s, size_t n) {
  char *d = n < POOL_SMALL ? carve(p, n + 1, 1) : cdx_pool_keep(p, malloc(n + 1));
  if (!d) return NULL;
  memcpy(d, s, n);
  d[n] = '\0';
  return d;
}

char *cdx_pool_strdup(cdx_pool *p, const char *s) { return cdx_pool_strndup(p, s, strlen(s)); }

void *cdx_pool_calloc(cdx_pool *p, size_t n, size_t size) {
  if (n == 0) n = 1;
  if (size == 0) size = 1;
  /* small arrays (a clause's responsible units) come from the chunks too */
  if (n < POOL_SMALL && size < POOL_SMALL && n * size < POOL_SMALL) {
    void *d = carve(p, n * size, _Alignof(max_align_t));
    if (d) memset(d, 0, n * size);
    return d;
  }
  return cdx_pool_keep(p, calloc(n, size));
}

/* The needles are a few bytes: a loop, not a memcmp call per candidate. */
static inline bool same_bytes(const char *a, const char *b, size_t k) {
  for (size_t i = 0; i < k; i++)
    if (a[i] != b[i]) return false;
  return true;
}

const char *cdx_memmem_n(const char *s, size_t n, const char *needle, size_t nn) {
  if (nn == 0) return s;
  if (nn > n) return NULL;
  /* The needles are a few characters, most searches stop early (a clause's
   * first 。) or run over short texts, and glibc's memmem first builds a
   * 256-entry shift table. Here: the places of the needle's last byte (for a
   * UTF-8 needle a continuation byte, far rarer than the lead bytes of
   * Chinese text) found with memchr, then a compare of the rest. */
  unsigned char last = (unsigned char)needle[nn - 1];
  const char *p = s + nn - 1, *end = s + n;
  while ((p = memchr(p, last, (size_t)(end - p))) != NULL) {
    if (same_bytes(p - (nn - 1), needle, nn - 1)) return p - (nn - 1);
    p++;
  }
  return NULL;
}

const char *cdx_memrmem_n(const char *s, size_t n, const char *needle, size_t nn) {
  if (nn == 0) return s + n;
  if (nn > n) return NULL;
  /* From the end, by the needle's last byte as above: 责任单位 starts with
   * E8, the lead byte of a sixteenth of all Han characters. */
  unsigned char last = (unsigned char)needle[nn - 1];
  size_t lim = n; /* the last byte of a match lies in [nn - 1, lim) */
  while (lim >= nn) {
    const char *p = memrchr(s + nn - 1, last, lim - (nn - 1));
    if (!p) return NULL;
    if (same_bytes(p - (nn - 1), needle, nn - 1)) return p - (nn - 1);
    lim = (size_t)(p - s);
  }
  return NULL;
}

static size_t space_at(const char *s, size_t n) {
  if (n >= 1 && (s[0] == ' ' || s[0] == '\t' || s[0] == '\f' || s[0] == '\v' || s[0] == '\n'))
    return 1;
  if (n >= 3 && memcmp(s, "\xe3\x80\x80", 3) == 0) return 3; /* U+3000 */
  if (n >= 2 && memcmp(s, "\xc2\xa0", 2) == 0) return 2;     /* U+00A0 */
  if (n >= 3 && memcmp(s, "\xef\xbb\xbf", 3) == 0) return 3; /* stray BOM */
  return 0;
}

static size_t space_before(const char *s, size_t n) {
  if (n >= 1 && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\f' || s[n - 1] == '\v' ||
                 s[n - 1] == '\n'))
    return 1;
  if (n >= 3 && memcmp(s + n - 3, "\xe3\x80\x80", 3) == 0) return 3;
  if (n >= 2 && memcmp(s + n - 2, "\xc2\xa0", 2) == 0) return 2;
  return 0;
}

void cdx_trim(const char **s, size_t *n) {
  size_t k;
  while (*n && (k = space_at(*s, *n)) > 0) {
    *s += k;
    *n -= k;
  }
  while (*n && (k = space_before(*s, *n)) > 0) *n -= k;
}
