/*
 * The questions about one code point that the character table answers,
 * asked of ICU: its folded form (NFKC_Casefold of the character alone, then
 * T->S), its class and whether normalisation may join it to the character
 * before. tokenizer/chartab.c asks them for the pages beyond the BMP at run
 * time; tools/gen_chartab.c asks them for the BMP at build time.
 *
 * ICU's normaliser is loaded on the first question that needs it, not when
 * an analyzer is made: a search whose query and hits are BMP text without
 * combining sequences never asks (issue 18: its data load and its teardown
 * at exit were ~3% of a search process).
 */
#include <pthread.h>
#include <unicode/uchar.h>
#include <unicode/unorm2.h>
#include <unicode/uscript.h>
#include <unicode/utf16.h>
#include "lexicon/t2s.h"
#include "tokenizer/tokenizer.h"

static pthread_once_t init_once = PTHREAD_ONCE_INIT;
static const UNormalizer2 *nfkc_cf;
static UErrorCode init_status = U_ZERO_ERROR;

static void init_icu(void) {
  UErrorCode st = U_ZERO_ERROR;
  nfkc_cf = unorm2_getNFKCCasefoldInstance(&st);
  init_status = st;
}

int cdx_nfkc_load(cdx_error *err) {
  pthread_once(&init_once, init_icu);
  if (U_FAILURE(init_status) || !nfkc_cf)
    return cdx_err_set(err, CDX_ICU, CDX_NO_OFFSET, "cannot load ICU NFKC_Casefold data: %s",
                       u_errorName(init_status));
  return CDX_OK;
}

unsigned cdx_char_class(uint32_t cp) {
  UChar32 c = (UChar32)cp;
  int8_t gc = u_charType(c);
  switch (gc) {
    case U_UPPERCASE_LETTER:
    case U_LOWERCASE_LETTER:
    case U_TITLECASE_LETTER:
    case U_MODIFIER_LETTER:
    case U_OTHER_LETTER:
    case U_DECIMAL_DIGIT_NUMBER:
    case U_LETTER_NUMBER:
    case U_OTHER_NUMBER: {
      /* By script, not by break-iterator status: ICU's word break calls Hangul
     * a letter and kana ideographic, but all of them are bigrammed here. */
      UErrorCode st = U_ZERO_ERROR;
      UScriptCode sc = uscript_getScript(c, &st);
      if (U_SUCCESS(st) && (sc == USCRIPT_HAN || sc == USCRIPT_HIRAGANA || sc == USCRIPT_KATAKANA ||
                            sc == USCRIPT_HANGUL))
        return CDX_CC_CJK;
      /* The prolonged sound mark ー and its kin are script Common but belong
     * inside kana words. */
      if (gc == U_MODIFIER_LETTER && c >= 0x3000 && c <= 0x30FF) return CDX_CC_CJK;
      return gc == U_DECIMAL_DIGIT_NUMBER ? CDX_CC_DIGIT : CDX_CC_LETTER;
    }
    case U_NON_SPACING_MARK:
    case U_COMBINING_SPACING_MARK:
    case U_ENCLOSING_MARK: return CDX_CC_MARK;
    case U_SPACE_SEPARATOR:
    case U_LINE_SEPARATOR:
    case U_PARAGRAPH_SEPARATOR:
    case U_CONTROL_CHAR:
    case U_FORMAT_CHAR: return CDX_CC_SPACE;
    default: return CDX_CC_PUNCT;
  }
}

bool cdx_nfkc_loaded(void) {
  /* pthread_once has run init_icu exactly when nfkc_cf or init_status is set */
  return nfkc_cf || U_FAILURE(init_status);
}

int32_t cdx_nfkc_cf(const uint16_t *src, int32_t n, uint16_t *dst, int32_t cap, size_t offset,
                    cdx_error *err) {
  if (cdx_nfkc_load(err) != CDX_OK) return -1;
  UErrorCode st = U_ZERO_ERROR;
  int32_t m = unorm2_normalize(nfkc_cf, (const UChar *)src, n, (UChar *)dst, cap, &st);
  if (U_FAILURE(st)) {
    cdx_err_set(err, CDX_ICU, offset, "NFKC_Casefold failed at byte %zu: %s", offset,
                u_errorName(st));
    return -1;
  }
  return m;
}

uint32_t cdx_char_compute_entry(uint32_t cp) {
  UChar32 c = (UChar32)cp;
  if (U_IS_SURROGATE(c)) return CDX_CE_BB | (uint32_t)c | (CDX_CC_PUNCT << CDX_CE_CLS_SHIFT);
  /* Without the normaliser, send the character to cdx_nfkc_cf, which
   * reports why. */
  if (cdx_nfkc_load(NULL) != CDX_OK) return CDX_CE_BB | CDX_CE_EXP;
  /* Most characters (all unified ideographs among them) are inert: they fold
   * to themselves whatever their neighbours, and asking that is much cheaper
   * than normalising them. */
  if (unorm2_isInert(nfkc_cf, c)) {
    uint32_t y = cdx_t2s((uint32_t)c);
    return CDX_CE_BB | y | (cdx_char_class(y) << CDX_CE_CLS_SHIFT);
  }
  uint32_t e = unorm2_hasBoundaryBefore(nfkc_cf, c) ? CDX_CE_BB : 0;
  UChar in[2], out[64];
  int32_t n = 0;
  U16_APPEND_UNSAFE(in, n, c);
  UErrorCode st = U_ZERO_ERROR;
  int32_t m = unorm2_normalize(nfkc_cf, in, n, out, (int32_t)(sizeof out / sizeof out[0]), &st);
  if (U_FAILURE(st) || m <= 0) return e | CDX_CE_EXP;
  int32_t i = 0;
  UChar32 x;
  U16_NEXT(out, i, m, x);
  if (i != m) return e | CDX_CE_EXP;
  uint32_t y = cdx_t2s((uint32_t)x);
  return e | y | (cdx_char_class(y) << CDX_CE_CLS_SHIFT);
}
