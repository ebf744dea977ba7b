/*
 * Metadata detection from the cleaned text. Everything is looked for in the
 * header zone (the lines before the first chapter) first, because the body
 * cites other documents: their numbers (浙政发〔2025〕3号), their places and
 * their years must not be taken for this document's own.
 *
 *   title         the last title-like line of the header zone (short, names a
 *                 kind of document, no sentence punctuation); from a
 *                 关于印发《X》的通知 line, X
 *   status        征求意见稿 / 送审稿 in the header zone, else final
 *   edition       2025年版 / 2025版 in the header zone, else the year the text
 *                 names most often (20xx年, 〔20xx〕)
 *   date          a line holding only a date (2025年3月6日) in the header zone
 *   doc_number    a line holding only X〔2025〕4号, else the page's 文号 row
 *   issuer        the line just above the date line, or the part of a notice
 *                 line before 关于
 *   jurisdiction  the place in the title, then in the issuer, then in the
 *                 header zone, then anywhere (gazetteer)
 *   policy_key    "code:title stem:edition"
 */
#define _GNU_SOURCE /* memrchr */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "corpus/corpus.h"
#include "lexicon/gazetteer.h"
#include "lexicon/t2s.h"
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

typedef struct span {
  const char *s;
  size_t n;
} span;

static size_t numeral_chars(const char *s, size_t n) {
  static const char *const nums[] = {"一", "二", "三", "四", "五", "六", "七",
                                     "八", "九", "十", "百", "〇", NULL};
  size_t i = 0;
  for (;;) {
    bool hit = false;
    for (size_t k = 0; nums[k] && !hit; k++)
      if (cdx_starts_with(s + i, n - i, nums[k])) {
        i += 3;
        hit = true;
      }
    if (!hit) return i;
  }
}

/* "一、…" or "第一章…": where the header zone ends. */
static bool is_chapter_line(const char *s, size_t n) {
  if (cdx_starts_with(s, n, "第")) {
    size_t r = numeral_chars(s + 3, n - 3);
    return r > 0 && cdx_starts_with(s + 3 + r, n - 3 - r, "章");
  }
  size_t r = numeral_chars(s, n);
  return r > 0 && r <= 9 && cdx_starts_with(s + r, n - r, "、");
}

static bool has_sentence_punct(const char *s, size_t n) {
  return cdx_memmem(s, n, "。") || cdx_memmem(s, n, "，") || cdx_memmem(s, n, "：") ||
         cdx_memmem(s, n, ",") || cdx_memmem(s, n, ":") || cdx_memmem(s, n, "；");
}

static bool names_document_kind(const char *s, size_t n) {
  static const char *const kinds[] = {
      "政策", "办法", "辦法", "意见", "意見", "方案", "规定", "規定", "措施", "细则", "細則",
      "条例", "條例", "决定", "決定", "通知", "规划", "規劃", "计划", "計劃", "若干", NULL};
  for (size_t i = 0; kinds[i]; i++)
    if (cdx_memmem(s, n, kinds[i])) return true;
  return false;
}

static bool is_title_like(const char *s, size_t n) {
  return n >= 12 && n <= 240 && !has_sentence_punct(s, n) && names_document_kind(s, n) &&
         !cdx_starts_with(s, n, "《") && !cdx_starts_with(s, n, "（") &&
         !cdx_starts_with(s, n, "(");
}

/* A bracket that gives an edition: a year and 版, (2025年版), （2025版）. */
static bool is_edition_bracket(const char *s, size_t n) {
  if (!cdx_memmem(s, n, "版")) return false;
  size_t digits = 0;
  for (size_t i = 0; i < n; i++) digits = s[i] >= '0' && s[i] <= '9' ? digits + 1 : digits;
  return digits == 4;
}

/* A short line in brackets right under a title: （2025版）, （送审稿）. */
static bool is_bracket_line(const char *s, size_t n) {
  if (n > 60) return false;
  bool open = cdx_starts_with(s, n, "（") || (n && s[0] == '(');
  bool close = (n >= 3 && cdx_starts_with(s + n - 3, 3, "）")) || (n && s[n - 1] == ')');
  return open && close;
}

