#pragma once
// How the Slurm executor talks to Slurm: its command-line tools (sbatch, squeue, scancel,
// sinfo), each bounded in time. An interface so that unit tests can answer for Slurm; the
// integration tests use the real one against a real slurmctld (scripts/slurm-local.sh).
#include <atomic>
#include <cstdint>
#include <string>
#include <vector>

#include "core/result.hpp"

namespace flowline {

struct SlurmReply {
  int exit_code = 0;
  std::string out;
  std::string err;
  bool ok() const { return exit_code == 0; }
  // The first line of stderr, or the exit status: for messages.
  std::string complaint() const;
};

class SlurmCommands {
 public:
  virtual ~SlurmCommands() = default;
  // Runs `program args…` with `input` on its stdin. An Error when it could not be run at all
  // or did not finish in time.
  virtual Result<SlurmReply> run(const std::string& program, const std::vector<std::string>& args,
                                 const std::string& input = "") = 0;
  // How many commands were run so far (docs/benchmarks.md counts them per minute). Both are
  // safe from any thread: the poller asks while the engine submits.
  virtual int64_t count() const = 0;
};

// The real tools, found on PATH.
class SlurmTools final : public SlurmCommands {
 public:
  explicit SlurmTools(int64_t timeout_ms) : timeout_ms_(timeout_ms) {}
  Result<SlurmReply> run(const std::string& program, const std::vector<std::string>& args,
                         const std::string& input) override;
  int64_t count() const override { return count_; }

 private:
  int64_t timeout_ms_;
  std::atomic<int64_t> count_{0};
};

}  // namespace flowline
