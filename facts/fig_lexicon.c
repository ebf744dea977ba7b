/* The words around a number that make it a figure: measure words,
 * qualifiers, kinds, range connectors. Each table lists Simplified and
 * Traditional spellings with the Simplified form reported; docs/FACTS.md
 * describes them and tests/facts checks the document against these tables.
 * Tables are small (tens of words) and only consulted at a number, so a
 * linear scan with a first-byte test is enough. */
#include <string.h>
#include <threads.h>
#include "facts/fig_internal.h"

#define END {NULL, NULL, 0}

/* Longer words that begin with a shorter one (个百分点 / 个, 千瓦时 / 千瓦,
 * 家次 / 家) are both listed: the longest match wins. */
static const cdx_fig_word s_units[] = {
    {"元人民币", "元", CDX_FIGU_MONEY}, {"元", "元", CDX_FIGU_MONEY},
    {"美元", "美元", CDX_FIGU_MONEY}, {"欧元", "欧元", CDX_FIGU_MONEY},
    {"歐元", "欧元", CDX_FIGU_MONEY},
    {"%", "%", CDX_FIGU_PERCENT}, {"％", "%", CDX_FIGU_PERCENT},
    {"个百分点", "百分点", CDX_FIGU_PERCENT}, {"個百分點", "百分点", CDX_FIGU_PERCENT},
    {"百分点", "百分点", CDX_FIGU_PERCENT}, {"百分點", "百分点", CDX_FIGU_PERCENT},
    {"吨标准煤", "吨标准煤", CDX_FIGU_COUNT}, {"噸標準煤", "吨标准煤", CDX_FIGU_COUNT},
    {"家次", "家次", CDX_FIGU_COUNT}, {"家", "家", CDX_FIGU_COUNT},
    {"个工作日", "个工作日", CDX_FIGU_COUNT}, {"個工作日", "个工作日", CDX_FIGU_COUNT},
    {"个月", "个月", CDX_FIGU_COUNT}, {"個月", "个月", CDX_FIGU_COUNT},
    {"个", "个", CDX_FIGU_COUNT}, {"個", "个", CDX_FIGU_COUNT},
    {"项", "项", CDX_FIGU_COUNT}, {"項", "项", CDX_FIGU_COUNT},
    {"亩", "亩", CDX_FIGU_COUNT}, {"畝", "亩", CDX_FIGU_COUNT},
    {"公顷", "公顷", CDX_FIGU_COUNT}, {"公頃", "公顷", CDX_FIGU_COUNT},
    {"平方公里", "平方公里", CDX_FIGU_COUNT}, {"平方米", "平方米", CDX_FIGU_COUNT},
    {"立方米", "立方米", CDX_FIGU_COUNT}, {"方", "方", CDX_FIGU_COUNT_MAG},
    {"幢", "幢", CDX_FIGU_COUNT}, {"栋", "栋", CDX_FIGU_COUNT}, {"棟", "栋", CDX_FIGU_COUNT},
    {"人次", "人次", CDX_FIGU_COUNT}, {"人", "人", CDX_FIGU_COUNT},
    {"名", "名", CDX_FIGU_COUNT},
    {"场次", "场次", CDX_FIGU_COUNT}, {"場次", "场次", CDX_FIGU_COUNT},
    {"场", "场", CDX_FIGU_COUNT}, {"場", "场", CDX_FIGU_COUNT},
    {"次", "次", CDX_FIGU_COUNT},
    {"台", "台", CDX_FIGU_COUNT}, {"臺", "台", CDX_FIGU_COUNT},
    {"套", "套", CDX_FIGU_COUNT},
    {"户", "户", CDX_FIGU_COUNT}, {"戶", "户", CDX_FIGU_COUNT},
    {"所", "所", CDX_FIGU_COUNT}, {"座", "座", CDX_FIGU_COUNT},
    {"条", "条", CDX_FIGU_COUNT}, {"條", "条", CDX_FIGU_COUNT},
    {"公里", "公里", CDX_FIGU_COUNT},
    {"千瓦时", "千瓦时", CDX_FIGU_COUNT}, {"千瓦時", "千瓦时", CDX_FIGU_COUNT},
    {"千瓦", "千瓦", CDX_FIGU_COUNT},
    {"吨", "吨", CDX_FIGU_COUNT}, {"噸", "吨", CDX_FIGU_COUNT},
    {"辆", "辆", CDX_FIGU_COUNT}, {"輛", "辆", CDX_FIGU_COUNT},
    {"批", "批", CDX_FIGU_COUNT}, {"件", "件", CDX_FIGU_COUNT}, {"款", "款", CDX_FIGU_COUNT},
    {"年", "年", CDX_FIGU_COUNT},
    {"支", "支", CDX_FIGU_COUNT},
    {"张", "张", CDX_FIGU_COUNT}, {"張", "张", CDX_FIGU_COUNT},
    {"把", "把", CDX_FIGU_COUNT},
    {"间", "间", CDX_FIGU_COUNT}, {"間", "间", CDX_FIGU_COUNT},
    {"处", "处", CDX_FIGU_COUNT}, {"處", "处", CDX_FIGU_COUNT},
    {"类", "类", CDX_FIGU_COUNT}, {"類", "类", CDX_FIGU_COUNT},
    {"头", "头", CDX_FIGU_COUNT}, {"頭", "头", CDX_FIGU_COUNT},
    {"标箱", "标箱", CDX_FIGU_COUNT}, {"標箱", "标箱", CDX_FIGU_COUNT},
    END};

