/* bench_codec - throughput of the posting block codec against plain varint, libstreamvbyte and
 * memcpy, on the same posting lists.
 *
 *   bench_codec [--ids FILE | --text PATH...] [--dump-ids FILE] [--runs N] [--json FILE]
 *
 * Without --ids or --text: synthetic lists over a 10M id space (densities 1/2, 1/8, 1/64, 1/1024,
 * and a Zipf-like dictionary of 20,000 lists). With --ids: FILE holds records {u32 n, u32 ids[n]}
 * (little-endian, ids strictly increasing), e.g. posting lists dumped by the indexer. With --text:
 * the .txt files (directories are walked) are analyzed with the public analyzer, every non-empty
 * line counts as one clause (one id, in file-name order), and each CJK bigram's list of clause ids
 * is a posting list: an approximation of the indexer's clause-level bigram lists. --dump-ids
 * writes the lists of the (first) data set in the --ids format.
 *
 * Every decoder walks the lists block by block as the query engine does (decode up to 128 ids,
 * resolve the gaps, consume them), and the harness sums every decoded id so the compiler cannot
 * drop the work. Each figure is the median of --runs runs; a run repeats the whole data set until
 * it lasts at least 20 ms. Output: a Markdown table on stdout; --json FILE writes the same rows.
 */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <dirent.h>
#include <sys/stat.h>

#include "clausedex/analyzer.h"
#include "common/common.h"
#include "indexer/block_codec.h"
#include "bench_util.h"

#ifdef CDX_HAVE_STREAMVBYTE
#include <streamvbyte.h>
#include <streamvbytedelta.h>
#endif

#define ID_SPACE 10000000u
#define MIN_RUN_SECONDS 0.02

typedef struct {
  uint32_t *ids;
  size_t n;
} plist;

typedef struct {
  char name[96];
  plist *lists;
  size_t nlists, total;
} dataset;

typedef struct {
  uint8_t *bytes;
  size_t len, *offset; /* offset[l]: where list l starts */
} encoded;

static volatile uint64_t sink;

static uint64_t rng = 0x2545F4914F6CDD1DULL;
static double urand(void) {
  rng ^= rng >> 12;
  rng ^= rng << 25;
  rng ^= rng >> 27;
  return (double)((rng * 0x2545F4914F6CDD1DULL) >> 11) * (1.0 / 9007199254740992.0);
}

static void *xmalloc(size_t n) {
  void *p = malloc(n ? n : 1);
  if (!p) {
    fprintf(stderr, "bench_codec: out of memory\n");
    exit(1);
  }
  return p;
}

/* Ids with geometric gaps of mean 1/density: each id of the space is present with probability
 * `density`, as for a term that occurs independently in documents. */
static plist random_list(double density, size_t max_n) {
  plist l = {xmalloc(max_n * sizeof(uint32_t)), 0};
  double id = -1;
  while (l.n < max_n) {
    double gap = density >= 1.0 ? 1.0 : floor(log(1.0 - urand()) / log(1.0 - density)) + 1.0;
    id += gap;
    if (id >= ID_SPACE) break;
    l.ids[l.n++] = (uint32_t)id;
  }
  return l;
}

static void add_list(dataset *d, plist l) {
  d->lists = realloc(d->lists, (d->nlists + 1) * sizeof *d->lists);
  if (!d->lists) {
    fprintf(stderr, "bench_codec: out of memory\n");
    exit(1);
  }
  d->lists[d->nlists++] = l;
  d->total += l.n;
}

static dataset make_density(unsigned inv) {
  dataset d = {0};
  snprintf(d.name, sizeof d.name, "density 1/%u", inv);
  add_list(&d, random_list(1.0 / inv, ID_SPACE));
  return d;
}

/* A dictionary-like mix: list r (rank 1..20000) has about 2M/r ids, so a few long lists hold
 * most ids and most lists are short (partial blocks). */
static dataset make_zipf(void) {
  dataset d = {0};
  snprintf(d.name, sizeof d.name, "zipf 20k lists");
  for (unsigned r = 1; r <= 20000; r++) {
    size_t n = (size_t)(2000000.0 / r);
    if (n < 1) n = 1;
    add_list(&d, random_list((double)n / ID_SPACE, n));
  }
  return d;
}

