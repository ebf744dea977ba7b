/*
 * The public document object: runs the stages of corpus.h in order and owns
 * everything the views hand out (one pool per document).
 */
#define _POSIX_C_SOURCE 200809L /* strdup, strndup */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "clausedex/search.h"
#include "corpus/corpus.h"
#include "facts/depts.h"
#include "facts/figures.h"

struct cdx_document {
  cdx_pool pool;
  char *source;
  char *text;
  size_t text_len;
  cdx_meta_work w;
  cdx_unit_view *units;
  size_t n_units;
};

void cdx_document_free(cdx_document *doc) {
  if (!doc) return;
  cdx_pool_free(&doc->pool);
  free(doc);
}

const cdx_document_meta *cdx_document_get_meta(const cdx_document *doc) { return &doc->w.meta; }
const char *cdx_document_get_source(const cdx_document *doc) { return doc->source; }
const char *cdx_document_get_text(const cdx_document *doc, size_t *len) {
  if (len) *len = doc->text_len;
  return doc->text;
}
size_t cdx_document_unit_count(const cdx_document *doc) { return doc->n_units; }
const cdx_unit_view *cdx_document_get_unit(const cdx_document *doc, size_t i) {
  return i < doc->n_units ? &doc->units[i] : NULL;
}

const char *cdx_status_name(cdx_doc_status status) {
  switch (status) {
    case CDX_STATUS_DRAFT_FOR_APPROVAL: return "送审稿";
    case CDX_STATUS_DRAFT_FOR_COMMENT: return "征求意见稿";
    default: return "final";
  }
}

const char *cdx_status_class_name(cdx_status_class cls) {
  return cls == CDX_CLASS_DRAFT ? "draft" : "final";
}

const char *cdx_unit_kind_name(cdx_unit_kind kind) {
  switch (kind) {
    case CDX_UNIT_PREAMBLE: return "preamble";
    case CDX_UNIT_CHAPTER: return "chapter";
    case CDX_UNIT_CLAUSE: return "clause";
    case CDX_UNIT_CLOSING: return "closing";
  }
  return "unknown";
}

static int add_warning(cdx_pool *pool, char ***warnings, size_t *n, const char *msg) {
  char **w = realloc(*warnings, (*n + 1) * sizeof *w);
  if (!w) return CDX_NOMEM;
  *warnings = w;
  if (!(w[*n] = cdx_pool_strdup(pool, msg))) return CDX_NOMEM;
  (*n)++;
  return CDX_OK;
}

int cdx_corpus_document_new(const char *source, cdx_pool *pool, char *text, size_t len,
                            cdx_meta_work *w, cdx_unit_view *units, size_t n_units, char **warnings,
                            size_t n_warnings, cdx_document **out, cdx_error *err) {
  cdx_document *d = calloc(1, sizeof *d);
  if (!d) goto nomem;
  d->pool = *pool;
  memset(pool, 0, sizeof *pool);
  d->source = cdx_pool_strdup(&d->pool, source);
  if (!d->source) goto nomem_doc;
  d->text = text;
  d->text_len = len;
  d->w = *w;
  d->w.meta.parents = d->w.parents;
  d->units = units;
  d->n_units = n_units;
  d->w.meta.n_warnings = n_warnings;
  d->w.meta.warnings = (const char *const *)warnings;
  *out = d;
  return CDX_OK;
nomem_doc:
  cdx_document_free(d); /* and the pool it took over */
  return cdx_err_set(err, CDX_NOMEM, CDX_NO_OFFSET, "%s: out of memory", source);
nomem:
  cdx_pool_free(pool);
  return cdx_err_set(err, CDX_NOMEM, CDX_NO_OFFSET, "%s: out of memory", source);
}

