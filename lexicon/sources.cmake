cdx_module(cdx_lexicon
  SOURCES lexicon/gazetteer.c lexicon/gazetteer_data.c
  DEPENDS cdx_common)
