/* docnum.c - document numbers (文号) and clause references as people cite
 * them: one key per number whatever its brackets, widths and script, and
 * the chapter and number of a clause reference whatever its brackets. */
#include <stdlib.h>
#include <string.h>
#include "common/common.h"
#include "families/families.h"
#include "lexicon/t2s.h"

/* Code points that open / close a year bracket. */
static int bracket(uint32_t cp) {
  switch (cp) {
    case 0x3014:
    case 0xFF3B:
    case 0x3010:
    case '(':
    case '[':
    case 0x3016:
    case 0xFE5D:
    case 0xFF08: return '[';
    case 0x3015:
    case 0xFF3D:
    case 0x3011:
    case ')':
    case ']':
    case 0x3017:
    case 0xFE5E:
    case 0xFF09: return ']';
    default: return 0;
  }
}

/* Full-width ASCII to ASCII, Traditional to Simplified: a number typed with
 * full-width digits or copied from a Traditional page is the same number. */
static uint32_t fold_cp(uint32_t cp) {
  if (cp >= 0xFF01 && cp <= 0xFF5E) cp -= 0xFEE0;
  return cdx_t2s(cp);
}

char *cdx_fam_number_key(const char *s) {
  if (!s) return NULL;
  size_t n = strlen(s);
  char *out = malloc(n + 1); /* folding never lengthens: 3-byte forms become 1-3 bytes */
  if (!out) return NULL;
  size_t o = 0;
  for (size_t i = 0; i < n;) {
    int32_t cp = cdx_utf8_next(s, n, &i);
    if (cp < 0) {
      free(out);
      return NULL;
    }
    uint32_t c = fold_cp((uint32_t)cp);
    int b = bracket((uint32_t)cp);
    if (b) out[o++] = (char)b;
    else if (c == ' ' || c == '\t' || c == 0x3000) continue;
    else {
      char tmp[4];
      size_t k = cdx_utf8_encode(c, tmp);
      if (o + k > n) { /* a T->S pair of different lengths: never seen, but stay in bounds */
        free(out);
        return NULL;
      }
      memcpy(out + o, tmp, k);
      o += k;
    }
  }
  out[o] = '\0';
  return out;
}

int cdx_fam_number_year(const char *number) {
  char *k = cdx_fam_number_key(number);
  int y = 0;
  const char *b = k ? strchr(k, '[') : NULL;
  if (b) {
    int64_t v;
    if (cdx_parse_digits(b + 1, 4, &v) && b[5] == ']') y = (int)v;
  }
  free(k);
  return y;
}

/* A number in Chinese numerals (一 … 九十九, 一百二十) or ASCII digits at
 * s[*i..n); advances *i. -1 when there is none. */
static int numeral(const char *s, size_t n, size_t *i) {
  static const char *const digit[] = {"〇", "一", "二", "三", "四", "五", "六", "七", "八", "九"};
  size_t p = *i;
  int v = 0, cur = -1;
  bool any = false;
  if (p < n && s[p] >= '0' && s[p] <= '9') {
    while (p < n && s[p] >= '0' && s[p] <= '9' && v < 100000) v = v * 10 + (s[p++] - '0');
    *i = p;
    return v;
  }
  for (;;) {
    int d = -1;
    for (int k = 0; k < 10 && d < 0; k++)
      if (p + 3 <= n && memcmp(s + p, digit[k], 3) == 0) d = k;
    if (d >= 0 && cur >= 0) break; /* 三二: two numbers, not one */
    if (d >= 0) {
      cur = d;
      p += 3;
      any = true;
    } else if (p + 3 <= n && memcmp(s + p, "十", 3) == 0) {
      v += (cur < 0 ? 1 : cur) * 10;
      cur = -1;
      p += 3;
      any = true;
    } else if (p + 3 <= n && memcmp(s + p, "百", 3) == 0 && cur > 0) {
      v += cur * 100;
      cur = -1;
      p += 3;
    } else break;
  }
  if (!any) return -1;
  *i = p;
  return v + (cur > 0 ? cur : 0);
}

static bool skip(const char *s, size_t n, size_t *i, const char *const *set, size_t k) {
  for (size_t j = 0; j < k; j++) {
    size_t l = strlen(set[j]);
    if (*i + l <= n && memcmp(s + *i, set[j], l) == 0) {
      *i += l;
      return true;
    }
  }
  return false;
}

/* One number with its optional brackets or 第…条 and a trailing . 、 */
static int one_ref(const char *s, size_t n, size_t *i, bool *bracketed) {
  static const char *const open[] = {"（", "(", "第"};
  static const char *const close[] = {"）", ")", "条"};
  static const char *const tail[] = {".", "、", "．"};
  size_t p = *i;
  *bracketed = skip(s, n, &p, open, 3);
  int v = numeral(s, n, &p);
  if (v <= 0) return -1;
  if (*bracketed && !skip(s, n, &p, close, 3)) return -1;
  if (!*bracketed) skip(s, n, &p, tail, 3);
  *i = p;
  return v;
}

bool cdx_fam_clause_ref(const char *s, int *chapter, int *number) {
  size_t n = strlen(s), i = 0;
  bool br1 = false, br2 = false;
  int a = one_ref(s, n, &i, &br1);
  if (a <= 0) return false;
  if (i == n) {
    *chapter = 0;
    *number = a;
    return true;
  }
  /* 三（二）, 三、（二）: a chapter, then its clause in brackets */
  int b = one_ref(s, n, &i, &br2);
  if (b <= 0 || i != n || br1 || !br2) return false;
  *chapter = a;
  *number = b;
  return true;
}

void cdx_fam_short_id(const char *doc_id, char out[10]) {
  static const char hex[] = "0123456789abcdef";
  uint32_t h = (uint32_t)cdx_hash64(doc_id, strlen(doc_id), 0);
  out[0] = 'd';
  for (int i = 0; i < 8; i++) out[1 + i] = hex[(h >> (28 - 4 * i)) & 15];
  out[9] = '\0';
}

bool cdx_fam_same_text(const char *a, const char *b, size_t b_len) {
  size_t an = strlen(a), i = 0, j = 0;
  while (i < an && j < b_len) {
    int32_t x = cdx_utf8_next(a, an, &i), y = cdx_utf8_next(b, b_len, &j);
    if (x < 0 || y < 0 || fold_cp((uint32_t)x) != fold_cp((uint32_t)y)) return false;
  }
  return i == an && j == b_len;
}
