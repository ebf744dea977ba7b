/*
 * tokenizer/: text -> normalised terms with positions and byte offsets.
 *
 * Private interface of the module. The layers, bottom up:
 *   charprops.c - per-code-point facts (folded form, class, normalisation
 *                boundary) asked of ICU, whose normaliser it loads on the
 *                first question; Traditional characters fold with
 *                lexicon/t2s.h;
 *   chartab.c  - the table of those facts: the BMP generated at build
 *                time (with the BMP's expansions and classes), the rest
 *                computed lazily per 256-code-point page and shared by all
 *                threads;
 *   fold.c     - a stream of folded code points, each carrying the byte
 *                range of the original text it came from; cdx_fold_text;
 *   analyzer.c - segmentation into bigrams, unigrams, words and numbers,
 *                with the position rules; the public cdx_analyzer_* API.
 */
#ifndef CDX_TOKENIZER_H
#define CDX_TOKENIZER_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "common/common.h"

/* ---- Interface to tokenizer/charprops.c and tokenizer/chartab.c ---- */

/* Character classes, of a code point AFTER folding. */
enum {
  CDX_CC_SPACE = 0,  /* white space, controls, format characters: no gap */
  CDX_CC_PUNCT = 1,  /* punctuation, symbols, anything else: a gap */
  CDX_CC_CJK = 2,    /* Han, Hiragana, Katakana, Hangul: bigrams */
  CDX_CC_LETTER = 3, /* other letters and marks: words */
  CDX_CC_DIGIT = 4,  /* decimal digits: numbers */
  CDX_CC_MARK = 5    /* combining marks: part of a word, else punctuation */
};

/* A page entry: the folded code point (NFKC_Casefold of the character alone,
 * then T->S) in the low 21 bits, its class in bits 21-23, and two flags. */
#define CDX_CE_CP_MASK 0x1FFFFFu
#define CDX_CE_CLS_SHIFT 21
#define CDX_CE_CLS_MASK 0x7u
#define CDX_CE_BB (1u << 24)  /* normalisation boundary before this char */
#define CDX_CE_EXP (1u << 25) /* folds to zero or several code points */

/* Loads ICU's NFKC_Casefold normaliser once per process (the first caller
 * pays; cdx_nfkc_cf and cdx_char_compute_entry call it). CDX_OK, or CDX_ICU
 * with err filled (err may be NULL). */
int cdx_nfkc_load(cdx_error *err);
/* Whether the normaliser has been loaded (or failed to load): for the tests
 * that hold BMP text to the build-time tables alone. Not synchronised with
 * a load in another thread. */
bool cdx_nfkc_loaded(void);

/* The entry of one code point, asked of ICU (tokenizer/charprops.c; the
 * build-time generator and the pages beyond the BMP). When the normaliser
 * cannot be loaded, CDX_CE_BB | CDX_CE_EXP, so folding reaches cdx_nfkc_cf
 * and its error. */
uint32_t cdx_char_compute_entry(uint32_t cp);

/* The BMP's entries, and one bit per BMP code point set when the character
 * is a plain CJK one: it folds to itself, class CDX_CC_CJK, a normalisation
 * boundary before it, so its entry is CDX_CE_BB | cp | CJK class. That is
 * most characters of a document, and these 8 KiB stay in the L1 cache where
 * the 84 KiB of the unified ideographs' entries do not. Both generated at
 * build time (tools/gen_chartab.c writes chartab_bmp.c). */
extern const uint32_t cdx_char_bmp[0x10000];
extern const uint64_t cdx_char_plain_cjk[0x10000 / 64];
/* Also generated: the class of every BMP code point taken as already folded
 * (cdx_char_class's answer), and what each BMP character flagged CDX_CE_EXP
 * folds to alone (NFKC_Casefold, before T->S): cdx_char_exp_cp[k] (sorted)
 * gives cdx_char_exp_data[cdx_char_exp_off[k] .. cdx_char_exp_off[k + 1]).
 * With them, folding BMP text asks ICU only about combining sequences. */
