/* clausedex export: every unit of the index (or those a query matches) for
 * another system: Elasticsearch/OpenSearch bulk NDJSON and its mapping,
 * JSON Lines, CSV (docs/EXPORT.md). One table below names each exported
 * field once: its JSON value, its CSV cell and its mapping come from it. */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "cli/cli.h"

/* One unit as exported: the hit and its folded text. */
typedef struct unit {
  const cdx_hit *h;
  const char *folded;
  size_t folded_len;
  const char *id; /* doc#ordinal: unique, stable across exports of one index */
} unit;

typedef enum kind { F_STRING, F_OPT_STRING, F_INT, F_OPT_INT, F_DATE, F_STRINGS, F_CODES } kind;

/* A field: its name, its kind (how it is written), its mapping and where
 * its value is. Text values point into the hit; numbers are computed. */
typedef struct field {
  const char *name;
  kind kind;
  const char *mapping; /* the Elasticsearch property */
} field;

#define KEYWORD "{\"type\":\"keyword\"}"
#define INTEGER "{\"type\":\"integer\"}"
static const field fields[] = {
    {"id", F_STRING, KEYWORD},
    {"doc", F_STRING, KEYWORD},
    {"title", F_STRING,
     "{\"type\":\"text\",\"analyzer\":\"clausedex_cjk\",\"fields\":{\"raw\":{\"type\":\"keyword\"}}"
     "}"},
    {"jurisdiction", F_OPT_STRING, KEYWORD},
    {"jurisdiction_code", F_OPT_INT, INTEGER},
    {"jurisdiction_codes", F_CODES, INTEGER},
    {"status", F_STRING, KEYWORD},
    {"status_class", F_STRING, KEYWORD},
    {"edition", F_OPT_INT, INTEGER},
    {"date", F_DATE, "{\"type\":\"date\",\"format\":\"yyyy-MM-dd\"}"},
    {"doc_number", F_OPT_STRING, KEYWORD},
    {"kind", F_STRING, KEYWORD},
    {"number", F_OPT_STRING, KEYWORD},
    {"heading", F_OPT_STRING, "{\"type\":\"text\",\"analyzer\":\"clausedex_cjk\"}"},
    {"ordinal", F_INT, INTEGER},
    {"chapter", F_INT, INTEGER},
    {"departments", F_STRINGS, KEYWORD},
    {"chapter_lead", F_OPT_STRING, KEYWORD},
    {"text", F_STRING, "{\"type\":\"text\",\"index\":false}"},
    {"folded", F_STRING, "{\"type\":\"text\",\"analyzer\":\"clausedex_cjk\"}"},
};
#define N_FIELDS (sizeof fields / sizeof fields[0])

/* The value of field i for a unit, by the field's kind: a string (s, n), a
 * number (num), a list of strings or of codes; null when unknown. */
typedef struct value {
  const char *s;
  size_t n;
  long long num;
  bool null;
  const char *const *list;
  size_t n_list;
  long long codes[3];
  size_t n_codes;
  char buf[32];
} value;

