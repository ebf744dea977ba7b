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
target_link_libraries(clausedex_cli PRIVATE clausedex_gen clausedex_static)
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
