/* The option parser of every command (see cli/opts.h): getopt_long reads the
 * options, in order (no permutation, "+"), and this loop takes the operands
 * between them itself, so that options may come anywhere while search can
 * still tell its option -c from its exclusion -住房. */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "cli/cli.h"

static size_t n_options(const cli_command *cmd) {
  size_t n = 0;
  while (cmd->options && cmd->options[n].name) n++;
  return n;
}

/* getopt_long's code for entry k: its letter, or a value past every char. */
static int opt_code(const cli_option *o, size_t k) { return o->letter ? o->letter : 256 + (int)k; }

static const cli_option *by_code(const cli_command *cmd, int code) {
  for (size_t k = 0; cmd->options && cmd->options[k].name; k++)
    if (opt_code(&cmd->options[k], k) == code) return &cmd->options[k];
  return NULL;
}

static const cli_option *by_letter(const cli_command *cmd, char c) {
  for (size_t k = 0; cmd->options && cmd->options[k].name; k++)
    if (cmd->options[k].letter == c) return &cmd->options[k];
  return NULL;
}

/* True when a ("-xyz") reads entirely as this command's short options: each
 * letter one of them, and the first that takes a value ends the cluster. */
static bool is_cluster(const cli_command *cmd, const char *a) {
  if (a[0] != '-' || a[1] == '\0' || a[1] == '-') return false;
  for (const char *p = a + 1; *p; p++) {
    if (*p == 'h') continue;
    const cli_option *o = by_letter(cmd, *p);
    if (!o) return false;
    if (o->arg) return true;
  }
  return true;
}

/* How the option is named in messages: "-n/--limit" or "--offset". */
static void opt_label(const cli_option *o, char *out, size_t cap) {
  if (o->letter) snprintf(out, cap, "-%c/--%s", o->letter, o->name);
  else snprintf(out, cap, "--%s", o->name);
}

size_t cli_edit_distance(const char *a, size_t na, const char *b) {
  size_t nb = strlen(b);
  if (na > 64 || nb > 64) return SIZE_MAX;
  size_t row[65];
  for (size_t j = 0; j <= nb; j++) row[j] = j;
  for (size_t i = 1; i <= na; i++) {
    size_t diag = row[0];
    row[0] = i;
    for (size_t j = 1; j <= nb; j++) {
      size_t up = row[j];
      size_t best = diag + (a[i - 1] != b[j - 1]);
      if (up + 1 < best) best = up + 1;
      if (row[j - 1] + 1 < best) best = row[j - 1] + 1;
      row[j] = best;
      diag = up;
    }
  }
  return row[nb];
}

static int unknown_long(const cli_command *cmd, const char *arg) {
  const char *name = arg + 2;
  size_t n = strcspn(name, "=");
  /* an abbreviation that fits several names: say which */
  char list[256] = "";
  size_t fits = 0;
  for (size_t k = 0; cmd->options && cmd->options[k].name; k++)
    if (strncmp(cmd->options[k].name, name, n) == 0 && n) {
      size_t used = strlen(list);
      snprintf(list + used, sizeof list - used, "%s--%s", fits ? ", " : "", cmd->options[k].name);
      fits++;
    }
  if (fits > 1)
    return cli_fail("%s: option '--%.*s' is ambiguous: %s", cmd->name, (int)n, name, list);
  const char *best = "help";
  size_t best_d = cli_edit_distance(name, n, best);
  for (size_t k = 0; cmd->options && cmd->options[k].name; k++) {
    size_t d = cli_edit_distance(name, n, cmd->options[k].name);
    if (d < best_d) {
      best_d = d;
      best = cmd->options[k].name;
    }
  }
  /* "--json=1" on a flag is a known name with a value it does not take */
  if (best_d == 0 && name[n] == '=') return cli_fail("%s: --%s takes no value", cmd->name, best);
  return cli_fail("%s: unknown option '--%.*s' (did you mean --%s?)", cmd->name, (int)n, name,
                  best);
}

static int unknown_short(const cli_command *cmd, const char *arg, int c) {
  const char *hint =
      cmd->flags & CLI_DASH_OPERANDS ? "; put '--' before a query that starts with '-'" : "";
  if (c <= 0x20 || c >= 0x7f) /* a byte of -住房: name the whole argument */
    return cli_fail("%s: unknown option '%s' (see clausedex %s --help%s)", cmd->name, arg,
                    cmd->name, hint);
  const cli_option *near = NULL;
  if (c >= 'a' && c <= 'z') near = by_letter(cmd, (char)(c - 'a' + 'A'));
  else if (c >= 'A' && c <= 'Z') near = by_letter(cmd, (char)(c - 'A' + 'a'));
  if (near)
    return cli_fail("%s: unknown option '-%c' (did you mean -%c, --%s?)", cmd->name, c,
                    near->letter, near->name);
  return cli_fail("%s: unknown option '-%c' (see clausedex %s --help%s)", cmd->name, c, cmd->name,
                  hint);
}

