# Warnings are errors in every build: a warning ignored today hides tomorrow's bug.
function(cdx_add_compile_options target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Werror -Wshadow
    -Wstrict-prototypes -Wmissing-prototypes -Wno-unused-parameter)
endfunction()
