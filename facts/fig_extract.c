/* Figure extraction: one pass over the text that stops only at characters
 * that can start a number (digits, full-width digits, Chinese numeral
 * digits, 百分之, the 年 of 年底前) or open a quotation (“…” and 《…》 hold names such as
 * “人才新政40条” or a plan's title, whose numbers are not figures, so a
 * balanced short quotation is stepped over whole).
 *
 * At a number the question is answered from its neighbours only: what is
 * before it (第 makes an ordinal, 〔 a document year, a Latin letter an
 * identifier), what follows (a measure word from the table, 年/月 for years
 * and deadlines, a range connector), then qualifiers around it and the
 * nearest word of kind in its sentence. A number without a measure word is
 * not a figure: precision over recall (docs/FACTS.md). Work per number is
 * bounded, so the pass is linear in the text. */
#include <stdlib.h>
#include <string.h>
#include <threads.h>
#include "common/common.h"
#include "facts/fig_internal.h"

/* Quotations longer than this are taken as unbalanced marks (their content
 * is scanned as text): names in “” are short, titles in 《》 longer. */
#define QUOTE_MAX_BYTES 90
#define TITLE_MAX_BYTES 300
/* Values at or above this are not figures (see try_figure). */
#define FIGURE_MAX 1e15
/* How far back (characters) the kind of a figure is looked for. */
#define KIND_WINDOW_CHARS 24

typedef struct fig_vec {
  cdx_figure *v;
  size_t n, cap;
} fig_vec;

static bool vec_push(fig_vec *fv, const cdx_figure *f) {
  if (CDX_GROW(fv->v, fv->cap, fv->n + 1, 16) != CDX_OK) return false;
  fv->v[fv->n++] = *f;
  return true;
}

static const char *const s_class[] = {"级", "級", NULL};
static const char *const s_more[] = {"余", "餘", "多", NULL};
static const char *const s_of[] = {"的", NULL};

/* Byte length of an ASCII or full-width digit at s[j], or 0. */
static size_t digit_len(const char *s, size_t n, size_t j) {
  if (s[j] >= '0' && s[j] <= '9') return 1;
  size_t len;
  uint32_t cp = cdx_fig_cp(s, n, j, &len);
  return cp >= 0xFF10 && cp <= 0xFF19 ? len : 0;
}

/* A measure word at s[j] for number a: the unit table, except 方 without
 * 万/亿, and 年 that names a plan (三年行动计划) or a year's end that is no
 * year (30年底). Returns its length. */
static size_t unit_after(const char *s, size_t n, size_t j, const cdx_fig_num *a,
                         const cdx_fig_word **w) {
  size_t ul = cdx_fig_match(CDX_FIGT_UNIT, s, n, j, w);
  if (!ul) return 0;
  if ((*w)->value == CDX_FIGU_COUNT_MAG && a->mag_exp == 0) return 0;
  const cdx_fig_word *pw;
  if (strcmp((*w)->canon, "年") == 0 &&
      (cdx_fig_match(CDX_FIGT_PLAN, s, n, j + ul, &pw) || cdx_fig_has(s, n, j + ul, "底")))
    return 0; /* 三年行动计划, 30年底 */
  return ul;
}

/* The kind flag a word must carry to name a figure of type t. */
static int type_flag(cdx_figure_type t) {
  return t == CDX_FIG_MONEY     ? CDX_FIGK_FOR_MONEY
         : t == CDX_FIG_PERCENT ? CDX_FIGK_PERCENT
         : t == CDX_FIG_COUNT   ? CDX_FIGK_COUNT
                                : 0;
}

/* The kind word of a figure of type `type` whose number starts at i and whose
 * span ends at end: a word right after it (5万元奖励, 15亿元信贷资金), else
 * the nearest word before it in its sentence, not reaching back before floor. */
static const cdx_fig_word *kind_word(const char *s, size_t n, size_t i, size_t end, size_t floor,
                                     cdx_figure_type type) {
  const cdx_fig_word *w;
  int want = type_flag(type);
  size_t k = end + cdx_fig_has_any(s, n, end, s_of);
  if (cdx_fig_match(CDX_FIGT_KIND, s, n, k, &w) && (w->value & CDX_FIGK_AFTER) && (w->value & want))
    return w;
  size_t p = i;
  for (int c = 0; c < KIND_WINDOW_CHARS && p > floor; c++) {
    if (cdx_fig_match_back(CDX_FIGT_KIND, s, p, &w) && p - w->len >= floor && (w->value & want))
      return w;
    size_t ps;
    uint32_t cp = cdx_fig_prev_cp(s, n, p, &ps);
    /* 。；！？： and line ends close a sentence; ， does not (补助，最高200万元) */
    if (cp == 0x3002 || cp == 0xFF1B || cp == 0xFF01 || cp == 0xFF1F || cp == 0xFF1A || cp == ';' ||
        cp == '\n' || cp == '!' || cp == '?')
      break;
    p = ps;
  }
  return NULL;
}

