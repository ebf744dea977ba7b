# The modules and the dependency rule of docs/ARCHITECTURE.md, enforced by the
# compiler: a module's include path holds only the public headers
# (include/clausedex*), its own folder and the folders of the modules it USES,
# so including any other module's header fails the build.
#
# cdx_module(NAME SOURCES ... [USES ...] [LINKS ...] [LIBS ...] [APART] [PROBE])
#   NAME     cdx_<folder>: the folder whose sources and private headers it owns
#   USES     modules whose headers it includes: cdx_<folder> for all of them,
#            cdx_<folder>:<file.h> for that one header only
#   LINKS    modules it calls only through the public API (include/clausedex/):
#            linked with it, their private headers not visible
#   LIBS     imported targets (PkgConfig::ICU, PkgConfig::ZLIB)
#   APART    built, but not part of libclausedex (the corpus generator)
#   PROBE    not part of the library or the build (the rule's own test)
# Adding a module is one cdx_module call in <folder>/sources.cmake and one
# include() of it in CMakeLists.txt; its dependents name it in USES or LINKS.
#
# Each folder gets a directory ${PROJECT_BINARY_DIR}/modinc/<target> of
# symbolic links to what it may include, and that directory (not the source
# root) is on its include path.

# cdx_module_includes(TARGET OWN USES...): the restricted include path.
function(cdx_module_includes target own)
  set(root ${PROJECT_BINARY_DIR}/modinc/${target})
  file(REMOVE_RECURSE ${root})
  file(MAKE_DIRECTORY ${root})
  foreach(dep IN LISTS own ARGN)
    string(REGEX REPLACE "^cdx_" "" dep ${dep})
    if(dep MATCHES "^([a-z0-9_]+):(.+)$")
      file(MAKE_DIRECTORY ${root}/${CMAKE_MATCH_1})
      file(CREATE_LINK ${PROJECT_SOURCE_DIR}/${CMAKE_MATCH_1}/${CMAKE_MATCH_2}
           ${root}/${CMAKE_MATCH_1}/${CMAKE_MATCH_2} SYMBOLIC)
    elseif(NOT EXISTS ${root}/${dep})
      if(NOT IS_DIRECTORY ${PROJECT_SOURCE_DIR}/${dep})
        message(FATAL_ERROR "${target}: no module folder ${dep}/")
      endif()
      file(CREATE_LINK ${PROJECT_SOURCE_DIR}/${dep} ${root}/${dep} SYMBOLIC)
    endif()
  endforeach()
  target_include_directories(${target} PRIVATE
    ${root} ${PROJECT_SOURCE_DIR}/include ${PROJECT_BINARY_DIR}/include)
endfunction()

function(cdx_module name)
  cmake_parse_arguments(M "PROBE;APART" "" "SOURCES;USES;LINKS;LIBS" ${ARGN})
  if(M_PROBE)
    add_library(${name} OBJECT EXCLUDE_FROM_ALL ${M_SOURCES})
  elseif(M_APART)
    add_library(${name} OBJECT ${M_SOURCES})
  else()
    add_library(${name} OBJECT ${M_SOURCES})
    set_property(GLOBAL APPEND PROPERTY CDX_MODULES ${name})
  endif()
  cdx_add_compile_options(${name})
  # only what the public headers mark CDX_API leaves libclausedex.so: the
  # modules' own cdx_* helpers stay inside (tests/package)
  set_target_properties(${name} PROPERTIES C_VISIBILITY_PRESET hidden)
  if(M_PROBE)
    cdx_module_includes(${name} "" ${M_USES}) # a probe owns no folder
  else()
    cdx_module_includes(${name} ${name} ${M_USES})
  endif()
  # what a consumer of this module must link besides it (cdx_link_modules)
  set(deps)
  foreach(dep IN LISTS M_USES M_LINKS)
    string(REGEX REPLACE ":.*$" "" dep ${dep})
    list(APPEND deps ${dep})
  endforeach()
  list(REMOVE_DUPLICATES deps)
  set_property(GLOBAL PROPERTY CDX_MODULE_DEPS_${name} ${deps})
  if(M_LIBS)
    # imported targets bring their include directories (ICU's, zlib's)
    target_link_libraries(${name} PUBLIC ${M_LIBS})
  endif()
endfunction()

# cdx_module_closure(OUT MODULES...): the modules and all they depend on.
function(cdx_module_closure out)
  set(todo ${ARGN})
  set(done)
  while(todo)
    list(POP_FRONT todo m)
    if(m IN_LIST done)
      continue()
    endif()
    list(APPEND done ${m})
    get_property(deps GLOBAL PROPERTY CDX_MODULE_DEPS_${m})
    list(APPEND todo ${deps})
  endwhile()
  set(${out} ${done} PARENT_SCOPE)
endfunction()

# cdx_link_modules(TARGET MODULES ...): object libraries do not pass their
# objects on, so the target links the named modules and everything below them.
function(cdx_link_modules target)
  cdx_module_closure(all ${ARGN})
  foreach(m IN LISTS all)
    target_link_libraries(${target} PRIVATE ${m})
  endforeach()
  target_link_libraries(${target} PRIVATE PkgConfig::ICU PkgConfig::ZLIB m)
endfunction()

# cdx_program(NAME SOURCES ... MODULES ... [INTERNAL]): a plain executable (a
# benchmark, a TSan or fuzz-regression program) with the project's warnings,
# the public headers (with INTERNAL also the modules' private ones, from the
# source root) and only the modules it uses.
function(cdx_program name)
  cmake_parse_arguments(P "INTERNAL" "" "SOURCES;MODULES" ${ARGN})
  add_executable(${name} ${P_SOURCES})
  cdx_add_compile_options(${name})
  if(P_INTERNAL)
    target_include_directories(${name} PRIVATE ${PROJECT_SOURCE_DIR})
  endif()
  target_include_directories(${name} PRIVATE ${PROJECT_SOURCE_DIR}/include
                             ${PROJECT_BINARY_DIR}/include)
  cdx_link_modules(${name} ${P_MODULES})
endfunction()
