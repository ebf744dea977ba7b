/*
 * The query language (docs/QUERY.md) -> a cdx_q_node tree.
 *
 * Grammar, recursive descent:
 *   query   := or END
 *   or      := and { "OR" and }
 *   and     := unary { ["AND"] unary }        juxtaposition means AND
 *   unary   := ("NOT" | "-") unary | primary
 *   primary := "(" or ")" | '"' text '"' | field ":" value | word
 * A word runs to white space (ASCII or U+3000), a parenthesis or a quote,
 * so Chinese full-width （） and ：are ordinary word characters. A word
 * "name:value" is a filter only when name is ASCII letters; an unknown
 * ASCII name is an error rather than a silent word search.
 *
 * Every error carries the byte offset of the offending token so the CLI can
 * put a caret under it. Nesting is capped (CDX_QUERY_MAX_DEPTH) because the
 * parser and the iterator tree recurse.
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "lexicon/gazetteer.h"
#include "query/query.h"

typedef enum { T_END, T_LPAREN, T_RPAREN, T_QUOTE, T_WORD, T_OR, T_AND, T_NOT } tok_type;

typedef struct parser {
  const char *q;
  size_t len;
  size_t pos;
  int depth;
  cdx_error *err;
} parser;

static size_t ws_len(const char *q, size_t len, size_t i) {
  unsigned char c = (unsigned char)q[i];
  if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v') return 1;
  if (c == 0xE3 && i + 2 < len + 0 && (unsigned char)q[i + 1] == 0x80 &&
      (unsigned char)q[i + 2] == 0x80)
    return 3; /* U+3000 IDEOGRAPHIC SPACE, typed by Chinese input methods */
  return 0;
}

static bool is_word_end(const char *q, size_t len, size_t i) {
  return i >= len || ws_len(q, len, i) || q[i] == '(' || q[i] == ')' || q[i] == '"';
}

static void skip_ws(parser *p) {
  size_t n;
  while (p->pos < p->len && (n = ws_len(p->q, p->len, p->pos))) p->pos += n;
}

/* Looks at the next token without consuming it; start and end bound it. */
static tok_type peek(parser *p, size_t *start, size_t *end) {
  skip_ws(p);
  size_t i = p->pos;
  *start = i;
  if (i >= p->len) {
    *end = i;
    return T_END;
  }
  char c = p->q[i];
  if (c == '(') {
    *end = i + 1;
    return T_LPAREN;
  }
  if (c == ')') {
    *end = i + 1;
    return T_RPAREN;
  }
  if (c == '"') {
    *end = i + 1;
    return T_QUOTE;
  }
  size_t j = i;
  while (!is_word_end(p->q, p->len, j)) j++;
  *end = j;
  size_t n = j - i;
  if (n == 2 && memcmp(p->q + i, "OR", 2) == 0) return T_OR;
  if (n == 3 && memcmp(p->q + i, "AND", 3) == 0) return T_AND;
  if (n == 3 && memcmp(p->q + i, "NOT", 3) == 0) return T_NOT;
  return T_WORD;
}

