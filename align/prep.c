/* A unit's text as the aligner compares it: folded code points without
 * punctuation or white space, each remembering its original bytes. */
#include <stdlib.h>
#include <string.h>
#include "align/align_internal.h"
#include "tokenizer/tokenizer.h"

static int nomem(cdx_error *err) { return cdx_err_nomem(err, "aligning units"); }

/* Folds text[0..len) into u->cp / u->src, dropping what makes no term
 * (punctuation, symbols, white space): the analyzer ignores them too, and a
 * full-width （ against a half-width ( must never be a change. */
static int fold_into(const char *text, size_t len, cdx_al_unit *u, cdx_error *err) {
  size_t bad = cdx_utf8_find_invalid(text, len);
  if (bad != CDX_NO_OFFSET)
    return cdx_err_set(err, CDX_ENCODING, bad, "invalid UTF-8 at byte %zu", bad);
  /* Folding never yields more code points than bytes for the text of real
   * units, but NFKC may expand a character, so grow when needed. */
  size_t cap = len + 4;
  u->cp = malloc(cap * sizeof *u->cp);
  u->src = malloc(cap * 2 * sizeof *u->src);
  if (!u->cp || !u->src) return nomem(err);
  cdx_fold_iter *it = malloc(sizeof *it);
  if (!it) return nomem(err);
  cdx_fold_iter_init(it, text, len);
  cdx_fchar fc;
  int r;
  while ((r = cdx_fold_next(it, &fc, err)) > 0) {
    if (fc.cls == CDX_CC_SPACE || fc.cls == CDX_CC_PUNCT) continue;
    if (u->n == cap) {
      cap *= 2;
      uint32_t *cp = realloc(u->cp, cap * sizeof *cp);
      if (cp) u->cp = cp;
      size_t *src = cp ? realloc(u->src, cap * 2 * sizeof *src) : NULL;
      if (!src) {
        free(it);
        return nomem(err);
      }
      u->src = src;
    }
    u->cp[u->n] = fc.cp;
    u->src[2 * u->n] = fc.start;
    u->src[2 * u->n + 1] = fc.end;
    u->n++;
  }
  free(it);
  return r < 0 ? (err ? err->code : CDX_ICU) : CDX_OK;
}

/* Folded code points of a short string (a clause number, a marker). */
static size_t fold_short(const char *s, uint32_t *out, size_t cap, cdx_error *err) {
  cdx_al_unit t = {0};
  size_t n = 0;
  if (fold_into(s, strlen(s), &t, err) == CDX_OK)
    for (; n < t.n && n < cap; n++) out[n] = t.cp[n];
  cdx_al_unit_clear(&t);
  return n;
}

/* qsort's indirect comparisons were a sixth of an alignment; keys are
 * plain integers, so an inlined quicksort (median of three, insertion sort
 * for short ranges, recursion on the smaller side) does it in place. */
void cdx_al_sort_u64(uint64_t *v, size_t n) {
  while (n > 16) {
    uint64_t a = v[0], b = v[n / 2], c = v[n - 1];
    uint64_t pivot = a < b ? (b < c ? b : (a < c ? c : a)) : (a < c ? a : (b < c ? c : b));
    size_t i = 0, j = n - 1;
    for (;;) {
      while (v[i] < pivot) i++;
      while (v[j] > pivot) j--;
      if (i >= j) break;
      uint64_t t = v[i];
      v[i] = v[j];
      v[j] = t;
      i++;
      j--;
    }
    size_t left = j + 1;
    if (left < n - left) {
      cdx_al_sort_u64(v, left);
      v += left;
      n -= left;
    } else {
      cdx_al_sort_u64(v + left, n - left);
      n = left;
    }
  }
  for (size_t i = 1; i < n; i++) {
    uint64_t x = v[i];
    size_t j = i;
    for (; j > 0 && v[j - 1] > x; j--) v[j] = v[j - 1];
    v[j] = x;
  }
}

/* Shingles are folded character bigrams: the exact pair of code points
 * (21 bits each), so two shingles are equal only when the characters are.
 * *out gets the sorted distinct shingles of c[0..n). */
static int shingles_of(const uint32_t *c, size_t n, uint64_t **out, size_t *n_out, cdx_error *err) {
  uint64_t *sh = malloc((n ? n : 1) * sizeof *sh);
  if (!sh) return nomem(err);
  size_t k = 0;
  if (n == 1) sh[k++] = (uint64_t)c[0] << 21;
  for (size_t i = 0; i + 1 < n; i++) sh[k++] = (uint64_t)c[i] << 21 | c[i + 1];
  cdx_al_sort_u64(sh, k);
  size_t m = 0;
  for (size_t i = 0; i < k; i++)
    if (m == 0 || sh[m - 1] != sh[i]) sh[m++] = sh[i];
  *out = sh;
  *n_out = m;
  return CDX_OK;
}

static int shingle(cdx_al_unit *u, cdx_error *err) {
  size_t n = u->body_end > u->body_start ? u->body_end - u->body_start : 0;
  return shingles_of(u->cp + u->body_start, n, &u->sh, &u->n_sh, err);
}

/* The heading's shingles, its number left out as in the body. */
static int shingle_heading(cdx_al_unit *u, const cdx_hit *h, cdx_error *err) {
  if (!h->heading || !*h->heading) return CDX_OK;
  cdx_al_unit t = {0};
  int rc = fold_into(h->heading, strlen(h->heading), &t, err);
  size_t skip = 0;
  if (rc == CDX_OK && h->number) {
    uint32_t num[32];
    size_t nn = fold_short(h->number, num, 32, err);
    if (nn && nn <= t.n && memcmp(t.cp, num, nn * sizeof *num) == 0) skip = nn;
  }
  if (rc == CDX_OK) rc = shingles_of(t.cp + skip, t.n - skip, &u->hsh, &u->n_hsh, err);
  cdx_al_unit_clear(&t);
  return rc;
}

