/* segment_write.c - buffers documents in memory and writes one immutable
 * segment file (layout: docs/FORMAT.md, "Segment file").
 *
 * Postings are buffered per term as varints (unit delta, tf, position
 * deltas) because that is ~3x smaller than arrays and keeps the memory
 * budget honest; they are re-cut into 128-id codec blocks at flush.
 */
#define _POSIX_C_SOURCE 200809L
#include <assert.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <limits.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>
#include "facts/figures.h"
#include "indexer/block_codec.h"
#include "indexer/ix_internal.h"
#include "indexer/store_deflate.h"

/* A term's bytes: touched when it is created and at flush. */
typedef struct term_ent {
  uint32_t off; /* in arena */
  uint32_t len;
  uint32_t hash;
} term_ent;

/* A term's postings so far and its occurrences in the current unit: touched
 * for every token and every posting, so kept apart from term_ent and
 * together (what the tokens of a unit bring into cache, the unit's postings
 * then find there). */
typedef struct term_occ {
  uint32_t mark;       /* current unit + 1 when the term occurs in it */
  uint32_t head, tail; /* its occurrences in the unit: a chain through `next` */
  uint32_t df;
  uint32_t last_unit;
  uint64_t total_tf;
  cdx_buf post; /* per unit: varint delta, varint tf, tf position varints */
} term_occ;

struct cdx_segb {
  cdx_analyzer *an;
  cdx_buf arena;
  term_ent *terms;
  term_occ *occ; /* parallel to terms */
  size_t n_terms, cap_terms;
  uint64_t *slots; /* terms over 7 bytes: hash << 32 | (term index + 1);
                           0 empty. The hash in the slot spares a cache miss
                           per probe */
  size_t n_slots, n_long;
  /* Terms of up to 7 bytes (bigrams, characters, most words and numbers:
   * nearly every token) are their own key: bytes | length << 56. A probe is
   * one multiply and one compare, with no byte hashing and no memcmp. */
  struct short_slot {
    uint64_t key;
    uint32_t id;
  } * sslots;
  size_t n_sslots, n_short;
  uint64_t *pairs;  /* current unit: (term << 32) | pos, in token order */
  uint32_t *next;   /* next occurrence of the same term, UINT32_MAX = none */
  uint32_t *uterms; /* distinct terms of the unit, first occurrence order */
  size_t n_pairs, cap_pairs, n_uterms;
  uint32_t unit_len;
  cdx_buf ucols, dcols, docs, docidx, store, storeidx, raw;
  cdx_segb_toks toks; /* cdx_segb_add's own analysis of a document */
  cdx_uvarb uv;       /* per-unit departments and figures, name table */
  cdx_facetb fc;      /* the facet ordinal columns, made at write */
  uint32_t raw_first_unit, raw_units;
  /* Small blocks read fast but compress badly alone; a preset dictionary
   * made of the segment's first records gives them the context back. Until
   * it is fixed, records wait in raw with their ends in rec_end. */
  bool dict_fixed;
  cdx_buf dict;
  uint32_t *rec_end;
  size_t n_rec, cap_rec;
  cdx_sdef *sd;  /* the blocks' deflate, made with the first block */
  bool threaded; /* cdx_segb_set_threaded */
  uint32_t n_units, n_docs;
  uint64_t n_postings, n_positions, text_bytes;
  size_t post_mem;
};

int cdx_segb_new(cdx_segb **out, cdx_error *err) {
  *out = NULL;
  cdx_segb *b = calloc(1, sizeof *b);
  if (!b) return cdx_err_set(err, CDX_NOMEM, CDX_NO_OFFSET, "out of memory");
  int rc = cdx_analyzer_new(CDX_ANALYZE_RUN_TAILS, &b->an, err);
  if (rc != CDX_OK) {
    free(b);
    return rc;
  }
  cdx_buf_init(&b->arena);
  cdx_buf_init(&b->ucols);
  cdx_buf_init(&b->dcols);
  cdx_buf_init(&b->docs);
  cdx_buf_init(&b->docidx);
  cdx_buf_init(&b->store);
  cdx_buf_init(&b->storeidx);
  cdx_buf_init(&b->raw);
  cdx_buf_init(&b->dict);
  cdx_segb_toks_init(&b->toks);
  cdx_uvarb_init(&b->uv);
  cdx_facetb_init(&b->fc);
  *out = b;
  return CDX_OK;
}

static void segb_clear(cdx_segb *b) {
  for (size_t i = 0; i < b->n_terms; i++) cdx_buf_free(&b->occ[i].post);
  free(b->terms);
  free(b->occ);
  b->occ = NULL;
  free(b->slots);
  free(b->sslots);
  b->sslots = NULL;
  b->n_sslots = b->n_short = b->n_long = 0;
  free(b->pairs);
  free(b->next);
  free(b->uterms);
  b->next = NULL;
  b->uterms = NULL;
  b->n_uterms = 0;
  b->terms = NULL;
  b->slots = NULL;
  b->pairs = NULL;
  b->n_terms = b->cap_terms = b->n_slots = b->n_pairs = b->cap_pairs = 0;
  cdx_buf_free(&b->arena);
  cdx_buf_free(&b->ucols);
  cdx_buf_free(&b->dcols);
  cdx_buf_free(&b->docs);
  cdx_buf_free(&b->docidx);
  cdx_buf_free(&b->store);
  cdx_buf_free(&b->storeidx);
  cdx_buf_free(&b->raw);
  cdx_segb_toks_free(&b->toks);
  cdx_uvarb_free(&b->uv);
  cdx_facetb_free(&b->fc);
  b->raw_first_unit = b->raw_units = 0;
  cdx_buf_free(&b->dict);
  free(b->rec_end);
  b->rec_end = NULL;
  b->n_rec = b->cap_rec = 0;
  b->dict_fixed = false;
  cdx_sdef_free(b->sd);
  b->sd = NULL;
  b->n_units = b->n_docs = 0;
  b->n_postings = b->n_positions = b->text_bytes = 0;
  b->post_mem = 0;
}

void cdx_segb_free(cdx_segb *b) {
  if (!b) return;
  segb_clear(b);
  cdx_analyzer_free(b->an);
  free(b);
}

uint32_t cdx_segb_docs(const cdx_segb *b) { return b->n_docs; }

size_t cdx_segb_memory(const cdx_segb *b) {
  return b->arena.cap + b->cap_terms * (sizeof(term_ent) + sizeof(term_occ)) + b->n_slots * 8 +
         b->n_sslots * sizeof *b->sslots + b->post_mem + b->ucols.cap + b->dcols.cap + b->docs.cap +
         b->docidx.cap + b->store.cap + b->storeidx.cap + b->raw.cap + b->dict.cap +
         b->cap_rec * 4 + b->cap_pairs * 16 + cdx_uvarb_memory(&b->uv);
}

void cdx_segb_set_threaded(cdx_segb *b) {
  assert(!b->sd);
  b->threaded = true;
}

