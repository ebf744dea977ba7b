/* The words around a number that make it a figure: measure words,
 * qualifiers, kinds, range connectors. Each table lists Simplified and
 * Traditional spellings with the Simplified form reported; docs/FACTS.md
 * describes them and tests/facts checks the document against these tables.
 * Tables are small (tens of words) and only consulted at a number, so a
 * linear scan with a first-byte test is enough. */
#include <string.h>
#include <threads.h>
#include "facts/fig_internal.h"

/* Each word carries its byte length so a match costs one byte test for
 * most entries. */
#define W(text, canon, value) \
  { text, canon, value, sizeof(text) - 1 }
#define END \
  { NULL, NULL, 0, 0 }

/* Longer words that begin with a shorter one (个百分点 / 个, 千瓦时 / 千瓦,
 * 家次 / 家) are both listed: the longest match wins. */
static const cdx_fig_word s_units[] = {W("元人民币", "元", CDX_FIGU_MONEY),
                                       W("元", "元", CDX_FIGU_MONEY),
                                       W("美元", "美元", CDX_FIGU_MONEY),
                                       W("欧元", "欧元", CDX_FIGU_MONEY),
                                       W("歐元", "欧元", CDX_FIGU_MONEY),
                                       W("%", "%", CDX_FIGU_PERCENT),
                                       W("％", "%", CDX_FIGU_PERCENT),
                                       W("个百分点", "百分点", CDX_FIGU_PERCENT),
                                       W("個百分點", "百分点", CDX_FIGU_PERCENT),
                                       W("百分点", "百分点", CDX_FIGU_PERCENT),
                                       W("百分點", "百分点", CDX_FIGU_PERCENT),
                                       W("吨标准煤", "吨标准煤", CDX_FIGU_COUNT),
                                       W("噸標準煤", "吨标准煤", CDX_FIGU_COUNT),
                                       W("家次", "家次", CDX_FIGU_COUNT),
                                       W("家", "家", CDX_FIGU_COUNT),
                                       W("个工作日", "个工作日", CDX_FIGU_COUNT),
                                       W("個工作日", "个工作日", CDX_FIGU_COUNT),
                                       W("个月", "个月", CDX_FIGU_COUNT),
                                       W("個月", "个月", CDX_FIGU_COUNT),
                                       W("个", "个", CDX_FIGU_COUNT),
                                       W("個", "个", CDX_FIGU_COUNT),
                                       W("项", "项", CDX_FIGU_COUNT),
                                       W("項", "项", CDX_FIGU_COUNT),
                                       W("亩", "亩", CDX_FIGU_COUNT),
                                       W("畝", "亩", CDX_FIGU_COUNT),
                                       W("公顷", "公顷", CDX_FIGU_COUNT),
                                       W("公頃", "公顷", CDX_FIGU_COUNT),
                                       W("平方公里", "平方公里", CDX_FIGU_COUNT),
                                       W("平方米", "平方米", CDX_FIGU_COUNT),
                                       W("立方米", "立方米", CDX_FIGU_COUNT),
                                       W("方", "方", CDX_FIGU_COUNT_MAG),
                                       W("幢", "幢", CDX_FIGU_COUNT),
                                       W("栋", "栋", CDX_FIGU_COUNT),
                                       W("棟", "栋", CDX_FIGU_COUNT),
                                       W("人次", "人次", CDX_FIGU_COUNT),
                                       W("人", "人", CDX_FIGU_COUNT),
                                       W("名", "名", CDX_FIGU_COUNT),
                                       W("场次", "场次", CDX_FIGU_COUNT),
                                       W("場次", "场次", CDX_FIGU_COUNT),
                                       W("场", "场", CDX_FIGU_COUNT),
                                       W("場", "场", CDX_FIGU_COUNT),
                                       W("次", "次", CDX_FIGU_COUNT),
                                       W("台", "台", CDX_FIGU_COUNT),
                                       W("臺", "台", CDX_FIGU_COUNT),
                                       W("套", "套", CDX_FIGU_COUNT),
                                       W("户", "户", CDX_FIGU_COUNT),
                                       W("戶", "户", CDX_FIGU_COUNT),
                                       W("所", "所", CDX_FIGU_COUNT),
                                       W("座", "座", CDX_FIGU_COUNT),
                                       W("条", "条", CDX_FIGU_COUNT),
                                       W("條", "条", CDX_FIGU_COUNT),
                                       W("公里", "公里", CDX_FIGU_COUNT),
                                       W("千瓦时", "千瓦时", CDX_FIGU_COUNT),
                                       W("千瓦時", "千瓦时", CDX_FIGU_COUNT),
                                       W("千瓦", "千瓦", CDX_FIGU_COUNT),
                                       W("吨", "吨", CDX_FIGU_COUNT),
                                       W("噸", "吨", CDX_FIGU_COUNT),
                                       W("辆", "辆", CDX_FIGU_COUNT),
                                       W("輛", "辆", CDX_FIGU_COUNT),
                                       W("批", "批", CDX_FIGU_COUNT),
                                       W("件", "件", CDX_FIGU_COUNT),
                                       W("款", "款", CDX_FIGU_COUNT),
                                       W("年", "年", CDX_FIGU_COUNT),
                                       W("支", "支", CDX_FIGU_COUNT),
                                       W("张", "张", CDX_FIGU_COUNT),
                                       W("張", "张", CDX_FIGU_COUNT),
                                       W("把", "把", CDX_FIGU_COUNT),
                                       W("间", "间", CDX_FIGU_COUNT),
                                       W("間", "间", CDX_FIGU_COUNT),
                                       W("处", "处", CDX_FIGU_COUNT),
                                       W("處", "处", CDX_FIGU_COUNT),
                                       W("类", "类", CDX_FIGU_COUNT),
                                       W("類", "类", CDX_FIGU_COUNT),
                                       W("种", "种", CDX_FIGU_COUNT),
                                       W("種", "种", CDX_FIGU_COUNT),
                                       W("头", "头", CDX_FIGU_COUNT),
                                       W("頭", "头", CDX_FIGU_COUNT),
                                       W("标箱", "标箱", CDX_FIGU_COUNT),
                                       W("標箱", "标箱", CDX_FIGU_COUNT),
                                       END};

