/* clausedex serve: the HTTP API and the research page (serve/, docs/HTTP.md). */
#define _POSIX_C_SOURCE 200809L
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli/cli.h"
#include "clausedex/serve.h"

/* The default for builds that link libmicrohttpd; cli/mhd_lazy.c's strong
 * definition replaces it in the Release command. */
__attribute__((weak)) const char *cli_http_missing(void) { return NULL; }

struct args {
  const char *index, *listen, *token;
  size_t threads;
  bool no_cache;
  const char *block_cache; /* a size, or 0 for none */
};

static const cli_option options[] = {
    CLI_OPT_INDEX(struct args),
    {"listen", 0, CLI_OPT_STRING, offsetof(struct args, listen), "HOST:PORT",
     "address to listen on (default " CDX_SERVE_DEFAULT_LISTEN "; port 0 picks one)", NULL, NULL,
     0},
    {"token", 0, CLI_OPT_STRING, offsetof(struct args, token), "FILE",
     "require \"Authorization: Bearer TOKEN\" on every API request,\nTOKEN being the first line of "
     "FILE",
     NULL, NULL, 0},
    {"threads", 0, CLI_OPT_POSITIVE, offsetof(struct args, threads), "N",
     "worker threads (default 8)", NULL, NULL, 64},
    {"no-cache", 0, CLI_OPT_FLAG, offsetof(struct args, no_cache), NULL,
     "compute every answer (default: a repeated request on the\nsame commit is answered from 64 "
     "MiB of kept answers)",
     NULL, NULL, 0},
    {"block-cache", 0, CLI_OPT_STRING, offsetof(struct args, block_cache), "SIZE",
     "inflated stored text kept for the hits of all requests on one\ncommit (default 64M; 0: "
     "none; --no-cache leaves it on)",
     NULL, NULL, 0},
    CLI_OPT_END,
};

static const cli_command spec = {
    "serve",
    "[OPTIONS]",
    "Serves the index over HTTP: JSON endpoints /search /show /diff /similar\n"
    "/coverage /docs /families /stats /health (docs/HTTP.md) and a search page at /.\n"
    "A commit made by `clausedex index` meanwhile is seen by the next requests.\n",
    options,
    "Prints \"listening on http://HOST:PORT/\" when ready; stops on SIGINT or SIGTERM.\n",
    0,
    0,
    0};

/* The first line of path, without its line end. */
static char *read_token(const char *path) {
  FILE *f = fopen(path, "r");
  if (!f) return NULL;
  char buf[1024];
  char *line = fgets(buf, sizeof buf, f);
  fclose(f);
  if (!line) return NULL;
  buf[strcspn(buf, "\r\n")] = '\0';
  return strdup(buf);
}

int cmd_serve(int argc, char **argv) {
  struct args a = {0};
  int nops, status = cli_parse(&spec, argc, argv, &a, &nops);
  if (status != CLI_GO_ON) return status;
  const char *dir = a.index, *token_file = a.token;
  cdx_server_options o = {0};
  o.listen = a.listen;
  o.no_cache = a.no_cache;
  if (a.block_cache) {
    /* a size as the other size options take, and 0 to turn it off, which
     * they refuse */
    uint64_t bytes = 0;
    if (strcmp(a.block_cache, "0") != 0 && (!cli_parse_size(a.block_cache, &bytes) || !bytes))
      return cli_fail("serve: --block-cache takes a size (500K, 100M, 1G or bytes) or 0, not '%s'",
                      a.block_cache);
    if (bytes == 0) o.no_block_cache = 1;
    else o.block_cache_bytes = (size_t)bytes;
  }
  o.threads = (unsigned)a.threads;
  const char *missing = cli_http_missing();
  if (missing) return cli_fail("serve: %s", missing);
  char *token = NULL;
  if (token_file) {
    token = read_token(token_file);
    if (!token || !*token) {
      free(token);
      return cli_fail("--token %s: cannot read a token from it", token_file);
    }
    o.token = token;
  }
  o.index_dir = cli_search_index_dir(dir);
  /* Signals are taken by sigwait below, in this thread only: blocked
   * before the server's threads start, so they inherit the mask. */
  sigset_t stop;
  sigemptyset(&stop);
  sigaddset(&stop, SIGINT);
  sigaddset(&stop, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop, NULL);
  cdx_server *s = NULL;
  cdx_error err;
  int rc = cdx_server_start(&o, &s, &err);
  free(token);
  if (rc != CDX_OK) return cli_fail_err(&err);
  if (cdx_server_is_public(s) && !token_file)
    fprintf(stderr,
            "clausedex: warning: %s is not a loopback address and there is no --token: anyone who "
            "can reach it can read the index\n",
            o.listen);
  const char *host = o.listen ? o.listen : CDX_SERVE_DEFAULT_LISTEN;
  const char *colon = strrchr(host, ':');
  printf("listening on http://%.*s:%u/ (index %s)\n", (int)(colon - host), host,
         (unsigned)cdx_server_port(s), o.index_dir);
  fflush(stdout);
  int sig = 0;
  sigwait(&stop, &sig);
  cdx_server_stop(s);
  return CLI_OK;
}
