/* Pairing the units of two documents by content (docs/ALIGN.md):
 *  1. similarities of every two units of the same kind, from shared shingles;
 *  2. an order-preserving assignment maximising the sum of (similarity -
 *     threshold) over the pairs (Needleman-Wunsch with free gaps), so one
 *     inserted clause shifts nothing and numbers never decide;
 *  3. moves: what is left on both sides, paired greedily by similarity;
 *     pairs of 2 whose chapters do not correspond are moves too;
 *  4. merges and splits: a left-over unit most of whose shingles are in one
 *     unit of the other side;
 *  5. the rest is removed (A) or added (B). */
#include <stdlib.h>
#include <string.h>
#include "align/align_internal.h"

/* Above this many unit pairs (2048 x 2048) the pairing's matrices (17
 * bytes a pair: similarity, shared shingles, scores, moves) would pass
 * 70 MB; real policies have tens to hundreds of units. */
#define MAX_CELLS (4u * 1024 * 1024)

/* A (shingle, unit) entry packed in one integer: shingles take 42 bits
 * (two 21-bit code points), so units are numbered in the low 22. */
#define UNIT_BITS 22
#define MAX_UNITS (1u << UNIT_BITS)

static int common_counts(const cdx_al_unit *a, size_t na, const cdx_al_unit *b, size_t nb,
                         uint32_t *common, cdx_error *err) {
  size_t total = 0;
  for (size_t j = 0; j < nb; j++) total += b[j].n_sh;
  uint64_t *e = malloc((total ? total : 1) * sizeof *e);
  if (!e) return cdx_err_set(err, CDX_NOMEM, CDX_NO_OFFSET, "out of memory aligning units");
  size_t k = 0;
  for (size_t j = 0; j < nb; j++)
    for (size_t s = 0; s < b[j].n_sh; s++) e[k++] = b[j].sh[s] << UNIT_BITS | j;
  cdx_al_sort_u64(e, total);
  for (size_t i = 0; i < na; i++) {
    uint32_t *row = common + i * nb;
    for (size_t s = 0; s < a[i].n_sh; s++) {
      uint64_t want = a[i].sh[s];
      size_t lo = 0, hi = total;
      while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (e[mid] >> UNIT_BITS < want) lo = mid + 1;
        else hi = mid;
      }
      for (; lo < total && e[lo] >> UNIT_BITS == want; lo++) row[e[lo] & (MAX_UNITS - 1)]++;
    }
  }
  free(e);
  return CDX_OK;
}

typedef struct matcher {
  const cdx_al_unit *a, *b;
  size_t na, nb;
  double tau;
  float *sim; /* na * nb; -1 where the kinds differ */
  uint32_t *common;
  int *a_to, *b_to; /* partner index or -1 */
  cdx_relation *a_rel, *b_rel;
  cdx_al_link *links;
  size_t n_links, cap_links;
} matcher;

static int add_link(matcher *m, int a, int b, cdx_relation rel, double sim, cdx_error *err) {
  if (m->n_links == m->cap_links) {
    size_t cap = m->cap_links ? 2 * m->cap_links : 64;
    cdx_al_link *l = realloc(m->links, cap * sizeof *l);
    if (!l) return cdx_err_set(err, CDX_NOMEM, CDX_NO_OFFSET, "out of memory aligning units");
    m->links = l;
    m->cap_links = cap;
  }
  m->links[m->n_links++] = (cdx_al_link){a, b, rel, sim, 0};
  return CDX_OK;
}

#define SIM(m, i, j) ((m)->sim[(size_t)(i) * (m)->nb + (size_t)(j)])

/* Step 2: the order-preserving assignment. score[i][j] is the best sum
 * over a[0..i) x b[0..j); a gap costs nothing, so a pair is taken only when
 * its similarity is above the threshold. */
