# serve/: the HTTP server through a running `clausedex serve` (Python, the
# standard library only): endpoints, the bad-input sweep, the token, reopening
# after a commit, 503 without an index. The browser test drives the page in
# headless Chromium (selenium); without a browser it is skipped visibly,
# and under CI=true that is a failure.
find_package(Python3 REQUIRED COMPONENTS Interpreter)
add_test(NAME serve_http
  COMMAND ${Python3_EXECUTABLE} ${CMAKE_CURRENT_LIST_DIR}/test_serve_http.py
          $<TARGET_FILE:clausedex_cli> ${CMAKE_CURRENT_BINARY_DIR}/serve_http)
set_tests_properties(serve_http PROPERTIES TIMEOUT 300 SKIP_RETURN_CODE 77)
add_test(NAME serve_browser
  COMMAND ${Python3_EXECUTABLE} ${CMAKE_CURRENT_LIST_DIR}/test_serve_browser.py
          $<TARGET_FILE:clausedex_cli> ${CMAKE_CURRENT_BINARY_DIR}/serve_browser)
set_tests_properties(serve_browser PROPERTIES TIMEOUT 300 SKIP_RETURN_CODE 77)
# The request fuzz target's committed corpus, without libFuzzer
# (cdx_fuzz_regress: tests/hostile/tests.cmake).
cdx_fuzz_regress(fuzz_serve_request MODULES cdx_serve)
# The request layer without sockets: parser, parameter tables, query
# composition, answer cache.
cdx_test(test_serve_request
  SOURCES ${CMAKE_CURRENT_LIST_DIR}/test_request.c
  MODULES cdx_serve)
# The shared cache of inflated stored blocks (serve's --block-cache): the
# same hits as without it, from six threads, with evictions. A plain program
# (Criterion does not start under ThreadSanitizer), run in every build and
# by scripts/check in a -DCDX_TSAN=ON build.
find_package(Threads REQUIRED)
add_executable(tsan_store_cache ${CMAKE_CURRENT_LIST_DIR}/tsan_store_cache.c
  ${PROJECT_SOURCE_DIR}/tests/support/tsan_corpus.c)
cdx_add_compile_options(tsan_store_cache)
target_include_directories(tsan_store_cache PRIVATE ${PROJECT_SOURCE_DIR}
  ${PROJECT_SOURCE_DIR}/include ${PROJECT_BINARY_DIR}/include)
cdx_link_modules(tsan_store_cache cdx_query cdx_gen)
target_link_libraries(tsan_store_cache PRIVATE Threads::Threads)
add_test(NAME tsan_store_cache COMMAND tsan_store_cache)
