/* Figure extraction: one pass over the text that stops only at characters
 * that can start a number (digits, full-width digits, Chinese numeral
 * digits, 百分之) or open a quotation (“…” and 《…》 hold names such as
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
  if (fv->n == fv->cap) {
    size_t cap = fv->cap ? fv->cap * 2 : 16;
    cdx_figure *v = realloc(fv->v, cap * sizeof *v);
    if (!v) return false;
    fv->v = v;
    fv->cap = cap;
  }
  fv->v[fv->n++] = *f;
  return true;
}

static bool has(const char *s, size_t n, size_t i, const char *w) {
  size_t len = strlen(w);
  return len <= n - i && i <= n && memcmp(s + i, w, len) == 0;
}

/* Byte length of the first of the alternatives found at s[i], or 0. */
static size_t has_any(const char *s, size_t n, size_t i, const char *const *ws) {
  for (; *ws; ws++)
    if (has(s, n, i, *ws)) return strlen(*ws);
  return 0;
}

static const char *const s_before_deadline[] = {"底之前", "底以前", "底前", "末前", NULL};
static const char *const s_deadline_end[] = {"之前", "以前", "前", NULL};
static const char *const s_day[] = {"日", "号", "號", NULL};
static const char *const s_year[] = {"年", NULL};
static const char *const s_month[] = {"月", NULL};
static const char *const s_class[] = {"级", "級", NULL};
static const char *const s_more[] = {"余", "餘", "多", NULL};
static const char *const s_of[] = {"的", NULL};

/* Characters that make a number right after them something else: an
 * ordinal (第), a rate base (每千人), a session (十五届七次), a document
 * number's year (〔2025〕), part of an identifier or a longer number. */
static bool blocks_number(uint32_t cp) {
  if ((cp >= 'A' && cp <= 'Z') || (cp >= 'a' && cp <= 'z') || (cp >= '0' && cp <= '9')) return true;
  if (cp >= 0xFF10 && cp <= 0xFF19) return true;
  switch (cp) {
  case '.': case '#': case '/': case '_': case '?':
  case 0xFFFD:                 /* a character lost in decoding: digits may be too */
  case 0xFF0E:                 /* ． */
  case 0x7B2C:                 /* 第 */
  case 0x6BCF:                 /* 每 */
  case 0x5C4A: case 0x5C46:    /* 届 屆 */
  case 0x3014: case 0x3010:    /* 〔 【 */
  case '[':
    return true;
  default:
    return cdx_fig_is_cn_numeral(cp);
  }
}

/* Byte length of an ASCII or full-width digit at s[j], or 0. */
static size_t digit_len(const char *s, size_t n, size_t j) {
  if (s[j] >= '0' && s[j] <= '9') return 1;
  size_t len;
  uint32_t cp = cdx_fig_cp(s, n, j, &len);
  return cp >= 0xFF10 && cp <= 0xFF19 ? len : 0;
}

static bool is_year(const cdx_fig_num *a) {
  return a->is_plain_int && a->value >= 1900 && a->value <= 2100;
}

static bool is_int_in(const cdx_fig_num *a, double lo, double hi) {
  return a->mag_exp == 0 && a->value >= lo && a->value <= hi && a->value == (double)(long)a->value;
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
      (cdx_fig_match(CDX_FIGT_PLAN, s, n, j + ul, &pw) || has(s, n, j + ul, "底")))
    return 0; /* 三年行动计划, 30年底 */
  return ul;
}

/* Deadline after a month number at s[j] == 月: 底前 (end of month, day 31)
 * or D日前. Returns the end of the deadline, or 0 when it is a plain date;
 * *skip is where scanning resumes in that case. */
