/* facts/: the folding of department names: one spelling per character, so
 * that names written in either script or bracket style compare equal. */
#include <string.h>
#include "common/common.h"
#include "facts/dept_internal.h"
#include "lexicon/t2s.h" /* the one Traditional -> Simplified table */

/* Opening and closing brackets of every style the texts use around a note
 * in a name (市委组织部〈市委人才办〉, 区委组织部(区委人才办), 市府办（口岸办）).
 * 《》 is left alone: it quotes titles, never a second name. */
static int bracket(uint32_t cp) {
  switch (cp) {
    case '(':
    case '<':
    case '[':
    case 0xFF08:
    case 0x3008:
    case 0x3010:
    case 0xFF3B:
    case 0x3014:
    case 0xFF1C: return 1;
    case ')':
    case '>':
    case ']':
    case 0xFF09:
    case 0x3009:
    case 0x3011:
    case 0xFF3D:
    case 0x3015:
    case 0xFF1E: return -1;
    default: return 0;
  }
}

static bool is_space(uint32_t cp) {
  return cp == ' ' || cp == '\t' || cp == '\r' || cp == '\n' || cp == 0x3000 || cp == 0xA0;
}

int cdx_dept_fold(const char *name, size_t len, char *out, size_t cap, size_t *out_len,
                  cdx_error *err) {
  if ((!name && len) || !out || !cap)
    return cdx_err_set(err, CDX_INVALID, CDX_NO_OFFSET, "department name: NULL argument");
  if (len > CDX_DEPT_NAME_MAX)
    return cdx_err_set(err, CDX_LIMIT, CDX_NO_OFFSET,
                       "department name of %zu bytes: longer than %d", len, CDX_DEPT_NAME_MAX);
  size_t o = 0, i = 0;
  while (i < len) {
    size_t at = i;
    int32_t c = cdx_utf8_decode(name, len, &i);
    if (c < 0) {
      out[0] = '\0';
      return cdx_err_set(err, CDX_ENCODING, at, "department name: invalid UTF-8 at byte %zu", at);
    }
    uint32_t cp = (uint32_t)c;
    if (is_space(cp)) continue;
    int b = bracket(cp);
    if (b > 0) cp = 0xFF08;
    else if (b < 0) cp = 0xFF09;
    else if (cp >= 0xFF01 && cp <= 0xFF5E) cp -= 0xFEE0; /* full-width ASCII */
    else cp = cdx_t2s(cp);
    char enc[4];
    size_t n = cdx_utf8_encode(cp, enc);
    if (o + n >= cap) {
      out[0] = '\0';
      return cdx_err_set(err, CDX_LIMIT, CDX_NO_OFFSET,
                         "department name: result longer than %zu bytes", cap - 1);
    }
    memcpy(out + o, enc, n);
    o += n;
  }
  out[o] = '\0';
  if (out_len) *out_len = o;
  return CDX_OK;
}
