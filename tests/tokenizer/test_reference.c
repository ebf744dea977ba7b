/*
 * The analyzer against a reference: a plain, non-streaming tokenizer written
 * here from the rules, run over cdx_fold_text's output. Same terms, positions
 * and types on every line of the seeds and on random mixtures of the awkward
 * characters (expansions, compositions, jamo, width variants, supplementary
 * ideographs, ignorables). This also holds cdx_fold_text and the analyzer to
 * the same folding.
 */
#define _POSIX_C_SOURCE 200809L
#include <criterion/criterion.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unicode/uchar.h>
#include <unicode/uscript.h>
#include "common/common.h"
#include "support/test_support.h"
#include "tokenizer/tok_helpers.h"

enum { R_SPACE, R_PUNCT, R_CJK, R_LETTER, R_DIGIT, R_MARK };

static int ref_class(UChar32 c) {
  int8_t gc = u_charType(c);
  UErrorCode st = U_ZERO_ERROR;
  UScriptCode sc = uscript_getScript(c, &st);
  bool letter_or_number = (gc >= U_UPPERCASE_LETTER && gc <= U_OTHER_LETTER) ||
                          gc == U_DECIMAL_DIGIT_NUMBER || gc == U_LETTER_NUMBER ||
                          gc == U_OTHER_NUMBER;
  if (letter_or_number) {
    if (sc == USCRIPT_HAN || sc == USCRIPT_HIRAGANA || sc == USCRIPT_KATAKANA ||
        sc == USCRIPT_HANGUL || (gc == U_MODIFIER_LETTER && c >= 0x3000 && c <= 0x30FF))
      return R_CJK;
    return gc == U_DECIMAL_DIGIT_NUMBER ? R_DIGIT : R_LETTER;
  }
  if (gc == U_NON_SPACING_MARK || gc == U_COMBINING_SPACING_MARK || gc == U_ENCLOSING_MARK)
    return R_MARK;
  if (gc == U_SPACE_SEPARATOR || gc == U_LINE_SEPARATOR || gc == U_PARAGRAPH_SEPARATOR ||
      gc == U_CONTROL_CHAR || gc == U_FORMAT_CHAR)
    return R_SPACE;
  return R_PUNCT;
}

/* Renders the reference tokens of text as "term@pos/type ...". */
static char *reference(const char *text, size_t len) {
  size_t fl;
  char *f = fold(text, len, &fl);
  UChar32 *cp = malloc((fl + 1) * sizeof *cp);
  int *cls = malloc((fl + 1) * sizeof *cls);
  size_t n = 0;
  for (size_t i = 0; i < fl;) {
    cp[n] = cdx_utf8_decode(f, fl, &i);
    cr_assert(cp[n] >= 0);
    cls[n] = ref_class(cp[n]);
    n++;
  }
  cdx_buf out;
  cdx_buf_init(&out);
  int rc = CDX_OK;
  uint32_t pos = 0;
  bool started = false, gap = false;
  char u[8];
  for (size_t i = 0; i < n;) {
    if (cls[i] == R_CJK) {
      size_t j = i;
      while (j < n && cls[j] == R_CJK) j++;
      if (gap && started) pos++;
      gap = false;
      started = true;
      if (j - i == 1) {
        cdx_buf_append(&rc, &out, u, cdx_utf8_encode((uint32_t)cp[i], u));
        cdx_buf_printf(&rc, &out, "@%u/u ", (unsigned)pos);
      }
      for (size_t k = i; k + 1 < j; k++) {
        cdx_buf_append(&rc, &out, u, cdx_utf8_encode((uint32_t)cp[k], u));
        cdx_buf_append(&rc, &out, u, cdx_utf8_encode((uint32_t)cp[k + 1], u));
        cdx_buf_printf(&rc, &out, "@%u/b ", (unsigned)(pos + (k - i)));
      }
      pos += (uint32_t)(j - i);
      i = j;
    } else if (cls[i] == R_LETTER || cls[i] == R_DIGIT) {
      size_t j = i;
      bool letter = false;
      while (j < n) {
        if (cls[j] == R_LETTER || cls[j] == R_DIGIT || (cls[j] == R_MARK && j > i)) {
          letter |= cls[j] != R_DIGIT;
          j++;
        } else if (cp[j] == '.' && cls[j - 1] == R_DIGIT && j + 1 < n && cls[j + 1] == R_DIGIT) {
          j++;
        } else {
          break;
        }
      }
      if (gap && started) pos++;
      gap = false;
      started = true;
      for (size_t k = i; k < j; k++)
        cdx_buf_append(&rc, &out, u, cdx_utf8_encode((uint32_t)cp[k], u));
      cdx_buf_printf(&rc, &out, "@%u/%c ", (unsigned)pos, letter ? 'w' : 'n');
      pos++;
      i = j;
    } else {
      if ((cls[i] == R_PUNCT || cls[i] == R_MARK) && started) gap = true;
      i++;
    }
  }
  cdx_buf_str(&rc, &out);
  cr_assert_eq(rc, CDX_OK);
  free(cp);
  free(cls);
  cdx_free(f);
  return out.data;
}

