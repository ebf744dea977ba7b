/*
 * Units' source_start/source_end: the unit's lines in the file as given.
 * For UTF-8 files the file's own bytes (BOM, CRLF and blank lines between),
 * for other encodings the decoded UTF-8 text.
 */
#define _POSIX_C_SOURCE 200809L
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>
#include <unicode/ucnv.h>
#include "clausedex.h"
#include "tests/support/test_support.h"

/* s[0..n) without white space, line ends and Word bookmarks. */
static char *squeeze(const char *s, size_t n) {
  char *o = malloc(n + 1);
  size_t w = 0;
  for (size_t i = 0; i < n; i++) {
    if (s[i] == '[' && n - i > 10 && memcmp(s + i, "[bookmark:", 10) == 0) {
      const char *e = memchr(s + i, ']', n - i);
      if (e) {
        i = (size_t)(e - s);
        continue;
      }
    }
    if (s[i] == ' ' || s[i] == '\n' || s[i] == '\r' || s[i] == '\t') continue;
    if (n - i >= 3 && memcmp(s + i, "\xe3\x80\x80", 3) == 0) {
      i += 2;
      continue;
    } /* U+3000 */
    o[w++] = s[i];
  }
  o[w] = '\0';
  return o;
}

static cdx_document *parse(const char *name, const char *b, size_t n) {
  cdx_document *doc = NULL;
  cdx_error err;
  cr_assert_eq(cdx_document_read_buffer(name, b, n, NULL, &doc, &err), CDX_OK, "%s", err.message);
  return doc;
}

/* Every unit's source range holds its text, white space and bookmarks aside. */
static void expect_ranges_hold_text(const cdx_document *doc, const char *src, size_t sn,
                                    const char *what) {
  size_t len;
  const char *text = cdx_document_get_text(doc, &len);
  for (size_t i = 0; i < cdx_document_unit_count(doc); i++) {
    const cdx_unit_view *u = cdx_document_get_unit(doc, i);
    cr_assert_leq(u->source_start, u->source_end);
    cr_assert_leq(u->source_end, sn, "%s unit %zu", what, i);
    char *a = squeeze(text + u->start, u->end - u->start);
    char *b = squeeze(src + u->source_start, u->source_end - u->source_start);
    cr_expect_str_eq(a, b, "%s unit %zu: %.40s / %.40s", what, i, a, b);
    free(a);
    free(b);
  }
}

Test(source, ranges_hold_the_units_of_undamaged_seeds) {
  static const int clean[] = {0, 1, 3, 4};
  for (size_t k = 0; k < 4; k++) {
    const char *p = cdx_test_seed_path(cdx_test_seed_names[clean[k]]);
    if (!p) return;
    size_t n;
    char *src = cdx_test_read(p, &n);
    cdx_document *doc = parse(p, src, n);
    expect_ranges_hold_text(doc, src, n, cdx_test_seed_names[clean[k]]);
    /* the same file with a BOM and CRLF line ends: the ranges follow */
    char *crlf = malloc(2 * n + 3);
    size_t w = 0;
    memcpy(crlf, "\xef\xbb\xbf", 3);
    w = 3;
    for (size_t i = 0; i < n; i++) {
      if (src[i] == '\n') crlf[w++] = '\r';
      crlf[w++] = src[i];
    }
    cdx_document *d2 = parse("crlf", crlf, w);
    expect_ranges_hold_text(d2, crlf, w, "CRLF");
    cdx_document_free(d2);
    free(crlf);
    cdx_document_free(doc);
    free(src);
  }
}

Test(source, damaged_units_start_at_their_damage) {
  const char *p = cdx_test_seed_path(cdx_test_seed_names[2]);
  if (!p) return;
  size_t n;
  char *src = cdx_test_read(p, &n);
  cdx_document *doc = parse(p, src, n);
  size_t clauses = 0;
  for (size_t i = 0; i < cdx_document_unit_count(doc); i++) {
    const cdx_unit_view *u = cdx_document_get_unit(doc, i);
    if (u->kind != CDX_UNIT_CLAUSE) continue;
    clauses++;
    /* a clause line starts with its garbled number (lost byte '?') and ends
     * with its 责任单位 bracket, at a line end */
    cr_expect_eq(src[u->source_start], '?', "clause %s starts with %.12s", u->number,
                 src + u->source_start);
    cr_expect(u->source_end == n || src[u->source_end] == '\n', "clause %s", u->number);
    cr_expect_eq(src[u->source_end - 1], ')', "clause %s", u->number);
  }
  cr_expect_eq(clauses, 45);
  cdx_document_free(doc);
  free(src);
}

Test(source, other_encodings_give_decoded_offsets) {
  const char *p = cdx_test_seed_path(cdx_test_seed_names[1]);
  if (!p) return;
  size_t n;
  char *src = cdx_test_read(p, &n);
  UErrorCode st = U_ZERO_ERROR;
  char *gb = malloc(2 * n + 16);
  int32_t gn = ucnv_convert("GB18030", "UTF-8", gb, (int32_t)(2 * n + 16), src, (int32_t)n, &st);
  cr_assert(U_SUCCESS(st));
  cdx_document *a = parse("utf8", src, n), *b = parse("gb18030", gb, (size_t)gn);
  cr_assert_eq(cdx_document_unit_count(a), cdx_document_unit_count(b));
  for (size_t i = 0; i < cdx_document_unit_count(a); i++) {
    cr_expect_eq(cdx_document_get_unit(a, i)->source_start,
                 cdx_document_get_unit(b, i)->source_start);
    cr_expect_eq(cdx_document_get_unit(a, i)->source_end, cdx_document_get_unit(b, i)->source_end);
  }
  cdx_document_free(a);
  cdx_document_free(b);
  free(gb);
  free(src);
}
