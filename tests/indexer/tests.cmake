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
cdx_test(test_index_cli CLI
  SOURCES ${CMAKE_CURRENT_LIST_DIR}/test_index_cli.c
  MODULES ${CDX_IDX_MODULES})
# The fuzz target's corpus runs under ctest without libFuzzer.
cdx_program(fuzz_segment_regress INTERNAL
  SOURCES ${PROJECT_SOURCE_DIR}/fuzz/fuzz_segment.c ${PROJECT_SOURCE_DIR}/fuzz/regress_main.c
  MODULES ${CDX_IDX_MODULES})
add_test(NAME fuzz_segment_regress
  COMMAND fuzz_segment_regress ${PROJECT_SOURCE_DIR}/fuzz/corpus/segment)
# The threaded write pipeline: same bytes for 1, 2 and 4 threads, bad input
# among good. A plain program (Criterion does not start under TSan), run in
# every build and by scripts/check in a -DCDX_TSAN=ON build.
cdx_program(tsan_index INTERNAL SOURCES ${CMAKE_CURRENT_LIST_DIR}/tsan_index.c
  MODULES cdx_release cdx_gen ${CDX_IDX_MODULES})
target_compile_definitions(tsan_index PRIVATE
  CDX_SEEDS_DEFAULT="${PROJECT_SOURCE_DIR}/../shared/corpus/seeds")
target_link_libraries(tsan_index PRIVATE Threads::Threads)
add_test(NAME tsan_index COMMAND tsan_index)
