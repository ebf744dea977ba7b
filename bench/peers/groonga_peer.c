/* groonga_peer: the Groonga 13 peer of bench/run, on Groonga's C API.
 *
 *   groonga_peer index DB RECORDS.tsv
 *   groonga_peer bench DB QUERIES WARM RUNS
 *   groonga_peer search DB OP TERM...        (one whole process: open, top-10, print)
 *
 * RECORDS.tsv: one record's text a line (the record id is its 1-based line
 * number, which is Groonga's _id in a TABLE_NO_KEY table). QUERIES: one query
 * a line, "OP<TAB>KIND:TERM<TAB>...", OP "and" or "or", KIND w (word), p
 * (quoted phrase) or c (one character); bench/peers/native_peer.py writes both
 * and explains the format. Output is line-oriented text the driver parses:
 *   index SECONDS RECORDS BYTES
 *   q N COUNT ID,ID,... MS,MS,... MS,MS,...   (top-10 ids, top-10 times, count times)
 *
 * Schema: Clauses (TABLE_NO_KEY) with a Text column; Terms (TABLE_PAT_KEY,
 * TokenBigram, NormalizerAuto) with an index column WITH_POSITION built after
 * the load (a static index build, Groonga's fast path). Every word or phrase
 * is a quoted phrase in Groonga's query syntax, so its bigrams must be
 * adjacent, as clausedex requires; a single character is a prefix search of
 * the lexicon (what Groonga does for a one-character query). Queries go
 * through the in-process `select` command (grn_ctx_send), sorted by -_score,
 * so the top-10 is ranked over every match as in the other engines, and with
 * the result cache off, so each repetition runs the query again. */
#define _POSIX_C_SOURCE 200809L
#include <groonga.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static grn_ctx ctx;

static void die(const char *what, const char *detail) {
  fprintf(stderr, "groonga_peer: %s%s%s\n", what, detail ? ": " : "", detail ? detail : "");
  exit(2);
}

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec + ts.tv_nsec * 1e-9;
}

/* Runs one command; returns its output (owned by ctx, valid until the next
 * command) and its length. */
static const char *command(const char *cmd, unsigned int *len) {
  char *res = NULL;
  unsigned int n = 0;
  int flags = 0;
  grn_ctx_send(&ctx, cmd, (unsigned int)strlen(cmd), 0);
  if (ctx.rc != GRN_SUCCESS) die(cmd, ctx.errbuf);
  grn_ctx_recv(&ctx, &res, &n, &flags);
  if (ctx.rc != GRN_SUCCESS) die(cmd, ctx.errbuf);
  if (len) *len = n;
  return res ? res : "";
}

/* Appends s to the growing buffer *b, escaping it for a double-quoted value
 * of a command line (backslash and quote). */
static void append(char **b, size_t *len, size_t *cap, const char *s, int escape) {
  for (;; s++) {
    if (*len + 3 > *cap) {
      *cap = *cap ? *cap * 2 : 256;
      *b = realloc(*b, *cap);
      if (!*b) die("out of memory", NULL);
    }
    if (!*s) break;
    if (escape && (*s == '"' || *s == '\\')) (*b)[(*len)++] = '\\';
    (*b)[(*len)++] = *s;
  }
  (*b)[*len] = '\0';
}

/* Builds the Groonga query-syntax string of "OP<TAB>KIND:TERM..." fields. */
static char *groonga_query(int nterms, char **terms, const char *op) {
  char *q = NULL;
  size_t len = 0, cap = 0;
  append(&q, &len, &cap, "", 0);
  for (int i = 0; i < nterms; i++) {
    const char *t = terms[i];
    if (strlen(t) < 3 || t[1] != ':') die("bad query term", t);
    if (i) append(&q, &len, &cap, strcmp(op, "or") == 0 ? " OR " : " ", 0);
    if (t[0] == 'c') {
      append(&q, &len, &cap, t + 2, 0);
      append(&q, &len, &cap, "*", 0); /* prefix search of the lexicon */
    } else {
      /* A phrase inside Groonga's syntax: quotes escaped by backslash. */
      append(&q, &len, &cap, "\"", 0);
      for (const char *s = t + 2; *s; s++) {
        char one[3] = {0};
        if (*s == '"' || *s == '\\') one[0] = '\\', one[1] = *s;
        else one[0] = *s;
        append(&q, &len, &cap, one, 0);
      }
      append(&q, &len, &cap, "\"", 0);
    }
  }
  return q;
}

