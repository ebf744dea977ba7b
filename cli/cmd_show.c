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
    CLI_OPT_JSON(struct args,
                 "one JSON object per unit (type \"unit\", the keys of a search match)"),
    CLI_OPT_END,
};

static const cli_command spec = {
    "show",
    "[OPTIONS] DOC[#NUMBER]",
    "Prints a document, or one clause of it, in full with its metadata. DOC is a\n"
    "document id (its source path), its file name, its document number\n"
    "(乐政发〔2025〕4号, any bracket style; also one inferred from the documents\n"
    "citing it), or its short id (d + 8 hex digits); NUMBER is the clause\n"
    "number as written (（一）, 1.), its value in any spelling ((十), 十, 10,\n"
    "第十条), or a chapter and its clause (三（二）).\n"
    "A whole document also shows its policy family and other versions, the\n"
    "documents it is based on (根据《…》) and those citing it, and a 文号\n"
    "inferred from citing documents when it has none.\n",
    options,
    NULL,
    0,
    1,
    1};

int cmd_show(int argc, char **argv) {
  struct args a = {0};
  int nops, st = cli_parse(&spec, argc, argv, &a, &nops);
  if (st != CLI_GO_ON) return st;
  const char *ref = argv[1], *dir = a.index;
  bool json = cli_json_mode = a.json;
  size_t n = strlen(ref);
  char *doc = malloc(n + 1);
  if (!doc) return cli_fail("out of memory");
  memcpy(doc, ref, n + 1);
  char *hash = strrchr(doc, '#');
  const char *number = NULL;
  if (hash) {
    *hash = '\0';
    number = hash + 1;
    if (!*number) number = NULL;
  }
  cdx_error err;
  cdx_index *ix = NULL;
  if (cli_open_index(cli_search_index_dir(dir), &ix) != CLI_OK) {
    free(doc);
    return CLI_ERROR;
  }
  cdx_results *res = NULL;
  int status = CLI_OK;
  int rc = cdx_search_document(ix, doc, number, &res, &err);
  if (rc == CDX_NOTFOUND) {
    /* a 文号 the document lacks but its citing documents give it */
    cdx_links *l = NULL;
    cdx_error e2;
    const char *id =
        cdx_links_compute(ix, &l, &e2) == CDX_OK ? cdx_links_find_inferred(l, doc) : NULL;
    if (id) rc = cdx_search_document(ix, id, number, &res, &err);
    cdx_links_free(l);
  }
  if (rc != CDX_OK) {
    status = cli_fail_err(&err);
  } else {
    for (size_t i = 0; i < cdx_results_count(res) && status == CLI_OK; i++) {
      const cdx_hit *h = cdx_results_get(res, i);
      if (json) {
        char *js = NULL;
        size_t jl = 0;
        if (cdx_hit_to_json(h, &js, &jl, &err) != CDX_OK) status = cli_fail_err(&err);
        else cli_json_typed("unit", js, jl, NULL);
        cdx_free(js);
        continue;
      }
      if (i == 0) {
        cli_search_print_header(h, false);
        printf("id: %s\n", h->doc);
        if (h->date)
          printf("date: %04u-%02u-%02u\n", (unsigned)(h->date / 10000),
                 (unsigned)(h->date / 100 % 100), (unsigned)(h->date % 100));
        if (!number) status = cli_print_relations(ix, h->doc);
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
