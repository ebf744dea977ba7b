/*
 * The synthetic corpus: which places issue policies, which policies they
 * issue, how each policy descends from its parent's or from last year's,
 * which versions exist and how each is written and encoded; then the files
 * and the manifest. Every choice is a hash of (seed, place, topic, edition,
 * version), never of generation order, so the output depends only on the
 * options (and a county can re-derive its city's policy to copy from).
 */
#define _POSIX_C_SOURCE 200809L
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unicode/ucnv.h>
#include <unicode/ustring.h>
#include <unicode/utrans.h>
#include "clausedex/document.h"
#include "clausedex/generate.h"
#include "gen/synth.h"

#define FIRST_EDITION 2023
#define N_EDITIONS 3
#define DEFAULT_TARGET (10ull << 20)
/* One place per this many bytes by default: a few MB make a handful of
 * places with several versions each; 1 GB uses every division. */
#define BYTES_PER_PLACE (256u << 10)

typedef struct gen {
  uint64_t seed;
  unsigned flags;
  synth_place *places; /* indexed like cdx_gz_at; gz NULL = not chosen */
  size_t n_chosen;
  uint32_t *order; /* chosen place indexes, in code order */
  uint16_t *s2t;   /* Simplified -> Traditional over U+4E00..U+9FFF */
  UConverter *gb;
  cdx_buf doc, enc, manifest;
  UChar *u16;
  size_t u16_cap;
  FILE *manifest_f;
  char *path;
  size_t path_cap;
  cdx_generate_stats stats;
  uint8_t *dir_made; /* per place: its directory exists */
} gen;

/* ---- Places ---- */

static size_t place_index(const cdx_gz_place *p) { return (size_t)(p - cdx_gz_at(0)); }

static bool ends_with(const char *s, const char *suf) {
  size_t n = strlen(s), m = strlen(suf);
  return n >= m && memcmp(s + n - m, suf, m) == 0;
}

/* Places that do not issue economic policies of their own. */
static bool issues_policies(const cdx_gz_place *p) {
  return !ends_with(p->name, "群岛") && !ends_with(p->name, "海域") &&
         !ends_with(p->name, "委员会") && !ends_with(p->name, "管委会");
}

