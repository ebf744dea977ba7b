/* corpus/: reading, cleaning, metadata and structure of policy documents,
 * checked on the five seed documents and on variants made from them. */
#define _GNU_SOURCE /* memmem, strndup */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unicode/ucnv.h>
#include "clausedex.h"
#include "support/seed_doc.h"
#include "support/test_support.h"

typedef struct expect {
  const char *title;
  uint32_t code;
  uint32_t parents[2];
  cdx_doc_status status;
  int edition;
  uint32_t date;
  const char *doc_number;
  const char *issuer;
  size_t clauses;
} expect;

static const expect s_expect[5] = {
    /* the edition line under a title belongs to it; the status line does not */
    {"乐清市关于推动经济高质量发展的若干政策（2025版）",
     330382,
     {330300, 330000},
     CDX_STATUS_DRAFT_FOR_APPROVAL,
     2025,
     0,
     NULL,
     NULL,
     37},
    {"乐清市推动经济高质量发展若干政策(2025年版)",
     330382,
     {330300, 330000},
     CDX_STATUS_FINAL,
     2025,
     20250306,
     "乐政发〔2025〕4号",
     "乐清市人民政府",
     37},
    {"溫州市推動經濟高質量發展若干政策(2025年版)",
     330300,
     {330000, 0},
     CDX_STATUS_FINAL,
     2025,
     20250208,
     NULL,
     "溫州市人民政府",
     45},
    {"乐清市进一步推动经济高质量发展若干政策",
     330382,
     {330300, 330000},
     CDX_STATUS_DRAFT_FOR_COMMENT,
     2024,
     0,
     NULL,
     NULL,
     65},
    {"鹿城区推动经济高质量发展若干政策(2025年版)",
     330302,
     {330300, 330000},
     CDX_STATUS_FINAL,
     2025,
     20250510,
     "温鹿政发〔2025〕29号",
     "温州市鹿城区人民政府",
     41},
};

static size_t count_kind(const cdx_document *doc, cdx_unit_kind kind) {
  size_t n = 0;
  for (size_t i = 0; i < cdx_document_unit_count(doc); i++)
    if (cdx_document_get_unit(doc, i)->kind == kind) n++;
  return n;
}

static bool streq(const char *a, const char *b) {
  return (a == NULL && b == NULL) || (a && b && strcmp(a, b) == 0);
}

Test(corpus_seeds, metadata_and_structure) {
  for (int i = 0; i < 5; i++) {
    cdx_document *doc = cdx_test_read_seed_doc(i);
    const cdx_document_meta *m = cdx_document_get_meta(doc);
    const expect *e = &s_expect[i];
    const char *name = cdx_test_seed_names[i];
    cr_expect_str_eq(m->title, e->title, "%s title", name);
    cr_expect_eq(m->jurisdiction.code, e->code, "%s jurisdiction %u", name, m->jurisdiction.code);
    for (size_t k = 0; k < 2 && e->parents[k]; k++) {
      cr_assert_gt(m->n_parents, k, "%s parents", name);
      cr_expect_eq(m->parents[k].code, e->parents[k], "%s parent %zu", name, k);
    }
    cr_expect_eq(m->parents[m->n_parents - 1].level, CDX_LEVEL_PROVINCE, "%s", name);
    cr_expect_eq(m->status, e->status, "%s status", name);
    cr_expect_eq(m->status_class,
                 e->status == CDX_STATUS_FINAL ? CDX_CLASS_FINAL : CDX_CLASS_DRAFT);
    cr_expect_eq(m->edition, e->edition, "%s edition %d", name, m->edition);
    cr_expect_eq(m->date, e->date, "%s date %u", name, m->date);
    cr_expect(streq(m->doc_number, e->doc_number), "%s doc_number %s", name,
              m->doc_number ? m->doc_number : "(null)");
    cr_expect(streq(m->issuer, e->issuer), "%s issuer %s", name, m->issuer ? m->issuer : "(null)");
    cr_expect_eq(count_kind(doc, CDX_UNIT_CHAPTER), 8, "%s chapters", name);
    cr_expect_eq(count_kind(doc, CDX_UNIT_CLAUSE), e->clauses, "%s clauses %zu", name,
                 count_kind(doc, CDX_UNIT_CLAUSE));
    cr_expect_eq(count_kind(doc, CDX_UNIT_PREAMBLE), 1, "%s preamble", name);
    cr_expect_geq(count_kind(doc, CDX_UNIT_CLOSING), 1, "%s closing", name);

    /* clause numbers run 1..n across chapters; units are ordered, in range */
    size_t len;
    const char *text = cdx_document_get_text(doc, &len);
    int next = 1, chapter = 0;
    size_t prev_end = 0;
    for (size_t u = 0; u < cdx_document_unit_count(doc); u++) {
      const cdx_unit_view *v = cdx_document_get_unit(doc, u);
      cr_assert_eq(v->ordinal, (int)u);
      cr_assert(v->start < v->end && v->end <= len && v->start >= prev_end, "%s unit %zu", name, u);
      prev_end = v->end;
      if (v->kind == CDX_UNIT_CHAPTER) {
        cr_expect_eq(v->chapter, ++chapter);
        cr_expect_not_null(v->lead_department, "%s chapter %d lead", name, chapter);
        cr_expect_not_null(v->heading);
      }
      if (v->kind == CDX_UNIT_CLAUSE) {
        cr_expect_eq(v->number_value, next, "%s clause %d has %d", name, next, v->number_value);
        cr_expect_eq(v->chapter, chapter);
        cr_assert_not_null(v->number);
        cr_expect(strncmp(text + v->start, v->number, strlen(v->number)) == 0 ||
                      strstr(v->number, "\xef\xbf\xbd") == NULL,
                  "%s clause %d number", name, next);
        cr_expect_not_null(v->heading, "%s clause %d heading", name, next);
        next++;
      }
    }
    cdx_document_free(doc);
  }
}

