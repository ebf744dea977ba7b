# The synthetic corpus generator.
cdx_test(test_synth
  SOURCES corpus/test_synth.c
  MODULES cdx_corpus cdx_lexicon cdx_common)