static void init_place(gen *g, size_t i) {
  synth_place *pl = &g->places[i];
  if (pl->gz) return;
  const cdx_gz_place *gz = cdx_gz_at(i);
  const cdx_gz_place *par = cdx_gz_parent(gz);
  if (par) init_place(g, place_index(par));
  pl->gz = gz;
  pl->parent = par ? &g->places[place_index(par)] : NULL;

  /* Short name: the shortest prefix of the name that the gazetteer knows
   * as this place (温州市 -> 温州, 广西壮族自治区 -> 广西). */
  snprintf(pl->short_name, sizeof pl->short_name, "%s", gz->name);
  size_t len = strlen(gz->name);
  for (size_t k = 6; k < len; k += 3) {
    const cdx_gz_place *m[16];
    size_t n = cdx_gz_lookup(gz->name, k, m, 16);
    bool found = false;
    for (size_t j = 0; j < n && j < 16; j++) found |= m[j] == gz;
    if (found) {
      memcpy(pl->short_name, gz->name, k);
      pl->short_name[k] = '\0';
      break;
    }
  }

  /* A county whose name is shared (朝阳区) or too short to stand alone
   * (西区) is named with its city in titles, as such governments do. */
  const cdx_gz_place *same[2];
  bool qualify = par && (cdx_gz_lookup(gz->name, len, same, 2) > 1 || len <= 6);
  snprintf(pl->title_name, sizeof pl->title_name, "%s%s", qualify ? par->name : "", gz->name);

  const char *lv;
  if (gz->level == CDX_LEVEL_PROVINCE)
    lv = ends_with(gz->name, "省") ? "省" : ends_with(gz->name, "市") ? "市" : "自治区";
  else if (gz->level == CDX_LEVEL_PREFECTURE)
    lv = ends_with(gz->name, "市")   ? "市"
         : ends_with(gz->name, "州") ? "州"
         : ends_with(gz->name, "盟") ? "盟"
                                     : "地区";
  else
    lv = ends_with(gz->name, "县")   ? "县"
         : ends_with(gz->name, "市") ? "市"
         : ends_with(gz->name, "旗") ? "旗"
                                     : "区";
  snprintf(pl->level, sizeof pl->level, "%s", lv);

  bool district = gz->level == CDX_LEVEL_COUNTY && ends_with(gz->name, "区") && par;
  if (district) snprintf(pl->issuer, sizeof pl->issuer, "%s%s人民政府", par->name, gz->name);
  else if (gz->level == CDX_LEVEL_PREFECTURE &&
           (ends_with(gz->name, "地区") || ends_with(gz->name, "盟")))
    snprintf(pl->issuer, sizeof pl->issuer, "%s行政公署", gz->name);
  else snprintf(pl->issuer, sizeof pl->issuer, "%s人民政府", gz->name);
  /* 温鹿 for a district of 温州, 乐 for 乐清市, 温 for 温州市; provinces
   * use their one-character abbreviation (浙, 京, 粤). */
  static const struct {
    uint32_t code;
    const char *abbr;
  } prov_abbr[] = {{11, "京"}, {12, "津"}, {13, "冀"}, {14, "晋"}, {15, "内蒙古"}, {21, "辽"},
                   {22, "吉"}, {23, "黑"}, {31, "沪"}, {32, "苏"}, {33, "浙"},     {34, "皖"},
                   {35, "闽"}, {36, "赣"}, {37, "鲁"}, {41, "豫"}, {42, "鄂"},     {43, "湘"},
                   {44, "粤"}, {45, "桂"}, {46, "琼"}, {50, "渝"}, {51, "川"},     {52, "黔"},
                   {53, "云"}, {54, "藏"}, {61, "陕"}, {62, "甘"}, {63, "青"},     {64, "宁"},
                   {65, "新"}};
  const char *abbr = NULL;
  for (size_t k = 0; k < sizeof prov_abbr / sizeof prov_abbr[0]; k++)
    if (prov_abbr[k].code == gz->code / 10000) abbr = prov_abbr[k].abbr;
  bool top = gz->level == CDX_LEVEL_PROVINCE;
  bool under_top = par && par->level == CDX_LEVEL_PROVINCE;
  if (top && abbr) snprintf(pl->docnum, sizeof pl->docnum, "%s", abbr);
  else if (district && under_top && abbr)
    snprintf(pl->docnum, sizeof pl->docnum, "%s%.3s", abbr, gz->name);
  else if (district) snprintf(pl->docnum, sizeof pl->docnum, "%.3s%.3s", par->name, gz->name);
  else snprintf(pl->docnum, sizeof pl->docnum, "%.3s", gz->name);

  synth_rng r = synth_rng_at(synth_hash(g->seed, gz->code));
  double base = gz->level == CDX_LEVEL_PROVINCE     ? 8.0
                : gz->level == CDX_LEVEL_PREFECTURE ? 1.0
                                                    : 0.25;
  pl->scale = base * (0.5 + 1.5 * synth_unit(&r));
}

static void choose(gen *g, size_t i) {
  for (const cdx_gz_place *p = cdx_gz_at(i); p; p = cdx_gz_parent(p)) {
    size_t k = place_index(p);
    if (g->places[k].gz) break;
    init_place(g, k);
  }
}

static int choose_places(gen *g, unsigned n_wanted, cdx_error *err) {
  size_t total = cdx_gz_count();
  g->places = calloc(total, sizeof *g->places);
  g->order = malloc(total * sizeof *g->order);
  g->dir_made = calloc(total, 1);
  uint32_t *counties = malloc(total * sizeof *counties);
  if (!g->places || !g->order || !g->dir_made || !counties) {
    free(counties);
    return cdx_err_set(err, CDX_NOMEM, CDX_NO_OFFSET, "generate: out of memory");
  }
  size_t nc = 0;
  for (size_t i = 0; i < total; i++)
    if (cdx_gz_at(i)->level == CDX_LEVEL_COUNTY && issues_policies(cdx_gz_at(i)))
      counties[nc++] = (uint32_t)i;
  /* The seeds' places first, so a small corpus always has 乐清 and 鹿城
   * under 温州 under 浙江 (the README demo relies on them). */
  static const uint32_t seeds[] = {330382, 330302};
  for (size_t s = 0; s < 2 && n_wanted >= 4; s++) {
    const cdx_gz_place *p = cdx_gz_by_code(seeds[s]);
    if (p) choose(g, place_index(p));
  }
  /* Then counties in a seeded shuffle, each with its parents: weighted to
   * the county level as real corpora are. */
  synth_rng r = synth_rng_at(synth_hash(g->seed, 0x5eed));
  for (size_t i = nc; i > 1; i--) {
    size_t j = synth_below(&r, (uint32_t)i);
    uint32_t tmp = counties[i - 1];
    counties[i - 1] = counties[j];
    counties[j] = tmp;
  }
  size_t chosen = 0;
  for (size_t i = 0; i < total; i++) chosen += g->places[i].gz != NULL;
  for (size_t i = 0; i < nc && chosen < n_wanted; i++) {
    if (g->places[counties[i]].gz) continue;
    choose(g, counties[i]);
    chosen = 0;
    for (size_t k = 0; k < total; k++) chosen += g->places[k].gz != NULL;
  }
  free(counties);
  g->n_chosen = 0;
  for (size_t i = 0; i < total; i++)
    if (g->places[i].gz) g->order[g->n_chosen++] = (uint32_t)i;
  return CDX_OK;
}

