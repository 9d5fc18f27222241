#pragma once
// The C++ API's builder callback (the original's func(dict, gpu_id, sorted_gpu_ids)) as the
// engine's CommandBuilder.
#include <flowline/flowline.hpp>

#include "engine/command_builder.hpp"

namespace flowline {

class CallbackCommandBuilder final : public CommandBuilder {
 public:
  explicit CallbackCommandBuilder(api::Builder func) : func_(std::move(func)) {}
  // An exception or an empty command fails this launch with a message saying which.
  Result<std::string> build(const Task& task, const std::vector<int>& gpus, int64_t run) override;

 private:
  api::Builder func_;
};

}  // namespace flowline
