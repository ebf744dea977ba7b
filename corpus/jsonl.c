/*
 * JSON Lines input (format in docs/CORPUS.md): one object per unit,
 *   {"doc": "id", "text": "...", "kind": "clause", "number": "（一）", ...}
 * consecutive records with the same "doc" form one document whose text is the
 * unit texts joined by "\n". The parser is strict RFC 8259 for what a record
 * may hold (one object per line; strings with all escapes including \uXXXX
 * surrogate pairs; numbers; arrays of strings; true/false/null) so a broken
 * export is reported at its line instead of being indexed half-read.
 */
#define _POSIX_C_SOURCE 200809L /* strdup */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "corpus/corpus.h"
#include "lexicon/gazetteer.h"

enum jtype { J_NULL, J_BOOL, J_NUM, J_STR, J_ARR };

typedef struct jval {
  enum jtype type;
  char *str; /* J_STR: malloc'ed UTF-8; J_NUM: the literal */
  size_t len;
  char **arr; /* J_ARR: strings */
  size_t n_arr;
} jval;

static void jval_free(jval *v) {
  free(v->str);
  for (size_t i = 0; i < v->n_arr; i++) free(v->arr[i]);
  free(v->arr);
  memset(v, 0, sizeof *v);
}

/* The fields a record may carry. */
enum {
  F_DOC,
  F_TEXT,
  F_TITLE,
  F_JUR,
  F_STATUS,
  F_EDITION,
  F_DATE,
  F_DOCNO,
  F_ISSUER,
  F_FAMILY,
  F_KIND,
  F_NUMBER,
  F_HEADING,
  F_CHAPTER,
  F_RESP,
  F_COUNT
};
static const char *const s_fields[F_COUNT] = {
    "doc",    "text",   "title", "jurisdiction", "status",  "edition", "date",       "doc_number",
    "issuer", "family", "kind",  "number",       "heading", "chapter", "responsible"};

typedef struct record {
  jval f[F_COUNT];
  size_t line;
} record;

static void record_free(record *r) {
  for (int i = 0; i < F_COUNT; i++) jval_free(&r->f[i]);
}

typedef struct parser {
  const char *s, *end;
  const char *err; /* static message */
} parser;

static void skip_ws(parser *p) {
  while (p->s < p->end && (*p->s == ' ' || *p->s == '\t' || *p->s == '\r' || *p->s == '\n')) p->s++;
}

static int hex4(const char *s) {
  int v = 0;
  for (int i = 0; i < 4; i++) {
    char c = s[i];
    v <<= 4;
    if (c >= '0' && c <= '9') v |= c - '0';
    else if (c >= 'a' && c <= 'f') v |= c - 'a' + 10;
    else if (c >= 'A' && c <= 'F') v |= c - 'A' + 10;
    else return -1;
  }
  return v;
}

