add_executable(clausedex_cli
  cli/main.c
  cli/cmd_parse.c
  cli/size_arg.c
  cli/cmd_analyze.c
  cli/cmd_generate.c
  cli/cmd_search.c
  cli/cmd_show.c
  cli/cmd_index.c
  cli/cmd_delete.c
  cli/cmd_optimize.c
  cli/cmd_stats.c
  cli/cmd_check.c
  cli/cmd_docs.c
  cli/cmd_depts.c
  cli/index_args.c
  cli/cmd_diff.c
  cli/cmd_similar.c
  cli/cmd_coverage.c
  cli/cmd_export.c
  cli/cmd_serve.c
  cli/color.c
  cli/opts.c
  cli/batch_report.c
  cli/cmd_families.c
  cli/cmd_log.c
  cli/relations.c
  cli/json_out.c
  cli/progress.c)
set_target_properties(clausedex_cli PROPERTIES OUTPUT_NAME clausedex
  RUNTIME_OUTPUT_DIRECTORY ${PROJECT_BINARY_DIR})
cdx_add_compile_options(clausedex_cli)
# the command sees its own folder and the public headers only
cdx_module_includes(clausedex_cli cli)
target_link_options(clausedex_cli PRIVATE ${CDX_LTO_LINK})

# The man page and the bash/zsh completion, made from the built command's
# --help and option tables (tools/gen_cli_docs.py), so they follow it.
find_program(CDX_DOCS_PYTHON3 python3 HINTS /usr/bin REQUIRED)
set(CDX_CLI_DOCS ${PROJECT_BINARY_DIR}/man/clausedex.1 ${PROJECT_BINARY_DIR}/man/clausedex.bash
    ${PROJECT_BINARY_DIR}/man/_clausedex)
add_custom_command(OUTPUT ${CDX_CLI_DOCS}
  COMMAND ${CDX_DOCS_PYTHON3} ${PROJECT_SOURCE_DIR}/tools/gen_cli_docs.py $<TARGET_FILE:clausedex_cli>
          ${PROJECT_VERSION} ${PROJECT_BINARY_DIR}/man
  DEPENDS clausedex_cli ${PROJECT_SOURCE_DIR}/tools/gen_cli_docs.py
  COMMENT "man page and shell completion from clausedex --help")
add_custom_target(clausedex_cli_docs ALL DEPENDS ${CDX_CLI_DOCS})
install(FILES ${PROJECT_BINARY_DIR}/man/clausedex.1 DESTINATION share/man/man1)
install(FILES ${PROJECT_BINARY_DIR}/man/clausedex.bash DESTINATION share/bash-completion/completions
        RENAME clausedex)
install(FILES ${PROJECT_BINARY_DIR}/man/_clausedex DESTINATION share/zsh/vendor-completions)
# Each search is a process, and with ICU's shared C++ libraries the dynamic
# loader's relocations took ~1.3 ms of it (`clausedex --version` 3.0 ms
# against 1.7 ms linked statically; bench/README.md, issue 18). Release
# builds of the command therefore link ICU, zlib and libstdc++ statically
# when their archives are installed (Debian's libicu-dev and zlib1g-dev ship
# them); the libraries and the tests stay dynamic.
option(CDX_STATIC_DEPS "Link ICU, zlib and libstdc++ statically into the clausedex command (Release)" ON)
set(cdx_static_cli OFF)
if(CDX_STATIC_DEPS AND CMAKE_BUILD_TYPE STREQUAL "Release"
   AND NOT CDX_SANITIZE AND NOT CDX_TSAN AND NOT CDX_FUZZ)
  find_library(CDX_ICUI18N_A NAMES libicui18n.a)
  find_library(CDX_ICUUC_A NAMES libicuuc.a)
  find_library(CDX_ICUDATA_A NAMES libicudata.a)
  find_library(CDX_Z_A NAMES libz.a)
  execute_process(COMMAND ${CMAKE_C_COMPILER} -print-file-name=libstdc++.a
                  OUTPUT_VARIABLE CDX_STDCXX_A OUTPUT_STRIP_TRAILING_WHITESPACE)
  if(CDX_ICUI18N_A AND CDX_ICUUC_A AND CDX_ICUDATA_A AND CDX_Z_A AND IS_ABSOLUTE "${CDX_STDCXX_A}")
    set(cdx_static_cli ON)
  endif()
endif()
if(cdx_static_cli)
  # The same objects as clausedex_static and clausedex_gen, without their
  # link interface (which names the shared ICU and zlib).
  # The server's objects come without libmicrohttpd: cli/mhd_lazy.c loads it
  # when `serve` first calls it, so a search does not load GnuTLS and the
  # rest of its dependencies (12 shared objects, ~3 ms a process).
  add_library(clausedex_cli_objs STATIC EXCLUDE_FROM_ALL ${CDX_ALL_OBJECTS} $<TARGET_OBJECTS:cdx_gen>
              $<TARGET_OBJECTS:cdx_serve>)
  target_sources(clausedex_cli PRIVATE cli/mhd_lazy.c)
  target_include_directories(clausedex_cli SYSTEM PRIVATE ${MHD_INCLUDE_DIRS})
  target_link_libraries(clausedex_cli PRIVATE clausedex_cli_objs ${CDX_ICUI18N_A} ${CDX_ICUUC_A}
                        ${CDX_ICUDATA_A} ${CDX_Z_A} ${CDX_STDCXX_A} m dl Threads::Threads)
  # A position-dependent executable: as a PIE, ICU's static tables needed
  # ~28,000 relative relocations at every start, dirtying their pages (151
  # page faults for --version against 84). And libgcc's unwinder linked in,
  # so only libc and libm are loaded. A search process: 0.90x wall, 0.87x
  # cpu (bench/README.md, issue 18). The cost: the command's own code and
  # data are not address-randomised (the libraries, heap and stack are).
  # Fully static was 0.87x again, but `serve` must dlopen libmicrohttpd,
  # which a static glibc cannot do reliably.
  target_link_options(clausedex_cli PRIVATE -no-pie -static-libgcc)
  # search leaves its index to the exit's teardown (cli/cmd_search.c)
  target_compile_definitions(clausedex_cli PRIVATE CDX_CLI_FAST_EXIT)
else()
  target_link_libraries(clausedex_cli PRIVATE clausedex_gen clausedex_serve clausedex_static)
endif()
