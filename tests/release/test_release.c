/* release/: links, families and change reports on constructed documents,
 * indexed batch by batch through the writer. */
#define _POSIX_C_SOURCE 200809L
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "clausedex.h"
#include "support/test_support.h"

typedef struct fixture {
  char *tmp, idx[4200];
} fixture;

static void fx_init(fixture *f) {
  f->tmp = cdx_test_tmpdir();
  snprintf(f->idx, sizeof f->idx, "%s/index", f->tmp);
}
static void fx_free(fixture *f) {
  cdx_test_rmtree(f->tmp);
  free(f->tmp);
}

/* A small policy: title, optional 文号 line, a preamble, two clauses, the
 * signature of issuer with a 2025 date. */
static const char *doc_path(fixture *f, const char *name) {
  static char p[4][4400]; /* two may stand in one call */
  static int next;
  char *o = p[next++ % 4];
  snprintf(o, sizeof p[0], "%s/%s", f->tmp, name);
  return o;
}
static void write_doc(fixture *f, const char *name, const char *title, const char *number,
                      const char *preamble, const char *clause2, const char *issuer) {
  FILE *o = fopen(doc_path(f, name), "w");
  cr_assert_not_null(o);
  fprintf(o,
          "%s\n%s%s\n%"
          "s\n\n一、总则\n\n（一）支持企业开展设备更新，最高不超过200万元。（责任单位：经信局）\n\n"
          "（二）%s（责任单位：商务局）\n\n%s\n2025年2月20日\n",
          title, number ? number : "", number ? "\n" : "", preamble, clause2, issuer);
  fclose(o);
}

/* Indexes the named files as one batch; returns the batch's report
 * (before: the index as it was). */
static cdx_report *batch(fixture *f, const char *const *names, size_t n, const char *delete_name) {
  cdx_index *before = NULL;
  cdx_error err;
  if (cdx_index_open(f->idx, &before, &err) != CDX_OK) before = NULL;
  cdx_writer *w;
  cr_assert_eq(cdx_writer_open(f->idx, NULL, &w, &err), CDX_OK, "%s", err.message);
  for (size_t i = 0; i < n; i++)
    cr_assert_eq(cdx_writer_add_file(w, doc_path(f, names[i]), NULL, NULL, &err), CDX_OK, "%s",
                 err.message);
  if (delete_name) cr_assert_eq(cdx_writer_delete(w, doc_path(f, delete_name), &err), CDX_OK);
  cr_assert_eq(cdx_writer_commit(w, &err), CDX_OK, "%s", err.message);
  cdx_writer_close(w);
  cdx_index *after;
  cr_assert_eq(cdx_index_open(f->idx, &after, &err), CDX_OK, "%s", err.message);
  cdx_report *r;
  cr_assert_eq(cdx_report_compute(before, after, &r, &err), CDX_OK, "%s", err.message);
  cdx_index_close(before);
  cdx_index_close(after);
  return r;
}

static char *render(const cdx_report *r, cdx_report_format fmt) {
  char *s;
  cdx_error err;
  cr_assert_eq(cdx_report_render(r, fmt, &s, NULL, &err), CDX_OK);
  return s;
}

/* The link from the document named `from` (file name), citing `title_part`. */
static const cdx_link *link_of(const cdx_links *l, const char *from, const char *title_part) {
  for (size_t i = 0; i < cdx_links_count(l); i++) {
    const cdx_link *k = cdx_links_get(l, i);
    if (strstr(k->from, from) && strstr(k->title, title_part)) return k;
  }
  return NULL;
}

