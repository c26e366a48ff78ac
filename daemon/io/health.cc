#include "io/health.h"

#include <CivetServer.h>
#include <civetweb.h>

#include <cstring>

namespace coopwatch::io {

namespace {

// civetweb's begin_request hook has no user pointer of ours (prometheus-cpp
// owns the server's), hence this one process-wide pointer, set before the
// server starts and never changed while it runs.
std::atomic<const health_state*> g_state{nullptr};

void reply(mg_connection* conn, int status, const char* body) {
  mg_printf(conn,
            "HTTP/1.1 %d %s\r\nContent-Type: text/plain\r\nContent-Length: %zu\r\n"
            "Cache-Control: no-store\r\nConnection: close\r\n\r\n%s",
            status, status == 200 ? "OK" : "Service Unavailable", std::strlen(body), body);
}

int begin_request(mg_connection* conn) {
  const mg_request_info* info = mg_get_request_info(conn);
  const health_state* state = g_state.load();
  if (!info || !info->local_uri || !state) return 0;
  if (std::strcmp(info->local_uri, "/healthz") == 0) {
    state->alive ? reply(conn, 200, "ok\n") : reply(conn, 503, "fatal error\n");
    return 200;
  }
  if (std::strcmp(info->local_uri, "/readyz") == 0) {
    if (state->ready()) reply(conn, 200, "ready\n");
    else if (!state->broker_reachable) reply(conn, 503, "not ready: no broker reachable yet\n");
    else reply(conn, 503, "not ready: no partitions assigned\n");
    return 503;
  }
  return 0;  // everything else (/metrics) is prometheus-cpp's
}

}  // namespace

const CivetCallbacks* health_callbacks(const health_state* state) {
  static CivetCallbacks callbacks = [] {
    CivetCallbacks c;
    c.begin_request = begin_request;
    return c;
  }();
  g_state = state;
  return &callbacks;
}

}  // namespace coopwatch::io
