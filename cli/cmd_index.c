/* clausedex index: add files and directories to an index in one commit. */
#define _POSIX_C_SOURCE 200809L
#define _DEFAULT_SOURCE
#include <dirent.h>
#include <stdint.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include "cli/cli.h"
#include "cli/meta_flags.h"

typedef struct file_list {
  char **v;
  unsigned long long *size; /* as the walk saw it, for the summary */
  size_t n, cap;
} file_list;

static int push(file_list *l, const char *path, unsigned long long size) {
  if (l->n == l->cap) {
    size_t nc = l->cap ? l->cap * 2 : 256;
    char **nv = realloc(l->v, nc * sizeof *nv);
    if (!nv) return -1;
    l->v = nv;
    unsigned long long *ns = realloc(l->size, nc * sizeof *ns);
    if (!ns) return -1;
    l->size = ns;
    l->cap = nc;
  }
  if (!(l->v[l->n] = strdup(path))) return -1;
  l->size[l->n] = size;
  l->n++;
  return 0;
}

static bool ends_with(const char *s, const char *suf) {
  size_t n = strlen(s), m = strlen(suf);
  return n >= m && strcmp(s + n - m, suf) == 0;
}

/* The directories walked so far, by device and inode: a symbolic link back
 * to a directory already walked (`ln -s . x`, two links to one place) is
 * skipped instead of being walked again, which for a loop never ends. */
typedef struct dir_set {
  struct dir_id {
    dev_t dev;
    ino_t ino;
    bool used;
  } * v;
  size_t n, cap; /* cap is a power of two, kept at least twice n */
} dir_set;

static size_t dir_slot(const dir_set *s, dev_t dev, ino_t ino) {
  uint64_t h = ((uint64_t)dev * 0x9E3779B97F4A7C15ull) ^ ((uint64_t)ino * 0xC2B2AE3D27D4EB4Full);
  size_t j = (size_t)(h ^ (h >> 29)) & (s->cap - 1);
  while (s->v[j].used && !(s->v[j].dev == dev && s->v[j].ino == ino)) j = (j + 1) & (s->cap - 1);
  return j;
}

/* 1 when (dev, ino) was new and is now in the set, 0 when it was there,
 * -1 when out of memory. */
static int dir_set_add(dir_set *s, dev_t dev, ino_t ino) {
  if ((s->n + 1) * 2 > s->cap) {
    dir_set g = {calloc(s->cap ? s->cap * 2 : 64, sizeof *g.v), 0, s->cap ? s->cap * 2 : 64};
    if (!g.v) return -1;
    for (size_t i = 0; i < s->cap; i++)
      if (s->v[i].used) {
        g.v[dir_slot(&g, s->v[i].dev, s->v[i].ino)] = s->v[i];
        g.n++;
      }
    free(s->v);
    *s = g;
  }
  size_t j = dir_slot(s, dev, ino);
  if (s->v[j].used) return 0;
  s->v[j] = (struct dir_id){dev, ino, true};
  s->n++;
  return 1;
}

typedef struct walk {
  file_list files;
  dir_set dirs;
  size_t skipped; /* entries inside directories that are not documents */
} walk;

/* -q: errors only; -v: a line per file and every warning in full. */
static int verbosity;

static void skip_note(walk *wk, const char *path, const char *why) {
  if (verbosity >= 0) fprintf(stderr, "clausedex: %s: skipped, %s\n", path, why);
  wk->skipped++;
}

/* Directories are walked in name order (stable results); hidden entries and
 * *.meta sidecars (read with their document) are skipped. Inside a
 * directory only regular files are documents: a FIFO would block the read
 * and a device such as /dev/zero never ends, so they are skipped with a
 * note. A path named on the command line goes to the writer whatever it is,
 * which refuses it with an error (exit 2). */