static int apply_overrides(cdx_pool *pool, cdx_meta_work *w, const cdx_meta_overrides *ov,
                           cdx_error *err) {
  if (!ov) return CDX_OK;
  const struct {
    const char *key, *val, *flag;
  } f[] = {{"title", ov->title, "--title"},    {"jurisdiction", ov->jurisdiction, "--jurisdiction"},
           {"status", ov->status, "--status"}, {"edition", ov->edition, "--edition"},
           {"date", ov->date, "--date"},       {"doc_number", ov->doc_number, "--doc-number"},
           {"issuer", ov->issuer, "--issuer"}, {"family", ov->family, "--family"}};
  for (size_t i = 0; i < sizeof f / sizeof f[0]; i++) {
    if (!f[i].val) continue;
    int rc = cdx_corpus_apply_override(pool, w, f[i].key, f[i].val, f[i].flag, err);
    if (rc != CDX_OK) return rc;
  }
  return CDX_OK;
}

/* Appends one closing unit per line of text[from, len) to *units (pool). */
static int add_closing_after(cdx_pool *pool, const char *text, size_t len, size_t from,
                             cdx_unit_view **units, size_t *n_units) {
  size_t extra = 0;
  for (size_t p = from; p < len; p++) extra += text[p] == '\n';
  extra++;
  cdx_unit_view *u = cdx_pool_calloc(pool, *n_units + extra, sizeof *u);
  if (!u) return CDX_NOMEM;
  if (*n_units) memcpy(u, *units, *n_units * sizeof *u);
  size_t n = *n_units;
  int chapter = n ? u[n - 1].chapter : 0;
  for (size_t p = from; p < len;) {
    const char *e = memchr(text + p, '\n', len - p);
    size_t end = e ? (size_t)(e - text) : len;
    if (end > p) {
      u[n] = (cdx_unit_view){
          .kind = CDX_UNIT_CLOSING, .chapter = chapter, .ordinal = (int)n, .start = p, .end = end};
      n++;
    }
    p = end + 1;
  }
  *units = u;
  *n_units = n;
  return CDX_OK;
}

/* How decoded offsets map to the source bytes: a UTF-8 source differs from
 * its decoded text only by a BOM and the CR of each CRLF (a lone CR became
 * LF, same length); for other encodings there is no byte map. */
typedef struct src_map {
  bool utf8;
  size_t bom;
  size_t *lf; /* decoded offsets of the LFs that lost their CR, ascending (pool) */
  size_t n_lf;
} src_map;

static int src_map_init(src_map *m, cdx_pool *pool, const char *bytes, size_t len,
                        const char *enc) {
  memset(m, 0, sizeof *m);
  if (strcmp(enc, "UTF-8") != 0) return CDX_OK;
  m->utf8 = true;
  m->bom = len >= 3 && memcmp(bytes, "\xef\xbb\xbf", 3) == 0 ? 3 : 0;
  const char *cr = memchr(bytes + m->bom, '\r', len - m->bom);
  if (!cr) return CDX_OK; /* nearly every file: one memchr */
  size_t n = 0;
  for (const char *p = cr; p; p = memchr(p + 1, '\r', (size_t)(bytes + len - p - 1))) n++;
  if (!(m->lf = cdx_pool_calloc(pool, n, sizeof *m->lf))) return CDX_NOMEM;
  size_t d = 0;
  for (size_t i = m->bom; i < len; i++) {
    if (bytes[i] == '\r' && i + 1 < len && bytes[i + 1] == '\n') {
      m->lf[m->n_lf++] = d; /* the LF after it is decoded offset d */
      continue;
    }
    d++;
  }
  return CDX_OK;
}

/* Source offset of decoded offset off; SIZE_MAX without a byte map. An
 * offset at an LF that lost its CR points at the CR. */
static size_t source_offset(const src_map *m, size_t off) {
  if (!m->utf8) return SIZE_MAX;
  size_t lo = 0, hi = m->n_lf; /* CRs before off: LFs at decoded offsets < off */
  while (lo < hi) {
    size_t mid = (lo + hi) / 2;
    if (m->lf[mid] < off) lo = mid + 1;
    else hi = mid;
  }
  return m->bom + off + lo;
}

/* Offset in the decoded text of offset off in the repaired text; inside a
 * repaired span, its start (or its end, for an end offset). */
