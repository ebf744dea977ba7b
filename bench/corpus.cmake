# Document reading throughput (public API only). Links only the modules it
# needs, so it builds even while other stages are mid-edit.
add_executable(bench_corpus ${CMAKE_CURRENT_LIST_DIR}/bench_corpus.c)
cdx_add_compile_options(bench_corpus)
target_include_directories(bench_corpus PRIVATE ${PROJECT_SOURCE_DIR}/include
                           ${PROJECT_BINARY_DIR}/include)
target_compile_definitions(bench_corpus PRIVATE
  CDX_DEFAULT_SEEDS="${PROJECT_SOURCE_DIR}/../shared/corpus/seeds")
cdx_link_modules(bench_corpus cdx_corpus cdx_gen)
set_target_properties(bench_corpus PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${PROJECT_BINARY_DIR})
