/*
 * Cleaning: keep what a reader of the policy would read. Lines are trimmed and
 * blank lines dropped, so the text is one paragraph per line (the offsets of
 * units point into this text). Dropped:
 *   - Word-export artifacts: [bookmark: _Hlk160216889] anywhere in a line;
 *   - web-page chrome: the 索引号/组配分类/发布机构/生成日期/文号 table, 下载
 *     links, 【返回顶部】【打印本稿】【关闭本页】 rows and similar;
 *   - a news site's lead: everything up to a 原文如下 line near the top;
 *   - the 抄送 / …印发 footer after the body.
 * The 文号 row is the only place some pages give the document number, so it
 * is kept as a hint before the row is dropped.
 */
#define _POSIX_C_SOURCE 200809L /* strdup, strndup */
#include <stdlib.h>
#include <string.h>
#include "corpus/corpus.h"

typedef struct line {
  const char *s;
  size_t n;
} line;

typedef struct prefix {
  const char *s;
  size_t n;
} prefix;
#define P(lit) \
  { lit, sizeof lit - 1 }

static const prefix s_chrome_prefix[] = {
    P("索引号"),       P("索引號"),   P("组配分类"), P("組配分類"), P("发布机构"),
    P("發布機構"),     P("生成日期"), P("公开方式"), P("公開方式"), P("下载阅读版本"),
    P("下載閱讀版本"), P("下载附件"), P("扫一扫"),   P("分享到"),   P("字号"),
    P("字體"),         P("打印本页"), P("关闭窗口"), P("來源："),   P("浏览次数"),
    P("【字体"),       P("信息来源")};

static bool is_doc_number_row(const char *s, size_t n) {
  return cdx_starts_with(s, n, "文号") || cdx_starts_with(s, n, "文號") ||
         cdx_starts_with(s, n, "发文字号") || cdx_starts_with(s, n, "發文字號");
}

/* A row made only of 【…】 buttons ("【返回顶部】【打印本稿】【关闭本页】"). */
static bool is_button_row(const char *s, size_t n) {
  if (!cdx_starts_with(s, n, "【")) return false;
  size_t i = 0;
  while (i < n) {
    if (!cdx_starts_with(s + i, n - i, "【")) return false;
    const char *close = cdx_memmem(s + i, n - i, "】");
    if (!close) return false;
    i = (size_t)(close - s) + strlen("】");
    while (i < n && (s[i] == ' ' || s[i] == '\t')) i++;
  }
  return true;
}

static bool is_chrome(const char *s, size_t n) {
  /* Every line is checked: compare the first character (all prefixes start
   * with a 3-byte one) before calling memcmp. */
  uint32_t first = cdx_char3(s, n);
  for (size_t i = 0; i < sizeof s_chrome_prefix / sizeof s_chrome_prefix[0]; i++) {
    const prefix *p = &s_chrome_prefix[i];
    if (first == cdx_char3(p->s, p->n) && n >= p->n && memcmp(s, p->s, p->n) == 0) return true;
  }
  return is_button_row(s, n) || is_doc_number_row(s, n);
}

static bool is_footer_start(const char *s, size_t n) {
  return cdx_starts_with(s, n, "抄送") || cdx_starts_with(s, n, "抄報") ||
         cdx_starts_with(s, n, "抄报");
}

static bool is_news_marker(const char *s, size_t n) {
  return cdx_starts_with(s, n, "原文如下") || cdx_starts_with(s, n, "全文如下") ||
         cdx_starts_with(s, n, "附全文");
}

/* Removes every "[bookmark: …]" from a line into b; may_have is false when
 * the whole text has no '[' (most documents), so no line is searched. */
static void append_without_bookmarks(int *rc, cdx_buf *b, const char *s, size_t n, bool may_have) {
  size_t i = 0;
  while (may_have && i < n) {
    /* '[' is rare in Chinese text: find it with memchr, then compare */
    const char *m = memchr(s + i, '[', n - i);
    while (m && !cdx_starts_with(m, (size_t)(s + n - m), "[bookmark:"))
      m = memchr(m + 1, '[', (size_t)(s + n - m - 1));
    if (!m) break;
    const char *close = memchr(m, ']', (size_t)(s + n - m));
    if (!close) break;
    cdx_buf_append(rc, b, s + i, (size_t)(m - (s + i)));
    i = (size_t)(close - s) + 1;
  }
  cdx_buf_append(rc, b, s + i, n - i);
}

/* Records that output line [out, out_end) came from input bytes [in, in_end). */
static int map_line(cdx_clean_map *m, size_t out, size_t out_end, size_t in, size_t in_end) {
  if (CDX_GROW(m->lines, m->cap, m->n + 1, 64) != CDX_OK) return CDX_NOMEM;
  m->lines[m->n][0] = out;
  m->lines[m->n][1] = out_end;
  m->lines[m->n][2] = in;
  m->lines[m->n][3] = in_end;
  m->n++;
  return CDX_OK;
}