static int collect(walk *wk, const char *path, bool top) {
  struct stat st;
  if (stat(path, &st) != 0) {
    if (top) return push(&wk->files, path, 0); /* reported by the writer with its error */
    skip_note(wk, path, "a dangling symbolic link or unreadable entry");
    return 0;
  }
  if (!S_ISDIR(st.st_mode)) {
    if (top) return push(&wk->files, path, (unsigned long long)st.st_size);
    /* sidecars are read with their document; JSON Lines files are input
     * only when named explicitly (a corpus's manifest.jsonl is not) */
    if (ends_with(path, ".meta") || ends_with(path, ".jsonl")) return 0;
    if (!S_ISREG(st.st_mode)) {
      skip_note(wk, path,
                S_ISFIFO(st.st_mode)                         ? "a FIFO, not a regular file"
                : S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode) ? "a device, not a regular file"
                : S_ISSOCK(st.st_mode)                       ? "a socket, not a regular file"
                                                             : "not a regular file");
      return 0;
    }
    return push(&wk->files, path, (unsigned long long)st.st_size);
  }
  int fresh = dir_set_add(&wk->dirs, st.st_dev, st.st_ino);
  if (fresh < 0) return -1;
  if (fresh == 0) {
    skip_note(wk, path, "a link to a directory already walked");
    return 0;
  }
  struct dirent **ents;
  int n = scandir(path, &ents, NULL, alphasort);
  if (n < 0) return push(&wk->files, path, 0);
  int rc = 0;
  for (int i = 0; i < n; i++) {
    const char *name = ents[i]->d_name;
    if (rc == 0 && name[0] != '.') {
      size_t len = strlen(path) + strlen(name) + 2;
      char *child = malloc(len);
      if (!child) rc = -1;
      else {
        snprintf(child, len, "%s/%s", path, name);
        rc = collect(wk, child, false);
        free(child);
      }
    }
    free(ents[i]);
  }
  free(ents);
  return rc;
}

/* Documents are often read cold from disk, a few milliseconds of waiting
 * each: the kernel is asked to start reading the next files while this one
 * is indexed, so reading overlaps indexing instead of adding to it
 * (bench/README.md, Indexing). */
#define READ_AHEAD_FILES 16

static void read_ahead(const char *path) {
  int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
  if (fd < 0) return; /* the writer reports it when its turn comes */
  (void)posix_fadvise(fd, 0, 0, POSIX_FADV_WILLNEED);
  close(fd);
}

/* One line per file whose text was repaired or lost characters: the damaged
 * spans counted (each is listed by `clausedex parse --json FILE`), other
 * warnings in full. Returns the number of damaged spans; with print false
 * nothing is printed (the file is parsed again, see below). */
static size_t summarise_warnings(const char *const *warn, size_t n, const char *path, bool print) {
  size_t spans = 0, chosen = 0, lost = 0;
  print = print && verbosity >= 0;
  if (print && n) cli_progress_clear(cli_active_progress);
  for (size_t i = 0; i < n; i++) {
    if (print && verbosity > 0) fprintf(stderr, "%s: warning: %s\n", path, warn[i]);
    if (strncmp(warn[i], "mojibake at ", 12) != 0) {
      if (print && verbosity == 0) fprintf(stderr, "%s: warning: %s\n", path, warn[i]);
      if (print) fprintf(stderr, "%s: warning: %s\n", path, warn[i]);
      continue;
    }
    spans++;
    if (strstr(warn[i], "chosen by the model")) chosen++;
    if (strstr(warn[i], "U+FFFD")) lost++;
  }
  if (spans && print && verbosity == 0)
    fprintf(stderr,
            "%s: warning: %zu damaged span(s) repaired, %zu with characters chosen by the "
            "model for lost bytes, %zu with characters left as U+FFFD; 'clausedex parse --json' "
            "lists them\n",
            path, spans, chosen, lost);
  return spans;
}

/* The corpus as evidence for a damaged document's undecided characters:
 * how many clauses of the committed index hold the two characters side by
 * side. Only Han pairs: they are what the index has terms for. */
static bool is_han(uint32_t c) {
  return (c >= 0x3400 && c <= 0x9FFF) || (c >= 0xF900 && c <= 0xFAFF);
}

static size_t put_utf8(char *o, uint32_t c) { /* c is a BMP Han character */
  o[0] = (char)(0xE0 | c >> 12);
  o[1] = (char)(0x80 | (c >> 6 & 0x3F));
  o[2] = (char)(0x80 | (c & 0x3F));
  return 3;
}

static uint32_t index_pair_count(void *ctx, uint32_t a, uint32_t b) {
  if (!is_han(a) || !is_han(b)) return 0;
  char q[8], *folded;
  size_t n = put_utf8(q, a), fn;
  n += put_utf8(q + n, b);
  cdx_error err;
  if (cdx_fold_text(q, n, &folded, &fn, &err) != CDX_OK) return 0;
  uint64_t units = 0;
  if (cdx_index_term_units((const cdx_index *)ctx, folded, fn, &units, &err) != CDX_OK) units = 0;
  cdx_free(folded);
  return units > UINT32_MAX ? UINT32_MAX : (uint32_t)units;
}

