/* report_render.c - the entries of a release report and their three
 * renderings: the terminal summary (one screen: at most TEXT_LINES lines of
 * entries, then how many more), Markdown (every entry) and one JSON object
 * (docs/FORMAT.md "Reports"). */
#define _POSIX_C_SOURCE 200809L /* gmtime_r */
#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "common/common.h"
#include "release/report_internal.h"

/* lines of entries in the terminal summary: with the head and the tail
 * line it stays within a 24-line terminal */
#define TEXT_LINES 20
/* changed figures shown per version in the summary (Markdown and JSON
 * have all) */
#define TEXT_FIGURES 3

static void doc_free(rep_doc *d) {
  free(d->id);
  free(d->title);
  free(d->doc_number);
}

static bool doc_copy(rep_doc *to, const cdx_index_doc *d) {
  memset(to, 0, sizeof *to);
  to->id = cdx_strdup_or_null(d->id);
  to->title = cdx_strdup_or_null(d->title);
  to->doc_number = cdx_strdup_or_null(d->doc_number);
  cdx_doc_short_id(d->id, to->short_id);
  to->status = d->status;
  to->edition = d->edition;
  if (!to->id || !to->title || (d->doc_number && !to->doc_number)) {
    doc_free(to);
    return false;
  }
  return true;
}

int rep_add_doc(rep_docs *to, const cdx_index_doc *d, cdx_error *err) {
  if (CDX_GROW(to->v, to->cap, to->n + 1, 8) != CDX_OK || !doc_copy(&to->v[to->n], d))
    return cdx_err_nomem(err, NULL);
  to->n++;
  return CDX_OK;
}

int rep_add_family(cdx_report *r, const char *key, const cdx_index_doc *first, cdx_error *err) {
  if (CDX_GROW(r->fams, r->cap_fams, r->n_fams + 1, 8) != CDX_OK) return cdx_err_nomem(err, NULL);
  rep_family *f = &r->fams[r->n_fams];
  memset(f, 0, sizeof *f);
  if (!(f->key = cdx_strdup_or_null(key))) return cdx_err_nomem(err, NULL);
  r->n_fams++;
  return rep_add_doc(&f->docs, first, err);
}

int rep_family_add_doc(cdx_report *r, const cdx_index_doc *d, cdx_error *err) {
  assert(r->n_fams > 0);
  return rep_add_doc(&r->fams[r->n_fams - 1].docs, d, err);
}

int rep_add_version(cdx_report *r, const char *family, const cdx_index_doc *pred,
                    const cdx_index_doc *d, rep_version **out, cdx_error *err) {
  if (CDX_GROW(r->vers, r->cap_vers, r->n_vers + 1, 8) != CDX_OK) return cdx_err_nomem(err, NULL);
  rep_version *v = &r->vers[r->n_vers];
  memset(v, 0, sizeof *v);
  if (!(v->family = cdx_strdup_or_null(family))) return cdx_err_nomem(err, NULL);
  if (!doc_copy(&v->doc, d)) {
    free(v->family);
    return cdx_err_nomem(err, NULL);
  }
  if (!doc_copy(&v->pred, pred)) {
    free(v->family);
    doc_free(&v->doc);
    return cdx_err_nomem(err, NULL);
  }
  v->kind = "version";
  r->n_vers++;
  *out = v;
  return CDX_OK;
}

int rep_version_add_figure(rep_version *v, const cdx_figure_change *f, cdx_error *err) {
  if (CDX_GROW(v->figs, v->cap_figs, v->n_figs + 1, 8) != CDX_OK) return cdx_err_nomem(err, NULL);
  rep_figure *g = &v->figs[v->n_figs];
  g->context = cdx_strdup_or_null(f->context ? f->context : "");
  g->a = cdx_strdup_or_null(f->a);
  g->b = cdx_strdup_or_null(f->b);
  if (!g->context || (f->a && !g->a) || (f->b && !g->b)) {
    free(g->context);
    free(g->a);
    free(g->b);
    return cdx_err_nomem(err, NULL);
  }
  v->n_figs++;
  return CDX_OK;
}

