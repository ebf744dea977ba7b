/* libFuzzer target for the query parser: any bytes as a query give a parse
 * tree or a clean error (CDX_SYNTAX, CDX_ENCODING, CDX_LIMIT with an offset
 * inside the query), never a crash, a read past the end or a hang. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "fuzz/fuzz_util.h"
#include "query/query.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  char *q = fuzz_copy(data, size);
  if (!q) return 0;
  cdx_q_node *root = NULL;
  cdx_error err;
  int rc = cdx_q_parse(q, size, &root, &err);
  if (rc == CDX_OK) cdx_q_node_free(root);
  else if (err.offset != CDX_NO_OFFSET && err.offset > size) abort(); /* offset names the query */
  free(q);
  return 0;
}
