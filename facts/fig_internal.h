/*
 * facts/ internals: the number reader, the word tables and the UTF-8 steps
 * the extractor (facts/fig_extract.c) is built from. Not for other modules:
 * they use facts/figures.h.
 */
#ifndef CDX_FACTS_FIG_INTERNAL_H
#define CDX_FACTS_FIG_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include "facts/figures.h"

/* ---- UTF-8 steps (the text is validated before any of these run) ---- */

/* The code point at s[i] (i < n) and its byte length in *len. */
static inline uint32_t cdx_fig_cp(const char *s, size_t n, size_t i, size_t *len) {
  const unsigned char *u = (const unsigned char *)s + i;
  if (u[0] < 0x80) {
    *len = 1;
    return u[0];
  }
  if (u[0] < 0xE0 && i + 1 < n) {
    *len = 2;
    return (uint32_t)(u[0] & 0x1F) << 6 | (u[1] & 0x3F);
  }
  if (u[0] < 0xF0 && i + 2 < n) {
    *len = 3;
    return (uint32_t)(u[0] & 0x0F) << 12 | (uint32_t)(u[1] & 0x3F) << 6 | (u[2] & 0x3F);
  }
  if (i + 3 < n) {
    *len = 4;
    return (uint32_t)(u[0] & 0x07) << 18 | (uint32_t)(u[1] & 0x3F) << 12 |
           (uint32_t)(u[2] & 0x3F) << 6 | (u[3] & 0x3F);
  }
  *len = 1;
  return 0xFFFD;
}

/* The code point ending at s[i) (i > 0); *start is where it begins. */
static inline uint32_t cdx_fig_prev_cp(const char *s, size_t n, size_t i, size_t *start) {
  size_t j = i - 1;
  while (j > 0 && ((unsigned char)s[j] & 0xC0) == 0x80 && i - j < 4) j--;
  size_t len;
  *start = j;
  return cdx_fig_cp(s, n, j, &len);
}

/* True when the word w is at s[i] (i may be n). */
static inline bool cdx_fig_has(const char *s, size_t n, size_t i, const char *w) {
  size_t len = strlen(w);
  return i <= n && len <= n - i && memcmp(s + i, w, len) == 0;
}

/* Byte length of the first of the NULL-terminated alternatives at s[i], or 0. */
static inline size_t cdx_fig_has_any(const char *s, size_t n, size_t i, const char *const *ws) {
  for (; *ws; ws++)
    if (cdx_fig_has(s, n, i, *ws)) return strlen(*ws);
  return 0;
}

static inline bool cdx_fig_is_digit_cp(uint32_t cp) {
  return (cp >= '0' && cp <= '9') || (cp >= 0xFF10 && cp <= 0xFF19);
}

/* ---- Interface to facts/fig_number.c ---- */

typedef struct cdx_fig_num {
  double value;      /* the number with its magnitude (2.8万 -> 28000) */
  size_t end;        /* byte after the number and its magnitude characters */
  int int_digits;    /* Arabic digits before the decimal point; 0 for Chinese numerals */
  int mag_exp;       /* power of ten of the magnitude suffix (万 4, 亿 8, 千万 7), 0 if none */
  bool is_chinese;   /* written in Chinese numerals (三千, 一百五十) */
  bool is_plain_int; /* Arabic, no separator, decimal or magnitude: may be a year */
  bool is_lone_one;  /* the single character 一 (一批, 一个 are idioms, not counts) */
} cdx_fig_num;

/* True when the code point can start a number: an ASCII or full-width digit
 * or a Chinese numeral digit (一..九, 两, 十; never 百/千/万/亿 alone). */
bool cdx_fig_starts_number(uint32_t cp);
/* Beyond ASCII it is true only inside these ranges (the full-width digits;
 * the numeral digits and 十), so a table of it need ask only there. */
static const uint32_t cdx_fig_number_start_ranges[][2] = {{0xFF10, 0xFF19}, {0x4E00, 0x56DB}};
/* True for any character of a Chinese numeral (digits and magnitudes). */
bool cdx_fig_is_cn_numeral(uint32_t cp);

