/*
 * LD_PRELOAD shim for the power-loss rig (tests/crash/powerloss): records,
 * in the order the process issues them, every call that changes a file or a
 * directory entry, with the bytes written, so that the rig can rebuild the
 * disk as a power cut at any point could leave it (writes not yet fsynced
 * lost or kept in any subset; directory entries not yet made durable by an
 * fsync of their directory lost or kept).
 *
 * $CDX_TRACE names a file prefix: PREFIX.ops gets one line per call,
 *   create PATH | trunc PATH LEN | write PATH OFF LEN DATAOFF |
 *   fsync PATH | rename FROM TO | unlink PATH | mkdir PATH | rmdir PATH
 * with absolute paths, and PREFIX.data the bytes of the writes (DATAOFF is
 * the offset there). Only calls that succeed are recorded. The shim changes
 * nothing else: the process runs as it would without it. Paths are taken
 * from /proc/self/fd for descriptors, so a write through a descriptor after a
 * rename names the file's current name.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>
#include "shim.h"

static pthread_mutex_t s_mu = PTHREAD_MUTEX_INITIALIZER;
static int s_ops = -2, s_data = -1; /* -2: not opened yet; -1: tracing off */
static off_t s_data_len;

/* The trace files' own descriptors, opened with the real open. */
static void start(void) {
  REAL(int, open, (const char *, int, ...));
  const char *p = getenv("CDX_TRACE");
  s_ops = -1;
  if (!p) return;
  char name[PATH_MAX];
  snprintf(name, sizeof name, "%s.ops", p);
  s_ops = real_open(name, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  snprintf(name, sizeof name, "%s.data", p);
  s_data = real_open(name, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (s_ops < 0 || s_data < 0) s_ops = -1;
}

static bool tracing(int fd) {
  if (s_ops == -2) start();
  return s_ops >= 0 && fd != s_ops && fd != s_data;
}

/* Raw writes to the trace, with the real write: never recorded themselves. */
static void put(int fd, const void *buf, size_t n) {
  REAL(ssize_t, write, (int, const void *, size_t));
  const char *p = buf;
  while (n) {
    ssize_t k = real_write(fd, p, n);
    if (k <= 0) {
      if (k < 0 && errno == EINTR) continue;
      return;
    }
    p += k;
    n -= (size_t)k;
  }
}

static void line(const char *fmt, ...) {
  char buf[3 * PATH_MAX];
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(buf, sizeof buf, fmt, ap);
  va_end(ap);
  if (n > 0 && (size_t)n < sizeof buf) put(s_ops, buf, (size_t)n);
}

/* The absolute name of dirfd/path (dirfd AT_FDCWD: the working directory). */
static bool abs_at(int dirfd, const char *path, char out[PATH_MAX]) {
  if (path[0] == '/') return snprintf(out, PATH_MAX, "%s", path) < PATH_MAX;
  char dir[PATH_MAX];
  if (dirfd == AT_FDCWD) {
    if (!getcwd(dir, sizeof dir)) return false;
  } else {
    char link[64];
    snprintf(link, sizeof link, "/proc/self/fd/%d", dirfd);
    ssize_t n = readlink(link, dir, sizeof dir - 1);
    if (n <= 0) return false;
    dir[n] = '\0';
  }
  return snprintf(out, PATH_MAX, "%s/%s", dir, path) < PATH_MAX;
}

/* The current name of a descriptor's file; false for what is not a file in
 * a directory (pipes, sockets, terminals, deleted files). */
static bool fd_path(int fd, char out[PATH_MAX]) {
  char link[64];
  snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
  ssize_t n = readlink(link, out, PATH_MAX - 1);
  if (n <= 0 || out[0] != '/') return false;
  out[n] = '\0';
  return strstr(out, " (deleted)") == NULL;
}

static void traced_write(int fd, const void *buf, ssize_t n, off_t off) {
  char p[PATH_MAX];
  if (n <= 0 || !fd_path(fd, p)) return;
  line("write %s %lld %lld %lld\n", p, (long long)off, (long long)n, (long long)s_data_len);
  put(s_data, buf, (size_t)n);
  s_data_len += n;
}

ssize_t write(int fd, const void *buf, size_t n) {
  REAL(ssize_t, write, (int, const void *, size_t));
  if (fd <= 2) return real_write(fd, buf, n);
  pthread_mutex_lock(&s_mu);
  off_t off = tracing(fd) ? lseek(fd, 0, SEEK_CUR) : -1;
  ssize_t k = real_write(fd, buf, n);
  int e = errno;
  if (off >= 0) traced_write(fd, buf, k, off);
  pthread_mutex_unlock(&s_mu);
  errno = e;
  return k;
}

ssize_t pwrite(int fd, const void *buf, size_t n, off_t off) {
  REAL(ssize_t, pwrite, (int, const void *, size_t, off_t));
  pthread_mutex_lock(&s_mu);
  ssize_t k = real_pwrite(fd, buf, n, off);
  int e = errno;
  if (tracing(fd)) traced_write(fd, buf, k, off);
  pthread_mutex_unlock(&s_mu);
  errno = e;
  return k;
}

static int traced_sync(int fd, int rc) {
  char p[PATH_MAX];
  if (rc == 0 && tracing(fd) && fd_path(fd, p)) line("fsync %s\n", p);
  return rc;
}

int fsync(int fd) {
  REAL(int, fsync, (int));
  pthread_mutex_lock(&s_mu);
  int rc = traced_sync(fd, real_fsync(fd));
  pthread_mutex_unlock(&s_mu);
  return rc;
}

int fdatasync(int fd) {
  REAL(int, fdatasync, (int));
  pthread_mutex_lock(&s_mu);
  int rc = traced_sync(fd, real_fdatasync(fd));
  pthread_mutex_unlock(&s_mu);
  return rc;
}

/* An open that may create or truncate: recorded after it succeeds. */
static int traced_open(int dirfd, const char *path, int flags, int fd, bool existed) {
  char p[PATH_MAX];
  if (fd < 0 || !tracing(fd) || !abs_at(dirfd, path, p)) return fd;
  if ((flags & O_CREAT) && !existed) line("create %s\n", p);
  else if ((flags & O_TRUNC) && (flags & O_ACCMODE) != O_RDONLY) line("trunc %s 0\n", p);
  return fd;
}

int open(const char *path, int flags, ...) {
  REAL(int, open, (const char *, int, ...));
  SHIM_OPEN_MODE(mode, flags, flags);
  pthread_mutex_lock(&s_mu);
  struct stat st;
  bool existed = (flags & O_CREAT) && lstat(path, &st) == 0;
  int fd = real_open(path, flags, mode);
  int e = errno;
  traced_open(AT_FDCWD, path, flags, fd, existed);
  pthread_mutex_unlock(&s_mu);
  errno = e;
  return fd;
}

int openat(int dirfd, const char *path, int flags, ...) {
  REAL(int, openat, (int, const char *, int, ...));
  SHIM_OPEN_MODE(mode, flags, flags);
  pthread_mutex_lock(&s_mu);
  struct stat st;
  bool existed = (flags & O_CREAT) && fstatat(dirfd, path, &st, AT_SYMLINK_NOFOLLOW) == 0;
  int fd = real_openat(dirfd, path, flags, mode);
  int e = errno;
  traced_open(dirfd, path, flags, fd, existed);
  pthread_mutex_unlock(&s_mu);
  errno = e;
  return fd;
}

static int traced_rename(int da, const char *a, int db, const char *b, int rc) {
  char pa[PATH_MAX], pb[PATH_MAX];
  if (rc == 0 && tracing(-1) && abs_at(da, a, pa) && abs_at(db, b, pb))
    line("rename %s %s\n", pa, pb);
  return rc;
}

int rename(const char *a, const char *b) {
  REAL(int, rename, (const char *, const char *));
  pthread_mutex_lock(&s_mu);
  int rc = real_rename(a, b), e = errno;
  traced_rename(AT_FDCWD, a, AT_FDCWD, b, rc);
  pthread_mutex_unlock(&s_mu);
  errno = e;
  return rc;
}

int renameat(int da, const char *a, int db, const char *b) {
  REAL(int, renameat, (int, const char *, int, const char *));
  pthread_mutex_lock(&s_mu);
  int rc = real_renameat(da, a, db, b), e = errno;
  traced_rename(da, a, db, b, rc);
  pthread_mutex_unlock(&s_mu);
  errno = e;
  return rc;
}

int renameat2(int da, const char *a, int db, const char *b, unsigned flags) {
  REAL(int, renameat2, (int, const char *, int, const char *, unsigned));
  pthread_mutex_lock(&s_mu);
  int rc = real_renameat2(da, a, db, b, flags), e = errno;
  traced_rename(da, a, db, b, rc);
  pthread_mutex_unlock(&s_mu);
  errno = e;
  return rc;
}

static int traced_path(const char *what, int dirfd, const char *path, int rc) {
  char p[PATH_MAX];
  if (rc == 0 && tracing(-1) && abs_at(dirfd, path, p)) line("%s %s\n", what, p);
  return rc;
}

int unlink(const char *p) {
  REAL(int, unlink, (const char *));
  pthread_mutex_lock(&s_mu);
  int rc = real_unlink(p), e = errno;
  traced_path("unlink", AT_FDCWD, p, rc);
  pthread_mutex_unlock(&s_mu);
  errno = e;
  return rc;
}

int unlinkat(int d, const char *p, int flags) {
  REAL(int, unlinkat, (int, const char *, int));
  pthread_mutex_lock(&s_mu);
  int rc = real_unlinkat(d, p, flags), e = errno;
  traced_path(flags & AT_REMOVEDIR ? "rmdir" : "unlink", d, p, rc);
  pthread_mutex_unlock(&s_mu);
  errno = e;
  return rc;
}

int rmdir(const char *p) {
  REAL(int, rmdir, (const char *));
  pthread_mutex_lock(&s_mu);
  int rc = real_rmdir(p), e = errno;
  traced_path("rmdir", AT_FDCWD, p, rc);
  pthread_mutex_unlock(&s_mu);
  errno = e;
  return rc;
}

int mkdir(const char *p, mode_t m) {
  REAL(int, mkdir, (const char *, mode_t));
  pthread_mutex_lock(&s_mu);
  int rc = real_mkdir(p, m), e = errno;
  traced_path("mkdir", AT_FDCWD, p, rc);
  pthread_mutex_unlock(&s_mu);
  errno = e;
  return rc;
}

int ftruncate(int fd, off_t len) {
  REAL(int, ftruncate, (int, off_t));
  pthread_mutex_lock(&s_mu);
  int rc = real_ftruncate(fd, len), e = errno;
  char p[PATH_MAX];
  if (rc == 0 && tracing(fd) && fd_path(fd, p)) line("trunc %s %lld\n", p, (long long)len);
  pthread_mutex_unlock(&s_mu);
  errno = e;
  return rc;
}
