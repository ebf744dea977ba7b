/* families/: family keys from policy keys and titles, document numbers and
 * clause references in their citation spellings, cited bases. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "clausedex.h"
#include "families/families.h"

/* The family key of a title as the corpus would make it: its policy key
 * (code:stem:edition) less the edition. */
static char *key_of_title(uint32_t code, const char *title, int edition) {
  char *stem;
  cdx_error err;
  cr_assert_eq(cdx_title_stem(title, &stem, &err), CDX_OK);
  char pk[1024];
  snprintf(pk, sizeof pk, "%u:%s:%d", (unsigned)code, stem, edition);
  free(stem);
  bool oom;
  char *k = cdx_fam_key_from_policy(pk, &oom);
  cr_assert_not(oom);
  return k;
}

Test(families, editions_stages_and_wrappers_share_a_key) {
  const char *titles[] = {
      "乐清市推动经济高质量发展若干政策(2025年版)",
      "乐清市关于推动经济高质量发展的若干政策（2025版）（送审稿）",
      "乐清市人民政府关于印发乐清市推动经济高质量发展若干政策的通知",
      "乐清市进一步推动经济高质量发展若干政策（征求意见稿）",
      "乐清市2024年推动经济高质量发展若干政策",
      "乐清市推动经济高质量发展若干政策（修订）",
      "樂清市推動經濟高質量發展若干政策(2026年版)",
  };
  char *first = key_of_title(330382, titles[0], 2025);
  cr_assert_str_eq(first, "330382:推动经济高质量发展若干政策");
  for (size_t i = 1; i < sizeof titles / sizeof *titles; i++) {
    char *k = key_of_title(330382, titles[i], 2020 + (int)i);
    cr_expect_str_eq(k, first, "%s", titles[i]);
    free(k);
  }
  free(first);
}

Test(families, other_policies_places_and_untitled_are_apart) {
  char *a = key_of_title(330382, "乐清市推动经济高质量发展若干政策", 2025);
  char *b = key_of_title(330300, "温州市推动经济高质量发展若干政策", 2025);
  char *c = key_of_title(330382, "乐清市促进消费若干政策", 2025);
  cr_expect_str_neq(a, b);
  cr_expect_str_neq(a, c);
  cr_expect_eq(cdx_fam_key_code(b), 330300u);
  cr_expect_str_eq(cdx_fam_key_stem(c), "促进消费若干政策");
  free(a);
  free(b);
  free(c);
  bool oom = true;
  cr_expect_null(cdx_fam_key_from_policy("", &oom));
  cr_expect_not(oom);
  cr_expect_null(cdx_fam_key_from_policy(NULL, NULL));
  /* a title of edition words only has no family */
  cr_expect_null(cdx_fam_key_from_policy("330382:2025年:2025", NULL));
}

Test(families, stage_order) {
  cr_expect_lt(cdx_fam_stage(CDX_STATUS_DRAFT_FOR_COMMENT),
               cdx_fam_stage(CDX_STATUS_DRAFT_FOR_APPROVAL));
  cr_expect_lt(cdx_fam_stage(CDX_STATUS_DRAFT_FOR_APPROVAL), cdx_fam_stage(CDX_STATUS_FINAL));
}

Test(families, number_spellings_are_one_key) {
  const char *v[] = {"温政发〔2025〕2号",   "温政发[2025]2号",       "温政发（2025）2号",
                     "温政发(2025)2号",     "温政发〔２０２５〕2号", "溫政發〔2025〕2號",
                     "温政发 〔2025〕 2号", "温政发【2025】2号",     "温政发﹝2025﹞2号"};
  char *want = cdx_fam_number_key(v[0]);
  cr_assert_not_null(want);
  for (size_t i = 1; i < sizeof v / sizeof *v; i++) {
    char *k = cdx_fam_number_key(v[i]);
    cr_expect_str_eq(k, want, "%s", v[i]);
    free(k);
  }
  char *other = cdx_fam_number_key("温政发〔2025〕3号");
  cr_expect_str_neq(other, want);
  free(other);
  free(want);
  cr_expect_eq(cdx_fam_number_year("温政发（２０２５）2号"), 2025);
  cr_expect_eq(cdx_fam_number_year("无年份"), 0);
}

