/* The character diff of a pair: Myers' O((N+M)D) shortest edit script over
 * the folded code points (no punctuation, no white space), turned into
 * byte ranges of the original texts. Pairs are mostly near-identical, so D
 * is small; the common prefix and suffix are taken off first. */
#include <stdlib.h>
#include <string.h>
#include "align/align_internal.h"

typedef struct run {
  cdx_edit_op op;
  size_t a0, a1, b0, b1; /* code point ranges */
} run;

typedef struct runs {
  run *v;
  size_t n, cap;
} runs;

static int push(runs *r, cdx_edit_op op, size_t a0, size_t a1, size_t b0, size_t b1) {
  if (r->n && r->v[r->n - 1].op == op) {
    run *l = &r->v[r->n - 1];
    /* Runs are built back to front: extend the last one downwards. */
    if (op != CDX_EDIT_INSERT) l->a0 = a0;
    if (op != CDX_EDIT_DELETE) l->b0 = b0;
    return CDX_OK;
  }
  if (r->n == r->cap) {
    size_t cap = r->cap ? 2 * r->cap : 32;
    run *v = realloc(r->v, cap * sizeof *v);
    if (!v) return CDX_NOMEM;
    r->v = v;
    r->cap = cap;
  }
  r->v[r->n++] = (run){op, a0, a1, b0, b1};
  return CDX_OK;
}

/* Shortest edit script of a[0..n) -> b[0..m), pushed back to front with
 * offsets ao / bo added. */
static int myers(const uint32_t *a, size_t n, const uint32_t *b, size_t m, size_t ao, size_t bo,
                 runs *out) {
  size_t max = n + m;
  if (max == 0) return CDX_OK;
  size_t off = max + 1;
  long *v = malloc((2 * max + 3) * sizeof *v);
  /* V[-d..d] after step d is kept at trace + d*d: (d+1)^2 values in all,
   * in one buffer grown as d grows. */
  long *trace = NULL;
  size_t trace_cap = 0;
  if (!v) return CDX_NOMEM;
  v[off + 1] = 0;
  size_t dmax = 0;
  int rc = CDX_OK;
  bool done = false;
  for (size_t d = 0; d <= max && !done; d++) {
    long ld = (long)d;
    for (long k = -ld; k <= ld; k += 2) {
      long x;
      if (k == -ld || (k != ld && v[off + k - 1] < v[off + k + 1])) x = v[off + k + 1];
      else x = v[off + k - 1] + 1;
      long y = x - k;
      while ((size_t)x < n && (size_t)y < m && a[x] == b[y]) {
        x++;
        y++;
      }
      v[off + k] = x;
      if ((size_t)x >= n && (size_t)y >= m) done = true;
    }
    size_t need = (d + 1) * (d + 1);
    if (need > trace_cap) {
      size_t cap = trace_cap ? 2 * trace_cap : 1024;
      while (cap < need) cap *= 2;
      long *t = realloc(trace, cap * sizeof *t);
      if (!t) {
        rc = CDX_NOMEM;
        break;
      }
      trace = t;
      trace_cap = cap;
    }
    memcpy(trace + d * d, v + off - ld, (2 * d + 1) * sizeof *v);
    dmax = d;
  }
  if (rc == CDX_OK) {
    long x = (long)n, y = (long)m;
    for (size_t d = dmax; d > 0 && rc == CDX_OK; d--) {
      const long *pv = trace + (d - 1) * (d - 1); /* V[-(d-1)..d-1] */
      long ld = (long)d, k = x - y, pk;
      if (k == -ld || (k != ld && pv[k - 1 + ld - 1] < pv[k + 1 + ld - 1])) pk = k + 1;
      else pk = k - 1;
      long px = pv[pk + ld - 1], py = px - pk;
      /* the snake after the edit */
      long sx = pk == k + 1 ? px : px + 1;
      if (x > sx)
        rc = push(out, CDX_EDIT_EQUAL, ao + (size_t)sx, ao + (size_t)x, bo + (size_t)(y - (x - sx)),
                  bo + (size_t)y);
      if (rc) break;
      if (pk == k + 1)
        rc = push(out, CDX_EDIT_INSERT, ao + (size_t)px, ao + (size_t)px, bo + (size_t)py,
                  bo + (size_t)py + 1);
      else
        rc = push(out, CDX_EDIT_DELETE, ao + (size_t)px, ao + (size_t)px + 1, bo + (size_t)py,
                  bo + (size_t)py);
      x = px;
      y = py;
    }
    if (rc == CDX_OK && x > 0)
      rc = push(out, CDX_EDIT_EQUAL, ao, ao + (size_t)x, bo, bo + (size_t)y);
  }
  free(trace);
  free(v);
  return rc;
}

/* An equal stretch of one character between two changes reads as noise in
 * Chinese (加力扩围 -> 更大力度: the shared 力 is not a kept word), so it is
 * folded into the change around it. */
