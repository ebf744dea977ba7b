/* cdx_json_str (a run of plain bytes at a time) against the byte-at-a-time
 * writer it replaced, and cdx_buf_put_uint/int against printf. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "common/common.h"

/* The writer before runs (common/json.c at 1b9f2e6), as the oracle. */
static void json_str_bytewise(cdx_buf *b, const char *s, size_t n) {
  static const char hex[] = "0123456789abcdef";
  int rc = CDX_OK;
  cdx_buf_putc(&rc, b, '"');
  size_t i = 0;
  while (i < n) {
    unsigned char c = (unsigned char)s[i];
    if (c >= 0x80) {
      size_t start = i;
      if (cdx_utf8_decode(s, n, &i) < 0) {
        cdx_buf_puts(&rc, b, "\xef\xbf\xbd");
        i = start + 1;
      } else {
        cdx_buf_append(&rc, b, s + start, i - start);
      }
      continue;
    }
    i++;
    if (c == '"') cdx_buf_puts(&rc, b, "\\\"");
    else if (c == '\\') cdx_buf_puts(&rc, b, "\\\\");
    else if (c == '\n') cdx_buf_puts(&rc, b, "\\n");
    else if (c == '\r') cdx_buf_puts(&rc, b, "\\r");
    else if (c == '\t') cdx_buf_puts(&rc, b, "\\t");
    else if (c < 0x20) {
      char esc[6] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15]};
      cdx_buf_append(&rc, b, esc, 6);
    } else cdx_buf_putc(&rc, b, (char)c);
  }
  cdx_buf_putc(&rc, b, '"');
  cr_assert_eq(rc, CDX_OK);
}

static void same_as_bytewise(const char *s, size_t n) {
  cdx_buf got, want;
  cdx_buf_init(&got);
  cdx_buf_init(&want);
  int rc = CDX_OK;
  cdx_json_str(&rc, &got, s, n);
  cr_assert_eq(rc, CDX_OK);
  json_str_bytewise(&want, s, n);
  cr_assert_eq(got.len, want.len, "length %zu, want %zu", got.len, want.len);
  cr_assert(memcmp(got.data, want.data, got.len) == 0);
  cdx_buf_free(&got);
  cdx_buf_free(&want);
}

Test(json_out, fixed_strings) {
  static const char *const cases[] = {"",
                                      "a",
                                      "责任单位：市科技局",
                                      "\"",
                                      "\\",
                                      "a\"b\\c\nd\re\tf",
                                      "\x01\x1f x",
                                      "tail\x7f",
                                      "\xe4\xb8",
                                      "ok\xff\xfeok",
                                      "\xe4\xb8\xad\xe4",
                                      "中\n文\"引\""};
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
    same_as_bytewise(cases[i], strlen(cases[i]));
  cdx_buf b;
  cdx_buf_init(&b);
  int rc = CDX_OK;
  cdx_json_str(&rc, &b, "a\"\xff\n中", 7);
  cr_assert_eq(b.len, strlen("\"a\\\"\xef\xbf\xbd\\n中\""));
  cr_assert(memcmp(b.data, "\"a\\\"\xef\xbf\xbd\\n中\"", b.len) == 0);
  cdx_buf_free(&b);
}

Test(json_out, random_bytes_as_before) {
  /* mostly Chinese text and ASCII, with escapes and broken sequences */
  static const char *const pieces[] = {"中", "文", "a",        " ",    "\"",   "\\",
                                       "\n", "\t", "\x02",     "\xe4", "\xb8", "\xff",
                                       "（", "1",  "\xc3\xa9", "\x7f"};
  srand(21);
  char s[256];
  for (int round = 0; round < 5000; round++) {
    size_t n = 0, want = (size_t)rand() % 60;
    while (n < want) {
      const char *p = pieces[rand() % (int)(sizeof pieces / sizeof pieces[0])];
      size_t l = strlen(p);
      if (n + l >= sizeof s) break;
      memcpy(s + n, p, l);
      n += l;
    }
    same_as_bytewise(s, n);
  }
}

Test(json_out, decimal_digits_as_printf) {
  srand(22);
  for (int round = 0; round < 20000; round++) {
    uint64_t u = (uint64_t)rand() << 33 ^ (uint64_t)rand() << 11 ^ (uint64_t)rand();
    u >>= rand() % 64;
    int width = rand() % 6;
    int64_t v = (int64_t)u * (rand() % 2 ? 1 : -1);
    if (round == 0) u = 0, v = INT64_MIN;
    if (round == 1) u = UINT64_MAX, v = INT64_MAX;
    char want[64];
    snprintf(want, sizeof want, "%0*llu|%lld", width, (unsigned long long)u, (long long)v);
    cdx_buf b;
    cdx_buf_init(&b);
    int rc = CDX_OK;
    cdx_buf_put_uint(&rc, &b, u, width);
    cdx_buf_putc(&rc, &b, '|');
    cdx_buf_put_int(&rc, &b, v);
    cdx_buf_str(&rc, &b);
    cr_assert_eq(rc, CDX_OK);
    cr_assert_str_eq(b.data, want);
    cdx_buf_free(&b);
  }
}
