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

/* --color=WHEN (NULL = auto): auto is on for a terminal on fd unless
 * NO_COLOR is set or TERM is dumb. Returns CLI_OK, or CLI_ERROR after
 * printing the message for a bad WHEN. */
int cli_color_parse(const char *when, int fd, bool *on);

/* A unit as people cite it: [kind] number heading (cli/cmd_diff.c). */
void cli_print_unit_label(FILE *f, const cdx_hit *h);

/* Shared by search and show (cli/cmd_search.c): the index directory (given,
 * else $CLAUSEDEX_INDEX, else ./clausedex-index); a query error with a caret
 * under its byte offset; a hit's title/jurisdiction/status/edition line. */
const char *cli_search_index_dir(const char *given);
void cli_search_query_error(const char *query, const cdx_error *err);
void cli_search_print_header(const cdx_hit *h, bool with_score);

#endif
