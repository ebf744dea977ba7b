/* Brute-force oracle for the query tests: every live unit's folded text and
 * metadata, and the set comparison of search results against it. */
#ifndef CDX_TEST_QUERY_ORACLE_H
#define CDX_TEST_QUERY_ORACLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "clausedex.h"

typedef struct oracle_unit {
  char *doc; /* document id */
  int ordinal;
  char *folded; /* cdx_fold_text of the unit text */
  size_t folded_len;
  uint32_t jurisdiction_code;
  cdx_doc_status status;
  cdx_unit_kind kind;
  bool latest;
} oracle_unit;

typedef struct oracle {
  oracle_unit *u;
  size_t n;
} oracle;

/* Indexes the five seeds into a fresh directory (returned, malloc'ed) through
 * the public writer API; NULL when the seeds are missing (test skipped). */
char *oracle_index_seeds(void);
/* oracle_index_seeds, opened into *ix; NULL (and *ix NULL) when the seeds are missing. */
char *oracle_open_seeds(cdx_index **ix);
/* Removes what oracle_index_seeds made (the index and the temporary directory around it)
 * and frees dir; NULL does nothing. */
void oracle_remove_seeds(char *dir);
/* Calls fn with every live unit of ix (as `show` gives them) and its document. */
typedef void (*oracle_unit_fn)(const cdx_index_doc *d, const cdx_hit *h, void *ctx);
void oracle_each_unit(const cdx_index *ix, oracle_unit_fn fn, void *ctx);
/* Reads every live unit of ix. */
void oracle_load(oracle *o, const cdx_index *ix);
void oracle_free(oracle *o);

/* Units (indices into o->u) matching a predicate on the folded text; the
 * result is a sorted, malloc'ed array of "doc\x1fordinal" keys. */
typedef bool (*oracle_pred)(const oracle_unit *u, void *ctx);
char **oracle_select(const oracle *o, oracle_pred pred, void *ctx, size_t *n);
/* Keys of every hit of a search with all = 1; asserts success. */
char **oracle_search(const cdx_index *ix, const char *query, int latest, size_t *n, size_t *total);
void oracle_keys_free(char **k, size_t n);
/* Picks a random substring of 2..12 characters of a unit's folded text that
 * is a single query word (no spaces or operators) and does not cut a Latin
 * or digit token; writes it to out (NUL-terminated). False if none found. */
bool oracle_random_word(const oracle *o, unsigned *seed, char *out, size_t cap, size_t *unit);
/* The same with a length of min_chars..max_chars characters (min_chars >= 1). */
bool oracle_random_word_len(const oracle *o, unsigned *seed, size_t min_chars, size_t max_chars,
                            char *out, size_t cap, size_t *unit);

/* Substring test with the analyzer's whole-token rule for Latin words and
 * numbers: an occurrence of "企业9" inside "企业990" does not count. */
bool oracle_contains(const char *text, size_t n, const char *word);

#endif
