#define _POSIX_C_SOURCE 200809L
#include "query/oracle.h"
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "support/test_support.h"

char *oracle_index_seeds(void) {
  const char *dir = cdx_test_seeds_dir();
  if (!dir) return NULL;
  char *tmp = cdx_test_tmpdir();
  char idx[4200];
  snprintf(idx, sizeof idx, "%s/index", tmp);
  cdx_writer *w = NULL;
  cdx_error err;
  cr_assert_eq(cdx_writer_open(idx, NULL, &w, &err), CDX_OK, "%s", err.message);
  for (int i = 0; i < 5; i++) {
    char path[4600];
    snprintf(path, sizeof path, "%s/%s", dir, cdx_test_seed_names[i]);
    cr_assert_eq(cdx_writer_add_file(w, path, NULL, NULL, &err), CDX_OK, "%s", err.message);
  }
  cr_assert_eq(cdx_writer_commit(w, &err), CDX_OK, "%s", err.message);
  cdx_writer_close(w);
  free(tmp);
  return strdup(idx);
}

char *oracle_open_seeds(cdx_index **ix) {
  *ix = NULL;
  char *dir = oracle_index_seeds();
  if (!dir) return NULL;
  cdx_error err;
  cr_assert_eq(cdx_index_open(dir, ix, &err), CDX_OK, "%s", err.message);
  return dir;
}

void oracle_remove_seeds(char *dir) {
  if (!dir) return;
  *strrchr(dir, '/') = '\0';
  cdx_test_rmtree(dir);
  free(dir);
}

void oracle_each_unit(const cdx_index *ix, oracle_unit_fn fn, void *ctx) {
  cdx_error err;
  for (size_t i = 0; i < cdx_index_doc_count(ix); i++) {
    cdx_index_doc d;
    cr_assert_eq(cdx_index_doc_get(ix, i, &d, &err), CDX_OK, "%s", err.message);
    cdx_results *r = NULL;
    cr_assert_eq(cdx_search_document(ix, d.id, NULL, &r, &err), CDX_OK, "%s", err.message);
    for (size_t k = 0; k < cdx_results_count(r); k++) fn(&d, cdx_results_get(r, k), ctx);
    cdx_results_free(r);
  }
}

typedef struct loading {
  oracle *o;
  size_t cap;
} loading;

static void load_unit(const cdx_index_doc *d, const cdx_hit *h, void *ctx) {
  loading *l = ctx;
  oracle *o = l->o;
  if (o->n == l->cap) {
    l->cap = l->cap ? l->cap * 2 : 256;
    o->u = realloc(o->u, l->cap * sizeof *o->u);
    cr_assert_not_null(o->u);
  }
  oracle_unit *u = &o->u[o->n++];
  u->doc = strdup(h->doc);
  u->ordinal = h->ordinal;
  cdx_error err;
  cr_assert_eq(cdx_fold_text(h->text, h->text_len, &u->folded, &u->folded_len, &err), CDX_OK);
  u->jurisdiction_code = h->jurisdiction_code;
  u->status = h->status;
  u->kind = h->kind;
  u->latest = d->latest != 0;
}

void oracle_load(oracle *o, const cdx_index *ix) {
  memset(o, 0, sizeof *o);
  loading l = {o, 0};
  oracle_each_unit(ix, load_unit, &l);
}

void oracle_free(oracle *o) {
  for (size_t i = 0; i < o->n; i++) {
    free(o->u[i].doc);
    cdx_free(o->u[i].folded);
  }
  free(o->u);
}

static char *key(const char *doc, int ordinal) {
  size_t n = strlen(doc) + 16;
  char *k = malloc(n);
  cr_assert_not_null(k);
  snprintf(k, n, "%s\x1f%06d", doc, ordinal);
  return k;
}

