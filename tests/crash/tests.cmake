# cdx_preload_shim(NAME): NAME.so from NAME.c, an LD_PRELOAD shim built
# without the sanitizers of an ASan build: it only counts, records or kills,
# and is preloaded into the (instrumented) command.
function(cdx_preload_shim name)
  add_library(${name} MODULE ${CMAKE_CURRENT_FUNCTION_LIST_DIR}/${name}.c)
  set_property(TARGET ${name} PROPERTY COMPILE_OPTIONS -O2 -Wall -Wextra -Werror)
  set_property(TARGET ${name} PROPERTY LINK_OPTIONS "")
  set_target_properties(${name} PROPERTIES PREFIX "" C_EXTENSIONS ON)
  target_link_libraries(${name} PRIVATE ${CMAKE_DL_LIBS})
endfunction()

# The crash rig (issue 19): `index`, `optimize` and `delete` killed at each
# of their write/fsync/create/rename/unlink points by an LD_PRELOAD shim and
# at random instants; each kill must leave the old or the new commit.
cdx_preload_shim(killshim)
add_test(NAME crash_rig
  COMMAND bash ${CMAKE_CURRENT_LIST_DIR}/crash_rig $<TARGET_FILE:clausedex_cli>
          $<TARGET_FILE:killshim> --random 10)
set_tests_properties(crash_rig PROPERTIES TIMEOUT 1200)

# The power-loss rig: the calls of a commit recorded by an LD_PRELOAD shim
# and replayed as a power cut could leave them (unsynced writes and
# directory entries lost, kept or torn); each state must hold the old or the
# new commit.
cdx_preload_shim(traceshim)
add_test(NAME powerloss_rig
  COMMAND python3 ${CMAKE_CURRENT_LIST_DIR}/powerloss $<TARGET_FILE:clausedex_cli>
          $<TARGET_FILE:traceshim> --states 150)
set_tests_properties(powerloss_rig PROPERTIES TIMEOUT 1200)