/* ---- Policies ---- */

/* Whether a place issues a policy on this topic (every place issues the
 * flagship topic 0; other topics at a third of the places). */
static bool offers(const gen *g, const synth_place *pl, int topic) {
  if (!pl || !pl->gz) return false;
  if (topic == 0) return true;
  synth_rng r = synth_rng_at(synth_hash(g->seed ^ 0x70f1c, pl->gz->code * 64 + (uint64_t)topic));
  return synth_chance(&r, 0.35);
}

static void fresh_policy(uint64_t seed, int topic, int edition, synth_policy *pol) {
  synth_rng r = synth_rng_at(seed);
  const synth_topic *tp = &cdx_synth_topics[topic];
  memset(pol, 0, sizeof *pol);
  pol->topic = topic;
  pol->edition = edition;
  pol->n_chapters = (uint8_t)tp->n_domains;
  pol->budget_salt = (uint32_t)synth_next(&r);
  unsigned per = tp->n_domains >= 8 ? 3 : 5;
  for (int c = 0; c < tp->n_domains; c++) {
    pol->domains[c] = (uint8_t)tp->domains[c];
    pol->chapter_seed[c] = synth_next(&r);
    unsigned k = per + synth_below(&r, 5);
    for (unsigned j = 0; j < k && pol->n_clauses < SYNTH_MAX_CLAUSES; j++)
      pol->clauses[pol->n_clauses++] = (synth_clause){synth_next(&r), 0, (uint8_t)c};
  }
}

/* Adapts a policy: keeps each clause with probability `keep` (wording kept,
 * numbers re-drawn for the new place or year), adds a few of its own. */
static void adapt_policy(const synth_policy *from, uint64_t seed, double keep, unsigned max_new,
                         int edition, synth_policy *pol) {
  synth_rng r = synth_rng_at(seed);
  synth_policy src = *from;
  *pol = src;
  pol->edition = edition;
  pol->n_clauses = 0;
  pol->budget_salt = (uint32_t)synth_next(&r);
  size_t ci = 0;
  for (unsigned c = 0; c < src.n_chapters; c++) {
    unsigned kept = 0;
    for (; ci < src.n_clauses && src.clauses[ci].chapter == c; ci++) {
      if (!synth_chance(&r, keep)) continue;
      if (pol->n_clauses < SYNTH_MAX_CLAUSES) pol->clauses[pol->n_clauses++] = src.clauses[ci];
      kept++;
    }
    unsigned add = synth_below(&r, max_new + 1) + (kept == 0);
    for (unsigned j = 0; j < add && pol->n_clauses < SYNTH_MAX_CLAUSES; j++)
      pol->clauses[pol->n_clauses++] = (synth_clause){synth_next(&r), 0, (uint8_t)c};
  }
}

/* The final text's spec of (place, topic, edition). Counties usually adapt
 * their parent's policy of the same edition; otherwise a place revises its
 * own previous edition, or writes a new one. Recursion is bounded by three
 * levels and three editions. */
static void final_policy(const gen *g, const synth_place *pl, int topic, int edition,
                         synth_policy *pol) {
  uint64_t key = synth_hash(g->seed, pl->gz->code * 1024 + (uint64_t)topic * 16 +
                                         (uint64_t)(edition - FIRST_EDITION));
  synth_rng r = synth_rng_at(key);
  double u = synth_unit(&r);
  if (pl->parent && offers(g, pl->parent, topic) && u < 0.85) {
    synth_policy parent;
    final_policy(g, pl->parent, topic, edition, &parent);
    adapt_policy(&parent, synth_next(&r), 0.8, 1, edition, pol);
  } else if (edition > FIRST_EDITION && u < 0.92) {
    synth_policy prev;
    final_policy(g, pl, topic, edition - 1, &prev);
    adapt_policy(&prev, synth_next(&r), 0.65, 2, edition, pol);
  } else {
    fresh_policy(synth_next(&r), topic, edition, pol);
  }
}

/* A draft: the final with a few differences (a clause more or less, one
 * reworded, some amounts changed), as drafts differ from what is adopted. */
