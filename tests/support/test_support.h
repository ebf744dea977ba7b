/* Shared test helpers: where the seed corpus is, and running the CLI. */
#ifndef CDX_TEST_SUPPORT_H
#define CDX_TEST_SUPPORT_H

#include <stddef.h>

/* Directory of the seed corpus: $CLAUSEDEX_SEEDS, else ../shared/corpus/seeds
 * beside the source tree. Returns NULL when it is missing; under CI=true a
 * missing corpus fails the calling test, elsewhere it is skipped visibly. */
const char *cdx_test_seeds_dir(void);

/* Path of seed file NAME ("000_6221eb15cf98cb05.txt") in a static buffer,
 * or NULL (test skipped/failed as above). */
const char *cdx_test_seed_path(const char *name);

/* The five seed file names, in order. */
extern const char *const cdx_test_seed_names[5];

/* Reads a whole file; aborts the test on failure. Caller frees. */
char *cdx_test_read(const char *path, size_t *len);

/* Makes a fresh empty temporary directory; caller removes it with
 * cdx_test_rmtree. Returned string is malloc'ed. */
char *cdx_test_tmpdir(void);
void cdx_test_rmtree(const char *path);

/* A suite fixture, TestSuite(name, .init = cdx_test_dir_init, .fini =
 * cdx_test_dir_fini): each test of the suite gets a fresh temporary directory
 * in cdx_test_dir, removed after it. */
extern char *cdx_test_dir;
void cdx_test_dir_init(void);
void cdx_test_dir_fini(void);

/* Runs the clausedex CLI ($CDX_CLI) with a shell command line appended, e.g.
 * cdx_test_cli(&out, "analyze --json '%s'", text). Captures stdout into *out
 * (malloc'ed, may be NULL) and returns the exit status (-1 on failure). */
int cdx_test_cli(char **out, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* cdx_test_cli, its output unread, then expects (cr_expect: the test goes
 * on) its exit status. */
void cdx_test_cli_exits(int status, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* cdx_test_cli, then asserts its exit status and that its stdout holds want. */
void cdx_test_cli_has(int status, const char *want, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Runs the shell command line cmd: its stdout into *out (as cdx_test_cli), its exit status. */
int cdx_test_run(char **out, const char *cmd);

#endif
