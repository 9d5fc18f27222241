#pragma once
// httplib's server with FlowLine's own connection loop. Debian's cpp-httplib (0.11, a compiled
// library) waits for a body until its read timeout and then answers 400 when a POST has no
// Content-Length, which is how `curl -X POST URL` (the original's documented calls) sends
// one; and it waits on sockets with select(), which breaks past file descriptor 1023. This
// loop reads each request's head itself, gives a bodiless POST its "Content-Length: 0", and
// hands the request to httplib's parser and router (process_request) through a Stream that
// waits with poll().
#include <httplib.h>

namespace flowline::http {

class ConnectionServer : public httplib::Server {
 private:
  // Overrides httplib's private virtual: one connection, several requests (keep-alive).
  bool process_and_close_socket(socket_t sock) override;
};

}  // namespace flowline::http
