add_executable(clausedex_cli
  cli/main.c
  cli/cmd_parse.c
  cli/meta_flags.c
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
  cli/index_args.c
  cli/cmd_diff.c
  cli/cmd_similar.c
  cli/cmd_coverage.c
  cli/cmd_serve.c
  cli/color.c)
set_target_properties(clausedex_cli PROPERTIES OUTPUT_NAME clausedex
  RUNTIME_OUTPUT_DIRECTORY ${PROJECT_BINARY_DIR})
cdx_add_compile_options(clausedex_cli)
# the command sees its own folder and the public headers only
cdx_module_includes(clausedex_cli cli)
target_link_libraries(clausedex_cli PRIVATE clausedex_gen clausedex_serve clausedex_static)
target_link_options(clausedex_cli PRIVATE ${CDX_LTO_LINK})
