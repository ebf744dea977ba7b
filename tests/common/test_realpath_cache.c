/* The cached realpath gives realpath()'s answer for every path shape a
 * caller can hand the writer: relative and absolute, through linked
 * directories and linked files, after a chdir, and for missing files. */
#define _DEFAULT_SOURCE
#define _POSIX_C_SOURCE 200809L
#include <criterion/criterion.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/common.h"

static char root[PATH_MAX];

static void touch(const char *rel) {
  char p[2 * PATH_MAX];
  snprintf(p, sizeof p, "%s/%s", root, rel);
  FILE *f = fopen(p, "w");
  cr_assert_not_null(f, "%s", p);
  fputs("x", f);
  fclose(f);
}

static void mkdir_rel(const char *rel) {
  char p[2 * PATH_MAX];
  snprintf(p, sizeof p, "%s/%s", root, rel);
  cr_assert_eq(mkdir(p, 0755), 0, "%s", p);
}

static void link_rel(const char *target, const char *rel) {
  char p[2 * PATH_MAX];
  snprintf(p, sizeof p, "%s/%s", root, rel);
  cr_assert_eq(symlink(target, p), 0, "%s", p);
}

/* a tree with a linked directory, a linked file, and a dangling link */
static void make_tree(void) {
  char tmpl[] = "/tmp/cdx-realpath-XXXXXX";
  cr_assert_not_null(mkdtemp(tmpl));
  cr_assert_not_null(realpath(tmpl, root));
  mkdir_rel("a");
  mkdir_rel("a/b");
  mkdir_rel("c");
  touch("a/one.txt");
  touch("a/two.txt");
  touch("a/b/three.txt");
  touch("c/four.txt");
  touch("top.txt");
  touch("a/top.txt"); /* same relative name as top.txt, one chdir away */
  link_rel("a/b", "linked_dir");
  link_rel("../c/four.txt", "a/linked_file.txt");
  link_rel("nowhere.txt", "a/dangling.txt");
}

static void remove_tree(void) {
  char cmd[PATH_MAX + 16];
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", root);
  cr_assert_eq(system(cmd), 0);
}

/* the cached answer is realpath's, including its errno */
static void agrees(cdx_realpath_cache *c, const char *path) {
  char want[PATH_MAX], got[PATH_MAX];
  errno = 0;
  int want_e = realpath(path, want) ? 0 : errno;
  int got_e = cdx_realpath_cached(c, path, got);
  cr_assert_eq(got_e, want_e, "%s: errno %d, realpath says %d", path, got_e, want_e);
  if (!want_e) cr_assert_str_eq(got, want, "%s", path);
}

Test(realpath_cache, agrees_with_realpath, .init = make_tree, .fini = remove_tree) {
  cdx_realpath_cache *c = cdx_realpath_cache_new();
  cr_assert_not_null(c);
  const char *rel[] = {"a/one.txt",
                       "a/two.txt",
                       "a/b/three.txt",
                       "a/one.txt",
                       "linked_dir/three.txt",
                       "a/linked_file.txt",
                       "a/dangling.txt",
                       "a/missing.txt",
                       "missing/x.txt",
                       "a/b/../one.txt",
                       "./a/one.txt",
                       "a//two.txt",
                       "a/b/",
                       "a/.",
                       "a/..",
                       "c/four.txt",
                       "a/one.txt/x"};
  char abs[2 * PATH_MAX];
  for (size_t i = 0; i < sizeof rel / sizeof rel[0]; i++) {
    snprintf(abs, sizeof abs, "%s/%s", root, rel[i]);
    agrees(c, abs);
  }
  /* relative paths, then the same names from another working directory:
   * the cached directory must not outlive the chdir */
  char old[PATH_MAX];
  cr_assert_not_null(getcwd(old, sizeof old));
  cr_assert_eq(chdir(root), 0);
  for (size_t i = 0; i < sizeof rel / sizeof rel[0]; i++) agrees(c, rel[i]);
  agrees(c, "top.txt");
  char sub[PATH_MAX + 8];
  snprintf(sub, sizeof sub, "%s/a", root);
  cr_assert_eq(chdir(sub), 0);
  agrees(c, "top.txt");
  agrees(c, "one.txt");
  agrees(c, "b/three.txt");
  cr_assert_eq(chdir(root), 0);
  agrees(c, "one.txt"); /* not here: ENOENT, whatever was cached */
  agrees(c, "a/one.txt");
  cr_assert_eq(chdir(old), 0);
  agrees(c, "/");
  agrees(c, "");
  cdx_realpath_cache_free(c);
}
