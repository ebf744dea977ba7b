/*
 * gen_chartab: writes the BMP's character tables (tokenizer/tokenizer.h:
 * cdx_char_bmp, cdx_char_plain_cjk, cdx_char_cls_bmp and the expansions
 * cdx_char_exp_*) as C source.
 *
 * Run at build time so that a process builds no table at start: every
 * entry is ICU's answer through the same function the run time uses for the
 * pages beyond the BMP (cdx_char_compute_entry, tokenizer/charprops.c), so
 * the table and the lazy pages agree by construction, with the ICU the
 * build links.
 *
 * usage: gen_chartab OUTPUT.c
 */
#include <stdio.h>
#include <unicode/uclean.h>
#include <unicode/utf16.h>
#include "tokenizer/tokenizer.h"
#include "gen_out.h"

int main(int argc, char **argv) {
  if (argc != 2) {
    fprintf(stderr, "usage: gen_chartab OUTPUT.c\n");
    return 2;
  }
  cdx_error err;
  if (cdx_nfkc_load(&err) != CDX_OK) {
    fprintf(stderr, "gen_chartab: %s\n", err.message);
    return 1;
  }
  char tmp[4096];
  FILE *f = gen_out_open_icu(argv[1], tmp, sizeof tmp, "gen_chartab.c",
                             ". Do not edit. */\n"
                             "#include \"tokenizer/tokenizer.h\"\n\n"
                             "const uint32_t cdx_char_bmp[0x10000] = {\n");
  if (!f) return 1;
  static uint64_t plain[0x10000 / 64];
  for (uint32_t cp = 0; cp < 0x10000; cp++) {
    uint32_t e = cdx_char_compute_entry(cp);
    fprintf(f, "0x%x,%s", e, cp % 8 == 7 ? "\n" : "");
    if (e == CDX_CE_PLAIN_CJK(cp)) plain[cp >> 6] |= (uint64_t)1 << (cp & 63);
  }
  fprintf(f, "};\n\nconst uint64_t cdx_char_plain_cjk[0x10000 / 64] = {\n");
  for (size_t i = 0; i < sizeof plain / sizeof plain[0]; i++)
    fprintf(f, "0x%llxu,%s", (unsigned long long)plain[i], i % 4 == 3 ? "\n" : "");
  fprintf(f, "};\n\nconst uint8_t cdx_char_cls_bmp[0x10000] = {\n");
  for (uint32_t cp = 0; cp < 0x10000; cp++)
    fprintf(f, "%u,%s", cdx_char_class(cp), cp % 32 == 31 ? "\n" : "");
  /* The characters flagged CDX_CE_EXP, each normalised alone as
   * tokenizer/fold.c's normalize_segment would at run time. */
  static uint16_t exp_cp[0x10000];
  static uint32_t exp_off[0x10000 + 1], exp_data[0x10000 * 18];
  size_t n = 0, nd = 0;
  for (uint32_t cp = 0; cp < 0x10000; cp++) {
    if (!(cdx_char_compute_entry(cp) & CDX_CE_EXP)) continue;
    uint16_t in[1] = {(uint16_t)cp}, out[64];
    int32_t m = cdx_nfkc_cf(in, 1, out, 64, 0, &err);
    if (m < 0) {
      fprintf(stderr, "gen_chartab: U+%04X: %s\n", (unsigned)cp, err.message);
      return 1;
    }
    exp_cp[n] = (uint16_t)cp;
    exp_off[n++] = (uint32_t)nd;
    for (int32_t k = 0; k < m;) {
      UChar32 c;
      U16_NEXT(out, k, m, c);
      exp_data[nd++] = (uint32_t)c;
    }
  }
  exp_off[n] = (uint32_t)nd;
  if (nd > UINT16_MAX) { /* cdx_char_exp_off is uint16_t */
    fprintf(stderr, "gen_chartab: %zu expansion code points do not fit 16-bit offsets\n", nd);
    return 1;
  }
  fprintf(f, "};\n\nconst size_t cdx_char_n_exp = %zu;\n\nconst uint16_t cdx_char_exp_cp[] = {\n",
          n);
  for (size_t k = 0; k < n; k++) fprintf(f, "0x%x,%s", exp_cp[k], k % 8 == 7 ? "\n" : "");
  fprintf(f, "};\n\nconst uint16_t cdx_char_exp_off[] = {\n");
  for (size_t k = 0; k <= n; k++) fprintf(f, "%u,%s", exp_off[k], k % 16 == 15 ? "\n" : "");
  fprintf(f, "};\n\nconst uint32_t cdx_char_exp_data[] = {\n");
  for (size_t k = 0; k < nd; k++) fprintf(f, "0x%x,%s", exp_data[k], k % 8 == 7 ? "\n" : "");
  fprintf(f, "0};\n");
  u_cleanup();
  return gen_out_commit(f, tmp, argv[1]);
}
