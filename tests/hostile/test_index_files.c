/* Links planted in an index directory (issue 19, defect 5) and the mode of
 * index files (defect 9). Before: a segment name planted as a link made the
 * writer overwrite a file outside the index, and a dangling LOCK link
 * created its target. Now nothing in the index is followed: the commit in
 * flight fails, naming the file, and the last commit stays whole. */
#define _POSIX_C_SOURCE 200809L
#define _DEFAULT_SOURCE
#include <criterion/criterion.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "clausedex.h"
#include "indexer/ix_internal.h"
#include "support/test_support.h"
#include "support/ix_paths.h"

static void put(const char *path, const char *text) {
  FILE *f = fopen(path, "w");
  cr_assert_not_null(f, "%s", path);
  fputs(text, f);
  fclose(f);
}

static char *slurp(const char *path) {
  size_t n;
  return cdx_test_read(path, &n);
}

static uint64_t documents(const char *idx) {
  cdx_index *ix;
  cdx_error err;
  cr_assert_eq(cdx_index_open(idx, &ix, &err), CDX_OK, "%s", err.message);
  cdx_index_stats st;
  cdx_index_get_stats(ix, &st);
  cdx_index_close(ix);
  return st.documents;
}

/* Any path: a failed writer refuses it before looking at it. */
static const char *fx_dummy_path(const char *tmp) {
  static char p[4300];
  snprintf(p, sizeof p, "%s/doc0.txt", tmp);
  return p;
}

typedef struct fixture {
  char *tmp;
  char idx[4200], a[4200], b[4200], victim[4200];
} fixture;

/* An index holding a.txt (one commit), a victim file outside it. */
static void setup_index(fixture *fx) {
  fx->tmp = cdx_test_tmpdir();
  snprintf(fx->idx, sizeof fx->idx, "%s/idx", fx->tmp);
  snprintf(fx->a, sizeof fx->a, "%s/a.txt", fx->tmp);
  snprintf(fx->b, sizeof fx->b, "%s/b.txt", fx->tmp);
  snprintf(fx->victim, sizeof fx->victim, "%s/victim", fx->tmp);
  put(fx->a, "关于加强创新载体建设的若干意见\n");
  put(fx->b, "关于推动专精特新企业发展的若干意见\n");
  put(fx->victim, "precious\n");
  cdx_writer *w;
  cdx_error err;
  cr_assert_eq(cdx_writer_open(fx->idx, NULL, &w, &err), CDX_OK, "%s", err.message);
  cr_assert_eq(cdx_writer_add_file(w, fx->a, NULL, NULL, &err), CDX_OK, "%s", err.message);
  cr_assert_eq(cdx_writer_commit(w, &err), CDX_OK, "%s", err.message);
  cdx_writer_close(w);
}

static void teardown(fixture *fx) {
  cdx_test_rmtree(fx->tmp);
  free(fx->tmp);
}

static void assert_victim_and_old_commit(fixture *fx) {
  char *v = slurp(fx->victim);
  cr_assert_str_eq(v, "precious\n");
  free(v);
  cdx_error err;
  cr_assert_eq(cdx_index_check(fx->idx, &err), CDX_OK, "%s", err.message);
  cr_assert_eq(documents(fx->idx), 1);
}

/* The next segment's name planted as a link while the writer runs. */
Test(index_files, planted_segment_link_is_not_followed) {
  for (int dangling = 0; dangling < 2; dangling++) {
    fixture fx;
    setup_index(&fx);
    cdx_manifest m;
    cdx_error err;
    cr_assert_eq(ixp_man_read(fx.idx, &m, &err), CDX_OK, "%s", err.message);
    char name[64], link[4300], target[4300];
    cdx_seg_file_name(name, sizeof name, m.next_seg);
    cdx_man_free(&m);
    snprintf(link, sizeof link, "%s/%s", fx.idx, name);
    snprintf(target, sizeof target, "%s/%s", fx.tmp, dangling ? "created-outside" : "victim");
    cdx_writer *w;
    cr_assert_eq(cdx_writer_open(fx.idx, NULL, &w, &err), CDX_OK, "%s", err.message);
    cr_assert_eq(cdx_writer_add_file(w, fx.b, NULL, NULL, &err), CDX_OK, "%s", err.message);
    cr_assert_eq(symlink(target, link), 0);
    int rc = cdx_writer_commit(w, &err);
    cr_assert_eq(rc, CDX_IO, "commit through a planted link: %d %s", rc, err.message);
    cr_assert(strstr(err.message, name) && strstr(err.message, "symbolic link"), "%s", err.message);
    cdx_writer_close(w);
    struct stat st;
    cr_assert_neq(lstat(target, &st) == 0 && dangling, 1, "%s was created", target);
    assert_victim_and_old_commit(&fx);
    teardown(&fx);
  }
}