static bool read_u64(const char *s, unsigned long long *v) {
  if (!*s || *s < '0' || *s > '9') return false; /* no sign, no space */
  char *end;
  errno = 0;
  *v = strtoull(s, &end, 10);
  return !errno && !*end;
}

/* Stores the value of o into args. */
static int store(const cli_command *cmd, const cli_option *o, const char *v, void *args) {
  char *slot = (char *)args + o->offset;
  char label[64];
  opt_label(o, label, sizeof label);
  unsigned long long n = 0;
  switch (o->type) {
    case CLI_OPT_FLAG: *(bool *)slot = true; return CLI_OK;
    case CLI_OPT_BITS: *(unsigned *)slot |= (unsigned)o->max; return CLI_OK;
    case CLI_OPT_LEVEL: (*(int *)slot)++; return CLI_OK;
    case CLI_OPT_STRING:
      if (!v) v = o->implicit;
      if (o->choices) {
        size_t len = strlen(v);
        for (const char *c = o->choices; *c;) {
          size_t cl = strcspn(c, ",");
          if (cl == len && strncmp(c, v, len) == 0) {
            *(const char **)slot = v;
            return CLI_OK;
          }
          c += cl + (c[cl] == ',');
        }
        char list[128];
        size_t w = 0;
        for (const char *c = o->choices; *c && w + 8 < sizeof list; c++)
          w += (size_t)snprintf(list + w, sizeof list - w,
                                *c == ',' ? (strchr(c + 1, ',') ? ", " : " or ") : "%c", *c);
        return cli_fail("%s: %s takes %s, not '%s'", cmd->name, label, list, v);
      }
      *(const char **)slot = v;
      return CLI_OK;
    case CLI_OPT_COUNT:
    case CLI_OPT_POSITIVE:
    case CLI_OPT_U64:
      if (!read_u64(v, &n) || (o->type == CLI_OPT_POSITIVE && n == 0) || (o->max && n > o->max) ||
          (o->type != CLI_OPT_U64 && n > SIZE_MAX)) {
        const char *what = o->type == CLI_OPT_POSITIVE ? "a positive number" : "a number";
        if (o->max)
          return cli_fail("%s: %s takes %s up to %llu, not '%s'", cmd->name, label, what, o->max,
                          v);
        return cli_fail("%s: %s takes %s, not '%s'", cmd->name, label, what, v);
      }
      if (o->type == CLI_OPT_U64) *(uint64_t *)slot = n;
      else *(size_t *)slot = (size_t)n;
      return CLI_OK;
    case CLI_OPT_SIZE: {
      uint64_t b;
      if (!cli_parse_size(v, &b) || (o->max && b > o->max))
        return cli_fail("%s: %s takes a size (500K, 100M, 1G or bytes), not '%s'", cmd->name, label,
                        v);
      *(uint64_t *)slot = b;
      return CLI_OK;
    }
    case CLI_OPT_FRACTION: {
      char *end;
      errno = 0;
      double d = strtod(v, &end);
      if (errno || end == v || *end || !(d > 0 && d <= 1))
        return cli_fail("%s: %s takes a number in (0, 1], not '%s'", cmd->name, label, v);
      *(double *)slot = d;
      return CLI_OK;
    }
  }
  return CLI_ERROR;
}

/* CMD --list-options: the table for tools (tools/gen_cli_docs.py makes the
 * shell completion from it), one option a line: long name, letter or -,
 * value name or -, choices or -, separated by tabs. */
static void list_options(const cli_command *cmd) {
  printf("help\th\t-\t-\n");
  for (size_t k = 0; cmd->options && cmd->options[k].name; k++) {
    const cli_option *o = &cmd->options[k];
    printf("%s\t%c\t%s\t%s\n", o->name, o->letter ? o->letter : '-', o->arg ? o->arg : "-",
           o->choices ? o->choices : "-");
  }
}

