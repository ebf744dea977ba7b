/*
 * Private interface of the synthetic corpus generator (gen/synth*.c).
 *
 *   synth_vocab.c   our own word lists and sentence templates
 *   synth_text.c    one policy document: spec -> text
 *   synth.c         the corpus: places, policies, versions, files, manifest
 */
#ifndef CDX_SYNTH_H
#define CDX_SYNTH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "common/common.h"
#include "lexicon/gazetteer.h"

/* ---- Random numbers: splitmix64, seeded by hashing, so every draw is a
 * function of (seed, place, policy, version) and not of generation order. ---- */

typedef struct synth_rng {
  uint64_t s;
} synth_rng;

static inline uint64_t synth_mix(uint64_t z) {
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}
static inline uint64_t synth_hash(uint64_t a, uint64_t b) {
  return synth_mix(a * 0x9e3779b97f4a7c15ull + synth_mix(b + 0x632be59bd9b4e019ull));
}
static inline synth_rng synth_rng_at(uint64_t seed) { return (synth_rng){synth_mix(seed)}; }
static inline uint64_t synth_next(synth_rng *r) { return synth_mix(r->s += 0x9e3779b97f4a7c15ull); }
/* Uniform in [0, n); n > 0. */
static inline uint32_t synth_below(synth_rng *r, uint32_t n) {
  return (uint32_t)(((synth_next(r) >> 32) * (uint64_t)n) >> 32);
}
/* Uniform in [0, 1). */
static inline double synth_unit(synth_rng *r) {
  return (double)(synth_next(r) >> 11) * (1.0 / 9007199254740992.0);
}
static inline bool synth_chance(synth_rng *r, double p) { return synth_unit(r) < p; }
/* Zipf-like index in [0, n): rank i drawn with probability ~ 1/(i+1). */
uint32_t cdx_synth_zipf(synth_rng *r, uint32_t n);

/* ---- Interface to gen/synth_vocab.c ---- */

typedef struct synth_list {
  const char *const *v;
  uint32_t n;
} synth_list;

typedef struct synth_dept {
  const char *province; /* 科技厅: provinces have 厅 and 委 */
  const char *local;    /* 科技局 */
} synth_dept;

typedef struct synth_domain {
  synth_list titles; /* chapter titles */
  int lead;          /* index into cdx_synth_depts */
  synth_list intros; /* chapter introduction sentences */
  synth_list verbs;  /* clause heading = verb + object + 。 */
  synth_list objects;
  synth_list sentences; /* clause body sentences */
  const int *depts;     /* departments that share the work */
  uint32_t n_depts;
} synth_domain;

typedef struct synth_topic {
  const char *phrase; /* 推动经济高质量发展 */
  const char *kind;   /* 若干政策 */
  const char *slug;   /* ASCII, for file names and policy keys */
  int domains[8];     /* chapters, in order */
  int n_domains;
} synth_topic;

extern const synth_dept cdx_synth_depts[];
extern const uint32_t cdx_synth_n_depts;
extern const synth_domain cdx_synth_domains[];
extern const uint32_t cdx_synth_n_domains;
extern const synth_topic cdx_synth_topics[];
extern const uint32_t cdx_synth_n_topics;

/* Pools filled into the %-slots of templates (see synth_text.c). */
extern const synth_list cdx_synth_industries, cdx_synth_enterprises, cdx_synth_carriers,
    cdx_synth_fields, cdx_synth_projects, cdx_synth_generic_sentences, cdx_synth_program_chars,
    cdx_synth_program_kinds, cdx_synth_preamble_openers, cdx_synth_preamble_goals,
    cdx_synth_closing_duties, cdx_synth_salutations_county, cdx_synth_salutations_city,
    cdx_synth_salutations_province;

/* ---- Interface to gen/synth_text.c ---- */

/* A place as the generator writes about it. */
typedef struct synth_place {
  const cdx_gz_place *gz;
  char short_name[64];              /* 乐清 */
  char title_name[160];             /* as titles name it: 乐清市, but 长春市朝阳区 and
                            攀枝花市西区 where the name alone is ambiguous */
  char issuer[160];                 /* 温州市鹿城区人民政府 */
  char level[16];                   /* 市, 县, 区, 省, 旗: "我市", "市财政局" */
  char docnum[32];                  /* 温鹿 of 温鹿政发〔2025〕29号 */
  const struct synth_place *parent; /* NULL for a province */
  double scale;                     /* money and counts relative to a prefecture */
} synth_place;

#define SYNTH_MAX_CLAUSES 80
#define SYNTH_MAX_CHAPTERS 8

/* A clause is a seed: its words come from `seed`, its numbers from `seed`,
 * the place and `num_salt`, so a county that copies its city's clause keeps
 * the wording and gets its own amounts. */
typedef struct synth_clause {
  uint64_t seed;
  uint32_t num_salt;
  uint8_t chapter; /* 0-based */
} synth_clause;

typedef struct synth_policy {
  int topic;
  int edition;
  uint8_t n_chapters;
  uint8_t domains[SYNTH_MAX_CHAPTERS];
  uint64_t chapter_seed[SYNTH_MAX_CHAPTERS];
  uint32_t n_clauses;
  synth_clause clauses[SYNTH_MAX_CLAUSES]; /* in chapter order */
  uint32_t budget_salt;
} synth_policy;

/* How one version is written. */
typedef struct synth_style {
  int status;          /* cdx_doc_status */
  bool notice;         /* 关于印发《…》的通知 wrapper (finals) */
  bool web_page;       /* 索引号 header and 【返回顶部】 footer */
  bool halfwidth;      /* ASCII punctuation, as on many web reprints */
  bool arabic_numbers; /* clauses 1. 2. … instead of （一）（二）… */
  bool lead_you;       /* （由市科技局牵头） rather than （市科技局牵头） */
  uint32_t date;       /* YYYYMMDD, 0 for drafts */
  int doc_seq;         /* 29 of 〔2025〕29号; 0 = no number */
  bool office;         /* issued by the 办公室 (政办发) */
  bool news;           /* a news site's reprint: a lead paragraph and
                            原文如下 before the notice */
  bool cc_footer;      /* 抄送 list and the office's print date at the end */
  bool bookmarks;      /* Word-export debris: [bookmark: _Hlk…] before
                            some clauses */
  uint64_t seed;       /* small choices of this version */
} synth_style;

/* What the writer reports back for the manifest (pointers into its buffer
 * of strings, valid until the next call). */
typedef struct synth_written {
  char title[512];
  char doc_number[96];
  char issuer[200];
  uint32_t n_clauses;
} synth_written;

/* Appends the document's UTF-8 text (LF line ends) to out. */
void cdx_synth_write_document(int *rc, cdx_buf *out, const synth_place *pl, const synth_policy *pol,
                              const synth_style *st, synth_written *w);

/* Chinese numeral 1..99 (一 … 九十九) appended to out. */
void cdx_synth_put_cn_number(int *rc, cdx_buf *out, unsigned n);

#endif