/* A qualifier before the number at i (possibly with a bridge word between:
 * 最高补贴2000元), not reaching back before floor. Sets *start. */
static bool pre_qualifier(const char *s, size_t i, size_t floor, cdx_figure_qual *q,
                          size_t *start) {
  const cdx_fig_word *w;
  size_t p = i;
  for (int bridges = 0; bridges < 3; bridges++) {
    size_t ql = cdx_fig_match_back(CDX_FIGT_PRE_QUAL, s, p, &w);
    if (ql && p - ql >= floor) {
      *q = (cdx_figure_qual)w->value;
      *start = p - ql;
      return true;
    }
    size_t bl = cdx_fig_match_back(CDX_FIGT_BRIDGE, s, p, &w);
    if (!bl || p - bl < floor) return false;
    p -= bl;
  }
  return false;
}

static void set_str(char *dst, size_t cap, const char *src) {
  size_t len = strlen(src);
  if (len >= cap) len = cap - 1;
  memcpy(dst, src, len);
  dst[len] = '\0';
}

/* What follows a number: its measure word, possibly as a range. */
typedef struct measure {
  double lo, hi;
  size_t end; /* after the unit (and a bracketed alternative unit) */
  bool is_range;
  bool is_more; /* 100余家 */
} measure;

/* Reads the measure after number a (at s[i]) into *m and f's type and unit.
 * Returns 0 when it makes a figure, else where scanning resumes. */
static size_t read_measure(const char *s, size_t n, size_t i, size_t floor, const cdx_fig_num *a,
                           cdx_figure *f, measure *m) {
  size_t j = a->end;
  const cdx_fig_word *uw = NULL;
  m->lo = m->hi = a->value;
  m->is_range = m->is_more = false;
  m->end = j;
  /* 100余家, 30多个: more than */
  size_t ml = cdx_fig_has_any(s, n, j, s_more);
  if (ml && unit_after(s, n, j + ml, a, &uw)) {
    m->is_more = true;
    j += ml;
  }
  size_t ul = unit_after(s, n, j, a, &uw);
  /* ranges: 1-2个, 1至2个, 5万元到10万元, 20%-30% */
  const cdx_fig_word *rw;
  size_t k = j + ul, rl = cdx_fig_match(CDX_FIGT_RANGE, s, n, k, &rw);
  cdx_fig_num b;
  if (rl && k + rl < n && cdx_fig_read_number(s, n, k + rl, &b)) {
    const cdx_fig_word *bw = NULL;
    size_t bl = unit_after(s, n, b.end, &b, &bw);
    if (bl && (!ul || strcmp(bw->canon, uw->canon) == 0)) {
      if (cdx_fig_is_year(a) && cdx_fig_is_year(&b)) return b.end + bl; /* 2024-2026年 */
      /* 1-2万元 is 1万 to 2万 */
      if (!ul && a->mag_exp == 0 && b.mag_exp > 0 && b.mag_exp <= 12) {
        static const double p10[] = {1,   10,  1e2, 1e3,  1e4,  1e5, 1e6,
                                     1e7, 1e8, 1e9, 1e10, 1e11, 1e12};
        m->lo = a->value * p10[b.mag_exp];
      }
      m->hi = b.value;
      if (!(m->hi > m->lo)) return b.end + bl;
      m->is_range = true;
      uw = bw;
      ul = bl;
      j = b.end;
    } else if (!ul) {
      return b.end; /* 2025-05-16, 0577-1234 */
    }
  }
  /* 一批, 一个, 一次性 are idioms; 一至两万元 and 一亿元 are figures */
  if (a->is_lone_one && !m->is_range) return a->end;
  if (!ul) {
    /* 万/亿 alone are money only where the sentence speaks of money */
    const cdx_fig_word *kw = a->mag_exp >= 4 ? kind_word(s, n, i, j, floor, CDX_FIG_MONEY) : NULL;
    if (!kw || !(kw->value & CDX_FIGK_MONEY)) return a->end;
    f->type = CDX_FIG_MONEY;
    set_str(f->unit, sizeof f->unit, "元");
    m->end = j;
    return 0;
  }
  size_t end = j + ul;
  /* 10万吨级泊位, 千万级景区: a class, not a quantity */
  if (cdx_fig_has_any(s, n, end, s_class)) return end;
  f->type = uw->value == CDX_FIGU_MONEY     ? CDX_FIG_MONEY
            : uw->value == CDX_FIGU_PERCENT ? CDX_FIG_PERCENT
                                            : CDX_FIG_COUNT;
  set_str(f->unit, sizeof f->unit, uw->canon);
  /* 600台（套）, 3710套(间): an alternative measure word in brackets */
  size_t ol = cdx_fig_has(s, n, end, "（") ? 3 : cdx_fig_has(s, n, end, "(") ? 1 : 0;
  const cdx_fig_word *aw;
  size_t al = ol ? cdx_fig_match(CDX_FIGT_UNIT, s, n, end + ol, &aw) : 0;
  if (al) {
    size_t c = end + ol + al;
    size_t cl = cdx_fig_has(s, n, c, "）") ? 3 : cdx_fig_has(s, n, c, ")") ? 1 : 0;
    if (cl) end = c + cl;
  }
  m->end = end;
  return 0;
}