/* Before the number. 不低于 is listed before 低于 only for reading: the
 * longest match wins whatever the order. */
static const cdx_fig_word s_pre_qual[] = {W("不得低于", "", CDX_FIGQ_GE),
                                          W("不得低於", "", CDX_FIGQ_GE),
                                          W("不得少于", "", CDX_FIGQ_GE),
                                          W("不得少於", "", CDX_FIGQ_GE),
                                          W("不得超过", "", CDX_FIGQ_LE),
                                          W("不得超過", "", CDX_FIGQ_LE),
                                          W("不得高于", "", CDX_FIGQ_LE),
                                          W("不得高於", "", CDX_FIGQ_LE),
                                          W("不低于", "", CDX_FIGQ_GE),
                                          W("不低於", "", CDX_FIGQ_GE),
                                          W("不少于", "", CDX_FIGQ_GE),
                                          W("不少於", "", CDX_FIGQ_GE),
                                          W("不小于", "", CDX_FIGQ_GE),
                                          W("不小於", "", CDX_FIGQ_GE),
                                          W("至少", "", CDX_FIGQ_GE),
                                          W("最少", "", CDX_FIGQ_GE),
                                          W("最低", "", CDX_FIGQ_GE),
                                          W("达到", "", CDX_FIGQ_GE),
                                          W("達到", "", CDX_FIGQ_GE),
                                          W("达", "", CDX_FIGQ_GE),
                                          W("達", "", CDX_FIGQ_GE),
                                          W("不超过", "", CDX_FIGQ_LE),
                                          W("不超過", "", CDX_FIGQ_LE),
                                          W("不高于", "", CDX_FIGQ_LE),
                                          W("不高於", "", CDX_FIGQ_LE),
                                          W("不多于", "", CDX_FIGQ_LE),
                                          W("不多於", "", CDX_FIGQ_LE),
                                          W("不大于", "", CDX_FIGQ_LE),
                                          W("不大於", "", CDX_FIGQ_LE),
                                          W("最高", "", CDX_FIGQ_LE),
                                          W("最多", "", CDX_FIGQ_LE),
                                          W("上限", "", CDX_FIGQ_LE),
                                          W("超过", "", CDX_FIGQ_GT),
                                          W("超過", "", CDX_FIGQ_GT),
                                          W("超", "", CDX_FIGQ_GT),
                                          W("突破", "", CDX_FIGQ_GT),
                                          W("高于", "", CDX_FIGQ_GT),
                                          W("高於", "", CDX_FIGQ_GT),
                                          W("大于", "", CDX_FIGQ_GT),
                                          W("大於", "", CDX_FIGQ_GT),
                                          W("多于", "", CDX_FIGQ_GT),
                                          W("多於", "", CDX_FIGQ_GT),
                                          W("低于", "", CDX_FIGQ_LT),
                                          W("低於", "", CDX_FIGQ_LT),
                                          W("少于", "", CDX_FIGQ_LT),
                                          W("少於", "", CDX_FIGQ_LT),
                                          W("小于", "", CDX_FIGQ_LT),
                                          W("小於", "", CDX_FIGQ_LT),
                                          W("不足", "", CDX_FIGQ_LT),
                                          W("不到", "", CDX_FIGQ_LT),
                                          W("大约", "", CDX_FIGQ_APPROX),
                                          W("大約", "", CDX_FIGQ_APPROX),
                                          W("约", "", CDX_FIGQ_APPROX),
                                          W("約", "", CDX_FIGQ_APPROX),
                                          END};

