/* The indexer end to end: postings against a brute-force model, stored
 * fields, columns, latest flags, field terms, the writer's change detection,
 * memory budget, merges and the lock. */
#define _POSIX_C_SOURCE 200809L
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "support/test_support.h"
#include "tests/indexer/ix_helpers.h"

#define N_DOCS 40
#define UNITS_PER_DOC 50
#define N_UNITS (N_DOCS * UNITS_PER_DOC)
#define VOCAB 12
#define MAX_WORDS 40

static uint32_t rng_state = 12345;
static uint32_t rnd(void) {
  rng_state = rng_state * 1103515245u + 12345u;
  return rng_state >> 8;
}

/* words[u][i] = vocabulary index of the i-th word of unit u */
static int words[N_UNITS][MAX_WORDS];
static int n_words[N_UNITS];
static char texts[N_UNITS][MAX_WORDS * 8];

static void make_corpus(const char *dir) {
  rng_state = 12345;
  for (int u = 0; u < N_UNITS; u++) {
    n_words[u] = 1 + (int)(rnd() % MAX_WORDS);
    char *p = texts[u];
    for (int i = 0; i < n_words[u]; i++) {
      /* skewed: w0 is in most units, w11 in few, so lists of every length */
      int w = (int)(rnd() % VOCAB);
      if (w > 0 && rnd() % 3 == 0) w = 0;
      if (w == VOCAB - 1 && rnd() % 4) w = 1;
      words[u][i] = w;
      p += sprintf(p, "%sw%d", i ? " " : "", w);
    }
  }
  ixh_doc docs[N_DOCS];
  cdx_ix_doc_in in[N_DOCS];
  static char ids[N_DOCS][16];
  for (int d = 0; d < N_DOCS; d++) {
    const char *t[UNITS_PER_DOC];
    for (int k = 0; k < UNITS_PER_DOC; k++) t[k] = texts[d * UNITS_PER_DOC + k];
    snprintf(ids[d], sizeof ids[d], "doc%d", d);
    ixh_doc_init(&docs[d], ids[d], t, UNITS_PER_DOC);
    in[d] = docs[d].in;
  }
  ixh_write_index(dir, in, N_DOCS);
  for (int d = 0; d < N_DOCS; d++) ixh_doc_free(&docs[d]);
}

static uint32_t expect_tf(int u, int w) {
  uint32_t tf = 0;
  for (int i = 0; i < n_words[u]; i++) tf += words[u][i] == w;
  return tf;
}