static int parse_uint(const char *s, size_t n, size_t *used) {
  size_t i = 0;
  long v = 0;
  while (i < n && i < 9 && s[i] >= '0' && s[i] <= '9') v = v * 10 + (s[i++] - '0');
  *used = i;
  return i ? (int)v : -1;
}

/* "2025年3月6日" as the whole line (or the start when `whole` is false). */
static uint32_t parse_cn_date(const char *s, size_t n, bool whole) {
  size_t u, i = 0;
  int y = parse_uint(s, n, &u);
  if (y < 1949 || y > 2100 || u != 4) return 0;
  i += u;
  if (!cdx_starts_with(s + i, n - i, "年")) return 0;
  i += 3;
  int m = parse_uint(s + i, n - i, &u);
  if (m < 1 || m > 12) return 0;
  i += u;
  if (!cdx_starts_with(s + i, n - i, "月")) return 0;
  i += 3;
  int d = parse_uint(s + i, n - i, &u);
  if (d < 1 || d > cdx_days_in_month(y, m)) return 0;
  i += u;
  if (!cdx_starts_with(s + i, n - i, "日")) return 0;
  i += 3;
  if (whole && i != n) return 0;
  return (uint32_t)(y * 10000 + m * 100 + d);
}

/* X〔2025〕4号 (also [], ﹝﹞, 【】) as the whole line. */
static bool is_doc_number(const char *s, size_t n) {
  static const char *const opens[] = {"〔", "[", "﹝", "【", "［", NULL};
  static const char *const closes[] = {"〕", "]", "﹞", "】", "］", NULL};
  if (n > 80 || n < 8) return false;
  if (!(cdx_starts_with(s + n - 3, 3, "号") || cdx_starts_with(s + n - 3, 3, "號"))) return false;
  for (size_t k = 0; opens[k]; k++) {
    const char *o = cdx_memmem(s, n, opens[k]);
    if (!o || o == s) continue;
    const char *y = o + strlen(opens[k]);
    size_t u;
    int year = parse_uint(y, (size_t)(s + n - y), &u);
    if (year < 1949 || year > 2100 || u != 4) continue;
    if (!cdx_starts_with(y + 4, (size_t)(s + n - y - 4), closes[k])) continue;
    return !has_sentence_punct(s, n);
  }
  return false;
}

static bool is_issuer_like(const char *s, size_t n) {
  static const char *const ends[] = {"人民政府", "办公室", "辦公室", "委员会", "委員會",
                                     "政府",     "公署",   "管委会", "管委會", "局",
                                     "厅",       "廳",     "委",     NULL};
  if (n < 6 || n > 90 || has_sentence_punct(s, n)) return false;
  for (size_t i = 0; ends[i]; i++) {
    size_t m = strlen(ends[i]);
    if (n >= m && memcmp(s + n - m, ends[i], m) == 0) return true;
  }
  return false;
}

/* Year in "2025年版", "2025版", "（2025版）" inside s; 0 when none. */
static int edition_in(const char *s, size_t n) {
  for (size_t i = 0; i + 4 < n; i++) {
    size_t u;
    if (i > 0 && s[i - 1] >= '0' && s[i - 1] <= '9') continue;
    int y = parse_uint(s + i, n - i, &u);
    if (u != 4 || y < 1949 || y > 2100) continue;
    const char *p = s + i + 4;
    size_t left = n - i - 4;
    if (cdx_starts_with(p, left, "年版") || cdx_starts_with(p, left, "版")) return y;
  }
  return 0;
}

static bool is_digit(char c) { return c >= '0' && c <= '9'; }

size_t cdx_corpus_next_digit_scalar(const char *s, size_t n, size_t i) {
  while (i < n && !is_digit(s[i])) i++;
  return i;
}

/* Offset of the first ASCII digit in s[i..n), or n; 16 bytes per step where
 * SSE2 is there (the whole text is searched, and digits are few). */
