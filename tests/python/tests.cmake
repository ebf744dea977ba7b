# python/: the ctypes binding, tested with Debian's python3-pytest against
# the shared library of this build. Not under the sanitizers (python cannot
# load an instrumented libclausedex.so).
if(CDX_SANITIZE OR CDX_TSAN)
  return()
endif()
add_test(NAME python_binding
  COMMAND bash -c "${CDX_PYTHON3} -c 'import pytest' 2>/dev/null || { [ \"$CI\" = true ] && { echo 'python3-pytest missing (required under CI)'; exit 1; }; echo 'SKIPPED: python3-pytest is not installed'; exit 77; }; exec ${CDX_PYTHON3} -m pytest -q -p no:cacheprovider ${PROJECT_SOURCE_DIR}/python/tests"
  WORKING_DIRECTORY ${PROJECT_BINARY_DIR})
set_tests_properties(python_binding PROPERTIES SKIP_RETURN_CODE 77
  ENVIRONMENT "CLAUSEDEX_LIBRARY=$<TARGET_FILE:clausedex_shared>;CDX_CLI=$<TARGET_FILE:clausedex_cli>;PYTHONPATH=${PROJECT_SOURCE_DIR}/python;PYTHONDONTWRITEBYTECODE=1")
