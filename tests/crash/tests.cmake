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
