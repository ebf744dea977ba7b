/*
 * Mojibake repair: GBK text that some tool decoded starting one byte off.
 *
 * Seen in the wild (seed 002): a paragraph's GBK bytes B0 B1 B2 ... were
 * decoded from B1, so each "character" is the trail byte of one character and
 * the lead byte of the next: `（一）推動` (A3A8 D2BB A3A9 CDC6 84D3) comes out
 * as `。ㄒ唬┩苿…`. The lost first byte shows as '?', bytes that did not pair
 * as '?', and the decoder falls back into step by itself when a trail byte is
 * ASCII (臺 = C5 5F), so only the start of a paragraph is garbled.
 *
 * Undoing it: encode the line back to GBK (the garbling is a bijection for
 * most pairs, including the user-defined area that decodes to private-use
 * code points), drop k leading bytes to get back in step, decode again. We try
 * a few k and keep the candidate that reads most like Chinese (common Han
 * characters, no private-use, box-drawing or bopomofo characters), and only
 * when it is clearly better than the line as it stands. Bytes lost for good
 * become U+FFFD and are counted.
 */
#include <stdlib.h>
#include <string.h>
#include <unicode/ucnv.h>
#include <unicode/ustring.h>
#include "corpus/corpus.h"

static bool is_suspicious(int32_t cp) {
  /* private use, box drawing, bopomofo, Latin with pinyin tones, Greek and
   * Cyrillic: GBK's symbol rows, which real Chinese prose hardly uses */
  return (cp >= 0xE000 && cp <= 0xF8FF) || (cp >= 0x2500 && cp <= 0x257F) ||
         (cp >= 0x00C0 && cp <= 0x024F) || (cp >= 0x0370 && cp <= 0x04FF) ||
         (cp >= 0x3100 && cp <= 0x312F) || (cp >= 0x3220 && cp <= 0x325F) || cp == 0xFFFD;
}

/* Higher is more like real Chinese text. */
static long score(const UChar *u, int32_t n, int32_t *n_bad) {
  long s = 0;
  int32_t bad = 0;
  for (int32_t i = 0; i < n; i++) {
    UChar32 c = u[i];
    if (c >= 0x3400 && c <= 0x9FFF) s += cdx_corpus_is_common_han(c) ? 2 : -1;
    else if (is_suspicious(c)) { s -= 3; bad++; }
    else if (c == '?') s -= 1;
  }
  if (n_bad) *n_bad = bad;
  return s;
}

/* Decodes bytes with substitution; U+FFFD followed by '?' (a lead byte whose
 * partner was already lost as '?') counts once. */
static int32_t decode_gbk(UConverter *cv, const char *b, int32_t n, UChar *u, int32_t cap) {
  UErrorCode st = U_ZERO_ERROR;
  ucnv_resetToUnicode(cv);
  int32_t un = ucnv_toUChars(cv, u, cap, b, n, &st);
  if (U_FAILURE(st)) return -1;
  int32_t w = 0;
  for (int32_t i = 0; i < un; i++) {
    UChar c = u[i] == 0x1A ? 0xFFFD : u[i];
    if (c == '?' && w > 0 && u[w - 1] == 0xFFFD) continue;
    if (c == 0xFFFD && w > 0 && u[w - 1] == '?') { u[w - 1] = 0xFFFD; continue; }
    u[w++] = c;
  }
  return w;
}

/* GBK bytes of u[0..n): ICU's GBK table lacks the user-defined area that the
 * garbling tool decoded to private-use code points (AEA1 -> U+E1A2), so those
 * come from the GB18030 table when it has a two-byte form for them. */
static int32_t encode_gbk(UConverter *gbk, UConverter *gb18030, const UChar *u, int32_t n,
                          char *out, int32_t cap) {
  int32_t w = 0;
  for (int32_t i = 0; i < n && w + 4 <= cap; i++) {
    int32_t len = U16_IS_LEAD(u[i]) && i + 1 < n ? 2 : 1;
    UErrorCode st = U_ZERO_ERROR;
    ucnv_resetFromUnicode(gbk);
    int32_t k = ucnv_fromUChars(gbk, out + w, cap - w, u + i, len, &st);
    bool ok = U_SUCCESS(st) && k > 0 && !(k == 1 && out[w] == 0x1A);
    if (!ok && u[i] >= 0xE000 && u[i] <= 0xF8FF) {
      st = U_ZERO_ERROR;
      ucnv_resetFromUnicode(gb18030);
      k = ucnv_fromUChars(gb18030, out + w, cap - w, u + i, len, &st);
      ok = U_SUCCESS(st) && k == 2;
    }
    if (!ok) { out[w] = '?'; k = 1; }
    w += k;
    i += len - 1;
  }
  return w;
}

