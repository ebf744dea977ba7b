/* Generated corpus, indexed: the setup of the ThreadSanitizer programs. */
#define _POSIX_C_SOURCE 200809L
#include "tsan_corpus.h"
#include <stdio.h>
#include <string.h>
#include "clausedex.h"
#include "clausedex/generate.h"

static int die(const char *tag, const char *what, const cdx_error *e) {
  fprintf(stderr, "%s%s: %s\n", tag, what, e->message);
  return 2;
}

int cdx_tsan_index_corpus(const char *work, unsigned seed, size_t target_bytes, size_t split_at,
                          const char *tag, char *idx, size_t idx_size, size_t *n_files) {
  char corpus[4200];
  snprintf(corpus, sizeof corpus, "%s/corpus", work);
  snprintf(idx, idx_size, "%s/idx", work);
  cdx_error e;
  cdx_generate_options go = {.seed = seed, .target_bytes = target_bytes};
  if (cdx_generate_corpus(corpus, &go, NULL, &e) != CDX_OK) return die(tag, "generate", &e);
  char cmd[9000];
  /* the generated files, as the command lists them */
  snprintf(cmd, sizeof cmd, "find '%s' -name '*.txt' | sort", corpus);
  FILE *list = popen(cmd, "r");
  if (!list) return 2;
  cdx_writer *w;
  if (cdx_writer_open(idx, NULL, &w, &e) != CDX_OK)
    return pclose(list), die(tag, "writer open", &e);
  char line[4300];
  size_t n = 0;
  int rc = 0;
  while (!rc && fgets(line, sizeof line, list)) {
    line[strcspn(line, "\n")] = 0;
    if (cdx_writer_add_file(w, line, NULL, NULL, &e) != CDX_OK) rc = die(tag, "add", &e);
    /* an early commit: two segments */
    else if (++n == split_at && cdx_writer_commit(w, &e) != CDX_OK) rc = die(tag, "commit", &e);
  }
  pclose(list);
  if (!rc && cdx_writer_commit(w, &e) != CDX_OK) rc = die(tag, "commit", &e);
  cdx_writer_close(w);
  if (n_files) *n_files = n;
  return rc;
}