/* Before the number. 不低于 is listed before 低于 only for reading: the
 * longest match wins whatever the order. */
static const cdx_fig_word s_pre_qual[] = {
    {"不得低于", "", CDX_FIGQ_GE}, {"不得低於", "", CDX_FIGQ_GE},
    {"不得少于", "", CDX_FIGQ_GE}, {"不得少於", "", CDX_FIGQ_GE},
    {"不得超过", "", CDX_FIGQ_LE}, {"不得超過", "", CDX_FIGQ_LE},
    {"不得高于", "", CDX_FIGQ_LE}, {"不得高於", "", CDX_FIGQ_LE},
    {"不低于", "", CDX_FIGQ_GE}, {"不低於", "", CDX_FIGQ_GE},
    {"不少于", "", CDX_FIGQ_GE}, {"不少於", "", CDX_FIGQ_GE},
    {"不小于", "", CDX_FIGQ_GE}, {"不小於", "", CDX_FIGQ_GE},
    {"至少", "", CDX_FIGQ_GE}, {"最少", "", CDX_FIGQ_GE}, {"最低", "", CDX_FIGQ_GE},
    {"达到", "", CDX_FIGQ_GE}, {"達到", "", CDX_FIGQ_GE},
    {"达", "", CDX_FIGQ_GE}, {"達", "", CDX_FIGQ_GE},
    {"不超过", "", CDX_FIGQ_LE}, {"不超過", "", CDX_FIGQ_LE},
    {"不高于", "", CDX_FIGQ_LE}, {"不高於", "", CDX_FIGQ_LE},
    {"不多于", "", CDX_FIGQ_LE}, {"不多於", "", CDX_FIGQ_LE},
    {"不大于", "", CDX_FIGQ_LE}, {"不大於", "", CDX_FIGQ_LE},
    {"最高", "", CDX_FIGQ_LE}, {"最多", "", CDX_FIGQ_LE}, {"上限", "", CDX_FIGQ_LE},
    {"超过", "", CDX_FIGQ_GT}, {"超過", "", CDX_FIGQ_GT}, {"超", "", CDX_FIGQ_GT},
    {"突破", "", CDX_FIGQ_GT},
    {"高于", "", CDX_FIGQ_GT}, {"高於", "", CDX_FIGQ_GT},
    {"大于", "", CDX_FIGQ_GT}, {"大於", "", CDX_FIGQ_GT},
    {"多于", "", CDX_FIGQ_GT}, {"多於", "", CDX_FIGQ_GT},
    {"低于", "", CDX_FIGQ_LT}, {"低於", "", CDX_FIGQ_LT},
    {"少于", "", CDX_FIGQ_LT}, {"少於", "", CDX_FIGQ_LT},
    {"小于", "", CDX_FIGQ_LT}, {"小於", "", CDX_FIGQ_LT},
    {"不足", "", CDX_FIGQ_LT}, {"不到", "", CDX_FIGQ_LT},
    {"大约", "", CDX_FIGQ_APPROX}, {"大約", "", CDX_FIGQ_APPROX},
    {"约", "", CDX_FIGQ_APPROX}, {"約", "", CDX_FIGQ_APPROX},
    END};

/* After the unit (以上 may also follow a parenthesised alternative unit:
 * 600台（套）以上). */