static bool parse_string(parser *p, char **out, size_t *out_len) {
  if (p->s >= p->end || *p->s != '"') {
    p->err = "expected a string";
    return false;
  }
  p->s++;
  cdx_buf b;
  cdx_buf_init(&b);
  int rc = CDX_OK;
  while (p->s < p->end && *p->s != '"') {
    unsigned char c = (unsigned char)*p->s;
    if (c < 0x20) {
      p->err = "control character in string";
      goto fail;
    }
    if (c >= 0x80) {
      size_t i = 0, n = (size_t)(p->end - p->s);
      if (cdx_utf8_decode(p->s, n, &i) < 0) {
        p->err = "invalid UTF-8 in string";
        goto fail;
      }
      cdx_buf_append(&rc, &b, p->s, i);
      p->s += i;
      continue;
    }
    if (c != '\\') {
      cdx_buf_putc(&rc, &b, (char)c);
      p->s++;
      continue;
    }
    if (p->end - p->s < 2) {
      p->err = "unterminated escape";
      goto fail;
    }
    char e = p->s[1];
    p->s += 2;
    switch (e) {
      case '"': cdx_buf_putc(&rc, &b, '"'); break;
      case '\\': cdx_buf_putc(&rc, &b, '\\'); break;
      case '/': cdx_buf_putc(&rc, &b, '/'); break;
      case 'b': cdx_buf_putc(&rc, &b, '\b'); break;
      case 'f': cdx_buf_putc(&rc, &b, '\f'); break;
      case 'n': cdx_buf_putc(&rc, &b, '\n'); break;
      case 'r': cdx_buf_putc(&rc, &b, '\r'); break;
      case 't': cdx_buf_putc(&rc, &b, '\t'); break;
      case 'u': {
        if (p->end - p->s < 4 || hex4(p->s) < 0) {
          p->err = "bad \\u escape";
          goto fail;
        }
        uint32_t cp = (uint32_t)hex4(p->s);
        p->s += 4;
        if (cp >= 0xD800 && cp <= 0xDBFF) {
          if (p->end - p->s < 6 || p->s[0] != '\\' || p->s[1] != 'u' || hex4(p->s + 2) < 0) {
            p->err = "unpaired surrogate in \\u escape";
            goto fail;
          }
          uint32_t lo = (uint32_t)hex4(p->s + 2);
          if (lo < 0xDC00 || lo > 0xDFFF) {
            p->err = "unpaired surrogate in \\u escape";
            goto fail;
          }
          cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
          p->s += 6;
        } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
          p->err = "unpaired surrogate in \\u escape";
          goto fail;
        }
        if (cp == 0) {
          p->err = "NUL character in string";
          goto fail;
        }
        char u8[4];
        cdx_buf_append(&rc, &b, u8, cdx_utf8_encode(cp, u8));
        break;
      }
      default: p->err = "unknown escape in string"; goto fail;
    }
  }
  if (p->s >= p->end) {
    p->err = "unterminated string";
    goto fail;
  }
  p->s++;
  cdx_buf_str(&rc, &b);
  if (rc != CDX_OK) {
    p->err = "out of memory";
    goto fail;
  }
  if (!b.data) {
    b.data = malloc(1);
    if (!b.data) {
      p->err = "out of memory";
      return false;
    }
    b.data[0] = '\0';
  }
  *out = cdx_buf_detach(&b, out_len);
  return true;
fail:
  cdx_buf_free(&b);
  return false;
}

static bool parse_number(parser *p, jval *v) {
  const char *st = p->s;
  if (p->s < p->end && *p->s == '-') p->s++;
  if (p->s >= p->end || *p->s < '0' || *p->s > '9') {
    p->err = "bad number";
    return false;
  }
  if (*p->s == '0') p->s++;
  else
    while (p->s < p->end && *p->s >= '0' && *p->s <= '9') p->s++;
  if (p->s < p->end && *p->s == '.') {
    p->s++;
    if (p->s >= p->end || *p->s < '0' || *p->s > '9') {
      p->err = "bad number";
      return false;
    }
    while (p->s < p->end && *p->s >= '0' && *p->s <= '9') p->s++;
  }
  if (p->s < p->end && (*p->s == 'e' || *p->s == 'E')) {
    p->s++;
    if (p->s < p->end && (*p->s == '+' || *p->s == '-')) p->s++;
    if (p->s >= p->end || *p->s < '0' || *p->s > '9') {
      p->err = "bad number";
      return false;
    }
    while (p->s < p->end && *p->s >= '0' && *p->s <= '9') p->s++;
  }
  v->type = J_NUM;
  v->len = (size_t)(p->s - st);
  v->str = strndup(st, v->len);
  if (!v->str) {
    p->err = "out of memory";
    return false;
  }
  return true;
}

static bool parse_literal(parser *p, const char *lit) {
  size_t n = strlen(lit);
  if ((size_t)(p->end - p->s) < n || memcmp(p->s, lit, n) != 0) {
    p->err = "unexpected token";
    return false;
  }
  p->s += n;
  return true;
}