Test(links, resolved_by_number_or_title_and_kept_when_missing) {
  fixture f;
  fx_init(&f);
  write_doc(&f, "city.txt", "温州市推动以旧换新若干政策（2025年版）", NULL,
            "为推动消费，制定以下政策。", "鼓励居民参与家电以旧换新。", "温州市人民政府");
  write_doc(&f, "lc.txt", "鹿城区推动以旧换新若干政策（2025年版）", "温鹿政发〔2025〕1号",
            "根据《温州市推动以旧换新若干政策（2025年版）》（温政发〔2025〕7号），结合我区实际，制"
            "定以下政策。",
            "鼓励居民参与家电以旧换新，每台补贴300元。", "温州市鹿城区人民政府");
  write_doc(
      &f, "lw.txt", "龙湾区推动以旧换新若干政策（2025年版）", "温龙政发〔2025〕3号",
      "根据《温州市人民政府关于印发推动以旧换新若干政策（2025年版）的通知》（温政发[2025]7号）、"
      "《杭州市数据管理办法》（杭政发〔2025〕1号），结合我区实际，制定以下政策。",
      "鼓励居民参与家电以旧换新，每台补贴400元。", "温州市龙湾区人民政府");
  write_doc(&f, "street.txt", "五马街道推动以旧换新实施细则", NULL,
            "依据《鹿城区推动以旧换新若干政策》（温鹿政发（２０２５）1号），制定本细则。",
            "鼓励居民参与家电以旧换新，每台补贴100元。", "温州市鹿城区五马街道办事处");
  const char *names[] = {"city.txt", "lc.txt", "lw.txt", "street.txt"};
  cdx_report_free(batch(&f, names, 4, NULL));
  cdx_index *ix;
  cdx_error err;
  cr_assert_eq(cdx_index_open(f.idx, &ix, &err), CDX_OK);
  cdx_links *l;
  cr_assert_eq(cdx_links_compute(ix, &l, &err), CDX_OK, "%s", err.message);
  const cdx_link *k = link_of(l, "lc.txt", "温州市推动");
  cr_assert_not_null(k);
  cr_assert_not_null(k->to, "lc.txt's basis unresolved");
  cr_expect(strstr(k->to, "city.txt"));
  cr_expect_not(k->by_number, "the city document has no 文号 of its own");
  k = link_of(l, "lw.txt", "温州市人民政府关于印发");
  cr_assert(k && k->to && strstr(k->to, "city.txt"));
  k = link_of(l, "lw.txt", "杭州市");
  cr_assert_not_null(k, "an unresolved citation is kept");
  cr_expect_null(k->to);
  cr_expect_str_eq(k->number, "杭政发〔2025〕1号");
  k = link_of(l, "street.txt", "鹿城区");
  cr_assert(k && k->to && strstr(k->to, "lc.txt"), "by 文号 in another spelling");
  cr_expect(k->by_number);
  size_t src = 0;
  char city[4400];
  snprintf(city, sizeof city, "%s", doc_path(&f, "city.txt"));
  const char *inf = NULL;
  for (size_t i = 0; i < cdx_index_doc_count(ix); i++) {
    cdx_index_doc d;
    cr_assert_eq(cdx_index_doc_get(ix, i, &d, &err), CDX_OK);
    if (strstr(d.id, "city.txt")) inf = cdx_links_inferred_number(l, d.id, &src);
    if (strstr(d.id, "lc.txt"))
      cr_expect_null(cdx_links_inferred_number(l, d.id, NULL), "it has a 文号");
  }
  cr_assert_not_null(inf, "the city document gets the number both citations give it");
  cr_expect_str_eq(inf, "温政发〔2025〕7号");
  cr_expect_eq(src, 2);
  /* a short id names a document without a 文号 */
  const char *id;
  char sid[CDX_SHORT_ID_LEN + 1];
  for (size_t i = 0; i < cdx_index_doc_count(ix); i++) {
    cdx_index_doc d;
    cr_assert_eq(cdx_index_doc_get(ix, i, &d, &err), CDX_OK);
    cdx_doc_short_id(d.id, sid);
    cr_assert_eq(cdx_index_resolve_doc(ix, sid, &id, &err), CDX_OK, "%s", err.message);
    cr_expect_str_eq(id, d.id);
  }
  cr_expect_eq(cdx_index_resolve_doc(ix, "温龙政发（２０２５）3号", &id, &err), CDX_OK);
  cdx_links_free(l);
  cdx_index_close(ix);
  fx_free(&f);
}