static const cdx_fig_word s_post_qual[] = {
    {"及以上", "", CDX_FIGQ_GE}, {"以上", "", CDX_FIGQ_GE},
    {"及以下", "", CDX_FIGQ_LE}, {"以下", "", CDX_FIGQ_LE},
    {"以内", "", CDX_FIGQ_LE}, {"以內", "", CDX_FIGQ_LE}, {"之内", "", CDX_FIGQ_LE},
    {"之內", "", CDX_FIGQ_LE},
    {"左右", "", CDX_FIGQ_APPROX},
    END};

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
    {"预算", "预算", K_MONEY}, {"預算", "预算", K_MONEY},
    {"财政安排", "预算", K_MONEY}, {"財政安排", "预算", K_MONEY},
    {"统筹安排", "预算", K_MONEY}, {"統籌安排", "预算", K_MONEY},
    {"安排资金", "预算", K_MONEY}, {"安排資金", "预算", K_MONEY},
    {"奖励", "奖励", K_GRANT}, {"獎勵", "奖励", K_GRANT},
    {"奖补", "奖励", K_GRANT}, {"獎補", "奖励", K_GRANT},
    {"补贴", "补贴", K_GRANT}, {"補貼", "补贴", K_GRANT},
    {"补助", "补贴", K_GRANT}, {"補助", "补贴", K_GRANT},
    {"资助", "补贴", K_GRANT}, {"資助", "补贴", K_GRANT},
    {"贷款", "贷款", K_LOAN}, {"貸款", "贷款", K_LOAN},
    {"信贷", "贷款", K_LOAN}, {"信貸", "贷款", K_LOAN},
    {"续贷", "贷款", K_MONEY}, {"續貸", "贷款", K_MONEY},
    {"投资", "投资", K_MONEY}, {"投資", "投资", K_MONEY},
    {"增长", "增长", K_GROWTH}, {"增長", "增长", K_GROWTH},
    {"增幅", "增长", K_GROWTH}, {"增速", "增长", K_GROWTH},
    {"力争", "目标", K_ANY}, {"力爭", "目标", K_ANY},
    {"争取", "目标", K_ANY}, {"爭取", "目标", K_ANY},
    {"确保", "目标", K_ANY}, {"確保", "目标", K_ANY},
    {"达到", "目标", K_ANY}, {"達到", "目标", K_ANY},
    {"新增", "目标", K_ANY}, {"目标", "目标", K_ANY}, {"目標", "目标", K_ANY},
    END};

/* Between a qualifier and its number: 最高补贴2000元, 最高可达, 给予不低于. */
static const cdx_fig_word s_bridge[] = {
    {"补贴", "", 0}, {"補貼", "", 0}, {"奖励", "", 0}, {"獎勵", "", 0},
    {"补助", "", 0}, {"補助", "", 0}, {"资助", "", 0}, {"資助", "", 0},
    {"可达", "", 0}, {"可達", "", 0}, {"为", "", 0}, {"為", "", 0}, {"可", "", 0},
    END};

static const cdx_fig_word s_range[] = {
    {"-", "", 0}, {"－", "", 0}, {"—", "", 0}, {"–", "", 0}, {"～", "", 0},
    {"~", "", 0}, {"〜", "", 0}, {"至", "", 0}, {"到", "", 0},
    END};

static const cdx_fig_word s_plan[] = {
    {"行动", "", 0}, {"行動", "", 0}, {"计划", "", 0}, {"計劃", "", 0},
    {"规划", "", 0}, {"規劃", "", 0}, {"版", "", 0}, {"度", "", 0},
    END};

static const cdx_fig_word *const s_tables[CDX_FIGT_COUNT_] = {
    [CDX_FIGT_UNIT] = s_units,       [CDX_FIGT_PRE_QUAL] = s_pre_qual,
    [CDX_FIGT_POST_QUAL] = s_post_qual, [CDX_FIGT_KIND] = s_kinds,
    [CDX_FIGT_BRIDGE] = s_bridge,    [CDX_FIGT_RANGE] = s_range,
    [CDX_FIGT_PLAN] = s_plan};

size_t cdx_fig_match(cdx_fig_table t, const char *s, size_t n, size_t i,
                     const cdx_fig_word **w) {
  size_t best = 0;
  if (i >= n) return 0;
  for (const cdx_fig_word *e = s_tables[t]; e->text; e++) {
    if (e->text[0] != s[i]) continue;
    size_t len = strlen(e->text);
    if (len > best && len <= n - i && memcmp(s + i, e->text, len) == 0) {
      best = len;
      *w = e;
    }
  }
  return best;
}

size_t cdx_fig_match_back(cdx_fig_table t, const char *s, size_t i, const cdx_fig_word **w) {
  size_t best = 0;
  for (const cdx_fig_word *e = s_tables[t]; e->text; e++) {
    size_t len = strlen(e->text);
    if (len > best && len <= i && memcmp(s + i - len, e->text, len) == 0) {
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
