/* names.c - the names the indexer gives things: segment and deletion file
 * names, the hash of ids and terms, and the
 * doc: term of a document number. Every file of the indexer that writes or
 * finds these uses this one file, which uses none of them. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "indexer/ix_internal.h"

void cdx_seg_file_name(char *out, size_t cap, uint32_t seg_no) {
  snprintf(out, cap, "seg-%08u.cdx", seg_no);
}

void cdx_del_file_name(char *out, size_t cap, uint32_t seg_no, uint32_t gen) {
  snprintf(out, cap, "seg-%08u-%u.del", seg_no, gen);
}

uint64_t cdx_ix_hash(const void *p, size_t n, uint64_t h) {
  const uint8_t *s = p;
  for (size_t i = 0; i < n; i++) {
    h ^= s[i];
    h *= 0x100000001b3ULL;
  }
  return h;
}

int cdx_ix_doc_number_term(const char *number, size_t len, char **out, size_t *out_len,
                           cdx_error *err) {
  *out = NULL;
  char *folded;
  size_t flen;
  int rc = cdx_fold_text(number, len, &folded, &flen, err);
  if (rc != CDX_OK) return rc;
  char *t = malloc(flen + 2);
  if (!t) {
    cdx_free(folded);
    return cdx_err_set(err, CDX_NOMEM, CDX_NO_OFFSET, "out of memory");
  }
  size_t n = 0;
  t[n++] = CDX_IX_FIELD_DOCNUM;
  for (size_t i = 0; i < flen;) {
    size_t at = i;
    int32_t cp = cdx_utf8_decode(folded, flen, &i);
    if (cp < 0) {
      i = at + 1;
      continue;
    }
    /* white space (ASCII, NBSP, ideographic space) is layout, not number */
    if (cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r' || cp == 0xA0 || cp == 0x3000) continue;
    memcpy(t + n, folded + at, i - at);
    n += i - at;
  }
  t[n] = 0;
  cdx_free(folded);
  if (n == 1) {
    free(t);
    return cdx_err_set(err, CDX_INVALID, CDX_NO_OFFSET, "empty document number");
  }
  *out = t;
  *out_len = n;
  return CDX_OK;
}
