/* clausedex parse: shows what would be indexed from documents. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli/cli.h"
#include "cli/meta_flags.h"

struct args {
  bool json;
  cdx_meta_overrides ov;
};

static const cli_option options[] = {
    CLI_OPT_JSON(struct args, "one JSON object per document, one per line"),
    CLI_META_OPTIONS(struct args, ov),
    CLI_OPT_END,
};

static const cli_command spec = {
    "parse",
    "[OPTIONS] FILE...",
    "Reads policy documents (UTF-8, GB18030, Big5, UTF-16) and prints their\n"
    "metadata and searchable units; FILE.meta sidecars are applied.\n"
    "Files ending in .jsonl are read as JSON Lines (one record per unit).\n"
    "The metadata options override what is detected.\n",
    options,
    NULL,
    0,
    1,
    -1};

/* First `max` characters of s[0..n) (whole UTF-8 characters), newlines as spaces. */
static void print_prefix(const char *s, size_t n, size_t max) {
  size_t i = 0, chars = 0;
  while (i < n && chars < max) {
    unsigned char c = (unsigned char)s[i];
    size_t k = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    if (i + k > n) break;
    if (c == '\n') putchar(' ');
    else fwrite(s + i, 1, k, stdout);
    i += k;
    chars++;
  }
  if (i < n) fputs("…", stdout);
}

static void print_text(const cdx_document *doc) {
  const cdx_document_meta *m = cdx_document_get_meta(doc);
  size_t len;
  const char *text = cdx_document_get_text(doc, &len);
  printf("source:       %s\n", cdx_document_get_source(doc));
  printf("title:        %s\n", m->title);
  printf("jurisdiction: %s (%u)", m->jurisdiction.name ? m->jurisdiction.name : "unknown",
         (unsigned)m->jurisdiction.code);
  for (size_t i = 0; i < m->n_parents; i++) printf(" < %s", m->parents[i].name);
  printf("\nstatus:       %s (%s)\n", cdx_status_name(m->status),
         cdx_status_class_name(m->status_class));
  printf("edition:      %d\n", m->edition);
  if (m->date)
    printf("date:         %04u-%02u-%02u\n", (unsigned)(m->date / 10000),
           (unsigned)(m->date / 100 % 100), (unsigned)(m->date % 100));
  else printf("date:         -\n");
  printf("doc_number:   %s\n", m->doc_number ? m->doc_number : "-");
  printf("issuer:       %s\n", m->issuer ? m->issuer : "-");
  printf("policy_key:   %s\n", m->policy_key);
  for (size_t i = 0; i < m->n_warnings; i++) printf("warning:      %s\n", m->warnings[i]);
  size_t n = cdx_document_unit_count(doc);
  printf("units:        %zu\n", n);
  for (size_t i = 0; i < n; i++) {
    const cdx_unit_view *u = cdx_document_get_unit(doc, i);
    printf("%3d %-8s ch%-2d %-12s ", u->ordinal, cdx_unit_kind_name(u->kind), u->chapter,
           u->number ? u->number : "-");
    if (u->heading) {
      fputs("[", stdout);
      print_prefix(u->heading, strlen(u->heading), 24);
      fputs("] ", stdout);
    }
    if (u->n_lead_departments) {
      fputs("lead=", stdout);
      for (size_t k = 0; k < u->n_lead_departments; k++)
        printf("%s%s", k ? "、" : "", u->lead_departments[k]);
      putchar(' ');
    }
    if (u->n_responsible) {
      fputs("units=", stdout);
      for (size_t k = 0; k < u->n_responsible; k++)
        printf("%s%s", k ? "、" : "", u->responsible[k]);
      putchar(' ');
    }
    print_prefix(text + u->start, u->end - u->start, 20);
    putchar('\n');
  }
}

static int show(const cdx_document *doc, bool json) {
  if (!json) {
    print_text(doc);
    putchar('\n');
    return CLI_OK;
  }
  char *out = NULL;
  size_t len = 0;
  cdx_error err;
  int rc = cdx_document_to_json(doc, &out, &len, &err);
  return cli_json_line(rc, out, len, &err);
}

static bool is_jsonl(const char *path) {
  size_t n = strlen(path);
  return n > 6 && strcmp(path + n - 6, ".jsonl") == 0;
}

int cmd_parse(int argc, char **argv) {
  struct args a = {0};
  int nf, status = cli_parse(&spec, argc, argv, &a, &nf);
  if (status != CLI_GO_ON) return status;
  status = CLI_OK;
  bool json = cli_json_mode = a.json;
  const cdx_meta_overrides ov = a.ov;
  char **files = argv + 1;
  for (int f = 0; f < nf && status == CLI_OK; f++) {
    cdx_error err;
    if (is_jsonl(files[f])) {
      cdx_jsonl_reader *r = NULL;
      if (cdx_jsonl_open(files[f], &r, &err) != CDX_OK) {
        status = cli_fail_err(&err);
        break;
      }
      for (;;) {
        cdx_document *doc = NULL;
        const char *id = NULL;
        int rc = cdx_jsonl_next(r, &doc, &id, &err);
        if (rc == CDX_BADINPUT) { /* that record is skipped, the rest still shown */
          status = cli_fail_err(&err);
          continue;
        }
        if (rc != CDX_OK) {
          status = cli_fail_err(&err);
          break;
        }
        if (!doc) break;
        int st = show(doc, json);
        cdx_document_free(doc);
        if (st != CLI_OK) {
          status = st;
          break;
        }
      }
      cdx_jsonl_close(r);
      continue;
    }
    cdx_document *doc = NULL;
    if (cdx_document_read_file(files[f], &ov, &doc, &err) != CDX_OK) {
      status = cli_fail_err(&err);
      break;
    }
    status = show(doc, json);
    cdx_document_free(doc);
  }
  if (fflush(stdout) != 0 && status == CLI_OK) status = cli_fail("write error on stdout");
  return status;
}
