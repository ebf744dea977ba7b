/* File I/O with the durability rules of the index: data is fsynced before it
 * is renamed into place, and the directory before and after; the files of an
 * index are reached through the directory's descriptor (cdx_dir). */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "common/common.h"

static const char *file_kind(mode_t m) {
  if (S_ISDIR(m)) return "a directory";
  if (S_ISFIFO(m)) return "a FIFO";
  if (S_ISCHR(m)) return "a character device";
  if (S_ISBLK(m)) return "a block device";
  if (S_ISSOCK(m)) return "a socket";
  return "not a regular file";
}

static int read_file(int dirfd, const char *name, const char *path, size_t max, int oflags,
                     char **data, size_t *len, cdx_error *err);

int cdx_read_file(const char *path, char **data, size_t *len, cdx_error *err) {
  return read_file(AT_FDCWD, path, path, SIZE_MAX, 0, data, len, err);
}

int cdx_read_file_max(const char *path, size_t max, char **data, size_t *len, cdx_error *err) {
  return read_file(AT_FDCWD, path, path, max, 0, data, len, err);
}

static int open_error(const char *path, int e, cdx_error *err) {
  if (e == ELOOP)
    return cdx_err_set(err, CDX_IO, CDX_NO_OFFSET,
                       "%s: is a symbolic link, which is never followed inside an index", path);
  return cdx_err_set(err, e == ENOENT ? CDX_NOTFOUND : CDX_IO, CDX_NO_OFFSET, "%s: %s", path,
                     strerror(e));
}

/* name relative to dirfd; path is how messages name it. */
static int read_file(int dirfd, const char *name, const char *path, size_t max, int oflags,
                     char **data, size_t *len, cdx_error *err) {
  *data = NULL;
  *len = 0;
  /* O_NONBLOCK: opening a FIFO for reading would otherwise wait for a writer
   * forever; no effect on a regular file. O_NOCTTY: a terminal named as a
   * document must not become the controlling terminal. */
  int fd = openat(dirfd, name, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY | oflags);
  if (fd < 0) return open_error(path, errno, err);
  struct stat st;
  if (fstat(fd, &st) != 0) {
    int e = errno;
    close(fd);
    return cdx_err_set(err, CDX_IO, CDX_NO_OFFSET, "%s: %s", path, strerror(e));
  }
  /* a FIFO blocks, a device such as /dev/zero never ends: only regular files
   * have a size to read up to */
  if (!S_ISREG(st.st_mode)) {
    close(fd);
    return cdx_err_set(err, CDX_BADINPUT, CDX_NO_OFFSET, "%s: %s, not a regular file", path,
                       file_kind(st.st_mode));
  }
  if ((unsigned long long)st.st_size > max) {
    close(fd);
    return cdx_err_set(err, CDX_LIMIT, CDX_NO_OFFSET,
                       "%s: %llu bytes, more than the limit of %zu bytes per file", path,
                       (unsigned long long)st.st_size, max);
  }
  /* room for the file, its NUL and one more byte, so the read that sees
   * the end does not first grow (and copy) the buffer */
  size_t cap = st.st_size > 0 ? (size_t)st.st_size + 2 : 4096;
  char *buf = malloc(cap);
  if (!buf) {
    close(fd);
    return cdx_err_set(err, CDX_NOMEM, CDX_NO_OFFSET, "%s: out of memory", path);
  }
  size_t n = 0;
  for (;;) {
    if (n + 1 >= cap) {
      char *p = realloc(buf, cap * 2);
      if (!p) {
        free(buf);
        close(fd);
        return cdx_err_set(err, CDX_NOMEM, CDX_NO_OFFSET, "%s: out of memory", path);
      }
      buf = p;
      cap *= 2;
    }
    ssize_t r = read(fd, buf + n, cap - 1 - n);
    if (r < 0) {
      if (errno == EINTR) continue;
      int e = errno;
      free(buf);
      close(fd);
      return cdx_err_set(err, CDX_IO, CDX_NO_OFFSET, "%s: %s", path, strerror(e));
    }
    if (r == 0) break;
    n += (size_t)r;
    /* a file growing while it is read is held to the same limit */
    if (n > max) {
      free(buf);
      close(fd);
      return cdx_err_set(err, CDX_LIMIT, CDX_NO_OFFSET,
                         "%s: more than the limit of %zu bytes per file", path, max);
    }
    /* a regular file is read as big as fstat saw it: one more read only to
     * be told "end" is a system call per document for nothing */
    if (st.st_size > 0 && n == (size_t)st.st_size) break;
  }
  close(fd);
  buf[n] = '\0';
  *data = buf;
  *len = n;
  return CDX_OK;
}

