/* clausedex generate: writes a synthetic policy corpus (see clausedex/generate.h). */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "cli/cli.h"

static const char usage[] =
    "usage: clausedex generate [--seed N] [--size SIZE] [--jurisdictions N]\n"
    "                          [--plain] [--no-manifest] OUT_DIR\n\n"
    "Writes a deterministic synthetic corpus of policy documents into OUT_DIR\n"
    "(created when missing, refused when not empty): one .txt file per\n"
    "document in PROVINCE/PREFECTURE/COUNTY code directories, and\n"
    "manifest.jsonl describing each. Same options, same bytes.\n\n"
    "Options:\n"
    "  --seed N           random seed (default 0)\n"
    "  --size SIZE        total size: 500K, 100M, 1G, or bytes (default 10M)\n"
    "  --jurisdictions N  places that issue policies (default: scaled with size)\n"
    "  --plain            UTF-8, Simplified, LF only (no Traditional, GB18030\n"
    "                     or CRLF documents)\n"
    "  --no-traditional, --no-gb18030, --no-crlf   turn off one variant\n"
    "  --no-manifest      do not write manifest.jsonl\n";

static bool parse_u64(const char *s, uint64_t *out) {
  if (!*s || *s == '-') return false;
  char *end;
  errno = 0;
  unsigned long long v = strtoull(s, &end, 10);
  if (errno || *end) return false;
  *out = v;
  return true;
}

int cmd_generate(int argc, char **argv) {
  cdx_generate_options o = {0};
  const char *out_dir = NULL;
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i];
    uint64_t v;
    if (cli_is_help(a)) {
      fputs(usage, stdout);
      return CLI_OK;
    } else if (strcmp(a, "--seed") == 0 && i + 1 < argc) {
      if (!parse_u64(argv[++i], &o.seed)) return cli_fail("generate: bad --seed '%s'", argv[i]);
    } else if (strcmp(a, "--size") == 0 && i + 1 < argc) {
      if (!cli_parse_size(argv[++i], &o.target_bytes))
        return cli_fail("generate: bad --size '%s' (examples: 500K, 100M, 1G)", argv[i]);
    } else if (strcmp(a, "--jurisdictions") == 0 && i + 1 < argc) {
      if (!parse_u64(argv[++i], &v) || v == 0 || v > 100000)
        return cli_fail("generate: bad --jurisdictions '%s'", argv[i]);
      o.n_jurisdictions = (unsigned)v;
    } else if (strcmp(a, "--plain") == 0) {
      o.flags |= CDX_GEN_PLAIN;
    } else if (strcmp(a, "--no-traditional") == 0) {
      o.flags |= CDX_GEN_NO_TRADITIONAL;
    } else if (strcmp(a, "--no-gb18030") == 0) {
      o.flags |= CDX_GEN_NO_GB18030;
    } else if (strcmp(a, "--no-crlf") == 0) {
      o.flags |= CDX_GEN_NO_CRLF;
    } else if (strcmp(a, "--no-manifest") == 0) {
      o.flags |= CDX_GEN_NO_MANIFEST;
    } else if (a[0] == '-' && a[1]) {
      cli_fail("generate: unknown option '%s'", a);
      fputs(usage, stderr);
      return CLI_ERROR;
    } else if (!out_dir) {
      out_dir = a;
    } else {
      return cli_fail("generate: more than one OUT_DIR");
    }
  }
  if (!out_dir) {
    fputs(usage, stderr);
    return CLI_ERROR;
  }
  struct timespec t0, t1;
  clock_gettime(CLOCK_MONOTONIC, &t0);
  cdx_generate_stats st;
  cdx_error err;
  if (cdx_generate_corpus(out_dir, &o, &st, &err) != CDX_OK) return cli_fail_err(&err);
  clock_gettime(CLOCK_MONOTONIC, &t1);
  double secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
  printf("generated %" PRIu64 " documents (%" PRIu64 " policies, %u jurisdictions, %" PRIu64
         " clauses), %.1f MB in %.2f s (%.1f MB/s) into %s\n",
         st.documents, st.policies, st.jurisdictions, st.clauses, (double)st.bytes / 1048576.0,
         secs, secs > 0 ? (double)st.bytes / 1048576.0 / secs : 0.0, out_dir);
  return CLI_OK;
}
