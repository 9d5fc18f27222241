#pragma once
// Runs the real flowline binary (or any program) from integration tests: a temp dir, captured
// stdout/stderr, and a bounded wait instead of sleeps.
#include <chrono>
#include <functional>
#include <map>
#include <string>
#include <vector>
#include "support/temp_dir.hpp"

namespace flowline::testing {

struct Outcome {
  int exit_code = -1;  // -1 when killed by a signal
  int signal = 0;
  std::string out;
  std::string err;
  bool timed_out = false;
};

struct RunArgs {
  std::vector<std::string> argv;
  std::string cwd;
  std::map<std::string, std::string> env;  // added to this process's environment
  std::string stdin_text;
  std::chrono::milliseconds timeout{60000};
};

Outcome run_program(const RunArgs& args);
// The flowline binary under test: $FLOWLINE_TEST_EXE when set (e.g. a build of an older
// commit, to see a test fail there), else the one built with the tests.
std::string flowline_exe();
// The flowline binary under test with `args`.
Outcome run_flowline(std::vector<std::string> args, const std::string& cwd = "",
                     std::map<std::string, std::string> env = {});

// Starts `argv` (argv[0] a path) without waiting, stdin from /dev/null, stdout and stderr
// appended to cwd/log_name; returns its pid.
int spawn_program(const std::vector<std::string>& argv, const std::string& cwd,
                  const std::string& log_name);
// Starts the flowline binary the same way. `prefix`, when given, is a program that runs it
// (e.g. setpriv with another user): prefix..., flowline, args...
int spawn_flowline(const std::vector<std::string>& args, const std::string& cwd,
                   const std::string& log_name, const std::vector<std::string>& prefix = {});
// Waits for a spawned process; its exit code, or -signal.
int wait_for(int pid);
// Pids of live processes whose command line contains `marker`.
std::vector<int> processes_with(const std::string& marker);

void write_file(const std::string& path, const std::string& text);
std::string read_file(const std::string& path);
bool file_exists(const std::string& path);
// Non-empty lines in a file (a ledger a test's runs append to); 0 when it does not exist.
int count_lines(const std::string& path);

// Polls `condition` every few milliseconds up to `limit`; true as soon as it holds.
bool wait_until(const std::function<bool()>& condition,
                std::chrono::milliseconds limit = std::chrono::milliseconds(20000));

}  // namespace flowline::testing
