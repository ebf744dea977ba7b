cdx_module(cdx_indexer
  SOURCES indexer/placeholder.c
  DEPENDS cdx_common cdx_tokenizer cdx_corpus PkgConfig::ZLIB)
