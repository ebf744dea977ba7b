/* Error reporting: codes with a message, never printed from the library. */
#include <stdio.h>
#include <stdlib.h>
#include "common/common.h"
#include "clausedex/cdx_version.h"

int cdx_err_setv(cdx_error *err, int code, size_t offset, const char *fmt, va_list ap) {
  if (err) {
    err->code = code;
    err->offset = offset;
    vsnprintf(err->message, sizeof err->message, fmt, ap);
  }
  return code;
}

int cdx_err_set(cdx_error *err, int code, size_t offset, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  cdx_err_setv(err, code, offset, fmt, ap);
  va_end(ap);
  return code;
}

int cdx_err_nomem(cdx_error *err, const char *doing) {
  return cdx_err_set(err, CDX_NOMEM, CDX_NO_OFFSET, "out of memory%s%s", doing ? " " : "",
                     doing ? doing : "");
}

int cdx_err_corrupt(cdx_error *err, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  cdx_err_setv(err, CDX_CORRUPT, CDX_NO_OFFSET, fmt, ap);
  va_end(ap);
  return CDX_CORRUPT;
}

const char *cdx_strerror(int code) {
  switch (code) {
    case CDX_OK: return "success";
    case CDX_NOMEM: return "out of memory";
    case CDX_IO: return "input/output error";
    case CDX_INVALID: return "invalid argument";
    case CDX_NOTFOUND: return "not found";
    case CDX_CORRUPT: return "index file is corrupt";
    case CDX_FORMAT_VERSION: return "unsupported index format version";
    case CDX_LIMIT: return "limit exceeded";
    case CDX_ENCODING: return "invalid text encoding";
    case CDX_BUSY: return "index is locked by another writer";
    case CDX_SYNTAX: return "malformed query";
    case CDX_ICU: return "ICU failure";
    case CDX_BADINPUT: return "input document rejected";
    default: return "unknown error";
  }
}

const char *cdx_version(void) { return CDX_VERSION_STRING; }

void cdx_free(void *p) { free(p); }
