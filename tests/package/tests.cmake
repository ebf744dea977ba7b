# The installed library as its users see it: only the public API exported,
# and docs/example.c built against the installed tree (pkg-config; the CMake
# package, shared and static).
# Not under the sanitizers: a plain program cannot load an instrumented
# libclausedex.so, and the release run covers the packaging.
if(CDX_SANITIZE OR CDX_TSAN)
  return()
endif()
add_test(NAME package_exports
  COMMAND bash ${CMAKE_CURRENT_LIST_DIR}/check_exports.sh $<TARGET_FILE:clausedex_shared>
          ${PROJECT_SOURCE_DIR}/include)
add_test(NAME package_install
  COMMAND bash ${CMAKE_CURRENT_LIST_DIR}/check_install.sh ${PROJECT_BINARY_DIR} ${PROJECT_SOURCE_DIR}
          ${CMAKE_C_COMPILER})
set_tests_properties(package_install PROPERTIES TIMEOUT 300)
