/* Probe of the dependency rule: a module that USES common/ only includes a
 * corpus/ header. Must fail to compile (tests/deps/check_rule.cmake). */
#include "corpus/corpus.h"

int cdx_probe_forbidden_module(void);
int cdx_probe_forbidden_module(void) { return 0; }
