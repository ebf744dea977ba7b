/* The aligner on constructed documents: each test changes a base policy the
 * way real versions differ and checks the pairs found. */
#define _POSIX_C_SOURCE 200809L
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "align/align_helpers.h"

#define TITLE "乐清市推动测试发展若干政策\n\n为推动经济高质量发展，结合我市实际，现制定以下政策。\n"
#define CH1                                                                                                                                      \
  "一、强化科技创新（市科技局牵头）\n持续擦亮创新型县金名片，加快推进创新乐清建设，以教育科技人才" \
  "一体改革发展为动力支撑。\n"
#define C1                                                                                                                                        \
  "（一）加强创新载体建设。实施大孵化器集群建设实施方案，构建苗圃孵化器加速器产业园多层级孵化模式" \
  "，支持有条件的科技企业孵化器争创国家级孵化器，新增高新技术企业75家以上。（责任单位：市科技局、"  \
  "市经信局）\n"
#define C2                                                                                                                                        \
  "（二）支持开展关键核心技术攻关。积极组织申报省级重大科技项目，争取立项温州市级以上技术攻关项目" \
  "10项以上，企业牵头的科技重大项目占比不低于80%。（责任单位：市科技局、市财政局）\n"
#define C3                                                                                                                                       \
  "（三）打通人才有序流动通道。市财政安排0."                                                                                  \
  "88亿元支持高层次人才引育，建立高校平台企业产业链结对合作机制，深化以科技副总为重点的人才区域互" \
  "聘共享改革。（责任单位：市委组织部、市人力社保局）\n"
#define CH2                                                                                                                                      \
  "二、加快先进制造业发展（市经信局牵头）\n深入实施先进制造业集群培育工程，推动数字经济和实体经济" \
  "深度融合，加快构建现代化产业体系。\n"
#define C4                                                                                                                                        \
  "（四）支持推动工业领域设备更新和技术改造。调整优化市级财政资金支持重点，更加聚焦支持工业重点行" \
  "业设备更新示范等项目，持续提升制造业领域绿色贷款投放力度。（责任单位：市经信局、市发改局）\n"
#define C5                                                                                                                                        \
  "（五）支持企业加大研发投入。继续落实企业研发费用加计扣除和高新技术企业所得税减免政策，支持企业" \
  "建立研发准备金制度，选派科技副总入驻企业30家以上。（责任单位：市科技局、市税务局）\n"
#define C6                                                                                                                                        \
  "（六）降低全社会物流成本。支持物流企业发展壮大，鼓励冷链设施智能化绿色化改造升级和快递分拨设备" \
  "更新，优化物流项目布局，对重大物流项目用地应保尽保。（责任单位：市发改局、市交通运输局）\n"
#define BASE TITLE CH1 C1 C2 C3 CH2 C4 C5 C6

static const char *const pair_names[2] = {"a.txt", "b.txt"};

static cdx_alignment *align_texts(const char *a, const char *b, char **dir, cdx_index **ix) {
  const char *const texts[2] = {a, b};
  *dir = al_index(pair_names, texts, 2);
  return al_align(*dir, "a.txt", "b.txt", ix);
}

static void done(cdx_alignment *al, cdx_index *ix, char *dir) {
  cdx_alignment_free(al);
  cdx_index_close(ix);
  al_index_free(dir);
}

/* BASE aligned with BASE where from[i] is replaced by to[i]; edit_done frees it. */
typedef struct edit {
  char *b, *dir;
  cdx_index *ix;
  cdx_alignment *al;
} edit;

static cdx_alignment *align_edit(edit *e, const char *const *from, const char *const *to,
                                 size_t n) {
  e->b = al_replace(BASE, from, to, n);
  return e->al = align_texts(BASE, e->b, &e->dir, &e->ix);
}

/* The pair of A's unit `number`, which must be there, and be a pair of relation rel. */
static const cdx_align_pair *pair_of(const cdx_alignment *al, const char *number,
                                     cdx_relation rel) {
  const cdx_align_pair *p = al_pair_by_number(al, 0, number);
  cr_assert_not_null(p, "no pair of %s", number);
  cr_expect_eq(p->relation, rel, "%s: %s", number, cdx_relation_name(p->relation));
  return p;
}

static void edit_done(edit *e) {
  done(e->al, e->ix, e->dir);
  free(e->b);
}

