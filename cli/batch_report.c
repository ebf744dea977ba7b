/* The change report that ends `index` and `delete` (clausedex/release.h):
 * the index as it was before the command against the index after it,
 * printed in the format asked and stored beside the commit for `log` and
 * `changes`. */
#include <string.h>
#include "cli/cli.h"

int cli_report_format(const char *s) {
  /* the option parser has checked the choices */
  return !s || strcmp(s, "text") == 0 ? CDX_REPORT_TEXT
         : strcmp(s, "md") == 0       ? CDX_REPORT_MD
                                      : CDX_REPORT_JSON;
}

cdx_index *cli_report_before(const char *dir) {
  cdx_index *ix = NULL;
  cdx_error err;
  /* no index yet (or one the writer will refuse with its own message):
   * the report then starts from nothing */
  if (cdx_index_open(dir, &ix, &err) != CDX_OK) ix = NULL;
  return ix;
}

int cli_report_after(const char *dir, cdx_index *before, int fmt, unsigned threads) {
  cdx_error err;
  cdx_index *after = NULL;
  int rc = cdx_index_open(dir, &after, &err);
  cdx_report *r = NULL;
  if (rc == CDX_OK) rc = cdx_report_compute_threads(before, after, threads, &r, &err);
  cdx_index_commit cb = {0}, ca = {0};
  if (before) cdx_index_get_commit(before, &cb);
  if (after) cdx_index_get_commit(after, &ca);
  cdx_index_close(after);
  cdx_index_close(before);
  if (rc != CDX_OK) {
    cli_fail("committed, but the change report failed: %s", err.message);
    return CLI_ERROR;
  }
  /* a batch that committed nothing has no report of its own to keep */
  if (ca.batch != cb.batch && !cdx_report_empty(r) && cdx_report_store(dir, r, &err) != CDX_OK) {
    cdx_report_free(r);
    cli_fail("committed, but the change report was not stored: %s", err.message);
    return CLI_ERROR;
  }
  const char *const *amb;
  size_t na = cdx_report_ambiguous(r, &amb);
  /* A corpus whose titles carry places but whose documents mostly do not
   * (332,881 poems) places thousands alone: name the first few, count the
   * rest, and leave the list to the stored report. */
  enum { MAX_NAMED = 20 };
  for (size_t i = 0; i < na && i < MAX_NAMED; i++)
    fprintf(stderr,
            "clausedex: %s: warning: two policy families fit (no jurisdiction); placed in "
            "a family of its own (set family: in its .meta sidecar)\n",
            amb[i]);
  if (na > MAX_NAMED)
    fprintf(stderr,
            "clausedex: warning: %zu more documents placed in a family of their own (two "
            "policy families fit), listed in the change report\n",
            na - MAX_NAMED);
  if (fmt == CLI_REPORT_NONE) {
    cdx_report_free(r);
    return CLI_OK;
  }
  char *text;
  size_t len;
  rc = cdx_report_render(r, (cdx_report_format)fmt, &text, &len, &err);
  cdx_report_free(r);
  if (rc != CDX_OK) return cli_fail_err(&err);
  fwrite(text, 1, len, stdout);
  if (len && text[len - 1] != '\n') putchar('\n');
  cdx_free(text);
  return CLI_OK;
}