/* Files with damaged spans are parsed again once the others are committed,
 * with the index as evidence for the characters their own text leaves
 * undecided (the same clause in another document), and replace their first
 * version. */
static int readd_damaged(cdx_writer *w, const char *dir, const file_list *files,
                         const size_t *damaged, size_t n_damaged, const cdx_meta_overrides *ov,
                         cdx_error *err) {
  cdx_index *ix;
  int rc = cdx_index_open(dir, &ix, err);
  if (rc != CDX_OK) return rc;
  cdx_repair_evidence ev = {index_pair_count, ix};
  cdx_meta_overrides with;
  if (ov) with = *ov;
  else memset(&with, 0, sizeof with);
  with.repair_evidence = &ev;
  for (size_t k = 0; k < n_damaged && rc == CDX_OK; k++) {
    const char *p = files->v[damaged[k]];
    rc = cdx_writer_delete(w, p, err);
    if (rc == CDX_OK) rc = cdx_writer_add_file(w, p, &with, NULL, err);
    if (rc == CDX_OK) {
      const char *const *warn;
      size_t nw = cdx_writer_last_warnings(w, &warn);
      summarise_warnings(warn, nw, p, true);
    }
  }
  cdx_index_close(ix);
  return rc == CDX_OK ? cdx_writer_commit(w, err) : rc;
}

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

struct args {
  const char *index;
  size_t memory, threads;
  uint64_t max_file_size;
  const char *report;
  bool json, quiet, verbose;
  cdx_meta_overrides ov;
};

static const cli_option options[] = {
    CLI_OPT_INDEX(struct args),
    {"memory", 0, CLI_OPT_POSITIVE, offsetof(struct args, memory), "MB",
     "buffer budget before a segment is flushed (default 256)", NULL, NULL, 1u << 20},
    {"threads", 0, CLI_OPT_POSITIVE, offsetof(struct args, threads), "N",
     "threads that read, parse and analyse documents\n(default: the number of cores; the index is "
     "the\nsame for any number)",
     NULL, NULL, 64},
    {"max-file-size", 0, CLI_OPT_SIZE, offsetof(struct args, max_file_size), "SIZE",
     "larger documents are refused, naming the file\n(500K, 100M, 1G or bytes; default 64M; not "
     "for\n*.jsonl files)",
     NULL, NULL, SIZE_MAX / 4},
    {"report", 0, CLI_OPT_STRING, offsetof(struct args, report), "FORMAT",
     "the change report as text (default, one screen),\nmd or json (one object; both list up to "
     "1,000\nentries a section and count the rest)",
     "text,md,json", NULL, 0},
    CLI_OPT_JSON(struct args,
                 "the summary as a record, each failure as an error record\n(docs/JSON.md)"),
    {"quiet", 'q', CLI_OPT_FLAG, offsetof(struct args, quiet), NULL,
     "print errors only: no progress, notes, warnings or summary", NULL, NULL, 0},
    {"verbose", 'v', CLI_OPT_FLAG, offsetof(struct args, verbose), NULL,
     "a line per file (added, unchanged, replaced) and every warning in full", NULL, NULL, 0},
    CLI_META_OPTIONS(struct args, ov),
    CLI_OPT_END,
};

static const cli_command spec = {
    "index",
    "[OPTIONS] PATH...",
    "Adds files and directories (recursively; hidden files, *.meta sidecars and\n"
    "*.jsonl files inside directories are skipped; a *.jsonl file named on the\n"
    "command line is read as JSON Lines) in one commit, creating\n"
    "the index when needed (the only command that creates one). An unchanged\n"
    "file is skipped; a changed one replaces its old version. Files that cannot\n"
    "be read are listed and the others are still committed; the exit status is\n"
    "then 2, as it is when a bad JSON Lines record is named (with its line) and\n"
    "skipped, the rest of its file indexed. Inside a\n"
    "directory, what is not a regular file (FIFO, device, socket, dangling\n"
    "link) and a link to a directory already walked are skipped with a note\n"
    "on stderr; the exit status stays 0. A file whose text had to be\n"
    "repaired (mojibake) or has other warnings gets one line on stderr\n"
    "summarising them ('clausedex parse --json FILE' lists each). A repaired\n"
    "file is parsed again once the others are committed, with the index as\n"
    "evidence for characters its own text leaves undecided.\n"
    "The metadata options apply to every file named. On a terminal, a progress\n"
    "bar (files, MB, MB/s, ETA) is shown on stderr and erased at the end.\n\n"
    "The command ends with the change report of the batch on stdout: new\n"
    "policy families, new versions of known ones (送审稿 -> final, a new\n"
    "edition) with clause counts against the version before (for the first\n"
    "1,000 of a batch), replaced and deleted documents, the links to and\n"
    "from the batch's documents; 'no changes' when nothing changed. The\n"
    "report is kept in the index directory ('clausedex log', 'clausedex\n"
    "changes').\n",
    options,
    NULL,
    0,
    1,
    -1};

