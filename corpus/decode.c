/*
 * Bytes -> UTF-8. Policy documents come as UTF-8 (with or without BOM),
 * GB18030/GBK, Big5, UTF-16 or UTF-32. Strict decoding is a much stronger signal than
 * a statistical guess: a GB18030 file rarely decodes as Big5 without error and
 * vice versa, and when both decode, the one that yields more commonly used Han
 * characters is the right one. ICU's detector (ucsdet) is only the fallback for
 * text that no candidate decodes cleanly (truncated or damaged files).
 */
#define _POSIX_C_SOURCE 200809L /* strdup, strndup */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unicode/ucnv.h>
#include <unicode/ucsdet.h>
#include <unicode/ustring.h>
#include "corpus/corpus.h"

/* ---- the common-Han yardstick ---- */

static uint8_t s_common[0x10000 / 8];
static uint8_t s_gb2312[0x10000 / 8]; /* GB2312 level 1 alone: Simplified */
static pthread_once_t s_common_once = PTHREAD_ONCE_INIT;

static void mark_range(uint8_t *bits, const char *cs, int lead_lo, int lead_hi, int tr_lo,
                       int tr_hi) {
  UErrorCode st = U_ZERO_ERROR;
  UConverter *cv = ucnv_open(cs, &st);
  if (U_FAILURE(st)) return;
  for (int a = lead_lo; a <= lead_hi; a++) {
    for (int b = tr_lo; b <= tr_hi; b++) {
      char in[2] = {(char)a, (char)b};
      UChar u[4];
      st = U_ZERO_ERROR;
      int32_t n = ucnv_toUChars(cv, u, 4, in, 2, &st);
      if (U_SUCCESS(st) && n == 1 && u[0] >= 0x3400 && u[0] != 0xFFFD)
        bits[u[0] >> 3] |= (uint8_t)(1u << (u[0] & 7));
    }
  }
  ucnv_close(cv);
}

static void build_common(void) {
  mark_range(s_common, "GB2312", 0xB0, 0xD7, 0xA1, 0xFE); /* level 1: 3755 most used */
  mark_range(s_common, "Big5", 0xA4, 0xC6, 0x40, 0x7E);   /* 常用字 5401 */
  mark_range(s_common, "Big5", 0xA4, 0xC5, 0xA1, 0xFE);
  mark_range(s_gb2312, "GB2312", 0xB0, 0xD7, 0xA1, 0xFE);
}

bool cdx_corpus_is_common_han(int32_t cp) {
  pthread_once(&s_common_once, build_common);
  if (cp < 0x3400 || cp > 0xFFFF) return false;
  return (s_common[cp >> 3] >> (cp & 7)) & 1;
}

bool cdx_corpus_is_gb2312_common(int32_t cp) {
  pthread_once(&s_common_once, build_common);
  if (cp < 0x3400 || cp > 0xFFFF) return false;
  return (s_gb2312[cp >> 3] >> (cp & 7)) & 1;
}

/* ---- conversion ---- */

/* Converts with converter `cs`. strict: fail on the first illegal sequence
 * (*bad_at = its byte offset). Otherwise illegal bytes become U+FFFD and are
 * counted in *n_subst. */
static int convert(const char *cs, const char *in, size_t n, bool strict, cdx_buf *out,
                   size_t *n_subst, size_t *bad_at) {
  UErrorCode st = U_ZERO_ERROR;
  UConverter *cv = ucnv_open(cs, &st);
  if (U_FAILURE(st)) return CDX_ICU;
  if (strict) ucnv_setToUCallBack(cv, UCNV_TO_U_CALLBACK_STOP, NULL, NULL, NULL, &st);
  if (n > INT32_MAX / 2) {
    ucnv_close(cv);
    return CDX_LIMIT;
  }
  UChar *u = malloc((n + 1) * sizeof(UChar) * 2);
  if (!u) {
    ucnv_close(cv);
    return CDX_NOMEM;
  }
  const char *src = in;
  UChar *dst = u;
  ucnv_toUnicode(cv, &dst, u + (n + 1) * 2, &src, in + n, NULL, true, &st);
  if (U_FAILURE(st)) {
    if (bad_at) *bad_at = (size_t)(src - in);
    free(u);
    ucnv_close(cv);
    return CDX_ENCODING;
  }
  ucnv_close(cv);
  int32_t un = (int32_t)(dst - u);
  size_t subst = 0;
  for (int32_t i = 0; i < un; i++) {
    if (u[i] == 0x1A) u[i] = 0xFFFD; /* some MBCS tables substitute SUB */
    if (u[i] == 0xFFFD) subst++;
  }
  if (n_subst) *n_subst = subst;
  int32_t need = 0;
  st = U_ZERO_ERROR;
  u_strToUTF8WithSub(NULL, 0, &need, u, un, 0xFFFD, NULL, &st);
  st = U_ZERO_ERROR;
  if (cdx_buf_reserve(out, (size_t)need + 1) != CDX_OK) {
    free(u);
    return CDX_NOMEM;
  }
  u_strToUTF8WithSub(out->data + out->len, need + 1, &need, u, un, 0xFFFD, NULL, &st);
  free(u);
  if (U_FAILURE(st)) return CDX_ICU;
  out->len += (size_t)need;
  return CDX_OK;
}

