/*
 * Lead departments and shared duties as the seed documents state them:
 * 003's chapter led by two departments and its rule 列第一位的为牵头单位，下同;
 * 002 （一）'s note that every 县(市、区)政府 and 温州海经区管委会 shares the
 * duty of the following clauses.
 */
#include <criterion/criterion.h>
#include <string.h>
#include "clausedex.h"
#include "tests/support/test_support.h"

static cdx_document *seed(int i) {
  const char *path = cdx_test_seed_path(cdx_test_seed_names[i]);
  if (!path) return NULL;
  cdx_document *doc = NULL;
  cdx_error err;
  cr_assert_eq(cdx_document_read_file(path, NULL, &doc, &err), CDX_OK, "%s", err.message);
  return doc;
}

static const cdx_unit_view *unit_numbered(const cdx_document *doc, cdx_unit_kind kind, int value) {
  for (size_t i = 0; i < cdx_document_unit_count(doc); i++) {
    const cdx_unit_view *u = cdx_document_get_unit(doc, i);
    if (u->kind == kind && u->number_value == value) return u;
  }
  cr_assert_fail("no unit %d", value);
  return NULL;
}

Test(leads, two_lead_departments_are_two) {
  cdx_document *doc = seed(3);
  if (!doc) return;
  /* 七、乡村振兴和城乡一体化发展政策（由市农业农村局、市发改局牵头实施） */
  const cdx_unit_view *ch = unit_numbered(doc, CDX_UNIT_CHAPTER, 7);
  cr_assert_eq(ch->n_lead_departments, 2);
  cr_expect_str_eq(ch->lead_departments[0], "市农业农村局");
  cr_expect_str_eq(ch->lead_departments[1], "市发改局");
  cr_expect_str_eq(ch->lead_department, "市农业农村局"); /* the old member: the first */
  cr_expect_str_eq(ch->heading, "乡村振兴和城乡一体化发展政策");
  /* a chapter with one gives one */
  ch = unit_numbered(doc, CDX_UNIT_CHAPTER, 1);
  cr_assert_eq(ch->n_lead_departments, 1);
  cr_expect_str_eq(ch->lead_departments[0], "市发改局");
  cdx_document_free(doc);
}

Test(leads, first_listed_unit_leads_where_the_document_says_so) {
  cdx_document *doc = seed(3);
  if (!doc) return;
  /* clause 1 says 列第一位的为牵头单位，下同: from there on a clause's first
   * responsible unit leads it, not its chapter's department */
  size_t differs = 0, clauses = 0;
  for (size_t i = 0; i < cdx_document_unit_count(doc); i++) {
    const cdx_unit_view *u = cdx_document_get_unit(doc, i);
    if (u->kind != CDX_UNIT_CLAUSE || !u->n_responsible) continue;
    clauses++;
    cr_assert_eq(u->n_lead_departments, 1, "clause %s", u->number);
    cr_expect_str_eq(u->lead_departments[0], u->responsible[0], "clause %s", u->number);
    cr_expect_str_eq(u->lead_department, u->responsible[0], "clause %s", u->number);
    for (size_t k = 0; k < u->n_responsible; k++)
      cr_expect(!strstr(u->responsible[k], "牵头"), "note as a unit: %s", u->responsible[k]);
    differs += strcmp(u->responsible[0], "市发改局") != 0;
  }
  cr_expect_geq(clauses, 60);
  cr_expect_gt(differs, 0);
  const cdx_unit_view *c2 = unit_numbered(doc, CDX_UNIT_CLAUSE, 2);
  cr_expect_str_eq(c2->lead_department, "市财政局"); /* chapter 一 is led by 市发改局 */
  cdx_document_free(doc);

  /* documents without the rule: clauses carry their chapter's department */
  doc = seed(1);
  if (!doc) return;
  const cdx_unit_view *u = unit_numbered(doc, CDX_UNIT_CLAUSE, 1);
  cr_expect_str_eq(u->lead_department, "市科技局");
  cdx_document_free(doc);
}

Test(leads, shared_duty_note_is_data) {
  cdx_document *doc = seed(2);
  if (!doc) return;
  /* （一）…（責任單位：市科技局、市經信局，以下工作均需各縣〈市、區〉政府和
   * 溫州海經區管委會落實，不再列出） */
  for (int v = 1; v <= 45; v += 44) {
    const cdx_unit_view *u = unit_numbered(doc, CDX_UNIT_CLAUSE, v);
    cr_assert_eq(u->n_shared_responsible, 2, "clause %d", v);
    cr_expect_str_eq(u->shared_responsible[0], "各縣〈市、區〉政府");
    cr_expect_str_eq(u->shared_responsible[1], "溫州海經區管委會");
  }
  const cdx_unit_view *c1 = unit_numbered(doc, CDX_UNIT_CLAUSE, 1);
  cr_assert_eq(c1->n_responsible, 2);
  cr_expect_str_eq(c1->responsible[1], "市經信局");
  cdx_document_free(doc);
  /* a document without such a note has none */
  doc = seed(0);
  if (!doc) return;
  cr_expect_eq(unit_numbered(doc, CDX_UNIT_CLAUSE, 1)->n_shared_responsible, 0);
  cdx_document_free(doc);
}
