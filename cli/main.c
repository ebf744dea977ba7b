/* Entry point: dispatches to one subcommand per file (cmd_*.c). */
#include <stdarg.h>
#include <stdint.h>
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
    {"depts", cmd_depts, "departments: units listed and led, per jurisdiction"},
    {"diff", cmd_diff, "what changed between two documents, clause by clause"},
    {"similar", cmd_similar, "units most like a clause, across the index"},
    {"coverage", cmd_coverage, "which jurisdictions adopted each clause of a policy"},
    {"families", cmd_families, "policy families and their versions"},
    {"log", cmd_log, "the committed batches and what each changed"},
    {"changes", cmd_changes, "the change reports since a batch or a date"},
    {"export", cmd_export, "every unit for Elasticsearch/OpenSearch, JSON Lines or CSV"},
    {"serve", cmd_serve, "the HTTP API and the search page"},
};

static void print_usage(FILE *f) {
  fprintf(f, "usage: clausedex COMMAND [OPTIONS] [ARGS]\n\n"
             "Full-text search for Chinese government policy documents.\n\n"
             "Commands:\n");
  for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
    fprintf(f, "  %-10s %s\n", commands[i].name, commands[i].summary);
  fprintf(f, "\n'clausedex COMMAND --help' or 'clausedex help COMMAND' describes one command.\n"
             "'clausedex --version' prints the version.\n");
}

int cli_fail(const char *fmt, ...) {
  char msg[4096];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  cli_progress_clear(cli_active_progress);
  fprintf(stderr, "clausedex: %s\n", msg);
  if (cli_json_mode) {
    fputs("{\"type\":\"error\",\"message\":", stdout);
    cli_json_cstr(stdout, msg);
    fputs("}\n", stdout);
  }
  return CLI_ERROR;
}

int cli_fail_err(const cdx_error *err) { return cli_fail("%s", err->message); }

char *cli_read_stdin(size_t *len) {
  size_t cap = 65536, n = 0;
  char *buf = malloc(cap);
  if (!buf) return NULL;
  size_t r;
  while ((r = fread(buf + n, 1, cap - n, stdin)) > 0) {
    n += r;
    if (n == cap) {
      char *p = realloc(buf, cap *= 2);
      if (!p) {
        free(buf);
        return NULL;
      }
      buf = p;
    }
  }
  if (ferror(stdin)) {
    free(buf);
    return NULL;
  }
  *len = n;
  return buf;
}

static const struct command *find(const char *name) {
  for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
    if (strcmp(name, commands[i].name) == 0) return &commands[i];
  return NULL;
}

/* The command whose name is fewest edits away from a mistyped one. */
static const char *closest_command(const char *name) {
  const char *best = commands[0].name;
  size_t best_d = SIZE_MAX;
  for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++) {
    size_t d = cli_edit_distance(name, strlen(name), commands[i].name);
    if (d < best_d) {
      best_d = d;
      best = commands[i].name;
    }
  }
  return best;
}

int main(int argc, char **argv) {
  if (argc < 2) {
    print_usage(stderr);
    return CLI_ERROR;
  }
  const char *a = argv[1];
  if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0 || (strcmp(a, "help") == 0 && argc == 2)) {
    print_usage(stdout);
    return CLI_OK;
  }
  if (strcmp(a, "--version") == 0) {
    printf("clausedex %s\n", cdx_version());
    return CLI_OK;
  }
  if (strcmp(a, "help") == 0) { /* help CMD is CMD --help */
    const struct command *c = find(argv[2]);
    if (!c)
      return cli_fail("unknown command '%s' (did you mean %s?)", argv[2], closest_command(argv[2]));
    char *args[] = {argv[2], (char *)"--help", NULL};
    return c->run(2, args);
  }
  const struct command *c = find(a);
  if (c) return c->run(argc - 1, argv + 1);
  return cli_fail("unknown command '%s' (did you mean %s? 'clausedex --help' lists them)", a,
                  closest_command(a));
}
