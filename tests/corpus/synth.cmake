# The gazetteer and the synthetic corpus generator.
# The gazetteer depends on common/ only, so its test compiles it directly and
# does not wait for (or link) the rest of corpus/.
cdx_test(test_gazetteer
  SOURCES corpus/test_gazetteer.c
    ${PROJECT_SOURCE_DIR}/corpus/gazetteer.c ${PROJECT_SOURCE_DIR}/corpus/gazetteer_data.c
  MODULES cdx_common)

cdx_test(test_synth
  SOURCES corpus/test_synth.c
  MODULES cdx_corpus cdx_common)