static int assign_in_order(matcher *m, cdx_error *err) {
  size_t na = m->na, nb = m->nb, w = nb + 1;
  double *score = malloc((na + 1) * w * sizeof *score);
  unsigned char *move = malloc((na + 1) * w);
  if (!score || !move) {
    free(score);
    free(move);
    return cdx_err_set(err, CDX_NOMEM, CDX_NO_OFFSET, "out of memory aligning units");
  }
  for (size_t j = 0; j <= nb; j++) {
    score[j] = 0;
    move[j] = 2;
  }
  for (size_t i = 1; i <= na; i++) {
    score[i * w] = 0;
    move[i * w] = 1;
    for (size_t j = 1; j <= nb; j++) {
      double up = score[(i - 1) * w + j], left = score[i * w + j - 1];
      double best = up;
      unsigned char mv = 1; /* skip a[i-1] */
      if (left > best) {
        best = left;
        mv = 2;
      } /* skip b[j-1] */
      double s = SIM(m, i - 1, j - 1);
      if (s >= m->tau) {
        /* The margin over the threshold, plus a little for every pair, so
         * that among equal sums the assignment with more pairs wins. */
        double diag = score[(i - 1) * w + j - 1] + (s - m->tau) + 1e-6;
        if (diag > best) {
          best = diag;
          mv = 0;
        }
      }
      score[i * w + j] = best;
      move[i * w + j] = mv;
    }
  }
  for (size_t i = na, j = nb; i > 0 && j > 0;) {
    unsigned char mv = move[i * w + j];
    if (mv == 0) {
      m->a_to[i - 1] = (int)(j - 1);
      m->b_to[j - 1] = (int)(i - 1);
      i--;
      j--;
    } else if (mv == 1) {
      i--;
    } else {
      j--;
    }
  }
  free(score);
  free(move);
  return CDX_OK;
}

typedef struct cand {
  float sim;
  int a, b;
} cand;

static int cmp_cand(const void *x, const void *y) {
  const cand *p = x, *q = y;
  if (p->sim != q->sim) return p->sim > q->sim ? -1 : 1;
  if (p->b != q->b) return p->b - q->b;
  return p->a - q->a;
}

/* Step 3: left-overs paired greedily, best first. */
static int pair_moves(matcher *m, cdx_error *err) {
  size_t n = 0;
  for (size_t i = 0; i < m->na; i++)
    if (m->a_to[i] < 0)
      for (size_t j = 0; j < m->nb; j++)
        if (m->b_to[j] < 0 && SIM(m, i, j) >= m->tau) n++;
  if (n == 0) return CDX_OK;
  cand *c = malloc(n * sizeof *c);
  if (!c) return cdx_err_set(err, CDX_NOMEM, CDX_NO_OFFSET, "out of memory aligning units");
  n = 0;
  for (size_t i = 0; i < m->na; i++)
    if (m->a_to[i] < 0)
      for (size_t j = 0; j < m->nb; j++)
        if (m->b_to[j] < 0 && SIM(m, i, j) >= m->tau) c[n++] = (cand){SIM(m, i, j), (int)i, (int)j};
  qsort(c, n, sizeof *c, cmp_cand);
  for (size_t k = 0; k < n; k++) {
    if (m->a_to[c[k].a] >= 0 || m->b_to[c[k].b] >= 0) continue;
    m->a_to[c[k].a] = c[k].b;
    m->b_to[c[k].b] = c[k].a;
    m->a_rel[c[k].a] = CDX_REL_MOVED;
  }
  free(c);
  return CDX_OK;
}

/* A clause paired in order but under chapters that are not each other's
 * pair has moved to another chapter. */