static void draft_policy(const synth_policy *final_, uint64_t seed, unsigned edits,
                         synth_policy *pol) {
  synth_rng r = synth_rng_at(seed);
  *pol = *final_;
  for (unsigned e = 0; e < edits && pol->n_clauses > 2; e++) {
    uint32_t i = synth_below(&r, pol->n_clauses);
    switch (synth_below(&r, 4)) {
      case 0: /* the draft has a clause the final dropped */
        if (pol->n_clauses < SYNTH_MAX_CLAUSES) {
          memmove(&pol->clauses[i + 1], &pol->clauses[i],
                  (pol->n_clauses - i) * sizeof pol->clauses[0]);
          pol->clauses[i].seed = synth_next(&r);
          pol->clauses[i].num_salt = 0;
          pol->n_clauses++;
        }
        break;
      case 1: /* the final added a clause the draft lacks */
        memmove(&pol->clauses[i], &pol->clauses[i + 1],
                (pol->n_clauses - i - 1) * sizeof pol->clauses[0]);
        pol->n_clauses--;
        break;
      case 2: /* reworded */ pol->clauses[i].seed ^= synth_next(&r) & 0xffff0000ull; break;
      default: /* amounts changed */
        pol->clauses[i].num_salt = (uint32_t)synth_next(&r) | 1u;
        pol->budget_salt ^= (uint32_t)synth_next(&r);
        break;
    }
  }
}

/* ---- Encodings ---- */

static int build_s2t(gen *g, cdx_error *err) {
  UErrorCode st = U_ZERO_ERROR;
  static const UChar id[] = {'S', 'i', 'm', 'p', 'l', 'i', 'f', 'i', 'e', 'd', '-', 'T',
                             'r', 'a', 'd', 'i', 't', 'i', 'o', 'n', 'a', 'l', 0};
  UTransliterator *tr = utrans_openU(id, -1, UTRANS_FORWARD, NULL, 0, NULL, &st);
  if (U_FAILURE(st))
    return cdx_err_set(err, CDX_ICU, CDX_NO_OFFSET, "generate: Simplified-Traditional: %s",
                       u_errorName(st));
  g->s2t = malloc((0x9FFF - 0x4E00 + 1) * sizeof *g->s2t);
  if (!g->s2t) {
    utrans_close(tr);
    return cdx_err_set(err, CDX_NOMEM, CDX_NO_OFFSET, "generate: out of memory");
  }
  /* One character at a time: the transliterator's phrase rules are not
   * wanted, and the table keeps the conversion a byte-length-preserving
   * lookup. */
  for (UChar c = 0x4E00; c <= 0x9FFF; c++) {
    UChar buf[8] = {c};
    int32_t len = 1, limit = 1;
    st = U_ZERO_ERROR;
    utrans_transUChars(tr, buf, &len, 8, 0, &limit, &st);
    g->s2t[c - 0x4E00] = (U_SUCCESS(st) && len == 1 && buf[0] >= 0x3400) ? buf[0] : c;
  }
  utrans_close(tr);
  /* Where one Simplified character stands for several Traditional ones,
   * ICU's single-character answer is not the one our vocabulary means
   * (若干 stays 若干, 计划 is 計劃, 标准 is 標準). */
  static const UChar fix[][2] = {{0x5E72, 0x5E72}, {0x5212, 0x5283}, {0x51C6, 0x6E96}};
  for (size_t i = 0; i < sizeof fix / sizeof fix[0]; i++) g->s2t[fix[i][0] - 0x4E00] = fix[i][1];
  return CDX_OK;
}

static void to_traditional(gen *g, char *s, size_t n) {
  for (size_t i = 0; i + 2 < n;) {
    unsigned char c = (unsigned char)s[i];
    if (c < 0xE4 || c > 0xE9) {
      i += c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
      continue;
    }
    uint32_t cp = ((uint32_t)(c & 0x0F) << 12) | ((uint32_t)(s[i + 1] & 0x3F) << 6) |
                  (uint32_t)(s[i + 2] & 0x3F);
    if (cp >= 0x4E00 && cp <= 0x9FFF) cdx_utf8_encode(g->s2t[cp - 0x4E00], s + i);
    i += 3;
  }
}

static void to_traditional_str(gen *g, char *s) { to_traditional(g, s, strlen(s)); }

