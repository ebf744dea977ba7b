/*
 * The jurisdiction gazetteer: lookups over the generated table in
 * lexicon/gazetteer_data.c (see tools/gen_gazetteer.py for how it is built and
 * which decisions it makes: pseudo-prefectures, short names, weak keys).
 *
 * Traditional characters: the lookups fold the Traditional forms of the
 * characters used in division names themselves (溫州 finds 温州市), with the
 * library's Traditional -> Simplified table (lexicon/t2s.h), so callers need
 * not fold first. Only pairs whose Simplified form occurs in a name are used,
 * and never on a character that is itself in a name (乾 of 乾县, which T->S
 * turns into 干). Both forms are BMP ideographs, 3 bytes of UTF-8, so byte
 * offsets in the folded text are the offsets in the caller's text.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include "common/common.h"
#include "lexicon/gazetteer.h"
#include "lexicon/gazetteer_data.h"
#include "lexicon/t2s.h"

/* Longest key is well under this (the table stores lengths in a uint8_t). */
#define GZ_MAX_KEY 256
/* Mentions kept per text: a document names its own place in its header, so
 * the first few hundred mentions decide. */
#define GZ_MAX_MENTIONS 512

static uint32_t widen(uint32_t code) {
  if (code < 100) return code * 10000;
  if (code < 10000) return code * 100;
  return code;
}

static uint32_t resolve_alias(uint32_t code) {
  for (size_t i = 0; i < cdx_gz_n_aliases; i++)
    if (cdx_gz_aliases[i][0] == code) return cdx_gz_aliases[i][1];
  return code;
}

const cdx_gz_place *cdx_gz_by_code(uint32_t code) {
  if (code == 0 || code > 999999) return NULL;
  code = resolve_alias(widen(code));
  size_t lo = 0, hi = cdx_gz_n_places;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (cdx_gz_places[mid].code < code) lo = mid + 1;
    else hi = mid;
  }
  return lo < cdx_gz_n_places && cdx_gz_places[lo].code == code ? &cdx_gz_places[lo] : NULL;
}

const cdx_gz_place *cdx_gz_parent(const cdx_gz_place *p) {
  return p && p->parent ? cdx_gz_by_code(p->parent) : NULL;
}

bool cdx_gz_within(uint32_t code, uint32_t ancestor) {
  const cdx_gz_place *p = cdx_gz_by_code(code), *a = cdx_gz_by_code(ancestor);
  if (!p || !a) return false;
  for (; p; p = cdx_gz_parent(p))
    if (p == a) return true;
  return false;
}

size_t cdx_gz_count(void) { return cdx_gz_n_places; }

const cdx_gz_place *cdx_gz_at(size_t i) { return i < cdx_gz_n_places ? &cdx_gz_places[i] : NULL; }

/* ---- Folding and key search ---- */

/* Facts derived from the tables once per process: the length of the longest
 * key (45 bytes with the current table) and a bit per BMP code point that
 * folds (482 of them with ICU 72's table). Both entry points, cdx_gz_lookup
 * and cdx_gz_find_in_text, call init_tables first. */
static size_t s_longest_key;
static uint64_t s_trad_bits[0x10000 / 64];
static pthread_once_t s_tables_once = PTHREAD_ONCE_INIT;

static bool bit(const uint64_t *bits, uint32_t cp) { return (bits[cp >> 6] >> (cp & 63)) & 1; }

static void build_tables(void) {
  static uint64_t in_names[0x10000 / 64]; /* characters of any key */
  for (size_t k = 0; k < cdx_gz_n_keys; k++) {
    const cdx_gz_key *key = &cdx_gz_keys[k];
    if (key->len > s_longest_key) s_longest_key = key->len;
    const char *s = cdx_gz_pool + key->off;
    for (size_t i = 0; i < key->len;) {
      int32_t cp = cdx_utf8_next(s, key->len, &i);
      if (cp < 0) break;
      if (cp < 0x10000) in_names[cp >> 6] |= (uint64_t)1 << (cp & 63);
    }
  }
  for (size_t k = 0; k < cdx_t2s_count; k++) {
    uint32_t t = cdx_t2s_pairs[k][0], s = cdx_t2s_pairs[k][1];
    if (t < 0x10000 && s < 0x10000 && bit(in_names, s) && !bit(in_names, t))
      s_trad_bits[t >> 6] |= (uint64_t)1 << (t & 63);
  }
}

