# The CLI tests run the built command from $CDX_CLI: build clausedex_cli too.
cdx_test(test_tokenizer
  SOURCES ${CMAKE_CURRENT_LIST_DIR}/test_analyzer.c ${CMAKE_CURRENT_LIST_DIR}/test_seeds.c
          ${CMAKE_CURRENT_LIST_DIR}/test_analyze_cli.c ${CMAKE_CURRENT_LIST_DIR}/test_reference.c
          ${CMAKE_CURRENT_LIST_DIR}/test_fold_tables.c
          ${CMAKE_CURRENT_LIST_DIR}/tok_helpers.c
  MODULES cdx_tokenizer cdx_common)
