/* The analyzer's rules on small texts: segmentation, folding, positions,
 * offsets, bad input, and long input. */
#include <criterion/criterion.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include "tokenizer/tok_helpers.h"

#define UNI CDX_ANALYZE_UNIGRAMS

/* Asserts the "term@pos ..." rendering of text's tokens. */
static void expect(const char *text, unsigned flags, const char *want) {
  toks t = analyze(text, flags);
  cr_assert_str_eq(toks_str(&t), want, "analyze(%s)", text);
  toks_free(&t);
}

/* TEXT's first token has type TYPE and bytes START..END. */
static void expect_first(const char *text, cdx_token_type type, size_t start, size_t end) {
  toks t = analyze(text, 0);
  cr_assert_gt(t.n, 0, "%s: no token", text);
  cr_assert_eq(t.v[0].type, type, "%s: type %d", text, (int)t.v[0].type);
  cr_assert_eq(t.v[0].start, start, "%s: start %zu", text, t.v[0].start);
  cr_assert_eq(t.v[0].end, end, "%s: end %zu", text, t.v[0].end);
  toks_free(&t);
}

/* fold(TEXT) gives WANT. */
static void expect_fold(const char *text, const char *want) {
  char *f = fold(text, strlen(text), NULL);
  cr_assert_str_eq(f, want, "fold(%s)", text);
  cdx_free(f);
}

/* Asserts that every token slices the original back to text that folds to
 * the term (for a bigram, unigram, word or number alike). */
static void expect_slices_fold_to_terms(const char *text, unsigned flags) {
  toks t = analyze(text, flags);
  for (size_t i = 0; i < t.n; i++) {
    tok *k = &t.v[i];
    cr_assert(k->start < k->end && k->end <= strlen(text));
    char *f = fold(text + k->start, k->end - k->start, NULL);
    cr_assert_str_eq(f, k->term, "token %zu of %s: slice [%zu,%zu) folds to %s", i, text, k->start,
                     k->end, f);
    cdx_free(f);
  }
  toks_free(&t);
}

Test(analyzer, bigram_runs) {
  expect("一二三四五", 0, "一二@0 二三@1 三四@2 四五@3");
  toks t = analyze("一二三四五", 0);
  for (size_t i = 0; i < t.n; i++) {
    cr_assert_eq(t.v[i].type, CDX_TOKEN_CJK_BIGRAM);
    cr_assert_eq(t.v[i].start, 3 * i);
    cr_assert_eq(t.v[i].end, 3 * i + 6);
  }
  toks_free(&t);
  expect("一二", 0, "一二@0");
}

Test(analyzer, unigrams_follow_their_bigram) {
  expect("一二三", UNI, "一二@0 一@0 二三@1 二@1 三@2");
  toks t = analyze("一二三", UNI);
  cr_assert_eq(t.v[1].type, CDX_TOKEN_CJK_UNIGRAM);
  cr_assert_eq(t.v[4].start, 6);
  cr_assert_eq(t.v[4].end, 9);
  toks_free(&t);
}

/* The index's choice: each character is the first character of exactly one
 * term at its position, the bigram it begins or, at the end of a run, its
 * unigram. */
Test(analyzer, run_tails_cover_every_character_once) {
  expect("一二三", CDX_ANALYZE_RUN_TAILS, "一二@0 二三@1 三@2");
  expect("经济，高质量 a中b", CDX_ANALYZE_RUN_TAILS, "经济@0 济@1 高质@3 质量@4 量@5 a@6 中@7 b@8");
  const char *texts[] = {"乐清市关于推动经济高质量发展的若干政策（2025版）", "a中b，一二三 x 四",
                         "“415X”先进制造业集群, 2.74亿元"};
  for (size_t k = 0; k < sizeof texts / sizeof texts[0]; k++) {
    toks all = analyze(texts[k], UNI), tails = analyze(texts[k], CDX_ANALYZE_RUN_TAILS);
    /* the unigram positions of the full run = the CJK positions of the tails run */
    size_t n_uni = 0, n_cjk = 0;
    for (size_t i = 0; i < all.n; i++) n_uni += all.v[i].type == CDX_TOKEN_CJK_UNIGRAM;
    for (size_t i = 0; i < tails.n; i++) {
      if (tails.v[i].type != CDX_TOKEN_CJK_UNIGRAM && tails.v[i].type != CDX_TOKEN_CJK_BIGRAM)
        continue;
      n_cjk++;
      bool found = false;
      for (size_t m = 0; m < all.n && !found; m++)
        found = all.v[m].type == CDX_TOKEN_CJK_UNIGRAM && all.v[m].pos == tails.v[i].pos &&
                !strncmp(all.v[m].term, tails.v[i].term, all.v[m].term_len);
      cr_assert(found, "%s: %s@%u does not start with the character there", texts[k],
                tails.v[i].term, tails.v[i].pos);
    }
    cr_assert_eq(n_cjk, n_uni, "%s", texts[k]);
    toks_free(&all);
    toks_free(&tails);
  }
}

