/*
 * Filters on the facts of a unit (docs/QUERY.md, "Departments and figures"):
 *
 *   dept:NAME  lead:NAME  chapter_lead:NAME   (NAME* : a prefix)
 *   amount:>=100万  amount:1亿..5亿  percent:>=50  count:>=10家  count:3..5
 *   amount.kind:奖励  percent.kind:补贴  count.kind:目标
 *
 * Values are parsed here, when the query is parsed, so an empty index
 * refuses exactly what a populated one does. A department name is
 * canonicalised as the indexer canonicalises responsible units
 * (facts/depts.h, without places: the user types 市财政局 or 财政局) and
 * found as one whole field term, never as a coincidence of bigrams. A
 * number is read by the figure extractor itself (facts/figures.h), so
 * 100万, 1.5亿元, 三千万 and 50% mean in a query what they mean in a text.
 */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "facts/depts.h"
#include "facts/figures.h"
#include "indexer/index_reader.h"
#include "lexicon/gazetteer.h"
#include "query/query.h"

bool cdx_q_fact_field(cdx_q_field f) { return f == CDX_F_DEPT || f >= CDX_F_LEAD; }

static int syntax(cdx_error *err, size_t at, const char *what, const char *v, size_t n,
                  const char *hint) {
  return cdx_err_set(err, CDX_SYNTAX, at, "query syntax error at byte %zu: %s '%.*s'%s", at, what,
                     (int)n, v, hint);
}

/* ---- departments ---- */

static int parse_dept(cdx_q_node *node, const char *v, size_t n, size_t at, cdx_error *err) {
  if (n > 0 && v[n - 1] == '*') {
    node->prefix = true;
    n--;
  }
  if (n == 0) return syntax(err, at, "a department name is missing in", v, n + node->prefix, "");
  char out[2 * CDX_DEPT_NAME_MAX + 2];
  size_t len;
  cdx_error e;
  /* a place written in the name (人行乐清营管部, 温州市财政局) is the
   * document's place would be: it and its parents are taken off as the
   * indexer takes off a document's */
  const char *places[CDX_DEPT_PLACES_MAX];
  size_t np = 0;
  for (const cdx_gz_place *pl = cdx_gz_find_in_text(v, n, NULL); pl && np < CDX_DEPT_PLACES_MAX;
       pl = cdx_gz_parent(pl))
    places[np++] = pl->name;
  int rc =
      cdx_dept_canonical(cdx_dept_table_builtin(), places, np, v, n, out, sizeof out, &len, &e);
  if (rc == CDX_NOMEM) return cdx_err_set(err, rc, CDX_NO_OFFSET, "out of memory");
  /* a prefix is folded but not resolved: 财政* is every name starting so */
  if (rc == CDX_OK && node->prefix) rc = cdx_dept_fold(v, n, out, sizeof out, &len, &e);
  if (rc != CDX_OK || len == 0)
    return syntax(err, at, "not a department name:", v, n, rc == CDX_LIMIT ? " (too long)" : "");
  node->canon = malloc(len + 1);
  if (!node->canon) return cdx_err_set(err, CDX_NOMEM, CDX_NO_OFFSET, "out of memory");
  memcpy(node->canon, out, len + 1);
  return CDX_OK;
}

/* ---- figures ---- */

static cdx_figure_type type_of(cdx_q_field f) {
  switch (f) {
    case CDX_F_AMOUNT:
    case CDX_F_AMOUNT_KIND: return CDX_FIG_MONEY;
    case CDX_F_PERCENT:
    case CDX_F_PERCENT_KIND: return CDX_FIG_PERCENT;
    default: return CDX_FIG_COUNT;
  }
}

static const char *const type_hints[] = {
    " (an amount in 元: 500, 100万, 1.5亿元, 三千万)", " (a percentage: 50, 3.5%)",
    " (a count with or without its measure word: 10, 10家, 3000亩)", ""};

/* The one figure of t..t+n when it is exactly that: a figure of type want,
 * spanning all of it, without a qualifier. */
static bool exact_figure(const char *t, size_t n, cdx_figure_type want, cdx_figure *out) {
  cdx_figure *f = NULL;
  size_t k = 0;
  cdx_error e;
  bool ok = cdx_figures_extract(t, n, &f, &k, &e) == CDX_OK && k == 1 && f[0].type == want &&
            f[0].qual == CDX_FIGQ_EQ && f[0].start == 0 && f[0].end == n;
  if (ok) *out = f[0];
  free(f);
  return ok;
}