Test(align, identical_documents_are_all_same) {
  char *dir;
  cdx_index *ix;
  cdx_alignment *al = align_texts(BASE, BASE "\n", &dir, &ix);
  cr_expect_eq(al_count(al, CDX_REL_SAME), cdx_alignment_count(al));
  cr_expect_geq(cdx_alignment_count(al), 9); /* preamble, 2 chapters, 6 clauses */
  for (size_t i = 0; i < cdx_alignment_count(al); i++) {
    const cdx_align_pair *p = cdx_alignment_get(al, i);
    cr_expect_eq(p->similarity, 1.0);
    cr_expect_eq(p->a->ordinal, p->b->ordinal);
    cr_expect_not(p->text_changed);
  }
  done(al, ix, dir);
}

Test(align, an_inserted_clause_renumbers_nothing_else) {
  const char *b = TITLE CH1 C1
      "（二）实施科技型企业梯度培育。建立科技型中小企业培育库，对入库企业给予研发费用补助，推动科技"
      "型企业向高新技术企业跃升。（责任单位：市科技局）\n"
      "（三）支持开展关键核心技术攻关。积极组织申报省级重大科技项目，争取立项温州市级以上技术攻关项"
      "目10项以上，企业牵头的科技重大项目占比不低于80%。（责任单位：市科技局、市财政局）\n"
      "（四）打通人才有序流动通道。市财政安排0."
      "88亿元支持高层次人才引育，建立高校平台企业产业链结对合作机制，深化以科技副总为重点的人才区域"
      "互聘共享改革。（责任单位：市委组织部、市人力社保局）\n" CH2
      "（五）支持推动工业领域设备更新和技术改造。调整优化市级财政资金支持重点，更加聚焦支持工业重点"
      "行业设备更新示范等项目，持续提升制造业领域绿色贷款投放力度。（责任单位：市经信局、市发改局）"
      "\n"
      "（六）支持企业加大研发投入。继续落实企业研发费用加计扣除和高新技术企业所得税减免政策，支持企"
      "业建立研发准备金制度，选派科技副总入驻企业30家以上。（责任单位：市科技局、市税务局）\n"
      "（七）降低全社会物流成本。支持物流企业发展壮大，鼓励冷链设施智能化绿色化改造升级和快递分拨设"
      "备更新，优化物流项目布局，对重大物流项目用地应保尽保。（责任单位：市发改局、市交通运输局）"
      "\n";
  char *dir;
  cdx_index *ix;
  cdx_alignment *al = align_texts(BASE, b, &dir, &ix);
  cr_expect_eq(al_count(al, CDX_REL_ADDED), 1);
  const cdx_align_pair *p = al_pair_by_number(al, 1, "（二）");
  cr_assert_not_null(p);
  cr_expect_eq(p->relation, CDX_REL_ADDED);
  cr_expect_null(p->a);
  /* Every old clause is the same, under its new number. */
  const char *olds[] = {"（一）", "（二）", "（三）", "（四）", "（五）", "（六）"};
  const char *news[] = {"（一）", "（三）", "（四）", "（五）", "（六）", "（七）"};
  for (int i = 0; i < 6; i++) {
    const cdx_align_pair *q = al_pair_by_number(al, 0, olds[i]);
    cr_assert_not_null(q, "%s", olds[i]);
    cr_expect_eq(q->relation, CDX_REL_SAME, "%s: %s", olds[i], cdx_relation_name(q->relation));
    cr_assert_not_null(q->b);
    cr_expect_str_eq(q->b->number, news[i]);
  }
  /* In B's order: the added clause comes between (一) and old (二). */
  size_t at_added = SIZE_MAX, at_old2 = SIZE_MAX;
  for (size_t i = 0; i < cdx_alignment_count(al); i++) {
    const cdx_align_pair *q = cdx_alignment_get(al, i);
    if (q == p) at_added = i;
    if (q->a && q->a->number && strcmp(q->a->number, "（二）") == 0) at_old2 = i;
  }
  cr_expect_lt(at_added, at_old2);
  done(al, ix, dir);
}

