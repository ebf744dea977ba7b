/*
 * gen_repair_pairs: writes the character pairs of clean policy prose as C
 * source, the built-in evidence of the mojibake repair (corpus/repair_model.c).
 *
 * The prose is the generator's vocabulary (gen/synth_vocab.c), written in
 * the register of local economic-policy documents: every C string literal of
 * the input files, template slots (%X) and escapes ending a run of text. Each
 * pair is written in Simplified characters and, through ICU's
 * "Simplified-Traditional" transliterator one character at a time, in
 * Traditional ones too, so a damaged Traditional document finds the same
 * evidence without the library opening a transliterator.
 *
 * A second list comes from a word list with counts (jieba's dict.txt as
 * Debian's python3-jieba ships it: "word count tag" per line): the pairs
 * inside every all-Han word said at least MIN times. It only breaks ties
 * (corpus/repair.c): where the document's own pairs favour two candidates
 * for a lost byte alike, the one that makes a common word wins (002's
 * 高?;A設施: 高校 and 保基 are both pairs of 002; 高校 is a word, 高保 only
 * the start of the rare 高保真, so the threshold tells them apart).
 *
 * usage: gen_repair_pairs OUTPUT.c [--words MIN FILE]... INPUT...
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unicode/uclean.h>
#include <unicode/utf16.h>
#include <unicode/utf8.h>
#include <unicode/utrans.h>
#include "gen_out.h"

typedef struct pair {
  uint32_t a, b;
  int from_words; /* from the word list: written to the second list */
} pair;

static int s_from_words;

static pair *s_pairs;
static size_t s_n, s_cap;

static void add(uint32_t a, uint32_t b) {
  if (s_n == s_cap) {
    s_cap = s_cap ? s_cap * 2 : 4096;
    s_pairs = realloc(s_pairs, s_cap * sizeof *s_pairs);
    if (!s_pairs) {
      fprintf(stderr, "gen_repair_pairs: out of memory\n");
      exit(1);
    }
  }
  s_pairs[s_n++] = (pair){a, b, s_from_words};
}

static int cmp(const void *x, const void *y) {
  const pair *p = x, *q = y;
  if (p->from_words != q->from_words) return p->from_words - q->from_words;
  if (p->a != q->a) return p->a < q->a ? -1 : 1;
  return (p->b > q->b) - (p->b < q->b);
}

static uint32_t traditional(UTransliterator *t, uint32_t c) {
  UChar buf[16];
  int32_t len = 0;
  U16_APPEND_UNSAFE(buf, len, c);
  int32_t limit = len;
  UErrorCode st = U_ZERO_ERROR;
  utrans_transUChars(t, buf, &len, 16, 0, &limit, &st);
  if (U_FAILURE(st)) return c;
  UChar32 out;
  int32_t i = 0;
  U16_NEXT(buf, i, len, out);
  return i == len ? (uint32_t)out : c;
}

/* Pairs of one run of text (UTF-8, no escapes). */
static void run(UTransliterator *t, const char *s, int32_t n) {
  int32_t i = 0;
  UChar32 prev = -1;
  while (i < n) {
    UChar32 c;
    U8_NEXT(s, i, n, c);
    if (c < 0) {
      prev = -1;
      continue;
    }
    if (prev >= 0) {
      add((uint32_t)prev, (uint32_t)c);
      uint32_t tp = traditional(t, (uint32_t)prev), tc = traditional(t, (uint32_t)c);
      if (tp != (uint32_t)prev || tc != (uint32_t)c) add(tp, tc);
    }
    prev = c;
  }
}

static bool is_han(UChar32 c) {
  return (c >= 0x3400 && c <= 0x9FFF) || (c >= 0x20000 && c <= 0x3FFFF);
}

/* The pairs of the words of a "word count tag" list said at least min times. */
static void words(UTransliterator *t, char *src, long min) {
  for (char *line = strtok(src, "\n"); line; line = strtok(NULL, "\n")) {
    char *sp = strchr(line, ' ');
    if (!sp || strtol(sp + 1, NULL, 10) < min) continue;
    int32_t n = (int32_t)(sp - line), i = 0;
    bool han = n > 1;
    while (han && i < n) {
      UChar32 c;
      U8_NEXT(line, i, n, c);
      han = c >= 0 && is_han(c);
    }
    if (han) run(t, line, n);
  }
}