Test(corpus_seeds, lead_departments_and_responsible_units) {
  cdx_document *doc = cdx_test_read_seed_doc(0);
  const cdx_unit_view *ch = cdx_document_get_unit(doc, 1);
  cr_assert_eq(ch->kind, CDX_UNIT_CHAPTER);
  cr_expect_str_eq(ch->heading, "强化科技创新");
  cr_expect_str_eq(ch->lead_department, "市科技局");
  const cdx_unit_view *c1 = cdx_document_get_unit(doc, 2);
  cr_assert_eq(c1->kind, CDX_UNIT_CLAUSE);
  cr_expect_str_eq(c1->number, "（一）");
  cr_expect_str_eq(c1->heading, "加强创新载体建设");
  cr_expect_str_eq(c1->lead_department, "市科技局");
  cr_assert_eq(c1->n_responsible, 2);
  cr_expect_str_eq(c1->responsible[0], "市科技局");
  cr_expect_str_eq(c1->responsible[1], "市经信局");
  cdx_document_free(doc);

  /* 003: "（由市发改局牵头实施）" and a note sharing the 责任单位 bracket */
  doc = cdx_test_read_seed_doc(3);
  ch = cdx_document_get_unit(doc, 1);
  cr_expect_str_eq(ch->lead_department, "市发改局");
  c1 = cdx_document_get_unit(doc, 2);
  cr_expect_str_eq(c1->number, "1.");
  for (size_t k = 0; k < c1->n_responsible; k++)
    cr_expect(strstr(c1->responsible[k], "下同") == NULL, "note taken as unit: %s",
              c1->responsible[k]);
  cr_expect_geq(c1->n_responsible, 1);
  cdx_document_free(doc);
}

Test(corpus_seeds, policy_keys_join_versions) {
  cdx_document *d[4];
  for (int i = 0; i < 4; i++) d[i] = cdx_test_read_seed_doc(i);
  const char *k0 = cdx_document_get_meta(d[0])->policy_key;
  cr_expect_str_eq(k0, "330382:推动经济高质量发展若干政策:2025");
  cr_expect_str_eq(cdx_document_get_meta(d[1])->policy_key, k0);
  cr_expect_str_neq(cdx_document_get_meta(d[3])->policy_key, k0);
  cr_expect_str_neq(cdx_document_get_meta(d[2])->policy_key, k0);
  /* a Traditional title keys by its Simplified form */
  cr_expect_str_eq(cdx_document_get_meta(d[2])->policy_key,
                   "330300:推动经济高质量发展若干政策:2025");
  for (int i = 0; i < 4; i++) cdx_document_free(d[i]);
}

static const char *const s_chrome[] = {"[bookmark", "_Hlk",     "_GoBack",  "索引号",
                                       "组配分类",  "发布机构", "生成日期", "下载阅读版本",
                                       "返回顶部",  "打印本稿", "关闭本页", "原文如下",
                                       "抄送",      "印发\n",   "文件提出", NULL};

Test(corpus_seeds, no_chrome_in_units) {
  for (int i = 0; i < 5; i++) {
    cdx_document *doc = cdx_test_read_seed_doc(i);
    size_t len;
    const char *text = cdx_document_get_text(doc, &len);
    for (size_t u = 0; u < cdx_document_unit_count(doc); u++) {
      const cdx_unit_view *v = cdx_document_get_unit(doc, u);
      char *t = strndup(text + v->start, v->end - v->start);
      for (size_t k = 0; s_chrome[k]; k++)
        cr_expect(strstr(t, s_chrome[k]) == NULL, "%s unit %zu holds '%s'", cdx_test_seed_names[i],
                  u, s_chrome[k]);
      free(t);
    }
    for (size_t k = 0; s_chrome[k]; k++)
      cr_expect(strstr(text, s_chrome[k]) == NULL, "%s text holds '%s'", cdx_test_seed_names[i],
                s_chrome[k]);
    cdx_document_free(doc);
  }
}

Test(corpus_seeds, mojibake_repaired) {
  cdx_document *doc = cdx_test_read_seed_doc(2);
  const cdx_document_meta *m = cdx_document_get_meta(doc);
  bool warned = false;
  for (size_t i = 0; i < m->n_warnings; i++)
    if (strstr(m->warnings[i], "mojibake")) warned = true;
  cr_expect(warned, "no mojibake warning");
  size_t len;
  const char *text = cdx_document_get_text(doc, &len);
  const cdx_unit_view *c1 = NULL;
  for (size_t u = 0; u < cdx_document_unit_count(doc) && !c1; u++)
    if (cdx_document_get_unit(doc, u)->kind == CDX_UNIT_CLAUSE) c1 = cdx_document_get_unit(doc, u);
  cr_assert_not_null(c1);
  cr_expect(strncmp(text + c1->start, "（一）推動高能級科創平臺提質增效",
                    strlen("（一）推動高能級科創平臺提質增效")) == 0,
            "repaired clause: %.60s", text + c1->start);
  cr_expect_str_eq(c1->heading, "推動高能級科創平臺提質增效");
  /* the garbled forms are gone */
  cr_expect(strstr(text, "ㄒ唬") == NULL);
  cr_expect(strstr(text, "┩苿痈") == NULL);
  cr_expect(strstr(text, "（此件公開發布") != NULL);
  /* most clause headings are clean now: no private-use or box-drawing chars */
  size_t clean = 0, clauses = 0;
  for (size_t u = 0; u < cdx_document_unit_count(doc); u++) {
    const cdx_unit_view *v = cdx_document_get_unit(doc, u);
    if (v->kind != CDX_UNIT_CLAUSE) continue;
    clauses++;
    if (!strstr(v->heading, "\xef\xbf\xbd") && !strstr(v->heading, "?") && !strstr(v->heading, "┐"))
      clean++;
  }
  cr_expect_geq(clean, 39, "only %zu of %zu headings clean", clean, clauses);
  cdx_document_free(doc);
}

/* ---- encoding variants made from the seeds ---- */

static char *convert_to(const char *cs, const char *utf8, size_t n, size_t *out_len, bool bom) {
  UErrorCode st = U_ZERO_ERROR;
  UConverter *from = ucnv_open("UTF-8", &st);
  UConverter *to = ucnv_open(cs, &st);
  cr_assert(U_SUCCESS(st), "%s", u_errorName(st));
  size_t cap = n * 4 + 16;
  char *out = malloc(cap);
  char *w = out;
  if (bom) {
    if (strcmp(cs, "UTF-16LE") == 0) {
      *w++ = (char)0xFF;
      *w++ = (char)0xFE;
    } else if (strcmp(cs, "UTF-16BE") == 0) {
      *w++ = (char)0xFE;
      *w++ = (char)0xFF;
    } else {
      memcpy(w, "\xef\xbb\xbf", 3);
      w += 3;
    }
  }
  const char *src = utf8;
  ucnv_convertEx(to, from, &w, out + cap, &src, utf8 + n, NULL, NULL, NULL, NULL, true, true, &st);
  cr_assert(U_SUCCESS(st), "convert to %s: %s", cs, u_errorName(st));
  ucnv_close(from);
  ucnv_close(to);
  *out_len = (size_t)(w - out);
  return out;
}