Test(analyzer, single_cjk_char_between_latin) {
  expect("a中b", 0, "a@0 中@1 b@2");
  toks t = analyze("a中b", 0);
  cr_assert_eq(t.v[0].type, CDX_TOKEN_WORD);
  cr_assert_eq(t.v[1].type, CDX_TOKEN_CJK_UNIGRAM);
  cr_assert_eq(t.v[1].start, 1);
  cr_assert_eq(t.v[1].end, 4);
  toks_free(&t);
  expect("a中b", UNI, "a@0 中@1 b@2");
}

Test(analyzer, kana_and_hangul_are_bigrammed) {
  expect("ひらがなカタカナ", 0, "ひら@0 らが@1 がな@2 なカ@3 カタ@4 タカ@5 カナ@6");
  expect("한국어", 0, "한국@0 국어@1");
  expect("コーヒー", 0, "コー@0 ーヒ@1 ヒー@2");
}

Test(analyzer, traditional_folds_to_simplified) {
  toks a = analyze("溫州市推動經濟", UNI), b = analyze("温州市推动经济", UNI);
  cr_assert_str_eq(toks_str(&a), toks_str(&b));
  cr_assert_str_eq(toks_str(&a),
                   "温州@0 温@0 州市@1 州@1 市推@2 市@2 推动@3 推@3 动经@4 动@4 经济@5 经@5 济@6");
  toks_free(&a);
  toks_free(&b);
  /* U+F900 is a compatibility ideograph: NFKC gives 豈, then T->S gives 岂. */
  expect("\xef\xa4\x80", 0, "岂@0");
  expect_fold("\xef\xa4\x80 責任單位", "岂 责任单位");
}

Test(analyzer, width_and_case_folding) {
  expect("ＡＢＣ１２３", 0, "abc123@0");
  expect_first("ＡＢＣ１２３", CDX_TOKEN_WORD, 0, 18);
  expect("Hello WORLD Straße", 0, "hello@0 world@1 strasse@2");
  expect_fold("ＡＢＣ１２３，Straße", "abc123,strasse");
}

Test(analyzer, numbers_and_mixed_tokens_from_the_seeds) {
  expect("实施“415X”先进制造业集群", 0, "实施@0 415x@3 先进@5 进制@6 制造@7 造业@8 业集@9 集群@10");
  expect_first("“415X”", CDX_TOKEN_WORD, 3, 7);
  expect("安排资金2.74亿元，", 0, "安排@0 排资@1 资金@2 2.74@4 亿元@5");
  expect_first("2.74亿元", CDX_TOKEN_NUMBER, 0, 4);
  expect("达到3.12%左右", 0, "达到@0 3.12@2 左右@4");
  expect("”5.0版，支持", 0, "5.0@0 版@1 支持@3");
  expect("8GW光伏 5G基站", 0, "8gw@0 光伏@1 5g@3 基站@4");
  toks t = analyze("8GW 5G 2025", 0);
  cr_assert_eq(t.v[0].type, CDX_TOKEN_WORD);
  cr_assert_eq(t.v[1].type, CDX_TOKEN_WORD);
  cr_assert_eq(t.v[2].type, CDX_TOKEN_NUMBER);
  toks_free(&t);
  /* A dot that no digit follows is punctuation. */
  expect("第1. 条", 0, "第@0 1@1 条@3");
  expect("1.2.3 v1.2", 0, "1.2.3@0 v1.2@1");
}

Test(analyzer, punctuation_adds_one_gap_space_does_not) {
  expect("高质，质量", 0, "高质@0 质量@3");
  expect("高质 质量", 0, "高质@0 质量@2");
  expect("高质\n\t 质量", 0, "高质@0 质量@2");
  expect("高质，，、。质量", 0, "高质@0 质量@3");
  expect("ab, cd ef", 0, "ab@0 cd@2 ef@3");
  expect("经济，高质量", UNI, "经济@0 经@0 济@1 高质@3 高@3 质量@4 质@4 量@5");
  /* Punctuation before the first token adds nothing: positions start at 0. */
  expect("（一）推动", 0, "一@0 推动@2");
  expect("，，a", 0, "a@0");
}