static char *select_cmd(const char *query, int limit, const char *columns) {
  char *c = NULL;
  size_t len = 0, cap = 0;
  append(&c, &len, &cap, "select --table Clauses --match_columns text --query \"", 0);
  append(&c, &len, &cap, query, 1);
  char tail[256];
  /* --cache no: select's result cache would answer every repetition after
   * the first from memory (0.02 ms whatever the query). */
  snprintf(tail, sizeof tail, "\" --limit %d --output_columns %s%s --cache no", limit, columns,
           limit ? " --sort_keys -_score" : "");
  append(&c, &len, &cap, tail, 0);
  return c;
}

/* The select output is [[rc,...],[[[N],[columns...],[row]...]]]: N is the
 * first number after "[[[" and the rows follow the column list. */
static long parse_count(const char *out, unsigned int len, char *ids, size_t ids_cap) {
  const char *p = strstr(out, "[[[");
  if (!p) die("unexpected select output", len > 200 ? "(long)" : out);
  long n = strtol(p + 3, NULL, 10);
  if (ids) {
    ids[0] = '\0';
    size_t used = 0;
    /* rows look like [ID,SCORE]; the column list is [["_id","UInt32"],...]. */
    const char *r = strstr(p, "]],[");
    while (r && (r = strstr(r, "],[")) != NULL) {
      r += 3;
      long id = strtol(r, NULL, 10);
      if (id <= 0) break;
      used += (size_t)snprintf(ids + used, ids_cap - used, "%s%ld", used ? "," : "", id);
      if (used >= ids_cap) break;
    }
  }
  return n;
}

static void cmd_index(const char *db_path, const char *records) {
  FILE *f = fopen(records, "r");
  if (!f) die("cannot open", records);
  double t0 = now();
  grn_obj *db = grn_db_create(&ctx, db_path, NULL);
  if (!db) die("cannot create database", db_path);
  command("table_create Clauses TABLE_NO_KEY", NULL);
  command("column_create Clauses text COLUMN_SCALAR LongText", NULL);
  grn_obj *table = grn_ctx_get(&ctx, "Clauses", -1);
  grn_obj *column = grn_ctx_get(&ctx, "Clauses.text", -1);
  if (!table || !column) die("schema", ctx.errbuf);
  grn_obj value;
  GRN_TEXT_INIT(&value, 0);
  char *line = NULL;
  size_t cap = 0;
  ssize_t n;
  long records_n = 0, bytes = 0;
  while ((n = getline(&line, &cap, f)) > 0) {
    if (line[n - 1] == '\n') line[--n] = '\0';
    grn_id id = grn_table_add(&ctx, table, NULL, 0, NULL);
    if (id == GRN_ID_NIL) die("grn_table_add", ctx.errbuf);
    GRN_TEXT_SET(&ctx, &value, line, n);
    if (grn_obj_set_value(&ctx, column, id, &value, GRN_OBJ_SET) != GRN_SUCCESS)
      die("grn_obj_set_value", ctx.errbuf);
    records_n++;
    bytes += n;
  }
  free(line);
  fclose(f);
  GRN_OBJ_FIN(&ctx, &value);
  command("table_create Terms TABLE_PAT_KEY ShortText --default_tokenizer TokenBigram "
          "--normalizer NormalizerAuto",
          NULL);
  command("column_create Terms idx COLUMN_INDEX|WITH_POSITION Clauses text", NULL);
  grn_obj_flush_recursive(&ctx, db);
  grn_obj_close(&ctx, db);
  printf("index %.6f %ld %ld\n", now() - t0, records_n, bytes);
}