/* What the batch did so far, for the callbacks below. */
struct batch_state {
  const file_list *files;
  cli_progress *bar;
  const cdx_meta_overrides *ov;
  size_t added, unchanged, replaced, failed, bad;
  size_t *damaged, n_damaged; /* indexes into files */
  unsigned long long bytes;
  bool oom;
};

/* A bad JSON Lines record: named with its line, counted as failed. */
static void report_skip(void *ctx, const cdx_error *e) {
  cli_fail("%s", e->message);
  ((struct batch_state *)ctx)->bad++;
}

/* One file done (in input order): its warnings, its line with -v, its
 * error. */
static int file_done(void *ctx, const cdx_batch_result *r) {
  struct batch_state *bs = ctx;
  const file_list *files = bs->files;
  size_t k = r->index;
  const char *p = files->v[k];
  if (k + READ_AHEAD_FILES < files->n) read_ahead(files->v[k + READ_AHEAD_FILES]);
  cli_progress_update(bs->bar, k + 1, bs->bytes + files->size[k]);
  int rc = r->rc;
  if (ends_with(p, ".jsonl")) {
    bs->added += r->counts[CDX_ADD_NEW];
    bs->unchanged += r->counts[CDX_ADD_UNCHANGED];
    bs->replaced += r->counts[CDX_ADD_REPLACED];
    if (bs->bad) { /* each one reported already, the rest of the file added */
      bs->failed += bs->bad;
      bs->bad = 0;
      if (rc == CDX_BADINPUT) rc = CDX_OK;
    }
  } else if (rc == CDX_OK) {
    cdx_add_outcome oc = r->outcome;
    if (summarise_warnings(r->warnings, r->n_warnings, p, false) && oc != CDX_ADD_UNCHANGED) {
      size_t *g = realloc(bs->damaged, (bs->n_damaged + 1) * sizeof *g);
      if (!g) {
        bs->oom = true;
        return 1;
      }
      bs->damaged = g;
      bs->damaged[bs->n_damaged++] = k;
    } else {
      summarise_warnings(r->warnings, r->n_warnings, p, true);
    }
    if (oc == CDX_ADD_NEW) bs->added++;
    else if (oc == CDX_ADD_UNCHANGED) bs->unchanged++;
    else bs->replaced++;
    if (verbosity > 0) cli_progress_clear(bs->bar);
    if (verbosity > 0)
      fprintf(stderr, "%s %s\n",
              oc == CDX_ADD_NEW         ? "added"
              : oc == CDX_ADD_UNCHANGED ? "unchanged"
                                        : "replaced",
              p);
  }
  if (rc == CDX_OK) {
    bs->bytes += files->size[k];
    return 0;
  }
  /* the writer names the file in its message; make sure it is there */
  if (strstr(r->err->message, p)) cli_fail("%s", r->err->message);
  else cli_fail("%s: %s", p, r->err->message);
  bs->failed++;
  return 0;
}

