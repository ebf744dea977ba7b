# The built-in evidence of the mojibake repair: character pairs of the
# generator's vocabulary, and (to break ties) those inside the words of
# general Chinese said at least 100 times in jieba's word list (Debian's
# python3-jieba), in Simplified and Traditional characters
# (tools/gen_repair_pairs.c).
set(CDX_WORD_LIST /usr/lib/python3/dist-packages/jieba/dict.txt CACHE FILEPATH
    "word list with counts for the mojibake repair (python3-jieba's dict.txt)")
if(NOT EXISTS ${CDX_WORD_LIST})
  message(FATAL_ERROR "${CDX_WORD_LIST} is missing: install python3-jieba (scripts/install-deps)")
endif()
add_executable(cdx_gen_repair_pairs tools/gen_repair_pairs.c)
cdx_add_compile_options(cdx_gen_repair_pairs)
target_link_libraries(cdx_gen_repair_pairs PRIVATE PkgConfig::ICU)
set(CDX_REPAIR_PAIRS ${PROJECT_BINARY_DIR}/corpus/repair_pairs.c)
cdx_generated_source(${CDX_REPAIR_PAIRS} cdx_gen_repair_pairs
  ARGS --words 100 ${CDX_WORD_LIST} ${PROJECT_SOURCE_DIR}/gen/synth_vocab.c
  DEPENDS ${PROJECT_SOURCE_DIR}/gen/synth_vocab.c ${CDX_WORD_LIST}
  COMMENT "Generating the mojibake repair's character pairs")

cdx_module(cdx_corpus
  SOURCES corpus/document.c
    corpus/pool.c
    corpus/decode.c
    corpus/repair.c
    corpus/repair_model.c ${CDX_REPAIR_PAIRS}
    corpus/clean.c
    corpus/structure.c
    corpus/meta.c
    corpus/sidecar.c
    corpus/jsonl.c
  USES cdx_common cdx_lexicon cdx_facts # figures and departments in the JSON
  LIBS PkgConfig::ICU)
