# facts/: figures (money, percentages, counts, deadlines) from clause text,
# and canonical department names. libc, common/ and lexicon/'s tables only: no ICU, so any
# stage may call it per unit.
# The department alias table is data (facts/dept_aliases.tsv), compiled in
# as its bytes at build time.
set(CDX_DEPT_TSV ${PROJECT_SOURCE_DIR}/facts/dept_aliases.tsv)
set(CDX_DEPT_TSV_C ${PROJECT_BINARY_DIR}/facts/dept_aliases_data.c)
add_custom_command(OUTPUT ${CDX_DEPT_TSV_C}
  COMMAND ${CMAKE_COMMAND} -E make_directory ${PROJECT_BINARY_DIR}/facts
  COMMAND ${CMAKE_COMMAND} -DIN=${CDX_DEPT_TSV} -DOUT=${CDX_DEPT_TSV_C}
          -P ${PROJECT_SOURCE_DIR}/facts/embed_tsv.cmake
  DEPENDS ${CDX_DEPT_TSV} ${PROJECT_SOURCE_DIR}/facts/embed_tsv.cmake
  COMMENT "Compiling in the department alias table"
  VERBATIM)

cdx_module(cdx_facts
  SOURCES facts/fig_extract.c facts/fig_number.c facts/fig_date.c facts/fig_lexicon.c facts/fig_format.c
          facts/dept_fold.c facts/dept_table.c facts/dept_canonical.c facts/fact_json.c
          ${CDX_DEPT_TSV_C}
  USES cdx_common cdx_lexicon)
