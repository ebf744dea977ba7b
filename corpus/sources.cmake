cdx_module(cdx_corpus
  SOURCES corpus/document.c
    corpus/gazetteer.c corpus/gazetteer_data.c
  DEPENDS cdx_common PkgConfig::ICU)