/* Exactly cdx_segb_memory(b) >= limit as it would be with every block
 * placed, which the serial path has done at this point: memory decides
 * where segments end, and so the index bytes. Placed capacity is a lower
 * bound, cdx_sdef_cap_bound an upper one; only between them (near the
 * limit, a few documents a segment) does the builder wait for the
 * compressing thread. */
int cdx_segb_over(cdx_segb *b, size_t limit, bool *over, cdx_error *err) {
  int rc = b->sd ? cdx_sdef_place(b->sd, false, err) : CDX_OK;
  if (rc != CDX_OK) return rc;
  size_t m = cdx_segb_memory(b);
  if (m < limit && b->sd && cdx_sdef_pending(b->sd)) {
    size_t hi = m - b->store.cap - b->storeidx.cap + cdx_sdef_cap_bound(b->sd);
    if (hi >= limit) {
      rc = cdx_sdef_place(b->sd, true, err);
      if (rc != CDX_OK) return rc;
      m = cdx_segb_memory(b);
    }
  }
  *over = m >= limit;
  return CDX_OK;
}

static uint32_t hash32(const char *s, size_t n) {
  uint64_t h = cdx_ix_hash(s, n, CDX_IX_HASH_SEED);
  return (uint32_t)(h ^ (h >> 32));
}

static int grow_slots(cdx_segb *b) {
  size_t ns = b->n_slots ? b->n_slots * 2 : 1024;
  uint64_t *s = calloc(ns, sizeof *s);
  if (!s) return CDX_NOMEM;
  for (size_t i = 0; i < b->n_terms; i++) {
    if (b->terms[i].len <= 7) continue;
    size_t j = b->terms[i].hash & (ns - 1);
    while (s[j]) j = (j + 1) & (ns - 1);
    s[j] = (uint64_t)b->terms[i].hash << 32 | ((uint32_t)i + 1);
  }
  free(b->slots);
  b->slots = s;
  b->n_slots = ns;
  return CDX_OK;
}

static inline size_t short_home(uint64_t key, size_t n_slots) {
  return (size_t)((key * 0x9E3779B97F4A7C15ULL) >> 32) & (n_slots - 1);
}

static int grow_sslots(cdx_segb *b) {
  size_t ns = b->n_sslots ? b->n_sslots * 2 : 4096;
  struct short_slot *s = calloc(ns, sizeof *s);
  if (!s) return CDX_NOMEM;
  for (size_t i = 0; i < b->n_sslots; i++) {
    if (!b->sslots[i].key) continue;
    size_t j = short_home(b->sslots[i].key, ns);
    while (s[j].key) j = (j + 1) & (ns - 1);
    s[j] = b->sslots[i];
  }
  free(b->sslots);
  b->sslots = s;
  b->n_sslots = ns;
  return CDX_OK;
}

/* Appends a new term; its id, or -1 on out of memory. */
static int64_t new_term(cdx_segb *b, const char *t, size_t n, uint32_t hash) {
  if (b->n_terms == b->cap_terms) {
    size_t nc = b->cap_terms ? b->cap_terms * 2 : 4096;
    term_ent *nt = realloc(b->terms, nc * sizeof *nt);
    if (!nt) return -1;
    b->terms = nt;
    term_occ *no = realloc(b->occ, nc * sizeof *no);
    if (!no) return -1;
    b->occ = no;
    b->cap_terms = nc;
  }
  int rc = CDX_OK;
  term_ent *e = &b->terms[b->n_terms];
  memset(e, 0, sizeof *e);
  memset(&b->occ[b->n_terms], 0, sizeof *b->occ);
  e->off = (uint32_t)b->arena.len;
  e->len = (uint32_t)n;
  e->hash = hash;
  cdx_buf_init(&b->occ[b->n_terms].post);
  cdx_buf_append(&rc, &b->arena, t, n);
  if (rc != CDX_OK) return -1;
  return (int64_t)b->n_terms++;
}

static inline uint64_t load_le16(const char *s) {
  const uint8_t *p = (const uint8_t *)s;
  return (uint64_t)p[0] | (uint64_t)p[1] << 8;
}

static inline uint64_t load_le32(const char *s) {
  const uint8_t *p = (const uint8_t *)s;
  return (uint64_t)p[0] | (uint64_t)p[1] << 8 | (uint64_t)p[2] << 16 | (uint64_t)p[3] << 24;
}

/* The key of a term of 1..7 bytes: its bytes, little-endian, | n << 56 (n is
 * never 0, so no key is the empty slot's). Two overlapping loads cover any
 * length without copying: a variable-length memcpy was a library call and a
 * stalled reload of the copy on every token. */
static inline uint64_t short_key(const char *t, size_t n) {
  uint64_t k;
  if (n >= 4) k = load_le32(t) | load_le32(t + n - 4) << (8 * (n - 4));
  else if (n >= 2) k = load_le16(t) | load_le16(t + n - 2) << (8 * (n - 2));
  else k = (uint8_t)t[0];
  return k | (uint64_t)n << 56;
}

/* Id of the term of 1..7 bytes with this key, created when new; -1 on out of
 * memory. */
static int64_t short_id(cdx_segb *b, uint64_t key) {
  if ((b->n_short + 1) * 2 > b->n_sslots && grow_sslots(b) != CDX_OK) return -1;
  size_t j = short_home(key, b->n_sslots);
  while (b->sslots[j].key) {
    if (b->sslots[j].key == key) return b->sslots[j].id;
    j = (j + 1) & (b->n_sslots - 1);
  }
  size_t n = (size_t)(key >> 56);
  char t[8];
  for (size_t i = 0; i < n; i++) t[i] = (char)(key >> (8 * i));
  int64_t id = new_term(b, t, n, 0);
  if (id < 0) return -1;
  b->sslots[j] = (struct short_slot){key, (uint32_t)id};
  b->n_short++;
  return id;
}

/* Id of a term over 7 bytes, created when new; -1 on out of memory. */
static int64_t long_id(cdx_segb *b, const char *t, size_t n) {
  if ((b->n_long + 1) * 2 > b->n_slots && grow_slots(b) != CDX_OK) return -1;
  uint32_t h = hash32(t, n);
  size_t j = h & (b->n_slots - 1);
  while (b->slots[j]) {
    if ((uint32_t)(b->slots[j] >> 32) == h) {
      uint32_t id = (uint32_t)b->slots[j] - 1;
      term_ent *e = &b->terms[id];
      if (e->len == n && memcmp(b->arena.data + e->off, t, n) == 0) return id;
    }
    j = (j + 1) & (b->n_slots - 1);
  }
  int64_t id = new_term(b, t, n, h);
  if (id < 0) return -1;
  b->slots[j] = (uint64_t)h << 32 | ((uint32_t)id + 1);
  b->n_long++;
  return id;
}

typedef struct tok_ctx {
  cdx_segb_toks *t;
  int prefix;
  uint32_t base;
  uint32_t max_pos;
  uint32_t unit_len;
  bool count_len;
  bool oom;
} tok_ctx;

void cdx_segb_toks_init(cdx_segb_toks *t) {
  memset(t, 0, sizeof *t);
  cdx_buf_init(&t->lterms);
}