static int load_ids(const char *path, dataset *d) {
  char *data;
  size_t len, pos = 0;
  cdx_error err = {0};
  if (cdx_read_file(path, &data, &len, &err) != CDX_OK) {
    fprintf(stderr, "bench_codec: %s: %s\n", path, err.message);
    return -1;
  }
  memset(d, 0, sizeof *d);
  snprintf(d->name, sizeof d->name, "ids %s", path);
  while (pos + 4 <= len) {
    uint32_t n = cdx_get_u32le((const uint8_t *)data + pos);
    pos += 4;
    if (n == 0 || (len - pos) / 4 < n) {
      fprintf(stderr, "bench_codec: %s: bad record at byte %zu\n", path, pos - 4);
      free(data);
      return -1;
    }
    plist l = {xmalloc(n * sizeof(uint32_t)), n};
    for (uint32_t i = 0; i < n; i++) {
      l.ids[i] = cdx_get_u32le((const uint8_t *)data + pos + 4 * (size_t)i);
      if (i > 0 && l.ids[i] <= l.ids[i - 1]) {
        fprintf(stderr, "bench_codec: %s: ids not increasing at byte %zu\n", path,
                pos + 4 * (size_t)i);
        free(data);
        return -1;
      }
    }
    pos += 4 * (size_t)n;
    add_list(d, l);
  }
  free(data);
  if (pos != len || d->total == 0) {
    fprintf(stderr, "bench_codec: %s: %s\n", path, pos != len ? "trailing bytes" : "no ids");
    return -1;
  }
  return 0;
}

/* ---- --text: clause-level bigram lists from text files ---- */

typedef struct {
  char *term;
  size_t len;
  plist list;
  size_t cap;
} term_entry;

typedef struct {
  term_entry *slots;
  size_t cap, used;
  uint32_t clause; /* current clause id */
} term_table;

static uint64_t fnv1a(const char *s, size_t n) {
  uint64_t h = 0xcbf29ce484222325ULL;
  for (size_t i = 0; i < n; i++) h = (h ^ (uint8_t)s[i]) * 0x100000001b3ULL;
  return h;
}

static void table_grow(term_table *t) {
  size_t ncap = t->cap ? t->cap * 2 : 1 << 16;
  term_entry *ns = calloc(ncap, sizeof *ns);
  if (!ns) {
    fprintf(stderr, "bench_codec: out of memory\n");
    exit(1);
  }
  for (size_t i = 0; i < t->cap; i++) {
    if (!t->slots[i].term) continue;
    size_t j = fnv1a(t->slots[i].term, t->slots[i].len) & (ncap - 1);
    while (ns[j].term) j = (j + 1) & (ncap - 1);
    ns[j] = t->slots[i];
  }
  free(t->slots);
  t->slots = ns;
  t->cap = ncap;
}

static int on_token(void *ctx, const cdx_token *tok) {
  term_table *t = ctx;
  if (tok->type != CDX_TOKEN_CJK_BIGRAM) return 0;
  if (2 * (t->used + 1) > t->cap) table_grow(t);
  size_t j = fnv1a(tok->term, tok->term_len) & (t->cap - 1);
  while (t->slots[j].term &&
         (t->slots[j].len != tok->term_len || memcmp(t->slots[j].term, tok->term, tok->term_len)))
    j = (j + 1) & (t->cap - 1);
  term_entry *e = &t->slots[j];
  if (!e->term) {
    e->term = xmalloc(tok->term_len);
    memcpy(e->term, tok->term, tok->term_len);
    e->len = tok->term_len;
    t->used++;
  }
  if (e->list.n && e->list.ids[e->list.n - 1] == t->clause) return 0;
  if (e->list.n == e->cap) {
    e->cap = e->cap ? 2 * e->cap : 4;
    e->list.ids = realloc(e->list.ids, e->cap * sizeof(uint32_t));
    if (!e->list.ids) {
      fprintf(stderr, "bench_codec: out of memory\n");
      exit(1);
    }
  }
  e->list.ids[e->list.n++] = t->clause;
  return 0;
}

