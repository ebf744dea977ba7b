# cmake -DIN=facts/dept_aliases.tsv -DOUT=.../dept_aliases_data.c -P facts/embed_tsv.cmake
# Compiles the alias table into the library as its bytes, so the library
# reads it with the same parser as a user's file and never opens it.
file(READ "${IN}" hex HEX)
string(LENGTH "${hex}" n)
math(EXPR bytes "${n} / 2")
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," body "${hex}")
string(REGEX REPLACE "((0x..,){16})" "\\1\n  " body "${body}")
file(WRITE "${OUT}.tmp"
  "/* Generated from facts/dept_aliases.tsv by facts/embed_tsv.cmake. Do not edit. */\n"
  "#include \"facts/dept_internal.h\"\n\n"
  "const unsigned char cdx_dept_builtin_tsv[] = {\n  ${body}0};\n"
  "const size_t cdx_dept_builtin_tsv_len = ${bytes};\n")
file(RENAME "${OUT}.tmp" "${OUT}")