static void get(const unit *u, size_t i, value *v) {
  const cdx_hit *h = u->h;
  memset(v, 0, sizeof *v);
  const char *name = fields[i].name, *s = NULL;
  long long num = 0;
  if (!strcmp(name, "id")) s = u->id;
  else if (!strcmp(name, "doc")) s = h->doc;
  else if (!strcmp(name, "title")) s = h->title;
  else if (!strcmp(name, "jurisdiction")) s = h->jurisdiction;
  else if (!strcmp(name, "jurisdiction_code")) num = h->jurisdiction_code;
  else if (!strcmp(name, "jurisdiction_codes")) {
    /* GB/T 2260: the province and the prefecture are the code's prefixes,
     * so "under 温州市" is a term filter on 330300 */
    uint32_t c = h->jurisdiction_code;
    if (c) {
      v->codes[v->n_codes++] = c / 10000 * 10000;
      if (c % 10000) v->codes[v->n_codes++] = c / 100 * 100;
      if (c % 100) v->codes[v->n_codes++] = c;
    }
  } else if (!strcmp(name, "status")) s = cdx_status_name(h->status);
  else if (!strcmp(name, "status_class"))
    s = h->status_class == CDX_CLASS_FINAL ? "final" : "draft";
  else if (!strcmp(name, "edition")) num = h->edition;
  else if (!strcmp(name, "date")) {
    if (h->date) {
      snprintf(v->buf, sizeof v->buf, "%04u-%02u-%02u", (unsigned)(h->date / 10000),
               (unsigned)(h->date / 100 % 100), (unsigned)(h->date % 100));
      s = v->buf;
    }
  } else if (!strcmp(name, "doc_number")) s = h->doc_number;
  else if (!strcmp(name, "kind")) s = cdx_unit_kind_name(h->kind);
  else if (!strcmp(name, "number")) s = h->number;
  else if (!strcmp(name, "heading")) s = h->heading;
  else if (!strcmp(name, "ordinal")) num = h->ordinal;
  else if (!strcmp(name, "chapter")) num = h->chapter;
  else if (!strcmp(name, "departments")) {
    v->list = h->responsible;
    v->n_list = h->n_responsible;
  } else if (!strcmp(name, "chapter_lead")) s = h->lead_department;
  else if (!strcmp(name, "text")) {
    v->s = h->text;
    v->n = h->text_len;
    return;
  } else if (!strcmp(name, "folded")) {
    v->s = u->folded;
    v->n = u->folded_len;
    return;
  }
  v->s = s;
  if (s) v->n = strlen(s);
  v->num = num;
  v->null = fields[i].kind == F_OPT_STRING || fields[i].kind == F_DATE ? !s
            : fields[i].kind == F_OPT_INT                              ? num == 0
                                                                       : false;
}

/* One unit as a JSON object (the source of a bulk pair, a JSON Lines record). */
static void write_json(FILE *f, const unit *u) {
  fputc('{', f);
  for (size_t i = 0; i < N_FIELDS; i++) {
    value v;
    get(u, i, &v);
    fprintf(f, "%s\"%s\":", i ? "," : "", fields[i].name);
    if (v.null) {
      fputs("null", f);
      continue;
    }
    switch (fields[i].kind) {
      case F_STRING:
      case F_OPT_STRING:
      case F_DATE: cli_json_str(f, v.s ? v.s : "", v.n); break;
      case F_INT:
      case F_OPT_INT: fprintf(f, "%lld", v.num); break;
      case F_STRINGS:
        fputc('[', f);
        for (size_t k = 0; k < v.n_list; k++) {
          if (k) fputc(',', f);
          cli_json_cstr(f, v.list[k]);
        }
        fputc(']', f);
        break;
      case F_CODES:
        fputc('[', f);
        for (size_t k = 0; k < v.n_codes; k++) fprintf(f, "%s%lld", k ? "," : "", v.codes[k]);
        fputc(']', f);
        break;
    }
  }
  fputs("}\n", f);
}

/* RFC 4180: a cell with a comma, a quote or a line break is quoted. */
static void csv_cell(FILE *f, const char *s, size_t n) {
  bool quote = false;
  for (size_t i = 0; i < n && !quote; i++)
    quote = s[i] == ',' || s[i] == '"' || s[i] == '\n' || s[i] == '\r';
  if (!quote) {
    fwrite(s, 1, n, f);
    return;
  }
  fputc('"', f);
  for (size_t i = 0; i < n; i++) {
    if (s[i] == '"') fputc('"', f);
    fputc(s[i], f);
  }
  fputc('"', f);
}

