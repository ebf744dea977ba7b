/* cite.c - the bases a document cites: 根据《温州市推动经济高质量发展若干政策
 * (2025年版)》(温政发〔2025〕2号)，结合我区实际 … Only book titles in a
 * basis sentence count (根据, 依据, 按照, 贯彻落实 opening the clause), not
 * every 《》 of the text: a policy names many documents it does not rest on. */
#include <stdlib.h>
#include <string.h>
#include "common/common.h"
#include "families/families.h"
#include "lexicon/gazetteer.h"

/* Simplified and Traditional (溫州 documents are published in both) */
static const char *const openers[] = {"根据", "依据", "按照",    "贯彻落实",
                                      "根據", "依據", "貫徹落實"};

static bool at(const char *s, size_t n, size_t i, const char *w) {
  size_t l = strlen(w);
  return i + l <= n && memcmp(s + i, w, l) == 0;
}

/* The end of the sentence part a basis governs: 。；, or 结合/制定 after a
 * comma ("，结合我市实际，制定以下政策"). */
static size_t basis_end(const char *s, size_t n, size_t i) {
  for (; i < n; i++) {
    if (s[i] == '\n' || at(s, n, i, "。") || at(s, n, i, "；") || at(s, n, i, "结合") ||
        at(s, n, i, "結合") || at(s, n, i, "制定"))
      return i;
  }
  return n;
}

/* A document number in brackets right after a title: （温政发〔2025〕2号）.
 * The number ends at 号 before the closing bracket: its own year brackets
 * may be the same kind (（温鹿政发（2025）1号）). Returns the bytes used. */
static size_t number_after(const char *s, size_t n, size_t i, size_t *ns, size_t *ne) {
  size_t p = i;
  if (at(s, n, p, "（")) p += 3;
  else if (at(s, n, p, "(")) p += 1;
  else return 0;
  size_t st = p;
  for (; p < n && p - st < 96 && s[p] != '\n' && !at(s, n, p, "《"); p++) {
    if (!at(s, n, p, "号") && !at(s, n, p, "號")) continue;
    size_t q = p + 3;
    size_t close = at(s, n, q, "）") ? 3 : q < n && s[q] == ')' ? 1 : 0;
    if (!close) continue;
    *ns = st;
    *ne = q;
    return q + close - i;
  }
  return 0;
}

static void put_field(int *rc, cdx_buf *b, const char *s, size_t n) {
  /* separators cannot appear in a field: they are control characters, which
   * cleaned text does not hold; drop them anyway so the form stays parseable */
  for (size_t i = 0; i < n; i++)
    if (s[i] != 0x1E && s[i] != 0x1F) cdx_buf_putc(rc, b, s[i]);
}

char *cdx_fam_cites_scan(const char *text, size_t len) {
  cdx_buf b;
  cdx_buf_init(&b);
  int rc = CDX_OK;
  size_t count = 0;
  for (size_t i = 0; i < len && count < CDX_FAM_MAX_CITES; i++) {
    bool opener = false;
    for (size_t k = 0; k < sizeof openers / sizeof *openers && !opener; k++)
      opener = at(text, len, i, openers[k]);
    if (!opener) continue;
    size_t end = basis_end(text, len, i + 6);
    for (size_t p = i; p < end && count < CDX_FAM_MAX_CITES; p++) {
      if (!at(text, len, p, "《")) continue;
      size_t ts = p + 3, te = ts;
      while (te < len && !at(text, len, te, "》") && text[te] != '\n' && te - ts < 512) te++;
      if (te >= len || !at(text, len, te, "》") || te == ts) break;
      size_t ns = 0, ne = 0;
      size_t used = number_after(text, len, te + 3, &ns, &ne);
      put_field(&rc, &b, text + ts, te - ts);
      cdx_buf_putc(&rc, &b, 0x1F);
      if (used) put_field(&rc, &b, text + ns, ne - ns);
      cdx_buf_putc(&rc, &b, 0x1E);
      count++;
      p = te + 3 + used - 1;
      if (end < p + 1) end = basis_end(text, len, p + 1);
    }
    i = end > i ? end - 1 : i;
  }
  if (rc != CDX_OK) {
    cdx_buf_free(&b);
    return NULL;
  }
  char *out = cdx_buf_detach(&b, NULL);
  if (!out) cdx_buf_free(&b);
  return out;
}

size_t cdx_fam_cites_parse(char *s, cdx_fam_cite *out, size_t max) {
  size_t n = 0;
  while (s && *s && n < max) {
    char *rs = strchr(s, 0x1E);
    if (!rs) break;
    *rs = '\0';
    char *us = strchr(s, 0x1F);
    if (us) *us = '\0';
    out[n].title = s;
    out[n].number = us && us[1] ? us + 1 : NULL;
    n++;
    s = rs + 1;
  }
  return n;
}

uint32_t cdx_fam_cite_place(const char *title) {
  const cdx_gz_place *p = cdx_gz_find_in_text(title, strlen(title), NULL);
  return p ? p->code : 0;
}

int cdx_fam_cite_edition(const char *title, const char *number) {
  size_t n = strlen(title);
  for (size_t i = 0; i + 4 <= n; i++) {
    int64_t y;
    if (!cdx_parse_digits(title + i, 4, &y) || y < 1900 || y > 2200) continue;
    if (at(title, n, i + 4, "年版") || at(title, n, i + 4, "版")) return (int)y;
  }
  return number ? cdx_fam_number_year(number) : 0;
}

const char *cdx_fam_cite_issuer(const char *title, size_t *issuer_len) {
  static const char *const bodies[] = {"人民政府", "人民政府办公室", "人民政府办公厅",
                                       "办公室",   "办公厅",         "局"};
  static const char *const cuts[] = {"关于", "印发"};
  *issuer_len = 0;
  size_t n = strlen(title), end = n;
  for (size_t k = 0; k < 2; k++) {
    const char *p = strstr(title, cuts[k]);
    if (p && (size_t)(p - title) < end) end = (size_t)(p - title);
  }
  if (end == n) return NULL;
  for (size_t k = 0; k < sizeof bodies / sizeof *bodies; k++) {
    size_t l = strlen(bodies[k]);
    if (end >= l && memcmp(title + end - l, bodies[k], l) == 0) {
      *issuer_len = end;
      return title;
    }
  }
  return NULL;
}
