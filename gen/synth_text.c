/*
 * One synthetic policy document: a policy spec (chapters and clause seeds),
 * a place and a version style in, UTF-8 text out, shaped like the seeds.
 * Words are drawn from the clause's own seed and numbers from a separate
 * stream that also depends on the place, so a clause copied down the
 * hierarchy keeps its wording and changes its amounts, as real ones do.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include "gen/synth.h"

/* exp and log from +, *, / and exact scaling only: libm's results may differ
 * in the last bit between C libraries, and the corpus must be the same bytes
 * on every machine. Accuracy ~1e-14 is plenty for drawing numbers. */
#define SYNTH_LN2 0.6931471805599453

static double det_log(double x) {
  int e;
  double m = frexp(x, &e) * 2.0; /* [1, 2), exact */
  e -= 1;
  double s = (m - 1.0) / (m + 1.0), s2 = s * s, term = s, sum = 0;
  for (int k = 1; k <= 31; k += 2) {
    sum += term / k;
    term *= s2;
  }
  return 2.0 * sum + e * SYNTH_LN2;
}

static double det_exp(double x) {
  double k = floor(x / SYNTH_LN2 + 0.5);
  double r = x - k * SYNTH_LN2, term = 1.0, sum = 1.0;
  for (int i = 1; i <= 22; i++) {
    term *= r / i;
    sum += term;
  }
  return ldexp(sum, (int)k);
}

uint32_t cdx_synth_zipf(synth_rng *r, uint32_t n) {
  /* exp(u * ln(n+1)) - 1 is log-uniform over [0, n): P(i) ~ 1/(i+1). */
  double x = det_exp(synth_unit(r) * det_log((double)n + 1.0)) - 1.0;
  uint32_t i = (uint32_t)x;
  return i < n ? i : n - 1;
}

typedef struct tctx {
  int *rc;
  cdx_buf *out;
  const synth_place *pl;
  const synth_policy *pol;
  synth_rng words; /* wording */
  synth_rng nums;  /* amounts and counts */
  const synth_style *st;
} tctx;

static void put(tctx *t, const char *s) { cdx_buf_puts(t->rc, t->out, s); }

static const char *pick(synth_rng *r, const synth_list *l) { return l->v[synth_below(r, l->n)]; }
static const char *pick_zipf(synth_rng *r, const synth_list *l) {
  return l->v[cdx_synth_zipf(r, l->n)];
}

static void put_dept(tctx *t, int d) {
  if (t->pl->gz->level == CDX_LEVEL_PROVINCE) {
    put(t, "省");
    put(t, cdx_synth_depts[d].province);
  } else {
    put(t, t->pl->level);
    put(t, cdx_synth_depts[d].local);
  }
}

/* Log-uniform in [lo, hi). */
static double log_uniform(synth_rng *r, double lo, double hi) {
  return lo * det_exp(synth_unit(r) * det_log(hi / lo));
}

static void render(tctx *t, const char *tmpl);

static void put_amount_yi(tctx *t, double v) {
  if (v < 0.01) v = 0.01;
  cdx_buf_printf(t->rc, t->out, "%.2f亿元", v);
}