Test(align, changed_figures_and_characters) {
  const char *from[] = {"10项以上", "75家以上", "支持开展关键核心技术攻关"};
  const char *to[] = {"20项以上", "80家以上", "支持全链条关键核心技术攻关"};
  edit ed;
  cdx_alignment *al = align_edit(&ed, from, to, 3);
  const cdx_align_pair *p = pair_of(al, "（二）", CDX_REL_CHANGED);
  cr_expect(p->text_changed);
  cr_assert_eq(p->n_figures, 1);
  cr_expect(strstr(p->figures[0].a, "10") && strstr(p->figures[0].a, "项"), "%s", p->figures[0].a);
  cr_expect(strstr(p->figures[0].b, "20"), "%s", p->figures[0].b);
  cr_expect(strstr(p->figures[0].context, "技术攻关项目") != NULL, "%s", p->figures[0].context);
  /* The edits show the heading change with the original characters. */
  bool ins = false, del = false;
  for (size_t i = 0; i < p->n_edits; i++) {
    const cdx_edit *e = &p->edits[i];
    if (e->op == CDX_EDIT_INSERT &&
        strncmp(p->b->text + e->b_start, "全链条", e->b_end - e->b_start) == 0)
      ins = true;
    if (e->op == CDX_EDIT_DELETE &&
        strncmp(p->a->text + e->a_start, "开展", e->a_end - e->a_start) == 0)
      del = true;
  }
  cr_expect(ins && del);
  const cdx_align_pair *q = al_pair_by_number(al, 0, "（一）");
  cr_assert_not_null(q);
  cr_assert_eq(q->n_figures, 1);
  cr_expect(strstr(q->figures[0].b, "80") != NULL, "%s", q->figures[0].b);
  cr_expect_eq(al_count(al, CDX_REL_CHANGED), 2);
  cr_expect_eq(al_count(al, CDX_REL_ADDED) + al_count(al, CDX_REL_REMOVED), 0);
  edit_done(&ed);
}

Test(align, a_removed_clause) {
  char *dir;
  cdx_index *ix;
  cdx_alignment *al = align_texts(BASE, TITLE CH1 C1 C2 C3 CH2 C4 C6, &dir, &ix);
  const cdx_align_pair *p = pair_of(al, "（五）", CDX_REL_REMOVED);
  cr_expect_null(p->b);
  cr_expect_eq(al_count(al, CDX_REL_REMOVED), 1);
  cr_expect_eq(al_count(al, CDX_REL_ADDED), 0);
  done(al, ix, dir);
}

/* (四) and (六) become one clause: a merge one way, a split the other. */
#define MERGED                                                                                                                                    \
  "（四）推动设备更新和物流降本。调整优化市级财政资金支持重点，更加聚焦支持工业重点行业设备更新示" \
  "范等项目，持续提升制造业领域绿色贷款投放力度。支持物流企业发展壮大，鼓励冷链设施智能化绿色化改" \
  "造升级和快递分拨设备更新，优化物流项目布局，对重大物流项目用地应保尽保。（责任单位：市经信局、" \
  "市发改局、市交通运输局）\n（五）支持企业加大研发投入。继续落实企业研发费用加计扣除和高新技术企"  \
  "业所得税减免政策，支持企业建立研发准备金制度，选派科技副总入驻企业30家以上。（责任单位：市科技"  \
  "局、市税务局）\n"

Test(align, two_clauses_merged_into_one) {
  char *dir;
  cdx_index *ix;
  cdx_alignment *al = align_texts(BASE, TITLE CH1 C1 C2 C3 CH2 MERGED, &dir, &ix);
  const cdx_align_pair *p4 = al_pair_by_number(al, 0, "（四）"),
                       *p6 = al_pair_by_number(al, 0, "（六）");
  cr_assert(p4 && p6);
  cr_expect_eq(p4->relation, CDX_REL_MERGED, "%s", cdx_relation_name(p4->relation));
  cr_expect_eq(p6->relation, CDX_REL_MERGED, "%s", cdx_relation_name(p6->relation));
  cr_expect_eq(p4->b, p6->b);
  cr_expect_gt(p4->group, 0);
  cr_expect_eq(p4->group, p6->group);
  pair_of(al, "（五）", CDX_REL_SAME);
  cr_expect_eq(al_count(al, CDX_REL_ADDED) + al_count(al, CDX_REL_REMOVED), 0);
  done(al, ix, dir);
}

Test(align, one_clause_split_in_two) {
  char *dir;
  cdx_index *ix;
  cdx_alignment *al = align_texts(TITLE CH1 C1 C2 C3 CH2 MERGED, BASE, &dir, &ix);
  const cdx_align_pair *p4 = al_pair_by_number(al, 1, "（四）"),
                       *p6 = al_pair_by_number(al, 1, "（六）");
  cr_assert(p4 && p6);
  cr_expect_eq(p4->relation, CDX_REL_SPLIT, "%s", cdx_relation_name(p4->relation));
  cr_expect_eq(p6->relation, CDX_REL_SPLIT, "%s", cdx_relation_name(p6->relation));
  cr_expect_eq(p4->a, p6->a);
  cr_expect_eq(p4->group, p6->group);
  cr_expect_eq(al_count(al, CDX_REL_ADDED) + al_count(al, CDX_REL_REMOVED), 0);
  done(al, ix, dir);
}

