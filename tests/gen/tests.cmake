# gen/: the synthetic corpus generator.
cdx_test(test_synth
  SOURCES gen/test_synth.c
  MODULES cdx_gen cdx_corpus)