Test(report, new_family_version_replaced_deleted_and_no_changes) {
  fixture f;
  fx_init(&f);
  write_doc(&f, "v1.txt", "乐清市推动测试产业发展若干政策（送审稿）", NULL,
            "为推动发展，制定以下政策。", "鼓励居民参与家电以旧换新，每台补贴500元。",
            "乐清市人民政府");
  write_doc(&f, "v2.txt", "乐清市推动测试产业发展若干政策", "乐政发〔2025〕9号",
            "为推动发展，制定以下政策。", "鼓励居民参与家电以旧换新，每台补贴800元。",
            "乐清市人民政府");
  const char *b1[] = {"v1.txt"}, *b2[] = {"v2.txt"};
  cdx_report *r = batch(&f, b1, 1, NULL);
  char *js = render(r, CDX_REPORT_JSON);
  cr_expect(strstr(js, "\"new_families\":[{\"family\":\"330382:推动测试产业发展若干政策\""), "%s",
            js);
  cr_expect(strstr(js, "\"new_versions\":[]"), "%s", js);
  cr_expect_not(cdx_report_empty(r));
  cdx_free(js);
  cdx_report_free(r);

  r = batch(&f, b2, 1, NULL);
  js = render(r, CDX_REPORT_JSON);
  cr_expect(strstr(js, "\"new_families\":[]"), "%s", js);
  cr_expect(strstr(js, "\"kind\":\"stage\",\"transition\":\"送审稿 -> final\""), "%s", js);
  /* the clause counts are the aligner's */
  cdx_index *ix;
  cdx_error err;
  cr_assert_eq(cdx_index_open(f.idx, &ix, &err), CDX_OK);
  cdx_alignment *al;
  cr_assert_eq(
      cdx_align_documents(ix, doc_path(&f, "v1.txt"), doc_path(&f, "v2.txt"), NULL, &al, &err),
      CDX_OK, "%s", err.message);
  char want[256];
  snprintf(want, sizeof want, "\"relations\":{\"same\":%zu,\"changed\":%zu,",
           cdx_alignment_relation_count(al, CDX_REL_SAME),
           cdx_alignment_relation_count(al, CDX_REL_CHANGED));
  cr_expect(cdx_alignment_relation_count(al, CDX_REL_CHANGED) >= 1);
  cr_expect(strstr(js, want), "%s not in %s", want, js);
  cr_expect(strstr(js, "\"a\":\"500元\",\"b\":\"800元\""), "the changed figure: %s", js);
  cdx_alignment_free(al);
  cdx_index_close(ix);
  char *txt = render(r, CDX_REPORT_TEXT);
  cr_expect(strstr(txt, "new stage"), "%s", txt);
  cr_expect(strstr(txt, "送审稿 -> final"), "%s", txt);
  cdx_free(txt);
  cdx_free(js);
  /* stored, and listed back */
  cr_assert_eq(cdx_report_store(f.idx, r, &err), CDX_OK, "%s", err.message);
  cdx_report_free(r);

  r = batch(&f, b2, 1, NULL); /* unchanged */
  cr_expect(cdx_report_empty(r));
  txt = render(r, CDX_REPORT_TEXT);
  cr_expect(strstr(txt, "no changes"), "%s", txt);
  cdx_free(txt);
  cdx_report_free(r);

  r = batch(&f, NULL, 0, "v1.txt");
  js = render(r, CDX_REPORT_JSON);
  cr_expect(strstr(js, "\"deleted\":[{\"doc\":") && strstr(js, "v1.txt"), "%s", js);
  cdx_free(js);
  cdx_report_free(r);

  write_doc(&f, "v2.txt", "乐清市推动测试产业发展若干政策", "乐政发〔2025〕9号",
            "为推动发展，制定以下政策。", "鼓励居民参与家电以旧换新，每台补贴900元。",
            "乐清市人民政府");
  r = batch(&f, b2, 1, NULL);
  js = render(r, CDX_REPORT_JSON);
  cr_expect(strstr(js, "\"replaced\":[{\"doc\":") && strstr(js, "v2.txt"), "%s", js);
  cdx_free(js);
  cdx_report_free(r);
  fx_free(&f);
}

static int count_reports(void *ctx, uint64_t batch, uint64_t ts, const char *text, size_t len) {
  (void)ts;
  (void)len;
  size_t *n = ctx;
  cr_expect(strstr(text, "# Batch"), "%s", text);
  cr_expect_gt(batch, 0);
  (*n)++;
  return 0;
}

Test(report, stored_reports_are_listed_in_order) {
  fixture f;
  fx_init(&f);
  write_doc(&f, "a.txt", "乐清市推动测试产业发展若干政策", NULL, "为推动发展，制定以下政策。",
            "鼓励消费。", "乐清市人民政府");
  write_doc(&f, "b.txt", "永嘉县推动测试产业发展若干政策", NULL, "为推动发展，制定以下政策。",
            "鼓励消费。", "永嘉县人民政府");
  const char *b1[] = {"a.txt"}, *b2[] = {"b.txt"};
  cdx_error err;
  for (int k = 0; k < 2; k++) {
    cdx_report *r = batch(&f, k ? b2 : b1, 1, NULL);
    cr_assert_eq(cdx_report_store(f.idx, r, &err), CDX_OK, "%s", err.message);
    cdx_report_free(r);
  }
  size_t n = 0;
  cr_assert_eq(cdx_report_each(f.idx, 0, 0, CDX_REPORT_MD, count_reports, &n, &err), CDX_OK);
  cr_expect_eq(n, 2);
  n = 0;
  cr_assert_eq(cdx_report_each(f.idx, 2, 0, CDX_REPORT_MD, count_reports, &n, &err), CDX_OK);
  cr_expect_eq(n, 1, "since batch 2");
  n = 0;
  cr_assert_eq(cdx_report_each(f.idx, 0, UINT64_MAX / 2, CDX_REPORT_MD, count_reports, &n, &err),
               CDX_OK);
  cr_expect_eq(n, 0, "nothing after the far future");
  fx_free(&f);
}