static size_t read_deadline_day(const char *s, size_t n, size_t j, int *day, size_t *skip) {
  size_t k = j + 3; /* 月 */
  size_t l = has_any(s, n, k, s_before_deadline);
  if (l) { *day = 31; return k + l; }
  cdx_fig_num d;
  *skip = k;
  if (k < n && cdx_fig_read_number(s, n, k, &d) && is_int_in(&d, 1, 31)) {
    size_t dl = has_any(s, n, d.end, s_day);
    *skip = d.end + dl;
    if (dl) {
      size_t e = has_any(s, n, d.end + dl, s_deadline_end);
      if (e) { *day = (int)d.value; return d.end + dl + e; }
    }
  }
  return 0;
}

/* The kind of a figure whose number starts at i and whose span ends at end:
 * a word right after it (5万元奖励, 15亿元信贷资金), else the nearest word
 * before it in its sentence, not reaching back before floor. */
static int type_flag(cdx_figure_type t) {
  return t == CDX_FIG_MONEY ? CDX_FIGK_FOR_MONEY : t == CDX_FIG_PERCENT ? CDX_FIGK_PERCENT
         : t == CDX_FIG_COUNT ? CDX_FIGK_COUNT : 0;
}

static const cdx_fig_word *kind_word(const char *s, size_t n, size_t i, size_t end,
                                     size_t floor, cdx_figure_type type) {
  const cdx_fig_word *w;
  int want = type_flag(type);
  size_t k = end + has_any(s, n, end, s_of);
  if (cdx_fig_match(CDX_FIGT_KIND, s, n, k, &w) && (w->value & CDX_FIGK_AFTER) &&
      (w->value & want))
    return w;
  size_t p = i;
  for (int c = 0; c < KIND_WINDOW_CHARS && p > floor; c++) {
    if (cdx_fig_match_back(CDX_FIGT_KIND, s, p, &w) && p - w->len >= floor &&
        (w->value & want))
      return w;
    size_t ps;
    uint32_t cp = cdx_fig_prev_cp(s, n, p, &ps);
    /* 。；！？： and line ends close a sentence; ， does not (补助，最高200万元) */
    if (cp == 0x3002 || cp == 0xFF1B || cp == 0xFF01 || cp == 0xFF1F || cp == 0xFF1A ||
        cp == ';' || cp == '\n' || cp == '!' || cp == '?')
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

/* Tries a figure whose number starts at s[i]. Returns where scanning goes
 * on (> i); *got tells whether *f was filled. */
static size_t try_figure(const char *s, size_t n, size_t i, size_t floor, cdx_figure *f,
                         bool *got) {
  *got = false;
  size_t clen;
  cdx_fig_cp(s, n, i, &clen);
  size_t num_at = i;
  bool pct_words = has(s, n, i, "百分之");
  if (pct_words) num_at = i + strlen("百分之");
  cdx_fig_num a;
  if (!cdx_fig_read_number(s, n, num_at, &a)) {
    /* a run of digits too long to be a figure is skipped in one step */
    size_t j = i + clen, dl;
    while (j < n && (dl = digit_len(s, n, j)) > 0) j += dl;
    return j;
  }
  size_t resume = a.end;
  if (i > 0) {
    size_t ps;
    uint32_t prev = cdx_fig_prev_cp(s, n, i, &ps);
    if (blocks_number(prev)) return resume;
    /* 2025-05-16, 0577-1234, 1,00: a number after a connector or a
     * separator that follows a digit continues something that is not a figure */
    const cdx_fig_word *w;
    size_t rl = cdx_fig_match_back(CDX_FIGT_RANGE, s, i, &w);
    if (!rl) rl = prev == ',' ? 1 : prev == 0xFF0C ? 3 : 0; /* , ， */
    if (rl && i - rl > 0) {
      uint32_t before = cdx_fig_prev_cp(s, n, i - rl, &ps);
      if ((before >= '0' && before <= '9') || (before >= 0xFF10 && before <= 0xFF19)) return resume;
    }
  }
  if (a.is_lone_one && !pct_words) return resume;

  memset(f, 0, sizeof *f);
  size_t j = a.end, end;
  const cdx_fig_word *uw = NULL;
  size_t ul = 0;
  bool is_range = false, more = false;
  double lo = a.value, hi = a.value;

  if (pct_words) {
    f->type = CDX_FIG_PERCENT;
    set_str(f->unit, sizeof f->unit, "%");
    end = j;
  } else {
    /* years and dates; deadlines */
    if (is_year(&a) && has_any(s, n, j, s_year)) {
      size_t k = j + 3;
      size_t l = has_any(s, n, k, s_before_deadline);
      cdx_fig_num m;
      if (l) {
        lo = hi = a.value * 10000 + 1231;
        end = k + l;
      } else if (k < n && cdx_fig_read_number(s, n, k, &m) && is_int_in(&m, 1, 12) &&
                 has_any(s, n, m.end, s_month)) {
        int day = 0;
        size_t skip;
        end = read_deadline_day(s, n, m.end, &day, &skip);
        if (!end) return skip;
        lo = hi = a.value * 10000 + m.value * 100 + day;
      } else {
        return k;
      }
      f->type = CDX_FIG_DEADLINE;
      f->qual = CDX_FIGQ_LE;
      f->lo = lo;
      f->hi = hi;
      f->start = i;
      f->end = end;
      *got = true;
      return end;
    }
    if (is_int_in(&a, 1, 12) && has_any(s, n, j, s_month)) {
      int day = 0;
      size_t skip;
      end = read_deadline_day(s, n, j, &day, &skip);
      if (!end) return skip;
      f->type = CDX_FIG_DEADLINE;
      f->qual = CDX_FIGQ_LE;
      f->lo = f->hi = a.value * 100 + day;
      f->start = i;
      f->end = end;
      *got = true;
      return end;
    }
    /* 100余家, 30多个: more than */
    size_t ml = has_any(s, n, j, s_more);
    if (ml && unit_after(s, n, j + ml, &a, &uw)) {
      more = true;
      j += ml;
    }
    ul = unit_after(s, n, j, &a, &uw);
    /* ranges: 1-2个, 1至2个, 5万元到10万元, 20%-30% */
    size_t k = j + ul;
    const cdx_fig_word *rw;
    size_t rl = cdx_fig_match(CDX_FIGT_RANGE, s, n, k, &rw);
    cdx_fig_num b;
    if (rl && k + rl < n && cdx_fig_read_number(s, n, k + rl, &b)) {
      const cdx_fig_word *bw = NULL;
      size_t bl = unit_after(s, n, b.end, &b, &bw);
      if (bl && (!ul || strcmp(bw->canon, uw->canon) == 0)) {
        if (is_year(&a) && is_year(&b)) return b.end + bl; /* 2024-2026年: plan years */
        /* 1-2万元 is 1万 to 2万 */
        if (!ul && a.mag_exp == 0 && b.mag_exp > 0 && a.int_digits > 0) {
          static const double p10[] = {1, 10, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9,
                                       1e10, 1e11, 1e12};
          if (b.mag_exp <= 12) lo = a.value * p10[b.mag_exp];
        }
        hi = b.value;
        if (!(hi > lo)) return b.end + bl;
        is_range = true;
        uw = bw;
        ul = bl;
        j = b.end;
      } else if (!ul) {
        return b.end;
      }
    }
    if (!ul) {
      /* 万/亿 alone are money only where the sentence speaks of money */
      const cdx_fig_word *kw = a.mag_exp >= 4 ? kind_word(s, n, i, j, floor, CDX_FIG_MONEY) : NULL;
      bool money = kw && (kw->value & CDX_FIGK_MONEY);
      if (!money) return resume;
      f->type = CDX_FIG_MONEY;
      set_str(f->unit, sizeof f->unit, "元");
      end = j;
    } else {
      end = j + ul;
      /* 10万吨级泊位, 千万级景区: a class, not a quantity */
      if (has_any(s, n, end, s_class)) return end;
      f->type = uw->value == CDX_FIGU_MONEY     ? CDX_FIG_MONEY
                : uw->value == CDX_FIGU_PERCENT ? CDX_FIG_PERCENT
                                                : CDX_FIG_COUNT;
      set_str(f->unit, sizeof f->unit, uw->canon);
      /* 600台（套）, 3710套(间): an alternative measure word in brackets */
      size_t ol = has(s, n, end, "（") ? 3 : has(s, n, end, "(") ? 1 : 0;
      const cdx_fig_word *aw;
      size_t al = ol ? cdx_fig_match(CDX_FIGT_UNIT, s, n, end + ol, &aw) : 0;
      if (al) {
        size_t c = end + ol + al;
        size_t cl = has(s, n, c, "）") ? 3 : has(s, n, c, ")") ? 1 : 0;
        if (cl) end = c + cl;
      }
    }
  }

  /* qualifiers */
  const cdx_fig_word *pw;
  size_t pl = cdx_fig_match(CDX_FIGT_POST_QUAL, s, n, end, &pw);
  cdx_figure_qual pre = CDX_FIGQ_EQ;
  size_t start = i;
  bool has_pre = pre_qualifier(s, i, floor, &pre, &start);
  if (is_range) f->qual = CDX_FIGQ_RANGE;
  else if (pl) f->qual = (cdx_figure_qual)pw->value;
  else if (has_pre) f->qual = pre;
  else if (more) f->qual = CDX_FIGQ_GT;
  else f->qual = CDX_FIGQ_EQ;
  end += pl;

  /* No policy states 10^15 of anything; such a value comes from a run of
   * magnitudes (万亿万) and would only mislead a filter. */
  if (!(hi < FIGURE_MAX)) return end;
  f->lo = lo;
  f->hi = hi;
  f->start = start;
  f->end = end;
  const cdx_fig_word *kw = kind_word(s, n, i, end, floor, f->type);
  set_str(f->kind, sizeof f->kind, kw ? kw->canon : "");
  *got = true;
  return end;
}

/* 年底前 with no year before it (力争年底前建成, 今年底前): the end of the
 * year the text speaks of, 1231. Not after a number (2025年底前 is read
 * with its year, 30年底前 is nothing) nor after 明/后/去/前, which move it
 * to another year. Returns the end of the deadline or 0. */
static size_t year_end_deadline(const char *s, size_t n, size_t i, cdx_figure *f) {
  size_t l = has_any(s, n, i + 3, s_before_deadline);
  if (!l || has(s, n, i + 3, "末前")) return 0;
  if (i > 0) {
    size_t ps;
    uint32_t prev = cdx_fig_prev_cp(s, n, i, &ps);
    if (blocks_number(prev) || prev == 0x660E || prev == 0x540E || prev == 0x5F8C ||
        prev == 0x53BB || prev == 0x524D)  /* 明 后 後 去 前 */
      return 0;
  }
  memset(f, 0, sizeof *f);
  f->type = CDX_FIG_DEADLINE;
  f->qual = CDX_FIGQ_LE;
  f->lo = f->hi = 1231;
  f->start = i;
  f->end = i + 3 + l;
  return f->end;
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
  for (uint32_t cp = 0x80; cp < 0x10000; cp++)
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
      size_t e = quote_close(s, len, i, cl, close,
                             cp == 0x300A ? TITLE_MAX_BYTES : QUOTE_MAX_BYTES);
      i = e ? e : i + cl;
      continue;
    }
    if (cp == 0x5E74) {
      size_t e = year_end_deadline(s, len, i, &f);
      if (e) {
        if (!vec_push(&fv, &f)) goto nomem;
        floor = e;
        i = e;
      } else {
        i += cl;
      }
      continue;
    }
    if (!cdx_fig_starts_number(cp) && !(cp == 0x767E && has(s, len, i, "百分之"))) {
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
