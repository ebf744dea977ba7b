/* The jurisdiction gazetteer: codes, parents, nesting, name lookups,
 * Traditional names, ambiguity, and place detection on the seeds. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>
#include "lexicon/gazetteer.h"
#include "support/test_support.h"

static const cdx_gz_place *find(const char *text, size_t *at) {
  return cdx_gz_find_in_text(text, strlen(text), at);
}

/* TEXT names the place CODE, its name starting at byte AT of TEXT. */
static void expect_find_at(const char *text, uint32_t code, size_t at) {
  size_t got = 99;
  const cdx_gz_place *p = find(text, &got);
  cr_assert_not_null(p, "%s: no place", text);
  cr_assert_eq(p->code, code, "%s: %s %u, not %u", text, p->name, p->code, code);
  cr_assert_eq(got, at, "%s: at %zu, not %zu", text, got, at);
}

/* TEXT names the place CODE. */
static void expect_find(const char *text, uint32_t code) {
  const cdx_gz_place *p = find(text, NULL);
  cr_assert_not_null(p, "%s: no place", text);
  cr_assert_eq(p->code, code, "%s: %s %u, not %u", text, p->name, p->code, code);
}

Test(gazetteer, all_rows_load_in_code_order) {
  /* 31 provinces + 333 prefectures (342 minus 9 pseudo) + 2975 counties
   * (2978 minus the 3 prefecture-level cities that repeat themselves). */
  cr_assert_eq(cdx_gz_count(), 3339);
  size_t by_level[4] = {0};
  for (size_t i = 0; i < cdx_gz_count(); i++) {
    const cdx_gz_place *p = cdx_gz_at(i);
    cr_assert_not_null(p);
    if (i) cr_assert_lt(cdx_gz_at(i - 1)->code, p->code);
    cr_assert(p->level >= CDX_LEVEL_PROVINCE && p->level <= CDX_LEVEL_COUNTY);
    by_level[p->level]++;
    cr_assert_eq(cdx_gz_by_code(p->code), p, "code %u does not find itself", p->code);
    cr_assert_gt(strlen(p->name), 0);
    /* Every chain ends at a province in at most two steps. */
    const cdx_gz_place *q = p;
    int steps = 0;
    while (q->parent) {
      q = cdx_gz_parent(q);
      cr_assert_not_null(q, "%s has a dangling parent", p->name);
      steps++;
    }
    cr_assert_eq(q->level, CDX_LEVEL_PROVINCE);
    cr_assert_leq(steps, 2);
    cr_assert_neq(strcmp(p->name, "市辖区"), 0);
  }
  cr_assert_eq(by_level[CDX_LEVEL_PROVINCE], 31);
  cr_assert_eq(by_level[CDX_LEVEL_PREFECTURE], 333);
  cr_assert_eq(by_level[CDX_LEVEL_COUNTY], 2975);
  cr_assert_null(cdx_gz_at(cdx_gz_count()));
}

Test(gazetteer, codes_are_widened) {
  const cdx_gz_place *zj = cdx_gz_by_code(33), *wz = cdx_gz_by_code(3303);
  cr_assert_not_null(zj);
  cr_assert_not_null(wz);
  cr_assert_eq(zj->code, 330000);
  cr_assert_str_eq(zj->name, "浙江省");
  cr_assert_eq(zj->level, CDX_LEVEL_PROVINCE);
  cr_assert_eq(zj->parent, 0);
  cr_assert_eq(wz->code, 330300);
  cr_assert_str_eq(wz->name, "温州市");
  cr_assert_eq(cdx_gz_by_code(330000), zj);
  cr_assert_null(cdx_gz_by_code(0));
  cr_assert_null(cdx_gz_by_code(999999));
  cr_assert_null(cdx_gz_by_code(1234567));
  cr_assert_null(cdx_gz_by_code(330399)); /* no such county */
}

Test(gazetteer, parents_of_yueqing) {
  const cdx_gz_place *yq = cdx_gz_by_code(330382);
  cr_assert_not_null(yq);
  cr_assert_str_eq(yq->name, "乐清市");
  cr_assert_eq(yq->level, CDX_LEVEL_COUNTY);
  const cdx_gz_place *wz = cdx_gz_parent(yq);
  cr_assert_not_null(wz);
  cr_assert_eq(wz->code, 330300);
  const cdx_gz_place *zj = cdx_gz_parent(wz);
  cr_assert_not_null(zj);
  cr_assert_eq(zj->code, 330000);
  cr_assert_null(cdx_gz_parent(zj));
  cr_assert_null(cdx_gz_parent(NULL));
}

