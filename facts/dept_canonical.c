/* facts/: the rules that turn a responsible unit as written into its
 * canonical, jurisdiction-free name. The order of the steps and why each is
 * there are in docs/FACTS.md, "Departments"; the names are data in
 * facts/dept_aliases.tsv. Everything works in stack buffers: this runs once
 * per responsible unit at index time. */
#include <string.h>
#include "common/common.h"
#include "facts/dept_internal.h"

/* Room for any intermediate form: a folded name (at most
 * CDX_DEPT_NAME_MAX), a canonical name from the table (the same), 党 in
 * front, and a note in brackets after it. */
enum { WORK = 4 * (CDX_DEPT_NAME_MAX + 1) };

typedef struct str {
  const char *s;
  size_t n;
} str;

static bool starts(str a, const char *p, size_t pn) { return a.n >= pn && memcmp(a.s, p, pn) == 0; }

/* Number of code points of valid UTF-8. */
static size_t chars(str a) {
  size_t k = 0;
  for (size_t i = 0; i < a.n; i++) k += ((unsigned char)a.s[i] & 0xC0) != 0x80;
  return k;
}

#define LIT(w) w, sizeof w - 1

/* The bare level characters a name may begin with (市财政局, 区发改局). */
static const char *const levels[] = {"省", "市", "区", "县"};

static bool is_level(str a) {
  for (size_t i = 0; i < sizeof levels / sizeof *levels; i++)
    if (starts(a, levels[i], 3)) return true;
  return false;
}

/* Words that begin with a level character without being a prefix: 市场监管局
 * is no 场监管局 of a 市. (市政府 is 市 + 政府, so 市政 only counts when 府
 * does not follow.) */
static const char *const level_words[] = {"市场", "市民", "市区", "市县", "市级", "区域", "区块",
                                          "区级", "县域", "县城", "县级", "省级", "省市"};

static bool begins_level_word(str a) {
  if (starts(a, LIT("市政")) && !starts(a, LIT("市政府"))) return true;
  for (size_t i = 0; i < sizeof level_words / sizeof *level_words; i++)
    if (starts(a, level_words[i], strlen(level_words[i]))) return true;
  return false;
}

/* Endings of a central body's local office named after the place it serves:
 * 人行乐清营管部, 国家金融监督管理总局乐清监管支局, 温州海关乐清办事处,
 * 市自然资源和规划局鹿城分局. */
static const char *const branches[] = {"分局",   "支局",     "监管分局",   "监管支局",
                                       "办事处", "营管部",   "营业管理部", "分行",
                                       "支行",   "中心支行", "分公司"};

/* A place as the rules use it: its full name and its short form, without
 * the level character (乐清市 -> 乐清) when at least two characters remain
 * (short.n = 0 otherwise). Computed once per call. */
typedef struct place {
  str full, brief;
} place;

static place make_place(const char *p) {
  place r = {{p, strlen(p)}, {p, 0}};
  if (r.full.n > 3 && chars(r.full) >= 3 && is_level((str){p + r.full.n - 3, 3}))
    r.brief.n = r.full.n - 3;
  return r;
}

static bool known(const cdx_dept_table *t, str a) {
  return cdx_dept_lookup(t, a.s, a.n, NULL) != NULL;
}

/* The body of a branch named after one of the places: 人行 of 人行乐清营管部.
 * The name must end in a branch word right after the place. */
static str cut_branch(str a, const place *pl, size_t n_places) {
  for (size_t b = 0; b < sizeof branches / sizeof *branches; b++) {
    size_t bn = strlen(branches[b]);
    if (a.n <= bn || memcmp(a.s + a.n - bn, branches[b], bn) != 0) continue;
    size_t end = a.n - bn; /* where the place must end */
    for (size_t k = 0; k < n_places; k++) {
      const str forms[2] = {pl[k].full, pl[k].brief};
      for (int f = 0; f < 2; f++) {
        str p = forms[f];
        if (p.n && end > p.n && memcmp(a.s + end - p.n, p.s, p.n) == 0)
          return (str){a.s, end - p.n};
      }
    }
  }
  return a;
}

/* Takes the document's full place names off the front (浙江省温州市 too). */
static str strip_places(str a, const place *pl, size_t n_places) {
  bool again = true;
  while (again) {
    again = false;
    for (size_t k = 0; k < n_places; k++) {
      str p = pl[k].full;
      if (p.n && a.n > p.n && memcmp(a.s, p.s, p.n) == 0) {
        a.s += p.n;
        a.n -= p.n;
        again = true;
      }
    }
  }
  return a;
}

