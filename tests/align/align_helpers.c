#define _POSIX_C_SOURCE 200809L
#include "align/align_helpers.h"
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "support/test_support.h"
#include "align/align_internal.h"

char *al_index(const char *const *names, const char *const *texts, size_t n) {
  char *root = cdx_test_tmpdir();
  char path[4096];
  for (size_t i = 0; i < n; i++) {
    snprintf(path, sizeof path, "%s/%s", root, names[i]);
    FILE *f = fopen(path, "w");
    cr_assert_not_null(f, "%s", path);
    fputs(texts[i], f);
    cr_assert_eq(fclose(f), 0);
  }
  char *dir = malloc(strlen(root) + 8);
  cr_assert_not_null(dir);
  sprintf(dir, "%s/index", root);
  cdx_writer *w = NULL;
  cdx_error err;
  cr_assert_eq(cdx_writer_open(dir, NULL, &w, &err), CDX_OK, "%s", err.message);
  for (size_t i = 0; i < n; i++) {
    snprintf(path, sizeof path, "%s/%s", root, names[i]);
    cr_assert_eq(cdx_writer_add_file(w, path, NULL, NULL, &err), CDX_OK, "%s: %s", path,
                 err.message);
  }
  cr_assert_eq(cdx_writer_commit(w, &err), CDX_OK, "%s", err.message);
  cdx_writer_close(w);
  free(root);
  return dir;
}

void al_index_free(char *dir) {
  char *slash = strrchr(dir, '/');
  *slash = '\0';
  cdx_test_rmtree(dir);
  free(dir);
}

cdx_alignment *al_align(const char *dir, const char *a, const char *b, cdx_index **ix) {
  cdx_error err;
  cr_assert_eq(cdx_index_open(dir, ix, &err), CDX_OK, "%s", err.message);
  cdx_alignment *al = NULL;
  cr_assert_eq(cdx_align_documents(*ix, a, b, NULL, &al, &err), CDX_OK, "%s", err.message);
  al_check_edits(al);
  return al;
}

const cdx_align_pair *al_pair_by_number(const cdx_alignment *al, int side, const char *number) {
  for (size_t i = 0; i < cdx_alignment_count(al); i++) {
    const cdx_align_pair *p = cdx_alignment_get(al, i);
    const cdx_hit *h = side ? p->b : p->a;
    if (h && h->number && strcmp(h->number, number) == 0) return p;
  }
  return NULL;
}

size_t al_count(const cdx_alignment *al, cdx_relation rel) {
  size_t n = 0;
  for (size_t i = 0; i < cdx_alignment_count(al); i++)
    n += cdx_alignment_get(al, i)->relation == rel;
  cr_expect_eq(n, cdx_alignment_relation_count(al, rel));
  return n;
}

char *al_replace(const char *s, const char *const *from, const char *const *to, size_t n) {
  size_t cap = strlen(s) * 2 + 64, len = 0;
  char *out = malloc(cap);
  cr_assert_not_null(out);
  while (*s) {
    size_t k = 0;
    for (; k < n; k++)
      if (strncmp(s, from[k], strlen(from[k])) == 0) break;
    const char *put = k < n ? to[k] : s;
    size_t pl = k < n ? strlen(to[k]) : 1, skip = k < n ? strlen(from[k]) : 1;
    if (len + pl + 1 > cap) {
      out = realloc(out, cap = 2 * (len + pl + 1));
      cr_assert_not_null(out);
    }
    memcpy(out + len, put, pl);
    len += pl;
    s += skip;
  }
  out[len] = '\0';
  return out;
}

void al_check_edits(const cdx_alignment *al) {
  for (size_t i = 0; i < cdx_alignment_count(al); i++) {
    const cdx_align_pair *p = cdx_alignment_get(al, i);
    if (!p->text_changed) {
      cr_expect_eq(p->n_edits, 0);
      continue;
    }
    cr_assert(p->a && p->b);
    if (p->a->text_len > CDX_ALIGN_UNIT_BYTES || p->b->text_len > CDX_ALIGN_UNIT_BYTES) {
      cr_expect_eq(p->n_edits, 0, "a giant unit gets no character diff");
      continue;
    }
    cr_assert_gt(p->n_edits, 0);
    size_t an = SIZE_MAX, bn = SIZE_MAX; /* next expected byte on each side */
    for (size_t k = 0; k < p->n_edits; k++) {
      const cdx_edit *e = &p->edits[k];
      if (e->op != CDX_EDIT_INSERT) {
        cr_expect(an == SIZE_MAX || e->a_start == an, "pair %zu edit %zu: A gap at %zu", i, k, an);
        cr_expect_leq(e->a_end, p->a->text_len);
        cr_expect_lt(e->a_start, e->a_end);
        an = e->a_end;
      }
      if (e->op != CDX_EDIT_DELETE) {
        cr_expect(bn == SIZE_MAX || e->b_start == bn, "pair %zu edit %zu: B gap at %zu", i, k, bn);
        cr_expect_leq(e->b_end, p->b->text_len);
        cr_expect_lt(e->b_start, e->b_end);
        bn = e->b_end;
      }
      if (k > 0)
        cr_expect(e->op != p->edits[k - 1].op, "pair %zu: two %d edits in a row", i, e->op);
    }
    if (an != SIZE_MAX) cr_expect_eq(an, p->a->text_len);
    if (bn != SIZE_MAX) cr_expect_eq(bn, p->b->text_len);
  }
}
