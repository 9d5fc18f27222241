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
  // The table changed while running: can this builder still make commands for its columns?
  virtual Status check_columns(const std::vector<std::string>& columns) const {
    return ok_status();
  }
};

class TemplateCommandBuilder final : public CommandBuilder {
 public:
  // `text` is the template as the user wrote it, to check it against a changed table.
  explicit TemplateCommandBuilder(CommandTemplate t, std::string text = "")
      : template_(std::move(t)), text_(std::move(text)) {}
  Result<std::string> build(const Task& task, const std::vector<int>& gpus,
                            int64_t run) override {
    return template_.expand(task, gpus, run);
  }
  Status check_columns(const std::vector<std::string>& columns) const override {
    if (text_.empty()) return ok_status();
    Result<CommandTemplate> again = CommandTemplate::parse(text_, columns);
    if (!again.ok()) return Error{"--cmd: " + again.error().message};
    return ok_status();
  }

 private:
  CommandTemplate template_;
  std::string text_;
};

}  // namespace flowline
