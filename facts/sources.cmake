# facts/: figures (money, percentages, counts, deadlines) from clause text.
# libc and common/ only: no ICU, so any stage may call it per unit.
cdx_module(cdx_facts
  SOURCES facts/fig_extract.c facts/fig_number.c facts/fig_date.c facts/fig_lexicon.c facts/fig_format.c
  DEPENDS cdx_common)