Test(align, a_clause_moved_to_another_chapter) {
  /* (五) moves to the end of chapter 一 and is renumbered (四). */
  const char *b = TITLE CH1 C1 C2 C3
      "（四）支持企业加大研发投入。继续落实企业研发费用加计扣除和高新技术企业所得税减免政策，支持企"
      "业建立研发准备金制度，选派科技副总入驻企业30家以上。（责任单位：市科技局、市税务局）\n" CH2
      "（五）支持推动工业领域设备更新和技术改造。调整优化市级财政资金支持重点，更加聚焦支持工业重点"
      "行业设备更新示范等项目，持续提升制造业领域绿色贷款投放力度。（责任单位：市经信局、市发改局）"
      "\n"
      "（六）降低全社会物流成本。支持物流企业发展壮大，鼓励冷链设施智能化绿色化改造升级和快递分拨设"
      "备更新，优化物流项目布局，对重大物流项目用地应保尽保。（责任单位：市发改局、市交通运输局）"
      "\n";
  char *dir;
  cdx_index *ix;
  cdx_alignment *al = align_texts(BASE, b, &dir, &ix);
  const cdx_align_pair *p = pair_of(al, "（五）", CDX_REL_MOVED);
  cr_assert_not_null(p->b);
  cr_expect_str_eq(p->b->number, "（四）");
  cr_expect_not(p->text_changed);
  cr_expect_eq(al_count(al, CDX_REL_MOVED), 1);
  cr_expect_eq(al_count(al, CDX_REL_ADDED) + al_count(al, CDX_REL_REMOVED), 0);
  done(al, ix, dir);
}

Test(align, traditional_script_and_width_are_no_change) {
  /* B is A in Traditional characters with half-width punctuation. */
  const char *from[] = {"发", "创", "强", "术", "业", "经", "济", "进", "关",
                        "项", "级", "财", "务", "动", "（", "）", "，", "：",
                        "。", "产", "设", "备", "资", "质", "优", "费", "税"};
  const char *to[] = {"發", "創", "強", "術", "業", "經", "濟", "進", "關",
                      "項", "級", "財", "務", "動", "(",  ")",  ",",  ":",
                      ".",  "產", "設", "備", "資", "質", "優", "費", "稅"};
  edit ed;
  cdx_alignment *al = align_edit(&ed, from, to, sizeof from / sizeof *from);
  cr_expect_eq(al_count(al, CDX_REL_SAME), cdx_alignment_count(al), "%zu of %zu same",
               al_count(al, CDX_REL_SAME), cdx_alignment_count(al));
  for (size_t i = 0; i < cdx_alignment_count(al); i++)
    cr_expect_eq(cdx_alignment_get(al, i)->n_depts, 0);
  edit_done(&ed);
}

Test(align, responsible_units_changed) {
  const char *from[] = {"（责任单位：市科技局、市财政局）"};
  const char *to[] = {"（责任单位：市财政局、市科技局、市金融工作服务中心）"};
  edit ed;
  const cdx_align_pair *p = pair_of(align_edit(&ed, from, to, 1), "（二）", CDX_REL_CHANGED);
  bool lead = false, added = false;
  for (size_t i = 0; i < p->n_depts; i++) {
    if (p->depts[i].kind == CDX_DEPT_LEAD) lead = strcmp(p->depts[i].name, "市财政局") == 0;
    if (p->depts[i].kind == CDX_DEPT_ADDED)
      added = strcmp(p->depts[i].name, "市金融工作服务中心") == 0;
    cr_expect_neq(p->depts[i].kind, CDX_DEPT_REMOVED);
  }
  cr_expect(lead && added);
  /* The note is not content: the clause is still nearly identical. */
  cr_expect_gt(p->similarity, 0.95);
  edit_done(&ed);
}