/* True when the number at s[i] continues something that is not a figure:
 * a blocking character before it, or a connector or separator after a
 * digit (2025-05-16, 0577-1234, 1,00). */
static bool continues_other(const char *s, size_t n, size_t i) {
  if (i == 0) return false;
  size_t ps;
  uint32_t prev = cdx_fig_prev_cp(s, n, i, &ps);
  if (cdx_fig_blocks_number(prev)) return true;
  const cdx_fig_word *w;
  size_t rl = cdx_fig_match_back(CDX_FIGT_RANGE, s, i, &w);
  if (!rl) rl = prev == ',' ? 1 : prev == 0xFF0C ? 3 : 0; /* , ， */
  return rl && i > rl && cdx_fig_is_digit_cp(cdx_fig_prev_cp(s, n, i - rl, &ps));
}

/* Tries a figure whose number starts at s[i]. Returns where scanning goes
 * on (> i); *got tells whether *f was filled. */
static size_t try_figure(const char *s, size_t n, size_t i, size_t floor, cdx_figure *f,
                         bool *got) {
  *got = false;
  bool pct_words = cdx_fig_has(s, n, i, "百分之");
  size_t num_at = pct_words ? i + strlen("百分之") : i;
  cdx_fig_num a;
  if (!cdx_fig_read_number(s, n, num_at, &a)) {
    /* 百 of a word, or a run of digits too long to be a figure: skipped whole */
    size_t j = i, dl;
    cdx_fig_cp(s, n, i, &dl);
    for (j += dl; j < n && (dl = digit_len(s, n, j)) > 0;) j += dl;
    return j;
  }
  if (continues_other(s, n, i)) return a.end;

  memset(f, 0, sizeof *f);
  measure m = {0};
  if (pct_words) {
    f->type = CDX_FIG_PERCENT;
    set_str(f->unit, sizeof f->unit, "%");
    m = (measure){a.value, a.value, a.end, false, false};
  } else {
    size_t resume = cdx_fig_read_date(s, n, i, &a, f, got);
    if (resume) return resume;
    resume = read_measure(s, n, i, floor, &a, f, &m);
    if (resume) return resume;
  }

  /* qualifiers: after the unit wins over before the number (达到3.12%左右) */
  const cdx_fig_word *pw;
  size_t end = m.end, pl = cdx_fig_match(CDX_FIGT_POST_QUAL, s, n, end, &pw);
  cdx_figure_qual pre = CDX_FIGQ_EQ;
  size_t start = i;
  bool has_pre = pre_qualifier(s, i, floor, &pre, &start);
  f->qual = m.is_range  ? CDX_FIGQ_RANGE
            : pl        ? (cdx_figure_qual)pw->value
            : has_pre   ? pre
            : m.is_more ? CDX_FIGQ_GT
                        : CDX_FIGQ_EQ;
  end += pl;

  /* No policy states 10^15 of anything; such a value comes from a run of
   * magnitudes (万亿万) and would only mislead a filter. */
  if (!(m.hi < FIGURE_MAX)) return end;
  f->lo = m.lo;
  f->hi = m.hi;
  f->start = start;
  f->end = end;
  const cdx_fig_word *kw = kind_word(s, n, i, end, floor, f->type);
  set_str(f->kind, sizeof f->kind, kw ? kw->canon : "");
  *got = true;
  return end;
}

/* Where a quotation opened at s[i] (by a mark of open_len bytes) closes, or
 * 0 when it does not close within max bytes on the same line. */