static bool parse_value(parser *p, jval *v) {
  skip_ws(p);
  if (p->s >= p->end) {
    p->err = "unexpected end of line";
    return false;
  }
  char c = *p->s;
  if (c == '"') {
    v->type = J_STR;
    return parse_string(p, &v->str, &v->len);
  }
  if (c == '[') {
    p->s++;
    v->type = J_ARR;
    skip_ws(p);
    if (p->s < p->end && *p->s == ']') {
      p->s++;
      return true;
    }
    for (;;) {
      skip_ws(p);
      char *str;
      size_t len;
      if (p->s < p->end && *p->s != '"') {
        p->err = "arrays may hold only strings";
        return false;
      }
      if (!parse_string(p, &str, &len)) return false;
      char **a = realloc(v->arr, (v->n_arr + 1) * sizeof *a);
      if (!a) {
        free(str);
        p->err = "out of memory";
        return false;
      }
      v->arr = a;
      v->arr[v->n_arr++] = str;
      skip_ws(p);
      if (p->s < p->end && *p->s == ',') {
        p->s++;
        continue;
      }
      if (p->s < p->end && *p->s == ']') {
        p->s++;
        return true;
      }
      p->err = "expected ',' or ']' in array";
      return false;
    }
  }
  if (c == 't') {
    v->type = J_BOOL;
    return parse_literal(p, "true");
  }
  if (c == 'f') {
    v->type = J_BOOL;
    return parse_literal(p, "false");
  }
  if (c == 'n') {
    v->type = J_NULL;
    return parse_literal(p, "null");
  }
  if (c == '{') {
    p->err = "nested objects are not allowed";
    return false;
  }
  return parse_number(p, v);
}

static bool parse_record(parser *p, record *r) {
  skip_ws(p);
  if (p->s >= p->end || *p->s != '{') {
    p->err = "expected '{'";
    return false;
  }
  p->s++;
  skip_ws(p);
  if (p->s < p->end && *p->s == '}') {
    p->s++;
    goto done;
  }
  for (;;) {
    skip_ws(p);
    char *key;
    size_t klen;
    if (!parse_string(p, &key, &klen)) return false;
    skip_ws(p);
    if (p->s >= p->end || *p->s != ':') {
      free(key);
      p->err = "expected ':'";
      return false;
    }
    p->s++;
    jval v;
    memset(&v, 0, sizeof v);
    if (!parse_value(p, &v)) {
      free(key);
      jval_free(&v);
      return false;
    }
    int f = -1;
    for (int i = 0; i < F_COUNT; i++)
      if (strcmp(key, s_fields[i]) == 0) f = i;
    free(key);
    if (f >= 0) {
      if (r->f[f].type != J_NULL || r->f[f].str || r->f[f].arr) {
        jval_free(&v);
        p->err = "duplicate key";
        return false;
      }
      r->f[f] = v;
    } else {
      jval_free(&v); /* unknown keys are ignored: producers may add their own */
    }
    skip_ws(p);
    if (p->s < p->end && *p->s == ',') {
      p->s++;
      continue;
    }
    if (p->s < p->end && *p->s == '}') {
      p->s++;
      break;
    }
    p->err = "expected ',' or '}'";
    return false;
  }
done:
  skip_ws(p);
  if (p->s != p->end) {
    p->err = "trailing characters after the object";
    return false;
  }
  return true;
}

struct cdx_jsonl_reader {
  char *path;
  char *data;
  size_t len, pos, line;
  record pending;
  bool has_pending;
  /* the records of the document being read; kept across a call that
   * reports a bad record, so the document keeps its good ones */
  record *acc;
  size_t n_acc, cap_acc;
  char *doc_id;
};

/* Takes data (malloc'ed, NUL-terminated) whether it succeeds or not. */
static int open_owned(const char *name, char *data, size_t len, cdx_jsonl_reader **out,
                      cdx_error *err) {
  cdx_jsonl_reader *r = calloc(1, sizeof *r);
  if (!r || !(r->path = strdup(name))) {
    free(r);
    free(data);
    return cdx_err_set(err, CDX_NOMEM, CDX_NO_OFFSET, "out of memory");
  }
  r->data = data;
  r->len = len;
  *out = r;
  return CDX_OK;
}

int cdx_jsonl_open(const char *path, cdx_jsonl_reader **out, cdx_error *err) {
  if (!out || !path) return cdx_err_set(err, CDX_INVALID, CDX_NO_OFFSET, "path or out is NULL");
  *out = NULL;
  if (strcmp(path, "-") == 0)
    return cdx_err_set(err, CDX_INVALID, CDX_NO_OFFSET,
                       "JSON Lines input from '-' is not supported");
  char *data;
  size_t len;
  int rc = cdx_read_file(path, &data, &len, err);
  if (rc != CDX_OK) return rc;
  return open_owned(path, data, len, out, err);
}

