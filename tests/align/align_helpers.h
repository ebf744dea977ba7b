/* Helpers of the alignment tests: an index of constructed documents, and
 * finding pairs in an alignment. */
#ifndef CDX_TEST_ALIGN_HELPERS_H
#define CDX_TEST_ALIGN_HELPERS_H

#include <stdbool.h>
#include "clausedex.h"

/* Writes each text as NAME into a fresh directory and indexes them all;
 * returns the index directory (malloc'ed; the parent holds the sources:
 * remove it with al_index_free). names/texts have n entries. */
char *al_index(const char *const *names, const char *const *texts, size_t n);
void al_index_free(char *dir);

/* Aligns documents a and b of the index at dir; asserts success. */
cdx_alignment *al_align(const char *dir, const char *a, const char *b, cdx_index **ix);

/* The pair whose A (side 0) or B (side 1) unit has this clause number as
 * written, or NULL. */
const cdx_align_pair *al_pair_by_number(const cdx_alignment *al, int side, const char *number);

/* Number of pairs with that relation. */
size_t al_count(const cdx_alignment *al, cdx_relation rel);

/* Replaces every occurrence of the UTF-8 strings from[i] with to[i] (n
 * pairs) in s; returns a malloc'ed copy. */
char *al_replace(const char *s, const char *const *from, const char *const *to, size_t n);

/* Checks the edits of every pair tile both texts: EQUAL and INSERT ranges
 * of B, in order, are B's text from its body's first byte to its end; the
 * same with DELETE for A. */
void al_check_edits(const cdx_alignment *al);

#endif
