/*
 * Structure: cleaned lines -> units.
 *
 * Policy documents of this kind are laid out as
 *   title block, preamble, { chapter "一、…（由X牵头）", intro, { clause } }, closing
 * where clauses are numbered （一）/(一), 1./1．/1、 or 一是, and numbers run on
 * across chapters. The first clause after the first chapter fixes the clause
 * style, so sub-items in another style stay inside their clause. A line that
 * starts like a clause but whose number was destroyed (U+FFFD inside the
 * brackets, from mojibake repair) is still a clause; its number is inferred
 * from its neighbours. After the last clause, paragraphs on budget totals and
 * validity (上述…, 本文件…) are closing units.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "corpus/corpus.h"

enum style { ST_NONE, ST_PAREN, ST_ARABIC, ST_SHI, ST_ARTICLE };

typedef struct numbered {
  enum style style;
  size_t len; /* bytes of the number as written */
  int value;  /* -1: destroyed */
} numbered;

/* Value of the numeral character c (as cdx_char3: its UTF-8 bytes), or -1.
 * A switch on the bytes, because this runs on every line, twice. */
static int han_digit_of(uint32_t c) {
  switch (c) {
    case 0xE38087: /* 〇 */
    case 0xE99BB6: /* 零 */ return 0;
    case 0xE4B880: /* 一 */ return 1;
    case 0xE4BA8C: /* 二 */
    case 0xE585A9: /* 兩 */
    case 0xE4B8A4: /* 两 */ return 2;
    case 0xE4B889: /* 三 */ return 3;
    case 0xE59B9B: /* 四 */ return 4;
    case 0xE4BA94: /* 五 */ return 5;
    case 0xE585AD: /* 六 */ return 6;
    case 0xE4B883: /* 七 */ return 7;
    case 0xE585AB: /* 八 */ return 8;
    case 0xE4B99D: /* 九 */ return 9;
    default: return -1;
  }
}

static bool is_numeral(uint32_t c) {
  return han_digit_of(c) >= 0 || c == CDX_C3("十") || c == CDX_C3("百");
}

int cdx_corpus_parse_number(const char *s, size_t n) {
  if (n == 0) return -1;
  if (s[0] >= '0' && s[0] <= '9') {
    long v = 0;
    for (size_t i = 0; i < n; i++) {
      if (s[i] < '0' || s[i] > '9' || v > 99999999) return -1; /* at most 9 digits */
      v = v * 10 + (s[i] - '0');
    }
    return (int)v;
  }
  int total = 0, cur = -1;
  size_t i = 0;
  while (i < n) {
    uint32_t c = cdx_char3(s + i, n - i);
    int d = han_digit_of(c);
    if (d >= 0) {
      if (cur >= 0) cur = cur * 10 + d; /* 一〇一 style */
      else cur = d;
    } else if (c == CDX_C3("十")) {
      total += (cur < 0 ? 1 : cur) * 10;
      cur = -1;
    } else if (c == CDX_C3("百")) {
      total += (cur < 0 ? 1 : cur) * 100;
      cur = -1;
    } else {
      return -1;
    }
    i += 3;
  }
  if (cur >= 0) total += cur;
  return total > 0 ? total : -1;
}

/* Length of a run of Chinese numeral characters at s. */
static size_t numeral_run(const char *s, size_t n) {
  size_t i = 0;
  while (is_numeral(cdx_char3(s + i, n - i))) i += 3;
  return i;
}

/* "一、" chapter heading: returns the number, sets *len to the bytes of "一、". */
/* "第X章"/"第X條" followed by a space or the heading, as in regulations. */
static int ordinal_marker(const char *s, size_t n, const char *unit, size_t *len) {
  if (!cdx_starts_with(s, n, "第")) return -1;
  size_t r = numeral_run(s + 3, n - 3);
  if (r == 0 || r > 15 || !cdx_starts_with(s + 3 + r, n - 3 - r, unit)) return -1;
  *len = 3 + r + strlen(unit);
  return cdx_corpus_parse_number(s + 3, r);
}