static int to_gb18030(gen *g, const char *s, size_t n, cdx_error *err) {
  UErrorCode st = U_ZERO_ERROR;
  if (g->u16_cap < n + 1) {
    UChar *p = realloc(g->u16, (n + 1) * sizeof *p);
    if (!p) return cdx_err_set(err, CDX_NOMEM, CDX_NO_OFFSET, "generate: out of memory");
    g->u16 = p;
    g->u16_cap = n + 1;
  }
  int32_t ulen = 0;
  u_strFromUTF8(g->u16, (int32_t)g->u16_cap, &ulen, s, (int32_t)n, &st);
  if (U_FAILURE(st))
    return cdx_err_set(err, CDX_ICU, CDX_NO_OFFSET, "generate: UTF-8 -> UTF-16: %s",
                       u_errorName(st));
  cdx_buf_reset(&g->enc);
  if (cdx_buf_reserve(&g->enc, (size_t)ulen * 4 + 16) != CDX_OK)
    return cdx_err_set(err, CDX_NOMEM, CDX_NO_OFFSET, "generate: out of memory");
  ucnv_resetFromUnicode(g->gb);
  int32_t blen = ucnv_fromUChars(g->gb, g->enc.data, (int32_t)g->enc.cap, g->u16, ulen, &st);
  if (U_FAILURE(st))
    return cdx_err_set(err, CDX_ICU, CDX_NO_OFFSET, "generate: GB18030: %s", u_errorName(st));
  g->enc.len = (size_t)blen;
  return CDX_OK;
}

static int lf_to_crlf(cdx_buf *dst, const char *s, size_t n) {
  int rc = CDX_OK;
  cdx_buf_reset(dst);
  if (cdx_buf_reserve(dst, n + n / 16 + 16) != CDX_OK) return CDX_NOMEM;
  size_t from = 0;
  for (size_t i = 0; i < n; i++)
    if (s[i] == '\n') {
      cdx_buf_append(&rc, dst, s + from, i - from);
      cdx_buf_append(&rc, dst, "\r\n", 2);
      from = i + 1;
    }
  cdx_buf_append(&rc, dst, s + from, n - from);
  return rc;
}

/* ---- Files ---- */

static int path_printf(gen *g, cdx_error *err, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static int path_printf(gen *g, cdx_error *err, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(g->path, g->path_cap, fmt, ap);
  va_end(ap);
  if (n < 0 || (size_t)n >= g->path_cap)
    return cdx_err_set(err, CDX_LIMIT, CDX_NO_OFFSET, "generate: path too long");
  return CDX_OK;
}

static int make_dir(const char *path, cdx_error *err) {
  if (mkdir(path, 0777) == 0 || errno == EEXIST) return CDX_OK;
  return cdx_err_set(err, CDX_IO, CDX_NO_OFFSET, "%s: %s", path, strerror(errno));
}

/* The directory of a place, relative: 330000/330300/330382. */
static void rel_dir(const synth_place *pl, char *out, size_t cap) {
  const synth_place *chain[3];
  int n = 0;
  for (const synth_place *p = pl; p && n < 3; p = p->parent) chain[n++] = p;
  size_t o = 0;
  out[0] = '\0';
  for (int i = n - 1; i >= 0; i--)
    o += (size_t)snprintf(out + o, cap - o, "%s%06u", o ? "/" : "", chain[i]->gz->code);
}

static int ensure_dirs(gen *g, const char *out_dir, const synth_place *pl, cdx_error *err) {
  if (g->dir_made[place_index(pl->gz)]) return CDX_OK;
  if (pl->parent) {
    int rc = ensure_dirs(g, out_dir, pl->parent, err);
    if (rc) return rc;
  }
  char rel[64];
  rel_dir(pl, rel, sizeof rel);
  int rc = path_printf(g, err, "%s/%s", out_dir, rel);
  if (!rc) rc = make_dir(g->path, err);
  if (!rc) g->dir_made[place_index(pl->gz)] = 1;
  return rc;
}

static int write_all(const char *path, const void *data, size_t n, cdx_error *err) {
  FILE *f = fopen(path, "wb");
  if (!f) return cdx_err_set(err, CDX_IO, CDX_NO_OFFSET, "%s: %s", path, strerror(errno));
  size_t w = fwrite(data, 1, n, f);
  int e = errno;
  if (fclose(f) != 0 && w == n) e = errno, w = 0;
  if (w != n) return cdx_err_set(err, CDX_IO, CDX_NO_OFFSET, "%s: %s", path, strerror(e));
  return CDX_OK;
}

/* mkdir -p. */
static int make_dirs(const char *path, cdx_error *err) {
  size_t n = strlen(path);
  char *p = malloc(n + 1);
  if (!p) return cdx_err_set(err, CDX_NOMEM, CDX_NO_OFFSET, "generate: out of memory");
  memcpy(p, path, n + 1);
  int rc = CDX_OK;
  for (size_t i = 1; i <= n && !rc; i++)
    if (p[i] == '/' || p[i] == '\0') {
      char c = p[i];
      p[i] = '\0';
      rc = make_dir(p, err);
      p[i] = c;
    }
  free(p);
  return rc;
}

static int check_out_dir(const char *out_dir, cdx_error *err) {
  struct stat st;
  if (stat(out_dir, &st) != 0) {
    if (errno != ENOENT)
      return cdx_err_set(err, CDX_IO, CDX_NO_OFFSET, "%s: %s", out_dir, strerror(errno));
    return make_dirs(out_dir, err);
  }
  if (!S_ISDIR(st.st_mode))
    return cdx_err_set(err, CDX_INVALID, CDX_NO_OFFSET, "%s: not a directory", out_dir);
  DIR *d = opendir(out_dir);
  if (!d) return cdx_err_set(err, CDX_IO, CDX_NO_OFFSET, "%s: %s", out_dir, strerror(errno));
  struct dirent *e;
  bool empty = true;
  while ((e = readdir(d)) != NULL)
    if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0) {
      empty = false;
      break;
    }
  closedir(d);
  if (!empty)
    return cdx_err_set(err, CDX_INVALID, CDX_NO_OFFSET,
                       "%s: not empty (the generator writes into a new or empty directory)",
                       out_dir);
  return CDX_OK;
}