static void expect_same(const cdx_document *a, const cdx_document *b, const char *what,
                        bool offsets) {
  const cdx_document_meta *ma = cdx_document_get_meta(a), *mb = cdx_document_get_meta(b);
  cr_expect_str_eq(ma->title, mb->title, "%s title", what);
  cr_expect_eq(ma->jurisdiction.code, mb->jurisdiction.code, "%s", what);
  cr_expect_eq(ma->status, mb->status, "%s", what);
  cr_expect_eq(ma->edition, mb->edition, "%s", what);
  cr_expect_eq(ma->date, mb->date, "%s", what);
  cr_expect(streq(ma->doc_number, mb->doc_number), "%s", what);
  cr_expect(streq(ma->issuer, mb->issuer), "%s", what);
  cr_expect_str_eq(ma->policy_key, mb->policy_key, "%s", what);
  cr_assert_eq(cdx_document_unit_count(a), cdx_document_unit_count(b), "%s unit count", what);
  size_t la, lb;
  const char *ta = cdx_document_get_text(a, &la), *tb = cdx_document_get_text(b, &lb);
  if (offsets) {
    cr_expect_eq(la, lb, "%s text length", what);
    cr_expect(la == lb && memcmp(ta, tb, la) == 0, "%s text differs", what);
  }
  for (size_t i = 0; i < cdx_document_unit_count(a); i++) {
    const cdx_unit_view *ua = cdx_document_get_unit(a, i), *ub = cdx_document_get_unit(b, i);
    cr_expect_eq(ua->kind, ub->kind, "%s unit %zu", what, i);
    cr_expect_eq(ua->chapter, ub->chapter, "%s unit %zu", what, i);
    cr_expect_eq(ua->number_value, ub->number_value, "%s unit %zu", what, i);
    cr_expect_eq(ua->n_responsible, ub->n_responsible, "%s unit %zu", what, i);
    if (offsets) {
      cr_expect_eq(ua->start, ub->start, "%s unit %zu", what, i);
      cr_expect_eq(ua->end, ub->end, "%s unit %zu", what, i);
      cr_expect(streq(ua->heading, ub->heading), "%s unit %zu", what, i);
      cr_expect(streq(ua->number, ub->number), "%s unit %zu", what, i);
    }
  }
}

static cdx_document *read_bytes(const char *name, const char *bytes, size_t len) {
  cdx_document *doc = NULL;
  cdx_error err;
  int rc = cdx_document_read_buffer(name, bytes, len, NULL, &doc, &err);
  cr_assert_eq(rc, CDX_OK, "%s: %s", name, err.message);
  return doc;
}

Test(corpus_encoding, variants_parse_identically) {
  static const struct {
    const char *cs;
    bool bom;
  } variants[] = {{"GB18030", false}, {"UTF-16LE", true}, {"UTF-16BE", true}, {"UTF-8", true}};
  for (int i = 0; i < 5; i++) {
    size_t len;
    char *orig = cdx_test_read(cdx_test_seed_path(cdx_test_seed_names[i]), &len);
    cdx_document *ref = read_bytes("ref", orig, len);
    for (size_t v = 0; v < sizeof variants / sizeof variants[0]; v++) {
      size_t n;
      char *bytes = convert_to(variants[v].cs, orig, len, &n, variants[v].bom);
      char what[128];
      snprintf(what, sizeof what, "%s as %s", cdx_test_seed_names[i], variants[v].cs);
      cdx_document *doc = read_bytes(what, bytes, n);
      expect_same(ref, doc, what, true);
      cdx_document_free(doc);
      free(bytes);
    }
    /* CRLF and CR line endings */
    for (int cr_only = 0; cr_only < 2; cr_only++) {
      char *crlf = malloc(len * 2 + 1);
      size_t n = 0;
      for (size_t k = 0; k < len; k++) {
        if (orig[k] == '\n') {
          crlf[n++] = '\r';
          if (!cr_only) crlf[n++] = '\n';
        } else {
          crlf[n++] = orig[k];
        }
      }
      cdx_document *doc = read_bytes(cr_only ? "CR" : "CRLF", crlf, n);
      expect_same(ref, doc, cr_only ? "CR" : "CRLF", true);
      cdx_document_free(doc);
      free(crlf);
    }
    cdx_document_free(ref);
    free(orig);
  }
}

Test(corpus_encoding, utf16_without_bom_and_damaged_utf8) {
  size_t len;
  char *orig = cdx_test_read(cdx_test_seed_path(cdx_test_seed_names[3]), &len);
  cdx_document *ref = read_bytes("ref", orig, len);
  size_t n;
  char *le = convert_to("UTF-16LE", orig, len, &n, false);
  cdx_document *doc = read_bytes("003 as UTF-16LE without BOM", le, n);
  expect_same(ref, doc, "UTF-16LE without BOM", true);
  cdx_document_free(doc);
  free(le);
  /* a few damaged bytes in UTF-8: still UTF-8, damage as U+FFFD, warned */
  char *dam = malloc(len);
  memcpy(dam, orig, len);
  for (size_t k = len / 5; k < len; k += len / 5) {
    while (k < len && ((unsigned char)dam[k] & 0xC0) != 0x80) k++;
    if (k < len) dam[k] = (char)0xFF;
  }
  doc = read_bytes("damaged", dam, len);
  const cdx_document_meta *m = cdx_document_get_meta(doc);
  cr_expect_eq(m->jurisdiction.code, 330382);
  cr_expect_eq(count_kind(doc, CDX_UNIT_CHAPTER), 8);
  cr_expect_geq(m->n_warnings, 1);
  cr_expect(m->n_warnings && strstr(m->warnings[0], "U+FFFD") != NULL, "%s",
            m->n_warnings ? m->warnings[0] : "");
  size_t tl;
  cr_expect(strstr(cdx_document_get_text(doc, &tl), "\xef\xbf\xbd") != NULL);
  cdx_document_free(doc);
  free(dam);
  cdx_document_free(ref);
  free(orig);
}

