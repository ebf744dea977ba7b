# indexer/: segments, writer, commits, reader, check. The CLI tests run
# $CDX_CLI, so clausedex_cli is built with them.
include(${CMAKE_CURRENT_LIST_DIR}/codec.cmake)
set(CDX_IDX_MODULES cdx_indexer cdx_corpus cdx_lexicon cdx_tokenizer cdx_common)
cdx_test(test_index
  SOURCES ${CMAKE_CURRENT_LIST_DIR}/test_index.c ${CMAKE_CURRENT_LIST_DIR}/ix_helpers.c
  MODULES ${CDX_IDX_MODULES})
cdx_test(test_columns
  SOURCES ${CMAKE_CURRENT_LIST_DIR}/test_columns.c
  MODULES ${CDX_IDX_MODULES})
cdx_test(test_versions
  SOURCES ${CMAKE_CURRENT_LIST_DIR}/test_versions.c
  MODULES cdx_query ${CDX_IDX_MODULES})
cdx_test(test_index_corrupt
  SOURCES ${CMAKE_CURRENT_LIST_DIR}/test_corrupt.c ${CMAKE_CURRENT_LIST_DIR}/ix_helpers.c
  MODULES cdx_query ${CDX_IDX_MODULES})
cdx_test(test_index_crash
  SOURCES ${CMAKE_CURRENT_LIST_DIR}/test_crash.c ${CMAKE_CURRENT_LIST_DIR}/ix_helpers.c
  MODULES ${CDX_IDX_MODULES})
cdx_test(test_index_cli
  SOURCES ${CMAKE_CURRENT_LIST_DIR}/test_index_cli.c
  MODULES ${CDX_IDX_MODULES})
add_dependencies(test_index_cli clausedex_cli)
# The fuzz target's corpus runs under ctest without libFuzzer.
add_executable(fuzz_segment_regress ${PROJECT_SOURCE_DIR}/fuzz/fuzz_segment.c
  ${PROJECT_SOURCE_DIR}/fuzz/regress_main.c)
cdx_add_compile_options(fuzz_segment_regress)
target_include_directories(fuzz_segment_regress PRIVATE ${PROJECT_SOURCE_DIR}
  ${PROJECT_SOURCE_DIR}/include ${PROJECT_BINARY_DIR}/include)
cdx_link_modules(fuzz_segment_regress ${CDX_IDX_MODULES})
add_test(NAME fuzz_segment_regress
  COMMAND fuzz_segment_regress ${PROJECT_SOURCE_DIR}/fuzz/corpus/segment)
# The threaded write pipeline: same bytes for 1, 2 and 4 threads, bad input
# among good. A plain program (Criterion does not start under TSan), run in
# every build and by scripts/check in a -DCDX_TSAN=ON build.
add_executable(tsan_index ${CMAKE_CURRENT_LIST_DIR}/tsan_index.c)
cdx_add_compile_options(tsan_index)
target_include_directories(tsan_index PRIVATE ${PROJECT_SOURCE_DIR} ${PROJECT_SOURCE_DIR}/include
  ${PROJECT_BINARY_DIR}/include)
target_compile_definitions(tsan_index PRIVATE
  CDX_SEEDS_DEFAULT="${PROJECT_SOURCE_DIR}/../shared/corpus/seeds")
cdx_link_modules(tsan_index cdx_release cdx_gen ${CDX_IDX_MODULES})
target_link_libraries(tsan_index PRIVATE Threads::Threads)
add_test(NAME tsan_index COMMAND tsan_index)
