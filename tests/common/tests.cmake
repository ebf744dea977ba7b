cdx_test(test_common
  SOURCES ${CMAKE_CURRENT_LIST_DIR}/test_utf8.c ${CMAKE_CURRENT_LIST_DIR}/test_utf16.c ${CMAKE_CURRENT_LIST_DIR}/test_hash64.c ${CMAKE_CURRENT_LIST_DIR}/test_digits.c ${CMAKE_CURRENT_LIST_DIR}/test_realpath_cache.c
          ${CMAKE_CURRENT_LIST_DIR}/test_json_out.c
  MODULES cdx_common)
