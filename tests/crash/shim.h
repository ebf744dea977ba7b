/* shim.h - what the two LD_PRELOAD shims (killshim.c, traceshim.c) share:
 * finding the real libc function, and the mode argument of open/openat. */
#ifndef CDX_TESTS_CRASH_SHIM_H
#define CDX_TESTS_CRASH_SHIM_H

#include <dlfcn.h>
#include <fcntl.h>
#include <stdarg.h>
#include <sys/types.h>

/* real_NAME: the libc function this shim's NAME stands in front of. */
#define REAL(ret, name, params)    \
  static ret(*real_##name) params; \
  if (!real_##name) real_##name = (ret(*) params)dlsym(RTLD_NEXT, #name)

/* mode_t MODE: the variadic argument after LAST, which open(2) and openat(2)
 * are given only when FLAGS create a file (0 otherwise). */
#define SHIM_OPEN_MODE(mode, flags, last) \
  mode_t mode = 0;                        \
  if ((flags) & (O_CREAT | O_TMPFILE)) {  \
    va_list shim_ap_;                     \
    va_start(shim_ap_, last);             \
    mode = (mode_t)va_arg(shim_ap_, int); \
    va_end(shim_ap_);                     \
  }

#endif