/* Index of the last occurrence of pat in u->cp[from, n), or SIZE_MAX. */
static size_t find_last(const cdx_al_unit *u, size_t from, const uint32_t *pat, size_t np) {
  if (np == 0 || u->n < from + np) return SIZE_MAX;
  for (size_t i = u->n - np + 1; i-- > from;)
    if (u->cp[i] == pat[0] && memcmp(u->cp + i, pat, np * sizeof *pat) == 0) return i;
  return SIZE_MAX;
}

/* How much of text[0..len) is compared: all of it, or the first
 * CDX_ALIGN_UNIT_BYTES cut at a character boundary. */
static size_t compared_len(const char *text, size_t len, bool *truncated) {
  *truncated = len > CDX_ALIGN_UNIT_BYTES;
  if (!*truncated) return len;
  size_t cut = CDX_ALIGN_UNIT_BYTES;
  while (cut > 0 && ((unsigned char)text[cut] & 0xC0) == 0x80) cut--;
  return cut;
}

static int prepare(const cdx_hit *h, cdx_al_unit *u, cdx_error *err) {
  u->hit = h;
  int rc = fold_into(h->text, compared_len(h->text, h->text_len, &u->truncated), u, err);
  if (rc) return rc;
  /* Renumbering is normal, so the number the text starts with is not
   * content: (十) against (十一) must not lower a similarity. */
  if (h->number) {
    uint32_t num[32];
    size_t nn = fold_short(h->number, num, 32, err);
    if (nn && nn <= u->n && memcmp(u->cp, num, nn * sizeof *num) == 0) u->body_start = nn;
  }
  u->body_end = u->n;
  /* The responsible-unit note is compared on its own (changes.c): two
   * different clauses for the same bureaus share it, so it would make
   * them look alike. */
  if (h->n_responsible) {
    static const char marker[] = "责任单位";
    uint32_t pat[8];
    size_t np = fold_short(marker, pat, 8, err);
    size_t at = find_last(u, u->body_start, pat, np);
    if (at != SIZE_MAX) u->body_end = at;
  }
  rc = shingle(u, err);
  return rc ? rc : shingle_heading(u, h, err);
}

/* Both leave u empty on failure. */
int cdx_al_unit_prepare(const cdx_hit *h, cdx_al_unit *u, cdx_error *err) {
  memset(u, 0, sizeof *u);
  int rc = prepare(h, u, err);
  if (rc) cdx_al_unit_clear(u);
  return rc;
}

int cdx_al_text_prepare(const char *text, size_t len, cdx_al_unit *u, cdx_error *err) {
  memset(u, 0, sizeof *u);
  int rc = fold_into(text, compared_len(text, len, &u->truncated), u, err);
  u->body_end = u->n;
  if (rc == CDX_OK) rc = shingle(u, err);
  if (rc) cdx_al_unit_clear(u);
  return rc;
}

void cdx_al_unit_clear(cdx_al_unit *u) {
  free(u->cp);
  free(u->src);
  free(u->sh);
  free(u->hsh);
  memset(u, 0, sizeof *u);
}

static size_t shared(const uint64_t *x, size_t nx, const uint64_t *y, size_t ny) {
  size_t i = 0, j = 0, c = 0;
  while (i < nx && j < ny) {
    if (x[i] < y[j]) i++;
    else if (x[i] > y[j]) j++;
    else {
      c++;
      i++;
      j++;
    }
  }
  return c;
}

size_t cdx_al_common(const cdx_al_unit *a, const cdx_al_unit *b) {
  return shared(a->sh, a->n_sh, b->sh, b->n_sh);
}

double cdx_al_similarity_from(const cdx_al_unit *a, const cdx_al_unit *b, size_t common) {
  if (cdx_al_same_text(a, b)) return 1.0;
  double body = a->n_sh + b->n_sh ? 2.0 * (double)common / (double)(a->n_sh + b->n_sh) : 0.0;
  if (a->n_hsh == 0 || b->n_hsh == 0) return body;
  double head =
      2.0 * (double)shared(a->hsh, a->n_hsh, b->hsh, b->n_hsh) / (double)(a->n_hsh + b->n_hsh);
  /* Only a heading that is mostly the same counts: 推进山区海岛县高质量发展 and
   * 推进特色小镇高质量发展 share the formula, not the subject (0.48). */
  if (head < CDX_ALIGN_HEADING) return body;
  double mixed = (body + head) / 2;
  return mixed > body ? mixed : body;
}

double cdx_al_similarity(const cdx_al_unit *a, const cdx_al_unit *b) {
  return cdx_al_similarity_from(a, b, cdx_al_common(a, b));
}

bool cdx_al_same_text(const cdx_al_unit *a, const cdx_al_unit *b) {
  if (a->truncated || b->truncated)
    return a->hit && b->hit && a->hit->text_len == b->hit->text_len &&
           memcmp(a->hit->text, b->hit->text, a->hit->text_len) == 0;
  size_t na = a->n - a->body_start, nb = b->n - b->body_start;
  return na == nb && memcmp(a->cp + a->body_start, b->cp + b->body_start, na * sizeof *a->cp) == 0;
}