/* Share of Han characters that are common ones, in per mille; the count of
 * Han characters goes to *n_han. */
static int common_permille(const char *s, size_t n, size_t *n_han) {
  size_t han = 0, common = 0, i = 0;
  while (i < n) {
    int32_t cp = cdx_utf8_next(s, n, &i);
    if (cp < 0) {
      i++;
      continue;
    }
    if ((cp >= 0x3400 && cp <= 0x9FFF) || (cp >= 0xE000 && cp <= 0xF8FF)) {
      han++;
      if (cdx_corpus_is_common_han(cp)) common++;
    }
  }
  *n_han = han;
  return han ? (int)(common * 1000 / han) : 0;
}

/* UTF-32 without a BOM: every 4-byte unit of one byte order is a scalar
 * value (at most U+10FFFF, no surrogate), and some are not NUL. Read as
 * UTF-16 it would be a U+0000 after every character; no UTF-16, UTF-8 or
 * legacy Chinese text has a zero byte in every fourth place and at most 0x10
 * beside it. */
static bool looks_utf32(const unsigned char *b, size_t n, bool *le) {
  if (n < 4 || n % 4) return false;
  for (int order = 0; order < 2; order++) {
    bool ok = true, text = false;
    for (size_t i = 0; i < n && ok; i += 4) {
      uint32_t v = order == 0 ? (uint32_t)b[i] | (uint32_t)b[i + 1] << 8 |
                                    (uint32_t)b[i + 2] << 16 | (uint32_t)b[i + 3] << 24
                              : (uint32_t)b[i + 3] | (uint32_t)b[i + 2] << 8 |
                                    (uint32_t)b[i + 1] << 16 | (uint32_t)b[i] << 24;
      ok = v <= 0x10FFFF && !(v >= 0xD800 && v <= 0xDFFF);
      text |= v != 0;
    }
    if (ok && text) {
      *le = order == 0;
      return true;
    }
  }
  return false;
}

static bool looks_utf16(const unsigned char *b, size_t n, bool *le) {
  /* ASCII-heavy UTF-16 has NUL in every other byte; Han-heavy UTF-16 does
   * not, so it is also accepted when strict decoding of one byte order gives
   * mostly common Han characters (checked by the caller). */
  size_t even0 = 0, odd0 = 0, pairs = n / 2;
  if (n < 2 || n % 2) return false;
  /* Both tests below need a NUL byte; text without one (nearly every
   * document) is settled by one memchr instead of a pass of its own. */
  if (!memchr(b, 0, n)) return false;
  for (size_t i = 0; i + 1 < n; i += 2) {
    if (b[i] == 0) even0++;
    if (b[i + 1] == 0) odd0++;
  }
  /* NULs mostly on one side: the high bytes of ASCII characters (the other
   * side gets a few from characters such as 一 U+4E00). How much ASCII there
   * is does not matter; the caller checks the decoding. */
  if (odd0 * 100 >= pairs && odd0 > even0 * 3) {
    *le = true;
    return true;
  }
  if (even0 * 100 >= pairs && even0 > odd0 * 3) {
    *le = false;
    return true;
  }
  return false;
}

/* Control bytes other than line ends, tabs and form feeds, and DEL. */
static inline bool is_control(unsigned char c) {
  return (c < 0x20 && c != '\n' && c != '\r' && c != '\t' && c != '\f') || c == 0x7F;
}

size_t cdx_corpus_count_controls_scalar(const unsigned char *b, size_t n) {
  size_t ctl = 0;
  for (size_t i = 0; i < n; i++) ctl += is_control(b[i]);
  return ctl;
}

