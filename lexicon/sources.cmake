# The Traditional -> Simplified character table is generated at build time
# from ICU's transliterator (tools/gen_t2s.c), so no process ever opens it.
add_executable(cdx_gen_t2s tools/gen_t2s.c)
cdx_add_compile_options(cdx_gen_t2s)
target_link_libraries(cdx_gen_t2s PRIVATE PkgConfig::ICU)
set(CDX_T2S_TABLE ${PROJECT_BINARY_DIR}/lexicon/t2s_table.c)
cdx_generated_source(${CDX_T2S_TABLE} cdx_gen_t2s
  COMMENT "Generating the Traditional -> Simplified table")

cdx_module(cdx_lexicon
  SOURCES lexicon/gazetteer.c lexicon/gazetteer_data.c lexicon/t2s.c ${CDX_T2S_TABLE}
  USES cdx_common)
