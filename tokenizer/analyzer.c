/*
 * Segmentation: the folded character stream (fold.c) becomes CJK bigrams and
 * unigrams, words and numbers, with the position rules the indexer and the
 * query engine rely on:
 *   - a CJK run of n >= 2 characters at position p: bigram i at p+i, and with
 *     CDX_ANALYZE_UNIGRAMS the unigram of character i at p+i right after the
 *     bigram there (the last character's unigram last), with
 *     CDX_ANALYZE_RUN_TAILS only the last character's unigram; the run takes
 *     n positions either way, so positions never depend on the flags;
 *   - a run of one CJK character: one unigram at p, whatever the flags;
 *   - a word or number: one position;
 *   - a break holding at least one punctuation or symbol character adds one
 *     empty position, so no phrase matches across punctuation; white space
 *     alone adds none. The first token is at 0 whatever precedes it.
 */
#include <stdlib.h>
#include <string.h>
#include "clausedex/analyzer.h"
#include "tokenizer/tokenizer.h"

struct cdx_analyzer {
  unsigned flags;
  cdx_buf word; /* the current word's folded bytes, reused across tokens */
  cdx_fold_iter it;
};

const char *cdx_token_type_name(cdx_token_type type) {
  switch (type) {
    case CDX_TOKEN_CJK_BIGRAM: return "cjk_bigram";
    case CDX_TOKEN_CJK_UNIGRAM: return "cjk_unigram";
    case CDX_TOKEN_WORD: return "word";
    case CDX_TOKEN_NUMBER: return "number";
  }
  return "unknown";
}

int cdx_analyzer_new(unsigned flags, cdx_analyzer **out, cdx_error *err) {
  *out = NULL;
  cdx_analyzer *an = malloc(sizeof *an);
  if (!an) return cdx_err_set(err, CDX_NOMEM, CDX_NO_OFFSET, "out of memory creating an analyzer");
  an->flags = flags;
  cdx_buf_init(&an->word);
  *out = an;
  return CDX_OK;
}

void cdx_analyzer_free(cdx_analyzer *an) {
  if (!an) return;
  cdx_buf_free(&an->word);
  free(an);
}

/* State of one cdx_analyzer_run call. */
typedef struct seg {
  cdx_analyzer *an;
  cdx_token_fn fn;
  void *ctx;
  bool stopped; /* the callback asked to stop */
  uint32_t pos; /* position of the next token */
  bool started; /* a token has taken a position */
  bool gap;     /* punctuation since the last token */
  /* CJK run */
  uint32_t run_n, run_pos;
  cdx_fchar prev; /* last character of the run */
  /* word or number */
  bool in_word, has_letter, last_digit, dot;
  size_t w_start, w_end; /* dot: a '.' held back until we see whether a digit follows */
} seg;

static uint32_t take_pos(seg *s, uint32_t width) {
  if (s->gap && s->started) s->pos++;
  s->gap = false;
  s->started = true;
  uint32_t p = s->pos;
  s->pos += width;
  return p;
}

static void emit(seg *s, const char *term, size_t n, uint32_t pos, size_t start, size_t end,
                 cdx_token_type type) {
  if (s->stopped) return;
  cdx_token t = {term, n, pos, start, end, type};
  if (s->fn(s->ctx, &t) != 0) s->stopped = true;
}

static void emit_unigram(seg *s, const cdx_fchar *c, uint32_t pos) {
  char u[4];
  emit(s, u, cdx_utf8_encode(c->cp, u), pos, c->start, c->end, CDX_TOKEN_CJK_UNIGRAM);
}

static void cjk_char(seg *s, const cdx_fchar *c) {
  if (s->run_n == 0) {
    /* Reserve the first position now; the run's width is added at its end. */
    s->run_pos = take_pos(s, 0);
  } else {
    uint32_t p = s->run_pos + s->run_n - 1;
    char b[8];
    size_t n = cdx_utf8_encode(s->prev.cp, b);
    n += cdx_utf8_encode(c->cp, b + n);
    emit(s, b, n, p, s->prev.start, c->end, CDX_TOKEN_CJK_BIGRAM);
    if (s->an->flags & CDX_ANALYZE_UNIGRAMS) emit_unigram(s, &s->prev, p);
  }
  s->prev = *c;
  s->run_n++;
}