/* Lead bytes of the suspicious characters: C3-C9 (U+00C0-024F), CD-D3
 * (Greek, Cyrillic), E2 (box drawing), E3 (bopomofo, enclosed), EE-EF
 * (private use, U+FFFD). */
static inline bool may_lead_suspicious(unsigned char c) {
  if (c < 0xC3) return false; /* ASCII and continuation bytes: most of them */
  if (c >= 0xE4) return c == 0xEE || c == 0xEF; /* E4-E9: the Han characters */
  return c <= 0xC9 || (c >= 0xCD && c <= 0xD3) || c == 0xE2 || c == 0xE3;
}

/* Counts a suspicious character led by the byte at s[i]; true at the
 * second one. */
static inline bool count_at(const char *s, size_t n, size_t i, int *n_susp) {
  size_t j = i;
  int32_t cp = cdx_utf8_next(s, n, &j);
  return cp >= 0 && is_suspicious(cp) && ++*n_susp == 2;
}

#if defined(__SSE2__)
#include <emmintrin.h>
/* Bit k set when u[k] may lead a suspicious character, for 16 bytes (u[16]
 * is read too). The 3-byte ones are told by their first two bytes: E2 94-95
 * (box drawing), E3 84 and E3 88-89 (bopomofo, enclosed), EE (private use),
 * EF 80-A3 (private use) and EF BF (U+FFFD); so the common punctuation of
 * Chinese text (E3 80 xx, EF BC xx) is passed over like the Han characters,
 * and most 16-byte blocks cost a few instructions and no decoding. */
static inline unsigned lead_mask16(const unsigned char *u) {
  __m128i x = _mm_loadu_si128((const __m128i *)u);
  __m128i y = _mm_loadu_si128((const __m128i *)(u + 1));
  /* v in [lo, lo + k] when (v - lo) as unsigned is at most k */
#define IN_RANGE(v, lo, k)                                                                     \
  _mm_cmpeq_epi8(_mm_max_epu8(_mm_sub_epi8(v, _mm_set1_epi8((char)(lo))), _mm_set1_epi8(k)), \
                 _mm_set1_epi8(k))
#define IS(v, b) _mm_cmpeq_epi8(v, _mm_set1_epi8((char)(b)))
  __m128i two = _mm_or_si128(IN_RANGE(x, 0xC3, 6), IN_RANGE(x, 0xCD, 6));
  __m128i e2 = _mm_and_si128(IS(x, 0xE2), IN_RANGE(y, 0x94, 1));
  __m128i e3 = _mm_and_si128(IS(x, 0xE3), _mm_or_si128(IS(y, 0x84), IN_RANGE(y, 0x88, 1)));
  __m128i ef = _mm_and_si128(IS(x, 0xEF), _mm_or_si128(IN_RANGE(y, 0x80, 0x23), IS(y, 0xBF)));
  __m128i m = _mm_or_si128(_mm_or_si128(two, IS(x, 0xEE)), _mm_or_si128(e2, _mm_or_si128(e3, ef)));
#undef IS
#undef IN_RANGE
  return (unsigned)_mm_movemask_epi8(m);
}
#endif

/* A line is worth trying when it holds at least two suspicious characters;
 * counting stops there. Only the bytes that can lead a suspicious character
 * are decoded: lead bytes are never inside a valid sequence, so this visits
 * the same characters as decoding the line one character at a time. */
static bool worth_trying(const char *s, size_t n) {
  if (n > 1 << 20) return false;
  const unsigned char *u = (const unsigned char *)s;
  int n_susp = 0;
  size_t i = 0;
#if defined(__SSE2__)
  for (; i + 17 <= n; i += 16) {
    for (unsigned m = lead_mask16(u + i); m; m &= m - 1)
      if (count_at(s, n, i + (size_t)__builtin_ctz(m), &n_susp)) return true;
  }
#endif
  for (; i < n; i++)
    if (may_lead_suspicious(u[i]) && count_at(s, n, i, &n_susp)) return true;
  return false;
}

/* Tries to repair one line (UTF-8) that is worth trying. On success *fixed
 * (malloc'ed UTF-8) is set. */