/* The canonical form of one name without a trailing note, into out (WORK). */
static str canon_part(const cdx_dept_table *t, const place *pl, size_t n_places, str a, char *out) {
  size_t cn;
  const char *c = cdx_dept_lookup(t, a.s, a.n, &cn);
  if (c) return (str){c, cn};
  if (starts(a, LIT("中共")) && a.n > 6) a = (str){a.s + 6, a.n - 6};
  a = cut_branch(a, pl, n_places);
  a = strip_places(a, pl, n_places);
  /* one bare level character: 市市场监管局 is 市 + 市场监管局, 市民政局 is
   * 市 + 民政局 (a known rest wins over the word 市民) */
  if (is_level(a) && chars(a) >= 3 && !known(t, a)) {
    str rest = {a.s + 3, a.n - 3};
    if (known(t, rest) || !begins_level_word(a)) a = rest;
  }
  /* the jurisdiction's Party committee: 市委组织部 -> 党委组织部, 团区委 -> 团委 */
  if (starts(a, LIT("委")) && a.n > 3) {
    memcpy(out, "党", 3);
    memcpy(out + 3, a.s, a.n);
    a = (str){out, a.n + 3};
  } else if (starts(a, LIT("团")) && a.n >= 9 && is_level((str){a.s + 3, a.n - 3}) &&
             memcmp(a.s + 6, "委", 3) == 0) {
    memcpy(out, "团", 3);
    memmove(out + 3, a.s + 6, a.n - 6);
    a = (str){out, a.n - 3};
  }
  /* a short place name only where a known name remains: 温州海关 -> 海关,
   * but 乐清湾港务公司 stays */
  for (size_t k = 0; k < n_places; k++) {
    str p = pl[k].brief;
    if (p.n && a.n > p.n && memcmp(a.s, p.s, p.n) == 0 && known(t, (str){a.s + p.n, a.n - p.n})) {
      a = (str){a.s + p.n, a.n - p.n};
      break;
    }
  }
  c = cdx_dept_lookup(t, a.s, a.n, &cn);
  return c ? (str){c, cn} : a;
}

/* A trailing bracketed note (市委组织部（市委人才办）): the byte offset of its
 * opening bracket, or 0 when the name does not end in one. */
static size_t note_start(str a) {
  static const char open[] = "（", close[] = "）";
  if (a.n < 9 || memcmp(a.s + a.n - 3, close, 3) != 0) return 0;
  int depth = 0;
  for (size_t i = a.n; i >= 3; i--) {
    if (memcmp(a.s + i - 3, close, 3) == 0) depth++;
    else if (memcmp(a.s + i - 3, open, 3) == 0 && --depth == 0) return i - 3 > 0 ? i - 3 : 0;
  }
  return 0;
}

static int put_out(str r, char *out, size_t cap, size_t *out_len, cdx_error *err) {
  if (r.n >= cap) {
    out[0] = '\0';
    return cdx_err_set(err, CDX_LIMIT, CDX_NO_OFFSET,
                       "canonical department name of %zu bytes: longer than the %zu-byte buffer",
                       r.n, cap - 1);
  }
  memmove(out, r.s, r.n);
  out[r.n] = '\0';
  if (out_len) *out_len = r.n;
  return CDX_OK;
}

int cdx_dept_canonical(const cdx_dept_table *t, const char *const *places, size_t n_places,
                       const char *name, size_t len, char *out, size_t cap, size_t *out_len,
                       cdx_error *err) {
  if ((!name && len) || !out || !cap || (!places && n_places))
    return cdx_err_set(err, CDX_INVALID, CDX_NO_OFFSET, "department name: NULL argument");
  if (n_places > CDX_DEPT_PLACES_MAX)
    return cdx_err_set(err, CDX_LIMIT, CDX_NO_OFFSET, "%zu places: more than %d", n_places,
                       CDX_DEPT_PLACES_MAX);
  place pl[CDX_DEPT_PLACES_MAX];
  for (size_t k = 0; k < n_places; k++) {
    if (!places[k]) return cdx_err_set(err, CDX_INVALID, CDX_NO_OFFSET, "place %zu is NULL", k);
    pl[k] = make_place(places[k]);
  }
  char folded[CDX_DEPT_NAME_MAX + 1], w1[WORK], w2[WORK], whole[WORK];
  size_t fn;
  int rc = cdx_dept_fold(name, len, folded, sizeof folded, &fn, err);
  if (rc) {
    out[0] = '\0';
    return rc;
  }
  str a = {folded, fn};
  size_t note = note_start(a);
  if (!note) return put_out(canon_part(t, pl, n_places, a, w1), out, cap, out_len, err);
  /* X（Y）: both parts canonical, then the table may name the pair (the
   * finance centre that is a plate of the government office) */
  str m = canon_part(t, pl, n_places, (str){a.s, note}, w1);
  str p = canon_part(t, pl, n_places, (str){a.s + note + 3, a.n - note - 6}, w2);
  size_t n = 0;
  memcpy(whole + n, m.s, m.n), n += m.n;
  memcpy(whole + n, "（", 3), n += 3;
  memcpy(whole + n, p.s, p.n), n += p.n;
  memcpy(whole + n, "）", 3), n += 3;
  size_t cn;
  const char *c = cdx_dept_lookup(t, whole, n, &cn);
  return put_out(c ? (str){c, cn} : (str){whole, n}, out, cap, out_len, err);
}