int cdx_jsonl_open_buffer(const char *name, const char *bytes, size_t len, cdx_jsonl_reader **out,
                          cdx_error *err) {
  *out = NULL;
  char *data = malloc(len + 1);
  if (!data) return cdx_err_set(err, CDX_NOMEM, CDX_NO_OFFSET, "out of memory");
  if (len) memcpy(data, bytes, len);
  data[len] = '\0';
  return open_owned(name, data, len, out, err);
}

void cdx_jsonl_close(cdx_jsonl_reader *r) {
  if (!r) return;
  if (r->has_pending) record_free(&r->pending);
  for (size_t i = 0; i < r->n_acc; i++) record_free(&r->acc[i]);
  free(r->acc);
  free(r->data);
  free(r->path);
  free(r->doc_id);
  free(r);
}

static int kind_of(const char *s, cdx_unit_kind *k) {
  static const char *const names[] = {"preamble", "chapter", "clause", "closing"};
  for (int i = 0; i < 4; i++)
    if (strcmp(s, names[i]) == 0) {
      *k = (cdx_unit_kind)i;
      return 0;
    }
  return -1;
}

/* A chapter is a u16 in a segment (docs/FORMAT.md): only a plain integer
 * literal from 0 to 65535 is one; 1.5, -1 or 4294967297 would be truncated
 * or wrapped into another chapter. */
#define MAX_CHAPTER 65535

static bool chapter_value(const char *lit, int *out) {
  unsigned long v = 0;
  if (!*lit) return false;
  for (const char *c = lit; *c; c++) {
    if (*c < '0' || *c > '9') return false;
    v = v * 10 + (unsigned long)(*c - '0');
    if (v > MAX_CHAPTER) return false;
  }
  *out = (int)v;
  return true;
}

/* Reads the next non-blank line as a record. Returns CDX_OK with *got false
 * at the end of input. */
static int read_record(cdx_jsonl_reader *r, record *rec, bool *got, cdx_error *err) {
  *got = false;
  while (r->pos < r->len) {
    const char *s = r->data + r->pos;
    const char *e = memchr(s, '\n', r->len - r->pos);
    size_t n = e ? (size_t)(e - s) : r->len - r->pos;
    r->pos += n + (e ? 1 : 0);
    r->line++;
    parser p = {s, s + n, NULL};
    skip_ws(&p);
    if (p.s == p.end) continue;
    memset(rec, 0, sizeof *rec);
    rec->line = r->line;
    if (!parse_record(&p, rec)) {
      record_free(rec);
      return cdx_err_set(err, CDX_BADINPUT, (size_t)(p.s - r->data),
                         "%s:%zu: %s (byte %zu of the line)", r->path, r->line, p.err,
                         (size_t)(p.s - s) + 1);
    }
    if (rec->f[F_DOC].type != J_STR || rec->f[F_DOC].len == 0) {
      record_free(rec);
      return cdx_err_set(err, CDX_BADINPUT, CDX_NO_OFFSET,
                         "%s:%zu: \"doc\" must be a non-empty string", r->path, r->line);
    }
    if (rec->f[F_TEXT].type != J_STR) {
      record_free(rec);
      return cdx_err_set(err, CDX_BADINPUT, CDX_NO_OFFSET, "%s:%zu: \"text\" must be a string",
                         r->path, r->line);
    }
    static const int strings[] = {F_TITLE,  F_JUR,    F_STATUS, F_DATE,   F_DOCNO,
                                  F_ISSUER, F_FAMILY, F_KIND,   F_HEADING};
    for (size_t i = 0; i < sizeof strings / sizeof strings[0]; i++) {
      enum jtype t = rec->f[strings[i]].type;
      if (t != J_STR && t != J_NULL) {
        int f = strings[i];
        record_free(rec);
        return cdx_err_set(err, CDX_BADINPUT, CDX_NO_OFFSET, "%s:%zu: \"%s\" must be a string",
                           r->path, r->line, s_fields[f]);
      }
    }
    if ((rec->f[F_EDITION].type != J_NULL && rec->f[F_EDITION].type != J_STR &&
         rec->f[F_EDITION].type != J_NUM) ||
        (rec->f[F_NUMBER].type != J_NULL && rec->f[F_NUMBER].type != J_STR &&
         rec->f[F_NUMBER].type != J_NUM) ||
        (rec->f[F_CHAPTER].type != J_NULL && rec->f[F_CHAPTER].type != J_NUM) ||
        (rec->f[F_RESP].type != J_NULL && rec->f[F_RESP].type != J_ARR)) {
      record_free(rec);
      return cdx_err_set(err, CDX_BADINPUT, CDX_NO_OFFSET,
                         "%s:%zu: wrong type for edition, number, chapter or responsible", r->path,
                         r->line);
    }
    cdx_unit_kind kind;
    if (rec->f[F_KIND].type == J_STR && kind_of(rec->f[F_KIND].str, &kind) < 0) {
      int rc = cdx_err_set(err, CDX_BADINPUT, CDX_NO_OFFSET,
                           "%s:%zu: kind '%s' is not preamble, chapter, clause or closing", r->path,
                           r->line, rec->f[F_KIND].str);
      record_free(rec);
      return rc;
    }
    int chapter;
    if (rec->f[F_CHAPTER].type == J_NUM && !chapter_value(rec->f[F_CHAPTER].str, &chapter)) {
      int rc = cdx_err_set(err, CDX_BADINPUT, CDX_NO_OFFSET,
                           "%s:%zu: chapter %s is not an integer from 0 to %d", r->path, r->line,
                           rec->f[F_CHAPTER].str, MAX_CHAPTER);
      record_free(rec);
      return rc;
    }
    *got = true;
    return CDX_OK;
  }
  return CDX_OK;
}

