/*
 * Mojibake repair (corpus/repair.c) on damage made here the way seed 002 was
 * damaged: a run of GBK bytes decoded one byte off, its first and last bytes
 * lost as '?', full-width characters of the garbled run folded to ASCII.
 * The clean text comes from every seed; the repair must give it back, one
 * span per damaged run, and leave clean Traditional and Simplified text alone.
 */
#define _POSIX_C_SOURCE 200809L /* strdup */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>
#include <unicode/ucnv.h>
#include <unicode/ustring.h>
#include "corpus/corpus.h"
#include "tests/support/test_support.h"

/* GBK bytes of UTF-8 text (2 per character here); NULL when a character has
 * no two-byte form. */
static char *to_gbk(const char *s, size_t n, size_t *out_n) {
  UErrorCode st = U_ZERO_ERROR;
  UConverter *cv = ucnv_open("GBK", &st);
  cr_assert(U_SUCCESS(st));
  ucnv_setFromUCallBack(cv, UCNV_FROM_U_CALLBACK_STOP, NULL, NULL, NULL, &st);
  UChar u[512];
  int32_t un = 0;
  u_strFromUTF8(u, 512, &un, s, (int32_t)n, &st);
  char *b = malloc(1024);
  int32_t bn = U_SUCCESS(st) ? ucnv_fromUChars(cv, b, 1024, u, un, &st) : 0;
  ucnv_close(cv);
  if (U_FAILURE(st) || bn != 2 * un) {
    free(b);
    return NULL;
  }
  *out_n = (size_t)bn;
  return b;
}

/* GB18030 decoding of bytes (user-defined area -> private use), full-width
 * forms folded to ASCII, appended to out. */
static void garble(const char *b, size_t n, cdx_buf *out) {
  UErrorCode st = U_ZERO_ERROR;
  UConverter *cv = ucnv_open("GB18030", &st);
  UChar u[512];
  int32_t un = ucnv_toUChars(cv, u, 512, b, (int32_t)n, &st);
  ucnv_close(cv);
  cr_assert(U_SUCCESS(st));
  for (int32_t i = 0; i < un; i++) {
    if (u[i] >= 0xFF01 && u[i] <= 0xFF5E) u[i] = (UChar)(u[i] - 0xFEE0);
    if (u[i] == 0x1A) u[i] = '?';
  }
  char o[2048];
  int32_t on = 0;
  st = U_ZERO_ERROR;
  u_strToUTF8WithSub(o, 2048, &on, u, un, 0xFFFD, NULL, &st);
  int rc = CDX_OK;
  cdx_buf_append(&rc, out, o, (size_t)on);
}

/* The damage of seed 002 to the k characters of UTF-8 run r: '?', the
 * run's GBK bytes without their first and last byte decoded (so one byte
 * off), '?'. false when the run has characters outside GBK's two-byte set. */
static bool damage(const char *r, size_t rn, cdx_buf *out) {
  size_t bn;
  char *b = to_gbk(r, rn, &bn);
  if (!b) return false;
  int rc = CDX_OK;
  cdx_buf_putc(&rc, out, '?');
  garble(b + 1, bn - 2, out);
  cdx_buf_putc(&rc, out, '?');
  free(b);
  return true;
}

/* Byte length of the first k characters of s, or 0 when one of them is not
 * a Han character, or has a trail byte below 0x80 (many Traditional ones in
 * GBK): a garbled run falls back into step by itself there, which is not the
 * damage built here. */
static size_t han_run(const char *s, size_t n, size_t k) {
  size_t i = 0;
  for (size_t c = 0; c < k; c++) {
    if (i >= n) return 0;
    int32_t cp = cdx_utf8_decode(s, n, &i);
    if (cp < 0x4E00 || cp > 0x9FFF) return 0;
  }
  size_t bn;
  char *b = to_gbk(s, i, &bn);
  bool ok = b != NULL;
  for (size_t j = 1; ok && j < bn; j += 2) ok = (unsigned char)b[j] >= 0x80;
  free(b);
  return ok ? i : 0;
}

typedef struct outcome {
  size_t damaged, exact, spans, wrong;
} outcome;

/* Damages up to 10 lines of text (a run of 6 Han characters near the
 * line's start), repairs, compares with text. */
