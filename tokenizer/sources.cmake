cdx_module(cdx_tokenizer
  SOURCES tokenizer/analyzer.c
  DEPENDS cdx_common PkgConfig::ICU)
