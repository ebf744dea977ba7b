/*
 * The folded character stream: NFKC_Casefold, then T->S, one code point at a
 * time, each tagged with the original bytes it came from.
 *
 * Normalisation works on segments: a character with a normalisation boundary
 * before it starts one, and the characters without such a boundary that follow
 * join it (e + U+0301, Hangul jamo). Almost every segment is one character
 * whose fold is in the page table. Characters of the BMP that fold to zero or
 * several code points (ﬁ, ㈠, U+00DF, default ignorables) read their result
 * from the table generated with it; only segments of several characters and
 * such characters beyond the BMP go through ICU (loaded then, not before).
 * Every code point of a segment's result maps back to the whole segment, so
 * original[start, end) is always a whole sequence of source characters.
 */
#include <assert.h>
#include <stdlib.h>
#include "clausedex/analyzer.h"
#include "lexicon/t2s.h"
#include "tokenizer/tokenizer.h"

/* text is valid UTF-8 (checked before the stream starts). */
static inline uint32_t decode(const unsigned char *s, size_t *i) {
  uint32_t c = s[*i];
  if (c < 0x80) {
    *i += 1;
    return c;
  }
  if (c < 0xE0) {
    c = (c & 0x1F) << 6 | (s[*i + 1] & 0x3Fu);
    *i += 2;
    return c;
  }
  if (c < 0xF0) {
    c = (c & 0x0F) << 12 | (s[*i + 1] & 0x3Fu) << 6 | (s[*i + 2] & 0x3Fu);
    *i += 3;
    return c;
  }
  c = (c & 0x07) << 18 | (s[*i + 1] & 0x3Fu) << 12 | (s[*i + 2] & 0x3Fu) << 6 | (s[*i + 3] & 0x3Fu);
  *i += 4;
  return c;
}

void cdx_fold_iter_init(cdx_fold_iter *it, const char *text, size_t len) {
  it->text = (const unsigned char *)text;
  it->len = len;
  it->i = 0;
  it->have_la = false;
  it->nout = it->iout = 0;
}

static size_t put_utf16(uint16_t *d, size_t n, uint32_t c) {
  if (c < 0x10000) {
    d[n] = (uint16_t)c;
    return n + 1;
  }
  d[n] = (uint16_t)(0xD7C0 + (c >> 10));
  d[n + 1] = (uint16_t)(0xDC00 | (c & 0x3FF));
  return n + 2;
}

/* it->out[0..n) is the pending result of the source bytes [start, end). */
static void set_pending(cdx_fold_iter *it, int32_t n, size_t start, size_t end) {
  it->nout = n;
  it->iout = 0;
  it->seg_start = start;
  it->seg_end = end;
}

/* Normalises the segment cps[0..n) (original bytes [start, end)) into it->out. */
static int normalize_segment(cdx_fold_iter *it, const uint32_t *cps, int n, size_t start,
                             size_t end, cdx_error *err) {
  uint16_t src[CDX_FOLD_SEG_MAX * 2], dst[CDX_FOLD_OUT_MAX];
  size_t ns = 0;
  for (int k = 0; k < n; k++) ns = put_utf16(src, ns, cps[k]);
  int32_t m = cdx_nfkc_cf(src, (int32_t)ns, dst, CDX_FOLD_OUT_MAX, start, err);
  if (m < 0) return -1;
  int32_t no = 0;
  for (int32_t k = 0; k < m;) {
    uint32_t c = dst[k++];
    if (c >= 0xD800 && c < 0xDC00 && k < m && dst[k] >= 0xDC00 && dst[k] < 0xE000)
      c = 0x10000 + ((c - 0xD800) << 10) + (dst[k++] - 0xDC00u);
    it->out[no++] = c;
  }
  set_pending(it, no, start, end);
  return 0;
}

/* The generated fold of c alone (a BMP character flagged CDX_CE_EXP) into
 * it->out: what normalize_segment would make of it, without ICU. */
static void expand_bmp(cdx_fold_iter *it, uint32_t c, size_t start, size_t end) {
  size_t lo = 0, hi = cdx_char_n_exp;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (cdx_char_exp_cp[mid] < c) lo = mid + 1;
    else hi = mid;
  }
  /* the generator lists every BMP character whose entry it flagged */
  assert(lo < cdx_char_n_exp && cdx_char_exp_cp[lo] == c);
  int32_t no = 0;
  for (uint32_t k = cdx_char_exp_off[lo]; k < cdx_char_exp_off[lo + 1]; k++)
    it->out[no++] = cdx_char_exp_data[k];
  set_pending(it, no, start, end);
}

