/*
 * Concurrent searches on one open index under ThreadSanitizer. Criterion
 * cannot start under TSan (its arena mapping fails), so this is a plain
 * program, run by hand:
 *
 *   cmake -S . -B build-q-tsan -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCDX_BENCH=OFF \
 *     -DCMAKE_C_FLAGS=-fsanitize=thread -DCMAKE_EXE_LINKER_FLAGS=-fsanitize=thread
 *   cmake --build build-q-tsan --target clausedex_cli clausedex_static
 *   cc -fsanitize=thread -Iinclude -Ibuild-q-tsan/include tests/query/tsan_search.c \
 *     build-q-tsan/libclausedex.a $(pkg-config --libs icu-uc icu-i18n zlib) -lm -lpthread
 *   build-q-tsan/clausedex index -i /tmp/ix ../shared/corpus/seeds && ./a.out /tmp/ix
 *
 * 8 threads x 5 rounds of 10 queries; every result total must equal the
 * single-threaded one. Exit 0 and no TSan report = pass.
 */
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include "clausedex.h"
static cdx_index *ix;
static const char *qs[] = {"以旧换新", "人才 OR 科技", "发展 -人才", "\"高质量 发展\"", "责任单位 jurisdiction:鹿城区", "企业 status:draft", "港", "5G", "经济，高质", "奖励 edition:2025"};
static size_t tot[10];
static void *work(void *a);
static void *work(void *a) {
  (void)a;
  for (int r = 0; r < 5; r++)
    for (int q = 0; q < 10; q++) {
      cdx_results *res; cdx_error e;
      if (cdx_search(ix, qs[q], NULL, &res, &e)) return (void *)1;
      if (cdx_results_total(res) != tot[q]) return (void *)2;
      cdx_results_free(res);
    }
  return NULL;
}
int main(int argc, char **argv) {
  if (argc != 2) { fprintf(stderr, "usage: %s INDEX_DIR\n", argv[0]); return 2; }
  cdx_error e;
  if (cdx_index_open(argv[1], &ix, &e)) { puts(e.message); return 2; }
  for (int q = 0; q < 10; q++) { cdx_results *res; cdx_search(ix, qs[q], NULL, &res, &e); tot[q] = cdx_results_total(res); cdx_results_free(res); }
  pthread_t t[8]; int bad = 0;
  for (int i = 0; i < 8; i++) pthread_create(&t[i], NULL, work, NULL);
  for (int i = 0; i < 8; i++) { void *r; pthread_join(t[i], &r); bad += r != NULL; }
  printf("threads with wrong results: %d\n", bad);
  cdx_index_close(ix);
  return bad;
}