/* After the unit (以上 may also follow a parenthesised alternative unit:
 * 600台（套）以上). */
static const cdx_fig_word s_post_qual[] = {
    W("及以上", "", CDX_FIGQ_GE),   W("以上", "", CDX_FIGQ_GE),
    W("及以下", "", CDX_FIGQ_LE),   W("以下", "", CDX_FIGQ_LE),
    W("以内", "", CDX_FIGQ_LE),     W("以內", "", CDX_FIGQ_LE),
    W("之内", "", CDX_FIGQ_LE),     W("之內", "", CDX_FIGQ_LE),
    W("左右", "", CDX_FIGQ_APPROX), END};

/* Kinds: the nearest word before the figure in its sentence that applies to
 * its type, or one of the AFTER words right behind it (15亿元信贷资金,
 * 5万元奖励, 50%的补助). A budget, a loan or an investment is a sum of money;
 * a grant may be money, a share (补贴50%) or things (补贴机具600台); growth
 * is a percentage. */
#define K_MONEY (CDX_FIGK_MONEY | CDX_FIGK_FOR_MONEY)
#define K_LOAN (K_MONEY | CDX_FIGK_AFTER)
#define K_ANY (CDX_FIGK_FOR_MONEY | CDX_FIGK_PERCENT | CDX_FIGK_COUNT)
#define K_GRANT (K_ANY | CDX_FIGK_MONEY | CDX_FIGK_AFTER)
#define K_GROWTH CDX_FIGK_PERCENT
static const cdx_fig_word s_kinds[] = {
    W("预算", "预算", K_MONEY),     W("預算", "预算", K_MONEY),     W("财政安排", "预算", K_MONEY),
    W("財政安排", "预算", K_MONEY), W("统筹安排", "预算", K_MONEY), W("統籌安排", "预算", K_MONEY),
    W("安排资金", "预算", K_MONEY), W("安排資金", "预算", K_MONEY), W("奖励", "奖励", K_GRANT),
    W("獎勵", "奖励", K_GRANT),     W("奖补", "奖励", K_GRANT),     W("獎補", "奖励", K_GRANT),
    W("补贴", "补贴", K_GRANT),     W("補貼", "补贴", K_GRANT),     W("补助", "补贴", K_GRANT),
    W("補助", "补贴", K_GRANT),     W("资助", "补贴", K_GRANT),     W("資助", "补贴", K_GRANT),
    W("贷款", "贷款", K_LOAN),      W("貸款", "贷款", K_LOAN),      W("信贷", "贷款", K_LOAN),
    W("信貸", "贷款", K_LOAN),      W("续贷", "贷款", K_MONEY),     W("續貸", "贷款", K_MONEY),
    W("投资", "投资", K_MONEY),     W("投資", "投资", K_MONEY),     W("增长", "增长", K_GROWTH),
    W("增長", "增长", K_GROWTH),    W("增幅", "增长", K_GROWTH),    W("增速", "增长", K_GROWTH),
    W("力争", "目标", K_ANY),       W("力爭", "目标", K_ANY),       W("争取", "目标", K_ANY),
    W("爭取", "目标", K_ANY),       W("确保", "目标", K_ANY),       W("確保", "目标", K_ANY),
    W("达到", "目标", K_ANY),       W("達到", "目标", K_ANY),       W("新增", "目标", K_ANY),
    W("目标", "目标", K_ANY),       W("目標", "目标", K_ANY),       END};

