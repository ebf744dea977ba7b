# Clause alignment: constructed documents (renumbering, insertions, merges,
# splits, moves, Traditional/width noise) and the seeds, through the public
# API and the CLI.
cdx_test(test_align
  SOURCES ${CMAKE_CURRENT_LIST_DIR}/test_align.c ${CMAKE_CURRENT_LIST_DIR}/test_align_seeds.c
          ${CMAKE_CURRENT_LIST_DIR}/align_helpers.c ${PROJECT_SOURCE_DIR}/tests/query/oracle.c
  MODULES cdx_align cdx_facts cdx_query cdx_indexer cdx_corpus cdx_tokenizer cdx_common)
