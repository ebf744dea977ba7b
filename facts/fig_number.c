/* Numbers as policy texts write them: ASCII or full-width digits with
 * optional thousands separators (1,000 and 1，000 are one number) and a
 * decimal point (. or ．), followed by Chinese magnitudes (2.8万, 1千万,
 * 23.68億); or Chinese numerals (三千, 一百五十, 两万, 十二, 一亿五千万).
 *
 * Arabic values are kept as an integer mantissa and a power of ten until the
 * end, so 23.68亿 is exactly 2368000000 (multiplying the double 23.68 by 1e8
 * is not). */
#include "facts/fig_internal.h"

/* Doubles hold integers exactly up to 2^53; 15 significant digits stay
 * below it, and nothing longer is a policy figure (phone, account and
 * document-index numbers are). */
#define MAX_DIGITS 15

static const double s_pow10[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,  1e8, 1e9,
                                 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18};

/* Digit value at s[i] (ASCII or full-width) with its byte length, or -1. */
static int digit_at(const char *s, size_t n, size_t i, size_t *len) {
  unsigned char c = (unsigned char)s[i];
  if (c >= '0' && c <= '9') {
    *len = 1;
    return c - '0';
  }
  /* U+FF10..U+FF19 are EF BC 90..99 */
  if (c == 0xEF && i + 2 < n && (unsigned char)s[i + 1] == 0xBC) {
    unsigned char d = (unsigned char)s[i + 2];
    if (d >= 0x90 && d <= 0x99) {
      *len = 3;
      return d - 0x90;
    }
  }
  return -1;
}

static bool is_digit_at(const char *s, size_t n, size_t i) {
  size_t len;
  return i < n && digit_at(s, n, i, &len) >= 0;
}

/* Length of a thousands separator (, or ，) at s[i], or 0. */
static size_t sep_at(const char *s, size_t n, size_t i) {
  if (i < n && s[i] == ',') return 1;
  if (i + 2 < n && (unsigned char)s[i] == 0xEF && (unsigned char)s[i + 1] == 0xBC &&
      (unsigned char)s[i + 2] == 0x8C)
    return 3;
  return 0;
}

/* Length of a decimal point (. or ．) at s[i], or 0. */
static size_t point_at(const char *s, size_t n, size_t i) {
  if (i < n && s[i] == '.') return 1;
  if (i + 2 < n && (unsigned char)s[i] == 0xEF && (unsigned char)s[i + 1] == 0xBC &&
      (unsigned char)s[i + 2] == 0x8E)
    return 3;
  return 0;
}

/* Value of a Chinese numeral character: 0..9 for digits, 10^k for
 * magnitudes, -1 otherwise. */
static long cn_value(uint32_t cp) {
  switch (cp) {
    case 0x96F6:
    case 0x3007: return 0; /* 零 〇 */
    case 0x4E00: return 1; /* 一 */
    case 0x4E8C:
    case 0x4E24:
    case 0x5169: return 2;    /* 二 两 兩 */
    case 0x4E09: return 3;    /* 三 */
    case 0x56DB: return 4;    /* 四 */
    case 0x4E94: return 5;    /* 五 */
    case 0x516D: return 6;    /* 六 */
    case 0x4E03: return 7;    /* 七 */
    case 0x516B: return 8;    /* 八 */
    case 0x4E5D: return 9;    /* 九 */
    case 0x5341: return 10;   /* 十 */
    case 0x767E: return 100;  /* 百 */
    case 0x5343: return 1000; /* 千 */
    case 0x4E07:
    case 0x842C: return 10000; /* 万 萬 */
    case 0x4EBF:
    case 0x5104: return 100000000; /* 亿 億 */
    default: return -1;
  }
}

bool cdx_fig_is_cn_numeral(uint32_t cp) { return cn_value(cp) >= 0; }

bool cdx_fig_starts_number(uint32_t cp) {
  if (cp >= '0' && cp <= '9') return true;
  const uint32_t(*r)[2] = cdx_fig_number_start_ranges;
  if (cp >= r[0][0] && cp <= r[0][1]) return true;
  /* most text is rejected here */
  if (cp < r[1][0] || cp > r[1][1]) return false;
  long v = cn_value(cp);
  return (v >= 1 && v <= 10);
}

/* A measure word starting here wins over a magnitude: 107亿千瓦时 is 亿 then
 * 千瓦时, not 亿千 then 瓦. */
static bool unit_starts(const char *s, size_t n, size_t i) {
  const cdx_fig_word *w;
  return cdx_fig_match(CDX_FIGT_UNIT, s, n, i, &w) > 0;
}

/* Magnitudes after Arabic digits, in the order Chinese writes them:
 * [百|千] [万] [亿]. Returns the power of ten; *i moves past them. */
static int read_magnitude(const char *s, size_t n, size_t *i) {
  int exp = 0, stage = 0;
  while (*i < n) {
    size_t len;
    long v = cn_value(cdx_fig_cp(s, n, *i, &len));
    int e = v == 100 ? 2 : v == 1000 ? 3 : v == 10000 ? 4 : v == 100000000 ? 8 : 0;
    int st = e <= 3 ? 1 : e == 4 ? 2 : 3;
    if (e == 0 || st <= stage || unit_starts(s, n, *i)) break;
    exp += e;
    stage = st;
    *i += len;
  }
  return exp;
}

