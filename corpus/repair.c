/*
 * Mojibake repair: GBK text that some tool decoded starting one byte off.
 *
 * Seen in the wild (seed 002): runs of a paragraph's GBK bytes B0 B1 B2 ...
 * were decoded from B1, so each "character" is the trail byte of one
 * character and the lead byte of the next: `（一）推動` (A3A8 D2BB A3A9 CDC6
 * 84D3) comes out as `?。ㄒ唬┩苿…`. A run starts with '?' for the byte it
 * lost and ends either where the decoder falls back into step by itself (a
 * trail byte that is ASCII, 臺 = C5 5F) or with '?' for the last character's
 * lost trail byte; runs start anywhere in a line. The text was width-folded
 * afterwards, so a run's full-width pair A3 D5 (Ｕ) now reads as ASCII U.
 *
 * Undoing it is a search over readings of the line's bytes: each character is
 * encoded back to GBK, a '?' may stand for a lost byte (any byte: the
 * candidates are the ~190 characters its partner byte allows) and an ASCII
 * character for the full-width pair it was folded from. Pairing the bytes
 * again decides the phase by itself. A beam search finds the reading whose
 * characters cost least under the model of repair_model.c (common characters
 * and pairs the document uses elsewhere are cheap; GBK's symbol rows are
 * dear); it replaces the line only when it is clearly cheaper than the line
 * as it stands, and only the characters that differ form repaired spans. A
 * character chosen for a lost byte stays only when it is clearly better than
 * every other candidate, else it becomes U+FFFD.
 *
 * The document's own text is the evidence: first its lines without damage,
 * then (second pass) every line as repaired by the first pass, less the line
 * being repaired, so no line is its own evidence.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "corpus/corpus.h"

/* Costs of reading a byte other than as it stands, in the unit of
 * cdx_rm_cost (a common character costs 4). */
#define P_WILD 3.0f       /* a '?' read as a lost byte */
#define P_FOLD 3.0f       /* an ASCII character read as its full-width pair */
#define P_DANGLING 6.0f   /* a lead byte without trail at the end of the line */
#define ACCEPT_GAIN 8.0f  /* how much cheaper a repaired line must be */
#define CLEAR_MARGIN 2.0f /* how much cheaper the chosen candidate must be than the next */
/* Candidates within CLEAR_MARGIN of the best, at most, for a common word to
 * break their tie (measured on 002: real ties are 2 candidates; a wrong
 * reading of the bytes leaves dozens, one of which makes some word). */
#define TIE_CANDIDATES 3
#define EVIDENCE_BELOW 0.9 /* a choice less confident than this asks the corpus too */
#define BEAM 16
/* Bounds that keep the search's time linear in the text: longer lines, and
 * lines with more '?' (each one multiplies the hypotheses by ~190 for a
 * step), are not searched. A damaged paragraph of seed 002 has at most 4 '?'
 * and 1,500 bytes; a 64 KB line takes about 20 ms. */
#define MAX_LINE (1 << 16)
#define MAX_MARKS 64
/* Hypotheses one pass over a document may generate (about 0.2 us each):
 * seed 002 needs 78,000 for both; text made of '?' between Han characters
 * ~6,000 per '?'. Lines after the budget is spent stand as they are, and are
 * counted. */
#define BUDGET 1000000

/* Lead bytes of the suspicious characters: C3-C9 (U+00C0-024F), CD-D3
 * (Greek, Cyrillic), E2 (box drawing), E3 (bopomofo, enclosed), EE-EF
 * (private use, U+FFFD). */
static inline bool may_lead_suspicious(unsigned char c) {
  if (c < 0xC3) return false;                   /* ASCII and continuation bytes: most of them */
  if (c >= 0xE4) return c == 0xEE || c == 0xEF; /* E4-E9: the Han characters */
  return c <= 0xC9 || (c >= 0xCD && c <= 0xD3) || c == 0xE2 || c == 0xE3;
}

/* Counts a suspicious character led by the byte at s[i]; true at the
 * second one. */
