/* The column description (indexer/columns.h) against docs/FORMAT.md's
 * UCOLS and DCOLS tables, and its encoder against its decoder. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "indexer/ix_internal.h"
#include "support/test_support.h"

/* Compares the code block after the heading "### NAME (W bytes per ...)"
 * line by line with desc: "offset type name description". */
static void check_table(const char *doc, const char *name, const cdx_col_desc *desc, size_t n,
                        size_t row_bytes) {
  char head[64];
  snprintf(head, sizeof head, "### %s (%zu bytes per ", name, row_bytes);
  const char *p = strstr(doc, head);
  cr_assert(p, "docs/FORMAT.md has no heading '%s' (row width changed?)", head);
  p = strstr(p, "```\n");
  cr_assert(p, "no code block after %s", head);
  p += 4;
  for (size_t i = 0; i < n; i++) {
    const char *eol = strchr(p, '\n');
    cr_assert(eol);
    char line[256];
    size_t len = (size_t)(eol - p) < sizeof line - 1 ? (size_t)(eol - p) : sizeof line - 1;
    memcpy(line, p, len);
    line[len] = 0;
    size_t off;
    char type[8], field[64];
    int used = 0;
    cr_assert_eq(sscanf(line, " %zu %7s %63s %n", &off, type, field, &used), 3,
                 "%s line %zu: '%s' is not 'offset type name text'", name, i, line);
    cr_expect_str_eq(field, desc[i].name, "%s field %zu", name, i);
    cr_expect_str_eq(type, desc[i].type, "%s.%s type", name, desc[i].name);
    cr_expect_eq(off, desc[i].offset, "%s.%s offset: docs %zu, code %zu", name, desc[i].name, off,
                 desc[i].offset);
    cr_expect_str_eq(line + used, desc[i].text, "%s.%s text", name, desc[i].name);
    p = eol + 1;
  }
  cr_expect(strncmp(p, "```", 3) == 0, "%s: docs/FORMAT.md lists more fields than the code", name);
}

Test(columns, format_md_tables_follow_the_description) {
  size_t len;
  char *doc = cdx_test_read(CDX_SOURCE_DIR "/docs/FORMAT.md", &len);
  check_table(doc, "UCOLS", cdx_ucol_desc, cdx_ucol_count, CDX_UCOL_BYTES);
  check_table(doc, "DCOLS", cdx_dcol_desc, cdx_dcol_count, CDX_DCOL_BYTES);
  free(doc);
}

/* The per-unit fields (CDX_UVAR_LIST) against the table under
 * "### UVARS and NAMES": "name description" per line, in list order. */
Test(columns, format_md_uvars_follow_the_description) {
  size_t len;
  char *doc = cdx_test_read(CDX_SOURCE_DIR "/docs/FORMAT.md", &len);
  const char *p = strstr(doc, "### UVARS and NAMES");
  cr_assert(p, "docs/FORMAT.md has no heading '### UVARS and NAMES'");
  p = strstr(p, "```\n");
  cr_assert(p);
  p += 4;
  for (size_t i = 0; i < CDX_UVAR_COUNT; i++) {
    const char *eol = strchr(p, '\n');
    cr_assert(eol);
    char name[64];
    int used = 0;
    cr_assert_eq(sscanf(p, "%63s %n", name, &used), 1);
    cr_expect_str_eq(name, cdx_uvar_descs[i].name, "field %zu", i);
    cr_expect_eq((size_t)(eol - p - used), strlen(cdx_uvar_descs[i].text), "%s text", name);
    cr_expect(strncmp(p + used, cdx_uvar_descs[i].text, (size_t)(eol - p - used)) == 0,
              "%s: docs '%.*s', code '%s'", name, (int)(eol - p - used), p + used,
              cdx_uvar_descs[i].text);
    p = eol + 1;
  }
  cr_expect(strncmp(p, "```", 3) == 0, "docs/FORMAT.md lists more per-unit fields than the code");
  free(doc);
}

/* Packed: each field starts where the previous ends, the last ends the row. */
static void check_packed(const cdx_col_desc *d, size_t n, size_t row_bytes) {
  size_t at = 0;
  for (size_t i = 0; i < n; i++) {
    cr_expect_eq(d[i].offset, at, "%s starts at %zu, not %zu", d[i].name, d[i].offset, at);
    at = d[i].offset + d[i].width;
  }
  cr_expect_eq(at, row_bytes);
}

Test(columns, rows_are_packed) {
  check_packed(cdx_ucol_desc, cdx_ucol_count, CDX_UCOL_BYTES);
  check_packed(cdx_dcol_desc, cdx_dcol_count, CDX_DCOL_BYTES);
}

Test(columns, encode_then_decode_gives_the_fields_back) {
  cdx_ucol u = {.doc = 0x01020304u,
                .length = 7,
                .ordinal = 65536,
                .number_value = -5,
                .chapter = 0xfffe,
                .kind = CDX_UNIT_CLOSING};
  uint8_t row[CDX_UCOL_BYTES];
  memset(row, 0xaa, sizeof row);
  cdx_ucol_encode(row, &u);
  /* little-endian at the documented offsets */
  cr_expect_eq(row[0], 0x04);
  cr_expect_eq(row[3], 0x01);
  cr_expect_eq(cdx_get_u32le(row + 12), 0xfffffffbu);
  cr_expect_eq(row[16], 0xfe);
  cr_expect_eq(row[19], 0);
  cdx_ucol back;
  cdx_ucol_decode(row, &back);
  cr_expect(memcmp(&u, &back, sizeof u) == 0);
  cr_expect_eq(CDX_UCOL_GET(row, number_value), 0xfffffffbu);
  cr_expect(cdx_ucol_in_range(&back));
  back.kind = CDX_UNIT_CLOSING + 1;
  cr_expect(!cdx_ucol_in_range(&back));

  cdx_dcol d = {.jurisdiction_code = 330382,
                .date = 20250306,
                .first_unit = 9,
                .n_units = 3,
                .edition = 2025,
                .status = CDX_STATUS_DRAFT_FOR_COMMENT,
                .status_class = CDX_CLASS_DRAFT,
                .source_bytes = 0x0102030405060708ull};
  uint8_t drow[CDX_DCOL_BYTES];
  cdx_dcol_encode(drow, &d);
  cr_expect_eq(cdx_get_u64le(drow + 24), 0x0102030405060708ull);
  cdx_dcol dback;
  cdx_dcol_decode(drow, &dback);
  cr_expect(memcmp(&d, &dback, sizeof d) == 0);
  cr_expect_eq(CDX_DCOL_GET(drow, edition), 2025);
  cr_expect(cdx_dcol_in_range(&dback));
  dback.status_class = CDX_CLASS_DRAFT + 1;
  cr_expect(!cdx_dcol_in_range(&dback));
}
