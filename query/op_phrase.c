/*
 * PHRASE: term leaves that must occur at fixed relative positions. The
 * children first agree on a unit by leapfrogging like AND (cheap: no
 * positions read); only then are the positions of that unit decoded, and
 * only for units that pass them is the folded stored text consulted (when
 * the word needs it, see qanalyze.c).
 *
 * The start positions of all occurrences in the current unit are kept: their
 * count is the phrase's tf for BM25 (one query word = one term, however many
 * bigrams it has) and they feed the proximity bonus.
 */
#include <assert.h>
#include <stdlib.h>
#include "query/query.h"

typedef struct phrase_it {
  cdx_q_it base;
  size_t n;
  const cdx_q_word *w;
  cdx_q_verify_fn verify;
  void *vctx;
  uint32_t *starts;
  size_t n_starts, cap_starts;
  cdx_q_it **order; /* kids rarest first, for the docid leapfrog */
  cdx_q_it **kids;  /* kids in word order, rel[i] apart */
  uint32_t *rel;
  uint32_t confirmed_doc; /* the last unit verify ran on, and its answer */
  bool confirmed_ok, has_confirmed;
  cdx_q_gate_fn gate; /* NULL, or asked before positions are read */
  cdx_q_gate_block_fn gate_block;
  void *gate_ctx;
  uint32_t region_end; /* units < this passed gate_block */
} phrase_it;

static bool has_pos(const uint32_t *p, size_t n, uint64_t want) {
  size_t lo = 0, hi = n;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (p[mid] < want) lo = mid + 1;
    else hi = mid;
  }
  return lo < n && p[lo] == want;
}

/* Fills ph->starts for the unit all kids sit on. */
static int match_positions(phrase_it *ph, cdx_error *err) {
  ph->n_starts = 0;
  const uint32_t *p0;
  size_t n0;
  int rc = cdx_q_positions(ph->kids[0], &p0, &n0, err);
  if (rc) return rc;
  for (size_t j = 0; j < n0; j++) {
    if (p0[j] < ph->rel[0]) continue;
    uint64_t start = p0[j] - ph->rel[0];
    bool ok = true;
    for (size_t i = 1; i < ph->n && ok; i++) {
      const uint32_t *pi;
      size_t ni;
      rc = cdx_q_positions(ph->kids[i], &pi, &ni, err);
      if (rc) return rc;
      ok = has_pos(pi, ni, start + ph->rel[i]);
    }
    if (!ok) continue;
    if (CDX_GROW(ph->starts, ph->cap_starts, ph->n_starts + 1, 16) != CDX_OK)
      return cdx_err_set(err, CDX_NOMEM, CDX_NO_OFFSET, "out of memory matching a phrase");
    ph->starts[ph->n_starts++] = (uint32_t)start;
  }
  return CDX_OK;
}

/* With a gate: the first unit >= cand outside the regions the terms'
 * block bounds rule out (a unit in every term's current block can score at
 * most the least of their bounds), CDX_Q_END when none remains. */
static uint32_t skip_regions(phrase_it *ph, uint32_t cand) {
  while (ph->gate_block && cand >= ph->region_end) {
    uint32_t last = CDX_Q_END;
    bool pass = true;
    for (size_t i = 0; i < ph->n; i++) {
      cdx_q_block b;
      bool has;
      if (!cdx_q_is_term(ph->kids[i])) return cand;
      if (!cdx_q_term_block(ph->kids[i], cand, &b, &has)) return has ? CDX_Q_END : cand;
      if (!has) return cand;
      if (b.last < last) last = b.last;
      pass = pass && ph->gate_block(ph->gate_ctx, b.max_tf, b.bound_len);
    }
    if (pass) {
      ph->region_end = last >= CDX_Q_END - 1 ? CDX_Q_END : last + 1;
      return cand;
    }
    if (last >= CDX_Q_END - 1) return CDX_Q_END;
    cand = last + 1;
  }
  return cand;
}

/* Moves to the first unit >= cand where the phrase really occurs. */
static int phrase_align(phrase_it *ph, uint32_t cand, cdx_error *err) {
  for (;;) {
    cand = skip_regions(ph, cand);
    int rc = cand == CDX_Q_END ? CDX_OK : cdx_q_leapfrog(ph->order, ph->n, &cand, err);
    if (rc) return rc;
    if (cand == CDX_Q_END) {
      ph->base.docid = CDX_Q_END;
      ph->n_starts = 0;
      return CDX_OK;
    }
    /* The phrase occurs at most as often as its rarest term there. */
    uint32_t max_tf = UINT32_MAX;
    for (size_t i = 0; ph->gate && i < ph->n; i++) {
      uint32_t tf = cdx_q_tf(ph->kids[i]);
      if (tf < max_tf) max_tf = tf;
    }
    ph->n_starts = 0;
    if (!ph->gate || ph->gate(ph->gate_ctx, cand, max_tf)) rc = match_positions(ph, err);
    if (rc) return rc;
    if (ph->n_starts > 0) {
      ph->base.docid = cand;
      return CDX_OK;
    }
    if (cand == CDX_Q_END - 1) {
      ph->base.docid = CDX_Q_END;
      return CDX_OK;
    }
    cand++;
  }
}