static int syntax(parser *p, size_t at, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int syntax(parser *p, size_t at, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  char msg[400];
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  return cdx_err_set(p->err, CDX_SYNTAX, at, "query syntax error at byte %zu: %s", at, msg);
}

static cdx_q_node *node_new(cdx_q_kind kind, size_t offset) {
  cdx_q_node *n = calloc(1, sizeof *n);
  if (n) {
    n->kind = kind;
    n->offset = offset;
  }
  return n;
}

static int add_kid(cdx_q_node *n, cdx_q_node *kid) {
  cdx_q_node **k = realloc(n->kids, (n->n_kids + 1) * sizeof *k);
  if (!k) return CDX_NOMEM;
  n->kids = k;
  n->kids[n->n_kids++] = kid;
  return CDX_OK;
}

static int set_text(cdx_q_node *n, const char *s, size_t len) {
  n->text = malloc(len + 1);
  if (!n->text) return CDX_NOMEM;
  memcpy(n->text, s, len);
  n->text[len] = '\0';
  n->text_len = len;
  return CDX_OK;
}

static int nomem(parser *p) {
  return cdx_err_set(p->err, CDX_NOMEM, CDX_NO_OFFSET, "out of memory parsing the query");
}

/* ---- Filter values ---- */

static const char *const field_names[] = {"jurisdiction", "status",       "edition",   "date",
                                          "doc",          "dept",         "kind",      "lead",
                                          "chapter_lead", "amount",       "percent",   "count",
                                          "amount.kind",  "percent.kind", "count.kind"};

const char *cdx_q_field_name(cdx_q_field f) { return field_names[f]; }

static bool eq_ci(const char *s, size_t n, const char *lit) {
  size_t m = strlen(lit);
  if (n != m) return false;
  for (size_t i = 0; i < n; i++)
    if (tolower((unsigned char)s[i]) != lit[i]) return false;
  return true;
}

static bool eq(const char *s, size_t n, const char *lit) {
  return strlen(lit) == n && memcmp(s, lit, n) == 0;
}

/* Calls fn on each '|'- or ','-separated piece of v[0..n). */
typedef int (*piece_fn)(parser *p, cdx_q_node *node, const char *s, size_t n, size_t at);
static int each_piece(parser *p, cdx_q_node *node, const char *v, size_t n, size_t at,
                      piece_fn fn) {
  size_t i = 0;
  while (i <= n) {
    size_t j = i;
    while (j < n && v[j] != '|' && v[j] != ',') j++;
    if (j == i) return syntax(p, at + i, "empty value in the list");
    int rc = fn(p, node, v + i, j - i, at + i);
    if (rc) return rc;
    i = j + 1;
  }
  return CDX_OK;
}

static int status_piece(parser *p, cdx_q_node *node, const char *s, size_t n, size_t at) {
  if (eq_ci(s, n, "final") || eq(s, n, "定稿") || eq(s, n, "正式"))
    node->mask |= 1u << CDX_STATUS_FINAL;
  else if (eq_ci(s, n, "draft") || eq(s, n, "草案") || eq(s, n, "草稿"))
    node->mask |= (1u << CDX_STATUS_DRAFT_FOR_APPROVAL) | (1u << CDX_STATUS_DRAFT_FOR_COMMENT);
  else if (eq(s, n, "送审稿") || eq(s, n, "送審稿") || eq_ci(s, n, "approval"))
    node->mask |= 1u << CDX_STATUS_DRAFT_FOR_APPROVAL;
  else if (eq(s, n, "征求意见稿") || eq(s, n, "徵求意見稿") || eq_ci(s, n, "comment"))
    node->mask |= 1u << CDX_STATUS_DRAFT_FOR_COMMENT;
  else
    return syntax(p, at, "unknown status '%.*s' (use final, draft, 送审稿 or 征求意见稿)", (int)n,
                  s);
  return CDX_OK;
}

static int kind_piece(parser *p, cdx_q_node *node, const char *s, size_t n, size_t at) {
  static const char *const names[] = {"preamble", "chapter", "clause", "closing"};
  for (unsigned k = 0; k < 4; k++)
    if (eq_ci(s, n, names[k])) {
      node->mask |= 1u << k;
      return CDX_OK;
    }
  return syntax(p, at, "unknown unit kind '%.*s' (use clause, preamble, chapter or closing)",
                (int)n, s);
}

static bool valid_year(int64_t y) { return y >= 1900 && y <= 2999; }

/* A date as YYYY, YYYY-MM, YYYY-MM-DD or YYYYMMDD; `upper` widens a partial
 * date to its last day, otherwise to its first. A day the month does not
 * have (2025-02-30) is no date. */
static bool parse_date(const char *s, size_t n, bool upper, int64_t *out) {
  int64_t y, m = upper ? 12 : 1, d = upper ? -1 : 1; /* -1: the month's last */
  if (n == 8 && cdx_parse_digits(s, 8, &y)) {
    d = y % 100;
    m = y / 100 % 100;
    y /= 10000;
  } else if (n == 4) {
    if (!cdx_parse_digits(s, 4, &y)) return false;
  } else if (n == 7 && s[4] == '-') {
    if (!cdx_parse_digits(s, 4, &y) || !cdx_parse_digits(s + 5, 2, &m)) return false;
  } else if (n == 10 && s[4] == '-' && s[7] == '-') {
    if (!cdx_parse_digits(s, 4, &y) || !cdx_parse_digits(s + 5, 2, &m) ||
        !cdx_parse_digits(s + 8, 2, &d))
      return false;
  } else {
    return false;
  }
  if (!valid_year(y) || m < 1 || m > 12) return false;
  int last = cdx_days_in_month((long)y, (long)m);
  if (d == -1) d = last;
  if (d < 1 || d > last) return false;
  *out = y * 10000 + m * 100 + d;
  return true;
}

/* "A", "A..B", "A..", "..B" for years (is_date false) or dates. */
static int parse_range(parser *p, cdx_q_node *node, const char *v, size_t n, size_t at,
                       bool is_date) {
  const char *dots = NULL;
  for (size_t i = 0; i + 1 < n; i++)
    if (v[i] == '.' && v[i + 1] == '.') {
      dots = v + i;
      break;
    }
  const char *what = is_date ? "date (YYYY-MM-DD, YYYY-MM or YYYY)" : "year (YYYY)";
  size_t na = dots ? (size_t)(dots - v) : n;
  const char *b = dots ? dots + 2 : NULL;
  size_t nb = dots ? n - na - 2 : 0;
  if (dots && na == 0 && nb == 0) return syntax(p, at, "empty range");
  int64_t lo = 0, hi = INT64_MAX;
  if (na > 0) {
    bool ok = is_date ? parse_date(v, na, false, &lo)
                      : (cdx_parse_digits(v, na, &lo) && na == 4 && valid_year(lo));
    if (!ok) return syntax(p, at, "'%.*s' is not a %s", (int)na, v, what);
  }
  if (!dots) {
    if (is_date) {
      if (!parse_date(v, na, true, &hi))
        return syntax(p, at, "'%.*s' is not a %s", (int)na, v, what);
    } else {
      hi = lo;
    }
  } else if (nb > 0) {
    size_t bat = at + na + 2;
    bool ok = is_date ? parse_date(b, nb, true, &hi)
                      : (cdx_parse_digits(b, nb, &hi) && nb == 4 && valid_year(hi));
    if (!ok) return syntax(p, bat, "'%.*s' is not a %s", (int)nb, b, what);
  }
  if (lo > hi) return syntax(p, at, "empty range: '%.*s' ends before it starts", (int)n, v);
  node->lo = lo;
  node->hi = hi;
  return CDX_OK;
}

static int parse_jurisdiction(parser *p, cdx_q_node *node, const char *v, size_t n, size_t at) {
  int64_t code;
  if (cdx_parse_digits(v, n, &code)) {
    const cdx_gz_place *pl = (n == 2 || n == 4 || n == 6) ? cdx_gz_by_code((uint32_t)code) : NULL;
    if (!pl) return syntax(p, at, "'%.*s' is not a known GB/T 2260 place code", (int)n, v);
    node->codes = malloc(sizeof *node->codes);
    if (!node->codes) return nomem(p);
    node->codes[0] = pl->code;
    node->n_codes = 1;
    return CDX_OK;
  }
  /* Fold so 溫州市 and full-width input find 温州市 in the gazetteer. */
  char *folded = NULL;
  size_t flen = 0;
  cdx_error ferr;
  if (cdx_fold_text(v, n, &folded, &flen, &ferr) != CDX_OK) {
    if (ferr.code == CDX_NOMEM) return nomem(p);
    return syntax(p, at, "cannot read place name '%.*s'", (int)n, v);
  }
  const cdx_gz_place *found[16];
  size_t total = cdx_gz_lookup(folded, flen, found, 16);
  if (total == 0) total = cdx_gz_lookup(v, n, found, 16);
  cdx_free(folded);
  if (total == 0) return syntax(p, at, "'%.*s' names no known place", (int)n, v);
  size_t k = total < 16 ? total : 16;
  node->codes = malloc(k * sizeof *node->codes);
  if (!node->codes) return nomem(p);
  /* An ambiguous short name (朝阳区) means all places of that name. */
  for (size_t i = 0; i < k; i++) node->codes[i] = found[i]->code;
  node->n_codes = k;
  return CDX_OK;
}

static int parse_filter(parser *p, cdx_q_field f, size_t start, const char *v, size_t n, size_t at,
                        cdx_q_node **out) {
  if (n == 0) return syntax(p, at, "missing value after '%s:'", field_names[f]);
  cdx_q_node *node = node_new(CDX_Q_FILTER, start);
  if (!node) return nomem(p);
  node->field = f;
  int rc = CDX_OK;
  switch (f) {
    case CDX_F_JURISDICTION: rc = parse_jurisdiction(p, node, v, n, at); break;
    case CDX_F_STATUS: rc = each_piece(p, node, v, n, at, status_piece); break;
    case CDX_F_KIND: rc = each_piece(p, node, v, n, at, kind_piece); break;
    case CDX_F_EDITION: rc = parse_range(p, node, v, n, at, false); break;
    case CDX_F_DATE: rc = parse_range(p, node, v, n, at, true); break;
    case CDX_F_DOC:
      if (set_text(node, v, n)) rc = nomem(p);
      break;
    default: /* dept:, lead:, amount: ... */
      rc = set_text(node, v, n) ? nomem(p) : cdx_q_fact_parse(node, v, n, at, p->err);
      break;
  }
  if (rc) {
    cdx_q_node_free(node);
    return rc;
  }
  *out = node;
  return CDX_OK;
}

/* ---- Recursive descent ---- */

static int parse_or(parser *p, cdx_q_node **out);

static int parse_word(parser *p, size_t s, size_t e, cdx_q_node **out) {
  const char *w = p->q + s;
  size_t n = e - s;
  size_t colon = 0;
  while (colon < n &&
         (isalpha((unsigned char)w[colon]) || (colon > 0 && (w[colon] == '.' || w[colon] == '_'))))
    colon++;
  if (colon > 0 && colon < n && w[colon] == ':') {
    for (int f = 0; f < (int)(sizeof field_names / sizeof field_names[0]); f++)
      if (eq_ci(w, colon, field_names[f]))
        return parse_filter(p, (cdx_q_field)f, s, w + colon + 1, n - colon - 1, s + colon + 1, out);
    return syntax(
        p, s,
        "unknown field '%.*s' (fields: jurisdiction, status, edition, date, doc, "
        "dept, lead, chapter_lead, kind, amount, percent, count, amount.kind, percent.kind, "
        "count.kind; quote the word to search for it)",
        (int)colon, w);
  }
  cdx_q_node *node = node_new(CDX_Q_WORD, s);
  if (!node || set_text(node, w, n)) {
    cdx_q_node_free(node);
    return nomem(p);
  }
  *out = node;
  return CDX_OK;
}

static int parse_unary(parser *p, cdx_q_node **out) {
  size_t s, e;
  tok_type t = peek(p, &s, &e);
  bool neg = t == T_NOT || (t == T_WORD && p->q[s] == '-');
  if (neg) {
    if (++p->depth > CDX_QUERY_MAX_DEPTH)
      return cdx_err_set(p->err, CDX_LIMIT, s, "query nested deeper than %d at byte %zu",
                         CDX_QUERY_MAX_DEPTH, s);
    p->pos = t == T_NOT ? e : s + 1;
    const char *op = t == T_NOT ? "NOT" : "'-'";
    if (t != T_NOT && p->pos < p->len && ws_len(p->q, p->len, p->pos))
      return syntax(p, s, "'-' must be directly followed by the word to exclude");
    size_t ks, ke;
    tok_type kt = peek(p, &ks, &ke);
    if (kt == T_END || kt == T_RPAREN || kt == T_OR || kt == T_AND)
      return syntax(p, s, "%s must be followed by the word to exclude", op);
    cdx_q_node *kid = NULL;
    int rc = parse_unary(p, &kid);
    if (rc) return rc;
    p->depth--;
    cdx_q_node *n = node_new(CDX_Q_NOT, s);
    if (!n || add_kid(n, kid)) {
      cdx_q_node_free(n);
      cdx_q_node_free(kid);
      return nomem(p);
    }
    *out = n;
    return CDX_OK;
  }
  switch (t) {
    case T_LPAREN: {
      if (++p->depth > CDX_QUERY_MAX_DEPTH)
        return cdx_err_set(p->err, CDX_LIMIT, s, "query nested deeper than %d at byte %zu",
                           CDX_QUERY_MAX_DEPTH, s);
      p->pos = e;
      cdx_q_node *inner = NULL;
      int rc = parse_or(p, &inner);
      if (rc) return rc;
      size_t cs, ce;
      if (peek(p, &cs, &ce) != T_RPAREN) {
        cdx_q_node_free(inner);
        return syntax(p, s, "unbalanced parenthesis: '(' is never closed");
      }
      p->pos = ce;
      p->depth--;
      *out = inner;
      return CDX_OK;
    }
    case T_QUOTE: {
      const char *close = memchr(p->q + e, '"', p->len - e);
      if (!close) return syntax(p, s, "unbalanced quote: '\"' is never closed");
      size_t ce = (size_t)(close - p->q);
      size_t a = e, b = ce;
      while (a < b && ws_len(p->q, b, a)) a += ws_len(p->q, b, a);
      if (a == b) return syntax(p, s, "empty phrase \"\"");
      cdx_q_node *n = node_new(CDX_Q_PHRASE, s);
      if (!n || set_text(n, p->q + e, ce - e)) {
        cdx_q_node_free(n);
        return nomem(p);
      }
      p->pos = ce + 1;
      *out = n;
      return CDX_OK;
    }
    case T_WORD: p->pos = e; return parse_word(p, s, e, out);
    case T_RPAREN: return syntax(p, s, "unbalanced parenthesis: ')' without '('");
    case T_END: return syntax(p, s, "expected a word at the end of the query");
    default: return syntax(p, s, "expected a word before '%.*s'", (int)(e - s), p->q + s);
  }
}

static int parse_and(parser *p, cdx_q_node **out) {
  cdx_q_node *and = node_new(CDX_Q_AND, p->pos);
  if (!and) return nomem(p);
  size_t s, e;
  for (;;) {
    tok_type t = peek(p, &s, &e);
    if (t == T_END || t == T_RPAREN || t == T_OR) break;
    if (t == T_AND) {
      if (and->n_kids == 0) {
        cdx_q_node_free(and);
        return syntax(p, s, "AND needs a word before it");
      }
      p->pos = e;
      tok_type n = peek(p, &s, &e);
      if (n == T_END || n == T_RPAREN || n == T_OR || n == T_AND) {
        cdx_q_node_free(and);
        return syntax(p, s, "AND needs a word after it");
      }
      continue;
    }
    cdx_q_node *kid = NULL;
    int rc = parse_unary(p, &kid);
    if (rc) {
      cdx_q_node_free(and);
      return rc;
    }
    if (and->n_kids == 0) and->offset = kid->offset;
    if (add_kid(and, kid)) {
      cdx_q_node_free(and);
      cdx_q_node_free(kid);
      return nomem(p);
    }
  }
  if (and->n_kids == 0) {
    cdx_q_node_free(and);
    tok_type t = peek(p, &s, &e);
    if (t == T_RPAREN) return syntax(p, s, "expected a word before ')'");
    if (t == T_OR) return syntax(p, s, "OR needs a word on each side");
    return syntax(p, s, "expected a word at the end of the query");
  }
  if (and->n_kids == 1) {
    *out = and->kids[0];
    and->n_kids = 0;
    cdx_q_node_free(and);
    return CDX_OK;
  }
  int rc = cdx_q_fact_kind_words(and, p->err);
  if (rc) {
    cdx_q_node_free(and);
    return rc;
  }
  *out = and;
  return CDX_OK;
}

static int parse_or(parser *p, cdx_q_node **out) {
  cdx_q_node *left = NULL;
  int rc = parse_and(p, &left);
  if (rc) return rc;
  cdx_q_node * or = NULL;
  size_t s, e;
  while (peek(p, &s, &e) == T_OR) {
    p->pos = e;
    size_t ns, ne;
    tok_type nt = peek(p, &ns, &ne);
    if (nt == T_END || nt == T_RPAREN || nt == T_OR) {
      cdx_q_node_free(or ? or : left);
      return syntax(p, s, "OR needs a word on each side");
    }
    cdx_q_node *right = NULL;
    rc = parse_and(p, &right);
    if (rc) {
      cdx_q_node_free(or ? or : left);
      return rc;
    }
    if (! or) {
      or = node_new(CDX_Q_OR, left->offset);
      if (! or || add_kid(or, left)) {
        cdx_q_node_free(or);
        cdx_q_node_free(left);
        cdx_q_node_free(right);
        return nomem(p);
      }
    }
    if (add_kid(or, right)) {
      cdx_q_node_free(or);
      cdx_q_node_free(right);
      return nomem(p);
    }
  }
  *out = or ? or : left;
  return CDX_OK;
}

/* A node "selects" units on its own unless it is a NOT or made only of
 * NOTs; NOT may only narrow an AND that has something to narrow. */
static int check_positive(parser *p, const cdx_q_node *n, bool in_and) {
  switch (n->kind) {
    case CDX_Q_NOT:
      if (!in_and)
        return syntax(p, n->offset,
                      "NOT can only exclude from other words (a query or OR branch "
                      "made only of NOT terms matches nearly everything)");
      if (n->kids[0]->kind == CDX_Q_NOT) return syntax(p, n->offset, "double negation");
      return check_positive(p, n->kids[0], false);
    case CDX_Q_AND: {
      bool any = false;
      for (size_t i = 0; i < n->n_kids; i++) {
        int rc = check_positive(p, n->kids[i], true);
        if (rc) return rc;
        if (n->kids[i]->kind != CDX_Q_NOT) any = true;
      }
      if (!any) return syntax(p, n->offset, "query has only NOT terms: add a word to search for");
      return CDX_OK;
    }
    case CDX_Q_OR:
      for (size_t i = 0; i < n->n_kids; i++) {
        int rc = check_positive(p, n->kids[i], false);
        if (rc) return rc;
      }
      return CDX_OK;
    default: return CDX_OK;
  }
}

int cdx_q_parse(const char *query, size_t len, cdx_q_node **out, cdx_error *err) {
  *out = NULL;
  if (len > CDX_QUERY_MAX_BYTES)
    return cdx_err_set(err, CDX_LIMIT, CDX_QUERY_MAX_BYTES,
                       "query is %zu bytes, longer than the "
                       "limit of %d",
                       len, CDX_QUERY_MAX_BYTES);
  size_t bad = cdx_utf8_find_invalid(query, len);
  if (bad != CDX_NO_OFFSET)
    return cdx_err_set(err, CDX_ENCODING, bad, "query is not valid UTF-8 at byte %zu", bad);
  parser p = {query, len, 0, 0, err};
  size_t s, e;
  if (peek(&p, &s, &e) == T_END) return syntax(&p, s, "empty query");
  cdx_q_node *root = NULL;
  int rc = parse_or(&p, &root);
  if (rc) return rc;
  tok_type t = peek(&p, &s, &e);
  if (t != T_END) {
    cdx_q_node_free(root);
    return t == T_RPAREN ? syntax(&p, s, "unbalanced parenthesis: ')' without '('")
                         : syntax(&p, s, "unexpected '%.*s'", (int)(e - s), query + s);
  }
  rc = check_positive(&p, root, false);
  if (rc) {
    cdx_q_node_free(root);
    return rc;
  }
  *out = root;
  return CDX_OK;
}