static void toks_reset(cdx_segb_toks *t) {
  for (size_t i = 0; i < t->n_units; i++) free(t->units[i].figures);
  t->n_units = 0;
  t->n = 0;
  t->rc = CDX_OK;
  cdx_buf_reset(&t->lterms);
}

void cdx_segb_toks_free(cdx_segb_toks *t) {
  toks_reset(t);
  free(t->keys);
  free(t->pos);
  free(t->units);
  cdx_buf_free(&t->lterms);
  cdx_segb_toks_init(t);
}

static int grow_toks(cdx_segb_toks *t) {
  size_t nc = t->cap ? t->cap * 2 : 1024;
  if (!cdx_realloc_n(&t->keys, nc, sizeof *t->keys) || !cdx_realloc_n(&t->pos, nc, sizeof *t->pos))
    return CDX_NOMEM;
  t->cap = nc;
  return CDX_OK;
}

static int grow_pairs(cdx_segb *b) {
  size_t nc = b->cap_pairs ? b->cap_pairs * 2 : 1024;
  if (!cdx_realloc_n(&b->pairs, nc, sizeof *b->pairs) ||
      !cdx_realloc_n(&b->next, nc, sizeof *b->next) ||
      !cdx_realloc_n(&b->uterms, nc, sizeof *b->uterms))
    return CDX_NOMEM;
  b->cap_pairs = nc;
  return CDX_OK;
}

/* A queued token over 7 bytes: this bit, its length << 32 and its offset in
 * b->lterms. A short key never has it (its top byte is the length, 1..7). */
#define LONG_KEY ((uint64_t)1 << 63)

/* Queues an occurrence of prefix+term at pos for resolve_unit: its key in
 * pairs, its position in next. The term lookups then run in a batch where
 * each slot is fetched ahead of use (a slot's address depends only on the
 * key), instead of one cache miss after another inside the analyzer. */
static int queue_token(cdx_segb_toks *q, int prefix, const char *t, size_t n, uint32_t pos) {
  if (q->n == q->cap && grow_toks(q) != CDX_OK) return CDX_NOMEM;
  uint64_t key;
  if (!prefix && n <= 7) {
    key = short_key(t, n);
  } else if (n + 1 <= 7) {
    char tmp[8];
    tmp[0] = (char)prefix;
    memcpy(tmp + 1, t, n);
    key = short_key(tmp, n + 1);
  } else {
    int rc = CDX_OK;
    key = LONG_KEY | (uint64_t)(n + (prefix != 0)) << 32 | q->lterms.len;
    if (prefix) cdx_buf_putc(&rc, &q->lterms, (char)prefix);
    cdx_buf_append(&rc, &q->lterms, t, n);
    if (rc != CDX_OK || q->lterms.len > UINT32_MAX) return CDX_NOMEM;
  }
  q->keys[q->n] = key;
  q->pos[q->n++] = pos;
  return CDX_OK;
}

/* Turns the queued tokens into (term << 32) | pos pairs, then chains each
 * term's occurrences (in token order, so term ids and the unit's term order
 * are what one lookup per token gave). Each step first asks for the cache
 * lines of a run of tokens, then uses them: the misses overlap instead of
 * queueing one behind the other. Runs are bounded so that what was fetched
 * is still in cache when used. */
static int resolve_unit(cdx_segb *b, const char *lterms) {
  enum { RUN = 64 };
  size_t n = b->n_pairs;
  for (size_t s = 0; s < n; s += RUN) {
    size_t e = s + RUN < n ? s + RUN : n;
    for (size_t i = s; i < e && b->n_sslots; i++)
      if (!(b->pairs[i] & LONG_KEY))
        __builtin_prefetch(&b->sslots[short_home(b->pairs[i], b->n_sslots)]);
    for (size_t i = s; i < e; i++) {
      uint64_t key = b->pairs[i];
      int64_t id = key & LONG_KEY ? long_id(b, lterms + (uint32_t)key, (size_t)(key >> 32 & 0xffff))
                                  : short_id(b, key);
      if (id < 0) return CDX_NOMEM;
      b->pairs[i] = (uint64_t)id << 32 | b->next[i];
    }
  }
  /* chaining occurrences per term groups them in O(1) each; a sort of the
   * unit's pairs cost a sixth of the indexing time */
  for (size_t s = 0; s < n; s += RUN) {
    size_t e = s + RUN < n ? s + RUN : n;
    for (size_t i = s; i < e; i++) {
      const char *o = (const char *)&b->occ[b->pairs[i] >> 32];
      __builtin_prefetch(o, 1);
      __builtin_prefetch(o + sizeof(term_occ) - 1, 1); /* emit_unit's end of the entry */
    }
    for (size_t i = s; i < e; i++) {
      uint32_t id = (uint32_t)(b->pairs[i] >> 32);
      b->next[i] = UINT32_MAX;
      term_occ *o = &b->occ[id];
      if (o->mark != b->n_units + 1) {
        o->mark = b->n_units + 1;
        o->head = o->tail = (uint32_t)i;
        b->uterms[b->n_uterms++] = id;
      } else {
        b->next[o->tail] = (uint32_t)i;
        o->tail = (uint32_t)i;
      }
    }
  }
  return CDX_OK;
}

static int on_token(void *vctx, const cdx_token *t) {
  tok_ctx *c = vctx;
  if (t->term_len == 0 || t->term_len > CDX_IX_MAX_TERM - 1) return 0;
  uint32_t pos = c->base + t->pos;
  if (queue_token(c->t, c->prefix, t->term, t->term_len, pos) != CDX_OK) {
    c->oom = true;
    return 1;
  }
  if (pos > c->max_pos) c->max_pos = pos;
  if (c->count_len && t->type != CDX_TOKEN_CJK_UNIGRAM) c->unit_len++;
  return 0;
}

static int analyze(cdx_analyzer *an, cdx_segb_toks *q, int prefix, uint32_t base, const char *s,
                   size_t n, bool count_len, uint32_t *unit_len, cdx_error *err) {
  tok_ctx c = {q, prefix, base, base, 0, count_len, false};
  int rc = cdx_analyzer_run(an, s, n, on_token, &c, err);
  if (rc == CDX_OK && c.oom) rc = cdx_err_set(err, CDX_NOMEM, CDX_NO_OFFSET, "out of memory");
  if (unit_len) *unit_len = c.unit_len;
  return rc;
}

/* Appends a varint without a function call per byte (the hot path). */
static inline void put_varint(int *rc, cdx_buf *o, uint64_t v) {
  if (*rc != CDX_OK) return;
  if (o->cap - o->len < 11 && (*rc = cdx_buf_reserve(o, 11)) != CDX_OK) return;
  uint8_t *p = (uint8_t *)o->data + o->len;
  while (v >= 0x80) {
    *p++ = (uint8_t)(v | 0x80);
    v >>= 7;
  }
  *p++ = (uint8_t)v;
  o->len = (size_t)(p - (uint8_t *)o->data);
}

