# The dependency rule (cmake/CdxModules.cmake) proven on three probe modules,
# built only by this test: the allowed include compiles, and a header of a
# module not in USES, or a header of indexer/ other than the one allowed,
# fails to compile with "No such file".
cdx_module(cdx_probe_allowed PROBE
  SOURCES ${CMAKE_CURRENT_LIST_DIR}/allowed.c
  USES cdx_common)
cdx_module(cdx_probe_forbidden_module PROBE
  SOURCES ${CMAKE_CURRENT_LIST_DIR}/forbidden_module.c
  USES cdx_common)
cdx_module(cdx_probe_forbidden_header PROBE
  SOURCES ${CMAKE_CURRENT_LIST_DIR}/forbidden_header.c
  USES cdx_common cdx_indexer:index_reader.h)
add_test(NAME dependency_rule
  COMMAND ${CMAKE_COMMAND} -DBIN=${PROJECT_BINARY_DIR}
          -P ${CMAKE_CURRENT_LIST_DIR}/check_rule.cmake)
# it runs the build tool in this build tree: not beside another test doing so
set_tests_properties(dependency_rule PROPERTIES RUN_SERIAL TRUE)
