/*
 * Metadata a user sets explicitly: a sidecar FILE.meta ("key: value" lines,
 * '#' comments) and command-line overrides, both winning over detection.
 * Values are checked strictly: a typo must not silently index wrong metadata.
 */
#define _POSIX_C_SOURCE 200809L /* strdup, strndup */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "corpus/corpus.h"
#include "lexicon/gazetteer.h"

int cdx_document_sidecar_path(const char *path, char **out, cdx_error *err) {
  if (!out || !path) return cdx_err_set(err, CDX_INVALID, CDX_NO_OFFSET, "path or out is NULL");
  size_t pn = strlen(path);
  if (!(*out = malloc(pn + sizeof ".meta")))
    return cdx_err_set(err, CDX_NOMEM, CDX_NO_OFFSET, "out of memory");
  memcpy(*out, path, pn);
  memcpy(*out + pn, ".meta", sizeof ".meta");
  return CDX_OK;
}

static bool valid_ymd(int64_t y, int64_t m, int64_t d) {
  return y >= 1900 && y <= 2200 && m >= 1 && m <= 12 && d >= 1 &&
         d <= cdx_days_in_month((long)y, (long)m);
}

/* "2025-03-06", "20250306", "2025/3/6", "2025年3月6日". */
static bool parse_date(const char *s, uint32_t *out) {
  size_t n = strlen(s);
  int64_t y, m, d;
  if (n == 8 && cdx_parse_digits(s, 8, &y)) {
    m = (y / 100) % 100;
    d = y % 100;
    y /= 10000;
  } else {
    int64_t part[3];
    size_t i = 0;
    for (int k = 0; k < 3; k++) {
      size_t st = i;
      while (i < n && s[i] >= '0' && s[i] <= '9') i++;
      if (!cdx_parse_digits(s + st, i - st, &part[k])) return false;
      static const char *const cn[] = {"年", "月", "日"};
      if (k < 2 && i < n && (s[i] == '-' || s[i] == '/' || s[i] == '.')) i++;
      else if (cdx_starts_with(s + i, n - i, cn[k])) i += 3;
      else if (k < 2) return false;
    }
    if (i != n) return false;
    y = part[0];
    m = part[1];
    d = part[2];
  }
  if (!valid_ymd(y, m, d)) return false;
  *out = (uint32_t)(y * 10000 + m * 100 + d);
  return true;
}