/* A digit (ASCII or full-width) or a Chinese numeral digit first. */
static bool starts_numeric(const char *v, size_t n) {
  if (v[0] >= '0' && v[0] <= '9') return true;
  if (n >= 3 && (unsigned char)v[0] == 0xEF && (unsigned char)v[1] == 0xBC &&
      (unsigned char)v[2] >= 0x90 && (unsigned char)v[2] <= 0x99)
    return true;
  static const char *const digits[] = {"一", "二", "两", "三", "四", "五",
                                       "六", "七", "八", "九", "十"};
  for (size_t i = 0; i < sizeof digits / sizeof digits[0]; i++)
    if (n >= 3 && memcmp(v, digits[i], 3) == 0) return true;
  return false;
}

/* One number of a figure filter: v[0..n) as the texts write it, with the
 * unit the field implies added when it is missing (100万 -> 100万元). */
static int parse_value(cdx_q_node *node, const char *v, size_t n, size_t at, double *value,
                       cdx_error *err) {
  cdx_figure_type t = type_of(node->field);
  if (n == 0)
    return syntax(err, at, "a number is missing in", node->text, node->text_len, type_hints[t]);
  if (n > 200) return syntax(err, at, "too long a number:", v, 20, "...");
  static const char *const implied[] = {"元", "%", "个"};
  char buf[256];
  cdx_figure f;
  bool ok = exact_figure(v, n, t, &f);
  bool any_unit = false;
  if (!ok) {
    memcpy(buf, v, n);
    strcpy(buf + n, implied[t]);
    ok = exact_figure(buf, n + strlen(implied[t]), t, &f);
    any_unit = ok && t == CDX_FIG_COUNT;
  }
  if (ok && t == CDX_FIG_MONEY && strcmp(f.unit, "元") != 0) ok = false; /* 美元: not 元 */
  if (ok && t == CDX_FIG_PERCENT && strcmp(f.unit, "%") != 0) ok = false;
  if (!ok) {
    const char *what = starts_numeric(v, n) ? "unknown unit in" : "not a number:";
    return syntax(err, at, what, v, n, type_hints[t]);
  }
  if (t == CDX_FIG_COUNT && !any_unit) {
    /* the measure word names what is counted: count:>=10家 is firms */
    if (node->canon && strcmp(node->canon, f.unit) != 0)
      return syntax(err, at, "two measure words in", node->text, node->text_len, "");
    if (!node->canon && !(node->canon = strdup(f.unit)))
      return cdx_err_set(err, CDX_NOMEM, CDX_NO_OFFSET, "out of memory");
  }
  *value = f.lo;
  return CDX_OK;
}

/* >=X >X <=X <X =X X ≥X ≤X, or a range X..Y (either end may be left open). */
static int parse_figure(cdx_q_node *node, const char *v, size_t n, size_t at, cdx_error *err) {
  node->vlo = -INFINITY;
  node->vhi = INFINITY;
  static const struct {
    const char *op;
    int side;
    bool strict;
  } ops[] = {{">=", 1, false}, {"<=", -1, false}, {"≥", 1, false}, {"≤", -1, false},
             {">", 1, true},   {"<", -1, true},   {"=", 0, false}};
  for (size_t i = 0; i < sizeof ops / sizeof ops[0]; i++) {
    size_t ol = strlen(ops[i].op);
    if (n < ol || memcmp(v, ops[i].op, ol) != 0) continue;
    double x;
    int rc = parse_value(node, v + ol, n - ol, at + ol, &x, err);
    if (rc) return rc;
    if (ops[i].side >= 0) node->vlo = x, node->lo_strict = ops[i].strict;
    if (ops[i].side <= 0) node->vhi = x, node->hi_strict = ops[i].strict;
    return CDX_OK;
  }
  const char *dots = NULL;
  for (size_t i = 0; i + 1 < n; i++)
    if (v[i] == '.' && v[i + 1] == '.') {
      dots = v + i;
      break;
    }
  if (!dots) {
    double x;
    int rc = parse_value(node, v, n, at, &x, err);
    if (rc == CDX_OK) node->vlo = node->vhi = x;
    return rc;
  }
  size_t na = (size_t)(dots - v), nb = n - na - 2;
  if (na == 0 && nb == 0) return syntax(err, at, "an empty range:", v, n, "");
  int rc = CDX_OK;
  if (na) rc = parse_value(node, v, na, at, &node->vlo, err);
  if (rc == CDX_OK && nb) rc = parse_value(node, dots + 2, nb, at + na + 2, &node->vhi, err);
  if (rc == CDX_OK && node->vlo > node->vhi)
    return syntax(err, at, "an empty range (it ends before it starts):", v, n, "");
  return rc;
}

