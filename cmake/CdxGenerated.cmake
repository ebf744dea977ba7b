# cdx_generated_source(OUT GENERATOR COMMENT text [ARGS ...] [DEPENDS ...])
#   OUT is written at build time by the executable target GENERATOR, run as
#   `GENERATOR OUT ARGS...` (tools/gen_*.c: ICU's answers kept as C tables,
#   so no process asks ICU for them at run time).
function(cdx_generated_source out generator)
  cmake_parse_arguments(G "" "COMMENT" "ARGS;DEPENDS" ${ARGN})
  get_filename_component(dir ${out} DIRECTORY)
  add_custom_command(OUTPUT ${out}
    COMMAND ${CMAKE_COMMAND} -E make_directory ${dir}
    # ICU keeps caches alive until exit; LeakSanitizer must not fail the build.
    COMMAND ${CMAKE_COMMAND} -E env ASAN_OPTIONS=detect_leaks=0
            $<TARGET_FILE:${generator}> ${out} ${G_ARGS}
    DEPENDS ${generator} ${G_DEPENDS}
    COMMENT "${G_COMMENT}"
    VERBATIM)
endfunction()