size_t cdx_corpus_next_digit(const char *s, size_t n, size_t i) {
#if defined(__SSE2__)
  for (; i + 16 <= n; i += 16) {
    __m128i x = _mm_sub_epi8(_mm_loadu_si128((const __m128i *)(s + i)), _mm_set1_epi8('0'));
    __m128i digit = _mm_cmpeq_epi8(_mm_min_epu8(x, _mm_set1_epi8(9)), x); /* x - '0' <= 9 */
    unsigned m = (unsigned)_mm_movemask_epi8(digit);
    if (m) return i + (size_t)__builtin_ctz(m);
  }
#endif
  return cdx_corpus_next_digit_scalar(s, n, i);
}

/* The year the text names most often. */
static int dominant_year(const char *s, size_t n) {
  int counts[200] = {0};
  /* Only where a run of digits starts: after a run, the search for the next
   * digit starts at the non-digit that ended it. */
  for (size_t i = cdx_corpus_next_digit(s, n, 0); i + 4 < n; i = cdx_corpus_next_digit(s, n, i)) {
    size_t start = i;
    while (i < n && is_digit(s[i])) i++;
    const char *r = s + start;
    size_t u;
    int y = parse_uint(r, n - start, &u);
    if (u != 4 || y < 1949 || y >= 2149) continue;
    const char *p = r + 4;
    size_t left = n - start - 4;
    if (cdx_starts_with(p, left, "年") || cdx_starts_with(p, left, "〕") ||
        cdx_starts_with(p, left, "]"))
      counts[y - 1949]++;
  }
  int best = 0;
  for (int k = 1; k < 200; k++)
    if (counts[k] > counts[best]) best = k;
  return counts[best] ? best + 1949 : 0;
}

void cdx_corpus_set_place(cdx_meta_work *w, uint32_t code) {
  const cdx_gz_place *p = code ? cdx_gz_by_code(code) : NULL;
  w->meta.jurisdiction = (cdx_place){NULL, 0, CDX_LEVEL_UNKNOWN};
  w->meta.n_parents = 0;
  w->meta.parents = w->parents;
  if (!p) return;
  w->meta.jurisdiction = (cdx_place){p->name, p->code, p->level};
  for (const cdx_gz_place *q = cdx_gz_parent(p); q && w->meta.n_parents < 4; q = cdx_gz_parent(q))
    w->parents[w->meta.n_parents++] = (cdx_place){q->name, q->code, q->level};
}

/* Removes the first occurrence of `what` from the pooled string. */
static void cut(char *s, const char *what) {
  char *p = strstr(s, what);
  if (p) memmove(p, p + strlen(what), strlen(p + strlen(what)) + 1);
}

/* The versions of one policy may be written in Traditional and in Simplified
 * characters; keys compare the Simplified form, folded character by
 * character with the library's one T->S table (lexicon/t2s.h), as search
 * terms are. A title of common Simplified characters only is left as it is
 * (乾 of a Simplified title stays 乾). */
static bool has_non_gb2312_han(const char *s) {
  size_t n = strlen(s), i = 0;
  while (i < n) {
    int32_t cp = cdx_utf8_next(s, n, &i);
    if (cp < 0) {
      i++;
      continue;
    }
    if (cp >= 0x3400 && cp <= 0x9FFF && !cdx_corpus_is_gb2312_common(cp)) return true;
  }
  return false;
}

/* Simplified form of s into b. */
static void to_simplified(int *rc, cdx_buf *b, const char *s) {
  size_t n = strlen(s), i = 0;
  if (!has_non_gb2312_han(s)) {
    cdx_buf_append(rc, b, s, n);
    return;
  }
  while (i < n) {
    size_t at = i;
    int32_t cp = cdx_utf8_next(s, n, &i);
    if (cp < 0) { /* kept as it is, like the rest of the title */
      cdx_buf_append(rc, b, s + at, 1);
      i = at + 1;
      continue;
    }
    char u8[4];
    cdx_buf_append(rc, b, u8, cdx_utf8_encode(cdx_t2s((uint32_t)cp), u8));
  }
}

