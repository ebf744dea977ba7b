/* The clausedex command. It uses only the public header, like any embedder. */
#ifndef CDX_CLI_H
#define CDX_CLI_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include "clausedex.h"

/* Exit statuses, as grep: 0 found/succeeded, 1 nothing matched, 2 error. */
enum { CLI_OK = 0, CLI_NOMATCH = 1, CLI_ERROR = 2 };

/* One subcommand: argv[0] is the subcommand name. Returns the exit status. */
typedef int (*cli_command_fn)(int argc, char **argv);

/* Prints "clausedex: <message>" to stderr and returns CLI_ERROR. */
int cli_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Same, from a library error. */
int cli_fail_err(const cdx_error *err);

/* True when argv[i] is -h or --help. */
bool cli_is_help(const char *arg);

/* Reads all of stdin (for the "-" argument). Caller frees. NULL on failure. */
char *cli_read_stdin(size_t *len);

/* "100M" -> 104857600: bytes, or suffixes K, M, G (binary) with an
 * optional trailing B (cli/size_arg.c). False on anything else. */
bool cli_parse_size(const char *s, uint64_t *out);

int cmd_analyze(int argc, char **argv);
int cmd_generate(int argc, char **argv);
int cmd_parse(int argc, char **argv);
int cmd_search(int argc, char **argv);
int cmd_show(int argc, char **argv);
int cmd_index(int argc, char **argv);
int cmd_delete(int argc, char **argv);
int cmd_optimize(int argc, char **argv);
int cmd_stats(int argc, char **argv);
int cmd_check(int argc, char **argv);
int cmd_docs(int argc, char **argv);
int cmd_diff(int argc, char **argv);
int cmd_similar(int argc, char **argv);
int cmd_coverage(int argc, char **argv);
int cmd_serve(int argc, char **argv);

/* --color=WHEN (NULL = auto): auto is on for a terminal on fd unless
 * NO_COLOR is set or TERM is dumb. Returns CLI_OK, or CLI_ERROR after
 * printing the message for a bad WHEN. */
int cli_color_parse(const char *when, int fd, bool *on);

/* A unit as people cite it: [kind] number heading (cli/cmd_diff.c). */
void cli_print_unit_label(FILE *f, const cdx_hit *h);

/* ---- cli/index_args.c: the commands that work on one index ---- */
/* The index directory: given, else $CLAUSEDEX_INDEX, else ./clausedex-index. */
const char *cli_search_index_dir(const char *given);
/* Not an exit status: the command line was read and the command goes on. */
enum { CLI_GO_ON = -1 };
/* The command line of a command that takes only [-i DIR] and, when json is
 * not NULL, [--json]: --help prints usage. CLI_GO_ON with *dir set (by
 * cli_search_index_dir), else the exit status to return (CLI_OK after
 * --help, CLI_ERROR naming a bad argument). */
int cli_index_args(int argc, char **argv, const char *usage, const char **dir, bool *json);
/* Opens the index at dir for reading: CLI_OK, or the reported error's exit
 * status (*ix then NULL). */
int cli_open_index(const char *dir, cdx_index **ix);

/* Shared by search and show (cli/cmd_search.c): a query error with a caret
 * under its byte offset; a hit's title/jurisdiction/status/edition line. */
void cli_search_query_error(const char *query, const cdx_error *err);
void cli_search_print_header(const cdx_hit *h, bool with_score);

#endif
