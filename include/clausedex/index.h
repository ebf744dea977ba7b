#ifndef CLAUSEDEX_INDEX_H
#define CLAUSEDEX_INDEX_H

#include <stddef.h>
#include <stdint.h>
#include "clausedex/errors.h"
#include "clausedex/document.h"

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Writing and opening an index. An index is a directory of immutable segment
 * files plus a MANIFEST naming the live ones (docs/FORMAT.md). One writer at
 * a time (a lock file); any number of readers, never blocked, each keeping
 * the commit it opened.
 */

typedef struct cdx_index cdx_index; /* an open, read-only snapshot */
typedef struct cdx_writer cdx_writer;

typedef struct cdx_writer_options {
  size_t memory_budget; /* bytes of buffered postings and text before a
                           segment is flushed; 0 means 256 MiB */
  size_t max_file_size; /* bytes: a document file (cdx_writer_add_file)
                           larger than this is refused with CDX_LIMIT before
                           it is read; 0 means CDX_DEFAULT_MAX_FILE_SIZE */
  unsigned threads;     /* threads that read, parse and analyse documents in
                           cdx_writer_add_batch; 0 or 1: none, the caller's
                           thread does everything. The index bytes are the
                           same for any number */
} cdx_writer_options;

/* 64 MiB: the largest policy documents seen are a few MB, and a document
 * costs several times its size in memory while it is parsed. */
#define CDX_DEFAULT_MAX_FILE_SIZE ((size_t)64 << 20)

/* Opens (creating when needed) the index in dir for writing and takes its
 * lock. Leftover files of an interrupted writer are removed. opts may be
 * NULL. *out is owned by the caller (cdx_writer_close), NULL on failure.
 * Errors: CDX_BUSY (another writer holds the lock), CDX_IO, CDX_CORRUPT,
 * CDX_FORMAT_VERSION, CDX_NOMEM. */
CDX_API int cdx_writer_open(const char *dir, const cdx_writer_options *opts, cdx_writer **out,
                            cdx_error *err);

typedef enum cdx_add_outcome {
  CDX_ADD_NEW = 0,       /* the document was not in the index */
  CDX_ADD_UNCHANGED = 1, /* same bytes and overrides: nothing to do */
  CDX_ADD_REPLACED = 2   /* a changed file replaces its old version */
} cdx_add_outcome;

/* Adds the file at path (identified by its canonical absolute path). ov may
 * be NULL (see cdx_document_read_file). outcome may be NULL. The change is
 * visible after cdx_writer_commit. Only regular files are read: a FIFO,
 * device or socket is CDX_BADINPUT without blocking; a file over the
 * max_file_size option is CDX_LIMIT. Errors: those of
 * cdx_document_read_file (the writer stays usable), CDX_IO, CDX_NOMEM. */
CDX_API int cdx_writer_add_file(cdx_writer *w, const char *path, const cdx_meta_overrides *ov,
                                cdx_add_outcome *outcome, cdx_error *err);

/* Told about each bad record of a JSON Lines file as it is skipped (err
 * names the file and line); ctx is the caller's. */
typedef void (*cdx_skip_fn)(void *ctx, const cdx_error *err);

/* The warnings (cdx_document_meta.warnings: repairs, losses) of the document
 * the last cdx_writer_add_file call parsed; 0 when that call parsed nothing
 * (unchanged file, error). *warnings (may be NULL) is borrowed from w and
 * valid until the next call on w. */
CDX_API size_t cdx_writer_last_warnings(const cdx_writer *w, const char *const **warnings);

/* Adds every document of a JSON Lines file (ids from the records).
 * counts[outcome] (counts may be NULL) is incremented once per document by
 * its cdx_add_outcome. A bad record is skipped and the rest of the file
 * still added (see cdx_jsonl_next); on_skip (may be NULL) is called for
 * each, and the call then returns CDX_BADINPUT ("N bad records skipped")
 * with every good document added. Errors: CDX_BADINPUT as said, CDX_IO,
 * CDX_NOMEM (documents before it stay added). */