static outcome damage_and_repair(const char *text, size_t len) {
  cdx_buf d;
  cdx_buf_init(&d);
  int rc = CDX_OK;
  outcome r = {0, 0, 0, 0};
  size_t lines[10][2], nl = 0; /* damaged lines: start in text, start in d */
  size_t pos = 0, idx = 0;
  while (pos < len) {
    const char *e = memchr(text + pos, '\n', len - pos);
    size_t end = e ? (size_t)(e - text) : len;
    const char *s = text + pos;
    size_t n = end - pos, skip = 0, run = 0;
    /* the first run of 6 Han characters after the line's first 2 characters */
    for (int c = 0; c < 2 && skip < n; c++) cdx_utf8_decode(s, n, &skip);
    while (n > 80 && skip < n && skip < 240 && !(run = han_run(s + skip, n - skip, 6)))
      cdx_utf8_decode(s, n, &skip);
    bool clean = !memchr(s, '?', n) && !cdx_memmem(s, n, "\xef\xbf\xbd");
    size_t before = d.len;
    if (run && clean && nl < 10 && idx++ % 3 == 0) {
      cdx_buf_append(&rc, &d, s, skip);
      if (damage(s + skip, run, &d)) {
        cdx_buf_append(&rc, &d, s + skip + run, n - skip - run);
        lines[nl][0] = pos;
        lines[nl][1] = before;
        nl++;
      } else {
        d.len = before;
        cdx_buf_append(&rc, &d, s, n);
      }
    } else {
      cdx_buf_append(&rc, &d, s, n);
    }
    if (e) cdx_buf_putc(&rc, &d, '\n');
    pos = end + 1;
  }
  cr_assert_eq(rc, CDX_OK);
  char *out = NULL;
  size_t out_len = 0, n_spans = 0;
  cdx_repair_span *spans = NULL;
  cdx_error err;
  size_t unsearched = 0;
  cr_assert_eq(
      cdx_corpus_repair(d.data, d.len, NULL, &out, &out_len, &spans, &n_spans, &unsearched, &err),
      CDX_OK);
  r.damaged = nl;
  r.spans = n_spans;
  const char *o = out ? out : d.data;
  size_t on = out ? out_len : d.len;
  /* line by line: the damaged lines are the only ones that may differ */
  size_t tp = 0, op = 0;
  while (tp < len && op < on) {
    const char *te = memchr(text + tp, '\n', len - tp), *oe = memchr(o + op, '\n', on - op);
    size_t tn = (te ? (size_t)(te - text) : len) - tp, onn = (oe ? (size_t)(oe - o) : on) - op;
    bool was_damaged = false;
    for (size_t k = 0; k < nl; k++) was_damaged |= lines[k][0] == tp;
    bool same = tn == onn && memcmp(text + tp, o + op, tn) == 0;
    if (was_damaged && same) r.exact++;
    if (!same) {
      cr_expect(was_damaged, "an undamaged line changed: %.*s", (int)(onn < 200 ? onn : 200),
                o + op);
      /* a repair differs from the truth only by U+FFFD, never by another
       * character: same length once each U+FFFD stands for a 3-byte character */
      if (!was_damaged || tn != onn) r.wrong++;
      else
        for (size_t i = 0, j = 0; i < tn && j < onn;) {
          int32_t a = cdx_utf8_decode(text + tp, tn, &i), b = cdx_utf8_decode(o + op, onn, &j);
          if (a != b && b != 0xFFFD) {
            r.wrong++;
            size_t at = i > 12 ? i - 12 : 0;
            cr_log_info("wrong repair: ...%.*s... -> ...%.*s...", 24, text + tp + at, 24,
                        o + op + (j > 12 ? j - 12 : 0));
            break;
          }
        }
    }
    tp += tn + 1;
    op += onn + 1;
  }
  cdx_repair_spans_free(spans, n_spans);
  free(out);
  cdx_buf_free(&d);
  return r;
}

static char *seed_text(size_t i, size_t *len) {
  const char *p = cdx_test_seed_path(cdx_test_seed_names[i]);
  if (!p) return NULL;
  char *t = cdx_test_read(p, len);
  if (i != 2) return t;
  /* 002 carries damage of its own: its repaired text is the clean text */
  char *out = NULL;
  size_t out_len = 0, n = 0;
  cdx_repair_span *spans = NULL;
  cdx_error err;
  size_t unsearched = 0;
  cr_assert_eq(cdx_corpus_repair(t, *len, NULL, &out, &out_len, &spans, &n, &unsearched, &err),
               CDX_OK);
  cr_assert_not_null(out);
  cdx_repair_spans_free(spans, n);
  free(t);
  *len = out_len;
  return out;
}

