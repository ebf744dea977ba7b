/* facts/: what the department files share (depts.h is the interface). */
#ifndef CDX_FACTS_DEPT_INTERNAL_H
#define CDX_FACTS_DEPT_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "facts/depts.h"

/* The compiled-in facts/dept_aliases.tsv (generated from it at build time by
 * facts/embed_tsv.cmake): its bytes, not NUL-terminated. */
extern const unsigned char cdx_dept_builtin_tsv[]; /* unsigned: the bytes are
                                                 written as 0xNN */
extern const size_t cdx_dept_builtin_tsv_len;

/* The canonical name t maps the folded name s[0..n) to, with its length in
 * *clen; NULL when t does not know s (or t is NULL). */
const char *cdx_dept_lookup(const cdx_dept_table *t, const char *s, size_t n, size_t *clen);

#endif
