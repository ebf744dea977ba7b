cdx_module(cdx_indexer
  SOURCES
    indexer/segment_write.c
    indexer/segment_read.c
    indexer/postings.c
    indexer/manifest.c
    indexer/index_open.c
    indexer/store_stream.c
    indexer/store_cache.c
    indexer/store_deflate.c
    indexer/index_info.c
    indexer/fields.c
    indexer/names.c
    indexer/writer.c
    indexer/ordered_pool.c
    indexer/check.c
    indexer/uvars.c
    indexer/unit_depts.c
    indexer/dept_column.c
    indexer/facet_column.c
    indexer/block_codec.c
    indexer/block_codec_avx2.c
    indexer/block_codec_avx512.c
    indexer/intersect.c
    indexer/intersect_avx2.c
  USES cdx_common cdx_families cdx_facts # cites; figures and canonical departments per unit
  LINKS cdx_tokenizer cdx_corpus # through clausedex/analyzer.h and document.h
  LIBS PkgConfig::ZLIB)