/* Integer value of a clause number as written: （十二） -> 12, "3." -> 3. */
static int number_value(const char *s) {
  const char *b = s;
  size_t n = strlen(s);
  while (n && (cdx_starts_with(b, n, "（") || *b == '(')) {
    size_t k = *b == '(' ? 1 : 3;
    b += k;
    n -= k;
  }
  size_t m = 0;
  while (m < n && !(cdx_starts_with(b + m, n - m, "）") || b[m] == ')' || b[m] == '.' ||
                    cdx_starts_with(b + m, n - m, "、") || cdx_starts_with(b + m, n - m, "．") ||
                    cdx_starts_with(b + m, n - m, "是")))
    m++;
  int v = cdx_corpus_parse_number(b, m);
  return v > 0 ? v : 0;
}

static int build_document(cdx_jsonl_reader *r, record *recs, size_t n, cdx_document **out,
                          cdx_error *err) {
  cdx_pool pool = {0};
  cdx_meta_work w;
  memset(&w, 0, sizeof w);
  w.meta.parents = w.parents;
  w.meta.title = "";
  cdx_buf text;
  cdx_buf_init(&text);
  int rc = CDX_OK;
  char where[600];
  bool meta_set[F_COUNT] = {false};
  cdx_unit_view *units = calloc(n, sizeof *units);
  if (!units || !cdx_pool_keep(&pool, units)) {
    rc = CDX_NOMEM;
    goto fail;
  }
  for (size_t i = 0; i < n; i++) {
    record *rec = &recs[i];
    cdx_unit_view *u = &units[i];
    if (i) cdx_buf_putc(&rc, &text, '\n');
    u->start = text.len;
    cdx_buf_append(&rc, &text, rec->f[F_TEXT].str, rec->f[F_TEXT].len);
    u->end = text.len;
    u->ordinal = (int)i;
    u->kind = CDX_UNIT_CLAUSE;
    if (rc != CDX_OK) goto fail;
    /* both checked by read_record */
    if (rec->f[F_KIND].type == J_STR) (void)kind_of(rec->f[F_KIND].str, &u->kind);
    if (rec->f[F_CHAPTER].type == J_NUM) (void)chapter_value(rec->f[F_CHAPTER].str, &u->chapter);
    if (rec->f[F_NUMBER].type != J_NULL) {
      if (!(u->number = cdx_pool_strdup(&pool, rec->f[F_NUMBER].str))) {
        rc = CDX_NOMEM;
        goto fail;
      }
      u->number_value = number_value(u->number);
    }
    if (rec->f[F_HEADING].type == J_STR &&
        !(u->heading = cdx_pool_strdup(&pool, rec->f[F_HEADING].str))) {
      rc = CDX_NOMEM;
      goto fail;
    }
    if (rec->f[F_RESP].n_arr) {
      const char **arr = cdx_pool_calloc(&pool, rec->f[F_RESP].n_arr, sizeof *arr);
      if (!arr) {
        rc = CDX_NOMEM;
        goto fail;
      }
      for (size_t k = 0; k < rec->f[F_RESP].n_arr; k++)
        if (!(arr[k] = cdx_pool_strdup(&pool, rec->f[F_RESP].arr[k]))) {
          rc = CDX_NOMEM;
          goto fail;
        }
      u->responsible = arr;
      u->n_responsible = rec->f[F_RESP].n_arr;
    }
    /* document metadata: the first record that gives a field sets it */
    static const int meta_fields[] = {F_TITLE, F_JUR,   F_STATUS, F_EDITION,
                                      F_DATE,  F_DOCNO, F_ISSUER, F_FAMILY};
    for (size_t k = 0; k < sizeof meta_fields / sizeof meta_fields[0]; k++) {
      jval *v = &rec->f[meta_fields[k]];
      if (v->type == J_NULL || meta_set[meta_fields[k]]) continue;
      meta_set[meta_fields[k]] = true;
      snprintf(where, sizeof where, "%s:%zu", r->path, rec->line);
      rc = cdx_corpus_apply_override(&pool, &w, s_fields[meta_fields[k]], v->str, where, err);
      if (rc != CDX_OK) {
        if (err && rc == CDX_INVALID) err->code = CDX_BADINPUT;
        rc = rc == CDX_INVALID ? CDX_BADINPUT : rc;
        goto fail_set;
      }
    }
  }
  if (!w.meta.jurisdiction.code && w.meta.title[0]) {
    const cdx_gz_place *p = cdx_gz_find_in_text(w.meta.title, strlen(w.meta.title), NULL);
    if (p) cdx_corpus_set_place(&w, p->code);
  }
  cdx_buf_str(&rc, &text);
  if (rc != CDX_OK) goto fail;
  if (cdx_corpus_policy_key(&pool, &w) != CDX_OK) {
    rc = CDX_NOMEM;
    goto fail;
  }
  size_t tlen = 0;
  char *t = cdx_buf_detach(&text, &tlen);
  if (!t) {
    t = malloc(1);
    if (t) t[0] = '\0';
  }
  if (!t || !cdx_pool_keep(&pool, t)) {
    rc = CDX_NOMEM;
    goto fail;
  }
  return cdx_corpus_document_new(r->doc_id, &pool, t, tlen, &w, units, n, NULL, 0, out, err);
fail:
  rc = cdx_err_set(err, rc, CDX_NO_OFFSET, "%s: %s", r->path, cdx_strerror(rc));
fail_set:
  cdx_buf_free(&text);
  cdx_pool_free(&pool);
  return rc;
}

