/*
 * A query word -> the term sequence the index must hold for it.
 *
 * The word is analyzed WITHOUT the unigram flag: a CJK run of 2+ characters
 * becomes its bigram chain (以旧换新 -> 以旧@0 旧换@1 换新@2), which the index
 * holds at consecutive positions exactly where the run occurs; a 1-char run
 * is its unigram, which search.c looks up as every term starting with that
 * character (the index holds a character as the bigram it begins, or as a
 * unigram where its run ends). Positions follow the shared rules, so relative positions
 * of a word's tokens are the same in the query and in any unit containing it.
 *
 * When is the token chain not proof of a substring match? When the word has
 * more than one "segment": two runs, a run and a Latin token, or bytes outside
 * the tokens (punctuation). 经济，高质 gives 经济@0 高质@2, which 经济、高质
 * also gives; 5G基站 gives 5g@0 基站@1, which "5G 基站" also gives. Such words
 * are marked needs_verify and candidates are checked against folded text.
 */
#include <stdlib.h>
#include <string.h>
#include "query/query.h"

typedef struct collect {
  cdx_q_word *w;
  size_t cap;
  uint32_t first_pos;
  int rc;
} collect;

static int on_token(void *ctx, const cdx_token *t) {
  collect *c = ctx;
  cdx_q_word *w = c->w;
  if (CDX_GROW(w->toks, c->cap, w->n_toks + 1, 8) != CDX_OK) {
    c->rc = CDX_NOMEM;
    return 1;
  }
  if (w->n_toks == 0) c->first_pos = t->pos;
  char *term = malloc(t->term_len + 1);
  if (!term) {
    c->rc = CDX_NOMEM;
    return 1;
  }
  memcpy(term, t->term, t->term_len);
  term[t->term_len] = '\0';
  w->toks[w->n_toks++] =
      (cdx_q_tok){term, t->term_len, t->pos - c->first_pos, t->start, t->end, t->type};
  return 0;
}

static bool all_ws(const char *s, size_t n) {
  for (size_t i = 0; i < n;) {
    if (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r' || s[i] == '\f' || s[i] == '\v')
      i++;
    else if (i + 2 < n + 0 && (unsigned char)s[i] == 0xE3 && (unsigned char)s[i + 1] == 0x80 &&
             (unsigned char)s[i + 2] == 0x80)
      i += 3; /* U+3000 */
    else return false;
  }
  return true;
}

/* Do the tokens at their relative positions prove the text match? Every
 * step from one token to the next must be either inside one CJK run
 * (overlapping consecutive bigrams) or, in a phrase, across white space
 * only, which the pattern lets match any white space or none: a document
 * with punctuation there has a position gap, and one with nothing there has
 * the same positions. Bytes outside the tokens must be absent (a word) or
 * white space (a phrase). Anything else — 5G基站 (5g 基站 also gives
 * 5g@0 基站@1), 经济，高质 (经济、高质 gives the same) — is verified. */
static bool chain_is_proof(const cdx_q_word *w, const char *text, size_t len) {
  if (w->n_toks == 0) return false;
  size_t head = w->toks[0].start, tail = w->toks[w->n_toks - 1].end;
  if (head > 0 && !(w->phrase && all_ws(text, head))) return false;
  if (tail < len && !(w->phrase && all_ws(text + tail, len - tail))) return false;
  for (size_t i = 1; i < w->n_toks; i++) {
    const cdx_q_tok *a = &w->toks[i - 1], *b = &w->toks[i];
    bool same_run = a->type == CDX_TOKEN_CJK_BIGRAM && b->type == CDX_TOKEN_CJK_BIGRAM &&
                    b->rel == a->rel + 1 && b->start < a->end;
    bool spaced = w->phrase && a->end < b->start && all_ws(text + a->end, b->start - a->end);
    if (!same_run && !spaced) return false;
  }
  return true;
}

void cdx_q_word_clear(cdx_q_word *w) {
  for (size_t i = 0; i < w->n_toks; i++) free(w->toks[i].term);
  free(w->toks);
  cdx_free(w->folded);
  cdx_free(w->core);
  memset(w, 0, sizeof *w);
}

int cdx_q_word_analyze(cdx_analyzer *an, const char *text, size_t len, bool phrase, cdx_q_word *w,
                       cdx_error *err) {
  memset(w, 0, sizeof *w);
  w->phrase = phrase;
  collect c = {w, 0, 0, CDX_OK};
  int rc = cdx_analyzer_run(an, text, len, on_token, &c, err);
  if (rc == CDX_OK && c.rc)
    rc = cdx_err_set(err, c.rc, CDX_NO_OFFSET, "out of memory analyzing the query");
  if (rc == CDX_OK) rc = cdx_fold_text(text, len, &w->folded, &w->folded_len, err);
  if (rc == CDX_OK && w->n_toks > 0) {
    size_t s = w->toks[0].start, e = w->toks[w->n_toks - 1].end;
    rc = cdx_fold_text(text + s, e - s, &w->core, &w->core_len, err);
  }
  if (rc) {
    cdx_q_word_clear(w);
    return rc;
  }
  w->needs_verify = !chain_is_proof(w, text, len);
  return CDX_OK;
}