int cdx_fold_next(cdx_fold_iter *it, cdx_fchar *fc, cdx_error *err) {
  for (;;) {
    if (it->iout < it->nout) {
      /* Result of a normalised segment: already NFKC_Casefold, so only T->S. */
      uint32_t c = cdx_t2s(it->out[it->iout++]);
      fc->cp = c;
      fc->cls = cdx_char_class_fast(c);
      fc->start = it->seg_start;
      fc->end = it->seg_end;
      return 1;
    }
    uint32_t c, ent;
    size_t start, end;
    if (it->have_la) {
      c = it->la_cp;
      ent = it->la_ent;
      start = it->la_start;
      end = it->la_end;
      it->have_la = false;
    } else {
      if (it->i >= it->len) return 0;
      start = it->i;
      c = decode(it->text, &it->i);
      end = it->i;
      ent = cdx_char_entry(c);
    }
    if (it->i < it->len) {
      /* Look one character ahead: does it start a new segment? */
      size_t ns = it->i;
      uint32_t nc = decode(it->text, &it->i);
      uint32_t nent = cdx_char_entry(nc);
      if (!(nent & CDX_CE_BB)) {
        uint32_t cps[CDX_FOLD_SEG_MAX];
        int n = 0;
        cps[n++] = c;
        cps[n++] = nc;
        size_t seg_end = it->i;
        while (it->i < it->len) {
          size_t s2 = it->i;
          uint32_t c2 = decode(it->text, &it->i);
          uint32_t e2 = cdx_char_entry(c2);
          if ((e2 & CDX_CE_BB) || n == CDX_FOLD_SEG_MAX) {
            it->have_la = true;
            it->la_cp = c2;
            it->la_ent = e2;
            it->la_start = s2;
            it->la_end = it->i;
            break;
          }
          cps[n++] = c2;
          seg_end = it->i;
        }
        if (normalize_segment(it, cps, n, start, seg_end, err) < 0) return -1;
        continue;
      }
      it->have_la = true;
      it->la_cp = nc;
      it->la_ent = nent;
      it->la_start = ns;
      it->la_end = it->i;
    }
    if (ent & CDX_CE_EXP) {
      if (c < 0x10000) expand_bmp(it, c, start, end);
      else if (normalize_segment(it, &c, 1, start, end, err) < 0) return -1;
      continue;
    }
    fc->cp = ent & CDX_CE_CP_MASK;
    fc->cls = (ent >> CDX_CE_CLS_SHIFT) & CDX_CE_CLS_MASK;
    fc->start = start;
    fc->end = end;
    return 1;
  }
}

int cdx_fold_text(const char *text, size_t len, char **out, size_t *out_len, cdx_error *err) {
  *out = NULL;
  if (out_len) *out_len = 0;
  if (!text && len) return cdx_err_set(err, CDX_INVALID, CDX_NO_OFFSET, "cdx_fold_text: NULL text");
  size_t bad = cdx_utf8_find_invalid(text, len);
  if (bad != CDX_NO_OFFSET)
    return cdx_err_set(err, CDX_ENCODING, bad, "invalid UTF-8 at byte %zu", bad);
  cdx_fold_iter *it = malloc(sizeof *it);
  if (!it) return cdx_err_set(err, CDX_NOMEM, CDX_NO_OFFSET, "out of memory folding text");
  cdx_fold_iter_init(it, text, len);
  cdx_buf b;
  cdx_buf_init(&b);
  int rc = cdx_buf_reserve(&b, len + 1);
  cdx_fchar fc;
  int r = 0;
  while (rc == CDX_OK && (r = cdx_fold_next(it, &fc, err)) > 0) {
    char u[4];
    cdx_buf_append(&rc, &b, u, cdx_utf8_encode(fc.cp, u));
  }
  free(it);
  if (r < 0) rc = err ? err->code : CDX_ICU;
  if (rc == CDX_OK) cdx_buf_str(&rc, &b);
  if (rc != CDX_OK) {
    cdx_buf_free(&b);
    if (rc == CDX_NOMEM) cdx_err_set(err, CDX_NOMEM, CDX_NO_OFFSET, "out of memory folding text");
    return rc;
  }
  size_t n = b.len;
  *out = cdx_buf_detach(&b, NULL);
  if (out_len) *out_len = n;
  return CDX_OK;
}
