/* JSON written by the command itself (docs/JSON.md): string literals, the
 * records the library does not make (summaries, errors), and a library
 * object given a "type" as its first key. */
#include <string.h>
#include "cli/cli.h"

bool cli_json_mode;

void cli_json_str(FILE *f, const char *s, size_t n) {
  fputc('"', f);
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)s[i];
    if (c == '"' || c == '\\') fprintf(f, "\\%c", c);
    else if (c == '\n') fputs("\\n", f);
    else if (c == '\t') fputs("\\t", f);
    else if (c < 0x20) fprintf(f, "\\u%04x", c);
    else fputc(c, f);
  }
  fputc('"', f);
}

void cli_json_cstr(FILE *f, const char *s) {
  if (s) cli_json_str(f, s, strlen(s));
  else fputs("null", f);
}

void cli_json_typed(const char *type, const char *obj, size_t len, const char *more) {
  printf("{\"type\":\"%s\"", type);
  if (len > 2) putchar(',');
  fwrite(obj + 1, 1, len - 2, stdout); /* without its braces */
  if (more) fputs(more, stdout);
  fputs("}\n", stdout);
}

int cli_json_line(int rc, char *js, size_t len, const cdx_error *err) {
  if (rc != CDX_OK) return cli_fail_err(err);
  fwrite(js, 1, len, stdout);
  putchar('\n');
  cdx_free(js);
  return CLI_OK;
}