static int chapter_number(const char *s, size_t n, size_t *len) {
  int v = ordinal_marker(s, n, "章", len);
  if (v > 0) return v;
  size_t r = numeral_run(s, n);
  if (r == 0 || r > 9 || !cdx_starts_with(s + r, n - r, "、")) return -1;
  *len = r + 3;
  return cdx_corpus_parse_number(s, r);
}

/* Clause numbers "1." to "999999999.": 9 digits fit an int. */
#define MAX_ARABIC_DIGITS 9
/* Up to this many digits a number is a clause number wherever it stands
 * (the documents' own numbering, with gaps); longer ones only in sequence. */
#define FREE_ARABIC_DIGITS 4

static numbered clause_number(const char *s, size_t n) {
  numbered no = {ST_NONE, 0, 0};
  size_t open = cdx_starts_with(s, n, "（") ? 3 : (n && s[0] == '(') ? 1 : 0;
  if (open) {
    /* （一） or (一), or brackets whose content was destroyed */
    size_t i = open, lim = open + 18;
    while (i < n && i < lim && !cdx_starts_with(s + i, n - i, "）") && s[i] != ')') i++;
    if (i >= n || i == open || i >= lim) return no;
    size_t close = cdx_starts_with(s + i, n - i, "）") ? 3 : 1;
    int v = cdx_corpus_parse_number(s + open, i - open);
    if (v > 0 && numeral_run(s + open, i - open) == i - open) {
      no = (numbered){ST_PAREN, i + close, v};
    } else if (cdx_memmem(s + open, i - open, "\xef\xbf\xbd")) {
      /* every character must be a numeral or U+FFFD */
      size_t j = open;
      while (j < i) {
        size_t r = numeral_run(s + j, i - j);
        if (r) {
          j += r;
          continue;
        }
        if (cdx_starts_with(s + j, i - j, "\xef\xbf\xbd")) {
          j += 3;
          continue;
        }
        return no;
      }
      no = (numbered){ST_PAREN, i + close, -1};
    }
    return no;
  }
  if (n && s[0] >= '0' && s[0] <= '9') {
    /* up to 9 digits here; past 4 the caller also wants the next number in
     * sequence (a line starting "20250306." is a date, not clause 20250306) */
    size_t i = 0;
    while (i < n && i < MAX_ARABIC_DIGITS && s[i] >= '0' && s[i] <= '9') i++;
    if (i < n && s[i] >= '0' && s[i] <= '9') return no;
    size_t sep = 0;
    if (i < n && (s[i] == '.' || s[i] == ')')) sep = 1;
    else if (cdx_starts_with(s + i, n - i, "．") || cdx_starts_with(s + i, n - i, "、")) sep = 3;
    if (!sep) return no;
    if (i + sep < n && s[i + sep] >= '0' && s[i + sep] <= '9') return no; /* 2.74亿元 */
    no = (numbered){ST_ARABIC, i + sep, cdx_corpus_parse_number(s, i)};
    return no;
  }
  size_t alen;
  int art = ordinal_marker(s, n, "条", &alen);
  if (art < 0) art = ordinal_marker(s, n, "條", &alen);
  if (art > 0) return (numbered){ST_ARTICLE, alen, art};
  size_t r = numeral_run(s, n);
  if (r && r <= 9 && cdx_starts_with(s + r, n - r, "是"))
    no = (numbered){ST_SHI, r + 3, cdx_corpus_parse_number(s, r)};
  return no;
}

static bool is_closing_start(const char *s, size_t n) {
  static const char *const starts[] = {"上述",   "本政策", "本文件", "本意见", "本办法",
                                       "本方案", "本措施", "本通知", "以上",   "本規定",
                                       "本规定", "本辦法", "本意見", NULL};
  for (size_t i = 0; starts[i]; i++)
    if (cdx_starts_with(s, n, starts[i])) return true;
  return false;
}

/* ---- responsible units ---- */

/* Last occurrence; the needles here (责任单位, brackets) cannot overlap
 * themselves, so this is also the last of the non-overlapping matches. */
static const char *find_last(const char *s, size_t n, const char *needle) {
  return cdx_memrmem(s, n, needle);
}

