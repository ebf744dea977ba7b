#ifndef CLAUSEDEX_ERRORS_H
#define CLAUSEDEX_ERRORS_H

#include <stddef.h>

/* Marks the public functions: libclausedex is built with hidden visibility
 * and its shared library exports these alone (tests/package checks it). */
#if defined(__GNUC__) || defined(__clang__)
#define CDX_API __attribute__((visibility("default")))
#else
#define CDX_API
#endif

#ifdef __cplusplus
extern "C" {
#endif

/* Status codes. Values are pinned: they never change once released. */
enum cdx_status {
  CDX_OK = 0,
  CDX_NOMEM = 1,          /* an allocation failed */
  CDX_IO = 2,             /* a system call failed (errno text in the message) */
  CDX_INVALID = 3,        /* bad argument, or a handle already failed */
  CDX_NOTFOUND = 4,       /* the named file, document, unit or place does not exist */
  CDX_CORRUPT = 5,        /* an index file fails its checksum or structure checks */
  CDX_FORMAT_VERSION = 6, /* an index written by an unknown format version */
  CDX_LIMIT = 7,          /* an input exceeds a documented limit */
  CDX_ENCODING = 8,       /* text is not valid in its encoding (offset set) */
  CDX_BUSY = 9,           /* another writer holds the index lock */
  CDX_SYNTAX = 10,        /* malformed query (offset set to the position) */
  CDX_ICU = 11,           /* ICU reported a failure */
  CDX_BADINPUT = 12       /* an input document is rejected: empty, binary, unreadable */
};

/* Offset value meaning "the error is not tied to a position". */
#define CDX_NO_OFFSET ((size_t)-1)

/*
 * Filled in by every call that takes a `cdx_error *err` and fails. `err` may
 * be NULL when the caller only wants the return code. On success the struct
 * is left untouched. The message is complete and names the file or position;
 * the library never prints.
 */
typedef struct cdx_error {
  int code;          /* one of enum cdx_status */
  size_t offset;     /* byte offset in the input, or CDX_NO_OFFSET */
  char message[512]; /* NUL-terminated, human-readable */
} cdx_error;

/* Static description of a status code; never NULL, never to be freed. */
CDX_API const char *cdx_strerror(int code);

/* Runtime version string, e.g. "0.1.0"; static storage. */
CDX_API const char *cdx_version(void);

/* Releases memory the library handed to the caller (JSON strings, buffers).
 * Accepts NULL. */
CDX_API void cdx_free(void *p);

#ifdef __cplusplus
}
#endif
#endif