static size_t decoded_offset(const size_t (*rmap)[3], size_t n, size_t off, bool end) {
  size_t shift_in = 0, shift_out = 0; /* bytes before the span in both texts */
  for (size_t i = 0; i < n; i++) {
    size_t rs = rmap[i][0] - shift_in + shift_out; /* the span in the repaired text */
    size_t re = rs + rmap[i][2];
    if (off <= rs) break;
    if (off < re) return end ? rmap[i][1] : rmap[i][0];
    shift_in = rmap[i][1];
    shift_out = re;
  }
  return off - shift_out + shift_in;
}

/* A clean-text offset as a source offset: through the cleaning's line map,
 * the repaired spans and the decoding (source_offset; for other encodings
 * the offset in the decoded UTF-8 text). */
static size_t source_of(const src_map *sm, const cdx_clean_map *cmap, const size_t (*rmap)[3],
                        size_t n_spans, size_t off, bool end) {
  size_t r = cdx_clean_map_source(cmap, off, end);
  size_t d = decoded_offset(rmap, n_spans, r, end);
  size_t s = source_offset(sm, d);
  return s == SIZE_MAX ? d : s;
}

/* One warning per repaired span: where it is in the source, what stood
 * there, what replaced it and how sure the repair is. */
static int repair_warnings(cdx_pool *pool, char ***warnings, size_t *n_warnings, const src_map *sm,
                           const char *enc, const char *decoded, const cdx_repair_span *spans,
                           size_t n) {
  for (size_t i = 0; i < n; i++) {
    const cdx_repair_span *sp = &spans[i];
    cdx_buf b;
    cdx_buf_init(&b);
    int rc = CDX_OK;
    size_t s0 = source_offset(sm, sp->start);
    size_t s1 = source_offset(sm, sp->end);
    if (s0 != SIZE_MAX) cdx_buf_printf(&rc, &b, "mojibake at source bytes %zu-%zu: ", s0, s1);
    else
      cdx_buf_printf(&rc, &b, "mojibake at bytes %zu-%zu of the text decoded from %s: ", sp->start,
                     sp->end, enc);
    cdx_json_str(&rc, &b, decoded + sp->start, sp->end - sp->start);
    cdx_buf_puts(&rc, &b, " -> ");
    cdx_json_str(&rc, &b, sp->repair, sp->repair_len);
    if (sp->n_chosen)
      cdx_buf_printf(&rc, &b,
                     "; %zu character(s) chosen by the model for lost bytes, confidence %.2f",
                     sp->n_chosen, sp->confidence);
    else if (!sp->n_lost) cdx_buf_puts(&rc, &b, "; certain"); /* no byte was lost */
    if (sp->n_lost)
      cdx_buf_printf(&rc, &b, "; %zu character(s) unrecoverable, left as U+FFFD", sp->n_lost);
    cdx_buf_str(&rc, &b);
    if (rc == CDX_OK) rc = add_warning(pool, warnings, n_warnings, b.data);
    cdx_buf_free(&b);
    if (rc != CDX_OK) return rc;
  }
  return CDX_OK;
}