/* ---- One version of one policy ---- */

static const char *const status_file[] = {"final", "draft-approval", "draft-comment"};
/* As cdx_status_name spells them, indexed by cdx_doc_status. */
static const char *const status_name[] = {"final", "送审稿", "征求意见稿"};

static int emit(gen *g, const char *out_dir, const synth_place *pl, const synth_policy *pol,
                const synth_style *st, uint64_t enc_seed, cdx_error *err) {
  int rc = CDX_OK;
  synth_written w;
  cdx_buf_reset(&g->doc);
  cdx_synth_write_document(&rc, &g->doc, pl, pol, st, &w);
  if (rc) return cdx_err_set(err, rc, CDX_NO_OFFSET, "generate: out of memory");

  synth_rng r = synth_rng_at(enc_seed);
  bool trad = !(g->flags & CDX_GEN_NO_TRADITIONAL) && synth_chance(&r, 0.04);
  bool gb = !(g->flags & CDX_GEN_NO_GB18030) && synth_chance(&r, 0.04);
  bool crlf = !(g->flags & CDX_GEN_NO_CRLF) && synth_chance(&r, 0.06);
  if (trad) {
    to_traditional(g, g->doc.data, g->doc.len);
    to_traditional_str(g, w.title);
    to_traditional_str(g, w.issuer);
    to_traditional_str(g, w.doc_number);
  }
  const char *data = g->doc.data;
  size_t len = g->doc.len;
  if (crlf) {
    if (lf_to_crlf(&g->enc, data, len) != CDX_OK)
      return cdx_err_set(err, CDX_NOMEM, CDX_NO_OFFSET, "generate: out of memory");
    if (gb) {
      /* Convert from a copy: to_gb18030 reuses g->enc. */
      cdx_buf tmp = g->doc;
      g->doc = g->enc;
      g->enc = tmp;
      data = g->doc.data;
      len = g->doc.len;
    } else {
      data = g->enc.data;
      len = g->enc.len;
    }
  }
  if (gb) {
    rc = to_gb18030(g, data, len, err);
    if (rc) return rc;
    data = g->enc.data;
    len = g->enc.len;
  }

  rc = ensure_dirs(g, out_dir, pl, err);
  if (rc) return rc;
  char rel[64], file[256];
  rel_dir(pl, rel, sizeof rel);
  snprintf(file, sizeof file, "%s/%d-%s-%s.txt", rel, pol->edition,
           cdx_synth_topics[pol->topic].slug, status_file[st->status]);
  rc = path_printf(g, err, "%s/%s", out_dir, file);
  if (!rc) rc = write_all(g->path, data, len, err);
  if (rc) return rc;

  g->stats.documents++;
  g->stats.bytes += len;
  g->stats.clauses += w.n_clauses;
  if (g->manifest_f) {
    cdx_buf *m = &g->manifest;
    cdx_json_member(&rc, m, "{\"file\":", file);
    cdx_json_member(&rc, m, ",\"title\":", w.title);
    cdx_buf_printf(&rc, m, ",\"jurisdiction\":%u,\"jurisdiction_name\":", pl->gz->code);
    cdx_json_cstr(&rc, m, pl->gz->name);
    cdx_json_member(&rc, m, ",\"status\":", status_name[st->status]);
    cdx_buf_printf(&rc, m, ",\"edition\":%d,\"date\":%u,\"doc_number\":", pol->edition, st->date);
    cdx_json_cstr(&rc, m, w.doc_number[0] ? w.doc_number : NULL);
    cdx_json_member(&rc, m, ",\"issuer\":", w.issuer[0] ? w.issuer : NULL);
    cdx_buf_printf(&rc, m, ",\"policy_key\":\"%06u/%s/%d\",\"clauses\":%u", pl->gz->code,
                   cdx_synth_topics[pol->topic].slug, pol->edition, w.n_clauses);
    cdx_buf_printf(&rc, m, ",\"layout\":\"%s\"",
                   st->web_page ? "web_page"
                   : st->news   ? "news"
                   : st->notice ? "notice"
                                : "plain");
    cdx_buf_printf(&rc, m, ",\"encoding\":\"%s\",\"script\":\"%s\",\"crlf\":%s,\"bytes\":%zu}\n",
                   gb ? "gb18030" : "utf-8", trad ? "traditional" : "simplified",
                   crlf ? "true" : "false", len);
    if (rc) return cdx_err_set(err, rc, CDX_NO_OFFSET, "generate: out of memory");
    if (m->len > (1u << 20)) {
      if (fwrite(m->data, 1, m->len, g->manifest_f) != m->len)
        return cdx_err_set(err, CDX_IO, CDX_NO_OFFSET, "%s/manifest.jsonl: %s", out_dir,
                           strerror(errno));
      cdx_buf_reset(m);
    }
  }
  return CDX_OK;
}