extern const uint8_t cdx_char_cls_bmp[0x10000];
extern const uint16_t cdx_char_exp_cp[];
extern const uint16_t cdx_char_exp_off[];
extern const uint32_t cdx_char_exp_data[];
extern const size_t cdx_char_n_exp;
#define CDX_CE_PLAIN_CJK(cp) (CDX_CE_BB | (cp) | ((uint32_t)CDX_CC_CJK << CDX_CE_CLS_SHIFT))

/* Lazily built pages beyond the BMP (page >= 0x100); use cdx_char_entry. */
extern _Atomic unsigned char cdx_char_page_ready[0x1100];
extern uint32_t cdx_char_page_data[0x1100][256];
void cdx_char_page_build(uint32_t page);

static inline bool cdx_char_is_plain_cjk(uint32_t cp) {
  return cp < 0x10000 && (cdx_char_plain_cjk[cp >> 6] >> (cp & 63)) & 1;
}

/* The entry of code point cp (< 0x110000, not a surrogate). */
static inline uint32_t cdx_char_entry(uint32_t cp) {
  if (cp < 0x10000) {
    if (cdx_char_is_plain_cjk(cp)) return CDX_CE_PLAIN_CJK(cp);
    return cdx_char_bmp[cp];
  }
  uint32_t page = cp >> 8;
  if (!atomic_load_explicit(&cdx_char_page_ready[page], memory_order_acquire))
    cdx_char_page_build(page);
  return cdx_char_page_data[page][cp & 0xFF];
}

/* Class of an already folded code point, asked of ICU (no data to load). */
unsigned cdx_char_class(uint32_t cp);
/* The same from the generated table in the BMP. */
static inline unsigned cdx_char_class_fast(uint32_t cp) {
  return cp < 0x10000 ? cdx_char_cls_bmp[cp] : cdx_char_class(cp);
}
/* NFKC_Casefold of src[0..n) (UTF-16) into dst (cap units), loading the
 * normaliser if need be; returns the length, or -1 after filling err with
 * CDX_ICU. */
int32_t cdx_nfkc_cf(const uint16_t *src, int32_t n, uint16_t *dst, int32_t cap, size_t offset,
                    cdx_error *err);

/* ---- Interface to tokenizer/fold.c ---- */

/* One folded code point and the original bytes [start, end) it came from.
 * When normalisation merges or expands characters, every code point of the
 * result carries the range of the whole source sequence. */
typedef struct cdx_fchar {
  uint32_t cp;
  unsigned cls;
  size_t start, end;
} cdx_fchar;

/* Longest run of characters normalised together; longer runs of combining
 * marks are cut (as in the Stream-Safe Text Format) so the cost stays linear. */
#define CDX_FOLD_SEG_MAX 30
/* Room for the result of one segment: NFKC expands a character to at most
 * 18 code points, case folding to at most 3. */
#define CDX_FOLD_OUT_MAX (CDX_FOLD_SEG_MAX * 18 * 3 * 2)

typedef struct cdx_fold_iter {
  const unsigned char *text;
  size_t len, i; /* next byte not yet decoded */
  bool have_la;  /* a decoded look-ahead character */
  uint32_t la_cp, la_ent;
  size_t la_start, la_end;
  uint32_t out[CDX_FOLD_OUT_MAX / 2]; /* pending result of a normalised segment */
  int32_t nout, iout;
  size_t seg_start, seg_end;
} cdx_fold_iter;

/* text must be valid UTF-8 (checked by the caller). */
void cdx_fold_iter_init(cdx_fold_iter *it, const char *text, size_t len);
/* 1 with *fc filled, 0 at the end, or -1 after filling err (CDX_ICU). */
int cdx_fold_next(cdx_fold_iter *it, cdx_fchar *fc, cdx_error *err);

#endif
