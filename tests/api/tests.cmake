# The embedding example (docs/example.c) is built against the installed-style
# library target and run by the test on an index of the seeds.
add_executable(cdx_example ${PROJECT_SOURCE_DIR}/docs/example.c)
cdx_add_compile_options(cdx_example)
target_link_libraries(cdx_example PRIVATE clausedex_static)
cdx_test(test_api
  SOURCES ${CMAKE_CURRENT_LIST_DIR}/test_api.c ${PROJECT_SOURCE_DIR}/tests/query/oracle.c
  MODULES cdx_query cdx_indexer cdx_corpus cdx_lexicon cdx_tokenizer cdx_common)
target_compile_definitions(test_api PRIVATE CDX_EXAMPLE="$<TARGET_FILE:cdx_example>")
add_dependencies(test_api cdx_example)