/* Moves the current unit's occurrences into the term postings. */
static int emit_unit(cdx_segb *b, uint32_t unit) {
  int rc = CDX_OK;
  size_t n = b->n_uterms;
  /* the terms' entries are in cache (resolve_unit chained the tokens
   * through them), the ends of their posting buffers are scattered, a miss
   * each: ask for all of them before writing any, so the misses overlap
   * instead of queueing */
  for (size_t t = 0; t < n; t++) {
    const term_occ *f = &b->occ[b->uterms[t]];
    if (f->post.data) __builtin_prefetch(f->post.data + f->post.len, 1);
  }
  for (size_t t = 0; t < n && rc == CDX_OK; t++) {
    term_occ *e = &b->occ[b->uterms[t]];
    /* equal positions can come from two field strings; keep one */
    uint32_t tf = 0, prev = 0;
    for (uint32_t k = e->head; k != UINT32_MAX; k = b->next[k]) {
      uint32_t p = (uint32_t)b->pairs[k];
      if (tf == 0 || p != prev) tf++;
      prev = p;
    }
    size_t before = e->post.cap;
    put_varint(&rc, &e->post, e->df ? unit - e->last_unit : unit);
    put_varint(&rc, &e->post, tf);
    prev = 0;
    bool first = true;
    for (uint32_t k = e->head; k != UINT32_MAX; k = b->next[k]) {
      uint32_t p = (uint32_t)b->pairs[k];
      if (!first && p == prev) continue;
      put_varint(&rc, &e->post, p - prev);
      prev = p;
      first = false;
    }
    b->post_mem += e->post.cap - before;
    e->df++;
    e->last_unit = unit;
    e->total_tf += tf;
    b->n_postings++;
    b->n_positions += tf;
  }
  b->n_pairs = 0;
  b->n_uterms = 0;
  return rc;
}

/* The unit text of a record (docs/FORMAT.md, STORE) as UTF-16LE, which
 * deflates smaller and faster than UTF-8. The analyzer has already refused
 * text that is not UTF-8, so CDX_ENCODING here is a caller's bug. */
static void put_stored_text(int *rc, cdx_buf *o, const char *text, size_t len) {
  if (*rc != CDX_OK) return;
  if ((*rc = cdx_buf_reserve(o, 2 * len + 24)) != CDX_OK) return;
  size_t at = o->len;
  put_varint(rc, o, len);
  /* the unit count goes before the units; its varint is at most 10 bytes,
   * so transcode past that room and move the units down once it is known */
  size_t units = o->len + 10;
  size_t n16 = cdx_utf8_to_utf16le(text, len, (uint8_t *)o->data + units);
  if (n16 == SIZE_MAX) {
    o->len = at;
    *rc = CDX_ENCODING;
    return;
  }
  put_varint(rc, o, n16);
  memmove(o->data + o->len, o->data + units, 2 * n16);
  o->len += 2 * n16;
}

static void put_opt_str(int *rc, cdx_buf *o, const char *s) {
  cdx_buf_putc(rc, o, s ? 1 : 0);
  if (s) cdx_buf_append(rc, o, s, strlen(s) + 1);
}

/* Records [data, data + len) holding units first.. as one block
 * (store_deflate.c: on a thread of its own when the builder is threaded). */
static int compress_block(cdx_segb *b, const char *data, size_t len, uint32_t first_unit,
                          cdx_error *err) {
  if (!b->sd) {
    if (!(b->sd = cdx_sdef_new(&b->store, &b->storeidx, b->threaded)))
      return cdx_err_set(err, CDX_NOMEM, CDX_NO_OFFSET, "out of memory");
    cdx_sdef_set_dict(b->sd, b->dict.data, b->dict.len);
  }
  return cdx_sdef_block(b->sd, data, len, first_unit, err);
}

/* Takes the first records (up to CDX_STORE_DICT_BYTES) as the dictionary,
 * writes it compressed at the start of STORE (the first block's offset is
 * its length), then cuts the waiting records into blocks. */
static int fix_dictionary(cdx_segb *b, cdx_error *err) {
  b->dict_fixed = true;
  size_t dlen = b->raw.len < CDX_STORE_DICT_BYTES ? b->raw.len : CDX_STORE_DICT_BYTES;
  int rc = CDX_OK;
  cdx_buf_reset(&b->dict);
  cdx_buf_append(&rc, &b->dict, b->raw.data, dlen);
  if (rc == CDX_OK && dlen) {
    uLongf clen = compressBound((uLong)dlen);
    rc = cdx_buf_reserve(&b->store, clen);
    /* level 0: stored, not deflated. Every search that shows text inflates
     * this first, once per segment; 32 KiB stored cost ~20 KiB of disk and
     * save the process a 32 KiB inflate (~3% of a rare-word top-10) */
    if (rc == CDX_OK && compress2((Bytef *)b->store.data + b->store.len, &clen,
                                  (const Bytef *)b->dict.data, (uLong)dlen, 0) != Z_OK)
      rc = CDX_NOMEM;
    if (rc == CDX_OK) b->store.len += clen;
  }
  if (rc != CDX_OK) return cdx_err_set(err, rc, CDX_NO_OFFSET, "out of memory");
  size_t start = 0;
  uint32_t unit = b->raw_first_unit, first = unit;
  for (size_t i = 0; i < b->n_rec && rc == CDX_OK; i++) {
    unit++;
    size_t end = b->rec_end[i];
    if (end - start >= CDX_STORE_BLOCK_BYTES || i + 1 == b->n_rec) {
      rc = compress_block(b, b->raw.data + start, end - start, first, err);
      start = end;
      first = unit;
    }
  }
  cdx_buf_reset(&b->raw);
  b->raw_units = 0;
  b->raw_first_unit = b->n_units;
  b->n_rec = 0;
  return rc;
}

static int flush_store_block(cdx_segb *b, cdx_error *err) {
  if (!b->dict_fixed) return fix_dictionary(b, err);
  if (b->raw_units == 0) return CDX_OK;
  int rc = compress_block(b, b->raw.data, b->raw.len, b->raw_first_unit, err);
  cdx_buf_reset(&b->raw);
  b->raw_units = 0;
  b->raw_first_unit = b->n_units;
  return rc;
}

/* After each record: blocks go out at CDX_STORE_BLOCK_BYTES once the
 * dictionary is fixed; before, records wait until there is a dictionary's
 * worth of them. */
static int store_record_done(cdx_segb *b, cdx_error *err) {
  if (b->dict_fixed)
    return b->raw.len >= CDX_STORE_BLOCK_BYTES ? flush_store_block(b, err) : CDX_OK;
  if (CDX_GROW(b->rec_end, b->cap_rec, b->n_rec + 1, 64) != CDX_OK)
    return cdx_err_set(err, CDX_NOMEM, CDX_NO_OFFSET, "out of memory");
  b->rec_end[b->n_rec++] = (uint32_t)b->raw.len;
  return b->raw.len >= CDX_STORE_DICT_BYTES ? fix_dictionary(b, err) : CDX_OK;
}

