# The BMP's character table is generated at build time by asking ICU about
# every code point (tools/gen_chartab.c, through tokenizer/charprops.c), so
# no process builds it at start.
add_executable(cdx_gen_chartab tools/gen_chartab.c tokenizer/charprops.c
               $<TARGET_OBJECTS:cdx_lexicon> $<TARGET_OBJECTS:cdx_common>)
cdx_add_compile_options(cdx_gen_chartab)
target_include_directories(cdx_gen_chartab PRIVATE ${PROJECT_SOURCE_DIR} ${PROJECT_SOURCE_DIR}/include
                           ${PROJECT_BINARY_DIR}/include)
target_link_libraries(cdx_gen_chartab PRIVATE PkgConfig::ICU PkgConfig::ZLIB)
set(CDX_CHARTAB_BMP ${PROJECT_BINARY_DIR}/tokenizer/chartab_bmp.c)
cdx_generated_source(${CDX_CHARTAB_BMP} cdx_gen_chartab
  COMMENT "Generating the BMP character table")

cdx_module(cdx_tokenizer
  SOURCES tokenizer/charprops.c tokenizer/chartab.c ${CDX_CHARTAB_BMP} tokenizer/fold.c
          tokenizer/analyzer.c
  USES cdx_common cdx_lexicon
  LIBS PkgConfig::ICU)
