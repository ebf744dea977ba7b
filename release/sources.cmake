# Families, links and release reports over an open index (docs/CORPUS.md
# "Families" and "Links", docs/FORMAT.md "Reports"): above the aligner,
# whose clause counts a report quotes; everything through public headers
# (clausedex/index.h, search.h, align.h, document.h) but the text rules of
# families/.
cdx_module(cdx_release
  SOURCES
    release/famlist.c
    release/links.c
    release/report.c
    release/report_render.c
    release/report_store.c
  USES cdx_common cdx_families
  LINKS cdx_align cdx_query cdx_corpus)
