# Policy families, citations, links and release reports: the text rules of
# families/ on constructed strings; links, families and reports of
# release/ on constructed documents and on the seeds (four batches).
cdx_test(test_families
  SOURCES ${CMAKE_CURRENT_LIST_DIR}/test_families.c
  MODULES cdx_families cdx_corpus cdx_common)
cdx_test(test_release
  SOURCES ${CMAKE_CURRENT_LIST_DIR}/test_release.c ${CMAKE_CURRENT_LIST_DIR}/test_release_seeds.c
  MODULES cdx_release cdx_align cdx_facts cdx_query cdx_indexer cdx_corpus cdx_tokenizer cdx_families
          cdx_common)
