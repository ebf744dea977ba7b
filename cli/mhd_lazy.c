/* mhd_lazy.c - libmicrohttpd loaded on first use, for the Release command.
 *
 * Only `clausedex serve` needs an HTTP server, but linking libmicrohttpd
 * makes every process load it and its dependencies (GnuTLS, nettle, gmp,
 * p11-kit, libtasn1, libidn2, libunistring, libffi: 12 shared objects, their
 * relocations and constructors), ~3 ms of a search process that needs none
 * of them (bench/README.md, issue 18). So the Release command defines the
 * eight MHD functions serve/ calls as trampolines that dlopen the library
 * the first time one is called. Builds that link libmicrohttpd directly
 * (Debug, sanitizers, tests) do not compile this file.
 *
 * The prototypes come from <microhttpd.h>, so a definition that does not
 * match the library's declaration fails to compile. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <microhttpd.h>
#include "cli/cli.h"

/* The soname of the ABI the header describes (Debian 12: 0.9.75). */
#define MHD_SONAME "libmicrohttpd.so.12"

#define MHD_FUNCS(X)                                                                              \
  X(struct MHD_Daemon *, MHD_start_daemon_va,                                                     \
    (unsigned int, uint16_t, MHD_AcceptPolicyCallback, void *, MHD_AccessHandlerCallback, void *, \
     va_list))                                                                                    \
  X(void, MHD_stop_daemon, (struct MHD_Daemon *))                                                 \
  X(const union MHD_DaemonInfo *, MHD_get_daemon_info,                                            \
    (struct MHD_Daemon *, enum MHD_DaemonInfoType, ...))                                          \
  X(const char *, MHD_lookup_connection_value,                                                    \
    (struct MHD_Connection *, enum MHD_ValueKind, const char *))                                  \
  X(enum MHD_Result, MHD_queue_response,                                                          \
    (struct MHD_Connection *, unsigned int, struct MHD_Response *))                               \
  X(struct MHD_Response *, MHD_create_response_from_buffer,                                       \
    (size_t, void *, enum MHD_ResponseMemoryMode))                                                \
  X(void, MHD_destroy_response, (struct MHD_Response *))                                          \
  X(enum MHD_Result, MHD_add_response_header, (struct MHD_Response *, const char *, const char *))

#define MHD_PTR_(ret, name, args) ret(*name) args;
static struct { MHD_FUNCS(MHD_PTR_) } mhd;
static char mhd_missing[512]; /* why it cannot be used; empty when it can */
static pthread_once_t mhd_once = PTHREAD_ONCE_INIT;

static void mhd_load(void) {
  void *h = dlopen(MHD_SONAME, RTLD_NOW | RTLD_LOCAL);
  if (!h) {
    snprintf(mhd_missing, sizeof mhd_missing, "cannot load %s: %s", MHD_SONAME, dlerror());
    return;
  }
#define MHD_SYM_(ret, name, args)        \
  *(void **)&mhd.name = dlsym(h, #name); \
  if (!mhd.name && !mhd_missing[0])      \
    snprintf(mhd_missing, sizeof mhd_missing, "%s lacks %s (another version?)", MHD_SONAME, #name);
  MHD_FUNCS(MHD_SYM_)
}

/* Whether the library is there; every trampoline but the daemon's start is
 * only reached through a daemon that started, so only that one can fail. */
static int mhd_ready(void) {
  pthread_once(&mhd_once, mhd_load);
  return !mhd_missing[0];
}

/* `serve` asks first, so that a missing library is its one line of error
 * rather than a failed listen (cli/cli.h). */
const char *cli_http_missing(void) { return mhd_ready() ? NULL : mhd_missing; }

struct MHD_Daemon *MHD_start_daemon(unsigned int flags, uint16_t port, MHD_AcceptPolicyCallback apc,
                                    void *apc_cls, MHD_AccessHandlerCallback dh, void *dh_cls,
                                    ...) {
  if (!mhd_ready()) return NULL;
  va_list ap;
  va_start(ap, dh_cls);
  struct MHD_Daemon *d = mhd.MHD_start_daemon_va(flags, port, apc, apc_cls, dh, dh_cls, ap);
  va_end(ap);
  return d;
}

void MHD_stop_daemon(struct MHD_Daemon *daemon) {
  if (mhd_ready()) mhd.MHD_stop_daemon(daemon);
}

/* No info type serve/ asks for takes an argument (MHD_DAEMON_INFO_BIND_PORT). */
const union MHD_DaemonInfo *MHD_get_daemon_info(struct MHD_Daemon *daemon,
                                                enum MHD_DaemonInfoType info_type, ...) {
  return mhd_ready() ? mhd.MHD_get_daemon_info(daemon, info_type) : NULL;
}

const char *MHD_lookup_connection_value(struct MHD_Connection *connection, enum MHD_ValueKind kind,
                                        const char *key) {
  return mhd_ready() ? mhd.MHD_lookup_connection_value(connection, kind, key) : NULL;
}

enum MHD_Result MHD_queue_response(struct MHD_Connection *connection, unsigned int status_code,
                                   struct MHD_Response *response) {
  return mhd_ready() ? mhd.MHD_queue_response(connection, status_code, response) : MHD_NO;
}

struct MHD_Response *MHD_create_response_from_buffer(size_t size, void *buffer,
                                                     enum MHD_ResponseMemoryMode mode) {
  return mhd_ready() ? mhd.MHD_create_response_from_buffer(size, buffer, mode) : NULL;
}

void MHD_destroy_response(struct MHD_Response *response) {
  if (mhd_ready()) mhd.MHD_destroy_response(response);
}

enum MHD_Result MHD_add_response_header(struct MHD_Response *response, const char *header,
                                        const char *content) {
  return mhd_ready() ? mhd.MHD_add_response_header(response, header, content) : MHD_NO;
}
