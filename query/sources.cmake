cdx_module(cdx_query
  SOURCES query/placeholder.c
  DEPENDS cdx_common cdx_tokenizer cdx_indexer)