/* The manifest's temporary name planted as a link: removed, not followed. */
Test(index_files, planted_manifest_tmp_link_is_not_followed) {
  fixture fx;
  setup_index(&fx);
  char link[4300];
  snprintf(link, sizeof link, "%s/MANIFEST.tmp%ld", fx.idx, (long)getpid());
  cdx_writer *w;
  cdx_error err;
  cr_assert_eq(cdx_writer_open(fx.idx, NULL, &w, &err), CDX_OK, "%s", err.message);
  cr_assert_eq(cdx_writer_add_file(w, fx.b, NULL, NULL, &err), CDX_OK, "%s", err.message);
  cr_assert_eq(symlink(fx.victim, link), 0);
  cr_assert_eq(cdx_writer_commit(w, &err), CDX_OK, "%s", err.message);
  cdx_writer_close(w);
  char *v = slurp(fx.victim);
  cr_assert_str_eq(v, "precious\n");
  free(v);
  cr_assert_eq(cdx_index_check(fx.idx, &err), CDX_OK, "%s", err.message);
  cr_assert_eq(documents(fx.idx), 2);
  teardown(&fx);
}

/* A LOCK link, dangling or not, is refused; its target is neither created
 * nor truncated. */
Test(index_files, lock_link_is_refused) {
  for (int dangling = 0; dangling < 2; dangling++) {
    fixture fx;
    setup_index(&fx);
    char lock[4300], target[4300];
    snprintf(lock, sizeof lock, "%s/LOCK", fx.idx);
    snprintf(target, sizeof target, "%s/%s", fx.tmp, dangling ? "created-outside" : "victim");
    cr_assert_eq(unlink(lock), 0);
    cr_assert_eq(symlink(target, lock), 0);
    cdx_writer *w;
    cdx_error err;
    int rc = cdx_writer_open(fx.idx, NULL, &w, &err);
    cr_assert_eq(rc, CDX_IO, "%d %s", rc, err.message);
    cr_assert(strstr(err.message, "LOCK: is a symbolic link"), "%s", err.message);
    struct stat st;
    cr_assert_neq(lstat(target, &st) == 0 && dangling, 1, "%s was created", target);
    assert_victim_and_old_commit(&fx);
    teardown(&fx);
  }
}

/* A MANIFEST or segment replaced by a link is not read through it. */
Test(index_files, readers_do_not_follow_links) {
  fixture fx;
  setup_index(&fx);
  char man[4300], moved[4300];
  snprintf(man, sizeof man, "%s/MANIFEST", fx.idx);
  snprintf(moved, sizeof moved, "%s/MANIFEST.elsewhere", fx.tmp);
  cr_assert_eq(rename(man, moved), 0);
  cr_assert_eq(symlink(moved, man), 0);
  cdx_index *ix;
  cdx_error err;
  cr_assert_neq(cdx_index_open(fx.idx, &ix, &err), CDX_OK);
  cr_assert(strstr(err.message, "MANIFEST: is a symbolic link"), "%s", err.message);
  cr_assert_eq(unlink(man), 0);
  cr_assert_eq(rename(moved, man), 0);
  cr_assert_eq(documents(fx.idx), 1);
  teardown(&fx);
}

/* Index files follow the directory's mode: a private directory gives
 * private files. */
