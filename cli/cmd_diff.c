/* clausedex diff: what changed between two documents, clause by clause. */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "cli/cli.h"

struct args {
  const char *index, *only, *format, *color;
  bool stat, json, exit_code;
  double threshold;
};

static const cli_option options[] = {
    CLI_OPT_INDEX(struct args),
    {"only", 0, CLI_OPT_STRING, offsetof(struct args, only), "LIST",
     "only these relations, comma-separated (changed,added,removed)", NULL, NULL, 0},
    {"stat", 0, CLI_OPT_FLAG, offsetof(struct args, stat), NULL, "counts per relation only", NULL,
     NULL, 0},
    CLI_OPT_JSON(struct args, "JSON Lines: a begin record, one record per pair, a summary"),
    {"format", 0, CLI_OPT_STRING, offsetof(struct args, format), "FMT",
     "text (default), json, or md (a Markdown 对照表)", "text,json,md,markdown", NULL, 0},
    CLI_OPT_COLOR(struct args),
    {"threshold", 0, CLI_OPT_FRACTION, offsetof(struct args, threshold), "X",
     "least similarity for two units to pair (default 0.30)", NULL, NULL, 0},
    {"exit-code", 0, CLI_OPT_FLAG, offsetof(struct args, exit_code), NULL,
     "exit 1 when the documents have no differences", NULL, NULL, 0},
    CLI_OPT_END,
};

static const cli_command spec = {
    "diff",
    "[OPTIONS] A B",
    "Pairs the units of document A with those of document B by content (not by\n"
    "their numbers) and shows, in B's order, what each pair is: same, changed,\n"
    "moved, merged, split, added or removed, with the character changes (on the\n"
    "folded text: Traditional/Simplified, width and punctuation never count), the\n"
    "figures whose value changed and the responsible units that changed.\n"
    "A and B are documents: an id, a file name, a document number\n"
    "(乐政发〔2025〕4号, any bracket style) or a unique prefix of a file name.\n",
    options,
    "Without colour, deletions show as [-old-] and insertions as {+new+}.\n"
    "Exit status: 0, or 1 with --exit-code and no differences; 2 on an error\n"
    "(unknown or ambiguous document, the same document twice, no units).\n",
    0,
    2,
    2};

enum format { FMT_TEXT, FMT_JSON, FMT_MD };

typedef struct view {
  bool color;
  enum format format;
  bool only[CDX_REL_COUNT];
  bool filtered;
} view;

void cli_print_unit_label(FILE *f, const cdx_hit *h) {
  if (h->kind != CDX_UNIT_CLAUSE) fprintf(f, "[%s] ", cdx_unit_kind_name(h->kind));
  if (h->number) fputs(h->number, f);
  if (h->heading) fputs(h->heading, f);
  else if (!h->number) fprintf(f, "#%d", h->ordinal + 1);
}

