/*
 * facts/: the figures a policy clause states (sums of money, percentages,
 * counts with their measure word, deadlines), as typed values with their
 * qualifier, a short kind and their byte span. Pure text in, figures out:
 * libc and common/ only, no ICU, so the indexer and the clause aligner can
 * both call it on every unit. The rules (what counts as a figure, units,
 * qualifiers, kinds, encodings, what is deliberately not a figure) are in
 * docs/FACTS.md, the one place that lists them; the word tables behind them
 * are in facts/fig_lexicon.c.
 */
#ifndef CDX_FACTS_FIGURES_H
#define CDX_FACTS_FIGURES_H

#include <stdbool.h>
#include <stddef.h>
#include "clausedex/errors.h"

/* Values are pinned: they may be stored in index segments later. */
typedef enum cdx_figure_type {
  CDX_FIG_MONEY = 0,   /* lo/hi in the currency of unit: yuan for 元 (500万元 -> 5000000),
                           dollars for 美元, euros for 欧元 */
  CDX_FIG_PERCENT = 1, /* lo/hi in percent points (不低于50% -> 50) */
  CDX_FIG_COUNT = 2, /* lo/hi in the measure word's unit (3400亩 -> 3400, 30万平方米 -> 300000) */
  CDX_FIG_DEADLINE = 3 /* lo == hi: [year*10000 +] month*100 + day; 底 (end of) is day 31 */
} cdx_figure_type;

/* Values are pinned. GT/LT exist because the texts distinguish 超过 (more
 * than) from 不低于 (at least). Examples; the full lists are in docs/FACTS.md. */
typedef enum cdx_figure_qual {
  CDX_FIGQ_EQ = 0,     /* as stated: 15亿元 */
  CDX_FIGQ_GE = 1,     /* 不低于50%, 75家以上 */
  CDX_FIGQ_LE = 2,     /* 最高200万元, 10个以内; every deadline (2月底前) */
  CDX_FIGQ_GT = 3,     /* 超过10家, 超38家, 100余家 */
  CDX_FIGQ_LT = 4,     /* 低于60%, 不足5人 */
  CDX_FIGQ_APPROX = 5, /* 约800亿元, 102个左右 */
  CDX_FIGQ_RANGE = 6   /* 1-2个, 1至2个, 3到5年: lo < hi */
} cdx_figure_qual;

typedef struct cdx_figure {
  cdx_figure_type type;
  cdx_figure_qual qual;
  double lo, hi;     /* base units (see cdx_figure_type); hi == lo unless RANGE */
  char unit[24];     /* NUL-terminated, Simplified: 元, %, 家, 个, 亩, 平方米, 年, ...;
                           "" for deadlines. 万平方米 is 平方米 with the value scaled. */
  char kind[24];     /* NUL-terminated short kind the text states nearby, from the
                           list in docs/FACTS.md (预算, 奖励, 补贴, 贷款, 目标, ...), or "" */
  size_t start, end; /* byte span in the input: qualifier + number + unit (+ 以上/左右),
                           e.g. the whole 不低于50%; always on UTF-8 character boundaries */
} cdx_figure;

/*
 * Extracts the figures of text[0..len), in text order, non-overlapping.
 * `text` must be valid UTF-8 (it need not be NUL-terminated). On CDX_OK,
 * *out is a malloc'ed array of *n_out figures owned by the caller (free()),
 * or NULL when there are none. On failure *out is NULL, *n_out 0.
 * Errors: CDX_ENCODING (offset of the first invalid byte), CDX_NOMEM,
 * CDX_INVALID (NULL out or n_out, or NULL text with len > 0).
 * Linear in len; allocates only the result array.
 */
int cdx_figures_extract(const char *text, size_t len, cdx_figure **out, size_t *n_out,
                        cdx_error *err);

/*
 * Writes f for people into buf (cap bytes, NUL-terminated when cap > 0):
 * "≥50%", "15亿元", "≤200万元", "1-2个", "约3000亩", ">10家", "2月底前",
 * "2025年6月30日前". Money is written in the largest of 亿/万 that keeps
 * the value readable. Returns the length the full text needs (as snprintf),
 * so a return >= cap means it was truncated. 64 bytes suffice for every
 * figure cdx_figures_extract returns (its values are below 10^15).
 */
size_t cdx_figure_format(const cdx_figure *f, char *buf, size_t cap);

/* "money", "percent", "count", "deadline"; "eq", "ge", "le", "gt", "lt",
 * "approx", "range" (for JSON). Static storage; "?" for an unknown value. */
const char *cdx_figure_type_name(cdx_figure_type t);
const char *cdx_figure_qual_name(cdx_figure_qual q);

/* True when a and b measure the same thing (type and unit), so that a change
 * from one to the other is a changed value, not a different fact. */
bool cdx_figure_same_measure(const cdx_figure *a, const cdx_figure *b);

/* True when a and b state the same value: same measure, qualifier, lo, hi. */
bool cdx_figure_same_value(const cdx_figure *a, const cdx_figure *b);

/* Appends a figure as one JSON object to b (common/common.h's cdx_buf):
 * {"type","qual","lo","hi","unit","kind" (null when none),"start","end",
 * "text" (text[start, end)),"matched"} - "matched" only when matched >= 0.
 * The one writer of figure JSON (hits, parse). */
struct cdx_buf;
void cdx_figure_json(int *rc, struct cdx_buf *b, const char *type, const char *qual, double lo,
                     double hi, const char *unit, const char *kind, size_t start, size_t end,
                     const char *text, int matched);

/* The units (元, %, 百分点, 家, 个, 亩 ...) and kinds the extractor reports,
 * Simplified, each once, NULL-terminated, static storage: the one list that
 * docs/FACTS.md and the tests are checked against. Thread-safe. */
const char *const *cdx_figure_units(void);
const char *const *cdx_figure_kinds(void);

#endif