Test(index, postings_match_brute_force) {
  char *dir = cdx_test_tmpdir();
  make_corpus(dir);
  cdx_index *ix;
  cdx_error err;
  cr_assert_eq(cdx_index_open(dir, &ix, &err), CDX_OK, "%s", err.message);
  cr_assert_eq(cdx_ix_segment_count(ix), 1);
  cr_assert_eq(cdx_ix_segment_units(ix, 0), N_UNITS);
  for (int w = 0; w < VOCAB; w++) {
    char term[16];
    snprintf(term, sizeof term, "w%d", w);
    uint32_t df = 0;
    for (int u = 0; u < N_UNITS; u++) df += expect_tf(u, w) > 0;
    cdx_ix_postings *it;
    cr_assert_eq(cdx_ix_postings_open(ix, 0, term, strlen(term), &it, &err), CDX_OK, "%s",
                 err.message);
    cr_assert_eq(cdx_ix_postings_df(it), df, "%s df", term);
    uint64_t gdf;
    cr_assert_eq(cdx_ix_term_df(ix, term, strlen(term), &gdf, &err), CDX_OK);
    cr_assert_eq(gdf, df);
    uint32_t seen = 0;
    for (int u = 0; u < N_UNITS; u++) {
      uint32_t tf = expect_tf(u, w);
      if (!tf) continue;
      cr_assert_eq(cdx_ix_postings_unit(it), (uint32_t)u, "%s: unit %u, want %d", term,
                   cdx_ix_postings_unit(it), u);
      cr_assert_eq(cdx_ix_postings_tf(it), tf);
      cr_assert_geq(cdx_ix_postings_block_max_tf(it), tf);
      cr_assert_geq(cdx_ix_postings_block_last(it), (uint32_t)u);
      if (u % 3 == 0) { /* positions on demand, not for every unit */
        const uint32_t *pos;
        size_t np;
        cr_assert_eq(cdx_ix_postings_positions(it, &pos, &np, &err), CDX_OK, "%s", err.message);
        cr_assert_eq(np, tf);
        size_t k = 0;
        for (int i = 0; i < n_words[u]; i++)
          if (words[u][i] == w) cr_assert_eq(pos[k++], (uint32_t)i);
      }
      seen++;
      cr_assert_eq(cdx_ix_postings_next(it, &err), CDX_OK);
    }
    cr_assert_eq(seen, df);
    cr_assert_eq(cdx_ix_postings_unit(it), CDX_IX_END);
    cdx_ix_postings_free(it);

    /* seek to random targets, always forward, against a linear scan */
    cr_assert_eq(cdx_ix_postings_open(ix, 0, term, strlen(term), &it, &err), CDX_OK);
    uint32_t target = 0;
    while (target < N_UNITS + 10) {
      target += 1 + rnd() % 300;
      uint32_t first = 0;
      uint32_t bf, bl, bm, bb;
      bool peek = cdx_ix_postings_peek_block(it, target, &bf, &bl, &bm, &bb);
      cr_assert_eq(cdx_ix_postings_seek(it, target, &err), CDX_OK);
      uint32_t want = CDX_IX_END;
      for (uint32_t u = target; u < N_UNITS; u++)
        if (expect_tf((int)u, w)) {
          want = u;
          break;
        }
      (void)first;
      cr_assert_eq(cdx_ix_postings_unit(it), want, "%s seek %u", term, target);
      cr_assert_eq(peek, want != CDX_IX_END);
      if (peek) {
        cr_assert(bf <= want && want <= bl);
        cr_assert_eq(bl, cdx_ix_postings_block_last(it));
        cr_assert_eq(bm, cdx_ix_postings_block_max_tf(it));
        /* the score bound length bounds the unit's length / tf * max_tf */
        uint64_t len = cdx_ix_unit_length(ix, 0, want), tf = cdx_ix_postings_tf(it);
        cr_assert(bb >= cdx_ix_segment_min_unit_length(ix, 0));
        cr_assert((uint64_t)bb * tf <= len * bm, "%s unit %u: bound %u, len %u tf %u max %u", term,
                  want, bb, (unsigned)len, (unsigned)tf, bm);
      }
    }
    cdx_ix_postings_free(it);
  }
  /* a term that is not there */
  cdx_ix_postings *it;
  cr_assert_eq(cdx_ix_postings_open(ix, 0, "zzz", 3, &it, &err), CDX_OK);
  cr_assert_eq(cdx_ix_postings_df(it), 0);
  cr_assert_eq(cdx_ix_postings_unit(it), CDX_IX_END);
  cdx_ix_postings_free(it);
  /* lengths and stored text */
  cdx_ix_store *st;
  cr_assert_eq(cdx_ix_store_new(ix, &st, &err), CDX_OK);
  uint64_t sum = 0;
  for (uint32_t u = 0; u < N_UNITS; u += 7) {
    cr_assert_eq(cdx_ix_unit_length(ix, 0, u), (uint32_t)n_words[u]);
    cdx_ix_unit_fields f;
    cr_assert_eq(cdx_ix_store_unit(st, 0, u, &f, &err), CDX_OK, "%s", err.message);
    cr_assert_str_eq(f.text, texts[u]);
    cdx_ix_unit_meta m;
    cdx_ix_unit_meta_get(ix, 0, u, &m);
    cr_assert_eq(m.doc, u / UNITS_PER_DOC);
    cr_assert_eq(m.ordinal, (int)(u % UNITS_PER_DOC));
  }
  for (int u = 0; u < N_UNITS; u++) sum += (uint64_t)n_words[u];
  cr_assert_float_eq(cdx_ix_avg_unit_length(ix), (double)sum / N_UNITS, 1e-9);
  cr_assert_eq(cdx_ix_live_units(ix), N_UNITS);
  cdx_ix_store_free(st);
  cdx_index_close(ix);
  cr_assert_eq(cdx_index_check(dir, &err), CDX_OK, "%s", err.message);
  cdx_test_rmtree(dir);
  free(dir);
}