/* ---- cdx_dir ---- */

int cdx_dir_open(const char *path, cdx_dir *d, cdx_error *err) {
  d->fd = -1;
  d->path = NULL;
  int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) {
    int e = errno;
    return cdx_err_set(err, e == ENOENT ? CDX_NOTFOUND : CDX_IO, CDX_NO_OFFSET, "%s: %s", path,
                       e == ENOTDIR ? "not a directory" : strerror(e));
  }
  if (!(d->path = strdup(path))) {
    close(fd);
    return cdx_err_set(err, CDX_NOMEM, CDX_NO_OFFSET, "out of memory");
  }
  d->fd = fd;
  return CDX_OK;
}

int cdx_dir_dup(const cdx_dir *d, cdx_dir *out, cdx_error *err) {
  out->fd = fcntl(d->fd, F_DUPFD_CLOEXEC, 0);
  out->path = out->fd >= 0 ? strdup(d->path) : NULL;
  if (out->fd >= 0 && out->path) return CDX_OK;
  int e = errno;
  cdx_dir_close(out);
  return cdx_err_set(err, CDX_IO, CDX_NO_OFFSET, "%s: %s", d->path, strerror(e));
}

void cdx_dir_close(cdx_dir *d) {
  if (d->fd >= 0) close(d->fd);
  free(d->path);
  d->fd = -1;
  d->path = NULL;
}

const char *cdx_dir_name(const cdx_dir *d, const char *name, char *buf, size_t cap) {
  snprintf(buf, cap, "%s/%s", d->path, name);
  return buf;
}

int cdx_dir_fsync(const cdx_dir *d, cdx_error *err) {
  if (fsync(d->fd) != 0)
    return cdx_err_set(err, CDX_IO, CDX_NO_OFFSET, "fsync %s: %s", d->path, strerror(errno));
  return CDX_OK;
}

unsigned cdx_dir_file_mode(const cdx_dir *d) {
  struct stat st;
  if (fstat(d->fd, &st) != 0) return 0644;
  return (unsigned)(st.st_mode & 0666);
}

