/* unit_depts.c - a document's departments per unit, with their canonical
 * names (facts/depts.h) and roles, as the segment builder takes them
 * (cdx_ix_unit_in.depts). One entry per canonical name and unit: a body
 * written twice (or listed and leading its chapter) has its roles or-ed.
 */
#include <stdlib.h>
#include <string.h>
#include "facts/depts.h"
#include "indexer/ix_internal.h"

void cdx_ix_depts_init(cdx_ix_depts *s) {
  memset(s, 0, sizeof *s);
  cdx_buf_init(&s->names);
}

void cdx_ix_depts_free(cdx_ix_depts *s) {
  free(s->d);
  free(s->canon_off);
  cdx_buf_free(&s->names);
  cdx_ix_depts_init(s);
}

void cdx_ix_depts_reset(cdx_ix_depts *s) {
  s->n = 0;
  cdx_buf_reset(&s->names);
}

int cdx_ix_depts_put(cdx_ix_depts *s, const char *written, const char *canonical, unsigned roles,
                     cdx_error *err) {
  if (s->n == s->cap) {
    size_t nc = s->cap ? s->cap * 2 : 64;
    cdx_ix_dept_in *nd = realloc(s->d, nc * sizeof *nd);
    if (!nd) return cdx_err_set(err, CDX_NOMEM, CDX_NO_OFFSET, "out of memory");
    s->d = nd;
    size_t *no = realloc(s->canon_off, nc * sizeof *no);
    if (!no) return cdx_err_set(err, CDX_NOMEM, CDX_NO_OFFSET, "out of memory");
    s->canon_off = no;
    s->cap = nc;
  }
  int rc = CDX_OK;
  s->canon_off[s->n] = s->names.len;
  cdx_buf_append(&rc, &s->names, canonical, strlen(canonical) + 1);
  if (rc != CDX_OK) return cdx_err_set(err, CDX_NOMEM, CDX_NO_OFFSET, "out of memory");
  s->d[s->n++] = (cdx_ix_dept_in){written, NULL, roles};
  return CDX_OK;
}

int cdx_ix_depts_add(cdx_ix_depts *s, size_t first, const struct cdx_dept_table *t,
                     const char *const *places, size_t n_places, const char *const *names, size_t n,
                     unsigned roles_first, unsigned roles, cdx_error *err) {
  for (size_t i = 0; i < n; i++) {
    const char *w = names[i];
    if (!w || !*w) continue;
    char canon[2 * CDX_DEPT_NAME_MAX + 2];
    size_t clen;
    cdx_error e2;
    /* a name the canonicaliser refuses (too long, not UTF-8) stays as written */
    if (cdx_dept_canonical(t, places, n_places, w, strlen(w), canon, sizeof canon, &clen, &e2) !=
        CDX_OK) {
      clen = strlen(w) < sizeof canon - 1 ? strlen(w) : sizeof canon - 1;
      memcpy(canon, w, clen);
      canon[clen] = 0;
    }
    if (clen == 0) continue;
    unsigned r = roles | (i == 0 ? roles_first : 0);
    size_t k = first;
    for (; k < s->n; k++)
      if (strcmp(s->names.data + s->canon_off[k], canon) == 0) break;
    if (k < s->n) {
      s->d[k].roles |= r;
      continue;
    }
    int rc = cdx_ix_depts_put(s, w, canon, r, err);
    if (rc != CDX_OK) return rc;
  }
  return CDX_OK;
}

void cdx_ix_depts_finish(cdx_ix_depts *s) {
  for (size_t k = 0; k < s->n; k++) s->d[k].canonical = s->names.data + s->canon_off[k];
}
