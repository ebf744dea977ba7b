# The BMP's character table is generated at build time by asking ICU about
# every code point (tools/gen_chartab.c, through tokenizer/charprops.c), so
# no process builds it at start.
add_executable(cdx_gen_chartab tools/gen_chartab.c tokenizer/charprops.c lexicon/t2s.c
               ${CDX_T2S_TABLE} common/error.c)
cdx_add_compile_options(cdx_gen_chartab)
target_include_directories(cdx_gen_chartab PRIVATE ${PROJECT_SOURCE_DIR} ${PROJECT_SOURCE_DIR}/include
                           ${PROJECT_BINARY_DIR}/include)
target_link_libraries(cdx_gen_chartab PRIVATE PkgConfig::ICU)
set(CDX_CHARTAB_BMP ${PROJECT_BINARY_DIR}/tokenizer/chartab_bmp.c)
add_custom_command(OUTPUT ${CDX_CHARTAB_BMP}
  COMMAND ${CMAKE_COMMAND} -E make_directory ${PROJECT_BINARY_DIR}/tokenizer
  # ICU keeps caches alive until exit; LeakSanitizer must not fail the build.
  COMMAND ${CMAKE_COMMAND} -E env ASAN_OPTIONS=detect_leaks=0
          $<TARGET_FILE:cdx_gen_chartab> ${CDX_CHARTAB_BMP}
  DEPENDS cdx_gen_chartab
  COMMENT "Generating the BMP character table"
  VERBATIM)

cdx_module(cdx_tokenizer
  SOURCES tokenizer/charprops.c tokenizer/chartab.c ${CDX_CHARTAB_BMP} tokenizer/fold.c
          tokenizer/analyzer.c
  USES cdx_common cdx_lexicon
  LIBS PkgConfig::ICU)
