/* clausedex analyze: prints the search terms of a text, one per line. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli/cli.h"

struct args {
  unsigned flags;
  bool json;
};

static const cli_option options[] = {
    {"unigrams", 0, CLI_OPT_BITS, offsetof(struct args, flags), NULL,
     "also print a unigram for every CJK character of a run", NULL, NULL, CDX_ANALYZE_UNIGRAMS},
    CLI_OPT_JSON(struct args, "one JSON object per term: type \"token\", term, pos, start, "
                              "end,\nand its term type as \"token_type\""),
    CLI_OPT_END,
};

static const cli_command spec = {
    "analyze",
    "[OPTIONS] TEXT   (TEXT - reads stdin)",
    "Prints the search terms of TEXT, one per line:\n"
    "  term<TAB>position<TAB>start<TAB>end<TAB>type\n"
    "start/end are byte offsets into TEXT; type is cjk_bigram, cjk_unigram, word\n"
    "or number. A TEXT that starts with '-' goes after '--'.\n",
    options,
    NULL,
    0,
    1,
    1};

struct out {
  FILE *f;
  bool json;
};

static int print_token(void *ctx, const cdx_token *t) {
  struct out *o = ctx;
  if (o->json) {
    fputs("{\"type\":\"token\",\"term\":", o->f);
    cli_json_str(o->f, t->term, t->term_len);
    fprintf(o->f, ",\"pos\":%u,\"start\":%zu,\"end\":%zu,\"token_type\":\"%s\"}\n",
            (unsigned)t->pos, t->start, t->end, cdx_token_type_name(t->type));
  } else {
    fwrite(t->term, 1, t->term_len, o->f);
    fprintf(o->f, "\t%u\t%zu\t%zu\t%s\n", (unsigned)t->pos, t->start, t->end,
            cdx_token_type_name(t->type));
  }
  return 0;
}

int cmd_analyze(int argc, char **argv) {
  struct args a = {0};
  int n, st = cli_parse(&spec, argc, argv, &a, &n);
  if (st != CLI_GO_ON) return st;
  unsigned flags = a.flags;
  bool json = cli_json_mode = a.json;
  const char *text = argv[1];
  char *owned = NULL;
  size_t len;
  if (strcmp(text, "-") == 0) {
    owned = cli_read_stdin(&len);
    if (!owned) return cli_fail("analyze: cannot read stdin");
    text = owned;
  } else {
    len = strlen(text);
  }
  cdx_error err;
  cdx_analyzer *an;
  int rc = cdx_analyzer_new(flags, &an, &err);
  if (rc == CDX_OK) {
    struct out o = {stdout, json};
    rc = cdx_analyzer_run(an, text, len, print_token, &o, &err);
    cdx_analyzer_free(an);
  }
  free(owned);
  if (rc != CDX_OK) return cli_fail("analyze: %s", err.message);
  if (fflush(stdout) != 0) return cli_fail("analyze: cannot write output");
  return CLI_OK;
}
