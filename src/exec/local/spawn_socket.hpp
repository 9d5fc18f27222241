#pragma once
// Moving spawn_protocol messages over the stream socket between FlowLine and its supervisor
// server. Each call returns 0 or an errno (EPIPE/ECONNRESET: the other end is gone; EPROTO: it
// sent something malformed). Blocking: both ends answer at once.
#include <string>

#include "exec/local/spawn_protocol.hpp"

namespace flowline::spawn_socket {

// Sends the encoded request with the run's stdout and stderr descriptors.
int send_request(int sock, const std::string& payload, int out_fd, int err_fd);
// Receives one request; on success `fds` holds the two descriptors (close-on-exec), owned by
// the caller. Returns ENODATA when the other end closed the socket between requests.
int receive_request(int sock, std::string& payload, int fds[2]);

// A reply to a successful request carries a pidfd of the new supervisor, taken by the server
// before it could reap it: FlowLine watches exactly that process, whatever happens to its pid.
int send_reply(int sock, const spawn_protocol::Reply& reply, int pidfd);
// `pidfd` is -1 or a close-on-exec descriptor owned by the caller.
int receive_reply(int sock, spawn_protocol::Reply& reply, int& pidfd);

}  // namespace flowline::spawn_socket