int cmd_index(int argc, char **argv) {
  struct args a = {0};
  int n_paths, status = cli_parse(&spec, argc, argv, &a, &n_paths);
  if (status != CLI_GO_ON) return status;
  status = CLI_OK;
  cli_json_mode = a.json;
  if (a.quiet && a.verbose) return cli_fail("index: -q and -v contradict each other");
  verbosity = a.quiet ? -1 : a.verbose ? 1 : 0;
  const cdx_meta_overrides ov = a.ov;
  bool any_ov = cli_meta_given(&ov);
  walk wk = {0};
  file_list files = {0};
  for (int i = 1; i <= n_paths; i++)
    if (collect(&wk, argv[i], true) != 0) return cli_fail("out of memory");
  free(wk.dirs.v);
  files = wk.files;
  const char *dir = cli_search_index_dir(a.index);
  long cores = sysconf(_SC_NPROCESSORS_ONLN);
  cdx_writer_options opts = {.memory_budget = a.memory << 20,
                             .max_file_size = (size_t)a.max_file_size,
                             .threads = a.threads   ? (unsigned)a.threads
                                        : cores > 1 ? (unsigned)cores
                                                    : 1};
  cdx_writer *w;
  cdx_error err;
  cdx_index *before = cli_report_before(dir);
  if (cdx_writer_open(dir, &opts, &w, &err) != CDX_OK) {
    cdx_index_close(before);
    return cli_fail_err(&err);
  }
  unsigned long long total_bytes = 0;
  for (size_t k = 0; k < files.n; k++) total_bytes += files.size[k];
  cli_progress bar;
  cli_progress_start(&bar, isatty(STDERR_FILENO) && verbosity >= 0, files.n, total_bytes);
  double t0 = now();
  struct batch_state bs = {.files = &files, .bar = &bar, .ov = any_ov ? &ov : NULL};
  for (size_t k = 0; k < files.n && k < READ_AHEAD_FILES; k++) read_ahead(files.v[k]);
  int brc = cdx_writer_add_batch(w, (const char *const *)files.v, files.n, bs.ov, file_done,
                                 report_skip, &bs, &err);
  if (brc != CDX_OK) {
    /* the writer is unusable: nothing more is committed (the commit below
     * fails with the reason) */
    bs.failed++;
  }
  if (bs.oom) {
    cli_fail("out of memory");
    bs.failed++;
  }
  if (bs.failed) status = CLI_ERROR;
  size_t added = bs.added, unchanged = bs.unchanged, replaced = bs.replaced, failed = bs.failed;
  size_t *damaged = bs.damaged, n_damaged = bs.n_damaged;
  unsigned long long bytes = bs.bytes;
  cli_progress_end(&bar);
  int rc = cdx_writer_commit(w, &err);
  if (rc == CDX_OK && n_damaged)
    rc = readd_damaged(w, dir, &files, damaged, n_damaged, any_ov ? &ov : NULL, &err);
  free(damaged);
  cdx_writer_close(w);
  if (rc != CDX_OK) {
    for (size_t k = 0; k < files.n; k++) free(files.v[k]);
    free(files.v);
    free(files.size);
    cdx_index_close(before);
    return cli_fail_err(&err);
  }
  /* the report goes where the summary goes: a JSON object with --json,
   * nothing with -q (it is stored all the same) unless asked for */
  int fmt = a.report        ? cli_report_format(a.report)
            : a.json        ? CDX_REPORT_JSON
            : verbosity < 0 ? CLI_REPORT_NONE
                            : CDX_REPORT_TEXT;
  if (cli_report_after(dir, before, fmt, opts.threads) != CLI_OK) status = CLI_ERROR;
  cdx_index *ix;
  cdx_index_stats st = {0};
  if (cdx_index_open(dir, &ix, &err) == CDX_OK) {
    cdx_index_get_stats(ix, &st);
    cdx_index_close(ix);
  }
  double secs = now() - t0;
  char fails[96] = "";
  if (failed) snprintf(fails, sizeof fails, ", %zu failed", failed);
  if (wk.skipped)
    snprintf(fails + strlen(fails), sizeof fails - strlen(fails), ", %zu skipped", wk.skipped);
  if (a.json)
    printf("{\"type\":\"summary\",\"added\":%zu,\"unchanged\":%zu,\"replaced\":%zu,\"failed\":%zu,"
           "\"skipped\":%zu,\"bytes\":%llu,\"elapsed_s\":%.3f,\"documents\":%llu,\"units\":%llu}\n",
           added, unchanged, replaced, failed, wk.skipped, bytes, secs,
           (unsigned long long)st.documents, (unsigned long long)st.units);
  else if (verbosity >= 0)
    fprintf(stderr,
            "%zu added, %zu unchanged, %zu replaced%s; %.1f MB read in %.2f s; "
            "index: %llu documents, %llu units\n",
            added, unchanged, replaced, fails, bytes / 1048576.0, secs,
            (unsigned long long)st.documents, (unsigned long long)st.units);
  for (size_t k = 0; k < files.n; k++) free(files.v[k]);
  free(files.v);
  free(files.size);
  return status;
}
