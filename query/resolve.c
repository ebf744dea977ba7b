/* Naming a document: what a user types for `diff A B` or a citation. */
#include <stdlib.h>
#include <string.h>
#include "clausedex/analyzer.h"
#include "clausedex/index.h"
#include "clausedex/search.h"
#include "common/common.h"
#include "families/families.h"
#include "indexer/index_reader.h"

static const char *base_name(const char *p) {
  const char *s = strrchr(p, '/');
  return s ? s + 1 : p;
}

typedef enum { BY_NAME, BY_NUMBER, BY_SHORT_ID, BY_PREFIX, N_RULES } rule;

static bool matches(rule r, const cdx_index_doc *d, const char *ref, const char *ref_key) {
  switch (r) {
    case BY_NAME: return strcmp(base_name(d->id), ref) == 0;
    case BY_NUMBER: {
      if (!d->doc_number || !ref_key) return false;
      char *k = cdx_fam_number_key(d->doc_number);
      bool same = k && strcmp(k, ref_key) == 0;
      free(k);
      return same;
    }
    case BY_SHORT_ID: {
      /* d1a2b3c4d: a document without a 文号 named without its path */
      char id[10];
      cdx_fam_short_id(d->id, id);
      return strcmp(id, ref) == 0;
    }
    case BY_PREFIX: return strncmp(base_name(d->id), ref, strlen(ref)) == 0;
    default: return false;
  }
}

int cdx_index_resolve_doc(const cdx_index *ix, const char *ref, const char **doc_id,
                          cdx_error *err) {
  *doc_id = NULL;
  if (!ix || !ref || !*ref)
    return cdx_err_set(err, CDX_INVALID, CDX_NO_OFFSET, "no document named");
  /* An exact id is one hash lookup, so callers that already hold an id
   * (diff, similar, coverage) pay nothing for naming. */
  size_t seg = 0;
  uint32_t di = 0;
  if (cdx_ix_find_doc(ix, ref, &seg, &di)) {
    cdx_ix_doc_fields f;
    int rc = cdx_ix_doc_fields_get(ix, seg, di, &f, err);
    if (rc) return rc;
    *doc_id = f.id;
    return CDX_OK;
  }
  char *key = cdx_fam_number_key(ref);
  size_t nd = cdx_index_doc_count(ix);
  int rc = CDX_OK;
  /* The rules from the most to the least exact; the first that matches
   * anything decides, and it must match exactly one document. */
  for (rule r = BY_NAME; r < N_RULES && rc == CDX_OK; r++) {
    const char *found[3] = {0};
    size_t hits = 0;
    for (size_t i = 0; i < nd && rc == CDX_OK; i++) {
      cdx_index_doc d;
      rc = cdx_index_doc_get(ix, i, &d, err);
      if (rc || !matches(r, &d, ref, key)) continue;
      if (hits < 3) found[hits] = d.id;
      hits++;
    }
    if (rc || hits == 0) continue;
    if (hits == 1) {
      *doc_id = found[0];
      break;
    }
    rc = cdx_err_set(err, CDX_INVALID, CDX_NO_OFFSET, "'%s' names %zu documents: %s, %s%s%s", ref,
                     hits, base_name(found[0]), base_name(found[1]), hits > 2 ? ", " : "",
                     hits > 2 ? base_name(found[2]) : "");
  }
  free(key);
  if (rc == CDX_OK && !*doc_id)
    rc = cdx_err_set(err, CDX_NOTFOUND, CDX_NO_OFFSET, "no document '%s' in the index", ref);
  return rc;
}