Test(repair, constructed_damage_on_every_seed) {
  for (size_t i = 0; i < 5; i++) {
    size_t len;
    char *text = seed_text(i, &len);
    if (!text) return;
    outcome r = damage_and_repair(text, len);
    cr_log_info("seed %zu: %zu runs damaged, %zu spans, %zu repaired exactly, %zu wrong", i,
                r.damaged, r.spans, r.exact, r.wrong);
    cr_expect_geq(r.damaged, 8, "seed %zu: only %zu lines damaged", i, r.damaged);
    /* one span per run repaired; a run is left as it stands when its
     * repair is not clearly cheaper (measured: 1 of 10 in seed 002) */
    cr_expect(r.spans <= r.damaged && r.spans + 1 >= r.damaged,
              "seed %zu: %zu spans for %zu damaged runs", i, r.spans, r.damaged);
    /* a wrong character for a lost byte happens (measured: 0 or 1 of 10
     * runs per seed, issue 16): no more than that */
    cr_expect_leq(r.wrong, 1, "seed %zu: %zu lines repaired to a wrong character", i, r.wrong);
    /* a run loses its first and its last character's byte: where the
     * document gives no clear evidence, they stay U+FFFD (measured: 8 or 9
     * of 10 runs come back exactly; 5 to 7 before the common-word tie break) */
    cr_expect_geq(r.exact * 10, r.damaged * 7, "seed %zu: %zu of %zu runs repaired exactly", i,
                  r.exact, r.damaged);
    free(text);
  }
}

/* Repairs text and returns the result (malloc'ed) and the span count. */
static char *repair(const char *text, size_t *n_spans) {
  char *out = NULL;
  size_t out_len = 0;
  cdx_repair_span *spans = NULL;
  cdx_error err;
  size_t unsearched = 0;
  cr_assert_eq(cdx_corpus_repair(text, strlen(text), NULL, &out, &out_len, &spans, n_spans,
                                 &unsearched, &err),
               CDX_OK);
  cdx_repair_spans_free(spans, *n_spans);
  return out ? out : strdup(text);
}

/* *D (initialised here) = BEFORE, then HIT damaged (damage()), then AFTER. */
static void damaged_line(cdx_buf *d, const char *before, const char *hit, const char *after) {
  cdx_buf_init(d);
  int rc = CDX_OK;
  cdx_buf_puts(&rc, d, before);
  cr_assert(damage(hit, strlen(hit), d));
  cdx_buf_puts(&rc, d, after);
  cdx_buf_str(&rc, d);
}

/* Repairing *D (freed here) makes one repair, and the text holds WANT. */
static void expect_one_repair(cdx_buf *d, const char *want) {
  size_t n = 0;
  char *out = repair(d->data, &n);
  cr_expect_eq(n, 1);
  cr_expect(strstr(out, want) != NULL, "%s", out);
  free(out);
  cdx_buf_free(d);
}

Test(repair, width_folded_byte_and_lost_trail) {
  /* 保障 = B1A3 D5CF: one byte off, A3 D5 is Ｕ, folded to U; 障 lost its
   * trail byte CF. The first line is the evidence a document gives. */
  cdx_buf d;
  damaged_line(&d, "（四）强化科技金融支撑保障。促进创业投资高质量发展。\n各地要强化科技金融",
               "支撑保障", "。\n");
  cr_assert(strstr(d.data, "U?。") != NULL, "the damage has the folded byte: %s", d.data);
  expect_one_repair(&d, "\n各地要强化科技金融支撑保障。\n");
}

Test(repair, lost_lead_byte_at_line_start) {
  /* 002's clause lines: the indentation's lead byte lost, the clause number
   * garbled */
  cdx_buf d;
  damaged_line(&d, "一、推进教育科技人才一体发展\n  ", "　（一）推动",
               "高能级科创平台提质增效。\n");
  expect_one_repair(&d, "（一）推动高能级科创平台提质增效。");
}

Test(repair, clean_text_is_left_alone) {
  static const char *const texts[] = {
      /* Traditional and Simplified prose with an ASCII '?', symbols of GBK's
       * rows and private use, which mojibake produces and prose rarely has */
      "溫州市推動經濟高質量發展若干政策?是否適用于各縣(市、區)?請諮詢市發展改革委。\n",
      "支持企业申报α、β类项目?符合条件的给予奖励。符合条件吗?\n",
      "R&D经费投入增幅不低于20%?新增ΔΣ指标。┌─┐表格线\n",
      "第ㄅ条 注音符号ㄆㄇ与私用区\xee\x80\x80字符。\n",
      "全年舉辦各類促銷活動400場以上?新電商節慶賽事活動50場次以上。\n"};
  for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
    size_t n = 0;
    char *out = repair(texts[i], &n);
    cr_expect_eq(n, 0, "text %zu: %zu spans: %s", i, n, out);
    cr_expect_str_eq(out, texts[i]);
    free(out);
  }
}

