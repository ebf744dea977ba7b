cdx_module(cdx_lexicon
  SOURCES lexicon/gazetteer.c lexicon/gazetteer_data.c
  USES cdx_common)
