/* search_options.c - cdx_search_options by member name, for bindings.
 *
 * A binding that cannot include C headers (python/clausedex, over ctypes)
 * would otherwise lay the struct out again by hand, and a member added here
 * would silently shift its copy. The table below is the one place that
 * names the members: a new member of cdx_search_options is one line in it. */
#include <assert.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include "clausedex/search.h"
#include "common/common.h"

enum opt_kind { OPT_SIZE, OPT_UINT, OPT_FLAG, OPT_SORT, OPT_TEXT };

static const struct {
  const char *name;
  enum opt_kind kind;
  size_t offset;
} s_members[] = {
    {"k", OPT_SIZE, offsetof(cdx_search_options, k)},
    {"offset", OPT_SIZE, offsetof(cdx_search_options, offset)},
    {"all", OPT_FLAG, offsetof(cdx_search_options, all)},
    {"latest", OPT_FLAG, offsetof(cdx_search_options, latest)},
    {"count_only", OPT_FLAG, offsetof(cdx_search_options, count_only)},
    {"no_highlights", OPT_FLAG, offsetof(cdx_search_options, no_highlights)},
    {"sort", OPT_SORT, offsetof(cdx_search_options, sort)},
    {"facets", OPT_TEXT, offsetof(cdx_search_options, facets)},
    {"facet_limit", OPT_SIZE, offsetof(cdx_search_options, facet_limit)},
    {"timeout_ms", OPT_UINT, offsetof(cdx_search_options, timeout_ms)},
    {"no_stored", OPT_FLAG, offsetof(cdx_search_options, no_stored)},
    {"top_only", OPT_FLAG, offsetof(cdx_search_options, top_only)},
};

/* The options and the copies of the strings set into them; the options
 * come first, so the pointer handed out is the block's own. */
typedef struct owned_options {
  cdx_search_options o;
  char *facets;
} owned_options;

size_t cdx_search_options_size(void) { return sizeof(cdx_search_options); }

int cdx_sort_from_name(const char *name, cdx_sort *out) {
  static const char *const names[] = {"score", "amount", "date", "edition"};
  for (int k = 0; name && k < 4; k++)
    if (strcmp(name, names[k]) == 0) {
      *out = (cdx_sort)k;
      return 1;
    }
  return 0;
}

cdx_search_options *cdx_search_options_new(void) {
  owned_options *w = calloc(1, sizeof *w);
  return w ? &w->o : NULL;
}

void cdx_search_options_free(cdx_search_options *o) {
  if (!o) return;
  owned_options *w = (owned_options *)o;
  free(w->facets);
  free(w);
}

int cdx_search_options_set(cdx_search_options *o, const char *name, const char *value,
                           cdx_error *err) {
  if (!o || !name || !value)
    return cdx_err_set(err, CDX_INVALID, CDX_NO_OFFSET, "cdx_search_options_set: NULL argument");
  size_t m = 0, n_members = sizeof s_members / sizeof s_members[0];
  while (m < n_members && strcmp(s_members[m].name, name) != 0) m++;
  if (m == n_members)
    return cdx_err_set(err, CDX_INVALID, CDX_NO_OFFSET, "unknown search option '%s'", name);
  char *field = (char *)o + s_members[m].offset;
  /* numbers through the one parser of user digits: at most 9, which fit
   * every numeric member */
  int64_t n;
  bool number = cdx_parse_digits(value, strlen(value), &n);
  switch (s_members[m].kind) {
    case OPT_SIZE:
      if (!number) break;
      *(size_t *)field = (size_t)n;
      return CDX_OK;
    case OPT_UINT:
      if (!number) break;
      *(unsigned *)field = (unsigned)n;
      return CDX_OK;
    case OPT_FLAG:
      if (!number || n > 1) break;
      *(int *)field = (int)n;
      return CDX_OK;
    case OPT_SORT:
      if (!cdx_sort_from_name(value, (cdx_sort *)field)) break;
      return CDX_OK;
    case OPT_TEXT: {
      /* only "facets" is text, and only options from _new own a copy */
      assert(s_members[m].offset == offsetof(cdx_search_options, facets));
      owned_options *w = (owned_options *)o;
      char *copy = cdx_strdup_or_null(value);
      if (!copy) return cdx_err_set(err, CDX_NOMEM, CDX_NO_OFFSET, "out of memory");
      free(w->facets);
      w->facets = copy;
      o->facets = copy;
      return CDX_OK;
    }
  }
  return cdx_err_set(err, CDX_INVALID, CDX_NO_OFFSET, "search option %s: bad value '%s'", name,
                     value);
}
