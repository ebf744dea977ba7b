# Document reading throughput (public API only). Links only the modules it
# needs, so it builds even while other stages are mid-edit.
cdx_program(bench_corpus SOURCES ${CMAKE_CURRENT_LIST_DIR}/bench_corpus.c MODULES cdx_corpus cdx_gen)
target_compile_definitions(bench_corpus PRIVATE
  CDX_DEFAULT_SEEDS="${PROJECT_SOURCE_DIR}/../shared/corpus/seeds")
set_target_properties(bench_corpus PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${PROJECT_BINARY_DIR})
