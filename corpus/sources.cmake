cdx_module(cdx_corpus
  SOURCES corpus/document.c
    corpus/pool.c
    corpus/decode.c
    corpus/repair.c
    corpus/clean.c
    corpus/structure.c
    corpus/meta.c
    corpus/sidecar.c
    corpus/jsonl.c
  USES cdx_common cdx_lexicon
  LIBS PkgConfig::ICU)
