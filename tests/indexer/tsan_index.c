/*
 * The threaded write pipeline (cdx_writer_add_batch, `index --threads N`):
 * the same index bytes for 1, 2 and 4 threads, and bad input among good
 * input handled as with one thread. A plain program (Criterion cannot start
 * under ThreadSanitizer), run by ctest in every build and by scripts/check
 * in a ThreadSanitizer build:
 *
 *   cmake -S . -B build-tsan -DCDX_TSAN=ON -DCDX_BENCH=OFF
 *   cmake --build build-tsan --target tsan_index && build-tsan/tests/tsan_index
 *
 * Input: a small generated corpus (GB18030, Traditional and CRLF documents
 * among them), the seed documents ($CLAUSEDEX_SEEDS or ../shared/corpus/seeds;
 * under CI=true their absence is a failure, else a visible skip of that
 * part), a JSON Lines file with a bad record, a file that is not UTF-8 or
 * any known encoding... and a path that does not exist. Pass (exit 0) when:
 * every segment and deletion file of the commit is byte-identical across
 * the thread counts, each batch reported the same per-file results in
 * input order (the broken files named in their errors, the others added),
 * the index passes check, the change report of the batch (its alignments
 * of versions on 1 and 4 threads) renders the same, a second batch over
 * the same files finds every document unchanged; and, under TSan, no
 * report.
 */
#define _POSIX_C_SOURCE 200809L
#define _DEFAULT_SOURCE
#include <dirent.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "clausedex.h"
#include "clausedex/generate.h"
#include "tests/support/ix_paths.h"

static int fails;
#define CHECK(c, ...)                                    \
  do {                                                   \
    if (!(c)) {                                          \
      fprintf(stderr, "tsan_index: FAIL: " __VA_ARGS__); \
      fputc('\n', stderr);                               \
      fails++;                                           \
    }                                                    \
  } while (0)

static char **paths;
static size_t n_paths;

static void add_path(const char *p) {
  paths = realloc(paths, (n_paths + 1) * sizeof *paths);
  paths[n_paths++] = strdup(p);
}

