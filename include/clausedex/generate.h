#ifndef CLAUSEDEX_GENERATE_H
#define CLAUSEDEX_GENERATE_H

#include <stddef.h>
#include <stdint.h>
#include "clausedex/errors.h"

#ifdef __cplusplus
extern "C" {
#endif

/*
 * A deterministic generator of synthetic policy documents, for the demo, the
 * tests and the benchmarks. Its vocabulary and templates are our own; its
 * places are the real GB/T 2260 divisions. It writes plain-text documents
 * shaped like the seed corpus (title, status line, notice wrapper with a
 * document number, preamble, chapters with a lead department, numbered
 * clauses with responsible units, a closing paragraph), one policy in 1–3
 * versions (征求意见稿 / 送审稿 drafts and the final text, each slightly
 * different) and in several editions (2023–2025), cascading down the
 * hierarchy: a county adapts its prefecture's policy of the same edition.
 * It is a library of its own, libclausedex_gen (gen/), not part of
 * libclausedex: the command, the tests and the benchmarks link it.
 *
 * Layout of OUT_DIR:
 *   manifest.jsonl        one JSON object per document (see below)
 *   PPPPPP/...txt         documents of province PPPPPP
 *   PPPPPP/CCCCCC/...txt  documents of prefecture CCCCCC, and so on down
 *
 * Manifest keys: file (relative to OUT_DIR), title, jurisdiction (6-digit
 * code), jurisdiction_name, status ("final", "送审稿", "征求意见稿"), edition,
 * date (YYYYMMDD, 0 for drafts), doc_number (or null), issuer (or null),
 * policy_key (equal for the versions of one policy and edition), clauses
 * (number of numbered clauses), layout ("notice": wrapped in the 关于印发
 * notice with number, signer and date; "web_page": the same inside a
 * government web page's header and footer; "news": the same after a news
 * site's lead paragraph and 原文如下; "plain": the policy alone, a
 * final signed and dated at its end), encoding ("utf-8" or "gb18030"),
 * script ("simplified" or "traditional"), crlf (true/false), bytes (file
 * size).
 * Title, doc_number and issuer are given as written in the document (so in
 * Traditional characters for a Traditional document), always as UTF-8.
 *
 * Same options (seed, size, jurisdictions, flags) -> byte-identical output,
 * on every machine (no floating-point library call decides a byte).
 *
 * Order: topic by topic (the flagship 推动经济高质量发展 first), edition by
 * edition, place by place in code order, until the size is reached. So a
 * small corpus is the flagship policy in every chosen place; 乐清市 and 鹿城区
 * (with 温州市 and 浙江省) are always among the places when 4 or more are
 * wanted. With too few places for the size, generation ends when every
 * policy of every place is written (the stats say how much that was).
 * Speed: about 1 GB in 20–40 s on one core, most of it file creation.
 */

/* Flags of cdx_generate_options. Variants are on by default, as real
 * corpora have them; a flag turns one off. */
#define CDX_GEN_NO_TRADITIONAL 0x1u /* no documents in Traditional characters */
#define CDX_GEN_NO_GB18030 0x2u     /* no documents encoded as GB18030 */
#define CDX_GEN_NO_CRLF 0x4u        /* no documents with CRLF line ends */
#define CDX_GEN_PLAIN (CDX_GEN_NO_TRADITIONAL | CDX_GEN_NO_GB18030 | CDX_GEN_NO_CRLF)
#define CDX_GEN_NO_MANIFEST 0x8u /* do not write manifest.jsonl */

/* Zero means default for every member. */
typedef struct cdx_generate_options {
  uint64_t seed;            /* any value; 0 is a seed like any other */
  uint64_t target_bytes;    /* total size of the documents, approximately
                                (the last document may overshoot it by one
                                document); 0 = 10 MB */
  unsigned n_jurisdictions; /* places that issue policies, counted with the
                                parents they bring (a county brings its city
                                and province); 0 = one per 256 KB, at least 4,
                                at most every division */
  unsigned flags;           /* CDX_GEN_* */
} cdx_generate_options;

typedef struct cdx_generate_stats {
  uint64_t documents;     /* files written */
  uint64_t bytes;         /* their total size */
  uint64_t policies;      /* distinct policy keys */
  uint64_t clauses;       /* numbered clauses, over all documents */
  unsigned jurisdictions; /* places with at least one document */
} cdx_generate_stats;

/* Writes a synthetic corpus into out_dir, which is created (with its parents)
 * when missing and must otherwise be empty (so that a rerun never mixes two corpora).
 * `opts` may be NULL (all defaults); `stats` may be NULL.
 * Errors: CDX_INVALID (out_dir not empty, or a bad option), CDX_IO (naming
 * the path), CDX_NOMEM, CDX_ICU. On failure, the files already written stay. */
CDX_API int cdx_generate_corpus(const char *out_dir, const cdx_generate_options *opts,
                                cdx_generate_stats *stats, cdx_error *err);

#ifdef __cplusplus
}
#endif
#endif