static int read_common(const char *name, const void *bytes, size_t len, const char *sidecar_path,
                       const char *sidecar, size_t sidecar_len, const cdx_meta_overrides *ov,
                       cdx_document **out, cdx_error *err) {
  cdx_pool pool = {0};
  cdx_clean_hints hints = {0};
  char **warnings = NULL;
  size_t n_warnings = 0;
  char *decoded = NULL, *repaired = NULL, *clean = NULL, *warn = NULL;
  size_t dlen = 0, rlen = 0, clen = 0, ninf = 0, n_units = 0, n_spans = 0;
  cdx_repair_span *spans = NULL;
  cdx_clean_map cmap = {NULL, 0, 0};
  const char *enc = NULL;
  cdx_unit_view *units = NULL;
  cdx_meta_work w;
  char msg[300];
  int rc;
  *out = NULL;
  memset(&w, 0, sizeof w);

  rc = cdx_corpus_decode(name, bytes, len, &decoded, &dlen, &enc, &warn, err);
  if (rc != CDX_OK) return rc;
  if (warn) {
    rc = add_warning(&pool, &warnings, &n_warnings, warn);
    free(warn);
    if (rc != CDX_OK) goto nomem;
  }
  size_t n_unsearched = 0;
  rc = cdx_corpus_repair(decoded, dlen, ov ? ov->repair_evidence : NULL, &repaired, &rlen, &spans,
                         &n_spans, &n_unsearched, err);
  if (rc != CDX_OK) {
    free(decoded);
    goto fail;
  }
  if (n_unsearched) {
    snprintf(msg, sizeof msg,
             "mojibake repair stopped: %zu line(s) that look damaged left as they are "
             "(too much to search)",
             n_unsearched);
    if (add_warning(&pool, &warnings, &n_warnings, msg) != CDX_OK) {
      cdx_repair_spans_free(spans, n_spans);
      free(decoded);
      free(repaired);
      goto nomem;
    }
  }
  src_map sm;
  rc = src_map_init(&sm, &pool, bytes, len, enc);
  if (rc == CDX_OK)
    rc = repair_warnings(&pool, &warnings, &n_warnings, &sm, enc, decoded, spans, n_spans);
  /* where the spans were, for mapping units back to the source */
  size_t(*rmap)[3] = NULL;
  if (rc == CDX_OK && n_spans && !(rmap = cdx_pool_calloc(&pool, n_spans, sizeof *rmap)))
    rc = CDX_NOMEM;
  for (size_t i = 0; rc == CDX_OK && i < n_spans; i++) {
    rmap[i][0] = spans[i].start;
    rmap[i][1] = spans[i].end;
    rmap[i][2] = spans[i].repair_len;
  }
  cdx_repair_spans_free(spans, n_spans);
  if (repaired) {
    free(decoded);
  } else { /* nothing repaired: the decoded text goes on as it is */
    repaired = decoded;
    rlen = dlen;
  }
  if (rc != CDX_OK) {
    free(repaired);
    goto nomem;
  }
  rc = cdx_corpus_clean(repaired, rlen, &clean, &clen, &hints, &cmap, err);
  free(repaired);
  if (rc != CDX_OK) goto fail;
  if (cmap.lines && !cdx_pool_keep(&pool, cmap.lines)) {
    free(clean);
    goto nomem;
  }
  if (!cdx_pool_keep(&pool, clean)) goto nomem;
  if (clen == 0) {
    rc = cdx_err_set(err, CDX_BADINPUT, CDX_NO_OFFSET, "%s: no content left after cleaning", name);
    goto fail;
  }
  rc = cdx_corpus_detect_meta(&pool, clean, clen, &hints, &w, err);
  if (rc != CDX_OK) goto fail;
  size_t body_end = w.block.body_end > w.block.body_start ? w.block.body_end : clen;
  rc = cdx_corpus_structure(&pool, clean, body_end, w.block.body_start, &units, &n_units, &ninf,
                            err);
  if (rc != CDX_OK) goto fail;
  if (rc == CDX_OK && w.block.body_end > w.block.body_start && w.block.after_signature < clen) {
    /* policy text after the signature (a 本政策自…施行 line under the date)
     * is still searchable: one closing unit per paragraph */
    rc = add_closing_after(&pool, clean, clen, w.block.after_signature, &units, &n_units);
    if (rc != CDX_OK) goto nomem;
  }
  if (n_units == 0 && clen > 0) {
    /* nothing but a title block: the text is still searchable, as one unit */
    units = cdx_pool_calloc(&pool, 1, sizeof *units);
    if (!units) goto nomem;
    units[0] = (cdx_unit_view){.kind = CDX_UNIT_PREAMBLE, .start = 0, .end = clen};
    n_units = 1;
  }
  for (size_t i = 0; i < n_units; i++) {
    units[i].source_start = source_of(&sm, &cmap, rmap, n_spans, units[i].start, false);
    units[i].source_end = source_of(&sm, &cmap, rmap, n_spans, units[i].end, true);
  }
  if (ninf) {
    snprintf(msg, sizeof msg, "%zu clause number(s) destroyed, inferred from sequence", ninf);
    if (add_warning(&pool, &warnings, &n_warnings, msg) != CDX_OK) goto nomem;
  }
  if (sidecar) {
    rc = cdx_corpus_apply_sidecar(&pool, &w, sidecar_path, sidecar, sidecar_len, err);
    if (rc != CDX_OK) goto fail;
  }
  rc = apply_overrides(&pool, &w, ov, err);
  if (rc != CDX_OK) goto fail;
  w.title_stem = NULL;
  if (cdx_corpus_policy_key(&pool, &w) != CDX_OK) goto nomem;
  if (warnings && !cdx_pool_keep(&pool, warnings)) {
    warnings = NULL;
    goto nomem;
  }
  cdx_clean_hints_free(&hints);
  return cdx_corpus_document_new(name, &pool, clean, clen, &w, units, n_units, warnings, n_warnings,
                                 out, err);
nomem:
  rc = cdx_err_set(err, CDX_NOMEM, CDX_NO_OFFSET, "%s: out of memory", name);
fail:
  if (warnings && (!pool.n || pool.items[pool.n - 1] != warnings)) free(warnings);
  cdx_clean_hints_free(&hints);
  cdx_pool_free(&pool);
  return rc;
}