Test(index, fields_columns_latest_and_field_terms) {
  char *dir = cdx_test_tmpdir();
  const char *t1[] = {"第一条 支持企业创新。（责任单位：市科技局、市财政局）", "第二条 附则"};
  const char *t2[] = {"第一条 支持企业创新发展。"};
  const char *t3[] = {"其他政策"};
  ixh_doc d[4];
  ixh_doc_init(&d[0], "/a/draft.txt", t1, 2);
  ixh_doc_init(&d[1], "/a/final.txt", t2, 1);
  ixh_doc_init(&d[2], "/a/other.txt", t3, 1);
  ixh_doc_init(&d[3], "/a/comment.txt", t3, 1);
  const char *resp[] = {"市科技局", "市财政局"};
  d[0].units[0].n_responsible = 2;
  d[0].units[0].responsible = resp;
  d[0].units[0].number = "第一条";
  d[0].units[0].number_value = 1;
  d[0].units[0].heading = "支持企业创新";
  d[0].units[0].chapter = 3;
  d[0].units[1].lead_department = "市发改局";
  /* the departments with canonical names and roles (the writer builds
   * them from the document; indexer/unit_depts.c) */
  const cdx_ix_dept_in depts0[] = {{"市科技局", "科学技术局", CDX_ROLE_LISTED | CDX_ROLE_LEAD},
                                   {"市财政局", "财政局", CDX_ROLE_LISTED}};
  const cdx_ix_dept_in depts1[] = {{"市发改局", "发展和改革局", CDX_ROLE_CHAPTER_LEAD}};
  d[0].units[0].depts = depts0;
  d[0].units[0].n_depts = 2;
  d[0].units[1].depts = depts1;
  d[0].units[1].n_depts = 1;
  d[0].in.status = CDX_STATUS_DRAFT_FOR_APPROVAL;
  d[0].in.status_class = CDX_CLASS_DRAFT;
  d[0].in.policy_key = "p1";
  d[0].in.date = 20250101;
  d[0].in.jurisdiction = "乐清市";
  d[0].in.jurisdiction_code = 330382;
  d[0].in.edition = 2025;
  d[1].in.status = CDX_STATUS_FINAL;
  d[1].in.policy_key = "p1";
  d[1].in.date = 20240101; /* older date, but final beats a draft */
  d[1].in.doc_number = "乐政发〔2025〕4号";
  d[3].in.status = CDX_STATUS_DRAFT_FOR_COMMENT;
  d[3].in.policy_key = "p2";
  d[2].in.policy_key = "p2";
  d[2].in.status = CDX_STATUS_DRAFT_FOR_COMMENT;
  d[2].in.date = 20250301; /* same stage: the later date wins */
  cdx_ix_doc_in in[4] = {d[0].in, d[1].in, d[2].in, d[3].in};
  ixh_write_index(dir, in, 4);
  cdx_index *ix;
  cdx_error err;
  cr_assert_eq(cdx_index_open(dir, &ix, &err), CDX_OK, "%s", err.message);
  cdx_ix_unit_meta m;
  /* policy ids and latest flags exist once the document tables are built */
  cdx_ix_unit_meta_get(ix, 0, 2, &m);
  cr_assert_not(m.latest);
  cr_assert_eq(cdx_ix_doc_tables(ix, &err), CDX_OK, "%s", err.message);
  cdx_ix_unit_meta_get(ix, 0, 0, &m);
  cr_assert_eq(m.jurisdiction_code, 330382);
  cr_assert_eq(m.status, CDX_STATUS_DRAFT_FOR_APPROVAL);
  cr_assert_eq(m.status_class, CDX_CLASS_DRAFT);
  cr_assert_eq(m.edition, 2025);
  cr_assert_eq(m.date, 20250101);
  cr_assert_eq(m.chapter, 3);
  cr_assert_eq(m.number_value, 1);
  cr_assert_not(m.latest);
  cdx_ix_unit_meta m1, m2, m3;
  cdx_ix_unit_meta_get(ix, 0, 2, &m1);
  cdx_ix_unit_meta_get(ix, 0, 3, &m2);
  cdx_ix_unit_meta_get(ix, 0, 4, &m3);
  cr_assert(m1.latest);
  cr_assert_eq(m1.family_id, m.family_id);
  cr_assert(m2.latest);
  cr_assert_not(m3.latest);
  cr_assert_eq(m2.family_id, m3.family_id);
  cr_assert_neq(m2.family_id, m.family_id);
  /* stored fields */
  cdx_ix_store *st;
  cr_assert_eq(cdx_ix_store_new(ix, &st, &err), CDX_OK);
  cdx_ix_unit_fields f;
  cr_assert_eq(cdx_ix_store_unit(st, 0, 0, &f, &err), CDX_OK);
  cr_assert_str_eq(f.number, "第一条");
  cr_assert_str_eq(f.heading, "支持企业创新");
  cr_assert_eq(f.n_responsible, 2);
  cr_assert_str_eq(f.responsible[1], "市财政局");
  cr_assert_null(f.lead_department);
  cr_assert_eq(cdx_ix_store_unit(st, 0, 1, &f, &err), CDX_OK);
  cr_assert_str_eq(f.lead_department, "市发改局");
  cr_assert_null(f.number);
  cdx_ix_store_free(st);
  cdx_ix_doc_fields df;
  cr_assert_eq(cdx_ix_doc_fields_get(ix, 0, 1, &df, &err), CDX_OK);
  cr_assert_str_eq(df.id, "/a/final.txt");
  cr_assert_str_eq(df.doc_number, "乐政发〔2025〕4号");
  cr_assert_eq(df.first_unit, 2);
  cr_assert_eq(df.n_units, 1);
  size_t seg;
  uint32_t doc;
  cr_assert(cdx_ix_find_doc(ix, "/a/other.txt", &seg, &doc));
  cr_assert_eq(doc, 2);
  cr_assert_not(cdx_ix_find_doc(ix, "/a/none.txt", &seg, &doc));
  /* dept:, lead:, chapter_lead: terms (0x03/0x04/0x05 + the whole canonical
   * name); no department words (0x01) since version 6 */
  cdx_ix_postings *it;
  static const struct {
    const char *term;
    uint32_t df, unit;
  } dterms[] = {{"\x03科学技术局", 1, 0},   {"\x04科学技术局", 1, 0},
                {"\x03财政局", 1, 0},       {"\x04财政局", 0, CDX_IX_END},
                {"\x05发展和改革局", 1, 1}, {"\x01科技", 0, CDX_IX_END}};
  for (size_t i = 0; i < sizeof dterms / sizeof dterms[0]; i++) {
    cr_assert_eq(cdx_ix_postings_open(ix, 0, dterms[i].term, strlen(dterms[i].term), &it, &err),
                 CDX_OK);
    cr_expect_eq(cdx_ix_postings_df(it), dterms[i].df, "%s", dterms[i].term + 1);
    cr_expect_eq(cdx_ix_postings_unit(it), dterms[i].unit, "%s", dterms[i].term + 1);
    cdx_ix_postings_free(it);
  }
  /* and the same per unit, with the roles, in the unit's record */
  cdx_ix_cursor cur;
  cr_assert_eq(cdx_ix_unit_depts(ix, 0, 0, &cur, &err), CDX_OK);
  cdx_ix_dept dd;
  bool got;
  cr_assert_eq(cdx_ix_next_dept(&cur, &dd, &got, &err), CDX_OK);
  cr_assert(got);
  cr_expect_str_eq(dd.canonical, "科学技术局");
  cr_expect_str_eq(dd.written, "市科技局");
  cr_expect_eq(dd.roles, CDX_ROLE_LISTED | CDX_ROLE_LEAD);
  /* doc: term, built as the query side builds it, from another spelling */
  char *t;
  size_t tl;
  cr_assert_eq(
      cdx_ix_doc_number_term("乐政发 〔2025〕４号", strlen("乐政发 〔2025〕４号"), &t, &tl, &err),
      CDX_OK);
  cr_assert_eq(cdx_ix_postings_open(ix, 0, t, tl, &it, &err), CDX_OK);
  cr_assert_eq(cdx_ix_postings_df(it), 1);
  cr_assert_eq(cdx_ix_postings_unit(it), 2);
  cdx_ix_postings_free(it);
  free(t);
  /* a character is a unigram only where its run ends (新 in 创新。, not in
   * 创新发展); elsewhere it is the first character of a bigram, and the
   * terms starting with it hold every occurrence, each position once */
  cr_assert(cdx_ix_segment_char_by_prefix(ix, 0));
  cr_assert_eq(cdx_ix_postings_open(ix, 0, "创", strlen("创"), &it, &err), CDX_OK);
  cr_assert_eq(cdx_ix_postings_df(it), 0);
  cdx_ix_postings_free(it);
  cr_assert_eq(cdx_ix_postings_open(ix, 0, "新", strlen("新"), &it, &err), CDX_OK);
  cr_assert_eq(cdx_ix_postings_df(it), 1);
  cr_assert_eq(cdx_ix_postings_unit(it), 0);
  cdx_ix_postings_free(it);
  cdx_ix_postings **its;
  size_t n_its;
  cr_assert_eq(cdx_ix_postings_open_prefix(ix, 0, "新", strlen("新"), &its, &n_its, &err), CDX_OK);
  cr_assert_eq(n_its, 2); /* 新 (unit 0) and 新发 (unit 2), in dictionary order */
  cr_assert_eq(cdx_ix_postings_unit(its[0]), 0);
  cr_assert_eq(cdx_ix_postings_unit(its[1]), 2);
  for (size_t i = 0; i < n_its; i++) cdx_ix_postings_free(its[i]);
  free(its);
  cr_assert_eq(cdx_ix_postings_open_prefix(ix, 0, "创", strlen("创"), &its, &n_its, &err), CDX_OK);
  cr_assert_eq(n_its, 1); /* 创新 */
  cr_assert_eq(cdx_ix_postings_df(its[0]), 2);
  cdx_ix_postings_free(its[0]);
  free(its);
  uint64_t cdf;
  cr_assert_eq(cdx_ix_char_df(ix, "新", strlen("新"), &cdf, &err), CDX_OK);
  cr_assert_eq(cdf, 2);
  cr_assert_eq(cdx_ix_postings_open_prefix(ix, 0, "\x03", 1, &its, &n_its, &err), CDX_OK);
  cr_assert_eq(n_its, 2); /* dept:* : 科学技术局 and 财政局, listed on unit 0 */
  for (size_t i = 0; i < n_its; i++) cdx_ix_postings_free(its[i]);
  free(its);
  cr_assert_eq(cdx_ix_postings_open_prefix(ix, 0, "霾", strlen("霾"), &its, &n_its, &err), CDX_OK);
  cr_assert_eq(n_its, 0);
  free(its);
  cdx_index_close(ix);
  for (int i = 0; i < 4; i++) ixh_doc_free(&d[i]);
  cdx_test_rmtree(dir);
  free(dir);
}