/* The index's path is resolved once, when the writer opens it: a
 * directory swapped in for it (here a link to another directory) while the
 * writer runs receives nothing, and the commit lands in the directory that
 * was opened (issue 19, defect 5: every file is reached through the
 * directory's descriptor). Before, the commit's segment, deletion and
 * manifest files were written through the link. */
Test(index_files, swapped_index_path_is_not_followed) {
  fixture fx;
  setup_index(&fx);
  cdx_writer *w;
  cdx_error err;
  cr_assert_eq(cdx_writer_open(fx.idx, NULL, &w, &err), CDX_OK, "%s", err.message);
  cr_assert_eq(cdx_writer_add_file(w, fx.b, NULL, NULL, &err), CDX_OK, "%s", err.message);
  char moved[4300], elsewhere[4300];
  snprintf(moved, sizeof moved, "%s/idx-moved", fx.tmp);
  snprintf(elsewhere, sizeof elsewhere, "%s/elsewhere", fx.tmp);
  cr_assert_eq(mkdir(elsewhere, 0755), 0);
  cr_assert_eq(rename(fx.idx, moved), 0);
  cr_assert_eq(symlink(elsewhere, fx.idx), 0);
  cr_assert_eq(cdx_writer_commit(w, &err), CDX_OK, "%s", err.message);
  cdx_writer_close(w);
  DIR *d = opendir(elsewhere);
  cr_assert_not_null(d);
  for (struct dirent *e; (e = readdir(d)) != NULL;)
    cr_expect(strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0,
              "written through the swapped path: %s", e->d_name);
  closedir(d);
  cr_expect_eq(documents(moved), 2);
  cr_expect_eq(cdx_index_check(moved, &err), CDX_OK, "%s", err.message);
  teardown(&fx);
}

Test(index_files, files_follow_the_directory_mode) {
  mode_t old = umask(022);
  static const mode_t dir_modes[] = {0700, 0750, 0755};
  static const mode_t file_modes[] = {0600, 0640, 0644};
  for (size_t k = 0; k < 3; k++) {
    char *tmp = cdx_test_tmpdir();
    char idx[4200], a[4200], b[4200];
    snprintf(idx, sizeof idx, "%s/idx", tmp);
    snprintf(a, sizeof a, "%s/a.txt", tmp);
    snprintf(b, sizeof b, "%s/b.txt", tmp);
    put(a, "关于加强创新载体建设的若干意见\n");
    put(b, "关于推动专精特新企业发展的若干意见\n");
    cr_assert_eq(mkdir(idx, dir_modes[k]), 0);
    cr_assert_eq(chmod(idx, dir_modes[k]), 0);
    cdx_writer *w;
    cdx_error err;
    cr_assert_eq(cdx_writer_open(idx, NULL, &w, &err), CDX_OK, "%s", err.message);
    cr_assert_eq(cdx_writer_add_file(w, a, NULL, NULL, &err), CDX_OK, "%s", err.message);
    cr_assert_eq(cdx_writer_add_file(w, b, NULL, NULL, &err), CDX_OK, "%s", err.message);
    cr_assert_eq(cdx_writer_commit(w, &err), CDX_OK, "%s", err.message);
    cr_assert_eq(cdx_writer_delete(w, a, &err), CDX_OK, "%s", err.message);
    cr_assert_eq(cdx_writer_commit(w, &err), CDX_OK, "%s", err.message);
    cdx_writer_close(w);
    DIR *d = opendir(idx);
    cr_assert_not_null(d);
    int seen = 0;
    for (struct dirent *e; (e = readdir(d));) {
      if (e->d_name[0] == '.') continue;
      char p[4500];
      snprintf(p, sizeof p, "%s/%s", idx, e->d_name);
      struct stat st;
      cr_assert_eq(stat(p, &st), 0);
      cr_expect_eq(st.st_mode & 0777, file_modes[k], "%s: %o in a %o directory", e->d_name,
                   (unsigned)(st.st_mode & 0777), (unsigned)dir_modes[k]);
      seen++;
    }
    closedir(d);
    cr_assert_geq(seen, 4, "LOCK, MANIFEST, segments, a deletion file");
    cdx_test_rmtree(tmp);
    free(tmp);
  }
  umask(old);
}

