/* Collects an analyzer's tokens into an array, for assertions. */
#ifndef TOK_HELPERS_H
#define TOK_HELPERS_H

#include <stddef.h>
#include "clausedex/analyzer.h"

typedef struct tok {
  char term[64];   /* NUL-terminated copy (tests use short terms) */
  size_t term_len; /* the real length, which may exceed the copy */
  uint32_t pos;
  size_t start, end;
  cdx_token_type type;
} tok;

typedef struct toks {
  tok *v;
  size_t n, cap;
} toks;

/* Analyzes text (NUL-terminated) with flags; asserts success. Free with toks_free. */
toks analyze(const char *text, unsigned flags);
/* Same with an explicit length; returns the status and fills err. */
int analyze_n(const char *text, size_t len, unsigned flags, toks *out, cdx_error *err);
void toks_free(toks *t);
/* "term@pos term@pos ..." for readable assertion messages; static buffer. */
const char *toks_str(const toks *t);
/* Folds text; asserts success. Caller frees with cdx_free. */
char *fold(const char *text, size_t len, size_t *out_len);

#endif