/* Leading place names (乐清市, 温州市鹿城区 …), in place. */
static void cut_places(char *stem) {
  for (int round = 0; round < 4; round++) {
    const cdx_gz_place *found[4];
    bool cutit = false;
    size_t sl = strlen(stem);
    for (size_t len = 3; len <= sl && len <= 30; len += 3) {
      if (cdx_gz_lookup(stem, len, found, 4) > 0 && strlen(found[0]->name) >= len) {
        /* prefer the longest name that matches */
        size_t best = len;
        for (size_t l2 = len + 3; l2 <= sl && l2 <= 30; l2 += 3)
          if (cdx_gz_lookup(stem, l2, found, 4) > 0) best = l2;
        memmove(stem, stem + best, sl - best + 1);
        cutit = true;
        break;
      }
    }
    if (!cutit) break;
  }
}

char *cdx_corpus_title_stem(cdx_pool *pool, const char *title) {
  cdx_buf b;
  cdx_buf_init(&b);
  int rc = CDX_OK;
  size_t n = strlen(title), i = 0;
  int depth = 0;
  /* drop bracketed parts, book-title marks, punctuation and spaces */
  while (i < n) {
    size_t st = i;
    int32_t cp = cdx_utf8_next(title, n, &i);
    if (cp < 0) {
      i++;
      continue;
    }
    if (cp == 0xFF08 || cp == '(' || cp == 0x3014 || cp == '[' || cp == 0x3010) {
      depth++;
      continue;
    }
    if (cp == 0xFF09 || cp == ')' || cp == 0x3015 || cp == ']' || cp == 0x3011) {
      if (depth) depth--;
      continue;
    }
    if (depth) continue;
    if (cp <= ' ' || cp == 0x300A || cp == 0x300B || cp == 0x3000 || cp == 0x201C || cp == 0x201D ||
        cp == '"' || cp == 0x3001 || cp == 0xFF0C || cp == 0x00B7)
      continue;
    cdx_buf_append(&rc, &b, title + st, i - st);
  }
  const char *s = cdx_buf_str(&rc, &b);
  cdx_buf simp;
  cdx_buf_init(&simp);
  if (rc == CDX_OK) to_simplified(&rc, &simp, s ? s : "");
  const char *ss = cdx_buf_str(&rc, &simp);
  if (rc != CDX_OK) {
    cdx_buf_free(&b);
    cdx_buf_free(&simp);
    return NULL;
  }
  char *stem = cdx_pool_strdup(pool, ss ? ss : "");
  cdx_buf_free(&b);
  cdx_buf_free(&simp);
  if (!stem) return NULL;
  cut_places(stem);
  cut(stem, "人民政府");
  cut(stem, "关于印发");
  cut(stem, "關於印發");
  cut(stem, "关于");
  cut(stem, "關於");
  cut(stem, "的通知");
  /* 温州市人民政府关于印发温州市…的通知: the place again after the wrapper */
  cut_places(stem);
  for (char *p; (p = strstr(stem, "的")) != NULL;) memmove(p, p + 3, strlen(p + 3) + 1);
  return stem;
}

int cdx_title_stem(const char *title, char **out, cdx_error *err) {
  *out = NULL;
  if (!title) return cdx_err_set(err, CDX_INVALID, CDX_NO_OFFSET, "no title given");
  cdx_pool pool = {0};
  const char *stem = cdx_corpus_title_stem(&pool, title);
  size_t n = stem ? strlen(stem) + 1 : 0;
  if (stem && (*out = malloc(n)) != NULL) memcpy(*out, stem, n);
  cdx_pool_free(&pool);
  return *out ? CDX_OK : cdx_err_set(err, CDX_NOMEM, CDX_NO_OFFSET, "out of memory");
}

int cdx_corpus_policy_key(cdx_pool *pool, cdx_meta_work *w) {
  if (!w->title_stem && !(w->title_stem = cdx_corpus_title_stem(pool, w->meta.title)))
    return CDX_NOMEM;
  /* Without a title there is nothing to tie versions together: an empty key
   * means "a policy of its own" (documents without titles must not all
   * become versions of one another). */
  if (!w->title_stem[0]) {
    w->meta.policy_key = "";
    return CDX_OK;
  }
  size_t n = strlen(w->title_stem) + 40;
  char *k = malloc(n);
  if (!k) return CDX_NOMEM;
  snprintf(k, n, "%u:%s:%d", (unsigned)w->meta.jurisdiction.code, w->title_stem, w->meta.edition);
  w->meta.policy_key = cdx_pool_keep(pool, k);
  return w->meta.policy_key ? CDX_OK : CDX_NOMEM;
}