Test(corpus_structure, signature_after_the_body_and_other_numbering) {
  static const char text[] =
      "示范市推动数字经济发展若干措施\n"
      "为加快数字经济发展，制定本措施。\n"
      "一、做强数字产业（由市经信局牵头）\n"
      "围绕重点产业链，2025年培育龙头企业。\n"
      "1.支持企业上云。对上云企业给予补助，最高10万元。（责任单位：市经信局（牵头）、市财政局）\n"
      "（1）小项不是条款。\n"
      "2.培育数据要素市场。建设数据交易平台。（责任单位：市数据局；列第一位的为牵头单位，下同）\n"
      "二、优化数字治理（市数据局牵头）\n"
      "3.推进一网通办。2.5亿元用于平台建设。\n"
      "上述政策自2025年1月1日起施行。\n"
      "\n"
      "杭州市人民政府\n"
      "2024年12月20日\n";
  cdx_document *doc = read_bytes("sig.txt", text, sizeof text - 1);
  const cdx_document_meta *m = cdx_document_get_meta(doc);
  cr_expect_str_eq(m->title, "示范市推动数字经济发展若干措施");
  cr_expect_eq(m->date, 20241220);
  cr_expect_str_eq(m->issuer, "杭州市人民政府");
  cr_expect_eq(m->jurisdiction.code, 330100);
  cr_expect_eq(m->edition, 2025);
  cr_assert_eq(cdx_document_unit_count(doc), 7);
  const cdx_unit_view *u = cdx_document_get_unit(doc, 2);
  cr_expect_eq(u->kind, CDX_UNIT_CLAUSE);
  cr_expect_str_eq(u->number, "1.");
  cr_expect_str_eq(u->heading, "支持企业上云");
  cr_assert_eq(u->n_responsible, 2);
  cr_expect_str_eq(u->responsible[0], "市经信局");
  size_t len;
  const char *t = cdx_document_get_text(doc, &len);
  cr_expect(strstr(t + u->start, "（1）小项不是条款。") ==
                t + u->start +
                    strlen("1."
                           "支持企业上云。对上云企业给予补助，最高10万元。（责任单位：市经信局（牵"
                           "头）、市财政局）\n"),
            "sub-item stays in its clause");
  u = cdx_document_get_unit(doc, 3);
  cr_assert_eq(u->n_responsible, 1);
  cr_expect_str_eq(u->responsible[0], "市数据局");
  u = cdx_document_get_unit(doc, 4);
  cr_expect_eq(u->kind, CDX_UNIT_CHAPTER);
  cr_expect_str_eq(u->lead_department, "市数据局");
  cr_expect_str_eq(u->heading, "优化数字治理");
  u = cdx_document_get_unit(doc, 5);
  cr_expect_eq(u->number_value, 3);
  cr_expect_str_eq(u->heading, "推进一网通办");
  u = cdx_document_get_unit(doc, 6);
  cr_expect_eq(u->kind, CDX_UNIT_CLOSING);
  /* the signature is text but no unit */
  cr_expect(strstr(t, "杭州市人民政府") != NULL);
  cr_expect_lt(u->end, (size_t)(strstr(t, "杭州市人民政府") - t));
  cdx_document_free(doc);
}

Test(corpus_structure, destroyed_numbers_are_inferred) {
  static const char text[] = "某市若干政策\n"
                             "一、第一章（由市发改局牵头）\n"
                             "（一）第一条。内容。（责任单位：市发改局）\n"
                             "（\xef\xbf\xbd）第二条。内容。（责任单位：市财政局）\n"
                             "?。\xe3\x84\x92第三条的残余。内容。\n"
                             "（四）第四条。内容。\n";
  cdx_document *doc = read_bytes("inf.txt", text, sizeof text - 1);
  cr_assert_eq(count_kind(doc, CDX_UNIT_CLAUSE), 4);
  const cdx_unit_view *u = cdx_document_get_unit(doc, 2);
  cr_expect_eq(u->number_value, 2);
  cr_expect_str_eq(u->number, "（二）");
  cr_expect_str_eq(u->heading, "第二条");
  u = cdx_document_get_unit(doc, 3);
  cr_expect_eq(u->number_value, 3);
  cr_expect_str_eq(u->number, "（三）");
  u = cdx_document_get_unit(doc, 4);
  cr_expect_eq(u->number_value, 4);
  const cdx_document_meta *m = cdx_document_get_meta(doc);
  bool warned = false;
  for (size_t i = 0; i < m->n_warnings; i++)
    if (strstr(m->warnings[i], "2 clause number(s) destroyed")) warned = true;
  cr_expect(warned, "no inference warning");
  cdx_document_free(doc);
}

Test(corpus_structure, regulation_chapters_and_articles) {
  static const char text[] = "宁波市促进民营经济发展办法\n"
                             "第一章 总则\n"
                             "第一条 为了促进民营经济发展，制定本办法。\n"
                             "第二条 本办法适用于本市行政区域。\n"
                             "第二章 支持措施\n"
                             "第三条 市人民政府应当加强统筹。具体如下：\n"
                             "（一）优化营商环境；\n"
                             "（二）加强要素保障。\n"
                             "第十一条 本办法自2025年3月1日起施行。\n";
  cdx_document *doc = read_bytes("reg.txt", text, sizeof text - 1);
  cr_expect_str_eq(cdx_document_get_meta(doc)->title, "宁波市促进民营经济发展办法");
  cr_expect_eq(cdx_document_get_meta(doc)->jurisdiction.code, 330200);
  cr_expect_eq(count_kind(doc, CDX_UNIT_CHAPTER), 2);
  cr_expect_eq(count_kind(doc, CDX_UNIT_CLAUSE), 4);
  const cdx_unit_view *u = cdx_document_get_unit(doc, 1);
  cr_expect_str_eq(u->number, "第一条");
  cr_expect_eq(u->number_value, 1);
  u = cdx_document_get_unit(doc, 4);
  cr_expect_eq(u->number_value, 3);
  cr_expect_eq(u->chapter, 2);
  size_t len;
  const char *t = cdx_document_get_text(doc, &len);
  cr_expect(memmem(t + u->start, u->end - u->start, "（二）加强要素保障",
                   strlen("（二）加强要素保障")) != NULL,
            "list items stay inside their article");
  u = cdx_document_get_unit(doc, 5);
  cr_expect_eq(u->number_value, 11);
  cdx_document_free(doc);
}