int cdx_dir_create(const cdx_dir *d, const char *name, cdx_error *err) {
  int fd = openat(d->fd, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
                  (mode_t)cdx_dir_file_mode(d));
  if (fd >= 0) return fd;
  int e = errno;
  struct stat st;
  char shown[PATH_MAX];
  cdx_dir_name(d, name, shown, sizeof shown);
  if (e == EEXIST && fstatat(d->fd, name, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISLNK(st.st_mode))
    return -cdx_err_set(err, CDX_IO, CDX_NO_OFFSET,
                        "%s: a symbolic link is in the way of a new index file; not followed",
                        shown);
  return -cdx_err_set(err, CDX_IO, CDX_NO_OFFSET, "%s: %s", shown, strerror(e));
}

int cdx_dir_open_file(const cdx_dir *d, const char *name, cdx_error *err) {
  int fd = openat(d->fd, name, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
  if (fd >= 0) return fd;
  char shown[PATH_MAX];
  return -open_error(cdx_dir_name(d, name, shown, sizeof shown), errno, err);
}

int cdx_dir_read(const cdx_dir *d, const char *name, char **data, size_t *len, cdx_error *err) {
  char shown[PATH_MAX];
  return read_file(d->fd, name, cdx_dir_name(d, name, shown, sizeof shown), SIZE_MAX, O_NOFOLLOW,
                   data, len, err);
}

void cdx_dir_unlink(const cdx_dir *d, const char *name) { (void)unlinkat(d->fd, name, 0); }

DIR *cdx_dir_list(const cdx_dir *d) {
  int fd = fcntl(d->fd, F_DUPFD_CLOEXEC, 0);
  DIR *dir = fd >= 0 ? fdopendir(fd) : NULL;
  if (!dir && fd >= 0) {
    int e = errno;
    close(fd);
    errno = e;
  }
  return dir;
}

int cdx_dir_write_atomic(const cdx_dir *d, const char *name, const void *data, size_t len,
                         cdx_error *err) {
  char tmp[NAME_MAX + 1], shown[PATH_MAX];
  if ((size_t)snprintf(tmp, sizeof tmp, "%s.tmp%ld", name, (long)getpid()) >= sizeof tmp)
    return cdx_err_set(err, CDX_INVALID, CDX_NO_OFFSET, "%s: name too long", name);
  cdx_dir_name(d, tmp, shown, sizeof shown);
  /* whatever has the temporary's name is a leftover of a killed writer
   * with this pid, or planted: unlink removes a link, never its target */
  cdx_dir_unlink(d, tmp);
  int fd = cdx_dir_create(d, tmp, err);
  if (fd < 0) return -fd;
  int rc = CDX_OK;
  const char *p = data;
  size_t left = len;
  while (left > 0) {
    ssize_t w = write(fd, p, left);
    if (w < 0) {
      if (errno == EINTR) continue;
      rc = cdx_err_set(err, CDX_IO, CDX_NO_OFFSET, "write %s: %s", shown, strerror(errno));
      break;
    }
    p += w;
    left -= (size_t)w;
  }
  if (rc == CDX_OK && fsync(fd) != 0)
    rc = cdx_err_set(err, CDX_IO, CDX_NO_OFFSET, "fsync %s: %s", shown, strerror(errno));
  if (close(fd) != 0 && rc == CDX_OK)
    rc = cdx_err_set(err, CDX_IO, CDX_NO_OFFSET, "close %s: %s", shown, strerror(errno));
  /* the files this one refers to (and its own entry) reach the disk before
   * the name that publishes them: POSIX does not order directory entries */
  if (rc == CDX_OK) rc = cdx_dir_fsync(d, err);
  /* rename replaces whatever has the final name, a link included, without
   * following it */
  if (rc == CDX_OK && renameat(d->fd, tmp, d->fd, name) != 0)
    rc = cdx_err_set(err, CDX_IO, CDX_NO_OFFSET, "rename %s: %s",
                     cdx_dir_name(d, name, shown, sizeof shown), strerror(errno));
  if (rc != CDX_OK) cdx_dir_unlink(d, tmp);
  else if ((rc = cdx_dir_fsync(d, err)) != CDX_OK && err) {
    char cause[sizeof err->message];
    memcpy(cause, err->message, sizeof cause);
    cdx_err_set(err, rc, CDX_NO_OFFSET, "%s is in place, but may not be durable: %s",
                cdx_dir_name(d, name, shown, sizeof shown), cause);
  }
  return rc;
}

int cdx_write_file_atomic(const char *path, const void *data, size_t len, cdx_error *err) {
  char *copy = strdup(path), *base = strdup(path);
  if (!copy || !base) {
    free(copy);
    free(base);
    return cdx_err_set(err, CDX_NOMEM, CDX_NO_OFFSET, "out of memory");
  }
  cdx_dir d;
  int rc = cdx_dir_open(dirname(copy), &d, err);
  if (rc == CDX_OK) {
    rc = cdx_dir_write_atomic(&d, basename(base), data, len, err);
    cdx_dir_close(&d);
  }
  free(copy);
  free(base);
  return rc;
}