Test(families, ambiguous_document_is_placed_alone_and_reported) {
  fixture f;
  fx_init(&f);
  write_doc(&f, "yq.txt", "乐清市推动测试产业发展若干政策", NULL, "为推动发展，制定以下政策。",
            "鼓励消费。", "乐清市人民政府");
  write_doc(&f, "yj.txt", "永嘉县推动测试产业发展若干政策", NULL, "为推动发展，制定以下政策。",
            "鼓励消费。", "永嘉县人民政府");
  write_doc(&f, "one.txt", "瑞安市促进测试消费若干政策", NULL, "为促进消费，制定以下政策。",
            "鼓励消费。", "瑞安市人民政府");
  /* no place anywhere in the text: two families fit the first, one the
   * second */
  write_doc(&f, "x.txt", "推动测试产业发展若干政策", NULL, "为推动发展，制定以下政策。",
            "鼓励消费。", "办公室");
  write_doc(&f, "y.txt", "促进测试消费若干政策（2026年版）", NULL, "为促进消费，制定以下政策。",
            "鼓励消费。", "办公室");
  const char *b1[] = {"yq.txt", "yj.txt", "one.txt"}, *b2[] = {"x.txt", "y.txt"};
  cdx_report_free(batch(&f, b1, 3, NULL));
  cdx_report *r = batch(&f, b2, 2, NULL);
  const char *const *ids;
  size_t n = cdx_report_ambiguous(r, &ids);
  cr_assert_eq(n, 1);
  cr_expect(strstr(ids[0], "x.txt"), "%s", ids[0]);
  cdx_report_free(r);
  cdx_index *ix;
  cdx_error err;
  cr_assert_eq(cdx_index_open(f.idx, &ix, &err), CDX_OK);
  cdx_families *fam;
  cr_assert_eq(cdx_families_collect(ix, &fam, &err), CDX_OK);
  size_t v;
  const cdx_family *fx = cdx_families_of(fam, doc_path(&f, "x.txt"), &v);
  cr_assert_not_null(fx);
  cr_expect_eq(fx->n_versions, 1, "alone");
  cr_expect(fx->versions[0].family_ambiguous);
  const cdx_family *fy = cdx_families_of(fam, doc_path(&f, "y.txt"), &v);
  cr_assert_not_null(fy);
  cr_expect_eq(fy->n_versions, 2, "joined the one family that fits");
  cr_expect_str_eq(fy->key, "330381:促进测试消费若干政策");
  cr_expect(fy->versions[1].latest, "the 2026 edition is the latest");
  cdx_families_free(fam);
  cdx_index_close(ix);
  /* the command warns naming the file */
  write_doc(&f, "z.txt", "推动测试产业发展若干政策（2026年版）", NULL, "为推动发展，制定以下政策。",
            "鼓励。", "办公室");
  char *out = NULL;
  cr_expect_eq(cdx_test_cli(&out, "index -i '%s' '%s' 2>&1", f.idx, doc_path(&f, "z.txt")), 0);
  cr_expect(out && strstr(out, "z.txt: warning: two policy families fit"), "%s", out);
  free(out);
  /* a batch of many such documents: twenty named, the rest counted */
  char dir[4400];
  snprintf(dir, sizeof dir, "%s/many", f.tmp);
  cr_assert_eq(mkdir(dir, 0755), 0);
  for (int i = 0; i < 23; i++) {
    char name[64], clause[64];
    snprintf(name, sizeof name, "many/z%02d.txt", i);
    snprintf(clause, sizeof clause, "鼓励第%d项。", i);
    write_doc(&f, name, "推动测试产业发展若干政策（2026年版）", NULL, "为推动发展，制定以下政策。",
              clause, "办公室");
  }
  cr_expect_eq(cdx_test_cli(&out, "index -i '%s' '%s' 2>&1 >/dev/null", f.idx, dir), 0);
  size_t named = 0;
  for (const char *p = out; p && (p = strstr(p, ": warning: two policy families fit")); p++)
    named++;
  cr_expect_eq(named, 20, "%s", out);
  cr_expect(out && strstr(out, "warning: 3 more documents placed in a family of their own"), "%s",
            out);
  free(out);
  fx_free(&f);
}