Test(corpus_encoding, big5_traditional_document) {
  /* 002 is Traditional: its repaired text saved as Big5 (the few characters
   * Big5 lacks become substitutes) parses to the same metadata and units. */
  cdx_document *ref = cdx_test_read_seed_doc(2);
  size_t len;
  const char *text = cdx_document_get_text(ref, &len);
  size_t n;
  char *big5 = convert_to("Big5", text, len, &n, false);
  cdx_document *doc = read_bytes("002 as Big5", big5, n);
  expect_same(ref, doc, "002 as Big5", false);
  /* and it really was read as Big5: the title is the Traditional one */
  cr_expect_str_eq(cdx_document_get_meta(doc)->title, "溫州市推動經濟高質量發展若干政策(2025年版)");
  cdx_document_free(doc);
  free(big5);

  /* GBK (GB18030) bytes of the same Traditional text still read as GB18030 */
  char *gb = convert_to("GB18030", text, len, &n, false);
  doc = read_bytes("002 as GB18030", gb, n);
  expect_same(ref, doc, "002 as GB18030", true);
  cdx_document_free(doc);
  free(gb);
  cdx_document_free(ref);
}

/* ---- bad input ---- */

static int read_err(const char *name, const char *bytes, size_t len, cdx_error *err) {
  cdx_document *doc = (cdx_document *)1;
  int rc = cdx_document_read_buffer(name, bytes, len, NULL, &doc, err);
  if (rc != CDX_OK) cr_expect_null(doc);
  else cdx_document_free(doc);
  return rc;
}

Test(corpus_badinput, empty_whitespace_binary) {
  cdx_error err;
  cr_expect_eq(read_err("empty.txt", "", 0, &err), CDX_BADINPUT);
  cr_expect(strstr(err.message, "empty.txt") != NULL, "%s", err.message);
  cr_expect_eq(read_err("blank.txt", " \n\t\r\n\xe3\x80\x80\n", 9, &err), CDX_BADINPUT);
  cr_expect(strstr(err.message, "blank.txt") != NULL, "%s", err.message);
  static const char bin[] = "\x7f"
                            "ELF\x02\x01\x01\0\0\0\0\0\0\0\0\0\x03\0>\0\x01\0\0\0";
  cr_expect_eq(read_err("a.out", bin, sizeof bin - 1, &err), CDX_BADINPUT);
  cr_expect(strstr(err.message, "a.out") != NULL && strstr(err.message, "binary"), "%s",
            err.message);
  char ctl[256];
  for (int i = 0; i < 256; i++) ctl[i] = (char)(i % 31 + 1);
  cr_expect_eq(read_err("ctl.bin", ctl, sizeof ctl, &err), CDX_BADINPUT);
  /* a title alone is one searchable unit; no title, no policy key */
  cdx_document *doc = NULL;
  static const char title_only[] = "某市关于推动发展的若干政策\n";
  cr_assert_eq(
      cdx_document_read_buffer("t.txt", title_only, sizeof title_only - 1, NULL, &doc, &err),
      CDX_OK);
  cr_expect_eq(cdx_document_unit_count(doc), 1);
  cr_expect_str_eq(cdx_document_get_meta(doc)->policy_key, "0:某市推动发展若干政策:0");
  cdx_document_free(doc);
  cr_assert_eq(cdx_document_read_buffer("a.txt", "hello\n", 6, NULL, &doc, &err), CDX_OK);
  cr_expect_str_eq(cdx_document_get_meta(doc)->policy_key, "");
  cdx_document_free(doc);
  /* only chrome: nothing left */
  static const char chrome[] = "【返回顶部】【打印本稿】【关闭本页】\n下载阅读版本\n";
  cr_expect_eq(read_err("chrome.html", chrome, sizeof chrome - 1, &err), CDX_BADINPUT);
  cr_expect_eq(cdx_document_read_file("/nonexistent/x.txt", NULL, &(cdx_document *){NULL}, &err),
               CDX_NOTFOUND);
}

Test(corpus_badinput, truncated_files) {
  size_t len;
  char *orig = cdx_test_read(cdx_test_seed_path(cdx_test_seed_names[0]), &len);
  /* cut UTF-8 in the middle of a character, at many places */
  for (size_t cut = 1; cut < len; cut += len / 37) {
    size_t c = cut;
    while (c < len && ((unsigned char)orig[c] & 0xC0) != 0x80) c++;
    cdx_error err;
    cdx_document *doc = NULL;
    int rc = cdx_document_read_buffer("cut.txt", orig, c, NULL, &doc, &err);
    cr_expect(rc == CDX_OK || rc == CDX_BADINPUT, "cut at %zu: %d %s", c, rc, err.message);
    if (rc == CDX_OK && c < len && c > 200) {
      const cdx_document_meta *m = cdx_document_get_meta(doc);
      cr_expect_geq(m->n_warnings, 1, "cut at %zu: no warning", c);
    }
    cdx_document_free(doc);
  }
  /* GB18030 and UTF-16 cut mid-character */
  static const char *const cs[] = {"GB18030", "UTF-16LE"};
  for (int k = 0; k < 2; k++) {
    size_t n;
    char *bytes = convert_to(cs[k], orig, len, &n, k == 1);
    for (size_t cut = 3; cut < n; cut += n / 13 + 1) {
      cdx_error err;
      cdx_document *doc = NULL;
      int rc = cdx_document_read_buffer("cut", bytes, cut | 1, NULL, &doc, &err);
      cr_expect(rc == CDX_OK || rc == CDX_BADINPUT, "%s cut at %zu: %s", cs[k], cut | 1,
                err.message);
      if (rc == CDX_OK && k == 0 && cut > 2000)
        cr_expect_eq(cdx_document_get_meta(doc)->jurisdiction.code, 330382);
      cdx_document_free(doc);
    }
    free(bytes);
  }
  free(orig);
}

