/* Naming a document: what a user types for `diff A B` or a citation. */
#include <stdlib.h>
#include <string.h>
#include "clausedex/analyzer.h"
#include "clausedex/index.h"
#include "clausedex/search.h"
#include "common/common.h"
#include "indexer/index_reader.h"

static const char *base_name(const char *p) {
  const char *s = strrchr(p, '/');
  return s ? s + 1 : p;
}

/* A document number folded and with its year brackets in one spelling:
 * 温政发〔2025〕2号, 温政发[2025]2号, 温政发（2025）2号 and 温政发(２０２５)2号
 * are one number. NULL when it cannot be folded. */
static char *number_key(const char *s) {
  char *f = NULL;
  size_t n = 0;
  cdx_error e;
  if (cdx_fold_text(s, strlen(s), &f, &n, &e) != CDX_OK) return NULL;
  static const char *const open[] = {"〔", "［", "【", "(", "[", "〖", "﹝"};
  static const char *const close[] = {"〕", "］", "】", ")", "]", "〗", "﹞"};
  char *out = malloc(n + 1);
  if (!out) { cdx_free(f); return NULL; }
  size_t o = 0;
  for (size_t i = 0; i < n;) {
    size_t len = 0;
    char rep = 0;
    for (size_t k = 0; k < sizeof open / sizeof *open && !rep; k++) {
      size_t lo = strlen(open[k]), lc = strlen(close[k]);
      if (strncmp(f + i, open[k], lo) == 0) { rep = '['; len = lo; }
      else if (strncmp(f + i, close[k], lc) == 0) { rep = ']'; len = lc; }
    }
    if (rep) { out[o++] = rep; i += len; }
    else if (f[i] == ' ' || f[i] == '\t') i++;
    else out[o++] = f[i++];
  }
  out[o] = '\0';
  cdx_free(f);
  return out;
}

typedef enum { BY_NAME, BY_NUMBER, BY_PREFIX, N_RULES } rule;

static bool matches(rule r, const cdx_index_doc *d, const char *ref, const char *ref_key) {
  switch (r) {
  case BY_NAME: return strcmp(base_name(d->id), ref) == 0;
  case BY_NUMBER: {
    if (!d->doc_number || !ref_key) return false;
    char *k = number_key(d->doc_number);
    bool same = k && strcmp(k, ref_key) == 0;
    free(k);
    return same;
  }
  case BY_PREFIX: return strncmp(base_name(d->id), ref, strlen(ref)) == 0;
  default: return false;
  }
}

int cdx_index_resolve_doc(const cdx_index *ix, const char *ref, const char **doc_id, cdx_error *err) {
  *doc_id = NULL;
  if (!ix || !ref || !*ref) return cdx_err_set(err, CDX_INVALID, CDX_NO_OFFSET, "no document named");
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
  char *key = number_key(ref);
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
    if (hits == 1) { *doc_id = found[0]; break; }
    rc = cdx_err_set(err, CDX_INVALID, CDX_NO_OFFSET, "'%s' names %zu documents: %s, %s%s%s", ref, hits,
                     base_name(found[0]), base_name(found[1]), hits > 2 ? ", " : "",
                     hits > 2 ? base_name(found[2]) : "");
  }
  free(key);
  if (rc == CDX_OK && !*doc_id) rc = cdx_err_set(err, CDX_NOTFOUND, CDX_NO_OFFSET, "no document '%s' in the index", ref);
  return rc;
}