Test(families, clause_reference_spellings) {
  static const struct {
    const char *s;
    int chapter, number;
  } ok[] = {
      {"（十）", 0, 10},  {"(十)", 0, 10},      {"十", 0, 10},   {"10", 0, 10},
      {"第十条", 0, 10},  {"10.", 0, 10},       {"十二", 0, 12}, {"二十一", 0, 21},
      {"一百零五", 0, 0}, /* not supported: refused below */
      {"三（二）", 3, 2}, {"三、（二）", 3, 2}, {"3(2)", 3, 2},
  };
  for (size_t i = 0; i < sizeof ok / sizeof *ok; i++) {
    int c = -1, n = -1;
    bool r = cdx_fam_clause_ref(ok[i].s, &c, &n);
    if (!ok[i].number) {
      cr_expect_not(r, "%s", ok[i].s);
      continue;
    }
    cr_expect(r, "%s", ok[i].s);
    cr_expect_eq(c, ok[i].chapter, "%s", ok[i].s);
    cr_expect_eq(n, ok[i].number, "%s", ok[i].s);
  }
  int c, n;
  cr_expect_not(cdx_fam_clause_ref("", &c, &n));
  cr_expect_not(cdx_fam_clause_ref("abc", &c, &n));
  cr_expect_not(cdx_fam_clause_ref("（十", &c, &n));
  cr_expect_not(cdx_fam_clause_ref("三二", &c, &n)); /* a chapter needs its clause in brackets */
}

Test(families, cited_bases_of_a_preamble) {
  const char *text = "为贯彻部署，根据《浙江省人民政府印发关于推动经济高质量发展若干政策(2025年版)"
                     "的通知》(浙政发〔2025〕3号)、"
                     "《温州市推动经济高质量发展若干政策(2025年版)"
                     "》（温政发〔2025〕2号）和《某某办法》，结合我市实际，"
                     "制定以下政策。按照《不是依据的文件》执行。\n一、另起一行《不算》";
  char *s = cdx_fam_cites_scan(text, strlen(text));
  cr_assert_not_null(s);
  cdx_fam_cite c[8];
  size_t n = cdx_fam_cites_parse(s, c, 8);
  cr_assert_eq(n, 4, "%zu", n);
  cr_expect_str_eq(c[0].number, "浙政发〔2025〕3号");
  cr_expect_str_eq(c[1].title, "温州市推动经济高质量发展若干政策(2025年版)");
  cr_expect_str_eq(c[1].number, "温政发〔2025〕2号");
  cr_expect_str_eq(c[2].title, "某某办法");
  cr_expect_null(c[2].number);
  /* 按照《…》 opens a basis too */
  cr_expect_str_eq(c[3].title, "不是依据的文件");
  free(s);
  /* Traditional text, and a text citing nothing */
  const char *tw = "根據《溫州市推動經濟高質量發展若干政策》（溫政發〔2025〕2號），結合實際";
  s = cdx_fam_cites_scan(tw, strlen(tw));
  n = cdx_fam_cites_parse(s, c, 8);
  cr_assert_eq(n, 1);
  cr_expect_str_eq(c[0].number, "溫政發〔2025〕2號");
  free(s);
  s = cdx_fam_cites_scan("没有引用。", strlen("没有引用。"));
  cr_expect_str_eq(s, "");
  free(s);
}

Test(families, what_a_cited_title_says) {
  const char *t = "温州市人民政府关于印发推动经济高质量发展若干政策(2025年版)的通知";
  cr_expect_eq(cdx_fam_cite_place(t), 330300u);
  cr_expect_eq(cdx_fam_cite_edition(t, NULL), 2025);
  cr_expect_eq(cdx_fam_cite_edition("某政策", "温政发〔2024〕1号"), 2024);
  size_t il;
  const char *is = cdx_fam_cite_issuer(t, &il);
  cr_assert_not_null(is);
  cr_expect(cdx_fam_same_text("溫州市人民政府", is, il));
  cr_expect_null(cdx_fam_cite_issuer("温州市推动经济高质量发展若干政策", &il));
}