/* 、，；,; and the two spaces. */
static bool is_separator(const char *s, size_t n, size_t *len) {
  if (n && (s[0] == ',' || s[0] == ';' || s[0] == ' ')) {
    *len = 1;
    return true;
  }
  uint32_t c = cdx_char3(s, n);
  if (c == CDX_C3("、") || c == CDX_C3("，") || c == CDX_C3("；") || c == CDX_C3("　")) {
    *len = 3;
    return true;
  }
  return false;
}

/* Strips （牵头）/(牵头)/牵头 markers from an item. */
static void strip_lead_marker(const char *s, size_t *n) {
  static const char *const marks[] = {"（牵头）", "(牵头)", "（牽頭）", "(牽頭)",
                                      "牵头",     "牽頭",   NULL};
  bool again = true;
  while (again) {
    again = false;
    for (size_t i = 0; marks[i]; i++) {
      size_t m = strlen(marks[i]);
      if (*n > m && memcmp(s + *n - m, marks[i], m) == 0) {
        *n -= m;
        again = true;
      }
    }
  }
}

/* Notes that share the bracket with the list ("列第一位的为牵头单位，下同",
 * "以下工作均需各县（市、区）政府落实") are not units. */
static bool is_note(const char *s, size_t n) {
  /* Every responsible unit is checked: one pass over it, comparing the words
   * whose first character stands there, instead of a search per word. All
   * words are at least 6 bytes and start with byte E4, E5, E7 or E8. */
#define WORD(w) (c == CDX_C3(w) && cdx_starts_with(p, left, w))
  for (size_t i = 0; i + 6 <= n; i++) {
    unsigned char b = (unsigned char)s[i];
    if (b != 0xE4 && b != 0xE5 && b != 0xE7 && b != 0xE8) continue;
    const char *p = s + i;
    size_t left = n - i;
    uint32_t c = cdx_char3(p, left);
    if (WORD("下同") || WORD("为牵头") || WORD("為牽頭") || WORD("不再列出") || WORD("以下") ||
        WORD("均需") || WORD("落实") || WORD("落實") || WORD("负责") || WORD("負責"))
      return true;
  }
#undef WORD
  return false;
}

/* Brackets and separators start with one of these bytes (（）、，；　 are
 * EF xx xx or E3 80 xx in UTF-8); every other byte can be skipped at once. */
static inline bool may_be_bracket(char c) {
  unsigned char u = (unsigned char)c;
  return u == 0xEF || u == 0xE3 || c == '(' || c == ')' || c == ',' || c == ';' || c == ' ';
}

/* True when s[0..n) ends like the name of a body (…政府, …局, …管委会): a 和
 * after it joins two units, while 文化和旅游厅 or 自然资源和规划局 is one. */
static bool ends_body(const char *s, size_t n) {
  if (n < 3) return false;
  static const char *const ends[] = {"府", "局", "委", "会", "會", "办", "辦", "厅", "廳", "院",
                                     "心", "部", "行", "司", "队", "隊", "所", "处", "處", "署",
                                     "站", "组", "組", "团", "團", "社", "联", "聯", NULL};
  uint32_t c = cdx_char3(s + n - 3, 3);
  for (size_t i = 0; ends[i]; i++)
    if (c == CDX_C3(ends[i])) return true;
  return false;
}

/* Splits s[0..n) on 、，,；; and on 和 between two bodies, outside brackets
 * (（）()〈〉《》), into pool strings; *out gets the array (pool), *n_out its
 * length. */
