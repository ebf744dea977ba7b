/* fields.c - the copies of document and unit metadata between the struct
 * shapes it passes through: the corpus view (cdx_document_meta,
 * cdx_unit_view) -> the builder's input (cdx_ix_doc_in, cdx_ix_unit_in) ->
 * a segment's column rows (cdx_dcol, cdx_ucol, indexer/columns.h) -> the
 * reader's structs (cdx_ix_doc_fields, cdx_ix_unit_meta) -> the public
 * cdx_index_doc, and back to the builder's input when a merge rewrites a
 * document. One function per pair, so a new field is copied in one place
 * per hop instead of wherever a document is handled.
 */
#include <string.h>
#include "indexer/ix_internal.h"

#define CDX_COL_DESC_(lay, name, t, max, text) \
  {#name, #t, text, offsetof(struct lay, name), CDX_COL_WIDTH_##t, (uint64_t)(max)},
#define CDX_UCOL_DESC_(name, t, max, text) CDX_COL_DESC_(cdx_ucol_layout, name, t, max, text)
#define CDX_DCOL_DESC_(name, t, max, text) CDX_COL_DESC_(cdx_dcol_layout, name, t, max, text)
const cdx_col_desc cdx_ucol_desc[] = {CDX_UCOL_LIST(CDX_UCOL_DESC_)};
const cdx_col_desc cdx_dcol_desc[] = {CDX_DCOL_LIST(CDX_DCOL_DESC_)};
const size_t cdx_ucol_count = sizeof cdx_ucol_desc / sizeof cdx_ucol_desc[0];
const size_t cdx_dcol_count = sizeof cdx_dcol_desc / sizeof cdx_dcol_desc[0];

#define COPY_STRING_(name) to->name = from->name;

void cdx_ix_doc_in_from_meta(cdx_ix_doc_in *in, const char *id, const cdx_document_meta *m) {
  memset(in, 0, sizeof *in);
  in->id = id;
  in->title = m->title;
  in->jurisdiction = m->jurisdiction.name;
  in->doc_number = m->doc_number;
  in->issuer = m->issuer;
  in->policy_key = m->policy_key;
  in->jurisdiction_code = m->jurisdiction.code;
  in->date = m->date;
  in->status = m->status;
  in->status_class = m->status_class;
  in->edition = m->edition;
}

void cdx_ix_unit_in_from_view(cdx_ix_unit_in *u, const cdx_unit_view *v) {
  memset(u, 0, sizeof *u);
  u->kind = v->kind;
  u->chapter = v->chapter;
  u->ordinal = v->ordinal;
  u->number_value = v->number_value;
  u->number = v->number;
  u->heading = v->heading;
  u->lead_department = v->lead_department;
  u->n_responsible = v->n_responsible;
  u->responsible = v->responsible;
}

void cdx_dcol_from_doc(cdx_dcol *c, const cdx_ix_doc_in *d, uint32_t first_unit) {
  memset(c, 0, sizeof *c);
  c->jurisdiction_code = d->jurisdiction_code;
  c->date = d->date;
  c->first_unit = first_unit;
  c->n_units = (uint32_t)d->n_units;
  /* a year that does not fit is unknown rather than a wrong year */
  c->edition = (uint16_t)(d->edition < 0 || d->edition > 65535 ? 0 : d->edition);
  c->status = (uint8_t)d->status;
  c->status_class = (uint8_t)d->status_class;
  c->source_bytes = d->source_bytes;
}

void cdx_ucol_from_unit(cdx_ucol *c, const cdx_ix_unit_in *u, uint32_t doc, uint32_t length) {
  memset(c, 0, sizeof *c);
  c->doc = doc;
  c->length = length;
  c->ordinal = (uint32_t)u->ordinal;
  c->number_value = (int32_t)u->number_value;
  /* a chapter past the u16 range is kept as the last one */
  c->chapter = (uint16_t)(u->chapter < 0 ? 0 : u->chapter > 65535 ? 65535 : u->chapter);
  c->kind = (uint8_t)u->kind;
}

void cdx_dcol_to_fields(const cdx_dcol *c, cdx_ix_doc_fields *f) {
  f->jurisdiction_code = c->jurisdiction_code;
  f->date = c->date;
  f->first_unit = c->first_unit;
  f->n_units = c->n_units;
  f->edition = c->edition;
  f->status = (cdx_doc_status)c->status;
  f->status_class = (cdx_status_class)c->status_class;
  f->source_bytes = c->source_bytes;
}

void cdx_dcol_to_meta(const cdx_dcol *c, cdx_ix_unit_meta *m) {
  m->jurisdiction_code = c->jurisdiction_code;
  m->date = c->date;
  m->edition = c->edition;
  m->status = (cdx_doc_status)c->status;
  m->status_class = (cdx_status_class)c->status_class;
}

void cdx_ucol_to_meta(const cdx_ucol *c, cdx_ix_unit_meta *m) {
  m->doc = c->doc;
  m->length = c->length;
  m->ordinal = (int)c->ordinal;
  m->number_value = c->number_value;
  m->chapter = c->chapter;
  m->kind = (cdx_unit_kind)c->kind;
}

void cdx_ix_doc_in_from_fields(cdx_ix_doc_in *to, const cdx_ix_doc_fields *from) {
  memset(to, 0, sizeof *to);
  CDX_DOC_STRING_LIST(COPY_STRING_)
  to->jurisdiction_code = from->jurisdiction_code;
  to->date = from->date;
  to->status = from->status;
  to->status_class = from->status_class;
  to->edition = from->edition;
  to->source_bytes = from->source_bytes;
  to->n_units = from->n_units;
}

void cdx_ix_unit_in_from_meta(cdx_ix_unit_in *u, const cdx_ix_unit_meta *m) {
  u->kind = m->kind;
  u->chapter = m->chapter;
  u->ordinal = m->ordinal;
  u->number_value = m->number_value;
}

void cdx_index_doc_from_fields(cdx_index_doc *to, const cdx_ix_doc_fields *from) {
  memset(to, 0, sizeof *to);
  CDX_DOC_STRING_LIST(COPY_STRING_)
  to->jurisdiction_code = from->jurisdiction_code;
  to->date = from->date;
  to->status = from->status;
  to->edition = from->edition;
  to->units = from->n_units;
}
