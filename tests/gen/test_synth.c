/* The synthetic corpus generator: determinism, size, variants, cascade and
 * drafts, and that the corpus reader recovers what the manifest says. */
#define _POSIX_C_SOURCE 200809L
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "clausedex.h"
#include "common/common.h"
#include "support/test_support.h"

/* ---- A minimal reader for our own manifest lines ---- */

typedef struct entry {
  char file[256], title[512], status[32], doc_number[96], issuer[200], policy_key[128];
  char encoding[16], script[16], layout[16];
  unsigned jurisdiction, date, clauses;
  int edition;
  bool crlf;
  size_t bytes;
} entry;

/* Copies the string value of "key" (no escapes in our values but \" and
 * \\, which the writer emits only for quotes and backslashes) into out;
 * "" for null. Returns false when the key is missing. */
static bool json_str(const char *line, const char *key, char *out, size_t cap) {
  char pat[64];
  snprintf(pat, sizeof pat, "\"%s\":", key);
  const char *p = strstr(line, pat);
  if (!p) return false;
  p += strlen(pat);
  out[0] = '\0';
  if (strncmp(p, "null", 4) == 0) return true;
  if (*p != '"') return false;
  size_t o = 0;
  for (p++; *p && *p != '"'; p++) {
    if (*p == '\\' && p[1]) p++;
    if (o + 1 < cap) out[o++] = *p;
  }
  out[o] = '\0';
  return *p == '"';
}

static bool json_num(const char *line, const char *key, unsigned long long *v) {
  char pat[64];
  snprintf(pat, sizeof pat, "\"%s\":", key);
  const char *p = strstr(line, pat);
  if (!p) return false;
  p += strlen(pat);
  if (strncmp(p, "true", 4) == 0) {
    *v = 1;
    return true;
  }
  if (strncmp(p, "false", 5) == 0) {
    *v = 0;
    return true;
  }
  char *end;
  *v = strtoull(p, &end, 10);
  return end != p;
}

static entry *read_manifest(const char *dir, size_t *n) {
  char path[4096];
  snprintf(path, sizeof path, "%s/manifest.jsonl", dir);
  size_t len;
  char *data = cdx_test_read(path, &len);
  size_t cap = 16, cnt = 0;
  entry *es = malloc(cap * sizeof *es);
  cr_assert_not_null(es);
  for (char *line = strtok(data, "\n"); line; line = strtok(NULL, "\n")) {
    if (cnt == cap) {
      es = realloc(es, (cap *= 2) * sizeof *es);
      cr_assert_not_null(es);
    }
    entry *e = &es[cnt++];
    memset(e, 0, sizeof *e);
    unsigned long long v;
    cr_assert(json_str(line, "file", e->file, sizeof e->file), "no file: %s", line);
    cr_assert(json_str(line, "title", e->title, sizeof e->title));
    cr_assert(json_str(line, "status", e->status, sizeof e->status));
    cr_assert(json_str(line, "doc_number", e->doc_number, sizeof e->doc_number));
    cr_assert(json_str(line, "issuer", e->issuer, sizeof e->issuer));
    cr_assert(json_str(line, "policy_key", e->policy_key, sizeof e->policy_key));
    cr_assert(json_str(line, "encoding", e->encoding, sizeof e->encoding));
    cr_assert(json_str(line, "script", e->script, sizeof e->script));
    cr_assert(json_str(line, "layout", e->layout, sizeof e->layout));
    cr_assert(json_num(line, "jurisdiction", &v));
    e->jurisdiction = (unsigned)v;
    cr_assert(json_num(line, "date", &v));
    e->date = (unsigned)v;
    cr_assert(json_num(line, "clauses", &v));
    e->clauses = (unsigned)v;
    cr_assert(json_num(line, "edition", &v));
    e->edition = (int)v;
    cr_assert(json_num(line, "crlf", &v));
    e->crlf = v != 0;
    cr_assert(json_num(line, "bytes", &v));
    e->bytes = (size_t)v;
  }
  free(data);
  *n = cnt;
  return es;
}

static char *read_doc(const char *dir, const entry *e, size_t *len) {
  char path[4096];
  snprintf(path, sizeof path, "%s/%s", dir, e->file);
  return cdx_test_read(path, len);
}

static char *generate(uint64_t seed, uint64_t size, unsigned flags, cdx_generate_stats *st) {
  char *dir = cdx_test_tmpdir();
  cdx_generate_options o = {.seed = seed, .target_bytes = size, .flags = flags};
  cdx_error err;
  int rc = cdx_generate_corpus(dir, &o, st, &err);
  cr_assert_eq(rc, CDX_OK, "generate: %s", err.message);
  return dir;
}