/* Between a qualifier and its number: 最高补贴2000元, 最高可达, 给予不低于. */
static const cdx_fig_word s_bridge[] = {W("补贴", "", 0), W("補貼", "", 0),
                                        W("奖励", "", 0), W("獎勵", "", 0),
                                        W("补助", "", 0), W("補助", "", 0),
                                        W("资助", "", 0), W("資助", "", 0),
                                        W("可达", "", 0), W("可達", "", 0),
                                        W("为", "", 0),   W("為", "", 0),
                                        W("可", "", 0),   END};

static const cdx_fig_word s_range[] = {
    W("-", "", 0), W("－", "", 0), W("—", "", 0),  W("–", "", 0),  W("～", "", 0),
    W("~", "", 0), W("〜", "", 0), W("至", "", 0), W("到", "", 0), END};

static const cdx_fig_word s_plan[] = {W("行动", "", 0), W("行動", "", 0), W("计划", "", 0),
                                      W("計劃", "", 0), W("规划", "", 0), W("規劃", "", 0),
                                      W("版", "", 0),   W("度", "", 0),   END};

static const cdx_fig_word *const s_tables[CDX_FIGT_COUNT_] = {
    [CDX_FIGT_UNIT] = s_units, [CDX_FIGT_PRE_QUAL] = s_pre_qual, [CDX_FIGT_POST_QUAL] = s_post_qual,
    [CDX_FIGT_KIND] = s_kinds, [CDX_FIGT_BRIDGE] = s_bridge,     [CDX_FIGT_RANGE] = s_range,
    [CDX_FIGT_PLAN] = s_plan};

/* Per table, filters on the character where a word starts (forward) and
 * where it ends (backward): a bit per ASCII byte, and for the three-byte
 * characters of Chinese text a bit per value of their low 12 bits. A
 * position no word can match is rejected with one bit test instead of a
 * pass over the table. (Every non-ASCII word starts and ends with a
 * three-byte character; a test checks it.) */
typedef struct filter {
  uint64_t ascii_fwd[2], ascii_back[2];
  uint64_t fwd[64], back[64];
} filter;

static filter s_filters[CDX_FIGT_COUNT_];
static once_flag s_filters_once = ONCE_FLAG_INIT;

/* Low 12 bits of the three-byte character whose last two bytes are a, b. */
static unsigned key2(unsigned char a, unsigned char b) { return (a & 0x3Fu) << 6 | (b & 0x3Fu); }

static void set_bit(uint64_t *bits, unsigned k) { bits[k >> 6] |= 1ull << (k & 63); }

static bool test_bit(const uint64_t *bits, unsigned k) { return bits[k >> 6] >> (k & 63) & 1; }