Test(families, sidecar_family_overrides_the_rule) {
  fixture f;
  fx_init(&f);
  write_doc(&f, "a.txt", "乐清市推动测试产业发展若干政策", NULL, "为推动发展，制定以下政策。",
            "鼓励消费。", "乐清市人民政府");
  write_doc(&f, "b.txt", "乐清市促进测试消费若干政策", NULL, "为促进消费，制定以下政策。",
            "鼓励消费。", "乐清市人民政府");
  FILE *m = fopen(doc_path(&f, "b.txt.meta"), "w");
  fputs("family: 330382:推动测试产业发展若干政策\n", m);
  fclose(m);
  const char *b1[] = {"a.txt", "b.txt"};
  cdx_report_free(batch(&f, b1, 2, NULL));
  cdx_index *ix;
  cdx_error err;
  cr_assert_eq(cdx_index_open(f.idx, &ix, &err), CDX_OK);
  cdx_families *fam;
  cr_assert_eq(cdx_families_collect(ix, &fam, &err), CDX_OK);
  cr_expect_eq(cdx_families_count(fam), 1);
  cr_expect_eq(cdx_families_get(fam, 0)->n_versions, 2);
  cdx_families_free(fam);
  cdx_index_close(ix);
  /* a bad family value names the sidecar line */
  m = fopen(doc_path(&f, "b.txt.meta"), "w");
  fputs("family: a\tb\n", m);
  fclose(m);
  cdx_document *doc;
  cr_expect_eq(cdx_document_read_file(doc_path(&f, "b.txt"), NULL, &doc, &err), CDX_INVALID);
  cr_expect(strstr(err.message, "b.txt.meta:1"), "%s", err.message);
  fx_free(&f);
}

Test(families, jsonl_family_field) {
  fixture f;
  fx_init(&f);
  FILE *o = fopen(doc_path(&f, "d.jsonl"), "w");
  fputs("{\"doc\": \"a\", \"text\": \"（一）支持创新。\", \"title\": \"乐清市某政策\", \"family\": "
        "\"自定义家族\"}\n"
        "{\"doc\": \"b\", \"text\": \"（一）支持创新。\", \"title\": \"乐清市某政策\", \"family\": "
        "3}\n",
        o);
  fclose(o);
  cdx_jsonl_reader *r;
  cdx_error err;
  cr_assert_eq(cdx_jsonl_open(doc_path(&f, "d.jsonl"), &r, &err), CDX_OK);
  /* the reader reads one record ahead: the bad one may be told first */
  bool got_a = false, bad_line2 = false;
  for (int k = 0; k < 4; k++) {
    cdx_document *doc = NULL;
    const char *id;
    int rc = cdx_jsonl_next(r, &doc, &id, &err);
    if (rc == CDX_BADINPUT) {
      bad_line2 |= strstr(err.message, "d.jsonl:2") != NULL;
      continue;
    }
    cr_assert_eq(rc, CDX_OK, "%s", err.message);
    if (!doc) break;
    if (strcmp(id, "a") == 0) {
      got_a = true;
      cr_expect_str_eq(cdx_document_get_meta(doc)->family, "自定义家族");
    }
    cdx_document_free(doc);
  }
  cr_expect(got_a);
  cr_expect(bad_line2, "a family that is not a string names its line");
  cdx_jsonl_close(r);
  fx_free(&f);
}

Test(report, terminal_summary_stays_one_screen) {
  fixture f;
  fx_init(&f);
  const char *names[25];
  char name_buf[25][32];
  for (int i = 0; i < 25; i++) {
    char title[128];
    snprintf(name_buf[i], sizeof name_buf[i], "p%02d.txt", i);
    snprintf(title, sizeof title, "乐清市推动第%d类产业发展若干政策", i + 1);
    write_doc(&f, name_buf[i], title, NULL, "为推动发展，制定以下政策。", "鼓励消费。",
              "乐清市人民政府");
    names[i] = name_buf[i];
  }
  cdx_report *r = batch(&f, names, 25, NULL);
  char *txt = render(r, CDX_REPORT_TEXT);
  size_t lines = 0;
  for (const char *p = txt; (p = strchr(p, '\n')) != NULL; p++) lines++;
  cr_expect_leq(lines, 24, "%zu lines:\n%s", lines, txt);
  cr_expect(strstr(txt, "more (clausedex index --report md"), "%s", txt);
  char *md = render(r, CDX_REPORT_MD);
  size_t fams = 0;
  for (const char *p = md; (p = strstr(p, "\n- `")) != NULL; p++) fams++;
  cr_expect_eq(fams, 25, "Markdown has every entry");
  cdx_free(md);
  cdx_free(txt);
  cdx_report_free(r);
  fx_free(&f);
}
