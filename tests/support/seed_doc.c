/* seed_doc.c - a seed file read as a document (seed_doc.h). */
#include "support/seed_doc.h"
#include <criterion/criterion.h>
#include "support/test_support.h"

cdx_document *cdx_test_read_seed_doc(int i) {
  const char *path = cdx_test_seed_path(cdx_test_seed_names[i]);
  cdx_document *doc = NULL;
  cdx_error err;
  int rc = cdx_document_read_file(path, NULL, &doc, &err);
  cr_assert_eq(rc, CDX_OK, "%s: %s", path, err.message);
  cr_assert_not_null(doc);
  return doc;
}