CDX_API int cdx_writer_add_jsonl(cdx_writer *w, const char *path, size_t counts[3],
                                 cdx_skip_fn on_skip, void *ctx, cdx_error *err);

/* What became of one file of cdx_writer_add_batch. */
typedef struct cdx_batch_result {
  size_t index;                /* into paths */
  int rc;                      /* CDX_OK, or the file's error (err) */
  const cdx_error *err;        /* names the file; NULL with CDX_OK */
  cdx_add_outcome outcome;     /* a document file added */
  size_t counts[3];            /* a JSON Lines file: documents by outcome */
  const char *const *warnings; /* a document file's warnings (as
                                   cdx_writer_last_warnings) */
  size_t n_warnings;
} cdx_batch_result;
/* Told about each file, in the order of paths; r and what it points to are
 * valid during the call. Nonzero stops the batch. */
typedef int (*cdx_batch_fn)(void *ctx, const cdx_batch_result *r);

/* Adds paths[0..n): a path ending in ".jsonl" as cdx_writer_add_jsonl,
 * any other as cdx_writer_add_file (with ov, which may be NULL). With the
 * threads option over 1 that many threads read, parse and analyse the
 * documents while the caller's thread adds them to the index in the order
 * of paths, so the index (its bytes included) is the one the calls one by
 * one would make. done (may be NULL) is called on the caller's thread for
 * every file, on_skip (may be NULL) for every bad JSON Lines record, both
 * with ctx. A file's own error goes to done and the batch goes on; the
 * return is CDX_OK, or the error that made the writer unusable (the
 * batch stopped there; close the writer). */
CDX_API int cdx_writer_add_batch(cdx_writer *w, const char *const *paths, size_t n,
                                 const cdx_meta_overrides *ov, cdx_batch_fn done,
                                 cdx_skip_fn on_skip, void *ctx, cdx_error *err);

/* Removes a document by id (source path as given, its canonical form, or the
 * JSON Lines id). Errors: CDX_NOTFOUND. */
CDX_API int cdx_writer_delete(cdx_writer *w, const char *doc_id, cdx_error *err);

/* Makes every change since the last commit durable and visible, atomically
 * (the new MANIFEST renamed into place), then reads the new commit back and
 * merges segments when there are more than ten. Errors: CDX_IO, CDX_NOMEM,
 * CDX_CORRUPT, CDX_LIMIT; after any error the writer is unusable (close it).
 * - An error before the rename leaves nothing of the commit visible: the
 *   previous commit stands.
 * - An error after it (reading the new commit back, the merge) leaves the
 *   commit visible and durable, and the message begins "committed
 *   (generation N), but then:". A failed merge leaves nothing of itself
 *   visible.
 * - Should the directory fsync after the rename fail, the message begins
 *   the same way and names it: the commit is visible but may not survive
 *   a power loss. */
CDX_API int cdx_writer_commit(cdx_writer *w, cdx_error *err);

/* Commits, then merges all segments into one (dropping deleted units). A
 * failed merge leaves the commit made before it (see cdx_writer_commit). */
CDX_API int cdx_writer_optimize(cdx_writer *w, cdx_error *err);

/* Discards uncommitted changes, releases the lock. Accepts NULL. */
CDX_API void cdx_writer_close(cdx_writer *w);

/* Opens the last commit of the index in dir. *out is owned by the caller
 * (cdx_index_close). Errors: CDX_NOTFOUND (no index there), CDX_CORRUPT
 * (naming the file), CDX_FORMAT_VERSION, CDX_IO, CDX_NOMEM. */
CDX_API int cdx_index_open(const char *dir, cdx_index **out, cdx_error *err);
CDX_API void cdx_index_close(cdx_index *ix); /* accepts NULL */

/* Keeps up to bytes of inflated stored blocks (the hits' text, a phrase's
 * verification) for all searches on ix, from any number of threads; 0
 * turns it off (the default: one search reads each block at most once, and
 * inflates only as far as its units). For a long-lived handle that answers
 * many searches (clausedex serve). Results are the same with or without.
 * Call before ix is shared between threads. Errors: CDX_NOMEM. */
