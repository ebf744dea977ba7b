cdx_module(cdx_corpus
  SOURCES corpus/document.c
  DEPENDS cdx_common PkgConfig::ICU)
