cdx_module(cdx_indexer
  SOURCES indexer/placeholder.c
    indexer/block_codec.c
    indexer/block_codec_avx2.c
    indexer/block_codec_avx512.c
  DEPENDS cdx_common cdx_tokenizer cdx_corpus PkgConfig::ZLIB)
