/* Sizes on the command line (generate --size, index --max-file-size). */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <stdlib.h>
#include "cli/cli.h"

bool cli_parse_size(const char *s, uint64_t *out) {
  if (!*s || *s == '-') return false;
  char *end;
  errno = 0;
  double v = strtod(s, &end);
  if (errno || end == s || v <= 0) return false;
  double mul = 1;
  switch (*end) {
    case 'k':
    case 'K':
      mul = 1024.0;
      end++;
      break;
    case 'm':
    case 'M':
      mul = 1024.0 * 1024;
      end++;
      break;
    case 'g':
    case 'G':
      mul = 1024.0 * 1024 * 1024;
      end++;
      break;
    default: break;
  }
  if (*end == 'b' || *end == 'B') end++;
  if (*end) return false;
  v *= mul;
  if (v < 1 || v > 1e15) return false;
  *out = (uint64_t)v;
  return true;
}