static int split_units(cdx_pool *pool, const char *s, size_t n, const char *const **out,
                       size_t *n_out) {
  const char *items[32];
  size_t lens[32], k = 0, i = 0, st = 0;
  int depth = 0;
  while (i <= n && k < 32) {
    size_t sl = 0;
    bool sep = false;
    if (i < n) {
      uint32_t c = cdx_char3(s + i, n - i);
      if (s[i] == '(' || c == CDX_C3("（") || c == CDX_C3("〈") || c == CDX_C3("《")) depth++;
      else if (s[i] == ')' || c == CDX_C3("）") || c == CDX_C3("〉") || c == CDX_C3("》")) depth--;
      else if (depth <= 0 && (is_separator(s + i, n - i, &sl) ||
                              (c == CDX_C3("和") && ends_body(s + st, i - st) && (sl = 3))))
        sep = true;
    }
    if (i == n || sep) {
      const char *t = s + st;
      size_t tn = i - st;
      cdx_trim(&t, &tn);
      if (tn) {
        items[k] = t;
        lens[k] = tn;
        k++;
      }
      if (i == n) break;
      i += sl;
      st = i;
      continue;
    }
    i += (unsigned char)s[i] < 0x80   ? 1
         : (unsigned char)s[i] < 0xE0 ? 2
         : (unsigned char)s[i] < 0xF0 ? 3
                                      : 4;
  }
  *out = NULL;
  *n_out = 0;
  if (!k) return CDX_OK;
  const char **arr = cdx_pool_calloc(pool, k, sizeof *arr);
  if (!arr) return CDX_NOMEM;
  for (size_t j = 0; j < k; j++)
    if (!(arr[j] = cdx_pool_strndup(pool, items[j], lens[j]))) return CDX_NOMEM;
  *out = arr;
  *n_out = k;
  return CDX_OK;
}

/* What a document's notes in 责任单位 brackets say about every clause. */
typedef struct doc_rules {
  bool first_leads;          /* 列第一位的为牵头单位，下同: from that clause on */
  bool first_leads_once;     /* the same note without 下同: that clause only */
  const char *const *shared; /* 以下工作均需X落实 */
  size_t n_shared;
} doc_rules;

/* Reads the notes of one bracket's text (after 责任单位：). */
static int parse_notes(cdx_pool *pool, const char *s, size_t n, doc_rules *r) {
  r->first_leads_once = false;
  if ((cdx_memmem(s, n, "第一位") || cdx_memmem(s, n, "首位")) &&
      (cdx_memmem(s, n, "为牵头") || cdx_memmem(s, n, "為牽頭"))) {
    if (cdx_memmem(s, n, "下同")) r->first_leads = true;
    else r->first_leads_once = true;
  }
  const char *a = cdx_memmem(s, n, "均需");
  if (!a) return CDX_OK;
  a += strlen("均需");
  size_t left = (size_t)(s + n - a);
  const char *e = cdx_memmem(a, left, "落实");
  if (!e) e = cdx_memmem(a, left, "落實");
  if (!e) e = cdx_memmem(a, left, "负责");
  if (!e) e = cdx_memmem(a, left, "負責");
  if (!e || e == a) return CDX_OK;
  return split_units(pool, a, (size_t)(e - a), &r->shared, &r->n_shared);
}

static int parse_responsible(cdx_pool *pool, const char *s, size_t n, cdx_unit_view *u,
                             doc_rules *rules) {
  const char *at = find_last(s, n, "责任单位");
  if (!at) at = find_last(s, n, "責任單位");
  if (!at) return CDX_OK;
  const char *p = at + strlen("责任单位");
  size_t rest = (size_t)(s + n - p);
  if (cdx_starts_with(p, rest, "：")) p += 3;
  else if (cdx_starts_with(p, rest, ":")) p += 1;
  else return CDX_OK;
  /* up to the bracket closing the （责任单位… group, skipping nested pairs */
  const char *end = s + n;
  int depth = 0;
  const char *q = p;
  while (q < end) {
    if (!may_be_bracket(*q)) {
      q++;
      continue;
    }
    size_t left = (size_t)(end - q);
    if (cdx_starts_with(q, left, "（") || *q == '(') {
      depth++;
      q += *q == '(' ? 1 : 3;
      continue;
    }
    if (cdx_starts_with(q, left, "）") || *q == ')') {
      if (depth == 0) break;
      depth--;
      q += *q == ')' ? 1 : 3;
      continue;
    }
    q++;
  }
  if (parse_notes(pool, p, (size_t)(q - p), rules) != CDX_OK) return CDX_NOMEM;
  const char *items[64];
  size_t lens[64], k = 0;
  const char *i = p;
  while (i < q && k < 64) {
    const char *st = i;
    depth = 0;
    size_t sl;
    while (i < q) {
      if (!may_be_bracket(*i)) {
        i++;
        continue;
      }
      size_t left = (size_t)(q - i);
      if (cdx_starts_with(i, left, "（") || *i == '(') depth++;
      if (cdx_starts_with(i, left, "）") || *i == ')') depth--;
      if (depth <= 0 && is_separator(i, left, &sl)) break;
      i++;
    }
    size_t len = (size_t)(i - st);
    const char *t = st;
    cdx_trim(&t, &len);
    strip_lead_marker(t, &len);
    cdx_trim(&t, &len);
    if (len && !is_note(t, len)) {
      items[k] = t;
      lens[k] = len;
      k++;
    }
    if (i < q && is_separator(i, (size_t)(q - i), &sl)) i += sl;
  }
  if (!k) return CDX_OK;
  const char **arr = cdx_pool_calloc(pool, k, sizeof *arr);
  if (!arr) return CDX_NOMEM;
  for (size_t j = 0; j < k; j++)
    if (!(arr[j] = cdx_pool_strndup(pool, items[j], lens[j]))) return CDX_NOMEM;
  u->responsible = arr;
  u->n_responsible = k;
  return CDX_OK;
}