/* Removes a generated corpus, and frees its name and its manifest's entries. */
static void remove_corpus(char *dir, entry *e) {
  free(e);
  cdx_test_rmtree(dir);
  free(dir);
}

/* ---- Tests ---- */

Test(synth, same_seed_same_bytes) {
  cdx_generate_stats a, b;
  char *d1 = generate(42, 1500000, 0, &a), *d2 = generate(42, 1500000, 0, &b);
  cr_assert_eq(a.documents, b.documents);
  cr_assert_eq(a.bytes, b.bytes);
  size_t n1, n2, l1, l2;
  entry *e1 = read_manifest(d1, &n1), *e2 = read_manifest(d2, &n2);
  cr_assert_eq(n1, n2);
  cr_assert_eq(n1, a.documents);
  for (size_t i = 0; i < n1; i++) {
    cr_assert_str_eq(e1[i].file, e2[i].file);
    char *x = read_doc(d1, &e1[i], &l1), *y = read_doc(d2, &e2[i], &l2);
    cr_assert(l1 == l2 && memcmp(x, y, l1) == 0, "%s differs between runs", e1[i].file);
    free(x);
    free(y);
  }
  char p1[4096], p2[4096];
  snprintf(p1, sizeof p1, "%s/manifest.jsonl", d1);
  snprintf(p2, sizeof p2, "%s/manifest.jsonl", d2);
  char *m1 = cdx_test_read(p1, &l1), *m2 = cdx_test_read(p2, &l2);
  cr_assert(l1 == l2 && memcmp(m1, m2, l1) == 0, "manifests differ");
  free(m1);
  free(m2);
  remove_corpus(d1, e1);
  remove_corpus(d2, e2);
}

Test(synth, other_seed_other_corpus) {
  cdx_generate_stats a, b;
  char *d1 = generate(1, 600000, 0, &a), *d2 = generate(2, 600000, 0, &b);
  size_t n1, n2;
  entry *e1 = read_manifest(d1, &n1), *e2 = read_manifest(d2, &n2);
  size_t same = 0, l1, l2;
  for (size_t i = 0; i < n1 && i < n2; i++) {
    if (strcmp(e1[i].file, e2[i].file) != 0) continue;
    char *x = read_doc(d1, &e1[i], &l1), *y = read_doc(d2, &e2[i], &l2);
    same += l1 == l2 && memcmp(x, y, l1) == 0;
    free(x);
    free(y);
  }
  cr_assert_eq(same, 0, "%zu documents identical across seeds", same);
  remove_corpus(d1, e1);
  remove_corpus(d2, e2);
}

Test(synth, size_is_honoured_and_stats_match_files) {
  const uint64_t target = 2000000;
  cdx_generate_stats st;
  char *d = generate(7, target, 0, &st);
  cr_assert_geq(st.bytes, target);
  /* Overshoot by at most one document (about 40 KB at most). */
  cr_assert_lt(st.bytes, target + 60000, "%llu bytes for %llu", (unsigned long long)st.bytes,
               (unsigned long long)target);
  size_t n;
  entry *e = read_manifest(d, &n);
  cr_assert_eq(n, st.documents);
  uint64_t bytes = 0, clauses = 0;
  for (size_t i = 0; i < n; i++) {
    size_t len;
    char *x = read_doc(d, &e[i], &len);
    cr_assert_eq(len, e[i].bytes, "%s: size %zu, manifest %zu", e[i].file, len, e[i].bytes);
    bytes += len;
    clauses += e[i].clauses;
    free(x);
  }
  cr_assert_eq(bytes, st.bytes);
  cr_assert_eq(clauses, st.clauses);
  cr_assert_geq(st.jurisdictions, 4);
  remove_corpus(d, e);
}

Test(synth, refuses_a_non_empty_directory) {
  cdx_generate_stats st;
  char *d = generate(3, 100000, CDX_GEN_PLAIN, &st);
  cdx_error err;
  cdx_generate_options o = {.seed = 3, .target_bytes = 100000};
  cr_assert_eq(cdx_generate_corpus(d, &o, NULL, &err), CDX_INVALID);
  cr_assert(strstr(err.message, d) != NULL, "message does not name the directory: %s", err.message);
  o.flags = 0x100;
  cr_assert_eq(cdx_generate_corpus("/nonexistent-dir-for-test/x", &o, NULL, &err), CDX_INVALID);
  cr_assert_eq(cdx_generate_corpus(NULL, NULL, NULL, &err), CDX_INVALID);
  cdx_test_rmtree(d);
  free(d);
}

