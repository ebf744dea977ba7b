/*
 * corpus/: private interface. A document goes through these stages, one
 * file each:
 *
 *   decode.c     bytes -> UTF-8 (encoding detection, line endings)
 *   repair.c     mojibake from GBK read one byte off -> re-decoded text
 *   repair_model.c  the GBK table and character costs the repair decides by
 *   clean.c      drop web chrome, Word artifacts, news leads, footers
 *   structure.c  lines -> units (preamble, chapters, clauses, closing)
 *   meta.c       title, jurisdiction, status, edition, date, number, key
 *   sidecar.c    FILE.meta and override values
 *   document.c   the public cdx_document object and its JSON
 *   jsonl.c      JSON Lines input
 */
#ifndef CDX_CORPUS_H
#define CDX_CORPUS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include "clausedex/document.h"
#include "common/common.h"

/* ---- Interface to corpus/pool.c ---- */

/* Every string and array a document hands out lives in its pool and is
 * freed with it; that keeps the borrowed views of document.h simple. */
typedef struct cdx_pool {
  void **items;
  size_t n, cap;
  char *chunk;       /* small strings and arrays are carved from the last chunk kept */
  size_t chunk_left; /* bytes still free at its end */
} cdx_pool;

void cdx_pool_free(cdx_pool *p);
/* Takes ownership of ptr (freed with the pool, even when this fails). */
void *cdx_pool_keep(cdx_pool *p, void *ptr);
char *cdx_pool_strndup(cdx_pool *p, const char *s, size_t n);
char *cdx_pool_strdup(cdx_pool *p, const char *s);
void *cdx_pool_calloc(cdx_pool *p, size_t n, size_t size);

/* ---- Interface to corpus/decode.c ---- */

/* Converts raw bytes to UTF-8 with LF line endings. Rejects empty and binary
 * input (CDX_BADINPUT naming `name`). *warning gets a malloc'ed note when
 * something was repaired (truncated tail, substituted bytes), else NULL.
 * *encoding receives a static name ("UTF-8", "GB18030", ...). */
int cdx_corpus_decode(const char *name, const char *bytes, size_t len, char **out, size_t *out_len,
                      const char **encoding, char **warning, cdx_error *err);

/* True when cp is among the commonly used Han characters (GB2312 level 1 or
 * Big5 level 1); the yardstick for "this decoding reads like Chinese". */
bool cdx_corpus_is_common_han(int32_t cp);
/* True for the 3755 characters of GB2312 level 1 (common Simplified). */
bool cdx_corpus_is_gb2312_common(int32_t cp);

/* The control bytes of b[0..n) (not line ends, tabs or form feeds; DEL
 * is one): the binary-data test. SSE2 where the build has it; the _scalar
 * twin is compiled everywhere so tests hold the two to the same answer. */
size_t cdx_corpus_count_controls(const unsigned char *b, size_t n);
size_t cdx_corpus_count_controls_scalar(const unsigned char *b, size_t n);

/* ---- Interface to corpus/repair.c ---- */

/* One damaged span of the text and what replaced it. */
typedef struct cdx_repair_span {
  size_t start, end; /* byte range in the text given to cdx_corpus_repair */
  char *repair;      /* malloc'ed UTF-8 replacement */
  size_t repair_len;
  size_t n_chosen;   /* characters the model chose among candidates (lost bytes) */
  size_t n_lost;     /* characters left as U+FFFD: no candidate clearly best */
  double confidence; /* lowest confidence of a chosen character; 1 when none */
} cdx_repair_span;

/* Repairs GBK text that was decoded one byte off anywhere in a line,
 * including bytes lost as '?' and full-width bytes folded to ASCII. Returns
 * the new text in *out (malloc'ed) and the repaired spans in *spans
 * (malloc'ed array, free with cdx_repair_spans_free), in text order. When
 * nothing is repaired (nearly every document), *out is NULL and the text
 * stands as it is: copying it would be a pass over the whole document for
 * nothing. ev (may be NULL) is asked about characters the document leaves
 * undecided. *n_unsearched counts damaged-looking lines left as they stand
 * because the document's search budget ran out (a bound on time). */
int cdx_corpus_repair(const char *text, size_t len, const cdx_repair_evidence *ev, char **out,
                      size_t *out_len, cdx_repair_span **spans, size_t *n_spans,
                      size_t *n_unsearched, cdx_error *err);
void cdx_repair_spans_free(cdx_repair_span *spans, size_t n);

/* ---- Interface to corpus/repair_model.c ---- */

/* Builds the GBK tables once per process; false when ICU lacks GBK. */
bool cdx_rm_init(void);
/* Code point of the GBK pair lead,trail; 0 when the pair is no character. */
uint32_t cdx_rm_gbk_char(unsigned lead, unsigned trail);
/* GBK bytes of cp as lead << 8 | trail; 0 when GBK has no two-byte form. */
uint32_t cdx_rm_gbk_bytes(uint32_t cp);
/* Characters of GBK's symbol rows that prose hardly uses, and U+FFFD:
 * private use, box drawing, bopomofo, Latin with pinyin tones, Greek and
 * Cyrillic, enclosed numbers. Inline: the repair's scan of every line of
 * every document asks it. */
