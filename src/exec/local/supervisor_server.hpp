#pragma once
// FlowLine's end of `flowline-supervise --serve` (supervisor/spawn_server.hpp): started once,
// asked to fork one supervisor per run. Used from the engine thread only.
#include <sys/types.h>

#include <memory>
#include <string>

#include "core/result.hpp"
#include "exec/local/spawn_protocol.hpp"

namespace flowline {

class SupervisorServer {
 public:
  static Result<std::unique_ptr<SupervisorServer>> start(const std::string& supervisor_path);
  // Closes the socket, so the server exits, and reaps it. Supervisors it started go on.
  ~SupervisorServer();
  SupervisorServer(const SupervisorServer&) = delete;
  SupervisorServer& operator=(const SupervisorServer&) = delete;

  // The new supervisor's pid and a pidfd pinning it, or the errno of the failure: EPIPE or ECONNRESET when the server
  // is gone (start another), anything else from starting that run.
  struct Spawned {
    pid_t pid = 0;
    int pidfd = -1;  // owned by the caller
    int error = 0;
  };
  Spawned spawn(const spawn_protocol::Request& request, int stdout_fd, int stderr_fd);

 private:
  SupervisorServer(pid_t pid, int sock) : pid_(pid), sock_(sock) {}
  pid_t pid_;
  int sock_;
};

}  // namespace flowline
