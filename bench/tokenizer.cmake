# Tokenizer throughput and start-up cost (public API only). Links the two
# modules it needs, so it builds even while other stages are mid-edit.
add_executable(bench_tokenizer ${CMAKE_CURRENT_LIST_DIR}/bench_tokenizer.c)
cdx_add_compile_options(bench_tokenizer)
target_include_directories(bench_tokenizer PRIVATE ${PROJECT_SOURCE_DIR}/include
                           ${PROJECT_BINARY_DIR}/include)
target_compile_definitions(bench_tokenizer PRIVATE
  CDX_DEFAULT_SEEDS="${PROJECT_SOURCE_DIR}/../shared/corpus/seeds")
cdx_link_modules(bench_tokenizer cdx_tokenizer cdx_common)
set_target_properties(bench_tokenizer PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${PROJECT_BINARY_DIR})
