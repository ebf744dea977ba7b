# Query engine: parser and operators on in-memory postings (fast), and the
# acceptance tests over a real index of the seeds (brute-force oracle).
set(CDX_QUERY_TEST_MODULES cdx_query cdx_gen)
cdx_test(test_query_parse
  SOURCES ${CMAKE_CURRENT_LIST_DIR}/test_parse.c
  MODULES ${CDX_QUERY_TEST_MODULES})
cdx_test(test_query_ops
  SOURCES ${CMAKE_CURRENT_LIST_DIR}/test_ops.c
  MODULES ${CDX_QUERY_TEST_MODULES})
find_package(Threads REQUIRED)
cdx_test(test_query_search
  SOURCES ${CMAKE_CURRENT_LIST_DIR}/test_search.c ${CMAKE_CURRENT_LIST_DIR}/oracle.c
          ${CMAKE_CURRENT_LIST_DIR}/test_search_cli.c ${CMAKE_CURRENT_LIST_DIR}/test_generated.c
  MODULES ${CDX_QUERY_TEST_MODULES})
target_link_libraries(test_query_search PRIVATE Threads::Threads)
