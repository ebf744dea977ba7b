# lexicon/: the gazetteer (and the language data below corpus, tokenizer and query).
cdx_test(test_gazetteer
  SOURCES lexicon/test_gazetteer.c
  MODULES cdx_lexicon cdx_common)
