# cdx_module(NAME SOURCES ... DEPENDS ...): one pipeline stage as an object library.
# DEPENDS lists other cdx_ modules or imported targets whose headers it uses.
function(cdx_module name)
  cmake_parse_arguments(M "" "" "SOURCES;DEPENDS" ${ARGN})
  add_library(${name} OBJECT ${M_SOURCES})
  cdx_add_compile_options(${name})
  target_include_directories(${name} PUBLIC
    ${PROJECT_SOURCE_DIR}/include ${PROJECT_BINARY_DIR}/include ${PROJECT_SOURCE_DIR})
  if(M_DEPENDS)
    target_link_libraries(${name} PUBLIC ${M_DEPENDS})
  endif()
endfunction()

# cdx_link_modules(TARGET MODULES ...): object libraries do not pass their
# objects on transitively, so a consumer names every module it needs.
function(cdx_link_modules target)
  foreach(m IN LISTS ARGN)
    target_link_libraries(${target} PRIVATE ${m})
  endforeach()
  target_link_libraries(${target} PRIVATE PkgConfig::ICU PkgConfig::ZLIB m)
endfunction()
