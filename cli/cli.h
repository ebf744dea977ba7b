/* The clausedex command. It uses only the public header, like any embedder. */
#ifndef CDX_CLI_H
#define CDX_CLI_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include "clausedex.h"
#include "cli/opts.h"

/* Exit statuses, as grep: 0 found/succeeded, 1 nothing matched, 2 error. */
enum { CLI_OK = 0, CLI_NOMATCH = 1, CLI_ERROR = 2 };

/* One subcommand: argv[0] is the subcommand name. Returns the exit status. */
typedef int (*cli_command_fn)(int argc, char **argv);

/* Prints "clausedex: <message>" to stderr and returns CLI_ERROR. */
int cli_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Same, from a library error. */
int cli_fail_err(const cdx_error *err);

/* Why `serve` cannot use libmicrohttpd (not installed, another ABI), or
 * NULL when it can. The Release command loads the library on first use
 * (cli/mhd_lazy.c); builds that link it directly always have it. */
const char *cli_http_missing(void);

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
int cmd_depts(int argc, char **argv);
int cmd_diff(int argc, char **argv);
int cmd_similar(int argc, char **argv);
int cmd_coverage(int argc, char **argv);
int cmd_families(int argc, char **argv);
int cmd_log(int argc, char **argv);
int cmd_changes(int argc, char **argv);
int cmd_export(int argc, char **argv);
int cmd_serve(int argc, char **argv);

/* --color=WHEN (NULL = auto): auto is on for a terminal on fd unless
 * NO_COLOR is set or TERM is dumb. Returns CLI_OK, or CLI_ERROR after
 * printing the message for a bad WHEN. */
int cli_color_parse(const char *when, int fd, bool *on);

/* ---- cli/json_out.c: JSON Lines the command writes (docs/JSON.md) ---- */
/* Set by a command given --json: cli_fail then also writes its message as
 * a {"type":"error","message":...} record on stdout. */
extern bool cli_json_mode;
/* A JSON string literal of s[0..n) (valid UTF-8 assumed) / of s or null. */
void cli_json_str(FILE *f, const char *s, size_t n);
void cli_json_cstr(FILE *f, const char *s);
/* The library's JSON object obj[0..len) as one record: {"type":TYPE, its
 * keys, then `more` (",\"key\":value..." or NULL)}, and a newline. */
void cli_json_typed(const char *type, const char *obj, size_t len, const char *more);
/* The result of a library cdx_*_to_json call, rc and its js[0..len) (freed here) or *err,
 * as one line: CLI_OK, or the error's exit status, reported. */
int cli_json_line(int rc, char *js, size_t len, const cdx_error *err);

/* ---- cli/progress.c: a progress bar on stderr ---- */
typedef struct cli_progress {
  bool on, drawn;
  size_t files;
  uint64_t bytes;
  double t0, last;
  size_t redraws;
} cli_progress;
/* The bar being shown, erased by cli_fail before its message (or NULL). */
extern cli_progress *cli_active_progress;
/* on: a terminal on stderr and not --quiet; files and bytes: the totals. */
void cli_progress_start(cli_progress *p, bool on, size_t files, uint64_t bytes);
/* Redraws with what is done, at most ten times a second. */
void cli_progress_update(cli_progress *p, size_t files_done, uint64_t bytes_done);
/* Erases the bar (before another message; it comes back at the next update). */
void cli_progress_clear(cli_progress *p);
/* Erases it for good. */
void cli_progress_end(cli_progress *p);

/* A unit as people cite it: [kind] number heading (cli/cmd_diff.c). */
void cli_print_unit_label(FILE *f, const cdx_hit *h);

/* ---- cli/index_args.c: the commands that work on one index ---- */
/* The index directory: given, else $CLAUSEDEX_INDEX, else ./clausedex-index. */
const char *cli_search_index_dir(const char *given);
/* Not an exit status: the command line was read and the command goes on. */
enum { CLI_GO_ON = -1 };
/* Opens the index at dir for reading: CLI_OK, or the reported error's exit
 * status (*ix then NULL); a directory that holds no index is "no clausedex
 * index at DIR" and nothing is created. */
int cli_open_index(const char *dir, cdx_index **ix);
/* The arguments and options of the commands that take only an index and
 * --json (check, delete, docs, optimize, stats). */
typedef struct cli_index_args {
  const char *index;
  bool json;
} cli_index_args;
extern const cli_option cli_index_options[];
/* Reads the command line of a command whose options fill a cli_index_args: then a->index is
 * the directory cli_search_index_dir finds and cli_json_mode is a->json. CLI_GO_ON, or the
 * exit status (after --help or a bad command line); *nops as cli_parse. */
int cli_parse_index_args(const cli_command *spec, int argc, char **argv, cli_index_args *a,
                         int *nops);
/* For the commands that change an index but must not create one (delete,
 * optimize): CLI_OK when dir holds an index, else the error, reported. */
int cli_require_index(const char *dir);
/* cli_require_index, then a writer on dir into *w: CLI_OK, or the error's
 * exit status, reported (*w then untouched). */
int cli_open_writer(const char *dir, cdx_writer **w);

/* ---- cli/batch_report.c: the change report of index and delete ---- */
/* --report VALUE (text, md or json; NULL: text) as a cdx_report_format. */
int cli_report_format(const char *s);
/* The index before the command (NULL when there is none yet). */
cdx_index *cli_report_before(const char *dir);
/* Compares it with the index now in dir, stores the report when the
 * command committed a batch, warns about documents placed alone and
 * prints the report in fmt on stdout, computed on `threads` threads (the
 * report is the same for any number). Closes before. Exit status. */
int cli_report_after(const char *dir, cdx_index *before, int fmt, unsigned threads);
/* fmt for cli_report_after: store the report, print nothing (index -q). */
enum { CLI_REPORT_NONE = -1 };

/* ---- cli/relations.c ---- */
/* The other versions of doc_id's family, one line each after indent. */
void cli_print_versions(const cdx_families *fam, const char *doc_id, const char *indent);
/* short id, family and versions, inferred 文号, based on, cited by. */
int cli_print_relations(const cdx_index *ix, const char *doc_id);

/* Shared by search and show (cli/cmd_search.c): a query error with a caret
 * under its byte offset; a hit's title/jurisdiction/status/edition line. */
void cli_search_query_error(const char *query, const cdx_error *err);
/* A failed cdx_search of query: a query's own error (syntax, encoding, a limit) as
 * cli_search_query_error shows it, any other as cli_fail_err. Returns CLI_ERROR. */
int cli_search_fail(const char *query, const cdx_error *err);
void cli_search_print_header(const cdx_hit *h, bool with_score);

#endif