int cdx_jsonl_next(cdx_jsonl_reader *r, cdx_document **doc, const char **doc_id, cdx_error *err) {
  *doc = NULL;
  if (doc_id) *doc_id = NULL;
  int rc = CDX_OK;
  for (;;) {
    record rec;
    bool got;
    if (r->has_pending) {
      rec = r->pending;
      r->has_pending = false;
      got = true;
    } else {
      /* a bad record is reported now and skipped; the records read so far
       * stay in r->acc and the next call goes on after it */
      rc = read_record(r, &rec, &got, err);
      if (rc != CDX_OK) return rc;
    }
    if (!got) break;
    if (r->n_acc && strcmp(rec.f[F_DOC].str, r->acc[0].f[F_DOC].str) != 0) {
      r->pending = rec;
      r->has_pending = true;
      break;
    }
    if (CDX_GROW(r->acc, r->cap_acc, r->n_acc + 1, 16) != CDX_OK) {
      record_free(&rec);
      return cdx_err_set(err, CDX_NOMEM, CDX_NO_OFFSET, "%s: out of memory", r->path);
    }
    r->acc[r->n_acc++] = rec;
  }
  if (r->n_acc) {
    free(r->doc_id);
    r->doc_id = strdup(r->acc[0].f[F_DOC].str);
    if (!r->doc_id) rc = cdx_err_set(err, CDX_NOMEM, CDX_NO_OFFSET, "out of memory");
    else rc = build_document(r, r->acc, r->n_acc, doc, err);
    if (rc == CDX_OK && doc_id) *doc_id = r->doc_id;
  }
  for (size_t i = 0; i < r->n_acc; i++) record_free(&r->acc[i]);
  r->n_acc = 0;
  return rc;
}