static size_t quote_close(const char *s, size_t n, size_t i, size_t open_len, const char *close,
                          size_t max) {
  size_t cl = strlen(close);
  size_t lim = i + max < n ? i + max : n;
  for (size_t j = i + open_len; j + cl <= lim; j++) {
    if (s[j] == '\n') return 0;
    if (s[j] == close[0] && memcmp(s + j, close, cl) == 0) return j + cl;
  }
  return 0;
}

/* Code points of the BMP where the scan must look closer: those that start
 * a number, 百 (of 百分之), 年 (of 年底前) and the opening quotation marks. Built from
 * cdx_fig_starts_number, so the two cannot disagree. */
static uint64_t s_may_start[0x10000 / 64];
static once_flag s_may_start_once = ONCE_FLAG_INIT;

static void fill_may_start(void) {
  /* Only where it can say yes: the whole BMP was ~6% of a search process,
   * which extracts figures from its hits (issue 18). */
  for (size_t k = 0; k < sizeof cdx_fig_number_start_ranges / sizeof cdx_fig_number_start_ranges[0];
       k++)
    for (uint32_t cp = cdx_fig_number_start_ranges[k][0]; cp <= cdx_fig_number_start_ranges[k][1];
         cp++)
      if (cdx_fig_starts_number(cp)) s_may_start[cp >> 6] |= 1ull << (cp & 63);
  static const uint32_t extra[] = {0x767E, 0x201C, 0x300A, 0x300C, 0x300E, 0x5E74 /* 年 */};
  for (size_t k = 0; k < sizeof extra / sizeof extra[0]; k++)
    s_may_start[extra[k] >> 6] |= 1ull << (extra[k] & 63);
}

int cdx_figures_extract(const char *text, size_t len, cdx_figure **out, size_t *n_out,
                        cdx_error *err) {
  if (!out || !n_out || (!text && len > 0))
    return cdx_err_set(err, CDX_INVALID, CDX_NO_OFFSET, "figures: NULL argument");
  *out = NULL;
  *n_out = 0;
  size_t bad = cdx_utf8_find_invalid(text, len);
  if (bad != CDX_NO_OFFSET)
    return cdx_err_set(err, CDX_ENCODING, bad, "figures: invalid UTF-8 at byte %zu", bad);
  cdx_fig_lexicon_init();
  call_once(&s_may_start_once, fill_may_start);
  fig_vec fv = {0};
  cdx_figure f;
  size_t i = 0, floor = 0;
  const char *s = text;
  while (i < len) {
    unsigned char c = (unsigned char)s[i];
    if (c < 0x80) {
      if (c >= '0' && c <= '9') goto number;
      i++;
      continue;
    }
    /* Most characters can start nothing: one bit per BMP code point says
     * which can, so the common case is a table test and a step of 3. */
    size_t cl;
    uint32_t cp = cdx_fig_cp(s, len, i, &cl);
    if (cp < 0x10000 && !(s_may_start[cp >> 6] >> (cp & 63) & 1)) {
      i += cl;
      continue;
    }
    if (cp == 0x201C || cp == 0x300A || cp == 0x300C || cp == 0x300E) {
      /* “ 《 「 『 */
      const char *close = cp == 0x201C ? "”" : cp == 0x300A ? "》" : cp == 0x300C ? "」" : "』";
      size_t e =
          quote_close(s, len, i, cl, close, cp == 0x300A ? TITLE_MAX_BYTES : QUOTE_MAX_BYTES);
      i = e ? e : i + cl;
      continue;
    }
    if (cp == 0x5E74) {
      size_t e = cdx_fig_read_year_end(s, len, i, &f);
      if (e) {
        if (!vec_push(&fv, &f)) goto nomem;
        floor = e;
        i = e;
      } else {
        i += cl;
      }
      continue;
    }
    if (!cdx_fig_starts_number(cp) && !(cp == 0x767E && cdx_fig_has(s, len, i, "百分之"))) {
      /* a supplementary character, or 百 not starting 百分之 */
      i += cl;
      continue;
    }
  number:;
    bool got;
    size_t next = try_figure(s, len, i, floor, &f, &got);
    if (got) {
      if (!vec_push(&fv, &f)) goto nomem;
      floor = f.end;
    }
    /* try_figure always moves on by at least the character at i */
    i = next;
  }
  *out = fv.v;
  *n_out = fv.n;
  return CDX_OK;
nomem:
  free(fv.v);
  return cdx_err_set(err, CDX_NOMEM, CDX_NO_OFFSET, "figures: out of memory");
}
