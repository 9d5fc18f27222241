// Test helper: the interactive shell against a FakeEngine that tests steer from outside, so the
// shell can be driven in a real terminal (tmux) before the real engine exists.
//   shell_driver STATE_DIR CONTROL_FIFO RESULT_FILE
// Lines written to CONTROL_FIFO: "post TEXT" (an engine message), "end-run ID" (the run ends
// and a message says so), "stop" (the engine stops by other means: the shell must return).
// The driver also serves `flowline ctl` on STATE_DIR/ctl.sock, as `flowline run` will.
// On return, RESULT_FILE gets how the engine was asked to stop: stop_runs, leave_runs or none.
#include <fcntl.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <string>
#include <thread>

#include "fakes/fake_engine.hpp"
#include "front/ctl/ctl_server.hpp"
#include "front/shell/shell.hpp"
#include "front/shell/style.hpp"

using flowline::EngineSnapshot;
using flowline::RunView;
using flowline::StopMode;
using flowline::testing::FakeEngine;

static void obey(FakeEngine& engine, const std::string& line, int stop_write_fd) {
  if (line.rfind("post ", 0) == 0) return engine.post(line.substr(5));
  if (line == "stop") {
    (void)!::write(stop_write_fd, "x", 1);
    return;
  }
  if (line.rfind("end-run ", 0) == 0) {
    int64_t id = std::stoll(line.substr(8));
    engine.edit([&](EngineSnapshot& s) {
      std::erase_if(s.runs, [&](const RunView& r) { return r.run_id == id; });
    });
    engine.post("run " + std::to_string(id) + " finished (exit 0)");
  }
}

static void control_loop(FakeEngine& engine, const std::string& fifo, int stop_write_fd) {
  // O_RDWR: the open never blocks and the read never sees EOF between writers.
  int fd = ::open(fifo.c_str(), O_RDWR | O_CLOEXEC);
  if (fd < 0) return;
  std::string pending;
  char buf[512];
  ssize_t n;
  while ((n = ::read(fd, buf, sizeof(buf))) > 0) {
    pending.append(buf, static_cast<size_t>(n));
    size_t at;
    while ((at = pending.find('\n')) != std::string::npos) {
      obey(engine, pending.substr(0, at), stop_write_fd);
      pending.erase(0, at + 1);
    }
  }
}

int main(int argc, char** argv) {
  if (argc != 4) {
    std::fprintf(stderr, "usage: shell_driver STATE_DIR CONTROL_FIFO RESULT_FILE\n");
    return 2;
  }
  std::string dir = argv[1];
  EngineSnapshot start = FakeEngine::sample_snapshot();
  start.simulated = true;
  for (auto& run : start.runs) {
    run.out_path = dir + "/run" + std::to_string(run.run_id) + ".out";
    run.err_path = dir + "/run" + std::to_string(run.run_id) + ".err";
  }
  FakeEngine engine(start);
  int stop_pipe[2];
  if (::pipe(stop_pipe) != 0) return 1;
  std::thread(control_loop, std::ref(engine), std::string(argv[2]), stop_pipe[1]).detach();

  flowline::ctl::CtlServer ctl(engine, dir);
  if (auto started = ctl.start(); !started.ok()) {
    std::fprintf(stderr, "%s\n", started.error().message.c_str());
    return 1;
  }

  flowline::shell::ShellOptions options;
  options.state_dir = dir;
  options.colour = flowline::shell::colour_wanted(STDOUT_FILENO);
  options.stop_fd = stop_pipe[0];
  flowline::shell::run_shell(engine, options);

  ctl.stop();
  auto mode = engine.stop_mode();
  std::ofstream(argv[3]) << (!mode                         ? "none"
                             : mode == StopMode::kStopRuns ? "stop_runs"
                                                           : "leave_runs");
  std::printf("[shell returned]\n");
  std::fflush(stdout);
  ::_exit(0);  // the control thread is blocked in read(); no need to unwind it
}
