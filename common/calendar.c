/* The Gregorian calendar, once for every reader of dates (sidecars, dates
 * found in a document's text, date: in queries). */
#include "common/common.h"

int cdx_days_in_month(long year, long month) {
  static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (month < 1 || month > 12) return 0;
  bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  return month == 2 && leap ? 29 : mdays[month - 1];
}
