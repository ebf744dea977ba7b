/*
 * Folding from the build-time tables against ICU itself (issue 18: a search
 * process folds its query and its hits' text without loading ICU). The
 * reference here is ICU's NFKC_Casefold of the whole string, then T->S per
 * code point, and ICU's class of each result; the tables must give the same
 * code points and classes for every BMP character alone and for every line
 * of the seed documents, and folding BMP text that has no combining
 * sequence must not load ICU's normaliser at all.
 */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>
#include <unicode/unorm2.h>
#include <unicode/utf16.h>
#include "common/common.h"
#include "lexicon/t2s.h"
#include "support/test_support.h"
#include "tokenizer/tokenizer.h"

typedef struct fcp {
  uint32_t cp;
  unsigned cls;
} fcp;

/* The folded code points and classes of text by the tables (cdx_fold_next);
 * returns how many (at most cap). */
static size_t by_tables(const char *text, size_t len, fcp *out, size_t cap) {
  cdx_fold_iter *it = malloc(sizeof *it);
  cr_assert_not_null(it);
  cdx_fold_iter_init(it, text, len);
  cdx_fchar fc;
  cdx_error err;
  size_t n = 0;
  int r;
  while ((r = cdx_fold_next(it, &fc, &err)) > 0) {
    cr_assert(n < cap, "more folded code points than room");
    out[n++] = (fcp){fc.cp, fc.cls};
  }
  cr_assert_eq(r, 0, "fold failed: %s", err.message);
  free(it);
  return n;
}

/* The same by ICU: NFKC_Casefold of the whole text, T->S, cdx_char_class. */
static size_t by_icu(const char *text, size_t len, fcp *out, size_t cap) {
  UErrorCode st = U_ZERO_ERROR;
  const UNormalizer2 *nf = unorm2_getNFKCCasefoldInstance(&st);
  cr_assert(U_SUCCESS(st));
  UChar *src = malloc((len + 1) * sizeof *src), *dst = malloc((len * 18 + 16) * sizeof *dst);
  cr_assert(src && dst);
  int32_t ns = 0;
  for (size_t i = 0; i < len;) {
    int32_t c = cdx_utf8_decode(text, len, &i);
    cr_assert(c >= 0);
    U16_APPEND_UNSAFE(src, ns, c);
  }
  int32_t m = unorm2_normalize(nf, src, ns, dst, (int32_t)(len * 18 + 16), &st);
  cr_assert(U_SUCCESS(st), "ICU: %s", u_errorName(st));
  size_t n = 0;
  for (int32_t k = 0; k < m;) {
    UChar32 c;
    U16_NEXT(dst, k, m, c);
    cr_assert(n < cap);
    uint32_t y = cdx_t2s((uint32_t)c);
    out[n++] = (fcp){y, cdx_char_class(y)};
  }
  free(src);
  free(dst);
  return n;
}

static void expect_same(const char *text, size_t len, const char *what, size_t at) {
  size_t cap = len * 18 + 16;
  fcp *a = malloc(cap * sizeof *a), *b = malloc(cap * sizeof *b);
  cr_assert(a && b);
  size_t na = by_tables(text, len, a, cap), nb = by_icu(text, len, b, cap);
  cr_assert_eq(na, nb, "%s@%zu: %zu code points by the tables, %zu by ICU", what, at, na, nb);
  for (size_t k = 0; k < na; k++) {
    cr_assert_eq(a[k].cp, b[k].cp, "%s@%zu #%zu: U+%04X by the tables, U+%04X by ICU", what, at, k,
                 (unsigned)a[k].cp, (unsigned)b[k].cp);
    cr_assert_eq(a[k].cls, b[k].cls, "%s@%zu #%zu (U+%04X): class %u by the tables, %u by ICU",
                 what, at, k, (unsigned)a[k].cp, a[k].cls, b[k].cls);
  }
  free(a);
  free(b);
}

/* Every BMP character alone: first all of them by the tables (which must not
 * load the normaliser), then each against ICU. */
