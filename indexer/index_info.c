/* index_info.c - statistics and the document listing of an open index
 * (`clausedex stats` and `clausedex docs`). */
#include <stdlib.h>
#include <string.h>
#include "families/families.h"
#include "indexer/ix_internal.h"

void cdx_index_get_commit(const cdx_index *ix, cdx_index_commit *out) {
  out->generation = ix->man.generation;
  out->batch = ix->man.batch;
  out->timestamp = ix->man.timestamp;
}

void cdx_index_get_stats(const cdx_index *ix, cdx_index_stats *st) {
  memset(st, 0, sizeof *st);
  st->documents = ix->live_docs;
  st->units = ix->live_units;
  st->segments = ix->n_segs;
  for (size_t i = 0; i < ix->n_segs; i++) {
    const cdx_seg *s = &ix->segs[i].seg;
    st->deleted_units += s->n_units;
    st->terms += s->n_terms;
    st->postings += s->n_postings;
    st->positions += s->n_positions;
    st->text_bytes += s->text_bytes;
    st->bytes_total += s->size;
    st->bytes_dictionary += s->r[CDX_R_DICT].len + s->r[CDX_R_DICTIDX].len;
    st->bytes_postings += s->r[CDX_R_POST].len;
    st->bytes_positions += s->r[CDX_R_POS].len;
    st->bytes_columns += s->r[CDX_R_UCOLS].len + s->r[CDX_R_DCOLS].len;
    st->bytes_stored += s->r[CDX_R_STORE].len + s->r[CDX_R_STOREIDX].len + s->r[CDX_R_DOCS].len +
                        s->r[CDX_R_DOCIDX].len;
    if (ix->segs[i].info.del_gen) st->bytes_total += 16 + (s->n_docs + 7) / 8;
  }
  st->deleted_units -= st->units;
  uint64_t man = 8 + 4 + 8 + 4 + 4 + 32 * (uint64_t)ix->n_segs + 4;
  st->bytes_total += man;
  st->bytes_other = st->bytes_total - st->bytes_dictionary - st->bytes_postings -
                    st->bytes_positions - st->bytes_columns - st->bytes_stored;
}

int cdx_index_stats_json(const cdx_index *ix, char **out, size_t *out_len, cdx_error *err) {
  cdx_index_stats s;
  cdx_index_get_stats(ix, &s);
  cdx_buf b;
  cdx_buf_init(&b);
  int rc = CDX_OK;
  double bpp = s.postings ? (double)(s.bytes_postings + s.bytes_positions) / (double)s.postings : 0;
  cdx_buf_printf(&rc, &b,
                 "{\"documents\":%llu,\"units\":%llu,\"deleted_units\":%llu,\"terms\":%llu,"
                 "\"postings\":%llu,\"positions\":%llu,\"segments\":%llu,\"text_bytes\":%llu,"
                 "\"bytes\":{\"total\":%llu,\"dictionary\":%llu,\"postings\":%llu,"
                 "\"positions\":%llu,\"columns\":%llu,\"stored\":%llu,\"other\":%llu},"
                 "\"bytes_per_posting\":%.3f,\"size_over_text\":%.3f}",
                 (unsigned long long)s.documents, (unsigned long long)s.units,
                 (unsigned long long)s.deleted_units, (unsigned long long)s.terms,
                 (unsigned long long)s.postings, (unsigned long long)s.positions,
                 (unsigned long long)s.segments, (unsigned long long)s.text_bytes,
                 (unsigned long long)s.bytes_total, (unsigned long long)s.bytes_dictionary,
                 (unsigned long long)s.bytes_postings, (unsigned long long)s.bytes_positions,
                 (unsigned long long)s.bytes_columns, (unsigned long long)s.bytes_stored,
                 (unsigned long long)s.bytes_other, bpp,
                 s.text_bytes ? (double)s.bytes_total / (double)s.text_bytes : 0.0);
  if (rc != CDX_OK) {
    cdx_buf_free(&b);
    return cdx_err_set(err, CDX_NOMEM, CDX_NO_OFFSET, "out of memory");
  }
  *out = cdx_buf_detach(&b, out_len);
  return CDX_OK;
}

size_t cdx_index_doc_count(const cdx_index *ix) { return (size_t)ix->live_docs; }

