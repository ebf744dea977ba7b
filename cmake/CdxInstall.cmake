# What `cmake --install` writes: the command, the libraries, the public
# headers, clausedex.pc for pkg-config and a CMake package, so that
#   find_package(clausedex) + target_link_libraries(app clausedex::clausedex)
#   cc app.c $(pkg-config --cflags --libs clausedex)
# both work against the installed tree (tests/package builds docs/example.c
# each way). Paths are relative to the prefix: the tree may be moved.
set_target_properties(clausedex_shared PROPERTIES EXPORT_NAME clausedex_shared)
set_target_properties(clausedex_static PROPERTIES EXPORT_NAME clausedex_static)
install(TARGETS clausedex_static clausedex_shared EXPORT clausedexTargets
        ARCHIVE DESTINATION lib LIBRARY DESTINATION lib RUNTIME DESTINATION bin
        INCLUDES DESTINATION include)
install(TARGETS clausedex_gen clausedex_serve clausedex_cli
        ARCHIVE DESTINATION lib LIBRARY DESTINATION lib RUNTIME DESTINATION bin)
install(FILES include/clausedex.h DESTINATION include)
install(DIRECTORY include/clausedex DESTINATION include FILES_MATCHING PATTERN "*.h")
install(FILES ${PROJECT_BINARY_DIR}/include/clausedex/cdx_version.h DESTINATION include/clausedex)

set(CDX_CMAKE_DIR lib/cmake/clausedex)
install(EXPORT clausedexTargets NAMESPACE clausedex:: DESTINATION ${CDX_CMAKE_DIR})
include(CMakePackageConfigHelpers)
configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/package/clausedexConfig.cmake.in
  ${PROJECT_BINARY_DIR}/package/clausedexConfig.cmake INSTALL_DESTINATION ${CDX_CMAKE_DIR})
write_basic_package_version_file(${PROJECT_BINARY_DIR}/package/clausedexConfigVersion.cmake
  VERSION ${PROJECT_VERSION} COMPATIBILITY SameMinorVersion)
install(FILES ${PROJECT_BINARY_DIR}/package/clausedexConfig.cmake
              ${PROJECT_BINARY_DIR}/package/clausedexConfigVersion.cmake
        DESTINATION ${CDX_CMAKE_DIR})

configure_file(${PROJECT_SOURCE_DIR}/cmake/package/clausedex.pc.in
               ${PROJECT_BINARY_DIR}/package/clausedex.pc @ONLY)
install(FILES ${PROJECT_BINARY_DIR}/package/clausedex.pc DESTINATION lib/pkgconfig)