int rep_add_link(cdx_report *r, const cdx_link *l, cdx_error *err) {
  if (CDX_GROW(r->links, r->cap_links, r->n_links + 1, 8) != CDX_OK)
    return cdx_err_nomem(err, NULL);
  rep_link *k = &r->links[r->n_links];
  *k = (rep_link){cdx_strdup_or_null(l->from), cdx_strdup_or_null(l->to),
                  cdx_strdup_or_null(l->title), cdx_strdup_or_null(l->number), l->by_number};
  if (!k->from || !k->title || (l->to && !k->to) || (l->number && !k->number)) {
    free(k->from);
    free(k->to);
    free(k->title);
    free(k->number);
    return cdx_err_nomem(err, NULL);
  }
  r->n_links++;
  return CDX_OK;
}

int rep_add_inferred(cdx_report *r, const cdx_index_doc *d, const char *number, size_t sources,
                     cdx_error *err) {
  /* only what the batch brought: a number inferred through one of its links */
  bool mine = false;
  for (size_t i = 0; i < r->n_links && !mine; i++)
    mine = r->links[i].to && strcmp(r->links[i].to, d->id) == 0;
  if (!mine) return CDX_OK;
  if (CDX_GROW(r->inf, r->cap_inf, r->n_inf + 1, 8) != CDX_OK) return cdx_err_nomem(err, NULL);
  rep_inferred *in = &r->inf[r->n_inf];
  if (!doc_copy(&in->doc, d)) return cdx_err_nomem(err, NULL);
  if (!(in->number = cdx_strdup_or_null(number))) {
    doc_free(&in->doc);
    return cdx_err_nomem(err, NULL);
  }
  in->sources = sources;
  r->n_inf++;
  return CDX_OK;
}

static const char *base_name(const char *p) {
  const char *s = strrchr(p, '/');
  return s ? s + 1 : p;
}

/* ---- the three renderings ---- */

typedef struct out3 {
  int rc;
  cdx_buf json, md, text;
  size_t text_lines, text_skipped;
  size_t max_listed; /* entries listed per section (cdx_report.max_listed) */
  cdx_buf omitted;   /* the JSON "omitted" members: "section":count,... */
} out3;

/* How many of a section's n entries are listed: at most max_listed. The
 * rest are counted in the JSON's "omitted" (by key) and the summary's
 * "... N more"; the Markdown says so with section_end. */
static size_t listed(out3 *o, const char *key, size_t n) {
  if (n <= o->max_listed) return n;
  cdx_buf_printf(&o->rc, &o->omitted, "%s\"%s\":%zu", o->omitted.len ? "," : "", key,
                 n - o->max_listed);
  o->text_skipped += n - o->max_listed;
  return o->max_listed;
}
/* A section of n entries: its JSON array opened under key, its Markdown
 * heading (none when heading is NULL or the section empty); how many
 * entries to list, as listed. */
static size_t section_begin(out3 *o, const char *key, const char *heading, size_t n) {
  cdx_buf_printf(&o->rc, &o->json, ",\"%s\":[", key);
  if (heading && n) cdx_buf_printf(&o->rc, &o->md, "\n## %s\n\n", heading);
  return listed(o, key, n);
}
/* Closes the section's JSON array; the Markdown says what was not listed. */
static void section_end(out3 *o, size_t n, size_t shown) {
  if (n > shown)
    cdx_buf_printf(&o->rc, &o->md, "- ... and %zu more, not listed (clausedex families, docs)\n",
                   n - shown);
  cdx_buf_putc(&o->rc, &o->json, ']');
}

/* Room for an entry of `lines` lines; once one did not fit, none does
 * (entries keep their order). */
static bool text_room(out3 *o, size_t lines) {
  if (!o->text_skipped && o->text_lines + lines <= TEXT_LINES) {
    o->text_lines += lines;
    return true;
  }
  o->text_skipped++;
  return false;
}

static void json_doc(out3 *o, const rep_doc *d) {
  cdx_buf *b = &o->json;
  cdx_buf_puts(&o->rc, b, "{\"doc\":");
  cdx_json_cstr(&o->rc, b, d->id);
  cdx_buf_puts(&o->rc, b, ",\"short_id\":");
  cdx_json_cstr(&o->rc, b, d->short_id);
  cdx_buf_puts(&o->rc, b, ",\"title\":");
  cdx_json_cstr(&o->rc, b, d->title);
  cdx_buf_puts(&o->rc, b, ",\"status\":");
  cdx_json_cstr(&o->rc, b, cdx_status_name(d->status));
  cdx_buf_printf(&o->rc, b, ",\"edition\":%d,\"doc_number\":", d->edition);
  cdx_json_cstr(&o->rc, b, d->doc_number);
  cdx_buf_putc(&o->rc, b, '}');
}