/* Defect 10: a step after the new MANIFEST is in place fails. The commit is
 * then visible and durable, and the error says so ("committed ..., but
 * then:") instead of claiming nothing is visible. The failure injected: the
 * merge that follows the eleventh segment's commit finds a directory where
 * its new segment file goes (a directory survives the cleanup of stray
 * seg- files). */
Test(index_files, failure_after_publish_says_committed) {
  char *tmp = cdx_test_tmpdir();
  char idx[4200];
  snprintf(idx, sizeof idx, "%s/idx", tmp);
  cdx_writer *w;
  cdx_error err;
  for (int i = 0; i < 10; i++) {
    char p[4300], text[128];
    snprintf(p, sizeof p, "%s/doc%d.txt", tmp, i);
    snprintf(text, sizeof text, "关于加强第%d项创新载体建设的若干意见\n", i);
    put(p, text);
    cr_assert_eq(cdx_writer_open(idx, NULL, &w, &err), CDX_OK, "%s", err.message);
    cr_assert_eq(cdx_writer_add_file(w, p, NULL, NULL, &err), CDX_OK, "%s", err.message);
    cr_assert_eq(cdx_writer_commit(w, &err), CDX_OK, "%s", err.message);
    cdx_writer_close(w);
  }
  cdx_manifest m;
  cr_assert_eq(ixp_man_read(idx, &m, &err), CDX_OK, "%s", err.message);
  cr_assert_eq(m.n_segs, 10);
  /* the eleventh commit's segment is m.next_seg, the merge's the one after */
  char name[64], blocker[4300];
  cdx_seg_file_name(name, sizeof name, m.next_seg + 1);
  uint64_t gen = m.generation + 1;
  cdx_man_free(&m);
  snprintf(blocker, sizeof blocker, "%s/%s", idx, name);
  char p[4300];
  snprintf(p, sizeof p, "%s/doc10.txt", tmp);
  put(p, "关于加强第10项创新载体建设的若干意见\n");
  cr_assert_eq(cdx_writer_open(idx, NULL, &w, &err), CDX_OK, "%s", err.message);
  cr_assert_eq(cdx_writer_add_file(w, p, NULL, NULL, &err), CDX_OK, "%s", err.message);
  cr_assert_eq(mkdir(blocker, 0755), 0);
  int rc = cdx_writer_commit(w, &err);
  cr_assert_neq(rc, CDX_OK, "the merge should have failed");
  char want[96];
  snprintf(want, sizeof want, "committed (generation %llu), but then: ", (unsigned long long)gen);
  cr_assert(strncmp(err.message, want, strlen(want)) == 0, "%s", err.message);
  cr_assert(strstr(err.message, name), "%s", err.message);
  /* the writer is unusable now, and says why */
  cr_assert_eq(cdx_writer_add_file(w, fx_dummy_path(tmp), NULL, NULL, &err), CDX_INVALID);
  cdx_writer_close(w);
  /* visible: eleven documents in eleven segments, and sound */
  cr_assert_eq(documents(idx), 11);
  cr_assert_eq(cdx_index_check(idx, &err), CDX_OK, "%s", err.message);
  cr_assert_eq(ixp_man_read(idx, &m, &err), CDX_OK, "%s", err.message);
  cr_assert_eq(m.generation, gen);
  cr_assert_eq(m.n_segs, 11);
  cdx_man_free(&m);
  /* with the obstacle gone the next commit merges */
  cr_assert_eq(rmdir(blocker), 0);
  cr_assert_eq(cdx_writer_open(idx, NULL, &w, &err), CDX_OK, "%s", err.message);
  cr_assert_eq(cdx_writer_delete(w, p, &err), CDX_OK, "%s", err.message);
  cr_assert_eq(cdx_writer_commit(w, &err), CDX_OK, "%s", err.message);
  cdx_writer_close(w);
  cr_assert_eq(documents(idx), 10);
  cr_assert_eq(ixp_man_read(idx, &m, &err), CDX_OK, "%s", err.message);
  cr_assert_lt(m.n_segs, 11);
  cdx_man_free(&m);
  cdx_test_rmtree(tmp);
  free(tmp);
}
