/*
 * clausedex: full-text search over Chinese government policy documents.
 *
 * This is the whole public, embeddable API. The CLI and the benchmarks use
 * nothing else. It is split by pipeline stage into the headers below; each
 * declaration states who owns what and for how long.
 *
 *   errors.h    status codes, cdx_error, cdx_strerror, cdx_free
 *   analyzer.h  the tokenizer used for documents and queries alike
 *   document.h  reading one policy document: metadata and clauses
 *   index.h     writing and opening an index
 *   search.h    running queries over an open index
 *   align.h     clause alignment: diff, similar units, coverage
 *   serve.h     the HTTP server of `clausedex serve` (implemented in
 *               libclausedex_serve, linked besides libclausedex and libmicrohttpd)
 *   generate.h  the synthetic policy-corpus generator (implemented in
 *               libclausedex_gen, which a program links besides libclausedex)
 */
#ifndef CLAUSEDEX_H
#define CLAUSEDEX_H

#include "clausedex/cdx_version.h"
#include "clausedex/errors.h"
#include "clausedex/analyzer.h"
#include "clausedex/document.h"
#include "clausedex/index.h"
#include "clausedex/search.h"
#include "clausedex/align.h"
#include "clausedex/release.h"
#include "clausedex/serve.h"
#include "clausedex/generate.h"

#endif