int cli_parse(const cli_command *cmd, int argc, char **argv, void *args, int *n_operands) {
  if (argc == 2 && strcmp(argv[1], "--list-options") == 0) {
    list_options(cmd);
    return CLI_OK;
  }
  size_t n = n_options(cmd);
  struct option *longs = calloc(n + 2, sizeof *longs);
  char *shorts = malloc(3 * n + 8);
  if (!longs || !shorts) {
    free(longs);
    free(shorts);
    return cli_fail("out of memory");
  }
  /* "+": stop at operands (taken below); ":": report a missing value as ':' */
  size_t s = 0;
  shorts[s++] = '+';
  shorts[s++] = ':';
  shorts[s++] = 'h';
  for (size_t k = 0; k < n; k++) {
    const cli_option *o = &cmd->options[k];
    int has = !o->arg ? no_argument : o->implicit ? optional_argument : required_argument;
    longs[k] = (struct option){o->name, has, NULL, opt_code(o, k)};
    if (o->letter) {
      shorts[s++] = o->letter;
      if (has != no_argument) shorts[s++] = ':';
      if (has == optional_argument) shorts[s++] = ':';
    }
  }
  shorts[s] = '\0';
  longs[n] = (struct option){"help", no_argument, NULL, 'h'};
  int ops = 0, status = CLI_GO_ON;
  bool done = false; /* after "--" */
  opterr = 0;
  optind = 1;
  while (optind < argc && status == CLI_GO_ON) {
    char *a = argv[optind];
    if (done || a[0] != '-' || a[1] == '\0' ||
        ((cmd->flags & CLI_DASH_OPERANDS) && a[1] != '-' && !is_cluster(cmd, a) &&
         (ops > 0 || (unsigned char)a[1] >= 0x80))) {
      argv[1 + ops++] = a; /* never ahead of optind: nothing unread is overwritten */
      optind++;
      continue;
    }
    if (strcmp(a, "--") == 0) {
      done = true;
      optind++;
      continue;
    }
    int at = optind, c = getopt_long(argc, argv, shorts, longs, NULL);
    if (c == -1) break; /* not reached: operands are taken above */
    if (c == 'h') {
      cli_print_help(cmd, stdout);
      status = CLI_OK;
    } else if (c == '?') {
      status = strncmp(argv[at], "--", 2) == 0 ? unknown_long(cmd, argv[at])
                                               : unknown_short(cmd, argv[at], optopt);
    } else if (c == ':') {
      const cli_option *o = by_code(cmd, optopt);
      char label[64];
      if (o) opt_label(o, label, sizeof label);
      status = cli_fail("%s: %s needs a value (%s)", cmd->name, o ? label : "an option",
                        o ? o->arg : "");
    } else {
      const cli_option *o = by_code(cmd, c);
      if (o && store(cmd, o, optarg, args) != CLI_OK) status = CLI_ERROR;
    }
  }
  free(longs);
  free(shorts);
  if (status != CLI_GO_ON) return status;
  /* getopt stops at argc; whatever follows was taken above */
  if (ops < cmd->min_operands || (cmd->max_operands >= 0 && ops > cmd->max_operands)) {
    /* the operands as the synopsis names them: "[OPTIONS] A B" -> "A B" */
    const char *want = cmd->synopsis;
    if (strncmp(want, "[OPTIONS] ", 10) == 0) want += 10;
    int wl = (int)strcspn(want, " (");
    if (ops < cmd->min_operands) {
      while (want[wl] == ' ' && want[wl + 1] && want[wl + 1] != ' ' && want[wl + 1] != '(')
        wl += 1 + (int)strcspn(want + wl + 1, " (");
      return cli_fail("%s: missing %.*s (see clausedex %s --help)", cmd->name, wl, want, cmd->name);
    }
    return cli_fail("%s: too many operands: '%s' (usage: clausedex %s %s)", cmd->name,
                    argv[1 + cmd->max_operands], cmd->name, cmd->synopsis);
  }
  *n_operands = ops;
  return CLI_GO_ON;
}

char *cli_join(char *const *v, int n) {
  size_t len = 1;
  for (int i = 0; i < n; i++) len += strlen(v[i]) + 1;
  char *q = malloc(len), *p = q;
  if (!q) return NULL;
  for (int i = 0; i < n; i++) {
    size_t k = strlen(v[i]);
    if (i) *p++ = ' ';
    memcpy(p, v[i], k);
    p += k;
  }
  *p = '\0';
  return q;
}

void cli_print_help(const cli_command *cmd, FILE *f) {
  fprintf(f, "usage: clausedex %s %s\n\n%s\n", cmd->name, cmd->synopsis, cmd->about);
  fputs("Options:\n", f);
  const size_t col = 24;
  for (size_t k = 0;; k++) {
    const cli_option *o = cmd->options ? &cmd->options[k] : NULL;
    static const cli_option help = {"help", 'h', CLI_OPT_FLAG, 0, NULL, "this text", NULL, NULL, 0};
    if (!o || !o->name) o = &help;
    char left[96];
    int w = snprintf(left, sizeof left, "  %c%c%s--%s%s%s%s", o->letter ? '-' : ' ',
                     o->letter ? o->letter : ' ', o->letter ? ", " : "  ", o->name,
                     o->implicit ? "[="
                     : o->arg    ? " "
                                 : "",
                     o->arg ? o->arg : "", o->implicit ? "]" : "");
    fputs(left, f);
    const char *h = o->help;
    if ((size_t)w + 1 >= col) fprintf(f, "\n%*s", (int)col, "");
    else fprintf(f, "%*s", (int)(col - (size_t)w), "");
    for (const char *nl; (nl = strchr(h, '\n')); h = nl + 1)
      fprintf(f, "%.*s\n%*s", (int)(nl - h), h, (int)col, "");
    fprintf(f, "%s\n", h);
    if (o == &help) break;
  }
  if (cmd->epilogue) fprintf(f, "\n%s", cmd->epilogue);
}