int cdx_document_read_buffer(const char *name, const void *bytes, size_t len,
                             const cdx_meta_overrides *ov, cdx_document **out, cdx_error *err) {
  if (!out) return cdx_err_set(err, CDX_INVALID, CDX_NO_OFFSET, "out is NULL");
  *out = NULL;
  if (!name) name = "(buffer)";
  if (!bytes && len) return cdx_err_set(err, CDX_INVALID, CDX_NO_OFFSET, "%s: NULL bytes", name);
  return read_common(name, bytes ? bytes : "", len, NULL, NULL, 0, ov, out, err);
}

int cdx_document_read_file(const char *path, const cdx_meta_overrides *ov, cdx_document **out,
                           cdx_error *err) {
  if (!out || !path) return cdx_err_set(err, CDX_INVALID, CDX_NO_OFFSET, "path or out is NULL");
  *out = NULL;
  struct stat st;
  if (stat(path, &st) == 0 && S_ISDIR(st.st_mode))
    return cdx_err_set(err, CDX_BADINPUT, CDX_NO_OFFSET, "%s: is a directory", path);
  char *data = NULL, *side = NULL;
  size_t len = 0, side_len = 0;
  int rc = cdx_read_file(path, &data, &len, err);
  if (rc != CDX_OK) return rc;
  char *side_path;
  rc = cdx_document_sidecar_path(path, &side_path, err);
  if (rc != CDX_OK) {
    free(data);
    return rc;
  }
  cdx_error serr;
  rc = cdx_read_file(side_path, &side, &side_len, &serr);
  if (rc == CDX_NOTFOUND) {
    side = NULL;
  } else if (rc != CDX_OK) {
    if (err) *err = serr;
    free(data);
    free(side_path);
    return rc;
  }
  rc = read_common(path, data, len, side_path, side, side_len, ov, out, err);
  free(data);
  free(side);
  free(side_path);
  return rc;
}

/* ---- JSON ---- */

static const char *place_level(const cdx_place *p) {
  static const char *const levels[] = {"unknown", "province", "prefecture", "county"};
  return levels[(unsigned)p->level < 4 ? p->level : 0];
}

static void place_json(int *rc, cdx_buf *b, const cdx_place *p) {
  cdx_json_member(rc, b, "{\"name\":", p->name);
  cdx_buf_printf(rc, b, ",\"code\":%u,\"level\":\"%s\"}", (unsigned)p->code, place_level(p));
}

/* names[0..n) as departments of a unit, canonical for the document's
 * places (as the indexer stores them; docs/FACTS.md, "Roles"). */