static int split(char *line, char **fields, int max) {
  int n = 0;
  char *save = NULL;
  for (char *t = strtok_r(line, "\t\n", &save); t && n < max; t = strtok_r(NULL, "\t\n", &save))
    fields[n++] = t;
  return n;
}

static void cmd_bench(const char *db_path, const char *queries, int warm, int runs) {
  if (!grn_db_open(&ctx, db_path)) die("cannot open database", db_path);
  FILE *f = fopen(queries, "r");
  if (!f) die("cannot open", queries);
  char *cmds_top[1024], *cmds_count[1024];
  int nq = 0;
  char *line = NULL;
  size_t cap = 0;
  while (getline(&line, &cap, f) > 0 && nq < 1024) {
    char *fields[64];
    int nf = split(line, fields, 64);
    if (nf < 2) die("bad query line in", queries);
    char *q = groonga_query(nf - 1, fields + 1, fields[0]);
    cmds_top[nq] = select_cmd(q, 10, "_id,_score");
    cmds_count[nq] = select_cmd(q, 0, "_id");
    free(q);
    nq++;
  }
  free(line);
  fclose(f);
  for (int w = 0; w < warm; w++)
    for (int i = 0; i < nq; i++) command(cmds_top[i], NULL), command(cmds_count[i], NULL);
  double *t_top = calloc((size_t)runs, sizeof *t_top),
         *t_count = calloc((size_t)runs, sizeof *t_count);
  for (int i = 0; i < nq; i++) {
    char ids[512];
    unsigned int len;
    long count = -1;
    for (int r = 0; r < runs; r++) {
      double t0 = now();
      const char *out = command(cmds_top[i], &len);
      t_top[r] = (now() - t0) * 1e3;
      if (r == 0) parse_count(out, len, ids, sizeof ids);
    }
    for (int r = 0; r < runs; r++) {
      double t0 = now();
      const char *out = command(cmds_count[i], &len);
      t_count[r] = (now() - t0) * 1e3;
      if (r == 0) count = parse_count(out, len, NULL, 0);
    }
    printf("q %d %ld %s ", i, count, ids[0] ? ids : "-");
    for (int r = 0; r < runs; r++) printf("%s%.4f", r ? "," : "", t_top[r]);
    printf(" ");
    for (int r = 0; r < runs; r++) printf("%s%.4f", r ? "," : "", t_count[r]);
    printf("\n");
    free(cmds_top[i]);
    free(cmds_count[i]);
  }
  free(t_top);
  free(t_count);
}

static void cmd_search(const char *db_path, int nterms, char **terms, const char *op) {
  if (!grn_db_open(&ctx, db_path)) die("cannot open database", db_path);
  char *q = groonga_query(nterms, terms, op);
  char *c = select_cmd(q, 10, "_id,_score,text");
  unsigned int len;
  const char *out = command(c, &len);
  fwrite(out, 1, len, stdout);
  putchar('\n');
  free(q);
  free(c);
}

int main(int argc, char **argv) {
  if (argc < 4)
    die("usage: groonga_peer index DB RECORDS | bench DB QUERIES WARM RUNS | "
        "search DB OP KIND:TERM...",
        NULL);
  if (grn_init() != GRN_SUCCESS) die("grn_init failed", NULL);
  grn_ctx_init(&ctx, 0);
  if (strcmp(argv[1], "index") == 0) cmd_index(argv[2], argv[3]);
  else if (strcmp(argv[1], "bench") == 0 && argc == 6)
    cmd_bench(argv[2], argv[3], atoi(argv[4]), atoi(argv[5]));
  else if (strcmp(argv[1], "search") == 0 && argc >= 5)
    cmd_search(argv[2], argc - 4, argv + 4, argv[3]);
  else die("bad arguments", argv[1]);
  grn_ctx_fin(&ctx);
  grn_fin();
  return 0;
}
