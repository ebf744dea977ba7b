/* facts/: canonical names of every responsible unit of the five real seeds,
 * read through the document reader with the document's own places, against
 * the names a reader gives them (the list below was checked against the
 * texts by hand), and the counts of issue #14 for 001. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>
#include "clausedex/document.h"
#include "facts/depts.h"
#include "support/test_support.h"

/* written -> canonical, every distinct responsible unit of the seeds */
static const char *const expected[][2] = {
    {"乐成中心城区管委会", "乐成中心城区管委会"},
    {"乐清湾临港经济开发区管委会", "乐清湾临港经济开发区管委会"},
    {"乐清湾港务公司", "乐清湾港务公司"},
    {"乐清邮政管理局", "邮政管理局"},
    {"人行乐清营管部", "人民银行"},
    {"人行溫州市分行", "人民银行"},
    {"区交通运输局", "交通运输局"},
    {"区人力社保局", "人力资源和社会保障局"},
    {"区住建局", "住房和城乡建设局"},
    {"区公安分局", "公安局"},
    {"区农业农村局", "农业农村局"},
    {"区卫生健康局", "卫生健康局"},
    {"区发改局", "发展和改革局"},
    {"区商务局", "商务局"},
    {"区城乡改造和编研中心", "城乡改造和编研中心"},
    {"区大数据管理中心", "数据局"},
    {"区委宣传部", "党委宣传部"},
    {"区委组织部(区委人才办)", "党委组织部（党委人才办）"},
    {"区工业发展集团", "工业发展集团"},
    {"区市场监管局", "市场监督管理局"},
    {"区总工会", "总工会"},
    {"区投资促进服务中心", "投资促进服务中心"},
    {"区政务服务中心", "政务服务中心"},
    {"区政府办公室", "政府办公室"},
    {"区教育局", "教育局"},
    {"区文化和广电旅游体育局", "文化和旅游局"},
    {"区新居民服务中心", "新居民服务中心"},
    {"区智能谷发展服务中心", "智能谷发展服务中心"},
    {"区残联", "残疾人联合会"},
    {"区民政局", "民政局"},
    {"区科技局", "科学技术局"},
    {"区税务局", "税务局"},
    {"区经信局", "经济和信息化局"},
    {"区财政局", "财政局"},
    {"区金融工作服务中心", "金融工作服务中心"},
    {"南岳港务公司", "南岳港务公司"},
    {"南岳镇", "南岳镇"},
    {"团区委", "团委"},
    {"国家金融监督管理总局乐清监管支局", "金融监管局"},
    {"市交通水利集团", "交通水利集团"},
    {"市交通运输局", "交通运输局"},
    {"市交通運輸局", "交通运输局"},
    {"市人力社保局", "人力资源和社会保障局"},
    {"市人行", "人民银行"},
    {"市住建局", "住房和城乡建设局"},
    {"市体育事业发展中心", "体育事业发展中心"},
    {"市供电局", "供电公司"},
    {"市供销社", "供销合作社联合社"},
    {"市侨联", "归国华侨联合会"},
    {"市公安局", "公安局"},
    {"市农业农村局", "农业农村局"},
    {"市医疗保障局", "医疗保障局"},
    {"市医疗保障局鹿城分局", "医疗保障局"},
    {"市卫生健康局", "卫生健康局"},
    {"市发改局", "发展和改革局"},
    {"市商务局", "商务局"},
    {"市商務局", "商务局"},
    {"市国有资本运营集团", "国有资本运营集团"},
    {"市國資委", "国有资产监督管理委员会"},
    {"市城投集团", "城投集团"},
    {"市大数据管理中心", "数据局"},
    {"市委宣传部", "党委宣传部"},
    {"市委組織部〈市委人才辦〉", "党委组织部（党委人才办）"},
    {"市委组织部", "党委组织部"},
    {"市委组织部<市委人才办>", "党委组织部（党委人才办）"},
    {"市委组织部〈市委人才办〉", "党委组织部（党委人才办）"},
    {"市市场监管局", "市场监督管理局"},
    {"市市場監管局", "市场监督管理局"},
    {"市府办", "政府办公室"},
    {"市府办（口岸办）", "政府办公室（口岸办）"},
    {"市总工会", "总工会"},
    {"市慈善总会", "慈善总会"},
    {"市應急管理局", "应急管理局"},
    {"市投資促進局", "投资促进局"},
    {"市投资促进服务中心", "投资促进服务中心"},
    {"市政務服務局", "政务服务局"},
    {"市政府辦公室", "政府办公室"},
    {"市政府辦公室〈市口岸辦〉", "政府办公室（口岸办）"},
    {"市政府辦公室〈市金融工作服務中心〉", "金融工作服务中心"},
    {"市教育局", "教育局"},
    {"市數據局", "数据局"},
    {"市文化和广电旅游体育局", "文化和旅游局"},
    {"市文化廣電旅游局", "文化和旅游局"},
    {"市残联", "残疾人联合会"},
    {"市殘聯", "残疾人联合会"},
    {"市民政局", "民政局"},
    {"市水利局", "水利局"},
    {"市生态环境局", "生态环境局"},
    {"市發展改革委", "发展和改革局"},
    {"市科技局", "科学技术局"},
    {"市稅務局", "税务局"},
    {"市税务局", "税务局"},
    {"市經信局", "经济和信息化局"},
    {"市總工會", "总工会"},
    {"市经信局", "经济和信息化局"},
    {"市综合行政执法局", "综合行政执法局"},
    {"市自然資源和規劃局", "自然资源和规划局"},
    {"市自然资源和规划局", "自然资源和规划局"},
    {"市自然资源和规划局鹿城分局", "自然资源和规划局"},
    {"市融媒体中心", "融媒体中心"},
    {"市衛生健康委", "卫生健康局"},
    {"市財政局", "财政局"},
    {"市财政局", "财政局"},
    {"市農業農村局", "农业农村局"},
    {"市郵政管理局", "邮政管理局"},
    {"市醫療保障局", "医疗保障局"},
    {"市金融工作服务中心", "金融工作服务中心"},
    {"市金融监管支局", "金融监管局"},
    {"市鐵投集團", "铁投集团"},
    {"市鐵管中心", "铁管中心"},
    {"市铁路建设中心", "铁路建设中心"},
    {"市银保监组", "金融监管局"},
    {"市體育局", "体育局"},
    {"市高速公路建设中心", "高速公路建设中心"},
    {"浙能乐清发电有限责任公司", "浙能乐清发电有限责任公司"},
    {"温州市雁荡山管委会", "雁荡山管委会"},
    {"温州海关乐清办事处", "海关"},
    {"溫州機場集團", "温州机场集团"},
    {"溫州海事局", "海事局"},
    {"溫州海關", "海关"},
    {"溫州港集團", "温州港集团"},
    {"溫州醫科大學", "温州医科大学"},
    {"溫州金融監管分局", "金融监管局"},
    {"溫州電力局", "供电公司"},
    {"雁荡山管委会", "雁荡山管委会"},
    {"鹿城供电分公司", "供电公司"},
};

