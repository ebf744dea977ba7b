/* Policy text under the closing signature (issuer and date) is still in a
 * unit; the signature itself is not. */
#include <criterion/criterion.h>
#include <string.h>
#include "clausedex.h"

static cdx_document *parse(const char *text) {
  cdx_document *doc = NULL;
  cdx_error err;
  cr_assert_eq(cdx_document_read_buffer("sig.txt", text, strlen(text), NULL, &doc, &err), CDX_OK,
               "%s", err.message);
  return doc;
}

Test(signature, text_after_the_signature_is_a_unit) {
  cdx_document *doc = parse("乐清市推动经济高质量发展若干政策\n"
                            "为推动经济高质量发展，制定以下政策。\n"
                            "一、强化科技创新（由市科技局牵头）\n"
                            "（一）加强创新载体建设。支持建设科创平台。（责任单位：市科技局）\n"
                            "乐清市人民政府\n"
                            "2025年3月6日\n"
                            "本政策自发布之日起施行，有效期至2025年12月31日。\n");
  const cdx_document_meta *m = cdx_document_get_meta(doc);
  cr_expect_eq(m->date, 20250306);
  cr_expect_str_eq(m->issuer, "乐清市人民政府");
  size_t len, n = cdx_document_unit_count(doc);
  const char *text = cdx_document_get_text(doc, &len);
  cr_assert_geq(n, 4);
  const cdx_unit_view *last = cdx_document_get_unit(doc, n - 1);
  cr_expect_eq(last->kind, CDX_UNIT_CLOSING);
  cr_expect_eq(last->ordinal, (int)n - 1);
  cr_expect(
      strncmp(text + last->start, "本政策自发布之日起施行", strlen("本政策自发布之日起施行")) == 0,
      "%.*s", (int)(last->end - last->start), text + last->start);
  /* the signature lines are in no unit */
  for (size_t i = 0; i < n; i++) {
    const cdx_unit_view *u = cdx_document_get_unit(doc, i);
    const char *sig = strstr(text, "乐清市人民政府\n2025年3月6日");
    cr_assert_not_null(sig);
    size_t at = (size_t)(sig - text);
    cr_expect(u->end <= at || u->start >= at + strlen("乐清市人民政府\n2025年3月6日"),
              "unit %zu covers the signature", i);
  }
  cdx_document_free(doc);

  /* without text after it, the document ends with its last clause */
  doc = parse("乐清市推动经济高质量发展若干政策\n"
              "一、强化科技创新（由市科技局牵头）\n"
              "（一）加强创新载体建设。支持建设科创平台。（责任单位：市科技局）\n"
              "乐清市人民政府\n"
              "2025年3月6日\n");
  n = cdx_document_unit_count(doc);
  cr_expect_eq(cdx_document_get_unit(doc, n - 1)->kind, CDX_UNIT_CLAUSE);
  cdx_document_free(doc);
}
