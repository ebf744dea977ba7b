/* Metadata override flags shared by the commands that read documents
 * (parse, index): --title, --jurisdiction, --status, --edition, --date,
 * --doc-number, --issuer, each followed by its value or as --flag=value. */
#ifndef CDX_CLI_META_FLAGS_H
#define CDX_CLI_META_FLAGS_H

#include <stdbool.h>
#include "clausedex.h"

/* If argv[*i] is one of the flags, stores its value in ov (borrowed from
 * argv), advances *i past the value and returns 1; returns 0 when it is not
 * a metadata flag, -1 (after printing an error) when its value is missing. */
int cli_meta_flag(int argc, char **argv, int *i, cdx_meta_overrides *ov);

/* The flag list for --help texts. */
extern const char cli_meta_flags_help[];

#endif
