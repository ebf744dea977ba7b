/* facts/: canonical department names on constructed names: variants of one
 * body, Traditional, brackets, prefixes, branches, unknown names, errors,
 * the user's table file, and the compiled-in table staying in step with
 * facts/dept_aliases.tsv. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "facts/depts.h"
#include "support/test_support.h"

static cdx_dept_table *table;

static void setup(void) {
  cdx_error err;
  cr_assert_eq(cdx_dept_table_new(&table, &err), CDX_OK, "%s", err.message);
}
static void teardown(void) { cdx_dept_table_free(table); }

static const char *const yueqing[] = {"乐清市", "温州市", "浙江省"};
static const char *const wenzhou[] = {"温州市", "浙江省"};
static const char *const lucheng[] = {"鹿城区", "温州市", "浙江省"};

/* canonical name of s with places p (n of them) by t; static buffer */
static const char *canon_t(const cdx_dept_table *t, const char *const *p, size_t n, const char *s) {
  static char out[256];
  cdx_error err;
  size_t len = 0;
  int rc = cdx_dept_canonical(t, p, n, s, strlen(s), out, sizeof out, &len, &err);
  cr_assert_eq(rc, CDX_OK, "%s: %s", s, err.message);
  cr_assert_eq(len, strlen(out));
  return out;
}
#define CANON(p, s) canon_t(table, p, sizeof p / sizeof *p, s)
#define BARE(s) canon_t(table, NULL, 0, s)

TestSuite(depts, .init = setup, .fini = teardown);

Test(depts, variants_of_one_body) {
  cr_expect_str_eq(CANON(yueqing, "市发改局"), "发展和改革局");
  cr_expect_str_eq(CANON(wenzhou, "市发展改革委"), "发展和改革局");
  cr_expect_str_eq(CANON(yueqing, "乐清市发展和改革局"), "发展和改革局");
  cr_expect_str_eq(CANON(lucheng, "区发改局"), "发展和改革局");
  cr_expect_str_eq(BARE("发改委"), "发展和改革局");
  cr_expect_str_eq(CANON(yueqing, "市经信局"), "经济和信息化局");
  cr_expect_str_eq(CANON(yueqing, "市人力社保局"), "人力资源和社会保障局");
  cr_expect_str_eq(CANON(yueqing, "市住建局"), "住房和城乡建设局");
  cr_expect_str_eq(CANON(yueqing, "市科技局"), "科学技术局");
  cr_expect_str_eq(CANON(yueqing, "市卫健局"), "卫生健康局");
  cr_expect_str_eq(CANON(wenzhou, "市卫生健康委"), "卫生健康局");
  cr_expect_str_eq(CANON(yueqing, "市文化和广电旅游体育局"), "文化和旅游局");
  cr_expect_str_eq(CANON(wenzhou, "市文化广电旅游局"), "文化和旅游局");
  cr_expect_str_eq(CANON(yueqing, "市大数据管理中心"), "数据局");
  cr_expect_str_eq(CANON(yueqing, "人行乐清营管部"), "人民银行");
  cr_expect_str_eq(CANON(yueqing, "市人行"), "人民银行");
  cr_expect_str_eq(CANON(wenzhou, "人行温州市分行"), "人民银行");
  cr_expect_str_eq(CANON(yueqing, "国家金融监督管理总局乐清监管支局"), "金融监管局");
  cr_expect_str_eq(CANON(yueqing, "市金融监管支局"), "金融监管局");
  cr_expect_str_eq(CANON(yueqing, "市银保监组"), "金融监管局");
  cr_expect_str_eq(CANON(wenzhou, "温州金融监管分局"), "金融监管局");
  cr_expect_str_eq(CANON(wenzhou, "市政府办公室〈市金融工作服务中心〉"), "金融工作服务中心");
  cr_expect_str_eq(CANON(yueqing, "市金融工作服务中心"), "金融工作服务中心");
  cr_expect_str_eq(CANON(yueqing, "市府办"), CANON(wenzhou, "市政府办公室"));
}

Test(depts, traditional) {
  cr_expect_str_eq(CANON(wenzhou, "溫州市發展改革委"), "发展和改革局");
  cr_expect_str_eq(CANON(wenzhou, "市財政局"), "财政局");
  cr_expect_str_eq(CANON(wenzhou, "市醫療保障局"), "医疗保障局");
  cr_expect_str_eq(CANON(wenzhou, "溫州海關"), "海关");
  cr_expect_str_eq(CANON(wenzhou, "市委組織部〈市委人才辦〉"), "党委组织部（党委人才办）");
}

