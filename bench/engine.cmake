# The end-to-end query benchmark (public API only) and the CI smoke run of
# bench/run at a tiny size (5 MB corpus, peers on 0.3 MB, ~15 s), so the
# benchmark code cannot rot unnoticed. --check also fails the test when the
# engine rejects a query of the set or finds fewer units than a literal scan.
find_package(Threads REQUIRED)
add_executable(bench_engine ${CMAKE_CURRENT_LIST_DIR}/bench_engine.c)
cdx_add_compile_options(bench_engine)
target_link_libraries(bench_engine PRIVATE clausedex_static Threads::Threads m)
target_link_options(bench_engine PRIVATE ${CDX_LTO_LINK}) # the engine as the command is built
# Beside the clausedex binary, where bench/run --bin looks for both.
set_target_properties(bench_engine PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${PROJECT_BINARY_DIR})

if(BUILD_TESTING)
  find_package(Python3 COMPONENTS Interpreter)
  if(Python3_FOUND)
    set(_smoke ${PROJECT_BINARY_DIR}/bench-smoke)
    add_test(NAME bench_smoke
      COMMAND ${Python3_EXECUTABLE} ${PROJECT_SOURCE_DIR}/bench/run --size 5M --peer-mb 0.3
              --no-codec --runs 2 --check --bin ${PROJECT_BINARY_DIR} --out ${_smoke}
              --peers xapian,fts5,groonga --whole-runs 1
              --work ${_smoke}/work)
    set_tests_properties(bench_smoke PROPERTIES TIMEOUT 120)
  endif()
endif()

# Intersection and phrase cost on a synthetic index with known list lengths.
add_executable(bench_ops ${CMAKE_CURRENT_LIST_DIR}/bench_ops.c)
cdx_add_compile_options(bench_ops)
target_link_libraries(bench_ops PRIVATE clausedex_static m)
target_link_options(bench_ops PRIVATE ${CDX_LTO_LINK})
set_target_properties(bench_ops PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${PROJECT_BINARY_DIR})

# The alignment layer: diff, similar and coverage timings (docs/ALIGN.md).
add_executable(bench_align ${CMAKE_CURRENT_LIST_DIR}/bench_align.c)
cdx_add_compile_options(bench_align)
target_link_libraries(bench_align PRIVATE clausedex_static m)
target_link_options(bench_align PRIVATE ${CDX_LTO_LINK})
set_target_properties(bench_align PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${PROJECT_BINARY_DIR})

# Facets against the count of the same query, and the fact filters
# (bench/README.md, "Facets and fact filters").
add_executable(bench_facets ${CMAKE_CURRENT_LIST_DIR}/bench_facets.c)
cdx_add_compile_options(bench_facets)
target_link_libraries(bench_facets PRIVATE clausedex_static)
target_link_options(bench_facets PRIVATE ${CDX_LTO_LINK})
set_target_properties(bench_facets PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${PROJECT_BINARY_DIR})
