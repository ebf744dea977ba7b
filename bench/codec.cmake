# Block codec micro-benchmark. It measures the internal codec directly, so it compiles the codec
# sources itself (and builds even while the rest of the indexer is mid-change). libstreamvbyte
# (Debian libstreamvbyte-dev, no pkg-config file) adds comparison rows when present.
add_executable(bench_codec ${CMAKE_CURRENT_LIST_DIR}/bench_codec.c
  ${PROJECT_SOURCE_DIR}/indexer/block_codec.c
  ${PROJECT_SOURCE_DIR}/indexer/block_codec_avx2.c
  ${PROJECT_SOURCE_DIR}/indexer/block_codec_avx512.c)
cdx_add_compile_options(bench_codec)
target_include_directories(bench_codec PRIVATE ${PROJECT_SOURCE_DIR} ${PROJECT_SOURCE_DIR}/include
                           ${PROJECT_BINARY_DIR}/include)
cdx_link_modules(bench_codec cdx_tokenizer cdx_common)
find_library(CDX_STREAMVBYTE_LIB streamvbyte)
find_path(CDX_STREAMVBYTE_INCLUDE streamvbytedelta.h)
if(CDX_STREAMVBYTE_LIB AND CDX_STREAMVBYTE_INCLUDE)
  target_compile_definitions(bench_codec PRIVATE CDX_HAVE_STREAMVBYTE)
  target_include_directories(bench_codec PRIVATE ${CDX_STREAMVBYTE_INCLUDE})
  target_link_libraries(bench_codec PRIVATE ${CDX_STREAMVBYTE_LIB})
else()
  message(STATUS "libstreamvbyte not found: bench_codec runs without its rows")
endif()
set_target_properties(bench_codec PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${PROJECT_BINARY_DIR})