Test(gazetteer, municipality_counties_skip_the_pseudo_prefecture) {
  const cdx_gz_place *cy = cdx_gz_by_code(110105);
  cr_assert_not_null(cy);
  cr_assert_str_eq(cy->name, "朝阳区");
  cr_assert_eq(cy->parent, 110000);
  /* The pseudo-prefecture code still resolves, to the municipality. */
  const cdx_gz_place *bj = cdx_gz_by_code(1101);
  cr_assert_not_null(bj);
  cr_assert_eq(bj->code, 110000);
  cr_assert(cdx_gz_within(110105, 110100));
  cr_assert(cdx_gz_within(110105, 11));
  /* Counties directly under a province (济源市 under 河南省). */
  const cdx_gz_place *jy = cdx_gz_by_code(419001);
  cr_assert_not_null(jy);
  cr_assert_eq(jy->parent, 410000);
  /* 重庆's 县 pseudo-prefecture is gone from names too. */
  const cdx_gz_place *out[4];
  cr_assert_eq(cdx_gz_lookup("市辖区", strlen("市辖区"), out, 4), 0);
  cr_assert_eq(cdx_gz_lookup("县", strlen("县"), out, 4), 0);
}

Test(gazetteer, within) {
  cr_assert(cdx_gz_within(330382, 330382));
  cr_assert(cdx_gz_within(330382, 330300));
  cr_assert(cdx_gz_within(330382, 330000));
  cr_assert(cdx_gz_within(330382, 3303));
  cr_assert(cdx_gz_within(330302, 33));
  cr_assert_not(cdx_gz_within(330300, 330382));
  cr_assert_not(cdx_gz_within(330382, 330100));
  cr_assert_not(cdx_gz_within(330382, 110000));
  cr_assert_not(cdx_gz_within(123456, 330000));
  cr_assert_not(cdx_gz_within(330382, 0));
}

static void expect_lookup(const char *name, uint32_t code) {
  const cdx_gz_place *out[16];
  size_t n = cdx_gz_lookup(name, strlen(name), out, 16);
  cr_assert_geq(n, 1, "%s: no match", name);
  bool found = false;
  for (size_t i = 0; i < n && i < 16; i++) found |= out[i]->code == code;
  cr_assert(found, "%s: %u not among the %zu matches", name, code, n);
}

Test(gazetteer, lookup_full_and_short_names) {
  expect_lookup("温州市", 330300);
  expect_lookup("温州", 330300);
  expect_lookup("鹿城区", 330302);
  expect_lookup("鹿城", 330302);
  expect_lookup("乐清市", 330382);
  expect_lookup("乐清", 330382);
  expect_lookup("浙江省", 330000);
  expect_lookup("浙江", 330000);
  expect_lookup("北京", 110000);
  expect_lookup("内蒙古", 150000);
  expect_lookup("广西", 450000);
  expect_lookup("恩施", 422800); /* 恩施土家族苗族自治州 */
  expect_lookup("浦东新区", 310115);
  expect_lookup("浦东", 310115);
  expect_lookup("景宁", 331127); /* 景宁畲族自治县 */
  /* Never to a single character, nor to nothing. */
  const cdx_gz_place *out[4];
  cr_assert_eq(cdx_gz_lookup("城", strlen("城"), out, 4), 0);
  cr_assert_eq(cdx_gz_lookup("温", strlen("温"), out, 4), 0);
  cr_assert_eq(cdx_gz_lookup("", 0, out, 4), 0);
  cr_assert_eq(cdx_gz_lookup("温州市鹿", strlen("温州市鹿"), out, 4), 0);
  /* Bad UTF-8 finds nothing and reads nothing past len. */
  cr_assert_eq(cdx_gz_lookup("\xe6\xb8", 2, out, 4), 0);
  /* Zones keep only their full name. */
  cr_assert_eq(cdx_gz_lookup("石家庄高新技术产业", strlen("石家庄高新技术产业"), out, 4), 0);
}

