#pragma once
// Serves `flowline ctl` on <state-dir>/ctl.sock. The socket is created mode 0600, so only the
// user running FlowLine can connect; the server also checks each peer's uid (SO_PEERCRED) in
// case the file's mode was loosened. One connection = one command, answered by the same
// interpreter as the interactive shell. Each connection is served on a thread of its own, so
// that a client that connects and says nothing holds up no other `flowline ctl`.
#include <atomic>
#include <list>
#include <memory>
#include <string>
#include <thread>

#include "core/result.hpp"
#include "engine/engine_api.hpp"

namespace flowline::ctl {

class CtlServer {
 public:
  CtlServer(EngineApi& engine, std::string state_dir);
  ~CtlServer();  // stops and removes the socket
  CtlServer(const CtlServer&) = delete;
  CtlServer& operator=(const CtlServer&) = delete;

  // Binds and starts serving on a thread. Refuses when another instance answers on the
  // socket; a stale socket left by a crash is replaced.
  Status start();
  void stop();
  const std::string& path() const { return path_; }

 private:
  Status claim_path();
  Status bind_socket();
  // One client's connection: its thread, and the descriptor that only join_* closes.
  struct Connection {
    int fd = -1;
    std::thread thread;
    std::atomic<bool> done{false};
  };

  void serve_loop();
  void serve_connection(int fd);
  void start_connection(int fd);
  // Joins and closes the connections whose thread has ended (all of them with `all`, after
  // waking any still reading).
  void join_connections(bool all);

  EngineApi& engine_;
  std::string path_;
  int listen_fd_ = -1;
  int wake_pipe_[2] = {-1, -1};
  unsigned long bound_inode_ = 0;
  std::thread thread_;
  std::list<std::unique_ptr<Connection>> connections_;  // the serve loop's only
};

}  // namespace flowline::ctl