Test(align, bad_names_and_same_document) {
  char *dir;
  cdx_index *ix;
  cdx_alignment *al = align_texts(BASE, BASE, &dir, &ix);
  cdx_alignment *bad = NULL;
  cdx_error err;
  cr_expect_eq(cdx_align_documents(ix, "a.txt", "a.txt", NULL, &bad, &err), CDX_INVALID);
  cr_expect(strstr(err.message, "same document") != NULL, "%s", err.message);
  cr_expect_eq(cdx_align_documents(ix, "a.txt", "nosuch.txt", NULL, &bad, &err), CDX_NOTFOUND);
  cr_expect(strstr(err.message, "nosuch.txt") != NULL, "%s", err.message);
  cr_expect_eq(cdx_align_documents(ix, "a.txt", "", NULL, &bad, &err), CDX_INVALID);
  /* "a" is a prefix of a.txt only; nothing is a prefix of both. */
  cr_expect_eq(cdx_align_documents(ix, "a", "b", NULL, &bad, &err), CDX_OK, "%s", err.message);
  cdx_alignment_free(bad);
  bad = NULL;
  cr_expect_eq(cdx_align_documents(ix, "", "b", NULL, &bad, &err), CDX_INVALID);
  cr_expect_null(bad);
  done(al, ix, dir);
}

Test(align, ambiguous_prefix) {
  const char *const names[3] = {"p1.txt", "p2.txt", "q.txt"};
  const char *const texts[3] = {BASE, BASE "\n\n", TITLE CH1 C1};
  char *dir = al_index(names, texts, 3);
  cdx_index *ix;
  cdx_error err;
  cr_assert_eq(cdx_index_open(dir, &ix, &err), CDX_OK);
  cdx_alignment *al = NULL;
  cr_expect_eq(cdx_align_documents(ix, "p", "q", NULL, &al, &err), CDX_INVALID);
  cr_expect(strstr(err.message, "names 2 documents") != NULL, "%s", err.message);
  cr_expect_null(al);
  cdx_index_close(ix);
  al_index_free(dir);
}

#include "align/align_internal.h"

/* A clause of 1.2 MB (a file that is one giant clause) is compared by its
 * first 256 KiB: diff and similar stay bounded and still pair it. */
Test(align, a_giant_unit_is_compared_by_its_head) {
  size_t reps = 20000;
  const char *body = "持续深化科技创新体制改革推动产业链供应链协同发展，"; /* 60 bytes */
  size_t bl = strlen(body);
  char *big = malloc(reps * bl + 512), *big2 = malloc(reps * bl + 512);
  cr_assert(big && big2);
  int n = sprintf(big, TITLE CH1 "（一）巨型条款测试。");
  for (size_t i = 0; i < reps; i++) memcpy(big + n + i * bl, body, bl);
  strcpy(big + n + reps * bl, "（责任单位：市科技局）\n");
  strcpy(big2, big);
  big2[n + reps * bl - 3] = '\0'; /* B lacks the last characters of the clause */
  strcat(big2, "。（责任单位：市科技局）\n");
  char *dir;
  cdx_index *ix;
  cdx_alignment *al = align_texts(big, big2, &dir, &ix);
  const cdx_align_pair *p = pair_of(al, "（一）", CDX_REL_CHANGED);
  cr_expect(p->text_changed);
  cr_expect_eq(p->n_edits, 0);
  cr_expect_gt(p->similarity, 0.9);
  cdx_similar_results *r = NULL;
  cdx_error err;
  cr_assert_eq(cdx_similar(ix, "a.txt#（一）", NULL, 0, NULL, &r, &err), CDX_OK, "%s", err.message);
  cr_assert_geq(cdx_similar_count(r), 1);
  cr_expect(strstr(cdx_similar_get(r, 0)->hit->doc, "b.txt") != NULL);
  cdx_similar_free(r);
  done(al, ix, dir);
  free(big);
  free(big2);
}

static int cmp_u64(const void *x, const void *y) {
  uint64_t a = *(const uint64_t *)x, b = *(const uint64_t *)y;
  return a < b ? -1 : a > b;
}

Test(align, shingle_sort_matches_qsort) {
  uint64_t state = 12345;
  for (size_t round = 0; round < 300; round++) {
    size_t n = round < 40 ? round : (size_t)(state % 5000);
    uint64_t *v = malloc((n + 1) * sizeof *v), *w = malloc((n + 1) * sizeof *w);
    cr_assert(v && w);
    unsigned mode = round % 4; /* random, few distinct, sorted, reversed */
    for (size_t i = 0; i < n; i++) {
      state ^= state << 13;
      state ^= state >> 7;
      state ^= state << 17;
      v[i] = mode == 0 ? state : mode == 1 ? state % 3 : mode == 2 ? i : n - i;
    }
    memcpy(w, v, n * sizeof *v);
    cdx_al_sort_u64(v, n);
    qsort(w, n, sizeof *w, cmp_u64);
    cr_assert_arr_eq(v, w, n * sizeof *v, "round %zu (n %zu, mode %u)", round, n, mode);
    free(v);
    free(w);
  }
}
