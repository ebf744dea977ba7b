cdx_test(test_common
  SOURCES ${CMAKE_CURRENT_LIST_DIR}/test_utf8.c
  MODULES cdx_common)