static inline bool count_at(const char *s, size_t n, size_t i, int *n_susp) {
  size_t j = i;
  int32_t cp = cdx_utf8_next(s, n, &j);
  return cp >= 0 && cdx_rm_is_suspicious((uint32_t)cp) && ++*n_susp == 2;
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
#define IN_RANGE(v, lo, k)                                                                   \
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

/* True when the line holds at least two suspicious characters; counting
 * stops there. Only the bytes that can lead a suspicious character
 * are decoded: lead bytes are never inside a valid sequence, so this visits
 * the same characters as decoding the line one character at a time. */
static bool two_suspicious(const char *s, size_t n) {
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

/* True when a '?' stands next to a non-ASCII character: a lost byte of a
 * damaged run ('?' in Chinese prose is full-width, ？). */
static bool lost_byte_mark(const char *s, size_t n) {
  const char *q = memchr(s, '?', n);
  while (q) {
    size_t i = (size_t)(q - s);
    if ((i > 0 && (unsigned char)s[i - 1] >= 0x80) ||
        (i + 1 < n && (unsigned char)s[i + 1] >= 0x80))
      return true;
    q = memchr(q + 1, '?', n - i - 1);
  }
  return false;
}

/* More '?' than the search takes (see MAX_MARKS). */
static bool too_many_marks(const char *s, size_t n) {
  size_t k = 0;
  for (const char *q = memchr(s, '?', n); q; q = memchr(q + 1, '?', (size_t)(s + n - q - 1)))
    if (++k > MAX_MARKS) return true;
  return false;
}

static bool worth_trying(const char *s, size_t n) {
  if (n > MAX_LINE) return false;
  return (two_suspicious(s, n) || lost_byte_mark(s, n)) && !too_many_marks(s, n);
}

/* ---- the search ---- */

enum { NONE = -1, WILD = -2 }; /* carry: no byte pending, a lost lead byte */

typedef struct hyp {
  float cost;
  int32_t parent;  /* index into the previous step's hypotheses */
  uint32_t prev;   /* last character emitted; 0 while only white space is */
  int16_t carry;   /* NONE, WILD or the lead byte waiting for its trail */
  uint8_t ne;      /* characters emitted at this step */
  uint8_t chosen;  /* bit k: e[k] was chosen for a lost byte */
  uint8_t by_lead; /* bit k: e[k] lost its lead byte (else its trail byte) */
  uint32_t e[3];
} hyp;

typedef struct search {
  const cdx_rm_bigrams *lm;
  const cdx_repair_evidence *ev; /* NULL, or the corpus for an undecided line */
  hyp *next;                     /* successors of one step */
  size_t n_next, cap_next;
  bool nomem;
  size_t *budget; /* hypotheses the document may still generate */
} search;

static void push(search *x, const hyp *h) {
  if (*x->budget == 0) return; /* the caller gives up on the line */
  --*x->budget;
  if (CDX_GROW(x->next, x->cap_next, x->n_next + 1, 256) != CDX_OK) {
    x->nomem = true;
    return;
  }
  x->next[x->n_next++] = *h;
}

/* Cost of c after prev, white space at the start of a line (indentation)
 * being nearly free. */
static float char_cost(const cdx_rm_bigrams *lm, const cdx_repair_evidence *ev, uint32_t prev,
                       uint32_t c) {
  if (prev == 0 && cdx_rm_fold(c) == ' ') return 0.5f;
  return cdx_rm_cost(lm, ev, prev ? prev : ' ', c);
}

static void emit(search *x, hyp *h, uint32_t c, bool chosen, bool by_lead) {
  h->cost += char_cost(x->lm, x->ev, h->prev, c);
  if (!(h->prev == 0 && cdx_rm_fold(c) == ' ')) h->prev = c;
  if (chosen) h->chosen |= (uint8_t)(1u << h->ne);
  if (by_lead) h->by_lead |= (uint8_t)(1u << h->ne);
  h->e[h->ne++] = c;
}

static inline bool is_trail(int v) { return v >= 0x40 && v <= 0xFE && v != 0x7F; }

/* Feeds bytes b[i..nb) (WILD: a lost byte) to hypothesis h and pushes every
 * way it can continue. */
static void feed(search *x, hyp h, const int *b, int nb, int i) {
  if (i == nb) {
    push(x, &h);
    return;
  }
  int v = b[i];
  if (h.carry == NONE) {
    if (v == WILD) {
      h.carry = WILD;
      feed(x, h, b, nb, i + 1);
      return;
    }
    if (v < 0x80) emit(x, &h, (uint32_t)v, false, false);
    else if (v == 0x80) emit(x, &h, 0x20AC, false, false);
    else if (v == 0xFF) emit(x, &h, 0xFFFD, false, false);
    else h.carry = (int16_t)v;
    feed(x, h, b, nb, i + 1);
    return;
  }
  if (h.carry == WILD) {
    h.carry = NONE;
    if (v != WILD && is_trail(v)) {
      bool any = false;
      for (unsigned l = 0x81; l <= 0xFE; l++) {
        uint32_t c = cdx_rm_gbk_char(l, (unsigned)v);
        if (!c) continue;
        hyp g = h;
        emit(x, &g, c, true, true);
        feed(x, g, b, nb, i + 1);
        any = true;
      }
      if (any) return;
    }
    emit(x, &h, 0xFFFD, false, false); /* nothing to pair the lost byte with */
    feed(x, h, b, nb, v == WILD || is_trail(v) ? i + 1 : i);
    return;
  }
  unsigned lead = (unsigned)h.carry;
  h.carry = NONE;
  if (v == WILD) {
    bool any = false;
    for (unsigned t = 0x40; t <= 0xFE; t++) {
      uint32_t c = cdx_rm_gbk_char(lead, t);
      if (!c) continue;
      hyp g = h;
      emit(x, &g, c, true, false);
      feed(x, g, b, nb, i + 1);
      any = true;
    }
    if (!any) {
      emit(x, &h, 0xFFFD, false, false);
      feed(x, h, b, nb, i + 1);
    }
    return;
  }
  if (is_trail(v)) {
    uint32_t c = cdx_rm_gbk_char(lead, (unsigned)v);
    emit(x, &h, c ? c : 0xFFFD, false, false);
    feed(x, h, b, nb, i + 1);
    return;
  }
  emit(x, &h, 0xFFFD, false, false); /* a lead byte whose trail is gone */
  feed(x, h, b, nb, i);
}

static int by_cost(const void *a, const void *b) {
  float x = ((const hyp *)a)->cost, y = ((const hyp *)b)->cost;
  return (x > y) - (x < y);
}

/* Keeps the BEAM cheapest successors, one per (carry, last character). */
static size_t prune(search *x, hyp *keep) {
  qsort(x->next, x->n_next, sizeof *x->next, by_cost);
  size_t k = 0;
  for (size_t i = 0; i < x->n_next && k < BEAM; i++) {
    bool dup = false;
    for (size_t j = 0; j < k && !dup; j++)
      dup = keep[j].carry == x->next[i].carry && keep[j].prev == x->next[i].prev;
    if (!dup) keep[k++] = x->next[i];
  }
  return k;
}

/* One observed character and its readings as bytes. */
typedef struct obs {
  uint32_t cp;
  size_t off; /* byte offset in the line */
} obs;

/* Candidates for a character that lost one byte, given its neighbours: the
 * cheapest and the margin to the next; confidence is the cheapest one's
 * share of exp(-cost) over all. */
static uint32_t choose(const cdx_rm_bigrams *lm, const cdx_repair_evidence *ev, uint32_t c,
                       bool by_lead, uint32_t prev, uint32_t next, float *margin,
                       double *confidence) {
  uint32_t bytes = cdx_rm_gbk_bytes(c);
  float best = INFINITY, second = INFINITY;
  uint32_t arg = c;
  float costs[256];
  uint32_t cands[256];
  int nc = 0;
  for (unsigned k = by_lead ? 0x81 : 0x40; k <= 0xFE; k++) {
    uint32_t d = by_lead ? cdx_rm_gbk_char(k, bytes & 0xFF) : cdx_rm_gbk_char(bytes >> 8, k);
    if (!d) continue;
    float cost = char_cost(lm, ev, prev, d);
    uint32_t p2 = prev == 0 && cdx_rm_fold(d) == ' ' ? 0 : d;
    if (next) cost += char_cost(lm, ev, p2, next);
    cands[nc] = d;
    costs[nc++] = cost;
    if (cost < best) {
      second = best;
      best = cost;
      arg = d;
    } else if (cost < second) second = cost;
  }
  double sum = 0;
  for (int i = 0; i < nc; i++) sum += exp(-(double)(costs[i] - best));
  *margin = second - best;
  *confidence = sum > 0 ? 1.0 / sum : 0;
  if (*margin >= CLEAR_MARGIN) return arg;
  /* A tie under the document's evidence: the one candidate among the few
   * close to the best that makes a common word with a neighbour wins
   * (高?基礎: 高校 and 保基 are both pairs of the document; only 高校 is a
   * word). Its confidence is its share among the close ones. */
  int word = -1, close = 0;
  for (int i = 0; i < nc; i++) {
    if (costs[i] >= best + CLEAR_MARGIN) continue;
    close++;
    uint32_t p2 = prev == 0 && cdx_rm_fold(cands[i]) == ' ' ? 0 : cands[i];
    if (!(prev && cdx_rm_in_word(prev, cands[i])) && !(next && p2 && cdx_rm_in_word(p2, next)))
      continue;
    if (word >= 0) return arg; /* two words: still a tie */
    word = i;
  }
  /* among many close candidates a word is a coincidence, not evidence */
  if (word < 0 || close > TIE_CANDIDATES) return arg;
  *margin = CLEAR_MARGIN;
  *confidence = 1.0 / close;
  return cands[word];
}

typedef struct line_fix {
  cdx_repair_span *spans;
  size_t n_spans;
} line_fix;

static int add_span(line_fix *f, size_t start, size_t end, const cdx_buf *rep, size_t chosen,
                    size_t lost, double conf) {
  cdx_repair_span *g = realloc(f->spans, (f->n_spans + 1) * sizeof *g);
  if (!g) return CDX_NOMEM;
  f->spans = g;
  char *r = malloc(rep->len + 1);
  if (!r) return CDX_NOMEM;
  memcpy(r, rep->data, rep->len);
  r[rep->len] = '\0';
  g[f->n_spans++] = (cdx_repair_span){start, end, r, rep->len, chosen, lost, conf};
  return CDX_OK;
}

/* True when step i of the path emitted just its own character, with no byte
 * pending before or after it. */
static bool step_same(const hyp *steps, const size_t *path, const obs *o, size_t i,
                      const uint32_t *em, size_t ne) {
  const hyp *before = &steps[i * BEAM + path[i]];
  const hyp *after = &steps[(i + 1) * BEAM + path[i + 1]];
  return ne == 1 && em[0] == o[i].cp && before->carry == NONE && after->carry == NONE;
}

/* Searches the best reading of line s[0..n) and, when it is clearly better,
 * adds its spans (offsets from base) to *f. */
static int repair_line(const cdx_rm_bigrams *lm, const cdx_repair_evidence *ev, const char *s,
                       size_t n, size_t base, size_t *budget, line_fix *f) {
  int rc = CDX_OK;
  obs *o = malloc((n + 1) * sizeof *o);
  hyp *steps = NULL;
  size_t *counts = NULL;
  search x = {lm, ev, NULL, 0, 0, false, budget};
  cdx_buf rep;
  cdx_buf_init(&rep);
  if (!o) return CDX_NOMEM;
  size_t m = 0;
  float asis = 0;
  uint32_t prev = 0;
  for (size_t i = 0; i < n;) {
    size_t st = i;
    int32_t c = cdx_utf8_next(s, n, &i);
    if (c < 0) {
      c = 0xFFFD;
      i = st + 1;
    }
    o[m++] = (obs){(uint32_t)c, st};
    asis += char_cost(lm, ev, prev, (uint32_t)c);
    if (!(prev == 0 && cdx_rm_fold((uint32_t)c) == ' ')) prev = (uint32_t)c;
  }
  o[m].off = n;
  steps = malloc((m + 1) * BEAM * sizeof *steps);
  counts = malloc((m + 1) * sizeof *counts);
  if (!steps || !counts) {
    rc = CDX_NOMEM;
    goto out;
  }
  steps[0] = (hyp){0, -1, 0, NONE, 0, 0, 0, {0, 0, 0}};
  counts[0] = 1;
  for (size_t i = 0; i < m; i++) {
    hyp *cur = steps + i * BEAM;
    x.n_next = 0;
    uint32_t c = o[i].cp;
    uint32_t g = c < 0x80 ? c : cdx_rm_gbk_bytes(c);
    /* CP936 decodes a lone byte 80 as €: a trail byte torn from its lead */
    bool euro = c == 0x20AC;
    for (size_t k = 0; k < counts[i]; k++) {
      hyp h = cur[k];
      h.parent = (int32_t)k;
      h.ne = h.chosen = h.by_lead = 0;
      if (c < 0x80) {
        int b1[1] = {(int)c};
        feed(&x, h, b1, 1, 0);
        if (c == '?') {
          int w[1] = {WILD};
          hyp hw = h;
          hw.cost += P_WILD;
          feed(&x, hw, w, 1, 0);
        }
        if (c > 0x20 && c < 0x7F) { /* '?' too: ？ folded */
          int fw[2] = {0xA3, (int)c + 0x80};
          hyp hf = h;
          hf.cost += P_FOLD;
          feed(&x, hf, fw, 2, 0);
        }
      } else if (euro) {
        int b1[1] = {0x80};
        feed(&x, h, b1, 1, 0);
      } else if (g) {
        int b2[2] = {(int)(g >> 8), (int)(g & 0xFF)};
        feed(&x, h, b2, 2, 0);
      } else {
        /* no GBK form (U+FFFD, characters outside GBK): stands as it is and
         * ends whatever was pending */
        if (h.carry != NONE) {
          emit(&x, &h, 0xFFFD, false, false);
          h.carry = NONE;
        }
        emit(&x, &h, c, false, false);
        push(&x, &h);
      }
      if (x.nomem) {
        rc = CDX_NOMEM;
        goto out;
      }
    }
    if (*budget == 0) goto out; /* spent: the line stands as it is */
    counts[i + 1] = prune(&x, steps + (i + 1) * BEAM);
    if (!counts[i + 1]) goto out; /* cannot happen: every step has a reading */
  }
  /* the end: a pending lead byte lost its trail; a pending '?' read as lost
   * had nothing to pair with */
  hyp *last = steps + m * BEAM;
  size_t bi = 0;
  float bcost = INFINITY;
  for (size_t k = 0; k < counts[m]; k++) {
    float cost = last[k].cost;
    if (last[k].carry == WILD) continue;
    if (last[k].carry != NONE) cost += P_DANGLING + char_cost(lm, ev, last[k].prev, 0xFFFD);
    if (cost < bcost) {
      bcost = cost;
      bi = k;
    }
  }
  if (!(bcost + ACCEPT_GAIN < asis)) goto out;

  /* back to front: which hypothesis each step took */
  size_t *path = malloc((m + 1) * sizeof *path);
  if (!path) {
    rc = CDX_NOMEM;
    goto out;
  }
  path[m] = bi;
  for (size_t i = m; i > 0; i--) path[i - 1] = (size_t)steps[i * BEAM + path[i]].parent;
  /* the emitted characters in order, and the step of each */
  size_t ne = 0;
  for (size_t i = 1; i <= m; i++) ne += steps[i * BEAM + path[i]].ne;
  ne += last[bi].carry != NONE;
  uint32_t *em = malloc((ne + 1) * sizeof *em);
  size_t *em_step = malloc((ne + 1) * sizeof *em_step);
  uint8_t *em_flag = malloc(ne + 1);
  if (!em || !em_step || !em_flag) {
    free(em);
    free(em_step);
    free(em_flag);
    free(path);
    rc = CDX_NOMEM;
    goto out;
  }
  size_t w = 0;
  for (size_t i = 1; i <= m; i++) {
    const hyp *h = &steps[i * BEAM + path[i]];
    for (unsigned k = 0; k < h->ne; k++) {
      em[w] = h->e[k];
      em_step[w] = i - 1;
      em_flag[w] = (uint8_t)(((h->chosen >> k) & 1) | ((h->by_lead >> k) & 1) << 1);
      w++;
    }
  }
  if (last[bi].carry != NONE) {
    em[w] = 0xFFFD;
    em_step[w] = m - 1;
    em_flag[w] = 0;
    w++;
  }

  /* A step is unchanged when it emitted just its own character, with no
   * byte pending on either side; runs of the others are the spans. */
  size_t e0 = 0;
  for (size_t i = 0; i < m && rc == CDX_OK;) {
    size_t e1 = e0;
    while (e1 < w && em_step[e1] == i) e1++;
    if (step_same(steps, path, o, i, em + e0, e1 - e0)) {
      e0 = e1;
      i++;
      continue;
    }
    size_t j = i + 1, ej = e1;
    while (j < m) {
      size_t ek = ej;
      while (ek < w && em_step[ek] == j) ek++;
      if (step_same(steps, path, o, j, em + ej, ek - ej)) break;
      ej = ek;
      j++;
    }
    size_t chosen = 0, lost = 0;
    double conf = 1.0;
    rep.len = 0;
    for (size_t k = e0; k < ej; k++) {
      uint32_t c = em[k];
      if (em_flag[k] & 1) {
        float margin;
        double cf;
        /* the neighbours as the search saw them: 0 while only white space
         * precedes */
        uint32_t pv = 0;
        for (size_t q = 0; q < k; q++)
          if (!(pv == 0 && cdx_rm_fold(em[q]) == ' ')) pv = em[q];
        uint32_t nx = k + 1 < w ? em[k + 1] : 0;
        c = choose(lm, ev, c, (em_flag[k] >> 1) & 1, pv, nx, &margin, &cf);
        if (margin < CLEAR_MARGIN) {
          c = 0xFFFD;
          lost++;
        } else {
          chosen++;
          if (cf < conf) conf = cf;
        }
        em[k] = c; /* the next choice sees this one */
      } else if (c == 0xFFFD) {
        lost++;
      }
      char u8[4];
      size_t ulen = cdx_utf8_encode(c, u8);
      cdx_buf_append(&rc, &rep, u8, ulen);
    }
    if (rc == CDX_OK) rc = add_span(f, base + o[i].off, base + o[j].off, &rep, chosen, lost, conf);
    e0 = ej;
    i = j;
  }
  free(em);
  free(em_step);
  free(em_flag);
  free(path);
out:
  cdx_buf_free(&rep);
  free(x.next);
  free(steps);
  free(counts);
  free(o);
  return rc;
}

void cdx_repair_spans_free(cdx_repair_span *spans, size_t n) {
  for (size_t i = 0; i < n; i++) free(spans[i].repair);
  free(spans);
}

typedef struct line_ref {
  size_t start, end;
} line_ref;

/* Bigrams of the text with each flagged line as given by its spans so far. */
static int count_text(cdx_rm_bigrams *lm, const char *text, size_t len, const line_ref *fl,
                      size_t nfl, const line_fix *fixes, bool with_flagged) {
  size_t pos = 0, k = 0;
  while (pos < len) {
    const char *nl = memchr(text + pos, '\n', len - pos);
    size_t end = nl ? (size_t)(nl - text) : len;
    bool flagged = k < nfl && fl[k].start == pos;
    if (!flagged) {
      if (cdx_rm_bigrams_add_text(lm, text + pos, end - pos, 1) != CDX_OK) return CDX_NOMEM;
    } else {
      if (with_flagged) {
        cdx_buf b;
        cdx_buf_init(&b);
        int rc = CDX_OK;
        size_t at = pos;
        for (size_t s = 0; s < fixes[k].n_spans; s++) {
          cdx_buf_append(&rc, &b, text + at, fixes[k].spans[s].start - at);
          cdx_buf_append(&rc, &b, fixes[k].spans[s].repair, fixes[k].spans[s].repair_len);
          at = fixes[k].spans[s].end;
        }
        cdx_buf_append(&rc, &b, text + at, end - at);
        if (rc == CDX_OK) rc = cdx_rm_bigrams_add_text(lm, b.data, b.len, 1);
        cdx_buf_free(&b);
        if (rc != CDX_OK) return rc;
      }
      k++;
    }
    pos = end + 1;
  }
  return CDX_OK;
}

/* Adds (delta 1) or removes (-1) one flagged line as repaired so far. */
static int count_line(cdx_rm_bigrams *lm, const char *text, const line_ref *l, const line_fix *f,
                      int delta) {
  cdx_buf b;
  cdx_buf_init(&b);
  int rc = CDX_OK;
  size_t at = l->start;
  for (size_t s = 0; s < f->n_spans; s++) {
    cdx_buf_append(&rc, &b, text + at, f->spans[s].start - at);
    cdx_buf_append(&rc, &b, f->spans[s].repair, f->spans[s].repair_len);
    at = f->spans[s].end;
  }
  cdx_buf_append(&rc, &b, text + at, l->end - at);
  if (rc == CDX_OK && b.len) rc = cdx_rm_bigrams_add_text(lm, b.data, b.len, delta);
  cdx_buf_free(&b);
  return rc;
}

/* True when a line's repair left a character as U+FFFD or chose one with
 * little confidence. */
static bool undecided(const line_fix *f) {
  for (size_t s = 0; s < f->n_spans; s++)
    if (f->spans[s].n_lost || f->spans[s].confidence < EVIDENCE_BELOW) return true;
  return false;
}

static void free_fixes(line_fix *f, size_t n) {
  for (size_t i = 0; f && i < n; i++) cdx_repair_spans_free(f[i].spans, f[i].n_spans);
  free(f);
}

int cdx_corpus_repair(const char *text, size_t len, const cdx_repair_evidence *ev, char **out,
                      size_t *out_len, cdx_repair_span **spans, size_t *n_spans,
                      size_t *n_unsearched, cdx_error *err) {
  *out = NULL;
  *spans = NULL;
  *n_spans = 0;
  *n_unsearched = 0;
  size_t budget = BUDGET;
  if (out_len) *out_len = len;
  line_ref *fl = NULL;
  size_t nfl = 0, cap = 0;
  for (size_t pos = 0; pos < len;) {
    const char *nl = memchr(text + pos, '\n', len - pos);
    size_t end = nl ? (size_t)(nl - text) : len;
    if (worth_trying(text + pos, end - pos)) {
      if (nfl == cap) {
        line_ref *g = realloc(fl, (cap = cap ? cap * 2 : 16) * sizeof *g);
        if (!g) {
          free(fl);
          goto nomem0;
        }
        fl = g;
      }
      fl[nfl++] = (line_ref){pos, end};
    }
    pos = end + 1;
  }
  if (!nfl) return CDX_OK;
  if (!cdx_rm_init()) {
    free(fl);
    return cdx_err_set(err, CDX_ICU, CDX_NO_OFFSET, "mojibake repair: ICU has no GBK converter");
  }
  int rc = CDX_OK;
  cdx_rm_bigrams lm = {0};
  line_fix *fix = calloc(nfl, sizeof *fix), *fix2 = calloc(nfl, sizeof *fix2);
  if (!fix || !fix2) rc = CDX_NOMEM;
  /* pass 1: evidence from the lines without damage */
  if (rc == CDX_OK) rc = count_text(&lm, text, len, fl, nfl, fix, false);
  for (size_t k = 0; k < nfl && rc == CDX_OK; k++)
    rc = repair_line(&lm, NULL, text + fl[k].start, fl[k].end - fl[k].start, fl[k].start, &budget,
                     &fix[k]);
  /* pass 2: evidence from the whole text as pass 1 repaired it, less the
   * line at hand */
  cdx_rm_bigrams_free(&lm);
  if (rc == CDX_OK) rc = count_text(&lm, text, len, fl, nfl, fix, true);
  budget = BUDGET; /* each pass has its own */
  for (size_t k = 0; k < nfl && rc == CDX_OK; k++) {
    if (budget == 0) { /* spent: the rest stands as it is */
      (*n_unsearched)++;
      continue;
    }
    rc = count_line(&lm, text, &fl[k], &fix[k], -1);
    if (rc == CDX_OK)
      rc = repair_line(&lm, NULL, text + fl[k].start, fl[k].end - fl[k].start, fl[k].start, &budget,
                       &fix2[k]);
    /* a line the document leaves undecided is searched again with the
     * corpus as evidence too (only such lines: each of its pairs is a
     * question to the corpus) */
    if (rc == CDX_OK && ev && undecided(&fix2[k])) {
      line_fix again = {NULL, 0};
      rc = repair_line(&lm, ev, text + fl[k].start, fl[k].end - fl[k].start, fl[k].start, &budget,
                       &again);
      cdx_repair_spans_free(fix2[k].spans, fix2[k].n_spans);
      fix2[k] = again;
    }
    if (rc == CDX_OK) rc = count_line(&lm, text, &fl[k], &fix[k], 1);
    if (budget == 0 && !fix2[k].n_spans) (*n_unsearched)++; /* given up in the middle */
  }
  cdx_rm_bigrams_free(&lm);
  free_fixes(fix, nfl);
  fix = NULL;

  /* the spans in text order, and the text with them applied */
  size_t total = 0;
  for (size_t k = 0; k < nfl && rc == CDX_OK; k++) total += fix2[k].n_spans;
  if (rc == CDX_OK && total) {
    cdx_repair_span *all = malloc(total * sizeof *all);
    cdx_buf b;
    cdx_buf_init(&b);
    if (!all) rc = CDX_NOMEM;
    size_t at = 0, w = 0;
    for (size_t k = 0; k < nfl && rc == CDX_OK; k++) {
      for (size_t s = 0; s < fix2[k].n_spans; s++) {
        cdx_repair_span *sp = &fix2[k].spans[s];
        cdx_buf_append(&rc, &b, text + at, sp->start - at);
        cdx_buf_append(&rc, &b, sp->repair, sp->repair_len);
        at = sp->end;
        all[w++] = *sp;
      }
      free(fix2[k].spans); /* the repairs moved to all */
      fix2[k].spans = NULL;
      fix2[k].n_spans = 0;
    }
    cdx_buf_append(&rc, &b, text + at, len - at);
    cdx_buf_str(&rc, &b);
    if (rc == CDX_OK) {
      *out = cdx_buf_detach(&b, out_len);
      *spans = all;
      *n_spans = total;
    } else {
      cdx_buf_free(&b);
      cdx_repair_spans_free(all, w);
    }
  }
  free_fixes(fix2, nfl);
  free(fl);
  if (rc != CDX_OK)
    return cdx_err_set(err, rc, CDX_NO_OFFSET, "mojibake repair: %s", cdx_strerror(rc));
  return CDX_OK;
nomem0:
  return cdx_err_set(err, CDX_NOMEM, CDX_NO_OFFSET, "mojibake repair: out of memory");
}
