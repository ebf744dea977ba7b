/* clausedex serve: the HTTP API and the research page (serve/, docs/HTTP.md). */
#define _POSIX_C_SOURCE 200809L
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli/cli.h"
#include "clausedex/serve.h"

static const char usage[] =
    "usage: clausedex serve [-i DIR] [--listen HOST:PORT] [--token FILE] [--threads N]\n"
    "                       [--no-cache]\n\n"
    "Serves the index over HTTP: JSON endpoints /search /show /diff /similar\n"
    "/coverage /docs /stats /health (docs/HTTP.md) and a search page at /.\n"
    "A commit made by `clausedex index` meanwhile is seen by the next requests.\n\n"
    "Options:\n"
    "  -i DIR              index directory (default $CLAUSEDEX_INDEX or ./clausedex-index)\n"
    "  --listen HOST:PORT  address to listen on (default " CDX_SERVE_DEFAULT_LISTEN
    "; port 0 picks one)\n"
    "  --token FILE        require \"Authorization: Bearer TOKEN\" on every API request,\n"
    "                      TOKEN being the first line of FILE\n"
    "  --threads N         worker threads (default 2)\n"
    "  --no-cache          compute every answer (default: a repeated request on the\n"
    "                      same commit is answered from 64 MiB of kept answers)\n\n"
    "Prints \"listening on http://HOST:PORT/\" when ready; stops on SIGINT or SIGTERM.\n";

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
  const char *dir = NULL, *token_file = NULL;
  cdx_server_options o = {0};
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i];
    if (cli_is_help(a)) {
      fputs(usage, stdout);
      return CLI_OK;
    }
    bool has_value = i + 1 < argc;
    if ((strcmp(a, "-i") == 0 || strcmp(a, "--index") == 0) && has_value) dir = argv[++i];
    else if (strcmp(a, "--listen") == 0 && has_value) o.listen = argv[++i];
    else if (strcmp(a, "--token") == 0 && has_value) token_file = argv[++i];
    else if (strcmp(a, "--no-cache") == 0) o.no_cache = 1;
    else if (strcmp(a, "--threads") == 0 && has_value) {
      char *end;
      long n = strtol(argv[++i], &end, 10);
      if (*end || n < 1 || n > 64) return cli_fail("--threads takes a number from 1 to 64");
      o.threads = (unsigned)n;
    } else return cli_fail("unknown or incomplete option '%s' (see clausedex serve --help)", a);
  }
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