/* "001_47623e8f539df050.txt (乐政发〔2025〕4号, final 2025)" */
static void human_doc(int *rc, cdx_buf *b, const rep_doc *d) {
  cdx_buf_printf(rc, b, "%s (%s, %s", base_name(d->id), d->doc_number ? d->doc_number : d->short_id,
                 cdx_status_name(d->status));
  if (d->edition) cdx_buf_printf(rc, b, " %d", d->edition);
  cdx_buf_putc(rc, b, ')');
}

static void both_doc(out3 *o, const rep_doc *d, bool text) {
  human_doc(&o->rc, &o->md, d);
  if (text) human_doc(&o->rc, &o->text, d);
}

static void counts(int *rc, cdx_buf *b, const rep_version *v) {
  if (v->not_compared) {
    cdx_buf_puts(rc, b,
                 "not compared (too many new versions in one batch; clausedex diff "
                 "compares any two)");
    return;
  }
  bool first = true;
  for (int r = 0; r < CDX_REL_COUNT; r++) {
    if (!v->rel[r]) continue;
    cdx_buf_printf(rc, b, "%s%zu %s", first ? "" : ", ", v->rel[r],
                   cdx_relation_name((cdx_relation)r));
    first = false;
  }
  if (first) cdx_buf_puts(rc, b, "no clauses");
}

static void figure(int *rc, cdx_buf *b, const rep_figure *f) {
  cdx_buf_printf(rc, b, "%s%s%s -> %s", f->context, *f->context ? " " : "", f->a ? f->a : "(none)",
                 f->b ? f->b : "(none)");
}

static void render_families(out3 *o, const cdx_report *r) {
  size_t shown = section_begin(o, "new_families", "New families", r->n_fams);
  for (size_t i = 0; i < shown; i++) {
    const rep_family *f = &r->fams[i];
    cdx_buf_printf(&o->rc, &o->json, "%s{\"family\":", i ? "," : "");
    cdx_json_cstr(&o->rc, &o->json, f->key);
    cdx_buf_puts(&o->rc, &o->json, ",\"documents\":[");
    bool t = text_room(o, 1 + f->docs.n);
    cdx_buf_printf(&o->rc, &o->md, "- `%s`: %s\n", f->key, f->docs.v[0].title);
    if (t) cdx_buf_printf(&o->rc, &o->text, "new family   %s: %s\n", f->key, f->docs.v[0].title);
    for (size_t k = 0; k < f->docs.n; k++) {
      if (k) cdx_buf_putc(&o->rc, &o->json, ',');
      json_doc(o, &f->docs.v[k]);
      cdx_buf_puts(&o->rc, &o->md, "  - ");
      if (t) cdx_buf_puts(&o->rc, &o->text, "             ");
      both_doc(o, &f->docs.v[k], t);
      cdx_buf_putc(&o->rc, &o->md, '\n');
      if (t) cdx_buf_putc(&o->rc, &o->text, '\n');
    }
    cdx_buf_puts(&o->rc, &o->json, "]}");
  }
  section_end(o, r->n_fams, shown);
}