CDX_API int cdx_index_set_store_cache(cdx_index *ix, size_t bytes, cdx_error *err);

typedef struct cdx_index_stats {
  uint64_t documents;     /* live documents */
  uint64_t units;         /* live units */
  uint64_t deleted_units; /* still stored, awaiting a merge */
  uint64_t terms;         /* dictionary entries summed over segments */
  uint64_t postings;      /* (term, unit) pairs */
  uint64_t positions;
  uint64_t segments;
  uint64_t text_bytes;  /* UTF-8 bytes of stored unit text */
  uint64_t bytes_total; /* every file of the commit */
  uint64_t bytes_dictionary, bytes_postings, bytes_positions, bytes_columns, bytes_stored,
      bytes_other; /* by kind (regions of segment files,
                                         manifest and deletion files) */
} cdx_index_stats;

/* The commit an open index shows: its generation (+1 per manifest, merges
 * included), its batch (the release sequence number: +1 per commit of
 * changes, kept by merges; 0 for indexes written before manifest version
 * 2) and the batch's commit time in Unix seconds (0 = unknown). */
typedef struct cdx_index_commit {
  uint64_t generation, batch, timestamp;
} cdx_index_commit;
CDX_API void cdx_index_get_commit(const cdx_index *ix, cdx_index_commit *out);

/* Fills *st. Cannot fail on an open index. */
CDX_API void cdx_index_get_stats(const cdx_index *ix, cdx_index_stats *st);

/* Number of units holding `term`, one analyzer term already folded (a
 * bigram "高校": cdx_fold_text of the two characters), summed over segments;
 * deleted units count until a merge drops them. Errors: CDX_CORRUPT. */
CDX_API int cdx_index_term_units(const cdx_index *ix, const char *term, size_t len, uint64_t *n,
                                 cdx_error *err);

/* The statistics as one JSON object. *out is owned by the caller (cdx_free). */
CDX_API int cdx_index_stats_json(const cdx_index *ix, char **out, size_t *out_len, cdx_error *err);

/* The live documents with their metadata as JSON Lines, one object per
 * line and document, each ending in '\n' (docs/JSON.md: type "document",
 * doc, title, jurisdiction, jurisdiction_code, status, status_class, edition,
 * date "YYYY-MM-DD", doc_number, issuer, policy_key, family (its family key,
 * null for an untitled document), short_id, unit_count, latest; unknown
 * values null). *out is owned by the caller (cdx_free). Errors: CDX_CORRUPT,
 * CDX_NOMEM. */
CDX_API int cdx_index_docs_json(const cdx_index *ix, char **out, size_t *out_len, cdx_error *err);

/* Live documents one by one: i < cdx_index_doc_count. Fields are borrowed
 * until cdx_index_close. */
typedef struct cdx_index_doc {
  const char *id, *title, *jurisdiction, *doc_number, *issuer, *policy_key;
  uint32_t jurisdiction_code, date;
  cdx_doc_status status;
  int edition;
  size_t units;
  int latest;           /* the latest version of its family */
  const char *family;   /* the family set explicitly (sidecar), or NULL */
  const char *cites;    /* cited bases (cdx_index_doc_cites), or NULL */
  uint32_t family_id;   /* same id = one family, in this open snapshot */
  int family_ambiguous; /* no jurisdiction, and two families fit: placed
                                 in a family of its own */
  uint64_t hash;        /* content hash ("unchanged" test) */
} cdx_index_doc;
CDX_API size_t cdx_index_doc_count(const cdx_index *ix);
CDX_API int cdx_index_doc_get(const cdx_index *ix, size_t i, cdx_index_doc *out, cdx_error *err);

/* Verifies every checksum and structural invariant of the last commit of the
 * index in dir (sorted ids, dictionary order, counts, offsets). CDX_OK when
 * sound; otherwise CDX_CORRUPT naming the first bad file. */
CDX_API int cdx_index_check(const char *dir, cdx_error *err);

#ifdef __cplusplus
}
#endif
#endif