Test(depts, brackets_and_width) {
  const char *want = "党委组织部（党委人才办）";
  cr_expect_str_eq(CANON(yueqing, "市委组织部〈市委人才办〉"), want);
  cr_expect_str_eq(CANON(yueqing, "市委组织部<市委人才办>"), want);
  cr_expect_str_eq(CANON(yueqing, "市委组织部（市委人才办）"), want);
  cr_expect_str_eq(CANON(lucheng, "区委组织部(区委人才办)"), want);
  cr_expect_str_eq(CANON(yueqing, "市委组织部【市委人才办】"), want);
  cr_expect_str_eq(CANON(yueqing, "市府办（口岸办）"), CANON(wenzhou, "市政府办公室〈市口岸办〉"));
  /* a bracket inside the name is part of it, unified */
  cr_expect_str_eq(BARE("各县(市、区)政府"), "各县（市、区）政府");
  cr_expect_str_eq(BARE("各县（市、区）人民政府"), "各县（市、区）政府");
  char out[64];
  cr_assert_eq(cdx_dept_fold("Ａ１ 号〔楼〕", strlen("Ａ１ 号〔楼〕"), out, sizeof out, NULL, NULL),
               CDX_OK);
  cr_expect_str_eq(out, "A1号（楼）");
}

Test(depts, prefixes) {
  cr_expect_str_eq(CANON(yueqing, "市委组织部"), "党委组织部");
  cr_expect_str_eq(CANON(yueqing, "市委人才办"), "党委人才办");
  cr_expect_str_eq(BARE("组织部"), "党委组织部");
  cr_expect_str_eq(CANON(lucheng, "区委宣传部"), "党委宣传部");
  cr_expect_str_eq(CANON(lucheng, "团区委"), "团委");
  cr_expect_str_eq(CANON(yueqing, "中共乐清市委组织部"), "党委组织部");
  /* 市 + 市场监管局, 市 + 民政局; but 市场监管局 and 市民服务中心 are words */
  cr_expect_str_eq(CANON(yueqing, "市市场监管局"), "市场监督管理局");
  cr_expect_str_eq(BARE("市场监管局"), "市场监督管理局");
  cr_expect_str_eq(CANON(yueqing, "市民政局"), "民政局");
  cr_expect_str_eq(BARE("市民服务中心"), "市民服务中心");
  cr_expect_str_eq(BARE("城市管理局"), "城市管理局");
  cr_expect_str_eq(CANON(yueqing, "浙江省温州市财政局"), "财政局");
  cr_expect_str_eq(CANON(wenzhou, "温州市雁荡山管委会"), "雁荡山管委会");
  /* a short place name only where a known name remains */
  cr_expect_str_eq(CANON(yueqing, "乐清邮政管理局"), "邮政管理局");
  cr_expect_str_eq(CANON(yueqing, "乐清湾港务公司"), "乐清湾港务公司");
  cr_expect_str_eq(CANON(lucheng, "鹿城供电分公司"), CANON(yueqing, "市供电局"));
  /* a bare level character needs a name after it */
  cr_expect_str_eq(BARE("市委"), "市委");
}

Test(depts, branches) {
  cr_expect_str_eq(CANON(lucheng, "市自然资源和规划局鹿城分局"), "自然资源和规划局");
  cr_expect_str_eq(CANON(lucheng, "市医疗保障局鹿城分局"), "医疗保障局");
  cr_expect_str_eq(CANON(yueqing, "温州海关乐清办事处"), "海关");
  /* without the document's places the branch keeps its name */
  cr_expect_str_eq(BARE("市自然资源和规划局鹿城分局"), "自然资源和规划局鹿城分局");
  /* a place inside a name that is no branch */
  cr_expect_str_eq(CANON(yueqing, "浙能乐清发电有限责任公司"), "浙能乐清发电有限责任公司");
}

Test(depts, unknown_names_pass_through) {
  const char *names[] = {"南岳镇", "乐清湾临港经济开发区管委会", "南岳港务公司",
                         "区智能谷发展服务中心"};
  const char *want[] = {"南岳镇", "乐清湾临港经济开发区管委会", "南岳港务公司",
                        "智能谷发展服务中心"};
  for (size_t i = 0; i < 4; i++)
    cr_expect_str_eq(CANON(yueqing, names[i]), want[i], "%s", names[i]);
  /* no table: folding and prefixes only */
  cr_expect_str_eq(canon_t(NULL, yueqing, 3, "市發改局"), "发改局");
  cr_expect_str_eq(canon_t(NULL, NULL, 0, ""), "");
}

Test(depts, errors) {
  char out[256];
  cdx_error err;
  cr_expect_eq(cdx_dept_canonical(table, NULL, 0, "市\xff局", 5, out, sizeof out, NULL, &err),
               CDX_ENCODING);
  cr_expect_eq(err.offset, 3);
  char longname[400];
  memset(longname, 'a', sizeof longname);
  cr_expect_eq(
      cdx_dept_canonical(table, NULL, 0, longname, sizeof longname, out, sizeof out, NULL, &err),
      CDX_LIMIT);
  cr_expect_eq(cdx_dept_canonical(table, NULL, 0, "人行乐清营管部", strlen("人行乐清营管部"), out,
                                  8, NULL, &err),
               CDX_LIMIT, "%s", err.message);
  cr_expect_eq(cdx_dept_canonical(table, NULL, 0, NULL, 3, out, sizeof out, NULL, &err),
               CDX_INVALID);
  const char *bad[] = {"乐清市", NULL};
  cr_expect_eq(cdx_dept_canonical(table, bad, 2, "市财政局", strlen("市财政局"), out, sizeof out,
                                  NULL, &err),
               CDX_INVALID);
}

