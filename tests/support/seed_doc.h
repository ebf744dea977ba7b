/* seed_doc.h - a seed file read as a document, for the tests that link the
 * document reader (cdx_corpus). */
#ifndef CDX_TEST_SEED_DOC_H
#define CDX_TEST_SEED_DOC_H

#include "clausedex/document.h"

/* Seed i of cdx_test_seed_names through cdx_document_read_file; a failure
 * to read it fails the test. Caller frees with cdx_document_free. */
cdx_document *cdx_test_read_seed_doc(int i);

#endif