static int repair_line(UConverter *cv, UConverter *gb18030, const char *s, size_t n, char **fixed, size_t *fixed_len,
                       size_t *lost) {
  *fixed = NULL;
  int rc = CDX_OK;
  UErrorCode st = U_ZERO_ERROR;
  int32_t cap = (int32_t)n + 8;
  UChar *orig = malloc(sizeof(UChar) * (size_t)cap);
  UChar *cand = malloc(sizeof(UChar) * (size_t)cap * 2);
  UChar *best = malloc(sizeof(UChar) * (size_t)cap * 2);
  char *bytes = malloc(n * 2 + 8);
  if (!orig || !cand || !best || !bytes) { rc = CDX_NOMEM; goto out; }
  int32_t on = 0;
  u_strFromUTF8WithSub(orig, cap, &on, s, (int32_t)n, 0xFFFD, NULL, &st);
  if (U_FAILURE(st)) goto out;
  int32_t obad = 0;
  long oscore = score(orig, on, &obad);
  int32_t bn = encode_gbk(cv, gb18030, orig, on, bytes, (int32_t)n * 2 + 8);

  long bscore = oscore;
  int32_t bbad = obad, blen = -1;
  for (int32_t k = 1; k <= 4 && k < bn; k++) {
    int32_t cn = decode_gbk(cv, bytes + k, bn - k, cand, cap * 2);
    if (cn < 0) continue;
    int32_t cbad = 0;
    long cs = score(cand, cn, &cbad);
    if (cs > bscore && cbad < bbad) {
      bscore = cs;
      bbad = cbad;
      blen = cn;
      memcpy(best, cand, sizeof(UChar) * (size_t)cn);
    }
  }
  /* Clearly better only: a handful of odd characters in a real line must not
   * trigger a re-decoding. */
  if (blen < 0 || bscore < oscore + 6 || bbad * 2 > obad) goto out;
  size_t nlost = 0;
  for (int32_t j = 0; j < blen; j++)
    if (best[j] == 0xFFFD) nlost++;
  int32_t need = 0;
  st = U_ZERO_ERROR;
  u_strToUTF8WithSub(NULL, 0, &need, best, blen, 0xFFFD, NULL, &st);
  char *o = malloc((size_t)need + 1);
  if (!o) { rc = CDX_NOMEM; goto out; }
  st = U_ZERO_ERROR;
  u_strToUTF8WithSub(o, need + 1, &need, best, blen, 0xFFFD, NULL, &st);
  if (U_FAILURE(st)) { free(o); goto out; }
  *fixed = o;
  *fixed_len = (size_t)need;
  *lost += nlost;
out:
  free(orig);
  free(cand);
  free(best);
  free(bytes);
  return rc;
}

/* The two converters, opened for the first line worth trying: most
 * documents have none. */
static int open_converters(UConverter **cv, UConverter **gb18030, cdx_error *err) {
  UErrorCode st = U_ZERO_ERROR;
  *cv = ucnv_open("GBK", &st);
  *gb18030 = ucnv_open("GB18030", &st);
  if (U_FAILURE(st)) {
    ucnv_close(*cv);
    ucnv_close(*gb18030);
    *cv = *gb18030 = NULL;
    return cdx_err_set(err, CDX_ICU, CDX_NO_OFFSET, "cannot open the GBK converters: %s",
                       u_errorName(st));
  }
  ucnv_setFromUCallBack(*cv, UCNV_FROM_U_CALLBACK_STOP, NULL, NULL, NULL, &st);
  ucnv_setFromUCallBack(*gb18030, UCNV_FROM_U_CALLBACK_STOP, NULL, NULL, NULL, &st);
  return CDX_OK;
}

int cdx_corpus_repair(const char *text, size_t len, char **out, size_t *out_len,
                      size_t *n_lines, size_t *n_lost, cdx_error *err) {
  *out = NULL;
  *n_lines = *n_lost = 0;
  UConverter *cv = NULL, *gb18030 = NULL;
  cdx_buf b;
  cdx_buf_init(&b);
  int rc = CDX_OK;
  size_t pos = 0, copied = 0; /* text[copied, pos) is not in b yet */
  while (pos < len && rc == CDX_OK) {
    const char *nl = memchr(text + pos, '\n', len - pos);
    size_t end = nl ? (size_t)(nl - text) : len;
    if (worth_trying(text + pos, end - pos)) {
      if (!cv && open_converters(&cv, &gb18030, err) != CDX_OK) {
        cdx_buf_free(&b);
        return CDX_ICU;
      }
      char *fixed = NULL;
      size_t flen = 0;
      rc = repair_line(cv, gb18030, text + pos, end - pos, &fixed, &flen, n_lost);
      if (fixed) {
        cdx_buf_append(&rc, &b, text + copied, pos - copied);
        cdx_buf_append(&rc, &b, fixed, flen);
        copied = end;
        (*n_lines)++;
        free(fixed);
      }
    }
    pos = end + 1;
  }
  ucnv_close(cv);
  ucnv_close(gb18030);
  if (rc == CDX_OK && *n_lines == 0) {
    if (out_len) *out_len = len;
    return CDX_OK;
  }
  cdx_buf_append(&rc, &b, text + copied, len - copied);
  cdx_buf_str(&rc, &b);
  if (rc != CDX_OK) {
    cdx_buf_free(&b);
    return cdx_err_set(err, rc, CDX_NO_OFFSET, "mojibake repair: %s", cdx_strerror(rc));
  }
  *out = cdx_buf_detach(&b, out_len);
  return CDX_OK;
}