static void slot(tctx *t, char c) {
  const synth_place *pl = t->pl;
  synth_rng *n = &t->nums, *w = &t->words;
  switch (c) {
    case 'L': put(t, pl->level); break;
    case 'P': put(t, pl->short_name); break;
    case 'N': put(t, pl->gz->name); break;
    case 'U': put(t, pl->parent ? pl->parent->gz->name : pl->gz->name); break;
    case 'Y': cdx_buf_printf(t->rc, t->out, "%d", t->pol->edition); break;
    case 'X': cdx_buf_printf(t->rc, t->out, "%d", t->pol->edition + 2); break;
    case 'A': put_amount_yi(t, pl->scale * log_uniform(n, 0.2, 30.0)); break;
    case 'W': {
      double v = pl->scale * log_uniform(n, 20, 3000);
      unsigned u = v < 100 ? (unsigned)v + 1 : (unsigned)(v / 10) * 10;
      cdx_buf_printf(t->rc, t->out, "%u万元", u);
      break;
    }
    case 'B': {
      static const unsigned awards[] = {10, 20, 30, 50, 100, 200, 300, 500, 1000};
      cdx_buf_printf(t->rc, t->out, "%u万元", awards[synth_below(n, 9)]);
      break;
    }
    case 'R':
      if (synth_chance(n, 0.5)) cdx_buf_printf(t->rc, t->out, "%.2f%%", log_uniform(n, 0.5, 15));
      else cdx_buf_printf(t->rc, t->out, "%u%%", 1 + synth_below(n, 20));
      break;
    case 'r': {
      static const unsigned ratios[] = {10, 15, 20, 25, 30, 40, 50, 60, 80};
      cdx_buf_printf(t->rc, t->out, "%u%%", ratios[synth_below(n, 9)]);
      break;
    }
    case 'C': {
      double v = pl->scale * log_uniform(n, 5, 500);
      cdx_buf_printf(t->rc, t->out, "%u", (unsigned)v + 1);
      break;
    }
    case 'S': cdx_buf_printf(t->rc, t->out, "%u", 2 + synth_below(n, 19)); break;
    case 'H': {
      double v = pl->scale * log_uniform(n, 200, 30000);
      cdx_buf_printf(t->rc, t->out, "%u", v < 100 ? (unsigned)v + 1 : (unsigned)(v / 10) * 10);
      break;
    }
    case 'I': put(t, pick_zipf(w, &cdx_synth_industries)); break;
    case 'E': put(t, pick_zipf(w, &cdx_synth_enterprises)); break;
    case 'M': put(t, pick_zipf(w, &cdx_synth_carriers)); break;
    case 'T': put(t, pick_zipf(w, &cdx_synth_fields)); break;
    case 'K': put(t, pick_zipf(w, &cdx_synth_projects)); break;
    case 'Q':
      /* A programme name of two of our characters: thousands of rare terms. */
      put(t, "“");
      put(t, pick(w, &cdx_synth_program_chars));
      put(t, pick(w, &cdx_synth_program_chars));
      put(t, "”");
      put(t, pick(w, &cdx_synth_program_kinds));
      break;
    case 'D': put_dept(t, (int)synth_below(w, cdx_synth_n_depts)); break;
    default: cdx_buf_putc(t->rc, t->out, c); break;
  }
}

static void render(tctx *t, const char *tmpl) {
  const char *p = tmpl;
  for (;;) {
    const char *q = strchr(p, '%');
    if (!q) {
      put(t, p);
      return;
    }
    cdx_buf_append(t->rc, t->out, p, (size_t)(q - p));
    if (!q[1]) return;
    slot(t, q[1]);
    p = q + 2;
  }
}

void cdx_synth_put_cn_number(int *rc, cdx_buf *out, unsigned n) {
  static const char *const digit[] = {"", "一", "二", "三", "四", "五", "六", "七", "八", "九"};
  if (n == 0 || n > 99) {
    cdx_buf_printf(rc, out, "%u", n);
    return;
  }
  unsigned tens = n / 10, ones = n % 10;
  if (tens > 1) cdx_buf_puts(rc, out, digit[tens]);
  if (tens) cdx_buf_puts(rc, out, "十");
  cdx_buf_puts(rc, out, digit[ones]);
}

/* ---- Pieces of the document ---- */

static void put_title(tctx *t, const synth_place *pl, const synth_policy *pol) {
  const synth_topic *tp = &cdx_synth_topics[pol->topic];
  /* The title's shape belongs to the place and topic, not to the version:
   * the versions of one policy share it. */
  synth_rng r = synth_rng_at(synth_hash(pl->gz->code, (uint64_t)pol->topic * 7919));
  bool guan = synth_chance(&r, 0.4);
  unsigned year_form = synth_below(&r, 3);
  put(t, pl->title_name);
  if (guan) put(t, "关于");
  put(t, tp->phrase);
  if (guan) put(t, "的");
  put(t, tp->kind);
  switch (year_form) {
    case 0: cdx_buf_printf(t->rc, t->out, "（%d年版）", pol->edition); break;
    case 1: cdx_buf_printf(t->rc, t->out, "（%d版）", pol->edition); break;
    default: cdx_buf_printf(t->rc, t->out, "（%d年）", pol->edition); break;
  }
}

static void put_doc_number(tctx *t, const synth_place *pl, int edition, int seq, bool office) {
  cdx_buf_printf(t->rc, t->out, "%s%s〔%d〕%d号", pl->docnum, office ? "政办发" : "政发", edition,
                 seq);
}

static void put_date(tctx *t, uint32_t date) {
  cdx_buf_printf(t->rc, t->out, "%u年%u月%u日", date / 10000, date / 100 % 100, date % 100);
}