static int by_name(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Regular *.txt files under dir, recursively, sorted. */
static void walk(const char *dir) {
  DIR *d = opendir(dir);
  if (!d) return;
  size_t first = n_paths;
  struct dirent *e;
  while ((e = readdir(d))) {
    if (e->d_name[0] == '.') continue;
    char p[4096];
    snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
    struct stat st;
    if (stat(p, &st) != 0) continue;
    if (S_ISDIR(st.st_mode)) walk(p);
    else if (strlen(p) > 4 && strcmp(p + strlen(p) - 4, ".txt") == 0) add_path(p);
  }
  closedir(d);
  qsort(paths + first, n_paths - first, sizeof *paths, by_name);
}

static void write_file(const char *path, const char *data, size_t len) {
  FILE *f = fopen(path, "wb");
  if (!f) {
    perror(path);
    exit(2);
  }
  fwrite(data, 1, len, f);
  fclose(f);
}

/* What a batch told, one line per file, to compare across thread counts. */
typedef struct log {
  char *text;
  size_t len;
  size_t skips;
} log;

static void logf_(log *l, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void logf_(log *l, const char *fmt, ...) {
  char line[1024];
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(line, sizeof line, fmt, ap);
  va_end(ap);
  l->text = realloc(l->text, l->len + (size_t)n + 1);
  memcpy(l->text + l->len, line, (size_t)n + 1);
  l->len += (size_t)n;
}

static size_t next_index;
static int expect_unchanged; /* the second batch over the same files */
static int on_done(void *ctx, const cdx_batch_result *r) {
  log *l = ctx;
  if (expect_unchanged && r->rc == CDX_OK)
    CHECK(r->counts[CDX_ADD_NEW] == 0 && r->counts[CDX_ADD_REPLACED] == 0 &&
              (r->counts[CDX_ADD_UNCHANGED] || r->outcome == CDX_ADD_UNCHANGED),
          "%s: not unchanged the second time", paths[r->index]);
  CHECK(r->index == next_index, "result for file %zu, expected %zu", r->index, next_index);
  next_index = r->index + 1;
  logf_(l, "%zu rc=%d outcome=%d counts=%zu/%zu/%zu warnings=%zu %s\n", r->index, r->rc, r->outcome,
        r->counts[0], r->counts[1], r->counts[2], r->n_warnings, r->err ? r->err->message : "");
  if (r->rc != CDX_OK)
    CHECK(r->err && strstr(r->err->message, paths[r->index]), "error does not name %s: %s",
          paths[r->index], r->err ? r->err->message : "(none)");
  return 0;
}

static void on_skip(void *ctx, const cdx_error *e) {
  log *l = ctx;
  l->skips++;
  logf_(l, "skip %s\n", e->message);
}

static void run(const char *dir, unsigned threads, log *l) {
  cdx_writer_options o = {.threads = threads, .memory_budget = 1u << 20}; /* several segments */
  cdx_writer *w;
  cdx_error e;
  if (cdx_writer_open(dir, &o, &w, &e) != CDX_OK) {
    fprintf(stderr, "tsan_index: open %s: %s\n", dir, e.message);
    exit(2);
  }
  next_index = 0;
  int rc =
      cdx_writer_add_batch(w, (const char *const *)paths, n_paths, NULL, on_done, on_skip, l, &e);
  CHECK(rc == CDX_OK, "batch with %u threads: %s", threads, e.message);
  CHECK(next_index == n_paths, "%u threads: %zu of %zu files reported", threads, next_index,
        n_paths);
  CHECK(cdx_writer_commit(w, &e) == CDX_OK, "commit: %s", e.message);
  cdx_writer_close(w);
  CHECK(cdx_index_check(dir, &e) == CDX_OK, "check %s: %s", dir, e.message);
}

static char *slurp(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  if (!f) return NULL;
  fseek(f, 0, SEEK_END);
  long n = ftell(f);
  fseek(f, 0, SEEK_SET);
  char *b = malloc((size_t)n + 1);
  *len = fread(b, 1, (size_t)n, f);
  fclose(f);
  return b;
}

/* Every seg-* file of a and b the same bytes, and the same names. */
static void same_files(const char *a, const char *b) {
  struct dirent **ea, **eb;
  int na = scandir(a, &ea, NULL, alphasort), nb = scandir(b, &eb, NULL, alphasort), segs = 0;
  CHECK(na == nb, "%s and %s hold %d and %d files", a, b, na, nb);
  for (int i = 0; i < na && i < nb; i++) {
    if (strncmp(ea[i]->d_name, "seg-", 4) != 0) continue;
    CHECK(strcmp(ea[i]->d_name, eb[i]->d_name) == 0, "%s/%s against %s/%s", a, ea[i]->d_name, b,
          eb[i]->d_name);
    char pa[4096], pb[4096];
    snprintf(pa, sizeof pa, "%s/%s", a, ea[i]->d_name);
    snprintf(pb, sizeof pb, "%s/%s", b, eb[i]->d_name);
    size_t la = 0, lb = 0;
    char *da = slurp(pa, &la), *db = slurp(pb, &lb);
    CHECK(da && db && la == lb && memcmp(da, db, la) == 0, "%s and %s differ", pa, pb);
    free(da);
    free(db);
    segs++;
  }
  CHECK(segs >= 2, "%s: %d segment files (the budget should give several)", a, segs);
  for (int i = 0; i < na; i++) free(ea[i]);
  for (int i = 0; i < nb; i++) free(eb[i]);
  free(ea);
  free(eb);
}

/* The builder's stored-text deflate on a thread of its own
 * (indexer/store_deflate.c): after every document, a threaded builder
 * answers "is the memory over this limit?" as the serial one's memory
 * does, for limits around it (those near it make it wait for the
 * compressing thread, those far from it must not; over m and not over
 * m + 1: its memory is the serial one's), and the two segments written are
 * the same bytes. */
static uint64_t rng = 88172645463325252ull;
static unsigned next_rand(void) {
  rng ^= rng << 13;
  rng ^= rng >> 7;
  rng ^= rng << 17;
  return (unsigned)(rng >> 11);
}

static void deflate_stage(const char *root) {
  enum { DOCS = 300, UNITS = 6 };
  cdx_segb *b[2];
  cdx_error e;
  for (int k = 0; k < 2; k++) {
    if (cdx_segb_new(&b[k], &e) != CDX_OK) {
      fprintf(stderr, "tsan_index: segb: %s\n", e.message);
      exit(2);
    }
  }
  cdx_segb_set_threaded(b[1]);
  char *texts[UNITS];
  size_t checks = 0;
  for (int d = 0; d < DOCS; d++) {
    cdx_ix_unit_in units[UNITS];
    memset(units, 0, sizeof units);
    uint64_t off = 0;
    for (int u = 0; u < UNITS; u++) {
      /* Han characters from a few hundred, so the blocks deflate as text */
      size_t n = 10 + next_rand() % 400, len = 0;
      texts[u] = malloc(3 * n + 1);
      for (size_t i = 0; i < n; i++) {
        unsigned c = 0x4E00 + next_rand() % 600;
        texts[u][len++] = (char)(0xE0 | c >> 12);
        texts[u][len++] = (char)(0x80 | (c >> 6 & 0x3F));
        texts[u][len++] = (char)(0x80 | (c & 0x3F));
      }
      texts[u][len] = 0;
      units[u].kind = CDX_UNIT_CLAUSE;
      units[u].ordinal = u;
      units[u].text = texts[u];
      units[u].text_len = len;
      units[u].offset = off;
      off += len + 1;
    }
    char id[32];
    snprintf(id, sizeof id, "doc%d", d);
    cdx_ix_doc_in in = {.id = id, .title = id, .n_units = UNITS, .units = units};
    for (int k = 0; k < 2; k++)
      CHECK(cdx_segb_add(b[k], &in, &e) == CDX_OK, "segb_add: %s", e.message);
    for (int u = 0; u < UNITS; u++) free(texts[u]);
    size_t m = cdx_segb_memory(b[0]);
    /* far limits first: answered without waiting, from the bounds */
    const long deltas[] = {1L << 24, -(1L << 22), 1L << 14, -(1L << 14), 1, 0, -1};
    for (size_t i = 0; i < sizeof deltas / sizeof deltas[0]; i++) {
      if (deltas[i] < 0 && (size_t)-deltas[i] > m) continue;
      size_t limit = m + (size_t)deltas[i];
      bool over = false;
      CHECK(cdx_segb_over(b[1], limit, &over, &e) == CDX_OK, "segb_over: %s", e.message);
      CHECK(over == (m >= limit), "document %d: over %zu is %d, the serial memory %zu", d, limit,
            over, m);
      checks++;
    }
  }
  char dir[2][1100];
  for (int k = 0; k < 2; k++) {
    snprintf(dir[k], sizeof dir[k], "%s/segb%d", root, k);
    mkdir(dir[k], 0755);
    cdx_seg_info info;
    CHECK(ixp_segb_write(b[k], dir[k], 1, &info, &e) == CDX_OK, "segb_write: %s", e.message);
    cdx_segb_free(b[k]);
  }
  char pa[1200], pb[1200];
  snprintf(pa, sizeof pa, "%s/seg-00000001.cdx", dir[0]);
  snprintf(pb, sizeof pb, "%s/seg-00000001.cdx", dir[1]);
  size_t la = 0, lb = 0;
  char *da = slurp(pa, &la), *db = slurp(pb, &lb);
  CHECK(da && db && la == lb && memcmp(da, db, la) == 0,
        "serial and threaded deflate: %s and %s differ", pa, pb);
  CHECK(la > 1u << 18, "%s: %zu bytes, expected hundreds of KB of stored text", pa, la);
  free(da);
  free(db);
  CHECK(checks >= DOCS * 5, "only %zu memory checks", checks);
}

int main(void) {
  char tmpl[] = "/tmp/tsan_index.XXXXXX";
  char *root = mkdtemp(tmpl);
  if (!root) return 2;
  char corpus[1024], extra[1024];
  snprintf(corpus, sizeof corpus, "%s/corpus", root);
  snprintf(extra, sizeof extra, "%s/extra", root);
  mkdir(extra, 0755);
  cdx_generate_options go = {.seed = 7, .target_bytes = 600 << 10};
  cdx_error e;
  if (cdx_generate_corpus(corpus, &go, NULL, &e) != CDX_OK) {
    fprintf(stderr, "tsan_index: generate: %s\n", e.message);
    return 2;
  }
  walk(corpus);
  size_t n_generated = n_paths;
  const char *seeds = getenv("CLAUSEDEX_SEEDS");
  if (!seeds || !*seeds) seeds = CDX_SEEDS_DEFAULT;
  size_t before = n_paths;
  walk(seeds);
  if (n_paths == before) {
    const char *ci = getenv("CI");
    if (ci && strcmp(ci, "true") == 0) {
      fprintf(stderr, "tsan_index: FAIL: no seed documents in %s (CI=true)\n", seeds);
      fails++;
    } else {
      fprintf(stderr, "tsan_index: SKIP the seed part: no seed documents in %s\n", seeds);
    }
  }
  /* bad input among the good: not text in any encoding, a JSON Lines file
   * with a bad record between good ones, a path that is not there, and one
   * document twice (the second time unchanged) */
  char p[4096];
  snprintf(p, sizeof p, "%s/broken.txt", extra);
  char junk[4096];
  for (size_t i = 0; i < sizeof junk; i++) junk[i] = (char)(i % 7 == 0 ? 0 : 0x80 | (i * 37 % 64));
  write_file(p, junk, sizeof junk);
  add_path(p);
  snprintf(p, sizeof p, "%s/records.jsonl", extra);
  const char *jl = "{\"doc\":\"r1\",\"text\":\"第一条 企业研发投入给予奖励。\"}\n"
                   "{\"doc\":\"r2\",\"text\":\"第二条 人才引进给予补助50万元。\"\n"
                   "{\"doc\":\"r3\",\"text\":\"第三条 高质量发展。\"}\n";
  write_file(p, jl, strlen(jl));
  add_path(p);
  snprintf(p, sizeof p, "%s/missing.txt", extra);
  add_path(p);
  if (n_generated) add_path(paths[0]);
  char dirs[3][1100];
  log logs[3] = {{0}};
  unsigned threads[3] = {1, 2, 4};
  for (int i = 0; i < 3; i++) {
    snprintf(dirs[i], sizeof dirs[i], "%s/ix%u", root, threads[i]);
    run(dirs[i], threads[i], &logs[i]);
  }
  CHECK(logs[0].skips == 1, "one bad record skipped, not %zu", logs[0].skips);
  CHECK(strstr(logs[0].text, "broken.txt") && strstr(logs[0].text, "missing.txt"),
        "the broken and the missing file were not reported:\n%s", logs[0].text);
  for (int i = 1; i < 3; i++) {
    same_files(dirs[0], dirs[i]);
    CHECK(logs[0].len == logs[i].len && memcmp(logs[0].text, logs[i].text, logs[0].len) == 0,
          "results of 1 and %u threads differ:\n%s---\n%s", threads[i], logs[0].text, logs[i].text);
  }
  /* the change report of the batch, its alignments on 1 and 4 threads */
  cdx_index *after;
  if (cdx_index_open(dirs[0], &after, &e) == CDX_OK) {
    char *text[2] = {NULL, NULL};
    size_t len[2] = {0, 0};
    unsigned rt[2] = {1, 4};
    for (int i = 0; i < 2; i++) {
      cdx_report *r;
      CHECK(cdx_report_compute_threads(NULL, after, rt[i], &r, &e) == CDX_OK, "report: %s",
            e.message);
      if (r)
        CHECK(cdx_report_render(r, CDX_REPORT_JSON, &text[i], &len[i], &e) == CDX_OK, "render: %s",
              e.message);
      cdx_report_free(r);
    }
    CHECK(text[0] && text[1] && len[0] == len[1] && memcmp(text[0], text[1], len[0]) == 0,
          "the reports of 1 and 4 threads differ");
    CHECK(text[0] && strstr(text[0], "\"transition\""), "no new version in the report to align");
    cdx_free(text[0]);
    cdx_free(text[1]);
    cdx_index_close(after);
  } else {
    CHECK(0, "open %s: %s", dirs[0], e.message);
  }
  deflate_stage(root);
  /* again over the same index: nothing changed, nothing written */
  log again = {0};
  expect_unchanged = 1;
  run(dirs[1], 2, &again);
  cdx_index *ix;
  if (cdx_index_open(dirs[1], &ix, &e) == CDX_OK) {
    cdx_index_stats st;
    cdx_index_get_stats(ix, &st);
    CHECK(st.documents >= n_generated, "%llu documents, expected at least %zu",
          (unsigned long long)st.documents, n_generated);
    cdx_index_close(ix);
  }
  if (!fails) {
    char cmd[4200];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", root);
    if (system(cmd) != 0) fprintf(stderr, "tsan_index: could not remove %s\n", root);
  }
  for (size_t i = 0; i < n_paths; i++) free(paths[i]);
  free(paths);
  for (int i = 0; i < 3; i++) free(logs[i].text);
  free(again.text);
  if (fails) fprintf(stderr, "tsan_index: %d failure(s); files kept in %s\n", fails, root);
  else printf("tsan_index: %zu files, 1/2/4 threads: same segment bytes\n", n_paths);
  return fails ? 1 : 0;
}
