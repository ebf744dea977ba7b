/* --color=auto|always|never, as ripgrep and git read it. */
#define _POSIX_C_SOURCE 200809L
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "cli/cli.h"

int cli_color_parse(const char *when, int fd, bool *on) {
  if (!when || strcmp(when, "auto") == 0) {
    const char *term = getenv("TERM"), *nc = getenv("NO_COLOR");
    *on = isatty(fd) && !(nc && *nc) && !(term && strcmp(term, "dumb") == 0);
    return CLI_OK;
  }
  if (strcmp(when, "always") == 0) {
    *on = true;
    return CLI_OK;
  }
  if (strcmp(when, "never") == 0) {
    *on = false;
    return CLI_OK;
  }
  return cli_fail("--color takes auto, always or never, not '%s'", when);
}
