/* facts/: the figure extractor on constructed sentences, one group per rule
 * of docs/FACTS.md (money, percent, count, qualifiers, Chinese numerals,
 * ranges, Traditional, full width, thousands separators, deadlines, what is
 * not a figure), the formatter, errors, and the documentation's lists. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "facts/fig_internal.h"
#include "facts/figures.h"
#include "support/test_support.h"

typedef struct got {
  cdx_figure *f;
  size_t n;
} got;

static got extract(const char *text) {
  got g = {0};
  cdx_error err;
  int rc = cdx_figures_extract(text, strlen(text), &g.f, &g.n, &err);
  cr_assert_eq(rc, CDX_OK, "%s: %s", text, err.message);
  return g;
}

static size_t count_of(const char *text) {
  got g = extract(text);
  free(g.f);
  return g.n;
}

/* The figure's span as text, in a static buffer. */
static const char *span(const char *text, const cdx_figure *f) {
  static char buf[256];
  snprintf(buf, sizeof buf, "%.*s", (int)(f->end - f->start), text + f->start);
  return buf;
}

/* Exactly one figure in text, with these properties (kind NULL: not checked). */
static void expect_one(const char *text, cdx_figure_type type, cdx_figure_qual qual, double lo,
                       double hi, const char *unit, const char *kind, const char *spanned) {
  got g = extract(text);
  cr_assert_eq(g.n, 1, "%s: %zu figures", text, g.n);
  const cdx_figure *f = &g.f[0];
  cr_expect_eq(f->type, type, "%s: type %s", text, cdx_figure_type_name(f->type));
  cr_expect_eq(f->qual, qual, "%s: qualifier %s", text, cdx_figure_qual_name(f->qual));
  cr_expect_eq(f->lo, lo, "%s: lo %.17g", text, f->lo);
  cr_expect_eq(f->hi, hi, "%s: hi %.17g", text, f->hi);
  cr_expect_str_eq(f->unit, unit, "%s: unit %s", text, f->unit);
  if (kind) cr_expect_str_eq(f->kind, kind, "%s: kind '%s'", text, f->kind);
  if (spanned) cr_expect_str_eq(span(text, f), spanned, "%s: span", text);
  free(g.f);
}