static const char *want(const char *written) {
  for (size_t i = 0; i < sizeof expected / sizeof *expected; i++)
    if (strcmp(expected[i][0], written) == 0) return expected[i][1];
  return NULL;
}

typedef struct seed {
  cdx_document *doc;
  const char *places[4];
  size_t n_places;
} seed;

static seed open_seed(int i) {
  const char *path = cdx_test_seed_path(cdx_test_seed_names[i]);
  seed s = {0};
  cdx_error err;
  cr_assert_eq(cdx_document_read_file(path, NULL, &s.doc, &err), CDX_OK, "%s: %s", path,
               err.message);
  const cdx_document_meta *m = cdx_document_get_meta(s.doc);
  cr_assert_not_null(m->jurisdiction.name, "%s: no jurisdiction", path);
  s.places[s.n_places++] = m->jurisdiction.name;
  for (size_t p = 0; p < m->n_parents && s.n_places < 4; p++)
    s.places[s.n_places++] = m->parents[p].name;
  return s;
}

static const char *canon(const cdx_dept_table *t, const seed *s, const char *name, char *out) {
  cdx_error err;
  cr_assert_eq(
      cdx_dept_canonical(t, s->places, s->n_places, name, strlen(name), out, 256, NULL, &err),
      CDX_OK, "%s: %s", name, err.message);
  return out;
}

