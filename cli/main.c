/* Entry point: dispatches to one subcommand per file (cmd_*.c). */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include "cli/cli.h"

struct command {
  const char *name;
  cli_command_fn run;
  const char *summary;
};

static const struct command commands[] = {
    {"analyze", cmd_analyze, "print the search terms of a text"},
    {"generate", cmd_generate, "write a synthetic policy corpus"},
    {"parse", cmd_parse, "show what would be indexed from documents"},
    {"search", cmd_search, "ranked clauses matching a query"},
    {"show", cmd_show, "a document or one clause in full"},
    {"index", cmd_index, "add files and directories to an index"},
    {"delete", cmd_delete, "remove documents from an index"},
    {"optimize", cmd_optimize, "merge an index into one segment"},
    {"stats", cmd_stats, "sizes and counts of an index"},
    {"check", cmd_check, "verify an index's checksums and structure"},
    {"docs", cmd_docs, "list the indexed documents"},
    {"diff", cmd_diff, "what changed between two documents, clause by clause"},
    {"similar", cmd_similar, "units most like a clause, across the index"},
    {"coverage", cmd_coverage, "which jurisdictions adopted each clause of a policy"},
    {"serve", cmd_serve, "the HTTP API and the search page"},
};

static void print_usage(FILE *f) {
  fprintf(f, "usage: clausedex COMMAND [OPTIONS] [ARGS]\n\n"
             "Full-text search for Chinese government policy documents.\n\n"
             "Commands:\n");
  for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
    fprintf(f, "  %-10s %s\n", commands[i].name, commands[i].summary);
  fprintf(f, "\n'clausedex COMMAND --help' describes one command.\n"
             "'clausedex --version' prints the version.\n");
}

int cli_fail(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  fputs("clausedex: ", stderr);
  vfprintf(stderr, fmt, ap);
  fputc('\n', stderr);
  va_end(ap);
  return CLI_ERROR;
}

int cli_fail_err(const cdx_error *err) { return cli_fail("%s", err->message); }

bool cli_is_help(const char *arg) { return strcmp(arg, "-h") == 0 || strcmp(arg, "--help") == 0; }

char *cli_read_stdin(size_t *len) {
  size_t cap = 65536, n = 0;
  char *buf = malloc(cap);
  if (!buf) return NULL;
  size_t r;
  while ((r = fread(buf + n, 1, cap - n, stdin)) > 0) {
    n += r;
    if (n == cap) {
      char *p = realloc(buf, cap *= 2);
      if (!p) { free(buf); return NULL; }
      buf = p;
    }
  }
  if (ferror(stdin)) { free(buf); return NULL; }
  *len = n;
  return buf;
}

int main(int argc, char **argv) {
  if (argc < 2) {
    print_usage(stderr);
    return CLI_ERROR;
  }
  if (cli_is_help(argv[1])) {
    print_usage(stdout);
    return CLI_OK;
  }
  if (strcmp(argv[1], "--version") == 0) {
    printf("clausedex %s\n", cdx_version());
    return CLI_OK;
  }
  for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
    if (strcmp(argv[1], commands[i].name) == 0) return commands[i].run(argc - 1, argv + 1);
  cli_fail("unknown command '%s'", argv[1]);
  print_usage(stderr);
  return CLI_ERROR;
}