#define ONE(text, type, qual, v, unit, kind, sp) \
  expect_one(text, CDX_FIG_##type, CDX_FIGQ_##qual, v, v, unit, kind, sp)
#define RANGE(text, type, lo, hi, unit, sp) \
  expect_one(text, CDX_FIG_##type, CDX_FIGQ_RANGE, lo, hi, unit, NULL, sp)

Test(figures, money) {
  ONE("市级财政2025年预算安排资金2.74亿元。", MONEY, EQ, 274000000, "元", "预算", "2.74亿元");
  ONE("给予500万元支持", MONEY, EQ, 5000000, "元", "", "500万元");
  ONE("市财政安排0.88亿元支持高层次人才引育", MONEY, EQ, 88000000, "元", "预算", "0.88亿元");
  ONE("培育产值1千万元以上检验检测机构", MONEY, GE, 10000000, "元", "", "1千万元以上");
  ONE("每户3千元", MONEY, EQ, 3000, "元", "", "3千元");
  ONE("实际使用外资0.8亿美元以上", MONEY, GE, 80000000, "美元", "", "0.8亿美元以上");
  ONE("收获意向订单超20亿元人民币。", MONEY, GT, 2000000000, "元", "", "超20亿元人民币");
  ONE("推动政策性银行安排15亿元信贷资金", MONEY, EQ, 1500000000, "元", "贷款", "15亿元");
  ONE("给予5万元奖励", MONEY, EQ, 50000, "元", "奖励", "5万元");
  /* 万/亿 alone: money only where the sentence speaks of money */
  ONE("今年预算安排3亿，用于", MONEY, EQ, 300000000, "元", "预算", "3亿");
  cr_expect_eq(count_of("助餐服务人次228.43万以上"), 0);
}

Test(figures, percent) {
  ONE("力争全市研发投入强度达到3.12%左右。", PERCENT, APPROX, 3.12, "%", "目标", "达到3.12%左右");
  ONE("比例不低于百分之五十", PERCENT, GE, 50, "%", NULL, "不低于百分之五十");
  ONE("占比５０％", PERCENT, EQ, 50, "%", NULL, "５０％");
  ONE("提高2个百分点", PERCENT, EQ, 2, "百分点", NULL, "2个百分点");
  ONE("规上工业增加值增长10%以上", PERCENT, GE, 10, "%", "增长", "10%以上");
  ONE("对企业短期出口信用保险保费给予不低于50%的补助经费。", PERCENT, GE, 50, "%", "补贴",
      "不低于50%");
}

Test(figures, count) {
  ONE("新增高新技术企业75家以上。", COUNT, GE, 75, "家", "目标", "75家以上");
  ONE("完成农房改造3450幢", COUNT, EQ, 3450, "幢", "", "3450幢");
  ONE("重建30万平方米以上", COUNT, GE, 300000, "平方米", "", "30万平方米以上");
  ONE("再延长3年试点", COUNT, EQ, 3, "年", "", "3年");
  ONE("新增农机购置补贴机具600台（套）以上。", COUNT, GE, 600, "台", "补贴", "600台（套）以上");
  ONE("保障全社会电量供给107亿千瓦时左右", COUNT, APPROX, 10700000000, "千瓦时", "",
      "107亿千瓦时左右");
  ONE("天然气供应0.46亿方以上", COUNT, GE, 46000000, "方", "", "0.46亿方以上");
  ONE("新增用能4万吨标准煤以上", COUNT, GE, 40000, "吨标准煤", NULL, "4万吨标准煤以上");
  ONE("组织200家次外贸企业", COUNT, EQ, 200, "家次", NULL, "200家次");
  ONE("办结时限6个月", COUNT, EQ, 6, "个月", NULL, "6个月");
}

Test(figures, qualifiers) {
  static const struct {
    const char *text;
    cdx_figure_qual q;
    const char *span;
  } c[] = {
      {"占比不低于80%。", CDX_FIGQ_GE, "不低于80%"},
      {"向民间资本推介重大项目不少于2个。", CDX_FIGQ_GE, "不少于2个"},
      {"至少3家", CDX_FIGQ_GE, "至少3家"},
      {"覆盖率达100%", CDX_FIGQ_GE, "达100%"},
      {"建筑面积占比不得低于60%", CDX_FIGQ_GE, "不得低于60%"},
      {"不超过5%的乡镇国土空间", CDX_FIGQ_LE, "不超过5%"},
      {"增量补助，最高200万元。", CDX_FIGQ_LE, "最高200万元"},
      {"最高补贴2000元/件", CDX_FIGQ_LE, "最高补贴2000元"},
      {"最多3次", CDX_FIGQ_LE, "最多3次"},
      {"上限100万元", CDX_FIGQ_LE, "上限100万元"},
      {"控制在10个以内", CDX_FIGQ_LE, "10个以内"},
      {"单品售价6000元以下的手机", CDX_FIGQ_LE, "6000元以下"},
      {"总投资约800亿元", CDX_FIGQ_APPROX, "约800亿元"},
      {"重点项目102个左右", CDX_FIGQ_APPROX, "102个左右"},
      {"超过10家", CDX_FIGQ_GT, "超过10家"},
      {"专精特新中小企业超38家", CDX_FIGQ_GT, "超38家"},
      {"产值突破60亿元", CDX_FIGQ_GT, "突破60亿元"},
      {"培育100余家", CDX_FIGQ_GT, "100余家"},
      {"占比低于60%", CDX_FIGQ_LT, "低于60%"},
      {"不足5人", CDX_FIGQ_LT, "不足5人"},
      {"新增5家", CDX_FIGQ_EQ, "5家"},
  };
  for (size_t k = 0; k < sizeof c / sizeof c[0]; k++) {
    got g = extract(c[k].text);
    cr_assert_eq(g.n, 1, "%s: %zu figures", c[k].text, g.n);
    cr_expect_eq(g.f[0].qual, c[k].q, "%s: %s", c[k].text, cdx_figure_qual_name(g.f[0].qual));
    cr_expect_str_eq(span(c[k].text, &g.f[0]), c[k].span, "%s", c[k].text);
    free(g.f);
  }
}

Test(figures, chinese_numerals) {
  ONE("安排一亿元", MONEY, EQ, 1e8, "元", NULL, "一亿元");
  ONE("恢复三千亩", COUNT, EQ, 3000, "亩", NULL, "三千亩");
  ONE("培育两家", COUNT, EQ, 2, "家", NULL, "两家");
  ONE("建设十二个", COUNT, EQ, 12, "个", NULL, "十二个");
  ONE("招录一百五十人", COUNT, EQ, 150, "人", NULL, "一百五十人");
  ONE("一亿五千万元", MONEY, EQ, 150000000, "元", NULL, "一亿五千万元");
  ONE("一百零五家", COUNT, EQ, 105, "家", NULL, "一百零五家");
  ONE("二十六项", COUNT, EQ, 26, "项", NULL, "二十六项");
  ONE("两万元", MONEY, EQ, 20000, "元", NULL, "两万元");
  ONE("十万元", MONEY, EQ, 100000, "元", NULL, "十万元");
  ONE("三千五百万元", MONEY, EQ, 35000000, "元", NULL, "三千五百万元");
  ONE("一万亿元", MONEY, EQ, 1e12, "元", NULL, "一万亿元");
  ONE("兩億元", MONEY, EQ, 2e8, "元", NULL, "兩億元");
  /* idioms and numbering, not quantities */
  cr_expect_eq(count_of("推介一批项目，实施一站式服务，一次性补齐"), 0);
  cr_expect_eq(count_of("市委十五届七次全体（扩大）会议"), 0);
  cr_expect_eq(count_of("千家万户，百姓万家"), 0);
  cr_expect_eq(count_of("办好十方面民生实事，实施三年行动计划"), 0);
}

Test(figures, ranges) {
  RANGE("新增城市书房1-2家", COUNT, 1, 2, "家", "1-2家");
  RANGE("新增城市书房1—2家", COUNT, 1, 2, "家", "1—2家");
  RANGE("新增城市书房1至2个", COUNT, 1, 2, "个", "1至2个");
  RANGE("新增城市书房1～2个", COUNT, 1, 2, "个", "1～2个");
  RANGE("试点3到5年", COUNT, 3, 5, "年", "3到5年");
  RANGE("按梯度给予5万元到10万元奖励", MONEY, 50000, 100000, "元", "5万元到10万元");
  RANGE("每户1-2万元", MONEY, 10000, 20000, "元", "1-2万元");
  RANGE("补贴20%-30%", PERCENT, 20, 30, "%", "20%-30%");
  RANGE("每户一至两万元", MONEY, 10000, 20000, "元", "一至两万元");
  cr_expect_eq(count_of("实施方案（2024-2026年）"), 0);
  cr_expect_eq(count_of("行动计划(2025—2027年)"), 0);
  cr_expect_eq(count_of("2023年（1-11月）营业收入"), 0);
}

Test(figures, traditional) {
  ONE("市財政預算安排資金23.68億元。", MONEY, EQ, 2368000000, "元", "预算", "23.68億元");
  ONE("保障供應建設用地3萬畝", COUNT, EQ, 30000, "亩", NULL, "3萬畝");
  ONE("完成設備更新1萬臺(套)。", COUNT, EQ, 10000, "台", NULL, "1萬臺(套)");
  ONE("推介重大項目不少於10個", COUNT, GE, 10, "个", NULL, "不少於10個");
  ONE("力爭投放政策性貸款80億元", MONEY, EQ, 8000000000, "元", "贷款", "80億元");
  ONE("新能源汽車最高補貼1.5萬元/輛", MONEY, LE, 15000, "元", "补贴", "最高補貼1.5萬元");
  ONE("城鎮化率達75%以上", PERCENT, GE, 75, "%", NULL, "達75%以上");
}

Test(figures, full_width) {
  ONE("新增１２３家", COUNT, EQ, 123, "家", NULL, "１２３家");
  ONE("安排１．５亿元", MONEY, EQ, 150000000, "元", NULL, "１．５亿元");
  ONE("比例５０％以上", PERCENT, GE, 50, "%", NULL, "５０％以上");
}

Test(figures, thousands_separators) {
  ONE("新增1,000家", COUNT, EQ, 1000, "家", NULL, "1,000家");
  ONE("新增1，000家", COUNT, EQ, 1000, "家", NULL, "1，000家");
  ONE("补助12,345,678元", MONEY, EQ, 12345678, "元", NULL, "12,345,678元");
  ONE("累计１，２００户", COUNT, EQ, 1200, "户", NULL, "１，２００户");
  /* not groups of three: no figure rather than a wrong one */
  cr_expect_eq(count_of("编号1,00家"), 0);
  got g = extract("新增75家，100户");
  cr_assert_eq(g.n, 2, "a comma after a unit separates two figures");
  cr_expect_eq(g.f[1].lo, 100);
  free(g.f);
}

Test(figures, deadlines) {
  ONE("能耗指标2月底前落实到项目", DEADLINE, LE, 231, "", "", "2月底前");
  ONE("能耗指标3月底前落实到项目", DEADLINE, LE, 331, "", "", "3月底前");
  ONE("6月30日前完成", DEADLINE, LE, 630, "", "", "6月30日前");
  ONE("2025年底前完成", DEADLINE, LE, 20251231, "", "", "2025年底前");
  ONE("2025年6月30日之前完成", DEADLINE, LE, 20250630, "", "", "2025年6月30日之前");
  ONE("二月底前落实", DEADLINE, LE, 231, "", "", "二月底前");
  ONE("力争年底前建成", DEADLINE, LE, 1231, "", "", "年底前");
  ONE("今年底前完成", DEADLINE, LE, 1231, "", "", "年底前");
  cr_expect_eq(count_of("明年底前完成，去年底前开工，30年底前"), 0);
  cr_expect_eq(count_of("2025年3月6日印发"), 0);
  cr_expect_eq(count_of("3月11日,浙江省"), 0);
  cr_expect_eq(count_of("2024年底，力争"), 0);
}

Test(figures, not_figures) {
  static const char *const texts[] = {
      "2025年",
      "（2025版）",
      "(2025年版)",
      "乐政发〔2025〕4号",
      "（十）加力扩围",
      "1.发挥重大建设",
      "十、强化",
      "第一，第二批",
      "十届区政府第48次常务会议",
      "电话：0577-62345678",
      "13805771234",
      "每千名0-3岁婴幼儿",
      "3C、电动自行车",
      "市域铁路S3线一期",
      "“人才新政40条”5.0版",
      "《乐清市大孵化器集群建设实施方案（2024-2026年）》",
      "4个10万吨级泊位",
      "倍差缩小至1.67左右",
      "生成日期 2025-05-16",
      "列温州前3。",
      "正泰8GW光伏",
      "在2024年“3个70%”基础上",
      "索引号 001008003001001/2025-53667",
      "1#泊位",
      "???0个",
  };
  for (size_t k = 0; k < sizeof texts / sizeof texts[0]; k++) {
    got g = extract(texts[k]);
    for (size_t j = 0; j < g.n; j++) {
      /* 4个10万吨级泊位 has one figure, 4个, and not the 10万吨 class */
      if (strcmp(texts[k], "4个10万吨级泊位") == 0 && j == 0 && g.f[0].lo == 4) continue;
      cr_expect_fail("%s: figure '%s'", texts[k], span(texts[k], &g.f[j]));
    }
    free(g.f);
  }
  /* a bare number is not a figure */
  cr_expect_eq(count_of("容积率一般不低于1.5，建筑系数达到40%以上"), 1);
}

Test(figures, spans_and_order) {
  const char *t = "新增企业首贷户100户以上。安排0.62亿元，其中重点支持文旅事业发展0.43亿元。";
  got g = extract(t);
  cr_assert_eq(g.n, 3);
  cr_expect_str_eq(span(t, &g.f[0]), "100户以上");
  cr_expect_str_eq(span(t, &g.f[1]), "0.62亿元");
  cr_expect_str_eq(span(t, &g.f[2]), "0.43亿元");
  for (size_t k = 1; k < g.n; k++) cr_expect_leq(g.f[k - 1].end, g.f[k].start);
  free(g.f);
}

static void expect_format(const char *text, const char *shown) {
  got g = extract(text);
  cr_assert_eq(g.n, 1, "%s", text);
  char buf[64];
  size_t len = cdx_figure_format(&g.f[0], buf, sizeof buf);
  cr_expect_str_eq(buf, shown, "%s", text);
  cr_expect_eq(len, strlen(shown));
  free(g.f);
}

Test(figures, format) {
  expect_format("不低于50%", "≥50%");
  expect_format("安排15亿元", "15亿元");
  expect_format("安排2.3亿元", "2.3亿元");
  expect_format("最高200万元", "≤200万元");
  expect_format("新增1-2个", "1-2个");
  expect_format("给予5万元到10万元奖励", "5-10万元");
  expect_format("2月底前", "2月底前");
  expect_format("2025年6月30日前", "2025年6月30日前");
  expect_format("2025年底前", "2025年底前");
  expect_format("约3000亩", "≈3000亩");
  expect_format("重建30万平方米", "30万平方米");
  expect_format("超过10家", ">10家");
  expect_format("提高2个百分点", "2个百分点");
  expect_format("补助3450元", "3450元");
  /* truncation: the needed length is returned, the buffer stays terminated */
  got g = extract("最高200万元");
  char small[4];
  size_t need = cdx_figure_format(&g.f[0], small, sizeof small);
  cr_expect_eq(need, strlen("≤200万元"));
  cr_expect_eq(small[3], '\0');
  free(g.f);
}

Test(figures, compare) {
  got a = extract("安排15亿元"), b = extract("安排50亿元"), c = extract("新增15家");
  cr_assert(a.n == 1 && b.n == 1 && c.n == 1);
  cr_expect(cdx_figure_same_measure(&a.f[0], &b.f[0]));
  cr_expect(!cdx_figure_same_value(&a.f[0], &b.f[0]));
  cr_expect(cdx_figure_same_value(&a.f[0], &a.f[0]));
  cr_expect(!cdx_figure_same_measure(&a.f[0], &c.f[0]));
  free(a.f);
  free(b.f);
  free(c.f);
}

Test(figures, errors) {
  cdx_figure *f = (cdx_figure *)1;
  size_t n = 7;
  cdx_error err;
  const char bad[] = "新增5家\xff\xfe";
  cr_expect_eq(cdx_figures_extract(bad, sizeof bad - 1, &f, &n, &err), CDX_ENCODING);
  cr_expect_eq(err.offset, strlen("新增5家"));
  cr_expect_null(f);
  cr_expect_eq(n, 0);
  cr_expect_eq(cdx_figures_extract("x", 1, NULL, &n, &err), CDX_INVALID);
  cr_expect_eq(cdx_figures_extract(NULL, 0, &f, &n, &err), CDX_OK);
  cr_expect_eq(n, 0);
  cr_expect_null(f);
  /* truncated input inside a character is an encoding error, not a read past the end */
  cr_expect_eq(cdx_figures_extract("5万", 2, &f, &n, &err), CDX_ENCODING);
  cr_expect_str_eq(cdx_figure_type_name(CDX_FIG_DEADLINE), "deadline");
  cr_expect_str_eq(cdx_figure_qual_name(CDX_FIGQ_APPROX), "approx");
}

/* docs/FACTS.md lists every unit and kind the extractor reports. */
Test(figures, documented_lists) {
  size_t len;
  char *doc = cdx_test_read(CDX_SOURCE_DIR "/docs/FACTS.md", &len);
  const char *const *units = cdx_figure_units();
  size_t nu = 0;
  for (; units[nu]; nu++) {
    char quoted[64];
    snprintf(quoted, sizeof quoted, "`%s`", units[nu]);
    cr_expect(strstr(doc, quoted) != NULL, "docs/FACTS.md lacks unit %s", quoted);
  }
  cr_expect_gt(nu, 30);
  const char *const *kinds = cdx_figure_kinds();
  size_t nk = 0;
  for (; kinds[nk]; nk++) {
    char quoted[64];
    snprintf(quoted, sizeof quoted, "`%s`", kinds[nk]);
    cr_expect(strstr(doc, quoted) != NULL, "docs/FACTS.md lacks kind %s", quoted);
  }
  cr_expect_gt(nk, 0);
  free(doc);
}

/* The word filters of fig_lexicon.c assume words made of ASCII and
 * three-byte characters; a new table word that is not would be missed. */
Test(figures, lexicon_words_fit_the_filters) { cr_expect(cdx_fig_lexicon_check()); }