static int oom(cdx_error *err) {
  return cdx_err_set(err, CDX_NOMEM, CDX_NO_OFFSET, "out of memory");
}

int cdx_segb_tokenize(cdx_analyzer *an, const cdx_ix_doc_in *d, cdx_segb_toks *t, cdx_error *err) {
  toks_reset(t);
  int rc = CDX_OK;
  char *docnum = NULL;
  size_t docnum_len = 0;
  if (d->doc_number && *d->doc_number) {
    rc = cdx_ix_doc_number_term(d->doc_number, strlen(d->doc_number), &docnum, &docnum_len, err);
    if (rc == CDX_INVALID) rc = CDX_OK; /* nothing left to index: no term */
    if (rc != CDX_OK) return t->rc = rc;
  }
  if (d->n_units > t->cap_units) {
    struct cdx_segb_tunit *nu = realloc(t->units, d->n_units * sizeof *nu);
    if (!nu) {
      free(docnum);
      return t->rc = oom(err);
    }
    t->units = nu;
    t->cap_units = d->n_units;
  }
  for (size_t i = 0; i < d->n_units && rc == CDX_OK; i++) {
    const cdx_ix_unit_in *u = &d->units[i];
    struct cdx_segb_tunit *tu = &t->units[t->n_units++];
    memset(tu, 0, sizeof *tu);
    rc = analyze(an, t, 0, 0, u->text, u->text_len, true, &tu->unit_len, err);
    /* whole canonical names, one term per role (dept:, lead:, chapter_lead:);
     * since version 6 they replace the 0x01 terms of department words */
    for (size_t k = 0; k < u->n_depts && rc == CDX_OK; k++) {
      static const struct {
        unsigned role;
        int field;
      } role_terms[] = {{CDX_ROLE_LISTED, CDX_IX_FIELD_DEPT_LISTED},
                        {CDX_ROLE_LEAD, CDX_IX_FIELD_DEPT_LEAD},
                        {CDX_ROLE_CHAPTER_LEAD, CDX_IX_FIELD_DEPT_CHAPTER_LEAD}};
      size_t cl = strlen(u->depts[k].canonical);
      for (size_t r = 0; r < 3 && rc == CDX_OK; r++)
        if ((u->depts[k].roles & role_terms[r].role) && cl + 1 <= CDX_IX_MAX_TERM - 1 &&
            queue_token(t, role_terms[r].field, u->depts[k].canonical, cl, 0) != CDX_OK)
          rc = oom(err);
    }
    if (rc == CDX_OK && docnum && docnum_len <= CDX_IX_MAX_TERM &&
        queue_token(t, 0, docnum, docnum_len, 0) != CDX_OK)
      rc = oom(err);
    tu->end = t->n;
    /* the figures are the builder's other pure work; an extractor error is
     * kept for the builder to report where it would have met it */
    if (rc == CDX_OK && u->text_len && !u->figures) {
      tu->figures_rc =
          cdx_figures_extract(u->text, u->text_len, &tu->figures, &tu->n_figures, &tu->figures_err);
      if (tu->figures_rc == CDX_NOMEM) rc = oom(err);
      /* the builder stops at this unit's error: nothing after it is needed */
      if (tu->figures_rc != CDX_OK) break;
    }
  }
  free(docnum);
  return t->rc = rc;
}

int cdx_segb_add(cdx_segb *b, const cdx_ix_doc_in *d, cdx_error *err) {
  int rc = cdx_segb_tokenize(b->an, d, &b->toks, err);
  if (rc != CDX_OK) return rc;
  return cdx_segb_add_tokens(b, d, &b->toks, err);
}

int cdx_segb_add_tokens(cdx_segb *b, const cdx_ix_doc_in *d, const cdx_segb_toks *t,
                        cdx_error *err) {
  assert(t->rc == CDX_OK && t->n_units <= d->n_units);
  if (b->n_units + d->n_units >= CDX_IX_END - 1 || b->n_docs >= CDX_IX_END - 1)
    return cdx_err_set(err, CDX_LIMIT, CDX_NO_OFFSET, "%s: segment unit limit reached", d->id);
  int rc = CDX_OK;
  uint32_t doc = b->n_docs, first_unit = b->n_units;
  size_t start = 0;
  for (size_t i = 0; i < d->n_units && rc == CDX_OK; i++) {
    assert(i < t->n_units); /* analysis stops only after a unit that fails here */
    const struct cdx_segb_tunit *tu = &t->units[i];
    cdx_ix_unit_in uu = d->units[i];
    const cdx_ix_unit_in *u = &uu;
    if (!uu.figures && uu.text_len) {
      static const cdx_figure no_figures[1]; /* extracted, none found */
      uu.figures = tu->figures ? tu->figures : no_figures;
      uu.n_figures = tu->n_figures;
      uu.figures_rc = tu->figures_rc;
      uu.figures_err = &tu->figures_err;
    }
    uint32_t unit = b->n_units;
    size_t nt = tu->end - start;
    while (b->cap_pairs < nt)
      if (grow_pairs(b) != CDX_OK) return oom(err);
    memcpy(b->pairs, t->keys + start, nt * sizeof *b->pairs);
    memcpy(b->next, t->pos + start, nt * sizeof *b->next);
    b->n_pairs = nt;
    b->n_uterms = 0;
    b->unit_len = tu->unit_len;
    start = tu->end;
    rc = cdx_uvarb_add(&b->uv, u, err);
    if (rc == CDX_OK && resolve_unit(b, t->lterms.data) != CDX_OK) rc = oom(err);
    if (rc == CDX_OK) rc = emit_unit(b, unit);
    if (rc != CDX_OK) break;
    cdx_ucol uc;
    uint8_t urow[CDX_UCOL_BYTES];
    cdx_ucol_from_unit(&uc, u, doc, b->unit_len);
    assert(cdx_ucol_in_range(&uc)); /* a row the reader refuses is never written */
    cdx_ucol_encode(urow, &uc);
    cdx_buf_append(&rc, &b->ucols, urow, sizeof urow);
    if (b->raw_units == 0) b->raw_first_unit = unit;
    cdx_buf_put_varint(&rc, &b->raw, u->offset);
    put_stored_text(&rc, &b->raw, u->text, u->text_len);
    put_opt_str(&rc, &b->raw, u->number);
    put_opt_str(&rc, &b->raw, u->heading);
    put_opt_str(&rc, &b->raw, u->lead_department);
    cdx_buf_put_varint(&rc, &b->raw, u->n_responsible);
    for (size_t k = 0; k < u->n_responsible; k++)
      cdx_buf_append(&rc, &b->raw, u->responsible[k], strlen(u->responsible[k]) + 1);
    b->raw_units++;
    b->n_units++;
    b->text_bytes += u->text_len;
    if (rc == CDX_ENCODING)
      rc = cdx_err_set(err, rc, CDX_NO_OFFSET, "%s: unit %zu is not UTF-8", d->id, i);
    else if (rc != CDX_OK) rc = cdx_err_set(err, rc, CDX_NO_OFFSET, "out of memory");
    if (rc == CDX_OK) rc = store_record_done(b, err);
  }
  if (rc != CDX_OK) return rc; /* the builder is now inconsistent: caller discards it */
  cdx_dcol dc;
  uint8_t drow[CDX_DCOL_BYTES];
  cdx_dcol_from_doc(&dc, d, first_unit);
  assert(cdx_dcol_in_range(&dc) && dc.first_unit + dc.n_units == b->n_units);
  cdx_dcol_encode(drow, &dc);
  cdx_buf_append(&rc, &b->dcols, drow, sizeof drow);
  cdx_buf_put_u32le(&rc, &b->docidx, (uint32_t)b->docs.len);
  cdx_buf_put_u64le(&rc, &b->docs, d->hash);
  /* a title is never NULL in a record (cdx_ix_doc_fields) */
  cdx_ix_doc_in rec = *d;
  if (!rec.title) rec.title = "";
#define PUT_STRING_(name) put_opt_str(&rc, &b->docs, rec.name);
  CDX_DOC_STRING_LIST(PUT_STRING_)
#undef PUT_STRING_
  if (rc != CDX_OK) return cdx_err_set(err, rc, CDX_NO_OFFSET, "out of memory");
  if (b->docs.len > UINT32_MAX / 2)
    return cdx_err_set(err, CDX_LIMIT, CDX_NO_OFFSET, "segment document table too large");
  b->n_docs++;
  return CDX_OK;
}

