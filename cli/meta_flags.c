/* Parsing of the metadata override flags; values are checked by the library
 * (cdx_document_read_*), which names the flag in its error. */
#include <string.h>
#include "cli/cli.h"
#include "cli/meta_flags.h"

const char cli_meta_flags_help[] =
    "  --title T          policy title\n"
    "  --jurisdiction J   place name or GB/T 2260 code (乐清市, 330382)\n"
    "  --status S         送审稿, 征求意见稿, draft or final\n"
    "  --edition Y        edition year (2025)\n"
    "  --date D           issue date (2025-03-06)\n"
    "  --doc-number N     document number (乐政发〔2025〕4号)\n"
    "  --issuer I         issuing body\n"
    "  --family K         policy family key (as `clausedex families` shows it)\n";

int cli_meta_flag(int argc, char **argv, int *i, cdx_meta_overrides *ov) {
  static const struct { const char *flag; size_t off; } flags[] = {
      {"--title", offsetof(cdx_meta_overrides, title)},
      {"--jurisdiction", offsetof(cdx_meta_overrides, jurisdiction)},
      {"--status", offsetof(cdx_meta_overrides, status)},
      {"--edition", offsetof(cdx_meta_overrides, edition)},
      {"--date", offsetof(cdx_meta_overrides, date)},
      {"--doc-number", offsetof(cdx_meta_overrides, doc_number)},
      {"--issuer", offsetof(cdx_meta_overrides, issuer)},
      {"--family", offsetof(cdx_meta_overrides, family)}};
  const char *arg = argv[*i];
  for (size_t k = 0; k < sizeof flags / sizeof flags[0]; k++) {
    size_t n = strlen(flags[k].flag);
    if (strncmp(arg, flags[k].flag, n) != 0) continue;
    const char **slot = (const char **)((char *)ov + flags[k].off);
    if (arg[n] == '=') {
      *slot = arg + n + 1;
      return 1;
    }
    if (arg[n] != '\0') continue;
    if (*i + 1 >= argc) {
      cli_fail("%s needs a value", flags[k].flag);
      return -1;
    }
    *slot = argv[++*i];
    return 1;
  }
  return 0;
}
