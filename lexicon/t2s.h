/*
 * Traditional -> Simplified, one code point at a time: the one fold of
 * Traditional characters in the library. The tokenizer folds every term with
 * it, the gazetteer folds names in text with it (lexicon/gazetteer.c), and
 * corpus/meta.c folds titles with it for policy keys, so 溫州 is 温州 to all
 * of them alike.
 *
 * The table is generated at build time from ICU's "Traditional-Simplified"
 * transliterator by tools/gen_t2s.c (the t2s_table.c it writes is the
 * interface below), one character at a time: phrase rules are dropped on
 * purpose, since a per-character fold is the same wherever the character
 * stands.
 */
#ifndef CDX_LEXICON_T2S_H
#define CDX_LEXICON_T2S_H

#include <stddef.h>
#include <stdint.h>

/* ---- Interface to the generated t2s_table.c (tools/gen_t2s.c) ---- */
/* Sorted by the first member: {traditional, simplified}. */
extern const uint32_t cdx_t2s_pairs[][2];
extern const size_t cdx_t2s_count;

/* ---- Interface to lexicon/t2s.c ---- */
/* Simplified form of a code point (itself when T->S leaves it alone). */
uint32_t cdx_t2s(uint32_t cp);

#endif
