/* http.c - the server on libmicrohttpd: a pool of threads each polling its
 * share of the connections with epoll (keep-alive), the limits that keep a
 * slow or hostile client from holding threads or memory, the bearer token,
 * and the headers of each response. What a request means is routes.c's.
 *
 * Limits (docs/HTTP.md, "Limits"): connections at once and per address;
 * an inactivity timeout per connection; 64 KiB of memory per connection
 * (request line and headers); no request body (a body is 413 and the
 * connection is closed); the request target, parameter values and result
 * windows are bounded by request.c and the endpoints. */
#define _POSIX_C_SOURCE 200809L
#include <arpa/inet.h>
#include <microhttpd.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include "clausedex/serve.h"
#include "serve/serve.h"

struct cdx_server {
  struct MHD_Daemon *daemon;
  srv_store *store;
  srv_cache *cache;
  char *token; /* NULL: no authentication */
  size_t token_len;
  uint16_t port;
  int is_public;
};

/* Memory of one connection: the request line and headers must fit. Above
 * SRV_MAX_URI so that an over-long target still gets our JSON 414. */
#define CONNECTION_MEMORY (64 * 1024)

/* What the URI-log callback keeps of a request: its raw target, before
 * libmicrohttpd decodes it (request.c decodes it itself). */
typedef struct req_ctx {
  bool seen; /* the first call (headers only) has been made */
  bool answered;
  size_t len;
  char uri[];
} req_ctx;

static void *on_uri(void *cls, const char *uri, struct MHD_Connection *con) {
  (void)cls;
  (void)con;
  size_t n = strlen(uri);
  req_ctx *r = malloc(sizeof *r + n + 1);
  if (!r) return NULL;
  r->seen = false;
  r->answered = false;
  r->len = n;
  memcpy(r->uri, uri, n + 1);
  return r;
}

static void on_done(void *cls, struct MHD_Connection *con, void **req_cls,
                    enum MHD_RequestTerminationCode toe) {
  (void)cls;
  (void)con;
  (void)toe;
  free(*req_cls);
  *req_cls = NULL;
}

/* Constant-time comparison of the Authorization header with the token. */
static bool authorized(const cdx_server *s, struct MHD_Connection *con) {
  const char *h = MHD_lookup_connection_value(con, MHD_HEADER_KIND, MHD_HTTP_HEADER_AUTHORIZATION);
  if (!h || strncmp(h, "Bearer ", 7) != 0) return false;
  h += 7;
  size_t n = strlen(h);
  unsigned char diff = n != s->token_len;
  for (size_t i = 0; i < s->token_len; i++)
    diff |= (unsigned char)(s->token[i] ^ (i < n ? h[i] : 0));
  return diff == 0;
}

static void fail_response(srv_response *resp, int http, int code, const char *msg) {
  srv_fail f;
  memset(&f, 0, sizeof f);
  srv_failf(&f, http, code, NULL, CDX_NO_OFFSET, "%s", msg);
  memset(resp, 0, sizeof *resp);
  resp->http = http;
  resp->content_type = "application/json; charset=utf-8";
  resp->is_api = true;
  if (srv_fail_json(&f, &resp->body, &resp->len) != CDX_OK) {
    resp->body = NULL;
    resp->len = 0;
  }
}