Test(corpus_badinput, garbage_does_not_crash) {
  unsigned int seed = 12345;
  char buf[4096];
  for (int round = 0; round < 200; round++) {
    size_t n = (size_t)(rand_r(&seed) % sizeof buf);
    for (size_t i = 0; i < n; i++) {
      int r = rand_r(&seed) % 8;
      buf[i] = r == 0  ? '\n'
               : r < 3 ? (char)(0x80 + rand_r(&seed) % 0x80)
               : r < 5 ? (char)("（一）、。一二十"[rand_r(&seed) % 24])
                       : (char)(0x20 + rand_r(&seed) % 0x5F);
    }
    cdx_error err;
    cdx_document *doc = NULL;
    int rc = cdx_document_read_buffer("garbage", buf, n, NULL, &doc, &err);
    cr_expect(rc == CDX_OK || rc == CDX_BADINPUT, "round %d: %d %s", round, rc, err.message);
    if (doc) {
      size_t len;
      cdx_document_get_text(doc, &len);
      for (size_t u = 0; u < cdx_document_unit_count(doc); u++)
        cr_assert_leq(cdx_document_get_unit(doc, u)->end, len);
      char *json = NULL;
      size_t jl;
      cr_expect_eq(cdx_document_to_json(doc, &json, &jl, &err), CDX_OK);
      cdx_free(json);
    }
    cdx_document_free(doc);
  }
}

/* ---- sidecar and overrides ---- */

static char *write_tmp(const char *dir, const char *name, const char *data, size_t n) {
  char *path = malloc(strlen(dir) + strlen(name) + 2);
  sprintf(path, "%s/%s", dir, name);
  FILE *f = fopen(path, "wb");
  cr_assert_not_null(f);
  cr_assert_eq(fwrite(data, 1, n, f), n);
  fclose(f);
  return path;
}

Test(corpus_sidecar, path_is_the_file_name_plus_meta) {
  char *p = NULL;
  cr_assert_eq(cdx_document_sidecar_path("/a/b/x.txt", &p, NULL), CDX_OK);
  cr_expect_str_eq(p, "/a/b/x.txt.meta");
  free(p);
  cdx_error e;
  cr_expect_eq(cdx_document_sidecar_path(NULL, &p, &e), CDX_INVALID);
}

Test(corpus_sidecar, override_and_precedence) {
  size_t len;
  char *orig = cdx_test_read(cdx_test_seed_path(cdx_test_seed_names[0]), &len);
  char *dir = cdx_test_tmpdir();
  char *path = write_tmp(dir, "p.txt", orig, len);
  static const char meta[] = "# corrected by hand\n"
                             "title: 乐清市推动经济高质量发展若干政策\n"
                             "status: final\n"
                             "date：2025-03-06\n\n"
                             "doc_number: 乐政发〔2025〕4号\n"
                             "jurisdiction: 330300\n";
  free(write_tmp(dir, "p.txt.meta", meta, sizeof meta - 1));
  cdx_document *doc = NULL;
  cdx_error err;
  cr_assert_eq(cdx_document_read_file(path, NULL, &doc, &err), CDX_OK, "%s", err.message);
  const cdx_document_meta *m = cdx_document_get_meta(doc);
  cr_expect_str_eq(m->title, "乐清市推动经济高质量发展若干政策");
  cr_expect_eq(m->status, CDX_STATUS_FINAL);
  cr_expect_eq(m->status_class, CDX_CLASS_FINAL);
  cr_expect_eq(m->date, 20250306);
  cr_expect_str_eq(m->doc_number, "乐政发〔2025〕4号");
  cr_expect_eq(m->jurisdiction.code, 330300);
  cr_expect_eq(m->edition, 2025); /* detected, not overridden */
  cr_expect_str_eq(m->policy_key, "330300:推动经济高质量发展若干政策:2025");
  cdx_document_free(doc);

  /* flags win over the sidecar */
  cdx_meta_overrides ov = {0};
  ov.jurisdiction = "乐清市";
  ov.status = "征求意见稿";
  ov.edition = "2026";
  cr_assert_eq(cdx_document_read_file(path, &ov, &doc, &err), CDX_OK, "%s", err.message);
  m = cdx_document_get_meta(doc);
  cr_expect_eq(m->jurisdiction.code, 330382);
  cr_expect_eq(m->n_parents, 2);
  cr_expect_eq(m->status, CDX_STATUS_DRAFT_FOR_COMMENT);
  cr_expect_eq(m->edition, 2026);
  cr_expect_eq(m->date, 20250306);
  cdx_document_free(doc);

  /* a bad override value names the flag */
  ov.date = "2025-02-30";
  cr_expect_eq(cdx_document_read_file(path, &ov, &doc, &err), CDX_INVALID);
  cr_expect(strstr(err.message, "--date") != NULL, "%s", err.message);
  cr_expect_null(doc);
  cdx_test_rmtree(dir);
  free(dir);
  free(path);
  free(orig);
}

Test(corpus_sidecar, malformed_sidecars) {
  static const struct {
    const char *meta;
    const char *expect;
  } cases[] = {
      {"title: x\ncolour: red\n", "p.txt.meta:2"}, {"# c\n\nno colon here\n", "p.txt.meta:3"},
      {"date: 2025-13-01\n", "p.txt.meta:1"},      {"edition: twenty\n", "p.txt.meta:1"},
      {"status: maybe\n", "p.txt.meta:1"},         {"jurisdiction: 亚特兰蒂斯市\n", "p.txt.meta:1"},
      {"jurisdiction: 999999\n", "p.txt.meta:1"},
  };
  static const char doc_text[] =
      "某市推动发展若干政策\n一、总则（由市发改局牵头）\n（一）第一条。内容。\n";
  char *dir = cdx_test_tmpdir();
  char *path = write_tmp(dir, "p.txt", doc_text, sizeof doc_text - 1);
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    free(write_tmp(dir, "p.txt.meta", cases[i].meta, strlen(cases[i].meta)));
    cdx_document *doc = NULL;
    cdx_error err;
    cr_expect_eq(cdx_document_read_file(path, NULL, &doc, &err), CDX_INVALID, "case %zu", i);
    cr_expect(strstr(err.message, cases[i].expect) != NULL, "case %zu: %s", i, err.message);
    cr_expect_null(doc);
  }
  cdx_test_rmtree(dir);
  free(dir);
  free(path);
}

/* ---- JSON Lines ---- */