Test(analyzer, unigram_flag_does_not_move_positions) {
  const char *texts[] = {"乐清市关于推动经济高质量发展的若干政策（2025版）", "a中b，一二三 x 四",
                         "“415X”先进制造业集群, 2.74亿元"};
  for (size_t k = 0; k < sizeof texts / sizeof texts[0]; k++) {
    toks a = analyze(texts[k], 0), b = analyze(texts[k], UNI);
    size_t j = 0;
    for (size_t i = 0; i < b.n; i++) {
      /* A unigram inside a run of two or more shares its position with a
       * bigram, or follows the run's last bigram: the flag added it. */
      bool extra = false;
      for (size_t m = 0; b.v[i].type == CDX_TOKEN_CJK_UNIGRAM && m < b.n; m++)
        if (b.v[m].type == CDX_TOKEN_CJK_BIGRAM &&
            (b.v[m].pos == b.v[i].pos || b.v[m].pos + 1 == b.v[i].pos))
          extra = true;
      if (extra) continue;
      cr_assert(j < a.n, "%s: extra token %s", texts[k], b.v[i].term);
      cr_assert_str_eq(a.v[j].term, b.v[i].term, "%s", texts[k]);
      cr_assert_eq(a.v[j].pos, b.v[i].pos, "%s: %s", texts[k], a.v[j].term);
      j++;
    }
    cr_assert_eq(j, a.n, "%s: tokens without unigrams missing from the unigram run", texts[k]);
    toks_free(&a);
    toks_free(&b);
  }
}

Test(analyzer, offsets_survive_length_changing_normalisation) {
  /* ﬁ expands to fi, ㈠ to (一), e + U+0301 composes, full width shrinks. */
  const char *text = "ﬁne ㈠ cafe\xcc\x81 ＡＢ中文 ｶﾀｶﾅ \xef\xa4\x80\xe6\x96\x87";
  expect(text, 0, "fine@0 一@2 café@4 ab@5 中文@6 カタ@8 タカ@9 カナ@10 岂文@12");
  toks t = analyze(text, 0);
  cr_assert_eq(t.v[0].start, 0);
  cr_assert_eq(t.v[0].end, 5); /* ﬁ (3 bytes) + "ne" */
  cr_assert_eq(t.v[1].start, 6);
  cr_assert_eq(t.v[1].end, 9); /* the whole ㈠ */
  cr_assert_eq(t.v[2].start, 10);
  cr_assert_eq(t.v[2].end, 16); /* the combining mark belongs to the word */
  toks_free(&t);
  expect_slices_fold_to_terms("ﬁne cafe\xcc\x81 ＡＢ中文 ｶﾀｶﾅ \xef\xa4\x80\xe6\x96\x87 溫州", UNI);
  /* A mark that cannot compose stays in its word; after a CJK character it
   * is a symbol, not a token of its own. */
  expect("x\xcc\xa3\xcc\x81y 中\xcc\x81文", 0, "x\xcc\xa3\xcc\x81y@0 中@1 文@3");
  /* Default ignorables vanish without splitting a run. */
  expect("温\xe2\x80\x8b州", 0, "温州@0");
}

Test(analyzer, invalid_utf8_reports_the_offset_and_emits_nothing) {
  struct {
    const char *s;
    size_t len, off;
  } cases[] = {
      {"abc\xff", 4, 3},          {"中文\xe4\xb8", 8, 6}, /* truncated */
      {"a\xc0\xaf", 3, 1},                                /* overlong */
      {"ab\xed\xa0\x80z", 6, 2},                          /* surrogate */
      {"\xf4\x90\x80\x80", 4, 0},                         /* above U+10FFFF */
      {"一二三\x80一二", 12, 9},                          /* stray continuation byte */
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    toks t;
    cdx_error err;
    int rc = analyze_n(cases[i].s, cases[i].len, UNI, &t, &err);
    cr_assert_eq(rc, CDX_ENCODING, "case %zu", i);
    cr_assert_eq(err.offset, cases[i].off, "case %zu: offset %zu", i, err.offset);
    cr_assert_eq(t.n, 0, "case %zu emitted tokens", i);
    cr_assert(strstr(err.message, "byte") != NULL);
    toks_free(&t);
    char *out = (char *)1;
    rc = cdx_fold_text(cases[i].s, cases[i].len, &out, NULL, &err);
    cr_assert_eq(rc, CDX_ENCODING);
    cr_assert_eq(err.offset, cases[i].off);
    cr_assert_null(out);
  }
}