static void render_versions(out3 *o, const cdx_report *r) {
  size_t shown = section_begin(o, "new_versions", "New versions", r->n_vers);
  for (size_t i = 0; i < shown; i++) {
    const rep_version *v = &r->vers[i];
    cdx_buf_printf(&o->rc, &o->json, "%s{\"family\":", i ? "," : "");
    cdx_json_cstr(&o->rc, &o->json, v->family);
    cdx_buf_puts(&o->rc, &o->json, ",\"document\":");
    json_doc(o, &v->doc);
    cdx_buf_puts(&o->rc, &o->json, ",\"predecessor\":");
    json_doc(o, &v->pred);
    cdx_json_member(&o->rc, &o->json, ",\"kind\":", v->kind);
    cdx_json_member(&o->rc, &o->json, ",\"transition\":", v->transition);
    cdx_buf_puts(&o->rc, &o->json, ",\"relations\":");
    if (v->has_counts) {
      cdx_buf_putc(&o->rc, &o->json, '{');
      for (int k = 0; k < CDX_REL_COUNT; k++)
        cdx_buf_printf(&o->rc, &o->json, "%s\"%s\":%zu", k ? "," : "",
                       cdx_relation_name((cdx_relation)k), v->rel[k]);
      cdx_buf_putc(&o->rc, &o->json, '}');
    } else {
      cdx_buf_puts(&o->rc, &o->json, "null");
    }
    cdx_buf_puts(&o->rc, &o->json, ",\"figures\":[");
    for (size_t k = 0; k < v->n_figs; k++) {
      cdx_json_member(&o->rc, &o->json, k ? ",{\"context\":" : "{\"context\":", v->figs[k].context);
      cdx_json_member(&o->rc, &o->json, ",\"a\":", v->figs[k].a);
      cdx_json_member(&o->rc, &o->json, ",\"b\":", v->figs[k].b);
      cdx_buf_putc(&o->rc, &o->json, '}');
    }
    cdx_buf_puts(&o->rc, &o->json, "]}");
    /* md: every figure; text: the first few */
    bool t = text_room(o, 2 + (v->n_figs < TEXT_FIGURES ? v->n_figs : TEXT_FIGURES));
    const char *what = strcmp(v->kind, "edition") == 0 ? "new edition"
                       : strcmp(v->kind, "stage") == 0 ? "new stage"
                                                       : "new version";
    cdx_buf_printf(&o->rc, &o->md, "- %s of `%s`: ", what, v->family);
    if (t) cdx_buf_printf(&o->rc, &o->text, "%-12s ", what);
    both_doc(o, &v->doc, t);
    cdx_buf_printf(&o->rc, &o->md, ", %s, after ", v->transition);
    if (t) cdx_buf_printf(&o->rc, &o->text, ": %s, after ", v->transition);
    both_doc(o, &v->pred, t);
    cdx_buf_puts(&o->rc, &o->md, "\n  - clauses: ");
    counts(&o->rc, &o->md, v);
    cdx_buf_putc(&o->rc, &o->md, '\n');
    if (t) {
      cdx_buf_puts(&o->rc, &o->text, "\n             clauses: ");
      counts(&o->rc, &o->text, v);
      cdx_buf_printf(&o->rc, &o->text, "; %zu figure(s) changed\n", v->n_figs);
    }
    for (size_t k = 0; k < v->n_figs; k++) {
      cdx_buf_puts(&o->rc, &o->md, "  - figure: ");
      figure(&o->rc, &o->md, &v->figs[k]);
      cdx_buf_putc(&o->rc, &o->md, '\n');
      if (t && k < TEXT_FIGURES) {
        cdx_buf_puts(&o->rc, &o->text, "             ");
        figure(&o->rc, &o->text, &v->figs[k]);
        cdx_buf_putc(&o->rc, &o->text, '\n');
      }
    }
  }
  section_end(o, r->n_vers, shown);
}

static void render_docs(out3 *o, const char *key, const char *heading, const char *label,
                        const rep_docs *d) {
  size_t shown = section_begin(o, key, heading, d->n);
  for (size_t i = 0; i < shown; i++) {
    if (i) cdx_buf_putc(&o->rc, &o->json, ',');
    json_doc(o, &d->v[i]);
    bool t = text_room(o, 1);
    cdx_buf_puts(&o->rc, &o->md, "- ");
    if (t) cdx_buf_printf(&o->rc, &o->text, "%-12s ", label);
    both_doc(o, &d->v[i], t);
    cdx_buf_printf(&o->rc, &o->md, ": %s\n", d->v[i].title);
    if (t) cdx_buf_printf(&o->rc, &o->text, ": %s\n", d->v[i].title);
  }
  section_end(o, d->n, shown);
}