/* ---- lead department of a chapter: trailing （由X牵头[实施]） ---- */

static int parse_chapter_heading(cdx_pool *pool, const char *s, size_t n, cdx_unit_view *u) {
  const char *h = s;
  size_t hn = n;
  const char *open = find_last(s, n, "（");
  const char *open2 = find_last(s, n, "(");
  if (open2 && (!open || open2 > open)) open = open2;
  if (open) {
    size_t olen = *open == '(' ? 1 : 3;
    const char *in = open + olen;
    size_t in_n = (size_t)(s + n - in);
    if (in_n && s[n - 1] == ')') in_n -= 1;
    else if (in_n >= 3 && cdx_starts_with(s + n - 3, 3, "）")) in_n -= 3;
    const char *lead = cdx_memmem(in, in_n, "牵头");
    if (!lead) lead = cdx_memmem(in, in_n, "牽頭");
    if (lead) {
      const char *d = in;
      if (cdx_starts_with(d, in_n, "由")) d += 3;
      size_t dn = (size_t)(lead - d);
      cdx_trim(&d, &dn);
      /* （由市农业农村局、市发改局牵头）: two lead departments */
      if (dn && split_units(pool, d, dn, &u->lead_departments, &u->n_lead_departments) != CDX_OK)
        return CDX_NOMEM;
      if (u->n_lead_departments) u->lead_department = u->lead_departments[0];
      hn = (size_t)(open - s);
    }
  }
  cdx_trim(&h, &hn);
  if (hn && !(u->heading = cdx_pool_strndup(pool, h, hn))) return CDX_NOMEM;
  return CDX_OK;
}

static int clause_heading(cdx_pool *pool, const char *s, size_t n, cdx_unit_view *u) {
  const char *e = cdx_memmem(s, n, "。");
  size_t hn = e ? (size_t)(e - s) : n;
  const char *nl = memchr(s, '\n', hn);
  if (nl) hn = (size_t)(nl - s);
  const char *h = s;
  cdx_trim(&h, &hn);
  if (hn && !(u->heading = cdx_pool_strndup(pool, h, hn))) return CDX_NOMEM;
  return CDX_OK;
}

/* Writes the number in the style of `like` ("（" + numeral + "）" or "N."). */
static char *format_number(cdx_pool *pool, const char *like, int v) {
  char buf[64];
  if (like && (like[0] >= '0' && like[0] <= '9')) {
    snprintf(buf, sizeof buf, "%d.", v);
    return cdx_pool_strdup(pool, buf);
  }
  static const char *const d[] = {"", "一", "二", "三", "四", "五", "六", "七", "八", "九"};
  char num[40] = "";
  if (v >= 100 || v <= 0) snprintf(num, sizeof num, "%d", v);
  else if (v < 10) snprintf(num, sizeof num, "%s", d[v]);
  else snprintf(num, sizeof num, "%s十%s", v / 10 == 1 ? "" : d[v / 10], d[v % 10]);
  bool half = like && like[0] == '(';
  snprintf(buf, sizeof buf, "%s%s%s", half ? "(" : "（", num, half ? ")" : "）");
  return cdx_pool_strdup(pool, buf);
}