static int parse_kind(cdx_q_node *node, const char *v, size_t n, size_t at, cdx_error *err) {
  for (const char *const *k = cdx_figure_kinds(); *k; k++)
    if (strlen(*k) == n && memcmp(*k, v, n) == 0) {
      node->canon = strdup(*k);
      return node->canon ? CDX_OK : cdx_err_set(err, CDX_NOMEM, CDX_NO_OFFSET, "out of memory");
    }
  char hint[400] = " (kinds:";
  for (const char *const *k = cdx_figure_kinds(); *k; k++) {
    strncat(hint, " ", sizeof hint - strlen(hint) - 1);
    strncat(hint, *k, sizeof hint - strlen(hint) - 1);
  }
  strncat(hint, ")", sizeof hint - strlen(hint) - 1);
  return syntax(err, at, "unknown kind", v, n, hint);
}

int cdx_q_fact_parse(cdx_q_node *node, const char *v, size_t n, size_t at, cdx_error *err) {
  switch (node->field) {
    case CDX_F_DEPT:
    case CDX_F_LEAD:
    case CDX_F_CHAPTER_LEAD: return parse_dept(node, v, n, at, err);
    case CDX_F_AMOUNT:
    case CDX_F_PERCENT:
    case CDX_F_COUNT: return parse_figure(node, v, n, at, err);
    default: return parse_kind(node, v, n, at, err);
  }
}

void cdx_q_fact_describe(const cdx_q_node *n, int *rc, cdx_buf *b) {
  switch (n->field) {
    case CDX_F_DEPT:
    case CDX_F_LEAD:
    case CDX_F_CHAPTER_LEAD:
      cdx_buf_puts(rc, b, n->canon);
      if (n->prefix) cdx_buf_putc(rc, b, '*');
      return;
    case CDX_F_AMOUNT:
    case CDX_F_PERCENT:
    case CDX_F_COUNT:
      cdx_buf_putc(rc, b, n->lo_strict ? '(' : '[');
      if (isinf(n->vlo)) cdx_buf_puts(rc, b, "-inf");
      else cdx_buf_printf(rc, b, "%.15g", n->vlo);
      cdx_buf_putc(rc, b, ',');
      if (isinf(n->vhi)) cdx_buf_puts(rc, b, "inf");
      else cdx_buf_printf(rc, b, "%.15g", n->vhi);
      cdx_buf_putc(rc, b, n->hi_strict ? ')' : ']');
      if (n->field == CDX_F_COUNT && n->canon) cdx_buf_puts(rc, b, n->canon);
      if (n->fkind) cdx_buf_printf(rc, b, "/%s", n->fkind);
      return;
    default: cdx_buf_puts(rc, b, n->canon); return;
  }
}

static bool is_kind(const char *s, size_t n) {
  for (const char *const *k = cdx_figure_kinds(); *k; k++)
    if (strlen(*k) == n && memcmp(*k, s, n) == 0) return true;
  return false;
}

int cdx_q_fact_kind_words(cdx_q_node *and, cdx_error *err) {
  const cdx_q_node *fig = NULL;
  for (size_t i = 0; i < and->n_kids && !fig; i++) {
    const cdx_q_node *k = and->kids[i];
    if (k->kind == CDX_Q_FILTER && k->field >= CDX_F_AMOUNT && k->field <= CDX_F_COUNT) fig = k;
  }
  if (!fig) return CDX_OK;
  for (size_t i = 0; i < and->n_kids; i++) {
    cdx_q_node *w = and->kids[i];
    if (w->kind != CDX_Q_WORD || !is_kind(w->text, w->text_len)) continue;
    cdx_q_node *f = calloc(1, sizeof *f), * or = calloc(1, sizeof * or);
    cdx_q_node **kids = calloc(2, sizeof *kids);
    if (f)
      *f = *fig, f->text = NULL, f->codes = NULL, f->kids = NULL, f->n_kids = 0,
      f->canon = cdx_strdup_or_null(fig->canon), f->fkind = cdx_strdup_or_null(w->text),
      f->offset = w->offset;
    if (!f || ! or || !kids || !f->fkind || (fig->canon && !f->canon)) {
      cdx_q_node_free(f);
      free(or);
      free(kids);
      return cdx_err_set(err, CDX_NOMEM, CDX_NO_OFFSET, "out of memory parsing the query");
    }
    kids[0] = w;
    kids[1] = f;
    * or = (cdx_q_node){.kind = CDX_Q_OR, .offset = w->offset, .kids = kids, .n_kids = 2};
    and->kids[i] = or ;
  }
  return CDX_OK;
}