static void end_run(seg *s) {
  if (s->run_n == 0) return;
  if (s->run_n == 1 || (s->an->flags & (CDX_ANALYZE_UNIGRAMS | CDX_ANALYZE_RUN_TAILS)))
    emit_unigram(s, &s->prev, s->run_pos + s->run_n - 1);
  s->pos = s->run_pos + s->run_n;
  s->run_n = 0;
}

static void end_word(seg *s) {
  if (!s->in_word) return;
  uint32_t p = take_pos(s, 1);
  emit(s, s->an->word.data, s->an->word.len, p, s->w_start, s->w_end,
       s->has_letter ? CDX_TOKEN_WORD : CDX_TOKEN_NUMBER);
  s->in_word = false;
  if (s->dot) s->gap = true; /* the held '.' was punctuation after all */
  s->dot = false;
}

static int word_char(seg *s, const cdx_fchar *c, int *rc) {
  char u[4];
  if (s->in_word && s->dot) {
    if (c->cls == CDX_CC_DIGIT && s->last_digit) {
      cdx_buf_putc(rc, &s->an->word, '.');
      s->dot = false;
    } else {
      end_word(s);
    }
  }
  if (!s->in_word) {
    cdx_buf_reset(&s->an->word);
    s->in_word = true;
    s->has_letter = false;
    s->w_start = c->start;
  }
  cdx_buf_append(rc, &s->an->word, u, cdx_utf8_encode(c->cp, u));
  s->w_end = c->end;
  s->last_digit = c->cls == CDX_CC_DIGIT;
  if (!s->last_digit) s->has_letter = true;
  return *rc;
}

int cdx_analyzer_run(cdx_analyzer *an, const char *text, size_t len, cdx_token_fn fn, void *ctx,
                     cdx_error *err) {
  if (!an || !fn || (!text && len))
    return cdx_err_set(err, CDX_INVALID, CDX_NO_OFFSET, "cdx_analyzer_run: NULL argument");
  /* Check the whole input first: a bad byte must not leave half the tokens
   * already handed to the caller. */
  size_t bad = cdx_utf8_find_invalid(text, len);
  if (bad != CDX_NO_OFFSET)
    return cdx_err_set(err, CDX_ENCODING, bad, "invalid UTF-8 at byte %zu", bad);
  seg s;
  memset(&s, 0, sizeof s);
  s.an = an;
  s.fn = fn;
  s.ctx = ctx;
  cdx_fold_iter_init(&an->it, text, len);
  cdx_fchar c;
  int r = 0, rc = CDX_OK;
  while (!s.stopped && (r = cdx_fold_next(&an->it, &c, err)) > 0) {
    switch (c.cls) {
      case CDX_CC_CJK:
        end_word(&s);
        cjk_char(&s, &c);
        break;
      case CDX_CC_LETTER:
      case CDX_CC_DIGIT:
        end_run(&s);
        if (word_char(&s, &c, &rc) != CDX_OK)
          return cdx_err_set(err, CDX_NOMEM, c.start, "out of memory at byte %zu", c.start);
        break;
      case CDX_CC_MARK:
        /* A mark that NFC could not compose stays with the word it follows;
       * anywhere else (after a CJK character, alone) it is a symbol, so no
       * token is made of a bare mark. */
        if (s.in_word && !s.dot) {
          if (word_char(&s, &c, &rc) != CDX_OK)
            return cdx_err_set(err, CDX_NOMEM, c.start, "out of memory at byte %zu", c.start);
          break;
        }
        end_run(&s);
        end_word(&s);
        if (s.started) s.gap = true;
        break;
      case CDX_CC_PUNCT:
        if (c.cp == '.' && s.in_word && s.last_digit && !s.dot) {
          s.dot = true; /* 2.74 stays one number if a digit follows */
          break;
        }
        end_run(&s);
        end_word(&s);
        if (s.started) s.gap = true;
        break;
      default: /* white space */
        end_run(&s);
        end_word(&s);
        break;
    }
  }
  if (s.stopped) return CDX_OK;
  if (r < 0) return err ? err->code : CDX_ICU;
  end_run(&s);
  end_word(&s);
  return CDX_OK;
}