typedef struct builder {
  cdx_pool *pool;
  cdx_unit_view *units;
  size_t n, cap;
} builder;

static cdx_unit_view *add_unit(builder *b, cdx_unit_kind kind, int chapter, size_t start,
                               size_t end) {
  if (CDX_GROW(b->units, b->cap, b->n + 1, 32) != CDX_OK) return NULL;
  cdx_unit_view *u = &b->units[b->n];
  memset(u, 0, sizeof *u);
  u->kind = kind;
  u->chapter = chapter;
  u->ordinal = (int)b->n;
  u->start = start;
  u->end = end;
  b->n++;
  return u;
}

int cdx_corpus_structure(cdx_pool *pool, const char *text, size_t len, size_t body_start,
                         cdx_unit_view **units, size_t *n_units, size_t *n_inferred,
                         cdx_error *err) {
  builder b = {pool, NULL, 0, 0};
  enum style style = ST_NONE;
  int chapter = 0, rc = CDX_OK;
  enum { IN_PREAMBLE, IN_CHAPTER, IN_CLAUSE, IN_CLOSING } state = IN_PREAMBLE;
  cdx_unit_view *cur = NULL;
  bool clause_done = false; /* current clause ended with its 责任单位 */
  int last_clause = 0;      /* number_value of the last clause */
  *n_inferred = 0;
  size_t pos = body_start;

  /* first pass: does the document have chapters at all? and which clause
   * style follows the first chapter (or the preamble, without chapters) */
  bool has_chapters = false;
  int n_chapters = 0;
  for (size_t p = pos; p < len;) {
    const char *e = memchr(text + p, '\n', len - p);
    size_t end = e ? (size_t)(e - text) : len;
    size_t cl;
    if (chapter_number(text + p, end - p, &cl) > 0) {
      has_chapters = true;
      n_chapters++;
    } else if (style == ST_NONE) {
      numbered no = clause_number(text + p, end - p);
      if (no.style != ST_NONE && (has_chapters || no.value == 1)) style = no.style;
    }
    p = end + 1;
  }

  while (pos < len && rc == CDX_OK) {
    const char *e = memchr(text + pos, '\n', len - pos);
    size_t end = e ? (size_t)(e - text) : len;
    const char *s = text + pos;
    size_t n = end - pos;
    size_t cl;
    int chno = chapter_number(s, n, &cl);
    numbered no = clause_number(s, n);
    if (no.style == ST_ARABIC && no.value != last_clause + 1) {
      size_t digits = 0;
      while (digits < n && s[digits] >= '0' && s[digits] <= '9') digits++;
      if (digits > FREE_ARABIC_DIGITS) no.style = ST_NONE; /* out of sequence: text */
    }
    /* A paragraph whose start was lost for good ('?' or U+FFFD where the
     * number stood), among clauses: a clause whose number is inferred. */
    if (no.style == ST_NONE && state == IN_CLAUSE && style != ST_NONE &&
        (cdx_starts_with(s, n, "?") || cdx_starts_with(s, n, "\xef\xbf\xbd")))
      no = (numbered){style, 0, -1};
    if (chno > 0) {
      chapter++;
      cur = add_unit(&b, CDX_UNIT_CHAPTER, chapter, pos, end);
      if (!cur) {
        rc = CDX_NOMEM;
        break;
      }
      cur->number = cdx_pool_strndup(pool, s, cl);
      cur->number_value = chno;
      if (!cur->number) {
        rc = CDX_NOMEM;
        break;
      }
      rc = parse_chapter_heading(pool, s + cl, n - cl, cur);
      state = IN_CHAPTER;
    } else if (no.style != ST_NONE && no.style == style && state != IN_CLOSING) {
      cur = add_unit(&b, CDX_UNIT_CLAUSE, chapter, pos, end);
      if (!cur) {
        rc = CDX_NOMEM;
        break;
      }
      cur->number = cdx_pool_strndup(pool, s, no.len);
      cur->number_value = no.value > 0 ? no.value : 0;
      last_clause = cur->number_value;
      if (!cur->number) {
        rc = CDX_NOMEM;
        break;
      }
      state = IN_CLAUSE;
      clause_done = false;
    } else if (state == IN_PREAMBLE && !cur) {
      cur = add_unit(&b, CDX_UNIT_PREAMBLE, 0, pos, end);
      if (!cur) {
        rc = CDX_NOMEM;
        break;
      }
    } else if (state == IN_CLAUSE &&
               (is_closing_start(s, n) || (clause_done && chapter == n_chapters))) {
      /* after a finished clause: closing text, unless another clause follows */
      bool more = false;
      for (size_t p = end + 1; p < len && !more;) {
        const char *e2 = memchr(text + p, '\n', len - p);
        size_t end2 = e2 ? (size_t)(e2 - text) : len;
        numbered n2 = clause_number(text + p, end2 - p);
        size_t cl2;
        if ((n2.style == style && n2.style != ST_NONE) ||
            chapter_number(text + p, end2 - p, &cl2) > 0)
          more = true;
        p = end2 + 1;
      }
      if (more && !is_closing_start(s, n)) {
        cur->end = end;
      } else {
        cur = add_unit(&b, CDX_UNIT_CLOSING, chapter, pos, end);
        if (!cur) {
          rc = CDX_NOMEM;
          break;
        }
        state = IN_CLOSING;
      }
    } else if (state == IN_CLOSING) {
      cur = add_unit(&b, CDX_UNIT_CLOSING, chapter, pos, end);
      if (!cur) {
        rc = CDX_NOMEM;
        break;
      }
    } else if (cur) {
      cur->end = end;
    }
    if (cur && cur->kind == CDX_UNIT_CLAUSE) {
      const char *t = s;
      size_t tn = n;
      cdx_trim(&t, &tn);
      clause_done = tn >= 3 && (cdx_starts_with(t + tn - 3, 3, "）") || t[tn - 1] == ')') &&
                    (find_last(s, n, "责任单位") || find_last(s, n, "責任單位"));
    }
    if (!e) break;
    pos = end + 1;
  }

  /* headings, responsible units, inferred numbers; a clause carries its
   * chapter's lead department */
  int prev = 0;
  const char *prev_no = NULL;
  const cdx_unit_view *chap = NULL;
  doc_rules rules = {false, false, NULL, 0};
  for (size_t i = 0; i < b.n && rc == CDX_OK; i++) {
    cdx_unit_view *u = &b.units[i];
    if (u->kind == CDX_UNIT_CHAPTER) chap = u;
    if (u->kind != CDX_UNIT_CLAUSE) continue;
    if (chap) {
      u->lead_department = chap->lead_department;
      u->lead_departments = chap->lead_departments;
      u->n_lead_departments = chap->n_lead_departments;
    }
    size_t written = strlen(u->number);
    const char *s = text + u->start + written;
    size_t n = u->end - u->start - written;
    if (u->number_value == 0) {
      u->number_value = prev + 1;
      if (!(u->number = format_number(pool, prev_no, u->number_value))) {
        rc = CDX_NOMEM;
        break;
      }
      (*n_inferred)++;
    }
    prev = u->number_value;
    prev_no = u->number;
    rc = clause_heading(pool, s, n, u);
    if (rc == CDX_OK) rc = parse_responsible(pool, s, n, u, &rules);
    if ((rules.first_leads || rules.first_leads_once) && u->n_responsible) {
      /* the document's rule: the unit listed first leads this clause */
      u->lead_department = u->responsible[0];
      u->lead_departments = u->responsible;
      u->n_lead_departments = 1;
    }
    u->shared_responsible = rules.shared;
    u->n_shared_responsible = rules.n_shared;
  }
  if (rc != CDX_OK) {
    free(b.units);
    return cdx_err_set(err, rc, CDX_NO_OFFSET, "structure: %s", cdx_strerror(rc));
  }
  *units = b.units;
  *n_units = b.n;
  if (b.units && !cdx_pool_keep(pool, b.units)) {
    *units = NULL;
    return cdx_err_set(err, CDX_NOMEM, CDX_NO_OFFSET, "structure: out of memory");
  }
  return CDX_OK;
}