#if defined(__SSE2__)
#include <emmintrin.h>
/* The control bytes of b[0..n), 16 bytes per step: each block's mask is
 * subtracted (0xFF = -1) from byte-wide counters, summed before they wrap. */
size_t cdx_corpus_count_controls(const unsigned char *b, size_t n) {
  size_t ctl = 0, i = 0;
  while (i + 16 <= n) {
    __m128i acc = _mm_setzero_si128();
    for (int k = 0; k < 255 && i + 16 <= n; k++, i += 16) {
      __m128i x = _mm_loadu_si128((const __m128i *)(b + i));
      __m128i low = _mm_cmpeq_epi8(_mm_min_epu8(x, _mm_set1_epi8(0x1F)), x); /* x < 0x20 */
      __m128i ok = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(x, _mm_set1_epi8('\n')),
                                             _mm_cmpeq_epi8(x, _mm_set1_epi8('\r'))),
                                _mm_or_si128(_mm_cmpeq_epi8(x, _mm_set1_epi8('\t')),
                                             _mm_cmpeq_epi8(x, _mm_set1_epi8('\f'))));
      __m128i bad = _mm_or_si128(_mm_andnot_si128(ok, low), _mm_cmpeq_epi8(x, _mm_set1_epi8(0x7F)));
      acc = _mm_sub_epi8(acc, bad);
    }
    __m128i sums = _mm_sad_epu8(acc, _mm_setzero_si128());
    ctl += (size_t)_mm_cvtsi128_si32(sums) + (size_t)_mm_extract_epi16(sums, 4);
  }
  for (; i < n; i++) ctl += is_control(b[i]);
  return ctl;
}
#else
size_t cdx_corpus_count_controls(const unsigned char *b, size_t n) {
  return cdx_corpus_count_controls_scalar(b, n);
}
#endif

/* Rejects binary data: NUL bytes or many control characters. */
static bool looks_binary(const unsigned char *b, size_t n) {
  if (memchr(b, 0, n)) return true;
  return cdx_corpus_count_controls(b, n) * 100 > n; /* more than 1% control bytes is not text */
}

/* Many valid multi-byte sequences and few invalid bytes: damaged UTF-8
 * rather than another encoding (GB18030 and Big5 text is almost never valid
 * UTF-8 for more than a few characters in a row). */
static bool mostly_utf8(const char *s, size_t n) {
  size_t good = 0, bad = 0, i = 0;
  while (i < n) {
    if ((unsigned char)s[i] < 0x80) {
      i++;
      continue;
    }
    if (cdx_utf8_next(s, n, &i) >= 0) good++;
    else {
      bad++;
      i++;
    }
  }
  return good >= 16 && bad * 50 < good;
}

static int substitute_utf8(cdx_buf *b, const char *s, size_t n, size_t *n_subst) {
  int rc = CDX_OK;
  size_t i = 0;
  while (i < n && rc == CDX_OK) {
    size_t st = i;
    if ((unsigned char)s[i] < 0x80) {
      i++;
    } else if (cdx_utf8_next(s, n, &i) < 0) {
      /* one U+FFFD per maximal invalid run of continuation bytes */
      i = st + 1;
      while (i < n && ((unsigned char)s[i] & 0xC0) == 0x80) i++;
      cdx_buf_puts(&rc, b, "\xef\xbf\xbd");
      (*n_subst)++;
      continue;
    }
    cdx_buf_append(&rc, b, s + st, i - st);
  }
  return rc;
}

static bool all_space(const char *s, size_t n) {
  size_t i = 0;
  while (i < n) {
    unsigned char c = (unsigned char)s[i];
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v') {
      i++;
      continue;
    }
    int32_t cp = cdx_utf8_next(s, n, &i);
    if (cp == 0x3000 || cp == 0xA0 || cp == 0xFEFF) continue;
    return false;
  }
  return true;
}

static void normalise_newlines(cdx_buf *b) {
  /* CR or CRLF -> LF. Most documents have LF line ends only: nothing to
   * rewrite before the first CR; after it, the text between CRs moves as a
   * block. */
  char *d = b->data;
  size_t len = b->len;
  const char *cr = len ? memchr(d, '\r', len) : NULL;
  if (!cr) return;
  size_t w = (size_t)(cr - d), r = w;
  while (r < len) { /* d[r] is a CR */
    d[w++] = '\n';
    r++;
    if (r < len && d[r] == '\n') r++;
    const char *next = memchr(d + r, '\r', len - r);
    size_t end = next ? (size_t)(next - d) : len;
    memmove(d + w, d + r, end - r);
    w += end - r;
    r = end;
  }
  b->len = w;
}