Test(repair, seeds_without_damage_are_unchanged) {
  for (size_t i = 0; i < 5; i++) {
    size_t len;
    char *text = seed_text(i, &len); /* 002: once repaired, nothing is left to repair */
    if (!text) return;
    char *out = NULL;
    size_t out_len = 0, n = 0;
    cdx_repair_span *spans = NULL;
    cdx_error err;
    size_t unsearched = 0;
    cr_assert_eq(cdx_corpus_repair(text, len, NULL, &out, &out_len, &spans, &n, &unsearched, &err),
                 CDX_OK);
    cr_expect_eq(n, 0, "seed %zu: %zu spans, first at %zu", i, n, n ? spans[0].start : 0);
    cr_expect_null(out);
    cdx_repair_spans_free(spans, n);
    free(out);
    free(text);
  }
}

Test(repair, index_summarises_the_repairs_per_file) {
  const char *p = cdx_test_seed_path(cdx_test_seed_names[2]);
  if (!p) return;
  char *dir = cdx_test_tmpdir();
  char *out = NULL;
  int st = cdx_test_cli(&out, "index -i '%s/ix' '%s' 2>&1", dir, p);
  cr_expect_eq(st, 0, "%s", out ? out : "");
  cr_assert_not_null(out);
  /* one line for the file, counting its spans as parse --json lists them:
   * 46 garbled line starts and the 9 runs inside clause bodies of issue 16 */
  cr_expect(strstr(out, "002_cedcb2d41ec327f2.txt: warning: 55 damaged span(s) repaired") != NULL,
            "%s", out);
  free(out);
  out = NULL;
  cr_expect_eq(cdx_test_cli(&out, "parse --json '%s' | grep -o '\"mojibake at' | wc -l", p), 0);
  cr_expect(out && atoi(out) == 55, "parse --json lists %s spans", out ? out : "no");
  free(out);
  cdx_test_rmtree(dir);
  free(dir);
}

Test(repair, index_uses_the_corpus_as_evidence) {
  const char *seeds = cdx_test_seeds_dir();
  if (!seeds) return;
  char *dir = cdx_test_tmpdir();
  char *out = NULL;
  cr_assert_eq(cdx_test_cli(&out, "index -i '%s/ix' '%s' 2>&1", dir, seeds), 0, "%s", out);
  free(out);
  /* the queries of issue 16; 应保尽保 and 临床重点专科 need the other seeds:
   * 002 itself never says 盡保 or 專科 undamaged; 高校基础设施 is in no other
   * seed: 高校 is decided by the common-word tie break */
  static const char *const found[] = {
      "高校基础设施", "应保尽保",     "确保基层有感", "共同富裕科技帮扶团",
      "支撑保障",     "有序流动通道", "物流成本",     "展会影响力",
      "国家政策支持", "用能要素保障", "临床重点专科", "\\\"415X\\\"先进制造业集群"};
  for (size_t i = 0; i < sizeof found / sizeof found[0]; i++) {
    out = NULL;
    cr_expect_eq(
        cdx_test_cli(&out, "search -i '%s/ix' --all --json \"%s\" | grep -c 002_", dir, found[i]),
        0, "%s: no 002 unit", found[i]);
    cr_expect(out && atoi(out) >= 1, "%s: %s", found[i], out ? out : "");
    free(out);
  }
  /* a second run finds every file unchanged, the re-parsed 002 too */
  out = NULL;
  cr_expect_eq(cdx_test_cli(&out, "index -i '%s/ix' '%s' 2>&1", dir, seeds), 0);
  cr_expect(out && strstr(out, "0 added, 5 unchanged, 0 replaced"), "%s", out ? out : "");
  free(out);
  cdx_test_rmtree(dir);
  free(dir);
}

Test(repair, search_time_is_bounded) {
  /* lines of '?' between Han characters look damaged everywhere; the
   * search gives up after its budget (seconds at most, not minutes) and
   * says how many lines it left */
  cdx_buf d;
  cdx_buf_init(&d);
  int rc = CDX_OK;
  static const char *const han[] = {"政", "策", "发", "展", "企", "业"};
  for (int l = 0; l < 200; l++) {
    for (int k = 0; k < 60; k++) {
      cdx_buf_puts(&rc, &d, han[(l + k) % 6]);
      cdx_buf_putc(&rc, &d, '?');
    }
    cdx_buf_putc(&rc, &d, '\n');
  }
  cdx_buf_str(&rc, &d);
  cdx_document *doc = NULL;
  cdx_error err;
  cr_assert_eq(cdx_document_read_buffer("marks.txt", d.data, d.len, NULL, &doc, &err), CDX_OK);
  const cdx_document_meta *m = cdx_document_get_meta(doc);
  bool stopped = false;
  for (size_t i = 0; i < m->n_warnings; i++)
    stopped |= strstr(m->warnings[i], "repair stopped") != NULL;
  cr_expect(stopped, "no warning that the search stopped");
  cdx_document_free(doc);
  cdx_buf_free(&d);
}
