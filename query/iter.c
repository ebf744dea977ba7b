/*
 * The posting-iterator shape shared by leaves and operators, the term leaf
 * over a postings source (the index reader's iterator or an in-memory list),
 * and the empty leaf for a term a segment does not hold.
 */
#include <stdlib.h>
#include <string.h>
#include "query/query.h"

void cdx_q_it_free(cdx_q_it *it) {
  if (it) it->vt->destroy(it);
}

void cdx_q_it_describe(const cdx_q_it *it, int *rc, cdx_buf *b) { it->vt->describe(it, rc, b); }

/* ---- Term leaf ---- */

typedef struct term_it {
  cdx_q_it base;
  const cdx_q_postings_vt *pvt;
  void *p;
  char *label;
} term_it;

static int term_next(cdx_q_it *it, cdx_error *err) {
  term_it *t = (term_it *)it;
  if (it->started && it->docid == CDX_Q_END) return CDX_OK;
  it->started = true;
  return t->pvt->next(t->p, &it->docid, err);
}

static int term_seek(cdx_q_it *it, uint32_t target, cdx_error *err) {
  term_it *t = (term_it *)it;
  it->started = true;
  return t->pvt->seek(t->p, target, &it->docid, err);
}

static void term_destroy(cdx_q_it *it) {
  term_it *t = (term_it *)it;
  if (t->pvt && t->p) t->pvt->destroy(t->p);
  free(t->label);
  free(t);
}

static void term_describe(const cdx_q_it *it, int *rc, cdx_buf *b) {
  const term_it *t = (const term_it *)it;
  cdx_buf_puts(rc, b, t->pvt ? "TERM(" : "EMPTY(");
  cdx_buf_puts(rc, b, t->label);
  cdx_buf_putc(rc, b, ')');
}

static uint32_t term_tf(cdx_q_it *it) {
  term_it *t = (term_it *)it;
  return t->pvt && it->docid != CDX_Q_END ? t->pvt->tf(t->p) : 0;
}

static int term_positions(cdx_q_it *it, const uint32_t **pos, size_t *n, cdx_error *err) {
  term_it *t = (term_it *)it;
  if (!t->pvt || it->docid == CDX_Q_END) {
    *pos = NULL;
    *n = 0;
    return CDX_OK;
  }
  return t->pvt->positions(t->p, pos, n, err);
}

static const cdx_q_it_vt term_vt = {.next = term_next,
                                    .seek = term_seek,
                                    .destroy = term_destroy,
                                    .describe = term_describe,
                                    .tf = term_tf,
                                    .positions = term_positions};

static int empty_move(cdx_q_it *it, cdx_error *err) {
  (void)err;
  it->started = true;
  it->docid = CDX_Q_END;
  return CDX_OK;
}
static int empty_seek(cdx_q_it *it, uint32_t target, cdx_error *err) {
  (void)target;
  return empty_move(it, err);
}
static const cdx_q_it_vt empty_vt = {
    .next = empty_move, .seek = empty_seek, .destroy = term_destroy, .describe = term_describe};

/* Labels are term bytes, which may start with a field byte (0x01 dept word,
 * 0x02 doc number, 0x03-0x05 a department listed / leading / leading the
 * chapter): shown as "dept:", "doc:", "dept=" ... so describe() stays text. */
static char *make_label(const char *label, size_t n) {
  const char *prefix = "";
  static const char *const fields[] = {NULL, "dept:", "doc:", "dept=", "lead=", "chapter_lead="};
  if (n > 0 && label[0] >= 0x01 && label[0] <= 0x05) {
    prefix = fields[(int)label[0]];
    label++;
    n--;
  }
  size_t pn = strlen(prefix);
  char *s = malloc(pn + n + 1);
  if (!s) return NULL;
  memcpy(s, prefix, pn);
  memcpy(s + pn, label, n);
  s[pn + n] = '\0';
  return s;
}

cdx_q_it *cdx_q_term_new(const cdx_q_postings_vt *vt, void *p, uint64_t df, const char *label,
                         size_t label_len) {
  term_it *t = calloc(1, sizeof *t);
  char *l = make_label(label, label_len);
  if (!t || !l) {
    free(t);
    free(l);
    if (vt && p) vt->destroy(p);
    return NULL;
  }
  t->base = (cdx_q_it){&term_vt, 0, false, df};
  t->pvt = vt;
  t->p = p;
  t->label = l;
  return &t->base;
}

