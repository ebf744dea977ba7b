/*
 * The evidence the mojibake repair (repair.c) decides with: GBK's two-byte
 * table in both directions, and a cost per character that is low for what
 * Chinese policy prose says and high for what mojibake produces.
 *
 * The cost of character c after p is a unigram class (common Han, other
 * Han, punctuation, the symbols of GBK's rows that prose hardly uses) minus a
 * bonus when the pair p,c occurs in clean text: the document's own text
 * outside the damage, so a repair agrees with what the document says
 * elsewhere, and the pairs of clean policy prose built into the library
 * (tools/gen_repair_pairs.c). Characters are compared after folding full-width forms and
 * U+3000 to ASCII, because the damaged documents seen were width-folded
 * after the damage (their brackets are ASCII) while a repair yields the
 * original full-width bytes.
 */
#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unicode/ucnv.h>
#include "corpus/corpus.h"

/* ---- GBK table ---- */

#define LEADS 126  /* 0x81-0xFE */
#define TRAILS 191 /* 0x40-0xFE (0x7F is never a trail byte and stays 0) */

static uint16_t s_dec[LEADS][TRAILS]; /* pair -> BMP code point, 0: none */
static uint16_t s_enc[0x10000];       /* code point -> lead << 8 | trail, 0: none */
static pthread_once_t s_once = PTHREAD_ONCE_INIT;
static bool s_ok;
static cdx_rm_bigrams s_builtin; /* the built-in pairs, folded */
static cdx_rm_bigrams s_words;   /* pairs inside common words, folded */

static uint16_t decode_pair(UConverter *cv, unsigned lead, unsigned trail) {
  char in[2] = {(char)lead, (char)trail};
  UChar u[4];
  UErrorCode st = U_ZERO_ERROR;
  ucnv_resetToUnicode(cv);
  int32_t n = ucnv_toUChars(cv, u, 4, in, 2, &st);
  if (U_FAILURE(st) || n != 1 || u[0] == 0xFFFD || u[0] == 0x1A || U16_IS_SURROGATE(u[0])) return 0;
  return u[0];
}

int cdx_rm_bigrams_add(cdx_rm_bigrams *t, uint32_t a, uint32_t b, int delta);

static void build_tables(void) {
  UErrorCode st = U_ZERO_ERROR;
  UConverter *gbk = ucnv_open("GBK", &st);
  UErrorCode st2 = U_ZERO_ERROR;
  /* GBK's user-defined areas (AAA1-AFFE, F8A1-FEFE, A140-A7A0) decode to
   * private-use code points in GB18030, as the damaging tool did */
  UConverter *gb18030 = ucnv_open("GB18030", &st2);
  if (U_FAILURE(st) || U_FAILURE(st2)) {
    ucnv_close(gbk);
    ucnv_close(gb18030);
    return;
  }
  ucnv_setToUCallBack(gbk, UCNV_TO_U_CALLBACK_STOP, NULL, NULL, NULL, &st);
  ucnv_setToUCallBack(gb18030, UCNV_TO_U_CALLBACK_STOP, NULL, NULL, NULL, &st2);
  for (unsigned l = 0; l < LEADS; l++) {
    for (unsigned t = 0; t < TRAILS; t++) {
      if (t + 0x40 == 0x7F) continue;
      uint16_t c = decode_pair(gbk, l + 0x81, t + 0x40);
      if (!c) c = decode_pair(gb18030, l + 0x81, t + 0x40);
      if (c < 0x80) c = 0; /* not a two-byte character */
      s_dec[l][t] = c;
      if (c && !s_enc[c]) s_enc[c] = (uint16_t)((l + 0x81) << 8 | (t + 0x40));
    }
  }
  ucnv_close(gbk);
  ucnv_close(gb18030);
  for (size_t i = 0; i < cdx_rm_builtin_count; i++)
    if (cdx_rm_bigrams_add(&s_builtin, cdx_rm_builtin_pairs[i][0], cdx_rm_builtin_pairs[i][1], 1) !=
        CDX_OK)
      return;
  for (size_t i = 0; i < cdx_rm_word_count; i++)
    if (cdx_rm_bigrams_add(&s_words, cdx_rm_word_pairs[i][0], cdx_rm_word_pairs[i][1], 1) != CDX_OK)
      return;
  s_ok = true;
}

bool cdx_rm_init(void) {
  pthread_once(&s_once, build_tables);
  return s_ok;
}

uint32_t cdx_rm_gbk_char(unsigned lead, unsigned trail) {
  if (lead < 0x81 || lead > 0xFE || trail < 0x40 || trail > 0xFE) return 0;
  return s_dec[lead - 0x81][trail - 0x40];
}

uint32_t cdx_rm_gbk_bytes(uint32_t cp) { return cp < 0x10000 ? s_enc[cp] : 0; }

/* ---- character classes ---- */

uint32_t cdx_rm_fold(uint32_t c) {
  if (c >= 0xFF01 && c <= 0xFF5E) return c - 0xFEE0;
  if (c == 0x3000 || c == '\t') return ' ';
  return c;
}

