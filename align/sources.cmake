# Clause alignment (docs/ALIGN.md): above the query engine, whose public
# API loads units and finds candidates; folding from the tokenizer, figures
# from facts/.
cdx_module(cdx_align
  SOURCES
    align/prep.c
    align/match.c
    align/diff.c
    align/changes.c
    align/alignment.c
    align/similar.c
    align/coverage.c
  USES cdx_common cdx_tokenizer cdx_facts cdx_lexicon cdx_indexer:index_reader.h
  LINKS cdx_query)
