#include "tokenizer/tok_helpers.h"
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int collect(void *ctx, const cdx_token *t) {
  toks *ts = ctx;
  if (ts->n == ts->cap) {
    ts->cap = ts->cap ? ts->cap * 2 : 64;
    ts->v = realloc(ts->v, ts->cap * sizeof *ts->v);
    cr_assert_not_null(ts->v);
  }
  tok *k = &ts->v[ts->n++];
  size_t n = t->term_len < sizeof k->term - 1 ? t->term_len : sizeof k->term - 1;
  memcpy(k->term, t->term, n);
  k->term[n] = '\0';
  k->term_len = t->term_len;
  k->pos = t->pos;
  k->start = t->start;
  k->end = t->end;
  k->type = t->type;
  return 0;
}

int analyze_n(const char *text, size_t len, unsigned flags, toks *out, cdx_error *err) {
  memset(out, 0, sizeof *out);
  cdx_analyzer *an;
  int rc = cdx_analyzer_new(flags, &an, err);
  cr_assert_eq(rc, CDX_OK, "cdx_analyzer_new: %s", err->message);
  rc = cdx_analyzer_run(an, text, len, collect, out, err);
  cdx_analyzer_free(an);
  return rc;
}

toks analyze(const char *text, unsigned flags) {
  toks t;
  cdx_error err;
  int rc = analyze_n(text, strlen(text), flags, &t, &err);
  cr_assert_eq(rc, CDX_OK, "analyze(%s): %s", text, err.message);
  return t;
}

void toks_free(toks *t) {
  free(t->v);
  memset(t, 0, sizeof *t);
}

const char *toks_str(const toks *t) {
  static char buf[8192];
  size_t n = 0;
  buf[0] = '\0';
  for (size_t i = 0; i < t->n && n < sizeof buf - 100; i++)
    n += (size_t)snprintf(buf + n, sizeof buf - n, "%s%s@%u", i ? " " : "", t->v[i].term,
                          (unsigned)t->v[i].pos);
  return buf;
}

char *fold(const char *text, size_t len, size_t *out_len) {
  char *out;
  size_t n;
  cdx_error err;
  int rc = cdx_fold_text(text, len, &out, &n, &err);
  cr_assert_eq(rc, CDX_OK, "cdx_fold_text: %s", err.message);
  cr_assert_eq(strlen(out), n);
  if (out_len) *out_len = n;
  return out;
}
