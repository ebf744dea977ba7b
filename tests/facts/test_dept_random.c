/* facts/: department names and table files made of random pieces (places,
 * level characters, brackets of every style, table words, Traditional
 * characters, stray bytes). Whatever the input, cdx_dept_canonical answers
 * OK with a folded, valid UTF-8 name that fits, or a documented error; a
 * table file loads or fails naming itself and leaves the table as it was.
 * Run under the sanitizers, this is the fuzzing of these entry points. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "common/common.h"
#include "facts/dept_internal.h"
#include "lexicon/t2s.h"

static const char *const pieces[] = {
    "市",       "区",     "县",         "省",     "委",         "团",
    "中共",     "乐清市", "乐清",       "温州市", "溫州",       "鹿城",
    "浙江省",   "发改局", "發展改革委", "财政局", "市场监管局", "民政局",
    "组织部",   "人才办", "人行",       "营管部", "分局",       "支局",
    "监管支局", "办事处", "分行",       "分公司", "政府办公室", "金融工作服务中心",
    "（",       "）",     "(",          ")",      "〈",         "〉",
    "<",        ">",      "【",         "】",     "、",         " ",
    "\t",       "Ａ",     "1",          "a",      "\xe5",       "\xff",
    "\xe5\xb8", "湾",     "集团",       "各县",   "（市、区）", ""};
enum { N_PIECES = sizeof pieces / sizeof *pieces };

static uint64_t rng = 0x9e3779b97f4a7c15u;
static uint64_t next(void) {
  rng ^= rng << 13;
  rng ^= rng >> 7;
  rng ^= rng << 17;
  return rng;
}

static size_t random_name(char *buf, size_t cap, int max_pieces) {
  size_t n = 0;
  int k = (int)(next() % (uint64_t)max_pieces);
  for (int i = 0; i < k; i++) {
    const char *p = pieces[next() % N_PIECES];
    size_t pn = strlen(p);
    if (n + pn >= cap) break;
    memcpy(buf + n, p, pn);
    n += pn;
  }
  buf[n] = '\0';
  return n;
}

Test(dept_random, canonical_of_random_names) {
  cdx_dept_table *t;
  cdx_error err;
  cr_assert_eq(cdx_dept_table_new(&t, &err), CDX_OK, "%s", err.message);
  const char *places[] = {"乐清市", "温州市", "浙江省"};
  size_t ok = 0;
  for (int round = 0; round < 20000; round++) {
    char name[400], out[256];
    size_t n = random_name(name, sizeof name, 12), len = 0;
    int rc = cdx_dept_canonical(round % 3 ? t : NULL, places, (size_t)(round % 4), name, n, out,
                                sizeof out, &len, &err);
    if (rc != CDX_OK) {
      cr_assert(rc == CDX_ENCODING || rc == CDX_LIMIT, "%d for '%s'", rc, name);
      continue;
    }
    ok++;
    cr_assert_eq(len, strlen(out), "'%s'", name);
    cr_assert_eq(cdx_utf8_find_invalid(out, len), CDX_NO_OFFSET, "'%s' -> invalid UTF-8", name);
    for (size_t i = 0; i < len;) {
      int32_t c = cdx_utf8_decode(out, len, &i);
      cr_assert(c != '(' && c != ')' && c != '<' && c != '>' && c != 0x3008 && c != 0x3009 &&
                    c != ' ' && c != '\t' && c != 0xFF21,
                "'%s' -> '%s' is not folded", name, out);
      cr_assert_eq(cdx_t2s((uint32_t)c), (uint32_t)c, "'%s' -> '%s' keeps Traditional", name, out);
    }
    /* the same input, the same answer */
    char again[256];
    cr_assert_eq(cdx_dept_canonical(round % 3 ? t : NULL, places, (size_t)(round % 4), name, n,
                                    again, sizeof again, NULL, &err),
                 CDX_OK);
    cr_assert_str_eq(again, out);
  }
  cr_expect_gt(ok, 10000, "only %zu of 20000 random names were valid", ok);
  cdx_dept_table_free(t);
}

Test(dept_random, random_table_files) {
  cdx_dept_table *t;
  cdx_error err;
  cr_assert_eq(cdx_dept_table_new(&t, &err), CDX_OK, "%s", err.message);
  static const char *const seps[] = {"\t", "\n", "\t", "\n", "#", "\r\n", "\t\t"};
  size_t loaded = 0;
  for (int round = 0; round < 3000; round++) {
    char file[2048];
    size_t n = 0;
    int lines = 1 + (int)(next() % 6);
    for (int l = 0; l < lines; l++) {
      n += random_name(file + n, sizeof file - n - 8, 4);
      const char *s = seps[next() % (sizeof seps / sizeof *seps)];
      memcpy(file + n, s, strlen(s));
      n += strlen(s);
    }
    size_t before = cdx_dept_table_size(t);
    int rc = cdx_dept_table_load_buffer(t, "rand.tsv", file, n, &err);
    if (rc == CDX_OK) {
      loaded++;
      cr_assert_geq(cdx_dept_table_size(t), before);
      continue;
    }
    cr_assert(rc == CDX_INVALID || rc == CDX_ENCODING || rc == CDX_LIMIT, "%d", rc);
    cr_assert(strncmp(err.message, "rand.tsv:", 9) == 0, "'%s'", err.message);
    cr_assert_eq(cdx_dept_table_size(t), before);
  }
  cr_expect_gt(loaded, 100, "only %zu random files loaded", loaded);
  cdx_dept_table_free(t);
}
