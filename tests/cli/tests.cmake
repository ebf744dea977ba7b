# cli/: the command's shared behaviour (help, bad arguments, missing index),
# run through $CDX_CLI.
cdx_test(test_cli
  SOURCES ${CMAKE_CURRENT_LIST_DIR}/test_cli.c
  MODULES cdx_common)
add_dependencies(test_cli clausedex_cli)
# The issue-17 anchors of the command line, one parameterized case each.
cdx_test(test_cli_options
  SOURCES ${CMAKE_CURRENT_LIST_DIR}/test_options.c
  MODULES cdx_common)
add_dependencies(test_cli_options clausedex_cli)
