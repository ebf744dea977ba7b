# cli/: the command's shared behaviour (help, bad arguments, missing index),
# run through $CDX_CLI.
cdx_test(test_cli CLI
  SOURCES ${CMAKE_CURRENT_LIST_DIR}/test_cli.c
  MODULES cdx_common)
# The issue-17 anchors of the command line, one parameterized case each.
cdx_test(test_cli_options CLI
  SOURCES ${CMAKE_CURRENT_LIST_DIR}/test_options.c
  MODULES cdx_common)
# Every command's --json against docs/clausedex.schema.json.
add_test(NAME json_schema
  COMMAND ${CDX_PYTHON3} ${CMAKE_CURRENT_LIST_DIR}/json_schema.py $<TARGET_FILE:clausedex_cli> ${PROJECT_SOURCE_DIR})
set_tests_properties(json_schema PROPERTIES SKIP_RETURN_CODE 77)
# The generated man page and shell completion against the command.
add_test(NAME cli_completion
  COMMAND bash ${CMAKE_CURRENT_LIST_DIR}/completion.sh $<TARGET_FILE:clausedex_cli> ${PROJECT_BINARY_DIR}/man)
# clausedex export: bulk pairs, mapping, round trip of every field, CSV.
add_test(NAME cli_export
  COMMAND ${CDX_PYTHON3} ${CMAKE_CURRENT_LIST_DIR}/export_check.py $<TARGET_FILE:clausedex_cli> ${PROJECT_SOURCE_DIR})
set_tests_properties(cli_export PROPERTIES SKIP_RETURN_CODE 77)
