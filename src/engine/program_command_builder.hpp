#pragma once
// `--cmd-builder PROGRAM`: for each launch, PROGRAM (run by /bin/sh -c in FlowLine's working
// directory) reads the task and its placement as JSON on stdin (engine/builder_request.hpp) and
// prints the command on stdout. Its failure — non-zero exit, a signal, no output, or no answer
// within the time limit — fails that launch only, with its stderr in the message.
#include <cstdint>
#include <string>
#include <vector>

#include "engine/command_builder.hpp"

namespace flowline {

struct ProgramBuilderOptions {
  std::string program;               // shell code, e.g. "python3 make_cmd.py"
  std::string work_dir;              // "" = FlowLine's
  std::vector<std::string> columns;  // the table's header, for the row's column order
  int64_t timeout_ms = 10000;        // a hung builder must not freeze the engine for long
};

class ProgramCommandBuilder final : public CommandBuilder {
 public:
  explicit ProgramCommandBuilder(ProgramBuilderOptions options);
  ~ProgramCommandBuilder() override;
  ProgramCommandBuilder(const ProgramCommandBuilder&) = delete;
  ProgramCommandBuilder& operator=(const ProgramCommandBuilder&) = delete;

  Result<std::string> build(const Task& task, const std::vector<int>& gpus, int64_t run) override;
  bool may_take_long() const override { return true; }  // and safe from any thread
  void cancel() override;

 private:
  ProgramBuilderOptions options_;
  int cancel_fd_;  // an eventfd, readable once cancel() was called
};

}  // namespace flowline