static int cmp_str(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Appends the .txt files under path (sorted, so ids do not depend on directory order). */
static void collect_files(const char *path, char ***files, size_t *n) {
  struct stat st;
  if (stat(path, &st) != 0) {
    fprintf(stderr, "bench_codec: %s: cannot stat\n", path);
    exit(1);
  }
  if (!S_ISDIR(st.st_mode)) {
    size_t len = strlen(path);
    if (len >= 4 && strcmp(path + len - 4, ".txt") == 0) {
      *files = realloc(*files, (*n + 1) * sizeof **files);
      if (!*files) exit(1);
      (*files)[(*n)++] = strdup(path);
    }
    return;
  }
  DIR *dir = opendir(path);
  if (!dir) return;
  char **names = NULL;
  size_t nn = 0;
  for (struct dirent *de; (de = readdir(dir));) {
    if (de->d_name[0] == '.') continue;
    names = realloc(names, (nn + 1) * sizeof *names);
    if (!names) exit(1);
    size_t len = strlen(path) + strlen(de->d_name) + 2;
    names[nn] = xmalloc(len);
    snprintf(names[nn++], len, "%s/%s", path, de->d_name);
  }
  closedir(dir);
  qsort(names, nn, sizeof *names, cmp_str);
  for (size_t i = 0; i < nn; i++) {
    collect_files(names[i], files, n);
    free(names[i]);
  }
  free(names);
}

static int cmp_term_entry(const void *a, const void *b) {
  const term_entry *x = a, *y = b;
  size_t m = x->len < y->len ? x->len : y->len;
  int c = memcmp(x->term, y->term, m);
  return c ? c : (x->len > y->len) - (x->len < y->len);
}

static int load_text(char **paths, int npaths, dataset *d) {
  char **files = NULL;
  size_t nfiles = 0, skipped = 0;
  term_table t = {0};
  cdx_analyzer *an;
  cdx_error err = {0};
  for (int i = 0; i < npaths; i++) collect_files(paths[i], &files, &nfiles);
  if (cdx_analyzer_new(0, &an, &err) != CDX_OK) {
    fprintf(stderr, "bench_codec: analyzer: %s\n", err.message);
    return -1;
  }
  for (size_t f = 0; f < nfiles; f++) {
    char *data;
    size_t len;
    if (cdx_read_file(files[f], &data, &len, &err) != CDX_OK) {
      fprintf(stderr, "bench_codec: %s\n", err.message);
      return -1;
    }
    for (size_t pos = 0; pos < len;) {
      const char *nl = memchr(data + pos, '\n', len - pos);
      size_t end = nl ? (size_t)(nl - data) : len;
      if (end > pos + 1) { /* a non-empty line is a clause */
        if (cdx_analyzer_run(an, data + pos, end - pos, on_token, &t, &err) != CDX_OK)
          skipped++; /* e.g. a GB18030 file: not the analyzer's input */
        else t.clause++;
      }
      pos = end + 1;
    }
    free(data);
    free(files[f]);
  }
  free(files);
  cdx_analyzer_free(an);
  if (skipped)
    fprintf(stderr, "bench_codec: %zu lines were not valid UTF-8 and were skipped\n", skipped);
  memset(d, 0, sizeof *d);
  snprintf(d->name, sizeof d->name, "bigrams of %u clauses", t.clause);
  /* term order, as a dictionary would store them */
  size_t k = 0;
  for (size_t i = 0; i < t.cap; i++)
    if (t.slots[i].term) t.slots[k++] = t.slots[i];
  qsort(t.slots, k, sizeof *t.slots, cmp_term_entry);
  for (size_t i = 0; i < k; i++) {
    add_list(d, t.slots[i].list);
    free(t.slots[i].term);
  }
  free(t.slots);
  if (d->total == 0) {
    fprintf(stderr, "bench_codec: no bigrams in the text\n");
    return -1;
  }
  return 0;
}

static int dump_ids(const char *path, const dataset *d) {
  int rc = CDX_OK;
  cdx_buf b;
  cdx_error err = {0};
  cdx_buf_init(&b);
  for (size_t l = 0; l < d->nlists; l++) {
    cdx_buf_put_u32le(&rc, &b, (uint32_t)d->lists[l].n);
    for (size_t i = 0; i < d->lists[l].n; i++) cdx_buf_put_u32le(&rc, &b, d->lists[l].ids[i]);
  }
  if (rc == CDX_OK) rc = cdx_write_file_atomic(path, b.data, b.len, &err);
  if (rc != CDX_OK)
    fprintf(stderr, "bench_codec: %s: %s\n", path, err.message[0] ? err.message : "out of memory");
  cdx_buf_free(&b);
  return rc;
}

/* ---- the codecs ---- */

/* Encodes one block of m ids into out: its bytes. prev is the last id of
 * the list's previous block (first: there is none). */
typedef size_t (*block_encoder)(const uint32_t *ids, size_t m, bool first, uint32_t prev,
                                uint8_t *out);

/* Every list in blocks of CDX_BLOCK_LEN through enc, which writes at most
 * 5 bytes an id plus slack a list. */
static encoded encode_lists(const dataset *d, size_t slack, block_encoder enc) {
  encoded e = {xmalloc(d->total * 5 + d->nlists * slack), 0,
               xmalloc((d->nlists + 1) * sizeof(size_t))};
  for (size_t l = 0; l < d->nlists; l++) {
    const plist *pl = &d->lists[l];
    e.offset[l] = e.len;
    for (size_t k = 0; k < pl->n; k += CDX_BLOCK_LEN) {
      size_t m = pl->n - k < CDX_BLOCK_LEN ? pl->n - k : CDX_BLOCK_LEN;
      e.len += enc(pl->ids + k, m, k == 0, k ? pl->ids[k - 1] : 0, e.bytes + e.len);
    }
  }
  e.offset[d->nlists] = e.len;
  return e;
}

static size_t block_cdx(const uint32_t *ids, size_t m, bool first, uint32_t prev, uint8_t *out) {
  return cdx_block_encode_ids(ids, m, first ? 0 : prev + 1, out);
}

static encoded encode_cdx(const dataset *d) {
  return encode_lists(d, CDX_BLOCK_MAX_BYTES, block_cdx);
}

static inline uint64_t sum_u32(const uint32_t *v, size_t n) {
  uint32_t s = 0; /* wraps; a 32-bit sum vectorizes */
  for (size_t i = 0; i < n; i++) s += v[i];
  return s;
}

static uint64_t decode_cdx(const dataset *d, const encoded *e) {
  uint32_t buf[CDX_BLOCK_LEN];
  uint64_t s = 0;
  for (size_t l = 0; l < d->nlists; l++) {
    const uint8_t *p = e->bytes + e->offset[l], *end = e->bytes + e->len;
    size_t left = d->lists[l].n;
    uint32_t base = 0;
    while (left) {
      size_t m = left < CDX_BLOCK_LEN ? left : CDX_BLOCK_LEN;
      size_t used = cdx_block_decode_ids(p, (size_t)(end - p), m, base, buf);
      if (!used) {
        fprintf(stderr, "bench_codec: decode failed\n");
        exit(1);
      }
      p += used;
      base = buf[m - 1] + 1;
      s += sum_u32(buf, m);
      left -= m;
    }
  }
  return s;
}

static encoded encode_varint(const dataset *d) {
  encoded e = {xmalloc(d->total * 5), 0, xmalloc((d->nlists + 1) * sizeof(size_t))};
  for (size_t l = 0; l < d->nlists; l++) {
    uint32_t prev = 0;
    e.offset[l] = e.len;
    for (size_t i = 0; i < d->lists[l].n; i++) {
      uint32_t v = d->lists[l].ids[i] - prev; /* first id stored as is */
      prev = d->lists[l].ids[i];
      while (v >= 0x80) {
        e.bytes[e.len++] = (uint8_t)(v | 0x80);
        v >>= 7;
      }
      e.bytes[e.len++] = (uint8_t)v;
    }
  }
  e.offset[d->nlists] = e.len;
  return e;
}

/* A plain LEB128 loop, bounds-checked like any decoder of untrusted bytes. */
static uint64_t decode_varint(const dataset *d, const encoded *e) {
  uint32_t buf[CDX_BLOCK_LEN];
  uint64_t s = 0;
  const uint8_t *end = e->bytes + e->len;
  for (size_t l = 0; l < d->nlists; l++) {
    const uint8_t *p = e->bytes + e->offset[l];
    size_t left = d->lists[l].n;
    uint32_t id = 0;
    while (left) {
      size_t m = left < CDX_BLOCK_LEN ? left : CDX_BLOCK_LEN;
      for (size_t i = 0; i < m; i++) {
        uint32_t v = 0;
        unsigned shift = 0;
        while (p < end && (*p & 0x80) && shift < 28) {
          v |= (uint32_t)(*p++ & 0x7F) << shift;
          shift += 7;
        }
        if (p == end) {
          fprintf(stderr, "bench_codec: varint overrun\n");
          exit(1);
        }
        v |= (uint32_t)*p++ << shift;
        buf[i] = id += v;
      }
      s += sum_u32(buf, m);
      left -= m;
    }
  }
  return s;
}

#ifdef CDX_HAVE_STREAMVBYTE
/* Stream VByte in chunks of 128 with the same per-block delta, so it can skip as our blocks can. */
static size_t block_svb(const uint32_t *ids, size_t m, bool first, uint32_t prev, uint8_t *out) {
  return streamvbyte_delta_encode(ids, (uint32_t)m, out, first ? 0 : prev);
}

static encoded encode_svb(const dataset *d) { return encode_lists(d, 64, block_svb); }

static uint64_t decode_svb(const dataset *d, const encoded *e) {
  uint32_t buf[CDX_BLOCK_LEN];
  uint64_t s = 0;
  for (size_t l = 0; l < d->nlists; l++) {
    const uint8_t *p = e->bytes + e->offset[l];
    size_t left = d->lists[l].n;
    uint32_t prev = 0;
    while (left) {
      uint32_t m = (uint32_t)(left < CDX_BLOCK_LEN ? left : CDX_BLOCK_LEN);
      p += streamvbyte_delta_decode(p, buf, m, prev);
      prev = buf[m - 1];
      s += sum_u32(buf, m);
      left -= m;
    }
  }
  return s;
}
#endif

/* ---- timing ---- */

typedef struct {
  const char *codec;
  double bits, enc_mips, dec_mips;
  bool has_enc;
} row;

static int cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

typedef uint64_t (*decode_fn)(const dataset *, const encoded *);

/* Millions of ids per second, median of runs. */
static double time_decode(decode_fn fn, const dataset *d, const encoded *e, int runs,
                          uint64_t want) {
  double *mips = xmalloc((size_t)runs * sizeof *mips);
  size_t reps = 1;
  for (;;) { /* calibrate: one run lasts at least MIN_RUN_SECONDS */
    double t0 = bench_now();
    for (size_t r = 0; r < reps; r++) sink += fn(d, e);
    if (bench_now() - t0 >= MIN_RUN_SECONDS) break;
    reps *= 2;
  }
  for (int r = 0; r < runs; r++) {
    double t0 = bench_now();
    for (size_t k = 0; k < reps; k++) {
      uint64_t s = fn(d, e);
      if (s != want) {
        fprintf(stderr, "bench_codec: decoded sum mismatch\n");
        exit(1);
      }
      sink += s;
    }
    mips[r] = (double)d->total * (double)reps / (bench_now() - t0) / 1e6;
  }
  qsort(mips, (size_t)runs, sizeof *mips, cmp_double);
  double med = mips[runs / 2];
  free(mips);
  return med;
}

typedef encoded (*encode_fn)(const dataset *);

static double time_encode(encode_fn fn, const dataset *d, int runs, encoded *keep) {
  double *mips = xmalloc((size_t)runs * sizeof *mips);
  for (int r = 0; r < runs; r++) {
    double t0 = bench_now();
    size_t reps = 0;
    do {
      encoded e = fn(d);
      reps++;
      if (r == 0 && reps == 1) {
        *keep = e;
      } else {
        free(e.bytes);
        free(e.offset);
      }
    } while (bench_now() - t0 < MIN_RUN_SECONDS);
    mips[r] = (double)d->total * (double)reps / (bench_now() - t0) / 1e6;
  }
  qsort(mips, (size_t)runs, sizeof *mips, cmp_double);
  double med = mips[runs / 2];
  free(mips);
  return med;
}

static const encoded *memcpy_src;
static uint8_t *memcpy_dst;
static size_t memcpy_len;
static uint64_t do_memcpy(const dataset *d, const encoded *e) {
  memcpy(memcpy_dst, memcpy_src->bytes, memcpy_len);
  return memcpy_dst[memcpy_len / 2];
}

static uint64_t reference_sum(const dataset *d) {
  uint64_t s = 0;
  for (size_t l = 0; l < d->nlists; l++)
    for (size_t k = 0; k < d->lists[l].n; k += CDX_BLOCK_LEN) {
      size_t m = d->lists[l].n - k < CDX_BLOCK_LEN ? d->lists[l].n - k : CDX_BLOCK_LEN;
      s += sum_u32(d->lists[l].ids + k, m);
    }
  return s;
}

static void free_encoded(encoded *e) {
  free(e->bytes);
  free(e->offset);
}

/* The row of a codec compared with ours: its encoding and decoding speed
 * and its size, measured on d. */
static void peer_row(row *r, const char *codec, encode_fn enc, decode_fn dec, const dataset *d,
                     int runs, uint64_t want) {
  encoded e;
  r->codec = codec;
  r->enc_mips = time_encode(enc, d, runs, &e);
  r->has_enc = true;
  r->bits = (double)e.len * (8.0 / (double)d->total); /* as run_dataset's bits_per */
  r->dec_mips = time_decode(dec, d, &e, runs, want);
  free_encoded(&e);
}

static size_t run_dataset(const dataset *d, int runs, row *rows) {
  size_t nr = 0;
  uint64_t want = reference_sum(d);
  double bits_per = 8.0 / (double)d->total;
  encoded cdx;
  static const char *const impls[] = {"scalar", "avx2", "avx512"};
  const char *best = cdx_block_codec_impl();

  double enc = time_encode(encode_cdx, d, runs, &cdx);
  for (size_t i = 0; i < 3; i++) {
    if (!cdx_block_codec_force(impls[i])) continue;
    row *r = &rows[nr++];
    r->codec = i == 0 ? "cdx bp128 scalar" : i == 1 ? "cdx bp128 avx2" : "cdx bp128 avx512";
    r->bits = (double)cdx.len * bits_per;
    r->enc_mips = enc;
    r->has_enc = true;
    r->dec_mips = time_decode(decode_cdx, d, &cdx, runs, want);
  }
  cdx_block_codec_force(best);

  peer_row(&rows[nr++], "varint (LEB128)", encode_varint, decode_varint, d, runs, want);
#ifdef CDX_HAVE_STREAMVBYTE
  peer_row(&rows[nr++], "streamvbyte (delta, 128-chunks)", encode_svb, decode_svb, d, runs, want);
#endif
  row *r;

  /* memcpy of our encoded bytes, and of the decoded ids (4 bytes each): a floor for "decode" */
  memcpy_dst = xmalloc(d->total * 4);
  memcpy_src = &cdx;
  memcpy_len = cdx.len;
  r = &rows[nr++];
  r->codec = "memcpy of the cdx bytes";
  r->bits = (double)cdx.len * bits_per;
  r->has_enc = false;
  r->dec_mips = time_decode(do_memcpy, d, &cdx, runs, do_memcpy(d, &cdx));
  {
    encoded raw = {xmalloc(d->total * 4), d->total * 4, NULL};
    size_t pos = 0;
    for (size_t l = 0; l < d->nlists; l++) {
      memcpy(raw.bytes + pos, d->lists[l].ids, d->lists[l].n * 4);
      pos += d->lists[l].n * 4;
    }
    memcpy_src = &raw;
    memcpy_len = raw.len;
    r = &rows[nr++];
    r->codec = "memcpy of u32 ids";
    r->bits = 32;
    r->has_enc = false;
    r->dec_mips = time_decode(do_memcpy, d, &raw, runs, do_memcpy(d, &raw));
    free(raw.bytes);
  }
  free(memcpy_dst);
  free_encoded(&cdx);
  return nr;
}

static void usage(void) {
  fprintf(stderr, "usage: bench_codec [--ids FILE | --text PATH...] [--dump-ids FILE] [--runs N]"
                  " [--json FILE]\n");
  exit(2);
}

int main(int argc, char **argv) {
  const char *ids_path = NULL, *json_path = NULL, *dump_path = NULL;
  char **text_paths = NULL;
  int runs = 7, rc = CDX_OK, ntext = 0;
  for (int i = 1; i < argc; i++) {
    if (strcmp(argv[i], "--ids") == 0 && i + 1 < argc) ids_path = argv[++i];
    else if (strcmp(argv[i], "--text") == 0 && i + 1 < argc) {
      text_paths = &argv[i + 1];
      while (i + 1 < argc && strncmp(argv[i + 1], "--", 2) != 0) {
        i++;
        ntext++;
      }
    } else if (strcmp(argv[i], "--dump-ids") == 0 && i + 1 < argc) dump_path = argv[++i];
    else if (strcmp(argv[i], "--json") == 0 && i + 1 < argc) json_path = argv[++i];
    else if (strcmp(argv[i], "--runs") == 0 && i + 1 < argc) runs = atoi(argv[++i]);
    else usage();
  }
  if (runs < 1 || (ids_path && ntext) || (text_paths && !ntext)) usage();

  dataset sets[8];
  size_t nsets = 0;
  if (ids_path) {
    if (load_ids(ids_path, &sets[0]) != 0) return 1;
    nsets = 1;
  } else if (ntext) {
    if (load_text(text_paths, ntext, &sets[0]) != 0) return 1;
    nsets = 1;
  } else {
    static const unsigned inv[] = {2, 8, 64, 1024};
    for (size_t i = 0; i < 4; i++) sets[nsets++] = make_density(inv[i]);
    sets[nsets++] = make_zipf();
  }

  if (dump_path && dump_ids(dump_path, &sets[0]) != CDX_OK) return 1;

  cdx_buf js;
  cdx_buf_init(&js);
  cdx_json_member(&rc, &js, "{\"bench\":\"codec\",\"impl\":", cdx_block_codec_impl());
  cdx_buf_printf(&rc, &js, ",\"runs\":%d,\"datasets\":[", runs);

  printf("Block codec: decoders choose `%s`; median of %d runs; M ids/s on one core.\n\n",
         cdx_block_codec_impl(), runs);
  printf(
      "| data | ids | lists | codec | bits/id | encode M/s | decode M/s | decode vs best cdx |\n");
  printf("| --- | ---: | ---: | --- | ---: | ---: | ---: | ---: |\n");
  for (size_t s = 0; s < nsets; s++) {
    row rows[16];
    size_t nr = run_dataset(&sets[s], runs, rows);
    double best = 0;
    for (size_t i = 0; i < nr; i++)
      if (strncmp(rows[i].codec, "cdx", 3) == 0 && rows[i].dec_mips > best) best = rows[i].dec_mips;
    cdx_buf_printf(&rc, &js, "%s{\"name\":", s ? "," : "");
    cdx_json_cstr(&rc, &js, sets[s].name);
    cdx_buf_printf(&rc, &js, ",\"ids\":%zu,\"lists\":%zu,\"rows\":[", sets[s].total,
                   sets[s].nlists);
    for (size_t i = 0; i < nr; i++) {
      char enc[32] = "-";
      if (rows[i].has_enc) snprintf(enc, sizeof enc, "%.0f", rows[i].enc_mips);
      printf("| %s | %zu | %zu | %s | %.2f | %s | %.0f | %.2fx |\n", sets[s].name, sets[s].total,
             sets[s].nlists, rows[i].codec, rows[i].bits, enc, rows[i].dec_mips,
             rows[i].dec_mips / best);
      cdx_buf_printf(&rc, &js, "%s{\"codec\":", i ? "," : "");
      cdx_json_cstr(&rc, &js, rows[i].codec);
      cdx_buf_printf(&rc, &js, ",\"bits_per_id\":%.3f,\"decode_mips\":%.1f", rows[i].bits,
                     rows[i].dec_mips);
      if (rows[i].has_enc) cdx_buf_printf(&rc, &js, ",\"encode_mips\":%.1f", rows[i].enc_mips);
      cdx_buf_puts(&rc, &js, "}");
    }
    cdx_buf_puts(&rc, &js, "]}");
    fflush(stdout);
  }
  cdx_buf_puts(&rc, &js, "]}\n");
  if (rc != CDX_OK) {
    fprintf(stderr, "bench_codec: out of memory\n");
    return 1;
  }
  if (json_path) {
    cdx_error err = {0};
    if (cdx_write_file_atomic(json_path, js.data, js.len, &err) != CDX_OK) {
      fprintf(stderr, "bench_codec: %s: %s\n", json_path, err.message);
      return 1;
    }
  }
  cdx_buf_free(&js);
  for (size_t s = 0; s < nsets; s++) {
    for (size_t l = 0; l < sets[s].nlists; l++) free(sets[s].lists[l].ids);
    free(sets[s].lists);
  }
  return 0;
}