static int phrase_seek(cdx_q_it *it, uint32_t target, cdx_error *err) {
  it->started = true;
  return phrase_align((phrase_it *)it, target, err);
}

static void phrase_destroy(cdx_q_it *it) {
  phrase_it *ph = (phrase_it *)it;
  for (size_t i = 0; i < ph->n; i++) cdx_q_it_free(ph->kids[i]);
  free(ph->starts);
  free(ph);
}

static void phrase_describe(const cdx_q_it *it, int *rc, cdx_buf *b) {
  const phrase_it *ph = (const phrase_it *)it;
  cdx_buf_puts(rc, b, "PHRASE(");
  for (size_t i = 0; i < ph->n; i++) {
    if (i) cdx_buf_puts(rc, b, ", ");
    cdx_q_it_describe(ph->kids[i], rc, b);
    cdx_buf_printf(rc, b, "@%u", (unsigned)ph->rel[i]);
  }
  cdx_buf_putc(rc, b, ')');
  if (ph->w && ph->w->needs_verify && ph->verify) cdx_buf_puts(rc, b, "+verify");
}

/* The stored-text check, deferred until the enclosing AND has agreed on the
 * unit (so filters and rarer words have ruled out most candidates), and run
 * at most once per unit. */
static int phrase_confirm(cdx_q_it *it, bool *ok, cdx_error *err) {
  phrase_it *ph = (phrase_it *)it;
  *ok = true;
  if (!ph->verify || !ph->w || !ph->w->needs_verify || it->docid == CDX_Q_END) return CDX_OK;
  if (ph->has_confirmed && ph->confirmed_doc == it->docid) {
    *ok = ph->confirmed_ok;
    return CDX_OK;
  }
  int rc = ph->verify(ph->vctx, it->docid, ph->w, ok, err);
  if (rc) return rc;
  ph->has_confirmed = true;
  ph->confirmed_doc = it->docid;
  ph->confirmed_ok = *ok;
  return CDX_OK;
}

static uint32_t phrase_tf(cdx_q_it *it) {
  return it->docid == CDX_Q_END ? 0 : (uint32_t)((phrase_it *)it)->n_starts;
}

static int phrase_positions(cdx_q_it *it, const uint32_t **pos, size_t *n, cdx_error *err) {
  (void)err;
  *pos = ((phrase_it *)it)->starts;
  *n = phrase_tf(it);
  return CDX_OK;
}

static const cdx_q_it_vt phrase_vt = {.next = cdx_q_next_by_seek,
                                      .seek = phrase_seek,
                                      .destroy = phrase_destroy,
                                      .describe = phrase_describe,
                                      .confirm = phrase_confirm,
                                      .tf = phrase_tf,
                                      .positions = phrase_positions};

size_t cdx_q_phrase_kids(cdx_q_it *it, cdx_q_it *const **kids) {
  if (it->vt != &phrase_vt) return 0;
  *kids = ((phrase_it *)it)->kids;
  return ((phrase_it *)it)->n;
}

int cdx_q_phrase_at(cdx_q_it *it, uint32_t unit, bool *ok, cdx_error *err) {
  assert(it->vt == &phrase_vt);
  phrase_it *ph = (phrase_it *)it;
  for (size_t i = 0; i < ph->n; i++) assert(ph->kids[i]->docid == unit);
  it->started = true;
  it->docid = unit;
  int rc = match_positions(ph, err);
  *ok = rc == CDX_OK && ph->n_starts > 0;
  return rc;
}

bool cdx_q_phrase_gate(cdx_q_it *it, cdx_q_gate_fn fn, cdx_q_gate_block_fn block, void *ctx) {
  if (it->vt != &phrase_vt) return false;
  phrase_it *ph = (phrase_it *)it;
  ph->gate = fn;
  ph->gate_block = block;
  ph->gate_ctx = ctx;
  return true;
}

cdx_q_it *cdx_q_phrase_new(cdx_q_it **kids, const uint32_t *rel, size_t n, const cdx_q_word *w,
                           cdx_q_verify_fn verify, void *vctx) {
  phrase_it *ph = calloc(1, sizeof *ph + n * (2 * sizeof(cdx_q_it *) + sizeof(uint32_t)));
  if (!ph || n == 0) {
    free(ph);
    for (size_t i = 0; i < n; i++) cdx_q_it_free(kids[i]);
    return NULL;
  }
  ph->kids = (cdx_q_it **)(ph + 1);
  ph->order = ph->kids + n;
  ph->rel = (uint32_t *)(ph->order + n);
  uint64_t cost = UINT64_MAX;
  for (size_t i = 0; i < n; i++) {
    ph->kids[i] = ph->order[i] = kids[i];
    ph->rel[i] = rel[i];
    if (kids[i]->cost < cost) cost = kids[i]->cost;
  }
  for (size_t i = 1; i < n; i++)
    for (size_t j = i; j > 0 && ph->order[j - 1]->cost > ph->order[j]->cost; j--) {
      cdx_q_it *t = ph->order[j];
      ph->order[j] = ph->order[j - 1];
      ph->order[j - 1] = t;
    }
  ph->n = n;
  ph->w = w;
  ph->verify = verify;
  ph->vctx = vctx;
  ph->base = (cdx_q_it){&phrase_vt, 0, false, cost};
  return &ph->base;
}