Test(gazetteer, lookup_orders_by_prominence) {
  /* 吉林 is both a province and a prefecture-level city: province first. */
  const cdx_gz_place *out[8];
  size_t n = cdx_gz_lookup("吉林", strlen("吉林"), out, 8);
  cr_assert_geq(n, 2);
  cr_assert_eq(out[0]->code, 220000);
  cr_assert_eq(out[1]->code, 220200);
  /* max smaller than the match count: the total is still returned. */
  n = cdx_gz_lookup("朝阳区", strlen("朝阳区"), out, 1);
  cr_assert_geq(n, 2);
  cr_assert_eq(out[0]->code, 110105);
  cr_assert_eq(cdx_gz_lookup("朝阳区", strlen("朝阳区"), NULL, 0), n);
}

Test(gazetteer, traditional_names) {
  expect_lookup("溫州市", 330300);
  expect_lookup("溫州", 330300);
  expect_lookup("樂清市", 330382);
  expect_lookup("浙江省", 330000);
  expect_find("溫州市人民政府", 330300);
  /* 乾 is a name character of its own (乾县), not Traditional 干. */
  expect_lookup("乾县", 610424);
}

Test(gazetteer, find_in_issuers_and_titles) {
  expect_find_at("乐清市人民政府", 330382, 0);
  expect_find_at("温州市鹿城区人民政府", 330302, strlen("温州市"));
  expect_find("温州市推动经济高质量发展若干政策(2025年版)", 330300);
  expect_find("浙江省人民政府关于推动经济高质量发展的若干意见", 330000);
  /* A bare short name is enough when nothing else is named. */
  expect_find("温州推动经济高质量发展", 330300);
}

Test(gazetteer, find_nothing) {
  cr_assert_null(find("推动经济高质量发展若干政策", NULL));
  cr_assert_null(find("", NULL));
  cr_assert_null(cdx_gz_find_in_text(NULL, 0, NULL));
  /* Ordinary words that are also short names name nothing alone. */
  cr_assert_null(find("坚持和平发展道路，推进老城区和新城区更新", NULL));
  /* Bad bytes are stepped over, never read past the end. */
  const char bad[] = "\xff\xfe\xe6\xb8\xa9\xe5\xb7"; /* 温 then a cut-off 州 */
  cr_assert_null(cdx_gz_find_in_text(bad, sizeof bad - 1, NULL));
}

Test(gazetteer, ambiguity_uses_co_mentioned_parents) {
  expect_find("北京市朝阳区人民政府", 110105);
  expect_find("长春市朝阳区人民政府", 220104);
  /* The parent may come after the ambiguous name. */
  expect_find("朝阳区推动经济发展若干政策。根据吉林省、长春市部署", 220104);
  /* A name shared by four districts, right after its city: the county
   * wins over the city with a whole vote. */
  expect_find("福州市鼓楼区推动经济高质量发展若干政策", 350102);
  /* Generic names (市中区, 郊区) count right after their parent's name. */
  expect_find("济南市市中区推动经济高质量发展若干政策", 370103);
  expect_find("铜陵市郊区关于促进消费扩容提质的若干措施", 340711);
  expect_find("推进济南市老城区和市中区更新", 370100);
  /* With no context at all, the first in code order. */
  expect_find("朝阳区", 110105);
}

Test(gazetteer, most_specific_consistent_place) {
  expect_find_at("浙江省温州市乐清市", 330382, strlen("浙江省温州市"));
  /* Two counties of the same city: the earlier wins. */
  expect_find_at("鹿城区、乐清市", 330302, 0);
  /* A passing mention of another province's county does not win over the
   * branch named throughout. */
  expect_find("乐清市人民政府。温州市乐清市。对标深圳市南山区。乐清市", 330382);
  /* One county among many mentions of its city is a passing mention. */
  expect_find("温州市、温州市、温州市、温州市、平阳县", 330300);
}

static const cdx_gz_place *find_in_seed(const char *name) {
  const char *path = cdx_test_seed_path(name);
  size_t len;
  char *text = cdx_test_read(path, &len);
  const cdx_gz_place *p = cdx_gz_find_in_text(text, len, NULL);
  free(text);
  return p;
}

Test(gazetteer, seeds_whole_text) {
  static const uint32_t want[5] = {330382, 330382, 330300, 330382, 330302};
  for (int i = 0; i < 5; i++) {
    const cdx_gz_place *p = find_in_seed(cdx_test_seed_names[i]);
    cr_assert_not_null(p, "%s: no place", cdx_test_seed_names[i]);
    cr_assert_eq(p->code, want[i], "%s: got %s %u", cdx_test_seed_names[i], p->name, p->code);
  }
}
