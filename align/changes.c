/* What changed inside a pair besides its characters: the figures whose
 * value changed (15亿元 -> 50亿元) and the responsible units. */
#include <stdlib.h>
#include <string.h>
#include "align/align_internal.h"
#include <pthread.h>
#include <stdio.h>
#include "lexicon/gazetteer.h"
#include "facts/depts.h"
#include "facts/figures.h"

const char *cdx_al_strdup(cdx_al_strings *s, const char *p, size_t n) {
  if (s->n == s->cap) {
    size_t cap = s->cap ? 2 * s->cap : 64;
    char **b = realloc(s->blocks, cap * sizeof *b);
    if (!b) return NULL;
    s->blocks = b;
    s->cap = cap;
  }
  char *d = malloc(n + 1);
  if (!d) return NULL;
  memcpy(d, p, n);
  d[n] = '\0';
  s->blocks[s->n++] = d;
  return d;
}

void cdx_al_strings_free(cdx_al_strings *s) {
  for (size_t i = 0; i < s->n; i++) free(s->blocks[i]);
  free(s->blocks);
  memset(s, 0, sizeof *s);
}

static int nomem(cdx_error *err) { return cdx_err_nomem(err, "comparing units"); }

/* Index of the first folded code point starting at or after byte off. */
static size_t cp_at(const cdx_al_unit *u, size_t off) {
  size_t lo = 0, hi = u->n;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (u->src[2 * mid] < off) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/* A figure with what stands before it: the words since the last
 * punctuation (a gap in the folded text) or digit, at most CTX_MAX. */
#define CTX_MAX 10
typedef struct fig {
  cdx_figure f;
  size_t ctx; /* code point index where the context starts */
  size_t at;  /* code point index of the figure */
} fig;

static bool is_digitish(uint32_t c) { return (c >= '0' && c <= '9') || c == '.' || c == '%'; }

static void find_context(const cdx_al_unit *u, fig *g) {
  size_t at = cp_at(u, g->f.start), c = at;
  while (c > u->body_start && at - c < CTX_MAX) {
    size_t p = c - 1;
    if (is_digitish(u->cp[p])) break;
    if (u->src[2 * p + 1] != u->src[2 * c] && c != at) break; /* punctuation between */
    c = p;
  }
  /* 2025年预算安排资金: the 年 of a year is not the context's first word. */
  if (c > u->body_start && c < at && is_digitish(u->cp[c - 1]) &&
      (u->cp[c] == 0x5E74 || u->cp[c] == 0x6708 || u->cp[c] == 0x65E5)) /* 年 月 日 */
    c++;
  g->at = at;
  g->ctx = c;
}

static int extract(const cdx_al_unit *u, fig **out, size_t *n, cdx_error *err) {
  *out = NULL;
  *n = 0;
  cdx_figure *fs = NULL;
  size_t nf = 0;
  int rc = cdx_figures_extract(u->hit->text, u->hit->text_len, &fs, &nf, err);
  if (rc) return rc;
  fig *g = malloc((nf ? nf : 1) * sizeof *g);
  if (!g) {
    free(fs);
    return nomem(err);
  }
  /* Figures in the responsible-unit note or the clause number are not the
   * clause's figures. */
  size_t lo = u->body_start < u->n ? u->src[2 * u->body_start] : u->hit->text_len;
  size_t hi = u->body_end < u->n ? u->src[2 * u->body_end] : u->hit->text_len;
  for (size_t i = 0; i < nf; i++) {
    if (fs[i].start < lo || fs[i].end > hi) continue;
    g[*n].f = fs[i];
    find_context(u, &g[*n]);
    (*n)++;
  }
  free(fs);
  *out = g;
  return CDX_OK;
}

/* Characters the two contexts share, read backwards from the figures. */
static size_t context_match(const cdx_al_unit *a, const fig *x, const cdx_al_unit *b,
                            const fig *y) {
  size_t k = 0;
  while (x->at - k > x->ctx && y->at - k > y->ctx && a->cp[x->at - k - 1] == b->cp[y->at - k - 1])
    k++;
  return k;
}

/* Two figures are the same slot when they measure the same thing and either
 * say the same words before them (three characters or more: 项目 alone is
 * too common) or state the same value. */
static double pair_score(const cdx_al_unit *a, const fig *x, const cdx_al_unit *b, const fig *y) {
  if (!cdx_figure_same_measure(&x->f, &y->f)) return -1;
  size_t ctx = context_match(a, x, b, y);
  bool same = cdx_figure_same_value(&x->f, &y->f);
  if (ctx < 3 && !same) return -1;
  return 1.0 + (double)ctx + (same ? 2.0 : 0.0);
}

static const char *fmt(cdx_al_strings *s, const cdx_figure *f) {
  char buf[96];
  size_t n = cdx_figure_format(f, buf, sizeof buf);
  return cdx_al_strdup(s, buf, n < sizeof buf ? n : sizeof buf - 1);
}

static int add_change(cdx_figure_change **v, size_t *n, size_t *cap, const cdx_figure_change *c) {
  if (*n == *cap) {
    size_t nc = *cap ? 2 * *cap : 8;
    cdx_figure_change *p = realloc(*v, nc * sizeof *p);
    if (!p) return CDX_NOMEM;
    *v = p;
    *cap = nc;
  }
  (*v)[(*n)++] = *c;
  return CDX_OK;
}

static const char *context_text(cdx_al_strings *s, const cdx_al_unit *u, const fig *g) {
  size_t from = g->ctx < u->n ? u->src[2 * g->ctx] : g->f.start;
  if (from > g->f.start) from = g->f.start;
  return cdx_al_strdup(s, u->hit->text + from, g->f.start - from);
}

int cdx_al_figure_changes(const cdx_al_unit *a, const cdx_al_unit *b, cdx_al_strings *strs,
                          cdx_figure_change **out, size_t *n_out, cdx_error *err) {
  *out = NULL;
  *n_out = 0;
  fig *fa = NULL, *fb = NULL;
  size_t na = 0, nb = 0;
  int rc = extract(a, &fa, &na, err);
  if (rc == CDX_OK) rc = extract(b, &fb, &nb, err);
  double *score = NULL;
  unsigned char *mv = NULL;
  size_t w = nb + 1;
  if (rc == CDX_OK) {
    score = malloc((na + 1) * w * sizeof *score);
    mv = malloc((na + 1) * w);
    if (!score || !mv) rc = nomem(err);
  }
  cdx_figure_change *v = NULL;
  size_t n = 0, cap = 0;
  if (rc == CDX_OK) {
    /* Order-preserving pairing of the two figure lists (as the units are
     * paired), so 3000亩 pairs with 3400亩 and not with another 亩. */
    for (size_t j = 0; j <= nb; j++) {
      score[j] = 0;
      mv[j] = 2;
    }
    for (size_t i = 1; i <= na; i++) {
      score[i * w] = 0;
      mv[i * w] = 1;
      for (size_t j = 1; j <= nb; j++) {
        double best = score[(i - 1) * w + j];
        unsigned char m = 1;
        if (score[i * w + j - 1] > best) {
          best = score[i * w + j - 1];
          m = 2;
        }
        double s = pair_score(a, &fa[i - 1], b, &fb[j - 1]);
        if (s > 0 && score[(i - 1) * w + j - 1] + s > best) {
          best = score[(i - 1) * w + j - 1] + s;
          m = 0;
        }
        score[i * w + j] = best;
        mv[i * w + j] = m;
      }
    }
    int *a_to = malloc((na + 1) * sizeof *a_to), *b_to = malloc((nb + 1) * sizeof *b_to);
    if (!a_to || !b_to) rc = nomem(err);
    for (size_t i = 0; rc == CDX_OK && i < na; i++) a_to[i] = -1;
    for (size_t j = 0; rc == CDX_OK && j < nb; j++) b_to[j] = -1;
    for (size_t i = na, j = nb; rc == CDX_OK && i > 0 && j > 0;) {
      unsigned char m = mv[i * w + j];
      if (m == 0) {
        a_to[i - 1] = (int)(j - 1);
        b_to[j - 1] = (int)(i - 1);
        i--;
        j--;
      } else if (m == 1) i--;
      else j--;
    }
    /* In B's order: changed and added figures; a removed one before the
     * first B figure that comes after it. */
    size_t ia = 0;
    for (size_t j = 0; rc == CDX_OK && j <= nb; j++) {
      size_t upto = j == nb ? na : b_to[j] >= 0 ? (size_t)b_to[j] : ia;
      for (; rc == CDX_OK && ia < upto; ia++) {
        if (a_to[ia] >= 0) continue;
        cdx_figure_change c = {context_text(strs, a, &fa[ia]),
                               fmt(strs, &fa[ia].f),
                               NULL,
                               fa[ia].f.start,
                               fa[ia].f.end,
                               0,
                               0};
        if (!c.context || !c.a || add_change(&v, &n, &cap, &c)) rc = nomem(err);
      }
      if (j == nb || rc) break;
      if (b_to[j] < 0) {
        cdx_figure_change c = {context_text(strs, b, &fb[j]),
                               NULL,
                               fmt(strs, &fb[j].f),
                               0,
                               0,
                               fb[j].f.start,
                               fb[j].f.end};
        if (!c.context || !c.b || add_change(&v, &n, &cap, &c)) rc = nomem(err);
        continue;
      }
      ia = (size_t)b_to[j] + 1;
      const fig *x = &fa[b_to[j]], *y = &fb[j];
      if (cdx_figure_same_value(&x->f, &y->f)) continue;
      cdx_figure_change c = {context_text(strs, b, y),
                             fmt(strs, &x->f),
                             fmt(strs, &y->f),
                             x->f.start,
                             x->f.end,
                             y->f.start,
                             y->f.end};
      if (!c.context || !c.a || !c.b || add_change(&v, &n, &cap, &c)) rc = nomem(err);
    }
    free(a_to);
    free(b_to);
  }
  free(score);
  free(mv);
  free(fa);
  free(fb);
  if (rc) {
    free(v);
    return rc;
  }
  *out = v;
  *n_out = n;
  return CDX_OK;
}

/* Responsible units compare by canonical name (facts/depts.h): without the
 * document's place, folded, aliases mapped, so the city's 市發展改革委 and the
 * county's 市发改局, or 人行乐清营管部 and 市人行, are one department. The
 * built-in table is read-only once built and shared by every thread. */
static cdx_dept_table *shared_table;
static void build_table(void) {
  cdx_error e;
  if (cdx_dept_table_new(&shared_table, &e) != CDX_OK) shared_table = NULL; /* folding alone */
}

static const cdx_dept_table *dept_table(void) {
  static pthread_once_t once = PTHREAD_ONCE_INIT;
  pthread_once(&once, build_table);
  return shared_table;
}

/* The unit's place and the places above it, nearest first. */
static size_t places_of(const cdx_hit *h, const char **out, size_t cap) {
  size_t n = 0;
  for (const cdx_gz_place *p = h->jurisdiction_code ? cdx_gz_by_code(h->jurisdiction_code) : NULL;
       p && n < cap; p = cdx_gz_parent(p))
    out[n++] = p->name;
  if (n == 0 && h->jurisdiction && cap) out[n++] = h->jurisdiction;
  return n;
}

typedef struct dept_name {
  char s[2 * (CDX_DEPT_NAME_MAX + 1)]; /* a bracketed note may double a name */
} dept_name;

static int canonical_names(const cdx_hit *h, dept_name *out, cdx_error *err) {
  const char *places[CDX_DEPT_PLACES_MAX];
  size_t np = places_of(h, places, CDX_DEPT_PLACES_MAX);
  for (size_t i = 0; i < h->n_responsible; i++) {
    size_t len = 0;
    int rc = cdx_dept_canonical(dept_table(), places, np, h->responsible[i],
                                strlen(h->responsible[i]), out[i].s, sizeof out[i].s, &len, err);
    /* A name the rules cannot read (too long, bad bytes) is compared as written. */
    if (rc == CDX_LIMIT || rc == CDX_INVALID || rc == CDX_ENCODING) {
      snprintf(out[i].s, sizeof out[i].s, "%s", h->responsible[i]);
      rc = CDX_OK;
    }
    if (rc) return rc;
  }
  return CDX_OK;
}

static bool listed(const dept_name *names, size_t n, const char *f) {
  for (size_t i = 0; i < n; i++)
    if (strcmp(names[i].s, f) == 0) return true;
  return false;
}

int cdx_al_dept_changes(const cdx_hit *a, const cdx_hit *b, cdx_dept_change **out, size_t *n_out,
                        cdx_error *err) {
  *out = NULL;
  *n_out = 0;
  size_t na = a->n_responsible, nb = b->n_responsible;
  /* A unit with no list on one side says nothing about its departments
   * (its note may have been dropped or merged): report only when both
   * sides list some. */
  if (na == 0 || nb == 0) return CDX_OK;
  dept_name *fa = malloc(na * sizeof *fa), *fb = malloc(nb * sizeof *fb);
  cdx_dept_change *v = malloc((na + nb + 1) * sizeof *v);
  int rc = fa && fb && v ? CDX_OK : nomem(err);
  if (rc == CDX_OK) rc = canonical_names(a, fa, err);
  if (rc == CDX_OK) rc = canonical_names(b, fb, err);
  size_t n = 0;
  if (rc == CDX_OK) {
    if (strcmp(fa[0].s, fb[0].s) != 0) v[n++] = (cdx_dept_change){CDX_DEPT_LEAD, b->responsible[0]};
    for (size_t j = 0; j < nb; j++)
      if (!listed(fa, na, fb[j].s) && !listed(fb, j, fb[j].s))
        v[n++] = (cdx_dept_change){CDX_DEPT_ADDED, b->responsible[j]};
    for (size_t i = 0; i < na; i++)
      if (!listed(fb, nb, fa[i].s) && !listed(fa, i, fa[i].s))
        v[n++] = (cdx_dept_change){CDX_DEPT_REMOVED, a->responsible[i]};
  }
  free(fa);
  free(fb);
  if (rc || n == 0) {
    free(v);
    return rc;
  }
  *out = v;
  *n_out = n;
  return CDX_OK;
}
