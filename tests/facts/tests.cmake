# facts/: the figure extractor on constructed text and on the seeds (read
# through the document reader, hence cdx_corpus).
cdx_test(test_facts
  SOURCES ${CMAKE_CURRENT_LIST_DIR}/test_figures.c ${CMAKE_CURRENT_LIST_DIR}/test_fig_seeds.c
          ${CMAKE_CURRENT_LIST_DIR}/test_fig_random.c ${PROJECT_SOURCE_DIR}/tests/support/seed_doc.c
  MODULES cdx_facts cdx_corpus cdx_common)

# fig_dump FILE prints the figures of a file for checking by eye; --bench
# measures the extraction speed.
add_executable(fig_dump ${CMAKE_CURRENT_LIST_DIR}/fig_dump.c)
cdx_add_compile_options(fig_dump)
target_include_directories(fig_dump PRIVATE ${PROJECT_SOURCE_DIR} ${PROJECT_SOURCE_DIR}/include ${PROJECT_BINARY_DIR}/include)
cdx_link_modules(fig_dump cdx_facts cdx_corpus cdx_common)

# dept_dump DOC prints every responsible unit with its canonical name;
# --bench N measures cdx_dept_canonical.
add_executable(dept_dump ${CMAKE_CURRENT_LIST_DIR}/dept_dump.c)
cdx_add_compile_options(dept_dump)
target_include_directories(dept_dump PRIVATE ${PROJECT_SOURCE_DIR} ${PROJECT_SOURCE_DIR}/include ${PROJECT_BINARY_DIR}/include)
cdx_link_modules(dept_dump cdx_facts cdx_corpus cdx_common)

# Department canonical names: constructed names and user files, and every
# responsible unit of the seeds.
cdx_test(test_depts
  SOURCES ${CMAKE_CURRENT_LIST_DIR}/test_depts.c ${CMAKE_CURRENT_LIST_DIR}/test_dept_seeds.c
          ${CMAKE_CURRENT_LIST_DIR}/test_dept_random.c
  MODULES cdx_facts cdx_corpus cdx_common)