static double chapter_budget(const synth_place *pl, const synth_policy *pol, int ch) {
  synth_rng r = synth_rng_at(synth_hash(pol->chapter_seed[ch] ^ pol->budget_salt, pl->gz->code));
  return pl->scale * log_uniform(&r, 0.5, 25.0);
}

/* Copies the bytes [from, len) of out into s (for the manifest), cut at a
 * character boundary. */
static void capture(const cdx_buf *out, size_t from, char *s, size_t cap) {
  size_t n = out->len - from;
  if (n >= cap) {
    n = cap - 1;
    while (n > 0 && ((unsigned char)out->data[from + n] & 0xC0) == 0x80) n--;
  }
  memcpy(s, out->data + from, n);
  s[n] = '\0';
}

static void put_clause(tctx *t, const synth_clause *c, unsigned number, bool arabic) {
  const synth_domain *d = &cdx_synth_domains[t->pol->domains[c->chapter]];
  t->words = synth_rng_at(c->seed);
  t->nums = synth_rng_at(synth_hash(c->seed ^ c->num_salt, t->pl->gz->code));
  if (t->st->bookmarks) {
    synth_rng b = synth_rng_at(synth_hash(c->seed, t->st->seed));
    if (synth_chance(&b, 0.15))
      cdx_buf_printf(t->rc, t->out, "[bookmark: _Hlk%09u]",
                     (unsigned)(synth_next(&b) % 1000000000u));
  }
  if (arabic) cdx_buf_printf(t->rc, t->out, "%u.", number);
  else {
    put(t, "（");
    cdx_synth_put_cn_number(t->rc, t->out, number);
    put(t, "）");
  }
  put(t, pick(&t->words, &d->verbs));
  put(t, pick(&t->words, &d->objects));
  put(t, "。");
  unsigned n_sent = 3 + synth_below(&t->words, 4);
  int last = -1, last_generic = -1;
  for (unsigned i = 0; i < n_sent; i++) {
    if (synth_chance(&t->words, 0.2)) {
      int g = (int)synth_below(&t->words, cdx_synth_generic_sentences.n);
      if (g != last_generic) render(t, cdx_synth_generic_sentences.v[g]);
      last_generic = g;
      continue;
    }
    int k = (int)synth_below(&t->words, d->sentences.n);
    if (k == last) k = (k + 1) % (int)d->sentences.n;
    last = k;
    render(t, d->sentences.v[k]);
  }
  if (synth_chance(&t->words, 0.88)) {
    put(t, "（责任单位：");
    put_dept(t, d->lead);
    unsigned extra = synth_below(&t->words, 4);
    int used[4] = {d->lead, -1, -1, -1};
    for (unsigned i = 0; i < extra; i++) {
      int dep = d->depts[synth_below(&t->words, d->n_depts)];
      bool dup = false;
      for (unsigned j = 0; j <= i; j++) dup |= used[j] == dep;
      if (dup) continue;
      used[i + 1] = dep;
      put(t, "、");
      put_dept(t, dep);
    }
    put(t, "）");
  }
  put(t, "\n");
}

