# Hostile inputs (issue 19): trees and files that once hung, crashed or lost
# data, each run through the clausedex command with its expected exit status
# and message. Every case is bounded by timeout(1), so a regression fails
# instead of hanging the suite.
cdx_test(test_hostile
  SOURCES ${CMAKE_CURRENT_LIST_DIR}/test_hostile.c
  MODULES cdx_common)
add_dependencies(test_hostile clausedex_cli)
cdx_test(test_index_files
  SOURCES ${CMAKE_CURRENT_LIST_DIR}/test_index_files.c
  MODULES cdx_indexer cdx_corpus cdx_tokenizer cdx_common)