static void write_csv(FILE *f, const unit *u) {
  for (size_t i = 0; i < N_FIELDS; i++) {
    value v;
    get(u, i, &v);
    if (i) fputc(',', f);
    if (v.null) continue; /* an empty cell is null */
    switch (fields[i].kind) {
      case F_STRING:
      case F_OPT_STRING:
      case F_DATE: csv_cell(f, v.s ? v.s : "", v.n); break;
      case F_INT:
      case F_OPT_INT: fprintf(f, "%lld", v.num); break;
      case F_STRINGS: {
        /* joined by 、, the separator the documents' lists are split on, so
         * no name holds one */
        size_t len = 0;
        for (size_t k = 0; k < v.n_list; k++) len += strlen(v.list[k]) + 3;
        char *j = malloc(len + 1), *p = j;
        if (!j) break;
        for (size_t k = 0; k < v.n_list; k++) {
          if (k) {
            memcpy(p, "、", 3);
            p += 3;
          }
          size_t l = strlen(v.list[k]);
          memcpy(p, v.list[k], l);
          p += l;
        }
        csv_cell(f, j, (size_t)(p - j));
        free(j);
        break;
      }
      case F_CODES:
        for (size_t k = 0; k < v.n_codes; k++) fprintf(f, "%s%lld", k ? " " : "", v.codes[k]);
        break;
    }
  }
  fputs("\r\n", f);
}

static void write_mapping(FILE *f) {
  fputs("{\"settings\":{\"analysis\":{\"analyzer\":{\"clausedex_cjk\":{\"type\":\"custom\","
        "\"tokenizer\":"
        "\"standard\",\"filter\":[\"cjk_width\",\"lowercase\",\"cjk_bigram\"]}}}},\n "
        "\"mappings\":{\"properties\":{",
        f);
  for (size_t i = 0; i < N_FIELDS; i++)
    fprintf(f, "%s\n  \"%s\":%s", i ? "," : "", fields[i].name, fields[i].mapping);
  fputs("}}}\n", f);
}

struct args {
  const char *index, *format, *output, *es_index;
  bool latest;
};

static const cli_option options[] = {
    CLI_OPT_INDEX(struct args),
    {"format", 'f', CLI_OPT_STRING, offsetof(struct args, format), "FMT",
     "es-bulk (default), es-mapping, jsonl or csv", "es-bulk,es-mapping,jsonl,csv", NULL, 0},
    {"output", 'o', CLI_OPT_STRING, offsetof(struct args, output), "FILE",
     "write FILE (replaced whole, only on success) instead of stdout", NULL, NULL, 0},
    {"es-index", 0, CLI_OPT_STRING, offsetof(struct args, es_index), "NAME",
     "the index named in the bulk action lines (default clausedex)", NULL, NULL, 0},
    CLI_OPT_LATEST(struct args, "only the latest version of each policy"),
    CLI_OPT_END,
};

static const cli_command spec = {
    "export",
    "[OPTIONS] [QUERY...]",
    "Writes every unit of the index (or those QUERY matches, as clausedex search\n"
    "reads it) with its document's metadata and its folded text, for a search\n"
    "cluster or a spreadsheet (docs/EXPORT.md): es-bulk is Elasticsearch/OpenSearch\n"
    "bulk NDJSON (an action line, then the unit), es-mapping the index settings and\n"
    "mapping for it (a CJK analyzer: cjk_width + cjk_bigram), jsonl one unit per\n"
    "line, csv a header and one row per unit (lists joined by 、, null empty).\n",
    options,
    "Exit status: 0, or 2 on an error (no index, unwritable FILE: nothing is\ncreated).\n",
    CLI_DASH_OPERANDS,
    0,
    -1};

enum { FMT_BULK, FMT_MAPPING, FMT_JSONL, FMT_CSV };

static int write_unit(FILE *f, int fmt, const char *es_index, const cdx_hit *h) {
  char *folded = NULL;
  size_t fl = 0;
  cdx_error err;
  if (cdx_fold_text(h->text, h->text_len, &folded, &fl, &err) != CDX_OK) return cli_fail_err(&err);
  size_t idn = strlen(h->doc) + 16;
  char *id = malloc(idn);
  if (!id) {
    cdx_free(folded);
    return cli_fail("out of memory");
  }
  snprintf(id, idn, "%s#%d", h->doc, h->ordinal);
  unit u = {h, folded, fl, id};
  if (fmt == FMT_BULK) {
    fputs("{\"index\":{\"_index\":", f);
    cli_json_cstr(f, es_index);
    fputs(",\"_id\":", f);
    cli_json_cstr(f, id);
    fputs("}}\n", f);
  }
  if (fmt == FMT_CSV) write_csv(f, &u);
  else write_json(f, &u);
  free(id);
  cdx_free(folded);
  return CLI_OK;
}

