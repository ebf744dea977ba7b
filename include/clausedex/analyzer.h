#ifndef CLAUSEDEX_ANALYZER_H
#define CLAUSEDEX_ANALYZER_H

#include <stddef.h>
#include <stdint.h>
#include "clausedex/errors.h"

#ifdef __cplusplus
extern "C" {
#endif

/*
 * The analyzer turns UTF-8 text into search terms. The same analyzer runs at
 * index time and at query time, so a query term always meets the indexed term.
 *
 * Normalisation: NFKC case folding (full-width ＡＢＣ１２３ -> abc123), then
 * Traditional -> Simplified Chinese character by character.
 * Segmentation: runs of Han, Hiragana, Katakana and Hangul become overlapping
 * bigrams (一二三 -> 一二 二三); a run of one CJK character is a unigram;
 * Latin words and numbers are single lower-cased tokens (2.74 stays one);
 * punctuation, symbols and spaces make no tokens and end a CJK run.
 */

typedef enum cdx_token_type {
  CDX_TOKEN_CJK_BIGRAM = 0,
  CDX_TOKEN_CJK_UNIGRAM = 1,
  CDX_TOKEN_WORD = 2,
  CDX_TOKEN_NUMBER = 3
} cdx_token_type;

typedef struct cdx_token {
  const char *term; /* normalised UTF-8, NOT NUL-terminated; borrowed,
                           valid only during the callback */
  size_t term_len;
  uint32_t pos;      /* position; never decreases along the text */
  size_t start, end; /* byte range of the token in the ORIGINAL input */
  cdx_token_type type;
} cdx_token;

/* Called once per token in text order. Return 0 to continue; any other value
 * stops the analysis, and cdx_analyzer_run returns CDX_OK. */
typedef int (*cdx_token_fn)(void *ctx, const cdx_token *token);

typedef struct cdx_analyzer cdx_analyzer;

/* Flags for cdx_analyzer_new. */
#define CDX_ANALYZE_UNIGRAMS \
  0x1u /* also emit a unigram for every CJK
                                     character of a run, at the position of
                                     the bigram that starts there */
#define CDX_ANALYZE_RUN_TAILS \
  0x2u /* also emit the unigram of the LAST
                                     character of a run of 2+: with the
                                     bigrams, every CJK character is then the
                                     first character of exactly one term at
                                     its position (the index's choice) */

/* Creates an analyzer. The shared ICU objects and folding tables are built
 * once per process and reused. One analyzer must not be used from two threads
 * at once; create one per thread. *out is NULL on failure.
 * Errors: CDX_NOMEM, CDX_ICU. Free with cdx_analyzer_free. */
CDX_API int cdx_analyzer_new(unsigned flags, cdx_analyzer **out, cdx_error *err);

/* Accepts NULL. */
CDX_API void cdx_analyzer_free(cdx_analyzer *an);

/* Analyzes text[0..len). Errors: CDX_ENCODING for invalid UTF-8 (err->offset
 * is the byte offset of the first bad byte; no token of the input is emitted),
 * CDX_NOMEM, CDX_ICU. Empty input emits nothing and succeeds. */
CDX_API int cdx_analyzer_run(cdx_analyzer *an, const char *text, size_t len, cdx_token_fn fn,
                             void *ctx, cdx_error *err);

/* "cjk_bigram", "cjk_unigram", "word" or "number"; static storage. */
CDX_API const char *cdx_token_type_name(cdx_token_type type);

/* Folds text the way the analyzer folds it before segmenting (NFKC casefold,
 * Traditional -> Simplified), for callers that compare text directly.
 * *out is a NUL-terminated buffer owned by the caller (free with cdx_free).
 * Errors: CDX_ENCODING (with offset), CDX_NOMEM, CDX_ICU. */
CDX_API int cdx_fold_text(const char *text, size_t len, char **out, size_t *out_len,
                          cdx_error *err);

/*
 * Position and offset rules, in detail (the index and the query engine rely
 * on them):
 *  - A CJK run of n >= 2 characters starting at position p gives bigram i at
 *    p+i (i = 0..n-2); with CDX_ANALYZE_UNIGRAMS, the unigram of character i
 *    at p+i, emitted right after the bigram there (the last character's
 *    unigram last); with CDX_ANALYZE_RUN_TAILS only the last character's
 *    unigram, at p+n-1. The next token is at p+n, whatever the flags.
 *  - A run of one CJK character gives one unigram at p, whatever the flags.
 *  - A word or number takes one position. A '.' between digits stays inside
 *    a number (2.74, 2025.3.6); any other '.' is punctuation.
 *  - A break between two tokens holding any character that is not a letter,
 *    digit, CJK character or white space adds one empty position, so
 *    经济，高质量 gives 经济@0 ... 高质@3. White space, control and format
 *    characters add none. Punctuation before the first token adds nothing:
 *    the first token of every cdx_analyzer_run call is at position 0.
 *  - start/end: where normalisation merges or expands characters (e + U+0301,
 *    Hangul jamo, ﬁ -> fi, ㈠ -> (一)), every resulting character carries the
 *    byte range of the whole source sequence, so text[start, end) is always a
 *    whole number of original characters, and folding it alone gives a text
 *    that contains the term (equal to it except around such expansions).
 *  - Default-ignorable characters (U+200B, U+FEFF, variation selectors) fold
 *    to nothing and do not break a run.
 */

#ifdef __cplusplus
}
#endif
#endif