static void render_links(out3 *o, const cdx_report *r) {
  size_t shown = section_begin(o, "links", "Links", r->n_links);
  for (size_t i = 0; i < shown; i++) {
    const rep_link *l = &r->links[i];
    cdx_json_member(&o->rc, &o->json, i ? ",{\"from\":" : "{\"from\":", l->from);
    cdx_json_member(&o->rc, &o->json, ",\"to\":", l->to);
    cdx_json_member(&o->rc, &o->json, ",\"title\":", l->title);
    cdx_json_member(&o->rc, &o->json, ",\"number\":", l->number);
    cdx_json_member(&o->rc, &o->json, ",\"resolved_by\":",
                    !l->to         ? NULL
                    : l->by_number ? "number"
                                   : "title");
    cdx_buf_putc(&o->rc, &o->json, '}');
    char line[1024];
    if (l->to)
      snprintf(line, sizeof line, "%s based on %s (《%s》%s%s, by %s)\n", base_name(l->from),
               base_name(l->to), l->title, l->number ? " " : "", l->number ? l->number : "",
               l->by_number ? "number" : "title");
    else
      snprintf(line, sizeof line, "%s cites 《%s》%s%s (not indexed)\n", base_name(l->from),
               l->title, l->number ? " " : "", l->number ? l->number : "");
    cdx_buf_printf(&o->rc, &o->md, "- %s", line);
    /* the summary shows resolved links only: unresolved ones are the many
     * national and provincial documents a county cites */
    if (l->to && text_room(o, 1)) cdx_buf_printf(&o->rc, &o->text, "link         %s", line);
  }
  section_end(o, r->n_links, shown);
  shown = section_begin(o, "inferred_numbers", NULL, r->n_inf);
  for (size_t i = 0; i < shown; i++) {
    const rep_inferred *in = &r->inf[i];
    cdx_buf_puts(&o->rc, &o->json, i ? ",{\"document\":" : "{\"document\":");
    json_doc(o, &in->doc);
    cdx_json_member(&o->rc, &o->json, ",\"number\":", in->number);
    cdx_buf_printf(&o->rc, &o->json, ",\"sources\":%zu}", in->sources);
    char line[512];
    snprintf(line, sizeof line, "%s: %s inferred from %zu citing document(s)\n",
             base_name(in->doc.id), in->number, in->sources);
    cdx_buf_printf(&o->rc, &o->md, "- %s", line);
    if (text_room(o, 1)) cdx_buf_printf(&o->rc, &o->text, "inferred 文号 %s", line);
  }
  section_end(o, r->n_inf, shown);
}

static int by_figures(const void *x, const void *y) {
  const rep_version *a = x, *b = y;
  if (a->n_figs != b->n_figs) return a->n_figs > b->n_figs ? -1 : 1;
  return strcmp(a->doc.id, b->doc.id);
}

