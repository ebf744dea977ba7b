# Included from tests/CMakeLists.txt and from tests/indexer/tests.cmake: define the target once.
include_guard(GLOBAL)
# The block codec is compiled into its test directly rather than through cdx_indexer, so the
# codec's tests build even while the rest of the indexer is mid-change.
cdx_test(test_codec
  SOURCES ${PROJECT_SOURCE_DIR}/tests/indexer/test_codec.c
    ${PROJECT_SOURCE_DIR}/indexer/block_codec.c
    ${PROJECT_SOURCE_DIR}/indexer/block_codec_avx2.c
    ${PROJECT_SOURCE_DIR}/indexer/block_codec_avx512.c
  MODULES)
# The intersection kernels of the count-only AND, the same way.
cdx_test(test_intersect
  SOURCES ${PROJECT_SOURCE_DIR}/tests/indexer/test_intersect.c
    ${PROJECT_SOURCE_DIR}/indexer/intersect.c
    ${PROJECT_SOURCE_DIR}/indexer/intersect_avx2.c
  MODULES)
