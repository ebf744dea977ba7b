/* cdx_search_options by member name (the bindings' way in): every member
 * the table names lands where a C caller's assignment puts it, and bad
 * names and values are refused without touching the options. */
#include <criterion/criterion.h>
#include <string.h>
#include "clausedex/search.h"

Test(search_options, each_member_by_name_equals_the_c_assignment) {
  cdx_search_options *o = cdx_search_options_new();
  cr_assert_not_null(o);
  static const char *const set[][2] = {
      {"k", "25"},          {"offset", "40"},       {"all", "1"},        {"latest", "1"},
      {"count_only", "1"},  {"no_highlights", "1"}, {"sort", "edition"}, {"facets", "dept,year"},
      {"facet_limit", "7"}, {"timeout_ms", "1500"}, {"no_stored", "1"},
  };
  cdx_error err;
  for (size_t i = 0; i < sizeof set / sizeof set[0]; i++)
    cr_assert_eq(cdx_search_options_set(o, set[i][0], set[i][1], &err), CDX_OK, "%s: %s", set[i][0],
                 err.message);
  cdx_search_options want;
  memset(&want, 0, sizeof want);
  want.k = 25, want.offset = 40, want.all = 1, want.latest = 1, want.count_only = 1;
  want.no_highlights = 1, want.sort = CDX_SORT_EDITION, want.facet_limit = 7;
  want.timeout_ms = 1500, want.no_stored = 1;
  cr_assert_str_eq(o->facets, "dept,year");
  want.facets = o->facets; /* the options own a copy */
  cr_assert(memcmp(o, &want, sizeof want) == 0, "a member set by name is not where C puts it");
  cdx_search_options_free(o);
}

Test(search_options, bad_names_and_values_are_refused_and_change_nothing) {
  cdx_search_options *o = cdx_search_options_new();
  cdx_error err;
  cr_assert_eq(cdx_search_options_set(o, "k", "10", &err), CDX_OK);
  static const char *const bad[][2] = {
      {"kk", "1"},      {"k", ""},    {"k", "-1"},        {"k", "1x"},
      {"k", " 1"},      {"all", "2"}, {"sort", "random"}, {"timeout_ms", "99999999999"},
      {"offset", "+3"},
  };
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    cr_assert_eq(cdx_search_options_set(o, bad[i][0], bad[i][1], &err), CDX_INVALID, "%s=%s",
                 bad[i][0], bad[i][1]);
    cr_assert(strstr(err.message, bad[i][0]), "the message names the member: %s", err.message);
  }
  cr_assert_eq(o->k, 10);
  cr_assert_eq(o->all, 0);
  cr_assert_eq(cdx_search_options_set(o, "facets", "dept", &err), CDX_OK);
  cr_assert_eq(cdx_search_options_set(o, "facets", "year", &err), CDX_OK); /* replaces, no leak */
  cr_assert_str_eq(o->facets, "year");
  cr_assert_eq(cdx_search_options_set(NULL, "k", "1", &err), CDX_INVALID);
  cdx_search_options_free(o);
  cdx_search_options_free(NULL);
}