void cdx_clean_map_free(cdx_clean_map *m) {
  free(m->lines);
  memset(m, 0, sizeof *m);
}

size_t cdx_clean_map_source(const cdx_clean_map *m, size_t off, bool end) {
  if (!m->n) return off;
  /* the last line starting at or before off (before, for an end offset) */
  size_t lo = 0, hi = m->n;
  while (hi - lo > 1) {
    size_t mid = (lo + hi) / 2;
    if (m->lines[mid][0] < off || (!end && m->lines[mid][0] == off)) lo = mid;
    else hi = mid;
  }
  const size_t *l = m->lines[lo];
  /* a whole line is the whole input line, bookmarks and all; within a line
   * the text is the input's, bookmarks aside: clamped to the line */
  if (off >= l[1]) return l[3];
  size_t d = off - l[0];
  return l[2] + d < l[3] ? l[2] + d : l[3];
}

void cdx_clean_hints_free(cdx_clean_hints *h) {
  free(h->doc_number);
  free(h->issuer);
  h->doc_number = h->issuer = NULL;
}

int cdx_corpus_clean(const char *text, size_t len, char **out, size_t *out_len,
                     cdx_clean_hints *hints, cdx_clean_map *map, cdx_error *err) {
  *out = NULL;
  if (map) memset(map, 0, sizeof *map);
  size_t cap = 64, nl = 0;
  line *lines = malloc(cap * sizeof *lines);
  if (!lines) return cdx_err_set(err, CDX_NOMEM, CDX_NO_OFFSET, "out of memory");
  size_t pos = 0;
  while (pos <= len) {
    const char *e = memchr(text + pos, '\n', len - pos);
    size_t end = e ? (size_t)(e - text) : len;
    const char *s = text + pos;
    size_t n = end - pos;
    cdx_trim(&s, &n);
    if (n) {
      if (nl == cap) {
        line *g = realloc(lines, (cap *= 2) * sizeof *lines);
        if (!g) {
          free(lines);
          return cdx_err_set(err, CDX_NOMEM, CDX_NO_OFFSET, "out of memory");
        }
        lines = g;
      }
      lines[nl++] = (line){s, n};
    }
    if (!e) break;
    pos = end + 1;
  }

  /* A news lead sits before 原文如下 within the first lines. */
  size_t first = 0;
  for (size_t i = 0; i < nl && i < 12; i++)
    if (is_news_marker(lines[i].s, lines[i].n)) {
      first = i + 1;
      break;
    }

  /* The footer starts at the last 抄送 line in the final quarter of the text. */
  size_t last = nl;
  for (size_t i = nl; i-- > first && i + 8 >= nl;)
    if (is_footer_start(lines[i].s, lines[i].n)) {
      last = i;
      break;
    }

  int rc = CDX_OK;
  cdx_buf b;
  cdx_buf_init(&b);
  bool any_bracket = memchr(text, '[', len) != NULL;
  for (size_t i = first; i < last && rc == CDX_OK; i++) {
    const char *s = lines[i].s;
    size_t n = lines[i].n;
    if (is_doc_number_row(s, n) && !hints->doc_number) {
      const char *v = s;
      size_t vn = n;
      size_t skip = cdx_starts_with(s, n, "文号") || cdx_starts_with(s, n, "文號") ? 6 : 12;
      v += skip;
      vn -= skip;
      if (vn && (*v == ':' || cdx_starts_with(v, vn, "："))) {
        size_t k = *v == ':' ? 1 : 3;
        v += k;
        vn -= k;
      }
      cdx_trim(&v, &vn);
      if (vn && !(hints->doc_number = strndup(v, vn))) rc = CDX_NOMEM;
    }
    if (is_chrome(s, n)) continue;
    size_t before = b.len;
    append_without_bookmarks(&rc, &b, s, n, any_bracket);
    /* a line that was nothing but a bookmark leaves nothing */
    const char *t = b.data + before;
    size_t tn = b.len - before;
    cdx_trim(&t, &tn);
    if (tn == 0) {
      b.len = before;
      continue;
    }
    if (t != b.data + before || tn != b.len - before) {
      memmove(b.data + before, t, tn);
      b.len = before + tn;
    }
    if (map && rc == CDX_OK)
      rc = map_line(map, before, b.len, (size_t)(s - text), (size_t)(s + n - text));
    cdx_buf_putc(&rc, &b, '\n');
  }
  free(lines);
  if (b.len) b.len--; /* no trailing newline */
  cdx_buf_str(&rc, &b);
  if (rc != CDX_OK) {
    cdx_buf_free(&b);
    if (map) cdx_clean_map_free(map);
    return cdx_err_set(err, rc, CDX_NO_OFFSET, "cleaning: %s", cdx_strerror(rc));
  }
  *out = cdx_buf_detach(&b, out_len);
  return CDX_OK;
}
