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
#define CDX_UVAR_DESC_(name, text) {#name, text},
const cdx_uvar_desc cdx_uvar_descs[] = {CDX_UVAR_LIST(CDX_UVAR_DESC_)};

/* Fields with one name and meaning in every shape they appear in: each
 * copy below names the list instead of the fields. */
#define COPY_(name) to->name = from->name;
#define DOC_SCALARS_(X) X(date) X(status) X(status_class) X(edition)
#define UNIT_SCALARS_(X) X(kind) X(chapter) X(ordinal) X(number_value)

void cdx_ix_doc_in_from_meta(cdx_ix_doc_in *to, const char *id, const cdx_document_meta *from) {
  memset(to, 0, sizeof *to);
  to->id = id;
  to->title = from->title;
  to->jurisdiction = from->jurisdiction.name;
  to->jurisdiction_code = from->jurisdiction.code;
  COPY_(doc_number)
  COPY_(issuer)
  COPY_(policy_key)
  COPY_(family)
  DOC_SCALARS_(COPY_)
}

void cdx_ix_unit_in_from_view(cdx_ix_unit_in *to, const cdx_unit_view *from) {
  memset(to, 0, sizeof *to);
  UNIT_SCALARS_(COPY_)
  COPY_(number)
  COPY_(heading)
  COPY_(lead_department)
  COPY_(n_responsible)
  COPY_(responsible)
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

void cdx_dcol_to_fields(const cdx_dcol *from, cdx_ix_doc_fields *to) {
  DOC_SCALARS_(COPY_)
  COPY_(jurisdiction_code)
  COPY_(first_unit)
  COPY_(n_units)
  COPY_(source_bytes)
}

void cdx_dcol_to_meta(const cdx_dcol *from, cdx_ix_unit_meta *to) {
  DOC_SCALARS_(COPY_)
  COPY_(jurisdiction_code)
}

void cdx_ucol_to_meta(const cdx_ucol *from, cdx_ix_unit_meta *to) {
  UNIT_SCALARS_(COPY_)
  COPY_(doc)
  COPY_(length)
}

void cdx_ix_doc_in_from_fields(cdx_ix_doc_in *to, const cdx_ix_doc_fields *from) {
  memset(to, 0, sizeof *to);
  CDX_DOC_STRING_LIST(COPY_)
  DOC_SCALARS_(COPY_)
  COPY_(jurisdiction_code)
  COPY_(source_bytes)
  COPY_(n_units)
}

void cdx_ix_unit_in_from_meta(cdx_ix_unit_in *to, const cdx_ix_unit_meta *from) {
  UNIT_SCALARS_(COPY_)
}

void cdx_index_doc_from_fields(cdx_index_doc *to, const cdx_ix_doc_fields *from) {
  memset(to, 0, sizeof *to);
  CDX_DOC_STRING_LIST(COPY_)
  COPY_(jurisdiction_code)
  COPY_(date)
  COPY_(status)
  COPY_(edition)
  to->units = from->n_units;
}