static bool read_arabic(const char *s, size_t n, size_t i, cdx_fig_num *out) {
  uint64_t mant = 0;
  int digits = 0, int_digits = 0, decimals = 0, group = 0;
  bool sep_seen = false;
  size_t len;
  for (;;) {
    int d = digit_at(s, n, i, &len);
    if (d < 0) {
      /* 1,000: a separator after 1-3 digits (3 after the first one) and
       * before exactly three digits */
      size_t sl = sep_at(s, n, i);
      if (sl && group >= 1 && group <= 3 && (!sep_seen || group == 3)) {
        size_t j = i + sl, k = 0, dl;
        while (k < 3 && j < n && digit_at(s, n, j, &dl) >= 0) {
          j += dl;
          k++;
        }
        if (k == 3 && !is_digit_at(s, n, j)) {
          sep_seen = true;
          group = 0;
          i += sl;
          continue;
        }
      }
      break;
    }
    if (sep_seen && group == 3) return false; /* 1,0000: not a thousands group */
    if (++digits > MAX_DIGITS) return false;
    mant = mant * 10 + (uint64_t)d;
    int_digits++;
    group++;
    i += len;
  }
  if (sep_seen && group != 3) return false;
  size_t pl = point_at(s, n, i);
  if (pl && is_digit_at(s, n, i + pl)) {
    i += pl;
    int d;
    while (i < n && (d = digit_at(s, n, i, &len)) >= 0) {
      if (++digits > MAX_DIGITS) return false;
      mant = mant * 10 + (uint64_t)d;
      decimals++;
      i += len;
    }
  }
  size_t after_digits = i;
  int mag = read_magnitude(s, n, &i);
  int exp = mag - decimals;
  double v = (double)mant;
  if (exp >= 0) v = exp < 19 ? v * s_pow10[exp] : 0;
  else v = v / s_pow10[-exp < 19 ? -exp : 18];
  out->value = v;
  out->end = i;
  out->int_digits = int_digits;
  out->mag_exp = mag;
  out->is_chinese = false;
  out->is_plain_int = !sep_seen && decimals == 0 && i == after_digits;
  out->is_lone_one = false;
  return true;
}

/* 一百五十: digits multiply the magnitude after them; 万 and 亿 close a
 * section (一亿五千万 = 1e8 + 5000e4). Two digits in a row end the numeral
 * (十四五 is 十四 then 五), except after 零 (一百零五). */
static bool read_chinese(const char *s, size_t n, size_t i, cdx_fig_num *out) {
  double total = 0, section = 0;
  long digit = -1;
  int last_mag = 0, chars = 0, small_unit = 100000;
  bool prev_zero = false;
  size_t start = i;
  while (i < n) {
    size_t len;
    long v = cn_value(cdx_fig_cp(s, n, i, &len));
    if (v < 0) break;
    if (v < 10) {
      if (digit >= 0 && !prev_zero) break;
      if (chars == 0 && v == 0) return false;
      prev_zero = v == 0;
      digit = v;
    } else if (v <= 1000) {
      if (v >= small_unit || (chars > 0 && unit_starts(s, n, i))) break;
      bool leading_ten = v == 10 && chars == 0; /* 十二 is 12 */
      if (digit < 0 && !leading_ten) break;     /* a magnitude without its digit */
      section += (double)(leading_ten ? 1 : digit) * (double)v;
      digit = -1;
      small_unit = (int)v;
      prev_zero = false;
    } else {
      if (chars == 0 || unit_starts(s, n, i)) break;
      double sec = section + (digit > 0 ? (double)digit : 0);
      if (v == 10000) {
        if (last_mag == 4) break;
        total += sec * 1e4;
        last_mag = 4;
      } else {
        if (last_mag == 8) break; /* 亿亿 is no number */
        total = (total + sec) * 1e8;
        last_mag = 8;
      }
      section = 0;
      digit = -1;
      small_unit = 100000;
      prev_zero = false;
    }
    chars++;
    i += len;
  }
  if (chars == 0) return false;
  total += section + (digit > 0 ? (double)digit : 0);
  out->value = total;
  out->end = i;
  out->int_digits = 0;
  out->is_chinese = true;
  out->is_plain_int = false;
  /* a magnitude counts for 方 and bare 万/亿 only when it ends the numeral */
  size_t pl;
  uint32_t last = cdx_fig_prev_cp(s, n, i, &pl);
  long lv = cn_value(last);
  out->mag_exp = lv == 10000 ? 4 : lv == 100000000 ? 8 : 0;
  out->is_lone_one = chars == 1 && total == 1 && i - start == 3;
  return true;
}

bool cdx_fig_read_number(const char *s, size_t n, size_t i, cdx_fig_num *out) {
  size_t len;
  if (digit_at(s, n, i, &len) >= 0) return read_arabic(s, n, i, out);
  if (!cdx_fig_starts_number(cdx_fig_cp(s, n, i, &len))) return false;
  return read_chinese(s, n, i, out);
}

bool cdx_fig_blocks_number(uint32_t cp) {
  if ((cp >= 'A' && cp <= 'Z') || (cp >= 'a' && cp <= 'z') || cdx_fig_is_digit_cp(cp)) return true;
  switch (cp) {
    case '.':
    case '#':
    case '/':
    case '_':
    case '?':
    case '[':
    case 0xFFFD: /* a character lost in decoding: digits may be too */
    case 0xFF0E: /* ． */
    case 0x7B2C: /* 第 */
    case 0x6BCF: /* 每 */
    case 0x5C4A:
    case 0x5C46: /* 届 屆 */
    case 0x3014:
    case 0x3010: /* 〔 【 */ return true;
    default: return cdx_fig_is_cn_numeral(cp);
  }
}

bool cdx_fig_is_year(const cdx_fig_num *a) {
  return a->is_plain_int && a->value >= 1900 && a->value <= 2100;
}

bool cdx_fig_is_int_in(const cdx_fig_num *a, double lo, double hi) {
  return a->mag_exp == 0 && a->value >= lo && a->value <= hi && a->value == (double)(long)a->value;
}