static char *copy_to(const char *dir, const char *name) {
  size_t len;
  char *data = cdx_test_read(cdx_test_seed_path(name), &len);
  char path[4096];
  snprintf(path, sizeof path, "%s/%s", dir, name);
  FILE *f = fopen(path, "wb");
  cr_assert_not_null(f);
  cr_assert_eq(fwrite(data, 1, len, f), len);
  fclose(f);
  free(data);
  return strdup(path);
}

static void expect_docs(const char *idx, uint64_t docs) {
  cdx_index *ix;
  cdx_error err;
  cr_assert_eq(cdx_index_open(idx, &ix, &err), CDX_OK, "%s", err.message);
  cdx_index_stats st;
  cdx_index_get_stats(ix, &st);
  cr_assert_eq(st.documents, docs);
  cr_assert_eq(cdx_index_doc_count(ix), docs);
  cdx_index_close(ix);
  cr_assert_eq(cdx_index_check(idx, &err), CDX_OK, "%s", err.message);
}

Test(index, seeds_add_unchanged_replaced_deleted) {
  if (!cdx_test_seeds_dir()) return;
  char *tmp = cdx_test_tmpdir();
  char idx[4096];
  snprintf(idx, sizeof idx, "%s/idx", tmp);
  char *paths[5];
  for (int i = 0; i < 5; i++) paths[i] = copy_to(tmp, cdx_test_seed_names[i]);
  cdx_writer *w;
  cdx_error err;
  cdx_add_outcome oc;
  cr_assert_eq(cdx_writer_open(idx, NULL, &w, &err), CDX_OK, "%s", err.message);
  for (int i = 0; i < 5; i++) {
    cr_assert_eq(cdx_writer_add_file(w, paths[i], NULL, &oc, &err), CDX_OK, "%s", err.message);
    cr_assert_eq(oc, CDX_ADD_NEW);
  }
  /* a second writer is refused while this one holds the lock */
  cdx_writer *w2;
  cr_assert_eq(cdx_writer_open(idx, NULL, &w2, &err), CDX_BUSY);
  cr_assert_null(w2);
  cr_assert_eq(cdx_writer_commit(w, &err), CDX_OK, "%s", err.message);
  expect_docs(idx, 5);
  for (int i = 0; i < 5; i++) {
    cr_assert_eq(cdx_writer_add_file(w, paths[i], NULL, &oc, &err), CDX_OK);
    cr_assert_eq(oc, CDX_ADD_UNCHANGED);
  }
  cr_assert_eq(cdx_writer_commit(w, &err), CDX_OK);
  expect_docs(idx, 5);
  /* modify one copy: replaced, still five documents */
  FILE *f = fopen(paths[2], "ab");
  fputs("\n（五十）新增条款：支持量子计算产业。\n", f);
  fclose(f);
  cr_assert_eq(cdx_writer_add_file(w, paths[2], NULL, &oc, &err), CDX_OK, "%s", err.message);
  cr_assert_eq(oc, CDX_ADD_REPLACED);
  cr_assert_eq(cdx_writer_commit(w, &err), CDX_OK);
  expect_docs(idx, 5);
  cdx_index *ix;
  cr_assert_eq(cdx_index_open(idx, &ix, &err), CDX_OK);
  uint64_t df;
  cr_assert_eq(cdx_ix_term_df(ix, "量子", strlen("量子"), &df, &err), CDX_OK);
  cr_assert_eq(df, 1);
  cdx_index_close(ix);
  /* overrides change the identity hash too */
  cdx_meta_overrides ov = {0};
  ov.edition = "2026";
  cr_assert_eq(cdx_writer_add_file(w, paths[1], &ov, &oc, &err), CDX_OK, "%s", err.message);
  cr_assert_eq(oc, CDX_ADD_REPLACED);
  /* delete one (by the path as given; ids are canonical paths) */
  cr_assert_eq(cdx_writer_delete(w, paths[0], &err), CDX_OK, "%s", err.message);
  cr_assert_eq(cdx_writer_delete(w, "/no/such/doc", &err), CDX_NOTFOUND);
  cr_assert_eq(cdx_writer_commit(w, &err), CDX_OK);
  expect_docs(idx, 4);
  cr_assert_eq(cdx_index_open(idx, &ix, &err), CDX_OK);
  size_t seg;
  uint32_t doc;
  cr_assert_not(cdx_ix_find_doc(ix, paths[0], &seg, &doc));
  cr_assert(cdx_ix_find_doc(ix, paths[1], &seg, &doc));
  cdx_ix_doc_fields fields;
  cr_assert_eq(cdx_ix_doc_fields_get(ix, seg, doc, &fields, &err), CDX_OK);
  cr_assert_eq(fields.edition, 2026);
  cdx_index_close(ix);
  /* optimize: one segment, nothing deleted left */
  cr_assert_eq(cdx_writer_optimize(w, &err), CDX_OK, "%s", err.message);
  cdx_writer_close(w);
  expect_docs(idx, 4);
  cr_assert_eq(cdx_index_open(idx, &ix, &err), CDX_OK);
  cdx_index_stats st;
  cdx_index_get_stats(ix, &st);
  cr_assert_eq(st.segments, 1);
  cr_assert_eq(st.deleted_units, 0);
  cr_assert_eq(cdx_ix_term_df(ix, "量子", strlen("量子"), &df, &err), CDX_OK);
  cr_assert_eq(df, 1);
  cdx_index_close(ix);
  for (int i = 0; i < 5; i++) free(paths[i]);
  cdx_test_rmtree(tmp);
  free(tmp);
}