static void chapter_moves(matcher *m) {
  int max_ch = 0;
  for (size_t i = 0; i < m->na; i++)
    if (m->a[i].hit->chapter > max_ch) max_ch = m->a[i].hit->chapter;
  if (max_ch == 0) return;
  int *chap_to = malloc(((size_t)max_ch + 1) * sizeof *chap_to);
  if (!chap_to) return; /* moves across chapters go unreported, nothing worse */
  for (int c = 0; c <= max_ch; c++) chap_to[c] = -1;
  for (size_t i = 0; i < m->na; i++) {
    const cdx_hit *h = m->a[i].hit;
    if (h->kind == CDX_UNIT_CHAPTER && m->a_to[i] >= 0 && h->chapter > 0)
      chap_to[h->chapter] = m->b[m->a_to[i]].hit->chapter;
  }
  for (size_t i = 0; i < m->na; i++) {
    const cdx_hit *h = m->a[i].hit;
    if (h->kind != CDX_UNIT_CLAUSE || m->a_to[i] < 0 || h->chapter <= 0) continue;
    int want = chap_to[h->chapter];
    if (want >= 0 && m->b[m->a_to[i]].hit->chapter != want) m->a_rel[i] = CDX_REL_MOVED;
  }
  free(chap_to);
}

/* Step 4: merges (several units of A became one of B) and, the same with
 * the sides swapped, splits. A side's "contributors" are its left-over
 * units; "targets" are the units of the other side. */
typedef struct side_view {
  matcher *m;
  bool merge; /* contributors are A's units */
} side_view;

static const cdx_al_unit *contrib(const side_view *v, size_t k) {
  return v->merge ? &v->m->a[k] : &v->m->b[k];
}
static const cdx_al_unit *target(const side_view *v, size_t t) {
  return v->merge ? &v->m->b[t] : &v->m->a[t];
}
static size_t n_contrib(const side_view *v) { return v->merge ? v->m->na : v->m->nb; }
static size_t n_target(const side_view *v) { return v->merge ? v->m->nb : v->m->na; }
static int *contrib_to(const side_view *v) { return v->merge ? v->m->a_to : v->m->b_to; }
static int *target_to(const side_view *v) { return v->merge ? v->m->b_to : v->m->a_to; }
static size_t cell(const side_view *v, size_t k, size_t t) {
  return v->merge ? k * v->m->nb + t : t * v->m->nb + k;
}

/* Share of the target's shingles that some contributor in `who` (those
 * with into[k] == t) also has. */
static double union_cover(const side_view *v, size_t t, const int *into, cdx_error *err, bool *ok) {
  const cdx_al_unit *tu = target(v, t);
  unsigned char *hit = calloc(tu->n_sh ? tu->n_sh : 1, 1);
  if (!hit) {
    *ok = false;
    (void)err;
    return 0;
  }
  for (size_t k = 0; k < n_contrib(v); k++) {
    if (into[k] != (int)t) continue;
    const cdx_al_unit *cu = contrib(v, k);
    for (size_t i = 0, j = 0; i < cu->n_sh && j < tu->n_sh;) {
      if (cu->sh[i] < tu->sh[j]) i++;
      else if (cu->sh[i] > tu->sh[j]) j++;
      else {
        hit[j] = 1;
        i++;
        j++;
      }
    }
  }
  size_t c = 0;
  for (size_t j = 0; j < tu->n_sh; j++) c += hit[j];
  free(hit);
  return tu->n_sh ? (double)c / (double)tu->n_sh : 0;
}

/* Fills into[k] with the target contributor k went into, or -1. A
 * contributor goes to the target holding the largest share of its
 * shingles. Into a paired target: when that share is at least
 * CDX_ALIGN_CONTAIN (the rest of the target is its partner's). Into a
 * left-over target: two or more contributors of at least
 * CDX_ALIGN_CONTAIN_PART each that together cover CDX_ALIGN_COVER of it
 * (a county clause built from parts of three city clauses); a single
 * contributor of at least CDX_ALIGN_CONTAIN is rather the same unit,
 * grown or shrunk, and is paired as such. */