/* All versions of (place, topic, edition): the final, and drafts before it. */
static int emit_policy(gen *g, const char *out_dir, const synth_place *pl, int topic, int edition,
                       cdx_error *err) {
  synth_policy final_, draft;
  final_policy(g, pl, topic, edition, &final_);
  uint64_t key = synth_hash(g->seed ^ 0xd0c5, pl->gz->code * 1024 + (uint64_t)topic * 16 +
                                                  (uint64_t)(edition - FIRST_EDITION));
  synth_rng r = synth_rng_at(key);
  bool comment = synth_chance(&r, 0.45), approval = synth_chance(&r, 0.35);
  synth_rng pr = synth_rng_at(synth_hash(g->seed, pl->gz->code + 77));
  bool lead_you = synth_chance(&pr, 0.5);

  synth_style st = {0};
  st.lead_you = lead_you;
  g->stats.policies++;
  if (comment) {
    draft_policy(&final_, synth_next(&r), 2 + synth_below(&r, 3), &draft);
    st.status = CDX_STATUS_DRAFT_FOR_COMMENT;
    st.arabic_numbers = synth_chance(&r, 0.2);
    st.halfwidth = synth_chance(&r, 0.1);
    st.bookmarks = synth_chance(&r, 0.15);
    st.seed = synth_next(&r);
    int rc = emit(g, out_dir, pl, &draft, &st, synth_next(&r), err);
    if (rc) return rc;
  }
  if (approval) {
    draft_policy(&final_, synth_next(&r), 1 + synth_below(&r, 2), &draft);
    st.status = CDX_STATUS_DRAFT_FOR_APPROVAL;
    st.arabic_numbers = synth_chance(&r, 0.1);
    st.halfwidth = synth_chance(&r, 0.1);
    st.seed = synth_next(&r);
    int rc = emit(g, out_dir, pl, &draft, &st, synth_next(&r), err);
    if (rc) return rc;
  }
  st.status = CDX_STATUS_FINAL;
  st.arabic_numbers = synth_chance(&r, 0.05);
  st.notice = synth_chance(&r, 0.6);
  st.web_page = st.notice && synth_chance(&r, 0.25);
  st.halfwidth = synth_chance(&r, 0.2);
  st.office = synth_chance(&r, 0.15);
  st.bookmarks = false;
  st.news = st.notice && !st.web_page && synth_chance(&r, 0.15);
  st.cc_footer = st.notice && synth_chance(&r, 0.3);
  /* The number is a function of (place, topic, edition) so that lower
   * levels cite the same number (see the preamble in synth_text.c). */
  st.doc_seq = 1 + (int)(synth_hash(pl->gz->code, (uint64_t)topic * 101 + (uint64_t)edition) % 60);
  st.date = (uint32_t)edition * 10000 + (1 + synth_below(&r, 6)) * 100 + 1 + synth_below(&r, 28);
  st.seed = synth_next(&r);
  return emit(g, out_dir, pl, &final_, &st, synth_next(&r), err);
}

/* ---- The corpus ---- */