/* True when a number right after cp is something else than a quantity: an
 * ordinal (第), a rate base (每千人), a session (十五届七次), a document
 * number's year (〔2025〕), part of an identifier, of a longer number, or
 * next to a character lost in decoding. */
bool cdx_fig_blocks_number(uint32_t cp);

/* An Arabic integer 1900..2100: a year when 年 follows. */
bool cdx_fig_is_year(const cdx_fig_num *a);
/* An integer in [lo, hi] with no magnitude. */
bool cdx_fig_is_int_in(const cdx_fig_num *a, double lo, double hi);

/* Reads the number at s[i]; false when there is none (or it has more digits
 * than a double holds exactly: account and phone numbers, not figures). */
bool cdx_fig_read_number(const char *s, size_t n, size_t i, cdx_fig_num *out);

/* ---- Interface to facts/fig_date.c ---- */

/* Years, dates and deadlines after the number a read at s[i]: 0 when a is
 * none of them (read on as a quantity); otherwise where scanning resumes,
 * with *f filled and *got set when it is a deadline (2月底前, 6月30日前,
 * 2025年底前) and not when it is a year or a date (2025年, 3月11日). */
size_t cdx_fig_read_date(const char *s, size_t n, size_t i, const cdx_fig_num *a, cdx_figure *f,
                         bool *got);

/* 年底前 without a number at s[i] (which holds 年): the end of the deadline
 * with *f filled, or 0. */
size_t cdx_fig_read_year_end(const char *s, size_t n, size_t i, cdx_figure *f);

/* ---- Interface to facts/fig_lexicon.c ---- */

/* One word of a table: its text as written (Simplified or Traditional), the
 * Simplified form reported, and a table-specific value. */
typedef struct cdx_fig_word {
  const char *text;
  const char *canon;
  int value;
  size_t len; /* strlen(text) */
} cdx_fig_word;

/* Unit values: what the measure word makes the figure. */
enum {
  CDX_FIGU_MONEY = 1,    /* 元, 美元 */
  CDX_FIGU_PERCENT = 2,  /* %, 个百分点 */
  CDX_FIGU_COUNT = 3,    /* 家, 个, 亩, ... */
  CDX_FIGU_COUNT_MAG = 4 /* 方: a count only after 万/亿 (十方面 is not ten of anything) */
};

/* Kind values: whether the word also names the figure when it follows it
 * (15亿元信贷资金, 5万元奖励), whether it makes 万/亿 alone a sum of money,
 * and the figure types it can name. */
enum {
  CDX_FIGK_AFTER = 1,
  CDX_FIGK_MONEY = 2,
  CDX_FIGK_FOR_MONEY = 4,
  CDX_FIGK_PERCENT = 8,
  CDX_FIGK_COUNT = 16
};

typedef enum cdx_fig_table {
  CDX_FIGT_UNIT,      /* measure words after a number; value: CDX_FIGU_* */
  CDX_FIGT_PRE_QUAL,  /* qualifiers before a number; value: cdx_figure_qual */
  CDX_FIGT_POST_QUAL, /* qualifiers after the unit; value: cdx_figure_qual */
  CDX_FIGT_KIND,      /* words that give the kind; value: CDX_FIGK_* flags */
  CDX_FIGT_BRIDGE,    /* words between a qualifier and its number (最高补贴2000元) */
  CDX_FIGT_RANGE,     /* connectors of a range: - — ～ 至 到 */
  CDX_FIGT_PLAN,      /* after N年: a plan's name (三年行动计划), not a duration */
  CDX_FIGT_COUNT_
} cdx_fig_table;

/* Prepares the tables' filters; once per process, thread-safe. The match
 * functions below must not run before it. */
void cdx_fig_lexicon_init(void);
/* True when every word of every table starts and ends with an ASCII or a
 * three-byte character, as the filters assume (for the tests). */
bool cdx_fig_lexicon_check(void);
/* The longest word of table t that starts at s[i]; its byte length, 0 if none. */
size_t cdx_fig_match(cdx_fig_table t, const char *s, size_t n, size_t i, const cdx_fig_word **w);
/* The longest word of table t that ends at s[i); its byte length, 0 if none. */
size_t cdx_fig_match_back(cdx_fig_table t, const char *s, size_t i, const cdx_fig_word **w);

#endif