struct render {
  cdx_buf b;
  const char *text;
  size_t len;
};

static int render_tok(void *ctx, const cdx_token *t) {
  struct render *r = ctx;
  int rc = CDX_OK;
  static const char type[] = "buwn";
  cdx_buf_append(&rc, &r->b, t->term, t->term_len);
  cdx_buf_printf(&rc, &r->b, "@%u/%c ", (unsigned)t->pos, type[t->type]);
  cr_assert_eq(rc, CDX_OK);
  /* Offsets: on character boundaries, and the term is inside the folded slice. */
  cr_assert(t->start < t->end && t->end <= r->len);
  cr_assert(((unsigned char)r->text[t->start] & 0xC0) != 0x80);
  cr_assert(t->end == r->len || ((unsigned char)r->text[t->end] & 0xC0) != 0x80);
  char *f = fold(r->text + t->start, t->end - t->start, NULL);
  char *term = strndup(t->term, t->term_len);
  cr_assert(strstr(f, term) != NULL, "term '%s' not in folded slice '%s'", term, f);
  free(term);
  cdx_free(f);
  return 0;
}

static void compare(const char *what, const char *text, size_t len) {
  cdx_analyzer *an;
  cdx_error err;
  cr_assert_eq(cdx_analyzer_new(0, &an, &err), CDX_OK);
  struct render r = {{0}, text, len};
  cdx_buf_init(&r.b);
  int rc = cdx_analyzer_run(an, text, len, render_tok, &r, &err);
  cr_assert_eq(rc, CDX_OK, "%s: %s", what, err.message);
  cdx_buf_str(&rc, &r.b);
  char *want = reference(text, len);
  cr_assert_str_eq(r.b.data ? r.b.data : "", want, "%s: '%.*s'", what, (int)len, text);
  free(want);
  cdx_buf_free(&r.b);
  cdx_analyzer_free(an);
}

Test(reference, every_seed_line) {
  for (int d = 0; d < 5; d++) {
    size_t len;
    char *doc = cdx_test_read(cdx_test_seed_path(cdx_test_seed_names[d]), &len);
    int lines = 0;
    for (size_t s = 0; s < len;) {
      const char *nl = memchr(doc + s, '\n', len - s);
      size_t e = nl ? (size_t)(nl - doc) : len;
      char what[128];
      snprintf(what, sizeof what, "%s line %d", cdx_test_seed_names[d], ++lines);
      compare(what, doc + s, e - s);
      s = e + 1;
    }
    free(doc);
  }
}