static inline bool cdx_rm_is_suspicious(uint32_t cp) {
  return (cp >= 0xE000 && cp <= 0xF8FF) || (cp >= 0x2500 && cp <= 0x257F) ||
         (cp >= 0x00C0 && cp <= 0x024F) || (cp >= 0x0370 && cp <= 0x04FF) ||
         (cp >= 0x3100 && cp <= 0x312F) || (cp >= 0x3220 && cp <= 0x325F) || cp == 0xFFFD;
}
/* Full-width forms and U+3000 to ASCII: how the model compares characters. */
uint32_t cdx_rm_fold(uint32_t c);

/* The generated repair_pairs.c (tools/gen_repair_pairs.c): pairs of clean
 * policy prose, and the pairs inside common words of general Chinese; each
 * list sorted. */
extern const uint32_t cdx_rm_builtin_pairs[][2];
extern const size_t cdx_rm_builtin_count;
extern const uint32_t cdx_rm_word_pairs[][2];
extern const size_t cdx_rm_word_count;
/* True when a,b (folded) are two neighbours inside a common word. */
bool cdx_rm_in_word(uint32_t a, uint32_t b);

/* Counts of character pairs (folded) seen in clean text. */
typedef struct cdx_rm_bigrams {
  uint64_t *keys;
  uint32_t *counts;
  size_t n, cap;
} cdx_rm_bigrams;
int cdx_rm_bigrams_add(cdx_rm_bigrams *t, uint32_t a, uint32_t b, int delta);
/* Adds (delta > 0) or removes the pairs of UTF-8 text; a line starts after ' '. */
int cdx_rm_bigrams_add_text(cdx_rm_bigrams *t, const char *s, size_t n, int delta);
uint32_t cdx_rm_bigrams_get(const cdx_rm_bigrams *t, uint32_t a, uint32_t b);
void cdx_rm_bigrams_free(cdx_rm_bigrams *t);
/* Cost of character c after prev: low for prose, high for mojibake. ev
 * (may be NULL) adds its count of the pair to the evidence. */
float cdx_rm_cost(const cdx_rm_bigrams *t, const cdx_repair_evidence *ev, uint32_t prev,
                  uint32_t c);

/* ---- Interface to corpus/clean.c ---- */

/* Metadata seen in lines that cleaning drops (a web page's 文号 row). */
typedef struct cdx_clean_hints {
  char *doc_number; /* malloc'ed or NULL */
  char *issuer;     /* malloc'ed or NULL (发布机构 of a page) */
} cdx_clean_hints;

/* Where each output line came from: lines[i] = {output start, output end,
 * input start, input end} of the i-th kept line (trimmed), in order. */
typedef struct cdx_clean_map {
  size_t (*lines)[4];
  size_t n, cap;
} cdx_clean_map;

/* Keeps content lines only, each trimmed, joined by "\n" (no blank lines).
 * *out is malloc'ed. map (may be NULL) receives the line map (free with
 * cdx_clean_map_free). */
int cdx_corpus_clean(const char *text, size_t len, char **out, size_t *out_len,
                     cdx_clean_hints *hints, cdx_clean_map *map, cdx_error *err);
void cdx_clean_map_free(cdx_clean_map *m);
/* The input offset of output offset off; an end offset (end true) at a line
 * start belongs to the line before. */
size_t cdx_clean_map_source(const cdx_clean_map *m, size_t off, bool end);
void cdx_clean_hints_free(cdx_clean_hints *h);

/* ---- Interface to corpus/structure.c ---- */

/* Where the policy title block ends: units start after it. */
typedef struct cdx_title_block {
  size_t title_start, title_end; /* byte range of the title line, or 0,0 */
  size_t body_start;             /* first byte after the title block */
  size_t body_end;               /* where a closing signature (issuer, date) starts */
  size_t after_signature;        /* first byte after its date line (len when none) */
} cdx_title_block;

/* Splits text into units (stored in the pool). `body_start` is where the
 * preamble may start. Adds warnings about inferred numbers via *n_inferred. */
int cdx_corpus_structure(cdx_pool *pool, const char *text, size_t len, size_t body_start,
                         cdx_unit_view **units, size_t *n_units, size_t *n_inferred,
                         cdx_error *err);

/* Parses a Chinese numeral (一 … 九十九) or digits from s[0..n); -1 when it
 * is not one. */
int cdx_corpus_parse_number(const char *s, size_t n);

/* ---- Interface to corpus/meta.c ---- */

/* Offset of the first ASCII digit in s[i..n), or n (the year scan). SSE2
 * where the build has it; the _scalar twin as for count_controls. */