static void fill_filters(void) {
  for (int t = 0; t < CDX_FIGT_COUNT_; t++) {
    filter *f = &s_filters[t];
    for (const cdx_fig_word *e = s_tables[t]; e->text; e++) {
      const unsigned char *w = (const unsigned char *)e->text;
      size_t L = e->len;
      if (w[0] < 0x80) set_bit(f->ascii_fwd, w[0]);
      else set_bit(f->fwd, key2(w[1], w[2]));
      if (w[L - 1] < 0x80) set_bit(f->ascii_back, w[L - 1]);
      else set_bit(f->back, key2(w[L - 2], w[L - 1]));
    }
  }
}

bool cdx_fig_lexicon_check(void) {
  for (int t = 0; t < CDX_FIGT_COUNT_; t++)
    for (const cdx_fig_word *e = s_tables[t]; e->text; e++) {
      const unsigned char *w = (const unsigned char *)e->text;
      bool first_ok = w[0] < 0x80 || (w[0] >= 0xE0 && w[0] < 0xF0);
      bool last_ok =
          w[e->len - 1] < 0x80 || (e->len >= 3 && w[e->len - 3] >= 0xE0 && w[e->len - 3] < 0xF0);
      if (!first_ok || !last_ok || e->len != strlen(e->text)) return false;
    }
  return true;
}

void cdx_fig_lexicon_init(void) { call_once(&s_filters_once, fill_filters); }

size_t cdx_fig_match(cdx_fig_table t, const char *s, size_t n, size_t i, const cdx_fig_word **w) {
  if (i >= n) return 0;
  const unsigned char *u = (const unsigned char *)s + i;
  if (u[0] < 0x80 ? !test_bit(s_filters[t].ascii_fwd, u[0])
                  : (i + 2 >= n || !test_bit(s_filters[t].fwd, key2(u[1], u[2]))))
    return 0;
  size_t best = 0;
  for (const cdx_fig_word *e = s_tables[t]; e->text; e++) {
    size_t len = e->len;
    if (e->text[0] == s[i] && len > best && len <= n - i && memcmp(s + i, e->text, len) == 0) {
      best = len;
      *w = e;
    }
  }
  return best;
}

size_t cdx_fig_match_back(cdx_fig_table t, const char *s, size_t i, const cdx_fig_word **w) {
  if (i == 0) return 0;
  const unsigned char *u = (const unsigned char *)s + i;
  if (u[-1] < 0x80 ? !test_bit(s_filters[t].ascii_back, u[-1])
                   : (i < 3 || !test_bit(s_filters[t].back, key2(u[-2], u[-1]))))
    return 0;
  size_t best = 0;
  for (const cdx_fig_word *e = s_tables[t]; e->text; e++) {
    size_t len = e->len;
    if (e->text[len - 1] == s[i - 1] && len > best && len <= i &&
        memcmp(s + i - len, e->text, len) == 0) {
      best = len;
      *w = e;
    }
  }
  return best;
}

/* The Simplified forms of a table, each once, NULL-terminated. */
static void canon_list(cdx_fig_table t, const char **out, size_t cap) {
  size_t k = 0;
  for (const cdx_fig_word *e = s_tables[t]; e->text && k + 1 < cap; e++) {
    bool seen = false;
    for (size_t j = 0; j < k && !seen; j++) seen = strcmp(out[j], e->canon) == 0;
    if (!seen) out[k++] = e->canon;
  }
  out[k] = NULL;
}

static const char *s_unit_list[sizeof s_units / sizeof s_units[0]];
static const char *s_kind_list[sizeof s_kinds / sizeof s_kinds[0]];
static once_flag s_lists_once = ONCE_FLAG_INIT;

static void fill_lists(void) {
  canon_list(CDX_FIGT_UNIT, s_unit_list, sizeof s_unit_list / sizeof s_unit_list[0]);
  canon_list(CDX_FIGT_KIND, s_kind_list, sizeof s_kind_list / sizeof s_kind_list[0]);
}

const char *const *cdx_figure_units(void) {
  call_once(&s_lists_once, fill_lists);
  return s_unit_list;
}

const char *const *cdx_figure_kinds(void) {
  call_once(&s_lists_once, fill_lists);
  return s_kind_list;
}
