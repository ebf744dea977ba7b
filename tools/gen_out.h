/* gen_out.h - how the build-time generators (tools/gen_*.c) write their C
 * file: into OUT.tmp, renamed over OUT only when complete, so an
 * interrupted build never leaves a truncated table that looks done. */
#ifndef CDX_TOOLS_GEN_OUT_H
#define CDX_TOOLS_GEN_OUT_H

#include <stdio.h>
#include <unicode/uversion.h>

/* The ICU version the table came from, for its header comment. */
static inline void gen_icu_version(char out[U_MAX_VERSION_STRING_LENGTH]) {
  UVersionInfo v;
  u_getVersion(v);
  u_versionToString(v, out);
}

/* Opens out's temporary (its name into tmp); NULL after perror. */
static inline FILE *gen_out_open(const char *out, char *tmp, size_t cap) {
  snprintf(tmp, cap, "%s.tmp", out);
  FILE *f = fopen(tmp, "w");
  if (!f) perror(tmp);
  return f;
}

/* Closes f and renames tmp to out: 0, or 1 after perror. */
static inline int gen_out_commit(FILE *f, const char *tmp, const char *out) {
  if (fclose(f) != 0 || rename(tmp, out) != 0) {
    perror(out);
    return 1;
  }
  return 0;
}

#endif