size_t cdx_corpus_next_digit(const char *s, size_t n, size_t i);
size_t cdx_corpus_next_digit_scalar(const char *s, size_t n, size_t i);

typedef struct cdx_meta_work {
  cdx_document_meta meta;
  cdx_place parents[4];
  cdx_title_block block;
  char *title_stem; /* pool: normalised title for the policy key */
} cdx_meta_work;

/* Detects the metadata of cleaned text; strings go into the pool. */
int cdx_corpus_detect_meta(cdx_pool *pool, const char *text, size_t len,
                           const cdx_clean_hints *hints, cdx_meta_work *w, cdx_error *err);

/* Sets the jurisdiction (and its parents) from a gazetteer code. */
void cdx_corpus_set_place(cdx_meta_work *w, uint32_t code);

/* Recomputes the policy key from title stem, jurisdiction and edition. */
int cdx_corpus_policy_key(cdx_pool *pool, cdx_meta_work *w);

/* Normalised title stem: place names, 关于/的/印发, edition and status
 * brackets and punctuation removed ("推动经济高质量发展若干政策"). */
char *cdx_corpus_title_stem(cdx_pool *pool, const char *title);

/* ---- Interface to corpus/sidecar.c ---- */

/* Applies one override (key as in the sidecar: title, jurisdiction, status,
 * edition, date, doc_number, issuer). `where` names the source in errors
 * ("x.txt.meta:3" or "--status"). CDX_INVALID on an unknown key or bad value. */
int cdx_corpus_apply_override(cdx_pool *pool, cdx_meta_work *w, const char *key, const char *value,
                              const char *where, cdx_error *err);

/* Parses a sidecar file's text and applies it. */
int cdx_corpus_apply_sidecar(cdx_pool *pool, cdx_meta_work *w, const char *path, const char *text,
                             size_t len, cdx_error *err);

/* ---- Interface to corpus/document.c ---- */

/* Builds a document from already-clean text and prepared units (JSON Lines
 * input). Takes ownership of the pool contents, also on failure. */
int cdx_corpus_document_new(const char *source, cdx_pool *pool, char *text, size_t len,
                            cdx_meta_work *w, cdx_unit_view *units, size_t n_units, char **warnings,
                            size_t n_warnings, cdx_document **out, cdx_error *err);

/* ---- Interface to corpus/jsonl.c (beside the public cdx_jsonl_*) ---- */

/* cdx_jsonl_open over bytes in memory (copied; `name` in messages), for the
 * fuzz target. Free with cdx_jsonl_close. */
int cdx_jsonl_open_buffer(const char *name, const char *bytes, size_t len, cdx_jsonl_reader **out,
                          cdx_error *err);

/* ---- small UTF-8 helpers shared by the stages (corpus/pool.c) ---- */

/* First occurrence of needle[0..nn) in s[0..n), or NULL. */
const char *cdx_memmem_n(const char *s, size_t n, const char *needle, size_t nn);
/* Last occurrence of needle[0..nn) in s[0..n), or NULL; searches from the
 * end, so a marker near the end of a long line is found at once. */
const char *cdx_memrmem_n(const char *s, size_t n, const char *needle, size_t nn);

/* Inline because the stages call these per line and per character with
 * literal arguments: strlen of a literal and memcmp of a known small size are
 * then folded into a few instructions instead of two library calls. */

/* True when s[0..n) starts with the NUL-terminated prefix p. */
static inline bool cdx_starts_with(const char *s, size_t n, const char *p) {
  size_t pn = strlen(p);
  return pn <= n && memcmp(s, p, pn) == 0;
}
/* First occurrence of needle in s[0..n), or NULL. */
static inline const char *cdx_memmem(const char *s, size_t n, const char *needle) {
  return cdx_memmem_n(s, n, needle, strlen(needle));
}
/* The three bytes at s as one integer, 0 when fewer than three are left.
 * Numerals and the other marks the stages look for are 3-byte characters:
 * comparing s's first character with CDX_C3("一") is one integer compare. */
static inline uint32_t cdx_char3(const char *s, size_t n) {
  const unsigned char *u = (const unsigned char *)s;
  return n >= 3 ? (uint32_t)u[0] << 16 | (uint32_t)u[1] << 8 | u[2] : 0;
}
#define CDX_C3(lit)                                                                   \
  ((uint32_t)(unsigned char)(lit)[0] << 16 | (uint32_t)(unsigned char)(lit)[1] << 8 | \
   (uint32_t)(unsigned char)(lit)[2])
/* Last occurrence of needle in s[0..n), or NULL. */
static inline const char *cdx_memrmem(const char *s, size_t n, const char *needle) {
  return cdx_memrmem_n(s, n, needle, strlen(needle));
}
/* Trims ASCII white space, U+3000 and U+00A0 at both ends. */
void cdx_trim(const char **s, size_t *n);

#endif
