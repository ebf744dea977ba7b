/*
 * Checking words against text: the exact substring test used to verify
 * candidates whose token chain is not proof (see qanalyze.c), and the
 * highlights of a hit.
 *
 * Highlights re-analyze the unit text with the index's own flags, so a
 * word's token chain is found at the same relative positions as in the
 * index; the token byte offsets point into the original text, so a range
 * slices exactly the characters that matched, whatever folding did (溫州 in
 * a Traditional document is highlighted though the query said 温州).
 */
#include <stdlib.h>
#include <string.h>
#include "query/query.h"

static bool is_ws(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

static const char *find(const char *h, size_t hn, const char *n, size_t nn) {
  if (nn == 0) return h;
  if (nn > hn) return NULL;
  const char *end = h + hn - nn;
  for (const char *p = h; p <= end; p++) {
    p = memchr(p, n[0], (size_t)(end - p) + 1);
    if (!p) return NULL;
    if (memcmp(p, n, nn) == 0) return p;
  }
  return NULL;
}

/* Does pattern pat (white-space runs match any amount of white space) match
 * text starting exactly at t? Returns the end or NULL. */
static const char *match_at(const char *t, const char *tend, const char *pat, const char *pend) {
  while (pat < pend) {
    if (is_ws(*pat)) {
      while (pat < pend && is_ws(*pat)) pat++;
      while (t < tend && is_ws(*t)) t++;
      continue;
    }
    if (t >= tend || *t != *pat) return NULL;
    t++;
    pat++;
  }
  return t;
}

bool cdx_q_folded_contains(const char *text, size_t text_len, const cdx_q_word *w) {
  const char *pat = w->folded, *pend = w->folded + w->folded_len;
  if (!w->phrase) return find(text, text_len, pat, w->folded_len) != NULL;
  while (pat < pend && is_ws(*pat)) pat++;
  while (pend > pat && is_ws(pend[-1])) pend--;
  if (pat == pend) return true;
  size_t first = 0;
  while (pat + first < pend && !is_ws(pat[first])) first++;
  const char *t = text, *tend = text + text_len;
  for (;;) {
    const char *hit = find(t, (size_t)(tend - t), pat, first);
    if (!hit) return false;
    if (match_at(hit, tend, pat, pend)) return true;
    t = hit + 1;
  }
}

/* ---- Highlights ---- */

typedef struct htok {
  uint32_t pos;
  size_t start, end;
  size_t term_off, term_len; /* into the arena */
} htok;

typedef struct hcollect {
  htok *toks;
  size_t n, cap;
  cdx_buf arena;
  int rc;
  const cdx_q_word *const *words; /* only tokens of their terms are kept */
  size_t n_words;
} hcollect;

/* Is term one of the words' tokens? A chain is made of those only, and
 * keeping every token of a unit (with a copy of its term) was most of the
 * cost of highlighting a hit. */
static bool wanted_term(const hcollect *c, const char *term, size_t len) {
  for (size_t i = 0; i < c->n_words; i++)
    for (size_t k = 0; k < c->words[i]->n_toks; k++) {
      const cdx_q_tok *q = &c->words[i]->toks[k];
      if (q->term_len == len && memcmp(q->term, term, len) == 0) return true;
    }
  return false;
}

static int on_htok(void *ctx, const cdx_token *t) {
  hcollect *c = ctx;
  if (!wanted_term(c, t->term, t->term_len)) return 0;
  if (CDX_GROW(c->toks, c->cap, c->n + 1, 64) != CDX_OK) {
    c->rc = CDX_NOMEM;
    return 1;
  }
  c->toks[c->n++] = (htok){t->pos, t->start, t->end, c->arena.len, t->term_len};
  cdx_buf_append(&c->rc, &c->arena, t->term, t->term_len);
  return c->rc ? 1 : 0;
}

/* First token index with pos >= want. */
static size_t lower(const hcollect *c, uint64_t want) {
  size_t lo = 0, hi = c->n;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (c->toks[mid].pos < want) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

static bool term_eq(const hcollect *c, const htok *t, const cdx_q_tok *q) {
  return t->term_len == q->term_len &&
         memcmp(c->arena.data + t->term_off, q->term, q->term_len) == 0;
}

/* The token at position want with term q, or NULL. */
static const htok *at_pos(const hcollect *c, uint64_t want, const cdx_q_tok *q) {
  for (size_t i = lower(c, want); i < c->n && c->toks[i].pos == want; i++)
    if (term_eq(c, &c->toks[i], q)) return &c->toks[i];
  return NULL;
}

static int by_start(const void *x, const void *y) {
  const size_t *a = x, *b = y;
  return a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : (a[1] < b[1] ? -1 : a[1] > b[1]);
}

/* Appends to *r the ranges of the words found by analyzing text[lo, hi)
 * whose start lies in [own_lo, own_hi) (offsets into text). */
static int window_ranges(cdx_analyzer *an, const char *text, size_t lo, size_t hi, size_t own_lo,
                         size_t own_hi, const cdx_q_word *const *words, size_t n_words,
                         size_t (**r)[2], size_t *nr, size_t *cap, cdx_error *err) {
  hcollect c = {.words = words, .n_words = n_words};
  cdx_buf_init(&c.arena);
  int rc = cdx_analyzer_run(an, text + lo, hi - lo, on_htok, &c, err);
  if (rc == CDX_OK && c.rc)
    rc = cdx_err_set(err, c.rc, CDX_NO_OFFSET, "out of memory highlighting");
  for (size_t wi = 0; rc == CDX_OK && wi < n_words; wi++) {
    const cdx_q_word *w = words[wi];
    if (w->n_toks == 0) continue;
    for (size_t i = 0; rc == CDX_OK && i < c.n; i++) {
      if (!term_eq(&c, &c.toks[i], &w->toks[0])) continue;
      uint64_t s = c.toks[i].pos;
      const htok *last = &c.toks[i];
      bool ok = true;
      for (size_t k = 1; k < w->n_toks && ok; k++) {
        last = at_pos(&c, s + w->toks[k].rel, &w->toks[k]);
        ok = last != NULL;
      }
      if (!ok) continue;
      size_t a = lo + c.toks[i].start, b = lo + last->end;
      if (a < own_lo || a >= own_hi) continue; /* another window's */
      if (w->needs_verify) {
        /* The chain also forms across punctuation or spaces the word does
         * not have (经济、高质 for 经济，高质): compare the folded slice. */
        char *f = NULL;
        size_t fl = 0;
        rc = cdx_fold_text(text + a, b - a, &f, &fl, err);
        if (rc) break;
        cdx_q_word core = *w;
        core.folded = w->core;
        core.folded_len = w->core_len;
        const char *end = core.phrase ? match_at(f, f + fl, w->core, w->core + w->core_len) : NULL;
        bool same =
            core.phrase ? (end == f + fl) : (fl == w->core_len && memcmp(f, w->core, fl) == 0);
        cdx_free(f);
        if (!same) continue;
      }
      if (cdx_grow(r, cap, *nr + 1, sizeof **r, 16) != CDX_OK) {
        rc = cdx_err_set(err, CDX_NOMEM, CDX_NO_OFFSET, "out of memory highlighting");
        break;
      }
      (*r)[*nr][0] = a;
      (*r)[*nr][1] = b;
      (*nr)++;
    }
  }
  free(c.toks);
  cdx_buf_free(&c.arena);
  return rc;
}

/* Sorts r[from, *n) and merges overlapping ranges, also with r[from - 1]. */
static void sort_merge(size_t (*r)[2], size_t from, size_t *n) {
  if (*n - from > 1) qsort(r + from, *n - from, sizeof *r, by_start);
  size_t m = from;
  for (size_t i = from; i < *n; i++) {
    if (m > 0 && r[i][0] <= r[m - 1][1]) {
      if (r[i][1] > r[m - 1][1]) r[m - 1][1] = r[i][1];
    } else {
      r[m][0] = r[i][0];
      r[m][1] = r[i][1];
      m++;
    }
  }
  *n = m;
}

static size_t char_start(const char *text, size_t len, size_t i) {
  if (i >= len) return len;
  while (i > 0 && ((unsigned char)text[i] & 0xC0) == 0x80) i--;
  return i;
}

/* A unit is analyzed a window at a time, so highlighting costs memory in
 * the window (tokens are ~50 bytes per character), not in the unit: a 200 MB
 * one-line document needed 6.4 GB at once. Each window owns the matches
 * that start in its HL_WINDOW bytes and is analyzed with HL_CONTEXT bytes
 * more on each side, so a word across an edge is found whole in the window
 * that owns its start, and a token cut by the edge (a Latin word, a bigram)
 * lies in the context, never in the owned bytes. Units up to HL_WINDOW
 * (every real clause) are one window, analyzed as before. */
#define HL_WINDOW ((size_t)256 << 10)
#define HL_CONTEXT ((size_t)4 << 10)

int cdx_q_highlight(cdx_analyzer *an, const char *text, size_t len, const cdx_q_word *const *words,
                    size_t n_words, size_t (**out)[2], size_t *n_out, cdx_error *err) {
  *out = NULL;
  *n_out = 0;
  size_t(*r)[2] = NULL;
  size_t nr = 0, cap = 0;
  int rc = CDX_OK;
  for (size_t own = 0; rc == CDX_OK && own < len && nr < CDX_MAX_HIGHLIGHTS;) {
    size_t own_end = len - own <= HL_WINDOW ? len : char_start(text, len, own + HL_WINDOW);
    if (own_end <= own) own_end = len; /* no character start found: the rest */
    size_t lo = own > HL_CONTEXT ? char_start(text, len, own - HL_CONTEXT) : 0;
    size_t hi = len - own_end <= HL_CONTEXT ? len : char_start(text, len, own_end + HL_CONTEXT);
    size_t from = nr;
    rc = window_ranges(an, text, lo, hi, own, own_end, words, n_words, &r, &nr, &cap, err);
    if (rc == CDX_OK) sort_merge(r, from, &nr);
    own = own_end;
  }
  if (rc) {
    free(r);
    return rc;
  }
  if (nr > CDX_MAX_HIGHLIGHTS) nr = CDX_MAX_HIGHLIGHTS;
  *out = r;
  *n_out = nr;
  return CDX_OK;
}