Test(dept_seeds, every_responsible_unit) {
  cdx_dept_table *t;
  cdx_error err;
  cr_assert_eq(cdx_dept_table_new(&t, &err), CDX_OK, "%s", err.message);
  size_t checked = 0;
  for (int i = 0; i < 5; i++) {
    seed s = open_seed(i);
    for (size_t u = 0; u < cdx_document_unit_count(s.doc); u++) {
      const cdx_unit_view *v = cdx_document_get_unit(s.doc, u);
      for (size_t r = 0; r < v->n_responsible; r++) {
        const char *w = want(v->responsible[r]);
        cr_expect_not_null(w, "%s: no expectation for '%s'", cdx_test_seed_names[i],
                           v->responsible[r]);
        char out[256];
        if (w)
          cr_expect_str_eq(canon(t, &s, v->responsible[r], out), w, "%s: %s",
                           cdx_test_seed_names[i], v->responsible[r]);
        /* a canonical name typed back (dept:发展和改革局) is itself */
        char again[256];
        const seed none = {0};
        cr_expect_str_eq(canon(t, &none, out, again), out, "%s: canonical of %s",
                         cdx_test_seed_names[i], out);
        checked++;
      }
    }
    cdx_document_free(s.doc);
  }
  cr_expect_gt(checked, 800, "only %zu responsible units in the seeds", checked);
  cdx_dept_table_free(t);
}

/* Units of seed i listing department `name` (canonical), and those where it
 * is listed first (the lead, by the documents' rule). */
static void count(const cdx_dept_table *t, int i, const char *name, int *listed, int *leads) {
  seed s = open_seed(i);
  *listed = *leads = 0;
  for (size_t u = 0; u < cdx_document_unit_count(s.doc); u++) {
    const cdx_unit_view *v = cdx_document_get_unit(s.doc, u);
    for (size_t r = 0; r < v->n_responsible; r++) {
      char out[256];
      if (strcmp(canon(t, &s, v->responsible[r], out), name) == 0) {
        (*listed)++;
        if (r == 0) (*leads)++;
        break;
      }
    }
  }
  cdx_document_free(s.doc);
}

Test(dept_seeds, counts_of_issue_14) {
  cdx_dept_table *t;
  cdx_error err;
  cr_assert_eq(cdx_dept_table_new(&t, &err), CDX_OK, "%s", err.message);
  int listed, leads;
  count(t, 1, "财政局", &listed, &leads);
  cr_expect_eq(listed, 16, "001 财政局 listed on %d", listed);
  cr_expect_eq(leads, 1, "001 财政局 leads %d", leads);
  count(t, 1, "发展和改革局", &listed, &leads);
  cr_expect_eq(listed, 16, "001 发改局 listed on %d", listed);
  cr_expect_eq(leads, 9, "001 发改局 leads %d", leads);
  /* the draft and the final name the PBoC branch and the financial
   * regulator differently (人行乐清营管部 / 市人行, 国家金融监督管理总局乐清监管支局
   * / 市金融监管支局): one body each, on the same clauses */
  for (int i = 0; i < 2; i++) {
    count(t, i, "人民银行", &listed, &leads);
    cr_expect_eq(listed, 6, "%s 人民银行 listed on %d", cdx_test_seed_names[i], listed);
    count(t, i, "金融监管局", &listed, &leads);
    cr_expect_eq(listed, 5, "%s 金融监管局 listed on %d", cdx_test_seed_names[i], listed);
  }
  /* 003 calls the regulator by its former name (市银保监组) */
  count(t, 3, "金融监管局", &listed, &leads);
  cr_expect_eq(listed, 5, "003 金融监管局 listed on %d", listed);
  cdx_dept_table_free(t);
}

/* 002 is in Traditional characters: its 20 clauses of 市發展改革委 are the
 * city's development and reform commission. */
Test(dept_seeds, traditional_seed) {
  cdx_dept_table *t;
  cdx_error err;
  cr_assert_eq(cdx_dept_table_new(&t, &err), CDX_OK, "%s", err.message);
  int listed, leads;
  count(t, 2, "发展和改革局", &listed, &leads);
  cr_expect_eq(listed, 20, "002 发改委 listed on %d", listed);
  count(t, 2, "金融工作服务中心", &listed, &leads);
  cr_expect_eq(listed, 5, "002 市政府辦公室〈市金融工作服務中心〉 on %d", listed);
  cdx_dept_table_free(t);
}