Test(index, budget_flushes_segments_and_merges) {
  if (!cdx_test_seeds_dir()) return;
  char *tmp = cdx_test_tmpdir();
  char idx[4096];
  snprintf(idx, sizeof idx, "%s/idx", tmp);
  /* 64 KiB: every document flushes its own segment */
  cdx_writer_options o = {.memory_budget = 64 << 10};
  cdx_writer *w;
  cdx_error err;
  cr_assert_eq(cdx_writer_open(idx, &o, &w, &err), CDX_OK);
  char *paths[5];
  for (int i = 0; i < 5; i++) {
    paths[i] = copy_to(tmp, cdx_test_seed_names[i]);
    cr_assert_eq(cdx_writer_add_file(w, paths[i], NULL, NULL, &err), CDX_OK, "%s", err.message);
  }
  /* uncommitted: a reader sees nothing yet */
  cdx_index *ix;
  cr_assert_eq(cdx_index_open(idx, &ix, &err), CDX_OK);
  cr_assert_eq(cdx_index_doc_count(ix), 0);
  cdx_index_close(ix);
  cr_assert_eq(cdx_writer_commit(w, &err), CDX_OK, "%s", err.message);
  cr_assert_eq(cdx_index_open(idx, &ix, &err), CDX_OK);
  cdx_index_stats st;
  cdx_index_get_stats(ix, &st);
  cr_assert_eq(st.documents, 5);
  cr_assert_geq(st.segments, 3, "segments %llu", (unsigned long long)st.segments);
  cdx_index_close(ix);
  /* many small commits: the tiered policy keeps the segment count bounded */
  for (int round = 0; round < 12; round++) {
    FILE *f = fopen(paths[round % 5], "ab");
    fprintf(f, "\n（九十）补充条款%d。\n", round);
    fclose(f);
    cr_assert_eq(cdx_writer_add_file(w, paths[round % 5], NULL, NULL, &err), CDX_OK);
    cr_assert_eq(cdx_writer_commit(w, &err), CDX_OK, "%s", err.message);
  }
  cr_assert_eq(cdx_index_open(idx, &ix, &err), CDX_OK);
  cdx_index_get_stats(ix, &st);
  cr_assert_eq(st.documents, 5);
  cr_assert_leq(st.segments, 10);
  cdx_index_close(ix);
  /* closing without a commit discards the change */
  cr_assert_eq(cdx_writer_delete(w, paths[3], &err), CDX_OK);
  cdx_writer_close(w);
  expect_docs(idx, 5);
  for (int i = 0; i < 5; i++) free(paths[i]);
  cdx_test_rmtree(tmp);
  free(tmp);
}