cdx_q_it *cdx_q_empty_new(const char *label, size_t label_len) {
  term_it *t = calloc(1, sizeof *t);
  char *l = make_label(label, label_len);
  if (!t || !l) {
    free(t);
    free(l);
    return NULL;
  }
  t->base = (cdx_q_it){&empty_vt, 0, false, 0};
  t->label = l;
  return &t->base;
}

bool cdx_q_is_term(const cdx_q_it *it) { return it->vt == &term_vt || it->vt == &empty_vt; }

bool cdx_q_term_block(cdx_q_it *it, uint32_t target, cdx_q_block *out, bool *has) {
  term_it *t = (term_it *)it;
  *has = t->pvt == NULL || t->pvt->block != NULL;
  if (!t->pvt) return false; /* the empty leaf: nothing remains */
  if (!t->pvt->block) return true;
  return t->pvt->block(t->p, target, out);
}

void *cdx_q_term_source(cdx_q_it *it, const cdx_q_postings_vt *vt) {
  if (it->vt != &term_vt || it->started) return NULL;
  term_it *t = (term_it *)it;
  return t->pvt == vt ? t->p : NULL;
}

/* ---- In-memory postings ---- */

typedef struct mem_postings {
  uint32_t *ids;
  size_t n;
  uint32_t *pos;
  size_t *pos_off;
  size_t i; /* index of the current entry; n before the first next */
  bool started;
} mem_postings;

void *cdx_q_mem_postings_new(const uint32_t *ids, size_t n, const uint32_t *pos,
                             const size_t *pos_off) {
  mem_postings *m = calloc(1, sizeof *m);
  if (!m) return NULL;
  size_t np = pos_off ? pos_off[n] : 0;
  m->ids = malloc((n + 1) * sizeof *m->ids);
  m->pos_off = malloc((n + 1) * sizeof *m->pos_off);
  m->pos = malloc((np + 1) * sizeof *m->pos);
  if (!m->ids || !m->pos_off || !m->pos) {
    free(m->ids);
    free(m->pos_off);
    free(m->pos);
    free(m);
    return NULL;
  }
  if (n) memcpy(m->ids, ids, n * sizeof *ids);
  for (size_t i = 0; i <= n; i++) m->pos_off[i] = pos_off ? pos_off[i] : 0;
  if (np) memcpy(m->pos, pos, np * sizeof *pos);
  m->n = n;
  return m;
}

static int mem_next(void *p, uint32_t *id, cdx_error *err) {
  (void)err;
  mem_postings *m = p;
  if (!m->started) {
    m->started = true;
    m->i = 0;
  } else if (m->i < m->n) m->i++;
  *id = m->i < m->n ? m->ids[m->i] : CDX_Q_END;
  return CDX_OK;
}

static int mem_seek(void *p, uint32_t target, uint32_t *id, cdx_error *err) {
  (void)err;
  mem_postings *m = p;
  if (!m->started) {
    m->started = true;
    m->i = 0;
  }
  /* Galloping search, as a skip list would jump. */
  size_t step = 1, lo = m->i;
  while (lo + step < m->n && m->ids[lo + step] < target) {
    lo += step;
    step *= 2;
  }
  while (lo < m->n && m->ids[lo] < target) lo++;
  m->i = lo;
  *id = m->i < m->n ? m->ids[m->i] : CDX_Q_END;
  return CDX_OK;
}

static uint32_t mem_tf(void *p) {
  mem_postings *m = p;
  if (m->i >= m->n) return 0;
  size_t k = m->pos_off[m->i + 1] - m->pos_off[m->i];
  return k ? (uint32_t)k : 1;
}

static int mem_positions(void *p, const uint32_t **pos, size_t *n, cdx_error *err) {
  (void)err;
  mem_postings *m = p;
  if (m->i >= m->n) {
    *pos = NULL;
    *n = 0;
    return CDX_OK;
  }
  *pos = m->pos + m->pos_off[m->i];
  *n = m->pos_off[m->i + 1] - m->pos_off[m->i];
  return CDX_OK;
}

static void mem_destroy(void *p) {
  mem_postings *m = p;
  free(m->ids);
  free(m->pos);
  free(m->pos_off);
  free(m);
}

const cdx_q_postings_vt cdx_q_mem_postings_vt = {mem_next,      mem_seek,    mem_tf,
                                                 mem_positions, mem_destroy, NULL};
