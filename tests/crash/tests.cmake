# The crash rig (issue 19): `index`, `optimize` and `delete` killed at each
# of their write/fsync/create/rename/unlink points by an LD_PRELOAD shim and
# at random instants; each kill must leave the old or the new commit. The
# shim is built without the sanitizers of an ASan build: it only counts and
# kills, and is preloaded into the (instrumented) command.
add_library(killshim MODULE ${CMAKE_CURRENT_LIST_DIR}/killshim.c)
set_property(TARGET killshim PROPERTY COMPILE_OPTIONS -O2 -Wall -Wextra -Werror)
set_property(TARGET killshim PROPERTY LINK_OPTIONS "")
set_target_properties(killshim PROPERTIES PREFIX "" C_EXTENSIONS ON)
target_link_libraries(killshim PRIVATE ${CMAKE_DL_LIBS})
add_test(NAME crash_rig
  COMMAND bash ${CMAKE_CURRENT_LIST_DIR}/crash_rig $<TARGET_FILE:clausedex_cli>
          $<TARGET_FILE:killshim> --random 10)
set_tests_properties(crash_rig PROPERTIES TIMEOUT 1200)

# The power-loss rig: the calls of a commit recorded by an LD_PRELOAD shim
# and replayed as a power cut could leave them (unsynced writes and
# directory entries lost, kept or torn); each state must hold the old or the
# new commit.
add_library(traceshim MODULE ${CMAKE_CURRENT_LIST_DIR}/traceshim.c)
set_property(TARGET traceshim PROPERTY COMPILE_OPTIONS -O2 -Wall -Wextra -Werror)
set_property(TARGET traceshim PROPERTY LINK_OPTIONS "")
set_target_properties(traceshim PROPERTIES PREFIX "" C_EXTENSIONS ON)
target_link_libraries(traceshim PRIVATE ${CMAKE_DL_LIBS})
add_test(NAME powerloss_rig
  COMMAND python3 ${CMAKE_CURRENT_LIST_DIR}/powerloss $<TARGET_FILE:clausedex_cli>
          $<TARGET_FILE:traceshim> --states 150)
set_tests_properties(powerloss_rig PROPERTIES TIMEOUT 1200)