Test(synth, plain_flag_and_variants) {
  cdx_generate_stats st;
  char *d = generate(11, 1500000, CDX_GEN_PLAIN, &st);
  size_t n;
  entry *e = read_manifest(d, &n);
  for (size_t i = 0; i < n; i++) {
    cr_assert_str_eq(e[i].encoding, "utf-8");
    cr_assert_str_eq(e[i].script, "simplified");
    cr_assert_not(e[i].crlf);
    size_t len;
    char *x = read_doc(d, &e[i], &len);
    cr_assert_eq(cdx_utf8_find_invalid(x, len), CDX_NO_OFFSET, "%s: invalid UTF-8", e[i].file);
    cr_assert_null(memchr(x, '\r', len), "%s: CR in a plain document", e[i].file);
    free(x);
  }
  remove_corpus(d, e);

  /* With variants on, a few megabytes hold each kind, and each is what the
   * manifest says. */
  d = generate(11, 3000000, 0, &st);
  e = read_manifest(d, &n);
  size_t gb = 0, trad = 0, crlf = 0;
  for (size_t i = 0; i < n; i++) {
    size_t len;
    char *x = read_doc(d, &e[i], &len);
    bool is_gb = strcmp(e[i].encoding, "gb18030") == 0;
    gb += is_gb;
    crlf += e[i].crlf;
    if (strcmp(e[i].script, "traditional") == 0) {
      trad++;
      if (!is_gb) cr_assert(strstr(x, "發展") != NULL, "%s: not Traditional", e[i].file);
    }
    if (is_gb) cr_assert_neq(cdx_utf8_find_invalid(x, len), CDX_NO_OFFSET);
    else cr_assert_eq(cdx_utf8_find_invalid(x, len), CDX_NO_OFFSET);
    cr_assert_eq(memchr(x, '\r', len) != NULL, e[i].crlf, "%s: CR vs manifest", e[i].file);
    free(x);
  }
  cr_assert_gt(gb, 0);
  cr_assert_gt(trad, 0);
  cr_assert_gt(crlf, 0);
  cr_assert_lt(gb + trad + crlf, n / 3, "variants should be a small fraction");
  remove_corpus(d, e);
}

/* Clause headings ("加强创新载体建设" of "（三）加强创新载体建设。…"), for
 * comparing versions and levels: lines that start with a clause number in
 * any of the generated styles (（三）, (三), 3.). */
static size_t headings(const char *text, char out[][128], size_t max) {
  size_t n = 0;
  for (const char *p = text; p && *p && n < max; p = strchr(p, '\n'), p = p ? p + 1 : NULL) {
    const char *q = NULL;
    if (strncmp(p, "（", 3) == 0 || *p == '(') {
      const char *close = strstr(p, "）"), *close2 = strchr(p, ')'), *nl = strchr(p, '\n');
      if (close2 && (!close || close2 < close)) close = close2;
      if (close && (!nl || close < nl) && close - p <= 12) q = close + (*close == ')' ? 1 : 3);
    } else if (*p >= '1' && *p <= '9') {
      const char *dot = p;
      while (*dot >= '0' && *dot <= '9') dot++;
      if (*dot == '.') q = dot + 1;
    }
    if (!q) continue;
    const char *end = strstr(q, "。"), *nl = strchr(q, '\n');
    if (!end || (nl && nl < end) || end - q > 100) continue;
    snprintf(out[n++], 128, "%.*s", (int)(end - q), q);
  }
  return n;
}

static size_t shared(char a[][128], size_t na, char b[][128], size_t nb) {
  size_t s = 0;
  for (size_t i = 0; i < na; i++)
    for (size_t j = 0; j < nb; j++)
      if (strcmp(a[i], b[j]) == 0) {
        s++;
        break;
      }
  return s;
}

