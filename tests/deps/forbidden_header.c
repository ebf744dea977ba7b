/* Probe of the dependency rule: a module allowed one header of indexer/
 * (cdx_indexer:index_reader.h, as query/ is) includes another. Must fail to
 * compile (tests/deps/check_rule.cmake). */
#include "indexer/index_reader.h"
#include "indexer/ix_internal.h"

int cdx_probe_forbidden_header(void);
int cdx_probe_forbidden_header(void) { return 0; }