static int export_units(FILE *f, int fmt, const struct args *a, cdx_index *ix, const char *query) {
  cdx_error err;
  if (query) {
    cdx_search_options opt = {.all = 1, .latest = a->latest, .no_highlights = 1};
    cdx_results *res;
    if (cdx_search(ix, query, &opt, &res, &err) != CDX_OK) {
      cli_search_query_error(query, &err);
      return CLI_ERROR;
    }
    int st = CLI_OK;
    for (size_t i = 0; i < cdx_results_count(res) && st == CLI_OK; i++)
      st = write_unit(f, fmt, a->es_index, cdx_results_get(res, i));
    cdx_results_free(res);
    return st;
  }
  int st = CLI_OK;
  for (size_t d = 0; d < cdx_index_doc_count(ix) && st == CLI_OK; d++) {
    cdx_index_doc doc;
    if (cdx_index_doc_get(ix, d, &doc, &err) != CDX_OK) return cli_fail_err(&err);
    if (a->latest && !doc.latest) continue;
    cdx_results *res;
    if (cdx_search_document(ix, doc.id, NULL, &res, &err) != CDX_OK) return cli_fail_err(&err);
    for (size_t i = 0; i < cdx_results_count(res) && st == CLI_OK; i++)
      st = write_unit(f, fmt, a->es_index, cdx_results_get(res, i));
    cdx_results_free(res);
  }
  return st;
}

int cmd_export(int argc, char **argv) {
  struct args a = {.format = "es-bulk", .es_index = "clausedex"};
  int nq, status = cli_parse(&spec, argc, argv, &a, &nq);
  if (status != CLI_GO_ON) return status;
  int fmt = !strcmp(a.format, "es-mapping") ? FMT_MAPPING
            : !strcmp(a.format, "jsonl")    ? FMT_JSONL
            : !strcmp(a.format, "csv")      ? FMT_CSV
                                            : FMT_BULK;
  cdx_index *ix = NULL;
  if (fmt != FMT_MAPPING && (status = cli_open_index(cli_search_index_dir(a.index), &ix)) != CLI_OK)
    return status;
  char *query = nq ? cli_join(argv + 1, nq) : NULL;
  if (nq && !query) {
    cdx_index_close(ix);
    return cli_fail("out of memory");
  }
  /* FILE is written whole or not at all: a temporary beside it, renamed */
  char *tmp = NULL;
  FILE *f = stdout;
  if (a.output) {
    size_t n = strlen(a.output) + 16;
    tmp = malloc(n);
    if (tmp) snprintf(tmp, n, "%s.tmp%ld", a.output, (long)getpid());
    if (!tmp || !(f = fopen(tmp, "w"))) {
      status = cli_fail("export: cannot write %s: %s", a.output,
                        tmp ? strerror(errno) : "out of memory");
      free(tmp);
      free(query);
      cdx_index_close(ix);
      return status;
    }
  }
  status = CLI_OK;
  if (fmt == FMT_CSV)
    for (size_t i = 0; i < N_FIELDS; i++) fprintf(f, "%s%s", i ? "," : "", fields[i].name);
  if (fmt == FMT_CSV) fputs("\r\n", f);
  if (fmt == FMT_MAPPING) write_mapping(f);
  else status = export_units(f, fmt, &a, ix, query);
  if (fflush(f) != 0 || ferror(f))
    status = cli_fail("export: writing %s failed", a.output ? a.output : "stdout");
  if (a.output) {
    if (fclose(f) != 0 && status == CLI_OK)
      status = cli_fail("export: writing %s failed", a.output);
    if (status == CLI_OK && rename(tmp, a.output) != 0)
      status = cli_fail("export: cannot write %s: %s", a.output, strerror(errno));
    if (status != CLI_OK) unlink(tmp);
    free(tmp);
  }
  free(query);
  cdx_index_close(ix);
  return status;
}
