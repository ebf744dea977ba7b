# Policy identity as text (docs/CORPUS.md "Families", docs/FORMAT.md): the
# family key of a document, document numbers and clause references in
# their citation variants, the bases a document cites. Pure functions of
# strings: below corpus/ (the sidecar's family field) and indexer/ (the
# family grouping at open, the stored citations).
cdx_module(cdx_families
  SOURCES
    families/famkey.c
    families/docnum.c
    families/cite.c
  USES cdx_common cdx_lexicon)
