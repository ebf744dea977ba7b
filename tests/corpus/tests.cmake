# corpus/: reading, cleaning, metadata and structure; the parse command runs
# from $CDX_CLI, so build clausedex_cli too.
cdx_test(test_corpus
  SOURCES corpus/test_corpus.c corpus/test_parse_cli.c corpus/test_simd.c corpus/test_repair.c
    corpus/test_leads.c corpus/test_signature.c corpus/test_source.c support/seed_doc.c
  MODULES cdx_corpus cdx_gen)
