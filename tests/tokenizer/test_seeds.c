/* The analyzer over the five real seed documents: every token's offsets slice
 * the original back to exactly the text it came from. */
#include <criterion/criterion.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include "support/test_support.h"
#include "tokenizer/tok_helpers.h"

struct check {
  const char *text; /* the line (or document) analyzed */
  size_t len;
  const char *name;
  size_t base; /* offset of text in the document, for messages */
  size_t n, unigrams;
  uint32_t last_pos;
  size_t last_start;
  unsigned char *uni_at; /* per byte of text: a unigram starts here */
};

static int check_token(void *ctx, const cdx_token *t) {
  struct check *c = ctx;
  cr_assert(t->start < t->end && t->end <= c->len, "%s@%zu: bad range", c->name,
            c->base + t->start);
  cr_assert(c->n == 0 || t->pos >= c->last_pos, "%s@%zu: position went back", c->name,
            c->base + t->start);
  cr_assert(c->n == 0 || t->start >= c->last_start || t->type == CDX_TOKEN_CJK_UNIGRAM,
            "%s@%zu: start went back", c->name, c->base + t->start);
  /* The slice of the original, folded alone, is the term: the offsets hold
   * exactly the characters the token came from. */
  char *f;
  size_t fl;
  cdx_error err;
  cr_assert_eq(cdx_fold_text(c->text + t->start, t->end - t->start, &f, &fl, &err), CDX_OK);
  cr_assert(fl == t->term_len && memcmp(f, t->term, fl) == 0,
            "%s@%zu: slice [%zu,%zu) '%.*s' folds to '%s', term '%.*s'", c->name,
            c->base + t->start, t->start, t->end, (int)(t->end - t->start), c->text + t->start, f,
            (int)t->term_len, t->term);
  cdx_free(f);
  if (t->type == CDX_TOKEN_CJK_UNIGRAM) {
    c->unigrams++;
    if (c->uni_at) c->uni_at[t->start] = 1;
  }
  c->n++;
  c->last_pos = t->pos;
  c->last_start = t->start;
  return 0;
}

static void check_seed(const char *name) {
  const char *path = cdx_test_seed_path(name);
  size_t len;
  char *doc = cdx_test_read(path, &len);
  cdx_analyzer *an;
  cdx_error err;
  cr_assert_eq(cdx_analyzer_new(CDX_ANALYZE_UNIGRAMS, &an, &err), CDX_OK);
  /* Line by line, as the clause splitter feeds it. */
  size_t total = 0;
  unsigned char *uni_at = calloc(len + 1, 1);
  for (size_t s = 0; s < len;) {
    const char *nl = memchr(doc + s, '\n', len - s);
    size_t e = nl ? (size_t)(nl - doc) : len;
    struct check c = {doc + s, e - s, name, s, 0, 0, 0, 0, uni_at + s};
    cr_assert_eq(cdx_analyzer_run(an, doc + s, e - s, check_token, &c, &err), CDX_OK, "%s: %s",
                 name, err.message);
    total += c.n;
    s = e + 1;
  }
  cr_assert_gt(total, 1000, "%s: only %zu tokens", name, total);
  /* Every unified ideograph of the original starts a unigram of its own. */
  size_t han = 0;
  for (size_t i = 0; i + 2 < len; i++) {
    unsigned char b = (unsigned char)doc[i];
    if (b >= 0xE4 && b <= 0xE9) {
      han++;
      cr_assert(uni_at[i], "%s@%zu: ideograph '%.3s' has no unigram", name, i, doc + i);
    }
  }
  cr_assert_gt(han, 5000, "%s", name);
  /* The whole document at once gives the same tokens, positions apart. */
  struct check whole = {doc, len, name, 0, 0, 0, 0, 0, NULL};
  cr_assert_eq(cdx_analyzer_run(an, doc, len, check_token, &whole, &err), CDX_OK);
  cr_assert_eq(whole.n, total, "%s: %zu tokens whole, %zu by line", name, whole.n, total);
  cdx_analyzer_free(an);
  free(uni_at);
  free(doc);
}

Test(seeds, doc0_offsets_exact) { check_seed(cdx_test_seed_names[0]); }
Test(seeds, doc1_offsets_exact) { check_seed(cdx_test_seed_names[1]); }
Test(seeds, doc2_traditional_offsets_exact) { check_seed(cdx_test_seed_names[2]); }
Test(seeds, doc3_offsets_exact) { check_seed(cdx_test_seed_names[3]); }
Test(seeds, doc4_offsets_exact) { check_seed(cdx_test_seed_names[4]); }

Test(seeds, traditional_document_meets_simplified_terms) {
  /* 责任单位 is written 責任單位 in the Traditional document 002. */
  size_t len;
  char *doc = cdx_test_read(cdx_test_seed_path(cdx_test_seed_names[2]), &len);
  cr_assert(strstr(doc, "責任單位") != NULL);
  char *f = fold(doc, len, NULL);
  cr_assert(strstr(f, "责任单位") != NULL);
  cr_assert(strstr(f, "温州市") != NULL);
  cdx_free(f);
  free(doc);
}

/* Threads share the lazily built character pages: run all seeds at once
 * from four threads and compare with a single-threaded run. */
struct job {
  char *doc;
  size_t len;
  unsigned long sum;
};

static int hash_tok(void *ctx, const cdx_token *t) {
  unsigned long *h = ctx;
  for (size_t i = 0; i < t->term_len; i++) *h = *h * 31 + (unsigned char)t->term[i];
  *h = *h * 31 + t->pos * 7 + t->start * 13 + t->end;
  return 0;
}

static void *run_job(void *arg) {
  struct job *j = arg;
  cdx_analyzer *an;
  cdx_error err;
  if (cdx_analyzer_new(CDX_ANALYZE_UNIGRAMS, &an, &err) != CDX_OK) return NULL;
  j->sum = 0;
  cdx_analyzer_run(an, j->doc, j->len, hash_tok, &j->sum, &err);
  cdx_analyzer_free(an);
  return NULL;
}

Test(seeds, threads_agree) {
  struct job jobs[4];
  pthread_t th[4];
  for (int i = 0; i < 4; i++) {
    jobs[i].doc = cdx_test_read(cdx_test_seed_path(cdx_test_seed_names[i + 1]), &jobs[i].len);
    pthread_create(&th[i], NULL, run_job, &jobs[i]);
  }
  for (int i = 0; i < 4; i++) pthread_join(th[i], NULL);
  for (int i = 0; i < 4; i++) {
    unsigned long first = jobs[i].sum;
    run_job(&jobs[i]);
    cr_assert_eq(jobs[i].sum, first);
    cr_assert_neq(first, 0);
    free(jobs[i].doc);
  }
}
