/* clausedex generate: writes a synthetic policy corpus (see clausedex/generate.h). */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "cli/cli.h"

struct args {
  uint64_t seed, size;
  size_t jurisdictions;
  unsigned flags;
  bool json;
};

#define GEN_FLAG(name, bit, help) \
  { name, 0, CLI_OPT_BITS, offsetof(struct args, flags), NULL, help, NULL, NULL, bit }

static const cli_option options[] = {
    {"seed", 0, CLI_OPT_U64, offsetof(struct args, seed), "N", "random seed (default 0)", NULL,
     NULL, 0},
    {"size", 0, CLI_OPT_SIZE, offsetof(struct args, size), "SIZE",
     "total size: 500K, 100M, 1G, or bytes (default 10M)", NULL, NULL, 0},
    {"jurisdictions", 0, CLI_OPT_POSITIVE, offsetof(struct args, jurisdictions), "N",
     "places that issue policies (default: scaled with size)", NULL, NULL, 100000},
    GEN_FLAG("plain", CDX_GEN_PLAIN,
             "UTF-8, Simplified, LF only (no Traditional, GB18030\nor CRLF documents)"),
    GEN_FLAG("no-traditional", CDX_GEN_NO_TRADITIONAL, "no Traditional documents"),
    GEN_FLAG("no-gb18030", CDX_GEN_NO_GB18030, "no GB18030 documents"),
    GEN_FLAG("no-crlf", CDX_GEN_NO_CRLF, "no CRLF documents"),
    GEN_FLAG("no-manifest", CDX_GEN_NO_MANIFEST, "do not write manifest.jsonl"),
    CLI_OPT_JSON(struct args, "a summary record, or an error record (docs/JSON.md)"),
    CLI_OPT_END,
};

static const cli_command spec = {
    "generate",
    "[OPTIONS] OUT_DIR",
    "Writes a deterministic synthetic corpus of policy documents into OUT_DIR\n"
    "(created when missing, refused when not empty): one .txt file per\n"
    "document in PROVINCE/PREFECTURE/COUNTY code directories, and\n"
    "manifest.jsonl describing each. Same options, same bytes.\n",
    options,
    NULL,
    0,
    1,
    1};

int cmd_generate(int argc, char **argv) {
  struct args a = {0};
  int n, status = cli_parse(&spec, argc, argv, &a, &n);
  if (status != CLI_GO_ON) return status;
  cdx_generate_options o = {.seed = a.seed,
                            .target_bytes = a.size,
                            .n_jurisdictions = (unsigned)a.jurisdictions,
                            .flags = a.flags};
  const char *out_dir = argv[1];
  cli_json_mode = a.json;
  struct timespec t0, t1;
  clock_gettime(CLOCK_MONOTONIC, &t0);
  cdx_generate_stats st;
  cdx_error err;
  if (cdx_generate_corpus(out_dir, &o, &st, &err) != CDX_OK) return cli_fail_err(&err);
  clock_gettime(CLOCK_MONOTONIC, &t1);
  double secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
  double mb = (double)st.bytes / 1048576.0;
  if (a.json) {
    printf("{\"type\":\"summary\",\"documents\":%" PRIu64 ",\"policies\":%" PRIu64
           ",\"jurisdictions\":%u,"
           "\"clauses\":%" PRIu64 ",\"bytes\":%" PRIu64 ",\"elapsed_s\":%.3f,\"dir\":",
           st.documents, st.policies, st.jurisdictions, st.clauses, st.bytes, secs);
    cli_json_cstr(stdout, out_dir);
    puts("}");
    return CLI_OK;
  }
  printf("generated %" PRIu64 " documents (%" PRIu64 " policies, %u jurisdictions, %" PRIu64
         " clauses), %.1f MB in %.2f s (%.1f MB/s) into %s\n",
         st.documents, st.policies, st.jurisdictions, st.clauses, mb, secs,
         secs > 0 ? mb / secs : 0.0, out_dir);
  return CLI_OK;
}