/* A document replaced while its first version is still in the unflushed
 * builder, then many more added: the deletion bitmap made early must cover
 * the whole segment at commit (ASan catches an over-read). */
Test(index, replaced_inside_the_builder) {
  if (!cdx_test_seeds_dir()) return;
  char *tmp = cdx_test_tmpdir();
  char idx[4096];
  snprintf(idx, sizeof idx, "%s/idx", tmp);
  size_t len;
  char *text = cdx_test_read(cdx_test_seed_path(cdx_test_seed_names[4]), &len);
  cdx_writer *w;
  cdx_error err;
  cdx_add_outcome oc;
  cr_assert_eq(cdx_writer_open(idx, NULL, &w, &err), CDX_OK);
  char p0[4200];
  snprintf(p0, sizeof p0, "%s/d0.txt", tmp);
  FILE *f = fopen(p0, "wb");
  fwrite(text, 1, len, f);
  fclose(f);
  cr_assert_eq(cdx_writer_add_file(w, p0, NULL, &oc, &err), CDX_OK, "%s", err.message);
  f = fopen(p0, "ab");
  fputs("\n（九十）补充。\n", f);
  fclose(f);
  cr_assert_eq(cdx_writer_add_file(w, p0, NULL, &oc, &err), CDX_OK);
  cr_assert_eq(oc, CDX_ADD_REPLACED);
  for (int i = 1; i < 40; i++) {
    char p[4200];
    snprintf(p, sizeof p, "%s/d%d.txt", tmp, i);
    f = fopen(p, "wb");
    fwrite(text, 1, len, f);
    fclose(f);
    cr_assert_eq(cdx_writer_add_file(w, p, NULL, &oc, &err), CDX_OK, "%s", err.message);
  }
  cr_assert_eq(cdx_writer_commit(w, &err), CDX_OK, "%s", err.message);
  cdx_writer_close(w);
  expect_docs(idx, 40);
  free(text);
  cdx_test_rmtree(tmp);
  free(tmp);
}

