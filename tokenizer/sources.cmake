cdx_module(cdx_tokenizer
  SOURCES tokenizer/chartab.c tokenizer/fold.c tokenizer/analyzer.c
  USES cdx_common cdx_lexicon
  LIBS PkgConfig::ICU)