static bool has_body(struct MHD_Connection *con) {
  const char *cl =
      MHD_lookup_connection_value(con, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
  const char *te =
      MHD_lookup_connection_value(con, MHD_HEADER_KIND, MHD_HTTP_HEADER_TRANSFER_ENCODING);
  return (cl && strcmp(cl, "0") != 0) || te;
}

/* The page may only talk to this server: no CDN, no other origin. */
static const char page_policy[] = "default-src 'none'; script-src 'self'; style-src 'self'; "
                                  "connect-src 'self'; img-src 'self' data:; "
                                  "base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

static enum MHD_Result on_request(void *cls, struct MHD_Connection *con, const char *url,
                                  const char *method, const char *version, const char *upload_data,
                                  size_t *upload_data_size, void **req_cls) {
  (void)version;
  (void)upload_data;
  cdx_server *s = cls;
  req_ctx *r = *req_cls;
  if (r && r->answered) {
    *upload_data_size = 0; /* a body after the answer: discarded */
    return MHD_YES;
  }
  /* libmicrohttpd calls first with the headers only. A response queued in
   * that call is an "early" one: the connection is then closed after it
   * ("Connection: close"), so every request of a keep-alive client cost a
   * new TCP connection (accept, a 64 KiB pool mmap/munmap, close). A request
   * without a body is answered in the second call instead, which keeps the
   * connection; one announcing a body is refused at once (and closed). */
  if (r && !r->seen && !has_body(con)) {
    r->seen = true;
    return MHD_YES;
  }
  if (r && *upload_data_size != 0) {
    *upload_data_size = 0; /* a body nobody announced: discarded, refused below */
    return MHD_YES;
  }
  if (r) r->answered = true;
  srv_response resp;
  const char *uri = r ? r->uri : url;
  size_t len = r ? r->len : strlen(url);
  /* the path alone, for the page-or-API test before parsing */
  char path[64];
  size_t pl = strcspn(uri, "?#");
  snprintf(path, sizeof path, "%.*s", (int)(pl < sizeof path - 1 ? pl : sizeof path - 1), uri);
  if (!r) fail_response(&resp, 503, CDX_NOMEM, "out of memory");
  else if (has_body(con))
    fail_response(&resp, 413, CDX_LIMIT, "requests carry no body: the API is GET only");
  else if (s->token && srv_route_is_api(path) && !authorized(s, con))
    fail_response(&resp, 401, CDX_INVALID, "this server needs \"Authorization: Bearer TOKEN\"");
  else srv_route(s->store, s->cache, method, uri, len, &resp);

  struct MHD_Response *mr;
  if (resp.is_static || !resp.body)
    mr = MHD_create_response_from_buffer(resp.len, resp.body ? resp.body : (char *)"",
                                         MHD_RESPMEM_PERSISTENT);
  else mr = MHD_create_response_from_buffer(resp.len, resp.body, MHD_RESPMEM_MUST_FREE);
  if (!mr) {
    srv_response_free(&resp);
    return MHD_NO; /* closes the connection */
  }
  MHD_add_response_header(mr, MHD_HTTP_HEADER_CONTENT_TYPE, resp.content_type);
  MHD_add_response_header(mr, "X-Content-Type-Options", "nosniff");
  MHD_add_response_header(mr, "Referrer-Policy", "no-referrer");
  if (resp.is_api) {
    MHD_add_response_header(mr, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
  } else {
    MHD_add_response_header(mr, MHD_HTTP_HEADER_CACHE_CONTROL, "no-cache");
    MHD_add_response_header(mr, "Content-Security-Policy", page_policy);
  }
  if (resp.http == 401)
    MHD_add_response_header(mr, MHD_HTTP_HEADER_WWW_AUTHENTICATE, "Bearer realm=\"clausedex\"");
  if (resp.http == 405) MHD_add_response_header(mr, MHD_HTTP_HEADER_ALLOW, "GET, HEAD");
  if (resp.is_api && resp.http == 200)
    MHD_add_response_header(mr, "X-Cache", resp.cached ? "hit" : "miss");
  enum MHD_Result ok = MHD_queue_response(con, (unsigned)resp.http, mr);
  MHD_destroy_response(mr);
  return ok;
}

/* "HOST:PORT", "[V6]:PORT" -> a socket address. */
static int parse_listen(const char *listen, struct sockaddr_storage *ss, socklen_t *sl,
                        cdx_error *err) {
  char host[256];
  const char *colon, *h = listen;
  size_t hl;
  if (listen[0] == '[') {
    const char *close = strchr(listen, ']');
    if (!close || close[1] != ':')
      return cdx_err_set(err, CDX_INVALID, CDX_NO_OFFSET, "--listen '%s': expected [ADDRESS]:PORT",
                         listen);
    h = listen + 1;
    hl = (size_t)(close - h);
    colon = close + 1;
  } else {
    colon = strrchr(listen, ':');
    if (!colon)
      return cdx_err_set(err, CDX_INVALID, CDX_NO_OFFSET, "--listen '%s': expected HOST:PORT",
                         listen);
    hl = (size_t)(colon - listen);
  }
  const char *port = colon + 1;
  char *end;
  long p = strtol(port, &end, 10);
  if (!*port || *end || p < 0 || p > 65535 || hl == 0 || hl >= sizeof host)
    return cdx_err_set(err, CDX_INVALID, CDX_NO_OFFSET,
                       "--listen '%s': expected HOST:PORT (port 0-65535)", listen);
  memcpy(host, h, hl);
  host[hl] = '\0';
  struct addrinfo hints, *ai = NULL;
  memset(&hints, 0, sizeof hints);
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_NUMERICSERV | AI_PASSIVE;
  int g = getaddrinfo(host, port, &hints, &ai);
  if (g != 0 || !ai)
    return cdx_err_set(err, CDX_INVALID, CDX_NO_OFFSET, "--listen '%s': %s", listen,
                       gai_strerror(g));
  memcpy(ss, ai->ai_addr, ai->ai_addrlen);
  *sl = ai->ai_addrlen;
  freeaddrinfo(ai);
  return CDX_OK;
}

static int is_loopback(const struct sockaddr_storage *ss) {
  if (ss->ss_family == AF_INET) {
    const struct sockaddr_in *a = (const struct sockaddr_in *)(const void *)ss;
    return (ntohl(a->sin_addr.s_addr) >> 24) == 127;
  }
  if (ss->ss_family == AF_INET6) {
    const struct sockaddr_in6 *a = (const struct sockaddr_in6 *)(const void *)ss;
    return IN6_IS_ADDR_LOOPBACK(&a->sin6_addr);
  }
  return 0;
}

int cdx_server_start(const cdx_server_options *o, cdx_server **out, cdx_error *err) {
  *out = NULL;
  if (!o || !o->index_dir || !*o->index_dir)
    return cdx_err_set(err, CDX_INVALID, CDX_NO_OFFSET, "no index directory");
  const char *listen = o->listen ? o->listen : CDX_SERVE_DEFAULT_LISTEN;
  struct sockaddr_storage ss;
  socklen_t sl = 0;
  int rc = parse_listen(listen, &ss, &sl, err);
  if (rc != CDX_OK) return rc;
  cdx_server *s = calloc(1, sizeof *s);
  if (!s) return cdx_err_set(err, CDX_NOMEM, CDX_NO_OFFSET, "out of memory");
  size_t block_cache = o->no_block_cache      ? 0
                       : o->block_cache_bytes ? o->block_cache_bytes
                                              : CDX_SERVE_DEFAULT_BLOCK_CACHE;
  if ((rc = srv_store_new(o->index_dir, block_cache, &s->store, err)) != CDX_OK) {
    free(s);
    return rc;
  }
  /* The first commit is opened now, not by the first requests (which would
   * find it being opened and get 503); an index that is not there yet is
   * opened by a later request. */
  srv_snapshot *first = NULL;
  cdx_error ignored;
  if (srv_store_acquire(s->store, &first, &ignored) == CDX_OK) srv_snapshot_release(first);
  s->cache = srv_cache_new(o->no_cache      ? 0
                           : o->cache_bytes ? o->cache_bytes
                                            : CDX_SERVE_DEFAULT_CACHE);
  if (!s->cache) {
    cdx_server_stop(s);
    return cdx_err_set(err, CDX_NOMEM, CDX_NO_OFFSET, "out of memory");
  }
  if (o->token && *o->token) {
    s->token_len = strlen(o->token);
    s->token = malloc(s->token_len + 1);
    if (!s->token) {
      cdx_server_stop(s);
      return cdx_err_set(err, CDX_NOMEM, CDX_NO_OFFSET, "out of memory");
    }
    memcpy(s->token, o->token, s->token_len + 1);
  }
  s->is_public = !is_loopback(&ss);
  unsigned threads = o->threads ? o->threads : CDX_SERVE_DEFAULT_THREADS;
  unsigned max_conn = o->max_connections ? o->max_connections : 512;
  unsigned per_ip = o->per_ip_connections ? o->per_ip_connections : 256;
  unsigned timeout = o->timeout_seconds ? o->timeout_seconds : 10;
  unsigned flags = MHD_USE_EPOLL_INTERNAL_THREAD | MHD_USE_TURBO;
  if (ss.ss_family == AF_INET6) flags |= MHD_USE_IPv6;
  s->daemon = MHD_start_daemon(
      flags, 0, NULL, NULL, on_request, s, MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&ss,
      MHD_OPTION_THREAD_POOL_SIZE, threads, MHD_OPTION_CONNECTION_LIMIT, max_conn,
      MHD_OPTION_PER_IP_CONNECTION_LIMIT, per_ip, MHD_OPTION_CONNECTION_TIMEOUT, timeout,
      MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)CONNECTION_MEMORY, MHD_OPTION_LISTEN_BACKLOG_SIZE,
      1024u, MHD_OPTION_URI_LOG_CALLBACK, on_uri, NULL, MHD_OPTION_NOTIFY_COMPLETED, on_done, NULL,
      MHD_OPTION_END);
  if (!s->daemon) {
    cdx_server_stop(s);
    return cdx_err_set(err, CDX_IO, CDX_NO_OFFSET,
                       "cannot listen on %s (address in use or not local?)", listen);
  }
  const union MHD_DaemonInfo *info = MHD_get_daemon_info(s->daemon, MHD_DAEMON_INFO_BIND_PORT);
  s->port = info ? info->port : 0;
  *out = s;
  return CDX_OK;
}

uint16_t cdx_server_port(const cdx_server *s) { return s->port; }
int cdx_server_is_public(const cdx_server *s) { return s->is_public; }

void cdx_server_stop(cdx_server *s) {
  if (!s) return;
  if (s->daemon) MHD_stop_daemon(s->daemon);
  srv_store_free(s->store);
  srv_cache_free(s->cache);
  free(s->token);
  free(s);
}