int cdx_corpus_detect_meta(cdx_pool *pool, const char *text, size_t len,
                           const cdx_clean_hints *hints, cdx_meta_work *w, cdx_error *err) {
  memset(&w->meta, 0, sizeof w->meta);
  w->meta.parents = w->parents;
  w->meta.title = "";
  w->title_stem = NULL;
  w->block = (cdx_title_block){0, 0, 0, len, len};

  span lines[64];
  size_t nl = 0, pos = 0, header_end = len;
  while (pos < len && nl < 64) {
    const char *e = memchr(text + pos, '\n', len - pos);
    size_t end = e ? (size_t)(e - text) : len;
    if (is_chapter_line(text + pos, end - pos)) {
      header_end = pos;
      break;
    }
    lines[nl++] = (span){text + pos, end - pos};
    if (!e) break;
    pos = end + 1;
  }
  if (nl == 64 && header_end == len) header_end = (size_t)(lines[63].s + lines[63].n - text);

  /* title */
  ptrdiff_t ti = -1;
  for (size_t i = 0; i < nl; i++)
    if (is_title_like(lines[i].s, lines[i].n)) ti = (ptrdiff_t)i;
  const char *title = NULL;
  size_t title_n = 0;
  bool title_joined = false;
  if (ti >= 0) {
    span t = lines[ti];
    const char *o = cdx_memmem(t.s, t.n, "关于印发");
    if (!o) o = cdx_memmem(t.s, t.n, "關於印發");
    if (o) {
      const char *a = o + strlen("关于印发");
      size_t an = (size_t)(t.s + t.n - a);
      const char *tail = cdx_memmem(a, an, "的通知");
      if (tail) an = (size_t)(tail - a);
      if (cdx_starts_with(a, an, "《")) {
        const char *cl = cdx_memmem(a, an, "》");
        a += 3;
        an = cl ? (size_t)(cl - a) : an - 3;
      }
      title = a;
      title_n = an;
    } else {
      title = t.s;
      title_n = t.n;
    }
    size_t i = (size_t)ti + 1;
    /* an edition in brackets on the line under the title belongs to it:
     * 溫州市推動經濟高質量發展若干政策 / (2025年版) is titled as the same
     * document written on one line */
    bool own_line = !o;
    if (own_line && i < nl && is_bracket_line(lines[i].s, lines[i].n) &&
        is_edition_bracket(lines[i].s, lines[i].n)) {
      char *joined = cdx_pool_calloc(pool, t.n + lines[i].n + 1, 1);
      if (!joined) goto nomem;
      memcpy(joined, t.s, t.n);
      memcpy(joined + t.n, lines[i].s, lines[i].n);
      w->meta.title = joined;
      title_joined = true;
    }
    while (i < nl && is_bracket_line(lines[i].s, lines[i].n)) i++;
    w->block.title_start = (size_t)(t.s - text);
    w->block.title_end = (size_t)(t.s + t.n - text);
    w->block.body_start = i < nl ? (size_t)(lines[i].s - text) : header_end;
  }
  if (title && !title_joined && !(w->meta.title = cdx_pool_strndup(pool, title, title_n)))
    goto nomem;

  /* status and edition from the header zone */
  const char *hz = text;
  size_t hzn = header_end;
  if (cdx_memmem(hz, hzn, "征求意见稿") || cdx_memmem(hz, hzn, "徵求意見稿"))
    w->meta.status = CDX_STATUS_DRAFT_FOR_COMMENT;
  else if (cdx_memmem(hz, hzn, "送审稿") || cdx_memmem(hz, hzn, "送審稿"))
    w->meta.status = CDX_STATUS_DRAFT_FOR_APPROVAL;
  w->meta.status_class = w->meta.status == CDX_STATUS_FINAL ? CDX_CLASS_FINAL : CDX_CLASS_DRAFT;
  w->meta.edition = edition_in(hz, hzn);
  if (!w->meta.edition) w->meta.edition = dominant_year(text, len);

  /* date, doc number, issuer */
  ptrdiff_t di = -1;
  for (size_t i = 0; i < nl && !w->meta.date; i++) {
    uint32_t d = parse_cn_date(lines[i].s, lines[i].n, true);
    if (d) {
      w->meta.date = d;
      di = (ptrdiff_t)i;
    }
  }
  for (size_t i = 0; i < nl && !w->meta.doc_number; i++)
    if (is_doc_number(lines[i].s, lines[i].n) &&
        !(w->meta.doc_number = cdx_pool_strndup(pool, lines[i].s, lines[i].n)))
      goto nomem;
  if (!w->meta.doc_number && hints && hints->doc_number &&
      !(w->meta.doc_number = cdx_pool_strdup(pool, hints->doc_number)))
    goto nomem;
  if (di > 0 && is_issuer_like(lines[di - 1].s, lines[di - 1].n) &&
      !(w->meta.issuer = cdx_pool_strndup(pool, lines[di - 1].s, lines[di - 1].n)))
    goto nomem;
  if (!w->meta.issuer) {
    for (size_t i = 0; i < nl; i++) {
      const char *o = cdx_memmem(lines[i].s, lines[i].n, "关于");
      if (!o) o = cdx_memmem(lines[i].s, lines[i].n, "關於");
      if (o && o > lines[i].s && is_title_like(lines[i].s, lines[i].n) &&
          is_issuer_like(lines[i].s, (size_t)(o - lines[i].s))) {
        if (!(w->meta.issuer = cdx_pool_strndup(pool, lines[i].s, (size_t)(o - lines[i].s))))
          goto nomem;
        break;
      }
    }
  }

  /* A signature after the body: issuer and date lines at the very end. */
  w->block.body_end = len;
  w->block.after_signature = len;
  {
    span tail[6];
    size_t nt = 0, end = len;
    while (end > header_end && nt < 6) {
      const char *lf = end ? memrchr(text, '\n', end) : NULL;
      size_t st = lf ? (size_t)(lf - text) + 1 : 0;
      tail[nt++] = (span){text + st, end - st};
      if (st == 0) break;
      end = st - 1;
    }
    /* tail[0] is the last line */
    for (size_t i = 0; i < nt && i < 3; i++) {
      uint32_t d = parse_cn_date(tail[i].s, tail[i].n, true);
      if (!d) continue;
      size_t first = i;
      if (i + 1 < nt && is_issuer_like(tail[i + 1].s, tail[i + 1].n)) first = i + 1;
      if (!w->meta.date) w->meta.date = d;
      if (!w->meta.issuer && first == i + 1 &&
          !(w->meta.issuer = cdx_pool_strndup(pool, tail[i + 1].s, tail[i + 1].n)))
        goto nomem;
      w->block.body_end = (size_t)(tail[first].s - text);
      w->block.after_signature = (size_t)(tail[i].s + tail[i].n - text);
      if (w->block.after_signature < len) w->block.after_signature++; /* its newline */
      while (w->block.body_end > 0 && text[w->block.body_end - 1] == '\n') w->block.body_end--;
      break;
    }
  }

  /* jurisdiction: title, issuer, header zone, whole text */
  const cdx_gz_place *p = NULL;
  if (title) p = cdx_gz_find_in_text(title, title_n, NULL);
  if (!p && w->meta.issuer) p = cdx_gz_find_in_text(w->meta.issuer, strlen(w->meta.issuer), NULL);
  if (!p) p = cdx_gz_find_in_text(hz, hzn, NULL);
  if (!p) p = cdx_gz_find_in_text(text, len, NULL);
  cdx_corpus_set_place(w, p ? p->code : 0);
  if (cdx_corpus_policy_key(pool, w) != CDX_OK) goto nomem;
  return CDX_OK;
nomem:
  return cdx_err_set(err, CDX_NOMEM, CDX_NO_OFFSET, "metadata: out of memory");
}