Test(fold_tables, every_bmp_character_alone) {
  static fcp got[0x10000][20];
  static size_t n_got[0x10000];
  size_t expansions = 0;
  for (uint32_t cp = 0; cp < 0x10000; cp++) {
    if (cp >= 0xD800 && cp < 0xE000) continue;
    char u[4];
    n_got[cp] = by_tables(u, cdx_utf8_encode(cp, u), got[cp], 20);
    expansions += n_got[cp] != 1;
  }
  cr_assert(!cdx_nfkc_loaded(), "folding single BMP characters loaded ICU's normaliser");
  cr_assert_gt(expansions, 1000, "only %zu BMP characters fold to other than one", expansions);
  for (uint32_t cp = 0; cp < 0x10000; cp++) {
    if (cp >= 0xD800 && cp < 0xE000) continue;
    char u[4];
    size_t len = cdx_utf8_encode(cp, u);
    fcp want[20];
    size_t nw = by_icu(u, len, want, 20);
    cr_assert_eq(n_got[cp], nw, "U+%04X: %zu code points by the tables, %zu by ICU", (unsigned)cp,
                 n_got[cp], nw);
    for (size_t k = 0; k < nw; k++)
      cr_assert(got[cp][k].cp == want[k].cp && got[cp][k].cls == want[k].cls,
                "U+%04X #%zu: U+%04X/%u by the tables, U+%04X/%u by ICU", (unsigned)cp, k,
                (unsigned)got[cp][k].cp, got[cp][k].cls, (unsigned)want[k].cp, want[k].cls);
  }
}

/* Every line of the seeds (every term they make comes from these folds). */
Test(fold_tables, every_seed_line) {
  for (size_t d = 0; d < 5; d++) {
    const char *path = cdx_test_seed_path(cdx_test_seed_names[d]);
    if (!path) return;
    size_t len;
    char *doc = cdx_test_read(path, &len);
    cr_assert_eq(cdx_utf8_find_invalid(doc, len), CDX_NO_OFFSET, "%s: not UTF-8", path);
    for (size_t s = 0; s < len;) {
      const char *nl = memchr(doc + s, '\n', len - s);
      size_t e = nl ? (size_t)(nl - doc) : len;
      expect_same(doc + s, e - s, cdx_test_seed_names[d], s);
      s = e + 1;
    }
    free(doc);
  }
}

/* Mixtures with the characters that the tables send to ICU, and those they
 * answer alone around them. */
Test(fold_tables, awkward_mixtures) {
  static const char *const texts[] = {
      "e\xcc\x81t\xc3\xa9",                   /* e + U+0301, é */
      "\xef\xbd\xb6\xef\xbe\x9e\xe4\xbc\x81", /* ｶﾞ企: half-width voiced mark composes */
      "\xe1\x84\x80\xe1\x85\xa1\xe1\x86\xa8", /* Hangul jamo */
      "\xe3\x88\xa0\xe3\x8e\xa1\xef\xac\x81Stra\xc3\x9f\x65", /* ㈠㎡ﬁStraße */
      "\xc2\xad\xe4\xbc\x81\xe4\xb8\x9a\xe2\x91\xa0",         /* soft hyphen 企业① */
      "\xf0\xa0\x80\x80\xf0\x9d\x90\x80\xe6\xa5\xad",         /* U+20000, 𝐀, 業 */
      "\xef\xbc\xa1\xef\xbc\xa2\xe8\xb2\xac\xe4\xbb\xbb\xe5\x96\xae\xe4\xbd\x8d", /* ＡＢ責任單位 */
  };
  for (size_t k = 0; k < sizeof texts / sizeof texts[0]; k++)
    expect_same(texts[k], strlen(texts[k]), "mixture", k);
}

/* Plain Chinese text, full-width forms and compatibility characters of the
 * BMP fold without ICU; a combining sequence loads it. */
Test(fold_tables, icu_loaded_only_for_combining_sequences) {
  const char *plain = "\xe8\xb2\xac\xe4\xbb\xbb\xe5\x96\xae\xe4\xbd\x8d\xef\xbc\x9a\xe3\x88\xa0"
                      "\xef\xbc\xa1 10\xe3\x8e\xa1";
  fcp out[64];
  cr_assert_gt(by_tables(plain, strlen(plain), out, 64), 0);
  cr_assert(!cdx_nfkc_loaded(), "BMP text without combining marks loaded ICU's normaliser");
  by_tables("e\xcc\x81", 3, out, 64);
  cr_assert(cdx_nfkc_loaded(), "a combining sequence did not reach ICU");
}
