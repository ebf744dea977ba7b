# The synthetic corpus generator (cdx_generate_corpus, clausedex/generate.h):
# not part of libclausedex. The command, the benchmarks and the tests link
# it; it is installed as libclausedex_gen.a.
cdx_module(cdx_gen APART
  SOURCES gen/synth.c gen/synth_text.c gen/synth_vocab.c
  USES cdx_common cdx_lexicon
  LIBS PkgConfig::ICU)
add_library(clausedex_gen STATIC $<TARGET_OBJECTS:cdx_gen>)
target_include_directories(clausedex_gen PUBLIC
  $<BUILD_INTERFACE:${PROJECT_SOURCE_DIR}/include>
  $<BUILD_INTERFACE:${PROJECT_BINARY_DIR}/include>
  $<INSTALL_INTERFACE:include>)