Test(corpus_jsonl, documents_from_records) {
  static const char data[] =
      "{\"doc\":\"a\",\"text\":\"为了……制定本政策。\",\"kind\":\"preamble\",\"title\":"
      "\"乐清市推动经济高质量发展若干政策\","
      "\"status\":\"送审稿\",\"edition\":2025,\"date\":\"2025-03-06\"}\n"
      "{\"doc\":\"a\",\"text\":\"（一）加强创新载体建设。实施\\u300a方案\\u300b\\ud83d\\ude00。\","
      "\"number\":\"（一）\","
      "\"heading\":\"加强创新载体建设\",\"chapter\":1,\"responsible\":[\"市科技局\",\"市经信局\"],"
      "\"extra\":{\"x\":1}}\n"
      "\n"
      "{\"doc\":\"b\",\"text\":\"line "
      "\\\"quoted\\\"\\n\\ttab\",\"jurisdiction\":\"330302\",\"number\":\"3.\"}\n";
  char *dir = cdx_test_tmpdir();
  char *path = write_tmp(dir, "in.jsonl", data, sizeof data - 1);
  cdx_jsonl_reader *r = NULL;
  cdx_error err;
  cr_assert_eq(cdx_jsonl_open(path, &r, &err), CDX_OK, "%s", err.message);
  cdx_document *doc = NULL;
  const char *id = NULL;
  /* nested objects are not allowed: record 2 fails, naming line 2 */
  int rc = cdx_jsonl_next(r, &doc, &id, &err);
  cr_expect_eq(rc, CDX_BADINPUT);
  cr_expect(strstr(err.message, "in.jsonl:2") != NULL, "%s", err.message);
  cdx_jsonl_close(r);

  /* without the nested object it reads */
  char *fixed = strdup(data);
  char *x = strstr(fixed, ",\"extra\":{\"x\":1}");
  memmove(x, x + strlen(",\"extra\":{\"x\":1}"), strlen(x + strlen(",\"extra\":{\"x\":1}")) + 1);
  free(path);
  path = write_tmp(dir, "in.jsonl", fixed, strlen(fixed));
  cr_assert_eq(cdx_jsonl_open(path, &r, &err), CDX_OK);
  cr_assert_eq(cdx_jsonl_next(r, &doc, &id, &err), CDX_OK, "%s", err.message);
  cr_assert_not_null(doc);
  cr_expect_str_eq(id, "a");
  const cdx_document_meta *m = cdx_document_get_meta(doc);
  cr_expect_str_eq(m->title, "乐清市推动经济高质量发展若干政策");
  cr_expect_eq(m->jurisdiction.code, 330382);
  cr_expect_eq(m->status, CDX_STATUS_DRAFT_FOR_APPROVAL);
  cr_expect_eq(m->edition, 2025);
  cr_expect_eq(m->date, 20250306);
  cr_expect_str_eq(m->policy_key, "330382:推动经济高质量发展若干政策:2025");
  cr_assert_eq(cdx_document_unit_count(doc), 2);
  size_t len;
  const char *text = cdx_document_get_text(doc, &len);
  const char *want = "为了……制定本政策。\n（一）加强创新载体建设。实施《方案》\xf0\x9f\x98\x80。";
  cr_expect_eq(len, strlen(want));
  cr_expect(memcmp(text, want, len) == 0, "text: %s", text);
  const cdx_unit_view *u = cdx_document_get_unit(doc, 1);
  cr_expect_eq(u->kind, CDX_UNIT_CLAUSE);
  cr_expect_eq(u->number_value, 1);
  cr_expect_eq(u->chapter, 1);
  cr_expect_eq(u->start, strlen("为了……制定本政策。\n"));
  cr_expect_eq(u->end, len);
  cr_assert_eq(u->n_responsible, 2);
  cr_expect_str_eq(u->responsible[1], "市经信局");
  cr_expect_eq(cdx_document_get_unit(doc, 0)->kind, CDX_UNIT_PREAMBLE);
  cdx_document_free(doc);

  cr_assert_eq(cdx_jsonl_next(r, &doc, &id, &err), CDX_OK, "%s", err.message);
  cr_expect_str_eq(id, "b");
  text = cdx_document_get_text(doc, &len);
  cr_expect_str_eq(text, "line \"quoted\"\n\ttab");
  cr_expect_eq(cdx_document_get_meta(doc)->jurisdiction.code, 330302);
  cr_expect_eq(cdx_document_get_unit(doc, 0)->number_value, 3);
  cdx_document_free(doc);
  cr_assert_eq(cdx_jsonl_next(r, &doc, &id, &err), CDX_OK);
  cr_expect_null(doc);
  cdx_jsonl_close(r);
  free(fixed);
  free(path);
  cdx_test_rmtree(dir);
  free(dir);
}

Test(corpus_jsonl, malformed_lines) {
  static const char *const bad[] = {
      "{\"doc\":\"a\",\"text\":\"x\"",           /* unterminated */
      "{\"doc\":\"a\",\"text\":\"\\ud800\"}",    /* lone surrogate */
      "{\"doc\":\"a\",\"text\":\"\\q\"}",        /* bad escape */
      "{\"doc\":\"a\",\"text\":\"x\"} trailing", /* trailing */
      "{\"doc\":\"a\"}",                         /* no text */
      "{\"doc\":1,\"text\":\"x\"}",              /* doc not a string */
      "{\"doc\":\"a\",\"text\":\"x\",\"responsible\":[1]}",
      "{\"doc\":\"a\",\"text\":\"x\",\"kind\":\"poem\"}",
      "{\"doc\":\"a\",\"text\":\"x\",\"date\":\"yesterday\"}",
      "{\"doc\":\"a\",\"text\":\"x\",\"edition\":01}",
      "[\"doc\"]",
      "{\"doc\":\"a\",\"text\":\"\xff\"}",
      "{\"doc\":\"a\",\"text\":\"x\",\"doc\":\"b\"}",
  };
  char *dir = cdx_test_tmpdir();
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    char data[512];
    snprintf(data, sizeof data, "{\"doc\":\"ok\",\"text\":\"fine\"}\n%s\n", bad[i]);
    char *path = write_tmp(dir, "bad.jsonl", data, strlen(data));
    cdx_jsonl_reader *r = NULL;
    cdx_error err;
    cr_assert_eq(cdx_jsonl_open(path, &r, &err), CDX_OK);
    cdx_document *doc = NULL;
    const char *id;
    int rc = cdx_jsonl_next(r, &doc, &id, &err);
    if (rc == CDX_OK) { /* "ok" read first, the bad line belongs to the next */
      cr_expect_str_eq(id, "ok");
      cdx_document_free(doc);
      rc = cdx_jsonl_next(r, &doc, &id, &err);
    }
    cr_expect_eq(rc, CDX_BADINPUT, "case %zu: %s", i, bad[i]);
    cr_expect(strstr(err.message, "bad.jsonl:2") != NULL, "case %zu: %s", i, err.message);
    cdx_jsonl_close(r);
    free(path);
  }
  cdx_jsonl_reader *r = NULL;
  cdx_error err;
  cr_expect_eq(cdx_jsonl_open("-", &r, &err), CDX_INVALID);
  cdx_test_rmtree(dir);
  free(dir);
}