int rep_finish(cdx_report *r, cdx_error *err) {
  if (r->n_vers > 1) qsort(r->vers, r->n_vers, sizeof *r->vers, by_figures);
  out3 o = {0};
  o.max_listed = r->max_listed;
  cdx_buf_init(&o.omitted);
  cdx_buf_init(&o.json);
  cdx_buf_init(&o.md);
  cdx_buf_init(&o.text);
  char when[32] = "unknown time";
  time_t t = (time_t)r->timestamp;
  struct tm tm;
  if (r->timestamp && gmtime_r(&t, &tm)) strftime(when, sizeof when, "%Y-%m-%d %H:%M UTC", &tm);
  char summary[256];
  if (cdx_report_empty(r)) snprintf(summary, sizeof summary, "no changes");
  else
    snprintf(summary, sizeof summary,
             "%zu new famil%s, %zu new version%s, %zu replaced, %zu deleted, %zu link%s", r->n_fams,
             r->n_fams == 1 ? "y" : "ies", r->n_vers, r->n_vers == 1 ? "" : "s", r->replaced.n,
             r->deleted.n, r->n_links, r->n_links == 1 ? "" : "s");
  cdx_buf_printf(
      &o.rc, &o.json,
      "{\"type\":\"report\",\"batch\":%llu,\"first_batch\":%llu,\"timestamp\":%llu,\"summary\":",
      (unsigned long long)r->batch, (unsigned long long)r->batch_from,
      (unsigned long long)r->timestamp);
  cdx_json_cstr(&o.rc, &o.json, summary);
  /* an `index` run that re-read a repaired file committed two batches */
  char batches[64];
  if (r->batch_from < r->batch)
    snprintf(batches, sizeof batches, "es %llu-%llu", (unsigned long long)r->batch_from,
             (unsigned long long)r->batch);
  else snprintf(batches, sizeof batches, " %llu", (unsigned long long)r->batch);
  cdx_buf_printf(&o.rc, &o.md, "# Batch%s (%s): %s\n", batches, when, summary);
  cdx_buf_printf(&o.rc, &o.text, "batch%s (%s): %s\n", batches, when, summary);
  render_families(&o, r);
  render_versions(&o, r);
  render_docs(&o, "replaced", "Replaced", "replaced", &r->replaced);
  render_docs(&o, "deleted", "Deleted", "deleted", &r->deleted);
  render_docs(&o, "ambiguous", "Placed alone (two families fit)", "ambiguous", &r->ambiguous);
  render_links(&o, r);
  if (o.omitted.len)
    cdx_buf_printf(&o.rc, &o.json, ",\"omitted\":{%.*s}", (int)o.omitted.len, o.omitted.data);
  cdx_buf_putc(&o.rc, &o.json, '}');
  if (o.text_skipped)
    cdx_buf_printf(&o.rc, &o.text, "... %zu more (clausedex index --report md, or clausedex log)\n",
                   o.text_skipped);
  r->json = o.rc == CDX_OK ? cdx_buf_detach(&o.json, NULL) : NULL;
  r->md = o.rc == CDX_OK ? cdx_buf_detach(&o.md, NULL) : NULL;
  r->text = o.rc == CDX_OK ? cdx_buf_detach(&o.text, NULL) : NULL;
  cdx_buf_free(&o.json);
  cdx_buf_free(&o.md);
  cdx_buf_free(&o.text);
  cdx_buf_free(&o.omitted);
  r->ambiguous_ids = malloc((r->ambiguous.n ? r->ambiguous.n : 1) * sizeof *r->ambiguous_ids);
  if (!r->json || !r->md || !r->text || !r->ambiguous_ids) return cdx_err_nomem(err, NULL);
  for (size_t i = 0; i < r->ambiguous.n; i++) r->ambiguous_ids[i] = r->ambiguous.v[i].id;
  return CDX_OK;
}

bool cdx_report_empty(const cdx_report *r) {
  return !r->n_fams && !r->n_vers && !r->replaced.n && !r->deleted.n;
}

size_t cdx_report_ambiguous(const cdx_report *r, const char *const **ids) {
  *ids = r->ambiguous_ids;
  return r->ambiguous.n;
}

int cdx_report_render(const cdx_report *r, cdx_report_format fmt, char **out, size_t *len,
                      cdx_error *err) {
  const char *s = fmt == CDX_REPORT_JSON ? r->json : fmt == CDX_REPORT_MD ? r->md : r->text;
  *out = cdx_strdup_or_null(s);
  if (!*out) return cdx_err_nomem(err, NULL);
  if (len) *len = strlen(s);
  return CDX_OK;
}

static void docs_free(rep_docs *d) {
  for (size_t i = 0; i < d->n; i++) doc_free(&d->v[i]);
  free(d->v);
}

void cdx_report_free(cdx_report *r) {
  if (!r) return;
  for (size_t i = 0; i < r->n_fams; i++) {
    free(r->fams[i].key);
    docs_free(&r->fams[i].docs);
  }
  free(r->fams);
  for (size_t i = 0; i < r->n_vers; i++) {
    rep_version *v = &r->vers[i];
    free(v->family);
    doc_free(&v->doc);
    doc_free(&v->pred);
    for (size_t k = 0; k < v->n_figs; k++) {
      free(v->figs[k].context);
      free(v->figs[k].a);
      free(v->figs[k].b);
    }
    free(v->figs);
  }
  free(r->vers);
  docs_free(&r->replaced);
  docs_free(&r->deleted);
  docs_free(&r->ambiguous);
  for (size_t i = 0; i < r->n_links; i++) {
    free(r->links[i].from);
    free(r->links[i].to);
    free(r->links[i].title);
    free(r->links[i].number);
  }
  free(r->links);
  for (size_t i = 0; i < r->n_inf; i++) {
    doc_free(&r->inf[i].doc);
    free(r->inf[i].number);
  }
  free(r->inf);
  free((void *)r->ambiguous_ids);
  free(r->json);
  free(r->md);
  free(r->text);
  free(r);
}
