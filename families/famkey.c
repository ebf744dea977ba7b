/* famkey.c - the family key: one issuer's one policy across its editions
 * and stages (docs/CORPUS.md, "Families"). The policy key already holds the
 * jurisdiction and the title stem without place names, brackets, status and
 * wrapper words (关于印发…的通知, （2025版）); the family drops the edition and
 * the words an edition puts into a title: 进一步 (a follow-up edition's
 * "further"), a year (2024年, 2024年度, 2023-2025年) and 修订. */
#include <stdlib.h>
#include <string.h>
#include "families/families.h"

static bool is_digit(char c) { return c >= '0' && c <= '9'; }

/* Length of a year word at s: 4 digits, optionally -/—/－/至 and 4 more,
 * then 年 and an optional 度; 0 when s is none. */
static size_t year_word(const char *s) {
  size_t i = 0;
  for (int k = 0; k < 4; k++, i++)
    if (!is_digit(s[i])) return 0;
  static const char *const dash[] = {"-", "—", "－", "至", "~"};
  for (size_t d = 0; d < sizeof dash / sizeof *dash; d++) {
    size_t n = strlen(dash[d]);
    if (strncmp(s + i, dash[d], n) == 0 && is_digit(s[i + n]) && is_digit(s[i + n + 1]) &&
        is_digit(s[i + n + 2]) && is_digit(s[i + n + 3])) {
      i += n + 4;
      break;
    }
  }
  if (strncmp(s + i, "年", 3) != 0) return 0;
  i += 3;
  if (strncmp(s + i, "度", 3) == 0) i += 3;
  return i;
}

void cdx_fam_strip_stem(char *stem) {
  /* every index open runs this once per document: look only where a year
   * or a word can start (a digit, the lead byte of 进 or 修) */
  static const char *const words[] = {"进一步", "修订"};
  size_t o = 0;
  for (size_t i = 0; stem[i];) {
    unsigned char c = (unsigned char)stem[i];
    size_t cut = 0;
    if (is_digit((char)c)) cut = year_word(stem + i);
    else if (c == 0xE8 || c == 0xE4)
      for (size_t w = 0; !cut && w < sizeof words / sizeof *words; w++)
        if (strncmp(stem + i, words[w], strlen(words[w])) == 0) cut = strlen(words[w]);
    if (cut) {
      i += cut;
      continue;
    }
    stem[o++] = stem[i++];
  }
  stem[o] = '\0';
}

char *cdx_fam_key_from_policy(const char *policy_key, bool *nomem) {
  if (nomem) *nomem = false;
  if (!policy_key || !*policy_key) return NULL;
  const char *last = strrchr(policy_key, ':');
  size_t n =
      last && last != strchr(policy_key, ':') ? (size_t)(last - policy_key) : strlen(policy_key);
  char *k = malloc(n + 1);
  if (!k) {
    if (nomem) *nomem = true;
    return NULL;
  }
  memcpy(k, policy_key, n);
  k[n] = '\0';
  char *stem = strchr(k, ':');
  if (stem) cdx_fam_strip_stem(stem + 1);
  if (stem && !stem[1]) { /* a title of edition words only: no family */
    free(k);
    return NULL;
  }
  return k;
}

char *cdx_fam_doc_key(const char *family, const char *policy_key, bool *nomem) {
  if (!family) return cdx_fam_key_from_policy(policy_key, nomem);
  size_t n = strlen(family) + 1;
  char *k = malloc(n);
  if (nomem) *nomem = !k;
  if (k) memcpy(k, family, n);
  return k;
}

uint32_t cdx_fam_key_code(const char *key) {
  uint32_t c = 0;
  for (size_t i = 0; key && is_digit(key[i]) && i < 9; i++) c = c * 10 + (uint32_t)(key[i] - '0');
  return c;
}

const char *cdx_fam_key_stem(const char *key) {
  const char *c = strchr(key, ':');
  return c ? c + 1 : key;
}

int cdx_fam_stage(cdx_doc_status s) {
  return s == CDX_STATUS_DRAFT_FOR_COMMENT ? 0 : s == CDX_STATUS_DRAFT_FOR_APPROVAL ? 1 : 2;
}