static void gen_free(gen *g) {
  free(g->places);
  free(g->order);
  free(g->dir_made);
  free(g->s2t);
  free(g->u16);
  free(g->path);
  if (g->gb) ucnv_close(g->gb);
  cdx_buf_free(&g->doc);
  cdx_buf_free(&g->enc);
  cdx_buf_free(&g->manifest);
  if (g->manifest_f) fclose(g->manifest_f);
}

int cdx_generate_corpus(const char *out_dir, const cdx_generate_options *opts,
                        cdx_generate_stats *stats, cdx_error *err) {
  if (!out_dir || !*out_dir)
    return cdx_err_set(err, CDX_INVALID, CDX_NO_OFFSET, "generate: no output directory");
  cdx_generate_options o = opts ? *opts : (cdx_generate_options){0};
  if (o.flags & ~(CDX_GEN_PLAIN | CDX_GEN_NO_MANIFEST))
    return cdx_err_set(err, CDX_INVALID, CDX_NO_OFFSET, "generate: unknown flags 0x%x", o.flags);
  uint64_t target = o.target_bytes ? o.target_bytes : DEFAULT_TARGET;
  size_t total = cdx_gz_count();
  unsigned n_places = o.n_jurisdictions;
  if (!n_places) {
    uint64_t n = target / BYTES_PER_PLACE;
    n_places = n < 4 ? 4 : n > total ? (unsigned)total : (unsigned)n;
  }

  int rc = check_out_dir(out_dir, err);
  if (rc) return rc;
  gen g;
  memset(&g, 0, sizeof g);
  g.seed = o.seed;
  g.flags = o.flags;
  cdx_buf_init(&g.doc);
  cdx_buf_init(&g.enc);
  cdx_buf_init(&g.manifest);
  g.path_cap = strlen(out_dir) + 256;
  g.path = malloc(g.path_cap);
  if (!g.path) return cdx_err_set(err, CDX_NOMEM, CDX_NO_OFFSET, "generate: out of memory");
  rc = choose_places(&g, n_places, err);
  if (!rc && !(o.flags & CDX_GEN_NO_TRADITIONAL)) rc = build_s2t(&g, err);
  if (!rc && !(o.flags & CDX_GEN_NO_GB18030)) {
    UErrorCode st = U_ZERO_ERROR;
    g.gb = ucnv_open("GB18030", &st);
    if (U_FAILURE(st))
      rc = cdx_err_set(err, CDX_ICU, CDX_NO_OFFSET, "generate: GB18030: %s", u_errorName(st));
  }
  if (!rc && !(o.flags & CDX_GEN_NO_MANIFEST)) {
    rc = path_printf(&g, err, "%s/manifest.jsonl", out_dir);
    if (!rc && !(g.manifest_f = fopen(g.path, "wb")))
      rc = cdx_err_set(err, CDX_IO, CDX_NO_OFFSET, "%s: %s", g.path, strerror(errno));
  }

  /* Topic by topic, edition by edition, place by place (parents before
   * children, as codes sort): a small corpus is the flagship policy
   * everywhere, a large one adds the other topics. */
  unsigned *docs_per_place = calloc(total, sizeof *docs_per_place);
  if (!rc && !docs_per_place)
    rc = cdx_err_set(err, CDX_NOMEM, CDX_NO_OFFSET, "generate: out of memory");
  for (uint32_t t = 0; !rc && t < cdx_synth_n_topics && g.stats.bytes < target; t++)
    for (int e = 0; !rc && e < N_EDITIONS && g.stats.bytes < target; e++)
      for (size_t i = 0; !rc && i < g.n_chosen && g.stats.bytes < target; i++) {
        const synth_place *pl = &g.places[g.order[i]];
        if (!offers(&g, pl, (int)t) || !issues_policies(pl->gz)) continue;
        uint64_t before = g.stats.documents;
        rc = emit_policy(&g, out_dir, pl, (int)t, FIRST_EDITION + e, err);
        docs_per_place[g.order[i]] += (unsigned)(g.stats.documents - before);
      }
  if (!rc && g.manifest_f) {
    bool ok = fwrite(g.manifest.data, 1, g.manifest.len, g.manifest_f) == g.manifest.len;
    ok &= fclose(g.manifest_f) == 0;
    g.manifest_f = NULL;
    if (!ok)
      rc = cdx_err_set(err, CDX_IO, CDX_NO_OFFSET, "%s/manifest.jsonl: %s", out_dir,
                       strerror(errno));
  }
  if (docs_per_place)
    for (size_t i = 0; i < total; i++) g.stats.jurisdictions += docs_per_place[i] > 0;
  free(docs_per_place);
  if (stats) *stats = g.stats;
  gen_free(&g);
  return rc;
}