static void absorb_short_equals(run *v, size_t *n, run *out) {
  size_t m = 0;
  for (size_t i = 0; i < *n; i++) {
    bool lone = v[i].op == CDX_EDIT_EQUAL && v[i].a1 - v[i].a0 < 2 && i > 0 && i + 1 < *n &&
                v[i - 1].op != CDX_EDIT_EQUAL && v[i + 1].op != CDX_EDIT_EQUAL;
    if (!lone) {
      out[m++] = v[i];
      continue;
    }
    /* Becomes a delete of a's character and an insert of b's. */
    out[m++] = (run){CDX_EDIT_DELETE, v[i].a0, v[i].a1, v[i].b0, v[i].b0};
    out[m++] = (run){CDX_EDIT_INSERT, v[i].a1, v[i].a1, v[i].b0, v[i].b1};
  }
  v = out;
  *n = m;
  /* Gather each stretch of changes into one delete and one insert. */
  size_t k = 0;
  for (size_t i = 0; i < *n;) {
    if (v[i].op == CDX_EDIT_EQUAL) {
      v[k++] = v[i++];
      continue;
    }
    size_t a0 = v[i].a0, a1 = v[i].a0, b0 = v[i].b0, b1 = v[i].b0;
    for (; i < *n && v[i].op != CDX_EDIT_EQUAL; i++) {
      if (v[i].op == CDX_EDIT_DELETE) {
        if (a1 == a0) a0 = v[i].a0;
        a1 = v[i].a1;
      } else {
        if (b1 == b0) b0 = v[i].b0;
        b1 = v[i].b1;
      }
    }
    if (a1 > a0) v[k++] = (run){CDX_EDIT_DELETE, a0, a1, b0, b0};
    if (b1 > b0) v[k++] = (run){CDX_EDIT_INSERT, a1, a1, b0, b1};
  }
  *n = k;
}

/* Byte offset in the original text where code point i starts; the text's
 * end for i == n. */
static size_t byte_at(const cdx_al_unit *u, size_t i) {
  return i < u->n ? u->src[2 * i] : u->hit->text_len;
}

/* The byte range of run i on one side (B when side_b): from its first code
 * point to the next run that has that side, or the text's end; empty for a
 * run that lacks the side. */
static void side_range(const run *v, size_t n, size_t i, bool side_b, const cdx_al_unit *u,
                       size_t *start, size_t *end) {
  cdx_edit_op lacks = side_b ? CDX_EDIT_DELETE : CDX_EDIT_INSERT;
  *start = byte_at(u, side_b ? v[i].b0 : v[i].a0);
  *end = *start;
  if (v[i].op == lacks) return;
  size_t next = u->n;
  for (size_t j = i + 1; j < n; j++)
    if (v[j].op != lacks) {
      next = side_b ? v[j].b0 : v[j].a0;
      break;
    }
  *end = byte_at(u, next);
}

int cdx_al_diff(const cdx_al_unit *a, const cdx_al_unit *b, cdx_edit **edits, size_t *n_edits,
                cdx_error *err) {
  *edits = NULL;
  *n_edits = 0;
  size_t as = a->body_start, bs = b->body_start, ae = a->n, be = b->n;
  size_t pre = 0;
  while (as + pre < ae && bs + pre < be && a->cp[as + pre] == b->cp[bs + pre]) pre++;
  size_t suf = 0;
  while (ae - suf > as + pre && be - suf > bs + pre && a->cp[ae - suf - 1] == b->cp[be - suf - 1])
    suf++;
  runs r = {0};
  int rc = CDX_OK;
  if (suf) rc = push(&r, CDX_EDIT_EQUAL, ae - suf, ae, be - suf, be);
  if (rc == CDX_OK)
    rc = myers(a->cp + as + pre, ae - suf - as - pre, b->cp + bs + pre, be - suf - bs - pre,
               as + pre, bs + pre, &r);
  if (rc == CDX_OK && pre) rc = push(&r, CDX_EDIT_EQUAL, as, as + pre, bs, bs + pre);
  if (rc) {
    free(r.v);
    return cdx_err_set(err, CDX_NOMEM, CDX_NO_OFFSET, "out of memory comparing units");
  }
  /* Built back to front. */
  for (size_t i = 0; i < r.n / 2; i++) {
    run t = r.v[i];
    r.v[i] = r.v[r.n - 1 - i];
    r.v[r.n - 1 - i] = t;
  }
  size_t n = r.n;
  run *tmp = malloc((2 * n + 1) * sizeof *tmp); /* absorbing may double */
  if (!tmp) {
    free(r.v);
    return cdx_err_set(err, CDX_NOMEM, CDX_NO_OFFSET, "out of memory comparing units");
  }
  absorb_short_equals(r.v, &n, tmp);
  free(r.v);
  r.v = tmp;
  cdx_edit *e = malloc((n ? n : 1) * sizeof *e);
  if (!e) {
    free(r.v);
    return cdx_err_set(err, CDX_NOMEM, CDX_NO_OFFSET, "out of memory comparing units");
  }
  /* Code point runs -> byte ranges that tile each text from its body's
   * first character to its end: punctuation between two runs goes with the
   * run before it, so the edits together show every byte once. */
  for (size_t i = 0; i < n; i++) {
    e[i].op = r.v[i].op;
    side_range(r.v, n, i, false, a, &e[i].a_start, &e[i].a_end);
    side_range(r.v, n, i, true, b, &e[i].b_start, &e[i].b_end);
  }
  free(r.v);
  *edits = e;
  *n_edits = n;
  return CDX_OK;
}