static const char *ucsdet_guess(const char *in, size_t n) {
  UErrorCode st = U_ZERO_ERROR;
  UCharsetDetector *d = ucsdet_open(&st);
  if (U_FAILURE(st)) return NULL;
  ucsdet_setText(d, in, n > INT32_MAX ? INT32_MAX : (int32_t)n, &st);
  const UCharsetMatch *m = ucsdet_detect(d, &st);
  const char *name = NULL;
  if (U_SUCCESS(st) && m) {
    const char *g = ucsdet_getName(m, &st);
    if (U_SUCCESS(st) && g) {
      if (strcmp(g, "Big5") == 0) name = "Big5";
      else if (strcmp(g, "UTF-16LE") == 0) name = "UTF-16LE";
      else if (strcmp(g, "UTF-16BE") == 0) name = "UTF-16BE";
      else if (strcmp(g, "GB18030") == 0) name = "GB18030";
    }
  }
  ucsdet_close(d);
  return name;
}

int cdx_corpus_decode(const char *name, const char *bytes, size_t len, char **out, size_t *out_len,
                      const char **encoding, char **warning, cdx_error *err) {
  const unsigned char *b = (const unsigned char *)bytes;
  cdx_buf buf;
  cdx_buf_init(&buf);
  *out = NULL;
  *warning = NULL;
  const char *enc = NULL;
  size_t skip = 0, n_subst = 0;
  int rc = CDX_OK;
  bool le = false;
  char note[200] = "";

  if (len == 0) return cdx_err_set(err, CDX_BADINPUT, CDX_NO_OFFSET, "%s: empty file", name);
  if (len >= 3 && b[0] == 0xEF && b[1] == 0xBB && b[2] == 0xBF) {
    enc = "UTF-8";
    skip = 3;
  }
  /* FF FE 00 00 starts UTF-32LE's BOM as well as UTF-16LE's: tested first */
  else if (len >= 4 && b[0] == 0xFF && b[1] == 0xFE && b[2] == 0 && b[3] == 0) {
    enc = "UTF-32LE";
    skip = 4;
  } else if (len >= 4 && b[0] == 0 && b[1] == 0 && b[2] == 0xFE && b[3] == 0xFF) {
    enc = "UTF-32BE";
    skip = 4;
  } else if (len >= 2 && b[0] == 0xFF && b[1] == 0xFE) {
    enc = "UTF-16LE";
    skip = 2;
  } else if (len >= 2 && b[0] == 0xFE && b[1] == 0xFF) {
    enc = "UTF-16BE";
    skip = 2;
  } else if (looks_utf32(b, len, &le)) enc = le ? "UTF-32LE" : "UTF-32BE";
  else if (looks_utf16(b, len, &le)) {
    /* without BOM: accept only when it decodes strictly and reads like
     * text (mostly ASCII, or mostly common Han characters) */
    cdx_buf t;
    cdx_buf_init(&t);
    size_t han = 0;
    const char *cs = le ? "UTF-16LE" : "UTF-16BE";
    if (convert(cs, bytes, len, true, &t, NULL, NULL) == CDX_OK &&
        (common_permille(t.data, t.len, &han) >= 700 || han == 0) &&
        !looks_binary((const unsigned char *)t.data, t.len))
      enc = cs;
    cdx_buf_free(&t);
  }

  if (!enc && looks_binary(b, len))
    return cdx_err_set(err, CDX_BADINPUT, CDX_NO_OFFSET,
                       "%s: binary data (NUL or control bytes), not a text document", name);

  if (enc && (strncmp(enc, "UTF-16", 6) == 0 || strncmp(enc, "UTF-32", 6) == 0)) {
    size_t unit = enc[4] == '1' ? 2 : 4, body = len - skip;
    if (body % unit) {
      snprintf(note, sizeof note, "%zu trailing byte(s) of %s dropped", body % unit, enc);
      body -= body % unit;
    }
    rc = convert(enc, bytes + skip, body, false, &buf, &n_subst, NULL);
    if (rc != CDX_OK) goto fail;
  } else if (!enc || strcmp(enc, "UTF-8") == 0) {
    const char *s = bytes + skip;
    size_t n = len - skip;
    size_t bad = cdx_utf8_find_invalid(s, n);
    if (bad == CDX_NO_OFFSET) {
      enc = "UTF-8";
      cdx_buf_append(&rc, &buf, s, n);
    } else if (n - bad < 4 && cdx_utf8_find_invalid(s, bad) == CDX_NO_OFFSET &&
               (unsigned char)s[bad] >= 0xC0) {
      /* cut in the middle of a multi-byte character: drop the stub */
      enc = "UTF-8";
      rc = CDX_OK;
      cdx_buf_append(&rc, &buf, s, bad);
      snprintf(note, sizeof note, "truncated UTF-8 character at byte %zu dropped", bad + skip);
    } else if (mostly_utf8(s, n)) {
      /* UTF-8 with a few damaged bytes (a bad copy, a cut in the middle):
       * keep it, with the damage visible as U+FFFD */
      enc = "UTF-8";
      rc = substitute_utf8(&buf, s, n, &n_subst);
    } else {
      /* Not UTF-8: decode strictly as each candidate; the one whose Han
       * characters are most often common ones wins. UTF-16 without BOM and
       * without ASCII (so without NUL bytes) is a candidate too. */
      static const char *const cands[] = {"GB18030", "Big5", "UTF-16LE", "UTF-16BE"};
      size_t n_cands = n % 2 == 0 ? 4 : 2;
      int best = -1, best_pm = -1;
      size_t far[4] = {0, 0, 0, 0};
      for (size_t c = 0; c < n_cands; c++) {
        cdx_buf cb;
        cdx_buf_init(&cb);
        int r = convert(cands[c], s, n, true, &cb, NULL, &far[c]);
        if (r != CDX_OK && r != CDX_ENCODING) {
          rc = r;
          cdx_buf_free(&cb);
          goto fail;
        }
        if (r == CDX_OK) {
          size_t han = 0;
          int pm = common_permille(cb.data, cb.len, &han);
          /* UTF-16 must read as Chinese, not just decode */
          if (c >= 2 && (pm < 800 || han * 4 < n / 2)) pm = -1;
          if (pm > best_pm) {
            best_pm = pm;
            best = (int)c;
            cdx_buf_free(&buf);
            buf = cb;
            continue;
          }
        }
        cdx_buf_free(&cb);
      }
      if (best >= 0) {
        enc = cands[best];
      } else {
        cdx_buf_free(&buf);
        /* None decodes cleanly. A legacy file cut mid-character decodes up
         * to its last bytes; otherwise ask ICU's detector. */
        if (n - far[0] < 4 && far[0] >= far[1]) enc = "GB18030";
        else if (n - far[1] < 4) enc = "Big5";
        else enc = ucsdet_guess(s, n);
        if (!enc) enc = far[0] >= far[1] ? "GB18030" : "Big5";
        rc = convert(enc, s, n, false, &buf, &n_subst, NULL);
        if (rc != CDX_OK) goto fail;
      }
    }
    if (rc != CDX_OK) goto fail;
  }
  if (n_subst)
    snprintf(note + strlen(note), sizeof note - strlen(note),
             "%s%zu undecodable byte sequence(s) in %s replaced by U+FFFD", note[0] ? "; " : "",
             n_subst, enc);
  normalise_newlines(&buf);
  if (all_space(buf.data, buf.len)) {
    cdx_buf_free(&buf);
    return cdx_err_set(err, CDX_BADINPUT, CDX_NO_OFFSET, "%s: no text (only white space)", name);
  }
  /* Undecodable throughout: more replacement characters than text. */
  if (n_subst * 4 > buf.len / 3 + 4) {
    cdx_buf_free(&buf);
    return cdx_err_set(err, CDX_BADINPUT, CDX_NO_OFFSET,
                       "%s: not decodable as UTF-8, GB18030, Big5 or UTF-16", name);
  }
  rc = CDX_OK;
  cdx_buf_str(&rc, &buf);
  if (rc != CDX_OK) goto fail;
  if (note[0]) {
    *warning = strdup(note);
    if (!*warning) {
      rc = CDX_NOMEM;
      goto fail;
    }
  }
  *encoding = enc;
  *out = cdx_buf_detach(&buf, out_len);
  return CDX_OK;
fail:
  cdx_buf_free(&buf);
  if (rc == CDX_NOMEM) return cdx_err_set(err, rc, CDX_NO_OFFSET, "%s: out of memory", name);
  return cdx_err_set(err, rc, CDX_NO_OFFSET, "%s: cannot convert text (%s)", name,
                     cdx_strerror(rc));
}