static int find_groups(matcher *m, bool merge, int *into, cdx_error *err) {
  side_view v = {m, merge};
  size_t nc = n_contrib(&v), nt = n_target(&v);
  int *cto = contrib_to(&v), *tto = target_to(&v);
  double *share = malloc((nc ? nc : 1) * sizeof *share);
  if (!share) return cdx_err_set(err, CDX_NOMEM, CDX_NO_OFFSET, "out of memory aligning units");
  for (size_t k = 0; k < nc; k++) {
    into[k] = -1;
    share[k] = 0;
    const cdx_al_unit *cu = contrib(&v, k);
    if (cto[k] >= 0 || cu->n_sh == 0) continue;
    for (size_t t = 0; t < nt; t++) {
      if (m->sim[cell(&v, k, t)] < 0 || target(&v, t)->n_sh < cu->n_sh / 2) continue;
      double c = m->common[cell(&v, k, t)] / (double)cu->n_sh;
      if (c > share[k]) {
        share[k] = c;
        into[k] = (int)t;
      }
    }
    if (share[k] < CDX_ALIGN_CONTAIN_PART) into[k] = -1;
  }
  int rc = CDX_OK;
  for (size_t t = 0; t < nt && rc == CDX_OK; t++) {
    size_t parts = 0, strong = 0;
    int only = -1;
    for (size_t k = 0; k < nc; k++)
      if (into[k] == (int)t) {
        parts++;
        strong += share[k] >= CDX_ALIGN_CONTAIN;
        only = (int)k;
      }
    if (parts == 0) continue;
    if (tto[t] >= 0) { /* only the strong parts stay */
      for (size_t k = 0; k < nc; k++)
        if (into[k] == (int)t && share[k] < CDX_ALIGN_CONTAIN) into[k] = -1;
      continue;
    }
    if (parts == 1) {
      if (strong) { /* the same unit, rewritten at another length */
        cto[only] = (int)t;
        tto[t] = only;
      }
      into[only] = -1;
      continue;
    }
    bool ok = true;
    double cover = union_cover(&v, t, into, err, &ok);
    if (!ok) {
      rc = cdx_err_set(err, CDX_NOMEM, CDX_NO_OFFSET, "out of memory aligning units");
      break;
    }
    if (cover < CDX_ALIGN_COVER)
      for (size_t k = 0; k < nc; k++)
        if (into[k] == (int)t) into[k] = -1;
  }
  free(share);
  return rc;
}

static int emit(matcher *m, const int *a_into, const int *b_from, cdx_error *err) {
  int rc = CDX_OK;
  /* Group numbers: one per B unit that absorbed units, one per A unit that
   * was split. */
  int *b_group = calloc(m->nb ? m->nb : 1, sizeof *b_group);
  int *a_group = calloc(m->na ? m->na : 1, sizeof *a_group);
  if (!b_group || !a_group)
    rc = cdx_err_set(err, CDX_NOMEM, CDX_NO_OFFSET, "out of memory aligning units");
  int groups = 0;
  for (size_t i = 0; rc == CDX_OK && i < m->na; i++)
    if (a_into[i] >= 0 && !b_group[a_into[i]]) b_group[a_into[i]] = ++groups;
  for (size_t j = 0; rc == CDX_OK && j < m->nb; j++)
    if (b_from[j] >= 0 && !a_group[b_from[j]] &&
        !(m->a_to[b_from[j]] >= 0 && b_group[m->a_to[b_from[j]]]))
      a_group[b_from[j]] = ++groups;
  for (size_t i = 0; rc == CDX_OK && i < m->na; i++) {
    int j = m->a_to[i];
    if (j >= 0) {
      cdx_relation rel = m->a_rel[i];
      int g = 0;
      if (b_group[j]) {
        rel = CDX_REL_MERGED;
        g = b_group[j];
      } else if (a_group[i]) {
        rel = CDX_REL_SPLIT;
        g = a_group[i];
      } else if (rel != CDX_REL_MOVED)
        rel = cdx_al_same_text(&m->a[i], &m->b[j]) ? CDX_REL_SAME : CDX_REL_CHANGED;
      rc = add_link(m, (int)i, j, rel, SIM(m, i, j), err);
      if (rc == CDX_OK) m->links[m->n_links - 1].group = g;
    } else if (a_into[i] >= 0) {
      int t = a_into[i];
      double c = m->common[i * m->nb + (size_t)t] / (double)m->a[i].n_sh;
      rc = add_link(m, (int)i, t, CDX_REL_MERGED, c, err);
      if (rc == CDX_OK) m->links[m->n_links - 1].group = b_group[t];
    } else if (!a_group[i]) { /* a split's source is in its parts' links */
      rc = add_link(m, (int)i, -1, CDX_REL_REMOVED, 0, err);
    }
  }
  for (size_t j = 0; rc == CDX_OK && j < m->nb; j++) {
    if (m->b_to[j] >= 0 || b_group[j]) continue; /* a merge's target: in its parts' links */
    if (b_from[j] >= 0) {
      int s = b_from[j];
      double c = m->common[(size_t)s * m->nb + j] / (double)m->b[j].n_sh;
      int g = a_group[s];
      if (!g && m->a_to[s] >= 0) g = b_group[m->a_to[s]];
      rc = add_link(m, s, (int)j, CDX_REL_SPLIT, c, err);
      if (rc == CDX_OK) m->links[m->n_links - 1].group = g;
    } else {
      rc = add_link(m, -1, (int)j, CDX_REL_ADDED, 0, err);
    }
  }
  free(b_group);
  free(a_group);
  return rc;
}

