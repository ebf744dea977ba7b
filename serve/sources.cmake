# The HTTP server of `clausedex serve` (include/clausedex/serve.h,
# docs/HTTP.md) on libmicrohttpd: not part of libclausedex, so embedders do
# not link an HTTP library they do not use. The command links it; it is
# installed as libclausedex_serve.a. It calls the library only through the
# public API and includes common/ for its buffers, JSON strings and UTF-8.
pkg_check_modules(MHD REQUIRED IMPORTED_TARGET libmicrohttpd)
find_package(Threads REQUIRED)
set(CDX_SERVE_PAGE ${PROJECT_SOURCE_DIR}/serve/page/index.html ${PROJECT_SOURCE_DIR}/serve/page/app.js
    ${PROJECT_SOURCE_DIR}/serve/page/app.css)
add_custom_command(
  OUTPUT ${PROJECT_BINARY_DIR}/serve/serve_assets.c
  COMMAND ${CMAKE_COMMAND} -DOUT=${PROJECT_BINARY_DIR}/serve/serve_assets.c
          -DDIR=${PROJECT_SOURCE_DIR}/serve/page -P ${PROJECT_SOURCE_DIR}/serve/embed.cmake
  DEPENDS ${CDX_SERVE_PAGE} ${PROJECT_SOURCE_DIR}/serve/embed.cmake
  COMMENT "Embedding the page of clausedex serve")
file(MAKE_DIRECTORY ${PROJECT_BINARY_DIR}/serve)
# (a target of its own, so that targets in other folders, the fuzz target,
# can wait for the generated file)
add_custom_target(cdx_serve_assets DEPENDS ${PROJECT_BINARY_DIR}/serve/serve_assets.c)
cdx_module(cdx_serve APART
  SOURCES
    serve/request.c
    serve/params.c
    serve/respond.c
    serve/snapshot.c
    serve/cache.c
    serve/routes.c
    serve/api_search.c
    serve/api_show.c
    serve/api_align.c
    serve/api_index.c
    serve/api_families.c
    serve/http.c
    ${PROJECT_BINARY_DIR}/serve/serve_assets.c
  USES cdx_common
  LINKS cdx_align cdx_query cdx_indexer cdx_release
  LIBS PkgConfig::MHD Threads::Threads)
add_dependencies(cdx_serve cdx_serve_assets)
add_library(clausedex_serve STATIC $<TARGET_OBJECTS:cdx_serve>)
target_include_directories(clausedex_serve PUBLIC
  $<BUILD_INTERFACE:${PROJECT_SOURCE_DIR}/include>
  $<BUILD_INTERFACE:${PROJECT_BINARY_DIR}/include>
  $<INSTALL_INTERFACE:include>)
target_link_libraries(clausedex_serve PUBLIC PkgConfig::MHD Threads::Threads)
