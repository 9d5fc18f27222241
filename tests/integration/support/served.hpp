#pragma once
// A real `flowline serve` for HTTP tests: the binary under test on simulated GPUs, its HTTP
// API on a free port of 127.0.0.1, and clients that speak to it (httplib's, and raw bytes for
// requests a well-behaved client would never send).
#include <memory>
#include <string>
#include <vector>

#include <httplib.h>
#include <nlohmann/json.hpp>

#include "integration/support/process.hpp"

namespace flowline::testing {

// A run command that holds until the file `gate` appears in the table's directory (at most
// a minute), writing `started-$FLOWLINE_TASK_ID` first and some output to follow.
inline constexpr const char* kHoldingWork = R"SH(#!/bin/sh
: > started-$FLOWLINE_TASK_ID
echo "line one of task $FLOWLINE_TASK_ID"
i=0
while [ ! -e gate ] && [ $i -lt 1200 ]; do sleep 0.05; i=$((i+1)); done
echo "line two of task $FLOWLINE_TASK_ID"
)SH";

class ServedFlowLine {
 public:
  // Writes `table` as todo.csv and `work.sh`; start() serves it.
  explicit ServedFlowLine(const std::string& table_csv);
  ~ServedFlowLine();

  // `flowline serve todo.csv --web 127.0.0.1:0 --cmd 'sh work.sh' --sim-gpus 2x24000 ...`;
  // returns once the URL is printed (port and token known).
  void start(const std::vector<std::string>& extra = {});
  // SIGTERM, and the exit status.
  int stop();

  int port() const { return port_; }
  const std::string& token() const { return token_; }
  const TempDir& dir() const { return dir_; }
  std::string state_dir() const { return dir_.file("state"); }
  std::string log_dir() const { return dir_.file("logs"); }
  std::string output() const;
  void open_gate() const;

  // A client that sends the token.
  std::unique_ptr<httplib::Client> client() const;
  // A client without it.
  std::unique_ptr<httplib::Client> anonymous() const;
  // GET with the token; the body parsed (null when it is not JSON).
  nlohmann::json get_json(const std::string& path, int expect_status = 200) const;
  nlohmann::json post_json(const std::string& path, const nlohmann::json& body,
                           int expect_status = 200) const;

 private:
  TempDir dir_;
  int pid_ = -1;
  int port_ = 0;
  std::string token_;
  std::string log_ = "serve.log";
  int starts_ = 0;
};

struct RawResponse {
  int status = 0;
  std::string head;
  std::string body;
};
// Sends `request` byte for byte to 127.0.0.1:port and reads the reply until the server
// closes or `timeout` passes.
RawResponse raw_http(int port, const std::string& request,
                     std::chrono::milliseconds timeout = std::chrono::milliseconds(10000));

}  // namespace flowline::testing