static void unit_depts_json(int *rc, cdx_buf *b, const cdx_document_meta *m,
                            const char *const *names, size_t n, unsigned roles_first,
                            unsigned roles, bool *first) {
  const char *places[CDX_DEPT_PLACES_MAX];
  size_t np = 0;
  if (m->jurisdiction.name) places[np++] = m->jurisdiction.name;
  for (size_t i = 0; i < m->n_parents && np < CDX_DEPT_PLACES_MAX; i++)
    if (m->parents[i].name) places[np++] = m->parents[i].name;
  for (size_t i = 0; i < n; i++) {
    char canon[2 * CDX_DEPT_NAME_MAX + 2];
    cdx_error e;
    if (cdx_dept_canonical(cdx_dept_table_builtin(), places, np, names[i], strlen(names[i]), canon,
                           sizeof canon, NULL, &e) != CDX_OK)
      snprintf(canon, sizeof canon, "%s", names[i]);
    if (!*first) cdx_buf_putc(rc, b, ',');
    *first = false;
    cdx_dept_json(rc, b, names[i], canon, roles | (i == 0 ? roles_first : 0));
  }
}

/* The figures of a unit's text (docs/FACTS.md), as the indexer stores them. */
static void unit_figures_json(int *rc, cdx_buf *b, const char *text, size_t len) {
  cdx_figure *f = NULL;
  size_t n = 0;
  cdx_error e;
  if (cdx_figures_extract(text, len, &f, &n, &e) != CDX_OK) return; /* the text is UTF-8 */
  for (size_t i = 0; i < n; i++) {
    if (i) cdx_buf_putc(rc, b, ',');
    cdx_figure_json(rc, b, cdx_figure_type_name(f[i].type), cdx_figure_qual_name(f[i].qual),
                    f[i].lo, f[i].hi, f[i].unit, f[i].kind, f[i].start, f[i].end, text, -1);
  }
  free(f);
}

