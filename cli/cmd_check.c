/* clausedex check: verify checksums and structure of an index. */
#include "cli/cli.h"

static const cli_command spec = {
    "check",
    "[OPTIONS]",
    "Verifies every checksum and structural invariant of the last commit.\n",
    cli_index_options,
    "Exit status 0 when sound, 2 naming the first bad file otherwise.\n",
    0,
    0,
    0};

int cmd_check(int argc, char **argv) {
  cli_index_args a = {0};
  int n, status = cli_parse_index_args(&spec, argc, argv, &a, &n);
  if (status != CLI_GO_ON) return status;
  const char *dir = a.index;
  cdx_error err;
  if (cdx_index_check(dir, &err) != CDX_OK) return cli_fail_err(&err);
  if (a.json) {
    fputs("{\"type\":\"summary\",\"index\":", stdout);
    cli_json_cstr(stdout, dir);
    puts(",\"ok\":true}");
  } else {
    printf("%s: ok\n", dir);
  }
  return CLI_OK;
}
