/*
 * gen_t2s: writes the Traditional -> Simplified character table as C source.
 *
 * Run once at build time so that the library never opens ICU's
 * "Traditional-Simplified" transliterator (~23 ms to open, 8-10 MB/s). Every
 * code point of the CJK ranges goes through the transliterator on its own;
 * the ones that become a different single code point are kept. Phrase rules
 * are dropped on purpose: bigram search needs a per-character fold that is
 * the same wherever the character stands.
 *
 * usage: gen_t2s OUTPUT.c
 */
#include <stdio.h>
#include <stdlib.h>
#include <unicode/uclean.h>
#include <unicode/utrans.h>
#include <unicode/utf16.h>
#include "gen_out.h"

static const UChar32 ranges[][2] = {
    {0x3400, 0x9FFF},   /* Extension A and the unified ideographs */
    {0xF900, 0xFAFF},   /* compatibility ideographs */
    {0x20000, 0x2FA1F}, /* Extensions B-F and the supplement */
    {0x30000, 0x3134F}, /* Extension G */
};

int main(int argc, char **argv) {
  if (argc != 2) {
    fprintf(stderr, "usage: gen_t2s OUTPUT.c\n");
    return 2;
  }
  UErrorCode st = U_ZERO_ERROR;
  UChar id[] = u"Traditional-Simplified";
  UTransliterator *t = utrans_openU(id, -1, UTRANS_FORWARD, NULL, 0, NULL, &st);
  if (U_FAILURE(st)) {
    fprintf(stderr, "gen_t2s: utrans_openU: %s\n", u_errorName(st));
    return 1;
  }
  char tmp[4096];
  FILE *f = gen_out_open_icu(argv[1], tmp, sizeof tmp, "gen_t2s.c",
                             " \"Traditional-Simplified\",\n"
                             " * one character at a time. Do not edit. */\n"
                             "#include \"lexicon/t2s.h\"\n\n"
                             "const uint32_t cdx_t2s_pairs[][2] = {\n");
  if (!f) return 1;
  size_t n = 0;
  for (size_t r = 0; r < sizeof ranges / sizeof ranges[0]; r++) {
    for (UChar32 c = ranges[r][0]; c <= ranges[r][1]; c++) {
      UChar buf[32];
      int32_t len = 0;
      U16_APPEND_UNSAFE(buf, len, c);
      int32_t limit = len;
      st = U_ZERO_ERROR;
      utrans_transUChars(t, buf, &len, (int32_t)(sizeof buf / sizeof buf[0]), 0, &limit, &st);
      if (U_FAILURE(st)) {
        fprintf(stderr, "gen_t2s: U+%04X: %s\n", (unsigned)c, u_errorName(st));
        return 1;
      }
      UChar32 out;
      int32_t i = 0;
      U16_NEXT(buf, i, len, out);
      if (i != len || out == c) continue; /* unchanged, or not one character */
      fprintf(f, "  {0x%05X, 0x%05X},\n", (unsigned)c, (unsigned)out);
      n++;
    }
  }
  fprintf(f, "};\n\nconst size_t cdx_t2s_count = %zu;\n", n);
  utrans_close(t);
  u_cleanup();
  return gen_out_commit(f, tmp, argv[1]);
}
