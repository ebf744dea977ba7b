/* A document's place among the others (clausedex/release.h): its family
 * and versions, the documents it rests on and those citing it, and a 文号
 * inferred for it. For show, and for search --versions. */
#include <string.h>
#include "cli/cli.h"

static const char *base_name(const char *p) {
  const char *s = strrchr(p, '/');
  return s ? s + 1 : p;
}

static void print_cite(const cdx_index_doc *d) {
  char *c;
  cdx_error err;
  if (cdx_doc_citation(d, &c, &err) != CDX_OK) return;
  printf("%s [%s]", c, base_name(d->id));
  cdx_free(c);
}

void cli_print_versions(const cdx_families *fam, const char *doc_id, const char *indent) {
  size_t me;
  const cdx_family *f = cdx_families_of(fam, doc_id, &me);
  if (!f || f->n_versions < 2) return;
  for (size_t v = 0; v < f->n_versions; v++) {
    if (v == me) continue;
    printf("%sversion %zu/%zu: ", indent, v + 1, f->n_versions);
    print_cite(&f->versions[v]);
    puts(f->versions[v].latest ? " latest" : "");
  }
}

int cli_print_relations(const cdx_index *ix, const char *doc_id) {
  cdx_error err;
  cdx_families *fam = NULL;
  cdx_links *links = NULL;
  if (cdx_families_collect(ix, &fam, &err) != CDX_OK ||
      cdx_links_compute(ix, &links, &err) != CDX_OK) {
    cdx_families_free(fam);
    return cli_fail_err(&err);
  }
  size_t me;
  const cdx_family *f = cdx_families_of(fam, doc_id, &me);
  if (f) {
    char sid[CDX_SHORT_ID_LEN + 1];
    cdx_doc_short_id(doc_id, sid);
    printf("short id: %s\n", sid);
    printf("family: %s (version %zu of %zu%s)\n", *f->key ? f->key : "(untitled)", me + 1,
           f->n_versions, f->versions[me].latest ? ", latest" : "");
    cli_print_versions(fam, doc_id, "  ");
  }
  size_t src;
  const char *num = cdx_links_inferred_number(links, doc_id, &src);
  if (num)
    printf("doc_number: %s (inferred from %zu citing document%s)\n", num, src, src == 1 ? "" : "s");
  bool head = false;
  for (size_t i = 0; i < cdx_links_count(links); i++) {
    const cdx_link *l = cdx_links_get(links, i);
    if (strcmp(l->from, doc_id) != 0) continue;
    printf("%s《%s》%s%s", head ? "          " : "based on: ", l->title, l->number ? " " : "",
           l->number ? l->number : "");
    if (l->to) printf(" -> %s (by %s)\n", base_name(l->to), l->by_number ? "number" : "title");
    else puts(" (not indexed)");
    head = true;
  }
  head = false;
  for (size_t i = 0; i < cdx_links_count(links); i++) {
    const cdx_link *l = cdx_links_get(links, i);
    if (!l->to || strcmp(l->to, doc_id) != 0) continue;
    printf("%s%s%s%s\n", head ? "          " : "cited by: ", base_name(l->from),
           l->number ? " as " : "", l->number ? l->number : "");
    head = true;
  }
  cdx_links_free(links);
  cdx_families_free(fam);
  return CLI_OK;
}
