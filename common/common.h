/*
 * common/: the small pieces every stage shares (errors, growable buffers,
 * JSON output, file I/O). It depends on nothing but libc and zlib.
 */
#ifndef CDX_COMMON_H
#define CDX_COMMON_H

#include <dirent.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "clausedex/errors.h"

/* ---- Interface to common/error.c ---- */

/* Fills *err (when not NULL) and returns code, so callers can write
 * `return cdx_err_set(err, CDX_IO, CDX_NO_OFFSET, "%s: %s", path, strerror(errno));` */
int cdx_err_set(cdx_error *err, int code, size_t offset, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
int cdx_err_setv(cdx_error *err, int code, size_t offset, const char *fmt, va_list ap);

/* CDX_NOMEM with "out of memory", followed by " " and doing when that is not
 * NULL ("out of memory aligning documents"): the one wording of it. */
int cdx_err_nomem(cdx_error *err, const char *doing);

/* Every CDX_CORRUPT goes through here so one breakpoint finds where a bad
 * file is first noticed. */
int cdx_err_corrupt(cdx_error *err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* ---- Interface to common/grow.c ---- */

/* Makes room for `need` elements of `elem` bytes in the array whose pointer is at `arr` (a
 * `T **`, owned by the caller) with capacity *cap in elements: the capacity doubles, from
 * `first` when it is 0, until it holds `need`. Returns CDX_OK, or CDX_NOMEM (also when the
 * size would overflow) leaving the array and *cap as they were. */
int cdx_grow(void *arr, size_t *cap, size_t need, size_t elem, size_t first);
/* realloc of the array whose pointer is at `arr` (a `T **`) to n elements of `elem` bytes;
 * false, the array untouched, when out of memory or when the size would overflow. */
bool cdx_realloc_n(void *arr, size_t n, size_t elem);
/* cdx_grow for an array `T *arr` and its `size_t cap`. */
#define CDX_GROW(arr, cap, need, first) cdx_grow(&(arr), &(cap), (need), sizeof *(arr), (first))

/* ---- Interface to common/buf.c ---- */

/* A growable byte buffer. Helpers take `int *rc` and do nothing once it is
 * not CDX_OK, so a sequence of appends reports the first failure. */
typedef struct cdx_buf {
  char *data; /* owned; NUL-terminated after cdx_buf_str */
  size_t len;
  size_t cap;
} cdx_buf;

void cdx_buf_init(cdx_buf *b);
void cdx_buf_free(cdx_buf *b);
void cdx_buf_reset(cdx_buf *b);
int cdx_buf_reserve(cdx_buf *b, size_t extra);
void cdx_buf_append(int *rc, cdx_buf *b, const void *p, size_t n);
void cdx_buf_putc(int *rc, cdx_buf *b, char c);
void cdx_buf_puts(int *rc, cdx_buf *b, const char *s);
void cdx_buf_printf(int *rc, cdx_buf *b, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void cdx_buf_put_varint(int *rc, cdx_buf *b, uint64_t v);
/* Decimal digits, as printf's %0*llu (width 0: no padding) and %lld; for
 * JSON writers where vfprintf was a tenth of a search (bench/README.md). */
void cdx_buf_put_uint(int *rc, cdx_buf *b, uint64_t v, int width);
void cdx_buf_put_int(int *rc, cdx_buf *b, int64_t v);
void cdx_buf_put_u32le(int *rc, cdx_buf *b, uint32_t v);
void cdx_buf_put_u64le(int *rc, cdx_buf *b, uint64_t v);
/* NUL-terminates (without counting it in len) and returns data. */
const char *cdx_buf_str(int *rc, cdx_buf *b);
/* Hands the data to the caller (free with free()) and resets b. */
char *cdx_buf_detach(cdx_buf *b, size_t *len);

/* Reads a varint from [*p, end); returns false (and leaves *p) on overrun
 * or a value longer than 10 bytes. */
bool cdx_get_varint(const uint8_t **p, const uint8_t *end, uint64_t *v);
/* Inline: the query engine reads column entries with these per candidate. */
static inline uint32_t cdx_get_u32le(const uint8_t *p) {
  return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}
static inline uint64_t cdx_get_u64le(const uint8_t *p) {
  return (uint64_t)cdx_get_u32le(p) | (uint64_t)cdx_get_u32le(p + 4) << 32;
}

/* ---- Interface to common/json.c ---- */

/* Appends s[0..n) as a JSON string literal (quotes included). Invalid UTF-8
 * bytes are written as U+FFFD so the output is always valid JSON. */
void cdx_json_str(int *rc, cdx_buf *b, const char *s, size_t n);
/* Same for a NUL-terminated string; NULL becomes null. */
void cdx_json_cstr(int *rc, cdx_buf *b, const char *s);
/* Appends name, the member's text up to its value (",\"title\":"), then s as
 * cdx_json_cstr writes it. */
void cdx_json_member(int *rc, cdx_buf *b, const char *name, const char *s);
/* Starts a public cdx_*_to_json(obj, out, ...) named fn: b empty and CDX_OK, or CDX_INVALID
 * "FN: NULL argument" when obj or out is NULL. */
int cdx_json_start(const void *obj, char **out, const char *fn, cdx_buf *b, cdx_error *err);
/* Ends a JSON writer: on rc == CDX_OK hands b's NUL-terminated bytes to
 * *out (and their length to *out_len when not NULL); otherwise frees b and
 * reports CDX_NOMEM. Returns the status. */
int cdx_json_finish(int rc, cdx_buf *b, char **out, size_t *out_len, cdx_error *err);

/* A malloc'ed copy of s (free), or NULL for NULL or out of memory (a
 * non-NULL s with a NULL result is out of memory). common/buf.c */
char *cdx_strdup_or_null(const char *s);

/* ---- Interface to common/fileio.c ---- */

/* cdx_read_file_max without a size limit. */
int cdx_read_file(const char *path, char **data, size_t *len, cdx_error *err);
/* Reads a whole file into a malloc'ed buffer (NUL-terminated, len excludes
 * the NUL). Only regular files are read (a FIFO or a device is CDX_BADINPUT,
 * without blocking); more than max bytes is CDX_LIMIT. Other errors:
 * CDX_NOTFOUND, CDX_IO, CDX_NOMEM; every message names the path. */
int cdx_read_file_max(const char *path, size_t max, char **data, size_t *len, cdx_error *err);

/* Writes data to path durably, through a cdx_dir of path's directory (see
 * cdx_dir_write_atomic). */
int cdx_write_file_atomic(const char *path, const void *data, size_t len, cdx_error *err);

/* An open directory whose files are created, read, renamed and removed
 * relative to its descriptor (openat and the other *at calls): a directory
 * or a link swapped in for the index's path while a command runs cannot
 * redirect a write, and a link inside the directory is never followed.
 * Only the path given to cdx_dir_open is resolved, once, links included (an
 * index may be reached through a link). path is the name in messages. */
typedef struct cdx_dir {
  int fd;
  char *path; /* owned */
} cdx_dir;

/* Opens the directory at path (CDX_NOTFOUND when there is none, CDX_IO when
 * it is not a directory). *d is closed with cdx_dir_close. */
int cdx_dir_open(const char *path, cdx_dir *d, cdx_error *err);
/* A second handle on the same directory (a dup of the descriptor). */
int cdx_dir_dup(const cdx_dir *d, cdx_dir *out, cdx_error *err);
void cdx_dir_close(cdx_dir *d);

/* The mode new files of an index get: the directory's read and write bits
 * (a 0700 directory gives 0600 files, 0755 gives 0644), within the umask. */
unsigned cdx_dir_file_mode(const cdx_dir *d);

/* Creates name for writing with O_EXCL|O_NOFOLLOW|O_CLOEXEC and
 * cdx_dir_file_mode: never opens an existing file or follows a link planted
 * there. Returns the descriptor, or minus a status code (CDX_IO, naming the
 * file) with err set. */
int cdx_dir_create(const cdx_dir *d, const char *name, cdx_error *err);

/* Opens name for reading (O_NOFOLLOW, O_NONBLOCK): the descriptor, or minus
 * a status code (CDX_NOTFOUND, CDX_IO: a link is refused) with err set. */
int cdx_dir_open_file(const cdx_dir *d, const char *name, cdx_error *err);

/* cdx_read_file of a file in the directory; a link is refused (CDX_IO). */
int cdx_dir_read(const cdx_dir *d, const char *name, char **data, size_t *len, cdx_error *err);

/* Writes data to name durably: a new temporary file in the directory
 * (cdx_dir_create), fsync, an fsync of the directory, rename over name,
 * fsync of the directory. The first directory fsync makes every entry
 * created there before the call durable before the rename can be: POSIX
 * orders nothing else, so without it a power cut could keep a manifest that
 * names segment files whose entries were lost (tests/crash/powerloss). */
int cdx_dir_write_atomic(const cdx_dir *d, const char *name, const void *data, size_t len,
                         cdx_error *err);

/* fsync of the directory, so a rename or create inside it is durable. */
int cdx_dir_fsync(const cdx_dir *d, cdx_error *err);

/* Removes name (never a directory; a link itself, never its target). */
void cdx_dir_unlink(const cdx_dir *d, const char *name);

/* A listing of the directory (closedir when done), through a duplicate of
 * its descriptor, which fdopendir takes over; NULL with errno set. */
DIR *cdx_dir_list(const cdx_dir *d);

/* "path/name" in buf, for messages. */
const char *cdx_dir_name(const cdx_dir *d, const char *name, char *buf, size_t cap);

/* ---- Interface to common/realpath_cache.c ---- */

/* realpath() that remembers the canonical form of the last directory seen,
 * so files listed a directory at a time cost one lstat each. Same answers as
 * realpath() for existing files (a symbolic link as the last name takes
 * realpath's own route). Not thread-safe: one cache per writer. */
typedef struct cdx_realpath_cache cdx_realpath_cache;
/* NULL when out of memory; the caller frees it with cdx_realpath_cache_free. */
cdx_realpath_cache *cdx_realpath_cache_new(void);
void cdx_realpath_cache_free(cdx_realpath_cache *c);
/* Writes the canonical form of path into out (room for PATH_MAX bytes); 0,
 * or an errno value (ENOENT, EACCES, ENAMETOOLONG, ...) with out undefined. */
int cdx_realpath_cached(cdx_realpath_cache *c, const char *path, char *out);

/* ---- Interface to common/calendar.c ---- */

/* Days in a month of the Gregorian calendar (28-31), or 0 when month is not
 * 1-12: 2025-02-30 is no date. */
int cdx_days_in_month(long year, long month);

/* ---- Interface to common/utf8.c ---- */

/* Decodes one code point at s[*i] (i < n), advancing *i; returns -1 and
 * leaves *i on an invalid or truncated sequence (overlongs, surrogates and
 * values above U+10FFFF are invalid). */
int32_t cdx_utf8_decode(const char *s, size_t n, size_t *i);
/* cdx_utf8_decode with the common cases inline: ASCII and the 3-byte
 * characters of Chinese text (leads E1-EC, EE-EF take any two continuation
 * bytes); the rest goes to cdx_utf8_decode, so the results are the same. The
 * corpus stages and the gazetteer decode whole documents character by
 * character. */
static inline int32_t cdx_utf8_next(const char *s, size_t n, size_t *i) {
  const unsigned char *u = (const unsigned char *)s + *i;
  unsigned c = u[0];
  if (c < 0x80) {
    *i += 1;
    return (int32_t)c;
  }
  if (c >= 0xE1 && c <= 0xEF && c != 0xED && n - *i >= 3 && (u[1] & 0xC0) == 0x80 &&
      (u[2] & 0xC0) == 0x80) {
    *i += 3;
    return (int32_t)((c & 0x0Fu) << 12 | (u[1] & 0x3Fu) << 6 | (u[2] & 0x3Fu));
  }
  return cdx_utf8_decode(s, n, i);
}
/* Encodes cp into out (4 bytes room); returns the byte count. */
size_t cdx_utf8_encode(uint32_t cp, char *out);
/* Offset of the first invalid byte, or CDX_NO_OFFSET when s is valid UTF-8. */
size_t cdx_utf8_find_invalid(const char *s, size_t n);
/* The same answer without SIMD, whatever the CPU: for tests that hold the
 * two paths to identical results. */
size_t cdx_utf8_find_invalid_scalar(const char *s, size_t n);

/* ---- Interface to common/digits.c ---- */

/* Parses the decimal digits s[0..n) into *v; false (and *v unchanged) when
 * s is empty, longer than 9 characters or holds anything but 0-9 (no sign,
 * no space). */
bool cdx_parse_digits(const char *s, size_t n, int64_t *v);

/* ---- Interface to common/hash64.c ---- */

/* A fast 64-bit hash of n bytes (files, records): equal input, equal hash;
 * any change almost surely changes it. Not for adversarial input. */
uint64_t cdx_hash64(const void *data, size_t n, uint64_t seed);

/* ---- Interface to common/utf16.c ---- */

/* Transcodes s[0..n) to UTF-16LE at out, which must hold 2 * n bytes (no
 * text has more UTF-16 code units than UTF-8 bytes); returns the number of
 * code units written, or SIZE_MAX (nothing useful written) when s is not
 * valid UTF-8. */
size_t cdx_utf8_to_utf16le(const char *s, size_t n, uint8_t *out);
/* Transcodes n16 UTF-16LE code units at s to UTF-8 at out, which must hold
 * 3 * n16 bytes; returns the bytes written, or SIZE_MAX on an unpaired
 * surrogate. */
size_t cdx_utf16le_to_utf8(const uint8_t *s, size_t n16, char *out);

#endif