/* Every line of facts/dept_aliases.tsv, read here from the source tree, is
 * what the compiled-in table answers: the generated copy is in step, and
 * no rule mangles a name of the table. */
Test(depts, tsv_and_compiled_table_agree) {
  size_t len;
  char *tsv = cdx_test_read(CDX_SOURCE_DIR "/facts/dept_aliases.tsv", &len);
  size_t lines = 0;
  for (char *line = strtok(tsv, "\n"); line; line = strtok(NULL, "\n")) {
    if (line[0] == '#' || !line[0]) continue;
    char *tab = strchr(line, '\t');
    char want[256];
    cr_assert_eq(cdx_dept_fold(line, tab ? (size_t)(tab - line) : strlen(line), want, sizeof want,
                               NULL, NULL),
                 CDX_OK, "%s", line);
    cr_expect_str_eq(BARE(want), want, "canonical %s", want);
    if (tab) cr_expect_str_eq(BARE(tab + 1), want, "alias %s", tab + 1);
    lines++;
  }
  cr_expect_gt(lines, 100);
  cr_expect_geq(cdx_dept_table_size(table), lines);
  free(tsv);
}

static char *write_file(const char *dir, const char *name, const char *text) {
  char *path = malloc(strlen(dir) + strlen(name) + 2);
  sprintf(path, "%s/%s", dir, name);
  FILE *f = fopen(path, "w");
  cr_assert_not_null(f);
  fputs(text, f);
  fclose(f);
  return path;
}

Test(depts, user_file) {
  char *dir = cdx_test_tmpdir();
  char *path = write_file(dir, "mine.tsv",
                          "# our names\n"
                          "\n"
                          "数字化改革办\t数改办\n"
                          "發改委\t发展和改革局\n"
                          "财政局\n");
  cdx_error err;
  size_t before = cdx_dept_table_size(table);
  cr_assert_eq(cdx_dept_table_load(table, path, &err), CDX_OK, "%s", err.message);
  cr_expect_gt(cdx_dept_table_size(table), before);
  cr_expect_str_eq(CANON(yueqing, "市数改办"), "数字化改革办");
  /* renaming a canonical name carries its aliases */
  cr_expect_str_eq(CANON(yueqing, "市发改局"), "发改委");
  cr_expect_str_eq(CANON(yueqing, "市发展和改革局"), "发改委");
  cr_expect_str_eq(CANON(yueqing, "市财政局"), "财政局");
  free(path);
  cdx_test_rmtree(dir);
  free(dir);
}

/* A failing file names itself and the line, and leaves the table as it was. */
static void expect_bad(const char *text, int code, const char *where, const char *what) {
  char *dir = cdx_test_tmpdir();
  char *path = write_file(dir, "bad.tsv", text);
  cdx_error err;
  size_t before = cdx_dept_table_size(table);
  cr_expect_eq(cdx_dept_table_load(table, path, &err), code, "%s", text);
  char loc[1024];
  snprintf(loc, sizeof loc, "%s:%s:", path, where);
  cr_expect(strstr(err.message, loc) != NULL, "'%s' lacks '%s'", err.message, loc);
  cr_expect(strstr(err.message, what) != NULL, "'%s' lacks '%s'", err.message, what);
  cr_expect_eq(cdx_dept_table_size(table), before);
  cr_expect_str_eq(CANON(yueqing, "市发改局"), "发展和改革局");
  free(path);
  cdx_test_rmtree(dir);
  free(dir);
}

Test(depts, user_file_errors) {
  expect_bad("数改办\t数字办\n财政局\t财政\t多余\n", CDX_INVALID, "2", "more than two fields");
  expect_bad("# x\n甲局\t乙办\n丙局\t乙办\n", CDX_INVALID, "3", "given twice");
  expect_bad("甲局\t乙办\n乙办\t丙办\n", CDX_INVALID, "2", "canonical name here but an alias");
  expect_bad("甲局\t\n", CDX_INVALID, "1", "empty name");
  expect_bad("甲局\t乙\xff办\n", CDX_ENCODING, "1", "invalid UTF-8");
  /* an alias given twice in Traditional and Simplified is the same alias */
  expect_bad("甲局\t發改辦\n丙局\t发改办\n", CDX_INVALID, "2", "given twice");
  cdx_error err;
  cr_expect_eq(cdx_dept_table_load(table, "/nonexistent/depts.tsv", &err), CDX_NOTFOUND);
  cr_expect(strstr(err.message, "/nonexistent/depts.tsv") != NULL, "%s", err.message);
}
