/*
 * facts/: canonical names of departments (responsible units). A unit as a
 * document writes it (市发改局, 乐清市发展和改革局, 溫州市發展改革委,
 * 人行乐清营管部, 市委组织部〈市委人才办〉) becomes one jurisdiction-free name
 * (发展和改革局, 人民银行, 党委组织部（党委人才办）), so the indexer, the query
 * engine and the clause aligner compare bodies, not spellings. Pure text:
 * libc and common/ only. The rules and the decisions behind the alias table
 * are in docs/FACTS.md, "Departments"; the table is data,
 * facts/dept_aliases.tsv, compiled in and extendable by a user file.
 *
 * Splitting a 责任单位 list into units is the document reader's job
 * (cdx_unit_view.responsible); these functions take one unit.
 */
#ifndef CDX_FACTS_DEPTS_H
#define CDX_FACTS_DEPTS_H

#include <stddef.h>
#include "clausedex/errors.h"

/* Longest name, in bytes, that the functions below accept (input and each
 * intermediate form); a longer one is CDX_LIMIT. Responsible units in the
 * seeds are at most 48 bytes. */
#define CDX_DEPT_NAME_MAX 255
/* Most places cdx_dept_canonical takes (a jurisdiction and its parents). */
#define CDX_DEPT_PLACES_MAX 16

/* Alias table: folded alias -> canonical name. Read-only once built, so one
 * table may serve any number of threads calling cdx_dept_canonical. */
typedef struct cdx_dept_table cdx_dept_table;

/*
 * Builds the table of facts/dept_aliases.tsv (compiled in). *out is owned
 * by the caller (cdx_dept_table_free), NULL on failure.
 * Errors: CDX_NOMEM; CDX_INVALID if the compiled-in table is malformed (the
 * message names facts/dept_aliases.tsv:LINE; the tests make sure it is not).
 */
int cdx_dept_table_new(cdx_dept_table **out, cdx_error *err);

/*
 * Merges a user file of the same format over t: its lines win over the
 * entries already in t (a canonical name it gives is a name of its own, even
 * if t mapped it elsewhere). All or nothing: on failure t is unchanged.
 * Errors: CDX_NOTFOUND, CDX_IO (naming path); CDX_INVALID "PATH:LINE: ..."
 * for a malformed line, an empty field, a name longer than
 * CDX_DEPT_NAME_MAX, an alias given twice in the file, or a name that is
 * both an alias and a canonical name in the file; CDX_ENCODING (invalid
 * UTF-8, also naming PATH:LINE); CDX_NOMEM.
 */
int cdx_dept_table_load(cdx_dept_table *t, const char *path, cdx_error *err);

/* The same for a file's bytes in memory; `name` stands for the path in
 * messages. data need not be NUL-terminated. */
int cdx_dept_table_load_buffer(cdx_dept_table *t, const char *name, const char *data, size_t len,
                               cdx_error *err);

/* The compiled-in table, built once per process on first use (thread-safe)
 * and never freed; NULL if it could not be built (out of memory). */
const cdx_dept_table *cdx_dept_table_builtin(void);

/* Number of distinct names (aliases and canonical names) t knows. */
size_t cdx_dept_table_size(const cdx_dept_table *t);

/* Accepts NULL. */
void cdx_dept_table_free(cdx_dept_table *t);

/*
 * Writes the canonical name of the unit name[0..len) into out (cap bytes,
 * NUL-terminated) and its length into *out_len (may be NULL).
 *
 * places[0..n_places) are the document's place names, Simplified, with their
 * level suffix (its jurisdiction and parents: "乐清市", "温州市", "浙江省");
 * they are taken off the front of the name, as are a bare 省/市/区/县, and
 * their short forms (乐清, 温州) when what remains is a name t knows. No
 * places (NULL, 0) is fine: the query engine canonicalises a user's dept:
 * words that way. t may be NULL: folding and prefixes only, no aliases.
 *
 * A name no rule or alias applies to comes back folded and otherwise as
 * written (浙能乐清发电有限责任公司 -> itself). Never allocates; reads t only.
 * Errors: CDX_INVALID (NULL name with len > 0, NULL out or cap 0, a NULL
 * place), CDX_ENCODING (invalid UTF-8, offset set), CDX_LIMIT (the name is
 * longer than CDX_DEPT_NAME_MAX, more than CDX_DEPT_PLACES_MAX places, or
 * the result does not fit in cap: CDX_DEPT_NAME_MAX + 1 bytes do for any
 * name the table knows; a name with a bracketed note may need twice that).
 */
int cdx_dept_canonical(const cdx_dept_table *t, const char *const *places, size_t n_places,
                       const char *name, size_t len, char *out, size_t cap, size_t *out_len,
                       cdx_error *err);

/* Appends {"written","canonical","roles":[...]} to b; roles are the bits
 * of enum cdx_dept_role (clausedex/search.h): listed, lead, chapter_lead,
 * shared. The one writer of department JSON (hits, parse). */
struct cdx_buf;
void cdx_dept_json(int *rc, struct cdx_buf *b, const char *written, const char *canonical,
                   unsigned roles);

/*
 * The folding step alone (what the table applies to its own entries):
 * Traditional -> Simplified for the characters of department names,
 * full-width ASCII to ASCII, every bracket pair (（） () 〈〉 <> 【】 [] ［］
 * 〔〕) as （）, white space removed. Writes into out (cap bytes,
 * NUL-terminated); errors as cdx_dept_canonical. Never allocates.
 */
int cdx_dept_fold(const char *name, size_t len, char *out, size_t cap, size_t *out_len,
                  cdx_error *err);

#endif
