cdx_module(cdx_query
  SOURCES
    query/parse.c
    query/ast.c
    query/qanalyze.c
    query/iter.c
    query/union_postings.c
    query/op_and.c
    query/op_or.c
    query/op_not.c
    query/op_phrase.c
    query/op_filter.c
    query/score_bm25.c
    query/snippet.c
    query/search.c
    query/search_options.c
    query/ix_leaf.c
    query/filters.c
    query/compile.c
    query/topk.c
    query/hits.c
    query/hit_json.c
    query/resolve.c
    query/fact_filter.c
    query/fact_hits.c
    query/facets.c
  USES cdx_common cdx_lexicon cdx_families cdx_facts cdx_indexer:index_reader.h
  LINKS cdx_tokenizer) # through clausedex/analyzer.h
