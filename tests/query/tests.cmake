# Query engine: parser and operators on in-memory postings (fast), and the
# acceptance tests over a real index of the seeds (brute-force oracle).
set(CDX_QUERY_TEST_MODULES cdx_query cdx_gen)
cdx_test(test_query_parse
  SOURCES ${CMAKE_CURRENT_LIST_DIR}/test_parse.c ${CMAKE_CURRENT_LIST_DIR}/test_options.c
  MODULES ${CDX_QUERY_TEST_MODULES})
cdx_test(test_query_ops
  SOURCES ${CMAKE_CURRENT_LIST_DIR}/test_ops.c
  MODULES ${CDX_QUERY_TEST_MODULES})
find_package(Threads REQUIRED)
cdx_test(test_query_search
  SOURCES ${CMAKE_CURRENT_LIST_DIR}/test_search.c ${CMAKE_CURRENT_LIST_DIR}/oracle.c
          ${CMAKE_CURRENT_LIST_DIR}/test_search_cli.c ${CMAKE_CURRENT_LIST_DIR}/test_generated.c
          ${CMAKE_CURRENT_LIST_DIR}/test_facts_search.c
          ${CMAKE_CURRENT_LIST_DIR}/test_bounded.c ${PROJECT_SOURCE_DIR}/tests/support/gen_index.c
  MODULES ${CDX_QUERY_TEST_MODULES})
target_link_libraries(test_query_search PRIVATE Threads::Threads)
# Facet counts against a count over every hit, by each counting path.
cdx_test(test_query_facets
  SOURCES ${CMAKE_CURRENT_LIST_DIR}/test_facets.c ${CMAKE_CURRENT_LIST_DIR}/oracle.c
          ${PROJECT_SOURCE_DIR}/tests/support/gen_index.c
  MODULES ${CDX_QUERY_TEST_MODULES})
# Concurrent searches on one handle while another process commits: a plain
# program (Criterion does not start under ThreadSanitizer), run in every
# build and by scripts/check in a -DCDX_TSAN=ON build.
cdx_program(tsan_search INTERNAL SOURCES ${CMAKE_CURRENT_LIST_DIR}/tsan_search.c
  ${PROJECT_SOURCE_DIR}/tests/support/tsan_corpus.c
  MODULES ${CDX_QUERY_TEST_MODULES})
target_link_libraries(tsan_search PRIVATE Threads::Threads)
add_test(NAME tsan_search COMMAND tsan_search)
# Hits carry their unit's byte range in the source file (issue 16).
add_test(NAME source_offsets
  COMMAND ${CDX_PYTHON3} ${CMAKE_CURRENT_LIST_DIR}/source_offsets.py $<TARGET_FILE:clausedex_cli>)
set_tests_properties(source_offsets PROPERTIES SKIP_RETURN_CODE 77)
