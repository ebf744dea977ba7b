/* digits.c - the one parser of plain decimal numbers in user input (query
 * filters, sidecar values, override flags). */
#include "common/common.h"

bool cdx_parse_digits(const char *s, size_t n, int64_t *v) {
  if (n == 0 || n > 9) return false; /* 9 digits always fit, and no field needs more */
  int64_t x = 0;
  for (size_t i = 0; i < n; i++) {
    if (s[i] < '0' || s[i] > '9') return false;
    x = x * 10 + (s[i] - '0');
  }
  *v = x;
  return true;
}