int cdx_index_doc_get(const cdx_index *ix, size_t i, cdx_index_doc *out, cdx_error *err) {
  int trc = cdx_ix_doc_tables(ix, err);
  if (trc != CDX_OK) return trc;
  if (i >= ix->n_live) return cdx_err_set(err, CDX_INVALID, CDX_NO_OFFSET, "no document %zu", i);
  size_t seg = (size_t)(ix->live[i] >> 32);
  uint32_t doc = (uint32_t)ix->live[i];
  cdx_ix_doc_fields f;
  uint64_t hash = 0;
  int rc = cdx_seg_doc(&ix->segs[seg].seg, doc, &f, &hash, err);
  if (rc != CDX_OK) return rc;
  cdx_index_doc_from_fields(out, &f);
  out->latest = cdx_bit(ix->segs[seg].latest_docs, doc);
  out->family_id = ix->segs[seg].family_ids[doc];
  out->family_ambiguous = cdx_bit(ix->segs[seg].family_ambiguous, doc);
  out->hash = hash;
  return CDX_OK;
}

int cdx_index_docs_json(const cdx_index *ix, char **out, size_t *out_len, cdx_error *err) {
  cdx_buf b;
  cdx_buf_init(&b);
  int rc = CDX_OK;
  for (size_t i = 0; i < cdx_index_doc_count(ix); i++) {
    cdx_index_doc d;
    int r = cdx_index_doc_get(ix, i, &d, err);
    if (r != CDX_OK) {
      cdx_buf_free(&b);
      return r;
    }
    /* the document fields as search spells them (docs/JSON.md) */
    cdx_json_member(&rc, &b, "{\"type\":\"document\",\"doc\":", d.id);
    cdx_json_member(&rc, &b, ",\"title\":", d.title);
    cdx_json_member(&rc, &b, ",\"jurisdiction\":", d.jurisdiction);
    if (d.jurisdiction_code)
      cdx_buf_printf(&rc, &b, ",\"jurisdiction_code\":%u", d.jurisdiction_code);
    else cdx_buf_puts(&rc, &b, ",\"jurisdiction_code\":null");
    cdx_json_member(&rc, &b, ",\"status\":", cdx_status_name(d.status));
    cdx_buf_puts(&rc, &b, ",\"status_class\":");
    cdx_json_cstr(
        &rc, &b,
        cdx_status_class_name(d.status == CDX_STATUS_FINAL ? CDX_CLASS_FINAL : CDX_CLASS_DRAFT));
    if (d.edition) cdx_buf_printf(&rc, &b, ",\"edition\":%d", d.edition);
    else cdx_buf_puts(&rc, &b, ",\"edition\":null");
    if (d.date)
      cdx_buf_printf(&rc, &b, ",\"date\":\"%04u-%02u-%02u\"", d.date / 10000, d.date / 100 % 100,
                     d.date % 100);
    else cdx_buf_puts(&rc, &b, ",\"date\":null");
    cdx_json_member(&rc, &b, ",\"doc_number\":", d.doc_number);
    cdx_json_member(&rc, &b, ",\"issuer\":", d.issuer);
    cdx_json_member(&rc, &b, ",\"policy_key\":", d.policy_key);
    bool oom = false;
    char *fam = cdx_fam_doc_key(d.family, d.policy_key, &oom);
    if (oom) rc = CDX_NOMEM;
    char sid[10];
    cdx_fam_short_id(d.id, sid);
    cdx_json_member(&rc, &b, ",\"family\":", fam);
    free(fam);
    cdx_json_member(&rc, &b, ",\"short_id\":", sid);
    cdx_buf_printf(&rc, &b, ",\"unit_count\":%zu,\"latest\":%s}\n", d.units,
                   d.latest ? "true" : "false");
  }
  if (rc != CDX_OK) {
    cdx_buf_free(&b);
    return cdx_err_set(err, CDX_NOMEM, CDX_NO_OFFSET, "out of memory");
  }
  *out = cdx_buf_detach(&b, out_len);
  return CDX_OK;
}

int cdx_index_term_units(const cdx_index *ix, const char *term, size_t len, uint64_t *n,
                         cdx_error *err) {
  *n = 0;
  return cdx_ix_term_df(ix, term, len, n, err);
}