int cdx_corpus_apply_override(cdx_pool *pool, cdx_meta_work *w, const char *key, const char *value,
                              const char *where, cdx_error *err) {
  const char *v = value;
  size_t vn = strlen(value);
  cdx_trim(&v, &vn);
  char *val = cdx_pool_strndup(pool, v, vn);
  if (!val) return cdx_err_set(err, CDX_NOMEM, CDX_NO_OFFSET, "%s: out of memory", where);
  if (strcmp(key, "title") == 0) {
    if (!*val) return cdx_err_set(err, CDX_INVALID, CDX_NO_OFFSET, "%s: empty title", where);
    w->meta.title = val;
    w->title_stem = NULL;
  } else if (strcmp(key, "jurisdiction") == 0) {
    int64_t code;
    const cdx_gz_place *p = NULL;
    if (cdx_parse_digits(val, vn, &code)) p = cdx_gz_by_code((uint32_t)code);
    else if (cdx_gz_lookup(val, vn, &p, 1) == 0) p = NULL;
    if (!p)
      return cdx_err_set(err, CDX_INVALID, CDX_NO_OFFSET,
                         "%s: jurisdiction '%s' is not in the gazetteer", where, val);
    cdx_corpus_set_place(w, p->code);
  } else if (strcmp(key, "status") == 0) {
    if (strcmp(val, "送审稿") == 0 || strcmp(val, "送審稿") == 0 ||
        strcmp(val, "draft-for-approval") == 0)
      w->meta.status = CDX_STATUS_DRAFT_FOR_APPROVAL;
    else if (strcmp(val, "征求意见稿") == 0 || strcmp(val, "徵求意見稿") == 0 ||
             strcmp(val, "draft") == 0 || strcmp(val, "draft-for-comment") == 0)
      w->meta.status = CDX_STATUS_DRAFT_FOR_COMMENT;
    else if (strcmp(val, "final") == 0 || strcmp(val, "正式") == 0)
      w->meta.status = CDX_STATUS_FINAL;
    else
      return cdx_err_set(err, CDX_INVALID, CDX_NO_OFFSET,
                         "%s: status '%s' is not one of 送审稿, 征求意见稿, draft, final", where,
                         val);
    w->meta.status_class = w->meta.status == CDX_STATUS_FINAL ? CDX_CLASS_FINAL : CDX_CLASS_DRAFT;
  } else if (strcmp(key, "edition") == 0) {
    int64_t y;
    if (!cdx_parse_digits(val, vn, &y) || y < 1900 || y > 2200)
      return cdx_err_set(err, CDX_INVALID, CDX_NO_OFFSET,
                         "%s: edition '%s' is not a year (1900-2200)", where, val);
    w->meta.edition = (int)y;
  } else if (strcmp(key, "date") == 0) {
    uint32_t d;
    if (!parse_date(val, &d))
      return cdx_err_set(err, CDX_INVALID, CDX_NO_OFFSET,
                         "%s: date '%s' is not a valid date (YYYY-MM-DD)", where, val);
    w->meta.date = d;
  } else if (strcmp(key, "doc_number") == 0) {
    w->meta.doc_number = *val ? val : NULL;
  } else if (strcmp(key, "issuer") == 0) {
    w->meta.issuer = *val ? val : NULL;
  } else if (strcmp(key, "family") == 0) {
    /* control characters would break the stored citation form and the
     * listing; a family is a name */
    for (const char *c = val; *c; c++)
      if ((unsigned char)*c < 0x20)
        return cdx_err_set(err, CDX_INVALID, CDX_NO_OFFSET, "%s: family has a control character",
                           where);
    w->meta.family = *val ? val : NULL;
  } else {
    return cdx_err_set(err, CDX_INVALID, CDX_NO_OFFSET,
                       "%s: unknown key '%s' (title, jurisdiction, status, edition, date, "
                       "doc_number, issuer, family)",
                       where, key);
  }
  return CDX_OK;
}

int cdx_corpus_apply_sidecar(cdx_pool *pool, cdx_meta_work *w, const char *path, const char *text,
                             size_t len, cdx_error *err) {
  size_t pos = 0;
  int lineno = 0;
  if (cdx_utf8_find_invalid(text, len) != CDX_NO_OFFSET)
    return cdx_err_set(err, CDX_INVALID, CDX_NO_OFFSET, "%s: not UTF-8 text", path);
  while (pos < len) {
    const char *e = memchr(text + pos, '\n', len - pos);
    size_t end = e ? (size_t)(e - text) : len;
    lineno++;
    const char *s = text + pos;
    size_t n = end - pos;
    if (n && s[n - 1] == '\r') n--;
    cdx_trim(&s, &n);
    pos = end + 1;
    if (n == 0 || s[0] == '#') continue;
    /* "key: value"; a full-width colon, as typed with a Chinese input
     * method, is accepted too */
    const char *colon = memchr(s, ':', n);
    const char *wide = cdx_memmem(s, n, "：");
    size_t sep = 1;
    if (wide && (!colon || wide < colon)) {
      colon = wide;
      sep = 3;
    }
    if (!colon)
      return cdx_err_set(err, CDX_INVALID, CDX_NO_OFFSET, "%s:%d: expected 'key: value'", path,
                         lineno);
    const char *k = s;
    size_t kn = (size_t)(colon - s);
    cdx_trim(&k, &kn);
    char key[32], where[600];
    if (kn == 0 || kn >= sizeof key)
      return cdx_err_set(err, CDX_INVALID, CDX_NO_OFFSET, "%s:%d: bad key", path, lineno);
    memcpy(key, k, kn);
    key[kn] = '\0';
    char *val = strndup(colon + sep, (size_t)(s + n - colon - sep));
    if (!val) return cdx_err_set(err, CDX_NOMEM, CDX_NO_OFFSET, "%s: out of memory", path);
    snprintf(where, sizeof where, "%s:%d", path, lineno);
    int rc = cdx_corpus_apply_override(pool, w, key, val, where, err);
    free(val);
    if (rc != CDX_OK) return rc;
  }
  return CDX_OK;
}