static void init_tables(void) { pthread_once(&s_tables_once, build_tables); }

static uint32_t fold_cp(uint32_t cp) {
  /* most characters do not fold: one bit says so, without a search */
  if (cp > 0xFFFF || !bit(s_trad_bits, cp)) return cp;
  return cdx_t2s(cp);
}

/* Folds up to cap bytes of s[0..n) into out, whole characters only, stopping
 * at the first invalid sequence. Returns the folded length, which equals the
 * number of source bytes consumed (folding keeps UTF-8 lengths). */
static size_t fold_window(const char *s, size_t n, char *out, size_t cap) {
  size_t i = 0, o = 0;
  while (i < n) {
    size_t j = i;
    int32_t cp = cdx_utf8_next(s, n, &j);
    if (cp < 0) break;
    uint32_t f = fold_cp((uint32_t)cp);
    if (f == (uint32_t)cp) {
      /* unchanged: its bytes are its encoding (valid UTF-8 has one) */
      if (o + (j - i) > cap) break;
      for (size_t b = i; b < j; b++) out[o++] = s[b];
    } else {
      char tmp[4];
      size_t k = cdx_utf8_encode(f, tmp);
      if (k != j - i || o + k > cap) break;
      for (size_t b = 0; b < k; b++) out[o++] = tmp[b];
    }
    i = j;
  }
  return o;
}

static int key_cmp(const cdx_gz_key *k, const char *s, size_t n) {
  /* keys are a few characters: a byte loop, not a memcmp call per probe */
  const unsigned char *a = (const unsigned char *)cdx_gz_pool + k->off;
  const unsigned char *b = (const unsigned char *)s;
  size_t m = k->len < n ? k->len : n;
  for (size_t i = 0; i < m; i++)
    if (a[i] != b[i]) return a[i] < b[i] ? -1 : 1;
  return (k->len > n) - (k->len < n);
}

