/*
 * LD_PRELOAD shim for the crash rig (tests/crash/crash_rig): numbers every
 * call that changes a file or directory (write and pwrite outside stdin,
 * stdout and stderr; fsync, fdatasync; open and openat that create; rename,
 * renameat, renameat2; unlink, unlinkat; mkdir; ftruncate) and, when the
 * count reaches $CDX_KILL_AT, sends the process SIGKILL before the call
 * runs: the state on disk is the one a crash at that point leaves (on a
 * kernel that does not lose the page cache; a power cut is the job of
 * tests/crash/powerloss). With $CDX_FAIL_FROM instead, the disk is full from that
 * point on: every later point fails (ENOSPC; EIO for fsync) except unlink,
 * which frees space. With $CDX_KILL_COUNT set to a file name, the number of
 * points seen is written there at exit, so the rig knows how many there are.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>
#include "shim.h"

static unsigned long kill_at, fail_from, points;
static int armed = -1;

static void report(void) {
  const char *p = getenv("CDX_KILL_COUNT");
  if (!p) return;
  FILE *f = fopen(p, "w"); /* fopen's own calls are not counted: libc-internal */
  if (!f) return;
  fprintf(f, "%lu\n", points);
  fclose(f);
}

/* Counts a point; kills at $CDX_KILL_AT; true when the call must fail
 * (the disk is full), with errno set to e. */
static int point_e(int e) {
  if (armed < 0) {
    const char *k = getenv("CDX_KILL_AT"), *f = getenv("CDX_FAIL_FROM");
    kill_at = k ? strtoul(k, NULL, 10) : 0;
    fail_from = f ? strtoul(f, NULL, 10) : 0;
    armed = 1;
    atexit(report);
  }
  points++;
  if (kill_at && points == kill_at) raise(SIGKILL);
  if (fail_from && points >= fail_from && e) {
    errno = e;
    return 1;
  }
  return 0;
}
#define point() point_e(ENOSPC)

ssize_t write(int fd, const void *buf, size_t n) {
  REAL(ssize_t, write, (int, const void *, size_t));
  if (fd > 2 && point()) return -1;
  return real_write(fd, buf, n);
}

ssize_t pwrite(int fd, const void *buf, size_t n, off_t off) {
  REAL(ssize_t, pwrite, (int, const void *, size_t, off_t));
  if (fd > 2 && point()) return -1;
  return real_pwrite(fd, buf, n, off);
}

int fsync(int fd) {
  REAL(int, fsync, (int));
  if (point_e(EIO)) return -1;
  return real_fsync(fd);
}

int fdatasync(int fd) {
  REAL(int, fdatasync, (int));
  if (point_e(EIO)) return -1;
  return real_fdatasync(fd);
}

int open(const char *path, int flags, ...) {
  REAL(int, open, (const char *, int, ...));
  SHIM_OPEN_MODE(mode, flags, flags);
  if ((flags & (O_CREAT | O_TMPFILE)) && point()) return -1;
  return real_open(path, flags, mode);
}

int openat(int dirfd, const char *path, int flags, ...) {
  REAL(int, openat, (int, const char *, int, ...));
  SHIM_OPEN_MODE(mode, flags, flags);
  if ((flags & (O_CREAT | O_TMPFILE)) && point()) return -1;
  return real_openat(dirfd, path, flags, mode);
}

int rename(const char *a, const char *b) {
  REAL(int, rename, (const char *, const char *));
  if (point()) return -1;
  return real_rename(a, b);
}

int renameat(int da, const char *a, int db, const char *b) {
  REAL(int, renameat, (int, const char *, int, const char *));
  if (point()) return -1;
  return real_renameat(da, a, db, b);
}

int renameat2(int da, const char *a, int db, const char *b, unsigned flags) {
  REAL(int, renameat2, (int, const char *, int, const char *, unsigned));
  if (point()) return -1;
  return real_renameat2(da, a, db, b, flags);
}

int unlink(const char *p) {
  REAL(int, unlink, (const char *));
  (void)point_e(0); /* removing files works on a full disk */
  return real_unlink(p);
}

int unlinkat(int d, const char *p, int flags) {
  REAL(int, unlinkat, (int, const char *, int));
  (void)point_e(0); /* removing files works on a full disk */
  return real_unlinkat(d, p, flags);
}

int mkdir(const char *p, mode_t m) {
  REAL(int, mkdir, (const char *, mode_t));
  if (point()) return -1;
  return real_mkdir(p, m);
}

int ftruncate(int fd, off_t len) {
  REAL(int, ftruncate, (int, off_t));
  if (point()) return -1;
  return real_ftruncate(fd, len);
}