static int cmp_str(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

char **oracle_select(const oracle *o, oracle_pred pred, void *ctx, size_t *n) {
  char **k = malloc((o->n + 1) * sizeof *k);
  *n = 0;
  for (size_t i = 0; i < o->n; i++)
    if (pred(&o->u[i], ctx)) k[(*n)++] = key(o->u[i].doc, o->u[i].ordinal);
  qsort(k, *n, sizeof *k, cmp_str);
  return k;
}

char **oracle_search(const cdx_index *ix, const char *query, int latest, size_t *n, size_t *total) {
  cdx_search_options opt = {0};
  opt.all = 1;
  opt.latest = latest;
  cdx_results *r = NULL;
  cdx_error err;
  cr_assert_eq(cdx_search(ix, query, &opt, &r, &err), CDX_OK, "[%s]: %s", query, err.message);
  *n = cdx_results_count(r);
  *total = cdx_results_total(r);
  char **k = malloc((*n + 1) * sizeof *k);
  for (size_t i = 0; i < *n; i++) {
    const cdx_hit *h = cdx_results_get(r, i);
    k[i] = key(h->doc, h->ordinal);
  }
  cdx_results_free(r);
  qsort(k, *n, sizeof *k, cmp_str);
  return k;
}

void oracle_keys_free(char **k, size_t n) {
  for (size_t i = 0; i < n; i++) free(k[i]);
  free(k);
}

static bool ascii_alnum(unsigned char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* Character starts of s[0..n). */
static size_t char_starts(const char *s, size_t n, size_t *at, size_t cap) {
  size_t k = 0;
  for (size_t i = 0; i < n && k < cap; i++)
    if (((unsigned char)s[i] & 0xC0) != 0x80) at[k++] = i;
  return k;
}

bool oracle_random_word(const oracle *o, unsigned *seed, char *out, size_t cap, size_t *unit) {
  return oracle_random_word_len(o, seed, 2, 12, out, cap, unit);
}

bool oracle_random_word_len(const oracle *o, unsigned *seed, size_t min_chars, size_t max_chars,
                            char *out, size_t cap, size_t *unit) {
  static size_t at[1 << 16];
  for (int attempt = 0; attempt < 200; attempt++) {
    size_t ui = (size_t)rand_r(seed) % o->n;
    const oracle_unit *u = &o->u[ui];
    size_t nc = char_starts(u->folded, u->folded_len, at, sizeof at / sizeof at[0] - 1);
    if (nc < min_chars) continue;
    at[nc] = u->folded_len;
    size_t len = min_chars + (size_t)rand_r(seed) % (max_chars - min_chars + 1);
    if (len > nc) len = nc;
    size_t c0 = (size_t)rand_r(seed) % (nc - len + 1);
    size_t a = at[c0], b = at[c0 + len];
    if (b - a + 1 > cap) continue;
    const unsigned char *s = (const unsigned char *)u->folded;
    bool ok = true, any_token = false;
    for (size_t i = a; i < b && ok; i++) {
      unsigned char c = s[i];
      if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '(' || c == ')' || c == '"' ||
          c == ':')
        ok = false;
      if (c == 0xE3 && i + 2 < b && s[i + 1] == 0x80 && s[i + 2] == 0x80) ok = false; /* U+3000 */
      if (ascii_alnum(c) || c >= 0xE4) any_token = true;
    }
    if (!ok || !any_token) continue;
    /* Token edges: an ASCII character at either end must not be glued to an
     * ASCII neighbour outside (2.7 of 2.74, G of 5G), and the word may not
     * begin with '-' (exclusion) or be an operator. */
    if (s[a] < 0x80 && !ascii_alnum(s[a])) continue;
    if (s[b - 1] < 0x80 && !ascii_alnum(s[b - 1])) continue;
    if (s[a] < 0x80 && a > 0 && s[a - 1] < 0x80 && s[a - 1] > ' ') continue;
    if (s[b - 1] < 0x80 && b < u->folded_len && s[b] < 0x80 && s[b] > ' ') continue;
    memcpy(out, u->folded + a, b - a);
    out[b - a] = '\0';
    if (!strcmp(out, "OR") || !strcmp(out, "AND") || !strcmp(out, "NOT")) continue;
    if (unit) *unit = ui;
    return true;
  }
  return false;
}

/* Would the analyzer make one token of the ASCII character at s[i] and its
 * neighbour on the side of `dir`? Letters and digits join; so do . , ' :
 * between them (2.74, 3,000). */
static bool glued(const char *s, size_t n, size_t i, int dir) {
  size_t j = i + (size_t)dir;
  if (dir < 0 && i == 0) return false;
  if (j >= n) return false;
  unsigned char c = (unsigned char)s[j];
  if (ascii_alnum(c)) return true;
  if (c == '.' || c == ',' || c == '\'' || c == ':') {
    size_t k = j + (size_t)dir;
    if (dir < 0 && j == 0) return false;
    return k < n && ascii_alnum((unsigned char)s[k]);
  }
  return false;
}

bool oracle_contains(const char *text, size_t n, const char *word) {
  size_t wl = strlen(word);
  bool edge_a = ascii_alnum((unsigned char)word[0]);
  bool edge_b = wl > 0 && ascii_alnum((unsigned char)word[wl - 1]);
  for (const char *p = strstr(text, word); p; p = strstr(p + 1, word)) {
    size_t a = (size_t)(p - text), b = a + wl;
    if (edge_a && glued(text, n, a, -1)) continue;
    if (edge_b && glued(text, n, b - 1, +1)) continue;
    return true;
  }
  return false;
}
