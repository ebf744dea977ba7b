# cmake -DBIN=<build dir> -P check_rule.cmake: builds the probe modules of
# tests/deps/tests.cmake and checks which compile.
function(build target expect_ok missing)
  execute_process(COMMAND ${CMAKE_COMMAND} --build ${BIN} --target ${target}
                  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE out)
  if(expect_ok AND NOT rc EQUAL 0)
    message(FATAL_ERROR "${target} should compile:\n${out}")
  endif()
  if(NOT expect_ok)
    if(rc EQUAL 0)
      message(FATAL_ERROR "${target} compiled: a forbidden include was allowed")
    endif()
    # failing for the right reason, not for any reason
    string(FIND "${out}" "${missing}: No such file" at)
    if(at EQUAL -1)
      message(FATAL_ERROR "${target} failed, but not on ${missing}:\n${out}")
    endif()
  endif()
  message(STATUS "${target}: as expected")
endfunction()
build(cdx_probe_allowed TRUE "")
build(cdx_probe_forbidden_module FALSE "corpus/corpus.h")
build(cdx_probe_forbidden_header FALSE "indexer/ix_internal.h")