/* ---- flush ---- */

static _Thread_local const cdx_segb *g_sort_b; /* qsort has no context argument in C11 */
static int cmp_terms(const void *x, const void *y) {
  const term_ent *a = &g_sort_b->terms[*(const uint32_t *)x];
  const term_ent *b = &g_sort_b->terms[*(const uint32_t *)y];
  size_t n = a->len < b->len ? a->len : b->len;
  int c = memcmp(g_sort_b->arena.data + a->off, g_sort_b->arena.data + b->off, n);
  if (c) return c;
  return a->len < b->len ? -1 : a->len > b->len;
}

typedef struct out_file {
  int fd;
  uLong crc;
  uint64_t off;
  const char *path;
  cdx_error *err;
  int rc;
} out_file;

static void out_write(out_file *o, const void *p, size_t n) {
  if (o->rc != CDX_OK || n == 0) return;
  const uint8_t *s = p;
  size_t left = n;
  while (left) {
    size_t chunk = left > (1u << 30) ? (1u << 30) : left;
    ssize_t w = write(o->fd, s, chunk);
    if (w <= 0) {
      o->rc = cdx_err_set(o->err, CDX_IO, CDX_NO_OFFSET, "write %s: %s", o->path, strerror(errno));
      return;
    }
    o->crc = crc32(o->crc, s, (uInt)w);
    s += w;
    left -= (size_t)w;
  }
  o->off += n;
}

/* Most buffered varints (gaps, tfs, unit deltas) are one byte: those are
 * read inline, the rest by the general decoder. */
static inline bool get_varint(const uint8_t **p, const uint8_t *end, uint64_t *v) {
  if (*p < end && **p < 0x80) {
    *v = *(*p)++;
    return true;
  }
  return cdx_get_varint(p, end, v);
}

/* One thread's share of the flush: the postings and positions of a run of
 * terms (in dictionary order) and its scratch. */
typedef struct term_out {
  cdx_buf post, pos, skips, blocks;
  uint32_t ids[CDX_BLOCK_LEN], tfs[CDX_BLOCK_LEN];
  uint32_t *gaps; /* one block's position gaps */
  size_t cap_gaps;
} term_out;

static void term_out_init(term_out *t) {
  memset(t, 0, sizeof *t);
  cdx_buf_init(&t->post);
  cdx_buf_init(&t->pos);
  cdx_buf_init(&t->skips);
  cdx_buf_init(&t->blocks);
}

static void term_out_free(term_out *t) {
  cdx_buf_free(&t->post);
  cdx_buf_free(&t->pos);
  cdx_buf_free(&t->skips);
  cdx_buf_free(&t->blocks);
  free(t->gaps);
  term_out_init(t);
}

static int grow_gaps(term_out *t, size_t need) {
  size_t nc = t->cap_gaps ? t->cap_gaps : 1024;
  while (nc < need) nc *= 2;
  uint32_t *ng = realloc(t->gaps, nc * sizeof *ng);
  if (!ng) return CDX_NOMEM;
  t->gaps = ng;
  t->cap_gaps = nc;
  return CDX_OK;
}

/* The block's score bound length (version 7): the largest L such that
 * BM25(max_tf, L) >= BM25(tf, len) for every unit of the block, i.e. the
 * smallest len * max_tf / tf, rounded down. BM25 depends on tf and len only
 * through len / tf and tf, and grows with tf, so the query side's bound
 * BM25(max_tf, bound_len) holds for any average length. tfs[] hold tf - 1. */
static uint32_t bound_len(const cdx_segb *b, const uint32_t *ids, const uint32_t *tfs, uint32_t n,
                          uint32_t max_tf) {
  uint64_t best = UINT32_MAX;
  for (uint32_t i = 0; i < n; i++) {
    assert((size_t)(ids[i] + 1) * CDX_UCOL_BYTES <= b->ucols.len);
    const uint8_t *row = (const uint8_t *)b->ucols.data + (size_t)ids[i] * CDX_UCOL_BYTES;
    uint64_t len = CDX_UCOL_GET(row, length);
    uint64_t l = len * max_tf / ((uint64_t)tfs[i] + 1);
    if (l < best) best = l;
  }
  return (uint32_t)best;
}