/* ---- matching ---- */

/* A figure satisfies a value filter when the values it states, [lo, hi],
 * meet the filter's: 最高200万元 states 200万 and is found by amount:>=100万,
 * a range 5万元到10万元 by amount:8万. */
bool cdx_q_fact_figure_matches(const cdx_q_node *n, const cdx_ix_figure *f) {
  if (f->type != (unsigned)type_of(n->field)) return false;
  switch (n->field) {
    case CDX_F_AMOUNT:
    case CDX_F_PERCENT:
    case CDX_F_COUNT:
      if (n->field == CDX_F_AMOUNT && strcmp(f->unit, "元") != 0) return false;
      if (n->field == CDX_F_PERCENT && strcmp(f->unit, "%") != 0) return false;
      if (n->field == CDX_F_COUNT && n->canon && strcmp(f->unit, n->canon) != 0) return false;
      if (n->fkind && strcmp(f->kind, n->fkind) != 0) return false;
      return (n->lo_strict ? f->hi > n->vlo : f->hi >= n->vlo) &&
             (n->hi_strict ? f->lo < n->vhi : f->lo <= n->vhi);
    case CDX_F_AMOUNT_KIND:
    case CDX_F_PERCENT_KIND:
    case CDX_F_COUNT_KIND: return strcmp(f->kind, n->canon) == 0;
    default: return false;
  }
}

typedef struct fig_ctx {
  const cdx_index *ix;
  size_t seg;
  const cdx_q_node *node;
} fig_ctx;

/* A unit whose figures do not decode matches nothing (`check` names it). */
static bool fig_pred(void *vctx, uint32_t unit) {
  fig_ctx *c = vctx;
  cdx_ix_cursor cur;
  cdx_error e;
  if (cdx_ix_unit_figures(c->ix, c->seg, unit, &cur, &e) != CDX_OK) return false;
  for (;;) {
    cdx_ix_figure f;
    bool got;
    if (cdx_ix_next_figure(&cur, &f, &got, &e) != CDX_OK || !got) return false;
    if (cdx_q_fact_figure_matches(c->node, &f)) return true;
  }
}

static const unsigned char dept_field[] = {[CDX_F_DEPT] = CDX_IX_FIELD_DEPT_LISTED,
                                           [CDX_F_LEAD] = CDX_IX_FIELD_DEPT_LEAD,
                                           [CDX_F_CHAPTER_LEAD] = CDX_IX_FIELD_DEPT_CHAPTER_LEAD};

int cdx_q_fact_compile(const cdx_index *ix, size_t seg, const cdx_q_node *n, cdx_q_leaf_fn leaf,
                       void *leaf_ctx, cdx_q_it **out, cdx_error *err) {
  *out = NULL;
  if (!cdx_ix_segment_has_facts(ix, seg)) {
    if (n->field == CDX_F_DEPT || n->field == CDX_F_LEAD || n->field == CDX_F_CHAPTER_LEAD)
      return CDX_NOTFOUND;
    *out = cdx_q_empty_new("no figures", 10); /* an older segment stored none */
    return *out ? CDX_OK : cdx_err_set(err, CDX_NOMEM, CDX_NO_OFFSET, "out of memory");
  }
  if (n->field == CDX_F_DEPT || n->field == CDX_F_LEAD || n->field == CDX_F_CHAPTER_LEAD) {
    size_t len = strlen(n->canon);
    char *term = malloc(len + 2);
    if (!term) return cdx_err_set(err, CDX_NOMEM, CDX_NO_OFFSET, "out of memory");
    term[0] = (char)dept_field[n->field];
    memcpy(term + 1, n->canon, len + 1);
    int rc = leaf(leaf_ctx, term, len + 1, n->prefix, out, err);
    free(term);
    return rc;
  }
  fig_ctx *c = malloc(sizeof *c);
  if (!c) return cdx_err_set(err, CDX_NOMEM, CDX_NO_OFFSET, "out of memory");
  *c = (fig_ctx){ix, seg, n};
  int rc = CDX_OK;
  cdx_buf label;
  cdx_buf_init(&label);
  cdx_q_node_describe(n, &rc, &label);
  const char *l = cdx_buf_str(&rc, &label);
  *out = rc ? NULL : cdx_q_filter_new(cdx_ix_segment_units(ix, seg), fig_pred, NULL, c, l);
  cdx_buf_free(&label);
  if (!*out) {
    free(c);
    return cdx_err_set(err, CDX_NOMEM, CDX_NO_OFFSET, "out of memory");
  }
  cdx_q_filter_owns_ctx(*out, free);
  return CDX_OK;
}
