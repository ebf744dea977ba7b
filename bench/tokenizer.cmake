# Tokenizer throughput and start-up cost (public API only). Links the two
# modules it needs, so it builds even while other stages are mid-edit.
cdx_program(bench_tokenizer SOURCES ${CMAKE_CURRENT_LIST_DIR}/bench_tokenizer.c MODULES cdx_tokenizer cdx_common)
target_compile_definitions(bench_tokenizer PRIVATE
  CDX_DEFAULT_SEEDS="${PROJECT_SOURCE_DIR}/../shared/corpus/seeds")
set_target_properties(bench_tokenizer PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${PROJECT_BINARY_DIR})
