/* Metadata override options shared by the commands that read documents
 * (parse, index): --title, --jurisdiction, --status, --edition, --date,
 * --doc-number, --issuer, --family. Their values are checked by the library
 * (cdx_document_read_*), which names the option in its error. */
#ifndef CDX_CLI_META_FLAGS_H
#define CDX_CLI_META_FLAGS_H

#include <stdbool.h>
#include <stddef.h>
#include "clausedex.h"
#include "cli/opts.h"

/* Option table entries storing into the cdx_meta_overrides `member` of the
 * command's argument struct `type`. */
#define CLI_META_OPTION(type, member, field, name, arg, help) \
  { name, 0, CLI_OPT_STRING, offsetof(type, member.field), arg, help, NULL, NULL, 0 }
#define CLI_META_OPTIONS(type, member)                                                            \
  CLI_META_OPTION(type, member, title, "title", "T", "policy title"),                             \
      CLI_META_OPTION(type, member, jurisdiction, "jurisdiction", "J",                            \
                      "place name or GB/T 2260 code (乐清市, 330382)"),                           \
      CLI_META_OPTION(type, member, status, "status", "S", "送审稿, 征求意见稿, draft or final"), \
      CLI_META_OPTION(type, member, edition, "edition", "Y", "edition year (2025)"),              \
      CLI_META_OPTION(type, member, date, "date", "D", "issue date (2025-03-06)"),                \
      CLI_META_OPTION(type, member, doc_number, "doc-number", "N",                                \
                      "document number (乐政发〔2025〕4号)"),                                     \
      CLI_META_OPTION(type, member, issuer, "issuer", "I", "issuing body"),                       \
      CLI_META_OPTION(type, member, family, "family", "K",                                        \
                      "policy family key (as 'clausedex families' shows it)")

/* True when any of them was given. */
static inline bool cli_meta_given(const cdx_meta_overrides *ov) {
  return ov->title || ov->jurisdiction || ov->status || ov->edition || ov->date || ov->doc_number ||
         ov->issuer || ov->family;
}

#endif