int cdx_document_to_json(const cdx_document *doc, char **out, size_t *out_len, cdx_error *err) {
  const cdx_document_meta *m = &doc->w.meta;
  cdx_buf b;
  cdx_buf_init(&b);
  int rc = CDX_OK;
  /* the document fields as search and docs spell them (docs/JSON.md) */
  cdx_json_member(&rc, &b, "{\"type\":\"document\",\"doc\":", doc->source);
  cdx_json_member(&rc, &b, ",\"title\":", m->title);
  cdx_json_member(&rc, &b, ",\"jurisdiction\":", m->jurisdiction.name);
  if (m->jurisdiction.code)
    cdx_buf_printf(&rc, &b, ",\"jurisdiction_code\":%u", (unsigned)m->jurisdiction.code);
  else cdx_buf_puts(&rc, &b, ",\"jurisdiction_code\":null");
  cdx_buf_printf(&rc, &b, ",\"jurisdiction_level\":\"%s\",\"parents\":[",
                 place_level(&m->jurisdiction));
  for (size_t i = 0; i < m->n_parents; i++) {
    if (i) cdx_buf_putc(&rc, &b, ',');
    place_json(&rc, &b, &m->parents[i]);
  }
  cdx_json_member(&rc, &b, "],\"status\":", cdx_status_name(m->status));
  cdx_json_member(&rc, &b, ",\"status_class\":", cdx_status_class_name(m->status_class));
  if (m->edition) cdx_buf_printf(&rc, &b, ",\"edition\":%d", m->edition);
  else cdx_buf_puts(&rc, &b, ",\"edition\":null");
  cdx_buf_puts(&rc, &b, ",\"date\":");
  if (m->date)
    cdx_buf_printf(&rc, &b, "\"%04u-%02u-%02u\"", (unsigned)(m->date / 10000),
                   (unsigned)(m->date / 100 % 100), (unsigned)(m->date % 100));
  else cdx_buf_puts(&rc, &b, "null");
  cdx_json_member(&rc, &b, ",\"doc_number\":", m->doc_number);
  cdx_json_member(&rc, &b, ",\"issuer\":", m->issuer);
  cdx_json_member(&rc, &b, ",\"policy_key\":", m->policy_key);
  cdx_json_member(&rc, &b, ",\"family\":", m->family);
  cdx_buf_puts(&rc, &b, ",\"warnings\":[");
  for (size_t i = 0; i < m->n_warnings; i++) {
    if (i) cdx_buf_putc(&rc, &b, ',');
    cdx_json_cstr(&rc, &b, m->warnings[i]);
  }
  cdx_buf_puts(&rc, &b, "],\"units\":[");
  const cdx_unit_view *chapter = NULL; /* the chapter unit of the units that follow */
  for (size_t i = 0; i < doc->n_units; i++) {
    const cdx_unit_view *u = &doc->units[i];
    if (i) cdx_buf_putc(&rc, &b, ',');
    cdx_json_member(&rc, &b, "{\"kind\":", cdx_unit_kind_name(u->kind));
    cdx_buf_printf(&rc, &b, ",\"chapter\":%d,\"number\":", u->chapter);
    cdx_json_cstr(&rc, &b, u->number);
    cdx_buf_printf(&rc, &b, ",\"number_value\":%d,\"ordinal\":%d,\"heading\":", u->number_value,
                   u->ordinal);
    cdx_json_cstr(&rc, &b, u->heading);
    cdx_json_member(&rc, &b, ",\"chapter_lead\":", u->lead_department);
    cdx_buf_puts(&rc, &b, ",\"departments\":[");
    for (size_t k = 0; k < u->n_responsible; k++) {
      if (k) cdx_buf_putc(&rc, &b, ',');
      cdx_json_cstr(&rc, &b, u->responsible[k]);
    }
    cdx_buf_puts(&rc, &b, "],\"lead_departments\":[");
    for (size_t k = 0; k < u->n_lead_departments; k++) {
      if (k) cdx_buf_putc(&rc, &b, ',');
      cdx_json_cstr(&rc, &b, u->lead_departments[k]);
    }
    cdx_buf_puts(&rc, &b, "],\"shared_responsible\":[");
    for (size_t k = 0; k < u->n_shared_responsible; k++) {
      if (k) cdx_buf_putc(&rc, &b, ',');
      cdx_json_cstr(&rc, &b, u->shared_responsible[k]);
    }
    if (u->kind == CDX_UNIT_CHAPTER) chapter = u;
    else if (chapter && chapter->chapter != u->chapter) chapter = NULL;
    cdx_buf_puts(&rc, &b, "],\"depts\":[");
    bool first = true;
    unit_depts_json(&rc, &b, m, u->responsible, u->n_responsible, CDX_ROLE_LEAD, CDX_ROLE_LISTED,
                    &first);
    if (chapter)
      unit_depts_json(&rc, &b, m, chapter->lead_departments, chapter->n_lead_departments, 0,
                      CDX_ROLE_CHAPTER_LEAD, &first);
    unit_depts_json(&rc, &b, m, u->shared_responsible, u->n_shared_responsible, 0, CDX_ROLE_SHARED,
                    &first);
    cdx_buf_puts(&rc, &b, "],\"figures\":[");
    unit_figures_json(&rc, &b, doc->text + u->start, u->end - u->start);
    cdx_buf_puts(&rc, &b, "],\"text\":");
    cdx_json_str(&rc, &b, doc->text + u->start, u->end - u->start);
    cdx_buf_printf(&rc, &b, ",\"start\":%zu,\"end\":%zu,\"source_start\":%zu,\"source_end\":%zu}",
                   u->start, u->end, u->source_start, u->source_end);
  }
  cdx_buf_puts(&rc, &b, "]}");
  cdx_buf_str(&rc, &b);
  if (rc != CDX_OK) {
    cdx_buf_free(&b);
    return cdx_err_set(err, rc, CDX_NO_OFFSET, "%s: JSON output: out of memory", doc->source);
  }
  *out = cdx_buf_detach(&b, out_len);
  return CDX_OK;
}
