/* realpath() for a stream of files that come a directory at a time.
 *
 * A document is identified by its canonical path. realpath() pays a getcwd
 * and one readlink per path component for every file, which was a third of
 * the system calls of indexing a directory tree. Sibling files share their
 * directory's canonical form, so it is resolved once and each file costs an
 * lstat of its own name (which tells whether that name is a link). */
#define _DEFAULT_SOURCE /* realpath */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "common/common.h"

struct cdx_realpath_cache {
  bool valid;
  char dir[PATH_MAX];  /* the directory as written in the path */
  char cwd[PATH_MAX];  /* the working directory it was resolved in ("" when absolute) */
  char real[PATH_MAX]; /* its canonical form */
};

cdx_realpath_cache *cdx_realpath_cache_new(void) { return calloc(1, sizeof(cdx_realpath_cache)); }

void cdx_realpath_cache_free(cdx_realpath_cache *c) { free(c); }

static int resolve_uncached(const char *path, char *out) { return realpath(path, out) ? 0 : errno; }

int cdx_realpath_cached(cdx_realpath_cache *c, const char *path, char *out) {
  if (!c) return EINVAL;
  size_t n = strlen(path);
  if (n == 0) return ENOENT;
  if (n >= PATH_MAX) return ENAMETOOLONG;
  const char *slash = strrchr(path, '/');
  const char *base = slash ? slash + 1 : path;
  /* names that are themselves path steps, and a trailing slash, take the
   * general route */
  if (!*base || strcmp(base, ".") == 0 || strcmp(base, "..") == 0)
    return resolve_uncached(path, out);
  struct stat st;
  if (lstat(path, &st) != 0) return errno;
  if (S_ISLNK(st.st_mode)) return resolve_uncached(path, out);

  char dir[PATH_MAX];
  if (!slash) {
    strcpy(dir, ".");
  } else if (slash == path) {
    strcpy(dir, "/");
  } else {
    memcpy(dir, path, (size_t)(slash - path));
    dir[slash - path] = '\0';
  }
  /* a relative directory means something else after a chdir */
  char cwd[PATH_MAX] = "";
  if (dir[0] != '/' && !getcwd(cwd, sizeof cwd)) return resolve_uncached(path, out);
  if (!c->valid || strcmp(c->dir, dir) != 0 || strcmp(c->cwd, cwd) != 0) {
    c->valid = false;
    if (!realpath(dir, c->real)) return errno;
    strcpy(c->dir, dir);
    strcpy(c->cwd, cwd);
    c->valid = true;
  }
  size_t rn = strlen(c->real), bn = strlen(base);
  bool root = rn == 1; /* "/" needs no separator of its own */
  if (rn + !root + bn >= PATH_MAX) return ENAMETOOLONG;
  memcpy(out, c->real, rn);
  if (!root) out[rn++] = '/';
  memcpy(out + rn, base, bn + 1);
  return 0;
}