static bool is_punct(uint32_t c) {
  return (c >= 0x3000 && c <= 0x303F) || (c >= 0x2010 && c <= 0x2027) || c == 0x00B7 ||
         (c >= 0xFF01 && c <= 0xFF65);
}

/* Unigram cost classes; the numbers are in the same unit as the bigram
 * bonus and the penalties of repair.c. */
static float unigram(uint32_t c) {
  if (c >= 0x3400 && c <= 0x9FFF) return cdx_corpus_is_common_han((int32_t)c) ? 4.0f : 8.0f;
  if (c == 0xFFFD) return 14.0f;
  if (cdx_rm_is_suspicious(c)) return 12.0f;
  if (c == '?') return 7.0f;
  if (c == ' ') return 2.0f;
  if (c < 0x80) return 4.0f;
  if (is_punct(c)) return 4.0f;
  return 9.0f;
}

/* A pair counts as evidence only between characters clean text is made of. */
static bool evidence_char(uint32_t c) {
  return c != '?' && c != 0xFFFD && !cdx_rm_is_suspicious(c) && c != 0;
}

/* ---- bigram counts ---- */

static inline uint64_t key_of(uint32_t a, uint32_t b) {
  return (uint64_t)cdx_rm_fold(a) << 32 | cdx_rm_fold(b);
}

static inline size_t slot_of(uint64_t k, size_t mask) {
  k *= 0x9E3779B97F4A7C15ull;
  return (size_t)(k >> 32) & mask;
}

static int grow(cdx_rm_bigrams *t) {
  size_t cap = t->cap ? t->cap * 2 : 4096;
  uint64_t *keys = calloc(cap, sizeof *keys);
  uint32_t *counts = calloc(cap, sizeof *counts);
  if (!keys || !counts) {
    free(keys);
    free(counts);
    return CDX_NOMEM;
  }
  for (size_t i = 0; i < t->cap; i++) {
    if (!t->keys[i]) continue;
    size_t s = slot_of(t->keys[i], cap - 1);
    while (keys[s]) s = (s + 1) & (cap - 1);
    keys[s] = t->keys[i];
    counts[s] = t->counts[i];
  }
  free(t->keys);
  free(t->counts);
  t->keys = keys;
  t->counts = counts;
  t->cap = cap;
  return CDX_OK;
}

int cdx_rm_bigrams_add(cdx_rm_bigrams *t, uint32_t a, uint32_t b, int delta) {
  if (!evidence_char(a) || !evidence_char(b)) return CDX_OK;
  if ((t->n + 1) * 2 > t->cap && grow(t) != CDX_OK) return CDX_NOMEM;
  uint64_t k = key_of(a, b); /* never 0: both characters are non-zero */
  size_t s = slot_of(k, t->cap - 1);
  while (t->keys[s] && t->keys[s] != k) s = (s + 1) & (t->cap - 1);
  if (!t->keys[s]) {
    if (delta <= 0) return CDX_OK;
    t->keys[s] = k;
    t->n++;
  }
  long c = (long)t->counts[s] + delta;
  t->counts[s] = c > 0 ? (uint32_t)c : 0;
  return CDX_OK;
}

uint32_t cdx_rm_bigrams_get(const cdx_rm_bigrams *t, uint32_t a, uint32_t b) {
  if (!t->cap) return 0;
  uint64_t k = key_of(a, b);
  size_t s = slot_of(k, t->cap - 1);
  while (t->keys[s]) {
    if (t->keys[s] == k) return t->counts[s];
    s = (s + 1) & (t->cap - 1);
  }
  return 0;
}

void cdx_rm_bigrams_free(cdx_rm_bigrams *t) {
  free(t->keys);
  free(t->counts);
  memset(t, 0, sizeof *t);
}

int cdx_rm_bigrams_add_text(cdx_rm_bigrams *t, const char *s, size_t n, int delta) {
  size_t i = 0;
  uint32_t prev = ' ';
  while (i < n) {
    int32_t c = cdx_utf8_next(s, n, &i);
    if (c < 0) {
      i++;
      prev = 0;
      continue;
    }
    if (c == '\n') {
      prev = ' ';
      continue;
    }
    if (prev && cdx_rm_bigrams_add(t, prev, (uint32_t)c, delta) != CDX_OK) return CDX_NOMEM;
    prev = (uint32_t)c;
  }
  return CDX_OK;
}

bool cdx_rm_in_word(uint32_t a, uint32_t b) { return cdx_rm_bigrams_get(&s_words, a, b) != 0; }

float cdx_rm_cost(const cdx_rm_bigrams *t, const cdx_repair_evidence *ev, uint32_t prev,
                  uint32_t c) {
  float u = unigram(c);
  uint32_t n = 0;
  if (evidence_char(prev) && evidence_char(c)) {
    n = cdx_rm_bigrams_get(t, prev, c) + cdx_rm_bigrams_get(&s_builtin, prev, c);
    if (ev && ev->pair_count) n += ev->pair_count(ev->ctx, prev, c);
  }
  if (n) u -= 3.0f + fminf(1.5f, 0.5f * log2f((float)n));
  return u < 0.1f ? 0.1f : u;
}