static void scan(UTransliterator *t, const char *src, size_t n) {
  size_t i = 0;
  while (i < n) {
    if (src[i] == '/' && i + 1 < n && src[i + 1] == '*') { /* comments are not prose */
      const char *e = strstr(src + i + 2, "*/");
      i = e ? (size_t)(e - src) + 2 : n;
      continue;
    }
    if (src[i] != '"') {
      i++;
      continue;
    }
    size_t st = ++i;
    for (;;) {
      if (i >= n || src[i] == '"' || src[i] == '\\' || src[i] == '%' || src[i] == '\n') {
        run(t, src + st, (int32_t)(i - st));
        if (i >= n || src[i] == '"' || src[i] == '\n') break;
        i += 2; /* an escape or a template slot ends the run */
        st = i;
        continue;
      }
      i++;
    }
    i++;
  }
}

int main(int argc, char **argv) {
  if (argc < 3) {
    fprintf(stderr, "usage: gen_repair_pairs OUTPUT.c [--words MIN FILE]... INPUT...\n");
    return 2;
  }
  UErrorCode st = U_ZERO_ERROR;
  UTransliterator *t =
      utrans_openU(u"Simplified-Traditional", -1, UTRANS_FORWARD, NULL, 0, NULL, &st);
  if (U_FAILURE(st)) {
    fprintf(stderr, "gen_repair_pairs: utrans_openU: %s\n", u_errorName(st));
    return 1;
  }
  for (int a = 2; a < argc; a++) {
    long min_count = -1;
    if (strcmp(argv[a], "--words") == 0) {
      if (a + 2 >= argc) {
        fprintf(stderr, "gen_repair_pairs: --words needs MIN and FILE\n");
        return 2;
      }
      min_count = strtol(argv[a + 1], NULL, 10);
      a += 2;
    }
    FILE *in = fopen(argv[a], "rb");
    if (!in) {
      perror(argv[a]);
      return 1;
    }
    char *buf = NULL;
    size_t len = 0, cap = 0, k;
    char chunk[65536];
    while ((k = fread(chunk, 1, sizeof chunk, in)) > 0) {
      if (len + k + 1 > cap) {
        cap = (len + k + 1) * 2;
        buf = realloc(buf, cap);
        if (!buf) return 1;
      }
      memcpy(buf + len, chunk, k);
      len += k;
    }
    fclose(in);
    if (buf) {
      buf[len] = '\0';
      s_from_words = min_count >= 0;
      if (s_from_words) words(t, buf, min_count);
      else scan(t, buf, len);
    }
    free(buf);
  }
  utrans_close(t);
  u_cleanup();
  qsort(s_pairs, s_n, sizeof *s_pairs, cmp);
  char tmp[4096];
  FILE *f = gen_out_open(argv[1], tmp, sizeof tmp);
  if (!f) return 1;
  fprintf(f, "/* Generated by tools/gen_repair_pairs.c from the generator's vocabulary\n"
             " * and a word list. Do not edit. */\n#include \"corpus/corpus.h\"\n");
  static const char *const names[2] = {"cdx_rm_builtin", "cdx_rm_word"};
  size_t i = 0;
  for (int from_words = 0; from_words < 2; from_words++) {
    fprintf(f, "\nconst uint32_t %s_pairs[][2] = {\n", names[from_words]);
    size_t w = 0, first = i;
    for (; i < s_n && s_pairs[i].from_words == from_words; i++) {
      if (i > first && s_pairs[i].a == s_pairs[i - 1].a && s_pairs[i].b == s_pairs[i - 1].b)
        continue;
      fprintf(f, "  {0x%05X, 0x%05X},\n", (unsigned)s_pairs[i].a, (unsigned)s_pairs[i].b);
      w++;
    }
    if (!w) fprintf(f, "  {0, 0},\n");
    fprintf(f, "};\n\nconst size_t %s_count = %zu;\n", names[from_words], w);
  }
  free(s_pairs);
  return gen_out_commit(f, tmp, argv[1]);
}
