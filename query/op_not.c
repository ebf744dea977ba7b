/*
 * AND-NOT: units of the positive child that the negative child does not
 * hold. The negative side is only ever seeked to the positive candidates,
 * so a common excluded word costs skips, not a scan.
 */
#include <stdlib.h>
#include "query/query.h"

typedef struct not_it {
  cdx_q_it base;
  cdx_q_it *pos, *neg;
} not_it;

static int not_settle(not_it *n, cdx_error *err) {
  for (;;) {
    uint32_t d = n->pos->docid;
    if (d == CDX_Q_END) break;
    int rc = cdx_q_seek(n->neg, d, err);
    if (rc) return rc;
    if (n->neg->docid != d) break;
    /* Excluding needs certainty: a positional-only match of the excluded
     * word must be confirmed before it removes the unit. */
    bool sure;
    rc = cdx_q_confirm(n->neg, &sure, err);
    if (rc) return rc;
    if (!sure) break;
    rc = cdx_q_next(n->pos, err);
    if (rc) return rc;
  }
  n->base.docid = n->pos->docid;
  return CDX_OK;
}

static int not_next(cdx_q_it *it, cdx_error *err) {
  not_it *n = (not_it *)it;
  it->started = true;
  int rc = cdx_q_next(n->pos, err);
  return rc ? rc : not_settle(n, err);
}

static int not_seek(cdx_q_it *it, uint32_t target, cdx_error *err) {
  not_it *n = (not_it *)it;
  it->started = true;
  int rc = cdx_q_seek(n->pos, target, err);
  return rc ? rc : not_settle(n, err);
}

static void not_destroy(cdx_q_it *it) {
  not_it *n = (not_it *)it;
  cdx_q_it_free(n->pos);
  cdx_q_it_free(n->neg);
  free(n);
}

static void not_describe(const cdx_q_it *it, int *rc, cdx_buf *b) {
  const not_it *n = (const not_it *)it;
  cdx_buf_puts(rc, b, "ANDNOT(");
  cdx_q_it_describe(n->pos, rc, b);
  cdx_buf_puts(rc, b, ", ");
  cdx_q_it_describe(n->neg, rc, b);
  cdx_buf_putc(rc, b, ')');
}

static int not_confirm(cdx_q_it *it, bool *ok, cdx_error *err) {
  return cdx_q_confirm(((not_it *)it)->pos, ok, err);
}

static const cdx_q_it_vt not_vt = {.next = not_next,
                                   .seek = not_seek,
                                   .destroy = not_destroy,
                                   .describe = not_describe,
                                   .confirm = not_confirm};

cdx_q_it *cdx_q_not_new(cdx_q_it *pos, cdx_q_it *neg) {
  not_it *n = malloc(sizeof *n);
  if (!n) {
    cdx_q_it_free(pos);
    cdx_q_it_free(neg);
    return NULL;
  }
  n->base = (cdx_q_it){&not_vt, 0, false, pos->cost};
  n->pos = pos;
  n->neg = neg;
  cdx_q_filter_defer(neg); /* not_settle confirms before it excludes */
  return &n->base;
}
