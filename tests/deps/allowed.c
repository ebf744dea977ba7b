/* Probe of the dependency rule: a module that USES common/ may include its
 * header and the public ones. Must compile (tests/deps/check_rule.cmake). */
#include "clausedex/errors.h"
#include "common/common.h"

int cdx_probe_allowed(void);
int cdx_probe_allowed(void) { return CDX_OK; }