int cdx_al_match(const cdx_al_unit *a, size_t na, const cdx_al_unit *b, size_t nb, double threshold,
                 cdx_al_link **links, size_t *n_links, cdx_error *err) {
  *links = NULL;
  *n_links = 0;
  if (na >= MAX_UNITS || nb >= MAX_UNITS || (na && nb && na > MAX_CELLS / nb))
    return cdx_err_set(err, CDX_LIMIT, CDX_NO_OFFSET,
                       "documents too large to align (%zu x %zu units; at most %u pairs)", na, nb,
                       (unsigned)MAX_CELLS);
  matcher m = {.a = a, .b = b, .na = na, .nb = nb, .tau = threshold};
  size_t cells = na && nb ? na * nb : 1;
  m.sim = malloc(cells * sizeof *m.sim);
  m.common = calloc(cells, sizeof *m.common);
  m.a_to = malloc((na + 1) * sizeof *m.a_to);
  m.b_to = malloc((nb + 1) * sizeof *m.b_to);
  m.a_rel = calloc(na + 1, sizeof *m.a_rel);
  int *a_into = malloc((na + 1) * sizeof *a_into), *b_from = malloc((nb + 1) * sizeof *b_from);
  int rc = CDX_OK;
  if (!m.sim || !m.common || !m.a_to || !m.b_to || !m.a_rel || !a_into || !b_from)
    rc = cdx_err_set(err, CDX_NOMEM, CDX_NO_OFFSET, "out of memory aligning units");
  if (rc == CDX_OK) rc = common_counts(a, na, b, nb, m.common, err);
  if (rc == CDX_OK) {
    for (size_t i = 0; i < na; i++) {
      m.a_to[i] = -1;
      m.a_rel[i] = CDX_REL_CHANGED;
      for (size_t j = 0; j < nb; j++)
        SIM(&m, i, j) = a[i].hit->kind != b[j].hit->kind
                            ? -1.0f
                            : (float)cdx_al_similarity_from(&a[i], &b[j], m.common[i * nb + j]);
    }
    for (size_t j = 0; j < nb; j++) m.b_to[j] = -1;
    rc = assign_in_order(&m, err);
  }
  if (rc == CDX_OK) {
    chapter_moves(&m);
    rc = pair_moves(&m, err);
  }
  if (rc == CDX_OK) rc = find_groups(&m, true, a_into, err);
  if (rc == CDX_OK) rc = find_groups(&m, false, b_from, err);
  if (rc == CDX_OK) rc = emit(&m, a_into, b_from, err);
  free(m.sim);
  free(m.common);
  free(m.a_to);
  free(m.b_to);
  free(m.a_rel);
  free(a_into);
  free(b_from);
  if (rc) {
    free(m.links);
    return rc;
  }
  *links = m.links;
  *n_links = m.n_links;
  return CDX_OK;
}
