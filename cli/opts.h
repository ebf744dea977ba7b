/* The one option parser of every command (cli/opts.c), built on getopt_long.
 *
 * A command describes itself once, in a cli_command: its synopsis, what it
 * does, and a table of cli_option entries, each naming where its value goes
 * in the command's own argument struct (an offsetof). The same table gives
 * the parser, --help, the suggestions for a mistyped option and the shell
 * completion, so adding an option to a command is one table entry.
 *
 * What every command accepts (docs/CLI.md):
 *   -n5 and -n 5, -in (bundled short options), --limit=5 and --limit 5,
 *   unambiguous prefixes of long names (--off for --offset), options
 *   anywhere among the operands, "--" ending the options, -h/--help;
 *   CMD --list-options alone prints the table for tools (completion).
 * An unknown option, a missing or malformed value exit 2 with one line
 * naming the option (and the closest valid name for a mistyped one). */
#ifndef CDX_CLI_OPTS_H
#define CDX_CLI_OPTS_H

#include <stddef.h>
#include <stdio.h>

typedef enum cli_opt_type {
  CLI_OPT_FLAG,     /* bool, set to true */
  CLI_OPT_STRING,   /* const char *, borrowed from argv (checked against
                       choices when they are given) */
  CLI_OPT_COUNT,    /* size_t, a decimal number >= 0 */
  CLI_OPT_POSITIVE, /* size_t, a decimal number > 0 */
  CLI_OPT_U64,      /* uint64_t, a decimal number >= 0 */
  CLI_OPT_SIZE,     /* uint64_t bytes: 500K, 100M, 1G or bytes */
  CLI_OPT_FRACTION, /* double in (0, 1] */
  CLI_OPT_BITS,     /* unsigned, or-ed with bits */
  CLI_OPT_LEVEL     /* int, incremented (-v -v) */
} cli_opt_type;

typedef struct cli_option {
  const char *name; /* long name without "--"; NULL ends a table */
  char letter;      /* short name, or 0 */
  cli_opt_type type;
  size_t offset;          /* of the value in the command's argument struct */
  const char *arg;        /* the value's name in --help ("DIR"); NULL: no value */
  const char *help;       /* one line, or lines separated by \n */
  const char *choices;    /* CLI_OPT_STRING: "auto,always,never" or NULL */
  const char *implicit;   /* value of --name given without =VALUE: the value
                          is then optional (--color means --color=always) */
  unsigned long long max; /* numbers: the largest accepted; 0: no limit.
                             CLI_OPT_BITS: the bits or-ed in */
} cli_option;

/* An argument starting with one '-' that is not a valid cluster of this
 * command's short options is an operand when it comes after the first
 * operand or when a non-ASCII character follows the '-' (no option is
 * one): search's exclusions (-住房, -draft) next to its options (-n5, -c),
 * while a mistyped -x before the query is still an error. */
#define CLI_DASH_OPERANDS 1u

typedef struct cli_command {
  const char *name;     /* "search" */
  const char *synopsis; /* after "usage: clausedex NAME " */
  const char *about;    /* paragraphs between the usage and the options */
  const cli_option *options;
  const char *epilogue; /* after the options (exit status...), or NULL */
  unsigned flags;       /* CLI_DASH_OPERANDS */
  int min_operands;     /* fewer is a usage error */
  int max_operands;     /* more is a usage error; -1: any number */
} cli_command;

/* Options every command that works on one index spells the same way. */
#define CLI_OPT_INDEX(type)                                                              \
  {                                                                                      \
    "index", 'i', CLI_OPT_STRING, offsetof(type, index), "DIR",                          \
        "index directory (default $CLAUSEDEX_INDEX or ./clausedex-index)", NULL, NULL, 0 \
  }
#define CLI_OPT_JSON(type, what) \
  { "json", 0, CLI_OPT_FLAG, offsetof(type, json), NULL, what, NULL, NULL, 0 }
#define CLI_OPT_LATEST(type, what) \
  { "latest", 0, CLI_OPT_FLAG, offsetof(type, latest), NULL, what, NULL, NULL, 0 }
#define CLI_OPT_COLOR(type)                                                            \
  {                                                                                    \
    "color", 0, CLI_OPT_STRING, offsetof(type, color), "WHEN",                         \
        "auto (default: on a terminal, TERM not dumb, NO_COLOR unset), always, never", \
        "auto,always,never", "always", 0                                               \
  }
#define CLI_OPT_END \
  { NULL, 0, CLI_OPT_FLAG, 0, NULL, NULL, NULL, NULL, 0 }

/* Reads argv (argv[0] is the command name) into args, which the caller has
 * set to its defaults. Operands are moved, in their order, to argv[1..]
 * and *n_operands set; they and string values stay borrowed from argv.
 * Returns CLI_GO_ON to go on, CLI_OK after printing --help, or CLI_ERROR
 * after printing one line (unknown option with the closest name, missing
 * or bad value, wrong number of operands). */
int cli_parse(const cli_command *cmd, int argc, char **argv, void *args, int *n_operands);

/* The n strings of v joined by single spaces (a query from its operands).
 * Caller frees; NULL when out of memory. */
char *cli_join(char *const *v, int n);

/* Levenshtein distance of a[0..na) and b (SIZE_MAX past 64 bytes): the
 * closest name for a mistyped option or command. */
size_t cli_edit_distance(const char *a, size_t na, const char *b);

/* The --help text: usage, about, the option table, epilogue. */
void cli_print_help(const cli_command *cmd, FILE *f);

#endif