Test(corpus_names, static_names) {
  cr_expect_str_eq(cdx_status_name(CDX_STATUS_FINAL), "final");
  cr_expect_str_eq(cdx_status_name(CDX_STATUS_DRAFT_FOR_APPROVAL), "送审稿");
  cr_expect_str_eq(cdx_status_name(CDX_STATUS_DRAFT_FOR_COMMENT), "征求意见稿");
  cr_expect_str_eq(cdx_status_class_name(CDX_CLASS_DRAFT), "draft");
  cr_expect_str_eq(cdx_unit_kind_name(CDX_UNIT_CLOSING), "closing");
  cr_expect_str_eq(cdx_unit_kind_name(CDX_UNIT_CHAPTER), "chapter");
}

Test(corpus_json, document_json) {
  cdx_document *doc = cdx_test_read_seed_doc(1);
  char *json = NULL;
  size_t len = 0;
  cdx_error err;
  cr_assert_eq(cdx_document_to_json(doc, &json, &len, &err), CDX_OK);
  cr_expect_eq(strlen(json), len);
  cr_expect(strncmp(json, "{\"type\":\"document\",\"doc\":", 25) == 0);
  cr_expect(strstr(json, "\"policy_key\":\"330382:推动经济高质量发展若干政策:2025\"") != NULL);
  cr_expect(strstr(json, "\"jurisdiction\":\"乐清市\",\"jurisdiction_code\":330382,\"jurisdiction_"
                         "level\":\"county\",\"parents\":[") != NULL);
  cr_expect(strstr(json, "\"date\":\"2025-03-06\"") != NULL);
  cr_expect(strstr(json, "\"departments\":[\"市科技局\",\"市经信局\"]") != NULL);
  cr_expect_eq(json[len - 1], '}');
  cdx_free(json);
  cdx_document_free(doc);
}

/* ---- the synthetic corpus: ground truth from the generator's manifest ---- */

/* Value of "key": in a manifest line, as a malloc'ed string (strings without
 * escapes, numbers, null -> NULL). */
static char *manifest_field(const char *line, const char *key) {
  char pat[64];
  snprintf(pat, sizeof pat, "\"%s\":", key);
  const char *p = strstr(line, pat);
  cr_assert_not_null(p, "manifest key %s missing", key);
  p += strlen(pat);
  if (strncmp(p, "null", 4) == 0) return NULL;
  if (*p == '"') {
    const char *e = strchr(p + 1, '"');
    cr_assert_not_null(e);
    return strndup(p + 1, (size_t)(e - p - 1));
  }
  size_t n = strspn(p, "0123456789-");
  return strndup(p, n);
}

Test(corpus_synthetic, generated_documents_match_their_manifest) {
  char *dir = cdx_test_tmpdir();
  char out[4200];
  snprintf(out, sizeof out, "%s/corpus", dir);
  cdx_generate_options opts = {0};
  opts.seed = 7;
  opts.target_bytes = 600000;
  cdx_generate_stats stats;
  cdx_error err;
  cr_assert_eq(cdx_generate_corpus(out, &opts, &stats, &err), CDX_OK, "%s", err.message);
  char mpath[4300];
  snprintf(mpath, sizeof mpath, "%s/manifest.jsonl", out);
  size_t mlen;
  char *manifest = cdx_test_read(mpath, &mlen);
  size_t n_docs = 0;
  char *keys_theirs[512], *keys_mine[512];
  for (char *line = strtok(manifest, "\n"); line && n_docs < 512; line = strtok(NULL, "\n")) {
    char *file = manifest_field(line, "file");
    char path[4600];
    snprintf(path, sizeof path, "%s/%s", out, file);
    cdx_document *doc = NULL;
    cr_assert_eq(cdx_document_read_file(path, NULL, &doc, &err), CDX_OK, "%s", err.message);
    const cdx_document_meta *m = cdx_document_get_meta(doc);
    char *title = manifest_field(line, "title"), *jur = manifest_field(line, "jurisdiction"),
         *status = manifest_field(line, "status"), *edition = manifest_field(line, "edition"),
         *date = manifest_field(line, "date"), *docno = manifest_field(line, "doc_number"),
         *issuer = manifest_field(line, "issuer"), *clauses = manifest_field(line, "clauses");
    cr_expect_str_eq(m->title, title, "%s", file);
    cr_expect_eq(m->jurisdiction.code, (uint32_t)atol(jur), "%s", file);
    cr_expect_str_eq(cdx_status_name(m->status), status, "%s", file);
    cr_expect_eq(m->edition, atoi(edition), "%s", file);
    cr_expect_eq(m->date, (uint32_t)atol(date), "%s", file);
    cr_expect(streq(m->doc_number, docno), "%s doc_number %s", file,
              m->doc_number ? m->doc_number : "-");
    cr_expect(streq(m->issuer, issuer), "%s issuer %s", file, m->issuer ? m->issuer : "-");
    cr_expect_eq(count_kind(doc, CDX_UNIT_CLAUSE), (size_t)atol(clauses), "%s clauses", file);
    keys_theirs[n_docs] = manifest_field(line, "policy_key");
    keys_mine[n_docs] = strdup(m->policy_key);
    n_docs++;
    free(title);
    free(jur);
    free(status);
    free(edition);
    free(date);
    free(docno);
    free(issuer);
    free(clauses);
    free(file);
    cdx_document_free(doc);
  }
  cr_expect_geq(n_docs, 20);
  /* same policy key exactly when the generator says so */
  for (size_t i = 0; i < n_docs; i++)
    for (size_t j = i + 1; j < n_docs; j++)
      cr_expect_eq(strcmp(keys_theirs[i], keys_theirs[j]) == 0,
                   strcmp(keys_mine[i], keys_mine[j]) == 0, "%s / %s vs %s / %s", keys_theirs[i],
                   keys_mine[i], keys_theirs[j], keys_mine[j]);
  for (size_t i = 0; i < n_docs; i++) {
    free(keys_theirs[i]);
    free(keys_mine[i]);
  }
  free(manifest);
  cdx_test_rmtree(dir);
  free(dir);
}