/* Cuts one term's buffered postings into blocks. */
static int write_term(const cdx_segb *b, term_occ *e, term_out *to) {
  cdx_buf *post = &to->post, *pos = &to->pos, *skips = &to->skips, *blocks = &to->blocks;
  uint32_t *ids = to->ids, *tfs = to->tfs;
  int rc = CDX_OK;
  const uint8_t *p = (const uint8_t *)e->post.data, *end = p + e->post.len;
  uint32_t unit = 0;
  uint32_t nblocks = (e->df + CDX_BLOCK_LEN - 1) / CDX_BLOCK_LEN;
  uint64_t pos_start = pos->len;
  uint32_t base = 0;
  cdx_buf_reset(skips);
  cdx_buf_reset(blocks);
  uint8_t enc[CDX_BLOCK_MAX_BYTES];
  for (uint32_t blk = 0; blk < nblocks && rc == CDX_OK; blk++) {
    uint32_t n = e->df - blk * CDX_BLOCK_LEN;
    if (n > CDX_BLOCK_LEN) n = CDX_BLOCK_LEN;
    uint64_t pos_off = pos->len - pos_start;
    uint32_t max_tf = 0;
    size_t n_gaps = 0;
    for (uint32_t i = 0; i < n; i++) {
      uint64_t d, tf, pd;
      if (!get_varint(&p, end, &d) || !get_varint(&p, end, &tf)) return CDX_INVALID;
      unit = (blk == 0 && i == 0) ? (uint32_t)d : unit + (uint32_t)d;
      ids[i] = unit;
      tfs[i] = (uint32_t)tf - 1;
      if (tf > max_tf) max_tf = (uint32_t)tf;
      /* each position is at least a byte: room for them is made once */
      if (tf > (uint64_t)(end - p)) return CDX_INVALID;
      if (tf > to->cap_gaps - n_gaps && grow_gaps(to, n_gaps + tf) != CDX_OK) return CDX_NOMEM;
      uint32_t *g = to->gaps + n_gaps;
      for (uint64_t k = 0; k < tf; k++) {
        if (!get_varint(&p, end, &pd)) return CDX_INVALID;
        g[k] = (uint32_t)pd;
      }
      n_gaps += tf;
    }
    /* the block's position gaps (each unit's first position absolute) are
     * bit-packed 128 at a time with the same codec: ~40% smaller than varints */
    for (size_t k = 0; k < n_gaps; k += CDX_BLOCK_LEN) {
      size_t m = n_gaps - k < CDX_BLOCK_LEN ? n_gaps - k : CDX_BLOCK_LEN;
      size_t w = cdx_block_encode_u32(to->gaps + k, m, enc);
      if (!w) return CDX_INVALID;
      cdx_buf_append(&rc, pos, enc, w);
    }
    uint64_t boff = blocks->len;
    size_t w = cdx_block_encode_ids(ids, n, base, enc);
    if (!w) return CDX_INVALID;
    cdx_buf_append(&rc, blocks, enc, w);
    w = cdx_block_encode_u32(tfs, n, enc);
    if (!w) return CDX_INVALID;
    cdx_buf_append(&rc, blocks, enc, w);
    base = ids[n - 1] + 1;
    if (boff > UINT32_MAX || pos_off > UINT32_MAX) return CDX_LIMIT;
    cdx_buf_put_u32le(&rc, skips, ids[n - 1]);
    cdx_buf_put_u32le(&rc, skips, (uint32_t)boff);
    cdx_buf_put_u32le(&rc, skips, (uint32_t)pos_off);
    cdx_buf_put_u32le(&rc, skips, max_tf);
    cdx_buf_put_u32le(&rc, skips, bound_len(b, ids, tfs, n, max_tf));
  }
  /* a single block needs no skip entry: its last id and max tf come from
   * decoding it, and most terms are that rare */
  if (nblocks > 1) cdx_buf_append(&rc, post, skips->data, skips->len);
  cdx_buf_append(&rc, post, blocks->data, blocks->len);
  return rc;
}

/* The terms order[from, to) written by a thread of their own into their own
 * buffers, each term's offsets in them kept for the dictionary (which the
 * builder's thread writes in order once the run is done). */
typedef struct term_run {
  cdx_segb *b;
  const uint32_t *order;
  size_t from, to;
  uint64_t *offs; /* per term of the run: post offset, pos offset */
  term_out out;
  int rc;
  pthread_t tid;
} term_run;

static void *write_run(void *arg) {
  term_run *r = arg;
  for (size_t k = r->from; k < r->to && r->rc == CDX_OK; k++) {
    term_occ *o = &r->b->occ[r->order[k]];
    r->offs[2 * (k - r->from)] = r->out.post.len;
    r->offs[2 * (k - r->from) + 1] = r->out.pos.len;
    r->rc = write_term(r->b, o, &r->out);
    cdx_buf_free(&o->post);
  }
  return NULL;
}

/* Where a threaded builder's flush hands the rest of the terms to a second
 * thread: half the buffered postings, by bytes (the work is per byte). Small
 * segments are not worth a thread. */
static size_t split_terms(const cdx_segb *b, const uint32_t *order) {
  if (!b->threaded) return b->n_terms;
  uint64_t total = 0, acc = 0;
  for (size_t k = 0; k < b->n_terms; k++) total += b->occ[k].post.len;
  if (total < (1u << 12)) return b->n_terms;
  size_t k = 0;
  while (k < b->n_terms && acc < total / 2) acc += b->occ[order[k++]].post.len;
  return k;
}