/* Stored text (UTF-16 in the store) comes back byte for byte, before and
 * after a merge re-encodes it; text that is not UTF-8 is refused. */
static const char stored_texts[][64] = {
    "支持企业创新 ASCII 123 ü é ß ‰",
    "生僻字𠀀𠮷 emoji 😀 end",
    "",
    "NUL\0inside 文本",
    "\x7f\xc2\x80\xdf\xbf\xe0\xa0\x80\xef\xbf\xbf\xf0\x90\x80\x80\xf4\x8f\xbf\xbf",
};
static const size_t stored_lens[] = {0, 0, 0, 18, 0};
static void expect_stored(const char *dir, size_t n) {
  cdx_index *ix;
  cdx_error err;
  cr_assert_eq(cdx_index_open(dir, &ix, &err), CDX_OK, "%s", err.message);
  cdx_ix_store *st;
  cr_assert_eq(cdx_ix_store_new(ix, &st, &err), CDX_OK);
  for (uint32_t u = 0; u < n; u++) {
    size_t want = stored_lens[u] ? stored_lens[u] : strlen(stored_texts[u]);
    cdx_ix_unit_fields f;
    cr_assert_eq(cdx_ix_store_unit(st, 0, u, &f, &err), CDX_OK, "%s", err.message);
    cr_assert_eq(f.text_len, want, "unit %u: %zu bytes", u, f.text_len);
    cr_assert(memcmp(f.text, stored_texts[u], want) == 0, "unit %u", u);
    cr_assert_eq(f.text[want], '\0', "unit %u is NUL-terminated", u);
  }
  cdx_ix_store_free(st);
  cdx_index_close(ix);
  cr_assert_eq(cdx_index_check(dir, &err), CDX_OK, "%s", err.message);
}

