/* families.h - policy identity as text: family keys, document numbers and
 * clause references in their citation spellings, cited bases.
 *
 * Interface to code in families/famkey.c, families/docnum.c and
 * families/cite.c. Every function is a pure function of its strings; the
 * grouping over an index is in indexer/index_open.c, the links over it in
 * release/links.c. */
#ifndef CDX_FAMILIES_H
#define CDX_FAMILIES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "clausedex/document.h"

/* ---- famkey.c ---- */

/* The family key of a document from its policy key ("330382:推动经济高质量发展
 * 若干政策:2025", docs/CORPUS.md): "330382:推动经济高质量发展若干政策", the
 * edition dropped and the stem's edition words too (进一步, 20xx年, 20xx年度,
 * 修订). NULL for a document without a title (policy key "" or NULL): it is
 * a family of its own. Owned by the caller (free); NULL also on OOM, which
 * *nomem tells apart (may be NULL). */
char *cdx_fam_key_from_policy(const char *policy_key, bool *nomem);

/* A document's family key: its explicit family (sidecar, --family) when
 * set, else cdx_fam_key_from_policy of its policy key. Owned by the caller
 * (free); NULL for an untitled document, or on OOM (*nomem, may be NULL). */
char *cdx_fam_doc_key(const char *family, const char *policy_key, bool *nomem);

/* The family stem of a title stem (the part of the key after the code), in
 * place: edition words removed. */
void cdx_fam_strip_stem(char *stem);

/* The jurisdiction code of a family or policy key (its leading digits). */
uint32_t cdx_fam_key_code(const char *key);
/* The stem part of a family key: after the first ':' (the key itself when
 * it has none, as an explicit family named in a sidecar may). */
const char *cdx_fam_key_stem(const char *key);

/* Stage order within an edition: 征求意见稿 0 < 送审稿 1 < final 2. */
int cdx_fam_stage(cdx_doc_status s);

/* ---- docnum.c ---- */

/* A document number in one spelling: folded (width, script), year brackets
 * 〔〕［］【】()[]〖〗﹝﹞（） all as [], white space dropped, so
 * 温政发〔2025〕2号, 温政发[2025]2号, 温政发（2025）2号 and 温政发〔２０２５〕2号
 * are one key. Owned by the caller (free); NULL when it cannot be folded or
 * on OOM. */
char *cdx_fam_number_key(const char *number);

/* The year of a document number (the 4 digits in its brackets), 0 if none. */
int cdx_fam_number_year(const char *number);

/* A clause reference as people cite it: （十）, (十), 十, 10, 第十条, 10.,
 * optionally after a chapter "三（二）" / "三、（二）" / "三.2". Sets
 * *chapter (0 when not given) and *number (> 0) and returns true; false
 * when s is not a clause reference. */
bool cdx_fam_clause_ref(const char *s, int *chapter, int *number);

/* The short stable id of a document id: "d" and the low 32 bits of
 * cdx_hash64 of the id in 8 hex digits (clausedex/release.h). out holds 10
 * bytes. */
void cdx_fam_short_id(const char *doc_id, char out[10]);

/* ---- cite.c ---- */

/* One cited basis: the title inside 《》 and the document number that
 * follows it in brackets (or NULL). Both point into the caller's buffer
 * (cdx_fam_cites_parse) or are owned by the scan result. */
typedef struct cdx_fam_cite {
  const char *title;
  const char *number;
} cdx_fam_cite;

/* The bases a text cites: every 《title》 (with an optional （文号） right
 * after it) in a sentence that starts its clause with 根据, 依据, 按照 or
 * 贯彻落实, up to max_cites. Returns the serialized form (below), owned by
 * the caller (free), "" when there are none; NULL on OOM. */
#define CDX_FAM_MAX_CITES 32
char *cdx_fam_cites_scan(const char *text, size_t len);

/* The serialized form, as DOCS stores it: per citation the title, 0x1F, the
 * number (may be empty), 0x1E. cdx_fam_cites_parse splits a copy in place:
 * s is modified; up to max citations are written to out; returns their
 * number. */
size_t cdx_fam_cites_parse(char *s, cdx_fam_cite *out, size_t max);

/* What a cited title says of the document it names: the jurisdiction
 * (gazetteer code of the first place it names, 0 when none), the edition
 * (a year in （2025年版）/2025版, else the year of the number, else 0) and
 * the issuer (the part before 关于 or 印发 when it names a body ending
 * 人民政府, 办公室, 办公厅 or 局; *issuer_len 0 when none). */
uint32_t cdx_fam_cite_place(const char *title);
int cdx_fam_cite_edition(const char *title, const char *number);
const char *cdx_fam_cite_issuer(const char *title, size_t *issuer_len);

/* a and b (b of b_len bytes) the same text once Traditional characters
 * and widths are folded. */
bool cdx_fam_same_text(const char *a, const char *b, size_t b_len);

#endif