Test(synth, cascade_and_versions) {
  cdx_generate_stats st;
  char *d = generate(5, 2500000, CDX_GEN_PLAIN, &st);
  size_t n;
  entry *e = read_manifest(d, &n);
  /* 鹿城区 (330302) under 温州市 (330300): the seeds' places are always in. */
  const entry *city = NULL, *county = NULL;
  for (size_t i = 0; i < n; i++) {
    if (strcmp(e[i].status, "final") || e[i].edition != 2023) continue;
    if (strstr(e[i].file, "high-quality") == NULL) continue;
    if (e[i].jurisdiction == 330300) city = &e[i];
    if (e[i].jurisdiction == 330302) county = &e[i];
  }
  cr_assert_not_null(city, "no 温州市 2023 final");
  cr_assert_not_null(county, "no 鹿城区 2023 final");
  static char hc[128][128], hk[128][128];
  size_t len;
  char *tc = read_doc(d, city, &len), *tk = read_doc(d, county, &len);
  size_t nc = headings(tc, hc, 128), nk = headings(tk, hk, 128);
  cr_assert_gt(nc, 5);
  cr_assert_gt(nk, 5);
  size_t s = shared(hc, nc, hk, nk);
  /* The county copies most of its city's clauses and is not a copy. */
  cr_assert_gt(s, nk / 3, "county shares %zu of %zu headings with its city", s, nk);
  cr_assert(strstr(tk, "区财政") != NULL && strstr(tk, "市财政局") == NULL,
            "the county's departments are its own");
  cr_assert(strstr(tk, "温政发〔2023〕") != NULL, "the county cites its city's number");
  free(tc);
  free(tk);

  /* Every draft has its final, with the same title and policy key and a
   * slightly different text. */
  size_t drafts = 0;
  for (size_t i = 0; i < n; i++) {
    if (strcmp(e[i].status, "final") == 0) continue;
    const entry *fin = NULL;
    for (size_t j = 0; j < n; j++)
      if (strcmp(e[j].status, "final") == 0 && strcmp(e[j].policy_key, e[i].policy_key) == 0)
        fin = &e[j];
    cr_assert_not_null(fin, "%s has no final", e[i].file);
    cr_assert_eq(fin->jurisdiction, e[i].jurisdiction);
    cr_assert_eq(e[i].date, 0);
    cr_assert_str_eq(e[i].doc_number, "");
    char *td = read_doc(d, &e[i], &len), *tf = read_doc(d, fin, &len);
    cr_assert(strcmp(td, tf) != 0);
    cr_assert(strstr(td, "征求意见稿") || strstr(td, "送审稿"));
    static char hd[128][128], hf[128][128];
    size_t nd = headings(td, hd, 128), nf = headings(tf, hf, 128);
    s = shared(hd, nd, hf, nf);
    cr_assert_geq(s * 10, (nd < nf ? nd : nf) * 7, "%s: draft and final share %zu of %zu/%zu",
                  e[i].file, s, nd, nf);
    free(td);
    free(tf);
    drafts++;
  }
  cr_assert_gt(drafts, 5);
  remove_corpus(d, e);
}

static const char *status_of(const cdx_document_meta *m) { return cdx_status_name(m->status); }