Test(analyzer, empty_input) {
  toks t;
  cdx_error err;
  cr_assert_eq(analyze_n("", 0, UNI, &t, &err), CDX_OK);
  cr_assert_eq(t.n, 0);
  toks_free(&t);
  cr_assert_eq(analyze_n(NULL, 0, 0, &t, &err), CDX_OK);
  cr_assert_eq(t.n, 0);
  toks_free(&t);
  expect(" ，。\n ", UNI, "");
  size_t n = 99;
  char *f = fold("", 0, &n);
  cr_assert_eq(n, 0);
  cr_assert_str_eq(f, "");
  cdx_free(f);
}

static int stop_after_two(void *ctx, const cdx_token *t) {
  int *n = ctx;
  return ++*n == 2;
}

Test(analyzer, callback_can_stop) {
  cdx_analyzer *an;
  cdx_error err;
  cr_assert_eq(cdx_analyzer_new(0, &an, &err), CDX_OK);
  int n = 0;
  cr_assert_eq(cdx_analyzer_run(an, "一二三四五", strlen("一二三四五"), stop_after_two, &n, &err),
               CDX_OK);
  cr_assert_eq(n, 2);
  /* The analyzer is reusable, and positions restart at 0. */
  toks t;
  cdx_analyzer_free(an);
  cr_assert_eq(analyze_n("一二", 6, 0, &t, &err), CDX_OK);
  cr_assert_eq(t.v[0].pos, 0);
  toks_free(&t);
}

Test(analyzer, type_names) {
  cr_assert_str_eq(cdx_token_type_name(CDX_TOKEN_CJK_BIGRAM), "cjk_bigram");
  cr_assert_str_eq(cdx_token_type_name(CDX_TOKEN_CJK_UNIGRAM), "cjk_unigram");
  cr_assert_str_eq(cdx_token_type_name(CDX_TOKEN_WORD), "word");
  cr_assert_str_eq(cdx_token_type_name(CDX_TOKEN_NUMBER), "number");
}

struct count {
  size_t n, bigrams, last_end, bytes;
  uint32_t last_pos;
  int bad;
};

static int count_tok(void *ctx, const cdx_token *t) {
  struct count *c = ctx;
  if (c->n && (t->pos != c->last_pos + 1 || t->start != c->last_end - 3)) c->bad++;
  c->n++;
  c->bigrams += t->type == CDX_TOKEN_CJK_BIGRAM;
  c->last_pos = t->pos;
  c->last_end = t->end;
  c->bytes += t->term_len;
  return 0;
}

Test(analyzer, ten_megabyte_run_without_punctuation) {
  /* 3,500,000 Han characters in a 10.5 MB line: one run, n-1 bigrams. */
  const char *chars[] = {"经", "濟", "高", "质", "量"};
  size_t nch = 3500000, len = nch * 3;
  char *text = malloc(len);
  cr_assert_not_null(text);
  for (size_t i = 0; i < nch; i++) memcpy(text + 3 * i, chars[i % 5], 3);
  cdx_analyzer *an;
  cdx_error err;
  cr_assert_eq(cdx_analyzer_new(0, &an, &err), CDX_OK);
  struct count c = {0};
  cr_assert_eq(cdx_analyzer_run(an, text, len, count_tok, &c, &err), CDX_OK);
  cr_assert_eq(c.n, nch - 1);
  cr_assert_eq(c.bigrams, nch - 1);
  cr_assert_eq(c.bad, 0, "positions or offsets not consecutive");
  cr_assert_eq(c.last_pos, nch - 2);
  cr_assert_eq(c.last_end, len);
  /* One 10 MB Latin word: a single token. */
  memset(text, 'a', len);
  memset(&c, 0, sizeof c);
  cr_assert_eq(cdx_analyzer_run(an, text, len, count_tok, &c, &err), CDX_OK);
  cr_assert_eq(c.n, 1);
  cr_assert_eq(c.bytes, len);
  /* A million combining marks on one letter: linear, one word. */
  text[0] = 'a';
  for (size_t i = 0; i < 1000000; i++) memcpy(text + 1 + 2 * i, "\xcc\x81", 2);
  memset(&c, 0, sizeof c);
  cr_assert_eq(cdx_analyzer_run(an, text, 2000001, count_tok, &c, &err), CDX_OK);
  cr_assert_eq(c.n, 1);
  cdx_analyzer_free(an);
  free(text);
}