static int parse_only(const char *list, view *v) {
  char *copy = strdup(list);
  if (!copy) return cli_fail("out of memory");
  int status = CLI_OK;
  for (char *save = NULL, *t = strtok_r(copy, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
    int r = cdx_relation_from_name(t);
    if (r < 0) {
      status = cli_fail(
          "--only: unknown relation '%s' (same, changed, moved, merged, split, added, removed)", t);
      break;
    }
    v->only[r] = true;
    v->filtered = true;
  }
  free(copy);
  return status;
}

static const char *const rel_colour[CDX_REL_COUNT] = {
    "\033[2m", "\033[1;33m", "\033[1;36m", "\033[1;35m", "\033[1;35m", "\033[1;32m", "\033[1;31m"};

/* The character diff: B's text, with A's deleted characters and B's
 * inserted ones marked. */
static void print_edits(const cdx_align_pair *p, bool color) {
  const char *del_on = color ? "\033[31;9m" : "[-", *del_off = color ? "\033[0m" : "-]";
  const char *ins_on = color ? "\033[32;4m" : "{+", *ins_off = color ? "\033[0m" : "+}";
  for (size_t i = 0; i < p->n_edits; i++) {
    const cdx_edit *e = &p->edits[i];
    if (e->op == CDX_EDIT_EQUAL) {
      fwrite(p->b->text + e->b_start, 1, e->b_end - e->b_start, stdout);
    } else if (e->op == CDX_EDIT_DELETE) {
      fputs(del_on, stdout);
      fwrite(p->a->text + e->a_start, 1, e->a_end - e->a_start, stdout);
      fputs(del_off, stdout);
    } else {
      fputs(ins_on, stdout);
      fwrite(p->b->text + e->b_start, 1, e->b_end - e->b_start, stdout);
      fputs(ins_off, stdout);
    }
  }
}

static const char *const dept_sign[] = {"+", "-", "lead: "};

static void print_pair_text(const cdx_align_pair *p, const view *v) {
  const char *on = v->color ? rel_colour[p->relation] : "", *off = v->color ? "\033[0m" : "";
  printf("%s%-8s%s ", on, cdx_relation_name(p->relation), off);
  if (p->a) cli_print_unit_label(stdout, p->a);
  if (p->a && p->b) fputs(p->relation == CDX_REL_SAME ? "  =  " : "  ->  ", stdout);
  if (p->b) cli_print_unit_label(stdout, p->b);
  if (p->a && p->b) printf("  [%.2f]", p->similarity);
  if (p->group) printf("  (group %d)", p->group);
  putchar('\n');
  if (p->relation == CDX_REL_SAME) return;
  const cdx_hit *only = !p->a ? p->b : !p->b ? p->a : NULL;
  if (only) {
    fputs("    ", stdout);
    fwrite(only->text, 1, only->text_len, stdout);
    putchar('\n');
    return;
  }
  if (p->text_changed) {
    fputs("    ", stdout);
    print_edits(p, v->color);
    putchar('\n');
  }
  for (size_t i = 0; i < p->n_figures; i++) {
    const cdx_figure_change *f = &p->figures[i];
    printf("    figure: %s %s -> %s\n", f->context, f->a ? f->a : "(none)", f->b ? f->b : "(none)");
  }
  if (p->n_depts) {
    fputs("    responsible:", stdout);
    for (size_t i = 0; i < p->n_depts; i++)
      printf(" %s%s", dept_sign[p->depts[i].kind], p->depts[i].name);
    putchar('\n');
  }
}

static void md_cell_text(const char *s, size_t n) {
  for (size_t i = 0; i < n; i++) {
    if (s[i] == '|') fputs("\\|", stdout);
    else if (s[i] == '\n') fputs("<br>", stdout);
    else if (s[i] == '*' || s[i] == '~' || s[i] == '_' || s[i] == '\\') printf("\\%c", s[i]);
    else putchar(s[i]);
  }
}

static void md_cell_label(const cdx_hit *h) {
  if (!h) {
    fputs("—", stdout);
    return;
  }
  if (h->number) md_cell_text(h->number, strlen(h->number));
  if (h->heading) md_cell_text(h->heading, strlen(h->heading));
  else if (!h->number) printf("[%s]", cdx_unit_kind_name(h->kind));
}

static void print_pair_md(const cdx_align_pair *p) {
  printf("| %s | ", cdx_relation_name(p->relation));
  md_cell_label(p->a);
  fputs(" | ", stdout);
  md_cell_label(p->b);
  if (p->a && p->b) printf(" | %.2f | ", p->similarity);
  else fputs(" | | ", stdout);
  if (p->a && p->b && p->text_changed) {
    for (size_t i = 0; i < p->n_edits; i++) {
      const cdx_edit *e = &p->edits[i];
      if (e->op == CDX_EDIT_EQUAL) {
        md_cell_text(p->b->text + e->b_start, e->b_end - e->b_start);
        continue;
      }
      bool del = e->op == CDX_EDIT_DELETE;
      fputs(del ? "~~" : "**", stdout);
      if (del) md_cell_text(p->a->text + e->a_start, e->a_end - e->a_start);
      else md_cell_text(p->b->text + e->b_start, e->b_end - e->b_start);
      fputs(del ? "~~" : "**", stdout);
    }
  } else if (!p->a || !p->b) {
    const cdx_hit *h = p->a ? p->a : p->b;
    md_cell_text(h->text, h->text_len);
  }
  fputs(" | ", stdout);
  for (size_t i = 0; i < p->n_figures; i++) {
    const cdx_figure_change *f = &p->figures[i];
    if (i) fputs("<br>", stdout);
    md_cell_text(f->context, strlen(f->context));
    printf(" %s → %s", f->a ? f->a : "—", f->b ? f->b : "—");
  }
  fputs(" |\n", stdout);
}

static void doc_line(FILE *f, const char *side, const cdx_results *r) {
  const cdx_hit *h = cdx_results_get(r, 0);
  fprintf(f, "%s: %s", side, h->title && *h->title ? h->title : h->doc);
  if (h->jurisdiction) fprintf(f, " · %s", h->jurisdiction);
  fprintf(f, " · %s", cdx_status_name(h->status));
  if (h->edition) fprintf(f, " · %d", h->edition);
  if (h->doc_number) fprintf(f, " · %s", h->doc_number);
  fputc('\n', f);
}

static void doc_json(const char *key, const cdx_results *r) {
  const cdx_hit *h = cdx_results_get(r, 0);
  char *js = NULL;
  size_t n = 0;
  cdx_error err;
  printf("\"%s\":", key);
  if (cdx_hit_doc_to_json(h, &js, &n, &err) != CDX_OK) {
    fputs("null", stdout);
    return;
  }
  /* The document object, with its unit count added before the brace. */
  fwrite(js, 1, n - 1, stdout);
  printf(",\"unit_count\":%zu}", cdx_results_count(r));
  cdx_free(js);
}

static int print_alignment(const cdx_alignment *al, const view *v, bool stat) {
  const cdx_results *ra = cdx_alignment_side(al, 0), *rb = cdx_alignment_side(al, 1);
  size_t n = cdx_alignment_count(al);
  if (v->format == FMT_JSON) {
    putchar('{');
    fputs("\"type\":\"begin\",", stdout);
    doc_json("a", ra);
    putchar(',');
    doc_json("b", rb);
    puts("}");
  } else if (v->format == FMT_MD) {
    const cdx_hit *a = cdx_results_get(ra, 0), *b = cdx_results_get(rb, 0);
    printf("# 对照表\n\n- A：%s（%s）\n- B：%s（%s）\n\n", a->title, cdx_status_name(a->status),
           b->title, cdx_status_name(b->status));
    if (!stat)
      printf(
          "| 关系 | A | B | 相似度 | 修改 | 数字变化 |\n| --- | --- | --- | --- | --- | --- |\n");
  } else {
    doc_line(stdout, "A", ra);
    doc_line(stdout, "B", rb);
    putchar('\n');
  }
  for (size_t i = 0; i < n && !stat; i++) {
    const cdx_align_pair *p = cdx_alignment_get(al, i);
    if (v->filtered && !v->only[p->relation]) continue;
    if (v->format == FMT_JSON) {
      char *js = NULL;
      size_t jl = 0;
      cdx_error err;
      int rc = cdx_align_pair_to_json(p, &js, &jl, &err);
      int st = cli_json_line(rc, js, jl, &err);
      if (st != CLI_OK) return st;
    } else if (v->format == FMT_MD) {
      print_pair_md(p);
    } else {
      print_pair_text(p, v);
    }
  }
  if (v->format == FMT_JSON) {
    printf("{\"type\":\"summary\",\"pairs\":%zu,\"relations\":{", n);
    for (int r = 0; r < CDX_REL_COUNT; r++)
      printf("%s\"%s\":%zu", r ? "," : "", cdx_relation_name((cdx_relation)r),
             cdx_alignment_relation_count(al, (cdx_relation)r));
    puts("}}");
  } else {
    if (v->format == FMT_MD) putchar('\n');
    else if (!stat) putchar('\n');
    printf("%zu pairs:", n);
    bool first = true;
    for (int r = 0; r < CDX_REL_COUNT; r++) {
      size_t c = cdx_alignment_relation_count(al, (cdx_relation)r);
      if (!c) continue;
      printf("%s %zu %s", first ? "" : ",", c, cdx_relation_name((cdx_relation)r));
      first = false;
    }
    putchar('\n');
  }
  return CLI_OK;
}

int cmd_diff(int argc, char **argv) {
  struct args a = {0};
  int nd, status = cli_parse(&spec, argc, argv, &a, &nd);
  if (status != CLI_GO_ON) return status;
  view v = {0};
  if (a.only && parse_only(a.only, &v) != CLI_OK) return CLI_ERROR;
  if (a.json) v.format = FMT_JSON;
  if (a.format) v.format = a.format[0] == 't' ? FMT_TEXT : a.format[0] == 'j' ? FMT_JSON : FMT_MD;
  cli_json_mode = v.format == FMT_JSON;
  cdx_align_options opts = {.threshold = a.threshold};
  bool stat = a.stat, exit_code = a.exit_code;
  const char *docs[2] = {argv[1], argv[2]}, *dir = a.index;
  if (cli_color_parse(a.color, STDOUT_FILENO, &v.color) != CLI_OK) return CLI_ERROR;
  if (v.format != FMT_TEXT && !a.color) v.color = false;
  cdx_index *ix = NULL;
  if (cli_open_index(cli_search_index_dir(dir), &ix) != CLI_OK) return CLI_ERROR;
  cdx_error err;
  cdx_alignment *al = NULL;
  if (cdx_align_documents(ix, docs[0], docs[1], &opts, &al, &err) != CDX_OK) {
    status = cli_fail_err(&err);
  } else {
    status = print_alignment(al, &v, stat);
    size_t same = cdx_alignment_relation_count(al, CDX_REL_SAME);
    if (status == CLI_OK && exit_code && same == cdx_alignment_count(al)) status = CLI_NOMATCH;
  }
  if (fflush(stdout) != 0 && status != CLI_ERROR) status = cli_fail("writing the output failed");
  cdx_alignment_free(al);
  cdx_index_close(ix);
  return status;
}
