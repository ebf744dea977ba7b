# Hostile inputs (issue 19): trees and files that once hung, crashed or lost
# data, each run through the clausedex command with its expected exit status
# and message. Every case is bounded by timeout(1), so a regression fails
# instead of hanging the suite.
cdx_test(test_hostile CLI
  SOURCES ${CMAKE_CURRENT_LIST_DIR}/test_hostile.c
  MODULES cdx_common)
cdx_test(test_index_files
  SOURCES ${CMAKE_CURRENT_LIST_DIR}/test_index_files.c
  MODULES cdx_indexer cdx_corpus cdx_tokenizer cdx_common)

# The fuzz targets' committed corpora (fuzz/corpus/NAME) run under ctest
# without libFuzzer, in the release and the ASan build (the segment
# target's is in tests/indexer).
function(cdx_fuzz_regress name)
  cmake_parse_arguments(F "" "" "MODULES" ${ARGN})
  cdx_program(${name}_regress INTERNAL
    SOURCES ${PROJECT_SOURCE_DIR}/fuzz/${name}.c ${PROJECT_SOURCE_DIR}/fuzz/regress_main.c
    MODULES ${F_MODULES})
  string(REPLACE "fuzz_" "" corpus ${name})
  add_test(NAME ${name}_regress
    COMMAND ${name}_regress ${PROJECT_SOURCE_DIR}/fuzz/corpus/${corpus})
endfunction()
cdx_fuzz_regress(fuzz_manifest MODULES cdx_indexer cdx_corpus cdx_tokenizer cdx_common)
cdx_fuzz_regress(fuzz_query MODULES cdx_query cdx_indexer cdx_corpus cdx_tokenizer cdx_common)
cdx_fuzz_regress(fuzz_document MODULES cdx_corpus cdx_common)
cdx_fuzz_regress(fuzz_jsonl MODULES cdx_corpus cdx_common)