Test(index, stored_text_round_trips_in_both_forms) {
  char *dir = cdx_test_tmpdir();
  size_t n = sizeof stored_texts / sizeof stored_texts[0];
  const char *t[sizeof stored_texts / sizeof stored_texts[0]];
  for (size_t i = 0; i < n; i++) t[i] = stored_texts[i];
  const char *gone[] = {"删除的文档"};
  ixh_doc d[2];
  ixh_doc_init(&d[0], "/t/kept", t, n);
  d[0].units[3].text_len = stored_lens[3];
  ixh_doc_init(&d[1], "/t/gone", gone, 1);
  cdx_ix_doc_in in[2] = {d[0].in, d[1].in};
  ixh_write_index(dir, in, 2);
  ixh_doc_free(&d[0]);
  ixh_doc_free(&d[1]);
  expect_stored(dir, n);
  /* not UTF-8 (a byte that never occurs, an encoded surrogate) */
  const char *bad[] = {"bad \xff bytes", "surrogate \xed\xa0\x80 encoded"};
  for (size_t i = 0; i < 2; i++) {
    cdx_segb *b;
    cdx_error err;
    cr_assert_eq(cdx_segb_new(&b, &err), CDX_OK);
    ixh_doc_init(&d[0], "/t/bad", bad + i, 1);
    cr_assert_eq(cdx_segb_add(b, &d[0].in, &err), CDX_ENCODING);
    cr_assert(strstr(err.message, "UTF-8"), "%s", err.message);
    ixh_doc_free(&d[0]);
    cdx_segb_free(b);
  }
  /* a deletion and optimize: the kept document is rebuilt from the store */
  cdx_writer *w;
  cdx_error err;
  cr_assert_eq(cdx_writer_open(dir, NULL, &w, &err), CDX_OK, "%s", err.message);
  cr_assert_eq(cdx_writer_delete(w, "/t/gone", &err), CDX_OK, "%s", err.message);
  cr_assert_eq(cdx_writer_optimize(w, &err), CDX_OK, "%s", err.message);
  cdx_writer_close(w);
  expect_stored(dir, n);
  cdx_test_rmtree(dir);
  free(dir);
}