/* Awkward characters, as UTF-8. */
static const char *const pool[] = {
    "a",
    "Z",
    "7",
    "0",
    ".",
    ".",
    ",",
    " ",
    "\n",
    "%",
    "-",
    "“",
    "”",
    "，",
    "。",
    "（",
    "）",
    "温",
    "溫",
    "经",
    "經",
    "济",
    "濟",
    "中",
    "文",
    "国",
    "國",
    "Ａ",
    "ｚ",
    "１",
    "．",
    "　", /* full width */
    "ﬁ",
    "㈠",
    "㍿",
    "Ⅻ",
    "²",
    "①",
    "ß", /* NFKC expansions */
    "\xcc\x81",
    "\xcc\xa3",
    "e", /* combining marks */
    "\xe1\x84\x80",
    "\xe1\x85\xa1",
    "\xe1\x86\xa8",
    "가", /* Hangul jamo L V T */
    "ｶ",
    "ﾞ",
    "か",
    "\xe3\x82\x99",
    "ー", /* kana, voicing marks */
    "\xef\xa4\x80",
    "\xef\xa8\x8e", /* compatibility ideographs */
    "\xf0\xa0\x80\x80",
    "\xf0\xaa\x9a\xb2", /* supplementary ideographs */
    "\xe2\x80\x8b",
    "\xef\xbb\xbf",
    "\xef\xb8\x80", /* ZWSP, BOM, variation selector */
    "\xf0\x9f\x98\x80",
    "€",
    "\t",
};

Test(reference, random_mixtures) {
  unsigned long seed = 12345;
  size_t npool = sizeof pool / sizeof pool[0];
  char text[1024];
  for (int round = 0; round < 3000; round++) {
    size_t len = 0;
    int chars = 1 + (int)(seed % 40);
    for (int k = 0; k < chars; k++) {
      seed = seed * 6364136223846793005UL + 1442695040888963407UL;
      const char *p = pool[(seed >> 33) % npool];
      size_t pl = strlen(p);
      memcpy(text + len, p, pl);
      len += pl;
    }
    char what[64];
    snprintf(what, sizeof what, "round %d", round);
    compare(what, text, len);
  }
}

Test(reference, random_bytes_never_crash) {
  unsigned long seed = 99;
  unsigned char text[64];
  cdx_analyzer *an;
  cdx_error err;
  cr_assert_eq(cdx_analyzer_new(CDX_ANALYZE_UNIGRAMS, &an, &err), CDX_OK);
  for (int round = 0; round < 20000; round++) {
    size_t len = 1 + round % 64;
    for (size_t k = 0; k < len; k++) {
      seed = seed * 6364136223846793005UL + 1442695040888963407UL;
      text[k] = (unsigned char)(seed >> 56);
      if (round % 2 && text[k] >= 0x80 && (seed >> 20) % 4) text[k] = 0xE4 + (seed >> 40) % 6;
    }
    struct render r = {{0}, (const char *)text, len};
    cdx_buf_init(&r.b);
    int rc = cdx_analyzer_run(an, (const char *)text, len, render_tok, &r, &err);
    size_t bad = cdx_utf8_find_invalid((const char *)text, len);
    if (bad == CDX_NO_OFFSET) {
      cr_assert_eq(rc, CDX_OK);
    } else {
      cr_assert_eq(rc, CDX_ENCODING);
      cr_assert_eq(err.offset, bad);
      cr_assert_eq(r.b.len, 0);
    }
    cdx_buf_free(&r.b);
  }
  cdx_analyzer_free(an);
}

Test(reference, hangul_jamo_compose_with_their_bytes) {
  /* L + V + T jamo compose to one syllable, which spans all nine bytes. */
  toks t = analyze("\xe1\x84\x80\xe1\x85\xa1\xe1\x86\xa8 x", CDX_ANALYZE_UNIGRAMS);
  cr_assert_eq(t.n, 2);
  cr_assert_str_eq(t.v[0].term, "각");
  cr_assert_eq(t.v[0].start, 0);
  cr_assert_eq(t.v[0].end, 9);
  toks_free(&t);
}
