# corpus/: reading, cleaning, metadata and structure.
cdx_test(test_corpus
  SOURCES corpus/test_corpus.c
  MODULES cdx_corpus cdx_common)