/* The corpus reader recovers the manifest's metadata and clause counts. */
Test(synth, reader_recovers_the_manifest) {
  cdx_generate_stats st;
  char *d = generate(9, 4000000, 0, &st);
  size_t n;
  entry *e = read_manifest(d, &n);
  /* The corpus holds every layout and variant the reader must handle. */
  static const char *const layouts[] = {"plain", "notice", "web_page", "news"};
  for (size_t k = 0; k < 4; k++) {
    bool seen = false;
    for (size_t i = 0; i < n; i++) seen |= strcmp(e[i].layout, layouts[k]) == 0;
    cr_assert(seen, "no %s document", layouts[k]);
  }
  size_t n_gb = 0, n_trad = 0;
  for (size_t i = 0; i < n; i++) {
    n_gb += strcmp(e[i].encoding, "gb18030") == 0;
    n_trad += strcmp(e[i].script, "traditional") == 0;
  }
  cr_assert(n_gb > 0 && n_trad > 0);
  size_t bad_title = 0, bad_place = 0, bad_status = 0, bad_edition = 0, bad_date = 0,
         bad_number = 0, bad_issuer = 0, bad_clauses = 0, bad_key = 0;
  char **keys = calloc(n, sizeof *keys);
  cr_assert_not_null(keys);
  for (size_t i = 0; i < n; i++) {
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", d, e[i].file);
    cdx_document *doc;
    cdx_error err;
    int rc = cdx_document_read_file(path, NULL, &doc, &err);
    cr_assert_eq(rc, CDX_OK, "%s: %s", e[i].file, err.message);
    const cdx_document_meta *m = cdx_document_get_meta(doc);
    size_t clauses = 0;
    for (size_t u = 0; u < cdx_document_unit_count(doc); u++)
      clauses += cdx_document_get_unit(doc, u)->kind == CDX_UNIT_CLAUSE;
#define MISS(counter, cond, ...) \
  do {                           \
    if (!(cond)) {               \
      counter++;                 \
      cr_log_warn(__VA_ARGS__);  \
    }                            \
  } while (0)
    MISS(bad_title, strcmp(m->title, e[i].title) == 0, "%s: title %s", e[i].file, m->title);
    MISS(bad_place, m->jurisdiction.code == e[i].jurisdiction, "%s: place %u", e[i].file,
         m->jurisdiction.code);
    MISS(bad_status, strcmp(status_of(m), e[i].status) == 0, "%s: status %s", e[i].file,
         status_of(m));
    MISS(bad_edition, m->edition == e[i].edition, "%s: edition %d", e[i].file, m->edition);
    /* (A plain final is signed and dated at its end, a news reprint has a
     * lead paragraph, a 抄送 footer carries the print date: all count.) */
    MISS(bad_date, m->date == e[i].date, "%s: date %u", e[i].file, m->date);
    MISS(bad_issuer, strcmp(m->issuer ? m->issuer : "", e[i].issuer) == 0, "%s: issuer %s",
         e[i].file, m->issuer ? m->issuer : "(none)");
    MISS(bad_number, strcmp(m->doc_number ? m->doc_number : "", e[i].doc_number) == 0,
         "%s: number %s", e[i].file, m->doc_number ? m->doc_number : "(none)");
    MISS(bad_clauses, clauses == e[i].clauses, "%s: %zu clauses, manifest %u", e[i].file, clauses,
         e[i].clauses);
    keys[i] = strdup(m->policy_key ? m->policy_key : "");
    cdx_document_free(doc);
  }
  /* Versions of one policy share the reader's key, and different policies
   * do not. */
  for (size_t i = 0; i < n; i++)
    for (size_t j = i + 1; j < n; j++) {
      bool same_m = strcmp(e[i].policy_key, e[j].policy_key) == 0;
      bool same_r = strcmp(keys[i], keys[j]) == 0;
      MISS(bad_key, same_m == same_r, "key: %s (%s) vs %s (%s)", e[i].file, keys[i], e[j].file,
           keys[j]);
    }
#undef MISS
  for (size_t i = 0; i < n; i++) free(keys[i]);
  free(keys);
  cr_log_info("reader vs manifest over %zu documents: title %zu, place %zu, status %zu, "
              "edition %zu, date %zu, number %zu, issuer %zu, clauses %zu, key pairs %zu wrong",
              n, bad_title, bad_place, bad_status, bad_edition, bad_date, bad_number, bad_issuer,
              bad_clauses, bad_key);
  cr_expect_eq(bad_title, 0);
  cr_expect_eq(bad_place, 0);
  cr_expect_eq(bad_status, 0);
  cr_expect_eq(bad_edition, 0);
  cr_expect_eq(bad_date, 0);
  cr_expect_eq(bad_number, 0);
  cr_expect_eq(bad_issuer, 0);
  cr_expect_eq(bad_clauses, 0);
  cr_expect_eq(bad_key, 0);
  remove_corpus(d, e);
}

Test(synth, generate_command) {
  char *d = cdx_test_tmpdir();
  char *out = NULL;
  int rc = cdx_test_cli(&out, "generate --seed 4 --size 300K --plain '%s/c/d'", d);
  cr_assert_eq(rc, 0, "exit %d", rc);
  cr_assert_not_null(out);
  cr_assert(strstr(out, "documents") && strstr(out, "MB"), "summary: %s", out);
  free(out);
  out = NULL;
  char sub[4096];
  snprintf(sub, sizeof sub, "%s/c/d", d);
  size_t n;
  entry *e = read_manifest(sub, &n);
  cr_assert_gt(n, 5);
  free(e);
  /* Errors exit 2: a bad size, an unknown option, a non-empty directory. */
  cr_assert_eq(cdx_test_cli(&out, "generate --size 12Q '%s/x' 2>/dev/null", d), 2);
  free(out);
  out = NULL;
  cr_assert_eq(cdx_test_cli(&out, "generate --frobnicate '%s/x' 2>/dev/null", d), 2);
  free(out);
  out = NULL;
  cr_assert_eq(cdx_test_cli(&out, "generate --size 100K '%s/c/d' 2>/dev/null", d), 2);
  free(out);
  cdx_test_rmtree(d);
  free(d);
}
