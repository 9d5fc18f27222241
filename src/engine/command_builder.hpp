#pragma once
// Turns a task and its placement into the shell command of one run: the template, an external
// builder program (--cmd-builder) or a C++ callback (the library API).
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/command_template.hpp"
#include "core/result.hpp"
#include "core/task.hpp"

namespace flowline {

class CommandBuilder {
 public:
  virtual ~CommandBuilder() = default;
  // `gpus` in the user's GPU order (the original's sorted_gpu_ids); `run` = run_num + 1.
  virtual Result<std::string> build(const Task& task, const std::vector<int>& gpus,
                                    int64_t run) = 0;
  // True for a builder that may take long (it runs a program): the engine then builds on
  // other threads, concurrently, and build() must be safe to call from several at once.
  virtual bool may_take_long() const { return false; }
  // FlowLine is stopping: builds in flight end at once, with an error, and so does any later
  // one. Called from the engine's thread while builds may run on others.
  virtual void cancel() {}
};

class TemplateCommandBuilder final : public CommandBuilder {
 public:
  explicit TemplateCommandBuilder(CommandTemplate t) : template_(std::move(t)) {}
  Result<std::string> build(const Task& task, const std::vector<int>& gpus,
                            int64_t run) override {
    return template_.expand(task, gpus, run);
  }

 private:
  CommandTemplate template_;
};

}  // namespace flowline
