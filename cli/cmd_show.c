/* clausedex show: one document, or one clause of it, in full. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli/cli.h"

struct args {
  const char *index;
  bool json;
};

static const cli_option options[] = {
    CLI_OPT_INDEX(struct args),
    CLI_OPT_JSON(struct args, "one JSON object per unit (keys as in clausedex search --json)"),
    CLI_OPT_END,
};

static const cli_command spec = {
    "show", "[OPTIONS] DOC[#NUMBER]",
    "Prints a document, or one clause of it, in full with its metadata. DOC is a\n"
    "document id (its source path), its file name, or its document number\n"
    "(乐政发〔2025〕4号); NUMBER is the clause number as written (（一）, 1.) or\n"
    "its value (1).\n",
    options, NULL, 0, 1, 1};

int cmd_show(int argc, char **argv) {
  struct args a = {0};
  int nops, st = cli_parse(&spec, argc, argv, &a, &nops);
  if (st != CLI_GO_ON) return st;
  const char *ref = argv[1], *dir = a.index;
  bool json = a.json;
  size_t n = strlen(ref);
  char *doc = malloc(n + 1);
  if (!doc) return cli_fail("out of memory");
  memcpy(doc, ref, n + 1);
  char *hash = strrchr(doc, '#');
  const char *number = NULL;
  if (hash) { *hash = '\0'; number = hash + 1; if (!*number) number = NULL; }
  cdx_error err;
  cdx_index *ix = NULL;
  if (cli_open_index(cli_search_index_dir(dir), &ix) != CLI_OK) { free(doc); return CLI_ERROR; }
  cdx_results *res = NULL;
  int status = CLI_OK;
  if (cdx_search_document(ix, doc, number, &res, &err) != CDX_OK) {
    status = cli_fail_err(&err);
  } else {
    for (size_t i = 0; i < cdx_results_count(res) && status == CLI_OK; i++) {
      const cdx_hit *h = cdx_results_get(res, i);
      if (json) {
        char *js = NULL;
        size_t jl = 0;
        if (cdx_hit_to_json(h, &js, &jl, &err) != CDX_OK) status = cli_fail_err(&err);
        else { fwrite(js, 1, jl, stdout); putchar('\n'); }
        cdx_free(js);
        continue;
      }
      if (i == 0) {
        cli_search_print_header(h, false);
        printf("id: %s\n", h->doc);
        if (h->date) printf("date: %04u-%02u-%02u\n", (unsigned)(h->date / 10000), (unsigned)(h->date / 100 % 100),
                            (unsigned)(h->date % 100));
        putchar('\n');
      }
      fwrite(h->text, 1, h->text_len, stdout);
      fputs("\n\n", stdout);
    }
  }
  cdx_results_free(res);
  cdx_index_close(ix);
  free(doc);
  return status;
}