int cdx_segb_write(cdx_segb *b, const cdx_dir *dir, uint32_t seg_no, cdx_seg_info *info,
                   cdx_error *err) {
  int rc = flush_store_block(b, err);
  if (rc == CDX_OK && b->sd) rc = cdx_sdef_place(b->sd, true, err);
  if (rc != CDX_OK) return rc;
  uint32_t *order = malloc((b->n_terms ? b->n_terms : 1) * sizeof *order);
  cdx_buf dict, dictidx;
  cdx_buf_init(&dict);
  cdx_buf_init(&dictidx);
  term_out mine;
  term_out_init(&mine);
  term_run run = {.b = b, .order = order, .rc = CDX_OK};
  term_out_init(&run.out);
  bool started = false;
  size_t split = b->n_terms;
  if (!order) rc = CDX_NOMEM;
  if (rc == CDX_OK) {
    for (size_t i = 0; i < b->n_terms; i++) order[i] = (uint32_t)i;
    g_sort_b = b;
    qsort(order, b->n_terms, sizeof *order, cmp_terms);
    g_sort_b = NULL;
    split = split_terms(b, order);
    if (split < b->n_terms && (run.offs = malloc(2 * (b->n_terms - split) * sizeof *run.offs))) {
      run.from = split;
      run.to = b->n_terms;
      started = pthread_create(&run.tid, NULL, write_run, &run) == 0;
    }
    if (!started) split = b->n_terms; /* no thread to be had: all of them here */
  }
  const char *prev = NULL;
  size_t prev_len = 0;
  for (size_t k = 0; k < b->n_terms && rc == CDX_OK; k++) {
    term_ent *e = &b->terms[order[k]];
    term_occ *o = &b->occ[order[k]];
    const char *t = b->arena.data + e->off;
    if (k % CDX_DICT_BLOCK_TERMS == 0) {
      if (dict.len > UINT32_MAX) {
        rc = CDX_LIMIT;
        break;
      }
      cdx_buf_put_u32le(&rc, &dictidx, (uint32_t)dict.len);
      size_t left = b->n_terms - k;
      cdx_buf_put_varint(&rc, &dict, left < CDX_DICT_BLOCK_TERMS ? left : CDX_DICT_BLOCK_TERMS);
      prev = NULL;
      prev_len = 0;
    }
    size_t shared = 0;
    while (prev && shared < prev_len && shared < e->len && prev[shared] == t[shared]) shared++;
    uint64_t post_off, pos_off;
    int wr = CDX_OK;
    if (k < split) {
      post_off = mine.post.len;
      pos_off = mine.pos.len;
      wr = write_term(b, o, &mine);
      /* the buffered postings are no longer needed: give the memory back */
      cdx_buf_free(&o->post);
    } else {
      if (k == split) { /* the run's terms follow this thread's in the regions */
        pthread_join(run.tid, NULL);
        started = false;
        wr = run.rc;
      }
      post_off = mine.post.len + run.offs[2 * (k - split)];
      pos_off = mine.pos.len + run.offs[2 * (k - split) + 1];
    }
    /* the builder wrote these postings itself: not decoding is a bug here */
    assert(wr != CDX_INVALID);
    if (wr == CDX_INVALID) {
      rc = cdx_err_set(err, CDX_INVALID, CDX_NO_OFFSET,
                       "internal error: the buffered postings of term '%.*s' do not decode",
                       (int)e->len, t);
      break;
    }
    if (wr != CDX_OK) {
      rc = wr;
      break;
    }
    cdx_buf_put_varint(&rc, &dict, shared);
    cdx_buf_put_varint(&rc, &dict, e->len - shared);
    cdx_buf_append(&rc, &dict, t + shared, e->len - shared);
    cdx_buf_put_varint(&rc, &dict, o->df);
    cdx_buf_put_varint(&rc, &dict, post_off);
    cdx_buf_put_varint(&rc, &dict, pos_off);
    cdx_buf_put_varint(&rc, &dict, o->total_tf);
    prev = t;
    prev_len = e->len;
  }
  if (started) pthread_join(run.tid, NULL); /* stopped before its terms */
  if (rc == CDX_OK) rc = cdx_uvarb_dept_column(&b->uv, b->n_units);
  if (rc == CDX_OK)
    rc = cdx_facetb_build(&b->fc, &b->uv, &b->ucols, &b->dcols, b->n_units, b->n_docs);
  char name[64];
  cdx_seg_file_name(name, sizeof name, seg_no);
  char shown[PATH_MAX];
  char *path = strdup(cdx_dir_name(dir, name, shown, sizeof shown));
  if (!path) rc = CDX_NOMEM;
  if (rc != CDX_OK) {
    free(path);
    path = NULL;
    if (rc == CDX_NOMEM) rc = cdx_err_set(err, rc, CDX_NO_OFFSET, "out of memory");
    else if (rc == CDX_LIMIT)
      rc = cdx_err_set(err, rc, CDX_NO_OFFSET, "segment %s too large", name);
    /* else err already names the failure */
    goto out;
  }
  out_file o = {-1, crc32(0L, Z_NULL, 0), 0, path, err, CDX_OK};
  /* a segment's name is new in every commit: an existing file there is
   * planted (or a link to outside the index) and is never written through */
  o.fd = cdx_dir_create(dir, name, err);
  if (o.fd < 0) {
    rc = -o.fd;
    goto out;
  }
  const cdx_buf *regions[CDX_R_COUNT] = {
      &dict,          &dictidx,        &mine.post,     &mine.pos,      &b->ucols,
      &b->dcols,      &b->store,       &b->storeidx,   &b->docs,       &b->docidx,
      &b->uv.uvars,   &b->uv.uvaridx,  &b->uv.names,   &b->uv.nameidx, &b->uv.deptnames,
      &b->uv.deptlen, &b->uv.deptbase, &b->uv.deptcol, &b->fc.setidx,  &b->fc.sets,
      &b->fc.setord,  &b->fc.docvals,  &b->fc.docord};
  /* the second thread's postings and positions follow this one's */
  const cdx_buf *tails[CDX_R_COUNT] = {[CDX_R_POST] = &run.out.post, [CDX_R_POS] = &run.out.pos};
  uint64_t offs[CDX_R_COUNT];
  out_write(&o, CDX_SEG_MAGIC, 8);
  for (int r = 0; r < CDX_R_COUNT; r++) {
    offs[r] = o.off;
    out_write(&o, regions[r]->data, regions[r]->len);
    if (tails[r]) out_write(&o, tails[r]->data, tails[r]->len);
  }
  cdx_buf tr;
  cdx_buf_init(&tr);
  int brc = CDX_OK;
  for (int r = 0; r < CDX_R_COUNT; r++) {
    cdx_buf_put_u64le(&brc, &tr, offs[r]);
    cdx_buf_put_u64le(&brc, &tr, regions[r]->len + (tails[r] ? tails[r]->len : 0));
  }
  uint32_t n_blocks_store = (uint32_t)(b->storeidx.len / CDX_STORE_IDX_BYTES);
  cdx_buf_put_u32le(&brc, &tr, b->n_units);
  cdx_buf_put_u32le(&brc, &tr, b->n_docs);
  cdx_buf_put_u32le(&brc, &tr, (uint32_t)b->n_terms);
  cdx_buf_put_u32le(&brc, &tr, n_blocks_store);
  cdx_buf_put_u64le(&brc, &tr, b->n_postings);
  cdx_buf_put_u64le(&brc, &tr, b->n_positions);
  cdx_buf_put_u64le(&brc, &tr, b->text_bytes);
  /* version 7's totals: what a reader's BM25 needs without a pass over
   * the unit rows (docs/FORMAT.md) */
  uint64_t len_sum = 0;
  uint32_t min_len = b->n_units ? UINT32_MAX : 0;
  for (uint32_t u = 0; u < b->n_units; u++) {
    uint32_t l =
        (uint32_t)CDX_UCOL_GET((const uint8_t *)b->ucols.data + (size_t)u * CDX_UCOL_BYTES, length);
    len_sum += l;
    if (l < min_len) min_len = l;
  }
  cdx_buf_put_u64le(&brc, &tr, len_sum);
  cdx_buf_put_u32le(&brc, &tr, min_len);
  cdx_buf_put_u32le(&brc, &tr, 0);
  cdx_buf_put_u32le(&brc, &tr, CDX_SEG_VERSION);
  cdx_buf_append(&brc, &tr, CDX_SEG_MAGIC, 8);
  if (brc != CDX_OK) { o.rc = cdx_err_set(err, CDX_NOMEM, CDX_NO_OFFSET, "out of memory"); }
  out_write(&o, tr.data, tr.len);
  uint8_t crcb[4];
  uint32_t crc = (uint32_t)o.crc;
  crcb[0] = (uint8_t)crc;
  crcb[1] = (uint8_t)(crc >> 8);
  crcb[2] = (uint8_t)(crc >> 16);
  crcb[3] = (uint8_t)(crc >> 24);
  out_write(&o, crcb, 4);
  cdx_buf_free(&tr);
  rc = o.rc;
  if (rc == CDX_OK && fsync(o.fd) != 0)
    rc = cdx_err_set(err, CDX_IO, CDX_NO_OFFSET, "fsync %s: %s", path, strerror(errno));
  if (close(o.fd) != 0 && rc == CDX_OK)
    rc = cdx_err_set(err, CDX_IO, CDX_NO_OFFSET, "close %s: %s", path, strerror(errno));
  if (rc != CDX_OK) cdx_dir_unlink(dir, name);
  if (rc == CDX_OK) {
    memset(info, 0, sizeof *info);
    info->seg_no = seg_no;
    info->n_units = b->n_units;
    info->n_docs = b->n_docs;
    info->file_size = o.off;
  }
out:
  free(path);
  free(order);
  free(run.offs);
  cdx_buf_free(&dict);
  cdx_buf_free(&dictidx);
  term_out_free(&mine);
  term_out_free(&run.out);
  segb_clear(b);
  return rc;
}