void cdx_synth_write_document(int *rc, cdx_buf *out, const synth_place *pl, const synth_policy *pol,
                              const synth_style *st, synth_written *w) {
  tctx t = {rc, out, pl, pol, synth_rng_at(st->seed), synth_rng_at(st->seed + 1), st};
  size_t doc_start = out->len;
  synth_rng vr = synth_rng_at(st->seed);
  char my[32];
  snprintf(my, sizeof my, "我%s", pl->level);

  /* Issuer and number, remembered for the manifest. */
  size_t mark = out->len;
  put(&t, pl->issuer);
  if (st->office) put(&t, "办公室");
  capture(out, mark, w->issuer, sizeof w->issuer);
  out->len = mark;
  w->doc_number[0] = '\0';
  if (st->doc_seq) {
    put_doc_number(&t, pl, pol->edition, st->doc_seq, st->office);
    capture(out, mark, w->doc_number, sizeof w->doc_number);
    out->len = mark;
  }
  put_title(&t, pl, pol);
  capture(out, mark, w->title, sizeof w->title);
  out->len = mark;
  /* The manifest names only what the text states: drafts are unsigned,
   * and the number appears only on the notice. */
  char signer[200];
  memcpy(signer, w->issuer, sizeof signer);
  if (!st->notice) w->doc_number[0] = '\0';
  if (st->status != 0) w->issuer[0] = '\0';

  if (st->web_page) {
    cdx_buf_printf(rc, out, "索引号 %03u%09u/%d-%05u\n", pl->gz->code / 1000,
                   (unsigned)(synth_next(&vr) % 1000000000u), pol->edition,
                   synth_below(&vr, 100000));
    cdx_buf_printf(rc, out, "组配分类 %s政府和%s府办文件 发布机构 %s政府办公室\n", pl->level,
                   pl->level, pl->level);
    cdx_buf_printf(rc, out, "生成日期 %u-%02u-%02u 公开方式 主动公开\n", st->date / 10000,
                   st->date / 100 % 100, st->date % 100 + (st->date % 100 < 25 ? 3 : 0));
    if (w->doc_number[0]) cdx_buf_printf(rc, out, "文号 %s\n", w->doc_number);
    put(&t, "下载阅读版本\n\n");
  }
  if (st->news) {
    /* As a news site reprints it: who published what, a summary, then the
     * original. */
    const cdx_gz_place *prov = pl->gz;
    while (prov->parent) prov = cdx_gz_parent(prov);
    cdx_buf_printf(rc, out, "%u月%u日，%s%s发布关于印发《", st->date / 100 % 100,
                   st->date % 100 + 2, prov == pl->gz ? "" : prov->name, signer);
    put(&t, w->title);
    put(&t, "》的通知。\n文件提出，");
    t.words = synth_rng_at(pol->chapter_seed[0] ^ 0x4e5753);
    t.nums = synth_rng_at(st->seed + 2);
    render(&t, pick(&t.words, &cdx_synth_domains[pol->domains[0]].intros));
    put(&t, "\n原文如下：\n");
  }
  if (st->notice) {
    put(&t, signer);
    put(&t, "关于印发");
    if (synth_chance(&vr, 0.5)) {
      put(&t, "《");
      put(&t, w->title);
      put(&t, "》");
    } else put(&t, w->title);
    put(&t, "的通知\n");
    if (w->doc_number[0] && !st->web_page) {
      put(&t, w->doc_number);
      put(&t, "\n");
    }
    put(&t, "\n");
    const synth_list *sal = pl->gz->level == CDX_LEVEL_PROVINCE ? &cdx_synth_salutations_province
                            : pl->gz->level == CDX_LEVEL_PREFECTURE ? &cdx_synth_salutations_city
                                                                    : &cdx_synth_salutations_county;
    render(&t, pick(&vr, sal));
    put(&t, "\n\n");
    if (synth_chance(&vr, 0.5)) {
      put(&t, "现将《");
      put(&t, w->title);
      put(&t, "》印发给你们，请结合实际认真贯彻执行。\n\n");
    } else {
      put(&t, "《");
      put(&t, w->title);
      cdx_buf_printf(rc, out,
                     "》已经%s政府第%u次常务会议审议通过，现印发给你们，请认真组织实施。\n\n",
                     pl->level, 10 + synth_below(&vr, 60));
    }
    put(&t, signer);
    put(&t, "\n");
    put_date(&t, st->date);
    put(&t, "\n\n");
    put(&t, "（此件公开发布）\n\n");
  }

  put(&t, w->title);
  put(&t, "\n");
  if (st->status == 1) put(&t, "（送审稿）\n");
  else if (st->status == 2) put(&t, "（征求意见稿）\n");
  put(&t, "\n");

  /* Preamble: the parent's policy of the same edition is cited when there
   * is one, as in 根据《温州市…》(温政发〔2025〕2号). */
  t.words = synth_rng_at(synth_hash(pl->gz->code, (uint64_t)pol->topic * 31 + 5));
  t.nums = synth_rng_at(synth_hash(pl->gz->code, pol->budget_salt));
  uint32_t opener = synth_below(&t.words, cdx_synth_preamble_openers.n);
  if (!pl->parent && opener == 0) opener = 1;
  render(&t, cdx_synth_preamble_openers.v[opener]);
  put(&t, "，");
  render(&t, pick(&t.words, &cdx_synth_preamble_goals));
  put(&t, "，");
  if (pl->parent) {
    put(&t, "根据《");
    put_title(&t, pl->parent, pol);
    put(&t, "》（");
    /* Same number the parent's final carries (see synth.c). */
    put_doc_number(&t, pl->parent, pol->edition,
                   1 + (int)(synth_hash(pl->parent->gz->code,
                                        (uint64_t)pol->topic * 101 + (uint64_t)pol->edition) %
                             60),
                   false);
    put(&t, "），");
  }
  cdx_buf_printf(rc, out, "结合%s实际，制定以下政策。\n", my);

  /* Chapters and clauses; clause numbers run on across chapters. */
  unsigned number = 0;
  double total = 0;
  size_t ci = 0;
  for (unsigned ch = 0; ch < pol->n_chapters; ch++) {
    const synth_domain *d = &cdx_synth_domains[pol->domains[ch]];
    t.words = synth_rng_at(pol->chapter_seed[ch]);
    cdx_synth_put_cn_number(rc, out, ch + 1);
    put(&t, "、");
    render(&t, pick(&t.words, &d->titles));
    put(&t, st->lead_you ? "（由" : "（");
    put_dept(&t, d->lead);
    put(&t, "牵头）\n");
    t.nums = synth_rng_at(synth_hash(pol->chapter_seed[ch] ^ pol->budget_salt, pl->gz->code));
    render(&t, pick(&t.words, &d->intros));
    double b = chapter_budget(pl, pol, (int)ch);
    total += b;
    cdx_buf_printf(rc, out, "%d年，%s级财政预算安排资金%.2f亿元。\n", pol->edition, pl->level, b);
    for (; ci < pol->n_clauses && pol->clauses[ci].chapter == ch; ci++)
      put_clause(&t, &pol->clauses[ci], ++number, st->arabic_numbers);
  }
  w->n_clauses = number;

  /* Closing: the total, the duties, the validity. */
  t.words = synth_rng_at(synth_hash(pl->gz->code, (uint64_t)pol->edition * 17 + 3));
  put(&t, "上述");
  cdx_buf_printf(rc, out,
                 "%u个领域政策%s级财政%d年预算安排资金除交叉重叠部分外，支持总额为%.2f亿元。",
                 pol->n_chapters, pl->level, pol->edition, total * 0.92);
  render(&t, pick(&t.words, &cdx_synth_closing_duties));
  put(&t, "\n");
  if (synth_chance(&t.words, 0.5))
    cdx_buf_printf(rc, out, "本政策自%d年1月1日起施行，有效期至%d年12月31日。", pol->edition,
                   pol->edition);
  else
    cdx_buf_printf(rc, out, "本文件明确的各项政策除标明具体实施期限外，均为%d年全年实施有效。",
                   pol->edition);
  put(&t, "国家和上级制定实施相关政策措施的，遵照执行。\n");
  if (st->status == 0 && !st->notice) {
    put(&t, "\n");
    put(&t, signer);
    put(&t, "\n");
    put_date(&t, st->date);
    put(&t, "\n");
  }
  if (st->cc_footer) {
    cdx_buf_printf(rc, out,
                   "抄送：%s委各部门，%s人大常委会办公室，%s政协办公室，%s法院，%s检察院，"
                   "各人民团体，各民主党派。\n",
                   pl->level, pl->level, pl->level, pl->level, pl->level);
    put(&t, signer);
    put(&t, "办公室\n");
    cdx_buf_printf(rc, out, "%u年%u月%u日印发\n", st->date / 10000, st->date / 100 % 100,
                   st->date % 100 + 2);
  }
  if (st->web_page) put(&t, "\n【返回顶部】【打印本稿】【关闭窗口】\n");

  if (st->halfwidth && *rc == CDX_OK) {
    /* Web reprints often carry ASCII punctuation: （）：，； -> ():,; (each
     * 3 bytes in UTF-8 become 1), in place. */
    static const struct {
      const char *fw;
      char hw;
    } map[] = {{"（", '('}, {"）", ')'}, {"：", ':'}, {"，", ','}, {"；", ';'}};
    char *p = out->data + doc_start, *end = out->data + out->len, *o = p;
    while (p < end) {
      int m = -1;
      if ((unsigned char)*p == 0xEF && end - p >= 3)
        for (int i = 0; i < 5; i++)
          if (memcmp(p, map[i].fw, 3) == 0) {
            m = i;
            break;
          }
      if (m >= 0) {
        *o++ = map[m].hw;
        p += 3;
      } else *o++ = *p++;
    }
    out->len = (size_t)(o - out->data);
    /* The manifest records the title as written. */
    for (char *s = w->title, *so = w->title;;) {
      int m = -1;
      if ((unsigned char)*s == 0xEF)
        for (int i = 0; i < 5; i++)
          if (strncmp(s, map[i].fw, 3) == 0) {
            m = i;
            break;
          }
      if (m >= 0) {
        *so++ = map[m].hw;
        s += 3;
        continue;
      }
      if (!(*so++ = *s++)) break;
    }
  }
}