/* First key not less than s[0..n). */
static size_t key_lower_bound(const char *s, size_t n) {
  size_t lo = 0, hi = cdx_gz_n_keys;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (key_cmp(&cdx_gz_keys[mid], s, n) < 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/* Range [*first, end) of the keys equal to s[0..n); returns the count. */
static size_t key_equal_range(const char *s, size_t n, size_t *first) {
  size_t lo = key_lower_bound(s, n), hi = lo;
  while (hi < cdx_gz_n_keys && key_cmp(&cdx_gz_keys[hi], s, n) == 0) hi++;
  *first = lo;
  return hi - lo;
}

static int prominence_cmp(const void *a, const void *b) {
  const cdx_gz_key *x = a, *y = b;
  const cdx_gz_place *p = &cdx_gz_places[x->place], *q = &cdx_gz_places[y->place];
  if (p->level != q->level) return p->level < q->level ? -1 : 1;
  if ((x->flags & CDX_GZ_KEY_FULL) != (y->flags & CDX_GZ_KEY_FULL))
    return (x->flags & CDX_GZ_KEY_FULL) ? -1 : 1;
  return p->code < q->code ? -1 : p->code > q->code;
}

size_t cdx_gz_lookup(const char *name, size_t len, const cdx_gz_place **out, size_t max) {
  if (!name || len == 0 || len >= GZ_MAX_KEY) return 0;
  init_tables();
  char folded[GZ_MAX_KEY];
  if (fold_window(name, len, folded, sizeof folded) != len) return 0;
  size_t first, n = key_equal_range(folded, len, &first);
  if (n == 0 || max == 0 || !out) return n;
  /* Few places share a name (新华区: 5), so a small copy sorted here keeps
   * the table's own order simple (by bytes, for the text scan). */
  cdx_gz_key tmp[64];
  size_t m = n < 64 ? n : 64;
  memcpy(tmp, &cdx_gz_keys[first], m * sizeof tmp[0]);
  qsort(tmp, m, sizeof tmp[0], prominence_cmp);
  for (size_t i = 0; i < m && i < max; i++) out[i] = &cdx_gz_places[tmp[i].place];
  return n;
}

/* ---- Finding the place a text is about ---- */

typedef struct mention {
  size_t at;      /* byte offset in the text */
  uint32_t first; /* first key of the equal range (one key per place) */
  uint16_t n;     /* places the name can mean */
  bool strong;    /* may name the result; weak ones only support */
  bool fallback;  /* weak, but may name the result when nothing strong is
                        named: an unambiguous short name (温州), not a
                        generic full name (老城区) */
} mention;

static bool first_char_possible(uint32_t cp) {
  if (cp < 0x4E00 || cp > 0x9FFF) return false;
  uint32_t b = cp - 0x4E00;
  return (cdx_gz_first_bits[b / 64] >> (b % 64)) & 1u;
}

/* Characters that, right after a short name, say it names a division
 * (温州地区, 乐清县) rather than being part of an ordinary word. */
static bool level_context(const char *s, size_t n, size_t i) {
  if (i >= n) return false;
  size_t j = i;
  int32_t cp = cdx_utf8_next(s, n, &j);
  if (cp < 0) return false;
  switch (fold_cp((uint32_t)cp)) {
    case 0x5E02: /* 市 */
    case 0x53BF: /* 县 */
    case 0x533A: /* 区 */
    case 0x7701: /* 省 */
    case 0x5DDE: /* 州 */
    case 0x65D7: /* 旗 */
    case 0x76DF: /* 盟 */
    case 0x5730: /* 地(区) */ return true;
    default: return false;
  }
}

/* Finds the longest key starting at text[i]; fills *m and returns its byte
 * length, or 0. */
static size_t match_at(const char *text, size_t len, size_t i, mention *m) {
  char win[GZ_MAX_KEY];
  /* No key is longer than the longest one, so folding more of the text than
   * that (up to 256 bytes, per candidate character) finds nothing more. */
  size_t wn = fold_window(text + i, len - i, win, s_longest_key);
  if (wn < 3) return 0;
  /* Keys sharing the first character are contiguous; among them, the ones
   * that are prefixes of the window are candidates, the longest wins. */
  size_t lo = key_lower_bound(win, 3 < wn ? 3 : wn);
  size_t best_len = 0, best_first = 0;
  for (size_t k = lo; k < cdx_gz_n_keys; k++) {
    const cdx_gz_key *key = &cdx_gz_keys[k];
    if (key->len < 3 || memcmp(cdx_gz_pool + key->off, win, 3) != 0) break;
    if (key->len <= wn && key->len > best_len &&
        memcmp(cdx_gz_pool + key->off, win, key->len) == 0) {
      best_len = key->len;
      best_first = k;
    }
  }
  if (!best_len) return 0;
  size_t n = 0;
  bool any_strong = false;
  while (best_first + n < cdx_gz_n_keys &&
         key_cmp(&cdx_gz_keys[best_first + n], win, best_len) == 0) {
    const cdx_gz_key *key = &cdx_gz_keys[best_first + n];
    if (!(key->flags & CDX_GZ_KEY_WEAK)) any_strong = true;
    n++;
  }
  m->at = i;
  m->first = (uint32_t)best_first;
  m->n = (uint16_t)(n > UINT16_MAX ? UINT16_MAX : n);
  m->strong = any_strong || level_context(text, len, i + best_len);
  m->fallback = n == 1 && !(cdx_gz_keys[best_first].flags & CDX_GZ_KEY_FULL);
  return best_len;
}

static const cdx_gz_place *mention_place(const mention *m, size_t j) {
  return &cdx_gz_places[cdx_gz_keys[m->first + j].place];
}

static uint32_t province_of(const cdx_gz_place *p) { return p->code / 10000 * 10000; }

/* The prefecture a place lies in (itself for a prefecture), 0 for a province
 * and for the counties of a municipality. */
static uint32_t prefecture_of(const cdx_gz_place *p) {
  if (p->level == CDX_LEVEL_PREFECTURE) return p->code;
  if (p->level == CDX_LEVEL_COUNTY && p->parent % 10000 != 0) return p->parent;
  return 0;
}

static bool in_branch(const cdx_gz_place *p, uint32_t province, uint32_t prefecture) {
  if (province_of(p) != province) return false;
  uint32_t pf = prefecture_of(p);
  return !prefecture || !pf || pf == prefecture;
}

/* Weighted vote over a grouping (province or prefecture): strong mentions
 * count twice a weak one, and a name that means k places gives each 1/k. */
typedef struct vote {
  uint32_t group;
  double score;
  size_t first_at;
  bool has_candidate;
} vote;

static void vote_add(vote *v, size_t *nv, size_t cap, uint32_t group, double w, size_t at,
                     bool candidate) {
  size_t i = 0;
  while (i < *nv && v[i].group != group) i++;
  if (i == *nv) {
    if (*nv == cap) return;
    v[i] = (vote){group, 0, at, false};
    (*nv)++;
  }
  v[i].score += w;
  if (at < v[i].first_at) v[i].first_at = at;
  v[i].has_candidate |= candidate;
}

static const vote *vote_best(const vote *v, size_t nv) {
  const vote *best = NULL;
  for (size_t i = 0; i < nv; i++) {
    if (!v[i].has_candidate || v[i].group == 0) continue;
    if (!best || v[i].score > best->score + 1e-9 ||
        (v[i].score > best->score - 1e-9 && v[i].first_at < best->first_at) ||
        (v[i].score > best->score - 1e-9 && v[i].first_at == best->first_at &&
         v[i].group < best->group))
      best = &v[i];
  }
  return best;
}

const cdx_gz_place *cdx_gz_find_in_text(const char *text, size_t len, size_t *at) {
  if (!text || len == 0) return NULL;
  init_tables();
  mention ms[GZ_MAX_MENTIONS];
  size_t nm = 0, n_strong = 0, prev_end = (size_t)-1;
  for (size_t i = 0; i < len && nm < GZ_MAX_MENTIONS;) {
    unsigned char c = (unsigned char)text[i];
    if (c < 0xE4 || c > 0xE9) {
      i++;
      continue;
    } /* not U+4000..U+9FFF */
    size_t j = i;
    int32_t cp = cdx_utf8_next(text, len, &j);
    if (cp < 0) {
      i++;
      continue;
    }
    if (!first_char_possible(fold_cp((uint32_t)cp))) {
      i = j;
      continue;
    }
    size_t mlen = match_at(text, len, i, &ms[nm]);
    if (!mlen) {
      i = j;
      continue;
    }
    /* Right after its parent's name, a generic name is a place: the 市中区
     * of 济南市市中区, the 郊区 of 铜陵市郊区. */
    if (!ms[nm].strong && nm > 0 && prev_end == i) {
      const mention *pm = &ms[nm - 1];
      for (size_t a = 0; a < ms[nm].n && !ms[nm].strong; a++)
        for (size_t b = 0; b < pm->n; b++)
          if (mention_place(&ms[nm], a)->parent == mention_place(pm, b)->code) {
            ms[nm].strong = true;
            break;
          }
    }
    prev_end = i + mlen;
    n_strong += ms[nm].strong;
    nm++;
    i += mlen;
  }
  if (nm == 0) return NULL;

  /* Which candidates may be the answer: those of strong mentions; with none,
   * an unambiguous weak one (a bare 温州 in a title). */
  bool weak_ok = n_strong == 0;
#define ELIGIBLE(m) ((m)->strong || (weak_ok && (m)->fallback))

  /* Votes per place, then per province and per prefecture: the answer lies
   * in the branch named most often, so a stray mention of another city does
   * not pull the result away. */
  vote place[GZ_MAX_MENTIONS], prov[64] = {{0}}, pref[GZ_MAX_MENTIONS];
  size_t n_place = 0, n_prov = 0, n_pref = 0;
  for (size_t i = 0; i < nm; i++) {
    double w = (ms[i].strong ? 2.0 : 1.0) / ms[i].n;
    for (size_t j = 0; j < ms[i].n; j++)
      vote_add(place, &n_place, GZ_MAX_MENTIONS, mention_place(&ms[i], j)->code, w, ms[i].at,
               ELIGIBLE(&ms[i]));
  }
  for (size_t i = 0; i < n_place; i++)
    vote_add(prov, &n_prov, 64, place[i].group / 10000 * 10000, place[i].score, place[i].first_at,
             place[i].has_candidate);
  const vote *bp = vote_best(prov, n_prov);
  if (!bp) return NULL;
  uint32_t province = bp->group;
  for (size_t i = 0; i < n_place; i++) {
    const cdx_gz_place *p = cdx_gz_by_code(place[i].group);
    if (province_of(p) == province)
      vote_add(pref, &n_pref, GZ_MAX_MENTIONS, prefecture_of(p), place[i].score, place[i].first_at,
               place[i].has_candidate);
  }
  const vote *bf = vote_best(pref, n_pref);
  uint32_t prefecture = bf ? bf->group : 0;

  /* Re-count each place's votes inside the chosen branch: a name that means
   * four places, one of them in the branch, now means that one (福州市鼓楼区
   * is 福州's 鼓楼区 with a whole vote). */
  n_place = 0;
  for (size_t i = 0; i < nm; i++) {
    size_t k = 0;
    for (size_t j = 0; j < ms[i].n; j++)
      k += in_branch(mention_place(&ms[i], j), province, prefecture);
    if (!k) continue;
    double w = (ms[i].strong ? 2.0 : 1.0) / (double)k;
    for (size_t j = 0; j < ms[i].n; j++)
      if (in_branch(mention_place(&ms[i], j), province, prefecture))
        vote_add(place, &n_place, GZ_MAX_MENTIONS, mention_place(&ms[i], j)->code, w, ms[i].at,
                 ELIGIBLE(&ms[i]));
  }

  /* Walk down the chosen branch: a more specific place replaces the current
   * one when it is named at least a third as often (乐清市 5 times beside
   * 温州市 6 times is a 乐清 document; one 平阳县 among nine 温州市 is a
   * passing mention in a 温州 document). Same level: more votes, then the
   * earlier mention. */
  const vote *cur = NULL;
  for (int level = CDX_LEVEL_PROVINCE; level <= CDX_LEVEL_COUNTY; level++) {
    const vote *best = NULL;
    for (size_t i = 0; i < n_place; i++) {
      const vote *v = &place[i];
      const cdx_gz_place *p = cdx_gz_by_code(v->group);
      if (!v->has_candidate || (int)p->level != level || province_of(p) != province) continue;
      uint32_t pf = prefecture_of(p);
      if (prefecture && pf && pf != prefecture) continue;
      if (!best || v->score > best->score + 1e-9 ||
          (v->score > best->score - 1e-9 && v->first_at < best->first_at))
        best = v;
    }
    if (best && (!cur || best->score * 3 >= cur->score - 1e-9)) cur = best;
  }
  if (!cur) return NULL;
  if (at) *at = cur->first_at;
#undef ELIGIBLE
  return cdx_gz_by_code(cur->group);
}
