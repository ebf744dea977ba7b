/* cdx_parse_digits: the one decimal parser of user input. */
#include <criterion/criterion.h>
#include "common/common.h"

Test(digits, plain_numbers_parse) {
  int64_t v = -1;
  cr_expect(cdx_parse_digits("0", 1, &v) && v == 0);
  cr_expect(cdx_parse_digits("330382", 6, &v) && v == 330382);
  cr_expect(cdx_parse_digits("999999999", 9, &v) && v == 999999999);
  cr_expect(cdx_parse_digits("20250306x", 8, &v) && v == 20250306, "only n bytes are read");
}

Test(digits, anything_else_is_refused_and_leaves_v) {
  int64_t v = 7;
  cr_expect(!cdx_parse_digits("", 0, &v));
  cr_expect(!cdx_parse_digits("1000000000", 10, &v), "more than 9 digits");
  cr_expect(!cdx_parse_digits("-1", 2, &v));
  cr_expect(!cdx_parse_digits(" 1", 2, &v));
  cr_expect(!cdx_parse_digits("12a", 3, &v));
  cr_expect(!cdx_parse_digits("１２", 6, &v), "full-width digits are not digits here");
  cr_expect_eq(v, 7);
}
