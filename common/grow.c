/* grow.c - the one way an array of fixed-size elements makes room (common.h). */
#include <assert.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "common/common.h"

bool cdx_realloc_n(void *arr, size_t n, size_t elem) {
  assert(arr && elem > 0);
  if (n > SIZE_MAX / elem) return false;
  /* The caller's pointer is a `T *`, not a `void *`: memcpy is the aliasing-safe way to read
   * and write it as one. */
  void *old;
  memcpy(&old, arr, sizeof old);
  void *p = realloc(old, n * elem);
  if (!p) return false;
  memcpy(arr, &p, sizeof p);
  return true;
}

int cdx_grow(void *arr, size_t *cap, size_t need, size_t elem, size_t first) {
  assert(cap && first > 0);
  if (need <= *cap) return CDX_OK;
  size_t nc = *cap ? *cap : first;
  while (nc < need) {
    if (nc > SIZE_MAX / 2) return CDX_NOMEM;
    nc *= 2;
  }
  if (!cdx_realloc_n(arr, nc, elem)) return CDX_NOMEM;
  *cap = nc;
  return CDX_OK;
}
